//! The crash test (issue 13, point 6): a ZUS client process is killed with SIGKILL at each
//! step of a journaled send, and after `reconcile` by a fresh client on the same journal
//! file every certificate is at the simulator exactly once, with its receipt in the journal.
//!
//! The child is this very test binary run again (`crash_child`, selected with `--exact` and
//! given its job in [`CHILD_ENV`]): it opens the SQLite journal, logs in over TLS with a
//! doctor's `.pfx` from the simulator's CA, and sends a batch of signed pairs with
//! `Client::send_journaled`. Its journal is wrapped ([`CrashJournal`]) so that at the chosen
//! step it prints `STEP <name>` and blocks; the parent reads the line and kills it. For a
//! request in flight the simulator's ZUS handler is wrapped instead ([`Gate`]): it holds the
//! send at the server, tells the parent, and after the kill handles it (ZUS stores the
//! documents, nobody hears the answer) or drops it unhandled. No sleeps synchronise anything.
//!
//! The batch is signed by the parent beforehand (the clinic's outbox), so that after the
//! reconcile the parent can also resume the batch, as clinic software would, and show that
//! every certificate of it ends at ZUS once, including those never recorded before the kill.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ezla::kedu::{WriteOptions, Zla};
use ezla::pki::{Identity, Pkcs12Options};
use ezla::store::{DocumentKind, Journal, JournalEntry, JournalKey, SendState, SqliteJournal};
use ezla::transport::{TransportConfig, UreqTransport};
use ezla::zus::{Client, ClientConfig, LoginKey, ReconcileReport};
use ezla_sim::zus::{ZusHandler, ZusService};
use ezla_sim::{
    BasicAuth, DEFAULT_ZUS_PATH, FAULTS_FILE, Faults, Handler as _, Mount, Router, RunningServer,
    Server, SimRequest, SimResponse, SimTls,
};
use serde::{Deserialize, Serialize};
use time::macros::date;
use time::{Duration as TimeDuration, OffsetDateTime};

/// The environment variable that makes `crash_child` the child: the path of its job file.
const CHILD_ENV: &str = "EZLA_CRASH_CHILD_JOB";
const DOCTOR: &str = "02271409867";
const PASSWORD: &str = "crash-test";
const SEND_ACTION: &str = "zus_channel_zla_Binder_wyslijDokumenty";
/// Pairs per run: the one killed in the middle has one sent before it and one after it.
const PAIRS: usize = 3;
/// A safety net only (a child that never reaches its step fails the test instead of
/// hanging it); nothing waits for it to pass.
const SAFETY_NET: Duration = Duration::from_secs(120);

// ---- the job handed to the child ------------------------------------------------------

#[derive(Serialize, Deserialize)]
struct Job {
    url: String,
    ca: PathBuf,
    pfx: PathBuf,
    journal: PathBuf,
    /// The step to stop at (see [`Step`]); `none` runs to the end.
    step: String,
    /// The series/number the step applies to.
    target: String,
    pairs: Vec<SignedPair>,
}

#[derive(Clone, Serialize, Deserialize)]
struct SignedPair {
    seria_numer: String,
    oryginal: String,
    kopia: String,
}

impl SignedPair {
    fn documents(&self) -> [(JournalKey, Vec<u8>); 2] {
        [
            (
                JournalKey::new(&self.seria_numer, DocumentKind::Oryginal),
                self.oryginal.clone().into_bytes(),
            ),
            (
                JournalKey::new(&self.seria_numer, DocumentKind::Kopia),
                self.kopia.clone().into_bytes(),
            ),
        ]
    }
}

// ---- the child ------------------------------------------------------------------------

/// Where the child stops (prints `STEP <name>` and blocks until killed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// After `record_all` of the target pair (one atomic step): recorded, nothing sent.
    Recorded,
    /// After `begin_send` of the target pair: `Sending`, the request not yet sent.
    BeginSend,
    /// After the send's answer was lost and noted (`set_detail` of the KOPIA).
    UnknownOutcome,
    /// The answer arrived; before `mark_sent` of the ORYGINAŁ.
    BeforeMarkSent,
    /// The ORYGINAŁ marked sent; before `mark_sent` of the KOPIA.
    BetweenMarkSent,
    /// No child-side step (the server holds the request, or nothing stops).
    None,
}

