//! Verifying XAdES-BES signatures and reporting what they say.

use std::sync::Arc;

use serde::Serialize;
use time::{Duration, OffsetDateTime};

use super::XADES_NS;
use super::dn;
use super::profile::{Profile, SIGNED_PROPERTIES_TYPE};
use crate::crypto::{Backend, DigestAlgorithm};
use crate::dsig::{
    self, CertificateValidator, Coverage, DSIG_NS, KeySelection, Verified, VerifiedReference,
    Verifier, VerifyPolicy, XPATH, digest_from_uri,
};
use crate::error::{FormatError, SignatureError};
use crate::pki::Certificate;
use crate::revocation::{JudgedBy, RevocationChecker, RevocationReport};
use crate::xml::c14n::{C14N_10, EXC_C14N};
use crate::xml::{Document, Element, base64, datetime};
use crate::{Error, Result};

/// How far a `SigningTime` may lie after the verification instant by default: 5 minutes.
pub const DEFAULT_MAX_CLOCK_SKEW: Duration = Duration::minutes(5);

/// Options for [`verify`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct VerifyOptions {
    /// Trust anchors (or another validator) for the signer's certificate. Without them the
    /// signature is checked with the certificate it carries and the report says the signer is
    /// untrusted.
    pub trust: Option<Arc<dyn CertificateValidator>>,
    /// The instant to check certificates at; default now.
    pub at: Option<OffsetDateTime>,
    /// How far the claimed `SigningTime` may lie after the verification instant
    /// ([`VerifyOptions::at`], default now) to allow for clocks that are slightly off.
    /// Default [`DEFAULT_MAX_CLOCK_SKEW`] (5 minutes); a signing time later than that is
    /// refused with [`SignatureError::SigningTimeInvalid`](crate::error::SignatureError::SigningTimeInvalid).
    pub max_clock_skew: Duration,
    /// Accept the `zus-legacy` profile (SHA-1). Default: true — it is a named profile ZUS
    /// itself used. SHA-1 is refused in every other shape.
    pub accept_legacy: bool,
    /// Allow more than one signature (each must verify); see [`verify_all`].
    pub allow_cosignatures: bool,
    /// Accept SHA-1 and RSA keys from 1024 bits in any shape, not only in the `zus-legacy`
    /// profile. For inspecting old third-party documents; never for accepting e-ZLA.
    pub allow_legacy_algorithms: bool,
    /// The signer's certificate, when the caller knows it: the signature must verify with
    /// it, and the report says `pinned`. Takes precedence over [`VerifyOptions::trust`].
    pub signer_certificate: Option<Certificate>,
    /// The backend for the signature check.
    pub backend: Backend,
    /// Trust anchors (or another validator) for the TSAs of `SignatureTimeStamp`s
    /// (XAdES-T). Every time-stamp is checked against the signature value either way; with
    /// this set, one whose TSA chains to it is trusted, and without [`VerifyOptions::at`] the
    /// signer's certificate is judged at the earliest trusted stamped time instead of now (a
    /// signature stamped while the certificate was valid verifies after it has expired).
    pub tsa_trust: Option<Arc<dyn CertificateValidator>>,
    /// Check the signer's certificate against its issuer's CRL (given, or fetched from its
    /// distribution point), at the instant it is judged: the trusted time-stamp's when the
    /// signature has one, else [`VerifyOptions::at`], else now — never the claimed
    /// `SigningTime`. Needs [`VerifyOptions::trust`] (the issuer verifies the CRL); the
    /// outcome is [`Report::revocation`]. A revoked certificate fails with
    /// [`CertificateError::Revoked`](crate::error::CertificateError::Revoked).
    pub revocation: Option<Arc<RevocationChecker>>,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            signer_certificate: None,
            trust: None,
            at: None,
            max_clock_skew: DEFAULT_MAX_CLOCK_SKEW,
            accept_legacy: true,
            allow_cosignatures: false,
            allow_legacy_algorithms: false,
            backend: Backend::default(),
            tsa_trust: None,
            revocation: None,
        }
    }
}

impl VerifyOptions {
    /// Validates the signer's certificate with `validator` (e.g. [`crate::pki::TrustAnchors`]).
    pub fn with_trust(mut self, validator: Arc<dyn CertificateValidator>) -> Self {
        self.trust = Some(validator);
        self
    }

