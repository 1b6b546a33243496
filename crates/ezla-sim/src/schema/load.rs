//! Reading `xsd:schema` and WSDL 1.1 definitions into [`Definitions`], refusing every
//! construct outside the supported subset.

use std::collections::BTreeMap;

use roxmltree::Node;

use super::SchemaError;
use super::model::WhiteSpace;
use super::regex::Pattern;
use super::wsdl::Operation;

/// The XML Schema namespace.
pub(crate) const XSD: &str = "http://www.w3.org/2001/XMLSchema";
/// The WSDL 1.1 namespace.
pub(crate) const WSDL: &str = "http://schemas.xmlsoap.org/wsdl/";
/// The WSDL 1.1 SOAP 1.1 binding namespace.
pub(crate) const WSDL_SOAP: &str = "http://schemas.xmlsoap.org/wsdl/soap/";

/// A resolved qualified name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct QName {
    pub(crate) ns: String,
    pub(crate) local: String,
}

impl QName {
    /// `xsd:local` for the XSD namespace, `local` for the target namespace, `{ns}local`
    /// otherwise.
    pub(crate) fn display(&self, target: &str) -> String {
        if self.ns == XSD {
            format!("xsd:{}", self.local)
        } else if self.ns == target {
            self.local.clone()
        } else {
            format!("{{{}}}{}", self.ns, self.local)
        }
    }
}

/// A global element declaration, names unresolved.
#[derive(Clone, Debug)]
pub(crate) struct RawElement {
    pub(crate) ty: QName,
    pub(crate) nillable: bool,
}

/// A local element of a sequence.
#[derive(Clone, Debug)]
pub(crate) struct RawParticle {
    pub(crate) name: String,
    pub(crate) ty: QName,
    pub(crate) min: u32,
    pub(crate) max: Option<u32>,
    pub(crate) nillable: bool,
}

/// An attribute declaration.
#[derive(Clone, Debug)]
pub(crate) struct RawAttribute {
    pub(crate) name: String,
    pub(crate) ty: QName,
    pub(crate) required: bool,
}

/// A facet as written.
#[derive(Clone, Debug)]
pub(crate) enum RawFacet {
    Length(usize),
    MinLength(usize),
    MaxLength(usize),
    Pattern(Pattern),
    Enumeration(String),
}

/// A named type definition.
#[derive(Clone, Debug)]
pub(crate) enum RawType {
    Complex {
        particles: Vec<RawParticle>,
        attributes: Vec<RawAttribute>,
    },
    Simple {
        base: QName,
        white_space: Option<WhiteSpace>,
        facets: Vec<RawFacet>,
    },
}

/// Everything read from the WSDL and its supplements, before names are resolved.
#[derive(Clone, Debug, Default)]
pub(crate) struct Definitions {
    pub(crate) target_namespace: String,
    pub(crate) elements: BTreeMap<String, RawElement>,
    pub(crate) types: BTreeMap<String, RawType>,
    pub(crate) operations: BTreeMap<String, Operation>,
}

fn unsupported(construct: impl Into<String>, context: impl Into<String>) -> SchemaError {
    SchemaError::Unsupported {
        construct: construct.into(),
        context: context.into(),
    }
}

fn invalid(context: impl Into<String>, message: impl Into<String>) -> SchemaError {
    SchemaError::Invalid {
        context: context.into(),
        message: message.into(),
    }
}

fn element_children<'a, 'i>(node: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(Node::is_element)
}

/// Child elements in the XSD namespace other than `xsd:annotation` (documentation does not
/// change validation); anything from another namespace is refused.
fn xsd_children<'a, 'i>(
    node: Node<'a, 'i>,
    context: &str,
) -> Result<Vec<Node<'a, 'i>>, SchemaError> {
    let mut out = Vec::new();
    for child in element_children(node) {
        if child.tag_name().namespace() != Some(XSD) {
            return Err(unsupported(
                format!("element {{{}}}{}", ns_of(child), child.tag_name().name()),
                context,
            ));
        }
        if child.tag_name().name() != "annotation" {
            out.push(child);
        }
    }
    Ok(out)
}

