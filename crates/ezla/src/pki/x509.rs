//! The X.509 certificate view.

use std::fmt;
use std::sync::Arc;

use const_oid::ObjectIdentifier;
use der::asn1::{AnyRef, BitStringRef, IntRef};
use der::{Decode, Encode, Tag, Tagged};
use spki::AlgorithmIdentifierRef;
use time::OffsetDateTime;

use super::expiry::{ExpiryPolicy, ExpiryStatus};
use super::extensions::{BasicConstraints, ExtensionInfo, Extensions, KeyPurpose, KeyUsage};
use super::name::Name;
use super::pem;
use super::polish::{self, PolishIdentifier};
use crate::crypto::hex;
use crate::crypto::{DigestAlgorithm, PublicKey, SignatureAlgorithm, oid_with_name};
use crate::error::Format;
use crate::error::{CertificateError, FormatError};
use crate::pl::Pesel;
use crate::{Error, Result};

/// An X.509 certificate, parsed once, with the facts ezla reports about it.
///
/// Parsing is strict DER (RFC 5280 profile of `x509-cert`), the public key must be one
/// [`PublicKey`] supports (RSA, EC P-256, P-384), and a *critical* extension that ezla does
/// not process makes the certificate unusable: [`CertificateError::UnknownCriticalExtension`](crate::error::CertificateError::UnknownCriticalExtension).
///
/// Cheap to clone (reference-counted) and safe to share between threads.
#[derive(Clone)]
pub struct Certificate(Arc<Inner>);

struct Inner {
    der: Vec<u8>,
    tbs_der: Vec<u8>,
    signature_algorithm: ObjectIdentifier,
    tbs_signature_algorithm: ObjectIdentifier,
    signature: Vec<u8>,
    version: u8,
    serial: Vec<u8>,
    subject: Name,
    issuer: Name,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
    public_key: PublicKey,
    extensions: Extensions,
}

/// The outer `Certificate` SEQUENCE, to keep the signed bytes exactly as received.
#[derive(der::Sequence)]
struct RawCertificate<'a> {
    tbs: AnyRef<'a>,
    algorithm: AlgorithmIdentifierRef<'a>,
    signature: BitStringRef<'a>,
}

/// `TBSCertificate` (RFC 5280 §4.1). Times are read by [`parse_time`] so that UTCTime
/// covers 1950–2049 as RFC 5280 says (the `der` crate stops at 1970).
#[derive(der::Sequence)]
struct TbsCertificate<'a> {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    version: Option<u8>,
    serial_number: IntRef<'a>,
    signature: AlgorithmIdentifierRef<'a>,
    issuer: x509_cert::name::Name,
    validity: Validity<'a>,
    subject: x509_cert::name::Name,
    subject_public_key_info: AnyRef<'a>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    issuer_unique_id: Option<BitStringRef<'a>>,
    #[asn1(context_specific = "2", tag_mode = "IMPLICIT", optional = "true")]
    subject_unique_id: Option<BitStringRef<'a>>,
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT", optional = "true")]
    extensions: Option<Vec<x509_cert::ext::Extension>>,
}

#[derive(der::Sequence)]
struct Validity<'a> {
    not_before: AnyRef<'a>,
    not_after: AnyRef<'a>,
}

/// `TBSCertificate` read only as far as its public key: the other fields are checked for
/// shape (DER TLVs in the right order) but not decoded.
#[derive(der::Sequence)]
struct TbsPublicKeyOnly<'a> {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    version: Option<u8>,
    serial_number: IntRef<'a>,
    signature: AnyRef<'a>,
    issuer: AnyRef<'a>,
    validity: AnyRef<'a>,
    subject: AnyRef<'a>,
    subject_public_key_info: AnyRef<'a>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    issuer_unique_id: Option<BitStringRef<'a>>,
    #[asn1(context_specific = "2", tag_mode = "IMPLICIT", optional = "true")]
    subject_unique_id: Option<BitStringRef<'a>>,
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT", optional = "true")]
    extensions: Option<AnyRef<'a>>,
}

