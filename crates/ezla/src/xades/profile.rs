//! The named signature profiles.

use std::fmt;

use serde::Serialize;

use crate::crypto::{DigestAlgorithm, KeyKind, SignatureAlgorithm};
use crate::dsig::DSIG_NS;
use crate::dsig::{ReferenceSpec, SignatureSpec, TransformSpec};
use crate::error::{KeyError, SignatureError};
use crate::xml::Element;
use crate::xml::c14n::{Canonicalizer, Method};
use crate::{Error, Result};

use super::XADES_NS;

/// The `Type` of the reference that covers `SignedProperties` (XAdES 1.3.2 and EN 319 132-1).
pub const SIGNED_PROPERTIES_TYPE: &str = "http://uri.etsi.org/01903#SignedProperties";

/// A named XAdES-BES profile: the exact algorithms and shape of a signature.
///
/// | | `zus-legacy` | `zus` (default) | `xades-bes` |
/// |---|---|---|---|
/// | SignedInfo C14N | C14N 1.0 | C14N 1.0 | exclusive C14N |
/// | signature | RSA-SHA1 | RSA-SHA256 or ECDSA-SHA256 | RSA-SHA256 or ECDSA-SHA256 |
/// | document reference | `URI=""`, XPath `not(ancestor-or-self::ds:Signature)` | same | `URI=""`, enveloped-signature + exclusive C14N |
/// | SignedProperties reference | exclusive C14N, `Type=…#SignedProperties` | same | same |
/// | digests | SHA-1 | SHA-256 | SHA-256 |
///
/// `zus-legacy` is the shape of ZUS's own 2015–2018 samples (see `ezla-zus.md` §8); `zus` is
/// the same shape with SHA-256, which ZUS accepts from qualified-signature tools; `xades-bes`
/// is the generic enveloped form that general-purpose XAdES verifiers (such as signxml) handle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Profile {
    /// ZUS's sample shape with SHA-1 (RSA only).
    ZusLegacy,
    /// ZUS's sample shape with SHA-256 (RSA or P-256).
    #[default]
    Zus,
    /// Generic enveloped XAdES-BES with SHA-256.
    XadesBes,
}

impl Profile {
    /// Every profile.
    pub const ALL: &'static [Profile] = &[Profile::ZusLegacy, Profile::Zus, Profile::XadesBes];

    /// The profile's name: `zus-legacy`, `zus` or `xades-bes`.
    pub const fn name(self) -> &'static str {
        match self {
            Profile::ZusLegacy => "zus-legacy",
            Profile::Zus => "zus",
            Profile::XadesBes => "xades-bes",
        }
    }

    /// The profile a name denotes.
    pub fn from_name(name: &str) -> Option<Profile> {
        Profile::ALL.iter().copied().find(|p| p.name() == name)
    }

    /// The digest the profile uses throughout.
    pub const fn digest(self) -> DigestAlgorithm {
        match self {
            Profile::ZusLegacy => DigestAlgorithm::Sha1,
            Profile::Zus | Profile::XadesBes => DigestAlgorithm::Sha256,
        }
    }

    /// The signature algorithm for a key, or an error when the profile cannot use it.
    pub fn signature_algorithm(self, key: KeyKind) -> Result<SignatureAlgorithm> {
        match (self, key) {
            (Profile::ZusLegacy, KeyKind::Rsa { .. }) => {
                Ok(SignatureAlgorithm::RsaPkcs1v15(DigestAlgorithm::Sha1))
            }
            (Profile::ZusLegacy, other) => Err(Error::Key(KeyError::Unsupported {
                detail: format!("the zus-legacy profile signs with RSA-SHA1; a {other} key cannot"),
            })),
            (_, KeyKind::Rsa { .. }) => {
                Ok(SignatureAlgorithm::RsaPkcs1v15(DigestAlgorithm::Sha256))
            }
            (_, KeyKind::EcP256) => Ok(SignatureAlgorithm::Ecdsa(DigestAlgorithm::Sha256)),
            (_, other) => Err(Error::Key(KeyError::Unsupported {
                detail: format!(
                    "the {} profile signs with RSA or P-256 keys, not {other}",
                    self.name()
                ),
            })),
        }
    }

    /// The XML-DSig shape of a signature in this profile (without KeyInfo and objects).
    pub(crate) fn spec(self, key: KeyKind, signed_properties_id: &str) -> Result<SignatureSpec> {
        let digest = self.digest();
        let algorithm = self.signature_algorithm(key)?;
        let exc = Canonicalizer::new(Method::Exclusive10);
        let (canonicalization, document) = match self {
            Profile::ZusLegacy | Profile::Zus => (
                Canonicalizer::new(Method::Inclusive10),
                ReferenceSpec::new("", vec![TransformSpec::XPathNotSignature], digest),
            ),
            Profile::XadesBes => (
                exc.clone(),
                ReferenceSpec::new(
                    "",
                    vec![
                        TransformSpec::Enveloped,
                        TransformSpec::Canonicalize(exc.clone()),
                    ],
                    digest,
                ),
            ),
        };
        let properties = ReferenceSpec::new(
            format!("#{signed_properties_id}"),
            vec![TransformSpec::Canonicalize(exc)],
            digest,
        )
        .with_type(SIGNED_PROPERTIES_TYPE);
        let mut spec = SignatureSpec::enveloped(key, digest);
        spec.canonicalization = canonicalization;
        spec.algorithm = algorithm;
        spec.references = vec![document, properties];
        Ok(spec)
    }
}

