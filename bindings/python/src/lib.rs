//! `ezla._ezla`: the private native module of the `ezla` Python package.
//!
//! Glue only: argument conversion, the GIL released around cryptography and parsing, and one
//! conversion point from `ezla::Error` to the exceptions defined in `ezla/exceptions.py`.

use pyo3::prelude::*;

mod errors;

#[allow(unused_imports)] // used by the API modules as they land
pub(crate) use errors::to_py;

/// The native module.
#[pymodule]
fn _ezla(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(errors::_error_codes, m)?)?;
    m.add_function(wrap_pyfunction!(errors::_raise_for_code, m)?)?;
    Ok(())
}
