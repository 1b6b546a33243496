//! What `ezla.zus.Client` returns: the documents handed to ZUS with their receipts, the
//! report of an issue, and the look-ups as plain dicts.

use ezla_core::kedu::plan::Rodzaj;
use ezla_core::zus::doctor::{DaneLekarza, MiejsceWykonywaniaZawodu};
use ezla_core::zus::numbering::PaczkaDokumentowZla;
use ezla_core::zus::patient::{CzlonekRodziny, DaneUbezpieczonego, PlatnikUbezpieczonego};
use ezla_core::zus::{IssueReport, IssuedCertificate, Receipted, ReconcileReport};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};

use crate::zus_problem::PyBladWalidacji;

/// A document handed to ZUS and receipted: its series/number, kind, the bytes exactly as
/// signed and sent, and ZUS's receipt (UPP).
#[pyclass(frozen, module = "ezla.zus", name = "Receipted")]
pub(crate) struct PyReceipted {
    inner: Receipted,
}

impl PyReceipted {
    pub(crate) fn new(inner: Receipted) -> Self {
        PyReceipted { inner }
    }
}

#[pymethods]
impl PyReceipted {
    /// The series and number, e.g. `ZY0000001`.
    #[getter]
    fn seria_numer(&self) -> String {
        seria_numer(&self.inner.seria_numer)
    }

    /// `ORYGINAL`, `KOPIA` or `AZLA`.
    #[getter]
    fn kind(&self) -> &'static str {
        self.inner.kind.as_str()
    }

    /// The document exactly as signed and sent.
    #[getter]
    fn signed<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.signed)
    }

    /// ZUS's receipt (UPP, a signed XML document), as ZUS returned it.
    #[getter]
    fn upp<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.inner.upp.as_bytes())
    }

    fn __repr__(&self) -> String {
        format!(
            "<Receipted {} {} upp={} bytes>",
            self.kind(),
            self.seria_numer(),
            self.inner.upp.len()
        )
    }
}

/// One certificate issued: the payer it is for, and its ORYGINAŁ and KOPIA, both receipted.
#[pyclass(frozen, module = "ezla.zus", name = "IssuedCertificate")]
pub(crate) struct PyIssuedCertificate {
    rodzaj: Rodzaj,
    platnik: String,
    oryginal: Py<PyReceipted>,
    kopia: Py<PyReceipted>,
}

impl PyIssuedCertificate {
    fn new(py: Python<'_>, c: IssuedCertificate) -> PyResult<Self> {
        Ok(PyIssuedCertificate {
            rodzaj: c.rodzaj,
            platnik: serde_json::to_string(&c.platnik)
                .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))?,
            oryginal: Py::new(py, PyReceipted::new(c.oryginal))?,
            kopia: Py::new(py, PyReceipted::new(c.kopia))?,
        })
    }
}

#[pymethods]
impl PyIssuedCertificate {
    /// `biezace` (current) or `wsteczne` (retroactive).
    #[getter]
    fn rodzaj(&self) -> &'static str {
        crate::kedu::rodzaj_name(self.rodzaj)
    }

    /// The payer, in the model's dict form (`{"rodzaj": "nip", "identyfikator": "..."}`).
    #[getter]
    fn platnik<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::convert::json_to_python(py, Ok(self.platnik.clone()))
    }

    /// The ORYGINAŁ (the certificate ZUS keeps).
    #[getter]
    fn oryginal(&self, py: Python<'_>) -> Py<PyReceipted> {
        self.oryginal.clone_ref(py)
    }

    /// The KOPIA (the payer's copy).
    #[getter]
    fn kopia(&self, py: Python<'_>) -> Py<PyReceipted> {
        self.kopia.clone_ref(py)
    }

    /// The series and number of the pair.
    #[getter]
    fn seria_numer(&self) -> String {
        self.oryginal.get().seria_numer()
    }

    fn __repr__(&self) -> String {
        format!(
            "<IssuedCertificate {} {}>",
            self.seria_numer(),
            self.rodzaj()
        )
    }
}

/// What `Client.issue` did: every certificate, in the plan's order (retroactive first, then
/// by payer), and the warnings ZUS's validation gave.
#[pyclass(frozen, module = "ezla.zus", name = "IssueReport")]
pub(crate) struct PyIssueReport {
    certificates: Vec<Py<PyIssuedCertificate>>,
    warnings: Vec<PyBladWalidacji>,
}

