//! XML-DSig sign and verify of a 40 KB enveloped document with RSA-2048, split into XML work
//! and the RSA operation (issue: the XML work of verifying costs less than one RSA-2048
//! signature).

use criterion::{Criterion, criterion_group, criterion_main};
use ezla::crypto::{DigestAlgorithm, KeySpec, PrivateKey, SignatureAlgorithm, Signer};
use ezla::dsig::{KeySelection, SignOptions, SignatureSpec, Verifier, sign_enveloped};
use ezla::xml::Document;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let key = PrivateKey::generate(KeySpec::Rsa2048).expect("key");
    let doc = ezla_benches::namespaced_document(40 * 1024);
    let spec = SignatureSpec::enveloped(key.kind(), DigestAlgorithm::Sha256);
    let signed =
        sign_enveloped(doc.as_bytes(), &spec, &key, &SignOptions::default()).expect("sign");
    let verifier = Verifier::new(KeySelection::Pinned(key.public_key().clone()));
    let alg = SignatureAlgorithm::RsaPkcs1v15(DigestAlgorithm::Sha256);
    let signed_info = vec![b'x'; 900]; // about the size of a canonical SignedInfo
    let rsa_sig = key.sign(alg, &signed_info).expect("sig");

    let mut g = c.benchmark_group("dsig_40kb_rsa2048");
    g.bench_function("sign", |b| {
        b.iter(|| {
            black_box(
                sign_enveloped(
                    black_box(doc.as_bytes()),
                    &spec,
                    &key,
                    &SignOptions::default(),
                )
                .expect("sign"),
            )
        })
    });
    g.bench_function("verify", |b| {
        b.iter(|| {
            let d = Document::parse_bytes(black_box(&signed)).expect("parse");
            black_box(
                verifier
                    .verify_enveloped(&d)
                    .expect("verify")
                    .references
                    .len(),
            )
        })
    });
    g.bench_function("rsa2048 sign only", |b| {
        b.iter(|| black_box(key.sign(alg, black_box(&signed_info)).expect("sign")))
    });
    g.bench_function("rsa2048 verify only", |b| {
        b.iter(|| {
            key.public_key()
                .verify(alg, black_box(&signed_info), black_box(&rsa_sig))
                .expect("verify")
        })
    });
    g.bench_function("parse only", |b| {
        b.iter(|| black_box(Document::parse_bytes(black_box(&signed)).expect("parse")))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
