//! The attack catalogue: ways login.gov.pl's answer can be wrong — forged by an attacker or
//! sent by a misbehaving identity provider — each of which the service provider must refuse
//! with its own error (issue 14, item 8).
//!
//! The catalogue is data ([`CATALOGUE_JSON`], read by [`catalogue`]): numbered cases, each
//! naming a [`Misbehaviour`], the expected verdict (`OK` or `KO`) and, for `KO`, the
//! [`ErrorCode`] the service provider must give. It is modelled on the public SAML
//! conformance checkers (SAML Raider's eight XML Signature Wrapping permutations from
//! Somorovsky et al., "On Breaking SAML: Be Whoever You Want to Be", USENIX Security 2012;
//! the numbered OK/KO cases of the Italian SPID `spid-saml-check`), adapted to login.gov.pl's
//! profile (wk-saml.md §1.5): two signed layers — the `ArtifactResponse` (the *outer* layer)
//! and the `Response` inside it (the *inner* layer) — and an assertion that is encrypted but
//! not signed.
//!
//! A [`Misbehaviour`] is applied to an [`Answer`] (what login.gov.pl would answer to one
//! ArtifactResolve) by [`Answer::build`]. Misbehaviours of the content (another audience,
//! expired, a wrong `InResponseTo`...) are written and signed with login.gov.pl's key, so only
//! the service provider's semantic checks can catch them. Misbehaviours of the structure (the
//! wrapping permutations, a second signature, hidden assertions, comments) are applied to the
//! signed bytes; those of the inner layer are applied before the outer layer is signed, so the
//! outer signature is valid and only the inner checks can refuse them (except where a
//! duplicate ID makes signing impossible: those are applied to the finished message, as an
//! attacker would).
//!
//! In the wrapping permutations the attacker's *evil* content is an assertion for another
//! person, encrypted to the service provider's public encryption key — which anyone can do,
//! because the assertion itself carries no signature: only the signature of the `Response`
//! protects it.

use std::ops::Range;

use serde::Deserialize;
use time::OffsetDateTime;

use super::{AssertionSpec, artifact_response_xml, assertion_xml, response_xml, sign, success};
use crate::crypto::{KeySpec, PublicKey, Signer};
use crate::error::{ErrorCode, SamlStatus};
use crate::pki::Certificate;
use crate::pki::testca::TestCa;
use crate::wk::encrypt_assertion;
use crate::wk::ns::{DSIG, SAML, SAMLP};
use crate::xml::{Document, Element};
use crate::{Error, Result};

/// The catalogue as JSON: `{"cases": [{"id", "title", "misbehaviour" or "capture",
/// "verdict", "error", "reference", "note"}]}`.
pub const CATALOGUE_JSON: &str = include_str!("attacks.json");

/// The signed layer a structural misbehaviour is applied to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Layer {
    /// The `ArtifactResponse` (its signature covers the whole message).
    Outer,
    /// The `Response` inside it (its signature covers the encrypted assertion).
    Inner,
}

impl Layer {
    fn suffix(self) -> &'static str {
        match self {
            Layer::Outer => "outer",
            Layer::Inner => "inner",
        }
    }
}

/// Where a wrong `InResponseTo` is put.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InResponseToAt {
    /// `ArtifactResponse/@InResponseTo` (should name the ArtifactResolve).
    ArtifactResponse,
    /// `Response/@InResponseTo` (should name the AuthnRequest).
    Response,
    /// `SubjectConfirmationData/@InResponseTo` in the assertion.
    SubjectConfirmation,
}

