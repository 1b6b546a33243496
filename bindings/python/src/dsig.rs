//! Plain enveloped XML-DSig (for documents that need no XAdES properties).

use std::sync::Arc;

use ezla_core::crypto::DigestAlgorithm;
use ezla_core::dsig::{
    self, CertificateValidator, KeySelection, SignatureSpec, Verifier, VerifyPolicy,
};
use ezla_core::error::KeyError;
use ezla_core::pki::Certificate;
use ezla_core::xades::ReferenceReport;
use ezla_core::xml::Document;
use ezla_core::{Error, Result as CoreResult};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::PyBytes;
use time::OffsetDateTime;

use crate::convert::{bytes, from_datetime};
use crate::errors::to_py;
use crate::pki::{PyCertificate, pinned_certificate, trust_anchors};
use crate::signer::with_signer;

/// Signs `xml` with an enveloped XML-DSig signature (exclusive C14N, RSA-SHA256 or
/// ECDSA-SHA256, one reference `URI=""` with the enveloped-signature transform, the signer's
/// certificate in `X509Data`) appended to the document element; the original bytes are kept.
/// `identity` is an `Identity` or an `ExternalSigner`. For e-ZLA documents use `sign_xades`.
///
/// Options:
///
/// - include_chain (bool, default False): also write the identity's issuing chain into KeyInfo.
/// - allow_invalid_certificate (bool, default False): sign even when the certificate is not valid
///   now, expired or not yet valid (tests only).
#[pyfunction]
#[pyo3(signature = (xml, identity, *, include_chain = false, allow_invalid_certificate = false))]
pub(crate) fn sign_xmldsig<'py>(
    py: Python<'py>,
    xml: PyBackedBytes,
    identity: &Bound<'py, PyAny>,
    include_chain: bool,
    allow_invalid_certificate: bool,
) -> PyResult<Bound<'py, PyBytes>> {
    with_signer(identity, |s| {
        let signed = py
            .detach(|| -> CoreResult<Vec<u8>> {
                let certificate = s.certificate();
                if certificate.public_key() != s.signer().public_key() {
                    return Err(Error::Key(KeyError::CertificateMismatch {
                        subject: certificate.subject().to_rfc4514(),
                    }));
                }
                if !allow_invalid_certificate {
                    certificate.check_valid_at(OffsetDateTime::now_utc())?;
                }
                let mut spec =
                    SignatureSpec::enveloped(s.signer().key_kind(), DigestAlgorithm::Sha256);
                spec.key_info.certificates = vec![certificate.to_der().to_vec()];
                if include_chain {
                    spec.key_info
                        .certificates
                        .extend(s.chain().iter().map(|c| c.to_der().to_vec()));
                }
                dsig::sign_enveloped(&xml, &spec, s.signer(), &dsig::SignOptions::default())
            })
            .map_err(|e| s.error(e))?;
        Ok(bytes(py, &signed))
    })
}

/// Verifies the document's only enveloped XML-DSig signature, which must cover the whole
/// document element (signatures aside), and returns the report; raises an `InvalidSignature`
/// subclass otherwise. The key: `signer_certificate` (pinned), else a certificate in the
/// signature that chains to `trust`, else (neither given) the signature's own certificate or
/// key, in which case `report.trusted` is false.
///
/// Options:
///
/// - trust (list of Certificate or PEM/DER bytes, or a TrustStore; default None): trust anchors;
///   the signer's certificate must chain to one of them, else CertificateError. None: no chain
///   validation (the signature's own certificate or key is used, report.trusted is false).
/// - signer_certificate (Certificate or PEM/DER bytes, default None): the expected signer; the
///   signature must verify with this certificate's key ("pinned" trust).
/// - at (timezone-aware datetime.datetime, default None): the instant at which the certificates
///   must be valid; None: now.
/// - allow_sha1 (bool, default False): accept SHA-1 digests and RSA-SHA1 signatures (legacy
///   documents).
#[pyfunction]
#[pyo3(signature = (xml, *, trust = None, signer_certificate = None, at = None,
    allow_sha1 = false))]
