//! Watching a clinic's certificates: one summary over many sources (files, say), judged
//! against an [`ExpiryPolicy`] at one instant, with the verdict of a monitoring plugin and
//! the outputs monitoring systems read.
//!
//! A [`CertificateSummary`] holds one [`SummaryEntry`] per certificate (with its source
//! label, subject, PESEL, serial, `notAfter`, days left and [`ExpiryStatus`]) and one per
//! source that could not be read (with its error code and message). Its
//! [`worst`](CertificateSummary::worst) status is what Nagios, Icinga and Zabbix expect
//! from a check plugin ([`MonitorStatus`]): OK, WARNING, CRITICAL, UNKNOWN, exit codes 0–3,
//! CRITICAL winning over UNKNOWN and UNKNOWN over WARNING, so that an expired certificate
//! pages someone even when another file could not be read.
//!
//! The renderers are pure: [`to_json`](CertificateSummary::to_json),
//! [`to_table`](CertificateSummary::to_table) and
//! [`to_prometheus`](CertificateSummary::to_prometheus) (the text exposition format, for
//! node_exporter's textfile collector).
//!
//! The summary itself is pure: add certificates with [`add`](CertificateSummary::add), the
//! bytes of a certificate file or `.pfx` with
//! [`add_contents`](CertificateSummary::add_contents), failures with
//! [`add_unreadable`](CertificateSummary::add_unreadable). For callers holding paths,
//! [`certificate_files`] lists directories (the module's only I/O besides
//! [`add_paths`](CertificateSummary::add_paths), which reads the files it lists).
//!
//! ```
//! use ezla::pki::monitor::{CertificateSummary, MonitorStatus};
//! use ezla::pki::testca::{DoctorSpec, TestCa};
//! use ezla::pki::ExpiryPolicy;
//!
//! # fn main() -> ezla::Result<()> {
//! let now = time::OffsetDateTime::now_utc();
//! let ca = TestCa::generate("ezla doc test CA", now, 3650)?;
//! // Valid for five years from a minute ago.
//! let doctor = ca.issue_doctor(&DoctorSpec::new("Jan", "Kowalski", "44051401359".parse()?))?;
//!
//! let mut summary = CertificateSummary::new(ExpiryPolicy::ZUS, now);
//! summary.add("kowalski.pfx", doctor.certificate.clone());
//! summary.add_unreadable("nowak.pfx", &ezla::Error::internal("simulated"));
//! assert_eq!(summary.worst(), MonitorStatus::Unknown);
//! assert_eq!(summary.exit_code(), 3);
//! assert!(summary.to_prometheus().contains("ezla_certificate_days_left{file=\"kowalski.pfx\""));
//! # Ok(()) }
//! ```

use std::collections::HashSet;
use std::fmt::{self, Write as _};
use std::io::Read as _;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::error::{Error, ErrorCode, FormatError, KeyError};
use crate::pki::{
    Certificate, ExpiryPolicy, ExpiryStatus, Identity, InputKind, Pkcs12, Pkcs12Options,
};

/// The verdict of a monitoring check plugin, in the order of their exit codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MonitorStatus {
    /// Every certificate valid (exit code 0).
    Ok,
    /// A certificate in the renewal window or expiring (exit code 1).
    Warning,
    /// A certificate expired, not yet valid or revoked (exit code 2).
    Critical,
    /// A source could not be read (exit code 3).
    Unknown,
}

impl MonitorStatus {
    /// The exit code of a monitoring plugin: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
    pub const fn exit_code(self) -> u8 {
        match self {
            MonitorStatus::Ok => 0,
            MonitorStatus::Warning => 1,
            MonitorStatus::Critical => 2,
            MonitorStatus::Unknown => 3,
        }
    }

    /// The plugin's word: `OK`, `WARNING`, `CRITICAL`, `UNKNOWN`.
    pub const fn name(self) -> &'static str {
        match self {
            MonitorStatus::Ok => "OK",
            MonitorStatus::Warning => "WARNING",
            MonitorStatus::Critical => "CRITICAL",
            MonitorStatus::Unknown => "UNKNOWN",
        }
    }

    /// How urgent: CRITICAL before UNKNOWN before WARNING before OK.
    const fn urgency(self) -> u8 {
        match self {
            MonitorStatus::Ok => 0,
            MonitorStatus::Warning => 1,
            MonitorStatus::Unknown => 2,
            MonitorStatus::Critical => 3,
        }
    }

    /// The more urgent of two statuses.
    pub const fn most_urgent(self, other: MonitorStatus) -> MonitorStatus {
        if other.urgency() > self.urgency() {
            other
        } else {
            self
        }
    }

    /// The status for one certificate's expiry status: valid is OK, the renewal window and
    /// expiring are WARNING, expired and not yet valid are CRITICAL.
    pub const fn for_expiry(status: &ExpiryStatus) -> MonitorStatus {
        match status {
            ExpiryStatus::Valid { .. } => MonitorStatus::Ok,
            ExpiryStatus::RenewalWindow { .. } | ExpiryStatus::Expiring { .. } => {
                MonitorStatus::Warning
            }
            ExpiryStatus::NotYetValid { .. } | ExpiryStatus::Expired { .. } => {
                MonitorStatus::Critical
            }
        }
    }
}

impl fmt::Display for MonitorStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a revocation check found for a certificate of the summary, when one was made (see
/// [`CertificateRow::revocation`]). The summary makes none itself.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Revocation {
    /// Not on the revocation list consulted.
    NotRevoked {
        /// When the list consulted was issued (its `thisUpdate`).
        list_issued: OffsetDateTime,
    },
    /// Revoked: CRITICAL whatever its expiry.
    Revoked {
        /// When the certificate was revoked.
        revoked_at: OffsetDateTime,
        /// The reason given on the list (RFC 5280 name, e.g. `keyCompromise`), if any.
        reason: Option<String>,
    },
    /// The check could not be made (no CRL, one out of date or of another issuer, the
    /// distribution point unreachable, the issuer's certificate not at hand): UNKNOWN.
    Unknown {
        /// The error's code.
        code: ErrorCode,
        /// The error's message.
        message: String,
    },
}

