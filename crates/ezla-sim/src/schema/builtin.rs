//! The XSD built-in types the contract uses, checked in their lexical space.
//!
//! Values reach these checks after whitespace processing (every type here but `xsd:string`
//! has the fixed facet `whiteSpace="collapse"`). Only the lexical space is checked, plus the
//! value ranges that define the integer types (`xsd:long`, `xsd:int`, `xsd:nonNegativeInteger`)
//! and calendar validity of dates (no 30 February, 29 February only in leap years, no year
//! 0000, timezone within ±14:00), as XML Schema 1.0 Part 2 defines them.

/// A built-in type of XML Schema 1.0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Builtin {
    /// `xsd:string`: any characters.
    String,
    /// `xsd:boolean`: `true`, `false`, `1`, `0`.
    Boolean,
    /// `xsd:date`: `-?yyyy-mm-dd` with an optional timezone.
    Date,
    /// `xsd:dateTime`: `-?yyyy-mm-ddThh:mm:ss(.s+)?` with an optional timezone.
    DateTime,
    /// `xsd:decimal`: `[+-]?digits(.digits)?`.
    Decimal,
    /// `xsd:integer`: `[+-]?digits`, unbounded.
    Integer,
    /// `xsd:nonNegativeInteger`: an integer ≥ 0.
    NonNegativeInteger,
    /// `xsd:long`: a 64-bit signed integer.
    Long,
    /// `xsd:int`: a 32-bit signed integer.
    Int,
    /// `xsd:base64Binary`: RFC 2045 base64 with the XSD 1.0 spacing rules.
    Base64Binary,
}

impl Builtin {
    /// All supported built-ins.
    pub(crate) const ALL: [Builtin; 10] = [
        Builtin::String,
        Builtin::Boolean,
        Builtin::Date,
        Builtin::DateTime,
        Builtin::Decimal,
        Builtin::Integer,
        Builtin::NonNegativeInteger,
        Builtin::Long,
        Builtin::Int,
        Builtin::Base64Binary,
    ];

    /// The local name in the XSD namespace.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Builtin::String => "string",
            Builtin::Boolean => "boolean",
            Builtin::Date => "date",
            Builtin::DateTime => "dateTime",
            Builtin::Decimal => "decimal",
            Builtin::Integer => "integer",
            Builtin::NonNegativeInteger => "nonNegativeInteger",
            Builtin::Long => "long",
            Builtin::Int => "int",
            Builtin::Base64Binary => "base64Binary",
        }
    }

    /// The built-in this one is derived from by restriction, among the supported ones.
    pub(crate) fn base(self) -> Option<Builtin> {
        match self {
            Builtin::Integer => Some(Builtin::Decimal),
            Builtin::NonNegativeInteger | Builtin::Long => Some(Builtin::Integer),
            Builtin::Int => Some(Builtin::Long),
            _ => None,
        }
    }

    /// Whether whitespace is collapsed before the value is judged (fixed for all but string).
    pub(crate) fn collapses(self) -> bool {
        self != Builtin::String
    }

    /// Whether `value` (after whitespace processing) is in the lexical space; `Err` says why
    /// not, in a few words.
    pub(crate) fn check(self, value: &str) -> Result<(), &'static str> {
        match self {
            Builtin::String => Ok(()),
            Builtin::Boolean => match value {
                "true" | "false" | "1" | "0" => Ok(()),
                _ => Err("expected true, false, 1 or 0"),
            },
            Builtin::Date => check_date_time(value, false),
            Builtin::DateTime => check_date_time(value, true),
            Builtin::Decimal => check_decimal(value),
            Builtin::Integer => integer(value).map(|_| ()),
            Builtin::NonNegativeInteger => {
                let (negative, digits) = integer(value)?;
                if negative && !is_zero(digits) {
                    Err("negative")
                } else {
                    Ok(())
                }
            }
            Builtin::Long => in_range(value, "9223372036854775807", "9223372036854775808"),
            Builtin::Int => in_range(value, "2147483647", "2147483648"),
            Builtin::Base64Binary => check_base64(value),
        }
    }
}

/// Splits `[+-]?[0-9]+` into its sign and digits.
fn integer(value: &str) -> Result<(bool, &str), &'static str> {
    let (negative, digits) = match value.as_bytes().first() {
        Some(b'-') => (true, &value[1..]),
        Some(b'+') => (false, &value[1..]),
        _ => (false, value),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("expected an integer ([+-]?[0-9]+)");
    }
    Ok((negative, digits))
}

fn is_zero(digits: &str) -> bool {
    digits.bytes().all(|b| b == b'0')
}

/// An integer between -`min_magnitude` and `max` (both written without leading zeros).
fn in_range(value: &str, max: &str, min_magnitude: &str) -> Result<(), &'static str> {
    let (negative, digits) = integer(value)?;
    let digits = digits.trim_start_matches('0');
    let limit = if negative { min_magnitude } else { max };
    // Same-length decimal strings compare like their numbers.
    if digits.len() < limit.len() || (digits.len() == limit.len() && digits <= limit) {
        Ok(())
    } else {
        Err("out of range")
    }
}

