//! Certificate revocation lists (RFC 5280 §5): parsing, the issuer's signature, currency, and
//! the look-up of a certificate's entry.
//!
//! Parsing is strict DER. A CRL is refused when it is a delta CRL (`deltaCRLIndicator`), an
//! indirect CRL (`certificateIssuer` entries, `indirectCRL`), or scoped in a way ezla does
//! not judge (`onlySomeReasons`, `onlyContainsCACerts`, `onlyContainsAttributeCerts`), and
//! when it has any other critical extension ezla does not understand: a CRL that may not
//! list every revoked end-entity certificate of its issuer cannot prove that one is not
//! revoked.
//!
//! [`Crl::check_issued_by`] and [`Crl::check_current`] judge a CRL; [`Crl::find`] looks a
//! certificate up. [`crate::revocation`] puts them together for verification.

use der::asn1::{AnyRef, BitStringRef, IntRef};
use der::{Decode, Encode, Tag, Tagged};
use spki::AlgorithmIdentifierRef;
use time::OffsetDateTime;

use super::name::Name;
use super::pem;
use super::x509::{self, Certificate, signature_algorithm_from_oid};
use crate::crypto::{PublicKey, SignatureAlgorithm, hex, oid_with_name};
use crate::error::{CertificateError, Format, FormatError};
use crate::{Error, Result};

const fn o(s: &str) -> const_oid::ObjectIdentifier {
    const_oid::ObjectIdentifier::new_unwrap(s)
}

const CRL_NUMBER: const_oid::ObjectIdentifier = o("2.5.29.20");
const DELTA_CRL_INDICATOR: const_oid::ObjectIdentifier = o("2.5.29.27");
const ISSUING_DISTRIBUTION_POINT: const_oid::ObjectIdentifier = o("2.5.29.28");
const AUTHORITY_KEY_ID: const_oid::ObjectIdentifier = o("2.5.29.35");
const FRESHEST_CRL: const_oid::ObjectIdentifier = o("2.5.29.46");
const AUTHORITY_INFO_ACCESS: const_oid::ObjectIdentifier = o("1.3.6.1.5.5.7.1.1");
const REASON_CODE: const_oid::ObjectIdentifier = o("2.5.29.21");
const INVALIDITY_DATE: const_oid::ObjectIdentifier = o("2.5.29.24");
const CERTIFICATE_ISSUER: const_oid::ObjectIdentifier = o("2.5.29.29");

/// Why a certificate was revoked (RFC 5280 §5.3.1 `CRLReason`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RevocationReason {
    /// `unspecified` (0).
    Unspecified,
    /// `keyCompromise` (1): the key is lost or known to others — a lost or stolen `.pfx`.
    KeyCompromise,
    /// `cACompromise` (2).
    CaCompromise,
    /// `affiliationChanged` (3): the holder's data changed.
    AffiliationChanged,
    /// `superseded` (4): replaced by a new certificate.
    Superseded,
    /// `cessationOfOperation` (5): no longer needed (the doctor stopped practising).
    CessationOfOperation,
    /// `certificateHold` (6): suspended.
    CertificateHold,
    /// `removeFromCRL` (8): only in delta CRLs, which ezla refuses.
    RemoveFromCrl,
    /// `privilegeWithdrawn` (9).
    PrivilegeWithdrawn,
    /// `aACompromise` (10).
    AaCompromise,
}

