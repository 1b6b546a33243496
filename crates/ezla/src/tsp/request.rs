//! `TimeStampReq` (RFC 3161 §2.4.1): what is sent to a TSA.

use const_oid::ObjectIdentifier;
use der::Decode;

use super::asn1::{TimeStampReqAsn, der_error, imprint_digest, unsigned};
use crate::crypto::DigestAlgorithm;
use crate::error::{Error, Result};
use crate::pki::encode::{TRUE, octets, oid, seq, uint, uint_bytes};

/// A time-stamp request: the message imprint (the hash of what is stamped, never the data
/// itself), a nonce, optionally the TSA policy, and whether the TSA's certificate should be
/// put into the token.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TimeStampRequest {
    /// The hash algorithm of the imprint: SHA-256, SHA-384 or SHA-512.
    pub digest: DigestAlgorithm,
    /// The hash of the data to stamp.
    pub imprint: Vec<u8>,
    /// The TSA policy asked for (`reqPolicy`); `None`: the TSA's default.
    pub policy: Option<ObjectIdentifier>,
    /// The nonce (a positive integer, big-endian, without leading zeros), which the token
    /// must repeat; `None`: no nonce (not recommended: a replayed old response would pass).
    pub nonce: Option<Vec<u8>>,
    /// Ask the TSA to put its certificate into the token (`certReq`), default `true`.
    pub cert_req: bool,
}

impl TimeStampRequest {
    /// A request for `imprint`, the `digest` hash of the data, with a random 64-bit nonce
    /// and `certReq` set.
    ///
    /// Errors: [`crate::ErrorCode::Unsupported`] for a digest other than SHA-256/384/512,
    /// [`crate::ErrorCode::InvalidArgument`] when `imprint` is not of that hash's length.
    pub fn new(digest: DigestAlgorithm, imprint: Vec<u8>) -> Result<Self> {
        check_digest(digest)?;
        if imprint.len() != digest.output_len() {
            return Err(Error::invalid_argument(
                "imprint",
                format!(
                    "{} bytes, where a {} hash has {}",
                    imprint.len(),
                    digest.name(),
                    digest.output_len()
                ),
            ));
        }
        let mut nonce = [0u8; 8];
        crate::crypto::random_bytes(&mut nonce)?;
        // Positive and without a leading zero octet: the top bit cleared, the next one set.
        nonce[0] = (nonce[0] & 0x7f) | 0x40;
        Ok(TimeStampRequest {
            digest,
            imprint,
            policy: None,
            nonce: Some(nonce.to_vec()),
            cert_req: true,
        })
    }

    /// A request for `data`, hashed here with `digest`.
    ///
    /// Errors: as [`TimeStampRequest::new`].
    pub fn for_data(digest: DigestAlgorithm, data: &[u8]) -> Result<Self> {
        check_digest(digest)?;
        Self::new(digest, digest.digest(data))
    }

    /// Asks for the TSA policy `policy`.
    pub fn with_policy(mut self, policy: ObjectIdentifier) -> Self {
        self.policy = Some(policy);
        self
    }

    /// The DER `TimeStampReq`.
    pub fn to_der(&self) -> Vec<u8> {
        let imprint = seq(&[&seq(&[&oid(&self.digest.oid())]), &octets(&self.imprint)]);
        let mut parts: Vec<Vec<u8>> = vec![uint(1), imprint];
        if let Some(p) = &self.policy {
            parts.push(oid(p));
        }
        if let Some(n) = &self.nonce {
            parts.push(uint_bytes(n));
        }
        if self.cert_req {
            parts.push(TRUE.to_vec());
        }
        let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        seq(&refs)
    }

    /// Reads a DER `TimeStampReq` (the TSA's side).
    ///
    /// Errors: [`crate::ErrorCode::DerMalformed`] for anything that is not one, a version
    /// other than 1 or a negative nonce; [`crate::ErrorCode::Unsupported`] for an imprint
    /// hash other than SHA-256/384/512 or of the wrong length, or for request extensions
    /// (none is defined that ezla could honour).
    pub fn from_der(der: &[u8]) -> Result<Self> {
        let req = TimeStampReqAsn::from_der(der).map_err(|e| der_error("TimeStampReq", e))?;
        if req.version != 1 {
            return Err(der_error(
                "TimeStampReq",
                format!("version {} (1 expected)", req.version),
            ));
        }
        let digest = imprint_digest(&req.message_imprint.hash_algorithm)?;
        let imprint = req.message_imprint.hashed_message.as_bytes().to_vec();
        if imprint.len() != digest.output_len() {
            return Err(Error::unsupported(
                "time-stamp imprint",
                format!("{} bytes for {}", imprint.len(), digest.name()),
            ));
        }
        if req.extensions.is_some() {
            return Err(Error::unsupported(
                "time-stamp request extensions",
                "extensions are not accepted",
            ));
        }
        let nonce = match &req.nonce {
            Some(n) => {
                Some(unsigned(n).ok_or_else(|| der_error("TimeStampReq", "a negative nonce"))?)
            }
            None => None,
        };
        Ok(TimeStampRequest {
            digest,
            imprint,
            policy: req.req_policy,
            nonce,
            cert_req: req.cert_req.unwrap_or(false),
        })
    }
}

fn check_digest(digest: DigestAlgorithm) -> Result<()> {
    if matches!(
        digest,
        DigestAlgorithm::Sha256 | DigestAlgorithm::Sha384 | DigestAlgorithm::Sha512
    ) {
        Ok(())
    } else {
        Err(Error::unsupported(
            "time-stamp imprint hash",
            format!("{} (SHA-256, SHA-384 or SHA-512 expected)", digest.name()),
        ))
    }
}
