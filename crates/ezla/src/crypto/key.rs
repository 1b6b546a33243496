//! Public and private keys (RSA, ECDSA P-256 and P-384) on either backend.

use std::fmt;
use std::sync::{Arc, OnceLock};

use const_oid::ObjectIdentifier;
use const_oid::db::rfc5912::{ID_EC_PUBLIC_KEY, RSA_ENCRYPTION, SECP_256_R_1, SECP_384_R_1};
use der::asn1::{AnyRef, BitString, UintRef};
use der::{Decode, Encode};
use pkcs8::{DecodePrivateKey, EncodePrivateKey};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned, SubjectPublicKeyInfoRef};
use zeroize::Zeroizing;

use super::{Backend, DigestAlgorithm, SignatureAlgorithm, Signer};
use crate::error::Format;
use crate::{Error, Result};

/// Smallest RSA modulus ezla will use at all (verification policies may demand more).
const MIN_RSA_BITS: usize = 1024;
/// Largest RSA modulus ezla will use.
const MAX_RSA_BITS: usize = 8192;

/// The type and size of a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyKind {
    /// RSA with a modulus of `bits` bits.
    Rsa {
        /// Modulus size in bits.
        bits: usize,
    },
    /// ECDSA on NIST P-256 (secp256r1, prime256v1).
    EcP256,
    /// ECDSA on NIST P-384 (secp384r1).
    EcP384,
}

impl KeyKind {
    /// Algorithm name: `RSA` or `EC`.
    pub const fn algorithm_name(self) -> &'static str {
        match self {
            KeyKind::Rsa { .. } => "RSA",
            KeyKind::EcP256 | KeyKind::EcP384 => "EC",
        }
    }

    /// Size in bits: the RSA modulus or the curve's field.
    pub const fn bits(self) -> usize {
        match self {
            KeyKind::Rsa { bits } => bits,
            KeyKind::EcP256 => 256,
            KeyKind::EcP384 => 384,
        }
    }

    /// The curve's name (`P-256`), if the key is an EC key.
    pub const fn curve_name(self) -> Option<&'static str> {
        match self {
            KeyKind::Rsa { .. } => None,
            KeyKind::EcP256 => Some("P-256"),
            KeyKind::EcP384 => Some("P-384"),
        }
    }

    /// Byte length of a signature made with this key.
    pub const fn signature_len(self) -> usize {
        match self {
            KeyKind::Rsa { bits } => bits.div_ceil(8),
            KeyKind::EcP256 => 64,
            KeyKind::EcP384 => 96,
        }
    }
}

impl fmt::Display for KeyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyKind::Rsa { bits } => write!(f, "RSA-{bits}"),
            KeyKind::EcP256 => f.write_str("EC P-256"),
            KeyKind::EcP384 => f.write_str("EC P-384"),
        }
    }
}

/// What kind of key to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeySpec {
    /// RSA, 2048-bit modulus.
    Rsa2048,
    /// RSA, 3072-bit modulus.
    Rsa3072,
    /// RSA, 4096-bit modulus.
    Rsa4096,
    /// ECDSA on P-256.
    EcP256,
}

// ---------------------------------------------------------------------------------------------
// Public keys

/// A public key: RSA, or EC on P-256 or P-384.
#[derive(Clone)]
pub struct PublicKey(Arc<PublicInner>);

struct PublicInner {
    kind: KeyKind,
    spki_der: Vec<u8>,
    material: PublicMaterial,
    rustcrypto: OnceLock<std::result::Result<RcPublic, String>>,
}

enum PublicMaterial {
    Rsa {
        /// Big-endian modulus without leading zeros.
        n: Vec<u8>,
        /// Big-endian public exponent without leading zeros.
        e: Vec<u8>,
        /// RFC 8017 `RSAPublicKey` DER.
        #[cfg_attr(not(feature = "aws-lc"), allow(dead_code))]
        pkcs1_der: Vec<u8>,
    },
    /// Uncompressed SEC1 point `04 ‖ X ‖ Y`.
    Ec { point: Vec<u8> },
}

enum RcPublic {
    Rsa(rsa::PublicKey),
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
}

