//! Safe XML parsing over `roxmltree`.

use crate::error::Format;
use crate::{Error, Result};

/// Limits applied while parsing untrusted XML.
///
/// The defaults suit e-ZLA documents, SOAP responses and SAML messages with a wide margin.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ParseOptions {
    /// Largest accepted input in bytes. Default: 32 MiB.
    pub max_size: usize,
    /// Deepest accepted element nesting. Default: 256.
    pub max_depth: usize,
    /// Most nodes (elements, attributes, text, comments, PIs) accepted. Default: 2 000 000.
    pub max_nodes: u32,
    /// Most attributes on one element. Default: 256.
    pub max_attributes: usize,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            max_size: 32 * 1024 * 1024,
            max_depth: 256,
            max_nodes: 2_000_000,
            max_attributes: 256,
        }
    }
}

impl ParseOptions {
    /// Sets [`ParseOptions::max_size`].
    pub fn with_max_size(mut self, bytes: usize) -> Self {
        self.max_size = bytes;
        self
    }

    /// Sets [`ParseOptions::max_depth`].
    pub fn with_max_depth(mut self, depth: usize) -> Self {
        self.max_depth = depth;
        self
    }

    /// Sets [`ParseOptions::max_nodes`].
    pub fn with_max_nodes(mut self, nodes: u32) -> Self {
        self.max_nodes = nodes;
        self
    }

    /// Sets [`ParseOptions::max_attributes`].
    pub fn with_max_attributes(mut self, attributes: usize) -> Self {
        self.max_attributes = attributes;
        self
    }
}

/// A parsed XML document that borrows its source text.
///
/// Node byte ranges index into [`Document::source`].
pub struct Document<'a> {
    source: &'a str,
    tree: roxmltree::Document<'a>,
}

impl<'a> Document<'a> {
    /// Parses UTF-8 bytes with the default limits.
    pub fn parse_bytes(bytes: &'a [u8]) -> Result<Self> {
        Self::parse_bytes_with(bytes, &ParseOptions::default())
    }

    /// Parses UTF-8 bytes under the given limits.
    ///
    /// Non-UTF-8 input, or an XML declaration naming another encoding, is refused.
    pub fn parse_bytes_with(bytes: &'a [u8], options: &ParseOptions) -> Result<Self> {
        if bytes.len() > options.max_size {
            return Err(Error::XmlLimitExceeded {
                limit: "size",
                max: options.max_size,
            });
        }
        let text = std::str::from_utf8(bytes).map_err(|e| {
            Error::malformed(
                Format::Xml,
                "document",
                format!("not UTF-8 (invalid byte at offset {})", e.valid_up_to()),
            )
        })?;
        Self::parse_with(text, options)
    }

    /// Parses text with the default limits.
    pub fn parse(text: &'a str) -> Result<Self> {
        Self::parse_with(text, &ParseOptions::default())
    }

    /// Parses text under the given limits.
    pub fn parse_with(text: &'a str, options: &ParseOptions) -> Result<Self> {
        if text.len() > options.max_size {
            return Err(Error::XmlLimitExceeded {
                limit: "size",
                max: options.max_size,
            });
        }
        check_declared_encoding(text)?;
        let ro = roxmltree::ParsingOptions {
            allow_dtd: false,
            nodes_limit: options.max_nodes,
            ..roxmltree::ParsingOptions::default()
        };
        let tree = roxmltree::Document::parse_with_options(text, ro).map_err(map_error)?;
        let doc = Document { source: text, tree };
        doc.check_prolog()?;
        doc.check_shape(options)?;
        Ok(doc)
    }

    /// The text the document was parsed from.
    pub fn source(&self) -> &'a str {
        self.source
    }

    /// The underlying tree (crate-internal: the public surface stays ours).
    #[allow(dead_code)] // used by the modules built on top of `xml`
    pub(crate) fn tree(&self) -> &roxmltree::Document<'a> {
        &self.tree
    }

    /// The document element.
    #[allow(dead_code)] // used by the modules built on top of `xml`
    pub(crate) fn root_element(&self) -> roxmltree::Node<'_, 'a> {
        self.tree.root_element()
    }

    /// Namespace URI and local name of the document element.
    pub fn root_name(&self) -> (Option<&str>, &str) {
        let root = self.tree.root_element();
        (root.tag_name().namespace(), root.tag_name().name())
    }

    /// Refuses `<!DOCTYPE` even when empty (roxmltree accepts an empty one).
    fn check_prolog(&self) -> Result<()> {
        let root = self.tree.root();
        let mut cursor = 0usize;
        for child in root.children() {
            let range = child.range();
            let gap = &self.source[cursor..range.start];
            if let Some(at) = gap.find("<!") {
                return Err(Error::XmlDtdForbidden {
                    offset: Some(cursor + at),
                });
            }
            if child.is_element() {
                return Ok(());
            }
            cursor = range.end;
        }
        Ok(())
    }

    fn check_shape(&self, options: &ParseOptions) -> Result<()> {
        // Depth of every node, indexed by node id; a parent always precedes its children.
        let mut depths: Vec<u32> = Vec::new();
        for node in self.tree.root().descendants() {
            let index = node.id().get_usize();
            let depth = match node.parent() {
                Some(parent) => depths.get(parent.id().get_usize()).copied().unwrap_or(0) + 1,
                None => 0,
            };
            if depths.len() <= index {
                depths.resize(index + 1, 0);
            }
            depths[index] = depth;
            if node.is_element() {
                if depth as usize > options.max_depth {
                    return Err(Error::XmlLimitExceeded {
                        limit: "depth",
                        max: options.max_depth,
                    });
                }
                if node.attributes().len() > options.max_attributes {
                    return Err(Error::XmlLimitExceeded {
                        limit: "attributes per element",
                        max: options.max_attributes,
                    });
                }
            }
        }
        Ok(())
    }
}