impl Revocation {
    /// A stable machine-readable name: `not-revoked`, `revoked`.
    pub const fn name(&self) -> &'static str {
        match self {
            Revocation::NotRevoked { .. } => "not-revoked",
            Revocation::Revoked { .. } => "revoked",
            Revocation::Unknown { .. } => "unknown",
        }
    }
}

/// One certificate of a [`CertificateSummary`].
#[derive(Clone, Debug)]
pub struct CertificateRow {
    /// Where it came from: a file name, say.
    pub source: String,
    /// The certificate.
    pub certificate: Certificate,
    /// Where it stands at the summary's instant under its policy.
    pub expiry: ExpiryStatus,
    /// For a certificate from a `.pfx`: whether the file has integrity protection (a MAC);
    /// `None` for other sources.
    pub integrity_protected: Option<bool>,
    /// What a revocation check found, when one was made; `None`: not checked.
    pub revocation: Option<Revocation>,
}

impl CertificateRow {
    /// The monitoring status of this row: from its expiry, and CRITICAL when revoked.
    pub fn status(&self) -> MonitorStatus {
        let expiry = MonitorStatus::for_expiry(&self.expiry);
        match self.revocation {
            Some(Revocation::Revoked { .. }) => expiry.most_urgent(MonitorStatus::Critical),
            Some(Revocation::Unknown { .. }) => expiry.most_urgent(MonitorStatus::Unknown),
            _ => expiry,
        }
    }

    /// The subject's common name, or the whole subject as RFC 4514 text without one.
    pub fn display_name(&self) -> String {
        let subject = self.certificate.subject();
        subject
            .common_name()
            .map(str::to_string)
            .unwrap_or_else(|| subject.to_rfc4514())
    }
}

/// A source of a [`CertificateSummary`] that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnreadableSource {
    /// Where the certificate was to come from: a file name, say.
    pub source: String,
    /// Why not: the error's code.
    pub code: ErrorCode,
    /// Why not: the error's message.
    pub message: String,
}

/// One entry of a [`CertificateSummary`], in the order added.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum SummaryEntry {
    /// A certificate read.
    Certificate(CertificateRow),
    /// A source that could not be read.
    Unreadable(UnreadableSource),
}

impl SummaryEntry {
    /// The source label of the entry.
    pub fn source(&self) -> &str {
        match self {
            SummaryEntry::Certificate(r) => &r.source,
            SummaryEntry::Unreadable(u) => &u.source,
        }
    }

    /// The monitoring status of the entry: UNKNOWN for an unreadable source.
    pub fn status(&self) -> MonitorStatus {
        match self {
            SummaryEntry::Certificate(r) => r.status(),
            SummaryEntry::Unreadable(_) => MonitorStatus::Unknown,
        }
    }
}

/// Many certificates judged at one instant under one [`ExpiryPolicy`]: see the
/// [module documentation](self).
#[derive(Clone, Debug)]
pub struct CertificateSummary {
    policy: ExpiryPolicy,
    at: OffsetDateTime,
    entries: Vec<SummaryEntry>,
    /// The CA certificates the sources' `.pfx` files carry with their keys.
    chain: Vec<Certificate>,
}

impl CertificateSummary {
    /// An empty summary judging at `at` under `policy`.
    pub fn new(policy: ExpiryPolicy, at: OffsetDateTime) -> Self {
        CertificateSummary {
            policy,
            at,
            entries: Vec::new(),
            chain: Vec::new(),
        }
    }

    /// The CA certificates the `.pfx` sources carry with their keys (candidates for the
    /// issuers revocation checking needs: `revocation` module).
    pub fn chain_certificates(&self) -> &[Certificate] {
        &self.chain
    }

    /// Adds a certificate read from `source`, judged at the summary's instant under its
    /// policy.
    pub fn add(&mut self, source: impl Into<String>, certificate: Certificate) {
        let row = self.judge(source, certificate);
        self.push(row);
    }

    /// A row for a certificate read from `source`, judged at the summary's instant under its
    /// policy, not yet added: set its
    /// [`integrity_protected`](CertificateRow::integrity_protected) or
    /// [`revocation`](CertificateRow::revocation), then [`push`](Self::push) it.
    pub fn judge(&self, source: impl Into<String>, certificate: Certificate) -> CertificateRow {
        CertificateRow {
            source: source.into(),
            expiry: certificate.status_at(self.at, &self.policy),
            certificate,
            integrity_protected: None,
            revocation: None,
        }
    }

    /// Adds a row made by [`judge`](Self::judge).
    pub fn push(&mut self, row: CertificateRow) {
        self.entries.push(SummaryEntry::Certificate(row));
    }

    /// Adds a source that could not be read, with the error that stopped it.
    pub fn add_unreadable(&mut self, source: impl Into<String>, error: &Error) {
        self.entries
            .push(SummaryEntry::Unreadable(UnreadableSource {
                source: source.into(),
                code: error.code(),
                message: error.to_string(),
            }));
    }

    /// Adds what the bytes of one source hold: every certificate of a PEM file, a DER
    /// certificate, or for a PKCS#12 (`.pfx`) file opened with `password` the certificate of
    /// its key (every certificate when it has no key), noting whether it has integrity
    /// protection (a file without a MAC is shown, not refused: inspecting is not signing).
    /// Anything else, a wrong password or a damaged file is an unreadable source.
    pub fn add_contents(&mut self, source: impl Into<String>, data: &[u8], password: Option<&str>) {
        let source = source.into();
        match read_certificates(&source, data, password) {
            Ok((certificates, integrity_protected, chain)) => {
                for c in chain {
                    if !self.chain.contains(&c) {
                        self.chain.push(c);
                    }
                }
                for c in certificates {
                    let mut row = self.judge(source.clone(), c);
                    row.integrity_protected = integrity_protected;
                    self.push(row);
                }
            }
            Err(e) => self.add_unreadable(source, &e),
        }
    }

