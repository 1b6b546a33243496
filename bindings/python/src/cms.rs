//! CMS (CAdES-BES) signing and verification, for what is signed besides XML.

use std::sync::Arc;

use ezla_core::cms::{self, Report, SignOptions, VerifyOptions};
use ezla_core::dsig::CertificateValidator;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::PyBytes;

use crate::convert::{bytes, from_datetime, signature_digest};
use crate::datetime::to_datetime;
use crate::errors::to_py;
use crate::pki::{PyCertificate, trust_anchors};
use crate::signer::with_signer;

/// Signs `data` with a CAdES-BES CMS signature (RFC 5652 `SignedData`: content-type,
/// signing-time, message-digest and the ESS signing-certificate-v2 binding) and returns it,
/// DER by default. `identity` is an `Identity` or an `ExternalSigner`.
///
/// Options:
///
/// - detached (bool, default False): leave the content out (a `.p7s` kept beside the file);
///   otherwise it is carried inside.
/// - digest (str, default "sha256"): "sha256", "sha384" or "sha512".
/// - include_chain (bool, default False): also carry the identity's issuing chain.
/// - signing_time (timezone-aware datetime.datetime, default None): the signing time to
///   claim; None: now.
/// - pem (bool, default False): return PEM (`-----BEGIN CMS-----`) instead of DER.
#[pyfunction]
#[pyo3(signature = (data, identity, *, detached = false, digest = "sha256",
    include_chain = false, signing_time = None, pem = false))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn sign_cms<'py>(
    py: Python<'py>,
    data: PyBackedBytes,
    identity: &Bound<'py, PyAny>,
    detached: bool,
    digest: &str,
    include_chain: bool,
    signing_time: Option<&Bound<'_, PyAny>>,
    pem: bool,
) -> PyResult<Bound<'py, PyBytes>> {
    let mut options = SignOptions::default();
    options.digest = signature_digest(digest)?;
    options.detached = detached;
    options.include_chain = include_chain;
    if let Some(t) = signing_time.filter(|t| !t.is_none()) {
        options.signing_time = Some(from_datetime(t, "signing_time")?);
    }
    with_signer(identity, |s| {
        let der = py
            .detach(|| cms::sign(&data, s.signer(), s.certificate(), s.chain(), &options))
            .map_err(|e| s.error(e))?;
        Ok(if pem {
            bytes(py, cms::to_pem(&der).as_bytes())
        } else {
            bytes(py, &der)
        })
    })
}

/// Verifies a CMS signature (DER, or PEM `CMS`/`PKCS7`) and returns the report; raises an
/// `InvalidSignature` subclass (`DigestMismatch` when the content is not what was signed),
/// `MalformedInput` for what is not CMS, or `CertificateError` with trust anchors.
///
/// Options:
///
/// - content (bytes, default None): the signed content, for a detached signature; for an
///   attached one it must be None or the same bytes.
/// - trust (list of Certificate or PEM bytes, default None): trust anchors; the signer's
///   certificate must chain to one of them. None: no chain check (the report says
///   "untrusted").
/// - at (timezone-aware datetime.datetime, default None): the instant the certificate is
///   judged at; None: the earliest trusted signature time-stamp, else now (the signing time
///   the signature claims is only the signer's word).
/// - tsa_trust (list of Certificate or PEM/DER bytes, or a TrustStore; default None): trust
///   anchors for the TSAs of signature time-stamps (CAdES-T). Every time-stamp is checked
///   either way; with these, one whose TSA chains to them is trusted and sets the instant
///   the certificate is judged at.
/// - revocation (RevocationChecker, default None): check the signer's certificate against
///   its issuer's CRL at the instant it is judged (report.revocation); needs `trust`. A
///   revoked certificate raises CertificateRevoked; a CRL that cannot be used, CrlError.
#[pyfunction]
#[pyo3(signature = (signature, *, content = None, trust = None, at = None, tsa_trust = None,
    revocation = None))]
