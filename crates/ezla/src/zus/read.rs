//! Reading back: documents and receipts, the doctor's lists of certificates and their
//! details, the insured person's certificates and rehabilitation requests, related
//! certificates, the statuses of printed forms.

use time::Date;

use super::types::{write_seria_numer, write_sort_filter};
use super::wire::{Node, format_date};
use super::{
    Filtrowanie, IdSesji, IdentyfikacjaUbezpieczonego, KodPokrewienstwa, KontekstDostepu,
    Operation, RodzajDokumentu, SeriaNumer, Sortowanie, Stronicowanie, write_id,
};
use crate::error::Result;
use crate::pl::Nip;
use crate::xml::Writer;

/// `pobierzDokument`: a document kept by ZUS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PobierzDokument {
    /// The session.
    pub id_sesji: IdSesji,
    /// Which kind (*RodzajDokumentu*).
    pub rodzaj_dokumentu: RodzajDokumentu,
    /// Its series and number (*SeriaNumerZla*).
    pub seria_numer: SeriaNumer,
    /// Why (*KontekstDostepu*).
    pub kontekst_dostepu: KontekstDostepu,
}

/// The response of [`PobierzDokument`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PobranyDokument {
    /// The KEDU schema version (*WersjaKedu*), when given.
    pub wersja_kedu: Option<String>,
    /// The KEDU XML, verbatim, when given (*Dokument/KEDU*).
    pub kedu: Option<String>,
}

impl Operation for PobierzDokument {
    const NAME: &'static str = "pobierzDokument";
    type Response = PobranyDokument;

    fn write(&self, w: &mut Writer) -> Result<()> {
        write_id(w, &self.id_sesji);
        w.leaf("RodzajDokumentu", self.rodzaj_dokumentu.as_str());
        write_seria_numer(w, "SeriaNumerZla", &self.seria_numer)?;
        w.leaf("KontekstDostepu", self.kontekst_dostepu.as_str());
        Ok(())
    }

    fn read(n: Node<'_, '_>) -> Result<Self::Response> {
        Ok(PobranyDokument {
            wersja_kedu: n.opt_text("WersjaKedu")?,
            kedu: n.opt("Dokument")?.map(|d| d.req_text("KEDU")).transpose()?,
        })
    }
}

/// `pobierzUppDlaDokumentu`: the receipt (UPP) of a document, again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PobierzUppDlaDokumentu {
    /// The session.
    pub id_sesji: IdSesji,
    /// Which kind (*RodzajDokumentu*).
    pub rodzaj_dokumentu: RodzajDokumentu,
    /// Its series and number (*SeriaNumerZla*).
    pub seria_numer: SeriaNumer,
}

impl Operation for PobierzUppDlaDokumentu {
    const NAME: &'static str = "pobierzUppDlaDokumentu";
    /// The receipt (*UPP/UPP*), a verbatim XML string, when given.
    type Response = Option<String>;

    fn write(&self, w: &mut Writer) -> Result<()> {
        write_id(w, &self.id_sesji);
        w.leaf("RodzajDokumentu", self.rodzaj_dokumentu.as_str());
        write_seria_numer(w, "SeriaNumerZla", &self.seria_numer)
    }

    fn read(n: Node<'_, '_>) -> Result<Self::Response> {
        n.opt("UPP")?.map(|u| u.req_text("UPP")).transpose()
    }
}

/// A page of certificates: the response of the list operations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListaZla {
    /// How many records there are in all (*LiczbaWszystkichRekordow*), when given.
    pub liczba_wszystkich_rekordow: Option<i64>,
    /// The certificates of the page (*ZaswiadczenieLekarskie*).
    pub zaswiadczenia: Vec<ZaswiadczenieLekarskie>,
}

impl ListaZla {
    fn read(n: Node<'_, '_>) -> Result<Self> {
        Ok(ListaZla {
            liczba_wszystkich_rekordow: n.opt_long("LiczbaWszystkichRekordow")?,
            zaswiadczenia: n
                .all("ZaswiadczenieLekarskie")
                .into_iter()
                .map(ZaswiadczenieLekarskie::read)
                .collect::<Result<_>>()?,
        })
    }
}

/// `pobierzListeBiezacychZlaLekarza`: the doctor's current certificates, a page at a time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PobierzListeBiezacychZlaLekarza {
    /// The session.
    pub id_sesji: IdSesji,
    /// Which page.
    pub stronicowanie: Stronicowanie,
    /// How to sort, if at all.
    pub sortowanie: Option<Sortowanie<KolumnaPue>>,
    /// How to filter, if at all.
    pub filtrowanie: Option<Filtrowanie<KolumnaPue>>,
    /// Why (*KontekstDostepu*).
    pub kontekst_dostepu: KontekstDostepu,
    /// Only certificates of this place of practice (*NipPlacowki*).
    pub nip_placowki: Option<Nip>,
}

impl Operation for PobierzListeBiezacychZlaLekarza {
    const NAME: &'static str = "pobierzListeBiezacychZlaLekarza";
    type Response = ListaZla;

    fn write(&self, w: &mut Writer) -> Result<()> {
        write_id(w, &self.id_sesji);
        self.stronicowanie.write(w);
        write_sort_filter(w, &self.sortowanie, &self.filtrowanie)?;
        w.leaf("KontekstDostepu", self.kontekst_dostepu.as_str());
        if let Some(nip) = &self.nip_placowki {
            w.leaf("NipPlacowki", nip.as_str());
        }
        Ok(())
    }

