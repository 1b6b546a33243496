//! Signers (software keys and caller callbacks), XAdES signing and verification.

use std::ffi::{CString, c_char, c_void};
use std::sync::Arc;

use ezla_core::Error;
use ezla_core::crypto::{PublicKey, SignatureAlgorithm, Signer};
use ezla_core::error::KeyError;
use ezla_core::pki::TrustAnchors;
use ezla_core::xades::{self, IdMode, Profile, Report, SignOptions, SigningCertificateVersion};

use crate::boundary::{
    self, Failure, FfiResult, arg_bytes, arg_ref, opt_c_string, opt_ptr, out_ptr, write, write_box,
};
use crate::buffer::ezla_buffer;
use crate::error::{c_string, ezla_error, ezla_result};
use crate::pki::{algorithm_to_c, ezla_certificate, ezla_identity, ezla_private_key};

// ---------------------------------------------------------------------------------------------
// Signers

/// A signing callback: signs `len` bytes at `data` with `algorithm` (an
/// `ezla_signature_algorithm`), writing at most `sig_cap` bytes to `sig_out` and their
/// number to `*sig_len`; returns `EZLA_RESULT_OK`, or another `ezla_result` (such as
/// `EZLA_RESULT_SIGNING_FAILED`) to fail the operation.
///
/// ezla hashes nothing for the callback: `data` is the whole message (the canonical
/// `SignedInfo`), and the callback hashes it with the algorithm's digest. The signature is
/// the RSA signature value, or ECDSA as fixed-width `r || s`; `sig_cap` is exactly that
/// width for the key. `data`, `sig_out` and `sig_len` are valid only during the call.
/// `userdata` is the pointer given to `ezla_signer_from_callback`.
pub type ezla_sign_callback = Option<
    unsafe extern "C" fn(
        userdata: *mut c_void,
        algorithm: u32,
        data: *const u8,
        len: usize,
        sig_out: *mut u8,
        sig_cap: usize,
        sig_len: *mut usize,
    ) -> u32,
>;

struct CallbackSigner {
    callback:
        unsafe extern "C" fn(*mut c_void, u32, *const u8, usize, *mut u8, usize, *mut usize) -> u32,
    userdata: *mut c_void,
    public: PublicKey,
}

// SAFETY: the signer holds a C function pointer and the caller's userdata. ezla calls the
// callback only on the thread that runs the signing call; `ezla_signer_from_callback`
// documents that sharing such a signer between threads is safe only if the callback and its
// userdata are.
unsafe impl Send for CallbackSigner {}
// SAFETY: as above; the signer itself has no interior mutability.
unsafe impl Sync for CallbackSigner {}

impl std::fmt::Debug for CallbackSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallbackSigner")
            .field("key", &self.public.kind())
            .finish_non_exhaustive()
    }
}

impl Signer for CallbackSigner {
    fn public_key(&self) -> &PublicKey {
        &self.public
    }

    fn sign(&self, algorithm: SignatureAlgorithm, message: &[u8]) -> ezla_core::Result<Vec<u8>> {
        let Some(alg) = algorithm_to_c(algorithm) else {
            return Err(Error::Key(KeyError::Unsupported {
                detail: format!("{algorithm} cannot be handed to a C signing callback"),
            }));
        };
        let cap = self.public.kind().signature_len();
        let mut sig = vec![0u8; cap];
        let mut sig_len = usize::MAX;
        // SAFETY: the callback was supplied non-NULL by the caller with the documented
        // signature; `message` is readable for its length, `sig` writable for `cap` bytes and
        // `sig_len` is a live local, all for the duration of the call.
        let rc = unsafe {
            (self.callback)(
                self.userdata,
                alg as u32,
                message.as_ptr(),
                message.len(),
                sig.as_mut_ptr(),
                cap,
                &mut sig_len,
            )
        };
        if rc != 0 {
            let name = crate::error::result_name(rc);
            return Err(Error::Key(KeyError::SigningFailed {
                detail: format!("the signing callback returned {rc} ({name})"),
            }));
        }
        if sig_len > cap {
            return Err(Error::Key(KeyError::SigningFailed {
                detail: format!(
                    "the signing callback reported {sig_len} bytes, more than the {cap} allowed"
                ),
            }));
        }
        sig.truncate(sig_len);
        Ok(sig)
    }
}

enum SignerKind {
    Key(ezla_core::crypto::PrivateKey),
    Callback(CallbackSigner),
}

/// Something that signs: a software private key, or a caller's callback (a smart card, an
/// HSM, a remote signing service).
///
/// Thread safety: a key-backed signer may be used from several threads at once. A
/// callback-backed signer calls its callback on the thread that signs; share it between
/// threads only if the callback and its userdata are thread-safe.
pub struct ezla_signer {
    kind: SignerKind,
}

impl ezla_signer {
    pub(crate) fn as_signer(&self) -> &dyn Signer {
        match &self.kind {
            SignerKind::Key(k) => k,
            SignerKind::Callback(c) => c,
        }
    }
}

/// A signer using a software key (the signer keeps its own reference: `key` may be freed
/// afterwards).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_signer_from_private_key(
    key: *const ezla_private_key,
    signer_out: *mut *mut ezla_signer,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let key = arg_ref(key, "key")?;
        let out = out_ptr(signer_out, "signer_out")?;
        write_box(
            out,
            ezla_signer {
                kind: SignerKind::Key(key.inner.clone()),
            },
        );
        Ok(())
    })
}