fn ns_of<'a>(node: Node<'a, '_>) -> &'a str {
    node.tag_name().namespace().unwrap_or("")
}

/// Refuses unqualified attributes outside `allowed` (attributes in other namespaces are
/// annotations in XSD and ignored).
fn check_attributes(
    node: Node<'_, '_>,
    allowed: &[&str],
    context: &str,
) -> Result<(), SchemaError> {
    for a in node.attributes() {
        if a.namespace().is_none() && !allowed.contains(&a.name()) {
            return Err(unsupported(
                format!(
                    "attribute {}=\"{}\" on xsd:{}",
                    a.name(),
                    a.value(),
                    node.tag_name().name()
                ),
                context,
            ));
        }
    }
    Ok(())
}

fn required<'a>(node: Node<'a, '_>, name: &str, context: &str) -> Result<&'a str, SchemaError> {
    node.attribute(name).ok_or_else(|| {
        invalid(
            context,
            format!("xsd:{} without {name}", node.tag_name().name()),
        )
    })
}

/// Resolves a QName-valued attribute against the namespaces in scope at `node`.
fn qname(node: Node<'_, '_>, value: &str, context: &str) -> Result<QName, SchemaError> {
    let (prefix, local) = match value.split_once(':') {
        Some((p, l)) => (Some(p), l),
        None => (None, value),
    };
    let ns = match node.lookup_namespace_uri(prefix) {
        Some(ns) => ns.to_owned(),
        None if prefix.is_none() => String::new(),
        None => {
            return Err(invalid(
                context,
                format!("prefix of {value:?} is not declared"),
            ));
        }
    };
    Ok(QName {
        ns,
        local: local.to_owned(),
    })
}

fn occurs(node: Node<'_, '_>, name: &str, context: &str) -> Result<Option<u32>, SchemaError> {
    match node.attribute(name) {
        None => Ok(Some(1)),
        Some("unbounded") if name == "maxOccurs" => Ok(None),
        Some(v) => v
            .parse::<u32>()
            .map(Some)
            .map_err(|_| invalid(context, format!("{name}=\"{v}\" is not a count"))),
    }
}

fn boolean_attr(node: Node<'_, '_>, name: &str, context: &str) -> Result<bool, SchemaError> {
    match node.attribute(name) {
        None | Some("false") | Some("0") => Ok(false),
        Some("true") | Some("1") => Ok(true),
        Some(v) => Err(invalid(context, format!("{name}=\"{v}\" is not a boolean"))),
    }
}

impl Definitions {
    /// Reads one `xsd:schema` element into these definitions; later definitions of a name
    /// replace earlier ones.
    pub(crate) fn read_schema(&mut self, schema: Node<'_, '_>) -> Result<(), SchemaError> {
        let ctx = "xsd:schema";
        check_attributes(
            schema,
            &[
                "targetNamespace",
                "elementFormDefault",
                "attributeFormDefault",
                "version",
                "id",
            ],
            ctx,
        )?;
        for form in ["elementFormDefault", "attributeFormDefault"] {
            if let Some(v) = schema.attribute(form)
                && v != "unqualified"
            {
                return Err(unsupported(format!("{form}=\"{v}\""), ctx));
            }
        }
        let target = required(schema, "targetNamespace", ctx)?;
        if self.target_namespace.is_empty() {
            self.target_namespace = target.to_owned();
        } else if self.target_namespace != target {
            return Err(unsupported(
                format!("a second target namespace {target:?}"),
                format!("xsd:schema (the first is {:?})", self.target_namespace),
            ));
        }
        for child in xsd_children(schema, ctx)? {
            let name = child.attribute("name").unwrap_or("");
            match child.tag_name().name() {
                "element" => {
                    let ctx = format!("global element {name:?}");
                    check_attributes(child, &["name", "type", "nillable", "id"], &ctx)?;
                    let name = required(child, "name", &ctx)?;
                    no_inline_type(child, &ctx)?;
                    let ty = element_type(child, &ctx)?;
                    let nillable = boolean_attr(child, "nillable", &ctx)?;
                    self.elements
                        .insert(name.to_owned(), RawElement { ty, nillable });
                }
                "complexType" => {
                    let ctx = format!("complexType {name:?}");
                    let name = required(child, "name", &ctx)?;
                    let ty = read_complex(child, &ctx)?;
                    self.types.insert(name.to_owned(), ty);
                }
                "simpleType" => {
                    let ctx = format!("simpleType {name:?}");
                    let name = required(child, "name", &ctx)?;
                    let ty = read_simple(child, &ctx)?;
                    self.types.insert(name.to_owned(), ty);
                }
                other => return Err(unsupported(format!("xsd:{other}"), ctx)),
            }
        }
        Ok(())
    }

