//! TEST ONLY: a throw-away certificate authority issuing ZUS-shaped doctor certificates, so
//! that C programs (and vendors' own CI) can run without real ZUS certificates.

use std::ffi::c_char;

use ezla_core::pki::testca::{DoctorSpec, IssueOptions, TestCa};
use ezla_core::pki::{CertificateRequest, Identity};
use time::Duration;

use crate::boundary::{self, arg_bytes, arg_ref, arg_str, out_ptr, write_box};
use crate::error::{ezla_error, ezla_result};
use crate::pki::{ezla_certificate, ezla_identity, key_spec};

/// TEST ONLY: a throw-away certificate authority (its certificates are trusted by nobody;
/// never use them for real documents).
///
/// Thread safety: immutable; may be used from several threads at once.
pub struct ezla_test_ca {
    inner: TestCa,
}

/// TEST ONLY: creates a test CA (RSA-2048) named `common_name`, valid from `not_before`
/// (Unix seconds or `EZLA_NOW`) for `days` days.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_UTF8`,
/// `EZLA_RESULT_INVALID_ARGUMENT` (`days` is 0, an instant out of range).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_test_ca_new(
    common_name: *const c_char,
    not_before: i64,
    days: u32,
    ca_out: *mut *mut ezla_test_ca,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let cn = arg_str(common_name, "common_name")?;
        let not_before = boundary::arg_time(not_before, "not_before")?;
        if days == 0 {
            return Err(boundary::Failure::Invalid(
                "`days` must be at least 1".into(),
            ));
        }
        let out = out_ptr(ca_out, "ca_out")?;
        let ca = TestCa::generate(cn, not_before, days)?;
        write_box(out, ezla_test_ca { inner: ca });
        Ok(())
    })
}

/// TEST ONLY: the CA's certificate (to use as a trust anchor), as a new handle in
/// `*cert_out` (free with `ezla_certificate_free`).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_test_ca_certificate(
    ca: *const ezla_test_ca,
    cert_out: *mut *mut ezla_certificate,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let ca = arg_ref(ca, "ca")?;
        let out = out_ptr(cert_out, "cert_out")?;
        write_box(out, ezla_certificate::new(ca.inner.certificate().clone()));
        Ok(())
    })
}

fn issue_options(not_before: i64, days: u32) -> boundary::FfiResult<IssueOptions> {
    let not_before = boundary::arg_time(not_before, "not_before")?;
    let mut options = IssueOptions::doctor(not_before);
    if days != 0 {
        options.not_after = not_before + Duration::days(i64::from(days));
    }
    Ok(options)
}

/// TEST ONLY: issues a doctor's identity shaped like a ZUS certificate
/// (`CN=<given> <surname>`, `serialNumber=PNOPL-<pesel>`, digital signature and
/// non-repudiation) with a new key of `key_type` (an `ezla_key_type`), valid from
/// `not_before` (Unix seconds or `EZLA_NOW`) for `days` days (0: five years, like ZUS).
/// The identity's chain holds the CA certificate.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_UTF8`,
/// `EZLA_RESULT_INVALID_ARGUMENT` (a bad PESEL, an unknown key type).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_test_ca_issue_doctor(
    ca: *const ezla_test_ca,
    given_name: *const c_char,
    surname: *const c_char,
    pesel: *const c_char,
    key_type: u32,
    not_before: i64,
    days: u32,
    identity_out: *mut *mut ezla_identity,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let ca = arg_ref(ca, "ca")?;
        let given = arg_str(given_name, "given_name")?;
        let surname = arg_str(surname, "surname")?;
        let pesel = arg_str(pesel, "pesel")?;
        let key = key_spec(key_type)?;
        let options = issue_options(not_before, days)?;
        let out = out_ptr(identity_out, "identity_out")?;
        let pesel = ezla_core::pl::Pesel::parse(pesel).map_err(ezla_core::Error::from)?;
        let mut spec = DoctorSpec::new(given, surname, pesel);
        spec.key = key;
        spec.options = options;
        let id: Identity = ca.inner.issue_doctor(&spec)?;
        write_box(out, ezla_identity::new(id));
        Ok(())
    })
}

/// TEST ONLY: issues a certificate for a PKCS#10 request (PEM or DER, e.g. from
/// `ezla_csr_new`), valid from `not_before` for `days` days (0: five years).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_PEM_MALFORMED`,
/// `EZLA_RESULT_DER_MALFORMED`, `EZLA_RESULT_SIGNATURE_INVALID` (the request's own signature
/// does not verify), `EZLA_RESULT_INVALID_ARGUMENT`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_test_ca_issue_for_csr(
    ca: *const ezla_test_ca,
    csr: *const u8,
    len: usize,
    not_before: i64,
    days: u32,
    cert_out: *mut *mut ezla_certificate,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let ca = arg_ref(ca, "ca")?;
        let csr = arg_bytes(csr, len, "csr")?;
        let options = issue_options(not_before, days)?;
        let out = out_ptr(cert_out, "cert_out")?;
        let request = if ezla_core::pki::pem::is_pem(csr) {
            CertificateRequest::from_pem(csr)?
        } else {
            CertificateRequest::from_der(csr)?
        };
        let cert = ca.inner.issue_for_request(&request, &options)?;
        write_box(out, ezla_certificate::new(cert));
        Ok(())
    })
}

/// TEST ONLY: frees a test CA. `ezla_test_ca_free(NULL)` does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_test_ca_free(ca: *mut ezla_test_ca) {
    boundary::getter((), || boundary::free_box(ca))
}
