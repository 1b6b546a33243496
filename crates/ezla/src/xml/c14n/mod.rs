//! XML canonicalization: Canonical XML 1.0 and 1.1, Exclusive XML Canonicalization 1.0.
//!
//! Canonicalization turns a parsed document, or a subset of it, into the exact bytes a digest
//! or signature is computed over. ezla owns this code (rather than binding libxml2) because
//! every signature rests on it; it follows the W3C recommendations and matches libxml2's
//! results on the W3C, Merlin and libxml2 test sets (the sweep in `crates/ezla/tests/c14n_vectors.rs`):
//!
//! * [Canonical XML 1.0](https://www.w3.org/TR/2001/REC-xml-c14n-20010315) — with and without
//!   comments; `xml:*` attributes of omitted ancestors are inherited by an element whose parent
//!   is outside the subset.
//! * [Canonical XML 1.1](https://www.w3.org/TR/xml-c14n11/) — `xml:lang` and `xml:space`
//!   inherited, `xml:id` not, and `xml:base` fixed up by joining the omitted ancestors' values.
//! * [Exclusive XML Canonicalization 1.0](https://www.w3.org/TR/xml-exc-c14n/) — only visibly
//!   utilized namespaces are rendered, plus those named in the `InclusiveNamespaces`
//!   `PrefixList`; no `xml:*` inheritance.
//!
//! Documents that declare a relative namespace URI cannot be canonicalized (the
//! recommendations require an error).

mod engine;
pub(crate) mod uri;

use std::io::Write;

pub(crate) use engine::{Excluding, Visibility};

use super::{Document, Element};
use crate::Result;

/// A canonicalization algorithm (without the comments choice, see [`Canonicalizer`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// Canonical XML 1.0 (inclusive).
    Inclusive10,
    /// Canonical XML 1.1 (inclusive).
    Inclusive11,
    /// Exclusive XML Canonicalization 1.0.
    Exclusive10,
}

/// Algorithm URI of Canonical XML 1.0 without comments.
pub const C14N_10: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
/// Algorithm URI of Canonical XML 1.0 with comments.
pub const C14N_10_WITH_COMMENTS: &str =
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments";
/// Algorithm URI of Canonical XML 1.1 without comments.
pub const C14N_11: &str = "http://www.w3.org/2006/12/xml-c14n11";
/// Algorithm URI of Canonical XML 1.1 with comments.
pub const C14N_11_WITH_COMMENTS: &str = "http://www.w3.org/2006/12/xml-c14n11#WithComments";
/// Algorithm URI of Exclusive XML Canonicalization 1.0 without comments.
pub const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
/// Algorithm URI of Exclusive XML Canonicalization 1.0 with comments.
pub const EXC_C14N_WITH_COMMENTS: &str = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";

impl Method {
    /// The algorithm URI used in XML-DSig `CanonicalizationMethod` and `Transform`.
    pub const fn uri(self, with_comments: bool) -> &'static str {
        match (self, with_comments) {
            (Method::Inclusive10, false) => C14N_10,
            (Method::Inclusive10, true) => C14N_10_WITH_COMMENTS,
            (Method::Inclusive11, false) => C14N_11,
            (Method::Inclusive11, true) => C14N_11_WITH_COMMENTS,
            (Method::Exclusive10, false) => EXC_C14N,
            (Method::Exclusive10, true) => EXC_C14N_WITH_COMMENTS,
        }
    }

    /// The method and comments flag for an algorithm URI.
    pub fn from_uri(uri: &str) -> Option<(Method, bool)> {
        Some(match uri {
            C14N_10 => (Method::Inclusive10, false),
            C14N_10_WITH_COMMENTS => (Method::Inclusive10, true),
            C14N_11 => (Method::Inclusive11, false),
            C14N_11_WITH_COMMENTS => (Method::Inclusive11, true),
            EXC_C14N => (Method::Exclusive10, false),
            EXC_C14N_WITH_COMMENTS => (Method::Exclusive10, true),
            _ => return None,
        })
    }
}

