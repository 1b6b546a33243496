//! `ezla sign` on a PKCS#11 token and `ezla token list`, on SoftHSM2 tokens made by
//! `tests/tools/softhsm-tokens.sh` (skipped with a notice when SoftHSM2, pkcs11-tool or
//! openssl is missing, unless `EZLA_REQUIRE_TOOLS` is set); batch signing into `-o DIR`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const MODULE: &str = "/usr/lib/softhsm/libsofthsm2.so";

const KEDU: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<KEDU xmlns="http://www.zus.pl/2015/KED_ZLA_1" wersja_schematu="1"><ZUSZLA id_dokumentu="1" kolejnosc="0"><II><p1>68071892605</p1></II></ZUSZLA></KEDU>
"#;

fn have(tool: &str) -> bool {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("EZLA_REQUIRE_TOOLS").is_none(),
            "{tool} is required (EZLA_REQUIRE_TOOLS is set)"
        );
        println!("NOTICE: {tool} not on PATH; skipping");
    }
    found
}

/// Fresh SoftHSM2 tokens in a scratch directory, or `None` when the tools are missing.
fn tokens(name: &str) -> Option<PathBuf> {
    if !["softhsm2-util", "pkcs11-tool", "openssl"]
        .iter()
        .all(|t| have(t))
    {
        return None;
    }
    if !Path::new(MODULE).exists() {
        assert!(
            std::env::var_os("EZLA_REQUIRE_TOOLS").is_none(),
            "{MODULE} is required (EZLA_REQUIRE_TOOLS is set)"
        );
        println!("NOTICE: {MODULE} not found; skipping");
        return None;
    }
    let dir = common::scratch("ezla-cli-token", name);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/tools/softhsm-tokens.sh");
    let out = Command::new("bash")
        .arg(script)
        .arg(&dir)
        .output()
        .expect("run the token script");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(dir)
}

fn ezla(dir: &Path, args: &[&str]) -> Output {
    let conf = dir.join("softhsm2.conf").display().to_string();
    common::run(
        dir,
        args,
        &[
            ("SOFTHSM2_CONF", conf.as_str()),
            ("EZLA_PIN", "1234"),
            ("EZLA_BAD_PIN", "0000"),
        ],
    )
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(o)))
}

const TOKEN: &[&str] = &["--pkcs11-module", MODULE, "--token", "ezla-test"];

