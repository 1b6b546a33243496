//! The doctor: data from the register, places of practice, the right to issue on a day.

use time::Date;

use super::wire::{Node, format_date};
use super::{IdSesji, Operation, write_id};
use crate::error::Result;
use crate::xml::Writer;

/// `pobierzDaneLekarza`: the logged-in doctor's data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PobierzDaneLekarza {
    /// The session.
    pub id_sesji: IdSesji,
}

impl Operation for PobierzDaneLekarza {
    const NAME: &'static str = "pobierzDaneLekarza";
    /// The data, when ZUS has it.
    type Response = Option<DaneLekarza>;

    fn write(&self, w: &mut Writer) -> Result<()> {
        write_id(w, &self.id_sesji);
        Ok(())
    }

    fn read(n: Node<'_, '_>) -> Result<Self::Response> {
        n.opt("DaneLekarza")?.map(DaneLekarza::read).transpose()
    }
}

/// `pobierzMiejsceWykonywaniaZawodu`: the logged-in doctor's places of practice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PobierzMiejsceWykonywaniaZawodu {
    /// The session.
    pub id_sesji: IdSesji,
}

impl Operation for PobierzMiejsceWykonywaniaZawodu {
    const NAME: &'static str = "pobierzMiejsceWykonywaniaZawodu";
    type Response = Vec<MiejsceWykonywaniaZawodu>;

    fn write(&self, w: &mut Writer) -> Result<()> {
        write_id(w, &self.id_sesji);
        Ok(())
    }

    fn read(n: Node<'_, '_>) -> Result<Self::Response> {
        n.all("MiejsceWykonywaniaZawodu")
            .into_iter()
            .map(MiejsceWykonywaniaZawodu::read)
            .collect()
    }
}

/// `pobierzUprawnieniaNaDzien`: whether the doctor may issue certificates on a day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PobierzUprawnieniaNaDzien {
    /// The session.
    pub id_sesji: IdSesji,
    /// The day (*Data*); `None` asks about today.
    pub data: Option<Date>,
}

impl Operation for PobierzUprawnieniaNaDzien {
    const NAME: &'static str = "pobierzUprawnieniaNaDzien";
    /// *MozliwoscWystawianiaZaswiadczenia*, when ZUS says.
    type Response = Option<bool>;

    fn write(&self, w: &mut Writer) -> Result<()> {
        write_id(w, &self.id_sesji);
        if let Some(d) = self.data {
            w.leaf("Data", &format_date(d));
        }
        Ok(())
    }

    fn read(n: Node<'_, '_>) -> Result<Self::Response> {
        n.opt_bool("MozliwoscWystawianiaZaswiadczenia")
    }
}

/// The doctor's status in the register (*StatusLekarza*).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusLekarza {
    /// Date of the decision (`DataWydaniaDecyzji`).
    pub data_wydania_decyzji: Option<String>,
    /// Status (`Status`).
    pub status: Option<String>,
}

impl StatusLekarza {
    pub(crate) fn read(n: Node<'_, '_>) -> Result<Self> {
        Ok(StatusLekarza {
            data_wydania_decyzji: n.opt_text("DataWydaniaDecyzji")?,
            status: n.opt_text("Status")?,
        })
    }
}

/// A specialisation the doctor holds (*PosiadanaSpecjalizacja*).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Specjalizacja {
    /// Specialisation code (`KodSpecjalizacji`).
    pub kod_specjalizacji: Option<String>,
    /// Specialisation name (`NazwaSpecjalizacji`).
    pub nazwa_specjalizacji: Option<String>,
    /// Degree of the specialisation (`StopienSpecjalizacji`).
    pub stopien_specjalizacji: Option<String>,
}

impl Specjalizacja {
    pub(crate) fn read(n: Node<'_, '_>) -> Result<Self> {
        Ok(Specjalizacja {
            kod_specjalizacji: n.opt_text("KodSpecjalizacji")?,
            nazwa_specjalizacji: n.opt_text("NazwaSpecjalizacji")?,
            stopien_specjalizacji: n.opt_text("StopienSpecjalizacji")?,
        })
    }
}

/// An address of the doctor (*Adres*).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdresLekarza {
    /// Street (`Ulica`).
    pub ulica: Option<String>,
    /// House number (`NrDomu`).
    pub nr_domu: Option<String>,
    /// Flat number (`NrLokalu`).
    pub nr_lokalu: Option<String>,
    /// Postcode (`KodPocztowy`).
    pub kod_pocztowy: Option<String>,
    /// Town (`Miejscowosc`).
    pub miejscowosc: Option<String>,
}

