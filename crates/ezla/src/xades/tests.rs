//! XAdES signing and verification: profiles, properties, reports, and bad input.

use std::sync::OnceLock;

use time::OffsetDateTime;
use time::macros::datetime;

use super::*;
use crate::ErrorCode;
use crate::crypto::{DigestAlgorithm, KeySpec};
use crate::pki::Identity;
use crate::pki::testca::{DoctorSpec, IssueOptions, TestCa};
use crate::pl::Pesel;

fn ca() -> &'static TestCa {
    static CA: OnceLock<TestCa> = OnceLock::new();
    CA.get_or_init(|| {
        TestCa::generate("ezla xades tests", datetime!(2020-01-01 00:00 UTC), 7300).expect("ca")
    })
}

fn doctor(spec: KeySpec) -> &'static Identity {
    static RSA: OnceLock<Identity> = OnceLock::new();
    static EC: OnceLock<Identity> = OnceLock::new();
    let cell = match spec {
        KeySpec::EcP256 => &EC,
        _ => &RSA,
    };
    cell.get_or_init(|| {
        let mut d = DoctorSpec::new("Theo", "Kania", Pesel::parse("68071892605").expect("pesel"));
        d.key = spec;
        d.options = IssueOptions::doctor(datetime!(2024-01-01 00:00 UTC));
        ca().issue_doctor(&d).expect("doctor")
    })
}

const KEDU: &[u8] = br#"<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<KEDU xmlns="http://www.zus.pl/2015/KED_ZLA_1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" wersja_schematu="1">
  <ZUSZLA id_dokumentu="155565" kolejnosc="0">
    <II><p1>68071892605</p1><p2>Filip</p2></II>
  </ZUSZLA>
</KEDU>
"#;

const STATEMENT: &[u8] = "<Oswiadczenie><Tresc>Logowanie Lekarza przez system zewnętrzny</Tresc><Data>2026-11-24</Data><Czas>10:15:00</Czas><Token>CK-12345678-1234-1234-1234-123456789abc</Token></Oswiadczenie>".as_bytes();

const T: OffsetDateTime = datetime!(2026-11-24 10:15:00 UTC);

fn sign_with(d: &Identity, input: &[u8], options: &SignOptions) -> Vec<u8> {
    sign_with_identity(input, d, options).expect("sign")
}

fn verify_now(signed: &[u8]) -> crate::Result<Report> {
    verify(signed, &VerifyOptions::default().at(T))
}

#[test]
fn every_profile_round_trips_and_is_detected() {
    for (profile, spec) in [
        (Profile::ZusLegacy, KeySpec::Rsa2048),
        (Profile::Zus, KeySpec::Rsa2048),
        (Profile::Zus, KeySpec::EcP256),
        (Profile::XadesBes, KeySpec::Rsa2048),
        (Profile::XadesBes, KeySpec::EcP256),
    ] {
        for version in [SigningCertificateVersion::V1, SigningCertificateVersion::V2] {
            let mut options = SignOptions::profile(profile).deterministic(T, "zla");
            options.signing_certificate = version;
            let d = doctor(spec);
            for input in [KEDU, STATEMENT] {
                let signed = sign_with(d, input, &options);
                let report = verify_now(&signed)
                    .unwrap_or_else(|e| panic!("{profile} {version:?} {spec:?}: {e}"));
                assert_eq!(report.profile, profile);
                assert_eq!(report.signing_time.as_deref(), Some("2026-11-24T10:15:00Z"));
                assert_eq!(report.signer.pesel.as_deref(), Some("68071892605"));
                assert_eq!(report.trust, "untrusted");
                assert_eq!(report.signature_id, "zla-Signature");
                assert_eq!(report.references.len(), 2);
                assert!(report.references[0].covers.contains("except signatures"));
                assert_eq!(
                    report.signing_certificate,
                    if version == SigningCertificateVersion::V1 {
                        "v1"
                    } else {
                        "v2"
                    }
                );
            }
        }
    }
}

