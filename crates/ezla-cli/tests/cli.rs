//! The `ezla` binary end to end: `cert` commands, exit statuses, JSON output, password
//! sources, and the error format `error: <message> (code N)`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

const PASSWORD: &str = "zażółć gęślą jaźń";

/// A fresh directory for one test.
fn scratch(name: &str) -> PathBuf {
    common::scratch("ezla-cli", name)
}

/// Runs `ezla` in `dir` with no terminal on stdin and the test password in `EZLA_PFX_PASSWORD`.
fn ezla(dir: &Path, args: &[&str]) -> Output {
    common::run(dir, args, &[("EZLA_PFX_PASSWORD", PASSWORD)])
}

fn ok(dir: &Path, args: &[&str]) -> String {
    common::ok(dir, args, &[("EZLA_PFX_PASSWORD", PASSWORD)])
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// A test CA and a doctor's `.pfx` with a P-256 key; `extra` adds validity options.
fn doctor(dir: &Path, file: &str, extra: &[&str]) {
    doctor_with_key(dir, file, "p256", extra);
}

/// [`doctor`] with another key type (`rsa2048` for RSA-only profiles and deterministic
/// signatures).
fn doctor_with_key(dir: &Path, file: &str, key_type: &str, extra: &[&str]) {
    common::test_doctor(
        dir,
        file,
        key_type,
        extra,
        &[("EZLA_PFX_PASSWORD", PASSWORD)],
    );
}

#[test]
fn info_text_and_json() {
    let dir = scratch("info");
    doctor(&dir, "doctor.pfx", &["--not-before", "2025-01-15"]);
    let text = ok(
        &dir,
        &[
            "cert",
            "info",
            "doctor.pfx",
            "--password-env",
            "EZLA_PFX_PASSWORD",
            "--at",
            "2026-01-01",
        ],
    );
    for needle in [
        "Subject: CN=Jan Kowalski,serialNumber=PNOPL-44051401359,givenName=Jan,sn=Kowalski,C=PL",
        "givenName: Jan",
        "surname: Kowalski",
        "Polish identifier: PESEL 44051401359 (PNOPL, check digit valid)",
        "Key usage: digitalSignature, nonRepudiation (critical)",
        "Valid until: 2030-01-15T00:00:00Z",
        "Expiry status: valid: 1475 days left; renewal opens 2029-12-18",
        "OCSP: http://ezla-test-ca.invalid/ocsp",
        "PKCS#12: SHA-256 MAC, 2048 iterations",
        "Public key: EC P-256",
        "Chain certificate 1:",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
    let v = json(&ok(
        &dir,
        &[
            "cert",
            "info",
            "doctor.pfx",
            "--password-env",
            "EZLA_PFX_PASSWORD",
            "--json",
            "--at",
            "2029-12-20",
        ],
    ));
    assert_eq!(v["kind"], "pkcs12");
    assert_eq!(v["pkcs12"]["legacy"], false);
    assert_eq!(v["pkcs12"]["mac"]["digest"], "SHA-256");
    let leaf = &v["certificates"][0];
    assert_eq!(leaf["subject_attributes"][2]["type"], "givenName");
    assert_eq!(leaf["public_key"]["curve"], "P-256");
    assert_eq!(leaf["polish_identifiers"][0]["kind"], "PESEL");
    assert_eq!(leaf["polish_identifiers"][0]["check_digit"], "valid");
    assert_eq!(leaf["email_addresses"][0], "jan.kowalski@example.com");
    assert_eq!(leaf["expiry"]["status"], "renewal-window");
    assert_eq!(leaf["expiry"]["days_left"], 26);
    assert_eq!(
        leaf["key_usage"],
        serde_json::json!(["digitalSignature", "nonRepudiation"])
    );
    // JSON carries the API form (lower-case hex, no separators); the text shows the same
    // digest in the colon-separated upper case OpenSSL prints.
    let sha256 = leaf["fingerprints"]["sha256"].as_str().expect("sha256");
    assert_eq!(sha256.len(), 64);
    assert!(
        sha256
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    );
    let display: Vec<String> = sha256
        .as_bytes()
        .chunks(2)
        .map(|p| String::from_utf8_lossy(p).to_uppercase())
        .collect();
    let display = format!("SHA-256 fingerprint: {}", display.join(":"));
    assert!(text.contains(&display), "missing {display:?} in:\n{text}");
    assert_eq!(v["certificates"][1]["basic_constraints"]["ca"], true);

    // A PEM certificate needs no password.
    let v = json(&ok(&dir, &["cert", "info", "ca/ca.crt", "--json"]));
    assert_eq!(v["kind"], "certificates");
    assert_eq!(
        v["certificates"][0]["issuer"],
        v["certificates"][0]["subject"]
    );
}

#[test]
fn check_exit_statuses_for_monitoring() {
    let dir = scratch("check");
    doctor(&dir, "fresh.pfx", &["--not-before", "2026-01-01"]);
    doctor(&dir, "renew.pfx", &["--not-before", "2021-02-01"]); // expires 2026-02-01
    doctor(&dir, "expiring.pfx", &["--not-before", "2021-01-10"]); // expires 2026-01-10
    doctor(
        &dir,
        "expired.pfx",
        &["--not-before", "2020-06-01", "--days", "365"],
    );
    let fresh = std::fs::read(dir.join("fresh.pfx")).expect("read");
    std::fs::write(dir.join("garbage.pfx"), &fresh[..300]).expect("write");
    let at = ["--at", "2026-01-05", "--password-env", "EZLA_PFX_PASSWORD"];
    let status = |files: &[&str]| -> (i32, Value) {
        let mut args = vec!["cert", "check", "--json"];
        args.extend_from_slice(&at);
        args.extend_from_slice(files);
        let out = ezla(&dir, &args);
        let v = json(&String::from_utf8_lossy(&out.stdout));
        (out.status.code().expect("exit code"), v)
    };
    let (code, v) = status(&["fresh.pfx"]);
    assert_eq!(code, 0);
    assert_eq!(v["results"][0]["status"], "valid");
    assert_eq!(v["exit_status"], 0);
    let (code, v) = status(&["fresh.pfx", "renew.pfx"]);
    assert_eq!(code, 1);
    assert_eq!(v["results"][1]["status"], "renewal-window");
    assert_eq!(v["results"][1]["days_left"], 27);
    let (code, v) = status(&["expiring.pfx"]);
    assert_eq!(code, 1);
    assert_eq!(v["results"][0]["status"], "expiring");
    let (code, v) = status(&["fresh.pfx", "expired.pfx", "renew.pfx"]);
    assert_eq!(code, 2);
    assert_eq!(v["results"][1]["status"], "expired");
    // Unreadable is UNKNOWN (3), apart from CRITICAL (2) and from usage errors (64)...
    let (code, v) = status(&["fresh.pfx", "missing.pfx"]);
    assert_eq!(code, 3);
    assert_eq!(v["exit_status"], 3);
    assert_eq!(v["results"][1]["status"], "unreadable");
    assert_eq!(v["results"][1]["code"], 800);
    let (code, v) = status(&["garbage.pfx", "renew.pfx"]);
    assert_eq!(code, 3);
    assert_eq!(v["results"][0]["code"], 202);
    assert_eq!(v["results"][0]["name"], "Pkcs12Corrupt");
    // ... and an expired certificate is reported before an unreadable file.
    let (code, v) = status(&["missing.pfx", "expired.pfx"]);
    assert_eq!(code, 2);
    assert_eq!(v["exit_status"], 2);
    // A usage error is never a monitoring status.
    let out = ezla(&dir, &["cert", "check", "--at", "yesterday", "fresh.pfx"]);
    assert_eq!(out.status.code(), Some(64), "{}", stderr(&out));
    // The table.
    let mut args = vec!["cert", "check"];
    args.extend_from_slice(&at);
    args.extend_from_slice(&["fresh.pfx", "renew.pfx", "ca/ca.crt"]);
    let out = ezla(&dir, &args);
    assert_eq!(out.status.code(), Some(1));
    let table = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("STATUS"), "{table}");
    assert!(
        lines[2].starts_with("renewal-window") && lines[2].contains("2026-02-01"),
        "{table}"
    );
    assert_eq!(lines.len(), 4);
    // Thresholds are configurable.
    let out = ezla(
        &dir,
        &[
            "cert",
            "check",
            "--at",
            "2026-01-05",
            "--renewal-days",
            "10",
            "--warning-days",
            "5",
            "--password-env",
            "EZLA_PFX_PASSWORD",
            "renew.pfx",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn passwords_come_from_files_variables_or_nowhere() {
    let dir = scratch("passwords");
    doctor(&dir, "doctor.pfx", &[]);
    std::fs::write(dir.join("pw.txt"), format!("{PASSWORD}\n")).expect("pw file");
    ok(
        &dir,
        &["cert", "info", "doctor.pfx", "--password-file", "pw.txt"],
    );
    std::fs::write(dir.join("bad.txt"), "wrong\n").expect("pw file");
    let out = ezla(
        &dir,
        &["cert", "info", "doctor.pfx", "--password-file", "bad.txt"],
    );
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(
        stderr(&out).trim(),
        "error: wrong password for the PKCS#12 file (code 200)"
    );
    assert!(out.stdout.is_empty());
    // With --json the error is JSON on stdout too.
    let out = ezla(
        &dir,
        &[
            "cert",
            "info",
            "doctor.pfx",
            "--password-file",
            "bad.txt",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(3));
    let v = json(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(v["error"]["code"], 200);
    assert_eq!(v["error"]["name"], "BadPassword");
    assert_eq!(v["error"]["family"], "keys");
    // No source and no terminal: a clear error, not a hang; a usage error.
    let out = ezla(&dir, &["cert", "info", "doctor.pfx"]);
    assert_eq!(out.status.code(), Some(64));
    assert!(stderr(&out).contains("--password-file"), "{}", stderr(&out));
    assert!(stderr(&out).ends_with("(code 1)\n"), "{}", stderr(&out));
    // Both sources at once are refused by the parser.
    let out = ezla(
        &dir,
        &[
            "cert",
            "info",
            "doctor.pfx",
            "--password-file",
            "pw.txt",
            "--password-env",
            "EZLA_PFX_PASSWORD",
        ],
    );
    assert_eq!(out.status.code(), Some(64));
    // There is no way to pass a password as a plain argument.
    let out = ezla(
        &dir,
        &["cert", "info", "doctor.pfx", "--password", PASSWORD],
    );
    assert_eq!(out.status.code(), Some(64));
}

#[test]
fn request_issue_bundle_convert() {
    let dir = scratch("csr");
    doctor(&dir, "unused.pfx", &[]);
    for key_type in ["p256", "rsa2048"] {
        let req = format!("req-{key_type}.pem");
        let key = format!("key-{key_type}.pem");
        let cert = format!("cert-{key_type}.pem");
        let pfx = format!("bundle-{key_type}.pfx");
        ok(
            &dir,
            &[
                "cert",
                "csr",
                "--key-type",
                key_type,
                "--given-name",
                "Anna",
                "--surname",
                "Nowak",
                "--pesel",
                "02271409867",
                "--email",
                "anna@example.com",
                "-o",
                &req,
                "--key-out",
                &key,
                "--password-env",
                "EZLA_PFX_PASSWORD",
                "--iterations",
                "2048",
            ],
        );
        let key_pem = std::fs::read_to_string(dir.join(&key)).expect("key");
        assert!(key_pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join(&key))
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        ok(
            &dir,
            &[
                "cert",
                "test-issue",
                "--ca",
                "ca",
                "--csr",
                &req,
                "-o",
                &cert,
            ],
        );
        ok(
            &dir,
            &[
                "cert",
                "bundle",
                "--key",
                &key,
                "--cert",
                &cert,
                "-o",
                &pfx,
                "--password-env",
                "EZLA_PFX_PASSWORD",
                "--iterations",
                "2048",
                "--name",
                "Anna",
            ],
        );
        let v = json(&ok(
            &dir,
            &[
                "cert",
                "info",
                &pfx,
                "--password-env",
                "EZLA_PFX_PASSWORD",
                "--json",
            ],
        ));
        assert_eq!(v["pkcs12"]["keys"][0]["friendly_name"], "Anna");
        assert_eq!(
            v["certificates"][0]["email_addresses"][0],
            "anna@example.com"
        );
        assert_eq!(v["certificates"].as_array().map(Vec::len), Some(2));
        // Existing files are not overwritten without --force.
        let out = ezla(
            &dir,
            &[
                "cert",
                "bundle",
                "--key",
                &key,
                "--cert",
                &cert,
                "-o",
                &pfx,
                "--password-env",
                "EZLA_PFX_PASSWORD",
                "--iterations",
                "2048",
            ],
        );
        // An existing output file is an unusable argument: a usage error.
        assert_eq!(out.status.code(), Some(64));
        assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    }
    // A certificate that is not for the key is refused.
    let out = ezla(
        &dir,
        &[
            "cert",
            "bundle",
            "--key",
            "key-p256.pem",
            "--cert",
            "cert-rsa2048.pem",
            "-o",
            "x.pfx",
            "--password-env",
            "EZLA_PFX_PASSWORD",
            "--iterations",
            "2048",
        ],
    );
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("(code 206)"), "{}", stderr(&out));
    assert!(!dir.join("x.pfx").exists());
    // Convert with a new password.
    std::fs::write(dir.join("new.txt"), "nowe hasło").expect("pw");
    ok(
        &dir,
        &[
            "cert",
            "convert",
            "bundle-p256.pfx",
            "-o",
            "converted.pfx",
            "--password-env",
            "EZLA_PFX_PASSWORD",
            "--new-password-file",
            "new.txt",
            "--iterations",
            "2048",
        ],
    );
    ok(
        &dir,
        &[
            "cert",
            "info",
            "converted.pfx",
            "--password-file",
            "new.txt",
        ],
    );
    let out = ezla(
        &dir,
        &[
            "cert",
            "info",
            "converted.pfx",
            "--password-env",
            "EZLA_PFX_PASSWORD",
        ],
    );
    assert_eq!(out.status.code(), Some(3));
    // An invalid PESEL is refused before anything is written.
    let out = ezla(
        &dir,
        &[
            "cert",
            "csr",
            "--given-name",
            "A",
            "--surname",
            "B",
            "--pesel",
            "44051401358",
            "-o",
            "r.pem",
            "--key-out",
            "k.pem",
            "--password-env",
            "EZLA_PFX_PASSWORD",
        ],
    );
    assert_eq!(out.status.code(), Some(64));
    assert_eq!(
        stderr(&out).trim(),
        "error: invalid argument `PESEL`: PESEL check digit does not match (code 1)"
    );
    assert!(!dir.join("k.pem").exists());
}

#[test]
fn bad_input_gives_typed_errors() {
    let dir = scratch("bad");
    doctor(&dir, "doctor.pfx", &[]);
    let pfx = std::fs::read(dir.join("doctor.pfx")).expect("read");
    std::fs::write(dir.join("truncated.pfx"), &pfx[..pfx.len() / 2]).expect("write");
    std::fs::write(
        dir.join("random.bin"),
        (0..500u32)
            .map(|i| (i * 7919 % 251) as u8)
            .collect::<Vec<_>>(),
    )
    .expect("write");
    std::fs::write(
        dir.join("garbage.pem"),
        "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n",
    )
    .expect("write");
    std::fs::write(dir.join("empty"), b"").expect("write");
    std::fs::write(
        dir.join("key-only.pem"),
        "-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n",
    )
    .expect("write");
    for (file, code) in [
        ("truncated.pfx", 202),
        ("random.bin", 114),
        ("garbage.pem", 111),
        ("empty", 114),
        ("key-only.pem", 114),
        ("missing", 800),
    ] {
        let out = ezla(
            &dir,
            &["cert", "info", file, "--password-env", "EZLA_PFX_PASSWORD"],
        );
        assert_eq!(out.status.code(), Some(3), "{file}");
        let err = stderr(&out);
        assert!(
            err.starts_with("error: ") && err.trim_end().ends_with(&format!("(code {code})")),
            "{file}: {err}"
        );
    }
}

/// The e-ZLA sample from the shared corpus, when present.
fn ezla_sample() -> Option<Vec<u8>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/vectors/ezla/ked_zla_unsigned_oryginal_medfile.xml");
    match std::fs::read(&path) {
        Ok(data) => Some(data),
        Err(_) => {
            eprintln!("skipped: {} not found", path.display());
            None
        }
    }
}

#[test]
fn sign_and_verify_an_ezla() {
    let Some(sample) = ezla_sample() else { return };
    let dir = scratch("sign-verify");
    doctor(&dir, "doctor.pfx", &[]);
    std::fs::write(dir.join("zla.xml"), &sample).expect("write sample");
    // An RSA doctor for the legacy profile (RSA-SHA1 only).
    doctor_with_key(&dir, "rsa.pfx", "rsa2048", &[]);
    let out = ezla(
        &dir,
        &[
            "sign",
            "--pfx",
            "doctor.pfx",
            "--password-env",
            "EZLA_PFX_PASSWORD",
            "--profile",
            "zus-legacy",
            "zla.xml",
            "-o",
            "legacy-ec.xml",
        ],
    );
    assert!(
        !out.status.success(),
        "zus-legacy with a P-256 key must be refused"
    );
    for (profile, pfx) in [
        ("zus", "doctor.pfx"),
        ("zus-legacy", "rsa.pfx"),
        ("xades-bes", "doctor.pfx"),
        ("zus", "rsa.pfx"),
    ] {
        let out = format!("signed-{profile}-{pfx}.xml");
        ok(
            &dir,
            &[
                "sign",
                "--pfx",
                pfx,
                "--password-env",
                "EZLA_PFX_PASSWORD",
                "--profile",
                profile,
                "zla.xml",
                "-o",
                &out,
            ],
        );
        let signed = std::fs::read(dir.join(&out)).expect("signed file");
        // Nothing but the signature was added: the input is a prefix up to the root's end tag.
        let end = sample
            .windows(7)
            .rposition(|w| w == b"</KEDU>")
            .expect("end tag");
        assert_eq!(
            &signed[..end],
            &sample[..end],
            "bytes before the signature changed"
        );
        assert_eq!(
            &signed[signed.len() - (sample.len() - end)..],
            &sample[end..]
        );

        let text = ok(&dir, &["verify", &out, "--trust", "ca/ca.crt"]);
        assert!(text.starts_with("VALID signature "), "{text}");
        assert!(text.contains("PESEL:       44051401359"), "{text}");
        assert!(text.contains(&format!("profile:     {profile}")), "{text}");
        assert!(
            text.contains("trust:       chain to a trust anchor"),
            "{text}"
        );
        assert!(!text.contains("UNTRUSTED"), "{text}");
        let text = ok(&dir, &["verify", &out]);
        assert!(
            text.lines().next().is_some_and(
                |l| l.ends_with("by an UNTRUSTED signer (no --trust or --signer-cert given)")
            ),
            "{text}"
        );
        let v = json(&ok(&dir, &["verify", &out, "--json"]));
        assert_eq!(v["valid"], true);
        assert_eq!(v["signatures"][0]["trust"], "untrusted");
        assert_eq!(v["signatures"][0]["profile"], profile);
    }

    // A tampered copy: exit status 1 with the reason.
    let signed = std::fs::read_to_string(dir.join("signed-zus-doctor.pfx.xml")).expect("signed");
    let tampered = signed.replacen("<p1>", "<p1> ", 1);
    assert_ne!(
        tampered, signed,
        "the sample has a <p1> element to tamper with"
    );
    std::fs::write(dir.join("tampered.xml"), tampered).expect("write");
    let out = ezla(&dir, &["verify", "tampered.xml"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("INVALID: "), "{text}");
    assert!(
        text.contains("(code 401)"),
        "digest mismatch expected: {text}"
    );
    let v = json(&String::from_utf8_lossy(
        &ezla(&dir, &["verify", "tampered.xml", "--json"]).stdout,
    ));
    assert_eq!(v["valid"], false);
    assert_eq!(v["error"]["code"], 401);

    // Signed again: refused unless co-signing is asked for.
    let out = ezla(
        &dir,
        &[
            "sign",
            "--pfx",
            "doctor.pfx",
            "--password-env",
            "EZLA_PFX_PASSWORD",
            "signed-zus-doctor.pfx.xml",
            "-o",
            "twice.xml",
        ],
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("(code 413)"), "{}", stderr(&out));
    ok(
        &dir,
        &[
            "sign",
            "--pfx",
            "doctor.pfx",
            "--password-env",
            "EZLA_PFX_PASSWORD",
            "--cosign",
            "signed-zus-doctor.pfx.xml",
            "-o",
            "twice.xml",
        ],
    );
    assert_eq!(ezla(&dir, &["verify", "twice.xml"]).status.code(), Some(1));
    let v = json(&ok(
        &dir,
        &["verify", "twice.xml", "--cosignatures", "--json"],
    ));
    assert_eq!(v["signatures"].as_array().map(Vec::len), Some(2));

    // Trust anchors that did not issue the doctor's certificate.
    ok(&dir, &["cert", "test-ca", "--out", "other-ca"]);
    let out = ezla(
        &dir,
        &[
            "verify",
            "signed-zus-doctor.pfx.xml",
            "--trust",
            "other-ca/ca.crt",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("INVALID"));

    // Verified long after the certificate expired.
    let out = ezla(
        &dir,
        &[
            "verify",
            "signed-zus-doctor.pfx.xml",
            "--trust",
            "ca/ca.crt",
            "--at",
            "2099-01-01",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn sign_is_reproducible_and_refuses_bad_input() {
    let dir = scratch("sign-bad");
    // RSA (PKCS#1 v1.5 is deterministic; ECDSA signatures are not).
    doctor_with_key(
        &dir,
        "doctor.pfx",
        "rsa2048",
        &["--not-before", "2020-01-01", "--days", "400"],
    );
    std::fs::write(
        dir.join("doc.xml"),
        "<Oswiadczenie><Token>abc</Token></Oswiadczenie>",
    )
    .expect("write");
    let sign = |out: &str, extra: &[&str]| {
        let mut args = vec![
            "sign",
            "--pfx",
            "doctor.pfx",
            "--password-env",
            "EZLA_PFX_PASSWORD",
            "doc.xml",
            "-o",
            out,
        ];
        args.extend_from_slice(extra);
        ezla(&dir, &args)
    };
    // --json reports what was signed; with `-o -` it is refused, stdout being the document.
    let json = sign(
        "j.xml",
        &["--json", "--allow-invalid-certificate", "--id-prefix", "j"],
    );
    assert!(json.status.success(), "{}", stderr(&json));
    let v: Value = serde_json::from_slice(&json.stdout).expect("sign --json");
    assert_eq!(v["output"], "j.xml", "{v}");
    assert_eq!(v["profile"], "zus", "{v}");
    assert!(
        v["signer"].as_str().is_some_and(|s| s.contains("PNOPL-")),
        "{v}"
    );
    assert_eq!(
        v["bytes"].as_u64(),
        Some(std::fs::metadata(dir.join("j.xml")).expect("j.xml").len()),
        "{v}"
    );
    let out = sign("-", &["--json"]);
    assert_eq!(out.status.code(), Some(64), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).expect("error JSON");
    assert_eq!(v["error"]["code"], 1, "{v}");
    // The certificate expired in 2021: refused by default, allowed when asked.
    let out = sign("a.xml", &[]);
    assert!(stderr(&out).contains("(code 300)"), "{}", stderr(&out));
    let fixed = [
        "--signing-time",
        "2020-06-01T10:00:00Z",
        "--id-prefix",
        "zla1",
    ];
    assert!(sign("a.xml", &fixed).status.success());
    assert!(sign("b.xml", &fixed).status.success());
    let a = std::fs::read(dir.join("a.xml")).expect("a");
    assert_eq!(
        a,
        std::fs::read(dir.join("b.xml")).expect("b"),
        "not reproducible"
    );
    let text = ok(&dir, &["verify", "a.xml", "--at", "2020-06-02"]);
    assert!(text.contains("signed at:   2020-06-01T10:00:00Z"), "{text}");
    // With trust anchors, today the chain fails on the expired certificate; the hint names
    // the claimed signing time, and `--at` with it checks the chain as of then.
    let out = ezla(&dir, &["verify", "a.xml", "--trust", "ca/ca.crt"]);
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("INVALID") && said.contains("(code 300)"),
        "{said}"
    );
    assert!(
        stderr(&out).contains("pass `--at 2020-06-01T10:00:00Z`"),
        "{}",
        stderr(&out)
    );
    let text = ok(
        &dir,
        &[
            "verify",
            "a.xml",
            "--trust",
            "ca/ca.crt",
            "--at",
            "2020-06-01T10:00:00Z",
        ],
    );
    assert!(text.contains("trust:       chain"), "{text}");
    // No hint when the document itself is not intact.
    let tampered = String::from_utf8(a.clone())
        .expect("utf-8")
        .replace("abc", "abd");
    std::fs::write(dir.join("tampered.xml"), tampered).expect("write");
    let out = ezla(&dir, &["verify", "tampered.xml", "--trust", "ca/ca.crt"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!stderr(&out).contains("hint"), "{}", stderr(&out));
    let mut args = vec!["--allow-invalid-certificate"];
    args.extend_from_slice(&fixed[2..]);
    assert!(sign("c.xml", &args).status.success());
    // An existing output is not overwritten.
    let out = sign("a.xml", &fixed);
    assert!(stderr(&out).contains("exists"), "{}", stderr(&out));

    // Not UTF-8, not XML, a DTD.
    std::fs::write(dir.join("latin2.xml"), b"<a>\xb1</a>").expect("write");
    std::fs::write(dir.join("garbage.xml"), b"not xml").expect("write");
    std::fs::write(
        dir.join("dtd.xml"),
        "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>",
    )
    .expect("write");
    for (file, code) in [
        (
            "latin2.xml",
            "not UTF-8 (invalid byte at offset 3) (code 100)",
        ),
        ("garbage.xml", "(code 100)"),
        ("dtd.xml", "(code 101)"),
    ] {
        let out = ezla(
            &dir,
            &[
                "sign",
                "--pfx",
                "doctor.pfx",
                "--password-env",
                "EZLA_PFX_PASSWORD",
                "--allow-invalid-certificate",
                file,
                "-o",
                "x.xml",
            ],
        );
        assert!(stderr(&out).contains(code), "{file}: {}", stderr(&out));
        let out = ezla(&dir, &["verify", file]);
        assert_eq!(out.status.code(), Some(1), "{file}");
    }
    // An unsigned document does not verify.
    let out = ezla(&dir, &["verify", "doc.xml"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("(code 402)"));
}

/// Runs a tool on a file when it is installed (required when `EZLA_REQUIRE_TOOLS` is set, as
/// in CI): `Some(output)`, or `None` when it is absent.
fn tool(program: &str, args: &[&str]) -> Option<Output> {
    match std::process::Command::new(program).args(args).output() {
        Ok(o) => Some(o),
        Err(_) if std::env::var_os("EZLA_REQUIRE_TOOLS").is_none() => {
            println!("NOTICE: {program} not on PATH; skipping its check");
            None
        }
        Err(e) => panic!("{program} is required (EZLA_REQUIRE_TOOLS is set): {e}"),
    }
}

#[test]
fn completions_and_manual_pages_come_from_the_command_definitions() {
    let dir = scratch("manual");
    // Completions name every command and option, and the shell accepts the script.
    let bash = ok(&dir, &["completions", "bash"]);
    for word in [
        "cert",
        "check",
        "test-ca",
        "kedu",
        "verify",
        "cms",
        "ts",
        "--digest-hex",
        "--password-env",
        "--pkcs11-module",
        "--pin-env",
        "--json",
    ] {
        assert!(bash.contains(word), "bash completion lacks {word}");
    }
    std::fs::write(dir.join("ezla.bash"), &bash).expect("write");
    let checked = tool(
        "bash",
        &["-n", &dir.join("ezla.bash").display().to_string()],
    );
    if let Some(o) = checked {
        assert!(o.status.success(), "{}", stderr(&o));
    }
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        assert!(
            ok(&dir, &["completions", shell]).contains("verify"),
            "{shell}"
        );
    }
    let out = ezla(&dir, &["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(64));

    // One page per command, rendered by groff without a warning.
    ok(&dir, &["man", "-o", "man"]);
    for page in [
        "ezla.1",
        "ezla-cert.1",
        "ezla-cert-check.1",
        "ezla-cert-test-ca.1",
        "ezla-sign.1",
        "ezla-token-list.1",
        "ezla-verify.1",
        "ezla-cms-sign.1",
        "ezla-cms-verify.1",
        "ezla-ts-query.1",
        "ezla-ts-verify.1",
        "ezla-kedu-new.1",
        "ezla-completions.1",
    ] {
        let path = dir.join("man").join(page);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{page}: {e}"));
        assert!(text.starts_with(".ie") || text.contains(".TH"), "{page}");
        let rendered = tool(
            "groff",
            &[
                "-k",
                "-man",
                "-Tutf8",
                "-ww",
                "-z",
                &path.display().to_string(),
            ],
        );
        if let Some(o) = rendered {
            assert!(
                o.status.success() && o.stderr.is_empty(),
                "{page}: {}",
                stderr(&o)
            );
        }
    }
    // The top page carries the exit-status scheme of docs/cli.md.
    let page = ok(&dir, &["man"]);
    assert!(page.contains("64"), "{page}");
    let cert_check = std::fs::read_to_string(dir.join("man/ezla-cert-check.1")).expect("page");
    assert!(cert_check.contains("UNKNOWN"), "{cert_check}");
}
