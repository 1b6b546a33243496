//! The validation walk: one pass over the element's subtree, recursion no deeper than the
//! element's own nesting, each child matched against its parent's sequence in one step.

use roxmltree::Node;

use super::builtin::Builtin;
use super::model::{ComplexType, Facet, Model, SimpleId, TypeId, WhiteSpace};
use super::violation::{FacetKind, Rule, Violation, shorten};

/// The XML Schema instance namespace (`xsi:nil`, `xsi:type`).
pub(crate) const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// Violations collected before the walk stops (a hostile body cannot make the report
/// larger than this).
pub const MAX_VIOLATIONS: usize = 100;

/// Deepest nesting followed below the validated element (the core parser already caps
/// documents at 256).
pub(crate) const MAX_DEPTH: usize = 512;

pub(crate) struct Validator<'m> {
    model: &'m Model,
    out: Vec<Violation>,
    path: String,
}

impl<'m> Validator<'m> {
    /// Validates `root` as a global element in one of `namespaces`.
    pub(crate) fn run(model: &'m Model, root: Node<'_, '_>, namespaces: &[&str]) -> Vec<Violation> {
        let mut v = Validator {
            model,
            out: Vec::new(),
            path: String::new(),
        };
        let name = root.tag_name().name();
        v.path.push('/');
        v.path.push_str(name);
        let ns = root.tag_name().namespace().filter(|n| !n.is_empty());
        let declared = model.elements.get(name);
        match (declared, ns) {
            (Some(decl), Some(ns)) if namespaces.contains(&ns) => {
                v.element(root, decl.ty, decl.nillable, 0);
            }
            (Some(_), _) => v.push(Rule::WrongNamespace {
                name: name.to_owned(),
                found: ns.map(str::to_owned),
                expected: namespaces.iter().map(|s| (*s).to_owned()).collect(),
            }),
            (None, _) => v.push(Rule::UnknownElement {
                name: name.to_owned(),
            }),
        }
        v.out
    }

    fn full(&self) -> bool {
        self.out.len() >= MAX_VIOLATIONS
    }

    fn push(&mut self, rule: Rule) {
        if !self.full() {
            self.out.push(Violation {
                path: self.path.clone(),
                rule,
            });
        }
    }

    /// Validates an element against its declared type.
    fn element(&mut self, node: Node<'_, '_>, declared: TypeId, nillable: bool, depth: usize) {
        if depth > MAX_DEPTH {
            self.push(Rule::TooDeep);
            return;
        }
        // xsi attributes first: xsi:type decides which type the rest is checked against.
        let mut ty = declared;
        let mut nil = false;
        let mut has_nil = false;
        for a in node.attributes() {
            if a.namespace() != Some(XSI) {
                continue;
            }
            match a.name() {
                "nil" => match {
                    has_nil = true;
                    WhiteSpace::Collapse.apply(a.value())
                }
                .as_str()
                {
                    "true" | "1" => nil = true,
                    "false" | "0" => {}
                    other => self.push(Rule::BadValue {
                        type_name: "xsd:boolean".to_owned(),
                        facet: FacetKind::Lexical("expected true, false, 1 or 0"),
                        value: shorten(other),
                        attribute: Some("xsi:nil".to_owned()),
                    }),
                },
                "type" => match self.xsi_type(node, a.value(), declared) {
                    Some(t) => ty = t,
                    None => self.push(Rule::BadXsiType {
                        value: shorten(a.value()),
                    }),
                },
                "schemaLocation" | "noNamespaceSchemaLocation" => {}
                other => self.push(Rule::UnknownAttribute {
                    name: format!("{{{XSI}}}{other}"),
                }),
            }
        }
        self.attributes(node, ty);
        // Even xsi:nil="false" is refused on an element that is not nillable (XML Schema
        // 1.0, Validation Rule: Element Locally Valid (Element) 3.1).
        if has_nil && !nillable {
            self.push(Rule::NotNillable);
            return;
        }
        if nil {
            if node.children().any(|c| c.is_element() || c.is_text()) {
                self.push(Rule::NilledNotEmpty);
            }
            return;
        }
        match ty {
            TypeId::Simple(st) => self.simple_content(node, st),
            TypeId::Complex(ct) => {
                if let Some(ct) = self.model.complex.get(ct) {
                    self.complex_content(node, ct, depth);
                }
            }
        }
    }

