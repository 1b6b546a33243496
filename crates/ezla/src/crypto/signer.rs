//! Signature algorithms and the [`Signer`] trait.

use std::fmt;

use super::{DigestAlgorithm, KeyKind, PublicKey};
use crate::Result;

/// A signature algorithm: a padding or curve family combined with a digest.
///
/// The curve of an ECDSA signature is the signing key's own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignatureAlgorithm {
    /// RSASSA-PKCS1-v1_5 with the given digest.
    RsaPkcs1v15(DigestAlgorithm),
    /// ECDSA with the given digest; signatures are fixed-width `r ‖ s`.
    Ecdsa(DigestAlgorithm),
}

impl SignatureAlgorithm {
    /// The digest the algorithm applies to the message.
    pub const fn digest(self) -> DigestAlgorithm {
        match self {
            SignatureAlgorithm::RsaPkcs1v15(d) | SignatureAlgorithm::Ecdsa(d) => d,
        }
    }

    /// Whether a key of `kind` can produce or check this algorithm.
    pub const fn fits(self, kind: KeyKind) -> bool {
        matches!(
            (self, kind),
            (SignatureAlgorithm::RsaPkcs1v15(_), KeyKind::Rsa { .. })
                | (
                    SignatureAlgorithm::Ecdsa(_),
                    KeyKind::EcP256 | KeyKind::EcP384
                )
        )
    }

    /// The customary algorithm for a key: RSA with SHA-256, ECDSA with the curve's own digest.
    pub const fn default_for(kind: KeyKind) -> SignatureAlgorithm {
        match kind {
            KeyKind::Rsa { .. } => SignatureAlgorithm::RsaPkcs1v15(DigestAlgorithm::Sha256),
            KeyKind::EcP256 => SignatureAlgorithm::Ecdsa(DigestAlgorithm::Sha256),
            KeyKind::EcP384 => SignatureAlgorithm::Ecdsa(DigestAlgorithm::Sha384),
        }
    }

    /// A short name such as `RSA-SHA256` or `ECDSA-SHA384`.
    pub fn name(self) -> String {
        let d = self.digest().name().replace('-', "");
        match self {
            SignatureAlgorithm::RsaPkcs1v15(_) => format!("RSA-{d}"),
            SignatureAlgorithm::Ecdsa(_) => format!("ECDSA-{d}"),
        }
    }
}

impl fmt::Display for SignatureAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// Something that can sign with a private key: a software key ([`super::PrivateKey`]), a
/// hardware token, or a caller's callback.
///
/// Implementations hash the message themselves and return the signature in the form
/// XML-DSig uses (RSA: the signature value; ECDSA: fixed-width `r ‖ s`).
pub trait Signer: Send + Sync + fmt::Debug {
    /// The public half of the signing key, to match it against a certificate.
    fn public_key(&self) -> &PublicKey;

    /// Signs `message` with `algorithm`.
    ///
    /// Fails with [`KeyError::Unsupported`](crate::error::KeyError::Unsupported) when the algorithm does not fit the key, and
    /// with [`KeyError::SigningFailed`](crate::error::KeyError::SigningFailed) when the device or backend fails.
    fn sign(&self, algorithm: SignatureAlgorithm, message: &[u8]) -> Result<Vec<u8>>;

    /// The kind of key.
    fn key_kind(&self) -> KeyKind {
        self.public_key().kind()
    }
}