/// One way login.gov.pl's answer can be wrong (or, for [`Misbehaviour::None`], right).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Misbehaviour {
    /// The genuine answer.
    None,
    /// XML Signature Wrapping permutation 1–8 (Somorovsky et al. 2012, as SAML Raider
    /// numbers them) on a layer:
    /// 1. an evil clone (new ID) keeps the signature, the original (unsigned) inside it;
    /// 2. an evil clone (new ID) keeps the signature, the original (unsigned) before it;
    /// 3. an evil unsigned clone (new ID) before the original;
    /// 4. an evil unsigned clone (new ID) wrapping the original;
    /// 5. the signed element changed in place, an unsigned copy of the original (same ID) at
    ///    the end of the message;
    /// 6. the signed element changed in place, an unsigned copy of the original (same ID)
    ///    inside its signature;
    /// 7. an evil unsigned clone (new ID) in an `Extensions` element before the original;
    /// 8. the signed element changed in place, an unsigned copy of the original (same ID) in
    ///    a `ds:Object` of its signature.
    Xsw(u8, Layer),
    /// A second `ds:Signature` (a copy of the layer's own) right after the first.
    SecondSignature(Layer),
    /// The `Response`'s signature, by login.gov.pl's key, references the `EncryptedData`
    /// inside it instead of the `Response` (a valid signature over the wrong element).
    SignatureOverAnotherElement,
    /// A plaintext assertion for another person in `Response/Extensions`.
    AssertionInExtensions,
    /// An encrypted assertion for another person in `Response/Extensions`.
    EncryptedAssertionInExtensions,
    /// A plaintext assertion for another person in a `ds:Object` of the Response's signature.
    AssertionInObject,
    /// An element outside the signed layers (in `soap:Header`) carrying the `Response`'s ID.
    DuplicateId,
    /// A comment inside the layer's signed `Issuer` text (canonicalization drops it, so the
    /// signature still verifies).
    CommentInSignedText(Layer),
    /// A processing instruction inside the layer's signed `Issuer` text.
    PiInSignedText(Layer),
    /// A comment inside the assertion's `PersonIdentifier` (`800721<!---->18364`).
    CommentInAssertion,
    /// The message pretty-printed after signing (whitespace between the tags).
    PrettyPrinted,
    /// The layer (and, for the outer layer, the inner one too) signed by another key, whose
    /// certificate is in `KeyInfo`.
    SignedByAnotherKey(Layer),
    /// The assertion's `Audience` is another service provider.
    AnotherAudience,
    /// The assertion's windows ended an hour ago.
    Expired,
    /// The assertion's windows start in an hour.
    NotYetValid,
    /// The assertion carries the ID of an assertion already delivered
    /// ([`Answer::previous_assertion_id`]).
    ReplayedAssertion,
    /// A wrong `InResponseTo`.
    WrongInResponseTo(InResponseToAt),
    /// The assertion in plaintext, properly signed inside the Response.
    UnencryptedAssertion,
    /// `Recipient` is another ACS.
    WrongRecipient,
    /// The level of assurance is `low`.
    LowLoa,
    /// The subject confirmation is `holder-of-key`, not bearer.
    NotBearer,
    /// Both layers name another issuer.
    WrongIssuer,
    /// The `PersonIdentifier` has a wrong check digit.
    InvalidPesel,
    /// A `Requester` / `AuthnFailed` status in both layers, no assertion.
    AuthnFailed,
}

/// The SAML `AuthnFailed` second-level status code.
pub const AUTHN_FAILED: &str = "urn:oasis:names:tc:SAML:2.0:status:AuthnFailed";
/// The SAML `Requester` top-level status code.
pub const REQUESTER: &str = "urn:oasis:names:tc:SAML:2.0:status:Requester";

impl Misbehaviour {
    /// Every misbehaviour, in catalogue order.
    pub fn all() -> Vec<Misbehaviour> {
        use Misbehaviour::*;
        let mut out = vec![None];
        for layer in [Layer::Outer, Layer::Inner] {
            out.extend((1..=8).map(|n| Xsw(n, layer)));
        }
        for layer in [Layer::Outer, Layer::Inner] {
            out.push(SecondSignature(layer));
        }
        out.extend([
            SignatureOverAnotherElement,
            AssertionInExtensions,
            EncryptedAssertionInExtensions,
            AssertionInObject,
            DuplicateId,
        ]);
        for layer in [Layer::Outer, Layer::Inner] {
            out.push(CommentInSignedText(layer));
            out.push(PiInSignedText(layer));
        }
        out.extend([CommentInAssertion, PrettyPrinted]);
        for layer in [Layer::Outer, Layer::Inner] {
            out.push(SignedByAnotherKey(layer));
        }
        out.extend([AnotherAudience, Expired, NotYetValid, ReplayedAssertion]);
        for at in [
            InResponseToAt::ArtifactResponse,
            InResponseToAt::Response,
            InResponseToAt::SubjectConfirmation,
        ] {
            out.push(WrongInResponseTo(at));
        }
        out.extend([
            UnencryptedAssertion,
            WrongRecipient,
            LowLoa,
            NotBearer,
            WrongIssuer,
            InvalidPesel,
            AuthnFailed,
        ]);
        out
    }

