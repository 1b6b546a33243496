//! Replays the simulator's fuzz corpus (`fuzz/corpus/sim_request/`) and any minimised
//! findings (`fuzz/regressions/sim_request/`) through the entry point the libFuzzer target
//! calls, on stable Rust.

use std::path::Path;

#[test]
fn the_sim_request_corpus_replays_without_panicking() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut files = Vec::new();
    for dir in ["corpus", "regressions"] {
        if let Ok(entries) = std::fs::read_dir(fuzz.join(dir).join("sim_request")) {
            files.extend(
                entries
                    .map(|e| e.expect("entry").path())
                    .filter(|p| p.is_file()),
            );
        }
    }
    files.sort();
    assert!(!files.is_empty(), "no corpus under {}", fuzz.display());
    for file in &files {
        println!("replaying {}", file.display());
        let data = std::fs::read(file).expect("read");
        ezla_sim::fuzzing::sim_request(&data);
        // And a few hundred deterministic mutations of it: truncations and byte changes.
        let mut seed = 0x9e37_79b9_u32;
        for n in 0..300 {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let mut m = data.clone();
            let at = (seed as usize) % m.len().max(1);
            match n % 3 {
                0 => m.truncate(at),
                1 => {
                    if let Some(b) = m.get_mut(at) {
                        *b = (seed >> 8) as u8;
                    }
                }
                _ => m.insert(at.min(m.len()), b"<>&\"'/"[(seed as usize) % 6]),
            }
            ezla_sim::fuzzing::sim_request(&m);
        }
    }
}
