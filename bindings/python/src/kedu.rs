//! e-ZLA documents: the model from dicts / JSON, validation, the ORYGINAŁ / KOPIA XML.

use ezla_core::Error;
use ezla_core::error::Format;
use ezla_core::kedu::azla::Azla;
use ezla_core::kedu::codes::PrzyczynaAnulowania;
use ezla_core::kedu::plan::{self, Rodzaj};
use ezla_core::kedu::{self, Lekarz, Platnik, Wariant, WriteOptions, Zla};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::PyBytes;

use crate::convert::{bytes, from_date, json_of, json_to_python, to_date};
use crate::errors::to_py;
use crate::problem::PyProblem;

fn today(value: Option<&Bound<'_, PyAny>>) -> PyResult<time::Date> {
    match value {
        Some(v) if !v.is_none() => from_date(v, "today"),
        _ => Ok(ezla_core::pl::czas::today()),
    }
}

fn wariant_name(w: Wariant) -> &'static str {
    match w {
        Wariant::Oryginal => "oryginal",
        Wariant::Kopia => "kopia",
    }
}

fn write_options(
    today: Option<&Bound<'_, PyAny>>,
    data_wystawienia: Option<&Bound<'_, PyAny>>,
    producent: Option<String>,
    symbol: Option<String>,
    wersja: Option<String>,
) -> PyResult<WriteOptions> {
    let mut options = WriteOptions::default().with_today(self::today(today)?);
    if let Some(d) = data_wystawienia.filter(|d| !d.is_none()) {
        options = options.with_data_wystawienia(from_date(d, "data_wystawienia")?);
    }
    if let Some(v) = producent {
        options.producent = v;
    }
    if let Some(v) = symbol {
        options.symbol = v;
    }
    if let Some(v) = wersja {
        options.wersja = v;
    }
    Ok(options)
}

/// An e-ZLA certificate: one model from which both documents of the pair are written, the
/// ORYGINAŁ (for ZUS) and the KOPIA (for the payer, without the ICD-10 code).
#[pyclass(frozen, module = "ezla", name = "Zla")]
pub(crate) struct PyZla {
    inner: Zla,
}

impl PyZla {
    /// The model, for other parts of the module (`ezla.zus`).
    pub(crate) fn model(&self) -> &Zla {
        &self.inner
    }
}

