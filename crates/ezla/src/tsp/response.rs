//! `TimeStampResp` (RFC 3161 §2.4.2): the TSA's status, and the token checked against the
//! request it answers.

use der::{Decode, Encode};

use super::asn1::{TimeStampRespAsn, der_error, malformed};
use super::request::TimeStampRequest;
use super::token::{Stamped, TimeStamp, TokenOptions, verify_token};
use crate::error::{Error, Result, SignatureError};

/// `PKIStatus` (RFC 3161 §2.4.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PkiStatus {
    /// `granted` (0): the token is there.
    Granted,
    /// `grantedWithMods` (1): the token is there, the TSA changed something.
    GrantedWithMods,
    /// `rejection` (2).
    Rejection,
    /// `waiting` (3): not yet (no TSA ezla knows of does this).
    Waiting,
    /// `revocationWarning` (4).
    RevocationWarning,
    /// `revocationNotification` (5).
    RevocationNotification,
    /// Another number.
    Other(i64),
}

impl PkiStatus {
    fn from_number(n: i64) -> Self {
        match n {
            0 => PkiStatus::Granted,
            1 => PkiStatus::GrantedWithMods,
            2 => PkiStatus::Rejection,
            3 => PkiStatus::Waiting,
            4 => PkiStatus::RevocationWarning,
            5 => PkiStatus::RevocationNotification,
            n => PkiStatus::Other(n),
        }
    }

    /// The number on the wire.
    pub fn number(self) -> i64 {
        match self {
            PkiStatus::Granted => 0,
            PkiStatus::GrantedWithMods => 1,
            PkiStatus::Rejection => 2,
            PkiStatus::Waiting => 3,
            PkiStatus::RevocationWarning => 4,
            PkiStatus::RevocationNotification => 5,
            PkiStatus::Other(n) => n,
        }
    }

    /// The RFC's name (`granted`, `rejection`, ...), or the number.
    pub fn name(self) -> String {
        match self {
            PkiStatus::Granted => "granted".into(),
            PkiStatus::GrantedWithMods => "grantedWithMods".into(),
            PkiStatus::Rejection => "rejection".into(),
            PkiStatus::Waiting => "waiting".into(),
            PkiStatus::RevocationWarning => "revocationWarning".into(),
            PkiStatus::RevocationNotification => "revocationNotification".into(),
            PkiStatus::Other(n) => n.to_string(),
        }
    }

    /// Whether a token comes with this status.
    pub fn is_granted(self) -> bool {
        matches!(self, PkiStatus::Granted | PkiStatus::GrantedWithMods)
    }
}

/// The `PKIFailureInfo` bits by number (RFC 3161 §2.4.2).
pub(crate) const FAILURES: &[(usize, &str)] = &[
    (0, "badAlg"),
    (2, "badRequest"),
    (5, "badDataFormat"),
    (14, "timeNotAvailable"),
    (15, "unacceptedPolicy"),
    (16, "unacceptedExtension"),
    (17, "addInfoNotAvailable"),
    (25, "systemFailure"),
];

/// A parsed `TimeStampResp`, the token not yet checked.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TimeStampResponse {
    /// The status.
    pub status: PkiStatus,
    /// The failure bits set, by name (`badAlg`, `badRequest`, ...; `bit N` for others).
    pub fail_info: Vec<String>,
    /// The `statusString` texts.
    pub text: Vec<String>,
    /// The `TimeStampToken` (a DER `ContentInfo`), when there is one.
    pub token: Option<Vec<u8>>,
}

/// Reads a DER `TimeStampResp`, without judging it.
///
/// Errors: [`crate::ErrorCode::DerMalformed`] for anything else.
pub fn parse_response(der: &[u8]) -> Result<TimeStampResponse> {
    let resp = TimeStampRespAsn::from_der(der).map_err(|e| der_error("TimeStampResp", e))?;
    let status = PkiStatus::from_number(resp.status.status);
    let mut fail_info = Vec::new();
    if let Some(bits) = &resp.status.fail_info {
        for (i, byte) in bits.raw_bytes().iter().enumerate() {
            for b in 0..8 {
                if byte & (0x80 >> b) != 0 {
                    let n = i * 8 + b;
                    match FAILURES.iter().find(|(k, _)| *k == n) {
                        Some((_, name)) => fail_info.push((*name).to_string()),
                        None => fail_info.push(format!("bit {n}")),
                    }
                }
            }
        }
    }
    let token = match &resp.time_stamp_token {
        Some(t) => Some(t.to_der().map_err(|e| der_error("TimeStampToken", e))?),
        None => None,
    };
    Ok(TimeStampResponse {
        status,
        fail_info,
        text: resp.status.status_string.clone().unwrap_or_default(),
        token,
    })
}

/// Checks the DER `TimeStampResp` answering `request`: a granted status, then the token
/// verified ([`verify_token`]) for the request's imprint, nonce and policy (the request's
/// policy, or `options.policy`). Returns the token (DER) and what it proves.
///
/// Errors: [`crate::ErrorCode::TimestampRejected`] for any other status (with the failure
/// bits and the TSA's text); [`crate::ErrorCode::SignatureMalformed`] for a granted status
/// without a token; [`crate::ErrorCode::DerMalformed`]; and the errors of [`verify_token`].
pub fn check_response(
    der: &[u8],
    request: &TimeStampRequest,
    options: &TokenOptions,
) -> Result<(Vec<u8>, TimeStamp)> {
    let response = parse_response(der)?;
    if !response.status.is_granted() {
        return Err(Error::Signature(SignatureError::TimestampRejected {
            status: response.status.name(),
            fail_info: response.fail_info,
            text: response.text.join("; "),
        }));
    }
    let token = response
        .token
        .ok_or_else(|| malformed("the TSA granted the request but sent no token"))?;
    let mut options = options.clone();
    // The request decides: its nonce must come back (a replayed older response has
    // another one).
    options.nonce = request.nonce.clone();
    if let Some(p) = request.policy {
        options.policy = Some(p);
    }
    let stamp = verify_token(
        &token,
        Stamped::Digest(request.digest, &request.imprint),
        &options,
    )?;
    Ok((token, stamp))
}
