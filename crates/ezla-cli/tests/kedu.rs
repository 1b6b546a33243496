//! `ezla kedu new` and `ezla kedu check` end to end: files written, problems listed, exit
//! statuses, JSON output.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

const TODAY: &str = "2026-12-01";

fn scratch(name: &str) -> PathBuf {
    common::scratch("ezla-cli-kedu", name)
}

fn ezla(dir: &Path, args: &[&str]) -> Output {
    common::run(dir, args, &[])
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// The example shipped with the CLI.
fn example() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/zla.json");
    std::fs::read_to_string(&path).expect("examples/zla.json")
}

#[test]
fn new_writes_the_pair_and_check_accepts_both() {
    let dir = scratch("new");
    std::fs::write(dir.join("zla.json"), example()).expect("write input");
    let o = ezla(
        &dir,
        &["kedu", "new", "zla.json", "-o", "docs", "--today", TODAY],
    );
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    assert!(
        out(&o).contains("ORYGINAŁ: docs/zla.oryginal.xml"),
        "{}",
        out(&o)
    );
    let oryginal = std::fs::read_to_string(dir.join("docs/zla.oryginal.xml")).expect("ORYGINAŁ");
    let kopia = std::fs::read_to_string(dir.join("docs/zla.kopia.xml")).expect("KOPIA");
    assert!(oryginal.contains("<p8>J06</p8>") && oryginal.contains("<p2>ORYGINAŁ</p2>"));
    assert!(!kopia.contains("J06") && kopia.contains("<p2>KOPIA</p2>"));
    assert!(oryginal.contains("<producent>ezla</producent>"));

    for (file, wariant) in [
        ("docs/zla.oryginal.xml", "oryginal"),
        ("docs/zla.kopia.xml", "kopia"),
    ] {
        let o = ezla(&dir, &["kedu", "check", file, "--today", TODAY]);
        assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
        assert!(
            out(&o).contains("valid: 0 error(s), 0 warning(s)"),
            "{}",
            out(&o)
        );
        let o = ezla(&dir, &["kedu", "check", file, "--today", TODAY, "--json"]);
        let v = json(&out(&o));
        assert_eq!(v["wariant"], wariant);
        assert_eq!(v["valid"], true);
        assert_eq!(v["exit_status"], 0);
    }

    // Existing files are kept unless --force.
    let o = ezla(
        &dir,
        &["kedu", "new", "zla.json", "-o", "docs", "--today", TODAY],
    );
    assert_eq!(o.status.code(), Some(64));
    assert!(
        err(&o).contains("exists (use --force to overwrite)"),
        "{}",
        err(&o)
    );
    let o = ezla(
        &dir,
        &[
            "kedu",
            "new",
            "zla.json",
            "-o",
            "docs",
            "--today",
            TODAY,
            "--force",
            "--producent",
            "Klinika",
            "--json",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let v = json(&out(&o));
    assert_eq!(v["valid"], true);
    assert_eq!(v["files"]["kopia"], "docs/zla.kopia.xml");
    let oryginal = std::fs::read_to_string(dir.join("docs/zla.oryginal.xml")).expect("ORYGINAŁ");
    assert!(oryginal.contains("<producent>Klinika</producent>"));
}

#[test]
fn new_refuses_invalid_input_listing_every_problem() {
    let dir = scratch("invalid");
    let bad = example()
        .replace("44051401359", "44051401358")
        .replace("\"1234563218\"", "\"1234563219\"")
        .replace("\"00950\"", "\"00-950\"");
    std::fs::write(dir.join("bad.json"), bad).expect("write input");
    let o = ezla(
        &dir,
        &["kedu", "new", "bad.json", "-o", "docs", "--today", TODAY],
    );
    assert_eq!(o.status.code(), Some(1));
    let text = err(&o);
    for needle in [
        "error: ubezpieczony.pesel (KEDU/ZUSZLA/II/p1): `44051401358`: PESEL check digit",
        "error: platnik.identyfikator (KEDU/ZUSZLA/V/p2): `1234563219`: NIP check digit",
        "error: adres.kod_pocztowy (KEDU/ZUSZLA/III/p1): postcode `00-950`",
        "error: placowka.kod_pocztowy (KEDU/ZUSZLA/VI/p2): postcode `00-950`",
        "4 error(s), 0 warning(s); nothing written (code 500)",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
    assert!(!dir.join("docs").exists(), "nothing may be written");

    let o = ezla(
        &dir,
        &[
            "kedu", "new", "bad.json", "-o", "docs", "--today", TODAY, "--json",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let v = json(&out(&o));
    assert_eq!(v["valid"], false);
    assert_eq!(v["errors"], 4);
    let paths: Vec<&str> = v["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .filter_map(|p| p["path"].as_str())
        .collect();
    assert_eq!(
        paths,
        [
            "ubezpieczony.pesel",
            "adres.kod_pocztowy",
            "platnik.identyfikator",
            "placowka.kod_pocztowy"
        ]
    );
    assert_eq!(v["problems"][0]["severity"], "error");
    assert_eq!(v["problems"][0]["rule"], "pesel");
    assert_eq!(v["problems"][0]["inferred"], false);
    assert_eq!(v["problems"][1]["inferred"], true);

    // A typo in a field name is a JSON error naming the field.
    std::fs::write(
        dir.join("typo.json"),
        example().replace("\"imie\"", "\"imię\""),
    )
    .expect("write input");
    let o = ezla(&dir, &["kedu", "new", "typo.json", "-o", "docs"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        err(&o).contains("unknown field `imię`") && err(&o).contains("(code 113)"),
        "{}",
        err(&o)
    );
}

#[test]
fn check_exit_statuses() {
    let dir = scratch("check");
    std::fs::write(dir.join("zla.json"), example()).expect("write input");
    let o = ezla(
        &dir,
        &["kedu", "new", "zla.json", "-o", ".", "--today", TODAY],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let good = std::fs::read_to_string(dir.join("zla.oryginal.xml")).expect("ORYGINAŁ");

    // An error (a payer copy with the ICD-10 code): 1.
    let forged = good
        .replace("<p2>ORYGINAŁ</p2>", "<p2>KOPIA</p2>")
        .replace("kolejnosc=\"0\"", "kolejnosc=\"1\"");
    std::fs::write(dir.join("forged.xml"), forged).expect("write");
    let o = ezla(&dir, &["kedu", "check", "forged.xml", "--today", TODAY]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out(&o).contains("error: niezdolnosc.kod_choroby (KEDU/ZUSZLA/IV/p8)"),
        "{}",
        out(&o)
    );
    assert!(out(&o).contains("invalid: 1 error(s)"), "{}", out(&o));

    // A warning only (no series and number): 0, the warning printed.
    let unnumbered = good.replace(
        "<p1>\n        <p1>ZX</p1>\n        <p2>0000001</p2>\n      </p1>",
        "<p1/>",
    );
    assert_ne!(unnumbered, good);
    std::fs::write(dir.join("unnumbered.xml"), unnumbered).expect("write");
    let o = ezla(&dir, &["kedu", "check", "unnumbered.xml", "--today", TODAY]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        out(&o).contains("warning: seria_numer (KEDU/ZUSZLA/I/p1)"),
        "{}",
        out(&o)
    );

    // Not an e-ZLA document: refused, 1, with the error code.
    std::fs::write(dir.join("other.xml"), "<a xmlns=\"urn:x\"/>").expect("write");
    let o = ezla(&dir, &["kedu", "check", "other.xml"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains("(code 501)"), "{}", err(&o));
    let o = ezla(&dir, &["kedu", "check", "other.xml", "--json"]);
    assert_eq!(o.status.code(), Some(1));
    let v = json(&out(&o));
    assert_eq!(v["error"]["code"], 501);
    assert_eq!(
        (v["valid"].clone(), v["exit_status"].clone()),
        (false.into(), 1.into())
    );
    // A file that cannot be read: 3, JSON on stdout under --json.
    let o = ezla(&dir, &["kedu", "check", "missing.xml"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(err(&o).contains("(code 800)"), "{}", err(&o));
    let o = ezla(&dir, &["kedu", "check", "missing.xml", "--json"]);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(json(&out(&o))["error"]["name"], "Io");
    // A wrong command line: 64.
    let o = ezla(&dir, &["kedu", "check", "other.xml", "--no-such-option"]);
    assert_eq!(o.status.code(), Some(64));
}

/// The ZUS-validated samples (when the shared vectors are present) check with the one
/// warning ZUS gave about them that we can know of (W145).
#[test]
fn check_the_shared_samples() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors/ezla");
    if !dir.is_dir() {
        println!("NOTICE: {} not found; skipping", dir.display());
        return;
    }
    for name in [
        "ked_zla_unsigned_oryginal_medfile.xml",
        "ked_zla_unsigned_kopia_medfile.xml",
    ] {
        let file = dir.join(name);
        let file = file.to_string_lossy();
        let o = ezla(
            Path::new("."),
            &["kedu", "check", &file, "--today", "2020-11-26", "--json"],
        );
        assert_eq!(o.status.code(), Some(0), "{name}: {}", out(&o));
        let v = json(&out(&o));
        assert_eq!(v["errors"], 0);
        assert_eq!(v["warnings"], 1);
        assert_eq!(v["problems"][0]["rule"], "seria_numer");
    }
}
