//! The hostile-input cost table of `docs/security.md`: for each shape an attacker can give a
//! document, the time and peak memory of reading and verifying it at three sizes (1×, 4× and
//! 16×, the largest at the parser's input cap), so that a reader sees each grows at most
//! linearly and none passes 1 s or 100 MiB.
//!
//! Run: `cargo run --release -p ezla-benches --bin hostile` (a few minutes). Each case is
//! built and signed by one child process and measured by another, which reads the prepared
//! file, so that the peak resident memory (`VmHWM`) it reports is what the read and the
//! verification added on top of the input held in memory.
//!
//! The operation measured is what a verifier does with a document an attacker signed with a
//! key the verifier accepts (the worst case: every check passes, so all the work is done):
//! parse under the default limits, then XML-DSig verification with inclusive C14N 1.0 (the
//! ZUS profiles' canonicalization) over the whole document. A document that breaks a limit
//! is refused while it is read; the table says which limit.

use std::fmt::Write as _;
use std::process::Command;
use std::time::Instant;

use ezla::crypto::{DigestAlgorithm, KeySpec, PrivateKey, Signer};
use ezla::dsig::{
    KeySelection, ReferenceSpec, SignOptions, SignatureSpec, TransformSpec, Verifier,
    sign_enveloped,
};
use ezla::xml::c14n::{Canonicalizer, Method};
use ezla::xml::{Document, ParseOptions};

/// The largest case: just under the parser's default input cap (the signature is added to
/// what the generator writes).
fn cap() -> usize {
    ParseOptions::default().max_size - (64 << 10)
}

/// A document of the given shape, of about `size` bytes (unsigned).
fn shape(name: &str, size: usize) -> String {
    let mut s = String::with_capacity(size + 1024);
    let fill = |s: &mut String, unit: &dyn Fn(&mut String, usize)| {
        let mut i = 0;
        while s.len() < size {
            unit(s, i);
            i += 1;
        }
    };
    match name {
        "attributes, one element" => {
            s.push_str("<r");
            fill(&mut s, &|s, i| {
                let _ = write!(s, " a{i}=\"\"");
            });
            s.push_str("/>");
        }
        "attributes, 64 per element" => {
            s.push_str("<r>");
            fill(&mut s, &|s, _| {
                s.push_str("<e");
                for k in 0..64 {
                    let _ = write!(s, " a{k}=\"v\"");
                }
                s.push_str("/>");
            });
            s.push_str("</r>");
        }
        "namespaces, one element" => {
            s.push_str("<r");
            fill(&mut s, &|s, i| {
                let _ = write!(s, " xmlns:p{i}=\"urn:{i}\"");
            });
            s.push_str("/>");
        }
        "namespaces, 63 in scope, each child one more" => {
            s.push_str("<r");
            for k in 0..63 {
                let _ = write!(s, " xmlns:p{k}=\"urn:{k}\"");
            }
            s.push('>');
            fill(&mut s, &|s, i| {
                let _ = write!(s, "<c xmlns:z=\"urn:z{i}\"/>");
            });
            s.push_str("</r>");
        }
        "depth, 256 levels repeated" => {
            s.push_str("<r>");
            fill(&mut s, &|s, _| {
                s.push_str(&"<a>".repeat(255));
                s.push_str(&"</a>".repeat(255));
            });
            s.push_str("</r>");
        }
        "siblings" => {
            s.push_str("<r>");
            fill(&mut s, &|s, _| s.push_str("<a/>"));
            s.push_str("</r>");
        }
        "long text" => {
            s.push_str("<r>");
            fill(&mut s, &|s, _| s.push_str("tekst zwolnienia "));
            s.push_str("</r>");
        }
        "long names (1 KiB)" => {
            let name = "n".repeat(1024);
            s.push_str("<r>");
            fill(&mut s, &|s, _| {
                let _ = write!(s, "<{name} {name}=\"\"/>");
            });
            s.push_str("</r>");
        }
        "entity and character references" => {
            s.push_str("<r>");
            fill(&mut s, &|s, _| s.push_str("&amp;&#x41;&lt;&#261;"));
            s.push_str("</r>");
        }
        "large base64" => {
            s.push_str("<r><b>");
            fill(&mut s, &|s, _| {
                s.push_str(
                    "TWFueSBoYW5kcyBtYWtlIGxpZ2h0IHdvcmsuIE1hbnkgaGFuZHMgbWFrZSBsaWdodCB3b3Jr\n",
                )
            });
            s.push_str("</b></r>");
        }
        "4 references to the whole document" | "16 references to the whole document" => {
            // The text matters little: the signature digests it again for each reference.
            let line = "Pacjent &amp; płatnik, zwolnienie lekarskie. ".repeat(20);
            s.push_str("<r>");
            fill(&mut s, &|s, i| {
                let _ = writeln!(s, "<p n=\"{i}\">{line}</p>");
            });
            s.push_str("</r>");
        }
        other => panic!("unknown shape {other}"),
    }
    s
}

/// Each shape with the largest size it reaches before the first limit it meets (or the
/// input cap): the table measures it at 1/16, 1/4 and all of that size, then at the cap.
const SHAPES: &[(&str, usize)] = &[
    ("attributes, one element", 0),
    ("attributes, 64 per element", 6_400 << 10),
    ("namespaces, one element", 0),
    ("namespaces, 63 in scope, each child one more", 352 << 10),
    ("depth, 256 levels repeated", 6_400 << 10),
    ("siblings", 3_600 << 10),
    ("long text", 7_900 << 10),
    ("long names (1 KiB)", 0),
    ("entity and character references", 7_900 << 10),
    ("large base64", 7_900 << 10),
    ("4 references to the whole document", 0),
    ("16 references to the whole document", 0),
];

