//! XAdES-T and CAdES-T checked by independent tools: xmlsec1 still verifies a XAdES
//! signature after ezla added its `SignatureTimeStamp`, and `openssl cms -verify` a CMS one
//! after the unsigned attribute went in (the signed bytes are untouched); `openssl ts
//! -verify` accepts each embedded token for exactly the bytes XAdES and CAdES say it stamps
//! (the canonical `ds:SignatureValue`, the `SignerInfo`'s signature value).

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use ezla::crypto::KeySpec;
use ezla::pki::testca::{DoctorSpec, TestCa};
use ezla::tsp::{self, TimeStampAuthority};
use ezla::{cms, xades};
use ezla_tests::{have_tool, run, scratch_dir};

const KEDU: &[u8] = br#"<KEDU xmlns="http://www.zus.pl/2015/KED_ZLA_1"><ZUSZLA id_dokumentu="7"><II><p1>68071892605</p1></II></ZUSZLA></KEDU>"#;

fn ts_verify(dir: &Path, data: &[u8], token: &[u8], ca: &Path) -> String {
    std::fs::write(dir.join("stamped.bin"), data).expect("write");
    std::fs::write(dir.join("token.der"), token).expect("write");
    let out = run(Command::new("openssl")
        .args(["ts", "-verify", "-data"])
        .arg(dir.join("stamped.bin"))
        .args(["-in"])
        .arg(dir.join("token.der"))
        .args(["-token_in", "-CAfile"])
        .arg(ca));
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn xmlsec1_and_openssl_accept_what_xades_t_and_cades_t_write() {
    if !have_tool("openssl") || !have_tool("xmlsec1") {
        return;
    }
    let dir = scratch_dir("timestamp-interop");
    let now = time::OffsetDateTime::now_utc();
    let ca = TestCa::generate("ezla -T interop CA", now - time::Duration::days(1), 30).expect("ca");
    let ca_pem = dir.join("ca.pem");
    std::fs::write(&ca_pem, ca.certificate().to_pem()).expect("write");
    let tsa_id = ca
        .issue_time_stamping("ezla -T interop TSA", KeySpec::Rsa2048, 30)
        .expect("tsa");
    let tsa = TimeStampAuthority::new(
        Arc::new(tsa_id.clone()),
        tsa_id.certificate.clone(),
        "1.3.6.1.4.1.32473.3161.1".parse().expect("oid"),
    )
    .expect("tsa");
    let mut spec = DoctorSpec::new("Jan", "Kowalski", "44051401359".parse().expect("pesel"));
    spec.key = KeySpec::EcP256;
    let doctor = ca.issue_doctor(&spec).expect("doctor");
    let cert_pem = dir.join("doctor.pem");
    std::fs::write(&cert_pem, doctor.certificate.to_pem()).expect("write");

    // XAdES-T.
    let signed =
        xades::sign_with_identity(KEDU, &doctor, &xades::SignOptions::default()).expect("sign");
    let stamped = xades::add_timestamp(&signed, &tsa).expect("stamp");
    let path = dir.join("xades-t.xml");
    std::fs::write(&path, &stamped).expect("write");
    let out = run(Command::new("xmlsec1")
        .args(["--verify", "--pubkey-cert-pem"])
        .arg(&cert_pem)
        .args([
            "--id-attr:Id",
            "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
        ])
        .arg(&path));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.contains("OK"),
        "xmlsec1: {stderr}"
    );
    let text = String::from_utf8_lossy(&stamped);
    let start =
        text.find("EncapsulatedTimeStamp>").expect("token") + "EncapsulatedTimeStamp>".len();
    let end = start + text[start..].find('<').expect("end");
    let token = ezla::xml::base64::decode("token", &text[start..end]).expect("base64");
    let input = xades::timestamp_input(&stamped).expect("input");
    assert!(
        input.starts_with(b"<ds:SignatureValue xmlns:ds="),
        "{}",
        String::from_utf8_lossy(&input)
    );
    let verdict = ts_verify(&dir, &input, &token, &ca_pem);
    assert!(
        verdict.contains("Verification: OK"),
        "XAdES-T token: {verdict}"
    );
    let verdict = ts_verify(&dir, b"<ds:SignatureValue/>", &token, &ca_pem);
    assert!(verdict.contains("Verification: FAILED"), "{verdict}");

    // CAdES-T, attached.
    let signed = cms::sign(
        b"a PDF printout",
        &doctor,
        &doctor.certificate,
        &[],
        &cms::SignOptions::default(),
    )
    .expect("sign");
    let stamped = tsp::cades::add_timestamp(&signed, &tsa).expect("stamp");
    let sig = dir.join("cades-t.p7s");
    std::fs::write(&sig, &stamped).expect("write");
    let out = run(Command::new("openssl")
        .args(["cms", "-verify", "-binary", "-inform", "DER", "-in"])
        .arg(&sig)
        .arg("-CAfile")
        .arg(&ca_pem)
        .args(["-purpose", "any", "-out"])
        .arg(dir.join("content.out")));
    assert!(
        out.status.success(),
        "openssl cms -verify: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read(dir.join("content.out")).expect("read"),
        b"a PDF printout"
    );
    let value = tsp::cades::timestamp_input(&stamped).expect("value");
    let verified = tsp::cades::verify(
        &stamped,
        None,
        &cms::VerifyOptions::default(),
        &tsp::TokenOptions::default(),
    )
    .expect("CAdES-T");
    assert_eq!(verified.timestamps.len(), 1);
    let tokens = tsp::cades::signature_timestamp_tokens(&stamped).expect("tokens");
    let [token] = tokens.as_slice() else {
        panic!("one token expected, found {}", tokens.len());
    };
    let verdict = ts_verify(&dir, &value, token, &ca_pem);
    assert!(
        verdict.contains("Verification: OK"),
        "CAdES-T token: {verdict}"
    );
    // An ECDSA P-256 signature value is a DER SEQUENCE of two INTEGERs.
    assert_eq!(value[0], 0x30);
}