    fn read(n: Node<'_, '_>) -> Result<Self::Response> {
        ListaZla::read(n)
    }
}

/// `pobierzListePrzetworzonychZlaLekarza`: the doctor's processed certificates, a page at a
/// time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PobierzListePrzetworzonychZlaLekarza {
    /// The session.
    pub id_sesji: IdSesji,
    /// Which page.
    pub stronicowanie: Stronicowanie,
    /// How to sort, if at all.
    pub sortowanie: Option<Sortowanie<KolumnaKsi>>,
    /// How to filter, if at all.
    pub filtrowanie: Option<Filtrowanie<KolumnaKsi>>,
    /// Why (*KontekstDostepu*).
    pub kontekst_dostepu: KontekstDostepu,
    /// Only certificates of this place of practice (*NipPlacowki*).
    pub nip_placowki: Option<Nip>,
}

impl Operation for PobierzListePrzetworzonychZlaLekarza {
    const NAME: &'static str = "pobierzListePrzetworzonychZlaLekarza";
    type Response = ListaZla;

    fn write(&self, w: &mut Writer) -> Result<()> {
        write_id(w, &self.id_sesji);
        self.stronicowanie.write(w);
        write_sort_filter(w, &self.sortowanie, &self.filtrowanie)?;
        w.leaf("KontekstDostepu", self.kontekst_dostepu.as_str());
        if let Some(nip) = &self.nip_placowki {
            w.leaf("NipPlacowki", nip.as_str());
        }
        Ok(())
    }

    fn read(n: Node<'_, '_>) -> Result<Self::Response> {
        ListaZla::read(n)
    }
}

/// `pobierzListeZlaUbezpieczonego`: the insured person's certificates, a page at a time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PobierzListeZlaUbezpieczonego {
    /// The session.
    pub id_sesji: IdSesji,
    /// Who (*Ubezpieczony*).
    pub ubezpieczony: IdentyfikacjaUbezpieczonego,
    /// Which page.
    pub stronicowanie: Stronicowanie,
    /// How to sort, if at all.
    pub sortowanie: Option<Sortowanie<KolumnaKsi>>,
    /// How to filter, if at all.
    pub filtrowanie: Option<Filtrowanie<KolumnaKsi>>,
    /// Why (*KontekstDostepu*).
    pub kontekst_dostepu: KontekstDostepu,
}

impl Operation for PobierzListeZlaUbezpieczonego {
    const NAME: &'static str = "pobierzListeZlaUbezpieczonego";
    type Response = ListaZla;

    fn write(&self, w: &mut Writer) -> Result<()> {
        write_id(w, &self.id_sesji);
        self.ubezpieczony.write(w, "Ubezpieczony")?;
        self.stronicowanie.write(w);
        write_sort_filter(w, &self.sortowanie, &self.filtrowanie)?;
        w.leaf("KontekstDostepu", self.kontekst_dostepu.as_str());
        Ok(())
    }

    fn read(n: Node<'_, '_>) -> Result<Self::Response> {
        ListaZla::read(n)
    }
}

/// `pobierzSzczegolyZlaBiezace`: the full record of a current certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PobierzSzczegolyZlaBiezace {
    /// The session.
    pub id_sesji: IdSesji,
    /// Its series and number (*SeriaNumerZla*).
    pub seria_numer: SeriaNumer,
    /// Why (*KontekstDostepu*).
    pub kontekst_dostepu: KontekstDostepu,
}

impl Operation for PobierzSzczegolyZlaBiezace {
    const NAME: &'static str = "pobierzSzczegolyZlaBiezace";
    /// The record (*ZaswiadczenieBiezaceSzczegoly*), when given.
    type Response = Option<SzczegolyZla>;

    fn write(&self, w: &mut Writer) -> Result<()> {
        write_id(w, &self.id_sesji);
        write_seria_numer(w, "SeriaNumerZla", &self.seria_numer)?;
        w.leaf("KontekstDostepu", self.kontekst_dostepu.as_str());
        Ok(())
    }

    fn read(n: Node<'_, '_>) -> Result<Self::Response> {
        n.opt("ZaswiadczenieBiezaceSzczegoly")?
            .map(SzczegolyZla::read)
            .transpose()
    }
}

/// `pobierzSzczegolyZlaPrzetworzone`: the full record of a processed certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PobierzSzczegolyZlaPrzetworzone {
    /// The session.
    pub id_sesji: IdSesji,
    /// Its series and number (*SeriaNumerZla*).
    pub seria_numer: SeriaNumer,
    /// Why (*KontekstDostepu*).
    pub kontekst_dostepu: KontekstDostepu,
}

/// The response of [`PobierzSzczegolyZlaPrzetworzone`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SzczegolyZlaPrzetworzonego {
    /// The record (*ZaswiadczeniePrzetworzoneSzczegoly*), when given.
    pub szczegoly: Option<SzczegolyZla>,
    /// The correcting certificate (*ZaswiadczenieLekarskieKorygujace*), when there is one.
    pub korygujace: Option<ZlaKorygujace>,
}

impl Operation for PobierzSzczegolyZlaPrzetworzone {
    const NAME: &'static str = "pobierzSzczegolyZlaPrzetworzone";
    type Response = SzczegolyZlaPrzetworzonego;