/// The public key of a DER certificate, without building the whole [`Certificate`] view:
/// signature verification needs only the key, and callers that report on the certificate
/// parse it fully (and strictly) with [`Certificate::from_der`].
pub(crate) fn public_key_of(der: &[u8]) -> Result<PublicKey> {
    let malformed = |e: der::Error| Error::malformed(Format::Der, "certificate", e.to_string());
    let raw = RawCertificate::from_der(der).map_err(malformed)?;
    let tbs: TbsPublicKeyOnly<'_> = raw.tbs.decode_as().map_err(malformed)?;
    let spki = tbs.subject_public_key_info.to_der().map_err(malformed)?;
    PublicKey::from_spki_der(&spki)
}

impl Certificate {
    /// Parses a DER certificate.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        let malformed = |e: der::Error| Error::malformed(Format::Der, "certificate", e.to_string());
        let raw = RawCertificate::from_der(der).map_err(malformed)?;
        let tbs: TbsCertificate<'_> = raw.tbs.decode_as().map_err(malformed)?;
        let version = match tbs.version {
            None => 1,
            Some(v @ 0..=2) => v + 1,
            Some(v) => {
                return Err(Error::malformed(
                    Format::Der,
                    "certificate",
                    format!("unknown version field {v}"),
                ));
            }
        };
        if tbs.serial_number.as_bytes().len() > 21 {
            return Err(Error::malformed(
                Format::Der,
                "certificate",
                "serial number longer than 20 octets",
            ));
        }
        let subject = Name::from_x509(&tbs.subject)?;
        let issuer = Name::from_x509(&tbs.issuer)?;
        let subject_text = subject.to_rfc4514();
        let not_before = parse_time(tbs.validity.not_before)?;
        let not_after = parse_time(tbs.validity.not_after)?;
        let spki = tbs.subject_public_key_info.to_der().map_err(malformed)?;
        let public_key = PublicKey::from_spki_der(&spki).map_err(|e| match e {
            Error::Format(FormatError::Unsupported { what, name }) => {
                Error::Format(FormatError::Unsupported {
                    what,
                    name: format!("{name} in certificate `{subject_text}`"),
                })
            }
            other => other,
        })?;
        let extensions = match &tbs.extensions {
            Some(list) => Extensions::parse(list, &subject_text)?,
            None => Extensions::default(),
        };
        let signature = raw
            .signature
            .as_bytes()
            .ok_or_else(|| {
                Error::malformed(Format::Der, "certificate", "signature has unused bits")
            })?
            .to_vec();
        Ok(Certificate(Arc::new(Inner {
            der: der.to_vec(),
            tbs_der: raw.tbs.to_der().map_err(malformed)?,
            signature_algorithm: raw.algorithm.oid,
            tbs_signature_algorithm: tbs.signature.oid,
            signature,
            version,
            serial: tbs.serial_number.as_bytes().to_vec(),
            subject,
            issuer,
            not_before,
            not_after,
            public_key,
            extensions,
        })))
    }

    /// Parses the one certificate in PEM text (a `CERTIFICATE` block; explanatory text
    /// around it is ignored). Fails when the text holds no certificate or more than one:
    /// use [`Certificate::all_from_pem`] for bundles.
    pub fn from_pem(pem_text: &[u8]) -> Result<Self> {
        let mut all = Self::all_from_pem(pem_text)?;
        match all.len() {
            1 => Ok(all.remove(0)),
            n => Err(Error::malformed(
                Format::Pem,
                "certificate",
                format!("expected one CERTIFICATE block, found {n}"),
            )),
        }
    }

    /// Parses every `CERTIFICATE` block in PEM text, in order; other blocks are ignored.
    pub fn all_from_pem(pem_text: &[u8]) -> Result<Vec<Self>> {
        pem::decode_all(pem_text, "certificate")?
            .iter()
            .filter(|b| b.label == "CERTIFICATE" || b.label == "X509 CERTIFICATE")
            .map(|b| Self::from_der(&b.der))
            .collect()
    }

    /// Parses DER, or PEM when the data looks like PEM text.
    pub fn from_der_or_pem(data: &[u8]) -> Result<Self> {
        if pem::is_pem(data) {
            Self::from_pem(data)
        } else {
            Self::from_der(data)
        }
    }

    /// The DER encoding, exactly as parsed.
    pub fn to_der(&self) -> &[u8] {
        &self.0.der
    }

    /// The PEM encoding (`CERTIFICATE` block).
    pub fn to_pem(&self) -> String {
        pem::encode("CERTIFICATE", &self.0.der)
    }

    /// The X.509 version (1, 2 or 3).
    pub fn version(&self) -> u8 {
        self.0.version
    }

    /// The subject.
    pub fn subject(&self) -> &Name {
        &self.0.subject
    }

    /// The issuer.
    pub fn issuer(&self) -> &Name {
        &self.0.issuer
    }

    /// Whether subject and issuer are the same name (a root or a self-issued certificate).
    pub fn is_self_issued(&self) -> bool {
        self.0.subject.matches(&self.0.issuer)
    }

    /// The serial number in upper-case hex, as `openssl x509 -serial` prints it: the
    /// magnitude in whole octets, with a `-` for a (non-conforming) negative serial.
    pub fn serial_hex(&self) -> String {
        serial_hex_of(&self.0.serial)
    }

    /// The serial number in decimal (negative for a non-conforming negative serial).
    pub fn serial_decimal(&self) -> String {
        signed_decimal(&self.0.serial)
    }

    /// The serial number's DER INTEGER content octets (two's complement, big-endian).
    pub fn serial_bytes(&self) -> &[u8] {
        &self.0.serial
    }

    /// Start of the validity period.
    pub fn not_before(&self) -> OffsetDateTime {
        self.0.not_before
    }

    /// End of the validity period (the certificate is valid through this instant).
    pub fn not_after(&self) -> OffsetDateTime {
        self.0.not_after
    }

    /// The subject's public key.
    pub fn public_key(&self) -> &PublicKey {
        &self.0.public_key
    }

    /// The digest of the DER encoding, e.g. SHA-256 or SHA-1 fingerprints.
    pub fn fingerprint(&self, algorithm: DigestAlgorithm) -> Vec<u8> {
        algorithm.digest(&self.0.der)
    }

    /// The fingerprint as lower-case hex without separators: the one form of ezla's API (the
    /// verification report's `sha256_fingerprint`, the C and Python bindings, JSON output).
    pub fn fingerprint_hex(&self, algorithm: DigestAlgorithm) -> String {
        hex::lower(&self.fingerprint(algorithm))
    }

    /// The fingerprint as upper-case hex pairs separated by colons, as OpenSSL prints it: for
    /// display to people only (compare fingerprints in the [`fingerprint_hex`] form).
    ///
    /// [`fingerprint_hex`]: Certificate::fingerprint_hex
    pub fn fingerprint_display(&self, algorithm: DigestAlgorithm) -> String {
        hex::colon_upper(&self.fingerprint(algorithm))
    }

    /// The OID of the algorithm the issuer signed with.
    pub fn signature_algorithm_oid(&self) -> ObjectIdentifier {
        self.0.signature_algorithm
    }

    /// The algorithm the issuer signed with, when ezla supports it.
    pub fn signature_algorithm(&self) -> Option<SignatureAlgorithm> {
        signature_algorithm_from_oid(&self.0.signature_algorithm)
    }

    /// Every extension present, in order.
    pub fn extensions(&self) -> &[ExtensionInfo] {
        &self.0.extensions.all
    }

    /// The key usage bits, when the extension is present.
    pub fn key_usage(&self) -> Option<KeyUsage> {
        self.0.extensions.key_usage
    }

    /// The extended key usage purposes, when the extension is present.
    pub fn extended_key_usage(&self) -> Option<&[KeyPurpose]> {
        self.0.extensions.extended_key_usage.as_deref()
    }

    /// The basic constraints, when the extension is present.
    pub fn basic_constraints(&self) -> Option<BasicConstraints> {
        self.0.extensions.basic_constraints
    }

    /// Whether the certificate is a CA certificate (basic constraints with `cA` set).
    pub fn is_ca(&self) -> bool {
        self.0.extensions.basic_constraints.is_some_and(|bc| bc.ca)
    }

    /// The URIs of the CRL distribution points.
    pub fn crl_distribution_points(&self) -> &[String] {
        &self.0.extensions.crl_distribution_points
    }

    /// The OCSP responder URLs from the authority information access extension.
    pub fn ocsp_urls(&self) -> &[String] {
        &self.0.extensions.ocsp_urls
    }

    /// The issuer-certificate URLs from the authority information access extension.
    pub fn ca_issuers_urls(&self) -> &[String] {
        &self.0.extensions.ca_issuers_urls
    }

    /// E-mail addresses from the subject alternative name extension.
    pub fn email_addresses(&self) -> &[String] {
        &self.0.extensions.email_addresses
    }

    /// DNS names from the subject alternative name extension.
    pub fn dns_names(&self) -> &[String] {
        &self.0.extensions.dns_names
    }

    /// The subject key identifier.
    pub fn subject_key_id(&self) -> Option<&[u8]> {
        self.0.extensions.subject_key_id.as_deref()
    }

    /// The authority key identifier's key identifier.
    pub fn authority_key_id(&self) -> Option<&[u8]> {
        self.0.extensions.authority_key_id.as_deref()
    }

    /// The Polish identifiers in the subject (see [`polish`](super::polish)).
    pub fn polish_identifiers(&self) -> Vec<PolishIdentifier> {
        polish::identifiers_in(&self.0.subject)
    }

    /// The holder's PESEL: the first PESEL in the subject whose check digit is valid.
    pub fn pesel(&self) -> Option<Pesel> {
        self.polish_identifiers()
            .iter()
            .find_map(PolishIdentifier::pesel)
    }

    /// Where the certificate stands under `policy` at `at`.
    pub fn status_at(&self, at: OffsetDateTime, policy: &ExpiryPolicy) -> ExpiryStatus {
        policy.status(self.0.not_before, self.0.not_after, at)
    }

    /// Fails with [`CertificateError::NotYetValid`](crate::error::CertificateError::NotYetValid) or [`CertificateError::Expired`](crate::error::CertificateError::Expired) unless
    /// `notBefore ≤ at ≤ notAfter`.
    pub fn check_valid_at(&self, at: OffsetDateTime) -> Result<()> {
        if at < self.0.not_before {
            return Err(Error::Certificate(CertificateError::NotYetValid {
                subject: self.0.subject.to_rfc4514(),
                not_before: self.0.not_before,
                at,
            }));
        }
        if at > self.0.not_after {
            return Err(Error::Certificate(CertificateError::Expired {
                subject: self.0.subject.to_rfc4514(),
                not_after: self.0.not_after,
                at,
            }));
        }
        Ok(())
    }

    /// Checks the issuer's signature on this certificate with `issuer_key`.
    ///
    /// Fails with [`FormatError::Unsupported`](crate::error::FormatError::Unsupported) for a signature algorithm ezla does not support
    /// (RSA-PSS, MD5, ...) and [`CertificateError::ChainInvalid`](crate::error::CertificateError::ChainInvalid) when the signature does not
    /// verify or the two algorithm fields of the certificate disagree.
    pub fn verify_signature(&self, issuer_key: &PublicKey) -> Result<()> {
        let invalid = |detail: String| {
            Error::Certificate(CertificateError::ChainInvalid {
                subject: self.0.subject.to_rfc4514(),
                detail,
            })
        };
        if self.0.signature_algorithm != self.0.tbs_signature_algorithm {
            return Err(invalid(
                "signatureAlgorithm differs from the TBSCertificate's signature field".into(),
            ));
        }
        let algorithm = self.signature_algorithm().ok_or_else(|| {
            Error::Format(FormatError::Unsupported {
                what: "certificate signature algorithm",
                name: oid_with_name(&self.0.signature_algorithm),
            })
        })?;
        let signature = match algorithm {
            SignatureAlgorithm::Ecdsa(_) => {
                crate::crypto::ecdsa_der_to_fixed(issuer_key.kind(), &self.0.signature)
                    .map_err(|e| invalid(e.to_string()))?
            }
            _ => self.0.signature.clone(),
        };
        issuer_key
            .verify(algorithm, &self.0.tbs_der, &signature)
            .map_err(|e| invalid(format!("issuer signature: {e}")))
    }

    /// Whether the certificate is for `key` (same public key).
    pub fn matches_key(&self, key: &PublicKey) -> bool {
        self.0.public_key == *key
    }
}