impl PublicKey {
    /// Parses a DER `SubjectPublicKeyInfo`.
    pub fn from_spki_der(der: &[u8]) -> Result<Self> {
        let spki = SubjectPublicKeyInfoRef::from_der(der)
            .map_err(|e| Error::malformed(Format::Der, "public key", e.to_string()))?;
        let bits = spki.subject_public_key.as_bytes().ok_or_else(|| {
            Error::malformed(
                Format::Der,
                "public key",
                "subjectPublicKey has unused bits",
            )
        })?;
        let alg = spki.algorithm.oid;
        if alg == RSA_ENCRYPTION {
            let key = rsa::pkcs1::RsaPublicKey::<UintRef<'_>>::from_der(bits)
                .map_err(|e| Error::malformed(Format::Der, "RSA public key", e.to_string()))?;
            Self::from_rsa_components(key.modulus.as_bytes(), key.public_exponent.as_bytes())
        } else if alg == ID_EC_PUBLIC_KEY {
            let curve: ObjectIdentifier = spki
                .algorithm
                .parameters
                .ok_or_else(|| {
                    Error::malformed(Format::Der, "EC public key", "missing curve parameters")
                })?
                .decode_as()
                .map_err(|_| Error::Unsupported {
                    what: "EC curve parameters",
                    name: "explicit curve parameters (only named curves are supported)".into(),
                })?;
            Self::from_ec_point(curve, bits)
        } else {
            Err(Error::Unsupported {
                what: "public key algorithm",
                name: oid_with_name(&alg),
            })
        }
    }

    /// Builds an RSA public key from its big-endian modulus and exponent.
    pub fn from_rsa_components(n: &[u8], e: &[u8]) -> Result<Self> {
        let n = strip_zeros(n);
        let e = strip_zeros(e);
        let bits = bit_len(n);
        if !(MIN_RSA_BITS..=MAX_RSA_BITS).contains(&bits) {
            return Err(Error::UnsupportedKey {
                detail: format!(
                    "RSA modulus of {bits} bits (supported: {MIN_RSA_BITS}..={MAX_RSA_BITS})"
                ),
            });
        }
        if e.is_empty() || e.len() > 8 || e[e.len() - 1] & 1 == 0 || n[n.len() - 1] & 1 == 0 {
            return Err(Error::UnsupportedKey {
                detail: "RSA public exponent or modulus is invalid".into(),
            });
        }
        let pkcs1 = rsa::pkcs1::RsaPublicKey {
            modulus: UintRef::new(n).map_err(der_internal)?,
            public_exponent: UintRef::new(e).map_err(der_internal)?,
        };
        let pkcs1_der = pkcs1.to_der().map_err(der_internal)?;
        let spki = SubjectPublicKeyInfoOwned {
            algorithm: AlgorithmIdentifierOwned {
                oid: RSA_ENCRYPTION,
                parameters: Some(der::asn1::Null.into()),
            },
            subject_public_key: BitString::from_bytes(&pkcs1_der).map_err(der_internal)?,
        };
        Ok(Self::new(
            KeyKind::Rsa { bits },
            spki.to_der().map_err(der_internal)?,
            PublicMaterial::Rsa {
                n: n.to_vec(),
                e: e.to_vec(),
                pkcs1_der,
            },
        ))
    }

    /// Builds an EC public key from a named curve's OID and a SEC1 point (compressed or not).
    pub fn from_ec_point(curve: ObjectIdentifier, point: &[u8]) -> Result<Self> {
        let (kind, point) = if curve == SECP_256_R_1 {
            let pk = p256::PublicKey::from_sec1_bytes(point).map_err(|_| {
                Error::malformed(
                    Format::Der,
                    "EC P-256 public key",
                    "not a point on the curve",
                )
            })?;
            (KeyKind::EcP256, pk.to_sec1_bytes().to_vec())
        } else if curve == SECP_384_R_1 {
            let pk = p384::PublicKey::from_sec1_bytes(point).map_err(|_| {
                Error::malformed(
                    Format::Der,
                    "EC P-384 public key",
                    "not a point on the curve",
                )
            })?;
            (KeyKind::EcP384, pk.to_sec1_bytes().to_vec())
        } else {
            return Err(Error::Unsupported {
                what: "EC curve",
                name: oid_with_name(&curve),
            });
        };
        let spki = SubjectPublicKeyInfoOwned {
            algorithm: AlgorithmIdentifierOwned {
                oid: ID_EC_PUBLIC_KEY,
                parameters: Some(der::Any::from(AnyRef::from(&curve))),
            },
            subject_public_key: BitString::from_bytes(&point).map_err(der_internal)?,
        };
        Ok(Self::new(
            kind,
            spki.to_der().map_err(der_internal)?,
            PublicMaterial::Ec { point },
        ))
    }

    fn new(kind: KeyKind, spki_der: Vec<u8>, material: PublicMaterial) -> Self {
        PublicKey(Arc::new(PublicInner {
            kind,
            spki_der,
            material,
            rustcrypto: OnceLock::new(),
        }))
    }

