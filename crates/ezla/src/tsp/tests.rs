//! RFC 3161 round trips with the TSA of [`TimeStampAuthority`] and every refusal the issue
//! lists; `tests/tsp_interop.rs` has openssl's verdicts both ways.

use std::sync::Arc;

use const_oid::ObjectIdentifier;
use time::OffsetDateTime;

use super::*;
use crate::ErrorCode;
use crate::crypto::{DigestAlgorithm, KeySpec, Signer};
use crate::pki::testca::{DoctorSpec, TestCa};
use crate::pki::{Identity, TrustAnchors};
use crate::transport::{MemoryTransport, Response};

const POLICY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.99999.3161.1");
const OTHER_POLICY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.99999.3161.2");

struct Fixture {
    ca: TestCa,
    tsa: TimeStampAuthority,
    identity: Identity,
}

fn fixture() -> Fixture {
    let ca = TestCa::generate(
        "ezla tsp test CA",
        OffsetDateTime::now_utc() - time::Duration::days(1),
        30,
    )
    .expect("ca");
    let identity = ca
        .issue_time_stamping("ezla test TSA", KeySpec::EcP256, 30)
        .expect("tsa identity");
    let tsa = TimeStampAuthority::new(
        Arc::new(identity.clone()),
        identity.certificate.clone(),
        POLICY,
    )
    .expect("tsa");
    Fixture { ca, tsa, identity }
}

fn anchors(f: &Fixture) -> TokenOptions {
    TokenOptions::default().with_trust(Arc::new(TrustAnchors::new([f.ca.certificate().clone()])))
}

#[test]
fn a_request_is_answered_and_the_token_checked_against_it() {
    let f = fixture();
    let now = OffsetDateTime::now_utc();
    for digest in [
        DigestAlgorithm::Sha256,
        DigestAlgorithm::Sha384,
        DigestAlgorithm::Sha512,
    ] {
        let request = TimeStampRequest::for_data(digest, b"a signature value").expect("request");
        assert_eq!(
            TimeStampRequest::from_der(&request.to_der()).expect("reads back"),
            request
        );
        let response = f.tsa.respond(&request.to_der(), now);
        let (token, stamp) = check_response(&response, &request, &anchors(&f)).expect("granted");
        assert_eq!(stamp.digest, digest);
        assert_eq!(stamp.imprint, digest.digest(b"a signature value"));
        assert_eq!(stamp.nonce, request.nonce);
        assert_eq!(stamp.policy, POLICY);
        assert_eq!(stamp.trust, "chain");
        assert_eq!(stamp.tsa, f.identity.certificate);
        assert_eq!(stamp.accuracy, Some(time::Duration::seconds(1)));
        // genTime keeps the milliseconds.
        assert!(
            (stamp.time - now).abs() < time::Duration::milliseconds(1),
            "{} vs {now}",
            stamp.time
        );
        // The token alone verifies for the data, and not for other data.
        let again = verify_token(
            &token,
            Stamped::Data(b"a signature value"),
            &TokenOptions::default(),
        )
        .expect("token");
        assert_eq!(again.trust, "untrusted");
        assert_eq!(again.serial, stamp.serial);
        let e = verify_token(
            &token,
            Stamped::Data(b"another value"),
            &TokenOptions::default(),
        )
        .expect_err("other data");
        assert_eq!(e.code(), ErrorCode::TimestampMismatch, "{e}");
        let e = verify_token(
            &token,
            Stamped::Digest(DigestAlgorithm::Sha256, &[0; 32]),
            &TokenOptions::default(),
        )
        .expect_err("other digest");
        assert_eq!(e.code(), ErrorCode::TimestampMismatch, "{e}");
    }
}