    /// Trusts the TSAs that chain to `validator` for `SignatureTimeStamp`s (XAdES-T).
    pub fn with_tsa_trust(mut self, validator: Arc<dyn CertificateValidator>) -> Self {
        self.tsa_trust = Some(validator);
        self
    }

    /// Checks the signer's certificate for revocation with `checker`
    /// ([`VerifyOptions::revocation`]).
    pub fn with_revocation(mut self, checker: Arc<RevocationChecker>) -> Self {
        self.revocation = Some(checker);
        self
    }

    /// Checks certificates at `at` instead of now.
    pub fn at(mut self, at: OffsetDateTime) -> Self {
        self.at = Some(at);
        self
    }

    /// Accepts a `SigningTime` up to `skew` after the verification instant instead of
    /// [`DEFAULT_MAX_CLOCK_SKEW`]. A negative skew is treated as zero.
    pub fn with_max_clock_skew(mut self, skew: Duration) -> Self {
        self.max_clock_skew = skew;
        self
    }
}

/// The signer as the verified certificate names them.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct SignerReport {
    /// Subject (RFC 4514).
    pub subject: String,
    /// Issuer (RFC 4514).
    pub issuer: String,
    /// Serial number, decimal.
    pub serial: String,
    /// The PESEL in the subject's `serialNumber` (`PNOPL-…` or bare), when present.
    pub pesel: Option<String>,
    /// Start of validity (RFC 3339).
    pub not_before: String,
    /// End of validity (RFC 3339).
    pub not_after: String,
    /// SHA-256 fingerprint of the certificate, hex.
    pub sha256_fingerprint: String,
}

/// A reference and what it covers, in words.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct ReferenceReport {
    /// The `URI`.
    pub uri: String,
    /// The `Type`, if any.
    pub type_uri: Option<String>,
    /// The digest (`SHA-256`).
    pub digest: String,
    /// The transform URIs.
    pub transforms: Vec<String>,
    /// What the digest covers, e.g. `the document element /KEDU, except signatures`.
    pub covers: String,
}

impl ReferenceReport {
    /// The report of a verified reference; `root` is the document element.
    pub fn new(reference: &VerifiedReference<'_, '_>, root: Element<'_, '_>) -> Self {
        ReferenceReport {
            uri: reference.uri.clone(),
            type_uri: reference.type_uri.clone(),
            digest: reference.digest.name().to_string(),
            transforms: reference.transforms.clone(),
            covers: reference.coverage.describe(root),
        }
    }
}

/// The outcome of a successful verification: who signed what, when, and how.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Report {
    /// The profile the signature matches.
    pub profile: Profile,
    /// The signature algorithm (`RSA-SHA256`).
    pub signature_algorithm: String,
    /// The `SignedInfo` canonicalization URI.
    pub canonicalization: String,
    /// The claimed signing time (RFC 3339), from `SigningTime`.
    pub signing_time: Option<String>,
    /// How the signing certificate is protected: `SigningCertificate` (`v1`),
    /// `SigningCertificateV2` (`v2`), or a signed `KeyInfo` (`keyinfo`, XAdES 1.3.2 §4.4.1).
    pub signing_certificate: String,
    /// The signer.
    pub signer: SignerReport,
    /// `pinned`, `chain` (validated against the caller's trust anchors) or `untrusted`.
    pub trust: String,
    /// Subjects of the validated chain above the signer, nearest first.
    pub chain: Vec<String>,
    /// The signature's `Id`.
    pub signature_id: String,
    /// The signed document element, as `{namespace}local`.
    pub document_element: String,
    /// Every reference.
    pub references: Vec<ReferenceReport>,
    /// The XAdES-EPES signature policy identifier (or `implied`), when present. Its hash is
    /// not checked against the policy document.
    pub signature_policy: Option<String>,
    /// The signature time-stamps (XAdES-T), each verified against the signature value.
    pub timestamps: Vec<TimestampReport>,
    /// The instant the signer's certificate was judged at (RFC 3339): the caller's
    /// [`VerifyOptions::at`], the earliest trusted signature time-stamp, or now.
    pub judged_at: String,
    /// The revocation check, when [`VerifyOptions::revocation`] asked for one: which CRL,
    /// issued when, the instant judged, and whether the certificate was revoked after it.
    pub revocation: Option<RevocationReport>,
}

