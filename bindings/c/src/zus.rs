//! The ZUS channel client (`ezla::zus::Client`): log in with the doctor's identity, issue
//! an e-ZLA with ZUS's receipts, reconcile the journal, and the simple look-ups.

use std::ffi::{CString, c_char};
use std::sync::Arc;
use std::time::Duration;

use ezla_core::Error;
use ezla_core::store::{Journal, MemoryJournal, SqliteJournal};
use ezla_core::transport::{DEFAULT_OVERALL_TIMEOUT, TransportConfig, UreqTransport};
use ezla_core::zus::{BodyNamespace, Client, ClientConfig, KontekstDostepu, LoginKey, RetryPolicy};

use crate::boundary::{
    self, Failure, FfiResult, arg_bytes, arg_opt_str, arg_ref, arg_str, out_ptr, write, write_box,
};
use crate::buffer::ezla_buffer;
use crate::error::{c_string, ezla_error, ezla_result};
use crate::kedu::ezla_zla;
use crate::pki::{ezla_certificate, ezla_identity};
use crate::signer::ezla_signer;

/// Where and how to reach the ZUS channel, for `ezla_zus_client_new`. Start from
/// `ezla_zus_config_default()`; set `endpoint` and, for a test system or the simulator,
/// `ca_pem`. ezla copies what it keeps: the strings and bytes may be freed after the call.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ezla_zus_config {
    /// The full endpoint URL (NUL-terminated UTF-8), with the service path as ZUS
    /// publishes it, e.g. `https://pue.zus.pl:8001/ws/zus.channel.gabinetoweV4:zla`.
    /// Required.
    pub endpoint: *const c_char,
    /// CA certificates (PEM, `ca_pem_len` bytes) the server's TLS certificate must chain
    /// to, e.g. the simulator's `tls-ca.pem`; NULL (default): Mozilla's root list.
    pub ca_pem: *const u8,
    /// The length of `ca_pem`.
    pub ca_pem_len: usize,
    /// The name the server's certificate must carry, for an endpoint addressed by IP;
    /// NULL (default): the endpoint's host.
    pub server_name: *const c_char,
    /// The HTTP Basic user; NULL (default): `"ezla_ag"`.
    pub user: *const c_char,
    /// The HTTP Basic password; NULL (default): `"ezla_ag"`.
    pub password: *const c_char,
    /// The body namespace written: `"zus.pl"` (NULL, the default) or `"zus.gov.pl"`.
    /// Responses in either are read.
    pub body_namespace: *const c_char,
    /// Milliseconds to connect; 0 (default): 10 000.
    pub connect_timeout_ms: u32,
    /// Milliseconds to wait for a response; 0 (default): 60 000.
    pub response_timeout_ms: u32,
    /// The send journal, a SQLite file (NUL-terminated UTF-8 path); NULL (default): in
    /// memory, lost with the client.
    pub journal_path: *const c_char,
    /// Tries in all for a look-up or a validation, the first included (1: no retry); 0
    /// (default): 3. A send (`wyslijDokumenty`) is never retried blindly.
    pub retry_attempts: u32,
    /// Milliseconds before the first retry, doubled for each next one (up to 5 s), with
    /// jitter; 0 (default): 250.
    pub retry_base_delay_ms: u32,
    /// The doctor's licence number (NPWZ), sent with the login (`zalogujPodpisem`) as
    /// later versions of the service take it; NULL (default): not sent.
    pub npwz: *const c_char,
}

/// The default configuration: every field NULL or 0 (so `endpoint` must be set).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_config_default() -> ezla_zus_config {
    ezla_zus_config {
        endpoint: std::ptr::null(),
        ca_pem: std::ptr::null(),
        ca_pem_len: 0,
        server_name: std::ptr::null(),
        user: std::ptr::null(),
        password: std::ptr::null(),
        body_namespace: std::ptr::null(),
        connect_timeout_ms: 0,
        response_timeout_ms: 0,
        journal_path: std::ptr::null(),
        retry_attempts: 0,
        retry_base_delay_ms: 0,
        npwz: std::ptr::null(),
    }
}

