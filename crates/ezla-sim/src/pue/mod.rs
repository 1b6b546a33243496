//! The simulated PUE ZUS certificate service ("certyfikat z ZUS"), mounted under `/pue/`:
//! a doctor logs in through the simulated login.gov.pl (PUE is a service provider of the
//! simulator's own identity provider, built on [`ezla::wk::ServiceProvider`]), applies for a
//! certificate, downloads its `.pfx` once, renews it from 28 days before expiry, is
//! reminded 14 days before, and cancels it; the CRL at `/pue/crl` lists what was cancelled,
//! and the ZUS channel refuses what a cancelled certificate signs.
//!
//! - [`CertificateService`]: the rules, without HTTP (also what the `ezla-sim cert`,
//!   `crl`, `clock` and `outbox` commands use).
//! - [`Pue`]: the pages, the JSON endpoints and the login (see `docs/pue.md`).
//!
//! What ZUS knows about certificates (issued, cancelled) is in the ZUS state
//! ([`State::issued_certificate`](crate::zus::State::issued_certificate)); what PUE keeps
//! (sessions, applications and their `.pfx` until downloaded, reminders, the outbox) in
//! [`PueStore`].

mod form;
mod store;
mod web;

use std::path::Path;
use std::sync::Arc;

use ezla::ErrorCode;
use ezla::pki::crl::{Crl, RevocationReason, RevokedCertificate};
use ezla::pki::{Certificate, Identity, Pkcs12Options};
use ezla::pl::Pesel;
use serde::Serialize;
use time::{Duration, OffsetDateTime};

pub use form::{
    ApplicationForm, FieldError, MIN_PASSWORD_CHARS, ValidApplication, check_application,
    check_email, check_phone, password_hints,
};
pub use store::{
    Application, Notification, PueStore, SESSION_LIFETIME, STORE_FILE, Session, StoreFailure,
};
pub use web::{PUE_PATH, Pue, PueHandler, SESSION_COOKIE, SP_ENTITY_ID};

use crate::zus::{IssuedCertificate, ZusService};

/// A new certificate may be applied for from this long before the current one expires.
pub const RENEWAL_WINDOW: Duration = Duration::days(28);
/// The reminder (e-mail and SMS) is sent this long before expiry.
pub const REMINDER_WINDOW: Duration = Duration::days(14);
/// Wrong passwords allowed at download; the last one destroys the `.pfx`.
pub const MAX_DOWNLOAD_ATTEMPTS: u32 = 5;
/// PBKDF2 iterations of the `.pfx`. ZUS's own count is not known (ezla-zus.md §9); the
/// simulator takes fewer than `ezla-sim doctor add` (600 000) because every application
/// and every download attempt derives the key three times (MAC, key bag, certificate bag).
pub const PFX_ITERATIONS: u32 = 100_000;
/// How long a CRL is valid: `nextUpdate` is `thisUpdate` plus this.
pub const CRL_VALIDITY: Duration = Duration::days(1);

/// The reasons a doctor may give for cancelling, as offered on the page: RFC 5280 CRLReason
/// and the words a person would choose.
pub const CANCEL_REASONS: &[(RevocationReason, &str)] = &[
    (
        RevocationReason::KeyCompromise,
        "utrata lub ujawnienie klucza (zgubiony plik, ktoś poznał hasło)",
    ),
    (
        RevocationReason::AffiliationChanged,
        "zmiana danych (np. nazwiska)",
    ),
    (
        RevocationReason::Superseded,
        "zastąpiony nowym certyfikatem",
    ),
    (
        RevocationReason::CessationOfOperation,
        "zaprzestanie wykonywania zawodu",
    ),
    (RevocationReason::Unspecified, "bez podania przyczyny"),
];

/// A revocation reason as typed: its RFC 5280 name (`keyCompromise`) or code (`1`).
pub fn parse_reason(text: &str) -> Option<RevocationReason> {
    let text = text.trim();
    match text.parse::<u8>() {
        Ok(code) => RevocationReason::from_code(code),
        Err(_) => RevocationReason::from_name(text),
    }
}

