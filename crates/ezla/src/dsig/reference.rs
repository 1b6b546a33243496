//! References: dereferencing a URI, applying transforms, digesting.
//!
//! The same code computes digests when signing and when verifying, so the two cannot drift.

use std::collections::HashMap;

use super::algorithms::{
    BASE64, DSIG_NS, ENVELOPED_SIGNATURE, XPATH, XPATH_FILTER2, XPATH_NOT_SIGNATURE,
};
use crate::crypto::{DigestAlgorithm, Hasher};
use crate::error::{FormatError, SignatureError};
use crate::xml::base64::decode as decode_base64;
use crate::xml::c14n::{Canonicalizer, Excluding, Method, Subset, Visibility};
use crate::xml::xpath::{XNode, XPath};
use crate::xml::{Document, Element, XML_NAMESPACE};
use crate::{Error, Result};

/// The ID attributes recognised in references (`URI="#value"`): `Id`, `ID`, `id` and
/// `xml:id`. A value that appears twice anywhere in the document is an error.
pub(crate) fn collect_ids<'d, 'a>(
    doc: &'d Document<'a>,
) -> Result<HashMap<&'d str, Element<'d, 'a>>> {
    let mut ids: HashMap<&'d str, Element<'d, 'a>> = HashMap::new();
    for node in doc.tree().descendants().filter(|n| n.is_element()) {
        for attr in node.attributes() {
            let is_id = match attr.namespace() {
                None => matches!(attr.name(), "Id" | "ID" | "id"),
                Some(ns) => ns == XML_NAMESPACE && attr.name() == "id",
            };
            if !is_id {
                continue;
            }
            let Some(element) = Element::new(node) else {
                continue;
            };
            match ids.get(attr.value()) {
                Some(existing) if *existing != element => {
                    return Err(Error::Signature(SignatureError::DuplicateId {
                        id: attr.value().to_string(),
                    }));
                }
                Some(_) => {}
                None => {
                    ids.insert(attr.value(), element);
                }
            }
        }
    }
    Ok(ids)
}

/// What a reference covers once its transforms have been applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Coverage<'d, 'a> {
    /// The whole document except the listed subtrees.
    Document {
        /// Subtrees left out by the transforms (signatures, for conforming references).
        excluded: Vec<Element<'d, 'a>>,
    },
    /// One element and its descendants except the listed subtrees.
    Element {
        /// The referenced element.
        element: Element<'d, 'a>,
        /// Subtrees left out by the transforms.
        excluded: Vec<Element<'d, 'a>>,
    },
    /// The base64-decoded text content of an element (the `base64` transform).
    DecodedText {
        /// The element whose text was decoded.
        element: Element<'d, 'a>,
    },
}

impl<'d, 'a> Coverage<'d, 'a> {
    /// What the reference covers, in words, for reports: `the whole document (/KEDU),
    /// except signatures`, `/KEDU/…/SignedProperties (Id …)`. `root` is the document
    /// element.
    pub fn describe(&self, root: Element<'_, '_>) -> String {
        let except = |excluded: &[Element<'_, '_>]| -> String {
            if excluded.is_empty() {
                String::new()
            } else if excluded.iter().all(|e| e.is(DSIG_NS, "Signature")) {
                ", except signatures".to_string()
            } else {
                let paths: Vec<String> = excluded.iter().map(|e| e.path()).collect();
                format!(", except {}", paths.join(", "))
            }
        };
        match self {
            Coverage::Document { excluded } => {
                format!("the whole document ({}){}", root.path(), except(excluded))
            }
            Coverage::Element { element, excluded } => {
                let id = element
                    .attribute("Id")
                    .map(|i| format!(" (Id {i})"))
                    .unwrap_or_default();
                format!("{}{id}{}", element.path(), except(excluded))
            }
            Coverage::DecodedText { element } => {
                format!("the base64 text of {}", element.path())
            }
        }
    }

    /// Whether `element` is inside what the reference covers (and not in an excluded part).
    pub fn covers(&self, element: &Element<'_, '_>) -> bool {
        match self {
            Coverage::Document { excluded } => !excluded.iter().any(|x| x.contains(element)),
            Coverage::Element {
                element: root,
                excluded,
            } => root.contains(element) && !excluded.iter().any(|x| x.contains(element)),
            Coverage::DecodedText { .. } => false,
        }
    }

    /// The subtrees left out, if any.
    pub fn excluded(&self) -> &[Element<'d, 'a>] {
        match self {
            Coverage::Document { excluded } | Coverage::Element { excluded, .. } => excluded,
            Coverage::DecodedText { .. } => &[],
        }
    }
}

