//! The simulated PUE certificate service over HTTP on loopback, driven as `curl` with a
//! cookie jar would drive it: the login through the simulated login.gov.pl (plain HTML forms),
//! the application and its checks, the certificate issued (opened with ezla and with
//! openssl), the one-time download, the wrong-password lock, renewal and reminders on a
//! moved clock, cancellation onto the CRL (parsed by ezla and by `openssl crl`, and used by
//! `openssl verify -crl_check`), the ZUS channel refusing a cancelled certificate, and the
//! administration commands of `ezla-sim`.

mod common;

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use ezla::pki::crl::{Crl, RevocationReason};
use ezla::pki::{Certificate, Identity, KeyUsage, Pkcs12Options, TrustAnchors, verify_chain};
use ezla::revocation::{CrlSource, RevocationChecker};
use ezla::transport::{TransportConfig, UreqTransport};
use ezla::xades::{self, Profile, SignOptions};
use ezla::zus::documents::Dokument;
use ezla::zus::{Client, ClientConfig, LoginKey};
use ezla_sim::wk::TEST_PASSWORD;
use ezla_sim::{ServeOptions, Simulator};
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};

const DOCTOR_LOGIN: &str = "lekarz.nowak";
const DOCTOR_PESEL: &str = "02271409867";
const NOT_A_DOCTOR: &str = "roch.apitz";
const PASSWORD: &str = "Certyfikat-2026!";

/// An HTTP answer.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

/// A browser as curl with a cookie jar is one: raw HTTP/1.1 over a fresh connection per
/// request, one cookie kept.
struct Browser {
    addr: SocketAddr,
    cookie: Option<String>,
}

impl Browser {
    fn new(sim: &Simulator) -> Browser {
        Browser {
            addr: sim.server.addr(),
            cookie: None,
        }
    }

    fn request(&mut self, method: &str, path: &str, content_type: &str, body: &[u8]) -> Answer {
        let mut stream = TcpStream::connect(self.addr).expect("connect");
        stream
            .set_read_timeout(Some(StdDuration::from_secs(60)))
            .expect("timeout");
        let cookie = self
            .cookie
            .as_ref()
            .map(|c| format!("Cookie: {c}\r\n"))
            .unwrap_or_default();
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n{cookie}\
             Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            self.addr,
            body.len()
        );
        stream.write_all(head.as_bytes()).expect("write");
        stream.write_all(body).expect("write");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("read");
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a head");
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .expect("status");
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        let answer = Answer {
            status,
            headers,
            body: raw[split + 4..].to_vec(),
        };
        if let Some(set) = answer.header("set-cookie") {
            let pair = set.split(';').next().unwrap_or_default().to_owned();
            self.cookie = (!pair.ends_with('=')).then_some(pair);
        }
        answer
    }

    fn get(&mut self, path: &str) -> Answer {
        self.request("GET", path, "text/plain", b"")
    }

    fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.request(
            "POST",
            path,
            "application/x-www-form-urlencoded",
            body.as_bytes(),
        )
    }

    fn post_json(&mut self, path: &str, value: &Value) -> Answer {
        self.request(
            "POST",
            path,
            "application/json",
            &serde_json::to_vec(value).expect("json"),
        )
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

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The value of the attribute `name` in the first tag of `html` from `from`.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = tag[start..].find('"')? + start;
    Some(unescape(&tag[start..end]))
}

/// The `action` of the first form and its inputs that carry a value (hidden fields).
fn form_of(html: &str) -> (String, Vec<(String, String)>) {
    let form_at = html.find("<form").expect("a form");
    let form_tag = &html[form_at..form_at + html[form_at..].find('>').expect("tag end")];
    let action = attribute(form_tag, "action").expect("action");
    let mut fields = Vec::new();
    let mut rest = &html[form_at..];
    while let Some(i) = rest.find("<input") {
        let tag = &rest[i..i + rest[i..].find('>').expect("tag end")];
        if let (Some(name), Some(value)) = (attribute(tag, "name"), attribute(tag, "value")) {
            fields.push((name, value));
        }
        rest = &rest[i + 6..];
    }
    (action, fields)
}

/// The path and query of an absolute URL on the simulator.
fn path_of(url: &str) -> String {
    match url.split_once("://") {
        Some((_, rest)) => rest[rest.find('/').unwrap_or(rest.len())..].to_owned(),
        None => url.to_owned(),
    }
}

fn start(name: &str) -> (Simulator, PathBuf) {
    let dir = common::temp_dir(&format!("pue-{name}"));
    let sim = ezla_sim::serve(&ServeOptions::new(common::loopback(), &dir)).expect("serve");
    (sim, dir)
}

