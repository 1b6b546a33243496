//! The X.509 v3 extensions ezla reads: key usage, extended key usage, basic constraints,
//! subject alternative names, CRL distribution points, authority information access, key
//! identifiers; and the check that no *critical* extension is one ezla does not process.

use const_oid::ObjectIdentifier;
use der::Decode;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{
    AuthorityInfoAccessSyntax, AuthorityKeyIdentifier, BasicConstraints as X509BasicConstraints,
    CrlDistributionPoints, ExtendedKeyUsage, KeyUsage as X509KeyUsage, SubjectAltName,
    SubjectKeyIdentifier,
};

use crate::error::CertificateError;
use crate::error::Format;
use crate::{Error, Result};

const fn oid(s: &str) -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap(s)
}

const SUBJECT_DIRECTORY_ATTRIBUTES: ObjectIdentifier = oid("2.5.29.9");
const SUBJECT_KEY_IDENTIFIER: ObjectIdentifier = oid("2.5.29.14");
const KEY_USAGE: ObjectIdentifier = oid("2.5.29.15");
const PRIVATE_KEY_USAGE_PERIOD: ObjectIdentifier = oid("2.5.29.16");
const SUBJECT_ALT_NAME: ObjectIdentifier = oid("2.5.29.17");
const ISSUER_ALT_NAME: ObjectIdentifier = oid("2.5.29.18");
const BASIC_CONSTRAINTS: ObjectIdentifier = oid("2.5.29.19");
const CRL_DISTRIBUTION_POINTS: ObjectIdentifier = oid("2.5.29.31");
const CERTIFICATE_POLICIES: ObjectIdentifier = oid("2.5.29.32");
const AUTHORITY_KEY_IDENTIFIER: ObjectIdentifier = oid("2.5.29.35");
const EXTENDED_KEY_USAGE: ObjectIdentifier = oid("2.5.29.37");
const FRESHEST_CRL: ObjectIdentifier = oid("2.5.29.46");
const AUTHORITY_INFO_ACCESS: ObjectIdentifier = oid("1.3.6.1.5.5.7.1.1");
const QC_STATEMENTS: ObjectIdentifier = oid("1.3.6.1.5.5.7.1.3");
const SUBJECT_INFO_ACCESS: ObjectIdentifier = oid("1.3.6.1.5.5.7.1.11");
const OCSP_NOCHECK: ObjectIdentifier = oid("1.3.6.1.5.5.7.48.1.5");
const CT_PRECERT_SCTS: ObjectIdentifier = oid("1.3.6.1.4.1.11129.2.4.2");

const AD_OCSP: ObjectIdentifier = oid("1.3.6.1.5.5.7.48.1");
const AD_CA_ISSUERS: ObjectIdentifier = oid("1.3.6.1.5.5.7.48.2");

/// Extensions ezla processes (or that carry information only): a critical extension outside
/// this list makes the certificate unusable (RFC 5280 §4.2). Name constraints and policy
/// mappings/constraints are deliberately absent: ezla does not enforce them, so a
/// certificate that makes them critical is refused rather than half-checked.
const PROCESSED: &[(ObjectIdentifier, &str)] = &[
    (SUBJECT_DIRECTORY_ATTRIBUTES, "subjectDirectoryAttributes"),
    (SUBJECT_KEY_IDENTIFIER, "subjectKeyIdentifier"),
    (KEY_USAGE, "keyUsage"),
    (PRIVATE_KEY_USAGE_PERIOD, "privateKeyUsagePeriod"),
    (SUBJECT_ALT_NAME, "subjectAltName"),
    (ISSUER_ALT_NAME, "issuerAltName"),
    (BASIC_CONSTRAINTS, "basicConstraints"),
    (CRL_DISTRIBUTION_POINTS, "cRLDistributionPoints"),
    (CERTIFICATE_POLICIES, "certificatePolicies"),
    (AUTHORITY_KEY_IDENTIFIER, "authorityKeyIdentifier"),
    (EXTENDED_KEY_USAGE, "extKeyUsage"),
    (FRESHEST_CRL, "freshestCRL"),
    (AUTHORITY_INFO_ACCESS, "authorityInfoAccess"),
    (QC_STATEMENTS, "qcStatements"),
    (SUBJECT_INFO_ACCESS, "subjectInfoAccess"),
    (OCSP_NOCHECK, "ocspNoCheck"),
    (CT_PRECERT_SCTS, "ctPrecertificateSCTs"),
];

