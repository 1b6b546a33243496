//! Certificates and their validity: expiry, trust, chains, extensions (codes 300–399).

use std::fmt;

use time::OffsetDateTime;

use super::{ErrorCode, fmt_time};

/// A certificate that cannot be used. Every variant names the certificate by its subject
/// (RFC 4514), also available as [`CertificateError::subject`].
#[derive(Debug)]
#[non_exhaustive]
pub enum CertificateError {
    /// The certificate expired before the instant of use.
    Expired {
        /// The certificate's subject (RFC 4514).
        subject: String,
        /// End of its validity.
        not_after: OffsetDateTime,
        /// The instant it was checked at.
        at: OffsetDateTime,
    },
    /// The certificate is not valid yet at the instant of use.
    NotYetValid {
        /// The certificate's subject (RFC 4514).
        subject: String,
        /// Start of its validity.
        not_before: OffsetDateTime,
        /// The instant it was checked at.
        at: OffsetDateTime,
    },
    /// No path leads from the certificate to a trust anchor.
    Untrusted {
        /// The certificate's subject (RFC 4514).
        subject: String,
        /// Why.
        detail: String,
    },
    /// A certificate in the chain is unusable (a broken signature, a non-CA issuer, a path
    /// length exceeded).
    ChainInvalid {
        /// The certificate's subject (RFC 4514).
        subject: String,
        /// Why.
        detail: String,
    },
    /// The certificate has a critical extension ezla does not understand.
    UnknownCriticalExtension {
        /// The certificate's subject (RFC 4514).
        subject: String,
        /// The extension's OID.
        oid: String,
    },
    /// The certificate's key usage does not allow this use.
    KeyUsage {
        /// The certificate's subject (RFC 4514).
        subject: String,
        /// What was needed and what the certificate allows.
        detail: String,
    },
}

impl CertificateError {
    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            CertificateError::Expired { .. } => ErrorCode::CertificateExpired,
            CertificateError::NotYetValid { .. } => ErrorCode::CertificateNotYetValid,
            CertificateError::Untrusted { .. } => ErrorCode::CertificateUntrusted,
            CertificateError::ChainInvalid { .. } => ErrorCode::CertificateChainInvalid,
            CertificateError::UnknownCriticalExtension { .. } => {
                ErrorCode::UnknownCriticalExtension
            }
            CertificateError::KeyUsage { .. } => ErrorCode::CertificateKeyUsage,
        }
    }

    /// The subject (RFC 4514) of the certificate concerned.
    pub fn subject(&self) -> &str {
        match self {
            CertificateError::Expired { subject, .. }
            | CertificateError::NotYetValid { subject, .. }
            | CertificateError::Untrusted { subject, .. }
            | CertificateError::ChainInvalid { subject, .. }
            | CertificateError::UnknownCriticalExtension { subject, .. }
            | CertificateError::KeyUsage { subject, .. } => subject,
        }
    }
}

impl fmt::Display for CertificateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CertificateError::Expired {
                subject,
                not_after,
                at,
            } => write!(
                f,
                "certificate `{subject}` expired at {} (checked at {})",
                fmt_time(not_after),
                fmt_time(at)
            ),
            CertificateError::NotYetValid {
                subject,
                not_before,
                at,
            } => write!(
                f,
                "certificate `{subject}` is not valid before {} (checked at {})",
                fmt_time(not_before),
                fmt_time(at)
            ),
            CertificateError::Untrusted { subject, detail } => {
                write!(f, "certificate `{subject}` is not trusted: {detail}")
            }
            CertificateError::ChainInvalid { subject, detail } => {
                write!(f, "invalid certificate chain at `{subject}`: {detail}")
            }
            CertificateError::UnknownCriticalExtension { subject, oid } => write!(
                f,
                "certificate `{subject}` has an unknown critical extension {oid}"
            ),
            CertificateError::KeyUsage { subject, detail } => {
                write!(f, "certificate `{subject}` may not be used here: {detail}")
            }
        }
    }
}
