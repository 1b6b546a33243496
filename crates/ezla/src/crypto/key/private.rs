//! Software private keys: parsing (PKCS#8, PKCS#1, SEC1), generation, and signing and ECDH
//! key agreement on either backend.

use std::fmt;
use std::sync::{Arc, OnceLock};

use const_oid::ObjectIdentifier;
use const_oid::db::rfc5912::{ID_EC_PUBLIC_KEY, RSA_ENCRYPTION, SECP_256_R_1, SECP_384_R_1};
use der::asn1::{AnyRef, UintRef};
use der::{Decode, Encode};
use pkcs8::{DecodePrivateKey, EncodePrivateKey};
use zeroize::Zeroizing;

use super::{KeyKind, KeySpec, PublicKey, der_internal, oid_with_name};
#[cfg(feature = "aws-lc")]
use crate::crypto::backend::aws_lc;
use crate::crypto::backend::rustcrypto;
use crate::crypto::{Backend, KeyAgreement, SignatureAlgorithm, Signer};
use crate::error::Format;
use crate::error::{FormatError, KeyError};
use crate::{Error, Result};

/// A software private key (RSA, EC P-256 or P-384), held in memory and zeroized on drop.
///
/// Cheap to clone (reference-counted) and safe to share between threads.
#[derive(Clone)]
pub struct PrivateKey(Arc<PrivateInner>);

struct PrivateInner {
    pkcs8: Zeroizing<Vec<u8>>,
    public: PublicKey,
    backend: Backend,
    #[cfg(feature = "aws-lc")]
    /// The AWS-LC signing form, parsed on first use (or on the way in).
    aws_lc: OnceLock<std::result::Result<aws_lc::Private, String>>,
    /// The RustCrypto form, parsed on first use (or on the way in).
    rustcrypto: OnceLock<std::result::Result<rustcrypto::Private, String>>,
}

