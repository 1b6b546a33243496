//! The load benchmark of the ZUS channel (issue 13, "Measure"): many doctors at once, each
//! with their own certificate, client and SQLite journal, issuing e-ZLA against the
//! simulator over TLS on loopback — log in, then for each certificate a series/number, the
//! ORYGINAŁ and KOPIA built and signed, `walidujDokumenty`, and the journaled
//! `wyslijDokumenty` with its receipts.
//!
//! Run: `cargo run --release -p ezla-benches --bin zus_load` (50 doctors × 20 e-ZLA), or a
//! smaller run with `-- --doctors N --per-doctor M`. `--no-contract` turns the simulator's
//! WSDL check off (it is on when `../shared/vectors` has the WSDL); `--memory-journal` gives
//! the clients in-memory journals instead of SQLite files, to show what durability costs.
//!
//! It prints: certificates, wall time, throughput, p50/p99 latency per certificate (the
//! login, once per doctor, is reported apart), the split of the clients' time between
//! signing (inside `LoginKey::sign` for the documents, and inside the key's `sign` for the
//! login statement — measured with a wrapping `Signer`) and everything else (protocol,
//! HTTP, TLS, journal, and waiting for the simulator), the CPU time of the clients' threads
//! against the whole process's (the rest is the in-process simulator), the pure signing rate
//! of this machine on the same documents on all cores, and the ratio of the end-to-end rate
//! to it (target: ≥ 0.5). Finally it checks that the simulator holds every certificate
//! exactly once, with the receipt each journal holds, and exits 1 otherwise.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use ezla::crypto::{PublicKey, SignatureAlgorithm, Signer};
use ezla::kedu::{WriteOptions, Zla};
use ezla::pki::Identity;
use ezla::pl::Pesel;
use ezla::store::{DocumentKind, Journal, JournalKey, MemoryJournal, SendState, SqliteJournal};
use ezla::transport::{TransportConfig, UreqTransport};
use ezla::zus::documents::Dokument;
use ezla::zus::{Client, ClientConfig, LoginKey};
use ezla_sim::{Limits, ServeOptions};
use time::{Date, Month, OffsetDateTime};

type BoxResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// The e-ZLA every doctor issues (its series/number and ids come from ZUS).
const TEMPLATE: &str = include_str!("../crates/ezla-cli/examples/zla.json");

struct Options {
    doctors: usize,
    per_doctor: usize,
    contract: bool,
    memory_journal: bool,
    sign_seconds: f64,
}

fn options() -> BoxResult<Options> {
    let mut o = Options {
        doctors: 50,
        per_doctor: 20,
        contract: true,
        memory_journal: false,
        sign_seconds: 5.0,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut number = |name: &str| -> BoxResult<String> {
            args.next()
                .ok_or_else(|| format!("{name} needs a value").into())
        };
        match a.as_str() {
            "--doctors" => o.doctors = number("--doctors")?.parse()?,
            "--per-doctor" => o.per_doctor = number("--per-doctor")?.parse()?,
            "--sign-seconds" => o.sign_seconds = number("--sign-seconds")?.parse()?,
            "--no-contract" => o.contract = false,
            "--memory-journal" => o.memory_journal = true,
            other => {
                return Err(format!(
                    "unknown argument {other:?} (--doctors N, --per-doctor M, --sign-seconds S, \
                     --no-contract, --memory-journal)"
                )
                .into());
            }
        }
    }
    if o.doctors == 0 || o.per_doctor == 0 {
        return Err("--doctors and --per-doctor must be at least 1".into());
    }
    Ok(o)
}

/// A signer that times the key's `sign` (the RSA operation and its hash).
#[derive(Debug)]
struct TimedSigner {
    inner: Identity,
    nanos: AtomicU64,
}

impl Signer for TimedSigner {
    fn public_key(&self) -> &PublicKey {
        self.inner.public_key()
    }

