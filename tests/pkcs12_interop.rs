//! PKCS#12 interop, decided by independent tools: OpenSSL 3 (without `-legacy`) and the JDK's
//! keytool open the files ezla writes; ezla opens files written by `openssl pkcs12 -export`
//! (legacy and modern) and by keytool.

use std::path::Path;
use std::process::Command;

use ezla::crypto::{KeySpec, Signer};
use ezla::pki::testca::{DoctorSpec, TestCa};
use ezla::pki::{Certificate, Identity, Pkcs12, Pkcs12Builder, Pkcs12Options};
use ezla_tests::{have_tool, run, scratch_dir};

const PASSWORD: &str = "Zażółć-gęślą-jaźń 1";
/// Java's PBES2 (`PBEWithHmacSHA256AndAES_256`) refuses non-ASCII passwords ("Password is not
/// ASCII"), for files it writes and files it reads alike.
const ASCII_PASSWORD: &str = "Zazolc-gesla-jazn 1";

fn doctor(ca: &TestCa, key: KeySpec) -> Identity {
    let mut spec = DoctorSpec::new("Jan", "Kowalski", "44051401359".parse().expect("pesel"));
    spec.key = key;
    ca.issue_doctor(&spec).expect("doctor")
}

fn ca() -> TestCa {
    TestCa::generate("ezla interop CA", time::OffsetDateTime::now_utc(), 365).expect("ca")
}

