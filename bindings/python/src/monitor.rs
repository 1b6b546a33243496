//! `check_certificates`: many certificates watched at once (`ezla::pki::monitor`).

use std::path::PathBuf;

use ezla_core::pki::ExpiryPolicy;
use ezla_core::pki::monitor::{CertificateSummary, Revocation, SummaryEntry};
use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple};

use crate::convert::{instant_or_now, invalid, to_datetime};
use crate::pki::PyCertificate;

/// One source to check, as the caller gave it.
enum Source {
    Path(PathBuf),
    Certificate(String, ezla_core::pki::Certificate),
}

fn source(item: &Bound<'_, PyAny>, index: usize) -> PyResult<Source> {
    if let Ok(c) = item.cast::<PyCertificate>() {
        return Ok(Source::Certificate(
            format!("certificate {}", index + 1),
            c.get().inner.clone(),
        ));
    }
    if let Ok(t) = item.cast::<PyTuple>()
        && let (2, Ok(label), Ok(c)) = (
            t.len(),
            t.get_item(0).and_then(|l| l.extract::<String>()),
            t.get_item(1)
                .and_then(|c| c.cast_into::<PyCertificate>().map_err(PyErr::from)),
        )
    {
        return Ok(Source::Certificate(label, c.get().inner.clone()));
    }
    item.extract::<PathBuf>().map(Source::Path).map_err(|_| {
        invalid(
            "sources",
            format!(
                "item {} is neither a path, a Certificate nor a (label, Certificate) pair",
                index + 1
            ),
        )
    })
}

/// Checks many certificates at once against the ZUS expiry rules, as a clinic's monitoring
/// does, and returns a `CertificateSummary` (its `exit_code` is a monitoring plugin's:
/// 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).
///
/// `sources` is an iterable (or a single path or certificate) of paths — files (a certificate in DER or
/// PEM, a PEM bundle, or a `.pfx`/`.p12` whose key's certificate is checked) and
/// directories (every `.pfx`, `.p12`, `.crt`, `.cer`, `.pem` and `.der` file in them, in name
/// order) — and of `Certificate` objects, alone (labelled `certificate N`) or as
/// `(label, Certificate)` pairs. A file that cannot be read, or a directory with no
/// certificate file, is a row of its own with the error, not an exception.
///
/// Options:
///
/// - password (str, default None): the password of every `.pfx` file; None: files without a
///   password.
/// - at (timezone-aware datetime.datetime, default None): the instant to judge at; None: now.
/// - renewal_window_days (int, default None): how many days before expiry a new certificate may
///   be requested (WARNING from then on); None: the ZUS rule, 28.
/// - warning_days (int, default None): how many days before expiry the status is "expiring";
///   None: 14.
/// - recursive (bool, default False): look into the directories' subdirectories too.
/// - revocation (RevocationChecker, default None): also check every certificate against its
///   issuer's CRL at `at`: a revoked one is CRITICAL, one whose status cannot be told (no CRL,
///   the issuer not at hand) UNKNOWN (`row.revocation`). Roots are not checked.
/// - issuers (list of Certificate or PEM/DER bytes, default None): the CA certificates that
///   verify the CRLs, besides the chains the `.pfx` files carry and the other certificates.
#[pyfunction]
#[pyo3(signature = (sources, *, password = None, at = None, renewal_window_days = None,
    warning_days = None, recursive = false, revocation = None, issuers = None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn check_certificates(
    py: Python<'_>,
    sources: &Bound<'_, PyAny>,
    password: Option<String>,
    at: Option<&Bound<'_, PyAny>>,
    renewal_window_days: Option<u32>,
    warning_days: Option<u32>,
    recursive: bool,
    revocation: Option<&Bound<'_, PyAny>>,
    issuers: Option<Vec<Bound<'_, PyAny>>>,
) -> PyResult<PyCertificateSummary> {
    let at = instant_or_now(at, "at")?;
    let checker = crate::revocation::checker_arg(revocation)?;
    let issuers: Vec<ezla_core::pki::Certificate> = issuers
        .unwrap_or_default()
        .iter()
        .map(crate::pki::pinned_certificate)
        .collect::<PyResult<_>>()?;
    if checker.is_none() && !issuers.is_empty() {
        return Err(invalid("issuers", "is used with revocation=".into()));
    }
    let mut policy = ExpiryPolicy::default();
    if let Some(d) = renewal_window_days {
        policy.renewal_window_days = d;
    }
    if let Some(d) = warning_days {
        policy.warning_days = d;
    }
    let items: Vec<Source> = if sources.is_instance_of::<PyString>()
        || sources.is_instance_of::<PyCertificate>()
        || sources.hasattr("__fspath__")?
    {
        vec![source(sources, 0)?]
    } else {
        sources
            .try_iter()
            .map_err(|_| {
                invalid(
                    "sources",
                    "expected a path or an iterable of paths and certificates".into(),
                )
            })?
            .enumerate()
            .map(|(i, item)| item.and_then(|item| source(&item, i)))
            .collect::<PyResult<_>>()?
    };
    let inner = py.detach(|| {
        let mut summary = CertificateSummary::new(policy, at);
        // Consecutive paths are listed together, so that a file found twice is one row.
        let mut paths: Vec<PathBuf> = Vec::new();
        for item in items {
            match item {
                Source::Path(p) => paths.push(p),
                Source::Certificate(label, c) => {
                    summary.add_paths(&paths, recursive, password.as_deref());
                    paths.clear();
                    summary.add(label, c);
                }
            }
        }
        summary.add_paths(&paths, recursive, password.as_deref());
        if let Some(checker) = &checker {
            summary.check_revocation(checker, &issuers);
        }
        summary
    });
    Ok(PyCertificateSummary { inner })
}

