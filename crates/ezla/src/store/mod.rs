//! Durable client state: what a client must not forget when the process dies.
//!
//! The ZUS channel client keeps a [`Journal`] of every document it hands to ZUS. A document
//! is recorded, with its signed bytes, *before* it is sent; the journal says at every moment
//! whether ZUS certainly has it ([`SendState::Sent`], with its receipt), certainly has not
//! ([`SendState::Recorded`], [`SendState::Refused`], [`SendState::NotReceived`]), or may have it
//! ([`SendState::Sending`]: the request left, the answer never came). Only the last state needs
//! asking ZUS before anything is sent again, and the client's `reconcile` does that.
//!
//! Two implementations: [`MemoryJournal`] (tests, short-lived tools) and, with the `sqlite`
//! feature (on by default), [`SqliteJournal`] — one SQLite file that survives crashes and
//! restarts and may be shared by several processes.
//!
//! This module knows nothing about ZUS's messages: entries carry the series/number and the
//! document's kind as text, and the receipt as bytes.

mod journal;
mod memory;
#[cfg(feature = "sqlite")]
mod sqlite;

pub use journal::{DocumentKind, Journal, JournalEntry, JournalKey, SendState, Settlement};
pub use memory::MemoryJournal;
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteJournal;

#[cfg(test)]
mod tests;
