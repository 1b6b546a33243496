//! Polish national identifiers: PESEL (natural persons) and NIP (tax numbers), with their
//! check digits.
//!
//! These are used across ezla: the certificate layer reads them from a subject's
//! `serialNumber` ([`crate::pki::polish`]), and e-ZLA documents carry the patient's PESEL and
//! the payer's NIP. Parsing is strict: a value that parses is well-formed *and* its check
//! digit (and, for a PESEL, its encoded birth date) is valid.
//!
//! ```
//! use ezla::pl::{Nip, Pesel, Sex};
//!
//! let pesel: Pesel = "44051401359".parse()?;
//! assert_eq!(pesel.sex(), Sex::Male);
//! assert_eq!(pesel.birth_date().to_string(), "1944-05-14");
//! assert!("44051401358".parse::<Pesel>().is_err()); // wrong check digit
//!
//! let nip = Nip::parse("123-456-32-18")?;
//! assert_eq!(nip.as_str(), "1234563218");
//! # Ok::<(), ezla::pl::IdError>(())
//! ```

pub mod czas;
mod nip;
mod pesel;

use std::fmt;

pub use nip::Nip;
pub use pesel::{Pesel, Sex};

/// Which identifier an [`IdError`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IdKind {
    /// PESEL, the 11-digit personal number.
    Pesel,
    /// NIP, the 10-digit tax identification number.
    Nip,
}

impl IdKind {
    /// The identifier's usual name (`PESEL`, `NIP`).
    pub const fn name(self) -> &'static str {
        match self {
            IdKind::Pesel => "PESEL",
            IdKind::Nip => "NIP",
        }
    }
}

/// Why a value is not a valid identifier.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum IdError {
    /// The value has the wrong number of digits.
    Length {
        /// Which identifier.
        kind: IdKind,
        /// The required number of digits.
        expected: usize,
        /// The number found.
        found: usize,
    },
    /// A character that is not an ASCII digit (or, for a NIP, a separator).
    NotDigit {
        /// Which identifier.
        kind: IdKind,
        /// Zero-based character position.
        position: usize,
    },
    /// The check digit does not match the other digits.
    CheckDigit {
        /// Which identifier.
        kind: IdKind,
    },
    /// A PESEL whose digits encode no real date.
    InvalidBirthDate,
}

impl IdError {
    /// The identifier the error is about.
    pub fn kind(&self) -> IdKind {
        match self {
            IdError::Length { kind, .. }
            | IdError::NotDigit { kind, .. }
            | IdError::CheckDigit { kind } => *kind,
            IdError::InvalidBirthDate => IdKind::Pesel,
        }
    }
}

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdError::Length {
                kind,
                expected,
                found,
            } => write!(
                f,
                "{} must have {expected} digits, found {found}",
                kind.name()
            ),
            IdError::NotDigit { kind, position } => write!(
                f,
                "{} has a character other than a digit at position {}",
                kind.name(),
                position + 1
            ),
            IdError::CheckDigit { kind } => {
                write!(f, "{} check digit does not match", kind.name())
            }
            IdError::InvalidBirthDate => f.write_str("PESEL does not encode a valid birth date"),
        }
    }
}

impl std::error::Error for IdError {}

impl From<IdError> for crate::Error {
    /// An [`crate::Error::InvalidArgument`] naming the identifier.
    fn from(e: IdError) -> Self {
        crate::Error::InvalidArgument {
            argument: e.kind().name(),
            reason: e.to_string(),
        }
    }
}

/// Checks that `s` is exactly `N` ASCII digits and returns them as numbers.
fn digits<const N: usize>(kind: IdKind, s: &str) -> Result<[u8; N], IdError> {
    let count = s.chars().count();
    if let Some(position) = s.chars().position(|c| !c.is_ascii_digit()) {
        // A wrong length is the more useful message for values such as "PL123".
        if count != N {
            return Err(IdError::Length {
                kind,
                expected: N,
                found: s.chars().filter(char::is_ascii_digit).count(),
            });
        }
        return Err(IdError::NotDigit { kind, position });
    }
    if count != N {
        return Err(IdError::Length {
            kind,
            expected: N,
            found: count,
        });
    }
    let mut out = [0u8; N];
    for (d, b) in out.iter_mut().zip(s.bytes()) {
        *d = b - b'0';
    }
    Ok(out)
}
