//! `ezla.wk`: the login.gov.pl (Węzeł Krajowy) service provider (`ezla::wk`).
//!
//! [`PyConfig`] holds the configuration, [`PyServiceProvider`] the flow over a transport (the
//! ureq one, or a Python callable) and the stores (memory, or a SQLite file several worker
//! processes share). The pure functions (`authn_request`, `process_artifact_response`) do
//! no I/O. Crypto, parsing and network run with the GIL released.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration as StdDuration;

use ezla_core::crypto::{KeyAgreement, PrivateKey, Signer};
use ezla_core::error::TransportError;
use ezla_core::pki::Certificate;
use ezla_core::transport::{Request, Response, Transport, TransportConfig, UreqTransport};
use ezla_core::wk::{
    self, Config, Endpoints, Environment, Identity, Loa, Login, MemoryPendingStore,
    MemoryReplayStore, PendingStore, ReplayStore, ServiceProvider, SpKeys, SpType, SqliteWkStore,
};
use ezla_core::{Error, Result as CoreResult};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::{PyBytes, PyDict};
use time::OffsetDateTime;

use crate::convert::{bytes, invalid, to_date, to_datetime};
use crate::errors::to_py;
use crate::pki::{PyCertificate, PyPrivateKey};

fn environment(name: &str) -> PyResult<Environment> {
    Ok(match name {
        "production" => Environment::Production,
        "production-private" => Environment::ProductionPrivate,
        "integration" => Environment::Integration,
        "integration-private" => Environment::IntegrationPrivate,
        "simulator" => Environment::Simulator,
        other => {
            return Err(invalid(
                "environment",
                format!(
                    "{other:?}: \"production\", \"production-private\", \"integration\", \
                     \"integration-private\" or \"simulator\" expected"
                ),
            ));
        }
    })
}

fn loa(name: &str) -> PyResult<Loa> {
    match name {
        "low" => Ok(Loa::Low),
        "substantial" => Ok(Loa::Substantial),
        "high" => Ok(Loa::High),
        other => Loa::from_uri(other).ok_or_else(|| {
            invalid(
                "loa",
                format!("{other:?}: \"low\", \"substantial\" or \"high\" expected"),
            )
        }),
    }
}

fn loa_name(l: Loa) -> &'static str {
    match l {
        Loa::Low => "low",
        Loa::Substantial => "substantial",
        Loa::High => "high",
    }
}

fn sp_type(name: &str) -> PyResult<SpType> {
    match name {
        "public" => Ok(SpType::Public),
        "private" => Ok(SpType::Private),
        other => Err(invalid(
            "sp_type",
            format!("{other:?}: \"public\" or \"private\" expected"),
        )),
    }
}

fn seconds(value: f64, argument: &'static str) -> PyResult<time::Duration> {
    if !value.is_finite() || value < 0.0 {
        return Err(invalid(
            argument,
            format!("{value} is not a number of seconds (0 or more)"),
        ));
    }
    Ok(time::Duration::seconds_f64(value))
}

fn instant(at: Option<&Bound<'_, PyAny>>, argument: &'static str) -> PyResult<OffsetDateTime> {
    crate::convert::instant_or_now(at, argument)
}

/// The configuration of a login.gov.pl service provider: who we are there (entity ID, ACS
/// URL, SP type, ProviderName), our two P-256 keys with their certificates, the pinned
/// login.gov.pl signing certificates and the environment's endpoints. Immutable.
///
/// Options:
///
/// - signing_key (PrivateKey, required): signs AuthnRequest, ArtifactResolve and
///   LogoutRequest (P-256).
/// - signing_certificate (Certificate, required): the signing key's certificate, as
///   registered at login.gov.pl.
/// - encryption_key (PrivateKey, required): decrypts the assertions (P-256 key agreement).
/// - encryption_certificate (Certificate, required): the encryption key's certificate.
/// - wk_certificates (list, required): login.gov.pl's signing certificates
///   (`ezla.Certificate`), pinned; several during a rollover. The messages' KeyInfo is never
///   used.
/// - loa (str, default "substantial"): the level of assurance requested and required:
///   "low", "substantial" or "high".
/// - provider_name (str, default None): the ProviderName provisioned for us (required in
///   integration since 2025).
/// - sp_type (str, default None): "public" or "private"; None: the environment's.
/// - base_url (str, default None): login.gov.pl's endpoints under this scheme and authority
///   instead of the environment's host, e.g. a local simulator `http://127.0.0.1:8080`.
/// - issuer (str, default None): login.gov.pl's Issuer; None: the environment's.
/// - sso_url (str, default None): where the browser is sent with the AuthnRequest when it
///   reaches login.gov.pl at another address than this server's back channel (`base_url`)
///   does: a reverse proxy, an egress gateway, a simulator under a test host name. Also the
///   Destination, unless `destination` is given.
/// - destination (str, default None): the AuthnRequest's Destination when it differs from
///   the POST target.
/// - clock_skew (float, default 180.0): seconds of clock difference allowed.
/// - request_lifetime (float, default 900.0): seconds a login stays pending.
/// - force_authn (bool, default True): ask login.gov.pl to authenticate afresh.
#[pyclass(frozen, module = "ezla.wk", name = "Config")]
pub(crate) struct PyConfig {
    pub(crate) inner: Config,
}