/// Why an application is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApplyRefusal {
    /// The person is not a doctor ZUS knows (no licence number for the PESEL).
    NotDoctor,
    /// The form has problems (every one of them).
    Invalid(Vec<FieldError>),
    /// The current certificate has more than [`RENEWAL_WINDOW`] left.
    TooEarly {
        /// The current certificate.
        serial: String,
        /// Its expiry.
        not_after: OffsetDateTime,
        /// When a new application is accepted.
        from: OffsetDateTime,
    },
}

/// Why a download is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DownloadRefusal {
    /// No application of this doctor has this serial.
    NotFound,
    /// Downloaded already (the file exists once).
    AlreadyDownloaded(OffsetDateTime),
    /// Locked after too many wrong passwords: a new application is needed.
    Locked(OffsetDateTime),
    /// The certificate was cancelled before it was downloaded.
    Cancelled(OffsetDateTime),
    /// A wrong password, counted.
    WrongPassword {
        /// Wrong passwords so far.
        attempts: u32,
        /// Attempts left before the lock.
        remaining: u32,
    },
}

/// Why a cancellation is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CancelRefusal {
    /// No certificate (of this doctor) has this serial.
    NotFound,
    /// Cancelled already.
    AlreadyCancelled {
        /// When.
        at: OffsetDateTime,
        /// Why.
        reason: Option<RevocationReason>,
    },
}

/// A new certificate, waiting for its download.
#[derive(Clone, Debug)]
pub struct Issued {
    /// The certificate.
    pub certificate: Certificate,
    /// As recorded.
    pub record: IssuedCertificate,
}

/// A downloaded `.pfx`.
#[derive(Clone, Debug)]
pub struct Download {
    /// The file.
    pub pfx: Vec<u8>,
    /// The name to save it under.
    pub filename: String,
}

/// A certificate as the doctor sees it (also the JSON of the endpoints).
#[derive(Clone, Debug, Serialize)]
pub struct CertificateView {
    /// Serial, upper-case hex.
    pub serial: String,
    /// Subject (RFC 4514).
    pub subject: String,
    /// Start of validity (RFC 3339).
    pub not_before: String,
    /// End of validity (RFC 3339).
    pub not_after: String,
    /// `waiting` (for its download), `downloaded`, `locked`, `cancelled`, `expired`, or
    /// `issued` (outside PUE, by `ezla-sim doctor add`).
    pub status: &'static str,
    /// When it was downloaded.
    pub downloaded_at: Option<String>,
    /// Wrong passwords given at download.
    pub failed_attempts: u32,
    /// Attempts left before the download locks (while waiting).
    pub attempts_left: Option<u32>,
    /// When it was cancelled.
    pub revoked_at: Option<String>,
    /// Why (RFC 5280 name).
    pub reason: Option<&'static str>,
}

fn rfc3339(t: OffsetDateTime) -> String {
    ezla::xml::datetime::format(t)
}

/// The rules of PUE's certificate service, over the ZUS state and the PUE store.
#[derive(Debug)]
pub struct CertificateService {
    zus: Arc<ZusService>,
    store: PueStore,
    /// Serialises applications in this process: the renewal check and the issuance are one
    /// step, so two concurrent applications cannot both pass the check.
    applying: std::sync::Mutex<()>,
}

impl CertificateService {
    /// The service of the state directory `dir` (the PUE store in `DIR/pue/`).
    pub fn open(dir: &Path, zus: Arc<ZusService>) -> Result<Self, String> {
        let store = PueStore::open(dir).map_err(|e| e.to_string())?;
        Ok(CertificateService {
            zus,
            store,
            applying: std::sync::Mutex::new(()),
        })
    }

    /// The simulated ZUS.
    pub fn zus(&self) -> &Arc<ZusService> {
        &self.zus
    }

    /// The store.
    pub fn store(&self) -> &PueStore {
        &self.store
    }

