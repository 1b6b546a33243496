//! PKCS#11 signing on SoftHSM2 beside the software key (issue 15): XAdES-BES of the e-ZLA
//! sample with an RSA-2048 software key (AWS-LC) and with the same kind of key on SoftHSM; the
//! bare RSA-2048 signature of each (SoftHSM's through `cryptoki` directly: C_Sign with
//! CKM_RSA_PKCS over a ready DigestInfo, one open session — the floor ezla's path is measured
//! against); 32 bare signatures on one thread and on two; and batch signing of 128
//! documents on one thread and on two; and SoftHSM's own ceiling, the same 128 bare
//! signatures on one and two long-lived threads.
//!
//! Targets: `Pkcs11Signer::sign` costs at most 110 % of SoftHSM's bare signature; the batch
//! scales at least 1.8× from one thread to two.
//!
//! SoftHSM reads `SOFTHSM2_CONF` when it initialises, so the benchmark makes fresh tokens with
//! `tests/tools/softhsm-tokens.sh` and runs itself again with the variable set. Without
//! SoftHSM2 (or pkcs11-tool, openssl) it says so and exits.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Instant;

use criterion::Criterion;
use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, ObjectClass};
use cryptoki::session::UserType;
use cryptoki::types::AuthPin;
use ezla::crypto::{DigestAlgorithm, KeySpec, SignatureAlgorithm, Signer};
use ezla::pkcs11::{KeySelector, Module, PinSource, Pkcs11Signer, SignerOptions, TokenSelector};
use ezla::pki::testca::{DoctorSpec, TestCa};
use ezla::pl::Pesel;
use ezla::xades::{self, BatchOptions, Profile, SignOptions};

const MODULE: &str = "/usr/lib/softhsm/libsofthsm2.so";

/// Documents per batch: enough that each worker signs long enough for the start of its
/// thread to vanish in the total (with 16 documents, two threads gave 1.4×; see docs/pkcs11.md).
const BATCH: usize = 128;

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

