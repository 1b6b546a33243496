//! The RustCrypto backend: `rsa`, `p256` and `p384`, pure Rust and always built.

use pkcs8::{DecodePrivateKey, EncodePrivateKey};
use zeroize::Zeroizing;

use crate::crypto::key::{MAX_RSA_BITS, MIN_RSA_BITS, PublicMaterial};
use crate::crypto::{DigestAlgorithm, KeyKind, KeySpec, SignatureAlgorithm};
use crate::error::KeyError;
use crate::{Error, Result};

// `signature` is re-exported by `rsa`; alias it so the trait imports read clearly.
use rsa::signature as signature_traits;

/// A public key in RustCrypto's form.
pub(crate) enum Public {
    Rsa(rsa::PublicKey),
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
}

impl Public {
    /// Parses the key material; the error is RustCrypto's text.
    pub(crate) fn parse(
        kind: KeyKind,
        material: &PublicMaterial,
    ) -> std::result::Result<Self, String> {
        match material {
            PublicMaterial::Rsa { n, e, .. } => {
                let n = rsa::BoxedUint::from_be_slice_vartime(n);
                let e = rsa::BoxedUint::from_be_slice_vartime(e);
                rsa::PublicKey::new_with_size_limits(n, e, MIN_RSA_BITS..=MAX_RSA_BITS)
                    .map(Public::Rsa)
                    .map_err(|e| e.to_string())
            }
            PublicMaterial::Ec { point } => match kind {
                KeyKind::EcP256 => p256::ecdsa::VerifyingKey::from_sec1_bytes(point)
                    .map(Public::P256)
                    .map_err(|e| e.to_string()),
                _ => p384::ecdsa::VerifyingKey::from_sec1_bytes(point)
                    .map(Public::P384)
                    .map_err(|e| e.to_string()),
            },
        }
    }

    /// Whether `signature` verifies over `message` (the algorithm fits the key: checked by
    /// the caller).
    pub(crate) fn verify(
        &self,
        algorithm: SignatureAlgorithm,
        message: &[u8],
        signature: &[u8],
    ) -> bool {
        use signature_traits::hazmat::PrehashVerifier;
        let digest = algorithm.digest().digest(message);
        match self {
            Public::Rsa(key) => key
                .verify(pkcs1v15_scheme(algorithm.digest()), &digest, signature)
                .is_ok(),
            Public::P256(key) => match p256::ecdsa::Signature::from_slice(signature) {
                Ok(sig) => key.verify_prehash(&digest, &sig).is_ok(),
                Err(_) => false,
            },
            Public::P384(key) => match p384::ecdsa::Signature::from_slice(signature) {
                Ok(sig) => key.verify_prehash(&digest, &sig).is_ok(),
                Err(_) => false,
            },
        }
    }
}

/// A private key in RustCrypto's form.
pub(crate) enum Private {
    Rsa(Box<rsa::PrivateKey>),
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
}

impl Private {
    /// Parses an unencrypted PKCS#8 key of `kind`; the error is RustCrypto's text.
    pub(crate) fn from_pkcs8(kind: KeyKind, der: &[u8]) -> std::result::Result<Self, String> {
        match kind {
            KeyKind::Rsa { .. } => rsa::PrivateKey::from_pkcs8_der(der)
                .map(|k| Private::Rsa(Box::new(k)))
                .map_err(|e| e.to_string()),
            KeyKind::EcP256 => p256::ecdsa::SigningKey::from_pkcs8_der(der)
                .map(Private::P256)
                .map_err(|e| e.to_string()),
            KeyKind::EcP384 => p384::ecdsa::SigningKey::from_pkcs8_der(der)
                .map(Private::P384)
                .map_err(|e| e.to_string()),
        }
    }

