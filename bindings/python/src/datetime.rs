//! Core instants as Python `datetime`s. A leaf, so that `errors` can attach instants to the
//! exceptions it builds; the conversions that can fail with an ezla error live in `convert`.

use pyo3::prelude::*;
use time::OffsetDateTime;

/// A timezone-aware `datetime` in UTC for a core instant.
pub(crate) fn to_datetime<'py>(py: Python<'py>, t: OffsetDateTime) -> PyResult<Bound<'py, PyAny>> {
    let datetime = py.import("datetime")?;
    let utc = datetime.getattr("timezone")?.getattr("utc")?;
    let whole = datetime
        .getattr("datetime")?
        .call_method1("fromtimestamp", (t.unix_timestamp(), utc))?;
    let micros = t.microsecond();
    if micros == 0 {
        Ok(whole)
    } else {
        let kwargs = pyo3::types::PyDict::new(py);
        kwargs.set_item("microsecond", micros)?;
        whole.call_method("replace", (), Some(&kwargs))
    }
}