impl Step {
    fn parse(name: &str) -> Step {
        match name {
            "recorded" => Step::Recorded,
            "begin_send" => Step::BeginSend,
            "unknown_outcome" => Step::UnknownOutcome,
            "before_mark_sent" => Step::BeforeMarkSent,
            "between_mark_sent" => Step::BetweenMarkSent,
            _ => Step::None,
        }
    }
}

/// A journal that stops the process at one step, delegating everything to SQLite.
struct CrashJournal {
    inner: SqliteJournal,
    step: Step,
    step_name: String,
    target: String,
}

impl CrashJournal {
    fn is_target(&self, key: &JournalKey, kind: DocumentKind) -> bool {
        key.seria_numer == self.target && key.kind == kind
    }

    fn stop_if(&self, step: Step, hit: bool) {
        if self.step == step && hit {
            say(&format!("STEP {}", self.step_name));
            // Blocks until the parent kills the process.
            loop {
                std::thread::park();
            }
        }
    }
}

impl Journal for CrashJournal {
    fn record(&self, key: &JournalKey, signed: &[u8]) -> ezla::Result<JournalEntry> {
        self.inner.record(key, signed)
    }

    fn record_all(&self, documents: &[(JournalKey, Vec<u8>)]) -> ezla::Result<Vec<JournalEntry>> {
        let entries = self.inner.record_all(documents)?;
        self.stop_if(
            Step::Recorded,
            documents.iter().any(|(k, _)| k.seria_numer == self.target),
        );
        Ok(entries)
    }

    fn begin_send(&self, keys: &[JournalKey]) -> ezla::Result<()> {
        self.inner.begin_send(keys)?;
        self.stop_if(
            Step::BeginSend,
            keys.iter().any(|k| k.seria_numer == self.target),
        );
        Ok(())
    }

    fn mark_sent(&self, key: &JournalKey, upp: &[u8]) -> ezla::Result<()> {
        self.stop_if(
            Step::BeforeMarkSent,
            self.is_target(key, DocumentKind::Oryginal),
        );
        self.stop_if(
            Step::BetweenMarkSent,
            self.is_target(key, DocumentKind::Kopia),
        );
        self.inner.mark_sent(key, upp)
    }

    fn mark_refused(&self, key: &JournalKey, detail: &str) -> ezla::Result<()> {
        self.inner.mark_refused(key, detail)
    }

    fn mark_not_received(&self, key: &JournalKey) -> ezla::Result<()> {
        self.inner.mark_not_received(key)
    }

    fn set_detail(&self, key: &JournalKey, detail: &str) -> ezla::Result<()> {
        self.inner.set_detail(key, detail)?;
        self.stop_if(
            Step::UnknownOutcome,
            self.is_target(key, DocumentKind::Kopia),
        );
        Ok(())
    }

    fn get(&self, key: &JournalKey) -> ezla::Result<Option<JournalEntry>> {
        self.inner.get(key)
    }

    fn entries(&self) -> ezla::Result<Vec<JournalEntry>> {
        self.inner.entries()
    }
}

/// A line of its own on the real stdout (not through the test harness's capture; the
/// harness has written `test crash_child ... ` without a newline before), flushed.
fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "\n{line}");
    let _ = out.flush();
}

fn client(url: &str, ca: &Path, journal: Arc<dyn Journal>) -> Client {
    let ca = std::fs::read(ca).expect("tls-ca.pem");
    let config = TransportConfig::builder()
        .basic_auth("ezla_ag", "ezla_ag")
        .trust_pem(&ca)
        .build()
        .expect("transport config");
    let transport = UreqTransport::new(config).expect("transport");
    Client::new(Arc::new(transport), ClientConfig::new(url)).with_journal(journal)
}