    /// The misbehaviour's name in the catalogue, e.g. `xsw3-inner`, `expired`.
    pub fn name(self) -> String {
        use Misbehaviour::*;
        match self {
            None => "none".into(),
            Xsw(n, layer) => format!("xsw{n}-{}", layer.suffix()),
            SecondSignature(layer) => format!("second-signature-{}", layer.suffix()),
            SignatureOverAnotherElement => "signature-over-another-element".into(),
            AssertionInExtensions => "assertion-in-extensions".into(),
            EncryptedAssertionInExtensions => "encrypted-assertion-in-extensions".into(),
            AssertionInObject => "assertion-in-object".into(),
            DuplicateId => "duplicate-id".into(),
            CommentInSignedText(layer) => format!("comment-in-signed-text-{}", layer.suffix()),
            PiInSignedText(layer) => format!("pi-in-signed-text-{}", layer.suffix()),
            CommentInAssertion => "comment-in-assertion".into(),
            PrettyPrinted => "pretty-printed".into(),
            SignedByAnotherKey(layer) => format!("signed-by-another-key-{}", layer.suffix()),
            AnotherAudience => "another-audience".into(),
            Expired => "expired".into(),
            NotYetValid => "not-yet-valid".into(),
            ReplayedAssertion => "replayed-assertion".into(),
            WrongInResponseTo(InResponseToAt::ArtifactResponse) => {
                "wrong-in-response-to-artifact-response".into()
            }
            WrongInResponseTo(InResponseToAt::Response) => "wrong-in-response-to-response".into(),
            WrongInResponseTo(InResponseToAt::SubjectConfirmation) => {
                "wrong-in-response-to-subject-confirmation".into()
            }
            UnencryptedAssertion => "unencrypted-assertion".into(),
            WrongRecipient => "wrong-recipient".into(),
            LowLoa => "low-loa".into(),
            NotBearer => "not-bearer".into(),
            WrongIssuer => "wrong-issuer".into(),
            InvalidPesel => "invalid-pesel".into(),
            AuthnFailed => "authn-failed".into(),
        }
    }

    /// The misbehaviour of a name (see [`Misbehaviour::name`]).
    pub fn from_name(name: &str) -> Option<Misbehaviour> {
        Misbehaviour::all().into_iter().find(|m| m.name() == name)
    }
}

impl std::fmt::Display for Misbehaviour {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name())
    }
}

/// `OK` (accepted) or `KO` (refused).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum Verdict {
    /// The service provider accepts the answer.
    #[serde(rename = "OK")]
    Ok,
    /// The service provider refuses the answer.
    #[serde(rename = "KO")]
    Ko,
}

/// One case of the catalogue.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Case {
    /// The case number, e.g. `WK-07`.
    pub id: String,
    /// What the case is.
    pub title: String,
    /// The input: a misbehaviour of an emulated answer, or a capture file.
    pub input: CaseInput,
    /// Accepted or refused.
    pub verdict: Verdict,
    /// The error of a refusal (for an accepted capture that cannot be decrypted for want of
    /// the key: the decryption error that shows both signature layers passed).
    pub error: Option<ErrorCode>,
    /// Where the case comes from.
    pub reference: String,
    /// Which check refuses it, in words, when that is not obvious from the error.
    pub note: Option<String>,
}

/// What a case is run on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaseInput {
    /// An emulated answer with this misbehaviour.
    Emulated(Misbehaviour),
    /// A file under the shared vectors directory (`wk/...`), checked as it is.
    Capture(String),
}

#[derive(Deserialize)]
struct RawCatalogue {
    cases: Vec<RawCase>,
}

#[derive(Deserialize)]
struct RawCase {
    id: String,
    title: String,
    #[serde(default)]
    misbehaviour: Option<String>,
    #[serde(default)]
    capture: Option<String>,
    verdict: Verdict,
    #[serde(default)]
    error: Option<String>,
    reference: String,
    #[serde(default)]
    note: Option<String>,
}

