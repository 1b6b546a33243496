//! What the simulated ZUS knows, in `DIR/zus.sqlite`.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration as StdDuration;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use time::{Date, Duration, OffsetDateTime};

use super::seed::{Seed, SeedAdres, SeedPlatnik};

/// How long a login statement's token may be used (ZUS's is not published; inferred).
pub const TOKEN_LIFETIME: Duration = Duration::minutes(5);
/// How long a session lives without use (ZUS's is not published; inferred).
pub const SESSION_IDLE: Duration = Duration::minutes(30);
/// How many patient look-ups one doctor may make per day before
/// `PrzekroczonyDziennyLimitDostepow` (ZUS's value is not published; configurable).
pub const DEFAULT_DAILY_LOOKUPS: u32 = 1000;

/// The simulator's clock: the system time moved by an offset kept in the state, so that
/// tests can travel in time (`ezla-sim clock set`).
#[derive(Clone, Copy, Debug, Default)]
pub struct SimClock {
    offset: Duration,
}

impl SimClock {
    /// The simulated now.
    pub fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc() + self.offset
    }

    /// How far the simulated clock is from the system's.
    pub fn offset(&self) -> Duration {
        self.offset
    }
}

/// Why a certificate cannot be cancelled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RevokeError {
    /// The simulator's CA issued no certificate with this serial (or it is not recorded).
    Unknown(String),
    /// It is revoked already.
    AlreadyRevoked(Revocation),
}

impl fmt::Display for RevokeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RevokeError::Unknown(serial) => {
                write!(f, "no certificate with serial {serial} was issued here")
            }
            RevokeError::AlreadyRevoked(r) => write!(
                f,
                "the certificate was already cancelled on {} (reason code {})",
                r.at, r.reason
            ),
        }
    }
}

/// A certificate's revocation: when, and why (the RFC 5280 CRLReason code).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Revocation {
    /// The revocation time.
    pub at: OffsetDateTime,
    /// The RFC 5280 `CRLReason` code (0 unspecified, 1 keyCompromise, 3 affiliationChanged,
    /// 4 superseded, 5 cessationOfOperation, ...).
    pub reason: u8,
}

/// A doctor's certificate the simulator's CA issued (through PUE or `ezla-sim doctor add`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuedCertificate {
    /// The serial number, upper-case hex as `openssl x509 -serial` prints it.
    pub serial: String,
    /// The serial number in decimal (as signature reports give it).
    pub serial_decimal: String,
    /// The doctor's PESEL.
    pub pesel: String,
    /// The subject (RFC 4514).
    pub subject: String,
    /// Start of validity.
    pub not_before: OffsetDateTime,
    /// End of validity.
    pub not_after: OffsetDateTime,
    /// When it was issued (simulated time).
    pub issued_at: OffsetDateTime,
    /// The certificate, DER.
    pub der: Vec<u8>,
    /// Its revocation, once cancelled.
    pub revocation: Option<Revocation>,
}

/// A serial number as typed (hex, any case, optionally `0x`-prefixed or with `:`
/// separators) in the form the store keys it by: upper-case hex without leading zero octets.
pub fn normalize_serial(serial: &str) -> Option<String> {
    let s = serial.trim();
    let s = s
        .strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .unwrap_or(s);
    let digits: String = s.chars().filter(|c| *c != ':').collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let mut upper = digits.to_ascii_uppercase();
    if upper.len() % 2 == 1 {
        upper.insert(0, '0');
    }
    while upper.len() > 2 && upper.starts_with("00") {
        upper.drain(..2);
    }
    Some(upper)
}

/// A failure of the state store itself (not a refusal ZUS would give).
#[derive(Debug)]
pub struct StateError {
    path: PathBuf,
    detail: String,
}

impl fmt::Display for StateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "simulator state {}: {}",
            self.path.display(),
            self.detail
        )
    }
}

impl std::error::Error for StateError {}

/// Why a login is refused (ZUS answers with an empty `IdSesji` and a `Rezultat`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoginRefusal {
    /// The token is not one the simulator issued.
    UnknownToken,
    /// The token was already used for a login.
    TokenReused,
    /// The token expired before the login.
    TokenExpired,
    /// No doctor with this PESEL is registered.
    UnknownDoctor(String),
}

impl fmt::Display for LoginRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoginRefusal::UnknownToken => f.write_str("nieznany token oświadczenia"),
            LoginRefusal::TokenReused => f.write_str("token oświadczenia został już użyty"),
            LoginRefusal::TokenExpired => f.write_str("token oświadczenia wygasł"),
            LoginRefusal::UnknownDoctor(p) => {
                write!(f, "lekarz o numerze PESEL {p} nie jest zarejestrowany")
            }
        }
    }
}

/// Why a session cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionError {
    /// Never issued, logged out, or expired.
    NoSession,
}

/// Why a document is not stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// A document of this kind under this series/number is already stored.
    Duplicate {
        /// The series/number.
        seria_numer: String,
        /// The kind (`ORYGINAL`, `KOPIA`, `AZLA`).
        kind: String,
    },
}