#[pymethods]
impl PyConfig {
    #[new]
    #[pyo3(signature = (environment, entity_id, acs_url, *, signing_key, signing_certificate,
        encryption_key, encryption_certificate, wk_certificates, loa = "substantial",
        provider_name = None, sp_type = None, base_url = None, issuer = None,
        sso_url = None, destination = None, clock_skew = 180.0, request_lifetime = 900.0, force_authn = true))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        environment: &str,
        entity_id: String,
        acs_url: String,
        signing_key: PyRef<'_, PyPrivateKey>,
        signing_certificate: PyRef<'_, PyCertificate>,
        encryption_key: PyRef<'_, PyPrivateKey>,
        encryption_certificate: PyRef<'_, PyCertificate>,
        wk_certificates: Vec<PyRef<'_, PyCertificate>>,
        loa: &str,
        provider_name: Option<String>,
        sp_type: Option<&str>,
        base_url: Option<&str>,
        issuer: Option<String>,
        sso_url: Option<String>,
        destination: Option<String>,
        clock_skew: f64,
        request_lifetime: f64,
        force_authn: bool,
    ) -> PyResult<Self> {
        let env = self::environment(environment)?;
        if wk_certificates.is_empty() {
            return Err(invalid(
                "wk_certificates",
                "at least one login.gov.pl certificate must be pinned".into(),
            ));
        }
        let signer: Arc<dyn Signer> = Arc::new(signing_key.inner.clone());
        let agreement: Arc<dyn KeyAgreement> = Arc::new(encryption_key.inner.clone());
        let keys = SpKeys::new(
            signer,
            signing_certificate.inner.clone(),
            agreement,
            encryption_certificate.inner.clone(),
        )
        .map_err(to_py)?;
        let wk: Vec<Certificate> = wk_certificates.iter().map(|c| c.inner.clone()).collect();
        let mut config = Config::new(env, entity_id, acs_url, keys, wk);
        config.requested_loa = self::loa(loa)?;
        config.provider_name = provider_name;
        if let Some(t) = sp_type {
            config.sp_type = self::sp_type(t)?;
        }
        let issuer = issuer.unwrap_or_else(|| config.endpoints.issuer.clone());
        if let Some(base) = base_url {
            config.endpoints = Endpoints::for_base(base.trim_end_matches('/'), &issuer);
        } else {
            config.endpoints.issuer = issuer;
        }
        if let Some(sso) = sso_url {
            config.endpoints.destination = sso.clone();
            config.endpoints.sso = sso;
        }
        if let Some(d) = destination {
            config.endpoints.destination = d;
        }
        config.clock_skew = seconds(clock_skew, "clock_skew")?;
        config.request_lifetime = seconds(request_lifetime, "request_lifetime")?;
        config.force_authn = force_authn;
        Ok(PyConfig { inner: config })
    }

    /// Our entity ID.
    #[getter]
    fn entity_id(&self) -> &str {
        &self.inner.entity_id
    }

    /// Our assertion consumer service URL.
    #[getter]
    fn acs_url(&self) -> &str {
        &self.inner.acs_url
    }

    /// The level of assurance requested: "low", "substantial" or "high".
    #[getter]
    fn loa(&self) -> &'static str {
        loa_name(self.inner.requested_loa)
    }

    /// Where the browser POSTs the AuthnRequest.
    #[getter]
    fn sso_url(&self) -> &str {
        &self.inner.endpoints.sso
    }

    /// login.gov.pl's artifact resolution service (SOAP).
    #[getter]
    fn artifact_resolution_url(&self) -> &str {
        &self.inner.endpoints.artifact_resolution
    }

    /// login.gov.pl's single logout service (SOAP).
    #[getter]
    fn single_logout_url(&self) -> &str {
        &self.inner.endpoints.single_logout
    }

    /// login.gov.pl's Issuer.
    #[getter]
    fn issuer(&self) -> &str {
        &self.inner.endpoints.issuer
    }

    /// The SP metadata XML (an `md:EntityDescriptor` with both certificates and the ACS),
    /// for registration.
    fn metadata<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        bytes(py, wk::metadata::sp_metadata(&self.inner).as_bytes())
    }

    fn __repr__(&self) -> String {
        format!(
            "<ezla.wk.Config entity_id={:?} issuer={:?} loa={}>",
            self.inner.entity_id,
            self.inner.endpoints.issuer,
            loa_name(self.inner.requested_loa)
        )
    }
}

