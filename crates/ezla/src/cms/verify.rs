//! Checking a CAdES-BES `SignedData`: BER or DER outside the signed attributes, one signer, the signed attributes (content
//! type, message digest, the ESS signing certificate binding), the signature by the
//! certificate the `SignerIdentifier` names, and, when asked, its chain to trust anchors.

use std::sync::Arc;

use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use const_oid::ObjectIdentifier;
use const_oid::db::{rfc5911, rfc5912};
use der::{Decode, Encode};
use time::OffsetDateTime;

use crate::crypto::{DigestAlgorithm, SignatureAlgorithm, ecdsa_der_to_fixed};
use crate::error::{Error, Format, FormatError, Result, SignatureError};
use crate::pki::{Certificate, CertificateValidator};
use crate::revocation::{JudgedBy, RevocationChecker, RevocationReport};

/// What [`verify`] checks beyond the signature itself.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct VerifyOptions {
    /// Trust anchors (or another validator) for the signer's certificate; `None` (default):
    /// the signature is checked with the certificate it carries, and the report says
    /// `untrusted`.
    pub trust: Option<Arc<dyn CertificateValidator>>,
    /// The instant the certificate is judged at; `None` (default): now.
    pub at: Option<OffsetDateTime>,
    /// Check the signer's certificate against its issuer's CRL at the instant it is judged
    /// (never the claimed signing time); needs [`VerifyOptions::trust`]. The outcome is
    /// [`Report::revocation`]; a revoked certificate fails with
    /// [`CertificateError::Revoked`](crate::error::CertificateError::Revoked).
    pub revocation: Option<Arc<RevocationChecker>>,
    /// Set by `tsp::cades::verify` when `at` is a trusted time-stamp's time: the CRL is
    /// then judged current at now.
    pub(crate) at_is_stamped: bool,
}

impl VerifyOptions {
    /// With trust anchors.
    pub fn with_trust(mut self, validator: Arc<dyn CertificateValidator>) -> Self {
        self.trust = Some(validator);
        self
    }

    /// Judged at `at`.
    pub fn at(mut self, at: OffsetDateTime) -> Self {
        self.at = Some(at);
        self
    }

    /// Checks the signer's certificate for revocation with `checker`.
    pub fn with_revocation(mut self, checker: Arc<RevocationChecker>) -> Self {
        self.revocation = Some(checker);
        self
    }
}

/// What a valid CMS signature says.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Report {
    /// The signer's certificate.
    pub signer: Certificate,
    /// The signer's PESEL, when the certificate carries one.
    pub pesel: Option<String>,
    /// The signing time the signer claims (the `signing-time` attribute), when given.
    pub signing_time: Option<OffsetDateTime>,
    /// The digest of the content.
    pub digest: DigestAlgorithm,
    /// The signature algorithm.
    pub algorithm: SignatureAlgorithm,
    /// Whether the content was carried in the signature (`false`: detached).
    pub attached: bool,
    /// The content that was signed (carried, or the one given).
    pub content: Vec<u8>,
    /// `chain` (validated against the caller's anchors) or `untrusted`.
    pub trust: &'static str,
    /// Whether the signed attributes bind the signer's certificate (ESS
    /// `signing-certificate-v2`, checked): a CAdES-BES signature. `false`: plain CMS, where
    /// a substituted certificate with the same key would not be noticed.
    pub ess_binding: bool,
    /// The revocation check, when [`VerifyOptions::revocation`] asked for one.
    pub revocation: Option<RevocationReport>,
}

fn malformed(detail: impl Into<String>) -> Error {
    Error::Signature(SignatureError::Malformed {
        detail: detail.into(),
    })
}

fn der_error(what: &str, e: der::Error) -> Error {
    Error::Format(FormatError::Malformed {
        format: Format::Der,
        what: format!("CMS {what}"),
        detail: e.to_string(),
    })
}

