//! Canonicalizes an XML file: `cargo run --example c14n -- [--exclusive|--c14n11] [--comments] FILE`.
//!
//! Writes the canonical bytes to standard output.

use std::io::Write;

use ezla::xml::Document;
use ezla::xml::c14n::{Canonicalizer, Method};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut method = Method::Inclusive10;
    let mut comments = false;
    let mut file = None;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--exclusive" => method = Method::Exclusive10,
            "--c14n11" => method = Method::Inclusive11,
            "--comments" => comments = true,
            other => file = Some(other.to_string()),
        }
    }
    let path = file.ok_or("usage: c14n [--exclusive|--c14n11] [--comments] FILE")?;
    let bytes = std::fs::read(&path)?;
    let doc = Document::parse_bytes(&bytes)?;
    let out = Canonicalizer::new(method)
        .with_comments(comments)
        .document(&doc)?;
    std::io::stdout().write_all(&out)?;
    Ok(())
}