    /// Reads and adds the files of `paths` as [`certificate_files`] lists them (directories
    /// expanded), each with [`add_contents`](Self::add_contents) and one `password` for every
    /// PKCS#12 file; a path that cannot be listed or read is an unreadable source. The
    /// source labels are the paths as displayed.
    pub fn add_paths<P: AsRef<Path>>(
        &mut self,
        paths: &[P],
        recursive: bool,
        password: Option<&str>,
    ) {
        for found in certificate_files(paths, recursive) {
            match found {
                ScannedPath::File(path) => {
                    let source = path.display().to_string();
                    match read_limited(&path) {
                        Ok(data) => self.add_contents(source, &data, password),
                        Err(e) => self.add_unreadable(source, &e),
                    }
                }
                ScannedPath::Failed { path, error } => {
                    self.add_unreadable(path.display().to_string(), &error)
                }
            }
        }
    }

    /// The policy judged against.
    pub fn policy(&self) -> &ExpiryPolicy {
        &self.policy
    }

    /// The instant judged at.
    pub fn at(&self) -> OffsetDateTime {
        self.at
    }

    /// Every entry, in the order added.
    pub fn entries(&self) -> &[SummaryEntry] {
        &self.entries
    }

    /// Mutable access to the entries (to record revocation checks, say).
    pub fn entries_mut(&mut self) -> &mut [SummaryEntry] {
        &mut self.entries
    }

    /// The certificates read, in the order added.
    pub fn certificates(&self) -> impl Iterator<Item = &CertificateRow> {
        self.entries.iter().filter_map(|e| match e {
            SummaryEntry::Certificate(r) => Some(r),
            SummaryEntry::Unreadable(_) => None,
        })
    }

    /// The sources that could not be read, in the order added.
    pub fn unreadable(&self) -> impl Iterator<Item = &UnreadableSource> {
        self.entries.iter().filter_map(|e| match e {
            SummaryEntry::Unreadable(u) => Some(u),
            SummaryEntry::Certificate(_) => None,
        })
    }

    /// The most urgent status of all entries ([`MonitorStatus::Ok`] when there are none).
    pub fn worst(&self) -> MonitorStatus {
        self.entries
            .iter()
            .fold(MonitorStatus::Ok, |w, e| w.most_urgent(e.status()))
    }

    /// The exit code of a monitoring plugin for the [`worst`](Self::worst) status: 0 OK,
    /// 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
    pub fn exit_code(&self) -> u8 {
        self.worst().exit_code()
    }

    /// The JSON form, pretty-printed: `at`, `policy`, `exit_status`, `worst` and `results`,
    /// one object per entry (the form of `ezla cert check --json`; see `docs/cli.md`).
    pub fn to_json(&self) -> String {
        // Serialising a `Value` cannot fail.
        serde_json::to_string_pretty(&self.json_value()).unwrap_or_default()
    }

    fn json_value(&self) -> Value {
        let results: Vec<Value> = self
            .entries
            .iter()
            .map(|e| match e {
                SummaryEntry::Certificate(r) => {
                    let c = &r.certificate;
                    json!({
                        "file": r.source,
                        "integrity_protected": r.integrity_protected,
                        "subject": c.subject().to_rfc4514(),
                        "pesel": c.pesel().map(|p| p.to_string()),
                        "serial_hex": c.serial_hex(),
                        "not_after": rfc3339(c.not_after()),
                        "status": r.expiry.name(),
                        "days_left": r.expiry.days_left(),
                        "renewal_opens": rfc3339(r.expiry.renewal_opens()),
                        "monitor_status": r.status().name(),
                        "revocation": r.revocation.as_ref().map(revocation_json),
                    })
                }
                SummaryEntry::Unreadable(u) => json!({
                    "file": u.source,
                    "status": "unreadable",
                    "error": u.message,
                    "code": u.code as u32,
                    "name": u.code.name(),
                    "monitor_status": MonitorStatus::Unknown.name(),
                }),
            })
            .collect();
        json!({
            "at": rfc3339(self.at),
            "policy": {
                "renewal_window_days": self.policy.renewal_window_days,
                "warning_days": self.policy.warning_days,
            },
            "exit_status": self.exit_code(),
            "worst": self.worst().name(),
            "results": results,
        })
    }

    /// A table for people: one line per entry with the status, the days left, the
    /// `notAfter` date, the source and the subject's common name (or the error, with its
    /// code), under a header line.
    pub fn to_table(&self) -> String {
        let mut lines: Vec<[String; 5]> = vec![[
            "STATUS".into(),
            "DAYS".into(),
            "NOT AFTER".into(),
            "FILE".into(),
            "SUBJECT / ERROR".into(),
        ]];
        for e in &self.entries {
            lines.push(match e {
                SummaryEntry::Certificate(r) => {
                    let status = match &r.revocation {
                        Some(Revocation::Revoked { .. }) => {
                            format!("revoked, {}", r.expiry.name())
                        }
                        Some(Revocation::Unknown { .. }) => {
                            format!("revocation unknown, {}", r.expiry.name())
                        }
                        _ => r.expiry.name().to_string(),
                    };
                    [
                        status,
                        r.expiry.days_left().to_string(),
                        r.certificate.not_after().date().to_string(),
                        r.source.clone(),
                        r.display_name(),
                    ]
                }
                SummaryEntry::Unreadable(u) => [
                    "unreadable".into(),
                    "-".into(),
                    "-".into(),
                    u.source.clone(),
                    format!("{} (code {})", u.message, u.code as u32),
                ],
            });
        }
        let width = |i: usize| {
            lines
                .iter()
                .map(|l| l[i].chars().count())
                .max()
                .unwrap_or(0)
        };
        let (w0, w1, w2, w3) = (width(0), width(1), width(2), width(3));
        let mut out = String::new();
        for l in &lines {
            let _ = writeln!(
                out,
                "{:<w0$}  {:>w1$}  {:<w2$}  {:<w3$}  {}",
                l[0], l[1], l[2], l[3], l[4]
            );
        }
        out
    }

