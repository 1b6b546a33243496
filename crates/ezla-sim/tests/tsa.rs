//! RFC 3161 with independent tools: `openssl ts -verify` accepts the tokens of the
//! simulator's `/tsa` (asked by ezla's client and by `openssl ts -query` through curl), and
//! ezla's client accepts the tokens of `openssl ts -reply` behind a tiny HTTP wrapper (with
//! the SHA-1 `signing-certificate` and with `signing-certificate-v2`), refusing what it
//! should. Skipped with a notice without openssl and curl, unless `EZLA_REQUIRE_TOOLS` is set.

mod common;

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use common::{have_tool, loopback, temp_dir, transport};
use ezla::ErrorCode;
use ezla::crypto::{DigestAlgorithm, KeySpec};
use ezla::pki::TrustAnchors;
use ezla::pki::testca::TestCa;
use ezla::transport::TransportConfig;
use ezla::tsp::{ObjectIdentifier, Stamped, TokenOptions, TsaClient, verify_token};
use ezla_sim::{Mount, ServeOptions, SimRequest, SimResponse};

fn openssl(args: &[&str], dir: &Path) -> std::process::Output {
    Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl runs")
}

fn verdict(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn openssl_verifies_the_simulators_tokens() {
    if !have_tool("openssl") || !have_tool("curl") {
        return;
    }
    let dir = temp_dir("tsa-openssl-verify");
    let sim = ezla_sim::serve(&ServeOptions::new(loopback(), dir.join("state"))).expect("sim");
    let ca = dir.join("state/ca/ca.crt");
    let ca = ca.to_str().expect("utf-8 path");
    let data = b"the SignatureValue of an e-ZLA";
    std::fs::write(dir.join("data.bin"), data).expect("write");

    // ezla's client asks; openssl checks the token against the data.
    let anchors = TrustAnchors::new([sim.zus.ca().certificate().clone()]);
    let client = TsaClient::new(&sim.tsa_url, transport(TransportConfig::builder()))
        .with_policy(ezla_sim::SIM_TSA_POLICY)
        .with_options(TokenOptions::default().with_trust(Arc::new(anchors)));
    let (token, stamp) = client.stamp(data).expect("stamped by the simulator");
    assert_eq!(stamp.trust, "chain");
    assert_eq!(stamp.policy, ezla_sim::SIM_TSA_POLICY);
    std::fs::write(dir.join("token.der"), &token).expect("write");
    let out = openssl(
        &[
            "ts",
            "-verify",
            "-data",
            "data.bin",
            "-in",
            "token.der",
            "-token_in",
            "-CAfile",
            ca,
        ],
        &dir,
    );
    assert!(
        verdict(&out).contains("Verification: OK"),
        "{}",
        verdict(&out)
    );
    std::fs::write(dir.join("other.bin"), b"another value").expect("write");
    let out = openssl(
        &[
            "ts",
            "-verify",
            "-data",
            "other.bin",
            "-in",
            "token.der",
            "-token_in",
            "-CAfile",
            ca,
        ],
        &dir,
    );
    assert!(
        verdict(&out).contains("Verification: FAILED"),
        "{}",
        verdict(&out)
    );

    // openssl asks (a query with a nonce and certReq, posted by curl); openssl checks the
    // whole response against its query.
    for hash in ["-sha256", "-sha512"] {
        let out = openssl(
            &[
                "ts",
                "-query",
                "-data",
                "data.bin",
                hash,
                "-cert",
                "-out",
                "query.tsq",
            ],
            &dir,
        );
        assert!(out.status.success(), "{}", verdict(&out));
        let out = Command::new("curl")
            .args(["--silent", "--show-error", "--fail", "--max-time", "10"])
            .args(["-H", "Content-Type: application/timestamp-query"])
            .args([
                "--data-binary",
                "@query.tsq",
                "-o",
                "reply.tsr",
                &sim.tsa_url,
            ])
            .current_dir(&dir)
            .output()
            .expect("curl runs");
        assert!(out.status.success(), "{}", verdict(&out));
        let out = openssl(
            &[
                "ts",
                "-verify",
                "-queryfile",
                "query.tsq",
                "-in",
                "reply.tsr",
                "-CAfile",
                ca,
            ],
            &dir,
        );
        assert!(
            verdict(&out).contains("Verification: OK"),
            "{hash}: {}",
            verdict(&out)
        );
        let text = openssl(&["ts", "-reply", "-in", "reply.tsr", "-text"], &dir);
        let text = verdict(&text);
        assert!(text.contains("Status: Granted."), "{text}");
        assert!(text.contains("1.3.6.1.4.1.32473.3161.1"), "{text}");
    }

    // What is not a query.
    let out = Command::new("curl")
        .args([
            "--silent",
            "--max-time",
            "10",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
        ])
        .args([
            "-H",
            "Content-Type: text/plain",
            "--data-binary",
            "hello",
            &sim.tsa_url,
        ])
        .output()
        .expect("curl runs");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "415");
    sim.server.shutdown();
}

/// `openssl ts -reply` as an HTTP TSA: each POSTed query goes through it, its reply is the
/// answer (`section` of `tsa.cnf` picks the configuration).
fn openssl_tsa(dir: &Path, section: &'static str) -> Mount {
    let dir = dir.to_path_buf();
    let counter = std::sync::atomic::AtomicUsize::new(0);
    Mount::new(format!("/{section}"), move |request: &SimRequest| {
        let n = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let query = dir.join(format!("{section}-{n}.tsq"));
        let reply = dir.join(format!("{section}-{n}.tsr"));
        if std::fs::write(&query, &request.body).is_err() {
            return SimResponse::text(500, "cannot write the query");
        }
        let out = Command::new("openssl")
            .args([
                "ts",
                "-reply",
                "-config",
                "tsa.cnf",
                "-section",
                section,
                "-queryfile",
            ])
            .arg(&query)
            .arg("-out")
            .arg(&reply)
            .current_dir(&dir)
            .output();
        match (out, std::fs::read(&reply)) {
            (Ok(o), Ok(body)) if o.status.success() => {
                SimResponse::new(200, "application/timestamp-reply", body)
            }
            (o, _) => SimResponse::text(500, &format!("openssl ts -reply failed: {o:?}")),
        }
    })
}

