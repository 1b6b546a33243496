//! The values ZUS's operations share: the session, results, validation results, the WSDL's
//! enumerations, identification of persons and payers, paging, sorting and filtering.

use std::fmt;

use super::wire::{Node, WireEnum};
use crate::error::{Error, Result};
use crate::pl::{Nip, Pesel};
use crate::xml::Writer;

pub use crate::error::{BladWalidacji, Rezultat, RodzajBledu};
pub use crate::kedu::SeriaNumer;

/// A session identifier (*IdSesji*) from `zalogujPodpisem`: letters and digits
/// (`[0-9a-zA-Z]*`), not empty. It is a bearer secret, so `Debug` shows only its length.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdSesji(String);

impl IdSesji {
    /// Checks the WSDL's pattern; an empty value is refused too (ZUS sends one only when it
    /// refuses the login).
    pub fn new(value: impl Into<String>) -> Result<Self> {
        let value = value.into();
        if value.is_empty() {
            return Err(Error::invalid_argument("IdSesji", "empty"));
        }
        if !value.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(Error::invalid_argument(
                "IdSesji",
                "only letters A-Z, a-z and digits are allowed ([0-9a-zA-Z]*)",
            ));
        }
        Ok(IdSesji(value))
    }

    /// The identifier as sent to ZUS.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for IdSesji {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdSesji(<{} characters>)", self.0.len())
    }
}

wire_enum! {
    /// The overall verdict of ZUS's validation (*RezultatWalidacjiEnumeracja*).
    WynikWalidacji "RezultatWalidacjiEnumeracja" {
        /// Accepted without findings.
        Pozytywny = "POZYTYWNY",
        /// Refused: at least one error.
        Negatywny = "NEGATYWNY",
        /// Accepted with warnings.
        Ostrzezenie = "OSTRZEZENIE",
    }
}

impl WireEnum for RodzajBledu {
    const TYPE_NAME: &'static str = "RodzajBleduWalidacjiEnumeracja";
    fn as_wire(self) -> &'static str {
        self.as_str()
    }
    fn from_wire(s: &str) -> Option<Self> {
        match s {
            "BLAD" => Some(RodzajBledu::Blad),
            "OSTRZEZENIE" => Some(RodzajBledu::Ostrzezenie),
            _ => None,
        }
    }
}

/// ZUS's validation result (*RezultatWalidacji*) of an accepted request: the verdict and
/// the findings (warnings; a `NEGATYWNY` verdict is an error,
/// [`ZusError::ValidationRefused`](crate::error::ZusError::ValidationRefused)).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RezultatWalidacji {
    /// The verdict.
    pub wynik: WynikWalidacji,
    /// Every finding, verbatim, in ZUS's order.
    pub bledy: Vec<BladWalidacji>,
}

impl RezultatWalidacji {
    pub(crate) fn read(n: Node<'_, '_>) -> Result<Self> {
        let bledy = n
            .all("BladWalidacji")
            .iter()
            .map(|b| {
                Ok(BladWalidacji {
                    nr_ref: b.texts("NrRef")?,
                    rodzaj: b.req_enum("Rodzaj")?,
                    kod_bledu: b.req_text("KodBledu")?,
                    opis_bledu: b.req_text("OpisBledu")?,
                    lokalizacja: b.opt_text("Lokalizacja")?,
                })
            })
            .collect::<Result<_>>()?;
        Ok(RezultatWalidacji {
            wynik: n.req_enum("Rezultat")?,
            bledy,
        })
    }

    /// The optional `RezultatWalidacji` child of `n`; `NEGATYWNY` becomes
    /// [`ZusError::ValidationRefused`](crate::error::ZusError::ValidationRefused).
    pub(crate) fn read_checked(n: Node<'_, '_>) -> Result<Option<Self>> {
        let Some(r) = n.opt("RezultatWalidacji")? else {
            return Ok(None);
        };
        let r = RezultatWalidacji::read(r)?;
        if r.wynik == WynikWalidacji::Negatywny {
            return Err(Error::Zus(crate::error::ZusError::ValidationRefused {
                operation: n.op,
                bledy: r.bledy,
            }));
        }
        Ok(Some(r))
    }
}

