//! XAdES signing and verification.

use std::ffi::c_char;
use std::sync::Arc;

use ezla_core::Error;
use ezla_core::xades::{self, IdMode, SignOptions, SigningCertificateVersion};

use crate::boundary::{self, Failure, FfiResult, arg_bytes, arg_ref, out_ptr, write, write_box};
use crate::buffer::ezla_buffer;
use crate::error::{ezla_error, ezla_result};
use crate::pki::{ezla_certificate, ezla_identity};
use crate::profile::{ezla_profile, profile_from_c};
use crate::report::{ezla_report, ezla_reports};
use crate::revocation::ezla_revocation_checker;
use crate::signer::ezla_signer;
use crate::trust::ezla_trust_anchors;

// ---------------------------------------------------------------------------------------------
// Signing

/// Options for signing. Start from `ezla_sign_options_default()` and change fields.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ezla_sign_options {
    /// An `ezla_profile` (default `EZLA_PROFILE_ZUS`).
    pub profile: u32,
    /// The signing time to write, Unix seconds, or `EZLA_NOW` (default).
    pub signing_time: i64,
    /// Write `SigningCertificateV2` (EN 319 132-1) instead of XAdES 1.3.2
    /// `SigningCertificate` (default false, as ZUS's samples).
    pub signing_certificate_v2: bool,
    /// Also put the chain certificates in `KeyInfo` (default false).
    pub include_chain: bool,
    /// Sign a document that already carries a signature (default false).
    pub allow_cosigning: bool,
    /// Sign with a certificate that is expired or not yet valid at the signing time
    /// (default false: refused).
    pub allow_invalid_certificate: bool,
    /// NUL-terminated prefix for fixed `Id`s (`<prefix>-Signature`, ...), for reproducible
    /// output together with a fixed `signing_time`; NULL (default) for random Ids.
    pub id_prefix: *const c_char,
}

/// The default signing options: profile `zus`, signing time now, random Ids.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_sign_options_default() -> ezla_sign_options {
    ezla_sign_options {
        profile: ezla_profile::Zus as u32,
        signing_time: crate::instant::EZLA_NOW,
        signing_certificate_v2: false,
        include_chain: false,
        allow_cosigning: false,
        allow_invalid_certificate: false,
        id_prefix: std::ptr::null(),
    }
}

fn sign_options(o: Option<&ezla_sign_options>) -> FfiResult<SignOptions> {
    let d = ezla_sign_options_default();
    let o = o.unwrap_or(&d);
    let mut s = SignOptions::profile(profile_from_c(o.profile)?);
    if o.signing_time != crate::instant::EZLA_NOW {
        s.signing_time = Some(boundary::arg_time(o.signing_time, "options.signing_time")?);
    }
    if o.signing_certificate_v2 {
        s.signing_certificate = SigningCertificateVersion::V2;
    }
    s.include_chain = o.include_chain;
    s.allow_cosigning = o.allow_cosigning;
    s.allow_invalid_certificate = o.allow_invalid_certificate;
    if let Some(prefix) = boundary::arg_opt_str(o.id_prefix, "options.id_prefix")? {
        s.ids = IdMode::Deterministic(prefix.to_owned());
    }
    Ok(s)
}

/// Signs `document` (UTF-8 XML, `len` bytes) with an enveloped XAdES-BES signature made by
/// `identity` (from a `.pfx`), appended as the last child of the document element. The
/// input bytes are kept as they are and the signature is spliced in; the result goes to
/// `*signed_out` (free with `ezla_buffer_free`). `options` may be NULL for the defaults.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_ARGUMENT`,
/// `EZLA_RESULT_XML_MALFORMED`, `EZLA_RESULT_XML_DTD_FORBIDDEN`, `EZLA_RESULT_ALREADY_SIGNED`,
/// `EZLA_RESULT_CERTIFICATE_EXPIRED`, `EZLA_RESULT_CERTIFICATE_NOT_YET_VALID`,
/// `EZLA_RESULT_UNSUPPORTED_KEY` (e.g. an EC key with `zus-legacy`).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_xades_sign_with_identity(
    document: *const u8,
    len: usize,
    identity: *const ezla_identity,
    options: *const ezla_sign_options,
    signed_out: *mut ezla_buffer,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let document = arg_bytes(document, len, "document")?;
        let id = arg_ref(identity, "identity")?;
        let options = sign_options(boundary::opt_ref(options))?;
        let out = out_ptr(signed_out, "signed_out")?;
        let signed = xades::sign_with_identity(document, &id.inner, &options)?;
        write(out, ezla_buffer::from_vec(signed));
        Ok(())
    })
}