    /// The Prometheus text exposition format (version 0.0.4), for node_exporter's textfile
    /// collector. Per certificate, labelled `file`, `subject` (RFC 4514), `serial` (hex)
    /// and `pesel` (when the subject has one):
    ///
    /// - `ezla_certificate_days_left`: whole days until `notAfter` (negative once expired);
    /// - `ezla_certificate_not_after_seconds`: `notAfter`, Unix seconds;
    /// - `ezla_certificate_status`: one series per state with an extra `status` label
    ///   (`ok`, `renewal_window`, `expiring`, `expired`, `not_yet_valid`), 1 for the
    ///   certificate's state and 0 for the others;
    /// - `ezla_certificate_revoked`: 1 revoked, 0 not, only for certificates checked.
    ///
    /// Then `ezla_certificate_check_error` (1 per unreadable source, labelled `file`,
    /// `code` and `name`), `ezla_certificate_check_errors` (their number),
    /// `ezla_certificate_check_exit_code` (0–3, as [`exit_code`](Self::exit_code)) and
    /// `ezla_certificate_check_timestamp_seconds` (the instant judged at). Label values
    /// are escaped as the format requires (`\\`, `\"`, `\n`).
    pub fn to_prometheus(&self) -> String {
        let mut out = String::new();
        // A series once: the same certificate twice in one source (a PEM bundle, say) is
        // one set of labels, and the format forbids repeating a series.
        let mut seen = HashSet::new();
        let rows: Vec<(&CertificateRow, String)> = self
            .certificates()
            .map(|r| (r, row_labels(r)))
            .filter(|(_, labels)| seen.insert(labels.clone()))
            .collect();
        metric_header(
            &mut out,
            "ezla_certificate_days_left",
            "Whole days until the certificate's notAfter, rounded down (negative once expired).",
        );
        for (r, labels) in &rows {
            let _ = writeln!(
                out,
                "ezla_certificate_days_left{{{labels}}} {}",
                r.expiry.days_left()
            );
        }
        metric_header(
            &mut out,
            "ezla_certificate_not_after_seconds",
            "The certificate's notAfter, Unix seconds.",
        );
        for (r, labels) in &rows {
            let _ = writeln!(
                out,
                "ezla_certificate_not_after_seconds{{{labels}}} {}",
                r.certificate.not_after().unix_timestamp()
            );
        }
        metric_header(
            &mut out,
            "ezla_certificate_status",
            "1 for the certificate's expiry state under the policy, 0 for the others.",
        );
        for (r, labels) in &rows {
            let current = prometheus_state(&r.expiry);
            for state in PROMETHEUS_STATES {
                let _ = writeln!(
                    out,
                    "ezla_certificate_status{{{labels},status=\"{state}\"}} {}",
                    u8::from(state == current)
                );
            }
        }
        if rows.iter().any(|(r, _)| {
            matches!(
                r.revocation,
                Some(Revocation::Revoked { .. } | Revocation::NotRevoked { .. })
            )
        }) {
            metric_header(
                &mut out,
                "ezla_certificate_revoked",
                "1 if the certificate is on the revocation list consulted, 0 if not.",
            );
            for (r, labels) in &rows {
                if let Some(rev) = r
                    .revocation
                    .as_ref()
                    .filter(|v| !matches!(v, Revocation::Unknown { .. }))
                {
                    let revoked = matches!(rev, Revocation::Revoked { .. });
                    let _ = writeln!(
                        out,
                        "ezla_certificate_revoked{{{labels}}} {}",
                        u8::from(revoked)
                    );
                }
            }
        }
        metric_header(
            &mut out,
            "ezla_certificate_check_error",
            "1 for each source that could not be read, labelled with the ezla error code.",
        );
        let mut seen = HashSet::new();
        for u in self.unreadable() {
            let labels = format!(
                "file=\"{}\",code=\"{}\",name=\"{}\"",
                escape_label(&u.source),
                u.code as u32,
                u.code.name()
            );
            if seen.insert(labels.clone()) {
                let _ = writeln!(out, "ezla_certificate_check_error{{{labels}}} 1");
            }
        }
        metric_header(
            &mut out,
            "ezla_certificate_check_errors",
            "The number of sources that could not be read.",
        );
        let _ = writeln!(
            out,
            "ezla_certificate_check_errors {}",
            self.unreadable().count()
        );
        metric_header(
            &mut out,
            "ezla_certificate_check_exit_code",
            "The monitoring-plugin verdict: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.",
        );
        let _ = writeln!(out, "ezla_certificate_check_exit_code {}", self.exit_code());
        metric_header(
            &mut out,
            "ezla_certificate_check_timestamp_seconds",
            "The instant the certificates were judged at, Unix seconds.",
        );
        let _ = writeln!(
            out,
            "ezla_certificate_check_timestamp_seconds {}",
            self.at.unix_timestamp()
        );
        out
    }
}

/// The extensions (compared without regard to case) of the files [`certificate_files`]
/// takes from a directory.
pub const CERTIFICATE_FILE_EXTENSIONS: [&str; 6] = ["pfx", "p12", "crt", "cer", "pem", "der"];

/// The largest file [`CertificateSummary::add_paths`] reads: certificates and `.pfx` files
/// are a few kilobytes.
pub const MAX_FILE_SIZE: u64 = 16 << 20;

/// A path found by [`certificate_files`].
#[derive(Debug)]
pub enum ScannedPath {
    /// A file to read.
    File(PathBuf),
    /// A directory that could not be listed, or that holds no certificate file.
    Failed {
        /// The directory.
        path: PathBuf,
        /// Why: an I/O error, or [`KeyError::NoCertificate`].
        error: Error,
    },
}