    fn write(&self, w: &mut Writer) -> Result<()> {
        write_id(w, &self.id_sesji);
        write_seria_numer(w, "SeriaNumerZla", &self.seria_numer)?;
        w.leaf("KontekstDostepu", self.kontekst_dostepu.as_str());
        Ok(())
    }

    fn read(n: Node<'_, '_>) -> Result<Self::Response> {
        Ok(SzczegolyZlaPrzetworzonego {
            szczegoly: n
                .opt("ZaswiadczeniePrzetworzoneSzczegoly")?
                .map(SzczegolyZla::read)
                .transpose()?,
            korygujace: n
                .opt("ZaswiadczenieLekarskieKorygujace")?
                .map(ZlaKorygujace::read)
                .transpose()?,
        })
    }
}

/// `pobierzListePowiazanychZla`: the certificates related to one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PobierzListePowiazanychZla {
    /// The session.
    pub id_sesji: IdSesji,
    /// The certificate (*Zla*).
    pub zla: SeriaNumer,
}

/// The response of [`PobierzListePowiazanychZla`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListaPowiazanychZla {
    /// The related certificates (*PowiazaneZla*).
    pub powiazane: Vec<PowiazaneZla>,
    /// How many (*LiczbaPowiazanychZla*), when given.
    pub liczba: Option<i64>,
}

impl Operation for PobierzListePowiazanychZla {
    const NAME: &'static str = "pobierzListePowiazanychZla";
    type Response = ListaPowiazanychZla;

    fn write(&self, w: &mut Writer) -> Result<()> {
        write_id(w, &self.id_sesji);
        write_seria_numer(w, "Zla", &self.zla)
    }

    fn read(n: Node<'_, '_>) -> Result<Self::Response> {
        Ok(ListaPowiazanychZla {
            powiazane: n
                .all("PowiazaneZla")
                .into_iter()
                .map(PowiazaneZla::read)
                .collect::<Result<_>>()?,
            liczba: n.opt_long("LiczbaPowiazanychZla")?,
        })
    }
}

/// `pobierzListePr4Ubezpieczonego`: the insured person's rehabilitation requests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PobierzListePr4Ubezpieczonego {
    /// The session.
    pub id_sesji: IdSesji,
    /// Which page.
    pub stronicowanie: Stronicowanie,
    /// Who (*Ubezpieczony*).
    pub ubezpieczony: IdentyfikacjaUbezpieczonego,
    /// From this day (*DataOd*).
    pub data_od: Option<Date>,
    /// To this day (*DataDo*).
    pub data_do: Option<Date>,
    /// Why (*KontekstDostepu*).
    pub kontekst_dostepu: KontekstDostepu,
}

/// The response of [`PobierzListePr4Ubezpieczonego`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListaPr4 {
    /// The requests (*WniosekPr4*).
    pub wnioski: Vec<WniosekPr4>,
    /// How many records there are in all (*LiczbaWszystkichRekordow*), when given.
    pub liczba_wszystkich_rekordow: Option<i64>,
}

impl Operation for PobierzListePr4Ubezpieczonego {
    const NAME: &'static str = "pobierzListePr4Ubezpieczonego";
    type Response = ListaPr4;

    fn write(&self, w: &mut Writer) -> Result<()> {
        write_id(w, &self.id_sesji);
        self.stronicowanie.write(w);
        self.ubezpieczony.write(w, "Ubezpieczony")?;
        if let Some(d) = self.data_od {
            w.leaf("DataOd", &format_date(d));
        }
        if let Some(d) = self.data_do {
            w.leaf("DataDo", &format_date(d));
        }
        w.leaf("KontekstDostepu", self.kontekst_dostepu.as_str());
        Ok(())
    }

    fn read(n: Node<'_, '_>) -> Result<Self::Response> {
        Ok(ListaPr4 {
            wnioski: n
                .all("WniosekPr4")
                .into_iter()
                .map(WniosekPr4::read)
                .collect::<Result<_>>()?,
            liczba_wszystkich_rekordow: n.opt_long("LiczbaWszystkichRekordow")?,
        })
    }
}

/// `pobierzStatusyDrukowZla`: the statuses of the forms printed for the alternative mode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PobierzStatusyDrukowZla {
    /// The session.
    pub id_sesji: IdSesji,
    /// Which page.
    pub stronicowanie: Stronicowanie,
    /// How to sort, if at all.
    pub sortowanie: Option<Sortowanie<KolumnaDruku>>,
    /// How to filter, if at all (here a condition may have no value).
    pub filtrowanie: Option<Filtrowanie<KolumnaDruku>>,
    /// Only forms of this place of practice (*NipPlacowki*).
    pub nip_placowki: Option<Nip>,
}

/// The status of one printed form (*StatusDruku*).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusDrukuZla {
    /// The form's series and number (*SeriaNumer*), verbatim.
    pub seria_numer: String,
    /// Its status (*Status*).
    pub status: StatusDruku,
}

/// The response of [`PobierzStatusyDrukowZla`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusyDrukowZla {
    /// The forms (*StatusDruku*).
    pub statusy: Vec<StatusDrukuZla>,
    /// How many records there are in all (*LiczbaWszystkichRekordow*; a string in the
    /// WSDL), verbatim.
    pub liczba_wszystkich_rekordow: Option<String>,
}

impl Operation for PobierzStatusyDrukowZla {
    const NAME: &'static str = "pobierzStatusyDrukowZla";
    type Response = StatusyDrukowZla;

