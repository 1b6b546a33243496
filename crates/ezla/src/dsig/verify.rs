//! Strict XML-DSig verification.

use std::sync::Arc;

use time::OffsetDateTime;

use super::algorithms::{DSIG_NS, digest_from_uri, signature_from_uri};
use super::keyinfo;
use super::reference::{self, Coverage};
use crate::crypto::{Backend, DigestAlgorithm, KeyKind, PublicKey, SignatureAlgorithm};
use crate::error::{FormatError, KeyError, SignatureError, XmlError};
use crate::pki::{Certificate, CertificateValidator};
use crate::xml::base64::decode as decode_base64;
use crate::xml::c14n::{Canonicalizer, Method};
use crate::xml::{Document, Element};
use crate::{Error, Result};

/// Which key verifies a signature.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum KeySelection {
    /// This key, whatever `KeyInfo` says (`KeyInfo` is ignored).
    Pinned(PublicKey),
    /// This certificate's key; the certificate is reported as the signer's, so that XAdES
    /// can check its signed properties against it. `KeyInfo` is ignored.
    PinnedCertificate(Certificate),
    /// A certificate from `X509Data` that chains to a trust anchor at the verification
    /// instant.
    Trusted(Arc<dyn CertificateValidator>),
    /// Whatever key `KeyInfo` carries (a certificate or a `KeyValue`), trusted blindly.
    ///
    /// This proves only that the document was not altered since someone signed it, not who
    /// signed it; the result says so ([`Trust::Untrusted`]). Use it to inspect documents,
    /// never to accept them.
    EmbeddedUntrusted,
}

/// How far the verifying key is trusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Trust {
    /// The caller supplied the key.
    Pinned,
    /// The certificate chains to a caller's trust anchor.
    Chain,
    /// The key came from the document itself.
    Untrusted,
}

impl Trust {
    /// `pinned`, `chain` or `untrusted`, as reports give it.
    pub fn name(self) -> &'static str {
        match self {
            Trust::Pinned => "pinned",
            Trust::Chain => "chain",
            Trust::Untrusted => "untrusted",
        }
    }
}

/// Algorithm and size policy for verification.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifyPolicy {
    /// Accept SHA-1 digests and RSA-SHA1/ECDSA-SHA1 signatures. Default: false; the
    /// `zus-legacy` XAdES profile turns it on.
    pub allow_sha1: bool,
    /// Smallest RSA modulus accepted. Default: 2048.
    pub min_rsa_bits: usize,
    /// Most references in one `SignedInfo`. Default: 16.
    pub max_references: usize,
    /// Most transforms in one reference. Default: 8.
    pub max_transforms: usize,
    /// Most signatures [`Verifier::verify_all_enveloped`] verifies in one document (each
    /// digests the whole document). Default: 8.
    pub max_signatures: usize,
    /// Most nodes the XPath filters of one signature may visit. Default (`None`): 1 000 000
    /// plus 16 per node of the document, so that the cost stays linear in its size.
    pub xpath_budget: Option<u64>,
    /// How many times the document's size the references of one signature may cover
    /// together (plus 1 MiB), so that sixteen references to the whole document cannot make
    /// one verification canonicalize it sixteen times. Default: 4.
    pub max_coverage_ratio: usize,
    /// The instant certificates are checked at. Default: now.
    pub at: Option<OffsetDateTime>,
    /// The backend for the signature check.
    pub backend: Backend,
}

impl Default for VerifyPolicy {
    fn default() -> Self {
        VerifyPolicy {
            allow_sha1: false,
            min_rsa_bits: 2048,
            max_references: 16,
            max_transforms: 8,
            max_signatures: 8,
            xpath_budget: None,
            max_coverage_ratio: 4,
            at: None,
            backend: Backend::default(),
        }
    }
}

impl VerifyPolicy {
    /// The strict default.
    pub fn strict() -> Self {
        Self::default()
    }