#[test]
fn token_list_shows_keys_and_certificate_expiry() {
    let Some(dir) = tokens("list") else { return };
    let out = ezla(&dir, &["token", "list", "--pkcs11-module", MODULE]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("token \"ezla-test\"") && text.contains("token \"ezla-gone\""),
        "{text}"
    );
    assert!(
        text.contains("certificate") && text.contains("valid"),
        "{text}"
    );
    assert!(
        !text.contains("  private key  "),
        "no login, no private keys: {text}"
    );
    let out = ezla(
        &dir,
        &[
            "token",
            "list",
            "--pkcs11-module",
            MODULE,
            "--token",
            "ezla-test",
            "--pin-env",
            "EZLA_PIN",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    let tokens = v["tokens"].as_array().expect("tokens");
    assert_eq!(tokens.len(), 1);
    let objects = tokens[0]["objects"].as_array().expect("objects");
    let keys: Vec<&Value> = objects
        .iter()
        .filter(|o| o["kind"] == "private key")
        .collect();
    assert_eq!(keys.len(), 4, "{v}");
    assert!(
        keys.iter()
            .any(|k| k["label"] == "aa" && k["always_authenticate"] == true)
    );
    assert!(
        keys.iter()
            .any(|k| k["label"] == "ec" && k["key"]["curve"] == "P-256"),
        "{v}"
    );
    let cert = objects
        .iter()
        .find(|o| o["kind"] == "certificate" && o["label"] == "rsa")
        .expect("rsa certificate");
    assert_eq!(cert["certificate"]["status"], "valid");
    assert!(
        cert["certificate"]["days_left"]
            .as_i64()
            .is_some_and(|d| d > 25)
    );
    assert_eq!(v["exit_status"], 0);

    // Errors: a wrong PIN, a file that is not a module, a token that is not there.
    let out = ezla(
        &dir,
        &[
            "token",
            "list",
            "--pkcs11-module",
            MODULE,
            "--pin-env",
            "EZLA_BAD_PIN",
        ],
    );
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("(code 224)"), "{}", stderr(&out));
    let out = ezla(
        &dir,
        &["token", "list", "--pkcs11-module", "/bin/ls", "--json"],
    );
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(json(&out)["error"]["name"], "Pkcs11ModuleInvalid");
    let out = ezla(
        &dir,
        &[
            "token",
            "list",
            "--pkcs11-module",
            MODULE,
            "--token",
            "nope",
        ],
    );
    assert!(stderr(&out).contains("(code 221)"), "{}", stderr(&out));
}

#[test]
fn sign_on_the_token_one_document_and_a_batch() {
    let Some(dir) = tokens("sign") else { return };
    std::fs::write(dir.join("zla.xml"), KEDU).expect("write");
    for key in ["rsa", "ec", "id:02"] {
        let out_name = format!("zla-{}.signed.xml", key.replace(':', "-"));
        let mut args = vec!["sign", "zla.xml", "-o", &out_name];
        args.extend_from_slice(TOKEN);
        args.extend_from_slice(&["--key", key, "--pin-env", "EZLA_PIN"]);
        let out = ezla(&dir, &args);
        assert_eq!(out.status.code(), Some(0), "{key}: {}", stderr(&out));
        let out = ezla(&dir, &["verify", &out_name]);
        assert_eq!(out.status.code(), Some(0), "{key}: {}", stdout(&out));
        if have("xmlsec1") {
            let cert = if key == "rsa" {
                "rsa.crt.pem"
            } else {
                "ec.crt.pem"
            };
            let out = Command::new("xmlsec1")
                .args([
                    "--verify",
                    "--pubkey-cert-pem",
                    cert,
                    "--id-attr:Id",
                    "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
                    &out_name,
                ])
                .current_dir(&dir)
                .output()
                .expect("xmlsec1");
            assert!(
                out.status.success(),
                "xmlsec1 rejects {out_name}: {}",
                stderr(&out)
            );
        }
    }

    // A batch of twelve into a directory, on two threads; one input malformed.
    let mut inputs = Vec::new();
    for i in 0..12 {
        let name = format!("doc{i:02}.xml");
        let body = if i == 5 {
            "<KEDU>".to_string()
        } else {
            KEDU.replace("id_dokumentu=\"1\"", &format!("id_dokumentu=\"{i}\""))
        };
        std::fs::write(dir.join(&name), body).expect("write");
        inputs.push(name);
    }
    let mut args: Vec<&str> = vec!["sign"];
    args.extend(inputs.iter().map(String::as_str));
    args.extend_from_slice(&[
        "-o",
        "signed",
        "-j",
        "2",
        "--json",
        "--key",
        "rsa",
        "--pin-env",
        "EZLA_PIN",
    ]);
    args.extend_from_slice(TOKEN);
    let out = ezla(&dir, &args);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["signed"], 11, "{v}");
    assert_eq!(v["failed"], 1);
    let documents = v["documents"].as_array().expect("documents");
    for (i, d) in documents.iter().enumerate() {
        assert_eq!(d["input"], inputs[i], "input order kept");
        if i == 5 {
            assert_eq!(d["error"]["name"], "XmlMalformed", "{d}");
        } else {
            let out = ezla(&dir, &["verify", d["output"].as_str().expect("output")]);
            assert_eq!(out.status.code(), Some(0), "{d}");
        }
    }
    assert!(
        stderr(&out).contains("error: doc05.xml"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.join("signed/doc05.xml").exists());

    // Errors: a wrong PIN, a key without a certificate, no PIN source and no terminal,
    // --pfx together with --pkcs11-module.
    let mut args = vec![
        "sign",
        "zla.xml",
        "-o",
        "x.xml",
        "--key",
        "rsa",
        "--pin-env",
        "EZLA_BAD_PIN",
    ];
    args.extend_from_slice(TOKEN);
    let out = ezla(&dir, &args);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("(code 224)"), "{}", stderr(&out));
    let mut args = vec![
        "sign",
        "zla.xml",
        "-o",
        "x.xml",
        "--key",
        "nocert",
        "--pin-env",
        "EZLA_PIN",
    ];
    args.extend_from_slice(TOKEN);
    let out = ezla(&dir, &args);
    assert!(stderr(&out).contains("(code 223)"), "{}", stderr(&out));
    let mut args = vec!["sign", "zla.xml", "-o", "x.xml", "--key", "rsa"];
    args.extend_from_slice(TOKEN);
    let out = ezla(&dir, &args);
    assert_eq!(out.status.code(), Some(64), "{}", stderr(&out));
    let mut args = vec![
        "sign", "zla.xml", "-o", "x.xml", "--key", "rsa", "--pfx", "d.pfx",
    ];
    args.extend_from_slice(TOKEN);
    assert_eq!(ezla(&dir, &args).status.code(), Some(64));
    assert!(!dir.join("x.xml").exists());
}

#[test]
fn cms_sign_on_the_token_takes_the_same_key_options() {
    let Some(dir) = tokens("cms") else { return };
    std::fs::write(dir.join("scan.pdf"), b"%PDF-1.7 a scan".repeat(1000)).expect("write");
    for key in ["rsa", "ec"] {
        let out_name = format!("scan-{key}.p7s");
        let mut args = vec!["cms", "sign", "scan.pdf", "-o", &out_name, "--detached"];
        args.extend_from_slice(TOKEN);
        args.extend_from_slice(&["--key", key, "--pin-env", "EZLA_PIN"]);
        let out = ezla(&dir, &args);
        assert_eq!(out.status.code(), Some(0), "{key}: {}", stderr(&out));
        // The certificate on the token is self-signed: it is its own trust anchor.
        let cert = format!("{key}.crt.pem");
        let out = ezla(
            &dir,
            &[
                "cms",
                "verify",
                &out_name,
                "--content",
                "scan.pdf",
                "--trust",
                &cert,
                "--json",
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{key}: {}", stdout(&out));
        assert_eq!(json(&out)["trust"], "chain");
        let out = Command::new("openssl")
            .args([
                "cms",
                "-verify",
                "-binary",
                "-inform",
                "DER",
                "-in",
                &out_name,
                "-content",
                "scan.pdf",
                "-CAfile",
                &cert,
                "-purpose",
                "any",
                "-out",
                "/dev/null",
            ])
            .current_dir(&dir)
            .output()
            .expect("openssl");
        assert!(
            out.status.success(),
            "openssl rejects {out_name}: {}",
            stderr(&out)
        );
    }
    // A wrong PIN: the job could not be done (3), the token's error named.
    let mut args = vec!["cms", "sign", "scan.pdf", "-o", "x.p7s"];
    args.extend_from_slice(TOKEN);
    args.extend_from_slice(&["--key", "rsa", "--pin-env", "EZLA_BAD_PIN"]);
    let out = ezla(&dir, &args);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("(code 224)"), "{}", stderr(&out));
}
