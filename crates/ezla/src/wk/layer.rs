//! The checks every signed SAML layer gets: its structure, its `Issuer`, its one signature by a
//! pinned key over exactly this element, and its `Status`.

use super::ns::{DSIG, SAML, SAMLP};
use crate::crypto::{DigestAlgorithm, PublicKey, SignatureAlgorithm};
use crate::dsig::{ENVELOPED_SIGNATURE, KeySelection, Verified, Verifier};
use crate::error::{SamlStatus, SignatureError, WkError};
use crate::xml::c14n::EXC_C14N;
use crate::xml::{Document, Element};
use crate::{Error, Result};

pub(crate) fn malformed(at: impl Into<String>, detail: impl Into<String>) -> Error {
    Error::Wk(WkError::Malformed {
        at: at.into(),
        detail: detail.into(),
    })
}

pub(crate) fn unexpected(at: impl Into<String>, detail: impl Into<String>) -> Error {
    Error::Wk(WkError::UnexpectedContent {
        at: at.into(),
        detail: detail.into(),
    })
}

/// Refuses comments and processing instructions anywhere in the document: login.gov.pl sends
/// none, and inside signed text they are the comment-truncation attack (canonicalization
/// drops them, text readers stop at them).
pub(crate) fn no_comments_or_pis(doc: &Document<'_>) -> Result<()> {
    for node in doc.tree().descendants() {
        let kind = if node.is_comment() {
            "a comment"
        } else if node.is_pi() {
            "a processing instruction"
        } else {
            continue;
        };
        let at = node
            .ancestors()
            .find_map(Element::new)
            .map(|e| e.path())
            .unwrap_or_else(|| "/".into());
        return Err(unexpected(
            at,
            format!("{kind} (login.gov.pl messages carry none)"),
        ));
    }
    Ok(())
}

/// Refuses non-whitespace text directly inside `e` (a container of elements).
pub(crate) fn no_text(e: Element<'_, '_>) -> Result<()> {
    let text = e
        .node
        .children()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .any(|t| !t.trim().is_empty());
    if text {
        return Err(unexpected(e.path(), "text where only elements are allowed"));
    }
    Ok(())
}

/// The required attribute `name` of `e`.
pub(crate) fn required<'d>(e: Element<'d, '_>, name: &str) -> Result<&'d str> {
    e.attribute(name)
        .ok_or_else(|| malformed(e.path(), format!("no {name} attribute")))
}

/// Checks `Version="2.0"` and returns `ID`.
pub(crate) fn id_and_version<'d>(e: Element<'d, '_>) -> Result<&'d str> {
    let version = required(e, "Version")?;
    if version != "2.0" {
        return Err(malformed(
            e.path(),
            format!("Version {version:?}, 2.0 expected"),
        ));
    }
    let id = required(e, "ID")?;
    if id.is_empty() {
        return Err(malformed(e.path(), "empty ID"));
    }
    Ok(id)
}

/// Checks the element's `Issuer` child text against `expected`.
pub(crate) fn check_issuer(
    e: Element<'_, '_>,
    issuer: Option<Element<'_, '_>>,
    expected: &str,
) -> Result<()> {
    let found = issuer.map(|i| i.text()).unwrap_or_default();
    if let Some(format) = issuer.and_then(|i| i.attribute("Format"))
        && format != "urn:oasis:names:tc:SAML:2.0:nameid-format:entity"
    {
        return Err(malformed(e.path(), format!("Issuer Format {format:?}")));
    }
    if found != expected {
        return Err(Error::Wk(WkError::IssuerMismatch {
            element: e.local_name().to_string(),
            expected: expected.to_string(),
            found,
        }));
    }
    Ok(())
}

/// Checks `InResponseTo` against `expected` (when the caller knows it).
pub(crate) fn check_in_response_to(e: Element<'_, '_>, expected: Option<&str>) -> Result<()> {
    let Some(expected) = expected else {
        return Ok(());
    };
    let found = e.attribute("InResponseTo");
    if found != Some(expected) {
        return Err(Error::Wk(WkError::InResponseToMismatch {
            element: e.local_name().to_string(),
            expected: expected.to_string(),
            found: found.map(str::to_string),
        }));
    }
    Ok(())
}

/// Reads a `samlp:Status`.
pub(crate) fn read_status(status: Element<'_, '_>) -> Result<SamlStatus> {
    let mut out = SamlStatus::default();
    let code = status
        .child(SAMLP, "StatusCode")
        .ok_or_else(|| malformed(status.path(), "no StatusCode"))?;
    out.top = required(code, "Value")?.to_string();
    if let Some(second) = code.child(SAMLP, "StatusCode") {
        out.second = Some(required(second, "Value")?.to_string());
    }
    out.message = status.child(SAMLP, "StatusMessage").map(|m| m.text());
    Ok(out)
}

/// Fails with [`WkError::Status`] unless the status is Success.
pub(crate) fn require_success(message: &'static str, status: Element<'_, '_>) -> Result<()> {
    let status = read_status(status)?;
    if status.is_success() {
        Ok(())
    } else {
        Err(Error::Wk(WkError::Status { message, status }))
    }
}