#[test]
fn serial_numbers_differ_and_nonces_are_checked() {
    let f = fixture();
    let now = OffsetDateTime::now_utc();
    let first = TimeStampRequest::for_data(DigestAlgorithm::Sha256, b"x").expect("request");
    let second = TimeStampRequest::for_data(DigestAlgorithm::Sha256, b"x").expect("request");
    assert_ne!(first.nonce, second.nonce);
    let answer_to_first = f.tsa.respond(&first.to_der(), now);
    let (_, a) = check_response(&answer_to_first, &first, &TokenOptions::default()).expect("first");
    let (_, b) = check_response(
        &f.tsa.respond(&second.to_der(), now),
        &second,
        &TokenOptions::default(),
    )
    .expect("second");
    assert_ne!(a.serial, b.serial);
    // An old answer replayed for a new request: the nonce gives it away.
    let e =
        check_response(&answer_to_first, &second, &TokenOptions::default()).expect_err("replayed");
    assert_eq!(e.code(), ErrorCode::TimestampMismatch);
    assert!(e.to_string().contains("nonce"), "{e}");
    // A token without a nonce when the request had one.
    let mut no_nonce = first.clone();
    no_nonce.nonce = None;
    let answer = f.tsa.respond(&no_nonce.to_der(), now);
    let e = check_response(&answer, &first, &TokenOptions::default()).expect_err("no nonce");
    assert_eq!(e.code(), ErrorCode::TimestampMismatch);
    assert!(e.to_string().contains("no nonce"), "{e}");
}

#[test]
fn refusals_of_the_tsa_are_typed_with_their_failure() {
    let f = fixture();
    let now = OffsetDateTime::now_utc();
    let request = TimeStampRequest::for_data(DigestAlgorithm::Sha256, b"x")
        .expect("request")
        .with_policy(OTHER_POLICY);
    let e = check_response(
        &f.tsa.respond(&request.to_der(), now),
        &request,
        &TokenOptions::default(),
    )
    .expect_err("other policy");
    assert_eq!(e.code(), ErrorCode::TimestampRejected);
    match &e {
        crate::Error::Signature(crate::error::SignatureError::TimestampRejected {
            status,
            fail_info,
            text,
        }) => {
            assert_eq!(status, "rejection");
            assert_eq!(fail_info, &["unacceptedPolicy".to_string()]);
            assert!(text.contains("1.3.6.1.4.1.99999.3161.2"), "{text}");
        }
        other => panic!("{other:?}"),
    }
    // Every named failure bit reads back by name.
    for (_, name) in response::FAILURES {
        let parsed = parse_response(&rejection(name, "why")).expect("rejection");
        assert_eq!(parsed.status, PkiStatus::Rejection);
        assert_eq!(parsed.fail_info, vec![name.to_string()]);
        assert_eq!(parsed.text, vec!["why".to_string()]);
        assert!(parsed.token.is_none());
    }
    // What is not a request, and a SHA-1 imprint.
    let parsed = parse_response(&f.tsa.respond(b"\x30\x03\x02\x01", now)).expect("answer");
    assert_eq!(parsed.fail_info, vec!["badDataFormat".to_string()]);
    let sha1 = [
        &[
            0x30u8, 0x24, 0x02, 0x01, 0x01, 0x30, 0x1f, 0x30, 0x07, 0x06, 0x05, 0x2b, 0x0e, 0x03,
            0x02, 0x1a, 0x04, 0x14,
        ][..],
        &[7u8; 20][..],
    ]
    .concat();
    let parsed = parse_response(&f.tsa.respond(&sha1, now)).expect("answer");
    assert_eq!(parsed.fail_info, vec!["badAlg".to_string()], "{parsed:?}");
    // The request side refuses SHA-1 and a wrong imprint length before anything is sent.
    assert_eq!(
        TimeStampRequest::for_data(DigestAlgorithm::Sha1, b"x")
            .expect_err("sha1")
            .code(),
        ErrorCode::Unsupported
    );
    assert_eq!(
        TimeStampRequest::new(DigestAlgorithm::Sha256, vec![0; 20])
            .expect_err("length")
            .code(),
        ErrorCode::InvalidArgument
    );
    // A granted status without a token.
    let e = check_response(
        &[0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x00],
        &request,
        &TokenOptions::default(),
    )
    .expect_err("no token");
    assert_eq!(e.code(), ErrorCode::SignatureMalformed);
}

