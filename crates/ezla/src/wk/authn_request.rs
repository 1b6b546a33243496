//! The `AuthnRequest` (wk-saml.md §1.2), signed (§2.2), as raw XML and as the auto-submitting
//! HTML form of the HTTP-POST binding.

use time::OffsetDateTime;

use super::config::Config;
use super::ns::{DSIG, EIDAS, NATURAL_PERSON, SAML, SAMLP, XENC};
use super::sign::{instant, new_id, new_token, sign_message};
use super::stores::PendingRequest;
use crate::Result;
use crate::xml::Writer;
use crate::xml::base64::encode as encode_base64;
use crate::xml::escape;

/// The HTTP-Artifact binding URI (how login.gov.pl answers).
pub const HTTP_ARTIFACT: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact";
/// The `unspecified` NameID format.
pub const NAMEID_UNSPECIFIED: &str = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";
/// The `uri` attribute name format.
pub const ATTRNAME_URI: &str = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri";

/// The four attributes every client requests: (FriendlyName, local name under
/// `http://eidas.europa.eu/attributes/naturalperson/`).
pub const REQUESTED_ATTRIBUTES: [(&str, &str); 4] = [
    ("FamilyName", "CurrentFamilyName"),
    ("FirstName", "CurrentGivenName"),
    ("DateOfBirth", "DateOfBirth"),
    ("PersonIdentifier", "PersonIdentifier"),
];

/// A signed AuthnRequest and the state to keep until the artifact comes back.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct AuthnRequest {
    /// The request `ID` (the `InResponseTo` of the answer).
    pub id: String,
    /// The RelayState sent with it (the key of the pending request).
    pub relay_state: String,
    /// The signed XML, compact, UTF-8, without an XML declaration.
    pub xml: Vec<u8>,
    /// Where the browser posts it.
    pub sso_url: String,
    /// `IssueInstant`.
    pub issued: OffsetDateTime,
    /// When the pending request expires.
    pub expires: OffsetDateTime,
}

impl AuthnRequest {
    /// The `SAMLRequest` form field: base64 of the XML, not deflated.
    pub fn saml_request(&self) -> String {
        encode_base64(&self.xml)
    }

    /// An HTML page whose form POSTs `SAMLRequest` and `RelayState` to login.gov.pl and
    /// submits itself (a button for browsers without JavaScript).
    pub fn html_form(&self) -> String {
        let action = escape::attribute(&self.sso_url);
        let request = self.saml_request();
        let relay = escape::attribute(&self.relay_state);
        format!(
            "<!DOCTYPE html>\n<html lang=\"pl\"><head><meta charset=\"utf-8\">\
             <title>login.gov.pl</title></head>\
             <body onload=\"document.forms[0].submit()\">\
             <form method=\"post\" action=\"{action}\">\
             <input type=\"hidden\" name=\"SAMLRequest\" value=\"{request}\">\
             <input type=\"hidden\" name=\"RelayState\" value=\"{relay}\">\
             <noscript><button type=\"submit\">Dalej / Continue</button></noscript>\
             </form></body></html>\n"
        )
    }

    /// The pending request to store.
    pub fn pending(&self) -> PendingRequest {
        PendingRequest {
            request_id: self.id.clone(),
            relay_state: self.relay_state.clone(),
            expires: self.expires,
        }
    }
}

/// Builds and signs an AuthnRequest with a fresh ID and RelayState.
pub fn build(config: &Config, now: OffsetDateTime) -> Result<AuthnRequest> {
    build_with(config, &new_id()?, &new_token()?, now)
}

/// The unsigned AuthnRequest XML (for tests and inspection).
pub fn unsigned_xml(config: &Config, id: &str, now: OffsetDateTime) -> String {
    let mut w = Writer::compact();
    w.start("saml2p:AuthnRequest")
        .ns("saml2p", SAMLP)
        .ns("ds", DSIG)
        .ns("eidas", EIDAS)
        .ns("naturalperson", NATURAL_PERSON)
        .ns("saml2", SAML)
        .ns("xenc", XENC)
        .attr("AssertionConsumerServiceURL", &config.acs_url)
        .attr("Destination", &config.endpoints.destination)
        .attr(
            "ForceAuthn",
            if config.force_authn { "true" } else { "false" },
        )
        .attr("ID", id)
        .attr("IssueInstant", &instant(now))
        .attr("ProtocolBinding", HTTP_ARTIFACT)
        .attr_opt("ProviderName", config.provider_name.as_deref())
        .attr("Version", "2.0")
        .open();
    w.leaf("saml2:Issuer", &config.entity_id);
    w.open("saml2p:Extensions");
    w.leaf("eidas:SPType", config.sp_type.as_str());
    w.open("eidas:RequestedAttributes");
    for (friendly, local) in REQUESTED_ATTRIBUTES {
        w.start("eidas:RequestedAttribute")
            .attr("FriendlyName", friendly)
            .attr("Name", &format!("{NATURAL_PERSON}/{local}"))
            .attr("NameFormat", ATTRNAME_URI)
            .attr("isRequired", "true")
            .empty();
    }
    w.end();
    w.end();
    w.start("saml2p:NameIDPolicy")
        .attr("AllowCreate", "true")
        .attr("Format", NAMEID_UNSPECIFIED)
        .empty();
    w.start("saml2p:RequestedAuthnContext")
        .attr("Comparison", "minimum")
        .open();
    w.leaf("saml2:AuthnContextClassRef", config.requested_loa.uri());
    w.finish()
}

/// Builds and signs an AuthnRequest with the given ID and RelayState.
pub fn build_with(
    config: &Config,
    id: &str,
    relay_state: &str,
    now: OffsetDateTime,
) -> Result<AuthnRequest> {
    let xml = sign_message(config, &unsigned_xml(config, id, now), id)?;
    Ok(AuthnRequest {
        id: id.to_string(),
        relay_state: relay_state.to_string(),
        xml,
        sso_url: config.endpoints.sso.clone(),
        issued: now,
        expires: now + config.request_lifetime,
    })
}
