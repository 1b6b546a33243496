//! SP-initiated logout over the SOAP back channel (wk-saml.md §1.7): a signed
//! `LogoutRequest` with the `NameID` and `SessionIndex` of the assertion, and the check of
//! the `LogoutResponse`.

use time::OffsetDateTime;

use super::artifact::envelope;
use super::authn_request::NAMEID_UNSPECIFIED;
use super::config::Config;
use super::layer::{
    check_in_response_to, check_issuer, id_and_version, malformed, no_comments_or_pis, parts,
    require_success, verify_layer,
};
use super::ns::{DSIG, SAML, SAMLP, XENC};
use super::sign::{instant, new_id, sign_message};
use crate::Result;
use crate::crypto::PublicKey;
use crate::soap::{self, Body};
use crate::transport::Request;
use crate::xml::{Document, Element, ParseOptions, Writer};

/// A signed LogoutRequest in its SOAP envelope.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct LogoutRequest {
    /// The request `ID`.
    pub id: String,
    /// The SOAP envelope to POST to the single logout service.
    pub envelope: Vec<u8>,
}

impl LogoutRequest {
    /// The HTTP request for `url` (the single logout service).
    pub fn request(&self, url: &str) -> Request {
        super::artifact::soap_request(url, self.envelope.clone())
    }
}

/// Builds the LogoutRequest for a session (`name_id` and `session_index` from the
/// [`Identity`](super::Identity)) with a fresh ID.
pub fn build(
    config: &Config,
    name_id: &str,
    session_index: &str,
    now: OffsetDateTime,
) -> Result<LogoutRequest> {
    build_with(config, &new_id()?, name_id, session_index, now)
}

/// Builds the LogoutRequest with the given ID.
pub fn build_with(
    config: &Config,
    id: &str,
    name_id: &str,
    session_index: &str,
    now: OffsetDateTime,
) -> Result<LogoutRequest> {
    let mut w = Writer::compact();
    w.start("saml2p:LogoutRequest")
        .ns("ds", DSIG)
        .ns("saml2", SAML)
        .ns("saml2p", SAMLP)
        .ns("xenc", XENC)
        .attr("Destination", &config.endpoints.single_logout)
        .attr("ID", id)
        .attr("IssueInstant", &instant(now))
        .attr("Version", "2.0")
        .open();
    w.leaf("saml2:Issuer", &config.entity_id);
    w.start("saml2:NameID")
        .attr("Format", NAMEID_UNSPECIFIED)
        .leaf(name_id);
    w.leaf("saml2p:SessionIndex", session_index);
    let signed = sign_message(config, &w.finish(), id)?;
    Ok(LogoutRequest {
        id: id.to_string(),
        envelope: envelope(&signed),
    })
}

/// Checks a `LogoutResponse` (in its SOAP envelope, or bare): `InResponseTo` = our request,
/// the configured `Issuer`, a signature by a pinned key over exactly the response when one is
/// present (required when `require_signature`), and a Success status.
pub fn check_logout_response(
    bytes: &[u8],
    request_id: &str,
    issuer: &str,
    wk_keys: &[PublicKey],
    require_signature: bool,
) -> Result<()> {
    let doc = Document::parse_bytes_with(bytes, &ParseOptions::default())?;
    no_comments_or_pis(&doc)?;
    let root = Element::new(doc.root_element()).ok_or_else(|| malformed("/", "no element"))?;
    let response = if root.is(soap::ENVELOPE_NS, "Envelope") {
        let envelope = soap::Envelope::parse(bytes, &ParseOptions::default())?;
        match envelope.body() {
            Ok(Body::Element(_)) => {}
            Ok(Body::Fault(fault)) => {
                return Err(crate::Error::Wk(crate::error::WkError::Status {
                    message: "LogoutResponse (SOAP Fault)",
                    status: crate::error::SamlStatus {
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
    if !response.is(SAMLP, "LogoutResponse") {
        return Err(malformed(
            response.path(),
            format!(
                "{} where a LogoutResponse was expected",
                response.local_name()
            ),
        ));
    }
    let id = id_and_version(response)?;
    let p = parts(response, true, &[])?;
    check_in_response_to(response, Some(request_id))?;
    check_issuer(response, p.issuer, issuer)?;
    if p.signature.is_some() || require_signature {
        verify_layer(&doc, response, p.signature, id, wk_keys)?;
    }
    let status = p
        .status
        .ok_or_else(|| malformed(response.path(), "no Status"))?;
    require_success("LogoutResponse", status)
}
