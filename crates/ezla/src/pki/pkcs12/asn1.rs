//! The ASN.1 structures of PKCS#12 (RFC 7292) and the CMS content types it uses, as
//! borrowed `der` types.

use const_oid::ObjectIdentifier;
use der::asn1::{AnyRef, BmpString, OctetStringRef, UintRef};
use der::{Decode, Encode, Reader, SliceReader, Tag, TagNumber, Tagged};
use spki::AlgorithmIdentifierRef;

const fn oid(s: &str) -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap(s)
}

pub(crate) const ID_DATA: ObjectIdentifier = oid("1.2.840.113549.1.7.1");
pub(crate) const ID_SIGNED_DATA: ObjectIdentifier = oid("1.2.840.113549.1.7.2");
pub(crate) const ID_ENVELOPED_DATA: ObjectIdentifier = oid("1.2.840.113549.1.7.3");
pub(crate) const ID_ENCRYPTED_DATA: ObjectIdentifier = oid("1.2.840.113549.1.7.6");

pub(crate) const KEY_BAG: ObjectIdentifier = oid("1.2.840.113549.1.12.10.1.1");
pub(crate) const SHROUDED_KEY_BAG: ObjectIdentifier = oid("1.2.840.113549.1.12.10.1.2");
pub(crate) const CERT_BAG: ObjectIdentifier = oid("1.2.840.113549.1.12.10.1.3");
pub(crate) const CRL_BAG: ObjectIdentifier = oid("1.2.840.113549.1.12.10.1.4");
pub(crate) const SECRET_BAG: ObjectIdentifier = oid("1.2.840.113549.1.12.10.1.5");
pub(crate) const SAFE_CONTENTS_BAG: ObjectIdentifier = oid("1.2.840.113549.1.12.10.1.6");

pub(crate) const X509_CERTIFICATE: ObjectIdentifier = oid("1.2.840.113549.1.9.22.1");
pub(crate) const FRIENDLY_NAME: ObjectIdentifier = oid("1.2.840.113549.1.9.20");
pub(crate) const LOCAL_KEY_ID: ObjectIdentifier = oid("1.2.840.113549.1.9.21");

/// The name of a bag type, for reports.
pub(crate) fn bag_name(o: &ObjectIdentifier) -> String {
    let name = match *o {
        KEY_BAG => "keyBag",
        SHROUDED_KEY_BAG => "pkcs8ShroudedKeyBag",
        CERT_BAG => "certBag",
        CRL_BAG => "crlBag",
        SECRET_BAG => "secretBag",
        SAFE_CONTENTS_BAG => "safeContentsBag",
        _ => return crate::crypto::oid_with_name(o),
    };
    format!("{o} ({name})")
}

/// `PFX ::= SEQUENCE { version INTEGER {v3(3)}, authSafe ContentInfo, macData MacData OPTIONAL }`
#[derive(der::Sequence)]
pub(crate) struct Pfx<'a> {
    pub(crate) version: UintRef<'a>,
    pub(crate) auth_safe: ContentInfo<'a>,
    pub(crate) mac_data: Option<MacData<'a>>,
}

/// `ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT ANY OPTIONAL }`
#[derive(der::Sequence)]
pub(crate) struct ContentInfo<'a> {
    pub(crate) content_type: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub(crate) content: Option<AnyRef<'a>>,
}

/// `MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }`
#[derive(der::Sequence)]
pub(crate) struct MacData<'a> {
    pub(crate) mac: DigestInfo<'a>,
    pub(crate) mac_salt: &'a OctetStringRef,
    pub(crate) iterations: Option<UintRef<'a>>,
}

/// `DigestInfo ::= SEQUENCE { digestAlgorithm AlgorithmIdentifier, digest OCTET STRING }`
#[derive(der::Sequence)]
pub(crate) struct DigestInfo<'a> {
    pub(crate) algorithm: AlgorithmIdentifierRef<'a>,
    pub(crate) digest: &'a OctetStringRef,
}

