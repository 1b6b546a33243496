//! The patient and the payers: the insured person's data and family, the payers of the
//! insured person, a payer's data and establishments.
//!
//! The patient look-ups count against a daily limit; a response saying it is reached
//! (*PrzekroczonyDziennyLimitDostepow*) is
//! [`ZusError::DailyLimitExceeded`](crate::error::ZusError::DailyLimitExceeded).

use time::Date;

use super::wire::Node;
use super::{
    IdSesji, IdentyfikacjaPlatnika, IdentyfikacjaUbezpieczonego, KontekstDostepu, Operation,
    write_id,
};
use crate::error::Result;
use crate::pl::Nip;
use crate::xml::Writer;

/// `pobierzDaneUbezpieczonego`: the insured person's name, birth date and addresses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PobierzDaneUbezpieczonego {
    /// The session.
    pub id_sesji: IdSesji,
    /// Who (*Ubezpieczony*).
    pub ubezpieczony: IdentyfikacjaUbezpieczonego,
    /// Why (*KontekstDostepu*).
    pub kontekst_dostepu: KontekstDostepu,
}

impl Operation for PobierzDaneUbezpieczonego {
    const NAME: &'static str = "pobierzDaneUbezpieczonego";
    /// The data, when ZUS has it.
    type Response = Option<DaneUbezpieczonego>;

    fn write(&self, w: &mut Writer) -> Result<()> {
        write_id(w, &self.id_sesji);
        self.ubezpieczony.write(w, "Ubezpieczony")?;
        w.leaf("KontekstDostepu", self.kontekst_dostepu.as_str());
        Ok(())
    }

    fn read(n: Node<'_, '_>) -> Result<Self::Response> {
        n.opt("DaneUbezpieczonego")?
            .map(DaneUbezpieczonego::read)
            .transpose()
    }
}

/// `pobierzCzlonkowRodzinyUbezpieczonego`: the insured person's family members.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PobierzCzlonkowRodzinyUbezpieczonego {
    /// The session.
    pub id_sesji: IdSesji,
    /// Who (*Ubezpieczony*).
    pub ubezpieczony: IdentyfikacjaUbezpieczonego,
    /// Why (*KontekstDostepu*).
    pub kontekst_dostepu: KontekstDostepu,
}

impl Operation for PobierzCzlonkowRodzinyUbezpieczonego {
    const NAME: &'static str = "pobierzCzlonkowRodzinyUbezpieczonego";
    type Response = Vec<CzlonekRodziny>;

    fn write(&self, w: &mut Writer) -> Result<()> {
        write_id(w, &self.id_sesji);
        self.ubezpieczony.write(w, "Ubezpieczony")?;
        w.leaf("KontekstDostepu", self.kontekst_dostepu.as_str());
        Ok(())
    }

    fn read(n: Node<'_, '_>) -> Result<Self::Response> {
        n.all("CzlonekRodzinyUbezpieczonego")
            .into_iter()
            .map(CzlonekRodziny::read)
            .collect()
    }
}

/// `pobierzPlatnikowUbezpieczonego`: the payers of the insured person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PobierzPlatnikowUbezpieczonego {
    /// The session.
    pub id_sesji: IdSesji,
    /// Who (*Ubezpieczony*).
    pub ubezpieczony: IdentyfikacjaUbezpieczonego,
}

impl Operation for PobierzPlatnikowUbezpieczonego {
    const NAME: &'static str = "pobierzPlatnikowUbezpieczonego";
    type Response = Vec<PlatnikUbezpieczonego>;

    fn write(&self, w: &mut Writer) -> Result<()> {
        write_id(w, &self.id_sesji);
        self.ubezpieczony.write(w, "Ubezpieczony")
    }

    fn read(n: Node<'_, '_>) -> Result<Self::Response> {
        n.all("Platnik")
            .into_iter()
            .map(PlatnikUbezpieczonego::read)
            .collect()
    }
}

