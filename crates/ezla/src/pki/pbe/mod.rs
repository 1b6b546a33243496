//! Password-based encryption, shared by PKCS#12 files ([`super::pkcs12`]) and encrypted
//! PKCS#8 key files ([`super::keyfile`]).
//!
//! | module | what it owns |
//! |---|---|
//! | `scheme` | the schemes: the legacy PKCS#12 PBEs (RFC 7292 App. C) and PBES2 (RFC 8018) with their `AlgorithmIdentifier`s |
//! | `kdf` | the PKCS#12 key derivation function (RFC 7292 App. B), also the PKCS#12 MAC's |
//! | `password` | how a password becomes the bytes a KDF consumes ([`PasswordForm`]) |
//!
//! [`PbeLimits`] bounds the work a hostile file can demand; it is checked before any key
//! derivation. [`Pkcs12Options`](super::Pkcs12Options) converts into one.

pub(crate) mod kdf;
mod password;
pub(crate) mod scheme;

pub use password::PasswordForm;
pub(crate) use password::{Candidate, candidates};

/// The default for [`PbeLimits::max_iterations`] (and for the PKCS#12 reader's per-derivation
/// cap): 10 000 000.
pub const DEFAULT_MAX_ITERATIONS: u64 = 10_000_000;

/// Limits for decrypting password-protected data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct PbeLimits {
    /// The most iterations accepted for one key derivation. Default
    /// [`DEFAULT_MAX_ITERATIONS`]: the largest counts in real files are around 600 000
    /// (Firefox), and ten million still opens in a few seconds, while a hostile count of a
    /// billion or more is refused before any work is done.
    pub max_iterations: u64,
}

impl Default for PbeLimits {
    fn default() -> Self {
        PbeLimits {
            max_iterations: DEFAULT_MAX_ITERATIONS,
        }
    }
}

impl PbeLimits {
    /// Limits with another per-derivation cap.
    pub fn with_max_iterations(max_iterations: u64) -> Self {
        PbeLimits { max_iterations }
    }
}
