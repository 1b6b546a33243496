//! Verification and signing policy end to end: `ezla verify` applies `ezla kedu check`'s
//! rule of where an e-ZLA's signature sits, and a future signing time is invalid; a `.pfx`
//! without integrity protection signs only with `--allow-unprotected-pfx`, and `cert info` /
//! `cert check` show such a file with a warning.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const PASSWORD: &str = "tajne hasło";
const TODAY: &str = "2026-12-01";

fn scratch(name: &str) -> PathBuf {
    common::scratch("ezla-cli-policy", name)
}

fn ezla(dir: &Path, args: &[&str]) -> Output {
    common::run(dir, args, &[("EZLA_PFX_PASSWORD", PASSWORD)])
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    common::ok(dir, args, &[("EZLA_PFX_PASSWORD", PASSWORD)])
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// A test CA and an RSA doctor's `.pfx` (with a MAC) in `dir`.
fn doctor(dir: &Path) {
    common::test_doctor(
        dir,
        "doctor.pfx",
        "rsa2048",
        &["--not-before", "2025-01-01"],
        &[("EZLA_PFX_PASSWORD", PASSWORD)],
    );
}

/// Signs `input` with the doctor into `out`, at `time`.
fn sign(dir: &Path, input: &str, out: &str, time: &str) {
    ok(
        dir,
        &[
            "sign",
            "--pfx",
            "doctor.pfx",
            "--password-env",
            "EZLA_PFX_PASSWORD",
            "--signing-time",
            time,
            input,
            "-o",
            out,
        ],
    );
}

/// A signed ORYGINAŁ written by `ezla kedu new` from the CLI's example.
fn signed_ezla(dir: &Path) -> String {
    doctor(dir);
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/zla.json");
    std::fs::copy(example, dir.join("zla.json")).expect("example");
    ok(
        dir,
        &["kedu", "new", "zla.json", "-o", "docs", "--today", TODAY],
    );
    sign(
        dir,
        "docs/zla.oryginal.xml",
        "signed.xml",
        "2026-12-01T09:00:00Z",
    );
    std::fs::read_to_string(dir.join("signed.xml")).expect("signed")
}

#[test]
fn verify_applies_the_placement_rule_of_kedu_check() {
    let dir = scratch("placement");
    let signed = signed_ezla(&dir);
    let at = ["--at", "2026-12-01T09:00:00Z"];
    let text = ok(&dir, &[&["verify", "signed.xml"][..], &at].concat());
    assert!(text.starts_with("VALID signature "), "{text}");

    // The same signature moved before ZUSZLA: the document reference excludes signatures, so
    // the signature value and digests still verify, but kedu check refuses the document.
    let start = signed.find("<ds:Signature").expect("signature");
    let end = signed.find("</ds:Signature>").expect("signature end") + "</ds:Signature>".len();
    let signature = &signed[start..end];
    let rest = format!("{}{}", &signed[..start], &signed[end..]);
    let body = rest.find("<ZUSZLA").expect("ZUSZLA");
    let moved = format!("{}{signature}{}", &rest[..body], &rest[body..]);
    std::fs::write(dir.join("moved.xml"), &moved).expect("write");

    let check = ezla(&dir, &["kedu", "check", "moved.xml", "--today", TODAY]);
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    let refusal = stderr(&check);
    let reason = refusal
        .trim()
        .strip_prefix("error: ")
        .unwrap_or_else(|| panic!("{refusal}"));
    assert!(
        reason.contains("/KEDU/Signature") && reason.contains("(code 501)"),
        "{reason}"
    );

    // verify: INVALID with kedu check's very wording, exit status 1.
    let o = ezla(&dir, &[&["verify", "moved.xml"][..], &at].concat());
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(stdout(&o).trim(), format!("INVALID: {reason}"));
    let o = ezla(
        &dir,
        &[&["verify", "moved.xml", "--json"][..], &at].concat(),
    );
    assert_eq!(o.status.code(), Some(1));
    let v = json(&stdout(&o));
    assert_eq!(v["valid"], false);
    assert_eq!(v["error"]["code"], 501);
    assert!(
        reason.starts_with(v["error"]["message"].as_str().unwrap_or("-")),
        "{v}"
    );
    // With --cosignatures too.
    let o = ezla(
        &dir,
        &[&["verify", "moved.xml", "--cosignatures"][..], &at].concat(),
    );
    assert_eq!(o.status.code(), Some(1));

    // Documents of other kinds are not judged by the KEDU rule.
    std::fs::write(
        dir.join("statement.xml"),
        "<Oswiadczenie><Token>abc</Token></Oswiadczenie>",
    )
    .expect("write");
    sign(
        &dir,
        "statement.xml",
        "statement.signed.xml",
        "2026-12-01T09:00:00Z",
    );
    ok(
        &dir,
        &[&["verify", "statement.signed.xml"][..], &at].concat(),
    );
}

#[test]
fn verify_refuses_a_signing_time_in_the_future() {
    let dir = scratch("future");
    let _ = signed_ezla(&dir);
    // Verified 10 minutes before the claimed signing time: beyond the default 5 minutes.
    let o = ezla(
        &dir,
        &["verify", "signed.xml", "--at", "2026-12-01T08:50:00Z"],
    );
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("(code 412)")
            && text.contains("2026-12-01T09:00:00Z")
            && text.contains("2026-12-01T08:50:00Z"),
        "{text}"
    );
    // 4 minutes: within the skew.
    ok(
        &dir,
        &["verify", "signed.xml", "--at", "2026-12-01T08:56:00Z"],
    );
    // A wider skew accepts 10 minutes.
    ok(
        &dir,
        &[
            "verify",
            "signed.xml",
            "--at",
            "2026-12-01T08:50:00Z",
            "--max-clock-skew",
            "900",
        ],
    );
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
        println!("NOTICE: openssl not on PATH; skipping");
    }
    found
}

