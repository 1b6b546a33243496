//! PUE on the HTTP server: the pages, the JSON endpoints and the login through the
//! simulated login.gov.pl.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use ezla::crypto::{KeySpec, PrivateKey};
use ezla::pki::testca::TestCa;
use ezla::pki::{Certificate, PbeLimits, keyfile, pem};
use ezla::transport::{Request, Response, Transport};
use ezla::wk::{
    Config, Endpoints, Environment, MemoryPendingStore, MemoryReplayStore, ServiceProvider, SpKeys,
};
use serde::Deserialize;
use serde_json::json;
use time::{Duration, OffsetDateTime};
use zeroize::Zeroizing;

use super::{
    ApplicationForm, ApplyRefusal, CANCEL_REASONS, CancelRefusal, CertificateService,
    DownloadRefusal, FieldError, MAX_DOWNLOAD_ATTEMPTS, MIN_PASSWORD_CHARS, Session, parse_reason,
    rfc3339,
};
use crate::message::{SimRequest, SimResponse, escape};
use crate::router::{Handler, Mount};
use crate::wk::{RegisteredSp, SIM_ISSUER, WkIdp, form};
use crate::zus::ZusService;

/// Where PUE is mounted.
pub const PUE_PATH: &str = "/pue/";
/// PUE's entity ID at the simulated login.gov.pl.
pub const SP_ENTITY_ID: &str = "https://pue.zus.sim/sp";
/// The session cookie.
pub const SESSION_COOKIE: &str = "pue_session";

/// PUE's service-provider keys, in `DIR/pue/`.
struct SpKeyFiles {
    signing: (PrivateKey, Certificate),
    encryption: (PrivateKey, Certificate),
}

/// What exists once the server's URL is known.
struct Online {
    base: String,
    sp: ServiceProvider,
}

/// The simulated PUE: the [`CertificateService`], PUE's service provider at the simulated
/// login.gov.pl, and the pages and endpoints under [`PUE_PATH`].
pub struct Pue {
    service: CertificateService,
    idp: Arc<WkIdp>,
    keys: SpKeyFiles,
    online: OnceLock<Online>,
}

impl std::fmt::Debug for Pue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pue")
            .field("base", &self.online.get().map(|o| &o.base))
            .finish_non_exhaustive()
    }
}

fn load_or_make_key(dir: &Path, name: &str, cn: &str) -> Result<(PrivateKey, Certificate), String> {
    let key_path = dir.join(format!("{name}.key"));
    let cert_path = dir.join(format!("{name}.crt"));
    let at = |p: &PathBuf, e: &dyn std::fmt::Display| format!("{}: {e}", p.display());
    if cert_path.exists() {
        let bytes = Zeroizing::new(std::fs::read(&key_path).map_err(|e| at(&key_path, &e))?);
        let key = keyfile::read_private_key(&bytes, None, &PbeLimits::default())
            .map_err(|e| at(&key_path, &e))?;
        let cert =
            Certificate::from_pem(&std::fs::read(&cert_path).map_err(|e| at(&cert_path, &e))?)
                .map_err(|e| at(&cert_path, &e))?;
        return Ok((key, cert));
    }
    let ca = TestCa::generate_with(
        KeySpec::EcP256,
        cn,
        OffsetDateTime::now_utc() - Duration::days(1),
        3650,
    )
    .map_err(|e| e.to_string())?;
    let pem_key = Zeroizing::new(pem::encode("PRIVATE KEY", ca.key().pkcs8_der()));
    std::fs::write(&key_path, pem_key.as_bytes()).map_err(|e| at(&key_path, &e))?;
    std::fs::write(&cert_path, ca.certificate().to_pem()).map_err(|e| at(&cert_path, &e))?;
    Ok((ca.key().clone(), ca.certificate().clone()))
}

/// Artifact resolution without a network: the SP's SOAP request handed to the identity
/// provider in this process, answered as over HTTP. Every check of the SP still runs.
struct InProcess(Arc<WkIdp>);

impl Transport for InProcess {
    fn post(&self, request: &Request) -> ezla::Result<Response> {
        let path = request
            .url
            .split_once("://")
            .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_owned()))
            .unwrap_or_else(|| "/".to_owned());
        let mut headers = vec![("content-type".to_owned(), request.content_type.clone())];
        headers.extend(
            request
                .headers
                .iter()
                .map(|(n, v)| (n.to_ascii_lowercase(), v.clone())),
        );
        let sim = SimRequest {
            method: "POST".into(),
            path,
            query: None,
            headers,
            body: request.body.clone(),
            peer: std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
            tls: false,
            response_will_be_dropped: false,
            expire_session: false,
        };
        let answer = self.0.handle(&sim);
        let content_type = answer
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
            .map(|(_, v)| v.as_str());
        Ok(Response::new(answer.status, content_type, answer.body))
    }
}

