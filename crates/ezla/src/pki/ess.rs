//! Structures of the Enhanced Security Services for S/MIME (RFC 2634, updated by RFC 5035)
//! that signature formats reuse: the `IssuerSerial` naming a certificate by issuer and
//! serial number.
//!
//! XAdES writes it, base64-encoded, as the content of `xades:IssuerSerialV2`
//! (EN 319 132-1 `SigningCertificateV2`); CAdES puts the same structure in the
//! `issuerSerial` of `ESSCertIDv2` (RFC 5035 §4), so both take it from here.

use der::Decode;

use super::Certificate;
use super::encode::{seq, tlv};
use crate::error::{Error, Result, SignatureError};

/// DER of RFC 5035 `IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber
/// CertificateSerialNumber }` for `cert`: the issuer as the single `directoryName` of the
/// `GeneralNames`, and the serial with the certificate's own INTEGER content octets.
///
/// This is the content of XAdES `IssuerSerialV2` and the `issuerSerial` of CAdES
/// `ESSCertIDv2`.
pub(crate) fn issuer_serial(cert: &Certificate) -> Vec<u8> {
    encode_issuer_serial(cert.issuer().to_der(), cert.serial_bytes())
}

/// [`issuer_serial`] from the issuer's DER `Name` and the serial's INTEGER content octets.
fn encode_issuer_serial(issuer: &[u8], serial: &[u8]) -> Vec<u8> {
    // GeneralNames ::= SEQUENCE OF GeneralName; directoryName [4] EXPLICIT Name.
    let general_names = seq(&[&tlv(0xa4, issuer)]);
    // The serial's content octets are copied as they are, so the serial of a non-conforming
    // certificate (negative, or with a redundant leading byte) is still named exactly.
    seq(&[&general_names, &tlv(0x02, serial)])
}

/// Whether a DER RFC 5035 `IssuerSerial` (XAdES `IssuerSerialV2`, CAdES `ESSCertIDv2`)
/// names `cert`: one of its `directoryName`s matches the issuer (by value, not by bytes, so a
/// name written with other string types still matches), and the serial is the same number.
pub(crate) fn issuer_serial_names(der_bytes: &[u8], cert: &Certificate) -> Result<bool> {
    let malformed =
        |detail: String| Error::Signature(SignatureError::SigningCertificateMismatch { detail });
    let outer = der::asn1::AnyRef::from_der(der_bytes)
        .map_err(|e| malformed(format!("IssuerSerialV2 is not DER: {e}")))?;
    let mut reader = der::SliceReader::new(outer.value())
        .map_err(|e| malformed(format!("IssuerSerialV2: {e}")))?;
    let names: Vec<x509_cert::ext::pkix::name::GeneralName> = Decode::decode(&mut reader)
        .map_err(|e| malformed(format!("IssuerSerialV2 issuer: {e}")))?;
    let serial: der::asn1::Int = Decode::decode(&mut reader)
        .map_err(|e| malformed(format!("IssuerSerialV2 serial: {e}")))?;
    let issuer_ok = names.iter().any(|n| match n {
        x509_cert::ext::pkix::name::GeneralName::DirectoryName(name) => {
            super::Name::from_der(&der::Encode::to_der(name).unwrap_or_default())
                .is_ok_and(|n| n.matches(cert.issuer()))
        }
        _ => false,
    });
    Ok(issuer_ok && crate::pki::x509::signed_decimal(serial.as_bytes()) == cert.serial_decimal())
}

#[cfg(test)]
mod tests {
    use der::{Decode, Encode};
    use x509_cert::ext::pkix::name::GeneralName;

    use super::*;
    use crate::pki::testca::{DoctorSpec, TestCa};

    /// The same structure, encoded by the `der` crate.
    #[derive(der::Sequence)]
    struct IssuerSerial {
        issuer: Vec<GeneralName>,
        serial_number: der::asn1::Int,
    }

    #[test]
    fn matches_the_der_crate() {
        let now = time::OffsetDateTime::now_utc();
        let ca = TestCa::generate("ezla ess test CA", now, 30).expect("ca");
        let pesel = "44051401359".parse().expect("pesel");
        let doctor = ca
            .issue_doctor(&DoctorSpec::new("Jan", "Kowalski", pesel))
            .expect("doctor");
        let cert = &doctor.certificate;
        let name = x509_cert::name::Name::from_der(cert.issuer().to_der()).expect("name");
        let theirs = IssuerSerial {
            issuer: vec![GeneralName::DirectoryName(name)],
            serial_number: der::asn1::Int::new(cert.serial_bytes()).expect("serial"),
        }
        .to_der()
        .expect("der");
        assert_eq!(issuer_serial(cert), theirs);
    }

    #[test]
    fn fixed_vector() {
        // Issuer "CN=A" (UTF8String), serial 0x0102, encoded by hand.
        let name = [
            0x30, 0x0c, 0x31, 0x0a, 0x30, 0x08, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x01, b'A',
        ];
        let mut expected = vec![0x30, 0x16, 0x30, 0x10, 0xa4, 0x0e];
        expected.extend_from_slice(&name);
        expected.extend_from_slice(&[0x02, 0x02, 0x01, 0x02]);
        assert_eq!(encode_issuer_serial(&name, &[0x01, 0x02]), expected);
    }
}