    /// The key's type and size.
    pub fn kind(&self) -> KeyKind {
        self.0.kind
    }

    /// DER `SubjectPublicKeyInfo` in a canonical encoding (uncompressed EC points).
    pub fn spki_der(&self) -> &[u8] {
        &self.0.spki_der
    }

    /// The RSA modulus and exponent (big-endian, no leading zeros), for RSA keys.
    pub fn rsa_components(&self) -> Option<(&[u8], &[u8])> {
        match &self.0.material {
            PublicMaterial::Rsa { n, e, .. } => Some((n, e)),
            PublicMaterial::Ec { .. } => None,
        }
    }

    /// The uncompressed SEC1 point, for EC keys.
    pub fn ec_point(&self) -> Option<&[u8]> {
        match &self.0.material {
            PublicMaterial::Ec { point } => Some(point),
            PublicMaterial::Rsa { .. } => None,
        }
    }

    /// The named curve's OID, for EC keys.
    pub fn ec_curve_oid(&self) -> Option<ObjectIdentifier> {
        match self.0.kind {
            KeyKind::EcP256 => Some(SECP_256_R_1),
            KeyKind::EcP384 => Some(SECP_384_R_1),
            KeyKind::Rsa { .. } => None,
        }
    }

    /// Verifies `signature` over `message` on the default backend.
    ///
    /// Fails with [`Error::SignatureInvalid`] when the signature does not verify or does not fit
    /// the key.
    pub fn verify(
        &self,
        algorithm: SignatureAlgorithm,
        message: &[u8],
        signature: &[u8],
    ) -> Result<()> {
        self.verify_with(Backend::default(), algorithm, message, signature)
    }

    /// Verifies `signature` over `message` on the given backend.
    pub fn verify_with(
        &self,
        backend: Backend,
        algorithm: SignatureAlgorithm,
        message: &[u8],
        signature: &[u8],
    ) -> Result<()> {
        if !algorithm.fits(self.kind()) {
            return Err(Error::SignatureInvalid {
                detail: format!(
                    "{algorithm} signature cannot be checked with a {} key",
                    self.kind()
                ),
            });
        }
        let ok = match backend {
            #[cfg(feature = "aws-lc")]
            Backend::AwsLc => match self.aws_lc_verify(algorithm, message, signature) {
                Some(ok) => ok,
                None => self.rustcrypto_verify(algorithm, message, signature)?,
            },
            Backend::RustCrypto => self.rustcrypto_verify(algorithm, message, signature)?,
        };
        if ok {
            Ok(())
        } else {
            Err(Error::SignatureInvalid {
                detail: format!(
                    "{algorithm} signature does not verify with the {} key",
                    self.kind()
                ),
            })
        }
    }

    /// `None` when AWS-LC has no entry point for this combination.
    #[cfg(feature = "aws-lc")]
    fn aws_lc_verify(
        &self,
        algorithm: SignatureAlgorithm,
        message: &[u8],
        signature: &[u8],
    ) -> Option<bool> {
        use DigestAlgorithm as D;
        use aws_lc_rs::signature as sig;
        let (params, key): (&'static dyn sig::VerificationAlgorithm, &[u8]) =
            match (&self.0.material, algorithm, self.kind()) {
                (
                    PublicMaterial::Rsa { pkcs1_der, .. },
                    SignatureAlgorithm::RsaPkcs1v15(d),
                    kind,
                ) => {
                    let big = kind.bits() >= 2048;
                    let p: &'static dyn sig::VerificationAlgorithm = match (d, big) {
                        (D::Sha1, true) => &sig::RSA_PKCS1_2048_8192_SHA1_FOR_LEGACY_USE_ONLY,
                        (D::Sha1, false) => &sig::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY,
                        (D::Sha256, true) => &sig::RSA_PKCS1_2048_8192_SHA256,
                        (D::Sha256, false) => &sig::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY,
                        (D::Sha384, true) => &sig::RSA_PKCS1_2048_8192_SHA384,
                        (D::Sha512, true) => &sig::RSA_PKCS1_2048_8192_SHA512,
                        (D::Sha512, false) => &sig::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY,
                        _ => return None,
                    };
                    (p, pkcs1_der)
                }
                (
                    PublicMaterial::Ec { point },
                    SignatureAlgorithm::Ecdsa(D::Sha256),
                    KeyKind::EcP256,
                ) => (&sig::ECDSA_P256_SHA256_FIXED, point),
                (
                    PublicMaterial::Ec { point },
                    SignatureAlgorithm::Ecdsa(D::Sha384),
                    KeyKind::EcP384,
                ) => (&sig::ECDSA_P384_SHA384_FIXED, point),
                _ => return None,
            };
        Some(
            sig::UnparsedPublicKey::new(params, key)
                .verify(message, signature)
                .is_ok(),
        )
    }

