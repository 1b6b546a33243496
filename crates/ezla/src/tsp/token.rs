//! `TimeStampToken` (RFC 3161 §2.4.2): a CMS `SignedData` over a `TSTInfo`, checked before
//! a word of the `TSTInfo` is believed.

use std::sync::Arc;

use const_oid::ObjectIdentifier;
use const_oid::db::rfc3161;
use der::{Decode, Encode};
use time::OffsetDateTime;
use x509_cert::ext::pkix::name::GeneralName;

use super::TIME_STAMPING;
use super::asn1::{TstInfoAsn, der_error, generalized_time, imprint_digest, malformed, unsigned};
use crate::crypto::DigestAlgorithm;
use crate::error::{Error, Result, SignatureError};
use crate::pki::{Certificate, CertificateValidator, KeyUsage};

/// What a time-stamp token stamps: the data itself (hashed here with the token's own
/// imprint algorithm) or a digest of it.
#[derive(Clone, Copy, Debug)]
pub enum Stamped<'a> {
    /// The data.
    Data(&'a [u8]),
    /// Its hash with the given algorithm.
    Digest(DigestAlgorithm, &'a [u8]),
}

/// What [`verify_token`] checks beyond the token itself.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct TokenOptions {
    /// Trust anchors (or another validator) for the TSA certificate; `None` (default): the
    /// token is checked with the certificate it carries, and the result says `untrusted`.
    pub trust: Option<Arc<dyn CertificateValidator>>,
    /// The nonce the token must carry; `None`: not checked.
    pub nonce: Option<Vec<u8>>,
    /// The TSA policy the token must name; `None`: any.
    pub policy: Option<ObjectIdentifier>,
    /// TSA certificates to look for the signer in besides those the token carries (a TSA
    /// asked without `certReq` sends none).
    pub certificates: Vec<Certificate>,
}

impl TokenOptions {
    /// With trust anchors for the TSA.
    pub fn with_trust(mut self, validator: Arc<dyn CertificateValidator>) -> Self {
        self.trust = Some(validator);
        self
    }
}

/// What a verified time-stamp token proves.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct TimeStamp {
    /// When the TSA stamped (`genTime`).
    pub time: OffsetDateTime,
    /// How far `time` may be off (`accuracy`), when the TSA says.
    pub accuracy: Option<time::Duration>,
    /// The TSA policy under which it stamped.
    pub policy: ObjectIdentifier,
    /// The token's serial number, in hexadecimal.
    pub serial: String,
    /// The hash algorithm of the imprint.
    pub digest: DigestAlgorithm,
    /// The imprint: the hash of what was stamped.
    pub imprint: Vec<u8>,
    /// The nonce, when the token carries one.
    pub nonce: Option<Vec<u8>>,
    /// The TSA's certificate, the one whose key signed the token.
    pub tsa: Certificate,
    /// `chain` (validated against the caller's anchors at `time`) or `untrusted`.
    pub trust: &'static str,
}