    /// Accepts SHA-1 and RSA keys of 1024 bits and more: for legacy documents such as ZUS's
    /// 2015–2018 samples and the W3C interop vectors.
    pub fn legacy() -> Self {
        VerifyPolicy {
            allow_sha1: true,
            min_rsa_bits: 1024,
            ..Self::default()
        }
    }

    /// Checks certificates at `at` instead of now.
    pub fn at(mut self, at: OffsetDateTime) -> Self {
        self.at = Some(at);
        self
    }

    /// Uses `backend` for the signature check.
    pub fn with_backend(mut self, backend: Backend) -> Self {
        self.backend = backend;
        self
    }

    /// The XPath budget for one signature of `doc`.
    fn xpath_budget_for(&self, doc: &Document<'_>) -> u64 {
        self.xpath_budget.unwrap_or_else(|| {
            let nodes = doc.tree().descendants().len() as u64;
            1_000_000u64.saturating_add(nodes.saturating_mul(16))
        })
    }

    fn check_digest(&self, d: DigestAlgorithm) -> Result<()> {
        if d == DigestAlgorithm::Sha1 && !self.allow_sha1 {
            return Err(Error::Format(FormatError::Unsupported {
                what: "digest",
                name: "SHA-1 (refused by the strict policy; the legacy policy accepts it)".into(),
            }));
        }
        Ok(())
    }

    fn check_key(&self, key: &PublicKey) -> Result<()> {
        if let KeyKind::Rsa { bits } = key.kind()
            && bits < self.min_rsa_bits
        {
            return Err(Error::Key(KeyError::Unsupported {
                detail: format!(
                    "RSA key of {bits} bits (the policy requires at least {})",
                    self.min_rsa_bits
                ),
            }));
        }
        Ok(())
    }
}

/// A verified reference: what it covers and how.
#[derive(Clone, Debug)]
pub struct VerifiedReference<'d, 'a> {
    /// The `URI` attribute.
    pub uri: String,
    /// The reference's `Id`, if any.
    pub id: Option<String>,
    /// The `Type` attribute, if any.
    pub type_uri: Option<String>,
    /// The digest algorithm.
    pub digest: DigestAlgorithm,
    /// The transform algorithm URIs, in order.
    pub transforms: Vec<String>,
    /// Exactly what the digest covers.
    pub coverage: Coverage<'d, 'a>,
}

/// The key (and certificate) that verified a signature.
#[derive(Clone, Debug)]
pub struct SignerKey {
    /// The public key.
    pub public_key: PublicKey,
    /// The signer's certificate, when the key came from one.
    pub certificate: Option<Certificate>,
    /// The validated chain above the certificate, when a validator built one.
    pub chain: Vec<Certificate>,
    /// How far the key is trusted.
    pub trust: Trust,
}

/// A signature that verified: never a bare boolean. Read data only from what the references
/// cover.
#[derive(Clone, Debug)]
pub struct Verified<'d, 'a> {
    /// The `ds:Signature` element.
    pub signature: Element<'d, 'a>,
    /// The `ds:SignedInfo` element.
    pub signed_info: Element<'d, 'a>,
    /// How `SignedInfo` was canonicalized.
    pub canonicalization: Canonicalizer,
    /// The signature algorithm.
    pub algorithm: SignatureAlgorithm,
    /// Every reference, in order.
    pub references: Vec<VerifiedReference<'d, 'a>>,
    /// The key that verified.
    pub signer: SignerKey,
}

impl<'d, 'a> Verified<'d, 'a> {
    /// Whether some reference covers `element` (inside its coverage, outside its exclusions).
    pub fn covers(&self, element: &Element<'_, '_>) -> bool {
        self.references.iter().any(|r| r.coverage.covers(element))
    }

