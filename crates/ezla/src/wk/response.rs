//! Checking an `ArtifactResponse` in the order of wk-saml.md §2.4, down to the decrypted
//! assertion bytes. Nothing later in the order is looked at before the earlier checks pass,
//! and data is taken only from the verified elements.

use zeroize::Zeroizing;

use super::decrypt::decrypt_assertion;
use super::layer::{
    check_in_response_to, check_issuer, id_and_version, malformed, no_comments_or_pis, parts,
    require_success, unexpected, verify_layer,
};
use super::ns::{DSIG, SAML, SAMLP};
use crate::crypto::{KeyAgreement, PublicKey};
use crate::dsig::find_signatures;
use crate::error::{SamlStatus, SignatureError, WkError};
use crate::soap::{self, Body};
use crate::xml::{Document, Element, ParseOptions};
use crate::{Error, Result};

/// What the response must answer and who must have signed it.
#[derive(Clone, Copy, Debug)]
pub struct ResponseExpectations<'c> {
    /// The ID of the ArtifactResolve we sent (`None`: not checked, for inspecting a saved
    /// response).
    pub artifact_resolve_id: Option<&'c str>,
    /// The ID of the pending AuthnRequest (`None`: not checked, for inspection only).
    pub authn_request_id: Option<&'c str>,
    /// login.gov.pl's `Issuer`.
    pub issuer: &'c str,
    /// The pinned login.gov.pl signing keys.
    pub wk_keys: &'c [PublicKey],
}

/// An `ArtifactResponse` whose checks up to decryption passed.
#[derive(Debug)]
#[non_exhaustive]
pub struct CheckedResponse {
    /// The `ArtifactResponse` ID.
    pub artifact_response_id: String,
    /// The inner `Response` ID.
    pub response_id: String,
    /// The inner `Response`'s `InResponseTo` (our AuthnRequest ID).
    pub in_response_to: String,
    /// The decrypted assertion XML (zeroized on drop).
    pub assertion: Zeroizing<Vec<u8>>,
}

