//! Many certificates watched at once, as a clinic's monitoring does (`ezla::pki::monitor`).

use std::ffi::{CString, c_char};

use ezla_core::pki::monitor::{CertificateSummary, Revocation, SummaryEntry};
use ezla_core::pki::{ExpiryStatus, MonitorStatus};

use crate::boundary::{
    self, Failure, FfiResult, arg_bytes, arg_opt_str, arg_ref, arg_str, out_ptr, write, write_box,
};
use crate::buffer::ezla_buffer;
use crate::error::{c_string, ezla_error, ezla_result};
use crate::pki::{arg_policy, expiry_of, ezla_certificate, ezla_expiry, ezla_expiry_policy};

/// The verdict of a monitoring check plugin (Nagios, Icinga, Zabbix); the numbers are their
/// exit codes and `ezla cert check`'s.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ezla_monitor_status {
    /// Every certificate valid.
    Ok = 0,
    /// A certificate in the renewal window or expiring.
    Warning = 1,
    /// A certificate expired or not yet valid.
    Critical = 2,
    /// A source could not be read (or no such row).
    Unknown = 3,
}

impl From<MonitorStatus> for ezla_monitor_status {
    fn from(s: MonitorStatus) -> Self {
        match s {
            MonitorStatus::Ok => ezla_monitor_status::Ok,
            MonitorStatus::Warning => ezla_monitor_status::Warning,
            MonitorStatus::Critical => ezla_monitor_status::Critical,
            MonitorStatus::Unknown => ezla_monitor_status::Unknown,
        }
    }
}

/// Certificates judged at one instant under one expiry policy: one row per certificate
/// and one per source that could not be read, the most urgent status and the monitoring
/// exit code, and the Prometheus and JSON outputs of `ezla cert check`.
///
/// Thread safety: the `_add_` functions change it and must not run while another thread
/// uses it; the getters may run from several threads at once. Strings returned by its
/// getters live until `ezla_cert_summary_free`.
pub struct ezla_cert_summary {
    inner: CertificateSummary,
    /// Per row: its source label, and for an unreadable source the error's message.
    sources: Vec<CString>,
    messages: Vec<Option<CString>>,
    /// Per row, after `ezla_cert_summary_check_revocation`: the reason of a revocation, or
    /// why its status is unknown.
    revocation_details: Vec<Option<CString>>,
}

impl ezla_cert_summary {
    /// Brings the C strings up to date with rows added since.
    fn sync(&mut self) {
        for e in &self.inner.entries()[self.sources.len()..] {
            self.sources.push(c_string(e.source()));
            self.messages.push(match e {
                SummaryEntry::Unreadable(u) => Some(c_string(&u.message)),
                _ => None,
            });
        }
    }

    fn entry(&self, index: usize) -> FfiResult<&SummaryEntry> {
        self.inner.entries().get(index).ok_or_else(|| {
            Failure::Invalid(format!(
                "index {index} is out of range (the summary has {} rows)",
                self.inner.entries().len()
            ))
        })
    }

    /// The certificate row `index`, or why not: out of range, or the row's own error.
    fn certificate_row(&self, index: usize) -> FfiResult<&ezla_core::pki::monitor::CertificateRow> {
        match self.entry(index)? {
            SummaryEntry::Certificate(r) => Ok(r),
            SummaryEntry::Unreadable(u) => Err(Failure::Recorded(u.code.into(), u.message.clone())),
            _ => Err(Failure::Core(ezla_core::Error::internal(
                "unknown summary row",
            ))),
        }
    }
}

fn summary_mut<'a>(summary: *mut ezla_cert_summary) -> FfiResult<&'a mut ezla_cert_summary> {
    // SAFETY: NULL is checked; otherwise the caller passes a live summary no other thread
    // uses during the call, as the type documents.
    unsafe { summary.as_mut() }.ok_or(Failure::Null("summary"))
}

/// A new, empty summary judging at `at` (Unix seconds, or `EZLA_NOW` for the time of this
/// call) under `policy` (NULL: the ZUS policy). Free with `ezla_cert_summary_free`.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER` (`summary_out`), `EZLA_RESULT_INVALID_ARGUMENT` (an
/// instant out of range, or a warning period longer than the renewal window).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cert_summary_new(
    at: i64,
    policy: *const ezla_expiry_policy,
    summary_out: *mut *mut ezla_cert_summary,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let at = boundary::arg_time(at, "at")?;
        let policy = arg_policy(policy)?;
        let out = out_ptr(summary_out, "summary_out")?;
        write_box(
            out,
            ezla_cert_summary {
                inner: CertificateSummary::new(policy, at),
                sources: Vec::new(),
                messages: Vec::new(),
                revocation_details: Vec::new(),
            },
        );
        Ok(())
    })
}