#[test]
fn signing_never_reserialises_and_is_reproducible() {
    let d = doctor(KeySpec::Rsa2048);
    let options = SignOptions::profile(Profile::Zus).deterministic(T, "zla");
    let a = sign_with(d, KEDU, &options);
    let b = sign_with(d, KEDU, &options);
    assert_eq!(a, b, "deterministic mode is byte-for-byte reproducible");
    let text = String::from_utf8(a).expect("utf8");
    let start = text.find("<ds:Signature").expect("start");
    let end = text.find("</ds:Signature>").expect("end") + "</ds:Signature>".len();
    let removed = format!("{}{}", &text[..start], &text[end..]);
    assert_eq!(removed.as_bytes(), KEDU);
    assert!(
        text[end..].starts_with("</KEDU>"),
        "appended as the last child of the root"
    );
    // Random Ids differ between signatures.
    let r1 = sign_with(d, KEDU, &SignOptions::default());
    let r2 = sign_with(d, KEDU, &SignOptions::default());
    assert_ne!(r1, r2);
}

#[test]
fn the_zus_legacy_shape_is_exactly_the_samples() {
    let d = doctor(KeySpec::Rsa2048);
    let signed = sign_with(
        d,
        KEDU,
        &SignOptions::profile(Profile::ZusLegacy).deterministic(T, "zla"),
    );
    let text = String::from_utf8(signed).expect("utf8");
    for needle in [
        r#"<ds:CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>"#,
        r#"<ds:SignatureMethod Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha1"/>"#,
        r#"<ds:Reference URI=""><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"><ds:XPath>not(ancestor-or-self::ds:Signature)</ds:XPath></ds:Transform></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2000/09/xmldsig#sha1"/>"#,
        r##"<ds:Reference Type="http://uri.etsi.org/01903#SignedProperties" URI="#zla-SignedProperties"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>"##,
        r##"<xades:QualifyingProperties xmlns:xades="http://uri.etsi.org/01903/v1.3.2#" Target="#zla-Signature">"##,
        &format!(
            "<ds:X509IssuerName>{}</ds:X509IssuerName>",
            d.certificate.issuer().to_rfc4514()
        ),
        &format!(
            "<ds:X509SerialNumber>{}</ds:X509SerialNumber>",
            d.certificate.serial_decimal()
        ),
        "<ds:KeyInfo><ds:X509Data><ds:X509Certificate>",
    ] {
        assert!(text.contains(needle), "missing {needle}");
    }
}

#[test]
fn strict_options_refuse_the_legacy_profile() {
    let d = doctor(KeySpec::Rsa2048);
    let signed = sign_with(
        d,
        KEDU,
        &SignOptions::profile(Profile::ZusLegacy).deterministic(T, "zla"),
    );
    let mut options = VerifyOptions::default().at(T);
    options.accept_legacy = false;
    assert_eq!(
        verify(&signed, &options).expect_err("legacy").code(),
        ErrorCode::Unsupported
    );
}

#[test]
fn bad_input_and_mismatches() {
    let rsa = doctor(KeySpec::Rsa2048);
    let ec = doctor(KeySpec::EcP256);
    let options = SignOptions::profile(Profile::Zus).deterministic(T, "zla");
    // Key that does not match the certificate.
    assert_eq!(
        sign(KEDU, &ec.key, &rsa.certificate, &[], &options)
            .expect_err("mismatch")
            .code(),
        ErrorCode::KeyCertificateMismatch
    );
    // The legacy profile needs RSA.
    assert_eq!(
        sign_with_identity(KEDU, ec, &SignOptions::profile(Profile::ZusLegacy))
            .expect_err("ec legacy")
            .code(),
        ErrorCode::UnsupportedKey
    );
    // Expired certificate: refused unless asked.
    let late =
        SignOptions::profile(Profile::Zus).deterministic(datetime!(2030-01-01 00:00 UTC), "zla");
    assert_eq!(
        sign_with_identity(KEDU, rsa, &late)
            .expect_err("expired")
            .code(),
        ErrorCode::CertificateExpired
    );
    let mut override_ = late.clone();
    override_.allow_invalid_certificate = true;
    let signed = sign_with_identity(KEDU, rsa, &override_).expect("explicit override");
    // ...and the verifier then finds the signing time outside the validity.
    assert_eq!(
        verify_now(&signed).expect_err("time").code(),
        ErrorCode::SigningTimeInvalid
    );
    // Already signed.
    let signed = sign_with(rsa, KEDU, &options);
    assert_eq!(
        sign_with_identity(&signed, rsa, &options)
            .expect_err("twice")
            .code(),
        ErrorCode::AlreadySigned
    );
    // Non-UTF-8 input.
    let latin2 = b"<?xml version=\"1.0\"?><a>\xb1</a>";
    assert_eq!(
        sign_with_identity(latin2, rsa, &options)
            .expect_err("utf8")
            .code(),
        ErrorCode::XmlMalformed
    );
}

