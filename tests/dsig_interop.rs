//! ezla's XML signatures checked by three independent verifiers: Debian's `xmlsec1`
//! (libxmlsec1 + OpenSSL), the JDK's `javax.xml.crypto.dsig`, and `signxml` (lxml +
//! cryptography).
//!
//! signxml has no XPath filter transform and canonicalizes subtrees with lxml, which emits a
//! spurious `xmlns=""` on grandchildren under an inherited default namespace; it is run on the
//! shapes it handles: whole-document enveloped signatures with the enveloped-signature
//! transform, and enveloping signatures whose object declares its own namespace.

use std::path::{Path, PathBuf};
use std::process::Command;

use ezla::crypto::{DigestAlgorithm, KeySpec, PrivateKey, SignatureAlgorithm};
use ezla::dsig::{
    KeySelection, ObjectSpec, Placement, ReferenceSpec, SignOptions, SignatureSpec, TransformSpec,
    Verifier, VerifyPolicy, sign_enveloped, sign_enveloping,
};
use ezla::xml::Document;
use ezla::xml::c14n::{Canonicalizer, Method};
use ezla_tests::{have_tool, pem, python, run, run_ok, scratch_dir, tools_dir};

const KEDU: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<KEDU xmlns="http://www.zus.pl/2015/KED_ZLA_1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" wersja_schematu="1">
  <naglowek.KEDU><program><producent>ezla</producent><symbol>eZLA</symbol><wersja>1.0</wersja></program></naglowek.KEDU>
  <ZUSZLA id_dokumentu="155565" kolejnosc="0">
    <II><p1>68071892605</p1><p2>Filip</p2><p3>Jakubowski</p3></II>
    <VI><p1>PRZYCHODNIA "POD &lt;LIPAMI&gt;" &amp; S-KA</p1><p3>Zdręby</p3></VI>
  </ZUSZLA>
</KEDU>
"#;

const BY_ID: &str = r#"<Response xmlns="urn:example:response"><Assertion ID="a-1"><Subject>jan</Subject></Assertion></Response>"#;

const AUTHN_REQUEST: &str = r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_req-1" Version="2.0" IssueInstant="2026-12-04T10:00:00Z" Destination="https://login.gov.pl/login/SingleSignOnService"><saml:Issuer>https://gabinet.example/sp</saml:Issuer><samlp:NameIDPolicy AllowCreate="true"/></samlp:AuthnRequest>"#;

struct Key {
    key: PrivateKey,
    cert_pem: PathBuf,
    cert_der: Vec<u8>,
}

/// A key and a self-signed certificate for it, made with `openssl req -x509`.
fn key_with_cert(dir: &Path, name: &str, spec: KeySpec) -> Key {
    let key = PrivateKey::generate(spec).expect("generate");
    let key_pem = dir.join(format!("{name}.key.pem"));
    std::fs::write(&key_pem, pem("PRIVATE KEY", key.pkcs8_der())).expect("write key");
    let cert_pem = dir.join(format!("{name}.crt.pem"));
    run_ok(
        Command::new("openssl")
            .args(["req", "-new", "-x509", "-days", "30", "-subj"])
            .arg(format!("/CN=ezla interop {name}/O=ezla"))
            .arg("-key")
            .arg(&key_pem)
            .arg("-out")
            .arg(&cert_pem),
    );
    let der_path = dir.join(format!("{name}.crt.der"));
    run_ok(
        Command::new("openssl")
            .args(["x509", "-outform", "DER", "-in"])
            .arg(&cert_pem)
            .arg("-out")
            .arg(&der_path),
    );
    let cert_der = std::fs::read(&der_path).expect("cert der");
    Key {
        key,
        cert_pem,
        cert_der,
    }
}

struct Case {
    name: &'static str,
    file: PathBuf,
    cert_pem: PathBuf,
    legacy: bool,
    signxml: bool,
    xmlsec_id_attr: Option<&'static str>,
}

fn write_signed(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(format!("{name}.xml"));
    std::fs::write(&path, bytes).expect("write");
    // Our own verifier agrees first (not the point of this test, but a useful guard).
    let doc = Document::parse_bytes(bytes).expect("parse");
    for sig in ezla::dsig::find_signatures(&doc) {
        Verifier::new(KeySelection::EmbeddedUntrusted)
            .with_policy(VerifyPolicy::legacy())
            .verify(&doc, sig)
            .unwrap_or_else(|e| panic!("{name}: ezla rejects its own signature: {e}"));
    }
    path
}

