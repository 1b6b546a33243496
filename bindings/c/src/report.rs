//! Verification reports: what a verified XAdES signature says, one or a list of them.

use std::ffi::{CString, c_char};

use ezla_core::Error;
use ezla_core::xades::Report;

use crate::boundary::{self, FfiResult, arg_ref, opt_c_string, opt_ptr, out_ptr, write};
use crate::buffer::ezla_buffer;
use crate::error::{c_string, ezla_error, ezla_result};
use crate::profile::{ezla_profile, profile_to_c};
use crate::revocation::{ezla_revocation_info, lend_info};
use crate::tsp::StampRow;

/// What a verified XAdES signature says: who signed what, when and how.
///
/// Thread safety: immutable; may be read from several threads at once. Strings from its
/// getters live until `ezla_report_free`.
pub struct ezla_report {
    profile: ezla_profile,
    signature_algorithm: CString,
    signing_time: Option<CString>,
    signing_certificate: CString,
    signer_subject: CString,
    signer_issuer: CString,
    signer_serial: CString,
    signer_pesel: Option<CString>,
    signer_not_before: CString,
    signer_not_after: CString,
    signer_sha256: CString,
    trust: CString,
    signature_id: CString,
    document_element: CString,
    chain: Vec<CString>,
    reference_uris: Vec<CString>,
    reference_covers: Vec<CString>,
    timestamps: Vec<StampRow>,
    judged_at: i64,
    revocation: Option<ezla_revocation_info>,
    json: Vec<u8>,
}

impl ezla_report {
    pub(crate) fn new(r: &Report) -> FfiResult<Self> {
        let json =
            serde_json::to_vec(r).map_err(|e| Error::internal(format!("report to JSON: {e}")))?;
        // Empty only in a report that did not come from `xades::verify`.
        let judged_at = ezla_core::xml::datetime::parse(&r.judged_at)
            .map_or(crate::instant::EZLA_NOW, |t| t.unix_timestamp());
        Ok(ezla_report {
            profile: profile_to_c(r.profile),
            signature_algorithm: c_string(&r.signature_algorithm),
            signing_time: opt_c_string(r.signing_time.as_deref()),
            signing_certificate: c_string(&r.signing_certificate),
            signer_subject: c_string(&r.signer.subject),
            signer_issuer: c_string(&r.signer.issuer),
            signer_serial: c_string(&r.signer.serial),
            signer_pesel: opt_c_string(r.signer.pesel.as_deref()),
            signer_not_before: c_string(&r.signer.not_before),
            signer_not_after: c_string(&r.signer.not_after),
            signer_sha256: c_string(&r.signer.sha256_fingerprint),
            trust: c_string(&r.trust),
            signature_id: c_string(&r.signature_id),
            document_element: c_string(&r.document_element),
            chain: r.chain.iter().map(|s| c_string(s)).collect(),
            reference_uris: r.references.iter().map(|x| c_string(&x.uri)).collect(),
            reference_covers: r.references.iter().map(|x| c_string(&x.covers)).collect(),
            timestamps: r.timestamps.iter().map(StampRow::from_xades).collect(),
            judged_at,
            revocation: r.revocation.as_ref().map(ezla_revocation_info::new),
            json,
        })
    }
}

/// The reports of every signature of a co-signed document (from `ezla_xades_verify_all`).
///
/// Thread safety: immutable; may be read from several threads at once.
pub struct ezla_reports {
    pub(crate) reports: Vec<ezla_report>,
}

/// The number of reports; 0 when `reports` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_reports_len(reports: *const ezla_reports) -> usize {
    boundary::getter(0, || {
        boundary::opt_ref(reports).map_or(0, |r| r.reports.len())
    })
}

/// Report number `index` (document order), borrowed: valid until `ezla_reports_free`, and
/// not to be freed with `ezla_report_free`. NULL when out of range or when `reports` is
/// NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_reports_get(
    reports: *const ezla_reports,
    index: usize,
) -> *const ezla_report {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(reports)
            .and_then(|r| r.reports.get(index))
            .map_or(std::ptr::null(), |r| r as *const ezla_report)
    })
}

/// Frees a list of reports (and the reports in it). `ezla_reports_free(NULL)` does
/// nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_reports_free(reports: *mut ezla_reports) {
    boundary::getter((), || boundary::free_box(reports))
}

/// Frees a report. `ezla_report_free(NULL)` does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_report_free(report: *mut ezla_report) {
    boundary::getter((), || boundary::free_box(report))
}

/// The profile the signature matches (an `ezla_profile`); `EZLA_PROFILE_ZUS` when `report`
/// is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_report_profile(report: *const ezla_report) -> ezla_profile {
    boundary::getter(ezla_profile::Zus, || {
        boundary::opt_ref(report).map_or(ezla_profile::Zus, |r| r.profile)
    })
}

