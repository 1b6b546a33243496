//! CMS (CAdES-BES) against openssl: `openssl cms -verify` accepts what `ezla::cms::sign`
//! writes, attached and detached, RSA and ECDSA; `ezla::cms::verify` accepts what
//! `openssl cms -sign` writes, with (`-cades`) and without the ESS binding. Skipped with a
//! notice without openssl, unless `EZLA_REQUIRE_TOOLS` is set.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use ezla::ErrorCode;
use ezla::cms::{self, SignOptions, VerifyOptions};
use ezla::crypto::{DigestAlgorithm, KeySpec};
use ezla::pki::testca::{DoctorSpec, TestCa};
use ezla::pki::{Identity, TrustAnchors};
use ezla_tests::{have_tool, pem, run, scratch_dir};
use time::OffsetDateTime;

fn doctor(ca: &TestCa, spec: KeySpec) -> Identity {
    let mut d = DoctorSpec::new("Jan", "Kowalski", "44051401359".parse().expect("pesel"));
    d.key = spec;
    ca.issue_doctor(&d).expect("doctor")
}

fn openssl_verify(dir: &Path, sig: &Path, content: Option<&Path>) -> (bool, String) {
    let mut cmd = Command::new("openssl");
    cmd.args(["cms", "-verify", "-binary", "-inform", "DER", "-in"])
        .arg(sig)
        .arg("-CAfile")
        .arg(dir.join("ca.pem"))
        .args(["-out"])
        .arg(dir.join("verified.out"));
    if let Some(c) = content {
        cmd.arg("-content").arg(c);
    }
    let out = run(&mut cmd);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn openssl_verifies_ours_and_we_verify_openssls() {
    if !have_tool("openssl") {
        return;
    }
    let dir = scratch_dir("cms-interop");
    let ca = TestCa::generate("ezla cms interop CA", OffsetDateTime::now_utc(), 30).expect("ca");
    std::fs::write(dir.join("ca.pem"), ca.certificate().to_pem()).expect("write");
    let anchors = Arc::new(TrustAnchors::new([ca.certificate().clone()]));
    let payload = b"%PDF-1.7\nthe e-ZLA printout, binary \x00\x01\x02\r\n".repeat(50);
    let content = dir.join("content.bin");
    std::fs::write(&content, &payload).expect("write");
    let mut verdicts = 0;
    for (name, spec) in [("rsa", KeySpec::Rsa2048), ("ec", KeySpec::EcP256)] {
        let id = doctor(&ca, spec);
        for digest in [DigestAlgorithm::Sha256, DigestAlgorithm::Sha512] {
            for detached in [false, true] {
                let mut options = SignOptions::default();
                options.digest = digest;
                options.detached = detached;
                let der = cms::sign(&payload, &id, &id.certificate, &[], &options).expect("sign");
                let sig = dir.join(format!("{name}-{}-{detached}.p7s", digest.name()));
                std::fs::write(&sig, &der).expect("write");
                let (ok, stderr) = openssl_verify(&dir, &sig, detached.then_some(&*content));
                assert!(
                    ok,
                    "openssl cms -verify refuses {}: {stderr}",
                    sig.display()
                );
                assert_eq!(
                    std::fs::read(dir.join("verified.out")).expect("out"),
                    payload,
                    "openssl saw other content"
                );
                verdicts += 1;
            }
        }
        // openssl signs; we verify, with and without its CAdES attributes.
        let key = dir.join(format!("{name}.key"));
        let cert = dir.join(format!("{name}.crt"));
        std::fs::write(&key, pem("PRIVATE KEY", id.key.pkcs8_der())).expect("write");
        std::fs::write(&cert, id.certificate.to_pem()).expect("write");
        for (flags, cades) in [(&["-cades"][..], true), (&[][..], false)] {
            for detached in [false, true] {
                let sig = dir.join(format!("openssl-{name}-{cades}-{detached}.p7s"));
                let mut cmd = Command::new("openssl");
                cmd.args([
                    "cms", "-sign", "-binary", "-md", "sha256", "-outform", "DER",
                ])
                .args(flags)
                .arg("-in")
                .arg(&content)
                .arg("-signer")
                .arg(&cert)
                .arg("-inkey")
                .arg(&key)
                .arg("-out")
                .arg(&sig);
                if !detached {
                    cmd.arg("-nodetach");
                }
                let out = run(&mut cmd);
                assert!(
                    out.status.success(),
                    "openssl cms -sign: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                let der = std::fs::read(&sig).expect("read");
                let report = cms::verify(
                    &der,
                    detached.then_some(&payload[..]),
                    &VerifyOptions::default().with_trust(anchors.clone()),
                )
                .unwrap_or_else(|e| panic!("we refuse {}: {e}", sig.display()));
                assert_eq!(report.content, payload);
                assert_eq!(report.attached, !detached);
                assert_eq!(report.ess_binding, cades, "{}", sig.display());
                assert_eq!(report.trust, "chain");
                verdicts += 1;
            }
        }
    }
    println!("cms interop: {verdicts} verdicts (openssl on ours, ours on openssl's), all OK");
}

/// The ETSI CAdES plugtest files of `../shared/vectors/cms/dss-cades-plugtests` (enveloping,
/// several in BER with indefinite lengths; one with its signed attributes unsorted, one with
/// the issuer in other string types than the certificate's). Signature, digest and ESS
/// binding are checked (not the chains: their CAs are not in the corpus, and they expired).
#[test]
fn the_cades_plugtest_files_verify() {
    let Some(vectors) = ezla_tests::vectors_dir() else {
        return;
    };
    let dir = vectors.join("cms/dss-cades-plugtests");
    // name -> None (verifies) or the code of the refusal, with the reason.
    let expected: [(&str, Option<ErrorCode>); 10] = [
        ("Signature-C-A-XL-1", None),
        ("Signature-C-B-B-8", None),
        ("Signature-C-B-LTA-10", None),
        ("Signature-C-BES-4", None),
        ("Signature-C-CZ_SIX-1", None),
        ("Signature-C-DE_CRY-3", None),
        ("Signature-C-DE_CRY-4", None),
        ("Signature-C-HU_MIC-1", None),
        // Its `crls` hold an OtherRevocationInfoFormat (an OCSP response), which the cms
        // 0.3.0-pre.1 types cannot read: refused as malformed, not mis-verified.
        ("Signature-C-HU_POL-3", Some(ErrorCode::DerMalformed)),
        // Hashed with SHA-1, which ezla does not accept for new verifications.
        ("Signature-C-X-1", Some(ErrorCode::Unsupported)),
    ];
    for (name, want) in expected {
        let der = std::fs::read(dir.join(format!("{name}.p7m"))).expect("vector");
        match (cms::verify(&der, None, &VerifyOptions::default()), want) {
            (Ok(report), None) => {
                assert!(report.attached && report.ess_binding, "{name}");
                assert!(report.signing_time.is_some(), "{name}");
            }
            (Err(e), Some(code)) => assert_eq!(e.code(), code, "{name}: {e}"),
            (Ok(_), Some(code)) => panic!("{name} verified; {code:?} expected"),
            (Err(e), None) => panic!("{name} refused: {e}"),
        }
    }
}

/// The signature time-stamps of the same plugtest files (CAdES-T and above carry one),
/// through `tsp::cades::verify`: real tokens from the plugtests' TSAs, checked for their
/// imprint over the signature value, their ESS binding and their TSA certificate.
#[test]
fn the_plugtest_signature_timestamps_verify_or_are_refused_with_their_reason() {
    let Some(vectors) = ezla_tests::vectors_dir() else {
        return;
    };
    let dir = vectors.join("cms/dss-cades-plugtests");
    // name -> the time-stamps that verify (and the TSA of the first), and the codes of those
    // that do not (which leave the signature valid and set no instant).
    type Row = (&'static str, usize, &'static str, &'static [ErrorCode]);
    let expected: [Row; 8] = [
        (
            "Signature-C-A-XL-1",
            1,
            "CN=TSA,OU=Plugtests_2013-2014,O=ETSI,C=FR",
            &[],
        ),
        (
            "Signature-C-B-LTA-10",
            1,
            "CN=TSA,OU=Plugtests_2015-2016,O=ETSI,C=FR",
            &[],
        ),
        ("Signature-C-B-B-8", 0, "", &[]),
        ("Signature-C-BES-4", 0, "", &[]),
        ("Signature-C-HU_MIC-1", 0, "", &[]),
        // The attribute value is the token wrapped in an OCTET STRING, not the
        // ContentInfo RFC 3161 Appendix A defines: refused, not unwrapped.
        ("Signature-C-DE_CRY-3", 0, "", &[ErrorCode::DerMalformed]),
        ("Signature-C-DE_CRY-4", 0, "", &[ErrorCode::DerMalformed]),
        // A token whose SignedData carries revocation data of other formats, which the cms
        // 0.3.0-pre.1 types cannot read.
        ("Signature-C-CZ_SIX-1", 0, "", &[ErrorCode::DerMalformed]),
    ];
    for (name, valid, tsa, invalid) in expected {
        let der = std::fs::read(dir.join(format!("{name}.p7m"))).expect("vector");
        let v = ezla::tsp::cades::verify(
            &der,
            None,
            &VerifyOptions::default(),
            &ezla::tsp::TokenOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{name} refused: {e}"));
        assert_eq!(v.timestamps.len(), valid, "{name}");
        let codes: Vec<ErrorCode> = v.invalid_timestamps.iter().map(|e| e.code()).collect();
        assert_eq!(codes, invalid, "{name}: {:?}", v.invalid_timestamps);
        if let Some(first) = v.timestamps.first() {
            assert_eq!(first.tsa.subject().to_rfc4514(), tsa, "{name}");
            assert_eq!(first.trust, "untrusted", "{name}");
            // The stamp follows the claimed signing time.
            let claimed = v.report.signing_time.expect("signing time");
            assert!(first.time >= claimed - time::Duration::minutes(5), "{name}");
        }
    }
    // HU_POL-3 (its own SignedData unreadable) and X-1 (SHA-1) are refused as signatures,
    // whatever their time-stamps say.
    for (name, code) in [
        ("Signature-C-HU_POL-3", ErrorCode::DerMalformed),
        ("Signature-C-X-1", ErrorCode::Unsupported),
    ] {
        let der = std::fs::read(dir.join(format!("{name}.p7m"))).expect("vector");
        let e = ezla::tsp::cades::verify(
            &der,
            None,
            &VerifyOptions::default(),
            &ezla::tsp::TokenOptions::default(),
        )
        .expect_err(name);
        assert_eq!(e.code(), code, "{name}: {e}");
    }
}

/// pyca's PKCS#7 samples (`../shared/vectors/cms/pyca-pkcs7`): none is a signature ezla
/// should accept, and each is refused with the reason it is not one.
#[test]
fn the_pyca_pkcs7_samples_are_refused_with_their_reason() {
    let Some(vectors) = ezla_tests::vectors_dir() else {
        return;
    };
    let dir = vectors.join("cms/pyca-pkcs7");
    let expected: [(&str, ErrorCode, &str); 10] = [
        // Certificates-only SignedData (a .p7b bundle): no signer.
        (
            "amazon-roots.der",
            ErrorCode::SignatureMissing,
            "certificates-only",
        ),
        (
            "amazon-roots.p7b",
            ErrorCode::SignatureMissing,
            "certificates-only",
        ),
        ("isrg.pem", ErrorCode::SignatureMissing, "certificates-only"),
        // Authenticode: SignedData over SpcIndirectDataContent, not data.
        (
            "authenticode.der",
            ErrorCode::Unsupported,
            "1.3.6.1.4.1.311.2.1.4",
        ),
        // Encrypted messages.
        (
            "enveloped.pem",
            ErrorCode::SignatureMalformed,
            "envelopedData",
        ),
        (
            "enveloped-rsa-oaep.pem",
            ErrorCode::SignatureMalformed,
            "envelopedData",
        ),
        (
            "enveloped-triple-des.pem",
            ErrorCode::SignatureMalformed,
            "envelopedData",
        ),
        (
            "enveloped-no-content.der",
            ErrorCode::SignatureMalformed,
            "envelopedData",
        ),
        // Certificates in PEM, not CMS.
        (
            "ascii-san.pem",
            ErrorCode::PemMalformed,
            "no CMS or PKCS7 block",
        ),
        (
            "non-ascii-san.pem",
            ErrorCode::PemMalformed,
            "no CMS or PKCS7 block",
        ),
    ];
    for (name, code, reason) in expected {
        let data = std::fs::read(dir.join(name)).expect("vector");
        let e = cms::from_pem_or_der(&data)
            .and_then(|der| cms::verify(&der, None, &VerifyOptions::default()))
            .expect_err(name);
        assert_eq!(e.code(), code, "{name}: {e}");
        assert!(e.to_string().contains(reason), "{name}: {e}");
    }
}
