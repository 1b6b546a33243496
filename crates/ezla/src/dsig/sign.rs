//! Signing: build a `ds:Signature` and splice it into the original bytes.
//!
//! Nothing is re-serialised: an enveloped signature is inserted before the end tag of its
//! parent element and every other byte of the input is kept. Digests and the canonical
//! `SignedInfo` are computed as the signature will sit in the output: the new `Signature`
//! element is parsed inside a copy of its ancestors' start tags (their namespace declarations
//! and `xml:*` attributes), which is all canonicalization can see of its context.

use std::fmt::Write as _;

use super::algorithms::{
    DSIG_NS, ENVELOPED_SIGNATURE, XPATH, XPATH_NOT_SIGNATURE, digest_uri, signature_uri,
};
use super::reference::{self, Step};
use super::verify::find_signatures;
use crate::crypto::{DigestAlgorithm, KeyKind, SignatureAlgorithm, Signer};
use crate::error::{KeyError, SignatureError};
use crate::xml::base64::encode as encode_base64;
use crate::xml::c14n::{Canonicalizer, Method};
use crate::xml::escape;
use crate::xml::{Document, Element, Writer, XML_NAMESPACE};
use crate::{Error, Result};

/// A transform to list in a reference.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransformSpec {
    /// `enveloped-signature`: the signature leaves itself out.
    Enveloped,
    /// The XPath filter `not(ancestor-or-self::ds:Signature)`: every signature is left out
    /// (the Polish XAdES profile).
    XPathNotSignature,
    /// A canonicalization.
    Canonicalize(Canonicalizer),
}

/// One `ds:Reference` to create.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReferenceSpec {
    /// `""` for the whole document, `#id` for an element (of the document, or of an object
    /// added with this signature).
    pub uri: String,
    /// The reference's own `Id`.
    pub id: Option<String>,
    /// The `Type` attribute (XAdES marks its SignedProperties reference this way).
    pub type_uri: Option<String>,
    /// Transforms, in order.
    pub transforms: Vec<TransformSpec>,
    /// The digest algorithm.
    pub digest: DigestAlgorithm,
}

impl ReferenceSpec {
    /// A reference to `uri` with the given transforms and digest.
    pub fn new(
        uri: impl Into<String>,
        transforms: Vec<TransformSpec>,
        digest: DigestAlgorithm,
    ) -> Self {
        ReferenceSpec {
            uri: uri.into(),
            id: None,
            type_uri: None,
            transforms,
            digest,
        }
    }

    /// Sets the `Id`.
    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// Sets the `Type`.
    pub fn with_type(mut self, type_uri: impl Into<String>) -> Self {
        self.type_uri = Some(type_uri.into());
        self
    }
}

/// A `ds:Object` to carry inside the signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectSpec {
    /// The object's `Id`.
    pub id: Option<String>,
    /// Its content: well-formed XML (elements may use the signature's `ds` prefix and must
    /// declare any other namespace they use).
    pub content: String,
}

/// What goes into `ds:KeyInfo`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyInfoSpec {
    /// DER certificates for `X509Data/X509Certificate`: the signer's first, then its chain.
    pub certificates: Vec<Vec<u8>>,
    /// Also write the public key as `KeyValue`.
    pub key_value: bool,
    /// The `KeyInfo` element's `Id`.
    pub id: Option<String>,
}

/// The shape of a signature to create.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureSpec {
    /// The `Signature` element's `Id`.
    pub id: Option<String>,
    /// The `SignatureValue` element's `Id`.
    pub signature_value_id: Option<String>,
    /// How `SignedInfo` is canonicalized.
    pub canonicalization: Canonicalizer,
    /// The signature algorithm (must fit the signer's key).
    pub algorithm: SignatureAlgorithm,
    /// References, in order.
    pub references: Vec<ReferenceSpec>,
    /// `KeyInfo` content; no `KeyInfo` is written when it is empty.
    pub key_info: KeyInfoSpec,
    /// Objects, in order.
    pub objects: Vec<ObjectSpec>,
}