/// Adds a certificate (copied: `cert` may be freed) as a row labelled `source`.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_UTF8`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cert_summary_add_certificate(
    summary: *mut ezla_cert_summary,
    source: *const c_char,
    cert: *const ezla_certificate,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let s = summary_mut(summary)?;
        let source = arg_str(source, "source")?;
        let cert = arg_ref(cert, "cert")?;
        s.inner.add(source, cert.inner.clone());
        s.sync();
        Ok(())
    })
}

/// Adds what the bytes of one source labelled `source` hold: every certificate of a PEM
/// file, a DER certificate, or the key's certificate of a PKCS#12 (`.pfx`) file opened with
/// `password` (NULL: no password). Bytes that cannot be read (another format, a damaged
/// file, a wrong password) are not an error of this call but a row with that error.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_UTF8`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cert_summary_add_bytes(
    summary: *mut ezla_cert_summary,
    source: *const c_char,
    data: *const u8,
    len: usize,
    password: *const c_char,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let s = summary_mut(summary)?;
        let source = arg_str(source, "source")?;
        let data = arg_bytes(data, len, "data")?;
        let password = arg_opt_str(password, "password")?;
        s.inner.add_contents(source, data, password);
        s.sync();
        Ok(())
    })
}

/// Adds a file, or every `.pfx`, `.p12`, `.crt`, `.cer`, `.pem` and `.der` file of a
/// directory in name order (and of its subdirectories, after them, when `recursive`), as
/// `ezla_cert_summary_add_bytes` does, labelled with their paths; `password` (NULL: none)
/// opens every `.pfx`. A file that cannot be read, or a directory with no such file, is a
/// row with its error (`EZLA_RESULT_IO`, `EZLA_RESULT_NO_CERTIFICATE`, ...), not an error of
/// this call.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_UTF8`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cert_summary_add_path(
    summary: *mut ezla_cert_summary,
    path: *const c_char,
    recursive: bool,
    password: *const c_char,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let s = summary_mut(summary)?;
        let path = arg_str(path, "path")?;
        let password = arg_opt_str(password, "password")?;
        s.inner.add_paths(&[path], recursive, password);
        s.sync();
        Ok(())
    })
}

/// The number of rows; 0 when `summary` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cert_summary_count(summary: *const ezla_cert_summary) -> usize {
    boundary::getter(0, || {
        boundary::opt_ref(summary).map_or(0, |s| s.inner.entries().len())
    })
}

/// The label of row `index` (the path, or the label given); NULL when out of range or when
/// `summary` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cert_summary_source(
    summary: *const ezla_cert_summary,
    index: usize,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(summary)
            .and_then(|s| s.sources.get(index))
            .map_or(std::ptr::null(), |c| c.as_ptr())
    })
}

/// Checks every certificate row against its issuer's CRL with `checker`, at the summary's
/// instant: a revoked certificate becomes CRITICAL, one whose status cannot be told (no CRL,
/// one out of date or of another issuer, the distribution point unreachable, the issuer not
/// at hand) UNKNOWN. The issuer, which verifies the CRL, is looked for among `issuers` (NULL:
/// none), the chains of the `.pfx` files added and the other certificates; self-issued
/// (root) certificates are not checked. Call it after adding every source;
/// `ezla_cert_summary_revocation` gives each row's finding.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER` (`summary`, `checker`).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cert_summary_check_revocation(
    summary: *mut ezla_cert_summary,
    checker: *const crate::revocation::ezla_revocation_checker,
    issuers: *const crate::trust::ezla_trust_anchors,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let s = summary_mut(summary)?;
        let checker = arg_ref(checker, "checker")?.shared();
        let issuers = boundary::opt_ref(issuers)
            .map(|a| a.inner.certificates().to_vec())
            .unwrap_or_default();
        s.inner.check_revocation(&checker, &issuers);
        s.revocation_details = s
            .inner
            .entries()
            .iter()
            .map(|e| match e {
                SummaryEntry::Certificate(r) => match &r.revocation {
                    Some(Revocation::Revoked {
                        reason: Some(reason),
                        ..
                    }) => Some(c_string(reason)),
                    Some(Revocation::Unknown { code, message }) => {
                        Some(c_string(&format!("{}: {message}", code.name())))
                    }
                    _ => None,
                },
                _ => None,
            })
            .collect();
        Ok(())
    })
}

