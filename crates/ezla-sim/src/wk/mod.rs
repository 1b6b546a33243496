//! The simulated login.gov.pl (Węzeł Krajowy): the identity provider's side of the SAML
//! profile of wk-saml.md, on the paths login.gov.pl uses.
//!
//! - `POST /login/SingleSignOnService` (HTTP-POST binding: `SAMLRequest`, `RelayState`):
//!   the AuthnRequest is verified against the signing certificate of the service provider
//!   named in its `Issuer`, as registered ([`Registry`]); its ACS URL must be the registered
//!   one. The browser then chooses how to log in, as on login.gov.pl: Profil Zaufany
//!   (`/login/pz`), e-dowód (`/login/edowod`), a bank (`/login/bank`) or a test identity
//!   (`/login/test`); on success an auto-submitting form POSTs `SAMLart` and `RelayState`
//!   to the ACS.
//! - `POST /login-services/idpArtifactResolutionService` (SOAP 1.1): a signed
//!   `ArtifactResolve`, verified with the SP's certificate, is answered with a signed
//!   `ArtifactResponse` whose signed `Response` carries the assertion encrypted to the SP's
//!   encryption certificate exactly as login.gov.pl does ([`ezla::wk::emulate`]). Each
//!   artifact resolves once.
//! - `POST /login-services/singleLogoutService` (SOAP 1.1): a signed `LogoutRequest` ends
//!   the session named by its `SessionIndex`.
//! - `GET /login/metadata`: the IdP's metadata with its signing certificate.
//!
//! Misbehaviour on demand: [`Registry::set_misbehaviour`] (or `ezla-sim sp misbehave`) makes
//! the next (or every) ArtifactResponse for a service provider one of the cases of the
//! attack catalogue ([`ezla::wk::emulate::attacks`]).

mod qr;
mod registry;
pub mod users;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use ezla::crypto::{DigestAlgorithm, KeySpec, PrivateKey, PublicKey};
use ezla::dsig::{KeySelection, Verifier, find_signatures};
use ezla::pki::testca::TestCa;
use ezla::pki::{Certificate, PbeLimits, keyfile, pem};
use ezla::wk::emulate::attacks::{Answer, Misbehaviour};
use ezla::wk::emulate::{self, AssertionSpec};
use ezla::wk::{Loa, ns};
use ezla::xml::{Document, Element, ParseOptions};
use time::{Duration, OffsetDateTime};
use zeroize::Zeroizing;

pub use qr::{qr_matrix, qr_svg};
pub use registry::{REGISTRY_FILE, RegisteredSp, Registry, Repeat};
pub use users::{BANKS, TEST_PASSWORD, TEST_USERS, TestUser};

use crate::message::{SOAP11_CONTENT_TYPE, SimRequest, SimResponse, escape};
use crate::router::{Handler, Mount};

/// The SSO path (the browser POSTs the AuthnRequest here).
pub const SSO_PATH: &str = "/login/SingleSignOnService";
/// The artifact resolution path (SOAP).
pub const ARTIFACT_RESOLUTION_PATH: &str = "/login-services/idpArtifactResolutionService";
/// The single logout path (SOAP).
pub const SINGLE_LOGOUT_PATH: &str = "/login-services/singleLogoutService";
/// The metadata path.
pub const METADATA_PATH: &str = "/login/metadata";
/// The simulator's `Issuer`, as COI's simulator names itself.
pub const SIM_ISSUER: &str = "localhost.wk.gov.pl";

const METHOD_PATH: &str = "/login/method";
const PZ_PATH: &str = "/login/pz";
const EDOWOD_PATH: &str = "/login/edowod";
const BANK_PATH: &str = "/login/bank";
const TEST_PATH: &str = "/login/test";

/// Every path the identity provider answers on.
pub const PATHS: &[&str] = &[
    SSO_PATH,
    METHOD_PATH,
    PZ_PATH,
    EDOWOD_PATH,
    BANK_PATH,
    TEST_PATH,
    ARTIFACT_RESOLUTION_PATH,
    SINGLE_LOGOUT_PATH,
    METADATA_PATH,
];

/// How long a started login, an artifact and an assertion stay valid.
const LOGIN_LIFETIME: Duration = Duration::minutes(15);
const ARTIFACT_LIFETIME: Duration = Duration::minutes(5);
const ASSERTION_LIFETIME: Duration = Duration::minutes(30);

/// A login started by a verified AuthnRequest, waiting for the person.
#[derive(Clone, Debug)]
struct PendingLogin {
    sp: String,
    request_id: String,
    acs_url: String,
    relay_state: Option<String>,
    started: OffsetDateTime,
    /// The code the e-dowód app "shows" for this login.
    edo_code: String,
}

