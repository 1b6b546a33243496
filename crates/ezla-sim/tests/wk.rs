//! The simulated login.gov.pl over HTTP on loopback, driven by `ezla::wk::ServiceProvider`:
//! the browser steps (form POSTs, the method pages, the ACS form), artifact resolution,
//! logout, the refusals, every misbehaviour of the attack catalogue, the structure of the
//! simulator's ArtifactResponse against a genuine capture, and its signatures checked by
//! xmlsec1.

mod common;

use std::io::{Read as _, Write as _};
use std::sync::Arc;

use ezla::ErrorCode;
use ezla::crypto::{KeySpec, PrivateKey};
use ezla::pki::Certificate;
use ezla::pki::testca::TestCa;
use ezla::transport::{Request, Transport, UreqTransport};
use ezla::wk::emulate::attacks::{CaseInput, Misbehaviour, Verdict, catalogue};
use ezla::wk::{
    Config, Endpoints, Environment, MemoryPendingStore, MemoryReplayStore, ServiceProvider, SpKeys,
};
use ezla_sim::wk::{RegisteredSp, Repeat, SIM_ISSUER, TEST_PASSWORD, form};
use ezla_sim::{ServeOptions, Simulator};
use time::OffsetDateTime;
use time::macros::datetime;

const ACS: &str = "https://sp.localhost/acs";

fn keypair(name: &str) -> (PrivateKey, Certificate) {
    let ca = TestCa::generate_with(KeySpec::EcP256, name, datetime!(2025-01-01 0:00 UTC), 3650)
        .expect("ca");
    (ca.key().clone(), ca.certificate().clone())
}

struct Rig {
    sim: Simulator,
    config: Config,
    sp: ServiceProvider,
    http: Arc<UreqTransport>,
}

fn sp_config(sim: &Simulator, entity_id: &str) -> Config {
    let (sig, sig_cert) = keypair("sp sig");
    let (enc, enc_cert) = keypair("sp enc");
    let keys = SpKeys::new(Arc::new(sig), sig_cert, Arc::new(enc), enc_cert).expect("keys");
    let mut config = Config::new(
        Environment::Simulator,
        entity_id,
        ACS,
        keys,
        vec![sim.wk.certificate().clone()],
    );
    config.endpoints = Endpoints::for_base(&sim.wk_base_url, SIM_ISSUER);
    config
}

fn provider(config: &Config, http: &Arc<UreqTransport>) -> ServiceProvider {
    ServiceProvider::new(
        config.clone(),
        http.clone(),
        Arc::new(MemoryPendingStore::new()),
        Arc::new(MemoryReplayStore::new()),
    )
}

impl Rig {
    fn new(name: &str) -> Rig {
        let dir = common::temp_dir(name);
        let sim = ezla_sim::serve(&ServeOptions::new(common::loopback(), &dir)).expect("serve");
        let config = sp_config(&sim, "https://sp.localhost");
        sim.wk
            .register(RegisteredSp::new(
                config.entity_id.clone(),
                &config.keys.signing_certificate,
                &config.keys.encryption_certificate,
                ACS,
            ))
            .expect("register");
        let http = Arc::new(common::transport(
            ezla::transport::TransportConfig::builder(),
        ));
        let sp = provider(&config, &http);
        Rig {
            sim,
            config,
            sp,
            http,
        }
    }

    fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let response = self
            .http
            .post(&Request::post(
                format!("{}{path}", self.sim.wk_base_url),
                "application/x-www-form-urlencoded",
                body.into_bytes(),
            ))
            .expect("POST");
        (
            response.status,
            String::from_utf8(response.body).expect("utf-8"),
        )
    }

    /// Starts a login at the SSO endpoint with `xml` as the SAMLRequest.
    fn sso(&self, xml: &[u8], relay_state: &str) -> (u16, String) {
        use base64::Engine as _;
        let request = base64::engine::general_purpose::STANDARD.encode(xml);
        self.post_form(
            ezla_sim::wk::SSO_PATH,
            &[("SAMLRequest", &request), ("RelayState", relay_state)],
        )
    }

    /// Logs in with a test identity through the whole browser flow; the artifact and
    /// RelayState of the ACS form.
    fn browser_login(&self, now: OffsetDateTime) -> (String, String) {
        let login = self.sp.login(now).expect("login");
        let (status, page) = self.sso(&login.xml, &login.relay_state);
        assert_eq!(status, 200, "{page}");
        let tx = tx_of(&page);
        let (status, page) = self.post_form("/login/test", &[("tx", &tx), ("user", "anna.nowak")]);
        assert_eq!(status, 200, "{page}");
        acs_fields(&page)
    }
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The login transaction of the method-choice page (from the Profil Zaufany link).
fn tx_of(page: &str) -> String {
    let at = page
        .find("id=\"method-pz\"")
        .expect("the Profil Zaufany link")
        + 10;
    let start = page[at..].find("tx=").expect("tx") + at + 3;
    let end = page[start..].find('&').expect("end") + start;
    page[start..end].to_string()
}

/// The value of `<input ... name="{name}" value="...">`.
fn input_value(page: &str, name: &str) -> String {
    let at = page
        .find(&format!("name=\"{name}\" value=\""))
        .unwrap_or_else(|| panic!("no {name} in {page}"))
        + name.len()
        + 15;
    let end = page[at..].find('"').expect("end") + at;
    page[at..end].replace("&amp;", "&").replace("&#x2B;", "+")
}

/// SAMLart and RelayState of the auto-submitting ACS form.
fn acs_fields(page: &str) -> (String, String) {
    assert!(
        page.contains(&format!("action=\"{ACS}\"")),
        "no form to the ACS: {page}"
    );
    assert!(page.contains("document.forms[0].submit()"));
    (
        input_value(page, "SAMLart"),
        input_value(page, "RelayState"),
    )
}

