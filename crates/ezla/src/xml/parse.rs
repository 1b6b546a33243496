//! Safe XML parsing over `roxmltree`.

use super::Element;
use crate::error::{FormatError, XmlError};
use crate::{Error, Result};

/// Limits applied while parsing untrusted XML.
///
/// They are enforced while the text is read, before the tree is built (see
/// `docs/security.md`): no document within them costs more than time and memory linear in its
/// size. The defaults suit e-ZLA documents, SOAP responses and SAML messages with a wide
/// margin.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ParseOptions {
    /// Largest accepted input in bytes. Default: 16 MiB (the cap of the `ezla` command and
    /// of PKCS#12 files too).
    pub max_size: usize,
    /// Deepest accepted element nesting. Default: 256.
    pub max_depth: usize,
    /// Most nodes accepted: elements, attributes (namespace declarations included), text
    /// nodes, comments, processing instructions, and the namespace entries an element that
    /// declares namespaces holds for everything in scope. Default: 1 000 000.
    pub max_nodes: u32,
    /// Most attributes on one element, namespace declarations included. Default: 64.
    pub max_attributes: usize,
    /// Most namespace declarations in scope at one element (counting a redeclared prefix
    /// again). Default: 64.
    pub max_namespaces: usize,
    /// Longest element or attribute name, prefix included, in bytes. Default: 1 024.
    pub max_name_len: usize,
    /// Longest text node or attribute value, in bytes of the source. Default: 8 MiB.
    pub max_text_len: usize,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            max_size: 16 * 1024 * 1024,
            max_depth: 256,
            max_nodes: 1_000_000,
            max_attributes: 64,
            max_namespaces: 64,
            max_name_len: 1024,
            max_text_len: 8 * 1024 * 1024,
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

    /// Sets [`ParseOptions::max_namespaces`].
    pub fn with_max_namespaces(mut self, namespaces: usize) -> Self {
        self.max_namespaces = namespaces;
        self
    }

    /// Sets [`ParseOptions::max_name_len`].
    pub fn with_max_name_len(mut self, bytes: usize) -> Self {
        self.max_name_len = bytes;
        self
    }

    /// Sets [`ParseOptions::max_text_len`].
    pub fn with_max_text_len(mut self, bytes: usize) -> Self {
        self.max_text_len = bytes;
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
            return Err(Error::Xml(XmlError::LimitExceeded {
                limit: "size",
                max: options.max_size,
            }));
        }
        let text = std::str::from_utf8(bytes).map_err(|e| {
            Error::xml_malformed(
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
            return Err(Error::Xml(XmlError::LimitExceeded {
                limit: "size",
                max: options.max_size,
            }));
        }
        check_declared_encoding(text)?;
        super::prescan::prescan(text, options)?;
        let ro = roxmltree::ParsingOptions {
            allow_dtd: false,
            nodes_limit: options.max_nodes,
            ..roxmltree::ParsingOptions::default()
        };
        // DOCTYPEs (even empty ones, which roxmltree accepts) are refused by the pre-scan.
        let tree = roxmltree::Document::parse_with_options(text, ro).map_err(map_error)?;
        Ok(Document { source: text, tree })
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

    /// The document element.
    pub fn root(&self) -> Element<'_, 'a> {
        Element {
            node: self.tree.root_element(),
        }
    }

    /// Namespace URI and local name of the document element.
    pub fn root_name(&self) -> (Option<&str>, &str) {
        let root = self.tree.root_element();
        (root.tag_name().namespace(), root.tag_name().name())
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
            return Err(Error::Format(FormatError::Unsupported {
                what: "XML encoding",
                name: format!("{value} (only UTF-8 is accepted)"),
            }));
        }
    }
    Ok(())
}

