//! Distinguished names: RFC 4514 text and access to each attribute by type.

use std::fmt;

use const_oid::ObjectIdentifier;
use der::asn1::SetOfVec;
use der::{Decode, Encode, Tag, Tagged};
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::name::RelativeDistinguishedName;

use crate::crypto::hex;
use crate::error::Format;
use crate::{Error, Result};

macro_rules! attribute_types {
    ($( $(#[$doc:meta])* $variant:ident = $oid:literal, $keyword:literal, $long:literal, $printable:literal; )*) => {
        /// The attribute types ezla knows by name.
        ///
        /// Each has the keyword used in RFC 4514 text ([`AttributeType::keyword`]: the
        /// RFC 4514 §3 set, plus the LDAP descriptors registered for the others, e.g.
        /// `serialNumber`, `givenName`, `sn`) and a long name for display
        /// ([`AttributeType::long_name`]).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum AttributeType {
            $( $(#[$doc])* $variant, )*
        }

        impl AttributeType {
            /// Every known attribute type.
            pub const ALL: &'static [AttributeType] = &[ $( AttributeType::$variant, )* ];

            /// The attribute type's OID.
            pub const fn oid(self) -> ObjectIdentifier {
                // A `const` item per arm: the dotted string is parsed at compile time, not on
                // every call (it showed up as 8 % of a XAdES verification).
                match self { $( AttributeType::$variant => {
                    const OID: ObjectIdentifier = ObjectIdentifier::new_unwrap($oid);
                    OID
                } )* }
            }

            /// The keyword written in RFC 4514 text (`CN`, `serialNumber`, `sn`, ...).
            pub const fn keyword(self) -> &'static str {
                match self { $( AttributeType::$variant => $keyword, )* }
            }

            /// The long name, for display (`commonName`, `surname`, ...).
            pub const fn long_name(self) -> &'static str {
                match self { $( AttributeType::$variant => $long, )* }
            }

            /// Whether X.520 / RFC 5280 want the value as a `PrintableString`.
            const fn printable(self) -> bool {
                match self { $( AttributeType::$variant => $printable, )* }
            }
        }
    };
}

attribute_types! {
    /// `CN`, 2.5.4.3.
    CommonName = "2.5.4.3", "CN", "commonName", false;
    /// `sn` (surname), 2.5.4.4.
    Surname = "2.5.4.4", "sn", "surname", false;
    /// `serialNumber`, 2.5.4.5: in personal certificates, an identifier of the person
    /// (ETSI EN 319 412-1 forms such as `PNOPL-<PESEL>`).
    SerialNumber = "2.5.4.5", "serialNumber", "serialNumber", true;
    /// `C`, 2.5.4.6.
    Country = "2.5.4.6", "C", "countryName", true;
    /// `L`, 2.5.4.7.
    Locality = "2.5.4.7", "L", "localityName", false;
    /// `ST`, 2.5.4.8.
    State = "2.5.4.8", "ST", "stateOrProvinceName", false;
    /// `STREET`, 2.5.4.9.
    Street = "2.5.4.9", "STREET", "streetAddress", false;
    /// `O`, 2.5.4.10.
    Organization = "2.5.4.10", "O", "organizationName", false;
    /// `OU`, 2.5.4.11.
    OrganizationalUnit = "2.5.4.11", "OU", "organizationalUnitName", false;
    /// `title`, 2.5.4.12.
    Title = "2.5.4.12", "title", "title", false;
    /// `postalCode`, 2.5.4.17.
    PostalCode = "2.5.4.17", "postalCode", "postalCode", false;
    /// `givenName`, 2.5.4.42.
    GivenName = "2.5.4.42", "givenName", "givenName", false;
    /// `initials`, 2.5.4.43.
    Initials = "2.5.4.43", "initials", "initials", false;
    /// `generationQualifier`, 2.5.4.44.
    GenerationQualifier = "2.5.4.44", "generationQualifier", "generationQualifier", false;
    /// `dnQualifier`, 2.5.4.46.
    DnQualifier = "2.5.4.46", "dnQualifier", "dnQualifier", true;
    /// `pseudonym`, 2.5.4.65.
    Pseudonym = "2.5.4.65", "pseudonym", "pseudonym", false;
    /// `organizationIdentifier`, 2.5.4.97 (ETSI forms such as `VATPL-<NIP>`).
    OrganizationIdentifier = "2.5.4.97", "organizationIdentifier", "organizationIdentifier", false;
    /// `UID`, 0.9.2342.19200300.100.1.1.
    UserId = "0.9.2342.19200300.100.1.1", "UID", "userId", false;
    /// `DC`, 0.9.2342.19200300.100.1.25.
    DomainComponent = "0.9.2342.19200300.100.1.25", "DC", "domainComponent", false;
    /// `emailAddress` (PKCS#9), 1.2.840.113549.1.9.1: deprecated in favour of an e-mail
    /// subject alternative name, but still common.
    EmailAddress = "1.2.840.113549.1.9.1", "emailAddress", "emailAddress", false;
}

impl AttributeType {
    /// The known attribute type with this OID.
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        Self::ALL.iter().copied().find(|t| t.oid() == *oid)
    }
}

