//! XAdES-T and CAdES-T with the local TSA of `tsp::TimeStampAuthority`: the time-stamp
//! added later without touching the signed bytes, checked on verification, and a trusted
//! one letting a signature made while the certificate was valid verify after it expired.
//! (`tests/timestamp_interop.rs` has xmlsec1's and openssl's verdicts.)

mod common;

use std::sync::Arc;

use common::tsa::StampingAt;
use ezla::ErrorCode;
use ezla::pki::testca::{DoctorSpec, IssueOptions, TestCa};
use ezla::pki::{Identity, TrustAnchors};
use ezla::tsp::{self, TimeStampAuthority, TimeStamper, TokenOptions};
use ezla::{cms, xades};
use time::{Duration, OffsetDateTime};

const KEDU: &[u8] = br#"<KEDU xmlns="http://www.zus.pl/2015/KED_ZLA_1"><ZUSZLA id_dokumentu="1"><II><p1>68071892605</p1></II></ZUSZLA></KEDU>"#;

struct World {
    anchors: Arc<TrustAnchors>,
    /// A doctor whose certificate was valid from 40 to 10 days ago.
    expired: Identity,
    /// A doctor valid now.
    doctor: Identity,
    /// A TSA valid from 60 days ago for a year.
    tsa: TimeStampAuthority,
    /// When the expired doctor signed (20 days ago).
    then: OffsetDateTime,
}

fn world() -> World {
    let now = OffsetDateTime::now_utc();
    let ca = TestCa::generate("ezla -T test CA", now - Duration::days(90), 3650).expect("ca");
    let mut spec = DoctorSpec::new("Jan", "Kowalski", "44051401359".parse().expect("pesel"));
    spec.options = IssueOptions::doctor(now - Duration::days(40));
    spec.options.not_after = now - Duration::days(10);
    let expired = ca.issue_doctor(&spec).expect("expired doctor");
    let doctor = ca
        .issue_doctor(&DoctorSpec::new(
            "Anna",
            "Nowak",
            "02070803628".parse().expect("pesel"),
        ))
        .expect("doctor");
    let tsa = common::tsa::local(&ca, "ezla -T test TSA", now - Duration::days(60));
    World {
        anchors: Arc::new(TrustAnchors::new([ca.certificate().clone()])),
        expired,
        doctor,
        tsa,
        then: now - Duration::days(20),
    }
}

#[test]
fn xades_t_added_later_leaves_the_signed_bytes_and_verifies() {
    let w = world();
    let signed =
        xades::sign_with_identity(KEDU, &w.doctor, &xades::SignOptions::default()).expect("sign");
    let stamped = xades::add_timestamp(&signed, &w.tsa).expect("stamp");
    // The original bytes, with one insertion.
    let text = String::from_utf8(stamped.clone()).expect("utf-8");
    let start = text.find("<xades:UnsignedProperties>").expect("inserted");
    let end = text.find("</xades:UnsignedProperties>").expect("closed")
        + "</xades:UnsignedProperties>".len();
    assert_eq!(
        format!("{}{}", &text[..start], &text[end..]).as_bytes(),
        signed.as_slice()
    );

    let options = xades::VerifyOptions::default().with_trust(w.anchors.clone());
    let untrusted_tsa = xades::verify(&stamped, &options).expect("verifies");
    assert_eq!(untrusted_tsa.timestamps.len(), 1);
    assert_eq!(untrusted_tsa.timestamps[0].trust, "untrusted");
    let report = xades::verify(&stamped, &options.clone().with_tsa_trust(w.anchors.clone()))
        .expect("verifies");
    assert_eq!(report.trust, "chain");
    assert_eq!(report.timestamps[0].trust, "chain");
    assert_eq!(report.timestamps[0].tsa, "CN=ezla -T test TSA");
    assert!(report.timestamps[0].valid && report.timestamps[0].error.is_none());
    assert_eq!(report.judged_at, report.timestamps[0].time);
    // A BES signature has none, and is judged now.
    assert!(
        xades::verify(&signed, &options)
            .expect("bes")
            .timestamps
            .is_empty()
    );

    // Stamped twice: both are checked and reported.
    let twice = xades::add_timestamp(&stamped, &w.tsa).expect("second stamp");
    let report = xades::verify(&twice, &options).expect("verifies");
    assert_eq!(report.timestamps.len(), 2);
    assert!(String::from_utf8_lossy(&twice).contains("SignatureTimeStamp-2\""));
}

#[test]
fn xades_t_with_a_trusted_stamp_verifies_after_the_certificate_expired() {
    let w = world();
    let mut sign = xades::SignOptions::default();
    sign.signing_time = Some(w.then);
    sign.allow_invalid_certificate = true; // signing "then", with a certificate valid then
    let signed = xades::sign_with_identity(KEDU, &w.expired, &sign).expect("sign");
    let stamped = xades::add_timestamp(&signed, &StampingAt(&w.tsa, w.then + Duration::minutes(1)))
        .expect("stamp");
    let options = xades::VerifyOptions::default().with_trust(w.anchors.clone());
    // Today, the certificate has expired: without a trusted stamp the signature fails.
    let e = xades::verify(&signed, &options).expect_err("expired");
    assert_eq!(e.code(), ErrorCode::CertificateExpired, "{e}");
    let e = xades::verify(&stamped, &options).expect_err("stamp not trusted");
    assert_eq!(e.code(), ErrorCode::CertificateExpired, "{e}");
    // With the TSA trusted, it is judged at the stamped time and verifies.
    let report = xades::verify(&stamped, &options.clone().with_tsa_trust(w.anchors.clone()))
        .expect("judged then");
    assert_eq!(report.trust, "chain");
    assert_eq!(
        report.judged_at,
        ezla::xml::datetime::format(w.then + Duration::minutes(1))
    );
    // A stamp from before the claimed signing time contradicts it.
    let early = xades::add_timestamp(&signed, &StampingAt(&w.tsa, w.then - Duration::days(1)))
        .expect("stamp");
    let e = xades::verify(&early, &options.clone().with_tsa_trust(w.anchors.clone()))
        .expect_err("stamp before signing");
    assert_eq!(e.code(), ErrorCode::SigningTimeInvalid, "{e}");
}