/// An issued artifact: whose, and the assertion it resolves to.
#[derive(Clone, Debug)]
struct IssuedArtifact {
    sp: String,
    assertion: AssertionSpec,
    issued: OffsetDateTime,
}

#[derive(Default)]
struct IdpState {
    logins: HashMap<String, PendingLogin>,
    artifacts: HashMap<String, IssuedArtifact>,
    /// Session index → (SP, NameID).
    sessions: HashMap<String, (String, String)>,
    /// The last assertion ID delivered per SP (for the replay misbehaviour).
    last_assertion: HashMap<String, String>,
}

/// The simulated login.gov.pl: its signing key, the registry of service providers and
/// the logins, artifacts and sessions in flight (in memory).
pub struct WkIdp {
    key: PrivateKey,
    certificate: Certificate,
    issuer: String,
    registry: Registry,
    state: Mutex<IdpState>,
}

impl std::fmt::Debug for WkIdp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WkIdp")
            .field("issuer", &self.issuer)
            .finish_non_exhaustive()
    }
}

fn random_token(bytes: usize) -> Result<Vec<u8>, String> {
    let mut b = vec![0u8; bytes];
    getrandom::fill(&mut b).map_err(|e| format!("random: {e}"))?;
    Ok(b)
}

fn hex(bytes: &[u8]) -> String {
    ezla::crypto::hex::lower(bytes)
}

impl WkIdp {
    /// Opens the identity provider of the state directory `dir`: its signing key and
    /// certificate in `DIR/wk/idp.key` and `DIR/wk/idp.crt` (a P-256 key and a self-signed
    /// `CN=WK_SIG_EC` certificate, created the first time) and the registry
    /// `DIR/wk/sps.json`.
    pub fn open(dir: &Path) -> Result<Self, String> {
        let registry = Registry::open(dir)?;
        let wk = dir.join("wk");
        let key_path = wk.join("idp.key");
        let cert_path = wk.join("idp.crt");
        let (key, certificate) = if cert_path.exists() {
            let key_bytes = Zeroizing::new(
                std::fs::read(&key_path).map_err(|e| format!("{}: {e}", key_path.display()))?,
            );
            let key = keyfile::read_private_key(&key_bytes, None, &PbeLimits::default())
                .map_err(|e| format!("{}: {e}", key_path.display()))?;
            let cert = Certificate::from_pem(
                &std::fs::read(&cert_path).map_err(|e| format!("{}: {e}", cert_path.display()))?,
            )
            .map_err(|e| format!("{}: {e}", cert_path.display()))?;
            (key, cert)
        } else {
            let ca = TestCa::generate_with(
                KeySpec::EcP256,
                "WK_SIG_EC (ezla-sim, TEST ONLY)",
                OffsetDateTime::now_utc() - Duration::days(1),
                3650,
            )
            .map_err(|e| e.to_string())?;
            let pem_key = Zeroizing::new(pem::encode("PRIVATE KEY", ca.key().pkcs8_der()));
            std::fs::write(&key_path, pem_key.as_bytes())
                .map_err(|e| format!("{}: {e}", key_path.display()))?;
            std::fs::write(&cert_path, ca.certificate().to_pem())
                .map_err(|e| format!("{}: {e}", cert_path.display()))?;
            (ca.key().clone(), ca.certificate().clone())
        };
        Ok(WkIdp {
            key,
            certificate,
            issuer: SIM_ISSUER.to_string(),
            registry,
            state: Mutex::new(IdpState::default()),
        })
    }

    /// The certificate the simulator signs with: what a service provider pins
    /// (`Config::wk_certificates`).
    pub fn certificate(&self) -> &Certificate {
        &self.certificate
    }

    /// The `Issuer` of the simulator's messages.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The registry of service providers.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// Registers a service provider (see [`Registry::add`]).
    pub fn register(&self, sp: RegisteredSp) -> Result<(), String> {
        self.registry.add(sp)
    }

    /// Makes the next (or every) ArtifactResponse for `entity_id` misbehave.
    pub fn misbehave(
        &self,
        entity_id: &str,
        misbehaviour: Option<Misbehaviour>,
        repeat: Repeat,
    ) -> Result<(), String> {
        self.registry
            .set_misbehaviour(entity_id, misbehaviour, repeat)
    }

    fn state(&self) -> std::sync::MutexGuard<'_, IdpState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The mounts of the identity provider, one per path of [`PATHS`].
    pub fn mounts(self: &Arc<Self>) -> Vec<Mount> {
        PATHS
            .iter()
            .map(|path| Mount::new(*path, WkHandler { idp: self.clone() }))
            .collect()
    }