/// A doctor ZUS knows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Doctor {
    /// PESEL.
    pub pesel: String,
    /// Licence number.
    pub npwz: String,
    /// Given name.
    pub imie: String,
    /// Surname.
    pub nazwisko: String,
    /// NIPs of the places of work.
    pub miejsca: Vec<String>,
}

/// A patient with the payers and family ZUS knows.
#[derive(Clone, Debug)]
pub struct Patient {
    /// PESEL.
    pub pesel: String,
    /// Given name.
    pub imie: String,
    /// Surname.
    pub nazwisko: String,
    /// Date of birth.
    pub data_urodzenia: String,
    /// Address.
    pub adres: SeedAdres,
    /// Payers.
    pub platnicy: Vec<SeedPlatnik>,
}

/// A series/number reserved for a doctor, with the KEDU document ids that go with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reservation {
    /// Series, two letters.
    pub seria: String,
    /// Number, seven digits.
    pub numer: String,
    /// The `id_dokumentu` for the ORYGINAŁ.
    pub id_oryginal: String,
    /// The `id_dokumentu` for the KOPIA.
    pub id_kopia: String,
    /// The doctor's PESEL.
    pub lekarz: String,
}

/// A document ZUS has received.
#[derive(Clone, Debug)]
pub struct StoredDocument {
    /// Series and number (`ZY0000001`).
    pub seria_numer: String,
    /// `ORYGINAL`, `KOPIA` or `AZLA`.
    pub kind: String,
    /// The signed document as received.
    pub bytes: Vec<u8>,
    /// The receipt (UPP) issued for it.
    pub upp: Vec<u8>,
    /// The doctor who sent it.
    pub lekarz: String,
    /// When it was received.
    pub received_at: OffsetDateTime,
}

