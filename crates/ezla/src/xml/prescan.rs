//! A linear pre-scan that enforces the [`ParseOptions`] limits before a tree is built.
//!
//! `roxmltree` checks duplicate attributes by comparing every attribute of an element with
//! every other, and copies an element's whole in-scope namespace list each time a child
//! declares one more. Both are quadratic, and both happen while the tree is built, before any
//! limit we check afterwards can stop them. This scan walks the text once, in time linear in
//! its length and with memory bounded by the depth limit, and refuses a document that breaks
//! a limit before the tree builder sees it. It also refuses character references to
//! characters XML forbids (`&#xD800;`, `&#0;`), which the tree builder would silently turn
//! into U+FFFD.
//!
//! The scan follows the XML grammar closely enough to see the same elements, attributes and
//! text nodes as the parser does for every well-formed document. Where it cannot make sense
//! of the markup it refuses the document as malformed rather than guessing, so that nothing
//! it did not count reaches the parser.

use memchr::{memchr, memchr3};

use super::parse::ParseOptions;
use crate::error::XmlError;
use crate::{Error, Result};

/// Refuses `text` if it breaks a limit of `options` or names an illegal character.
pub(super) fn prescan(text: &str, options: &ParseOptions) -> Result<()> {
    Scanner {
        bytes: text.as_bytes(),
        pos: 0,
        options,
        nodes: 0,
        text_run: 0,
        next_amp: None,
        in_scope: Vec::new(),
    }
    .run()
}

struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
    options: &'a ParseOptions,
    /// Nodes counted so far: elements, attributes (namespace declarations included), text
    /// nodes, comments, PIs, and the namespace entries the parser materialises.
    nodes: u64,
    /// Length of the text node being read (text, CDATA and references with no markup in
    /// between make one node), or 0.
    text_run: usize,
    /// The next `&` at or after the cursor, or `None` when it must be searched for again.
    /// Text is skipped from `<` to `<`; references in it are visited through this.
    next_amp: Option<usize>,
    /// For each open element, how many namespace declarations are in scope (an upper bound:
    /// a redeclared prefix counts twice).
    in_scope: Vec<usize>,
}

#[inline]
fn is_space(b: u8) -> bool {
    CLASS[b as usize] & SPACE != 0
}

/// Bytes that end a name inside a tag.
#[inline]
fn ends_name(b: u8) -> bool {
    CLASS[b as usize] & NAME_END != 0
}

/// The attribute name in what precedes a value (`  name = `), or `None` if that is not its
/// shape: white space, the name, optional white space, `=`, optional white space. The name
/// may keep trailing white space here; its exact length is only worked out when the whole
/// of `between` is longer than a name may be. Reading forward from the start is cheap: a
/// single space usually precedes the name, and nothing usually follows the `=`.
fn attribute_name(between: &[u8]) -> Option<&[u8]> {
    // A name must follow white space (after the element name or the previous value).
    if !between.first().is_some_and(|&b| is_space(b)) {
        return None;
    }
    let start = between.iter().position(|&b| !is_space(b))?;
    let mut end = between.len();
    while end > start && is_space(between[end - 1]) {
        end -= 1;
    }
    if end == start || between[end - 1] != b'=' {
        return None;
    }
    let name = &between[start..end - 1];
    (!name.is_empty()).then_some(name)
}

/// `name` (as [`attribute_name`] gives it) without trailing white space.
fn trimmed(name: &[u8]) -> &[u8] {
    let end = name
        .iter()
        .rposition(|&b| !is_space(b))
        .map_or(0, |i| i + 1);
    &name[..end]
}

/// Whether an attribute name declares a namespace: `xmlns` or `xmlns:prefix`.
fn is_declaration(name: &[u8]) -> bool {
    name.starts_with(b"xmlns")
        && matches!(
            name.get(5),
            None | Some(b':') | Some(b' ' | b'\t' | b'\r' | b'\n')
        )
}

/// How many bytes the `find` helpers test one by one before handing over to `memchr`: most
/// spans in markup (white space between tags, short values, names) are shorter than this,
/// and for them a plain loop beats setting up a vectorised search.
const SHORT: usize = 32;

/// Byte classes for the scanner: one table load per byte instead of several comparisons.
const TAG_STOP: u8 = 2;
const SPACE: u8 = 4;
const NAME_END: u8 = 8;
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b'<' as usize] = NAME_END;
    t[b'"' as usize] = TAG_STOP | NAME_END;
    t[b'\'' as usize] = TAG_STOP | NAME_END;
    t[b'>' as usize] = TAG_STOP | NAME_END;
    t[b'/' as usize] = NAME_END;
    t[b'=' as usize] = NAME_END;
    t[b' ' as usize] = SPACE | NAME_END;
    t[b'\t' as usize] = SPACE | NAME_END;
    t[b'\r' as usize] = SPACE | NAME_END;
    t[b'\n' as usize] = SPACE | NAME_END;
    t
};