    /// Answers a request on one of [`PATHS`].
    pub fn handle(&self, request: &SimRequest) -> SimResponse {
        let now = OffsetDateTime::now_utc();
        match (request.method.as_str(), request.path.as_str()) {
            ("POST", SSO_PATH) => self.sso(&form(&request.body), now),
            ("GET", METHOD_PATH) => {
                self.method_page(&form(request.query.as_deref().unwrap_or("").as_bytes()))
            }
            ("POST", PZ_PATH) => self.login_pz(&form(&request.body), now),
            ("POST", EDOWOD_PATH) => self.login_edowod(&form(&request.body), now),
            ("POST", BANK_PATH) => self.login_bank(&form(&request.body), now),
            ("POST", TEST_PATH) => self.login_test(&form(&request.body), now),
            ("POST", ARTIFACT_RESOLUTION_PATH) => self.resolve(&request.body, now),
            ("POST", SINGLE_LOGOUT_PATH) => self.logout(&request.body, now),
            ("GET", METADATA_PATH) => self.metadata(),
            (method, path) => page(
                405,
                "error-method",
                "Niedozwolona metoda",
                &format!("{} {} is not served here.", escape(method), escape(path)),
            ),
        }
    }

    // --- The browser side -------------------------------------------------------------

    fn sso(&self, fields: &HashMap<String, String>, now: OffsetDateTime) -> SimResponse {
        let refuse = |status: u16, id: &str, detail: String| {
            crate::log(&format!("wk sso: refused: {detail}"));
            page(status, id, "Żądanie odrzucone", &escape(&detail))
        };
        let Some(encoded) = fields.get("SAMLRequest") else {
            return refuse(400, "error-request", "no SAMLRequest field".into());
        };
        let Ok(xml) = base64::engine::general_purpose::STANDARD
            .decode(encoded.split_whitespace().collect::<String>())
        else {
            return refuse(400, "error-request", "SAMLRequest is not base64".into());
        };
        let checked = match self.check_sp_message(&xml, "AuthnRequest") {
            Ok(c) => c,
            Err(Refusal::UnknownSp(detail)) => return refuse(403, "error-unknown-sp", detail),
            Err(Refusal::Signature(detail)) => return refuse(403, "error-signature", detail),
            Err(Refusal::Malformed(detail)) => return refuse(400, "error-request", detail),
        };
        if checked.acs_url.as_deref() != Some(checked.sp.acs_url.as_str()) {
            return refuse(
                403,
                "error-acs",
                format!(
                    "AssertionConsumerServiceURL {:?} is not the registered {:?}",
                    checked.acs_url, checked.sp.acs_url
                ),
            );
        }
        let tx = match random_token(16) {
            Ok(t) => hex(&t),
            Err(e) => return refuse(500, "error-internal", e),
        };
        let edo_code = match random_token(4) {
            Ok(b) => format!(
                "{:06}",
                u32::from_be_bytes([b[0], b[1], b[2], b[3]]) % 1_000_000
            ),
            Err(e) => return refuse(500, "error-internal", e),
        };
        let mut state = self.state();
        state.logins.retain(|_, l| now - l.started < LOGIN_LIFETIME);
        state.logins.insert(
            tx.clone(),
            PendingLogin {
                sp: checked.sp.entity_id.clone(),
                request_id: checked.id,
                acs_url: checked.sp.acs_url.clone(),
                relay_state: fields.get("RelayState").cloned(),
                started: now,
                edo_code,
            },
        );
        drop(state);
        crate::log(&format!(
            "wk sso: AuthnRequest of {} verified; login {tx} started",
            checked.sp.entity_id
        ));
        choice_page(&tx, &checked.sp.entity_id)
    }

    fn pending(
        &self,
        fields: &HashMap<String, String>,
    ) -> Result<(String, PendingLogin), SimResponse> {
        let tx = fields.get("tx").cloned().unwrap_or_default();
        match self.state().logins.get(&tx) {
            Some(l) => Ok((tx, l.clone())),
            None => Err(page(
                400,
                "error-session",
                "Sesja wygasła",
                "This login is unknown or finished; start again from the service.",
            )),
        }
    }