/// A transform as written in a `ds:Transform` element, read and checked for support but
/// not applied: nothing a transform says is evaluated before the signature value has been
/// checked.
#[derive(Clone, Debug)]
pub(crate) enum Step {
    Enveloped,
    /// `not(ancestor-or-self::ds:Signature)`.
    ExcludeSignatures,
    /// XPath Filter 2.0 `subtract` filters, parsed; [`digest`] evaluates them.
    Subtract(Vec<XPath>),
    Canonicalize(Canonicalizer),
    Base64,
}

/// Intermediate data between transforms.
enum Data<'d, 'a> {
    Nodes {
        root: Option<Element<'d, 'a>>,
        excluded: Vec<Element<'d, 'a>>,
        comments: bool,
    },
    /// An octet stream, with what it was made from.
    Octets(Vec<u8>, Coverage<'d, 'a>),
}

/// Resolves a reference URI to the starting node-set: `(root element or None for the
/// document, keep comments)`.
pub(crate) fn dereference<'d, 'a>(
    uri: &str,
    ids: &HashMap<&'d str, Element<'d, 'a>>,
) -> Result<(Option<Element<'d, 'a>>, bool)> {
    if uri.is_empty() {
        return Ok((None, false));
    }
    let Some(fragment) = uri.strip_prefix('#') else {
        return Err(Error::Format(FormatError::Unsupported {
            what: "reference URI",
            name: format!("{uri} (external references are never fetched)"),
        }));
    };
    let by_id = |id: &str| -> Result<Element<'d, 'a>> {
        ids.get(id).copied().ok_or_else(|| {
            Error::Signature(SignatureError::ReferenceMismatch {
                detail: format!("reference URI=\"{uri}\" names no element of this document"),
            })
        })
    };
    if fragment == "xpointer(/)" {
        return Ok((None, true));
    }
    if let Some(inner) = fragment
        .strip_prefix("xpointer(id(")
        .and_then(|s| s.strip_suffix("))"))
    {
        let id = inner.trim_matches(|c| c == '\'' || c == '"');
        return Ok((Some(by_id(id)?), true));
    }
    if fragment.starts_with("xpointer(") {
        return Err(Error::Format(FormatError::Unsupported {
            what: "reference URI",
            name: format!("{uri} (only #xpointer(/) and #xpointer(id('…')) are supported)"),
        }));
    }
    Ok((Some(by_id(fragment)?), false))
}

/// Reads the transforms of a `ds:Reference` (or `ds:Transforms` element).
pub(crate) fn read_transforms(
    transforms: Option<Element<'_, '_>>,
    max: usize,
) -> Result<(Vec<Step>, Vec<String>)> {
    let mut steps = Vec::new();
    let mut uris = Vec::new();
    let Some(transforms) = transforms else {
        return Ok((steps, uris));
    };
    for t in transforms.children() {
        if !t.is(DSIG_NS, "Transform") {
            return Err(Error::Signature(SignatureError::Malformed {
                detail: format!("unexpected {} in Transforms", t.local_name()),
            }));
        }
        if steps.len() >= max {
            return Err(Error::Signature(SignatureError::Malformed {
                detail: format!("more than {max} transforms in one reference"),
            }));
        }
        let algorithm = t.attribute("Algorithm").ok_or_else(|| {
            Error::Signature(SignatureError::Malformed {
                detail: "Transform without Algorithm".into(),
            })
        })?;
        uris.push(algorithm.to_string());
        let step = match algorithm {
            ENVELOPED_SIGNATURE => Step::Enveloped,
            XPATH => {
                let xpath = t.child(DSIG_NS, "XPath").ok_or_else(|| {
                    Error::Signature(SignatureError::Malformed {
                        detail: "XPath transform without an XPath element".into(),
                    })
                })?;
                if is_not_signature(xpath) {
                    Step::ExcludeSignatures
                } else {
                    return Err(Error::Format(FormatError::Unsupported {
                        what: "XPath expression",
                        name: format!(
                            "{} (only {XPATH_NOT_SIGNATURE} is accepted)",
                            xpath.text().trim()
                        ),
                    }));
                }
            }
            XPATH_FILTER2 => Step::Subtract(filter2(t)?),
            BASE64 => Step::Base64,
            other => match Canonicalizer::from_uri(other) {
                Some(mut c) => {
                    if c.method() == Method::Exclusive10 {
                        c = c.with_inclusive_prefixes(inclusive_prefixes(t));
                    }
                    Step::Canonicalize(c)
                }
                None => {
                    return Err(Error::Format(FormatError::Unsupported {
                        what: "transform",
                        name: other.to_string(),
                    }));
                }
            },
        };
        steps.push(step);
    }
    Ok((steps, uris))
}