wire_enum! {
    /// How documents are issued (*TrybWystawianiaEnumeracja*).
    Tryb "TrybWystawianiaEnumeracja" {
        /// The current, electronic mode (*bieżący*).
        Biezacy = "Biezacy",
        /// The alternative mode: forms printed with reserved numbers, sent later
        /// (*alternatywny*, *elektronizacja*).
        Alternatywny = "Alternatywny",
    }
}

wire_enum! {
    /// Why data is accessed (*KontekstDostepu*); ZUS records it.
    KontekstDostepu "KontekstDostepu" {
        /// Issuing a certificate.
        WystawienieZla = "WystawienieZla",
        /// Searching certificates.
        WyszukanieZla = "WyszukanieZla",
        /// Details, for a cancellation.
        SzczegolyAnulowanie = "SzczegolyAnulowanie",
        /// Details, for a new certificate.
        SzczegolyNowe = "SzczegolyNowe",
        /// Details, for the payer.
        SzczegolyPlatnik = "SzczegolyPlatnik",
    }
}

wire_enum! {
    /// How ZUS verifies the signed login statement (*MetodaUwierzytelnienia*).
    MetodaWeryfikacji "MetodaUwierzytelnienia" {
        /// An X.509 signature: the ZUS certificate or a qualified one.
        Certyfikat = "certyfikat",
        /// Profil Zaufany (*podpis zaufany*) \[S\].
        EPuap = "ePuap",
    }
}

wire_enum! {
    /// A kind of document kept by ZUS (*RodzajDokumentuEnumeracja*).
    RodzajDokumentu "RodzajDokumentuEnumeracja" {
        /// The certificate (ORYGINAŁ).
        Zla = "ZLA",
        /// Its copy (KOPIA).
        KopiaZla = "KOPIA_ZLA",
        /// A cancellation (*informacja o stwierdzeniu nieważności*).
        Azla = "AZLA",
        /// An invalidation of reserved blank numbers.
        Uzla = "UZLA",
    }
}

wire_enum! {
    /// A kind of request document (*RodzajWnioskuEnumeracja*).
    RodzajWniosku "RodzajWnioskuEnumeracja" {
        /// The authorisation to issue certificates.
        Fzla = "FZLA",
        /// A rehabilitation request.
        Pr4 = "PR_4",
    }
}

wire_enum! {
    /// Sort direction (*SortowanieEnumeracja*).
    Kierunek "SortowanieEnumeracja" {
        /// Ascending.
        Asc = "ASC",
        /// Descending.
        Desc = "DESC",
    }
}

wire_enum! {
    /// A filter comparison (*OperatorEnum*).
    Operator "OperatorEnum" {
        /// Equal to the value.
        EqualTo = "equalTo",
        /// Not empty.
        IsNotEmpty = "isNotEmpty",
        /// Less than.
        LessThan = "lessThan",
        /// Less than or equal.
        LessThanOrEqualTo = "lessThanOrEqualTo",
        /// Larger than.
        LargerThan = "largerThan",
        /// Larger than or equal.
        LargerThanOrEqualTo = "largerThanOrEqualTo",
        /// Contains the value.
        Contains = "contains",
        /// Starts with the value.
        StartsWith = "startsWith",
        /// Empty.
        IsEmpty = "isEmpty",
    }
}

wire_enum! {
    /// How filter conditions combine (*OperatorAndOrEnum*).
    Zlaczenie "OperatorAndOrEnum" {
        /// All conditions.
        And = "AND",
        /// Any condition.
        Or = "OR",
    }
}

wire_enum! {
    /// Kinship with the person cared for (*KodyPokrewienstwaEnumeracja*).
    KodPokrewienstwa "KodyPokrewienstwaEnumeracja" {
        /// Code `1`.
        Kod1 = "1",
        /// Code `2`.
        Kod2 = "2",
        /// Code `3`.
        Kod3 = "3",
    }
}

