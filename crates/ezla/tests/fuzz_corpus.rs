//! Replays the committed fuzz corpora (`fuzz/corpus/<target>/`) and the minimised findings
//! (`fuzz/regressions/<target>/`) through the same entry points the libFuzzer targets call
//! (`ezla::fuzzing`), on stable Rust: a corpus file that panics fails this test in CI, where
//! there is no nightly toolchain.

use std::path::{Path, PathBuf};

/// A fuzz entry point: arbitrary bytes in, nothing out, never a panic.
type EntryPoint = fn(&[u8]);

/// Every fuzz target (the folder name) with its entry point.
const TARGETS: &[(&str, EntryPoint)] = &[
    ("xml_c14n", ezla::fuzzing::xml_c14n),
    ("xpath", ezla::fuzzing::xpath),
    ("dsig_verify", ezla::fuzzing::dsig_verify),
    ("xades_verify", ezla::fuzzing::xades_verify),
    ("pkcs12", ezla::fuzzing::pkcs12),
    ("x509_pem", ezla::fuzzing::x509_pem),
    ("kedu_xml", ezla::fuzzing::kedu_xml),
    ("kedu_json", ezla::fuzzing::kedu_json),
    ("zus_response", ezla::fuzzing::zus_response),
    ("cms_verify", ezla::fuzzing::cms_verify),
    ("tsp", ezla::fuzzing::tsp),
    ("crl", ezla::fuzzing::crl),
];

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

/// The files directly inside `dir`, sorted; none when the directory does not exist.
fn files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("read a corpus directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn every_corpus_file_replays_without_panicking() {
    let fuzz = fuzz_dir();
    let mut missing = Vec::new();
    for (name, entry) in TARGETS {
        let corpus = files_in(&fuzz.join("corpus").join(name));
        let regressions = files_in(&fuzz.join("regressions").join(name));
        for file in corpus.iter().chain(&regressions) {
            let data =
                std::fs::read(file).unwrap_or_else(|e| panic!("reading {}: {e}", file.display()));
            // A panic here names the file: the harness prints the test's output.
            println!("replaying {}", file.display());
            entry(&data);
        }
        println!(
            "{name}: {} corpus files, {} regressions",
            corpus.len(),
            regressions.len()
        );
        if corpus.len() + regressions.len() == 0 {
            missing.push(*name);
        }
    }
    assert!(
        missing.is_empty(),
        "no corpus files for the fuzz targets {missing:?} under {}",
        fuzz.display()
    );
}