/// Many certificates judged at one instant: the result of `check_certificates`.
#[pyclass(frozen, module = "ezla", name = "CertificateSummary")]
pub(crate) struct PyCertificateSummary {
    inner: CertificateSummary,
}

#[pymethods]
impl PyCertificateSummary {
    /// One row per certificate and per source that could not be read, in the order checked.
    #[getter]
    fn rows(&self) -> Vec<PyCertificateSummaryRow> {
        self.inner
            .entries()
            .iter()
            .map(|e| PyCertificateSummaryRow { inner: e.clone() })
            .collect()
    }

    /// The most urgent status of the rows: `OK`, `WARNING`, `CRITICAL` or `UNKNOWN`
    /// (CRITICAL wins over UNKNOWN, UNKNOWN over WARNING).
    #[getter]
    fn worst(&self) -> &'static str {
        self.inner.worst().name()
    }

    /// The exit code of a monitoring plugin for `worst`: 0 OK, 1 WARNING, 2 CRITICAL,
    /// 3 UNKNOWN (`ezla cert check`'s).
    #[getter]
    fn exit_code(&self) -> u8 {
        self.inner.exit_code()
    }

    /// The instant judged at.
    #[getter]
    fn at<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_datetime(py, self.inner.at())
    }

    /// The renewal window of the policy, in days.
    #[getter]
    fn renewal_window_days(&self) -> u32 {
        self.inner.policy().renewal_window_days
    }

    /// The warning period of the policy, in days.
    #[getter]
    fn warning_days(&self) -> u32 {
        self.inner.policy().warning_days
    }

    /// The JSON form of `ezla cert check --json` (a str).
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The Prometheus text exposition format (a str), for node_exporter's textfile
    /// collector: `ezla_certificate_days_left`, `ezla_certificate_not_after_seconds` and
    /// `ezla_certificate_status` per certificate, `ezla_certificate_check_errors`,
    /// `ezla_certificate_check_exit_code` and `ezla_certificate_check_timestamp_seconds`.
    /// Write it to a temporary file and rename it into the collector's directory.
    fn to_prometheus(&self) -> String {
        self.inner.to_prometheus()
    }

    /// The table of `ezla cert check` (a str).
    fn to_table(&self) -> String {
        self.inner.to_table()
    }

    fn __len__(&self) -> usize {
        self.inner.entries().len()
    }

    fn __repr__(&self) -> String {
        format!(
            "<CertificateSummary {} rows, worst {}>",
            self.inner.entries().len(),
            self.inner.worst().name()
        )
    }
}

/// One row of a `CertificateSummary`: a certificate, or a source that could not be read
/// (`status == "unreadable"`, with `error_code`, `error_name` and `error_message`).
#[pyclass(frozen, module = "ezla", name = "CertificateSummaryRow")]
pub(crate) struct PyCertificateSummaryRow {
    inner: SummaryEntry,
}

impl PyCertificateSummaryRow {
    fn row(&self) -> Option<&ezla_core::pki::monitor::CertificateRow> {
        match &self.inner {
            SummaryEntry::Certificate(r) => Some(r),
            _ => None,
        }
    }

