//! The RFC 3161 structures as `der` 0.8 reads them (Appendix C of the RFC), and the small
//! helpers both directions share.

use const_oid::ObjectIdentifier;
use der::asn1::{BitString, Int, OctetString};
use der::{Any, Sequence, Tagged};
use spki::AlgorithmIdentifierOwned;
use time::OffsetDateTime;
use x509_cert::ext::Extensions;
use x509_cert::ext::pkix::name::GeneralName;

use crate::crypto::DigestAlgorithm;
use crate::error::{Error, Format, FormatError, Result, SignatureError};

/// `MessageImprint ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, hashedMessage OCTET STRING }`.
#[derive(Clone, Debug, Sequence)]
pub(crate) struct MessageImprintAsn {
    pub(crate) hash_algorithm: AlgorithmIdentifierOwned,
    pub(crate) hashed_message: OctetString,
}

/// `TimeStampReq` (§2.4.1).
#[derive(Clone, Debug, Sequence)]
pub(crate) struct TimeStampReqAsn {
    pub(crate) version: u8,
    pub(crate) message_imprint: MessageImprintAsn,
    #[asn1(optional = "true")]
    pub(crate) req_policy: Option<ObjectIdentifier>,
    #[asn1(optional = "true")]
    pub(crate) nonce: Option<Int>,
    #[asn1(optional = "true")]
    pub(crate) cert_req: Option<bool>,
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    pub(crate) extensions: Option<Extensions>,
}

/// `PKIStatusInfo ::= SEQUENCE { status PKIStatus, statusString PKIFreeText OPTIONAL,
/// failInfo PKIFailureInfo OPTIONAL }` (§2.4.2).
#[derive(Clone, Debug, Sequence)]
pub(crate) struct PkiStatusInfoAsn {
    pub(crate) status: i64,
    #[asn1(optional = "true")]
    pub(crate) status_string: Option<Vec<String>>,
    #[asn1(optional = "true")]
    pub(crate) fail_info: Option<BitString>,
}

/// `TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken OPTIONAL }`.
#[derive(Clone, Debug, Sequence)]
pub(crate) struct TimeStampRespAsn {
    pub(crate) status: PkiStatusInfoAsn,
    #[asn1(optional = "true")]
    pub(crate) time_stamp_token: Option<Any>,
}

/// `Accuracy ::= SEQUENCE { seconds INTEGER OPTIONAL, millis [0] INTEGER (1..999) OPTIONAL,
/// micros [1] INTEGER (1..999) OPTIONAL }`.
#[derive(Clone, Debug, Sequence)]
pub(crate) struct AccuracyAsn {
    #[asn1(optional = "true")]
    pub(crate) seconds: Option<u32>,
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    pub(crate) millis: Option<u16>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    pub(crate) micros: Option<u16>,
}

/// `TSTInfo` (§2.4.2). `genTime` is read by hand ([`generalized_time`]): it may carry
/// fractions of a second, which `der`'s `GeneralizedTime` refuses.
#[derive(Clone, Debug, Sequence)]
pub(crate) struct TstInfoAsn {
    pub(crate) version: u8,
    pub(crate) policy: ObjectIdentifier,
    pub(crate) message_imprint: MessageImprintAsn,
    pub(crate) serial_number: Int,
    pub(crate) gen_time: Any,
    #[asn1(optional = "true")]
    pub(crate) accuracy: Option<AccuracyAsn>,
    #[asn1(optional = "true")]
    pub(crate) ordering: Option<bool>,
    #[asn1(optional = "true")]
    pub(crate) nonce: Option<Int>,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub(crate) tsa: Option<GeneralName>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    pub(crate) extensions: Option<Extensions>,
}

/// A `DerMalformed` error about `what`.
pub(crate) fn der_error(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Format(FormatError::Malformed {
        format: Format::Der,
        what: what.to_string(),
        detail: e.to_string(),
    })
}

/// A `SignatureMalformed` error.
pub(crate) fn malformed(detail: impl Into<String>) -> Error {
    Error::Signature(SignatureError::Malformed {
        detail: detail.into(),
    })
}

/// The digest algorithm of a message imprint: SHA-256, -384 or -512 (SHA-1 imprints are
/// refused: a collision would let one stamp prove two documents).
pub(crate) fn imprint_digest(alg: &AlgorithmIdentifierOwned) -> Result<DigestAlgorithm> {
    DigestAlgorithm::from_oid(&alg.oid)
        .filter(|d| {
            matches!(
                d,
                DigestAlgorithm::Sha256 | DigestAlgorithm::Sha384 | DigestAlgorithm::Sha512
            )
        })
        .ok_or_else(|| {
            Error::unsupported(
                "time-stamp imprint hash",
                format!("{} (SHA-256, SHA-384 or SHA-512 expected)", alg.oid),
            )
        })
}