    fn method_page(&self, fields: &HashMap<String, String>) -> SimResponse {
        let (tx, login) = match self.pending(fields) {
            Ok(p) => p,
            Err(e) => return e,
        };
        let tx_field = format!(
            "<input type=\"hidden\" name=\"tx\" value=\"{}\">",
            escape(&tx)
        );
        let users = |confirmed_only: bool| -> String {
            TEST_USERS
                .iter()
                .filter(|u| u.confirmed || !confirmed_only)
                .map(|u| {
                    format!(
                        "<option value=\"{}\">{} {} ({})</option>",
                        u.login,
                        escape(u.given_name),
                        escape(u.family_name),
                        u.login
                    )
                })
                .collect()
        };
        let (title, body) = match fields.get("m").map(String::as_str) {
            Some("pz") => (
                "Profil Zaufany",
                format!(
                    "<form id=\"form-pz\" method=\"post\" action=\"{PZ_PATH}\">{tx_field}\
                     <label>Nazwa użytkownika lub adres e-mail \
                     <input id=\"login\" name=\"login\" autocomplete=\"username\"></label>\
                     <label>Hasło <input id=\"password\" name=\"password\" type=\"password\" \
                     autocomplete=\"current-password\"></label>\
                     <button id=\"submit\" type=\"submit\">Zaloguj się</button></form>"
                ),
            ),
            Some("edowod") => {
                let link = format!("edo://login.gov.pl/auth?tx={tx}");
                (
                    "e-dowód",
                    format!(
                        "<p>Zeskanuj kod QR aplikacją eDO App i wpisz kod, który pokaże \
                         aplikacja.</p><div id=\"qr\">{}</div>\
                         <p>Symulator: aplikacja pokazuje kod \
                         <code id=\"edo-code\">{}</code>.</p>\
                         <form id=\"form-edowod\" method=\"post\" action=\"{EDOWOD_PATH}\">{tx_field}\
                         <label>Właściciel dowodu <select id=\"user\" name=\"user\">{}</select></label>\
                         <label>Kod z aplikacji <input id=\"code\" name=\"code\" inputmode=\"numeric\"></label>\
                         <button id=\"submit\" type=\"submit\">Dalej</button></form>",
                        qr_svg(link.as_bytes()).unwrap_or_default(),
                        login.edo_code,
                        users(true)
                    ),
                )
            }
            Some("bank") => (
                "Bankowość elektroniczna",
                format!(
                    "<form id=\"form-bank\" method=\"post\" action=\"{BANK_PATH}\">{tx_field}\
                     <label>Bank <select id=\"bank\" name=\"bank\">{}</select></label>\
                     <label>Klient <select id=\"user\" name=\"user\">{}</select></label>\
                     <button id=\"submit\" type=\"submit\">Zaloguj w banku</button></form>",
                    BANKS
                        .iter()
                        .map(|(id, name)| format!(
                            "<option value=\"{id}\">{}</option>",
                            escape(name)
                        ))
                        .collect::<String>(),
                    users(true)
                ),
            ),
            Some("test") => (
                "Tożsamość testowa",
                format!(
                    "<form id=\"form-test\" method=\"post\" action=\"{TEST_PATH}\">{tx_field}\
                     <label>Osoba <select id=\"user\" name=\"user\">{}</select></label>\
                     <label>Poziom <select id=\"loa\" name=\"loa\">\
                     <option value=\"substantial\">substantial</option>\
                     <option value=\"high\">high</option><option value=\"low\">low</option>\
                     </select></label>\
                     <button id=\"submit\" type=\"submit\">Zaloguj</button></form>",
                    users(true)
                ),
            ),
            _ => {
                return page(
                    400,
                    "error-method",
                    "Nieznana metoda",
                    "Choose Profil Zaufany, e-dowód, a bank or a test identity.",
                );
            }
        };
        page(200, "method", title, &body)
    }

    fn login_pz(&self, fields: &HashMap<String, String>, now: OffsetDateTime) -> SimResponse {
        let (tx, _) = match self.pending(fields) {
            Ok(p) => p,
            Err(e) => return e,
        };
        let login = fields.get("login").map(String::as_str).unwrap_or("");
        let password = fields.get("password").map(String::as_str).unwrap_or("");
        let Some(user) = users::find(login).filter(|u| {
            u.password.len() == password.len()
                && u.password
                    .bytes()
                    .zip(password.bytes())
                    .fold(0u8, |a, (x, y)| a | (x ^ y))
                    == 0
        }) else {
            return page(
                401,
                "error-password",
                "Nieprawidłowy login lub hasło",
                "Wrong user name, e-mail or password. \
                 <a id=\"retry\" href=\"\">Try again</a>.",
            )
            .retry_link(&tx, "pz");
        };
        if !user.confirmed {
            return page(
                403,
                "error-unconfirmed",
                "Profil Zaufany niepotwierdzony",
                "This Profil Zaufany was never confirmed: confirm it at a bank, a \
                 confirmation point or by video before logging in.",
            );
        }
        self.authenticated(&tx, user, Loa::Substantial, "pz.gov.pl", now)
    }

    fn login_edowod(&self, fields: &HashMap<String, String>, now: OffsetDateTime) -> SimResponse {
        let (tx, login) = match self.pending(fields) {
            Ok(p) => p,
            Err(e) => return e,
        };
        let code = fields.get("code").map(|c| c.trim()).unwrap_or("");
        if code != login.edo_code {
            return page(
                401,
                "error-edo-code",
                "Nieprawidłowy kod",
                "The code does not match the one the eDO App shows.",
            )
            .retry_link(&tx, "edowod");
        }
        let Some(user) = self.chosen(fields) else {
            return unknown_user();
        };
        self.authenticated(&tx, user, Loa::High, "e-dowod", now)
    }

