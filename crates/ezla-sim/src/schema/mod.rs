//! The contract checker: SOAP body elements validated against the schema in the ZUS WSDL.
//!
//! The simulator answers a request that breaks the WSDL's schema with a Fault naming the
//! problem, so that our users' own clients, not only ours, are held to the contract ZUS
//! publishes. [`Schema::from_wsdl`] compiles the WSDL's `xsd:schema` once;
//! [`Schema::validate`] then checks a body element in one linear pass and returns every
//! [`Violation`] (up to a cap), each naming the element path and the rule, and rendering as a
//! one-line English message for a `faultstring`. The same load keeps the operations
//! ([`Schema::operations`], [`Schema::operation_for_action`]), which the simulator routes by.
//!
//! # The supported subset, and why only that
//!
//! Exactly what the ZUS "kanał gabinetowy" WSDL uses, and nothing else: a general XSD
//! engine would be far more code than the contract needs, and an unsupported construct that
//! is silently ignored would make the checker accept what ZUS refuses. So loading a schema
//! that uses anything outside the subset fails with [`SchemaError::Unsupported`] naming the
//! construct.
//!
//! * One target namespace; local elements and attributes unqualified (no
//!   `elementFormDefault="qualified"`).
//! * Global `xsd:element` with `name`, `type` and `nillable`.
//! * Named `xsd:complexType` holding at most one `xsd:sequence` of local `xsd:element`s
//!   (`name`, `type`, `minOccurs`, `maxOccurs` including `unbounded`, `nillable`) followed by
//!   `xsd:attribute`s (`name`, `type`, `use="optional|required"`). No `choice`, `all`,
//!   `group`, `any`, `ref`, derivation of complex types, mixed content, defaults or fixed
//!   values, anonymous types.
//! * Named `xsd:simpleType` as an `xsd:restriction` of a built-in or of another such type,
//!   with the facets `enumeration`, `length`, `minLength`, `maxLength`, `pattern` and
//!   `whiteSpace` (length and enumeration only on string types).
//! * Built-in types `xsd:string`, `boolean`, `date`, `dateTime`, `decimal`, `integer`,
//!   `nonNegativeInteger`, `long`, `int`, `base64Binary`, checked in their lexical space.
//! * Patterns translated from XSD regular-expression syntax (see the `regex` submodule's
//!   notes), with `\d \D \s \S`, classes, subtraction and quantifiers.
//! * In instances: `xsi:nil` on `nillable` elements, `xsi:type` naming the declared type or
//!   one derived from it, `xsi:schemaLocation` hints (ignored).
//!
//! Where this follows XML Schema 1.0 and `xmllint` (libxml2 2.9) does not: whitespace around
//! `xsd:date`, `xsd:long` and `xsd:int` values is collapsed as the specification says
//! (libxml2 refuses `" 2024-01-01"`), and `xsd:integer` has no 24-digit limit.
//!
//! Supplements (operations newer than the 2018 WSDL) are merged with
//! [`Schema::with_supplement`]: a later definition of a global element, a type or an
//! operation replaces the earlier one.
//!
//! # Namespaces
//!
//! The top-level element must be in one of the namespaces passed to [`Schema::validate`]:
//! normally [`Schema::target_namespace`], and [`ZUS_GOV_NAMESPACE`] too for clients that copy
//! ZUS's own examples. Local elements must be unqualified.
//!
//! # Hostile input
//!
//! Validation is one pass over the subtree (each child is compared with one particle at a
//! time). It recurses only into children matched to a declared particle, so no deeper than
//! the schema's own nesting (the 2018 types do not recurse; a recursive supplement is still
//! capped at 512 levels). Patterns come only from the schema and run on the `regex` crate's
//! linear-time engine, and at most [`MAX_VIOLATIONS`] violations are collected.

mod builtin;
mod compile;
mod load;
mod model;
mod regex;
mod validate;
mod violation;
mod wsdl;

use std::fmt;

use ezla::xml::{Document, ParseOptions};

pub use validate::MAX_VIOLATIONS;
pub use violation::{FacetKind, Rule, Violation};
pub use wsdl::Operation;

/// The namespace of the 2018 WSDL and of the service: `http://zus.pl/b2b/zus/channel/gabinetowe`.
pub const ZUS_NAMESPACE: &str = "http://zus.pl/b2b/zus/channel/gabinetowe";

/// The variant namespace seen in ZUS's own request examples, which the simulator accepts too.
pub const ZUS_GOV_NAMESPACE: &str = "http://zus.gov.pl/b2b/zus/channel/gabinetowe";

/// Why a WSDL or schema could not be loaded.
#[derive(Debug)]
#[non_exhaustive]
pub enum SchemaError {
    /// The text is not XML the core parser accepts.
    Xml(ezla::Error),
    /// The document is neither `wsdl:definitions` nor `xsd:schema`.
    NotASchema {
        /// The root element's local name.
        root: String,
    },
    /// A construct outside the supported subset.
    Unsupported {
        /// The construct, e.g. `xsd:choice in xsd:complexType`.
        construct: String,
        /// Where, e.g. `complexType "walidujDokumenty"`.
        context: String,
    },
    /// The schema is malformed or inconsistent (an undefined type, a bad count).
    Invalid {
        /// Where.
        context: String,
        /// What.
        message: String,
    },
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SchemaError::Xml(e) => write!(f, "schema: cannot parse: {e}"),
            SchemaError::NotASchema { root } => {
                write!(
                    f,
                    "schema: root element {root:?} is neither wsdl:definitions nor xsd:schema"
                )
            }
            SchemaError::Unsupported { construct, context } => {
                write!(f, "schema: {context}: unsupported construct: {construct}")
            }
            SchemaError::Invalid { context, message } => write!(f, "schema: {context}: {message}"),
        }
    }
}

