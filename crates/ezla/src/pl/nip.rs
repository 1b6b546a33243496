//! NIP: the Polish tax identification number.

use std::fmt;
use std::str::FromStr;

use super::{IdError, IdKind, digits};

/// The check-digit weights of digits 1–9.
const WEIGHTS: [u8; 9] = [6, 5, 7, 2, 3, 4, 5, 6, 7];

/// A valid NIP: 10 digits whose last is the weighted sum of the others modulo 11.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Nip([u8; 10]);

impl Nip {
    /// Parses and validates a NIP written as 10 digits, optionally grouped with `-` or
    /// spaces (`123-456-32-18`, `123-45-63-218`) and optionally prefixed with the EU VAT
    /// country code `PL`.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let s = s.trim();
        let s = s.strip_prefix("PL").unwrap_or(s);
        let compact: String = s.chars().filter(|c| *c != '-' && *c != ' ').collect();
        Self::parse_digits(&compact)
    }

    /// Parses and validates exactly 10 ASCII digits, with no separators or prefix.
    pub fn parse_digits(s: &str) -> Result<Self, IdError> {
        let d = digits::<10>(IdKind::Nip, s)?;
        let sum: u32 = d
            .iter()
            .zip(WEIGHTS)
            .map(|(&d, w)| u32::from(d) * u32::from(w))
            .sum();
        // A remainder of 10 is never issued: no digit can match it.
        if sum % 11 != u32::from(d[9]) {
            return Err(IdError::CheckDigit { kind: IdKind::Nip });
        }
        Ok(Nip(d.map(|x| b'0' + x)))
    }

    /// Whether `s` is a valid NIP (in any form [`Nip::parse`] accepts).
    pub fn is_valid(s: &str) -> bool {
        Self::parse(s).is_ok()
    }

    /// The 10 digits without separators.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl FromStr for Nip {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, IdError> {
        Self::parse(s)
    }
}

impl fmt::Display for Nip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_numbers_in_the_usual_spellings() {
        for s in [
            "1234563218",
            "123-456-32-18",
            "123-45-63-218",
            "123 456 32 18",
            "PL1234563218",
            "5260250274", // ZUS
        ] {
            assert!(Nip::is_valid(s), "{s}");
        }
        assert_eq!(
            Nip::parse("123-456-32-18").expect("nip").as_str(),
            "1234563218"
        );
        assert!(Nip::parse_digits("123-456-32-18").is_err());
    }

    #[test]
    fn rejects_wrong_check_digits_lengths_and_characters() {
        assert_eq!(
            Nip::parse("1234563219"),
            Err(IdError::CheckDigit { kind: IdKind::Nip })
        );
        // Weighted sum ≡ 10 (mod 11): no check digit exists, so every ending fails.
        for last in 0..=9 {
            assert!(Nip::parse(&format!("100000016{last}")).is_err());
        }
        assert!(matches!(
            Nip::parse("123456321"),
            Err(IdError::Length {
                expected: 10,
                found: 9,
                ..
            })
        ));
        assert!(matches!(
            Nip::parse("12345632a8"),
            Err(IdError::NotDigit { position: 8, .. })
        ));
        assert!(Nip::parse("").is_err());
    }
}
