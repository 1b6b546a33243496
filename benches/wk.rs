//! Processing one login.gov.pl ArtifactResponse (`ezla::wk::process_artifact_response`: the
//! outer and inner signature checks, ECDH-ES, the ConcatKDF, the AES key unwrap, AES-GCM and
//! the assertion's checks), beside the bare cryptography of the same steps on inputs of the
//! same sizes: two ECDSA-P256 verifications, one ECDH, one AES-256 key unwrap and one AES-GCM
//! decryption (issue 14's target: the whole at most 2× its crypto, under 0.5 ms).

use std::hint::black_box;
use std::sync::Arc;

use aes_gcm::aead::Aead;
use aes_gcm::{Aes256Gcm, KeyInit as _, Nonce};
use aes_kw::KwAes256;
use criterion::{Criterion, criterion_group, criterion_main};
use ezla::crypto::{
    DigestAlgorithm, KeyAgreement, KeySpec, PrivateKey, SignatureAlgorithm, Signer,
};
use ezla::pki::testca::TestCa;
use ezla::wk::{self, Config, Environment, SpKeys, emulate};
use time::macros::datetime;

fn keypair(name: &str) -> (PrivateKey, ezla::pki::Certificate) {
    let ca = TestCa::generate_with(KeySpec::EcP256, name, datetime!(2025-01-01 0:00 UTC), 3650)
        .expect("key");
    (ca.key().clone(), ca.certificate().clone())
}

fn bench(c: &mut Criterion) {
    let now = datetime!(2026-12-01 10:00 UTC);
    let (sig, sig_cert) = keypair("sp sig");
    let (enc, enc_cert) = keypair("sp enc");
    let (wk_key, wk_cert) = keypair("WK_SIG_EC bench");
    let keys = SpKeys::new(Arc::new(sig), sig_cert, Arc::new(enc.clone()), enc_cert).expect("keys");
    let config = Config::new(
        Environment::Integration,
        "https://sp.example/wk",
        "https://sp.example/wk/acs",
        keys,
        vec![wk_cert.clone()],
    );
    let issuer = config.endpoints.issuer.clone();
    let spec = emulate::AssertionSpec::example(
        &issuer,
        &config.entity_id,
        &config.acs_url,
        "ID-authn",
        now,
    );
    let assertion = emulate::assertion_xml(&spec);
    let encrypted = wk::encrypt_assertion(
        assertion.as_bytes(),
        config.keys.encryption_certificate.public_key(),
        &issuer,
        &config.entity_id,
        32,
    )
    .expect("encrypt");
    let inner = emulate::response_xml(
        &issuer,
        "ID-r1",
        "ID-authn",
        now,
        &emulate::success(),
        Some(&encrypted),
    );
    let inner = emulate::sign(&wk_key, &wk_cert, &inner, "ID-r1").expect("sign");
    let outer = emulate::artifact_response_xml(
        &issuer,
        "ID-ar1",
        "ID-resolve",
        now,
        &emulate::success(),
        Some(&inner),
    );
    let outer = emulate::sign(&wk_key, &wk_cert, &outer, "ID-ar1").expect("sign");
    let response = emulate::soap_envelope(&outer);
    println!(
        "ArtifactResponse: {} bytes, assertion {} bytes",
        response.len(),
        assertion.len()
    );

    // The bare crypto of the same steps, on inputs of the same sizes.
    let ecdsa = SignatureAlgorithm::Ecdsa(DigestAlgorithm::Sha256);
    let signed_info = vec![0x3cu8; 700]; // about the size of a SignedInfo in exclusive C14N
    let signature = wk_key.sign(ecdsa, &signed_info).expect("sign");
    let wk_public = wk_cert.public_key().clone();
    let ephemeral = PrivateKey::generate(KeySpec::EcP256).expect("ephemeral");
    let ephemeral_public = Signer::public_key(&ephemeral).clone();
    let kek = [7u8; 32];
    let cek = [9u8; 32];
    let mut wrapped = [0u8; 40];
    KwAes256::new_from_slice(&kek)
        .expect("kek")
        .wrap_key(&cek, &mut wrapped)
        .expect("wrap");
    let nonce_bytes = [5u8; 12];
    let nonce = Nonce::try_from(&nonce_bytes[..]).expect("nonce");
    let sealed = Aes256Gcm::new_from_slice(&cek)
        .expect("cek")
        .encrypt(&nonce, assertion.as_bytes())
        .expect("seal");

    let mut group = c.benchmark_group("wk");
    group.bench_function("process_artifact_response", |b| {
        b.iter(|| {
            wk::process_artifact_response(
                &config,
                black_box(&response),
                Some("ID-resolve"),
                "ID-authn",
                now,
            )
            .expect("identity")
        })
    });
    group.bench_function("bare_crypto", |b| {
        b.iter(|| {
            for _ in 0..2 {
                wk_public
                    .verify(ecdsa, black_box(&signed_info), &signature)
                    .expect("verify");
            }
            let z = enc.agree(black_box(&ephemeral_public)).expect("ecdh");
            let mut unwrapped = [0u8; 32];
            KwAes256::new_from_slice(&kek)
                .expect("kek")
                .unwrap_key(black_box(&wrapped), &mut unwrapped)
                .expect("unwrap");
            let plain = Aes256Gcm::new_from_slice(&unwrapped)
                .expect("cek")
                .decrypt(&nonce, black_box(sealed.as_slice()))
                .expect("open");
            (z, plain)
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