fn map_error(e: roxmltree::Error) -> Error {
    use roxmltree::Error as E;
    match e {
        E::DtdDetected => Error::Xml(XmlError::DtdForbidden { offset: None }),
        E::NodesLimitReached => Error::Xml(XmlError::LimitExceeded {
            limit: "nodes",
            max: u32::MAX as usize,
        }),
        E::AttributesLimitReached | E::NamespacesLimitReached => {
            Error::Xml(XmlError::LimitExceeded {
                limit: "attributes",
                max: u32::MAX as usize,
            })
        }
        E::EntityReferenceLoop(_) | E::UnknownEntityReference(..) => {
            Error::Xml(XmlError::DtdForbidden { offset: None })
        }
        other => Error::xml_malformed("document", other.to_string()),
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
    fn character_references_must_name_xml_characters() {
        for bad in [
            "<a>&#xD800;</a>",
            "<a>&#xdfff;</a>",
            "<a>&#55296;</a>",
            "<a b=\"&#xD800;\"/>",
            "<a>&#0;</a>",
            "<a>&#x1;</a>",
            "<a>&#xFFFE;</a>",
            "<a>&#xFFFF;</a>",
            "<a>&#x110000;</a>",
            "<a>&#x;</a>",
            "<a>&#12a;</a>",
            "<a>&#99999999999999999999;</a>",
            "<a>&#x41</a>",
        ] {
            let err = Document::parse(bad).expect_err(bad);
            assert_eq!(err.code(), ErrorCode::XmlMalformed, "{bad}: {err}");
        }
        let err = Document::parse("<a>x&#xD800;</a>").expect_err("surrogate");
        assert!(err.to_string().contains("U+D800"), "{err}");
        let doc = Document::parse("<a b=\"&#x9;&#65;\">&#x10FFFF;&#xE000;&#xFFFD;&#x20;</a>")
            .expect("legal references");
        assert_eq!(
            doc.root_element().text(),
            Some("\u{10FFFF}\u{E000}\u{FFFD} ")
        );
    }

    fn limit_of(text: &str, options: &ParseOptions) -> &'static str {
        match Document::parse_with(text, options) {
            Err(Error::Xml(XmlError::LimitExceeded { limit, .. })) => limit,
            other => panic!("expected a limit error, got {other:?}"),
        }
    }

    fn element_with_attributes(n: usize) -> String {
        let attrs: String = (0..n).map(|i| format!(" a{i}=\"v\"")).collect();
        format!("<e{attrs}/>")
    }

    #[test]
    fn limits_attributes_namespaces_names_and_text_while_reading() {
        let options = ParseOptions::default();
        Document::parse(&element_with_attributes(options.max_attributes)).expect("at the limit");
        let over = element_with_attributes(options.max_attributes + 1);
        assert_eq!(limit_of(&over, &options), "attributes per element");

        // Namespace declarations count as attributes, and in scope across elements.
        let nested = |n: usize| -> String {
            let mut s = String::new();
            for i in 0..n {
                s.push_str(&format!("<e xmlns:p{i}=\"urn:{i}\">"));
            }
            for _ in 0..n {
                s.push_str("</e>");
            }
            s
        };
        Document::parse(&nested(options.max_namespaces)).expect("at the limit");
        assert_eq!(
            limit_of(&nested(options.max_namespaces + 1), &options),
            "namespace declarations in scope"
        );

        let name = "n".repeat(options.max_name_len);
        Document::parse(&format!("<{name} {name}=\"\"/>")).expect("names at the limit");
        let long = "n".repeat(options.max_name_len + 1);
        assert_eq!(limit_of(&format!("<{long}/>"), &options), "name length");
        assert_eq!(
            limit_of(&format!("<a {long}=\"\"/>"), &options),
            "name length"
        );

        let small = ParseOptions::default().with_max_text_len(8);
        Document::parse_with("<a b=\"12345678\">12345678</a>", &small).expect("at the limit");
        assert_eq!(limit_of("<a>123456789</a>", &small), "text length");
        assert_eq!(limit_of("<a b=\"123456789\"/>", &small), "text length");
        // Text, references and CDATA with no markup between them make one text node.
        assert_eq!(
            limit_of("<a>1234<![CDATA[56]]>&amp;89</a>", &small),
            "text length"
        );
        Document::parse_with("<a>1234<!---->5678</a>", &small).expect("a comment splits text");
    }

    #[test]
    fn node_limit_counts_attributes_and_namespace_copies() {
        let options = ParseOptions::default().with_max_nodes(3);
        Document::parse_with("<a b=\"1\" c=\"2\"/>", &options).expect("three nodes");
        assert_eq!(limit_of("<a b=\"1\" c=\"2\" d=\"3\"/>", &options), "nodes");
        // Each element that declares a namespace holds a copy of everything in scope.
        let options = ParseOptions::default().with_max_nodes(8);
        let text = "<a xmlns:x=\"u\" xmlns:y=\"v\"><b xmlns:z=\"w\"/></a>";
        // a + 2 declarations + 2 copies, b + 1 declaration + 3 copies = 10.
        assert_eq!(limit_of(text, &options), "nodes");
        Document::parse_with(text, &ParseOptions::default().with_max_nodes(10)).expect("ten");
    }

    #[test]
    fn deep_nesting_is_refused_before_the_tree_is_built() {
        let deep = "<a>".repeat(100_000) + &"</a>".repeat(100_000);
        assert_eq!(limit_of(&deep, &ParseOptions::default()), "depth");
        let at_limit = "<a>".repeat(256) + &"</a>".repeat(256);
        Document::parse(&at_limit).expect("256 levels");
    }

    #[test]
    fn the_scan_refuses_what_it_cannot_read() {
        for bad in [
            "<a b=\"1\"c=\"2\"/>",
            "<a b/>",
            "<a b=1/>",
            "<a b=\"1/>",
            "<a><!-- x </a>",
            "<a><![CDATA[ x </a>",
            "<a><? x </a>",
            "<a></a></a>",
            "<a>< b/></a>",
            "<a",
        ] {
            let err = Document::parse(bad).expect_err(bad);
            assert_eq!(err.code(), ErrorCode::XmlMalformed, "{bad}: {err}");
        }
        assert_eq!(code("<a><!ENTITY x \"y\"></a>"), ErrorCode::XmlDtdForbidden);
        // What XML allows, the scan reads.
        Document::parse(
            "\u{feff}<?xml version='1.0'?>\n<!-- c --><?pi x?><a\n b = 'x\"y>' c=\"&lt;&amp;\">\
             <![CDATA[<not a tag>]]><b/>t&gt;<c\t/></a >\n<!-- after -->",
        )
        .expect("well-formed");
    }

    /// Every XML file of the shared corpus that the tree builder accepts, the scan accepts
    /// too (with limits large enough for the biggest vector): the two agree on structure.
    #[test]
    fn the_scan_accepts_every_well_formed_vector() {
        let Some(dir) = crate::test_support::vectors_dir() else {
            return;
        };
        let mut files = Vec::new();
        let mut stack = vec![dir];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).expect("read vectors").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "xml" || e == "wsdl") {
                    files.push(path);
                }
            }
        }
        let mut checked = 0;
        for path in &files {
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            let ro = roxmltree::ParsingOptions {
                allow_dtd: false,
                ..roxmltree::ParsingOptions::default()
            };
            if roxmltree::Document::parse_with_options(&text, ro).is_err() {
                continue;
            }
            let generous = ParseOptions::default()
                .with_max_size(usize::MAX)
                .with_max_attributes(10_000)
                .with_max_namespaces(10_000);
            if let Err(e) = super::super::prescan::prescan(&text, &generous) {
                panic!(
                    "{}: the scan refused a well-formed document: {e}",
                    path.display()
                );
            }
            checked += 1;
        }
        assert!(checked > 20, "only {checked} well-formed vectors found");
        eprintln!("scan agreed with the parser on {checked} vectors");
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