impl fmt::Display for AttributeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.long_name())
    }
}

/// One attribute of a name: a type and its value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Attribute {
    oid: ObjectIdentifier,
    /// The value's DER encoding (tag, length, contents).
    value_der: Vec<u8>,
    /// The value as text, when it is one of the directory string types.
    text: Option<String>,
}

impl Attribute {
    fn from_atv(atv: &AttributeTypeAndValue) -> Result<Self> {
        let value_der = atv
            .value
            .to_der()
            .map_err(|e| Error::malformed(Format::Der, "name", e.to_string()))?;
        Ok(Attribute {
            oid: atv.oid,
            text: decode_string(atv.value.tag(), atv.value.value()),
            value_der,
        })
    }

    /// The attribute type's OID.
    pub fn oid(&self) -> ObjectIdentifier {
        self.oid
    }

    /// The attribute type, when ezla knows it.
    pub fn attribute_type(&self) -> Option<AttributeType> {
        AttributeType::from_oid(&self.oid)
    }

    /// The keyword for RFC 4514 text, or the dotted OID for unknown types.
    pub fn keyword(&self) -> String {
        match self.attribute_type() {
            Some(t) => t.keyword().to_string(),
            None => self.oid.to_string(),
        }
    }

    /// The value as text, when it is a string type (UTF8String, PrintableString, IA5String,
    /// BMPString, TeletexString read as Latin-1, NumericString,
    /// VisibleString).
    pub fn value(&self) -> Option<&str> {
        self.text.as_deref()
    }

    /// The value's DER encoding.
    pub fn value_der(&self) -> &[u8] {
        &self.value_der
    }

    /// The value as RFC 4514 text: escaped text for a known type with a string value,
    /// otherwise `#` followed by the hex of the DER encoding (§2.4).
    fn rfc4514_value(&self) -> String {
        match (&self.text, self.attribute_type()) {
            (Some(text), Some(_)) => escape_value(text),
            _ => format!("#{}", hex::lower(&self.value_der)),
        }
    }
}

/// A distinguished name (an X.501 `Name`), kept with its DER encoding.
///
/// [`Name::to_rfc4514`] (also `Display`) gives the RFC 4514 text, most specific RDN first;
/// [`Name::get`] and the named accessors give single attributes, in encoding order.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Name {
    der: Vec<u8>,
    /// RDNs in encoding order (least specific first, as in the certificate).
    rdns: Vec<Vec<Attribute>>,
}