fn openssl(dir: &Path, args: &[&str]) {
    let o = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .env("PW", PASSWORD)
        .output()
        .expect("run openssl");
    assert!(
        o.status.success(),
        "openssl {args:?} failed: {}",
        stderr(&o)
    );
}

/// `name`.pfx re-exported from the doctor's by `openssl pkcs12 -export` with `extra`.
fn export(dir: &Path, name: &str, extra: &[&str]) {
    let out = format!("{name}.pfx");
    let mut args = vec![
        "pkcs12",
        "-export",
        "-in",
        "doctor.pem",
        "-passout",
        "env:PW",
        "-out",
        &out,
    ];
    args.extend_from_slice(extra);
    openssl(dir, &args);
}

#[test]
fn a_pfx_without_a_mac_signs_only_when_allowed() {
    if !have_openssl() {
        return;
    }
    let dir = scratch("unprotected");
    doctor(&dir);
    std::fs::write(
        dir.join("doc.xml"),
        "<Oswiadczenie><Token>abc</Token></Oswiadczenie>",
    )
    .expect("write");
    openssl(
        &dir,
        &[
            "pkcs12",
            "-in",
            "doctor.pfx",
            "-passin",
            "env:PW",
            "-nodes",
            "-out",
            "doctor.pem",
        ],
    );
    export(&dir, "nomac", &["-nomac"]);
    export(
        &dir,
        "plain",
        &["-keypbe", "NONE", "-certpbe", "NONE", "-nomac"],
    );

    let sign_with = |pfx: &str, env: &str, allow: bool| {
        let mut args = vec![
            "sign",
            "--pfx",
            pfx,
            "--password-env",
            env,
            "doc.xml",
            "-o",
            "-",
        ];
        if allow {
            args.push("--allow-unprotected-pfx");
        }
        common::run(
            &dir,
            &args,
            &[
                ("EZLA_PFX_PASSWORD", PASSWORD),
                ("WRONG_PW", "not the password"),
            ],
        )
    };
    // The doctor's own file has a MAC: no flag needed, no warning.
    let o = sign_with("doctor.pfx", "EZLA_PFX_PASSWORD", false);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("integrity"), "{}", stderr(&o));
    for pfx in ["nomac.pfx", "plain.pfx"] {
        let o = sign_with(pfx, "EZLA_PFX_PASSWORD", false);
        assert_eq!(o.status.code(), Some(3), "{pfx}");
        let e = stderr(&o);
        assert!(
            e.contains("(code 209)")
                && e.contains("no MAC")
                && e.contains("--allow-unprotected-pfx"),
            "{pfx}: {e}"
        );
        assert!(o.stdout.is_empty(), "{pfx}: nothing signed");
        let o = sign_with(pfx, "EZLA_PFX_PASSWORD", true);
        assert!(o.status.success(), "{pfx}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("warning: ") && stderr(&o).contains("no integrity protection"),
            "{pfx}: {}",
            stderr(&o)
        );
        assert!(stdout(&o).contains("<ds:Signature"), "{pfx}");
    }
    // Nothing encrypted and no MAC: a wrong password is refused only by the refusal itself…
    let o = sign_with("plain.pfx", "WRONG_PW", false);
    assert!(stderr(&o).contains("any password"), "{}", stderr(&o));
    // …and accepted explicitly, nothing checks it (as the documentation says).
    assert!(sign_with("plain.pfx", "WRONG_PW", true).status.success());
    // With encryption but no MAC, a wrong password still fails to decrypt.
    let o = sign_with("nomac.pfx", "WRONG_PW", true);
    assert!(stderr(&o).contains("(code 200)"), "{}", stderr(&o));

    // Inspecting is not refused, and says so.
    let text = ok(
        &dir,
        &[
            "cert",
            "info",
            "nomac.pfx",
            "--password-env",
            "EZLA_PFX_PASSWORD",
        ],
    );
    assert!(
        text.contains("warning: nomac.pfx: no integrity protection (no MAC)"),
        "{text}"
    );
    let v = json(&ok(
        &dir,
        &[
            "cert",
            "info",
            "nomac.pfx",
            "--password-env",
            "EZLA_PFX_PASSWORD",
            "--json",
        ],
    ));
    assert_eq!(v["pkcs12"]["integrity_protected"], false);
    let v = json(&ok(
        &dir,
        &[
            "cert",
            "info",
            "doctor.pfx",
            "--password-env",
            "EZLA_PFX_PASSWORD",
            "--json",
        ],
    ));
    assert_eq!(v["pkcs12"]["integrity_protected"], true);
    let text = ok(
        &dir,
        &[
            "cert",
            "check",
            "plain.pfx",
            "doctor.pfx",
            "--password-env",
            "EZLA_PFX_PASSWORD",
        ],
    );
    assert!(
        text.contains("warning: plain.pfx: no integrity protection")
            && !text.contains("warning: doctor.pfx"),
        "{text}"
    );
    let v = json(&ok(
        &dir,
        &[
            "cert",
            "check",
            "plain.pfx",
            "doctor.pfx",
            "--password-env",
            "EZLA_PFX_PASSWORD",
            "--json",
        ],
    ));
    assert_eq!(v["results"][0]["integrity_protected"], false);
    assert_eq!(v["results"][1]["integrity_protected"], true);

    // Converting needs the flag too (the output gets a MAC, so it must not launder a file
    // nobody checked).
    let o = ezla(
        &dir,
        &[
            "cert",
            "convert",
            "nomac.pfx",
            "-o",
            "converted.pfx",
            "--password-env",
            "EZLA_PFX_PASSWORD",
            "--iterations",
            "2048",
        ],
    );
    assert!(stderr(&o).contains("(code 209)"), "{}", stderr(&o));
    ok(
        &dir,
        &[
            "cert",
            "convert",
            "nomac.pfx",
            "-o",
            "converted.pfx",
            "--password-env",
            "EZLA_PFX_PASSWORD",
            "--iterations",
            "2048",
            "--allow-unprotected-pfx",
        ],
    );
    let v = json(&ok(
        &dir,
        &[
            "cert",
            "info",
            "converted.pfx",
            "--password-env",
            "EZLA_PFX_PASSWORD",
            "--json",
        ],
    ));
    assert_eq!(v["pkcs12"]["integrity_protected"], true);
}
