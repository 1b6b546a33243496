//! Revocation checking with CRLs: is a signer's certificate on its issuer's CRL at the
//! instant that matters?
//!
//! A [`RevocationChecker`] holds the CRLs it was given (files read by the caller) and, when
//! asked to, fetches the CRL named by a certificate's distribution point through
//! [`crate::transport`], keeping it until its `nextUpdate`. XAdES and CMS verification take
//! one in their options and put its [`RevocationReport`] into theirs.
//!
//! The rules:
//!
//! - The CRL must be the certificate's issuer's: same name, key identifiers agreeing, signed
//!   with the issuer's key, which must allow `cRLSign` — else
//!   [`CertificateError::CrlIssuerMismatch`] / [`CertificateError::CrlSignatureInvalid`].
//! - It must be current when the check is made (`thisUpdate` ≤ now + 5 minutes of clock skew,
//!   now ≤ `nextUpdate`; now, or
//!   the instant the caller asks for when that is later) — else
//!   [`CertificateError::CrlNotYetValid`] / [`CertificateError::CrlExpired`].
//! - The certificate is judged at the instant the verification judges it: a trusted
//!   time-stamp's, the caller's, else now — never the signer's claimed `SigningTime`,
//!   which whoever holds a stolen key can backdate. Listed with a revocation time at or
//!   before that instant: [`CertificateError::Revoked`], with the time and reason. Listed
//!   with a later revocation time (a signature time-stamped before the revocation): it
//!   passes, and the report says so ([`RevocationStatus::RevokedLater`]).
//! - With no CRL for the issuer and nothing to fetch: [`CertificateError::RevocationUnknown`].
//!
//! Only the signer's certificate is checked (not the CAs above it: ZUS's CA and the
//! simulator's are direct roots).

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use time::OffsetDateTime;

use crate::error::{CertificateError, FormatError, TransportError};
use crate::pki::Certificate;
use crate::pki::crl::Crl;
use crate::pki::monitor::{CertificateSummary, Revocation, SummaryEntry};
use crate::transport::Transport;
use crate::xml::datetime;
use crate::{Error, Result};

/// Where a CRL came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "location", rename_all = "snake_case")]
#[non_exhaustive]
pub enum CrlSource {
    /// Given by the caller (a file, named by its path, or bytes with a label).
    Given(String),
    /// Fetched from the certificate's distribution point (this URL).
    Fetched(String),
    /// Fetched earlier from this URL and still current (`nextUpdate` not passed).
    Cached(String),
}

impl std::fmt::Display for CrlSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CrlSource::Given(s) => write!(f, "{s}"),
            CrlSource::Fetched(u) => write!(f, "{u} (fetched)"),
            CrlSource::Cached(u) => write!(f, "{u} (cached)"),
        }
    }
}

/// What the CRL says of the certificate at the instant judged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
#[non_exhaustive]
pub enum RevocationStatus {
    /// Not on the CRL.
    Good,
    /// On the CRL, but revoked after the instant judged: a signature time-stamped before
    /// the revocation stands.
    RevokedLater {
        /// When it was revoked (RFC 3339).
        revoked_at: String,
        /// The CRL reason (RFC 5280 name), when given.
        reason: Option<String>,
    },
}

/// Why a certificate is judged at the instant it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum JudgedBy {
    /// The earliest trusted time-stamp on the signature.
    TimeStamp,
    /// The instant the caller asked for.
    Requested,
    /// The time of verification (now).
    VerificationTime,
}

impl JudgedBy {
    /// `time_stamp`, `requested` or `verification_time`.
    pub fn name(self) -> &'static str {
        match self {
            JudgedBy::TimeStamp => "time_stamp",
            JudgedBy::Requested => "requested",
            JudgedBy::VerificationTime => "verification_time",
        }
    }
}

/// The outcome of a revocation check that passed: which CRL, and what it said.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RevocationReport {
    /// What the CRL says.
    #[serde(flatten)]
    pub status: RevocationStatus,
    /// Where the CRL came from.
    pub source: CrlSource,
    /// The CRL's issuer (RFC 4514).
    pub crl_issuer: String,
    /// When the CRL was issued (RFC 3339).
    pub crl_this_update: String,
    /// When the next CRL is due (RFC 3339), when the CRL says.
    pub crl_next_update: Option<String>,
    /// The CRL number (hex), when present.
    pub crl_number: Option<String>,
    /// The instant the certificate was judged at (RFC 3339).
    pub judged_at: String,
    /// Why that instant.
    pub judged_by: JudgedBy,
    /// The instant the CRL's currency was checked at (RFC 3339).
    pub checked_at: String,
}

