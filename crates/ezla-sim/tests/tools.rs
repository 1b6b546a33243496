//! Independent clients: curl and openssl against the simulator (skipped with a notice when
//! absent, unless `EZLA_REQUIRE_TOOLS` is set).

mod common;

use std::process::{Command, Stdio};

use common::{have_tool, loopback};
use ezla_sim::{ServeOptions, Simulator};

/// What the ZUS channel answers to the bodies sent here (`<x/>`): a Fault naming the problem.
const NOT_AN_ENVELOPE: &str = "the request is not a SOAP 1.1 envelope";

fn start(name: &str, tls: bool) -> (Simulator, std::path::PathBuf) {
    let dir = common::temp_dir(name);
    let mut options = ServeOptions::new(loopback(), &dir);
    options.tls = tls;
    (ezla_sim::serve(&options).expect("test setup"), dir)
}

fn curl(args: &[&str]) -> std::process::Output {
    Command::new("curl")
        .args(["--silent", "--show-error", "--max-time", "10"])
        .args(args)
        .output()
        .expect("test setup")
}

#[test]
fn curl_over_tls_with_the_state_dirs_ca_gets_the_fault_over_http_1_1() {
    if !have_tool("curl") {
        return;
    }
    let (sim, dir) = start("curl-tls", true);
    let ca = dir.join(ezla_sim::CA_FILE);
    let url_file = std::fs::read_to_string(dir.join(ezla_sim::URL_FILE)).unwrap();
    assert_eq!(url_file.trim(), sim.zus_url);
    for extra in [&[][..], &["--http2"][..]] {
        let mut args = vec![
            "--cacert",
            ca.to_str().unwrap(),
            "-u",
            "ezla_ag:ezla_ag",
            "-H",
            "Content-Type: text/xml; charset=utf-8",
            "-H",
            "SOAPAction: \"pobierzOswiadczenie\"",
            "--data-binary",
            "<x/>",
            "-w",
            "\n%{http_code} %{http_version}",
        ];
        args.extend_from_slice(extra);
        args.push(&sim.zus_url);
        let out = curl(&args);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{extra:?}: {text} {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(text.contains(NOT_AN_ENVELOPE), "{extra:?}: {text}");
        // Even when curl offers h2 by ALPN, the server picks none: HTTP/1.1.
        assert!(text.ends_with("\n500 1.1"), "{extra:?}: {text}");
    }
    // Wrong password: 401.
    let out = curl(&[
        "--cacert",
        ca.to_str().unwrap(),
        "-u",
        "ezla_ag:nope",
        "--data-binary",
        "<x/>",
        "-o",
        "/dev/null",
        "-w",
        "%{http_code}",
        &sim.zus_url,
    ]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "401");
    // Without the CA, curl refuses the certificate.
    let out = curl(&["--data-binary", "<x/>", &sim.zus_url]);
    assert!(!out.status.success());
    assert_eq!(
        out.status.code(),
        Some(60),
        "curl: certificate problem expected"
    );
}

#[test]
fn curl_http2_prior_knowledge_is_refused() {
    if !have_tool("curl") {
        return;
    }
    let (sim, _dir) = start("curl-h2c", false);
    let out = curl(&[
        "--http2-prior-knowledge",
        "-u",
        "ezla_ag:ezla_ag",
        "--data-binary",
        "<x/>",
        &sim.zus_url,
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "curl spoke h2c: {text}");
    assert!(!text.contains(NOT_AN_ENVELOPE), "{text}");
    // The server still serves HTTP/1.1.
    let out = curl(&[
        "-u",
        "ezla_ag:ezla_ag",
        "--data-binary",
        "<x/>",
        &sim.zus_url,
    ]);
    assert!(String::from_utf8_lossy(&out.stdout).contains(NOT_AN_ENVELOPE));
}

#[test]
fn openssl_s_client_offering_h2_gets_no_alpn() {
    if !have_tool("openssl") {
        return;
    }
    let (sim, dir) = start("openssl-alpn", true);
    let addr = sim.server.addr().to_string();
    let ca = dir.join(ezla_sim::CA_FILE);
    let out = Command::new("openssl")
        .args([
            "s_client",
            "-connect",
            &addr,
            "-alpn",
            "h2",
            "-servername",
            "sim.zus.pl",
        ])
        .args(["-CAfile", ca.to_str().unwrap(), "-verify_return_error"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("No ALPN negotiated"), "{text}");
    assert!(text.contains("Verify return code: 0 (ok)"), "{text}");
}

#[test]
fn openssl_sees_the_server_certificate_names() {
    if !have_tool("openssl") {
        return;
    }
    let dir = common::temp_dir("openssl-san");
    ezla_sim::SimTls::load_or_create(&dir).unwrap();
    let out = Command::new("openssl")
        .args([
            "x509",
            "-noout",
            "-ext",
            "subjectAltName,extendedKeyUsage",
            "-in",
        ])
        .arg(dir.join("tls-server.pem"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for name in [
        "DNS:localhost",
        "DNS:sim.zus.pl",
        "IP Address:127.0.0.1",
        "IP Address:0:0:0:0:0:0:0:1",
        "TLS Web Server Authentication",
    ] {
        assert!(text.contains(name), "{name} missing: {text}");
    }
    let verify = Command::new("openssl")
        .args(["verify", "-purpose", "sslserver", "-CAfile"])
        .arg(dir.join(ezla_sim::CA_FILE))
        .arg(dir.join("tls-server.pem"))
        .output()
        .unwrap();
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );
}