impl SignatureSpec {
    /// A plain enveloped signature over the whole document: `URI=""` with the
    /// `enveloped-signature` transform and exclusive C14N, `SignedInfo` in exclusive C14N,
    /// the customary algorithm for `key` with `digest`.
    pub fn enveloped(key: KeyKind, digest: DigestAlgorithm) -> Self {
        let algorithm = match key {
            KeyKind::Rsa { .. } => SignatureAlgorithm::RsaPkcs1v15(digest),
            _ => SignatureAlgorithm::Ecdsa(digest),
        };
        let exc = Canonicalizer::new(Method::Exclusive10);
        SignatureSpec {
            id: None,
            signature_value_id: None,
            canonicalization: exc.clone(),
            algorithm,
            references: vec![ReferenceSpec::new(
                "",
                vec![TransformSpec::Enveloped, TransformSpec::Canonicalize(exc)],
                digest,
            )],
            key_info: KeyInfoSpec::default(),
            objects: Vec::new(),
        }
    }
}

/// Where the signature goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Placement {
    /// The last child of the document element (enveloped).
    #[default]
    LastChildOfRoot,
    /// Right after the first child element of the document element with this name: where
    /// SAML 2.0 puts the signature of a protocol message or assertion (after `saml:Issuer`,
    /// [`Placement::AFTER_SAML_ISSUER`]). Signing fails when there is no such child.
    AfterChild {
        /// The child's namespace (`""` for none).
        namespace: &'static str,
        /// The child's local name.
        local_name: &'static str,
    },
}

impl Placement {
    /// After the `saml:Issuer` child of the document element (SAML 2.0 core §3.2.1, §2.3.3:
    /// `Issuer` comes first, then `ds:Signature`).
    pub const AFTER_SAML_ISSUER: Placement = Placement::AfterChild {
        namespace: "urn:oasis:names:tc:SAML:2.0:assertion",
        local_name: "Issuer",
    };
}

/// Options for [`sign_enveloped`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignOptions {
    /// Where the signature goes.
    pub placement: Placement,
    /// Allow signing a document that already carries a signature (co-signing).
    pub allow_existing_signatures: bool,
}

impl SignOptions {
    /// These options with the signature placed at `placement`.
    pub fn with_placement(mut self, placement: Placement) -> Self {
        self.placement = placement;
        self
    }
}

/// The signature's own prefix.
const DS: &str = "ds";

/// Signs `input` with an enveloped signature; returns the input with the `ds:Signature`
/// spliced in where [`SignOptions::placement`] says (by default before the document
/// element's end tag).
pub fn sign_enveloped(
    input: &[u8],
    spec: &SignatureSpec,
    signer: &dyn Signer,
    options: &SignOptions,
) -> Result<Vec<u8>> {
    let doc = Document::parse_bytes(input)?;
    if !options.allow_existing_signatures && !find_signatures(&doc).is_empty() {
        return Err(Error::Signature(SignatureError::AlreadySigned));
    }
    let root = Element {
        node: doc.tree().root_element(),
    };
    let after = match options.placement {
        Placement::LastChildOfRoot => None,
        Placement::AfterChild {
            namespace,
            local_name,
        } => Some(
            root.children()
                .find(|c| c.namespace().unwrap_or("") == namespace && c.local_name() == local_name)
                .ok_or_else(|| {
                    Error::invalid_argument(
                        "placement",
                        format!(
                            "the document element has no `{local_name}` child (namespace `{namespace}`) to put the signature after"
                        ),
                    )
                })?,
        ),
    };
    let ids = reference::collect_ids(&doc)?;
    for new_id in spec_ids(spec) {
        if ids.contains_key(new_id) {
            return Err(Error::invalid_argument(
                "signature Ids",
                format!("Id `{new_id}` is already used in the document"),
            ));
        }
    }
    let (open, close) = context_tags(root);
    let signature = build(spec, signer, &open, &close, |r, steps| {
        // References into the document itself.
        if r.uri.is_empty() || ids.contains_key(&r.uri[1..]) {
            let start = reference::dereference(&r.uri, &ids)?;
            // Signing applies no XPath filter: the budget is never drawn on.
            let mut unlimited = u64::MAX;
            let (digest, coverage) =
                reference::digest(&doc, start, steps, None, r.digest, &mut unlimited)?;
            let touches_signature = match coverage {
                reference::Coverage::Document { .. } => true,
                reference::Coverage::Element { element, .. } => element == root,
                reference::Coverage::DecodedText { .. } => false,
            };
            if touches_signature
                && !r.transforms.iter().any(|t| {
                    matches!(
                        t,
                        TransformSpec::Enveloped | TransformSpec::XPathNotSignature
                    )
                })
            {
                return Err(Error::invalid_argument(
                    "references",
                    format!(
                        "reference URI=\"{}\" would cover the signature itself; add the enveloped-signature transform",
                        r.uri
                    ),
                ));
            }
            Ok(Some(digest))
        } else {
            Ok(None)
        }
    })?;
    Ok(match after {
        None => splice(input, root, &signature),
        Some(sibling) => {
            let at = sibling.range().end;
            let mut out = Vec::with_capacity(input.len() + signature.len());
            out.extend_from_slice(&input[..at]);
            out.extend_from_slice(signature.as_bytes());
            out.extend_from_slice(&input[at..]);
            out
        }
    })
}

