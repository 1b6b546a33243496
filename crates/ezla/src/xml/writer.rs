//! Writing XML: elements with namespaces and attributes, escaped text, compact or indented
//! output.
//!
//! Everything ezla emits is written with [`Writer`]: KEDU documents (indented, as ZUS's
//! validated samples are), `SignedInfo`, `KeyInfo` and XAdES `QualifyingProperties`
//! (compact, so that what is signed is what is written), and the SOAP envelopes and SAML
//! messages of the protocol clients. Text and attribute values are escaped with
//! [`escape`](super::escape), in canonical form. Element and attribute names come from code,
//! not from input, and are written as given.
//!
//! ```
//! use ezla::xml::Writer;
//! let mut w = Writer::compact();
//! w.start("ds:Reference").attr("URI", "#a&b").open();
//! w.start("ds:DigestMethod").attr("Algorithm", "sha256").empty();
//! w.leaf("ds:DigestValue", "AA==");
//! w.end();
//! assert_eq!(
//!     w.finish(),
//!     "<ds:Reference URI=\"#a&amp;b\"><ds:DigestMethod Algorithm=\"sha256\"/>\
//!      <ds:DigestValue>AA==</ds:DigestValue></ds:Reference>"
//! );
//! ```

use std::ops::Range;

use super::escape;

/// An XML writer that keeps track of the open elements, so that end tags always match.
#[derive(Debug)]
pub struct Writer {
    out: String,
    /// The indentation unit, and a line break after every tag; `None` for compact output.
    indent: Option<&'static str>,
    /// The byte ranges (in `out`) of the names of the open elements, innermost last.
    open: Vec<Range<usize>>,
}

impl Writer {
    /// A writer of compact XML: no whitespace between tags.
    pub fn compact() -> Self {
        Writer {
            out: String::with_capacity(1024),
            indent: None,
            open: Vec::new(),
        }
    }

    /// A writer that puts every tag on its own line, indented by `unit` per level (leaf
    /// elements keep their text on their line).
    pub fn indented(unit: &'static str) -> Self {
        Writer {
            out: String::with_capacity(2048),
            indent: Some(unit),
            open: Vec::new(),
        }
    }

    /// The XML declaration: `<?xml version="1.0" encoding="UTF-8"?>`, with
    /// `standalone="yes"`/`"no"` when `standalone` is given.
    pub fn declaration(&mut self, standalone: Option<bool>) {
        self.out
            .push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"");
        match standalone {
            Some(true) => self.out.push_str(" standalone=\"yes\""),
            Some(false) => self.out.push_str(" standalone=\"no\""),
            None => {}
        }
        self.out.push_str("?>");
        self.line_break();
    }

    /// Begins the start tag of element `name` (a qualified name such as `ds:Reference`).
    /// Add attributes and namespace declarations to the returned [`StartTag`], then finish
    /// it with [`open`](StartTag::open), [`empty`](StartTag::empty) or
    /// [`leaf`](StartTag::leaf).
    pub fn start(&mut self, name: &str) -> StartTag<'_> {
        self.indentation();
        self.out.push('<');
        let from = self.out.len();
        self.out.push_str(name);
        let name = from..self.out.len();
        StartTag { writer: self, name }
    }

    /// An element without attributes whose content is `text` (escaped).
    pub fn leaf(&mut self, name: &str, text: &str) {
        self.start(name).leaf(text);
    }

    /// An element without attributes and without content: `<name/>`.
    pub fn empty(&mut self, name: &str) {
        self.start(name).empty();
    }

    /// An element without attributes, left open for content.
    pub fn open(&mut self, name: &str) {
        self.start(name).open();
    }

    /// Closes the innermost open element. Does nothing when none is open.
    pub fn end(&mut self) {
        let Some(name) = self.open.pop() else {
            return;
        };
        self.indentation();
        self.out.push_str("</");
        self.out.extend_from_within(name);
        self.out.push('>');
        self.line_break();
    }

    /// Character data inside the current element, escaped.
    pub fn text(&mut self, text: &str) {
        self.out.push_str(&escape::text(text));
    }

    /// A fragment of XML written as is. The caller vouches that it is well-formed and
    /// declares the namespaces it uses.
    pub fn raw(&mut self, xml: &str) {
        self.out.push_str(xml);
    }

    /// How many elements are open.
    pub fn depth(&self) -> usize {
        self.open.len()
    }

    /// The XML written so far, closing any element still open.
    pub fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.end();
        }
        self.out
    }

    fn indentation(&mut self) {
        if let Some(unit) = self.indent {
            for _ in 0..self.open.len() {
                self.out.push_str(unit);
            }
        }
    }

    fn line_break(&mut self) {
        if self.indent.is_some() {
            self.out.push('\n');
        }
    }
}

