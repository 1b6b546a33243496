use time::macros::datetime;
use time::{Duration, OffsetDateTime};

use super::*;
use crate::ErrorCode;
use crate::crypto::KeySpec;
use crate::pki::testca::{CrlSpec, DoctorSpec, IssueOptions, TestCa};
use crate::pl::Pesel;

const START: OffsetDateTime = datetime!(2025-01-01 00:00 UTC);
const ISSUED: OffsetDateTime = datetime!(2026-03-01 12:00 UTC);

fn ca(spec: KeySpec, name: &str) -> TestCa {
    ca_with(spec, name)
}

fn ca_with(spec: KeySpec, name: &str) -> TestCa {
    TestCa::generate_with(spec, name, START, 3650).expect("ca")
}

fn doctor(ca: &TestCa) -> Certificate {
    let mut spec = DoctorSpec::new(
        "Jan",
        "Kowalski",
        Pesel::parse("44051401359").expect("pesel"),
    );
    spec.key = KeySpec::EcP256;
    spec.options = IssueOptions::doctor(START);
    ca.issue_doctor(&spec).expect("doctor").certificate
}

fn crl(ca: &TestCa, revoked: Vec<RevokedCertificate>) -> Crl {
    let mut spec = CrlSpec::new(ISSUED, ISSUED + Duration::days(1), 7);
    spec.revoked = revoked;
    ca.issue_crl(&spec).expect("crl")
}

#[test]
fn issued_crls_read_back_with_every_field() {
    for key in [KeySpec::EcP256, KeySpec::Rsa2048] {
        let ca = ca(key, "CRL test CA");
        let victim = doctor(&ca);
        let other = doctor(&ca);
        let revoked_at = datetime!(2026-02-27 09:30 UTC);
        let list = crl(
            &ca,
            vec![
                RevokedCertificate::new(&victim, revoked_at, Some(RevocationReason::KeyCompromise)),
                RevokedCertificate::new(&other, revoked_at + Duration::hours(1), None),
            ],
        );
        assert_eq!(list.issuer(), ca.certificate().subject());
        assert_eq!(list.this_update(), ISSUED);
        assert_eq!(list.next_update(), Some(ISSUED + Duration::days(1)));
        assert_eq!(list.number(), Some(&[7u8][..]));
        assert_eq!(list.number_hex().as_deref(), Some("07"));
        assert_eq!(list.entries().len(), 2);
        let entry = list.entry_for(&victim).expect("listed");
        assert_eq!(entry.revoked_at, revoked_at);
        assert_eq!(entry.reason, Some(RevocationReason::KeyCompromise));
        assert_eq!(entry.serial_hex(), victim.serial_hex());
        assert_eq!(list.entry_for(&other).expect("listed").reason, None);
        assert!(list.entry_for(ca.certificate()).is_none());
        list.check_issued_by(ca.certificate())
            .expect("issued by the CA");
        // PEM and DER read the same.
        let again = Crl::parse(list.to_pem().as_bytes()).expect("pem");
        assert_eq!(again.to_der(), list.to_der());
        assert_eq!(
            Crl::parse(list.to_der()).expect("der").entries(),
            list.entries()
        );
    }
}

#[test]
fn an_empty_crl_has_no_revoked_certificates_field() {
    let ca = ca(KeySpec::EcP256, "empty");
    let list = crl(&ca, Vec::new());
    assert!(list.entries().is_empty());
    list.check_issued_by(ca.certificate()).expect("verifies");
}

#[test]
fn currency_is_judged_against_both_updates() {
    let ca = ca(KeySpec::EcP256, "current");
    let list = crl(&ca, Vec::new());
    list.check_current(ISSUED).expect("at thisUpdate");
    list.check_current(ISSUED + Duration::days(1))
        .expect("at nextUpdate");
    let err = list
        .check_current(ISSUED + Duration::days(1) + Duration::seconds(1))
        .expect_err("expired");
    assert_eq!(err.code(), ErrorCode::CrlExpired);
    assert!(err.to_string().contains("nextUpdate"), "{err}");
    let err = list
        .check_current(ISSUED - Duration::seconds(1))
        .expect_err("not yet");
    assert_eq!(err.code(), ErrorCode::CrlNotYetValid);
}

