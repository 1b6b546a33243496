//! e-ZLA documents: rule violations and unrecognised shapes (codes 500–599).

use std::fmt;

use super::{ErrorCode, Problem, Severity};

/// An e-ZLA document that cannot be used.
#[derive(Debug)]
#[non_exhaustive]
pub enum DocumentError {
    /// The document breaks one or more rules; every problem is listed.
    Invalid {
        /// The problems found (errors, and the warnings found with them).
        problems: Vec<Problem>,
    },
    /// The XML is not an e-ZLA document of a known shape.
    Malformed {
        /// What is wrong, with the element path.
        detail: String,
    },
}

impl DocumentError {
    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            DocumentError::Invalid { .. } => ErrorCode::DocumentInvalid,
            DocumentError::Malformed { .. } => ErrorCode::DocumentMalformed,
        }
    }
}

impl fmt::Display for DocumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DocumentError::Invalid { problems } => {
                let errors = problems
                    .iter()
                    .filter(|p| p.severity == Severity::Error)
                    .count();
                write!(
                    f,
                    "invalid e-ZLA document: {errors} error(s), {} warning(s)",
                    problems.len() - errors
                )?;
                for p in problems {
                    write!(f, "\n  {p}")?;
                }
                Ok(())
            }
            DocumentError::Malformed { detail } => {
                write!(f, "not a recognised e-ZLA document: {detail}")
            }
        }
    }
}
