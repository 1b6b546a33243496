//! Trust anchors and certificate path checks.
//!
//! [`verify_chain`] builds a path from a leaf certificate through the given intermediates to
//! one of the [`TrustAnchors`] and checks, for every link: the issuer's signature (RSA
//! PKCS#1 v1.5 or ECDSA, SHA-1 or SHA-2), that the issuer is a CA (basic constraints `cA`,
//! `keyCertSign` when key usage is present, path length constraints), and that every
//! certificate — anchors included, stricter than RFC 5280 — is valid at the instant given.
//! Names link certificates; key identifiers, when both are present, must agree.
//!
//! Not checked: revocation (no CRL or OCSP fetching), name constraints and certificate
//! policies (certificates that make those critical are refused when parsed).

use time::OffsetDateTime;

use super::x509::Certificate;
use crate::error::CertificateError;
use crate::{Error, Result};

/// The longest path accepted, anchor included.
const MAX_PATH: usize = 8;

/// A set of trusted root (or pinned intermediate) certificates.
#[derive(Clone, Debug, Default)]
pub struct TrustAnchors {
    anchors: Vec<Certificate>,
}

impl TrustAnchors {
    /// Trusts these certificates.
    pub fn new(certificates: impl IntoIterator<Item = Certificate>) -> Self {
        let mut anchors: Vec<Certificate> = Vec::new();
        for c in certificates {
            if !anchors.contains(&c) {
                anchors.push(c);
            }
        }
        TrustAnchors { anchors }
    }

    /// Trusts every certificate of a PEM bundle (such as `ca.pem` or a CA bundle file).
    ///
    /// Fails when the text is not PEM, when a certificate in it does not parse, or when it
    /// holds no certificate.
    pub fn from_pem_bundle(pem: &[u8]) -> Result<Self> {
        let certs = Certificate::all_from_pem(pem)?;
        if certs.is_empty() {
            return Err(Error::malformed(
                crate::error::Format::Pem,
                "trust anchors",
                "no CERTIFICATE block",
            ));
        }
        Ok(Self::new(certs))
    }

    /// Adds a certificate.
    pub fn add(&mut self, certificate: Certificate) {
        if !self.anchors.contains(&certificate) {
            self.anchors.push(certificate);
        }
    }

    /// The trusted certificates.
    pub fn certificates(&self) -> &[Certificate] {
        &self.anchors
    }

    /// How many certificates are trusted.
    pub fn len(&self) -> usize {
        self.anchors.len()
    }

    /// Whether no certificate is trusted.
    pub fn is_empty(&self) -> bool {
        self.anchors.is_empty()
    }

    /// [`verify_chain`] with these anchors.
    pub fn verify(
        &self,
        leaf: &Certificate,
        intermediates: &[Certificate],
        at: OffsetDateTime,
    ) -> Result<Vec<Certificate>> {
        verify_chain(leaf, intermediates, self, at)
    }
}

/// Checks that `leaf` chains to one of `anchors` through `intermediates` at instant `at`,
/// and returns the path: the leaf first, the anchor last.
///
/// Errors: [`CertificateError::Expired`] / [`CertificateError::NotYetValid`] for a
/// certificate outside its validity (named by its subject);
/// [`CertificateError::Untrusted`] when no issuer can be found;
/// [`CertificateError::ChainInvalid`] when an issuer is found but a signature does not
/// verify or the issuer may not issue certificates; [`FormatError::Unsupported`](crate::error::FormatError::Unsupported) for an unknown
/// signature algorithm.
pub fn verify_chain(
    leaf: &Certificate,
    intermediates: &[Certificate],
    anchors: &TrustAnchors,
    at: OffsetDateTime,
) -> Result<Vec<Certificate>> {
    leaf.check_valid_at(at)?;
    let mut path = vec![leaf.clone()];
    extend(&mut path, intermediates, anchors, at)?;
    Ok(path)
}