/// Makes the tokens and runs this benchmark again with `SOFTHSM2_CONF` set; `false` when
/// this is already that run.
fn reexec_with_tokens() -> bool {
    if std::env::var_os("EZLA_BENCH_SOFTHSM").is_some() {
        return false;
    }
    let have = |t: &str| {
        Command::new("sh")
            .arg("-c")
            .arg(format!("command -v {t}"))
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !Path::new(MODULE).exists()
        || !["softhsm2-util", "pkcs11-tool", "openssl"]
            .iter()
            .all(|t| have(t))
    {
        eprintln!(
            "note: SoftHSM2, pkcs11-tool or openssl missing; the PKCS#11 benchmark is skipped"
        );
        return true;
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pkcs11-bench");
    let _ = std::fs::remove_dir_all(&dir);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/tools/softhsm-tokens.sh");
    let made = Command::new("bash")
        .arg(script)
        .arg(&dir)
        .output()
        .expect("token script");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let exe = std::env::current_exe().expect("bench binary");
    let status = Command::new(exe)
        .args(std::env::args_os().skip(1))
        .env("SOFTHSM2_CONF", dir.join("softhsm2.conf"))
        .env("EZLA_BENCH_SOFTHSM", "1")
        .status()
        .expect("rerun");
    std::process::exit(status.code().unwrap_or(1));
}

fn main() {
    if reexec_with_tokens() {
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c);
    c.final_summary();
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

    let module = Module::open(MODULE).expect("module");
    let token = Pkcs11Signer::open(
        &module,
        SignerOptions::new(
            TokenSelector::Label("ezla-test".into()),
            KeySelector::Label("rsa".into()),
            PinSource::value("1234"),
        ),
    )
    .expect("token signer");

    // SoftHSM's own bare signature: one session, logged in, C_Sign over a ready DigestInfo.
    let raw = Pkcs11::new(MODULE).expect("raw module");
    // The module is initialised already (by `Module::open`): the second C_Initialize says so.
    let _ = raw.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK));
    let slot = raw
        .get_slots_with_initialized_token()
        .expect("slots")
        .into_iter()
        .find(|s| {
            raw.get_token_info(*s)
                .is_ok_and(|t| t.label().trim_end() == "ezla-test")
        })
        .expect("slot");
    let session = raw.open_ro_session(slot).expect("session");
    let _ = session.login(UserType::User, Some(&AuthPin::from("1234".to_string())));
    let key = session
        .find_objects(&[
            Attribute::Class(ObjectClass::PRIVATE_KEY),
            Attribute::Label(b"rsa".to_vec()),
        ])
        .expect("find")
        .into_iter()
        .next()
        .expect("key");

    let alg = SignatureAlgorithm::RsaPkcs1v15(DigestAlgorithm::Sha256);
    let signed_info = vec![b'x'; 1200]; // about the size of a canonical XAdES SignedInfo
    let mut digest_info = vec![
        0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
        0x05, 0x00, 0x04, 0x20,
    ];
    digest_info.extend(DigestAlgorithm::Sha256.digest(&signed_info));
    let by_ezla = token.sign(alg, &signed_info).expect("sign");
    let by_raw = session
        .sign(&Mechanism::RsaPkcs, key, &digest_info)
        .expect("raw sign");
    assert_eq!(by_ezla, by_raw, "the same PKCS#1 v1.5 signature both ways");

    let document = sample();
    let options = SignOptions::profile(Profile::Zus);
    let mut g = c.benchmark_group(format!("pkcs11_rsa2048_ezla_{}b", document.len()));
    g.bench_function("xades sign, software key (aws-lc)", |b| {
        b.iter(|| {
            black_box(
                xades::sign_with_identity(black_box(&document), &doctor, &options).expect("sign"),
            )
        })
    });
    g.bench_function("xades sign, softhsm", |b| {
        b.iter(|| {
            black_box(
                xades::sign(
                    black_box(&document),
                    &token,
                    token.certificate(),
                    &[],
                    &options,
                )
                .expect("sign"),
            )
        })
    });
    g.bench_function("bare sign, software key (aws-lc)", |b| {
        b.iter(|| black_box(doctor.key.sign(alg, black_box(&signed_info)).expect("sign")))
    });
    g.bench_function("bare sign, softhsm via cryptoki (C_Sign only)", |b| {
        b.iter(|| {
            black_box(
                session
                    .sign(&Mechanism::RsaPkcs, key, black_box(&digest_info))
                    .expect("sign"),
            )
        })
    });
    g.bench_function("bare sign, softhsm via Pkcs11Signer", |b| {
        b.iter(|| black_box(token.sign(alg, black_box(&signed_info)).expect("sign")))
    });
    g.finish();

    // 32 bare signatures split over 1 or 2 threads: the signer's own scaling, without XML.
    let mut g = c.benchmark_group("pkcs11_bare_32");
    g.sample_size(20);
    for threads in [1usize, 2] {
        g.bench_function(format!("Pkcs11Signer, {threads} thread(s)"), |b| {
            b.iter(|| {
                std::thread::scope(|scope| {
                    for _ in 0..threads {
                        scope.spawn(|| {
                            for _ in 0..32 / threads {
                                black_box(token.sign(alg, &signed_info).expect("sign"));
                            }
                        });
                    }
                })
            })
        });
    }
    g.finish();

    let documents: Vec<&[u8]> = (0..BATCH).map(|_| document.as_slice()).collect();
    let mut g = c.benchmark_group(format!("pkcs11_batch_{BATCH}_ezla"));
    g.sample_size(20);
    for threads in [1, 2] {
        g.bench_function(format!("softhsm, {threads} thread(s)"), |b| {
            b.iter(|| {
                let results = xades::sign_many(
                    &documents,
                    &token,
                    token.certificate(),
                    &[],
                    &options,
                    &BatchOptions::default().threads(threads),
                );
                assert!(results.iter().all(Result::is_ok));
                black_box(results)
            })
        });
        g.bench_function(format!("software key, {threads} thread(s)"), |b| {
            b.iter(|| {
                let results = xades::sign_many(
                    &documents,
                    &doctor.key,
                    &doctor.certificate,
                    &[],
                    &options,
                    &BatchOptions::default().threads(threads),
                );
                assert!(results.iter().all(Result::is_ok));
                black_box(results)
            })
        });
    }
    g.finish();

    // SoftHSM's own ceiling: the batch's 128 bare C_Sign on 1 or 2 long-lived threads, each
    // with its own session opened before the measurement, no ezla code at all. What the
    // token itself scales is the most an ezla batch on it can scale.
    let (raw, digest_info) = (&raw, &digest_info);
    let ceiling = move |threads: usize| {
        move || {
            let worker = raw.open_ro_session(slot).expect("worker session");
            move || {
                for _ in 0..BATCH / threads {
                    black_box(
                        worker
                            .sign(&Mechanism::RsaPkcs, key, digest_info)
                            .expect("sign"),
                    );
                }
            }
        }
    };
    let batch = |signer: &dyn Signer, certificate: &ezla::pki::Certificate, threads: usize| {
        let results = xades::sign_many(
            &documents,
            signer,
            certificate,
            &[],
            &options,
            &BatchOptions::default().threads(threads),
        );
        assert!(results.iter().all(Result::is_ok));
        black_box(results);
    };
    std::thread::scope(|scope| {
        let one = Crew::start(scope, 1, ceiling(1));
        let two = Crew::start(scope, 2, ceiling(2));
        let mut g = c.benchmark_group(format!("pkcs11_softhsm_ceiling_{BATCH}"));
        g.sample_size(20);
        g.bench_function("C_Sign, 1 long-lived thread(s)", |b| b.iter(|| one.run()));
        g.bench_function("C_Sign, 2 long-lived thread(s)", |b| b.iter(|| two.run()));
        g.finish();

        // The machine is shared: criterion's groups run seconds apart, and the load of the
        // host moves between them. Paired rounds (1 thread, then 2, again and again) give
        // each ratio under the same load; their median is the scaling figure.
        println!("scaling from 1 to 2 threads, {ROUNDS} paired rounds (median, quartiles):");
        paired(
            "SoftHSM's own C_Sign, long-lived threads",
            || one.run(),
            || two.run(),
        );
        paired(
            "ezla batch on SoftHSM",
            || batch(&token, token.certificate(), 1),
            || batch(&token, token.certificate(), 2),
        );
        paired(
            "ezla batch, software key",
            || batch(&doctor.key, &doctor.certificate, 1),
            || batch(&doctor.key, &doctor.certificate, 2),
        );
        one.stop();
        two.stop();
    });
    drop(session);
}

