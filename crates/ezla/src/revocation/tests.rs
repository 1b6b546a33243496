use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use time::macros::datetime;
use time::{Duration, OffsetDateTime};

use super::*;
use crate::ErrorCode;
use crate::crypto::KeySpec;
use crate::pki::crl::{RevocationReason, RevokedCertificate};
use crate::pki::testca::{CrlSpec, DoctorSpec, IssueOptions, TestCa};
use crate::pl::Pesel;
use crate::transport::{MemoryTransport, Response};

const START: OffsetDateTime = datetime!(2025-01-01 00:00 UTC);
const ISSUED: OffsetDateTime = datetime!(2026-03-01 12:00 UTC);
const NOW: OffsetDateTime = datetime!(2026-03-01 13:00 UTC);
const URL: &str = "http://crl.ezla.invalid/ca.crl";

fn ca(name: &str) -> TestCa {
    TestCa::generate_with(KeySpec::EcP256, name, START, 3650).expect("ca")
}

fn doctor(ca: &TestCa) -> Certificate {
    let mut spec = DoctorSpec::new(
        "Jan",
        "Kowalski",
        Pesel::parse("44051401359").expect("pesel"),
    );
    spec.key = KeySpec::EcP256;
    spec.options = IssueOptions::doctor(START);
    spec.options.crl_url = Some(URL.into());
    ca.issue_doctor(&spec).expect("doctor").certificate
}

fn crl(ca: &TestCa, this_update: OffsetDateTime, revoked: Vec<RevokedCertificate>) -> Crl {
    let mut spec = CrlSpec::new(this_update, this_update + Duration::days(1), 3);
    spec.revoked = revoked;
    ca.issue_crl(&spec).expect("crl")
}

fn check(
    checker: &RevocationChecker,
    ca: &TestCa,
    cert: &Certificate,
    judged_at: OffsetDateTime,
) -> Result<RevocationReport> {
    checker.check(
        cert,
        ca.certificate(),
        judged_at,
        JudgedBy::VerificationTime,
        NOW,
    )
}

#[test]
fn a_given_crl_decides_and_the_report_names_it() {
    let ca = ca("CA");
    let cert = doctor(&ca);
    let checker = RevocationChecker::new().with_crl(crl(&ca, ISSUED, Vec::new()), "ca.crl");
    let report = check(&checker, &ca, &cert, NOW).expect("good");
    assert_eq!(report.status, RevocationStatus::Good);
    assert_eq!(report.source, CrlSource::Given("ca.crl".into()));
    assert_eq!(report.crl_issuer, ca.certificate().subject().to_rfc4514());
    assert_eq!(report.crl_this_update, "2026-03-01T12:00:00Z");
    assert_eq!(
        report.crl_next_update.as_deref(),
        Some("2026-03-02T12:00:00Z")
    );
    assert_eq!(report.crl_number.as_deref(), Some("03"));
    assert_eq!(report.judged_at, "2026-03-01T13:00:00Z");
    assert_eq!(report.judged_by, JudgedBy::VerificationTime);
    assert!(!report.revoked_later());
}

#[test]
fn a_revocation_before_the_instant_judged_fails_and_a_later_one_is_reported() {
    let ca = ca("CA");
    let cert = doctor(&ca);
    let revoked_at = datetime!(2026-03-01 10:00 UTC);
    let list = crl(
        &ca,
        ISSUED,
        vec![RevokedCertificate::new(
            &cert,
            revoked_at,
            Some(RevocationReason::KeyCompromise),
        )],
    );
    let checker = RevocationChecker::new().with_crl(list, "ca.crl");
    let err = check(&checker, &ca, &cert, NOW).expect_err("revoked");
    assert_eq!(err.code(), ErrorCode::CertificateRevoked);
    match &err {
        Error::Certificate(CertificateError::Revoked {
            revoked_at: at,
            reason,
            serial,
            ..
        }) => {
            assert_eq!(*at, revoked_at);
            assert_eq!(reason.as_deref(), Some("keyCompromise"));
            assert_eq!(serial, &cert.serial_hex());
        }
        other => panic!("{other:?}"),
    }
    let text = err.to_string();
    assert!(
        text.contains("2026-03-01T10:00:00Z") && text.contains("keyCompromise"),
        "{text}"
    );
    // Exactly at the revocation time: revoked.
    assert_eq!(
        check(&checker, &ca, &cert, revoked_at)
            .expect_err("at")
            .code(),
        ErrorCode::CertificateRevoked
    );
    // Judged (by a time-stamp) a second before: passes, and says it was revoked later.
    let report = checker
        .check(
            &cert,
            ca.certificate(),
            revoked_at - Duration::seconds(1),
            JudgedBy::TimeStamp,
            NOW,
        )
        .expect("stamped before");
    assert!(report.revoked_later());
    assert_eq!(
        report.status,
        RevocationStatus::RevokedLater {
            revoked_at: "2026-03-01T10:00:00Z".into(),
            reason: Some("keyCompromise".into()),
        }
    );
    assert_eq!(report.judged_by, JudgedBy::TimeStamp);
}