    fn sign(&self, algorithm: SignatureAlgorithm, message: &[u8]) -> ezla::Result<Vec<u8>> {
        let t = Instant::now();
        let r = self.inner.sign(algorithm, message);
        self.nanos.fetch_add(nanos(t.elapsed()), Ordering::Relaxed);
        r
    }
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// The CPU time (user + system) of the whole process, from `/proc/self/stat` (clock ticks,
/// 100 per second).
fn process_cpu_seconds() -> f64 {
    let text = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name in parentheses; utime and stime (fields 14 and 15)
    // are the 12th and 13th of them.
    let after = text.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

/// The CPU time of the calling thread (`CLOCK_THREAD_CPUTIME_ID`), in seconds.
fn thread_cpu_seconds() -> f64 {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    t.tv_sec as f64 + t.tv_nsec as f64 / 1e9
}

/// A valid PESEL for doctor `i` (born 1 January 1970 + i days' worth of serials).
fn pesel(i: usize) -> String {
    let serial = 1000 + i;
    let base = format!("700101{serial:04}");
    let weights = [1u32, 3, 7, 9, 1, 3, 7, 9, 1, 3];
    let sum: u32 = base
        .bytes()
        .zip(weights)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    format!("{base}{}", (10 - sum % 10) % 10)
}

fn client(url: &str, ca: &[u8], journal: Arc<dyn Journal>) -> BoxResult<Client> {
    let config = TransportConfig::builder()
        .basic_auth("ezla_ag", "ezla_ag")
        .trust_pem(ca)
        .build()?;
    let transport = UreqTransport::new(config)?;
    Ok(Client::new(Arc::new(transport), ClientConfig::new(url)).with_journal(journal))
}

/// What one doctor's thread measured.
#[derive(Default)]
struct DoctorRun {
    login: Duration,
    /// Per certificate, without the login.
    latencies: Vec<Duration>,
    /// Time inside `LoginKey::sign` for the documents.
    sign_documents: Duration,
    /// Time inside the key's `sign` during the login.
    sign_login: Duration,
    /// Time inside the key's `sign` for the documents (the RSA part of the above).
    rsa_documents: Duration,
    /// CPU time of the thread inside `LoginKey::sign` for the documents.
    sign_cpu: f64,
    /// CPU time of the thread, login to logout.
    cpu: f64,
}

fn today() -> BoxResult<Date> {
    Ok(Date::from_calendar_date(2026, Month::December, 1)?)
}

fn doctor_thread(
    url: &str,
    ca: &[u8],
    journal: Arc<dyn Journal>,
    identity: Identity,
    per_doctor: usize,
    start: &Barrier,
) -> BoxResult<DoctorRun> {
    let zus = client(url, ca, journal)?;
    let certificate = identity.certificate.clone();
    let signer = Arc::new(TimedSigner {
        inner: identity,
        nanos: AtomicU64::new(0),
    });
    let key = LoginKey::new(signer.clone(), certificate, Vec::new());
    let template = Zla::from_json(TEMPLATE)?;
    let options = WriteOptions::default().with_today(today()?);
    let mut run = DoctorRun::default();
    start.wait();
    let t = Instant::now();
    zus.login(key.clone())?;
    run.login = t.elapsed();
    run.sign_login = Duration::from_nanos(signer.nanos.swap(0, Ordering::Relaxed));
    for _ in 0..per_doctor {
        let t = Instant::now();
        let paczka = zus.reserve_number()?;
        let sn = paczka.seria_numer.compact();
        let mut zla = template.clone();
        zla.seria_numer = Some(paczka.seria_numer);
        zla.id_dokumentu = paczka.id_dokumentu;
        let (o, k) = zla.to_xml_pair(&options)?;
        let s = Instant::now();
        let c = thread_cpu_seconds();
        let o = key.sign(&o)?;
        let k = key.sign(&k)?;
        run.sign_cpu += thread_cpu_seconds() - c;
        run.sign_documents += s.elapsed();
        let dokumenty = [
            Dokument::new(format!("ORYGINAL-{sn}"), String::from_utf8(o.clone())?),
            Dokument::new(format!("KOPIA-{sn}"), String::from_utf8(k.clone())?),
        ];
        zus.validate(&dokumenty)?;
        zus.send_journaled(&[
            (JournalKey::new(sn.clone(), DocumentKind::Oryginal), o),
            (JournalKey::new(sn, DocumentKind::Kopia), k),
        ])?;
        run.latencies.push(t.elapsed());
    }
    run.rsa_documents = Duration::from_nanos(signer.nanos.load(Ordering::Relaxed));
    run.cpu = thread_cpu_seconds();
    zus.logout()?;
    Ok(run)
}

/// Signs the same pair over and over on `threads` threads for about `seconds`: pairs/s.
fn pure_signing_rate(identity: &Identity, threads: usize, seconds: f64) -> BoxResult<f64> {
    let key = LoginKey::from_identity(identity.clone());
    let mut zla = Zla::from_json(TEMPLATE)?;
    zla.seria_numer = Some(ezla::zus::SeriaNumer {
        seria: "ZY".into(),
        numer: "0000001".into(),
    });
    let (o, k) = zla.to_xml_pair(&WriteOptions::default().with_today(today()?))?;
    let budget = Duration::from_secs_f64(seconds);
    let t = Instant::now();
    let pairs: u64 = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| -> ezla::Result<u64> {
                    let mut n = 0;
                    let t = Instant::now();
                    while t.elapsed() < budget {
                        key.sign(&o)?;
                        key.sign(&k)?;
                        n += 1;
                    }
                    Ok(n)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .map_err(|_| "a signing thread panicked")?
                    .map_err(Into::into)
            })
            .sum::<BoxResult<u64>>()
    })?;
    Ok(pairs as f64 / t.elapsed().as_secs_f64())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted.get(rank - 1).copied().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

