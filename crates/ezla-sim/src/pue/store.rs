//! What the simulated PUE keeps besides the certificates ZUS records ([`State`]): the
//! logged-in sessions, the applications (with the `.pfx` waiting for its one download), the
//! reminders sent and the outbox of "e-mails" and "SMS", in `DIR/pue/pue.sqlite`.
//!
//! [`State`]: crate::zus::State

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration as StdDuration;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::Serialize;
use time::OffsetDateTime;

/// The file of the store under `DIR/pue/`.
pub const STORE_FILE: &str = "pue.sqlite";

/// How long a PUE session lasts from the login (system time, like the SAML checks).
pub const SESSION_LIFETIME: time::Duration = time::Duration::hours(1);

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, pesel TEXT NOT NULL,
  given_name TEXT NOT NULL, family_name TEXT NOT NULL, opened_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS applications (serial TEXT PRIMARY KEY, pesel TEXT NOT NULL,
  email TEXT NOT NULL, phone TEXT NOT NULL, pfx BLOB, applied_at INTEGER NOT NULL,
  failed_attempts INTEGER NOT NULL DEFAULT 0, downloaded_at INTEGER, locked_at INTEGER);
CREATE TABLE IF NOT EXISTS reminders (serial TEXT PRIMARY KEY, sent_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL,
  channel TEXT NOT NULL, recipient TEXT NOT NULL, pesel TEXT NOT NULL, serial TEXT,
  kind TEXT NOT NULL, message TEXT NOT NULL);
";

/// A failure of the PUE store itself.
#[derive(Debug)]
pub struct StoreFailure {
    path: PathBuf,
    detail: String,
}

impl fmt::Display for StoreFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PUE store {}: {}", self.path.display(), self.detail)
    }
}

impl std::error::Error for StoreFailure {}

/// A logged-in person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// The session id (the `pue_session` cookie).
    pub id: String,
    /// The PESEL login.gov.pl vouched for.
    pub pesel: String,
    /// Given name.
    pub given_name: String,
    /// Family name.
    pub family_name: String,
}

/// An application for a certificate and the state of its one download.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Application {
    /// The certificate's serial (upper-case hex).
    pub serial: String,
    /// The doctor's PESEL.
    pub pesel: String,
    /// The e-mail address given.
    pub email: String,
    /// The mobile number given, normalised to `+48` and nine digits.
    pub phone: String,
    /// Whether the `.pfx` is still waiting for its download.
    pub pfx_waiting: bool,
    /// When it was applied for (simulated time).
    pub applied_at: OffsetDateTime,
    /// Wrong passwords given at download so far.
    pub failed_attempts: u32,
    /// When the `.pfx` was downloaded.
    pub downloaded_at: Option<OffsetDateTime>,
    /// When the download was locked after too many wrong passwords.
    pub locked_at: Option<OffsetDateTime>,
}

/// One notification "sent" by e-mail or SMS.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Notification {
    /// Its number in the outbox.
    pub id: i64,
    /// When it was sent (simulated time, RFC 3339).
    pub at: String,
    /// `email` or `sms`.
    pub channel: String,
    /// The address or number.
    pub recipient: String,
    /// The doctor's PESEL.
    pub pesel: String,
    /// The certificate it is about.
    pub serial: Option<String>,
    /// What it is: `issued`, `downloaded`, `reminder`, `cancelled`, `locked`.
    pub kind: String,
    /// The text.
    pub message: String,
}

/// The store.
#[derive(Debug)]
pub struct PueStore {
    path: PathBuf,
    conn: Mutex<Connection>,
}