pub(crate) fn verify_xmldsig(
    py: Python<'_>,
    xml: PyBackedBytes,
    trust: Option<&Bound<'_, PyAny>>,
    signer_certificate: Option<&Bound<'_, PyAny>>,
    at: Option<&Bound<'_, PyAny>>,
    allow_sha1: bool,
) -> PyResult<XmlDsigReport> {
    let pinned = signer_certificate
        .filter(|c| !c.is_none())
        .map(pinned_certificate)
        .transpose()?;
    let keys = if let Some(cert) = &pinned {
        KeySelection::PinnedCertificate(cert.clone())
    } else if let Some(trust) = trust.filter(|t| !t.is_none()) {
        let validator: Arc<dyn CertificateValidator> = trust_anchors(trust, "trust")?;
        KeySelection::Trusted(validator)
    } else {
        KeySelection::EmbeddedUntrusted
    };
    let mut policy = if allow_sha1 {
        VerifyPolicy::legacy()
    } else {
        VerifyPolicy::strict()
    };
    if let Some(at) = at.filter(|a| !a.is_none()) {
        policy = policy.at(from_datetime(at, "at")?);
    }
    let verifier = Verifier::new(keys).with_policy(policy);
    py.detach(|| report(&xml, &verifier)).map_err(to_py)
}

fn report(xml: &[u8], verifier: &Verifier) -> CoreResult<XmlDsigReport> {
    let doc = Document::parse_bytes(xml)?;
    let v = verifier.verify_enveloped(&doc)?;
    // An enveloped signature verified only as a child of the document element.
    let root = v
        .signature
        .parent()
        .ok_or_else(|| Error::internal("an enveloped signature without a parent"))?;
    let certificate = v.signer.certificate.clone();
    let chain = v.signer.chain.clone();
    Ok(XmlDsigReport {
        signature_algorithm: v.algorithm.name(),
        canonicalization: v.canonicalization.uri().to_string(),
        trust: v.signer.trust.name(),
        certificate,
        chain,
        document_element: format!(
            "{{{}}}{}",
            root.namespace().unwrap_or(""),
            root.local_name()
        ),
        references: v
            .references
            .iter()
            .map(|r| ReferenceReport::new(r, root))
            .collect(),
    })
}

/// The outcome of a successful XML-DSig verification.
#[pyclass(frozen, module = "ezla", name = "XmlDsigReport")]
pub(crate) struct XmlDsigReport {
    signature_algorithm: String,
    canonicalization: String,
    trust: &'static str,
    certificate: Option<Certificate>,
    chain: Vec<Certificate>,
    document_element: String,
    references: Vec<ReferenceReport>,
}

#[pymethods]
impl XmlDsigReport {
    /// The signature algorithm, e.g. `RSA-SHA256`.
    #[getter]
    fn signature_algorithm(&self) -> &str {
        &self.signature_algorithm
    }

    /// The `SignedInfo` canonicalization URI.
    #[getter]
    fn canonicalization(&self) -> &str {
        &self.canonicalization
    }

    /// `pinned`, `chain` or `untrusted`.
    #[getter]
    fn trust(&self) -> &str {
        self.trust
    }

    /// Whether the key was the caller's (`pinned`) or chained to the trust anchors.
    #[getter]
    fn trusted(&self) -> bool {
        self.trust != "untrusted"
    }

    /// The certificate whose key verified, when the key came from one.
    #[getter]
    fn signer(&self) -> Option<PyCertificate> {
        self.certificate.clone().map(PyCertificate::new)
    }

    /// The validated chain above the signer (with trust anchors), nearest first.
    #[getter]
    fn chain(&self) -> Vec<PyCertificate> {
        self.chain.iter().cloned().map(PyCertificate::new).collect()
    }

    /// The signed document element, as `{namespace}local`.
    #[getter]
    fn document_element(&self) -> &str {
        &self.document_element
    }

    /// The references as `(uri, type, digest, transforms, covers)` dicts.
    #[getter]
    fn references<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, pyo3::types::PyDict>>> {
        self.references
            .iter()
            .map(|r| {
                let d = pyo3::types::PyDict::new(py);
                d.set_item("uri", &r.uri)?;
                d.set_item("type", &r.type_uri)?;
                d.set_item("digest", &r.digest)?;
                d.set_item("transforms", &r.transforms)?;
                d.set_item("covers", &r.covers)?;
                Ok(d)
            })
            .collect()
    }

    fn __repr__(&self) -> String {
        format!(
            "<XmlDsigReport {} trust={} signer={:?}>",
            self.signature_algorithm,
            self.trust,
            self.certificate
                .as_ref()
                .map(|c| c.subject().to_rfc4514())
                .unwrap_or_default()
        )
    }
}
