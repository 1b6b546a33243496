//! PKCS#12 (`.pfx`, `.p12`) files: reading legacy and modern files, writing modern ones.
//!
//! # Reading
//!
//! [`Pkcs12::parse`] opens files from OpenSSL, Windows, Java, NSS/Firefox and macOS:
//!
//! * encryption: the legacy `pbeWithSHAAnd3-KeyTripleDES-CBC`, `…2-KeyTripleDES-CBC`,
//!   `…40BitRC2-CBC`, `…128BitRC2-CBC`, and PBES2 with PBKDF2 (HMAC-SHA-1/-224/-256/-384/-512)
//!   and AES-128/192/256-CBC or DES-EDE3-CBC; unencrypted bags too;
//! * integrity: the password MAC with SHA-1, SHA-224, SHA-256, SHA-384 or SHA-512; a file
//!   with no MAC is refused ([`Pkcs12Unprotected`](crate::error::KeyError::Pkcs12Unprotected)) unless
//!   [`Pkcs12Options::allow_unprotected`] is set, and then reported in [`Pkcs12Info::mac`]
//!   (`None`): nothing checked such a file's integrity or its password;
//! * keys: RSA, EC P-256 and P-384; certificates: X.509; bag attributes `friendlyName` and
//!   `localKeyId`; BER as well as DER encodings.
//!
//! Anything else is refused with [`FormatError::Unsupported`](crate::error::FormatError::Unsupported) naming the
//! OID: RC4 PBEs, scrypt, AES-GCM, PBMAC1, a BLAKE2 MAC, public-key privacy or integrity
//! modes, private keys other than RSA, EC P-256 and P-384 (Ed25519, Ed448, DSA: a key store's
//! keys are its point, so such a file is refused rather than opened without its key).
//!
//! Some contents are not needed for signing and are *skipped*, each listed with the reason
//! in [`Pkcs12::skipped`]: CRL bags, secret bags (Java `SecretKeyEntry`), unknown bag types,
//! non-X.509 certificates, and certificates whose public key ezla cannot use (DSA,
//! Ed25519, …) — typically CA certificates of a trust store, which should not stop the
//! holder's own key and certificate from opening.
//!
//! **Errors say what went wrong.** The order of work is: parse the structure
//! ([`Pkcs12Corrupt`](crate::error::KeyError::Pkcs12Corrupt) on any malformation or truncation); check
//! every algorithm ([`Unsupported`](crate::error::FormatError::Unsupported)) and every iteration count
//! against [`Pkcs12Options`] ([`IterationLimitExceeded`](crate::error::KeyError::IterationLimitExceeded))
//! *before any key derivation*, so a hostile file with a billion iterations costs nothing;
//! then verify the MAC. When the MAC does not verify, ezla decrypts one encrypted item with
//! the same password: if it decrypts to well-formed content the password is right and the
//! file was altered ([`MacMismatch`](crate::error::KeyError::MacMismatch)); otherwise the password is
//! wrong ([`BadPassword`](crate::error::KeyError::BadPassword)). A file with a MAC and nothing
//! encrypted cannot tell the two apart and reports `BadPassword`.
//!
//! Passwords: see [`PasswordForm`] for absent (`None`) versus empty (`Some("")`) passwords
//! and non-ASCII passwords. Passwords and decrypted key material are zeroized after use.
//!
//! # Writing
//!
//! [`Pkcs12Builder`] writes the modern format only: the key in a `pkcs8ShroudedKeyBag` and the
//! certificates in an `encryptedData` container, both PBES2 with PBKDF2-HMAC-SHA-256 and
//! AES-256-CBC, and a SHA-256 MAC, all with [`DEFAULT_WRITE_ITERATIONS`] iterations unless
//! told otherwise. OpenSSL 3 (without `-legacy`) and Java's keytool open these files (the
//! interop tests check both); Windows reads AES-256/SHA-256 PFX files since Windows 10 1709.

pub(crate) mod asn1;
pub(crate) mod ber;
mod read;
#[cfg(test)]
mod tests;
mod write;

/// Re-exported from [`crate::pki::pbe`], where password handling now lives.
pub use crate::pki::pbe::PasswordForm;
pub use asn1::BagAttributes;
pub use write::Pkcs12Builder;

use crate::crypto::{DigestAlgorithm, PrivateKey};
use crate::pki::Certificate;
use crate::pki::pbe::{DEFAULT_MAX_ITERATIONS, PbeLimits};

/// Iterations ezla uses when writing, for PBKDF2 and for the MAC: 600 000.
///
/// ZUS certificate passwords may be as short as four characters, so the file's resistance to
/// guessing rests on the iteration count. 600 000 is OWASP's 2023 recommendation for
/// PBKDF2-HMAC-SHA-256 and what Firefox/NSS writes. Opening such a file costs about 0.15 s
/// on a 2-core server (MAC plus two PBKDF2 runs; OpenSSL takes 0.25 s), paid once per session
/// when the application keeps the decrypted key in memory. Batch tools that open files often
/// may choose fewer with [`Pkcs12Builder::iterations`].
pub const DEFAULT_WRITE_ITERATIONS: u32 = 600_000;

