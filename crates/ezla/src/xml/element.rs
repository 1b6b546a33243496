//! A read-only handle on an element of a parsed [`Document`](super::Document).

use std::fmt;
use std::ops::Range;

/// An element of a parsed document: cheap to copy, borrows the document.
///
/// Names are namespace-aware: compare [`Element::namespace`] and [`Element::local_name`],
/// never prefixes.
#[derive(Clone, Copy)]
pub struct Element<'d, 'a> {
    pub(crate) node: roxmltree::Node<'d, 'a>,
}

impl<'d, 'a: 'd> Element<'d, 'a> {
    pub(crate) fn new(node: roxmltree::Node<'d, 'a>) -> Option<Self> {
        node.is_element().then_some(Element { node })
    }

    /// The element's namespace URI, if it is in a namespace.
    pub fn namespace(&self) -> Option<&'d str> {
        self.node.tag_name().namespace().filter(|ns| !ns.is_empty())
    }

    /// The element's local name.
    pub fn local_name(&self) -> &'d str {
        self.node.tag_name().name()
    }

    /// Whether the element has this namespace URI and local name.
    pub fn is(&self, namespace: &str, local_name: &str) -> bool {
        self.local_name() == local_name && self.namespace().unwrap_or("") == namespace
    }

    /// The qualified name as written in the source (`ds:Signature`).
    pub fn qualified_name(&self) -> &'a str {
        qname_at(self.node.document().input_text(), self.node.range().start)
    }

    /// The value of an attribute without a namespace.
    pub fn attribute(&self, local_name: &str) -> Option<&'d str> {
        self.node
            .attributes()
            .find(|a| a.namespace().is_none() && a.name() == local_name)
            .map(|a| a.value())
    }

    /// The value of a namespaced attribute.
    pub fn attribute_ns(&self, namespace: &str, local_name: &str) -> Option<&'d str> {
        self.node
            .attributes()
            .find(|a| a.namespace() == Some(namespace) && a.name() == local_name)
            .map(|a| a.value())
    }

    /// Child elements, in document order.
    pub fn children(&self) -> impl Iterator<Item = Element<'d, 'a>> + 'd {
        self.node.children().filter_map(Element::new)
    }

    /// The first child element with this namespace and local name.
    pub fn child(&self, namespace: &str, local_name: &str) -> Option<Element<'d, 'a>> {
        self.children().find(|c| c.is(namespace, local_name))
    }

    /// The parent element, if any.
    pub fn parent(&self) -> Option<Element<'d, 'a>> {
        self.node.parent().and_then(Element::new)
    }

    /// Concatenated text of the element's descendants (comments and PIs excluded).
    pub fn text(&self) -> String {
        self.node
            .descendants()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .collect()
    }

    /// Byte range of the element (start tag to end tag) in the source text.
    pub fn range(&self) -> Range<usize> {
        self.node.range()
    }

    /// A readable path from the document element, e.g. `/KEDU/ZUSZLA/II/p1`.
    pub fn path(&self) -> String {
        let mut names: Vec<&str> = self
            .node
            .ancestors()
            .filter(|n| n.is_element())
            .map(|n| n.tag_name().name())
            .collect();
        names.reverse();
        let mut out = String::new();
        for name in names {
            out.push('/');
            out.push_str(name);
        }
        out
    }

    /// Whether `other` is this element or one of its descendants.
    pub fn contains(&self, other: &Element<'_, '_>) -> bool {
        let r = self.range();
        let o = other.range();
        std::ptr::eq(self.node.document(), other.node.document())
            && r.start <= o.start
            && o.end <= r.end
    }
}

impl PartialEq for Element<'_, '_> {
    fn eq(&self, other: &Self) -> bool {
        self.node == other.node
    }
}

impl Eq for Element<'_, '_> {}

impl fmt::Debug for Element<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Element({} at {:?})", self.path(), self.range())
    }
}

/// The QName that follows `<` at byte `start` of `text`.
pub(crate) fn qname_at(text: &str, start: usize) -> &str {
    let rest = text.get(start + 1..).unwrap_or("");
    let end = rest
        .bytes()
        .position(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'>' | b'/'))
        .unwrap_or(rest.len());
    &rest[..end]
}