#[test]
fn co_signing_when_asked() {
    let rsa = doctor(KeySpec::Rsa2048);
    let ec = doctor(KeySpec::EcP256);
    let first = sign_with(
        rsa,
        KEDU,
        &SignOptions::profile(Profile::Zus).deterministic(T, "first"),
    );
    let mut options = SignOptions::profile(Profile::Zus).deterministic(T, "second");
    options.allow_cosigning = true;
    let both = sign_with(ec, &first, &options);
    assert_eq!(
        verify_now(&both).expect_err("ambiguous").code(),
        ErrorCode::SignatureAmbiguous
    );
    let reports = verify_all(&both, &VerifyOptions::default().at(T)).expect("both verify");
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0].signature_id, "first-Signature");
    assert_eq!(reports[1].signature_id, "second-Signature");
    let mut cosigned = VerifyOptions::default().at(T);
    cosigned.allow_cosignatures = true;
    assert_eq!(
        verify(&both, &cosigned).expect("both verify").signature_id,
        "first-Signature"
    );
    // A broken second signature fails `verify` too, not only `verify_all`.
    let text = String::from_utf8(both.clone()).expect("utf8");
    let at = text
        .find("second-SignatureValue")
        .expect("second signature value");
    let value_start = at + text[at..].find('>').expect("tag end") + 1;
    let mut broken = both.clone();
    broken[value_start] = if broken[value_start] == b'A' {
        b'B'
    } else {
        b'A'
    };
    assert!(verify_all(&broken, &cosigned).is_err());
    let err = verify(&broken, &cosigned).expect_err("the second signature is broken");
    assert_eq!(err.code(), ErrorCode::SignatureInvalid, "{err}");
}

fn tamper(signed: &[u8], from: &str, to: &str) -> Vec<u8> {
    let text = String::from_utf8(signed.to_vec()).expect("utf8");
    assert!(text.contains(from), "{from} not in the document");
    text.replacen(from, to, 1).into_bytes()
}

#[test]
fn tampering_with_content_or_properties_fails() {
    let d = doctor(KeySpec::Rsa2048);
    let signed = sign_with(
        d,
        KEDU,
        &SignOptions::profile(Profile::Zus).deterministic(T, "zla"),
    );
    // Content change.
    assert_eq!(
        verify_now(&tamper(&signed, "Filip", "Adam"))
            .expect_err("digest")
            .code(),
        ErrorCode::DigestMismatch
    );
    // A changed signing time breaks the SignedProperties digest.
    assert_eq!(
        verify_now(&tamper(
            &signed,
            "2026-11-24T10:15:00Z",
            "2026-11-24T10:16:00Z"
        ))
        .expect_err("props")
        .code(),
        ErrorCode::DigestMismatch
    );
}