/// A client of the ZUS channel: it holds the session (and the identity it logged in with,
/// to renew a session ZUS drops) and the send journal. Made by `ezla_zus_client_new`,
/// freed by `ezla_zus_client_free`, which logs out first when logged in.
///
/// Thread safety: a client may be used from several threads at once (calls share the
/// session; a renewal happens once). It must not be freed while another thread uses it.
pub struct ezla_zus_client {
    pub(crate) inner: Client,
}

fn millis(ms: u32, default: Duration) -> Duration {
    if ms == 0 {
        default
    } else {
        Duration::from_millis(u64::from(ms))
    }
}

fn client(config: &ezla_zus_config) -> FfiResult<Client> {
    let endpoint = arg_str(config.endpoint, "config.endpoint")?;
    let ca = arg_bytes(config.ca_pem, config.ca_pem_len, "config.ca_pem")?;
    let namespace = match arg_opt_str(config.body_namespace, "config.body_namespace")? {
        None | Some("zus.pl") => BodyNamespace::ZusPl,
        Some("zus.gov.pl") => BodyNamespace::ZusGovPl,
        Some(other) => {
            return Err(Failure::Invalid(format!(
                "config.body_namespace {other:?}: \"zus.pl\" or \"zus.gov.pl\" expected"
            )));
        }
    };
    let connect = millis(
        config.connect_timeout_ms,
        ezla_core::transport::DEFAULT_CONNECT_TIMEOUT,
    );
    let response = millis(
        config.response_timeout_ms,
        ezla_core::transport::DEFAULT_RESPONSE_TIMEOUT,
    );
    let mut builder = TransportConfig::builder()
        .basic_auth(
            arg_opt_str(config.user, "config.user")?.unwrap_or("ezla_ag"),
            arg_opt_str(config.password, "config.password")?.unwrap_or("ezla_ag"),
        )
        .connect_timeout(connect)
        .response_timeout(response)
        .overall_timeout((connect + response).max(DEFAULT_OVERALL_TIMEOUT));
    if !ca.is_empty() {
        builder = builder.trust_pem(ca);
    }
    if let Some(name) = arg_opt_str(config.server_name, "config.server_name")? {
        builder = builder.expected_server_name(name);
    }
    let journal: Arc<dyn Journal> = match arg_opt_str(config.journal_path, "config.journal_path")? {
        Some(path) => Arc::new(SqliteJournal::open(path)?),
        None => Arc::new(MemoryJournal::new()),
    };
    let default = RetryPolicy::default();
    let retry = RetryPolicy {
        attempts: if config.retry_attempts == 0 {
            default.attempts
        } else {
            config.retry_attempts
        },
        base_delay: millis(config.retry_base_delay_ms, default.base_delay),
        max_delay: default.max_delay,
    };
    let mut settings = ClientConfig::new(endpoint)
        .with_namespace(namespace)
        .with_retry(retry);
    if let Some(npwz) = arg_opt_str(config.npwz, "config.npwz")? {
        settings = settings.with_npwz(npwz);
    }
    let transport = UreqTransport::new(builder.build()?)?;
    Ok(Client::new(Arc::new(transport), settings).with_journal(journal))
}

/// Makes a client for `config` in `*client_out` (free with `ezla_zus_client_free`). No
/// connection is made yet; the journal file is opened (and created) now.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_UTF8`,
/// `EZLA_RESULT_INVALID_ARGUMENT` (unknown namespace, unusable credentials or server name),
/// `EZLA_RESULT_PEM_MALFORMED` (`ca_pem`), `EZLA_RESULT_INVALID_URL`,
/// `EZLA_RESULT_JOURNAL` (the journal file cannot be opened).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_client_new(
    config: *const ezla_zus_config,
    client_out: *mut *mut ezla_zus_client,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let config = arg_ref(config, "config")?;
        let out = out_ptr(client_out, "client_out")?;
        let inner = client(config)?;
        write_box(out, ezla_zus_client { inner });
        Ok(())
    })
}

