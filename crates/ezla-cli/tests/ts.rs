//! `ezla ts query` and `ezla ts verify` against the simulator's TSA (started in-process, over
//! HTTP and over TLS): `openssl ts -verify` accepts the token written, `ts verify` accepts it
//! for the data and refuses other data (1), a TSA that refuses the request exits 1 with
//! `TimestampRejected`, a TSA that cannot be reached or trusted over TLS exits 3.

mod common;

use std::path::Path;
use std::process::Output;

use serde_json::Value;

fn ezla(dir: &Path, args: &[&str]) -> Output {
    common::run(dir, args, &[])
}

fn ok(dir: &Path, args: &[&str]) -> String {
    common::ok(dir, args, &[])
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out).unwrap_or_else(|e| panic!("not JSON ({e}): {}", text(out)))
}

fn simulator(dir: &Path, tls: bool) -> ezla_sim::Simulator {
    let mut options = ezla_sim::ServeOptions::new("127.0.0.1:0".parse().expect("addr"), dir);
    options.tls = tls;
    ezla_sim::serve(&options).expect("simulator")
}

#[test]
fn a_file_is_stamped_over_http_and_openssl_accepts_the_token() {
    let dir = common::scratch("ezla-cli-ts", "http");
    let state = dir.join("sim");
    let sim = simulator(&state, false);
    assert!(sim.tsa_url.starts_with("http://"), "{}", sim.tsa_url);
    let ca = state.join("ca/ca.crt");
    let ca = ca.to_str().expect("path");
    std::fs::write(dir.join("zla.pdf"), b"%PDF-1.7 the printout").expect("write");
    std::fs::write(dir.join("other.pdf"), b"%PDF-1.7 another printout").expect("write");

    let v = json(
        ok(
            &dir,
            &[
                "ts",
                "query",
                "zla.pdf",
                "--tsa",
                &sim.tsa_url,
                "--trust",
                ca,
                "-o",
                "zla.tsr",
                "--json",
            ],
        )
        .as_bytes(),
    );
    let policy = ezla_sim::SIM_TSA_POLICY.to_string();
    assert_eq!(v["policy"], policy.as_str(), "{v}");
    assert_eq!(v["trust"], "chain", "{v}");
    assert_eq!(v["digest"], "SHA-256", "{v}");
    assert_eq!(v["output"], "zla.tsr", "{v}");
    assert_eq!(v["tsa_url"], sim.tsa_url.as_str(), "{v}");
    let imprint = ezla::crypto::DigestAlgorithm::Sha256.digest(b"%PDF-1.7 the printout");
    assert_eq!(
        v["imprint"],
        ezla::crypto::hex::lower(&imprint).as_str(),
        "{v}"
    );
    assert!(v["serial"].as_str().is_some_and(|s| !s.is_empty()), "{v}");
    assert!(v["nonce"].as_str().is_some_and(|s| !s.is_empty()), "{v}");
    assert!(v["tsa"]["subject"].as_str().is_some(), "{v}");
    let time = v["time"].as_str().expect("time");
    let stamped = time::OffsetDateTime::parse(time, &time::format_description::well_known::Rfc3339)
        .expect("RFC 3339");
    assert!((time::OffsetDateTime::now_utc() - stamped).abs() < time::Duration::minutes(5));

    // openssl, independently: the token stamps the file, signed by a TSA of the CA.
    if let Some(o) = common::tool(
        &dir,
        "openssl",
        &[
            "ts",
            "-verify",
            "-data",
            "zla.pdf",
            "-in",
            "zla.tsr",
            "-token_in",
            "-CAfile",
            ca,
        ],
    ) {
        assert!(
            o.status.success() && text(&o.stdout).contains("Verification: OK"),
            "openssl ts -verify: {}{}",
            text(&o.stdout),
            text(&o.stderr)
        );
        // And it says so only for that file.
        let o = common::tool(
            &dir,
            "openssl",
            &[
                "ts",
                "-verify",
                "-data",
                "other.pdf",
                "-in",
                "zla.tsr",
                "-token_in",
                "-CAfile",
                ca,
            ],
        )
        .expect("openssl");
        assert!(!o.status.success(), "{}", text(&o.stdout));
    }

    // ezla ts verify: the data, or its hash.
    let report = ok(
        &dir,
        &[
            "ts", "verify", "zla.tsr", "--data", "zla.pdf", "--trust", ca,
        ],
    );
    assert!(report.starts_with("VALID time-stamp token\n"), "{report}");
    assert!(
        report.contains(&format!("policy:      {policy}")),
        "{report}"
    );
    let hex = ezla::crypto::hex::lower(&imprint);
    let v = json(
        ok(
            &dir,
            &[
                "ts",
                "verify",
                "zla.tsr",
                "--digest-hex",
                &hex,
                "--json",
                "--policy",
                &policy,
            ],
        )
        .as_bytes(),
    );
    assert_eq!(v["valid"], true);
    assert_eq!(v["trust"], "untrusted");
    assert_eq!(v["time"], time);
    // Other data, another policy: invalid (1) with the reason.
    let out = ezla(&dir, &["ts", "verify", "zla.tsr", "--data", "other.pdf"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("(code 421)"),
        "{}",
        text(&out.stdout)
    );
    let out = ezla(
        &dir,
        &[
            "ts", "verify", "zla.tsr", "--data", "zla.pdf", "--policy", "1.2.3.4", "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out.stdout)["error"]["name"], "TimestampMismatch");
    // Trust anchors that did not issue the TSA's certificate.
    ok(&dir, &["cert", "test-ca", "--out", "other-ca"]);
    let out = ezla(
        &dir,
        &[
            "ts",
            "verify",
            "zla.tsr",
            "--data",
            "zla.pdf",
            "--trust",
            "other-ca/ca.crt",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    // Not a token: invalid (1); no token file: 3; neither --data nor --digest-hex: 64.
    std::fs::write(dir.join("garbage.tsr"), b"not a token").expect("write");
    let out = ezla(
        &dir,
        &["ts", "verify", "garbage.tsr", "--data", "zla.pdf", "--json"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out.stdout)["error"]["name"], "DerMalformed");
    let out = ezla(&dir, &["ts", "verify", "missing.tsr", "--data", "zla.pdf"]);
    assert_eq!(out.status.code(), Some(3));
    let out = ezla(&dir, &["ts", "verify", "zla.tsr"]);
    assert_eq!(out.status.code(), Some(64));
    let out = ezla(&dir, &["ts", "verify", "zla.tsr", "--digest-hex", "abcd"]);
    assert_eq!(out.status.code(), Some(64));

    // SHA-512, and the token not overwritten without --force.
    let out = ezla(
        &dir,
        &[
            "ts",
            "query",
            "zla.pdf",
            "--tsa",
            &sim.tsa_url,
            "-o",
            "zla.tsr",
        ],
    );
    assert_eq!(out.status.code(), Some(64));
    let v = json(
        ok(
            &dir,
            &[
                "ts",
                "query",
                "zla.pdf",
                "--tsa",
                &sim.tsa_url,
                "--digest",
                "sha512",
                "--policy",
                &policy,
                "-o",
                "zla.tsr",
                "--force",
                "--json",
            ],
        )
        .as_bytes(),
    );
    assert_eq!(v["digest"], "SHA-512");
    ok(
        &dir,
        &[
            "ts", "verify", "zla.tsr", "--data", "zla.pdf", "--trust", ca,
        ],
    );

    // A policy the TSA does not have: it refuses, a negative verdict (1) with the typed error.
    let out = ezla(
        &dir,
        &[
            "ts",
            "query",
            "zla.pdf",
            "--tsa",
            &sim.tsa_url,
            "--policy",
            "1.2.3.4",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let v = json(&out.stdout);
    assert_eq!(v["error"]["name"], "TimestampRejected", "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("unacceptedPolicy")),
        "{v}"
    );
    // Not a TSA at that URL (the ZUS channel answers 401/405): the job could not be done (3).
    let out = ezla(&dir, &["ts", "query", "zla.pdf", "--tsa", &sim.zus_url]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("(code 840)"),
        "{}",
        text(&out.stderr)
    );
    sim.server.shutdown();
    // Nobody listening: 3.
    let out = ezla(
        &dir,
        &["ts", "query", "zla.pdf", "--tsa", &sim.tsa_url, "--json"],
    );
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert_eq!(json(&out.stdout)["error"]["family"], "I/O");
}

#[test]
fn a_file_is_stamped_over_tls_with_the_servers_ca() {
    let dir = common::scratch("ezla-cli-ts", "tls");
    let state = dir.join("sim");
    let sim = simulator(&state, true);
    assert!(sim.tsa_url.starts_with("https://"), "{}", sim.tsa_url);
    let tls_ca = state.join("tls-ca.pem");
    let tls_ca = tls_ca.to_str().expect("path");
    let ca = state.join("ca/ca.crt");
    let ca = ca.to_str().expect("path");
    std::fs::write(dir.join("a.bin"), b"attachment").expect("write");
    let text_out = ok(
        &dir,
        &[
            "ts",
            "query",
            "a.bin",
            "--tsa",
            &sim.tsa_url,
            "--ca",
            tls_ca,
            "--trust",
            ca,
            "-o",
            "a.tsr",
        ],
    );
    assert!(text_out.starts_with("TIME-STAMPED\n"), "{text_out}");
    assert!(text_out.contains("trust:       chain"), "{text_out}");
    ok(
        &dir,
        &["ts", "verify", "a.tsr", "--data", "a.bin", "--trust", ca],
    );
    // Without the server's CA the TLS check fails: 3.
    let out = ezla(&dir, &["ts", "query", "a.bin", "--tsa", &sim.tsa_url]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("(code 821)"),
        "{}",
        text(&out.stderr)
    );
    sim.server.shutdown();
}
