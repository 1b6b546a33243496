//! The compiled schema: types and declarations with every name resolved to an index.

use std::collections::HashMap;

use super::builtin::Builtin;
use super::regex::Pattern;

/// Index of a simple type in [`Model::simple`].
pub(crate) type SimpleId = usize;
/// Index of a complex type in [`Model::complex`].
pub(crate) type ComplexId = usize;

/// What an element or attribute declaration's type resolved to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TypeId {
    Simple(SimpleId),
    Complex(ComplexId),
}

/// The `whiteSpace` facet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WhiteSpace {
    Preserve,
    Replace,
    Collapse,
}

impl WhiteSpace {
    pub(crate) fn parse(value: &str) -> Option<Self> {
        Some(match value {
            "preserve" => WhiteSpace::Preserve,
            "replace" => WhiteSpace::Replace,
            "collapse" => WhiteSpace::Collapse,
            _ => return None,
        })
    }

    /// The value after this whitespace processing.
    pub(crate) fn apply(self, raw: &str) -> String {
        let is_ws = |c: char| matches!(c, '\t' | '\n' | '\r');
        match self {
            WhiteSpace::Preserve => raw.to_owned(),
            WhiteSpace::Replace => raw
                .chars()
                .map(|c| if is_ws(c) { ' ' } else { c })
                .collect(),
            WhiteSpace::Collapse => {
                let mut out = String::with_capacity(raw.len());
                for word in raw.split([' ', '\t', '\n', '\r']).filter(|w| !w.is_empty()) {
                    if !out.is_empty() {
                        out.push(' ');
                    }
                    out.push_str(word);
                }
                out
            }
        }
    }
}

/// A constraining facet, as checked.
#[derive(Clone, Debug)]
pub(crate) enum Facet {
    /// Exactly this many characters.
    Length(usize),
    /// At least this many characters.
    MinLength(usize),
    /// At most this many characters.
    MaxLength(usize),
    /// One of these patterns (the pattern facets of one restriction step) matches.
    Pattern(Vec<Pattern>),
    /// One of these values (the enumeration facets of one restriction step).
    Enumeration(Vec<String>),
}

/// A simple type: a supported built-in, or a restriction chain down from one.
#[derive(Clone, Debug)]
pub(crate) struct SimpleType {
    /// The name for messages: `xsd:date` or the schema's local name (`ID`).
    pub(crate) display: String,
    /// The built-in at the root of the chain.
    pub(crate) builtin: Builtin,
    /// The effective whitespace handling.
    pub(crate) white_space: WhiteSpace,
    /// Every step's facets, the base's first; all must hold.
    pub(crate) facets: Vec<Facet>,
    /// The type this one restricts, for `xsi:type` derivation checks.
    pub(crate) base: Option<SimpleId>,
}

/// One element particle of a sequence.
#[derive(Clone, Debug)]
pub(crate) struct Particle {
    /// The local (unqualified) element name.
    pub(crate) name: String,
    pub(crate) min: u32,
    /// `None` is `unbounded`.
    pub(crate) max: Option<u32>,
    pub(crate) nillable: bool,
    pub(crate) ty: TypeId,
}

impl Particle {
    /// Whether the particle repeats, so paths name its occurrences by index.
    pub(crate) fn repeats(&self) -> bool {
        self.max.is_none_or(|m| m > 1)
    }

    /// Whether `count` occurrences leave room for another.
    pub(crate) fn has_room(&self, count: u32) -> bool {
        self.max.is_none_or(|m| count < m)
    }
}

/// An attribute declaration (unqualified).
#[derive(Clone, Debug)]
pub(crate) struct AttributeDecl {
    pub(crate) name: String,
    pub(crate) required: bool,
    pub(crate) ty: SimpleId,
}

/// A complex type: element-only content given by one sequence, and attributes.
#[derive(Clone, Debug)]
pub(crate) struct ComplexType {
    pub(crate) particles: Vec<Particle>,
    pub(crate) attributes: Vec<AttributeDecl>,
}

/// A global element declaration.
#[derive(Clone, Debug)]
pub(crate) struct GlobalElement {
    pub(crate) ty: TypeId,
    pub(crate) nillable: bool,
}

/// The compiled schema.
#[derive(Clone, Debug, Default)]
pub(crate) struct Model {
    pub(crate) target_namespace: String,
    pub(crate) simple: Vec<SimpleType>,
    pub(crate) complex: Vec<ComplexType>,
    /// Global elements by local name (all in the target namespace).
    pub(crate) elements: HashMap<String, GlobalElement>,
    /// Simple types by QName-ish key (`{ns}local`), for `xsi:type`.
    pub(crate) type_names: HashMap<(String, String), TypeId>,
}

impl Model {
    /// Whether simple type `derived` is `base` or restricts it, directly or not.
    pub(crate) fn derives_from(&self, derived: SimpleId, base: SimpleId) -> bool {
        let mut current = Some(derived);
        // The chain is acyclic (checked when compiling) and no longer than the type count.
        for _ in 0..=self.simple.len() {
            match current {
                Some(id) if id == base => return true,
                Some(id) => current = self.simple.get(id).and_then(|t| t.base),
                None => return false,
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_space() {
        let raw = "\t a \n\r b  c \u{a0}";
        assert_eq!(WhiteSpace::Preserve.apply(raw), raw);
        assert_eq!(WhiteSpace::Replace.apply(raw), "  a    b  c \u{a0}");
        // Only the four XML whitespace characters count; U+00A0 is data.
        assert_eq!(WhiteSpace::Collapse.apply(raw), "a b c \u{a0}");
        assert_eq!(WhiteSpace::Collapse.apply("  "), "");
    }
}
