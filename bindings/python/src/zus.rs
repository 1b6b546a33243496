//! `ezla.zus.Client`: the ZUS channel client (`ezla::zus::Client`) over the ureq transport,
//! with the journal in a SQLite file or in memory. Every call that talks to ZUS or signs
//! runs with the GIL released.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use ezla_core::crypto::{PublicKey, SignatureAlgorithm, Signer};
use ezla_core::kedu::Zla;
use ezla_core::store::{DocumentKind, Journal, JournalKey, MemoryJournal, SqliteJournal};
use ezla_core::transport::{TransportConfig, UreqTransport};
use ezla_core::zus::documents::Dokument;
use ezla_core::zus::{
    BodyNamespace, Client, ClientConfig, KontekstDostepu, LoginKey, MetodaWeryfikacji, RetryPolicy,
    RodzajDokumentu, SeriaNumer, WireEnum,
};
use ezla_core::{Error, Result as CoreResult};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::{PyBytes, PyDict, PyTuple};

use crate::convert::invalid;
use crate::errors::to_py;
use crate::pki::PyIdentity;
use crate::signer::PyExternalSigner;
use crate::zus_problem::PyBladWalidacji;
use crate::zus_types::{
    PyIssueReport, PyReceipted, doctor_dict, family_dict, number_dict, patient_dict, payer_dict,
    place_dict, reconcile_dict,
};

/// A client of the ZUS channel (*kanał gabinetowy*): log in with the doctor's key, look up
/// patients and payers, and issue e-ZLA certificates with ZUS's receipts, every send
/// recorded in a journal first so that nothing is lost or sent twice.
///
/// One client may be shared by several threads (calls share the session); the GIL is
/// released while it talks to ZUS and while it signs. Used as a context manager, it logs
/// out on exit; it also logs out when garbage-collected while logged in.
///
/// Options:
///
/// - ca_pem (bytes, default None): trust only these CA certificates (PEM) for the server's
///   TLS certificate, e.g. the simulator's `tls-ca.pem`; None: Mozilla's roots.
/// - server_name (str, default None): the name the server's certificate must carry, for an
///   endpoint addressed by IP.
/// - user (str, default "ezla_ag"): the HTTP Basic user ZUS's channel wants.
/// - password (str, default "ezla_ag"): the HTTP Basic password.
/// - namespace (str, default "zus.pl"): the body namespace written, "zus.pl" or
///   "zus.gov.pl" (responses in either are read).
/// - connect_timeout (float, default 10.0): seconds to connect.
/// - response_timeout (float, default 60.0): seconds to wait for a response.
/// - journal (str, default None): the send journal, a SQLite file (str or os.PathLike);
///   None: in memory (lost with the process, so `reconcile` can only settle this
///   process's sends).
/// - npwz (str, default None): the doctor's licence number, sent with the login (later
///   ZUS versions); None: not sent.
/// - retry_attempts (int, default 3): tries in all for a look-up or a validation, the first
///   included (1: no retry). A send is never retried blindly.
/// - retry_base_delay (float, default 0.25): seconds before the first retry (0 or more),
///   doubled for each next one (up to 5 s), with jitter.
#[pyclass(frozen, module = "ezla.zus", name = "Client")]
pub(crate) struct PyZusClient {
    inner: Client,
}

impl Drop for PyZusClient {
    /// Logs out a client collected while logged in, as the core's client does on drop, but
    /// with the GIL released during the request.
    fn drop(&mut self) {
        if self.inner.session_id().is_some() {
            let inner = &self.inner;
            Python::attach(|py| {
                py.detach(|| {
                    // Best effort, as in the core: ZUS times out a session left behind.
                    let _ = inner.logout();
                })
            });
        }
    }
}

/// An `ezla.ExternalSigner` shared with the core: the core holds the signer for renewals,
/// so it keeps a reference to the Python object.
#[derive(Debug)]
struct SharedExternal(Py<PyExternalSigner>);

