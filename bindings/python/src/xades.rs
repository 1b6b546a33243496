//! XAdES-BES signing and verification.

use std::sync::Arc;

use ezla_core::dsig::CertificateValidator;
use ezla_core::xades::{
    self, IdMode, Profile, ReferenceReport, Report, SignOptions, SignerReport,
    SigningCertificateVersion, VerifyOptions,
};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::PyBytes;

use crate::convert::{bytes, from_datetime, invalid, json_to_python, parse_time};
use crate::errors::to_py;
use crate::pki::{pinned_certificate, trust_anchors};
use crate::signer::with_signer;

fn profile(name: &str) -> PyResult<Profile> {
    Profile::from_name(name).ok_or_else(|| {
        invalid(
            "profile",
            format!("{name:?} is not one of 'zus', 'zus-legacy', 'xades-bes'"),
        )
    })
}

/// Signs an e-ZLA (or any UTF-8 XML) document with an enveloped XAdES-BES signature and
/// returns the document with the signature spliced in (the original bytes are kept).
/// `identity` is an `Identity` or an `ExternalSigner`.
///
/// Options:
///
/// - profile (str, default "zus"): the signature shape: "zus" (ZUS's shape with SHA-256, RSA or
///   P-256), "zus-legacy" (the same with SHA-1, RSA only, as ZUS's 2015-2018 samples) or
///   "xades-bes" (generic enveloped XAdES-BES with exclusive C14N, for general-purpose verifiers).
/// - signing_time (timezone-aware datetime.datetime, default None): the SigningTime to claim; None:
///   now.
/// - signing_certificate (str, default "v1"): the property naming the signer's certificate: "v1"
///   (XAdES 1.3.2 SigningCertificate with IssuerSerial, as ZUS's samples) or "v2"
///   (EN 319 132-1 SigningCertificateV2 with IssuerSerialV2).
/// - include_chain (bool, default False): also write the identity's issuing chain into KeyInfo.
/// - allow_cosigning (bool, default False): add a signature to a document that already has one;
///   otherwise AlreadySigned is raised.
/// - allow_invalid_certificate (bool, default False): sign even when the certificate is expired or
///   not yet valid at the signing time (tests only; ZUS refuses such documents).
/// - id_prefix (str, default None): make the signature's Id attributes deterministic, starting with
///   this prefix (reproducible output for tests); None: random Ids.
#[pyfunction]
#[pyo3(signature = (xml, identity, *, profile = "zus", signing_time = None,
    signing_certificate = "v1", include_chain = false, allow_cosigning = false,
    allow_invalid_certificate = false, id_prefix = None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn sign_xades<'py>(
    py: Python<'py>,
    xml: PyBackedBytes,
    identity: &Bound<'py, PyAny>,
    profile: &str,
    signing_time: Option<&Bound<'_, PyAny>>,
    signing_certificate: &str,
    include_chain: bool,
    allow_cosigning: bool,
    allow_invalid_certificate: bool,
    id_prefix: Option<String>,
) -> PyResult<Bound<'py, PyBytes>> {
    let mut options = SignOptions::profile(self::profile(profile)?);
    options.signing_certificate = match signing_certificate {
        "v1" => SigningCertificateVersion::V1,
        "v2" => SigningCertificateVersion::V2,
        other => {
            return Err(invalid(
                "signing_certificate",
                format!("{other:?} is not 'v1' or 'v2'"),
            ));
        }
    };
    if let Some(t) = signing_time.filter(|t| !t.is_none()) {
        options.signing_time = Some(from_datetime(t, "signing_time")?);
    }
    if let Some(prefix) = id_prefix {
        options.ids = IdMode::Deterministic(prefix);
    }
    options.include_chain = include_chain;
    options.allow_cosigning = allow_cosigning;
    options.allow_invalid_certificate = allow_invalid_certificate;
    with_signer(identity, |s| {
        let signed = py
            .detach(|| xades::sign(&xml, s.signer(), s.certificate(), s.chain(), &options))
            .map_err(|e| s.error(e))?;
        Ok(bytes(py, &signed))
    })
}

