//! Revocation checking in XAdES and CMS verification: a revoked signer fails with its own
//! code (time and reason), judged at a trusted time-stamp's time when there is one — a
//! signature stamped before the revocation passes and says so — and never at the claimed
//! SigningTime. (`tests/crl_interop.rs` has openssl's verdicts on the same CRLs.)

mod common;

use std::sync::Arc;

use common::tsa::StampingAt;
use ezla::ErrorCode;
use ezla::error::CertificateError;
use ezla::pki::testca::{CrlSpec, DoctorSpec, IssueOptions, TestCa};
use ezla::pki::{Identity, RevocationReason, RevokedCertificate, TrustAnchors};
use ezla::revocation::{CrlSource, JudgedBy, RevocationChecker, RevocationStatus};
use ezla::transport::{MemoryTransport, Response};
use ezla::tsp::{self, TimeStampAuthority, TokenOptions};
use ezla::{Error, cms, xades};
use time::{Duration, OffsetDateTime};

const KEDU: &[u8] = br#"<KEDU xmlns="http://www.zus.pl/2015/KED_ZLA_1"><ZUSZLA id_dokumentu="1"><II><p1>68071892605</p1></II></ZUSZLA></KEDU>"#;
const CRL_URL: &str = "http://pue.sim.invalid/pue/crl";

struct World {
    ca: TestCa,
    anchors: Arc<TrustAnchors>,
    doctor: Identity,
    tsa: TimeStampAuthority,
    now: OffsetDateTime,
}

fn world() -> World {
    let now = OffsetDateTime::now_utc();
    let ca =
        TestCa::generate("ezla revocation test CA", now - Duration::days(90), 3650).expect("ca");
    let mut spec = DoctorSpec::new("Anna", "Nowak", "02070803628".parse().expect("pesel"));
    spec.options = IssueOptions::doctor(now - Duration::days(30));
    spec.options.crl_url = Some(CRL_URL.into());
    let doctor = ca.issue_doctor(&spec).expect("doctor");
    let tsa = common::tsa::local(&ca, "ezla test TSA", now - Duration::days(60));
    World {
        anchors: Arc::new(TrustAnchors::new([ca.certificate().clone()])),
        ca,
        doctor,
        tsa,
        now,
    }
}

impl World {
    /// A CRL issued a minute ago listing the doctor as revoked at `at` (or nobody).
    fn crl(&self, revoked_at: Option<OffsetDateTime>) -> ezla::pki::Crl {
        let mut spec = CrlSpec::new(
            self.now - Duration::minutes(1),
            self.now + Duration::days(1),
            1,
        );
        if let Some(at) = revoked_at {
            spec.revoked.push(RevokedCertificate::new(
                &self.doctor.certificate,
                at,
                Some(RevocationReason::KeyCompromise),
            ));
        }
        self.ca.issue_crl(&spec).expect("crl")
    }

    fn checker(&self, revoked_at: Option<OffsetDateTime>) -> Arc<RevocationChecker> {
        Arc::new(RevocationChecker::new().with_crl(self.crl(revoked_at), "ca.crl"))
    }
}

#[test]
fn xades_a_good_certificate_reports_the_crl_used() {
    let w = world();
    let signed =
        xades::sign_with_identity(KEDU, &w.doctor, &xades::SignOptions::default()).expect("sign");
    let options = xades::VerifyOptions::default()
        .with_trust(w.anchors.clone())
        .with_revocation(w.checker(None));
    let report = xades::verify(&signed, &options).expect("verifies");
    let revocation = report.revocation.expect("checked");
    assert_eq!(revocation.status, RevocationStatus::Good);
    assert_eq!(revocation.source, CrlSource::Given("ca.crl".into()));
    assert_eq!(revocation.judged_by, JudgedBy::VerificationTime);
    assert_eq!(revocation.judged_at, report.judged_at);
    // The JSON form of the report carries it.
    let json = serde_json::to_value(report_again(&signed, &options)).expect("json");
    assert_eq!(json["revocation"]["status"], "good");
    assert_eq!(json["revocation"]["source"]["kind"], "given");
    assert_eq!(json["revocation"]["judged_by"], "verification_time");
    // Without the option nothing is checked or reported.
    let plain = xades::verify(
        &signed,
        &xades::VerifyOptions::default().with_trust(w.anchors.clone()),
    )
    .expect("verifies");
    assert!(plain.revocation.is_none());
}

fn report_again(signed: &[u8], options: &xades::VerifyOptions) -> xades::Report {
    xades::verify(signed, options).expect("verifies")
}

#[test]
fn xades_a_revoked_certificate_fails_even_with_a_backdated_signing_time() {
    let w = world();
    let revoked_at = w.now - Duration::hours(2);
    // The thief signs now but claims a signing time before the revocation.
    let mut sign = xades::SignOptions::default();
    sign.signing_time = Some(revoked_at - Duration::days(1));
    let signed = xades::sign_with_identity(KEDU, &w.doctor, &sign).expect("sign");
    let options = xades::VerifyOptions::default()
        .with_trust(w.anchors.clone())
        .with_revocation(w.checker(Some(revoked_at)));
    let err = xades::verify(&signed, &options).expect_err("revoked");
    assert_eq!(err.code(), ErrorCode::CertificateRevoked, "{err}");
    let Error::Certificate(CertificateError::Revoked {
        revoked_at: at,
        reason,
        ..
    }) = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*at, revoked_at.replace_nanosecond(0).expect("ns"));
    assert_eq!(reason.as_deref(), Some("keyCompromise"));
    // Judged at an instant the caller names before the revocation, it passes.
    let report = xades::verify(
        &signed,
        &options.clone().at(revoked_at - Duration::hours(1)),
    )
    .expect("judged before");
    let revocation = report.revocation.expect("checked");
    assert!(revocation.revoked_later());
    assert_eq!(revocation.judged_by, JudgedBy::Requested);
}