/// The whole login as curl does it: POST /pue/login, the auto-submitting AuthnRequest
/// form, the choice page, the Profil Zaufany form, the auto-submitting artifact form, the
/// ACS; returns the browser with its session cookie.
fn login(sim: &Simulator, who: &str) -> Browser {
    login_keeping_the_artifact(sim, who).0
}

/// [`login`], also returning the fields the ACS was sent (to replay them).
fn login_keeping_the_artifact(sim: &Simulator, who: &str) -> (Browser, Vec<(String, String)>) {
    let mut b = Browser::new(sim);
    let home = b.get("/pue/");
    assert_eq!(home.status, 200);
    assert!(home.text().contains("id=\"login\""), "{}", home.text());
    let start = b.post_form("/pue/login", &[]);
    assert_eq!(start.status, 200, "{}", start.text());
    let (sso, fields) = form_of(&start.text());
    assert!(sso.ends_with("/login/SingleSignOnService"), "{sso}");
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert!(fields.iter().any(|(k, _)| *k == "SAMLRequest"));
    let choice = b.post_form(&path_of(&sso), &fields);
    assert_eq!(choice.status, 200, "{}", choice.text());
    let text = choice.text();
    let at = text
        .find("id=\"method-pz\"")
        .expect("the Profil Zaufany link");
    let href = attribute(&text[at - 3..], "href").expect("href");
    let method = b.get(&href);
    assert_eq!(method.status, 200, "{}", method.text());
    let (pz, hidden) = form_of(&method.text());
    let mut fields: Vec<(&str, &str)> = hidden
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    fields.push(("login", who));
    fields.push(("password", TEST_PASSWORD));
    let back = b.post_form(&pz, &fields);
    assert_eq!(back.status, 200, "{}", back.text());
    let (acs, acs_fields) = form_of(&back.text());
    assert_eq!(path_of(&acs), "/pue/acs");
    let fields: Vec<(&str, &str)> = acs_fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let landed = b.post_form(&path_of(&acs), &fields);
    assert_eq!(landed.status, 303, "{}", landed.text());
    assert_eq!(landed.header("location"), Some("/pue/certyfikaty"));
    let cookie = landed.header("set-cookie").expect("a session cookie");
    assert!(cookie.starts_with("pue_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    (b, acs_fields)
}

fn apply(b: &mut Browser, password: &str) -> Answer {
    b.post_json(
        "/pue/api/certificates",
        &json!({
            "email": "anna.nowak@example.pl",
            "phone": "+48 512 345 678",
            "password": password,
            "password2": password,
        }),
    )
}

fn applied(b: &mut Browser) -> String {
    let a = apply(b, PASSWORD);
    assert_eq!(a.status, 201, "{}", a.text());
    let a = a.json();
    assert_eq!(a["password_hints"], json!([]), "a strong password: {a}");
    assert_eq!(a["status"], "waiting");
    a["serial"].as_str().expect("serial").to_owned()
}

fn outbox(b: &mut Browser) -> Vec<Value> {
    let a = b.get("/pue/admin/outbox");
    assert_eq!(a.status, 200);
    a.json().as_array().expect("array").clone()
}

fn set_clock(b: &mut Browser, at: OffsetDateTime) {
    let a = b.post_json(
        "/pue/admin/clock",
        &json!({ "at": ezla::xml::datetime::format(at) }),
    );
    assert_eq!(a.status, 200, "{}", a.text());
}

fn not_after(b: &mut Browser, serial: &str) -> OffsetDateTime {
    let list = b.get("/pue/api/certificates").json();
    let c = list["certificates"]
        .as_array()
        .expect("certificates")
        .iter()
        .find(|c| c["serial"] == serial)
        .expect("the certificate")
        .clone();
    ezla::xml::datetime::parse(c["not_after"].as_str().expect("not_after")).expect("time")
}

fn sim_bin() -> &'static str {
    env!("CARGO_BIN_EXE_ezla-sim")
}

fn run(args: &[&str]) -> std::process::Output {
    Command::new(sim_bin())
        .args(args)
        .output()
        .expect("ezla-sim")
}

fn openssl(args: &[&str]) -> std::process::Output {
    Command::new("openssl")
        .args(args)
        .output()
        .expect("openssl")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

#[test]
fn a_doctor_logs_in_through_login_gov_pl_as_curl_would() {
    let (sim, _dir) = start("login");
    let (mut b, acs_fields) = login_keeping_the_artifact(&sim, DOCTOR_LOGIN);
    let me = b.get("/pue/api/me");
    assert_eq!(me.status, 200);
    let me = me.json();
    assert_eq!(me["pesel"], DOCTOR_PESEL);
    assert_eq!(me["doctor"], true);
    assert_eq!(me["npwz"], "5425740");
    assert_eq!(me["given_name"], "Anna");
    let page = b.get("/pue/certyfikaty");
    assert_eq!(page.status, 200, "{}", page.text());
    let text = page.text();
    for id in [
        "id=\"apply\"",
        "name=\"email\"",
        "name=\"phone\"",
        "name=\"password\"",
        "name=\"password2\"",
        "id=\"capslock-reminder\"",
        "getModifierState('CapsLock')",
        "id=\"no-certificates\"",
    ] {
        assert!(text.contains(id), "{id} missing: {text}");
    }
    // Without the cookie nobody is logged in; a forged one opens nothing.
    let mut stranger = Browser::new(&sim);
    assert_eq!(stranger.get("/pue/api/me").status, 401);
    assert_eq!(stranger.get("/pue/certyfikaty").status, 401);
    stranger.cookie = Some("pue_session=00".into());
    assert_eq!(stranger.get("/pue/api/certificates").status, 401);
    // The artifact replayed at the ACS opens no second session: ezla's SP refuses it.
    let mut replayer = Browser::new(&sim);
    let fields: Vec<(&str, &str)> = acs_fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let replayed = replayer.post_form("/pue/acs", &fields);
    assert_eq!(replayed.status, 401, "{}", replayed.text());
    assert!(replayed.text().contains("id=\"error-login\""));
    assert!(replayer.cookie.is_none());
    let logout = b.post_form("/pue/logout", &[]);
    assert_eq!(logout.status, 200);
    assert!(b.cookie.is_none());
    assert_eq!(b.get("/pue/api/me").status, 401);
}

#[test]
fn a_person_who_is_not_a_doctor_is_told_why() {
    let (sim, _dir) = start("not-doctor");
    let mut b = login(&sim, NOT_A_DOCTOR);
    let me = b.get("/pue/api/me").json();
    assert_eq!(me["pesel"], "87022243734");
    assert_eq!(me["doctor"], false);
    let page = b.get("/pue/certyfikaty");
    assert_eq!(page.status, 403);
    let text = page.text();
    assert!(text.contains("id=\"not-doctor\""), "{text}");
    assert!(
        text.contains("87022243734") && text.contains("lekarz"),
        "{text}"
    );
    assert!(!text.contains("id=\"apply\""));
    assert_eq!(b.get("/pue/api/certificates").status, 403);
    assert_eq!(apply(&mut b, PASSWORD).status, 403);
    assert!(outbox(&mut b).is_empty());
}

#[test]
fn the_application_reports_every_problem_at_once_and_keeps_what_was_typed() {
    let (sim, _dir) = start("apply-checks");
    let mut b = login(&sim, DOCTOR_LOGIN);
    let page = b.post_form(
        "/pue/certyfikaty",
        &[
            ("email", "anna.nowak(at)example.pl"),
            ("phone", "22 123 45 67"),
            ("password", "Ab1"),
            ("password2", "Ab2"),
        ],
    );
    assert_eq!(page.status, 400);
    let text = page.text();
    for id in [
        "error-email",
        "error-phone",
        "error-password",
        "error-password2",
    ] {
        assert!(text.contains(&format!("id=\"{id}\"")), "{id}: {text}");
    }
    assert!(
        text.contains("stacjonarny"),
        "the landline is explained: {text}"
    );
    assert!(text.contains("co najmniej 4 znaki"), "{text}");
    // What was typed is kept, except the passwords.
    assert!(
        text.contains("value=\"anna.nowak(at)example.pl\""),
        "{text}"
    );
    assert!(text.contains("value=\"22 123 45 67\""), "{text}");
    assert!(!text.contains("Ab1") && !text.contains("Ab2"), "{text}");
    // The same checks over JSON, one field at a time.
    let cases: [(&str, &str, &str, &str, &str); 5] = [
        ("email", "anna@", "512345678", "abcd", "abcd"),
        ("phone", "a@b.pl", "51234567", "abcd", "abcd"),
        ("phone", "a@b.pl", "912345678", "abcd", "abcd"),
        ("password", "a@b.pl", "512345678", "abc", "abc"),
        ("password2", "a@b.pl", "512345678", "abcd", ""),
    ];
    for (field, email, phone, password, password2) in cases {
        let a = b.post_json(
            "/pue/api/certificates",
            &json!({ "email": email, "phone": phone, "password": password, "password2": password2 }),
        );
        assert_eq!(a.status, 400, "{field}: {}", a.text());
        let errors = a.json()["errors"].as_array().expect("errors").clone();
        let fields: Vec<&str> = errors.iter().filter_map(|e| e["field"].as_str()).collect();
        assert_eq!(fields, [field], "{}", a.text());
    }
    // Nothing was issued or sent.
    assert!(
        b.get("/pue/api/certificates").json()["certificates"]
            .as_array()
            .expect("list")
            .is_empty()
    );
    assert!(outbox(&mut b).is_empty());
    // A four-character password is enough (ZUS's minimum); the page then says it is issued.
    let ok = b.post_form(
        "/pue/certyfikaty",
        &[
            ("email", "anna.nowak@example.pl"),
            ("phone", "512345678"),
            ("password", "abcd"),
            ("password2", "abcd"),
        ],
    );
    assert_eq!(ok.status, 200, "{}", ok.text());
    let text = ok.text();
    assert!(text.contains("id=\"issued\""), "{text}");
    assert!(text.contains("id=\"download-"), "{text}");
    assert!(text.contains("id=\"renewal-refused\""), "{text}");
}

#[test]
fn the_certificate_is_issued_like_zus_and_downloads_exactly_once() {
    let (sim, dir) = start("issue");
    let mut b = login(&sim, DOCTOR_LOGIN);
    let serial = applied(&mut b);
    // The notifications: an e-mail and an SMS to what the application gave.
    let sent = outbox(&mut b);
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert_eq!(sent[0]["channel"], "email");
    assert_eq!(sent[0]["recipient"], "anna.nowak@example.pl");
    assert_eq!(sent[1]["channel"], "sms");
    assert_eq!(sent[1]["recipient"], "+48512345678");
    for n in &sent {
        assert_eq!(n["kind"], "issued");
        assert_eq!(n["serial"], serial.as_str());
        assert_eq!(n["pesel"], DOCTOR_PESEL);
    }
    // A wrong password is refused and counted; the right one gives the file, once.
    let path = format!("/pue/certyfikaty/{serial}/pobierz");
    let wrong = b.post_form(&path, &[("password", "wrong")]);
    assert_eq!(wrong.status, 403);
    assert!(wrong.text().contains("id=\"wrong-password\""));
    assert!(
        wrong.text().contains("Pozostało prób: 4"),
        "{}",
        wrong.text()
    );
    let got = b.post_form(&path, &[("password", PASSWORD)]);
    assert_eq!(got.status, 200, "{}", got.text());
    assert_eq!(got.header("content-type"), Some("application/x-pkcs12"));
    let disposition = got.header("content-disposition").expect("disposition");
    assert!(
        disposition.starts_with("attachment; filename=") && disposition.contains(".pfx"),
        "{disposition}"
    );
    let pfx = got.body.clone();
    let again = b.post_form(&path, &[("password", PASSWORD)]);
    assert_eq!(again.status, 410);
    let text = again.text();
    assert!(text.contains("id=\"already-downloaded\""), "{text}");
    let downloaded_at = b.get("/pue/api/certificates").json()["certificates"][0]["downloaded_at"]
        .as_str()
        .expect("downloaded_at")
        .to_owned();
    assert!(text.contains(&downloaded_at), "names the time: {text}");
    let api_again = b.post_json(
        &format!("/pue/api/certificates/{serial}/download"),
        &json!({ "password": PASSWORD }),
    );
    assert_eq!(api_again.status, 410);
    assert_eq!(api_again.json()["code"], "already-downloaded");
    // The key material is gone from the simulator.
    assert_eq!(
        sim.pue
            .service()
            .store()
            .waiting_pfx(&serial)
            .expect("store"),
        None
    );

    // The file, opened by ezla with the application password.
    let id = Identity::from_pkcs12(&pfx, Some(PASSWORD), &Pkcs12Options::default()).expect("pfx");
    let cert = &id.certificate;
    assert_eq!(cert.serial_hex(), serial);
    assert_eq!(
        cert.subject().serial_number(),
        Some(format!("PNOPL-{DOCTOR_PESEL}").as_str())
    );
    assert_eq!(cert.subject().common_name(), Some("Anna Nowak"));
    assert_eq!(
        id.certificate.public_key().kind(),
        ezla::crypto::KeyKind::Rsa { bits: 2048 }
    );
    let years = cert.not_after() - cert.not_before();
    assert!(
        (Duration::days(1826)..=Duration::days(1827)).contains(&years),
        "five years: {years}"
    );
    let ku = cert.key_usage().expect("key usage");
    assert!(ku.contains(KeyUsage::DIGITAL_SIGNATURE) && ku.contains(KeyUsage::NON_REPUDIATION));
    assert!(!ku.contains(KeyUsage::KEY_CERT_SIGN));
    assert_eq!(
        cert.crl_distribution_points(),
        [format!("{}/pue/crl", sim.wk_base_url)]
    );
    let anchors = TrustAnchors::new([sim.zus.ca().certificate().clone()]);
    verify_chain(cert, &id.chain, &anchors, OffsetDateTime::now_utc()).expect("chains to the CA");

    // And by openssl, the independent tool.
    if common::have_tool("openssl") {
        let file = write(&dir, "doctor.pfx", &pfx);
        let ca = dir.join("ca").join("ca.crt");
        let out = openssl(&[
            "pkcs12",
            "-in",
            file.to_str().expect("path"),
            "-passin",
            &format!("pass:{PASSWORD}"),
            "-clcerts",
            "-nokeys",
            "-out",
            dir.join("doctor.pem").to_str().expect("path"),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let out = openssl(&[
            "x509",
            "-in",
            dir.join("doctor.pem").to_str().expect("path"),
            "-noout",
            "-text",
        ]);
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(text.contains(&format!("PNOPL-{DOCTOR_PESEL}")), "{text}");
        assert!(
            text.contains("Digital Signature, Non Repudiation"),
            "{text}"
        );
        assert!(
            text.contains(&format!("URI:{}/pue/crl", sim.wk_base_url)),
            "{text}"
        );
        let out = openssl(&[
            "verify",
            "-CAfile",
            ca.to_str().expect("path"),
            dir.join("doctor.pem").to_str().expect("path"),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        let bad = openssl(&[
            "pkcs12",
            "-in",
            file.to_str().expect("path"),
            "-passin",
            "pass:wrong",
            "-nokeys",
        ]);
        assert!(!bad.status.success(), "the password protects the file");
    }
}

#[test]
fn five_wrong_passwords_lock_the_download_and_a_new_application_is_needed() {
    let (sim, _dir) = start("lock");
    let mut b = login(&sim, DOCTOR_LOGIN);
    let serial = applied(&mut b);
    let path = format!("/pue/api/certificates/{serial}/download");
    for remaining in (1..=4).rev() {
        let a = b.post_json(&path, &json!({ "password": "Certyfikat-2026?" }));
        assert_eq!(a.status, 403, "{}", a.text());
        assert_eq!(a.json()["attempts_left"], remaining);
    }
    let page = b.get("/pue/certyfikaty").text();
    assert!(page.contains("pozostało prób hasła: 1"), "{page}");
    let fifth = b.post_json(&path, &json!({ "password": "certyfikat-2026!" }));
    assert_eq!(fifth.status, 423, "{}", fifth.text());
    let why = fifth.json()["error"].as_str().expect("error").to_owned();
    assert!(why.contains("nowy wniosek"), "{why}");
    // Locked for good: even the right password no longer opens anything.
    let right = b.post_json(&path, &json!({ "password": PASSWORD }));
    assert_eq!(right.status, 423);
    assert_eq!(
        sim.pue
            .service()
            .store()
            .waiting_pfx(&serial)
            .expect("store"),
        None
    );
    let list = b.get("/pue/api/certificates").json();
    assert_eq!(list["certificates"][0]["status"], "locked");
    assert_eq!(list["can_apply"], true);
    // The certificate is on the CRL (its key never left ZUS, and is destroyed).
    let crl = Crl::from_der(&b.get("/pue/crl").body).expect("crl");
    let serial_bytes = Certificate::from_der(
        &sim.zus
            .state()
            .issued_certificate(&serial)
            .expect("state")
            .expect("recorded")
            .der,
    )
    .expect("cert")
    .serial_bytes()
    .to_vec();
    assert_eq!(
        crl.find(&serial_bytes).expect("listed").reason,
        Some(RevocationReason::CessationOfOperation)
    );
    let kinds: Vec<String> = outbox(&mut b)
        .iter()
        .map(|n| n["kind"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(kinds, ["issued", "issued", "locked", "locked"]);
    // A new application is accepted and downloads with its password.
    let second = applied(&mut b);
    assert_ne!(second, serial);
    let got = b.post_json(
        &format!("/pue/api/certificates/{second}/download"),
        &json!({ "password": PASSWORD }),
    );
    assert_eq!(got.status, 200, "{}", got.text());
    assert_eq!(got.header("content-type"), Some("application/x-pkcs12"));
}

#[test]
fn renewal_is_refused_at_29_days_left_and_accepted_at_28() {
    let (sim, _dir) = start("renewal");
    let mut b = login(&sim, DOCTOR_LOGIN);
    let first = applied(&mut b);
    let expiry = not_after(&mut b, &first);
    // Right after issuance, and with 29 days left: refused, naming the day.
    let early = apply(&mut b, PASSWORD);
    assert_eq!(early.status, 409, "{}", early.text());
    set_clock(&mut b, expiry - Duration::days(29));
    let early = apply(&mut b, PASSWORD);
    assert_eq!(early.status, 409, "{}", early.text());
    let from = ezla::xml::datetime::format(expiry - Duration::days(28));
    assert_eq!(early.json()["apply_from"], from.as_str());
    let page = b.get("/pue/certyfikaty").text();
    assert!(
        page.contains("id=\"renewal-refused\"") && page.contains(&from),
        "{page}"
    );
    assert!(!page.contains("id=\"apply\""), "{page}");
    // With 28 days left: accepted.
    set_clock(&mut b, expiry - Duration::days(28));
    let list = b.get("/pue/api/certificates").json();
    assert_eq!(list["can_apply"], true, "{list}");
    // A weak (but long enough) password is accepted, with the guide's hints as advice.
    let accepted = apply(&mut b, "abcd");
    assert_eq!(accepted.status, 201, "{}", accepted.text());
    let accepted = accepted.json();
    assert_eq!(
        accepted["password_hints"].as_array().map(Vec::len),
        Some(3),
        "{accepted}"
    );
    let second = accepted["serial"].as_str().expect("serial").to_owned();
    assert_ne!(second, first);
    let renewed = not_after(&mut b, &second);
    assert!(renewed > expiry + Duration::days(365 * 4), "{renewed}");
    // The renewed doctor has a current certificate again: the next one waits.
    assert_eq!(apply(&mut b, PASSWORD).status, 409);
}

#[test]
fn the_reminder_is_sent_once_from_14_days_before_expiry_even_when_the_cli_moves_the_clock() {
    let (sim, dir) = start("reminder");
    let mut b = login(&sim, DOCTOR_LOGIN);
    let serial = applied(&mut b);
    let expiry = not_after(&mut b, &serial);
    let reminders = |b: &mut Browser| -> Vec<Value> {
        outbox(b)
            .into_iter()
            .filter(|n| n["kind"] == "reminder")
            .collect()
    };
    set_clock(&mut b, expiry - Duration::days(15));
    assert!(reminders(&mut b).is_empty());
    // The clock moved by the command, from another process: the running server sees it on
    // the next request and sends the reminder.
    let at = ezla::xml::datetime::format(expiry - Duration::days(14) + Duration::hours(1));
    let out = run(&["clock", "set", "--state", dir.to_str().expect("dir"), &at]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let clock = b.get("/pue/admin/clock").json();
    let now = ezla::xml::datetime::parse(clock["now"].as_str().expect("now")).expect("time");
    let target = ezla::xml::datetime::parse(&at).expect("time");
    assert!(
        (now - target).abs() < Duration::seconds(30),
        "{now} vs {at}"
    );
    let sent = reminders(&mut b);
    assert_eq!(sent.len(), 2, "{sent:?}");
    let channels: Vec<&str> = sent.iter().filter_map(|n| n["channel"].as_str()).collect();
    assert_eq!(channels, ["email", "sms"]);
    assert!(sent.iter().all(|n| n["serial"] == serial.as_str()));
    assert!(
        sent[0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("wygasa"),
        "{sent:?}"
    );
    // Once per certificate, however often asked and however far the clock moves.
    b.get("/pue/certyfikaty");
    set_clock(&mut b, expiry - Duration::days(3));
    b.get("/pue/api/certificates");
    assert_eq!(reminders(&mut b).len(), 2);
    // `ezla-sim outbox` prints them too.
    let out = run(&["outbox", "--state", dir.to_str().expect("dir")]);
    assert!(out.status.success());
    let printed = String::from_utf8_lossy(&out.stdout);
    assert_eq!(printed.matches("\treminder\t").count(), 2, "{printed}");
}

#[test]
fn a_cancelled_certificate_is_on_the_crl_at_once_and_zus_refuses_it() {
    let (sim, dir) = start("cancel");
    let mut b = login(&sim, DOCTOR_LOGIN);
    let serial = applied(&mut b);
    let got = b.post_json(
        &format!("/pue/api/certificates/{serial}/download"),
        &json!({ "password": PASSWORD }),
    );
    assert_eq!(got.status, 200);
    let doctor =
        Identity::from_pkcs12(&got.body, Some(PASSWORD), &Pkcs12Options::default()).expect("pfx");
    let ca = sim.zus.ca().certificate().clone();

    // Before: the CRL lists nothing, and openssl accepts the certificate with it.
    let before = Crl::from_der(&b.get("/pue/crl").body).expect("crl");
    assert!(before.entries().is_empty());
    let have_openssl = common::have_tool("openssl");
    let cert_pem = write(&dir, "doctor.pem", doctor.certificate.to_pem().as_bytes());
    let ca_pem = dir.join("ca").join("ca.crt");
    let verify_with = |crl: &Crl, name: &str| {
        let crl_pem = write(&dir, name, crl.to_pem().as_bytes());
        openssl(&[
            "verify",
            "-crl_check",
            "-CAfile",
            ca_pem.to_str().expect("path"),
            "-CRLfile",
            crl_pem.to_str().expect("path"),
            cert_pem.to_str().expect("path"),
        ])
    };
    if have_openssl {
        let out = verify_with(&before, "before.pem");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }

    // ezla's own verifier, fetching the CRL from the certificate's distribution point (the
    // simulator's /pue/crl): a document signed now verifies, and the report names the CRL.
    let document = xades::sign_with_identity(
        b"<Dokument><Tresc>przed anulowaniem</Tresc></Dokument>",
        &doctor,
        &SignOptions::profile(Profile::Zus),
    )
    .expect("sign");
    let checking = || {
        let fetcher = common::transport(TransportConfig::builder());
        xades::VerifyOptions::default()
            .with_trust(Arc::new(TrustAnchors::new([ca.clone()])))
            .with_revocation(Arc::new(
                RevocationChecker::new().with_fetching(Arc::new(fetcher)),
            ))
    };
    let report = xades::verify(&document, &checking()).expect("good before the cancellation");
    let revocation = report.revocation.expect("checked");
    assert_eq!(
        revocation.source,
        CrlSource::Fetched(format!("{}/pue/crl", sim.wk_base_url))
    );

    // The ZUS channel: a login with the certificate works, and keeps its session.
    let tls_free = TransportConfig::builder()
        .basic_auth("ezla_ag", "ezla_ag")
        .build()
        .expect("transport");
    let zus = Client::new(
        Arc::new(UreqTransport::new(tls_free).expect("transport")),
        ClientConfig::new(sim.zus_url.clone()),
    );
    zus.login(LoginKey::from_identity(doctor.clone()))
        .expect("a valid certificate logs in");

    // Cancelled on the page, for a compromised key.
    let cancelled = b.post_form(
        &format!("/pue/certyfikaty/{serial}/anuluj"),
        &[("reason", "keyCompromise")],
    );
    assert_eq!(cancelled.status, 200, "{}", cancelled.text());
    let text = cancelled.text();
    assert!(
        text.contains("id=\"cancelled\"") && text.contains("keyCompromise"),
        "{text}"
    );
    let revoked_at = sim
        .zus
        .state()
        .issued_certificate(&serial)
        .expect("state")
        .expect("recorded")
        .revocation
        .expect("revoked")
        .at;
    let twice = b.post_json(
        &format!("/pue/api/certificates/{serial}/cancel"),
        &json!({ "reason": "superseded" }),
    );
    assert_eq!(twice.status, 409);

    // On the CRL at once, with its reason and time: fresh, signed by the CA, numbered up.
    let served = b.get("/pue/crl");
    assert_eq!(served.status, 200);
    assert_eq!(served.header("content-type"), Some("application/pkix-crl"));
    let crl = Crl::from_der(&served.body).expect("crl");
    crl.check_issued_by(&ca).expect("signed by the sim CA");
    let now = sim.zus.state().now();
    assert!((crl.this_update() - now).abs() < Duration::minutes(1));
    assert_eq!(
        crl.next_update(),
        Some(crl.this_update() + Duration::days(1))
    );
    assert!(crl.number() > before.number(), "the CRL number increases");
    let entry = crl.entry_for(&doctor.certificate).expect("listed");
    assert_eq!(entry.reason, Some(RevocationReason::KeyCompromise));
    assert_eq!(entry.revoked_at, revoked_at);
    assert_eq!(crl.entries().len(), 1);
    if have_openssl {
        let der = write(&dir, "now.crl", &served.body);
        let out = openssl(&[
            "crl",
            "-inform",
            "DER",
            "-in",
            der.to_str().expect("p"),
            "-text",
            "-noout",
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(text.contains(&format!("Serial Number: {serial}")), "{text}");
        assert!(text.contains("Key Compromise"), "{text}");
        assert!(text.contains("X509v3 CRL Number"), "{text}");
        let out = verify_with(&crl, "after.pem");
        assert!(
            !out.status.success(),
            "openssl must refuse the revoked certificate"
        );
        let said = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(said.contains("certificate revoked"), "{said}");
    }

    // ezla's verifier, fetching afresh, now refuses the same document: revoked, with the
    // time and reason from the simulator's CRL.
    let refused = xades::verify(&document, &checking()).expect_err("revoked");
    assert_eq!(
        refused.code(),
        ezla::ErrorCode::CertificateRevoked,
        "{refused}"
    );
    assert!(refused.to_string().contains("keyCompromise"), "{refused}");

    // The ZUS channel refuses a document signed with it in the open session...
    let signed = xades::sign_with_identity(
        b"<Dokument><Tresc>test</Tresc></Dokument>",
        &doctor,
        &SignOptions::profile(Profile::Zus),
    )
    .expect("sign");
    let refused = zus
        .validate(&[Dokument::new(
            "1",
            String::from_utf8(signed).expect("utf-8"),
        )])
        .expect_err("ZUS refuses the document");
    assert_eq!(refused.code(), ezla::ErrorCode::ZusValidationRefused);
    let ezla::Error::Zus(ezla::error::ZusError::ValidationRefused { bledy, .. }) = &refused else {
        panic!("{refused:?}");
    };
    let refusal = bledy
        .iter()
        .find(|b| b.kod_bledu == "212")
        .unwrap_or_else(|| panic!("no 212 in {bledy:?}"));
    assert!(refusal.opis_bledu.contains("keyCompromise"), "{refusal:?}");
    assert!(
        refusal
            .opis_bledu
            .contains(&ezla::xml::datetime::format(revoked_at)),
        "{refusal:?}"
    );
    // ...and a new login with it.
    let refused = zus
        .login(LoginKey::from_identity(doctor.clone()))
        .expect_err("a cancelled certificate cannot log in");
    let said = refused.to_string();
    assert!(
        said.contains("110") || said.contains("unieważniony"),
        "{said}"
    );
    assert!(said.contains("keyCompromise"), "{said}");
    // Only from the revocation time: with the clock before it, the login works again.
    // (Ten seconds before it: after the certificate's start, which is a minute before its
    // issuance.)
    set_clock(&mut b, revoked_at - Duration::seconds(10));
    zus.login(LoginKey::from_identity(doctor.clone()))
        .expect("before the revocation the certificate was good");
}

#[test]
fn the_cli_cancels_writes_the_crl_and_refuses_what_it_cannot_do() {
    let (sim, dir) = start("cli");
    let state = dir.to_str().expect("dir").to_owned();
    let mut b = login(&sim, DOCTOR_LOGIN);
    let serial = applied(&mut b);
    let lower = serial.to_ascii_lowercase();
    let out = run(&["cert", "list", "--state", &state]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("{serial}\t{DOCTOR_PESEL}")));
    for (reason, why) in [("bogus", "--reason"), ("7", "--reason")] {
        let out = run(&[
            "cert", "cancel", "--state", &state, "--serial", &serial, "--reason", reason,
        ]);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains(why));
    }
    let out = run(&[
        "cert", "cancel", "--state", &state, "--serial", "ABCDEF", "--reason", "1",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no certificate with serial ABCDEF"));
    // Cancelled by its code, the serial in any case: the running server's CRL lists it.
    let out = run(&[
        "cert", "cancel", "--state", &state, "--serial", &lower, "--reason", "3",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("affiliationChanged"));
    let list = b.get("/pue/api/certificates").json();
    assert_eq!(list["certificates"][0]["status"], "cancelled");
    assert_eq!(list["certificates"][0]["reason"], "affiliationChanged");
    let out = run(&[
        "cert", "cancel", "--state", &state, "--serial", &serial, "--reason", "1",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already cancelled"));
    // `ezla-sim crl` writes the same list, signed.
    let file = dir.join("cli.crl");
    let out = run(&["crl", "--state", &state, "-o", file.to_str().expect("path")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let crl = Crl::from_der(&std::fs::read(&file).expect("crl")).expect("parse");
    crl.check_issued_by(sim.zus.ca().certificate())
        .expect("signed");
    assert_eq!(crl.entries().len(), 1);
    assert_eq!(crl.entries()[0].serial_hex(), serial);
    assert_eq!(
        crl.entries()[0].reason,
        Some(RevocationReason::AffiliationChanged)
    );
    if common::have_tool("openssl") {
        let out = openssl(&[
            "crl",
            "-inform",
            "DER",
            "-in",
            file.to_str().expect("p"),
            "-noout",
            "-text",
        ]);
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(text.contains("Affiliation Changed"), "{text}");
    }
    // The outbox got the cancellation; `clock show` prints the clock; a state directory
    // that is not one is refused.
    let out = run(&["outbox", "--state", &state, "--json"]);
    let printed: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(
        printed
            .as_array()
            .expect("array")
            .iter()
            .any(|n| n["kind"] == "cancelled" && n["channel"] == "sms")
    );
    let out = run(&["clock", "show", "--state", &state]);
    assert!(out.status.success());
    let out = run(&["clock", "set", "--state", &state, "yesterday"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("RFC 3339"));
    let empty = common::temp_dir("pue-cli-empty");
    let out = run(&["crl", "--state", empty.to_str().expect("p"), "-o", "x.crl"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no simulator state"));
}