    fn rustcrypto(&self) -> Result<&RcPublic> {
        let parsed = self.0.rustcrypto.get_or_init(|| match &self.0.material {
            PublicMaterial::Rsa { n, e, .. } => {
                let n = rsa::BoxedUint::from_be_slice_vartime(n);
                let e = rsa::BoxedUint::from_be_slice_vartime(e);
                rsa::PublicKey::new_with_size_limits(n, e, MIN_RSA_BITS..=MAX_RSA_BITS)
                    .map(RcPublic::Rsa)
                    .map_err(|e| e.to_string())
            }
            PublicMaterial::Ec { point } => match self.0.kind {
                KeyKind::EcP256 => p256::ecdsa::VerifyingKey::from_sec1_bytes(point)
                    .map(RcPublic::P256)
                    .map_err(|e| e.to_string()),
                _ => p384::ecdsa::VerifyingKey::from_sec1_bytes(point)
                    .map(RcPublic::P384)
                    .map_err(|e| e.to_string()),
            },
        });
        parsed.as_ref().map_err(|detail| Error::UnsupportedKey {
            detail: detail.clone(),
        })
    }

    fn rustcrypto_verify(
        &self,
        algorithm: SignatureAlgorithm,
        message: &[u8],
        signature: &[u8],
    ) -> Result<bool> {
        use signature_traits::hazmat::PrehashVerifier;
        let digest = algorithm.digest().digest(message);
        Ok(match self.rustcrypto()? {
            RcPublic::Rsa(key) => key
                .verify(pkcs1v15_scheme(algorithm.digest()), &digest, signature)
                .is_ok(),
            RcPublic::P256(key) => match p256::ecdsa::Signature::from_slice(signature) {
                Ok(sig) => key.verify_prehash(&digest, &sig).is_ok(),
                Err(_) => false,
            },
            RcPublic::P384(key) => match p384::ecdsa::Signature::from_slice(signature) {
                Ok(sig) => key.verify_prehash(&digest, &sig).is_ok(),
                Err(_) => false,
            },
        })
    }
}

impl PartialEq for PublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.0.spki_der == other.0.spki_der
    }
}

impl Eq for PublicKey {}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKey")
            .field("kind", &self.0.kind)
            .finish_non_exhaustive()
    }
}

// ---------------------------------------------------------------------------------------------
// Private keys

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
    aws_lc: OnceLock<std::result::Result<AwsLcKey, String>>,
    rustcrypto: OnceLock<std::result::Result<RcPrivate, String>>,
}

#[cfg(feature = "aws-lc")]
enum AwsLcKey {
    Rsa(aws_lc_rs::rsa::KeyPair),
    Ec(aws_lc_rs::signature::EcdsaKeyPair),
}

