//! login.gov.pl's side of the messages, as the genuine captures show them: for simulators
//! (`ezla-sim`) and for tests of the checks. Never used by the service provider itself.
//!
//! [`assertion_xml`] writes a plaintext assertion, [`encrypt_assertion`](super::encrypt_assertion)
//! encrypts it, [`response_xml`] wraps it in a `Response` and [`artifact_response_xml`] signs both
//! layers and wraps them in the SOAP envelope, each signature in the profile of wk-saml.md §2.2.
//! [`attacks`] is the catalogue of ways that answer can be wrong, each applied on demand.

pub mod attacks;

use time::OffsetDateTime;

use super::artifact::envelope;
use super::ns::{DSIG, DSIG11, EIDAS, NATURAL_PERSON, SAML, SAMLP, XENC, XENC11, XSI};
use super::sign::{instant_millis, sign_with};
use crate::Result;
use crate::crypto::Signer;
use crate::error::SamlStatus;
use crate::pki::Certificate;
use crate::xml::Writer;

/// The content of an assertion to write.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct AssertionSpec {
    /// `ID`.
    pub id: String,
    /// The `Issuer` (login.gov.pl's entity).
    pub issuer: String,
    /// `IssueInstant`, also `AuthnInstant` and `Conditions/@NotBefore`.
    pub issued: OffsetDateTime,
    /// `Conditions/@NotOnOrAfter` and `SubjectConfirmationData/@NotOnOrAfter`.
    pub not_on_or_after: OffsetDateTime,
    /// `NameID`.
    pub name_id: String,
    /// The AuthnRequest ID (`SubjectConfirmationData/@InResponseTo`).
    pub in_response_to: String,
    /// The ACS URL (`Recipient`).
    pub recipient: String,
    /// The SP entity ID (`Audience`).
    pub audience: String,
    /// `SessionIndex`.
    pub session_index: String,
    /// `AuthnContextClassRef`.
    pub loa_uri: String,
    /// `AuthenticatingAuthority`.
    pub authority: String,
    /// `CurrentGivenName`.
    pub given_name: String,
    /// `CurrentFamilyName`.
    pub family_name: String,
    /// `DateOfBirth`, as written.
    pub birth_date: String,
    /// `PersonIdentifier`, as written.
    pub pesel: String,
    /// The `SubjectConfirmation/@Method`.
    pub confirmation_method: String,
}

impl AssertionSpec {
    /// An assertion for the 2018 simulator's test person (Roch Apitz), issued `now`, valid 30
    /// minutes, for `audience` and `recipient`, answering `in_response_to`.
    pub fn example(
        issuer: &str,
        audience: &str,
        recipient: &str,
        in_response_to: &str,
        now: OffsetDateTime,
    ) -> Self {
        AssertionSpec {
            id: format!("ID-assertion-{}", now.unix_timestamp_nanos()),
            issuer: issuer.into(),
            issued: now,
            not_on_or_after: now + time::Duration::minutes(30),
            name_id: "87022243734".into(),
            in_response_to: in_response_to.into(),
            recipient: recipient.into(),
            audience: audience.into(),
            session_index: format!("ID-session-{}", now.unix_timestamp()),
            loa_uri: super::Loa::Substantial.uri().into(),
            authority: "pz.gov.pl".into(),
            given_name: "Roch".into(),
            family_name: "Apitz".into(),
            birth_date: "1987-02-22".into(),
            pesel: "87022243734".into(),
            confirmation_method: super::BEARER.into(),
        }
    }
}

