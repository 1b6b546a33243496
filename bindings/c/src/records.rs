//! What the ZUS look-ups return, for C: a list of records, each a set of named text fields
//! (the names are those of the Python dicts and of ZUS's own elements, in snake case). The
//! type and its builders; the C getters are in `zus_records`.

use std::ffi::{CStr, CString};

use ezla_core::zus::BladWalidacji;
use ezla_core::zus::doctor::{DaneLekarza, MiejsceWykonywaniaZawodu};
use ezla_core::zus::numbering::PaczkaDokumentowZla;
use ezla_core::zus::patient::{CzlonekRodziny, DaneUbezpieczonego, PlatnikUbezpieczonego};

use crate::text::{c_string, format_date};

/// One record: its fields in a fixed order, absent values left out.
#[derive(Debug, Default)]
pub(crate) struct Record {
    pub(crate) fields: Vec<(&'static CStr, CString)>,
}

impl Record {
    /// Adds a field when it has a value.
    pub(crate) fn with(mut self, name: &'static CStr, value: Option<&str>) -> Self {
        if let Some(v) = value {
            self.fields.push((name, c_string(v)));
        }
        self
    }

    /// Adds a yes/no field (`"true"`, `"false"`) when it has a value.
    pub(crate) fn with_bool(self, name: &'static CStr, value: Option<bool>) -> Self {
        self.with(name, value.map(|b| if b { "true" } else { "false" }))
    }

