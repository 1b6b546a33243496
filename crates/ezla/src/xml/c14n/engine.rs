//! The canonicalization walk.
//!
//! The node-set model follows the recommendations: an element may be outside the subset while
//! its children, attributes or namespace nodes are inside it. Namespace rendering keeps a stack
//! of the namespace nodes of output ancestors, in the manner of libxml2, whose results define
//! the reference outputs of the test sets:
//!
//! * inclusive: a namespace node is rendered unless the nearest output ancestor has a
//!   namespace node in the subset with the same prefix and value; `xmlns=""` is rendered on an
//!   output element without a default namespace when an output ancestor rendered one;
//! * exclusive: only visibly utilized prefixes (the element's own and those of its attributes
//!   in the subset), plus the `InclusiveNamespaces` list treated inclusively, are rendered,
//!   unless the nearest output ancestor that rendered the prefix did so with the same value.

use std::io::Write;

use roxmltree::{Node, NodeType};

use super::{Canonicalizer, Method, uri};
use crate::xml::element::qname_at;
use crate::xml::{Element, XML_NAMESPACE};
use crate::{Error, Result};

/// Which nodes are in the canonicalized subset.
pub(crate) trait Visibility {
    /// Elements, text, comments, PIs and the root.
    fn node(&self, node: Node<'_, '_>) -> bool;
    /// The `index`-th attribute of `element`.
    fn attribute(&self, element: Node<'_, '_>, _index: usize) -> bool {
        self.node(element)
    }
    /// The `index`-th entry of `element.namespaces()`.
    fn namespace(&self, element: Node<'_, '_>, _index: usize) -> bool {
        self.node(element)
    }
    /// True when an element outside the subset has its whole subtree outside it, so the walk
    /// may skip it.
    fn subtree_closed(&self) -> bool {
        false
    }
}

/// Every node.
pub(crate) struct Everything;

impl Visibility for Everything {
    fn node(&self, _: Node<'_, '_>) -> bool {
        true
    }
    fn subtree_closed(&self) -> bool {
        true
    }
}

/// An element's subtree, minus the subtrees of some elements (possibly none).
pub(crate) struct Subtree {
    range: std::ops::Range<usize>,
    except: Excluding,
}

impl Subtree {
    pub(crate) fn new(apex: Element<'_, '_>, excluded: &[Element<'_, '_>]) -> Self {
        Subtree {
            range: apex.range(),
            except: Excluding::new(excluded),
        }
    }
}

impl Visibility for Subtree {
    fn node(&self, node: Node<'_, '_>) -> bool {
        let start = node.range().start;
        node.node_type() != NodeType::Root
            && self.range.start <= start
            && start < self.range.end
            && self.except.node(node)
    }
    fn subtree_closed(&self) -> bool {
        true
    }
}

/// Every node except the subtrees of some elements.
///
/// The subtrees are kept as byte ranges, sorted, with those inside another dropped, so that
/// a membership test is a binary search: excluding many subtrees (an XPath filter may select
/// every element) costs `O(n log k)`, not `O(n k)`.
pub(crate) struct Excluding {
    /// Disjoint, sorted by start.
    ranges: Vec<std::ops::Range<usize>>,
}

impl Excluding {
    pub(crate) fn new(excluded: &[Element<'_, '_>]) -> Self {
        let mut all: Vec<std::ops::Range<usize>> = excluded
            .iter()
            .map(|e| {
                let r = e.range();
                r.start..r.end.max(r.start + 1)
            })
            .collect();
        all.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
        let mut ranges: Vec<std::ops::Range<usize>> = Vec::with_capacity(all.len());
        for r in all {
            // Element ranges nest or are disjoint: one that starts inside the last kept
            // range lies inside it.
            match ranges.last() {
                Some(last) if r.start < last.end => {}
                _ => ranges.push(r),
            }
        }
        Excluding { ranges }
    }
}