/// A signature time-stamp and its own verdict, in words. A time-stamp that does not verify
/// does not make the signature invalid (the signature does not depend on its unsigned
/// properties); it is reported with its error and sets no instant.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct TimestampReport {
    /// Whether the token verified against the signature value.
    pub valid: bool,
    /// Why it did not (the error's name and message), when it did not.
    pub error: Option<String>,
    /// When the TSA stamped (RFC 3339, to the millisecond when the token says); empty when
    /// the token did not verify.
    pub time: String,
    /// The TSA certificate's subject (RFC 4514).
    pub tsa: String,
    /// The TSA policy.
    pub policy: String,
    /// The token's serial number, hex.
    pub serial: String,
    /// The imprint's hash (`SHA-256`).
    pub digest: String,
    /// `chain` (the TSA chains to [`VerifyOptions::tsa_trust`]), `untrusted`, or `invalid`.
    pub trust: String,
    /// Everything the verified token says (the TSA certificate, the exact time, the
    /// imprint), for callers that want more than the words above; `None` when it did not
    /// verify.
    #[serde(skip)]
    pub detail: Option<crate::tsp::TimeStamp>,
}

impl TimestampReport {
    fn invalid(e: &Error) -> Self {
        TimestampReport {
            valid: false,
            error: Some(format!("{:?}: {e}", e.code())),
            time: String::new(),
            tsa: String::new(),
            policy: String::new(),
            serial: String::new(),
            digest: String::new(),
            trust: "invalid".to_string(),
            detail: None,
        }
    }

    fn new(t: &crate::tsp::TimeStamp) -> Self {
        TimestampReport {
            valid: true,
            error: None,
            time: datetime::format(t.time),
            tsa: t.tsa.subject().to_rfc4514(),
            policy: t.policy.to_string(),
            serial: t.serial.clone(),
            digest: t.digest.name().to_string(),
            trust: t.trust.to_string(),
            detail: Some(t.clone()),
        }
    }
}

/// Verifies the document's only XAdES-BES signature (enveloped, a child of the document
/// element) and returns the report. Fails unless the signature covers the whole document
/// element (signatures aside) and its signed properties, and those properties name the
/// certificate that verified. With [`VerifyOptions::allow_cosignatures`] every signature
/// must verify and the first one's report is returned ([`verify_all`] returns them all).
pub fn verify(document: &[u8], options: &VerifyOptions) -> Result<Report> {
    let doc = Document::parse_bytes(document)?;
    let signatures = dsig::find_signatures(&doc);
    match signatures.as_slice() {
        [] => Err(Error::Signature(SignatureError::Missing {
            detail: "no ds:Signature in the document".into(),
        })),
        [one] => check(&doc, *one, options),
        more if !options.allow_cosignatures => Err(Error::Signature(SignatureError::Ambiguous {
            count: more.len(),
        })),
        more => {
            let mut reports = check_each(&doc, more, options)?;
            Ok(reports.swap_remove(0))
        }
    }
}

/// Verifies every signature of a co-signed document; each must be a valid XAdES-BES
/// signature covering the whole document element (signatures aside).
pub fn verify_all(document: &[u8], options: &VerifyOptions) -> Result<Vec<Report>> {
    let doc = Document::parse_bytes(document)?;
    let signatures = dsig::find_signatures(&doc);
    if signatures.is_empty() {
        return Err(Error::Signature(SignatureError::Missing {
            detail: "no ds:Signature in the document".into(),
        }));
    }
    check_each(&doc, &signatures, options)
}

/// [`check`] for each signature, in document order; the first failure is the result.
fn check_each(
    doc: &Document<'_>,
    signatures: &[Element<'_, '_>],
    options: &VerifyOptions,
) -> Result<Vec<Report>> {
    signatures.iter().map(|s| check(doc, *s, options)).collect()
}

fn xades_error(detail: impl Into<String>) -> Error {
    Error::Signature(SignatureError::XadesPropertiesInvalid {
        detail: detail.into(),
    })
}