/// The magnitude of a non-negative INTEGER (leading zero octets removed); `None` for a
/// negative one.
pub(crate) fn unsigned(int: &Int) -> Option<Vec<u8>> {
    let bytes = int.as_bytes();
    if bytes.first().is_some_and(|b| b & 0x80 != 0) {
        return None;
    }
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    Some(bytes[start..].to_vec())
}

/// Reads a DER `GeneralizedTime` (`YYYYMMDDHHMMSS[.f+]Z`), fractions of a second included.
pub(crate) fn generalized_time(any: &Any) -> Result<OffsetDateTime> {
    if any.tag() != der::Tag::GeneralizedTime {
        return Err(der_error(
            "time-stamp genTime",
            format!("a {} where a GeneralizedTime belongs", any.tag()),
        ));
    }
    let text = std::str::from_utf8(any.value()).map_err(|e| der_error("time-stamp genTime", e))?;
    parse_generalized(text).ok_or_else(|| {
        der_error(
            "time-stamp genTime",
            format!("`{text}` is not YYYYMMDDHHMMSS[.fff]Z"),
        )
    })
}

fn parse_generalized(text: &str) -> Option<OffsetDateTime> {
    let body = text.strip_suffix('Z')?;
    let (whole, fraction) = match body.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (body, None),
    };
    if whole.len() != 14 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| whole.get(r).and_then(|s| s.parse::<u32>().ok());
    let month = time::Month::try_from(u8::try_from(n(4..6)?).ok()?).ok()?;
    let date = time::Date::from_calendar_date(
        i32::try_from(n(0..4)?).ok()?,
        month,
        u8::try_from(n(6..8)?).ok()?,
    )
    .ok()?;
    let mut nanos = 0u32;
    if let Some(f) = fraction {
        // At least one digit, at most nanoseconds. DER forbids trailing zeros; they are
        // accepted (they change no instant), as some TSAs write them.
        if f.is_empty() || f.len() > 9 || !f.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        nanos = f.parse::<u32>().ok()? * 10u32.pow(9 - f.len() as u32);
    }
    let t = time::Time::from_hms_nano(
        u8::try_from(n(8..10)?).ok()?,
        u8::try_from(n(10..12)?).ok()?,
        u8::try_from(n(12..14)?).ok()?,
        nanos,
    )
    .ok()?;
    Some(date.with_time(t).assume_utc())
}

/// Writes a DER `GeneralizedTime` with milliseconds when there are any (trailing zeros of
/// the fraction left out, as DER requires).
pub(crate) fn generalized_time_der(t: OffsetDateTime) -> Vec<u8> {
    let t = t.to_offset(time::UtcOffset::UTC);
    let mut text = format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    let millis = t.millisecond();
    if millis != 0 {
        let fraction = format!("{millis:03}");
        text.push('.');
        text.push_str(fraction.trim_end_matches('0'));
    }
    text.push('Z');
    crate::pki::encode::tlv(0x18, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generalized_time_round_trips_with_and_without_fractions() {
        for (text, millis) in [
            ("20261206211059Z", 0),
            ("20261206211059.5Z", 500),
            ("20261206211059.123Z", 123),
            ("20261206211059.05Z", 50),
        ] {
            let t = parse_generalized(text).expect(text);
            assert_eq!(t.millisecond(), millis, "{text}");
            assert_eq!(generalized_time_der(t)[2..], *text.as_bytes(), "{text}");
        }
        let padded = parse_generalized("20261206211059.50Z").expect("trailing zero");
        assert_eq!(padded.millisecond(), 500);
        let micro = parse_generalized("20261206211059.000001Z").expect("micro");
        assert_eq!(micro.microsecond(), 1);
        for bad in [
            "20261206211059",
            "20261206211059.Z",
            "2026120621105Z",
            "20261306211059Z",
            "20261206251059Z",
            "20261206211059+0100",
            "2026120621105aZ",
        ] {
            assert!(parse_generalized(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn negative_integers_are_not_unsigned() {
        let neg = Int::new(&[0xff, 0x01]).expect("int");
        assert_eq!(unsigned(&neg), None);
        let pos = Int::new(&[0x00, 0x80]).expect("int");
        assert_eq!(unsigned(&pos), Some(vec![0x80]));
    }
}