/// Like `ezla_xades_sign_with_identity`, signing with `signer` (a software key or a
/// callback) for the certificate `cert`; `chain` (`chain_len` pointers, NULL when 0) is
/// written to `KeyInfo` when `options->include_chain` is set.
///
/// Errors: as `ezla_xades_sign_with_identity`, plus `EZLA_RESULT_KEY_CERTIFICATE_MISMATCH`
/// and `EZLA_RESULT_SIGNING_FAILED` (the callback failed or returned too many bytes).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_xades_sign(
    document: *const u8,
    len: usize,
    signer: *const ezla_signer,
    cert: *const ezla_certificate,
    chain: *const *const ezla_certificate,
    chain_len: usize,
    options: *const ezla_sign_options,
    signed_out: *mut ezla_buffer,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let document = arg_bytes(document, len, "document")?;
        let signer = arg_ref(signer, "signer")?;
        let cert = arg_ref(cert, "cert")?;
        let chain = crate::pki::cert_list(chain, chain_len)?;
        let options = sign_options(boundary::opt_ref(options))?;
        let out = out_ptr(signed_out, "signed_out")?;
        let signed = xades::sign(document, signer.as_signer(), &cert.inner, &chain, &options)?;
        write(out, ezla_buffer::from_vec(signed));
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// Verification

/// Options for verification. Start from `ezla_verify_options_default()`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ezla_verify_options {
    /// The instant to check certificates at, Unix seconds, or `EZLA_NOW` (default).
    pub at: i64,
    /// Accept the `zus-legacy` profile (SHA-1), which ZUS itself used (default true).
    pub accept_legacy: bool,
    /// Allow more than one signature (default false). Every signature must verify; the
    /// report is the first one's (`ezla_xades_verify_all` gives them all).
    pub allow_cosignatures: bool,
    /// Trust anchors for the signer's certificate, or NULL (default): without them the
    /// signature is checked with the certificate it carries and the report's trust is
    /// `"untrusted"`.
    pub trust: *const ezla_trust_anchors,
    /// The expected signer certificate, or NULL (default): when set, the signature must
    /// verify with it and the report's trust is `"pinned"` (takes precedence over `trust`).
    pub signer_certificate: *const ezla_certificate,
    /// How many seconds the claimed signing time may lie after `at` (default 300, 5 minutes):
    /// a later signing time fails with `EZLA_RESULT_SIGNING_TIME_INVALID`. Must not be
    /// negative.
    pub max_clock_skew: i64,
    /// Trust anchors for the TSAs of signature time-stamps (XAdES-T), or NULL (default):
    /// each time-stamp is checked with the certificate it carries and reported
    /// `"untrusted"`. With them, the earliest time-stamp whose TSA chains to them is the
    /// instant the signer's certificate is judged at (unless `at` is set), so that a
    /// signature stamped while its certificate was valid verifies after it has expired.
    pub tsa_trust: *const ezla_trust_anchors,
    /// A revocation checker for the signer's certificate, or NULL (default: not checked).
    /// With one, the signer's certificate is checked against its issuer's CRL at the instant
    /// it is judged (see `ezla_report_judged_at`), and `ezla_report_revocation` says what
    /// the CRL said; a revoked certificate fails with `EZLA_RESULT_CERTIFICATE_REVOKED`. It
    /// needs `trust` (the issuer comes from the validated chain): with a pinned certificate
    /// or none it fails with `EZLA_RESULT_REVOCATION_UNKNOWN`. The checker must outlive the
    /// call only (the verification holds its own reference while it runs).
    pub revocation: *const ezla_revocation_checker,
}

/// The default verification options.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_verify_options_default() -> ezla_verify_options {
    ezla_verify_options {
        at: crate::instant::EZLA_NOW,
        accept_legacy: true,
        allow_cosignatures: false,
        trust: std::ptr::null(),
        signer_certificate: std::ptr::null(),
        max_clock_skew: xades::DEFAULT_MAX_CLOCK_SKEW.whole_seconds(),
        tsa_trust: std::ptr::null(),
        revocation: std::ptr::null(),
    }
}