/// Whether the signature's SignedInfo uses SHA-1 anywhere.
fn uses_sha1(signature: Element<'_, '_>) -> bool {
    signature
        .child(DSIG_NS, "SignedInfo")
        .map(|si| {
            si.node.descendants().any(|n| {
                n.attribute("Algorithm")
                    .is_some_and(|a| a.ends_with("#sha1") || a.ends_with("-sha1"))
            })
        })
        .unwrap_or(false)
}

/// The e-ZLA shape: an enveloped signature, child of the document element, covering it all.
fn check(
    doc: &Document<'_>,
    signature: Element<'_, '_>,
    options: &VerifyOptions,
) -> Result<Report> {
    let root = Element::new(doc.tree().root_element())
        .ok_or_else(|| Error::internal("no document element"))?;
    if signature.parent() != Some(root) {
        return Err(Error::Signature(SignatureError::Malformed {
            detail: format!(
                "the signature at {} is not a child of the document element",
                signature.path()
            ),
        }));
    }
    verify_signature_inner(doc, signature, options, Some(root))
}

/// Verifies one XAdES-BES signature wherever it sits (enveloped, enveloping, or detached with
/// same-document references), with every XAdES check but no requirement on what the
/// references cover: the report says what they cover, and the caller decides. For e-ZLA
/// documents use [`verify`], which also requires an enveloped signature covering the whole
/// document element.
pub fn verify_signature(
    doc: &Document<'_>,
    signature: Element<'_, '_>,
    options: &VerifyOptions,
) -> Result<Report> {
    verify_signature_inner(doc, signature, options, None)
}

