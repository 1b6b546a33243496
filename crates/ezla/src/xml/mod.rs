//! XML: safe parsing, canonicalization and escaping.
//!
//! * [`Document::parse`] reads UTF-8 XML under [`ParseOptions`] limits and refuses DTDs,
//!   entity declarations and external references. Every node keeps its byte range in the
//!   original text, so signatures can be spliced in without re-serialising anything.
//! * [`escape`] writes text and attribute values safely for hand-built documents.

pub mod escape;
mod parse;

pub use parse::{Document, ParseOptions};