/// A started login: the signed AuthnRequest to send through the browser (as the
/// auto-submitting `html_form`, or `xml` POSTed as `SAMLRequest` with `relay_state` to
/// `sso_url`).
#[pyclass(frozen, module = "ezla.wk", name = "Login")]
pub(crate) struct PyLogin {
    inner: Login,
}

#[pymethods]
impl PyLogin {
    /// The AuthnRequest's ID (the InResponseTo of the answer).
    #[getter]
    fn request_id(&self) -> &str {
        &self.inner.id
    }

    /// The RelayState sent with it (comes back with the artifact).
    #[getter]
    fn relay_state(&self) -> &str {
        &self.inner.relay_state
    }

    /// The signed AuthnRequest XML (UTF-8, no XML declaration).
    #[getter]
    fn xml<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        bytes(py, &self.inner.xml)
    }

    /// Where the browser POSTs it (login.gov.pl's SingleSignOnService).
    #[getter]
    fn sso_url(&self) -> &str {
        &self.inner.sso_url
    }

    /// The `SAMLRequest` form field: base64 of the XML.
    #[getter]
    fn saml_request(&self) -> String {
        self.inner.saml_request()
    }

    /// An HTML page whose form POSTs the request to login.gov.pl and submits itself.
    #[getter]
    fn html_form(&self) -> String {
        self.inner.html_form()
    }

    /// When the request was issued.
    #[getter]
    fn issued<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_datetime(py, self.inner.issued)
    }

    /// When the pending request expires.
    #[getter]
    fn expires<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_datetime(py, self.inner.expires)
    }

    fn __repr__(&self) -> String {
        format!(
            "<ezla.wk.Login request_id={:?} sso_url={:?}>",
            self.inner.id, self.inner.sso_url
        )
    }
}

/// The person login.gov.pl vouches for, from a checked assertion. `repr` masks the PESEL;
/// never log it at info level.
#[pyclass(frozen, module = "ezla.wk", name = "Identity")]
pub(crate) struct PyWkIdentity {
    pub(crate) inner: Identity,
}

#[pymethods]
impl PyWkIdentity {
    /// The PESEL (`PersonIdentifier`), check digit validated and consistent with
    /// `birth_date`.
    #[getter]
    fn pesel(&self) -> &str {
        self.inner.pesel.as_str()
    }

    /// `CurrentGivenName`, verbatim.
    #[getter]
    fn given_name(&self) -> &str {
        &self.inner.given_name
    }

    /// `CurrentFamilyName`, verbatim.
    #[getter]
    fn family_name(&self) -> &str {
        &self.inner.family_name
    }