impl Signer for SharedExternal {
    fn public_key(&self) -> &PublicKey {
        self.0.get().signer.public_key()
    }

    fn sign(&self, algorithm: SignatureAlgorithm, message: &[u8]) -> CoreResult<Vec<u8>> {
        self.0.get().signer.sign(algorithm, message)
    }
}

/// The login key of a signer argument, and the external signer (to re-raise what its
/// callback raised).
fn login_key(obj: &Bound<'_, PyAny>) -> PyResult<(LoginKey, Option<Py<PyExternalSigner>>)> {
    if let Ok(i) = obj.cast::<PyIdentity>() {
        return Ok((LoginKey::from_identity(i.get().inner.clone()), None));
    }
    if let Ok(e) = obj.cast::<PyExternalSigner>() {
        let s = e.get();
        let key = LoginKey::new(
            Arc::new(SharedExternal(e.clone().unbind())),
            s.certificate.clone(),
            s.chain.clone(),
        );
        return Ok((key, Some(e.clone().unbind())));
    }
    if let Ok(t) = obj.cast::<crate::signer::PyPkcs11Signer>() {
        let inner = Arc::clone(&t.get().inner);
        let certificate = inner.certificate().clone();
        let key = LoginKey::new(inner, certificate, Vec::new());
        return Ok((key, None));
    }
    Err(pyo3::exceptions::PyTypeError::new_err(format!(
        "the signer must be an ezla.Identity, an ezla.ExternalSigner or an ezla.Pkcs11Signer, not {}",
        obj.get_type().name()?
    )))
}

/// The exception for a failure of a call that may have signed: the callback's own
/// exception when it raised one.
fn signing_error(external: &Option<Py<PyExternalSigner>>, err: Error) -> PyErr {
    external
        .as_ref()
        .and_then(|e| e.get().signer.take_raised())
        .unwrap_or_else(|| to_py(err))
}

fn duration(seconds: f64, argument: &'static str) -> PyResult<Duration> {
    Duration::try_from_secs_f64(seconds)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| {
            invalid(
                argument,
                format!("{seconds} is not a positive number of seconds"),
            )
        })
}

fn namespace(name: &str) -> PyResult<BodyNamespace> {
    match name {
        "zus.pl" => Ok(BodyNamespace::ZusPl),
        "zus.gov.pl" => Ok(BodyNamespace::ZusGovPl),
        other => Err(invalid(
            "namespace",
            format!("{other:?}: \"zus.pl\" or \"zus.gov.pl\" expected"),
        )),
    }
}

fn pesel(text: &str) -> PyResult<ezla_core::pl::Pesel> {
    ezla_core::pl::Pesel::parse(text).map_err(|e| invalid("pesel", e.to_string()))
}

fn context(name: &str) -> PyResult<KontekstDostepu> {
    KontekstDostepu::from_wire(name).ok_or_else(|| {
        invalid(
            "context",
            format!("{name:?} is not a KontekstDostepu (e.g. \"WystawienieZla\")"),
        )
    })
}

fn rodzaj_dokumentu(kind: &str) -> PyResult<RodzajDokumentu> {
    match kind {
        "ORYGINAL" => Ok(RodzajDokumentu::Zla),
        "KOPIA" => Ok(RodzajDokumentu::KopiaZla),
        other => RodzajDokumentu::from_wire(other).ok_or_else(|| {
            invalid(
                "kind",
                format!("{other:?}: \"ZLA\", \"KOPIA_ZLA\", \"AZLA\" or \"UZLA\" expected"),
            )
        }),
    }
}

fn seria_numer(text: &str) -> PyResult<SeriaNumer> {
    SeriaNumer::from_compact(text).ok_or_else(|| {
        invalid(
            "seria_numer",
            format!("{text:?}: two capital letters and seven digits expected (ZY0000001)"),
        )
    })
}

fn utf8(bytes: &[u8], what: &'static str) -> PyResult<String> {
    String::from_utf8(bytes.to_vec()).map_err(|_| to_py(Error::InvalidUtf8 { what }))
}

