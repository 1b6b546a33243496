//! The implementations behind [`PublicKey`](super::PublicKey) and
//! [`PrivateKey`](super::PrivateKey), one module per [`Backend`](super::Backend).
//!
//! The key types own parsing, canonical encodings and the choice of backend; a backend only
//! does arithmetic, through the same small interface in each module:
//!
//! | operation | [`rustcrypto`] | `aws_lc` (feature `aws-lc`) |
//! |---|---|---|
//! | verify | `Public::parse`, `Public::verify` | `verify` (`None`: no entry point, use RustCrypto) |
//! | sign | `Private::from_pkcs8`, `Private::sign` | `Private::from_pkcs8`, `Private::sign` (`None`: use RustCrypto), `too_small` |
//! | generate | `generate` (PKCS#8 DER) | `generate` (PKCS#8 DER) |
//! | ECDH | `Private::agree` | `agree` |
//!
//! RustCrypto does every operation, so it is the fallback wherever AWS-LC has no entry point.
//! Parse failures come back as text, which the key types turn into
//! [`KeyError::Unsupported`](crate::error::KeyError::Unsupported) with their own context.

#[cfg(feature = "aws-lc")]
pub(crate) mod aws_lc;
pub(crate) mod rustcrypto;