/// Frees a client, logging out first when it is logged in (best effort: a failure is
/// ignored, and ZUS times the session out). `ezla_zus_client_free(NULL)` does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_client_free(client: *mut ezla_zus_client) {
    boundary::getter((), || boundary::free_box(client))
}

/// Logs in: gets ZUS's statement, signs it with `identity` (the doctor's `.pfx`; profile
/// `zus`) and sends it with method `certyfikat`. The client keeps a copy of the identity to
/// renew a session ZUS drops; `identity` may be freed after the call.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_ZUS_LOGIN_REFUSED` (ZUS's code and
/// text from `ezla_error_zus_code`/`ezla_error_zus_text`), `EZLA_RESULT_ZUS_FAULT`, the
/// transport errors (810–841).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_client_login(
    client: *const ezla_zus_client,
    identity: *const ezla_identity,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let client = arg_ref(client, "client")?;
        let identity = arg_ref(identity, "identity")?;
        client
            .inner
            .login(LoginKey::from_identity(identity.inner.clone()))?;
        Ok(())
    })
}

/// Logs in like `ezla_zus_client_login`, signing the statement with `signer` (a software
/// key or a callback: a smart card, an HSM) whose certificate is `cert`. The client keeps
/// the signer to renew a session ZUS drops: it must stay usable while the client lives (a
/// callback's userdata too); `signer` and `cert` themselves may be freed after the call.
///
/// Errors: as `ezla_zus_client_login`, and `EZLA_RESULT_SIGNING_FAILED` when the callback
/// fails.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_client_login_with_signer(
    client: *const ezla_zus_client,
    signer: *const ezla_signer,
    cert: *const ezla_certificate,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let client = arg_ref(client, "client")?;
        client.inner.login(signer_key(signer, cert)?)?;
        Ok(())
    })
}

/// The session id (*IdSesji*) the client holds, as UTF-8 in `*session_out` (free with
/// `ezla_buffer_free`); an empty buffer when not logged in. Keep it (e.g. between the
/// requests of a web application) to `ezla_zus_client_resume` the session later.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_client_session_id(
    client: *const ezla_zus_client,
    session_out: *mut ezla_buffer,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let client = arg_ref(client, "client")?;
        let out = out_ptr(session_out, "session_out")?;
        let id = client
            .inner
            .session_id()
            .map(|id| id.as_str().as_bytes().to_vec())
            .unwrap_or_default();
        write(out, ezla_buffer::from_vec(id));
        Ok(())
    })
}

/// Resumes a session obtained earlier (`session_id`, NUL-terminated, from
/// `ezla_zus_client_session_id`). It is renewed when ZUS drops it only after a login or an
/// issue gave the client a key.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_UTF8`,
/// `EZLA_RESULT_INVALID_ARGUMENT` (an empty or malformed id).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_client_resume(
    client: *const ezla_zus_client,
    session_id: *const c_char,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let client = arg_ref(client, "client")?;
        let id = ezla_core::zus::IdSesji::new(arg_str(session_id, "session_id")?)?;
        client.inner.resume(id);
        Ok(())
    })
}

/// The statement to sign for a login (`pobierzOswiadczenie`), for signing elsewhere (e.g.
/// with Profil Zaufany) and `ezla_zus_client_login_signed`. The UTF-8 XML goes to
/// `*statement_out` (free with `ezla_buffer_free`); sign exactly these bytes.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, the ZUS errors, the transport errors.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_client_statement(
    client: *const ezla_zus_client,
    statement_out: *mut ezla_buffer,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let client = arg_ref(client, "client")?;
        if statement_out.is_null() {
            return Err(Failure::Null("statement_out"));
        }
        let text = client.inner.statement()?;
        write(statement_out, ezla_buffer::from_vec(text.into_bytes()));
        Ok(())
    })
}

