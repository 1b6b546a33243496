//! `ezla verify --crl FILE | --crl-fetch` and `ezla cms verify --crl`: the CRL is made by
//! openssl (`openssl ca -revoke` and `-gencrl` over the test CA), so an independent tool
//! decides what is revoked; `--crl-fetch` fetches it from the distribution point the
//! certificate names (a one-file HTTP server on loopback). Exit statuses: 0 not revoked,
//! 1 revoked, 3 a CRL that cannot be judged (another issuer's, out of date, unreachable),
//! 64 usage (revocation checking without `--trust`).

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Output;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

const PASSWORD: &str = "haslo lekarza";
const ENV: &[(&str, &str)] = &[("EZLA_PFX_PASSWORD", PASSWORD)];
const KEDU: &str = r#"<KEDU xmlns="http://www.zus.pl/2015/KED_ZLA_1"><ZUSZLA id_dokumentu="1"><II><p1>68071892605</p1></II></ZUSZLA></KEDU>"#;

fn ezla(dir: &Path, args: &[&str]) -> Output {
    common::run(dir, args, ENV)
}

fn status(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// An openssl CA over the test CA's key and certificate, to revoke and make CRLs with.
fn openssl_ca(dir: &Path) -> bool {
    std::fs::write(dir.join("index.txt"), "").expect("index");
    std::fs::write(dir.join("crlnumber"), "1000\n").expect("crlnumber");
    let conf = "[ca]\ndefault_ca = test\n[test]\ndatabase = index.txt\ncrlnumber = crlnumber\n\
                certificate = ca/ca.crt\nprivate_key = ca/ca.key\ndefault_md = sha256\n\
                default_crl_days = 1\n[crl_ext]\nauthorityKeyIdentifier = keyid:always\n";
    std::fs::write(dir.join("ca.cnf"), conf).expect("conf");
    common::tool(dir, "openssl", &["version"]).is_some()
}

fn openssl(dir: &Path, args: &[&str]) {
    let o = common::tool(dir, "openssl", args).expect("openssl");
    assert!(o.status.success(), "openssl {args:?}: {}", text(&o));
}

/// `openssl ca -revoke` of the doctor's certificate for `reason`.
fn revoke(dir: &Path, reason: &str) {
    openssl(
        dir,
        &[
            "ca",
            "-config",
            "ca.cnf",
            "-revoke",
            "doctor.crt",
            "-crl_reason",
            reason,
        ],
    );
}

/// `openssl ca -gencrl` into `out` (DER).
fn gencrl(dir: &Path, out: &str) {
    openssl(
        dir,
        &[
            "ca", "-config", "ca.cnf", "-gencrl", "-crlexts", "crl_ext", "-out", "crl.pem",
        ],
    );
    openssl(
        dir,
        &["crl", "-in", "crl.pem", "-outform", "DER", "-out", out],
    );
}

/// A doctor's `.pfx` (with `extra` options), its certificate in PEM, and a signed e-ZLA.
fn signed(dir: &Path, extra: &[&str]) {
    let yesterday = (time::OffsetDateTime::now_utc() - time::Duration::days(1))
        .date()
        .to_string();
    let mut extra = extra.to_vec();
    extra.extend_from_slice(&["--not-before", &yesterday]);
    common::test_doctor(dir, "doctor.pfx", "p256", &extra, ENV);
    std::fs::write(dir.join("zla.xml"), KEDU).expect("write");
    let o = ezla(
        dir,
        &[
            "sign",
            "--pfx",
            "doctor.pfx",
            "--password-env",
            "EZLA_PFX_PASSWORD",
            "zla.xml",
            "-o",
            "zla.signed.xml",
        ],
    );
    assert_eq!(status(&o), 0, "{}", text(&o));
    openssl(
        dir,
        &[
            "pkcs12",
            "-in",
            "doctor.pfx",
            "-passin",
            &format!("pass:{PASSWORD}"),
            "-nokeys",
            "-clcerts",
            "-out",
            "doctor.crt",
        ],
    );
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", text(o)))
}

#[test]
fn verify_with_an_openssl_crl_file() {
    let dir = common::scratch("revocation", "file");
    if !openssl_ca(&dir) {
        return;
    }
    signed(&dir, &[]);
    gencrl(&dir, "empty.crl");
    let verify = |crl: &str, extra: &[&str]| {
        let mut args = vec![
            "verify",
            "zla.signed.xml",
            "--trust",
            "ca/ca.crt",
            "--crl",
            crl,
        ];
        args.extend_from_slice(extra);
        ezla(&dir, &args)
    };
    let o = verify("empty.crl", &[]);
    assert_eq!(status(&o), 0, "{}", text(&o));
    assert!(
        text(&o).contains("revocation:  not revoked; judged at"),
        "{}",
        text(&o)
    );
    assert!(text(&o).contains("file empty.crl"), "{}", text(&o));
    let v = json(&verify("empty.crl", &["--json"]));
    let r = &v["signatures"][0]["revocation"];
    assert_eq!(r["status"], "good", "{v}");
    // openssl's crlnumber file is hex.
    assert_eq!(r["crl_number"], "1000", "{v}");
    assert_eq!(r["source"]["location"], "empty.crl", "{v}");

    // openssl revokes it (keyCompromise) and makes a new CRL.
    revoke(&dir, "keyCompromise");
    gencrl(&dir, "revoked.crl");
    let o = verify("revoked.crl", &[]);
    assert_eq!(status(&o), 1, "{}", text(&o));
    assert!(text(&o).contains("was revoked at"), "{}", text(&o));
    assert!(text(&o).contains("keyCompromise"), "{}", text(&o));
    let v = json(&verify("revoked.crl", &["--json"]));
    assert_eq!(v["valid"], false);
    assert_eq!(v["error"]["name"], "CertificateRevoked", "{v}");
    // PEM works too; the newest of several CRLs wins.
    let o = ezla(
        &dir,
        &[
            "verify",
            "zla.signed.xml",
            "--trust",
            "ca/ca.crt",
            "--crl",
            "empty.crl",
            "--crl",
            "crl.pem",
        ],
    );
    assert_eq!(status(&o), 1, "{}", text(&o));
    // Judged at an instant before the revocation (`--at`), it passes and says so.
    let before = time::OffsetDateTime::now_utc() - time::Duration::minutes(1);
    let at = before
        .format(&time::format_description::well_known::Rfc3339)
        .expect("format");
    let o = verify("revoked.crl", &["--at", &at]);
    assert_eq!(status(&o), 0, "{}", text(&o));
    assert!(text(&o).contains("REVOKED at"), "{}", text(&o));
    assert!(
        text(&o).contains("AFTER the instant judged"),
        "{}",
        text(&o)
    );

    // A CRL of another CA: exit 3, not a verdict.
    let other = dir.join("other");
    std::fs::create_dir_all(&other).expect("dir");
    openssl_ca(&other);
    common::ok(
        &other,
        &[
            "cert",
            "test-ca",
            "--out",
            "ca",
            "--common-name",
            "another CA",
        ],
        ENV,
    );
    gencrl(&other, "other.crl");
    std::fs::copy(other.join("other.crl"), dir.join("other.crl")).expect("copy");
    let v = json(&verify("other.crl", &["--json"]));
    assert_eq!(v["error"]["name"], "CrlIssuerMismatch", "{v}");
    assert_eq!(status(&verify("other.crl", &[])), 3);
    // Another CA of the same name (another key): the signature check refuses it.
    let twin = dir.join("twin");
    std::fs::create_dir_all(&twin).expect("dir");
    openssl_ca(&twin);
    common::ok(&twin, &["cert", "test-ca", "--out", "ca"], ENV);
    gencrl(&twin, "twin.crl");
    std::fs::copy(twin.join("twin.crl"), dir.join("twin.crl")).expect("copy");
    let v = json(&verify("twin.crl", &["--json"]));
    assert_eq!(v["error"]["name"], "CrlSignatureInvalid", "{v}");
    // Garbage: 3; without --trust: usage.
    std::fs::write(dir.join("garbage.crl"), b"garbage").expect("write");
    assert_eq!(status(&verify("garbage.crl", &[])), 3);
    let o = ezla(&dir, &["verify", "zla.signed.xml", "--crl", "empty.crl"]);
    assert_eq!(status(&o), 64, "{}", text(&o));
}

/// Serves `file` (re-read at every request) at `http://127.0.0.1:PORT/ca.crl`, counting
/// requests.
fn serve(dir: &Path, file: &str) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/ca.crl", listener.local_addr().expect("addr"));
    let path = dir.join(file);
    let count = Arc::new(AtomicUsize::new(0));
    let counter = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let n = stream.read(&mut buf).unwrap_or(0);
            let head = String::from_utf8_lossy(&buf[..n]).to_string();
            counter.fetch_add(1, Ordering::SeqCst);
            let (status, body) = if head.starts_with("GET /ca.crl ") {
                match std::fs::read(&path) {
                    Ok(b) => ("200 OK", b),
                    Err(_) => ("404 Not Found", Vec::new()),
                }
            } else {
                ("405 Method Not Allowed", Vec::new())
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: application/pkix-crl\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    (url, count)
}

#[test]
fn verify_fetches_the_crl_from_the_distribution_point() {
    let dir = common::scratch("revocation", "fetch");
    if !openssl_ca(&dir) {
        return;
    }
    let (url, count) = serve(&dir, "served.crl");
    signed(&dir, &["--crl-url", &url]);
    let verify = |extra: &[&str]| {
        let mut args = vec![
            "verify",
            "zla.signed.xml",
            "--trust",
            "ca/ca.crt",
            "--crl-fetch",
        ];
        args.extend_from_slice(extra);
        ezla(&dir, &args)
    };
    // Nothing served yet: 404, exit 3.
    let v = json(&verify(&["--json"]));
    assert_eq!(v["error"]["name"], "HttpStatus", "{v}");
    assert_eq!(status(&verify(&[])), 3);
    gencrl(&dir, "served.crl");
    let o = verify(&[]);
    assert_eq!(status(&o), 0, "{}", text(&o));
    assert!(
        text(&o).contains(&format!("fetched from {url}")),
        "{}",
        text(&o)
    );
    revoke(&dir, "superseded");
    gencrl(&dir, "served.crl");
    let o = verify(&[]);
    assert_eq!(status(&o), 1, "{}", text(&o));
    assert!(text(&o).contains("superseded"), "{}", text(&o));
    assert!(count.load(Ordering::SeqCst) >= 4);
}

#[test]
fn cms_verify_checks_revocation_too() {
    let dir = common::scratch("revocation", "cms");
    if !openssl_ca(&dir) {
        return;
    }
    signed(&dir, &[]);
    std::fs::write(dir.join("doc.txt"), b"a printout").expect("write");
    let o = ezla(
        &dir,
        &[
            "cms",
            "sign",
            "doc.txt",
            "-o",
            "doc.p7s",
            "--pfx",
            "doctor.pfx",
            "--password-env",
            "EZLA_PFX_PASSWORD",
        ],
    );
    assert_eq!(status(&o), 0, "{}", text(&o));
    gencrl(&dir, "empty.crl");
    let verify = |crl: &str| {
        ezla(
            &dir,
            &[
                "cms",
                "verify",
                "doc.p7s",
                "--trust",
                "ca/ca.crt",
                "--crl",
                crl,
                "--json",
            ],
        )
    };
    let o = verify("empty.crl");
    assert_eq!(status(&o), 0, "{}", text(&o));
    assert_eq!(json(&o)["revocation"]["status"], "good");
    revoke(&dir, "keyCompromise");
    gencrl(&dir, "revoked.crl");
    let o = verify("revoked.crl");
    assert_eq!(status(&o), 1, "{}", text(&o));
    assert_eq!(json(&o)["error"]["name"], "CertificateRevoked");
}

#[test]
fn cert_check_reports_revocation_for_monitoring() {
    let dir = common::scratch("revocation", "cert-check");
    if !openssl_ca(&dir) {
        return;
    }
    let (url, _) = serve(&dir, "served.crl");
    signed(&dir, &["--crl-url", &url]);
    gencrl(&dir, "served.crl");
    let check = |extra: &[&str]| {
        let mut args = vec![
            "cert",
            "check",
            "doctor.pfx",
            "--password-env",
            "EZLA_PFX_PASSWORD",
        ];
        args.extend_from_slice(extra);
        ezla(&dir, &args)
    };
    // The .pfx carries the CA certificate: it verifies the CRL.
    let o = check(&["--crl-fetch", "--format", "json"]);
    assert_eq!(status(&o), 0, "{}", text(&o));
    assert_eq!(
        json(&o)["results"][0]["revocation"]["status"],
        "not-revoked",
        "{}",
        text(&o)
    );
    revoke(&dir, "keyCompromise");
    gencrl(&dir, "served.crl");
    let o = check(&["--crl-fetch"]);
    assert_eq!(status(&o), 2, "{}", text(&o));
    assert!(text(&o).contains("revoked, valid"), "{}", text(&o));
    let o = check(&["--crl-fetch", "--format", "json"]);
    let r = &json(&o)["results"][0]["revocation"];
    assert_eq!(r["status"], "revoked", "{r}");
    assert_eq!(r["reason"], "keyCompromise", "{r}");
    let o = check(&["--crl", "served.crl", "--format", "prometheus"]);
    assert_eq!(status(&o), 2, "{}", text(&o));
    assert!(
        text(&o).contains("ezla_certificate_revoked{file=\"doctor.pfx\""),
        "{}",
        text(&o)
    );
    // A bare certificate without its issuer: UNKNOWN (3); with --issuer, CRITICAL.
    let o = ezla(
        &dir,
        &[
            "cert",
            "check",
            "doctor.crt",
            "--crl",
            "served.crl",
            "--json",
        ],
    );
    assert_eq!(status(&o), 3, "{}", text(&o));
    assert_eq!(
        json(&o)["results"][0]["revocation"]["name"],
        "RevocationUnknown"
    );
    let o = ezla(
        &dir,
        &[
            "cert",
            "check",
            "doctor.crt",
            "--crl",
            "served.crl",
            "--issuer",
            "ca/ca.crt",
        ],
    );
    assert_eq!(status(&o), 2, "{}", text(&o));
    // --issuer alone is a usage error.
    let o = ezla(
        &dir,
        &["cert", "check", "doctor.crt", "--issuer", "ca/ca.crt"],
    );
    assert_eq!(status(&o), 64, "{}", text(&o));
}
