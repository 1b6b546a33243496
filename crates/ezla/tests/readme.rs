//! The README's Rust snippets cannot drift: every ```rust block is a copy of code in
//! `crates/ezla/examples/` (which `cargo test` builds and runs on test data, see the
//! `[[example]]` entries of Cargo.toml). Each group of lines of a block (separated by blank
//! lines) must appear verbatim in one example file.

use std::path::Path;

fn rust_blocks(readme: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in readme.lines() {
        match (&mut current, line.trim_end()) {
            (None, "```rust") => current = Some(String::new()),
            (Some(_), "```") => blocks.extend(current.take()),
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    assert!(current.is_none(), "an unterminated ```rust block");
    blocks
}

#[test]
fn every_rust_snippet_of_the_readme_is_in_an_example() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("../../README.md")).expect("README.md");
    let examples: Vec<(String, String)> = std::fs::read_dir(root.join("examples"))
        .expect("examples/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("example");
            (p.display().to_string(), text)
        })
        .collect();
    let blocks = rust_blocks(&readme);
    assert!(blocks.len() >= 3, "the README lost its Rust snippets");
    for block in &blocks {
        for group in block.split("\n\n").filter(|g| !g.trim().is_empty()) {
            let group = group.trim_end_matches('\n');
            assert!(
                examples.iter().any(|(_, text)| text.contains(group)),
                "this README snippet is in no file of crates/ezla/examples/ \
                 (copy it from there):\n{group}"
            );
        }
    }
}

#[test]
fn the_block_reader_finds_blocks_and_only_rust_ones() {
    let text = "a\n```rust\nfn f() {}\n\nfn g() {}\n```\n```sh\nls\n```\n";
    assert_eq!(
        rust_blocks(text),
        vec!["fn f() {}\n\nfn g() {}\n".to_owned()]
    );
}