fn verify_signature_inner(
    doc: &Document<'_>,
    signature: Element<'_, '_>,
    options: &VerifyOptions,
    must_cover: Option<Element<'_, '_>>,
) -> Result<Report> {
    let root = Element::new(doc.tree().root_element())
        .ok_or_else(|| Error::internal("no document element"))?;
    let sha1 = uses_sha1(signature);
    if sha1 && !options.accept_legacy {
        return Err(Error::Format(FormatError::Unsupported {
            what: "digest",
            name: "SHA-1 (the zus-legacy profile is not accepted by these options)".into(),
        }));
    }
    let mut policy = if sha1 || options.allow_legacy_algorithms {
        VerifyPolicy::legacy()
    } else {
        VerifyPolicy::strict()
    };
    if !options.allow_legacy_algorithms {
        policy.min_rsa_bits = 2048;
    }
    policy = policy.with_backend(options.backend);
    // XAdES-T: every signature time-stamp is checked against the signature value first; a
    // trusted one fixes the instant the certificate is judged at, unless the caller did.
    let tsa_options = match &options.tsa_trust {
        Some(v) => crate::tsp::TokenOptions::default().with_trust(v.clone()),
        None => crate::tsp::TokenOptions::default(),
    };
    let stamps = super::timestamp::check_signature_timestamps(doc, signature, &tsa_options);
    let stamped_at = stamps
        .iter()
        .filter_map(|t| t.as_ref().ok())
        .filter(|t| t.trust == "chain")
        .map(|t| t.time)
        .min();
    let requested_at = options.at;
    let judged_at = options.at.or(stamped_at);
    if let Some(at) = judged_at {
        policy = policy.at(at);
    }
    let options = &VerifyOptions {
        at: judged_at,
        ..options.clone()
    };
    let keys = match (&options.signer_certificate, &options.trust) {
        (Some(certificate), _) => KeySelection::PinnedCertificate(certificate.clone()),
        (None, Some(v)) => KeySelection::Trusted(v.clone()),
        (None, None) => KeySelection::EmbeddedUntrusted,
    };
    let verified = Verifier::new(keys)
        .with_policy(policy)
        .verify(doc, signature)?;
    if let Some(element) = must_cover {
        verified.require_covers(&element)?;
    }

    // The qualifying properties.
    let signature_id = signature
        .attribute("Id")
        .ok_or_else(|| xades_error("the Signature has no Id for QualifyingProperties to target"))?;
    let mut qps = signature
        .children()
        .filter(|c| c.is(DSIG_NS, "Object"))
        .flat_map(|o| {
            o.children()
                .filter(|c| c.is(XADES_NS, "QualifyingProperties"))
                .collect::<Vec<_>>()
        });
    let qp = qps
        .next()
        .ok_or_else(|| xades_error("no xades:QualifyingProperties in the signature's objects"))?;
    if qps.next().is_some() {
        return Err(xades_error("more than one xades:QualifyingProperties"));
    }
    if qp.attribute("Target") != Some(&format!("#{signature_id}")) {
        return Err(xades_error(format!(
            "QualifyingProperties targets {:?}, not #{signature_id}",
            qp.attribute("Target").unwrap_or("")
        )));
    }
    let mut sps = qp.children().filter(|c| c.is(XADES_NS, "SignedProperties"));
    let sp = sps
        .next()
        .ok_or_else(|| xades_error("no xades:SignedProperties"))?;
    if sps.next().is_some() {
        return Err(xades_error("more than one xades:SignedProperties"));
    }
    let sp_id = sp
        .attribute("Id")
        .ok_or_else(|| xades_error("SignedProperties has no Id"))?;
    let covering = verified.references.iter().find(|r| {
        matches!(&r.coverage, Coverage::Element { element, excluded } if *element == sp && excluded.is_empty())
    });
    match covering {
        None => {
            return Err(xades_error(format!(
                "no reference covers SignedProperties (Id {sp_id})"
            )));
        }
        Some(r) if r.type_uri.as_deref() != Some(SIGNED_PROPERTIES_TYPE) => {
            return Err(xades_error(format!(
                "the reference to SignedProperties has Type {:?}, not {SIGNED_PROPERTIES_TYPE}",
                r.type_uri.as_deref().unwrap_or("")
            )));
        }
        Some(_) => {}
    }
    let ssp = sp
        .child(XADES_NS, "SignedSignatureProperties")
        .ok_or_else(|| xades_error("no SignedSignatureProperties"))?;

    // The signer's certificate.
    let cert = verified
        .signer
        .certificate
        .clone()
        .ok_or_else(|| xades_error("the signature was not verified with a certificate"))?;

    // SigningTime within the certificate's validity.
    let signing_time = match ssp.child(XADES_NS, "SigningTime") {
        Some(el) => {
            let text = el.text();
            let t = datetime::parse(text.trim()).ok_or_else(|| {
                Error::Signature(SignatureError::SigningTimeInvalid {
                    detail: format!("`{}` is not an xsd:dateTime", text.trim()),
                })
            })?;
            check_not_in_future(t, options)?;
            if t < cert.not_before() || t > cert.not_after() {
                return Err(Error::Signature(SignatureError::SigningTimeInvalid {
                    detail: format!(
                        "signing time {} lies outside the certificate's validity {} – {}",
                        datetime::format(t),
                        datetime::format(cert.not_before()),
                        datetime::format(cert.not_after())
                    ),
                }));
            }
            Some(t)
        }
        None => None,
    };

    // SigningCertificate (v1) or SigningCertificateV2.
    let v1 = ssp.child(XADES_NS, "SigningCertificate");
    let v2 = ssp.child(XADES_NS, "SigningCertificateV2");
    let version = match (v1, v2) {
        (Some(list), None) => {
            check_signing_certificate(list, &cert, sha1 || options.allow_legacy_algorithms, false)?;
            "v1"
        }
        (None, Some(list)) => {
            check_signing_certificate(list, &cert, sha1 || options.allow_legacy_algorithms, true)?;
            "v2"
        }
        (None, None) => {
            // XAdES 1.3.2 §4.4.1: without SigningCertificate, the signing certificate must be
            // protected by signing the KeyInfo that carries it.
            let key_info = signature.child(DSIG_NS, "KeyInfo");
            let covered = key_info.is_some_and(|ki| {
                verified.references.iter().any(|r| {
                    matches!(&r.coverage, Coverage::Element { element, excluded }
                        if *element == ki && excluded.is_empty())
                })
            });
            if !covered {
                return Err(xades_error(
                    "neither SigningCertificate(V2) nor a signed KeyInfo protects the signing certificate",
                ));
            }
            "keyinfo"
        }
        (Some(_), Some(_)) => {
            return Err(xades_error(
                "both SigningCertificate and SigningCertificateV2",
            ));
        }
    };

    let policy_id = check_signature_policy(ssp)?;
    check_data_object_formats(sp, &verified)?;
    let profile = detect(&verified);
    profile.check_objects(signature)?;
    if sha1 && profile != Profile::ZusLegacy && !options.allow_legacy_algorithms {
        return Err(Error::Format(FormatError::Unsupported {
            what: "digest",
            name: "SHA-1 outside the zus-legacy profile".into(),
        }));
    }
    let mut report = report(
        &verified,
        profile,
        signing_time,
        version,
        &cert,
        signature_id,
        root,
    );
    report.signature_policy = policy_id;
    if let (Some(t), Some(stamped)) = (signing_time, stamped_at)
        && t > stamped.saturating_add(options.max_clock_skew.max(Duration::ZERO))
    {
        return Err(Error::Signature(SignatureError::SigningTimeInvalid {
            detail: format!(
                "signing time {} is later than the signature's trusted time-stamp {}",
                datetime::format(t),
                datetime::format(stamped)
            ),
        }));
    }
    report.timestamps = stamps
        .iter()
        .map(|t| match t {
            Ok(t) => TimestampReport::new(t),
            Err(e) => TimestampReport::invalid(e),
        })
        .collect();
    let now = OffsetDateTime::now_utc();
    report.judged_at = datetime::format(judged_at.unwrap_or(now));
    if let Some(checker) = &options.revocation {
        let judged_by = match (requested_at, stamped_at) {
            (Some(_), _) => JudgedBy::Requested,
            (None, Some(_)) => JudgedBy::TimeStamp,
            (None, None) => JudgedBy::VerificationTime,
        };
        report.revocation = Some(checker.check_signer(
            &cert,
            &verified.signer.chain,
            judged_at.unwrap_or(now),
            judged_by,
            // The CRL must be current now; an instant asked for in the future (a simulator
            // whose clock was moved) moves "now" with it.
            requested_at.map_or(now, |at| at.max(now)),
        )?);
    }
    Ok(report)
}

