//! The state a service provider keeps between the browser's trips: pending login requests
//! (consumed once) and the artifacts and assertions already used (replay protection).
//!
//! Both are traits so that the several worker processes of one web application share them:
//! [`MemoryPendingStore`] and [`MemoryReplayStore`] serve one process; [`SqliteWkStore`]
//! (feature `sqlite`) serves every process that opens the same file.
//!
//! [`SqliteWkStore`]: super::SqliteWkStore

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use time::OffsetDateTime;

use crate::error::WkError;
use crate::{Error, Result};

/// A login request waiting for its artifact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingRequest {
    /// The AuthnRequest `ID`.
    pub request_id: String,
    /// The RelayState sent with it: the key under which it is stored.
    pub relay_state: String,
    /// When it stops being accepted.
    pub expires: OffsetDateTime,
}

/// Pending login requests, keyed by RelayState, each taken at most once.
pub trait PendingStore: Send + Sync {
    /// Stores a pending request (its RelayState must be new).
    fn put(&self, request: &PendingRequest) -> Result<()>;

    /// Removes and returns the request stored under `relay_state`. Fails with
    /// [`WkError::UnknownRequest`] when there is none (never stored, already taken) or it
    /// has expired at `now` (an expired request is removed too).
    fn take(&self, relay_state: &str, now: OffsetDateTime) -> Result<PendingRequest>;
}

/// One-time use of artifacts and assertion IDs.
pub trait ReplayStore: Send + Sync {
    /// Records the first use of `id` (of kind `what`: `artifact` or `assertion`), remembered
    /// until `until`. Fails with [`WkError::Replay`] when it was recorded before and has not
    /// expired at `now`. The check and the record are one atomic step.
    fn first_use(
        &self,
        what: &'static str,
        id: &str,
        until: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<()>;
}

pub(crate) fn unknown(key: &str, detail: &str) -> Error {
    Error::Wk(WkError::UnknownRequest {
        key: key.to_string(),
        detail: detail.to_string(),
    })
}

pub(crate) fn replay(what: &'static str, id: &str) -> Error {
    Error::Wk(WkError::Replay {
        what,
        id: id.to_string(),
    })
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// Pending requests in this process's memory.
#[derive(Debug, Default)]
pub struct MemoryPendingStore {
    requests: Mutex<HashMap<String, PendingRequest>>,
}

impl MemoryPendingStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

impl PendingStore for MemoryPendingStore {
    fn put(&self, request: &PendingRequest) -> Result<()> {
        let mut map = lock(&self.requests);
        if map.contains_key(&request.relay_state) {
            return Err(Error::invalid_argument(
                "relay_state",
                "a pending request with this RelayState exists",
            ));
        }
        map.insert(request.relay_state.clone(), request.clone());
        Ok(())
    }

    fn take(&self, relay_state: &str, now: OffsetDateTime) -> Result<PendingRequest> {
        let mut map = lock(&self.requests);
        map.retain(|_, r| r.expires > now || r.relay_state == relay_state);
        match map.remove(relay_state) {
            None => Err(unknown(
                relay_state,
                "not pending (never issued or already used)",
            )),
            Some(r) if r.expires <= now => Err(unknown(relay_state, "expired")),
            Some(r) => Ok(r),
        }
    }
}

/// Used artifacts and assertions in this process's memory.
#[derive(Debug, Default)]
pub struct MemoryReplayStore {
    seen: Mutex<HashMap<(&'static str, String), OffsetDateTime>>,
}

impl MemoryReplayStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

impl ReplayStore for MemoryReplayStore {
    fn first_use(
        &self,
        what: &'static str,
        id: &str,
        until: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<()> {
        let mut seen = lock(&self.seen);
        seen.retain(|_, until| *until > now);
        let key = (what, id.to_string());
        if seen.contains_key(&key) {
            return Err(replay(what, id));
        }
        seen.insert(key, until);
        Ok(())
    }
}
