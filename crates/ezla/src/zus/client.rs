//! The ZUS channel client: the one part of `zus` that performs I/O, through a
//! [`Transport`].
//!
//! A [`Client`] holds the endpoint, the body namespace, the session, the key it logs in with
//! (so that a session ZUS has dropped is renewed without the caller noticing), the retry
//! policy and the [`Journal`]. Every operation is a message of this module's submodules,
//! sent with [`Client::call`]; the methods below are the usual ones with typed arguments.
//!
//! What is retried: look-ups and validation, on failures that say nothing reached ZUS or
//! ZUS could not answer (connection, time-outs, HTTP 502/503/504), with exponential backoff
//! and jitter. What never is: [`documents::WyslijDokumenty`] — a send whose outcome is
//! unknown stays `Sending` in the journal until [`Client::reconcile`] asks ZUS.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use time::Date;

use super::doctor::{
    DaneLekarza, MiejsceWykonywaniaZawodu, PobierzDaneLekarza, PobierzMiejsceWykonywaniaZawodu,
    PobierzUprawnieniaNaDzien,
};
use super::documents::{Dokument, WalidujDokumenty, WyslaneDokumenty, WyslijDokumenty};
use super::numbering::{PaczkaDokumentowZla, PobierzSeriaNumerZla};
use super::patient::{
    CzlonekRodziny, DaneUbezpieczonego, PlatnikUbezpieczonego,
    PobierzCzlonkowRodzinyUbezpieczonego, PobierzDaneUbezpieczonego,
    PobierzPlatnikowUbezpieczonego,
};
use super::read::{PobierzDokument, PobierzUppDlaDokumentu, PobranyDokument};
use super::session::{PobierzOswiadczenie, UsunSesje, ZalogujPodpisem};
use super::{
    BodyNamespace, IdSesji, IdentyfikacjaUbezpieczonego, KontekstDostepu, MetodaWeryfikacji,
    Operation, RezultatWalidacji, RodzajDokumentu, SeriaNumer, Tryb,
};
use crate::crypto::Signer;
use crate::error::{Error, ErrorCode, Result, TransportError, ZusError};
use crate::pki::{Certificate, Identity};
use crate::pl::Pesel;
use crate::store::{Journal, MemoryJournal};
use crate::transport::{Request, Response, Transport};
use crate::xades::{self, Profile, SignOptions};

/// `Content-Type` of SOAP 1.1 requests.
const CONTENT_TYPE: &str = "text/xml; charset=utf-8";

/// How look-ups and validation are retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries in all, the first included (1: no retry). Default 3.
    pub attempts: u32,
    /// The delay before the first retry; each next one doubles it. Default 250 ms.
    pub base_delay: Duration,
    /// The longest delay between tries. Default 5 s.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 3,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// No retries.
    pub const NONE: RetryPolicy = RetryPolicy {
        attempts: 1,
        base_delay: Duration::ZERO,
        max_delay: Duration::ZERO,
    };

    /// The delay before retry `n` (from 1): `base · 2^(n−1)`, capped, with full jitter
    /// (a random point between half of it and all of it), so that many clients that failed
    /// together do not come back together.
    pub fn delay(&self, n: u32) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(1u32.checked_shl(n.saturating_sub(1)).unwrap_or(u32::MAX));
        let capped = exp.min(self.max_delay);
        let mut b = [0u8; 2];
        let r = if getrandom::fill(&mut b).is_ok() {
            f64::from(u16::from_le_bytes(b)) / f64::from(u16::MAX)
        } else {
            1.0
        };
        capped.mul_f64(0.5 + 0.5 * r)
    }
}

/// Where and how to reach the channel.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ClientConfig {
    /// The full endpoint URL, with the service path and version as ZUS publishes it (e.g.
    /// `https://pue.zus.pl:8001/ws/zus.channel.gabinetoweV4:zla`); nothing is baked in.
    pub endpoint: String,
    /// The body namespace to write (responses in either of the two are read).
    pub namespace: BodyNamespace,
    /// How look-ups and validation are retried.
    pub retry: RetryPolicy,
    /// The doctor's licence number, sent with `zalogujPodpisem` when set (later WSDLs).
    pub npwz: Option<String>,
}

impl ClientConfig {
    /// A configuration for `endpoint` with the WSDL's namespace and the default retries.
    pub fn new(endpoint: impl Into<String>) -> Self {
        ClientConfig {
            endpoint: endpoint.into(),
            namespace: BodyNamespace::default(),
            retry: RetryPolicy::default(),
            npwz: None,
        }
    }