/// Verifies a DER CMS signature (`ContentInfo` with `SignedData`). `content` is the signed
/// data for a detached signature; for an attached one it must be `None` or the same bytes.
///
/// BER (indefinite lengths, segmented strings) is accepted outside the signed attributes, as
/// RFC 5652 allows; the signed attributes are checked exactly as they were written.
///
/// Errors: [`crate::ErrorCode::DerMalformed`] for anything that is not BER/DER (truncated,
/// trailing bytes) or not a `SignedData`; [`crate::ErrorCode::SignatureMalformed`] for a
/// structure CAdES-BES does not allow (no signed attributes, a missing or repeated
/// attribute, a detached signature without its content); [`crate::ErrorCode::SignatureAmbiguous`]
/// for more than one signer; [`crate::ErrorCode::KeyNotFound`] when the signer's
/// certificate is not carried; [`crate::ErrorCode::DigestMismatch`] when the content is not
/// what was signed; [`crate::ErrorCode::SigningCertificateMismatch`] when the ESS binding
/// names another certificate; [`crate::ErrorCode::SignatureInvalid`];
/// [`crate::ErrorCode::SigningTimeInvalid`] for a claimed signing time after the
/// verification instant (beyond 5 minutes) or outside the certificate's validity; the certificate errors
/// of the trust check; [`crate::ErrorCode::Unsupported`] for other algorithms.
pub fn verify(input: &[u8], content: Option<&[u8]>, options: &VerifyOptions) -> Result<Report> {
    let Checked { mut report, others } = check_signed_data(input, content, &rfc5911::ID_DATA)?;
    // A claimed signing time must be possible: within the signer's certificate, and not
    // after the verification instant (beyond 5 minutes of clock skew), as XAdES requires of
    // its SigningTime.
    if let Some(t) = report.signing_time {
        let now = options.at.unwrap_or_else(OffsetDateTime::now_utc);
        let invalid =
            |detail: String| Error::Signature(SignatureError::SigningTimeInvalid { detail });
        if t > now + time::Duration::minutes(5) {
            return Err(invalid(format!(
                "the signing time {t} is later than the verification instant {now}"
            )));
        }
        if t < report.signer.not_before() || t > report.signer.not_after() {
            return Err(invalid(format!(
                "the signing time {t} lies outside the certificate's validity ({} to {})",
                report.signer.not_before(),
                report.signer.not_after()
            )));
        }
    }
    // The signing time is only the signer's claim (whoever holds a stolen key can backdate
    // it), so the certificate is judged at the instant asked for, or now; a trusted
    // time-stamp sets the instant (`tsp::cades::verify`).
    let now = OffsetDateTime::now_utc();
    let at = options.at.unwrap_or(now);
    let mut path = Vec::new();
    if let Some(validator) = &options.trust {
        path = validator.validate(&report.signer, &others, at)?;
        report.trust = "chain";
    }
    if let Some(checker) = &options.revocation {
        let (judged_by, checked_at) = match options.at {
            Some(_) if options.at_is_stamped => (JudgedBy::TimeStamp, now),
            // The CRL must be current now (or at an instant asked for in the future).
            Some(at) => (JudgedBy::Requested, at.max(now)),
            None => (JudgedBy::VerificationTime, now),
        };
        report.revocation = Some(checker.check_signer(
            &report.signer,
            path.get(1..).unwrap_or_default(),
            at,
            judged_by,
            checked_at,
        )?);
    }
    Ok(report)
}

/// A `SignedData` whose signature verified with the certificate it names, trust not yet
/// judged.
pub(crate) struct Checked {
    /// The report, `trust` still `untrusted`.
    pub(crate) report: Report,
    /// The other certificates the signature carries (for a path to the anchors).
    pub(crate) others: Vec<Certificate>,
}

/// Everything [`verify`] checks but trust, for a `SignedData` whose content is of
/// `econtent_type` (`id-data` for CAdES, `id-ct-TSTInfo` for time-stamp tokens).
pub(crate) fn check_signed_data(
    input: &[u8],
    content: Option<&[u8]>,
    econtent_type: &ObjectIdentifier,
) -> Result<Checked> {
    check_signed_data_with(input, content, econtent_type, &[])
}