/// A `SigningTime` may not lie after the verification instant by more than the allowed skew:
/// a signature cannot have been made in the future.
fn check_not_in_future(signing_time: OffsetDateTime, options: &VerifyOptions) -> Result<()> {
    let at = options.at.unwrap_or_else(OffsetDateTime::now_utc);
    let skew = options.max_clock_skew.max(Duration::ZERO);
    if signing_time > at.saturating_add(skew) {
        return Err(Error::Signature(SignatureError::SigningTimeInvalid {
            detail: format!(
                "signing time {} is later than the verification instant {} by more than the \
                 allowed clock skew of {} s",
                datetime::format(signing_time),
                datetime::format(at),
                skew.whole_seconds()
            ),
        }));
    }
    Ok(())
}

/// Every `DataObjectFormat` must point (`ObjectReference="#id"`) at a reference of the
/// signature.
fn check_data_object_formats(sp: Element<'_, '_>, verified: &Verified<'_, '_>) -> Result<()> {
    let Some(sdop) = sp.child(XADES_NS, "SignedDataObjectProperties") else {
        return Ok(());
    };
    for dof in sdop
        .children()
        .filter(|c| c.is(XADES_NS, "DataObjectFormat"))
    {
        let target = dof.attribute("ObjectReference").unwrap_or("");
        let id = target.strip_prefix('#').unwrap_or("");
        let known =
            verified
                .references
                .iter()
                .any(|r| r.id.as_deref() == Some(id))
                || verified.signature.node.descendants().any(|n| {
                    n.has_tag_name((DSIG_NS, "Reference")) && n.attribute("Id") == Some(id)
                });
        if id.is_empty() || !known {
            return Err(xades_error(format!(
                "DataObjectFormat refers to `{target}`, which is not a reference of the signature"
            )));
        }
    }
    Ok(())
}