/// Names of other extensions, for display only.
const OTHER_NAMES: &[(ObjectIdentifier, &str)] = &[
    (oid("2.5.29.30"), "nameConstraints"),
    (oid("2.5.29.33"), "policyMappings"),
    (oid("2.5.29.36"), "policyConstraints"),
    (oid("2.5.29.54"), "inhibitAnyPolicy"),
    (oid("1.3.6.1.4.1.311.20.2"), "msCertificateTemplateName"),
    (oid("1.3.6.1.4.1.311.21.7"), "msCertificateTemplate"),
    (oid("1.3.6.1.4.1.311.21.10"), "msApplicationPolicies"),
    (oid("2.16.840.1.113730.1.1"), "netscapeCertType"),
];

/// The name of an extension, when ezla knows it.
pub fn extension_name(oid: &ObjectIdentifier) -> Option<&'static str> {
    PROCESSED
        .iter()
        .chain(OTHER_NAMES)
        .find(|(o, _)| o == oid)
        .map(|(_, n)| *n)
}

/// One extension as present in the certificate.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ExtensionInfo {
    /// The extension's OID.
    pub oid: ObjectIdentifier,
    /// Its name, when ezla knows it.
    pub name: Option<&'static str>,
    /// Whether it is marked critical.
    pub critical: bool,
}

/// The key usage bits (RFC 5280 §4.2.1.3).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct KeyUsage(u16);

impl KeyUsage {
    /// `digitalSignature` (bit 0).
    pub const DIGITAL_SIGNATURE: KeyUsage = KeyUsage(1 << 0);
    /// `nonRepudiation`, also called `contentCommitment` (bit 1).
    pub const NON_REPUDIATION: KeyUsage = KeyUsage(1 << 1);
    /// `keyEncipherment` (bit 2).
    pub const KEY_ENCIPHERMENT: KeyUsage = KeyUsage(1 << 2);
    /// `dataEncipherment` (bit 3).
    pub const DATA_ENCIPHERMENT: KeyUsage = KeyUsage(1 << 3);
    /// `keyAgreement` (bit 4).
    pub const KEY_AGREEMENT: KeyUsage = KeyUsage(1 << 4);
    /// `keyCertSign` (bit 5).
    pub const KEY_CERT_SIGN: KeyUsage = KeyUsage(1 << 5);
    /// `cRLSign` (bit 6).
    pub const CRL_SIGN: KeyUsage = KeyUsage(1 << 6);
    /// `encipherOnly` (bit 7).
    pub const ENCIPHER_ONLY: KeyUsage = KeyUsage(1 << 7);
    /// `decipherOnly` (bit 8).
    pub const DECIPHER_ONLY: KeyUsage = KeyUsage(1 << 8);

    const NAMES: [&'static str; 9] = [
        "digitalSignature",
        "nonRepudiation",
        "keyEncipherment",
        "dataEncipherment",
        "keyAgreement",
        "keyCertSign",
        "cRLSign",
        "encipherOnly",
        "decipherOnly",
    ];

    /// Whether every bit of `other` is set.
    pub const fn contains(self, other: KeyUsage) -> bool {
        self.0 & other.0 == other.0
    }

    /// The union of two sets of bits.
    pub const fn union(self, other: KeyUsage) -> KeyUsage {
        KeyUsage(self.0 | other.0)
    }

    /// Whether no bit is set.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The names of the bits set, in bit order.
    pub fn names(self) -> Vec<&'static str> {
        (0..9)
            .filter(|i| self.0 & (1 << i) != 0)
            .map(|i| Self::NAMES[i])
            .collect()
    }

    /// The bits as a number, bit 0 (`digitalSignature`) lowest.
    pub const fn bits(self) -> u16 {
        self.0
    }

    /// The extension value: a DER BIT STRING with trailing zero bits removed.
    pub(crate) fn to_der(self) -> Vec<u8> {
        // Bit i of the named-bit list is bit (7 - i % 8) of byte i / 8.
        let mut bytes = [0u8; 2];
        for i in 0..9 {
            if self.0 & (1 << i) != 0 {
                bytes[i / 8] |= 0x80 >> (i % 8);
            }
        }
        let used = if bytes[1] != 0 {
            2
        } else if bytes[0] != 0 {
            1
        } else {
            0
        };
        let unused = if used == 0 {
            0
        } else {
            bytes[used - 1].trailing_zeros() as u8
        };
        let mut out = vec![0x03, (used + 1) as u8, unused];
        out.extend_from_slice(&bytes[..used]);
        out
    }
}

impl std::ops::BitOr for KeyUsage {
    type Output = KeyUsage;
    fn bitor(self, rhs: KeyUsage) -> KeyUsage {
        self.union(rhs)
    }
}

/// Basic constraints (RFC 5280 §4.2.1.9).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct BasicConstraints {
    /// Whether the subject is a CA.
    pub ca: bool,
    /// The most intermediate CAs that may follow this one in a path.
    pub path_len: Option<u8>,
}

