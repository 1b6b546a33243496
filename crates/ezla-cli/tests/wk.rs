//! `ezla wk …` end to end: keys and requests checked by openssl, the metadata, and `inspect`
//! over responses made by the core's emulator and over the 2018 simulator capture.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use ezla::crypto::{KeySpec, PrivateKey};
use ezla::pki::{Certificate, KeyUsage, Name, self_signed_certificate};
use ezla::wk::{emulate, encrypt_assertion};
use serde_json::Value;
use time::OffsetDateTime;
use time::macros::datetime;

const PASSWORD: &str = "hasło do kluczy WK";
const ENTITY: &str = "https://sp.example/wk";
const ACS: &str = "https://sp.example/wk/acs";
const ISSUER: &str = "int.login.gov.pl";
const AUTHN_ID: &str = "ID-authn-1";
const RESOLVE_ID: &str = "ID-resolve-1";
const NOW: OffsetDateTime = datetime!(2026-12-01 10:00 UTC);

fn env() -> [(&'static str, &'static str); 2] {
    [("EZLA_WK_PASSWORD", PASSWORD), ("PW", PASSWORD)]
}

fn run(dir: &Path, args: &[&str]) -> Output {
    common::run(dir, args, &env())
}

fn ok(dir: &Path, args: &[&str]) -> String {
    common::ok(dir, args, &env())
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", text(&out.stdout)))
}

fn have_openssl() -> bool {
    let found = Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        if std::env::var_os("EZLA_REQUIRE_TOOLS").is_some() {
            panic!("openssl is required (EZLA_REQUIRE_TOOLS is set) but not on PATH");
        }
        println!("NOTICE: openssl not on PATH; skipping the openssl checks");
    }
    found
}

fn openssl(dir: &Path, args: &[&str]) -> String {
    let o = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .env("PW", PASSWORD)
        .output()
        .expect("run openssl");
    assert!(
        o.status.success(),
        "openssl {args:?} failed: {}",
        text(&o.stderr)
    );
    text(&o.stdout) + &text(&o.stderr)
}

/// `wk keygen` into `dir/keys`.
fn keygen(dir: &Path) -> PathBuf {
    ok(
        dir,
        &[
            "wk",
            "keygen",
            "--out",
            "keys",
            "--entity-id",
            "sp.example",
            "--organization",
            "Przychodnia Przykładowa",
            "--password-env",
            "EZLA_WK_PASSWORD",
            "--iterations",
            "2048",
        ],
    );
    dir.join("keys")
}

fn cert(path: &Path) -> Certificate {
    Certificate::from_pem(&std::fs::read(path).expect("read")).expect("certificate")
}

/// A login.gov.pl signing key and its certificate, written to `dir/name`.
fn wk_key(dir: &Path, name: &str) -> (PrivateKey, Certificate) {
    let key = PrivateKey::generate(KeySpec::EcP256).expect("key");
    let subject = Name::builder()
        .country("PL")
        .common_name("WK_SIG_EC test")
        .build()
        .expect("name");
    let c = self_signed_certificate(
        &key,
        &subject,
        KeyUsage::DIGITAL_SIGNATURE,
        datetime!(2025-01-01 0:00 UTC),
        3650,
    )
    .expect("certificate");
    std::fs::write(dir.join(name), c.to_pem()).expect("write");
    (key, c)
}

/// An ArtifactResponse of the emulator for our encryption certificate, signed with `wk`.
fn response(enc_cert: &Certificate, wk: &PrivateKey, wk_cert: &Certificate) -> Vec<u8> {
    let spec = emulate::AssertionSpec::example(ISSUER, ENTITY, ACS, AUTHN_ID, NOW);
    let encrypted = encrypt_assertion(
        emulate::assertion_xml(&spec).as_bytes(),
        enc_cert.public_key(),
        ISSUER,
        ENTITY,
        32,
    )
    .expect("encrypt");
    let inner = emulate::response_xml(
        ISSUER,
        "ID-r1",
        AUTHN_ID,
        NOW,
        &emulate::success(),
        Some(&encrypted),
    );
    let inner = emulate::sign(wk, wk_cert, &inner, "ID-r1").expect("sign");
    let outer = emulate::artifact_response_xml(
        ISSUER,
        "ID-ar1",
        RESOLVE_ID,
        NOW,
        &emulate::success(),
        Some(&inner),
    );
    let outer = emulate::sign(wk, wk_cert, &outer, "ID-ar1").expect("sign");
    emulate::soap_envelope(&outer)
}