/// A `datetime.timedelta` (not negative) as a skew.
fn clock_skew(value: &Bound<'_, PyAny>) -> PyResult<time::Duration> {
    let seconds: f64 = value
        .call_method0("total_seconds")
        .and_then(|s| s.extract())
        .map_err(|_| invalid("max_clock_skew", "expected a datetime.timedelta".into()))?;
    if !(0.0..=1e12).contains(&seconds) {
        return Err(invalid(
            "max_clock_skew",
            format!("{seconds} s is negative or absurdly large"),
        ));
    }
    Ok(time::Duration::seconds_f64(seconds))
}

#[allow(clippy::too_many_arguments)]
fn verify_options(
    trust: Option<&Bound<'_, PyAny>>,
    signer_certificate: Option<&Bound<'_, PyAny>>,
    at: Option<&Bound<'_, PyAny>>,
    max_clock_skew: Option<&Bound<'_, PyAny>>,
    accept_legacy: bool,
    allow_cosignatures: bool,
    allow_legacy_algorithms: bool,
    tsa_trust: Option<&Bound<'_, PyAny>>,
    revocation: Option<&Bound<'_, PyAny>>,
) -> PyResult<VerifyOptions> {
    let mut options = VerifyOptions::default();
    options.revocation = crate::revocation::checker_arg(revocation)?;
    if let Some(trust) = tsa_trust.filter(|t| !t.is_none()) {
        let validator: Arc<dyn CertificateValidator> = trust_anchors(trust, "tsa_trust")?;
        options.tsa_trust = Some(validator);
    }
    if let Some(trust) = trust.filter(|t| !t.is_none()) {
        let validator: Arc<dyn CertificateValidator> = trust_anchors(trust, "trust")?;
        options.trust = Some(validator);
    }
    if let Some(cert) = signer_certificate.filter(|c| !c.is_none()) {
        options.signer_certificate = Some(pinned_certificate(cert)?);
    }
    if let Some(at) = at.filter(|a| !a.is_none()) {
        options.at = Some(from_datetime(at, "at")?);
    }
    if let Some(skew) = max_clock_skew.filter(|s| !s.is_none()) {
        options.max_clock_skew = clock_skew(skew)?;
    }
    options.accept_legacy = accept_legacy;
    options.allow_cosignatures = allow_cosignatures;
    options.allow_legacy_algorithms = allow_legacy_algorithms;
    Ok(options)
}

