//! Revocation checking with CRLs: a checker holding given CRLs (and, when asked, fetching
//! them from a certificate's distribution point), and what it found.

use std::ffi::{CStr, CString, c_char};
use std::sync::Arc;
use std::time::Duration;

use ezla_core::pki::Crl;
use ezla_core::revocation::{
    CrlSource, JudgedBy, MAX_CRL_SIZE, RevocationChecker, RevocationReport, RevocationStatus,
};
use ezla_core::transport::{
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_OVERALL_TIMEOUT, TransportConfig, UreqTransport,
};

use crate::boundary::{
    self, Failure, FfiResult, arg_bytes, arg_ref, arg_str, opt_c_string, opt_ptr, out_ptr,
    write_box,
};
use crate::error::{c_string, ezla_error, ezla_result};
use crate::instant::EZLA_NOW;
use crate::pki::ezla_certificate;

/// The wait for a distribution point's answer when `ezla_revocation_checker_enable_fetch`
/// is given 0 seconds.
const DEFAULT_FETCH_TIMEOUT: Duration = Duration::from_secs(30);

/// CRLs to check signers' certificates against: CRLs given by the caller
/// (`ezla_revocation_checker_add_crl`, `ezla_revocation_checker_add_crl_file`) and, after
/// `ezla_revocation_checker_enable_fetch`, the CRL named by a certificate's distribution
/// point (http or https), fetched when no given CRL is its issuer's and kept until its
/// `nextUpdate`. Use it in `ezla_verify_options.revocation` and `ezla_cms_verify`, or on its
/// own with `ezla_revocation_checker_check`.
///
/// A certificate is judged at the instant the verification judges it (a trusted
/// time-stamp's, the instant asked for, or now), never at the signing time the signer
/// claims. The CRL must be its issuer's (`EZLA_RESULT_CRL_ISSUER_MISMATCH`), signed by it
/// (`EZLA_RESULT_CRL_SIGNATURE_INVALID`) and current
/// (`EZLA_RESULT_CRL_EXPIRED`, `EZLA_RESULT_CRL_NOT_YET_VALID`); a certificate revoked at
/// or before that instant fails with `EZLA_RESULT_CERTIFICATE_REVOKED`; with no CRL of its
/// issuer and nothing to fetch, `EZLA_RESULT_REVOCATION_UNKNOWN`.
///
/// Thread safety: the `_add_crl`, `_add_crl_file` and `_enable_fetch` calls mutate it and
/// must not run concurrently with any other use (while a verification uses it they fail
/// with `EZLA_RESULT_INVALID_ARGUMENT`); otherwise checks and verifications may use it from
/// several threads at once, and the CRLs it fetched are shared by all of them. Free it
/// only when no verification uses it any more.
pub struct ezla_revocation_checker {
    inner: Arc<RevocationChecker>,
}

impl ezla_revocation_checker {
    /// A shared reference for verification options.
    pub(crate) fn shared(&self) -> Arc<RevocationChecker> {
        self.inner.clone()
    }

    /// Replaces the checker by `change(checker)`, refusing while a verification holds it.
    fn change(
        &mut self,
        change: impl FnOnce(RevocationChecker) -> RevocationChecker,
    ) -> FfiResult<()> {
        let inner = Arc::get_mut(&mut self.inner).ok_or_else(|| {
            Failure::Invalid(
                "the revocation checker is in use by a verification running now: change it \
                 before or after, not during"
                    .into(),
            )
        })?;
        let current = std::mem::take(inner);
        *inner = change(current);
        Ok(())
    }
}

/// The checker behind a mutating call's pointer.
fn checker_mut<'a>(
    checker: *mut ezla_revocation_checker,
) -> FfiResult<&'a mut ezla_revocation_checker> {
    // SAFETY: NULL is rejected; otherwise the caller passes a live checker that no other
    // call uses at the same time, as the type's thread-safety rules say.
    unsafe { checker.as_mut() }.ok_or(Failure::Null("checker"))
}

/// A checker with no CRL yet and no fetching, in `*checker_out` (free with
/// `ezla_revocation_checker_free`).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_revocation_checker_new(
    checker_out: *mut *mut ezla_revocation_checker,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let out = out_ptr(checker_out, "checker_out")?;
        write_box(
            out,
            ezla_revocation_checker {
                inner: Arc::new(RevocationChecker::new()),
            },
        );
        Ok(())
    })
}