fn cases(dir: &Path) -> Vec<Case> {
    let rsa = key_with_cert(dir, "rsa", KeySpec::Rsa2048);
    let ec = key_with_cert(dir, "ec", KeySpec::EcP256);
    let mut out = Vec::new();
    let with_cert = |mut spec: SignatureSpec, k: &Key| {
        spec.key_info.certificates = vec![k.cert_der.clone()];
        spec
    };
    let sign = |spec: &SignatureSpec, k: &Key, input: &str| {
        sign_enveloped(input.as_bytes(), spec, &k.key, &SignOptions::default()).expect("sign")
    };

    // 1–2. Enveloped, exclusive C14N, SHA-256, RSA and ECDSA.
    for (name, k) in [
        ("enveloped-exc-rsa-sha256", &rsa),
        ("enveloped-exc-ecdsa-sha256", &ec),
    ] {
        let spec = with_cert(
            SignatureSpec::enveloped(k.key.kind(), DigestAlgorithm::Sha256),
            k,
        );
        out.push(Case {
            name,
            file: write_signed(dir, name, &sign(&spec, k, KEDU)),
            cert_pem: k.cert_pem.clone(),
            legacy: false,
            signxml: true,
            xmlsec_id_attr: None,
        });
    }
    // 3. Enveloped, inclusive C14N, SHA-512.
    {
        let mut spec = with_cert(
            SignatureSpec::enveloped(rsa.key.kind(), DigestAlgorithm::Sha512),
            &rsa,
        );
        spec.canonicalization = Canonicalizer::new(Method::Inclusive10);
        spec.references[0].transforms = vec![TransformSpec::Enveloped];
        out.push(Case {
            name: "enveloped-c14n-rsa-sha512",
            file: write_signed(dir, "enveloped-c14n-rsa-sha512", &sign(&spec, &rsa, KEDU)),
            cert_pem: rsa.cert_pem.clone(),
            legacy: false,
            signxml: true,
            xmlsec_id_attr: None,
        });
    }
    // 4–5. The Polish profile: XPath not(ancestor-or-self::ds:Signature), inclusive C14N;
    // SHA-256, and SHA-1 (legacy).
    for (name, digest, legacy) in [
        ("polish-xpath-rsa-sha256", DigestAlgorithm::Sha256, false),
        ("polish-xpath-rsa-sha1", DigestAlgorithm::Sha1, true),
    ] {
        let mut spec = with_cert(SignatureSpec::enveloped(rsa.key.kind(), digest), &rsa);
        spec.canonicalization = Canonicalizer::new(Method::Inclusive10);
        spec.algorithm = SignatureAlgorithm::RsaPkcs1v15(digest);
        spec.references = vec![ReferenceSpec::new(
            "",
            vec![TransformSpec::XPathNotSignature],
            digest,
        )];
        out.push(Case {
            name,
            file: write_signed(dir, name, &sign(&spec, &rsa, KEDU)),
            cert_pem: rsa.cert_pem.clone(),
            legacy,
            signxml: false,
            xmlsec_id_attr: None,
        });
    }
    // 6. A reference by ID to one element (SAML style), exclusive C14N with a prefix list.
    {
        let exc = Canonicalizer::new(Method::Exclusive10).with_inclusive_prefixes(["xsi"]);
        let mut spec = with_cert(
            SignatureSpec::enveloped(ec.key.kind(), DigestAlgorithm::Sha384),
            &ec,
        );
        spec.canonicalization = exc.clone();
        spec.references = vec![ReferenceSpec::new(
            "#a-1",
            vec![TransformSpec::Enveloped, TransformSpec::Canonicalize(exc)],
            DigestAlgorithm::Sha384,
        )];
        out.push(Case {
            name: "by-id-exc-prefixlist-ecdsa-sha384",
            file: write_signed(
                dir,
                "by-id-exc-prefixlist-ecdsa-sha384",
                &sign(&spec, &ec, BY_ID),
            ),
            cert_pem: ec.cert_pem.clone(),
            legacy: false,
            signxml: false,
            xmlsec_id_attr: Some("urn:example:response:Assertion"),
        });
    }
    // 7. A SAML AuthnRequest signed by ID with the signature right after `saml:Issuer`
    // (dsig::Placement::AFTER_SAML_ISSUER), as login.gov.pl expects.
    {
        let mut spec = with_cert(
            SignatureSpec::enveloped(rsa.key.kind(), DigestAlgorithm::Sha256),
            &rsa,
        );
        spec.references[0].uri = "#_req-1".into();
        let options = SignOptions::default().with_placement(Placement::AFTER_SAML_ISSUER);
        let bytes =
            sign_enveloped(AUTHN_REQUEST.as_bytes(), &spec, &rsa.key, &options).expect("sign");
        let text = String::from_utf8(bytes.clone()).expect("utf8");
        assert!(text.contains("</saml:Issuer><ds:Signature"), "{text}");
        out.push(Case {
            name: "saml-after-issuer-rsa-sha256",
            file: write_signed(dir, "saml-after-issuer-rsa-sha256", &bytes),
            cert_pem: rsa.cert_pem.clone(),
            legacy: false,
            signxml: true,
            xmlsec_id_attr: Some("urn:oasis:names:tc:SAML:2.0:protocol:AuthnRequest"),
        });
    }
    // 8. Enveloping over an object, C14N 1.1, with KeyValue and the certificate.
    {
        let c11 = Canonicalizer::new(Method::Inclusive11);
        let mut spec = with_cert(
            SignatureSpec::enveloped(rsa.key.kind(), DigestAlgorithm::Sha256),
            &rsa,
        );
        spec.canonicalization = c11.clone();
        spec.key_info.key_value = true;
        spec.references = vec![ReferenceSpec::new(
            "#payload",
            vec![TransformSpec::Canonicalize(c11)],
            DigestAlgorithm::Sha256,
        )];
        spec.objects = vec![ObjectSpec {
            id: Some("payload".into()),
            content: "<dane xmlns=\"urn:example:dane\"><pozycja>1</pozycja></dane>".into(),
        }];
        let bytes = sign_enveloping(&spec, &rsa.key).expect("sign");
        out.push(Case {
            name: "enveloping-c14n11-rsa-sha256",
            file: write_signed(dir, "enveloping-c14n11-rsa-sha256", &bytes),
            cert_pem: rsa.cert_pem.clone(),
            legacy: false,
            signxml: true,
            xmlsec_id_attr: None,
        });
    }
    out
}