impl RevocationReport {
    /// Whether the certificate is on the CRL at all (revoked after the instant judged).
    pub fn revoked_later(&self) -> bool {
        matches!(self.status, RevocationStatus::RevokedLater { .. })
    }
}

/// How far a CRL's `thisUpdate` may lie after the instant it is checked at: 5 minutes, the
/// clock skew allowed for a `SigningTime` too.
pub const CRL_CLOCK_SKEW: time::Duration = time::Duration::minutes(5);

/// The largest CRL fetched (a CRL of a CA with many certificates is some MiB).
pub const MAX_CRL_SIZE: u64 = 32 * 1024 * 1024;

/// CRLs to check certificates against: given ones, and optionally fetched ones.
///
/// Cheap to share (`Arc`) between verifications and threads; the cache of fetched CRLs
/// is shared by all of them.
pub struct RevocationChecker {
    given: Vec<(Crl, String)>,
    transport: Option<Arc<dyn Transport>>,
    /// Fetched CRLs by distribution point URL, while current.
    cache: Mutex<HashMap<String, Crl>>,
}

impl std::fmt::Debug for RevocationChecker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RevocationChecker")
            .field(
                "given",
                &self
                    .given
                    .iter()
                    .map(|(_, s)| s.as_str())
                    .collect::<Vec<_>>(),
            )
            .field("fetches", &self.transport.is_some())
            .finish_non_exhaustive()
    }
}

impl Default for RevocationChecker {
    fn default() -> Self {
        Self::new()
    }
}