impl Visibility for Excluding {
    fn node(&self, node: Node<'_, '_>) -> bool {
        let start = node.range().start;
        // The last range starting at or before `start` is the only one that can hold it.
        let after = self.ranges.partition_point(|r| r.start <= start);
        !(after > 0 && start < self.ranges[after - 1].end)
    }
    fn subtree_closed(&self) -> bool {
        true
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
/// Where the walk is relative to the document element (for comments and PIs at the root).
enum Position {
    Before,
    Inside,
    After,
}

/// A namespace node of an output ancestor (or, in exclusive mode, of any ancestor walked).
struct Rendered<'a> {
    prefix: &'a str,
    uri: &'a str,
    /// Whether the namespace node is in the subset (exclusive mode checks it).
    in_subset: bool,
}

#[derive(Clone, Copy)]
struct Saved {
    len: usize,
    prev_start: usize,
    prev_end: usize,
}

struct Frame<'d, 'a> {
    element: Node<'d, 'a>,
    next_child: Option<Node<'d, 'a>>,
    visible: bool,
    saved: Saved,
}

/// An attribute to render: sort key plus text.
struct Attr<'s> {
    namespace: &'s str,
    local: &'s str,
    qname: &'s str,
    value: std::borrow::Cow<'s, str>,
}

const FLUSH_AT: usize = 16 * 1024;

pub(crate) struct Engine<'c, 'o, 'd, 'i: 'd> {
    method: Method,
    with_comments: bool,
    inclusive_prefixes: &'c [String],
    source: &'i str,
    visibility: &'c dyn Visibility,
    sink: &'o mut dyn Write,
    buf: Vec<u8>,
    stack: Vec<Rendered<'d>>,
    prev_start: usize,
    prev_end: usize,
    position: Position,
    ns_list: Vec<(&'d str, &'d str)>,
    /// Reused between elements.
    attrs: Vec<Attr<'d>>,
}