/// `documents` for `validate`: signed bytes (referenced `1`, `2`, ... in order) or
/// `(nr_ref, signed)` pairs.
fn dokumenty(documents: &Bound<'_, PyAny>) -> PyResult<Vec<Dokument>> {
    let mut out = Vec::new();
    for (i, item) in documents.try_iter()?.enumerate() {
        let item = item?;
        let (nr_ref, signed) = if let Ok(t) = item.cast::<PyTuple>() {
            let (nr_ref, signed): (String, PyBackedBytes) = t.extract()?;
            (nr_ref, signed)
        } else {
            ((i + 1).to_string(), item.extract::<PyBackedBytes>()?)
        };
        out.push(Dokument::new(nr_ref, utf8(&signed, "a signed document")?));
    }
    Ok(out)
}

/// `documents` for `send`: `(kind, seria_numer, signed)` triples.
fn journaled(documents: &Bound<'_, PyAny>) -> PyResult<Vec<(JournalKey, Vec<u8>)>> {
    let mut out = Vec::new();
    for item in documents.try_iter()? {
        let (kind, sn, signed): (String, String, PyBackedBytes) = item?.extract()?;
        let kind = DocumentKind::parse(&kind).map_err(to_py)?;
        seria_numer(&sn)?;
        out.push((JournalKey::new(sn, kind), signed.to_vec()));
    }
    Ok(out)
}

