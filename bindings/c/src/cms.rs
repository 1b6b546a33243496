//! CMS (CAdES-BES) signatures for C: sign any bytes (a PDF printout, an attachment) with any
//! signer, and verify such a signature into a report.

use std::ffi::{CString, c_char};
use std::sync::Arc;

use ezla_core::cms::{self, SignOptions, VerifyOptions};
use ezla_core::tsp;

use crate::boundary::{self, arg_bytes, arg_ref, opt_ptr, out_ptr, write, write_box};
use crate::buffer::ezla_buffer;
use crate::error::{c_string, ezla_error, ezla_result};
use crate::pki::ezla_certificate;
use crate::revocation::{ezla_revocation_checker, ezla_revocation_info, lend_info};
use crate::signer::ezla_signer;
use crate::trust::ezla_trust_anchors;
use crate::tsp::{StampRow, digest_from_bits, token_options};

/// How `ezla_cms_sign` writes the signature. Start from `ezla_cms_sign_options_default()`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ezla_cms_sign_options {
    /// Leave the content out (a detached `.p7s`); default false (the content is carried).
    pub detached: bool,
    /// The digest: 256 (default), 384 or 512 (SHA-2).
    pub digest_bits: u32,
    /// Carry `chain` besides the signer's certificate; default false.
    pub include_chain: bool,
    /// Write PEM (`-----BEGIN CMS-----`) instead of DER; default false.
    pub pem: bool,
    /// The signing time to claim, Unix seconds, or `EZLA_NOW` (default).
    pub signing_time: i64,
}

/// The defaults: attached, SHA-256, no chain, DER, signed now.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cms_sign_options_default() -> ezla_cms_sign_options {
    ezla_cms_sign_options {
        detached: false,
        digest_bits: 256,
        include_chain: false,
        pem: false,
        signing_time: crate::instant::EZLA_NOW,
    }
}

/// Signs `len` bytes at `data` with `signer`, whose certificate is `cert`: a CAdES-BES CMS
/// `SignedData` (content-type, signing-time, message-digest, the ESS signing-certificate-v2
/// binding) in `*signed_out` (free with `ezla_buffer_free`). `chain` (`chain_len`
/// pointers, NULL when 0) is carried when `options->include_chain` is set; `options` may be
/// NULL for the defaults. `openssl cms -verify -binary` accepts the result.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_ARGUMENT` (a digest other
/// than 256/384/512 bits, a signing time out of range), `EZLA_RESULT_KEY_CERTIFICATE_MISMATCH`,
/// `EZLA_RESULT_SIGNING_FAILED` and the token errors of the signer.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cms_sign(
    data: *const u8,
    len: usize,
    signer: *const ezla_signer,
    cert: *const ezla_certificate,
    chain: *const *const ezla_certificate,
    chain_len: usize,
    options: *const ezla_cms_sign_options,
    signed_out: *mut ezla_buffer,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let data = arg_bytes(data, len, "data")?;
        let signer = arg_ref(signer, "signer")?;
        let cert = arg_ref(cert, "cert")?;
        let chain = crate::pki::cert_list(chain, chain_len)?;
        let o = boundary::opt_ref(options)
            .copied()
            .unwrap_or_else(|| ezla_cms_sign_options_default());
        let out = out_ptr(signed_out, "signed_out")?;
        let mut options = SignOptions::default();
        options.detached = o.detached;
        options.include_chain = o.include_chain;
        options.digest = digest_from_bits(o.digest_bits, "options->digest_bits")?;
        if o.signing_time != crate::instant::EZLA_NOW {
            options.signing_time =
                Some(boundary::arg_time(o.signing_time, "options->signing_time")?);
        }
        let der = cms::sign(data, signer.as_signer(), &cert.inner, &chain, &options)?;
        let bytes = if o.pem {
            cms::to_pem(&der).into_bytes()
        } else {
            der
        };
        write(out, ezla_buffer::from_vec(bytes));
        Ok(())
    })
}

/// What a valid CMS signature says. Made by `ezla_cms_verify`, freed by
/// `ezla_cms_report_free`.
///
/// Thread safety: immutable; may be read from several threads at once. Strings and bytes
/// from its getters live until `ezla_cms_report_free`.
pub struct ezla_cms_report {
    inner: cms::Report,
    pesel: Option<CString>,
    algorithm: CString,
    trust: CString,
    timestamps: Vec<StampRow>,
    judged_at: i64,
    revocation: Option<ezla_revocation_info>,
}

