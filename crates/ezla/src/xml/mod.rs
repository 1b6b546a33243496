//! XML: safe parsing, canonicalization and escaping.
//!
//! * [`Document::parse`] reads UTF-8 XML under [`ParseOptions`] limits and refuses DTDs,
//!   entity declarations and external references. Every node keeps its byte range in the
//!   original text, so signatures can be spliced in without re-serialising anything.
//! * [`c14n`] implements Canonical XML 1.0 and 1.1 and Exclusive XML Canonicalization 1.0,
//!   with and without comments, of a whole document, of an element in its document context,
//!   and of a document or element minus excluded subtrees.
//! * [`Writer`] writes XML (compact or indented) with escaped text and attributes; [`escape`]
//!   is its escaping, usable alone.
//! * [`base64`] and [`datetime`] read and write `xs:base64Binary` and `xsd:dateTime`.

pub mod base64;
pub mod c14n;
pub mod datetime;
mod element;
pub mod escape;
mod parse;
mod prescan;
mod writer;
pub(crate) mod xpath;

pub use element::Element;
pub use parse::{Document, ParseOptions};
pub use writer::{StartTag, Writer};

/// The namespace bound to the `xml` prefix.
pub const XML_NAMESPACE: &str = "http://www.w3.org/XML/1998/namespace";
