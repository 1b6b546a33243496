//! The pending-request and replay stores in one SQLite file (feature `sqlite`), shared by
//! every process that opens it (the workers of one web application).

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use time::OffsetDateTime;

use super::stores::{PendingRequest, PendingStore, ReplayStore, replay, unknown};
use crate::error::WkError;
use crate::{Error, Result};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS wk_pending (
    relay_state  TEXT PRIMARY KEY,
    request_id   TEXT NOT NULL,
    expires      INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS wk_used (
    kind   TEXT NOT NULL,
    id     TEXT NOT NULL,
    until  INTEGER NOT NULL,
    PRIMARY KEY (kind, id)
);
";

/// A [`PendingStore`] and [`ReplayStore`] in an SQLite file.
///
/// Each operation is one `IMMEDIATE` transaction, so a take or a first use is atomic across
/// processes: of two workers handling the same artifact, exactly one succeeds. WAL mode,
/// a five-second busy timeout, file mode 0600 on Unix. Times are stored as Unix nanoseconds.
#[derive(Debug)]
pub struct SqliteWkStore {
    path: PathBuf,
    conn: Mutex<Connection>,
}

fn nanos(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos()).unwrap_or(i64::MAX)
}

impl SqliteWkStore {
    /// Opens (or creates) the store at `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        create_private(&path)?;
        let fail = |what: &str, e: rusqlite::Error| store_error(&path, what, &e);
        let conn = Connection::open(&path).map_err(|e| fail("open", e))?;
        conn.busy_timeout(Duration::from_secs(5))
            .map_err(|e| fail("set the busy timeout", e))?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| fail("switch to WAL", e))?;
        conn.execute_batch(SCHEMA)
            .map_err(|e| fail("create the tables", e))?;
        Ok(SqliteWkStore {
            path,
            conn: Mutex::new(conn),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        match self.conn.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    fn fail(&self, what: &str, e: &rusqlite::Error) -> Error {
        store_error(&self.path, what, e)
    }

    fn write<T>(
        &self,
        what: &str,
        step: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, rusqlite::Error>,
    ) -> Result<T> {
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| self.fail(what, &e))?;
        let value = step(&tx).map_err(|e| self.fail(what, &e))?;
        tx.commit().map_err(|e| self.fail(what, &e))?;
        Ok(value)
    }
}

impl PendingStore for SqliteWkStore {
    fn put(&self, request: &PendingRequest) -> Result<()> {
        let inserted = self.write("store a pending request", |tx| {
            tx.execute(
                "INSERT OR IGNORE INTO wk_pending (relay_state, request_id, expires) VALUES (?1, ?2, ?3)",
                params![request.relay_state, request.request_id, nanos(request.expires)],
            )
        })?;
        if inserted == 0 {
            return Err(Error::invalid_argument(
                "relay_state",
                "a pending request with this RelayState exists",
            ));
        }
        Ok(())
    }

    fn take(&self, relay_state: &str, now: OffsetDateTime) -> Result<PendingRequest> {
        let row = self.write("take a pending request", |tx| {
            let row: Option<(String, i64)> = tx
                .query_row(
                    "SELECT request_id, expires FROM wk_pending WHERE relay_state = ?1",
                    params![relay_state],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            tx.execute(
                "DELETE FROM wk_pending WHERE relay_state = ?1 OR expires <= ?2",
                params![relay_state, nanos(now)],
            )?;
            Ok(row)
        })?;
        let Some((request_id, expires)) = row else {
            return Err(unknown(
                relay_state,
                "not pending (never issued or already used)",
            ));
        };
        let expires = OffsetDateTime::from_unix_timestamp_nanos(i128::from(expires))
            .map_err(|e| store_error(&self.path, "read a pending request", &e))?;
        if expires <= now {
            return Err(unknown(relay_state, "expired"));
        }
        Ok(PendingRequest {
            request_id,
            relay_state: relay_state.to_string(),
            expires,
        })
    }
}

impl ReplayStore for SqliteWkStore {
    fn first_use(
        &self,
        what: &'static str,
        id: &str,
        until: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<()> {
        let inserted = self.write("record a use", |tx| {
            tx.execute("DELETE FROM wk_used WHERE until <= ?1", params![nanos(now)])?;
            tx.execute(
                "INSERT OR IGNORE INTO wk_used (kind, id, until) VALUES (?1, ?2, ?3)",
                params![what, id, nanos(until)],
            )
        })?;
        if inserted == 0 {
            return Err(replay(what, id));
        }
        Ok(())
    }
}

fn store_error(path: &Path, what: &str, e: &dyn std::fmt::Display) -> Error {
    Error::Wk(WkError::Store {
        store: path.display().to_string(),
        detail: format!("cannot {what}: {e}"),
    })
}

/// Creates the file with mode 0600 if it does not exist yet.
fn create_private(path: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map(drop).map_err(|e| Error::io(path, e))
}
