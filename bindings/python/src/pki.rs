//! Certificates, keys, requests and signing identities.

use std::path::PathBuf;

use ezla_core::crypto::{DigestAlgorithm, KeySpec, PrivateKey, SignatureAlgorithm, Signer};
use ezla_core::error::FormatError;
use ezla_core::pki::testca::{DoctorSpec, IssueOptions, TestCa};
use ezla_core::pki::{
    Certificate, CertificateRequest, ExpiryPolicy, ExpiryStatus, Identity, Name, Pkcs12Options,
    TrustAnchors, keyfile,
};
use ezla_core::{Error, Result as CoreResult};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::PyBytes;
use time::{Duration, OffsetDateTime};

use crate::convert::{bytes, ezla_rfc3339, instant_or_now, invalid, to_datetime};
use crate::errors::to_py;

/// The default PBKDF2 / MAC iterations for files ezla writes.
pub(crate) const DEFAULT_ITERATIONS: u32 = ezla_core::pki::pkcs12::DEFAULT_WRITE_ITERATIONS;

fn pkcs12_options(max_iterations: Option<u64>, allow_unprotected: bool) -> Pkcs12Options {
    match max_iterations {
        Some(n) => Pkcs12Options::with_max_iterations(n),
        None => Pkcs12Options::default(),
    }
    .allowing_unprotected(allow_unprotected)
}

fn key_spec(name: &str) -> PyResult<KeySpec> {
    match name {
        "rsa2048" => Ok(KeySpec::Rsa2048),
        "rsa3072" => Ok(KeySpec::Rsa3072),
        "rsa4096" => Ok(KeySpec::Rsa4096),
        "p256" => Ok(KeySpec::EcP256),
        other => Err(invalid(
            "key_type",
            format!("{other:?} is not one of 'rsa2048', 'rsa3072', 'rsa4096', 'p256'"),
        )),
    }
}

fn digest(name: &str) -> PyResult<DigestAlgorithm> {
    match name.to_ascii_lowercase().replace('-', "").as_str() {
        "sha1" => Ok(DigestAlgorithm::Sha1),
        "sha224" => Ok(DigestAlgorithm::Sha224),
        "sha256" => Ok(DigestAlgorithm::Sha256),
        "sha384" => Ok(DigestAlgorithm::Sha384),
        "sha512" => Ok(DigestAlgorithm::Sha512),
        _ => Err(invalid(
            "algorithm",
            format!("{name:?} is not one of 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'"),
        )),
    }
}

fn signature_algorithm(name: &str) -> PyResult<SignatureAlgorithm> {
    let wanted = name.to_ascii_uppercase();
    DigestAlgorithm::ALL
        .iter()
        .flat_map(|d| {
            [
                SignatureAlgorithm::RsaPkcs1v15(*d),
                SignatureAlgorithm::Ecdsa(*d),
            ]
        })
        .find(|a| a.name() == wanted)
        .ok_or_else(|| {
            invalid(
                "algorithm",
                format!("{name:?} is not a signature algorithm such as 'RSA-SHA256'"),
            )
        })
}

/// The signer's certificate for pinned verification: a `Certificate` (shared, not parsed
/// again) or PEM / DER bytes.
pub(crate) fn pinned_certificate(cert: &Bound<'_, PyAny>) -> PyResult<Certificate> {
    if let Ok(c) = cert.cast::<PyCertificate>() {
        return Ok(c.get().inner.clone());
    }
    let data: PyBackedBytes = cert.extract()?;
    Certificate::from_der_or_pem(&data).map_err(to_py)
}

/// Trust anchors given as a `TrustStore` (shared, parsed once) or as certificates; an empty
/// list is refused (pass `None` to verify without anchors).
pub(crate) fn trust_anchors(
    trust: &Bound<'_, PyAny>,
    argument: &'static str,
) -> PyResult<std::sync::Arc<TrustAnchors>> {
    if let Ok(store) = trust.cast::<PyTrustStore>() {
        return Ok(store.get().inner.clone());
    }
    let anchors = certificates_from(trust, argument)?;
    if anchors.is_empty() {
        return Err(invalid(
            argument,
            "is empty: pass None to verify without trust anchors".into(),
        ));
    }
    Ok(std::sync::Arc::new(TrustAnchors::new(anchors)))
}

/// A set of trusted CA certificates, parsed once and shared by every verification that uses
/// it (thread-safe, immutable).
#[pyclass(frozen, module = "ezla", name = "TrustStore")]
pub(crate) struct PyTrustStore {
    pub(crate) inner: std::sync::Arc<TrustAnchors>,
}

#[pymethods]
impl PyTrustStore {
    /// Trusts these certificates (`Certificate` objects, or PEM / DER bytes; a PEM text may
    /// hold several).
    #[new]
    fn new(certificates: &Bound<'_, PyAny>) -> PyResult<Self> {
        let certs = certificates_from(certificates, "certificates")?;
        if certs.is_empty() {
            return Err(invalid("certificates", "no certificate given".into()));
        }
        Ok(PyTrustStore {
            inner: std::sync::Arc::new(TrustAnchors::new(certs)),
        })
    }

    /// Trusts every certificate of a PEM bundle (such as `ca.pem`).
    #[staticmethod]
    fn from_pem(py: Python<'_>, data: PyBackedBytes) -> PyResult<Self> {
        py.detach(|| TrustAnchors::from_pem_bundle(&data))
            .map(|a| PyTrustStore {
                inner: std::sync::Arc::new(a),
            })
            .map_err(to_py)
    }

    /// Reads a PEM bundle file (`str` or `os.PathLike`).
    #[staticmethod]
    fn from_file(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        py.detach(|| {
            let data = read_limited(&path, 16 << 20)?;
            TrustAnchors::from_pem_bundle(&data)
        })
        .map(|a| PyTrustStore {
            inner: std::sync::Arc::new(a),
        })
        .map_err(to_py)
    }