/// Verifies a CMS signature (`len` bytes at `signature`: DER, or PEM with a `CMS` or
/// `PKCS7` block), CAdES-BES or CAdES-T. For a detached signature, the signed content is
/// `content_len` bytes at `content`; for an attached one `content` must be NULL (with 0) or
/// the same bytes. With `trust` (may be NULL) the signer's certificate must chain to one of
/// the anchors.
///
/// Every signature time-stamp (CAdES-T) is checked against the signature value first, its
/// TSA against `tsa_trust` (may be NULL: each is `"untrusted"`); one that does not verify is
/// reported (`ezla_cms_report_timestamp_valid`), not a failed signature. The signer's
/// certificate is judged at `at` (Unix seconds), or, with `EZLA_NOW`, at the earliest
/// time-stamp whose TSA is trusted, else now (the signing time the signature claims is only
/// the signer's word, never the instant): a signature time-stamped by a trusted TSA while
/// the certificate was valid still verifies after it has expired. With `revocation` (may
/// be NULL: not checked) the signer's certificate is also checked against its issuer's CRL
/// at that instant (`ezla_cms_report_revocation`); that needs `trust`, whose validated
/// chain gives the issuer. The report goes to `*report_out` (free with
/// `ezla_cms_report_free`).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_DER_MALFORMED`,
/// `EZLA_RESULT_PEM_MALFORMED`, `EZLA_RESULT_SIGNATURE_MALFORMED` (e.g. a detached
/// signature without its content), `EZLA_RESULT_SIGNATURE_AMBIGUOUS` (more than one
/// signer), `EZLA_RESULT_DIGEST_MISMATCH` (the content is not what was signed),
/// `EZLA_RESULT_SIGNATURE_INVALID`, `EZLA_RESULT_SIGNING_CERTIFICATE_MISMATCH`,
/// `EZLA_RESULT_SIGNING_TIME_INVALID` (a claimed signing time after the trusted stamp),
/// `EZLA_RESULT_KEY_NOT_FOUND`, `EZLA_RESULT_UNSUPPORTED`, the certificate errors (with
/// `revocation`: `EZLA_RESULT_CERTIFICATE_REVOKED`, the CRL errors,
/// `EZLA_RESULT_REVOCATION_UNKNOWN`, and the transport errors of a fetch).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cms_verify(
    signature: *const u8,
    len: usize,
    content: *const u8,
    content_len: usize,
    trust: *const ezla_trust_anchors,
    tsa_trust: *const ezla_trust_anchors,
    revocation: *const ezla_revocation_checker,
    at: i64,
    report_out: *mut *mut ezla_cms_report,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let signature = arg_bytes(signature, len, "signature")?;
        let content = if content.is_null() && content_len == 0 {
            None
        } else {
            Some(arg_bytes(content, content_len, "content")?)
        };
        let out = out_ptr(report_out, "report_out")?;
        let mut options = VerifyOptions::default();
        if let Some(t) = boundary::opt_ref(trust) {
            options = options.with_trust(Arc::new(t.inner.clone()));
        }
        if let Some(r) = boundary::opt_ref(revocation) {
            options = options.with_revocation(r.shared());
        }
        if at != crate::instant::EZLA_NOW {
            options = options.at(boundary::arg_time(at, "at")?);
        }
        let verified = tsp::cades::verify(signature, content, &options, &token_options(tsa_trust))?;
        let mut timestamps: Vec<StampRow> =
            verified.timestamps.iter().map(StampRow::verified).collect();
        timestamps.extend(
            verified
                .invalid_timestamps
                .iter()
                .map(|e| StampRow::invalid(&format!("{:?}: {e}", e.code()))),
        );
        let inner = verified.report;
        write_box(
            out,
            ezla_cms_report {
                pesel: inner.pesel.as_deref().map(c_string),
                algorithm: c_string(&inner.algorithm.name()),
                trust: c_string(inner.trust),
                timestamps,
                judged_at: verified.judged_at.unix_timestamp(),
                revocation: inner.revocation.as_ref().map(ezla_revocation_info::new),
                inner,
            },
        );
        Ok(())
    })
}

/// Frees a report. `ezla_cms_report_free(NULL)` does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cms_report_free(report: *mut ezla_cms_report) {
    boundary::getter((), || boundary::free_box(report))
}

/// A copy of the signer's certificate in `*cert_out` (free with `ezla_certificate_free`).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cms_report_signer_certificate(
    report: *const ezla_cms_report,
    cert_out: *mut *mut ezla_certificate,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let report = arg_ref(report, "report")?;
        let out = out_ptr(cert_out, "cert_out")?;
        write_box(out, ezla_certificate::new(report.inner.signer.clone()));
        Ok(())
    })
}

/// The signer's PESEL; NULL when the certificate carries none or `report` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cms_report_pesel(report: *const ezla_cms_report) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(report)
            .and_then(|r| r.pesel.as_ref())
            .map_or(std::ptr::null(), |p| p.as_ptr())
    })
}

/// The signing time the signer claims, Unix seconds; `EZLA_NOW` when the signature claims
/// none or `report` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cms_report_signing_time(report: *const ezla_cms_report) -> i64 {
    boundary::getter(crate::instant::EZLA_NOW, || {
        boundary::opt_ref(report)
            .and_then(|r| r.inner.signing_time)
            .map_or(crate::instant::EZLA_NOW, |t| t.unix_timestamp())
    })
}

/// The signature algorithm, e.g. `"RSA-SHA256"`; NULL when `report` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cms_report_algorithm(report: *const ezla_cms_report) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(report).map_or(std::ptr::null(), |r| r.algorithm.as_ptr())
    })
}

