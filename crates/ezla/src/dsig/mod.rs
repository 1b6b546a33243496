//! XML-DSig: strict verification and signing that never re-serialises.
//!
//! **Verification** ([`Verifier`]) returns what was signed, never a bare boolean: the
//! signature element, every reference with exactly what it covers ([`Coverage`]), and the key
//! or certificate that verified. Strict by default:
//!
//! * references are `URI=""`, `URI="#id"` (`Id`, `ID`, `id` or `xml:id` attributes; a value
//!   used twice anywhere in the document is an error) or the `#xpointer(/)` and
//!   `#xpointer(id('…'))` forms; external URIs are never fetched;
//! * transforms: enveloped-signature, the six canonicalizations (with `InclusiveNamespaces`),
//!   the XPath filter `not(ancestor-or-self::ds:Signature)` of the Polish profile (no other
//!   expression), XPath Filter 2.0 `subtract`, base64;
//! * digests SHA-224/256/384/512 (SHA-1 only under [`VerifyPolicy::legacy`]); signatures
//!   RSA PKCS#1 v1.5 and ECDSA P-256/P-384 with those digests;
//! * keys: pinned by the caller, a `KeyInfo` certificate validated by a
//!   [`CertificateValidator`] (e.g. trust anchors), or — explicitly untrusted — whatever
//!   `KeyInfo` carries;
//! * anything else is an [`FormatError::Unsupported`](crate::error::FormatError::Unsupported) naming the
//!   algorithm.
//!
//! [`Verifier::verify_enveloped`] additionally demands exactly one signature, placed as a child
//! of the document element, that covers the whole document element: the shape of e-ZLA
//! documents and of the ZUS login statement.
//!
//! **Signing** ([`sign_enveloped`], [`sign_enveloping`]) builds a `ds:Signature` from a
//! [`SignatureSpec`] and splices it into the original bytes.

mod algorithms;
mod keyinfo;
mod reference;
mod sign;
mod verify;

/// The validator trait lives in [`crate::pki`] (CMS and SAML use it too); re-exported here
/// where XML-DSig verification takes it.
pub use crate::pki::CertificateValidator;
pub use algorithms::{
    BASE64, DSIG_NS, DSIG11_NS, ENVELOPED_SIGNATURE, XPATH, XPATH_FILTER2, XPATH_NOT_SIGNATURE,
    digest_from_uri, digest_uri, signature_from_uri, signature_uri,
};
pub use reference::Coverage;
pub use sign::{
    KeyInfoSpec, ObjectSpec, Placement, ReferenceSpec, SignOptions, SignatureSpec, TransformSpec,
    sign_enveloped, sign_enveloping,
};
pub use verify::{
    KeySelection, SignerKey, Trust, Verified, VerifiedReference, Verifier, VerifyPolicy,
    find_signatures,
};

#[cfg(test)]
mod tests;
