//! Opening a doctor's `.pfx` (RSA-2048 key, certificate and CA certificate; 2 048 iterations):
//!
//! * `legacy`: written by `openssl pkcs12 -export -legacy -keypbe PBE-SHA1-3DES -certpbe
//!   PBE-SHA1-RC2-40 -macalg sha1 -iter 2048` (what older tools and ZUS-era files use);
//! * `modern`: written by `openssl pkcs12 -export -iter 2048` (PBES2, PBKDF2-HMAC-SHA-256,
//!   AES-256-CBC, SHA-256 MAC).
//!
//! The fixtures go to `target/bench-fixtures/pkcs12/` so that `compare/pkcs12_open.py` can
//! time Python `cryptography` (OpenSSL underneath) on the very same files. Without
//! `openssl` on `PATH` the modern file is written by ezla instead and the legacy case is
//! skipped.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;

use criterion::{Criterion, criterion_group, criterion_main};
use ezla::crypto::KeySpec;
use ezla::pki::testca::{DoctorSpec, TestCa};
use ezla::pki::{Identity, Pkcs12Options};

const PASSWORD: &str = "bench-password";

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench-fixtures/pkcs12")
}

/// Writes the fixtures; returns (name, file contents) for each available case.
fn fixtures() -> Vec<(&'static str, Vec<u8>)> {
    let dir = fixtures_dir();
    std::fs::create_dir_all(&dir).expect("fixtures dir");
    let now = time::OffsetDateTime::now_utc();
    let ca = TestCa::generate("ezla bench CA", now, 365).expect("ca");
    let mut spec = DoctorSpec::new("Jan", "Kowalski", "44051401359".parse().expect("pesel"));
    spec.key = KeySpec::Rsa2048;
    let id = ca.issue_doctor(&spec).expect("doctor");
    let key = dir.join("key.pem");
    let cert = dir.join("cert.pem");
    let chain = dir.join("ca.pem");
    std::fs::write(
        &key,
        ezla::pki::pem::encode("PRIVATE KEY", id.key.pkcs8_der()),
    )
    .expect("key");
    std::fs::write(&cert, id.certificate.to_pem()).expect("cert");
    std::fs::write(&chain, ca.certificate().to_pem()).expect("ca");
    std::fs::write(dir.join("password.txt"), PASSWORD).expect("password");

    let openssl = |out: &Path, extra: &[&str]| -> bool {
        Command::new("openssl")
            .args([
                "pkcs12",
                "-export",
                "-iter",
                "2048",
                "-passout",
                &format!("pass:{PASSWORD}"),
            ])
            .args(extra)
            .arg("-inkey")
            .arg(&key)
            .arg("-in")
            .arg(&cert)
            .arg("-certfile")
            .arg(&chain)
            .arg("-out")
            .arg(out)
            .status()
            .is_ok_and(|s| s.success())
    };
    let mut cases = Vec::new();
    let legacy = dir.join("legacy.pfx");
    if openssl(
        &legacy,
        &[
            "-legacy",
            "-keypbe",
            "PBE-SHA1-3DES",
            "-certpbe",
            "PBE-SHA1-RC2-40",
            "-macalg",
            "sha1",
        ],
    ) {
        cases.push(("legacy", std::fs::read(&legacy).expect("legacy")));
    } else {
        println!("NOTICE: openssl unavailable; skipping the legacy case");
    }
    let modern = dir.join("modern.pfx");
    if !openssl(&modern, &[]) {
        std::fs::write(&modern, id.to_pkcs12(PASSWORD, 2048).expect("write")).expect("modern");
    }
    cases.push(("modern", std::fs::read(&modern).expect("modern")));
    cases
}

fn open(c: &mut Criterion) {
    let options = Pkcs12Options::default();
    let mut group = c.benchmark_group("pkcs12_open");
    for (name, data) in fixtures() {
        // Fail loudly rather than time an error path.
        Identity::from_pkcs12(&data, Some(PASSWORD), &options).expect("fixture opens");
        group.bench_function(name, |b| {
            b.iter(|| {
                Identity::from_pkcs12(black_box(&data), Some(PASSWORD), &options).expect("open")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, open);
criterion_main!(benches);