    fn login_bank(&self, fields: &HashMap<String, String>, now: OffsetDateTime) -> SimResponse {
        let (tx, _) = match self.pending(fields) {
            Ok(p) => p,
            Err(e) => return e,
        };
        let bank = fields.get("bank").map(String::as_str).unwrap_or("");
        let Some((bank_id, _)) = BANKS.iter().find(|(id, _)| *id == bank) else {
            return page(
                400,
                "error-bank",
                "Nieznany bank",
                "Choose a bank from the list.",
            );
        };
        let Some(user) = self.chosen(fields) else {
            return unknown_user();
        };
        self.authenticated(&tx, user, Loa::Substantial, bank_id, now)
    }

    fn login_test(&self, fields: &HashMap<String, String>, now: OffsetDateTime) -> SimResponse {
        let (tx, _) = match self.pending(fields) {
            Ok(p) => p,
            Err(e) => return e,
        };
        let Some(user) = self.chosen(fields) else {
            return unknown_user();
        };
        let loa = match fields.get("loa").map(String::as_str) {
            Some("low") => Loa::Low,
            Some("high") => Loa::High,
            _ => Loa::Substantial,
        };
        self.authenticated(&tx, user, loa, "test", now)
    }

    fn chosen(&self, fields: &HashMap<String, String>) -> Option<&'static TestUser> {
        users::find(fields.get("user")?).filter(|u| u.confirmed)
    }

    /// The person is authenticated: issue the artifact and send the browser to the ACS.
    fn authenticated(
        &self,
        tx: &str,
        user: &TestUser,
        loa: Loa,
        authority: &str,
        now: OffsetDateTime,
    ) -> SimResponse {
        let Some(login) = self.state().logins.remove(tx) else {
            return page(
                400,
                "error-session",
                "Sesja wygasła",
                "This login is finished.",
            );
        };
        let artifact = match self.new_artifact() {
            Ok(a) => a,
            Err(e) => return page(500, "error-internal", "Błąd", &escape(&e)),
        };
        let suffix = match random_token(8) {
            Ok(b) => hex(&b),
            Err(e) => return page(500, "error-internal", "Błąd", &escape(&e)),
        };
        let mut spec = AssertionSpec::example(
            &self.issuer,
            &login.sp,
            &login.acs_url,
            &login.request_id,
            now,
        );
        spec.id = format!("ID-{suffix}-a");
        spec.session_index = format!("ID-{suffix}-s");
        spec.not_on_or_after = now + ASSERTION_LIFETIME;
        spec.name_id = user.pesel.into();
        spec.pesel = user.pesel.into();
        spec.given_name = user.given_name.into();
        spec.family_name = user.family_name.into();
        spec.birth_date = user.birth_date.into();
        spec.loa_uri = loa.uri().into();
        spec.authority = authority.into();
        let mut state = self.state();
        state
            .artifacts
            .retain(|_, a| now - a.issued < ARTIFACT_LIFETIME);
        state.artifacts.insert(
            artifact.clone(),
            IssuedArtifact {
                sp: login.sp.clone(),
                assertion: spec,
                issued: now,
            },
        );
        drop(state);
        crate::log(&format!(
            "wk: {} logged in to {} ({authority}, {})",
            user.login,
            login.sp,
            loa.uri()
        ));
        acs_form(&login.acs_url, &artifact, login.relay_state.as_deref())
    }

    /// A SAML 2.0 artifact of type 0x0004: type code, endpoint index 0, SHA-1 of the
    /// issuer (SourceID), 20 random bytes (MessageHandle); base64.
    fn new_artifact(&self) -> Result<String, String> {
        let mut bytes = vec![0x00, 0x04, 0x00, 0x00];
        bytes.extend(DigestAlgorithm::Sha1.digest(self.issuer.as_bytes()));
        bytes.extend(random_token(20)?);
        Ok(base64::engine::general_purpose::STANDARD.encode(bytes))
    }

    // --- The back channel -------------------------------------------------------------

    /// Parses a message of the SP (bare or in a SOAP envelope), finds its SP by `Issuer`
    /// and verifies its one signature, over exactly the message, with that SP's signing
    /// key.
    fn check_sp_message(&self, bytes: &[u8], expected: &str) -> Result<SpMessage, Refusal> {
        let malformed = |d: String| Refusal::Malformed(d);
        let doc = Document::parse_bytes_with(bytes, &ParseOptions::default())
            .map_err(|e| malformed(e.to_string()))?;
        let mut root = doc.root();
        if root.is(ezla::soap::ENVELOPE_NS, "Envelope") {
            root = root
                .child(ezla::soap::ENVELOPE_NS, "Body")
                .and_then(|b| b.children().next())
                .ok_or_else(|| malformed("an empty SOAP Body".into()))?;
        }
        if !root.is(ns::SAMLP, expected) {
            return Err(malformed(format!(
                "{} where a {expected} was expected",
                root.local_name()
            )));
        }
        let issuer = root
            .child(ns::SAML, "Issuer")
            .map(|i| i.text())
            .ok_or_else(|| malformed(format!("{expected} without Issuer")))?;
        let sp = self
            .registry
            .get(&issuer)
            .map_err(Refusal::Malformed)?
            .ok_or_else(|| {
                Refusal::UnknownSp(format!("no service provider {issuer:?} is registered"))
            })?;
        let key: PublicKey = sp
            .signing_certificate()
            .map_err(Refusal::Malformed)?
            .public_key()
            .clone();
        verify_signed(&doc, root, &key).map_err(Refusal::Signature)?;
        let id = root
            .attribute("ID")
            .ok_or_else(|| malformed(format!("{expected} without ID")))?
            .to_string();
        let child_text = |ns: &str, name: &str| root.child(ns, name).map(|e| e.text());
        Ok(SpMessage {
            id,
            acs_url: root
                .attribute("AssertionConsumerServiceURL")
                .map(str::to_string),
            artifact: child_text(ns::SAMLP, "Artifact"),
            name_id: child_text(ns::SAML, "NameID"),
            session_index: child_text(ns::SAMLP, "SessionIndex"),
            sp,
        })
    }

    fn resolve(&self, body: &[u8], now: OffsetDateTime) -> SimResponse {
        let resolve = match self.check_sp_message(body, "ArtifactResolve") {
            Ok(r) => r,
            Err(e) => return soap_refusal(e),
        };
        let Some(artifact) = resolve.artifact.as_deref() else {
            return SimResponse::soap_fault("soap:Client", "ArtifactResolve without Artifact");
        };
        // One-time: the artifact is gone once looked up, whoever asked.
        let issued = self.state().artifacts.remove(artifact);
        let issued = match issued {
            Some(i) if i.sp == resolve.sp.entity_id && now - i.issued < ARTIFACT_LIFETIME => i,
            other => {
                let why = if other.is_some() {
                    "the artifact was issued to another service provider or expired"
                } else {
                    "unknown or already resolved artifact"
                };
                crate::log(&format!("wk resolve: {why}"));
                return self.refused_artifact(&resolve.id, why, now);
            }
        };
        let encryption = match resolve.sp.encryption_certificate() {
            Ok(c) => c,
            Err(e) => return SimResponse::soap_fault("soap:Server", &e),
        };
        let misbehaviour = match self.registry.take_misbehaviour(&resolve.sp.entity_id) {
            Ok(m) => m,
            Err(e) => return SimResponse::soap_fault("soap:Server", &e),
        };
        let mut answer = Answer::new(
            &self.key,
            &self.certificate,
            encryption.public_key().clone(),
            &resolve.id,
            issued.assertion.clone(),
        );
        answer.issued = now;
        answer.previous_assertion_id = self
            .state()
            .last_assertion
            .get(&resolve.sp.entity_id)
            .cloned();
        let misbehaviour = if misbehaviour == Misbehaviour::ReplayedAssertion
            && answer.previous_assertion_id.is_none()
        {
            crate::log("wk resolve: nothing to replay yet; answering genuinely");
            Misbehaviour::None
        } else {
            misbehaviour
        };
        let bytes = match answer.build(misbehaviour) {
            Ok(b) => b,
            Err(e) => return SimResponse::soap_fault("soap:Server", &e.to_string()),
        };
        let mut state = self.state();
        // Only a genuine answer is one a service provider could have accepted (and so one
        // worth replaying).
        if misbehaviour == Misbehaviour::None {
            state
                .last_assertion
                .insert(resolve.sp.entity_id.clone(), issued.assertion.id.clone());
        }
        state.sessions.insert(
            issued.assertion.session_index.clone(),
            (
                resolve.sp.entity_id.clone(),
                issued.assertion.name_id.clone(),
            ),
        );
        drop(state);
        if misbehaviour != Misbehaviour::None {
            crate::log(&format!(
                "wk resolve: misbehaving for {}: {misbehaviour}",
                resolve.sp.entity_id
            ));
        }
        SimResponse::new(200, SOAP11_CONTENT_TYPE, bytes)
    }

    /// A signed ArtifactResponse with a `Requester` / `RequestDenied` status and no
    /// Response (an artifact that cannot be resolved).
    fn refused_artifact(
        &self,
        in_response_to: &str,
        why: &str,
        now: OffsetDateTime,
    ) -> SimResponse {
        let id = match random_token(16) {
            Ok(b) => format!("ID-{}", hex(&b)),
            Err(e) => return SimResponse::soap_fault("soap:Server", &e),
        };
        let status = ezla::wk::SamlStatus {
            top: emulate::attacks::REQUESTER.into(),
            second: Some("urn:oasis:names:tc:SAML:2.0:status:RequestDenied".into()),
            message: Some(why.into()),
        };
        let xml =
            emulate::artifact_response_xml(&self.issuer, &id, in_response_to, now, &status, None);
        match emulate::sign(&self.key, &self.certificate, &xml, &id) {
            Ok(signed) => {
                SimResponse::new(200, SOAP11_CONTENT_TYPE, emulate::soap_envelope(&signed))
            }
            Err(e) => SimResponse::soap_fault("soap:Server", &e.to_string()),
        }
    }

    fn logout(&self, body: &[u8], now: OffsetDateTime) -> SimResponse {
        let request = match self.check_sp_message(body, "LogoutRequest") {
            Ok(r) => r,
            Err(e) => return soap_refusal(e),
        };
        let ended = match request.session_index.as_deref() {
            Some(index) => {
                let mut state = self.state();
                match state.sessions.get(index) {
                    Some((sp, name_id))
                        if *sp == request.sp.entity_id
                            && Some(name_id.as_str()) == request.name_id.as_deref() =>
                    {
                        state.sessions.remove(index);
                        true
                    }
                    _ => false,
                }
            }
            None => false,
        };
        let id = match random_token(16) {
            Ok(b) => format!("ID-{}", hex(&b)),
            Err(e) => return SimResponse::soap_fault("soap:Server", &e),
        };
        let status = if ended {
            format!(
                "<saml2p:StatusCode Value=\"{}\"/>",
                ezla::wk::SamlStatus::SUCCESS
            )
        } else {
            format!(
                "<saml2p:StatusCode Value=\"{}\"><saml2p:StatusCode \
                 Value=\"urn:oasis:names:tc:SAML:2.0:status:UnknownPrincipal\"/></saml2p:StatusCode>\
                 <saml2p:StatusMessage>no such session</saml2p:StatusMessage>",
                emulate::attacks::REQUESTER
            )
        };
        let xml = format!(
            "<saml2p:LogoutResponse xmlns:ds=\"{}\" xmlns:saml2=\"{}\" xmlns:saml2p=\"{}\" \
             xmlns:xenc=\"{}\" ID=\"{id}\" InResponseTo=\"{}\" IssueInstant=\"{}\" Version=\"2.0\">\
             <saml2:Issuer>{}</saml2:Issuer><saml2p:Status>{status}</saml2p:Status>\
             </saml2p:LogoutResponse>",
            ns::DSIG,
            ns::SAML,
            ns::SAMLP,
            ns::XENC,
            escape(&request.id),
            ezla::xml::datetime::format(now),
            escape(&self.issuer),
        );
        crate::log(&format!(
            "wk logout: {} session {:?}: {}",
            request.sp.entity_id,
            request.session_index,
            if ended { "ended" } else { "unknown" }
        ));
        match emulate::sign(&self.key, &self.certificate, &xml, &id) {
            Ok(signed) => {
                SimResponse::new(200, SOAP11_CONTENT_TYPE, emulate::soap_envelope(&signed))
            }
            Err(e) => SimResponse::soap_fault("soap:Server", &e.to_string()),
        }
    }

    fn metadata(&self) -> SimResponse {
        let der = base64::engine::general_purpose::STANDARD.encode(self.certificate.to_der());
        let xml = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
             <md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" \
             xmlns:ds=\"{}\" entityID=\"{}\"><md:IDPSSODescriptor WantAuthnRequestsSigned=\"true\" \
             protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">\
             <md:KeyDescriptor use=\"signing\"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{der}\
             </ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>\
             <md:ArtifactResolutionService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:SOAP\" \
             Location=\"{ARTIFACT_RESOLUTION_PATH}\" index=\"0\"/>\
             <md:SingleLogoutService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:SOAP\" \
             Location=\"{SINGLE_LOGOUT_PATH}\"/>\
             <md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" \
             Location=\"{SSO_PATH}\"/></md:IDPSSODescriptor></md:EntityDescriptor>",
            ns::DSIG,
            escape(&self.issuer)
        );
        SimResponse::new(200, "application/samlmetadata+xml", xml)
    }
}

