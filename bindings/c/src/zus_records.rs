//! What the ZUS look-ups return, for C: a list of records, each a set of named text fields
//! (the names are those of the Python dicts and of ZUS's own elements, in snake case).

use std::ffi::{CStr, CString, c_char};

use ezla_core::zus::BladWalidacji;
use ezla_core::zus::doctor::{DaneLekarza, MiejsceWykonywaniaZawodu};
use ezla_core::zus::numbering::PaczkaDokumentowZla;
use ezla_core::zus::patient::{CzlonekRodziny, DaneUbezpieczonego, PlatnikUbezpieczonego};

use crate::boundary;
use crate::error::c_string;

/// One record: its fields in a fixed order, absent values left out.
#[derive(Debug, Default)]
pub(crate) struct Record {
    fields: Vec<(&'static CStr, CString)>,
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

    fn get(&self, name: &[u8]) -> Option<&CString> {
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
    records: Vec<Record>,
}

impl ezla_zus_records {
    pub(crate) fn new(records: Vec<Record>) -> Self {
        ezla_zus_records { records }
    }
}

/// Frees records. `ezla_zus_records_free(NULL)` does nothing. Never free the findings of an
/// error (`ezla_error_zus_findings`) with it: they go with the error.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_records_free(records: *mut ezla_zus_records) {
    boundary::getter((), || boundary::free_box(records))
}

/// The number of records; 0 when `records` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_records_count(records: *const ezla_zus_records) -> usize {
    boundary::getter(0, || {
        boundary::opt_ref(records).map_or(0, |r| r.records.len())
    })
}

fn record<'a>(records: *const ezla_zus_records, index: usize) -> Option<&'a Record> {
    boundary::opt_ref(records).and_then(|r| r.records.get(index))
}

/// Field `name` (NUL-terminated, e.g. `"nip"`) of record `index`. NULL when the record has
/// no such field (ZUS did not send it), when `index` is out of range, or when an argument
/// is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_records_get(
    records: *const ezla_zus_records,
    index: usize,
    name: *const c_char,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        if name.is_null() {
            return std::ptr::null();
        }
        // SAFETY: non-NULL, and the caller passes a NUL-terminated string as documented.
        let name = unsafe { CStr::from_ptr(name) }.to_bytes();
        record(records, index)
            .and_then(|r| r.get(name))
            .map_or(std::ptr::null(), |v| v.as_ptr())
    })
}

/// The number of fields record `index` has (those ZUS sent); 0 when out of range or when
/// `records` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_records_field_count(
    records: *const ezla_zus_records,
    index: usize,
) -> usize {
    boundary::getter(0, || record(records, index).map_or(0, |r| r.fields.len()))
}

/// The name of field `field` of record `index` (static), for listing every field. NULL
/// when out of range or when `records` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_records_field_name(
    records: *const ezla_zus_records,
    index: usize,
    field: usize,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        record(records, index)
            .and_then(|r| r.fields.get(field))
            .map_or(std::ptr::null(), |(n, _)| n.as_ptr())
    })
}

/// The value of field `field` of record `index`. NULL when out of range or when `records`
/// is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_records_field_value(
    records: *const ezla_zus_records,
    index: usize,
    field: usize,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        record(records, index)
            .and_then(|r| r.fields.get(field))
            .map_or(std::ptr::null(), |(_, v)| v.as_ptr())
    })
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
        .with(
            c"data_urodzenia",
            Some(&crate::zus::format_date(c.data_urodzenia)),
        )
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_found_by_name_and_absent_ones_are_null() {
        let r = ezla_zus_records::new(vec![
            Record::default()
                .with(c"nip", Some("1234563218"))
                .with(c"nazwa", None)
                .with_bool(c"profil_pue", Some(false)),
        ]);
        assert_eq!(ezla_zus_records_count(&r), 1);
        assert_eq!(ezla_zus_records_field_count(&r, 0), 2);
        let nip = ezla_zus_records_get(&r, 0, c"nip".as_ptr());
        // SAFETY: a non-NULL getter result is a live NUL-terminated string of `r`.
        assert_eq!(unsafe { CStr::from_ptr(nip) }, c"1234563218");
        let pue = ezla_zus_records_field_value(&r, 0, 1);
        // SAFETY: as above.
        assert_eq!(unsafe { CStr::from_ptr(pue) }, c"false");
        assert!(ezla_zus_records_get(&r, 0, c"nazwa".as_ptr()).is_null());
        assert!(ezla_zus_records_get(&r, 1, c"nip".as_ptr()).is_null());
        assert!(ezla_zus_records_get(&r, 0, std::ptr::null()).is_null());
        assert!(ezla_zus_records_field_name(&r, 0, 2).is_null());
        assert_eq!(ezla_zus_records_count(std::ptr::null()), 0);
    }
}