/// Paired rounds per scaling figure.
const ROUNDS: usize = 51;

/// Times `one` and `two` in turn `ROUNDS` times and prints the median ratio of their times
/// with its quartiles.
fn paired(name: &str, one: impl Fn(), two: impl Fn()) {
    one();
    two();
    let mut ratios: Vec<f64> = (0..ROUNDS)
        .map(|_| {
            let t = Instant::now();
            one();
            let a = t.elapsed();
            let t = Instant::now();
            two();
            a.as_secs_f64() / t.elapsed().as_secs_f64()
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    println!(
        "  {name}: {:.2}x ({:.2}-{:.2}x)",
        ratios[ROUNDS / 2],
        ratios[ROUNDS / 4],
        ratios[3 * ROUNDS / 4]
    );
}

/// Long-lived worker threads that each run their task once per [`Crew::run`].
struct Crew {
    start: Arc<Barrier>,
    end: Arc<Barrier>,
    stop: Arc<AtomicBool>,
}

impl Crew {
    /// Starts `threads` workers; each calls `setup` once on its own thread (to open its
    /// session there) and then runs what it returned on every round.
    fn start<'scope, S, W>(
        scope: &'scope std::thread::Scope<'scope, '_>,
        threads: usize,
        setup: S,
    ) -> Crew
    where
        S: Fn() -> W + Send + Copy + 'scope,
        W: Fn(),
    {
        let crew = Crew {
            start: Arc::new(Barrier::new(threads + 1)),
            end: Arc::new(Barrier::new(threads + 1)),
            stop: Arc::new(AtomicBool::new(false)),
        };
        for _ in 0..threads {
            let (start, end, stop) = (crew.start.clone(), crew.end.clone(), crew.stop.clone());
            scope.spawn(move || {
                let work = setup();
                loop {
                    start.wait();
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    work();
                    end.wait();
                }
            });
        }
        crew
    }

    /// One round: every worker runs its task once.
    fn run(&self) {
        self.start.wait();
        self.end.wait();
    }

    /// Ends the workers.
    fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
        self.start.wait();
    }
}
