//! Reading a SOAP 1.1 response envelope down to its body element or its Fault.

use std::fmt;

use super::{ENVELOPE_NS, ENVELOPE_NS_12, Fault};
use crate::Result;
use crate::xml::{Document, Element, ParseOptions};

/// A parsed SOAP 1.1 envelope; [`Envelope::body`] judges its structure.
pub struct Envelope<'a> {
    doc: Document<'a>,
}

/// What a well-formed envelope's `Body` holds.
#[derive(Debug)]
pub enum Body<'d, 'a> {
    /// The one body element (a response of the protocol using the envelope).
    Element(Element<'d, 'a>),
    /// A SOAP Fault, its fields verbatim.
    Fault(Fault),
}

/// An envelope whose structure is not SOAP 1.1's: where, and what is wrong. The protocol
/// using the envelope turns it into an error of its own family (with the operation).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvelopeError {
    /// The element path where the problem is (`/Envelope/Body`).
    pub path: String,
    /// What is wrong.
    pub detail: String,
}

impl fmt::Display for EnvelopeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}", self.detail, self.path)
    }
}

fn refuse<T>(at: &Element<'_, '_>, detail: impl Into<String>) -> Result<T, EnvelopeError> {
    Err(EnvelopeError {
        path: at.path(),
        detail: detail.into(),
    })
}

/// Refuses character data other than whitespace directly inside `e`.
fn no_text(e: &Element<'_, '_>) -> Result<(), EnvelopeError> {
    let text = e
        .node
        .children()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .any(|t| !t.trim().is_empty());
    if text {
        return refuse(e, "text where only elements are allowed");
    }
    Ok(())
}

impl<'a> Envelope<'a> {
    /// Parses `bytes` (UTF-8) under `options`. Only XML errors are reported here
    /// (malformed, a DTD, a limit); the structure is judged by [`Envelope::body`].
    pub fn parse(bytes: &'a [u8], options: &ParseOptions) -> Result<Self> {
        Ok(Envelope {
            doc: Document::parse_bytes_with(bytes, options)?,
        })
    }

    /// The parsed document.
    pub fn document(&self) -> &Document<'a> {
        &self.doc
    }

    /// The body's one element, or its Fault.
    ///
    /// Refused: a document element other than SOAP 1.1's `Envelope` (SOAP 1.2 is named as
    /// such); anything in `Envelope` but an optional `Header` followed by one `Body`; a
    /// `Body` without exactly one child element; text beside the elements; a Fault without
    /// `faultcode` or `faultstring`, or with repeated or unknown children.
    pub fn body(&self) -> Result<Body<'_, 'a>, EnvelopeError> {
        let Some(root) = Element::new(self.doc.root_element()) else {
            return Err(EnvelopeError {
                path: "/".into(),
                detail: "no document element".into(),
            });
        };
        if !root.is(ENVELOPE_NS, "Envelope") {
            let detail = if root.is(ENVELOPE_NS_12, "Envelope") {
                "a SOAP 1.2 envelope; SOAP 1.1 expected".to_string()
            } else {
                format!(
                    "document element {{{}}}{} is not a SOAP 1.1 Envelope",
                    root.namespace().unwrap_or(""),
                    root.local_name()
                )
            };
            return refuse(&root, detail);
        }
        no_text(&root)?;
        let children: Vec<_> = root.children().collect();
        let body = match children.as_slice() {
            [body] | [_, body] => *body,
            [] => return refuse(&root, "no Body"),
            _ => return refuse(&root, "more than a Header and a Body in the Envelope"),
        };
        if let [header, _] = children.as_slice()
            && !header.is(ENVELOPE_NS, "Header")
        {
            return refuse(
                header,
                "unexpected element before Body (only Header allowed)",
            );
        }
        if !body.is(ENVELOPE_NS, "Body") {
            return refuse(&body, "no Body (Envelope ends with another element)");
        }
        no_text(&body)?;
        let mut entries = body.children();
        let (Some(entry), None) = (entries.next(), entries.next()) else {
            return refuse(
                &body,
                format!(
                    "Body holds {} elements; exactly one expected",
                    body.children().count()
                ),
            );
        };
        if entry.is(ENVELOPE_NS, "Fault") {
            return fault(&entry).map(Body::Fault);
        }
        Ok(Body::Element(entry))
    }
}

impl fmt::Debug for Envelope<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Envelope").finish_non_exhaustive()
    }
}

/// The fields of a `Fault`: SOAP 1.1 writes them unqualified; the envelope namespace is
/// accepted too, as some servers qualify them.
fn fault(e: &Element<'_, '_>) -> Result<Fault, EnvelopeError> {
    no_text(e)?;
    let mut out = Fault::default();
    let (mut code, mut string) = (false, false);
    for child in e.children() {
        match child.namespace() {
            None => {}
            Some(ns) if ns == ENVELOPE_NS => {}
            Some(_) => return refuse(&child, "Fault child in a foreign namespace"),
        }
        let seen = match child.local_name() {
            "faultcode" => std::mem::replace(&mut code, true),
            "faultstring" => std::mem::replace(&mut string, true),
            "faultactor" => out.actor.is_some(),
            "detail" => out.detail.is_some(),
            _ => return refuse(&child, "unknown Fault child"),
        };
        if seen {
            return refuse(&child, "repeated Fault child");
        }
        match child.local_name() {
            "faultcode" => out.code = child.text(),
            "faultstring" => out.string = child.text(),
            "faultactor" => out.actor = Some(child.text()),
            _ => out.detail = Some(inner_source(&child).to_string()),
        }
    }
    if !code {
        return refuse(e, "Fault without faultcode");
    }
    if !string {
        return refuse(e, "Fault without faultstring");
    }
    Ok(out)
}

/// The content of `e` as written in the source (between its start and end tags).
fn inner_source<'a>(e: &Element<'_, 'a>) -> &'a str {
    let source = e.node.document().input_text();
    let (Some(first), Some(last)) = (e.node.first_child(), e.node.last_child()) else {
        return "";
    };
    source
        .get(first.range().start..last.range().end)
        .unwrap_or("")
}

#[cfg(test)]
mod tests;
