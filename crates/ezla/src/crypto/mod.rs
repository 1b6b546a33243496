//! Digest and signature algorithms, software keys, and the [`Signer`] and [`KeyAgreement`]
//! traits.
//!
//! | module | what it owns |
//! |---|---|
//! | `digest` | [`DigestAlgorithm`], [`Hasher`] |
//! | `signer` | [`SignatureAlgorithm`], the [`Signer`] trait |
//! | `agreement` | the [`KeyAgreement`] trait (ECDH) |
//! | `key` | [`KeyKind`], [`KeySpec`], [`PublicKey`] (`key/public.rs`), [`PrivateKey`] (`key/private.rs`) |
//! | `backend` | the arithmetic: `backend/rustcrypto.rs`, `backend/aws_lc.rs` |
//!
//! Two backends do the arithmetic (see [`Backend`]):
//!
//! * **AWS-LC** (feature `aws-lc`, on by default): RSA and ECDSA through `aws-lc-rs`, about ten
//!   times faster than the pure-Rust RSA. Where AWS-LC has no entry point for an algorithm
//!   (RSA PKCS#1 v1.5 *signing* with SHA-1 or SHA-224, ECDSA with a digest other than the
//!   curve's own, RSA keys below 2048 bits) the operation runs on RustCrypto instead, so a
//!   key behaves the same whichever backend it was created for.
//! * **RustCrypto**: `rsa`, `p256`, `p384`: pure Rust, always built, and selectable at run time
//!   with [`PrivateKey::with_backend`] and [`PublicKey::verify_with`], so that both backends are
//!   tested in every build.
//!
//! Digests always use RustCrypto's `sha1`/`sha2`, which use the CPU's SHA extensions when
//! present.
//!
//! Signatures travel as bytes in the form XML-DSig uses: RSA as the big-endian signature
//! value, ECDSA as the fixed-width concatenation `r ‖ s`. [`ecdsa_fixed_to_der`] and
//! [`ecdsa_der_to_fixed`] convert for CMS.
//!
//! # Key agreement
//!
//! [`KeyAgreement`] is the private half of an ECDH exchange, beside [`Signer`] and object-safe
//! like it, so that a token can implement it too. [`PrivateKey`] implements it on P-256 and
//! P-384, on both backends (`p256`/`p384` ECDH, AWS-LC `agreement`): [`KeyAgreement::agree`]
//! returns the raw shared secret Z (the x-coordinate of the shared point), for a key
//! derivation such as JOSE's ECDH-ES Concat KDF to consume. RSA keys are refused with
//! [`KeyError::Unsupported`](crate::error::KeyError::Unsupported), a peer key on another curve with
//! [`Error::InvalidArgument`](crate::Error::InvalidArgument); a [`PublicKey`] never holds a
//! point off its curve or the identity.
//!
//! ```
//! use ezla::crypto::{KeyAgreement, KeySpec, PrivateKey};
//! # fn main() -> ezla::Result<()> {
//! let ours = PrivateKey::generate(KeySpec::EcP256)?;
//! let theirs = PrivateKey::generate(KeySpec::EcP256)?;
//! let z = ours.agree(theirs.public_key())?;
//! assert_eq!(z, theirs.agree(ours.public_key())?);
//! assert_eq!(z.len(), 32);
//! # Ok(()) }
//! ```

mod agreement;
mod backend;
mod digest;
pub mod hex;
mod key;
mod signer;

pub use agreement::KeyAgreement;
pub use digest::{DigestAlgorithm, Hasher};
pub(crate) use key::oid_with_name;
pub use key::{KeyKind, KeySpec, PrivateKey, PublicKey, ecdsa_der_to_fixed, ecdsa_fixed_to_der};
pub use signer::{SignatureAlgorithm, Signer};

/// Which implementation performs RSA and ECDSA operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Backend {
    /// AWS-LC through `aws-lc-rs` (feature `aws-lc`), falling back to RustCrypto for the
    /// algorithms AWS-LC does not offer.
    #[cfg(feature = "aws-lc")]
    AwsLc,
    /// The pure-Rust RustCrypto crates.
    RustCrypto,
}

impl Backend {
    /// Every backend compiled into this build.
    pub const ALL: &'static [Backend] = &[
        #[cfg(feature = "aws-lc")]
        Backend::AwsLc,
        Backend::RustCrypto,
    ];

    /// The backend's name.
    pub const fn name(self) -> &'static str {
        match self {
            #[cfg(feature = "aws-lc")]
            Backend::AwsLc => "aws-lc",
            Backend::RustCrypto => "rustcrypto",
        }
    }
}

impl Default for Backend {
    /// AWS-LC when compiled in, otherwise RustCrypto.
    fn default() -> Self {
        #[cfg(feature = "aws-lc")]
        {
            Backend::AwsLc
        }
        #[cfg(not(feature = "aws-lc"))]
        {
            Backend::RustCrypto
        }
    }
}

/// Fills `buf` with bytes from the operating system's secure random generator.
pub fn random_bytes(buf: &mut [u8]) -> crate::Result<()> {
    getrandom::fill(buf).map_err(|e| crate::Error::internal(format!("system RNG failed: {e}")))
}