#[test]
fn a_certificate_that_is_not_a_tsa_s_is_refused() {
    let f = fixture();
    let now = OffsetDateTime::now_utc();
    let doctor =
        f.ca.issue_doctor(&DoctorSpec::new(
            "Jan",
            "Kowalski",
            "44051401359".parse().expect("pesel"),
        ))
        .expect("doctor");
    let e = TimeStampAuthority::new(Arc::new(doctor.clone()), doctor.certificate.clone(), POLICY)
        .expect_err("doctor as TSA");
    assert_eq!(e.code(), ErrorCode::TsaCertificateInvalid);
    let rogue =
        TimeStampAuthority::unchecked(Arc::new(doctor.clone()), doctor.certificate.clone(), POLICY);
    let request = TimeStampRequest::for_data(DigestAlgorithm::Sha256, b"x").expect("request");
    let e = check_response(
        &rogue.respond(&request.to_der(), now),
        &request,
        &TokenOptions::default(),
    )
    .expect_err("rogue");
    assert_eq!(e.code(), ErrorCode::TsaCertificateInvalid);
    assert!(e.to_string().contains("no extended key usage"), "{e}");

    // timeStamping, but not critical; and timeStamping beside another purpose.
    let key = crate::crypto::PrivateKey::generate(KeySpec::EcP256).expect("key");
    let subject = crate::pki::Name::builder()
        .common_name("half a TSA")
        .build()
        .expect("name");
    let mut options =
        crate::pki::testca::IssueOptions::time_stamping(now - time::Duration::minutes(1), 2);
    options.extended_key_usage_critical = false;
    let cert =
        f.ca.issue(&subject, key.public_key(), &options)
            .expect("cert");
    let e = token::check_tsa_certificate(&cert).expect_err("not critical");
    assert!(e.to_string().contains("not marked critical"), "{e}");
    options.extended_key_usage_critical = true;
    options
        .extended_key_usage
        .push(crate::pki::KeyPurpose::SERVER_AUTH);
    let cert =
        f.ca.issue(&subject, key.public_key(), &options)
            .expect("cert");
    let e = token::check_tsa_certificate(&cert).expect_err("two purposes");
    assert!(e.to_string().contains("timeStamping alone"), "{e}");
    // A TSA certificate that was not valid when it stamped.
    let rogue = TimeStampAuthority::new(
        Arc::new(f.identity.clone()),
        f.identity.certificate.clone(),
        POLICY,
    )
    .expect("tsa");
    let later = now + time::Duration::days(60);
    let e = check_response(
        &rogue.respond(&request.to_der(), later),
        &request,
        &TokenOptions::default(),
    )
    .expect_err("expired TSA");
    assert_eq!(e.code(), ErrorCode::TsaCertificateInvalid);
    assert!(e.to_string().contains("not valid when it stamped"), "{e}");
}

#[test]
fn without_cert_req_the_tsa_certificate_must_be_given() {
    let f = fixture();
    let mut request = TimeStampRequest::for_data(DigestAlgorithm::Sha256, b"x").expect("request");
    request.cert_req = false;
    let response = f.tsa.respond(&request.to_der(), OffsetDateTime::now_utc());
    let e =
        check_response(&response, &request, &TokenOptions::default()).expect_err("no certificate");
    assert_eq!(e.code(), ErrorCode::KeyNotFound);
    let mut options = anchors(&f);
    options.certificates = vec![f.identity.certificate.clone()];
    let (_, stamp) = check_response(&response, &request, &options).expect("given");
    assert_eq!(stamp.trust, "chain");
}