    /// Writes bodies in `namespace`.
    pub fn with_namespace(mut self, namespace: BodyNamespace) -> Self {
        self.namespace = namespace;
        self
    }

    /// Retries as `retry` says.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sends the doctor's licence number with the login.
    pub fn with_npwz(mut self, npwz: impl Into<String>) -> Self {
        self.npwz = Some(npwz.into());
        self
    }
}

/// The key a doctor logs in with: any [`Signer`] (the `.pfx` key, a caller's callback, a
/// token) with its certificate.
#[derive(Clone, Debug)]
pub struct LoginKey {
    signer: Arc<dyn Signer>,
    certificate: Certificate,
    chain: Vec<Certificate>,
}

impl LoginKey {
    /// A signer with its certificate (and the chain to put in `KeyInfo`, usually none).
    pub fn new(signer: Arc<dyn Signer>, certificate: Certificate, chain: Vec<Certificate>) -> Self {
        LoginKey {
            signer,
            certificate,
            chain,
        }
    }

    /// The key and certificate of an opened `.pfx`.
    pub fn from_identity(identity: Identity) -> Self {
        let certificate = identity.certificate.clone();
        LoginKey {
            signer: Arc::new(identity),
            certificate,
            chain: Vec::new(),
        }
    }

    /// The signer.
    pub fn signer(&self) -> &dyn Signer {
        self.signer.as_ref()
    }

    /// The certificate.
    pub fn certificate(&self) -> &Certificate {
        &self.certificate
    }

    /// Signs `document` with the `zus` profile (a login statement, an e-ZLA).
    pub fn sign(&self, document: &[u8]) -> Result<Vec<u8>> {
        xades::sign(
            document,
            self.signer.as_ref(),
            &self.certificate,
            &self.chain,
            &SignOptions::profile(Profile::Zus),
        )
    }
}