impl<'c, 'o, 'd, 'i: 'd> Engine<'c, 'o, 'd, 'i> {
    pub(crate) fn new(
        c: &'c Canonicalizer,
        source: &'i str,
        visibility: &'c dyn Visibility,
        sink: &'o mut dyn Write,
    ) -> Self {
        Engine {
            method: c.method,
            with_comments: c.with_comments,
            inclusive_prefixes: &c.inclusive_prefixes,
            source,
            visibility,
            sink,
            buf: Vec::with_capacity(FLUSH_AT + 1024),
            stack: Vec::new(),
            prev_start: 0,
            prev_end: 0,
            position: Position::Inside,
            ns_list: Vec::new(),
            attrs: Vec::new(),
        }
    }

    pub(crate) fn run(mut self, start: Node<'d, 'i>) -> Result<()> {
        let mut frames: Vec<Frame<'d, 'i>> = Vec::new();
        match start.node_type() {
            NodeType::Root => {
                self.position = Position::Before;
                let mut child = start.first_child();
                while let Some(node) = child {
                    child = node.next_sibling();
                    match node.node_type() {
                        NodeType::Element => {
                            self.position = Position::Inside;
                            self.walk_element(node, &mut frames)?;
                            self.position = Position::After;
                        }
                        NodeType::Comment | NodeType::PI => self.leaf(node)?,
                        // Text outside the document element is not part of the data model.
                        _ => {}
                    }
                }
            }
            NodeType::Element => self.walk_element(start, &mut frames)?,
            _ => self.leaf(start)?,
        }
        self.flush()?;
        self.sink
            .flush()
            .map_err(|e| Error::internal(format!("canonical output: {e}")))
    }

    /// Canonicalizes one element subtree without recursion.
    fn walk_element(&mut self, root: Node<'d, 'i>, frames: &mut Vec<Frame<'d, 'i>>) -> Result<()> {
        let closed = self.visibility.subtree_closed();
        if closed && !self.visibility.node(root) {
            return Ok(());
        }
        let frame = self.open(root)?;
        frames.push(frame);
        while let Some(top) = frames.last_mut() {
            match top.next_child {
                Some(child) => {
                    top.next_child = child.next_sibling();
                    match child.node_type() {
                        NodeType::Element => {
                            if closed && !self.visibility.node(child) {
                                continue;
                            }
                            let frame = self.open(child)?;
                            frames.push(frame);
                        }
                        _ => self.leaf(child)?,
                    }
                }
                None => {
                    if let Some(frame) = frames.pop() {
                        self.close(&frame);
                    }
                }
            }
        }
        Ok(())
    }

    fn leaf(&mut self, node: Node<'d, 'i>) -> Result<()> {
        match node.node_type() {
            NodeType::Text => {
                if self.visibility.node(node)
                    && let Some(text) = node.text()
                {
                    escape_text(&mut self.buf, text);
                }
            }
            NodeType::Comment => {
                if self.with_comments && self.visibility.node(node) {
                    if self.position == Position::After {
                        self.buf.push(b'\n');
                    }
                    self.buf.extend_from_slice(b"<!--");
                    self.buf
                        .extend_from_slice(node.text().unwrap_or("").as_bytes());
                    self.buf.extend_from_slice(b"-->");
                    if self.position == Position::Before {
                        self.buf.push(b'\n');
                    }
                }
            }
            NodeType::PI => {
                if self.visibility.node(node)
                    && let Some(pi) = node.pi()
                {
                    if self.position == Position::After {
                        self.buf.push(b'\n');
                    }
                    self.buf.extend_from_slice(b"<?");
                    self.buf.extend_from_slice(pi.target.as_bytes());
                    if let Some(value) = pi.value.filter(|v| !v.is_empty()) {
                        self.buf.push(b' ');
                        self.buf.extend_from_slice(value.as_bytes());
                    }
                    self.buf.extend_from_slice(b"?>");
                    if self.position == Position::Before {
                        self.buf.push(b'\n');
                    }
                }
            }
            NodeType::Root | NodeType::Element => {}
        }
        if self.buf.len() >= FLUSH_AT {
            self.flush()?;
        }
        Ok(())
    }

    fn open(&mut self, element: Node<'d, 'i>) -> Result<Frame<'d, 'i>> {
        let visible = self.visibility.node(element);
        let saved = Saved {
            len: self.stack.len(),
            prev_start: self.prev_start,
            prev_end: self.prev_end,
        };
        if visible {
            self.buf.push(b'<');
            self.buf
                .extend_from_slice(qname_at(self.source, element.range().start).as_bytes());
        }
        let pushed_frame = match self.method {
            Method::Exclusive10 => {
                self.exclusive_namespaces(element, visible)?;
                visible
            }
            Method::Inclusive10 | Method::Inclusive11 => {
                self.inclusive_namespaces(element, visible)?
            }
        };
        if pushed_frame {
            self.prev_start = self.prev_end;
            self.prev_end = self.stack.len();
        }
        self.attributes(element, visible);
        if visible {
            self.buf.push(b'>');
        }
        if self.buf.len() >= FLUSH_AT {
            self.flush()?;
        }
        Ok(Frame {
            element,
            next_child: element.first_child(),
            visible,
            saved,
        })
    }

    fn close(&mut self, frame: &Frame<'d, 'i>) {
        if frame.visible {
            self.buf.extend_from_slice(b"</");
            self.buf
                .extend_from_slice(qname_at(self.source, frame.element.range().start).as_bytes());
            self.buf.push(b'>');
        }
        self.stack.truncate(frame.saved.len);
        self.prev_start = frame.saved.prev_start;
        self.prev_end = frame.saved.prev_end;
    }

    /// Inclusive: was a namespace node with this prefix and value rendered by the nearest
    /// output ancestor (searching the whole stack for the empty default)?
    fn find_inclusive(&self, prefix: &str, uri: &str) -> bool {
        let empty = prefix.is_empty() && uri.is_empty();
        let start = if empty { 0 } else { self.prev_start };
        for entry in self.stack[start.min(self.stack.len())..].iter().rev() {
            if same_str(entry.prefix, prefix) {
                return same_str(entry.uri, uri);
            }
        }
        empty
    }

    /// Exclusive: did the nearest ancestor that declared this prefix in the walk render it
    /// with the same value?
    fn find_exclusive(&self, prefix: &str, uri: &str) -> bool {
        for entry in self.stack.iter().rev() {
            if same_str(entry.prefix, prefix) {
                return same_str(entry.uri, uri) && entry.in_subset;
            }
        }
        prefix.is_empty() && uri.is_empty()
    }

    /// Returns whether the element pushed a frame of namespace nodes.
    fn inclusive_namespaces(&mut self, element: Node<'d, 'i>, visible: bool) -> Result<bool> {
        // Fast path for subtree-closed subsets: an element in the subset whose parent is in it
        // too, with the very same in-scope namespaces, renders none and can share the
        // parent's frame.
        if visible
            && self.visibility.subtree_closed()
            && let Some(parent) = element.parent().filter(|p| p.is_element())
            && self.visibility.node(parent)
            && same_namespaces(element, parent)
        {
            return Ok(false);
        }
        self.ns_list.clear();
        let mut has_default = false;
        for (index, ns) in element.namespaces().enumerate() {
            let prefix = ns.name().unwrap_or("");
            if prefix == "xml" || !self.visibility.namespace(element, index) {
                continue;
            }
            let uri = ns.uri();
            let already = self.find_inclusive(prefix, uri);
            if visible {
                self.stack.push(Rendered {
                    prefix,
                    uri,
                    in_subset: true,
                });
            }
            if !already {
                self.ns_list.push((prefix, uri));
            }
            has_default |= prefix.is_empty();
        }
        if visible && !has_default && !self.find_inclusive("", "") {
            self.buf.extend_from_slice(b" xmlns=\"\"");
        }
        self.write_namespaces()?;
        Ok(visible)
    }

    fn exclusive_namespaces(&mut self, element: Node<'d, 'i>, visible: bool) -> Result<()> {
        self.ns_list.clear();
        let mut has_default = false;
        let mut utilizes_default = false;
        let mut default_in_list = false;
        for listed in self.inclusive_prefixes {
            let prefix = match listed.as_str() {
                "#default" | "" => {
                    default_in_list = true;
                    ""
                }
                p => p,
            };
            let Some((index, prefix, uri)) = lookup(element, prefix) else {
                continue;
            };
            if prefix == "xml" || !self.visibility.namespace(element, index) {
                continue;
            }
            let already = self.find_inclusive(prefix, uri);
            if visible {
                self.stack.push(Rendered {
                    prefix,
                    uri,
                    in_subset: true,
                });
            }
            if !already {
                self.ns_list.push((prefix, uri));
            }
            has_default |= prefix.is_empty();
        }

        // The element's own prefix.
        let qname = qname_at(self.source, element.range().start);
        let own_prefix = match qname.bytes().position(|b| b == b':') {
            Some(colon) => &qname[..colon],
            None => {
                utilizes_default = true;
                ""
            }
        };
        if let Some((index, prefix, uri)) = lookup(element, own_prefix)
            && prefix != "xml"
        {
            let in_subset = self.visibility.namespace(element, index);
            if visible && in_subset && !self.find_exclusive(prefix, uri) {
                self.ns_list.push((prefix, uri));
            }
            if visible {
                self.stack.push(Rendered {
                    prefix,
                    uri,
                    in_subset,
                });
            }
            has_default |= prefix.is_empty();
        }

        // Prefixes of the attributes in the subset (unprefixed attributes use no namespace).
        for (index, attr) in element.attributes().enumerate() {
            let qname = &self.source[attr.range_qname()];
            let Some(colon) = qname.bytes().position(|b| b == b':') else {
                continue;
            };
            let prefix = &qname[..colon];
            if prefix == "xml" || prefix == "xmlns" || !self.visibility.attribute(element, index) {
                continue;
            }
            let Some((ns_index, prefix, uri)) = lookup(element, prefix) else {
                continue;
            };
            let already = self.find_exclusive(prefix, uri);
            self.stack.push(Rendered {
                prefix,
                uri,
                in_subset: self.visibility.namespace(element, ns_index),
            });
            if !already && visible {
                self.ns_list.push((prefix, uri));
            }
        }

        if visible && utilizes_default && !has_default && !default_in_list {
            if !self.find_exclusive("", "") {
                self.buf.extend_from_slice(b" xmlns=\"\"");
            }
        } else if visible && !has_default && default_in_list && !self.find_inclusive("", "") {
            self.buf.extend_from_slice(b" xmlns=\"\"");
        }
        self.write_namespaces()
    }

    /// Writes the collected namespace declarations in prefix order. A relative namespace URI
    /// cannot be canonicalized (the recommendations require an error); only rendered URIs can
    /// affect the output, so they are the ones checked.
    fn write_namespaces(&mut self) -> Result<()> {
        if self.ns_list.len() > 1 {
            self.ns_list.sort_unstable_by(|a, b| cmp_str(a.0, b.0));
            self.ns_list
                .dedup_by(|a, b| same_str(a.0, b.0) && same_str(a.1, b.1));
        }
        for &(prefix, uri) in &self.ns_list {
            if prefix.is_empty() {
                self.buf.extend_from_slice(b" xmlns=\"");
            } else {
                self.buf.extend_from_slice(b" xmlns:");
                self.buf.extend_from_slice(prefix.as_bytes());
                self.buf.extend_from_slice(b"=\"");
            }
            if !uri.is_empty() && !is_absolute_uri(uri) {
                return Err(Error::xml_malformed(
                    "namespace declaration",
                    format!("relative namespace URI `{uri}` cannot be canonicalized"),
                ));
            }
            escape_attribute(&mut self.buf, uri);
            self.buf.push(b'"');
        }
        Ok(())
    }

    fn attributes(&mut self, element: Node<'d, 'i>, visible: bool) {
        // Fast path: no attributes to render or inherit.
        let parent_hidden = visible
            && element
                .parent()
                .is_some_and(|p| p.is_element() && !self.visibility.node(p));
        if element.attributes().len() == 0 && !parent_hidden {
            return;
        }
        let mut attrs: Vec<Attr<'d>> = std::mem::take(&mut self.attrs);
        attrs.clear();
        let source = self.source;
        let entry = |attr: roxmltree::Attribute<'d, 'i>| attr_entry(source, attr);
        match self.method {
            Method::Exclusive10 => {
                for (i, attr) in element.attributes().enumerate() {
                    if self.visibility.attribute(element, i) {
                        attrs.push(entry(attr));
                    }
                }
            }
            Method::Inclusive10 => {
                for (i, attr) in element.attributes().enumerate() {
                    if self.visibility.attribute(element, i) {
                        attrs.push(entry(attr));
                    }
                }
                if parent_hidden {
                    // Nearest occurrences of xml:* attributes along the ancestor axis, unless
                    // the element has one of the same name.
                    for ancestor in element.ancestors().skip(1).filter(|n| n.is_element()) {
                        for attr in ancestor.attributes() {
                            if attr.namespace() == Some(XML_NAMESPACE)
                                && !attrs
                                    .iter()
                                    .any(|a| a.namespace == XML_NAMESPACE && a.local == attr.name())
                            {
                                attrs.push(entry(attr));
                            }
                        }
                    }
                }
            }
            Method::Inclusive11 => {
                let mut lang = None;
                let mut space = None;
                let mut base = None;
                for (i, attr) in element.attributes().enumerate() {
                    if visible && attr.namespace() == Some(XML_NAMESPACE) {
                        match attr.name() {
                            "lang" if lang.is_none() => lang = Some(attr),
                            "space" if space.is_none() => space = Some(attr),
                            "base" if base.is_none() => base = Some(attr),
                            _ => {
                                if self.visibility.attribute(element, i) {
                                    attrs.push(entry(attr));
                                }
                            }
                        }
                    } else if self.visibility.attribute(element, i) {
                        attrs.push(entry(attr));
                    }
                }
                if visible {
                    let parent = element.parent();
                    if let Some(a) = lang.or_else(|| self.hidden_ancestor_attr(parent, "lang")) {
                        attrs.push(entry(a));
                    }
                    if let Some(a) = space.or_else(|| self.hidden_ancestor_attr(parent, "space")) {
                        attrs.push(entry(a));
                    }
                    let base_attr = base
                        .map(|a| (a, element))
                        .or_else(|| self.hidden_ancestor_attr_owner(parent, "base"));
                    if let Some((attr, owner)) = base_attr {
                        let value = self.fixup_base(attr.value(), owner);
                        if !value.is_empty() {
                            let mut e = entry(attr);
                            e.value = std::borrow::Cow::Owned(value);
                            attrs.push(e);
                        }
                    }
                }
            }
        }
        if attrs.len() > 1 {
            attrs.sort_by(|a, b| {
                cmp_str(a.namespace, b.namespace).then_with(|| cmp_str(a.local, b.local))
            });
        }
        for a in &attrs {
            self.buf.push(b' ');
            self.buf.extend_from_slice(a.qname.as_bytes());
            self.buf.extend_from_slice(b"=\"");
            escape_attribute(&mut self.buf, &a.value);
            self.buf.push(b'"');
        }
        attrs.clear();
        self.attrs = attrs;
    }

    fn hidden_ancestor_attr(
        &self,
        start: Option<Node<'d, 'i>>,
        local: &str,
    ) -> Option<roxmltree::Attribute<'d, 'i>> {
        self.hidden_ancestor_attr_owner(start, local)
            .map(|(a, _)| a)
    }

    /// The nearest `xml:<local>` on the ancestors outside the subset, walking up from `start`
    /// until an ancestor in the subset.
    fn hidden_ancestor_attr_owner(
        &self,
        start: Option<Node<'d, 'i>>,
        local: &str,
    ) -> Option<(roxmltree::Attribute<'d, 'i>, Node<'d, 'i>)> {
        let mut cur = start;
        while let Some(node) = cur.filter(|n| n.is_element() && !self.visibility.node(*n)) {
            if let Some(attr) = node
                .attributes()
                .find(|a| a.namespace() == Some(XML_NAMESPACE) && a.name() == local)
            {
                return Some((attr, node));
            }
            cur = node.parent();
        }
        None
    }

    /// C14N 1.1 `xml:base` fix-up: join the values of the omitted ancestors above `owner`.
    fn fixup_base(&self, value: &str, owner: Node<'d, 'i>) -> String {
        let mut result = value.to_string();
        let mut cur = owner.parent();
        while let Some(node) = cur.filter(|n| n.is_element() && !self.visibility.node(*n)) {
            if let Some(base) = node
                .attributes()
                .find(|a| a.namespace() == Some(XML_NAMESPACE) && a.name() == "base")
            {
                let mut base = base.value().to_string();
                if base.len() > 1 && base.as_bytes()[base.len() - 2] == b'.' {
                    base.push('/');
                }
                result = uri::join(&base, &result);
            }
            cur = node.parent();
        }
        result
    }

    fn flush(&mut self) -> Result<()> {
        if !self.buf.is_empty() {
            self.sink
                .write_all(&self.buf)
                .map_err(|e| Error::internal(format!("canonical output: {e}")))?;
            self.buf.clear();
        }
        Ok(())
    }
}