/// A GET over a plain socket (the method pages are links).
fn get(base: &str, path_and_query: &str) -> (u16, String) {
    let addr = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).expect("connect");
    write!(
        stream,
        "GET {path_and_query} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("write");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    let status = response
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .expect("status");
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn profil_zaufany_login_artifact_identity_and_logout() {
    let rig = Rig::new("wk-flow");
    let now = OffsetDateTime::now_utc();
    let login = rig.sp.login(now).expect("login");
    let (status, page) = rig.sso(&login.xml, &login.relay_state);
    assert_eq!(status, 200, "{page}");
    for id in ["method-pz", "method-edowod", "method-bank", "method-test"] {
        assert!(page.contains(&format!("id=\"{id}\"")), "{id}: {page}");
    }
    let tx = tx_of(&page);
    let (status, method) = get(&rig.sim.wk_base_url, &format!("/login/method?tx={tx}&m=pz"));
    assert_eq!(status, 200, "{method}");
    for needle in ["name=\"login\"", "name=\"password\"", "id=\"submit\""] {
        assert!(method.contains(needle), "{needle}: {method}");
    }
    // The e-mail is accepted in place of the login.
    let (status, page) = rig.post_form(
        "/login/pz",
        &[
            ("tx", &tx),
            ("login", "roch.apitz@example.pl"),
            ("password", TEST_PASSWORD),
        ],
    );
    assert_eq!(status, 200, "{page}");
    let (artifact, relay) = acs_fields(&page);
    assert_eq!(relay, login.relay_state);
    let identity = rig
        .sp
        .handle_artifact(&artifact, &relay, now)
        .expect("identity");
    assert_eq!(identity.pesel.as_str(), "87022243734");
    assert_eq!(identity.given_name, "Roch");
    assert_eq!(identity.family_name, "Apitz");
    assert_eq!(identity.loa, ezla::wk::Loa::Substantial);
    assert_eq!(identity.authenticating_authorities, ["pz.gov.pl"]);

    // The artifact resolves once: a second service-provider process without the shared
    // replay store presents it again and the simulator refuses it.
    let other = provider(&rig.config, &rig.http);
    let second = other.login(now).expect("login");
    let err = other
        .handle_artifact(&artifact, &second.relay_state, now)
        .expect_err("artifact replayed at the IdP");
    assert_eq!(err.code(), ErrorCode::SamlStatus, "{err}");
    assert!(err.to_string().contains("RequestDenied"), "{err}");

    // Logout ends the session; a second logout of it is refused.
    rig.sp.logout(&identity, now).expect("logout");
    let err = rig
        .sp
        .logout(&identity, now)
        .expect_err("already logged out");
    assert_eq!(err.code(), ErrorCode::SamlStatus, "{err}");
    assert!(err.to_string().contains("UnknownPrincipal"), "{err}");
}

#[test]
fn edowod_and_bank_logins() {
    let rig = Rig::new("wk-edo-bank");
    let now = OffsetDateTime::now_utc();
    let login = rig.sp.login(now).expect("login");
    let (_, page) = rig.sso(&login.xml, &login.relay_state);
    let tx = tx_of(&page);
    let (status, method) = get(
        &rig.sim.wk_base_url,
        &format!("/login/method?tx={tx}&m=edowod"),
    );
    assert_eq!(status, 200);
    assert!(method.contains("<svg"), "a QR code: {method}");
    let code_at = method.find("id=\"edo-code\">").expect("code") + 14;
    let code = &method[code_at..code_at + 6];
    let (status, page) = rig.post_form(
        "/login/edowod",
        &[
            ("tx", &tx),
            ("user", "aleksandra.wisniewska"),
            ("code", "000000x"),
        ],
    );
    assert_eq!(status, 401, "wrong code: {page}");
    assert!(page.contains("id=\"error-edo-code\""));
    let (status, page) = rig.post_form(
        "/login/edowod",
        &[
            ("tx", &tx),
            ("user", "aleksandra.wisniewska"),
            ("code", code),
        ],
    );
    assert_eq!(status, 200, "{page}");
    let (artifact, relay) = acs_fields(&page);
    let identity = rig
        .sp
        .handle_artifact(&artifact, &relay, now)
        .expect("identity");
    assert_eq!(identity.pesel.as_str(), "01270421869");
    assert_eq!(identity.family_name, "Wiśniewska");
    assert_eq!(identity.loa, ezla::wk::Loa::High);
    assert_eq!(identity.authenticating_authorities, ["e-dowod"]);

    let login = rig.sp.login(now).expect("login");
    let (_, page) = rig.sso(&login.xml, &login.relay_state);
    let tx = tx_of(&page);
    let (status, page) = rig.post_form(
        "/login/bank",
        &[("tx", &tx), ("bank", "mbank"), ("user", "anna.nowak")],
    );
    assert_eq!(status, 200, "{page}");
    let (artifact, relay) = acs_fields(&page);
    let identity = rig
        .sp
        .handle_artifact(&artifact, &relay, now)
        .expect("identity");
    assert_eq!(identity.pesel.as_str(), "90031512485");
    assert_eq!(identity.authenticating_authorities, ["mbank"]);
}

#[test]
fn wrong_password_and_unconfirmed_profile_pages() {
    let rig = Rig::new("wk-pz-errors");
    let now = OffsetDateTime::now_utc();
    let login = rig.sp.login(now).expect("login");
    let (_, page) = rig.sso(&login.xml, &login.relay_state);
    let tx = tx_of(&page);
    let (status, page) = rig.post_form(
        "/login/pz",
        &[("tx", &tx), ("login", "roch.apitz"), ("password", "wrong")],
    );
    assert_eq!(status, 401);
    assert!(page.contains("id=\"error-password\""), "{page}");
    assert!(page.contains(&format!("tx={tx}")), "a retry link: {page}");
    let (status, page) = rig.post_form(
        "/login/pz",
        &[
            ("tx", &tx),
            ("login", "piotr.zielinski"),
            ("password", TEST_PASSWORD),
        ],
    );
    assert_eq!(status, 403);
    assert!(page.contains("id=\"error-unconfirmed\""), "{page}");
    assert!(!page.contains("SAMLart"));
    // The login is still open: the right password succeeds.
    let (status, page) = rig.post_form(
        "/login/pz",
        &[
            ("tx", &tx),
            ("login", "roch.apitz"),
            ("password", TEST_PASSWORD),
        ],
    );
    assert_eq!(status, 200, "{page}");
    acs_fields(&page);
}

#[test]
fn unsigned_wrongly_signed_and_unknown_requests_are_refused() {
    let rig = Rig::new("wk-refusals");
    let now = OffsetDateTime::now_utc();
    let login = rig.sp.login(now).expect("login");
    let xml = String::from_utf8(login.xml.clone()).expect("utf-8");
    // Unsigned.
    let start = xml.find("<ds:Signature").expect("signature");
    let end = xml.find("</ds:Signature>").expect("end") + "</ds:Signature>".len();
    let unsigned = format!("{}{}", &xml[..start], &xml[end..]);
    let (status, page) = rig.sso(unsigned.as_bytes(), &login.relay_state);
    assert_eq!(status, 403, "{page}");
    assert!(page.contains("id=\"error-signature\""), "{page}");
    // Signed by another key under the registered entity ID.
    let impostor = sp_config(&rig.sim, &rig.config.entity_id);
    let forged = ezla::wk::authn_request::build(&impostor, now).expect("forged");
    let (status, page) = rig.sso(&forged.xml, &forged.relay_state);
    assert_eq!(status, 403, "{page}");
    assert!(page.contains("id=\"error-signature\""), "{page}");
    // Altered after signing (another ACS).
    let altered = xml.replace(ACS, "https://evil.example/acs");
    let (status, page) = rig.sso(altered.as_bytes(), &login.relay_state);
    assert_eq!(status, 403, "{page}");
    assert!(page.contains("id=\"error-signature\""), "{page}");
    // An SP nobody registered.
    let stranger = sp_config(&rig.sim, "https://stranger.example");
    let request = ezla::wk::authn_request::build(&stranger, now).expect("request");
    let (status, page) = rig.sso(&request.xml, &request.relay_state);
    assert_eq!(status, 403, "{page}");
    assert!(page.contains("id=\"error-unknown-sp\""), "{page}");
    // And its ArtifactResolve gets a Fault.
    let resolve = ezla::wk::artifact::build(&stranger, "AAQAAA==", now).expect("resolve");
    let response = rig
        .http
        .post(&resolve.request(&stranger.endpoints.artifact_resolution))
        .expect("post");
    assert_eq!(response.status, 500);
    assert!(String::from_utf8_lossy(&response.body).contains("stranger.example"));
    // A registered SP whose request names another ACS.
    let mut elsewhere = rig.config.clone();
    elsewhere.acs_url = "https://sp.localhost/other-acs".into();
    let request = ezla::wk::authn_request::build(&elsewhere, now).expect("request");
    let (status, page) = rig.sso(&request.xml, &request.relay_state);
    assert_eq!(status, 403, "{page}");
    assert!(page.contains("id=\"error-acs\""), "{page}");
}

/// Each misbehaviour of the catalogue, switched on for the next answer, makes our service
/// provider fail with exactly the catalogue's error; the one after it is genuine again.
#[test]
fn every_misbehaviour_fails_our_sp_with_the_catalogued_error() {
    let rig = Rig::new("wk-misbehave");
    let now = OffsetDateTime::now_utc();
    let mut failures = Vec::new();
    let mut ran = 0;
    for case in catalogue().expect("catalogue") {
        let CaseInput::Emulated(m) = case.input else {
            continue;
        };
        // A genuine login first: it must pass, and gives the replay case its assertion.
        let (artifact, relay) = rig.browser_login(now);
        rig.sp
            .handle_artifact(&artifact, &relay, now)
            .unwrap_or_else(|e| panic!("genuine login before {}: {e}", case.id));
        rig.sim
            .wk
            .misbehave(&rig.config.entity_id, Some(m), Repeat::Next)
            .expect("misbehave");
        let (artifact, relay) = rig.browser_login(now);
        let outcome = rig.sp.handle_artifact(&artifact, &relay, now);
        ran += 1;
        let got = outcome.as_ref().err().map(|e| e.code());
        let fine = match case.verdict {
            Verdict::Ok => outcome.is_ok(),
            Verdict::Ko => got.is_some() && got == case.error,
        };
        if !fine {
            failures.push(format!(
                "{} {m}: expected {:?}, got {:?}",
                case.id,
                case.error.map(|e| e.name()),
                outcome
                    .map(|i| i.pesel.as_str().to_string())
                    .map_err(|e| e.to_string())
            ));
        }
    }
    assert!(ran > 40, "{ran}");
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    // `every` keeps misbehaving until cleared.
    rig.sim
        .wk
        .misbehave(
            &rig.config.entity_id,
            Some(Misbehaviour::AnotherAudience),
            Repeat::Every,
        )
        .expect("misbehave");
    for _ in 0..2 {
        let (artifact, relay) = rig.browser_login(now);
        let err = rig
            .sp
            .handle_artifact(&artifact, &relay, now)
            .expect_err("every");
        assert_eq!(err.code(), ErrorCode::SamlAudienceMismatch);
    }
    rig.sim
        .wk
        .misbehave(&rig.config.entity_id, None, Repeat::Next)
        .expect("clear");
    let (artifact, relay) = rig.browser_login(now);
    rig.sp
        .handle_artifact(&artifact, &relay, now)
        .expect("genuine again");
}

/// The simulator's ArtifactResponse for a login, as sent on the wire.
fn captured_answer(rig: &Rig, now: OffsetDateTime) -> (Vec<u8>, String) {
    let (artifact, _) = rig.browser_login(now);
    let resolve = ezla::wk::artifact::build(&rig.config, &artifact, now).expect("resolve");
    let response = rig
        .http
        .post(&resolve.request(&rig.config.endpoints.artifact_resolution))
        .expect("post");
    assert_eq!(response.status, 200);
    (response.body, resolve.id)
}

/// The attributes the profile puts on each element (wk-saml.md §1.5, §2.2).
const ATTRIBUTES: &[&str] = &[
    "ID",
    "InResponseTo",
    "IssueInstant",
    "Version",
    "Destination",
    "Algorithm",
    "URI",
    "PrefixList",
    "Value",
    "Format",
];

/// The element skeleton of a message: each element's namespace and local name and which of
/// the profile's attributes it carries, in document order, down to the
/// `EncryptedAssertion` (whose inside the decryption tests compare). Prefixes are not
/// compared: login.gov.pl writes `InclusiveNamespaces` with a default namespace, ezla's
/// signer with the `ec` prefix, which canonicalization makes no difference to.
fn skeleton(xml: &str) -> Vec<String> {
    fn walk(e: ezla::xml::Element<'_, '_>, depth: usize, out: &mut Vec<String>) {
        let attributes: Vec<&str> = ATTRIBUTES
            .iter()
            .copied()
            .filter(|a| e.attribute(a).is_some())
            .collect();
        out.push(format!(
            "{}{{{}}}{} {attributes:?}",
            "  ".repeat(depth),
            e.namespace().unwrap_or(""),
            e.local_name()
        ));
        if e.local_name() == "EncryptedAssertion" || e.local_name() == "X509Certificate" {
            return;
        }
        for c in e.children() {
            walk(c, depth + 1, out);
        }
    }
    let doc = ezla::xml::Document::parse(xml).expect("parse");
    let mut out = Vec::new();
    walk(doc.root(), 0, &mut out);
    out
}

#[test]
fn answers_have_the_structure_of_the_genuine_capture_and_verify_with_xmlsec1() {
    let rig = Rig::new("wk-structure");
    let now = OffsetDateTime::now_utc();
    let (body, _) = captured_answer(&rig, now);
    let ours = String::from_utf8(body.clone()).expect("utf-8");
    assert!(!ours.contains(">\n"), "compact, like login.gov.pl");

    if let Some(vectors) = ezla_vectors::vectors_dir() {
        let genuine = std::fs::read_to_string(
            vectors.join("wk/int-pz-2025/artifact-response.soap.compact.xml"),
        )
        .expect("capture");
        let (a, b) = (skeleton(&ours), skeleton(&genuine));
        for (i, (x, y)) in a.iter().zip(&b).enumerate() {
            assert_eq!(x, y, "element {i} differs (ours, genuine)");
        }
        assert_eq!(a.len(), b.len(), "ours {a:#?}\ngenuine {b:#?}");
    }

    if common::have_tool("xmlsec1") {
        let dir = common::temp_dir("wk-xmlsec1");
        let cert = dir.join("idp.crt");
        std::fs::write(&cert, rig.sim.wk.certificate().to_pem()).expect("write");
        // The outer signature (the first in document order) over the whole message.
        let outer = dir.join("artifact-response.xml");
        std::fs::write(&outer, &body).expect("write");
        // The inner one, over the Response taken out as a document of its own (it
        // declares every namespace it uses).
        let start = ours.find("<saml2p:Response ").expect("Response");
        let end = ours.find("</saml2p:Response>").expect("end") + "</saml2p:Response>".len();
        let inner = dir.join("response.xml");
        std::fs::write(&inner, &ours[start..end]).expect("write");
        for file in [&outer, &inner] {
            let out = std::process::Command::new("xmlsec1")
                .arg("--verify")
                .arg("--pubkey-cert-pem")
                .arg(&cert)
                .args([
                    "--id-attr:ID",
                    "urn:oasis:names:tc:SAML:2.0:protocol:ArtifactResponse",
                    "--id-attr:ID",
                    "urn:oasis:names:tc:SAML:2.0:protocol:Response",
                ])
                .arg(file)
                .output()
                .expect("xmlsec1");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.success() && stderr.contains("OK"),
                "xmlsec1 refuses {}: {stderr}",
                file.display()
            );
        }
        // And refuses it with one byte of the signed content changed.
        let tampered = dir.join("tampered.xml");
        std::fs::write(
            &tampered,
            ours.replacen(SIM_ISSUER, "lokalhost.wk.gov.pl", 1),
        )
        .expect("write");
        let out = std::process::Command::new("xmlsec1")
            .arg("--verify")
            .arg("--pubkey-cert-pem")
            .arg(&cert)
            .args([
                "--id-attr:ID",
                "urn:oasis:names:tc:SAML:2.0:protocol:ArtifactResponse",
            ])
            .arg(&tampered)
            .output()
            .expect("xmlsec1");
        assert!(!out.status.success(), "xmlsec1 accepts a tampered answer");
    }
}