impl Pue {
    /// PUE on the state directory `dir`: its service-provider keys in `DIR/pue/`
    /// (`sp-sig.key`/`.crt`, `sp-enc.key`/`.crt`, P-256, created the first time) and its
    /// store. It serves once [`Pue::go_online`] gave it the server's URL.
    pub fn open(dir: &Path, zus: Arc<ZusService>, idp: Arc<WkIdp>) -> Result<Self, String> {
        let service = CertificateService::open(dir, zus)?;
        let pue = dir.join("pue");
        let keys = SpKeyFiles {
            signing: load_or_make_key(&pue, "sp-sig", "PUE ZUS SP signing (ezla-sim, TEST ONLY)")?,
            encryption: load_or_make_key(
                &pue,
                "sp-enc",
                "PUE ZUS SP encryption (ezla-sim, TEST ONLY)",
            )?,
        };
        Ok(Pue {
            service,
            idp,
            keys,
            online: OnceLock::new(),
        })
    }

    /// The certificate service.
    pub fn service(&self) -> &CertificateService {
        &self.service
    }

    /// Gives PUE the server's base URL (`http://127.0.0.1:PORT`): registers it with the
    /// simulated login.gov.pl (entity ID [`SP_ENTITY_ID`], ACS `<base>/pue/acs`, replacing
    /// an earlier registration) and builds its service provider.
    pub fn go_online(&self, base: &str) -> Result<(), String> {
        let acs = format!("{base}/pue/acs");
        let (sig, sig_cert) = self.keys.signing.clone();
        let (enc, enc_cert) = self.keys.encryption.clone();
        self.idp.register(RegisteredSp::new(
            SP_ENTITY_ID,
            &sig_cert,
            &enc_cert,
            acs.clone(),
        ))?;
        let keys = SpKeys::new(Arc::new(sig), sig_cert, Arc::new(enc), enc_cert)
            .map_err(|e| e.to_string())?;
        let mut config = Config::new(
            Environment::Simulator,
            SP_ENTITY_ID,
            acs,
            keys,
            vec![self.idp.certificate().clone()],
        );
        config.endpoints = Endpoints::for_base(base, SIM_ISSUER);
        config.provider_name = Some("PUE ZUS (ezla-sim)".into());
        let sp = ServiceProvider::new(
            config,
            Arc::new(InProcess(self.idp.clone())),
            Arc::new(MemoryPendingStore::new()),
            Arc::new(MemoryReplayStore::new()),
        );
        self.online
            .set(Online {
                base: base.to_owned(),
                sp,
            })
            .map_err(|_| "PUE is online already".to_string())
    }

    /// The URL of the CRL (`<base>/pue/crl`), once online.
    pub fn crl_url(&self) -> Option<String> {
        self.online.get().map(|o| format!("{}/pue/crl", o.base))
    }

    /// The mount under [`PUE_PATH`].
    pub fn mount(self: &Arc<Self>) -> Mount {
        Mount::subtree(PUE_PATH, PueHandler { pue: self.clone() })
    }

    fn session(&self, request: &SimRequest) -> Result<Option<Session>, String> {
        let Some(id) = cookie(request, SESSION_COOKIE) else {
            return Ok(None);
        };
        self.service
            .store()
            .session(&id, OffsetDateTime::now_utc())
            .map_err(|e| e.to_string())
    }

    /// Answers a request under [`PUE_PATH`].
    pub fn handle(&self, request: &SimRequest) -> SimResponse {
        if let Err(e) = self.service.send_due_reminders() {
            crate::log(&format!("pue: reminders: {e}"));
        }
        match self.route(request) {
            Ok(r) => r,
            Err(e) => {
                crate::log(&format!("pue: {} {}: {e}", request.method, request.path));
                if request.path.starts_with("/pue/api/") || request.path.starts_with("/pue/admin/")
                {
                    json_response(500, &json!({ "error": e }))
                } else {
                    page(
                        500,
                        "error-internal",
                        "Błąd systemu",
                        &format!("<p>{}</p>", escape(&e)),
                        None,
                    )
                }
            }
        }
    }

    fn route(&self, request: &SimRequest) -> Result<SimResponse, String> {
        let rest = request
            .path
            .strip_prefix("/pue")
            .unwrap_or("")
            .trim_start_matches('/');
        let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
        let method = request.method.as_str();
        match (method, segments.as_slice()) {
            ("GET", []) => self.home(request),
            ("POST", ["login"]) => self.login(),
            ("POST", ["acs"]) => self.acs(request),
            ("POST", ["logout"]) => self.logout(request),
            ("GET", ["certyfikaty"]) => self.certificates_page(request, None),
            ("POST", ["certyfikaty"]) => self.apply_page(request),
            ("POST", ["certyfikaty", serial, "pobierz"]) => self.download_page(request, serial),
            ("POST", ["certyfikaty", serial, "anuluj"]) => self.cancel_page(request, serial),
            ("GET", ["crl"]) => self.crl(),
            ("GET", ["api", "me"]) => self.api_me(request),
            ("GET", ["api", "certificates"]) => self.api_certificates(request),
            ("POST", ["api", "certificates"]) => self.api_apply(request),
            ("POST", ["api", "certificates", serial, "download"]) => {
                self.api_download(request, serial)
            }
            ("POST", ["api", "certificates", serial, "cancel"]) => self.api_cancel(request, serial),
            ("GET", ["admin", "outbox"]) => {
                let outbox = self.service.store().outbox().map_err(|e| e.to_string())?;
                Ok(json_response(200, &json!(outbox)))
            }
            ("GET", ["admin", "clock"]) => Ok(self.clock_json()),
            ("POST", ["admin", "clock"]) => self.admin_clock(request),
            _ => Ok(page(
                404,
                "error-not-found",
                "Nie ma takiej strony",
                &format!(
                    "<p>{} {} nie jest obsługiwane.</p><p><a href=\"/pue/\">PUE ZUS</a></p>",
                    escape(method),
                    escape(&request.path)
                ),
                None,
            )),
        }
    }