fn scratch() -> BoxResult<PathBuf> {
    let dir = std::env::temp_dir().join(format!("ezla-zus-load-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Every certificate at the simulator exactly once, with the receipt its journal holds.
fn check_store(
    sim: &ezla_sim::Simulator,
    journals: &[Arc<dyn Journal>],
    expected: usize,
) -> BoxResult<()> {
    let stored = sim.zus.state().documents()?;
    let mut at_zus = BTreeMap::new();
    for d in &stored {
        if at_zus
            .insert((d.seria_numer.clone(), d.kind.clone()), d)
            .is_some()
        {
            return Err(format!("{} {} is stored twice", d.seria_numer, d.kind).into());
        }
    }
    if stored.len() != expected {
        return Err(format!(
            "the simulator holds {} documents, not {expected}",
            stored.len()
        )
        .into());
    }
    let mut seen = 0;
    for journal in journals {
        for e in journal.entries()? {
            let d = at_zus
                .get(&(e.key.seria_numer.clone(), e.key.kind.as_str().to_owned()))
                .ok_or_else(|| format!("{} is not at the simulator", e.key))?;
            if e.state != SendState::Sent || e.upp.as_deref() != Some(&d.upp[..]) {
                return Err(format!("{} is {} without ZUS's receipt", e.key, e.state).into());
            }
            if e.signed != d.bytes {
                return Err(format!("{}: ZUS holds other bytes", e.key).into());
            }
            seen += 1;
        }
    }
    if seen != expected {
        return Err(format!("the journals hold {seen} documents, not {expected}").into());
    }
    Ok(())
}

fn main() {
    if let Err(e) = run() {
        eprintln!("zus_load: FAILED: {e}");
        std::process::exit(1);
    }
}

fn run() -> BoxResult<()> {
    let o = options()?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let dir = scratch()?;
    let mut serve = ServeOptions::new("127.0.0.1:0".parse()?, dir.join("sim"));
    serve.tls = true;
    // One keep-alive connection per doctor, and some room.
    let mut limits = Limits::default();
    limits.max_connections = o.doctors + 16;
    serve.limits = limits;
    if o.contract {
        serve.wsdl = ezla_vectors::vectors_dir()
            .map(|d| d.join("ezla/zus_channel_gabinetowe_zla_2018.wsdl"))
            .filter(|p| p.exists());
    }
    println!(
        "zus_load: {} doctors × {} e-ZLA, TLS on loopback, contract check {}, {} journals, \
         {cores} cores, load average before: {}",
        o.doctors,
        o.per_doctor,
        if serve.wsdl.is_some() { "on" } else { "off" },
        if o.memory_journal {
            "in-memory"
        } else {
            "SQLite"
        },
        loadavg()
    );
    let sim = ezla_sim::serve(&serve)?;
    let ca = std::fs::read(dir.join("sim").join(ezla_sim::CA_FILE))?;
    let mut identities = Vec::with_capacity(o.doctors);
    for i in 0..o.doctors {
        let p = pesel(i);
        sim.zus.state().add_doctor(&p, "Anna", "Nowak", "5425740")?;
        identities.push(sim.zus.ca().issue_doctor(
            Pesel::parse(&p)?,
            "Anna",
            "Nowak",
            OffsetDateTime::now_utc() - time::Duration::days(1),
            1825,
        )?);
    }
    let signing_identity = identities
        .first()
        .cloned()
        .ok_or("no doctor to sign with")?;
    let journals = (0..o.doctors)
        .map(|i| -> BoxResult<Arc<dyn Journal>> {
            Ok(if o.memory_journal {
                Arc::new(MemoryJournal::new())
            } else {
                Arc::new(SqliteJournal::open(
                    dir.join(format!("journal-{i}.sqlite")),
                )?)
            })
        })
        .collect::<BoxResult<Vec<_>>>()?;

    let start = Barrier::new(o.doctors + 1);
    let cpu_before = process_cpu_seconds();
    let (runs, wall) = std::thread::scope(|s| -> BoxResult<_> {
        let handles: Vec<_> = identities
            .into_iter()
            .zip(&journals)
            .map(|(identity, journal)| {
                let journal = journal.clone();
                let (url, ca, start) = (&sim.zus_url, &ca, &start);
                s.spawn(move || doctor_thread(url, ca, journal, identity, o.per_doctor, start))
            })
            .collect();
        start.wait();
        let t = Instant::now();
        let mut runs = Vec::new();
        for h in handles {
            runs.push(h.join().map_err(|_| "a doctor's thread panicked")??);
        }
        Ok((runs, t.elapsed()))
    })?;
    let cpu_process = process_cpu_seconds() - cpu_before;
    let load_after = loadavg();

    let certificates = o.doctors * o.per_doctor;
    let mut latencies: Vec<Duration> = runs.iter().flat_map(|r| r.latencies.clone()).collect();
    latencies.sort();
    let mut logins: Vec<Duration> = runs.iter().map(|r| r.login).collect();
    logins.sort();
    let sum = |f: &dyn Fn(&DoctorRun) -> Duration| runs.iter().map(f).sum::<Duration>();
    let issuing = latencies.iter().sum::<Duration>() + sum(&|r| r.login);
    let signing = sum(&|r| r.sign_documents) + sum(&|r| r.sign_login);
    let rsa = sum(&|r| r.rsa_documents) + sum(&|r| r.sign_login);
    let other = issuing.saturating_sub(signing);
    let cpu_clients: f64 = runs.iter().map(|r| r.cpu).sum();
    let cpu_signing: f64 = runs.iter().map(|r| r.sign_cpu).sum();
    let rate = certificates as f64 / wall.as_secs_f64();

    println!();
    println!("| measure | value |");
    println!("|---|---|");
    println!(
        "| certificates (pairs sent, receipted) | {certificates} ({} documents) |",
        2 * certificates
    );
    println!("| wall time | {:.2} s |", wall.as_secs_f64());
    println!("| throughput | {rate:.1} certificates/s |");
    println!(
        "| latency per certificate, p50 / p99 (login apart) | {:.0} ms / {:.0} ms |",
        ms(percentile(&latencies, 0.50)),
        ms(percentile(&latencies, 0.99))
    );
    println!(
        "| login, p50 / p99 | {:.0} ms / {:.0} ms |",
        ms(percentile(&logins, 0.50)),
        ms(percentile(&logins, 0.99))
    );
    println!(
        "| clients' time: signing / everything else | {:.2} s ({:.1} %) / {:.2} s ({:.1} %) |",
        signing.as_secs_f64(),
        100.0 * signing.as_secs_f64() / issuing.as_secs_f64(),
        other.as_secs_f64(),
        100.0 * other.as_secs_f64() / issuing.as_secs_f64()
    );
    println!(
        "| of the signing, inside the key's RSA `sign` | {:.2} s |",
        rsa.as_secs_f64()
    );
    println!(
        "| CPU: whole process / clients' threads / the rest (simulator) | {cpu_process:.1} s / \
         {cpu_clients:.1} s / {:.1} s |",
        cpu_process - cpu_clients
    );
    println!(
        "| clients' CPU: signing the documents / everything else | {cpu_signing:.2} s / {:.2} s |",
        cpu_clients - cpu_signing
    );
    println!("| load average after the run (1, 5, 15 min) | {load_after} |");

    let pure = pure_signing_rate(&signing_identity, cores, o.sign_seconds)?;
    let ratio = rate / pure;
    println!(
        "| pure signing, same pair, {cores} threads | {pure:.1} certificates/s ({:.1} signatures/s) |",
        2.0 * pure
    );
    println!(
        "| end-to-end / pure signing rate | {ratio:.2} (target ≥ 0.5: {}) |",
        if ratio >= 0.5 { "met" } else { "NOT met" }
    );

    check_store(&sim, &journals, 2 * certificates)?;
    println!(
        "\nthe simulator holds all {} documents exactly once, each with the receipt in its journal",
        2 * certificates
    );
    sim.server.shutdown();
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