fn verify_options(o: Option<&ezla_verify_options>) -> FfiResult<xades::VerifyOptions> {
    let d = ezla_verify_options_default();
    let o = o.unwrap_or(&d);
    let mut v = xades::VerifyOptions::default();
    if o.at != crate::instant::EZLA_NOW {
        v.at = Some(boundary::arg_time(o.at, "options.at")?);
    }
    if o.max_clock_skew < 0 {
        return Err(Failure::Invalid(format!(
            "options.max_clock_skew is {} seconds, which is negative",
            o.max_clock_skew
        )));
    }
    v.max_clock_skew = time::Duration::seconds(o.max_clock_skew);
    v.accept_legacy = o.accept_legacy;
    v.allow_cosignatures = o.allow_cosignatures;
    if let Some(t) = boundary::opt_ref(o.trust) {
        v.trust = Some(Arc::new(t.inner.clone()));
    }
    if let Some(c) = boundary::opt_ref(o.signer_certificate) {
        v.signer_certificate = Some(c.inner.clone());
    }
    if let Some(t) = boundary::opt_ref(o.tsa_trust) {
        v = v.with_tsa_trust(Arc::new(t.inner.clone()));
    }
    if let Some(r) = boundary::opt_ref(o.revocation) {
        v = v.with_revocation(r.shared());
    }
    Ok(v)
}

/// Verifies the document's XAdES-BES signature (enveloped, a child of the document
/// element, covering the whole element and its signed properties). On success writes a
/// report to `*report_out` (free with `ezla_report_free`). `options` may be NULL for the
/// defaults.
///
/// An invalid signature is never `EZLA_RESULT_OK`: it fails with a code in the signature
/// family (`ezla_result_is_signature_error`), e.g. `EZLA_RESULT_SIGNATURE_INVALID`,
/// `EZLA_RESULT_DIGEST_MISMATCH`, `EZLA_RESULT_SIGNATURE_MISSING`,
/// `EZLA_RESULT_SIGNATURE_AMBIGUOUS`, `EZLA_RESULT_REFERENCE_MISMATCH`, or the certificate
/// family (`EZLA_RESULT_CERTIFICATE_UNTRUSTED`, `EZLA_RESULT_CERTIFICATE_EXPIRED`, with
/// `options->revocation` `EZLA_RESULT_CERTIFICATE_REVOKED` and the CRL errors, ...), or
/// `EZLA_RESULT_XML_MALFORMED` / `EZLA_RESULT_NULL_PARAMETER`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_xades_verify(
    document: *const u8,
    len: usize,
    options: *const ezla_verify_options,
    report_out: *mut *mut ezla_report,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let document = arg_bytes(document, len, "document")?;
        let options = verify_options(boundary::opt_ref(options))?;
        let out = out_ptr(report_out, "report_out")?;
        let report = if options.allow_cosignatures {
            // Every signature must verify (the core's `verify` checks only the first one of
            // a co-signed document), and the report is the first one's.
            xades::verify_all(document, &options)?
                .into_iter()
                .next()
                .ok_or_else(|| Error::internal("verify_all returned no report"))?
        } else {
            xades::verify(document, &options)?
        };
        write_box(out, ezla_report::new(&report)?);
        Ok(())
    })
}

/// Verifies every XAdES-BES signature of a co-signed document (each enveloped, a child of
/// the document element, covering it all); fails unless every one verifies. On success
/// writes their reports, in document order, to `*reports_out` (free with
/// `ezla_reports_free`). `options->allow_cosignatures` is not needed.
///
/// Errors: as `ezla_xades_verify`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_xades_verify_all(
    document: *const u8,
    len: usize,
    options: *const ezla_verify_options,
    reports_out: *mut *mut ezla_reports,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let document = arg_bytes(document, len, "document")?;
        let options = verify_options(boundary::opt_ref(options))?;
        let out = out_ptr(reports_out, "reports_out")?;
        let reports = xades::verify_all(document, &options)?
            .iter()
            .map(ezla_report::new)
            .collect::<FfiResult<Vec<_>>>()?;
        write_box(out, ezla_reports { reports });
        Ok(())
    })
}