    // ---- login ------------------------------------------------------------------------

    fn home(&self, request: &SimRequest) -> Result<SimResponse, String> {
        let session = self.session(request)?;
        let body = match &session {
            Some(s) => format!(
                "<p>Zalogowano jako {} {}.</p><p><a id=\"certificates-link\" \
                 href=\"/pue/certyfikaty\">Certyfikaty ZUS</a></p>",
                escape(&s.given_name),
                escape(&s.family_name)
            ),
            None => "<p>Zaloguj się, aby złożyć wniosek o certyfikat ZUS, pobrać go lub \
                     anulować.</p>\
                     <form id=\"login-form\" method=\"post\" action=\"/pue/login\">\
                     <button id=\"login\" type=\"submit\">Zaloguj przez login.gov.pl</button>\
                     </form>"
                .to_owned(),
        };
        Ok(page(
            200,
            "home",
            "Platforma Usług Elektronicznych ZUS",
            &body,
            session.as_ref(),
        ))
    }

    fn online(&self) -> Result<&Online, String> {
        self.online
            .get()
            .ok_or_else(|| "PUE is not online yet (no server URL)".to_string())
    }

    fn login(&self) -> Result<SimResponse, String> {
        let online = self.online()?;
        let request = online
            .sp
            .login(OffsetDateTime::now_utc())
            .map_err(|e| format!("AuthnRequest: {e}"))?;
        Ok(SimResponse::new(
            200,
            "text/html; charset=utf-8",
            request.html_form(),
        ))
    }

    fn acs(&self, request: &SimRequest) -> Result<SimResponse, String> {
        let online = self.online()?;
        let fields = form(&request.body);
        let artifact = fields.get("SAMLart").map(String::as_str).unwrap_or("");
        let relay = fields.get("RelayState").map(String::as_str).unwrap_or("");
        // The SAML checks run on the system clock, as login.gov.pl's own do: the simulated
        // clock is for certificates.
        let identity = match online
            .sp
            .handle_artifact(artifact, relay, OffsetDateTime::now_utc())
        {
            Ok(i) => i,
            Err(e) => {
                crate::log(&format!("pue acs: login refused: {e}"));
                return Ok(page(
                    401,
                    "error-login",
                    "Logowanie nie powiodło się",
                    &format!(
                        "<p>login.gov.pl nie potwierdził tożsamości: {}</p>\
                         <p><a href=\"/pue/\">Spróbuj ponownie</a></p>",
                        escape(&e.to_string())
                    ),
                    None,
                ));
            }
        };
        let session = self
            .service
            .store()
            .open_session(
                identity.pesel.as_str(),
                &identity.given_name,
                &identity.family_name,
                OffsetDateTime::now_utc(),
            )
            .map_err(|e| e.to_string())?;
        crate::log("pue acs: logged in");
        let secure = if request.tls { "; Secure" } else { "" };
        Ok(
            SimResponse::new(303, "text/plain; charset=utf-8", "See /pue/certyfikaty\n")
                .with_header("Location", "/pue/certyfikaty")
                .with_header(
                    "Set-Cookie",
                    &format!(
                        "{SESSION_COOKIE}={}; Path=/pue; HttpOnly; SameSite=Lax{secure}",
                        session.id
                    ),
                ),
        )
    }

    fn logout(&self, request: &SimRequest) -> Result<SimResponse, String> {
        if let Some(id) = cookie(request, SESSION_COOKIE) {
            self.service
                .store()
                .close_session(&id)
                .map_err(|e| e.to_string())?;
        }
        Ok(page(
            200,
            "logged-out",
            "Wylogowano",
            "<p><a href=\"/pue/\">PUE ZUS</a></p>",
            None,
        )
        .with_header(
            "Set-Cookie",
            &format!("{SESSION_COOKIE}=; Path=/pue; Max-Age=0; HttpOnly; SameSite=Lax"),
        ))
    }

    /// The logged-in doctor, or the page saying why not.
    fn doctor_session(
        &self,
        request: &SimRequest,
    ) -> Result<Result<(Session, crate::zus::Doctor), SimResponse>, String> {
        let Some(session) = self.session(request)? else {
            return Ok(Err(page(
                401,
                "login-required",
                "Zaloguj się",
                "<p>Sekcja Certyfikaty wymaga zalogowania.</p>\
                 <form id=\"login-form\" method=\"post\" action=\"/pue/login\">\
                 <button id=\"login\" type=\"submit\">Zaloguj przez login.gov.pl</button></form>",
                None,
            )));
        };
        match self.service.doctor(&session.pesel)? {
            Some(d) => Ok(Ok((session, d))),
            None => Ok(Err(page(
                403,
                "not-doctor",
                "Certyfikaty są dla lekarzy",
                &format!(
                    "<p>Certyfikat ZUS do podpisywania zwolnień lekarskich mogą otrzymać tylko \
                     lekarze. Osoba o numerze PESEL {} nie jest zarejestrowana w ZUS jako \
                     lekarz z numerem prawa wykonywania zawodu.</p>\
                     <p>Jeśli jesteś lekarzem, sprawdź, czy masz w PUE rolę Lekarz.</p>",
                    escape(&session.pesel)
                ),
                Some(&session),
            ))),
        }
    }

