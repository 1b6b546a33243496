//! `RevocationChecker` and `RevocationInfo`: CRL checking for `verify_xades`, `verify_cms`
//! and on its own.

use std::sync::Arc;

use ezla_core::pki::Crl;
use ezla_core::revocation::{
    CrlSource, JudgedBy, RevocationChecker, RevocationReport, RevocationStatus,
};
use ezla_core::transport::{TransportConfig, UreqTransport};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::PyBytes;

use crate::convert::{from_datetime, invalid, json_to_python, parse_time};
use crate::errors::to_py;
use crate::pki::pinned_certificate;

/// CRLs to check signers' certificates against: CRLs given as bytes or files, and with
/// `fetch=True` the CRL named by a certificate's distribution point (http or https),
/// fetched when no given CRL is its issuer's and kept until its `nextUpdate`. Share one
/// checker between verifications: the fetched CRLs are kept in it.
///
/// A certificate is judged at the instant the verification judges it — a trusted
/// time-stamp's, `at`, or now — never at the signing time the signer claims. A CRL of
/// another issuer, badly signed, out of date or not yet valid raises `CrlError`; a revoked
/// certificate `CertificateRevoked` (with `revoked_at` and `reason`).
///
/// Options:
///
/// - crls (list of bytes, str or os.PathLike; default None): CRLs, DER or PEM: bytes are the
///   CRL itself, a str or path names a file.
/// - fetch (bool, default False): fetch CRLs from the certificates' distribution points.
/// - ca (bytes, default None): for an https distribution point, the PEM CA of its server
///   instead of the system roots.
/// - timeout (float, default 30.0): seconds to wait for a distribution point.
#[pyclass(frozen, module = "ezla", name = "RevocationChecker")]
pub(crate) struct PyRevocationChecker {
    pub(crate) inner: Arc<RevocationChecker>,
}

#[pymethods]
impl PyRevocationChecker {
    #[new]
    #[pyo3(signature = (crls = None, *, fetch = false, ca = None, timeout = 30.0))]
    fn new(
        py: Python<'_>,
        crls: Option<Vec<Bound<'_, PyAny>>>,
        fetch: bool,
        ca: Option<PyBackedBytes>,
        timeout: f64,
    ) -> PyResult<Self> {
        let timeout = crate::convert::timeout(timeout)?;
        let mut checker = RevocationChecker::new();
        for (i, item) in crls.unwrap_or_default().iter().enumerate() {
            if let Ok(data) = item.cast::<PyBytes>() {
                let crl = Crl::parse(data.as_bytes()).map_err(to_py)?;
                checker = checker.with_crl(crl, format!("crls[{i}]"));
            } else {
                let path: std::path::PathBuf = item.extract().map_err(|_| {
                    invalid(
                        "crls",
                        format!(
                            "item {i} is neither bytes nor a path: {}",
                            item.get_type()
                                .name()
                                .map(|n| n.to_string())
                                .unwrap_or_default()
                        ),
                    )
                })?;
                checker = py.detach(|| checker.with_crl_file(&path)).map_err(to_py)?;
            }
        }
        if fetch {
            let mut config = TransportConfig::builder()
                .response_timeout(timeout)
                .max_response_size(ezla_core::revocation::MAX_CRL_SIZE);
            if let Some(ca) = &ca {
                config = config.trust_pem(ca);
            }
            let transport = config.build().and_then(UreqTransport::new).map_err(to_py)?;
            checker = checker.with_fetching(Arc::new(transport));
        } else if ca.is_some() {
            return Err(invalid("ca", "is only used with fetch=True".into()));
        }
        Ok(PyRevocationChecker {
            inner: Arc::new(checker),
        })
    }

    /// Whether this checker fetches CRLs from distribution points.
    #[getter]
    fn fetches(&self) -> bool {
        self.inner.fetches()
    }