/// A key purpose from the extended key usage extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct KeyPurpose(pub ObjectIdentifier);

impl KeyPurpose {
    /// `id-kp-serverAuth` (a TLS server).
    pub const SERVER_AUTH: KeyPurpose = KeyPurpose(oid("1.3.6.1.5.5.7.3.1"));
    /// `id-kp-clientAuth`.
    pub const CLIENT_AUTH: KeyPurpose = KeyPurpose(oid("1.3.6.1.5.5.7.3.2"));
    /// `id-kp-emailProtection`.
    pub const EMAIL_PROTECTION: KeyPurpose = KeyPurpose(oid("1.3.6.1.5.5.7.3.4"));
    /// `id-kp-timeStamping` (a time-stamping authority, RFC 3161 §2.3).
    pub const TIME_STAMPING: KeyPurpose = KeyPurpose(oid("1.3.6.1.5.5.7.3.8"));
    /// `id-kp-documentSigning` (RFC 9336).
    pub const DOCUMENT_SIGNING: KeyPurpose = KeyPurpose(oid("1.3.6.1.5.5.7.3.36"));

    /// The purpose's usual name, when ezla knows it.
    pub fn name(self) -> Option<&'static str> {
        const NAMES: &[(&str, &str)] = &[
            ("1.3.6.1.5.5.7.3.1", "serverAuth"),
            ("1.3.6.1.5.5.7.3.2", "clientAuth"),
            ("1.3.6.1.5.5.7.3.3", "codeSigning"),
            ("1.3.6.1.5.5.7.3.4", "emailProtection"),
            ("1.3.6.1.5.5.7.3.8", "timeStamping"),
            ("1.3.6.1.5.5.7.3.9", "OCSPSigning"),
            ("1.3.6.1.5.5.7.3.36", "documentSigning"),
            ("2.5.29.37.0", "anyExtendedKeyUsage"),
            ("1.3.6.1.4.1.311.10.3.12", "msDocumentSigning"),
            ("1.3.6.1.4.1.311.20.2.2", "msSmartcardLogon"),
            ("1.2.840.113583.1.1.5", "adobePdfSigning"),
        ];
        let dotted = self.0.to_string();
        NAMES.iter().find(|(o, _)| *o == dotted).map(|(_, n)| *n)
    }
}

impl std::fmt::Display for KeyPurpose {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.name() {
            Some(n) => f.write_str(n),
            None => write!(f, "{}", self.0),
        }
    }
}

/// Everything ezla reads from a certificate's extensions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Extensions {
    pub(crate) all: Vec<ExtensionInfo>,
    pub(crate) key_usage: Option<KeyUsage>,
    pub(crate) extended_key_usage: Option<Vec<KeyPurpose>>,
    pub(crate) basic_constraints: Option<BasicConstraints>,
    pub(crate) crl_distribution_points: Vec<String>,
    pub(crate) ocsp_urls: Vec<String>,
    pub(crate) ca_issuers_urls: Vec<String>,
    pub(crate) email_addresses: Vec<String>,
    pub(crate) dns_names: Vec<String>,
    pub(crate) subject_key_id: Option<Vec<u8>>,
    pub(crate) authority_key_id: Option<Vec<u8>>,
}

impl Extensions {
    /// Reads the extensions; `subject` (RFC 4514) names the certificate in errors.
    pub(crate) fn parse(list: &[x509_cert::ext::Extension], subject: &str) -> Result<Self> {
        let mut out = Extensions::default();
        for ext in list {
            if out.all.iter().any(|e| e.oid == ext.extn_id) {
                return Err(Error::malformed(
                    Format::Der,
                    format!("certificate `{subject}`"),
                    format!("extension {} appears twice", ext.extn_id),
                ));
            }
            let processed = PROCESSED.iter().any(|(o, _)| *o == ext.extn_id);
            if ext.critical && !processed {
                return Err(Error::Certificate(
                    CertificateError::UnknownCriticalExtension {
                        subject: subject.to_string(),
                        oid: crate::crypto::oid_with_name(&ext.extn_id),
                    },
                ));
            }
            out.all.push(ExtensionInfo {
                oid: ext.extn_id,
                name: extension_name(&ext.extn_id),
                critical: ext.critical,
            });
            out.read_value(ext.extn_id, ext.extn_value.as_bytes())
                .map_err(|e| {
                    Error::malformed(
                        Format::Der,
                        format!("certificate `{subject}`"),
                        format!(
                            "extension {}: {e}",
                            extension_name(&ext.extn_id).unwrap_or("?")
                        ),
                    )
                })?;
        }
        Ok(out)
    }

