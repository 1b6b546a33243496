//! CAdES-T (ETSI EN 319 122-1 §5.3, RFC 3161 Appendix A): a time-stamp over the signature
//! value of a CAdES signature, in the `id-aa-signatureTimeStampToken` unsigned attribute.
//!
//! [`add_signature_timestamp`] puts a token into the signer's unsigned attributes without
//! touching a signed byte (the `SignedData` is re-framed around the same signed attributes
//! and signature); [`verify`] checks the signature and every such token, and judges the
//! signer's certificate at the earliest trusted stamped time, so that a signature made
//! while the certificate was valid still verifies after it has expired.

use const_oid::db::rfc3161;
use der::asn1::AnyRef;
use der::{Decode, Encode, Tagged};
use time::OffsetDateTime;

use super::asn1::{der_error, malformed};
use super::stamper::TimeStamper;
use super::token::{Stamped, TimeStamp, TokenOptions, verify_token};
use crate::cms::{self, Report, VerifyOptions};
use crate::error::{Error, Result, SignatureError};
use crate::pki::encode::{oid, seq, set_of, tlv};

/// A verified CAdES-T signature: the CMS report and the signature time-stamps.
#[derive(Debug)]
#[non_exhaustive]
pub struct Verified {
    /// What the CMS signature says (its certificate judged at [`Verified::judged_at`]).
    pub report: Report,
    /// The signature time-stamps that verified, in the order they appear.
    pub timestamps: Vec<TimeStamp>,
    /// The ones that did not, with their errors: a signature time-stamp that does not verify
    /// does not make the signature invalid (it is an unsigned attribute); it sets no instant.
    pub invalid_timestamps: Vec<Error>,
    /// The instant the signer's certificate was judged at: the caller's, else the
    /// earliest trusted time-stamp, else now (never the signing time the signer claims).
    pub judged_at: OffsetDateTime,
}

/// The parts of a DER `ContentInfo` holding one `SignerInfo`, borrowed.
struct Parts<'a> {
    content_type: AnyRef<'a>,
    before_signer_infos: Vec<AnyRef<'a>>,
    signer_info: Vec<AnyRef<'a>>,
}

fn any_children(value: &[u8]) -> Result<Vec<AnyRef<'_>>> {
    let mut reader = der::SliceReader::new(value).map_err(|e| der_error("CMS SignedData", e))?;
    let mut out = Vec::new();
    while !der::Reader::is_finished(&reader) {
        out.push(AnyRef::decode(&mut reader).map_err(|e| der_error("CMS SignedData", e))?);
    }
    Ok(out)
}

fn parts(der: &[u8]) -> Result<Parts<'_>> {
    let info = AnyRef::from_der(der).map_err(|e| der_error("CMS ContentInfo", e))?;
    let info_parts = any_children(info.value())?;
    let [content_type, explicit] = info_parts.as_slice() else {
        return Err(malformed("a ContentInfo has two fields"));
    };
    let inner = any_children(explicit.value())?;
    let [signed_data] = inner.as_slice() else {
        return Err(malformed("the ContentInfo's [0] holds one SignedData"));
    };
    let mut fields = any_children(signed_data.value())?;
    let signer_infos = fields
        .pop()
        .filter(|f| f.tag() == der::Tag::Set)
        .ok_or_else(|| malformed("SignedData without signerInfos"))?;
    let infos = any_children(signer_infos.value())?;
    let [signer_info] = infos.as_slice() else {
        return Err(Error::Signature(SignatureError::Ambiguous {
            count: infos.len(),
        }));
    };
    Ok(Parts {
        content_type: *content_type,
        before_signer_infos: fields,
        signer_info: any_children(signer_info.value())?,
    })
}

fn encoded(any: &AnyRef<'_>) -> Result<Vec<u8>> {
    any.to_der().map_err(|e| der_error("CMS SignedData", e))
}