impl PartialEq for Certificate {
    fn eq(&self, other: &Self) -> bool {
        self.0.der == other.0.der
    }
}

impl Eq for Certificate {}

impl std::hash::Hash for Certificate {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.der.hash(state);
    }
}

impl fmt::Debug for Certificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Certificate")
            .field("subject", &self.0.subject.to_rfc4514())
            .field("issuer", &self.0.issuer.to_rfc4514())
            .field("serial", &self.serial_hex())
            .finish_non_exhaustive()
    }
}

/// The signature algorithms of certificates ezla can check.
pub(crate) fn signature_algorithm_from_oid(oid: &ObjectIdentifier) -> Option<SignatureAlgorithm> {
    use DigestAlgorithm as D;
    use SignatureAlgorithm as S;
    Some(match oid.to_string().as_str() {
        "1.2.840.113549.1.1.5" => S::RsaPkcs1v15(D::Sha1),
        "1.2.840.113549.1.1.14" => S::RsaPkcs1v15(D::Sha224),
        "1.2.840.113549.1.1.11" => S::RsaPkcs1v15(D::Sha256),
        "1.2.840.113549.1.1.12" => S::RsaPkcs1v15(D::Sha384),
        "1.2.840.113549.1.1.13" => S::RsaPkcs1v15(D::Sha512),
        "1.2.840.10045.4.1" => S::Ecdsa(D::Sha1),
        "1.2.840.10045.4.3.1" => S::Ecdsa(D::Sha224),
        "1.2.840.10045.4.3.2" => S::Ecdsa(D::Sha256),
        "1.2.840.10045.4.3.3" => S::Ecdsa(D::Sha384),
        "1.2.840.10045.4.3.4" => S::Ecdsa(D::Sha512),
        _ => return None,
    })
}