impl PrivateKey {
    /// Parses a DER PKCS#8 `PrivateKeyInfo` (unencrypted) for the default backend.
    ///
    /// The key is checked on the way in: a key the backend rejects fails here, not at the
    /// first signature.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self> {
        Self::from_pkcs8_der_with(Backend::default(), der)
    }

    /// Parses a DER PKCS#8 `PrivateKeyInfo` for the given backend.
    pub fn from_pkcs8_der_with(backend: Backend, der: &[u8]) -> Result<Self> {
        let info = pkcs8::PrivateKeyInfoRef::from_der(der)
            .map_err(|e| Error::malformed(Format::Der, "private key (PKCS#8)", e.to_string()))?;
        let alg = info.algorithm.oid;
        let public = if alg == RSA_ENCRYPTION {
            let key =
                rsa::pkcs1::RsaPrivateKey::<UintRef<'_>>::from_der(info.private_key.as_bytes())
                    .map_err(|e| Error::malformed(Format::Der, "RSA private key", e.to_string()))?;
            PublicKey::from_rsa_components(key.modulus.as_bytes(), key.public_exponent.as_bytes())?
        } else if alg == ID_EC_PUBLIC_KEY {
            let curve = super::named_curve(info.algorithm.parameters, "EC private key")?;
            if curve == SECP_256_R_1 {
                let sk = p256::SecretKey::from_pkcs8_der(der).map_err(|e| {
                    Error::malformed(Format::Der, "EC P-256 private key", e.to_string())
                })?;
                PublicKey::from_ec_point(curve, &sk.public_key().to_sec1_bytes())?
            } else if curve == SECP_384_R_1 {
                let sk = p384::SecretKey::from_pkcs8_der(der).map_err(|e| {
                    Error::malformed(Format::Der, "EC P-384 private key", e.to_string())
                })?;
                PublicKey::from_ec_point(curve, &sk.public_key().to_sec1_bytes())?
            } else {
                return Err(Error::Format(FormatError::Unsupported {
                    what: "EC curve",
                    name: oid_with_name(&curve),
                }));
            }
        } else {
            return Err(Error::Format(FormatError::Unsupported {
                what: "private key algorithm",
                name: oid_with_name(&alg),
            }));
        };
        let key = PrivateKey(Arc::new(PrivateInner {
            pkcs8: Zeroizing::new(der.to_vec()),
            public,
            backend,
            #[cfg(feature = "aws-lc")]
            aws_lc: OnceLock::new(),
            rustcrypto: OnceLock::new(),
        }));
        // Validate now, on the backend that will do the signing.
        match backend {
            #[cfg(feature = "aws-lc")]
            Backend::AwsLc if !aws_lc::too_small(key.kind()) => {
                key.aws_lc()?;
            }
            _ => {
                key.rustcrypto()?;
            }
        }
        Ok(key)
    }

    /// Parses a DER PKCS#1 `RSAPrivateKey` (the body of a `RSA PRIVATE KEY` PEM block) for the
    /// default backend.
    pub fn from_pkcs1_der(der: &[u8]) -> Result<Self> {
        // Check the structure first, so that garbage is reported as a malformed RSA key.
        rsa::pkcs1::RsaPrivateKey::<UintRef<'_>>::from_der(der).map_err(|e| {
            Error::malformed(Format::Der, "RSA private key (PKCS#1)", e.to_string())
        })?;
        let info = pkcs8::PrivateKeyInfoRef::new(
            spki::AlgorithmIdentifier {
                oid: RSA_ENCRYPTION,
                parameters: Some(AnyRef::NULL),
            },
            der::asn1::OctetStringRef::new(der).map_err(der_internal)?,
        );
        let pkcs8 = Zeroizing::new(info.to_der().map_err(der_internal)?);
        Self::from_pkcs8_der(&pkcs8)
    }

    /// Parses a DER SEC1 `ECPrivateKey` (the body of an `EC PRIVATE KEY` PEM block) for the
    /// default backend.
    ///
    /// The curve comes from the structure's parameters; when they are absent it is inferred
    /// from the length of the private scalar (32 bytes: P-256, 48 bytes: P-384).
    pub fn from_sec1_der(der: &[u8]) -> Result<Self> {
        let malformed = |e: String| Error::malformed(Format::Der, "EC private key (SEC1)", e);
        let key = Sec1PrivateKey::from_der(der).map_err(|e| malformed(e.to_string()))?;
        if key.version != 1 {
            return Err(malformed(format!("version {} (expected 1)", key.version)));
        }
        let scalar = key.private_key.as_bytes();
        let curve = match key.parameters {
            Some(curve) => curve,
            None if scalar.len() == 32 => SECP_256_R_1,
            None if scalar.len() == 48 => SECP_384_R_1,
            None => {
                return Err(malformed(format!(
                    "no curve parameters and a {}-byte scalar",
                    scalar.len()
                )));
            }
        };
        let pkcs8 = if curve == SECP_256_R_1 {
            let sk = p256::SecretKey::from_slice(scalar)
                .map_err(|_| malformed("the scalar is not a valid P-256 key".into()))?;
            Zeroizing::new(
                sk.to_pkcs8_der()
                    .map_err(|e| malformed(e.to_string()))?
                    .as_bytes()
                    .to_vec(),
            )
        } else if curve == SECP_384_R_1 {
            let sk = p384::SecretKey::from_slice(scalar)
                .map_err(|_| malformed("the scalar is not a valid P-384 key".into()))?;
            Zeroizing::new(
                sk.to_pkcs8_der()
                    .map_err(|e| malformed(e.to_string()))?
                    .as_bytes()
                    .to_vec(),
            )
        } else {
            return Err(Error::Format(FormatError::Unsupported {
                what: "EC curve",
                name: oid_with_name(&curve),
            }));
        };
        Self::from_pkcs8_der(&pkcs8)
    }

    /// Generates a new key on the default backend.
    pub fn generate(spec: KeySpec) -> Result<Self> {
        Self::generate_with(Backend::default(), spec)
    }

    /// Generates a new key on the given backend.
    pub fn generate_with(backend: Backend, spec: KeySpec) -> Result<Self> {
        let pkcs8: Zeroizing<Vec<u8>> = match backend {
            #[cfg(feature = "aws-lc")]
            Backend::AwsLc => aws_lc::generate(spec)?,
            Backend::RustCrypto => rustcrypto::generate(spec)?,
        };
        Self::from_pkcs8_der_with(backend, &pkcs8)
    }

    /// The same key, operated by another backend.
    pub fn with_backend(&self, backend: Backend) -> Result<Self> {
        Self::from_pkcs8_der_with(backend, &self.0.pkcs8)
    }

    /// The backend this key signs on.
    pub fn backend(&self) -> Backend {
        self.0.backend
    }

    /// The key's type and size.
    pub fn kind(&self) -> KeyKind {
        self.0.public.kind()
    }

    /// The unencrypted DER PKCS#8 encoding. Handle with care: this is the secret.
    pub fn pkcs8_der(&self) -> &[u8] {
        &self.0.pkcs8
    }

    #[cfg(feature = "aws-lc")]
    fn aws_lc(&self) -> Result<&aws_lc::Private> {
        let parsed = self
            .0
            .aws_lc
            .get_or_init(|| aws_lc::Private::from_pkcs8(self.kind(), &self.0.pkcs8));
        parsed.as_ref().map_err(|detail| {
            Error::Key(KeyError::Unsupported {
                detail: format!("AWS-LC rejected the {} key: {detail}", self.kind()),
            })
        })
    }

    fn rustcrypto(&self) -> Result<&rustcrypto::Private> {
        let parsed = self
            .0
            .rustcrypto
            .get_or_init(|| rustcrypto::Private::from_pkcs8(self.kind(), &self.0.pkcs8));
        parsed.as_ref().map_err(|detail| {
            Error::Key(KeyError::Unsupported {
                detail: format!("the {} key is not usable: {detail}", self.kind()),
            })
        })
    }

    /// `None` when AWS-LC has no entry point for this combination.
    #[cfg(feature = "aws-lc")]
    fn aws_lc_sign(
        &self,
        algorithm: SignatureAlgorithm,
        message: &[u8],
    ) -> Result<Option<Vec<u8>>> {
        if aws_lc::too_small(self.kind()) {
            return Ok(None);
        }
        self.aws_lc()?.sign(self.kind(), algorithm, message)
    }
}

