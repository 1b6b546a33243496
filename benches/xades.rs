//! XAdES-BES sign and verify of the e-ZLA sample (`../shared/vectors/ezla/`) with an RSA-2048
//! software key on the AWS-LC backend, in the default `zus` profile, with the time split into
//! the XML work and the RSA operation (issue: the XML work costs at most 15 % of the RSA-2048
//! signature).
//!
//! Without the shared corpus the benchmark signs a small document of the same shape instead and
//! says so.

use criterion::{Criterion, criterion_group, criterion_main};
use ezla::crypto::{DigestAlgorithm, KeySpec, SignatureAlgorithm, Signer};
use ezla::pki::testca::{DoctorSpec, TestCa};
use ezla::pl::Pesel;
use ezla::xades::{self, Profile, SignOptions, VerifyOptions};
use std::hint::black_box;

fn sample() -> Vec<u8> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/vectors/ezla/ked_zla_unsigned_oryginal_medfile.xml"
    );
    std::fs::read(path).unwrap_or_else(|_| {
        eprintln!("note: {path} not found; benchmarking a small stand-in document");
        b"<KEDU xmlns=\"http://www.zus.pl/2015/KED_ZLA_1\"><ZUSZLA><p1>x</p1></ZUSZLA></KEDU>"
            .to_vec()
    })
}

fn bench(c: &mut Criterion) {
    let now = time::OffsetDateTime::now_utc();
    let ca = TestCa::generate("ezla bench CA", now - time::Duration::days(1), 3650).expect("ca");
    let mut spec = DoctorSpec::new(
        "Jan",
        "Kowalski",
        "44051401359".parse::<Pesel>().expect("pesel"),
    );
    spec.key = KeySpec::Rsa2048;
    let doctor = ca.issue_doctor(&spec).expect("doctor");
    let document = sample();
    let options = SignOptions::profile(Profile::Zus);
    let signed = xades::sign_with_identity(&document, &doctor, &options).expect("sign");
    let verify_options = VerifyOptions::default();
    xades::verify(&signed, &verify_options).expect("verify");

    let alg = SignatureAlgorithm::RsaPkcs1v15(DigestAlgorithm::Sha256);
    let signed_info = vec![b'x'; 1200]; // about the size of a canonical XAdES SignedInfo
    let rsa_sig = doctor.key.sign(alg, &signed_info).expect("sig");
    let public = doctor.certificate.public_key().clone();

    let mut g = c.benchmark_group(format!("xades_ezla_{}b_rsa2048", document.len()));
    g.bench_function("sign", |b| {
        b.iter(|| {
            black_box(
                xades::sign_with_identity(black_box(&document), &doctor, &options).expect("sign"),
            )
        })
    });
    g.bench_function("verify", |b| {
        b.iter(|| black_box(xades::verify(black_box(&signed), &verify_options).expect("verify")))
    });
    g.bench_function("rsa2048 sign only", |b| {
        b.iter(|| black_box(doctor.key.sign(alg, black_box(&signed_info)).expect("sign")))
    });
    g.bench_function("rsa2048 verify only", |b| {
        b.iter(|| {
            public
                .verify(alg, black_box(&signed_info), black_box(&rsa_sig))
                .expect("verify")
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
