//! Signing our messages as login.gov.pl expects (wk-saml.md §2.2), and fresh IDs.

use time::OffsetDateTime;

use super::config::Config;
use crate::Result;
use crate::crypto::{DigestAlgorithm, SignatureAlgorithm, Signer, hex, random_bytes};
use crate::dsig::{
    KeyInfoSpec, Placement, ReferenceSpec, SignOptions, SignatureSpec, TransformSpec,
    sign_enveloped,
};
use crate::pki::Certificate;
use crate::xml::c14n::{Canonicalizer, Method};

/// The prefixes the exclusive canonicalization of every WK signature renders.
pub(crate) const PREFIX_LIST: [&str; 4] = ["ds", "saml2", "saml2p", "xenc"];

/// Signs the message `xml` (whose root carries `ID="{id}"` and a `saml2:Issuer` first child):
/// ECDSA-SHA256, one reference `#ID` with enveloped + exclusive C14N with the PrefixList,
/// SHA-256, the signing certificate in `KeyInfo`, placed right after `Issuer`.
pub(crate) fn sign_message(config: &Config, xml: &str, id: &str) -> Result<Vec<u8>> {
    sign_with(
        config.keys.signer.as_ref(),
        &config.keys.signing_certificate,
        xml,
        id,
    )
}

/// [`sign_message`] with any signer and certificate (login.gov.pl's side in the emulator).
pub(crate) fn sign_with(
    signer: &dyn Signer,
    certificate: &Certificate,
    xml: &str,
    id: &str,
) -> Result<Vec<u8>> {
    let exc = Canonicalizer::new(Method::Exclusive10);
    let spec = SignatureSpec {
        id: None,
        signature_value_id: None,
        canonicalization: exc.clone(),
        algorithm: SignatureAlgorithm::Ecdsa(DigestAlgorithm::Sha256),
        references: vec![ReferenceSpec::new(
            format!("#{id}"),
            vec![
                TransformSpec::Enveloped,
                TransformSpec::Canonicalize(exc.with_inclusive_prefixes(PREFIX_LIST)),
            ],
            DigestAlgorithm::Sha256,
        )],
        key_info: KeyInfoSpec {
            certificates: vec![certificate.to_der().to_vec()],
            key_value: false,
            id: None,
        },
        objects: Vec::new(),
    };
    sign_enveloped(
        xml.as_bytes(),
        &spec,
        signer,
        &SignOptions {
            placement: Placement::AFTER_SAML_ISSUER,
            // login.gov.pl's ArtifactResponse carries the signed Response inside.
            allow_existing_signatures: true,
        },
    )
}

/// A fresh SAML ID, `ID-` and a random UUID-shaped value (an NCName).
pub fn new_id() -> Result<String> {
    let mut b = [0u8; 16];
    random_bytes(&mut b)?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::lower(&b);
    Ok(format!(
        "ID-{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    ))
}

/// A random token (URL-safe), e.g. a RelayState.
pub(crate) fn new_token() -> Result<String> {
    let mut b = [0u8; 18];
    random_bytes(&mut b)?;
    Ok(hex::lower(&b))
}

/// `IssueInstant` in UTC, whole seconds, `Z` (as the accepted requests carry it).
pub(crate) fn instant(now: OffsetDateTime) -> String {
    crate::xml::datetime::format(now)
}

/// An instant in UTC with milliseconds, as login.gov.pl writes them (`…T13:17:51.395Z`).
pub(crate) fn instant_millis(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    let format = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    t.format(&format)
        .unwrap_or_else(|_| crate::xml::datetime::format(t))
}
