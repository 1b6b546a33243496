//! The AWS-LC backend (feature `aws-lc`): RSA, ECDSA and ECDH through `aws-lc-rs`, for the
//! algorithms AWS-LC offers. Where it has none, the functions here answer `None` and the
//! key types fall back to [`super::rustcrypto`].

use aws_lc_rs::signature as sig;
use zeroize::Zeroizing;

use crate::crypto::key::PublicMaterial;
use crate::crypto::{DigestAlgorithm, KeyKind, KeySpec, SignatureAlgorithm};
use crate::error::KeyError;
use crate::{Error, Result};

/// Verifies `signature` over `message`; `None` when AWS-LC has no entry point for this
/// combination (the algorithm fits the key: checked by the caller).
pub(crate) fn verify(
    kind: KeyKind,
    material: &PublicMaterial,
    algorithm: SignatureAlgorithm,
    message: &[u8],
    signature: &[u8],
) -> Option<bool> {
    use DigestAlgorithm as D;
    let (params, key): (&'static dyn sig::VerificationAlgorithm, &[u8]) =
        match (material, algorithm, kind) {
            (PublicMaterial::Rsa { pkcs1_der, .. }, SignatureAlgorithm::RsaPkcs1v15(d), kind) => {
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

/// AWS-LC refuses RSA keys below 2048 bits; those sign on RustCrypto (see the module
/// documentation of [`crate::crypto`]).
pub(crate) fn too_small(kind: KeyKind) -> bool {
    matches!(kind, KeyKind::Rsa { bits } if bits < 2048)
}

/// A signing key in AWS-LC's form.
pub(crate) enum Private {
    Rsa(aws_lc_rs::rsa::KeyPair),
    Ec(sig::EcdsaKeyPair),
}

impl Private {
    /// Parses an unencrypted PKCS#8 key of `kind`; the error is AWS-LC's text.
    pub(crate) fn from_pkcs8(kind: KeyKind, der: &[u8]) -> std::result::Result<Self, String> {
        use sig::{ECDSA_P256_SHA256_FIXED_SIGNING, ECDSA_P384_SHA384_FIXED_SIGNING, EcdsaKeyPair};
        match kind {
            KeyKind::Rsa { .. } => aws_lc_rs::rsa::KeyPair::from_pkcs8(der)
                .map(Private::Rsa)
                .map_err(|e| e.to_string()),
            KeyKind::EcP256 => EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, der)
                .map(Private::Ec)
                .map_err(|e| e.to_string()),
            KeyKind::EcP384 => EcdsaKeyPair::from_pkcs8(&ECDSA_P384_SHA384_FIXED_SIGNING, der)
                .map(Private::Ec)
                .map_err(|e| e.to_string()),
        }
    }

    /// Signs `message`; `None` when AWS-LC has no entry point for this combination.
    pub(crate) fn sign(
        &self,
        kind: KeyKind,
        algorithm: SignatureAlgorithm,
        message: &[u8],
    ) -> Result<Option<Vec<u8>>> {
        use DigestAlgorithm as D;
        let failed = |e: aws_lc_rs::error::Unspecified| {
            Error::Key(KeyError::SigningFailed {
                detail: format!("AWS-LC: {e}"),
            })
        };
        match (self, algorithm, kind) {
            (Private::Rsa(kp), SignatureAlgorithm::RsaPkcs1v15(d), KeyKind::Rsa { bits })
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
            (Private::Ec(kp), SignatureAlgorithm::Ecdsa(D::Sha256), KeyKind::EcP256)
            | (Private::Ec(kp), SignatureAlgorithm::Ecdsa(D::Sha384), KeyKind::EcP384) => {
                let rng = aws_lc_rs::rand::SystemRandom::new();
                let sig = kp.sign(&rng, message).map_err(failed)?;
                Ok(Some(sig.as_ref().to_vec()))
            }
            _ => Ok(None),
        }
    }
}

/// Generates a key, returned as unencrypted PKCS#8 DER.
pub(crate) fn generate(spec: KeySpec) -> Result<Zeroizing<Vec<u8>>> {
    use aws_lc_rs::encoding::AsDer;
    use aws_lc_rs::rsa::{KeyPair, KeySize};
    use sig::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair};
    let failed = |e: String| Error::internal(format!("key generation failed: {e}"));
    let rsa = |size| -> Result<Zeroizing<Vec<u8>>> {
        let kp = KeyPair::generate(size).map_err(|e| failed(e.to_string()))?;
        let der = kp.as_der().map_err(|e| failed(e.to_string()))?;
        Ok(Zeroizing::new(der.as_ref().to_vec()))
    };
    Ok(match spec {
        KeySpec::Rsa2048 => rsa(KeySize::Rsa2048)?,
        KeySpec::Rsa3072 => rsa(KeySize::Rsa3072)?,
        KeySpec::Rsa4096 => rsa(KeySize::Rsa4096)?,
        KeySpec::EcP256 => {
            let kp = EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING)
                .map_err(|e| failed(e.to_string()))?;
            let doc = kp.to_pkcs8v1().map_err(|e| failed(e.to_string()))?;
            Zeroizing::new(doc.as_ref().to_vec())
        }
    })
}

/// ECDH of the PKCS#8 EC key `pkcs8` of `kind` with the peer's uncompressed SEC1 point on
/// the same curve (the caller has matched the curves): the shared secret Z, the
/// x-coordinate of the shared point.
pub(crate) fn agree(kind: KeyKind, pkcs8: &[u8], peer_point: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    use aws_lc_rs::agreement::{self, ECDH_P256, ECDH_P384, UnparsedPublicKey};
    let (alg, curve) = match kind {
        KeyKind::EcP256 => (&ECDH_P256, "P-256"),
        KeyKind::EcP384 => (&ECDH_P384, "P-384"),
        KeyKind::Rsa { .. } => {
            return Err(Error::Key(KeyError::Unsupported {
                detail: "an RSA key cannot do ECDH key agreement".into(),
            }));
        }
    };
    let key = agreement::PrivateKey::from_private_key_der(alg, pkcs8).map_err(|e| {
        Error::Key(KeyError::Unsupported {
            detail: format!("AWS-LC rejected the {kind} key for ECDH: {e}"),
        })
    })?;
    let peer = UnparsedPublicKey::new(alg, peer_point);
    agreement::agree(
        &key,
        peer,
        Error::invalid_argument("peer", format!("the peer's key is not a point on {curve}")),
        |z| Ok(Zeroizing::new(z.to_vec())),
    )
}