/// What was read from a verified message of a service provider.
struct SpMessage {
    id: String,
    acs_url: Option<String>,
    artifact: Option<String>,
    name_id: Option<String>,
    session_index: Option<String>,
    sp: RegisteredSp,
}

enum Refusal {
    UnknownSp(String),
    Signature(String),
    Malformed(String),
}

fn soap_refusal(e: Refusal) -> SimResponse {
    let (code, detail) = match e {
        Refusal::UnknownSp(d) => ("soap:Client", d),
        Refusal::Signature(d) => ("soap:Client", format!("signature: {d}")),
        Refusal::Malformed(d) => ("soap:Client", d),
    };
    crate::log(&format!("wk soap: refused: {detail}"));
    SimResponse::soap_fault(code, &detail)
}

/// The message's one signature, by `key`, covering exactly `root`.
fn verify_signed(doc: &Document<'_>, root: Element<'_, '_>, key: &PublicKey) -> Result<(), String> {
    let signatures = find_signatures(doc);
    let signature = match signatures.as_slice() {
        [] => return Err("the message is not signed".into()),
        [one] if one.parent() == Some(root) => *one,
        [_] => return Err("the signature is not a child of the message".into()),
        many => return Err(format!("{} signatures; one expected", many.len())),
    };
    let verified = Verifier::new(KeySelection::Pinned(key.clone()))
        .verify(doc, signature)
        .map_err(|e| e.to_string())?;
    verified.require_covers(&root).map_err(|e| e.to_string())?;
    Ok(())
}