#[test]
fn the_qr_code_decodes_with_zbarimg() {
    if !common::have_tool("zbarimg") {
        return;
    }
    let dir = common::temp_dir("wk-qr");
    for text in [
        "edo://login.gov.pl/auth?tx=0123456789abcdef0123456789abcdef".to_string(),
        "hello".to_string(),
        "x".repeat(100),
    ] {
        let m = ezla_sim::wk::qr_matrix(text.as_bytes()).expect("fits");
        // A PBM, 8 pixels a module, 4 modules of quiet zone.
        let scale = 8;
        let size = (m.len() + 8) * scale;
        let mut pbm = format!("P1\n{size} {size}\n");
        for y in 0..size {
            for x in 0..size {
                let (mx, my) = ((x / scale) as isize - 4, (y / scale) as isize - 4);
                let dark = mx >= 0
                    && my >= 0
                    && (my as usize) < m.len()
                    && (mx as usize) < m.len()
                    && m[my as usize][mx as usize];
                pbm.push(if dark { '1' } else { '0' });
                pbm.push(' ');
            }
            pbm.push('\n');
        }
        let file = dir.join("qr.pbm");
        std::fs::write(&file, pbm).expect("write");
        let out = std::process::Command::new("zbarimg")
            .args(["--quiet", "--raw"])
            .arg(&file)
            .output()
            .expect("zbarimg");
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim_end(),
            text,
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn form_decoding() {
    let f = form(b"a=1+2&b=%41%2b%zz&c&a=3");
    assert_eq!(f["a"], "1 2");
    assert_eq!(f["b"], "A+%zz");
    assert_eq!(f["c"], "");
}
