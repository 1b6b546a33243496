//! XAdES samples from signxml and xades4j (`../shared/vectors/xades/`): ezla's verdicts must
//! match the expectations in that folder's README. Each signature is checked at the BES
//! level (XML-DSig plus signed properties; unsigned properties such as timestamps are not
//! evaluated), with the signer pinned as signxml's own test does: the first
//! `ds:X509Certificate` in the file, or for xades4j files without one, the `cert/my` signer.
//! Samples that use something ezla does not support are listed with the reason.

mod common;

use std::path::Path;

use ezla::ErrorCode;
use ezla::dsig::find_signatures;
use ezla::xades::{VerifyOptions, verify_signature};
use ezla::xml::Document;

/// signxml's expected failures (README: names containing these).
const SIGNXML_FAIL: &[&str] = &[
    "altered",
    "newlines",
    "unsupported-signature-algorithm",
    "cert-v2-wrong-digest",
    "wrong-sign-cert-digest",
    "nonconformant-X_BE_CONN_10",
    "sigPolStore-noDigest",
];

/// Where ezla is deliberately stricter than signxml's expectations: the file, what ezla
/// reports, and why ezla is right to refuse it.
const STRICTER: &[(&str, ErrorCode, &str)] = &[
    (
        "nonconformant-xades-sign-cert-v1-wrong-serialnumber.xml",
        ErrorCode::SigningCertificateMismatch,
        "IssuerSerial names a serial number that is not the signer's",
    ),
    (
        "xades-sign-cert-v2-wrong-issuer-serial.xml",
        ErrorCode::Base64Malformed,
        "IssuerSerialV2 is not base64 (it reads `...`)",
    ),
    (
        "xades-extended-xl.xml",
        ErrorCode::XadesPropertiesInvalid,
        "QualifyingProperties targets #Signature while the signature's Id is `signature`",
    ),
    (
        "xades-ocsp-before-cert-validity.xml",
        ErrorCode::SigningTimeInvalid,
        "the claimed signing time precedes the certificate's validity",
    ),
];

/// Expected failures whose fault lies in unsigned properties above the BES level, which ezla
/// does not evaluate (it verifies XAdES-BES: the signature and the signed properties).
const ABOVE_BES: &[(&str, &str)] = &[
    (
        "document.signed.bes.cs.invalidtransforms.xml",
        "the fault is in a counter-signature (an unsigned property)",
    ),
    (
        "document.signed.c.bad.xml",
        "the fault is in XAdES-C complete certificate references",
    ),
    (
        "document.signed.c.missingcertref.xml",
        "the fault is in XAdES-C complete certificate references",
    ),
    (
        "document.signed.t.bes.badtsdigest.xml",
        "the fault is in the signature time-stamp's digest",
    ),
];

/// Expectations we could not reproduce with the verifier that set them.
const DISPUTED: &[(&str, &str)] = &[(
    "nonconformant-X_BE_CONN_10.xml",
    "README expects InvalidDigest, but signxml 5.2 itself verifies it (with a verification \
     time inside the certificate's validity); its SigningCertificate is consistent (first \
     Cert: the signer's SHA-1 digest, issuer and serial; second: its CA), so ezla accepts it",
)];

/// The first `ds:X509Certificate` of the file, as signxml's own test pins it.
fn first_certificate(bytes: &[u8]) -> Option<Vec<u8>> {
    let doc = Document::parse_bytes(bytes).ok()?;
    find_signatures(&doc).into_iter().find_map(|sig| {
        let ki = sig.child(ezla::dsig::DSIG_NS, "KeyInfo")?;
        let data = ki.child(ezla::dsig::DSIG_NS, "X509Data")?;
        let cert = data.child(ezla::dsig::DSIG_NS, "X509Certificate")?;
        use base64::Engine as _;
        let b64: String = cert.text().chars().filter(|c| !c.is_whitespace()).collect();
        base64::engine::general_purpose::STANDARD.decode(b64).ok()
    })
}

enum Verdict {
    Agree,
    /// ezla refuses, deliberately, what signxml accepts.
    Stricter(String),
    /// An expected failure whose cause ezla does not evaluate (above BES).
    NotEvaluated(String),
    /// An expectation that its own verifier does not reproduce.
    Disputed(String),
    Disagree(String),
    Unsupported(String),
}

