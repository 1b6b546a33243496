//! `ezla zus` against the simulator (started in-process, over TLS): login, look-ups, issue,
//! read back, a send repeated, cancel, reconcile, logout, and the exit statuses of a refusal
//! (1), a transport failure (3) and a wrong command line (64).

mod common;

use std::path::Path;
use std::process::Output;

use serde_json::Value;

const PASSWORD: &str = "hasło lekarza";

fn run(dir: &Path, url: &str, args: &[&str]) -> Output {
    common::run(
        dir,
        args,
        &[
            ("EZLA_PFX_PASSWORD", PASSWORD),
            ("EZLA_ZUS_ENDPOINT", url),
            ("EZLA_ZUS_SESSION", "session"),
            ("EZLA_ZUS_JOURNAL", "journal.sqlite"),
        ],
    )
}

fn ok_json(dir: &Path, url: &str, args: &[&str]) -> Value {
    let out = run(dir, url, args);
    assert!(
        out.status.success(),
        "ezla {args:?}: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{args:?}: not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

#[test]
fn a_doctor_issues_reads_back_and_cancels_from_the_command_line() {
    let dir = common::scratch("ezla-cli", "zus");
    let state = dir.join("sim");
    let mut options = ezla_sim::ServeOptions::new("127.0.0.1:0".parse().expect("addr"), &state);
    options.tls = true;
    let sim = ezla_sim::serve(&options).expect("simulator");
    let pesel = ezla::pl::Pesel::parse("02271409867").expect("pesel");
    sim.zus
        .state()
        .add_doctor(pesel.as_str(), "Anna", "Nowak", "5425740")
        .expect("doctor");
    let anna = sim
        .zus
        .ca()
        .issue_doctor(
            pesel,
            "Anna",
            "Nowak",
            time::OffsetDateTime::now_utc() - time::Duration::days(1),
            1825,
        )
        .expect("issue");
    std::fs::write(
        dir.join("anna.pfx"),
        anna.to_pkcs12(PASSWORD, 2048).expect("pfx"),
    )
    .expect("write");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/examples/zla.json"),
        dir.join("zla.json"),
    )
    .expect("zla.json");
    let url = sim.zus_url.clone();
    let ca = state.join("tls-ca.pem");
    let ca = ca.to_str().expect("path");
    let pfx = ["--pfx", "anna.pfx", "--password-env", "EZLA_PFX_PASSWORD"];

    let mut login = vec!["zus", "login", "--ca", ca, "--json"];
    login.extend(pfx);
    let v = ok_json(&dir, &url, &login);
    assert_eq!(v["logged_in"], true, "{v}");
    assert_eq!(v["doctor"]["npwz"], "5425740", "{v}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("session"))
            .expect("session")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the session file is private");
    }
    let v = ok_json(&dir, &url, &["zus", "whoami", "--ca", ca, "--json"]);
    assert_eq!(v["places_of_work"][0]["nip"], "5260250274", "{v}");
    let v = ok_json(
        &dir,
        &url,
        &["zus", "payers", "44051401359", "--ca", ca, "--json"],
    );
    assert_eq!(v["payers"][0]["nip"], "1234563218", "{v}");

    let mut issue = vec![
        "zus",
        "issue",
        "zla.json",
        "--today",
        "2026-12-01",
        "-o",
        "out",
        "--ca",
        ca,
        "--json",
    ];
    issue.extend(pfx);
    let v = ok_json(&dir, &url, &issue);
    let sn = v["certificates"][0]["seria_numer"]
        .as_str()
        .expect("seria_numer")
        .to_owned();
    let upp = std::fs::read_to_string(dir.join(format!("out/{sn}.oryginal.upp.xml"))).expect("upp");
    assert!(
        upp.contains(&format!("<SeriaNumer>{sn}</SeriaNumer>")),
        "{upp}"
    );

    // Read back: the document as signed, the receipt as given.
    let v = ok_json(
        &dir,
        &url,
        &["zus", "get", &sn, "-o", "got.xml", "--ca", ca, "--json"],
    );
    assert_eq!(v["written"], "got.xml");
    assert_eq!(
        std::fs::read(dir.join("got.xml")).expect("got"),
        std::fs::read(dir.join(format!("out/{sn}.oryginal.xml"))).expect("signed")
    );
    let out = run(&dir, &url, &["zus", "upp", &sn, "--ca", ca]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), upp);

    // Sent again: answered from the journal, nothing stored twice.
    let doc = format!("out/{sn}.kopia.xml");
    let v = ok_json(
        &dir,
        &url,
        &["zus", "send", &doc, "-o", "again", "--ca", ca, "--json"],
    );
    assert_eq!(v["sent"][0]["kind"], "KOPIA", "{v}");
    assert_eq!(sim.zus.state().documents().expect("documents").len(), 2);

    let mut cancel = vec![
        "zus", "cancel", &sn, "--reason", "U", "-o", "out", "--ca", ca, "--json",
    ];
    cancel.extend(pfx);
    let v = ok_json(&dir, &url, &cancel);
    assert_eq!(v["cancelled"], sn.as_str(), "{v}");
    assert!(
        sim.zus
            .state()
            .document(&sn, "AZLA")
            .expect("state")
            .is_some()
    );
    let v = ok_json(&dir, &url, &["zus", "reconcile", "--ca", ca, "--json"]);
    assert_eq!(v["found"], Value::Array(vec![]), "{v}");

    // A second cancellation: ZUS does not allow it (exit 1).
    let out = run(&dir, &url, &cancel);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let v = ok_json(&dir, &url, &["zus", "logout", "--ca", ca, "--json"]);
    assert_eq!(v["logged_out"], true);
    assert!(!dir.join("session").exists());

    // Without the simulator's CA the TLS check fails: the job could not be done (3), and
    // with --json the error is JSON on stdout.
    let out = run(
        &dir,
        &url,
        &[
            "zus",
            "login",
            "--pfx",
            "anna.pfx",
            "--password-env",
            "EZLA_PFX_PASSWORD",
            "--json",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("error JSON");
    assert_eq!(v["error"]["family"], "I/O", "{v}");
    // A doctor ZUS does not know: refused (1).
    let stranger = sim
        .zus
        .ca()
        .issue_doctor(
            ezla::pl::Pesel::parse("44051401359").expect("pesel"),
            "Jan",
            "Kowalski",
            time::OffsetDateTime::now_utc() - time::Duration::days(1),
            100,
        )
        .expect("issue");
    std::fs::write(
        dir.join("jan.pfx"),
        stranger.to_pkcs12(PASSWORD, 2048).expect("pfx"),
    )
    .expect("write");
    let out = run(
        &dir,
        &url,
        &[
            "zus",
            "login",
            "--ca",
            ca,
            "--pfx",
            "jan.pfx",
            "--password-env",
            "EZLA_PFX_PASSWORD",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("(code 603)"));
    // Not logged in, and a malformed series/number: usage (64).
    let out = run(&dir, &url, &["zus", "whoami", "--ca", ca]);
    assert_eq!(out.status.code(), Some(64));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not logged in"));
    let out = run(&dir, &url, &["zus", "get", "Z1", "--ca", ca]);
    assert_eq!(out.status.code(), Some(64));
    sim.server.shutdown();
}