/// Runs a command with `PW` in its environment; panics with its output on failure.
fn tool(cmd: &mut Command, password: &str) -> String {
    let out = run(cmd.env("PW", password));
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn pem(path: &Path, label: &str, der: &[u8]) {
    std::fs::write(path, ezla::pki::pem::encode(label, der)).expect("write pem");
}

#[test]
fn openssl_opens_what_ezla_writes() {
    if !have_tool("openssl") {
        return;
    }
    let dir = scratch_dir("pkcs12-openssl-reads");
    let ca = ca();
    for (spec, password) in [
        (KeySpec::Rsa2048, PASSWORD),
        (KeySpec::EcP256, "simple"),
        (KeySpec::Rsa2048, ""),
    ] {
        let id = doctor(&ca, spec);
        let file = dir.join("doctor.pfx");
        std::fs::write(&file, id.to_pkcs12(password, 2048).expect("write")).expect("save");
        // Integrity and decryption, without the legacy provider.
        tool(
            Command::new("openssl")
                .args(["pkcs12", "-passin", "env:PW", "-noout", "-in"])
                .arg(&file),
            password,
        );
        // The key and both certificates come out, and the key is the one we wrote.
        let out = tool(
            Command::new("openssl")
                .args(["pkcs12", "-passin", "env:PW", "-nodes", "-in"])
                .arg(&file),
            password,
        );
        assert_eq!(
            out.matches("-----BEGIN CERTIFICATE-----").count(),
            2,
            "{out}"
        );
        assert!(out.contains("friendlyName: Jan Kowalski"), "{out}");
        let key_pem = dir.join("key.pem");
        std::fs::write(&key_pem, &out).expect("write");
        let spki = Command::new("openssl")
            .args(["pkey", "-pubout", "-outform", "DER", "-in"])
            .arg(&key_pem)
            .output()
            .expect("openssl pkey");
        assert_eq!(spki.stdout, id.key.public_key().spki_der(), "{spki:?}");
        // What OpenSSL says about the algorithms.
        let info = Command::new("openssl")
            .args(["pkcs12", "-passin", "env:PW", "-info", "-noout", "-in"])
            .arg(&file)
            .env("PW", password)
            .output()
            .expect("openssl");
        let info = String::from_utf8_lossy(&info.stderr);
        assert!(info.contains("MAC: sha256, Iteration 2048"), "{info}");
        assert!(
            info.contains("PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256"),
            "{info}"
        );
    }
}

#[test]
fn keytool_opens_what_ezla_writes() {
    if !have_tool("keytool") {
        return;
    }
    let dir = scratch_dir("pkcs12-keytool-reads");
    let ca = ca();
    for spec in [KeySpec::Rsa2048, KeySpec::EcP256] {
        let id = doctor(&ca, spec);
        let file = dir.join("doctor.p12");
        std::fs::write(&file, id.to_pkcs12(ASCII_PASSWORD, 2048).expect("write")).expect("save");
        let out = tool(
            Command::new("keytool")
                .args([
                    "-list",
                    "-v",
                    "-storetype",
                    "PKCS12",
                    "-storepass:env",
                    "PW",
                    "-keystore",
                ])
                .arg(&file),
            ASCII_PASSWORD,
        );
        assert!(out.contains("Entry type: PrivateKeyEntry"), "{out}");
        assert!(out.contains("Certificate chain length: 2"), "{out}");
        assert!(out.contains("Alias name: jan kowalski"), "{out}");
        let sha256 = id
            .certificate
            .fingerprint_display(ezla::crypto::DigestAlgorithm::Sha256);
        assert!(out.contains(&sha256), "{out}");
    }
}

#[test]
fn ezla_opens_what_openssl_writes() {
    if !have_tool("openssl") {
        return;
    }
    let dir = scratch_dir("pkcs12-openssl-writes");
    let ca = ca();
    for spec in [KeySpec::Rsa2048, KeySpec::EcP256] {
        let id = doctor(&ca, spec);
        pem(&dir.join("key.pem"), "PRIVATE KEY", id.key.pkcs8_der());
        std::fs::write(dir.join("cert.pem"), id.certificate.to_pem()).expect("cert");
        std::fs::write(dir.join("ca.pem"), ca.certificate().to_pem()).expect("ca");
        let variants: &[(&str, &[&str])] = &[
            (
                "legacy",
                &[
                    "-legacy",
                    "-keypbe",
                    "PBE-SHA1-3DES",
                    "-certpbe",
                    "PBE-SHA1-RC2-40",
                    "-macalg",
                    "sha1",
                ],
            ),
            (
                "legacy-3des",
                &[
                    "-legacy",
                    "-keypbe",
                    "PBE-SHA1-3DES",
                    "-certpbe",
                    "PBE-SHA1-3DES",
                    "-macalg",
                    "sha1",
                ],
            ),
            ("modern", &[]),
            (
                "aes128-sha512",
                &[
                    "-keypbe",
                    "AES-128-CBC",
                    "-certpbe",
                    "AES-128-CBC",
                    "-macalg",
                    "sha512",
                ],
            ),
            ("nomac", &["-nomac"]),
            ("nocerts-encryption", &["-certpbe", "NONE"]),
            (
                "nothing-encrypted-nomac",
                &["-keypbe", "NONE", "-certpbe", "NONE", "-nomac"],
            ),
        ];
        for (name, extra) in variants {
            for password in [PASSWORD, ""] {
                let file = dir.join(format!("{name}.pfx"));
                tool(
                    Command::new("openssl")
                        .args([
                            "pkcs12", "-export", "-passout", "env:PW", "-iter", "2048", "-name",
                            "Doktor",
                        ])
                        .args(*extra)
                        .arg("-inkey")
                        .arg(dir.join("key.pem"))
                        .arg("-in")
                        .arg(dir.join("cert.pem"))
                        .arg("-certfile")
                        .arg(dir.join("ca.pem"))
                        .arg("-out")
                        .arg(&file),
                    password,
                );
                let data = std::fs::read(&file).expect("read");
                let unprotected = name.contains("nomac");
                if unprotected {
                    // No MAC: refused unless the caller accepts it, and the refusal says why.
                    let err = Pkcs12::parse(&data, Some(password), &Pkcs12Options::default())
                        .map(|_| ())
                        .expect_err("no MAC");
                    assert_eq!(err.code(), ezla::ErrorCode::Pkcs12Unprotected, "{name}");
                    assert!(
                        err.to_string().contains("no MAC")
                            && err.to_string().contains("--allow-unprotected-pfx"),
                        "{name}: {err}"
                    );
                }
                let options = Pkcs12Options::default().allowing_unprotected(unprotected);
                let p = Pkcs12::parse(&data, Some(password), &options)
                    .unwrap_or_else(|e| panic!("{name} {password:?}: {e}"));
                assert_eq!(p.info.mac.is_none(), unprotected, "{name}");
                assert_eq!(p.info.is_legacy(), name.starts_with("legacy"), "{name}");
                let back = Identity::from_pkcs12_contents(p).expect("identity");
                assert_eq!(back.certificate, id.certificate, "{name}");
                assert_eq!(back.chain, vec![ca.certificate().clone()], "{name}");
                assert_eq!(back.friendly_name.as_deref(), Some("Doktor"), "{name}");
                assert_eq!(back.key.public_key(), id.key.public_key(), "{name}");
                if *name == "nothing-encrypted-nomac" {
                    // Nothing checks the password of such a file: accepted explicitly, it
                    // opens with any password at all (refused by default, as above).
                    Pkcs12::parse(&data, Some("wrong"), &options).expect("any password");
                    let err = Pkcs12::parse(&data, Some("wrong"), &Pkcs12Options::default())
                        .map(|_| ())
                        .expect_err("refused by default");
                    assert!(err.to_string().contains("any password"), "{name}: {err}");
                    continue;
                }
                let err = Pkcs12::parse(&data, Some("wrong"), &options)
                    .map(|_| ())
                    .expect_err("wrong password");
                assert_eq!(err.code(), ezla::ErrorCode::BadPassword, "{name}: {err}");
            }
        }
    }
}

#[test]
fn ezla_opens_what_keytool_writes() {
    if !have_tool("keytool") {
        return;
    }
    let dir = scratch_dir("pkcs12-keytool-writes");
    for (alg, size) in [("RSA", "2048"), ("EC", "256")] {
        let file = dir.join(format!("keytool-{alg}.p12"));
        let _ = std::fs::remove_file(&file);
        tool(
            Command::new("keytool")
                .args([
                    "-genkeypair",
                    "-alias",
                    "lekarz",
                    "-keyalg",
                    alg,
                    "-keysize",
                    size,
                ])
                .args([
                    "-dname",
                    "CN=Jan Kowalski,SERIALNUMBER=PNOPL-44051401359,C=PL",
                ])
                .args([
                    "-validity",
                    "365",
                    "-storetype",
                    "PKCS12",
                    "-storepass:env",
                    "PW",
                    "-keystore",
                ])
                .arg(&file),
            ASCII_PASSWORD,
        );
        let exported = tool(
            Command::new("keytool")
                .args([
                    "-exportcert",
                    "-rfc",
                    "-alias",
                    "lekarz",
                    "-storetype",
                    "PKCS12",
                    "-storepass:env",
                    "PW",
                ])
                .arg("-keystore")
                .arg(&file),
            ASCII_PASSWORD,
        );
        let cert = Certificate::from_pem(exported.as_bytes()).expect("exported cert");
        let id = Identity::from_pkcs12(
            &std::fs::read(&file).expect("read"),
            Some(ASCII_PASSWORD),
            &Pkcs12Options::default(),
        )
        .unwrap_or_else(|e| panic!("{alg}: {e}"));
        assert_eq!(id.certificate, cert);
        assert_eq!(id.friendly_name.as_deref(), Some("lekarz"));
        assert_eq!(
            id.certificate.pesel().map(|p| p.to_string()).as_deref(),
            Some("44051401359")
        );
        let alg = ezla::crypto::SignatureAlgorithm::default_for(id.key_kind());
        let sig = id.sign(alg, b"e-ZLA").expect("sign");
        cert.public_key()
            .verify(alg, b"e-ZLA", &sig)
            .expect("verify");
    }
}

#[test]
fn builder_refuses_a_foreign_certificate() {
    let ca = ca();
    let a = doctor(&ca, KeySpec::EcP256);
    let b = doctor(&ca, KeySpec::EcP256);
    let err = Pkcs12Builder::new(&a.key, &b.certificate)
        .map(|_| ())
        .expect_err("mismatch");
    assert_eq!(err.code(), ezla::ErrorCode::KeyCertificateMismatch);
}
