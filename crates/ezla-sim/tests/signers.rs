//! The simulator accepts a login whose statement was signed by any correct XAdES-BES
//! enveloped signature, as ZUS does — not only ezla's: the statement is signed here by
//! xmlsec1 (from a template), by signxml's `XAdESSigner` and by the JDK's XML-DSig, and each
//! logs in. The same signatures with the statement altered after signing are refused.
//! (Tools are skipped with a notice when absent, unless `EZLA_REQUIRE_TOOLS` is set.)

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use base64::Engine as _;
use ezla::pki::{Identity, pem};
use ezla::transport::{TransportConfig, UreqTransport};
use ezla::zus::{Client, ClientConfig, MetodaWeryfikacji};
use ezla::{Error, ErrorCode};
use ezla_sim::{ServeOptions, Simulator};
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

const DOCTOR: &str = "02271409867";

fn tools() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools")
}

/// The project's venv Python (with signxml), or `$EZLA_PYTHON`.
fn python() -> Option<PathBuf> {
    let p = match std::env::var_os("EZLA_PYTHON") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python"),
    };
    if p.exists() {
        return Some(p);
    }
    assert!(
        std::env::var_os("EZLA_REQUIRE_TOOLS").is_none(),
        "{} is required (EZLA_REQUIRE_TOOLS is set)",
        p.display()
    );
    println!("NOTICE: {} not found; skipping signxml", p.display());
    None
}

fn run(cmd: &mut Command) {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

struct Setup {
    sim: Simulator,
    dir: PathBuf,
    doctor: Identity,
}

fn start() -> Setup {
    let dir = common::temp_dir("signers");
    let mut options = ServeOptions::new(common::loopback(), &dir);
    options.tls = true;
    let sim = ezla_sim::serve(&options).expect("serve");
    sim.zus
        .state()
        .add_doctor(DOCTOR, "Anna", "Nowak", "5425740")
        .expect("doctor");
    let doctor = sim
        .zus
        .ca()
        .issue_doctor(
            ezla::pl::Pesel::parse(DOCTOR).expect("pesel"),
            "Anna",
            "Nowak",
            OffsetDateTime::now_utc() - Duration::days(1),
            365,
        )
        .expect("issue");
    // The key and certificate as the tools read them.
    let key = pem::encode("PRIVATE KEY", doctor.key.pkcs8_der());
    std::fs::write(dir.join("doctor.key"), key).expect("write");
    std::fs::write(dir.join("doctor.pk8"), doctor.key.pkcs8_der()).expect("write");
    std::fs::write(dir.join("doctor.crt"), doctor.certificate.to_pem()).expect("write");
    Setup { sim, dir, doctor }
}

fn client(s: &Setup) -> Client {
    let ca = std::fs::read(s.dir.join("tls-ca.pem")).expect("tls-ca.pem");
    let config = TransportConfig::builder()
        .basic_auth("ezla_ag", "ezla_ag")
        .trust_pem(&ca)
        .build()
        .expect("transport config");
    Client::new(
        Arc::new(UreqTransport::new(config).expect("transport")),
        ClientConfig::new(s.sim.zus_url.clone()),
    )
}

/// An xmlsec1 template for the statement: an enveloped signature with a reference to the
/// document and one to the XAdES SignedProperties, whose SigningCertificateV2 carries the
/// certificate's SHA-256; xmlsec1 computes every digest and the signature and fills KeyInfo.
fn xmlsec1_template(statement: &str, s: &Setup) -> String {
    let digest = base64::engine::general_purpose::STANDARD
        .encode(Sha256::digest(s.doctor.certificate.to_der()));
    let now = OffsetDateTime::now_utc();
    let signing_time = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    );
    let signature = format!(
        r##"<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="sig-xmlsec1"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI=""><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference><ds:Reference URI="#sp-xmlsec1" Type="http://uri.etsi.org/01903#SignedProperties"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo><ds:Object><xades:QualifyingProperties xmlns:xades="http://uri.etsi.org/01903/v1.3.2#" Target="#sig-xmlsec1"><xades:SignedProperties Id="sp-xmlsec1"><xades:SignedSignatureProperties><xades:SigningTime>{signing_time}</xades:SigningTime><xades:SigningCertificateV2><xades:Cert><xades:CertDigest><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>{digest}</ds:DigestValue></xades:CertDigest></xades:Cert></xades:SigningCertificateV2></xades:SignedSignatureProperties></xades:SignedProperties></xades:QualifyingProperties></ds:Object></ds:Signature>"##
    );
    let end = statement
        .rfind("</Oswiadczenie>")
        .expect("the statement ends with </Oswiadczenie>");
    format!("{}{signature}{}", &statement[..end], &statement[end..])
}

