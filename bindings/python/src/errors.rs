//! The one conversion point from `ezla::Error` to Python exceptions.

use ezla_core::error::{CertificateError, DocumentError, ErrorFamily, WkError, ZusError};
use ezla_core::{Error, ErrorCode};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Converts a core error into the matching exception of `ezla.exceptions`.
pub(crate) fn to_py(err: Error) -> PyErr {
    Python::attach(|py| match build(py, &err) {
        Ok(e) => e,
        Err(e) => e,
    })
}

fn build(py: Python<'_>, err: &Error) -> PyResult<PyErr> {
    let code = err.code();
    let extra = PyDict::new(py);
    match err {
        Error::Certificate(CertificateError::Expired { not_after, .. }) => {
            extra.set_item("not_after", timestamp(py, *not_after)?)?;
        }
        Error::Certificate(CertificateError::NotYetValid { not_before, .. }) => {
            extra.set_item("not_before", timestamp(py, *not_before)?)?;
        }
        Error::Certificate(CertificateError::Revoked {
            revoked_at,
            reason,
            serial,
            ..
        }) => {
            extra.set_item("revoked_at", timestamp(py, *revoked_at)?)?;
            extra.set_item("reason", reason)?;
            extra.set_item("serial", serial)?;
        }
        Error::Document(DocumentError::Invalid { problems }) => {
            extra.set_item("problems", crate::problem::PyProblem::list(problems))?;
        }
        Error::Zus(zus) => {
            if let Some((zus_code, zus_text)) = zus.zus_code_and_text() {
                extra.set_item("zus_code", zus_code)?;
                extra.set_item("zus_text", zus_text)?;
            }
            if let ZusError::ValidationRefused { bledy, .. } | ZusError::SendRefused { bledy, .. } =
                zus
            {
                extra.set_item("problems", crate::zus_problem::PyBladWalidacji::list(bledy))?;
            }
        }
        Error::Wk(WkError::Status { status, .. }) => {
            extra.set_item("status_code", &status.top)?;
            extra.set_item("second_status_code", &status.second)?;
            extra.set_item("status_message", &status.message)?;
        }
        _ => {}
    }
    let exc = py
        .import("ezla.exceptions")?
        .getattr("_from_native")?
        .call1((
            code as u32,
            code.name(),
            code.family().name(),
            err.to_string(),
            extra,
        ))?;
    Ok(PyErr::from_value(exc))
}

/// A timezone-aware `datetime` in UTC.
fn timestamp<'py>(py: Python<'py>, t: time::OffsetDateTime) -> PyResult<Bound<'py, PyAny>> {
    crate::datetime::to_datetime(py, t)
}

/// Every error code as `(number, name, description)`, for tests and documentation.
#[pyfunction]
pub(crate) fn _error_codes() -> Vec<(u32, &'static str, &'static str)> {
    ErrorCode::ALL
        .iter()
        .map(|c| (*c as u32, c.name(), c.description()))
        .collect()
}

/// Every error family's name (`ErrorFamily::name`), in the order of their numbers: the keys
/// of the family table of `ezla.exceptions`, which a test keeps equal to this list.
#[pyfunction]
pub(crate) fn _error_families() -> Vec<&'static str> {
    ErrorFamily::ALL.iter().map(|f| f.name()).collect()
}

/// Raises the exception a core error with this code converts to (tests of the conversion).
#[pyfunction]
pub(crate) fn _raise_for_code(code: u32) -> PyResult<()> {
    let c = ErrorCode::from_u32(code)
        .ok_or_else(|| pyo3::exceptions::PyValueError::new_err(format!("unknown code {code}")))?;
    let now = time::OffsetDateTime::UNIX_EPOCH;
    let err = match c {
        ErrorCode::CertificateExpired => Error::Certificate(CertificateError::Expired {
            subject: "CN=test".into(),
            not_after: now,
            at: now,
        }),
        ErrorCode::CertificateNotYetValid => Error::Certificate(CertificateError::NotYetValid {
            subject: "CN=test".into(),
            not_before: now,
            at: now,
        }),
        ErrorCode::CertificateRevoked => Error::Certificate(CertificateError::Revoked {
            subject: "CN=test".into(),
            serial: "0A".into(),
            revoked_at: now,
            reason: Some("keyCompromise".into()),
            at: now,
        }),
        ErrorCode::DocumentInvalid => Error::Document(DocumentError::Invalid {
            problems: vec![ezla_core::kedu::Problem {
                path: "ubezpieczony.pesel".into(),
                element: "KEDU/ZUSZLA/II/p1".into(),
                message: "synthetic".into(),
                severity: ezla_core::kedu::Severity::Error,
                rule: "synthetic",
                inferred: false,
            }],
        }),
        other => Error::Internal {
            detail: format!("synthetic {}", other.name()),
        },
    };
    // Synthetic errors other than the four above carry the requested code explicitly.
    let err_code = err.code();
    if err_code == c {
        Err(to_py(err))
    } else {
        Python::attach(|py| {
            let exc = py
                .import("ezla.exceptions")?
                .getattr("_from_native")?
                .call1((
                    code,
                    c.name(),
                    c.family().name(),
                    c.description(),
                    PyDict::new(py),
                ))?;
            Err(PyErr::from_value(exc))
        })
    }
}
