//! The [`KeyAgreement`] trait: the private half of an elliptic-curve Diffie–Hellman exchange.

use std::fmt;

use zeroize::Zeroizing;

use super::{KeyKind, PublicKey};
use crate::Result;

/// The private half of an ECDH exchange (NIST SP 800-56A "ECC CDH" primitive): a software key
/// ([`super::PrivateKey`], on P-256 and P-384), or later a hardware token.
///
/// login.gov.pl encrypts SAML assertions to the service provider with ECDH-ES on P-256: the
/// sender's ephemeral public key and this key give the shared secret Z, from which a key
/// derivation function (not part of this trait) derives the content key.
///
/// Implementations return Z as the raw x-coordinate of the shared point (32 bytes on P-256,
/// 48 on P-384), zeroized on drop. They refuse keys that cannot agree: an RSA key with
/// [`KeyError::Unsupported`](crate::error::KeyError::Unsupported), a peer key on another curve (or an RSA peer key) with
/// [`crate::Error::InvalidArgument`]. A [`PublicKey`] always holds a point on its curve other
/// than the identity ([`PublicKey::from_ec_point`] refuses anything else), and the backends
/// check the peer point again.
pub trait KeyAgreement: Send + Sync + fmt::Debug {
    /// The kind of key (its curve).
    fn kind(&self) -> KeyKind;

    /// The public half of the key, to publish or to match against a certificate.
    fn public_key(&self) -> &PublicKey;

    /// Computes the shared secret Z with the peer's public key.
    fn agree(&self, peer: &PublicKey) -> Result<Zeroizing<Vec<u8>>>;
}

#[cfg(test)]
mod tests {
    use const_oid::db::rfc5912::{SECP_256_R_1, SECP_384_R_1};
    use pkcs8::EncodePrivateKey;

    use super::*;
    use crate::ErrorCode;
    use crate::crypto::hex;
    use crate::crypto::{Backend, KeySpec, PrivateKey};

    fn p256_key(backend: Backend, scalar: &[u8]) -> PrivateKey {
        let sk = p256::SecretKey::from_slice(scalar).expect("scalar");
        let der = sk.to_pkcs8_der().expect("pkcs8");
        PrivateKey::from_pkcs8_der_with(backend, der.as_bytes()).expect("key")
    }

    fn point(x: &str, y: &str) -> Vec<u8> {
        [vec![0x04], hex::decode(x), hex::decode(y)].concat()
    }

    // RFC 5903 section 8.1 (256-bit random ECP group): the initiator's and the responder's
    // private scalars i and r, their public points g^i and g^r, and the shared x-coordinate.
    const I: &str = "C88F01F5 10D9AC3F 70A292DA A2316DE5 44E9AAB8 AFE84049 C62A9C57 862D1433";
    const GIX: &str = "DAD0B653 94221CF9 B051E1FE CA5787D0 98DFE637 FC90B9EF 945D0C37 72581180";
    const GIY: &str = "5271A046 1CDB8252 D61F1C45 6FA3E59A B1F45B33 ACCF5F58 389E0577 B8990BB3";
    const R: &str = "C6EF9C5D 78AE012A 011164AC B397CE20 88685D8F 06BF9BE0 B283AB46 476BEE53";
    const GRX: &str = "D12DFB52 89C8D4F8 1208B702 70398C34 2296970A 0BCCB74C 736FC755 4494BF63";
    const GRY: &str = "56FBF3CA 366CC23E 8157854C 13C58D6A AC23F046 ADA30F83 53E74F33 039872AB";
    const GIRX: &str = "D6840F6B 42F6EDAF D13116E0 E1256520 2FEF8E9E CE7DCE03 812464D0 4B9442DE";

    /// The RFC 5903 §8.1 P-256 vector, in both directions, on every backend.
    #[test]
    fn rfc5903_p256_vector() {
        for &backend in Backend::ALL {
            let initiator = p256_key(backend, &hex::decode(I));
            let responder = p256_key(backend, &hex::decode(R));
            assert_eq!(
                initiator.public_key().ec_point(),
                Some(&point(GIX, GIY)[..])
            );
            assert_eq!(
                responder.public_key().ec_point(),
                Some(&point(GRX, GRY)[..])
            );
            let gr = PublicKey::from_ec_point(SECP_256_R_1, &point(GRX, GRY)).expect("g^r");
            let gi = PublicKey::from_ec_point(SECP_256_R_1, &point(GIX, GIY)).expect("g^i");
            let z = initiator.agree(&gr).expect("agree");
            assert_eq!(*z, hex::decode(GIRX), "{backend:?}");
            assert_eq!(
                *responder.agree(&gi).expect("agree"),
                hex::decode(GIRX),
                "{backend:?}"
            );
            let as_dyn: &dyn KeyAgreement = &initiator;
            assert_eq!(as_dyn.kind(), KeyKind::EcP256);
            assert_eq!(as_dyn.public_key(), initiator.public_key());
        }
    }