/// Checks an `ArtifactResponse` (in its SOAP 1.1 envelope, or bare) and decrypts its
/// assertion with the first of `keys` that fits.
///
/// The order (each step only after the previous passed): no comments or processing
/// instructions; one `ArtifactResponse` with `InResponseTo` = our ArtifactResolve and the
/// configured `Issuer`; exactly two `ds:Signature` elements in the message; the outer
/// signature over exactly the `ArtifactResponse` with a pinned key (never `KeyInfo`); the
/// outer status; exactly one `Response` with its own signature, `Issuer`, `InResponseTo` =
/// our AuthnRequest and status; no plaintext `Assertion` anywhere and exactly one
/// `EncryptedAssertion`, the `Response`'s last child; decryption.
pub fn check_artifact_response(
    bytes: &[u8],
    expect: &ResponseExpectations<'_>,
    keys: &[&dyn KeyAgreement],
) -> Result<CheckedResponse> {
    let doc = Document::parse_bytes_with(bytes, &ParseOptions::default())?;
    no_comments_or_pis(&doc)?;
    let root = Element::new(doc.root_element()).ok_or_else(|| malformed("/", "no element"))?;
    let outer = if root.is(soap::ENVELOPE_NS, "Envelope") {
        let envelope = soap::Envelope::parse(bytes, &ParseOptions::default())?;
        // The envelope is judged on its own parse; the element used is the one of `doc`.
        match envelope.body() {
            Ok(Body::Element(_)) => {}
            Ok(Body::Fault(fault)) => {
                return Err(Error::Wk(WkError::Status {
                    message: "ArtifactResponse (SOAP Fault)",
                    status: SamlStatus {
                        top: fault.code,
                        second: None,
                        message: Some(fault.string),
                    },
                }));
            }
            Err(e) => return Err(malformed(e.path, e.detail)),
        }
        root.child(soap::ENVELOPE_NS, "Body")
            .and_then(|b| b.children().next())
            .ok_or_else(|| malformed(root.path(), "empty Body"))?
    } else {
        root
    };
    if !outer.is(SAMLP, "ArtifactResponse") {
        return Err(malformed(
            outer.path(),
            format!(
                "{} where an ArtifactResponse was expected",
                outer.local_name()
            ),
        ));
    }

    // 1. The ArtifactResponse, its InResponseTo and Issuer.
    let outer_id = id_and_version(outer)?;
    let outer_parts = parts(outer, true, &[(SAMLP, "Response")])?;
    check_in_response_to(outer, expect.artifact_resolve_id)?;
    check_issuer(outer, outer_parts.issuer, expect.issuer)?;

    // 2. The outer signature, over exactly this element, by a pinned key.
    let signatures = find_signatures(&doc);
    if signatures.len() > 2 {
        return Err(Error::Signature(SignatureError::Ambiguous {
            count: signatures.len(),
        }));
    }
    verify_layer(&doc, outer, outer_parts.signature, outer_id, expect.wk_keys)?;

    // 3. The outer status.
    let status = outer_parts
        .status
        .ok_or_else(|| malformed(outer.path(), "no Status"))?;
    require_success("ArtifactResponse", status)?;

    // 4. The one inner Response and its signature, issuer, InResponseTo and status.
    let response = match outer_parts.rest.as_slice() {
        [one] => *one,
        _ => {
            return Err(malformed(
                outer.path(),
                "no Response in a successful ArtifactResponse",
            ));
        }
    };
    let response_id = id_and_version(response)?;
    let response_parts = parts(response, true, &[(SAML, "EncryptedAssertion")])
        .map_err(|e| plaintext_assertion(response).unwrap_or(e))?;
    verify_layer(
        &doc,
        response,
        response_parts.signature,
        response_id,
        expect.wk_keys,
    )?;
    check_issuer(response, response_parts.issuer, expect.issuer)?;
    check_in_response_to(response, expect.authn_request_id)?;
    let in_response_to = response
        .attribute("InResponseTo")
        .ok_or_else(|| malformed(response.path(), "no InResponseTo"))?
        .to_string();
    let status = response_parts
        .status
        .ok_or_else(|| malformed(response.path(), "no Status"))?;
    require_success("Response", status)?;

    // 5. Exactly one EncryptedAssertion, where the profile puts it, and nothing in plaintext.
    if let Some(e) = plaintext_assertion(root) {
        return Err(e);
    }
    let encrypted: Vec<Element<'_, '_>> = doc
        .tree()
        .descendants()
        .filter(|n| n.has_tag_name((SAML, "EncryptedAssertion")))
        .filter_map(Element::new)
        .collect();
    let assertion = match (encrypted.as_slice(), response_parts.rest.as_slice()) {
        ([one], [child]) if one == child => *one,
        ([], _) => {
            return Err(malformed(response.path(), "no EncryptedAssertion"));
        }
        (many, _) => {
            let stray = many
                .iter()
                .find(|e| e.parent() != Some(response))
                .or_else(|| many.get(1))
                .map(|e| e.path())
                .unwrap_or_else(|| response.path());
            return Err(unexpected(
                stray,
                format!(
                    "{} EncryptedAssertion elements; exactly one, a child of the Response, expected",
                    many.len()
                ),
            ));
        }
    };
    let plaintext = decrypt_assertion(assertion, keys)?;
    Ok(CheckedResponse {
        artifact_response_id: outer_id.to_string(),
        response_id: response_id.to_string(),
        in_response_to,
        assertion: plaintext,
    })
}

/// The error for a plaintext `saml2:Assertion` anywhere under `scope`, if there is one.
fn plaintext_assertion(scope: Element<'_, '_>) -> Option<Error> {
    let found = scope
        .node
        .descendants()
        .filter(|n| n.has_tag_name((SAML, "Assertion")))
        .find_map(Element::new)?;
    let hidden = found
        .node
        .ancestors()
        .filter_map(Element::new)
        .any(|a| a.is(SAMLP, "Extensions") || a.is(DSIG, "Object") || a.is(DSIG, "Signature"));
    Some(if hidden {
        unexpected(
            found.path(),
            "an Assertion hidden in Extensions or a ds:Object",
        )
    } else {
        Error::Wk(WkError::UnencryptedAssertion { at: found.path() })
    })
}
