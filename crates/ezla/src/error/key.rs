//! Keys and key stores: PKCS#12 files, encrypted PKCS#8 keys, signers, PKCS#11 tokens
//! (codes 200–299; tokens 220–239).

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
    /// The file is not a usable PKCS#11 module.
    Pkcs11ModuleInvalid {
        /// The module's path.
        path: String,
        /// Why it cannot be used (the loader's or the module's own message).
        detail: String,
    },
    /// No token, or more than one, matches the selector.
    TokenNotFound {
        /// The selector (`label "…"` or `serial "…"`).
        token: String,
        /// What was found instead (the tokens present, or the ambiguity).
        detail: String,
    },
    /// No private key, or more than one, on the token matches the selector.
    TokenKeyNotFound {
        /// The token's label.
        token: String,
        /// The selector (`label "…"` or `id 01ab…`).
        key: String,
        /// What was found instead.
        detail: String,
    },
    /// The token key has no certificate on the token, and none was given.
    TokenCertificateNotFound {
        /// The token's label.
        token: String,
        /// The key selector.
        key: String,
    },
    /// The token refused the PIN.
    PinIncorrect {
        /// The token's label.
        token: String,
        /// Whether the token says few tries remain (`CKF_USER_PIN_COUNT_LOW` or `FINAL_TRY`).
        tries_low: bool,
    },
    /// The token's user PIN is locked.
    PinLocked {
        /// The token's label.
        token: String,
    },
    /// No PIN was available.
    PinUnavailable {
        /// The token's label.
        token: String,
        /// Why (the callback declined, the variable is unset, ...).
        detail: String,
    },
    /// The token, its session or its module went away during the operation.
    TokenRemoved {
        /// The token's label.
        token: String,
        /// The PKCS#11 function and `CKR_` value that reported it.
        detail: String,
    },
    /// Another PKCS#11 failure.
    TokenFailed {
        /// The token's label (or the module path before a token is chosen).
        token: String,
        /// What was being done.
        operation: &'static str,
        /// The PKCS#11 function and `CKR_` value.
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
            KeyError::Pkcs11ModuleInvalid { .. } => ErrorCode::Pkcs11ModuleInvalid,
            KeyError::TokenNotFound { .. } => ErrorCode::TokenNotFound,
            KeyError::TokenKeyNotFound { .. } => ErrorCode::TokenKeyNotFound,
            KeyError::TokenCertificateNotFound { .. } => ErrorCode::TokenCertificateNotFound,
            KeyError::PinIncorrect { .. } => ErrorCode::PinIncorrect,
            KeyError::PinLocked { .. } => ErrorCode::PinLocked,
            KeyError::PinUnavailable { .. } => ErrorCode::PinUnavailable,
            KeyError::TokenRemoved { .. } => ErrorCode::TokenRemoved,
            KeyError::TokenFailed { .. } => ErrorCode::TokenFailed,
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
            KeyError::Pkcs11ModuleInvalid { path, detail } => {
                write!(f, "{path} is not a usable PKCS#11 module: {detail}")
            }
            KeyError::TokenNotFound { token, detail } => {
                write!(f, "no token with {token}: {detail}")
            }
            KeyError::TokenKeyNotFound { token, key, detail } => {
                write!(f, "no private key with {key} on token `{token}`: {detail}")
            }
            KeyError::TokenCertificateNotFound { token, key } => write!(
                f,
                "the key with {key} on token `{token}` has no certificate on the token; give one"
            ),
            KeyError::PinIncorrect { token, tries_low } => {
                write!(f, "token `{token}` refused the PIN")?;
                if *tries_low {
                    f.write_str(" (few tries remain before the PIN locks)")?;
                }
                Ok(())
            }
            KeyError::PinLocked { token } => write!(
                f,
                "the PIN of token `{token}` is locked; unblock it with the PUK or SO PIN"
            ),
            KeyError::PinUnavailable { token, detail } => {
                write!(f, "no PIN for token `{token}`: {detail}")
            }
            KeyError::TokenRemoved { token, detail } => {
                write!(f, "token `{token}` was removed or went away: {detail}")
            }
            KeyError::TokenFailed {
                token,
                operation,
                detail,
            } => write!(f, "token `{token}`: {operation} failed: {detail}"),
        }
    }
}