/// [`check_signed_data`], the signer also looked for among `extra` certificates (a
/// time-stamp token asked for without `certReq` carries none).
pub(crate) fn check_signed_data_with(
    input: &[u8],
    content: Option<&[u8]>,
    econtent_type: &ObjectIdentifier,
    extra: &[Certificate],
) -> Result<Checked> {
    // RFC 5652 allows BER outside the signed attributes (the CAdES plugtests use indefinite
    // lengths); the structure is read from its DER form. The signed attributes must be DER:
    // their bytes are what was signed, and a BER encoding normalised here no longer verifies.
    // DER (what ezla and openssl write) is read as it is; only input that is not DER is
    // normalised (a copy of a large content is not made for nothing).
    let (info, normalised) = match ContentInfo::from_der(input) {
        Ok(info) => (info, None),
        Err(_) => {
            let normalised = crate::pki::pkcs12::ber::to_der(input).map_err(|e| {
                Error::Format(FormatError::Malformed {
                    format: Format::Der,
                    what: "CMS ContentInfo".into(),
                    detail: e.to_string(),
                })
            })?;
            let info =
                ContentInfo::from_der(&normalised).map_err(|e| der_error("ContentInfo", e))?;
            (info, Some(normalised))
        }
    };
    let der: &[u8] = normalised.as_deref().map_or(input, |n| n.as_slice());
    if info.content_type != rfc5911::ID_SIGNED_DATA {
        let known = [
            (
                rfc5911::ID_ENVELOPED_DATA,
                "envelopedData (an encrypted message)",
            ),
            (rfc5911::ID_DATA, "data"),
            (rfc5911::ID_DIGESTED_DATA, "digestedData"),
            (rfc5911::ID_ENCRYPTED_DATA, "encryptedData"),
            (rfc5911::ID_CT_AUTH_DATA, "authenticatedData"),
        ];
        let name = known
            .iter()
            .find(|(o, _)| *o == info.content_type)
            .map_or_else(
                || info.content_type.to_string(),
                |(o, n)| format!("{n}, {o}"),
            );
        return Err(malformed(format!(
            "the content type is {name}, not signedData"
        )));
    }
    let sd: SignedData = info
        .content
        .decode_as()
        .map_err(|e| der_error("SignedData", e))?;
    if sd.encap_content_info.econtent_type != *econtent_type {
        return Err(Error::unsupported(
            "CMS content type",
            format!(
                "{} ({econtent_type} expected)",
                sd.encap_content_info.econtent_type
            ),
        ));
    }
    let signers: Vec<&SignerInfo> = sd.signer_infos.0.iter().collect();
    let si = match signers.as_slice() {
        [one] => *one,
        [] => {
            return Err(Error::Signature(SignatureError::Missing {
                detail: "the SignedData has no SignerInfo (a certificates-only bundle, as .p7b files are)".into(),
            }));
        }
        more => {
            return Err(Error::Signature(SignatureError::Ambiguous {
                count: more.len(),
            }));
        }
    };
    // The content, borrowed from the input rather than copied out of the decoded types.
    let carried = raw_econtent(der)?;
    if carried.is_some() != sd.encap_content_info.econtent.is_some() {
        return Err(malformed("eContent read two ways differs"));
    }
    let (attached, content) = match (carried, content) {
        (Some(c), None) => (true, c.to_vec()),
        (Some(c), Some(given)) if c == given => (true, c.to_vec()),
        (Some(_), Some(_)) => {
            return Err(Error::Signature(SignatureError::DigestMismatch {
                uri: "the content given differs from the content the signature carries".into(),
            }));
        }
        (None, Some(given)) => (false, given.to_vec()),
        (None, None) => {
            return Err(malformed(
                "a detached signature: the signed content must be given",
            ));
        }
    };
    let certificates: Vec<Certificate> = match &sd.certificates {
        Some(set) => set
            .0
            .iter()
            .filter_map(|c| match c {
                CertificateChoices::Certificate(c) => Some(c),
                _ => None,
            })
            .map(|c| {
                c.to_der()
                    .map_err(|e| der_error("a certificate", e))
                    .and_then(|d| Certificate::from_der(&d))
            })
            .collect::<Result<_>>()?,
        None => Vec::new(),
    };
    let mut certificates = certificates;
    let more: Vec<Certificate> = extra
        .iter()
        .filter(|c| !certificates.contains(c))
        .cloned()
        .collect();
    certificates.extend(more);
    let signer = find_signer(&si.sid, &certificates)?;

    let digest = DigestAlgorithm::from_oid(&si.digest_alg.oid)
        .filter(|d| {
            matches!(
                d,
                DigestAlgorithm::Sha256 | DigestAlgorithm::Sha384 | DigestAlgorithm::Sha512
            )
        })
        .ok_or_else(|| Error::unsupported("CMS digest", si.digest_alg.oid.to_string()))?;
    let algorithm = signature_algorithm(&si.signature_algorithm.oid, digest)?;

    let attrs = si
        .signed_attrs
        .as_ref()
        .ok_or_else(|| malformed("no signed attributes (CAdES-BES requires them)"))?;
    let one = |kind: &ObjectIdentifier, name: &str| -> Result<der::Any> {
        let mut found = attrs.iter().filter(|a| a.oid == *kind);
        let attr = found
            .next()
            .ok_or_else(|| malformed(format!("no {name} signed attribute")))?;
        if found.next().is_some() || attr.values.len() != 1 {
            return Err(malformed(format!(
                "the {name} signed attribute must appear once, with one value"
            )));
        }
        attr.values
            .iter()
            .next()
            .cloned()
            .ok_or_else(|| malformed(format!("the {name} attribute has no value")))
    };
    let content_type: ObjectIdentifier = one(&rfc5911::ID_CONTENT_TYPE, "content-type")?
        .decode_as()
        .map_err(|e| der_error("content-type", e))?;
    if content_type != sd.encap_content_info.econtent_type {
        return Err(malformed(format!(
            "the content-type attribute says {content_type}, the content is {}",
            sd.encap_content_info.econtent_type
        )));
    }
    let claimed = one(&rfc5911::ID_MESSAGE_DIGEST, "message-digest")?
        .decode_as::<der::asn1::OctetString>()
        .map_err(|e| der_error("message-digest", e))?;
    if claimed.as_bytes() != digest.digest(&content) {
        return Err(Error::Signature(SignatureError::DigestMismatch {
            uri: format!(
                "the content (its {} is not the message-digest signed)",
                digest.name()
            ),
        }));
    }
    let signing_time = if attrs.iter().any(|a| a.oid == rfc5911::ID_SIGNING_TIME) {
        let t: x509_cert::time::Time = one(&rfc5911::ID_SIGNING_TIME, "signing-time")?
            .decode_as()
            .map_err(|e| der_error("signing-time", e))?;
        OffsetDateTime::from_unix_timestamp(t.to_unix_duration().as_secs() as i64).ok()
    } else {
        None
    };
    // CAdES-BES requires the binding (signing-certificate-v2, or the SHA-1 signing-certificate
    // that RFC 3161 TSAs such as openssl's still write); plain CMS (pyca's and older signers)
    // has none, and the report says so.
    let has = |kind: &ObjectIdentifier| attrs.iter().any(|a| a.oid == *kind);
    let v2 = has(&rfc5911::ID_AA_SIGNING_CERTIFICATE_V_2);
    let v1 = has(&rfc5911::ID_AA_SIGNING_CERTIFICATE);
    if v2 {
        check_ess_binding(&one, &signer)?;
    }
    if v1 {
        check_ess_binding_v1(&one, &signer)?;
    }
    let ess_binding = v1 || v2;

    // The signature is over the SET OF the attributes exactly as the signer wrote them
    // (RFC 5652 §5.4), under the universal SET tag: taken from the input, not re-encoded
    // (a signer that did not sort them signed them unsorted).
    let signed = raw_signed_attributes(der)?;
    let mut value = si.signature.as_bytes().to_vec();
    if matches!(algorithm, SignatureAlgorithm::Ecdsa(_)) {
        value = ecdsa_der_to_fixed(signer.public_key().kind(), &value)?;
    }
    signer.public_key().verify(algorithm, &signed, &value)?;

    let others: Vec<Certificate> = certificates
        .iter()
        .filter(|c| **c != signer)
        .cloned()
        .collect();
    Ok(Checked {
        report: Report {
            revocation: None,
            pesel: signer.pesel().map(|p| p.to_string()),
            signer,
            signing_time,
            digest,
            algorithm,
            attached,
            content,
            trust: "untrusted",
            ess_binding,
        },
        others,
    })
}

