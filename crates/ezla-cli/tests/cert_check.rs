//! `ezla cert check` as a clinic's monitoring runs it: directories of doctors' certificates,
//! the table, JSON and Prometheus outputs (the last checked by `promtool`), `--warn-days`,
//! unreadable files, and the atomic `-o` the textfile collector needs.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const PASSWORD: &str = "hasło-monitoringu";
const ENV: &[(&str, &str)] = &[("EZLA_PFX_PASSWORD", PASSWORD)];
/// The instant every check judges at.
const AT: &str = "2026-01-05";

fn scratch(name: &str) -> PathBuf {
    common::scratch("ezla-cert-check", name)
}

/// `ezla cert check --at AT --password-env … args…` in `dir`.
fn check(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec![
        "cert",
        "check",
        "--at",
        AT,
        "--password-env",
        "EZLA_PFX_PASSWORD",
    ];
    all.extend_from_slice(args);
    common::run(dir, &all, ENV)
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json(out: &Output) -> Value {
    let text = stdout(out);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// A doctor's `.pfx` at `dir/file` (P-256, from the test CA in `dir/ca`).
fn doctor(dir: &Path, file: &str, extra: &[&str]) {
    common::test_doctor(dir, file, "p256", extra, ENV);
}

/// A clinic's directory at `dir/certs` judged at [`AT`]: `fresh.pfx` (valid), `renew.pfx`
/// (27 days left, renewal window), `expired.pfx`, the CA as `ca.crt`, a `notes.txt` and a
/// `sub/late.pfx` (valid) that are not checked unless asked.
fn clinic(dir: &Path) -> PathBuf {
    let certs = dir.join("certs");
    std::fs::create_dir_all(certs.join("sub")).expect("mkdir");
    doctor(dir, "certs/fresh.pfx", &["--not-before", "2026-01-01"]);
    doctor(dir, "certs/renew.pfx", &["--not-before", "2021-02-01"]);
    doctor(
        dir,
        "certs/expired.pfx",
        &["--not-before", "2020-06-01", "--days", "365"],
    );
    doctor(dir, "certs/sub/late.pfx", &["--not-before", "2025-06-01"]);
    std::fs::copy(dir.join("ca/ca.crt"), certs.join("ca.crt")).expect("copy");
    std::fs::write(certs.join("notes.txt"), "not a certificate").expect("write");
    certs
}

fn files(v: &Value) -> Vec<String> {
    v["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["file"].as_str().expect("file").to_string())
        .collect()
}

#[test]
fn directories_are_scanned_in_name_order_and_recursively_only_when_asked() {
    let dir = scratch("scan");
    clinic(&dir);
    let out = check(&dir, &["--format", "json", "certs"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let v = json(&out);
    assert_eq!(
        files(&v),
        [
            "certs/ca.crt",
            "certs/expired.pfx",
            "certs/fresh.pfx",
            "certs/renew.pfx"
        ]
    );
    assert_eq!(v["results"][1]["status"], "expired");
    assert_eq!(v["worst"], "CRITICAL");
    let out = check(&dir, &["--json", "--recursive", "certs"]);
    let v = json(&out);
    assert_eq!(files(&v).len(), 5);
    assert_eq!(files(&v)[4], "certs/sub/late.pfx");
    assert_eq!(v["results"][4]["status"], "valid");
    // A file named explicitly is checked whatever its name, and a path given twice (or
    // found again in a directory) is one row.
    std::fs::copy(dir.join("certs/fresh.pfx"), dir.join("fresh.bin")).expect("copy");
    let out = check(
        &dir,
        &[
            "--json",
            "fresh.bin",
            "certs/sub",
            "certs/sub/late.pfx",
            "fresh.bin",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(files(&json(&out)), ["fresh.bin", "certs/sub/late.pfx"]);
    // A directory with no certificate file is UNKNOWN, not silently OK.
    std::fs::create_dir_all(dir.join("empty")).expect("mkdir");
    let out = check(&dir, &["--json", "empty"]);
    assert_eq!(out.status.code(), Some(3));
    let v = json(&out);
    assert_eq!(v["results"][0]["status"], "unreadable");
    assert_eq!(v["results"][0]["name"], "NoCertificate");
}

#[test]
fn table_json_and_prometheus_say_the_same() {
    let dir = scratch("formats");
    clinic(&dir);
    // The table: the default.
    let out = check(&dir, &["certs"]);
    assert_eq!(out.status.code(), Some(2));
    let table = stdout(&out);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 5, "{table}");
    assert!(lines[0].starts_with("STATUS"), "{table}");
    assert!(lines[2].starts_with("expired"), "{table}");
    assert!(
        lines[4].starts_with("renewal-window")
            && lines[4].contains(" 27  2026-02-01  certs/renew.pfx")
            && lines[4].ends_with("Jan Kowalski"),
        "{table}"
    );
    // JSON: today's fields, plus the PESEL.
    let out = check(&dir, &["--format", "json", "certs/renew.pfx"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["exit_status"], 1);
    assert_eq!(v["policy"]["warning_days"], 14);
    let r = &v["results"][0];
    assert_eq!(r["status"], "renewal-window");
    assert_eq!(r["days_left"], 27);
    assert_eq!(r["pesel"], "44051401359");
    assert_eq!(r["integrity_protected"], true);
    assert_eq!(r["not_after"], "2026-02-01T00:00:00Z");
    let serial = r["serial_hex"].as_str().expect("serial").to_string();
    // Prometheus.
    let out = check(&dir, &["--format", "prometheus", "certs"]);
    assert_eq!(out.status.code(), Some(2));
    let metrics = stdout(&out);
    let renew = format!(
        "file=\"certs/renew.pfx\",subject=\"CN=Jan Kowalski,serialNumber=PNOPL-44051401359,\
         givenName=Jan,sn=Kowalski,C=PL\",serial=\"{serial}\",pesel=\"44051401359\""
    );
    for want in [
        format!("ezla_certificate_days_left{{{renew}}} 27\n"),
        format!(
            "ezla_certificate_not_after_seconds{{{renew}}} {}\n",
            time::macros::datetime!(2026-02-01 0:00 UTC).unix_timestamp()
        ),
        format!("ezla_certificate_status{{{renew},status=\"renewal_window\"}} 1\n"),
        format!("ezla_certificate_status{{{renew},status=\"ok\"}} 0\n"),
        "\nezla_certificate_check_errors 0\n".to_string(),
        "\nezla_certificate_check_exit_code 2\n".to_string(),
        format!(
            "\nezla_certificate_check_timestamp_seconds {}\n",
            time::macros::datetime!(2026-01-05 0:00 UTC).unix_timestamp()
        ),
    ] {
        assert!(metrics.contains(&want), "no {want:?} in\n{metrics}");
    }
    // The CA certificate has no PESEL: no pesel label.
    assert!(
        metrics.lines().any(|l| l.starts_with(
            "ezla_certificate_days_left{file=\"certs/ca.crt\",subject=\"CN=ezla TEST CA"
        ) && !l.contains("pesel=")),
        "{metrics}"
    );
    promtool_accepts(&dir, &metrics);
}

/// `promtool check metrics` (Prometheus' own parser and linter) reads the text; its only
/// remark may be the one about `ezla_certificate_days_left` not counting in seconds (a
/// days gauge is what the issue asks for, next to `ezla_certificate_not_after_seconds`).
fn promtool_accepts(dir: &Path, metrics: &str) {
    use std::io::Write as _;
    let child = Command::new("promtool")
        .args(["check", "metrics"])
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(_) if std::env::var_os("EZLA_REQUIRE_TOOLS").is_none() => {
            println!("NOTICE: promtool not on PATH (Debian: prometheus); skipping its check");
            return;
        }
        Err(e) => panic!("promtool is required (EZLA_REQUIRE_TOOLS is set): {e}"),
    };
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(metrics.as_bytes())
        .expect("write to promtool");
    let out = child.wait_with_output().expect("promtool");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let other: Vec<&str> = said
        .lines()
        .filter(|l| {
            *l != "ezla_certificate_days_left use base unit \"seconds\" instead of \"days\""
        })
        .collect();
    assert!(other.is_empty(), "promtool: {said}\n{metrics}");
    // 0: no remark; 3: lint remarks only (1 would be a parse error).
    assert!(
        matches!(out.status.code(), Some(0 | 3)),
        "promtool exit {:?}: {said}",
        out.status.code()
    );
}

#[test]
fn warn_days_moves_a_certificate_into_warning() {
    let dir = scratch("warn-days");
    // 40 days left at AT: valid under the ZUS policy.
    doctor(
        &dir,
        "doctor.pfx",
        &["--not-before", "2025-02-14", "--days", "365"],
    );
    let out = check(&dir, &["--json", "doctor.pfx"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json(&out)["results"][0]["days_left"], 40);
    assert_eq!(json(&out)["results"][0]["status"], "valid");
    for option in ["--warn-days", "--warning-days"] {
        let out = check(&dir, &["--json", option, "45", "doctor.pfx"]);
        assert_eq!(out.status.code(), Some(1), "{option}");
        let v = json(&out);
        assert_eq!(v["results"][0]["status"], "expiring", "{option}");
        assert_eq!(v["policy"]["warning_days"], 45);
        assert_eq!(v["worst"], "WARNING");
    }
    // Below the threshold it stays valid.
    let out = check(&dir, &["--warn-days", "39", "doctor.pfx"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn unreadable_files_are_rows_and_unknown() {
    let dir = scratch("unreadable");
    let certs = clinic(&dir);
    std::fs::remove_file(certs.join("expired.pfx")).expect("rm");
    let fresh = std::fs::read(certs.join("fresh.pfx")).expect("read");
    std::fs::write(certs.join("broken.pfx"), &fresh[..300]).expect("write");
    std::fs::write(certs.join("junk.pem"), "junk").expect("write");
    let out = check(&dir, &["--json", "certs", "missing.pfx"]);
    assert_eq!(out.status.code(), Some(3));
    let v = json(&out);
    assert_eq!(v["worst"], "UNKNOWN");
    let by_file = |f: &str| {
        v["results"]
            .as_array()
            .expect("results")
            .iter()
            .find(|r| r["file"] == f)
            .cloned()
            .unwrap_or_else(|| panic!("no row for {f}: {v}"))
    };
    assert_eq!(by_file("certs/broken.pfx")["name"], "Pkcs12Corrupt");
    assert_eq!(by_file("certs/broken.pfx")["code"], 202);
    assert_eq!(by_file("certs/junk.pem")["status"], "unreadable");
    assert_eq!(by_file("missing.pfx")["code"], 800);
    assert!(
        by_file("missing.pfx")["error"]
            .as_str()
            .is_some_and(|e| e.contains("missing.pfx")),
        "{v}"
    );
    assert_eq!(by_file("certs/renew.pfx")["status"], "renewal-window");
    // The table shows the error with its code; Prometheus counts and labels them.
    let table = stdout(&check(&dir, &["certs"]));
    assert!(
        table.lines().any(|l| l.starts_with("unreadable")
            && l.contains("certs/broken.pfx")
            && l.ends_with("(code 202)")),
        "{table}"
    );
    let metrics = stdout(&check(
        &dir,
        &["--format", "prometheus", "certs", "missing.pfx"],
    ));
    assert!(
        metrics.contains("\nezla_certificate_check_errors 3\n"),
        "{metrics}"
    );
    assert!(
        metrics.contains(
            "ezla_certificate_check_error{file=\"certs/broken.pfx\",code=\"202\",name=\"Pkcs12Corrupt\"} 1\n"
        ),
        "{metrics}"
    );
    assert!(metrics.contains("\nezla_certificate_check_exit_code 3\n"));
    promtool_accepts(&dir, &metrics);
}

#[test]
fn out_replaces_the_file_atomically() {
    let dir = scratch("out");
    clinic(&dir);
    let textfiles = dir.join("textfile");
    std::fs::create_dir_all(&textfiles).expect("mkdir");
    let prom = textfiles.join("ezla.prom");
    std::fs::write(&prom, "old contents\n").expect("write");
    let hard_link = textfiles.join("reader-holds-this");
    // A reader that opened the old file keeps seeing it whole: the new one is a new inode,
    // renamed over the name (a rewrite in place would change the linked file too).
    std::fs::hard_link(&prom, &hard_link).expect("link");
    let out = check(
        &dir,
        &[
            "--format",
            "prometheus",
            "-o",
            "textfile/ezla.prom",
            "certs",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "{}", stdout(&out));
    let written = std::fs::read_to_string(&prom).expect("read");
    assert!(
        written.starts_with("# HELP ezla_certificate_days_left "),
        "{written}"
    );
    assert!(written.contains("\nezla_certificate_check_exit_code 2\n"));
    assert_eq!(
        std::fs::read_to_string(&hard_link).expect("read"),
        "old contents\n"
    );
    // No temporary file is left behind.
    let mut names: Vec<String> = std::fs::read_dir(&textfiles)
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["ezla.prom", "reader-holds-this"]);
    // The same as standard output.
    let printed = stdout(&check(&dir, &["--format", "prometheus", "certs"]));
    assert_eq!(written, printed);
    // An output that cannot be written is an error (3), and nothing is left.
    let out = check(
        &dir,
        &[
            "--format",
            "prometheus",
            "-o",
            "no-such-dir/ezla.prom",
            "certs",
        ],
    );
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no-such-dir/ezla.prom"), "{err}");
    assert!(!dir.join("no-such-dir").exists());
}