/// `"chain"` (validated against the anchors given) or `"untrusted"`; NULL when `report` is
/// NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cms_report_trust(report: *const ezla_cms_report) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(report).map_or(std::ptr::null(), |r| r.trust.as_ptr())
    })
}

/// Whether the content was carried inside the signature; false when `report` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cms_report_attached(report: *const ezla_cms_report) -> bool {
    boundary::getter(false, || {
        boundary::opt_ref(report).is_some_and(|r| r.inner.attached)
    })
}

/// Whether the signed attributes bind the signer's certificate (CAdES-BES); false for plain
/// CMS and when `report` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cms_report_ess_binding(report: *const ezla_cms_report) -> bool {
    boundary::getter(false, || {
        boundary::opt_ref(report).is_some_and(|r| r.inner.ess_binding)
    })
}

/// The signed content, borrowed: its bytes in `*data_out` and their number in `*len_out`
/// (valid until `ezla_cms_report_free`). False (nothing written) when an argument is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cms_report_content(
    report: *const ezla_cms_report,
    data_out: *mut *const u8,
    len_out: *mut usize,
) -> bool {
    boundary::getter(false, || {
        boundary::lend(
            boundary::opt_ref(report).map(|r| &r.inner.content[..]),
            data_out,
            len_out,
        )
    })
}

/// The number of signature time-stamps the signature carries (verified or not); 0 when
/// `report` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cms_report_timestamp_count(report: *const ezla_cms_report) -> usize {
    boundary::getter(0, || {
        boundary::opt_ref(report).map_or(0, |r| r.timestamps.len())
    })
}

/// Whether signature time-stamp `index` verified against the signature value. One that did
/// not is reported here, not as a failed signature; it sets no instant. False when out of
/// range or when `report` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cms_report_timestamp_valid(
    report: *const ezla_cms_report,
    index: usize,
) -> bool {
    boundary::getter(false, || {
        boundary::opt_ref(report)
            .and_then(|r| r.timestamps.get(index))
            .is_some_and(|t| t.valid)
    })
}

/// Why signature time-stamp `index` did not verify (the error's name and message); NULL when
/// it verified, when out of range or when `report` is NULL. Valid until `ezla_cms_report_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cms_report_timestamp_error(
    report: *const ezla_cms_report,
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
pub extern "C" fn ezla_cms_report_timestamp_time(
    report: *const ezla_cms_report,
    index: usize,
) -> i64 {
    boundary::getter(crate::instant::EZLA_NOW, || {
        boundary::opt_ref(report)
            .and_then(|r| r.timestamps.get(index))
            .map_or(crate::instant::EZLA_NOW, |t| t.time)
    })
}

/// The subject (RFC 4514) of the TSA certificate of signature time-stamp `index`; NULL when it did not verify, when out of range or
/// when `report` is NULL. Valid until `ezla_cms_report_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cms_report_timestamp_tsa(
    report: *const ezla_cms_report,
    index: usize,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(report)
            .and_then(|r| r.timestamps.get(index))
            .map_or(std::ptr::null(), |t| opt_ptr(&t.tsa))
    })
}

/// The TSA policy OID of signature time-stamp `index`; NULL when it did not verify, when out of range or
/// when `report` is NULL. Valid until `ezla_cms_report_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cms_report_timestamp_policy(
    report: *const ezla_cms_report,
    index: usize,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(report)
            .and_then(|r| r.timestamps.get(index))
            .map_or(std::ptr::null(), |t| opt_ptr(&t.policy))
    })
}

/// The serial number (hexadecimal) of signature time-stamp `index`; NULL when it did not verify, when out of range or
/// when `report` is NULL. Valid until `ezla_cms_report_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cms_report_timestamp_serial(
    report: *const ezla_cms_report,
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
/// when out of range or when `report` is NULL. Valid until `ezla_cms_report_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cms_report_timestamp_trust(
    report: *const ezla_cms_report,
    index: usize,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(report)
            .and_then(|r| r.timestamps.get(index))
            .map_or(std::ptr::null(), |t| t.trust.as_ptr())
    })
}

/// The instant the signer's certificate was judged at, Unix seconds: the caller's `at`,
/// else the earliest signature time-stamp whose TSA is trusted, else the time of
/// verification (never the signing time the signer claims). `EZLA_NOW` when `report` is
/// NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cms_report_judged_at(report: *const ezla_cms_report) -> i64 {
    boundary::getter(crate::instant::EZLA_NOW, || {
        boundary::opt_ref(report).map_or(crate::instant::EZLA_NOW, |r| r.judged_at)
    })
}

/// What the signer's certificate's CRL said, when `ezla_cms_verify` was given a
/// `revocation` checker; NULL when it was not or `report` is NULL. Borrowed: valid until
/// `ezla_cms_report_free`, never to be freed itself.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cms_report_revocation(
    report: *const ezla_cms_report,
) -> *const ezla_revocation_info {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(report).map_or(std::ptr::null(), |r| lend_info(&r.revocation))
    })
}
