//! Tests of the key types across both backends.

use der::{Decode, Encode};
use pkcs8::{DecodePrivateKey, EncodePrivateKey};

use super::private::Sec1PrivateKey;
use super::*;
use crate::crypto::{Backend, DigestAlgorithm, SignatureAlgorithm, Signer};

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
                            panic!("{alg} signed on {signing:?}, verified on {verifying:?}: {e}")
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