    /// The trusted certificates.
    #[getter]
    fn certificates(&self) -> Vec<PyCertificate> {
        self.inner
            .certificates()
            .iter()
            .cloned()
            .map(PyCertificate::new)
            .collect()
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __repr__(&self) -> String {
        format!("<TrustStore {} certificate(s)>", self.inner.len())
    }
}

/// Certificates given as `Certificate` objects or as PEM / DER bytes (a PEM text may hold
/// several certificates).
pub(crate) fn certificates_from(
    items: &Bound<'_, PyAny>,
    argument: &str,
) -> PyResult<Vec<Certificate>> {
    let mut out = Vec::new();
    if items.is_instance_of::<PyBytes>() || items.is_instance_of::<PyCertificate>() {
        return Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "{argument} must be a list of certificates (Certificate objects or PEM/DER bytes)"
        )));
    }
    for item in items.try_iter()? {
        let item = item?;
        if let Ok(c) = item.cast::<PyCertificate>() {
            out.push(c.get().inner.clone());
            continue;
        }
        let data: PyBackedBytes = item.extract().map_err(|_| {
            pyo3::exceptions::PyTypeError::new_err(format!(
                "{argument} items must be Certificate objects or bytes, not {}",
                item.get_type()
                    .name()
                    .map(|n| n.to_string())
                    .unwrap_or_default()
            ))
        })?;
        if ezla_core::pki::pem::is_pem(&data) {
            let certs = Certificate::all_from_pem(&data).map_err(to_py)?;
            if certs.is_empty() {
                return Err(to_py(Error::Format(FormatError::Unknown {
                    what: argument.to_string(),
                    expected: "PEM with CERTIFICATE blocks",
                })));
            }
            out.extend(certs);
        } else {
            out.push(Certificate::from_der(&data).map_err(to_py)?);
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Certificate

/// An X.509 certificate (read-only view).
#[pyclass(frozen, eq, hash, module = "ezla", name = "Certificate")]
#[derive(Clone, PartialEq, Eq, Hash)]
pub(crate) struct PyCertificate {
    pub(crate) inner: Certificate,
}

impl PyCertificate {
    pub(crate) fn new(inner: Certificate) -> Self {
        PyCertificate { inner }
    }
}

#[pymethods]
impl PyCertificate {
    /// Parses one PEM certificate (the first `CERTIFICATE` block).
    #[staticmethod]
    fn from_pem(py: Python<'_>, data: PyBackedBytes) -> PyResult<Self> {
        py.detach(|| Certificate::from_pem(&data))
            .map(Self::new)
            .map_err(to_py)
    }

    /// Parses a DER certificate.
    #[staticmethod]
    fn from_der(py: Python<'_>, data: PyBackedBytes) -> PyResult<Self> {
        py.detach(|| Certificate::from_der(&data))
            .map(Self::new)
            .map_err(to_py)
    }

    /// Parses every certificate of a PEM text (e.g. a chain or a trust bundle).
    #[staticmethod]
    fn list_from_pem(py: Python<'_>, data: PyBackedBytes) -> PyResult<Vec<Self>> {
        py.detach(|| Certificate::all_from_pem(&data))
            .map(|v| v.into_iter().map(Self::new).collect())
            .map_err(to_py)
    }

    /// The subject, RFC 4514 text.
    #[getter]
    fn subject(&self) -> String {
        self.inner.subject().to_rfc4514()
    }

    /// The issuer, RFC 4514 text.
    #[getter]
    fn issuer(&self) -> String {
        self.inner.issuer().to_rfc4514()
    }

    /// The subject's common name (CN).
    #[getter]
    fn common_name(&self) -> Option<&str> {
        self.inner.subject().common_name()
    }

    /// The subject's given name.
    #[getter]
    fn given_name(&self) -> Option<&str> {
        self.inner.subject().given_name()
    }

    /// The subject's surname.
    #[getter]
    fn surname(&self) -> Option<&str> {
        self.inner.subject().surname()
    }

    /// The subject's `serialNumber` attribute (e.g. `PNOPL-44051401359`).
    #[getter]
    fn subject_serial_number(&self) -> Option<&str> {
        self.inner.subject().serial_number()
    }

    /// The subject's organization (O).
    #[getter]
    fn organization(&self) -> Option<&str> {
        self.inner.subject().organization()
    }

    /// The subject's country (C).
    #[getter]
    fn country(&self) -> Option<&str> {
        self.inner.subject().country()
    }

    /// The PESEL in the subject, when present and valid.
    #[getter]
    fn pesel(&self) -> Option<String> {
        self.inner.pesel().map(|p| p.to_string())
    }

    /// The serial number as an integer.
    #[getter]
    fn serial_number<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py.import("builtins")?
            .getattr("int")?
            .call1((self.inner.serial_decimal(),))
    }

    /// The serial number, colon-separated hex as in `openssl x509 -text`.
    #[getter]
    fn serial_hex(&self) -> String {
        self.inner.serial_hex()
    }

    /// Start of validity (timezone-aware, UTC).
    #[getter]
    fn not_before<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_datetime(py, self.inner.not_before())
    }

    /// End of validity (timezone-aware, UTC).
    #[getter]
    fn not_after<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_datetime(py, self.inner.not_after())
    }

    /// The key's type and size, e.g. `RSA-2048` or `EC P-256`.
    #[getter]
    fn key_type(&self) -> String {
        self.inner.public_key().kind().to_string()
    }

    /// The key's size in bits.
    #[getter]
    fn key_size(&self) -> usize {
        self.inner.public_key().kind().bits()
    }

    /// The public key as DER `SubjectPublicKeyInfo`.
    #[getter]
    fn public_key_der<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        bytes(py, self.inner.public_key().spki_der())
    }

    /// The certificate's signature algorithm (e.g. `RSA-SHA256`), or its OID when unknown.
    #[getter]
    fn signature_algorithm(&self) -> String {
        match self.inner.signature_algorithm() {
            Some(a) => a.name(),
            None => self.inner.signature_algorithm_oid().to_string(),
        }
    }

    /// Key usage names (`digitalSignature`, `nonRepudiation`, ...); empty without the extension.
    #[getter]
    fn key_usage(&self) -> Vec<&'static str> {
        self.inner
            .key_usage()
            .map(|k| k.names())
            .unwrap_or_default()
    }

    /// Extended key usage: names where known, dotted OIDs otherwise.
    #[getter]
    fn extended_key_usage(&self) -> Vec<String> {
        self.inner
            .extended_key_usage()
            .map(|v| v.iter().map(ToString::to_string).collect())
            .unwrap_or_default()
    }

    /// Whether the certificate is a CA certificate.
    #[getter]
    fn is_ca(&self) -> bool {
        self.inner.is_ca()
    }

    /// Whether subject and issuer are the same name.
    #[getter]
    fn is_self_issued(&self) -> bool {
        self.inner.is_self_issued()
    }

    /// E-mail subject alternative names.
    #[getter]
    fn email_addresses(&self) -> Vec<String> {
        self.inner.email_addresses().to_vec()
    }

    /// CRL distribution point URLs.
    #[getter]
    fn crl_distribution_points(&self) -> Vec<String> {
        self.inner.crl_distribution_points().to_vec()
    }

    /// OCSP responder URLs.
    #[getter]
    fn ocsp_urls(&self) -> Vec<String> {
        self.inner.ocsp_urls().to_vec()
    }

    /// The fingerprint (digest of the DER) with `algorithm` (`sha256` by default).
    ///
    /// Options:
    ///
    /// - algorithm (str, default "sha256"): the digest: "sha1", "sha224", "sha256", "sha384" or
    ///   "sha512" (case and hyphens ignored).
    #[pyo3(signature = (algorithm = "sha256"))]
    fn fingerprint<'py>(&self, py: Python<'py>, algorithm: &str) -> PyResult<Bound<'py, PyBytes>> {
        Ok(bytes(py, &self.inner.fingerprint(digest(algorithm)?)))
    }

    /// Where the certificate stands under the ZUS renewal rules at `at` (default now).
    ///
    /// Options:
    ///
    /// - at (timezone-aware datetime.datetime, default None): the instant; None: now.
    /// - renewal_window_days (int, default None): how many days before expiry a new certificate may
    ///   be requested; None: the ZUS rule, 28.
    /// - warning_days (int, default None): how many days before expiry the status is "expiring";
    ///   None: 14.
    #[pyo3(signature = (at = None, *, renewal_window_days = None, warning_days = None))]
    fn status(
        &self,
        at: Option<&Bound<'_, PyAny>>,
        renewal_window_days: Option<u32>,
        warning_days: Option<u32>,
    ) -> PyResult<PyCertificateStatus> {
        let at = instant_or_now(at, "at")?;
        let mut policy = ExpiryPolicy::default();
        if let Some(d) = renewal_window_days {
            policy.renewal_window_days = d;
        }
        if let Some(d) = warning_days {
            policy.warning_days = d;
        }
        Ok(PyCertificateStatus {
            inner: self.inner.status_at(at, &policy),
        })
    }

    /// Raises `CertificateExpired` / `CertificateNotYetValid` unless the certificate is
    /// valid at `at` (default now).
    ///
    /// Options:
    ///
    /// - at (timezone-aware datetime.datetime, default None): the instant; None: now.
    #[pyo3(signature = (at = None))]
    fn check_valid(&self, at: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        let at = instant_or_now(at, "at")?;
        self.inner.check_valid_at(at).map_err(to_py)
    }

    /// Checks that the certificate chains to one of `trust` through `intermediates` at `at`
    /// (default now) and returns the path, this certificate first and the anchor last.
    ///
    /// Options:
    ///
    /// - trust (list of Certificate or PEM/DER bytes, or a TrustStore; required): the trust
    ///   anchors.
    /// - intermediates (list of Certificate or PEM/DER bytes, default None): further certificates
    ///   to build the path from; None: none.
    /// - at (timezone-aware datetime.datetime, default None): the instant every certificate of the
    ///   path must be valid at; None: now.
    #[pyo3(signature = (*, trust, intermediates = None, at = None))]
    fn verify_chain(
        &self,
        py: Python<'_>,
        trust: &Bound<'_, PyAny>,
        intermediates: Option<&Bound<'_, PyAny>>,
        at: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Vec<PyCertificate>> {
        let anchors = trust_anchors(trust, "trust")?;
        let intermediates = match intermediates {
            Some(i) if !i.is_none() => certificates_from(i, "intermediates")?,
            _ => Vec::new(),
        };
        let at = instant_or_now(at, "at")?;
        let leaf = self.inner.clone();
        py.detach(|| anchors.verify(&leaf, &intermediates, at))
            .map(|v| v.into_iter().map(Self::new).collect())
            .map_err(to_py)
    }

    /// The DER encoding.
    fn to_der<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        bytes(py, self.inner.to_der())
    }

    /// The PEM encoding (ASCII bytes).
    fn to_pem<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        bytes(py, self.inner.to_pem().as_bytes())
    }

    /// Pickles as the DER (for multiprocessing, task queues, caches).
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyBytes>,))> {
        let constructor = slf.get_type().getattr("from_der")?;
        Ok((constructor, (bytes(py, slf.get().inner.to_der()),)))
    }

    fn __repr__(&self) -> String {
        format!(
            "<Certificate subject={:?} not_after={}>",
            self.inner.subject().to_rfc4514(),
            ezla_rfc3339(self.inner.not_after())
        )
    }
}

