//! Dictionaries: ICD-10 codes and descriptions, the letter codes, kinship codes, the reasons
//! of cancellation and invalidation, the rehabilitation profile.

use time::Date;

use super::types::{kod_choroby, write_sort_filter};
use super::wire::{Node, format_date};
use super::{
    Filtrowanie, IdSesji, IdentyfikacjaUbezpieczonego, Operation, Sortowanie, Stronicowanie,
    write_id,
};
use crate::error::Result;
use crate::xml::Writer;

/// `pobierzKodChoroby`: the ICD-10 statistical codes, a page at a time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PobierzKodChoroby {
    /// The session.
    pub id_sesji: IdSesji,
    /// Which page.
    pub stronicowanie: Stronicowanie,
    /// How to sort, if at all.
    pub sortowanie: Option<Sortowanie<KolumnaKodowChorob>>,
    /// How to filter, if at all.
    pub filtrowanie: Option<Filtrowanie<KolumnaKodowChorob>>,
}

/// The response of [`PobierzKodChoroby`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KodyChorob {
    /// How many records there are in all (*LiczbaWszystkichRekordow*), when given.
    pub liczba_wszystkich_rekordow: Option<i64>,
    /// The codes of the page (*NumerStatystycznyChoroby*).
    pub kody: Vec<NumerStatystycznyChoroby>,
}

impl Operation for PobierzKodChoroby {
    const NAME: &'static str = "pobierzKodChoroby";
    type Response = KodyChorob;

    fn write(&self, w: &mut Writer) -> Result<()> {
        write_id(w, &self.id_sesji);
        self.stronicowanie.write(w);
        write_sort_filter(w, &self.sortowanie, &self.filtrowanie)
    }

    fn read(n: Node<'_, '_>) -> Result<Self::Response> {
        Ok(KodyChorob {
            liczba_wszystkich_rekordow: n.opt_long("LiczbaWszystkichRekordow")?,
            kody: n
                .all("NumerStatystycznyChoroby")
                .into_iter()
                .map(NumerStatystycznyChoroby::read)
                .collect::<Result<_>>()?,
        })
    }
}

/// `pobierzOpisChoroby`: the name and description of an ICD-10 statistical code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PobierzOpisChoroby {
    /// The session.
    pub id_sesji: IdSesji,
    /// The 3-character code (*StatystycznyKodChoroby*, `[A-Z]\d{2}`).
    pub statystyczny_kod_choroby: String,
}

/// The response of [`PobierzOpisChoroby`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpisChoroby {
    /// The name (*NazwaChoroby*), when given.
    pub nazwa: Option<String>,
    /// The description (*OpisChoroby*), when given.
    pub opis: Option<String>,
}

impl Operation for PobierzOpisChoroby {
    const NAME: &'static str = "pobierzOpisChoroby";
    type Response = OpisChoroby;

    fn write(&self, w: &mut Writer) -> Result<()> {
        write_id(w, &self.id_sesji);
        w.leaf(
            "StatystycznyKodChoroby",
            kod_choroby(&self.statystyczny_kod_choroby)?,
        );
        Ok(())
    }

    fn read(n: Node<'_, '_>) -> Result<Self::Response> {
        Ok(OpisChoroby {
            nazwa: n.opt_text("NazwaChoroby")?,
            opis: n.opt_text("OpisChoroby")?,
        })
    }
}

/// `pobierzLiterowyKodChoroby`: whether letter codes A (same illness after a break) and D
/// (tuberculosis) apply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PobierzLiterowyKodChoroby {
    /// The session.
    pub id_sesji: IdSesji,
    /// First day of the incapacity (*DataPoczatkuNiezdolnosci*).
    pub data_poczatku_niezdolnosci: Date,
    /// The 3-character code (*StatystycznyKodChoroby*, `[A-Z]\d{2}`).
    pub statystyczny_kod_choroby: String,
    /// Who (*Ubezpieczony*).
    pub ubezpieczony: IdentyfikacjaUbezpieczonego,
}

/// The response of [`PobierzLiterowyKodChoroby`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LiteroweKodyChoroby {
    /// Letter code A applies (*KodA*), when ZUS says.
    pub kod_a: Option<bool>,
    /// Letter code D applies (*KodD*), when ZUS says.
    pub kod_d: Option<bool>,
}

impl Operation for PobierzLiterowyKodChoroby {
    const NAME: &'static str = "pobierzLiterowyKodChoroby";
    type Response = LiteroweKodyChoroby;

    fn write(&self, w: &mut Writer) -> Result<()> {
        write_id(w, &self.id_sesji);
        w.leaf(
            "DataPoczatkuNiezdolnosci",
            &format_date(self.data_poczatku_niezdolnosci),
        );
        w.leaf(
            "StatystycznyKodChoroby",
            kod_choroby(&self.statystyczny_kod_choroby)?,
        );
        self.ubezpieczony.write(w, "Ubezpieczony")
    }

    fn read(n: Node<'_, '_>) -> Result<Self::Response> {
        Ok(LiteroweKodyChoroby {
            kod_a: n.opt_bool("KodA")?,
            kod_d: n.opt_bool("KodD")?,
        })
    }
}

/// `pobierzSlownikKodowPokrewienstwa`: the kinship codes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PobierzSlownikKodowPokrewienstwa {
    /// The session.
    pub id_sesji: IdSesji,
}