fn attr_entry<'d, 'i: 'd>(source: &'i str, attr: roxmltree::Attribute<'d, 'i>) -> Attr<'d> {
    Attr {
        namespace: attr.namespace().unwrap_or(""),
        local: attr.name(),
        qname: &source[attr.range_qname()],
        value: std::borrow::Cow::Borrowed(attr.value()),
    }
}

/// The namespace bound to `prefix` ("" for the default) on `element`: its index in
/// `element.namespaces()`, the prefix, and the URI.
fn lookup<'d>(element: Node<'d, '_>, prefix: &str) -> Option<(usize, &'d str, &'d str)> {
    element
        .namespaces()
        .enumerate()
        .find(|(_, ns)| same_str(ns.name().unwrap_or(""), prefix))
        .map(|(i, ns)| (i, ns.name().unwrap_or(""), ns.uri()))
}

/// Whether two elements have the very same in-scope namespace entries (shared storage).
fn same_namespaces(a: Node<'_, '_>, b: Node<'_, '_>) -> bool {
    let (x, y) = (a.namespaces(), b.namespaces());
    x.len() == y.len() && x.zip(y).all(|(p, q)| std::ptr::eq(p, q))
}

/// String equality with a pointer fast path: namespace URIs of one document usually share
/// their storage.
#[inline]
fn same_str(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && (a.as_ptr() == b.as_ptr() || a.bytes().zip(b.bytes()).all(|(x, y)| x == y))
}