    /// The type named by `xsi:type`, if it is `declared` or derived from it.
    fn xsi_type(&self, node: Node<'_, '_>, value: &str, declared: TypeId) -> Option<TypeId> {
        let value = WhiteSpace::Collapse.apply(value);
        let (prefix, local) = match value.split_once(':') {
            Some((p, l)) => (Some(p), l),
            None => (None, value.as_str()),
        };
        let ns = node.lookup_namespace_uri(prefix).unwrap_or("");
        let named = *self
            .model
            .type_names
            .get(&(ns.to_owned(), local.to_owned()))?;
        match (named, declared) {
            (a, b) if a == b => Some(a),
            (TypeId::Simple(a), TypeId::Simple(b)) if self.model.derives_from(a, b) => Some(named),
            _ => None,
        }
    }

    /// Unqualified and foreign attributes against the type's declarations.
    fn attributes(&mut self, node: Node<'_, '_>, ty: TypeId) {
        let declared = match ty {
            TypeId::Complex(ct) => self
                .model
                .complex
                .get(ct)
                .map(|c| c.attributes.as_slice())
                .unwrap_or(&[]),
            TypeId::Simple(_) => &[],
        };
        for a in node.attributes() {
            match a.namespace() {
                Some(XSI) => {}
                Some(ns) => self.push(Rule::UnknownAttribute {
                    name: format!("{{{ns}}}{}", a.name()),
                }),
                None => match declared.iter().find(|d| d.name == a.name()) {
                    Some(d) => {
                        if let Some(rule) = self.check_value(d.ty, a.value(), Some(a.name())) {
                            self.push(rule);
                        }
                    }
                    None => self.push(Rule::UnknownAttribute {
                        name: a.name().to_owned(),
                    }),
                },
            }
        }
        for d in declared {
            if d.required
                && !node
                    .attributes()
                    .any(|a| a.namespace().is_none() && a.name() == d.name)
            {
                self.push(Rule::MissingAttribute {
                    name: d.name.clone(),
                });
            }
        }
    }

    fn simple_content(&mut self, node: Node<'_, '_>, st: SimpleId) {
        let mut value = String::new();
        for child in node.children() {
            if child.is_element() {
                self.push(Rule::ElementInSimpleContent {
                    name: child.tag_name().name().to_owned(),
                });
                return;
            }
            if let Some(text) = child.text().filter(|_| child.is_text()) {
                value.push_str(text);
            }
        }
        if let Some(rule) = self.check_value(st, &value, None) {
            self.push(rule);
        }
    }

    /// The rule `raw` breaks as a value of simple type `st`, if any.
    fn check_value(&self, st: SimpleId, raw: &str, attribute: Option<&str>) -> Option<Rule> {
        let t = self.model.simple.get(st)?;
        let value = t.white_space.apply(raw);
        let bad = |facet: FacetKind| {
            Some(Rule::BadValue {
                type_name: t.display.clone(),
                facet,
                value: shorten(&value),
                attribute: attribute.map(str::to_owned),
            })
        };
        if let Err(why) = t.builtin.check(&value) {
            return bad(FacetKind::Lexical(why));
        }
        let length = || {
            if t.builtin == Builtin::String {
                value.chars().count()
            } else {
                value.len()
            }
        };
        for facet in &t.facets {
            match facet {
                Facet::Length(n) if length() != *n => return bad(FacetKind::Length(*n)),
                Facet::MinLength(n) if length() < *n => return bad(FacetKind::MinLength(*n)),
                Facet::MaxLength(n) if length() > *n => return bad(FacetKind::MaxLength(*n)),
                Facet::Pattern(patterns) if !patterns.iter().any(|p| p.matches(&value)) => {
                    return bad(FacetKind::Pattern(
                        patterns.iter().map(|p| p.source.clone()).collect(),
                    ));
                }
                Facet::Enumeration(values) if !values.contains(&value) => {
                    return bad(FacetKind::Enumeration(values.clone()));
                }
                _ => {}
            }
        }
        None
    }