/// Where a certificate stands under the ZUS renewal rules at an instant.
#[pyclass(frozen, eq, module = "ezla", name = "CertificateStatus")]
#[derive(Clone, PartialEq)]
pub(crate) struct PyCertificateStatus {
    inner: ExpiryStatus,
}

#[pymethods]
impl PyCertificateStatus {
    /// `not-yet-valid`, `valid`, `renewal-window`, `expiring` or `expired`.
    #[getter]
    fn name(&self) -> &'static str {
        self.inner.name()
    }

    /// Whole days until `not_after`, rounded down (negative once expired).
    #[getter]
    fn days_left(&self) -> i64 {
        self.inner.days_left()
    }

    /// When a new certificate may be requested.
    #[getter]
    fn renewal_opens<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_datetime(py, self.inner.renewal_opens())
    }

    /// End of the certificate's validity.
    #[getter]
    fn not_after<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_datetime(py, self.inner.not_after())
    }

    /// Whether the certificate can be used (valid, renewal window or expiring).
    #[getter]
    fn is_usable(&self) -> bool {
        self.inner.is_usable()
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self) -> String {
        format!(
            "<CertificateStatus {} days_left={}>",
            self.inner.name(),
            self.inner.days_left()
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Keys and requests

/// A private key (RSA or EC P-256). Its secret parts never leave it except encrypted.
#[pyclass(frozen, module = "ezla", name = "PrivateKey")]
pub(crate) struct PyPrivateKey {
    pub(crate) inner: PrivateKey,
}

#[pymethods]
impl PyPrivateKey {
    /// Generates a key: `rsa2048` (default, like ZUS certificates), `rsa3072`, `rsa4096` or
    /// `p256`.
    ///
    /// Options:
    ///
    /// - key_type (str, default "rsa2048"): "rsa2048", "rsa3072", "rsa4096" or "p256" (EC P-256).
    #[staticmethod]
    #[pyo3(signature = (key_type = "rsa2048"))]
    fn generate(py: Python<'_>, key_type: &str) -> PyResult<Self> {
        let spec = key_spec(key_type)?;
        py.detach(|| PrivateKey::generate(spec))
            .map(|inner| PyPrivateKey { inner })
            .map_err(to_py)
    }

    /// Reads a key: PEM or DER, encrypted PKCS#8 (needs `password`), PKCS#8, PKCS#1 or SEC1.
    ///
    /// Options:
    ///
    /// - password (str, default None): the password of an encrypted key; None for a plain key.
    /// - max_iterations (int, default None): refuse key derivations with more PBKDF2/MAC iterations
    ///   than this (a guard against files that take minutes to open); None: 10 000 000.
    #[staticmethod]
    #[pyo3(signature = (data, password = None, *, max_iterations = None))]
    fn load(
        py: Python<'_>,
        data: PyBackedBytes,
        password: Option<String>,
        max_iterations: Option<u64>,
    ) -> PyResult<Self> {
        let limits = pkcs12_options(max_iterations, false).pbe_limits();
        py.detach(|| keyfile::read_private_key(&data, password.as_deref(), &limits))
            .map(|inner| PyPrivateKey { inner })
            .map_err(to_py)
    }

    /// The key as an `ENCRYPTED PRIVATE KEY` PEM (PBES2, PBKDF2-HMAC-SHA-256, AES-256-CBC).
    ///
    /// Options:
    ///
    /// - iterations (int, default ezla.DEFAULT_PFX_ITERATIONS, 600 000): the PBKDF2 iteration
    ///   count.
    #[pyo3(signature = (password, *, iterations = DEFAULT_ITERATIONS))]
    fn to_encrypted_pem<'py>(
        &self,
        py: Python<'py>,
        password: &str,
        iterations: u32,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let pem = py
            .detach(|| keyfile::encrypt_private_key_pem(&self.inner, password, Some(iterations)))
            .map_err(to_py)?;
        Ok(bytes(py, pem.as_bytes()))
    }

    /// The key's type and size, e.g. `RSA-2048`.
    #[getter]
    fn key_type(&self) -> String {
        self.inner.kind().to_string()
    }

    /// Signs `message` (hashing it) with `algorithm` — `RSA-SHA256` (the default for RSA
    /// keys), `RSA-SHA384`, `RSA-SHA512`, `ECDSA-SHA256` (the default for P-256), ... — and
    /// returns the signature as XML-DSig writes it (RSA: PKCS#1 v1.5; ECDSA: `r || s`).
    ///
    /// Options:
    ///
    /// - algorithm (str, default None): the signature algorithm, e.g. "RSA-SHA256" (case ignored);
    ///   None: RSA-SHA256 for RSA keys, ECDSA-SHA256 for P-256.
    #[pyo3(signature = (message, algorithm = None))]
    fn sign<'py>(
        &self,
        py: Python<'py>,
        message: PyBackedBytes,
        algorithm: Option<&str>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let algorithm = match algorithm {
            None => SignatureAlgorithm::default_for(self.inner.kind()),
            Some(name) => signature_algorithm(name)?,
        };
        let signature = py
            .detach(|| self.inner.sign(algorithm, &message))
            .map_err(to_py)?;
        Ok(bytes(py, &signature))
    }

    /// Whether `certificate` is for this key.
    fn matches(&self, certificate: &PyCertificate) -> bool {
        certificate.inner.matches_key(self.inner.public_key())
    }

    /// The public key as DER `SubjectPublicKeyInfo`.
    #[getter]
    fn public_key_der<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        bytes(py, self.inner.public_key().spki_der())
    }

    fn __repr__(&self) -> String {
        format!("<PrivateKey {}>", self.inner.kind())
    }
}

