//! The journal in one SQLite file (feature `sqlite`, on by default; SQLite is compiled in).

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};
use time::OffsetDateTime;

use super::journal::{
    DocumentKind, Journal, JournalEntry, JournalKey, SendState, Settlement, rules,
};
use crate::error::{Error, Result};

/// The schema's version, kept in `PRAGMA user_version`.
const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS journal (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    seria_numer  TEXT NOT NULL,
    kind         TEXT NOT NULL,
    signed       BLOB NOT NULL,
    state        TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    upp          BLOB,
    detail       TEXT,
    recorded_at  INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    UNIQUE (seria_numer, kind)
);
";

/// A [`Journal`] in an SQLite database file.
///
/// Durable: the file is in WAL mode with `synchronous = FULL`, so a step that returned `Ok`
/// survives a crash of the process or of the machine. Several processes may open the same
/// file (each step is one transaction; a writer waits up to five seconds for another). The
/// file is created with mode 0600 on Unix: it holds signed documents with patients' data.
#[derive(Debug)]
pub struct SqliteJournal {
    path: PathBuf,
    conn: Mutex<Connection>,
}

impl SqliteJournal {
    /// Opens the journal at `path`, creating the file and its table if needed.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        create_private(&path)?;
        let conn = Connection::open(&path).map_err(|e| sql(&path, "open", &e))?;
        conn.busy_timeout(Duration::from_secs(5))
            .map_err(|e| sql(&path, "set the busy timeout", &e))?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| sql(&path, "switch to WAL", &e))?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(|e| sql(&path, "set synchronous", &e))?;
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| sql(&path, "read the schema version", &e))?;
        match version {
            0 => {
                conn.execute_batch(SCHEMA)
                    .map_err(|e| sql(&path, "create the table", &e))?;
                conn.pragma_update(None, "user_version", SCHEMA_VERSION)
                    .map_err(|e| sql(&path, "write the schema version", &e))?;
            }
            SCHEMA_VERSION => {}
            other => {
                return Err(Error::journal(
                    Some(path),
                    format!(
                        "the journal's schema version is {other}; this ezla reads version \
                         {SCHEMA_VERSION} (a newer ezla wrote it?)"
                    ),
                ));
            }
        }
        Ok(SqliteJournal {
            path,
            conn: Mutex::new(conn),
        })
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock(&self) -> Result<MutexGuard<'_, Connection>> {
        self.conn
            .lock()
            .map_err(|_| Error::internal("the SQLite journal's lock is poisoned"))
    }

    fn fail(&self, what: &str, e: &rusqlite::Error) -> Error {
        sql(&self.path, what, e)
    }

    /// Runs `step` in one immediate (write-locking) transaction.
    fn write<T>(
        &self,
        what: &str,
        step: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let mut conn = self.lock()?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| self.fail(what, &e))?;
        let value = step(&tx)?;
        tx.commit().map_err(|e| self.fail(what, &e))?;
        Ok(value)
    }

    fn update(
        &self,
        key: &JournalKey,
        to: SendState,
        upp: Option<&[u8]>,
        detail: Option<&str>,
    ) -> Result<()> {
        self.write("update an entry", |tx| {
            self.update_in(tx, key, to, upp, detail)
        })
    }

    /// [`SqliteJournal::update`] inside a transaction already open.
    fn update_in(
        &self,
        tx: &rusqlite::Transaction<'_>,
        key: &JournalKey,
        to: SendState,
        upp: Option<&[u8]>,
        detail: Option<&str>,
    ) -> Result<()> {
        let entry = load(tx, key).map_err(|e| self.fail("read an entry", &e))??;
        let entry = entry.ok_or_else(|| rules::missing(key))?;
        rules::transition(key, entry.state, to)?;
        let upp = entry.upp.as_deref().or(upp);
        tx.execute(
            "UPDATE journal SET state = ?1, upp = ?2, detail = ?3, updated_at = ?4
             WHERE seria_numer = ?5 AND kind = ?6",
            params![
                to.as_str(),
                upp,
                detail,
                now(),
                key.seria_numer,
                key.kind.as_str()
            ],
        )
        .map_err(|e| self.fail("update an entry", &e))?;
        Ok(())
    }

    /// [`Journal::set_detail`] inside a transaction already open.
    fn detail_in(
        &self,
        tx: &rusqlite::Transaction<'_>,
        key: &JournalKey,
        detail: &str,
    ) -> Result<()> {
        let entry = load(tx, key).map_err(|e| self.fail("read an entry", &e))??;
        let entry = entry.ok_or_else(|| rules::missing(key))?;
        rules::detail(key, entry.state)?;
        tx.execute(
            "UPDATE journal SET detail = ?1, updated_at = ?2 WHERE seria_numer = ?3 AND kind = ?4",
            params![detail, now(), key.seria_numer, key.kind.as_str()],
        )
        .map_err(|e| self.fail("note a detail", &e))?;
        Ok(())
    }
}