/// Creates an enveloping signature: a standalone `ds:Signature` document whose objects carry
/// the signed data (references point at object Ids).
pub fn sign_enveloping(spec: &SignatureSpec, signer: &dyn Signer) -> Result<Vec<u8>> {
    let signature = build(spec, signer, "", "", |_, _| Ok(None))?;
    Ok(signature.into_bytes())
}

fn spec_ids(spec: &SignatureSpec) -> impl Iterator<Item = &str> {
    spec.id
        .iter()
        .chain(spec.signature_value_id.iter())
        .chain(spec.key_info.id.iter())
        .chain(spec.references.iter().filter_map(|r| r.id.as_ref()))
        .chain(spec.objects.iter().filter_map(|o| o.id.as_ref()))
        .map(String::as_str)
}

/// Builds the signature text. `external` digests references that point outside the new
/// signature (returns `None` for references into it).
fn build(
    spec: &SignatureSpec,
    signer: &dyn Signer,
    context_open: &str,
    context_close: &str,
    mut external: impl FnMut(&ReferenceSpec, &[Step]) -> Result<Option<Vec<u8>>>,
) -> Result<String> {
    if !spec.algorithm.fits(signer.key_kind()) {
        return Err(Error::Key(KeyError::Unsupported {
            detail: format!(
                "a {} key cannot make {} signatures",
                signer.key_kind(),
                spec.algorithm
            ),
        }));
    }
    if spec.references.is_empty() {
        return Err(Error::invalid_argument(
            "references",
            "a signature needs at least one reference",
        ));
    }
    let tail = tail_xml(spec, signer)?;
    let value_open = match &spec.signature_value_id {
        Some(id) => format!("<{DS}:SignatureValue Id=\"{}\">", escape::attribute(id)),
        None => format!("<{DS}:SignatureValue>"),
    };
    let value_close = format!("</{DS}:SignatureValue>");
    let sig_open = match &spec.id {
        Some(id) => format!(
            "<{DS}:Signature xmlns:{DS}=\"{DSIG_NS}\" Id=\"{}\">",
            escape::attribute(id)
        ),
        None => format!("<{DS}:Signature xmlns:{DS}=\"{DSIG_NS}\">"),
    };
    let sig_close = format!("</{DS}:Signature>");

    // Pass 1: digests. References into the new signature are digested in a scratch copy of it
    // (inside its context), whose SignedInfo content does not matter yet.
    let mut digests: Vec<Option<Vec<u8>>> = Vec::with_capacity(spec.references.len());
    let mut internal = Vec::new();
    {
        // Transforms are read from the spec into steps that do not borrow a document.
        for (i, r) in spec.references.iter().enumerate() {
            let steps = plain_steps(&r.transforms);
            let d = external(r, &steps)?;
            if d.is_none() {
                internal.push(i);
            }
            digests.push(d);
        }
    }
    if !internal.is_empty() {
        let scratch = format!(
            "{context_open}{sig_open}<{DS}:SignedInfo/>{value_open}{value_close}{tail}{sig_close}{context_close}"
        );
        let doc = Document::parse(&scratch)?;
        let ids = reference::collect_ids(&doc)?;
        let signature = find_signatures(&doc).into_iter().last();
        for i in internal {
            let r = &spec.references[i];
            if !r.uri.starts_with('#') || !ids.contains_key(&r.uri[1..]) {
                return Err(Error::invalid_argument(
                    "references",
                    format!(
                        "reference URI=\"{}\" names nothing in the document or the signature",
                        r.uri
                    ),
                ));
            }
            let steps = plain_steps(&r.transforms);
            let start = reference::dereference(&r.uri, &ids)?;
            let mut unlimited = u64::MAX;
            let (digest, _) =
                reference::digest(&doc, start, &steps, signature, r.digest, &mut unlimited)?;
            digests[i] = Some(digest);
        }
    }

    // Pass 2: SignedInfo, canonicalized in place, and the signature value.
    let mut w = Writer::compact();
    w.open("ds:SignedInfo");
    method_element(&mut w, "ds:CanonicalizationMethod", &spec.canonicalization);
    w.start("ds:SignatureMethod")
        .attr("Algorithm", signature_uri(spec.algorithm))
        .empty();
    for (r, digest) in spec.references.iter().zip(&digests) {
        let digest = digest
            .as_ref()
            .ok_or_else(|| Error::internal("reference without digest"))?;
        w.start("ds:Reference")
            .attr_opt("Id", r.id.as_deref())
            .attr_opt("Type", r.type_uri.as_deref())
            .attr("URI", &r.uri)
            .open();
        if !r.transforms.is_empty() {
            w.open("ds:Transforms");
            for t in &r.transforms {
                match t {
                    TransformSpec::Enveloped => w
                        .start("ds:Transform")
                        .attr("Algorithm", ENVELOPED_SIGNATURE)
                        .empty(),
                    TransformSpec::XPathNotSignature => {
                        w.start("ds:Transform").attr("Algorithm", XPATH).open();
                        w.leaf("ds:XPath", XPATH_NOT_SIGNATURE);
                        w.end();
                    }
                    TransformSpec::Canonicalize(c) => method_element(&mut w, "ds:Transform", c),
                }
            }
            w.end(); // Transforms
        }
        w.start("ds:DigestMethod")
            .attr("Algorithm", digest_uri(r.digest))
            .empty();
        w.leaf("ds:DigestValue", &encode_base64(digest));
        w.end(); // Reference
    }
    let signed_info = w.finish();

    let scratch = format!(
        "{context_open}{sig_open}{signed_info}{value_open}{value_close}{tail}{sig_close}{context_close}"
    );
    let doc = Document::parse(&scratch)?;
    let si = doc
        .tree()
        .descendants()
        .find(|n| n.has_tag_name((DSIG_NS, "SignedInfo")))
        .and_then(Element::new)
        .ok_or_else(|| Error::internal("SignedInfo vanished"))?;
    let canonical = spec.canonicalization.element(&doc, si)?;
    let value = signer.sign(spec.algorithm, &canonical)?;
    // A token, HSM or callback can sign with another key than the one it names, or return
    // garbage; an RSA implementation can suffer a fault. Nothing that does not verify leaves
    // here (the check costs one public-key operation, ~3 % of an RSA-2048 signature).
    signer
        .public_key()
        .verify(spec.algorithm, &canonical, &value)
        .map_err(|e| {
            Error::Key(KeyError::SigningFailed {
                detail: format!(
                    "the signature the signer returned does not verify with its public key \
                 (a different key on the token, or a faulty signer): {e}"
                ),
            })
        })?;
    Ok(format!(
        "{sig_open}{signed_info}{value_open}{}{value_close}{tail}{sig_close}",
        encode_base64(&value)
    ))
}

