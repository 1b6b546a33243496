//! The X.509 view, PKCS#10 parsing and chain checks against the shared corpus
//! (`../shared/vectors/x509/`: PyCA samples and the NIST PKITS validity tests).

mod common;

use ezla::ErrorCode;
use ezla::crypto::{DigestAlgorithm, KeyKind};
use ezla::pki::{Certificate, CertificateRequest, TrustAnchors};
use time::macros::datetime;

fn cert(path: &std::path::Path) -> ezla::Result<Certificate> {
    Certificate::from_der_or_pem(&std::fs::read(path).expect("read"))
}

#[test]
fn pyca_certificates() {
    let Some(v) = common::vectors_dir() else {
        return;
    };
    let dir = v.join("x509/pyca-misc");
    // (file, Ok(serial hex) or Err(code))
    let table: &[(&str, Result<&str, ErrorCode>)] = &[
        (
            "all_key_usages.pem",
            Ok("066749897E7851C47075EE3CB5B1F37DEAE4B3"),
        ),
        ("badasn1time.pem", Err(ErrorCode::DerMalformed)),
        ("bigoid.pem", Ok("4800000007756C40B996C39D9D000000000007")),
        ("cryptography.io.pem", Ok("3F20")),
        ("ecdsa_root.pem", Ok("055556BCF25EA43535C3A40FD5AB4572")),
        ("ee-pss-sha1-cert.pem", Ok("02")),
        (
            "extended_key_usage.pem",
            Ok("066A2E1A6973F01D236E7FE8CB9666DF8ED602"),
        ),
        ("invalid_version.pem", Err(ErrorCode::DerMalformed)),
        ("negative_serial.pem", Ok("-04316693ED")),
        ("post2000utctime.pem", Ok("A06CB4B955F7F4DB")),
        (
            "private_key_usage_period_both_dates.pem",
            Ok("C5357497696C638C"),
        ),
        // A dNSName with UTF-8 bytes is not an IA5String: malformed.
        ("utf8-dnsname.pem", Err(ErrorCode::DerMalformed)),
        // RSA-512 is below ezla's minimum.
        ("v1_cert.pem", Err(ErrorCode::UnsupportedKey)),
        (
            "wildcard_san.pem",
            Ok("065C8C4066B8CAC89AC895D5A3635AA27943DF"),
        ),
    ];
    for (file, want) in table {
        match (cert(&dir.join(file)), want) {
            (Ok(c), Ok(serial)) => assert_eq!(c.serial_hex(), *serial, "{file}"),
            (Err(e), Err(code)) => assert_eq!(e.code(), *code, "{file}: {e}"),
            (got, want) => panic!("{file}: got {got:?}, want {want:?}"),
        }
    }
    let c = cert(&dir.join("negative_serial.pem")).expect("negative");
    assert_eq!(c.serial_decimal(), "-18008675309");
    let c = cert(&dir.join("cryptography.io.pem")).expect("cryptography.io");
    assert_eq!(c.serial_decimal(), "16160");
    assert_eq!(
        c.subject().to_rfc4514(),
        "CN=www.cryptography.io,OU=Domain Control Validated - RapidSSL(R),OU=See www.rapidssl.com/resources/cps (c)14,OU=GT48742965"
    );
    assert_eq!(c.crl_distribution_points(), ["http://gv.symcb.com/gv.crl"]);
    assert_eq!(c.ocsp_urls(), ["http://gv.symcd.com"]);
    assert_eq!(
        c.extended_key_usage()
            .map(|e| e.iter().map(ToString::to_string).collect::<Vec<_>>()),
        Some(vec!["serverAuth".to_string(), "clientAuth".to_string()])
    );
    assert_eq!(c.basic_constraints().map(|b| b.ca), Some(false));
    assert_eq!(c.not_after(), datetime!(2018-11-16 01:15:03 UTC));
    let c = cert(&dir.join("all_key_usages.pem")).expect("all");
    assert_eq!(c.key_usage().map(|k| k.names().len()), Some(9));
    let c = cert(&dir.join("ecdsa_root.pem")).expect("ecdsa");
    assert_eq!(c.public_key().kind(), KeyKind::EcP384);
    assert!(c.is_ca() && c.is_self_issued());
    c.verify_signature(c.public_key())
        .expect("self-signed ECDSA P-384");
    assert_eq!(
        c.fingerprint_display(DigestAlgorithm::Sha256),
        "31:AD:66:48:F8:10:41:38:C7:38:F3:9E:A4:32:01:33:39:3E:3A:18:CC:02:29:6E:F9:7C:2A:C9:EF:67:31:D0"
    );
    assert_eq!(
        c.fingerprint_hex(DigestAlgorithm::Sha256),
        "31ad6648f8104138c738f39ea4320133393e3a18cc02296ef97c2ac9ef6731d0"
    );
    // RSA-PSS signatures are not supported: the check names the algorithm.
    let c = cert(&dir.join("ee-pss-sha1-cert.pem")).expect("pss");
    let err = c.verify_signature(c.public_key()).expect_err("pss");
    assert_eq!(err.code(), ErrorCode::Unsupported);
    assert!(err.to_string().contains("1.2.840.113549.1.1.10"), "{err}");
}

