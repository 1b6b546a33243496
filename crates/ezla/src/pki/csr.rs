//! Certification requests (PKCS#10, RFC 2986).
//!
//! [`CertificateRequest::new`] signs a request for a subject [`Name`] with any [`Signer`]
//! (RSA PKCS#1 v1.5 with SHA-256, or ECDSA with the curve's digest), optionally asking for an
//! e-mail subject alternative name. Keep the new key with
//! [`keyfile::encrypt_private_key_pem`](super::keyfile::encrypt_private_key_pem).

use const_oid::ObjectIdentifier;
use der::asn1::{AnyRef, BitStringRef};
use der::{Decode, Encode};
use spki::AlgorithmIdentifierRef;

use super::encode::{bits, octets, oid, seq, set_of, tlv, uint};
use super::name::Name;
use super::pem;
use super::x509::{signature_algorithm_der, signature_algorithm_from_oid};
use crate::crypto::{
    PublicKey, SignatureAlgorithm, Signer, ecdsa_der_to_fixed, ecdsa_fixed_to_der, oid_with_name,
};
use crate::error::Format;
use crate::error::FormatError;
use crate::{Error, Result};

const EXTENSION_REQUEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.14");
const SUBJECT_ALT_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.17");

/// A PKCS#10 certification request.
#[derive(Clone, PartialEq, Eq)]
pub struct CertificateRequest {
    der: Vec<u8>,
    info_der: Vec<u8>,
    subject: Name,
    public_key: PublicKey,
    email_addresses: Vec<String>,
    algorithm: ObjectIdentifier,
    signature: Vec<u8>,
}

#[derive(der::Sequence)]
struct RawRequest<'a> {
    info: AnyRef<'a>,
    algorithm: AlgorithmIdentifierRef<'a>,
    signature: BitStringRef<'a>,
}

impl CertificateRequest {
    /// Builds and signs a request for `subject` with `signer`'s key, asking for `email` as a
    /// subject alternative name when given.
    ///
    /// Fails with [`Error::InvalidArgument`] for an e-mail address that is not ASCII or has
    /// no `@`, or an empty subject.
    pub fn new(signer: &dyn Signer, subject: &Name, email: Option<&str>) -> Result<Self> {
        if subject.is_empty() {
            return Err(Error::invalid_argument(
                "subject",
                "the subject name is empty",
            ));
        }
        let attributes = match email {
            None => Vec::new(),
            Some(email) => {
                if !email.is_ascii() || !email.contains('@') || email.len() > 255 {
                    return Err(Error::invalid_argument(
                        "email",
                        format!("`{email}` is not an ASCII e-mail address"),
                    ));
                }
                // GeneralNames ::= SEQUENCE OF GeneralName; rfc822Name [1] IMPLICIT IA5String.
                let san = seq(&[&tlv(0x81, email.as_bytes())]);
                let extension = seq(&[&oid(&SUBJECT_ALT_NAME), &octets(&san)]);
                let extensions = seq(&[&extension]);
                vec![seq(&[&oid(&EXTENSION_REQUEST), &set_of(&[&extensions])])]
            }
        };
        let refs: Vec<&[u8]> = attributes.iter().map(Vec::as_slice).collect();
        let info = seq(&[
            &uint(0),
            subject.to_der(),
            signer.public_key().spki_der(),
            &tlv(0xa0, &refs.concat()),
        ]);
        let algorithm = SignatureAlgorithm::default_for(signer.key_kind());
        let mut signature = signer.sign(algorithm, &info)?;
        if let SignatureAlgorithm::Ecdsa(_) = algorithm {
            signature = ecdsa_fixed_to_der(&signature)?;
        }
        let der = seq(&[
            &info,
            &signature_algorithm_der(algorithm),
            &bits(&signature),
        ]);
        let request = Self::from_der(&der)?;
        request.verify_signature()?;
        Ok(request)
    }

