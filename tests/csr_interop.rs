//! PKCS#10 requests and encrypted PKCS#8 keys, decided by OpenSSL: `openssl req -verify`
//! accepts every request (RSA 2048/3072/4096, P-256; with and without an e-mail SAN) and
//! `openssl pkey` opens every key with its password.

use std::process::Command;

use ezla::crypto::{KeySpec, PrivateKey, Signer};
use ezla::pki::{CertificateRequest, Name, keyfile};
use ezla_tests::{have_tool, run, scratch_dir};

#[test]
fn openssl_accepts_requests_and_keys() {
    if !have_tool("openssl") {
        return;
    }
    let dir = scratch_dir("csr-openssl");
    let subject = Name::builder()
        .country("PL")
        .surname("Nowak")
        .given_name("Anna")
        .serial_number("PNOPL-02271409867")
        .common_name("Anna Nowak")
        .build()
        .expect("name");
    let password = "hasło do klucza";
    for (spec, label) in [
        (KeySpec::Rsa2048, "rsa2048"),
        (KeySpec::Rsa3072, "rsa3072"),
        (KeySpec::Rsa4096, "rsa4096"),
        (KeySpec::EcP256, "p256"),
    ] {
        let key = PrivateKey::generate(spec).expect("key");
        for email in [None, Some("anna.nowak@example.com")] {
            let req = CertificateRequest::new(&key, &subject, email).expect("csr");
            let file = dir.join(format!("{label}-{}.csr", email.is_some()));
            std::fs::write(&file, req.to_pem()).expect("write");
            let out = run(Command::new("openssl")
                .args(["req", "-verify", "-noout", "-text", "-in"])
                .arg(&file));
            let text = String::from_utf8_lossy(&out.stdout);
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "{label}: {err}");
            assert!(
                err.contains("verify OK") || text.contains("verify OK"),
                "{label}: {err}{text}"
            );
            assert!(text.contains("serialNumber = PNOPL-02271409867"), "{text}");
            assert_eq!(
                text.contains("email:anna.nowak@example.com"),
                email.is_some(),
                "{text}"
            );
        }
        let key_file = dir.join(format!("{label}.key"));
        std::fs::write(
            &key_file,
            keyfile::encrypt_private_key_pem(&key, password, Some(2048)).expect("key pem"),
        )
        .expect("write");
        let out = run(Command::new("openssl")
            .args([
                "pkey", "-passin", "env:PW", "-pubout", "-outform", "DER", "-in",
            ])
            .arg(&key_file)
            .env("PW", password));
        assert!(
            out.status.success(),
            "{label}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.stdout, key.public_key().spki_der(), "{label}");
        let out = run(Command::new("openssl")
            .args(["pkey", "-passin", "pass:wrong", "-noout", "-in"])
            .arg(&key_file));
        assert!(!out.status.success(), "{label}: a wrong password must fail");
        // And back: OpenSSL's own encrypted keys open in ezla.
        let theirs = dir.join(format!("{label}-openssl.key"));
        let out = run(Command::new("openssl")
            .args([
                "pkcs8",
                "-topk8",
                "-v2",
                "aes-256-cbc",
                "-passout",
                "env:PW",
                "-out",
            ])
            .arg(&theirs)
            .arg("-in")
            .arg(&key_file)
            .args(["-passin", "env:PW"])
            .env("PW", password));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let back = keyfile::read_private_key(
            &std::fs::read(&theirs).expect("read"),
            Some(password),
            &ezla::pki::PbeLimits::default(),
        )
        .expect("openssl key");
        assert_eq!(back.public_key(), key.public_key());
    }
}