    /// The simulated now (the ZUS state's clock).
    pub fn now(&self) -> OffsetDateTime {
        self.zus.state().now()
    }

    /// Moves the simulated clock and sends the reminders that fall due.
    pub fn set_clock(&self, at: OffsetDateTime) -> Result<(), String> {
        self.zus.state().set_clock(at).map_err(|e| e.to_string())?;
        self.send_due_reminders().map(|_| ())
    }

    /// Whether the PESEL is a doctor ZUS knows, and the record.
    pub fn doctor(&self, pesel: &str) -> Result<Option<crate::zus::Doctor>, String> {
        self.zus
            .state()
            .known_doctor(pesel)
            .map_err(|e| e.to_string())
    }

    /// The doctor's certificates, oldest first.
    pub fn certificates(&self, pesel: &str) -> Result<Vec<CertificateView>, String> {
        let now = self.now();
        let records = self
            .zus
            .state()
            .certificates_of(pesel)
            .map_err(|e| e.to_string())?;
        records
            .into_iter()
            .map(|c| {
                let application = self
                    .store
                    .application(&c.serial)
                    .map_err(|e| e.to_string())?;
                Ok(view(&c, application.as_ref(), now))
            })
            .collect()
    }

    /// When the doctor may apply: `None` now, or the refusal.
    pub fn renewal_refusal(&self, pesel: &str) -> Result<Option<ApplyRefusal>, String> {
        let now = self.now();
        let current = self
            .zus
            .state()
            .certificates_of(pesel)
            .map_err(|e| e.to_string())?
            .into_iter()
            .filter(|c| c.revocation.is_none() && c.not_after > now)
            .max_by_key(|c| c.not_after);
        Ok(current.and_then(|c| {
            (c.not_after - now > RENEWAL_WINDOW).then(|| ApplyRefusal::TooEarly {
                serial: c.serial.clone(),
                not_after: c.not_after,
                from: c.not_after - RENEWAL_WINDOW,
            })
        }))
    }

    /// Applies for a certificate for the doctor `pesel`: checks the form and the renewal
    /// window, has the CA generate the RSA-2048 key and issue a five-year certificate
    /// whose CRL distribution point is `crl_url`, keeps the `.pfx` (protected with the
    /// password, which is not kept) for its one download, and notifies by e-mail and SMS.
    pub fn apply(
        &self,
        pesel: &str,
        form: &ApplicationForm,
        crl_url: &str,
    ) -> Result<Result<Issued, ApplyRefusal>, String> {
        let Some(doctor) = self.doctor(pesel)? else {
            return Ok(Err(ApplyRefusal::NotDoctor));
        };
        let valid = match check_application(form) {
            Ok(v) => v,
            Err(errors) => return Ok(Err(ApplyRefusal::Invalid(errors))),
        };
        let _one_at_a_time = self.applying.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(refusal) = self.renewal_refusal(pesel)? {
            return Ok(Err(refusal));
        }
        let parsed = Pesel::parse(pesel).map_err(|e| format!("PESEL {pesel}: {e}"))?;
        let now = self.now();
        let identity = self
            .zus
            .ca()
            .issue_doctor_with(
                parsed,
                &doctor.imie,
                &doctor.nazwisko,
                now - Duration::minutes(1),
                Some(crl_url),
            )
            .map_err(|e| format!("the CA: {e}"))?;
        let pfx = identity
            .to_pkcs12(&form.password, PFX_ITERATIONS)
            .map_err(|e| format!("the .pfx: {e}"))?;
        let state = self.zus.state();
        state
            .add_doctor(pesel, &doctor.imie, &doctor.nazwisko, &doctor.npwz)
            .map_err(|e| e.to_string())?;
        let record = state
            .record_certificate(&identity.certificate, pesel)
            .map_err(|e| e.to_string())?;
        self.store
            .add_application(&record.serial, pesel, &valid.email, &valid.phone, &pfx, now)
            .map_err(|e| e.to_string())?;
        self.notify(
            &valid.email,
            &valid.phone,
            pesel,
            &record.serial,
            "issued",
            &format!(
                "ZUS: Twój certyfikat nr {} jest gotowy. Pobierz go w PUE ZUS (zakładka \
                 Certyfikaty) — plik można pobrać tylko raz. Ważny do {}.",
                record.serial,
                rfc3339(record.not_after)
            ),
            now,
        )?;
        crate::log(&format!(
            "pue: certificate {} issued for PESEL {pesel}",
            record.serial
        ));
        Ok(Ok(Issued {
            certificate: identity.certificate.clone(),
            record,
        }))
    }