/// The handler of every mount: hands the request to the [`WkIdp`].
#[derive(Clone, Debug)]
pub struct WkHandler {
    idp: Arc<WkIdp>,
}

impl Handler for WkHandler {
    fn handle(&self, request: &SimRequest) -> SimResponse {
        self.idp.handle(request)
    }
}

/// `application/x-www-form-urlencoded` (a body or a query) into its fields (the first value
/// of each name).
pub fn form(bytes: &[u8]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for pair in bytes.split(|&b| b == b'&') {
        if pair.is_empty() {
            continue;
        }
        let (name, value) = match pair.iter().position(|&b| b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &b""[..]),
        };
        out.entry(percent_decode(name))
            .or_insert_with(|| percent_decode(value));
    }
    out
}

fn percent_decode(bytes: &[u8]) -> String {
    let hex_value = |b: Option<&u8>| b.and_then(|b| (*b as char).to_digit(16));
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => match (hex_value(bytes.get(i + 1)), hex_value(bytes.get(i + 2))) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

trait RetryLink {
    fn retry_link(self, tx: &str, method: &str) -> Self;
}

impl RetryLink for SimResponse {
    /// Points the page's retry link at the method's form again.
    fn retry_link(mut self, tx: &str, method: &str) -> Self {
        let href = format!("href=\"{METHOD_PATH}?tx={}&amp;m={method}\"", escape(tx));
        let body = String::from_utf8_lossy(&self.body).replace("href=\"\"", &href);
        self.body = body.into_bytes();
        self
    }
}

fn unknown_user() -> SimResponse {
    page(
        400,
        "error-user",
        "Nieznana osoba",
        "Choose one of the test people.",
    )
}

/// An HTML page whose `<main>` carries `id` (stable, for browser tests).
fn page(status: u16, id: &str, title: &str, body_html: &str) -> SimResponse {
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"pl\"><head><meta charset=\"utf-8\">\
         <title>{} – login.gov.pl (ezla-sim)</title></head><body>\
         <header><strong>login.gov.pl</strong> <small>symulator ezla-sim (TEST ONLY)</small></header>\
         <main id=\"{id}\"><h1>{}</h1>{body_html}</main></body></html>\n",
        escape(title),
        escape(title)
    );
    SimResponse::new(status, "text/html; charset=utf-8", html)
}

