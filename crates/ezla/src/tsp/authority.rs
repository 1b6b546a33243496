//! The TSA's side (RFC 3161 §2.4.2): answering `TimeStampReq`s with tokens signed by a
//! time-stamping certificate. For the simulator (`ezla-sim`'s `/tsa`) and tests; a real
//! TSA also needs an audited clock and key custody, which this does not pretend to be.

use std::sync::Arc;

use const_oid::ObjectIdentifier;
use const_oid::db::rfc3161;
use time::OffsetDateTime;

use super::asn1::generalized_time_der;
use super::request::TimeStampRequest;
use super::response::FAILURES;
use super::token::check_tsa_certificate;
use crate::cms::{Shape, SignOptions, sign_typed};
use crate::crypto::{DigestAlgorithm, Signer};
use crate::error::{Error, ErrorCode, KeyError, Result};
use crate::pki::Certificate;
use crate::pki::encode::{explicit, octets, oid, seq, tlv, uint, uint_bytes};

/// A time-stamping authority: a signer, its time-stamping certificate and the policy it
/// stamps under.
#[derive(Clone)]
pub struct TimeStampAuthority {
    signer: Arc<dyn Signer>,
    certificate: Certificate,
    policy: ObjectIdentifier,
}

impl std::fmt::Debug for TimeStampAuthority {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TimeStampAuthority")
            .field("certificate", &self.certificate.subject().to_rfc4514())
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl TimeStampAuthority {
    /// A TSA signing with `signer`, whose certificate `certificate` must be a time-stamping
    /// one (RFC 3161 §2.3), under `policy`.
    ///
    /// Errors: [`crate::ErrorCode::TsaCertificateInvalid`] for another kind of
    /// certificate, [`crate::ErrorCode::KeyCertificateMismatch`] when it is not the
    /// signer's.
    pub fn new(
        signer: Arc<dyn Signer>,
        certificate: Certificate,
        policy: ObjectIdentifier,
    ) -> Result<Self> {
        check_tsa_certificate(&certificate)?;
        if signer.public_key() != certificate.public_key() {
            return Err(Error::Key(KeyError::CertificateMismatch {
                subject: certificate.subject().to_rfc4514(),
            }));
        }
        Ok(TimeStampAuthority {
            signer,
            certificate,
            policy,
        })
    }

    /// The TSA's certificate.
    pub fn certificate(&self) -> &Certificate {
        &self.certificate
    }

    /// The policy it stamps under.
    pub fn policy(&self) -> ObjectIdentifier {
        self.policy
    }

    /// Answers the DER `TimeStampReq` `request` at `now` with a DER `TimeStampResp`: a
    /// token, or a rejection whose failure bit says why (`badDataFormat` for what is not a
    /// request, `badAlg` for an imprint hash other than SHA-256/384/512,
    /// `unacceptedPolicy`, `unacceptedExtension`, `systemFailure` when signing fails).
    pub fn respond(&self, request: &[u8], now: OffsetDateTime) -> Vec<u8> {
        let parsed = match TimeStampRequest::from_der(request) {
            Ok(r) => r,
            Err(e) => {
                let failure = match e.code() {
                    ErrorCode::Unsupported if e.to_string().contains("extension") => {
                        "unacceptedExtension"
                    }
                    ErrorCode::Unsupported => "badAlg",
                    _ => "badDataFormat",
                };
                return rejection(failure, &e.to_string());
            }
        };
        if let Some(p) = parsed.policy
            && p != self.policy
        {
            return rejection(
                "unacceptedPolicy",
                &format!("policy {p} is not this TSA's ({})", self.policy),
            );
        }
        match self.stamp(&parsed, now) {
            Ok(token) => seq(&[&seq(&[&uint(0)]), &token]),
            Err(e) => rejection("systemFailure", &e.to_string()),
        }
    }

    /// The token (a DER `ContentInfo`) for `request` at `now`: a `TSTInfo` with the
    /// request's imprint and nonce, a random 127-bit serial number, `genTime` to the
    /// millisecond, an accuracy of one second and the TSA's name; signed with the ESS
    /// `signing-certificate-v2` binding, the certificate carried when `certReq` asked.
    ///
    /// Errors: the signer's.
    pub fn stamp(&self, request: &TimeStampRequest, now: OffsetDateTime) -> Result<Vec<u8>> {
        let mut serial = [0u8; 16];
        crate::crypto::random_bytes(&mut serial)?;
        serial[0] &= 0x7f;
        let imprint = seq(&[
            &seq(&[&oid(&request.digest.oid())]),
            &octets(&request.imprint),
        ]);
        let accuracy = seq(&[&uint(1)]);
        let name = explicit(0, &tlv(0xa4, self.certificate.subject().to_der()));
        let mut parts: Vec<Vec<u8>> = vec![
            uint(1),
            oid(&self.policy),
            imprint,
            uint_bytes(&serial),
            generalized_time_der(now),
            accuracy,
        ];
        if let Some(n) = &request.nonce {
            parts.push(uint_bytes(n));
        }
        parts.push(name);
        let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        let tst_info = seq(&refs);
        let shape = Shape {
            content_type: rfc3161::ID_CT_TST_INFO,
            certificates: request.cert_req,
        };
        let mut options = SignOptions {
            digest: DigestAlgorithm::Sha256,
            ..SignOptions::default()
        };
        options.signing_time = Some(now);
        sign_typed(
            &tst_info,
            &shape,
            self.signer.as_ref(),
            &self.certificate,
            &options,
        )
    }
}

/// A DER `TimeStampResp` refusing a request: status `rejection`, the `failure` bit (one of
/// RFC 3161's names: `badAlg`, `badRequest`, `badDataFormat`, `timeNotAvailable`,
/// `unacceptedPolicy`, `unacceptedExtension`, `addInfoNotAvailable`, `systemFailure`;
/// another name sets no bit) and `text`.
pub fn rejection(failure: &str, text: &str) -> Vec<u8> {
    let mut parts = vec![uint(2), seq(&[&tlv(0x0c, text.as_bytes())])];
    if let Some((bit, _)) = FAILURES.iter().find(|(_, n)| *n == failure) {
        // A named BIT STRING in DER: up to the last set bit, the rest counted as unused.
        let mut bytes = vec![0u8; bit / 8 + 1];
        bytes[bit / 8] = 0x80 >> (bit % 8);
        let mut body = vec![(7 - bit % 8) as u8];
        body.extend_from_slice(&bytes);
        parts.push(tlv(0x03, &body));
    }
    let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
    seq(&[&seq(&refs)])
}

#[cfg(test)]
impl TimeStampAuthority {
    /// A TSA whose certificate is not checked: for tests of what a verifier does with a
    /// token signed by a certificate that is not a TSA's.
    pub(crate) fn unchecked(
        signer: Arc<dyn Signer>,
        certificate: Certificate,
        policy: ObjectIdentifier,
    ) -> Self {
        TimeStampAuthority {
            signer,
            certificate,
            policy,
        }
    }
}
