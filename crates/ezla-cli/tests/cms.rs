//! `ezla cms sign` and `ezla cms verify` end to end: openssl (`cms -verify -binary -CAfile`)
//! accepts what the command signs, attached and detached, DER and PEM, EC and RSA; the
//! command accepts what `openssl cms -sign -binary` signs; and the exit statuses of `ezla
//! verify` — 0 valid, 1 invalid (tampered content, garbage), 3 a file that cannot be read,
//! 64 usage (an existing output without `--force`).

mod common;

use std::path::Path;
use std::process::Output;

use serde_json::Value;

const PASSWORD: &str = "haslo lekarza";
const ENV: &[(&str, &str)] = &[("EZLA_PFX_PASSWORD", PASSWORD)];

fn ezla(dir: &Path, args: &[&str]) -> Output {
    common::run(dir, args, ENV)
}

fn ok(dir: &Path, args: &[&str]) -> String {
    common::ok(dir, args, ENV)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out).unwrap_or_else(|e| panic!("not JSON ({e}): {}", text(out)))
}

/// `ezla cms sign INPUT -o OUT` with the doctor's .pfx and `extra` options.
fn sign(dir: &Path, pfx: &str, input: &str, out: &str, extra: &[&str]) -> String {
    let mut args = vec![
        "cms",
        "sign",
        input,
        "-o",
        out,
        "--pfx",
        pfx,
        "--password-env",
        "EZLA_PFX_PASSWORD",
    ];
    args.extend_from_slice(extra);
    ok(dir, &args)
}

/// openssl's verdict on a signature, with the CA as its only trust: `Some(())` when it
/// verified (the content it verified in `verified.out`), a panic with its message when it
/// did not, `None` without openssl.
fn openssl_verify(dir: &Path, sig: &str, pem: bool, content: Option<&str>) -> Option<()> {
    let mut args = vec![
        "cms",
        "-verify",
        "-binary",
        "-inform",
        if pem { "PEM" } else { "DER" },
        "-in",
        sig,
        "-CAfile",
        "ca/ca.crt",
        "-out",
        "verified.out",
    ];
    if let Some(c) = content {
        args.extend_from_slice(&["-content", c]);
    }
    let out = common::tool(dir, "openssl", &args)?;
    assert!(
        out.status.success() && text(&out.stderr).contains("Verification successful"),
        "openssl cms -verify {sig}: {}",
        text(&out.stderr)
    );
    Some(())
}

#[test]
fn openssl_accepts_what_cms_sign_writes_attached_and_detached_der_and_pem() {
    let dir = common::scratch("ezla-cli-cms", "openssl-accepts");
    common::test_doctor(&dir, "ec.pfx", "p256", &[], ENV);
    common::test_doctor(&dir, "rsa.pfx", "rsa2048", &[], ENV);
    let content = b"%PDF-1.7\n e-ZLA printout \x00\xff binary\r\n".repeat(100);
    std::fs::write(dir.join("zla.pdf"), &content).expect("write");
    for pfx in ["ec.pfx", "rsa.pfx"] {
        for (detached, pem, digest) in [
            (false, false, "sha256"),
            (false, true, "sha384"),
            (true, false, "sha512"),
            (true, true, "sha256"),
        ] {
            let out = format!("{pfx}-{detached}-{pem}-{digest}.p7s");
            let mut extra = vec!["--digest", digest, "--json"];
            if detached {
                extra.push("--detached");
            }
            if pem {
                extra.push("--pem");
            }
            let v: Value = serde_json::from_str(&sign(&dir, pfx, "zla.pdf", &out, &extra))
                .expect("sign --json");
            assert_eq!(v["detached"], detached, "{v}");
            assert_eq!(v["format"], if pem { "PEM" } else { "DER" }, "{v}");
            assert_eq!(v["pesel"], "44051401359", "{v}");
            assert_eq!(v["content_bytes"], content.len(), "{v}");
            let written = std::fs::read(dir.join(&out)).expect("signature");
            assert_eq!(v["bytes"], written.len());
            assert_eq!(written.starts_with(b"-----BEGIN CMS-----"), pem, "{out}");
            // Attached signatures carry the content, detached ones do not.
            let carries = written
                .windows(content.len())
                .any(|w| w == content.as_slice());
            assert_eq!(carries, !detached && !pem, "{out}");

            if openssl_verify(&dir, &out, pem, detached.then_some("zla.pdf")).is_some() {
                let verified = std::fs::read(dir.join("verified.out")).expect("openssl's output");
                assert_eq!(verified, content, "{out}: openssl's content");
            }
            // And ezla verifies it too, against the CA.
            let mut args = vec!["cms", "verify", out.as_str(), "--trust", "ca/ca.crt"];
            if detached {
                args.extend_from_slice(&["--content", "zla.pdf"]);
            }
            let report = ok(&dir, &args);
            assert!(report.starts_with("VALID CMS signature\n"), "{report}");
            assert!(report.contains("PESEL:       44051401359"), "{report}");
            let algorithm = match (pfx, digest) {
                ("ec.pfx", d) => format!("ECDSA-{}", d.to_uppercase()),
                (_, d) => format!("RSA-{}", d.to_uppercase()),
            };
            assert!(
                report.contains(&format!("algorithm:   {algorithm}")),
                "{report}"
            );
            assert!(
                report.contains(if detached {
                    "content:     detached: zla.pdf"
                } else {
                    "content:     attached"
                }),
                "{report}"
            );
        }
    }
}

