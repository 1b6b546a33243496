//! The journal's data model and trait.

use std::fmt;

use time::OffsetDateTime;

use crate::error::{Error, Result};

/// Which of the documents sent under one series/number an entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum DocumentKind {
    /// The ORYGINAŁ of an e-ZLA (the certificate ZUS keeps).
    Oryginal,
    /// The KOPIA of an e-ZLA (the payer's copy, without the diagnosis).
    Kopia,
    /// An AZLA: the doctor's statement that a certificate is void (cancellation).
    Azla,
}

impl DocumentKind {
    /// The kind as stored: `ORYGINAL`, `KOPIA`, `AZLA`.
    pub const fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Oryginal => "ORYGINAL",
            DocumentKind::Kopia => "KOPIA",
            DocumentKind::Azla => "AZLA",
        }
    }

    /// The kind for its stored name.
    pub fn parse(text: &str) -> Result<Self> {
        match text {
            "ORYGINAL" => Ok(DocumentKind::Oryginal),
            "KOPIA" => Ok(DocumentKind::Kopia),
            "AZLA" => Ok(DocumentKind::Azla),
            other => Err(Error::journal(
                None,
                format!("unknown document kind {other:?} in the journal"),
            )),
        }
    }
}

impl fmt::Display for DocumentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a document stands with ZUS, as far as the journal knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SendState {
    /// Recorded with its signed bytes; never sent. Safe to send.
    Recorded,
    /// A send was started and its outcome is unknown (no answer yet, a timeout, a reset, or
    /// the process died). ZUS may or may not have the document: ask it before sending again.
    Sending,
    /// ZUS has the document; the entry holds its receipt (UPP).
    Sent,
    /// ZUS answered and refused the document (it has not stored it); the entry holds ZUS's
    /// words. Sending the same bytes again would be refused again.
    Refused,
    /// After an unknown outcome, ZUS said it does not have the document. Safe to send (once).
    NotReceived,
}

impl SendState {
    /// The state as stored: `RECORDED`, `SENDING`, `SENT`, `REFUSED`, `NOT_RECEIVED`.
    pub const fn as_str(self) -> &'static str {
        match self {
            SendState::Recorded => "RECORDED",
            SendState::Sending => "SENDING",
            SendState::Sent => "SENT",
            SendState::Refused => "REFUSED",
            SendState::NotReceived => "NOT_RECEIVED",
        }
    }

    /// The state for its stored name.
    pub fn parse(text: &str) -> Result<Self> {
        Ok(match text {
            "RECORDED" => SendState::Recorded,
            "SENDING" => SendState::Sending,
            "SENT" => SendState::Sent,
            "REFUSED" => SendState::Refused,
            "NOT_RECEIVED" => SendState::NotReceived,
            other => {
                return Err(Error::journal(
                    None,
                    format!("unknown send state {other:?} in the journal"),
                ));
            }
        })
    }

    /// Whether the document may be sent now without asking ZUS first.
    pub const fn may_send(self) -> bool {
        matches!(self, SendState::Recorded | SendState::NotReceived)
    }

    /// Whether the journal is still waiting for this document's fate.
    pub const fn is_open(self) -> bool {
        matches!(
            self,
            SendState::Recorded | SendState::Sending | SendState::NotReceived
        )
    }
}

impl fmt::Display for SendState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What identifies an entry: the series/number and the kind of document.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JournalKey {
    /// The series and number as ZUS writes them (`ZY1234567`).
    pub seria_numer: String,
    /// ORYGINAŁ, KOPIA or AZLA.
    pub kind: DocumentKind,
}

impl JournalKey {
    /// A key.
    pub fn new(seria_numer: impl Into<String>, kind: DocumentKind) -> Self {
        JournalKey {
            seria_numer: seria_numer.into(),
            kind,
        }
    }
}

impl fmt::Display for JournalKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.seria_numer, self.kind)
    }
}

/// One document in the journal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JournalEntry {
    /// Which document.
    pub key: JournalKey,
    /// The document exactly as signed and sent.
    pub signed: Vec<u8>,
    /// Where it stands.
    pub state: SendState,
    /// How many sends were started.
    pub attempts: u32,
    /// ZUS's receipt (UPP) once [`SendState::Sent`].
    pub upp: Option<Vec<u8>>,
    /// ZUS's words for a refusal, or what the last unknown outcome was.
    pub detail: Option<String>,
    /// When the entry was recorded.
    pub recorded_at: OffsetDateTime,
    /// When it last changed.
    pub updated_at: OffsetDateTime,
}

/// How one document's send was settled, for [`Journal::settle_all`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Settlement {
    /// ZUS has it: [`Journal::mark_sent`] with its receipt (UPP).
    Sent(Vec<u8>),
    /// ZUS refused it: [`Journal::mark_refused`] with ZUS's words.
    Refused(String),
    /// ZUS does not have it: [`Journal::mark_not_received`].
    NotReceived,
    /// Still unknown: [`Journal::set_detail`] with what happened.
    Unknown(String),
}