#[test]
fn a_stamp_over_something_else_is_refused() {
    let w = world();
    let signed =
        xades::sign_with_identity(KEDU, &w.doctor, &xades::SignOptions::default()).expect("sign");
    let other =
        xades::sign_with_identity(KEDU, &w.doctor, &xades::SignOptions::default()).expect("sign");
    let digest = ezla::crypto::DigestAlgorithm::Sha256;
    let token_for_other = w
        .tsa
        .time_stamp(
            digest,
            &digest.digest(&xades::timestamp_input(&other).expect("input")),
        )
        .expect("token");
    let e = xades::add_signature_timestamp(&signed, &token_for_other).expect_err("other signature");
    assert_eq!(e.code(), ErrorCode::TimestampMismatch, "{e}");
    // Swapped in by hand after stamping: verification refuses it.
    let stamped = xades::add_timestamp(&signed, &w.tsa).expect("stamp");
    let good = xades::add_timestamp(&other, &w.tsa).expect("stamp");
    let b64 = |doc: &[u8]| {
        let t = String::from_utf8_lossy(doc).into_owned();
        let s = t.find("EncapsulatedTimeStamp>").expect("token") + "EncapsulatedTimeStamp>".len();
        let e = s + t[s..].find('<').expect("end");
        t[s..e].to_string()
    };
    // Swapped in by hand, or broken: the signature stays valid (it does not depend on its
    // unsigned properties), the time-stamp is reported invalid and sets no instant.
    let swapped = String::from_utf8_lossy(&stamped).replace(&b64(&stamped), &b64(&good));
    let broken = String::from_utf8_lossy(&stamped).replace(&b64(&stamped), "AAAA");
    for (doc, why) in [(swapped, "TimestampMismatch"), (broken, "DerMalformed")] {
        let trusted = xades::VerifyOptions::default()
            .with_tsa_trust(Arc::new(TrustAnchors::new([w.tsa.certificate().clone()])));
        let report = xades::verify(doc.as_bytes(), &trusted).expect("the signature is valid");
        let [stamp] = report.timestamps.as_slice() else {
            panic!("one time-stamp expected");
        };
        assert!(!stamp.valid && stamp.trust == "invalid", "{stamp:?}");
        assert!(
            stamp.error.as_deref().is_some_and(|e| e.starts_with(why)),
            "{stamp:?}"
        );
        assert!(stamp.detail.is_none());
        assert!(!report.judged_at.is_empty());
    }
}

#[test]
fn cades_t_added_later_verifies_and_outlives_the_certificate() {
    let w = world();
    let mut options = cms::SignOptions::default();
    options.signing_time = Some(w.then);
    for detached in [false, true] {
        let mut options = options.clone();
        options.detached = detached;
        let content = detached.then_some(&b"a PDF printout"[..]);
        let signed = cms::sign(
            b"a PDF printout",
            &w.expired,
            &w.expired.certificate,
            &[],
            &options,
        )
        .expect("sign");
        let trust = cms::VerifyOptions::default().with_trust(w.anchors.clone());
        let tsa = TokenOptions::default().with_trust(w.anchors.clone());
        // Plain CAdES-BES: judged at the claimed signing time, as cms::verify does.
        let bes = tsp::cades::verify(
            &signed,
            content,
            &trust.clone().at(OffsetDateTime::now_utc()),
            &tsa,
        );
        assert_eq!(
            bes.expect_err("expired now").code(),
            ErrorCode::CertificateExpired
        );
        let stamped =
            tsp::cades::add_timestamp(&signed, &StampingAt(&w.tsa, w.then + Duration::minutes(1)))
                .expect("stamp");
        // The signed parts are unchanged: cms::verify still accepts it.
        cms::verify(&stamped, content, &cms::VerifyOptions::default())
            .expect("still a CAdES signature");
        let verified = tsp::cades::verify(&stamped, content, &trust, &tsa).expect("CAdES-T");
        assert_eq!(verified.timestamps.len(), 1);
        assert_eq!(verified.timestamps[0].trust, "chain");
        // genTime is kept to the millisecond.
        assert!(
            (verified.judged_at - (w.then + Duration::minutes(1))).abs()
                < Duration::milliseconds(1)
        );
        assert_eq!(verified.report.trust, "chain");
        // A second stamp is added beside the first.
        let twice = tsp::cades::add_timestamp(&stamped, &w.tsa).expect("second");
        assert_eq!(
            tsp::cades::verify(&twice, content, &trust, &tsa)
                .expect("two")
                .timestamps
                .len(),
            2
        );
        // A token for another signature is refused.
        let other = cms::sign(
            b"x",
            &w.doctor,
            &w.doctor.certificate,
            &[],
            &cms::SignOptions::default(),
        )
        .expect("sign");
        let digest = ezla::crypto::DigestAlgorithm::Sha256;
        let token = w
            .tsa
            .time_stamp(
                digest,
                &digest.digest(&tsp::cades::timestamp_input(&other).expect("input")),
            )
            .expect("token");
        let e = tsp::cades::add_signature_timestamp(&signed, &token).expect_err("other");
        assert_eq!(e.code(), ErrorCode::TimestampMismatch, "{e}");
    }
}