/// The AlgorithmIdentifier DER for signing with `algorithm` (RSA with NULL parameters,
/// ECDSA without).
pub(crate) fn signature_algorithm_der(algorithm: SignatureAlgorithm) -> Vec<u8> {
    use DigestAlgorithm as D;
    use SignatureAlgorithm as S;
    let (oid, null) = match algorithm {
        S::RsaPkcs1v15(D::Sha1) => ("1.2.840.113549.1.1.5", true),
        S::RsaPkcs1v15(D::Sha224) => ("1.2.840.113549.1.1.14", true),
        S::RsaPkcs1v15(D::Sha256) => ("1.2.840.113549.1.1.11", true),
        S::RsaPkcs1v15(D::Sha384) => ("1.2.840.113549.1.1.12", true),
        S::RsaPkcs1v15(D::Sha512) => ("1.2.840.113549.1.1.13", true),
        S::Ecdsa(D::Sha1) => ("1.2.840.10045.4.1", false),
        S::Ecdsa(D::Sha224) => ("1.2.840.10045.4.3.1", false),
        S::Ecdsa(D::Sha256) => ("1.2.840.10045.4.3.2", false),
        S::Ecdsa(D::Sha384) => ("1.2.840.10045.4.3.3", false),
        _ => ("1.2.840.10045.4.3.4", false),
    };
    let alg = AlgorithmIdentifierRef {
        oid: ObjectIdentifier::new_unwrap(oid),
        parameters: null.then_some(AnyRef::NULL),
    };
    // Encoding a fixed, valid structure cannot fail.
    alg.to_der().unwrap_or_default()
}