impl Operation for PobierzSlownikKodowPokrewienstwa {
    const NAME: &'static str = "pobierzSlownikKodowPokrewienstwa";
    type Response = Vec<PozycjaKodowPokrewienstwa>;

    fn write(&self, w: &mut Writer) -> Result<()> {
        write_id(w, &self.id_sesji);
        Ok(())
    }

    fn read(n: Node<'_, '_>) -> Result<Self::Response> {
        n.all("KodPokrewienstwa")
            .into_iter()
            .map(PozycjaKodowPokrewienstwa::read)
            .collect()
    }
}

/// `pobierzSlownikPrzyczynAnulowania`: the reasons for cancelling a certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PobierzSlownikPrzyczynAnulowania {
    /// The session.
    pub id_sesji: IdSesji,
}

impl Operation for PobierzSlownikPrzyczynAnulowania {
    const NAME: &'static str = "pobierzSlownikPrzyczynAnulowania";
    type Response = Vec<Przyczyna>;

    fn write(&self, w: &mut Writer) -> Result<()> {
        write_id(w, &self.id_sesji);
        Ok(())
    }

    fn read(n: Node<'_, '_>) -> Result<Self::Response> {
        n.all("Przyczyna")
            .into_iter()
            .map(Przyczyna::read)
            .collect()
    }
}

/// `pobierzSlownikPrzyczynUniewaznienia`: the reasons for invalidating reserved numbers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PobierzSlownikPrzyczynUniewaznienia {
    /// The session.
    pub id_sesji: IdSesji,
}

impl Operation for PobierzSlownikPrzyczynUniewaznienia {
    const NAME: &'static str = "pobierzSlownikPrzyczynUniewaznienia";
    type Response = Vec<Przyczyna>;

    fn write(&self, w: &mut Writer) -> Result<()> {
        write_id(w, &self.id_sesji);
        Ok(())
    }

    fn read(n: Node<'_, '_>) -> Result<Self::Response> {
        n.all("Przyczyna")
            .into_iter()
            .map(Przyczyna::read)
            .collect()
    }
}

/// `sprawdzProfilRehabilitacji`: the rehabilitation profile for an ICD-10 code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SprawdzProfilRehabilitacji {
    /// The session.
    pub id_sesji: IdSesji,
    /// The 3-character code (*KodChoroby*, `[A-Z]\d{2}`).
    pub kod_choroby: String,
}

impl Operation for SprawdzProfilRehabilitacji {
    const NAME: &'static str = "sprawdzProfilRehabilitacji";
    /// The profile (*ProfilRehabilitacji*), verbatim, when given.
    type Response = Option<String>;

    fn write(&self, w: &mut Writer) -> Result<()> {
        write_id(w, &self.id_sesji);
        w.leaf("KodChoroby", kod_choroby(&self.kod_choroby)?);
        Ok(())
    }

    fn read(n: Node<'_, '_>) -> Result<Self::Response> {
        n.opt_text("ProfilRehabilitacji")
    }
}

wire_enum! {
    /// A column of the ICD-10 list (*KodChorobyEnumeracja*).
    KolumnaKodowChorob "KodChorobyEnumeracja" {
        /// `StatystycznyKodChoroby`.
        StatystycznyKodChoroby = "StatystycznyKodChoroby",
        /// `NazwaChoroby`.
        NazwaChoroby = "NazwaChoroby",
    }
}

/// An ICD-10 statistical code with its name (*NumerStatystycznyChoroby*).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumerStatystycznyChoroby {
    /// ICD-10 statistical code (`StatystycznyKodChoroby`).
    pub statystyczny_kod_choroby: String,
    /// Name (`Nazwa`).
    pub nazwa: String,
    /// Description (`Opis`).
    pub opis: Option<String>,
}

impl NumerStatystycznyChoroby {
    pub(crate) fn read(n: Node<'_, '_>) -> Result<Self> {
        Ok(NumerStatystycznyChoroby {
            statystyczny_kod_choroby: n.req_text("StatystycznyKodChoroby")?,
            nazwa: n.req_text("Nazwa")?,
            opis: n.opt_text("Opis")?,
        })
    }
}

/// A kinship code with its description (*KodPokrewienstwa*).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PozycjaKodowPokrewienstwa {
    /// Code (`Kod`).
    pub kod: String,
    /// Description (`Opis`).
    pub opis: String,
}

impl PozycjaKodowPokrewienstwa {
    pub(crate) fn read(n: Node<'_, '_>) -> Result<Self> {
        Ok(PozycjaKodowPokrewienstwa {
            kod: n.req_text("Kod")?,
            opis: n.req_text("Opis")?,
        })
    }
}

/// A reason of a dictionary (*Przyczyna*): code, name, description.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Przyczyna {
    /// Code (`Kod`).
    pub kod: String,
    /// Name (`Nazwa`).
    pub nazwa: String,
    /// Description (`Opis`).
    pub opis: String,
}

impl Przyczyna {
    pub(crate) fn read(n: Node<'_, '_>) -> Result<Self> {
        Ok(Przyczyna {
            kod: n.req_text("Kod")?,
            nazwa: n.req_text("Nazwa")?,
            opis: n.req_text("Opis")?,
        })
    }
}