    /// Fails with [`SignatureError::ReferenceMismatch`](crate::error::SignatureError::ReferenceMismatch) unless some reference covers `element`
    /// *completely*: the element and all of its content, excluding nothing but signatures.
    pub fn require_covers(&self, element: &Element<'_, '_>) -> Result<&VerifiedReference<'d, 'a>> {
        self.references
            .iter()
            .find(|r| {
                r.coverage.covers(element)
                    && r.coverage
                        .excluded()
                        .iter()
                        .all(|x| x.is(DSIG_NS, "Signature") || !element.contains(x))
            })
            .ok_or_else(|| {
                Error::Signature(SignatureError::ReferenceMismatch {
                    detail: format!("no reference covers {} completely", element.path()),
                })
            })
    }
}

/// Verifies XML signatures with a key selection and a policy.
#[derive(Clone, Debug)]
pub struct Verifier {
    keys: KeySelection,
    policy: VerifyPolicy,
}

impl Verifier {
    /// A verifier with the strict default policy.
    pub fn new(keys: KeySelection) -> Self {
        Verifier {
            keys,
            policy: VerifyPolicy::default(),
        }
    }

    /// Replaces the policy.
    pub fn with_policy(mut self, policy: VerifyPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// The policy.
    pub fn policy(&self) -> &VerifyPolicy {
        &self.policy
    }

    /// Verifies the document's only signature, which must be a child of the document element,
    /// and requires a reference to cover the whole document element (signatures aside).
    ///
    /// A document with no signature fails with [`SignatureError::Missing`](crate::error::SignatureError::Missing); with more than one
    /// `ds:Signature` anywhere, with [`SignatureError::Ambiguous`](crate::error::SignatureError::Ambiguous).
    pub fn verify_enveloped<'d, 'a>(&self, doc: &'d Document<'a>) -> Result<Verified<'d, 'a>> {
        let signatures = find_signatures(doc);
        let signature = match signatures.as_slice() {
            [] => {
                return Err(Error::Signature(SignatureError::Missing {
                    detail: "no ds:Signature in the document".into(),
                }));
            }
            [one] => *one,
            more => {
                return Err(Error::Signature(SignatureError::Ambiguous {
                    count: more.len(),
                }));
            }
        };
        let root = Element {
            node: doc.tree().root_element(),
        };
        if signature.parent() != Some(root) {
            return Err(Error::Signature(SignatureError::Malformed {
                detail: format!(
                    "the signature at {} is not a child of the document element",
                    signature.path()
                ),
            }));
        }
        let verified = self.verify(doc, signature)?;
        verified.require_covers(&root)?;
        Ok(verified)
    }

    /// Verifies every signature that is a child of the document element (co-signatures),
    /// each of which must cover the whole document element except signatures.
    pub fn verify_all_enveloped<'d, 'a>(
        &self,
        doc: &'d Document<'a>,
    ) -> Result<Vec<Verified<'d, 'a>>> {
        let root = Element {
            node: doc.tree().root_element(),
        };
        let signatures = find_signatures(doc);
        if signatures.is_empty() {
            return Err(Error::Signature(SignatureError::Missing {
                detail: "no ds:Signature in the document".into(),
            }));
        }
        if signatures.len() > self.policy.max_signatures {
            return Err(Error::Signature(SignatureError::Ambiguous {
                count: signatures.len(),
            }));
        }
        let mut out = Vec::new();
        for signature in signatures {
            if signature.parent() != Some(root) {
                return Err(Error::Signature(SignatureError::Malformed {
                    detail: format!(
                        "the signature at {} is not a child of the document element",
                        signature.path()
                    ),
                }));
            }
            let verified = self.verify(doc, signature)?;
            verified.require_covers(&root)?;
            out.push(verified);
        }
        Ok(out)
    }

    /// Verifies one `ds:Signature` element. The caller then checks what it covers
    /// ([`Verified::require_covers`]).
    pub fn verify<'d, 'a>(
        &self,
        doc: &'d Document<'a>,
        signature: Element<'d, 'a>,
    ) -> Result<Verified<'d, 'a>> {
        if !signature.is(DSIG_NS, "Signature") {
            return Err(Error::invalid_argument(
                "signature",
                format!("{} is not a ds:Signature", signature.path()),
            ));
        }
        let ids = reference::collect_ids(doc)?;
        let mut children = signature.children();
        let signed_info = children
            .next()
            .filter(|e| e.is(DSIG_NS, "SignedInfo"))
            .ok_or_else(|| malformed("the first child of Signature must be SignedInfo"))?;
        let value_el = children
            .next()
            .filter(|e| e.is(DSIG_NS, "SignatureValue"))
            .ok_or_else(|| malformed("SignedInfo must be followed by SignatureValue"))?;
        let mut key_info = None;
        for child in children {
            match (child.namespace().unwrap_or(""), child.local_name()) {
                (DSIG_NS, "KeyInfo") if key_info.is_none() => key_info = Some(child),
                (DSIG_NS, "Object") => {}
                (_, name) => return Err(malformed(&format!("unexpected {name} in Signature"))),
            }
        }

        // SignedInfo: CanonicalizationMethod, SignatureMethod, Reference+.
        let mut si = signed_info.children();
        let c14n_el = si
            .next()
            .filter(|e| e.is(DSIG_NS, "CanonicalizationMethod"))
            .ok_or_else(|| malformed("SignedInfo must start with CanonicalizationMethod"))?;
        let c14n_uri = algorithm_of(c14n_el)?;
        let mut canonicalization = Canonicalizer::from_uri(c14n_uri).ok_or_else(|| {
            Error::Format(FormatError::Unsupported {
                what: "canonicalization method",
                name: c14n_uri.to_string(),
            })
        })?;
        if canonicalization.method() == Method::Exclusive10 {
            canonicalization =
                canonicalization.with_inclusive_prefixes(reference::inclusive_prefixes(c14n_el));
        }
        let method_el = si
            .next()
            .filter(|e| e.is(DSIG_NS, "SignatureMethod"))
            .ok_or_else(|| {
                malformed("CanonicalizationMethod must be followed by SignatureMethod")
            })?;
        let method_uri = algorithm_of(method_el)?;
        let algorithm = signature_from_uri(method_uri).ok_or_else(|| {
            Error::Format(FormatError::Unsupported {
                what: "signature method",
                name: method_uri.to_string(),
            })
        })?;
        if method_el.children().next().is_some() {
            return Err(malformed("SignatureMethod must be empty"));
        }
        self.policy.check_digest(algorithm.digest())?;
        let reference_els: Vec<Element<'d, 'a>> = si.collect();
        if reference_els.is_empty() {
            return Err(malformed("SignedInfo has no Reference"));
        }
        if reference_els.len() > self.policy.max_references {
            return Err(malformed(&format!(
                "more than {} references",
                self.policy.max_references
            )));
        }
        if let Some(other) = reference_els.iter().find(|r| !r.is(DSIG_NS, "Reference")) {
            return Err(malformed(&format!(
                "unexpected {} in SignedInfo",
                other.local_name()
            )));
        }

        // Read every reference first, so that an unsupported algorithm is reported as such.
        // Reading only parses: no transform is applied yet.
        let mut prepared = Vec::with_capacity(reference_els.len());
        for r in reference_els {
            prepared.push(self.read_reference(&ids, r)?);
        }

        // Authenticate before working: the signature value over the canonical SignedInfo,
        // with the pinned key or a certificate the validator trusts. Until this passes,
        // nothing the references say (XPath filters, transforms over the whole document)
        // is evaluated.
        let signature_value = decode_base64("SignatureValue", &value_el.text())?;
        let canonical = canonicalization.element(doc, signed_info)?;
        let signer =
            self.check_signature_value(algorithm, &canonical, &signature_value, key_info)?;

        // What the references cover, bounded before any of it is canonicalized.
        let covered: usize = prepared
            .iter()
            .map(|p| match p.start.0 {
                Some(element) => element.range().len(),
                None => doc.source().len(),
            })
            .sum();
        let allowed = doc
            .source()
            .len()
            .saturating_mul(self.policy.max_coverage_ratio)
            .saturating_add(1 << 20);
        if covered > allowed {
            return Err(Error::Xml(XmlError::LimitExceeded {
                limit: "bytes covered by one signature's references",
                max: allowed,
            }));
        }

        // Every reference's digest; XPath filters share one budget.
        let mut xpath_budget = self.policy.xpath_budget_for(doc);
        let mut references = Vec::with_capacity(prepared.len());
        for p in prepared {
            let (actual, coverage) = reference::digest(
                doc,
                p.start,
                &p.steps,
                Some(signature),
                p.digest,
                &mut xpath_budget,
            )?;
            if actual != p.expected {
                return Err(Error::Signature(SignatureError::DigestMismatch {
                    uri: p.uri,
                }));
            }
            references.push(VerifiedReference {
                uri: p.uri,
                id: p.id,
                type_uri: p.type_uri,
                digest: p.digest,
                transforms: p.transforms,
                coverage,
            });
        }
        Ok(Verified {
            signature,
            signed_info,
            canonicalization,
            algorithm,
            references,
            signer,
        })
    }

    fn read_reference<'d, 'a>(
        &self,
        ids: &std::collections::HashMap<&'d str, Element<'d, 'a>>,
        r: Element<'d, 'a>,
    ) -> Result<Prepared<'d, 'a>> {
        let uri = r
            .attribute("URI")
            .ok_or_else(|| {
                Error::Format(FormatError::Unsupported {
                    what: "reference",
                    name: "a Reference without URI (application-defined data)".into(),
                })
            })?
            .to_string();
        let mut parts = r.children();
        let mut next = parts.next();
        let transforms_el = match next {
            Some(t) if t.is(DSIG_NS, "Transforms") => {
                next = parts.next();
                Some(t)
            }
            _ => None,
        };
        let digest_method = next
            .filter(|e| e.is(DSIG_NS, "DigestMethod"))
            .ok_or_else(|| malformed("Reference without DigestMethod"))?;
        let digest_value = parts
            .next()
            .filter(|e| e.is(DSIG_NS, "DigestValue"))
            .ok_or_else(|| malformed("DigestMethod must be followed by DigestValue"))?;
        if let Some(extra) = parts.next() {
            return Err(malformed(&format!(
                "unexpected {} in Reference",
                extra.local_name()
            )));
        }
        let digest_uri = algorithm_of(digest_method)?;
        let digest = digest_from_uri(digest_uri).ok_or_else(|| {
            Error::Format(FormatError::Unsupported {
                what: "digest method",
                name: digest_uri.to_string(),
            })
        })?;
        self.policy.check_digest(digest)?;
        let expected = decode_base64("DigestValue", &digest_value.text())?;
        let (steps, transforms) =
            reference::read_transforms(transforms_el, self.policy.max_transforms)?;
        let start = reference::dereference(&uri, ids)?;
        Ok(Prepared {
            id: r.attribute("Id").map(str::to_string),
            type_uri: r.attribute("Type").map(str::to_string),
            uri,
            digest,
            expected,
            steps,
            transforms,
            start,
        })
    }

    fn check_signature_value(
        &self,
        algorithm: SignatureAlgorithm,
        canonical: &[u8],
        value: &[u8],
        key_info: Option<Element<'_, '_>>,
    ) -> Result<SignerKey> {
        let verify = |key: &PublicKey| -> Result<()> {
            self.policy.check_key(key)?;
            key.verify_with(self.policy.backend, algorithm, canonical, value)
        };
        match &self.keys {
            KeySelection::Pinned(key) => {
                verify(key)?;
                Ok(SignerKey {
                    public_key: key.clone(),
                    certificate: None,
                    chain: Vec::new(),
                    trust: Trust::Pinned,
                })
            }
            KeySelection::PinnedCertificate(certificate) => {
                let key = certificate.public_key();
                verify(key)?;
                Ok(SignerKey {
                    public_key: key.clone(),
                    certificate: Some(certificate.clone()),
                    chain: Vec::new(),
                    trust: Trust::Pinned,
                })
            }
            KeySelection::Trusted(validator) => {
                let contents = match key_info {
                    Some(k) => keyinfo::parse(k)?,
                    None => Default::default(),
                };
                if contents.certificates.is_empty() {
                    return Err(
                        contents.no_key_error("KeyInfo carries no X509Certificate to validate")
                    );
                }
                let mut last_error = None;
                for (i, cert) in contents.certificates.iter().enumerate() {
                    let key = keyinfo::certificate_key(cert)?;
                    match verify(&key) {
                        Ok(()) => {
                            let leaf = Certificate::from_der(cert)?;
                            let others = contents
                                .certificates
                                .iter()
                                .enumerate()
                                .filter(|(j, _)| *j != i)
                                .map(|(_, c)| Certificate::from_der(c))
                                .collect::<Result<Vec<_>>>()?;
                            let at = self.policy.at.unwrap_or_else(OffsetDateTime::now_utc);
                            let mut chain = validator.validate(&leaf, &others, at)?;
                            if !chain.is_empty() {
                                chain.remove(0);
                            }
                            return Ok(SignerKey {
                                public_key: key,
                                certificate: Some(leaf),
                                chain,
                                trust: Trust::Chain,
                            });
                        }
                        Err(e) => last_error = Some(e),
                    }
                }
                Err(last_error.unwrap_or_else(|| {
                    Error::Signature(SignatureError::Invalid {
                        detail: "no certificate in KeyInfo verifies the signature".into(),
                    })
                }))
            }
            KeySelection::EmbeddedUntrusted => {
                let contents = match key_info {
                    Some(k) => keyinfo::parse(k)?,
                    None => Default::default(),
                };
                let mut candidates: Vec<(PublicKey, Option<Vec<u8>>)> = Vec::new();
                for cert in &contents.certificates {
                    candidates.push((keyinfo::certificate_key(cert)?, Some(cert.clone())));
                }
                candidates.extend(contents.keys.iter().map(|k| (k.clone(), None)));
                if candidates.is_empty() {
                    return Err(contents.no_key_error("no KeyInfo with a key"));
                }
                let mut last_error = None;
                for (key, certificate) in candidates {
                    match verify(&key) {
                        Ok(()) => {
                            return Ok(SignerKey {
                                public_key: key,
                                certificate: certificate
                                    .as_deref()
                                    .map(Certificate::from_der)
                                    .transpose()?,
                                chain: Vec::new(),
                                trust: Trust::Untrusted,
                            });
                        }
                        Err(e) => last_error = Some(e),
                    }
                }
                Err(last_error.unwrap_or_else(|| {
                    Error::Signature(SignatureError::Invalid {
                        detail: "no key in KeyInfo verifies the signature".into(),
                    })
                }))
            }
        }
    }
}

/// A reference read and checked for support, not yet digested.
struct Prepared<'d, 'a> {
    uri: String,
    id: Option<String>,
    type_uri: Option<String>,
    digest: DigestAlgorithm,
    expected: Vec<u8>,
    steps: Vec<reference::Step>,
    transforms: Vec<String>,
    start: (Option<Element<'d, 'a>>, bool),
}

/// Every `ds:Signature` element of the document, in document order.
pub fn find_signatures<'d, 'a>(doc: &'d Document<'a>) -> Vec<Element<'d, 'a>> {
    doc.tree()
        .descendants()
        .filter(|n| n.has_tag_name((DSIG_NS, "Signature")))
        .filter_map(Element::new)
        .collect()
}

fn algorithm_of<'d>(e: Element<'d, '_>) -> Result<&'d str> {
    e.attribute("Algorithm")
        .ok_or_else(|| malformed(&format!("{} without Algorithm", e.local_name())))
}

fn malformed(detail: &str) -> Error {
    Error::Signature(SignatureError::Malformed {
        detail: detail.to_string(),
    })
}