impl RevocationReason {
    /// Every reason, in code order.
    pub const ALL: &'static [RevocationReason] = &[
        RevocationReason::Unspecified,
        RevocationReason::KeyCompromise,
        RevocationReason::CaCompromise,
        RevocationReason::AffiliationChanged,
        RevocationReason::Superseded,
        RevocationReason::CessationOfOperation,
        RevocationReason::CertificateHold,
        RevocationReason::RemoveFromCrl,
        RevocationReason::PrivilegeWithdrawn,
        RevocationReason::AaCompromise,
    ];

    /// The `CRLReason` number.
    pub fn code(self) -> u8 {
        match self {
            RevocationReason::Unspecified => 0,
            RevocationReason::KeyCompromise => 1,
            RevocationReason::CaCompromise => 2,
            RevocationReason::AffiliationChanged => 3,
            RevocationReason::Superseded => 4,
            RevocationReason::CessationOfOperation => 5,
            RevocationReason::CertificateHold => 6,
            RevocationReason::RemoveFromCrl => 8,
            RevocationReason::PrivilegeWithdrawn => 9,
            RevocationReason::AaCompromise => 10,
        }
    }

    /// The reason for a `CRLReason` number (7 is unused).
    pub fn from_code(code: u8) -> Option<Self> {
        Self::ALL.iter().copied().find(|r| r.code() == code)
    }

    /// The RFC 5280 name, e.g. `keyCompromise`.
    pub fn name(self) -> &'static str {
        match self {
            RevocationReason::Unspecified => "unspecified",
            RevocationReason::KeyCompromise => "keyCompromise",
            RevocationReason::CaCompromise => "cACompromise",
            RevocationReason::AffiliationChanged => "affiliationChanged",
            RevocationReason::Superseded => "superseded",
            RevocationReason::CessationOfOperation => "cessationOfOperation",
            RevocationReason::CertificateHold => "certificateHold",
            RevocationReason::RemoveFromCrl => "removeFromCRL",
            RevocationReason::PrivilegeWithdrawn => "privilegeWithdrawn",
            RevocationReason::AaCompromise => "aACompromise",
        }
    }

    /// The reason for an RFC 5280 name (case-insensitive) or a number.
    pub fn from_name(name: &str) -> Option<Self> {
        if let Ok(n) = name.trim().parse::<u8>() {
            return Self::from_code(n);
        }
        Self::ALL
            .iter()
            .copied()
            .find(|r| r.name().eq_ignore_ascii_case(name.trim()))
    }
}

impl std::fmt::Display for RevocationReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One entry of a CRL: a revoked certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RevokedCertificate {
    /// The serial number: the DER INTEGER content octets, as [`Certificate::serial_bytes`]
    /// gives them.
    pub serial: Vec<u8>,
    /// When it was revoked.
    pub revoked_at: OffsetDateTime,
    /// The reason, when the entry gives one.
    pub reason: Option<RevocationReason>,
}

impl RevokedCertificate {
    /// An entry for `certificate`, revoked at `revoked_at` for `reason`.
    pub fn new(
        certificate: &Certificate,
        revoked_at: OffsetDateTime,
        reason: Option<RevocationReason>,
    ) -> Self {
        RevokedCertificate {
            serial: certificate.serial_bytes().to_vec(),
            revoked_at,
            reason,
        }
    }

    /// An entry for the serial number given in hex (as `openssl x509 -serial` prints it).
    pub fn from_serial_hex(
        serial_hex: &str,
        revoked_at: OffsetDateTime,
        reason: Option<RevocationReason>,
    ) -> Result<Self> {
        let text = serial_hex.trim().trim_start_matches("0x");
        let padded = if text.len() % 2 == 1 {
            format!("0{text}")
        } else {
            text.to_string()
        };
        let magnitude = hex::try_decode(&padded)
            .filter(|b| !b.is_empty())
            .ok_or_else(|| {
                Error::invalid_argument("serial", format!("`{serial_hex}` is not a hex number"))
            })?;
        Ok(RevokedCertificate {
            serial: super::encode::uint_content(&magnitude),
            revoked_at,
            reason,
        })
    }

    /// The serial number in upper-case hex, as [`Certificate::serial_hex`] writes it.
    pub fn serial_hex(&self) -> String {
        x509::serial_hex_of(&self.serial)
    }
}