impl PyIssueReport {
    pub(crate) fn new(py: Python<'_>, report: IssueReport) -> PyResult<Self> {
        let certificates = report
            .certificates
            .into_iter()
            .map(|c| Py::new(py, PyIssuedCertificate::new(py, c)?))
            .collect::<PyResult<_>>()?;
        Ok(PyIssueReport {
            certificates,
            warnings: PyBladWalidacji::list(&report.warnings),
        })
    }
}

#[pymethods]
impl PyIssueReport {
    /// Every certificate issued.
    #[getter]
    fn certificates(&self, py: Python<'_>) -> Vec<Py<PyIssuedCertificate>> {
        self.certificates.iter().map(|c| c.clone_ref(py)).collect()
    }

    /// The warnings of ZUS's validation (`OSTRZEZENIE` findings).
    #[getter]
    fn warnings(&self) -> Vec<PyBladWalidacji> {
        self.warnings.clone()
    }

    /// Every document sent, ORYGINAŁ then KOPIA for each certificate.
    #[getter]
    fn documents(&self, py: Python<'_>) -> Vec<Py<PyReceipted>> {
        self.certificates
            .iter()
            .flat_map(|c| [c.get().oryginal.clone_ref(py), c.get().kopia.clone_ref(py)])
            .collect()
    }

    fn __len__(&self) -> usize {
        self.certificates.len()
    }

    fn __repr__(&self) -> String {
        let numbers: Vec<String> = self
            .certificates
            .iter()
            .map(|c| c.get().seria_numer())
            .collect();
        format!(
            "<IssueReport certificates=[{}] warnings={}>",
            numbers.join(", "),
            self.warnings.len()
        )
    }
}

/// `ZY1234567`.
pub(crate) fn seria_numer(sn: &ezla_core::zus::SeriaNumer) -> String {
    sn.compact()
}

/// A reconcile report as `{"found": [...], "resent": [...], "refused": [...]}`, each a list
/// of `(kind, seria_numer)`.
pub(crate) fn reconcile_dict<'py>(
    py: Python<'py>,
    r: &ReconcileReport,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (name, keys) in [
        ("found", &r.found),
        ("resent", &r.resent),
        ("refused", &r.refused),
    ] {
        let list: Vec<(&'static str, String)> = keys
            .iter()
            .map(|k| (k.kind.as_str(), k.seria_numer.clone()))
            .collect();
        d.set_item(name, list)?;
    }
    Ok(d)
}

/// A dict from `(key, value)` pairs.
fn dict<'py, V: IntoPyObject<'py> + Clone>(
    py: Python<'py>,
    items: &[(&str, V)],
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (k, v) in items {
        d.set_item(*k, v.clone())?;
    }
    Ok(d)
}

/// A place of work as a dict of its fields (every value a `str` or None).
pub(crate) fn place_dict<'py>(
    py: Python<'py>,
    m: &MiejsceWykonywaniaZawodu,
) -> PyResult<Bound<'py, PyDict>> {
    dict(
        py,
        &[
            ("nazwa", m.nazwa.as_deref()),
            ("nip", m.nip.as_deref()),
            ("adres_email", m.adres_email.as_deref()),
            ("numer_faksu", m.numer_faksu.as_deref()),
            ("numer_telefonu", m.numer_telefonu.as_deref()),
            ("ulica", m.ulica.as_deref()),
            ("nr_domu", m.nr_domu.as_deref()),
            ("nr_lokalu", m.nr_lokalu.as_deref()),
            ("kod_pocztowy", m.kod_pocztowy.as_deref()),
            ("miejscowosc", m.miejscowosc.as_deref()),
            ("id_miejsca", m.id_miejsca.as_deref()),
        ],
    )
}