    fn write(&self, w: &mut Writer) -> Result<()> {
        write_id(w, &self.id_sesji);
        self.stronicowanie.write(w);
        if let Some(s) = &self.sortowanie {
            s.write(w)?;
        }
        if let Some(f) = &self.filtrowanie {
            f.write(w, false)?;
        }
        if let Some(nip) = &self.nip_placowki {
            w.leaf("NipPlacowki", nip.as_str());
        }
        Ok(())
    }

    fn read(n: Node<'_, '_>) -> Result<Self::Response> {
        Ok(StatusyDrukowZla {
            statusy: n
                .all("StatusDruku")
                .into_iter()
                .map(|s| {
                    Ok(StatusDrukuZla {
                        seria_numer: s.req_text("SeriaNumer")?,
                        status: s.req_enum("Status")?,
                    })
                })
                .collect::<Result<_>>()?,
            liczba_wszystkich_rekordow: n.opt_text("LiczbaWszystkichRekordow")?,
        })
    }
}

wire_enum! {
    /// A column of the lists of current certificates (*ZaswiadczenieLekarskiePueKolumnyEnumeracja*).
    KolumnaPue "ZaswiadczenieLekarskiePueKolumnyEnumeracja" {
        /// `IdentyfikatorUbezpieczonego`.
        IdentyfikatorUbezpieczonego = "IdentyfikatorUbezpieczonego",
        /// `TypIdentyfikatoraUbezpieczonego`.
        TypIdentyfikatoraUbezpieczonego = "TypIdentyfikatoraUbezpieczonego",
        /// `ImieUbezpieczonego`.
        ImieUbezpieczonego = "ImieUbezpieczonego",
        /// `NazwiskoUbezpieczonego`.
        NazwiskoUbezpieczonego = "NazwiskoUbezpieczonego",
        /// `NiezdolnoscDoPracyOd`.
        NiezdolnoscDoPracyOd = "NiezdolnoscDoPracyOd",
        /// `NiezdolnoscDoPracyDo`.
        NiezdolnoscDoPracyDo = "NiezdolnoscDoPracyDo",
        /// `LiczbaDniPobytuWSzpitalu`.
        LiczbaDniPobytuWSzpitalu = "LiczbaDniPobytuWSzpitalu",
        /// `KodPokrewienstwa`.
        KodPokrewienstwa = "KodPokrewienstwa",
        /// `DataUrodzeniaOsobySpokrewnionej`.
        DataUrodzeniaOsobySpokrewnionej = "DataUrodzeniaOsobySpokrewnionej",
        /// `IdentyfikatorPlatnika`.
        IdentyfikatorPlatnika = "IdentyfikatorPlatnika",
        /// `TypIdentyfikatoraPlatnika`.
        TypIdentyfikatoraPlatnika = "TypIdentyfikatoraPlatnika",
        /// `StatystycznyNumerChoroby`.
        StatystycznyNumerChoroby = "StatystycznyNumerChoroby",
        /// `NpwzLekarza`.
        NpwzLekarza = "NpwzLekarza",
        /// `ImieLekarza`.
        ImieLekarza = "ImieLekarza",
        /// `NazwiskoLekarza`.
        NazwiskoLekarza = "NazwiskoLekarza",
        /// `Status`.
        Status = "Status",
        /// `DataWystawieniaZla`.
        DataWystawieniaZla = "DataWystawieniaZla",
        /// `SeriaNumerZla`.
        SeriaNumerZla = "SeriaNumerZla",
        /// `PobytWSzpitaluOd`.
        PobytWSzpitaluOd = "PobytWSzpitaluOd",
        /// `PobytWSzpitaluDo`.
        PobytWSzpitaluDo = "PobytWSzpitaluDo",
    }
}

wire_enum! {
    /// A column of the lists of processed certificates (*ZaswiadczenieLekarskieKsiKolumnyEnumeracja*).
    KolumnaKsi "ZaswiadczenieLekarskieKsiKolumnyEnumeracja" {
        /// `SeriaZla`.
        SeriaZla = "SeriaZla",
        /// `NumerZla`.
        NumerZla = "NumerZla",
        /// `PeselUbezpieczonego`.
        PeselUbezpieczonego = "PeselUbezpieczonego",
        /// `NumerDokumentuUbezpieczonego`.
        NumerDokumentuUbezpieczonego = "NumerDokumentuUbezpieczonego",
        /// `ImieUbezpieczonego`.
        ImieUbezpieczonego = "ImieUbezpieczonego",
        /// `NazwiskoUbezpieczonego`.
        NazwiskoUbezpieczonego = "NazwiskoUbezpieczonego",
        /// `NiezdolnoscDoPracyOd`.
        NiezdolnoscDoPracyOd = "NiezdolnoscDoPracyOd",
        /// `NiezdolnoscDoPracyDo`.
        NiezdolnoscDoPracyDo = "NiezdolnoscDoPracyDo",
        /// `LiczbaDniPobytuWSzpitalu`.
        LiczbaDniPobytuWSzpitalu = "LiczbaDniPobytuWSzpitalu",
        /// `KodPokrewienstwa`.
        KodPokrewienstwa = "KodPokrewienstwa",
        /// `DataUrodzeniaOsobySpokrewnionej`.
        DataUrodzeniaOsobySpokrewnionej = "DataUrodzeniaOsobySpokrewnionej",
        /// `StatystycznyNumerChoroby`.
        StatystycznyNumerChoroby = "StatystycznyNumerChoroby",
        /// `ImieLekarza`.
        ImieLekarza = "ImieLekarza",
        /// `NazwiskoLekarza`.
        NazwiskoLekarza = "NazwiskoLekarza",
        /// `IdentyfikatorLekarza`.
        IdentyfikatorLekarza = "IdentyfikatorLekarza",
        /// `DataWystawieniaZla`.
        DataWystawieniaZla = "DataWystawieniaZla",
        /// `Status`.
        Status = "Status",
        /// `IdentyfikatorPlatnika`.
        IdentyfikatorPlatnika = "IdentyfikatorPlatnika",
        /// `TypIdentyfikatoraPlatnika`.
        TypIdentyfikatoraPlatnika = "TypIdentyfikatoraPlatnika",
        /// `PobytWSzpitaluOd`.
        PobytWSzpitaluOd = "PobytWSzpitaluOd",
        /// `PobytWSzpitaluDo`.
        PobytWSzpitaluDo = "PobytWSzpitaluDo",
    }
}

