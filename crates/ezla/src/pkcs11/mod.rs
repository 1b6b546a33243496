//! Keys on PKCS#11 tokens: smart cards with a qualified certificate, HSMs, SoftHSM (feature
//! `pkcs11`).
//!
//! | item | what it is |
//! |---|---|
//! | [`Module`] | a PKCS#11 library loaded by path (`module.rs`), its [`TokenInfo`]s and [`TokenObject`]s |
//! | [`TokenSelector`], [`KeySelector`], [`PinSource`] | which token, which key, where the PIN comes from (`select.rs`) |
//! | [`Pkcs11Signer`] | a token key as a [`Signer`](crate::crypto::Signer) and [`KeyAgreement`](crate::crypto::KeyAgreement) (`signer.rs`) |
//! | `session.rs` | one counted session, always closed |
//! | `fail.rs` | `CKR_` values to typed errors |
//!
//! ```no_run
//! use ezla::pkcs11::{KeySelector, Module, Pkcs11Signer, PinSource, SignerOptions, TokenSelector};
//! use ezla::xades::{self, SignOptions};
//! # fn demo(document: &[u8]) -> ezla::Result<()> {
//! let module = Module::open("/usr/lib/softhsm/libsofthsm2.so")?;
//! let signer = Pkcs11Signer::open(
//!     &module,
//!     SignerOptions::new(
//!         TokenSelector::Label("doctor".into()),
//!         KeySelector::Label("signing".into()),
//!         PinSource::env("EZLA_PIN"),
//!     ),
//! )?;
//! let signed = xades::sign(document, &signer, signer.certificate(), &[], &SignOptions::default())?;
//! # let _ = signed; Ok(()) }
//! ```
//!
//! **Mechanisms.** The message is hashed in software. RSA signs through `CKM_RSA_PKCS` over a
//! DigestInfo built here (more cards offer it than the hashing mechanisms), ECDSA through
//! `CKM_ECDSA` over the hash (SoftHSM has no `CKM_ECDSA_SHA256`); the token's raw `r ‖ s` is
//! already the form [`Signer`](crate::crypto::Signer) returns. Key agreement uses
//! `CKM_ECDH1_DERIVE` without a KDF into a session object that is read and destroyed; the key
//! needs `CKA_DERIVE`.
//!
//! **Always-authenticate keys** (`CKA_ALWAYS_AUTHENTICATE`, as on qualified signature cards)
//! get `C_Login(CKU_CONTEXT_SPECIFIC)` between `C_SignInit` and the signature, with a PIN
//! from the [`PinSource`] (a callback is asked each time, with
//! [`PinRequest::context_specific`] set). `cryptoki`'s single-part `sign` runs `C_SignInit`
//! itself, so these keys sign in parts (`C_SignUpdate`/`C_SignFinal`), which needs the
//! token's hashing mechanism (`CKM_SHA256_RSA_PKCS`, `CKM_ECDSA_SHA256`, …); without it the
//! signature fails with [`KeyError::Unsupported`](crate::error::KeyError::Unsupported).
//!
//! **Sessions.** A session serves one thread at a time. A signer keeps a pool of idle
//! sessions: a signature borrows one (or opens one) and returns it, so threads signing at
//! once hold one session each; the login, made once, is shared by all of them. A session
//! whose operation failed is closed, and when the token went away all are. Dropping the
//! signer closes the rest; [`Module::open_sessions`] counts what is still open.
//!
//! **Process-wide state.** A PKCS#11 library is initialised once per process.
//! [`Module::open`] of a path already loaded shares it; `C_Finalize` runs when the last
//! [`Module`] handle (signers hold one) is dropped.
//!
//! **Errors** (codes 220–228): [`KeyError::Pkcs11ModuleInvalid`](crate::error::KeyError::Pkcs11ModuleInvalid),
//! [`TokenNotFound`](crate::error::KeyError::TokenNotFound),
//! [`TokenKeyNotFound`](crate::error::KeyError::TokenKeyNotFound),
//! [`TokenCertificateNotFound`](crate::error::KeyError::TokenCertificateNotFound),
//! [`PinIncorrect`](crate::error::KeyError::PinIncorrect),
//! [`PinLocked`](crate::error::KeyError::PinLocked),
//! [`PinUnavailable`](crate::error::KeyError::PinUnavailable),
//! [`TokenRemoved`](crate::error::KeyError::TokenRemoved) and
//! [`TokenFailed`](crate::error::KeyError::TokenFailed).

mod fail;
mod module;
mod select;
mod session;
mod signer;

pub use module::{Module, ObjectKind, TokenInfo, TokenObject};
pub use select::{KeySelector, PinCallback, PinRequest, PinSource, TokenSelector};
pub use signer::{Pkcs11Signer, SignerOptions};