/// Byte-wise ordering of short strings without a `memcmp` call per comparison.
#[inline]
fn cmp_str(a: &str, b: &str) -> std::cmp::Ordering {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    for i in 0..x.len().min(y.len()) {
        if x[i] != y[i] {
            return x[i].cmp(&y[i]);
        }
    }
    x.len().cmp(&y.len())
}

fn is_absolute_uri(uri: &str) -> bool {
    match uri.find(':') {
        Some(i) if i > 0 => {
            let scheme = &uri[..i];
            scheme.as_bytes()[0].is_ascii_alphabetic()
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-' || b == b'.')
        }
        _ => false,
    }
}

/// Canonical text escaping: `&` `<` `>` and CR.
pub(crate) fn escape_text(out: &mut Vec<u8>, text: &str) {
    escape(out, text.as_bytes(), TEXT_ESCAPE);
}

/// Canonical attribute escaping: `&` `<` `"` TAB LF CR.
pub(crate) fn escape_attribute(out: &mut Vec<u8>, value: &str) {
    escape(out, value.as_bytes(), ATTRIBUTE_ESCAPE);
}

/// Which bytes C14N escapes in text and in attribute values.
const TEXT_ESCAPE: u8 = 1;
const ATTRIBUTE_ESCAPE: u8 = 2;
static ESCAPED: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b'&' as usize] = TEXT_ESCAPE | ATTRIBUTE_ESCAPE;
    t[b'<' as usize] = TEXT_ESCAPE | ATTRIBUTE_ESCAPE;
    t[b'>' as usize] = TEXT_ESCAPE;
    t[b'\r' as usize] = TEXT_ESCAPE | ATTRIBUTE_ESCAPE;
    t[b'"' as usize] = ATTRIBUTE_ESCAPE;
    t[b'\t' as usize] = ATTRIBUTE_ESCAPE;
    t[b'\n' as usize] = ATTRIBUTE_ESCAPE;
    t
};

/// Copies `bytes`, replacing those of `class` by their references. Runs of ordinary bytes
/// are found with one table load per byte and copied whole.
fn escape(out: &mut Vec<u8>, bytes: &[u8], class: u8) {
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if ESCAPED[b as usize] & class == 0 {
            i += 1;
            continue;
        }
        let rep: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\t' => b"&#x9;",
            b'\n' => b"&#xA;",
            _ => b"&#xD;",
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(rep);
        i += 1;
        start = i;
    }
    out.extend_from_slice(&bytes[start..]);
}