wire_enum! {
    /// A column of the list of printed forms (*DrukZlaKolumnyEnumeracja*).
    KolumnaDruku "DrukZlaKolumnyEnumeracja" {
        /// `Status`.
        Status = "Status",
        /// `SeriaNumer`.
        SeriaNumer = "SeriaNumer",
    }
}

wire_enum! {
    /// The status of a printed form (*StatusDrukuEnumeracja*).
    StatusDruku "StatusDrukuEnumeracja" {
        /// `UNIEWAZNIONY`.
        Uniewazniony = "UNIEWAZNIONY",
        /// `ELEKTRONIZOWANY`.
        Elektronizowany = "ELEKTRONIZOWANY",
        /// `WYDRUKOWANY`.
        Wydrukowany = "WYDRUKOWANY",
        /// `ZWERYFIKOWANY`.
        Zweryfikowany = "ZWERYFIKOWANY",
        /// `WYKORZYSTANY`.
        Wykorzystany = "WYKORZYSTANY",
        /// `ROBOCZY`.
        Roboczy = "ROBOCZY",
    }
}

wire_enum! {
    /// The kind of the insured person's identifier (*TypIdUbezpieczonegoEnumeracja*).
    TypIdUbezpieczonego "TypIdUbezpieczonegoEnumeracja" {
        /// `PESEL`.
        Pesel = "PESEL",
        /// `SeriaNumerPaszportu`.
        SeriaNumerPaszportu = "SeriaNumerPaszportu",
    }
}

/// A certificate in a list (*ZaswiadczenieLekarskie*), as ZUS sends it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZaswiadczenieLekarskie {
    /// The insured person's PESEL (`PeselUbezpieczonego`).
    pub pesel_ubezpieczonego: Option<String>,
    /// The insured person's passport (`PaszportUbezpieczonego`).
    pub paszport_ubezpieczonego: Option<String>,
    /// The insured person's first name (`ImieUbezpieczonego`).
    pub imie_ubezpieczonego: Option<String>,
    /// The insured person's surname (`NazwiskoUbezpieczonego`).
    pub nazwisko_ubezpieczonego: Option<String>,
    /// First day of incapacity (`NiezdolnoscDoPracyOd`).
    pub niezdolnosc_do_pracy_od: Option<String>,
    /// Last day of incapacity (`NiezdolnoscDoPracyDo`).
    pub niezdolnosc_do_pracy_do: Option<String>,
    /// Days in hospital (`LiczbaDniPobytuWSzpitalu`).
    pub liczba_dni_pobytu_w_szpitalu: Option<i64>,
    /// Hospital stay from (`PobytWSzpitaluOd`).
    pub pobyt_w_szpitalu_od: Option<String>,
    /// Hospital stay to (`PobytWSzpitaluDo`).
    pub pobyt_w_szpitalu_do: Option<String>,
    /// Kinship code (`KodPokrewienstwa`).
    pub kod_pokrewienstwa: Option<KodPokrewienstwa>,
    /// Birth date of the person cared for (`DataUrodzeniaOsobySpokrewnionej`).
    pub data_urodzenia_osoby_spokrewnionej: Option<String>,
    /// The payer's identifier (`IdentyfikatorPlatnika`).
    pub identyfikator_platnika: Option<String>,
    /// Kind of the payer's identifier (`TypIdentyfikatoraPlatnika`).
    pub typ_identyfikatora_platnika: Option<String>,
    /// ICD-10 statistical code (`StatystycznyNumerChoroby`).
    pub statystyczny_numer_choroby: Option<String>,
    /// The doctor's licence number (`NpwzLekarza`).
    pub npwz_lekarza: Option<String>,
    /// The doctor's first name (`ImieLekarza`).
    pub imie_lekarza: Option<String>,
    /// The doctor's surname (`NazwiskoLekarza`).
    pub nazwisko_lekarza: Option<String>,
    /// Status of the certificate (`StatusZla`).
    pub status_zla: Option<String>,
    /// Issue date (`DataWystawieniaZla`).
    pub data_wystawienia_zla: Option<String>,
    /// Series (`SeriaZla`).
    pub seria_zla: Option<String>,
    /// Number (`NumerZla`).
    pub numer_zla: Option<String>,
}

