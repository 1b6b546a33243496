//! CMS signatures (RFC 5652) in the CAdES-BES form (ETSI EN 319 122-1, baseline B-B), for
//! what clinics sign besides XML: the PDF printout of an e-ZLA, attachments, exports.
//!
//! [`sign`] writes a DER `ContentInfo` with one `SignedData`: the content attached or
//! detached, the signed attributes content-type, signing-time, message-digest and
//! signing-certificate-v2 (the ESS binding, whose `IssuerSerial` comes from the encoder XAdES
//! uses), SHA-256/384/512 with RSA or ECDSA, by any [`crate::crypto::Signer`].
//! [`sign_detached_reader`] hashes a large input as it reads it. [`verify`] checks such a
//! signature (BER accepted outside the signed attributes, which are checked as written) and
//! reports who signed, when they say they did, and what. 8 of the 10 ETSI CAdES plugtest
//! files verify; the other two are refused with their reasons (`tests/cms_interop.rs`).
//!
//! `openssl cms -verify -binary` accepts what [`sign`] writes, and [`verify`] accepts what
//! `openssl cms -sign -binary` writes (`tests/cms_interop.rs`).

mod sign;
mod verify;

pub(crate) use sign::{Shape, sign_typed};
pub use sign::{SignOptions, from_pem_or_der, sign, sign_detached_reader, to_pem};
pub(crate) use verify::check_signed_data_with;
pub use verify::{Report, VerifyOptions, verify};

#[cfg(test)]
mod tests;
