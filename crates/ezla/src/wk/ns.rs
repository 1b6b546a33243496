//! The namespaces of login.gov.pl's SAML messages.

/// SAML 2.0 protocol (`saml2p`).
pub const SAMLP: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
/// SAML 2.0 assertion (`saml2`).
pub const SAML: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
/// XML-DSig (`ds`).
pub const DSIG: &str = crate::dsig::DSIG_NS;
/// XML-DSig 1.1 (`dsig11`).
pub const DSIG11: &str = crate::dsig::DSIG11_NS;
/// XML Encryption (`xenc`).
pub const XENC: &str = "http://www.w3.org/2001/04/xmlenc#";
/// XML Encryption 1.1 (`xenc11`).
pub const XENC11: &str = "http://www.w3.org/2009/xmlenc11#";
/// eIDAS SAML extensions (`eidas`).
pub const EIDAS: &str = "http://eidas.europa.eu/saml-extensions";
/// eIDAS natural-person attributes (`naturalperson`).
pub const NATURAL_PERSON: &str = "http://eidas.europa.eu/attributes/naturalperson";
/// SAML 2.0 metadata (`md`).
pub const MD: &str = "urn:oasis:names:tc:SAML:2.0:metadata";
/// XML Schema instance (`xsi`).
pub const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