impl Journal for SqliteJournal {
    fn record(&self, key: &JournalKey, signed: &[u8]) -> Result<JournalEntry> {
        self.write("record a document", |tx| {
            record_in(tx, key, signed).map_err(|e| self.fail("record a document", &e))?
        })
    }

    fn record_all(&self, documents: &[(JournalKey, Vec<u8>)]) -> Result<Vec<JournalEntry>> {
        self.write("record documents", |tx| {
            let mut entries = Vec::with_capacity(documents.len());
            for (key, signed) in documents {
                entries.push(record_in(tx, key, signed).map_err(|e| self.fail("record", &e))??);
            }
            Ok(entries)
        })
    }

    fn begin_send(&self, keys: &[JournalKey]) -> Result<()> {
        self.write("mark documents as sending", |tx| {
            for key in keys {
                let entry = load(tx, key).map_err(|e| self.fail("read an entry", &e))??;
                let entry = entry.ok_or_else(|| rules::missing(key))?;
                rules::transition(key, entry.state, SendState::Sending)?;
                tx.execute(
                    "UPDATE journal SET state = 'SENDING', attempts = attempts + 1, detail = NULL,
                       updated_at = ?1 WHERE seria_numer = ?2 AND kind = ?3",
                    params![now(), key.seria_numer, key.kind.as_str()],
                )
                .map_err(|e| self.fail("mark documents as sending", &e))?;
            }
            Ok(())
        })
    }

    fn mark_sent(&self, key: &JournalKey, upp: &[u8]) -> Result<()> {
        self.update(key, SendState::Sent, Some(upp), None)
    }

    fn mark_refused(&self, key: &JournalKey, detail: &str) -> Result<()> {
        self.update(key, SendState::Refused, None, Some(detail))
    }

    fn mark_not_received(&self, key: &JournalKey) -> Result<()> {
        self.update(key, SendState::NotReceived, None, None)
    }

    fn set_detail(&self, key: &JournalKey, detail: &str) -> Result<()> {
        self.write("note a detail", |tx| self.detail_in(tx, key, detail))
    }

    fn settle_all(&self, outcomes: &[(JournalKey, Settlement)]) -> Result<()> {
        self.write("settle a send", |tx| {
            for (key, outcome) in outcomes {
                match outcome {
                    Settlement::Sent(upp) => {
                        self.update_in(tx, key, SendState::Sent, Some(upp), None)?;
                    }
                    Settlement::Refused(detail) => {
                        self.update_in(tx, key, SendState::Refused, None, Some(detail))?;
                    }
                    Settlement::NotReceived => {
                        self.update_in(tx, key, SendState::NotReceived, None, None)?;
                    }
                    Settlement::Unknown(detail) => self.detail_in(tx, key, detail)?,
                }
            }
            Ok(())
        })
    }

    fn get(&self, key: &JournalKey) -> Result<Option<JournalEntry>> {
        let conn = self.lock()?;
        load(&conn, key).map_err(|e| self.fail("read an entry", &e))?
    }