/// The files to check: files as given (whatever their names), directories replaced by the
/// files in them with one of [`CERTIFICATE_FILE_EXTENSIONS`] in name order (their
/// subdirectories' too, after them, when `recursive`), each path once. A directory that
/// cannot be listed, or holds no such file, is [`ScannedPath::Failed`]: a monitor watching
/// an emptied directory should say so, not report all well.
pub fn certificate_files<P: AsRef<Path>>(paths: &[P], recursive: bool) -> Vec<ScannedPath> {
    let mut out = Vec::new();
    for path in paths {
        let path = path.as_ref();
        if path.is_dir() {
            let before = out.len();
            walk(path, recursive, &mut HashSet::new(), &mut out);
            if out.len() == before {
                out.push(ScannedPath::Failed {
                    path: path.to_path_buf(),
                    error: Error::Key(KeyError::NoCertificate {
                        what: format!(
                            "directory {} (no .pfx, .p12, .crt, .cer, .pem or .der file{})",
                            path.display(),
                            if recursive { " at any depth" } else { "" }
                        ),
                    }),
                });
            }
        } else {
            out.push(ScannedPath::File(path.to_path_buf()));
        }
    }
    let mut seen = HashSet::new();
    out.retain(|f| match f {
        ScannedPath::File(p) => seen.insert(p.clone()),
        ScannedPath::Failed { .. } => true,
    });
    out
}

/// Lists `dir` into `out`; `visited` holds the directories listed (canonical paths), so that a
/// symbolic link back up the tree is not followed round and round.
fn walk(dir: &Path, recursive: bool, visited: &mut HashSet<PathBuf>, out: &mut Vec<ScannedPath>) {
    if let Ok(real) = std::fs::canonicalize(dir)
        && !visited.insert(real)
    {
        return;
    }
    let failed = |error: std::io::Error| ScannedPath::Failed {
        path: dir.to_path_buf(),
        error: Error::io(dir, error),
    };
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            out.push(failed(e));
            return;
        }
    };
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for entry in entries {
        let path = match entry {
            Ok(e) => e.path(),
            Err(e) => {
                out.push(failed(e));
                continue;
            }
        };
        // `is_dir` follows symbolic links, as a directory of links to the files expects.
        if path.is_dir() {
            dirs.push(path);
        } else if path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
            CERTIFICATE_FILE_EXTENSIONS
                .iter()
                .any(|x| e.eq_ignore_ascii_case(x))
        }) {
            files.push(path);
        }
    }
    files.sort();
    dirs.sort();
    out.extend(files.into_iter().map(ScannedPath::File));
    if recursive {
        for d in dirs {
            walk(&d, recursive, visited, out);
        }
    }
}

fn read_limited(path: &Path) -> Result<Vec<u8>, Error> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut data = Vec::new();
    file.take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut data)
        .map_err(|e| Error::io(path, e))?;
    if data.len() as u64 > MAX_FILE_SIZE {
        return Err(Error::invalid_argument(
            "file",
            format!("{} is larger than {MAX_FILE_SIZE} bytes", path.display()),
        ));
    }
    Ok(data)
}

/// The certificates one source holds (see [`CertificateSummary::add_contents`]), and for a
/// PKCS#12 file whether it has a MAC.
/// The certificates of a source, whether it is integrity-protected, and the chain a
/// `.pfx` carries with its key.
type Read = (Vec<Certificate>, Option<bool>, Vec<Certificate>);

fn read_certificates(source: &str, data: &[u8], password: Option<&str>) -> Result<Read, Error> {
    match crate::pki::detect(data) {
        InputKind::Pem => {
            let certificates = Certificate::all_from_pem(data)?;
            if certificates.is_empty() {
                return Err(Error::Format(FormatError::Unknown {
                    what: source.to_string(),
                    expected: "PEM with CERTIFICATE blocks",
                }));
            }
            Ok((certificates, None, Vec::new()))
        }
        InputKind::Certificate => Ok((vec![Certificate::from_der(data)?], None, Vec::new())),
        InputKind::Pkcs12 => {
            let p = Pkcs12::parse(
                data,
                password,
                &Pkcs12Options::default().allowing_unprotected(true),
            )?;
            let protected = Some(p.info.mac.is_some());
            if p.keys.is_empty() {
                let all = p.certificates.into_iter().map(|c| c.certificate).collect();
                return Ok((all, protected, Vec::new()));
            }
            // The certificate that matters for a key store is the key's.
            let id = Identity::from_pkcs12_contents(p)?;
            Ok((vec![id.certificate], protected, id.chain))
        }
        _ => Err(Error::Format(FormatError::Unknown {
            what: source.to_string(),
            expected: "a certificate (DER or PEM) or a PKCS#12 (.pfx/.p12) file",
        })),
    }
}

/// The `status` label values of `ezla_certificate_status`, in a fixed order.
const PROMETHEUS_STATES: [&str; 5] = [
    "ok",
    "renewal_window",
    "expiring",
    "expired",
    "not_yet_valid",
];

fn prometheus_state(status: &ExpiryStatus) -> &'static str {
    match status {
        ExpiryStatus::Valid { .. } => "ok",
        ExpiryStatus::RenewalWindow { .. } => "renewal_window",
        ExpiryStatus::Expiring { .. } => "expiring",
        ExpiryStatus::Expired { .. } => "expired",
        ExpiryStatus::NotYetValid { .. } => "not_yet_valid",
    }
}

fn row_labels(r: &CertificateRow) -> String {
    let c = &r.certificate;
    let mut labels = format!(
        "file=\"{}\",subject=\"{}\",serial=\"{}\"",
        escape_label(&r.source),
        escape_label(&c.subject().to_rfc4514()),
        escape_label(&c.serial_hex())
    );
    if let Some(p) = c.pesel() {
        let _ = write!(labels, ",pesel=\"{p}\"");
    }
    labels
}

