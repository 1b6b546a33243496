//! The X.509 view agrees with `openssl x509 -noout -serial -subject -fingerprint -sha256
//! -dates` on certificates ezla makes and on third-party ones.

use std::process::Command;

use ezla::crypto::DigestAlgorithm;
use ezla::pki::Certificate;
use ezla::pki::testca::{DoctorSpec, TestCa};
use ezla_tests::{have_tool, run, scratch_dir, vectors_dir};

/// OpenSSL's RFC 2253 keywords for the attributes ezla names differently.
fn normalise(dn: &str) -> String {
    dn.replace("GN=", "givenName=")
        .replace("SN=", "sn=")
        .replace("street=", "STREET=")
}

fn openssl_view(file: &std::path::Path) -> Vec<(String, String)> {
    let out = run(Command::new("openssl")
        .args([
            "x509",
            "-noout",
            "-serial",
            "-subject",
            "-issuer",
            "-fingerprint",
            "-sha256",
            "-dates",
        ])
        .args(["-nameopt", "RFC2253", "-in"])
        .arg(file));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            l.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
        })
        .collect()
}

fn openssl_date(c: time::OffsetDateTime) -> String {
    let f = time::macros::format_description!(
        "[month repr:short] [day padding:space] [hour]:[minute]:[second] [year] GMT"
    );
    c.format(&f).expect("format")
}

#[test]
fn openssl_agrees_with_the_x509_view() {
    if !have_tool("openssl") {
        return;
    }
    let dir = scratch_dir("x509-openssl");
    let ca = TestCa::generate("ezla interop CA", time::OffsetDateTime::now_utc(), 365).expect("ca");
    let id = ca
        .issue_doctor(&DoctorSpec::new(
            "Jan",
            "Kowalski",
            "44051401359".parse().expect("pesel"),
        ))
        .expect("doctor");
    let mut files = vec![dir.join("doctor.pem"), dir.join("ca.pem")];
    std::fs::write(&files[0], id.certificate.to_pem()).expect("write");
    std::fs::write(&files[1], ca.certificate().to_pem()).expect("write");
    if let Some(v) = vectors_dir() {
        for f in [
            "cryptography.io.pem",
            "negative_serial.pem",
            "ecdsa_root.pem",
            "wildcard_san.pem",
        ] {
            files.push(v.join("x509/pyca-misc").join(f));
        }
        files.push(v.join("x509/nist-pkits-validity/Validpre2000UTCnotBeforeDateTest3EE.crt"));
    }
    for file in &files {
        let der_or_pem = std::fs::read(file).expect("read");
        let cert = Certificate::from_der_or_pem(&der_or_pem).expect("parse");
        let view = openssl_view(file);
        let get = |k: &str| {
            view.iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| panic!("{k} missing in {view:?}"))
        };
        let name = file.display();
        assert_eq!(get("serial"), cert.serial_hex(), "{name}");
        assert_eq!(
            normalise(&get("subject")),
            cert.subject().to_rfc4514(),
            "{name}"
        );
        assert_eq!(
            normalise(&get("issuer")),
            cert.issuer().to_rfc4514(),
            "{name}"
        );
        assert_eq!(
            get("sha256 Fingerprint"),
            cert.fingerprint_display(DigestAlgorithm::Sha256),
            "{name}"
        );
        assert_eq!(get("notBefore"), openssl_date(cert.not_before()), "{name}");
        assert_eq!(get("notAfter"), openssl_date(cert.not_after()), "{name}");
    }
}
