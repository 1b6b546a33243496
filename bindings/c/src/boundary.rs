//! Argument conversion, panic catching and error reporting at the C boundary.
use std::ffi::{CStr, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

use ezla_core::Error;

use crate::error::{ezla_error, ezla_result};

/// Why a call failed before or inside the core.
pub(crate) enum Failure {
    /// An error from the core.
    Core(Error),
    /// A required pointer was NULL.
    Null(&'static str),
    /// A text argument was not UTF-8.
    Utf8(&'static str),
    /// Another argument problem.
    Invalid(String),
    /// An error recorded earlier, by its code and message (an unreadable source's, in a
    /// certificate summary).
    Recorded(ezla_result, String),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Core(e)
    }
}

impl Failure {
    fn into_parts(self) -> (ezla_result, ezla_error) {
        match self {
            Failure::Core(e) => {
                let err = ezla_error::from_error(&e);
                (e.code().into(), err)
            }
            Failure::Null(what) => (
                ezla_result::NullParameter,
                ezla_error::new(ezla_result::NullParameter, &format!("`{what}` is NULL")),
            ),
            Failure::Utf8(what) => (
                ezla_result::InvalidUtf8,
                ezla_error::new(
                    ezla_result::InvalidUtf8,
                    &format!("`{what}` is not valid UTF-8"),
                ),
            ),
            Failure::Invalid(msg) => (
                ezla_result::InvalidArgument,
                ezla_error::new(ezla_result::InvalidArgument, &msg),
            ),
            Failure::Recorded(code, msg) => (code, ezla_error::new(code, &msg)),
        }
    }
}

pub(crate) type FfiResult<T> = Result<T, Failure>;

/// Runs `body`, catching panics; on failure writes a detailed error to `err_out` (when not
/// NULL) and returns its code.
pub(crate) fn call(
    err_out: *mut *mut ezla_error,
    body: impl FnOnce() -> FfiResult<()>,
) -> ezla_result {
    let (code, err) = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => return ezla_result::Ok,
        Ok(Err(failure)) => failure.into_parts(),
        Err(_) => (
            ezla_result::Panic,
            ezla_error::new(
                ezla_result::Panic,
                "a panic was caught at the ezla C boundary (a bug: please report it)",
            ),
        ),
    };
    if !err_out.is_null() {
        // SAFETY: err_out is non-NULL and, per the API contract, points to writable storage
        // for one pointer.
        unsafe { *err_out = Box::into_raw(Box::new(err)) };
    }
    code
}

/// Runs an infallible getter, returning `default` on panic.
pub(crate) fn getter<T>(default: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(default)
}

/// A reference from a pointer argument.
pub(crate) fn arg_ref<'a, T>(p: *const T, name: &'static str) -> FfiResult<&'a T> {
    // SAFETY: NULL is rejected; otherwise the caller passes a live object of this type, as
    // the API documents.
    unsafe { p.as_ref() }.ok_or(Failure::Null(name))
}

/// A byte slice from `data`, `len`. NULL is accepted only with `len == 0`.
pub(crate) fn arg_bytes<'a>(
    data: *const u8,
    len: usize,
    name: &'static str,
) -> FfiResult<&'a [u8]> {
    if data.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            Err(Failure::Null(name))
        };
    }
    // SAFETY: data is non-NULL and the caller guarantees len readable bytes.
    Ok(unsafe { std::slice::from_raw_parts(data, len) })
}

/// A UTF-8 string from a NUL-terminated argument.
pub(crate) fn arg_str<'a>(p: *const c_char, name: &'static str) -> FfiResult<&'a str> {
    if p.is_null() {
        return Err(Failure::Null(name));
    }
    // SAFETY: p is non-NULL and the caller guarantees a NUL-terminated string.
    unsafe { CStr::from_ptr(p) }
        .to_str()
        .map_err(|_| Failure::Utf8(name))
}

/// An optional UTF-8 string: NULL means absent.
pub(crate) fn arg_opt_str<'a>(p: *const c_char, name: &'static str) -> FfiResult<Option<&'a str>> {
    if p.is_null() {
        Ok(None)
    } else {
        arg_str(p, name).map(Some)
    }
}

/// Checks that an output pointer is not NULL.
pub(crate) fn out_ptr<T>(p: *mut T, name: &'static str) -> FfiResult<*mut T> {
    if p.is_null() {
        Err(Failure::Null(name))
    } else {
        Ok(p)
    }
}