/// Logs in with a statement signed elsewhere: `statement`/`statement_len` exactly as the signer
/// returned them (UTF-8 XML), `method` `"certyfikat"` (an X.509 signature) or `"ePuap"`
/// (Profil Zaufany). Such a session is not renewed automatically when ZUS drops it.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_UTF8`,
/// `EZLA_RESULT_INVALID_ARGUMENT` (an unknown method), `EZLA_RESULT_ZUS_LOGIN_REFUSED`, the
/// other ZUS errors, the transport errors.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_client_login_signed(
    client: *const ezla_zus_client,
    statement: *const u8,
    statement_len: usize,
    method: *const c_char,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let client = arg_ref(client, "client")?;
        let bytes = arg_bytes(statement, statement_len, "statement")?;
        let text = std::str::from_utf8(bytes).map_err(|_| Failure::Utf8("statement"))?;
        let metoda = match arg_str(method, "method")? {
            "certyfikat" => ezla_core::zus::MetodaWeryfikacji::Certyfikat,
            "ePuap" => ezla_core::zus::MetodaWeryfikacji::EPuap,
            other => {
                return Err(Failure::Invalid(format!(
                    "`method` {other:?} is neither \"certyfikat\" nor \"ePuap\""
                )));
            }
        };
        client.inner.login_signed(text.to_owned(), metoda)?;
        Ok(())
    })
}

/// Logs out (`usunSesje`) and forgets the session and the identity. Nothing happens when
/// not logged in.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_ZUS_FAULT`, the transport errors.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_client_logout(
    client: *const ezla_zus_client,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        arg_ref(client, "client")?.inner.logout()?;
        Ok(())
    })
}

/// Whether the client holds a session; false when `client` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_client_is_logged_in(client: *const ezla_zus_client) -> bool {
    boundary::getter(false, || {
        boundary::opt_ref(client).is_some_and(|c| c.inner.session_id().is_some())
    })
}

fn full_name(imie: Option<&str>, nazwisko: Option<&str>) -> String {
    [imie, nazwisko]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The logged-in doctor's name as ZUS has it (`pobierzDaneLekarza`), `"Imię Nazwisko"` in
/// UTF-8 (no NUL), in `*name_out` (free with `ezla_buffer_free`).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_ARGUMENT` (not logged in, or
/// ZUS returned no doctor), the ZUS errors (600–607), the transport errors.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_client_doctor_name(
    client: *const ezla_zus_client,
    name_out: *mut ezla_buffer,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let client = arg_ref(client, "client")?;
        let out = out_ptr(name_out, "name_out")?;
        let l = client
            .inner
            .doctor()?
            .ok_or_else(|| Error::invalid_argument("lekarz", "ZUS returned no doctor data"))?;
        let name = full_name(l.imie.as_deref(), l.nazwisko.as_deref());
        write(out, ezla_buffer::from_vec(name.into_bytes()));
        Ok(())
    })
}

/// A patient's name as ZUS has it (`pobierzDaneUbezpieczonego`, context
/// `WystawienieZla`; it counts against ZUS's daily limit), `"Imię Nazwisko"` in UTF-8 (no
/// NUL), in `*name_out` (free with `ezla_buffer_free`). `pesel` is NUL-terminated.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_ARGUMENT` (a malformed PESEL,
/// not logged in, or a patient ZUS does not know), `EZLA_RESULT_ZUS_DAILY_LIMIT_EXCEEDED`,
/// the other ZUS errors, the transport errors.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_client_patient_name(
    client: *const ezla_zus_client,
    pesel: *const c_char,
    name_out: *mut ezla_buffer,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let client = arg_ref(client, "client")?;
        let pesel = ezla_core::pl::Pesel::parse(arg_str(pesel, "pesel")?)
            .map_err(|e| Failure::Invalid(format!("`pesel`: {e}")))?;
        let out = out_ptr(name_out, "name_out")?;
        let u = client
            .inner
            .patient(&pesel, KontekstDostepu::WystawienieZla)?
            .ok_or_else(|| Error::invalid_argument("pesel", "ZUS does not know this patient"))?;
        let name = full_name(Some(&u.imie), Some(&u.nazwisko));
        write(out, ezla_buffer::from_vec(name.into_bytes()));
        Ok(())
    })
}