/// A PKCS#10 certificate request, e.g. for a new ZUS certificate.
#[pyclass(frozen, module = "ezla", name = "CertificateRequest")]
pub(crate) struct PyCertificateRequest {
    pub(crate) inner: CertificateRequest,
}

#[allow(clippy::too_many_arguments)]
fn subject_name(
    common_name: Option<String>,
    given_name: Option<String>,
    surname: Option<String>,
    pesel: Option<String>,
    serial_number: Option<String>,
    organization: Option<String>,
    organizational_unit: Option<String>,
    locality: Option<String>,
    country: Option<String>,
) -> CoreResult<Name> {
    let mut b = Name::builder();
    if let Some(v) = country {
        b = b.country(v);
    }
    if let Some(v) = organization {
        b = b.organization(v);
    }
    if let Some(v) = organizational_unit {
        b = b.organizational_unit(v);
    }
    if let Some(v) = locality {
        b = b.locality(v);
    }
    if let Some(v) = &surname {
        b = b.surname(v.clone());
    }
    if let Some(v) = &given_name {
        b = b.given_name(v.clone());
    }
    match (pesel, serial_number) {
        (Some(_), Some(_)) => {
            return Err(Error::invalid_argument(
                "pesel",
                "give pesel or serial_number, not both",
            ));
        }
        (Some(p), None) => {
            let pesel = ezla_core::pl::Pesel::parse(&p)
                .map_err(|e| Error::invalid_argument("pesel", e.to_string()))?;
            b = b.serial_number(format!("PNOPL-{pesel}"));
        }
        (None, Some(s)) => b = b.serial_number(s),
        (None, None) => {}
    }
    let cn = match (common_name, given_name, surname) {
        (Some(cn), _, _) => cn,
        (None, Some(g), Some(s)) => format!("{g} {s}"),
        _ => {
            return Err(Error::invalid_argument(
                "common_name",
                "give common_name, or given_name and surname",
            ));
        }
    };
    b.common_name(cn).build()
}

