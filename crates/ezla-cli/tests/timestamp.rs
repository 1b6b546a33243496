//! XAdES-T and CAdES-T from the command line, against the simulator's TSA (in-process):
//! `ezla sign --tsa`, `ezla cms sign --tsa` and `ezla timestamp add` add a signature
//! time-stamp; `ezla verify` and `ezla cms verify` check it and, with `--tsa-trust`, report
//! the TSA trusted; xmlsec1 and openssl still verify the stamped signatures (the signed bytes
//! are untouched).

mod common;

use std::path::Path;
use std::process::Output;

use serde_json::Value;

const ENV: &[(&str, &str)] = &[("EZLA_PFX_PASSWORD", "cli-test-password")];

fn ezla(dir: &Path, args: &[&str]) -> Output {
    common::run(dir, args, ENV)
}

fn ok(dir: &Path, args: &[&str]) -> String {
    common::ok(dir, args, ENV)
}

fn json(out: &str) -> Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

const KEDU: &str = r#"<KEDU xmlns="http://www.zus.pl/2015/KED_ZLA_1"><ZUSZLA id_dokumentu="3"><II><p1>68071892605</p1></II></ZUSZLA></KEDU>"#;

#[test]
fn signatures_are_time_stamped_at_signing_and_later() {
    let dir = common::scratch("ezla-cli-timestamp", "sim");
    let state = dir.join("sim");
    let sim = ezla_sim::serve(&ezla_sim::ServeOptions::new(
        "127.0.0.1:0".parse().expect("addr"),
        &state,
    ))
    .expect("simulator");
    let tsa_ca = state.join("ca/ca.crt");
    let tsa_ca = tsa_ca.to_str().expect("path");
    common::test_doctor(&dir, "doctor.pfx", "p256", &[], ENV);
    std::fs::write(dir.join("zla.xml"), KEDU).expect("write");
    std::fs::write(dir.join("zla.pdf"), b"%PDF-1.7 printout").expect("write");
    let pfx = ["--pfx", "doctor.pfx", "--password-env", "EZLA_PFX_PASSWORD"];

    // XAdES-T at signing.
    let mut args = vec!["sign", "zla.xml", "-o", "zla-t.xml"];
    args.extend(pfx);
    args.extend(["--tsa", &sim.tsa_url, "--tsa-trust", tsa_ca]);
    ok(&dir, &args);
    let signed = std::fs::read_to_string(dir.join("zla-t.xml")).expect("read");
    assert!(signed.contains("SignatureTimeStamp"), "{signed}");
    let v = json(&ok(
        &dir,
        &[
            "verify",
            "zla-t.xml",
            "--trust",
            "ca/ca.crt",
            "--tsa-trust",
            tsa_ca,
            "--json",
        ],
    ));
    let report = &v["signatures"][0];
    assert_eq!(report["timestamps"][0]["trust"], "chain", "{v}");
    assert_eq!(report["judged_at"], report["timestamps"][0]["time"], "{v}");
    let text = ok(&dir, &["verify", "zla-t.xml", "--trust", "ca/ca.crt"]);
    assert!(
        text.contains("time-stamp:") && text.contains("TSA untrusted"),
        "{text}"
    );

    // XAdES-T added later.
    let mut args = vec!["sign", "zla.xml", "-o", "zla.xml.signed"];
    args.extend(pfx);
    ok(&dir, &args);
    let v = json(&ok(
        &dir,
        &[
            "timestamp",
            "add",
            "zla.xml.signed",
            "-o",
            "later.xml",
            "--tsa",
            &sim.tsa_url,
            "--json",
        ],
    ));
    assert_eq!(v["kind"], "XAdES-T", "{v}");
    let bes = std::fs::read_to_string(dir.join("zla.xml.signed")).expect("read");
    let t = std::fs::read_to_string(dir.join("later.xml")).expect("read");
    let (a, b) = (
        t.find("<xades:UnsignedProperties>").expect("added"),
        t.find("</xades:UnsignedProperties>").expect("closed"),
    );
    assert_eq!(
        format!(
            "{}{}",
            &t[..a],
            &t[b + "</xades:UnsignedProperties>".len()..]
        ),
        bes
    );
    if let Some(out) = common::tool(
        &dir,
        "xmlsec1",
        &[
            "--verify",
            "--trusted-pem",
            "ca/ca.crt",
            "--id-attr:Id",
            "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
            "later.xml",
        ],
    ) {
        assert!(
            out.status.success(),
            "xmlsec1: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    // CAdES-T at signing, and later.
    let mut args = vec!["cms", "sign", "zla.pdf", "-o", "zla-t.p7s", "--detached"];
    args.extend(pfx);
    args.extend(["--tsa", &sim.tsa_url]);
    ok(&dir, &args);
    let v = json(&ok(
        &dir,
        &[
            "cms",
            "verify",
            "zla-t.p7s",
            "--content",
            "zla.pdf",
            "--trust",
            "ca/ca.crt",
            "--tsa-trust",
            tsa_ca,
            "--json",
        ],
    ));
    assert_eq!(v["timestamps"].as_array().map(Vec::len), Some(1), "{v}");
    assert_eq!(v["timestamps"][0]["trust"], "chain", "{v}");
    let mut args = vec!["cms", "sign", "zla.pdf", "-o", "zla.p7s"];
    args.extend(pfx);
    ok(&dir, &args);
    let v = json(&ok(
        &dir,
        &[
            "timestamp",
            "add",
            "zla.p7s",
            "-o",
            "later.p7s",
            "--tsa",
            &sim.tsa_url,
            "--json",
        ],
    ));
    assert_eq!(v["kind"], "CAdES-T", "{v}");
    if let Some(out) = common::tool(
        &dir,
        "openssl",
        &[
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-in",
            "later.p7s",
            "-CAfile",
            "ca/ca.crt",
            "-purpose",
            "any",
            "-out",
            "content.out",
        ],
    ) {
        assert!(
            out.status.success(),
            "openssl: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            std::fs::read(dir.join("content.out")).expect("read"),
            b"%PDF-1.7 printout"
        );
    }

    // Refusals: a policy the TSA does not have (1), no --tsa (64), garbage (3), an existing
    // output (64).
    let out = ezla(
        &dir,
        &[
            "timestamp",
            "add",
            "zla.p7s",
            "-o",
            "x.p7s",
            "--tsa",
            &sim.tsa_url,
            "--tsa-policy",
            "1.2.3.4",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("unacceptedPolicy"));
    let out = ezla(&dir, &["timestamp", "add", "zla.p7s", "-o", "y.p7s"]);
    assert_eq!(
        out.status.code(),
        Some(64),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(dir.join("garbage.p7s"), b"\x30\x03\x02\x01").expect("write");
    let out = ezla(
        &dir,
        &[
            "timestamp",
            "add",
            "garbage.p7s",
            "-o",
            "z.p7s",
            "--tsa",
            &sim.tsa_url,
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = ezla(
        &dir,
        &[
            "timestamp",
            "add",
            "zla.p7s",
            "-o",
            "later.p7s",
            "--tsa",
            &sim.tsa_url,
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(64),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    sim.server.shutdown();
}
