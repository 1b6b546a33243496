//! The typed model of the e-ZLA (KEDU ZLA) document.
//!
//! Every section and every field that a person can forget is optional (or an empty string) in
//! the types, so that a half-filled model can still be represented, checked, and reported on
//! with *all* its problems at once by [`Zla::validate`](super::Zla::validate). The XML element
//! each field maps to is given in brackets: `[II/p1]` is `KEDU/ZUSZLA/II/p1`.

use serde::{Deserialize, Serialize};
use time::Date;

use super::codes::{
    KodLiterowy, KodPokrewienstwa, KodUbezpieczenia, RodzajIdentyfikatora, Wskazanie,
};

/// An e-ZLA certificate (*zaświadczenie lekarskie*): one model from which both documents of
/// the pair are written, the ORYGINAŁ and the KOPIA for the payer.
///
/// The JSON form is this struct with serde: Polish snake_case field names, unknown fields
/// refused, absent optional fields left out, dates as `YYYY-MM-DD`, codes by name or by ZUS
/// code (see [`codes`](super::codes)).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Zla {
    /// The KEDU document identifiers ZUS reserves for the pair (`ZUSZLA/@id_dokumentu`).
    #[serde(skip_serializing_if = "IdDokumentu::is_empty")]
    pub id_dokumentu: IdDokumentu,
    /// Series and number of the certificate `[I/p1]`, from ZUS (`pobierzSeriaNumerZla`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seria_numer: Option<SeriaNumer>,
    /// The insured person (*ubezpieczony*) `[II]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ubezpieczony: Option<Ubezpieczony>,
    /// The insured person's address during the incapacity `[III]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adres: Option<Adres>,
    /// The incapacity for work (*niezdolność do pracy*) `[IV]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub niezdolnosc: Option<Niezdolnosc>,
    /// The contribution payer (*płatnik składek*, the employer) `[V]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platnik: Option<Platnik>,
    /// The place where the doctor practises (*miejsce wykonywania zawodu*, PWDL) `[VI]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placowka: Option<Placowka>,
    /// The issuing doctor (*lekarz*) `[VII]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lekarz: Option<Lekarz>,
    /// Issue date, justification and flags (*wystawienie*) `[VIII]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wystawienie: Option<Wystawienie>,
}

/// The KEDU document identifiers of the pair (`id_dokumentu`), reserved by ZUS together with
/// the series and number. A document parsed from XML knows only its own.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IdDokumentu {
    /// The identifier of the ORYGINAŁ.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oryginal: Option<String>,
    /// The identifier of the KOPIA.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kopia: Option<String>,
}

impl IdDokumentu {
    /// Whether neither identifier is set.
    pub fn is_empty(&self) -> bool {
        self.oryginal.is_none() && self.kopia.is_none()
    }
}

/// Series and number of a certificate (*seria i numer*): two capital letters and seven digits.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SeriaNumer {
    /// Series, e.g. `ZW` `[p1]`.
    pub seria: String,
    /// Number, seven digits `[p2]`.
    pub numer: String,
}

impl SeriaNumer {
    /// A series and number written together as ZUS prints them (`ZY1234567`: two capital
    /// letters, then seven digits); `None` for anything else.
    pub fn from_compact(text: &str) -> Option<Self> {
        let (seria, numer) = (text.get(..2)?, text.get(2..)?);
        (text.len() == 9
            && seria.bytes().all(|b| b.is_ascii_uppercase())
            && numer.bytes().all(|b| b.is_ascii_digit()))
        .then(|| SeriaNumer {
            seria: seria.to_owned(),
            numer: numer.to_owned(),
        })
    }

    /// The series and number written together, as ZUS prints them (`ZY1234567`); the
    /// inverse of [`SeriaNumer::from_compact`].
    pub fn compact(&self) -> String {
        let mut s = String::with_capacity(self.seria.len() + self.numer.len());
        s.push_str(&self.seria);
        s.push_str(&self.numer);
        s
    }
}