/// The namespace declarations login.gov.pl puts on its message roots.
fn wk_namespaces(w: crate::xml::StartTag<'_>) -> crate::xml::StartTag<'_> {
    w.ns("ds", DSIG)
        .ns("dsig11", DSIG11)
        .ns("eidas", EIDAS)
        .ns("naturalperson", NATURAL_PERSON)
        .ns("saml2", SAML)
        .ns("saml2p", SAMLP)
        .ns("xenc", XENC)
        .ns("xenc11", XENC11)
}

/// Writes the plaintext assertion, compact, declaring its namespaces on itself.
pub fn assertion_xml(spec: &AssertionSpec) -> String {
    let mut w = Writer::compact();
    wk_namespaces(w.start("saml2:Assertion"))
        .attr("ID", &spec.id)
        .attr("IssueInstant", &instant_millis(spec.issued))
        .attr("Version", "2.0")
        .open();
    w.leaf("saml2:Issuer", &spec.issuer);
    w.open("saml2:Subject");
    w.start("saml2:NameID")
        .attr("Format", super::authn_request::NAMEID_UNSPECIFIED)
        .leaf(&spec.name_id);
    w.start("saml2:SubjectConfirmation")
        .attr("Method", &spec.confirmation_method)
        .open();
    w.start("saml2:SubjectConfirmationData")
        .attr("InResponseTo", &spec.in_response_to)
        .attr("NotOnOrAfter", &instant_millis(spec.not_on_or_after))
        .attr("Recipient", &spec.recipient)
        .leaf("");
    w.end();
    w.end();
    w.start("saml2:Conditions")
        .attr("NotBefore", &instant_millis(spec.issued))
        .attr("NotOnOrAfter", &instant_millis(spec.not_on_or_after))
        .open();
    w.open("saml2:AudienceRestriction");
    w.leaf("saml2:Audience", &spec.audience);
    w.end();
    w.end();
    w.start("saml2:AuthnStatement")
        .attr("AuthnInstant", &instant_millis(spec.issued))
        .attr("SessionIndex", &spec.session_index)
        .open();
    w.open("saml2:AuthnContext");
    w.leaf("saml2:AuthnContextClassRef", &spec.loa_uri);
    w.leaf("saml2:AuthenticatingAuthority", &spec.authority);
    w.end();
    w.end();
    w.open("saml2:AttributeStatement");
    for (friendly, local, value) in [
        ("FirstName", "CurrentGivenName", &spec.given_name),
        ("FamilyName", "CurrentFamilyName", &spec.family_name),
        ("DateOfBirth", "DateOfBirth", &spec.birth_date),
        ("PersonIdentifier", "PersonIdentifier", &spec.pesel),
    ] {
        w.start("saml2:Attribute")
            .attr("FriendlyName", friendly)
            .attr("Name", &format!("{NATURAL_PERSON}/{local}"))
            .attr("NameFormat", super::authn_request::ATTRNAME_URI)
            .open();
        w.start("saml2:AttributeValue")
            .ns("xsi", XSI)
            .attr("xsi:type", &format!("naturalperson:{local}Type"))
            .leaf(value);
        w.end();
    }
    w.finish()
}

fn write_status(w: &mut Writer, status: &SamlStatus) {
    w.open("saml2p:Status");
    match &status.second {
        None => w
            .start("saml2p:StatusCode")
            .attr("Value", &status.top)
            .empty(),
        Some(second) => {
            w.start("saml2p:StatusCode")
                .attr("Value", &status.top)
                .open();
            w.start("saml2p:StatusCode").attr("Value", second).empty();
            w.end();
        }
    }
    if let Some(message) = &status.message {
        w.leaf("saml2p:StatusMessage", message);
    }
    w.end();
}

/// The Success status.
pub fn success() -> SamlStatus {
    SamlStatus {
        top: SamlStatus::SUCCESS.into(),
        second: None,
        message: None,
    }
}

/// Writes an unsigned `Response` with `payload` (e.g. an `EncryptedAssertion`) after its
/// status.
pub fn response_xml(
    issuer: &str,
    id: &str,
    in_response_to: &str,
    issued: OffsetDateTime,
    status: &SamlStatus,
    payload: Option<&str>,
) -> String {
    let mut w = Writer::compact();
    wk_namespaces(w.start("saml2p:Response"))
        .attr("ID", id)
        .attr("InResponseTo", in_response_to)
        .attr("IssueInstant", &instant_millis(issued))
        .attr("Version", "2.0")
        .open();
    w.leaf("saml2:Issuer", issuer);
    write_status(&mut w, status);
    if let Some(payload) = payload {
        w.raw(payload);
    }
    w.finish()
}

/// Writes an unsigned `ArtifactResponse` with `response` (already signed, no XML
/// declaration) after its status.
pub fn artifact_response_xml(
    issuer: &str,
    id: &str,
    in_response_to: &str,
    issued: OffsetDateTime,
    status: &SamlStatus,
    response: Option<&[u8]>,
) -> String {
    let mut w = Writer::compact();
    wk_namespaces(w.start("saml2p:ArtifactResponse"))
        .attr("ID", id)
        .attr("InResponseTo", in_response_to)
        .attr("IssueInstant", &instant_millis(issued))
        .attr("Version", "2.0")
        .open();
    w.leaf("saml2:Issuer", issuer);
    write_status(&mut w, status);
    if let Some(response) = response {
        w.raw(&String::from_utf8_lossy(response));
    }
    w.finish()
}

/// Signs a login.gov.pl message (root with `ID="{id}"` and `Issuer` first) in the profile
/// of wk-saml.md §2.2.
pub fn sign(
    signer: &dyn Signer,
    certificate: &Certificate,
    xml: &str,
    id: &str,
) -> Result<Vec<u8>> {
    sign_with(signer, certificate, xml, id)
}

/// Wraps a message in a SOAP 1.1 envelope, byte for byte.
pub fn soap_envelope(message: &[u8]) -> Vec<u8> {
    envelope(message)
}