/// Verifies the document's only XAdES-BES signature and returns the report; raises an
/// `InvalidSignature` subclass (or `CertificateError` with trust anchors) when it does not
/// verify. Without `trust` or `signer_certificate` the signature is checked with the
/// certificate it carries and `report.trusted` is false. A signing time later than `at`
/// (default now) by more than `max_clock_skew` (a `datetime.timedelta`, default 5 minutes)
/// is invalid.
///
/// Options:
///
/// - trust (list of Certificate or PEM/DER bytes, or a TrustStore; default None): trust anchors;
///   the signer's certificate must chain to one of them, else CertificateError. None: no chain
///   validation (the signature's own certificate is used, report.trusted is false).
/// - signer_certificate (Certificate or PEM/DER bytes, default None): the expected signer; the
///   signature must verify with this certificate's key ("pinned" trust).
/// - at (timezone-aware datetime.datetime, default None): the instant at which the certificates
///   must be valid and the signing time not in the future; None: now.
/// - max_clock_skew (datetime.timedelta, default None): how far the signing time may lie after
///   `at`; None: 5 minutes.
/// - accept_legacy (bool, default True): accept the zus-legacy profile (SHA-1 in the shape ZUS
///   itself used); False refuses it. SHA-1 is refused in every other shape.
/// - allow_cosignatures (bool, default False): accept a document with more than one signature;
///   every one must verify and the first one's report is returned (verify_xades_all returns
///   them all). Otherwise a second signature raises SignatureAmbiguous.
/// - allow_legacy_algorithms (bool, default False): accept SHA-1 and RSA keys from 1024 bits in
///   any shape, not only in the zus-legacy profile: for inspecting old third-party documents,
///   never for accepting e-ZLA.
/// - tsa_trust (list of Certificate or PEM/DER bytes, or a TrustStore; default None): trust
///   anchors for the TSAs of signature time-stamps (XAdES-T). Every time-stamp is checked
///   either way; with these, one whose TSA chains to them is trusted and, without `at`, the
///   signer's certificate is judged at the time it stamped (report.judged_at).
/// - revocation (RevocationChecker, default None): check the signer's certificate against
///   its issuer's CRL at the instant it is judged (report.revocation); needs `trust`. A
///   revoked certificate raises CertificateRevoked; a CRL that cannot be used, CrlError.
#[pyfunction]
#[pyo3(signature = (xml, *, trust = None, signer_certificate = None, at = None,
    max_clock_skew = None, accept_legacy = true, allow_cosignatures = false,
    allow_legacy_algorithms = false, tsa_trust = None, revocation = None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn verify_xades(
    py: Python<'_>,
    xml: PyBackedBytes,
    trust: Option<&Bound<'_, PyAny>>,
    signer_certificate: Option<&Bound<'_, PyAny>>,
    at: Option<&Bound<'_, PyAny>>,
    max_clock_skew: Option<&Bound<'_, PyAny>>,
    accept_legacy: bool,
    allow_cosignatures: bool,
    allow_legacy_algorithms: bool,
    tsa_trust: Option<&Bound<'_, PyAny>>,
    revocation: Option<&Bound<'_, PyAny>>,
) -> PyResult<VerificationReport> {
    let options = verify_options(
        trust,
        signer_certificate,
        at,
        max_clock_skew,
        accept_legacy,
        allow_cosignatures,
        allow_legacy_algorithms,
        tsa_trust,
        revocation,
    )?;
    py.detach(|| xades::verify(&xml, &options))
        .map(|inner| VerificationReport { inner })
        .map_err(to_py)
}