/// Limits for reading PKCS#12 files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Pkcs12Options {
    /// The most iterations accepted for any one key derivation (MAC, a bag, a container).
    /// Default [`DEFAULT_MAX_ITERATIONS`] (10 000 000): the largest counts in real files are around 600 000 (Firefox),
    /// and ten million still opens in a few seconds, while a hostile count of a billion or
    /// more is refused before any work is done.
    pub max_iterations: u64,
    /// The most iterations spent on one file in total, over the MAC, every container and bag,
    /// and every password form tried. Default 20 000 000: it stops files that multiply bags
    /// under the per-derivation cap.
    pub max_total_iterations: u64,
    /// The largest file accepted, in bytes. Default 16 MiB.
    pub max_size: usize,
    /// Accept a file without integrity protection (no MAC). Default false: such a file is
    /// refused with [`Pkcs12Unprotected`](crate::error::KeyError::Pkcs12Unprotected), because it could
    /// have been altered (a key or certificate swapped) and its password was not checked —
    /// when nothing in it is encrypted either, *any* password opens it. Set it to inspect
    /// such a file ([`Pkcs12Info::mac`] is then `None`), or to sign with one knowingly.
    pub allow_unprotected: bool,
}

impl Default for Pkcs12Options {
    fn default() -> Self {
        Pkcs12Options {
            max_iterations: DEFAULT_MAX_ITERATIONS,
            max_total_iterations: 20_000_000,
            max_size: 16 << 20,
            allow_unprotected: false,
        }
    }
}

impl Pkcs12Options {
    /// The defaults with another per-derivation cap (the total cap is raised to twice the
    /// new cap if that is larger).
    pub fn with_max_iterations(max_iterations: u64) -> Self {
        let d = Self::default();
        Pkcs12Options {
            max_iterations,
            max_total_iterations: d.max_total_iterations.max(max_iterations.saturating_mul(2)),
            ..d
        }
    }

    /// The per-derivation limit of these options, for password-based decryption outside a
    /// PKCS#12 file (such as [`crate::pki::keyfile::read_private_key`]).
    pub fn pbe_limits(&self) -> PbeLimits {
        PbeLimits::with_max_iterations(self.max_iterations)
    }

    /// These options, accepting (`true`) or refusing (`false`, the default) a file without
    /// integrity protection; see [`Pkcs12Options::allow_unprotected`].
    pub fn allowing_unprotected(mut self, allow: bool) -> Self {
        self.allow_unprotected = allow;
        self
    }
}

impl From<&Pkcs12Options> for PbeLimits {
    fn from(options: &Pkcs12Options) -> Self {
        options.pbe_limits()
    }
}

impl From<Pkcs12Options> for PbeLimits {
    fn from(options: Pkcs12Options) -> Self {
        options.pbe_limits()
    }
}

/// The contents of a PKCS#12 file.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Pkcs12 {
    /// The private keys, in file order.
    pub keys: Vec<KeyEntry>,
    /// The certificates, in file order.
    pub certificates: Vec<CertificateEntry>,
    /// Bags ezla does not use (CRLs, secrets, unknown types), in file order.
    pub skipped: Vec<SkippedBag>,
    /// How the file is protected.
    pub info: Pkcs12Info,
}

impl Pkcs12 {
    /// Opens a PKCS#12 file with `password` (`None` for an absent password; see
    /// [`PasswordForm`]) under the limits of `options`.
    pub fn parse(
        data: &[u8],
        password: Option<&str>,
        options: &Pkcs12Options,
    ) -> crate::Result<Self> {
        read::parse(data, password, options)
    }
}

/// A private key from a PKCS#12 file.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct KeyEntry {
    /// The key.
    pub key: PrivateKey,
    /// Its bag's attributes.
    pub attributes: BagAttributes,
}

/// A certificate from a PKCS#12 file.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct CertificateEntry {
    /// The certificate.
    pub certificate: Certificate,
    /// Its bag's attributes.
    pub attributes: BagAttributes,
}

/// A bag ezla skipped.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SkippedBag {
    /// The bag type, as an OID with its name.
    pub bag_type: String,
    /// Why it was skipped.
    pub reason: String,
    /// Its attributes.
    pub attributes: BagAttributes,
}

/// How a PKCS#12 file is protected.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Pkcs12Info {
    /// The MAC, if the file has one.
    pub mac: Option<MacInfo>,
    /// Every encryption in the file: containers and shrouded keys, in file order.
    pub encryptions: Vec<EncryptionInfo>,
    /// The form of the password that opened the file.
    pub password_form: PasswordForm,
}

impl Pkcs12Info {
    /// Whether the file uses any legacy algorithm: a SHA-1 MAC, or a legacy PKCS#12 PBE
    /// (3DES, RC2). Such files need `openssl pkcs12 -legacy` and are worth converting.
    pub fn is_legacy(&self) -> bool {
        self.mac
            .as_ref()
            .is_some_and(|m| m.digest == DigestAlgorithm::Sha1)
            || self.encryptions.iter().any(|e| e.legacy)
    }
}

/// The MAC of a PKCS#12 file.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct MacInfo {
    /// The digest.
    pub digest: DigestAlgorithm,
    /// The key-derivation iteration count.
    pub iterations: u64,
}

/// One encryption in a PKCS#12 file.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct EncryptionInfo {
    /// What it protects: `certificates` (an `encryptedData` container) or `private key` (a
    /// `pkcs8ShroudedKeyBag`).
    pub protects: &'static str,
    /// The algorithm, e.g. `pbeWithSHAAnd40BitRC2-CBC`.
    pub algorithm: String,
    /// Its iteration count.
    pub iterations: u64,
    /// Whether it is a legacy PKCS#12 PBE.
    pub legacy: bool,
}