/// Adds a CRL (`len` bytes at `crl`, DER or PEM), named `label` in reports
/// (`ezla_revocation_info_source`); with `label` NULL it is named `"crl[i]"`, `i` counting
/// the CRLs given so far from 0. The CRL is copied.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_UTF8`,
/// `EZLA_RESULT_DER_MALFORMED`, `EZLA_RESULT_PEM_MALFORMED`, `EZLA_RESULT_UNSUPPORTED` (a
/// delta, indirect or scoped CRL), `EZLA_RESULT_INVALID_ARGUMENT` (the checker is in use by
/// a verification).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_revocation_checker_add_crl(
    checker: *mut ezla_revocation_checker,
    crl: *const u8,
    len: usize,
    label: *const c_char,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let checker = checker_mut(checker)?;
        let data = arg_bytes(crl, len, "crl")?;
        let label = boundary::arg_opt_str(label, "label")?;
        let label = label.map_or_else(
            || format!("crl[{}]", checker.inner.given().count()),
            str::to_owned,
        );
        let crl = Crl::parse(data)?;
        checker.change(|c| c.with_crl(crl, label))
    })
}

/// Reads a CRL file (DER or PEM) named by `path` (NUL-terminated UTF-8) and adds it, named
/// by its path in reports.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_UTF8`, `EZLA_RESULT_IO`,
/// `EZLA_RESULT_DER_MALFORMED`, `EZLA_RESULT_PEM_MALFORMED`, `EZLA_RESULT_UNSUPPORTED`,
/// `EZLA_RESULT_INVALID_ARGUMENT` (the checker is in use by a verification).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_revocation_checker_add_crl_file(
    checker: *mut ezla_revocation_checker,
    path: *const c_char,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let checker = checker_mut(checker)?;
        let path = arg_str(path, "path")?;
        // Read into a checker of its own first, so that a file that fails leaves this one
        // as it was (the core's errors name the file).
        let read = RevocationChecker::new().with_crl_file(path)?;
        let (crl, label) = read
            .given()
            .next()
            .map(|(c, l)| (c.clone(), l.to_owned()))
            .ok_or_else(|| ezla_core::Error::internal("with_crl_file added no CRL"))?;
        checker.change(|c| c.with_crl(crl, label))
    })
}

/// Lets the checker fetch the CRL of a certificate's distribution point (`http` or
/// `https`) when no given CRL is its issuer's, keeping it until its `nextUpdate`. For an
/// https distribution point, the server's certificate must chain to `ca_pem` (`ca_len`
/// bytes of PEM CA certificates) or, with `ca_pem` NULL, to the system's roots. A
/// distribution point must answer within `timeout_seconds` (0: 30 seconds); a CRL larger
/// than 32 MiB is refused.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_PEM_MALFORMED` (`ca_pem`) and the
/// other transport set-up errors, `EZLA_RESULT_INVALID_ARGUMENT` (the checker is in use by
/// a verification).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_revocation_checker_enable_fetch(
    checker: *mut ezla_revocation_checker,
    ca_pem: *const u8,
    ca_len: usize,
    timeout_seconds: u32,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let checker = checker_mut(checker)?;
        let ca = arg_bytes(ca_pem, ca_len, "ca_pem")?;
        let response = if timeout_seconds == 0 {
            DEFAULT_FETCH_TIMEOUT
        } else {
            Duration::from_secs(u64::from(timeout_seconds))
        };
        let mut config = TransportConfig::builder()
            .response_timeout(response)
            .overall_timeout((DEFAULT_CONNECT_TIMEOUT + response).max(DEFAULT_OVERALL_TIMEOUT))
            .max_response_size(MAX_CRL_SIZE);
        if !ca_pem.is_null() {
            config = config.trust_pem(ca);
        }
        let transport = UreqTransport::new(config.build()?)?;
        checker.change(|c| c.with_fetching(Arc::new(transport)))
    })
}

/// Whether the checker fetches CRLs (after `ezla_revocation_checker_enable_fetch`); false
/// when `checker` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_revocation_checker_fetches(checker: *const ezla_revocation_checker) -> bool {
    boundary::getter(false, || {
        boundary::opt_ref(checker).is_some_and(|c| c.inner.fetches())
    })
}

/// The number of CRLs given (`_add_crl`, `_add_crl_file`); 0 when `checker` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_revocation_checker_crl_count(
    checker: *const ezla_revocation_checker,
) -> usize {
    boundary::getter(0, || {
        boundary::opt_ref(checker).map_or(0, |c| c.inner.given().count())
    })
}

/// Frees a checker. `ezla_revocation_checker_free(NULL)` does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_revocation_checker_free(checker: *mut ezla_revocation_checker) {
    boundary::getter((), || boundary::free_box(checker))
}

