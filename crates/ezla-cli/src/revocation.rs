//! `--crl FILE` and `--crl-fetch`: revocation checking for `ezla verify`, `ezla cms verify`
//! and `ezla cert check`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use ezla::error::ErrorFamily;
use ezla::revocation::{
    CrlSource, JudgedBy, RevocationChecker, RevocationReport, RevocationStatus,
};
use ezla::transport::{TransportConfig, UreqTransport};
use ezla::{Error, ErrorCode, Result};

use crate::files::read_file;

/// The revocation options.
#[derive(Args, Debug, Clone, Default)]
pub(crate) struct RevocationArgs {
    /// Check the certificate against this CRL of its issuer (DER or PEM; repeatable; the
    /// newest of the issuer's is used). A CRL that is out of date, another issuer's or badly
    /// signed cannot decide (exit 3).
    #[arg(long, value_name = "FILE")]
    pub(crate) crl: Vec<PathBuf>,
    /// Fetch the issuer's CRL from the certificate's distribution point (http or https)
    /// when no `--crl` is its issuer's; it is kept until its nextUpdate for the other
    /// certificates of the run.
    #[arg(long)]
    pub(crate) crl_fetch: bool,
    /// For an https distribution point: trust this CA (PEM) for the server's certificate
    /// instead of the system roots.
    #[arg(long, value_name = "FILE", requires = "crl_fetch")]
    pub(crate) crl_ca: Option<PathBuf>,
    /// Seconds to wait for the distribution point.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub(crate) crl_timeout: u64,
}

impl RevocationArgs {
    /// Whether any revocation checking was asked for.
    pub(crate) fn asked(&self) -> bool {
        !self.crl.is_empty() || self.crl_fetch
    }

    /// The checker, `None` when neither `--crl` nor `--crl-fetch` is given.
    pub(crate) fn checker(&self) -> Result<Option<Arc<RevocationChecker>>> {
        if !self.asked() {
            return Ok(None);
        }
        let mut checker = RevocationChecker::new();
        for path in &self.crl {
            checker = checker.with_crl_file(path)?;
        }
        if self.crl_fetch {
            let mut t = TransportConfig::builder()
                .response_timeout(Duration::from_secs(self.crl_timeout.max(1)))
                .max_response_size(ezla::revocation::MAX_CRL_SIZE);
            if let Some(ca) = &self.crl_ca {
                t = t.trust_pem(&read_file(ca)?);
            }
            checker = checker.with_fetching(Arc::new(UreqTransport::new(t.build()?)?));
        }
        Ok(Some(Arc::new(checker)))
    }

    /// [`RevocationArgs::checker`] for a verification with (`trusted`) or without trust
    /// anchors: without them no issuer verifies the CRL, so asking is a usage error.
    pub(crate) fn checker_for(&self, trusted: bool) -> Result<Option<Arc<RevocationChecker>>> {
        if self.asked() && !trusted {
            return Err(Error::invalid_argument(
                "--crl",
                "revocation checking needs --trust (the issuer's certificate verifies the CRL)",
            ));
        }
        self.checker()
    }
}

/// How a failed verification is told and what it exits with: `INVALID` and 1 for a negative
/// verdict; `UNKNOWN` and 3 when revocation could not be judged (a CRL that cannot be had or
/// trusted), which is no verdict on the signature.
pub(crate) fn failure(e: &Error) -> (&'static str, u8) {
    if could_not_judge(e) {
        ("UNKNOWN", crate::exit::ERROR)
    } else {
        ("INVALID", crate::exit::NEGATIVE)
    }
}

/// Whether a verification failure means revocation could not be judged.
fn could_not_judge(e: &Error) -> bool {
    matches!(
        e.code(),
        ErrorCode::CrlIssuerMismatch
            | ErrorCode::CrlSignatureInvalid
            | ErrorCode::CrlExpired
            | ErrorCode::CrlNotYetValid
            | ErrorCode::RevocationUnknown
    ) || e.code().family() == ErrorFamily::Io
}

/// The report's one line: `not revoked (...)` or `REVOKED later (...)`.
pub(crate) fn line(r: &RevocationReport) -> String {
    let source = match &r.source {
        CrlSource::Given(path) => format!("file {path}"),
        CrlSource::Fetched(url) => format!("fetched from {url}"),
        CrlSource::Cached(url) => format!("{url}, cached"),
        other => format!("{other}"),
    };
    let crl = format!(
        "CRL {}issued {} by {}, next update {}, {source}",
        r.crl_number
            .as_deref()
            .map(|n| format!("no. {n} "))
            .unwrap_or_default(),
        r.crl_this_update,
        r.crl_issuer,
        r.crl_next_update.as_deref().unwrap_or("-"),
    );
    let judged = format!("judged at {} ({})", r.judged_at, judged_by(r));
    match &r.status {
        RevocationStatus::Good => format!("not revoked; {judged}; {crl}"),
        RevocationStatus::RevokedLater { revoked_at, reason } => format!(
            "REVOKED at {revoked_at}{}, AFTER the instant judged, so the signature stands; {judged}; {crl}",
            reason
                .as_deref()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default()
        ),
        other => format!("{other:?}; {judged}; {crl}"),
    }
}

fn judged_by(r: &RevocationReport) -> &'static str {
    match r.judged_by {
        JudgedBy::TimeStamp => "the trusted time-stamp",
        JudgedBy::Requested => "--at",
        _ => "now",
    }
}