    /// The one download of the certificate `serial` of the doctor `pesel`, with its
    /// password: checked by opening the stored `.pfx` with it (no password is kept). A
    /// wrong password is counted; the fifth destroys the `.pfx` and cancels the
    /// certificate (`cessationOfOperation`: it was never delivered).
    pub fn download(
        &self,
        pesel: &str,
        serial: &str,
        password: &str,
    ) -> Result<Result<Download, DownloadRefusal>, String> {
        let Some(serial) = crate::zus::normalize_serial(serial) else {
            return Ok(Err(DownloadRefusal::NotFound));
        };
        let Some(application) = self
            .store
            .application(&serial)
            .map_err(|e| e.to_string())?
            .filter(|a| a.pesel == pesel)
        else {
            return Ok(Err(DownloadRefusal::NotFound));
        };
        if let Some(at) = application.downloaded_at {
            return Ok(Err(DownloadRefusal::AlreadyDownloaded(at)));
        }
        if let Some(at) = application.locked_at {
            return Ok(Err(DownloadRefusal::Locked(at)));
        }
        let record = self
            .zus
            .state()
            .issued_certificate(&serial)
            .map_err(|e| e.to_string())?;
        if let Some(r) = record.as_ref().and_then(|r| r.revocation) {
            return Ok(Err(DownloadRefusal::Cancelled(r.at)));
        }
        let Some(pfx) = self.store.waiting_pfx(&serial).map_err(|e| e.to_string())? else {
            return self.download_gone(&serial);
        };
        let now = self.now();
        match Identity::from_pkcs12(&pfx, Some(password), &Pkcs12Options::default()) {
            Ok(_) => {}
            Err(e) if e.code() == ErrorCode::BadPassword => {
                let (attempts, locked) = self
                    .store
                    .wrong_password(&serial, MAX_DOWNLOAD_ATTEMPTS, now)
                    .map_err(|e| e.to_string())?;
                if locked {
                    self.lock(&application, now)?;
                    return Ok(Err(DownloadRefusal::Locked(now)));
                }
                return Ok(Err(DownloadRefusal::WrongPassword {
                    attempts,
                    remaining: MAX_DOWNLOAD_ATTEMPTS.saturating_sub(attempts),
                }));
            }
            Err(e) => return Err(format!("the stored .pfx of {serial}: {e}")),
        }
        let Some(pfx) = self
            .store
            .take_pfx(&serial, now)
            .map_err(|e| e.to_string())?
        else {
            return self.download_gone(&serial);
        };
        self.store
            .send(
                "email",
                &application.email,
                pesel,
                Some(&serial),
                "downloaded",
                &format!(
                    "ZUS: certyfikat nr {serial} został pobrany {}. Jeśli to nie Ty, anuluj \
                     go natychmiast w PUE ZUS.",
                    rfc3339(now)
                ),
                now,
            )
            .map_err(|e| e.to_string())?;
        crate::log(&format!("pue: certificate {serial} downloaded"));
        Ok(Ok(Download {
            pfx,
            filename: format!("certyfikat-ZUS-{serial}.pfx"),
        }))
    }