/// The child process: a no-op unless [`CHILD_ENV`] names a job.
#[test]
fn crash_child() {
    let Some(job) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let job: Job =
        serde_json::from_slice(&std::fs::read(job).expect("job file")).expect("job json");
    let pfx = std::fs::read(&job.pfx).expect("pfx");
    let doctor = Identity::from_pkcs12(&pfx, Some(PASSWORD), &Pkcs12Options::default())
        .expect("open the .pfx");
    let journal = Arc::new(CrashJournal {
        inner: SqliteJournal::open(&job.journal).expect("journal"),
        step: Step::parse(&job.step),
        step_name: job.step.clone(),
        target: job.target.clone(),
    });
    let zus = client(&job.url, &job.ca, journal);
    zus.login(LoginKey::from_identity(doctor)).expect("login");
    for pair in &job.pairs {
        if let Err(e) = zus.send_journaled(&pair.documents()) {
            eprintln!("child: the send of {} failed: {e}", pair.seria_numer);
        }
    }
    say("DONE without stopping");
}

// ---- the simulator, with a gate on the send ---------------------------------------------

/// The ZUS handler, holding one send (the one whose body names `hold`) at the server until
/// the parent says what to do with it.
struct Gate {
    inner: ZusHandler,
    hold: Mutex<Option<String>>,
    arrived: Mutex<mpsc::Sender<()>>,
    release: Mutex<mpsc::Receiver<bool>>,
    done: Mutex<mpsc::Sender<bool>>,
}

/// The parent's end of the gate.
struct GateControl {
    arrived: mpsc::Receiver<()>,
    release: mpsc::Sender<bool>,
    done: mpsc::Receiver<bool>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Gate {
    fn handle(&self, request: &SimRequest) -> SimResponse {
        let is_send = request
            .soap_action()
            .is_some_and(|a| a.contains(SEND_ACTION));
        let held = is_send && {
            let mut hold = lock(&self.hold);
            let hit = hold.as_deref().is_some_and(|nr| {
                let needle = format!("NrRef=\"{nr}\"");
                String::from_utf8_lossy(&request.body).contains(&needle)
            });
            if hit {
                // Only the first such send is held; a later one (the resend) passes.
                *hold = None;
            }
            hit
        };
        if !held {
            return self.inner.handle(request);
        }
        let _ = lock(&self.arrived).send(());
        let handle = lock(&self.release).recv().unwrap_or(false);
        let response = if handle {
            self.inner.handle(request)
        } else {
            SimResponse::dropped()
        };
        let _ = lock(&self.done).send(handle);
        response
    }
}

struct Sim {
    server: RunningServer,
    url: String,
    zus: Arc<ZusService>,
    gate: Arc<Gate>,
    control: GateControl,
}

fn wsdl() -> Option<PathBuf> {
    let path = ezla_vectors::vectors_dir()?.join("ezla/zus_channel_gabinetowe_zla_2018.wsdl");
    path.exists().then_some(path)
}

/// The simulator as `ezla_sim::serve` assembles it (TLS, faults, Basic auth, the contract
/// checker when the WSDL is at hand), with the ZUS handler behind a [`Gate`].
fn start_sim(dir: &Path) -> Sim {
    let mut service = ZusService::open(dir).expect("zus service");
    match wsdl() {
        Some(w) => service = service.with_schema(ezla_sim::contract(&w).expect("contract")),
        None => {
            assert!(
                std::env::var_os("EZLA_REQUIRE_TOOLS").is_none(),
                "the ZUS WSDL vector is required (EZLA_REQUIRE_TOOLS is set)"
            );
            eprintln!("note: ../shared/vectors absent; the simulator does not check the contract");
        }
    }
    let zus = Arc::new(service);
    let (arrived_tx, arrived) = mpsc::channel();
    let (release, release_rx) = mpsc::channel();
    let (done_tx, done) = mpsc::channel();
    let gate = Arc::new(Gate {
        inner: ZusHandler::new(zus.clone()),
        hold: Mutex::new(None),
        arrived: Mutex::new(arrived_tx),
        release: Mutex::new(release_rx),
        done: Mutex::new(done_tx),
    });
    let g = gate.clone();
    let mount = Mount::new(DEFAULT_ZUS_PATH, move |r: &SimRequest| g.handle(r))
        .basic_auth(BasicAuth::zus_default())
        .realm("ZUS");
    let tls = SimTls::load_or_create(dir).expect("tls");
    let server = Server::new(Router::new().mount(mount))
        .faults(Faults::from_file(dir.join(FAULTS_FILE)))
        .tls(tls.server_config().expect("tls config"))
        .start("127.0.0.1:0".parse().expect("addr"))
        .expect("start");
    let url = server.url(DEFAULT_ZUS_PATH);
    Sim {
        server,
        url,
        zus,
        gate,
        control: GateControl {
            arrived,
            release,
            done,
        },
    }
}

// ---- the parent -----------------------------------------------------------------------

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("ezla-sim-crash")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch");
    dir
}