    /// Checks `certificate` (issued by `issuer`, which verifies the CRL) at `at` (default
    /// now) and returns what the CRL says; raises `CertificateRevoked` when it was revoked
    /// at or before `at`, `CrlError` / `RevocationUnknown` / `TransportError` when that
    /// cannot be told.
    ///
    /// Options:
    ///
    /// - at (timezone-aware datetime.datetime, default None): the instant judged; None: now.
    #[pyo3(signature = (certificate, issuer, *, at = None))]
    fn check(
        &self,
        py: Python<'_>,
        certificate: &Bound<'_, PyAny>,
        issuer: &Bound<'_, PyAny>,
        at: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<RevocationInfo> {
        let certificate = pinned_certificate(certificate)?;
        let issuer = pinned_certificate(issuer)?;
        let now = time::OffsetDateTime::now_utc();
        let (judged_at, judged_by) = match at.filter(|a| !a.is_none()) {
            Some(at) => (from_datetime(at, "at")?, JudgedBy::Requested),
            None => (now, JudgedBy::VerificationTime),
        };
        let checker = self.inner.clone();
        py.detach(|| {
            checker.check(
                &certificate,
                &issuer,
                judged_at,
                judged_by,
                judged_at.max(now),
            )
        })
        .map(|inner| RevocationInfo { inner })
        .map_err(to_py)
    }

    fn __repr__(&self) -> String {
        format!(
            "<RevocationChecker crls={} fetch={}>",
            self.inner.given().count(),
            if self.inner.fetches() {
                "True"
            } else {
                "False"
            }
        )
    }
}

/// The checker of a `revocation=` argument, `None` when it is `None`.
pub(crate) fn checker_arg(
    revocation: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<Arc<RevocationChecker>>> {
    let Some(value) = revocation.filter(|r| !r.is_none()) else {
        return Ok(None);
    };
    let checker = value.cast::<PyRevocationChecker>().map_err(|_| {
        invalid(
            "revocation",
            "must be an ezla.RevocationChecker (or None)".into(),
        )
    })?;
    Ok(Some(checker.get().inner.clone()))
}

/// What a CRL said of a certificate that passed: which CRL, issued when, the instant judged.
#[pyclass(frozen, module = "ezla", name = "RevocationInfo")]
pub(crate) struct RevocationInfo {
    pub(crate) inner: RevocationReport,
}

#[pymethods]
impl RevocationInfo {
    /// `"good"` (not on the CRL) or `"revoked_later"` (revoked after the instant judged:
    /// a signature time-stamped before the revocation stands).
    #[getter]
    fn status(&self) -> &'static str {
        match self.inner.status {
            RevocationStatus::Good => "good",
            _ => "revoked_later",
        }
    }

    /// When the certificate was revoked, for `"revoked_later"`.
    #[getter]
    fn revoked_at<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        match &self.inner.status {
            RevocationStatus::RevokedLater { revoked_at, .. } => {
                parse_time(py, revoked_at).map(Some)
            }
            _ => Ok(None),
        }
    }

    /// The CRL reason (RFC 5280 name), for `"revoked_later"` when the CRL gives one.
    #[getter]
    fn reason(&self) -> Option<&str> {
        match &self.inner.status {
            RevocationStatus::RevokedLater { reason, .. } => reason.as_deref(),
            _ => None,
        }
    }

    /// `"given"`, `"fetched"` or `"cached"`.
    #[getter]
    fn source_kind(&self) -> &'static str {
        match &self.inner.source {
            CrlSource::Given(_) => "given",
            CrlSource::Fetched(_) => "fetched",
            _ => "cached",
        }
    }

    /// The file (or `crls[i]`) or URL of the CRL.
    #[getter]
    fn source(&self) -> &str {
        match &self.inner.source {
            CrlSource::Given(s) | CrlSource::Fetched(s) | CrlSource::Cached(s) => s,
            _ => "",
        }
    }

    /// The CRL's issuer (RFC 4514).
    #[getter]
    fn crl_issuer(&self) -> &str {
        &self.inner.crl_issuer
    }

    /// When the CRL was issued.
    #[getter]
    fn crl_this_update<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        parse_time(py, &self.inner.crl_this_update)
    }

    /// When the next CRL is due, when the CRL says.
    #[getter]
    fn crl_next_update<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner
            .crl_next_update
            .as_deref()
            .map(|t| parse_time(py, t))
            .transpose()
    }

    /// The CRL number (hex), when present.
    #[getter]
    fn crl_number(&self) -> Option<&str> {
        self.inner.crl_number.as_deref()
    }

    /// The instant the certificate was judged at.
    #[getter]
    fn judged_at<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        parse_time(py, &self.inner.judged_at)
    }

    /// Why that instant: `"time_stamp"`, `"requested"` or `"verification_time"`.
    #[getter]
    fn judged_by(&self) -> &'static str {
        self.inner.judged_by.name()
    }

    /// The report as plain JSON-compatible data (the `revocation` of `ezla verify --json`).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_python(py, serde_json::to_string(&self.inner))
    }

    fn __repr__(&self) -> String {
        format!(
            "<RevocationInfo status={} judged_at={} crl={}>",
            self.status(),
            self.inner.judged_at,
            self.source()
        )
    }
}
