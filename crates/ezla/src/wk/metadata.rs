//! The service provider's SAML metadata (an `md:EntityDescriptor`), for registration with
//! login.gov.pl: entity ID, both certificates, the ACS (HTTP-Artifact) and the NameID format.

use super::authn_request::{HTTP_ARTIFACT, NAMEID_UNSPECIFIED};
use super::config::Config;
use super::ns::{DSIG, MD};
use crate::pki::Certificate;
use crate::xml::Writer;
use crate::xml::base64::encode as encode_base64;

/// The SAML 2.0 protocol enumeration value.
const PROTOCOL: &str = "urn:oasis:names:tc:SAML:2.0:protocol";

/// Writes the metadata (unsigned, compact, with an XML declaration).
pub fn sp_metadata(config: &Config) -> String {
    sp_metadata_for(
        &config.entity_id,
        &config.acs_url,
        config.provider_name.as_deref(),
        &config.keys.signing_certificate,
        &config.keys.encryption_certificate,
    )
}

/// Writes the metadata from the certificates alone (no private key needed): what
/// [`sp_metadata`] writes for a configuration with these values.
pub fn sp_metadata_for(
    entity_id: &str,
    acs_url: &str,
    provider_name: Option<&str>,
    signing_certificate: &Certificate,
    encryption_certificate: &Certificate,
) -> String {
    let mut w = Writer::compact();
    w.declaration(None);
    w.start("md:EntityDescriptor")
        .ns("md", MD)
        .ns("ds", DSIG)
        .attr("entityID", entity_id)
        .open();
    w.start("md:SPSSODescriptor")
        .attr("AuthnRequestsSigned", "true")
        .attr("WantAssertionsSigned", "false")
        .attr("protocolSupportEnumeration", PROTOCOL)
        .open();
    for (usage, cert) in [
        ("signing", signing_certificate),
        ("encryption", encryption_certificate),
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
        .attr("Location", acs_url)
        .attr("index", "0")
        .attr("isDefault", "true")
        .empty();
    if let Some(name) = provider_name {
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
            .leaf(acs_url);
    }
    w.finish()
}