fn time(t: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(t).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

impl PueStore {
    /// Opens (or creates) `DIR/pue/pue.sqlite`.
    pub fn open(dir: &Path) -> Result<Self, StoreFailure> {
        let pue = dir.join("pue");
        let path = pue.join(STORE_FILE);
        let fail = |what: &str, e: &dyn fmt::Display| StoreFailure {
            path: path.clone(),
            detail: format!("{what}: {e}"),
        };
        std::fs::create_dir_all(&pue).map_err(|e| fail("create the directory", &e))?;
        let conn = Connection::open(&path).map_err(|e| fail("open", &e))?;
        conn.busy_timeout(StdDuration::from_secs(5))
            .map_err(|e| fail("busy timeout", &e))?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| fail("WAL", &e))?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(|e| fail("synchronous", &e))?;
        conn.execute_batch(SCHEMA).map_err(|e| fail("schema", &e))?;
        Ok(PueStore {
            path,
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn fail(&self, what: &str, e: &dyn fmt::Display) -> StoreFailure {
        StoreFailure {
            path: self.path.clone(),
            detail: format!("{what}: {e}"),
        }
    }

    // ---- sessions ---------------------------------------------------------------------

    /// Opens a session for the person; its id is 32 random bytes in hex.
    pub fn open_session(
        &self,
        pesel: &str,
        given_name: &str,
        family_name: &str,
        now: OffsetDateTime,
    ) -> Result<Session, StoreFailure> {
        let mut id = [0u8; 32];
        getrandom::fill(&mut id).map_err(|e| self.fail("random", &e))?;
        let id = ezla::crypto::hex::lower(&id);
        self.conn()
            .execute(
                "INSERT INTO sessions (id, pesel, given_name, family_name, opened_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, pesel, given_name, family_name, now.unix_timestamp()],
            )
            .map_err(|e| self.fail("open a session", &e))?;
        Ok(Session {
            id,
            pesel: pesel.to_owned(),
            given_name: given_name.to_owned(),
            family_name: family_name.to_owned(),
        })
    }

    /// The session with this id, if open and younger than [`SESSION_LIFETIME`] at `now`.
    pub fn session(&self, id: &str, now: OffsetDateTime) -> Result<Option<Session>, StoreFailure> {
        let oldest = (now - SESSION_LIFETIME).unix_timestamp();
        self.conn()
            .query_row(
                "SELECT pesel, given_name, family_name FROM sessions WHERE id = ?1
                 AND opened_at > ?2",
                params![id, oldest],
                |r| {
                    Ok(Session {
                        id: id.to_owned(),
                        pesel: r.get(0)?,
                        given_name: r.get(1)?,
                        family_name: r.get(2)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.fail("read a session", &e))
    }

    /// Ends a session.
    pub fn close_session(&self, id: &str) -> Result<(), StoreFailure> {
        self.conn()
            .execute("DELETE FROM sessions WHERE id = ?1", params![id])
            .map_err(|e| self.fail("end a session", &e))?;
        Ok(())
    }

    // ---- applications -----------------------------------------------------------------

    /// Records an application and the `.pfx` waiting for its download.
    pub fn add_application(
        &self,
        serial: &str,
        pesel: &str,
        email: &str,
        phone: &str,
        pfx: &[u8],
        now: OffsetDateTime,
    ) -> Result<(), StoreFailure> {
        self.conn()
            .execute(
                "INSERT INTO applications (serial, pesel, email, phone, pfx, applied_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![serial, pesel, email, phone, pfx, now.unix_timestamp()],
            )
            .map_err(|e| self.fail("record an application", &e))?;
        Ok(())
    }

    /// The application of the certificate `serial`.
    pub fn application(&self, serial: &str) -> Result<Option<Application>, StoreFailure> {
        self.conn()
            .query_row(
                "SELECT serial, pesel, email, phone, pfx IS NOT NULL, applied_at, failed_attempts,
                   downloaded_at, locked_at FROM applications WHERE serial = ?1",
                params![serial],
                read_application,
            )
            .optional()
            .map_err(|e| self.fail("read an application", &e))
    }

    /// The `.pfx` waiting for download, if it still is.
    pub fn waiting_pfx(&self, serial: &str) -> Result<Option<Vec<u8>>, StoreFailure> {
        self.conn()
            .query_row(
                "SELECT pfx FROM applications WHERE serial = ?1 AND pfx IS NOT NULL",
                params![serial],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.fail("read a .pfx", &e))
    }

    /// Takes the `.pfx` for its one download: returns it and deletes it, in one step; `None`
    /// when it was taken (or destroyed) already.
    pub fn take_pfx(
        &self,
        serial: &str,
        now: OffsetDateTime,
    ) -> Result<Option<Vec<u8>>, StoreFailure> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| self.fail("download", &e))?;
        let pfx: Option<Vec<u8>> = tx
            .query_row(
                "SELECT pfx FROM applications WHERE serial = ?1 AND pfx IS NOT NULL",
                params![serial],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.fail("download", &e))?;
        if pfx.is_some() {
            tx.execute(
                "UPDATE applications SET pfx = NULL, downloaded_at = ?1 WHERE serial = ?2",
                params![now.unix_timestamp(), serial],
            )
            .map_err(|e| self.fail("download", &e))?;
        }
        tx.commit().map_err(|e| self.fail("download", &e))?;
        Ok(pfx)
    }

    /// Counts a wrong password; at `limit` the `.pfx` is destroyed and the download locked.
    /// Returns the attempts counted so far and whether this one locked it.
    pub fn wrong_password(
        &self,
        serial: &str,
        limit: u32,
        now: OffsetDateTime,
    ) -> Result<(u32, bool), StoreFailure> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| self.fail("count a wrong password", &e))?;
        tx.execute(
            "UPDATE applications SET failed_attempts = failed_attempts + 1
             WHERE serial = ?1 AND pfx IS NOT NULL",
            params![serial],
        )
        .map_err(|e| self.fail("count a wrong password", &e))?;
        let count: i64 = tx
            .query_row(
                "SELECT failed_attempts FROM applications WHERE serial = ?1",
                params![serial],
                |r| r.get(0),
            )
            .map_err(|e| self.fail("count a wrong password", &e))?;
        let count = u32::try_from(count).unwrap_or(u32::MAX);
        let locked = count >= limit
            && tx
                .execute(
                    "UPDATE applications SET pfx = NULL, locked_at = ?1
                     WHERE serial = ?2 AND pfx IS NOT NULL",
                    params![now.unix_timestamp(), serial],
                )
                .map_err(|e| self.fail("lock a download", &e))?
                > 0;
        tx.commit()
            .map_err(|e| self.fail("count a wrong password", &e))?;
        Ok((count, locked))
    }

    /// Destroys a waiting `.pfx` (its certificate was cancelled before the download).
    pub fn destroy_pfx(&self, serial: &str) -> Result<(), StoreFailure> {
        self.conn()
            .execute(
                "UPDATE applications SET pfx = NULL WHERE serial = ?1",
                params![serial],
            )
            .map_err(|e| self.fail("destroy a .pfx", &e))?;
        Ok(())
    }

    /// Every application, oldest first.
    pub fn applications(&self) -> Result<Vec<Application>, StoreFailure> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare(
                "SELECT serial, pesel, email, phone, pfx IS NOT NULL, applied_at, failed_attempts,
                   downloaded_at, locked_at FROM applications ORDER BY applied_at, rowid",
            )
            .map_err(|e| self.fail("list applications", &e))?;
        let rows = stmt
            .query_map([], read_application)
            .map_err(|e| self.fail("list applications", &e))?;
        rows.collect::<Result<_, _>>()
            .map_err(|e| self.fail("list applications", &e))
    }

    // ---- reminders and the outbox -----------------------------------------------------

    /// Records that the reminder for `serial` is sent; false when it was sent before.
    pub fn mark_reminded(&self, serial: &str, now: OffsetDateTime) -> Result<bool, StoreFailure> {
        let n = self
            .conn()
            .execute(
                "INSERT OR IGNORE INTO reminders (serial, sent_at) VALUES (?1, ?2)",
                params![serial, now.unix_timestamp()],
            )
            .map_err(|e| self.fail("record a reminder", &e))?;
        Ok(n > 0)
    }

    /// Puts a notification into the outbox.
    #[allow(clippy::too_many_arguments)]
    pub fn send(
        &self,
        channel: &str,
        recipient: &str,
        pesel: &str,
        serial: Option<&str>,
        kind: &str,
        message: &str,
        now: OffsetDateTime,
    ) -> Result<(), StoreFailure> {
        self.conn()
            .execute(
                "INSERT INTO outbox (at, channel, recipient, pesel, serial, kind, message)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    now.unix_timestamp(),
                    channel,
                    recipient,
                    pesel,
                    serial,
                    kind,
                    message
                ],
            )
            .map_err(|e| self.fail("send a notification", &e))?;
        Ok(())
    }

    /// The outbox, oldest first.
    pub fn outbox(&self) -> Result<Vec<Notification>, StoreFailure> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare(
                "SELECT id, at, channel, recipient, pesel, serial, kind, message FROM outbox
                 ORDER BY id",
            )
            .map_err(|e| self.fail("read the outbox", &e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Notification {
                    id: r.get(0)?,
                    at: ezla::xml::datetime::format(time(r.get(1)?)),
                    channel: r.get(2)?,
                    recipient: r.get(3)?,
                    pesel: r.get(4)?,
                    serial: r.get(5)?,
                    kind: r.get(6)?,
                    message: r.get(7)?,
                })
            })
            .map_err(|e| self.fail("read the outbox", &e))?;
        rows.collect::<Result<_, _>>()
            .map_err(|e| self.fail("read the outbox", &e))
    }
}

