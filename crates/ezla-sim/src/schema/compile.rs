//! Resolving [`Definitions`] into a [`Model`]: every type name to an index, restriction
//! chains flattened, facets checked against their base.

use std::collections::HashMap;

use super::SchemaError;
use super::builtin::Builtin;
use super::load::{Definitions, QName, RawFacet, RawType, XSD};
use super::model::{
    AttributeDecl, ComplexType, Facet, GlobalElement, Model, Particle, SimpleType, TypeId,
    WhiteSpace,
};

fn invalid(context: impl Into<String>, message: impl Into<String>) -> SchemaError {
    SchemaError::Invalid {
        context: context.into(),
        message: message.into(),
    }
}

/// Compiles the definitions.
pub(crate) fn compile(defs: &Definitions) -> Result<Model, SchemaError> {
    let target = defs.target_namespace.clone();
    let mut model = Model {
        target_namespace: target.clone(),
        ..Model::default()
    };
    for b in Builtin::ALL {
        let id = model.simple.len();
        model.simple.push(SimpleType {
            display: format!("xsd:{}", b.name()),
            builtin: b,
            white_space: if b.collapses() {
                WhiteSpace::Collapse
            } else {
                WhiteSpace::Preserve
            },
            facets: Vec::new(),
            base: None,
        });
        model
            .type_names
            .insert((XSD.to_owned(), b.name().to_owned()), TypeId::Simple(id));
    }
    for b in Builtin::ALL {
        if let (Some(base), Some(TypeId::Simple(id))) = (
            b.base(),
            model
                .type_names
                .get(&(XSD.to_owned(), b.name().to_owned()))
                .copied(),
        ) {
            let base_id = model
                .type_names
                .get(&(XSD.to_owned(), base.name().to_owned()))
                .copied();
            if let (Some(TypeId::Simple(base_id)), Some(t)) = (base_id, model.simple.get_mut(id)) {
                t.base = Some(base_id);
            }
        }
    }

    // Give every named type its index first, so that references resolve in any order.
    let mut pending_simple: Vec<(&str, usize)> = Vec::new();
    for (name, ty) in &defs.types {
        let key = (target.clone(), name.clone());
        match ty {
            RawType::Complex { .. } => {
                model
                    .type_names
                    .insert(key, TypeId::Complex(model.complex.len()));
                model.complex.push(ComplexType {
                    particles: Vec::new(),
                    attributes: Vec::new(),
                });
            }
            RawType::Simple { .. } => {
                let id = model.simple.len();
                model.type_names.insert(key, TypeId::Simple(id));
                // A placeholder, filled in below once its base is compiled.
                model.simple.push(SimpleType {
                    display: name.clone(),
                    builtin: Builtin::String,
                    white_space: WhiteSpace::Preserve,
                    facets: Vec::new(),
                    base: None,
                });
                pending_simple.push((name.as_str(), id));
            }
        }
    }

    let lookup = |model: &Model, q: &QName, ctx: &str| -> Result<TypeId, SchemaError> {
        if let Some(id) = model.type_names.get(&(q.ns.clone(), q.local.clone())) {
            return Ok(*id);
        }
        if q.ns == XSD {
            Err(SchemaError::Unsupported {
                construct: format!("built-in type xsd:{}", q.local),
                context: ctx.to_owned(),
            })
        } else {
            Err(invalid(
                ctx,
                format!("type {} is not defined", q.display(&target)),
            ))
        }
    };

    // Simple types, in an order where each base comes first (restriction chains are short;
    // a pass that makes no progress means a cycle).
    let mut done: Vec<bool> = vec![true; model.simple.len()];
    for (_, id) in &pending_simple {
        if let Some(d) = done.get_mut(*id) {
            *d = false;
        }
    }
    let mut remaining = pending_simple;
    while !remaining.is_empty() {
        let before = remaining.len();
        let mut next = Vec::new();
        for (name, id) in remaining {
            let ctx = format!("simpleType {name:?}");
            let Some(RawType::Simple {
                base,
                white_space,
                facets,
            }) = defs.types.get(name)
            else {
                continue;
            };
            let base_id = match lookup(&model, base, &ctx)? {
                TypeId::Simple(b) => b,
                TypeId::Complex(_) => {
                    return Err(invalid(ctx, "restricts a complex type"));
                }
            };
            if !done.get(base_id).copied().unwrap_or(false) {
                next.push((name, id));
                continue;
            }
            let compiled = restrict(&model, base_id, *white_space, facets, &ctx)?;
            if let Some(slot) = model.simple.get_mut(id) {
                *slot = SimpleType {
                    display: name.to_owned(),
                    ..compiled
                };
            }
            if let Some(d) = done.get_mut(id) {
                *d = true;
            }
        }
        if next.len() == before {
            let names: Vec<&str> = next.iter().map(|(n, _)| *n).collect();
            return Err(invalid(
                format!("simpleType {:?}", names.first().copied().unwrap_or("")),
                format!("circular restriction among {names:?}"),
            ));
        }
        remaining = next;
    }

    // Complex types.
    for (name, ty) in &defs.types {
        let RawType::Complex {
            particles,
            attributes,
        } = ty
        else {
            continue;
        };
        let ctx = format!("complexType {name:?}");
        let mut out_particles = Vec::with_capacity(particles.len());
        for p in particles {
            let pctx = format!("{ctx}, element {:?}", p.name);
            out_particles.push(Particle {
                name: p.name.clone(),
                min: p.min,
                max: p.max,
                nillable: p.nillable,
                ty: lookup(&model, &p.ty, &pctx)?,
            });
        }
        let mut out_attributes = Vec::with_capacity(attributes.len());
        for a in attributes {
            let actx = format!("{ctx}, attribute {:?}", a.name);
            let TypeId::Simple(ty) = lookup(&model, &a.ty, &actx)? else {
                return Err(invalid(actx, "an attribute's type must be simple"));
            };
            out_attributes.push(AttributeDecl {
                name: a.name.clone(),
                required: a.required,
                ty,
            });
        }
        if let Some(TypeId::Complex(id)) = model.type_names.get(&(target.clone(), name.clone()))
            && let Some(slot) = model.complex.get_mut(*id)
        {
            slot.particles = out_particles;
            slot.attributes = out_attributes;
        }
    }

    let mut elements = HashMap::new();
    for (name, e) in &defs.elements {
        let ctx = format!("global element {name:?}");
        elements.insert(
            name.clone(),
            GlobalElement {
                ty: lookup(&model, &e.ty, &ctx)?,
                nillable: e.nillable,
            },
        );
    }
    model.elements = elements;

    for op in defs.operations.values() {
        for element in [&op.input, &op.output] {
            if !model.elements.contains_key(element) {
                return Err(invalid(
                    format!("wsdl:operation {:?}", op.name),
                    format!("element {element:?} is not declared"),
                ));
            }
        }
    }
    Ok(model)
}