/// Verifies every signature of a co-signed document (each must be a valid XAdES-BES
/// signature covering the whole document element) and returns one report per signature,
/// in document order; raises on the first that does not verify.
///
/// Options:
///
/// - trust (list of Certificate or PEM/DER bytes, or a TrustStore; default None): trust anchors;
///   the signer's certificate must chain to one of them, else CertificateError. None: no chain
///   validation (the signature's own certificate is used, report.trusted is false).
/// - signer_certificate (Certificate or PEM/DER bytes, default None): the expected signer; the
///   signature must verify with this certificate's key ("pinned" trust).
/// - at (timezone-aware datetime.datetime, default None): the instant at which the certificates
///   must be valid and the signing time not in the future; None: now.
/// - max_clock_skew (datetime.timedelta, default None): how far the signing time may lie after
///   `at`; None: 5 minutes.
/// - accept_legacy (bool, default True): accept the zus-legacy profile (SHA-1 in the shape ZUS
///   itself used); False refuses it. SHA-1 is refused in every other shape.
/// - allow_legacy_algorithms (bool, default False): accept SHA-1 and RSA keys from 1024 bits in
///   any shape, not only in the zus-legacy profile: for inspecting old third-party documents,
///   never for accepting e-ZLA.
/// - tsa_trust (list of Certificate or PEM/DER bytes, or a TrustStore; default None): trust
///   anchors for the TSAs of signature time-stamps (XAdES-T). Every time-stamp is checked
///   either way; with these, one whose TSA chains to them is trusted and, without `at`, the
///   signer's certificate is judged at the time it stamped (report.judged_at).
/// - revocation (RevocationChecker, default None): check the signer's certificate against
///   its issuer's CRL at the instant it is judged (report.revocation); needs `trust`. A
///   revoked certificate raises CertificateRevoked; a CRL that cannot be used, CrlError.
#[pyfunction]
#[pyo3(signature = (xml, *, trust = None, signer_certificate = None, at = None,
    max_clock_skew = None, accept_legacy = true, allow_legacy_algorithms = false,
    tsa_trust = None, revocation = None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn verify_xades_all(
    py: Python<'_>,
    xml: PyBackedBytes,
    trust: Option<&Bound<'_, PyAny>>,
    signer_certificate: Option<&Bound<'_, PyAny>>,
    at: Option<&Bound<'_, PyAny>>,
    max_clock_skew: Option<&Bound<'_, PyAny>>,
    accept_legacy: bool,
    allow_legacy_algorithms: bool,
    tsa_trust: Option<&Bound<'_, PyAny>>,
    revocation: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<VerificationReport>> {
    let options = verify_options(
        trust,
        signer_certificate,
        at,
        max_clock_skew,
        accept_legacy,
        true,
        allow_legacy_algorithms,
        tsa_trust,
        revocation,
    )?;
    py.detach(|| xades::verify_all(&xml, &options))
        .map(|v| {
            v.into_iter()
                .map(|inner| VerificationReport { inner })
                .collect()
        })
        .map_err(to_py)
}

/// The outcome of a successful verification: who signed what, when and how.
#[pyclass(frozen, module = "ezla", name = "VerificationReport")]
pub(crate) struct VerificationReport {
    inner: Report,
}

#[pymethods]
impl VerificationReport {
    /// The profile the signature matches: `zus`, `zus-legacy` or `xades-bes`.
    #[getter]
    fn profile(&self) -> &'static str {
        self.inner.profile.name()
    }

    /// The signature algorithm, e.g. `RSA-SHA256`.
    #[getter]
    fn signature_algorithm(&self) -> &str {
        &self.inner.signature_algorithm
    }

    /// The `SignedInfo` canonicalization URI.
    #[getter]
    fn canonicalization(&self) -> &str {
        &self.inner.canonicalization
    }

    /// The claimed signing time (`SigningTime`), timezone-aware.
    #[getter]
    fn signing_time<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner
            .signing_time
            .as_deref()
            .map(|s| parse_time(py, s))
            .transpose()
    }

    /// How the signing certificate is protected: `v1`, `v2` or `keyinfo`.
    #[getter]
    fn signing_certificate(&self) -> &str {
        &self.inner.signing_certificate
    }

    /// The signer as the verified certificate names them.
    #[getter]
    fn signer(&self) -> SignerInfo {
        SignerInfo {
            inner: self.inner.signer.clone(),
        }
    }

    /// `pinned`, `chain` (validated against the trust anchors) or `untrusted`.
    #[getter]
    fn trust(&self) -> &str {
        &self.inner.trust
    }

    /// Whether the signer's certificate was validated (`pinned` or `chain`).
    #[getter]
    fn trusted(&self) -> bool {
        self.inner.trust != "untrusted"
    }

    /// Subjects of the validated chain above the signer, nearest first.
    #[getter]
    fn chain(&self) -> Vec<String> {
        self.inner.chain.clone()
    }

    /// The signature's `Id`.
    #[getter]
    fn signature_id(&self) -> &str {
        &self.inner.signature_id
    }

    /// The signed document element, as `{namespace}local`.
    #[getter]
    fn document_element(&self) -> &str {
        &self.inner.document_element
    }

    /// Every reference of the signature.
    #[getter]
    fn references(&self) -> Vec<ReferenceInfo> {
        self.inner
            .references
            .iter()
            .cloned()
            .map(|inner| ReferenceInfo { inner })
            .collect()
    }

    /// The XAdES-EPES signature policy identifier, when present (its hash is not checked).
    #[getter]
    fn signature_policy(&self) -> Option<&str> {
        self.inner.signature_policy.as_deref()
    }

    /// The signature time-stamps (XAdES-T) that verified against the signature value.
    #[getter]
    fn timestamps(&self) -> Vec<crate::tsp::PyTimeStamp> {
        self.inner
            .timestamps
            .iter()
            .filter_map(|t| t.detail.clone())
            .map(|inner| crate::tsp::PyTimeStamp { inner })
            .collect()
    }

    /// Why each signature time-stamp that did not verify failed (`"TimestampMismatch: …"`):
    /// such a time-stamp does not make the signature invalid, and sets no instant.
    #[getter]
    fn invalid_timestamps(&self) -> Vec<String> {
        self.inner
            .timestamps
            .iter()
            .filter_map(|t| t.error.clone())
            .collect()
    }

    /// The instant the signer's certificate was judged at: `at`, else the earliest trusted
    /// signature time-stamp, else the verification time.
    #[getter]
    fn judged_at<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        parse_time(py, &self.inner.judged_at)
    }

    /// The revocation check, when `revocation=` asked for one.
    #[getter]
    fn revocation(&self) -> Option<crate::revocation::RevocationInfo> {
        self.inner
            .revocation
            .clone()
            .map(|inner| crate::revocation::RevocationInfo { inner })
    }

    /// The report as plain JSON-compatible data (the same shape as `ezla verify --json`).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_python(py, serde_json::to_string(&self.inner))
    }

    fn __repr__(&self) -> String {
        format!(
            "<VerificationReport profile={} signer={:?} trust={}>",
            self.inner.profile.name(),
            self.inner.signer.subject,
            self.inner.trust
        )
    }
}