/// The doctor as a dict: names, PESEL, NPWZ, chamber, status, specialisations, addresses
/// and places of work.
pub(crate) fn doctor_dict<'py>(py: Python<'py>, l: &DaneLekarza) -> PyResult<Bound<'py, PyDict>> {
    let d = dict(
        py,
        &[
            ("imie", l.imie.as_deref()),
            ("nazwisko", l.nazwisko.as_deref()),
            ("pesel", l.pesel.as_deref()),
            (
                "numer_prawa_wykonywania_zawodu",
                l.numer_prawa_wykonywania_zawodu.as_deref(),
            ),
            (
                "nazwa_okregowej_izby_lekarskiej",
                l.nazwa_okregowej_izby_lekarskiej.as_deref(),
            ),
        ],
    )?;
    let status = match &l.status_lekarza {
        Some(s) => Some(dict(
            py,
            &[
                ("data_wydania_decyzji", s.data_wydania_decyzji.as_deref()),
                ("status", s.status.as_deref()),
            ],
        )?),
        None => None,
    };
    d.set_item("status_lekarza", status)?;
    let specs = PyList::empty(py);
    for s in &l.posiadana_specjalizacja {
        specs.append(dict(
            py,
            &[
                ("kod_specjalizacji", s.kod_specjalizacji.as_deref()),
                ("nazwa_specjalizacji", s.nazwa_specjalizacji.as_deref()),
                ("stopien_specjalizacji", s.stopien_specjalizacji.as_deref()),
            ],
        )?)?;
    }
    d.set_item("posiadana_specjalizacja", specs)?;
    let addresses = PyList::empty(py);
    for a in &l.adres {
        addresses.append(dict(
            py,
            &[
                ("ulica", a.ulica.as_deref()),
                ("nr_domu", a.nr_domu.as_deref()),
                ("nr_lokalu", a.nr_lokalu.as_deref()),
                ("kod_pocztowy", a.kod_pocztowy.as_deref()),
                ("miejscowosc", a.miejscowosc.as_deref()),
            ],
        )?)?;
    }
    d.set_item("adres", addresses)?;
    let places = PyList::empty(py);
    for m in &l.miejsce_wykonywania_zawodu {
        places.append(place_dict(py, m)?)?;
    }
    d.set_item("miejsce_wykonywania_zawodu", places)?;
    Ok(d)
}

/// A patient as a dict: names, dates of birth and death (as ZUS writes them) and addresses.
pub(crate) fn patient_dict<'py>(
    py: Python<'py>,
    u: &DaneUbezpieczonego,
) -> PyResult<Bound<'py, PyDict>> {
    let d = dict(
        py,
        &[
            ("imie", Some(u.imie.as_str())),
            ("nazwisko", Some(u.nazwisko.as_str())),
            ("data_urodzenia", u.data_urodzenia.as_deref()),
            ("data_zgonu", u.data_zgonu.as_deref()),
        ],
    )?;
    let addresses = PyList::empty(py);
    for a in &u.adres {
        addresses.append(dict(
            py,
            &[
                ("kod_pocztowy", a.kod_pocztowy.as_deref()),
                ("miejscowosc", a.miejscowosc.as_deref()),
                ("ulica", a.ulica.as_deref()),
                ("nr_domu", a.nr_domu.as_deref()),
                ("nr_lokalu", a.nr_lokalu.as_deref()),
            ],
        )?)?;
    }
    d.set_item("adres", addresses)?;
    Ok(d)
}

/// A payer as a dict.
pub(crate) fn payer_dict<'py>(
    py: Python<'py>,
    p: &PlatnikUbezpieczonego,
) -> PyResult<Bound<'py, PyDict>> {
    let d = dict(
        py,
        &[
            ("nazwa", p.nazwa.as_deref()),
            ("imie", p.imie.as_deref()),
            ("nazwisko", p.nazwisko.as_deref()),
            ("nip", p.nip.as_deref()),
            ("pesel", p.pesel.as_deref()),
            ("seria_numer_paszportu", p.seria_numer_paszportu.as_deref()),
        ],
    )?;
    d.set_item("platnik_istnieje", p.platnik_istnieje)?;
    d.set_item("profil_pue", p.profil_pue)?;
    Ok(d)
}

/// A family member as a dict (`data_urodzenia` a `datetime.date`).
pub(crate) fn family_dict<'py>(
    py: Python<'py>,
    c: &CzlonekRodziny,
) -> PyResult<Bound<'py, PyDict>> {
    let d = dict(
        py,
        &[("imie", c.imie.as_str()), ("nazwisko", c.nazwisko.as_str())],
    )?;
    d.set_item(
        "data_urodzenia",
        crate::convert::to_date(py, c.data_urodzenia)?,
    )?;
    Ok(d)
}

/// A reserved series/number as `{"seria_numer", "seria", "numer", "id_oryginal",
/// "id_kopia"}`.
pub(crate) fn number_dict<'py>(
    py: Python<'py>,
    p: &PaczkaDokumentowZla,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("seria_numer", seria_numer(&p.seria_numer))?;
    d.set_item("seria", &p.seria_numer.seria)?;
    d.set_item("numer", &p.seria_numer.numer)?;
    d.set_item("id_oryginal", p.id_dokumentu.oryginal.as_deref())?;
    d.set_item("id_kopia", p.id_dokumentu.kopia.as_deref())?;
    Ok(d)
}