/// One document of an issue report.
struct Document {
    kind: &'static std::ffi::CStr,
    seria_numer: CString,
    signed: Vec<u8>,
    upp: Vec<u8>,
}

/// What `ezla_zus_client_issue` did: every document sent (for each certificate its
/// ORYGINAŁ, then its KOPIA), each with its series/number, the bytes as signed and sent,
/// and ZUS's receipt (UPP); and the number of warnings ZUS's validation gave.
///
/// Thread safety: immutable; may be read from several threads at once. Strings and bytes
/// from its getters live until `ezla_zus_issue_report_free`.
pub struct ezla_zus_issue_report {
    certificates: usize,
    documents: Vec<Document>,
    warnings: Vec<CString>,
}

fn kind_name(kind: ezla_core::store::DocumentKind) -> &'static std::ffi::CStr {
    match kind {
        ezla_core::store::DocumentKind::Kopia => c"KOPIA",
        ezla_core::store::DocumentKind::Azla => c"AZLA",
        _ => c"ORYGINAL",
    }
}

fn document(r: ezla_core::zus::Receipted) -> Document {
    Document {
        kind: kind_name(r.kind),
        seria_numer: c_string(&r.seria_numer.compact()),
        signed: r.signed,
        upp: r.upp.into_bytes(),
    }
}

/// Issues an e-ZLA in one call from the template `zla`: the doctor and place of work as
/// ZUS has them, the permission for the day, the patient and payers, the plan (the 3-day
/// rule, one certificate per payer), a series/number for each, the ORYGINAŁ and KOPIA built
/// and signed with `identity`, ZUS's validation (errors stop everything before anything is
/// sent), the journaled send and the receipts. Logs in with `identity` first when not
/// logged in. `today` is the day the documents are judged on, `"YYYY-MM-DD"`, or NULL for
/// today in Poland. The report goes to `*report_out` (free with
/// `ezla_zus_issue_report_free`).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_ARGUMENT` (a malformed
/// `today`, a template without the place of work's NIP, a payer ZUS does not list),
/// `EZLA_RESULT_DOCUMENT_INVALID`, `EZLA_RESULT_ZUS_VALIDATION_REFUSED` (the message lists
/// every finding), `EZLA_RESULT_ZUS_SEND_REFUSED`, the other ZUS errors, the transport
/// errors (a send whose outcome is unknown is settled by `ezla_zus_client_reconcile`),
/// `EZLA_RESULT_JOURNAL`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_client_issue(
    client: *const ezla_zus_client,
    zla: *const ezla_zla,
    identity: *const ezla_identity,
    today: *const c_char,
    report_out: *mut *mut ezla_zus_issue_report,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let identity = arg_ref(identity, "identity")?;
        let key = LoginKey::from_identity(identity.inner.clone());
        issue(client, zla, &key, today, report_out)
    })
}

/// Like `ezla_zus_client_issue`, signing with `signer` (a software key or a callback: a
/// smart card, an HSM) whose certificate is `cert`. The client keeps the signer to renew a
/// session ZUS drops: it must stay usable while the client lives (a callback's userdata
/// too); `signer` and `cert` themselves may be freed after the call.
///
/// Errors: as `ezla_zus_client_issue`, and `EZLA_RESULT_SIGNING_FAILED` when the callback
/// fails.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_client_issue_with_signer(
    client: *const ezla_zus_client,
    zla: *const ezla_zla,
    signer: *const ezla_signer,
    cert: *const ezla_certificate,
    today: *const c_char,
    report_out: *mut *mut ezla_zus_issue_report,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let key = signer_key(signer, cert)?;
        issue(client, zla, &key, today, report_out)
    })
}

fn signer_key(signer: *const ezla_signer, cert: *const ezla_certificate) -> FfiResult<LoginKey> {
    let signer = arg_ref(signer, "signer")?;
    let cert = arg_ref(cert, "cert")?;
    Ok(LoginKey::new(
        signer.shared(),
        cert.inner.clone(),
        Vec::new(),
    ))
}