fn metric_header(out: &mut String, name: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} gauge");
}

/// A label value as the exposition format requires: backslash, double quote and line feed
/// escaped.
fn escape_label(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for ch in value.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_else(|_| t.to_string())
}

fn revocation_json(r: &Revocation) -> Value {
    match r {
        Revocation::NotRevoked { list_issued } => json!({
            "status": r.name(),
            "list_issued": rfc3339(*list_issued),
        }),
        Revocation::Revoked { revoked_at, reason } => json!({
            "status": r.name(),
            "revoked_at": rfc3339(*revoked_at),
            "reason": reason,
        }),
        Revocation::Unknown { code, message } => json!({
            "status": r.name(),
            "code": *code as u32,
            "name": code.name(),
            "message": message,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::KeySpec;
    use crate::pki::testca::{DoctorSpec, IssueOptions, TestCa};
    use time::Duration;
    use time::macros::datetime;

    const ISSUED: OffsetDateTime = datetime!(2021-02-01 0:00 UTC);

    fn ca() -> TestCa {
        TestCa::generate("ezla monitor test CA", ISSUED, 7300).expect("CA")
    }

    /// A doctor's certificate valid from `not_before` for `days` days.
    fn doctor(ca: &TestCa, not_before: OffsetDateTime, days: u32) -> Certificate {
        let mut spec = DoctorSpec::new("Jan", "Kowalski", "44051401359".parse().expect("PESEL"));
        spec.key = KeySpec::EcP256;
        spec.options = IssueOptions::doctor(not_before);
        spec.options.not_after = not_before + Duration::days(i64::from(days));
        ca.issue_doctor(&spec).expect("doctor").certificate
    }

    #[test]
    fn worst_status_orders_critical_unknown_warning_ok() {
        use MonitorStatus::*;
        assert_eq!(Ok.most_urgent(Warning), Warning);
        assert_eq!(Warning.most_urgent(Unknown), Unknown);
        assert_eq!(Unknown.most_urgent(Critical), Critical);
        assert_eq!(Critical.most_urgent(Unknown), Critical);
        assert_eq!(Critical.most_urgent(Ok), Critical);
        assert_eq!(
            [Ok, Warning, Critical, Unknown].map(MonitorStatus::exit_code),
            [0, 1, 2, 3]
        );
        let empty = CertificateSummary::new(ExpiryPolicy::ZUS, ISSUED);
        assert_eq!(empty.worst(), Ok);
        assert_eq!(empty.exit_code(), 0);
    }

    #[test]
    fn rows_carry_status_and_the_worst_decides_the_exit_code() {
        let ca = ca();
        let at = datetime!(2026-01-05 0:00 UTC);
        let mut s = CertificateSummary::new(ExpiryPolicy::ZUS, at);
        s.add(
            "fresh.pfx",
            doctor(&ca, datetime!(2026-01-01 0:00 UTC), 1826),
        );
        assert_eq!(s.worst(), MonitorStatus::Ok);
        // Expires 2026-02-01: 27 days left, in the renewal window.
        s.add("renew.pfx", doctor(&ca, ISSUED, 1826));
        assert_eq!(s.worst(), MonitorStatus::Warning);
        s.add_unreadable("missing.pfx", &Error::internal("gone"));
        assert_eq!(s.worst(), MonitorStatus::Unknown);
        s.add("expired.pfx", doctor(&ca, ISSUED, 365));
        assert_eq!(s.worst(), MonitorStatus::Critical);
        assert_eq!(s.exit_code(), 2);
        let rows: Vec<_> = s.certificates().collect();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1].expiry.name(), "renewal-window");
        assert_eq!(rows[1].expiry.days_left(), 27);
        assert_eq!(rows[2].status(), MonitorStatus::Critical);
        let u: Vec<_> = s.unreadable().collect();
        assert_eq!(u.len(), 1);
        assert_eq!(u[0].code, ErrorCode::Internal);
        assert_eq!(s.entries()[2].source(), "missing.pfx");
    }

    #[test]
    fn a_revoked_certificate_is_critical() {
        let ca = ca();
        let at = datetime!(2026-01-05 0:00 UTC);
        let mut s = CertificateSummary::new(ExpiryPolicy::ZUS, at);
        let mut row = s.judge(
            "fresh.pfx",
            doctor(&ca, datetime!(2026-01-01 0:00 UTC), 1826),
        );
        row.revocation = Some(Revocation::NotRevoked {
            list_issued: at - Duration::hours(1),
        });
        s.push(row);
        assert_eq!(s.worst(), MonitorStatus::Ok);
        let mut row = s.judge(
            "stolen.pfx",
            doctor(&ca, datetime!(2026-01-01 0:00 UTC), 1826),
        );
        row.revocation = Some(Revocation::Revoked {
            revoked_at: at - Duration::days(1),
            reason: Some("keyCompromise".into()),
        });
        s.push(row);
        assert_eq!(s.worst(), MonitorStatus::Critical);
        let v: Value = serde_json::from_str(&s.to_json()).expect("JSON");
        assert_eq!(v["results"][1]["revocation"]["status"], "revoked");
        assert_eq!(v["results"][1]["revocation"]["reason"], "keyCompromise");
        assert_eq!(v["results"][1]["status"], "valid");
        assert_eq!(v["results"][1]["monitor_status"], "CRITICAL");
        let p = s.to_prometheus();
        assert!(
            p.contains("ezla_certificate_revoked{file=\"stolen.pfx\","),
            "{p}"
        );
        assert!(
            p.contains("ezla_certificate_revoked{file=\"fresh.pfx\","),
            "{p}"
        );
        assert!(s.to_table().contains("revoked, valid"));
    }

    #[test]
    fn json_keeps_the_cert_check_fields() {
        let ca = ca();
        let at = datetime!(2026-01-05 0:00 UTC);
        let mut s = CertificateSummary::new(ExpiryPolicy::ZUS, at);
        let mut row = s.judge("renew.pfx", doctor(&ca, ISSUED, 1826));
        row.integrity_protected = Some(true);
        s.push(row);
        s.add_unreadable("missing.pfx", &Error::internal("gone"));
        let v: Value = serde_json::from_str(&s.to_json()).expect("JSON");
        assert_eq!(v["at"], "2026-01-05T00:00:00Z");
        assert_eq!(v["policy"]["renewal_window_days"], 28);
        assert_eq!(v["policy"]["warning_days"], 14);
        assert_eq!(v["exit_status"], 3);
        assert_eq!(v["worst"], "UNKNOWN");
        let r = &v["results"][0];
        assert_eq!(r["file"], "renew.pfx");
        assert_eq!(r["integrity_protected"], true);
        assert_eq!(
            r["subject"],
            "CN=Jan Kowalski,serialNumber=PNOPL-44051401359,givenName=Jan,sn=Kowalski,C=PL"
        );
        assert_eq!(r["pesel"], "44051401359");
        assert_eq!(r["not_after"], "2026-02-01T00:00:00Z");
        assert_eq!(r["status"], "renewal-window");
        assert_eq!(r["days_left"], 27);
        assert_eq!(r["renewal_opens"], "2026-01-04T00:00:00Z");
        assert_eq!(r["revocation"], Value::Null);
        assert!(r["serial_hex"].as_str().is_some_and(|h| !h.is_empty()));
        let e = &v["results"][1];
        assert_eq!(e["status"], "unreadable");
        assert_eq!(e["code"], ErrorCode::Internal as u32);
        assert_eq!(e["name"], "Internal");
        assert!(e["error"].as_str().is_some_and(|m| m.contains("gone")));
    }

    #[test]
    fn table_has_a_header_and_a_line_per_entry() {
        let ca = ca();
        let mut s = CertificateSummary::new(ExpiryPolicy::ZUS, datetime!(2026-01-05 0:00 UTC));
        s.add("renew.pfx", doctor(&ca, ISSUED, 1826));
        s.add_unreadable("missing.pfx", &Error::internal("gone"));
        let table = s.to_table();
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 3, "{table}");
        assert!(lines[0].starts_with("STATUS"));
        assert!(lines[1].starts_with("renewal-window"), "{table}");
        assert!(
            lines[1].contains("  27  2026-02-01  renew.pfx    Jan Kowalski"),
            "{table}"
        );
        assert!(lines[2].starts_with("unreadable"), "{table}");
        assert!(lines[2].contains(&format!("(code {})", ErrorCode::Internal as u32)));
    }

    #[test]
    fn prometheus_output_is_one_hot_and_escaped() {
        let ca = ca();
        let at = datetime!(2026-01-05 0:00 UTC);
        let mut s = CertificateSummary::new(ExpiryPolicy::ZUS, at);
        s.add("dir/renew \"old\"\\\n.pfx", doctor(&ca, ISSUED, 1826));
        s.add("expired.pfx", doctor(&ca, ISSUED, 365));
        s.add_unreadable("missing.pfx", &Error::internal("gone"));
        let p = s.to_prometheus();
        let file = r#"file="dir/renew \"old\"\\\n.pfx""#;
        let days: Vec<&str> = p
            .lines()
            .filter(|l| l.starts_with("ezla_certificate_days_left{"))
            .collect();
        assert_eq!(days.len(), 2, "{p}");
        assert!(
            days[0].starts_with(&format!(
                "ezla_certificate_days_left{{{file},subject=\"CN=Jan Kowalski,"
            )),
            "{p}"
        );
        assert!(days[0].ends_with(",pesel=\"44051401359\"} 27"), "{p}");
        assert!(days[1].ends_with("} -1434"), "{p}");
        let one_hot: Vec<&str> = p
            .lines()
            .filter(|l| l.starts_with("ezla_certificate_status{") && l.contains(file))
            .collect();
        assert_eq!(one_hot.len(), 5, "{p}");
        assert_eq!(one_hot.iter().filter(|l| l.ends_with(" 1")).count(), 1);
        assert!(
            one_hot
                .iter()
                .any(|l| l.ends_with(",status=\"renewal_window\"} 1"))
        );
        assert!(p.contains(&format!("ezla_certificate_not_after_seconds{{{file},")));
        assert!(p.contains(&format!(
            "}} {}\n",
            datetime!(2026-02-01 0:00 UTC).unix_timestamp()
        )));
        assert!(p.contains(&format!(
            "ezla_certificate_check_error{{file=\"missing.pfx\",code=\"{}\",name=\"Internal\"}} 1\n",
            ErrorCode::Internal as u32
        )));
        assert!(p.contains("\nezla_certificate_check_errors 1\n"));
        assert!(p.contains("\nezla_certificate_check_exit_code 2\n"));
        assert!(p.contains(&format!(
            "\nezla_certificate_check_timestamp_seconds {}\n",
            at.unix_timestamp()
        )));
        // No revocation checked: no revocation metric.
        assert!(!p.contains("ezla_certificate_revoked"));
        // Every sample's metric has its HELP and TYPE before it, once.
        for line in p.lines().filter(|l| !l.starts_with('#')) {
            let name = line.split(['{', ' ']).next().unwrap_or_default();
            assert_eq!(
                p.matches(&format!("# TYPE {name} gauge\n")).count(),
                1,
                "{name}"
            );
            assert_eq!(p.matches(&format!("# HELP {name} ")).count(), 1, "{name}");
        }
        assert_eq!(escape_label("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
        // A certificate twice in one source, or a source failing twice, is one series.
        let mut twice = CertificateSummary::new(ExpiryPolicy::ZUS, at);
        let cert = doctor(&ca, ISSUED, 1826);
        twice.add("bundle.pem", cert.clone());
        twice.add("bundle.pem", cert);
        twice.add_unreadable("gone", &Error::internal("x"));
        twice.add_unreadable("gone", &Error::internal("x"));
        let p = twice.to_prometheus();
        assert_eq!(p.matches("ezla_certificate_days_left{").count(), 1, "{p}");
        assert_eq!(p.matches("ezla_certificate_check_error{").count(), 1, "{p}");
        assert!(p.contains("\nezla_certificate_check_errors 2\n"), "{p}");
    }

    #[test]
    fn contents_are_read_as_certificates_pem_bundles_and_pfx_files() {
        let ca = ca();
        let at = datetime!(2026-01-05 0:00 UTC);
        let mut spec = DoctorSpec::new("Anna", "Nowak", "02271409867".parse().expect("PESEL"));
        spec.key = KeySpec::EcP256;
        spec.options = IssueOptions::doctor(datetime!(2026-01-01 0:00 UTC));
        let id = ca.issue_doctor(&spec).expect("doctor");
        let pfx = id.to_pkcs12("hasło", 1000).expect("pfx");
        let mut s = CertificateSummary::new(ExpiryPolicy::ZUS, at);
        s.add_contents("anna.pfx", &pfx, Some("hasło"));
        s.add_contents("wrong.pfx", &pfx, Some("nie to"));
        let pem = format!("{}{}", id.certificate.to_pem(), ca.certificate().to_pem());
        s.add_contents("bundle.pem", pem.as_bytes(), None);
        s.add_contents("anna.der", id.certificate.to_der(), None);
        s.add_contents("notes.txt", b"not a certificate", None);
        s.add_contents(
            "empty.pem",
            b"-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n",
            None,
        );
        let sources: Vec<(&str, MonitorStatus)> = s
            .entries()
            .iter()
            .map(|e| (e.source(), e.status()))
            .collect();
        assert_eq!(
            sources,
            [
                ("anna.pfx", MonitorStatus::Ok),
                ("wrong.pfx", MonitorStatus::Unknown),
                ("bundle.pem", MonitorStatus::Ok),
                ("bundle.pem", MonitorStatus::Ok),
                ("anna.der", MonitorStatus::Ok),
                ("notes.txt", MonitorStatus::Unknown),
                ("empty.pem", MonitorStatus::Unknown),
            ]
        );
        let rows: Vec<_> = s.certificates().collect();
        assert_eq!(rows[0].certificate, id.certificate);
        assert_eq!(rows[0].integrity_protected, Some(true));
        assert_eq!(rows[1].integrity_protected, None);
        assert_eq!(&rows[2].certificate, ca.certificate());
        let codes: Vec<ErrorCode> = s.unreadable().map(|u| u.code).collect();
        assert_eq!(codes[0], ErrorCode::BadPassword);
        assert_eq!(codes[1], ErrorCode::UnknownFormat);
    }

    #[test]
    fn paths_expand_directories_sorted_once_each() {
        let dir = std::env::temp_dir().join(format!("ezla-monitor-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("clinic/sub")).expect("mkdir");
        std::fs::create_dir_all(dir.join("empty")).expect("mkdir");
        let ca = ca();
        let cert = doctor(&ca, datetime!(2026-01-01 0:00 UTC), 1826);
        for name in ["b.CRT", "a.pem", "sub/c.der"] {
            let data = if name.ends_with("pem") {
                cert.to_pem().into_bytes()
            } else {
                cert.to_der().to_vec()
            };
            std::fs::write(dir.join("clinic").join(name), data).expect("write");
        }
        std::fs::write(dir.join("clinic/readme.txt"), "x").expect("write");
        let clinic = dir.join("clinic");
        let files = |paths: &[PathBuf], recursive| -> Vec<String> {
            certificate_files(paths, recursive)
                .into_iter()
                .map(|f| match f {
                    ScannedPath::File(p) => p
                        .strip_prefix(&dir)
                        .map(|p| p.display().to_string())
                        .unwrap_or_default(),
                    ScannedPath::Failed { path, error } => {
                        format!("failed {}: {}", path.display(), error.code().name())
                    }
                })
                .collect()
        };
        assert_eq!(
            files(std::slice::from_ref(&clinic), false),
            ["clinic/a.pem", "clinic/b.CRT"]
        );
        assert_eq!(
            files(&[clinic.clone(), clinic.join("a.pem")], true),
            ["clinic/a.pem", "clinic/b.CRT", "clinic/sub/c.der"]
        );
        let empty = files(&[dir.join("empty")], false);
        assert_eq!(empty.len(), 1);
        assert!(empty[0].ends_with(": NoCertificate"), "{empty:?}");
        // A file named explicitly is taken whatever its name; a missing one fails when read.
        let mut s = CertificateSummary::new(ExpiryPolicy::ZUS, datetime!(2026-01-05 0:00 UTC));
        s.add_paths(
            &[
                clinic.join("readme.txt"),
                clinic.clone(),
                dir.join("missing.pem"),
            ],
            false,
            None,
        );
        let statuses: Vec<MonitorStatus> = s.entries().iter().map(SummaryEntry::status).collect();
        assert_eq!(
            statuses,
            [
                MonitorStatus::Unknown,
                MonitorStatus::Ok,
                MonitorStatus::Ok,
                MonitorStatus::Unknown
            ]
        );
        let codes: Vec<ErrorCode> = s.unreadable().map(|u| u.code).collect();
        assert_eq!(codes, [ErrorCode::UnknownFormat, ErrorCode::Io]);
        assert_eq!(
            s.entries()[1].source(),
            clinic.join("a.pem").display().to_string()
        );
        // A symbolic link back up the tree is listed once, not followed round and round.
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&clinic, clinic.join("sub/loop")).expect("symlink");
            assert_eq!(
                files(std::slice::from_ref(&clinic), true),
                ["clinic/a.pem", "clinic/b.CRT", "clinic/sub/c.der"]
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