    /// Signs `message` (the algorithm fits the key: checked by the caller).
    pub(crate) fn sign(&self, algorithm: SignatureAlgorithm, message: &[u8]) -> Result<Vec<u8>> {
        use signature_traits::hazmat::PrehashSigner;
        let digest = algorithm.digest().digest(message);
        let failed = |e: String| Error::Key(KeyError::SigningFailed { detail: e });
        match self {
            Private::Rsa(key) => key
                .sign(pkcs1v15_scheme(algorithm.digest()), &digest)
                .map_err(|e| failed(e.to_string())),
            Private::P256(key) => {
                let sig: p256::ecdsa::Signature = key
                    .sign_prehash(&digest)
                    .map_err(|e| failed(e.to_string()))?;
                Ok(sig.to_bytes().to_vec())
            }
            Private::P384(key) => {
                let sig: p384::ecdsa::Signature = key
                    .sign_prehash(&digest)
                    .map_err(|e| failed(e.to_string()))?;
                Ok(sig.to_bytes().to_vec())
            }
        }
    }

    /// ECDH with the peer's uncompressed SEC1 point on the key's own curve (the caller has
    /// matched the curves): the shared secret Z, the x-coordinate of the shared point.
    pub(crate) fn agree(&self, peer_point: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        let not_on_curve = |curve: &str| {
            Error::invalid_argument("peer", format!("the peer's key is not a point on {curve}"))
        };
        match self {
            Private::Rsa(_) => Err(Error::Key(KeyError::Unsupported {
                detail: "an RSA key cannot do ECDH key agreement".into(),
            })),
            Private::P256(key) => {
                let peer = p256::PublicKey::from_sec1_bytes(peer_point)
                    .map_err(|_| not_on_curve("P-256"))?;
                let z = p256::ecdh::diffie_hellman(key.as_nonzero_scalar(), peer.as_affine());
                Ok(Zeroizing::new(z.raw_secret_bytes().to_vec()))
            }
            Private::P384(key) => {
                let peer = p384::PublicKey::from_sec1_bytes(peer_point)
                    .map_err(|_| not_on_curve("P-384"))?;
                let z = p384::ecdh::diffie_hellman(key.as_nonzero_scalar(), peer.as_affine());
                Ok(Zeroizing::new(z.raw_secret_bytes().to_vec()))
            }
        }
    }
}

/// Generates a key, returned as unencrypted PKCS#8 DER.
pub(crate) fn generate(spec: KeySpec) -> Result<Zeroizing<Vec<u8>>> {
    let failed = |e: String| Error::internal(format!("key generation failed: {e}"));
    let rsa = |bits| -> Result<Zeroizing<Vec<u8>>> {
        let key = rsa::PrivateKey::new(&mut getrandom::SysRng, bits)
            .map_err(|e| failed(e.to_string()))?;
        let doc = key.to_pkcs8_der().map_err(|e| failed(e.to_string()))?;
        Ok(Zeroizing::new(doc.as_bytes().to_vec()))
    };
    Ok(match spec {
        KeySpec::Rsa2048 => rsa(2048)?,
        KeySpec::Rsa3072 => rsa(3072)?,
        KeySpec::Rsa4096 => rsa(4096)?,
        KeySpec::EcP256 => {
            let sk = loop {
                let mut bytes = Zeroizing::new([0u8; 32]);
                crate::crypto::random_bytes(bytes.as_mut())?;
                if let Ok(sk) = p256::SecretKey::from_slice(bytes.as_ref()) {
                    break sk;
                }
            };
            let doc = sk.to_pkcs8_der().map_err(|e| failed(e.to_string()))?;
            Zeroizing::new(doc.as_bytes().to_vec())
        }
    })
}

/// The PKCS#1 v1.5 signature scheme for a digest.
fn pkcs1v15_scheme(d: DigestAlgorithm) -> rsa::Pkcs1v15Sign {
    match d {
        DigestAlgorithm::Sha1 => rsa::Pkcs1v15Sign::new::<sha1::Sha1>(),
        DigestAlgorithm::Sha224 => rsa::Pkcs1v15Sign::new::<sha2::Sha224>(),
        DigestAlgorithm::Sha256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
        DigestAlgorithm::Sha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
        DigestAlgorithm::Sha512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
    }
}