    // ---- pages ------------------------------------------------------------------------

    fn certificates_page(
        &self,
        request: &SimRequest,
        notice: Option<(u16, String, &ApplicationForm, &[FieldError])>,
    ) -> Result<SimResponse, String> {
        let (session, doctor) = match self.doctor_session(request)? {
            Ok(s) => s,
            Err(page) => return Ok(page),
        };
        let certificates = self.service.certificates(&session.pesel)?;
        let mut body = format!(
            "<p id=\"doctor\">Lekarz: {} {}, PESEL {}, NPWZ {}</p>",
            escape(&doctor.imie),
            escape(&doctor.nazwisko),
            escape(&session.pesel),
            escape(&doctor.npwz)
        );
        let (status, notice_html, typed, errors) = match notice {
            Some((s, html, typed, errors)) => (s, html, typed.clone(), errors.to_vec()),
            None => (200, String::new(), ApplicationForm::default(), Vec::new()),
        };
        body.push_str(&notice_html);
        body.push_str("<h2>Twoje certyfikaty</h2>");
        if certificates.is_empty() {
            body.push_str("<p id=\"no-certificates\">Nie masz jeszcze certyfikatu ZUS.</p>");
        } else {
            body.push_str(
                "<table id=\"certificates\"><tr><th>Numer</th><th>Ważny od</th><th>Ważny do</th>\
                 <th>Stan</th><th></th></tr>",
            );
            for c in &certificates {
                let status = match c.status {
                    "waiting" => format!(
                        "gotowy do pobrania (pozostało prób hasła: {})",
                        c.attempts_left.unwrap_or(MAX_DOWNLOAD_ATTEMPTS)
                    ),
                    "downloaded" => {
                        format!("pobrany {}", c.downloaded_at.as_deref().unwrap_or_default())
                    }
                    "locked" => {
                        "pobieranie zablokowane po błędnych hasłach; złóż nowy wniosek".to_owned()
                    }
                    "cancelled" => format!(
                        "anulowany {} ({})",
                        c.revoked_at.as_deref().unwrap_or_default(),
                        c.reason.unwrap_or("unspecified")
                    ),
                    "expired" => "wygasł".to_owned(),
                    _ => "wydany".to_owned(),
                };
                let serial = escape(&c.serial);
                let mut actions = String::new();
                if c.status == "waiting" {
                    actions.push_str(&format!(
                        "<form id=\"download-{serial}\" method=\"post\" \
                         action=\"/pue/certyfikaty/{serial}/pobierz\">\
                         <label>Hasło certyfikatu <input type=\"password\" name=\"password\" \
                         id=\"download-password-{serial}\" autocomplete=\"off\"></label>\
                         <button type=\"submit\" id=\"download-button-{serial}\">Pobierz \
                         (tylko raz)</button></form>"
                    ));
                }
                if c.revoked_at.is_none() && c.status != "expired" {
                    let options: String = CANCEL_REASONS
                        .iter()
                        .map(|(r, label)| {
                            format!("<option value=\"{}\">{}</option>", r.name(), escape(label))
                        })
                        .collect();
                    actions.push_str(&format!(
                        "<form id=\"cancel-{serial}\" method=\"post\" \
                         action=\"/pue/certyfikaty/{serial}/anuluj\">\
                         <label>Powód <select name=\"reason\" id=\"reason-{serial}\">{options}\
                         </select></label>\
                         <button type=\"submit\" id=\"cancel-button-{serial}\">Anuluj \
                         certyfikat</button></form>"
                    ));
                }
                body.push_str(&format!(
                    "<tr id=\"cert-{serial}\"><td>{serial}</td><td>{}</td><td>{}</td>\
                     <td id=\"status-{serial}\" data-status=\"{}\">{}</td><td>{actions}</td></tr>",
                    escape(&c.not_before),
                    escape(&c.not_after),
                    c.status,
                    escape(&status)
                ));
            }
            body.push_str("</table>");
        }
        body.push_str("<h2>Wniosek o certyfikat</h2>");
        match self.service.renewal_refusal(&session.pesel)? {
            Some(ApplyRefusal::TooEarly {
                serial,
                not_after,
                from,
            }) => body.push_str(&format!(
                "<p id=\"renewal-refused\">Masz ważny certyfikat nr {} (do {}). Nowy możesz \
                 zamówić od {} (28 dni przed jego wygaśnięciem).</p>",
                escape(&serial),
                rfc3339(not_after),
                rfc3339(from)
            )),
            _ => body.push_str(&application_form(&typed, &errors)),
        }
        Ok(page(
            status,
            "certyfikaty",
            "Certyfikaty ZUS",
            &body,
            Some(&session),
        ))
    }

