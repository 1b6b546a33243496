//! CAdES-BES signing and verification (`ezla::cms`) of a 1 KB and a 10 MB payload, beside the
//! bare RSA-2048 operations and SHA-256 over the payload, all in one run (issue 16's targets:
//! signing 1 KB within 10 % of the bare RSA signature; large payloads at the speed of SHA-256;
//! verification at least 2× faster than `openssl cms -verify` net of process start, which
//! `benches/compare/cms_openssl.sh` measures on the same files).

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ezla::cms::{self, SignOptions, VerifyOptions};
use ezla::crypto::{DigestAlgorithm, KeySpec, SignatureAlgorithm, Signer};
use ezla::pki::testca::{DoctorSpec, TestCa};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let now = time::OffsetDateTime::now_utc();
    let ca =
        TestCa::generate("ezla cms bench CA", now - time::Duration::days(1), 3650).expect("ca");
    let mut spec = DoctorSpec::new("Jan", "Kowalski", "44051401359".parse().expect("pesel"));
    spec.key = KeySpec::Rsa2048;
    let doctor = ca.issue_doctor(&spec).expect("doctor");
    let rsa = SignatureAlgorithm::RsaPkcs1v15(DigestAlgorithm::Sha256);
    let out = std::env::var_os("EZLA_CMS_BENCH_DIR").map(std::path::PathBuf::from);
    if let Some(dir) = &out {
        std::fs::create_dir_all(dir).expect("dir");
        std::fs::write(dir.join("ca.pem"), ca.certificate().to_pem()).expect("write");
    }

    let mut group = c.benchmark_group("cms");
    for (name, size) in [("1KB", 1024usize), ("10MB", 10 * 1024 * 1024)] {
        let payload: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
        group.throughput(Throughput::Bytes(size as u64));
        if size > 1024 {
            group.sample_size(20);
        } else {
            group.sample_size(100);
        }
        let attached = cms::sign(
            &payload,
            &doctor,
            &doctor.certificate,
            &[],
            &SignOptions::default(),
        )
        .expect("sign");
        if let Some(dir) = &out {
            std::fs::write(dir.join(format!("payload-{name}.bin")), &payload).expect("write");
            std::fs::write(dir.join(format!("signed-{name}.p7s")), &attached).expect("write");
        }
        group.bench_function(BenchmarkId::new("sign", name), |b| {
            b.iter(|| {
                cms::sign(
                    black_box(&payload),
                    &doctor,
                    &doctor.certificate,
                    &[],
                    &SignOptions::default(),
                )
                .expect("sign")
            })
        });
        group.bench_function(BenchmarkId::new("verify", name), |b| {
            b.iter(|| {
                cms::verify(black_box(&attached), None, &VerifyOptions::default()).expect("ok")
            })
        });
        group.bench_function(BenchmarkId::new("sha256", name), |b| {
            b.iter(|| DigestAlgorithm::Sha256.digest(black_box(&payload)))
        });
    }
    group.throughput(Throughput::Elements(1));
    group.sample_size(100);
    let message = b"the signed attributes, about 300 bytes".repeat(8);
    let signature = doctor.sign(rsa, &message).expect("sign");
    group.bench_function("rsa2048_sign", |b| {
        b.iter(|| doctor.sign(rsa, black_box(&message)).expect("sign"))
    });
    group.bench_function("rsa2048_verify", |b| {
        b.iter(|| {
            doctor
                .certificate
                .public_key()
                .verify(rsa, black_box(&message), &signature)
                .expect("ok")
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