/// Signs `statement` with the tool `name`; `None` when the tool is absent.
fn sign_with(name: &str, statement: &str, s: &Setup) -> Option<String> {
    let input = s.dir.join(format!("{name}-statement.xml"));
    let output = s.dir.join(format!("{name}-signed.xml"));
    let (key, key_der, cert) = (
        s.dir.join("doctor.key"),
        s.dir.join("doctor.pk8"),
        s.dir.join("doctor.crt"),
    );
    match name {
        "xmlsec1" => {
            if !common::have_tool("xmlsec1") {
                return None;
            }
            std::fs::write(&input, xmlsec1_template(statement, s)).expect("write");
            let keys = format!("{},{}", key.display(), cert.display());
            run(Command::new("xmlsec1")
                .args(["--sign", "--privkey-pem", &keys])
                .args([
                    "--id-attr:Id",
                    "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
                ])
                .arg("--output")
                .arg(&output)
                .arg(&input));
        }
        "signxml" => {
            let python = python()?;
            std::fs::write(&input, statement).expect("write");
            run(Command::new(python)
                .arg(tools().join("signxml_sign.py"))
                .args([&key, &cert, &input, &output]));
        }
        "jdk" => {
            if !(common::have_tool("javac") && common::have_tool("java")) {
                return None;
            }
            std::fs::write(&input, statement).expect("write");
            let classes = s.dir.join("java");
            run(Command::new("javac")
                .arg("-d")
                .arg(&classes)
                .arg(tools().join("SignXades.java")));
            run(Command::new("java")
                .arg("-cp")
                .arg(&classes)
                .arg("SignXades")
                .args([&key_der, &cert, &input, &output]));
        }
        other => panic!("no signer {other}"),
    }
    Some(std::fs::read_to_string(&output).expect("signed statement"))
}

#[test]
fn statements_signed_by_xmlsec1_signxml_and_the_jdk_log_in() {
    let s = start();
    let mut logged_in = Vec::new();
    for tool in ["xmlsec1", "signxml", "jdk"] {
        let zus = client(&s);
        let statement = zus.statement().expect("statement");
        let Some(signed) = sign_with(tool, &statement, &s) else {
            continue;
        };
        assert!(
            signed.contains("SignedProperties") && signed.contains("SignatureValue"),
            "{tool} wrote no XAdES signature: {signed}"
        );
        // Altered after signing (the token's text changed): the signature no longer
        // verifies, and ZUS's answer is a refused login, not a session.
        let token_start = signed.find("<Token>").expect("a token") + "<Token>".len();
        let mut altered = signed.clone();
        let first = altered.as_bytes()[token_start];
        let swapped = if first == b'0' { "1" } else { "0" };
        altered.replace_range(token_start..token_start + 1, swapped);
        match zus.login_signed(altered, MetodaWeryfikacji::Certyfikat) {
            Err(Error::Zus(e)) => assert_eq!(
                Error::Zus(e).code(),
                ErrorCode::ZusLoginRefused,
                "{tool}: an altered statement"
            ),
            other => panic!("{tool}: an altered statement was not refused: {other:?}"),
        }
        // As signed: a session, and the doctor ZUS sees is the certificate's.
        let id = zus
            .login_signed(signed, MetodaWeryfikacji::Certyfikat)
            .unwrap_or_else(|e| panic!("{tool}'s signature refused: {e}"));
        assert!(!id.as_str().is_empty());
        let doctor = zus.doctor().expect("doctor").expect("a doctor");
        assert_eq!(doctor.pesel.as_deref(), Some(DOCTOR), "{tool}");
        zus.logout().expect("logout");
        logged_in.push(tool);
    }
    println!(
        "sim login: statements signed by {} logged in",
        logged_in.join(", ")
    );
    if std::env::var_os("EZLA_REQUIRE_TOOLS").is_some() {
        assert_eq!(logged_in, ["xmlsec1", "signxml", "jdk"]);
    }
}