/// `EncryptedPrivateKeyInfo` (RFC 5958), the value of a `pkcs8ShroudedKeyBag`.
#[derive(der::Sequence)]
pub(crate) struct EncryptedPrivateKeyInfo<'a> {
    pub(crate) algorithm: AlgorithmIdentifierRef<'a>,
    pub(crate) data: &'a OctetStringRef,
}

/// `CertBag ::= SEQUENCE { certId OID, certValue [0] EXPLICIT OCTET STRING }`
#[derive(der::Sequence)]
pub(crate) struct CertBag<'a> {
    pub(crate) cert_id: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    pub(crate) cert_value: &'a OctetStringRef,
}

/// `SafeBag ::= SEQUENCE { bagId OID, bagValue [0] EXPLICIT ANY, bagAttributes SET OF
/// PKCS12Attribute OPTIONAL }`. The attributes are kept raw and read by [`attributes`].
#[derive(der::Sequence)]
pub(crate) struct SafeBag<'a> {
    pub(crate) bag_id: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    pub(crate) bag_value: AnyRef<'a>,
    pub(crate) bag_attributes: Option<AnyRef<'a>>,
}

/// `EncryptedData ::= SEQUENCE { version, encryptedContentInfo }`, with the encrypted
/// content joined from its segments (BER files split `[0] IMPLICIT OCTET STRING` into a
/// constructed value that DER normalisation cannot recognise).
pub(crate) struct EncryptedData<'a> {
    pub(crate) algorithm: AlgorithmIdentifierRef<'a>,
    pub(crate) content: Vec<u8>,
}

impl<'a> EncryptedData<'a> {
    pub(crate) fn parse(any: AnyRef<'a>) -> der::Result<Self> {
        any.sequence(|r: &mut SliceReader<'a>| {
            let _version: UintRef<'a> = r.decode()?;
            let eci: AnyRef<'a> = r.decode()?;
            eci.sequence(|r: &mut SliceReader<'a>| {
                let content_type: ObjectIdentifier = r.decode()?;
                if content_type != ID_DATA {
                    return Err(Tag::ObjectIdentifier.value_error().into());
                }
                let algorithm: AlgorithmIdentifierRef<'a> = r.decode()?;
                let mut content = Vec::new();
                if !r.is_finished() {
                    let raw: AnyRef<'a> = r.decode()?;
                    let tag = raw.tag();
                    if tag.number() != TagNumber(0) || !tag.is_context_specific() {
                        return Err(tag.unexpected_error(None).into());
                    }
                    if tag.is_constructed() {
                        let mut inner = SliceReader::new(raw.value())?;
                        while !inner.is_finished() {
                            let seg: &'a OctetStringRef = inner.decode()?;
                            content.extend_from_slice(seg.as_bytes());
                        }
                    } else {
                        content.extend_from_slice(raw.value());
                    }
                }
                Ok(EncryptedData { algorithm, content })
            })
        })
    }
}

/// `SEQUENCE OF T` read element by element.
pub(crate) fn sequence_of<'a, T: Decode<'a, Error = der::Error>>(
    any: AnyRef<'a>,
) -> der::Result<Vec<T>> {
    any.sequence(|r: &mut SliceReader<'a>| {
        let mut out = Vec::new();
        while !r.is_finished() {
            out.push(r.decode()?);
        }
        Ok(out)
    })
}

/// The PKCS#12 attributes of a bag that ezla reads.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct BagAttributes {
    /// `friendlyName` (PKCS#9), the entry's label; keytool calls it the alias.
    pub friendly_name: Option<String>,
    /// `localKeyId` (PKCS#9), which pairs a key with its certificate.
    pub local_key_id: Option<Vec<u8>>,
}

