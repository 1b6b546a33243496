//! Public keys: parsing (`SubjectPublicKeyInfo`, RSA components, EC points), their canonical
//! encodings, and signature verification on either backend.

use std::fmt;
use std::sync::{Arc, OnceLock};

use const_oid::ObjectIdentifier;
use const_oid::db::rfc5912::{ID_EC_PUBLIC_KEY, RSA_ENCRYPTION, SECP_256_R_1, SECP_384_R_1};
use der::asn1::{AnyRef, BitString, UintRef};
use der::{Decode, Encode};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned, SubjectPublicKeyInfoRef};

use super::{
    KeyKind, MAX_RSA_BITS, MIN_RSA_BITS, bit_len, der_internal, oid_with_name, strip_zeros,
};
use crate::crypto::backend::rustcrypto;
use crate::crypto::{Backend, SignatureAlgorithm};
use crate::error::Format;
use crate::error::{FormatError, KeyError, SignatureError};
use crate::{Error, Result};

/// A public key: RSA, or EC on P-256 or P-384.
#[derive(Clone)]
pub struct PublicKey(Arc<PublicInner>);

struct PublicInner {
    kind: KeyKind,
    spki_der: Vec<u8>,
    material: PublicMaterial,
    /// The RustCrypto form, parsed on first use.
    rustcrypto: OnceLock<std::result::Result<rustcrypto::Public, String>>,
}

/// The key material in the forms the backends take.
pub(crate) enum PublicMaterial {
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
            let curve = super::named_curve(spki.algorithm.parameters, "EC public key")?;
            Self::from_ec_point(curve, bits)
        } else {
            Err(Error::Format(FormatError::Unsupported {
                what: "public key algorithm",
                name: oid_with_name(&alg),
            }))
        }
    }

    /// Builds an RSA public key from its big-endian modulus and exponent.
    pub fn from_rsa_components(n: &[u8], e: &[u8]) -> Result<Self> {
        let n = strip_zeros(n);
        let e = strip_zeros(e);
        let bits = bit_len(n);
        if !(MIN_RSA_BITS..=MAX_RSA_BITS).contains(&bits) {
            return Err(Error::Key(KeyError::Unsupported {
                detail: format!(
                    "RSA modulus of {bits} bits (supported: {MIN_RSA_BITS}..={MAX_RSA_BITS})"
                ),
            }));
        }
        if e.is_empty() || e.len() > 8 || e[e.len() - 1] & 1 == 0 || n[n.len() - 1] & 1 == 0 {
            return Err(Error::Key(KeyError::Unsupported {
                detail: "RSA public exponent or modulus is invalid".into(),
            }));
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
            return Err(Error::Format(FormatError::Unsupported {
                what: "EC curve",
                name: oid_with_name(&curve),
            }));
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
    /// Fails with [`SignatureError::Invalid`](crate::error::SignatureError::Invalid) when the signature does not verify or does not fit
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
            return Err(Error::Signature(SignatureError::Invalid {
                detail: format!(
                    "{algorithm} signature cannot be checked with a {} key",
                    self.kind()
                ),
            }));
        }
        let ok = match backend {
            #[cfg(feature = "aws-lc")]
            Backend::AwsLc => {
                match crate::crypto::backend::aws_lc::verify(
                    self.kind(),
                    &self.0.material,
                    algorithm,
                    message,
                    signature,
                ) {
                    Some(ok) => ok,
                    None => self.rustcrypto()?.verify(algorithm, message, signature),
                }
            }
            Backend::RustCrypto => self.rustcrypto()?.verify(algorithm, message, signature),
        };
        if ok {
            Ok(())
        } else {
            Err(Error::Signature(SignatureError::Invalid {
                detail: format!(
                    "{algorithm} signature does not verify with the {} key",
                    self.kind()
                ),
            }))
        }
    }

    /// The key in RustCrypto's form, parsed once.
    fn rustcrypto(&self) -> Result<&rustcrypto::Public> {
        let parsed = self
            .0
            .rustcrypto
            .get_or_init(|| rustcrypto::Public::parse(self.0.kind, &self.0.material));
        parsed.as_ref().map_err(|detail| {
            Error::Key(KeyError::Unsupported {
                detail: detail.clone(),
            })
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
