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
    /// The certificate is on its issuer's CRL with a revocation time at or before the
    /// instant judged.
    Revoked {
        /// The certificate's subject (RFC 4514).
        subject: String,
        /// Its serial number (upper-case hex).
        serial: String,
        /// When it was revoked, as the CRL says.
        revoked_at: OffsetDateTime,
        /// The CRL reason (RFC 5280 name, e.g. `keyCompromise`), when the CRL gives one.
        reason: Option<String>,
        /// The instant judged (a trusted time-stamp's, the caller's, or the verification time).
        at: OffsetDateTime,
    },
    /// A CRL was given for the certificate but names another issuer.
    CrlIssuerMismatch {
        /// The certificate's subject (RFC 4514).
        subject: String,
        /// The certificate's issuer (RFC 4514).
        expected: String,
        /// The CRL's issuer (RFC 4514).
        found: String,
    },
    /// A CRL's signature does not verify with its issuer's key, or the issuer may not sign
    /// CRLs (no `cRLSign` key usage).
    CrlSignatureInvalid {
        /// The CRL's issuer (RFC 4514).
        subject: String,
        /// Why.
        detail: String,
    },
    /// A CRL's `nextUpdate` has passed.
    CrlExpired {
        /// The CRL's issuer (RFC 4514).
        subject: String,
        /// The CRL's `nextUpdate`.
        next_update: OffsetDateTime,
        /// The instant it was checked at.
        at: OffsetDateTime,
    },
    /// A CRL's `thisUpdate` lies after the instant it was checked at.
    CrlNotYetValid {
        /// The CRL's issuer (RFC 4514).
        subject: String,
        /// The CRL's `thisUpdate`.
        this_update: OffsetDateTime,
        /// The instant it was checked at.
        at: OffsetDateTime,
    },
    /// Revocation checking was asked for but no CRL covers the certificate.
    RevocationUnknown {
        /// The certificate's subject (RFC 4514).
        subject: String,
        /// Why (no CRL of its issuer given, no distribution point, ...).
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
            CertificateError::Revoked { .. } => ErrorCode::CertificateRevoked,
            CertificateError::CrlIssuerMismatch { .. } => ErrorCode::CrlIssuerMismatch,
            CertificateError::CrlSignatureInvalid { .. } => ErrorCode::CrlSignatureInvalid,
            CertificateError::CrlExpired { .. } => ErrorCode::CrlExpired,
            CertificateError::CrlNotYetValid { .. } => ErrorCode::CrlNotYetValid,
            CertificateError::RevocationUnknown { .. } => ErrorCode::RevocationUnknown,
        }
    }

    /// The subject (RFC 4514) of the certificate concerned (for the CRL errors, the CRL's
    /// issuer, except [`CertificateError::CrlIssuerMismatch`], which names the certificate).
    pub fn subject(&self) -> &str {
        match self {
            CertificateError::Expired { subject, .. }
            | CertificateError::NotYetValid { subject, .. }
            | CertificateError::Untrusted { subject, .. }
            | CertificateError::ChainInvalid { subject, .. }
            | CertificateError::UnknownCriticalExtension { subject, .. }
            | CertificateError::KeyUsage { subject, .. }
            | CertificateError::Revoked { subject, .. }
            | CertificateError::CrlIssuerMismatch { subject, .. }
            | CertificateError::CrlSignatureInvalid { subject, .. }
            | CertificateError::CrlExpired { subject, .. }
            | CertificateError::CrlNotYetValid { subject, .. }
            | CertificateError::RevocationUnknown { subject, .. } => subject,
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
            CertificateError::Revoked {
                subject,
                serial,
                revoked_at,
                reason,
                at,
            } => {
                write!(
                    f,
                    "certificate `{subject}` (serial {serial}) was revoked at {}",
                    fmt_time(revoked_at)
                )?;
                if let Some(reason) = reason {
                    write!(f, " ({reason})")?;
                }
                write!(f, ", before the instant judged, {}", fmt_time(at))
            }
            CertificateError::CrlIssuerMismatch {
                subject,
                expected,
                found,
            } => write!(
                f,
                "the CRL for certificate `{subject}` is issued by `{found}`, not by its issuer `{expected}`"
            ),
            CertificateError::CrlSignatureInvalid { subject, detail } => {
                write!(f, "the CRL of `{subject}` cannot be trusted: {detail}")
            }
            CertificateError::CrlExpired {
                subject,
                next_update,
                at,
            } => write!(
                f,
                "the CRL of `{subject}` is out of date: its nextUpdate was {} (checked at {}); fetch a newer one",
                fmt_time(next_update),
                fmt_time(at)
            ),
            CertificateError::CrlNotYetValid {
                subject,
                this_update,
                at,
            } => write!(
                f,
                "the CRL of `{subject}` is not valid before {} (checked at {})",
                fmt_time(this_update),
                fmt_time(at)
            ),
            CertificateError::RevocationUnknown { subject, detail } => write!(
                f,
                "the revocation status of certificate `{subject}` is unknown: {detail}"
            ),
        }
    }
}