fn read_application(r: &rusqlite::Row<'_>) -> rusqlite::Result<Application> {
    let downloaded: Option<i64> = r.get(7)?;
    let locked: Option<i64> = r.get(8)?;
    let failed: i64 = r.get(6)?;
    Ok(Application {
        serial: r.get(0)?,
        pesel: r.get(1)?,
        email: r.get(2)?,
        phone: r.get(3)?,
        pfx_waiting: r.get(4)?,
        applied_at: time(r.get(5)?),
        failed_attempts: u32::try_from(failed).unwrap_or(u32::MAX),
        downloaded_at: downloaded.map(time),
        locked_at: locked.map(time),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_last_an_hour_from_the_login_and_end_on_logout() {
        let dir = std::env::temp_dir().join(format!("ezla-sim-pue-store-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let store = PueStore::open(&dir).expect("open");
        let t0 = time::macros::datetime!(2026-12-07 10:00 UTC);
        let s = store
            .open_session("02271409867", "Anna", "Nowak", t0)
            .expect("session");
        assert_eq!(s.id.len(), 64);
        let found = |at| store.session(&s.id, at).expect("store");
        assert_eq!(found(t0 + time::Duration::minutes(59)).as_ref(), Some(&s));
        assert_eq!(found(t0 + SESSION_LIFETIME), None);
        assert_eq!(store.session("00", t0).expect("store"), None);
        store.close_session(&s.id).expect("close");
        assert_eq!(found(t0), None);
    }
}
