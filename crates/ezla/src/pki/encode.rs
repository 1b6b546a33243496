//! Small DER writers for the structures ezla assembles itself (PKCS#12 files, TBS
//! certificates, certification requests, the XAdES/CAdES `IssuerSerial` of [`super::ess`]).
//! Each takes already-encoded parts, so the layout of what is written reads like its ASN.1
//! definition.
//!
//! This is ezla's one DER TLV encoder: the BER normaliser of PKCS#12 input writes its
//! lengths with [`push_len`], and the other modules build on [`tlv`].

use const_oid::ObjectIdentifier;
use der::Encode;

/// Appends a DER definite length: the short form below 128, otherwise the long form with
/// the fewest length octets.
///
/// Writers that build into a buffer of their own (such as the zeroized output of the BER
/// normaliser of [`super::pkcs12`]) use this directly; everything else goes through [`tlv`].
pub(crate) fn push_len(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes
            .iter()
            .position(|&b| b != 0)
            .unwrap_or(bytes.len() - 1);
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
}

/// A TLV with a one-byte tag.
pub(crate) fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 6);
    out.push(tag);
    push_len(&mut out, body.len());
    out.extend_from_slice(body);
    out
}

/// `SEQUENCE { parts… }`.
pub(crate) fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

/// `SET { parts… }` with the parts sorted, as DER requires of a SET OF.
pub(crate) fn set_of(parts: &[&[u8]]) -> Vec<u8> {
    let mut sorted: Vec<&[u8]> = parts.to_vec();
    sorted.sort();
    tlv(0x31, &sorted.concat())
}

/// `[n] EXPLICIT` around an encoded value (constructed context tag).
pub(crate) fn explicit(n: u8, inner: &[u8]) -> Vec<u8> {
    tlv(0xa0 | n, inner)
}

/// `OCTET STRING`.
pub(crate) fn octets(bytes: &[u8]) -> Vec<u8> {
    tlv(0x04, bytes)
}

/// `OBJECT IDENTIFIER`.
pub(crate) fn oid(o: &ObjectIdentifier) -> Vec<u8> {
    // An OID always encodes.
    o.to_der().unwrap_or_default()
}

/// A non-negative `INTEGER` from a number.
pub(crate) fn uint(n: u64) -> Vec<u8> {
    uint_bytes(&n.to_be_bytes())
}

/// A non-negative `INTEGER` from big-endian magnitude bytes.
pub(crate) fn uint_bytes(bytes: &[u8]) -> Vec<u8> {
    tlv(0x02, &uint_content(bytes))
}

/// The content octets of the non-negative `INTEGER` with big-endian magnitude `bytes`:
/// leading zero octets dropped, one zero octet put back when the high bit is set.
pub(crate) fn uint_content(bytes: &[u8]) -> Vec<u8> {
    let trimmed: &[u8] = match bytes.iter().position(|&b| b != 0) {
        Some(i) => &bytes[i..],
        None => &[0],
    };
    let mut body = Vec::with_capacity(trimmed.len() + 1);
    if trimmed[0] & 0x80 != 0 {
        body.push(0);
    }
    body.extend_from_slice(trimmed);
    body
}

/// `BIT STRING` with no unused bits.
pub(crate) fn bits(bytes: &[u8]) -> Vec<u8> {
    let mut body = Vec::with_capacity(bytes.len() + 1);
    body.push(0);
    body.extend_from_slice(bytes);
    tlv(0x03, &body)
}

/// `BOOLEAN TRUE`.
pub(crate) const TRUE: [u8; 3] = [0x01, 0x01, 0xff];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        assert_eq!(uint(0), vec![2, 1, 0]);
        assert_eq!(uint(127), vec![2, 1, 127]);
        assert_eq!(uint(128), vec![2, 2, 0, 128]);
        assert_eq!(uint(600_000), vec![2, 3, 0x09, 0x27, 0xc0]);
        assert_eq!(uint_bytes(&[]), vec![2, 1, 0]);
        assert_eq!(uint_bytes(&[0, 0, 0xff]), vec![2, 2, 0, 0xff]);
        let long = tlv(0x04, &[7u8; 300]);
        assert_eq!(&long[..4], &[0x04, 0x82, 0x01, 0x2c]);
        assert_eq!(tlv(0x04, &[7u8; 127])[..2], [0x04, 0x7f]);
        assert_eq!(tlv(0x04, &[7u8; 128])[..3], [0x04, 0x81, 0x80]);
        assert_eq!(tlv(0x05, &[]), vec![0x05, 0x00]);
        let mut out = Vec::new();
        push_len(&mut out, 0x01_0000);
        assert_eq!(out, vec![0x83, 0x01, 0x00, 0x00]);
        assert_eq!(
            set_of(&[&[0x05, 0x00], &[0x02, 0x01, 0x00]]),
            vec![0x31, 5, 2, 1, 0, 5, 0]
        );
    }
}