impl Name {
    /// Parses a DER `Name`.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        let name = x509_cert::name::Name::from_der(der)
            .map_err(|e| Error::malformed(Format::Der, "name", e.to_string()))?;
        Self::from_x509(&name)
    }

    pub(crate) fn from_x509(name: &x509_cert::name::Name) -> Result<Self> {
        let der = name
            .to_der()
            .map_err(|e| Error::malformed(Format::Der, "name", e.to_string()))?;
        let rdns = name
            .iter_rdn()
            .map(|rdn| rdn.iter().map(Attribute::from_atv).collect())
            .collect::<Result<_>>()?;
        Ok(Name { der, rdns })
    }

    /// Starts building a name; attributes are encoded in the order they are added, one per
    /// RDN.
    pub fn builder() -> NameBuilder {
        NameBuilder::default()
    }

    /// The DER encoding.
    pub fn to_der(&self) -> &[u8] {
        &self.der
    }

    /// Whether the name has no attributes.
    pub fn is_empty(&self) -> bool {
        self.rdns.iter().all(Vec::is_empty)
    }

    /// The RFC 4514 string: RDNs most specific first, separated by `,`; attributes of a
    /// multi-valued RDN joined by `+`; special characters escaped; unknown attribute types
    /// as dotted OIDs with `#`-hex values.
    pub fn to_rfc4514(&self) -> String {
        let mut out = String::new();
        for (i, rdn) in self.rdns.iter().rev().enumerate() {
            if i > 0 {
                out.push(',');
            }
            for (j, attr) in rdn.iter().enumerate() {
                if j > 0 {
                    out.push('+');
                }
                out.push_str(&attr.keyword());
                out.push('=');
                out.push_str(&attr.rfc4514_value());
            }
        }
        out
    }

    /// The RDNs in encoding order (least specific first), each a set of attributes.
    pub fn rdns(&self) -> impl Iterator<Item = &[Attribute]> {
        self.rdns.iter().map(Vec::as_slice)
    }

    /// Every attribute, in encoding order (least specific first).
    pub fn attributes(&self) -> impl Iterator<Item = &Attribute> {
        self.rdns.iter().flatten()
    }

    /// The text of the first attribute of type `t`.
    pub fn get(&self, t: AttributeType) -> Option<&str> {
        self.get_oid(&t.oid())
    }

    /// The text of the first attribute with this OID.
    pub fn get_oid(&self, oid: &ObjectIdentifier) -> Option<&str> {
        self.attributes()
            .find(|a| a.oid == *oid)
            .and_then(Attribute::value)
    }

    /// The text of every attribute of type `t`.
    pub fn get_all(&self, t: AttributeType) -> Vec<&str> {
        let oid = t.oid();
        self.attributes()
            .filter(|a| a.oid == oid)
            .filter_map(Attribute::value)
            .collect()
    }

    /// `CN`.
    pub fn common_name(&self) -> Option<&str> {
        self.get(AttributeType::CommonName)
    }

    /// `givenName`.
    pub fn given_name(&self) -> Option<&str> {
        self.get(AttributeType::GivenName)
    }

    /// `sn` (surname).
    pub fn surname(&self) -> Option<&str> {
        self.get(AttributeType::Surname)
    }

    /// `serialNumber` (the subject's identifier, not the certificate's serial).
    pub fn serial_number(&self) -> Option<&str> {
        self.get(AttributeType::SerialNumber)
    }

    /// `O`.
    pub fn organization(&self) -> Option<&str> {
        self.get(AttributeType::Organization)
    }

    /// `OU`.
    pub fn organizational_unit(&self) -> Option<&str> {
        self.get(AttributeType::OrganizationalUnit)
    }

    /// `C`.
    pub fn country(&self) -> Option<&str> {
        self.get(AttributeType::Country)
    }

    /// `L`.
    pub fn locality(&self) -> Option<&str> {
        self.get(AttributeType::Locality)
    }

    /// `emailAddress`.
    pub fn email_address(&self) -> Option<&str> {
        self.get(AttributeType::EmailAddress)
    }

    /// `organizationIdentifier`.
    pub fn organization_identifier(&self) -> Option<&str> {
        self.get(AttributeType::OrganizationIdentifier)
    }

    /// Whether two names are the same for chaining: identical DER, or the same attributes
    /// in the same order with string values equal after case folding and whitespace
    /// collapsing (RFC 5280 §7.1, simplified).
    pub fn matches(&self, other: &Name) -> bool {
        if self.der == other.der {
            return true;
        }
        self.rdns.len() == other.rdns.len()
            && self.rdns.iter().zip(&other.rdns).all(|(a, b)| {
                a.len() == b.len()
                    && a.iter().zip(b).all(|(x, y)| {
                        x.oid == y.oid
                            && match (&x.text, &y.text) {
                                (Some(s), Some(t)) => fold(s) == fold(t),
                                _ => x.value_der == y.value_der,
                            }
                    })
            })
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc4514())
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Name({})", self.to_rfc4514())
    }
}

/// Builds a [`Name`] attribute by attribute, choosing the ASN.1 string type each attribute
/// needs (PrintableString for `C`, `serialNumber` and `dnQualifier`, UTF8String otherwise).
#[derive(Clone, Debug, Default)]
pub struct NameBuilder {
    rdns: Vec<(AttributeType, String)>,
}

impl NameBuilder {
    /// Adds an attribute (as its own RDN).
    pub fn add(mut self, t: AttributeType, value: impl Into<String>) -> Self {
        self.rdns.push((t, value.into()));
        self
    }

    /// Adds `C`.
    pub fn country(self, value: impl Into<String>) -> Self {
        self.add(AttributeType::Country, value)
    }