/// The `signature` OCTET STRING's value of the `SignerInfo`: what a signature time-stamp
/// stamps (RFC 3161 Appendix A).
fn signature_value<'a>(signer_info: &[AnyRef<'a>]) -> Result<&'a [u8]> {
    signer_info
        .iter()
        .rev()
        .find(|f| f.tag() == der::Tag::OctetString)
        .map(|f| f.value())
        .ok_or_else(|| malformed("the SignerInfo has no signature"))
}

/// The unsigned attributes `[1] IMPLICIT`, when present.
fn is_unsigned_attrs(any: &AnyRef<'_>) -> bool {
    let t = any.tag();
    t.is_context_specific() && t.is_constructed() && t.number().value() == 1
}

/// The bytes a CAdES signature time-stamp stamps: the signer's signature value.
///
/// Errors: [`crate::ErrorCode::DerMalformed`] for what is not a DER CMS `ContentInfo`
/// (BER is normalised first), [`crate::ErrorCode::SignatureAmbiguous`] for more than one
/// signer.
pub fn timestamp_input(signature: &[u8]) -> Result<Vec<u8>> {
    let der = normalised(signature)?;
    let p = parts(&der)?;
    Ok(signature_value(&p.signer_info)?.to_vec())
}

fn normalised(input: &[u8]) -> Result<Vec<u8>> {
    let der = cms::from_pem_or_der(input)?;
    match AnyRef::from_der(&der) {
        Ok(_) => Ok(der),
        Err(_) => crate::pki::pkcs12::ber::to_der(&der)
            .map(|d| d.to_vec())
            .map_err(|e| der_error("CMS ContentInfo", e)),
    }
}

/// Adds `token` as a signature time-stamp to the CMS signature `signature` (DER or PEM; BER
/// is normalised to DER, which leaves the signed attributes as they are). The token must
/// stamp the signature value (checked, the TSA not judged). Returns DER.
///
/// Errors: [`crate::ErrorCode::TimestampMismatch`] for a token over something else, the
/// errors of [`verify_token`] for a token that is not one, and those of
/// [`timestamp_input`].
pub fn add_signature_timestamp(signature: &[u8], token: &[u8]) -> Result<Vec<u8>> {
    let der = normalised(signature)?;
    let p = parts(&der)?;
    verify_token(
        token,
        Stamped::Data(signature_value(&p.signer_info)?),
        &TokenOptions::default(),
    )?;
    let attribute = seq(&[&oid(&rfc3161::ID_AA_TIME_STAMP_TOKEN), &set_of(&[token])]);
    let mut si_fields: Vec<Vec<u8>> = Vec::with_capacity(p.signer_info.len() + 1);
    let mut added = false;
    for field in &p.signer_info {
        if is_unsigned_attrs(field) {
            // The existing unsigned attributes and the new one, as a DER SET OF.
            let mut attrs: Vec<Vec<u8>> = any_children(field.value())?
                .iter()
                .map(encoded)
                .collect::<Result<_>>()?;
            attrs.push(attribute.clone());
            let refs: Vec<&[u8]> = attrs.iter().map(Vec::as_slice).collect();
            let mut set = set_of(&refs);
            set[0] = 0xa1;
            si_fields.push(set);
            added = true;
        } else {
            si_fields.push(encoded(field)?);
        }
    }
    if !added {
        let mut set = set_of(&[&attribute]);
        set[0] = 0xa1;
        si_fields.push(set);
    }
    let si_refs: Vec<&[u8]> = si_fields.iter().map(Vec::as_slice).collect();
    let signer_info = seq(&si_refs);
    let mut sd_fields: Vec<Vec<u8>> = p
        .before_signer_infos
        .iter()
        .map(encoded)
        .collect::<Result<_>>()?;
    sd_fields.push(set_of(&[&signer_info]));
    let sd_refs: Vec<&[u8]> = sd_fields.iter().map(Vec::as_slice).collect();
    let signed_data = seq(&sd_refs);
    Ok(seq(&[&encoded(&p.content_type)?, &tlv(0xa0, &signed_data)]))
}