#[inline]
fn find1(a: u8, hay: &[u8]) -> Option<usize> {
    let head = &hay[..hay.len().min(SHORT)];
    match head.iter().position(|&c| c == a) {
        Some(i) => Some(i),
        None if hay.len() <= SHORT => None,
        None => memchr(a, &hay[SHORT..]).map(|i| i + SHORT),
    }
}

/// The first quote or `>` in `hay`: a table test over the first [`SHORT`] bytes, then
/// `memchr3`.
#[inline]
fn find_tag_stop(hay: &[u8]) -> Option<usize> {
    let head = &hay[..hay.len().min(SHORT)];
    match head.iter().position(|&c| CLASS[c as usize] & TAG_STOP != 0) {
        Some(i) => Some(i),
        None if hay.len() <= SHORT => None,
        None => memchr3(b'"', b'\'', b'>', &hay[SHORT..]).map(|i| i + SHORT),
    }
}

/// The XML 1.0 `Char` production.
fn is_xml_char(c: u32) -> bool {
    matches!(c, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x1_0000..=0x10_FFFF)
}

impl<'a> Scanner<'a> {
    fn run(mut self) -> Result<()> {
        if self.bytes.starts_with("\u{feff}".as_bytes()) {
            self.pos = 3;
        }
        loop {
            let rest = &self.bytes[self.pos..];
            let lt = find1(b'<', rest).map_or(self.bytes.len(), |i| self.pos + i);
            self.text_until(lt)?;
            if lt == self.bytes.len() {
                self.end_text()?;
                return Ok(());
            }
            self.pos = lt;
            self.markup()?;
        }
    }

    /// Accounts for the text from the cursor to `end` (no markup in between) and checks
    /// the character references in it.
    fn text_until(&mut self, end: usize) -> Result<()> {
        if end == self.pos {
            return Ok(());
        }
        // Bytes of the source: an upper bound of the text's length.
        self.add_text(end - self.pos)?;
        let mut cursor = self.pos;
        loop {
            let amp = match self.next_amp {
                Some(a) if a >= cursor => a,
                _ => {
                    let found = memchr(b'&', &self.bytes[cursor..])
                        .map_or(self.bytes.len(), |i| cursor + i);
                    self.next_amp = Some(found);
                    found
                }
            };
            if amp >= end {
                return Ok(());
            }
            cursor = self.reference(amp, end)?;
        }
    }

    fn malformed(&self, at: usize, what: &str) -> Error {
        Error::xml_malformed("document", format!("{what} at byte {at}"))
    }

    fn limit(&self, limit: &'static str, max: usize) -> Error {
        Error::Xml(XmlError::LimitExceeded { limit, max })
    }

    fn count(&mut self, n: u64) -> Result<()> {
        self.nodes += n;
        if self.nodes > u64::from(self.options.max_nodes) {
            return Err(self.limit("nodes", self.options.max_nodes as usize));
        }
        Ok(())
    }

    fn add_text(&mut self, len: usize) -> Result<()> {
        self.text_run += len;
        if self.text_run > self.options.max_text_len {
            return Err(self.limit("text length", self.options.max_text_len));
        }
        Ok(())
    }

    fn end_text(&mut self) -> Result<()> {
        if self.text_run > 0 {
            self.text_run = 0;
            self.count(1)?;
        }
        Ok(())
    }

    /// Checks the reference starting at `at` (`&…;`, within `..limit`) and returns the
    /// offset after it. Entity references are left to the parser, which refuses any but the
    /// five predefined ones; character references must name a legal XML character.
    fn reference(&self, at: usize, limit: usize) -> Result<usize> {
        // The longest legal reference is `&#x10FFFF;` or a name; 64 bytes is ample for the
        // five predefined entities and any character reference with leading zeros a
        // generator might write.
        if self.bytes.get(at + 1) != Some(&b'#') {
            // An entity reference: the parser refuses all but the five predefined ones.
            return Ok(at + 1);
        }
        let window = &self.bytes[at..limit.min(at + 64)];
        let Some(semi) = find1(b';', window) else {
            return Err(self.malformed(at, "unterminated reference"));
        };
        let number = &window[2..semi];
        let (digits, radix) = match number.strip_prefix(b"x") {
            Some(hex) => (hex, 16),
            None => (number, 10),
        };
        let valid = !digits.is_empty()
            && digits.iter().all(|b| match radix {
                16 => b.is_ascii_hexdigit(),
                _ => b.is_ascii_digit(),
            });
        let value = std::str::from_utf8(digits)
            .ok()
            .filter(|_| valid)
            .and_then(|d| u32::from_str_radix(d, radix).ok());
        match value {
            Some(c) if is_xml_char(c) => {}
            Some(c) => {
                return Err(self.malformed(
                    at,
                    &format!("character reference to U+{c:04X}, which XML does not allow,"),
                ));
            }
            None => return Err(self.malformed(at, "malformed character reference")),
        }
        Ok(at + semi + 1)
    }

