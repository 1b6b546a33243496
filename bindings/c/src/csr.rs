//! Certificate requests (PKCS#10): the subject, and the request signed by a signer.

use std::ffi::c_char;

use ezla_core::pki::{CertificateRequest, Name};

use crate::boundary::{self, Failure, FfiResult, arg_opt_str, arg_ref, out_ptr, write};
use crate::buffer::ezla_buffer;
use crate::error::{ezla_error, ezla_result};
use crate::signer::ezla_signer;

/// The subject of a new certificate request. Every field is NUL-terminated UTF-8 or NULL
/// (absent). `common_name` defaults to "given_name surname" when both are set; `pesel` is
/// checked and written as `serialNumber=PNOPL-<PESEL>` (do not set `serial_number` too).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ezla_subject {
    /// `CN`.
    pub common_name: *const c_char,
    /// `givenName`.
    pub given_name: *const c_char,
    /// `sn`.
    pub surname: *const c_char,
    /// A PESEL (11 digits, check digit verified).
    pub pesel: *const c_char,
    /// Another `serialNumber` value.
    pub serial_number: *const c_char,
    /// `O`.
    pub organization: *const c_char,
    /// `OU`.
    pub organizational_unit: *const c_char,
    /// `L`.
    pub locality: *const c_char,
    /// `C` (two letters, e.g. "PL").
    pub country: *const c_char,
}

fn subject_name(s: &ezla_subject) -> FfiResult<Name> {
    let f = |p, n| arg_opt_str(p, n);
    let cn = f(s.common_name, "subject.common_name")?;
    let given = f(s.given_name, "subject.given_name")?;
    let surname = f(s.surname, "subject.surname")?;
    let pesel = f(s.pesel, "subject.pesel")?;
    let serial = f(s.serial_number, "subject.serial_number")?;
    if pesel.is_some() && serial.is_some() {
        return Err(Failure::Invalid(
            "give subject.pesel or subject.serial_number, not both".into(),
        ));
    }
    let mut b = Name::builder();
    if let Some(v) = f(s.country, "subject.country")? {
        b = b.country(v);
    }
    if let Some(v) = f(s.organization, "subject.organization")? {
        b = b.organization(v);
    }
    if let Some(v) = f(s.organizational_unit, "subject.organizational_unit")? {
        b = b.organizational_unit(v);
    }
    if let Some(v) = f(s.locality, "subject.locality")? {
        b = b.locality(v);
    }
    if let Some(v) = surname {
        b = b.surname(v);
    }
    if let Some(v) = given {
        b = b.given_name(v);
    }
    if let Some(p) = pesel {
        let pesel = ezla_core::pl::Pesel::parse(p).map_err(ezla_core::Error::from)?;
        b = b.serial_number(format!("PNOPL-{pesel}"));
    }
    if let Some(v) = serial {
        b = b.serial_number(v);
    }
    let cn = match (cn, given, surname) {
        (Some(cn), _, _) => cn.to_owned(),
        (None, Some(g), Some(s)) => format!("{g} {s}"),
        _ => {
            return Err(Failure::Invalid(
                "give subject.common_name, or subject.given_name and subject.surname".into(),
            ));
        }
    };
    Ok(b.common_name(cn).build()?)
}

/// Makes a PKCS#10 certificate request for `signer`'s key (a software key or a callback,
/// see `ezla_signer_*`) with `subject` and an optional e-mail address (`email`,
/// NUL-terminated, or NULL), signed by that key. Writes the PEM request
/// (`-----BEGIN CERTIFICATE REQUEST-----`) into `*pem_out` (free with `ezla_buffer_free`).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_UTF8`,
/// `EZLA_RESULT_INVALID_ARGUMENT` (no common name, a bad PESEL, a bad country code),
/// `EZLA_RESULT_SIGNING_FAILED` (from a callback).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_csr_new(
    signer: *const ezla_signer,
    subject: *const ezla_subject,
    email: *const c_char,
    pem_out: *mut ezla_buffer,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let signer = arg_ref(signer, "signer")?;
        let subject = subject_name(arg_ref(subject, "subject")?)?;
        let email = arg_opt_str(email, "email")?;
        let out = out_ptr(pem_out, "pem_out")?;
        let request = CertificateRequest::new(signer.as_signer(), &subject, email)?;
        write(out, ezla_buffer::from_vec(request.to_pem().into_bytes()));
        Ok(())
    })
}
