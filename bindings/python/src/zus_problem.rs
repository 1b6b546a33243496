//! `ezla.zus.BladWalidacji`: one finding of ZUS's validation. A leaf, like `problem`:
//! `errors` attaches findings to `ZusError`, `zus_types` puts warnings in reports.

use ezla_core::error::{BladWalidacji, RodzajBledu};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// One finding of ZUS's validation of a document (*BladWalidacji*), every field verbatim
/// as ZUS sent it.
#[pyclass(frozen, eq, module = "ezla.zus", name = "BladWalidacji")]
#[derive(Clone, PartialEq)]
pub(crate) struct PyBladWalidacji {
    inner: BladWalidacji,
}

impl PyBladWalidacji {
    pub(crate) fn list(bledy: &[BladWalidacji]) -> Vec<PyBladWalidacji> {
        bledy
            .iter()
            .cloned()
            .map(|inner| PyBladWalidacji { inner })
            .collect()
    }
}

#[pymethods]
impl PyBladWalidacji {
    /// The `NrRef` of the documents it concerns (the caller's references, echoed).
    #[getter]
    fn nr_ref(&self) -> Vec<String> {
        self.inner.nr_ref.clone()
    }

    /// `BLAD` (an error: ZUS refuses the document) or `OSTRZEZENIE` (a warning).
    #[getter]
    fn rodzaj(&self) -> &'static str {
        self.inner.rodzaj.as_str()
    }

    /// Whether this is an error (`BLAD`), not a warning.
    #[getter]
    fn is_error(&self) -> bool {
        self.inner.rodzaj == RodzajBledu::Blad
    }

    /// ZUS's code (*KodBledu*), e.g. `W145` or `185`.
    #[getter]
    fn kod(&self) -> &str {
        &self.inner.kod_bledu
    }

    /// ZUS's description (*OpisBledu*).
    #[getter]
    fn opis(&self) -> &str {
        &self.inner.opis_bledu
    }

    /// Where in the document (*Lokalizacja*, an XPath-like path), when given.
    #[getter]
    fn lokalizacja(&self) -> Option<&str> {
        self.inner.lokalizacja.as_deref()
    }

    /// The finding as plain data: a dict of the attributes above (without `is_error`).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("nr_ref", self.nr_ref())?;
        d.set_item("rodzaj", self.rodzaj())?;
        d.set_item("kod", self.kod())?;
        d.set_item("opis", self.opis())?;
        d.set_item("lokalizacja", self.lokalizacja())?;
        Ok(d)
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self) -> String {
        format!(
            "<BladWalidacji {} {}: {:?}>",
            self.rodzaj(),
            self.inner.kod_bledu,
            self.inner.opis_bledu
        )
    }
}
