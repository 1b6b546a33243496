//! What XAdES needs to know about the signer's certificate.

use der::{Decode, Encode};
use time::OffsetDateTime;

use super::dn::{self, Rdns};
use crate::crypto::{DigestAlgorithm, PublicKey};
use crate::error::Format;
use crate::{Error, Result};

/// The facts of a certificate XAdES writes and checks.
#[derive(Clone, Debug)]
pub(crate) struct CertFacts {
    pub(crate) der: Vec<u8>,
    pub(crate) issuer: Rdns,
    pub(crate) subject: Rdns,
    /// Serial number: the DER INTEGER's content octets (two's complement, big-endian).
    pub(crate) serial: Vec<u8>,
    pub(crate) not_before: OffsetDateTime,
    pub(crate) not_after: OffsetDateTime,
    pub(crate) public_key: PublicKey,
}

impl CertFacts {
    pub(crate) fn from_der(der: &[u8]) -> Result<Self> {
        let cert = x509_cert::Certificate::from_der(der)
            .map_err(|e| Error::malformed(Format::Der, "certificate", e.to_string()))?;
        let tbs = cert.tbs_certificate();
        let spki = tbs
            .subject_public_key_info()
            .to_der()
            .map_err(|e| Error::internal(format!("re-encoding a public key: {e}")))?;
        let time = |t: &x509_cert::time::Time| -> Result<OffsetDateTime> {
            let secs = t.to_unix_duration().as_secs();
            OffsetDateTime::from_unix_timestamp(i64::try_from(secs).unwrap_or(i64::MAX))
                .map_err(|e| Error::malformed(Format::Der, "certificate validity", e.to_string()))
        };
        let serial = tbs.serial_number().as_bytes();
        Ok(CertFacts {
            der: der.to_vec(),
            issuer: dn::rdns_of(tbs.issuer()),
            subject: dn::rdns_of(tbs.subject()),
            serial: serial.to_vec(),
            not_before: time(&tbs.validity().not_before)?,
            not_after: time(&tbs.validity().not_after)?,
            public_key: PublicKey::from_spki_der(&spki)?,
        })
    }

    pub(crate) fn digest(&self, algorithm: DigestAlgorithm) -> Vec<u8> {
        algorithm.digest(&self.der)
    }

    pub(crate) fn issuer_text(&self) -> String {
        dn::format(&self.issuer)
    }

    pub(crate) fn subject_text(&self) -> String {
        dn::format(&self.subject)
    }

    /// The serial number in decimal, as `xsd:integer` (a DER INTEGER is two's complement: a
    /// non-conforming negative serial reads as negative, as other implementations write it).
    pub(crate) fn serial_decimal(&self) -> String {
        signed_decimal(&self.serial)
    }

    /// The PESEL in the subject's `serialNumber`, if any (`PNOPL-<PESEL>` or a bare PESEL
    /// with a valid check digit).
    pub(crate) fn pesel(&self) -> Option<String> {
        let serial_oid = const_oid::db::rfc4519::SERIAL_NUMBER;
        self.subject
            .iter()
            .flatten()
            .filter(|a| a.oid == serial_oid)
            .find_map(|a| {
                let v = a.value.trim();
                let digits = v.strip_prefix("PNOPL-").unwrap_or(v);
                (digits.len() == 11
                    && digits.bytes().all(|b| b.is_ascii_digit())
                    && pesel_check(digits))
                .then(|| digits.to_string())
            })
    }

    pub(crate) fn check_valid_at(&self, at: OffsetDateTime) -> Result<()> {
        if at < self.not_before {
            return Err(Error::CertificateNotYetValid {
                subject: self.subject_text(),
                not_before: self.not_before,
                at,
            });
        }
        if at > self.not_after {
            return Err(Error::CertificateExpired {
                subject: self.subject_text(),
                not_after: self.not_after,
                at,
            });
        }
        Ok(())
    }
}

fn pesel_check(d: &str) -> bool {
    const WEIGHTS: [u32; 10] = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
    let digits: Vec<u32> = d.bytes().map(|b| u32::from(b - b'0')).collect();
    let sum: u32 = WEIGHTS.iter().zip(&digits).map(|(w, x)| w * x).sum();
    (10 - sum % 10) % 10 == digits[10]
}

/// Decimal text of a two's complement big-endian integer (DER INTEGER content).
pub(crate) fn signed_decimal(bytes: &[u8]) -> String {
    match bytes.first() {
        Some(&b) if b & 0x80 != 0 => {
            // Negative: magnitude = two's complement negation.
            let mut magnitude: Vec<u8> = bytes.iter().map(|b| !b).collect();
            for byte in magnitude.iter_mut().rev() {
                let (v, carry) = byte.overflowing_add(1);
                *byte = v;
                if !carry {
                    break;
                }
            }
            format!("-{}", decimal(&magnitude))
        }
        _ => decimal(bytes),
    }
}

/// Decimal text of an unsigned big-endian integer.
pub(crate) fn decimal(bytes: &[u8]) -> String {
    let mut digits: Vec<u8> = vec![0];
    for &byte in bytes {
        let mut carry = u32::from(byte);
        for d in digits.iter_mut() {
            let v = u32::from(*d) * 256 + carry;
            *d = (v % 10) as u8;
            carry = v / 10;
        }
        while carry > 0 {
            digits.push((carry % 10) as u8);
            carry /= 10;
        }
    }
    digits.iter().rev().map(|d| char::from(b'0' + d)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_of_big_serials() {
        assert_eq!(decimal(&[]), "0");
        assert_eq!(decimal(&[0x01, 0x00]), "256");
        assert_eq!(
            decimal(&[0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x11]),
            "335812727670730321937"
        );
    }

    #[test]
    fn negative_serials_read_as_der_integers() {
        assert_eq!(signed_decimal(&[0x00, 0x80]), "128");
        assert_eq!(signed_decimal(&[0x80]), "-128");
        assert_eq!(signed_decimal(&[0xff]), "-1");
        let mut bytes = vec![0xa6];
        bytes.extend([0u8; 15]);
        // 0xa6 << 120, read signed
        assert!(signed_decimal(&bytes).starts_with('-'));
    }

    #[test]
    fn pesel_check_digit() {
        assert!(pesel_check("68071892605"));
        assert!(!pesel_check("68071892606"));
    }
}