#[test]
fn the_newest_given_crl_of_the_issuer_is_used() {
    let ca = ca("CA");
    let cert = doctor(&ca);
    let old = crl(&ca, ISSUED - Duration::hours(5), Vec::new());
    let new = crl(
        &ca,
        ISSUED,
        vec![RevokedCertificate::new(
            &cert,
            ISSUED - Duration::hours(1),
            None,
        )],
    );
    let checker = RevocationChecker::new()
        .with_crl(old, "old.crl")
        .with_crl(new, "new.crl");
    assert_eq!(
        check(&checker, &ca, &cert, NOW).expect_err("new").code(),
        ErrorCode::CertificateRevoked
    );
}

#[test]
fn bad_or_missing_crls_are_typed_errors() {
    let ca = ca("CA");
    let cert = doctor(&ca);
    let other = self::ca("Another CA");
    let code = |r: Result<RevocationReport>| r.expect_err("must fail").code();
    // Another issuer's CRL only.
    let checker = RevocationChecker::new().with_crl(crl(&other, ISSUED, Vec::new()), "other.crl");
    assert_eq!(
        code(check(&checker, &ca, &cert, NOW)),
        ErrorCode::CrlIssuerMismatch
    );
    // The issuer's name, another key.
    let impostor = self::ca("CA");
    let checker = RevocationChecker::new().with_crl(crl(&impostor, ISSUED, Vec::new()), "x.crl");
    assert_eq!(
        code(check(&checker, &ca, &cert, NOW)),
        ErrorCode::CrlSignatureInvalid
    );
    // Out of date, not yet valid.
    let checker = RevocationChecker::new()
        .with_crl(crl(&ca, ISSUED - Duration::days(3), Vec::new()), "old.crl");
    assert_eq!(
        code(check(&checker, &ca, &cert, NOW)),
        ErrorCode::CrlExpired
    );
    let checker = RevocationChecker::new()
        .with_crl(crl(&ca, NOW + Duration::hours(1), Vec::new()), "future.crl");
    assert_eq!(
        code(check(&checker, &ca, &cert, NOW)),
        ErrorCode::CrlNotYetValid
    );
    // Nothing at all.
    assert_eq!(
        code(check(&RevocationChecker::new(), &ca, &cert, NOW)),
        ErrorCode::RevocationUnknown
    );
}

/// A distribution point serving what `serve` returns, counting the requests.
fn distribution_point(
    serve: impl Fn() -> Response + Send + Sync + 'static,
) -> (Arc<MemoryTransport>, Arc<AtomicUsize>) {
    let count = Arc::new(AtomicUsize::new(0));
    let counter = count.clone();
    let transport = MemoryTransport::new(move |request| {
        assert_eq!(request.url, URL);
        assert!(request.body.is_empty());
        counter.fetch_add(1, Ordering::SeqCst);
        Ok(serve())
    });
    (Arc::new(transport), count)
}

#[test]
fn the_distribution_point_is_fetched_once_per_next_update() {
    let ca = ca("CA");
    let cert = doctor(&ca);
    let der = crl(&ca, ISSUED, Vec::new()).to_der().to_vec();
    let (transport, count) =
        distribution_point(move || Response::new(200, Some("application/pkix-crl"), der.clone()));
    let checker = RevocationChecker::new().with_fetching(transport);
    assert!(checker.fetches());
    let first = check(&checker, &ca, &cert, NOW).expect("fetched");
    assert_eq!(first.source, CrlSource::Fetched(URL.into()));
    let second = check(&checker, &ca, &cert, NOW).expect("cached");
    assert_eq!(second.source, CrlSource::Cached(URL.into()));
    assert_eq!(count.load(Ordering::SeqCst), 1);
    // After nextUpdate the cached CRL is not used; the server still has only the old one.
    let later = NOW + Duration::days(2);
    let err = checker
        .check(
            &cert,
            ca.certificate(),
            later,
            JudgedBy::VerificationTime,
            later,
        )
        .expect_err("stale everywhere");
    assert_eq!(err.code(), ErrorCode::CrlExpired);
    assert_eq!(count.load(Ordering::SeqCst), 2);
}