/// Verifies a DER time-stamp token for `stamped` (see the module docs for what is checked,
/// in order: the CMS signature and its ESS binding, the TSA certificate, the `TSTInfo`
/// against `stamped` and `options`, the trust at the stamped time).
///
/// Errors: [`crate::ErrorCode::DerMalformed`] for what is not a token;
/// [`crate::ErrorCode::SignatureMalformed`] for a token without the ESS binding or of
/// another version; [`crate::ErrorCode::TsaCertificateInvalid`] for a certificate that
/// is not a time-stamping one or was not valid when it stamped;
/// [`crate::ErrorCode::TimestampMismatch`] for another imprint, nonce, policy or TSA name;
/// [`crate::ErrorCode::Unsupported`] for a SHA-1 imprint; the errors of
/// [`crate::cms::verify`] for the signature and of the validator for the trust.
pub fn verify_token(
    token: &[u8],
    stamped: Stamped<'_>,
    options: &TokenOptions,
) -> Result<TimeStamp> {
    let checked = crate::cms::check_signed_data_with(
        token,
        None,
        &rfc3161::ID_CT_TST_INFO,
        &options.certificates,
    )?;
    let report = checked.report;
    if !report.ess_binding {
        return Err(malformed(
            "the time-stamp token does not bind its certificate (no ESS signing-certificate attribute)",
        ));
    }
    let tsa = report.signer;
    check_tsa_certificate(&tsa)?;

    let info = TstInfoAsn::from_der(&report.content).map_err(|e| der_error("TSTInfo", e))?;
    if info.version != 1 {
        return Err(malformed(format!(
            "TSTInfo version {} (1 expected)",
            info.version
        )));
    }
    let digest = imprint_digest(&info.message_imprint.hash_algorithm)?;
    let imprint = info.message_imprint.hashed_message.as_bytes();
    let mismatch = |detail: String| Error::Signature(SignatureError::TimestampMismatch { detail });
    let expected = match stamped {
        Stamped::Data(data) => digest.digest(data),
        Stamped::Digest(d, bytes) => {
            if d != digest {
                return Err(mismatch(format!(
                    "the token stamps a {} hash, a {} one was expected",
                    digest.name(),
                    d.name()
                )));
            }
            bytes.to_vec()
        }
    };
    if imprint != expected.as_slice() {
        return Err(mismatch(
            "the token stamps other data (its message imprint differs)".into(),
        ));
    }
    let nonce = match &info.nonce {
        Some(n) => Some(unsigned(n).ok_or_else(|| der_error("TSTInfo", "a negative nonce"))?),
        None => None,
    };
    if let Some(want) = &options.nonce {
        match &nonce {
            Some(got) if strip(got) == strip(want) => {}
            Some(_) => return Err(mismatch("the token's nonce is not the request's".into())),
            None => {
                return Err(mismatch(
                    "the token carries no nonce, the request had one".into(),
                ));
            }
        }
    }
    if let Some(policy) = options.policy
        && info.policy != policy
    {
        return Err(mismatch(format!(
            "the token's policy is {}, {policy} was asked for",
            info.policy
        )));
    }
    if let Some(name) = &info.tsa {
        check_tsa_name(name, &tsa).map_err(mismatch)?;
    }
    let time = generalized_time(&info.gen_time)?;
    if !(tsa.not_before() <= time && time <= tsa.not_after()) {
        return Err(Error::Signature(SignatureError::TsaCertificateInvalid {
            subject: tsa.subject().to_rfc4514(),
            detail: format!(
                "it was not valid when it stamped ({time}; valid {} to {})",
                tsa.not_before(),
                tsa.not_after()
            ),
        }));
    }
    let accuracy = info.accuracy.as_ref().map(|a| {
        time::Duration::seconds(i64::from(a.seconds.unwrap_or(0)))
            + time::Duration::milliseconds(i64::from(a.millis.unwrap_or(0)))
            + time::Duration::microseconds(i64::from(a.micros.unwrap_or(0)))
    });
    let trust = match &options.trust {
        Some(validator) => {
            validator.validate(&tsa, &checked.others, time)?;
            "chain"
        }
        None => "untrusted",
    };
    let serial = crate::crypto::hex::lower(info.serial_number.as_bytes());
    Ok(TimeStamp {
        time,
        accuracy,
        policy: info.policy,
        serial,
        digest,
        imprint: imprint.to_vec(),
        nonce,
        tsa,
        trust,
    })
}

fn strip(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    &bytes[start..]
}

/// RFC 3161 §2.3: the TSA certificate has exactly one extended key usage, `timeStamping`,
/// in a critical extension; a key usage, when present, allows signatures.
pub(crate) fn check_tsa_certificate(cert: &Certificate) -> Result<()> {
    let invalid = |detail: String| {
        Error::Signature(SignatureError::TsaCertificateInvalid {
            subject: cert.subject().to_rfc4514(),
            detail,
        })
    };
    let eku_oid = const_oid::db::rfc5280::ID_CE_EXT_KEY_USAGE;
    let critical = cert
        .extensions()
        .iter()
        .find(|e| e.oid == eku_oid)
        .map(|e| e.critical);
    match (cert.extended_key_usage(), critical) {
        (None, _) | (_, None) => {
            return Err(invalid(
                "it has no extended key usage (timeStamping is required)".into(),
            ));
        }
        (Some(purposes), Some(critical)) => {
            if purposes.len() != 1 || purposes[0].0 != TIME_STAMPING {
                let names: Vec<String> = purposes.iter().map(ToString::to_string).collect();
                return Err(invalid(format!(
                    "its extended key usage is {}, not timeStamping alone",
                    names.join(", ")
                )));
            }
            if !critical {
                return Err(invalid(
                    "its extended key usage timeStamping is not marked critical".into(),
                ));
            }
        }
    }
    if let Some(usage) = cert.key_usage()
        && !usage.contains(KeyUsage::DIGITAL_SIGNATURE)
        && !usage.contains(KeyUsage::NON_REPUDIATION)
    {
        return Err(invalid(
            "its key usage allows neither digitalSignature nor nonRepudiation".into(),
        ));
    }
    Ok(())
}

/// The `tsa` field names the TSA (RFC 3161 §2.4.2: "one of the subject names included in
/// the certificate"): its subject, or one of its DNS or e-mail alternative names.
fn check_tsa_name(name: &GeneralName, cert: &Certificate) -> std::result::Result<(), String> {
    let ok = match name {
        GeneralName::DirectoryName(n) => {
            n.to_der().ok().as_deref() == Some(cert.subject().to_der())
        }
        GeneralName::DnsName(d) => cert
            .dns_names()
            .iter()
            .any(|n| n.eq_ignore_ascii_case(d.as_str())),
        GeneralName::Rfc822Name(e) => cert
            .email_addresses()
            .iter()
            .any(|n| n.eq_ignore_ascii_case(e.as_str())),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err("the token's tsa name is not its certificate's".into())
    }
}