#[test]
fn ezla_accepts_openssls_tokens_and_refuses_what_it_should() {
    if !have_tool("openssl") {
        return;
    }
    let dir = temp_dir("tsa-openssl-reply");
    let now = time::OffsetDateTime::now_utc();
    let ca =
        TestCa::generate("ezla tsa interop CA", now - time::Duration::days(1), 30).expect("ca");
    let tsa = ca
        .issue_time_stamping("openssl TSA", KeySpec::Rsa2048, 30)
        .expect("tsa identity");
    std::fs::write(dir.join("ca.pem"), ca.certificate().to_pem()).expect("write");
    std::fs::write(dir.join("tsa.pem"), tsa.certificate.to_pem()).expect("write");
    std::fs::write(
        dir.join("tsa.key"),
        ezla::pki::pem::encode("PRIVATE KEY", tsa.key.pkcs8_der()),
    )
    .expect("write");
    std::fs::write(dir.join("serial"), "01\n").expect("write");
    let mut cnf = String::new();
    for (section, ess) in [("tsa_v1", "sha1"), ("tsa_v2", "sha256")] {
        cnf.push_str(&format!(
            "[ {section} ]\n\
             serial = ./serial\n\
             crypto_device = builtin\n\
             signer_cert = ./tsa.pem\n\
             certs = ./ca.pem\n\
             signer_key = ./tsa.key\n\
             signer_digest = sha256\n\
             default_policy = 1.3.6.1.4.1.32473.3161.7\n\
             other_policies = 1.3.6.1.4.1.32473.3161.8\n\
             digests = sha256, sha384, sha512\n\
             accuracy = secs:1, millisecs:500, microsecs:100\n\
             clock_precision_digits = 3\n\
             ordering = yes\n\
             tsa_name = yes\n\
             ess_cert_id_chain = no\n\
             ess_cert_id_alg = {ess}\n\n"
        ));
    }
    std::fs::write(dir.join("tsa.cnf"), cnf).expect("write");
    let router = ezla_sim::Router::new()
        .mount(openssl_tsa(&dir, "tsa_v1"))
        .mount(openssl_tsa(&dir, "tsa_v2"));
    let server = ezla_sim::Server::new(router)
        .start(loopback())
        .expect("server");
    let trust =
        TokenOptions::default().with_trust(Arc::new(TrustAnchors::new([ca.certificate().clone()])));
    let policy: ObjectIdentifier = "1.3.6.1.4.1.32473.3161.7".parse().expect("oid");
    for section in ["tsa_v1", "tsa_v2"] {
        let url = server.url(&format!("/{section}"));
        for digest in [DigestAlgorithm::Sha256, DigestAlgorithm::Sha512] {
            let client = TsaClient::new(&url, transport(TransportConfig::builder()))
                .with_digest(digest)
                .with_options(trust.clone());
            let (token, stamp) = client
                .stamp(b"data")
                .unwrap_or_else(|e| panic!("{section}: {e}"));
            assert_eq!(stamp.trust, "chain", "{section}");
            assert_eq!(stamp.policy, policy);
            assert_eq!(stamp.digest, digest);
            assert_eq!(stamp.tsa, tsa.certificate);
            assert_eq!(
                stamp.accuracy,
                Some(time::Duration::milliseconds(1500) + time::Duration::microseconds(100))
            );
            assert!(
                (stamp.time - now).abs() < time::Duration::minutes(5),
                "{}",
                stamp.time
            );
            verify_token(&token, Stamped::Data(b"data"), &TokenOptions::default()).expect("again");
            let e = verify_token(&token, Stamped::Data(b"other"), &TokenOptions::default())
                .expect_err("other data");
            assert_eq!(e.code(), ErrorCode::TimestampMismatch);
        }
        // A policy openssl's TSA does not have: it rejects, and the error says why.
        let client = TsaClient::new(&url, transport(TransportConfig::builder()))
            .with_policy("1.3.6.1.4.1.32473.3161.9".parse().expect("oid"));
        let e = client.stamp(b"data").expect_err("unknown policy");
        assert_eq!(e.code(), ErrorCode::TimestampRejected, "{e}");
        assert!(e.to_string().contains("unacceptedPolicy"), "{e}");
        // Another policy of its: granted, and it must be the one asked for.
        let other: ObjectIdentifier = "1.3.6.1.4.1.32473.3161.8".parse().expect("oid");
        let client = TsaClient::new(&url, transport(TransportConfig::builder())).with_policy(other);
        let (_, stamp) = client.stamp(b"data").expect("other policy");
        assert_eq!(stamp.policy, other);
        // A TSA nobody told us to trust.
        let stranger =
            TestCa::generate("a stranger", now - time::Duration::days(1), 30).expect("ca");
        let client = TsaClient::new(&url, transport(TransportConfig::builder())).with_options(
            TokenOptions::default().with_trust(Arc::new(TrustAnchors::new([stranger
                .certificate()
                .clone()]))),
        );
        let e = client.stamp(b"data").expect_err("untrusted");
        assert!(
            matches!(
                e.code(),
                ErrorCode::CertificateUntrusted | ErrorCode::CertificateChainInvalid
            ),
            "{e}"
        );
    }
    server.shutdown();
}