    /// Adds `O`.
    pub fn organization(self, value: impl Into<String>) -> Self {
        self.add(AttributeType::Organization, value)
    }

    /// Adds `OU`.
    pub fn organizational_unit(self, value: impl Into<String>) -> Self {
        self.add(AttributeType::OrganizationalUnit, value)
    }

    /// Adds `L`.
    pub fn locality(self, value: impl Into<String>) -> Self {
        self.add(AttributeType::Locality, value)
    }

    /// Adds `sn`.
    pub fn surname(self, value: impl Into<String>) -> Self {
        self.add(AttributeType::Surname, value)
    }

    /// Adds `givenName`.
    pub fn given_name(self, value: impl Into<String>) -> Self {
        self.add(AttributeType::GivenName, value)
    }

    /// Adds `serialNumber`.
    pub fn serial_number(self, value: impl Into<String>) -> Self {
        self.add(AttributeType::SerialNumber, value)
    }

    /// Adds `CN`.
    pub fn common_name(self, value: impl Into<String>) -> Self {
        self.add(AttributeType::CommonName, value)
    }

    /// Adds `emailAddress`.
    pub fn email_address(self, value: impl Into<String>) -> Self {
        self.add(AttributeType::EmailAddress, value)
    }

    /// Encodes the name.
    ///
    /// Fails with [`Error::InvalidArgument`] on an empty value, a value over 256 characters,
    /// a `C` that is not two letters, or a character that the required PrintableString
    /// cannot hold.
    pub fn build(self) -> Result<Name> {
        let mut seq = Vec::with_capacity(self.rdns.len());
        for (t, value) in &self.rdns {
            let bad = |reason: String| Error::InvalidArgument {
                argument: t.long_name(),
                reason,
            };
            if value.is_empty() || value.chars().count() > 256 {
                return Err(bad("must have 1 to 256 characters".into()));
            }
            if *t == AttributeType::Country
                && !(value.len() == 2 && value.bytes().all(|b| b.is_ascii_uppercase()))
            {
                return Err(bad(format!("`{value}` is not a two-letter country code")));
            }
            let any = if t.printable() {
                let s = der::asn1::PrintableStringRef::new(value).map_err(|_| {
                    bad(format!(
                        "`{value}` has characters a PrintableString cannot hold"
                    ))
                })?;
                der::Any::from(der::asn1::AnyRef::from(s))
            } else if *t == AttributeType::EmailAddress || *t == AttributeType::DomainComponent {
                let s = der::asn1::Ia5StringRef::new(value)
                    .map_err(|_| bad(format!("`{value}` is not ASCII")))?;
                der::Any::from(der::asn1::AnyRef::from(s))
            } else {
                let s = der::asn1::Utf8StringRef::new(value)
                    .map_err(|e| bad(format!("`{value}`: {e}")))?;
                der::Any::from(der::asn1::AnyRef::from(s))
            };
            let atv = AttributeTypeAndValue {
                oid: t.oid(),
                value: any,
            };
            let mut set = SetOfVec::new();
            set.insert(atv)
                .map_err(|e| Error::internal(format!("name RDN: {e}")))?;
            seq.push(RelativeDistinguishedName::from(set));
        }
        let der = x509_cert::name::RdnSequence::from(seq)
            .to_der()
            .map_err(|e| Error::internal(format!("encoding a name: {e}")))?;
        Name::from_der(&der)
    }
}

/// Decodes the directory string types to text.
fn decode_string(tag: Tag, bytes: &[u8]) -> Option<String> {
    match tag {
        Tag::Utf8String => std::str::from_utf8(bytes).ok().map(str::to_string),
        Tag::PrintableString | Tag::Ia5String | Tag::VisibleString | Tag::NumericString => bytes
            .is_ascii()
            .then(|| String::from_utf8_lossy(bytes).into_owned()),
        // T.61 in theory; Latin-1 in practice.
        Tag::TeletexString => Some(bytes.iter().map(|&b| char::from(b)).collect()),
        Tag::BmpString => {
            if !bytes.len().is_multiple_of(2) {
                return None;
            }
            let units = bytes
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]));
            char::decode_utf16(units)
                .collect::<Result<String, _>>()
                .ok()
        }
        _ => None,
    }
}