/// The children of a SAML protocol message in the order the profile fixes:
/// `Issuer`, `ds:Signature`, `Status`, then `rest` (each at most once, in order). Anything
/// else — a second signature, `Extensions`, a second payload — is refused.
pub(crate) struct Parts<'d, 'a> {
    pub(crate) issuer: Option<Element<'d, 'a>>,
    pub(crate) signature: Option<Element<'d, 'a>>,
    pub(crate) status: Option<Element<'d, 'a>>,
    pub(crate) rest: Vec<Element<'d, 'a>>,
}

pub(crate) fn parts<'d, 'a>(
    e: Element<'d, 'a>,
    with_status: bool,
    rest: &[(&str, &str)],
) -> Result<Parts<'d, 'a>> {
    no_text(e)?;
    let mut out = Parts {
        issuer: None,
        signature: None,
        status: None,
        rest: Vec::new(),
    };
    let mut expected: Vec<(&str, &str)> = vec![(SAML, "Issuer"), (DSIG, "Signature")];
    if with_status {
        expected.push((SAMLP, "Status"));
    }
    expected.extend_from_slice(rest);
    let mut at = 0;
    for child in e.children() {
        let Some(pos) = expected[at..]
            .iter()
            .position(|(ns, name)| child.is(ns, name))
        else {
            let what = if child.is(DSIG, "Signature") {
                "a second ds:Signature".to_string()
            } else if expected.iter().any(|(ns, name)| child.is(ns, name)) {
                format!("{} repeated or out of order", child.local_name())
            } else {
                format!("unexpected element {}", child.local_name())
            };
            return Err(unexpected(child.path(), what));
        };
        let index = at + pos;
        at = index + 1;
        match index {
            0 => out.issuer = Some(child),
            1 => out.signature = Some(child),
            2 if with_status => out.status = Some(child),
            _ => out.rest.push(child),
        }
    }
    Ok(out)
}

/// Verifies `signature` with the pinned keys (the first that verifies) and requires it to be
/// login.gov.pl's profile over exactly `element`: one reference `#ID` to the signature's
/// parent, enveloped + exclusive C14N, SHA-256, ECDSA-SHA256.
pub(crate) fn verify_layer<'d, 'a>(
    doc: &'d Document<'a>,
    element: Element<'d, 'a>,
    signature: Option<Element<'d, 'a>>,
    id: &str,
    keys: &[PublicKey],
) -> Result<Verified<'d, 'a>> {
    let signature = signature.ok_or_else(|| {
        Error::Signature(SignatureError::Missing {
            detail: format!("{} carries no ds:Signature", element.path()),
        })
    })?;
    if keys.is_empty() {
        return Err(Error::invalid_argument(
            "wk_certificates",
            "no login.gov.pl certificate configured",
        ));
    }
    let mut first_error = None;
    let mut verified = None;
    for key in keys {
        match Verifier::new(KeySelection::Pinned(key.clone())).verify(doc, signature) {
            Ok(v) => {
                verified = Some(v);
                break;
            }
            Err(e @ Error::Signature(SignatureError::Invalid { .. })) => {
                first_error.get_or_insert(e);
            }
            Err(e) => return Err(e),
        }
    }
    let verified = match verified {
        Some(v) => v,
        None => {
            return Err(first_error.unwrap_or_else(|| {
                Error::Signature(SignatureError::Invalid {
                    detail: "no pinned key".into(),
                })
            }));
        }
    };
    let mismatch = |detail: String| Error::Signature(SignatureError::ReferenceMismatch { detail });
    let [reference] = verified.references.as_slice() else {
        return Err(mismatch(format!(
            "the signature of {} has {} references; exactly one expected",
            element.path(),
            verified.references.len()
        )));
    };
    if reference.uri != format!("#{id}") {
        return Err(mismatch(format!(
            "the signature of {} references {:?}, not its own ID {id:?}",
            element.path(),
            reference.uri
        )));
    }
    match &reference.coverage {
        crate::dsig::Coverage::Element {
            element: covered, ..
        } if *covered == element => {}
        other => {
            return Err(mismatch(format!(
                "the signature of {} covers {}",
                element.path(),
                other.describe(element)
            )));
        }
    }
    verified.require_covers(&element)?;
    let transforms_ok = reference.transforms.len() == 2
        && reference.transforms[0] == ENVELOPED_SIGNATURE
        && reference.transforms[1] == EXC_C14N;
    if !transforms_ok
        || reference.digest != DigestAlgorithm::Sha256
        || verified.algorithm != SignatureAlgorithm::Ecdsa(DigestAlgorithm::Sha256)
        || verified.canonicalization.uri() != EXC_C14N
    {
        return Err(Error::unsupported(
            "login.gov.pl signature profile",
            format!(
                "{} with transforms {:?} (ECDSA-SHA256, SHA-256, enveloped + exclusive C14N expected)",
                verified.algorithm, reference.transforms
            ),
        ));
    }
    Ok(verified)
}