    /// `DateOfBirth`, a `datetime.date`.
    #[getter]
    fn birth_date<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_date(py, self.inner.birth_date)
    }

    /// The level of assurance reached: "low", "substantial" or "high".
    #[getter]
    fn loa(&self) -> &'static str {
        loa_name(self.inner.loa)
    }

    /// The level's URI (`AuthnContextClassRef`).
    #[getter]
    fn loa_uri(&self) -> &'static str {
        self.inner.loa.uri()
    }

    /// The identity means (`AuthenticatingAuthority`, e.g. `pz.gov.pl`), in order.
    #[getter]
    fn authenticating_authorities(&self) -> Vec<String> {
        self.inner.authenticating_authorities.clone()
    }

    /// The first identity means (`AuthenticatingAuthority`), or None.
    #[getter]
    fn means(&self) -> Option<&str> {
        self.inner
            .authenticating_authorities
            .first()
            .map(String::as_str)
    }

    /// `NameID` (needed for logout).
    #[getter]
    fn name_id(&self) -> &str {
        &self.inner.name_id
    }

    /// `NameID/@Format`, or None.
    #[getter]
    fn name_id_format(&self) -> Option<&str> {
        self.inner.name_id_format.as_deref()
    }

    /// `AuthnStatement/@SessionIndex` (needed for logout), or None.
    #[getter]
    fn session_index(&self) -> Option<&str> {
        self.inner.session_index.as_deref()
    }

    /// `AuthnStatement/@AuthnInstant`, or None.
    #[getter]
    fn authn_instant<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner
            .authn_instant
            .map(|t| to_datetime(py, t))
            .transpose()
    }

    /// The assertion's ID (recorded against replay).
    #[getter]
    fn assertion_id(&self) -> &str {
        &self.inner.assertion_id
    }

    /// The end of the assertion's validity.
    #[getter]
    fn not_on_or_after<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_datetime(py, self.inner.not_on_or_after)
    }

    fn __repr__(&self) -> String {
        format!(
            "<ezla.wk.Identity pesel={:?} loa={} means={:?}>",
            self.inner.pesel,
            loa_name(self.inner.loa),
            self.inner.authenticating_authorities
        )
    }
}

/// A transport that calls a Python callable `post(url, body, headers) -> (status, body)`;
/// the exception it raised, if any, is kept to be re-raised.
struct CallableTransport {
    post: Py<PyAny>,
    raised: Mutex<Option<PyErr>>,
}

impl CallableTransport {
    fn take_raised(&self) -> Option<PyErr> {
        self.raised.lock().ok().and_then(|mut r| r.take())
    }
}

impl Transport for CallableTransport {
    fn post(&self, request: &Request) -> CoreResult<Response> {
        Python::attach(|py| {
            let call = || -> PyResult<(u16, Vec<u8>)> {
                let headers = PyDict::new(py);
                headers.set_item("Content-Type", &request.content_type)?;
                for (name, value) in &request.headers {
                    headers.set_item(name, value)?;
                }
                let answer = self
                    .post
                    .call1(py, (&request.url, PyBytes::new(py, &request.body), headers))?;
                let (status, body): (u16, PyBackedBytes) = answer.extract(py)?;
                Ok((status, body.to_vec()))
            };
            match call() {
                Ok((status, body)) => Ok(Response::new(status, None, body)),
                Err(e) => {
                    let text = e.to_string();
                    if let Ok(mut slot) = self.raised.lock() {
                        *slot = Some(e);
                    }
                    Err(Error::Transport(TransportError::ConnectionLost {
                        url: request.url.clone(),
                        reason: format!("the post callable raised: {text}"),
                    }))
                }
            }
        })
    }
}

/// A login.gov.pl service provider: the configuration, a transport for the SOAP back
/// channel and the pending-request and replay stores. The GIL is released while it signs,
/// decrypts and talks to login.gov.pl, so it serves Flask, Django or FastAPI views from
/// threads; with `store` set, several worker processes (gunicorn) share one SQLite file and
/// an artifact or assertion used in one is refused in all.
///
/// Options:
///
/// - store (str, default None): a SQLite file (str or os.PathLike) for the pending requests
///   and the replay records, shared by every process that opens it; None: in memory (one
///   process only).
/// - post (callable, default None): sends the SOAP requests instead of the built-in HTTPS
///   client: `post(url, body, headers)` returns `(status, body)`; what it raises is
///   re-raised.
/// - ca_pem (bytes, default None): trust only these CA certificates (PEM) for
///   login.gov.pl's TLS certificate (a local simulator's); None: Mozilla's roots.
/// - connect_timeout (float, default 10.0): seconds to connect.
/// - response_timeout (float, default 30.0): seconds to wait for a response.
#[pyclass(frozen, module = "ezla.wk", name = "ServiceProvider")]
pub(crate) struct PyServiceProvider {
    inner: ServiceProvider,
    callable: Option<Arc<CallableTransport>>,
}