#[test]
fn properties_must_be_covered_and_typed() {
    // Build a signature whose SignedProperties reference lacks the Type: XML-DSig accepts it,
    // XAdES must not.
    let d = doctor(KeySpec::Rsa2048);
    let mut spec = Profile::Zus.spec(d.key.kind(), "sp").expect("spec");
    spec.references[1].type_uri = None;
    spec.id = Some("sig".into());
    spec.key_info.certificates = vec![d.certificate.to_der().to_vec()];
    let cert = &d.certificate;
    spec.objects = vec![crate::dsig::ObjectSpec {
        id: None,
        content: format!(
            "<xades:QualifyingProperties xmlns:xades=\"{XADES_NS}\" Target=\"#sig\"><xades:SignedProperties Id=\"sp\"><xades:SignedSignatureProperties><xades:SigningTime>2026-11-24T10:15:00Z</xades:SigningTime><xades:SigningCertificate><xades:Cert><xades:CertDigest><ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><ds:DigestValue>{}</ds:DigestValue></xades:CertDigest><xades:IssuerSerial><ds:X509IssuerName>{}</ds:X509IssuerName><ds:X509SerialNumber>{}</ds:X509SerialNumber></xades:IssuerSerial></xades:Cert></xades:SigningCertificate></xades:SignedSignatureProperties></xades:SignedProperties></xades:QualifyingProperties>",
            crate::xml::base64::encode(&cert.fingerprint(DigestAlgorithm::Sha256)),
            cert.issuer().to_rfc4514(),
            cert.serial_decimal()
        ),
    }];
    let signed =
        crate::dsig::sign_enveloped(KEDU, &spec, &d.key, &Default::default()).expect("sign");
    assert_eq!(
        verify_now(&signed).expect_err("type").code(),
        ErrorCode::XadesPropertiesInvalid
    );

    // A wrong serial in IssuerSerial, with the Type right.
    spec.references[1].type_uri = Some(SIGNED_PROPERTIES_TYPE.into());
    spec.objects[0].content = spec.objects[0]
        .content
        .replace(&format!(">{}<", cert.serial_decimal()), ">42<");
    let signed =
        crate::dsig::sign_enveloped(KEDU, &spec, &d.key, &Default::default()).expect("sign");
    assert_eq!(
        verify_now(&signed).expect_err("serial").code(),
        ErrorCode::SigningCertificateMismatch
    );
    // A wrong issuer.
    let issuer = cert.issuer().to_rfc4514();
    spec.objects[0].content = spec.objects[0]
        .content
        .replace(">42<", &format!(">{}<", cert.serial_decimal()))
        .replace(&issuer, "CN=someone else,C=PL");
    let signed =
        crate::dsig::sign_enveloped(KEDU, &spec, &d.key, &Default::default()).expect("sign");
    assert_eq!(
        verify_now(&signed).expect_err("issuer").code(),
        ErrorCode::SigningCertificateMismatch
    );
    // Target pointing elsewhere.
    spec.objects[0].content = spec.objects[0]
        .content
        .replace("CN=someone else,C=PL", &issuer)
        .replace("Target=\"#sig\"", "Target=\"#other\"");
    let signed =
        crate::dsig::sign_enveloped(KEDU, &spec, &d.key, &Default::default()).expect("sign");
    assert_eq!(
        verify_now(&signed).expect_err("target").code(),
        ErrorCode::XadesPropertiesInvalid
    );
    // The repaired one verifies (the checks above failed for the stated reasons only).
    spec.objects[0].content = spec.objects[0]
        .content
        .replace("Target=\"#other\"", "Target=\"#sig\"");
    let signed =
        crate::dsig::sign_enveloped(KEDU, &spec, &d.key, &Default::default()).expect("sign");
    verify_now(&signed).expect("repaired");
}

#[test]
fn trust_anchors_decide_who_is_trusted() {
    use crate::pki::TrustAnchors;
    use std::sync::Arc;
    let d = doctor(KeySpec::Rsa2048);
    let mut options = SignOptions::profile(Profile::Zus).deterministic(T, "zla");
    options.include_chain = true;
    let signed = sign_with(d, KEDU, &options);
    let anchors = Arc::new(TrustAnchors::new([ca().certificate().clone()]));
    let report =
        verify(&signed, &VerifyOptions::default().at(T).with_trust(anchors)).expect("trusted");
    assert_eq!(report.trust, "chain");
    assert_eq!(
        report.chain,
        vec![ca().certificate().subject().to_rfc4514()]
    );
    // Another CA is not trusted.
    let other =
        TestCa::generate("someone else", datetime!(2020-01-01 00:00 UTC), 7300).expect("ca");
    let anchors = Arc::new(TrustAnchors::new([other.certificate().clone()]));
    let err = verify(&signed, &VerifyOptions::default().at(T).with_trust(anchors))
        .expect_err("untrusted");
    assert_eq!(err.code(), ErrorCode::CertificateUntrusted);
    // Verified after the doctor's certificate expired: the chain check fails.
    let anchors = Arc::new(TrustAnchors::new([ca().certificate().clone()]));
    let err = verify(
        &signed,
        &VerifyOptions::default()
            .at(datetime!(2030-01-01 00:00 UTC))
            .with_trust(anchors),
    )
    .expect_err("expired");
    assert_eq!(err.code(), ErrorCode::CertificateExpired);
}