impl std::fmt::Debug for Document<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (ns, name) = self.root_name();
        f.debug_struct("Document")
            .field("root", &name)
            .field("namespace", &ns)
            .field("len", &self.source.len())
            .finish()
    }
}

/// Only UTF-8 is accepted; an XML declaration that names another encoding is refused rather
/// than silently misread.
fn check_declared_encoding(text: &str) -> Result<()> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !body.starts_with("<?xml") {
        return Ok(());
    }
    let Some(end) = body.find("?>") else {
        return Ok(()); // the parser reports the malformed declaration
    };
    let decl = &body[..end];
    if let Some(pos) = decl.find("encoding") {
        let rest = decl[pos + "encoding".len()..].trim_start();
        let rest = rest.strip_prefix('=').unwrap_or(rest).trim_start();
        let Some(quote) = rest.chars().next() else {
            return Ok(()); // `encoding` without a value: the parser reports the declaration
        };
        let value = rest[quote.len_utf8()..].split(quote).next().unwrap_or("");
        let utf8 = value.eq_ignore_ascii_case("utf-8") || value.eq_ignore_ascii_case("utf8");
        // A single-byte encoding whose lower half is ASCII reads pure-ASCII text exactly as
        // UTF-8 does, so such a document is accepted as it is.
        let lower = value.to_ascii_lowercase();
        let ascii_compatible = ["iso-8859-", "us-ascii", "ascii", "windows-125", "cp125"]
            .iter()
            .any(|p| lower.starts_with(p));
        if !(utf8 || (ascii_compatible && text.is_ascii())) {
            return Err(Error::Unsupported {
                what: "XML encoding",
                name: format!("{value} (only UTF-8 is accepted)"),
            });
        }
    }
    Ok(())
}

fn map_error(e: roxmltree::Error) -> Error {
    use roxmltree::Error as E;
    match e {
        E::DtdDetected => Error::XmlDtdForbidden { offset: None },
        E::NodesLimitReached => Error::XmlLimitExceeded {
            limit: "nodes",
            max: u32::MAX as usize,
        },
        E::AttributesLimitReached | E::NamespacesLimitReached => Error::XmlLimitExceeded {
            limit: "attributes",
            max: u32::MAX as usize,
        },
        E::EntityReferenceLoop(_) | E::UnknownEntityReference(..) => {
            Error::XmlDtdForbidden { offset: None }
        }
        other => Error::malformed(Format::Xml, "document", other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    fn code(text: &str) -> ErrorCode {
        Document::parse(text).expect_err(text).code()
    }

    #[test]
    fn accepts_plain_documents_with_ranges() {
        let text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- c --><a x=\"1\"><b>t</b></a>";
        let doc = Document::parse(text).expect("parse");
        let root = doc.root_element();
        assert_eq!(&text[root.range()], "<a x=\"1\"><b>t</b></a>");
        assert_eq!(doc.root_name(), (None, "a"));
    }

    #[test]
    fn refuses_dtds_and_entities() {
        assert_eq!(code("<!DOCTYPE a><a/>"), ErrorCode::XmlDtdForbidden);
        assert_eq!(
            code("<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>"),
            ErrorCode::XmlDtdForbidden
        );
        assert_eq!(
            code("<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>"),
            ErrorCode::XmlDtdForbidden
        );
        assert_eq!(code("<a>&unknown;</a>"), ErrorCode::XmlDtdForbidden);
        // A DOCTYPE hidden in a comment is not a DOCTYPE.
        Document::parse("<!-- <!DOCTYPE a> --><a/>").expect("comment");
    }

    #[test]
    fn enforces_limits() {
        let deep = "<a>".repeat(300) + &"</a>".repeat(300);
        assert_eq!(code(&deep), ErrorCode::XmlLimitExceeded);
        let opts = ParseOptions::default().with_max_size(10);
        assert_eq!(
            Document::parse_with("<a>0123456789</a>", &opts)
                .expect_err("size")
                .code(),
            ErrorCode::XmlLimitExceeded
        );
        let opts = ParseOptions::default().with_max_nodes(5);
        assert_eq!(
            Document::parse_with("<a><b/><b/><b/><b/><b/></a>", &opts)
                .expect_err("nodes")
                .code(),
            ErrorCode::XmlLimitExceeded
        );
    }

    #[test]
    fn refuses_other_encodings_and_bad_utf8() {
        assert_eq!(
            code("<?xml version=\"1.0\" encoding=\"ISO-8859-2\"?><a>\u{105}</a>"),
            ErrorCode::Unsupported
        );
        assert_eq!(
            code("<?xml version=\"1.0\" encoding=\"UTF-16\"?><a/>"),
            ErrorCode::Unsupported
        );
        Document::parse("<?xml version=\"1.0\" encoding=\"ISO-8859-2\"?><a>&#261;</a>")
            .expect("pure ASCII in an ASCII-compatible encoding");
        assert_eq!(
            Document::parse_bytes(b"<a>\xff</a>")
                .expect_err("utf8")
                .code(),
            ErrorCode::XmlMalformed
        );
        assert_eq!(code("<a><b></a>"), ErrorCode::XmlMalformed);
    }

    #[test]
    fn a_declaration_ending_in_encoding_is_malformed() {
        // Found by the kedu_xml fuzz target: a declaration whose last word is `encoding`
        // (or `encoding =`) sliced past the end of the declaration and panicked.
        for text in [
            "<?xml encoding?>",
            "<?xml encoding?><a/>",
            "<?xml version=\"1.0\" encoding =?><a/>",
        ] {
            assert_eq!(code(text), ErrorCode::XmlMalformed, "{text}");
        }
    }
}