impl PyServiceProvider {
    /// The exception for a failed call: the post callable's own when it raised.
    fn error(&self, e: Error) -> PyErr {
        self.callable
            .as_ref()
            .and_then(|c| c.take_raised())
            .unwrap_or_else(|| to_py(e))
    }
}

fn positive(value: f64, argument: &'static str) -> PyResult<StdDuration> {
    StdDuration::try_from_secs_f64(value)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| {
            invalid(
                argument,
                format!("{value} is not a positive number of seconds"),
            )
        })
}

#[pymethods]
impl PyServiceProvider {
    #[new]
    #[pyo3(signature = (config, *, store = None, post = None, ca_pem = None,
        connect_timeout = 10.0, response_timeout = 30.0))]
    fn new(
        py: Python<'_>,
        config: PyRef<'_, PyConfig>,
        store: Option<PathBuf>,
        post: Option<Py<PyAny>>,
        ca_pem: Option<PyBackedBytes>,
        connect_timeout: f64,
        response_timeout: f64,
    ) -> PyResult<Self> {
        let config = config.inner.clone();
        let connect = positive(connect_timeout, "connect_timeout")?;
        let response = positive(response_timeout, "response_timeout")?;
        if let Some(p) = &post
            && !p.bind(py).is_callable()
        {
            return Err(pyo3::exceptions::PyTypeError::new_err(
                "post must be callable: post(url, body, headers) -> (status, body)",
            ));
        }
        let callable = post.map(|post| {
            Arc::new(CallableTransport {
                post,
                raised: Mutex::new(None),
            })
        });
        let built = py.detach(|| -> CoreResult<ServiceProvider> {
            let transport: Arc<dyn Transport> = match &callable {
                Some(c) => c.clone(),
                None => {
                    let mut builder = TransportConfig::builder()
                        .connect_timeout(connect)
                        .response_timeout(response)
                        .overall_timeout(
                            (connect + response).max(ezla_core::transport::DEFAULT_OVERALL_TIMEOUT),
                        );
                    if let Some(pem) = &ca_pem {
                        builder = builder.trust_pem(pem);
                    }
                    Arc::new(UreqTransport::new(builder.build()?)?)
                }
            };
            let (pending, replay): (Arc<dyn PendingStore>, Arc<dyn ReplayStore>) = match &store {
                Some(path) => {
                    let s = Arc::new(SqliteWkStore::open(path)?);
                    (s.clone(), s)
                }
                None => (
                    Arc::new(MemoryPendingStore::new()),
                    Arc::new(MemoryReplayStore::new()),
                ),
            };
            Ok(ServiceProvider::new(config, transport, pending, replay))
        });
        built
            .map(|inner| PyServiceProvider { inner, callable })
            .map_err(to_py)
    }

    /// The configuration.
    #[getter]
    fn config(&self) -> PyConfig {
        PyConfig {
            inner: self.inner.config().clone(),
        }
    }

    /// Starts a login: builds and signs the AuthnRequest and stores it as pending (until
    /// `request_lifetime`). Send the browser `Login.html_form`.
    ///
    /// Options:
    ///
    /// - now (timezone-aware datetime.datetime, default None): the instant of the request;
    ///   None: now.
    #[pyo3(signature = (*, now = None))]
    fn login(&self, py: Python<'_>, now: Option<&Bound<'_, PyAny>>) -> PyResult<PyLogin> {
        let now = instant(now, "now")?;
        py.detach(|| self.inner.login(now))
            .map(|inner| PyLogin { inner })
            .map_err(|e| self.error(e))
    }

    /// Handles the return to the ACS: takes the pending request of `relay_state` (once),
    /// records the artifact (once), resolves it over SOAP, checks the answer in the order
    /// of wk-saml.md §2.4, decrypts and checks the assertion, records it (once) and returns
    /// the identity. Raises `SamlError` (with `.check` and, for a refusal by login.gov.pl,
    /// the status codes), `InvalidSignature` for a signature that does not verify with the
    /// pinned certificate, `TransportError` when login.gov.pl cannot be reached.
    ///
    /// Options:
    ///
    /// - now (timezone-aware datetime.datetime, default None): the instant to check the
    ///   validity windows at; None: now.
    #[pyo3(signature = (artifact, relay_state, *, now = None))]
    fn handle_artifact(
        &self,
        py: Python<'_>,
        artifact: &str,
        relay_state: &str,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyWkIdentity> {
        let now = instant(now, "now")?;
        py.detach(|| self.inner.handle_artifact(artifact, relay_state, now))
            .map(|inner| PyWkIdentity { inner })
            .map_err(|e| self.error(e))
    }

    /// Logs the session out at login.gov.pl over the SOAP back channel (a signed
    /// LogoutRequest; the signed LogoutResponse is checked).
    ///
    /// Options:
    ///
    /// - now (timezone-aware datetime.datetime, default None): the instant of the request;
    ///   None: now.
    #[pyo3(signature = (identity, *, now = None))]
    fn logout(
        &self,
        py: Python<'_>,
        identity: PyRef<'_, PyWkIdentity>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let now = instant(now, "now")?;
        let identity = identity.inner.clone();
        py.detach(|| self.inner.logout(&identity, now))
            .map_err(|e| self.error(e))
    }

    /// The SP metadata XML, for registration.
    fn metadata<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        bytes(
            py,
            wk::metadata::sp_metadata(self.inner.config()).as_bytes(),
        )
    }

    fn __repr__(&self) -> String {
        format!(
            "<ezla.wk.ServiceProvider entity_id={:?}>",
            self.inner.config().entity_id
        )
    }
}