    fn unreadable(&self) -> Option<&ezla_core::pki::monitor::UnreadableSource> {
        match &self.inner {
            SummaryEntry::Unreadable(u) => Some(u),
            _ => None,
        }
    }
}

#[pymethods]
impl PyCertificateSummaryRow {
    /// Where the row comes from: the file's path as given, or the certificate's label.
    #[getter]
    fn source(&self) -> &str {
        self.inner.source()
    }

    /// `valid`, `renewal-window`, `expiring`, `expired`, `not-yet-valid` or `unreadable`.
    #[getter]
    fn status(&self) -> &'static str {
        self.row().map_or("unreadable", |r| r.expiry.name())
    }

    /// The row's monitoring status: `OK`, `WARNING`, `CRITICAL` or `UNKNOWN`.
    #[getter]
    fn monitor_status(&self) -> &'static str {
        self.inner.status().name()
    }

    /// The certificate, or None for a source that could not be read.
    #[getter]
    fn certificate(&self) -> Option<PyCertificate> {
        self.row()
            .map(|r| PyCertificate::new(r.certificate.clone()))
    }

    /// The subject as RFC 4514 text, or None.
    #[getter]
    fn subject(&self) -> Option<String> {
        self.row().map(|r| r.certificate.subject().to_rfc4514())
    }

    /// The PESEL in the subject, or None.
    #[getter]
    fn pesel(&self) -> Option<String> {
        self.row()
            .and_then(|r| r.certificate.pesel())
            .map(|p| p.to_string())
    }

    /// The serial number as upper-case hex, or None.
    #[getter]
    fn serial_hex(&self) -> Option<String> {
        self.row().map(|r| r.certificate.serial_hex())
    }

    /// End of the certificate's validity, or None.
    #[getter]
    fn not_after<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.row()
            .map(|r| to_datetime(py, r.certificate.not_after()))
            .transpose()
    }

    /// Whole days until `not_after`, rounded down (negative once expired), or None.
    #[getter]
    fn days_left(&self) -> Option<i64> {
        self.row().map(|r| r.expiry.days_left())
    }

    /// For a certificate from a `.pfx`: whether the file has integrity protection (a MAC);
    /// None for other sources.
    #[getter]
    fn integrity_protected(&self) -> Option<bool> {
        self.row().and_then(|r| r.integrity_protected)
    }

    /// What a revocation check found: `revoked`, `not-revoked`, `unknown`, or None when none
    /// was made (without `revocation=`, and for roots).
    #[getter]
    fn revocation(&self) -> Option<&'static str> {
        self.row()
            .and_then(|r| r.revocation.as_ref())
            .map(Revocation::name)
    }

    /// For a revoked certificate: when it was revoked.
    #[getter]
    fn revoked_at<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        match self.row().and_then(|r| r.revocation.as_ref()) {
            Some(Revocation::Revoked { revoked_at, .. }) => to_datetime(py, *revoked_at).map(Some),
            _ => Ok(None),
        }
    }

    /// For a revoked certificate: the CRL reason (RFC 5280 name), when given; for an unknown
    /// revocation status: why it could not be told.
    #[getter]
    fn revocation_detail(&self) -> Option<String> {
        match self.row().and_then(|r| r.revocation.as_ref()) {
            Some(Revocation::Revoked { reason, .. }) => reason.clone(),
            Some(Revocation::Unknown { code, message }) => {
                Some(format!("{}: {message}", code.name()))
            }
            _ => None,
        }
    }

    /// For a source that could not be read: the ezla error code (as `EzlaError.code`).
    #[getter]
    fn error_code(&self) -> Option<u32> {
        self.unreadable().map(|u| u.code as u32)
    }

    /// For a source that could not be read: the error's name (`BadPassword`, ...).
    #[getter]
    fn error_name(&self) -> Option<&'static str> {
        self.unreadable().map(|u| u.code.name())
    }

    /// For a source that could not be read: the error's message.
    #[getter]
    fn error_message(&self) -> Option<&str> {
        self.unreadable().map(|u| u.message.as_str())
    }

    fn __repr__(&self) -> String {
        match &self.inner {
            SummaryEntry::Certificate(r) => format!(
                "<CertificateSummaryRow {:?} {} days_left={}>",
                r.source,
                r.expiry.name(),
                r.expiry.days_left()
            ),
            SummaryEntry::Unreadable(u) => format!(
                "<CertificateSummaryRow {:?} unreadable {}>",
                u.source,
                u.code.name()
            ),
            _ => "<CertificateSummaryRow>".to_string(),
        }
    }
}