#[test]
fn a_signing_time_after_the_verification_instant_is_refused_beyond_the_skew() {
    let d = doctor(KeySpec::Rsa2048);
    let signed = sign_with(
        d,
        KEDU,
        &SignOptions::profile(Profile::Zus).deterministic(T, "zla"),
    );
    let skew = DEFAULT_MAX_CLOCK_SKEW;
    assert_eq!(skew, time::Duration::minutes(5));
    assert_eq!(VerifyOptions::default().max_clock_skew, skew);
    let one = time::Duration::seconds(1);
    // Signed skew - 1 s after the verification instant: a clock slightly off, accepted.
    verify(&signed, &VerifyOptions::default().at(T - skew + one)).expect("within the skew");
    // Exactly at the bound: accepted.
    verify(&signed, &VerifyOptions::default().at(T - skew)).expect("at the bound");
    // Skew + 1 s: refused, naming both instants and the skew.
    let err =
        verify(&signed, &VerifyOptions::default().at(T - skew - one)).expect_err("beyond the skew");
    assert_eq!(err.code(), ErrorCode::SigningTimeInvalid, "{err}");
    let text = err.to_string();
    assert!(
        text.contains("2026-11-24T10:15:00Z")
            && text.contains("2026-11-24T10:09:59Z")
            && text.contains("300 s"),
        "{text}"
    );
    // A wider skew accepts it; a zero skew refuses even a second.
    let wide = VerifyOptions::default()
        .at(T - skew - one)
        .with_max_clock_skew(time::Duration::minutes(10));
    verify(&signed, &wide).expect("wider skew");
    let zero = VerifyOptions::default()
        .at(T - one)
        .with_max_clock_skew(time::Duration::ZERO);
    assert_eq!(
        verify(&signed, &zero).expect_err("zero skew").code(),
        ErrorCode::SigningTimeInvalid
    );
    // A SigningTime years ahead (inside the certificate's validity) is refused.
    let ahead = sign_with(
        d,
        KEDU,
        &SignOptions::profile(Profile::Zus).deterministic(datetime!(2028-06-01 12:00 UTC), "zla"),
    );
    let err = verify_now(&ahead).expect_err("years ahead");
    assert_eq!(err.code(), ErrorCode::SigningTimeInvalid, "{err}");
    assert!(
        err.to_string().contains("2028-06-01T12:00:00Z")
            && err.to_string().contains("2026-11-24T10:15:00Z"),
        "{err}"
    );
    // verify_all applies the same rule.
    assert_eq!(
        verify_all(&ahead, &VerifyOptions::default().at(T))
            .expect_err("years ahead")
            .code(),
        ErrorCode::SigningTimeInvalid
    );
}

/// The signed e-ZLA with `insert` spliced in right after the signature's existing
/// `</ds:Object>` (`inside == false`) or right after its `<xades:QualifyingProperties …>`
/// element ends (`inside == true`).
fn inject_into_objects(signed: &[u8], insert: &str, inside: bool) -> Vec<u8> {
    let text = String::from_utf8(signed.to_vec()).expect("utf8");
    let at = if inside {
        text.find("</xades:QualifyingProperties>")
            .expect("QualifyingProperties")
            + "</xades:QualifyingProperties>".len()
    } else {
        text.find("</ds:Object>").expect("Object") + "</ds:Object>".len()
    };
    format!("{}{insert}{}", &text[..at], &text[at..]).into_bytes()
}