pub(crate) fn verify_cms(
    py: Python<'_>,
    signature: PyBackedBytes,
    content: Option<PyBackedBytes>,
    trust: Option<&Bound<'_, PyAny>>,
    at: Option<&Bound<'_, PyAny>>,
    tsa_trust: Option<&Bound<'_, PyAny>>,
    revocation: Option<&Bound<'_, PyAny>>,
) -> PyResult<CmsReport> {
    let tsa = crate::tsp::token_options(tsa_trust, "tsa_trust")?;
    let mut options = VerifyOptions::default();
    options.revocation = crate::revocation::checker_arg(revocation)?;
    if let Some(trust) = trust.filter(|t| !t.is_none()) {
        let validator: Arc<dyn CertificateValidator> = trust_anchors(trust, "trust")?;
        options.trust = Some(validator);
    }
    if let Some(at) = at.filter(|a| !a.is_none()) {
        options.at = Some(from_datetime(at, "at")?);
    }
    py.detach(|| {
        let der = cms::from_pem_or_der(&signature)?;
        ezla_core::tsp::cades::verify(&der, content.as_deref(), &options, &tsa)
    })
    .map(|v| CmsReport {
        inner: v.report,
        timestamps: v.timestamps,
        invalid_timestamps: v
            .invalid_timestamps
            .iter()
            .map(|e| format!("{:?}: {e}", e.code()))
            .collect(),
        judged_at: v.judged_at,
    })
    .map_err(to_py)
}

/// What a valid CMS signature says: who signed, when they claim, with what, and the content.
#[pyclass(frozen, module = "ezla", name = "CmsReport")]
pub(crate) struct CmsReport {
    inner: Report,
    timestamps: Vec<ezla_core::tsp::TimeStamp>,
    invalid_timestamps: Vec<String>,
    judged_at: time::OffsetDateTime,
}

#[pymethods]
impl CmsReport {
    /// The signature time-stamps (CAdES-T) that verified against the signature value.
    #[getter]
    fn timestamps(&self) -> Vec<crate::tsp::PyTimeStamp> {
        self.timestamps
            .iter()
            .map(|t| crate::tsp::PyTimeStamp { inner: t.clone() })
            .collect()
    }

    /// Why each signature time-stamp that did not verify failed: such a time-stamp does not
    /// make the signature invalid, and sets no instant.
    #[getter]
    fn invalid_timestamps(&self) -> Vec<String> {
        self.invalid_timestamps.clone()
    }

    /// The instant the signer's certificate was judged at: `at`, else the earliest trusted
    /// signature time-stamp, else the verification time.
    #[getter]
    fn judged_at<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_datetime(py, self.judged_at)
    }

    /// The revocation check, when `revocation=` asked for one.
    #[getter]
    fn revocation(&self) -> Option<crate::revocation::RevocationInfo> {
        self.inner
            .revocation
            .clone()
            .map(|inner| crate::revocation::RevocationInfo { inner })
    }

    /// The signer's certificate.
    #[getter]
    fn signer(&self) -> PyCertificate {
        PyCertificate::new(self.inner.signer.clone())
    }

    /// The signer's PESEL, when the certificate carries one.
    #[getter]
    fn pesel(&self) -> Option<&str> {
        self.inner.pesel.as_deref()
    }

    /// The signing time the signer claims (timezone-aware), when given.
    #[getter]
    fn signing_time<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner
            .signing_time
            .map(|t| to_datetime(py, t))
            .transpose()
    }

    /// The digest of the content, e.g. `SHA-256`.
    #[getter]
    fn digest(&self) -> &'static str {
        self.inner.digest.name()
    }

    /// The signature algorithm, e.g. `RSA-SHA256`.
    #[getter]
    fn signature_algorithm(&self) -> String {
        self.inner.algorithm.name()
    }

    /// Whether the content was carried inside the signature.
    #[getter]
    fn attached(&self) -> bool {
        self.inner.attached
    }

    /// The signed content (carried, or the one given).
    #[getter]
    fn content<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        bytes(py, &self.inner.content)
    }

    /// `chain` (validated against the trust anchors) or `untrusted`.
    #[getter]
    fn trust(&self) -> &'static str {
        self.inner.trust
    }

    /// Whether the signed attributes bind the signer's certificate (CAdES-BES); False for
    /// plain CMS.
    #[getter]
    fn ess_binding(&self) -> bool {
        self.inner.ess_binding
    }

    fn __repr__(&self) -> String {
        format!(
            "CmsReport(signer={:?}, signature_algorithm={:?}, attached={}, trust={:?})",
            self.inner.signer.subject().to_rfc4514(),
            self.inner.algorithm.name(),
            if self.inner.attached { "True" } else { "False" },
            self.inner.trust
        )
    }
}