impl AdresLekarza {
    pub(crate) fn read(n: Node<'_, '_>) -> Result<Self> {
        Ok(AdresLekarza {
            ulica: n.opt_text("Ulica")?,
            nr_domu: n.opt_text("NrDomu")?,
            nr_lokalu: n.opt_text("NrLokalu")?,
            kod_pocztowy: n.opt_text("KodPocztowy")?,
            miejscowosc: n.opt_text("Miejscowosc")?,
        })
    }
}

/// A place where the doctor practises (*MiejsceWykonywaniaZawodu*), spelled as ZUS has it: use it verbatim in documents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MiejsceWykonywaniaZawodu {
    /// Name (`Nazwa`).
    pub nazwa: Option<String>,
    /// NIP (`NIP`).
    pub nip: Option<String>,
    /// E-mail address (`AdresEMail`).
    pub adres_email: Option<String>,
    /// Fax number (`NumerFaksu`).
    pub numer_faksu: Option<String>,
    /// Phone number (`NumerTelefonu`).
    pub numer_telefonu: Option<String>,
    /// Street (`Ulica`).
    pub ulica: Option<String>,
    /// House number (`NrDomu`).
    pub nr_domu: Option<String>,
    /// Flat number (`NrLokalu`).
    pub nr_lokalu: Option<String>,
    /// Postcode (`KodPocztowy`).
    pub kod_pocztowy: Option<String>,
    /// Town (`Miejscowosc`).
    pub miejscowosc: Option<String>,
    /// `IdMiejsca`: the identifier of the place, in later versions \[S\].
    pub id_miejsca: Option<String>,
}

impl MiejsceWykonywaniaZawodu {
    pub(crate) fn read(n: Node<'_, '_>) -> Result<Self> {
        Ok(MiejsceWykonywaniaZawodu {
            nazwa: n.opt_text("Nazwa")?,
            nip: n.opt_text("NIP")?,
            adres_email: n.opt_text("AdresEMail")?,
            numer_faksu: n.opt_text("NumerFaksu")?,
            numer_telefonu: n.opt_text("NumerTelefonu")?,
            ulica: n.opt_text("Ulica")?,
            nr_domu: n.opt_text("NrDomu")?,
            nr_lokalu: n.opt_text("NrLokalu")?,
            kod_pocztowy: n.opt_text("KodPocztowy")?,
            miejscowosc: n.opt_text("Miejscowosc")?,
            id_miejsca: n.opt_text("IdMiejsca")?,
        })
    }
}

/// The doctor's data (*DaneLekarza*).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DaneLekarza {
    /// First name (`Imie`).
    pub imie: Option<String>,
    /// Surname (`Nazwisko`).
    pub nazwisko: Option<String>,
    /// PESEL (`Pesel`).
    pub pesel: Option<String>,
    /// Licence number (NPWZ) (`NumerPrawaWykonywaniaZawodu`).
    pub numer_prawa_wykonywania_zawodu: Option<String>,
    /// The regional medical chamber (`NazwaOkregowejIzbyLekarskiej`).
    pub nazwa_okregowej_izby_lekarskiej: Option<String>,
    /// Status in the register (`StatusLekarza`).
    pub status_lekarza: Option<StatusLekarza>,
    /// Specialisations (`PosiadanaSpecjalizacja`).
    pub posiadana_specjalizacja: Vec<Specjalizacja>,
    /// Addresses (`Adres`).
    pub adres: Vec<AdresLekarza>,
    /// Places of practice (`MiejsceWykonywaniaZawodu`).
    pub miejsce_wykonywania_zawodu: Vec<MiejsceWykonywaniaZawodu>,
}

impl DaneLekarza {
    pub(crate) fn read(n: Node<'_, '_>) -> Result<Self> {
        Ok(DaneLekarza {
            imie: n.opt_text("Imie")?,
            nazwisko: n.opt_text("Nazwisko")?,
            pesel: n.opt_text("Pesel")?,
            numer_prawa_wykonywania_zawodu: n.opt_text("NumerPrawaWykonywaniaZawodu")?,
            nazwa_okregowej_izby_lekarskiej: n.opt_text("NazwaOkregowejIzbyLekarskiej")?,
            status_lekarza: n
                .opt("StatusLekarza")?
                .map(StatusLekarza::read)
                .transpose()?,
            posiadana_specjalizacja: n
                .all("PosiadanaSpecjalizacja")
                .into_iter()
                .map(Specjalizacja::read)
                .collect::<Result<_>>()?,
            adres: n
                .all("Adres")
                .into_iter()
                .map(AdresLekarza::read)
                .collect::<Result<_>>()?,
            miejsce_wykonywania_zawodu: n
                .all("MiejsceWykonywaniaZawodu")
                .into_iter()
                .map(MiejsceWykonywaniaZawodu::read)
                .collect::<Result<_>>()?,
        })
    }
}