/// A client of the ZUS channel.
///
/// `Client` is `Send + Sync`: one client may serve several threads (calls share the
/// session; a renewal happens once). Dropping a client that is logged in logs out.
pub struct Client {
    transport: Arc<dyn Transport>,
    config: ClientConfig,
    session: Mutex<Option<IdSesji>>,
    key: Mutex<Option<LoginKey>>,
    journal: Arc<dyn Journal>,
    logout_on_drop: bool,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.config.endpoint)
            .field("namespace", &self.config.namespace)
            .field("logged_in", &self.session_id().is_some())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client over `transport` (usually [`crate::transport::UreqTransport`]), with a
    /// [`MemoryJournal`]; give it a durable one with [`Client::with_journal`].
    pub fn new(transport: Arc<dyn Transport>, config: ClientConfig) -> Self {
        Client {
            transport,
            config,
            session: Mutex::new(None),
            key: Mutex::new(None),
            journal: Arc::new(MemoryJournal::new()),
            logout_on_drop: true,
        }
    }

    /// Whether dropping the client logs out (default yes). A tool that keeps the session
    /// between runs (`ezla zus --session FILE`) turns it off and logs out explicitly.
    pub fn with_logout_on_drop(mut self, logout: bool) -> Self {
        self.logout_on_drop = logout;
        self
    }

    /// Records sends in `journal` (e.g. a [`crate::store::SqliteJournal`]).
    pub fn with_journal(mut self, journal: Arc<dyn Journal>) -> Self {
        self.journal = journal;
        self
    }

    /// The journal.
    pub fn journal(&self) -> &dyn Journal {
        self.journal.as_ref()
    }

    /// The configuration.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The current session id, if logged in.
    pub fn session_id(&self) -> Option<IdSesji> {
        lock(&self.session).clone()
    }

    /// Resumes a session obtained earlier (e.g. kept in a file between commands). It is
    /// renewed only if a key is also given ([`Client::set_login_key`]).
    pub fn resume(&self, id: IdSesji) {
        *lock(&self.session) = Some(id);
    }

    /// The key used to renew a session ZUS has dropped, without logging in now.
    pub fn set_login_key(&self, key: LoginKey) {
        *lock(&self.key) = Some(key);
    }

    // ---- sending ----------------------------------------------------------------------

    /// Sends one operation and judges its response, without retries or renewal.
    pub fn send_once<O: Operation>(&self, operation: &O) -> Result<O::Response> {
        let request = operation.request(self.config.namespace)?;
        let http = Request::post(
            self.config.endpoint.clone(),
            CONTENT_TYPE,
            request.body.into_bytes(),
        )
        .with_header("SOAPAction", format!("\"{}\"", request.soap_action));
        let response = self.transport.post(&http)?;
        check_http(&self.config.endpoint, &response)?;
        O::parse(&response.body, self.config.namespace)
    }

    /// Sends an operation built for the current session, retrying what may be retried and
    /// renewing a session ZUS no longer knows (once, with the login key).
    pub fn call<O: Operation>(&self, make: impl Fn(IdSesji) -> O) -> Result<O::Response> {
        let mut renewed = false;
        loop {
            let id = self.session_id().ok_or_else(not_logged_in)?;
            match self.with_retries(|| self.send_once(&make(id.clone()))) {
                Err(e) if is_session_gone(&e) && !renewed && self.can_renew() => {
                    renewed = true;
                    self.forget_session(&id);
                    self.login_again()?;
                }
                other => return other,
            }
        }
    }

    fn with_retries<T>(&self, mut attempt: impl FnMut() -> Result<T>) -> Result<T> {
        let policy = self.config.retry;
        let mut n = 1;
        loop {
            match attempt() {
                Err(e) if n < policy.attempts.max(1) && is_transient(&e) => {
                    std::thread::sleep(policy.delay(n));
                    n += 1;
                }
                other => return other,
            }
        }
    }

    fn can_renew(&self) -> bool {
        lock(&self.key).is_some()
    }

    fn forget_session(&self, id: &IdSesji) {
        let mut s = lock(&self.session);
        if s.as_ref() == Some(id) {
            *s = None;
        }
    }

    /// Logs in again after ZUS dropped the session, if a key is kept: `Ok(true)` when a new
    /// session is open.
    pub(crate) fn renew_session(&self) -> Result<bool> {
        if !self.can_renew() {
            return Ok(false);
        }
        if let Some(id) = self.session_id() {
            self.forget_session(&id);
        }
        self.login_again().map(|()| true)
    }

    fn login_again(&self) -> Result<()> {
        let key = lock(&self.key).clone().ok_or_else(not_logged_in)?;
        // Another thread may have renewed it meanwhile.
        if self.session_id().is_some() {
            return Ok(());
        }
        self.login_with(&key).map(drop)
    }

    // ---- session ----------------------------------------------------------------------

    /// The statement to sign for a login (`pobierzOswiadczenie`), to sign elsewhere (e.g.
    /// with Profil Zaufany) and pass to [`Client::login_signed`].
    pub fn statement(&self) -> Result<String> {
        self.with_retries(|| self.send_once(&PobierzOswiadczenie))
    }

    /// Logs in: gets the statement, signs it with `key` (profile `zus`) and sends it with
    /// method `certyfikat`. The key is kept to renew the session when ZUS drops it.
    pub fn login(&self, key: LoginKey) -> Result<IdSesji> {
        let id = self.login_with(&key)?;
        *lock(&self.key) = Some(key);
        Ok(id)
    }

    fn login_with(&self, key: &LoginKey) -> Result<IdSesji> {
        let statement = self.statement()?;
        let signed = key.sign(statement.as_bytes())?;
        let signed = String::from_utf8(signed).map_err(|_| Error::InvalidUtf8 {
            what: "the signed statement",
        })?;
        self.login_signed(signed, MetodaWeryfikacji::Certyfikat)
    }

    /// Logs in with a statement signed elsewhere (`signed` exactly as the signer returned
    /// it). Such a session is not renewed automatically.
    pub fn login_signed(&self, signed: String, metoda: MetodaWeryfikacji) -> Result<IdSesji> {
        let id = self.send_once(&ZalogujPodpisem {
            podpisane_oswiadczenie: signed,
            metoda_weryfikacji: metoda,
            numer_prawa_wykonywania_zawodu: self.config.npwz.clone(),
        })?;
        *lock(&self.session) = Some(id.clone());
        Ok(id)
    }

    /// Logs out (`usunSesje`) and forgets the session and the key. Nothing happens when not
    /// logged in.
    pub fn logout(&self) -> Result<()> {
        *lock(&self.key) = None;
        let Some(id) = lock(&self.session).take() else {
            return Ok(());
        };
        match self.send_once(&UsunSesje { id_sesji: id }) {
            // A session ZUS already dropped is logged out.
            Err(e) if is_session_gone(&e) => Ok(()),
            other => other,
        }
    }

    // ---- look-ups ---------------------------------------------------------------------

    /// The logged-in doctor (`pobierzDaneLekarza`).
    pub fn doctor(&self) -> Result<Option<DaneLekarza>> {
        self.call(|id_sesji| PobierzDaneLekarza { id_sesji })
    }

    /// The doctor's places of work (`pobierzMiejsceWykonywaniaZawodu`).
    pub fn places_of_work(&self) -> Result<Vec<MiejsceWykonywaniaZawodu>> {
        self.call(|id_sesji| PobierzMiejsceWykonywaniaZawodu { id_sesji })
    }

    /// Whether the doctor may issue certificates on `day` (`pobierzUprawnieniaNaDzien`).
    pub fn may_issue_on(&self, day: Option<Date>) -> Result<Option<bool>> {
        self.call(|id_sesji| PobierzUprawnieniaNaDzien {
            id_sesji,
            data: day,
        })
    }

    /// A patient (`pobierzDaneUbezpieczonego`); counts against ZUS's daily limit.
    pub fn patient(
        &self,
        pesel: &Pesel,
        context: KontekstDostepu,
    ) -> Result<Option<DaneUbezpieczonego>> {
        self.call(|id_sesji| PobierzDaneUbezpieczonego {
            id_sesji,
            ubezpieczony: IdentyfikacjaUbezpieczonego::Pesel(*pesel),
            kontekst_dostepu: context,
        })
    }

    /// A patient's payers (`pobierzPlatnikowUbezpieczonego`).
    pub fn payers(&self, pesel: &Pesel) -> Result<Vec<PlatnikUbezpieczonego>> {
        self.call(|id_sesji| PobierzPlatnikowUbezpieczonego {
            id_sesji,
            ubezpieczony: IdentyfikacjaUbezpieczonego::Pesel(*pesel),
        })
    }

    /// A patient's family members (`pobierzCzlonkowRodzinyUbezpieczonego`).
    pub fn family(&self, pesel: &Pesel, context: KontekstDostepu) -> Result<Vec<CzlonekRodziny>> {
        self.call(|id_sesji| PobierzCzlonkowRodzinyUbezpieczonego {
            id_sesji,
            ubezpieczony: IdentyfikacjaUbezpieczonego::Pesel(*pesel),
            kontekst_dostepu: context,
        })
    }

    /// The letter codes ZUS derives for a disease (`pobierzLiterowyKodChoroby`): A (the same
    /// disease within 60 days) and D (tuberculosis).
    pub fn letter_codes(
        &self,
        pesel: &Pesel,
        from: Date,
        icd10: &str,
    ) -> Result<super::dictionary::LiteroweKodyChoroby> {
        self.call(|id_sesji| super::dictionary::PobierzLiterowyKodChoroby {
            id_sesji,
            data_poczatku_niezdolnosci: from,
            statystyczny_kod_choroby: icd10.to_owned(),
            ubezpieczony: IdentyfikacjaUbezpieczonego::Pesel(*pesel),
        })
    }

    /// ZUS's cancellation reasons (`pobierzSlownikPrzyczynAnulowania`).
    pub fn cancellation_reasons(&self) -> Result<Vec<super::dictionary::Przyczyna>> {
        self.call(|id_sesji| super::dictionary::PobierzSlownikPrzyczynAnulowania { id_sesji })
    }

    /// ZUS's invalidation reasons for paper forms (`pobierzSlownikPrzyczynUniewaznienia`).
    pub fn invalidation_reasons(&self) -> Result<Vec<super::dictionary::Przyczyna>> {
        self.call(|id_sesji| super::dictionary::PobierzSlownikPrzyczynUniewaznienia { id_sesji })
    }

    /// ZUS's kinship codes (`pobierzSlownikKodowPokrewienstwa`).
    pub fn kinship_codes(&self) -> Result<Vec<super::dictionary::PozycjaKodowPokrewienstwa>> {
        self.call(|id_sesji| super::dictionary::PobierzSlownikKodowPokrewienstwa { id_sesji })
    }

    /// The doctor's current certificates (`pobierzListeBiezacychZlaLekarza`), records `from`
    /// (1-based) to `from + count − 1`.
    pub fn current_certificates(&self, from: i64, count: i64) -> Result<super::read::ListaZla> {
        self.call(|id_sesji| super::read::PobierzListeBiezacychZlaLekarza {
            id_sesji,
            stronicowanie: super::Stronicowanie {
                rekordy_od: from,
                liczba_rekordow: count,
            },
            sortowanie: None,
            filtrowanie: None,
            kontekst_dostepu: KontekstDostepu::WyszukanieZla,
            nip_placowki: None,
        })
    }

    /// A series/number with the identifiers of its ORYGINAŁ and KOPIA
    /// (`pobierzSeriaNumerZla`).
    pub fn reserve_number(&self) -> Result<PaczkaDokumentowZla> {
        let mut all = self.call(|id_sesji| PobierzSeriaNumerZla { id_sesji })?;
        if all.is_empty() {
            return Err(Error::Zus(ZusError::ResponseMalformed {
                operation: "pobierzSeriaNumerZla",
                path: String::new(),
                detail: "no series/number in the response".into(),
            }));
        }
        Ok(all.swap_remove(0))
    }

    /// Validates documents (`walidujDokumenty`): `Ok` with the warnings, or
    /// [`ZusError::ValidationRefused`] with every finding.
    pub fn validate(&self, documents: &[Dokument]) -> Result<Option<RezultatWalidacji>> {
        self.call(|id_sesji| WalidujDokumenty {
            id_sesji,
            tryb: Tryb::Biezacy,
            dokumenty: documents.to_vec(),
        })
    }

    /// A document ZUS has (`pobierzDokument`).
    pub fn document(
        &self,
        kind: RodzajDokumentu,
        seria_numer: &SeriaNumer,
    ) -> Result<PobranyDokument> {
        self.call(|id_sesji| PobierzDokument {
            id_sesji,
            rodzaj_dokumentu: kind,
            seria_numer: seria_numer.clone(),
            kontekst_dostepu: KontekstDostepu::WyszukanieZla,
        })
    }

    /// A document's receipt (`pobierzUppDlaDokumentu`).
    pub fn receipt(
        &self,
        kind: RodzajDokumentu,
        seria_numer: &SeriaNumer,
    ) -> Result<Option<String>> {
        self.call(|id_sesji| PobierzUppDlaDokumentu {
            id_sesji,
            rodzaj_dokumentu: kind,
            seria_numer: seria_numer.clone(),
        })
    }

    /// Sends documents once (`wyslijDokumenty`), never retried here: see
    /// [`Client::send_journaled`] for the journaled send.
    pub fn send_raw(&self, documents: &[Dokument]) -> Result<WyslaneDokumenty> {
        let id = self.session_id().ok_or_else(not_logged_in)?;
        self.send_once(&WyslijDokumenty {
            id_sesji: id,
            tryb: Tryb::Biezacy,
            dokumenty: documents.to_vec(),
        })
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        if self.logout_on_drop && self.session_id().is_some() {
            // Best effort: a process that ends without logging out leaves ZUS to time the
            // session out.
            let _ = self.logout();
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn not_logged_in() -> Error {
    Error::invalid_argument("session", "not logged in to ZUS: call login first")
}

/// What ZUS says with a Fault comes as HTTP 500 with a SOAP body; other statuses (and a 500
/// that is not XML) are transport errors.
fn check_http(url: &str, response: &Response) -> Result<()> {
    let xml = response
        .content_type
        .as_deref()
        .is_some_and(|t| t.contains("xml"));
    match response.status {
        200 => Ok(()),
        500 if xml => Ok(()),
        status => Err(Error::Transport(TransportError::HttpStatus {
            url: url.to_owned(),
            status,
            body_start: String::from_utf8_lossy(
                &response.body[..response.body.len().min(crate::error::BODY_START_LEN)],
            )
            .into_owned(),
        })),
    }
}

/// Whether a failure means the request did not reach ZUS or ZUS could not answer, so that
/// trying again is safe for a look-up.
fn is_transient(e: &Error) -> bool {
    match e {
        Error::Transport(t) => match t {
            TransportError::Connect { .. }
            | TransportError::ConnectionLost { .. }
            | TransportError::Timeout { .. } => true,
            TransportError::HttpStatus { status, .. } => matches!(status, 502..=504),
            _ => false,
        },
        _ => false,
    }
}

fn is_session_gone(e: &Error) -> bool {
    e.code() == ErrorCode::ZusSessionExpired
}