/// Writes `value` to a checked output pointer.
pub(crate) fn write<T>(out: *mut T, value: T) {
    // SAFETY: callers pass pointers checked by `out_ptr`; the caller guarantees storage.
    unsafe { out.write(value) }
}

/// Lends `bytes` to C: their address in `*data_out` and their number in `*len_out`. False
/// (nothing written) when there are none or an output pointer is NULL.
pub(crate) fn lend(bytes: Option<&[u8]>, data_out: *mut *const u8, len_out: *mut usize) -> bool {
    match (
        bytes,
        out_ptr(data_out, "data_out"),
        out_ptr(len_out, "len_out"),
    ) {
        (Some(b), Ok(d), Ok(l)) => {
            write(d, b.as_ptr());
            write(l, b.len());
            true
        }
        _ => false,
    }
}

/// Moves `value` to the heap and writes the handle to `out`.
pub(crate) fn write_box<T>(out: *mut *mut T, value: T) {
    write(out, Box::into_raw(Box::new(value)));
}

/// Frees a handle made by `write_box`.
pub(crate) fn free_box<T>(p: *mut T) {
    if !p.is_null() {
        // SAFETY: the pointer came from Box::into_raw in this library and, per the API
        // contract, is freed once.
        drop(unsafe { Box::from_raw(p) });
    }
}

/// An optional reference: NULL means absent.
pub(crate) fn opt_ref<'a, T>(p: *const T) -> Option<&'a T> {
    // SAFETY: NULL gives None; otherwise the caller passes a live object of this type, as
    // the API documents.
    unsafe { p.as_ref() }
}

/// `EZLA_NOW`, or Unix seconds, as an instant.
pub(crate) fn arg_time(t: i64, name: &'static str) -> FfiResult<time::OffsetDateTime> {
    if t == crate::instant::EZLA_NOW {
        return Ok(time::OffsetDateTime::now_utc());
    }
    time::OffsetDateTime::from_unix_timestamp(t)
        .map_err(|_| Failure::Invalid(format!("`{name}` ({t}) is not a representable instant")))
}

/// The largest file the `_file` functions read: 16 MiB (certificates, key stores and
/// documents are far smaller).
const MAX_FILE: u64 = 16 << 20;

/// Reads a whole file named by a NUL-terminated UTF-8 path.
pub(crate) fn read_path(path: &str) -> FfiResult<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut data = Vec::new();
    file.take(MAX_FILE + 1)
        .read_to_end(&mut data)
        .map_err(|e| Error::io(path, e))?;
    if data.len() as u64 > MAX_FILE {
        return Err(Failure::Invalid(format!(
            "{path} is larger than {MAX_FILE} bytes"
        )));
    }
    Ok(data)
}

/// Overwrites bytes that held secret material before they are dropped.
pub(crate) fn wipe(mut bytes: Vec<u8>) {
    bytes.iter_mut().for_each(|b| *b = 0);
    std::hint::black_box(&bytes);
}

/// A NUL-terminated copy of optional text, for getters that hand out `const char *`.
pub(crate) fn opt_c_string(s: Option<&str>) -> Option<std::ffi::CString> {
    s.map(crate::error::c_string)
}

/// The pointer of an optional C string (NULL when absent).
pub(crate) fn opt_ptr(s: &Option<std::ffi::CString>) -> *const c_char {
    s.as_ref().map_or(std::ptr::null(), |c| c.as_ptr())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_code_and_an_error_object() {
        let mut err: *mut ezla_error = std::ptr::null_mut();
        let rc = call(&mut err, || panic!("boom"));
        assert_eq!(rc, ezla_result::Panic);
        assert!(!err.is_null());
        assert_eq!(crate::error::ezla_error_code(err), ezla_result::Panic);
        crate::error::ezla_error_free(err);
        assert_eq!(
            call(std::ptr::null_mut(), || panic!("boom")),
            ezla_result::Panic
        );
        assert_eq!(getter(7, || panic!("boom")), 7);
    }

    #[test]
    fn success_writes_no_error_object() {
        let mut err: *mut ezla_error = std::ptr::null_mut();
        assert_eq!(call(&mut err, || Ok(())), ezla_result::Ok);
        assert!(err.is_null());
    }
}