/// Checks `cert`, issued by `issuer` (whose key must have signed the CRL), at `at` (Unix
/// seconds; `EZLA_NOW`: now). The CRL must be current now, or at `at` when that is later.
/// What the CRL says of a certificate that passes goes to `*info_out` (free with
/// `ezla_revocation_info_free`): `"good"`, or `"revoked_later"` when it was revoked after
/// `at`.
///
/// Errors: `EZLA_RESULT_CERTIFICATE_REVOKED` (revoked at or before `at`; the error's message
/// gives when and why), `EZLA_RESULT_CRL_ISSUER_MISMATCH`,
/// `EZLA_RESULT_CRL_SIGNATURE_INVALID`, `EZLA_RESULT_CRL_EXPIRED`,
/// `EZLA_RESULT_CRL_NOT_YET_VALID`, `EZLA_RESULT_REVOCATION_UNKNOWN` (no CRL of the issuer
/// and nothing to fetch), the transport errors of a fetch, `EZLA_RESULT_NULL_PARAMETER`,
/// `EZLA_RESULT_INVALID_ARGUMENT` (`at` out of range).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_revocation_checker_check(
    checker: *const ezla_revocation_checker,
    cert: *const ezla_certificate,
    issuer: *const ezla_certificate,
    at: i64,
    info_out: *mut *mut ezla_revocation_info,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let checker = arg_ref(checker, "checker")?;
        let cert = arg_ref(cert, "cert")?;
        let issuer = arg_ref(issuer, "issuer")?;
        let out = out_ptr(info_out, "info_out")?;
        let now = time::OffsetDateTime::now_utc();
        let (judged_at, judged_by) = if at == EZLA_NOW {
            (now, JudgedBy::VerificationTime)
        } else {
            (boundary::arg_time(at, "at")?, JudgedBy::Requested)
        };
        let report = checker.inner.check(
            &cert.inner,
            &issuer.inner,
            judged_at,
            judged_by,
            judged_at.max(now),
        )?;
        write_box(out, ezla_revocation_info::new(&report));
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// What a check found

/// What a CRL said of a certificate that passed the revocation check: which CRL, issued
/// when, and the instant the certificate was judged at. From
/// `ezla_revocation_checker_check` (owned: free with `ezla_revocation_info_free`), or
/// borrowed from a report (`ezla_report_revocation`, `ezla_cms_report_revocation`: valid
/// until the report is freed, never to be freed itself).
///
/// Thread safety: immutable; may be read from several threads at once. Strings from its
/// getters live as long as it does.
pub struct ezla_revocation_info {
    status: &'static CStr,
    revoked_at: i64,
    reason: Option<CString>,
    source_kind: &'static CStr,
    source: CString,
    crl_issuer: CString,
    crl_this_update: i64,
    crl_next_update: i64,
    crl_number: Option<CString>,
    judged_at: i64,
    judged_by: CString,
}

/// Unix seconds of an RFC 3339 instant of a report; `EZLA_NOW` for one that does not parse
/// (the core writes them all).
fn unix(rfc3339: &str) -> i64 {
    ezla_core::xml::datetime::parse(rfc3339).map_or(EZLA_NOW, |t| t.unix_timestamp())
}

impl ezla_revocation_info {
    pub(crate) fn new(r: &RevocationReport) -> Self {
        let (status, revoked_at, reason) = match &r.status {
            RevocationStatus::RevokedLater { revoked_at, reason } => {
                (c"revoked_later", unix(revoked_at), reason.as_deref())
            }
            // `Good`, and any status a later core adds: nothing listed at the instant judged.
            _ => (c"good", EZLA_NOW, None),
        };
        let (source_kind, source) = match &r.source {
            CrlSource::Given(s) => (c"given", s.as_str()),
            CrlSource::Fetched(u) => (c"fetched", u.as_str()),
            CrlSource::Cached(u) => (c"cached", u.as_str()),
            _ => (c"unknown", ""),
        };
        ezla_revocation_info {
            status,
            revoked_at,
            reason: opt_c_string(reason),
            source_kind,
            source: c_string(source),
            crl_issuer: c_string(&r.crl_issuer),
            crl_this_update: unix(&r.crl_this_update),
            crl_next_update: r.crl_next_update.as_deref().map_or(EZLA_NOW, unix),
            crl_number: opt_c_string(r.crl_number.as_deref()),
            judged_at: unix(&r.judged_at),
            judged_by: c_string(r.judged_by.name()),
        }
    }
}

/// The info behind a getter's pointer, when not NULL.
fn info<'a>(info: *const ezla_revocation_info) -> Option<&'a ezla_revocation_info> {
    boundary::opt_ref(info)
}

/// `"good"` (not on the CRL) or `"revoked_later"` (on it, revoked after the instant judged:
/// a signature time-stamped before the revocation stands); NULL when `info` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_revocation_info_status(info: *const ezla_revocation_info) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        self::info(info).map_or(std::ptr::null(), |i| i.status.as_ptr())
    })
}

/// When the certificate was revoked, Unix seconds, for `"revoked_later"`; `EZLA_NOW` when
/// it is not on the CRL or `info` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_revocation_info_revoked_at(info: *const ezla_revocation_info) -> i64 {
    boundary::getter(EZLA_NOW, || {
        self::info(info).map_or(EZLA_NOW, |i| i.revoked_at)
    })
}