    fn apply_page(&self, request: &SimRequest) -> Result<SimResponse, String> {
        let (session, _) = match self.doctor_session(request)? {
            Ok(s) => s,
            Err(page) => return Ok(page),
        };
        let fields = form(&request.body);
        let typed = ApplicationForm {
            email: fields.get("email").cloned().unwrap_or_default(),
            phone: fields.get("phone").cloned().unwrap_or_default(),
            password: fields.get("password").cloned().unwrap_or_default(),
            password2: fields.get("password2").cloned().unwrap_or_default(),
        };
        let Some(crl_url) = self.crl_url() else {
            return Err("PUE is not online yet (no server URL)".into());
        };
        // The refilled form never carries the passwords back.
        let refill = ApplicationForm {
            password: String::new(),
            password2: String::new(),
            ..typed.clone()
        };
        match self.service.apply(&session.pesel, &typed, &crl_url)? {
            Ok(issued) => {
                let serial = escape(&issued.record.serial);
                let notice = format!(
                    "<div id=\"issued\" class=\"notice\"><p>Certyfikat nr <span \
                     id=\"issued-serial\">{serial}</span> został wydany (ważny do {}). \
                     Powiadomienie wysłaliśmy e-mailem i SMS-em.</p><p>Pobierz go poniżej \
                     hasłem podanym we wniosku — <strong>plik można pobrać tylko raz</strong>; \
                     zapisz go w bezpiecznym miejscu.</p></div>",
                    rfc3339(issued.record.not_after)
                );
                self.certificates_page(
                    request,
                    Some((200, notice, &ApplicationForm::default(), &[])),
                )
            }
            Err(ApplyRefusal::Invalid(errors)) => {
                let items: String = errors
                    .iter()
                    .map(|e| format!("<li id=\"error-{}\">{}</li>", e.field, escape(&e.message)))
                    .collect();
                let notice = format!(
                    "<div id=\"errors\" class=\"errors\"><p>Popraw wniosek:</p><ul>{items}</ul></div>"
                );
                self.certificates_page(request, Some((400, notice, &refill, &errors)))
            }
            Err(ApplyRefusal::TooEarly { from, .. }) => {
                let notice = format!(
                    "<div id=\"too-early\" class=\"errors\"><p>Wniosek odrzucony: nowy \
                     certyfikat możesz zamówić od {}.</p></div>",
                    rfc3339(from)
                );
                self.certificates_page(request, Some((409, notice, &refill, &[])))
            }
            Err(ApplyRefusal::NotDoctor) => Ok(page(
                403,
                "not-doctor",
                "Certyfikaty są dla lekarzy",
                "<p>Nie jesteś zarejestrowany w ZUS jako lekarz.</p>",
                Some(&session),
            )),
        }
    }

    fn download_page(&self, request: &SimRequest, serial: &str) -> Result<SimResponse, String> {
        let (session, _) = match self.doctor_session(request)? {
            Ok(s) => s,
            Err(page) => return Ok(page),
        };
        let fields = form(&request.body);
        let password = fields.get("password").map(String::as_str).unwrap_or("");
        let back = "<p><a id=\"back\" href=\"/pue/certyfikaty\">Wróć do certyfikatów</a></p>";
        Ok(
            match self.service.download(&session.pesel, serial, password)? {
                Ok(d) => pfx_response(d),
                Err(refusal) => {
                    let (status, id, text) = download_refusal(&refusal);
                    page(
                        status,
                        id,
                        "Pobieranie certyfikatu",
                        &format!("<p>{}</p>{back}", escape(&text)),
                        Some(&session),
                    )
                }
            },
        )
    }

    fn cancel_page(&self, request: &SimRequest, serial: &str) -> Result<SimResponse, String> {
        let (session, _) = match self.doctor_session(request)? {
            Ok(s) => s,
            Err(page) => return Ok(page),
        };
        let fields = form(&request.body);
        let back = "<p><a id=\"back\" href=\"/pue/certyfikaty\">Wróć do certyfikatów</a></p>";
        let reason_text = fields.get("reason").map(String::as_str).unwrap_or("");
        let Some(reason) = parse_reason(reason_text) else {
            return Ok(page(
                400,
                "error-reason",
                "Anulowanie certyfikatu",
                &format!(
                    "<p>Nieznany powód „{}”: wybierz jeden z listy.</p>{back}",
                    escape(reason_text)
                ),
                Some(&session),
            ));
        };
        Ok(
            match self.service.cancel(Some(&session.pesel), serial, reason)? {
                Ok(c) => page(
                    200,
                    "cancelled",
                    "Certyfikat anulowany",
                    &format!(
                        "<p>Certyfikat nr <span id=\"cancelled-serial\">{}</span> anulowano \
                     <span id=\"cancelled-at\">{}</span> (powód: <span id=\"cancelled-reason\">{}\
                     </span>). Jest już na liście unieważnionych certyfikatów (CRL); ZUS nie \
                     przyjmie podpisów złożonych nim od tej chwili.</p>{back}",
                        escape(&c.serial),
                        c.revocation.map(|r| rfc3339(r.at)).unwrap_or_default(),
                        reason.name()
                    ),
                    Some(&session),
                ),
                Err(refusal) => {
                    let (status, id, text) = cancel_refusal(&refusal, serial);
                    page(
                        status,
                        id,
                        "Anulowanie certyfikatu",
                        &format!("<p>{}</p>{back}", escape(&text)),
                        Some(&session),
                    )
                }
            },
        )
    }