/// RFC 4514 §2.4 escaping, plus `\XX` for control characters so names print safely.
fn escape_value(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    let last = s.chars().count().saturating_sub(1);
    for (i, c) in s.chars().enumerate() {
        match c {
            '"' | '+' | ',' | ';' | '<' | '>' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '#' if i == 0 => out.push_str("\\#"),
            ' ' if i == 0 || i == last => out.push_str("\\ "),
            c if c.is_control() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("\\{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Case-folded, whitespace-collapsed form for name comparison.
fn fold(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doctor() -> Name {
        Name::builder()
            .country("PL")
            .surname("Kowalski")
            .given_name("Jan")
            .serial_number("PNOPL-44051401359")
            .common_name("Jan Kowalski")
            .build()
            .expect("name")
    }

    #[test]
    fn rfc4514_is_most_specific_first_with_registered_keywords() {
        let n = doctor();
        assert_eq!(
            n.to_rfc4514(),
            "CN=Jan Kowalski,serialNumber=PNOPL-44051401359,givenName=Jan,sn=Kowalski,C=PL"
        );
        assert_eq!(n.common_name(), Some("Jan Kowalski"));
        assert_eq!(n.given_name(), Some("Jan"));
        assert_eq!(n.surname(), Some("Kowalski"));
        assert_eq!(n.serial_number(), Some("PNOPL-44051401359"));
        assert_eq!(n.country(), Some("PL"));
        assert_eq!(n.organization(), None);
        let parsed = Name::from_der(n.to_der()).expect("reparse");
        assert_eq!(parsed, n);
        assert!(parsed.matches(&n));
        // serialNumber and C are PrintableString, names UTF8String.
        let tags: Vec<u8> = n.attributes().map(|a| a.value_der()[0]).collect();
        assert_eq!(tags, vec![0x13, 0x0c, 0x0c, 0x13, 0x0c]);
    }

    #[test]
    fn escaping_and_unknown_types() {
        let n = Name::builder()
            .common_name("#Nowak, \"Anna\" + Ł;<x>\\ ")
            .organization(" lead")
            .build()
            .expect("name");
        assert_eq!(
            n.to_rfc4514(),
            "O=\\ lead,CN=\\#Nowak\\, \\\"Anna\\\" \\+ Ł\\;\\<x\\>\\\\\\ "
        );
        // An unknown attribute type: dotted OID and the hex DER of the value.
        let atv = AttributeTypeAndValue {
            oid: ObjectIdentifier::new_unwrap("1.2.3.4"),
            value: der::Any::from(der::asn1::AnyRef::from(
                der::asn1::Utf8StringRef::new("hi").expect("utf8"),
            )),
        };
        let mut set = SetOfVec::new();
        set.insert(atv).expect("insert");
        let der = x509_cert::name::RdnSequence::from(vec![RelativeDistinguishedName::from(set)])
            .to_der()
            .expect("der");
        let n = Name::from_der(&der).expect("name");
        assert_eq!(n.to_rfc4514(), "1.2.3.4=#0c026869");
        assert_eq!(n.attributes().next().and_then(Attribute::value), Some("hi"));
    }

    #[test]
    fn builder_validates() {
        for (t, v) in [
            (AttributeType::Country, "Poland"),
            (AttributeType::Country, "pl"),
            (AttributeType::SerialNumber, "PNOPL_1@"),
            (AttributeType::CommonName, ""),
        ] {
            let err = Name::builder().add(t, v).build().expect_err(v);
            assert_eq!(err.code(), crate::ErrorCode::InvalidArgument, "{v}");
        }
    }

    #[test]
    fn matching_ignores_case_and_spacing_but_not_order() {
        let a = Name::builder()
            .common_name("Test  CA")
            .country("PL")
            .build()
            .expect("a");
        let b = Name::builder()
            .common_name("test ca")
            .country("PL")
            .build()
            .expect("b");
        let c = Name::builder()
            .country("PL")
            .common_name("Test CA")
            .build()
            .expect("c");
        assert!(a.matches(&b));
        assert!(!a.matches(&c));
    }

    #[test]
    fn string_types() {
        assert_eq!(
            decode_string(Tag::BmpString, b"\x00J\x00a\x01\x41"),
            Some("JaŁ".into())
        );
        assert_eq!(decode_string(Tag::TeletexString, b"\xb3"), Some("³".into()));
        assert_eq!(decode_string(Tag::BmpString, b"\x00"), None);
        assert_eq!(decode_string(Tag::Utf8String, b"\xff"), None);
        assert_eq!(decode_string(Tag::Integer, b"\x01"), None);
    }
}