    fn read_value(&mut self, id: ObjectIdentifier, value: &[u8]) -> der::Result<()> {
        match id {
            KEY_USAGE => {
                let ku = X509KeyUsage::from_der(value)?;
                let flags = [
                    ku.digital_signature(),
                    ku.non_repudiation(),
                    ku.key_encipherment(),
                    ku.data_encipherment(),
                    ku.key_agreement(),
                    ku.key_cert_sign(),
                    ku.crl_sign(),
                    ku.encipher_only(),
                    ku.decipher_only(),
                ];
                let bits = flags
                    .iter()
                    .enumerate()
                    .filter(|(_, set)| **set)
                    .fold(0u16, |acc, (i, _)| acc | (1 << i));
                self.key_usage = Some(KeyUsage(bits));
            }
            EXTENDED_KEY_USAGE => {
                let eku = ExtendedKeyUsage::from_der(value)?;
                self.extended_key_usage = Some(eku.0.into_iter().map(KeyPurpose).collect());
            }
            BASIC_CONSTRAINTS => {
                let bc = X509BasicConstraints::from_der(value)?;
                self.basic_constraints = Some(BasicConstraints {
                    ca: bc.ca,
                    path_len: bc.path_len_constraint,
                });
            }
            CRL_DISTRIBUTION_POINTS => {
                let dps = CrlDistributionPoints::from_der(value)?;
                for dp in dps.0 {
                    if let Some(DistributionPointName::FullName(names)) = dp.distribution_point {
                        self.crl_distribution_points
                            .extend(names.iter().filter_map(uri));
                    }
                }
            }
            AUTHORITY_INFO_ACCESS => {
                let aia = AuthorityInfoAccessSyntax::from_der(value)?;
                for ad in aia.0 {
                    if let Some(u) = uri(&ad.access_location) {
                        if ad.access_method == AD_OCSP {
                            self.ocsp_urls.push(u);
                        } else if ad.access_method == AD_CA_ISSUERS {
                            self.ca_issuers_urls.push(u);
                        }
                    }
                }
            }
            SUBJECT_ALT_NAME => {
                let san = SubjectAltName::from_der(value)?;
                for name in san.0 {
                    match name {
                        GeneralName::Rfc822Name(s) => self.email_addresses.push(s.to_string()),
                        GeneralName::DnsName(s) => self.dns_names.push(s.to_string()),
                        _ => {}
                    }
                }
            }
            SUBJECT_KEY_IDENTIFIER => {
                let ski = SubjectKeyIdentifier::from_der(value)?;
                self.subject_key_id = Some(ski.0.as_bytes().to_vec());
            }
            AUTHORITY_KEY_IDENTIFIER => {
                let aki = AuthorityKeyIdentifier::from_der(value)?;
                self.authority_key_id = aki.key_identifier.map(|k| k.as_bytes().to_vec());
            }
            _ => {}
        }
        Ok(())
    }
}

fn uri(name: &GeneralName) -> Option<String> {
    match name {
        GeneralName::UniformResourceIdentifier(u) => Some(u.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_usage_encoding_matches_der_rules() {
        let ds_nr = KeyUsage::DIGITAL_SIGNATURE | KeyUsage::NON_REPUDIATION;
        assert_eq!(ds_nr.to_der(), vec![0x03, 0x02, 0x06, 0xc0]);
        let ca = KeyUsage::KEY_CERT_SIGN | KeyUsage::CRL_SIGN;
        assert_eq!(ca.to_der(), vec![0x03, 0x02, 0x01, 0x06]);
        assert_eq!(
            KeyUsage::DECIPHER_ONLY.to_der(),
            vec![0x03, 0x03, 0x07, 0x00, 0x80]
        );
        assert_eq!(ds_nr.names(), vec!["digitalSignature", "nonRepudiation"]);
        for ku in [ds_nr, ca, KeyUsage::DECIPHER_ONLY] {
            let parsed = X509KeyUsage::from_der(&ku.to_der()).expect("parse");
            let mut ext = Extensions::default();
            ext.read_value(KEY_USAGE, &ku.to_der()).expect("read");
            assert_eq!(ext.key_usage, Some(ku), "{parsed:?}");
        }
    }

    #[test]
    fn key_purpose_names() {
        assert_eq!(KeyPurpose::CLIENT_AUTH.to_string(), "clientAuth");
        assert_eq!(KeyPurpose(oid("1.2.3")).to_string(), "1.2.3");
        assert_eq!(extension_name(&KEY_USAGE), Some("keyUsage"));
        assert_eq!(extension_name(&oid("2.5.29.30")), Some("nameConstraints"));
    }
}