/// Steps that need no document (the ones a signer can list).
fn plain_steps(transforms: &[TransformSpec]) -> Vec<Step> {
    transforms
        .iter()
        .map(|t| match t {
            TransformSpec::Enveloped => Step::Enveloped,
            TransformSpec::XPathNotSignature => Step::ExcludeSignatures,
            TransformSpec::Canonicalize(c) => Step::Canonicalize(c.clone()),
        })
        .collect()
}

fn method_element(w: &mut Writer, name: &str, c: &Canonicalizer) {
    let prefixes = c.inclusive_prefixes();
    let tag = w.start(name).attr("Algorithm", c.uri());
    if c.method() == Method::Exclusive10 && !prefixes.is_empty() {
        tag.open();
        w.start("ec:InclusiveNamespaces")
            .ns("ec", "http://www.w3.org/2001/10/xml-exc-c14n#")
            .attr("PrefixList", &prefixes.join(" "))
            .empty();
        w.end();
    } else {
        tag.empty();
    }
}

/// KeyInfo and Objects.
fn tail_xml(spec: &SignatureSpec, signer: &dyn Signer) -> Result<String> {
    let mut w = Writer::compact();
    let k = &spec.key_info;
    if !k.certificates.is_empty() || k.key_value {
        w.start("ds:KeyInfo").attr_opt("Id", k.id.as_deref()).open();
        if k.key_value {
            let key = signer.public_key();
            w.open("ds:KeyValue");
            match key.rsa_components() {
                Some((n, e)) => {
                    w.open("ds:RSAKeyValue");
                    w.leaf("ds:Modulus", &encode_base64(n));
                    w.leaf("ds:Exponent", &encode_base64(e));
                    w.end();
                }
                None => {
                    let (Some(oid), Some(point)) = (key.ec_curve_oid(), key.ec_point()) else {
                        return Err(Error::internal("EC key without curve or point"));
                    };
                    w.start("dsig11:ECKeyValue")
                        .ns("dsig11", super::algorithms::DSIG11_NS)
                        .open();
                    w.start("dsig11:NamedCurve")
                        .attr("URI", &format!("urn:oid:{oid}"))
                        .empty();
                    w.leaf("dsig11:PublicKey", &encode_base64(point));
                    w.end();
                }
            }
            w.end(); // KeyValue
        }
        if !k.certificates.is_empty() {
            w.open("ds:X509Data");
            for c in &k.certificates {
                w.leaf("ds:X509Certificate", &encode_base64(c));
            }
            w.end();
        }
        w.end(); // KeyInfo
    }
    for o in &spec.objects {
        w.start("ds:Object").attr_opt("Id", o.id.as_deref()).open();
        w.raw(&o.content);
        w.end();
    }
    Ok(w.finish())
}