fn template() -> Zla {
    let json = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../ezla-cli/examples/zla.json"
    ))
    .expect("zla.json");
    Zla::from_json(&json).expect("zla")
}

/// Reserves `PAIRS` numbers at ZUS and signs an ORYGINAŁ and KOPIA for each (the outbox).
fn sign_batch(sim: &Sim, ca: &Path, key: &LoginKey) -> Vec<SignedPair> {
    let zus = client(&sim.url, ca, Arc::new(ezla::store::MemoryJournal::new()));
    zus.login(key.clone()).expect("login to reserve numbers");
    let options = WriteOptions::default().with_today(date!(2026 - 12 - 01));
    let mut pairs = Vec::new();
    for _ in 0..PAIRS {
        let paczka = zus.reserve_number().expect("pobierzSeriaNumerZla");
        let mut zla = template();
        zla.seria_numer = Some(paczka.seria_numer.clone());
        zla.id_dokumentu = paczka.id_dokumentu;
        let (o, k) = zla.to_xml_pair(&options).expect("pair");
        pairs.push(SignedPair {
            seria_numer: paczka.seria_numer.compact(),
            oryginal: String::from_utf8(key.sign(&o).expect("sign")).expect("utf-8"),
            kopia: String::from_utf8(key.sign(&k).expect("sign")).expect("utf-8"),
        });
    }
    zus.logout().expect("logout");
    pairs
}

/// How the kill happens.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kill {
    /// At a child-side step (`STEP <name>` on its stdout).
    AtStep,
    /// While the server holds the send; afterwards ZUS handles it (`true`) or never does.
    InFlight { handled: bool },
}

/// What reconcile must report, as (pair index, kind).
struct Expect {
    found: &'static [(usize, DocumentKind)],
    resent: &'static [(usize, DocumentKind)],
}

use DocumentKind::{Kopia as K, Oryginal as O};

fn keys(pairs: &[SignedPair], which: &[(usize, DocumentKind)]) -> Vec<JournalKey> {
    let mut v: Vec<JournalKey> = which
        .iter()
        .map(|(i, kind)| JournalKey::new(&pairs[*i].seria_numer, *kind))
        .collect();
    v.sort();
    v
}

fn sorted(mut v: Vec<JournalKey>) -> Vec<JournalKey> {
    v.sort();
    v
}

/// Every journal entry is `Sent` with the receipt ZUS issued for it, ZUS holds exactly the
/// journaled documents (bytes as signed), each once. Returns how many ZUS holds.
fn assert_consistent(
    sim: &Sim,
    journal: &SqliteJournal,
    pairs: &[SignedPair],
    when: &str,
) -> usize {
    let stored = sim.zus.state().documents().expect("documents");
    let mut at_zus: BTreeMap<(String, String), &ezla_sim::zus::StoredDocument> = BTreeMap::new();
    for d in &stored {
        let prev = at_zus.insert((d.seria_numer.clone(), d.kind.clone()), d);
        assert!(
            prev.is_none(),
            "{when}: {} {} stored twice",
            d.seria_numer,
            d.kind
        );
    }
    let entries = journal.entries().expect("entries");
    assert_eq!(
        entries.len(),
        stored.len(),
        "{when}: the journal and ZUS disagree on how many documents were sent"
    );
    for e in &entries {
        assert_eq!(
            e.state,
            SendState::Sent,
            "{when}: {} is {} ({:?})",
            e.key,
            e.state,
            e.detail
        );
        let d = at_zus
            .get(&(e.key.seria_numer.clone(), e.key.kind.as_str().to_owned()))
            .unwrap_or_else(|| panic!("{when}: {} is not at ZUS", e.key));
        assert_eq!(
            e.upp.as_deref(),
            Some(&d.upp[..]),
            "{when}: {}'s receipt",
            e.key
        );
        assert_eq!(e.signed, d.bytes, "{when}: {}'s bytes", e.key);
        let pair = pairs
            .iter()
            .find(|p| p.seria_numer == e.key.seria_numer)
            .expect("a batch number");
        let signed = match e.key.kind {
            DocumentKind::Kopia => &pair.kopia,
            _ => &pair.oryginal,
        };
        assert_eq!(e.signed, signed.as_bytes(), "{when}: {} as signed", e.key);
    }
    stored.len()
}