#[pymethods]
impl PyCertificateRequest {
    /// Makes a request signed with `key`. The subject is `C, O, OU, L, sn, givenName,
    /// serialNumber, CN`; `pesel` is checked and written as `serialNumber=PNOPL-<PESEL>`; the
    /// common name defaults to the given name and the surname.
    ///
    /// Options:
    ///
    /// - common_name (str, default None): the CN; None: "<given_name> <surname>".
    /// - given_name (str, default None): the givenName attribute.
    /// - surname (str, default None): the sn attribute.
    /// - pesel (str, default None): the doctor's PESEL (checked), written as
    ///   serialNumber=PNOPL-<PESEL>; not with serial_number.
    /// - serial_number (str, default None): the serialNumber attribute as given; not with pesel.
    /// - organization (str, default None): the O attribute.
    /// - organizational_unit (str, default None): the OU attribute.
    /// - locality (str, default None): the L attribute.
    /// - country (str, default "PL"): the C attribute; None leaves it out.
    /// - email (str, default None): an e-mail address asked for as a subject alternative name.
    #[staticmethod]
    #[pyo3(signature = (key, *, common_name = None, given_name = None, surname = None,
        pesel = None, serial_number = None, organization = None, organizational_unit = None,
        locality = None, country = Some("PL".to_string()), email = None))]
    #[allow(clippy::too_many_arguments)]
    fn create(
        py: Python<'_>,
        key: &PyPrivateKey,
        common_name: Option<String>,
        given_name: Option<String>,
        surname: Option<String>,
        pesel: Option<String>,
        serial_number: Option<String>,
        organization: Option<String>,
        organizational_unit: Option<String>,
        locality: Option<String>,
        country: Option<String>,
        email: Option<String>,
    ) -> PyResult<Self> {
        let subject = subject_name(
            common_name,
            given_name,
            surname,
            pesel,
            serial_number,
            organization,
            organizational_unit,
            locality,
            country,
        )
        .map_err(to_py)?;
        let key = &key.inner;
        py.detach(|| CertificateRequest::new(key, &subject, email.as_deref()))
            .map(|inner| PyCertificateRequest { inner })
            .map_err(to_py)
    }

    /// Parses a PEM request.
    #[staticmethod]
    fn from_pem(data: PyBackedBytes) -> PyResult<Self> {
        CertificateRequest::from_pem(&data)
            .map(|inner| PyCertificateRequest { inner })
            .map_err(to_py)
    }

    /// Parses a DER request.
    #[staticmethod]
    fn from_der(data: PyBackedBytes) -> PyResult<Self> {
        CertificateRequest::from_der(&data)
            .map(|inner| PyCertificateRequest { inner })
            .map_err(to_py)
    }

    /// The subject, RFC 4514 text.
    #[getter]
    fn subject(&self) -> String {
        self.inner.subject().to_rfc4514()
    }

    /// The e-mail addresses asked for as subject alternative names.
    #[getter]
    fn email_addresses(&self) -> Vec<String> {
        self.inner.email_addresses().to_vec()
    }

    /// The public key as DER `SubjectPublicKeyInfo`.
    #[getter]
    fn public_key_der<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        bytes(py, self.inner.public_key().spki_der())
    }

    /// Raises `InvalidSignature` unless the request's self-signature verifies.
    fn verify_signature(&self) -> PyResult<()> {
        self.inner.verify_signature().map_err(to_py)
    }

    /// The DER encoding.
    fn to_der<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        bytes(py, self.inner.to_der())
    }

    /// The PEM encoding (ASCII bytes).
    fn to_pem<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        bytes(py, self.inner.to_pem().as_bytes())
    }

    /// Pickles as the DER.
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyBytes>,))> {
        let constructor = slf.get_type().getattr("from_der")?;
        Ok((constructor, (bytes(py, slf.get().inner.to_der()),)))
    }

    fn __repr__(&self) -> String {
        format!(
            "<CertificateRequest subject={:?}>",
            self.inner.subject().to_rfc4514()
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Identity

/// Reads at most `limit + 1` bytes (so that `/dev/zero` or a huge file fails fast with the
/// size limit instead of filling memory).
fn read_limited(path: &std::path::Path, limit: usize) -> CoreResult<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut data = Vec::new();
    file.take(limit as u64 + 1)
        .read_to_end(&mut data)
        .map_err(|e| Error::io(path, e))?;
    Ok(data)
}

/// A signing identity: a private key with its certificate and chain, as a doctor's `.pfx`
/// holds it.
#[pyclass(frozen, module = "ezla", name = "Identity")]
pub(crate) struct PyIdentity {
    pub(crate) inner: Identity,
}

#[pymethods]
impl PyIdentity {
    /// Opens a PKCS#12 file (`.pfx`, `.p12`) given as bytes: legacy (RC2, 3DES, SHA-1 MAC) and
    /// modern (PBES2, AES) files alike. `password` may be `None` for a file without one.
    /// A file without integrity protection (no MAC) raises `Pkcs12Unprotected` unless
    /// `allow_unprotected=True`: it could have been altered, and its password was not checked
    /// (when nothing in it is encrypted, any password opens it).
    ///
    /// Options:
    ///
    /// - max_iterations (int, default None): refuse key derivations with more PBKDF2/MAC iterations
    ///   than this (a guard against files that take minutes to open); None: 10 000 000.
    /// - allow_unprotected (bool, default False): open a file without a MAC (Pkcs12Unprotected
    ///   otherwise).
    #[classmethod]
    #[pyo3(signature = (data, password, *, max_iterations = None, allow_unprotected = false))]
    fn from_pfx(
        _cls: &Bound<'_, pyo3::types::PyType>,
        py: Python<'_>,
        data: PyBackedBytes,
        password: Option<String>,
        max_iterations: Option<u64>,
        allow_unprotected: bool,
    ) -> PyResult<Self> {
        let options = pkcs12_options(max_iterations, allow_unprotected);
        py.detach(|| Identity::from_pkcs12(&data, password.as_deref(), &options))
            .map(|inner| PyIdentity { inner })
            .map_err(to_py)
    }

    /// Reads and opens a PKCS#12 file from `path` (`str` or `os.PathLike`), with the rules of
    /// `from_pfx`.
    ///
    /// Options:
    ///
    /// - max_iterations (int, default None): refuse key derivations with more PBKDF2/MAC iterations
    ///   than this (a guard against files that take minutes to open); None: 10 000 000.
    /// - allow_unprotected (bool, default False): open a file without a MAC (Pkcs12Unprotected
    ///   otherwise).
    #[classmethod]
    #[pyo3(signature = (path, password, *, max_iterations = None, allow_unprotected = false))]
    fn from_file(
        _cls: &Bound<'_, pyo3::types::PyType>,
        py: Python<'_>,
        path: PathBuf,
        password: Option<String>,
        max_iterations: Option<u64>,
        allow_unprotected: bool,
    ) -> PyResult<Self> {
        let options = pkcs12_options(max_iterations, allow_unprotected);
        py.detach(|| {
            let data = read_limited(&path, options.max_size)?;
            Identity::from_pkcs12(&data, password.as_deref(), &options)
        })
        .map(|inner| PyIdentity { inner })
        .map_err(to_py)
    }

    /// Pairs a key with its certificate (and chain): what `ezla cert bundle` does before
    /// writing a `.pfx`. Raises `KeyCertificateMismatch` (a `KeyStoreError`) when the
    /// certificate is not for the key.
    ///
    /// Options:
    ///
    /// - chain (list of Certificate or PEM/DER bytes, default None): the issuing chain, nearest
    ///   issuer first; None: none.
    #[classmethod]
    #[pyo3(signature = (key, certificate, chain = None))]
    fn from_key(
        _cls: &Bound<'_, pyo3::types::PyType>,
        key: &PyPrivateKey,
        certificate: &PyCertificate,
        chain: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let chain = match chain {
            Some(c) if !c.is_none() => certificates_from(c, "chain")?,
            _ => Vec::new(),
        };
        let mut inner =
            Identity::new(key.inner.clone(), certificate.inner.clone(), chain).map_err(to_py)?;
        inner.friendly_name = certificate
            .inner
            .subject()
            .common_name()
            .map(str::to_string);
        Ok(PyIdentity { inner })
    }

    /// The certificate for the key.
    #[getter]
    fn certificate(&self) -> PyCertificate {
        PyCertificate::new(self.inner.certificate.clone())
    }

    /// The issuing chain, nearest issuer first.
    #[getter]
    fn chain(&self) -> Vec<PyCertificate> {
        self.inner
            .chain
            .iter()
            .cloned()
            .map(PyCertificate::new)
            .collect()
    }

    /// The private key.
    #[getter]
    fn private_key(&self) -> PyPrivateKey {
        PyPrivateKey {
            inner: self.inner.key.clone(),
        }
    }

    /// The key's `friendlyName` in the PKCS#12 file (keytool's alias), if any.
    #[getter]
    fn friendly_name(&self) -> Option<String> {
        self.inner.friendly_name.clone()
    }

    /// Writes the identity as a modern PKCS#12 file (PBES2 AES-256, HMAC-SHA-256 MAC) that
    /// OpenSSL 3, the JDK and Windows open.
    ///
    /// Options:
    ///
    /// - iterations (int, default ezla.DEFAULT_PFX_ITERATIONS, 600 000): the PBKDF2 and MAC
    ///   iteration count.
    /// - friendly_name (str, default None): the key's friendlyName (keytool's alias); None: the
    ///   identity's own, if any.
    #[pyo3(signature = (password, *, iterations = DEFAULT_ITERATIONS, friendly_name = None))]
    fn to_pfx<'py>(
        &self,
        py: Python<'py>,
        password: &str,
        iterations: u32,
        friendly_name: Option<String>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let der = py
            .detach(|| {
                let mut b = self.inner.pkcs12_builder()?.iterations(iterations);
                if let Some(name) = friendly_name {
                    b = b.friendly_name(name);
                }
                b.build(password)
            })
            .map_err(to_py)?;
        Ok(bytes(py, &der))
    }

    fn __repr__(&self) -> String {
        format!(
            "<Identity subject={:?} key={}>",
            self.inner.certificate.subject().to_rfc4514(),
            self.inner.key.kind()
        )
    }
}