/// What the revocation check found for row `index`: `"not-revoked"`, `"revoked"` or
/// `"unknown"`; NULL when none was made (no `ezla_cert_summary_check_revocation`, a root,
/// an unreadable source), when out of range or when `summary` is NULL. Static strings.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cert_summary_revocation(
    summary: *const ezla_cert_summary,
    index: usize,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        let name = boundary::opt_ref(summary)
            .and_then(|s| s.inner.entries().get(index))
            .and_then(|e| match e {
                SummaryEntry::Certificate(r) => r.revocation.as_ref().map(Revocation::name),
                _ => None,
            });
        match name {
            Some("not-revoked") => c"not-revoked".as_ptr(),
            Some("revoked") => c"revoked".as_ptr(),
            Some(_) => c"unknown".as_ptr(),
            None => std::ptr::null(),
        }
    })
}

/// When the certificate of row `index` was revoked, Unix seconds; `EZLA_NOW` when it is
/// not revoked (or not checked), when out of range or when `summary` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cert_summary_revoked_at(
    summary: *const ezla_cert_summary,
    index: usize,
) -> i64 {
    boundary::getter(crate::instant::EZLA_NOW, || {
        match boundary::opt_ref(summary).and_then(|s| s.inner.entries().get(index)) {
            Some(SummaryEntry::Certificate(r)) => match &r.revocation {
                Some(Revocation::Revoked { revoked_at, .. }) => revoked_at.unix_timestamp(),
                _ => crate::instant::EZLA_NOW,
            },
            _ => crate::instant::EZLA_NOW,
        }
    })
}

/// For row `index`: the CRL reason of a revocation (RFC 5280 name), or why the revocation
/// status is unknown (the error's name and message); NULL otherwise, when out of range or
/// when `summary` is NULL. Valid until `ezla_cert_summary_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cert_summary_revocation_detail(
    summary: *const ezla_cert_summary,
    index: usize,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(summary)
            .and_then(|s| s.revocation_details.get(index))
            .map_or(std::ptr::null(), |d| {
                d.as_ref().map_or(std::ptr::null(), |c| c.as_ptr())
            })
    })
}

/// The monitoring status of row `index`: OK, WARNING (renewal window, expiring), CRITICAL
/// (expired, not yet valid, revoked) or UNKNOWN (unreadable, revocation status unknown);
/// UNKNOWN when out of range or when `summary` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cert_summary_row_status(
    summary: *const ezla_cert_summary,
    index: usize,
) -> ezla_monitor_status {
    boundary::getter(ezla_monitor_status::Unknown, || {
        boundary::opt_ref(summary)
            .and_then(|s| s.inner.entries().get(index))
            .map_or(ezla_monitor_status::Unknown, |e| e.status().into())
    })
}

/// Where the certificate of row `index` stands at the summary's instant under its policy;
/// writes `*expiry_out` on success.
///
/// Errors: for a row whose source could not be read, that row's error (its code and
/// message, as `ezla_cert_summary_error` gives them); `EZLA_RESULT_NULL_PARAMETER`,
/// `EZLA_RESULT_INVALID_ARGUMENT` (index out of range).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cert_summary_expiry(
    summary: *const ezla_cert_summary,
    index: usize,
    expiry_out: *mut ezla_expiry,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let s = arg_ref(summary, "summary")?;
        let out = out_ptr(expiry_out, "expiry_out")?;
        let row = s.certificate_row(index)?;
        let status: &ExpiryStatus = &row.expiry;
        write(out, expiry_of(status)?);
        Ok(())
    })
}

/// The certificate of row `index`, as a new handle in `*cert_out` (free with
/// `ezla_certificate_free`): its subject, PESEL and serial through the certificate getters.
///
/// Errors: as `ezla_cert_summary_expiry`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cert_summary_certificate(
    summary: *const ezla_cert_summary,
    index: usize,
    cert_out: *mut *mut ezla_certificate,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let s = arg_ref(summary, "summary")?;
        let out = out_ptr(cert_out, "cert_out")?;
        let row = s.certificate_row(index)?;
        write_box(out, ezla_certificate::new(row.certificate.clone()));
        Ok(())
    })
}