/// A parsed certificate revocation list.
#[derive(Clone, Debug)]
pub struct Crl {
    der: Vec<u8>,
    tbs_der: Vec<u8>,
    signature_algorithm: const_oid::ObjectIdentifier,
    tbs_signature_algorithm: const_oid::ObjectIdentifier,
    signature: Vec<u8>,
    issuer: Name,
    this_update: OffsetDateTime,
    next_update: Option<OffsetDateTime>,
    number: Option<Vec<u8>>,
    authority_key_id: Option<Vec<u8>>,
    entries: Vec<RevokedCertificate>,
}

/// The outer `CertificateList` SEQUENCE.
#[derive(der::Sequence)]
struct RawCertificateList<'a> {
    tbs: AnyRef<'a>,
    algorithm: AlgorithmIdentifierRef<'a>,
    signature: BitStringRef<'a>,
}

fn malformed(detail: impl Into<String>) -> Error {
    Error::malformed(Format::Der, "CRL", detail)
}

fn der_error(e: der::Error) -> Error {
    malformed(e.to_string())
}

fn is_time(any: &AnyRef<'_>) -> bool {
    matches!(any.tag(), Tag::UtcTime | Tag::GeneralizedTime)
}

impl Crl {
    /// Parses a DER CRL.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        let raw = RawCertificateList::from_der(der).map_err(der_error)?;
        if raw.tbs.tag() != Tag::Sequence {
            return Err(malformed("TBSCertList is not a SEQUENCE"));
        }
        let fields: Vec<AnyRef<'_>> = raw.tbs.decode_as().map_err(der_error)?;
        let mut fields = fields.into_iter().peekable();
        // version: v2 (INTEGER 1) when extensions are present; absent for v1.
        if fields.peek().is_some_and(|f| f.tag() == Tag::Integer) {
            let version: u8 = fields
                .next()
                .ok_or_else(|| malformed("no version"))?
                .decode_as()
                .map_err(der_error)?;
            if version != 1 {
                return Err(malformed(format!("unknown version field {version}")));
            }
        }
        let signature: AlgorithmIdentifierRef<'_> = fields
            .next()
            .ok_or_else(|| malformed("no signature algorithm"))?
            .decode_as()
            .map_err(der_error)?;
        let issuer_any = fields.next().ok_or_else(|| malformed("no issuer"))?;
        let issuer_der = issuer_any.to_der().map_err(der_error)?;
        let issuer =
            Name::from_x509(&x509_cert::name::Name::from_der(&issuer_der).map_err(der_error)?)?;
        let this_update = x509::parse_time_of(
            fields
                .next()
                .filter(is_time)
                .ok_or_else(|| malformed("no thisUpdate"))?,
            "CRL thisUpdate",
        )?;
        let next_update = match fields.next_if(is_time) {
            Some(t) => Some(x509::parse_time_of(t, "CRL nextUpdate")?),
            None => None,
        };
        let mut entries = Vec::new();
        if let Some(list) = fields.next_if(|f| f.tag() == Tag::Sequence) {
            let list: Vec<AnyRef<'_>> = list.decode_as().map_err(der_error)?;
            if list.is_empty() {
                return Err(malformed(
                    "revokedCertificates is present but empty (RFC 5280 §5.1.2.6)",
                ));
            }
            entries.reserve(list.len());
            for entry in list {
                entries.push(parse_entry(entry)?);
            }
        }
        let mut number = None;
        let mut authority_key_id = None;
        if let Some(exts) = fields.next() {
            if exts.tag()
                != (Tag::ContextSpecific {
                    constructed: true,
                    number: der::TagNumber(0),
                })
            {
                return Err(malformed(format!("unexpected field {}", exts.tag())));
            }
            let exts: Vec<x509_cert::ext::Extension> =
                Vec::from_der(exts.value()).map_err(der_error)?;
            for ext in &exts {
                let value = ext.extn_value.as_bytes();
                match ext.extn_id {
                    CRL_NUMBER => {
                        let n = IntRef::from_der(value).map_err(der_error)?;
                        number = Some(n.as_bytes().to_vec());
                    }
                    AUTHORITY_KEY_ID => {
                        let aki = x509_cert::ext::pkix::AuthorityKeyIdentifier::from_der(value)
                            .map_err(der_error)?;
                        authority_key_id = aki.key_identifier.map(|k| k.as_bytes().to_vec());
                    }
                    DELTA_CRL_INDICATOR => {
                        return Err(unsupported("delta CRLs"));
                    }
                    ISSUING_DISTRIBUTION_POINT => check_issuing_distribution_point(value)?,
                    FRESHEST_CRL | AUTHORITY_INFO_ACCESS => {}
                    other if ext.critical => {
                        return Err(unsupported(&format!(
                            "the critical CRL extension {}",
                            oid_with_name(&other)
                        )));
                    }
                    _ => {}
                }
            }
        }
        if let Some(extra) = fields.next() {
            return Err(malformed(format!(
                "unexpected field {} after the extensions",
                extra.tag()
            )));
        }
        let signature_bits = raw
            .signature
            .as_bytes()
            .ok_or_else(|| malformed("signature has unused bits"))?
            .to_vec();
        Ok(Crl {
            der: der.to_vec(),
            tbs_der: raw.tbs.to_der().map_err(der_error)?,
            signature_algorithm: raw.algorithm.oid,
            tbs_signature_algorithm: signature.oid,
            signature: signature_bits,
            issuer,
            this_update,
            next_update,
            number,
            authority_key_id,
            entries,
        })
    }

    /// Parses the one CRL in PEM text (an `X509 CRL` block).
    pub fn from_pem(pem_text: &[u8]) -> Result<Self> {
        let blocks = pem::decode_all(pem_text, "CRL")?;
        let crls: Vec<_> = blocks.iter().filter(|b| b.label == "X509 CRL").collect();
        match crls.as_slice() {
            [one] => Self::from_der(&one.der),
            other => Err(Error::malformed(
                Format::Pem,
                "CRL",
                format!("expected one X509 CRL block, found {}", other.len()),
            )),
        }
    }

    /// Parses DER, or PEM when the data looks like PEM text.
    pub fn parse(data: &[u8]) -> Result<Self> {
        if pem::is_pem(data) {
            Self::from_pem(data)
        } else {
            Self::from_der(data)
        }
    }

    /// The DER encoding, exactly as parsed.
    pub fn to_der(&self) -> &[u8] {
        &self.der
    }

    /// PEM text (`X509 CRL`).
    pub fn to_pem(&self) -> String {
        pem::encode("X509 CRL", &self.der)
    }

    /// The issuer.
    pub fn issuer(&self) -> &Name {
        &self.issuer
    }

    /// When this CRL was issued.
    pub fn this_update(&self) -> OffsetDateTime {
        self.this_update
    }

    /// When the next CRL will be issued at the latest (after it, this one is out of date).
    pub fn next_update(&self) -> Option<OffsetDateTime> {
        self.next_update
    }

    /// The CRL number (DER INTEGER content octets), when present.
    pub fn number(&self) -> Option<&[u8]> {
        self.number.as_deref()
    }

    /// The CRL number in upper-case hex, when present.
    pub fn number_hex(&self) -> Option<String> {
        self.number.as_deref().map(x509::serial_hex_of)
    }

    /// The revoked certificates, in CRL order.
    pub fn entries(&self) -> &[RevokedCertificate] {
        &self.entries
    }

    /// The entry for a serial number (DER INTEGER content octets), if the CRL lists it.
    pub fn find(&self, serial: &[u8]) -> Option<&RevokedCertificate> {
        self.entries.iter().find(|e| e.serial == serial)
    }

    /// The entry for `certificate`, if this CRL lists it. The caller checks first that the
    /// CRL is its issuer's ([`Crl::check_issued_by`]).
    pub fn entry_for(&self, certificate: &Certificate) -> Option<&RevokedCertificate> {
        self.find(certificate.serial_bytes())
    }

    /// The algorithm the issuer signed with, when ezla supports it.
    pub fn signature_algorithm(&self) -> Option<SignatureAlgorithm> {
        signature_algorithm_from_oid(&self.signature_algorithm)
    }

    /// Checks that `issuer` issued this CRL: the names match, the key identifiers (when
    /// both are present) agree, `issuer` may sign CRLs (`cRLSign` when it has a key usage),
    /// and the signature verifies with its key.
    ///
    /// Errors: [`CertificateError::CrlIssuerMismatch`] for another issuer's CRL (the
    /// subject named is `issuer`'s), [`CertificateError::CrlSignatureInvalid`] otherwise,
    /// [`FormatError::Unsupported`] for an unknown signature algorithm.
    pub fn check_issued_by(&self, issuer: &Certificate) -> Result<()> {
        if !self.issuer.matches(issuer.subject()) {
            return Err(Error::Certificate(CertificateError::CrlIssuerMismatch {
                subject: issuer.subject().to_rfc4514(),
                expected: issuer.subject().to_rfc4514(),
                found: self.issuer.to_rfc4514(),
            }));
        }
        let invalid = |detail: String| {
            Error::Certificate(CertificateError::CrlSignatureInvalid {
                subject: self.issuer.to_rfc4514(),
                detail,
            })
        };
        if let (Some(aki), Some(ski)) = (&self.authority_key_id, issuer.subject_key_id())
            && aki.as_slice() != ski
        {
            return Err(invalid(
                "its authority key identifier is not the issuer certificate's key identifier"
                    .into(),
            ));
        }
        if let Some(ku) = issuer.key_usage()
            && !ku.contains(super::KeyUsage::CRL_SIGN)
        {
            return Err(invalid(
                "the issuer's key usage does not include cRLSign".into(),
            ));
        }
        self.verify_signature(issuer.public_key())
            .map_err(|e| match e {
                Error::Certificate(CertificateError::ChainInvalid { detail, .. }) => {
                    invalid(detail)
                }
                other => other,
            })
    }

    fn verify_signature(&self, key: &PublicKey) -> Result<()> {
        let invalid = |detail: String| {
            Error::Certificate(CertificateError::CrlSignatureInvalid {
                subject: self.issuer.to_rfc4514(),
                detail,
            })
        };
        if self.signature_algorithm != self.tbs_signature_algorithm {
            return Err(invalid(
                "signatureAlgorithm differs from the TBSCertList's signature field".into(),
            ));
        }
        let algorithm = self.signature_algorithm().ok_or_else(|| {
            Error::Format(FormatError::Unsupported {
                what: "CRL signature algorithm",
                name: oid_with_name(&self.signature_algorithm),
            })
        })?;
        let signature = match algorithm {
            SignatureAlgorithm::Ecdsa(_) => {
                crate::crypto::ecdsa_der_to_fixed(key.kind(), &self.signature)
                    .map_err(|e| invalid(e.to_string()))?
            }
            _ => self.signature.clone(),
        };
        key.verify(algorithm, &self.tbs_der, &signature)
            .map_err(|e| invalid(format!("signature: {e}")))
    }

    /// Checks that the CRL is current at `at`: `thisUpdate` is not after `at`, and
    /// `nextUpdate`, when given, is not before it.
    ///
    /// Errors: [`CertificateError::CrlNotYetValid`], [`CertificateError::CrlExpired`].
    pub fn check_current(&self, at: OffsetDateTime) -> Result<()> {
        self.check_current_with_skew(at, time::Duration::ZERO)
    }

    /// [`Crl::check_current`], with a `thisUpdate` up to `skew` after `at` accepted (a CA
    /// whose clock is slightly ahead of ours, a CRL fetched the second it was issued).
    pub fn check_current_with_skew(&self, at: OffsetDateTime, skew: time::Duration) -> Result<()> {
        if self.this_update > at.saturating_add(skew.max(time::Duration::ZERO)) {
            return Err(Error::Certificate(CertificateError::CrlNotYetValid {
                subject: self.issuer.to_rfc4514(),
                this_update: self.this_update,
                at,
            }));
        }
        if let Some(next) = self.next_update
            && next < at
        {
            return Err(Error::Certificate(CertificateError::CrlExpired {
                subject: self.issuer.to_rfc4514(),
                next_update: next,
                at,
            }));
        }
        Ok(())
    }
}