/// `SignaturePolicyIdentifier` (XAdES-EPES), when present, must be well formed: implied, or an
/// identifier with the policy's hash. The hash is reported, not checked against the policy
/// document, which ezla never fetches.
fn check_signature_policy(ssp: Element<'_, '_>) -> Result<Option<String>> {
    let Some(spi) = ssp.child(XADES_NS, "SignaturePolicyIdentifier") else {
        return Ok(None);
    };
    if spi.child(XADES_NS, "SignaturePolicyImplied").is_some() {
        return Ok(Some("implied".into()));
    }
    let id = spi
        .child(XADES_NS, "SignaturePolicyId")
        .ok_or_else(|| xades_error("SignaturePolicyIdentifier is neither implied nor an Id"))?;
    let identifier = id
        .child(XADES_NS, "SigPolicyId")
        .and_then(|s| s.child(XADES_NS, "Identifier"))
        .map(|i| i.text().trim().to_string())
        .ok_or_else(|| xades_error("SignaturePolicyId without SigPolicyId/Identifier"))?;
    let hash = id.child(XADES_NS, "SigPolicyHash").ok_or_else(|| {
        xades_error(format!(
            "signature policy {identifier} has no SigPolicyHash"
        ))
    })?;
    let has_method = hash
        .child(DSIG_NS, "DigestMethod")
        .and_then(|m| m.attribute("Algorithm"))
        .is_some();
    let has_value = hash.child(DSIG_NS, "DigestValue").is_some();
    if !(has_method && has_value) {
        return Err(xades_error(format!(
            "signature policy {identifier}: SigPolicyHash lacks DigestMethod or DigestValue"
        )));
    }
    Ok(Some(identifier))
}

/// Checks `SigningCertificate(V2)`: some `Cert` must carry the digest of the certificate that
/// verified the signature, and every `Cert` that names that certificate by issuer and serial
/// must carry its digest (a `Cert` claiming the signer with another digest is a substitution).
fn check_signing_certificate(
    list: Element<'_, '_>,
    cert: &Certificate,
    sha1_ok: bool,
    v2: bool,
) -> Result<()> {
    let mismatch =
        |detail: String| Error::Signature(SignatureError::SigningCertificateMismatch { detail });
    let mut found = false;
    for c in list.children().filter(|c| c.is(XADES_NS, "Cert")) {
        let digest_el = c
            .child(XADES_NS, "CertDigest")
            .ok_or_else(|| xades_error("Cert without CertDigest"))?;
        let method = digest_el
            .child(DSIG_NS, "DigestMethod")
            .and_then(|m| m.attribute("Algorithm"))
            .ok_or_else(|| xades_error("CertDigest without DigestMethod"))?;
        let algorithm = digest_from_uri(method).ok_or_else(|| {
            Error::Format(FormatError::Unsupported {
                what: "CertDigest digest method",
                name: method.to_string(),
            })
        })?;
        if algorithm == DigestAlgorithm::Sha1 && !sha1_ok {
            return Err(Error::Format(FormatError::Unsupported {
                what: "CertDigest digest method",
                name: "SHA-1 outside the zus-legacy profile".into(),
            }));
        }
        let value = digest_el
            .child(DSIG_NS, "DigestValue")
            .ok_or_else(|| xades_error("CertDigest without DigestValue"))?;
        let digest_matches =
            base64::decode("CertDigest/DigestValue", &value.text())? == cert.fingerprint(algorithm);
        let names_signer = if v2 {
            match c.child(XADES_NS, "IssuerSerialV2") {
                Some(is) => Some(crate::pki::ess::issuer_serial_names(
                    &base64::decode("IssuerSerialV2", &is.text())?,
                    cert,
                )?),
                None => None,
            }
        } else {
            let is = c
                .child(XADES_NS, "IssuerSerial")
                .ok_or_else(|| xades_error("Cert without IssuerSerial"))?;
            Some(issuer_serial_names(is, cert)?)
        };
        match (digest_matches, names_signer) {
            (true, Some(false)) => {
                return Err(mismatch(format!(
                    "the Cert with the signing certificate's digest names issuer/serial {}, not `{}` / {}",
                    describe_issuer_serial(c),
                    cert.issuer().to_rfc4514(),
                    cert.serial_decimal()
                )));
            }
            (false, Some(true)) => {
                return Err(mismatch(
                    "a Cert names the signing certificate by issuer and serial but carries another digest"
                        .into(),
                ));
            }
            (true, _) => found = true,
            (false, _) => {}
        }
    }
    if found {
        Ok(())
    } else {
        Err(mismatch(
            "no Cert's CertDigest matches the certificate that verified the signature".into(),
        ))
    }
}