/// The catalogue, parsed and checked: every misbehaviour named exists, every error code is
/// one of [`ErrorCode::ALL`], every `KO` has an error, IDs are unique.
pub fn catalogue() -> Result<Vec<Case>> {
    let raw: RawCatalogue = serde_json::from_str(CATALOGUE_JSON)
        .map_err(|e| Error::internal(format!("attacks.json: {e}")))?;
    let mut out: Vec<Case> = Vec::with_capacity(raw.cases.len());
    for c in raw.cases {
        let bad = |what: String| Error::internal(format!("attacks.json case {}: {what}", c.id));
        let input = match (&c.misbehaviour, &c.capture) {
            (Some(name), None) => CaseInput::Emulated(
                Misbehaviour::from_name(name)
                    .ok_or_else(|| bad(format!("unknown misbehaviour {name:?}")))?,
            ),
            (None, Some(path)) => CaseInput::Capture(path.clone()),
            _ => return Err(bad("exactly one of misbehaviour and capture".into())),
        };
        let error = match &c.error {
            None => None,
            Some(name) => Some(
                ErrorCode::ALL
                    .iter()
                    .copied()
                    .find(|code| code.name() == name)
                    .ok_or_else(|| bad(format!("unknown error code {name:?}")))?,
            ),
        };
        if c.verdict == Verdict::Ko && error.is_none() {
            return Err(bad("a KO case names its error".into()));
        }
        if out.iter().any(|o| o.id == c.id) {
            return Err(bad("duplicate case id".into()));
        }
        out.push(Case {
            id: c.id,
            title: c.title,
            input,
            verdict: c.verdict,
            error,
            reference: c.reference,
            note: c.note,
        });
    }
    Ok(out)
}

/// The case of the catalogue for a misbehaviour, if it has one.
pub fn case_for(misbehaviour: Misbehaviour) -> Result<Option<Case>> {
    Ok(catalogue()?
        .into_iter()
        .find(|c| c.input == CaseInput::Emulated(misbehaviour)))
}

/// What login.gov.pl answers to one ArtifactResolve: its key, the IDs, the assertion, and
/// the service provider's encryption key.
#[derive(Clone)]
#[non_exhaustive]
pub struct Answer<'k> {
    /// login.gov.pl's signing key.
    pub signer: &'k dyn Signer,
    /// Its certificate (in `KeyInfo`).
    pub certificate: &'k Certificate,
    /// login.gov.pl's `Issuer`.
    pub issuer: String,
    /// The service provider's encryption key.
    pub sp_encryption_key: PublicKey,
    /// The ArtifactResolve ID (`ArtifactResponse/@InResponseTo`).
    pub artifact_resolve_id: String,
    /// The `ArtifactResponse` ID.
    pub artifact_response_id: String,
    /// The `Response` ID.
    pub response_id: String,
    /// `IssueInstant` of both layers.
    pub issued: OffsetDateTime,
    /// The assertion (its `in_response_to` is the AuthnRequest ID, also put on the Response).
    pub assertion: AssertionSpec,
    /// The content-key length (32, or 16 as production was seen to send).
    pub cek_len: usize,
    /// The ID of an assertion delivered before, for [`Misbehaviour::ReplayedAssertion`].
    pub previous_assertion_id: Option<String>,
}

impl std::fmt::Debug for Answer<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Answer")
            .field("issuer", &self.issuer)
            .field("artifact_resolve_id", &self.artifact_resolve_id)
            .field("response_id", &self.response_id)
            .finish_non_exhaustive()
    }
}

/// The attacker's person: Jan Kowalski, PESEL 44051401359 (check digit valid).
fn evil_spec(spec: &AssertionSpec) -> AssertionSpec {
    let mut evil = spec.clone();
    evil.id = format!("{}-evil", spec.id);
    evil.name_id = "44051401359".into();
    evil.pesel = "44051401359".into();
    evil.given_name = "Jan".into();
    evil.family_name = "Kowalski".into();
    evil.birth_date = "1944-05-14".into();
    evil
}

impl<'k> Answer<'k> {
    /// An answer with IDs derived from `artifact_resolve_id`.
    pub fn new(
        signer: &'k dyn Signer,
        certificate: &'k Certificate,
        sp_encryption_key: PublicKey,
        artifact_resolve_id: &str,
        assertion: AssertionSpec,
    ) -> Self {
        let issued = assertion.issued;
        Answer {
            signer,
            certificate,
            issuer: assertion.issuer.clone(),
            sp_encryption_key,
            artifact_resolve_id: artifact_resolve_id.into(),
            artifact_response_id: format!("ID-ar-{artifact_resolve_id}"),
            response_id: format!("ID-r-{artifact_resolve_id}"),
            issued,
            assertion,
            cek_len: 32,
            previous_assertion_id: None,
        }
    }

