//! CAdES-BES round trips and refusals; `tests/cms_interop.rs` has openssl's verdicts.

use super::*;
use crate::ErrorCode;
use crate::crypto::{DigestAlgorithm, KeySpec};
use crate::pki::testca::{DoctorSpec, TestCa};
use crate::pki::{Identity, TrustAnchors};
use std::sync::Arc;
use time::OffsetDateTime;

fn doctor(spec: KeySpec) -> (TestCa, Identity) {
    let now = OffsetDateTime::now_utc();
    let ca = TestCa::generate("ezla cms test CA", now, 30).expect("ca");
    let mut d = DoctorSpec::new("Jan", "Kowalski", "44051401359".parse().expect("pesel"));
    d.key = spec;
    let id = ca.issue_doctor(&d).expect("doctor");
    (ca, id)
}

#[test]
fn attached_and_detached_round_trip_with_rsa_and_ecdsa() {
    for spec in [KeySpec::Rsa2048, KeySpec::EcP256] {
        let (ca, id) = doctor(spec);
        let anchors = Arc::new(TrustAnchors::new([ca.certificate().clone()]));
        for digest in [
            DigestAlgorithm::Sha256,
            DigestAlgorithm::Sha384,
            DigestAlgorithm::Sha512,
        ] {
            let mut options = SignOptions {
                digest,
                ..SignOptions::default()
            };
            let der = sign(b"e-ZLA printout", &id, &id.certificate, &[], &options).expect("sign");
            let report = verify(
                &der,
                None,
                &VerifyOptions::default().with_trust(anchors.clone()),
            )
            .expect("verifies");
            assert!(report.attached);
            assert_eq!(report.content, b"e-ZLA printout");
            assert_eq!(report.digest, digest);
            assert_eq!(report.trust, "chain");
            assert_eq!(report.pesel.as_deref(), Some("44051401359"));
            assert!(report.signing_time.is_some() && report.ess_binding);

            options.detached = true;
            let der = sign(b"a PDF", &id, &id.certificate, &[], &options).expect("sign");
            let report = verify(&der, Some(b"a PDF"), &VerifyOptions::default()).expect("ok");
            assert!(!report.attached);
            assert_eq!(report.trust, "untrusted");
            let e = verify(&der, Some(b"a PDF, altered"), &VerifyOptions::default())
                .expect_err("other content");
            assert_eq!(e.code(), ErrorCode::DigestMismatch);
            let e = verify(&der, None, &VerifyOptions::default()).expect_err("no content");
            assert_eq!(e.code(), ErrorCode::SignatureMalformed);
        }
    }
}

#[test]
fn a_reader_is_signed_as_its_bytes_are() {
    let (_, id) = doctor(KeySpec::EcP256);
    let data = vec![7u8; 300_000];
    let der = sign_detached_reader(
        &data[..],
        &id,
        &id.certificate,
        &[],
        &SignOptions::detached(),
    )
    .expect("sign");
    verify(&der, Some(&data), &VerifyOptions::default()).expect("verifies");
}

#[test]
fn tampering_and_the_wrong_certificate_are_refused() {
    let (_, id) = doctor(KeySpec::Rsa2048);
    let (_, other) = doctor(KeySpec::Rsa2048);
    let e =
        sign(b"x", &id, &other.certificate, &[], &SignOptions::default()).expect_err("mismatch");
    assert_eq!(e.code(), ErrorCode::KeyCertificateMismatch);
    let der = sign(
        b"payload",
        &id,
        &id.certificate,
        &[],
        &SignOptions::default(),
    )
    .expect("sign");
    // Flip one byte of the carried content: the digest no longer matches.
    let at = der
        .windows(7)
        .position(|w| w == b"payload")
        .expect("the content is carried");
    let mut altered = der.clone();
    altered[at] ^= 1;
    assert_eq!(
        verify(&altered, None, &VerifyOptions::default())
            .expect_err("altered")
            .code(),
        ErrorCode::DigestMismatch
    );
    // Flip the last byte (inside the signature value).
    let mut altered = der.clone();
    let last = altered.len() - 1;
    altered[last] ^= 1;
    assert_eq!(
        verify(&altered, None, &VerifyOptions::default())
            .expect_err("bad sig")
            .code(),
        ErrorCode::SignatureInvalid
    );
    // Truncated, and an indefinite length that never ends (BER is read, but not this).
    assert_eq!(
        verify(&der[..der.len() - 3], None, &VerifyOptions::default())
            .expect_err("truncated")
            .code(),
        ErrorCode::DerMalformed
    );
    let mut indefinite = der.clone();
    indefinite[1] = 0x80;
    assert_eq!(
        verify(&indefinite, None, &VerifyOptions::default())
            .expect_err("indefinite")
            .code(),
        ErrorCode::DerMalformed
    );
    // Trust anchors that are not the signer's CA.
    let (stranger_ca, _) = doctor(KeySpec::EcP256);
    let anchors = Arc::new(TrustAnchors::new([stranger_ca.certificate().clone()]));
    assert_eq!(
        verify(&der, None, &VerifyOptions::default().with_trust(anchors))
            .expect_err("untrusted")
            .code(),
        ErrorCode::CertificateUntrusted
    );
}

