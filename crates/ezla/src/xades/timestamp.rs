//! XAdES-T (ETSI EN 319 132-1 §5.3, XAdES 1.3.2 §7.3): a `SignatureTimeStamp` over the
//! canonicalized `ds:SignatureValue`, in the unsigned signature properties.
//!
//! [`add_signature_timestamp`] splices the property into the signed bytes without changing
//! one of them (it goes after `SignedProperties`, outside everything a reference covers);
//! [`add_timestamp`] gets the token from a [`TimeStamper`] first. [`super::verify`] checks
//! every `SignatureTimeStamp` and, when its TSA is trusted
//! ([`super::VerifyOptions::tsa_trust`]), judges the signer's certificate at the stamped
//! time.

use super::XADES_NS;
use crate::dsig::{self, DSIG_NS};
use crate::error::{Error, Result, SignatureError};
use crate::tsp::{Stamped, TimeStamp, TimeStamper, TokenOptions, verify_token};
use crate::xml::c14n::{Canonicalizer, EXC_C14N};
use crate::xml::{Document, Element, base64};

/// The canonicalization ezla writes into a `SignatureTimeStamp`: exclusive C14N 1.0.
pub const SIGNATURE_TIMESTAMP_C14N: &str = EXC_C14N;

fn xades_error(detail: impl Into<String>) -> Error {
    Error::Signature(SignatureError::XadesPropertiesInvalid {
        detail: detail.into(),
    })
}

/// The one signature of the document.
fn only_signature<'d, 'a>(doc: &'d Document<'a>) -> Result<Element<'d, 'a>> {
    match dsig::find_signatures(doc).as_slice() {
        [] => Err(Error::Signature(SignatureError::Missing {
            detail: "no ds:Signature in the document".into(),
        })),
        [one] => Ok(*one),
        more => Err(Error::Signature(SignatureError::Ambiguous {
            count: more.len(),
        })),
    }
}

/// `ds:SignatureValue` canonicalized with `method` (a C14N URI): what a signature
/// time-stamp stamps.
pub(crate) fn stamped_bytes(
    doc: &Document<'_>,
    signature: Element<'_, '_>,
    method: &str,
) -> Result<Vec<u8>> {
    let value = signature.child(DSIG_NS, "SignatureValue").ok_or_else(|| {
        Error::Signature(SignatureError::Malformed {
            detail: "the signature has no ds:SignatureValue".into(),
        })
    })?;
    let c14n = Canonicalizer::from_uri(method).ok_or_else(|| {
        Error::unsupported("SignatureTimeStamp canonicalization", method.to_string())
    })?;
    c14n.element(doc, value)
}

/// The bytes a signature time-stamp of the document's only signature stamps: its
/// `ds:SignatureValue` in exclusive C14N.
///
/// Errors: [`crate::ErrorCode::XmlMalformed`], [`crate::ErrorCode::SignatureMissing`],
/// [`crate::ErrorCode::SignatureAmbiguous`] (a co-signed document).
pub fn timestamp_input(document: &[u8]) -> Result<Vec<u8>> {
    let doc = Document::parse_bytes(document)?;
    let signature = only_signature(&doc)?;
    stamped_bytes(&doc, signature, SIGNATURE_TIMESTAMP_C14N)
}

/// The qualified-name prefix of an element as written (`xades` in `<xades:QualifyingProperties`),
/// empty for the default namespace.
fn prefix_of<'a>(source: &'a str, element: Element<'_, '_>) -> &'a str {
    let start = element.range().start + 1;
    let rest = &source[start..];
    let name_end = rest
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(rest.len());
    match rest[..name_end].split_once(':') {
        Some((prefix, _)) => prefix,
        None => "",
    }
}

