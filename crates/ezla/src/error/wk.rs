//! login.gov.pl (Węzeł Krajowy): SAML messages that fail a check of the service provider
//! (codes 700–799).
//!
//! Each check of the order in `docs/wk.md` fails with its own variant, naming the element and
//! what was expected. Signature failures of the two signed layers keep their signature-family
//! codes (400–499: invalid value, digest mismatch, duplicate ID, reference not covering the
//! element); everything SAML-specific is here. Status codes and messages of login.gov.pl are
//! kept verbatim.

use std::fmt;

use time::OffsetDateTime;

use super::{ErrorCode, fmt_time};

/// A SAML `Status`: the top-level `StatusCode`, the nested (second-level) one when present,
/// and the `StatusMessage`, all verbatim.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct SamlStatus {
    /// The top-level `StatusCode/@Value`, e.g. `urn:oasis:names:tc:SAML:2.0:status:Requester`.
    pub top: String,
    /// The nested `StatusCode/StatusCode/@Value`, e.g. `…:status:AuthnFailed`.
    pub second: Option<String>,
    /// `StatusMessage`, when given.
    pub message: Option<String>,
}

impl SamlStatus {
    /// The SAML success status URI.
    pub const SUCCESS: &'static str = "urn:oasis:names:tc:SAML:2.0:status:Success";

    /// Whether the top-level code is `Success` (the only status accepted).
    pub fn is_success(&self) -> bool {
        self.top == Self::SUCCESS
    }
}

impl fmt::Display for SamlStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StatusCode {:?}", self.top)?;
        if let Some(second) = &self.second {
            write!(f, " / {second:?}")?;
        }
        if let Some(message) = &self.message {
            write!(f, ", StatusMessage {message:?}")?;
        }
        Ok(())
    }
}

/// A login.gov.pl SAML message that the service provider refuses, or a SAML store that
/// cannot be used.
#[derive(Debug)]
#[non_exhaustive]
pub enum WkError {
    /// login.gov.pl answered with a status other than Success.
    Status {
        /// Which message carried it (`ArtifactResponse`, `Response`, `LogoutResponse`).
        message: &'static str,
        /// The status, verbatim.
        status: SamlStatus,
    },
    /// The message does not have the structure of its SAML type.
    Malformed {
        /// Where (an element path or a message name).
        at: String,
        /// What is wrong.
        detail: String,
    },
    /// An `Issuer` is not the configured one.
    IssuerMismatch {
        /// Whose issuer.
        element: String,
        /// The configured value.
        expected: String,
        /// The value found (empty when missing).
        found: String,
    },
    /// An `InResponseTo` does not name the request it answers.
    InResponseToMismatch {
        /// Which element.
        element: String,
        /// The ID of our request.
        expected: String,
        /// The value found, when any.
        found: Option<String>,
    },
    /// No pending request matches (unknown, already used or expired).
    UnknownRequest {
        /// The request ID or RelayState looked up.
        key: String,
        /// Why it is not usable.
        detail: String,
    },
    /// The assertion cannot be decrypted.
    DecryptionFailed {
        /// The step of wk-saml.md §2.3 that failed.
        step: &'static str,
        /// What went wrong.
        detail: String,
    },
    /// An assertion in plaintext: login.gov.pl always encrypts it.
    UnencryptedAssertion {
        /// Where it is.
        at: String,
    },
    /// Content where the profile allows none: a second assertion, an assertion hidden in
    /// `Extensions` or `ds:Object`, a comment or processing instruction, unexpected elements.
    UnexpectedContent {
        /// Where it is.
        at: String,
        /// What it is.
        detail: String,
    },
    /// `SubjectConfirmationData/@Recipient` is not our ACS URL.
    RecipientMismatch {
        /// The configured ACS URL.
        expected: String,
        /// The value found.
        found: String,
    },
    /// A validity window does not contain the present instant (with the clock skew).
    Expired {
        /// Which window (`Conditions`, `SubjectConfirmationData`, the pending request).
        what: &'static str,
        /// The window's start, when it has one.
        not_before: Option<OffsetDateTime>,
        /// The window's end.
        not_on_or_after: Option<OffsetDateTime>,
        /// The instant checked.
        now: OffsetDateTime,
    },
    /// The assertion's `Audience` is not our entity ID.
    AudienceMismatch {
        /// Our entity ID.
        expected: String,
        /// The audiences found.
        found: Vec<String>,
    },
    /// The level of assurance reached is below the requested one.
    LoaTooLow {
        /// The requested level's URI.
        requested: String,
        /// The level's URI in the assertion.
        found: String,
    },
    /// An artifact or assertion already used: a replay.
    Replay {
        /// `artifact` or `assertion`.
        what: &'static str,
        /// Its value or ID.
        id: String,
    },
    /// No usable bearer `SubjectConfirmation`.
    SubjectConfirmation {
        /// What is wrong.
        detail: String,
    },
    /// A person attribute is missing or invalid (e.g. a PESEL with a wrong check digit).
    AttributeInvalid {
        /// The attribute's name.
        name: String,
        /// What is wrong.
        detail: String,
    },
    /// A pending-request or replay store failed.
    Store {
        /// The store (a file path or `memory`).
        store: String,
        /// What failed.
        detail: String,
    },
}

