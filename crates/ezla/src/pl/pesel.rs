//! PESEL: the Polish personal identification number.

use std::fmt;
use std::str::FromStr;

use time::{Date, Month};

use super::{IdError, IdKind, digits};

/// The check-digit weights of digits 1–10.
const WEIGHTS: [u8; 10] = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];

/// A valid PESEL: 11 digits, a real birth date (1800–2299) and a matching check digit.
/// (Stored as its ASCII digits.)
///
/// `Debug` masks the middle digits so that a stray `{:?}` does not log a patient's number;
/// `Display` and [`Pesel::as_str`] give the full value.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pesel([u8; 11]);

/// Sex as encoded in a PESEL (10th digit: odd for men, even for women).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Sex {
    /// Even 10th digit.
    Female,
    /// Odd 10th digit.
    Male,
}

impl Pesel {
    /// Parses and validates a PESEL (exactly 11 ASCII digits, no separators).
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let d = digits::<11>(IdKind::Pesel, s)?;
        if check_digit(&d) != d[10] {
            return Err(IdError::CheckDigit {
                kind: IdKind::Pesel,
            });
        }
        birth_date(&d).ok_or(IdError::InvalidBirthDate)?;
        Ok(Pesel(d.map(|x| b'0' + x)))
    }

    /// Whether `s` is a valid PESEL.
    pub fn is_valid(s: &str) -> bool {
        Self::parse(s).is_ok()
    }

    /// The 11 digits.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The digits as numbers.
    fn numbers(&self) -> [u8; 11] {
        self.0.map(|c| c - b'0')
    }

    /// The birth date encoded in digits 1–6 (the month carries the century).
    pub fn birth_date(&self) -> Date {
        // Checked in `parse`; the fallback is unreachable for a constructed value.
        birth_date(&self.numbers()).unwrap_or(Date::MIN)
    }

    /// The sex encoded in digit 10.
    pub fn sex(&self) -> Sex {
        if self.numbers()[9] % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }
}

/// The check digit for the first ten digits.
fn check_digit(d: &[u8; 11]) -> u8 {
    let sum: u32 = d
        .iter()
        .zip(WEIGHTS)
        .map(|(&d, w)| u32::from(d) * u32::from(w))
        .sum();
    ((10 - sum % 10) % 10) as u8
}

/// The birth date, if the digits encode a real one.
fn birth_date(d: &[u8; 11]) -> Option<Date> {
    let yy = i32::from(d[0] * 10 + d[1]);
    let mm = d[2] * 10 + d[3];
    let dd = d[4] * 10 + d[5];
    let (century, month) = match mm {
        1..=12 => (1900, mm),
        21..=32 => (2000, mm - 20),
        41..=52 => (2100, mm - 40),
        61..=72 => (2200, mm - 60),
        81..=92 => (1800, mm - 80),
        _ => return None,
    };
    let month = Month::try_from(month).ok()?;
    Date::from_calendar_date(century + yy, month, dd).ok()
}

impl FromStr for Pesel {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, IdError> {
        Self::parse(s)
    }
}

impl fmt::Display for Pesel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Pesel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.as_str();
        let (head, tail) = (
            s.get(..2).unwrap_or_default(),
            s.get(8..).unwrap_or_default(),
        );
        write!(f, "Pesel({head}******{tail})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_numbers_and_what_they_encode() {
        let cases = [
            ("44051401359", "1944-05-14", Sex::Male),
            ("02271409867", "2002-07-14", Sex::Female),
            ("90090515836", "1990-09-05", Sex::Male),
            ("81100216357", "1981-10-02", Sex::Male),
            ("00810100002", "1800-01-01", Sex::Female),
        ];
        for (text, date, sex) in cases {
            let p = Pesel::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(p.birth_date().to_string(), date, "{text}");
            assert_eq!(p.sex(), sex, "{text}");
            assert_eq!(p.to_string(), text);
            assert!(!format!("{p:?}").contains(text), "Debug must mask");
        }
    }

    #[test]
    fn every_single_digit_change_is_caught() {
        let good = "44051401359";
        for i in 0..11 {
            for d in b'0'..=b'9' {
                let mut bytes = good.as_bytes().to_vec();
                if bytes[i] == d {
                    continue;
                }
                bytes[i] = d;
                let s = String::from_utf8(bytes).expect("ascii");
                assert!(Pesel::parse(&s).is_err(), "{s} must be rejected");
            }
        }
    }

    #[test]
    fn errors_say_what_is_wrong() {
        assert_eq!(
            Pesel::parse("4405140135"),
            Err(IdError::Length {
                kind: IdKind::Pesel,
                expected: 11,
                found: 10
            })
        );
        assert_eq!(
            Pesel::parse("4405140135x"),
            Err(IdError::NotDigit {
                kind: IdKind::Pesel,
                position: 10
            })
        );
        assert_eq!(
            Pesel::parse("44051401358"),
            Err(IdError::CheckDigit {
                kind: IdKind::Pesel
            })
        );
        // Month 13 and 30 February: check digits computed to isolate the date rule.
        for base in ["4413140135", "4402300135"] {
            let mut d = [0u8; 11];
            for (slot, b) in d.iter_mut().zip(base.bytes()) {
                *slot = b - b'0';
            }
            let c = check_digit(&d);
            let s = format!("{base}{c}");
            assert_eq!(Pesel::parse(&s), Err(IdError::InvalidBirthDate), "{s}");
        }
        assert!(Pesel::parse("").is_err());
        assert!(Pesel::parse("４４０５１４０１３５９").is_err()); // full-width digits
        let e: crate::Error = IdError::CheckDigit {
            kind: IdKind::Pesel,
        }
        .into();
        assert_eq!(e.code(), crate::ErrorCode::InvalidArgument);
        assert!(e.to_string().contains("PESEL"), "{e}");
    }
}