    /// Reads a `wsdl:definitions` element: its schemas, messages, port type and binding.
    pub(crate) fn read_wsdl(&mut self, root: Node<'_, '_>) -> Result<(), SchemaError> {
        let mut messages: BTreeMap<String, QName> = BTreeMap::new();
        let mut port_ops: Vec<(String, String, String)> = Vec::new();
        let mut actions: BTreeMap<String, String> = BTreeMap::new();
        for child in element_children(root) {
            if child.tag_name().namespace() != Some(WSDL) {
                continue;
            }
            match child.tag_name().name() {
                "types" => {
                    for schema in element_children(child) {
                        if schema.tag_name().namespace() == Some(XSD)
                            && schema.tag_name().name() == "schema"
                        {
                            self.read_schema(schema)?;
                        } else {
                            return Err(unsupported(
                                format!("element {:?} in wsdl:types", schema.tag_name().name()),
                                "wsdl:types",
                            ));
                        }
                    }
                }
                "message" => {
                    let ctx = format!("wsdl:message {:?}", child.attribute("name").unwrap_or(""));
                    let name = required(child, "name", &ctx)?;
                    let parts: Vec<Node<'_, '_>> = element_children(child)
                        .filter(|p| p.tag_name().name() == "part")
                        .collect();
                    let [part] = parts.as_slice() else {
                        return Err(unsupported(
                            format!("{} parts (document/literal needs one)", parts.len()),
                            ctx,
                        ));
                    };
                    if part.attribute("type").is_some() {
                        return Err(unsupported("a part with type= (rpc style)", ctx));
                    }
                    let element = qname(*part, required(*part, "element", &ctx)?, &ctx)?;
                    messages.insert(name.to_owned(), element);
                }
                "portType" => {
                    for op in element_children(child).filter(|o| o.tag_name().name() == "operation")
                    {
                        let ctx =
                            format!("wsdl:operation {:?}", op.attribute("name").unwrap_or(""));
                        let name = required(op, "name", &ctx)?;
                        let message_of = |dir: &str| -> Result<String, SchemaError> {
                            let node = element_children(op)
                                .find(|n| n.tag_name().name() == dir)
                                .ok_or_else(|| invalid(&ctx, format!("no wsdl:{dir}")))?;
                            let q = qname(node, required(node, "message", &ctx)?, &ctx)?;
                            Ok(q.local)
                        };
                        port_ops.push((
                            name.to_owned(),
                            message_of("input")?,
                            message_of("output")?,
                        ));
                    }
                }
                "binding" => {
                    for op in element_children(child).filter(|o| {
                        o.tag_name().namespace() == Some(WSDL) && o.tag_name().name() == "operation"
                    }) {
                        let ctx =
                            format!("binding operation {:?}", op.attribute("name").unwrap_or(""));
                        let name = required(op, "name", &ctx)?;
                        for n in op
                            .descendants()
                            .filter(|n| n.tag_name().namespace() == Some(WSDL_SOAP))
                        {
                            match n.tag_name().name() {
                                "operation" => {
                                    if n.attribute("style").is_some_and(|s| s != "document") {
                                        return Err(unsupported("style other than document", &ctx));
                                    }
                                    actions.insert(
                                        name.to_owned(),
                                        n.attribute("soapAction").unwrap_or("").to_owned(),
                                    );
                                }
                                "body" if n.attribute("use").is_some_and(|u| u != "literal") => {
                                    return Err(unsupported(
                                        "soap:body use other than literal",
                                        &ctx,
                                    ));
                                }
                                _ => {}
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        for (name, input, output) in port_ops {
            let ctx = format!("wsdl:operation {name:?}");
            let element_of = |message: &str| -> Result<String, SchemaError> {
                let q = messages
                    .get(message)
                    .ok_or_else(|| invalid(&ctx, format!("message {message:?} is not defined")))?;
                if q.ns != self.target_namespace {
                    return Err(unsupported(
                        format!("a part element outside the target namespace ({:?})", q.ns),
                        &ctx,
                    ));
                }
                Ok(q.local.clone())
            };
            let input = element_of(&input)?;
            let output = element_of(&output)?;
            let soap_action = actions
                .get(&name)
                .cloned()
                .ok_or_else(|| invalid(&ctx, "not in the binding (no soapAction)"))?;
            self.operations.insert(
                name.clone(),
                Operation {
                    name,
                    soap_action,
                    input,
                    output,
                },
            );
        }
        Ok(())
    }
}

fn no_inline_type(node: Node<'_, '_>, ctx: &str) -> Result<(), SchemaError> {
    if let Some(child) = xsd_children(node, ctx)?.first() {
        return Err(unsupported(
            format!(
                "an anonymous xsd:{} inside an element",
                child.tag_name().name()
            ),
            ctx,
        ));
    }
    Ok(())
}

fn element_type(node: Node<'_, '_>, ctx: &str) -> Result<QName, SchemaError> {
    match node.attribute("type") {
        Some(t) => qname(node, t, ctx),
        None => Err(unsupported("an element without type= (xsd:anyType)", ctx)),
    }
}

fn read_complex(node: Node<'_, '_>, ctx: &str) -> Result<RawType, SchemaError> {
    check_attributes(node, &["name", "id"], ctx)?;
    let mut particles = Vec::new();
    let mut attributes: Vec<RawAttribute> = Vec::new();
    let mut seen_sequence = false;
    for child in xsd_children(node, ctx)? {
        match child.tag_name().name() {
            "sequence" if !seen_sequence && attributes.is_empty() => {
                seen_sequence = true;
                check_attributes(child, &["id"], ctx)?;
                for el in xsd_children(child, ctx)? {
                    if el.tag_name().name() != "element" {
                        return Err(unsupported(
                            format!("xsd:{} inside xsd:sequence", el.tag_name().name()),
                            ctx,
                        ));
                    }
                    let name = el.attribute("name").unwrap_or("");
                    let ectx = format!("{ctx}, element {name:?}");
                    check_attributes(
                        el,
                        &["name", "type", "minOccurs", "maxOccurs", "nillable", "id"],
                        &ectx,
                    )?;
                    let name = required(el, "name", &ectx)?;
                    no_inline_type(el, &ectx)?;
                    let min = occurs(el, "minOccurs", &ectx)?.unwrap_or(1);
                    let max = occurs(el, "maxOccurs", &ectx)?;
                    if max.is_some_and(|m| m < min) {
                        return Err(invalid(&ectx, "maxOccurs below minOccurs"));
                    }
                    particles.push(RawParticle {
                        name: name.to_owned(),
                        ty: element_type(el, &ectx)?,
                        min,
                        max,
                        nillable: boolean_attr(el, "nillable", &ectx)?,
                    });
                }
            }
            "attribute" => {
                let name = child.attribute("name").unwrap_or("");
                let actx = format!("{ctx}, attribute {name:?}");
                check_attributes(child, &["name", "type", "use", "id"], &actx)?;
                let name = required(child, "name", &actx)?;
                no_inline_type(child, &actx)?;
                let required = match child.attribute("use") {
                    None | Some("optional") => false,
                    Some("required") => true,
                    Some(other) => return Err(unsupported(format!("use=\"{other}\""), actx)),
                };
                let ty = match child.attribute("type") {
                    Some(t) => qname(child, t, &actx)?,
                    None => return Err(unsupported("an attribute without type=", actx)),
                };
                if attributes.iter().any(|a| a.name == name) {
                    return Err(invalid(actx, "declared twice"));
                }
                attributes.push(RawAttribute {
                    name: name.to_owned(),
                    ty,
                    required,
                });
            }
            other => return Err(unsupported(format!("xsd:{other} in xsd:complexType"), ctx)),
        }
    }
    check_deterministic(&particles, ctx)?;
    Ok(RawType::Complex {
        particles,
        attributes,
    })
}

/// Refuses sequences in which an element that may or may not occur again is followed, with
/// only optional elements between, by one of the same name: such a model is ambiguous (XSD's
/// Unique Particle Attribution) and the one-pass matcher could not decide it.
fn check_deterministic(particles: &[RawParticle], ctx: &str) -> Result<(), SchemaError> {
    for (i, p) in particles.iter().enumerate() {
        if p.max == Some(p.min) {
            continue;
        }
        for q in particles.iter().skip(i + 1) {
            if q.name == p.name {
                return Err(invalid(
                    ctx,
                    format!(
                        "ambiguous content model: element {:?} can match two particles",
                        p.name
                    ),
                ));
            }
            if q.min > 0 {
                break;
            }
        }
    }
    Ok(())
}

fn read_simple(node: Node<'_, '_>, ctx: &str) -> Result<RawType, SchemaError> {
    check_attributes(node, &["name", "id"], ctx)?;
    let children = xsd_children(node, ctx)?;
    let [restriction] = children.as_slice() else {
        return Err(invalid(ctx, "expected exactly one xsd:restriction"));
    };
    if restriction.tag_name().name() != "restriction" {
        return Err(unsupported(
            format!("xsd:{} in xsd:simpleType", restriction.tag_name().name()),
            ctx,
        ));
    }
    check_attributes(*restriction, &["base", "id"], ctx)?;
    let base = qname(*restriction, required(*restriction, "base", ctx)?, ctx)?;
    let mut white_space = None;
    let mut facets = Vec::new();
    for facet in xsd_children(*restriction, ctx)? {
        let kind = facet.tag_name().name();
        check_attributes(facet, &["value", "id"], ctx)?;
        let value = required(facet, "value", ctx)?;
        let count = || {
            value
                .parse::<usize>()
                .map_err(|_| invalid(ctx, format!("xsd:{kind} value {value:?} is not a count")))
        };
        match kind {
            "whiteSpace" => {
                white_space = Some(
                    WhiteSpace::parse(value)
                        .ok_or_else(|| invalid(ctx, format!("whiteSpace value {value:?}")))?,
                );
            }
            "length" => facets.push(RawFacet::Length(count()?)),
            "minLength" => facets.push(RawFacet::MinLength(count()?)),
            "maxLength" => facets.push(RawFacet::MaxLength(count()?)),
            "pattern" => {
                let pattern = Pattern::new(value)
                    .map_err(|e| unsupported(format!("pattern {value:?} ({e})"), ctx))?;
                facets.push(RawFacet::Pattern(pattern));
            }
            "enumeration" => facets.push(RawFacet::Enumeration(value.to_owned())),
            other => return Err(unsupported(format!("facet xsd:{other}"), ctx)),
        }
    }
    Ok(RawType::Simple {
        base,
        white_space,
        facets,
    })
}