#[pymethods]
impl PyZla {
    /// Reads the JSON form (Polish snake_case field names, dates as `YYYY-MM-DD`, unknown
    /// fields refused). Raises `ParseError` naming the field.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        py.detach(|| Zla::from_json(text))
            .map(|inner| PyZla { inner })
            .map_err(to_py)
    }

    /// Builds the model from a dict (or a dataclass, a named tuple, a pydantic model...):
    /// the same shape as the JSON form; `datetime.date` values are accepted for dates.
    #[staticmethod]
    fn from_dict(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        let text: String = py
            .import("ezla._convert")?
            .getattr("to_json")?
            .call1((data,))?
            .extract()?;
        Self::from_json(py, &text)
    }

    /// Parses a KEDU ZLA document (signed or not); returns the model and `"oryginal"` or
    /// `"kopia"`. A KOPIA has no ICD-10 code.
    #[staticmethod]
    fn from_xml(py: Python<'_>, xml: PyBackedBytes) -> PyResult<(Self, &'static str)> {
        py.detach(|| Zla::from_xml(&xml))
            .map(|(inner, w)| (PyZla { inner }, wariant_name(w)))
            .map_err(to_py)
    }

    /// Parses both documents of a pair into one model; raises `ParseError` when they
    /// describe different certificates.
    #[staticmethod]
    fn from_pair(py: Python<'_>, oryginal: PyBackedBytes, kopia: PyBackedBytes) -> PyResult<Self> {
        py.detach(|| Zla::from_pair(&oryginal, &kopia))
            .map(|inner| PyZla { inner })
            .map_err(to_py)
    }

    /// The JSON form (pretty-printed).
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The model as plain data (the JSON form's dict).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_python(py, Ok(self.inner.to_json()))
    }

    /// Every problem of the model at once, errors and warnings, judged against `today`
    /// (a `datetime.date`, default today in Poland). An empty list means ZUS would accept it.
    ///
    /// Options:
    ///
    /// - today (datetime.date, default None): the date the rules are judged against; None: today in
    ///   Poland.
    #[pyo3(signature = (today = None))]
    fn validate(&self, today: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<PyProblem>> {
        let today = self::today(today)?;
        Ok(PyProblem::list(&self.inner.validate(today).problems))
    }

    /// Whether the model has no errors (warnings allowed) against `today`.
    ///
    /// Options:
    ///
    /// - today (datetime.date, default None): the date the rules are judged against; None: today in
    ///   Poland.
    #[pyo3(signature = (today = None))]
    fn is_valid(&self, today: Option<&Bound<'_, PyAny>>) -> PyResult<bool> {
        let today = self::today(today)?;
        Ok(self.inner.validate(today).is_valid())
    }

    /// Writes the ORYGINAŁ (or with `kopia=True` the KOPIA, without the ICD-10 code). The
    /// model is validated first (against `today`, default today in Poland); errors raise
    /// `ValidationError` with every problem, warnings do not block writing. `data_wystawienia`
    /// overrides the issue date; `producent`, `symbol`, `wersja` fill the program header.
    ///
    /// Options:
    ///
    /// - kopia (bool, default False): write the KOPIA (for the payer, without the ICD-10 code)
    ///   instead of the ORYGINAŁ.
    /// - today (datetime.date, default None): the date the rules are judged against; None: today in
    ///   Poland.
    /// - data_wystawienia (datetime.date, default None): the issue date written into the document;
    ///   None: the model's own, else `today`.
    /// - producent (str, default None): the program's producer written in the document header;
    ///   None: ezla.
    /// - symbol (str, default None): the program's symbol in the header; None: ezla's.
    /// - wersja (str, default None): the program's version in the header; None: ezla's version.
    #[pyo3(signature = (*, kopia = false, today = None, data_wystawienia = None,
        producent = None, symbol = None, wersja = None))]
    #[allow(clippy::too_many_arguments)]
    fn to_xml<'py>(
        &self,
        py: Python<'py>,
        kopia: bool,
        today: Option<&Bound<'_, PyAny>>,
        data_wystawienia: Option<&Bound<'_, PyAny>>,
        producent: Option<String>,
        symbol: Option<String>,
        wersja: Option<String>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let wariant = if kopia {
            Wariant::Kopia
        } else {
            Wariant::Oryginal
        };
        let options = write_options(today, data_wystawienia, producent, symbol, wersja)?;
        let xml = py
            .detach(|| self.inner.to_xml(wariant, &options))
            .map_err(to_py)?;
        Ok(bytes(py, &xml))
    }

    /// The ORYGINAŁ (for ZUS); `to_xml(kopia=False, ...)`.
    ///
    /// Options:
    ///
    /// - today (datetime.date, default None): the date the rules are judged against; None: today in
    ///   Poland.
    /// - data_wystawienia (datetime.date, default None): the issue date written into the document;
    ///   None: the model's own, else `today`.
    /// - producent (str, default None): the program's producer written in the document header;
    ///   None: ezla.
    /// - symbol (str, default None): the program's symbol in the header; None: ezla's.
    /// - wersja (str, default None): the program's version in the header; None: ezla's version.
    #[pyo3(signature = (*, today = None, data_wystawienia = None, producent = None,
        symbol = None, wersja = None))]
    fn oryginal_xml<'py>(
        &self,
        py: Python<'py>,
        today: Option<&Bound<'_, PyAny>>,
        data_wystawienia: Option<&Bound<'_, PyAny>>,
        producent: Option<String>,
        symbol: Option<String>,
        wersja: Option<String>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        self.to_xml(
            py,
            false,
            today,
            data_wystawienia,
            producent,
            symbol,
            wersja,
        )
    }

    /// The KOPIA (for the payer, without the ICD-10 code); `to_xml(kopia=True, ...)`.
    ///
    /// Options:
    ///
    /// - today (datetime.date, default None): the date the rules are judged against; None: today in
    ///   Poland.
    /// - data_wystawienia (datetime.date, default None): the issue date written into the document;
    ///   None: the model's own, else `today`.
    /// - producent (str, default None): the program's producer written in the document header;
    ///   None: ezla.
    /// - symbol (str, default None): the program's symbol in the header; None: ezla's.
    /// - wersja (str, default None): the program's version in the header; None: ezla's version.
    #[pyo3(signature = (*, today = None, data_wystawienia = None, producent = None,
        symbol = None, wersja = None))]
    fn kopia_xml<'py>(
        &self,
        py: Python<'py>,
        today: Option<&Bound<'_, PyAny>>,
        data_wystawienia: Option<&Bound<'_, PyAny>>,
        producent: Option<String>,
        symbol: Option<String>,
        wersja: Option<String>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        self.to_xml(py, true, today, data_wystawienia, producent, symbol, wersja)
    }

    /// Both documents at once, `(oryginal, kopia)`, from one validation.
    ///
    /// Options:
    ///
    /// - today (datetime.date, default None): the date the rules are judged against; None: today in
    ///   Poland.
    /// - data_wystawienia (datetime.date, default None): the issue date written into the document;
    ///   None: the model's own, else `today`.
    /// - producent (str, default None): the program's producer written in the document header;
    ///   None: ezla.
    /// - symbol (str, default None): the program's symbol in the header; None: ezla's.
    /// - wersja (str, default None): the program's version in the header; None: ezla's version.
    #[pyo3(signature = (*, today = None, data_wystawienia = None, producent = None,
        symbol = None, wersja = None))]
    fn to_xml_pair<'py>(
        &self,
        py: Python<'py>,
        today: Option<&Bound<'_, PyAny>>,
        data_wystawienia: Option<&Bound<'_, PyAny>>,
        producent: Option<String>,
        symbol: Option<String>,
        wersja: Option<String>,
    ) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyBytes>)> {
        let options = write_options(today, data_wystawienia, producent, symbol, wersja)?;
        let (o, k) = py
            .detach(|| self.inner.to_xml_pair(&options))
            .map_err(to_py)?;
        Ok((bytes(py, &o), bytes(py, &k)))
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyZla>()
            .map(|o| o.get().inner == self.inner)
            .unwrap_or(false)
    }

    /// Pickles as the JSON form.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        let constructor = slf.get_type().getattr("from_json")?;
        Ok((constructor, (slf.get().inner.to_json(),)))
    }

    fn __repr__(&self) -> String {
        let who = self
            .inner
            .ubezpieczony
            .as_ref()
            .map(|u| format!("{} {}", u.imie, u.nazwisko))
            .unwrap_or_default();
        format!("<Zla ubezpieczony={who:?}>")
    }
}