/// Which part of a document to canonicalize.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum Subset<'s, 'd, 'a> {
    /// The whole document, including comments and PIs outside the document element.
    Document,
    /// An element and its descendants, in their document context (inherited namespaces and,
    /// for the inclusive methods, inherited `xml:*` attributes).
    Element(Element<'d, 'a>),
    /// The whole document minus these elements' subtrees (e.g. an enveloped signature).
    DocumentExcept(&'s [Element<'d, 'a>]),
    /// An element and its descendants minus these elements' subtrees.
    ElementExcept(Element<'d, 'a>, &'s [Element<'d, 'a>]),
}

/// A configured canonicalization: method, comments, and the exclusive prefix list.
///
/// ```
/// use ezla::xml::{Document, c14n::{Canonicalizer, Method}};
/// let doc = Document::parse("<a xmlns:p='urn:p' b='1'  a='2'><p:c/><!-- note --></a>")?;
/// let out = Canonicalizer::new(Method::Exclusive10).document(&doc)?;
/// assert_eq!(out, br#"<a a="2" b="1"><p:c xmlns:p="urn:p"></p:c></a>"#);
/// # Ok::<(), ezla::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Canonicalizer {
    method: Method,
    with_comments: bool,
    inclusive_prefixes: Vec<String>,
}

impl Canonicalizer {
    /// A canonicalizer for `method`, without comments.
    pub fn new(method: Method) -> Self {
        Canonicalizer {
            method,
            with_comments: false,
            inclusive_prefixes: Vec::new(),
        }
    }

    /// The canonicalizer an algorithm URI names, if it is one of the six known URIs.
    pub fn from_uri(uri: &str) -> Option<Self> {
        Method::from_uri(uri).map(|(m, c)| Canonicalizer::new(m).with_comments(c))
    }

    /// Keeps comments (the `#WithComments` variants).
    pub fn with_comments(mut self, with_comments: bool) -> Self {
        self.with_comments = with_comments;
        self
    }

    /// The `InclusiveNamespaces PrefixList` of exclusive canonicalization (`#default` names
    /// the default namespace). Ignored by the inclusive methods.
    pub fn with_inclusive_prefixes<I, S>(mut self, prefixes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.inclusive_prefixes = prefixes.into_iter().map(Into::into).collect();
        self
    }

    /// The method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The exclusive `InclusiveNamespaces PrefixList`.
    pub fn inclusive_prefixes(&self) -> &[String] {
        &self.inclusive_prefixes
    }

    /// Whether comments are kept.
    pub fn keeps_comments(&self) -> bool {
        self.with_comments
    }

    /// The algorithm URI.
    pub fn uri(&self) -> &'static str {
        self.method.uri(self.with_comments)
    }

    /// Canonicalizes the whole document.
    pub fn document(&self, doc: &Document<'_>) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(doc.source().len());
        self.write(doc, Subset::Document, &mut out)?;
        Ok(out)
    }

    /// Canonicalizes an element in its document context.
    pub fn element(&self, doc: &Document<'_>, element: Element<'_, '_>) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(element.range().len());
        self.write(doc, Subset::Element(element), &mut out)?;
        Ok(out)
    }

    /// Canonicalizes a subset into `out` (a `Vec<u8>`, a file, or a digest
    /// [`Hasher`](crate::crypto::Hasher)). Output is buffered internally.
    pub fn write(
        &self,
        doc: &Document<'_>,
        subset: Subset<'_, '_, '_>,
        out: &mut dyn Write,
    ) -> Result<()> {
        match subset {
            Subset::Document => self.run(doc, doc.tree().root(), &engine::Everything, out),
            Subset::Element(e) => self.run(doc, e.node, &engine::Subtree::new(e, &[]), out),
            Subset::DocumentExcept(excluded) => {
                self.run(doc, doc.tree().root(), &Excluding::new(excluded), out)
            }
            Subset::ElementExcept(e, excluded) => {
                self.run(doc, e.node, &engine::Subtree::new(e, excluded), out)
            }
        }
    }

    /// Canonicalizes the nodes `visibility` selects, starting at `start` (the document root
    /// or an element).
    pub(crate) fn run(
        &self,
        doc: &Document<'_>,
        start: roxmltree::Node<'_, '_>,
        visibility: &dyn Visibility,
        out: &mut dyn Write,
    ) -> Result<()> {
        engine::Engine::new(self, doc.source(), visibility, out).run(start)
    }
}

#[cfg(test)]
mod tests;