/// An RFC 5280 `Time` in its DER form: UTCTime `YYMMDDHHMMSSZ` (years 1950–2049) or
/// GeneralizedTime `YYYYMMDDHHMMSSZ`, without fractions.
fn parse_time(any: AnyRef<'_>) -> Result<OffsetDateTime> {
    parse_time_of(any, "certificate validity")
}

/// A `Time` (UTCTime 1950–2049 or GeneralizedTime, DER, UTC); `what` names it in errors.
pub(crate) fn parse_time_of(any: AnyRef<'_>, what: &'static str) -> Result<OffsetDateTime> {
    let bad = |detail: &str| {
        Error::malformed(
            Format::Der,
            what,
            format!("{detail}: `{}`", String::from_utf8_lossy(any.value())),
        )
    };
    let text = any.value();
    let (year, rest) = match (any.tag(), text.len()) {
        (Tag::UtcTime, 13) => {
            let yy = i32::from(two_digits(&text[0..2]).ok_or_else(|| bad("bad UTCTime"))?);
            (if yy >= 50 { 1900 + yy } else { 2000 + yy }, &text[2..])
        }
        (Tag::GeneralizedTime, 15) => {
            let hi = i32::from(two_digits(&text[0..2]).ok_or_else(|| bad("bad GeneralizedTime"))?);
            let lo = i32::from(two_digits(&text[2..4]).ok_or_else(|| bad("bad GeneralizedTime"))?);
            (hi * 100 + lo, &text[4..])
        }
        (Tag::UtcTime | Tag::GeneralizedTime, _) => {
            return Err(bad("not in the DER form RFC 5280 requires"));
        }
        _ => return Err(bad("not a UTCTime or GeneralizedTime")),
    };
    if rest[10] != b'Z' {
        return Err(bad("not in UTC (Z)"));
    }
    let field = |i: usize| two_digits(&rest[i..i + 2]).ok_or_else(|| bad("bad digits"));
    let month = time::Month::try_from(field(0)?).map_err(|_| bad("bad month"))?;
    let date =
        time::Date::from_calendar_date(year, month, field(2)?).map_err(|_| bad("bad date"))?;
    let t = time::Time::from_hms(field(4)?, field(6)?, field(8)?)
        .map_err(|_| bad("bad time of day"))?;
    Ok(time::PrimitiveDateTime::new(date, t).assume_utc())
}