    /// The genuine answer, in its SOAP envelope.
    pub fn genuine(&self) -> Result<Vec<u8>> {
        self.build(Misbehaviour::None)
    }

    fn encrypt(&self, assertion: &str, sp_entity_id: &str) -> Result<String> {
        encrypt_assertion(
            assertion.as_bytes(),
            &self.sp_encryption_key,
            &self.issuer,
            sp_entity_id,
            self.cek_len,
        )
    }

    /// The answer with `misbehaviour`, in its SOAP envelope.
    pub fn build(&self, misbehaviour: Misbehaviour) -> Result<Vec<u8>> {
        use Misbehaviour as M;
        let mut spec = self.assertion.clone();
        let mut issuer = self.issuer.clone();
        let mut resolve_id = self.artifact_resolve_id.clone();
        let mut response_irt = spec.in_response_to.clone();
        let mut status = success();
        match misbehaviour {
            M::AnotherAudience => spec.audience = "https://another-sp.example".into(),
            M::Expired => {
                spec.issued -= time::Duration::hours(2);
                spec.not_on_or_after = self.assertion.issued - time::Duration::hours(1);
            }
            M::NotYetValid => {
                spec.issued += time::Duration::hours(1);
                spec.not_on_or_after = spec.issued + time::Duration::minutes(30);
            }
            M::ReplayedAssertion => {
                spec.id = self.previous_assertion_id.clone().ok_or_else(|| {
                    Error::invalid_argument(
                        "previous_assertion_id",
                        "a replay needs the ID of an assertion delivered before",
                    )
                })?;
            }
            M::WrongInResponseTo(InResponseToAt::ArtifactResponse) => {
                resolve_id = format!("{resolve_id}-other");
            }
            M::WrongInResponseTo(InResponseToAt::Response) => {
                response_irt = format!("{response_irt}-other");
            }
            M::WrongInResponseTo(InResponseToAt::SubjectConfirmation) => {
                spec.in_response_to = format!("{}-other", spec.in_response_to);
            }
            M::WrongRecipient => spec.recipient = "https://another-sp.example/acs".into(),
            M::LowLoa => spec.loa_uri = crate::wk::Loa::Low.uri().into(),
            M::NotBearer => {
                spec.confirmation_method = "urn:oasis:names:tc:SAML:2.0:cm:holder-of-key".into()
            }
            M::WrongIssuer => {
                issuer = format!("evil.{issuer}");
                spec.issuer = issuer.clone();
            }
            M::InvalidPesel => spec.pesel = "87022243735".into(),
            M::AuthnFailed => {
                status = SamlStatus {
                    top: REQUESTER.into(),
                    second: Some(AUTHN_FAILED.into()),
                    message: Some("Uwierzytelnienie nie powiodło się".into()),
                };
            }
            _ => {}
        }
        let mut plaintext = assertion_xml(&spec);
        if misbehaviour == M::CommentInAssertion {
            plaintext = insert_in_text(&plaintext, SAML, "AttributeValue", 3, "<!---->")?;
        }
        let payload = match misbehaviour {
            M::AuthnFailed => None,
            M::UnencryptedAssertion => Some(plaintext.clone()),
            _ => Some(self.encrypt(&plaintext, &spec.audience)?),
        };

        // The signers: login.gov.pl's, or another key for either layer.
        let other = match misbehaviour {
            M::SignedByAnotherKey(_) => Some(TestCa::generate_with(
                KeySpec::EcP256,
                "WK_SIG_EC (not login.gov.pl)",
                self.issued - time::Duration::days(1),
                365,
            )?),
            _ => None,
        };
        let (inner_signer, inner_cert, outer_signer, outer_cert): (
            &dyn Signer,
            &Certificate,
            &dyn Signer,
            &Certificate,
        ) = match (&other, misbehaviour) {
            (Some(o), M::SignedByAnotherKey(Layer::Inner)) => {
                (o.key(), o.certificate(), self.signer, self.certificate)
            }
            (Some(o), _) => (o.key(), o.certificate(), o.key(), o.certificate()),
            (None, _) => (self.signer, self.certificate, self.signer, self.certificate),
        };

        let response = response_xml(
            &issuer,
            &self.response_id,
            &response_irt,
            self.issued,
            &status,
            payload.as_deref(),
        );
        let reference = match (misbehaviour, payload.as_deref()) {
            (M::SignatureOverAnotherElement, Some(payload)) => {
                let at = payload
                    .find(" Id=\"")
                    .ok_or_else(|| not_found("EncryptedData Id"))?
                    + 5;
                let len = payload[at..]
                    .find('"')
                    .ok_or_else(|| not_found("EncryptedData Id"))?;
                payload[at..at + len].to_string()
            }
            _ => self.response_id.clone(),
        };
        let signed_response =
            String::from_utf8(sign(inner_signer, inner_cert, &response, &reference)?)
                .map_err(|_| Error::internal("signed Response is not UTF-8"))?;
        let evil = || -> Result<String> {
            let evil = evil_spec(&spec);
            self.encrypt(&assertion_xml(&evil), &evil.audience)
        };

        // Inner-layer structure, before the outer layer is signed.
        let after_outer_signing = matches!(misbehaviour, M::Xsw(5 | 6 | 8, Layer::Inner));
        let slot = match misbehaviour {
            M::Xsw(n, Layer::Inner) if !after_outer_signing => {
                xsw(&signed_response, SAMLP, "Response", n, &evil()?)?
            }
            M::SecondSignature(Layer::Inner) => {
                second_signature(&signed_response, SAMLP, "Response")?
            }
            M::CommentInSignedText(Layer::Inner) => {
                insert_in_text(&signed_response, SAML, "Issuer", 0, "<!---->")?
            }
            M::PiInSignedText(Layer::Inner) => {
                insert_in_text(&signed_response, SAML, "Issuer", 0, "<?wk x?>")?
            }
            M::AssertionInExtensions => insert_after_signature(
                &signed_response,
                SAMLP,
                "Response",
                &format!(
                    "<saml2p:Extensions xmlns:saml2p=\"{SAMLP}\">{}</saml2p:Extensions>",
                    assertion_xml(&evil_spec(&spec))
                ),
            )?,
            M::EncryptedAssertionInExtensions => insert_after_signature(
                &signed_response,
                SAMLP,
                "Response",
                &format!(
                    "<saml2p:Extensions xmlns:saml2p=\"{SAMLP}\">{}</saml2p:Extensions>",
                    evil()?
                ),
            )?,
            M::AssertionInObject => insert_in_signature(
                &signed_response,
                SAMLP,
                "Response",
                &format!(
                    "<ds:Object>{}</ds:Object>",
                    assertion_xml(&evil_spec(&spec))
                ),
            )?,
            _ => signed_response,
        };

        let outer = artifact_response_xml(
            &issuer,
            &self.artifact_response_id,
            &resolve_id,
            self.issued,
            &status,
            Some(slot.as_bytes()),
        );
        let signed = sign(outer_signer, outer_cert, &outer, &self.artifact_response_id)?;
        let envelope = String::from_utf8(super::soap_envelope(&signed))
            .map_err(|_| Error::internal("the envelope is not UTF-8"))?;

        // Outer-layer structure, on the finished message.
        let out = match misbehaviour {
            M::Xsw(n, Layer::Outer) => xsw(&envelope, SAMLP, "ArtifactResponse", n, &evil()?)?,
            M::Xsw(n, Layer::Inner) if after_outer_signing => {
                xsw(&envelope, SAMLP, "Response", n, &evil()?)?
            }
            M::SecondSignature(Layer::Outer) => {
                second_signature(&envelope, SAMLP, "ArtifactResponse")?
            }
            M::CommentInSignedText(Layer::Outer) => {
                insert_in_text(&envelope, SAML, "Issuer", 0, "<!---->")?
            }
            M::PiInSignedText(Layer::Outer) => {
                insert_in_text(&envelope, SAML, "Issuer", 0, "<?wk x?>")?
            }
            M::DuplicateId => envelope.replacen(
                "<soap:Body>",
                &format!(
                    "<soap:Header><wk:Note xmlns:wk=\"urn:ezla:attack\" ID=\"{}\"/></soap:Header><soap:Body>",
                    self.response_id
                ),
                1,
            ),
            M::PrettyPrinted => pretty_print(&envelope),
            _ => envelope,
        };
        Ok(out.into_bytes())
    }
}