/// The insured person (*ubezpieczony*) `[II]`: identified by PESEL or, without one, by
/// passport and birth date.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Ubezpieczony {
    /// PESEL `[II/p1]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pesel: Option<String>,
    /// First name (*imię*) `[II/p2]`.
    pub imie: String,
    /// Surname (*nazwisko*) `[II/p3]`.
    pub nazwisko: String,
    /// Where the person is insured `[II/p4]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kod_ubezpieczenia: Option<KodUbezpieczenia>,
    /// Passport series and number, for a person without PESEL `[II/p5]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paszport: Option<String>,
    /// Birth date (*data urodzenia*) `[II/p6]`.
    #[serde(skip_serializing_if = "Option::is_none", with = "data_opcjonalna")]
    pub data_urodzenia: Option<Date>,
}

/// The insured person's address during the incapacity (*adres pobytu*) `[III]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Adres {
    /// Postcode, five digits without the dash (*kod pocztowy*) `[III/p1]`.
    pub kod_pocztowy: String,
    /// Town (*miejscowość*) `[III/p2]`.
    pub miejscowosc: String,
    /// Street (*ulica*), if the place has streets `[III/p3]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ulica: Option<String>,
    /// House number (*numer domu*) `[III/p4]`.
    pub nr_domu: String,
    /// Flat number (*numer lokalu*) `[III/p5]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nr_lokalu: Option<String>,
}

/// A period of days, both ends included (*od … do …*).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Okres {
    /// First day (*od*) `[p1]`.
    #[serde(skip_serializing_if = "Option::is_none", with = "data_opcjonalna")]
    pub od: Option<Date>,
    /// Last day (*do*) `[p2]`.
    #[serde(
        rename = "do",
        skip_serializing_if = "Option::is_none",
        with = "data_opcjonalna"
    )]
    pub do_: Option<Date>,
}

impl Okres {
    /// A period from `od` to `do_`.
    pub fn new(od: Date, do_: Date) -> Self {
        Okres {
            od: Some(od),
            do_: Some(do_),
        }
    }
}

/// The incapacity for work (*niezdolność do pracy*) `[IV]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Niezdolnosc {
    /// The period of incapacity `[IV/p1]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub okres: Option<Okres>,
    /// A hospital stay within it (*pobyt w szpitalu*) `[IV/p2]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pobyt_w_szpitalu: Option<Okres>,
    /// The doctor's indication (1 must lie, 2 may walk) `[IV/p3]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wskazanie: Option<Wskazanie>,
    /// Letter codes A–E (*kody literowe*), written to `[IV/p4]`–`[IV/p7]` in this order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub kody_literowe: Vec<KodLiterowy>,
    /// ICD-10 statistical code, three characters (*statystyczny kod choroby*) `[IV/p8]`.
    /// Written to the ORYGINAŁ only: the payer's KOPIA never carries it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kod_choroby: Option<String>,
    /// Care for a family member (*opieka nad członkiem rodziny*) `[IV/p9]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opieka: Option<Opieka>,
}

/// Care for a family member (*opieka*) `[IV/p9]`: who is cared for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Opieka {
    /// Kinship of the person cared for (*kod pokrewieństwa*) `[IV/p9/p1]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kod_pokrewienstwa: Option<KodPokrewienstwa>,
    /// Birth date of the person cared for `[IV/p9/p2]`.
    #[serde(skip_serializing_if = "Option::is_none", with = "data_opcjonalna")]
    pub data_urodzenia: Option<Date>,
}

/// The contribution payer (*płatnik składek*) `[V]`: the employer or other payer who receives
/// the KOPIA.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Platnik {
    /// How the payer is identified: NIP, PESEL or passport `[V/p1]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rodzaj: Option<RodzajIdentyfikatora>,
    /// The identifier itself `[V/p2]`.
    pub identyfikator: String,
}