/// Reads a KEDU ZLA document and validates it as that document of the pair (ORYGINAŁ or
/// KOPIA); returns every problem.
///
/// Options:
///
/// - today (datetime.date, default None): the date the rules are judged against; None: today in
///   Poland.
#[pyfunction]
#[pyo3(signature = (xml, *, today = None))]
pub(crate) fn check_zla(
    py: Python<'_>,
    xml: PyBackedBytes,
    today: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<PyProblem>> {
    let today = self::today(today)?;
    py.detach(|| kedu::check(&xml, today))
        .map(|v| PyProblem::list(&v.problems))
        .map_err(to_py)
}

/// Reads `$value` (Python data) as the core type `$t` through its JSON form.
macro_rules! from_python {
    ($py:expr, $value:expr, $t:ty, $what:literal) => {{
        let text = json_of($py, $value)?;
        serde_json::from_str::<$t>(&text)
            .map_err(|e| to_py(Error::malformed(Format::Json, $what, e.to_string())))
    }};
}

/// A cancellation (AZLA) of an issued certificate. **Provisional**: ZUS's AZLA schema is not
/// public; the layout is ezla's inference (see `docs/kedu.md`) and must be checked against
/// ZUS's schema before documents are sent.
#[pyclass(frozen, module = "ezla", name = "Azla")]
pub(crate) struct PyAzla {
    inner: Azla,
}

#[pymethods]
impl PyAzla {
    /// Reads the JSON form.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        Azla::from_json(text)
            .map(|inner| PyAzla { inner })
            .map_err(to_py)
    }

    /// Builds the cancellation from a dict or dataclass-like object (the JSON form's shape).
    #[staticmethod]
    fn from_dict(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        let text: String = py
            .import("ezla._convert")?
            .getattr("to_json")?
            .call1((data,))?
            .extract()?;
        Self::from_json(&text)
    }

    /// A cancellation of `zla` (which must carry its series and number) for `przyczyna` (a
    /// reason code of ZUS's dictionary, e.g. `"U"`), by `lekarz` (a dict: `npwz`, `imie`,
    /// `nazwisko`), dated `data` (default today in Poland).
    ///
    /// Options:
    ///
    /// - przyczyna (str; required): the reason code of ZUS's dictionary, e.g. "U".
    /// - lekarz (dict or dataclass-like object; required): the cancelling doctor: npwz, imie,
    ///   nazwisko.
    /// - data (datetime.date, default None): the cancellation date; None: today in Poland.
    #[staticmethod]
    #[pyo3(signature = (zla, *, przyczyna, lekarz, data = None))]
    fn for_zla(
        py: Python<'_>,
        zla: &PyZla,
        przyczyna: &Bound<'_, PyAny>,
        lekarz: &Bound<'_, PyAny>,
        data: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let przyczyna = from_python!(py, przyczyna, PrzyczynaAnulowania, "przyczyna")?;
        let lekarz = from_python!(py, lekarz, Lekarz, "lekarz")?;
        let data = today(data)?;
        Azla::dla(&zla.inner, przyczyna, lekarz, data)
            .map(|inner| PyAzla { inner })
            .map_err(to_py)
    }

    /// Parses an AZLA document (signed or not).
    #[staticmethod]
    fn from_xml(py: Python<'_>, xml: PyBackedBytes) -> PyResult<Self> {
        py.detach(|| Azla::from_xml(&xml))
            .map(|inner| PyAzla { inner })
            .map_err(to_py)
    }

    /// The JSON form (pretty-printed).
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The cancellation as plain data.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_python(py, Ok(self.inner.to_json()))
    }

    /// Every problem of the cancellation against `today` (default today in Poland).
    ///
    /// Options:
    ///
    /// - today (datetime.date, default None): the date the rules are judged against; None: today in
    ///   Poland.
    #[pyo3(signature = (today = None))]
    fn validate(&self, today: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<PyProblem>> {
        let today = self::today(today)?;
        Ok(PyProblem::list(&self.inner.validate(today).problems))
    }

    /// Writes the AZLA document; errors raise `ValidationError` with every problem.
    ///
    /// Options:
    ///
    /// - today (datetime.date, default None): the date the rules are judged against; None: today in
    ///   Poland.
    /// - producent (str, default None): the program's producer written in the document header;
    ///   None: ezla.
    /// - symbol (str, default None): the program's symbol in the header; None: ezla's.
    /// - wersja (str, default None): the program's version in the header; None: ezla's version.
    #[pyo3(signature = (*, today = None, producent = None, symbol = None, wersja = None))]
    fn to_xml<'py>(
        &self,
        py: Python<'py>,
        today: Option<&Bound<'_, PyAny>>,
        producent: Option<String>,
        symbol: Option<String>,
        wersja: Option<String>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let options = write_options(today, None, producent, symbol, wersja)?;
        let xml = py.detach(|| self.inner.to_xml(&options)).map_err(to_py)?;
        Ok(bytes(py, &xml))
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyAzla>()
            .map(|o| o.get().inner == self.inner)
            .unwrap_or(false)
    }

    /// Pickles as the JSON form.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        let constructor = slf.get_type().getattr("from_json")?;
        Ok((constructor, (slf.get().inner.to_json(),)))
    }

    fn __repr__(&self) -> String {
        format!(
            "<Azla anulowane_zla={:?}>",
            format!(
                "{} {}",
                self.inner.anulowane_zla.seria, self.inner.anulowane_zla.numer
            )
        )
    }
}