impl RevocationChecker {
    /// A checker with no CRL yet: add some ([`RevocationChecker::with_crl`],
    /// [`RevocationChecker::with_crl_file`]) or let it fetch
    /// ([`RevocationChecker::with_fetching`]).
    pub fn new() -> Self {
        RevocationChecker {
            given: Vec::new(),
            transport: None,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// Adds a CRL, labelled `source` in reports (a file name, say).
    pub fn with_crl(mut self, crl: Crl, source: impl Into<String>) -> Self {
        self.given.push((crl, source.into()));
        self
    }

    /// Reads a CRL file (DER or PEM) and adds it, labelled with its path.
    pub fn with_crl_file(self, path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let crl = Crl::parse(&bytes).map_err(|e| naming(e, &path.display().to_string()))?;
        Ok(self.with_crl(crl, path.display().to_string()))
    }

    /// Fetches the CRL of a certificate's distribution point (`http` or `https`) through
    /// `transport` when no given CRL is its issuer's, and keeps it until its `nextUpdate`.
    pub fn with_fetching(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Whether this checker fetches CRLs.
    pub fn fetches(&self) -> bool {
        self.transport.is_some()
    }

    /// The CRLs given.
    pub fn given(&self) -> impl Iterator<Item = (&Crl, &str)> {
        self.given.iter().map(|(c, s)| (c, s.as_str()))
    }

    /// Checks `certificate`, issued by `issuer` (the next certificate of its validated
    /// path), at instant `judged_at` (chosen for `judged_by`); the CRL must be current at
    /// `checked_at` (normally now).
    ///
    /// Errors: [`CertificateError::Revoked`] when the certificate was revoked at or before
    /// `judged_at`; the CRL errors of the module documentation; the transport's, and
    /// [`TransportError::HttpStatus`] for a distribution point that does not answer 200.
    pub fn check(
        &self,
        certificate: &Certificate,
        issuer: &Certificate,
        judged_at: OffsetDateTime,
        judged_by: JudgedBy,
        checked_at: OffsetDateTime,
    ) -> Result<RevocationReport> {
        let (crl, source) = self.crl_for(certificate, issuer, checked_at)?;
        let status = match crl.entry_for(certificate) {
            None => RevocationStatus::Good,
            Some(entry) if entry.revoked_at <= judged_at => {
                return Err(Error::Certificate(CertificateError::Revoked {
                    subject: certificate.subject().to_rfc4514(),
                    serial: certificate.serial_hex(),
                    revoked_at: entry.revoked_at,
                    reason: entry.reason.map(|r| r.name().to_string()),
                    at: judged_at,
                }));
            }
            Some(entry) => RevocationStatus::RevokedLater {
                revoked_at: datetime::format(entry.revoked_at),
                reason: entry.reason.map(|r| r.name().to_string()),
            },
        };
        Ok(RevocationReport {
            status,
            source,
            crl_issuer: crl.issuer().to_rfc4514(),
            crl_this_update: datetime::format(crl.this_update()),
            crl_next_update: crl.next_update().map(datetime::format),
            crl_number: crl.number_hex(),
            judged_at: datetime::format(judged_at),
            judged_by,
            checked_at: datetime::format(checked_at),
        })
    }

    /// [`RevocationChecker::check`] for a verified signer: `chain` is the validated path
    /// above it (nearest first), whose first certificate is the issuer.
    pub(crate) fn check_signer(
        &self,
        cert: &Certificate,
        chain: &[Certificate],
        judged_at: OffsetDateTime,
        judged_by: JudgedBy,
        checked_at: OffsetDateTime,
    ) -> Result<RevocationReport> {
        let issuer = chain.first().ok_or_else(|| {
            Error::Certificate(CertificateError::RevocationUnknown {
                subject: cert.subject().to_rfc4514(),
                detail: "revocation checking needs the issuer's certificate: verify with trust \
                         anchors, not a pinned certificate or none"
                    .into(),
            })
        })?;
        self.check(cert, issuer, judged_at, judged_by, checked_at)
    }

    /// The CRL that speaks for `certificate`: the newest given one of its issuer, else one
    /// fetched (or cached) from its distribution points; judged before it is returned.
    fn crl_for(
        &self,
        certificate: &Certificate,
        issuer: &Certificate,
        checked_at: OffsetDateTime,
    ) -> Result<(Crl, CrlSource)> {
        let subject = || certificate.subject().to_rfc4514();
        let mut mine: Vec<&(Crl, String)> = self
            .given
            .iter()
            .filter(|(c, _)| c.issuer().matches(certificate.issuer()))
            .collect();
        // The newest: by thisUpdate, then (CRLs of the same second) by CRL number.
        mine.sort_by(|(a, _), (b, _)| {
            let number = |c: &Crl| {
                let n = c.number().unwrap_or_default();
                let digits = n.iter().position(|&d| d != 0).map_or(&[][..], |i| &n[i..]);
                (digits.len(), digits.to_vec())
            };
            (b.this_update(), number(b)).cmp(&(a.this_update(), number(a)))
        });
        // Another issuer's CRL, named from the certificate's side.
        let mismatch = |crl: &Crl| {
            Error::Certificate(CertificateError::CrlIssuerMismatch {
                subject: subject(),
                expected: certificate.issuer().to_rfc4514(),
                found: crl.issuer().to_rfc4514(),
            })
        };
        // The issuer's key signed it, and it is current.
        let judge = |crl: &Crl| {
            crl.check_issued_by(issuer)?;
            crl.check_current_with_skew(checked_at, CRL_CLOCK_SKEW)
        };
        if let Some((crl, source)) = mine.first() {
            judge(crl)?;
            return Ok((crl.clone(), CrlSource::Given(source.clone())));
        }
        let Some(transport) = &self.transport else {
            if let Some((other, _)) = self.given.first() {
                return Err(mismatch(other));
            }
            return Err(Error::Certificate(CertificateError::RevocationUnknown {
                subject: subject(),
                detail: "no CRL was given and fetching is off".into(),
            }));
        };
        let urls: Vec<&String> = certificate
            .crl_distribution_points()
            .iter()
            .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
            .collect();
        if urls.is_empty() {
            return Err(Error::Certificate(CertificateError::RevocationUnknown {
                subject: subject(),
                detail:
                    "it names no http(s) CRL distribution point, and no CRL of its issuer was given"
                        .into(),
            }));
        }
        let mut first_error = None;
        for url in urls {
            if let Some(crl) = self.cached(url, issuer, checked_at) {
                return Ok((crl, CrlSource::Cached(url.clone())));
            }
            match fetch(transport.as_ref(), url).and_then(|crl| {
                if !crl.issuer().matches(certificate.issuer()) {
                    return Err(mismatch(&crl));
                }
                judge(&crl)?;
                Ok(crl)
            }) {
                Ok(crl) => {
                    self.remember(url, &crl);
                    return Ok((crl, CrlSource::Fetched(url.clone())));
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        Err(first_error.unwrap_or_else(|| Error::internal("no distribution point tried")))
    }

    fn cached(&self, url: &str, issuer: &Certificate, at: OffsetDateTime) -> Option<Crl> {
        let cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        let crl = cache.get(url)?;
        // Kept only while current, and only for the issuer it was judged for.
        (crl.check_current_with_skew(at, CRL_CLOCK_SKEW).is_ok()
            && crl.issuer().matches(issuer.subject()))
        .then(|| crl.clone())
    }

    fn remember(&self, url: &str, crl: &Crl) {
        // Without a nextUpdate there is no telling how long it holds: not cached.
        if crl.next_update().is_none() {
            return;
        }
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        cache.insert(url.to_string(), crl.clone());
    }
}

/// Revocation checking for the monitoring summary (`ezla cert check --crl-fetch`).
impl CertificateSummary {
    /// Checks every certificate row for revocation with `checker`, at the summary's instant
    /// (the CRL must be current now, or at that instant when it is later), and records the
    /// outcome in its [`revocation`](crate::pki::monitor::CertificateRow::revocation): not revoked, revoked
    /// (CRITICAL), or unknown (UNKNOWN) with the error that kept it from being told.
    ///
    /// The issuer that verifies the CRL is looked for among `issuers`, the `.pfx` chains
    /// ([`CertificateSummary::chain_certificates`]) and the other certificates of the
    /// summary: one whose subject is the row's issuer and whose key verifies the row's
    /// certificate. Self-issued (root) certificates are not checked: no CRL speaks for a trust
    /// anchor.
    pub fn check_revocation(&mut self, checker: &RevocationChecker, issuers: &[Certificate]) {
        let now = OffsetDateTime::now_utc();
        let at = self.at();
        let mut candidates: Vec<Certificate> = issuers.to_vec();
        candidates.extend(self.chain_certificates().iter().cloned());
        candidates.extend(self.certificates().map(|r| r.certificate.clone()));
        for entry in self.entries_mut() {
            let SummaryEntry::Certificate(row) = entry else {
                continue;
            };
            let cert = &row.certificate;
            // A self-issued (root) certificate is a trust anchor: no CRL speaks for it.
            if cert.is_self_issued() {
                continue;
            }
            let issuer = candidates.iter().find(|c| {
                c != &cert
                    && c.subject().matches(cert.issuer())
                    && cert.verify_signature(c.public_key()).is_ok()
            });
            let outcome = match issuer {
                None => Err(Error::Certificate(CertificateError::RevocationUnknown {
                    subject: cert.subject().to_rfc4514(),
                    detail: format!(
                        "its issuer's certificate `{}` is not at hand (give it with the \
                         files or as an issuer)",
                        cert.issuer().to_rfc4514()
                    ),
                })),
                // The summary's instant (only the verdict is kept, not why that instant).
                Some(issuer) => checker.check(cert, issuer, at, JudgedBy::Requested, at.max(now)),
            };
            row.revocation = Some(match outcome {
                Ok(report) => Revocation::NotRevoked {
                    list_issued: datetime::parse(&report.crl_this_update).unwrap_or(at),
                },
                Err(Error::Certificate(CertificateError::Revoked {
                    revoked_at, reason, ..
                })) => Revocation::Revoked { revoked_at, reason },
                Err(e) => Revocation::Unknown {
                    code: e.code(),
                    message: e.to_string(),
                },
            });
        }
    }
}

/// GETs and parses the CRL at `url`.
fn fetch(transport: &dyn Transport, url: &str) -> Result<Crl> {
    let response = transport.get(url)?;
    if response.status != 200 {
        return Err(Error::Transport(TransportError::http_status(
            url,
            response.status,
            &response.body,
        )));
    }
    if response.body.len() as u64 > MAX_CRL_SIZE {
        return Err(Error::Transport(TransportError::ResponseTooLarge {
            url: url.to_string(),
            limit: MAX_CRL_SIZE,
        }));
    }
    Crl::parse(&response.body).map_err(|e| naming(e, url))
}

/// A parse error that names where the CRL came from.
fn naming(e: Error, source: &str) -> Error {
    match e {
        Error::Format(FormatError::Malformed {
            format,
            what,
            detail,
        }) => Error::Format(FormatError::Malformed {
            format,
            what: format!("{what} from {source}"),
            detail,
        }),
        other => other,
    }
}

#[cfg(test)]
mod tests;
