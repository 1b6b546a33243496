//! ezla's XAdES-BES signatures checked by independent verifiers.
//!
//! * Both ZUS profiles (`zus`, `zus-legacy`) — on an e-ZLA document, on the ORYGINAŁ/KOPIA
//!   pair of `../shared/vectors/ezla/`, and on the login statement — with Debian `xmlsec1` (the `Id` of `xades:SignedProperties` registered) and
//!   the JDK's XML signature API.
//! * The generic `xades-bes` profile with signxml's `XAdESVerifier`, which also checks the
//!   XAdES properties (signxml has no XPath transform, hence the generic profile).

use std::path::PathBuf;
use std::process::Command;

use ezla::crypto::{KeySpec, PrivateKey};
use ezla::pki::Certificate;
use ezla::xades::{self, Profile, SignOptions, SigningCertificateVersion, VerifyOptions};
use ezla_tests::{have_tool, pem, python, run, run_ok, scratch_dir, tools_dir};

const KEDU: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<KEDU xmlns="http://www.zus.pl/2015/KED_ZLA_1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" wersja_schematu="1">
  <naglowek.KEDU><program><producent>ezla</producent><symbol>eZLA</symbol><wersja>1.0</wersja></program></naglowek.KEDU>
  <ZUSZLA id_dokumentu="155565" kolejnosc="0">
    <II><p1>68071892605</p1><p2>Filip</p2><p3>Jakubowski</p3><p4>1</p4></II>
    <VII><p1>1063324</p1><p2>THEO</p2><p3>KANIA</p3></VII>
  </ZUSZLA>
</KEDU>
"#;

const STATEMENT: &str = "<Oswiadczenie><Tresc>Logowanie Lekarza przez system zewnętrzny</Tresc><Data>2026-11-24</Data><Czas>10:15:00</Czas><Token>CK-12345678-1234-1234-1234-123456789abc</Token></Oswiadczenie>";

struct Signer {
    key: PrivateKey,
    cert_pem: PathBuf,
    cert: Certificate,
}

fn signer(dir: &std::path::Path, name: &str, spec: KeySpec) -> Signer {
    let key = PrivateKey::generate(spec).expect("generate");
    let key_pem = dir.join(format!("{name}.key.pem"));
    std::fs::write(&key_pem, pem("PRIVATE KEY", key.pkcs8_der())).expect("write");
    let cert_pem = dir.join(format!("{name}.crt.pem"));
    run_ok(
        Command::new("openssl")
            .args(["req", "-new", "-x509", "-days", "30", "-subj"])
            .arg("/CN=Theo Kania/serialNumber=PNOPL-68071892605/O=ezla interop/C=PL")
            .arg("-key")
            .arg(&key_pem)
            .arg("-out")
            .arg(&cert_pem),
    );
    let der = dir.join(format!("{name}.crt.der"));
    run_ok(
        Command::new("openssl")
            .args(["x509", "-outform", "DER", "-in"])
            .arg(&cert_pem)
            .arg("-out")
            .arg(&der),
    );
    Signer {
        key,
        cert: Certificate::from_der(&std::fs::read(&der).expect("der")).expect("certificate"),
        cert_pem,
    }
}

#[test]
fn independent_verifiers_accept_ezla_xades() {
    if !have_tool("openssl") {
        return;
    }
    let have_xmlsec = have_tool("xmlsec1");
    let have_java = have_tool("javac") && have_tool("java");
    let python = python();
    let dir = scratch_dir("xades-interop");
    let rsa = signer(&dir, "rsa", KeySpec::Rsa2048);
    let ec = signer(&dir, "ec", KeySpec::EcP256);

    // The ORYGINAŁ/KOPIA pair from ../shared/vectors/ezla (read there, never copied).
    let mut samples: Vec<(String, String)> = vec![
        ("kedu".to_string(), KEDU.to_string()),
        ("statement".to_string(), STATEMENT.to_string()),
    ];
    if let Some(vectors) = ezla_tests::vectors_dir() {
        for name in [
            "ked_zla_unsigned_oryginal_medfile",
            "ked_zla_unsigned_kopia_medfile",
        ] {
            let path = vectors.join("ezla").join(format!("{name}.xml"));
            samples.push((
                name.to_string(),
                std::fs::read_to_string(&path).expect("sample"),
            ));
        }
    }

    let mut files: Vec<(String, PathBuf, &Signer, Profile)> = Vec::new();
    for (profile, s) in [
        (Profile::Zus, &rsa),
        (Profile::Zus, &ec),
        (Profile::ZusLegacy, &rsa),
        (Profile::XadesBes, &rsa),
        (Profile::XadesBes, &ec),
    ] {
        for (doc_name, doc) in &samples {
            for version in [SigningCertificateVersion::V1, SigningCertificateVersion::V2] {
                let mut options = SignOptions::profile(profile);
                options.signing_certificate = version;
                let signed =
                    xades::sign(doc.as_bytes(), &s.key, &s.cert, &[], &options).expect("sign");
                // Our verifier first, as a guard.
                let report =
                    xades::verify(&signed, &VerifyOptions::default()).expect("ezla verifies");
                assert_eq!(report.profile, profile);
                let name = format!(
                    "{}-{}-{}-{doc_name}-{version:?}",
                    profile.name(),
                    s.key.kind().algorithm_name().to_lowercase(),
                    s.key.kind().bits()
                );
                let path = dir.join(format!("{name}.xml"));
                std::fs::write(&path, &signed).expect("write");
                files.push((name, path, s, profile));
            }
        }
    }

    let mut verdicts = 0;
    if have_xmlsec {
        for (name, path, s, _) in &files {
            let out = run(Command::new("xmlsec1")
                .args(["--verify", "--pubkey-cert-pem"])
                .arg(&s.cert_pem)
                .args([
                    "--id-attr:Id",
                    "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
                ])
                .arg(path));
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.success() && stderr.contains("OK"),
                "xmlsec1 rejects {name}: {stderr}"
            );
            verdicts += 1;
        }
    }
    if have_java {
        let classes = dir.join("java");
        std::fs::create_dir_all(&classes).expect("mkdir");
        run_ok(
            Command::new("javac")
                .arg("-d")
                .arg(&classes)
                .arg(tools_dir().join("Verify.java")),
        );
        for (name, path, _, profile) in &files {
            let mut cmd = Command::new("java");
            cmd.arg("-cp").arg(&classes).arg("Verify");
            if *profile == Profile::ZusLegacy {
                cmd.arg("--legacy");
            }
            let out = run_ok(cmd.arg(path));
            assert!(out.starts_with("OK "), "JDK rejects {name}: {out}");
            verdicts += 1;
        }
    }
    if let Some(python) = &python {
        for (name, path, s, profile) in &files {
            if *profile != Profile::XadesBes {
                continue;
            }
            let out = run_ok(
                Command::new(python)
                    .arg(tools_dir().join("signxml_verify.py"))
                    .arg("--xades")
                    .arg("--refs=2")
                    .arg(&s.cert_pem)
                    .arg(path),
            );
            assert!(
                out.starts_with("OK "),
                "signxml XAdESVerifier rejects {name}: {out}"
            );
            verdicts += 1;
        }
    }
    println!(
        "xades interop: {} signed files, {verdicts} verdicts from independent verifiers, all OK",
        files.len()
    );
}