#[test]
fn the_zus_profiles_refuse_unsigned_content_in_objects() {
    let body = {
        let text = std::str::from_utf8(KEDU).expect("utf8");
        let start = text.find("<ZUSZLA").expect("body");
        let end = text.find("</ZUSZLA>").expect("body end") + "</ZUSZLA>".len();
        text[start..end].replace("Filip", "Adam")
    };
    for (profile, spec) in [
        (Profile::Zus, KeySpec::Rsa2048),
        (Profile::Zus, KeySpec::EcP256),
        (Profile::ZusLegacy, KeySpec::Rsa2048),
    ] {
        let signed = sign_with(
            doctor(spec),
            KEDU,
            &SignOptions::profile(profile).deterministic(T, "zla"),
        );
        verify_now(&signed).unwrap_or_else(|e| panic!("{profile}: {e}"));
        let second_object = format!("<ds:Object>{body}</ds:Object>");
        for (case, tampered) in [
            (
                "a second ds:Object with a copy of the body",
                inject_into_objects(&signed, &second_object, false),
            ),
            (
                "a second body inside the existing ds:Object",
                inject_into_objects(&signed, &body, true),
            ),
            (
                "an empty second ds:Object",
                inject_into_objects(&signed, "<ds:Object/>", false),
            ),
            (
                "text in the ds:Object",
                inject_into_objects(&signed, "zwolnienie do 2027-01-01", true),
            ),
            (
                "a comment in the ds:Object",
                inject_into_objects(&signed, "<!-- do 2027-01-01 -->", true),
            ),
            (
                "a processing instruction in the ds:Object",
                inject_into_objects(&signed, "<?zla do=\"2027-01-01\"?>", true),
            ),
        ] {
            let err =
                verify_now(&tampered).expect_err(&format!("{profile}: {case} must be refused"));
            assert_eq!(
                err.code(),
                ErrorCode::UnsignedContent,
                "{profile}, {case}: {err}"
            );
            assert!(
                err.to_string().contains("/KEDU/Signature"),
                "{profile}, {case}: {err}"
            );
        }
        // Whitespace between the properties and the end of the object is not content.
        verify_now(&inject_into_objects(&signed, "\n  \t", true))
            .unwrap_or_else(|e| panic!("{profile}: whitespace refused: {e}"));
    }
    // The generic profile makes no such promise (its shape allows other objects).
    let generic = sign_with(
        doctor(KeySpec::Rsa2048),
        KEDU,
        &SignOptions::profile(Profile::XadesBes).deterministic(T, "zla"),
    );
    verify_now(&inject_into_objects(&generic, "<ds:Object/>", false))
        .expect("xades-bes: other objects are not restricted");
}

/// `sign_many` keeps input order, puts each document's error in its place, and gives the
/// same signatures on one thread as on several (deterministic options).
#[test]
fn sign_many_keeps_order_and_reports_each_error() {
    let d = doctor(KeySpec::EcP256);
    let options = SignOptions::default().deterministic(T, "batch");
    let mut documents: Vec<Vec<u8>> = (0..9)
        .map(|i| {
            String::from_utf8_lossy(KEDU)
                .replace("155565", &format!("{}", 100 + i))
                .into_bytes()
        })
        .collect();
    documents[3] = b"<not-closed>".to_vec();
    let already = sign_with(d, KEDU, &options);
    documents[6] = already;
    let done = std::sync::atomic::AtomicUsize::new(0);
    let progress = |n: usize| {
        done.fetch_max(n, std::sync::atomic::Ordering::Relaxed);
    };
    let one = sign_many(
        &documents,
        &d.key,
        &d.certificate,
        &[],
        &options,
        &BatchOptions::default().threads(1),
    );
    let many = sign_many(
        &documents,
        &d.key,
        &d.certificate,
        &[],
        &options,
        &BatchOptions::default().threads(4).progress(&progress),
    );
    assert_eq!(done.load(std::sync::atomic::Ordering::Relaxed), 9);
    assert_eq!(one.len(), 9);
    assert_eq!(many.len(), 9);
    for (i, (a, b)) in one.iter().zip(&many).enumerate() {
        match i {
            3 => assert_eq!(
                b.as_ref().expect_err("malformed").code(),
                ErrorCode::XmlMalformed
            ),
            6 => assert_eq!(
                b.as_ref().expect_err("signed").code(),
                ErrorCode::AlreadySigned
            ),
            _ => {
                let signed = b.as_ref().expect("signed");
                // ECDSA is randomised: the documents are the same up to the SignatureValue.
                let report = verify_now(signed).expect("verifies");
                assert!(report.signing_time.is_some());
                let text = String::from_utf8_lossy(signed);
                assert!(
                    text.contains(&format!("id_dokumentu=\"{}\"", 100 + i)),
                    "{i}"
                );
                assert!(a.is_ok());
            }
        }
    }
    assert!(
        sign_many::<Vec<u8>>(
            &[],
            &d.key,
            &d.certificate,
            &[],
            &options,
            &BatchOptions::default()
        )
        .is_empty()
    );
}
