//! RFC 3161 time-stamps: the TSA client, token checks, and XAdES-T / CAdES-T.

use std::sync::Arc;

use ezla_core::transport::{TransportConfig, UreqTransport};
use ezla_core::tsp::{self, ObjectIdentifier, Stamped, TimeStamp, TokenOptions, TsaClient};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::PyBytes;

use crate::convert::{bytes, invalid, signature_digest};
use crate::datetime::to_datetime;
use crate::errors::to_py;
use crate::pki::{PyCertificate, trust_anchors};

fn policy(value: Option<&str>) -> PyResult<Option<ObjectIdentifier>> {
    value
        .map(|p| {
            p.parse::<ObjectIdentifier>()
                .map_err(|e| invalid("policy", format!("{p:?} is not an OID: {e}")))
        })
        .transpose()
}

/// Token options from the `trust` argument.
pub(crate) fn token_options(
    trust: Option<&Bound<'_, PyAny>>,
    argument: &'static str,
) -> PyResult<TokenOptions> {
    let mut options = TokenOptions::default();
    if let Some(trust) = trust.filter(|t| !t.is_none()) {
        options = options.with_trust(trust_anchors(trust, argument)?);
    }
    Ok(options)
}

/// A client of an RFC 3161 time-stamping authority (TSA) over HTTP or HTTPS: each
/// `stamp` sends a fresh request (only the hash of the data, with a nonce) and checks the
/// answer — status, imprint, nonce, policy, the TSA certificate's critical timeStamping
/// usage and, with `trust`, its chain at the time stamped.
///
/// Options:
///
/// - trust (list of Certificate or PEM/DER bytes, or a TrustStore; default None): trust
///   anchors for the TSA's certificate; None: the token is checked with the certificate it
///   carries (the time-stamp's trust is "untrusted").
/// - policy (str, default None): the TSA policy OID to ask for (and require).
/// - digest (str, default "sha256"): "sha256", "sha384" or "sha512".
/// - ca (bytes, default None): for an https URL, the PEM CA that signs the TSA server's
///   certificate, instead of the system roots.
/// - timeout (float, default 60.0): seconds to wait for the answer.
#[pyclass(frozen, module = "ezla", name = "TsaClient")]
pub(crate) struct PyTsaClient {
    pub(crate) inner: Arc<TsaClient<UreqTransport>>,
}

#[pymethods]
impl PyTsaClient {
    #[new]
    #[pyo3(signature = (url, *, trust = None, policy = None, digest = "sha256", ca = None,
        timeout = 60.0))]
    fn new(
        url: &str,
        trust: Option<&Bound<'_, PyAny>>,
        policy: Option<&str>,
        digest: &str,
        ca: Option<PyBackedBytes>,
        timeout: f64,
    ) -> PyResult<Self> {
        let mut config =
            TransportConfig::builder().response_timeout(crate::convert::timeout(timeout)?);
        if let Some(ca) = &ca {
            config = config.trust_pem(ca);
        }
        let transport = config.build().and_then(UreqTransport::new).map_err(to_py)?;
        let mut client = TsaClient::new(url, transport)
            .with_digest(signature_digest(digest)?)
            .with_options(token_options(trust, "trust")?);
        if let Some(p) = self::policy(policy)? {
            client = client.with_policy(p);
        }
        Ok(PyTsaClient {
            inner: Arc::new(client),
        })
    }

    /// The TSA's URL.
    #[getter]
    fn url(&self) -> &str {
        self.inner.url()
    }

    /// Time-stamps `data` (only its hash is sent); returns `(token, TimeStamp)`, the token
    /// as DER (what `openssl ts -verify -token_in` reads). Raises `TimestampError` when the
    /// TSA refuses or its token does not fit, `TransportError` when it cannot be asked.
    fn stamp<'py>(
        &self,
        py: Python<'py>,
        data: PyBackedBytes,
    ) -> PyResult<(Bound<'py, PyBytes>, PyTimeStamp)> {
        let client = self.inner.clone();
        let (token, stamp) = py.detach(|| client.stamp(&data)).map_err(to_py)?;
        Ok((bytes(py, &token), PyTimeStamp { inner: stamp }))
    }

    fn __repr__(&self) -> String {
        format!("TsaClient({:?})", self.inner.url())
    }
}

/// What a verified RFC 3161 time-stamp token proves.
#[pyclass(frozen, module = "ezla", name = "TimeStamp")]
pub(crate) struct PyTimeStamp {
    pub(crate) inner: TimeStamp,
}