/// The bytes of the first SignerInfo's `signedAttrs` in a DER `ContentInfo`, with the
/// `[0] IMPLICIT` tag replaced by SET's.
fn raw_signed_attributes(der: &[u8]) -> Result<Vec<u8>> {
    let sd = signed_data_fields(der)?;
    let signer_infos = sd
        .last()
        .filter(|(t, _)| *t == der::Tag::Set)
        .ok_or_else(|| malformed("SignedData without signerInfos"))?;
    let first = children(signer_infos.1)?;
    let si = first.first().ok_or_else(|| malformed("no SignerInfo"))?;
    let si_fields = children(si.1)?;
    let attrs = si_fields
        .get(3)
        .filter(|(t, _)| t.is_context_specific() && t.is_constructed() && t.number().value() == 0)
        .ok_or_else(|| malformed("no signed attributes (CAdES-BES requires them)"))?;
    Ok(crate::pki::encode::tlv(0x31, attrs.1))
}

/// The elements inside `value` (a constructed DER value), borrowed: tag and contents.
fn children(value: &[u8]) -> Result<Vec<(der::Tag, &[u8])>> {
    let bad = |e: der::Error| der_error("SignedData", e);
    let mut r = der::SliceReader::new(value).map_err(bad)?;
    let mut out = Vec::new();
    while !der::Reader::is_finished(&r) {
        let a: der::asn1::AnyRef<'_> = Decode::decode(&mut r).map_err(bad)?;
        out.push((der::Tagged::tag(&a), a.value()));
    }
    Ok(out)
}