/// What a PKCS#12 file is made of: for telling legacy files (which many tools can no longer
/// open) from modern ones before converting them with `Identity.to_pfx`.
#[pyclass(frozen, module = "ezla", name = "PfxInfo")]
pub(crate) struct PfxInfo {
    inner: ezla_core::pki::Pkcs12,
}

/// Opens a PKCS#12 file and describes it: protection, contents and skipped bags. A file
/// without integrity protection (no MAC) is described, not refused: see
/// `PfxInfo.integrity_protected`.
///
/// Options:
///
/// - max_iterations (int, default None): refuse key derivations with more PBKDF2/MAC iterations
///   than this; None: 10 000 000.
#[pyfunction]
#[pyo3(signature = (data, password, *, max_iterations = None))]
pub(crate) fn inspect_pfx(
    py: Python<'_>,
    data: PyBackedBytes,
    password: Option<String>,
    max_iterations: Option<u64>,
) -> PyResult<PfxInfo> {
    let options = pkcs12_options(max_iterations, true);
    py.detach(|| ezla_core::pki::Pkcs12::parse(&data, password.as_deref(), &options))
        .map(|inner| PfxInfo { inner })
        .map_err(to_py)
}

#[pymethods]
impl PfxInfo {
    /// Whether any legacy algorithm is used (a SHA-1 MAC, RC2 or 3DES encryption).
    #[getter]
    fn is_legacy(&self) -> bool {
        self.inner.info.is_legacy()
    }

