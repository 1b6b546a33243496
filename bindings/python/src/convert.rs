//! Conversions between Python values and core types: instants (datetimes and RFC 3339
//! text), dates, byte buffers and JSON.

use ezla_core::crypto::DigestAlgorithm;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

pub(crate) use crate::datetime::to_datetime;

/// A core instant for a timezone-aware `datetime`; naive datetimes are refused, because
/// reading them as local time or as UTC would both be a guess.
pub(crate) fn from_datetime(
    value: &Bound<'_, PyAny>,
    argument: &'static str,
) -> PyResult<OffsetDateTime> {
    let datetime = value.py().import("datetime")?.getattr("datetime")?;
    if !value.is_instance(&datetime)? {
        return Err(PyTypeError::new_err(format!(
            "{argument} must be a datetime.datetime, not {}",
            value.get_type().name()?
        )));
    }
    if value.call_method0("utcoffset")?.is_none() {
        return Err(invalid(
            argument,
            "must be timezone-aware (e.g. datetime.now(timezone.utc))".into(),
        ));
    }
    // Whole seconds from timestamp(), microseconds from the attribute (no float rounding).
    let seconds: f64 = value.call_method0("timestamp")?.extract()?;
    let micros: i64 = value.getattr("microsecond")?.extract()?;
    let whole = (seconds - micros as f64 / 1e6).round() as i64;
    let nanos = i128::from(whole) * 1_000_000_000 + i128::from(micros) * 1000;
    OffsetDateTime::from_unix_timestamp_nanos(nanos).map_err(|e| invalid(argument, e.to_string()))
}

/// The instant `at` names, or now.
pub(crate) fn instant_or_now(
    at: Option<&Bound<'_, PyAny>>,
    argument: &'static str,
) -> PyResult<OffsetDateTime> {
    match at {
        Some(v) if !v.is_none() => from_datetime(v, argument),
        _ => Ok(OffsetDateTime::now_utc()),
    }
}

/// A core date for a `datetime.date` (a `datetime.datetime` is refused: pass `.date()`).
pub(crate) fn from_date(value: &Bound<'_, PyAny>, argument: &'static str) -> PyResult<time::Date> {
    let py = value.py();
    let module = py.import("datetime")?;
    if value.is_instance(&module.getattr("datetime")?)?
        || !value.is_instance(&module.getattr("date")?)?
    {
        return Err(PyTypeError::new_err(format!(
            "{argument} must be a datetime.date, not {}",
            value.get_type().name()?
        )));
    }
    let year: i32 = value.getattr("year")?.extract()?;
    let month: u8 = value.getattr("month")?.extract()?;
    let day: u8 = value.getattr("day")?.extract()?;
    let month = time::Month::try_from(month).map_err(|e| invalid(argument, e.to_string()))?;
    time::Date::from_calendar_date(year, month, day).map_err(|e| invalid(argument, e.to_string()))
}

/// A `datetime.date` for a core date.
pub(crate) fn to_date<'py>(py: Python<'py>, d: time::Date) -> PyResult<Bound<'py, PyAny>> {
    py.import("datetime")?
        .getattr("date")?
        .call1((d.year(), u8::from(d.month()), d.day()))
}

/// `ezla.InvalidInput` (code 1) for an unusable argument, through the one conversion point.
/// A `timeout` argument in seconds: finite and positive.
pub(crate) fn timeout(seconds: f64) -> PyResult<std::time::Duration> {
    if !(seconds.is_finite() && seconds > 0.0) {
        return Err(invalid(
            "timeout",
            format!("{seconds} is not a positive number of seconds"),
        ));
    }
    Ok(std::time::Duration::from_secs_f64(seconds))
}

pub(crate) fn invalid(argument: &'static str, reason: String) -> PyErr {
    crate::errors::to_py(ezla_core::Error::invalid_argument(argument, reason))
}

/// `bytes` for owned data.
pub(crate) fn bytes<'py>(py: Python<'py>, data: &[u8]) -> Bound<'py, PyBytes> {
    PyBytes::new(py, data)
}

/// RFC 3339 text for an instant (for `repr`s); the `time` crate's own form if it has none.
pub(crate) fn ezla_rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_else(|_| t.to_string())
}

/// A timezone-aware `datetime` for RFC 3339 text from a core report.
pub(crate) fn parse_time<'py>(py: Python<'py>, s: &str) -> PyResult<Bound<'py, PyAny>> {
    let t = OffsetDateTime::parse(s, &Rfc3339).map_err(|e| {
        crate::errors::to_py(ezla_core::Error::internal(format!("time {s:?}: {e}")))
    })?;
    to_datetime(py, t)
}

/// Plain Python data for serialised JSON text.
pub(crate) fn json_to_python<'py>(
    py: Python<'py>,
    text: serde_json::Result<String>,
) -> PyResult<Bound<'py, PyAny>> {
    let text = text.map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))?;
    py.import("json")?.call_method1("loads", (text,))
}

/// The JSON text of plain data given by the caller (a dict, a list, a string or a
/// dataclass-like object; see `Zla.from_dict`).
pub(crate) fn json_of(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<String> {
    py.import("ezla._convert")?
        .getattr("to_json_value")?
        .call1((value,))?
        .extract()
}

/// A digest argument (`digest=`) of the CMS and time-stamp functions.
pub(crate) fn signature_digest(name: &str) -> PyResult<DigestAlgorithm> {
    match name {
        "sha256" => Ok(DigestAlgorithm::Sha256),
        "sha384" => Ok(DigestAlgorithm::Sha384),
        "sha512" => Ok(DigestAlgorithm::Sha512),
        other => Err(invalid(
            "digest",
            format!("{other:?} is not one of 'sha256', 'sha384', 'sha512'"),
        )),
    }
}