    /// Random keys on P-256 and P-384: every backend computes the same Z, from either side.
    #[test]
    fn backends_agree() {
        let p384 = |seed: u8| {
            let sk = p384::SecretKey::from_slice(&[seed; 48]).expect("scalar");
            let der = sk.to_pkcs8_der().expect("pkcs8");
            PrivateKey::from_pkcs8_der(der.as_bytes()).expect("key")
        };
        let pairs = [
            (
                PrivateKey::generate(KeySpec::EcP256).expect("a"),
                PrivateKey::generate(KeySpec::EcP256).expect("b"),
            ),
            (p384(3), p384(5)),
        ];
        for (a, b) in pairs {
            let reference = a
                .with_backend(Backend::RustCrypto)
                .expect("backend")
                .agree(b.public_key())
                .expect("agree");
            assert_eq!(reference.len(), a.kind().bits() / 8);
            for &x in Backend::ALL {
                for &y in Backend::ALL {
                    let a = a.with_backend(x).expect("backend");
                    let b = b.with_backend(y).expect("backend");
                    assert_eq!(a.agree(b.public_key()).expect("a·B"), reference);
                    assert_eq!(b.agree(a.public_key()).expect("b·A"), reference);
                }
            }
        }
    }

    #[test]
    fn refusals() {
        for &backend in Backend::ALL {
            let p256 = PrivateKey::generate_with(backend, KeySpec::EcP256).expect("p256");
            let p384 = {
                let sk = p384::SecretKey::from_slice(&[9u8; 48]).expect("scalar");
                let der = sk.to_pkcs8_der().expect("pkcs8");
                PrivateKey::from_pkcs8_der_with(backend, der.as_bytes()).expect("p384")
            };
            let rsa = PrivateKey::generate_with(backend, KeySpec::Rsa2048).expect("rsa");
            let code = |r: Result<Zeroizing<Vec<u8>>>| r.expect_err("must fail").code();
            assert_eq!(
                code(rsa.agree(p256.public_key())),
                ErrorCode::UnsupportedKey
            );
            assert_eq!(code(rsa.agree(rsa.public_key())), ErrorCode::UnsupportedKey);
            assert_eq!(
                code(p256.agree(p384.public_key())),
                ErrorCode::InvalidArgument
            );
            assert_eq!(
                code(p384.agree(p256.public_key())),
                ErrorCode::InvalidArgument
            );
            assert_eq!(
                code(p256.agree(rsa.public_key())),
                ErrorCode::InvalidArgument
            );
            let err = p256.agree(p384.public_key()).expect_err("mismatch");
            assert!(err.to_string().contains("curves must match"), "{err}");
        }
        // A peer point off the curve, or the identity, never becomes a PublicKey ...
        let mut off = point(GRX, GRY);
        off[64] ^= 1;
        for bad in [&off[..], &[0x00][..], &[0x04][..]] {
            assert!(PublicKey::from_ec_point(SECP_256_R_1, bad).is_err());
            assert!(PublicKey::from_ec_point(SECP_384_R_1, bad).is_err());
        }
        // ... and the backends check the point again.
        let key = p256_key(Backend::RustCrypto, &hex::decode(I));
        let rc = crate::crypto::backend::rustcrypto::Private::from_pkcs8(
            KeyKind::EcP256,
            key.pkcs8_der(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        for bad in [&off[..], &[0x00][..]] {
            let err = rc.agree(bad).expect_err("off the curve");
            assert_eq!(err.code(), ErrorCode::InvalidArgument);
            #[cfg(feature = "aws-lc")]
            assert_eq!(
                crate::crypto::backend::aws_lc::agree(KeyKind::EcP256, key.pkcs8_der(), bad)
                    .expect_err("off the curve")
                    .code(),
                ErrorCode::InvalidArgument
            );
        }
    }
}
