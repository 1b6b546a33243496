//! A journal in memory: for tests and for tools that keep nothing between runs.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

use time::OffsetDateTime;

use super::journal::{Journal, JournalEntry, JournalKey, SendState, rules};
use crate::error::{Error, Result};

/// A [`Journal`] that lives as long as the value: nothing survives the process.
#[derive(Debug, Default)]
pub struct MemoryJournal {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// The entries and the order they were recorded in.
    entries: BTreeMap<JournalKey, (u64, JournalEntry)>,
    next: u64,
}

impl MemoryJournal {
    /// An empty journal.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> Result<MutexGuard<'_, Inner>> {
        self.inner
            .lock()
            .map_err(|_| Error::internal("the memory journal's lock is poisoned"))
    }

    fn update(
        &self,
        key: &JournalKey,
        to: SendState,
        change: impl FnOnce(&mut JournalEntry),
    ) -> Result<()> {
        let mut inner = self.lock()?;
        let (_, entry) = inner
            .entries
            .get_mut(key)
            .ok_or_else(|| rules::missing(key))?;
        rules::transition(key, entry.state, to)?;
        change(entry);
        entry.state = to;
        entry.updated_at = OffsetDateTime::now_utc();
        Ok(())
    }
}

impl Inner {
    /// `record` under the lock.
    fn record(&mut self, key: &JournalKey, signed: &[u8]) -> Result<JournalEntry> {
        let existing = self.entries.get(key).map(|(_, e)| e);
        if !rules::record(existing, signed)? {
            return existing
                .cloned()
                .ok_or_else(|| Error::internal("journal entry vanished"));
        }
        let now = OffsetDateTime::now_utc();
        let entry = JournalEntry {
            key: key.clone(),
            signed: signed.to_vec(),
            state: SendState::Recorded,
            attempts: existing.map_or(0, |e| e.attempts),
            upp: None,
            detail: None,
            recorded_at: existing.map_or(now, |e| e.recorded_at),
            updated_at: now,
        };
        let order = match self.entries.get(key) {
            Some((order, _)) => *order,
            None => {
                self.next += 1;
                self.next
            }
        };
        self.entries.insert(key.clone(), (order, entry.clone()));
        Ok(entry)
    }
}

impl Journal for MemoryJournal {
    fn record(&self, key: &JournalKey, signed: &[u8]) -> Result<JournalEntry> {
        self.lock()?.record(key, signed)
    }

    fn record_all(&self, documents: &[(JournalKey, Vec<u8>)]) -> Result<Vec<JournalEntry>> {
        let mut inner = self.lock()?;
        // All or nothing: check every document first, then record them, under one lock.
        for (key, signed) in documents {
            rules::record(inner.entries.get(key).map(|(_, e)| e), signed)?;
        }
        documents
            .iter()
            .map(|(key, signed)| inner.record(key, signed))
            .collect()
    }

    fn begin_send(&self, keys: &[JournalKey]) -> Result<()> {
        let mut inner = self.lock()?;
        // All or nothing: check every key first.
        for key in keys {
            let (_, entry) = inner.entries.get(key).ok_or_else(|| rules::missing(key))?;
            rules::transition(key, entry.state, SendState::Sending)?;
        }
        let now = OffsetDateTime::now_utc();
        for key in keys {
            if let Some((_, entry)) = inner.entries.get_mut(key) {
                entry.state = SendState::Sending;
                entry.attempts += 1;
                entry.detail = None;
                entry.updated_at = now;
            }
        }
        Ok(())
    }

    fn mark_sent(&self, key: &JournalKey, upp: &[u8]) -> Result<()> {
        self.update(key, SendState::Sent, |e| {
            if e.upp.is_none() {
                e.upp = Some(upp.to_vec());
            }
            e.detail = None;
        })
    }

    fn mark_refused(&self, key: &JournalKey, detail: &str) -> Result<()> {
        self.update(key, SendState::Refused, |e| {
            e.detail = Some(detail.to_owned())
        })
    }

    fn mark_not_received(&self, key: &JournalKey) -> Result<()> {
        self.update(key, SendState::NotReceived, |_| {})
    }

    fn set_detail(&self, key: &JournalKey, detail: &str) -> Result<()> {
        let mut inner = self.lock()?;
        let (_, entry) = inner
            .entries
            .get_mut(key)
            .ok_or_else(|| rules::missing(key))?;
        rules::detail(key, entry.state)?;
        entry.detail = Some(detail.to_owned());
        entry.updated_at = OffsetDateTime::now_utc();
        Ok(())
    }

    fn get(&self, key: &JournalKey) -> Result<Option<JournalEntry>> {
        Ok(self.lock()?.entries.get(key).map(|(_, e)| e.clone()))
    }

    fn entries(&self) -> Result<Vec<JournalEntry>> {
        let inner = self.lock()?;
        let mut all: Vec<_> = inner.entries.values().cloned().collect();
        all.sort_by_key(|(order, _)| *order);
        Ok(all.into_iter().map(|(_, e)| e).collect())
    }
}