enum RcPrivate {
    Rsa(Box<rsa::PrivateKey>),
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
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
            let curve: ObjectIdentifier = info
                .algorithm
                .parameters
                .ok_or_else(|| {
                    Error::malformed(Format::Der, "EC private key", "missing curve parameters")
                })?
                .decode_as()
                .map_err(|_| Error::Unsupported {
                    what: "EC curve parameters",
                    name: "explicit curve parameters (only named curves are supported)".into(),
                })?;
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
                return Err(Error::Unsupported {
                    what: "EC curve",
                    name: oid_with_name(&curve),
                });
            }
        } else {
            return Err(Error::Unsupported {
                what: "private key algorithm",
                name: oid_with_name(&alg),
            });
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
            Backend::AwsLc if !key.aws_lc_too_small() => {
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
            return Err(Error::Unsupported {
                what: "EC curve",
                name: oid_with_name(&curve),
            });
        };
        Self::from_pkcs8_der(&pkcs8)
    }

    /// Generates a new key on the default backend.
    pub fn generate(spec: KeySpec) -> Result<Self> {
        Self::generate_with(Backend::default(), spec)
    }

    /// Generates a new key on the given backend.
    pub fn generate_with(backend: Backend, spec: KeySpec) -> Result<Self> {
        let failed = |e: String| Error::internal(format!("key generation failed: {e}"));
        let pkcs8: Zeroizing<Vec<u8>> = match backend {
            #[cfg(feature = "aws-lc")]
            Backend::AwsLc => {
                use aws_lc_rs::encoding::AsDer;
                use aws_lc_rs::rsa::{KeyPair, KeySize};
                use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair};
                let rsa = |size| -> Result<Zeroizing<Vec<u8>>> {
                    let kp = KeyPair::generate(size).map_err(|e| failed(e.to_string()))?;
                    let der = kp.as_der().map_err(|e| failed(e.to_string()))?;
                    Ok(Zeroizing::new(der.as_ref().to_vec()))
                };
                match spec {
                    KeySpec::Rsa2048 => rsa(KeySize::Rsa2048)?,
                    KeySpec::Rsa3072 => rsa(KeySize::Rsa3072)?,
                    KeySpec::Rsa4096 => rsa(KeySize::Rsa4096)?,
                    KeySpec::EcP256 => {
                        let kp = EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING)
                            .map_err(|e| failed(e.to_string()))?;
                        let doc = kp.to_pkcs8v1().map_err(|e| failed(e.to_string()))?;
                        Zeroizing::new(doc.as_ref().to_vec())
                    }
                }
            }
            Backend::RustCrypto => {
                let rsa = |bits| -> Result<Zeroizing<Vec<u8>>> {
                    let key = rsa::PrivateKey::new(&mut getrandom::SysRng, bits)
                        .map_err(|e| failed(e.to_string()))?;
                    let doc = key.to_pkcs8_der().map_err(|e| failed(e.to_string()))?;
                    Ok(Zeroizing::new(doc.as_bytes().to_vec()))
                };
                match spec {
                    KeySpec::Rsa2048 => rsa(2048)?,
                    KeySpec::Rsa3072 => rsa(3072)?,
                    KeySpec::Rsa4096 => rsa(4096)?,
                    KeySpec::EcP256 => {
                        let sk = loop {
                            let mut bytes = Zeroizing::new([0u8; 32]);
                            super::random_bytes(bytes.as_mut())?;
                            if let Ok(sk) = p256::SecretKey::from_slice(bytes.as_ref()) {
                                break sk;
                            }
                        };
                        let doc = sk.to_pkcs8_der().map_err(|e| failed(e.to_string()))?;
                        Zeroizing::new(doc.as_bytes().to_vec())
                    }
                }
            }
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

    /// AWS-LC refuses RSA keys below 2048 bits; those sign on RustCrypto (see the module
    /// documentation).
    #[cfg(feature = "aws-lc")]
    fn aws_lc_too_small(&self) -> bool {
        matches!(self.kind(), KeyKind::Rsa { bits } if bits < 2048)
    }

    #[cfg(feature = "aws-lc")]
    fn aws_lc(&self) -> Result<&AwsLcKey> {
        use aws_lc_rs::signature::{
            ECDSA_P256_SHA256_FIXED_SIGNING, ECDSA_P384_SHA384_FIXED_SIGNING, EcdsaKeyPair,
        };
        let parsed = self.0.aws_lc.get_or_init(|| {
            let der: &[u8] = &self.0.pkcs8;
            match self.kind() {
                KeyKind::Rsa { .. } => aws_lc_rs::rsa::KeyPair::from_pkcs8(der)
                    .map(AwsLcKey::Rsa)
                    .map_err(|e| e.to_string()),
                KeyKind::EcP256 => EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, der)
                    .map(AwsLcKey::Ec)
                    .map_err(|e| e.to_string()),
                KeyKind::EcP384 => EcdsaKeyPair::from_pkcs8(&ECDSA_P384_SHA384_FIXED_SIGNING, der)
                    .map(AwsLcKey::Ec)
                    .map_err(|e| e.to_string()),
            }
        });
        parsed.as_ref().map_err(|detail| Error::UnsupportedKey {
            detail: format!("AWS-LC rejected the {} key: {detail}", self.kind()),
        })
    }

    fn rustcrypto(&self) -> Result<&RcPrivate> {
        let parsed = self.0.rustcrypto.get_or_init(|| {
            let der: &[u8] = &self.0.pkcs8;
            match self.kind() {
                KeyKind::Rsa { .. } => rsa::PrivateKey::from_pkcs8_der(der)
                    .map(|k| RcPrivate::Rsa(Box::new(k)))
                    .map_err(|e| e.to_string()),
                KeyKind::EcP256 => p256::ecdsa::SigningKey::from_pkcs8_der(der)
                    .map(RcPrivate::P256)
                    .map_err(|e| e.to_string()),
                KeyKind::EcP384 => p384::ecdsa::SigningKey::from_pkcs8_der(der)
                    .map(RcPrivate::P384)
                    .map_err(|e| e.to_string()),
            }
        });
        parsed.as_ref().map_err(|detail| Error::UnsupportedKey {
            detail: format!("the {} key is not usable: {detail}", self.kind()),
        })
    }

    /// `None` when AWS-LC has no entry point for this combination.
    #[cfg(feature = "aws-lc")]
    fn aws_lc_sign(
        &self,
        algorithm: SignatureAlgorithm,
        message: &[u8],
    ) -> Result<Option<Vec<u8>>> {
        use DigestAlgorithm as D;
        use aws_lc_rs::signature as sig;
        let failed = |e: aws_lc_rs::error::Unspecified| Error::SigningFailed {
            detail: format!("AWS-LC: {e}"),
        };
        if self.aws_lc_too_small() {
            return Ok(None);
        }
        match (self.aws_lc()?, algorithm, self.kind()) {
            (AwsLcKey::Rsa(kp), SignatureAlgorithm::RsaPkcs1v15(d), KeyKind::Rsa { bits })
                if bits >= 2048 =>
            {
                let encoding: &'static sig::RsaSignatureEncoding = match d {
                    D::Sha256 => &sig::RSA_PKCS1_SHA256,
                    D::Sha384 => &sig::RSA_PKCS1_SHA384,
                    D::Sha512 => &sig::RSA_PKCS1_SHA512,
                    _ => return Ok(None),
                };
                let mut out = vec![0u8; kp.public_modulus_len()];
                let rng = aws_lc_rs::rand::SystemRandom::new();
                kp.sign(encoding, &rng, message, &mut out).map_err(failed)?;
                Ok(Some(out))
            }
            (AwsLcKey::Ec(kp), SignatureAlgorithm::Ecdsa(D::Sha256), KeyKind::EcP256)
            | (AwsLcKey::Ec(kp), SignatureAlgorithm::Ecdsa(D::Sha384), KeyKind::EcP384) => {
                let rng = aws_lc_rs::rand::SystemRandom::new();
                let sig = kp.sign(&rng, message).map_err(failed)?;
                Ok(Some(sig.as_ref().to_vec()))
            }
            _ => Ok(None),
        }
    }

    fn rustcrypto_sign(&self, algorithm: SignatureAlgorithm, message: &[u8]) -> Result<Vec<u8>> {
        use signature_traits::hazmat::PrehashSigner;
        let digest = algorithm.digest().digest(message);
        let failed = |e: String| Error::SigningFailed { detail: e };
        match self.rustcrypto()? {
            RcPrivate::Rsa(key) => key
                .sign(pkcs1v15_scheme(algorithm.digest()), &digest)
                .map_err(|e| failed(e.to_string())),
            RcPrivate::P256(key) => {
                let sig: p256::ecdsa::Signature = key
                    .sign_prehash(&digest)
                    .map_err(|e| failed(e.to_string()))?;
                Ok(sig.to_bytes().to_vec())
            }
            RcPrivate::P384(key) => {
                let sig: p384::ecdsa::Signature = key
                    .sign_prehash(&digest)
                    .map_err(|e| failed(e.to_string()))?;
                Ok(sig.to_bytes().to_vec())
            }
        }
    }
}