/// Whitespace (a line break and a tab) between every pair of adjacent tags, as
/// pretty-printers add it after signing.
pub fn pretty_print(xml: &str) -> String {
    xml.replace("><", ">\n\t<")
}

/// The first element `(ns, name)` in document order.
fn find<'d, 'a>(e: Element<'d, 'a>, ns: &str, name: &str) -> Option<Element<'d, 'a>> {
    if e.is(ns, name) {
        return Some(e);
    }
    e.children().find_map(|c| find(c, ns, name))
}

/// The `n`-th element `(ns, name)` in document order (0-based).
fn find_nth<'d, 'a>(e: Element<'d, 'a>, ns: &str, name: &str, n: usize) -> Option<Element<'d, 'a>> {
    fn walk<'d, 'a>(e: Element<'d, 'a>, ns: &str, name: &str, out: &mut Vec<Element<'d, 'a>>) {
        if e.is(ns, name) {
            out.push(e);
        }
        for c in e.children() {
            walk(c, ns, name, out);
        }
    }
    let mut all = Vec::new();
    walk(e, ns, name, &mut all);
    all.get(n).copied()
}

fn not_found(what: &str) -> Error {
    Error::invalid_argument("message", format!("no {what} to misbehave with"))
}

/// Applies edits (non-overlapping ranges of `text` and their replacements).
fn splice(text: &str, mut edits: Vec<(Range<usize>, String)>) -> String {
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut out = text.to_string();
    for (range, with) in edits {
        out.replace_range(range, &with);
    }
    out
}

