//! CRLs against openssl: `openssl crl` reads what `TestCa::issue_crl` writes (issuer,
//! updates, number, entries, reasons) and `openssl verify -crl_check` reaches the same
//! verdict as `RevocationChecker` for a good and a revoked certificate, RSA and ECDSA CAs;
//! a CRL openssl's own CA writes (`openssl ca -gencrl`) is read and judged by ezla. Skipped
//! with a notice without openssl, unless `EZLA_REQUIRE_TOOLS` is set.

use std::path::Path;
use std::process::Command;

use ezla::ErrorCode;
use ezla::crypto::KeySpec;
use ezla::pki::testca::{CrlSpec, DoctorSpec, IssueOptions, TestCa};
use ezla::pki::{Crl, RevocationReason, RevokedCertificate};
use ezla::revocation::{JudgedBy, RevocationChecker};
use ezla_tests::{have_tool, run, scratch_dir};
use time::{Duration, OffsetDateTime};

fn openssl(dir: &Path, args: &[&str]) -> (bool, String) {
    let out = run(Command::new("openssl").args(args).current_dir(dir));
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn openssl_reads_our_crls_and_agrees_on_revocation() {
    if !have_tool("openssl") {
        return;
    }
    let now = OffsetDateTime::now_utc();
    for (key, name) in [(KeySpec::Rsa2048, "rsa"), (KeySpec::EcP256, "ec")] {
        let dir = scratch_dir(&format!("crl-interop-{name}"));
        let ca = TestCa::generate_with(key, "ezla CRL interop CA", now - Duration::days(10), 365)
            .expect("ca");
        let issue = |pesel: &str| {
            let mut spec = DoctorSpec::new("Jan", "Kowalski", pesel.parse().expect("pesel"));
            spec.key = KeySpec::EcP256;
            spec.options = IssueOptions::doctor(now - Duration::days(5));
            ca.issue_doctor(&spec).expect("doctor").certificate
        };
        let good = issue("44051401359");
        let revoked = issue("02070803628");
        let revoked_at = now - Duration::hours(3);
        let mut spec = CrlSpec::new(now - Duration::minutes(5), now + Duration::days(1), 4242);
        spec.revoked.push(RevokedCertificate::new(
            &revoked,
            revoked_at,
            Some(RevocationReason::KeyCompromise),
        ));
        let crl = ca.issue_crl(&spec).expect("crl");
        std::fs::write(dir.join("ca.crl"), crl.to_der()).expect("write");
        std::fs::write(dir.join("ca.pem"), ca.certificate().to_pem()).expect("write");
        std::fs::write(dir.join("good.pem"), good.to_pem()).expect("write");
        std::fs::write(dir.join("revoked.pem"), revoked.to_pem()).expect("write");
        std::fs::write(dir.join("crl.pem"), crl.to_pem()).expect("write");

        // openssl reads every field, and its signature check passes.
        let (ok, text) = openssl(
            &dir,
            &[
                "crl", "-inform", "DER", "-in", "ca.crl", "-noout", "-text", "-CAfile", "ca.pem",
            ],
        );
        assert!(ok, "{text}");
        assert!(text.contains("verify OK"), "{text}");
        assert!(
            text.contains("CN=ezla CRL interop CA") || text.contains("CN = ezla CRL interop CA"),
            "{text}"
        );
        assert!(
            text.contains(&format!("Serial Number: {}", revoked.serial_hex())),
            "{text}"
        );
        assert!(!text.contains(&good.serial_hex()), "{text}");
        assert!(text.contains("Key Compromise"), "{text}");
        assert!(
            text.contains("X509v3 CRL Number") && text.contains("4242"),
            "{text}"
        );
        assert!(text.contains("X509v3 Authority Key Identifier"), "{text}");

        // The same verdicts.
        let checker = RevocationChecker::new().with_crl(crl.clone(), "ca.crl");
        let (ok, text) = openssl(
            &dir,
            &[
                "verify",
                "-crl_check",
                "-CAfile",
                "ca.pem",
                "-CRLfile",
                "crl.pem",
                "good.pem",
            ],
        );
        assert!(ok, "openssl on the good certificate: {text}");
        checker
            .check(
                &good,
                ca.certificate(),
                now,
                JudgedBy::VerificationTime,
                now,
            )
            .expect("ezla on the good certificate");
        let (ok, text) = openssl(
            &dir,
            &[
                "verify",
                "-crl_check",
                "-CAfile",
                "ca.pem",
                "-CRLfile",
                "crl.pem",
                "revoked.pem",
            ],
        );
        assert!(
            !ok && text.contains("certificate revoked"),
            "openssl: {text}"
        );
        let err = checker
            .check(
                &revoked,
                ca.certificate(),
                now,
                JudgedBy::VerificationTime,
                now,
            )
            .expect_err("ezla on the revoked certificate");
        assert_eq!(err.code(), ErrorCode::CertificateRevoked);
    }
}

#[test]
fn we_read_and_judge_a_crl_from_openssls_own_ca() {
    if !have_tool("openssl") {
        return;
    }
    let dir = scratch_dir("crl-interop-openssl-ca");
    let now = OffsetDateTime::now_utc();
    let ca =
        TestCa::generate("ezla openssl-ca interop CA", now - Duration::days(10), 365).expect("ca");
    let mut spec = DoctorSpec::new("Anna", "Nowak", "02070803628".parse().expect("pesel"));
    spec.options = IssueOptions::doctor(now - Duration::days(5));
    let doctor = ca.issue_doctor(&spec).expect("doctor");
    std::fs::write(dir.join("ca.pem"), ca.certificate().to_pem()).expect("write");
    std::fs::write(
        dir.join("ca.key"),
        ezla::pki::pem::encode("PRIVATE KEY", ca.key().pkcs8_der()),
    )
    .expect("write");
    std::fs::write(dir.join("doctor.pem"), doctor.certificate.to_pem()).expect("write");
    std::fs::write(dir.join("index.txt"), "").expect("index");
    std::fs::write(dir.join("crlnumber"), "0A\n").expect("crlnumber");
    std::fs::write(
        dir.join("ca.cnf"),
        "[ca]\ndefault_ca = t\n[t]\ndatabase = index.txt\ncrlnumber = crlnumber\n\
         certificate = ca.pem\nprivate_key = ca.key\ndefault_md = sha256\ndefault_crl_days = 2\n\
         [ext]\nauthorityKeyIdentifier = keyid:always\n",
    )
    .expect("conf");
    let gencrl = |out: &str| {
        let (ok, text) = openssl(
            &dir,
            &[
                "ca", "-config", "ca.cnf", "-gencrl", "-crlexts", "ext", "-out", out,
            ],
        );
        assert!(ok, "{text}");
        Crl::parse(&std::fs::read(dir.join(out)).expect("read")).expect("ezla parses it")
    };
    let before = gencrl("before.pem");
    assert_eq!(before.number_hex().as_deref(), Some("0A"));
    assert!(before.entries().is_empty());
    before
        .check_issued_by(ca.certificate())
        .expect("openssl's signature");
    let (ok, text) = openssl(
        &dir,
        &[
            "ca",
            "-config",
            "ca.cnf",
            "-revoke",
            "doctor.pem",
            "-crl_reason",
            "affiliationChanged",
        ],
    );
    assert!(ok, "{text}");
    let after = gencrl("after.pem");
    let entry = after.entry_for(&doctor.certificate).expect("listed");
    assert_eq!(entry.reason, Some(RevocationReason::AffiliationChanged));
    assert!((entry.revoked_at - now).abs() < Duration::minutes(5));
    let err = RevocationChecker::new()
        .with_crl(after, "after.pem")
        .check(
            &doctor.certificate,
            ca.certificate(),
            now + Duration::minutes(5),
            JudgedBy::VerificationTime,
            now + Duration::minutes(5),
        )
        .expect_err("revoked");
    assert_eq!(err.code(), ErrorCode::CertificateRevoked);
}