/// The signature algorithm, e.g. `"RSA-SHA256"`.
///
/// NULL when `report` is NULL; otherwise valid until `ezla_report_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_report_signature_algorithm(report: *const ezla_report) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(report).map_or(std::ptr::null(), |x| x.signature_algorithm.as_ptr())
    })
}
/// How the signing certificate is bound: `"v1"` (`SigningCertificate`), `"v2"`
/// (`SigningCertificateV2`) or `"keyinfo"`.
///
/// NULL when `report` is NULL; otherwise valid until `ezla_report_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_report_signing_certificate(report: *const ezla_report) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(report).map_or(std::ptr::null(), |x| x.signing_certificate.as_ptr())
    })
}
/// The signer's subject (RFC 4514).
///
/// NULL when `report` is NULL; otherwise valid until `ezla_report_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_report_signer_subject(report: *const ezla_report) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(report).map_or(std::ptr::null(), |x| x.signer_subject.as_ptr())
    })
}
/// The signer's issuer (RFC 4514).
///
/// NULL when `report` is NULL; otherwise valid until `ezla_report_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_report_signer_issuer(report: *const ezla_report) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(report).map_or(std::ptr::null(), |x| x.signer_issuer.as_ptr())
    })
}
/// The signer's serial number, decimal.
///
/// NULL when `report` is NULL; otherwise valid until `ezla_report_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_report_signer_serial(report: *const ezla_report) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(report).map_or(std::ptr::null(), |x| x.signer_serial.as_ptr())
    })
}
/// Start of the signer certificate's validity (RFC 3339).
///
/// NULL when `report` is NULL; otherwise valid until `ezla_report_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_report_signer_not_before(report: *const ezla_report) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(report).map_or(std::ptr::null(), |x| x.signer_not_before.as_ptr())
    })
}
/// End of the signer certificate's validity (RFC 3339).
///
/// NULL when `report` is NULL; otherwise valid until `ezla_report_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_report_signer_not_after(report: *const ezla_report) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(report).map_or(std::ptr::null(), |x| x.signer_not_after.as_ptr())
    })
}
/// SHA-256 fingerprint of the signer's certificate, hex.
///
/// NULL when `report` is NULL; otherwise valid until `ezla_report_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_report_signer_sha256_fingerprint(
    report: *const ezla_report,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(report).map_or(std::ptr::null(), |x| x.signer_sha256.as_ptr())
    })
}
/// How the signer is trusted: `"pinned"`, `"chain"` (validated against trust anchors)
/// or `"untrusted"` (no anchors given).
///
/// NULL when `report` is NULL; otherwise valid until `ezla_report_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_report_trust(report: *const ezla_report) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(report).map_or(std::ptr::null(), |x| x.trust.as_ptr())
    })
}
/// The signature's `Id`.
///
/// NULL when `report` is NULL; otherwise valid until `ezla_report_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_report_signature_id(report: *const ezla_report) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(report).map_or(std::ptr::null(), |x| x.signature_id.as_ptr())
    })
}
/// The signed document element, as `{namespace}local`.
///
/// NULL when `report` is NULL; otherwise valid until `ezla_report_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_report_document_element(report: *const ezla_report) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(report).map_or(std::ptr::null(), |x| x.document_element.as_ptr())
    })
}

/// The claimed signing time (RFC 3339, from `SigningTime`); NULL when absent or when
/// `report` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_report_signing_time(report: *const ezla_report) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(report).map_or(std::ptr::null(), |r| opt_ptr(&r.signing_time))
    })
}

/// The PESEL in the signer's subject; NULL when absent or when `report` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_report_signer_pesel(report: *const ezla_report) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(report).map_or(std::ptr::null(), |r| opt_ptr(&r.signer_pesel))
    })
}

/// The number of certificates in the validated chain above the signer (0 unless trust is
/// `"chain"`, or when `report` is NULL).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_report_chain_len(report: *const ezla_report) -> usize {
    boundary::getter(0, || boundary::opt_ref(report).map_or(0, |r| r.chain.len()))
}

/// The subject of chain certificate `index` (nearest first); NULL when out of range or
/// when `report` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_report_chain_subject(
    report: *const ezla_report,
    index: usize,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(report)
            .and_then(|r| r.chain.get(index))
            .map_or(std::ptr::null(), |s| s.as_ptr())
    })
}

/// The number of `ds:Reference`s the signature has; 0 when `report` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_report_reference_count(report: *const ezla_report) -> usize {
    boundary::getter(0, || {
        boundary::opt_ref(report).map_or(0, |r| r.reference_uris.len())
    })
}

/// The `URI` of reference `index`; NULL when out of range or when `report` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_report_reference_uri(
    report: *const ezla_report,
    index: usize,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(report)
            .and_then(|r| r.reference_uris.get(index))
            .map_or(std::ptr::null(), |s| s.as_ptr())
    })
}