fn two_digits(b: &[u8]) -> Option<u8> {
    match b {
        [a @ b'0'..=b'9', c @ b'0'..=b'9'] => Some((a - b'0') * 10 + (c - b'0')),
        _ => None,
    }
}

/// The sign and magnitude of a big-endian two's complement integer.
/// DER INTEGER content octets in upper-case hex, as `openssl x509 -serial` prints them.
pub(crate) fn serial_hex_of(serial: &[u8]) -> String {
    let (negative, magnitude) = twos_complement_magnitude(serial);
    let bytes = match magnitude.iter().position(|&b| b != 0) {
        Some(i) => &magnitude[i..],
        None => &[0u8][..],
    };
    let sign = if negative { "-" } else { "" };
    format!("{sign}{}", hex::upper(bytes))
}

fn twos_complement_magnitude(bytes: &[u8]) -> (bool, Vec<u8>) {
    let negative = bytes.first().is_some_and(|b| b & 0x80 != 0);
    if !negative {
        return (false, bytes.to_vec());
    }
    // Negation: invert and add one.
    let mut m: Vec<u8> = bytes.iter().map(|b| !b).collect();
    for byte in m.iter_mut().rev() {
        let (v, carry) = byte.overflowing_add(1);
        *byte = v;
        if !carry {
            break;
        }
    }
    (true, m)
}