#[test]
fn a_fresh_crl_at_the_distribution_point_reports_a_new_revocation() {
    let ca = Arc::new(ca("CA"));
    let cert = doctor(&ca);
    let list = Arc::new(Mutex::new(crl(&ca, ISSUED, Vec::new())));
    let served = list.clone();
    let (transport, _) = distribution_point(move || {
        let der = served.lock().expect("lock").to_der().to_vec();
        Response::new(200, None, der)
    });
    // Two checkers (two verifications in two processes, say): the second sees the new CRL.
    let before = RevocationChecker::new().with_fetching(transport.clone());
    check(&before, &ca, &cert, NOW).expect("good");
    *list.lock().expect("lock") = crl(
        &ca,
        ISSUED + Duration::minutes(30),
        vec![RevokedCertificate::new(
            &cert,
            ISSUED + Duration::minutes(20),
            Some(RevocationReason::KeyCompromise),
        )],
    );
    let after = RevocationChecker::new().with_fetching(transport);
    assert_eq!(
        check(&after, &ca, &cert, NOW).expect_err("revoked").code(),
        ErrorCode::CertificateRevoked
    );
}

#[test]
fn distribution_point_failures_are_typed() {
    let ca = ca("CA");
    let cert = doctor(&ca);
    let code = |transport: Arc<MemoryTransport>| {
        check(
            &RevocationChecker::new().with_fetching(transport),
            &ca,
            &cert,
            NOW,
        )
        .expect_err("must fail")
        .code()
    };
    let (t, _) = distribution_point(|| Response::new(404, Some("text/plain"), b"no".to_vec()));
    assert_eq!(code(t), ErrorCode::HttpStatus);
    let (t, _) = distribution_point(|| Response::new(200, None, b"<html>".to_vec()));
    assert_eq!(code(t), ErrorCode::DerMalformed);
    let other = crl(&self::ca("Another CA"), ISSUED, Vec::new())
        .to_der()
        .to_vec();
    let (t, _) = distribution_point(move || Response::new(200, None, other.clone()));
    assert_eq!(code(t), ErrorCode::CrlIssuerMismatch);
    // A certificate without a distribution point.
    let mut spec = DoctorSpec::new("A", "B", Pesel::parse("44051401359").expect("pesel"));
    spec.key = KeySpec::EcP256;
    spec.options = IssueOptions::doctor(START);
    spec.options.revocation_urls = false;
    let bare = ca.issue_doctor(&spec).expect("doctor").certificate;
    let (t, _) = distribution_point(|| Response::new(500, None, Vec::new()));
    let err = RevocationChecker::new()
        .with_fetching(t)
        .check(
            &bare,
            ca.certificate(),
            NOW,
            JudgedBy::VerificationTime,
            NOW,
        )
        .expect_err("no dp");
    assert_eq!(err.code(), ErrorCode::RevocationUnknown);
    assert!(err.to_string().contains("distribution point"), "{err}");
}

#[test]
fn a_post_only_transport_cannot_fetch() {
    struct PostOnly;
    impl Transport for PostOnly {
        fn post(&self, _: &crate::transport::Request) -> Result<Response> {
            Ok(Response::new(200, None, Vec::new()))
        }
    }
    let ca = ca("CA");
    let cert = doctor(&ca);
    let err = check(
        &RevocationChecker::new().with_fetching(Arc::new(PostOnly)),
        &ca,
        &cert,
        NOW,
    )
    .expect_err("no GET");
    assert_eq!(err.code(), ErrorCode::InvalidArgument);
}