/// The signer of a verified signature.
#[pyclass(frozen, module = "ezla", name = "SignerInfo")]
pub(crate) struct SignerInfo {
    inner: SignerReport,
}

#[pymethods]
impl SignerInfo {
    /// Subject, RFC 4514.
    #[getter]
    fn subject(&self) -> &str {
        &self.inner.subject
    }

    /// Issuer, RFC 4514.
    #[getter]
    fn issuer(&self) -> &str {
        &self.inner.issuer
    }

    /// The certificate's serial number.
    #[getter]
    fn serial_number<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py.import("builtins")?
            .getattr("int")?
            .call1((self.inner.serial.as_str(),))
    }

    /// The PESEL in the subject, when present.
    #[getter]
    fn pesel(&self) -> Option<&str> {
        self.inner.pesel.as_deref()
    }

    /// Start of the certificate's validity.
    #[getter]
    fn not_before<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        parse_time(py, &self.inner.not_before)
    }

    /// End of the certificate's validity.
    #[getter]
    fn not_after<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        parse_time(py, &self.inner.not_after)
    }

    /// SHA-256 fingerprint of the certificate, lowercase hex.
    #[getter]
    fn sha256_fingerprint(&self) -> &str {
        &self.inner.sha256_fingerprint
    }

    fn __repr__(&self) -> String {
        format!("<SignerInfo subject={:?}>", self.inner.subject)
    }
}

/// A reference of a verified signature and what it covers.
#[pyclass(frozen, module = "ezla", name = "ReferenceInfo")]
pub(crate) struct ReferenceInfo {
    inner: ReferenceReport,
}

#[pymethods]
impl ReferenceInfo {
    /// The `URI`.
    #[getter]
    fn uri(&self) -> &str {
        &self.inner.uri
    }

    /// The `Type`, if any.
    #[getter]
    fn type_uri(&self) -> Option<&str> {
        self.inner.type_uri.as_deref()
    }

    /// The digest algorithm, e.g. `SHA-256`.
    #[getter]
    fn digest(&self) -> &str {
        &self.inner.digest
    }

    /// The transform URIs.
    #[getter]
    fn transforms(&self) -> Vec<String> {
        self.inner.transforms.clone()
    }

    /// What the digest covers, in words.
    #[getter]
    fn covers(&self) -> &str {
        &self.inner.covers
    }

    fn __repr__(&self) -> String {
        format!(
            "<ReferenceInfo uri={:?} covers={:?}>",
            self.inner.uri, self.inner.covers
        )
    }
}
