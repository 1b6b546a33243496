//! RFC 3161 time-stamps: proof from a time-stamping authority (TSA) that data existed at a
//! time, so that a signature stays provable after the signer's certificate has expired.
//!
//! | item | what it is (file) |
//! |---|---|
//! | [`TimeStampRequest`] | a `TimeStampReq`: the message imprint, a nonce, the policy (`request.rs`) |
//! | [`parse_response`], [`check_response`] | a `TimeStampResp`: the status, then the token checked against the request (`response.rs`) |
//! | [`verify_token`], [`TimeStamp`] | a `TimeStampToken`: its CMS signature, the TSA certificate, the `TSTInfo` (`token.rs`) |
//! | [`TsaClient`] | the request sent to a TSA over [`crate::transport`] (`client.rs`) |
//! | [`TimeStampAuthority`] | the TSA's side, for the simulator and tests (`authority.rs`) |
//! | [`TimeStamper`] | a remote or local TSA, as XAdES-T and CAdES-T take it (`stamper.rs`) |
//! | [`cades`] | CAdES-T: the signature time-stamp of a CMS signature, added and checked |
//!
//! The structures are written with the crate's DER encoder (`pki::encode`) and read with `der` 0.8 derives
//! (`asn1.rs`): the published RFC 3161 crates are on `der` 0.7 (see DESIGN.md).
//!
//! What a token must show before it is believed (RFC 3161 §2.4.2, RFC 5816):
//! - a CMS `SignedData` of `id-ct-TSTInfo`, one signer, its signature verified with the
//!   certificate the `SignerIdentifier` names, and that certificate bound by the ESS
//!   `signing-certificate(-v2)` attribute, which a token must carry;
//! - the TSA certificate with one extended key usage, `timeStamping`, marked critical
//!   (§2.3), valid at the time stamped, and chained to the caller's anchors when given;
//! - the message imprint of the data (or the digest) it should stamp, with SHA-256, -384 or
//!   -512; the request's nonce and policy; a `tsa` name, when present, that is the
//!   certificate's subject.
//!
//! Only then is the `TSTInfo` read into a [`TimeStamp`]: what is reported was verified.

mod asn1;
mod authority;
pub mod cades;
mod client;
mod request;
mod response;
mod stamper;
mod token;

/// The OID type of policies and algorithms (`const-oid`'s), re-exported for callers.
pub use const_oid::ObjectIdentifier;

pub use authority::{TimeStampAuthority, rejection};
pub use client::TsaClient;
pub use request::TimeStampRequest;
pub use response::{PkiStatus, TimeStampResponse, check_response, parse_response};
pub use stamper::TimeStamper;
pub use token::{Stamped, TimeStamp, TokenOptions, verify_token};

/// `id-kp-timeStamping` (RFC 5280 §4.2.1.12): the one extended key usage of a TSA
/// certificate.
pub const TIME_STAMPING: ObjectIdentifier = const_oid::db::rfc5280::ID_KP_TIME_STAMPING;

/// The media type of a request (RFC 3161 §3.4).
pub const QUERY_MEDIA_TYPE: &str = "application/timestamp-query";

/// The media type of a response (RFC 3161 §3.4).
pub const REPLY_MEDIA_TYPE: &str = "application/timestamp-reply";

#[cfg(test)]
mod tests;