fn check(path: &Path, expect_ok: bool, fallback_cert: Option<&[u8]>) -> Verdict {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return Verdict::Disagree(e.to_string()),
    };
    let cert = first_certificate(&bytes).or_else(|| fallback_cert.map(<[u8]>::to_vec));
    let result = (|| {
        let doc = Document::parse_bytes(&bytes)?;
        let signature = *find_signatures(&doc).first().ok_or(ezla::Error::Signature(
            ezla::error::SignatureError::Missing {
                detail: "none".into(),
            },
        ))?;
        let mut options = VerifyOptions::default();
        options.signer_certificate = cert
            .as_deref()
            .map(ezla::pki::Certificate::from_der)
            .transpose()?;
        // signxml's test allows SHA-1; 2002-era test keys are 1024-bit.
        options.allow_legacy_algorithms = true;
        verify_signature(&doc, signature, &options).map(|_| ())
    })();
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if let Some((_, why)) = ABOVE_BES.iter().find(|(f, _)| *f == name) {
        return match result {
            Ok(()) => Verdict::NotEvaluated(why.to_string()),
            Err(e) => Verdict::Disagree(format!("expected BES-level success, got {e}")),
        };
    }
    if let Some((_, why)) = DISPUTED.iter().find(|(f, _)| *f == name) {
        return match result {
            Ok(()) => Verdict::Disputed(why.to_string()),
            Err(e) => Verdict::Disagree(format!("listed as disputed but refused: {e}")),
        };
    }
    if let Some((_, code, why)) = STRICTER.iter().find(|(f, _, _)| *f == name) {
        return match result {
            Err(e) if e.code() == *code => Verdict::Stricter(why.to_string()),
            other => Verdict::Disagree(format!(
                "expected ezla to refuse it with {code:?}, got {other:?}"
            )),
        };
    }
    match result {
        Ok(()) if expect_ok => Verdict::Agree,
        Ok(()) => Verdict::Disagree("verified; expected a failure".into()),
        Err(e) if e.code() == ErrorCode::Unsupported => Verdict::Unsupported(e.to_string()),
        Err(e) if !expect_ok => {
            println!("    {name}: refused as expected: {e}");
            Verdict::Agree
        }
        Err(e) => Verdict::Disagree(format!("{:?}: {e}", e.code())),
    }
}

#[test]
fn xades_samples_match_their_expectations() {
    let Some(vectors) = common::vectors_dir() else {
        return;
    };
    let base = vectors.join("xades");
    let mut lines = Vec::new();
    let mut disagreements = Vec::new();
    let lg_cert = std::fs::read_dir(base.join("xades4j/cert/my"))
        .ok()
        .and_then(|rd| {
            rd.filter_map(|e| e.ok()).map(|e| e.path()).find(|p| {
                p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                    n.starts_with("LG")
                        && (n.ends_with(".cer") || n.ends_with(".crt") || n.ends_with(".der"))
                })
            })
        })
        .and_then(|p| std::fs::read(p).ok());

    let sets: [(&str, std::path::PathBuf, bool); 3] = [
        ("signxml", base.join("signxml"), true),
        ("xades4j", base.join("xades4j/xml"), true),
        ("xades4j bad", base.join("xades4j/xml/bad"), false),
    ];
    for (set, dir, default_ok) in sets {
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("dir")
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "xml"))
            .collect();
        files.sort();
        let (mut agree, mut unsupported, mut stricter, mut other) =
            (0, Vec::new(), Vec::new(), Vec::new());
        for path in files {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_string();
            if set == "xades4j" && matches!(name.as_str(), "document.xml" | "content.xml") {
                continue; // unsigned inputs of the xades4j tests
            }
            let expect_ok =
                default_ok && !(set == "signxml" && SIGNXML_FAIL.iter().any(|f| name.contains(f)));
            match check(&path, expect_ok, lg_cert.as_deref()) {
                Verdict::Agree => agree += 1,
                Verdict::Stricter(why) => stricter.push(format!("{set}/{name}: {why}")),
                Verdict::NotEvaluated(why) => {
                    other.push(format!("not evaluated {set}/{name}: {why}"))
                }
                Verdict::Disputed(why) => other.push(format!("disputed {set}/{name}: {why}")),
                Verdict::Disagree(why) => disagreements.push(format!(
                    "{set}/{name} (expect {}): {why}",
                    if expect_ok { "valid" } else { "invalid" }
                )),
                Verdict::Unsupported(why) => unsupported.push(format!("{set}/{name}: {why}")),
            }
        }
        lines.push(format!(
            "{set}: {agree} agree, {} stricter (deliberate), {} unsupported, {} not evaluated or disputed",
            stricter.len(),
            unsupported.len(),
            other.len()
        ));
        for o in other {
            lines.push(format!("    {o}"));
        }
        for s in stricter {
            lines.push(format!("    stricter {s}"));
        }
        for u in unsupported {
            lines.push(format!("    unsupported {u}"));
        }
    }
    println!("{}", lines.join("\n"));
    println!("disagreements: {}", disagreements.len());
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}