#[test]
fn crl_files_are_read_in_either_encoding() {
    let ca = ca("CA");
    let cert = doctor(&ca);
    let list = crl(
        &ca,
        ISSUED,
        vec![RevokedCertificate::new(&cert, ISSUED, None)],
    );
    let dir = std::env::temp_dir().join(format!("ezla-crl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let der = dir.join("ca.crl");
    let pem = dir.join("ca.pem");
    std::fs::write(&der, list.to_der()).expect("write");
    std::fs::write(&pem, list.to_pem()).expect("write");
    for path in [&der, &pem] {
        let checker = RevocationChecker::new().with_crl_file(path).expect("read");
        let err = check(&checker, &ca, &cert, NOW).expect_err("revoked");
        assert_eq!(err.code(), ErrorCode::CertificateRevoked);
    }
    let garbage = dir.join("garbage.crl");
    std::fs::write(&garbage, b"not a crl").expect("write");
    let err = RevocationChecker::new()
        .with_crl_file(&garbage)
        .expect_err("garbage");
    assert!(err.to_string().contains("garbage.crl"), "{err}");
    assert_eq!(
        RevocationChecker::new()
            .with_crl_file(dir.join("missing.crl"))
            .expect_err("missing")
            .code(),
        ErrorCode::Io
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// A doctor's certificate (P-256) valid for `days` from `not_before`.
fn monitored(ca: &TestCa, not_before: OffsetDateTime, days: u32) -> Certificate {
    let mut spec = DoctorSpec::new(
        "Jan",
        "Kowalski",
        Pesel::parse("44051401359").expect("pesel"),
    );
    spec.key = KeySpec::EcP256;
    spec.options = IssueOptions::doctor(not_before);
    spec.options.not_after = not_before + Duration::days(i64::from(days));
    ca.issue_doctor(&spec).expect("doctor").certificate
}

#[test]
fn check_revocation_records_each_rows_finding() {
    use crate::pki::ExpiryPolicy;
    use crate::pki::monitor::{CertificateSummary, MonitorStatus, Revocation};
    use serde_json::Value;
    let ca = TestCa::generate("ezla monitor test CA", START, 7300).expect("CA");
    let at = OffsetDateTime::now_utc();
    let good = monitored(&ca, at - Duration::days(3), 1826);
    let stolen = monitored(&ca, at - Duration::days(3), 1826);
    let stranger_ca = TestCa::generate("another CA", START, 7300).expect("CA");
    let stranger = monitored(&stranger_ca, at - Duration::days(3), 1826);
    let mut spec = CrlSpec::new(at - Duration::minutes(1), at + Duration::days(1), 3);
    spec.revoked.push(RevokedCertificate::new(
        &stolen,
        at - Duration::minutes(1),
        Some(RevocationReason::KeyCompromise),
    ));
    let checker = RevocationChecker::new().with_crl(ca.issue_crl(&spec).expect("crl"), "ca.crl");
    let mut s = CertificateSummary::new(ExpiryPolicy::ZUS, at);
    s.add("good.pfx", good);
    s.add("stolen.pfx", stolen);
    s.add("stranger.pfx", stranger);
    // The issuer is given for the first two; the stranger's issuer is not at hand.
    s.check_revocation(&checker, &[ca.certificate().clone()]);
    let rows: Vec<_> = s.certificates().collect();
    assert!(matches!(
        rows[0].revocation,
        Some(Revocation::NotRevoked { .. })
    ));
    assert!(matches!(
        &rows[1].revocation,
        Some(Revocation::Revoked { reason: Some(r), .. }) if r == "keyCompromise"
    ));
    assert_eq!(rows[1].status(), MonitorStatus::Critical);
    match &rows[2].revocation {
        Some(Revocation::Unknown { code, message }) => {
            assert_eq!(*code, ErrorCode::RevocationUnknown);
            assert!(message.contains("not at hand"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(rows[2].status(), MonitorStatus::Unknown);
    assert_eq!(s.exit_code(), 2);
    let v: Value = serde_json::from_str(&s.to_json()).expect("JSON");
    assert_eq!(v["results"][2]["revocation"]["status"], "unknown");
    assert_eq!(v["results"][2]["revocation"]["name"], "RevocationUnknown");
    assert!(s.to_table().contains("revocation unknown, valid"));
    // Without the issuer among the rows or given, the known CA's certificates are unknown
    // too; with the CA certificate as a row, it serves as the issuer.
    let mut s = CertificateSummary::new(ExpiryPolicy::ZUS, at);
    s.add("ca.pem", ca.certificate().clone());
    s.add("good.pfx", monitored(&ca, at - Duration::days(3), 1826));
    s.check_revocation(&checker, &[]);
    let rows: Vec<_> = s.certificates().collect();
    assert!(matches!(
        rows[1].revocation,
        Some(Revocation::NotRevoked { .. })
    ));
    // The CA itself is a root: not checked.
    assert!(rows[0].revocation.is_none());
    assert_eq!(s.exit_code(), 0);
}