#[test]
fn another_issuers_or_a_forged_crl_is_refused() {
    let ca = ca(KeySpec::EcP256, "the issuer");
    let list = crl(&ca, Vec::new());
    // Another CA's CRL.
    let stranger = ca_named_like(&ca);
    let err = crl(&stranger, Vec::new())
        .check_issued_by(ca.certificate())
        .expect_err("same name, another key");
    assert_eq!(err.code(), ErrorCode::CrlSignatureInvalid, "{err}");
    let other = ca_with(KeySpec::EcP256, "someone else");
    let err = crl(&other, Vec::new())
        .check_issued_by(ca.certificate())
        .expect_err("another issuer");
    assert_eq!(err.code(), ErrorCode::CrlIssuerMismatch);
    assert!(err.to_string().contains("someone else"), "{err}");
    // A flipped bit in the signature.
    let mut der = list.to_der().to_vec();
    let last = der.len() - 1;
    der[last] ^= 1;
    let forged = Crl::from_der(&der).expect("still parses");
    let err = forged
        .check_issued_by(ca.certificate())
        .expect_err("forged");
    assert_eq!(err.code(), ErrorCode::CrlSignatureInvalid);
    // An issuer without cRLSign may not sign CRLs.
    let key = crate::crypto::PrivateKey::generate(KeySpec::EcP256).expect("key");
    let mut options = IssueOptions::intermediate_ca(START, 1000);
    options.key_usage = crate::pki::KeyUsage::KEY_CERT_SIGN;
    let subject = Name::builder()
        .common_name("no crl sign")
        .build()
        .expect("name");
    let cert = ca
        .issue(&subject, crate::crypto::Signer::public_key(&key), &options)
        .expect("cert");
    let no_crl_sign = TestCa::new(key, cert).expect("ca");
    let err = crl(&no_crl_sign, Vec::new())
        .check_issued_by(no_crl_sign.certificate())
        .expect_err("no cRLSign");
    assert!(err.to_string().contains("cRLSign"), "{err}");
}

/// A CA with the same name as `ca` but its own key.
fn ca_named_like(ca: &TestCa) -> TestCa {
    let cn = ca
        .certificate()
        .subject()
        .common_name()
        .expect("cn")
        .to_string();
    ca_with(KeySpec::EcP256, &cn)
}

#[test]
fn reasons_have_their_rfc_names_and_numbers() {
    for &r in RevocationReason::ALL {
        assert_eq!(RevocationReason::from_code(r.code()), Some(r));
        assert_eq!(RevocationReason::from_name(r.name()), Some(r));
        assert_eq!(RevocationReason::from_name(&r.code().to_string()), Some(r));
    }
    assert_eq!(RevocationReason::from_code(7), None);
    assert_eq!(
        RevocationReason::from_name("KEYCOMPROMISE"),
        Some(RevocationReason::KeyCompromise)
    );
    assert_eq!(RevocationReason::from_name("lost"), None);
}

#[test]
fn serials_given_in_hex_match_the_certificate() {
    let ca = ca(KeySpec::EcP256, "hex");
    let cert = doctor(&ca);
    let entry = RevokedCertificate::from_serial_hex(&cert.serial_hex(), ISSUED, None).expect("hex");
    assert_eq!(entry.serial, cert.serial_bytes());
    let entry = RevokedCertificate::from_serial_hex("80", ISSUED, None).expect("hex");
    assert_eq!(entry.serial, [0x00, 0x80]);
    assert_eq!(entry.serial_hex(), "80");
    assert!(RevokedCertificate::from_serial_hex("xyz", ISSUED, None).is_err());
    assert!(RevokedCertificate::from_serial_hex("", ISSUED, None).is_err());
}

/// Re-signs a CRL whose TBSCertList was edited, with `ca`'s key.
fn resign(ca: &TestCa, tbs: &[u8]) -> Vec<u8> {
    use crate::crypto::Signer;
    use crate::pki::encode::{bits, seq};
    let algorithm = SignatureAlgorithm::default_for(ca.key().kind());
    let alg = x509::signature_algorithm_der(algorithm);
    let sig = ca.key().sign(algorithm, tbs).expect("sign");
    let sig = crate::crypto::ecdsa_fixed_to_der(&sig).expect("der");
    seq(&[tbs, &alg, &bits(&sig)])
}