/// `pobierzDanePlatnika`: a payer's data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PobierzDanePlatnika {
    /// The session.
    pub id_sesji: IdSesji,
    /// Which payer (*Platnik*).
    pub platnik: IdentyfikacjaPlatnika,
}

impl Operation for PobierzDanePlatnika {
    const NAME: &'static str = "pobierzDanePlatnika";
    /// The data, when ZUS has it.
    type Response = Option<DanePlatnika>;

    fn write(&self, w: &mut Writer) -> Result<()> {
        write_id(w, &self.id_sesji);
        self.platnik.write(w)
    }

    fn read(n: Node<'_, '_>) -> Result<Self::Response> {
        n.opt("DanePlatnika")?.map(DanePlatnika::read).transpose()
    }
}

/// `pobierzAdresyPlacowek`: the name and establishment addresses of a payer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PobierzAdresyPlacowek {
    /// The session.
    pub id_sesji: IdSesji,
    /// The payer's NIP.
    pub nip: Nip,
}

/// The response of [`PobierzAdresyPlacowek`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdresyPlacowek {
    /// The payer's name (*NazwaPlatnika*).
    pub nazwa_platnika: Option<String>,
    /// The establishments (*AdresyPlacowek*).
    pub adresy: Vec<AdresPlacowki>,
}

impl Operation for PobierzAdresyPlacowek {
    const NAME: &'static str = "pobierzAdresyPlacowek";
    type Response = AdresyPlacowek;

    fn write(&self, w: &mut Writer) -> Result<()> {
        write_id(w, &self.id_sesji);
        w.leaf("NIP", self.nip.as_str());
        Ok(())
    }

    fn read(n: Node<'_, '_>) -> Result<Self::Response> {
        Ok(AdresyPlacowek {
            nazwa_platnika: n.opt_text("NazwaPlatnika")?,
            adresy: n
                .all("AdresyPlacowek")
                .into_iter()
                .map(AdresPlacowki::read)
                .collect::<Result<_>>()?,
        })
    }
}

/// An address of the insured person (*Adres*).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdresUbezpieczonego {
    /// Postcode (`KodPocztowy`).
    pub kod_pocztowy: Option<String>,
    /// Town (`Miejscowosc`).
    pub miejscowosc: Option<String>,
    /// Street (`Ulica`).
    pub ulica: Option<String>,
    /// House number (`NrDomu`).
    pub nr_domu: Option<String>,
    /// Flat number (`NrLokalu`).
    pub nr_lokalu: Option<String>,
}

impl AdresUbezpieczonego {
    pub(crate) fn read(n: Node<'_, '_>) -> Result<Self> {
        Ok(AdresUbezpieczonego {
            kod_pocztowy: n.opt_text("KodPocztowy")?,
            miejscowosc: n.opt_text("Miejscowosc")?,
            ulica: n.opt_text("Ulica")?,
            nr_domu: n.opt_text("NrDomu")?,
            nr_lokalu: n.opt_text("NrLokalu")?,
        })
    }
}

/// The insured person's data (*DaneUbezpieczonego*).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DaneUbezpieczonego {
    /// First name (`Imie`).
    pub imie: String,
    /// Surname (`Nazwisko`).
    pub nazwisko: String,
    /// Birth date (`DataUrodzenia`).
    pub data_urodzenia: Option<String>,
    /// Date of death (`DataZgonu`).
    pub data_zgonu: Option<String>,
    /// Addresses (`Adres`).
    pub adres: Vec<AdresUbezpieczonego>,
}

impl DaneUbezpieczonego {
    pub(crate) fn read(n: Node<'_, '_>) -> Result<Self> {
        Ok(DaneUbezpieczonego {
            imie: n.req_text("Imie")?,
            nazwisko: n.req_text("Nazwisko")?,
            data_urodzenia: n.opt_text("DataUrodzenia")?,
            data_zgonu: n.opt_text("DataZgonu")?,
            adres: n
                .all("Adres")
                .into_iter()
                .map(AdresUbezpieczonego::read)
                .collect::<Result<_>>()?,
        })
    }
}