/// Extends `path` (whose last element is already checked) up to an anchor.
fn extend(
    path: &mut Vec<Certificate>,
    intermediates: &[Certificate],
    anchors: &TrustAnchors,
    at: OffsetDateTime,
) -> Result<()> {
    let Some(current) = path.last().cloned() else {
        return Err(Error::internal("empty certificate path"));
    };
    if anchors.anchors.contains(&current) {
        return Ok(());
    }
    if path.len() >= MAX_PATH {
        return Err(Error::Certificate(CertificateError::ChainInvalid {
            subject: current.subject().to_rfc4514(),
            detail: format!("no trust anchor within {MAX_PATH} certificates"),
        }));
    }
    let links = |c: &Certificate| {
        c.subject().matches(current.issuer())
            && match (current.authority_key_id(), c.subject_key_id()) {
                (Some(aki), Some(ski)) => aki == ski,
                _ => true,
            }
    };
    let candidates: Vec<(Certificate, bool)> = anchors
        .anchors
        .iter()
        .filter(|c| links(c))
        .map(|c| (c.clone(), true))
        .chain(
            intermediates
                .iter()
                .filter(|c| links(c) && !path.contains(c))
                .map(|c| (c.clone(), false)),
        )
        .collect();
    let mut first_error = None;
    for (issuer, is_anchor) in candidates {
        let attempt = check_link(&current, &issuer, is_anchor, path, at).and_then(|()| {
            path.push(issuer.clone());
            if is_anchor {
                return Ok(());
            }
            let r = extend(path, intermediates, anchors, at);
            if r.is_err() {
                path.pop();
            }
            r
        });
        match attempt {
            Ok(()) => return Ok(()),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or_else(|| Error::Certificate(CertificateError::Untrusted {
        subject: current.subject().to_rfc4514(),
        detail: format!(
            "its issuer `{}` is neither a trust anchor nor among the {} intermediate certificate(s) given",
            current.issuer().to_rfc4514(),
            intermediates.len()
        ),
    })))
}

/// Checks that `issuer` may have issued `child` at `at`.
fn check_link(
    child: &Certificate,
    issuer: &Certificate,
    is_anchor: bool,
    path: &[Certificate],
    at: OffsetDateTime,
) -> Result<()> {
    let invalid = |detail: String| {
        Error::Certificate(CertificateError::ChainInvalid {
            subject: issuer.subject().to_rfc4514(),
            detail,
        })
    };
    issuer.check_valid_at(at)?;
    match issuer.basic_constraints() {
        Some(bc) if !bc.ca => {
            return Err(invalid(
                "it is not a CA (basic constraints cA is false)".into(),
            ));
        }
        None if !is_anchor => {
            return Err(invalid(
                "it has no basic constraints, so it is not a CA".into(),
            ));
        }
        Some(bc) => {
            // Intermediates below this issuer, not counting the leaf or self-issued ones.
            let below = path.iter().skip(1).filter(|c| !c.is_self_issued()).count();
            if let Some(max) = bc.path_len
                && below > usize::from(max)
            {
                return Err(invalid(format!(
                    "its path length constraint of {max} is exceeded ({below} intermediate CA(s) below it)"
                )));
            }
        }
        None => {}
    }
    if let Some(ku) = issuer.key_usage()
        && !ku.contains(super::KeyUsage::KEY_CERT_SIGN)
    {
        return Err(invalid("its key usage does not include keyCertSign".into()));
    }
    child.verify_signature(issuer.public_key())
}

/// Decides whether a certificate (the one that verified a signature, or the one a server
/// presented) is trusted.
///
/// [`TrustAnchors`] implements it; callers may supply their own (an OS store, a
/// CRL-checking validator). XML-DSig and XAdES verification, and later CMS and the
/// login.gov.pl assertions, take it as `Arc<dyn CertificateValidator>`.
pub trait CertificateValidator: Send + Sync + std::fmt::Debug {
    /// Validates `leaf` at instant `at`, using `intermediates` (the other certificates the
    /// signature carries) to build a path. Returns the path, leaf first.
    fn validate(
        &self,
        leaf: &Certificate,
        intermediates: &[Certificate],
        at: OffsetDateTime,
    ) -> Result<Vec<Certificate>>;
}

impl CertificateValidator for TrustAnchors {
    /// Runs [`verify_chain`]; returns the path, leaf first.
    fn validate(
        &self,
        leaf: &Certificate,
        intermediates: &[Certificate],
        at: OffsetDateTime,
    ) -> Result<Vec<Certificate>> {
        self.verify(leaf, intermediates, at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;
    use crate::crypto::KeySpec;
    use crate::pki::Name;
    use crate::pki::testca::{IssueOptions, TestCa};
    use time::macros::datetime;

    const START: OffsetDateTime = datetime!(2025-01-01 00:00 UTC);
    const AT: OffsetDateTime = datetime!(2026-06-01 00:00 UTC);

    fn ca(name: &str) -> TestCa {
        TestCa::generate_with(KeySpec::EcP256, name, START, 3650).expect("ca")
    }

    fn intermediate(parent: &TestCa, name: &str, path_len: Option<u8>) -> TestCa {
        let key = crate::crypto::PrivateKey::generate(KeySpec::EcP256).expect("key");
        let mut options = IssueOptions::intermediate_ca(START, 3000);
        options.path_len = path_len;
        let subject = Name::builder().common_name(name).build().expect("name");
        let cert = parent
            .issue(&subject, crate::crypto::Signer::public_key(&key), &options)
            .expect("issue");
        TestCa::new(key, cert).expect("intermediate")
    }

    fn leaf(issuer: &TestCa) -> Certificate {
        let key = crate::crypto::PrivateKey::generate(KeySpec::EcP256).expect("key");
        let subject = Name::builder().common_name("leaf").build().expect("name");
        issuer
            .issue(
                &subject,
                crate::crypto::Signer::public_key(&key),
                &IssueOptions::doctor(START),
            )
            .expect("leaf")
    }

    #[test]
    fn paths_are_built_through_intermediates() {
        let root = ca("root");
        let int = intermediate(&root, "intermediate", None);
        let leaf = leaf(&int);
        let anchors = TrustAnchors::new([root.certificate().clone()]);
        let path = verify_chain(&leaf, &[int.certificate().clone()], &anchors, AT).expect("path");
        assert_eq!(
            path,
            vec![
                leaf.clone(),
                int.certificate().clone(),
                root.certificate().clone()
            ]
        );
        // Irrelevant extra intermediates do not matter.
        let other = ca("other");
        let path = anchors
            .verify(
                &leaf,
                &[other.certificate().clone(), int.certificate().clone()],
                AT,
            )
            .expect("path");
        assert_eq!(path.len(), 3);
        // An anchor verifies as itself.
        assert_eq!(
            anchors
                .verify(root.certificate(), &[], AT)
                .expect("anchor")
                .len(),
            1
        );
        // Pinning the intermediate works too.
        let pinned = TrustAnchors::new([int.certificate().clone()]);
        assert_eq!(pinned.verify(&leaf, &[], AT).expect("pinned").len(), 2);
    }

    #[test]
    fn failures_are_typed() {
        let root = ca("root");
        let int = intermediate(&root, "intermediate", None);
        let leaf_cert = leaf(&int);
        let anchors = TrustAnchors::new([root.certificate().clone()]);
        let chain = [int.certificate().clone()];
        let code = |r: Result<Vec<Certificate>>| r.expect_err("must fail").code();

        assert_eq!(
            code(anchors.verify(&leaf_cert, &[], AT)),
            ErrorCode::CertificateUntrusted
        );
        assert_eq!(
            code(anchors.verify(&leaf_cert, &chain, datetime!(2031-01-01 0:00 UTC))),
            ErrorCode::CertificateExpired
        );
        assert_eq!(
            code(anchors.verify(&leaf_cert, &chain, datetime!(2024-01-01 0:00 UTC))),
            ErrorCode::CertificateNotYetValid
        );
        let stranger = TrustAnchors::new([ca("root").certificate().clone()]);
        assert_eq!(
            code(stranger.verify(&leaf_cert, &chain, AT)),
            ErrorCode::CertificateUntrusted
        );

        // A broken signature on the leaf.
        let mut der = leaf_cert.to_der().to_vec();
        let last = der.len() - 1;
        der[last] ^= 1;
        let forged = Certificate::from_der(&der).expect("still parses");
        let err = anchors.verify(&forged, &chain, AT).expect_err("forged");
        assert_eq!(err.code(), ErrorCode::CertificateChainInvalid, "{err}");

        // An end-entity certificate cannot issue.
        let ee = TestCa {
            key: crate::crypto::PrivateKey::generate(KeySpec::EcP256).expect("key"),
            certificate: leaf_cert.clone(),
        };
        let ee_key_cert = {
            let mut options = IssueOptions::doctor(START);
            options.revocation_urls = false;
            int.issue(
                leaf_cert.subject(),
                crate::crypto::Signer::public_key(&ee.key),
                &options,
            )
            .expect("ee")
        };
        let ee = TestCa {
            key: ee.key,
            certificate: ee_key_cert,
        };
        let victim = leaf(&ee);
        let err = anchors
            .verify(
                &victim,
                &[ee.certificate().clone(), int.certificate().clone()],
                AT,
            )
            .expect_err("ee issuer");
        assert_eq!(err.code(), ErrorCode::CertificateChainInvalid);
        assert!(err.to_string().contains("not a CA"), "{err}");

        // Path length: root → int0 (pathlen 0) → int2 → leaf.
        let int0 = intermediate(&root, "int0", Some(0));
        let int2 = intermediate(&int0, "int2", None);
        let deep = leaf(&int2);
        let err = anchors
            .verify(
                &deep,
                &[int0.certificate().clone(), int2.certificate().clone()],
                AT,
            )
            .expect_err("path length");
        assert!(err.to_string().contains("path length"), "{err}");
    }

    #[test]
    fn pem_bundles() {
        let a = ca("a");
        let b = ca("b");
        let bundle = format!("{}{}", a.certificate().to_pem(), b.certificate().to_pem());
        let anchors = TrustAnchors::from_pem_bundle(bundle.as_bytes()).expect("bundle");
        assert_eq!(anchors.len(), 2);
        assert!(!anchors.is_empty());
        let err = TrustAnchors::from_pem_bundle(b"nothing").expect_err("no pem");
        assert_eq!(err.code(), ErrorCode::PemMalformed);
        let key_only = crate::pki::pem::encode("PRIVATE KEY", b"\x30\x00");
        let err = TrustAnchors::from_pem_bundle(key_only.as_bytes()).expect_err("no certs");
        assert_eq!(err.code(), ErrorCode::PemMalformed);
    }
}
