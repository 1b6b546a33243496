//! `ezla.Problem`: one problem found in an e-ZLA document (and later in ZUS's validation
//! results). A leaf: `errors` attaches problems to `ValidationError`, `kedu` returns them.

use ezla_core::kedu::{Problem, Severity};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// One problem found in an e-ZLA document.
#[pyclass(frozen, eq, module = "ezla", name = "Problem")]
#[derive(Clone, PartialEq)]
pub(crate) struct PyProblem {
    inner: Problem,
}

impl PyProblem {
    pub(crate) fn list(problems: &[Problem]) -> Vec<PyProblem> {
        problems
            .iter()
            .cloned()
            .map(|inner| PyProblem { inner })
            .collect()
    }
}

#[pymethods]
impl PyProblem {
    /// The field's path in the model / dict form, e.g. `ubezpieczony.pesel`.
    #[getter]
    fn path(&self) -> &str {
        &self.inner.path
    }

    /// The XML element as ZUS names it, e.g. `KEDU/ZUSZLA/II/p1`.
    #[getter]
    fn element(&self) -> &str {
        &self.inner.element
    }

    /// What is wrong (English).
    #[getter]
    fn message(&self) -> &str {
        &self.inner.message
    }

    /// `error` (ZUS refuses the document) or `warning` (ZUS accepts it and reports it).
    #[getter]
    fn severity(&self) -> &'static str {
        match self.inner.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }

    /// Whether this is an error (not a warning).
    #[getter]
    fn is_error(&self) -> bool {
        self.inner.severity == Severity::Error
    }

    /// The rule's stable identifier (`docs/kedu.md`).
    #[getter]
    fn rule(&self) -> &'static str {
        self.inner.rule
    }

    /// Whether the rule is ezla's inference rather than taken from a ZUS source.
    #[getter]
    fn inferred(&self) -> bool {
        self.inner.inferred
    }

    /// The problem as plain data: a dict of the attributes above (without `is_error`).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("path", self.path())?;
        d.set_item("element", self.element())?;
        d.set_item("message", self.message())?;
        d.set_item("severity", self.severity())?;
        d.set_item("rule", self.rule())?;
        d.set_item("inferred", self.inferred())?;
        Ok(d)
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self) -> String {
        format!(
            "<Problem {} {} {:?}: {}>",
            self.severity(),
            self.inner.rule,
            self.inner.path,
            self.inner.message
        )
    }
}