/// Gets a token for the signature value of `signature` from `stamper` and adds it
/// ([`add_signature_timestamp`]): CAdES-BES becomes CAdES-T.
///
/// Errors: the stamper's, and those of [`add_signature_timestamp`].
pub fn add_timestamp(signature: &[u8], stamper: &dyn TimeStamper) -> Result<Vec<u8>> {
    let digest = stamper.digest();
    let token = stamper.time_stamp(digest, &digest.digest(&timestamp_input(signature)?))?;
    add_signature_timestamp(signature, &token)
}

/// The signature time-stamp tokens (DER) in the signer's unsigned attributes, not verified
/// (use [`verify`]).
///
/// Errors: as [`timestamp_input`].
pub fn signature_timestamp_tokens(signature: &[u8]) -> Result<Vec<Vec<u8>>> {
    Ok(tokens(&normalised(signature)?)?.1)
}

/// The signature value and the signature time-stamp tokens of the signer, DER.
fn tokens(der: &[u8]) -> Result<(Vec<u8>, Vec<Vec<u8>>)> {
    let p = parts(der)?;
    let value = signature_value(&p.signer_info)?.to_vec();
    let mut out = Vec::new();
    for field in p.signer_info.iter().filter(|f| is_unsigned_attrs(f)) {
        for attr in any_children(field.value())? {
            let inner = any_children(attr.value())?;
            let [kind, values] = inner.as_slice() else {
                return Err(malformed("an unsigned attribute has a type and values"));
            };
            let kind = const_oid::ObjectIdentifier::from_der(&encoded(kind)?)
                .map_err(|e| der_error("CMS attribute type", e))?;
            if kind != rfc3161::ID_AA_TIME_STAMP_TOKEN {
                continue;
            }
            for token in any_children(values.value())? {
                out.push(encoded(&token)?);
            }
        }
    }
    Ok((value, out))
}

/// Verifies a CAdES(-T) signature: every signature time-stamp against the signature value
/// (`tsa` says which TSAs are trusted; one that does not verify is reported in
/// [`Verified::invalid_timestamps`]), then the CMS signature ([`cms::verify`]) with the
/// signer's certificate judged at `options.at`, or else at the earliest time-stamp whose
/// TSA is trusted, or else now. A claimed signing time later than that stamp is refused.
///
/// Errors: those of [`timestamp_input`] and [`cms::verify`], and
/// [`crate::ErrorCode::SigningTimeInvalid`] for a signing time after the stamped time.
pub fn verify(
    signature: &[u8],
    content: Option<&[u8]>,
    options: &VerifyOptions,
    tsa: &TokenOptions,
) -> Result<Verified> {
    let der = normalised(signature)?;
    let (value, tokens) = tokens(&der)?;
    let mut timestamps = Vec::new();
    let mut invalid_timestamps = Vec::new();
    for t in &tokens {
        match verify_token(t, Stamped::Data(&value), tsa) {
            Ok(stamp) => timestamps.push(stamp),
            Err(e) => invalid_timestamps.push(e),
        }
    }
    let trusted = timestamps
        .iter()
        .filter(|t| t.trust == "chain")
        .map(|t| t.time)
        .min();
    let mut options = options.clone();
    if options.at.is_none()
        && let Some(t) = trusted
    {
        options.at = Some(t);
        options.at_is_stamped = true;
    }
    let report = cms::verify(&der, content, &options)?;
    if let (Some(claimed), Some(stamped)) = (report.signing_time, trusted)
        && claimed > stamped + time::Duration::minutes(5)
    {
        return Err(Error::Signature(SignatureError::SigningTimeInvalid {
            detail: format!(
                "the signer claims {claimed}, after the signature was time-stamped ({stamped})"
            ),
        }));
    }
    let judged_at = options.at.unwrap_or_else(OffsetDateTime::now_utc);
    Ok(Verified {
        report,
        timestamps,
        invalid_timestamps,
        judged_at,
    })
}