    fn crl(&self) -> Result<SimResponse, String> {
        let crl = self.service.crl()?;
        Ok(SimResponse::new(
            200,
            "application/pkix-crl",
            crl.to_der().to_vec(),
        ))
    }

    // ---- JSON -------------------------------------------------------------------------

    fn api_session(
        &self,
        request: &SimRequest,
    ) -> Result<Result<(Session, crate::zus::Doctor), SimResponse>, String> {
        let Some(session) = self.session(request)? else {
            return Ok(Err(json_response(
                401,
                &json!({ "error": "not logged in: log in through /pue/login first" }),
            )));
        };
        match self.service.doctor(&session.pesel)? {
            Some(d) => Ok(Ok((session, d))),
            None => Ok(Err(json_response(
                403,
                &json!({
                    "error": format!(
                        "PESEL {} is not registered at ZUS as a doctor with a licence number",
                        session.pesel
                    )
                }),
            ))),
        }
    }

    fn api_me(&self, request: &SimRequest) -> Result<SimResponse, String> {
        let Some(session) = self.session(request)? else {
            return Ok(json_response(401, &json!({ "error": "not logged in" })));
        };
        let doctor = self.service.doctor(&session.pesel)?;
        Ok(json_response(
            200,
            &json!({
                "pesel": session.pesel,
                "given_name": session.given_name,
                "family_name": session.family_name,
                "doctor": doctor.is_some(),
                "npwz": doctor.map(|d| d.npwz),
            }),
        ))
    }

    fn api_certificates(&self, request: &SimRequest) -> Result<SimResponse, String> {
        let (session, _) = match self.api_session(request)? {
            Ok(s) => s,
            Err(r) => return Ok(r),
        };
        let certificates = self.service.certificates(&session.pesel)?;
        let apply_from = match self.service.renewal_refusal(&session.pesel)? {
            Some(ApplyRefusal::TooEarly { from, .. }) => Some(rfc3339(from)),
            _ => None,
        };
        Ok(json_response(
            200,
            &json!({
                "certificates": certificates,
                "can_apply": apply_from.is_none(),
                "apply_from": apply_from,
            }),
        ))
    }

    fn api_apply(&self, request: &SimRequest) -> Result<SimResponse, String> {
        #[derive(Deserialize)]
        struct Body {
            #[serde(default)]
            email: String,
            #[serde(default)]
            phone: String,
            #[serde(default)]
            password: String,
            #[serde(default)]
            password2: String,
        }
        let (session, _) = match self.api_session(request)? {
            Ok(s) => s,
            Err(r) => return Ok(r),
        };
        let body: Body = match json_body(request) {
            Ok(b) => b,
            Err(r) => return Ok(r),
        };
        let typed = ApplicationForm {
            email: body.email,
            phone: body.phone,
            password: body.password,
            password2: body.password2,
        };
        let crl_url = self
            .crl_url()
            .ok_or_else(|| "PUE is not online yet (no server URL)".to_string())?;
        Ok(
            match self.service.apply(&session.pesel, &typed, &crl_url)? {
                Ok(issued) => {
                    let view = self
                        .service
                        .certificates(&session.pesel)?
                        .into_iter()
                        .find(|c| c.serial == issued.record.serial);
                    let mut value = json!(view);
                    // Advice only: what the password lacks of the guide's strength hints.
                    value["password_hints"] = json!(super::password_hints(&typed.password));
                    json_response(201, &value)
                }
                Err(ApplyRefusal::Invalid(errors)) => {
                    json_response(400, &json!({ "errors": errors }))
                }
                Err(ApplyRefusal::TooEarly {
                    serial,
                    not_after,
                    from,
                }) => json_response(
                    409,
                    &json!({
                        "error": format!(
                            "certificate {serial} is valid until {}: a new one may be applied for \
                             from {}",
                            rfc3339(not_after),
                            rfc3339(from)
                        ),
                        "apply_from": rfc3339(from),
                    }),
                ),
                Err(ApplyRefusal::NotDoctor) => {
                    json_response(403, &json!({ "error": "not a doctor" }))
                }
            },
        )
    }

    fn api_download(&self, request: &SimRequest, serial: &str) -> Result<SimResponse, String> {
        #[derive(Deserialize)]
        struct Body {
            #[serde(default)]
            password: String,
        }
        let (session, _) = match self.api_session(request)? {
            Ok(s) => s,
            Err(r) => return Ok(r),
        };
        let body: Body = match json_body(request) {
            Ok(b) => b,
            Err(r) => return Ok(r),
        };
        Ok(
            match self
                .service
                .download(&session.pesel, serial, &body.password)?
            {
                Ok(d) => pfx_response(d),
                Err(refusal) => {
                    let (status, id, text) = download_refusal(&refusal);
                    let remaining = match refusal {
                        DownloadRefusal::WrongPassword { remaining, .. } => Some(remaining),
                        _ => None,
                    };
                    json_response(
                        status,
                        &json!({ "error": text, "code": id, "attempts_left": remaining }),
                    )
                }
            },
        )
    }