#[test]
fn keygen_writes_encrypted_keys_certificates_and_requests_openssl_accepts() {
    let dir = common::scratch("ezla-wk", "keygen");
    let keys = keygen(&dir);
    for f in [
        "sig.key.pem",
        "sig.crt.pem",
        "sig.csr",
        "enc.key.pem",
        "enc.crt.pem",
        "enc.csr",
    ] {
        assert!(keys.join(f).is_file(), "{f}");
    }
    for key in ["sig.key.pem", "enc.key.pem"] {
        let pem = std::fs::read_to_string(keys.join(key)).expect("read");
        assert!(
            pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"),
            "{key}"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(keys.join(key))
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "{key} is readable by others: {mode:o}");
        }
    }
    let sig = cert(&keys.join("sig.crt.pem"));
    let enc = cert(&keys.join("enc.crt.pem"));
    assert_eq!(
        sig.subject().common_name(),
        Some("sp.example_sig_ec"),
        "{}",
        sig.subject()
    );
    assert_eq!(sig.key_usage(), Some(KeyUsage::DIGITAL_SIGNATURE));
    assert!(
        enc.key_usage()
            .is_some_and(|u| u.contains(KeyUsage::KEY_AGREEMENT))
    );
    assert_ne!(sig.public_key(), enc.public_key(), "two distinct keys");
    // Again without --force: refused, nothing overwritten.
    let again = run(
        &dir,
        &[
            "wk",
            "keygen",
            "--out",
            "keys",
            "--entity-id",
            "sp.example",
            "--password-env",
            "EZLA_WK_PASSWORD",
        ],
    );
    assert_eq!(again.status.code(), Some(64), "{}", text(&again.stderr));
    assert_eq!(cert(&keys.join("sig.crt.pem")), sig);

    if !have_openssl() {
        return;
    }
    for (prefix, cn) in [("sig", "sp.example_sig_ec"), ("enc", "sp.example_enc_ec")] {
        let csr = format!("keys/{prefix}.csr");
        let out = openssl(&dir, &["req", "-verify", "-noout", "-in", &csr, "-subject"]);
        assert!(
            out.contains("verif") && out.to_lowercase().contains("ok"),
            "{out}"
        );
        assert!(out.contains(cn), "{out}");
        // The request, the certificate and the encrypted key carry one public key.
        let key = format!("keys/{prefix}.key.pem");
        let crt = format!("keys/{prefix}.crt.pem");
        let from_key = openssl(&dir, &["pkey", "-in", &key, "-passin", "env:PW", "-pubout"]);
        let from_csr = openssl(&dir, &["req", "-in", &csr, "-noout", "-pubkey"]);
        let from_crt = openssl(&dir, &["x509", "-in", &crt, "-noout", "-pubkey"]);
        assert_eq!(from_key, from_csr);
        assert_eq!(from_key, from_crt);
        let text = openssl(&dir, &["x509", "-in", &crt, "-noout", "-text"]);
        assert!(
            text.contains("prime256v1") || text.contains("P-256"),
            "{text}"
        );
        // Self-signed: openssl verifies it against itself.
        openssl(&dir, &["verify", "-CAfile", &crt, "-partial_chain", &crt]);
    }
    let wrong = Command::new("openssl")
        .args(["pkey", "-in", "keys/sig.key.pem", "-passin", "pass:wrong"])
        .current_dir(&dir)
        .output()
        .expect("openssl");
    assert!(!wrong.status.success(), "a wrong password opened the key");
}

#[test]
fn metadata_names_both_certificates_and_the_acs() {
    let dir = common::scratch("ezla-wk", "metadata");
    let keys = keygen(&dir);
    let xml = ok(
        &dir,
        &[
            "wk",
            "metadata",
            "--keys",
            "keys",
            "--entity-id",
            ENTITY,
            "--acs-url",
            ACS,
            "--provider-name",
            "Przychodnia",
        ],
    );
    assert!(xml.contains(&format!("entityID=\"{ENTITY}\"")), "{xml}");
    assert!(xml.contains(&format!("Location=\"{ACS}\"")), "{xml}");
    assert!(xml.contains("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact"));
    for (usage, file) in [("signing", "sig.crt.pem"), ("encryption", "enc.crt.pem")] {
        let b64 = ezla::xml::base64::encode(cert(&keys.join(file)).to_der());
        let at = xml.find(&format!("use=\"{usage}\"")).expect(usage);
        assert!(xml[at..].contains(&b64), "{usage} certificate missing");
    }
    // The same from the two certificate files, into a file.
    ok(
        &dir,
        &[
            "wk",
            "metadata",
            "--sig-cert",
            "keys/sig.crt.pem",
            "--enc-cert",
            "keys/enc.crt.pem",
            "--entity-id",
            ENTITY,
            "--acs-url",
            ACS,
            "--provider-name",
            "Przychodnia",
            "-o",
            "md.xml",
        ],
    );
    let written = std::fs::read_to_string(dir.join("md.xml")).expect("md.xml");
    assert_eq!(written.trim_end(), xml.trim_end());
    // Neither --keys nor the certificates: usage.
    let out = run(
        &dir,
        &["wk", "metadata", "--entity-id", ENTITY, "--acs-url", ACS],
    );
    assert_eq!(out.status.code(), Some(64));
}

