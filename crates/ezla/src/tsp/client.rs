//! Asking a TSA for a time-stamp over HTTP (RFC 3161 §3.4), through [`crate::transport`].

use const_oid::ObjectIdentifier;

use super::request::TimeStampRequest;
use super::response::check_response;
use super::token::{TimeStamp, TokenOptions};
use super::{QUERY_MEDIA_TYPE, REPLY_MEDIA_TYPE};
use crate::crypto::DigestAlgorithm;
use crate::error::{Error, Result, TransportError};
use crate::transport::{Request, Transport};

/// A client of one time-stamping authority: each call sends a fresh request (a new nonce)
/// as `POST application/timestamp-query` and checks the answer with [`check_response`].
#[derive(Debug)]
pub struct TsaClient<T: Transport> {
    url: String,
    transport: T,
    digest: DigestAlgorithm,
    policy: Option<ObjectIdentifier>,
    options: TokenOptions,
}

impl<T: Transport> TsaClient<T> {
    /// A client of the TSA at `url` (HTTP or HTTPS, as the transport allows), hashing with
    /// SHA-256, asking for the TSA's default policy, trusting the TSA certificate the token
    /// carries (set anchors with [`TsaClient::with_options`]).
    pub fn new(url: impl Into<String>, transport: T) -> Self {
        TsaClient {
            url: url.into(),
            transport,
            digest: DigestAlgorithm::Sha256,
            policy: None,
            options: TokenOptions::default(),
        }
    }

    /// Hashes the data with `digest` (SHA-256, SHA-384 or SHA-512).
    pub fn with_digest(mut self, digest: DigestAlgorithm) -> Self {
        self.digest = digest;
        self
    }

    /// Asks for the TSA policy `policy` (and requires it in the token).
    pub fn with_policy(mut self, policy: ObjectIdentifier) -> Self {
        self.policy = Some(policy);
        self
    }

    /// Checks tokens with `options` (trust anchors for the TSA, extra certificates).
    pub fn with_options(mut self, options: TokenOptions) -> Self {
        self.options = options;
        self
    }

    /// The TSA's URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The hash algorithm of the imprints it asks for.
    pub fn digest_algorithm(&self) -> DigestAlgorithm {
        self.digest
    }

    /// Time-stamps `data` (only its hash leaves the machine). Returns the token (DER) and
    /// what it proves.
    ///
    /// Errors: those of [`TsaClient::stamp_digest`].
    pub fn stamp(&self, data: &[u8]) -> Result<(Vec<u8>, TimeStamp)> {
        self.stamp_digest(self.digest, &self.digest.digest(data))
    }

    /// Time-stamps a hash of the data made with `digest`.
    ///
    /// Errors: the transport's (including [`crate::ErrorCode::HttpStatus`] for an answer
    /// other than 200), and those of [`check_response`]: the TSA's refusal as
    /// [`crate::ErrorCode::TimestampRejected`], a token that does not fit the request as
    /// [`crate::ErrorCode::TimestampMismatch`], and so on.
    pub fn stamp_digest(
        &self,
        digest: DigestAlgorithm,
        hash: &[u8],
    ) -> Result<(Vec<u8>, TimeStamp)> {
        let mut request = TimeStampRequest::new(digest, hash.to_vec())?;
        request.policy = self.policy;
        let http = Request::post(&self.url, QUERY_MEDIA_TYPE, request.to_der())
            .with_header("Accept", REPLY_MEDIA_TYPE);
        let response = self.transport.post(&http)?;
        if response.status != 200 {
            return Err(Error::Transport(TransportError::HttpStatus {
                url: self.url.clone(),
                status: response.status,
                body_start: String::from_utf8_lossy(
                    &response.body[..response.body.len().min(crate::error::BODY_START_LEN)],
                )
                .into_owned(),
            }));
        }
        check_response(&response.body, &request, &self.options)
    }
}
