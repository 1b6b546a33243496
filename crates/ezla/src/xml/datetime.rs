//! `xsd:dateTime` as XAdES, SOAP and SAML write it.

use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};

/// Formats an instant in UTC with whole seconds (`2026-11-24T08:30:00Z`): the form XAdES
/// `SigningTime` and SAML `IssueInstant` use.
pub fn format(t: OffsetDateTime) -> String {
    let t = t
        .to_offset(UtcOffset::UTC)
        .replace_nanosecond(0)
        .unwrap_or(t);
    t.format(&Rfc3339).unwrap_or_else(|_| t.to_string())
}

/// Parses `xsd:dateTime`: RFC 3339 (any offset, fractional seconds allowed), or without a
/// zone, which is read as UTC.
pub fn parse(s: &str) -> Option<OffsetDateTime> {
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Some(t);
    }
    OffsetDateTime::parse(&format!("{s}Z"), &Rfc3339).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_in_utc_whole_seconds_and_parses_both_forms() {
        let t = parse("2026-11-24T09:30:00.75+01:00").expect("parses");
        assert_eq!(format(t), "2026-11-24T08:30:00Z");
        assert_eq!(parse("2026-11-24T08:30:00"), parse("2026-11-24T08:30:00Z"));
        assert_eq!(parse("24.11.2026"), None);
    }
}