impl Signer for PrivateKey {
    fn public_key(&self) -> &PublicKey {
        &self.0.public
    }

    fn sign(&self, algorithm: SignatureAlgorithm, message: &[u8]) -> Result<Vec<u8>> {
        if !algorithm.fits(self.kind()) {
            return Err(Error::UnsupportedKey {
                detail: format!("a {} key cannot make {algorithm} signatures", self.kind()),
            });
        }
        match self.0.backend {
            #[cfg(feature = "aws-lc")]
            Backend::AwsLc => match self.aws_lc_sign(algorithm, message)? {
                Some(sig) => Ok(sig),
                None => self.rustcrypto_sign(algorithm, message),
            },
            Backend::RustCrypto => self.rustcrypto_sign(algorithm, message),
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

// ---------------------------------------------------------------------------------------------
// Helpers

/// RFC 5915 `ECPrivateKey`.
#[derive(der::Sequence)]
struct Sec1PrivateKey<'a> {
    version: u8,
    private_key: &'a der::asn1::OctetStringRef,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    parameters: Option<ObjectIdentifier>,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    public_key: Option<der::asn1::BitStringRef<'a>>,
}

// `signature` is re-exported by `rsa`; alias it so the trait imports read clearly.
use rsa::signature as signature_traits;

fn pkcs1v15_scheme(d: DigestAlgorithm) -> rsa::Pkcs1v15Sign {
    match d {
        DigestAlgorithm::Sha1 => rsa::Pkcs1v15Sign::new::<sha1::Sha1>(),
        DigestAlgorithm::Sha224 => rsa::Pkcs1v15Sign::new::<sha2::Sha224>(),
        DigestAlgorithm::Sha256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
        DigestAlgorithm::Sha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
        DigestAlgorithm::Sha512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
    }
}

fn strip_zeros(b: &[u8]) -> &[u8] {
    let first = b.iter().position(|&x| x != 0).unwrap_or(b.len());
    &b[first..]
}

fn bit_len(b: &[u8]) -> usize {
    match b.first() {
        None => 0,
        Some(&top) => (b.len() - 1) * 8 + (8 - top.leading_zeros() as usize),
    }
}

fn der_internal(e: der::Error) -> Error {
    Error::internal(format!("DER encoding failed: {e}"))
}

/// An OID in dotted form, followed by its registered name when `const-oid` knows it.
pub(crate) fn oid_with_name(oid: &ObjectIdentifier) -> String {
    match const_oid::db::DB.by_oid(oid) {
        Some(name) => format!("{oid} ({name})"),
        None => oid.to_string(),
    }
}

/// Converts a fixed-width ECDSA signature (`r ‖ s`, 64 bytes for P-256, 96 for P-384) to the
/// DER `Ecdsa-Sig-Value` that CMS and X.509 use.
pub fn ecdsa_fixed_to_der(fixed: &[u8]) -> Result<Vec<u8>> {
    let bad = || Error::SignatureMalformed {
        detail: format!("ECDSA signature of {} bytes", fixed.len()),
    };
    match fixed.len() {
        64 => Ok(p256::ecdsa::Signature::from_slice(fixed)
            .map_err(|_| bad())?
            .to_der()
            .as_bytes()
            .to_vec()),
        96 => Ok(p384::ecdsa::Signature::from_slice(fixed)
            .map_err(|_| bad())?
            .to_der()
            .as_bytes()
            .to_vec()),
        _ => Err(bad()),
    }
}

/// Converts a DER `Ecdsa-Sig-Value` to the fixed-width form for a key of `kind`.
pub fn ecdsa_der_to_fixed(kind: KeyKind, der_sig: &[u8]) -> Result<Vec<u8>> {
    let bad = |e: String| Error::SignatureMalformed {
        detail: format!("DER ECDSA signature: {e}"),
    };
    match kind {
        KeyKind::EcP256 => Ok(p256::ecdsa::Signature::from_der(der_sig)
            .map_err(|e| bad(e.to_string()))?
            .to_bytes()
            .to_vec()),
        KeyKind::EcP384 => Ok(p384::ecdsa::Signature::from_der(der_sig)
            .map_err(|e| bad(e.to_string()))?
            .to_bytes()
            .to_vec()),
        KeyKind::Rsa { .. } => Err(Error::invalid_argument("kind", "not an EC key")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_algorithms(kind: KeyKind) -> Vec<SignatureAlgorithm> {
        DigestAlgorithm::ALL
            .iter()
            .map(|&d| match kind {
                KeyKind::Rsa { .. } => SignatureAlgorithm::RsaPkcs1v15(d),
                _ => SignatureAlgorithm::Ecdsa(d),
            })
            .collect()
    }

    /// Every key type signs on every backend, and every backend verifies every signature.
    #[test]
    fn sign_and_verify_across_backends() {
        for &spec in &[KeySpec::Rsa2048, KeySpec::EcP256] {
            let key = PrivateKey::generate(spec).expect("generate");
            for &signing in Backend::ALL {
                let key = key.with_backend(signing).expect("backend");
                for alg in all_algorithms(key.kind()) {
                    let sig = key.sign(alg, b"message").expect("sign");
                    assert_eq!(sig.len(), key.kind().signature_len());
                    for &verifying in Backend::ALL {
                        key.public_key()
                            .verify_with(verifying, alg, b"message", &sig)
                            .unwrap_or_else(|e| {
                                panic!(
                                    "{alg} signed on {signing:?}, verified on {verifying:?}: {e}"
                                )
                            });
                        let err = key
                            .public_key()
                            .verify_with(verifying, alg, b"messagE", &sig)
                            .expect_err("altered message must fail");
                        assert_eq!(err.code(), crate::ErrorCode::SignatureInvalid);
                    }
                }
            }
        }
    }

    #[test]
    fn p384_keys_from_pkcs8() {
        let sk = p384::SecretKey::from_slice(&[7u8; 48]).expect("scalar");
        let der = sk.to_pkcs8_der().expect("pkcs8");
        let key = PrivateKey::from_pkcs8_der(der.as_bytes()).expect("parse");
        assert_eq!(key.kind(), KeyKind::EcP384);
        let alg = SignatureAlgorithm::Ecdsa(DigestAlgorithm::Sha384);
        let sig = key.sign(alg, b"x").expect("sign");
        key.public_key().verify(alg, b"x", &sig).expect("verify");
        let der_sig = ecdsa_fixed_to_der(&sig).expect("to der");
        assert_eq!(
            ecdsa_der_to_fixed(KeyKind::EcP384, &der_sig).expect("back"),
            sig
        );
    }

    #[test]
    fn spki_round_trip_and_mismatch() {
        let key = PrivateKey::generate(KeySpec::EcP256).expect("generate");
        let spki = key.public_key().spki_der().to_vec();
        let parsed = PublicKey::from_spki_der(&spki).expect("spki");
        assert_eq!(&parsed, key.public_key());
        let alg = SignatureAlgorithm::RsaPkcs1v15(DigestAlgorithm::Sha256);
        assert_eq!(
            key.sign(alg, b"x").expect_err("RSA alg on EC key").code(),
            crate::ErrorCode::UnsupportedKey
        );
        assert_eq!(
            PublicKey::from_spki_der(b"\x30\x03\x02\x01\x00")
                .expect_err("garbage")
                .code(),
            crate::ErrorCode::DerMalformed
        );
    }

    #[test]
    fn pkcs1_and_sec1_keys() {
        let rsa = PrivateKey::generate(KeySpec::Rsa2048).expect("generate");
        let info = pkcs8::PrivateKeyInfoRef::from_der(rsa.pkcs8_der()).expect("pkcs8");
        let pkcs1 = info.private_key.as_bytes();
        let back = PrivateKey::from_pkcs1_der(pkcs1).expect("pkcs1");
        assert_eq!(back.public_key(), rsa.public_key());

        let ec = PrivateKey::generate(KeySpec::EcP256).expect("generate");
        let sk = p256::SecretKey::from_pkcs8_der(ec.pkcs8_der()).expect("p256");
        let sec1 = sk.to_sec1_der().expect("sec1");
        let back = PrivateKey::from_sec1_der(&sec1).expect("sec1 parse");
        assert_eq!(back.public_key(), ec.public_key());

        // Without the curve parameters the scalar length decides.
        let bare = Sec1PrivateKey {
            version: 1,
            private_key: der::asn1::OctetStringRef::new(&sk.to_bytes()).expect("octets"),
            parameters: None,
            public_key: None,
        }
        .to_der()
        .expect("der");
        let back = PrivateKey::from_sec1_der(&bare).expect("bare sec1");
        assert_eq!(back.public_key(), ec.public_key());

        for garbage in [&b"\x30\x03\x02\x01\x00"[..], b"", b"\x30"] {
            assert_eq!(
                PrivateKey::from_pkcs1_der(garbage)
                    .expect_err("pkcs1")
                    .code(),
                crate::ErrorCode::DerMalformed
            );
            assert_eq!(
                PrivateKey::from_sec1_der(garbage).expect_err("sec1").code(),
                crate::ErrorCode::DerMalformed
            );
        }
    }

    /// RSA-1024 (still found in old key stores) is accepted and signs on RustCrypto whatever
    /// backend the key was opened for.
    #[test]
    fn rsa_1024_falls_back_to_rustcrypto() {
        let key = rsa::PrivateKey::new(&mut getrandom::SysRng, 1024).expect("generate");
        let der = key.to_pkcs8_der().expect("pkcs8");
        for &backend in Backend::ALL {
            let key = PrivateKey::from_pkcs8_der_with(backend, der.as_bytes()).expect("parse");
            assert_eq!(key.kind(), KeyKind::Rsa { bits: 1024 });
            let alg = SignatureAlgorithm::RsaPkcs1v15(DigestAlgorithm::Sha256);
            let sig = key.sign(alg, b"x").expect("sign");
            key.public_key().verify(alg, b"x", &sig).expect("verify");
        }
    }

    #[test]
    fn rejects_tiny_rsa() {
        let err = PublicKey::from_rsa_components(&[0xff; 64], &[1, 0, 1]).expect_err("512-bit");
        assert_eq!(err.code(), crate::ErrorCode::UnsupportedKey);
    }
}