impl std::error::Error for SchemaError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SchemaError::Xml(e) => Some(e),
            _ => None,
        }
    }
}

/// A compiled schema with the service's operations.
#[derive(Clone, Debug)]
pub struct Schema {
    defs: load::Definitions,
    model: model::Model,
}

/// Parser limits for schema text: generous (the 2018 WSDL is 117 kB), still bounded.
fn schema_parse_options() -> ParseOptions {
    ParseOptions::default()
        .with_max_size(64 * 1024 * 1024)
        .with_max_nodes(4_000_000)
}

/// Parses `bytes` with the core's parser (limits, no DTD, no entities) and hands the same
/// text to `roxmltree` for the tree walk.
fn with_tree<T>(
    bytes: &[u8],
    options: &ParseOptions,
    f: impl FnOnce(roxmltree::Node<'_, '_>) -> T,
) -> Result<T, ezla::Error> {
    let doc = Document::parse_bytes_with(bytes, options)?;
    let text = doc.source();
    // The core parser accepted the text, so it is UTF-8 and well-formed; its own checks are
    // stricter than roxmltree's.
    let tree = roxmltree::Document::parse_with_options(
        text,
        roxmltree::ParsingOptions {
            allow_dtd: false,
            nodes_limit: options.max_nodes,
            ..roxmltree::ParsingOptions::default()
        },
    )
    .map_err(|e| ezla::Error::xml_malformed("document", e.to_string()))?;
    Ok(f(tree.root_element()))
}

impl Schema {
    /// Compiles the schema and operations of a WSDL 1.1 document (`wsdl:definitions` with
    /// `wsdl:types/xsd:schema`, messages, a port type and a SOAP 1.1 binding).
    pub fn from_wsdl(bytes: &[u8]) -> Result<Schema, SchemaError> {
        Self::from_bytes(bytes)
    }

    /// Compiles a stand-alone `xsd:schema` document (same subset; no operations).
    pub fn from_xsd(bytes: &[u8]) -> Result<Schema, SchemaError> {
        Self::from_bytes(bytes)
    }

    fn from_bytes(bytes: &[u8]) -> Result<Schema, SchemaError> {
        let mut defs = load::Definitions::default();
        read_into(&mut defs, bytes)?;
        let model = compile::compile(&defs)?;
        Ok(Schema { defs, model })
    }

    /// This schema with `bytes` merged in: an `xsd:schema` (same subset, same target
    /// namespace) or a `wsdl:definitions` fragment whose types, messages, port type and
    /// binding add or replace operations. A later definition of the same global element,
    /// type or operation replaces the earlier one.
    pub fn with_supplement(&self, bytes: &[u8]) -> Result<Schema, SchemaError> {
        let mut defs = self.defs.clone();
        read_into(&mut defs, bytes)?;
        let model = compile::compile(&defs)?;
        Ok(Schema { defs, model })
    }

    /// The schema's target namespace.
    pub fn target_namespace(&self) -> &str {
        &self.model.target_namespace
    }

    /// The operations, ordered by name.
    pub fn operations(&self) -> impl Iterator<Item = &Operation> {
        self.defs.operations.values()
    }

    /// The operation bound to this `SOAPAction` (surrounding double quotes, as HTTP headers
    /// carry them, are ignored).
    pub fn operation_for_action(&self, soap_action: &str) -> Option<&Operation> {
        let action = soap_action
            .strip_prefix('"')
            .and_then(|a| a.strip_suffix('"'))
            .unwrap_or(soap_action);
        self.operations().find(|op| op.soap_action == action)
    }

    /// The operation whose request element has this local name.
    pub fn operation_for_input(&self, element: &str) -> Option<&Operation> {
        self.operations().find(|op| op.input == element)
    }

    /// Whether a global element of this local name is declared.
    pub fn declares(&self, element: &str) -> bool {
        self.model.elements.contains_key(element)
    }

    /// Validates `element` (a SOAP Body's child) as a global element whose namespace is one
    /// of `namespaces`. `Err` holds every violation found, in document order, at most
    /// [`MAX_VIOLATIONS`].
    pub fn validate(
        &self,
        element: roxmltree::Node<'_, '_>,
        namespaces: &[&str],
    ) -> Result<(), Vec<Violation>> {
        let violations = validate::Validator::run(&self.model, element, namespaces);
        if violations.is_empty() {
            Ok(())
        } else {
            Err(violations)
        }
    }

    /// Parses `bytes` with the core's parser under its default limits and validates the
    /// document element as [`Schema::validate`] does; text the parser refuses is one
    /// [`Rule::NotWellFormed`] violation.
    pub fn validate_bytes(&self, bytes: &[u8], namespaces: &[&str]) -> Result<(), Vec<Violation>> {
        match with_tree(bytes, &ParseOptions::default(), |root| {
            self.validate(root, namespaces)
        }) {
            Ok(result) => result,
            Err(e) => Err(vec![Violation {
                path: "/".to_owned(),
                rule: Rule::NotWellFormed {
                    message: e.to_string(),
                },
            }]),
        }
    }
}

fn read_into(defs: &mut load::Definitions, bytes: &[u8]) -> Result<(), SchemaError> {
    with_tree(bytes, &schema_parse_options(), |root| {
        match (root.tag_name().namespace(), root.tag_name().name()) {
            (Some(load::WSDL), "definitions") => defs.read_wsdl(root),
            (Some(load::XSD), "schema") => defs.read_schema(root),
            (_, name) => Err(SchemaError::NotASchema {
                root: name.to_owned(),
            }),
        }
    })
    .map_err(SchemaError::Xml)?
}