/// The fields of the `SignedData` in a DER `ContentInfo`, borrowed from `der`.
fn signed_data_fields(der: &[u8]) -> Result<Vec<(der::Tag, &[u8])>> {
    let outer = der::asn1::AnyRef::from_der(der).map_err(|e| der_error("ContentInfo", e))?;
    let info = children(outer.value())?;
    let explicit = info
        .get(1)
        .ok_or_else(|| malformed("ContentInfo without content"))?;
    let signed_data = children(explicit.1)?;
    let sd = signed_data
        .first()
        .ok_or_else(|| malformed("empty SignedData"))?;
    children(sd.1)
}

/// The carried content (`eContent`'s OCTET STRING value), borrowed from `der`; `None` for a
/// detached signature.
fn raw_econtent(der: &[u8]) -> Result<Option<&[u8]>> {
    let sd = signed_data_fields(der)?;
    let encap = sd
        .iter()
        .find(|(t, _)| *t == der::Tag::Sequence)
        .ok_or_else(|| malformed("SignedData without encapContentInfo"))?;
    let parts = children(encap.1)?;
    let Some(explicit) = parts.get(1) else {
        return Ok(None);
    };
    let inner = children(explicit.1)?;
    match inner.as_slice() {
        [(der::Tag::OctetString, bytes)] => Ok(Some(bytes)),
        _ => Err(malformed("eContent is not one OCTET STRING")),
    }
}

fn find_signer(sid: &SignerIdentifier, certificates: &[Certificate]) -> Result<Certificate> {
    let found = certificates.iter().find(|c| match sid {
        SignerIdentifier::IssuerAndSerialNumber(is) => {
            is.issuer.to_der().ok().as_deref() == Some(c.issuer().to_der())
                && is.serial_number.as_bytes() == c.serial_bytes()
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => c.subject_key_id() == Some(ski.0.as_bytes()),
    });
    found.cloned().ok_or_else(|| {
        Error::Signature(SignatureError::KeyNotFound {
            detail: "the signer's certificate is not among the certificates the signature carries"
                .into(),
        })
    })
}

fn signature_algorithm(
    oid: &ObjectIdentifier,
    digest: DigestAlgorithm,
) -> Result<SignatureAlgorithm> {
    let rsa_with = [
        (
            rfc5912::SHA_256_WITH_RSA_ENCRYPTION,
            DigestAlgorithm::Sha256,
        ),
        (
            rfc5912::SHA_384_WITH_RSA_ENCRYPTION,
            DigestAlgorithm::Sha384,
        ),
        (
            rfc5912::SHA_512_WITH_RSA_ENCRYPTION,
            DigestAlgorithm::Sha512,
        ),
    ];
    let ecdsa_with = [
        (rfc5912::ECDSA_WITH_SHA_256, DigestAlgorithm::Sha256),
        (rfc5912::ECDSA_WITH_SHA_384, DigestAlgorithm::Sha384),
        (rfc5912::ECDSA_WITH_SHA_512, DigestAlgorithm::Sha512),
    ];
    let mismatch = |d: DigestAlgorithm| {
        Error::Signature(SignatureError::Malformed {
            detail: format!(
                "the signature algorithm hashes with {}, the digest algorithm is {}",
                d.name(),
                digest.name()
            ),
        })
    };
    if *oid == rfc5912::RSA_ENCRYPTION {
        return Ok(SignatureAlgorithm::RsaPkcs1v15(digest));
    }
    for (id, d) in rsa_with {
        if *oid == id {
            return if d == digest {
                Ok(SignatureAlgorithm::RsaPkcs1v15(d))
            } else {
                Err(mismatch(d))
            };
        }
    }
    for (id, d) in ecdsa_with {
        if *oid == id {
            return if d == digest {
                Ok(SignatureAlgorithm::Ecdsa(d))
            } else {
                Err(mismatch(d))
            };
        }
    }
    Err(Error::unsupported(
        "CMS signature algorithm",
        oid.to_string(),
    ))
}

/// `SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies OPTIONAL }`.
#[derive(der::Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
    #[asn1(optional = "true")]
    policies: Option<der::Any>,
}