#[test]
fn delta_indirect_and_unknown_critical_crls_are_refused() {
    use crate::pki::encode::{TRUE, explicit, octets, oid, seq, tlv, uint};
    let ca = ca(KeySpec::EcP256, "scoped");
    let list = crl(&ca, Vec::new());
    let tbs = list.tbs_der.clone();
    // Rebuild the TBS with one more CRL extension.
    let with_extension = |ext: Vec<u8>| {
        let fields: Vec<AnyRef<'_>> = AnyRef::from_der(&tbs).expect("tbs").decode_as().expect("f");
        let mut parts: Vec<Vec<u8>> = fields[..fields.len() - 1]
            .iter()
            .map(|f| f.to_der().expect("der"))
            .collect();
        let exts_any = fields[fields.len() - 1];
        let mut exts = exts_any.value().to_vec();
        // Strip the SEQUENCE header of the extension list and add ours.
        let list: Vec<AnyRef<'_>> = Vec::from_der(&exts).expect("exts");
        let mut items: Vec<Vec<u8>> = list.iter().map(|e| e.to_der().expect("e")).collect();
        items.push(ext);
        let refs: Vec<&[u8]> = items.iter().map(Vec::as_slice).collect();
        exts = explicit(0, &seq(&refs));
        parts.push(exts);
        let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        resign(&ca, &seq(&refs))
    };
    let ext = |id: &str, critical: bool, value: &[u8]| {
        let id = const_oid::ObjectIdentifier::new_unwrap(id);
        if critical {
            seq(&[&oid(&id), &TRUE, &octets(value)])
        } else {
            seq(&[&oid(&id), &octets(value)])
        }
    };
    // Sanity: a harmless non-critical extension still parses and verifies.
    let fine = Crl::from_der(&with_extension(ext("1.2.3.4", false, &uint(1)))).expect("fine");
    fine.check_issued_by(ca.certificate()).expect("verifies");
    for (der, needle) in [
        (with_extension(ext("2.5.29.27", true, &uint(6))), "delta"),
        (
            with_extension(ext("1.2.3.4", true, &uint(1))),
            "critical CRL extension",
        ),
        (
            with_extension(ext("2.5.29.28", true, &seq(&[&tlv(0x84, &[0xff])]))),
            "indirect",
        ),
        (
            with_extension(ext("2.5.29.28", true, &seq(&[&tlv(0x82, &[0xff])]))),
            "CA certificates only",
        ),
    ] {
        let err = Crl::from_der(&der).expect_err(needle);
        assert_eq!(err.code(), ErrorCode::Unsupported, "{err}");
        assert!(err.to_string().contains(needle), "{needle}: {err}");
    }
    // onlyContainsUserCerts is fine.
    Crl::from_der(&with_extension(ext(
        "2.5.29.28",
        true,
        &seq(&[&tlv(0x81, &[0xff])]),
    )))
    .expect("user certificates only");
}

#[test]
fn malformed_crls_are_refused_with_der_errors() {
    let ca = ca(KeySpec::EcP256, "malformed");
    let cert = doctor(&ca);
    let list = crl(
        &ca,
        vec![RevokedCertificate::new(
            &cert,
            ISSUED,
            Some(RevocationReason::Superseded),
        )],
    );
    for cut in [0, 1, 10, list.to_der().len() / 2, list.to_der().len() - 1] {
        let err = Crl::from_der(&list.to_der()[..cut]).expect_err("truncated");
        assert_eq!(err.code(), ErrorCode::DerMalformed, "cut {cut}: {err}");
    }
    let mut trailing = list.to_der().to_vec();
    trailing.push(0);
    assert_eq!(
        Crl::from_der(&trailing).expect_err("trailing").code(),
        ErrorCode::DerMalformed
    );
    // A certificate is not a CRL.
    assert!(Crl::from_der(cert.to_der()).is_err());
    assert_eq!(
        Crl::from_pem(cert.to_pem().as_bytes())
            .expect_err("no CRL block")
            .code(),
        ErrorCode::PemMalformed
    );
}