#[pymethods]
impl PyTimeStamp {
    /// When the TSA stamped (`genTime`), timezone-aware.
    #[getter]
    fn time<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_datetime(py, self.inner.time)
    }

    /// How far `time` may be off, in seconds, when the TSA says.
    #[getter]
    fn accuracy_seconds(&self) -> Option<f64> {
        self.inner.accuracy.map(|d| d.as_seconds_f64())
    }

    /// The TSA policy OID.
    #[getter]
    fn policy(&self) -> String {
        self.inner.policy.to_string()
    }

    /// The token's serial number, hex.
    #[getter]
    fn serial(&self) -> &str {
        &self.inner.serial
    }

    /// The hash of the imprint, e.g. `SHA-256`.
    #[getter]
    fn digest(&self) -> &'static str {
        self.inner.digest.name()
    }

    /// The imprint: the hash of what was stamped.
    #[getter]
    fn imprint<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        bytes(py, &self.inner.imprint)
    }

    /// The nonce, when the token carries one.
    #[getter]
    fn nonce<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyBytes>> {
        self.inner.nonce.as_deref().map(|n| bytes(py, n))
    }

    /// The TSA's certificate.
    #[getter]
    fn tsa(&self) -> PyCertificate {
        PyCertificate::new(self.inner.tsa.clone())
    }

    /// `chain` (the TSA chains to the trust anchors at the time stamped) or `untrusted`.
    #[getter]
    fn trust(&self) -> &'static str {
        self.inner.trust
    }

    /// Whether the TSA was validated against trust anchors.
    #[getter]
    fn trusted(&self) -> bool {
        self.inner.trust == "chain"
    }

    fn __repr__(&self) -> String {
        format!(
            "TimeStamp(time={}, tsa={:?}, trust={:?})",
            self.inner.time,
            self.inner.tsa.subject().to_rfc4514(),
            self.inner.trust
        )
    }
}

/// Verifies an RFC 3161 time-stamp token (DER) for `data`, or for a `hash` of it, and
/// returns what it proves; raises `TimestampError` (another imprint, nonce or policy; not a
/// time-stamping certificate; refused), `MalformedInput` or `CertificateError`.
///
/// Options:
///
/// - data (bytes, default None): the stamped data (hashed here with the token's algorithm).
/// - hash (bytes, default None): instead of data, its hash with `digest`.
/// - digest (str, default "sha256"): the algorithm of `hash`: "sha256", "sha384", "sha512".
/// - trust (list of Certificate or PEM/DER bytes, or a TrustStore; default None): trust
///   anchors for the TSA; None: checked with the certificate the token carries.
/// - policy (str, default None): the TSA policy OID the token must name.
#[pyfunction]
#[pyo3(signature = (token, *, data = None, hash = None, digest = "sha256", trust = None,
    policy = None))]
pub(crate) fn verify_timestamp(
    py: Python<'_>,
    token: PyBackedBytes,
    data: Option<PyBackedBytes>,
    hash: Option<PyBackedBytes>,
    digest: &str,
    trust: Option<&Bound<'_, PyAny>>,
    policy: Option<&str>,
) -> PyResult<PyTimeStamp> {
    let mut options = token_options(trust, "trust")?;
    options.policy = self::policy(policy)?;
    let algorithm = signature_digest(digest)?;
    py.detach(|| {
        let stamped = match (&data, &hash) {
            (Some(d), None) => Stamped::Data(d),
            (None, Some(h)) => Stamped::Digest(algorithm, h),
            _ => {
                return Err(ezla_core::Error::invalid_argument(
                    "data",
                    "give exactly one of data and hash",
                ));
            }
        };
        tsp::verify_token(&token, stamped, &options)
    })
    .map(|inner| PyTimeStamp { inner })
    .map_err(to_py)
}

/// Adds a signature time-stamp from `tsa` (a `TsaClient`) to a signed XML document
/// (XAdES-T) and returns the document: the `SignatureTimeStamp` goes into the unsigned
/// properties, the signed bytes are unchanged.
#[pyfunction]
pub(crate) fn add_xades_timestamp<'py>(
    py: Python<'py>,
    signed: PyBackedBytes,
    tsa: &PyTsaClient,
) -> PyResult<Bound<'py, PyBytes>> {
    let client = tsa.inner.clone();
    let out = py
        .detach(|| ezla_core::xades::add_timestamp(&signed, client.as_ref()))
        .map_err(to_py)?;
    Ok(bytes(py, &out))
}

/// Adds a signature time-stamp from `tsa` (a `TsaClient`) to a CMS signature (DER or PEM;
/// CAdES-T) and returns it as DER: the token goes into the signer's unsigned attributes,
/// the signed parts are unchanged.
#[pyfunction]
pub(crate) fn add_cms_timestamp<'py>(
    py: Python<'py>,
    signature: PyBackedBytes,
    tsa: &PyTsaClient,
) -> PyResult<Bound<'py, PyBytes>> {
    let client = tsa.inner.clone();
    let out = py
        .detach(|| tsp::cades::add_timestamp(&signature, client.as_ref()))
        .map_err(to_py)?;
    Ok(bytes(py, &out))
}