/// The `InclusiveNamespaces PrefixList` of an exclusive canonicalization element.
pub(crate) fn inclusive_prefixes(method_element: Element<'_, '_>) -> Vec<String> {
    method_element
        .children()
        .find(|c| {
            c.is(
                "http://www.w3.org/2001/10/xml-exc-c14n#",
                "InclusiveNamespaces",
            )
        })
        .and_then(|c| c.attribute("PrefixList"))
        .map(|l| l.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default()
}

/// Whether an `XPath` element says `not(ancestor-or-self::P:Signature)` with `P` bound to the
/// XML-DSig namespace in its context.
fn is_not_signature(xpath: Element<'_, '_>) -> bool {
    let expr: String = xpath
        .text()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let Some(prefix) = expr
        .strip_prefix("not(ancestor-or-self::")
        .and_then(|r| r.strip_suffix(":Signature)"))
    else {
        return false;
    };
    xpath.node.lookup_namespace_uri(Some(prefix)) == Some(DSIG_NS)
}

/// The most `XPath` filters one Filter 2.0 transform may hold.
const MAX_FILTERS: usize = 16;

/// Parses the `subtract` filters of an XPath Filter 2.0 transform.
fn filter2(transform: Element<'_, '_>) -> Result<Vec<XPath>> {
    let mut subtract = Vec::new();
    for filter in transform.children() {
        if !filter.is(XPATH_FILTER2, "XPath") {
            continue;
        }
        let op = filter.attribute("Filter").unwrap_or("");
        if op != "subtract" {
            return Err(Error::Format(FormatError::Unsupported {
                what: "XPath Filter 2.0 operation",
                name: format!("{op} (only subtract is supported)"),
            }));
        }
        let namespaces: HashMap<String, String> = filter
            .node
            .namespaces()
            .filter_map(|ns| ns.name().map(|p| (p.to_string(), ns.uri().to_string())))
            .collect();
        if subtract.len() == MAX_FILTERS {
            return Err(Error::Signature(SignatureError::Malformed {
                detail: format!("more than {MAX_FILTERS} XPath filters in one transform"),
            }));
        }
        subtract.push(XPath::parse(&filter.text(), namespaces)?);
    }
    Ok(subtract)
}

/// Evaluates `subtract` filters: the elements they select, spending `budget`.
fn select_subtracted<'d, 'a>(
    doc: &'d Document<'a>,
    filters: &[XPath],
    budget: &mut u64,
) -> Result<Vec<Element<'d, 'a>>> {
    let mut subtract = Vec::new();
    for xpath in filters {
        for node in xpath.select_spending(doc.tree(), budget)? {
            let element = match node {
                XNode::Node(id) => doc.tree().get_node(id).and_then(Element::new),
                _ => None,
            };
            match element {
                Some(e) => subtract.push(e),
                None => {
                    return Err(Error::Format(FormatError::Unsupported {
                        what: "XPath Filter 2.0 selection",
                        name: "a subtract filter selecting non-element nodes".into(),
                    }));
                }
            }
        }
    }
    Ok(subtract)
}

/// Applies transforms to the dereferenced data and digests the result.
///
/// `signature` is the `ds:Signature` containing the reference (what `enveloped-signature`
/// removes); it is `None` while signing, when the signature is not in the document yet.
///
/// XPath filters may visit at most `xpath_budget` nodes, which is decreased by what they
/// spend (one budget serves every reference of a signature).
pub(crate) fn digest<'d, 'a>(
    doc: &'d Document<'a>,
    start: (Option<Element<'d, 'a>>, bool),
    steps: &[Step],
    signature: Option<Element<'d, 'a>>,
    algorithm: DigestAlgorithm,
    xpath_budget: &mut u64,
) -> Result<(Vec<u8>, Coverage<'d, 'a>)> {
    let mut data = Data::Nodes {
        root: start.0,
        excluded: Vec::new(),
        comments: start.1,
    };
    let mut hasher: Hasher = algorithm.hasher();
    let mut streamed = None;
    for (i, step) in steps.iter().enumerate() {
        // A canonicalization that ends the chain streams straight into the digest.
        if i + 1 == steps.len()
            && let (
                Step::Canonicalize(c),
                Data::Nodes {
                    root,
                    excluded,
                    comments,
                },
            ) = (step, &data)
        {
            let c = c.clone().with_comments(*comments && c.keeps_comments());
            c.write(doc, subset(*root, excluded), &mut hasher)?;
            streamed = Some(coverage(*root, excluded.clone()));
            break;
        }
        data = match (step, data) {
            (
                Step::Enveloped,
                Data::Nodes {
                    root,
                    mut excluded,
                    comments,
                },
            ) => {
                excluded.extend(signature);
                Data::Nodes {
                    root,
                    excluded,
                    comments,
                }
            }
            (
                Step::ExcludeSignatures,
                Data::Nodes {
                    root,
                    mut excluded,
                    comments,
                },
            ) => {
                let scope = root.map(|r| r.node).unwrap_or_else(|| doc.tree().root());
                excluded.extend(
                    scope
                        .descendants()
                        .filter(|n| n.has_tag_name((DSIG_NS, "Signature")))
                        .filter_map(Element::new),
                );
                Data::Nodes {
                    root,
                    excluded,
                    comments,
                }
            }
            (
                Step::Subtract(filters),
                Data::Nodes {
                    root,
                    mut excluded,
                    comments,
                },
            ) => {
                excluded.extend(select_subtracted(doc, filters, xpath_budget)?);
                Data::Nodes {
                    root,
                    excluded,
                    comments,
                }
            }
            (
                Step::Canonicalize(c),
                Data::Nodes {
                    root,
                    excluded,
                    comments,
                },
            ) => {
                let c = c.clone().with_comments(comments && c.keeps_comments());
                let mut out = Vec::new();
                c.write(doc, subset(root, &excluded), &mut out)?;
                Data::Octets(out, coverage(root, excluded))
            }
            (Step::Canonicalize(c), Data::Octets(bytes, from)) => {
                let parsed = Document::parse_bytes(&bytes)?;
                Data::Octets(c.document(&parsed)?, from)
            }
            (Step::Base64, Data::Nodes { root, excluded, .. }) => {
                let text = text_of(doc, root, &excluded);
                let element = root.unwrap_or(Element {
                    node: doc.tree().root_element(),
                });
                Data::Octets(
                    decode_base64("base64 transform input", &text)?,
                    Coverage::DecodedText { element },
                )
            }
            (Step::Base64, Data::Octets(bytes, from)) => {
                let text = String::from_utf8(bytes).map_err(|_| Error::InvalidUtf8 {
                    what: "base64 transform input",
                })?;
                let element = match from {
                    Coverage::Element { element, .. } | Coverage::DecodedText { element } => {
                        element
                    }
                    Coverage::Document { .. } => Element {
                        node: doc.tree().root_element(),
                    },
                };
                Data::Octets(
                    decode_base64("base64 transform input", &text)?,
                    Coverage::DecodedText { element },
                )
            }
            (_, Data::Octets(..)) => {
                return Err(Error::Format(FormatError::Unsupported {
                    what: "transform sequence",
                    name: "a node-set transform after an octet-stream result".into(),
                }));
            }
        };
    }
    if let Some(coverage) = streamed {
        return Ok((hasher.finish(), coverage));
    }
    let coverage = match data {
        Data::Nodes {
            root,
            excluded,
            comments,
        } => {
            // A node-set left at the end is canonicalized with C14N 1.0; comments stay only
            // if the URI kept them (the #xpointer forms).
            Canonicalizer::new(Method::Inclusive10)
                .with_comments(comments)
                .write(doc, subset(root, &excluded), &mut hasher)?;
            coverage(root, excluded)
        }
        Data::Octets(bytes, coverage) => {
            hasher.update(&bytes);
            coverage
        }
    };
    Ok((hasher.finish(), coverage))
}

fn coverage<'d, 'a>(
    root: Option<Element<'d, 'a>>,
    excluded: Vec<Element<'d, 'a>>,
) -> Coverage<'d, 'a> {
    match root {
        None => Coverage::Document { excluded },
        Some(element) => Coverage::Element { element, excluded },
    }
}

fn subset<'s, 'd, 'a>(
    root: Option<Element<'d, 'a>>,
    excluded: &'s [Element<'d, 'a>],
) -> Subset<'s, 'd, 'a> {
    match (root, excluded.is_empty()) {
        (None, true) => Subset::Document,
        (None, false) => Subset::DocumentExcept(excluded),
        (Some(e), true) => Subset::Element(e),
        (Some(e), false) => Subset::ElementExcept(e, excluded),
    }
}

fn text_of(
    doc: &Document<'_>,
    root: Option<Element<'_, '_>>,
    excluded: &[Element<'_, '_>],
) -> String {
    let scope = root.map(|r| r.node).unwrap_or_else(|| doc.tree().root());
    let except = Excluding::new(excluded);
    scope
        .descendants()
        .filter(|n| n.is_text() && except.node(*n))
        .filter_map(|n| n.text())
        .collect()
}