    fn entries(&self) -> Result<Vec<JournalEntry>> {
        let conn = self.lock()?;
        let mut stmt = conn
            .prepare(&format!("SELECT {COLUMNS} FROM journal ORDER BY seq"))
            .map_err(|e| self.fail("list the entries", &e))?;
        let rows = stmt
            .query_map([], entry_from_row)
            .map_err(|e| self.fail("list the entries", &e))?;
        let mut all = Vec::new();
        for row in rows {
            all.push(row.map_err(|e| self.fail("list the entries", &e))??);
        }
        Ok(all)
    }
}

/// One `record` inside a transaction; the outer error is SQLite's, the inner one a refusal.
fn record_in(
    tx: &Connection,
    key: &JournalKey,
    signed: &[u8],
) -> rusqlite::Result<Result<JournalEntry>> {
    let existing = match load(tx, key)? {
        Ok(e) => e,
        Err(e) => return Ok(Err(e)),
    };
    match rules::record(existing.as_ref(), signed) {
        Ok(true) => {
            tx.execute(
                "INSERT INTO journal (seria_numer, kind, signed, state, recorded_at, updated_at)
                 VALUES (?1, ?2, ?3, 'RECORDED', ?4, ?4)
                 ON CONFLICT (seria_numer, kind) DO UPDATE SET
                   signed = excluded.signed, state = 'RECORDED', upp = NULL, detail = NULL,
                   updated_at = excluded.updated_at",
                params![key.seria_numer, key.kind.as_str(), signed, now()],
            )?;
        }
        Ok(false) => {}
        Err(e) => return Ok(Err(e)),
    }
    Ok(load(tx, key)?.and_then(|e| e.ok_or_else(|| Error::internal("journal entry vanished"))))
}

const COLUMNS: &str =
    "seria_numer, kind, signed, state, attempts, upp, detail, recorded_at, updated_at";

/// One entry, or `None`; the outer error is SQLite's, the inner one a bad stored value.
fn load(conn: &Connection, key: &JournalKey) -> rusqlite::Result<Result<Option<JournalEntry>>> {
    let found = conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM journal WHERE seria_numer = ?1 AND kind = ?2"),
            params![key.seria_numer, key.kind.as_str()],
            entry_from_row,
        )
        .optional()?;
    Ok(found.transpose())
}

fn entry_from_row(row: &Row<'_>) -> rusqlite::Result<Result<JournalEntry>> {
    let seria_numer: String = row.get(0)?;
    let kind: String = row.get(1)?;
    let signed: Vec<u8> = row.get(2)?;
    let state: String = row.get(3)?;
    let attempts: u32 = row.get(4)?;
    let upp: Option<Vec<u8>> = row.get(5)?;
    let detail: Option<String> = row.get(6)?;
    let recorded_at: i64 = row.get(7)?;
    let updated_at: i64 = row.get(8)?;
    Ok((|| {
        Ok(JournalEntry {
            key: JournalKey::new(seria_numer, DocumentKind::parse(&kind)?),
            signed,
            state: SendState::parse(&state)?,
            attempts,
            upp,
            detail,
            recorded_at: from_nanos(recorded_at)?,
            updated_at: from_nanos(updated_at)?,
        })
    })())
}

/// Now, as stored: nanoseconds since the Unix epoch (fits an i64 until 2262).
fn now() -> i64 {
    i64::try_from(OffsetDateTime::now_utc().unix_timestamp_nanos()).unwrap_or(i64::MAX)
}

fn from_nanos(n: i64) -> Result<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(n))
        .map_err(|e| Error::journal(None, format!("a stored time is out of range: {e}")))
}

fn sql(path: &Path, what: &str, e: &rusqlite::Error) -> Error {
    Error::journal(Some(path.to_path_buf()), format!("cannot {what}: {e}"))
}

/// Creates the file with mode 0600 if it does not exist yet (SQLite would use 0644).
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