    /// Parses a DER request.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        let malformed = |e: String| Error::malformed(Format::Der, "certification request", e);
        let raw = RawRequest::from_der(der).map_err(|e| malformed(e.to_string()))?;
        let req =
            x509_cert::request::CertReq::from_der(der).map_err(|e| malformed(e.to_string()))?;
        let subject = Name::from_x509(&req.info.subject)?;
        let spki = req
            .info
            .public_key
            .to_der()
            .map_err(|e| malformed(e.to_string()))?;
        let public_key = PublicKey::from_spki_der(&spki)?;
        let mut email_addresses = Vec::new();
        for attr in req.info.attributes.iter() {
            if attr.oid != EXTENSION_REQUEST {
                continue;
            }
            for value in attr.values.iter() {
                let exts: Vec<x509_cert::ext::Extension> = value
                    .decode_as()
                    .map_err(|e: der::Error| malformed(e.to_string()))?;
                for ext in exts.iter().filter(|e| e.extn_id == SUBJECT_ALT_NAME) {
                    let san =
                        x509_cert::ext::pkix::SubjectAltName::from_der(ext.extn_value.as_bytes())
                            .map_err(|e| malformed(e.to_string()))?;
                    for name in san.0 {
                        if let x509_cert::ext::pkix::name::GeneralName::Rfc822Name(s) = name {
                            email_addresses.push(s.to_string());
                        }
                    }
                }
            }
        }
        Ok(CertificateRequest {
            der: der.to_vec(),
            info_der: raw.info.to_der().map_err(|e| malformed(e.to_string()))?,
            subject,
            public_key,
            email_addresses,
            algorithm: raw.algorithm.oid,
            signature: raw
                .signature
                .as_bytes()
                .ok_or_else(|| malformed("signature has unused bits".into()))?
                .to_vec(),
        })
    }

    /// Parses the first `CERTIFICATE REQUEST` block of PEM text.
    pub fn from_pem(text: &[u8]) -> Result<Self> {
        let blocks = pem::decode_all(text, "certification request")?;
        let block = blocks
            .iter()
            .find(|b| b.label == "CERTIFICATE REQUEST" || b.label == "NEW CERTIFICATE REQUEST")
            .ok_or_else(|| {
                Error::malformed(
                    Format::Pem,
                    "certification request",
                    "no CERTIFICATE REQUEST block",
                )
            })?;
        Self::from_der(&block.der)
    }

    /// The DER encoding.
    pub fn to_der(&self) -> &[u8] {
        &self.der
    }

    /// The PEM encoding (`CERTIFICATE REQUEST`).
    pub fn to_pem(&self) -> String {
        pem::encode("CERTIFICATE REQUEST", &self.der)
    }

    /// The requested subject.
    pub fn subject(&self) -> &Name {
        &self.subject
    }

    /// The requester's public key.
    pub fn public_key(&self) -> &PublicKey {
        &self.public_key
    }

    /// E-mail addresses requested as subject alternative names.
    pub fn email_addresses(&self) -> &[String] {
        &self.email_addresses
    }

    /// Checks the request's self-signature (proof of possession of the key).
    pub fn verify_signature(&self) -> Result<()> {
        let algorithm = signature_algorithm_from_oid(&self.algorithm).ok_or_else(|| {
            Error::Format(FormatError::Unsupported {
                what: "certification request signature algorithm",
                name: oid_with_name(&self.algorithm),
            })
        })?;
        let signature = match algorithm {
            SignatureAlgorithm::Ecdsa(_) => {
                ecdsa_der_to_fixed(self.public_key.kind(), &self.signature)?
            }
            _ => self.signature.clone(),
        };
        self.public_key
            .verify(algorithm, &self.info_der, &signature)
    }
}

impl std::fmt::Debug for CertificateRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CertificateRequest")
            .field("subject", &self.subject.to_rfc4514())
            .field("key", &self.public_key.kind())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;
    use crate::crypto::{KeyKind, KeySpec, PrivateKey};

    fn subject() -> Name {
        Name::builder()
            .country("PL")
            .surname("Nowak")
            .given_name("Anna")
            .serial_number("PNOPL-02271409867")
            .common_name("Anna Nowak")
            .build()
            .expect("name")
    }

    #[test]
    fn requests_round_trip_and_verify() {
        for spec in [KeySpec::EcP256, KeySpec::Rsa2048] {
            let key = PrivateKey::generate(spec).expect("key");
            for email in [None, Some("anna.nowak@example.com")] {
                let req = CertificateRequest::new(&key, &subject(), email).expect("csr");
                let back = CertificateRequest::from_pem(req.to_pem().as_bytes()).expect("pem");
                assert_eq!(back, req);
                assert_eq!(back.subject(), &subject());
                assert_eq!(back.public_key(), key.public_key());
                assert_eq!(back.email_addresses(), email.as_slice());
                back.verify_signature().expect("verify");
                // Altering the request breaks its signature.
                let mut der = req.to_der().to_vec();
                let i = der.len() / 3;
                der[i] ^= 0x01;
                if let Ok(bad) = CertificateRequest::from_der(&der) {
                    assert!(bad.verify_signature().is_err());
                }
            }
        }
        let key = PrivateKey::generate(KeySpec::EcP256).expect("key");
        assert_eq!(key.kind(), KeyKind::EcP256);
        let err =
            CertificateRequest::new(&key, &subject(), Some("not-an-address")).expect_err("email");
        assert_eq!(err.code(), ErrorCode::InvalidArgument);
        let err =
            CertificateRequest::new(&key, &subject(), Some("żółw@example.com")).expect_err("ascii");
        assert_eq!(err.code(), ErrorCode::InvalidArgument);
        let err = CertificateRequest::from_der(b"\x30\x03\x02\x01\x00").expect_err("garbage");
        assert_eq!(err.code(), ErrorCode::DerMalformed);
    }
}