/// A part of a split period: `(kind, first day, last day)`.
type Part<'py> = (&'static str, Bound<'py, PyAny>, Bound<'py, PyAny>);

pub(crate) fn rodzaj_name(r: Rodzaj) -> &'static str {
    match r {
        Rodzaj::Wsteczne => "wsteczne",
        Rodzaj::Biezace => "biezace",
    }
}

/// Splits an incapacity from `start` to `end` (both included) requested on `issue_date` by
/// the 3-day rule: `[(kind, first_day, last_day)]` with kind `"wsteczne"` (retroactive:
/// needs a justification) then `"biezace"` (current).
#[pyfunction]
pub(crate) fn split_period<'py>(
    py: Python<'py>,
    start: &Bound<'py, PyAny>,
    end: &Bound<'py, PyAny>,
    issue_date: &Bound<'py, PyAny>,
) -> PyResult<Vec<Part<'py>>> {
    let parts = plan::podziel_okres(
        from_date(start, "start")?,
        from_date(end, "end")?,
        from_date(issue_date, "issue_date")?,
    )
    .map_err(to_py)?;
    parts
        .into_iter()
        .map(|c| {
            let (Some(a), Some(b)) = (c.okres.od, c.okres.do_) else {
                return Err(to_py(Error::internal("a planned part without its days")));
            };
            Ok((rodzaj_name(c.rodzaj), to_date(py, a)?, to_date(py, b)?))
        })
        .collect()
}

/// Plans the certificates for a request: `template` with its incapacity period and issue
/// date set, `payers` a list of payer dicts (`rodzaj`, `identyfikator`, ...; empty: the
/// template's own). Returns `[(kind, Zla)]`: for each part of the period (retroactive
/// first), one certificate per payer.
///
/// Options:
///
/// - payers (list of payer dicts or dataclass-like objects, default None): one certificate per
///   payer; None or empty: the template's own payer.
#[pyfunction]
#[pyo3(signature = (template, payers = None))]
pub(crate) fn plan_zla(
    py: Python<'_>,
    template: &PyZla,
    payers: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<(&'static str, PyZla)>> {
    let payers: Vec<Platnik> = match payers {
        Some(p) if !p.is_none() => from_python!(py, p, Vec<Platnik>, "payers")?,
        _ => Vec::new(),
    };
    plan::zaplanuj(&template.inner, &payers)
        .map(|v| {
            v.into_iter()
                .map(|z| (rodzaj_name(z.rodzaj), PyZla { inner: z.zla }))
                .collect()
        })
        .map_err(to_py)
}
