//! What a non-conforming request did wrong, as data and as a one-line message.

use std::fmt;

/// Longest stretch of a request value quoted back in a message, in characters.
const QUOTE_CHARS: usize = 40;

/// One way in which an element breaks the schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Where: the path of the element, e.g. `/walidujDokumenty/Dokument[2]/KEDU` (occurrences
    /// of a repeating element are numbered from 1).
    pub path: String,
    /// What.
    pub rule: Rule,
}

/// The rule a [`Violation`] broke.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rule {
    /// The element is not declared as a top-level element of the schema.
    UnknownElement {
        /// Its local name.
        name: String,
    },
    /// An element is in the wrong namespace: the top-level one outside the accepted target
    /// namespaces, or a local one qualified (local elements have no namespace here).
    WrongNamespace {
        /// The element's local name.
        name: String,
        /// Its namespace, if any.
        found: Option<String>,
        /// What was expected: the accepted namespaces, or none for a local element.
        expected: Vec<String>,
    },
    /// A child element the content model does not allow here.
    UnexpectedElement {
        /// Its local name.
        name: String,
        /// The elements that could come here instead (empty: nothing more may follow).
        expected: Vec<String>,
    },
    /// A required child element is absent.
    MissingElement {
        /// The missing element's local name.
        name: String,
        /// The child it should come before, or `None` at the end of the content.
        before: Option<String>,
    },
    /// A child element occurs more often than its `maxOccurs`.
    TooMany {
        /// Its local name.
        name: String,
        /// The `maxOccurs` it exceeds.
        max: u32,
    },
    /// A value is not valid for its simple type.
    BadValue {
        /// The type's name (`xsd:date`, or the schema's simple type name).
        type_name: String,
        /// The check that failed.
        facet: FacetKind,
        /// The value (after whitespace processing), shortened for the message.
        value: String,
        /// The attribute holding the value, if not the element's text.
        attribute: Option<String>,
    },
    /// An attribute the element's type does not declare.
    UnknownAttribute {
        /// Its name, `{namespace}local` when namespaced.
        name: String,
    },
    /// A required attribute is absent.
    MissingAttribute {
        /// Its name.
        name: String,
    },
    /// Non-whitespace text directly inside an element whose content is elements only.
    TextInElementOnly,
    /// Text, even whitespace, inside an element whose content type is empty (an empty
    /// sequence).
    ContentNotEmpty,
    /// A child element inside an element whose content is a simple value.
    ElementInSimpleContent {
        /// The child's local name.
        name: String,
    },
    /// `xsi:nil` on an element that is not `nillable`.
    NotNillable,
    /// An element with `xsi:nil="true"` that has content.
    NilledNotEmpty,
    /// An `xsi:type` that does not name the declared type or one derived from it.
    BadXsiType {
        /// The attribute's value.
        value: String,
    },
    /// The element nests deeper than the validator follows.
    TooDeep,
    /// The body is not well-formed XML or breaks the parser's limits.
    NotWellFormed {
        /// The parser's message.
        message: String,
    },
}

/// Which check of a simple type failed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FacetKind {
    /// The built-in type's lexical space, with a few words on what was expected.
    Lexical(&'static str),
    /// `length`: exactly this many characters.
    Length(usize),
    /// `minLength`.
    MinLength(usize),
    /// `maxLength`.
    MaxLength(usize),
    /// `pattern`: the XSD pattern(s) not matched.
    Pattern(Vec<String>),
    /// `enumeration`: the allowed values.
    Enumeration(Vec<String>),
}

/// `value` cut to [`QUOTE_CHARS`] characters (with `…` when cut).
pub(crate) fn shorten(value: &str) -> String {
    let mut out: String = value.chars().take(QUOTE_CHARS).collect();
    if value.chars().nth(QUOTE_CHARS).is_some() {
        out.push('…');
    }
    out
}

fn list(items: &[String]) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push('\'');
        out.push_str(item);
        out.push('\'');
    }
    out
}