    /// The refusal for a `.pfx` that went between the checks and the take (another
    /// download, a lock, a cancellation).
    fn download_gone(&self, serial: &str) -> Result<Result<Download, DownloadRefusal>, String> {
        let application = self.store.application(serial).map_err(|e| e.to_string())?;
        let record = self
            .zus
            .state()
            .issued_certificate(serial)
            .map_err(|e| e.to_string())?;
        Ok(Err(
            match (application, record.and_then(|r| r.revocation)) {
                (Some(a), _) if a.downloaded_at.is_some() => {
                    DownloadRefusal::AlreadyDownloaded(a.downloaded_at.unwrap_or(a.applied_at))
                }
                (Some(a), _) if a.locked_at.is_some() => {
                    DownloadRefusal::Locked(a.locked_at.unwrap_or(a.applied_at))
                }
                (_, Some(r)) => DownloadRefusal::Cancelled(r.at),
                _ => DownloadRefusal::NotFound,
            },
        ))
    }

    fn lock(&self, application: &Application, now: OffsetDateTime) -> Result<(), String> {
        let reason = RevocationReason::CessationOfOperation;
        let _ = self
            .zus
            .state()
            .revoke(&application.serial, now, reason.code())
            .map_err(|e| e.to_string())?;
        crate::log(&format!(
            "pue: certificate {} locked after {MAX_DOWNLOAD_ATTEMPTS} wrong passwords; \
             its key is destroyed and it is cancelled",
            application.serial
        ));
        self.notify(
            &application.email,
            &application.phone,
            &application.pesel,
            &application.serial,
            "locked",
            &format!(
                "ZUS: po {MAX_DOWNLOAD_ATTEMPTS} błędnych hasłach pobranie certyfikatu nr {} \
                 zablokowano, a certyfikat anulowano. Złóż nowy wniosek w PUE ZUS.",
                application.serial
            ),
            now,
        )
    }

    /// Cancels the certificate `serial` for `reason`, now; `pesel` limits it to that
    /// doctor's certificates (`None`: the administrator's `ezla-sim cert cancel`). A `.pfx`
    /// still waiting for download is destroyed.
    pub fn cancel(
        &self,
        pesel: Option<&str>,
        serial: &str,
        reason: RevocationReason,
    ) -> Result<Result<IssuedCertificate, CancelRefusal>, String> {
        let state = self.zus.state();
        let Some(record) = state
            .issued_certificate(serial)
            .map_err(|e| e.to_string())?
            .filter(|r| pesel.is_none_or(|p| r.pesel == p))
        else {
            return Ok(Err(CancelRefusal::NotFound));
        };
        let now = self.now();
        let revoked = match state
            .revoke(&record.serial, now, reason.code())
            .map_err(|e| e.to_string())?
        {
            Ok(r) => r,
            Err(crate::zus::RevokeError::AlreadyRevoked(r)) => {
                return Ok(Err(CancelRefusal::AlreadyCancelled {
                    at: r.at,
                    reason: RevocationReason::from_code(r.reason),
                }));
            }
            Err(crate::zus::RevokeError::Unknown(_)) => return Ok(Err(CancelRefusal::NotFound)),
        };
        self.store
            .destroy_pfx(&record.serial)
            .map_err(|e| e.to_string())?;
        if let Some(a) = self
            .store
            .application(&record.serial)
            .map_err(|e| e.to_string())?
        {
            self.notify(
                &a.email,
                &a.phone,
                &a.pesel,
                &a.serial,
                "cancelled",
                &format!(
                    "ZUS: certyfikat nr {} anulowano {} (powód: {}). Podpisy złożone nim \
                     po tej chwili nie są przyjmowane.",
                    a.serial,
                    rfc3339(now),
                    reason.name()
                ),
                now,
            )?;
        }
        crate::log(&format!(
            "pue: certificate {} cancelled ({})",
            record.serial,
            reason.name()
        ));
        Ok(Ok(revoked))
    }