impl ZaswiadczenieLekarskie {
    pub(crate) fn read(n: Node<'_, '_>) -> Result<Self> {
        Ok(ZaswiadczenieLekarskie {
            pesel_ubezpieczonego: n.opt_text("PeselUbezpieczonego")?,
            paszport_ubezpieczonego: n.opt_text("PaszportUbezpieczonego")?,
            imie_ubezpieczonego: n.opt_text("ImieUbezpieczonego")?,
            nazwisko_ubezpieczonego: n.opt_text("NazwiskoUbezpieczonego")?,
            niezdolnosc_do_pracy_od: n.opt_text("NiezdolnoscDoPracyOd")?,
            niezdolnosc_do_pracy_do: n.opt_text("NiezdolnoscDoPracyDo")?,
            liczba_dni_pobytu_w_szpitalu: n.opt_long("LiczbaDniPobytuWSzpitalu")?,
            pobyt_w_szpitalu_od: n.opt_text("PobytWSzpitaluOd")?,
            pobyt_w_szpitalu_do: n.opt_text("PobytWSzpitaluDo")?,
            kod_pokrewienstwa: n.opt_enum("KodPokrewienstwa")?,
            data_urodzenia_osoby_spokrewnionej: n.opt_text("DataUrodzeniaOsobySpokrewnionej")?,
            identyfikator_platnika: n.opt_text("IdentyfikatorPlatnika")?,
            typ_identyfikatora_platnika: n.opt_text("TypIdentyfikatoraPlatnika")?,
            statystyczny_numer_choroby: n.opt_text("StatystycznyNumerChoroby")?,
            npwz_lekarza: n.opt_text("NpwzLekarza")?,
            imie_lekarza: n.opt_text("ImieLekarza")?,
            nazwisko_lekarza: n.opt_text("NazwiskoLekarza")?,
            status_zla: n.opt_text("StatusZla")?,
            data_wystawienia_zla: n.opt_text("DataWystawieniaZla")?,
            seria_zla: n.opt_text("SeriaZla")?,
            numer_zla: n.opt_text("NumerZla")?,
        })
    }
}

/// The full record of a certificate (*ZaswiadczenieLekarskieDanePelne*).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SzczegolyZla {
    /// The insured person's PESEL (`PeselUbezpieczonego`).
    pub pesel_ubezpieczonego: Option<String>,
    /// The insured person's passport (`PaszportUbezpieczonego`).
    pub paszport_ubezpieczonego: Option<String>,
    /// Where the person is insured (`MiejsceUbezpieczenia`).
    pub miejsce_ubezpieczenia: String,
    /// The insured person's first name (`ImieUbezpieczonego`).
    pub imie_ubezpieczonego: String,
    /// The insured person's surname (`NazwiskoUbezpieczonego`).
    pub nazwisko_ubezpieczonego: String,
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
    /// The insured person's birth date (`DataUrodzeniaUbezpieczonego`).
    pub data_urodzenia_ubezpieczonego: Option<Date>,
    /// First day of incapacity (`NiezdolnoscDoPracyOd`).
    pub niezdolnosc_do_pracy_od: Date,
    /// Last day of incapacity (`NiezdolnoscDoPracyDo`).
    pub niezdolnosc_do_pracy_do: Date,
    /// Hospital stay from (`PobytWSzpitaluOd`).
    pub pobyt_w_szpitalu_od: Option<Date>,
    /// Hospital stay to (`PobytWSzpitaluDo`).
    pub pobyt_w_szpitalu_do: Option<Date>,
    /// Kinship code (`KodPokrewienstwa`).
    pub kod_pokrewienstwa: Option<KodPokrewienstwa>,
    /// Birth date of the person cared for (`DataUrodzeniaOsobySpokrewnionej`).
    pub data_urodzenia_osoby_spokrewnionej: Option<Date>,
    /// The payer's identifier (`IdentyfikatorPlatnika`).
    pub identyfikator_platnika: Option<String>,
    /// Kind of the payer's identifier (`TypIdentyfikatoraPlatnika`).
    pub typ_identyfikatora_platnika: Option<String>,
    /// ICD-10 statistical code (`StatystycznyNumerChoroby`).
    pub statystyczny_numer_choroby: Option<String>,
    /// Letter code 1 (`KodChorobyPierwszy`).
    pub kod_choroby_pierwszy: Option<String>,
    /// Letter code 2 (`KodChorobyDrugi`).
    pub kod_choroby_drugi: Option<String>,
    /// Letter code 3 (`KodChorobyTrzeci`).
    pub kod_choroby_trzeci: Option<String>,
    /// Letter code 4 (`KodChorobyCzwarty`).
    pub kod_choroby_czwarty: Option<String>,
    /// Letter code 5 (`KodChorobyPiaty`).
    pub kod_choroby_piaty: Option<String>,
    /// Medical indication (1 must lie, 2 may walk) (`WskazanieLekarskie`).
    pub wskazanie_lekarskie: Option<String>,
    /// Stay in an inpatient facility (`PobytStacjonarnyZoz`).
    pub pobyt_stacjonarny_zoz: Option<bool>,
    /// The doctor's licence number (`NpwzLekarza`).
    pub npwz_lekarza: String,
    /// The doctor's surname (`NazwiskoLekarza`).
    pub nazwisko_lekarza: String,
    /// The doctor's first name (`ImieLekarza`).
    pub imie_lekarza: String,
    /// Place of practice: NIP (`PwdlNip`).
    pub pwdl_nip: Option<String>,
    /// Place of practice: short name (`PwdlNazwaSkrocona`).
    pub pwdl_nazwa_skrocona: Option<String>,
    /// Place of practice: postcode (`PwdlKodPocztowy`).
    pub pwdl_kod_pocztowy: Option<String>,
    /// Place of practice: town (`PwdlMiejscowosc`).
    pub pwdl_miejscowosc: Option<String>,
    /// Place of practice: street (`PwdlUlica`).
    pub pwdl_ulica: Option<String>,
    /// Place of practice: house number (`PwdlNrDomu`).
    pub pwdl_nr_domu: Option<String>,
    /// Place of practice: flat number (`PwdlNrLokalu`).
    pub pwdl_nr_lokalu: Option<String>,
    /// Status of the certificate (`StatusZla`).
    pub status_zla: String,
    /// Issue date (`DataWystawieniaZla`).
    pub data_wystawienia_zla: Date,
    /// Series (`SeriaZla`).
    pub seria_zla: String,
    /// Number (`NumerZla`).
    pub numer_zla: String,
    /// Justification of a backdated certificate (`UzasadnienieZaswiadczeniaWstecznego`).
    pub uzasadnienie_zaswiadczenia_wstecznego: Option<String>,
    /// Hidden from the payer (`UkryteDlaPlatnika`).
    pub ukryte_dla_platnika: Option<bool>,
    /// Cancellation reason code (`KodPrzyczynyAnulowania`).
    pub kod_przyczyny_anulowania: Option<String>,
}