/// What reference `index` covers, in words (e.g. `"the document element /KEDU, except
/// signatures"`); NULL when out of range or when `report` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_report_reference_covers(
    report: *const ezla_report,
    index: usize,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(report)
            .and_then(|r| r.reference_covers.get(index))
            .map_or(std::ptr::null(), |s| s.as_ptr())
    })
}

/// The whole report as JSON (the same fields as the Rust `ezla::xades::Report` and the
/// CLI's `verify --json`), copied into `*json_out` (free with `ezla_buffer_free`; not
/// NUL-terminated).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_report_to_json(
    report: *const ezla_report,
    json_out: *mut ezla_buffer,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let r = arg_ref(report, "report")?;
        let out = out_ptr(json_out, "json_out")?;
        write(out, ezla_buffer::from_vec(r.json.clone()));
        Ok(())
    })
}

/// The number of signature time-stamps the signature carries (verified or not); 0 when
/// `report` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_report_timestamp_count(report: *const ezla_report) -> usize {
    boundary::getter(0, || {
        boundary::opt_ref(report).map_or(0, |r| r.timestamps.len())
    })
}

/// Whether signature time-stamp `index` verified against the signature value. One that did
/// not is reported here, not as a failed signature; it sets no instant. False when out of
/// range or when `report` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_report_timestamp_valid(report: *const ezla_report, index: usize) -> bool {
    boundary::getter(false, || {
        boundary::opt_ref(report)
            .and_then(|r| r.timestamps.get(index))
            .is_some_and(|t| t.valid)
    })
}

/// Why signature time-stamp `index` did not verify (the error's name and message); NULL when
/// it verified, when out of range or when `report` is NULL. Valid until `ezla_report_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_report_timestamp_error(
    report: *const ezla_report,
    index: usize,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(report)
            .and_then(|r| r.timestamps.get(index))
            .map_or(std::ptr::null(), |t| opt_ptr(&t.error))
    })
}

/// When the TSA stamped signature time-stamp `index`, Unix seconds; `EZLA_NOW` when it did
/// not verify, when out of range or when `report` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_report_timestamp_time(report: *const ezla_report, index: usize) -> i64 {
    boundary::getter(crate::instant::EZLA_NOW, || {
        boundary::opt_ref(report)
            .and_then(|r| r.timestamps.get(index))
            .map_or(crate::instant::EZLA_NOW, |t| t.time)
    })
}

/// The subject (RFC 4514) of the TSA certificate of signature time-stamp `index`; NULL when it did not verify, when out of range or
/// when `report` is NULL. Valid until `ezla_report_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_report_timestamp_tsa(
    report: *const ezla_report,
    index: usize,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(report)
            .and_then(|r| r.timestamps.get(index))
            .map_or(std::ptr::null(), |t| opt_ptr(&t.tsa))
    })
}

/// The TSA policy OID of signature time-stamp `index`; NULL when it did not verify, when out of range or
/// when `report` is NULL. Valid until `ezla_report_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_report_timestamp_policy(
    report: *const ezla_report,
    index: usize,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(report)
            .and_then(|r| r.timestamps.get(index))
            .map_or(std::ptr::null(), |t| opt_ptr(&t.policy))
    })
}

/// The serial number (hexadecimal) of signature time-stamp `index`; NULL when it did not verify, when out of range or
/// when `report` is NULL. Valid until `ezla_report_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_report_timestamp_serial(
    report: *const ezla_report,
    index: usize,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(report)
            .and_then(|r| r.timestamps.get(index))
            .map_or(std::ptr::null(), |t| opt_ptr(&t.serial))
    })
}

/// How the TSA of signature time-stamp `index` is trusted: `"chain"` (it chains to the TSA
/// trust anchors given), `"untrusted"` (none given) or `"invalid"` (it did not verify); NULL
/// when out of range or when `report` is NULL. Valid until `ezla_report_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_report_timestamp_trust(
    report: *const ezla_report,
    index: usize,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(report)
            .and_then(|r| r.timestamps.get(index))
            .map_or(std::ptr::null(), |t| t.trust.as_ptr())
    })
}

/// The instant the signer's certificate was judged at, Unix seconds: the caller's
/// `options->at`, else the earliest signature time-stamp whose TSA chains to
/// `options->tsa_trust`, else the time of verification. `EZLA_NOW` when unknown or when
/// `report` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_report_judged_at(report: *const ezla_report) -> i64 {
    boundary::getter(crate::instant::EZLA_NOW, || {
        boundary::opt_ref(report).map_or(crate::instant::EZLA_NOW, |r| r.judged_at)
    })
}

/// What the signer's certificate's CRL said, when `options->revocation` asked for a check
/// (which a verification that passed has passed: good, or revoked after the instant
/// judged); NULL when no check was asked for or `report` is NULL. Borrowed: valid until
/// `ezla_report_free`, never to be freed itself.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_report_revocation(
    report: *const ezla_report,
) -> *const ezla_revocation_info {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(report).map_or(std::ptr::null(), |r| lend_info(&r.revocation))
    })
}