    /// Sends the reminders that are due: once per certificate, from [`REMINDER_WINDOW`]
    /// before its expiry, unless it is cancelled, expired, or already renewed (a later
    /// certificate of the same doctor). Returns how many certificates were reminded of.
    pub fn send_due_reminders(&self) -> Result<usize, String> {
        let now = self.now();
        let state = self.zus.state();
        let mut sent = 0;
        for a in self.store.applications().map_err(|e| e.to_string())? {
            let Some(c) = state
                .issued_certificate(&a.serial)
                .map_err(|e| e.to_string())?
            else {
                continue;
            };
            if c.revocation.is_some() || now >= c.not_after || c.not_after - now > REMINDER_WINDOW {
                continue;
            }
            let renewed = state
                .certificates_of(&a.pesel)
                .map_err(|e| e.to_string())?
                .iter()
                .any(|o| o.revocation.is_none() && o.not_after > c.not_after);
            if renewed
                || !self
                    .store
                    .mark_reminded(&a.serial, now)
                    .map_err(|e| e.to_string())?
            {
                continue;
            }
            let days = (c.not_after - now).whole_days();
            self.notify(
                &a.email,
                &a.phone,
                &a.pesel,
                &a.serial,
                "reminder",
                &format!(
                    "ZUS: Twój certyfikat nr {} wygasa {} (za {days} dni). Złóż wniosek o \
                     nowy certyfikat w PUE ZUS.",
                    a.serial,
                    rfc3339(c.not_after)
                ),
                now,
            )?;
            sent += 1;
        }
        Ok(sent)
    }

    /// The current CRL, freshly signed by the simulator's CA: `thisUpdate` now,
    /// `nextUpdate` a day later, the next CRL number, every certificate cancelled at or
    /// before now with its time and reason.
    pub fn crl(&self) -> Result<Crl, String> {
        let state = self.zus.state();
        let now = self.now();
        let mut revoked = Vec::new();
        for c in state.revoked_certificates().map_err(|e| e.to_string())? {
            let Some(r) = c.revocation.filter(|r| r.at <= now) else {
                continue;
            };
            let certificate = Certificate::from_der(&c.der)
                .map_err(|e| format!("certificate {}: {e}", c.serial))?;
            revoked.push(RevokedCertificate::new(
                &certificate,
                r.at,
                RevocationReason::from_code(r.reason),
            ));
        }
        let number = state.next_crl_number().map_err(|e| e.to_string())?;
        self.zus
            .ca()
            .issue_crl(now, now + CRL_VALIDITY, number, revoked)
            .map_err(|e| format!("the CRL: {e}"))
    }

    #[allow(clippy::too_many_arguments)]
    fn notify(
        &self,
        email: &str,
        phone: &str,
        pesel: &str,
        serial: &str,
        kind: &str,
        message: &str,
        now: OffsetDateTime,
    ) -> Result<(), String> {
        for (channel, to) in [("email", email), ("sms", phone)] {
            self.store
                .send(channel, to, pesel, Some(serial), kind, message, now)
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}

fn view(c: &IssuedCertificate, a: Option<&Application>, now: OffsetDateTime) -> CertificateView {
    let status = match (c.revocation, a) {
        (Some(_), Some(a)) if a.locked_at.is_some() => "locked",
        (Some(_), _) => "cancelled",
        _ if now >= c.not_after => "expired",
        (None, Some(a)) if a.downloaded_at.is_some() => "downloaded",
        (None, Some(a)) if a.pfx_waiting => "waiting",
        (None, Some(_)) => "locked",
        (None, None) => "issued",
    };
    CertificateView {
        serial: c.serial.clone(),
        subject: c.subject.clone(),
        not_before: rfc3339(c.not_before),
        not_after: rfc3339(c.not_after),
        status,
        downloaded_at: a.and_then(|a| a.downloaded_at).map(rfc3339),
        failed_attempts: a.map(|a| a.failed_attempts).unwrap_or(0),
        attempts_left: a
            .filter(|a| a.pfx_waiting)
            .map(|a| MAX_DOWNLOAD_ATTEMPTS.saturating_sub(a.failed_attempts)),
        revoked_at: c.revocation.map(|r| rfc3339(r.at)),
        reason: c
            .revocation
            .and_then(|r| RevocationReason::from_code(r.reason))
            .map(|r| r.name()),
    }
}