impl fmt::Display for Violation {
    /// One line, suitable for a SOAP `faultstring`: `path: what`. Quoted values are escaped
    /// (`{:?}`-style), so a request cannot put line breaks into the message.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.path)?;
        match &self.rule {
            Rule::UnknownElement { name } => {
                write!(f, "element {name:?} is not declared by the schema")
            }
            Rule::WrongNamespace {
                name,
                found,
                expected,
            } => {
                let found = match found {
                    Some(ns) => format!("in namespace {ns:?}"),
                    None => "in no namespace".to_owned(),
                };
                if expected.is_empty() {
                    write!(
                        f,
                        "element {name:?} is {found}; local elements are unqualified"
                    )
                } else {
                    write!(
                        f,
                        "element {name:?} is {found}; expected {}",
                        list(expected)
                    )
                }
            }
            Rule::UnexpectedElement { name, expected } => {
                if expected.is_empty() {
                    write!(
                        f,
                        "unexpected element {name:?}; no more elements are allowed"
                    )
                } else {
                    write!(
                        f,
                        "unexpected element {name:?}; expected one of {}",
                        list(expected)
                    )
                }
            }
            Rule::MissingElement { name, before } => match before {
                Some(before) => write!(f, "missing element {name:?} before {before:?}"),
                None => write!(f, "missing element {name:?}"),
            },
            Rule::TooMany { name, max } => {
                write!(f, "too many {name:?} elements (at most {max})")
            }
            Rule::BadValue {
                type_name,
                facet,
                value,
                attribute,
            } => {
                match attribute {
                    Some(a) => write!(f, "attribute {a:?} value {value:?}")?,
                    None => write!(f, "value {value:?}")?,
                }
                write!(f, " is not a valid {type_name}: ")?;
                match facet {
                    FacetKind::Lexical(why) => write!(f, "{why}"),
                    FacetKind::Length(n) => write!(f, "length must be {n}"),
                    FacetKind::MinLength(n) => write!(f, "length must be at least {n}"),
                    FacetKind::MaxLength(n) => write!(f, "length must be at most {n}"),
                    FacetKind::Pattern(p) => write!(f, "does not match pattern {}", list(p)),
                    FacetKind::Enumeration(values) => {
                        write!(f, "must be one of {}", list(values))
                    }
                }
            }
            Rule::UnknownAttribute { name } => write!(f, "attribute {name:?} is not allowed"),
            Rule::MissingAttribute { name } => {
                write!(f, "required attribute {name:?} is missing")
            }
            Rule::TextInElementOnly => {
                write!(f, "text is not allowed here (the content is elements only)")
            }
            Rule::ContentNotEmpty => write!(
                f,
                "the element must be empty (no text, not even whitespace)"
            ),
            Rule::ElementInSimpleContent { name } => write!(
                f,
                "element {name:?} is not allowed here (the content is a simple value)"
            ),
            Rule::NotNillable => write!(f, "xsi:nil is not allowed (the element is not nillable)"),
            Rule::NilledNotEmpty => write!(f, "an element with xsi:nil=\"true\" must be empty"),
            Rule::BadXsiType { value } => write!(
                f,
                "xsi:type {value:?} is not the declared type or one derived from it"
            ),
            Rule::TooDeep => write!(f, "elements nest too deeply"),
            Rule::NotWellFormed { message } => write!(f, "not well-formed XML: {message:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortened_and_escaped() {
        let long = "x".repeat(100);
        assert_eq!(shorten(&long).chars().count(), QUOTE_CHARS + 1);
        assert_eq!(shorten("abc"), "abc");
        let v = Violation {
            path: "/a/b".into(),
            rule: Rule::BadValue {
                type_name: "xsd:date".into(),
                facet: FacetKind::Lexical("expected yyyy-mm-dd"),
                value: "1\n2".into(),
                attribute: None,
            },
        };
        let line = v.to_string();
        assert_eq!(
            line,
            r#"/a/b: value "1\n2" is not a valid xsd:date: expected yyyy-mm-dd"#
        );
        assert!(!line.contains('\n'));
    }
}
