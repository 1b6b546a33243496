//! Keys: what kind a key is ([`KeyKind`], [`KeySpec`]), public keys ([`PublicKey`], in
//! [`public`]), software private keys ([`PrivateKey`], in [`private`]), and the helpers they
//! share. The arithmetic is done by a backend (see [`super::backend`]).

use std::fmt;

use const_oid::ObjectIdentifier;

use crate::error::{FormatError, SignatureError};
use crate::{Error, Result};

mod private;
mod public;
#[cfg(test)]
mod tests;

pub use private::PrivateKey;
pub use public::PublicKey;
pub(crate) use public::PublicMaterial;

/// Smallest RSA modulus ezla will use at all (verification policies may demand more).
pub(crate) const MIN_RSA_BITS: usize = 1024;
/// Largest RSA modulus ezla will use.
pub(crate) const MAX_RSA_BITS: usize = 8192;

/// The type and size of a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyKind {
    /// RSA with a modulus of `bits` bits.
    Rsa {
        /// Modulus size in bits.
        bits: usize,
    },
    /// ECDSA on NIST P-256 (secp256r1, prime256v1).
    EcP256,
    /// ECDSA on NIST P-384 (secp384r1).
    EcP384,
}

impl KeyKind {
    /// Algorithm name: `RSA` or `EC`.
    pub const fn algorithm_name(self) -> &'static str {
        match self {
            KeyKind::Rsa { .. } => "RSA",
            KeyKind::EcP256 | KeyKind::EcP384 => "EC",
        }
    }

    /// Size in bits: the RSA modulus or the curve's field.
    pub const fn bits(self) -> usize {
        match self {
            KeyKind::Rsa { bits } => bits,
            KeyKind::EcP256 => 256,
            KeyKind::EcP384 => 384,
        }
    }

    /// The curve's name (`P-256`), if the key is an EC key.
    pub const fn curve_name(self) -> Option<&'static str> {
        match self {
            KeyKind::Rsa { .. } => None,
            KeyKind::EcP256 => Some("P-256"),
            KeyKind::EcP384 => Some("P-384"),
        }
    }

    /// Byte length of a signature made with this key.
    pub const fn signature_len(self) -> usize {
        match self {
            KeyKind::Rsa { bits } => bits.div_ceil(8),
            KeyKind::EcP256 => 64,
            KeyKind::EcP384 => 96,
        }
    }
}

impl fmt::Display for KeyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyKind::Rsa { bits } => write!(f, "RSA-{bits}"),
            KeyKind::EcP256 => f.write_str("EC P-256"),
            KeyKind::EcP384 => f.write_str("EC P-384"),
        }
    }
}

/// What kind of key to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeySpec {
    /// RSA, 2048-bit modulus.
    Rsa2048,
    /// RSA, 3072-bit modulus.
    Rsa3072,
    /// RSA, 4096-bit modulus.
    Rsa4096,
    /// ECDSA on P-256.
    EcP256,
}

// ---------------------------------------------------------------------------------------------
// Helpers

/// `b` without its leading zero bytes.
fn strip_zeros(b: &[u8]) -> &[u8] {
    let first = b.iter().position(|&x| x != 0).unwrap_or(b.len());
    &b[first..]
}

/// The bit length of the big-endian number `b` (no leading zero bytes).
fn bit_len(b: &[u8]) -> usize {
    match b.first() {
        None => 0,
        Some(&top) => (b.len() - 1) * 8 + (8 - top.leading_zeros() as usize),
    }
}

/// A DER encoding failure of a structure ezla built itself.
/// The named curve of an `id-ecPublicKey` AlgorithmIdentifier's parameters (RFC 5480
/// `ECParameters`); `what` names the key in the error. Explicit curve parameters are refused.
fn named_curve(parameters: Option<der::asn1::AnyRef<'_>>, what: &str) -> Result<ObjectIdentifier> {
    parameters
        .ok_or_else(|| {
            Error::malformed(crate::error::Format::Der, what, "missing curve parameters")
        })?
        .decode_as()
        .map_err(|_| {
            Error::Format(FormatError::Unsupported {
                what: "EC curve parameters",
                name: "explicit curve parameters (only named curves are supported)".into(),
            })
        })
}

fn der_internal(e: der::Error) -> Error {
    Error::internal(format!("DER encoding failed: {e}"))
}

/// An OID in dotted form, followed by its registered name when `const-oid` knows it.
pub(crate) fn oid_with_name(oid: &ObjectIdentifier) -> String {
    match const_oid::db::DB.by_oid(oid) {
        Some(name) => format!("{oid} ({name})"),
        None => oid.to_string(),
    }
}

/// Converts a fixed-width ECDSA signature (`r ‖ s`, 64 bytes for P-256, 96 for P-384) to the
/// DER `Ecdsa-Sig-Value` that CMS and X.509 use.
pub fn ecdsa_fixed_to_der(fixed: &[u8]) -> Result<Vec<u8>> {
    let bad = || {
        Error::Signature(SignatureError::Malformed {
            detail: format!("ECDSA signature of {} bytes", fixed.len()),
        })
    };
    match fixed.len() {
        64 => Ok(p256::ecdsa::Signature::from_slice(fixed)
            .map_err(|_| bad())?
            .to_der()
            .as_bytes()
            .to_vec()),
        96 => Ok(p384::ecdsa::Signature::from_slice(fixed)
            .map_err(|_| bad())?
            .to_der()
            .as_bytes()
            .to_vec()),
        _ => Err(bad()),
    }
}

/// Converts a DER `Ecdsa-Sig-Value` to the fixed-width form for a key of `kind`.
pub fn ecdsa_der_to_fixed(kind: KeyKind, der_sig: &[u8]) -> Result<Vec<u8>> {
    let bad = |e: String| {
        Error::Signature(SignatureError::Malformed {
            detail: format!("DER ECDSA signature: {e}"),
        })
    };
    match kind {
        KeyKind::EcP256 => Ok(p256::ecdsa::Signature::from_der(der_sig)
            .map_err(|e| bad(e.to_string()))?
            .to_bytes()
            .to_vec()),
        KeyKind::EcP384 => Ok(p384::ecdsa::Signature::from_der(der_sig)
            .map_err(|e| bad(e.to_string()))?
            .to_bytes()
            .to_vec()),
        KeyKind::Rsa { .. } => Err(Error::invalid_argument("kind", "not an EC key")),
    }
}