/// Inserts `what` in the middle of the text of the `n`-th element `(ns, name)`.
fn insert_in_text(xml: &str, ns: &str, name: &str, n: usize, what: &str) -> Result<String> {
    let doc = Document::parse(xml)?;
    let e = find_nth(doc.root(), ns, name, n).ok_or_else(|| not_found(name))?;
    let r = e.range();
    let element = &xml[r.clone()];
    let open_end = element.find('>').ok_or_else(|| not_found(name))? + 1;
    let close_start = element.rfind("</").ok_or_else(|| not_found(name))?;
    let text = &element[open_end..close_start];
    let mid = text
        .char_indices()
        .map(|(i, _)| i)
        .nth(text.chars().count() / 2)
        .unwrap_or(0);
    let at = r.start + open_end + mid;
    Ok(splice(xml, vec![(at..at, what.to_string())]))
}

/// The parts of a signed element needed to rearrange it.
struct Signed {
    /// The element.
    element: Range<usize>,
    /// Its `ID` attribute's value.
    id_value: Range<usize>,
    /// Its own `ds:Signature` child.
    signature: Range<usize>,
    /// Where `</ds:Signature>` starts.
    signature_close: usize,
    /// The first `EncryptedAssertion` inside it.
    encrypted: Range<usize>,
}

fn locate(xml: &str, ns: &str, name: &str) -> Result<Signed> {
    let doc = Document::parse(xml)?;
    let e = find(doc.root(), ns, name).ok_or_else(|| not_found(name))?;
    let element = e.range();
    let signature = e
        .child(DSIG, "Signature")
        .ok_or_else(|| not_found("ds:Signature"))?
        .range();
    let signature_close = signature.start
        + xml[signature.clone()]
            .rfind("</")
            .ok_or_else(|| not_found("</ds:Signature>"))?;
    let encrypted = find(e, SAML, "EncryptedAssertion")
        .ok_or_else(|| not_found("EncryptedAssertion"))?
        .range();
    let first_child = e
        .children()
        .next()
        .map(|c| c.range().start)
        .unwrap_or(element.end);
    let start_tag = &xml[element.start..first_child];
    let id_at = start_tag
        .find(" ID=\"")
        .ok_or_else(|| not_found("ID attribute"))?
        + 5;
    let id_len = start_tag[id_at..]
        .find('"')
        .ok_or_else(|| not_found("ID end"))?;
    let id_start = element.start + id_at;
    Ok(Signed {
        element,
        id_value: id_start..id_start + id_len,
        signature,
        signature_close,
        encrypted,
    })
}

