//! XAdES-BES for e-ZLA: enveloped signatures on KEDU documents and on the ZUS login
//! statement, and their verification with a report of who signed what, when and how.
//!
//! A signature is a [`crate::dsig`] signature with `xades:QualifyingProperties` in an object:
//! `SigningTime`, and `SigningCertificate` (XAdES 1.3.2, with `CertDigest` and
//! `IssuerSerial`) or `SigningCertificateV2` (EN 319 132-1 baseline B-B), covered by a
//! reference of `Type` `http://uri.etsi.org/01903#SignedProperties`. The shapes are named
//! [`Profile`]s; `zus` is the default.
//!
//! ```no_run
//! # fn demo(document: &[u8], doctor: &ezla::pki::Identity) -> ezla::Result<()> {
//! use ezla::xades::{self, Profile, SignOptions, VerifyOptions};
//! let signed = xades::sign_with_identity(document, doctor, &SignOptions::profile(Profile::Zus))?;
//! let report = xades::verify(&signed, &VerifyOptions::default())?;
//! println!("{} signed at {:?}", report.signer.subject, report.signing_time);
//! # Ok(()) }
//! ```
//!
//! Verification adds to XML-DSig's checks: the signature is the document's only signature (or
//! co-signatures are allowed), a child of the document element, covering the whole element
//! except signatures; `SignedProperties` exists once, is targeted at the signature's `Id` and
//! covered by a reference of the right `Type`; the `SigningCertificate(V2)` digest and
//! issuer/serial name the certificate that verified the signature; `SigningTime` parses, lies
//! within that certificate's validity and not after the verification instant (beyond
//! [`VerifyOptions::max_clock_skew`], default 5 minutes); under the `zus` and `zus-legacy`
//! profiles the signature has exactly one `ds:Object`, holding only the
//! `QualifyingProperties` (anything else there is unsigned content,
//! [`SignatureError::UnsignedContent`](crate::error::SignatureError::UnsignedContent)). Without trust anchors the report
//! says `untrusted`.
//!
//! XAdES-T: [`add_timestamp`] (or [`add_signature_timestamp`] with a token in hand) adds a
//! `SignatureTimeStamp` over the `ds:SignatureValue` to a signed document, at signing or
//! later, without touching its signed bytes. [`verify`] checks every signature time-stamp
//! and reports them; with [`VerifyOptions::tsa_trust`] a trusted one sets the instant the
//! signer's certificate is judged at ([`Report::judged_at`]).

mod batch;
mod dn;
mod profile;
mod sign;
mod timestamp;
mod verify;

pub use batch::{BatchOptions, sign_many};
pub use profile::{Profile, SIGNED_PROPERTIES_TYPE};
pub use sign::{IdMode, SignOptions, SigningCertificateVersion, sign, sign_with_identity};
pub use timestamp::{
    SIGNATURE_TIMESTAMP_C14N, add_signature_timestamp, add_timestamp, timestamp_input,
};
pub use verify::{
    DEFAULT_MAX_CLOCK_SKEW, ReferenceReport, Report, SignerReport, TimestampReport, VerifyOptions,
    verify, verify_all, verify_signature,
};

/// The XAdES 1.3.2 namespace.
pub const XADES_NS: &str = "http://uri.etsi.org/01903/v1.3.2#";

#[cfg(test)]
mod tests;