/// A signer that calls `callback(userdata, ...)` for each signature, for the key whose
/// public half is in `cert` (the signer's certificate; the key never enters ezla).
/// `userdata` is passed through untouched and must stay valid while the signer is used.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER` (also for a NULL `callback`).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_signer_from_callback(
    cert: *const ezla_certificate,
    callback: ezla_sign_callback,
    userdata: *mut c_void,
    signer_out: *mut *mut ezla_signer,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let cert = arg_ref(cert, "cert")?;
        let callback = callback.ok_or(Failure::Null("callback"))?;
        let out = out_ptr(signer_out, "signer_out")?;
        write_box(
            out,
            ezla_signer {
                kind: SignerKind::Callback(CallbackSigner {
                    callback,
                    userdata,
                    public: cert.inner.public_key().clone(),
                }),
            },
        );
        Ok(())
    })
}

/// Frees a signer. `ezla_signer_free(NULL)` does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_signer_free(signer: *mut ezla_signer) {
    boundary::getter((), || boundary::free_box(signer))
}

// ---------------------------------------------------------------------------------------------
// Trust anchors

/// A set of trusted root certificates for verification.
///
/// Thread safety: `ezla_trust_anchors_add` mutates it and must not run concurrently with
/// any other use; otherwise it may be read from several threads at once. A verification
/// takes its own snapshot, so the set may be changed or freed afterwards.
pub struct ezla_trust_anchors {
    pub(crate) inner: TrustAnchors,
}

/// An empty set of trust anchors, in `*anchors_out`.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_trust_anchors_new(
    anchors_out: *mut *mut ezla_trust_anchors,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let out = out_ptr(anchors_out, "anchors_out")?;
        write_box(
            out,
            ezla_trust_anchors {
                inner: TrustAnchors::new(Vec::new()),
            },
        );
        Ok(())
    })
}

/// A set of trust anchors from every certificate of a PEM bundle (such as a CA bundle
/// file), in `*anchors_out`.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_PEM_MALFORMED` (not PEM, or no
/// `CERTIFICATE` block), `EZLA_RESULT_DER_MALFORMED` (a certificate that does not parse).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_trust_anchors_from_pem(
    pem: *const u8,
    len: usize,
    anchors_out: *mut *mut ezla_trust_anchors,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let pem = arg_bytes(pem, len, "pem")?;
        let out = out_ptr(anchors_out, "anchors_out")?;
        let inner = TrustAnchors::from_pem_bundle(pem)?;
        write_box(out, ezla_trust_anchors { inner });
        Ok(())
    })
}

/// Adds a trusted certificate (a copy of the reference is kept: `cert` may be freed).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_trust_anchors_add(
    anchors: *mut ezla_trust_anchors,
    cert: *const ezla_certificate,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        // SAFETY: NULL is checked; otherwise the caller passes a live, unshared set.
        let anchors = unsafe { anchors.as_mut() }.ok_or(Failure::Null("anchors"))?;
        let cert = arg_ref(cert, "cert")?;
        anchors.inner.add(cert.inner.clone());
        Ok(())
    })
}

/// The number of trusted certificates; 0 when `anchors` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_trust_anchors_len(anchors: *const ezla_trust_anchors) -> usize {
    boundary::getter(0, || {
        boundary::opt_ref(anchors).map_or(0, |a| a.inner.len())
    })
}

/// Frees a set of trust anchors. `ezla_trust_anchors_free(NULL)` does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_trust_anchors_free(anchors: *mut ezla_trust_anchors) {
    boundary::getter((), || boundary::free_box(anchors))
}

// ---------------------------------------------------------------------------------------------
// Signing

/// The XAdES-BES profiles.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ezla_profile {
    /// ZUS's sample shape with SHA-256 (RSA or P-256): the default.
    Zus = 0,
    /// ZUS's 2015–2018 sample shape with SHA-1 (RSA only).
    ZusLegacy = 1,
    /// Generic enveloped XAdES-BES with SHA-256 and exclusive C14N.
    XadesBes = 2,
}

fn profile_from_c(n: u32) -> FfiResult<Profile> {
    Ok(match n {
        0 => Profile::Zus,
        1 => Profile::ZusLegacy,
        2 => Profile::XadesBes,
        n => return Err(Failure::Invalid(format!("{n} is not an ezla_profile"))),
    })
}

fn profile_to_c(p: Profile) -> ezla_profile {
    match p {
        Profile::ZusLegacy => ezla_profile::ZusLegacy,
        Profile::XadesBes => ezla_profile::XadesBes,
        _ => ezla_profile::Zus,
    }
}

/// A static, NUL-terminated profile name: `"zus"`, `"zus-legacy"`, `"xades-bes"`;
/// `"unknown"` for other numbers. Never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_profile_name(profile: u32) -> *const c_char {
    match profile {
        0 => c"zus".as_ptr(),
        1 => c"zus-legacy".as_ptr(),
        2 => c"xades-bes".as_ptr(),
        _ => c"unknown".as_ptr(),
    }
}

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
    Ok(v)
}

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
    json: Vec<u8>,
}

impl ezla_report {
    fn new(r: &Report) -> FfiResult<Self> {
        let json =
            serde_json::to_vec(r).map_err(|e| Error::internal(format!("report to JSON: {e}")))?;
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
            json,
        })
    }
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
/// family (`EZLA_RESULT_CERTIFICATE_UNTRUSTED`, `EZLA_RESULT_CERTIFICATE_EXPIRED`, ...), or
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

/// The reports of every signature of a co-signed document (from `ezla_xades_verify_all`).
///
/// Thread safety: immutable; may be read from several threads at once.
pub struct ezla_reports {
    reports: Vec<ezla_report>,
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