#[test]
fn broken_and_altered_tokens_are_refused() {
    let f = fixture();
    let request = TimeStampRequest::for_data(DigestAlgorithm::Sha256, b"x").expect("request");
    let response = f.tsa.respond(&request.to_der(), OffsetDateTime::now_utc());
    let token = parse_response(&response)
        .expect("response")
        .token
        .expect("token");
    let stamped = Stamped::Data(b"x");
    let none = TokenOptions::default();
    assert!(verify_token(&token, stamped, &none).is_ok());
    for cut in [1, token.len() / 2, token.len() - 1] {
        let e = verify_token(&token[..cut], stamped, &none).expect_err("truncated");
        assert_eq!(e.code(), ErrorCode::DerMalformed, "cut at {cut}: {e}");
    }
    let mut trailing = token.clone();
    trailing.push(0);
    assert_eq!(
        verify_token(&trailing, stamped, &none)
            .expect_err("trailing")
            .code(),
        ErrorCode::DerMalformed
    );
    // The imprint inside the signed TSTInfo changed to another document's: the CMS
    // message digest no longer matches, so the token is refused before the imprint is read.
    let imprint = DigestAlgorithm::Sha256.digest(b"x");
    let at = token
        .windows(imprint.len())
        .position(|w| w == imprint.as_slice())
        .expect("the imprint is in the token");
    let mut altered = token.clone();
    altered[at..at + imprint.len()].copy_from_slice(&DigestAlgorithm::Sha256.digest(b"y"));
    let e = verify_token(&altered, Stamped::Data(b"y"), &none).expect_err("altered");
    assert_eq!(e.code(), ErrorCode::DigestMismatch, "{e}");
    // A plain CAdES signature is not a token.
    let doctor =
        f.ca.issue_doctor(&DoctorSpec::new(
            "Jan",
            "Kowalski",
            "44051401359".parse().expect("pesel"),
        ))
        .expect("doctor");
    let cades = crate::cms::sign(
        b"x",
        &doctor,
        &doctor.certificate,
        &[],
        &crate::cms::SignOptions::default(),
    )
    .expect("cades");
    assert_eq!(
        verify_token(&cades, stamped, &none)
            .expect_err("cades")
            .code(),
        ErrorCode::Unsupported
    );
    // Nor is a token a CAdES signature.
    assert_eq!(
        crate::cms::verify(&token, None, &crate::cms::VerifyOptions::default())
            .expect_err("token")
            .code(),
        ErrorCode::Unsupported
    );
}

#[test]
fn the_client_posts_the_query_and_checks_the_reply() {
    let f = fixture();
    let tsa = f.tsa.clone();
    let transport = MemoryTransport::new(move |request| {
        assert_eq!(request.content_type, QUERY_MEDIA_TYPE);
        Ok(Response::new(
            200,
            Some(REPLY_MEDIA_TYPE),
            tsa.respond(&request.body, OffsetDateTime::now_utc()),
        ))
    });
    let client = TsaClient::new("http://tsa.invalid/tsa", &transport).with_options(anchors(&f));
    let (token, stamp) = client.stamp(b"data").expect("stamped");
    assert_eq!(stamp.trust, "chain");
    assert!(verify_token(&token, Stamped::Data(b"data"), &TokenOptions::default()).is_ok());
    let sent = transport.requests();
    assert_eq!(sent.len(), 1);
    assert!(
        sent[0]
            .headers
            .iter()
            .any(|(n, v)| n == "Accept" && v == REPLY_MEDIA_TYPE)
    );
    // Policy asked for and enforced; an HTTP error is a transport error.
    let client = TsaClient::new("http://tsa.invalid/tsa", &transport).with_policy(OTHER_POLICY);
    assert_eq!(
        client.stamp(b"data").expect_err("policy").code(),
        ErrorCode::TimestampRejected
    );
    let failing =
        MemoryTransport::new(|_| Ok(Response::new(503, Some("text/plain"), b"busy".to_vec())));
    let e = TsaClient::new("http://tsa.invalid/tsa", &failing)
        .stamp(b"data")
        .expect_err("503");
    assert_eq!(e.code(), ErrorCode::HttpStatus, "{e}");
}