fn unsupported(what: &str) -> Error {
    Error::Format(FormatError::Unsupported {
        what: "CRL",
        name: format!("{what} (ezla judges only complete, direct CRLs)"),
    })
}

/// `IssuingDistributionPoint` (RFC 5280 §5.2.5): a distribution point name and
/// `onlyContainsUserCerts` are fine (the CRL covers end-entity certificates, which is what
/// ezla checks); any other scoping is refused.
fn check_issuing_distribution_point(value: &[u8]) -> Result<()> {
    let fields: Vec<AnyRef<'_>> = Vec::from_der(value).map_err(der_error)?;
    for f in fields {
        match f.tag() {
            Tag::ContextSpecific { number, .. } => match number.value() {
                0 | 1 => {}
                2 => return Err(unsupported("a CRL of CA certificates only")),
                3 => return Err(unsupported("a CRL for some reasons only")),
                4 => return Err(unsupported("indirect CRLs")),
                5 => return Err(unsupported("a CRL of attribute certificates only")),
                n => return Err(malformed(format!("issuingDistributionPoint field [{n}]"))),
            },
            other => return Err(malformed(format!("issuingDistributionPoint field {other}"))),
        }
    }
    Ok(())
}

fn parse_entry(entry: AnyRef<'_>) -> Result<RevokedCertificate> {
    let fields: Vec<AnyRef<'_>> = entry.decode_as().map_err(der_error)?;
    let mut fields = fields.into_iter();
    let serial = IntRef::try_from(
        fields
            .next()
            .ok_or_else(|| malformed("entry without serial"))?,
    )
    .map_err(der_error)?;
    if serial.as_bytes().len() > 21 {
        return Err(malformed("serial number longer than 20 octets"));
    }
    let revoked_at = x509::parse_time_of(
        fields
            .next()
            .filter(is_time)
            .ok_or_else(|| malformed("entry without revocationDate"))?,
        "CRL revocationDate",
    )?;
    let mut reason = None;
    if let Some(exts) = fields.next() {
        let exts: Vec<x509_cert::ext::Extension> = exts.decode_as().map_err(der_error)?;
        for ext in &exts {
            let value = ext.extn_value.as_bytes();
            match ext.extn_id {
                REASON_CODE => {
                    let any = AnyRef::from_der(value).map_err(der_error)?;
                    match (any.tag(), any.value()) {
                        (Tag::Enumerated, [n]) => {
                            reason = Some(
                                RevocationReason::from_code(*n)
                                    .ok_or_else(|| malformed(format!("unknown CRLReason {n}")))?,
                            );
                        }
                        _ => return Err(malformed("reasonCode is not a small ENUMERATED")),
                    }
                }
                INVALIDITY_DATE => {}
                CERTIFICATE_ISSUER => return Err(unsupported("indirect CRLs")),
                other if ext.critical => {
                    return Err(unsupported(&format!(
                        "the critical entry extension {}",
                        oid_with_name(&other)
                    )));
                }
                _ => {}
            }
        }
    }
    if fields.next().is_some() {
        return Err(malformed("entry with an unexpected field"));
    }
    if reason == Some(RevocationReason::RemoveFromCrl) {
        return Err(unsupported("removeFromCRL entries (delta CRLs)"));
    }
    Ok(RevokedCertificate {
        serial: serial.as_bytes().to_vec(),
        revoked_at,
        reason,
    })
}

#[cfg(test)]
mod tests;