fn check_decimal(value: &str) -> Result<(), &'static str> {
    let unsigned = value
        .strip_prefix('-')
        .or_else(|| value.strip_prefix('+'))
        .unwrap_or(value);
    let (int, frac) = match unsigned.split_once('.') {
        Some((i, f)) => (i, f),
        None => (unsigned, ""),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
        return Err("expected a decimal ([+-]?digits(.digits)?)");
    }
    Ok(())
}

/// `n` ASCII digits at the start of `s`, as a number, and the rest.
fn digits_n(s: &str, n: usize) -> Option<(u32, &str)> {
    let head = s.get(..n)?;
    if !head.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((head.parse().ok()?, &s[n..]))
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn check_date_time(value: &str, with_time: bool) -> Result<(), &'static str> {
    const SHAPE_DATE: &str = "expected yyyy-mm-dd with an optional timezone";
    const SHAPE_DATE_TIME: &str = "expected yyyy-mm-ddThh:mm:ss with an optional timezone";
    let shape = if with_time {
        SHAPE_DATE_TIME
    } else {
        SHAPE_DATE
    };
    let (negative, rest) = match value.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, value),
    };
    // Year: four or more digits, no leading zero when more than four.
    let year_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    if year_len < 4 || (year_len > 4 && rest.starts_with('0')) {
        return Err(shape);
    }
    let year_digits = &rest[..year_len];
    if is_zero(year_digits) {
        return Err("year 0000 does not exist");
    }
    // Years of any length are lexically valid; only the leap-year rule needs the value, and
    // the last four digits decide it (10000 is a multiple of 400).
    let year_tail: i64 = year_digits[year_len - 4..].parse().map_err(|_| shape)?;
    let year_tail = if negative { -year_tail } else { year_tail };
    let rest = &rest[year_len..];
    let rest = rest.strip_prefix('-').ok_or(shape)?;
    let (month, rest) = digits_n(rest, 2).ok_or(shape)?;
    let rest = rest.strip_prefix('-').ok_or(shape)?;
    let (day, mut rest) = digits_n(rest, 2).ok_or(shape)?;
    if !(1..=12).contains(&month) {
        return Err("month out of range");
    }
    let days_in_month = match month {
        2 if is_leap(year_tail) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if day < 1 || day > days_in_month {
        return Err("day out of range for the month");
    }
    if with_time {
        rest = rest.strip_prefix('T').ok_or(shape)?;
        let (hour, r) = digits_n(rest, 2).ok_or(shape)?;
        let r = r.strip_prefix(':').ok_or(shape)?;
        let (minute, r) = digits_n(r, 2).ok_or(shape)?;
        let r = r.strip_prefix(':').ok_or(shape)?;
        let (second, mut r) = digits_n(r, 2).ok_or(shape)?;
        let mut fraction_nonzero = false;
        if let Some(f) = r.strip_prefix('.') {
            let n = f.bytes().take_while(u8::is_ascii_digit).count();
            if n == 0 {
                return Err(shape);
            }
            fraction_nonzero = !is_zero(&f[..n]);
            r = &f[n..];
        }
        // 24:00:00 is allowed (end of day, XSD 1.0); leap seconds are not.
        let end_of_day = hour == 24 && minute == 0 && second == 0 && !fraction_nonzero;
        if !(hour < 24 || end_of_day) || minute > 59 || second > 59 {
            return Err("time out of range");
        }
        rest = r;
    }
    check_timezone(rest).map_err(|e| if e.is_empty() { shape } else { e })
}

/// `""`, `Z` or `[+-]hh:mm` within ±14:00; an empty error means "wrong shape".
fn check_timezone(tz: &str) -> Result<(), &'static str> {
    if tz.is_empty() || tz == "Z" {
        return Ok(());
    }
    let Some(rest) = tz.strip_prefix('+').or_else(|| tz.strip_prefix('-')) else {
        return Err("");
    };
    let (hours, rest) = digits_n(rest, 2).ok_or("")?;
    let rest = rest.strip_prefix(':').ok_or("")?;
    let (minutes, rest) = digits_n(rest, 2).ok_or("")?;
    if !rest.is_empty() {
        return Err("");
    }
    if minutes > 59 || hours * 60 + minutes > 14 * 60 {
        return Err("timezone out of range");
    }
    Ok(())
}

