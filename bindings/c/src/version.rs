//! The library version.

use std::ffi::c_char;

/// The library version, e.g. `"0.1.0"`: static, NUL-terminated. Compare with the
/// `EZLA_VERSION_*` macros of the header the program was compiled against.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_version() -> *const c_char {
    const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");
    VERSION.as_ptr().cast()
}