impl Signed {
    /// The element's text with edits relative to the document applied (each within it).
    fn rewrite(&self, xml: &str, edits: Vec<(Range<usize>, String)>) -> String {
        let base = self.element.start;
        let shifted = edits
            .into_iter()
            .map(|(r, s)| (r.start - base..r.end - base, s))
            .collect();
        splice(&xml[self.element.clone()], shifted)
    }

    fn without_signature(&self, xml: &str) -> String {
        self.rewrite(xml, vec![(self.signature.clone(), String::new())])
    }

    /// The evil version: another assertion, optionally another ID, without its signature or
    /// with `inside` inserted at the end of it, or `before` inserted before it.
    fn evil(
        &self,
        xml: &str,
        evil_assertion: &str,
        new_id: bool,
        signature: EvilSignature<'_>,
    ) -> String {
        let mut edits = vec![(self.encrypted.clone(), evil_assertion.to_string())];
        if new_id {
            let id = &xml[self.id_value.clone()];
            edits.push((self.id_value.clone(), format!("{id}-evil")));
        }
        match signature {
            EvilSignature::Removed => edits.push((self.signature.clone(), String::new())),
            EvilSignature::Kept => {}
            EvilSignature::Inside(what) => {
                edits.push((self.signature_close..self.signature_close, what.to_string()))
            }
            EvilSignature::Before(what) => {
                edits.push((self.signature.start..self.signature.start, what.to_string()))
            }
        }
        self.rewrite(xml, edits)
    }
}

enum EvilSignature<'s> {
    Removed,
    Kept,
    Inside(&'s str),
    Before(&'s str),
}

/// XML Signature Wrapping permutation `n` on the first element `(ns, name)` of `xml`.
fn xsw(xml: &str, ns: &str, name: &str, n: u8, evil_assertion: &str) -> Result<String> {
    let s = locate(xml, ns, name)?;
    let original = &xml[s.element.clone()];
    let unsigned = s.without_signature(xml);
    let slot = match n {
        1 => s.evil(xml, evil_assertion, true, EvilSignature::Inside(&unsigned)),
        2 => s.evil(xml, evil_assertion, true, EvilSignature::Before(&unsigned)),
        3 => format!(
            "{}{original}",
            s.evil(xml, evil_assertion, true, EvilSignature::Removed)
        ),
        4 => {
            let evil = s.evil(xml, evil_assertion, true, EvilSignature::Removed);
            let close = evil.rfind("</").unwrap_or(evil.len());
            format!("{}{original}{}", &evil[..close], &evil[close..])
        }
        5 => format!(
            "{}{unsigned}",
            s.evil(xml, evil_assertion, false, EvilSignature::Kept)
        ),
        6 => s.evil(xml, evil_assertion, false, EvilSignature::Inside(&unsigned)),
        7 => format!(
            "<saml2p:Extensions xmlns:saml2p=\"{SAMLP}\">{}</saml2p:Extensions>{original}",
            s.evil(xml, evil_assertion, true, EvilSignature::Removed)
        ),
        8 => s.evil(
            xml,
            evil_assertion,
            false,
            EvilSignature::Inside(&format!("<ds:Object>{unsigned}</ds:Object>")),
        ),
        _ => {
            return Err(Error::invalid_argument(
                "permutation",
                "XSW permutations are 1 to 8",
            ));
        }
    };
    Ok(splice(xml, vec![(s.element.clone(), slot)]))
}

/// A copy of the element's signature right after it.
fn second_signature(xml: &str, ns: &str, name: &str) -> Result<String> {
    let s = locate(xml, ns, name)?;
    let copy = xml[s.signature.clone()].to_string();
    Ok(splice(xml, vec![(s.signature.end..s.signature.end, copy)]))
}

/// `what` right after the element's signature.
fn insert_after_signature(xml: &str, ns: &str, name: &str, what: &str) -> Result<String> {
    let s = locate(xml, ns, name)?;
    Ok(splice(
        xml,
        vec![(s.signature.end..s.signature.end, what.to_string())],
    ))
}

/// `what` at the end of the element's signature.
fn insert_in_signature(xml: &str, ns: &str, name: &str, what: &str) -> Result<String> {
    let s = locate(xml, ns, name)?;
    Ok(splice(
        xml,
        vec![(s.signature_close..s.signature_close, what.to_string())],
    ))
}