impl SzczegolyZla {
    pub(crate) fn read(n: Node<'_, '_>) -> Result<Self> {
        Ok(SzczegolyZla {
            pesel_ubezpieczonego: n.opt_text("PeselUbezpieczonego")?,
            paszport_ubezpieczonego: n.opt_text("PaszportUbezpieczonego")?,
            miejsce_ubezpieczenia: n.req_text("MiejsceUbezpieczenia")?,
            imie_ubezpieczonego: n.req_text("ImieUbezpieczonego")?,
            nazwisko_ubezpieczonego: n.req_text("NazwiskoUbezpieczonego")?,
            ulica: n.opt_text("Ulica")?,
            nr_domu: n.opt_text("NrDomu")?,
            nr_lokalu: n.opt_text("NrLokalu")?,
            kod_pocztowy: n.opt_text("KodPocztowy")?,
            miejscowosc: n.opt_text("Miejscowosc")?,
            data_urodzenia_ubezpieczonego: n.opt_date("DataUrodzeniaUbezpieczonego")?,
            niezdolnosc_do_pracy_od: n.req_date("NiezdolnoscDoPracyOd")?,
            niezdolnosc_do_pracy_do: n.req_date("NiezdolnoscDoPracyDo")?,
            pobyt_w_szpitalu_od: n.opt_date("PobytWSzpitaluOd")?,
            pobyt_w_szpitalu_do: n.opt_date("PobytWSzpitaluDo")?,
            kod_pokrewienstwa: n.opt_enum("KodPokrewienstwa")?,
            data_urodzenia_osoby_spokrewnionej: n.opt_date("DataUrodzeniaOsobySpokrewnionej")?,
            identyfikator_platnika: n.opt_text("IdentyfikatorPlatnika")?,
            typ_identyfikatora_platnika: n.opt_text("TypIdentyfikatoraPlatnika")?,
            statystyczny_numer_choroby: n.opt_text("StatystycznyNumerChoroby")?,
            kod_choroby_pierwszy: n.opt_text("KodChorobyPierwszy")?,
            kod_choroby_drugi: n.opt_text("KodChorobyDrugi")?,
            kod_choroby_trzeci: n.opt_text("KodChorobyTrzeci")?,
            kod_choroby_czwarty: n.opt_text("KodChorobyCzwarty")?,
            kod_choroby_piaty: n.opt_text("KodChorobyPiaty")?,
            wskazanie_lekarskie: n.opt_text("WskazanieLekarskie")?,
            pobyt_stacjonarny_zoz: n.opt_bool("PobytStacjonarnyZoz")?,
            npwz_lekarza: n.req_text("NpwzLekarza")?,
            nazwisko_lekarza: n.req_text("NazwiskoLekarza")?,
            imie_lekarza: n.req_text("ImieLekarza")?,
            pwdl_nip: n.opt_text("PwdlNip")?,
            pwdl_nazwa_skrocona: n.opt_text("PwdlNazwaSkrocona")?,
            pwdl_kod_pocztowy: n.opt_text("PwdlKodPocztowy")?,
            pwdl_miejscowosc: n.opt_text("PwdlMiejscowosc")?,
            pwdl_ulica: n.opt_text("PwdlUlica")?,
            pwdl_nr_domu: n.opt_text("PwdlNrDomu")?,
            pwdl_nr_lokalu: n.opt_text("PwdlNrLokalu")?,
            status_zla: n.req_text("StatusZla")?,
            data_wystawienia_zla: n.req_date("DataWystawieniaZla")?,
            seria_zla: n.req_text("SeriaZla")?,
            numer_zla: n.req_text("NumerZla")?,
            uzasadnienie_zaswiadczenia_wstecznego: n
                .opt_text("UzasadnienieZaswiadczeniaWstecznego")?,
            ukryte_dla_platnika: n.opt_bool("UkryteDlaPlatnika")?,
            kod_przyczyny_anulowania: n.opt_text("KodPrzyczynyAnulowania")?,
        })
    }
}