fn run(step: &str, kill: Kill, target_pair: usize, faults: Option<&str>, expect: Expect) {
    let dir = scratch(step);
    if let Some(f) = faults {
        std::fs::write(dir.join(FAULTS_FILE), f).expect("faults");
    }
    let sim = start_sim(&dir);
    let ca = dir.join("tls-ca.pem");
    sim.zus
        .state()
        .add_doctor(DOCTOR, "Anna", "Nowak", "5425740")
        .expect("doctor");
    let doctor = sim
        .zus
        .ca()
        .issue_doctor(
            ezla::pl::Pesel::parse(DOCTOR).expect("pesel"),
            "Anna",
            "Nowak",
            OffsetDateTime::now_utc() - TimeDuration::days(1),
            1825,
        )
        .expect("issue");
    let pfx = dir.join("doctor.pfx");
    std::fs::write(&pfx, doctor.to_pkcs12(PASSWORD, 2048).expect("pfx")).expect("write pfx");
    let key = LoginKey::from_identity(doctor);
    let pairs = sign_batch(&sim, &ca, &key);
    let target = pairs[target_pair].seria_numer.clone();
    if matches!(kill, Kill::InFlight { .. }) {
        *lock(&sim.gate.hold) = Some(format!("ORYGINAL-{target}"));
    }
    let journal_path = dir.join("journal.sqlite");
    let job = Job {
        url: sim.url.clone(),
        ca: ca.clone(),
        pfx,
        journal: journal_path.clone(),
        step: step.to_owned(),
        target: target.clone(),
        pairs: pairs.clone(),
    };
    let job_path = dir.join("job.json");
    std::fs::write(&job_path, serde_json::to_vec(&job).expect("json")).expect("job");

    // The child, killed at its step.
    let stderr_path = dir.join("child.stderr");
    let mut child = Command::new(std::env::current_exe().expect("current exe"))
        .args(["--exact", "crash_child", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, &job_path)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&stderr_path).expect("stderr file"))
        .spawn()
        .expect("spawn the child");
    let child_err = || std::fs::read_to_string(&stderr_path).unwrap_or_default();
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    match kill {
        Kill::AtStep => {
            let wanted = format!("STEP {step}");
            let mut line = String::new();
            loop {
                line.clear();
                let n = stdout.read_line(&mut line).expect("child stdout");
                assert!(
                    n > 0,
                    "the child ended without reaching {step}; its stderr:\n{}",
                    child_err()
                );
                if line.trim_end() == wanted {
                    break;
                }
                assert!(
                    !line.starts_with("STEP ") && !line.starts_with("DONE "),
                    "unexpected {line:?} from the child; its stderr:\n{}",
                    child_err()
                );
            }
        }
        Kill::InFlight { .. } => {
            sim.control
                .arrived
                .recv_timeout(SAFETY_NET)
                .unwrap_or_else(|_| {
                    panic!(
                        "the send of {target} never reached the server; child stderr:\n{}",
                        child_err()
                    )
                });
        }
    }
    child.kill().expect("SIGKILL");
    let status = child.wait().expect("wait");
    assert_eq!(status.signal(), Some(9), "killed by SIGKILL: {status:?}");
    if let Kill::InFlight { handled } = kill {
        sim.control.release.send(handled).expect("release");
        let was = sim
            .control
            .done
            .recv_timeout(SAFETY_NET)
            .expect("gate done");
        assert_eq!(was, handled);
    }
    // What ZUS has now: every pair before the target, and the target if it got that far.
    let before = sim.zus.state().documents().expect("documents").len();

    // A fresh client on the same journal file reconciles.
    let journal = Arc::new(SqliteJournal::open(&journal_path).expect("journal"));
    let zus = client(&sim.url, &ca, journal.clone());
    zus.login(key.clone()).expect("login after the crash");
    let report: ReconcileReport = zus.reconcile().expect("reconcile");
    assert_eq!(
        sorted(report.found.clone()),
        keys(&pairs, expect.found),
        "{step}: found {report:?}"
    );
    assert_eq!(
        sorted(report.resent.clone()),
        keys(&pairs, expect.resent),
        "{step}: resent {report:?}"
    );
    assert!(report.refused.is_empty(), "{step}: refused {report:?}");
    let after = assert_consistent(&sim, &journal, &pairs, "after reconcile");
    assert_eq!(
        after,
        before + expect.resent.len(),
        "{step}: reconcile stored exactly what it resent"
    );
    assert!(
        journal.open_entries().expect("open").is_empty(),
        "{step}: nothing left open"
    );

    // The outbox resumed: the pairs never recorded are sent, the others are not sent again.
    for pair in &pairs {
        let receipted = zus
            .send_journaled(&pair.documents())
            .unwrap_or_else(|e| panic!("{step}: resume {}: {e}", pair.seria_numer));
        for r in receipted {
            let d = sim
                .zus
                .state()
                .document(&pair.seria_numer, r.kind.as_str())
                .expect("document")
                .expect("at ZUS");
            assert_eq!(r.upp.as_bytes(), &d.upp[..], "{step}: the receipt returned");
        }
    }
    let total = assert_consistent(&sim, &journal, &pairs, "after the resume");
    assert_eq!(
        total,
        2 * PAIRS,
        "{step}: every certificate, both documents"
    );
    for e in journal.entries().expect("entries") {
        assert!(
            e.attempts <= 2,
            "{step}: {} was sent {} times",
            e.key,
            e.attempts
        );
    }
    zus.logout().expect("logout");
    sim.server.shutdown();
}

