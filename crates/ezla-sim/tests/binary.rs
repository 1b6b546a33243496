//! The `ezla-sim` binary: `serve` (the ready line, DIR/url, state reuse, SIGTERM/SIGINT) and
//! the `sp` commands of the login.gov.pl registry.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use ezla::transport::{Transport, TransportConfig};

fn spawn(dir: &std::path::Path, extra: &[&str]) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ezla-sim"))
        .args(["serve", "--addr", "127.0.0.1:0", "--state"])
        .arg(dir)
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("test setup");
    let stdout = child.stdout.take().expect("test setup");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("test setup");
    (child, line)
}

fn signal(child: &Child, name: &str) {
    let ok = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .expect("test setup")
        .success();
    assert!(ok, "kill -{name}");
}

fn wait(child: &mut Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        if let Some(status) = child.try_wait().expect("test setup") {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("ezla-sim did not stop within 5 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn serve_over_tls_prints_one_ready_line_writes_the_url_and_stops_on_sigterm() {
    let dir = common::temp_dir("bin-tls");
    let (mut child, line) = spawn(&dir, &["--tls", "--zus-path", "/ws/custom"]);
    let url = line
        .strip_prefix("ezla-sim: listening on ")
        .unwrap_or_else(|| panic!("ready line: {line:?}"))
        .trim()
        .to_string();
    assert!(
        url.starts_with("https://127.0.0.1:") && url.ends_with("/ws/custom"),
        "{url}"
    );
    assert_ne!(url, "https://127.0.0.1:0/ws/custom");
    assert_eq!(
        std::fs::read_to_string(dir.join("url")).unwrap().trim(),
        url
    );
    let ca = std::fs::read(dir.join(ezla_sim::CA_FILE)).unwrap();
    let client = common::transport(
        TransportConfig::builder()
            .trust_pem(&ca)
            .basic_auth("ezla_ag", "ezla_ag"),
    );
    let response = client.post(&common::soap_post(&url, "x")).unwrap();
    assert_eq!(response.status, 500);
    signal(&child, "TERM");
    assert!(wait(&mut child).success());

    // A second start reuses the CA (clients keep trusting it) and stops on SIGINT.
    let (mut child, line) = spawn(&dir, &["--tls"]);
    assert!(line.contains(ezla_sim::DEFAULT_ZUS_PATH), "{line}");
    assert_eq!(std::fs::read(dir.join(ezla_sim::CA_FILE)).unwrap(), ca);
    let url = std::fs::read_to_string(dir.join("url")).unwrap();
    let response = client.post(&common::soap_post(url.trim(), "x")).unwrap();
    assert_eq!(response.status, 500);
    signal(&child, "INT");
    assert!(wait(&mut child).success());
}

#[test]
fn serve_plain_http_by_default() {
    let dir = common::temp_dir("bin-http");
    let (mut child, line) = spawn(&dir, &[]);
    assert!(
        line.starts_with("ezla-sim: listening on http://127.0.0.1:"),
        "{line}"
    );
    assert!(
        !dir.join(ezla_sim::CA_FILE).exists(),
        "no TLS material without --tls"
    );
    signal(&child, "TERM");
    assert!(wait(&mut child).success());
}

/// `ezla-sim sp add`, `sp misbehave`, `sp list` and `sp cases` on a state directory.
#[test]
fn sp_registry_commands() {
    let dir = common::temp_dir("bin-sp");
    let mut pems = Vec::new();
    for name in ["sig", "enc"] {
        let ca = ezla::pki::testca::TestCa::generate_with(
            ezla::crypto::KeySpec::EcP256,
            name,
            time::OffsetDateTime::now_utc(),
            30,
        )
        .expect("key");
        let path = dir.join(format!("{name}.pem"));
        std::fs::write(&path, ca.certificate().to_pem()).expect("write");
        pems.push(path);
    }
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_ezla-sim"))
            .args(args)
            .output()
            .expect("ezla-sim")
    };
    let state = dir.to_str().expect("utf-8");
    let (sig, enc) = (
        pems[0].to_str().expect("utf-8"),
        pems[1].to_str().expect("utf-8"),
    );
    let out = run(&[
        "sp",
        "add",
        "--state",
        state,
        "--entity-id",
        "https://sp.example",
        "--cert",
        sig,
        "--enc-cert",
        enc,
        "--acs",
        "https://sp.example/acs",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        dir.join("wk/idp.crt").exists(),
        "the IdP certificate to pin"
    );
    let out = run(&[
        "sp",
        "misbehave",
        "--state",
        state,
        "--entity-id",
        "https://sp.example",
        "--case",
        "xsw3-inner",
        "--every",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&["sp", "list", "--state", state]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "https://sp.example\thttps://sp.example/acs\txsw3-inner\n"
    );
    let out = run(&[
        "sp",
        "misbehave",
        "--state",
        state,
        "--entity-id",
        "https://sp.example",
        "--case",
        "no-such-case",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown misbehaviour"));
    let out = run(&[
        "sp",
        "misbehave",
        "--state",
        state,
        "--entity-id",
        "https://unknown.example",
        "--case",
        "expired",
    ]);
    assert!(!out.status.success());
    let out = run(&["sp", "cases"]);
    let cases = String::from_utf8_lossy(&out.stdout);
    assert!(cases.lines().count() > 40, "{cases}");
    assert!(
        cases.contains("WK-40\treplayed-assertion\tKo\tSamlReplay"),
        "{cases}"
    );
}