/// Builds and signs an AuthnRequest with a fresh ID and RelayState, storing nothing
/// (*sans-IO*: keep `request_id` and `relay_state` yourself).
///
/// Options:
///
/// - now (timezone-aware datetime.datetime, default None): the instant of the request;
///   None: now.
#[pyfunction]
#[pyo3(signature = (config, *, now = None))]
pub(crate) fn authn_request(
    py: Python<'_>,
    config: PyRef<'_, PyConfig>,
    now: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyLogin> {
    let now = instant(now, "now")?;
    let config = &config.inner;
    py.detach(|| wk::authn_request::build(config, now))
        .map(|inner| PyLogin { inner })
        .map_err(to_py)
}

/// Processes an ArtifactResponse (in its SOAP envelope, or bare) into an identity,
/// *sans-IO*: both signatures with the pinned certificates, the statuses, issuers and
/// InResponseTo chain, the decryption and the assertion's checks. One-time use of the
/// artifact and the assertion is the caller's (`ServiceProvider.handle_artifact` records
/// both).
///
/// Options:
///
/// - artifact_resolve_id (str, default None): the ID of the ArtifactResolve sent (the
///   ArtifactResponse's InResponseTo); None: not checked.
/// - now (timezone-aware datetime.datetime, default None): the instant to check the
///   validity windows at; None: now.
#[pyfunction]
#[pyo3(signature = (config, response, authn_request_id, *, artifact_resolve_id = None,
    now = None))]