#[test]
fn a_large_file_signs_detached_from_a_stream() {
    let dir = common::scratch("ezla-cli-cms", "large");
    common::test_doctor(&dir, "ec.pfx", "p256", &[], ENV);
    // Larger than what the commands read whole (16 MiB): only a stream gets through.
    let chunk: Vec<u8> = (0..=255u8).cycle().take(1 << 20).collect();
    let large = chunk.repeat(20);
    std::fs::write(dir.join("scan.bin"), &large).expect("write");
    let v: Value = serde_json::from_str(&sign(
        &dir,
        "ec.pfx",
        "scan.bin",
        "scan.p7s",
        &["--detached", "--json"],
    ))
    .expect("json");
    assert_eq!(v["content_bytes"], large.len());
    assert!(
        std::fs::metadata(dir.join("scan.p7s")).expect("p7s").len() < 4096,
        "a detached signature stays small"
    );
    openssl_verify(&dir, "scan.p7s", false, Some("scan.bin"));
    // The same file through standard input.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ezla"))
        .args([
            "cms",
            "sign",
            "-",
            "-o",
            "stdin.p7s",
            "--detached",
            "--pfx",
            "ec.pfx",
            "--password-env",
            "EZLA_PFX_PASSWORD",
        ])
        .current_dir(&dir)
        .env("EZLA_PFX_PASSWORD", PASSWORD)
        .stdin(std::fs::File::open(dir.join("scan.bin")).expect("open"))
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", text(&out.stderr));
    openssl_verify(&dir, "stdin.p7s", false, Some("scan.bin"));

    // Past what is ever read whole (256 MiB): attached is refused, detached streams, and its
    // peak memory stays far below the file's size (GNU time's maximum resident set, in KiB).
    let huge = std::fs::File::create(dir.join("huge.bin")).expect("create");
    huge.set_len(300 << 20).expect("a sparse 300 MiB file");
    drop(huge);
    let key = ["--pfx", "ec.pfx", "--password-env", "EZLA_PFX_PASSWORD"];
    let mut attached = vec!["cms", "sign", "huge.bin", "-o", "huge-attached.p7s"];
    attached.extend_from_slice(&key);
    let out = ezla(&dir, &attached);
    assert_eq!(out.status.code(), Some(64), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("--detached"),
        "{}",
        text(&out.stderr)
    );
    let mut args = vec![
        "-f",
        "max-rss-kib=%M",
        env!("CARGO_BIN_EXE_ezla"),
        "cms",
        "sign",
        "huge.bin",
        "-o",
        "huge.p7s",
        "--detached",
    ];
    args.extend_from_slice(&key);
    let measured = std::process::Command::new("/usr/bin/time")
        .args(&args)
        .current_dir(&dir)
        .env("EZLA_PFX_PASSWORD", PASSWORD)
        .output();
    match measured {
        Ok(out) => {
            let stderr = text(&out.stderr);
            assert!(out.status.success(), "{stderr}");
            let kib: u64 = stderr
                .lines()
                .find_map(|l| l.strip_prefix("max-rss-kib="))
                .and_then(|n| n.trim().parse().ok())
                .unwrap_or_else(|| panic!("no max-rss-kib in {stderr}"));
            println!("signing 300 MiB detached: max RSS {kib} KiB");
            assert!(kib < 64 << 10, "signing 300 MiB detached used {kib} KiB");
        }
        Err(_) if std::env::var_os("EZLA_REQUIRE_TOOLS").is_none() => {
            println!("NOTICE: /usr/bin/time not found; the memory bound is not measured");
            let mut args = vec!["cms", "sign", "huge.bin", "-o", "huge.p7s", "--detached"];
            args.extend_from_slice(&key);
            ok(&dir, &args);
        }
        Err(e) => panic!("/usr/bin/time is required (EZLA_REQUIRE_TOOLS is set): {e}"),
    }
    // The signature is over the whole file (openssl hashes it again).
    openssl_verify(&dir, "huge.p7s", false, Some("huge.bin"));
    for big in ["huge.bin", "verified.out"] {
        let _ = std::fs::remove_file(dir.join(big));
    }
}