    fn api_cancel(&self, request: &SimRequest, serial: &str) -> Result<SimResponse, String> {
        #[derive(Deserialize)]
        struct Body {
            reason: serde_json::Value,
        }
        let (session, _) = match self.api_session(request)? {
            Ok(s) => s,
            Err(r) => return Ok(r),
        };
        let body: Body = match json_body(request) {
            Ok(b) => b,
            Err(r) => return Ok(r),
        };
        let reason_text = match &body.reason {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let Some(reason) = parse_reason(&reason_text) else {
            return Ok(json_response(
                400,
                &json!({ "error": format!("unknown reason {reason_text:?}: an RFC 5280 CRLReason name or code") }),
            ));
        };
        Ok(
            match self.service.cancel(Some(&session.pesel), serial, reason)? {
                Ok(c) => json_response(
                    200,
                    &json!({
                        "serial": c.serial,
                        "revoked_at": c.revocation.map(|r| rfc3339(r.at)),
                        "reason": reason.name(),
                    }),
                ),
                Err(refusal) => {
                    let (status, id, text) = cancel_refusal(&refusal, serial);
                    json_response(status, &json!({ "error": text, "code": id }))
                }
            },
        )
    }

    fn clock_json(&self) -> SimResponse {
        let clock = self.service.zus().state().clock();
        json_response(
            200,
            &json!({
                "now": rfc3339(clock.now()),
                "offset_seconds": clock.offset().whole_seconds(),
            }),
        )
    }

    fn admin_clock(&self, request: &SimRequest) -> Result<SimResponse, String> {
        #[derive(Deserialize)]
        struct Body {
            at: String,
        }
        let body: Body = match serde_json::from_slice(&request.body) {
            Ok(b) => b,
            Err(e) => {
                return Ok(json_response(
                    400,
                    &json!({ "error": format!("JSON {{\"at\": \"RFC 3339\"}} expected: {e}") }),
                ));
            }
        };
        let Some(at) = ezla::xml::datetime::parse(&body.at) else {
            return Ok(json_response(
                400,
                &json!({ "error": format!("{:?} is not an RFC 3339 time", body.at) }),
            ));
        };
        self.service.set_clock(at)?;
        crate::log(&format!("pue: clock set to {}", rfc3339(at)));
        Ok(self.clock_json())
    }
}

fn pfx_response(d: super::Download) -> SimResponse {
    SimResponse::new(200, "application/x-pkcs12", d.pfx)
        .with_header(
            "Content-Disposition",
            &format!("attachment; filename=\"{}\"", d.filename),
        )
        .with_header("Cache-Control", "no-store")
}

fn download_refusal(refusal: &DownloadRefusal) -> (u16, &'static str, String) {
    match refusal {
        DownloadRefusal::NotFound => (
            404,
            "not-found",
            "Nie masz certyfikatu o tym numerze.".to_owned(),
        ),
        DownloadRefusal::AlreadyDownloaded(at) => (
            410,
            "already-downloaded",
            format!(
                "Certyfikat został już pobrany {}. Plik można pobrać tylko raz; jeśli go nie \
                 masz, anuluj ten certyfikat i złóż nowy wniosek.",
                rfc3339(*at)
            ),
        ),
        DownloadRefusal::Locked(at) => (
            423,
            "locked",
            format!(
                "Pobieranie zablokowano {} po {MAX_DOWNLOAD_ATTEMPTS} błędnych hasłach; \
                 certyfikat anulowano. Złóż nowy wniosek o certyfikat.",
                rfc3339(*at)
            ),
        ),
        DownloadRefusal::Cancelled(at) => (
            410,
            "cancelled",
            format!(
                "Certyfikat anulowano {} przed pobraniem; złóż nowy wniosek.",
                rfc3339(*at)
            ),
        ),
        DownloadRefusal::WrongPassword { remaining, .. } => (
            403,
            "wrong-password",
            format!(
                "Błędne hasło (to hasło podane we wniosku; sprawdź Caps Lock). Pozostało \
                 prób: {remaining}; po {MAX_DOWNLOAD_ATTEMPTS} błędnych pobieranie zostanie \
                 zablokowane i trzeba będzie złożyć nowy wniosek."
            ),
        ),
    }
}

fn cancel_refusal(refusal: &CancelRefusal, serial: &str) -> (u16, &'static str, String) {
    match refusal {
        CancelRefusal::NotFound => (
            404,
            "not-found",
            format!("Nie masz certyfikatu o numerze {serial}."),
        ),
        CancelRefusal::AlreadyCancelled { at, reason } => (
            409,
            "already-cancelled",
            format!(
                "Certyfikat anulowano już {} (powód: {}).",
                rfc3339(*at),
                reason.map(|r| r.name()).unwrap_or("unspecified")
            ),
        ),
    }
}

/// The handler of the mount.
#[derive(Clone, Debug)]
pub struct PueHandler {
    pue: Arc<Pue>,
}

impl Handler for PueHandler {
    fn handle(&self, request: &SimRequest) -> SimResponse {
        self.pue.handle(request)
    }
}

/// The value of the cookie `name` of the request.
fn cookie(request: &SimRequest, name: &str) -> Option<String> {
    request.header_all("cookie").find_map(|header| {
        header.split(';').find_map(|pair| {
            let (n, v) = pair.trim().split_once('=')?;
            (n == name && !v.is_empty()).then(|| v.to_owned())
        })
    })
}

/// The request's JSON body, or the 400 answer naming what is wrong with it.
fn json_body<T: serde::de::DeserializeOwned>(request: &SimRequest) -> Result<T, SimResponse> {
    serde_json::from_slice(&request.body)
        .map_err(|e| json_response(400, &json!({ "error": format!("JSON: {e}") })))
}

fn json_response(status: u16, value: &serde_json::Value) -> SimResponse {
    SimResponse::new(
        status,
        "application/json",
        serde_json::to_vec_pretty(value).unwrap_or_default(),
    )
}

fn application_form(typed: &ApplicationForm, errors: &[FieldError]) -> String {
    let invalid = |field: &str| {
        if errors.iter().any(|e| e.field == field) {
            " aria-invalid=\"true\""
        } else {
            ""
        }
    };
    format!(
        "<form id=\"apply-form\" method=\"post\" action=\"/pue/certyfikaty\" novalidate>\
         <p><label>E-mail <input type=\"email\" name=\"email\" id=\"email\" value=\"{}\"{}>\
         </label></p>\
         <p><label>Telefon komórkowy <input type=\"tel\" name=\"phone\" id=\"phone\" \
         value=\"{}\" placeholder=\"512 345 678\"{}></label> <small>9 cyfr, \
         opcjonalnie z +48; numer komórkowy zaczyna się od 4–8</small></p>\
         <p><label>Hasło certyfikatu <input type=\"password\" name=\"password\" id=\"password\" \
         autocomplete=\"new-password\"{}></label></p>\
         <p><label>Powtórz hasło <input type=\"password\" name=\"password2\" id=\"password2\" \
         autocomplete=\"new-password\"{}></label></p>\
         <div id=\"password-rules\"><p>Hasło musi mieć co najmniej {MIN_PASSWORD_CHARS} znaki. \
         Silne hasło ma też:</p><ul><li id=\"hint-lower\">małe litery</li>\
         <li id=\"hint-upper\">wielkie litery</li><li id=\"hint-digit\">cyfry</li>\
         <li id=\"hint-special\">znaki specjalne (np. ! @ # %)</li></ul>\
         <p>Tym hasłem pobierzesz plik i będziesz podpisywać dokumenty — zapamiętaj je; ZUS \
         go nie przechowuje.</p></div>\
         <p id=\"capslock-reminder\">Wielkość liter ma znaczenie: sprawdź, czy nie jest \
         włączony Caps Lock.</p>\
         <p id=\"capslock-on\" hidden><strong>Caps Lock jest włączony.</strong></p>\
         <button id=\"apply\" type=\"submit\">Złóż wniosek</button></form>\
         <script>\
         for (const id of ['password', 'password2']) {{\
           document.getElementById(id).addEventListener('keyup', function (e) {{\
             document.getElementById('capslock-on').hidden = \
               !(e.getModifierState && e.getModifierState('CapsLock'));\
           }});\
         }}\
         document.getElementById('password').addEventListener('input', function () {{\
           const v = this.value;\
           const has = {{lower: /\\p{{Ll}}/u, upper: /\\p{{Lu}}/u, digit: /[0-9]/, \
             special: /[^\\p{{L}}\\p{{N}}\\s]/u}};\
           for (const k in has) {{\
             document.getElementById('hint-' + k).dataset.met = has[k].test(v) ? 'yes' : 'no';\
           }}\
         }});\
         </script>",
        escape(&typed.email),
        invalid("email"),
        escape(&typed.phone),
        invalid("phone"),
        invalid("password"),
        invalid("password2"),
    )
}

/// An HTML page whose `<main>` carries `id` (stable, for browser tests).
fn page(
    status: u16,
    id: &str,
    title: &str,
    body_html: &str,
    session: Option<&Session>,
) -> SimResponse {
    let who = session
        .map(|s| {
            format!(
                "<span id=\"who\">{} {}</span> <form id=\"logout-form\" method=\"post\" \
                 action=\"/pue/logout\" style=\"display:inline\"><button id=\"logout\" \
                 type=\"submit\">Wyloguj</button></form>",
                escape(&s.given_name),
                escape(&s.family_name)
            )
        })
        .unwrap_or_default();
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"pl\"><head><meta charset=\"utf-8\">\
         <title>{} – PUE ZUS (ezla-sim)</title></head><body>\
         <header><strong>PUE ZUS</strong> <small>symulator ezla-sim (TEST ONLY)</small> {who}\
         </header><main id=\"{id}\"><h1>{}</h1>{body_html}</main></body></html>\n",
        escape(title),
        escape(title)
    );
    SimResponse::new(status, "text/html; charset=utf-8", html)
}