pub(crate) fn process_artifact_response(
    py: Python<'_>,
    config: PyRef<'_, PyConfig>,
    response: PyBackedBytes,
    authn_request_id: &str,
    artifact_resolve_id: Option<&str>,
    now: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyWkIdentity> {
    let now = instant(now, "now")?;
    let config = &config.inner;
    py.detach(|| {
        wk::process_artifact_response(
            config,
            &response,
            artifact_resolve_id,
            authn_request_id,
            now,
        )
    })
    .map(|inner| PyWkIdentity { inner })
    .map_err(to_py)
}

/// **Tests only** (`ezla.testing.make_wk_artifact_response`): an ArtifactResponse as
/// login.gov.pl writes it, from the core's emulator, in its SOAP envelope.
#[pyfunction]
#[pyo3(signature = (config, wk_key, wk_certificate, authn_request_id, artifact_resolve_id, *,
    now = None, pesel = None, loa = None, audience = None, recipient = None, status = None,
    cek_len = 32))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn _wk_artifact_response<'py>(
    py: Python<'py>,
    config: PyRef<'_, PyConfig>,
    wk_key: PyRef<'_, PyPrivateKey>,
    wk_certificate: PyRef<'_, PyCertificate>,
    authn_request_id: &str,
    artifact_resolve_id: &str,
    now: Option<&Bound<'_, PyAny>>,
    pesel: Option<String>,
    loa: Option<&str>,
    audience: Option<String>,
    recipient: Option<String>,
    status: Option<(String, Option<String>, Option<String>)>,
    cek_len: usize,
) -> PyResult<Bound<'py, PyBytes>> {
    let now = instant(now, "now")?;
    let config = &config.inner;
    let key: &PrivateKey = &wk_key.inner;
    let cert: &Certificate = &wk_certificate.inner;
    let loa_uri = loa.map(self::loa).transpose()?.map(|l| l.uri().to_string());
    let out = py.detach(|| -> CoreResult<Vec<u8>> {
        let issuer = &config.endpoints.issuer;
        let mut spec = wk::emulate::AssertionSpec::example(
            issuer,
            audience.as_deref().unwrap_or(&config.entity_id),
            recipient.as_deref().unwrap_or(&config.acs_url),
            authn_request_id,
            now,
        );
        if let Some(p) = pesel {
            spec.pesel = p;
        }
        if let Some(l) = loa_uri {
            spec.loa_uri = l;
        }
        let status = match status {
            None => wk::emulate::success(),
            Some((top, second, message)) => wk::SamlStatus {
                top,
                second,
                message,
            },
        };
        let payload = if status.is_success() {
            Some(wk::encrypt_assertion(
                wk::emulate::assertion_xml(&spec).as_bytes(),
                config.keys.encryption_certificate.public_key(),
                issuer,
                &config.entity_id,
                cek_len,
            )?)
        } else {
            None
        };
        let response_id = wk::new_id()?;
        let inner = wk::emulate::response_xml(
            issuer,
            &response_id,
            authn_request_id,
            now,
            &status,
            payload.as_deref(),
        );
        let inner = wk::emulate::sign(key, cert, &inner, &response_id)?;
        let outer_id = wk::new_id()?;
        let outer = wk::emulate::artifact_response_xml(
            issuer,
            &outer_id,
            artifact_resolve_id,
            now,
            &wk::emulate::success(),
            Some(&inner),
        );
        let outer = wk::emulate::sign(key, cert, &outer, &outer_id)?;
        Ok(wk::emulate::soap_envelope(&outer))
    });
    out.map(|b| PyBytes::new(py, &b)).map_err(to_py)
}

/// **Tests only** (`ezla.testing.make_wk_logout_response`): a signed LogoutResponse in its
/// SOAP envelope, answering `in_response_to`.
#[pyfunction]
#[pyo3(signature = (config, wk_key, wk_certificate, in_response_to, *, now = None))]
pub(crate) fn _wk_logout_response<'py>(
    py: Python<'py>,
    config: PyRef<'_, PyConfig>,
    wk_key: PyRef<'_, PyPrivateKey>,
    wk_certificate: PyRef<'_, PyCertificate>,
    in_response_to: &str,
    now: Option<&Bound<'_, PyAny>>,
) -> PyResult<Bound<'py, PyBytes>> {
    let now = instant(now, "now")?;
    let issuer = config.inner.endpoints.issuer.clone();
    let key: &PrivateKey = &wk_key.inner;
    let cert: &Certificate = &wk_certificate.inner;
    let out = py.detach(|| -> CoreResult<Vec<u8>> {
        let id = wk::new_id()?;
        let format = time::macros::format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
        );
        let issued = now
            .to_offset(time::UtcOffset::UTC)
            .format(&format)
            .map_err(|e| Error::internal(format!("IssueInstant: {e}")))?;
        let mut w = ezla_core::xml::Writer::compact();
        w.start("saml2p:LogoutResponse")
            .ns("saml2p", wk::ns::SAMLP)
            .ns("saml2", wk::ns::SAML)
            .ns("ds", wk::ns::DSIG)
            .ns("xenc", wk::ns::XENC)
            .attr("ID", &id)
            .attr("InResponseTo", in_response_to)
            .attr("IssueInstant", &issued)
            .attr("Version", "2.0")
            .open();
        w.leaf("saml2:Issuer", &issuer);
        w.open("saml2p:Status");
        w.start("saml2p:StatusCode")
            .attr("Value", wk::SamlStatus::SUCCESS)
            .empty();
        let xml = w.finish();
        let signed = wk::emulate::sign(key, cert, &xml, &id)?;
        Ok(wk::emulate::soap_envelope(&signed))
    });
    out.map(|b| PyBytes::new(py, &b)).map_err(to_py)
}
