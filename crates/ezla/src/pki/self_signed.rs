//! Self-signed end-entity certificates: what a service provider publishes in its metadata
//! before (or instead of) a certificate from a CA, e.g. for login.gov.pl's simulator.

use time::{Duration, OffsetDateTime};

use super::encode::{octets, seq, tlv};
use super::extensions::KeyUsage;
use super::name::Name;
use super::testca::{extension, key_id, sign_tbs, truncate};
use super::x509::Certificate;
use crate::crypto::{PrivateKey, Signer};
use crate::{Error, Result};

const fn o(s: &str) -> const_oid::ObjectIdentifier {
    const_oid::ObjectIdentifier::new_unwrap(s)
}

/// A self-signed, non-CA certificate for `key` and `subject`, valid for `days` from
/// `not_before` (whole seconds, UTC), with `key_usage` (critical), basic constraints without
/// `cA`, and subject and authority key identifiers (the same value).
///
/// Fails with [`Error::InvalidArgument`] for an empty subject, an empty key usage or zero
/// days.
pub fn self_signed_certificate(
    key: &PrivateKey,
    subject: &Name,
    key_usage: KeyUsage,
    not_before: OffsetDateTime,
    days: u32,
) -> Result<Certificate> {
    if subject.is_empty() {
        return Err(Error::invalid_argument(
            "subject",
            "the subject name is empty",
        ));
    }
    if key_usage.is_empty() {
        return Err(Error::invalid_argument("key_usage", "no key usage given"));
    }
    if days == 0 {
        return Err(Error::invalid_argument("days", "a validity of zero days"));
    }
    let not_before = truncate(not_before);
    let not_after = not_before + Duration::days(i64::from(days));
    let ski = key_id(key.public_key())?;
    let extensions = vec![
        extension(o("2.5.29.15"), true, &key_usage.to_der()),
        extension(o("2.5.29.19"), false, &seq(&[])),
        extension(o("2.5.29.14"), false, &octets(&ski)),
        extension(o("2.5.29.35"), false, &seq(&[&tlv(0x80, &ski)])),
    ];
    let der = sign_tbs(
        key,
        subject,
        subject,
        key.public_key(),
        not_before,
        not_after,
        &extensions,
    )?;
    Certificate::from_der(&der)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::KeySpec;
    use time::macros::datetime;

    #[test]
    fn self_signed_certificate_matches_its_key_and_usage() {
        let key = PrivateKey::generate(KeySpec::EcP256).expect("key");
        let subject = Name::builder()
            .country("PL")
            .common_name("sp.example_sig_ec")
            .build()
            .expect("name");
        let start = datetime!(2026-01-01 0:00:00.5 UTC);
        let cert = self_signed_certificate(&key, &subject, KeyUsage::DIGITAL_SIGNATURE, start, 730)
            .expect("certificate");
        assert!(cert.matches_key(key.public_key()));
        assert!(!cert.is_ca());
        assert_eq!(cert.subject(), cert.issuer());
        assert_eq!(cert.not_before(), datetime!(2026-01-01 0:00 UTC));
        assert_eq!(cert.not_after(), datetime!(2028-01-01 0:00 UTC));
        assert_eq!(cert.key_usage(), Some(KeyUsage::DIGITAL_SIGNATURE));
        cert.verify_signature(key.public_key())
            .expect("self-signature");
        assert!(
            self_signed_certificate(&key, &subject, KeyUsage::DIGITAL_SIGNATURE, start, 0).is_err()
        );
    }
}
