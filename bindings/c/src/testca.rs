//! TEST ONLY: a throw-away certificate authority issuing ZUS-shaped doctor certificates, so
//! that C programs (and vendors' own CI) can run without real ZUS certificates.

use std::ffi::{c_char, c_int};

use ezla_core::pki::testca::{CrlSpec, DoctorSpec, IssueOptions, TestCa};
use ezla_core::pki::{CertificateRequest, Identity, RevocationReason, RevokedCertificate};
use time::Duration;

use crate::boundary::{self, Failure, arg_bytes, arg_ref, arg_str, out_ptr, write, write_box};
use crate::buffer::ezla_buffer;
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
        let doctor = Doctor {
            ca,
            given_name,
            surname,
            pesel,
            key_type,
            not_before,
            days,
        };
        issue_doctor(doctor, None, identity_out)
    })
}

/// TEST ONLY: as `ezla_test_ca_issue_doctor`, with `crl_url` (NUL-terminated ASCII, e.g. a
/// loopback server's `http://127.0.0.1:PORT/ca.crl`) as the certificate's CRL distribution
/// point instead of the test URL (`http://ezla-test-ca.invalid/ezla-test-ca.crl`), for
/// `ezla_revocation_checker_enable_fetch`.
///
/// Errors: as `ezla_test_ca_issue_doctor`; `EZLA_RESULT_INVALID_ARGUMENT` also for an empty
/// or non-ASCII `crl_url`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_test_ca_issue_doctor_with_crl_url(
    ca: *const ezla_test_ca,
    given_name: *const c_char,
    surname: *const c_char,
    pesel: *const c_char,
    key_type: u32,
    not_before: i64,
    days: u32,
    crl_url: *const c_char,
    identity_out: *mut *mut ezla_identity,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let crl_url = arg_str(crl_url, "crl_url")?;
        let doctor = Doctor {
            ca,
            given_name,
            surname,
            pesel,
            key_type,
            not_before,
            days,
        };
        issue_doctor(doctor, Some(crl_url), identity_out)
    })
}

/// The arguments the two doctor-issuing functions share.
struct Doctor {
    ca: *const ezla_test_ca,
    given_name: *const c_char,
    surname: *const c_char,
    pesel: *const c_char,
    key_type: u32,
    not_before: i64,
    days: u32,
}

fn issue_doctor(
    d: Doctor,
    crl_url: Option<&str>,
    identity_out: *mut *mut ezla_identity,
) -> boundary::FfiResult<()> {
    let ca = arg_ref(d.ca, "ca")?;
    let given = arg_str(d.given_name, "given_name")?;
    let surname = arg_str(d.surname, "surname")?;
    let pesel = arg_str(d.pesel, "pesel")?;
    let key = key_spec(d.key_type)?;
    let mut options = issue_options(d.not_before, d.days)?;
    options.crl_url = crl_url.map(str::to_owned);
    let out = out_ptr(identity_out, "identity_out")?;
    let pesel = ezla_core::pl::Pesel::parse(pesel).map_err(ezla_core::Error::from)?;
    let mut spec = DoctorSpec::new(given, surname, pesel);
    spec.key = key;
    spec.options = options;
    let id: Identity = ca.inner.issue_doctor(&spec)?;
    write_box(out, ezla_identity::new(id));
    Ok(())
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

/// TEST ONLY: one certificate a CRL made by `ezla_test_ca_issue_crl` lists as revoked.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ezla_revoked_certificate {
    /// The revoked certificate (its serial number is listed).
    pub cert: *const ezla_certificate,
    /// When it was revoked, Unix seconds, or `EZLA_NOW`.
    pub revoked_at: i64,
    /// The RFC 5280 `CRLReason` code (1 `keyCompromise`, 4 `superseded`, ...), or -1 for
    /// none.
    pub reason: c_int,
}

/// TEST ONLY: issues a v2 CRL signed by the CA (DER, in `*crl_out`; free with
/// `ezla_buffer_free`) listing the `revoked_len` certificates at `revoked` (NULL when 0),
/// issued at `this_update` (Unix seconds; `EZLA_NOW`: now), next due at `next_update`
/// (`EZLA_NOW`: a day after `this_update`), numbered `number`. Times are kept to the
/// second.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_ARGUMENT` (`next_update` not
/// after `this_update`, a reason that is not an RFC 5280 code, an instant out of range).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_test_ca_issue_crl(
    ca: *const ezla_test_ca,
    revoked: *const ezla_revoked_certificate,
    revoked_len: usize,
    this_update: i64,
    next_update: i64,
    number: u64,
    crl_out: *mut ezla_buffer,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let ca = arg_ref(ca, "ca")?;
        let entries: &[ezla_revoked_certificate] = if revoked_len == 0 {
            &[]
        } else if revoked.is_null() {
            return Err(Failure::Null("revoked"));
        } else {
            // SAFETY: non-NULL, and the caller guarantees `revoked_len` entries.
            unsafe { std::slice::from_raw_parts(revoked, revoked_len) }
        };
        let this_update = boundary::arg_time(this_update, "this_update")?;
        let next_update = if next_update == crate::instant::EZLA_NOW {
            this_update + Duration::days(1)
        } else {
            boundary::arg_time(next_update, "next_update")?
        };
        let out = out_ptr(crl_out, "crl_out")?;
        let mut spec = CrlSpec::new(this_update, next_update, number);
        for (i, e) in entries.iter().enumerate() {
            let cert = boundary::opt_ref(e.cert)
                .ok_or_else(|| Failure::Invalid(format!("`revoked[{i}].cert` is NULL")))?;
            let reason = match e.reason {
                -1 => None,
                code => Some(
                    u8::try_from(code)
                        .ok()
                        .and_then(RevocationReason::from_code)
                        .ok_or_else(|| {
                            Failure::Invalid(format!(
                                "`revoked[{i}].reason` ({code}) is not an RFC 5280 CRLReason \
                                 code (0-6, 8-10) nor -1"
                            ))
                        })?,
                ),
            };
            let at = boundary::arg_time(e.revoked_at, "revoked[].revoked_at")?;
            spec.revoked
                .push(RevokedCertificate::new(&cert.inner, at, reason));
        }
        let crl = ca.inner.issue_crl(&spec)?;
        write(out, ezla_buffer::from_vec(crl.to_der().to_vec()));
        Ok(())
    })
}

/// TEST ONLY: frees a test CA. `ezla_test_ca_free(NULL)` does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_test_ca_free(ca: *mut ezla_test_ca) {
    boundary::getter((), || boundary::free_box(ca))
}