/// The `inspect` arguments for the emulated response of [`response`].
fn inspect_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "wk",
        "inspect",
        "response.xml",
        "--key",
        "keys/enc.key.pem",
        "--password-env",
        "EZLA_WK_PASSWORD",
        "--wk-cert",
        "wk.pem",
        "--environment",
        "integration",
        "--entity-id",
        ENTITY,
        "--acs-url",
        ACS,
        "--at",
        "2026-12-01T10:05:00Z",
        "--json",
    ];
    args.extend_from_slice(extra);
    args
}

/// `args` with `option`'s value replaced (or the option added).
fn with_option<'a>(mut args: Vec<&'a str>, option: &'a str, value: &'a str) -> Vec<&'a str> {
    match args.iter().position(|a| *a == option) {
        Some(at) => args[at + 1] = value,
        None => args.extend_from_slice(&[option, value]),
    }
    args
}

#[test]
fn inspect_accepts_the_emulated_response_and_refuses_each_broken_expectation() {
    let dir = common::scratch("ezla-wk", "inspect");
    let keys = keygen(&dir);
    let (wk, wk_cert) = wk_key(&dir, "wk.pem");
    let bytes = response(&cert(&keys.join("enc.crt.pem")), &wk, &wk_cert);
    std::fs::write(dir.join("response.xml"), &bytes).expect("write");

    let out = run(
        &dir,
        &inspect_args(&["--request-id", AUTHN_ID, "--resolve-id", RESOLVE_ID]),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v = json(&out);
    assert_eq!(v["valid"], true);
    let id = &v["identity"];
    assert_eq!(id["pesel"], "87022243734");
    assert_eq!(id["given_name"], "Roch");
    assert_eq!(id["family_name"], "Apitz");
    assert_eq!(id["birth_date"], "1987-02-22");
    assert_eq!(id["loa"], "http://eidas.europa.eu/LoA/substantial");
    assert_eq!(id["authenticating_authorities"][0], "pz.gov.pl");
    assert_eq!(v["checked"]["authn_request_id"], AUTHN_ID);
    assert_eq!(v["checked"]["authn_request_id_given"], true);
    assert_eq!(v["checked"]["artifact_resolve_id"], RESOLVE_ID);

    // The text form, without the request IDs (taken from the response and said so).
    let mut plain = inspect_args(&[]);
    plain.retain(|a| *a != "--json");
    let out = run(&dir, &plain);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let t = text(&out.stdout);
    assert!(t.starts_with("VALID"), "{t}");
    assert!(t.contains("PESEL: 87022243734"), "{t}");
    assert!(t.contains("taken from the Response"), "{t}");

    // Each refusal: exit 1 with the check's own error code.
    let (_other, other_cert) = wk_key(&dir, "other-wk.pem");
    drop(other_cert);
    let refusals: [(&[&str], &str); 7] = [
        (&["--wk-cert", "other-wk.pem"], "SignatureInvalid"),
        (
            &["--entity-id", "https://other.example"],
            "SamlAudienceMismatch",
        ),
        (
            &["--acs-url", "https://sp.example/other"],
            "SamlRecipientMismatch",
        ),
        (&["--at", "2026-12-01T12:00:00Z"], "SamlExpired"),
        (&["--request-id", "ID-other"], "SamlInResponseToMismatch"),
        (&["--resolve-id", "ID-other"], "SamlInResponseToMismatch"),
        (&["--environment", "production"], "SamlIssuerMismatch"),
    ];
    for (extra, name) in refusals {
        let out = run(&dir, &with_option(inspect_args(&[]), extra[0], extra[1]));
        let v = json(&out);
        assert_eq!(out.status.code(), Some(1), "{extra:?}: {v}");
        assert_eq!(v["valid"], false, "{extra:?}");
        assert_eq!(v["error"]["name"], name, "{extra:?}: {v}");
    }
    // A higher LoA than reached.
    let out = run(&dir, &inspect_args(&["--min-loa", "high"]));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["error"]["name"], "SamlLoaTooLow");
    // A byte changed inside the signed ArtifactResponse (its IssueInstant).
    let original = text(&bytes);
    let tampered = original.replacen("10:00:00.000Z", "10:00:01.000Z", 1);
    assert_ne!(tampered, original);
    std::fs::write(dir.join("response.xml"), tampered).expect("write");
    let out = run(&dir, &inspect_args(&[]));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert_eq!(json(&out)["error"]["name"], "DigestMismatch");
    // The command could not do its job: a wrong password, a missing file.
    std::fs::write(dir.join("response.xml"), &bytes).expect("write");
    let args = with_option(inspect_args(&[]), "--password-env", "EZLA_WRONG");
    let out = common::run(&dir, &args, &[("EZLA_WRONG", "nie to hasło")]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    let mut args = inspect_args(&[]);
    args[2] = "missing.xml";
    assert_eq!(run(&dir, &args).status.code(), Some(3));
}

fn vectors() -> Option<PathBuf> {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors/wk/symulator-2018");
    dir.is_dir().then_some(dir)
}

/// The 2018 simulator capture with its published key: valid at its own time; its
/// pretty-printed copy fails the signatures.
#[test]
fn inspect_the_symulator_capture() {
    let Some(v) = vectors() else {
        println!("NOTICE: ../shared/vectors absent; skipping");
        return;
    };
    let dir = common::scratch("ezla-wk", "symulator");
    let path = |f: &str| v.join(f).display().to_string();
    let (compact, pretty, key, wk) = (
        path("artifact-response.compact.xml"),
        path("artifact-response.pretty.xml"),
        path("sp-enc-key.du_enc_ec.key.pem"),
        path("wk-sig-cert.pem"),
    );
    let args = |response: &str| -> Vec<String> {
        [
            "wk",
            "inspect",
            response,
            "--key",
            &key,
            "--wk-cert",
            &wk,
            "--environment",
            "simulator",
            "--entity-id",
            "http://localhost.sp.pl",
            "--acs-url",
            "http://localhost:11080/saml-emulator/context",
            "--request-id",
            "ID-d136a4ee-a3a3-4392-a055-2e95d44165bc",
            "--resolve-id",
            "ID-09a2e477-dd85-4ce2-9420-0d9cc27244df",
            "--at",
            "2018-09-13T13:30:00Z",
            "--json",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let compact_args = args(&compact);
    let refs: Vec<&str> = compact_args.iter().map(String::as_str).collect();
    let out = run(&dir, &refs);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let j = json(&out);
    assert_eq!(j["identity"]["pesel"], "87022243734");
    assert_eq!(j["identity"]["family_name"], "Apitz");
    let pretty_args = args(&pretty);
    let refs: Vec<&str> = pretty_args.iter().map(String::as_str).collect();
    let out = run(&dir, &refs);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert_eq!(json(&out)["error"]["family"], "signatures");
    // Now (2026) the capture has long expired.
    let mut late: Vec<&str> = compact_args.iter().map(String::as_str).collect();
    late.retain(|a| *a != "--at" && *a != "2018-09-13T13:30:00Z");
    let out = run(&dir, &late);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["error"]["name"], "SamlExpired");
}

/// The manual pages of `ezla wk` come from the command definitions, with the exit statuses
/// of `inspect`.
#[test]
fn manual_pages_document_ezla_wk() {
    let dir = common::scratch("ezla-wk", "man");
    ok(&dir, &["man", "-o", "man"]);
    for page in [
        "ezla-wk.1",
        "ezla-wk-keygen.1",
        "ezla-wk-metadata.1",
        "ezla-wk-inspect.1",
    ] {
        assert!(dir.join("man").join(page).is_file(), "{page}");
    }
    let inspect = std::fs::read_to_string(dir.join("man/ezla-wk-inspect.1")).expect("page");
    assert!(inspect.contains("pinned"), "{inspect}");
    assert!(inspect.contains("\\-\\-wk\\-cert") || inspect.contains("wk-cert"));
    let help = ok(&dir, &["wk", "inspect", "--help"]);
    assert!(
        help.contains("0 every check passed, 1 a check failed"),
        "{help}"
    );
}