impl Profile {
    /// Whether the profile restricts the signature's `ds:Object`s to the qualifying
    /// properties (the `zus` and `zus-legacy` profiles do).
    pub const fn restricts_objects(self) -> bool {
        matches!(self, Profile::ZusLegacy | Profile::Zus)
    }

    /// Under the ZUS profiles, checks that the signature has exactly one `ds:Object` and that
    /// it holds exactly one child, the `xades:QualifyingProperties`, with nothing else but
    /// whitespace: no other element, text, comment or processing instruction. The document
    /// reference of these profiles excludes the whole `ds:Signature`, so anything else there
    /// is content no reference covers, which a reader could take for signed data (a second
    /// body, for example). Fails with [`SignatureError::UnsignedContent`](crate::error::SignatureError::UnsignedContent); other profiles pass.
    pub(crate) fn check_objects(self, signature: Element<'_, '_>) -> Result<()> {
        if !self.restricts_objects() {
            return Ok(());
        }
        let unsigned =
            |detail: String| Error::Signature(SignatureError::UnsignedContent { detail });
        let objects: Vec<Element<'_, '_>> = signature
            .children()
            .filter(|c| c.is(DSIG_NS, "Object"))
            .collect();
        if objects.len() != 1 {
            return Err(unsigned(format!(
                "the {} profile allows exactly one ds:Object (the QualifyingProperties), \
                 found {} in {}",
                self.name(),
                objects.len(),
                signature.path()
            )));
        }
        let object = objects[0];
        let mut properties = 0;
        for node in object.node.children() {
            let what = if node.is_text() {
                match node.text() {
                    Some(t) if !t.trim().is_empty() => "text",
                    _ => continue,
                }
            } else if node.is_comment() {
                "a comment"
            } else if node.is_pi() {
                "a processing instruction"
            } else if node.has_tag_name((XADES_NS, "QualifyingProperties")) && properties == 0 {
                properties += 1;
                continue;
            } else if node.has_tag_name((XADES_NS, "QualifyingProperties")) {
                "a second xades:QualifyingProperties"
            } else {
                match Element::new(node) {
                    Some(e) => {
                        return Err(unsigned(format!(
                            "{} holds the element {}, not covered by the signature (the {} \
                             profile allows only xades:QualifyingProperties there)",
                            object.path(),
                            e.path(),
                            self.name()
                        )));
                    }
                    None => continue,
                }
            };
            return Err(unsigned(format!(
                "{} holds {what}, not covered by the signature (the {} profile allows only \
                 xades:QualifyingProperties there)",
                object.path(),
                self.name()
            )));
        }
        if properties == 0 {
            return Err(unsigned(format!(
                "{} does not hold the xades:QualifyingProperties",
                object.path()
            )));
        }
        Ok(())
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Profile {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Profile::from_name(s).ok_or_else(|| {
            Error::invalid_argument(
                "profile",
                format!("`{s}` (known: zus, zus-legacy, xades-bes)"),
            )
        })
    }
}