/// The durable record of documents handed to ZUS.
///
/// Every method is one atomic, durable step: when it returns `Ok`, the change survives a crash
/// of the process (for [`super::SqliteJournal`], of the machine too). Implementations are
/// shared between threads; two processes may share a [`super::SqliteJournal`] file.
///
/// The transitions, and what each method refuses:
///
/// | method | from | to |
/// |---|---|---|
/// | [`record`](Journal::record) | (none) | `Recorded` |
/// | [`begin_send`](Journal::begin_send) | `Recorded`, `NotReceived` | `Sending` |
/// | [`mark_sent`](Journal::mark_sent) | `Sending` (or `Sent`: the first receipt is kept) | `Sent` |
/// | [`mark_refused`](Journal::mark_refused) | `Sending` | `Refused` |
/// | [`mark_not_received`](Journal::mark_not_received) | `Sending` | `NotReceived` |
/// | [`set_detail`](Journal::set_detail) | `Sending` | `Sending` |
///
/// `record` of a key already recorded with the same bytes is a no-op (so a caller that
/// retries after a crash does not fail); with other bytes it is refused unless the entry was
/// refused by ZUS, in which case the new bytes replace the old (a corrected document under
/// the same number).
pub trait Journal: Send + Sync {
    /// Records a document before it is sent.
    fn record(&self, key: &JournalKey, signed: &[u8]) -> Result<JournalEntry>;

    /// Records documents that are sent together (an ORYGINAŁ and its KOPIA) in one atomic
    /// step: after a crash either all are recorded or none, so a pair is never half-known.
    /// Each follows [`record`](Journal::record)'s rules; one refusal records nothing.
    fn record_all(&self, documents: &[(JournalKey, Vec<u8>)]) -> Result<Vec<JournalEntry>>;

    /// Marks documents as being sent, all in one step, before the request leaves.
    fn begin_send(&self, keys: &[JournalKey]) -> Result<()>;

    /// ZUS has the document: keeps its receipt.
    fn mark_sent(&self, key: &JournalKey, upp: &[u8]) -> Result<()>;

    /// ZUS refused the document; keeps ZUS's words.
    fn mark_refused(&self, key: &JournalKey, detail: &str) -> Result<()>;

    /// After an unknown outcome, ZUS does not have the document.
    fn mark_not_received(&self, key: &JournalKey) -> Result<()>;

    /// Notes what happened to a send whose outcome is unknown (a timeout, a reset), keeping
    /// the entry `Sending`.
    fn set_detail(&self, key: &JournalKey, detail: &str) -> Result<()>;

    /// Settles the documents of one answer, each by its method's rules. The default applies
    /// them one by one; [`super::SqliteJournal`] writes them in one transaction (one durable
    /// commit for a pair instead of two), so that after a crash either every outcome of the
    /// answer is kept or none is (and `reconcile` asks ZUS again).
    fn settle_all(&self, outcomes: &[(JournalKey, Settlement)]) -> Result<()> {
        for (key, outcome) in outcomes {
            match outcome {
                Settlement::Sent(upp) => self.mark_sent(key, upp)?,
                Settlement::Refused(detail) => self.mark_refused(key, detail)?,
                Settlement::NotReceived => self.mark_not_received(key)?,
                Settlement::Unknown(detail) => self.set_detail(key, detail)?,
            }
        }
        Ok(())
    }

    /// One entry.
    fn get(&self, key: &JournalKey) -> Result<Option<JournalEntry>>;

    /// Every entry, oldest first.
    fn entries(&self) -> Result<Vec<JournalEntry>>;

    /// The entries still waiting for their fate ([`SendState::is_open`]), oldest first.
    fn open_entries(&self) -> Result<Vec<JournalEntry>> {
        Ok(self
            .entries()?
            .into_iter()
            .filter(|e| e.state.is_open())
            .collect())
    }
}

/// The checks every implementation applies, in one place.
pub(super) mod rules {
    use super::*;

    /// May `record` go ahead over `existing`? `Ok(true)`: write the new bytes; `Ok(false)`:
    /// nothing to do (same bytes).
    pub(crate) fn record(existing: Option<&JournalEntry>, signed: &[u8]) -> Result<bool> {
        let Some(e) = existing else { return Ok(true) };
        if e.signed == signed {
            return Ok(false);
        }
        if e.state == SendState::Refused {
            return Ok(true);
        }
        Err(Error::journal(
            None,
            format!(
                "{} is already in the journal ({}) with other signed bytes; a document under \
                 one series/number is sent once",
                e.key, e.state
            ),
        ))
    }

    /// Is `from` → `to` allowed? (`Sent` → `Sent` is, and keeps the first receipt.)
    pub(crate) fn transition(key: &JournalKey, from: SendState, to: SendState) -> Result<()> {
        use SendState::*;
        let ok = match to {
            Sending => from.may_send(),
            Sent => matches!(from, Sending | Sent),
            Refused | NotReceived => from == Sending,
            Recorded => false,
        };
        if ok {
            Ok(())
        } else {
            Err(Error::journal(
                None,
                format!("{key}: cannot go from {from} to {to}"),
            ))
        }
    }

    /// May a detail be noted on an entry in state `from`? Only while `Sending`.
    pub(crate) fn detail(key: &JournalKey, from: SendState) -> Result<()> {
        if from == SendState::Sending {
            Ok(())
        } else {
            Err(Error::journal(
                None,
                format!("{key}: a detail is noted only while sending, not when {from}"),
            ))
        }
    }

    /// The error for a key the journal does not have.
    pub(crate) fn missing(key: &JournalKey) -> Error {
        Error::journal(None, format!("{key} is not in the journal"))
    }
}