/// `ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT sha256, certHash, issuerSerial OPTIONAL }`.
#[derive(der::Sequence)]
struct EssCertIdV2 {
    /// Absent: SHA-256 (the DEFAULT, which DER leaves out).
    #[asn1(optional = "true")]
    hash_algorithm: Option<spki::AlgorithmIdentifierOwned>,
    cert_hash: der::asn1::OctetString,
    #[asn1(optional = "true")]
    issuer_serial: Option<der::Any>,
}

/// `SigningCertificate ::= SEQUENCE { certs SEQUENCE OF ESSCertID, policies OPTIONAL }`
/// (RFC 2634 §5.4).
#[derive(der::Sequence)]
struct SigningCertificateV1 {
    certs: Vec<EssCertIdV1>,
    #[asn1(optional = "true")]
    policies: Option<der::Any>,
}

/// `ESSCertID ::= SEQUENCE { certHash OCTET STRING (SHA-1), issuerSerial OPTIONAL }`.
#[derive(der::Sequence)]
struct EssCertIdV1 {
    cert_hash: der::asn1::OctetString,
    #[asn1(optional = "true")]
    issuer_serial: Option<der::Any>,
}

/// The ESS binding of RFC 2634 §5.4: `signing-certificate`'s first `ESSCertID` names the
/// signer's certificate by its SHA-1 hash (an identifier here, not a signature: a collision
/// would still need the signer's key), and by issuer and serial when it carries them.
fn check_ess_binding_v1(
    one: &dyn Fn(&ObjectIdentifier, &str) -> Result<der::Any>,
    signer: &Certificate,
) -> Result<()> {
    let value: SigningCertificateV1 =
        one(&rfc5911::ID_AA_SIGNING_CERTIFICATE, "signing-certificate")?
            .decode_as()
            .map_err(|e| der_error("signing-certificate", e))?;
    let _ = &value.policies;
    let first = value
        .certs
        .first()
        .ok_or_else(|| malformed("signing-certificate names no certificate"))?;
    let mismatch = |detail: &str| {
        Error::Signature(SignatureError::SigningCertificateMismatch {
            detail: detail.into(),
        })
    };
    if first.cert_hash.as_bytes() != signer.fingerprint(DigestAlgorithm::Sha1) {
        return Err(mismatch(
            "signing-certificate names another certificate (its hash differs)",
        ));
    }
    if let Some(is) = &first.issuer_serial {
        let der = is.to_der().map_err(|e| der_error("issuerSerial", e))?;
        if !crate::pki::ess::issuer_serial_names(&der, signer)? {
            return Err(mismatch(
                "signing-certificate's issuerSerial names another certificate",
            ));
        }
    }
    Ok(())
}

/// The ESS binding (RFC 5035 §3): `signing-certificate-v2`'s first `ESSCertIDv2` must name
/// the signer's certificate by its hash, and by issuer and serial when it carries them.
fn check_ess_binding(
    one: &dyn Fn(&ObjectIdentifier, &str) -> Result<der::Any>,
    signer: &Certificate,
) -> Result<()> {
    let value: SigningCertificateV2 = one(
        &rfc5911::ID_AA_SIGNING_CERTIFICATE_V_2,
        "signing-certificate-v2",
    )?
    .decode_as()
    .map_err(|e| der_error("signing-certificate-v2", e))?;
    let _ = &value.policies;
    let first = value
        .certs
        .first()
        .ok_or_else(|| malformed("signing-certificate-v2 names no certificate"))?;
    let hash = match &first.hash_algorithm {
        None => DigestAlgorithm::Sha256,
        Some(alg) => DigestAlgorithm::from_oid(&alg.oid)
            .filter(|d| *d != DigestAlgorithm::Sha1)
            .ok_or_else(|| Error::unsupported("ESSCertIDv2 hash", alg.oid.to_string()))?,
    };
    let mismatch = |detail: &str| {
        Error::Signature(SignatureError::SigningCertificateMismatch {
            detail: detail.into(),
        })
    };
    if first.cert_hash.as_bytes() != signer.fingerprint(hash) {
        return Err(mismatch(
            "signing-certificate-v2 names another certificate (its hash differs)",
        ));
    }
    if let Some(is) = &first.issuer_serial {
        let der = is.to_der().map_err(|e| der_error("issuerSerial", e))?;
        if !crate::pki::ess::issuer_serial_names(&der, signer)? {
            return Err(mismatch(
                "signing-certificate-v2's issuerSerial names another certificate",
            ));
        }
    }
    Ok(())
}