    /// Element-only content: whitespace text only, children matching the sequence.
    fn complex_content(&mut self, node: Node<'_, '_>, ct: &ComplexType, depth: usize) {
        // An empty sequence makes the content type empty: not even whitespace is allowed.
        if ct.particles.is_empty() && node.children().any(|c| c.is_text()) {
            self.push(Rule::ContentNotEmpty);
        } else if node
            .children()
            .any(|c| c.is_text() && c.text().is_some_and(|t| !is_xml_whitespace(t)))
        {
            self.push(Rule::TextInElementOnly);
        }
        let particles = &ct.particles;
        let mut index = 0usize; // the particle being matched
        let mut count = 0u32; // occurrences of it so far
        let children: Vec<Node<'_, '_>> = node.children().filter(Node::is_element).collect();
        for (position, child) in children.iter().enumerate() {
            if self.full() {
                return;
            }
            let name = child.tag_name().name();
            let qualified = child.tag_name().namespace().filter(|n| !n.is_empty());
            // The maxOccurs of a particle of this name passed over because it was full.
            let mut exhausted: Option<u32> = None;
            // Where matching stood after the previous child, for "expected one of".
            let (start_index, start_count) = (index, count);
            // Advance to the particle this child can be.
            loop {
                let Some(p) = particles.get(index) else {
                    let rule = match exhausted {
                        Some(max) => Rule::TooMany {
                            name: name.to_owned(),
                            max,
                        },
                        None => Rule::UnexpectedElement {
                            name: name.to_owned(),
                            expected: Vec::new(),
                        },
                    };
                    self.push_at_child(&children, position, rule);
                    return;
                };
                if p.name == name && p.has_room(count) {
                    if let Some(ns) = qualified {
                        self.push_at_child(
                            &children,
                            position,
                            Rule::WrongNamespace {
                                name: name.to_owned(),
                                found: Some(ns.to_owned()),
                                expected: Vec::new(),
                            },
                        );
                        return;
                    }
                    count += 1;
                    let len = self.path.len();
                    self.path.push('/');
                    self.path.push_str(name);
                    if p.repeats() {
                        self.path.push_str(&format!("[{count}]"));
                    }
                    self.element(*child, p.ty, p.nillable, depth + 1);
                    self.path.truncate(len);
                    break;
                }
                if count >= p.min {
                    if p.name == name {
                        exhausted = p.max;
                    }
                    index += 1;
                    count = 0;
                    continue;
                }
                // A required particle is unsatisfied and this child is not it.
                let rule = if let Some(max) = exhausted {
                    Rule::TooMany {
                        name: name.to_owned(),
                        max,
                    }
                } else if particles.iter().skip(index + 1).any(|q| q.name == name) {
                    Rule::MissingElement {
                        name: p.name.clone(),
                        before: Some(name.to_owned()),
                    }
                } else {
                    Rule::UnexpectedElement {
                        name: name.to_owned(),
                        expected: expected_here(particles, start_index, start_count),
                    }
                };
                self.push_at_child(&children, position, rule);
                return;
            }
        }
        // End of content: every remaining particle must be satisfied.
        let mut current = count;
        for p in particles.iter().skip(index) {
            if current < p.min {
                self.push(Rule::MissingElement {
                    name: p.name.clone(),
                    before: None,
                });
                return;
            }
            current = 0;
        }
    }

    /// Records a content-model violation at the child's own path.
    fn push_at_child(&mut self, children: &[Node<'_, '_>], position: usize, rule: Rule) {
        let Some(child) = children.get(position) else {
            self.push(rule);
            return;
        };
        let name = child.tag_name().name();
        // Its occurrence among same-named siblings so far (only after an error: once per
        // parent).
        let nth = children
            .iter()
            .take(position + 1)
            .filter(|c| c.tag_name().name() == name)
            .count();
        let len = self.path.len();
        self.path.push('/');
        self.path.push_str(name);
        if nth > 1 {
            self.path.push_str(&format!("[{nth}]"));
        }
        self.push(rule);
        self.path.truncate(len);
    }
}

/// The names that could come next at particle `index` after `count` occurrences of it.
fn expected_here(particles: &[super::model::Particle], index: usize, count: u32) -> Vec<String> {
    let mut out = Vec::new();
    for (i, p) in particles.iter().enumerate().skip(index) {
        if i > index || p.has_room(count) {
            out.push(p.name.clone());
        }
        let satisfied = if i == index {
            count >= p.min
        } else {
            p.min == 0
        };
        if !satisfied {
            break;
        }
    }
    out
}

fn is_xml_whitespace(text: &str) -> bool {
    text.bytes()
        .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}