/// A start tag being written; see [`Writer::start`].
#[must_use = "a start tag must be finished with open(), empty() or leaf()"]
#[derive(Debug)]
pub struct StartTag<'w> {
    writer: &'w mut Writer,
    name: Range<usize>,
}

impl StartTag<'_> {
    /// An attribute; the value is escaped.
    pub fn attr(self, name: &str, value: &str) -> Self {
        let out = &mut self.writer.out;
        out.push(' ');
        out.push_str(name);
        self.attr_value(value)
    }

    /// An attribute when `value` is `Some`.
    pub fn attr_opt(self, name: &str, value: Option<&str>) -> Self {
        match value {
            Some(value) => self.attr(name, value),
            None => self,
        }
    }

    /// A namespace declaration: `xmlns:prefix="uri"`, or `xmlns="uri"` for the empty prefix.
    pub fn ns(self, prefix: &str, uri: &str) -> Self {
        if prefix.is_empty() {
            self.attr("xmlns", uri)
        } else {
            let out = &mut self.writer.out;
            out.push_str(" xmlns:");
            out.push_str(prefix);
            self.attr_value(uri)
        }
    }

    fn attr_value(self, value: &str) -> Self {
        let out = &mut self.writer.out;
        out.push_str("=\"");
        out.push_str(&escape::attribute(value));
        out.push('"');
        self
    }

    /// Ends the start tag and leaves the element open for content (close it with
    /// [`Writer::end`]).
    pub fn open(self) {
        self.writer.out.push('>');
        self.writer.line_break();
        self.writer.open.push(self.name);
    }

    /// Ends the element without content: `<name .../>`.
    pub fn empty(self) {
        self.writer.out.push_str("/>");
        self.writer.line_break();
    }

    /// Writes `text` (escaped) as the element's whole content and closes it.
    pub fn leaf(self, text: &str) {
        let out = &mut self.writer.out;
        out.push('>');
        out.push_str(&escape::text(text));
        out.push_str("</");
        out.extend_from_within(self.name);
        out.push('>');
        self.writer.line_break();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_output_with_namespaces_attributes_and_escaping() {
        let mut w = Writer::compact();
        w.start("s:Envelope")
            .ns("s", "http://schemas.xmlsoap.org/soap/envelope/")
            .ns("", "urn:x")
            .attr_opt("Id", None)
            .attr_opt("a", Some("1\"<\t"))
            .open();
        w.leaf("p", "a < b & c\r");
        w.empty("q");
        w.open("r");
        w.text("x>y");
        w.raw("<raw/>");
        w.end();
        assert_eq!(w.depth(), 1);
        assert_eq!(
            w.finish(),
            "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns=\"urn:x\" \
             a=\"1&quot;&lt;&#x9;\"><p>a &lt; b &amp; c&#xD;</p><q/><r>x&gt;y<raw/></r></s:Envelope>"
        );
    }

    #[test]
    fn indented_output_puts_each_tag_on_its_line() {
        let mut w = Writer::indented("  ");
        w.declaration(Some(false));
        w.start("KEDU").attr("wersja_schematu", "1").open();
        w.open("I");
        w.empty("p1");
        w.leaf("p2", "ORYGINAŁ");
        w.end();
        w.end();
        w.end(); // nothing open: no effect
        assert_eq!(
            w.finish(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n\
             <KEDU wersja_schematu=\"1\">\n  <I>\n    <p1/>\n    <p2>ORYGINAŁ</p2>\n  </I>\n</KEDU>\n"
        );
    }

    #[test]
    fn finish_closes_what_is_open_and_output_parses() {
        let mut w = Writer::compact();
        w.open("a");
        w.start("b").attr("c", "&").open();
        let xml = w.finish();
        assert_eq!(xml, "<a><b c=\"&amp;\"></b></a>");
        let doc = super::super::Document::parse(&xml).expect("well-formed");
        assert_eq!(doc.root_name(), (None, "a"));
    }
}