fn spec(key: &PrivateKey, references: usize) -> SignatureSpec {
    let c14n = Canonicalizer::new(Method::Inclusive10);
    let mut spec = SignatureSpec::enveloped(key.kind(), DigestAlgorithm::Sha256);
    spec.canonicalization = c14n.clone();
    spec.references = (0..references)
        .map(|_| {
            ReferenceSpec::new(
                "",
                vec![
                    TransformSpec::Enveloped,
                    TransformSpec::Canonicalize(c14n.clone()),
                ],
                DigestAlgorithm::Sha256,
            )
        })
        .collect();
    spec
}

/// Peak resident memory of this process so far, in KiB.
fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// First child: builds the case and signs it when it can be signed; writes the input to
/// `dir/input` and the verifying key (SPKI DER) to `dir/key`.
fn prepare(name: &str, size: usize, dir: &std::path::Path) {
    let key = PrivateKey::generate(KeySpec::Rsa2048).expect("key");
    let references = match name {
        n if n.starts_with("16 references") => 16,
        n if n.starts_with("4 references") => 4,
        _ => 1,
    };
    let unsigned = shape(name, size);
    let spec = spec(&key, references);
    let input: Vec<u8> =
        match sign_enveloped(unsigned.as_bytes(), &spec, &key, &SignOptions::default()) {
            Ok(signed) => signed,
            // Refused while read: measure the refusal of the unsigned text.
            Err(_) => unsigned.into_bytes(),
        };
    std::fs::write(dir.join("input"), &input).expect("write input");
    std::fs::write(dir.join("key"), key.public_key().spki_der()).expect("write key");
}

/// Second child: one read and verification of `dir/input`. Prints
/// `seconds peak_kib_added peak_kib input_bytes outcome` on one line.
fn measure(dir: &std::path::Path) {
    let key = std::fs::read(dir.join("key")).expect("key");
    let key = ezla::crypto::PublicKey::from_spki_der(&key).expect("spki");
    let verifier = Verifier::new(KeySelection::Pinned(key));
    let input = std::fs::read(dir.join("input")).expect("input");
    let before = peak_kib();
    let started = Instant::now();
    let outcome = match Document::parse_bytes(&input) {
        Ok(doc) => match verifier.verify_enveloped(&doc) {
            Ok(v) => format!("verified ({} ref.)", v.references.len()),
            Err(e) => format!("refused: {e}"),
        },
        Err(e) => format!("refused: {e}"),
    };
    let seconds = started.elapsed().as_secs_f64();
    let peak = peak_kib();
    println!(
        "{seconds:.6} {} {} {} {}",
        peak.saturating_sub(before),
        peak,
        input.len(),
        outcome.replace('\n', " ")
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() == 5 && args[1] == "--prepare" {
        prepare(&args[2], args[3].parse().expect("size"), args[4].as_ref());
        return;
    }
    if args.len() == 3 && args[1] == "--measure" {
        measure(args[2].as_ref());
        return;
    }
    let dir = std::env::temp_dir().join(format!("ezla-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch directory");
    let me = std::env::current_exe().expect("own path");

    println!(
        "| shape | input | time | memory added | peak RSS | outcome |\n|---|---|---|---|---|---|"
    );
    let mut ratios = Vec::new();
    let mut worst_time: f64 = 0.0;
    let mut worst_mem: u64 = 0;
    for &(name, largest) in SHAPES {
        let largest = if largest == 0 { cap() } else { largest };
        let mut sizes = vec![largest / 16, largest / 4, largest];
        if largest < cap() {
            sizes.push(cap());
        }
        let mut times = Vec::new();
        for &size in &sizes {
            let prepared = Command::new(&me)
                .args(["--prepare", name, &size.to_string()])
                .arg(&dir)
                .status()
                .expect("prepare");
            assert!(prepared.success(), "preparing {name} failed");
            // Best of three runs: the machine is shared.
            let mut best: Option<(f64, u64, u64, usize, String)> = None;
            for _ in 0..3 {
                let out = Command::new(&me)
                    .arg("--measure")
                    .arg(&dir)
                    .output()
                    .expect("measure");
                let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
                let mut parts = text.splitn(5, ' ');
                let seconds: f64 = parts
                    .next()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(f64::NAN);
                let added: u64 = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
                let peak: u64 = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
                let len: usize = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
                let outcome = parts.next().unwrap_or("child failed").to_string();
                if best.as_ref().is_none_or(|b| seconds < b.0) {
                    best = Some((seconds, added, peak, len, outcome));
                }
            }
            let (seconds, added, peak, len, outcome) = best.expect("three runs");
            worst_time = worst_time.max(seconds);
            worst_mem = worst_mem.max(peak);
            times.push(seconds);
            let outcome: String = outcome.chars().take(90).collect();
            println!(
                "| {name} | {:.1} MiB | {:.1} ms | {:.1} MiB | {:.1} MiB | {outcome} |",
                len as f64 / 1_048_576.0,
                seconds * 1000.0,
                added as f64 / 1024.0,
                peak as f64 / 1024.0
            );
        }
        eprintln!(
            "{name}: 4x/1x = {:.1}, 16x/4x = {:.1}",
            times[1] / times[0],
            times[2] / times[1]
        );
        ratios.push((name, times[1] / times[0], times[2] / times[1]));
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!("\n| shape | time 4×/1× | time 16×/4× |\n|---|---|---|");
    for (name, a, b) in ratios {
        println!("| {name} | {a:.1} | {b:.1} |");
    }
    println!(
        "\nWorst: {:.0} ms, peak RSS {:.1} MiB (limits: 1 s, 100 MiB).",
        worst_time * 1000.0,
        worst_mem as f64 / 1024.0
    );
}