impl Signer for PrivateKey {
    fn public_key(&self) -> &PublicKey {
        &self.0.public
    }

    fn sign(&self, algorithm: SignatureAlgorithm, message: &[u8]) -> Result<Vec<u8>> {
        if !algorithm.fits(self.kind()) {
            return Err(Error::Key(KeyError::Unsupported {
                detail: format!("a {} key cannot make {algorithm} signatures", self.kind()),
            }));
        }
        match self.0.backend {
            #[cfg(feature = "aws-lc")]
            Backend::AwsLc => match self.aws_lc_sign(algorithm, message)? {
                Some(sig) => Ok(sig),
                None => self.rustcrypto()?.sign(algorithm, message),
            },
            Backend::RustCrypto => self.rustcrypto()?.sign(algorithm, message),
        }
    }
}

/// ECDH on P-256 and P-384; RSA keys are refused with [`KeyError::Unsupported`](crate::error::KeyError::Unsupported).
impl KeyAgreement for PrivateKey {
    fn kind(&self) -> KeyKind {
        PrivateKey::kind(self)
    }

    fn public_key(&self) -> &PublicKey {
        &self.0.public
    }

    fn agree(&self, peer: &PublicKey) -> Result<Zeroizing<Vec<u8>>> {
        let kind = PrivateKey::kind(self);
        if matches!(kind, KeyKind::Rsa { .. }) {
            return Err(Error::Key(KeyError::Unsupported {
                detail: format!("a {kind} key cannot do ECDH key agreement"),
            }));
        }
        let point = match peer.ec_point() {
            Some(point) if peer.kind() == kind => point,
            _ => {
                return Err(Error::invalid_argument(
                    "peer",
                    format!(
                        "a {} public key cannot agree with a {kind} key (the curves must match)",
                        peer.kind()
                    ),
                ));
            }
        };
        match self.0.backend {
            #[cfg(feature = "aws-lc")]
            Backend::AwsLc => aws_lc::agree(kind, &self.0.pkcs8, point),
            Backend::RustCrypto => self.rustcrypto()?.agree(point),
        }
    }
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateKey")
            .field("kind", &self.kind())
            .field("backend", &self.0.backend)
            .finish_non_exhaustive()
    }
}

/// RFC 5915 `ECPrivateKey`.
#[derive(der::Sequence)]
pub(super) struct Sec1PrivateKey<'a> {
    pub(super) version: u8,
    pub(super) private_key: &'a der::asn1::OctetStringRef,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub(super) parameters: Option<ObjectIdentifier>,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    pub(super) public_key: Option<der::asn1::BitStringRef<'a>>,
}