/// The type obtained by restricting `base_id` with these facets.
fn restrict(
    model: &Model,
    base_id: usize,
    white_space: Option<WhiteSpace>,
    facets: &[RawFacet],
    ctx: &str,
) -> Result<SimpleType, SchemaError> {
    let Some(base) = model.simple.get(base_id) else {
        return Err(invalid(ctx, "base type missing"));
    };
    let is_string = base.builtin == Builtin::String;
    let rank = |w: WhiteSpace| match w {
        WhiteSpace::Preserve => 0,
        WhiteSpace::Replace => 1,
        WhiteSpace::Collapse => 2,
    };
    let effective = match white_space {
        Some(w) if rank(w) < rank(base.white_space) => {
            return Err(invalid(
                ctx,
                format!(
                    "whiteSpace cannot be relaxed from {:?} to {w:?}",
                    base.white_space
                ),
            ));
        }
        Some(w) => w,
        None => base.white_space,
    };
    let mut out = SimpleType {
        display: String::new(),
        builtin: base.builtin,
        white_space: effective,
        facets: base.facets.clone(),
        base: Some(base_id),
    };
    let mut patterns = Vec::new();
    let mut enumeration = Vec::new();
    for f in facets {
        let refuse_unless_string = |what: &str| {
            if is_string {
                Ok(())
            } else {
                Err(SchemaError::Unsupported {
                    construct: format!("{what} on a restriction of {}", base.display),
                    context: ctx.to_owned(),
                })
            }
        };
        match f {
            RawFacet::Length(n) => {
                refuse_unless_string("length")?;
                out.facets.push(Facet::Length(*n));
            }
            RawFacet::MinLength(n) => {
                refuse_unless_string("minLength")?;
                out.facets.push(Facet::MinLength(*n));
            }
            RawFacet::MaxLength(n) => {
                refuse_unless_string("maxLength")?;
                out.facets.push(Facet::MaxLength(*n));
            }
            RawFacet::Pattern(p) => patterns.push(p.clone()),
            RawFacet::Enumeration(v) => {
                // Comparing other types' values needs their value space.
                refuse_unless_string("enumeration")?;
                enumeration.push(effective.apply(v));
            }
        }
    }
    if !patterns.is_empty() {
        out.facets.push(Facet::Pattern(patterns));
    }
    if !enumeration.is_empty() {
        out.facets.push(Facet::Enumeration(enumeration));
    }
    Ok(out)
}
