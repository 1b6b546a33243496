//! Text for C: NUL-terminated strings and dates, with no dependency on the rest of the
//! binding (a leaf, so that the error and record types can both use it).

use std::ffi::CString;

/// A C string from Rust text, with any interior NUL replaced (messages never carry one, but
/// a hostile input echoed in a message might).
pub(crate) fn c_string(s: &str) -> CString {
    CString::new(s.replace('\0', "\u{fffd}")).unwrap_or_default()
}

/// A date as `YYYY-MM-DD`.
pub(crate) fn format_date(d: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}
