//! The C getters of `ezla_zus_records` (the type and its builders are in `records`).

use std::ffi::{CStr, c_char};

use crate::boundary;
use crate::records::{Record, ezla_zus_records};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::Record;

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
