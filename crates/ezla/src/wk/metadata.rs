//! The service provider's SAML metadata (an `md:EntityDescriptor`), for registration with
//! login.gov.pl: entity ID, both certificates, the ACS (HTTP-Artifact) and the NameID format.

use super::authn_request::{HTTP_ARTIFACT, NAMEID_UNSPECIFIED};
use super::config::Config;
use super::ns::{DSIG, MD};
use crate::xml::Writer;
use crate::xml::base64::encode as encode_base64;

/// The SAML 2.0 protocol enumeration value.
const PROTOCOL: &str = "urn:oasis:names:tc:SAML:2.0:protocol";

/// Writes the metadata (unsigned, compact, with an XML declaration).
pub fn sp_metadata(config: &Config) -> String {
    let mut w = Writer::compact();
    w.declaration(None);
    w.start("md:EntityDescriptor")
        .ns("md", MD)
        .ns("ds", DSIG)
        .attr("entityID", &config.entity_id)
        .open();
    w.start("md:SPSSODescriptor")
        .attr("AuthnRequestsSigned", "true")
        .attr("WantAssertionsSigned", "false")
        .attr("protocolSupportEnumeration", PROTOCOL)
        .open();
    for (usage, cert) in [
        ("signing", &config.keys.signing_certificate),
        ("encryption", &config.keys.encryption_certificate),
    ] {
        w.start("md:KeyDescriptor").attr("use", usage).open();
        w.open("ds:KeyInfo");
        w.open("ds:X509Data");
        w.leaf("ds:X509Certificate", &encode_base64(cert.to_der()));
        w.end();
        w.end();
        w.end();
    }
    w.leaf("md:NameIDFormat", NAMEID_UNSPECIFIED);
    w.start("md:AssertionConsumerService")
        .attr("Binding", HTTP_ARTIFACT)
        .attr("Location", &config.acs_url)
        .attr("index", "0")
        .attr("isDefault", "true")
        .empty();
    if let Some(name) = &config.provider_name {
        w.end();
        w.open("md:Organization");
        w.start("md:OrganizationName")
            .attr("xml:lang", "pl")
            .leaf(name);
        w.start("md:OrganizationDisplayName")
            .attr("xml:lang", "pl")
            .leaf(name);
        w.start("md:OrganizationURL")
            .attr("xml:lang", "pl")
            .leaf(&config.acs_url);
    }
    w.finish()
}