/// Adds `token` (a DER time-stamp token over the signature value, checked; the TSA is not
/// judged here) to the document's only XAdES signature as a `SignatureTimeStamp`: in a new
/// `UnsignedProperties` after `SignedProperties`, or appended to existing
/// `UnsignedSignatureProperties`. The signed bytes are left exactly as they were.
///
/// Errors: those of [`timestamp_input`]; [`crate::ErrorCode::XadesPropertiesInvalid`]
/// for a signature without `QualifyingProperties`/`SignedProperties`;
/// [`crate::ErrorCode::TimestampMismatch`] for a token over something else;
/// [`crate::ErrorCode::Unsupported`] for `UnsignedProperties` without unsigned signature
/// properties to append to.
pub fn add_signature_timestamp(document: &[u8], token: &[u8]) -> Result<Vec<u8>> {
    let doc = Document::parse_bytes(document)?;
    let source = doc.source();
    let signature = only_signature(&doc)?;
    verify_token(
        token,
        Stamped::Data(&stamped_bytes(&doc, signature, SIGNATURE_TIMESTAMP_C14N)?),
        &TokenOptions::default(),
    )?;
    let qp = signature
        .children()
        .filter(|c| c.is(DSIG_NS, "Object"))
        .flat_map(|o| {
            o.children()
                .filter(|c| c.is(XADES_NS, "QualifyingProperties"))
                .collect::<Vec<_>>()
        })
        .next()
        .ok_or_else(|| xades_error("no xades:QualifyingProperties in the signature's objects"))?;
    let sp = qp
        .child(XADES_NS, "SignedProperties")
        .ok_or_else(|| xades_error("no xades:SignedProperties"))?;
    let p = prefix_of(source, qp);
    let q = |local: &str| {
        if p.is_empty() {
            local.to_string()
        } else {
            format!("{p}:{local}")
        }
    };
    // A fresh Id: the signature's, numbered past any in the document.
    let base = format!(
        "{}-SignatureTimeStamp",
        signature.attribute("Id").unwrap_or("ezla")
    );
    let taken = |id: &str| {
        doc.tree()
            .descendants()
            .any(|n| n.attributes().any(|a| a.name() == "Id" && a.value() == id))
    };
    let mut id = base.clone();
    let mut n = 1;
    while taken(&id) {
        n += 1;
        id = format!("{base}-{n}");
    }
    let stamp = format!(
        "<{sts} Id=\"{id}\"><ds:CanonicalizationMethod xmlns:ds=\"{DSIG_NS}\" Algorithm=\"{SIGNATURE_TIMESTAMP_C14N}\"/><{ets}>{b64}</{ets}></{sts}>",
        sts = q("SignatureTimeStamp"),
        ets = q("EncapsulatedTimeStamp"),
        b64 = base64::encode(token),
    );
    let (at, insert) = match qp.child(XADES_NS, "UnsignedProperties") {
        None => (
            sp.range().end,
            format!(
                "<{up}><{usp}>{stamp}</{usp}></{up}>",
                up = q("UnsignedProperties"),
                usp = q("UnsignedSignatureProperties"),
            ),
        ),
        Some(up) => {
            let usp = up
                .child(XADES_NS, "UnsignedSignatureProperties")
                .ok_or_else(|| {
                    Error::unsupported(
                        "XAdES unsigned properties",
                        "UnsignedProperties without UnsignedSignatureProperties to add to",
                    )
                })?;
            let range = usp.range();
            let text = &source[range.clone()];
            if text.ends_with("/>") {
                return Err(Error::unsupported(
                    "XAdES unsigned properties",
                    "an empty UnsignedSignatureProperties element",
                ));
            }
            let close = text.rfind("</").ok_or_else(|| {
                Error::internal("an element that is not self-closing has an end tag")
            })?;
            (range.start + close, stamp)
        }
    };
    let mut out = Vec::with_capacity(document.len() + insert.len());
    out.extend_from_slice(&source.as_bytes()[..at]);
    out.extend_from_slice(insert.as_bytes());
    out.extend_from_slice(&source.as_bytes()[at..]);
    Ok(out)
}

/// Gets a time-stamp for the document's only signature from `stamper` and adds it
/// ([`add_signature_timestamp`]): XAdES-BES becomes XAdES-T.
///
/// Errors: the stamper's, and those of [`add_signature_timestamp`].
pub fn add_timestamp(document: &[u8], stamper: &dyn TimeStamper) -> Result<Vec<u8>> {
    let digest = stamper.digest();
    let token = stamper.time_stamp(digest, &digest.digest(&timestamp_input(document)?))?;
    add_signature_timestamp(document, &token)
}

/// Every time-stamp token of every `SignatureTimeStamp` of `signature`, each checked against
/// its `ds:SignatureValue` on its own: one that does not verify (or cannot be read) is an
/// `Err` in its place, never a reason to fail the signature, which does not depend on its
/// unsigned properties.
pub(crate) fn check_signature_timestamps(
    doc: &Document<'_>,
    signature: Element<'_, '_>,
    tsa: &TokenOptions,
) -> Vec<Result<TimeStamp>> {
    let mut out = Vec::new();
    let unsigned = signature
        .children()
        .filter(|c| c.is(DSIG_NS, "Object"))
        .flat_map(|o| o.children().collect::<Vec<_>>())
        .filter(|c| c.is(XADES_NS, "QualifyingProperties"))
        .flat_map(|qp| qp.children().collect::<Vec<_>>())
        .filter(|c| c.is(XADES_NS, "UnsignedProperties"))
        .flat_map(|up| up.children().collect::<Vec<_>>())
        .filter(|c| c.is(XADES_NS, "UnsignedSignatureProperties"));
    for usp in unsigned {
        for sts in usp
            .children()
            .filter(|c| c.is(XADES_NS, "SignatureTimeStamp"))
        {
            // XAdES 1.3.2 §7.1.4.3: without CanonicalizationMethod, Canonical XML 1.0.
            let method = sts
                .child(DSIG_NS, "CanonicalizationMethod")
                .and_then(|c| c.attribute("Algorithm"))
                .unwrap_or(crate::xml::c14n::C14N_10);
            // GenericTimeStampType: one or more EncapsulatedTimeStamp (or XMLTimeStamp).
            let encapsulated: Vec<Element<'_, '_>> = sts
                .children()
                .filter(|c| c.is(XADES_NS, "EncapsulatedTimeStamp"))
                .collect();
            if encapsulated.is_empty() {
                out.push(Err(if sts.child(XADES_NS, "XMLTimeStamp").is_some() {
                    Error::unsupported("time-stamp", "an XMLTimeStamp".to_string())
                } else {
                    xades_error(format!("{} holds no EncapsulatedTimeStamp", sts.path()))
                }));
                continue;
            }
            let bytes = stamped_bytes(doc, signature, method);
            for one in encapsulated {
                out.push(bytes.as_ref().map_err(clone_error).and_then(|bytes| {
                    let token = base64::decode("EncapsulatedTimeStamp", &one.text())?;
                    verify_token(&token, Stamped::Data(bytes), tsa)
                }));
            }
        }
    }
    out
}

/// The same error again (errors are not `Clone`: the canonicalization error is reported for
/// each token it affects).
fn clone_error(e: &Error) -> Error {
    xades_error(format!("the signature value cannot be canonicalized: {e}"))
}