    pub(crate) fn get(&self, name: &[u8]) -> Option<&CString> {
        self.fields
            .iter()
            .find(|(n, _)| n.to_bytes() == name)
            .map(|(_, v)| v)
    }
}

/// Records returned by a ZUS look-up (`ezla_zus_client_places_of_work`,
/// `ezla_zus_client_payers`, ...): each a set of named text fields (NUL-terminated UTF-8).
/// Each function that fills one lists the field names it gives; a field ZUS did not send is
/// absent (its getter returns NULL). Yes/no fields are `"true"` or `"false"`, dates
/// `"YYYY-MM-DD"`.
///
/// Thread safety: immutable; may be read from several threads at once. Strings from its
/// getters live until `ezla_zus_records_free` (or, for the findings of an error, until
/// `ezla_error_free`).
#[derive(Debug, Default)]
pub struct ezla_zus_records {
    pub(crate) records: Vec<Record>,
}

impl ezla_zus_records {
    pub(crate) fn new(records: Vec<Record>) -> Self {
        ezla_zus_records { records }
    }
}

/// A place of work: `nazwa`, `nip`, `id_miejsca`, `adres_email`, `numer_telefonu`,
/// `numer_faksu`, `ulica`, `nr_domu`, `nr_lokalu`, `kod_pocztowy`, `miejscowosc`.
pub(crate) fn place(m: &MiejsceWykonywaniaZawodu) -> Record {
    Record::default()
        .with(c"nazwa", m.nazwa.as_deref())
        .with(c"nip", m.nip.as_deref())
        .with(c"id_miejsca", m.id_miejsca.as_deref())
        .with(c"adres_email", m.adres_email.as_deref())
        .with(c"numer_telefonu", m.numer_telefonu.as_deref())
        .with(c"numer_faksu", m.numer_faksu.as_deref())
        .with(c"ulica", m.ulica.as_deref())
        .with(c"nr_domu", m.nr_domu.as_deref())
        .with(c"nr_lokalu", m.nr_lokalu.as_deref())
        .with(c"kod_pocztowy", m.kod_pocztowy.as_deref())
        .with(c"miejscowosc", m.miejscowosc.as_deref())
}

/// The doctor: `imie`, `nazwisko`, `pesel`, `numer_prawa_wykonywania_zawodu`,
/// `nazwa_okregowej_izby_lekarskiej`, `status`, `data_wydania_decyzji`, and
/// `specjalizacje` (the specialisations' names joined by `"; "`).
pub(crate) fn doctor(l: &DaneLekarza) -> Record {
    let specs: Vec<&str> = l
        .posiadana_specjalizacja
        .iter()
        .filter_map(|s| s.nazwa_specjalizacji.as_deref())
        .collect();
    let status = l.status_lekarza.as_ref();
    Record::default()
        .with(c"imie", l.imie.as_deref())
        .with(c"nazwisko", l.nazwisko.as_deref())
        .with(c"pesel", l.pesel.as_deref())
        .with(
            c"numer_prawa_wykonywania_zawodu",
            l.numer_prawa_wykonywania_zawodu.as_deref(),
        )
        .with(
            c"nazwa_okregowej_izby_lekarskiej",
            l.nazwa_okregowej_izby_lekarskiej.as_deref(),
        )
        .with(c"status", status.and_then(|s| s.status.as_deref()))
        .with(
            c"data_wydania_decyzji",
            status.and_then(|s| s.data_wydania_decyzji.as_deref()),
        )
        .with(
            c"specjalizacje",
            (!specs.is_empty()).then(|| specs.join("; ")).as_deref(),
        )
}

/// A patient: `imie`, `nazwisko`, `data_urodzenia`, `data_zgonu`, and the first address:
/// `kod_pocztowy`, `miejscowosc`, `ulica`, `nr_domu`, `nr_lokalu`.
pub(crate) fn patient(u: &DaneUbezpieczonego) -> Record {
    let a = u.adres.first();
    Record::default()
        .with(c"imie", Some(&u.imie))
        .with(c"nazwisko", Some(&u.nazwisko))
        .with(c"data_urodzenia", u.data_urodzenia.as_deref())
        .with(c"data_zgonu", u.data_zgonu.as_deref())
        .with(c"kod_pocztowy", a.and_then(|a| a.kod_pocztowy.as_deref()))
        .with(c"miejscowosc", a.and_then(|a| a.miejscowosc.as_deref()))
        .with(c"ulica", a.and_then(|a| a.ulica.as_deref()))
        .with(c"nr_domu", a.and_then(|a| a.nr_domu.as_deref()))
        .with(c"nr_lokalu", a.and_then(|a| a.nr_lokalu.as_deref()))
}

/// A payer: `nazwa`, `imie`, `nazwisko`, `nip`, `pesel`, `seria_numer_paszportu`,
/// `platnik_istnieje`, `profil_pue`.
pub(crate) fn payer(p: &PlatnikUbezpieczonego) -> Record {
    Record::default()
        .with(c"nazwa", p.nazwa.as_deref())
        .with(c"imie", p.imie.as_deref())
        .with(c"nazwisko", p.nazwisko.as_deref())
        .with(c"nip", p.nip.as_deref())
        .with(c"pesel", p.pesel.as_deref())
        .with(c"seria_numer_paszportu", p.seria_numer_paszportu.as_deref())
        .with_bool(c"platnik_istnieje", p.platnik_istnieje)
        .with_bool(c"profil_pue", Some(p.profil_pue))
}

/// A family member: `imie`, `nazwisko`, `data_urodzenia`.
pub(crate) fn family_member(c: &CzlonekRodziny) -> Record {
    Record::default()
        .with(c"imie", Some(&c.imie))
        .with(c"nazwisko", Some(&c.nazwisko))
        .with(c"data_urodzenia", Some(&format_date(c.data_urodzenia)))
}

/// A reserved number: `seria_numer`, `seria`, `numer`, `id_oryginal`, `id_kopia`.
pub(crate) fn number(p: &PaczkaDokumentowZla) -> Record {
    Record::default()
        .with(c"seria_numer", Some(&p.seria_numer.compact()))
        .with(c"seria", Some(&p.seria_numer.seria))
        .with(c"numer", Some(&p.seria_numer.numer))
        .with(c"id_oryginal", p.id_dokumentu.oryginal.as_deref())
        .with(c"id_kopia", p.id_dokumentu.kopia.as_deref())
}

/// A finding of ZUS's validation: `rodzaj` (`"BLAD"` or `"OSTRZEZENIE"`), `kod`, `opis`,
/// `lokalizacja`, `nr_ref` (the documents' references joined by `","`).
pub(crate) fn finding(b: &BladWalidacji) -> Record {
    Record::default()
        .with(c"rodzaj", Some(b.rodzaj.as_str()))
        .with(c"kod", Some(&b.kod_bledu))
        .with(c"opis", Some(&b.opis_bledu))
        .with(c"lokalizacja", b.lokalizacja.as_deref())
        .with(
            c"nr_ref",
            (!b.nr_ref.is_empty())
                .then(|| b.nr_ref.join(","))
                .as_deref(),
        )
}
