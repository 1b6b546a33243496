//! The `ArtifactResolve` (wk-saml.md §1.4): signed, in a SOAP 1.1 envelope, sent with
//! `text/xml` and `SOAPAction: ""`.

use time::OffsetDateTime;

use super::config::Config;
use super::ns::{DSIG, SAML, SAMLP, XENC};
use super::sign::{instant, new_id, sign_message};
use crate::Result;
use crate::soap;
use crate::transport::Request;
use crate::xml::Writer;

/// A signed ArtifactResolve, wrapped in its envelope.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ArtifactResolve {
    /// The request `ID` (the `InResponseTo` of the ArtifactResponse).
    pub id: String,
    /// The SOAP envelope to POST.
    pub envelope: Vec<u8>,
}

impl ArtifactResolve {
    /// The HTTP request for `url` (the artifact resolution service).
    pub fn request(&self, url: &str) -> Request {
        soap_request(url, self.envelope.clone())
    }
}

/// A SOAP 1.1 POST as login.gov.pl's WSDL describes it.
pub(crate) fn soap_request(url: &str, body: Vec<u8>) -> Request {
    Request::post(url, soap::CONTENT_TYPE, body).with_header("SOAPAction", "\"\"")
}

/// Wraps a signed message (no XML declaration) into a SOAP 1.1 envelope, byte for byte.
pub(crate) fn envelope(signed: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(signed.len() + 160);
    out.extend_from_slice(
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><soap:Envelope xmlns:soap=\"",
    );
    out.extend_from_slice(soap::ENVELOPE_NS.as_bytes());
    out.extend_from_slice(b"\"><soap:Body>");
    out.extend_from_slice(signed);
    out.extend_from_slice(b"</soap:Body></soap:Envelope>");
    out
}

/// Builds the ArtifactResolve for `artifact` (the `SAMLart` value, sent back verbatim) with a
/// fresh ID.
pub fn build(config: &Config, artifact: &str, now: OffsetDateTime) -> Result<ArtifactResolve> {
    build_with(config, &new_id()?, artifact, now)
}

/// Builds the ArtifactResolve with the given ID.
pub fn build_with(
    config: &Config,
    id: &str,
    artifact: &str,
    now: OffsetDateTime,
) -> Result<ArtifactResolve> {
    let mut w = Writer::compact();
    w.start("saml2p:ArtifactResolve")
        .ns("saml2p", SAMLP)
        .ns("ds", DSIG)
        .ns("saml2", SAML)
        .ns("xenc", XENC)
        .attr("ID", id)
        .attr("IssueInstant", &instant(now))
        .attr("Version", "2.0")
        .open();
    w.leaf("saml2:Issuer", &config.entity_id);
    w.leaf("saml2p:Artifact", artifact);
    let signed = sign_message(config, &w.finish(), id)?;
    Ok(ArtifactResolve {
        id: id.to_string(),
        envelope: envelope(&signed),
    })
}