/// The CRL's reason (RFC 5280 name, e.g. `"keyCompromise"`) for `"revoked_later"`; NULL
/// when the CRL gives none, the certificate is not on it, or `info` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_revocation_info_reason(info: *const ezla_revocation_info) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        self::info(info).map_or(std::ptr::null(), |i| opt_ptr(&i.reason))
    })
}

/// Where the CRL came from: `"given"` (added by the caller), `"fetched"` (from the
/// certificate's distribution point) or `"cached"` (fetched earlier, still current); NULL
/// when `info` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_revocation_info_source_kind(
    info: *const ezla_revocation_info,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        self::info(info).map_or(std::ptr::null(), |i| i.source_kind.as_ptr())
    })
}

/// The CRL's label or file path (given) or URL (fetched, cached); NULL when `info` is
/// NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_revocation_info_source(info: *const ezla_revocation_info) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        self::info(info).map_or(std::ptr::null(), |i| i.source.as_ptr())
    })
}

/// The CRL's issuer (RFC 4514); NULL when `info` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_revocation_info_crl_issuer(
    info: *const ezla_revocation_info,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        self::info(info).map_or(std::ptr::null(), |i| i.crl_issuer.as_ptr())
    })
}

/// When the CRL was issued (`thisUpdate`), Unix seconds; `EZLA_NOW` when `info` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_revocation_info_crl_this_update(info: *const ezla_revocation_info) -> i64 {
    boundary::getter(EZLA_NOW, || {
        self::info(info).map_or(EZLA_NOW, |i| i.crl_this_update)
    })
}

/// When the next CRL is due (`nextUpdate`), Unix seconds; `EZLA_NOW` when the CRL does not
/// say or `info` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_revocation_info_crl_next_update(info: *const ezla_revocation_info) -> i64 {
    boundary::getter(EZLA_NOW, || {
        self::info(info).map_or(EZLA_NOW, |i| i.crl_next_update)
    })
}

/// The CRL number (hex); NULL when the CRL has none or `info` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_revocation_info_crl_number(
    info: *const ezla_revocation_info,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        self::info(info).map_or(std::ptr::null(), |i| opt_ptr(&i.crl_number))
    })
}

/// The instant the certificate was judged at, Unix seconds; `EZLA_NOW` when `info` is
/// NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_revocation_info_judged_at(info: *const ezla_revocation_info) -> i64 {
    boundary::getter(EZLA_NOW, || {
        self::info(info).map_or(EZLA_NOW, |i| i.judged_at)
    })
}

/// Why that instant: `"time_stamp"` (the earliest trusted signature time-stamp),
/// `"requested"` (the instant the caller asked for) or `"verification_time"` (now); NULL
/// when `info` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_revocation_info_judged_by(
    info: *const ezla_revocation_info,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        self::info(info).map_or(std::ptr::null(), |i| i.judged_by.as_ptr())
    })
}

/// Frees an info from `ezla_revocation_checker_check` (never one borrowed from a report).
/// `ezla_revocation_info_free(NULL)` does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_revocation_info_free(info: *mut ezla_revocation_info) {
    boundary::getter((), || boundary::free_box(info))
}

/// The pointer a report getter lends for an optional info (NULL when not checked).
pub(crate) fn lend_info(info: &Option<ezla_revocation_info>) -> *const ezla_revocation_info {
    info.as_ref()
        .map_or(std::ptr::null(), |i| i as *const ezla_revocation_info)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checker_in_use_by_a_verification_is_not_changed() {
        let mut checker: *mut ezla_revocation_checker = std::ptr::null_mut();
        assert_eq!(
            ezla_revocation_checker_new(&mut checker, std::ptr::null_mut()),
            ezla_result::Ok
        );
        // SAFETY: just made by ezla_revocation_checker_new.
        let held = unsafe { &*checker }.shared(); // what a running verification holds
        let mut err: *mut ezla_error = std::ptr::null_mut();
        assert_eq!(
            ezla_revocation_checker_enable_fetch(checker, std::ptr::null(), 0, 5, &mut err),
            ezla_result::InvalidArgument
        );
        assert!(!err.is_null());
        // SAFETY: err was written by the failing call.
        let message = unsafe { CStr::from_ptr(crate::error::ezla_error_message(err)) };
        assert!(message.to_string_lossy().contains("in use"));
        crate::error::ezla_error_free(err);
        assert!(!ezla_revocation_checker_fetches(checker));
        drop(held);
        assert_eq!(
            ezla_revocation_checker_enable_fetch(
                checker,
                std::ptr::null(),
                0,
                5,
                std::ptr::null_mut()
            ),
            ezla_result::Ok
        );
        assert!(ezla_revocation_checker_fetches(checker));
        ezla_revocation_checker_free(checker);
    }
}