#[test]
fn killed_after_record() {
    run(
        "recorded",
        Kill::AtStep,
        1,
        None,
        Expect {
            found: &[],
            resent: &[(1, O), (1, K)],
        },
    );
}

#[test]
fn killed_after_begin_send_before_the_request() {
    run(
        "begin_send",
        Kill::AtStep,
        1,
        None,
        Expect {
            found: &[],
            resent: &[(1, O), (1, K)],
        },
    );
}

/// The send is slow at the server (a latency fault, then held by the gate); the client
/// dies meanwhile and ZUS stores the documents after.
#[test]
fn killed_while_the_request_is_at_the_server() {
    run(
        "in_flight",
        Kill::InFlight { handled: true },
        1,
        Some(&format!(
            r#"{{ "faults": [ {{ "kind": "latency", "ms": 50, "soap_action": "{SEND_ACTION}" }} ] }}"#
        )),
        Expect {
            found: &[(1, O), (1, K)],
            resent: &[],
        },
    );
}

/// The client dies while the request is at the server, which then drops it unhandled.
#[test]
fn killed_while_the_request_is_at_the_server_which_never_handles_it() {
    run(
        "in_flight_unhandled",
        Kill::InFlight { handled: false },
        1,
        None,
        Expect {
            found: &[],
            resent: &[(1, O), (1, K)],
        },
    );
}

/// ZUS stores the first pair and the answer is lost (the `drop_response` fault); the client
/// notes the unknown outcome and dies.
#[test]
fn killed_after_the_answer_was_lost() {
    run(
        "unknown_outcome",
        Kill::AtStep,
        0,
        Some(&format!(
            r#"{{ "faults": [ {{ "kind": "drop_response", "soap_action": "{SEND_ACTION}", "count": 1 }} ] }}"#
        )),
        Expect {
            found: &[(0, O), (0, K)],
            resent: &[],
        },
    );
}

#[test]
fn killed_after_the_answer_before_mark_sent() {
    run(
        "before_mark_sent",
        Kill::AtStep,
        1,
        None,
        Expect {
            found: &[(1, O), (1, K)],
            resent: &[],
        },
    );
}

#[test]
fn killed_between_the_two_mark_sent() {
    run(
        "between_mark_sent",
        Kill::AtStep,
        1,
        None,
        Expect {
            found: &[(1, K)],
            resent: &[],
        },
    );
}