fn choice_page(tx: &str, sp: &str) -> SimResponse {
    let link = |m: &str, label: &str| {
        format!(
            "<li><a id=\"method-{m}\" href=\"{METHOD_PATH}?tx={}&amp;m={m}\">{label}</a></li>",
            escape(tx)
        )
    };
    page(
        200,
        "choose",
        "Wybierz sposób logowania",
        &format!(
            "<p>Logowanie do: <span id=\"sp\">{}</span></p><ul>{}{}{}{}</ul>",
            escape(sp),
            link("pz", "Profil Zaufany"),
            link("edowod", "e-dowód"),
            link("bank", "Bankowość elektroniczna"),
            link("test", "Tożsamość testowa")
        ),
    )
}

/// The auto-submitting form that returns the browser to the ACS with the artifact.
fn acs_form(acs_url: &str, artifact: &str, relay_state: Option<&str>) -> SimResponse {
    let relay = relay_state
        .map(|r| {
            format!(
                "<input type=\"hidden\" name=\"RelayState\" value=\"{}\">",
                escape(r)
            )
        })
        .unwrap_or_default();
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"pl\"><head><meta charset=\"utf-8\">\
         <title>login.gov.pl (ezla-sim)</title></head>\
         <body onload=\"document.forms[0].submit()\">\
         <form id=\"acs\" method=\"post\" action=\"{}\">\
         <input type=\"hidden\" name=\"SAMLart\" value=\"{}\">{relay}\
         <noscript><button id=\"continue\" type=\"submit\">Dalej</button></noscript>\
         </form></body></html>\n",
        escape(acs_url),
        escape(artifact)
    );
    SimResponse::new(200, "text/html; charset=utf-8", html)
}