fn describe_issuer_serial(c: Element<'_, '_>) -> String {
    c.child(XADES_NS, "IssuerSerial")
        .map(|is| {
            let part = |n: &str| {
                is.child(DSIG_NS, n)
                    .map(|e| e.text().trim().to_string())
                    .unwrap_or_default()
            };
            format!(
                "`{}` / {}",
                part("X509IssuerName"),
                part("X509SerialNumber")
            )
        })
        .unwrap_or_else(|| "(IssuerSerialV2)".into())
}

/// Whether an `IssuerSerial` names the certificate.
fn issuer_serial_names(is: Element<'_, '_>, cert: &Certificate) -> Result<bool> {
    let name = is
        .child(DSIG_NS, "X509IssuerName")
        .ok_or_else(|| xades_error("IssuerSerial without X509IssuerName"))?
        .text();
    let serial = is
        .child(DSIG_NS, "X509SerialNumber")
        .ok_or_else(|| xades_error("IssuerSerial without X509SerialNumber"))?
        .text();
    let parsed = dn::parse(name.trim()).ok_or_else(|| {
        Error::Signature(SignatureError::SigningCertificateMismatch {
            detail: format!(
                "X509IssuerName `{}` is not a distinguished name",
                name.trim()
            ),
        })
    })?;
    let normalize = |s: &str| {
        let (sign, digits) = match s.trim().strip_prefix('-') {
            Some(d) => ("-", d),
            None => ("", s.trim()),
        };
        let digits = digits.trim_start_matches('0');
        format!("{sign}{}", if digits.is_empty() { "0" } else { digits })
    };
    Ok(dn::equal(&parsed, &dn::from_name(cert.issuer()))
        && normalize(&serial) == normalize(&cert.serial_decimal()))
}

/// The profile a verified signature's shape matches.
fn detect(v: &Verified<'_, '_>) -> Profile {
    let refs = &v.references;
    let zus_shape = v.canonicalization.uri() == C14N_10
        && refs.len() == 2
        && refs[0].uri.is_empty()
        && refs[0].transforms == [XPATH.to_string()]
        && refs[1].type_uri.as_deref() == Some(SIGNED_PROPERTIES_TYPE)
        && refs[1].transforms == [EXC_C14N.to_string()];
    let all = |d: DigestAlgorithm| v.algorithm.digest() == d && refs.iter().all(|r| r.digest == d);
    match (
        zus_shape,
        all(DigestAlgorithm::Sha1),
        all(DigestAlgorithm::Sha256),
    ) {
        (true, true, _)
            if matches!(
                v.signer.public_key.kind(),
                crate::crypto::KeyKind::Rsa { .. }
            ) =>
        {
            Profile::ZusLegacy
        }
        (true, _, true) => Profile::Zus,
        _ => Profile::XadesBes,
    }
}

fn report(
    v: &Verified<'_, '_>,
    profile: Profile,
    signing_time: Option<OffsetDateTime>,
    version: &str,
    cert: &Certificate,
    signature_id: &str,
    root: Element<'_, '_>,
) -> Report {
    let references = v
        .references
        .iter()
        .map(|r| ReferenceReport::new(r, root))
        .collect();
    Report {
        profile,
        signature_algorithm: v.algorithm.name(),
        canonicalization: v.canonicalization.uri().to_string(),
        signing_time: signing_time.map(datetime::format),
        signing_certificate: version.to_string(),
        signer: SignerReport {
            subject: cert.subject().to_rfc4514(),
            issuer: cert.issuer().to_rfc4514(),
            serial: cert.serial_decimal(),
            pesel: cert.pesel().map(|p| p.as_str().to_string()),
            not_before: datetime::format(cert.not_before()),
            not_after: datetime::format(cert.not_after()),
            sha256_fingerprint: cert.fingerprint_hex(DigestAlgorithm::Sha256),
        },
        trust: v.signer.trust.name().to_string(),
        chain: v
            .signer
            .chain
            .iter()
            .map(|c| c.subject().to_rfc4514())
            .collect(),
        signature_id: signature_id.to_string(),
        document_element: format!(
            "{{{}}}{}",
            root.namespace().unwrap_or(""),
            root.local_name()
        ),
        references,
        signature_policy: None,
        timestamps: Vec::new(),
        judged_at: String::new(),
        revocation: None,
    }
}