impl Platnik {
    /// A payer identified by NIP.
    pub fn nip(nip: impl Into<String>) -> Self {
        Platnik {
            rodzaj: Some(RodzajIdentyfikatora::Nip),
            identyfikator: nip.into(),
        }
    }
}

/// The place where the doctor practises (*miejsce wykonywania zawodu*; PWDL) `[VI]`. Use
/// ZUS's spelling verbatim (`pobierzMiejsceWykonywaniaZawodu`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Placowka {
    /// Name (*nazwa*) `[VI/p1]`.
    pub nazwa: String,
    /// Postcode, five digits without the dash `[VI/p2]`.
    pub kod_pocztowy: String,
    /// Town `[VI/p3]`.
    pub miejscowosc: String,
    /// Street `[VI/p4]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ulica: Option<String>,
    /// House number `[VI/p5]`.
    pub nr_domu: String,
    /// Flat number `[VI/p6]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nr_lokalu: Option<String>,
}

/// The issuing doctor (*lekarz*) `[VII]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Lekarz {
    /// Licence number (*numer prawa wykonywania zawodu*, NPWZ) `[VII/p1]`.
    pub npwz: String,
    /// First name `[VII/p2]`.
    pub imie: String,
    /// Surname `[VII/p3]`.
    pub nazwisko: String,
}

/// Issue date, justification and flags (*wystawienie*) `[VIII]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Wystawienie {
    /// Issue date (*data wystawienia*) `[VIII/p1]`.
    #[serde(skip_serializing_if = "Option::is_none", with = "data_opcjonalna")]
    pub data_wystawienia: Option<Date>,
    /// Date of electronisation (*data elektronizacji*) `[VIII/p2]`.
    #[serde(skip_serializing_if = "Option::is_none", with = "data_opcjonalna")]
    pub data_elektronizacji: Option<Date>,
    /// Why the certificate is backdated by more than 3 days (*uzasadnienie zaświadczenia
    /// wstecznego*), at most 3000 characters `[VIII/p3]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uzasadnienie_wsteczne: Option<String>,
    /// The cancelled certificate this one replaces `[VIII/p4]` (shape inferred: `p1` series,
    /// `p2` number).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anulowane_zla: Option<SeriaNumer>,
    /// A linked certificate `[VIII/p5]` (shape inferred: `p1` series, `p2` number).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub powiazane_zla: Option<SeriaNumer>,
    /// Stay in a stationary health-care facility (*pobyt stacjonarny w ZOZ*) `[VIII/p6]`.
    pub pobyt_stacjonarny_zoz: bool,
    /// Hidden from the payer (*ukryte dla płatnika*) `[VIII/p7]` (meaning inferred from the
    /// WSDL's `UkryteDlaPlatnika`).
    pub ukryte_dla_platnika: bool,
    /// NIP of the place of practice (*NIP płacówki*) `[VIII/p8]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nip_placowki: Option<String>,
}

/// `YYYY-MM-DD`, the WSDL `Data` pattern `\d{4}-\d{2}-\d{2}` with a real calendar date.
pub(crate) fn parse_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        if !part.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let year = i32::try_from(digits(0..4)?).ok()?;
    let month = u8::try_from(digits(5..7)?).ok()?;
    let day = u8::try_from(digits(8..10)?).ok()?;
    let month = time::Month::try_from(month).ok()?;
    Date::from_calendar_date(year, month, day).ok()
}

/// Writes a date as `YYYY-MM-DD`.
pub(crate) fn format_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// Serde for `Option<Date>` as `YYYY-MM-DD`.
pub(crate) mod data_opcjonalna {
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    pub(crate) fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_str(&super::format_date(*d)),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        let text: Option<String> = Option::deserialize(d)?;
        text.map(|s| {
            super::parse_date(&s).ok_or_else(|| {
                D::Error::custom(format!(
                    "invalid date {} (expected YYYY-MM-DD)",
                    crate::kedu::tekst::pokaz(&s)
                ))
            })
        })
        .transpose()
    }
}