/// A family member of the insured person (*CzlonekRodzinyUbezpieczonego*).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CzlonekRodziny {
    /// First name (`Imie`).
    pub imie: String,
    /// Surname (`Nazwisko`).
    pub nazwisko: String,
    /// Birth date (`DataUrodzenia`).
    pub data_urodzenia: Date,
}

impl CzlonekRodziny {
    pub(crate) fn read(n: Node<'_, '_>) -> Result<Self> {
        Ok(CzlonekRodziny {
            imie: n.req_text("Imie")?,
            nazwisko: n.req_text("Nazwisko")?,
            data_urodzenia: n.req_date("DataUrodzenia")?,
        })
    }
}

/// A payer (employer) of the insured person (*Platnik*): one certificate is issued per payer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlatnikUbezpieczonego {
    /// Whether ZUS knows the payer (`PlatnikIstnieje`).
    pub platnik_istnieje: Option<bool>,
    /// Name (`Nazwa`).
    pub nazwa: Option<String>,
    /// First name (`Imie`).
    pub imie: Option<String>,
    /// Surname (`Nazwisko`).
    pub nazwisko: Option<String>,
    /// NIP (`NIP`).
    pub nip: Option<String>,
    /// PESEL (`Pesel`).
    pub pesel: Option<String>,
    /// Passport series and number (`SeriaNumerPaszportu`).
    pub seria_numer_paszportu: Option<String>,
    /// Whether the payer has a PUE profile (receives e-ZLA electronically) (`ProfilPUE`).
    pub profil_pue: bool,
}

impl PlatnikUbezpieczonego {
    pub(crate) fn read(n: Node<'_, '_>) -> Result<Self> {
        Ok(PlatnikUbezpieczonego {
            platnik_istnieje: n.opt_bool("PlatnikIstnieje")?,
            nazwa: n.opt_text("Nazwa")?,
            imie: n.opt_text("Imie")?,
            nazwisko: n.opt_text("Nazwisko")?,
            nip: n.opt_text("NIP")?,
            pesel: n.opt_text("Pesel")?,
            seria_numer_paszportu: n.opt_text("SeriaNumerPaszportu")?,
            profil_pue: n.req_bool("ProfilPUE")?,
        })
    }
}

/// A payer's data (*DanePlatnika*).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DanePlatnika {
    /// Whether ZUS knows the payer (`PlatnikIstnieje`).
    pub platnik_istnieje: Option<bool>,
    /// Name (`Nazwa`).
    pub nazwa: Option<String>,
    /// First name (`Imie`).
    pub imie: Option<String>,
    /// Surname (`Nazwisko`).
    pub nazwisko: Option<String>,
}

impl DanePlatnika {
    pub(crate) fn read(n: Node<'_, '_>) -> Result<Self> {
        Ok(DanePlatnika {
            platnik_istnieje: n.opt_bool("PlatnikIstnieje")?,
            nazwa: n.opt_text("Nazwa")?,
            imie: n.opt_text("Imie")?,
            nazwisko: n.opt_text("Nazwisko")?,
        })
    }
}

/// An address of a payer's establishment (*AdresyPlacowek*).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdresPlacowki {
    /// Postcode (`KodPocztowy`).
    pub kod_pocztowy: Option<String>,
    /// Town (`Miejscowosc`).
    pub miejscowosc: Option<String>,
    /// Street (`Ulica`).
    pub ulica: Option<String>,
    /// House number (`NumerDomu`).
    pub numer_domu: Option<String>,
    /// Flat number (`NumerLokalu`).
    pub numer_lokalu: Option<String>,
}

impl AdresPlacowki {
    pub(crate) fn read(n: Node<'_, '_>) -> Result<Self> {
        Ok(AdresPlacowki {
            kod_pocztowy: n.opt_text("KodPocztowy")?,
            miejscowosc: n.opt_text("Miejscowosc")?,
            ulica: n.opt_text("Ulica")?,
            numer_domu: n.opt_text("NumerDomu")?,
            numer_lokalu: n.opt_text("NumerLokalu")?,
        })
    }
}
