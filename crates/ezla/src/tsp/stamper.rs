//! [`TimeStamper`]: whatever gets a token for a hash — a remote TSA ([`super::TsaClient`]) or
//! a local one ([`super::TimeStampAuthority`], for tests and the simulator).

use time::OffsetDateTime;

use super::authority::TimeStampAuthority;
use super::client::TsaClient;
use super::request::TimeStampRequest;
use crate::crypto::DigestAlgorithm;
use crate::error::Result;
use crate::transport::Transport;

/// Gets a time-stamp token (a DER `ContentInfo`) for a hash, checked against the request
/// before it is returned. XAdES-T and CAdES-T ([`crate::xades::add_timestamp`],
/// [`super::cades::add_timestamp`]) take one.
pub trait TimeStamper: Send + Sync {
    /// The hash algorithm the stamper wants the imprint made with.
    fn digest(&self) -> DigestAlgorithm {
        DigestAlgorithm::Sha256
    }

    /// A token for `hash`, made with `digest`.
    fn time_stamp(&self, digest: DigestAlgorithm, hash: &[u8]) -> Result<Vec<u8>>;
}

impl<T: Transport> TimeStamper for TsaClient<T> {
    fn digest(&self) -> DigestAlgorithm {
        self.digest_algorithm()
    }

    fn time_stamp(&self, digest: DigestAlgorithm, hash: &[u8]) -> Result<Vec<u8>> {
        self.stamp_digest(digest, hash).map(|(token, _)| token)
    }
}

impl TimeStamper for TimeStampAuthority {
    /// Stamps at the current time, `certReq` set, with a fresh nonce.
    fn time_stamp(&self, digest: DigestAlgorithm, hash: &[u8]) -> Result<Vec<u8>> {
        let request = TimeStampRequest::new(digest, hash.to_vec())?;
        self.stamp(&request, OffsetDateTime::now_utc())
    }
}