/// Why the source of row `index` could not be read: its error code, `EZLA_RESULT_OK` for a
/// certificate row; `EZLA_RESULT_INVALID_ARGUMENT` when out of range,
/// `EZLA_RESULT_NULL_PARAMETER` when `summary` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cert_summary_error(
    summary: *const ezla_cert_summary,
    index: usize,
) -> ezla_result {
    boundary::getter(ezla_result::Panic, || {
        let Some(s) = boundary::opt_ref(summary) else {
            return ezla_result::NullParameter;
        };
        match s.inner.entries().get(index) {
            Some(SummaryEntry::Unreadable(u)) => u.code.into(),
            Some(_) => ezla_result::Ok,
            None => ezla_result::InvalidArgument,
        }
    })
}

/// The error message of row `index` when its source could not be read; NULL for a
/// certificate row, out of range, or when `summary` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cert_summary_error_message(
    summary: *const ezla_cert_summary,
    index: usize,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(summary)
            .and_then(|s| s.messages.get(index))
            .and_then(Option::as_ref)
            .map_or(std::ptr::null(), |c| c.as_ptr())
    })
}

/// The most urgent status of the rows (CRITICAL before UNKNOWN before WARNING before OK; OK
/// for no rows); UNKNOWN when `summary` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cert_summary_worst(
    summary: *const ezla_cert_summary,
) -> ezla_monitor_status {
    boundary::getter(ezla_monitor_status::Unknown, || {
        boundary::opt_ref(summary).map_or(ezla_monitor_status::Unknown, |s| s.inner.worst().into())
    })
}

/// The exit code of a monitoring plugin for `ezla_cert_summary_worst`: 0 OK, 1 WARNING,
/// 2 CRITICAL, 3 UNKNOWN (`ezla cert check`'s); 3 when `summary` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cert_summary_exit_code(summary: *const ezla_cert_summary) -> i32 {
    boundary::getter(3, || {
        boundary::opt_ref(summary).map_or(3, |s| i32::from(s.inner.exit_code()))
    })
}

/// The Prometheus text exposition format of the summary (as `ezla cert check --format
/// prometheus` writes it: `ezla_certificate_days_left`, `ezla_certificate_not_after_seconds`,
/// `ezla_certificate_status` per certificate, then the check's errors, exit code and
/// timestamp), copied into `*text_out` (free with `ezla_buffer_free`; not NUL-terminated).
/// For node_exporter's textfile collector, write it to a temporary file in the collector's
/// directory and rename it to a `.prom` name.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cert_summary_to_prometheus(
    summary: *const ezla_cert_summary,
    text_out: *mut ezla_buffer,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let s = arg_ref(summary, "summary")?;
        let out = out_ptr(text_out, "text_out")?;
        write(
            out,
            ezla_buffer::from_vec(s.inner.to_prometheus().into_bytes()),
        );
        Ok(())
    })
}

/// The JSON form of the summary (as `ezla cert check --json` prints it), copied into
/// `*json_out` (free with `ezla_buffer_free`; not NUL-terminated).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cert_summary_to_json(
    summary: *const ezla_cert_summary,
    json_out: *mut ezla_buffer,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let s = arg_ref(summary, "summary")?;
        let out = out_ptr(json_out, "json_out")?;
        write(out, ezla_buffer::from_vec(s.inner.to_json().into_bytes()));
        Ok(())
    })
}

/// Frees a summary. `ezla_cert_summary_free(NULL)` does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cert_summary_free(summary: *mut ezla_cert_summary) {
    boundary::getter((), || boundary::free_box(summary))
}

/// A static, NUL-terminated name of a monitoring status: `"OK"`, `"WARNING"`,
/// `"CRITICAL"`, `"UNKNOWN"`; `"UNKNOWN"` for other numbers too. Never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_monitor_status_name(status: u32) -> *const c_char {
    match status {
        0 => c"OK".as_ptr(),
        1 => c"WARNING".as_ptr(),
        2 => c"CRITICAL".as_ptr(),
        _ => c"UNKNOWN".as_ptr(),
    }
}