fn check_base64(value: &str) -> Result<(), &'static str> {
    const SHAPE: &str = "expected base64 (A-Z a-z 0-9 + / with = padding)";
    // After collapsing, single spaces may separate any two characters (XSD 1.0 3.2.16).
    let mut sextets: Vec<u8> = Vec::with_capacity(value.len());
    let mut padding = 0usize;
    for b in value.bytes() {
        match b {
            b' ' => continue,
            b'=' => padding += 1,
            _ if padding > 0 => return Err(SHAPE),
            b'A'..=b'Z' => sextets.push(b - b'A'),
            b'a'..=b'z' => sextets.push(b - b'a' + 26),
            b'0'..=b'9' => sextets.push(b - b'0' + 52),
            b'+' => sextets.push(62),
            b'/' => sextets.push(63),
            _ => return Err(SHAPE),
        }
    }
    if padding > 2 || !(sextets.len() + padding).is_multiple_of(4) {
        return Err(SHAPE);
    }
    // The bits the padding stands for must be zero (`QR==` is not canonical base64 and not
    // in the lexical space).
    let last = sextets.last().copied().unwrap_or(0);
    match padding {
        1 if last & 0b11 != 0 => Err(SHAPE),
        2 if last & 0b1111 != 0 => Err(SHAPE),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(t: Builtin, values: &[&str]) {
        for v in values {
            assert!(t.check(v).is_ok(), "{} should accept {v:?}", t.name());
        }
    }

    fn bad(t: Builtin, values: &[&str]) {
        for v in values {
            assert!(t.check(v).is_err(), "{} should refuse {v:?}", t.name());
        }
    }

    #[test]
    fn boolean() {
        ok(Builtin::Boolean, &["true", "false", "1", "0"]);
        bad(Builtin::Boolean, &["TRUE", "yes", "", "t rue", "01"]);
    }

    #[test]
    fn integers() {
        ok(
            Builtin::Integer,
            &["0", "-0", "+5", "00012", "123456789012345678901234567890"],
        );
        bad(
            Builtin::Integer,
            &["", "-", "+", "+-1", "1.0", "1e3", "٣", "0x1"],
        );
        ok(
            Builtin::Long,
            &[
                "9223372036854775807",
                "-9223372036854775808",
                "0009223372036854775807",
                "-0",
            ],
        );
        bad(
            Builtin::Long,
            &["9223372036854775808", "-9223372036854775809", "1 2"],
        );
        ok(Builtin::Int, &["2147483647", "-2147483648"]);
        bad(Builtin::Int, &["2147483648", "-2147483649"]);
        ok(Builtin::NonNegativeInteger, &["0", "-0", "-00", "+5", "00"]);
        bad(Builtin::NonNegativeInteger, &["-1", ""]);
    }

    #[test]
    fn decimal() {
        ok(
            Builtin::Decimal,
            &["1", "1.5", "-1.5", "+.5", ".5", "5.", "0001.5000"],
        );
        bad(Builtin::Decimal, &[".", "-.", "1e3", "", "1,5", "+"]);
    }

    #[test]
    fn date() {
        ok(
            Builtin::Date,
            &[
                "2024-02-29",
                "2000-02-29",
                "-0001-01-01",
                "-0004-02-29",
                "10000-01-01",
                "2024-01-01Z",
                "2024-01-01+14:00",
                "2024-01-01-14:00",
                "2024-01-01+13:59",
                "2024-01-01-00:00",
            ],
        );
        bad(
            Builtin::Date,
            &[
                "2023-02-29",
                "1900-02-29",
                "0000-01-01",
                "-0001-02-29",
                "010000-01-01",
                "02024-01-01",
                "2024-1-01",
                "2024-13-01",
                "2024-00-10",
                "2024-01-00",
                "2024-04-31",
                "2024-01-01+14:01",
                "2024-01-01+15:00",
                "2024-01-01+01:60",
                "2024-01-01+1:00",
                "2024-01-01z",
                "+2024-01-01",
                "٢٠٢٤-01-01",
                "",
                "2024-01-01T00:00",
            ],
        );
    }

    #[test]
    fn date_time() {
        ok(
            Builtin::DateTime,
            &[
                "2024-01-01T10:00:00",
                "2024-01-01T10:00:00Z",
                "2024-01-01T10:00:00.123+01:00",
                "2024-01-01T24:00:00",
            ],
        );
        bad(
            Builtin::DateTime,
            &[
                "2024-01-01T23:59:60",
                "2024-01-01T10:00",
                "2024-01-01T10:00:00.",
                "2024-01-01t10:00:00",
                "2024-01-01T1:00:00",
                "2024-02-30T10:00:00",
                "2024-01-01T24:00:01",
                "2024-01-01T24:00:00.5",
            ],
        );
    }

    #[test]
    fn base64() {
        ok(
            Builtin::Base64Binary,
            &["", "QQ==", "QUI=", "QUJD", "QU JD", "QQ= =", "QUJDRA=="],
        );
        bad(
            Builtin::Base64Binary,
            &["Q===", "QR==", "QUI", "QQ==QQ==", "QUJDRB==", "QU*D"],
        );
    }

    #[test]
    fn derivation() {
        assert_eq!(Builtin::Int.base(), Some(Builtin::Long));
        let names: Vec<&str> = Builtin::ALL.iter().map(|b| b.name()).collect();
        assert!(names.contains(&"nonNegativeInteger"));
        assert!(!names.contains(&"short"));
    }
}
