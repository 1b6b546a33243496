//! XML: safe parsing, canonicalization and escaping.
//!
//! * [`Document::parse`] reads UTF-8 XML under [`ParseOptions`] limits and refuses DTDs,
//!   entity declarations and external references. Every node keeps its byte range in the
//!   original text, so signatures can be spliced in without re-serialising anything.
//! * [`c14n`] implements Canonical XML 1.0 and 1.1 and Exclusive XML Canonicalization 1.0,
//!   with and without comments, of a whole document, of an element in its document context,
//!   and of a document or element minus excluded subtrees.
//! * [`escape`] writes text and attribute values safely for hand-built documents.

pub mod c14n;
mod element;
pub mod escape;
mod parse;
mod prescan;
pub(crate) mod xpath;

pub use element::Element;
pub use parse::{Document, ParseOptions};

/// The namespace bound to the `xml` prefix.
pub const XML_NAMESPACE: &str = "http://www.w3.org/XML/1998/namespace";