/// Decimal text of a big-endian two's complement integer.
pub(crate) fn signed_decimal(bytes: &[u8]) -> String {
    let (negative, magnitude) = twos_complement_magnitude(bytes);
    let digits = unsigned_decimal(&magnitude);
    if negative {
        format!("-{digits}")
    } else {
        digits
    }
}

/// Decimal text of a big-endian unsigned integer (schoolbook division by 10).
fn unsigned_decimal(bytes: &[u8]) -> String {
    let mut n: Vec<u8> = bytes.iter().copied().skip_while(|&b| b == 0).collect();
    if n.is_empty() {
        return "0".into();
    }
    let mut digits = Vec::new();
    while !n.is_empty() {
        let mut rem = 0u32;
        for byte in n.iter_mut() {
            let cur = (rem << 8) | u32::from(*byte);
            *byte = (cur / 10) as u8;
            rem = cur % 10;
        }
        digits.push(b'0' + rem as u8);
        let first = n.iter().position(|&b| b != 0).unwrap_or(n.len());
        n.drain(..first);
    }
    digits.reverse();
    String::from_utf8(digits).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_of_two_complement_serials() {
        assert_eq!(signed_decimal(&[0x00]), "0");
        assert_eq!(signed_decimal(&[0x01]), "1");
        assert_eq!(signed_decimal(&[0x00, 0xff]), "255");
        assert_eq!(signed_decimal(&[0xff]), "-1");
        assert_eq!(signed_decimal(&[0x80]), "-128");
        assert_eq!(signed_decimal(&[0xff, 0x7f]), "-129");
        assert_eq!(
            signed_decimal(&[0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
            "18446744073709551615"
        );
        assert_eq!(
            signed_decimal(&[0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]),
            "18446744073709551616"
        );
    }

    #[test]
    fn signature_algorithm_identifiers_round_trip() {
        for &d in DigestAlgorithm::ALL {
            for alg in [
                SignatureAlgorithm::RsaPkcs1v15(d),
                SignatureAlgorithm::Ecdsa(d),
            ] {
                let der = signature_algorithm_der(alg);
                let parsed = AlgorithmIdentifierRef::from_der(&der).expect("parse");
                assert_eq!(signature_algorithm_from_oid(&parsed.oid), Some(alg));
                assert_eq!(
                    parsed.parameters.is_some(),
                    matches!(alg, SignatureAlgorithm::RsaPkcs1v15(_))
                );
            }
        }
    }

    #[test]
    fn rfc5280_times() {
        fn utc(s: &'static str) -> AnyRef<'static> {
            AnyRef::new(Tag::UtcTime, s.as_bytes()).expect("any")
        }
        fn general(s: &'static str) -> AnyRef<'static> {
            AnyRef::new(Tag::GeneralizedTime, s.as_bytes()).expect("any")
        }
        let ok = |a| parse_time(a).expect("time").to_string();
        assert_eq!(ok(utc("500101120100Z")), "1950-01-01 12:01:00.0 +00:00:00");
        assert_eq!(ok(utc("491231235959Z")), "2049-12-31 23:59:59.0 +00:00:00");
        assert_eq!(
            ok(general("20500101120100Z")),
            "2050-01-01 12:01:00.0 +00:00:00"
        );
        for bad in [
            utc("5001011201Z"),
            utc("500101120100+"),
            utc("501301120100Z"),
            utc("500230120100Z"),
            utc("5001011261000"),
            general("2050010112010.5Z"),
            general("20500101120100"),
        ] {
            assert_eq!(
                parse_time(bad).expect_err("bad").code(),
                crate::ErrorCode::DerMalformed
            );
        }
    }

    #[test]
    fn garbage_is_malformed_der() {
        for bytes in [
            &b""[..],
            b"\x30",
            b"\x30\x84\xff\xff\xff\xff",
            b"\x30\x00",
            b"hello",
        ] {
            let err = Certificate::from_der(bytes).expect_err("garbage");
            assert_eq!(err.code(), crate::ErrorCode::DerMalformed, "{bytes:?}");
        }
    }
}