#[test]
fn xades_t_stamped_before_the_revocation_passes_and_says_so() {
    let w = world();
    let revoked_at = w.now - Duration::hours(2);
    let signed = xades::sign_with_identity(KEDU, &w.doctor, &{
        let mut o = xades::SignOptions::default();
        o.signing_time = Some(revoked_at - Duration::hours(3));
        o
    })
    .expect("sign");
    let stamped = xades::add_timestamp(
        &signed,
        &StampingAt(&w.tsa, revoked_at - Duration::hours(3)),
    )
    .expect("stamp");
    let options = xades::VerifyOptions::default()
        .with_trust(w.anchors.clone())
        .with_revocation(w.checker(Some(revoked_at)));
    // The stamp's TSA untrusted: judged now, revoked.
    assert_eq!(
        xades::verify(&stamped, &options)
            .expect_err("untrusted stamp")
            .code(),
        ErrorCode::CertificateRevoked
    );
    // Trusted: judged at the stamp, before the revocation.
    let report = xades::verify(&stamped, &options.clone().with_tsa_trust(w.anchors.clone()))
        .expect("stamped before");
    let revocation = report.revocation.expect("checked");
    assert_eq!(revocation.judged_by, JudgedBy::TimeStamp);
    assert_eq!(revocation.judged_at, report.timestamps[0].time);
    match &revocation.status {
        RevocationStatus::RevokedLater { reason, .. } => {
            assert_eq!(reason.as_deref(), Some("keyCompromise"))
        }
        other => panic!("{other:?}"),
    }
    // A stamp after the revocation does not help.
    let late = xades::add_timestamp(
        &signed,
        &StampingAt(&w.tsa, revoked_at + Duration::minutes(1)),
    )
    .expect("stamp");
    assert_eq!(
        xades::verify(&late, &options.clone().with_tsa_trust(w.anchors.clone()))
            .expect_err("stamped after")
            .code(),
        ErrorCode::CertificateRevoked
    );
}

#[test]
fn revocation_needs_the_chain_not_a_pinned_certificate() {
    let w = world();
    let signed =
        xades::sign_with_identity(KEDU, &w.doctor, &xades::SignOptions::default()).expect("sign");
    let mut options = xades::VerifyOptions::default().with_revocation(w.checker(None));
    options.signer_certificate = Some(w.doctor.certificate.clone());
    assert_eq!(
        xades::verify(&signed, &options).expect_err("pinned").code(),
        ErrorCode::RevocationUnknown
    );
}

#[test]
fn xades_fetches_the_distribution_point_through_the_transport() {
    let w = world();
    let der = w.crl(Some(w.now - Duration::minutes(5))).to_der().to_vec();
    let transport = Arc::new(MemoryTransport::new(move |request| {
        assert_eq!(request.url, CRL_URL);
        Ok(Response::new(
            200,
            Some("application/pkix-crl"),
            der.clone(),
        ))
    }));
    let checker = Arc::new(RevocationChecker::new().with_fetching(transport.clone()));
    let signed =
        xades::sign_with_identity(KEDU, &w.doctor, &xades::SignOptions::default()).expect("sign");
    let options = xades::VerifyOptions::default()
        .with_trust(w.anchors.clone())
        .with_revocation(checker);
    for _ in 0..3 {
        assert_eq!(
            xades::verify(&signed, &options)
                .expect_err("revoked")
                .code(),
            ErrorCode::CertificateRevoked
        );
    }
    assert_eq!(transport.requests().len(), 1, "cached until nextUpdate");
}

#[test]
fn cms_and_cades_t_check_revocation_at_the_right_instant() {
    let w = world();
    let revoked_at = w.now - Duration::hours(2);
    let mut options = cms::SignOptions::default();
    options.signing_time = Some(revoked_at - Duration::hours(3));
    let signed =
        cms::sign(b"a PDF", &w.doctor, &w.doctor.certificate, &[], &options).expect("sign");
    let good = cms::VerifyOptions::default()
        .with_trust(w.anchors.clone())
        .with_revocation(w.checker(None));
    let report = cms::verify(&signed, None, &good).expect("good");
    assert_eq!(
        report.revocation.expect("checked").status,
        RevocationStatus::Good
    );
    let revoked = cms::VerifyOptions::default()
        .with_trust(w.anchors.clone())
        .with_revocation(w.checker(Some(revoked_at)));
    // The backdated signing-time attribute does not count.
    assert_eq!(
        cms::verify(&signed, None, &revoked)
            .expect_err("revoked")
            .code(),
        ErrorCode::CertificateRevoked
    );
    // CAdES-T stamped before the revocation, TSA trusted: passes, judged at the stamp.
    let stamped = tsp::cades::add_timestamp(
        &signed,
        &StampingAt(&w.tsa, revoked_at - Duration::hours(3)),
    )
    .expect("stamp");
    let tsa = TokenOptions::default().with_trust(w.anchors.clone());
    let verified = tsp::cades::verify(&stamped, None, &revoked, &tsa).expect("stamped before");
    let revocation = verified.report.revocation.expect("checked");
    assert_eq!(revocation.judged_by, JudgedBy::TimeStamp);
    assert!(revocation.revoked_later());
    // TSA not trusted: judged now.
    assert_eq!(
        tsp::cades::verify(&stamped, None, &revoked, &TokenOptions::default())
            .expect_err("untrusted stamp")
            .code(),
        ErrorCode::CertificateRevoked
    );
}