#[test]
fn pkits_validity_paths() {
    let Some(v) = common::vectors_dir() else {
        return;
    };
    let dir = v.join("x509/nist-pkits-validity");
    let load = |f: &str| cert(&dir.join(format!("{f}.crt"))).unwrap_or_else(|e| panic!("{f}: {e}"));
    let anchors = TrustAnchors::new([load("TrustAnchorRootCertificate")]);
    let at = datetime!(2026-06-01 00:00 UTC);
    // (end entity, its CA, expected outcome by the PKITS name prefix)
    let cases: &[(&str, &str, Result<(), ErrorCode>)] = &[
        ("ValidCertificatePathTest1EE", "GoodCACert", Ok(())),
        (
            "InvalidCAnotBeforeDateTest1EE",
            "BadnotBeforeDateCACert",
            Err(ErrorCode::CertificateNotYetValid),
        ),
        (
            "InvalidEEnotBeforeDateTest2EE",
            "GoodCACert",
            Err(ErrorCode::CertificateNotYetValid),
        ),
        ("Validpre2000UTCnotBeforeDateTest3EE", "GoodCACert", Ok(())),
        (
            "ValidGeneralizedTimenotBeforeDateTest4EE",
            "GoodCACert",
            Ok(()),
        ),
        (
            "InvalidCAnotAfterDateTest5EE",
            "BadnotAfterDateCACert",
            Err(ErrorCode::CertificateExpired),
        ),
        (
            "InvalidEEnotAfterDateTest6EE",
            "GoodCACert",
            Err(ErrorCode::CertificateExpired),
        ),
        (
            "Invalidpre2000UTCEEnotAfterDateTest7EE",
            "GoodCACert",
            Err(ErrorCode::CertificateExpired),
        ),
        (
            "ValidGeneralizedTimenotAfterDateTest8EE",
            "GoodCACert",
            Ok(()),
        ),
    ];
    for (ee, ca, want) in cases {
        let result = anchors.verify(&load(ee), &[load(ca)], at);
        match (&result, want) {
            (Ok(path), Ok(())) => assert_eq!(path.len(), 3, "{ee}"),
            (Err(e), Err(code)) => assert_eq!(e.code(), *code, "{ee}: {e}"),
            _ => panic!("{ee}: {result:?}, want {want:?}"),
        }
    }
    // The CA that expired is named in the error, not the end entity.
    let err = anchors
        .verify(
            &load("InvalidCAnotAfterDateTest5EE"),
            &[load("BadnotAfterDateCACert")],
            at,
        )
        .expect_err("expired CA");
    assert!(err.to_string().contains("Bad notAfter Date CA"), "{err}");
    // Without the intermediate there is no path.
    let err = anchors
        .verify(&load("ValidCertificatePathTest1EE"), &[], at)
        .expect_err("no path");
    assert_eq!(err.code(), ErrorCode::CertificateUntrusted);
    let c = load("Validpre2000UTCnotBeforeDateTest3EE");
    assert_eq!(c.not_before(), datetime!(1950-01-01 12:01:00 UTC));
}

#[test]
fn pyca_requests() {
    let Some(v) = common::vectors_dir() else {
        return;
    };
    let dir = v.join("x509/pyca-requests");
    // (file, parses?, signature verifies? or the code of the failure)
    let table: &[(&str, Result<bool, ErrorCode>)] = &[
        ("bad-version.pem", Err(ErrorCode::DerMalformed)),
        ("basic_constraints.pem", Ok(false)),
        ("challenge-invalid.der", Ok(false)),
        ("challenge-multi-valued.der", Ok(false)),
        ("challenge-unstructured.pem", Ok(true)),
        ("challenge.pem", Ok(true)),
        ("dsa_sha1.der", Err(ErrorCode::Unsupported)),
        ("dsa_sha1.pem", Err(ErrorCode::Unsupported)),
        ("ec_sha256.der", Ok(true)),
        ("ec_sha256.pem", Ok(true)),
        ("ec_sha256_old_header.pem", Ok(true)),
        ("freeipa-bad-critical.pem", Ok(true)),
        ("invalid_signature.pem", Ok(false)),
        ("long-form-attribute.pem", Ok(false)),
        ("rsa_md4.der", Ok(false)),
        ("rsa_md4.pem", Ok(false)),
        ("rsa_sha1.der", Ok(true)),
        ("rsa_sha1.pem", Ok(true)),
        ("rsa_sha256.der", Ok(true)),
        ("rsa_sha256.pem", Ok(true)),
        ("san_rsa_sha1.der", Ok(true)),
        ("san_rsa_sha1.pem", Ok(true)),
        ("two_basic_constraints.pem", Ok(false)),
        ("unsupported_extension.pem", Ok(false)),
        ("unsupported_extension_critical.pem", Ok(false)),
        ("zero-element-attribute.pem", Ok(true)),
    ];
    for (file, want) in table {
        let data = std::fs::read(dir.join(file)).expect("read");
        let parsed = if file.ends_with(".der") {
            CertificateRequest::from_der(&data)
        } else {
            CertificateRequest::from_pem(&data)
        };
        match (parsed, want) {
            (Ok(r), Ok(ok)) => assert_eq!(r.verify_signature().is_ok(), *ok, "{file}"),
            (Err(e), Err(code)) => assert_eq!(e.code(), *code, "{file}: {e}"),
            (got, want) => panic!("{file}: got {got:?}, want {want:?}"),
        }
    }
}