/// Who the insured person is (*IdentyfikacjaUbezpieczonego*): by PESEL or, without one, by
/// passport series and number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdentyfikacjaUbezpieczonego {
    /// By PESEL.
    Pesel(Pesel),
    /// By passport series and number (`[0-9a-zA-Z]*`).
    Paszport(String),
}

impl IdentyfikacjaUbezpieczonego {
    pub(crate) fn write(&self, w: &mut Writer, element: &str) -> Result<()> {
        w.open(element);
        match self {
            IdentyfikacjaUbezpieczonego::Pesel(p) => w.leaf("Pesel", p.as_str()),
            IdentyfikacjaUbezpieczonego::Paszport(p) => {
                w.leaf("SeriaNumerPaszportu", id_pattern("SeriaNumerPaszportu", p)?)
            }
        }
        w.end();
        Ok(())
    }
}

/// Who a payer is (*IdentyfikacjaPlatnika*): by NIP, PESEL or passport.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdentyfikacjaPlatnika {
    /// By PESEL.
    Pesel(Pesel),
    /// By passport series and number (`[0-9a-zA-Z]*`).
    Paszport(String),
    /// By NIP.
    Nip(Nip),
}

impl IdentyfikacjaPlatnika {
    pub(crate) fn write(&self, w: &mut Writer) -> Result<()> {
        w.open("Platnik");
        match self {
            IdentyfikacjaPlatnika::Pesel(p) => w.leaf("Pesel", p.as_str()),
            IdentyfikacjaPlatnika::Paszport(p) => {
                w.leaf("SeriaNumerPaszportu", id_pattern("SeriaNumerPaszportu", p)?)
            }
            IdentyfikacjaPlatnika::Nip(n) => w.leaf("Nip", n.as_str()),
        }
        w.end();
        Ok(())
    }
}

/// A page of a list (*Stronicowanie*): from which record, how many.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stronicowanie {
    /// The first record (*RekordyOd*).
    pub rekordy_od: i64,
    /// How many records (*LiczbaRekordow*).
    pub liczba_rekordow: i64,
}

impl Stronicowanie {
    pub(crate) fn write(&self, w: &mut Writer) {
        w.open("Stronicowanie");
        w.leaf("RekordyOd", &self.rekordy_od.to_string());
        w.leaf("LiczbaRekordow", &self.liczba_rekordow.to_string());
        w.end();
    }
}

/// Sorting of a list by columns of type `K` (*Sortowanie*); at least one condition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sortowanie<K> {
    /// The columns and directions, most significant first (*WarunekSortowania*).
    pub warunki: Vec<(K, Kierunek)>,
}

/// Filtering of a list by columns of type `K` (*Filtrowanie*); at least one condition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filtrowanie<K> {
    /// The conditions (*WarunekFiltrowania*): column, comparison, value.
    pub warunki: Vec<WarunekFiltrowania<K>>,
    /// How they combine (*LogiczneZlaczenieWarunkow*).
    pub zlaczenie: Zlaczenie,
}

/// One filter condition (*WarunekFiltrowania*).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WarunekFiltrowania<K> {
    /// The column (*Kolumna*).
    pub kolumna: K,
    /// The comparison (*Operator*).
    pub operator: Operator,
    /// The value (*Wartosc*); `None` writes no value (only `pobierzStatusyDrukowZla`
    /// allows that, for `isEmpty`/`isNotEmpty`).
    pub wartosc: Option<String>,
}

impl<K: WireEnum> Sortowanie<K> {
    pub(crate) fn write(&self, w: &mut Writer) -> Result<()> {
        if self.warunki.is_empty() {
            return Err(Error::invalid_argument("Sortowanie", "no sort condition"));
        }
        w.open("Sortowanie");
        for (kolumna, kierunek) in &self.warunki {
            w.open("WarunekSortowania");
            w.leaf("Kolumna", kolumna.as_wire());
            w.leaf("Kierunek", kierunek.as_wire());
            w.end();
        }
        w.end();
        Ok(())
    }
}

