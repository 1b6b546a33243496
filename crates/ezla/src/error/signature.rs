//! XML (and later CMS) signatures: values, digests, structure, the wrapping checks, XAdES
//! properties (codes 400–499).

use std::fmt;

use super::ErrorCode;

/// A signature that does not verify, is malformed, or cannot be made.
#[derive(Debug)]
#[non_exhaustive]
pub enum SignatureError {
    /// The signature value does not verify.
    Invalid {
        /// Which signature and key.
        detail: String,
    },
    /// A reference's digest does not match the referenced data.
    DigestMismatch {
        /// The reference's URI (`""` or `#id`).
        uri: String,
    },
    /// No signature where one is required.
    Missing {
        /// Where it was looked for.
        detail: String,
    },
    /// More signatures than the operation allows.
    Ambiguous {
        /// How many were found.
        count: usize,
    },
    /// The signature does not cover the element the caller asked about (signature wrapping).
    ReferenceMismatch {
        /// What was expected and what the signature covers.
        detail: String,
    },
    /// Two elements carry the same ID.
    DuplicateId {
        /// The ID value.
        id: String,
    },
    /// No key to verify with: none supplied and none usable in KeyInfo.
    KeyNotFound {
        /// What was looked at.
        detail: String,
    },
    /// The signature's structure is malformed (missing or misplaced elements).
    Malformed {
        /// What is wrong.
        detail: String,
    },
    /// XAdES qualifying properties are missing, misplaced or not covered by the signature.
    XadesPropertiesInvalid {
        /// What is wrong.
        detail: String,
    },
    /// The XAdES SigningCertificate does not identify the certificate that verified.
    SigningCertificateMismatch {
        /// What differs.
        detail: String,
    },
    /// The XAdES SigningTime is malformed or outside the signer's validity.
    SigningTimeInvalid {
        /// What is wrong.
        detail: String,
    },
    /// The document is already signed and co-signing was not requested.
    AlreadySigned,
    /// The signature carries content that no reference covers, where the profile allows none
    /// (e.g. a second body in a `ds:Object`).
    UnsignedContent {
        /// What the content is and where it sits.
        detail: String,
    },
    /// The time-stamping authority refused the request (RFC 3161 `PKIStatusInfo`).
    TimestampRejected {
        /// The `PKIStatus` by name (`rejection`, `waiting`, `revocationWarning`,
        /// `revocationNotification`, or the number of an unknown one).
        status: String,
        /// The `PKIFailureInfo` bits set, by name (`badAlg`, `badRequest`, ...).
        fail_info: Vec<String>,
        /// The TSA's `statusString` texts, joined; empty when it gave none.
        text: String,
    },
    /// A time-stamp token does not fit what it should stamp.
    TimestampMismatch {
        /// What differs (imprint, nonce, policy, TSA name).
        detail: String,
    },
    /// A time-stamp token is signed with a certificate that is not a time-stamping one.
    TsaCertificateInvalid {
        /// The certificate's subject (RFC 4514).
        subject: String,
        /// What is wrong with it.
        detail: String,
    },
}

impl SignatureError {
    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            SignatureError::Invalid { .. } => ErrorCode::SignatureInvalid,
            SignatureError::DigestMismatch { .. } => ErrorCode::DigestMismatch,
            SignatureError::Missing { .. } => ErrorCode::SignatureMissing,
            SignatureError::Ambiguous { .. } => ErrorCode::SignatureAmbiguous,
            SignatureError::ReferenceMismatch { .. } => ErrorCode::ReferenceMismatch,
            SignatureError::DuplicateId { .. } => ErrorCode::DuplicateId,
            SignatureError::KeyNotFound { .. } => ErrorCode::KeyNotFound,
            SignatureError::Malformed { .. } => ErrorCode::SignatureMalformed,
            SignatureError::XadesPropertiesInvalid { .. } => ErrorCode::XadesPropertiesInvalid,
            SignatureError::SigningCertificateMismatch { .. } => {
                ErrorCode::SigningCertificateMismatch
            }
            SignatureError::SigningTimeInvalid { .. } => ErrorCode::SigningTimeInvalid,
            SignatureError::AlreadySigned => ErrorCode::AlreadySigned,
            SignatureError::UnsignedContent { .. } => ErrorCode::UnsignedContent,
            SignatureError::TimestampRejected { .. } => ErrorCode::TimestampRejected,
            SignatureError::TimestampMismatch { .. } => ErrorCode::TimestampMismatch,
            SignatureError::TsaCertificateInvalid { .. } => ErrorCode::TsaCertificateInvalid,
        }
    }
}

impl fmt::Display for SignatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureError::Invalid { detail } => write!(f, "invalid signature: {detail}"),
            SignatureError::DigestMismatch { uri } => {
                write!(f, "digest mismatch for reference URI=\"{uri}\"")
            }
            SignatureError::Missing { detail } => write!(f, "no signature: {detail}"),
            SignatureError::Ambiguous { count } => {
                write!(f, "expected one signature, found {count}")
            }
            SignatureError::ReferenceMismatch { detail } => {
                write!(f, "signature does not cover the expected element: {detail}")
            }
            SignatureError::DuplicateId { id } => write!(f, "duplicate ID `{id}` in the document"),
            SignatureError::KeyNotFound { detail } => write!(f, "no key to verify with: {detail}"),
            SignatureError::Malformed { detail } => write!(f, "malformed signature: {detail}"),
            SignatureError::XadesPropertiesInvalid { detail } => {
                write!(f, "invalid XAdES signed properties: {detail}")
            }
            SignatureError::SigningCertificateMismatch { detail } => {
                write!(
                    f,
                    "XAdES SigningCertificate does not match the signer: {detail}"
                )
            }
            SignatureError::SigningTimeInvalid { detail } => {
                write!(f, "invalid signing time: {detail}")
            }
            SignatureError::AlreadySigned => f.write_str(
                "the document is already signed (co-signing must be requested explicitly)",
            ),
            SignatureError::UnsignedContent { detail } => {
                write!(f, "unsigned content in the signature: {detail}")
            }
            SignatureError::TimestampRejected {
                status,
                fail_info,
                text,
            } => {
                write!(f, "the TSA refused the time-stamp request (status {status}")?;
                if !fail_info.is_empty() {
                    write!(f, "; failure: {}", fail_info.join(", "))?;
                }
                f.write_str(")")?;
                if !text.is_empty() {
                    write!(f, ": {text}")?;
                }
                Ok(())
            }
            SignatureError::TimestampMismatch { detail } => {
                write!(f, "the time-stamp does not match: {detail}")
            }
            SignatureError::TsaCertificateInvalid { subject, detail } => {
                write!(
                    f,
                    "`{subject}` is not a time-stamping certificate: {detail}"
                )
            }
        }
    }
}