#[test]
fn pem_is_read_back() {
    let (_, id) = doctor(KeySpec::EcP256);
    let der = sign(b"x", &id, &id.certificate, &[], &SignOptions::default()).expect("sign");
    let pem = to_pem(&der);
    assert!(pem.starts_with("-----BEGIN CMS-----"));
    assert_eq!(from_pem_or_der(pem.as_bytes()).expect("pem"), der);
    assert_eq!(from_pem_or_der(&der).expect("der"), der);
    let e = from_pem_or_der(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
        .expect_err("no CMS block");
    assert_eq!(e.code(), ErrorCode::PemMalformed);
}

#[test]
fn times_are_utc_time_before_2050() {
    let t = time::macros::datetime!(2026-12-05 00:30:05 UTC);
    assert_eq!(sign::time_der(t)[0], 0x17);
    assert_eq!(&sign::time_der(t)[2..], b"261205003005Z");
    let late = time::macros::datetime!(2050-01-01 00:00 UTC);
    assert_eq!(&sign::time_der(late)[2..], b"20500101000000Z");
}

#[test]
fn an_impossible_signing_time_is_refused_even_without_trust() {
    let (_, id) = doctor(KeySpec::EcP256);
    for (claimed, why) in [
        (
            OffsetDateTime::now_utc() + time::Duration::days(3),
            "later than",
        ),
        (
            id.certificate.not_before() - time::Duration::days(1),
            "outside the certificate",
        ),
        (
            id.certificate.not_after() + time::Duration::days(1),
            "later than",
        ),
    ] {
        let options = SignOptions {
            signing_time: Some(claimed),
            ..SignOptions::default()
        };
        let der = sign(b"x", &id, &id.certificate, &[], &options).expect("sign");
        let e = verify(&der, None, &VerifyOptions::default()).expect_err("impossible time");
        assert_eq!(e.code(), ErrorCode::SigningTimeInvalid, "{e}");
        assert!(e.to_string().contains(why), "{e}");
    }
    // Judged at a later instant, a signing time in the certificate's validity is fine.
    let options = SignOptions {
        signing_time: Some(OffsetDateTime::now_utc() + time::Duration::days(3)),
        ..SignOptions::default()
    };
    let der = sign(b"x", &id, &id.certificate, &[], &options).expect("sign");
    let at = OffsetDateTime::now_utc() + time::Duration::days(4);
    verify(&der, None, &VerifyOptions::default().at(at)).expect("judged later");
}

#[test]
fn an_expired_certificate_is_judged_now_not_at_the_claimed_signing_time() {
    // Whoever holds the key of a certificate that has expired can claim a signing time
    // from when it was valid; that claim must not make the signature verify.
    let now = OffsetDateTime::now_utc();
    let ca =
        TestCa::generate("ezla cms test CA", now - time::Duration::days(400), 3650).expect("ca");
    let mut spec = DoctorSpec::new("Jan", "Kowalski", "44051401359".parse().expect("pesel"));
    spec.key = KeySpec::EcP256;
    spec.options.not_before = now - time::Duration::days(300);
    spec.options.not_after = now - time::Duration::days(10);
    let id = ca.issue_doctor(&spec).expect("expired doctor");
    let claimed = now - time::Duration::days(100);
    let options = SignOptions {
        signing_time: Some(claimed),
        ..SignOptions::default()
    };
    let der = sign(b"x", &id, &id.certificate, &[], &options).expect("sign");
    let trust = VerifyOptions::default()
        .with_trust(Arc::new(TrustAnchors::new(vec![ca.certificate().clone()])));
    let e = verify(&der, None, &trust).expect_err("judged now, the certificate has expired");
    assert_eq!(e.code(), ErrorCode::CertificateExpired, "{e}");
    // Asked explicitly for an instant within the validity, it verifies.
    let report = verify(&der, None, &trust.clone().at(claimed)).expect("judged at the claim");
    assert_eq!(report.trust, "chain");
}