#[test]
fn cms_verify_accepts_what_openssl_signs() {
    let dir = common::scratch("ezla-cli-cms", "openssl-signs");
    common::test_doctor(&dir, "rsa.pfx", "rsa2048", &[], ENV);
    // The key and certificate out of the .pfx, for openssl to sign with.
    let passin = format!("pass:{PASSWORD}");
    let Some(o) = common::tool(
        &dir,
        "openssl",
        &[
            "pkcs12", "-in", "rsa.pfx", "-passin", &passin, "-nodes", "-out", "rsa.pem",
        ],
    ) else {
        return;
    };
    assert!(o.status.success(), "openssl pkcs12: {}", text(&o.stderr));
    std::fs::write(dir.join("doc.txt"), b"a document\r\nwith CRLF\r\n").expect("write");
    for (name, extra) in [
        ("attached.p7s", &["-nodetach"][..]),
        ("detached.p7s", &[][..]),
        ("cades.p7s", &["-nodetach", "-cades"][..]),
    ] {
        let mut args = vec![
            "cms", "-sign", "-binary", "-in", "doc.txt", "-signer", "rsa.pem", "-outform", "DER",
            "-out", name,
        ];
        args.extend_from_slice(extra);
        let o = common::tool(&dir, "openssl", &args).expect("openssl ran before");
        assert!(o.status.success(), "openssl cms -sign: {}", text(&o.stderr));
        let mut verify = vec!["cms", "verify", name, "--trust", "ca/ca.crt", "--json"];
        if name == "detached.p7s" {
            verify.extend_from_slice(&["--content", "doc.txt"]);
        }
        let v = json(ok(&dir, &verify).as_bytes());
        assert_eq!(v["valid"], true, "{name}: {v}");
        assert_eq!(v["trust"], "chain", "{name}: {v}");
        assert_eq!(v["pesel"], "44051401359", "{name}: {v}");
        assert_eq!(v["attached"], name != "detached.p7s", "{name}: {v}");
        assert_eq!(v["content_bytes"], 23, "{name}: {v}");
        // openssl writes the ESS binding only with -cades.
        assert_eq!(v["ess_binding"], name == "cades.p7s", "{name}: {v}");
        assert!(
            v["signer"]["subject"]
                .as_str()
                .is_some_and(|s| s.contains("PNOPL-44051401359")),
            "{name}: {v}"
        );
    }
    // A detached signature without its content cannot be judged: invalid, with the reason.
    let out = ezla(&dir, &["cms", "verify", "detached.p7s"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("the signed content must be given (code 407)"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn cms_verify_exit_statuses_and_json() {
    let dir = common::scratch("ezla-cli-cms", "verdicts");
    common::test_doctor(&dir, "ec.pfx", "p256", &[], ENV);
    std::fs::write(dir.join("a.txt"), b"the original text").expect("write");
    std::fs::write(dir.join("b.txt"), b"the original text!").expect("write");
    sign(&dir, "ec.pfx", "a.txt", "a.p7s", &[]);
    sign(&dir, "ec.pfx", "a.txt", "d.p7s", &["--detached", "--pem"]);

    // Valid, as JSON.
    let v = json(ok(&dir, &["cms", "verify", "a.p7s", "--json"]).as_bytes());
    assert_eq!(v["valid"], true);
    assert_eq!(v["trust"], "untrusted");
    assert_eq!(v["attached"], true);
    assert_eq!(v["ess_binding"], true);
    assert_eq!(v["digest"], "SHA-256");
    assert_eq!(v["algorithm"], "ECDSA-SHA256");
    assert_eq!(v["content_bytes"], 17);
    assert_eq!(v["pesel"], "44051401359");
    assert_eq!(v["signer"]["pesel"], "44051401359");
    assert!(
        v["signing_time"].as_str().is_some_and(|t| t.ends_with('Z')),
        "{v}"
    );
    let untrusted = ok(&dir, &["cms", "verify", "a.p7s"]);
    assert!(
        untrusted.starts_with("VALID CMS signature by an UNTRUSTED signer"),
        "{untrusted}"
    );

    // Other content than the signed one: invalid (1), the digest mismatch named.
    for args in [
        &["cms", "verify", "d.p7s", "--content", "b.txt"][..],
        &["cms", "verify", "a.p7s", "--content", "b.txt"][..],
    ] {
        let out = ezla(&dir, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let stdout = text(&out.stdout);
        assert!(stdout.starts_with("INVALID: "), "{stdout}");
        assert!(stdout.contains("(code 401)"), "{stdout}");
        let mut with_json = args.to_vec();
        with_json.push("--json");
        let out = ezla(&dir, &with_json);
        assert_eq!(out.status.code(), Some(1));
        let v = json(&out.stdout);
        assert_eq!(v["valid"], false);
        assert_eq!(v["error"]["code"], 401);
        assert_eq!(v["error"]["name"], "DigestMismatch");
    }
    // A byte of the carried content changed.
    let mut der = std::fs::read(dir.join("a.p7s")).expect("read");
    let at = der
        .windows(17)
        .position(|w| w == b"the original text")
        .expect("content carried");
    der[at] ^= 0x20;
    std::fs::write(dir.join("tampered.p7s"), &der).expect("write");
    let out = ezla(&dir, &["cms", "verify", "tampered.p7s"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("(code 401)"),
        "{}",
        text(&out.stdout)
    );

    // Trust anchors that did not issue the certificate.
    ok(&dir, &["cert", "test-ca", "--out", "other-ca"]);
    let out = ezla(
        &dir,
        &["cms", "verify", "a.p7s", "--trust", "other-ca/ca.crt"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    // Judged long after the certificate expired.
    let out = ezla(
        &dir,
        &[
            "cms",
            "verify",
            "a.p7s",
            "--trust",
            "ca/ca.crt",
            "--at",
            "2099-01-01",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("(code 300)"),
        "{}",
        text(&out.stdout)
    );

    // Garbage is read, and is no signature: invalid (1), as `ezla verify` says of garbage.
    std::fs::write(dir.join("garbage.p7s"), b"\x30\x80 not a signature").expect("write");
    let out = ezla(&dir, &["cms", "verify", "garbage.p7s", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out.stdout)["error"]["name"], "DerMalformed");
    std::fs::write(
        dir.join("bad.pem"),
        b"-----BEGIN CMS-----\n!!!\n-----END CMS-----\n",
    )
    .expect("write");
    let out = ezla(&dir, &["cms", "verify", "bad.pem"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).starts_with("INVALID: "),
        "{}",
        text(&out.stdout)
    );

    // What cannot be read stops the command (3), with the error also as JSON.
    let out = ezla(&dir, &["cms", "verify", "missing.p7s", "--json"]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(json(&out.stdout)["error"]["name"], "Io");
    let out = ezla(
        &dir,
        &["cms", "verify", "d.p7s", "--content", "missing.txt"],
    );
    assert_eq!(out.status.code(), Some(3));
    let out = ezla(&dir, &["cms", "verify", "a.p7s", "--trust", "missing.pem"]);
    assert_eq!(out.status.code(), Some(3));

    // An existing output is not overwritten without --force (usage, 64).
    let before = std::fs::read(dir.join("a.p7s")).expect("read");
    let out = ezla(
        &dir,
        &[
            "cms",
            "sign",
            "b.txt",
            "-o",
            "a.p7s",
            "--pfx",
            "ec.pfx",
            "--password-env",
            "EZLA_PFX_PASSWORD",
        ],
    );
    assert_eq!(out.status.code(), Some(64));
    assert!(
        text(&out.stderr).contains("--force"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(std::fs::read(dir.join("a.p7s")).expect("read"), before);
    sign(&dir, "ec.pfx", "b.txt", "a.p7s", &["--force"]);
    ok(&dir, &["cms", "verify", "a.p7s", "--content", "b.txt"]);
    // A certificate not valid at the signing time is refused (3), unless asked for.
    let expired = [
        "cms",
        "sign",
        "a.txt",
        "-o",
        "old.p7s",
        "--pfx",
        "ec.pfx",
        "--password-env",
        "EZLA_PFX_PASSWORD",
        "--signing-time",
        "2099-01-01",
    ];
    let out = ezla(&dir, &expired);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        text(&out.stderr).contains("(code 300)"),
        "{}",
        text(&out.stderr)
    );
    assert!(!dir.join("old.p7s").exists());
    let mut allowed = expired.to_vec();
    allowed.push("--allow-invalid-certificate");
    ok(&dir, &allowed);
    // A signing time in the future (and outside the certificate) is refused on
    // verification, trust or not (1, SigningTimeInvalid).
    let out = ezla(&dir, &["cms", "verify", "old.p7s", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out.stdout);
    assert_eq!(v["error"]["name"], "SigningTimeInvalid", "{v}");
    // Neither --pfx nor --pkcs11-module: usage.
    let out = ezla(&dir, &["cms", "sign", "a.txt", "-o", "x.p7s"]);
    assert_eq!(out.status.code(), Some(64));
    // A wrong password: the job could not be done (3).
    let out = common::run(
        &dir,
        &[
            "cms",
            "sign",
            "a.txt",
            "-o",
            "x.p7s",
            "--pfx",
            "ec.pfx",
            "--password-env",
            "WRONG",
        ],
        &[("WRONG", "not the password")],
    );
    assert_eq!(out.status.code(), Some(3));
    assert!(
        text(&out.stderr).contains("(code 200)"),
        "{}",
        text(&out.stderr)
    );
}