impl WkError {
    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        match self {
            WkError::Status { .. } => ErrorCode::SamlStatus,
            WkError::Malformed { .. } => ErrorCode::SamlMalformed,
            WkError::IssuerMismatch { .. } => ErrorCode::SamlIssuerMismatch,
            WkError::InResponseToMismatch { .. } => ErrorCode::SamlInResponseToMismatch,
            WkError::UnknownRequest { .. } => ErrorCode::SamlUnknownRequest,
            WkError::DecryptionFailed { .. } => ErrorCode::SamlDecryptionFailed,
            WkError::UnencryptedAssertion { .. } => ErrorCode::SamlUnencryptedAssertion,
            WkError::UnexpectedContent { .. } => ErrorCode::SamlUnexpectedContent,
            WkError::RecipientMismatch { .. } => ErrorCode::SamlRecipientMismatch,
            WkError::Expired { .. } => ErrorCode::SamlExpired,
            WkError::AudienceMismatch { .. } => ErrorCode::SamlAudienceMismatch,
            WkError::LoaTooLow { .. } => ErrorCode::SamlLoaTooLow,
            WkError::Replay { .. } => ErrorCode::SamlReplay,
            WkError::SubjectConfirmation { .. } => ErrorCode::SamlSubjectConfirmation,
            WkError::AttributeInvalid { .. } => ErrorCode::SamlAttributeInvalid,
            WkError::Store { .. } => ErrorCode::SamlStore,
        }
    }
}

impl fmt::Display for WkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WkError::Status { message, status } => {
                write!(f, "login.gov.pl {message}: non-success status: {status}")
            }
            WkError::Malformed { at, detail } => write!(f, "SAML message at {at}: {detail}"),
            WkError::IssuerMismatch {
                element,
                expected,
                found,
            } => write!(
                f,
                "{element}: Issuer {found:?} is not the configured {expected:?}"
            ),
            WkError::InResponseToMismatch {
                element,
                expected,
                found,
            } => match found {
                Some(found) => write!(
                    f,
                    "{element}: InResponseTo {found:?} does not name our request {expected:?}"
                ),
                None => write!(f, "{element}: no InResponseTo (our request {expected:?})"),
            },
            WkError::UnknownRequest { key, detail } => {
                write!(f, "no pending login request {key:?}: {detail}")
            }
            WkError::DecryptionFailed { step, detail } => {
                write!(f, "assertion decryption failed ({step}): {detail}")
            }
            WkError::UnencryptedAssertion { at } => write!(
                f,
                "plaintext assertion at {at}: login.gov.pl assertions must be encrypted"
            ),
            WkError::UnexpectedContent { at, detail } => write!(f, "{at}: {detail}"),
            WkError::RecipientMismatch { expected, found } => write!(
                f,
                "SubjectConfirmationData Recipient {found:?} is not our ACS URL {expected:?}"
            ),
            WkError::Expired {
                what,
                not_before,
                not_on_or_after,
                now,
            } => {
                write!(f, "{what} is not valid at {}", fmt_time(now))?;
                if let Some(t) = not_before {
                    write!(f, " (NotBefore {})", fmt_time(t))?;
                }
                if let Some(t) = not_on_or_after {
                    write!(f, " (NotOnOrAfter {})", fmt_time(t))?;
                }
                Ok(())
            }
            WkError::AudienceMismatch { expected, found } => write!(
                f,
                "assertion audience {found:?} does not include our entity ID {expected:?}"
            ),
            WkError::LoaTooLow { requested, found } => write!(
                f,
                "level of assurance {found:?} is below the requested {requested:?}"
            ),
            WkError::Replay { what, id } => write!(f, "{what} {id:?} was already used (replay)"),
            WkError::SubjectConfirmation { detail } => {
                write!(f, "SubjectConfirmation: {detail}")
            }
            WkError::AttributeInvalid { name, detail } => {
                write!(f, "attribute {name}: {detail}")
            }
            WkError::Store { store, detail } => write!(f, "SAML store {store}: {detail}"),
        }
    }
}