/// Reads `friendlyName` and `localKeyId` from a `SET OF PKCS12Attribute`; other attributes
/// are ignored. The SET is read in file order (no DER ordering is demanded of it).
pub(crate) fn attributes(set: Option<AnyRef<'_>>) -> der::Result<BagAttributes> {
    let mut out = BagAttributes::default();
    let Some(set) = set else {
        return Ok(out);
    };
    if set.tag() != Tag::Set {
        return Err(set.tag().unexpected_error(Some(Tag::Set)).into());
    }
    let mut reader = SliceReader::new(set.value())?;
    while !reader.is_finished() {
        let attr: AnyRef<'_> = reader.decode()?;
        attr.sequence(|r: &mut SliceReader<'_>| {
            let id: ObjectIdentifier = r.decode()?;
            let values: AnyRef<'_> = r.decode()?;
            let mut vr = SliceReader::new(values.value())?;
            if let Some(first) = (!vr.is_finished())
                .then(|| vr.decode::<AnyRef<'_>>())
                .transpose()?
            {
                if id == FRIENDLY_NAME && first.tag() == Tag::BmpString {
                    let units = first
                        .value()
                        .chunks_exact(2)
                        .map(|c| u16::from_be_bytes([c[0], c[1]]));
                    // Windows terminates the name with a NUL character.
                    out.friendly_name = char::decode_utf16(units)
                        .collect::<Result<String, _>>()
                        .ok()
                        .map(|n| n.trim_end_matches('\0').to_string());
                } else if id == LOCAL_KEY_ID && first.tag() == Tag::OctetString {
                    out.local_key_id = Some(first.value().to_vec());
                }
            }
            Ok::<_, der::Error>(())
        })?;
    }
    Ok(out)
}

/// Encodes `friendlyName` and `localKeyId` as a `SET OF PKCS12Attribute` (DER order).
pub(crate) fn encode_attributes(attrs: &BagAttributes) -> der::Result<Option<Vec<u8>>> {
    let mut items: Vec<Vec<u8>> = Vec::new();
    let attribute = |id: ObjectIdentifier, value_der: Vec<u8>| -> der::Result<Vec<u8>> {
        let mut set = Vec::new();
        der::Header::new(Tag::Set, der::Length::try_from(value_der.len())?)
            .encode_to_vec(&mut set)?;
        set.extend_from_slice(&value_der);
        let mut body = id.to_der()?;
        body.extend_from_slice(&set);
        let mut out = Vec::new();
        der::Header::new(Tag::Sequence, der::Length::try_from(body.len())?)
            .encode_to_vec(&mut out)?;
        out.extend_from_slice(&body);
        Ok(out)
    };
    if let Some(name) = &attrs.friendly_name {
        items.push(attribute(
            FRIENDLY_NAME,
            BmpString::from_utf8(name)?.to_der()?,
        )?);
    }
    if let Some(id) = &attrs.local_key_id {
        items.push(attribute(LOCAL_KEY_ID, OctetStringRef::new(id)?.to_der()?)?);
    }
    if items.is_empty() {
        return Ok(None);
    }
    // DER orders a SET OF by the encodings.
    items.sort();
    let body: Vec<u8> = items.concat();
    let mut out = Vec::new();
    der::Header::new(Tag::Set, der::Length::try_from(body.len())?).encode_to_vec(&mut out)?;
    out.extend_from_slice(&body);
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_round_trip() {
        let attrs = BagAttributes {
            friendly_name: Some("Jan Kowalski (ZUS) — łódź".into()),
            local_key_id: Some(vec![1, 2, 3]),
        };
        let der = encode_attributes(&attrs).expect("encode").expect("some");
        let any = AnyRef::from_der(&der).expect("any");
        assert_eq!(attributes(Some(any)).expect("decode"), attrs);
        assert_eq!(
            encode_attributes(&BagAttributes::default()).expect("empty"),
            None
        );
        assert_eq!(attributes(None).expect("none"), BagAttributes::default());
    }
}