/// Start and end tags reproducing what canonicalization sees of an element's context: the
/// chain from the document element down to `parent`, each with the namespaces it declares and
/// its `xml:*` attributes.
fn context_tags(parent: Element<'_, '_>) -> (String, String) {
    let mut chain: Vec<Element<'_, '_>> = Vec::new();
    let mut cur = Some(parent);
    while let Some(e) = cur {
        chain.push(e);
        cur = e.parent();
    }
    chain.reverse();
    let mut open = String::new();
    let mut close = String::new();
    for (i, e) in chain.iter().enumerate() {
        let qname = e.qualified_name();
        let _ = write!(open, "<{qname}");
        let inherited: Vec<(Option<&str>, &str)> = match i {
            0 => Vec::new(),
            _ => chain[i - 1]
                .node
                .namespaces()
                .map(|ns| (ns.name(), ns.uri()))
                .collect(),
        };
        for ns in e.node.namespaces() {
            if inherited.contains(&(ns.name(), ns.uri())) {
                continue;
            }
            match ns.name() {
                Some(p) => {
                    let _ = write!(open, " xmlns:{p}=\"{}\"", escape::attribute(ns.uri()));
                }
                None => {
                    let _ = write!(open, " xmlns=\"{}\"", escape::attribute(ns.uri()));
                }
            }
        }
        // A default namespace undeclared here (inherited but no longer in scope).
        if i > 0
            && inherited.iter().any(|(p, u)| p.is_none() && !u.is_empty())
            && !e.node.namespaces().any(|ns| ns.name().is_none())
        {
            open.push_str(" xmlns=\"\"");
        }
        for attr in e.node.attributes() {
            if attr.namespace() == Some(XML_NAMESPACE) {
                let _ = write!(
                    open,
                    " xml:{}=\"{}\"",
                    attr.name(),
                    escape::attribute(attr.value())
                );
            }
        }
        open.push('>');
        close.insert_str(0, &format!("</{qname}>"));
    }
    (open, close)
}

/// The input with `signature` inserted before `parent`'s end tag.
fn splice(input: &[u8], parent: Element<'_, '_>, signature: &str) -> Vec<u8> {
    let range = parent.range();
    let element = &input[range.clone()];
    let mut out = Vec::with_capacity(input.len() + signature.len() + 16);
    if element.ends_with(b"/>") {
        // <root .../>  →  <root ...>SIGNATURE</root>
        out.extend_from_slice(&input[..range.end - 2]);
        out.push(b'>');
        out.extend_from_slice(signature.as_bytes());
        out.extend_from_slice(b"</");
        out.extend_from_slice(parent.qualified_name().as_bytes());
        out.push(b'>');
    } else {
        let end_tag = element
            .iter()
            .rposition(|&b| b == b'<')
            .map(|p| range.start + p)
            .unwrap_or(range.end);
        out.extend_from_slice(&input[..end_tag]);
        out.extend_from_slice(signature.as_bytes());
        out.extend_from_slice(&input[end_tag..range.end]);
    }
    out.extend_from_slice(&input[range.end..]);
    out
}