fn issue(
    client: *const ezla_zus_client,
    zla: *const ezla_zla,
    key: &LoginKey,
    today: *const c_char,
    report_out: *mut *mut ezla_zus_issue_report,
) -> FfiResult<()> {
    {
        let client = arg_ref(client, "client")?;
        let zla = arg_ref(zla, "zla")?;
        let today = match arg_opt_str(today, "today")? {
            Some(t) => parse_date(t, "today")?,
            None => ezla_core::pl::czas::today(),
        };
        let out = out_ptr(report_out, "report_out")?;
        let report = client.inner.issue(&zla.inner, key, today)?;
        let certificates = report.certificates.len();
        let documents = report
            .certificates
            .into_iter()
            .flat_map(|c| [document(c.oryginal), document(c.kopia)])
            .collect();
        let warnings = report
            .warnings
            .iter()
            .map(|w| c_string(&w.to_string()))
            .collect();
        write_box(
            out,
            ezla_zus_issue_report {
                certificates,
                documents,
                warnings,
            },
        );
        Ok(())
    }
}

/// Cancels the certificate `seria_numer` (`"ZY1234567"`) with a signed AZLA: ZUS is asked
/// whether it may be cancelled, the ORYGINAŁ is read from ZUS, the AZLA built with `reason`
/// (a code of ZUS's dictionary: `"U"`, `"P"`, `"N"`, `"M"`, `"I"`, `"B"`, `"A"`, `"E"`,
/// `"X"`) and the doctor as ZUS has them, signed with `identity`, and sent under the
/// journal. The receipt (UPP) goes to `*upp_out` (free with `ezla_buffer_free`). `today` is
/// the statement's date, `"YYYY-MM-DD"`, or NULL for today in Poland. Logs in with
/// `identity` first when not logged in.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_ARGUMENT` (a malformed
/// series/number, reason or date), `EZLA_RESULT_ZUS_NOT_ALLOWED` (ZUS does not allow
/// cancelling it: already cancelled, not issued), the other ZUS errors, the transport
/// errors, `EZLA_RESULT_JOURNAL`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_client_cancel(
    client: *const ezla_zus_client,
    seria_numer: *const c_char,
    reason: *const c_char,
    identity: *const ezla_identity,
    today: *const c_char,
    upp_out: *mut ezla_buffer,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let identity = arg_ref(identity, "identity")?;
        let key = LoginKey::from_identity(identity.inner.clone());
        cancel(client, seria_numer, reason, &key, today, upp_out)
    })
}

/// Like `ezla_zus_client_cancel`, signing with `signer` whose certificate is `cert` (see
/// `ezla_zus_client_issue_with_signer`).
///
/// Errors: as `ezla_zus_client_cancel`, and `EZLA_RESULT_SIGNING_FAILED`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_client_cancel_with_signer(
    client: *const ezla_zus_client,
    seria_numer: *const c_char,
    reason: *const c_char,
    signer: *const ezla_signer,
    cert: *const ezla_certificate,
    today: *const c_char,
    upp_out: *mut ezla_buffer,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let key = signer_key(signer, cert)?;
        cancel(client, seria_numer, reason, &key, today, upp_out)
    })
}

fn cancel(
    client: *const ezla_zus_client,
    seria_numer: *const c_char,
    reason: *const c_char,
    key: &LoginKey,
    today: *const c_char,
    upp_out: *mut ezla_buffer,
) -> FfiResult<()> {
    {
        let client = arg_ref(client, "client")?;
        let text = arg_str(seria_numer, "seria_numer")?;
        let sn = ezla_core::zus::SeriaNumer::from_compact(text).ok_or_else(|| {
            Failure::Invalid(format!(
                "`seria_numer` {text:?} is not two capital letters and seven digits"
            ))
        })?;
        let reason_text = arg_str(reason, "reason")?;
        let przyczyna = ezla_core::kedu::codes::PrzyczynaAnulowania::from_kod(reason_text)
            .ok_or_else(|| {
                Failure::Invalid(format!(
                    "`reason` {reason_text:?} is not a cancellation reason (U, P, N, M, I, B, A, E, X)"
                ))
            })?;
        let today = match arg_opt_str(today, "today")? {
            Some(t) => parse_date(t, "today")?,
            None => ezla_core::pl::czas::today(),
        };
        if upp_out.is_null() {
            return Err(Failure::Null("upp_out"));
        }
        let sent = client.inner.cancel(&sn, przyczyna, key, today)?;
        write(upp_out, ezla_buffer::from_vec(sent.upp.into_bytes()));
        Ok(())
    }
}

