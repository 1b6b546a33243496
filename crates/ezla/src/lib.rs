//! # ezla
//!
//! A toolkit for software that issues Polish electronic sick-leave certificates
//! (*e-ZLA*, *elektroniczne zwolnienie lekarskie*) to ZUS.
//!
//! One crate does all the work; the C library (`bindings/c`) and the Python package
//! (`bindings/python`) are thin layers over it.
//!
//! | module | what it owns |
//! |---|---|
//! | [`error`] | [`Error`] and the stable [`ErrorCode`] numbers shared with C and Python |
//! | [`crypto`] | digest and signature algorithms, software keys, the [`crypto::Signer`] trait, backends |
//! | [`dsig`] | XML-DSig: strict verification reporting what was signed; signing spliced into the original bytes |
//! | [`kedu`] | e-ZLA documents: the KEDU ZLA model, validation, XML, cancellation (AZLA), planning |
//! | [`xades`] | XAdES-BES in the ZUS profiles; verification reports |
//! | [`xml`] | safe parsing with limits and byte ranges, canonicalization, escaping |
//! | [`pki`] | PKCS#12 in and out, the X.509 view, expiry policy, PKCS#10, trust anchors, a test CA |
//! | [`pl`] | Polish identifiers (PESEL, NIP) and their check digits |
//!
//! Principles: *sign what you emit, verify what you read* (signatures are spliced into the
//! original bytes, verification returns what was signed), *strict by default*, one error model,
//! no hidden global state, and secrets are zeroized and never logged.
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod crypto;
pub mod dsig;
pub mod error;
#[doc(hidden)]
pub mod fuzzing;
pub mod kedu;
pub mod pki;
pub mod pl;
pub mod xades;
pub mod xml;

pub use error::{Error, ErrorCode, Result};

#[cfg(test)]
pub(crate) mod test_support;