    /// The MAC's digest (`SHA-256`), or `None` for a file without a MAC.
    #[getter]
    fn mac_digest(&self) -> Option<&'static str> {
        self.inner.info.mac.as_ref().map(|m| m.digest.name())
    }

    /// Whether the file has integrity protection (a MAC). Without it the file could have been
    /// altered and its password was not checked; `Identity.from_pfx` refuses it unless
    /// `allow_unprotected=True`.
    #[getter]
    fn integrity_protected(&self) -> bool {
        self.inner.info.mac.is_some()
    }

    /// The MAC's iteration count, or `None`.
    #[getter]
    fn mac_iterations(&self) -> Option<u64> {
        self.inner.info.mac.as_ref().map(|m| m.iterations)
    }

    /// Each encryption as a dict: `protects`, `algorithm`, `iterations`, `legacy`.
    #[getter]
    fn encryptions<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, pyo3::types::PyDict>>> {
        self.inner
            .info
            .encryptions
            .iter()
            .map(|e| {
                let d = pyo3::types::PyDict::new(py);
                d.set_item("protects", e.protects)?;
                d.set_item("algorithm", &e.algorithm)?;
                d.set_item("iterations", e.iterations)?;
                d.set_item("legacy", e.legacy)?;
                Ok(d)
            })
            .collect()
    }

    /// How many private keys the file holds.
    #[getter]
    fn key_count(&self) -> usize {
        self.inner.keys.len()
    }

    /// The certificates, in file order.
    #[getter]
    fn certificates(&self) -> Vec<PyCertificate> {
        self.inner
            .certificates
            .iter()
            .map(|c| PyCertificate::new(c.certificate.clone()))
            .collect()
    }

    /// Bags ezla did not use, as `(bag_type, reason)` pairs.
    #[getter]
    fn skipped(&self) -> Vec<(String, String)> {
        self.inner
            .skipped
            .iter()
            .map(|b| (b.bag_type.clone(), b.reason.clone()))
            .collect()
    }

    fn __repr__(&self) -> String {
        format!(
            "<PfxInfo legacy={} keys={} certificates={}>",
            self.inner.info.is_legacy(),
            self.inner.keys.len(),
            self.inner.certificates.len()
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Test CA (ezla.testing)

/// **Tests and demos only**: a throw-away CA issuing ZUS-like doctor certificates.
#[pyclass(frozen, module = "ezla.testing", name = "TestCa")]
pub(crate) struct PyTestCa {
    inner: TestCa,
}

fn validity(
    not_before: Option<&Bound<'_, PyAny>>,
    days: Option<u32>,
) -> PyResult<(OffsetDateTime, Option<OffsetDateTime>)> {
    let start = instant_or_now(not_before, "not_before")?;
    let start = start.replace_nanosecond(0).unwrap_or(start);
    Ok((start, days.map(|d| start + Duration::days(i64::from(d)))))
}

/// One `revoked` item of `TestCa.issue_crl`: the certificate, when, and the reason.
type RevokedArg<'py> = (PyRef<'py, PyCertificate>, Bound<'py, PyAny>, Option<String>);

#[pymethods]
impl PyTestCa {
    /// Generates a CA (RSA-2048, self-signed) valid for `days` from `not_before` (default now).
    ///
    /// Options:
    ///
    /// - common_name (str, default "ezla TEST CA - not for real documents"): the CA's CN.
    /// - days (int, default 3650): how long the CA certificate is valid.
    /// - not_before (timezone-aware datetime.datetime, default None): start of validity; None: now.
    #[staticmethod]
    #[pyo3(signature = (common_name = "ezla TEST CA - not for real documents", *, days = 3650,
        not_before = None))]
    fn generate(
        py: Python<'_>,
        common_name: &str,
        days: u32,
        not_before: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let (start, _) = validity(not_before, None)?;
        py.detach(|| TestCa::generate(common_name, start, days))
            .map(|inner| PyTestCa { inner })
            .map_err(to_py)
    }

    /// The CA certificate (the trust anchor for what it issues).
    #[getter]
    fn certificate(&self) -> PyCertificate {
        PyCertificate::new(self.inner.certificate().clone())
    }

    /// Generates a key and issues a doctor's certificate (`serialNumber=PNOPL-<PESEL>`,
    /// five years by default); the identity's chain is the CA certificate.
    ///
    /// Options:
    ///
    /// - given_name (str, default "Jan"): the doctor's given name.
    /// - surname (str, default "Kowalski"): the doctor's surname.
    /// - pesel (str, default "44051401359"): the doctor's PESEL (checked).
    /// - key_type (str, default "rsa2048"): "rsa2048", "rsa3072", "rsa4096" or "p256".
    /// - email (str, default None): an e-mail subject alternative name.
    /// - not_before (timezone-aware datetime.datetime, default None): start of validity; None: now.
    /// - days (int, default None): how long the certificate is valid; None: five years.
    /// - crl_url (str, default None): the CRL distribution point to write; None: a test URL
    ///   that never resolves.
    #[pyo3(signature = (given_name = "Jan", surname = "Kowalski", pesel = "44051401359", *,
        key_type = "rsa2048", email = None, not_before = None, days = None, crl_url = None))]
    #[allow(clippy::too_many_arguments)]
    fn issue_doctor(
        &self,
        py: Python<'_>,
        given_name: &str,
        surname: &str,
        pesel: &str,
        key_type: &str,
        email: Option<String>,
        not_before: Option<&Bound<'_, PyAny>>,
        days: Option<u32>,
        crl_url: Option<String>,
    ) -> PyResult<PyIdentity> {
        let pesel = ezla_core::pl::Pesel::parse(pesel)
            .map_err(|e| to_py(Error::invalid_argument("pesel", e.to_string())))?;
        let mut spec = DoctorSpec::new(given_name, surname, pesel);
        spec.key = key_spec(key_type)?;
        spec.email = email;
        let (start, end) = validity(not_before, days)?;
        let mut options = IssueOptions::doctor(start);
        if let Some(end) = end {
            options.not_after = end;
        }
        options.crl_url = crl_url;
        spec.options = options;
        py.detach(|| self.inner.issue_doctor(&spec))
            .map(|inner| PyIdentity { inner })
            .map_err(to_py)
    }

    /// Issues a doctor's certificate for a request (its signature is checked first).
    ///
    /// Options:
    ///
    /// - not_before (timezone-aware datetime.datetime, default None): start of validity; None: now.
    /// - days (int, default None): how long the certificate is valid; None: five years.
    #[pyo3(signature = (request, *, not_before = None, days = None))]
    fn issue_for_request(
        &self,
        py: Python<'_>,
        request: &PyCertificateRequest,
        not_before: Option<&Bound<'_, PyAny>>,
        days: Option<u32>,
    ) -> PyResult<PyCertificate> {
        let (start, end) = validity(not_before, days)?;
        let mut options = IssueOptions::doctor(start);
        if let Some(end) = end {
            options.not_after = end;
        }
        let request = &request.inner;
        py.detach(|| self.inner.issue_for_request(request, &options))
            .map(PyCertificate::new)
            .map_err(to_py)
    }

    /// Issues a CRL (DER) listing `revoked`: `(certificate, revoked_at, reason)` tuples, the
    /// reason an RFC 5280 name (`"keyCompromise"`) or None.
    ///
    /// Options:
    ///
    /// - revoked (list of tuples, default None): the revoked certificates, each a tuple of the
    ///   Certificate, the timezone-aware revocation time and the reason (str or None).
    /// - this_update (timezone-aware datetime.datetime, default None): when it is issued;
    ///   None: now.
    /// - next_update (timezone-aware datetime.datetime, default None): when the next is due;
    ///   None: a day after `this_update`.
    /// - number (int, default 1): the CRL number.
    #[pyo3(signature = (revoked = None, *, this_update = None, next_update = None, number = 1))]
    fn issue_crl<'py>(
        &self,
        py: Python<'py>,
        revoked: Option<Vec<RevokedArg<'py>>>,
        this_update: Option<&Bound<'_, PyAny>>,
        next_update: Option<&Bound<'_, PyAny>>,
        number: u64,
    ) -> PyResult<Bound<'py, PyBytes>> {
        use ezla_core::pki::testca::CrlSpec;
        use ezla_core::pki::{RevocationReason, RevokedCertificate};
        let this_update = match this_update.filter(|t| !t.is_none()) {
            Some(t) => crate::convert::from_datetime(t, "this_update")?,
            None => OffsetDateTime::now_utc(),
        };
        let next_update = match next_update.filter(|t| !t.is_none()) {
            Some(t) => crate::convert::from_datetime(t, "next_update")?,
            None => this_update + Duration::days(1),
        };
        let mut spec = CrlSpec::new(this_update, next_update, number);
        for (cert, at, reason) in revoked.unwrap_or_default() {
            let reason = match reason {
                Some(name) => Some(RevocationReason::from_name(&name).ok_or_else(|| {
                    to_py(Error::invalid_argument(
                        "revoked",
                        format!("`{name}` is not an RFC 5280 CRL reason"),
                    ))
                })?),
                None => None,
            };
            spec.revoked.push(RevokedCertificate::new(
                &cert.inner,
                crate::convert::from_datetime(&at, "revoked")?,
                reason,
            ));
        }
        let crl = py.detach(|| self.inner.issue_crl(&spec)).map_err(to_py)?;
        Ok(PyBytes::new(py, crl.to_der()))
    }

    fn __repr__(&self) -> String {
        format!(
            "<TestCa subject={:?}>",
            self.inner.certificate().subject().to_rfc4514()
        )
    }
}