/// A `YYYY-MM-DD` date argument named `name`.
pub(crate) fn parse_date(text: &str, name: &str) -> FfiResult<time::Date> {
    let bad =
        |why: String| Failure::Invalid(format!("`{name}` {text:?} is not a YYYY-MM-DD date{why}"));
    let mut parts = text.splitn(3, '-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(bad(String::new()));
    };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
        return Err(bad(String::new()));
    }
    let num = |s: &str| s.parse::<u16>().map_err(|e| bad(format!(": {e}")));
    let month = u8::try_from(num(m)?)
        .ok()
        .and_then(|m| time::Month::try_from(m).ok())
        .ok_or_else(|| bad(": no such month".into()))?;
    let day = u8::try_from(num(d)?).map_err(|e| bad(format!(": {e}")))?;
    time::Date::from_calendar_date(i32::from(num(y)?), month, day)
        .map_err(|e| bad(format!(": {e}")))
}

/// Frees an issue report. `ezla_zus_issue_report_free(NULL)` does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_issue_report_free(report: *mut ezla_zus_issue_report) {
    boundary::getter((), || boundary::free_box(report))
}

/// The number of certificates issued; 0 when `report` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_issue_report_certificate_count(
    report: *const ezla_zus_issue_report,
) -> usize {
    boundary::getter(0, || {
        boundary::opt_ref(report).map_or(0, |r| r.certificates)
    })
}

/// The number of documents sent (two per certificate); 0 when `report` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_issue_report_document_count(
    report: *const ezla_zus_issue_report,
) -> usize {
    boundary::getter(0, || {
        boundary::opt_ref(report).map_or(0, |r| r.documents.len())
    })
}

fn doc<'a>(report: *const ezla_zus_issue_report, index: usize) -> Option<&'a Document> {
    boundary::opt_ref(report).and_then(|r| r.documents.get(index))
}

/// Document `index`'s kind: `"ORYGINAL"` or `"KOPIA"`. NULL when out of range or when
/// `report` is NULL; otherwise static.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_issue_report_document_kind(
    report: *const ezla_zus_issue_report,
    index: usize,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        doc(report, index).map_or(std::ptr::null(), |d| d.kind.as_ptr())
    })
}

/// Document `index`'s series and number, e.g. `"ZY0000001"`. NULL when out of range or
/// when `report` is NULL; otherwise valid until `ezla_zus_issue_report_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_issue_report_document_seria_numer(
    report: *const ezla_zus_issue_report,
    index: usize,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        doc(report, index).map_or(std::ptr::null(), |d| d.seria_numer.as_ptr())
    })
}

/// Document `index` exactly as signed and sent: its bytes in `*data_out` and their number
/// in `*len_out`, borrowed (valid until `ezla_zus_issue_report_free`; not freed by the
/// caller). False (and nothing written) when out of range or an argument is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_issue_report_document_signed(
    report: *const ezla_zus_issue_report,
    index: usize,
    data_out: *mut *const u8,
    len_out: *mut usize,
) -> bool {
    boundary::getter(false, || {
        boundary::lend(doc(report, index).map(|d| &d.signed[..]), data_out, len_out)
    })
}

/// Document `index`'s receipt (UPP), the signed XML ZUS returned: its bytes in `*data_out`
/// and their number in `*len_out`, borrowed (valid until `ezla_zus_issue_report_free`).
/// False (and nothing written) when out of range or an argument is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_issue_report_document_upp(
    report: *const ezla_zus_issue_report,
    index: usize,
    data_out: *mut *const u8,
    len_out: *mut usize,
) -> bool {
    boundary::getter(false, || {
        boundary::lend(doc(report, index).map(|d| &d.upp[..]), data_out, len_out)
    })
}