/// The simulated ZUS's memory.
#[derive(Debug)]
pub struct State {
    path: PathBuf,
    conn: Mutex<Connection>,
    /// A second connection, only for the clock: [`State::now`] re-reads the offset on every
    /// call (so a clock moved by `ezla-sim clock set` from another process is seen at once)
    /// and is called while the main connection is held.
    clock_conn: Mutex<Connection>,
    clock: Mutex<SimClock>,
    /// Patient look-ups allowed per doctor and day.
    pub daily_lookups: u32,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS seed (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS doctors (pesel TEXT PRIMARY KEY, npwz TEXT NOT NULL, imie TEXT NOT NULL,
  nazwisko TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (token TEXT PRIMARY KEY, issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL, used_at INTEGER);
CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, pesel TEXT NOT NULL,
  last_used INTEGER NOT NULL, closed INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS lookups (pesel TEXT NOT NULL, day TEXT NOT NULL, count INTEGER NOT NULL,
  PRIMARY KEY (pesel, day));
CREATE TABLE IF NOT EXISTS reservations (seria_numer TEXT PRIMARY KEY, pesel TEXT NOT NULL,
  id_oryginal TEXT NOT NULL, id_kopia TEXT NOT NULL, reserved_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS documents (seria_numer TEXT NOT NULL, kind TEXT NOT NULL,
  bytes BLOB NOT NULL, upp BLOB NOT NULL, pesel TEXT NOT NULL, received_at INTEGER NOT NULL,
  PRIMARY KEY (seria_numer, kind));
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS certificates (serial TEXT PRIMARY KEY, serial_decimal TEXT NOT NULL,
  pesel TEXT NOT NULL, subject TEXT NOT NULL, not_before INTEGER NOT NULL,
  not_after INTEGER NOT NULL, issued_at INTEGER NOT NULL, der BLOB NOT NULL,
  revoked_at INTEGER, reason INTEGER);
CREATE INDEX IF NOT EXISTS certificates_pesel ON certificates (pesel);
CREATE INDEX IF NOT EXISTS certificates_decimal ON certificates (serial_decimal);
";

/// The series the simulator reserves numbers in (ZUS's real series are not published).
pub const SERIA: &str = "ZY";

impl State {
    /// Opens (or creates) the state in `dir`, seeding it from `DIR/seed.json` if that file
    /// exists, else from the built-in seed, the first time.
    pub fn open(dir: &Path) -> Result<Self, StateError> {
        let path = dir.join("zus.sqlite");
        let fail = |what: &str, e: &dyn fmt::Display| StateError {
            path: path.clone(),
            detail: format!("{what}: {e}"),
        };
        std::fs::create_dir_all(dir).map_err(|e| fail("create the directory", &e))?;
        let conn = Connection::open(&path).map_err(|e| fail("open", &e))?;
        conn.busy_timeout(StdDuration::from_secs(5))
            .map_err(|e| fail("busy timeout", &e))?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| fail("WAL", &e))?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(|e| fail("synchronous", &e))?;
        conn.execute_batch(SCHEMA).map_err(|e| fail("schema", &e))?;
        let has_seed: bool = conn
            .query_row("SELECT COUNT(*) FROM seed", [], |r| r.get::<_, i64>(0))
            .map(|n| n > 0)
            .map_err(|e| fail("read the seed", &e))?;
        if !has_seed {
            let file = dir.join("seed.json");
            let text = match std::fs::read_to_string(&file) {
                Ok(text) => text,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    super::seed::DEFAULT_SEED.to_owned()
                }
                Err(e) => return Err(fail("read seed.json", &e)),
            };
            Seed::from_json(&text).map_err(|e| fail("seed.json", &e))?;
            conn.execute("INSERT INTO seed (id, json) VALUES (1, ?1)", params![text])
                .map_err(|e| fail("store the seed", &e))?;
        }
        let offset: i64 = conn
            .query_row(
                "SELECT value FROM counters WHERE name = 'clock_offset_s'",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| fail("read the clock", &e))?
            .unwrap_or(0);
        let clock_conn = Connection::open(&path).map_err(|e| fail("open", &e))?;
        clock_conn
            .busy_timeout(StdDuration::from_secs(5))
            .map_err(|e| fail("busy timeout", &e))?;
        Ok(State {
            path,
            conn: Mutex::new(conn),
            clock_conn: Mutex::new(clock_conn),
            clock: Mutex::new(SimClock {
                offset: Duration::seconds(offset),
            }),
            daily_lookups: DEFAULT_DAILY_LOOKUPS,
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A poisoned lock only means another request panicked; the connection is still
        // usable (every step is one transaction).
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn fail(&self, what: &str, e: &dyn fmt::Display) -> StateError {
        StateError {
            path: self.path.clone(),
            detail: format!("{what}: {e}"),
        }
    }

    /// The simulated now. The clock's offset is re-read from the state on every call, so a
    /// running simulator follows `ezla-sim clock set` run from another process; should the
    /// read fail, the offset last read stands.
    pub fn now(&self) -> OffsetDateTime {
        let read: Option<i64> = self
            .clock_conn
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .query_row(
                "SELECT value FROM counters WHERE name = 'clock_offset_s'",
                [],
                |r| r.get(0),
            )
            .optional()
            .ok()
            .map(|v| v.unwrap_or(0));
        let mut clock = self.clock.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(seconds) = read {
            clock.offset = Duration::seconds(seconds);
        }
        clock.now()
    }

    /// The simulated clock as last read (see [`State::now`]).
    pub fn clock(&self) -> SimClock {
        let _ = self.now();
        *self.clock.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Moves the simulated clock to `at` (kept across restarts). The offset is kept in whole
    /// seconds, rounded up: the simulated now is never before `at`.
    pub fn set_clock(&self, at: OffsetDateTime) -> Result<(), StateError> {
        let exact = at - OffsetDateTime::now_utc();
        let mut offset = Duration::seconds(exact.whole_seconds());
        if exact > offset {
            offset += Duration::SECOND;
        }
        self.conn()
            .execute(
                "INSERT INTO counters (name, value) VALUES ('clock_offset_s', ?1)
                 ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                params![offset.whole_seconds()],
            )
            .map_err(|e| self.fail("set the clock", &e))?;
        self.clock.lock().unwrap_or_else(|p| p.into_inner()).offset = offset;
        Ok(())
    }

    /// The seed the state was created with.
    pub fn seed(&self) -> Result<Seed, StateError> {
        let text: String = self
            .conn()
            .query_row("SELECT json FROM seed WHERE id = 1", [], |r| r.get(0))
            .map_err(|e| self.fail("read the seed", &e))?;
        Seed::from_json(&text).map_err(|e| self.fail("seed", &e))
    }

    // ---- doctors ----------------------------------------------------------------------

    /// Registers a doctor's PESEL with a licence number (from `ezla-sim doctor add`).
    pub fn add_doctor(
        &self,
        pesel: &str,
        imie: &str,
        nazwisko: &str,
        npwz: &str,
    ) -> Result<(), StateError> {
        self.conn()
            .execute(
                "INSERT INTO doctors (pesel, npwz, imie, nazwisko) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (pesel) DO UPDATE SET npwz = excluded.npwz, imie = excluded.imie,
                   nazwisko = excluded.nazwisko",
                params![pesel, npwz, imie, nazwisko],
            )
            .map_err(|e| self.fail("add a doctor", &e))?;
        Ok(())
    }

    /// The doctor with this PESEL, with the places of work the seed gives the licence number.
    pub fn doctor(&self, pesel: &str) -> Result<Option<Doctor>, StateError> {
        let row: Option<(String, String, String)> = self
            .conn()
            .query_row(
                "SELECT npwz, imie, nazwisko FROM doctors WHERE pesel = ?1",
                params![pesel],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(|e| self.fail("read a doctor", &e))?;
        let Some((npwz, imie, nazwisko)) = row else {
            return Ok(None);
        };
        let miejsca = self
            .seed()?
            .lekarze
            .into_iter()
            .find(|l| l.npwz == npwz)
            .map(|l| l.miejsca)
            .unwrap_or_default();
        Ok(Some(Doctor {
            pesel: pesel.to_owned(),
            npwz,
            imie,
            nazwisko,
            miejsca,
        }))
    }

    /// The doctor with this PESEL as ZUS knows them: registered (by `ezla-sim doctor add` or
    /// a certificate issued through PUE), or in the seed with this PESEL and a licence
    /// number (a doctor who has not had a certificate yet).
    pub fn known_doctor(&self, pesel: &str) -> Result<Option<Doctor>, StateError> {
        if let Some(d) = self.doctor(pesel)? {
            return Ok(Some(d));
        }
        Ok(self
            .seed()?
            .lekarze
            .into_iter()
            .find(|l| l.pesel.as_deref() == Some(pesel) && !l.npwz.is_empty())
            .map(|l| Doctor {
                pesel: pesel.to_owned(),
                npwz: l.npwz,
                imie: l.imie,
                nazwisko: l.nazwisko,
                miejsca: l.miejsca,
            }))
    }

    // ---- certificates -----------------------------------------------------------------

    /// Records a doctor's certificate the simulator's CA issued, with the doctor's PESEL.
    pub fn record_certificate(
        &self,
        certificate: &ezla::pki::Certificate,
        pesel: &str,
    ) -> Result<IssuedCertificate, StateError> {
        let record = IssuedCertificate {
            serial: certificate.serial_hex(),
            serial_decimal: certificate.serial_decimal(),
            pesel: pesel.to_owned(),
            subject: certificate.subject().to_rfc4514(),
            not_before: certificate.not_before(),
            not_after: certificate.not_after(),
            issued_at: self.now(),
            der: certificate.to_der().to_vec(),
            revocation: None,
        };
        self.conn()
            .execute(
                "INSERT INTO certificates (serial, serial_decimal, pesel, subject, not_before,
                   not_after, issued_at, der) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    record.serial,
                    record.serial_decimal,
                    record.pesel,
                    record.subject,
                    record.not_before.unix_timestamp(),
                    record.not_after.unix_timestamp(),
                    record.issued_at.unix_timestamp(),
                    record.der,
                ],
            )
            .map_err(|e| self.fail("record a certificate", &e))?;
        Ok(record)
    }

    fn certificates_where(
        &self,
        condition: &str,
        values: &[&dyn rusqlite::ToSql],
    ) -> Result<Vec<IssuedCertificate>, StateError> {
        let conn = self.conn();
        let sql = format!(
            "SELECT serial, serial_decimal, pesel, subject, not_before, not_after, issued_at, der,
               revoked_at, reason FROM certificates WHERE {condition} ORDER BY issued_at, rowid"
        );
        let mut stmt = conn
            .prepare(&sql)
            .map_err(|e| self.fail("read certificates", &e))?;
        let time =
            |t: i64| OffsetDateTime::from_unix_timestamp(t).unwrap_or(OffsetDateTime::UNIX_EPOCH);
        let rows = stmt
            .query_map(values, |r| {
                let revoked_at: Option<i64> = r.get(8)?;
                let reason: Option<i64> = r.get(9)?;
                Ok(IssuedCertificate {
                    serial: r.get(0)?,
                    serial_decimal: r.get(1)?,
                    pesel: r.get(2)?,
                    subject: r.get(3)?,
                    not_before: time(r.get(4)?),
                    not_after: time(r.get(5)?),
                    issued_at: time(r.get(6)?),
                    der: r.get(7)?,
                    revocation: revoked_at.map(|at| Revocation {
                        at: time(at),
                        reason: reason.and_then(|c| u8::try_from(c).ok()).unwrap_or(0),
                    }),
                })
            })
            .map_err(|e| self.fail("read certificates", &e))?;
        rows.collect::<Result<_, _>>()
            .map_err(|e| self.fail("read certificates", &e))
    }

    /// The certificate with this serial (hex, see [`normalize_serial`]).
    pub fn issued_certificate(
        &self,
        serial: &str,
    ) -> Result<Option<IssuedCertificate>, StateError> {
        let Some(serial) = normalize_serial(serial) else {
            return Ok(None);
        };
        Ok(self
            .certificates_where("serial = ?1", &[&serial])?
            .into_iter()
            .next())
    }

    /// The certificate with this serial in decimal (as a signature report gives it).
    pub fn issued_certificate_by_decimal(
        &self,
        serial_decimal: &str,
    ) -> Result<Option<IssuedCertificate>, StateError> {
        Ok(self
            .certificates_where("serial_decimal = ?1", &[&serial_decimal])?
            .into_iter()
            .next())
    }

    /// The doctor's certificates, oldest first.
    pub fn certificates_of(&self, pesel: &str) -> Result<Vec<IssuedCertificate>, StateError> {
        self.certificates_where("pesel = ?1", &[&pesel])
    }

    /// Every certificate, in the order issued.
    pub fn all_certificates(&self) -> Result<Vec<IssuedCertificate>, StateError> {
        self.certificates_where("1 = 1", &[])
    }

    /// Every revoked certificate, in the order issued.
    pub fn revoked_certificates(&self) -> Result<Vec<IssuedCertificate>, StateError> {
        self.certificates_where("revoked_at IS NOT NULL", &[])
    }

    /// Cancels the certificate with this serial at `at` for the RFC 5280 `reason` code.
    pub fn revoke(
        &self,
        serial: &str,
        at: OffsetDateTime,
        reason: u8,
    ) -> Result<Result<IssuedCertificate, RevokeError>, StateError> {
        let Some(current) = self.issued_certificate(serial)? else {
            return Ok(Err(RevokeError::Unknown(serial.trim().to_owned())));
        };
        if let Some(r) = current.revocation {
            return Ok(Err(RevokeError::AlreadyRevoked(r)));
        }
        let n = self
            .conn()
            .execute(
                "UPDATE certificates SET revoked_at = ?1, reason = ?2
                 WHERE serial = ?3 AND revoked_at IS NULL",
                params![at.unix_timestamp(), i64::from(reason), current.serial],
            )
            .map_err(|e| self.fail("revoke a certificate", &e))?;
        if n == 0 {
            // Revoked by someone else between the read and the update.
            return match self
                .issued_certificate(&current.serial)?
                .and_then(|c| c.revocation)
            {
                Some(r) => Ok(Err(RevokeError::AlreadyRevoked(r))),
                None => Ok(Err(RevokeError::Unknown(current.serial))),
            };
        }
        let mut revoked = current;
        revoked.revocation = Some(Revocation {
            at: OffsetDateTime::from_unix_timestamp(at.unix_timestamp()).unwrap_or(at),
            reason,
        });
        Ok(Ok(revoked))
    }

    /// The next CRL number (1, 2, ...; kept across restarts).
    pub fn next_crl_number(&self) -> Result<u64, StateError> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO counters (name, value) VALUES ('crl_number', 1)
             ON CONFLICT (name) DO UPDATE SET value = value + 1",
            [],
        )
        .map_err(|e| self.fail("count CRLs", &e))?;
        let n: i64 = conn
            .query_row(
                "SELECT value FROM counters WHERE name = 'crl_number'",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.fail("count CRLs", &e))?;
        u64::try_from(n).map_err(|e| self.fail("count CRLs", &e))
    }

    // ---- login ------------------------------------------------------------------------

    /// A new one-time token for a login statement.
    pub fn new_token(&self) -> Result<String, StateError> {
        let token = format!("CK-{}", uuid_like());
        let now = self.now();
        self.conn()
            .execute(
                "INSERT INTO tokens (token, issued_at, expires_at) VALUES (?1, ?2, ?3)",
                params![
                    token,
                    now.unix_timestamp(),
                    (now + TOKEN_LIFETIME).unix_timestamp()
                ],
            )
            .map_err(|e| self.fail("issue a token", &e))?;
        Ok(token)
    }

    /// Uses a statement's token for the login of the doctor with `pesel`: the token must be
    /// one the simulator issued, unused and unexpired, and the doctor registered. Returns the
    /// new session id.
    pub fn login(
        &self,
        token: &str,
        pesel: &str,
    ) -> Result<Result<String, LoginRefusal>, StateError> {
        let now = self.now().unix_timestamp();
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| self.fail("login", &e))?;
        let row: Option<(i64, Option<i64>)> = tx
            .query_row(
                "SELECT expires_at, used_at FROM tokens WHERE token = ?1",
                params![token],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.fail("read a token", &e))?;
        let refusal = match row {
            None => Some(LoginRefusal::UnknownToken),
            Some((_, Some(_))) => Some(LoginRefusal::TokenReused),
            Some((expires, None)) if expires < now => Some(LoginRefusal::TokenExpired),
            Some(_) => None,
        };
        if let Some(refusal) = refusal {
            return Ok(Err(refusal));
        }
        // The token is spent whether or not the doctor is known: no second try with it.
        tx.execute(
            "UPDATE tokens SET used_at = ?1 WHERE token = ?2",
            params![now, token],
        )
        .map_err(|e| self.fail("spend a token", &e))?;
        let known: bool = tx
            .query_row(
                "SELECT COUNT(*) FROM doctors WHERE pesel = ?1",
                params![pesel],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n > 0)
            .map_err(|e| self.fail("read a doctor", &e))?;
        let outcome = if known {
            let id = session_id();
            tx.execute(
                "INSERT INTO sessions (id, pesel, last_used) VALUES (?1, ?2, ?3)",
                params![id, pesel, now],
            )
            .map_err(|e| self.fail("open a session", &e))?;
            Ok(id)
        } else {
            Err(LoginRefusal::UnknownDoctor(pesel.to_owned()))
        };
        tx.commit().map_err(|e| self.fail("login", &e))?;
        Ok(outcome)
    }

    /// The doctor's PESEL for a live session, refreshing its idle timer.
    pub fn session(&self, id: &str) -> Result<Result<String, SessionError>, StateError> {
        let now = self.now().unix_timestamp();
        let conn = self.conn();
        let row: Option<(String, i64, i64)> = conn
            .query_row(
                "SELECT pesel, last_used, closed FROM sessions WHERE id = ?1",
                params![id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(|e| self.fail("read a session", &e))?;
        match row {
            Some((pesel, last, 0)) if now - last <= SESSION_IDLE.whole_seconds() => {
                conn.execute(
                    "UPDATE sessions SET last_used = ?1 WHERE id = ?2",
                    params![now, id],
                )
                .map_err(|e| self.fail("refresh a session", &e))?;
                Ok(Ok(pesel))
            }
            _ => Ok(Err(SessionError::NoSession)),
        }
    }

    /// Ends a session (`usunSesje`); also used by the "session expires mid-flow" fault.
    pub fn end_session(&self, id: &str) -> Result<bool, StateError> {
        let n = self
            .conn()
            .execute(
                "UPDATE sessions SET closed = 1 WHERE id = ?1 AND closed = 0",
                params![id],
            )
            .map_err(|e| self.fail("end a session", &e))?;
        Ok(n > 0)
    }

    // ---- patients ---------------------------------------------------------------------

    /// Looks a patient up for the doctor, counting against the daily limit. `Ok(Err(()))`
    /// when the limit is reached; `Ok(Ok(None))` for a PESEL ZUS does not know.
    #[allow(clippy::result_unit_err)]
    pub fn lookup_patient(
        &self,
        doctor: &str,
        pesel: &str,
    ) -> Result<Result<Option<Patient>, ()>, StateError> {
        let day = self.today().to_string();
        let count: i64 = {
            let conn = self.conn();
            conn.execute(
                "INSERT INTO lookups (pesel, day, count) VALUES (?1, ?2, 1)
                 ON CONFLICT (pesel, day) DO UPDATE SET count = count + 1",
                params![doctor, day],
            )
            .map_err(|e| self.fail("count a look-up", &e))?;
            conn.query_row(
                "SELECT count FROM lookups WHERE pesel = ?1 AND day = ?2",
                params![doctor, day],
                |r| r.get(0),
            )
            .map_err(|e| self.fail("count a look-up", &e))?
        };
        if count > i64::from(self.daily_lookups) {
            return Ok(Err(()));
        }
        Ok(Ok(self.patient(pesel)?))
    }

    /// A patient, without counting (for the simulator's own checks).
    pub fn patient(&self, pesel: &str) -> Result<Option<Patient>, StateError> {
        Ok(self
            .seed()?
            .ubezpieczeni
            .into_iter()
            .find(|u| u.pesel == pesel)
            .map(|u| Patient {
                pesel: u.pesel,
                imie: u.imie,
                nazwisko: u.nazwisko,
                data_urodzenia: u.data_urodzenia,
                adres: u.adres,
                platnicy: u.platnicy,
            }))
    }

    // ---- numbering --------------------------------------------------------------------

    /// Reserves the next series/number for the doctor, with two fresh document ids.
    pub fn reserve(&self, doctor: &str) -> Result<Reservation, StateError> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| self.fail("reserve", &e))?;
        let next = |name: &str| -> Result<i64, StateError> {
            tx.execute(
                "INSERT INTO counters (name, value) VALUES (?1, 1)
                 ON CONFLICT (name) DO UPDATE SET value = value + 1",
                params![name],
            )
            .map_err(|e| self.fail("count", &e))?;
            tx.query_row(
                "SELECT value FROM counters WHERE name = ?1",
                params![name],
                |r| r.get(0),
            )
            .map_err(|e| self.fail("count", &e))
        };
        let number = next("numer")?;
        let id_o = next("id_dokumentu")?;
        let id_k = next("id_dokumentu")?;
        let r = Reservation {
            seria: SERIA.to_owned(),
            numer: format!("{number:07}"),
            id_oryginal: format!("{}", 100_000 + id_o),
            id_kopia: format!("{}", 100_000 + id_k),
            lekarz: doctor.to_owned(),
        };
        tx.execute(
            "INSERT INTO reservations (seria_numer, pesel, id_oryginal, id_kopia, reserved_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                format!("{}{}", r.seria, r.numer),
                doctor,
                r.id_oryginal,
                r.id_kopia,
                self.now().unix_timestamp()
            ],
        )
        .map_err(|e| self.fail("reserve", &e))?;
        tx.commit().map_err(|e| self.fail("reserve", &e))?;
        Ok(r)
    }

    /// The reservation of a series/number, if any.
    pub fn reservation(&self, seria_numer: &str) -> Result<Option<Reservation>, StateError> {
        self.conn()
            .query_row(
                "SELECT pesel, id_oryginal, id_kopia FROM reservations WHERE seria_numer = ?1",
                params![seria_numer],
                |r| {
                    Ok(Reservation {
                        seria: seria_numer.get(..2).unwrap_or_default().to_owned(),
                        numer: seria_numer.get(2..).unwrap_or_default().to_owned(),
                        lekarz: r.get(0)?,
                        id_oryginal: r.get(1)?,
                        id_kopia: r.get(2)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.fail("read a reservation", &e))
    }

    // ---- documents --------------------------------------------------------------------

    /// Stores documents received in one send, all or none: a kind already stored under its
    /// series/number refuses the whole send. `upp` makes each document's receipt.
    pub fn store(
        &self,
        doctor: &str,
        documents: &[(String, String, Vec<u8>)],
        upp: impl Fn(&str, &str, &[u8], OffsetDateTime) -> Vec<u8>,
    ) -> Result<Result<Vec<Vec<u8>>, StoreError>, StateError> {
        let now = self.now();
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| self.fail("store", &e))?;
        let mut receipts = Vec::with_capacity(documents.len());
        for (seria_numer, kind, bytes) in documents {
            let exists: bool = tx
                .query_row(
                    "SELECT COUNT(*) FROM documents WHERE seria_numer = ?1 AND kind = ?2",
                    params![seria_numer, kind],
                    |r| r.get::<_, i64>(0),
                )
                .map(|n| n > 0)
                .map_err(|e| self.fail("store", &e))?;
            if exists {
                return Ok(Err(StoreError::Duplicate {
                    seria_numer: seria_numer.clone(),
                    kind: kind.clone(),
                }));
            }
            let receipt = upp(seria_numer, kind, bytes, now);
            tx.execute(
                "INSERT INTO documents (seria_numer, kind, bytes, upp, pesel, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    seria_numer,
                    kind,
                    bytes,
                    receipt,
                    doctor,
                    now.unix_timestamp()
                ],
            )
            .map_err(|e| self.fail("store", &e))?;
            receipts.push(receipt);
        }
        tx.commit().map_err(|e| self.fail("store", &e))?;
        Ok(Ok(receipts))
    }

    /// A stored document.
    pub fn document(
        &self,
        seria_numer: &str,
        kind: &str,
    ) -> Result<Option<StoredDocument>, StateError> {
        self.conn()
            .query_row(
                "SELECT bytes, upp, pesel, received_at FROM documents
                 WHERE seria_numer = ?1 AND kind = ?2",
                params![seria_numer, kind],
                |r| {
                    Ok(StoredDocument {
                        seria_numer: seria_numer.to_owned(),
                        kind: kind.to_owned(),
                        bytes: r.get(0)?,
                        upp: r.get(1)?,
                        lekarz: r.get(2)?,
                        received_at: OffsetDateTime::from_unix_timestamp(r.get(3)?)
                            .unwrap_or(OffsetDateTime::UNIX_EPOCH),
                    })
                },
            )
            .optional()
            .map_err(|e| self.fail("read a document", &e))
    }

    /// Every stored document, in the order received.
    pub fn documents(&self) -> Result<Vec<StoredDocument>, StateError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare(
                "SELECT seria_numer, kind, bytes, upp, pesel, received_at FROM documents
                 ORDER BY rowid",
            )
            .map_err(|e| self.fail("list documents", &e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(StoredDocument {
                    seria_numer: r.get(0)?,
                    kind: r.get(1)?,
                    bytes: r.get(2)?,
                    upp: r.get(3)?,
                    lekarz: r.get(4)?,
                    received_at: OffsetDateTime::from_unix_timestamp(r.get(5)?)
                        .unwrap_or(OffsetDateTime::UNIX_EPOCH),
                })
            })
            .map_err(|e| self.fail("list documents", &e))?;
        rows.collect::<Result<_, _>>()
            .map_err(|e| self.fail("list documents", &e))
    }

    /// Today in the simulated clock, as ZUS judges "the day": the calendar day in Poland
    /// (between 23:00 and 24:00 UTC in winter, Poland is already on the next day).
    pub fn today(&self) -> Date {
        ezla::pl::czas::date_at(self.now())
    }
}

/// 32 random bytes as hex in the shape `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (a v4-like UUID).
fn uuid_like() -> String {
    let mut b = [0u8; 16];
    // getrandom failing means no randomness source at all; fall back to the time, which
    // is unique enough for a simulator's tokens.
    if getrandom::fill(&mut b).is_err() {
        let t = OffsetDateTime::now_utc()
            .unix_timestamp_nanos()
            .to_be_bytes();
        b.copy_from_slice(&t);
    }
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// A session id: 32 characters of `[0-9a-zA-Z]` (the WSDL's pattern for `IdSesji`).
fn session_id() -> String {
    const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut b = [0u8; 32];
    if getrandom::fill(&mut b).is_err() {
        let t = OffsetDateTime::now_utc()
            .unix_timestamp_nanos()
            .to_be_bytes();
        b[..16].copy_from_slice(&t);
    }
    b.iter()
        .map(|x| char::from(ALPHABET[usize::from(*x) % ALPHABET.len()]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("ezla-sim-state-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn login_spends_the_token_once_and_sessions_expire() {
        let dir = scratch("login");
        let s = State::open(&dir).expect("open");
        s.add_doctor("02271409867", "Anna", "Nowak", "5425740")
            .expect("doctor");
        let t = s.new_token().expect("token");
        assert!(t.starts_with("CK-") && t.len() == 39, "{t}");
        let id = s.login(&t, "02271409867").expect("state").expect("login");
        assert_eq!(id.len(), 32);
        assert!(id.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_eq!(
            s.login(&t, "02271409867").expect("state"),
            Err(LoginRefusal::TokenReused)
        );
        assert_eq!(
            s.login("CK-nope", "02271409867").expect("state"),
            Err(LoginRefusal::UnknownToken)
        );
        let t2 = s.new_token().expect("token");
        assert_eq!(
            s.login(&t2, "44051401359").expect("state"),
            Err(LoginRefusal::UnknownDoctor("44051401359".into()))
        );
        assert_eq!(s.session(&id).expect("state"), Ok("02271409867".to_owned()));
        // Tokens and sessions expire on the simulated clock.
        let t3 = s.new_token().expect("token");
        s.set_clock(OffsetDateTime::now_utc() + Duration::minutes(31))
            .expect("clock");
        assert_eq!(
            s.login(&t3, "02271409867").expect("state"),
            Err(LoginRefusal::TokenExpired)
        );
        assert_eq!(s.session(&id).expect("state"), Err(SessionError::NoSession));
        let doctor = s.doctor("02271409867").expect("state").expect("doctor");
        assert_eq!(doctor.miejsca, vec!["5260250274".to_owned()]);
    }

    #[test]
    fn numbers_are_reserved_once_and_documents_stored_once_across_restarts() {
        let dir = scratch("docs");
        let s = State::open(&dir).expect("open");
        let a = s.reserve("02271409867").expect("reserve");
        let b = s.reserve("02271409867").expect("reserve");
        assert_ne!(a.numer, b.numer);
        assert_ne!(a.id_oryginal, a.id_kopia);
        let sn = format!("{}{}", a.seria, a.numer);
        let docs = vec![
            (sn.clone(), "ORYGINAL".to_owned(), b"<o/>".to_vec()),
            (sn.clone(), "KOPIA".to_owned(), b"<k/>".to_vec()),
        ];
        let upp = |sn: &str, kind: &str, _: &[u8], _: OffsetDateTime| {
            format!("UPP {sn} {kind}").into_bytes()
        };
        let receipts = s
            .store("02271409867", &docs, upp)
            .expect("state")
            .expect("stored");
        assert_eq!(receipts.len(), 2);
        drop(s);
        let s = State::open(&dir).expect("reopen");
        assert_eq!(
            s.store("02271409867", &docs[1..], upp).expect("state"),
            Err(StoreError::Duplicate {
                seria_numer: sn.clone(),
                kind: "KOPIA".into()
            })
        );
        assert_eq!(s.documents().expect("list").len(), 2);
        assert_eq!(s.reservation(&sn).expect("state").expect("reserved"), a);
        assert_eq!(
            s.document(&sn, "KOPIA").expect("state").expect("doc").upp,
            format!("UPP {sn} KOPIA").into_bytes()
        );
        let c = s.reserve("02271409867").expect("reserve");
        assert!(c.numer > b.numer, "numbering continues after a restart");
    }

    #[test]
    fn serials_are_normalized() {
        assert_eq!(normalize_serial("0x0a:bC").as_deref(), Some("0ABC"));
        assert_eq!(normalize_serial("00FF").as_deref(), Some("FF"));
        assert_eq!(normalize_serial("abc").as_deref(), Some("0ABC"));
        assert_eq!(normalize_serial("00").as_deref(), Some("00"));
        assert_eq!(normalize_serial("xyz"), None);
        assert_eq!(normalize_serial(""), None);
    }

    #[test]
    fn a_clock_moved_through_another_handle_is_seen_at_once() {
        let dir = scratch("clock");
        let running = State::open(&dir).expect("open");
        let other = State::open(&dir).expect("open again");
        let at = time::macros::datetime!(2031-05-01 12:00 UTC);
        other.set_clock(at).expect("clock");
        let seen = running.now();
        assert!((seen - at).abs() < Duration::seconds(5), "{seen} vs {at}");
    }

    #[test]
    fn the_day_is_the_polish_calendar_day() {
        let dir = scratch("day");
        let s = State::open(&dir).expect("open");
        // 23:30 UTC on 4 December is 00:30 on 5 December in Warsaw (CET, UTC+1); in July
        // (CEST, UTC+2) 22:30 UTC is already the next day.
        let winter = time::macros::datetime!(2026-12-04 23:30 UTC);
        s.set_clock(winter).expect("clock");
        assert_eq!(s.today(), time::macros::date!(2026 - 12 - 05));
        s.set_clock(time::macros::datetime!(2026-07-14 22:30 UTC))
            .expect("clock");
        assert_eq!(s.today(), time::macros::date!(2026 - 07 - 15));
        s.set_clock(time::macros::datetime!(2026-12-04 22:59 UTC))
            .expect("clock");
        assert_eq!(s.today(), time::macros::date!(2026 - 12 - 04));
    }

    #[test]
    fn the_daily_lookup_limit_counts_per_doctor() {
        let dir = scratch("limit");
        let mut s = State::open(&dir).expect("open");
        s.daily_lookups = 2;
        for _ in 0..2 {
            assert!(
                s.lookup_patient("d1", "44051401359")
                    .expect("state")
                    .expect("under")
                    .is_some()
            );
        }
        assert!(
            s.lookup_patient("d1", "44051401359")
                .expect("state")
                .is_err()
        );
        assert!(
            s.lookup_patient("d2", "00000000000")
                .expect("state")
                .expect("under")
                .is_none()
        );
    }
}