#[test]
fn independent_verifiers_accept_ezla_signatures() {
    let have_xmlsec = have_tool("xmlsec1");
    let have_java = have_tool("javac") && have_tool("java");
    let python = python();
    if !have_tool("openssl") {
        return;
    }
    let dir = scratch_dir("dsig-interop");
    let cases = cases(&dir);
    let mut report = Vec::new();

    if have_xmlsec {
        for case in &cases {
            let mut cmd = Command::new("xmlsec1");
            cmd.args(["--verify", "--pubkey-cert-pem"])
                .arg(&case.cert_pem)
                .args(["--enabled-key-data", "key-name"]);
            if let Some(element) = case.xmlsec_id_attr {
                cmd.arg("--id-attr:ID").arg(element);
            }
            let out = run(cmd.arg(&case.file));
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.success() && stderr.contains("OK"),
                "xmlsec1 rejects {}: {stderr}",
                case.name
            );
            report.push(format!("xmlsec1 OK {}", case.name));
        }
        // xmlsec1 must also reject a tampered file, or the check above proves nothing.
        let tampered = dir.join("tampered.xml");
        let text = std::fs::read_to_string(&cases[0].file).expect("read");
        std::fs::write(&tampered, text.replace("Jakubowski", "Kowalski")).expect("write");
        let out = run(Command::new("xmlsec1")
            .args(["--verify", "--pubkey-cert-pem"])
            .arg(&cases[0].cert_pem)
            .arg(&tampered));
        assert!(
            !out.status.success(),
            "xmlsec1 accepted a tampered document"
        );
    }

    if have_java {
        let classes = dir.join("java");
        std::fs::create_dir_all(&classes).expect("mkdir");
        run_ok(
            Command::new("javac")
                .arg("-d")
                .arg(&classes)
                .arg(tools_dir().join("Verify.java")),
        );
        for case in &cases {
            let mut cmd = Command::new("java");
            cmd.arg("-cp").arg(&classes).arg("Verify");
            if case.legacy {
                cmd.arg("--legacy");
            }
            let out = run_ok(cmd.arg(&case.file));
            assert!(out.starts_with("OK "), "JDK: {out}");
            report.push(format!("JDK {}", out.trim()));
        }
        let tampered = dir.join("tampered.xml");
        let out = run(Command::new("java")
            .arg("-cp")
            .arg(&classes)
            .arg("Verify")
            .arg(&tampered));
        assert!(
            !out.status.success(),
            "the JDK accepted a tampered document"
        );
    }

    if let Some(python) = python {
        for case in cases.iter().filter(|c| c.signxml) {
            let out = run_ok(
                Command::new(&python)
                    .arg(tools_dir().join("signxml_verify.py"))
                    .arg(&case.cert_pem)
                    .arg(&case.file),
            );
            assert!(out.starts_with("OK "), "signxml: {out}");
            report.push(format!("signxml {}", out.trim()));
        }
        let out = run(Command::new(&python)
            .arg(tools_dir().join("signxml_verify.py"))
            .arg(&cases[0].cert_pem)
            .arg(dir.join("tampered.xml")));
        assert!(
            !out.status.success(),
            "signxml accepted a tampered document"
        );
    }
    println!("{}", report.join("\n"));
    println!(
        "dsig interop: {} verdicts from independent verifiers, all OK",
        report.len()
    );
}