impl<K: WireEnum> Filtrowanie<K> {
    pub(crate) fn write(&self, w: &mut Writer, value_required: bool) -> Result<()> {
        if self.warunki.is_empty() {
            return Err(Error::invalid_argument(
                "Filtrowanie",
                "no filter condition",
            ));
        }
        w.open("Filtrowanie");
        for c in &self.warunki {
            w.open("WarunekFiltrowania");
            w.leaf("Kolumna", c.kolumna.as_wire());
            w.leaf("Operator", c.operator.as_wire());
            match (&c.wartosc, value_required) {
                (Some(v), _) => w.leaf("Wartosc", v),
                (None, true) => w.empty("Wartosc"),
                (None, false) => {}
            }
            w.end();
        }
        w.leaf("LogiczneZlaczenieWarunkow", self.zlaczenie.as_wire());
        w.end();
        Ok(())
    }
}

/// Writes an optional sort and filter.
pub(crate) fn write_sort_filter<K: WireEnum>(
    w: &mut Writer,
    sortowanie: &Option<Sortowanie<K>>,
    filtrowanie: &Option<Filtrowanie<K>>,
) -> Result<()> {
    if let Some(s) = sortowanie {
        s.write(w)?;
    }
    if let Some(f) = filtrowanie {
        f.write(w, true)?;
    }
    Ok(())
}

/// Checks the WSDL's `ID` pattern (`[0-9a-zA-Z]*`).
pub(crate) fn id_pattern<'s>(what: &'static str, s: &'s str) -> Result<&'s str> {
    if s.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(s)
    } else {
        Err(Error::invalid_argument(
            what,
            "only letters A-Z, a-z and digits are allowed",
        ))
    }
}

/// Checks the WSDL's `Inne` pattern (no `"` `*` `;` `(` `)` `?`), used by `NrRef`.
pub(crate) fn nr_ref_pattern(s: &str) -> Result<&str> {
    if s.chars().any(|c| "\"*;()?".contains(c)) {
        return Err(Error::invalid_argument(
            "NrRef",
            "the characters \" * ; ( ) ? are not allowed",
        ));
    }
    Ok(s)
}

/// Checks a 3-character ICD-10 statistical code (*StatystycznyKodChoroby*, `[A-Z]\d{2}`).
pub(crate) fn kod_choroby(s: &str) -> Result<&str> {
    let b = s.as_bytes();
    let ok = b.len() == 3
        && b.first().is_some_and(u8::is_ascii_uppercase)
        && b.get(1..).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if ok {
        Ok(s)
    } else {
        Err(Error::invalid_argument(
            "StatystycznyKodChoroby",
            format!("{s:?} is not a letter and two digits (e.g. J06)"),
        ))
    }
}

/// Checks and writes a series and number (`Seria` `[A-Z]{2}`, `Numer` `\d{7}`) as element
/// `element`.
pub(crate) fn write_seria_numer(w: &mut Writer, element: &str, sn: &SeriaNumer) -> Result<()> {
    let seria_ok = sn.seria.len() == 2 && sn.seria.bytes().all(|b| b.is_ascii_uppercase());
    let numer_ok = sn.numer.len() == 7 && sn.numer.bytes().all(|b| b.is_ascii_digit());
    if !seria_ok || !numer_ok {
        return Err(Error::invalid_argument(
            "SeriaNumer",
            format!(
                "{:?} {:?}: two capital letters and seven digits expected",
                sn.seria, sn.numer
            ),
        ));
    }
    w.open(element);
    w.leaf("Seria", &sn.seria);
    w.leaf("Numer", &sn.numer);
    w.end();
    Ok(())
}

/// Reads a `Seria`/`Numer` pair as ZUS sent it (verbatim, not re-checked).
pub(crate) fn read_seria_numer(n: Node<'_, '_>) -> Result<SeriaNumer> {
    Ok(SeriaNumer {
        seria: n.req_text("Seria")?,
        numer: n.req_text("Numer")?,
    })
}