#[pymethods]
impl PyZusClient {
    #[new]
    #[pyo3(signature = (endpoint, *, ca_pem = None, server_name = None, user = "ezla_ag",
        password = "ezla_ag", namespace = "zus.pl", connect_timeout = 10.0,
        response_timeout = 60.0, journal = None, npwz = None, retry_attempts = 3,
        retry_base_delay = 0.25))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        endpoint: String,
        ca_pem: Option<PyBackedBytes>,
        server_name: Option<String>,
        user: &str,
        password: &str,
        namespace: &str,
        connect_timeout: f64,
        response_timeout: f64,
        journal: Option<PathBuf>,
        npwz: Option<String>,
        retry_attempts: u32,
        retry_base_delay: f64,
    ) -> PyResult<Self> {
        let ns = self::namespace(namespace)?;
        if retry_attempts == 0 {
            return Err(invalid(
                "retry_attempts",
                "0: at least 1 try (1 means no retry)".into(),
            ));
        }
        let retry = RetryPolicy {
            attempts: retry_attempts,
            base_delay: Duration::try_from_secs_f64(retry_base_delay).map_err(|_| {
                invalid(
                    "retry_base_delay",
                    format!("{retry_base_delay} is not a number of seconds (0 or more)"),
                )
            })?,
            ..RetryPolicy::default()
        };
        let connect = duration(connect_timeout, "connect_timeout")?;
        let response = duration(response_timeout, "response_timeout")?;
        let mut builder = TransportConfig::builder()
            .basic_auth(user, password)
            .connect_timeout(connect)
            .response_timeout(response)
            .overall_timeout(
                (connect + response).max(ezla_core::transport::DEFAULT_OVERALL_TIMEOUT),
            );
        if let Some(pem) = &ca_pem {
            builder = builder.trust_pem(pem);
        }
        if let Some(name) = server_name {
            builder = builder.expected_server_name(name);
        }
        py.detach(|| -> CoreResult<Client> {
            let transport = UreqTransport::new(builder.build()?)?;
            let journal: Arc<dyn Journal> = match &journal {
                Some(path) => Arc::new(SqliteJournal::open(path)?),
                None => Arc::new(MemoryJournal::new()),
            };
            let mut config = ClientConfig::new(endpoint)
                .with_namespace(ns)
                .with_retry(retry);
            if let Some(npwz) = npwz {
                config = config.with_npwz(npwz);
            }
            Ok(Client::new(Arc::new(transport), config).with_journal(journal))
        })
        .map(|inner| PyZusClient { inner })
        .map_err(to_py)
    }

    /// The endpoint URL.
    #[getter]
    fn endpoint(&self) -> &str {
        &self.inner.config().endpoint
    }

    /// The current session id (*IdSesji*), or None when not logged in.
    #[getter]
    fn session_id(&self) -> Option<String> {
        self.inner.session_id().map(|id| id.as_str().to_owned())
    }

    /// Logs in: gets the statement, signs it with `signer` (an `ezla.Identity` or an
    /// `ezla.ExternalSigner`; profile `zus`) and sends it with method `certyfikat`. The
    /// signer is kept to renew a session ZUS drops. Returns the session id. Raises
    /// `ZusError` (`ZusLoginRefused`, `.zus_code`/`.zus_text`) when ZUS refuses.
    fn login(&self, py: Python<'_>, signer: &Bound<'_, PyAny>) -> PyResult<String> {
        let (key, external) = login_key(signer)?;
        py.detach(|| self.inner.login(key))
            .map(|id| id.as_str().to_owned())
            .map_err(|e| signing_error(&external, e))
    }

    /// The statement to sign for a login (`pobierzOswiadczenie`), for signing elsewhere
    /// (e.g. with Profil Zaufany) and `login_signed`.
    fn statement<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let text = py.detach(|| self.inner.statement()).map_err(to_py)?;
        Ok(PyBytes::new(py, text.as_bytes()))
    }

    /// Logs in with a statement signed elsewhere (`signed` exactly as the signer returned
    /// it). Such a session is not renewed automatically. Returns the session id.
    ///
    /// Options:
    ///
    /// - method (str, default "certyfikat"): how it was signed, "certyfikat" (a qualified or
    ///   ZUS certificate) or "ePuap" (Profil Zaufany).
    #[pyo3(signature = (signed, method = "certyfikat"))]
    fn login_signed(
        &self,
        py: Python<'_>,
        signed: PyBackedBytes,
        method: &str,
    ) -> PyResult<String> {
        let metoda = MetodaWeryfikacji::from_wire(method).ok_or_else(|| {
            invalid(
                "method",
                format!("{method:?}: \"certyfikat\" or \"ePuap\" expected"),
            )
        })?;
        let signed = utf8(&signed, "the signed statement")?;
        py.detach(|| self.inner.login_signed(signed, metoda))
            .map(|id| id.as_str().to_owned())
            .map_err(to_py)
    }

    /// Logs out (`usunSesje`) and forgets the session and the signer. Nothing happens when
    /// not logged in.
    fn logout(&self, py: Python<'_>) -> PyResult<()> {
        py.detach(|| self.inner.logout()).map_err(to_py)
    }

    /// The logged-in doctor (`pobierzDaneLekarza`) as a dict (`imie`, `nazwisko`, `pesel`,
    /// `numer_prawa_wykonywania_zawodu`, ..., `miejsce_wykonywania_zawodu`), or None.
    fn doctor<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        let l = py.detach(|| self.inner.doctor()).map_err(to_py)?;
        l.map(|l| doctor_dict(py, &l)).transpose()
    }

    /// Resumes a session obtained earlier (e.g. kept between requests of a web app); it is
    /// renewed only after a `login` or `issue` gave the client a signer.
    fn resume(&self, session_id: &str) -> PyResult<()> {
        let id = ezla_core::zus::IdSesji::new(session_id).map_err(to_py)?;
        self.inner.resume(id);
        Ok(())
    }

    /// Whether the doctor may issue certificates on a day (`pobierzUprawnieniaNaDzien`).
    /// None when ZUS does not say.
    ///
    /// Options:
    ///
    /// - day (datetime.date, default None): the day; None: today at ZUS.
    #[pyo3(signature = (day = None))]
    fn may_issue_on(
        &self,
        py: Python<'_>,
        day: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Option<bool>> {
        let day = match day {
            Some(d) if !d.is_none() => Some(crate::convert::from_date(d, "day")?),
            _ => None,
        };
        py.detach(|| self.inner.may_issue_on(day)).map_err(to_py)
    }

    /// The letter codes ZUS derives for a disease (`pobierzLiterowyKodChoroby`): a dict
    /// `{"A": bool or None, "D": bool or None}` for the patient `pesel`, the first day of
    /// incapacity `start` (a `datetime.date`) and the ICD-10 root `icd10` (`"J06"`).
    fn letter_codes<'py>(
        &self,
        py: Python<'py>,
        pesel: &str,
        start: &Bound<'_, PyAny>,
        icd10: &str,
    ) -> PyResult<Bound<'py, PyDict>> {
        let pesel = self::pesel(pesel)?;
        let start = crate::convert::from_date(start, "start")?;
        let codes = py
            .detach(|| self.inner.letter_codes(&pesel, start, icd10))
            .map_err(to_py)?;
        let d = PyDict::new(py);
        d.set_item("A", codes.kod_a)?;
        d.set_item("D", codes.kod_d)?;
        Ok(d)
    }

    /// A dictionary of ZUS as a list of `(code, description)` pairs: `"cancellation"`
    /// (`pobierzSlownikPrzyczynAnulowania`), `"invalidation"`
    /// (`pobierzSlownikPrzyczynUniewaznienia`) or `"kinship"`
    /// (`pobierzSlownikKodowPokrewienstwa`).
    fn dictionary(&self, py: Python<'_>, name: &str) -> PyResult<Vec<(String, String)>> {
        match name {
            "cancellation" => py
                .detach(|| self.inner.cancellation_reasons())
                .map(|v| v.into_iter().map(|p| (p.kod, p.nazwa)).collect()),
            "invalidation" => py
                .detach(|| self.inner.invalidation_reasons())
                .map(|v| v.into_iter().map(|p| (p.kod, p.nazwa)).collect()),
            "kinship" => py
                .detach(|| self.inner.kinship_codes())
                .map(|v| v.into_iter().map(|p| (p.kod, p.opis)).collect()),
            other => {
                return Err(invalid(
                    "name",
                    format!("{other:?} is not a dictionary (cancellation, invalidation, kinship)"),
                ));
            }
        }
        .map_err(to_py)
    }

    /// The doctor's places of work (`pobierzMiejsceWykonywaniaZawodu`), as dicts.
    fn places_of_work<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyDict>>> {
        let all = py.detach(|| self.inner.places_of_work()).map_err(to_py)?;
        all.iter().map(|m| place_dict(py, m)).collect()
    }

    /// A patient by PESEL (`pobierzDaneUbezpieczonego`) as a dict (`imie`, `nazwisko`,
    /// `data_urodzenia`, `data_zgonu`, `adres`), or None. Counts against ZUS's daily limit
    /// (`ZusError` `ZusDailyLimitExceeded` when reached).
    ///
    /// Options:
    ///
    /// - context (str, default "WystawienieZla"): why the patient is looked up
    ///   (*KontekstDostepu*).
    #[pyo3(signature = (pesel, context = "WystawienieZla"))]
    fn patient<'py>(
        &self,
        py: Python<'py>,
        pesel: &str,
        context: &str,
    ) -> PyResult<Option<Bound<'py, PyDict>>> {
        let (p, c) = (self::pesel(pesel)?, self::context(context)?);
        let u = py.detach(|| self.inner.patient(&p, c)).map_err(to_py)?;
        u.map(|u| patient_dict(py, &u)).transpose()
    }

    /// A patient's payers (`pobierzPlatnikowUbezpieczonego`), as dicts.
    fn payers<'py>(&self, py: Python<'py>, pesel: &str) -> PyResult<Vec<Bound<'py, PyDict>>> {
        let p = self::pesel(pesel)?;
        let all = py.detach(|| self.inner.payers(&p)).map_err(to_py)?;
        all.iter().map(|x| payer_dict(py, x)).collect()
    }

    /// A patient's family members (`pobierzCzlonkowRodzinyUbezpieczonego`), as dicts
    /// (`imie`, `nazwisko`, `data_urodzenia` a `datetime.date`).
    ///
    /// Options:
    ///
    /// - context (str, default "WystawienieZla"): why they are looked up
    ///   (*KontekstDostepu*).
    #[pyo3(signature = (pesel, context = "WystawienieZla"))]
    fn family<'py>(
        &self,
        py: Python<'py>,
        pesel: &str,
        context: &str,
    ) -> PyResult<Vec<Bound<'py, PyDict>>> {
        let (p, c) = (self::pesel(pesel)?, self::context(context)?);
        let all = py.detach(|| self.inner.family(&p, c)).map_err(to_py)?;
        all.iter().map(|x| family_dict(py, x)).collect()
    }

    /// Reserves a series/number with the identifiers of its ORYGINAŁ and KOPIA
    /// (`pobierzSeriaNumerZla`): `{"seria_numer", "seria", "numer", "id_oryginal",
    /// "id_kopia"}`.
    fn reserve_number<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let p = py.detach(|| self.inner.reserve_number()).map_err(to_py)?;
        number_dict(py, &p)
    }

    /// Validates signed documents (`walidujDokumenty`): each item is the signed bytes
    /// (referenced `"1"`, `"2"`, ... in order) or a `(nr_ref, signed)` pair. Returns the
    /// warnings; raises `ZusError` (`ZusValidationRefused`) with every finding in
    /// `.problems` when ZUS refuses.
    fn validate(
        &self,
        py: Python<'_>,
        documents: &Bound<'_, PyAny>,
    ) -> PyResult<Vec<PyBladWalidacji>> {
        let docs = dokumenty(documents)?;
        let r = py.detach(|| self.inner.validate(&docs)).map_err(to_py)?;
        Ok(r.map(|r| PyBladWalidacji::list(&r.bledy))
            .unwrap_or_default())
    }

    /// Sends signed documents under the journal (`wyslijDokumenty`): each item is a
    /// `(kind, seria_numer, signed)` triple, kind `"ORYGINAL"`, `"KOPIA"` or `"AZLA"`.
    /// Each is recorded before the request leaves; documents already sent are not sent
    /// again (their receipt is returned). When the outcome is unknown (a time-out, a
    /// reset), the error is raised and `reconcile` settles them. Returns the receipted
    /// documents.
    fn send(&self, py: Python<'_>, documents: &Bound<'_, PyAny>) -> PyResult<Vec<PyReceipted>> {
        let docs = journaled(documents)?;
        let sent = py
            .detach(|| self.inner.send_journaled(&docs))
            .map_err(to_py)?;
        Ok(sent.into_iter().map(PyReceipted::new).collect())
    }

    /// Issues an e-ZLA in one call: the doctor and place of work, the permission for the
    /// day, the patient and payers, the plan (3-day rule, one certificate per payer), a
    /// series/number for each, the ORYGINAŁ and KOPIA built and signed with `signer` (an
    /// `ezla.Identity` or an `ezla.ExternalSigner`), ZUS's validation (errors stop
    /// everything: `ZusError` with `.problems`), the journaled send and the receipts. Logs
    /// in with `signer` first when not logged in. `zla` is an `ezla.Zla` (the template).
    ///
    /// Options:
    ///
    /// - today (datetime.date, default None): the day the documents are judged on; None:
    ///   today in Poland.
    #[pyo3(signature = (zla, signer, today = None))]
    fn issue(
        &self,
        py: Python<'_>,
        zla: &crate::kedu::PyZla,
        signer: &Bound<'_, PyAny>,
        today: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyIssueReport> {
        let (key, external) = login_key(signer)?;
        let today = match today {
            Some(d) if !d.is_none() => crate::convert::from_date(d, "today")?,
            _ => ezla_core::pl::czas::today(),
        };
        let wzor: &Zla = zla.model();
        let report = py
            .detach(|| self.inner.issue(wzor, &key, today))
            .map_err(|e| signing_error(&external, e))?;
        PyIssueReport::new(py, report)
    }

    /// Cancels a certificate with a signed AZLA: ZUS is asked whether it may be cancelled
    /// (no: `ZusError`, name `ZusNotAllowed`), the ORYGINAŁ is read from ZUS, the AZLA built
    /// with `reason` (a code of ZUS's dictionary: U, P, N, M, I, B, A, E, X) and the doctor
    /// as ZUS has them, signed with `signer`, sent under the journal, and returned with its
    /// receipt.
    ///
    /// Options:
    ///
    /// - today (datetime.date, default None): the date of the statement; None: today in
    ///   Poland.
    #[pyo3(signature = (seria_numer, reason, signer, today = None))]
    fn cancel(
        &self,
        py: Python<'_>,
        seria_numer: &str,
        reason: &str,
        signer: &Bound<'_, PyAny>,
        today: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyReceipted> {
        let sn = self::seria_numer(seria_numer)?;
        let przyczyna =
            ezla_core::kedu::codes::PrzyczynaAnulowania::from_kod(reason).ok_or_else(|| {
                to_py(Error::invalid_argument(
                    "reason",
                    format!("{reason:?} is not a cancellation reason (U, P, N, M, I, B, A, E, X)"),
                ))
            })?;
        let (key, external) = login_key(signer)?;
        let today = match today {
            Some(d) if !d.is_none() => crate::convert::from_date(d, "today")?,
            _ => ezla_core::pl::czas::today(),
        };
        let sent = py
            .detach(|| self.inner.cancel(&sn, przyczyna, &key, today))
            .map_err(|e| signing_error(&external, e))?;
        Ok(PyReceipted::new(sent))
    }

    /// A document ZUS has (`pobierzDokument`): the signed KEDU bytes, or None. `kind` is
    /// `"ZLA"` (or `"ORYGINAL"`), `"KOPIA_ZLA"` (or `"KOPIA"`), `"AZLA"` or `"UZLA"`.
    fn document<'py>(
        &self,
        py: Python<'py>,
        kind: &str,
        seria_numer: &str,
    ) -> PyResult<Option<Bound<'py, PyBytes>>> {
        let (k, sn) = (rodzaj_dokumentu(kind)?, self::seria_numer(seria_numer)?);
        let d = py.detach(|| self.inner.document(k, &sn)).map_err(to_py)?;
        Ok(d.kedu.map(|x| PyBytes::new(py, x.as_bytes())))
    }

    /// A document's receipt (`pobierzUppDlaDokumentu`): the UPP bytes, or None. `kind` as
    /// for `document`.
    fn receipt<'py>(
        &self,
        py: Python<'py>,
        kind: &str,
        seria_numer: &str,
    ) -> PyResult<Option<Bound<'py, PyBytes>>> {
        let (k, sn) = (rodzaj_dokumentu(kind)?, self::seria_numer(seria_numer)?);
        let upp = py.detach(|| self.inner.receipt(k, &sn)).map_err(to_py)?;
        Ok(upp.map(|x| PyBytes::new(py, x.as_bytes())))
    }

    /// Settles every send of the journal whose outcome is unknown by asking ZUS, and sends
    /// (once) what ZUS does not have. Returns `{"found": [...], "resent": [...], "refused":
    /// [...]}`, each a list of `(kind, seria_numer)`.
    fn reconcile<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let r = py.detach(|| self.inner.reconcile()).map_err(to_py)?;
        reconcile_dict(py, &r)
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, py: Python<'_>, _args: &Bound<'_, PyTuple>) -> PyResult<()> {
        self.logout(py)
    }

    fn __repr__(&self) -> String {
        format!(
            "<ezla.zus.Client {:?} logged_in={}>",
            self.inner.config().endpoint,
            if self.inner.session_id().is_some() {
                "True"
            } else {
                "False"
            }
        )
    }
}