/// The certificate correcting a processed one (*ZaswiadczenieLekarskieKsiKorygujace*).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZlaKorygujace {
    /// The insured person's identifier (`IdentyfikatorUbezpieczonego`).
    pub identyfikator_ubezpieczonego: Option<String>,
    /// Kind of the insured person's identifier (`TypIdentyfikatoraUbezpieczonego`).
    pub typ_identyfikatora_ubezpieczonego: Option<TypIdUbezpieczonego>,
    /// The insured person's first name (`ImieUbezpieczonego`).
    pub imie_ubezpieczonego: Option<String>,
    /// The insured person's surname (`NazwiskoUbezpieczonego`).
    pub nazwisko_ubezpieczonego: Option<String>,
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
    /// The insured person's birth date (`DataUrodzeniaUbezpieczonego`).
    pub data_urodzenia_ubezpieczonego: Option<Date>,
    /// End of the incapacity (`DataUstaniaNiezdolnosciDoPracy`).
    pub data_ustania_niezdolnosci_do_pracy: Option<Date>,
    /// Name of the organisational unit (TJO) (`NazwaTjo`).
    pub nazwa_tjo: Option<String>,
    /// The payer's identifier (`IdentyfikatorPlatnika`).
    pub identyfikator_platnika: Option<String>,
    /// Kind of the payer's identifier (`TypIdentyfikatoraPlatnika`).
    pub typ_identyfikatora_platnika: Option<String>,
    /// Series and number (`SeriaNumerZla`).
    pub seria_numer_zla: Option<String>,
    /// Issue date of the correcting certificate (`DataWystawieniaZlaKorygujacego`).
    pub data_wystawienia_zla_korygujacego: Option<Date>,
}

impl ZlaKorygujace {
    pub(crate) fn read(n: Node<'_, '_>) -> Result<Self> {
        Ok(ZlaKorygujace {
            identyfikator_ubezpieczonego: n.opt_text("IdentyfikatorUbezpieczonego")?,
            typ_identyfikatora_ubezpieczonego: n.opt_enum("TypIdentyfikatoraUbezpieczonego")?,
            imie_ubezpieczonego: n.opt_text("ImieUbezpieczonego")?,
            nazwisko_ubezpieczonego: n.opt_text("NazwiskoUbezpieczonego")?,
            ulica: n.opt_text("Ulica")?,
            nr_domu: n.opt_text("NrDomu")?,
            nr_lokalu: n.opt_text("NrLokalu")?,
            kod_pocztowy: n.opt_text("KodPocztowy")?,
            miejscowosc: n.opt_text("Miejscowosc")?,
            data_urodzenia_ubezpieczonego: n.opt_date("DataUrodzeniaUbezpieczonego")?,
            data_ustania_niezdolnosci_do_pracy: n.opt_date("DataUstaniaNiezdolnosciDoPracy")?,
            nazwa_tjo: n.opt_text("NazwaTjo")?,
            identyfikator_platnika: n.opt_text("IdentyfikatorPlatnika")?,
            typ_identyfikatora_platnika: n.opt_text("TypIdentyfikatoraPlatnika")?,
            seria_numer_zla: n.opt_text("SeriaNumerZla")?,
            data_wystawienia_zla_korygujacego: n.opt_date("DataWystawieniaZlaKorygujacego")?,
        })
    }
}

/// A certificate related to another (*PowiazaneZla*).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PowiazaneZla {
    /// Series (`Seria`).
    pub seria: String,
    /// Number (`Numer`).
    pub numer: String,
    /// Processing status (`StatusPrzetwarzania`).
    pub status_przetwarzania: String,
    /// Issue date (`DataWystawienia`).
    pub data_wystawienia: String,
    /// The payer's identifier (`IdentyfikatorPlatnika`).
    pub identyfikator_platnika: String,
    /// Kind of the payer's identifier (`TypIdentyfikatoraPlatnika`).
    pub typ_identyfikatora_platnika: String,
}

impl PowiazaneZla {
    pub(crate) fn read(n: Node<'_, '_>) -> Result<Self> {
        Ok(PowiazaneZla {
            seria: n.req_text("Seria")?,
            numer: n.req_text("Numer")?,
            status_przetwarzania: n.req_text("StatusPrzetwarzania")?,
            data_wystawienia: n.req_text("DataWystawienia")?,
            identyfikator_platnika: n.req_text("IdentyfikatorPlatnika")?,
            typ_identyfikatora_platnika: n.req_text("TypIdentyfikatoraPlatnika")?,
        })
    }
}

/// A rehabilitation request (*WniosekPr4*).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WniosekPr4 {
    /// Issue date (`DataWystawienia`).
    pub data_wystawienia: String,
    /// ICD-10 statistical code (`NumerStatystycznyChoroby`).
    pub numer_statystyczny_choroby: String,
    /// The doctor's licence number (`NpwzLekarza`).
    pub npwz_lekarza: String,
    /// The doctor's first name (`ImieLekarza`).
    pub imie_lekarza: String,
    /// The doctor's surname (`NazwiskoLekarza`).
    pub nazwisko_lekarza: String,
}

impl WniosekPr4 {
    pub(crate) fn read(n: Node<'_, '_>) -> Result<Self> {
        Ok(WniosekPr4 {
            data_wystawienia: n.req_text("DataWystawienia")?,
            numer_statystyczny_choroby: n.req_text("NumerStatystycznyChoroby")?,
            npwz_lekarza: n.req_text("NpwzLekarza")?,
            imie_lekarza: n.req_text("ImieLekarza")?,
            nazwisko_lekarza: n.req_text("NazwiskoLekarza")?,
        })
    }
}
