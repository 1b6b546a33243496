//! Keys and key stores: PKCS#12 files, encrypted PKCS#8 keys, signers (codes 200–299).

use std::fmt;

use super::ErrorCode;

/// A key, a key store or a signer that cannot be used.
#[derive(Debug)]
#[non_exhaustive]
pub enum KeyError {
    /// The password does not open the file or key.
    BadPassword {
        /// What the password was for.
        what: &'static str,
    },
    /// The PKCS#12 MAC does not match although the contents decrypt: the file was altered.
    MacMismatch,
    /// The PKCS#12 file is corrupt or truncated.
    Pkcs12Corrupt {
        /// What is wrong.
        detail: String,
    },
    /// The PKCS#12 file has no integrity protection (no MAC): it could have been altered, and
    /// the password was not checked. Accepted only when the caller allows it explicitly.
    Pkcs12Unprotected {
        /// Why the file counts as unprotected, and how to accept it anyway.
        detail: String,
    },
    /// An iteration count exceeds the configured cap.
    IterationLimitExceeded {
        /// Where the count was found ("MAC", "key bag", "certificate bag").
        what: &'static str,
        /// The iteration count in the file.
        iterations: u64,
        /// The configured cap.
        limit: u64,
    },
    /// No private key was found where one is required.
    NoPrivateKey {
        /// Where it was looked for.
        what: String,
    },
    /// No certificate was found where one is required.
    NoCertificate {
        /// Where it was looked for.
        what: String,
    },
    /// A certificate does not belong to the private key it is paired with.
    CertificateMismatch {
        /// The certificate's subject.
        subject: String,
    },
    /// The key's type or size cannot be used for this operation.
    Unsupported {
        /// What is wrong with it.
        detail: String,
    },
    /// The signer (backend, token or callback) failed to produce a signature.
    SigningFailed {
        /// What the signer reported.
        detail: String,
    },
}

impl KeyError {
    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            KeyError::BadPassword { .. } => ErrorCode::BadPassword,
            KeyError::MacMismatch => ErrorCode::MacMismatch,
            KeyError::Pkcs12Corrupt { .. } => ErrorCode::Pkcs12Corrupt,
            KeyError::Pkcs12Unprotected { .. } => ErrorCode::Pkcs12Unprotected,
            KeyError::IterationLimitExceeded { .. } => ErrorCode::IterationLimitExceeded,
            KeyError::NoPrivateKey { .. } => ErrorCode::NoPrivateKey,
            KeyError::NoCertificate { .. } => ErrorCode::NoCertificate,
            KeyError::CertificateMismatch { .. } => ErrorCode::KeyCertificateMismatch,
            KeyError::Unsupported { .. } => ErrorCode::UnsupportedKey,
            KeyError::SigningFailed { .. } => ErrorCode::SigningFailed,
        }
    }
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyError::BadPassword { what } => write!(f, "wrong password for {what}"),
            KeyError::MacMismatch => f.write_str(
                "PKCS#12 integrity check (MAC) failed although the contents decrypt: the file was altered",
            ),
            KeyError::Pkcs12Corrupt { detail } => write!(f, "corrupt PKCS#12 file: {detail}"),
            KeyError::Pkcs12Unprotected { detail } => {
                write!(f, "PKCS#12 file has no integrity protection: {detail}")
            }
            KeyError::IterationLimitExceeded {
                what,
                iterations,
                limit,
            } => write!(
                f,
                "{what} uses {iterations} key-derivation iterations, above the limit of {limit}"
            ),
            KeyError::NoPrivateKey { what } => write!(f, "no private key in {what}"),
            KeyError::NoCertificate { what } => write!(f, "no certificate in {what}"),
            KeyError::CertificateMismatch { subject } => {
                write!(f, "certificate `{subject}` does not match the private key")
            }
            KeyError::Unsupported { detail } => write!(f, "unsupported key: {detail}"),
            KeyError::SigningFailed { detail } => write!(f, "signing failed: {detail}"),
        }
    }
}
