//! # ezla
//!
//! A toolkit for software that issues Polish electronic sick-leave certificates
//! (*e-ZLA*, *elektroniczne zwolnienie lekarskie*) to ZUS.
//!
//! One crate does all the work; the C library (`bindings/c`) and the Python package
//! (`bindings/python`) are thin layers over it.
//!
//! The modules, bottom-up. Arrows go one way: each module uses only modules listed before it
//! (`scripts/check-arrows.py` enforces this; the map is in `docs/architecture.md`).
//!
//! | module | what it owns |
//! |---|---|
//! | [`error`] | [`Error`], nested by family ([`error::KeyError`], [`error::SignatureError`], …), and the stable [`ErrorCode`] numbers and families shared with C and Python; `Problem` and `Severity` |
//! | [`pl`] | Polish identifiers (PESEL, NIP) and their check digits; the calendar day in Poland |
//! | [`crypto`] | digest and signature algorithms, software keys, the [`crypto::Signer`] and [`crypto::KeyAgreement`] traits, the backends |
//! | [`xml`] | safe parsing with limits and byte ranges, canonicalization, the [`xml::Writer`] and escaping, base64, `xsd:dateTime` |
//! | [`pki`] | PKCS#12 in and out, password-based encryption, the X.509 view, expiry policy, PKCS#10, trust anchors and [`pki::CertificateValidator`], ESS `IssuerSerial`, the DER encoder, a test CA |
//! | `pkcs11` (feature `pkcs11`) | keys on PKCS#11 tokens (smart cards, HSMs): `pkcs11::Pkcs11Signer` as a signer and for ECDH |
//! | [`dsig`] | XML-DSig: strict verification reporting what was signed; signing spliced into the original bytes |
//! | [`xades`] | XAdES-BES in the ZUS profiles; verification reports |
//! | [`kedu`] | e-ZLA documents: the KEDU ZLA model, validation, XML, cancellation (AZLA), planning |
//! | [`store`] | durable client state: the [`store::Journal`] of documents sent to ZUS (SQLite or memory) |
//! | [`cms`] | CAdES-BES `SignedData`: signing (streaming for large inputs) and verification |
//! | [`transport`] | the blocking HTTP [`transport::Transport`] trait and its ureq implementation |
//! | [`tsp`] | RFC 3161 time-stamps: requests, tokens checked before use, the TSA client, a TSA for the simulator |
//! | [`wk`] | login.gov.pl (Węzeł Krajowy): the SAML service provider, ECDH-ES decryption, its stores |
//!
//! Outside the layers: `fuzzing` (entry points of the fuzz targets, not an API) and the
//! unit-test helpers.
//!
//! Principles: *sign what you emit, verify what you read* (signatures are spliced into the
//! original bytes, verification returns what was signed), *strict by default*, one error model,
//! no hidden global state, and secrets are zeroized and never logged.
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod cms;
pub mod crypto;
pub mod dsig;
pub mod error;
#[doc(hidden)]
pub mod fuzzing;
pub mod kedu;
#[cfg(feature = "pkcs11")]
#[cfg_attr(docsrs, doc(cfg(feature = "pkcs11")))]
pub mod pkcs11;
pub mod pki;
pub mod pl;
pub mod revocation;
pub mod soap;
pub mod store;
pub mod transport;
pub mod tsp;
pub mod wk;
pub mod xades;
pub mod xml;
pub mod zus;

pub use error::{Error, ErrorCode, Result};

/// The `time` crate, whose `OffsetDateTime` and `Date` ezla's API takes and returns: use
/// `ezla::time` without a dependency of your own (or depend on the same `time` 0.3).
pub use time;

#[cfg(test)]
pub(crate) mod test_support;