    /// The offset of `terminator` (`-->`, `?>`, `]]>`: a prefix and `>`) at or after
    /// `from`. Searching for the `>` and checking what precedes it is cheaper than a
    /// substring search for these short, rarely repeated terminators.
    fn find(&self, from: usize, terminator: &[u8], what: &str) -> Result<usize> {
        let prefix = &terminator[..terminator.len() - 1];
        let mut at = from;
        while let Some(i) = find1(b'>', &self.bytes[at..]) {
            let gt = at + i;
            if gt >= from + prefix.len() && &self.bytes[gt - prefix.len()..gt] == prefix {
                return Ok(gt - prefix.len());
            }
            at = gt + 1;
        }
        Err(self.malformed(from, what))
    }

    fn markup(&mut self) -> Result<()> {
        let start = self.pos;
        let rest = &self.bytes[start..];
        if rest.starts_with(b"<!--") {
            self.end_text()?;
            let end = self.find(start + 4, b"-->", "unterminated comment")?;
            self.count(1)?;
            self.pos = end + 3;
        } else if rest.starts_with(b"<![CDATA[") {
            let end = self.find(start + 9, b"]]>", "unterminated CDATA section")?;
            self.add_text(end - (start + 9))?;
            self.pos = end + 3;
        } else if rest.starts_with(b"<!") {
            return Err(Error::Xml(XmlError::DtdForbidden {
                offset: Some(start),
            }));
        } else if rest.starts_with(b"<?") {
            self.end_text()?;
            let end = self.find(start + 2, b"?>", "unterminated processing instruction")?;
            self.count(1)?;
            self.pos = end + 2;
        } else if rest.starts_with(b"</") {
            self.end_text()?;
            let Some(end) = find1(b'>', &rest[2..]) else {
                return Err(self.malformed(start, "unterminated end tag"));
            };
            if self.in_scope.pop().is_none() {
                return Err(self.malformed(start, "end tag without a start tag"));
            }
            self.pos = start + 2 + end + 1;
        } else {
            self.end_text()?;
            self.start_tag()?;
        }
        Ok(())
    }

    /// Steps over the element name starting at `self.pos`, checking its length.
    fn element_name(&mut self) -> Result<()> {
        let start = self.pos;
        let bytes = self.bytes;
        let mut end = start;
        while end < bytes.len() && !ends_name(bytes[end]) {
            end += 1;
        }
        if end == start {
            return Err(self.malformed(start, "expected an element name"));
        }
        if end - start > self.options.max_name_len {
            return Err(self.limit("name length", self.options.max_name_len));
        }
        self.pos = end;
        Ok(())
    }

    fn start_tag(&mut self) -> Result<()> {
        let tag = self.pos;
        self.pos += 1;
        self.element_name()?;
        self.count(1)?;
        if self.in_scope.len() + 1 > self.options.max_depth {
            return Err(self.limit("depth", self.options.max_depth));
        }
        // The rest of the tag is read from quote to quote: in a well-formed tag every
        // attribute has exactly one quoted value and no quote stands anywhere else, so
        // counting values counts attributes. What lies between two values must be white
        // space, a name and `=`; the parser checks that, and a tag this scan misreads is
        // one the parser refuses.
        let mut attributes = 0usize;
        let mut declarations = 0usize;
        let closed = loop {
            let Some(i) = find_tag_stop(&self.bytes[self.pos..]) else {
                return Err(self.malformed(tag, "unterminated start tag"));
            };
            let at = self.pos + i;
            let between = &self.bytes[self.pos..at];
            let quote = self.bytes[at];
            if quote == b'>' {
                self.pos = at + 1;
                break between.last() == Some(&b'/');
            }
            let name = attribute_name(between)
                .ok_or_else(|| self.malformed(self.pos, "expected `name=` before a value"))?;
            if name.len() > self.options.max_name_len
                && trimmed(name).len() > self.options.max_name_len
            {
                return Err(self.limit("name length", self.options.max_name_len));
            }
            let value_start = at + 1;
            let Some(len) = find1(quote, &self.bytes[value_start..]) else {
                return Err(self.malformed(at, "unterminated attribute value"));
            };
            let value_end = value_start + len;
            if len > self.options.max_text_len {
                return Err(self.limit("text length", self.options.max_text_len));
            }
            self.references_in(value_start, value_end)?;
            self.pos = value_end + 1;
            attributes += 1;
            if attributes > self.options.max_attributes {
                return Err(self.limit("attributes per element", self.options.max_attributes));
            }
            if is_declaration(name) {
                declarations += 1;
            }
        };
        self.count(attributes as u64)?;
        let parent = self.in_scope.last().copied().unwrap_or(0);
        let in_scope = parent + declarations;
        if in_scope > self.options.max_namespaces {
            return Err(self.limit(
                "namespace declarations in scope",
                self.options.max_namespaces,
            ));
        }
        if declarations > 0 {
            // The parser materialises the element's whole in-scope list.
            self.count(in_scope as u64)?;
        }
        if !closed {
            self.in_scope.push(in_scope);
        }
        Ok(())
    }

    fn references_in(&self, start: usize, end: usize) -> Result<()> {
        let mut at = start;
        while let Some(i) = find1(b'&', &self.bytes[at..end]) {
            at = self.reference(at + i, end)?;
        }
        Ok(())
    }
}