/// The number of warnings ZUS's validation gave; 0 when `report` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_issue_report_warning_count(
    report: *const ezla_zus_issue_report,
) -> usize {
    boundary::getter(0, || {
        boundary::opt_ref(report).map_or(0, |r| r.warnings.len())
    })
}

/// Warning `index` as text (`"OSTRZEZENIE W145: ... at ..."`, ZUS's code and words
/// verbatim). NULL when out of range or when `report` is NULL; otherwise valid until
/// `ezla_zus_issue_report_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_issue_report_warning(
    report: *const ezla_zus_issue_report,
    index: usize,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(report)
            .and_then(|r| r.warnings.get(index))
            .map_or(std::ptr::null(), |w| w.as_ptr())
    })
}

/// Settles every send of the journal whose outcome is unknown by asking ZUS, then sends
/// (once) what ZUS does not have. The numbers of documents found at ZUS, sent now, and
/// refused now go to `*found_out`, `*resent_out` and `*refused_out` (each may be NULL).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_ARGUMENT` (not logged in),
/// the ZUS errors, the transport errors, `EZLA_RESULT_JOURNAL`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_zus_client_reconcile(
    client: *const ezla_zus_client,
    found_out: *mut usize,
    resent_out: *mut usize,
    refused_out: *mut usize,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let r = arg_ref(client, "client")?.inner.reconcile()?;
        for (out, n) in [
            (found_out, r.found.len()),
            (resent_out, r.resent.len()),
            (refused_out, r.refused.len()),
        ] {
            if !out.is_null() {
                write(out, n);
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::format_date;

    #[test]
    fn a_config_without_endpoint_is_refused_and_nothing_is_written() {
        let config = ezla_zus_config_default();
        let mut client: *mut ezla_zus_client = std::ptr::null_mut();
        let mut err: *mut ezla_error = std::ptr::null_mut();
        assert_eq!(
            ezla_zus_client_new(&config, &mut client, &mut err),
            ezla_result::NullParameter
        );
        assert!(client.is_null());
        crate::error::ezla_error_free(err);
    }

    #[test]
    fn a_client_is_made_offline_and_the_getters_take_null() {
        let mut config = ezla_zus_config_default();
        config.endpoint = c"https://127.0.0.1:1/ws".as_ptr();
        config.body_namespace = c"zus.gov.pl".as_ptr();
        let mut client: *mut ezla_zus_client = std::ptr::null_mut();
        assert_eq!(
            ezla_zus_client_new(&config, &mut client, std::ptr::null_mut()),
            ezla_result::Ok
        );
        assert!(!ezla_zus_client_is_logged_in(client));
        // Not logged in: refused before any I/O.
        let mut found = 7usize;
        assert_eq!(
            ezla_zus_client_reconcile(
                client,
                &mut found,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                std::ptr::null_mut()
            ),
            ezla_result::Ok,
            "an empty journal has nothing to settle"
        );
        assert_eq!(found, 0);
        ezla_zus_client_free(client);
        assert_eq!(ezla_zus_issue_report_document_count(std::ptr::null()), 0);
        assert!(ezla_zus_issue_report_document_kind(std::ptr::null(), 0).is_null());
        config.body_namespace = c"zus.example".as_ptr();
        assert_eq!(
            ezla_zus_client_new(&config, &mut client, std::ptr::null_mut()),
            ezla_result::InvalidArgument
        );
    }

    #[test]
    fn dates_are_yyyy_mm_dd() {
        assert!(parse_date("2026-12-01", "today").is_ok());
        assert!(parse_date("1.12.2026", "today").is_err());
        assert!(parse_date("2026-02-30", "day").is_err());
        let day = time::Date::from_calendar_date(2026, time::Month::March, 4).expect("a date");
        assert_eq!(format_date(day), "2026-03-04");
    }
}
