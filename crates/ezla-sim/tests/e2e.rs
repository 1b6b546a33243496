//! The ZUS client of the core against the simulator over TLS on loopback: a whole e-ZLA
//! issued, receipted and read back; a session ZUS drops renewed; a send whose answer is lost
//! settled by reconcile, with every certificate at the simulator exactly once.

mod common;

use std::path::PathBuf;
use std::sync::Arc;

use ezla::ErrorCode;
use ezla::kedu::Zla;
use ezla::pki::Identity;
use ezla::store::{DocumentKind, Journal, JournalKey, SendState, SqliteJournal};
use ezla::transport::{TransportConfig, UreqTransport};
use ezla::xades::{self, VerifyOptions};
use ezla::zus::{Client, ClientConfig, LoginKey, RodzajDokumentu};
use ezla_sim::{ServeOptions, Simulator};
use time::macros::date;
use time::{Duration, OffsetDateTime};

const DOCTOR: &str = "02271409867";

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("ezla-sim-e2e")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch");
    dir
}

fn wsdl() -> Option<PathBuf> {
    let path = ezla_vectors::vectors_dir()?.join("ezla/zus_channel_gabinetowe_zla_2018.wsdl");
    path.exists().then_some(path)
}

struct Setup {
    sim: Simulator,
    dir: PathBuf,
    doctor: Identity,
}

fn start(name: &str) -> Setup {
    let dir = scratch(name);
    let mut options = ServeOptions::new("127.0.0.1:0".parse().expect("addr"), &dir);
    options.tls = true;
    options.wsdl = wsdl();
    if options.wsdl.is_none() {
        assert!(
            std::env::var_os("EZLA_REQUIRE_TOOLS").is_none(),
            "the ZUS WSDL vector is required (EZLA_REQUIRE_TOOLS is set)"
        );
        eprintln!("note: ../shared/vectors absent; the simulator does not check the contract");
    }
    let sim = ezla_sim::serve(&options).expect("serve");
    let pesel = ezla::pl::Pesel::parse(DOCTOR).expect("pesel");
    sim.zus
        .state()
        .add_doctor(DOCTOR, "Anna", "Nowak", "5425740")
        .expect("doctor");
    let doctor = sim
        .zus
        .ca()
        .issue_doctor(
            pesel,
            "Anna",
            "Nowak",
            OffsetDateTime::now_utc() - Duration::days(1),
            1825,
        )
        .expect("issue");
    Setup { sim, dir, doctor }
}

fn client(s: &Setup, journal: Arc<dyn Journal>) -> Client {
    client_with_timeout(s, journal, std::time::Duration::from_secs(60))
}

fn client_with_timeout(
    s: &Setup,
    journal: Arc<dyn Journal>,
    timeout: std::time::Duration,
) -> Client {
    let ca = std::fs::read(s.dir.join("tls-ca.pem")).expect("tls-ca.pem");
    let config = TransportConfig::builder()
        .basic_auth("ezla_ag", "ezla_ag")
        .trust_pem(&ca)
        .response_timeout(timeout)
        .build()
        .expect("transport config");
    let transport = UreqTransport::new(config).expect("transport");
    Client::new(
        Arc::new(transport),
        ClientConfig::new(s.sim.zus_url.clone()),
    )
    .with_journal(journal)
}

fn template() -> Zla {
    let json = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../ezla-cli/examples/zla.json"
    ))
    .expect("zla.json");
    Zla::from_json(&json).expect("zla")
}

#[test]
fn an_ezla_is_issued_over_tls_and_receipted() {
    let s = start("issue");
    let journal = Arc::new(SqliteJournal::open(s.dir.join("journal.sqlite")).expect("journal"));
    let zus = client(&s, journal.clone());
    let key = LoginKey::from_identity(s.doctor.clone());
    let report = zus
        .issue(&template(), &key, date!(2026 - 12 - 01))
        .expect("issue");
    assert_eq!(
        report.certificates.len(),
        1,
        "one payer, one current certificate"
    );
    let c = &report.certificates[0];
    assert_eq!(c.platnik.identyfikator, "1234563218");
    // The receipts verify against the simulator's CA and name what they receipt.
    let anchors = Arc::new(s.sim.zus.ca().anchors());
    for r in [&c.oryginal, &c.kopia] {
        let upp = xades::verify(
            r.upp.as_bytes(),
            &VerifyOptions::default().with_trust(anchors.clone()),
        )
        .expect("UPP verifies");
        assert!(upp.signer.subject.contains("UPP"));
        assert!(r.upp.contains(&format!(
            "<SeriaNumer>{}</SeriaNumer>",
            r.seria_numer.compact()
        )));
        // And with an independent verifier: xmlsec1, trusting only the simulator's CA.
        if common::have_tool("xmlsec1") {
            let file = s.dir.join(format!("upp-{}.xml", r.kind.as_str()));
            std::fs::write(&file, &r.upp).expect("write");
            let out = std::process::Command::new("xmlsec1")
                .arg("--verify")
                .arg("--trusted-pem")
                .arg(s.dir.join("ca/ca.crt"))
                .args([
                    "--id-attr:Id",
                    "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
                ])
                .arg(&file)
                .output()
                .expect("xmlsec1");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.success() && stderr.contains("OK"),
                "xmlsec1 refuses the UPP: {stderr}"
            );
        }
    }
    // The journal holds both, sent, with the same receipts; the simulator stored each once.
    let entries = journal.entries().expect("entries");
    assert_eq!(entries.len(), 2);
    assert!(
        entries
            .iter()
            .all(|e| e.state == SendState::Sent && e.upp.is_some())
    );
    let stored = s.sim.zus.state().documents().expect("documents");
    assert_eq!(stored.len(), 2);
    assert_eq!(
        stored[0].bytes, c.oryginal.signed,
        "ZUS has the bytes as signed"
    );
    // Read back through the client.
    let got = zus
        .document(RodzajDokumentu::Zla, &c.oryginal.seria_numer)
        .expect("pobierzDokument");
    assert_eq!(
        got.kedu.as_deref().map(str::as_bytes),
        Some(&c.oryginal.signed[..])
    );
    let upp = zus
        .receipt(RodzajDokumentu::KopiaZla, &c.kopia.seria_numer)
        .expect("pobierzUppDlaDokumentu");
    assert_eq!(upp.as_deref(), Some(c.kopia.upp.as_str()));
    // The same documents again: not sent twice (the journal answers with the receipts).
    let sn = format!(
        "{}{}",
        c.oryginal.seria_numer.seria, c.oryginal.seria_numer.numer
    );
    let again = zus
        .send_journaled(&[(
            JournalKey::new(sn, DocumentKind::Oryginal),
            c.oryginal.signed.clone(),
        )])
        .expect("again");
    assert_eq!(again[0].upp, c.oryginal.upp);
    assert_eq!(s.sim.zus.state().documents().expect("documents").len(), 2);
    // Cancelled with a signed AZLA, receipted; a second cancellation is not allowed.
    let azla = zus
        .cancel(
            &c.oryginal.seria_numer,
            ezla::kedu::codes::PrzyczynaAnulowania::DaneUbezpieczonego,
            &key,
            date!(2026 - 12 - 02),
        )
        .expect("cancel");
    assert_eq!(azla.kind, DocumentKind::Azla);
    assert!(
        azla.upp.contains("<RodzajDokumentu>AZLA</RodzajDokumentu>"),
        "{}",
        azla.upp
    );
    let again = zus
        .cancel(
            &c.oryginal.seria_numer,
            ezla::kedu::codes::PrzyczynaAnulowania::DaneUbezpieczonego,
            &key,
            date!(2026 - 12 - 02),
        )
        .expect_err("twice");
    assert_eq!(again.code(), ErrorCode::ZusNotAllowed, "{again}");
    assert!(
        zus.current_certificates(1, 10)
            .expect("list")
            .zaswiadczenia
            .is_empty()
    );
    let list = zus
        .call(
            |id_sesji| ezla::zus::read::PobierzListePrzetworzonychZlaLekarza {
                id_sesji,
                stronicowanie: ezla::zus::Stronicowanie {
                    rekordy_od: 1,
                    liczba_rekordow: 10,
                },
                sortowanie: None,
                filtrowanie: None,
                kontekst_dostepu: ezla::zus::KontekstDostepu::WyszukanieZla,
                nip_placowki: None,
            },
        )
        .expect("processed list");
    assert_eq!(list.liczba_wszystkich_rekordow, Some(1));
    assert_eq!(list.zaswiadczenia.len(), 1);
    assert_eq!(
        list.zaswiadczenia[0].nazwisko_ubezpieczonego.as_deref(),
        Some("Kowalski")
    );
    zus.logout().expect("logout");
    assert_eq!(
        zus.doctor().expect_err("logged out").code(),
        ErrorCode::InvalidArgument
    );
    s.sim.server.shutdown();
}

#[test]
fn a_session_zus_drops_is_renewed() {
    let s = start("renew");
    let zus = client(&s, Arc::new(ezla::store::MemoryJournal::new()));
    let id = zus
        .login(LoginKey::from_identity(s.doctor.clone()))
        .expect("login");
    assert!(zus.doctor().expect("doctor").is_some());
    // ZUS forgets the session (it expired there): the next call logs in again by itself.
    assert!(s.sim.zus.state().end_session(id.as_str()).expect("end"));
    let lekarz = zus.doctor().expect("renewed").expect("doctor");
    assert_eq!(
        lekarz.numer_prawa_wykonywania_zawodu.as_deref(),
        Some("5425740")
    );
    assert_ne!(zus.session_id().expect("session"), id);
    s.sim.server.shutdown();
}

#[test]
fn a_send_whose_answer_is_lost_is_settled_by_reconcile() {
    let s = start("lost");
    std::fs::write(
        s.dir.join("faults.json"),
        r#"{ "faults": [ { "kind": "drop_response", "soap_action": "zus_channel_zla_Binder_wyslijDokumenty", "count": 1 } ] }"#,
    )
    .expect("faults");
    let journal = Arc::new(SqliteJournal::open(s.dir.join("journal.sqlite")).expect("journal"));
    let zus = client(&s, journal.clone());
    let key = LoginKey::from_identity(s.doctor.clone());
    let e = zus
        .issue(&template(), &key, date!(2026 - 12 - 01))
        .expect_err("the answer is lost");
    assert_eq!(e.family(), ezla::error::ErrorFamily::Io, "{e}");
    // ZUS has the documents, the journal does not know it yet.
    assert_eq!(s.sim.zus.state().documents().expect("documents").len(), 2);
    let open = journal.open_entries().expect("open");
    assert_eq!(open.len(), 2);
    assert!(
        open.iter()
            .all(|e| e.state == SendState::Sending && e.detail.is_some())
    );
    // Reconcile asks ZUS and finds both; nothing is sent again.
    let settled = zus.reconcile().expect("reconcile");
    assert_eq!(settled.found.len(), 2, "{settled:?}");
    assert!(settled.resent.is_empty());
    assert!(journal.open_entries().expect("open").is_empty());
    assert_eq!(s.sim.zus.state().documents().expect("documents").len(), 2);
    s.sim.server.shutdown();
}

fn faults(s: &Setup, json: &str) {
    std::fs::write(s.dir.join("faults.json"), json).expect("faults.json");
}

#[test]
fn each_fault_gets_its_own_answer() {
    let s = start("faults");
    let zus = client_with_timeout(
        &s,
        Arc::new(ezla::store::MemoryJournal::new()),
        std::time::Duration::from_millis(800),
    );
    zus.login(LoginKey::from_identity(s.doctor.clone()))
        .expect("login");
    let action = |op: &str| format!("zus_channel_zla_Binder_{op}");
    // A reset once: a look-up is retried and succeeds.
    faults(
        &s,
        &format!(
            r#"{{ "faults": [ {{ "kind": "reset", "soap_action": "{}", "count": 1 }} ] }}"#,
            action("pobierzDaneLekarza")
        ),
    );
    assert!(zus.doctor().expect("retried after a reset").is_some());
    // HTTP 500 with a body that is not SOAP: a Fault-less 500 is a transport error (840).
    faults(
        &s,
        &format!(
            r#"{{ "faults": [ {{ "kind": "http_500", "body": "<oops/>", "soap_action": "{}" }} ] }}"#,
            action("pobierzDaneLekarza")
        ),
    );
    let e = zus.doctor().expect_err("500");
    assert_eq!(e.code(), ErrorCode::ZusResponseMalformed, "{e}");
    // Malformed XML: refused as XML (code 100).
    faults(
        &s,
        &format!(
            r#"{{ "faults": [ {{ "kind": "malformed_body", "soap_action": "{}" }} ] }}"#,
            action("pobierzDaneLekarza")
        ),
    );
    assert_eq!(
        zus.doctor().expect_err("malformed").code(),
        ErrorCode::XmlMalformed
    );
    // Latency over the response timeout, every try: a time-out (830) after the retries.
    faults(
        &s,
        &format!(
            r#"{{ "faults": [ {{ "kind": "latency", "ms": 1500, "soap_action": "{}" }} ] }}"#,
            action("pobierzDaneLekarza")
        ),
    );
    assert_eq!(zus.doctor().expect_err("slow").code(), ErrorCode::Timeout);
    // The session expires mid-flow: renewed, the call goes through.
    faults(
        &s,
        &format!(
            r#"{{ "faults": [ {{ "kind": "expire_session", "soap_action": "{}", "count": 1 }} ] }}"#,
            action("pobierzDaneLekarza")
        ),
    );
    let before = zus.session_id().expect("session");
    assert!(zus.doctor().expect("renewed").is_some());
    assert_ne!(zus.session_id().expect("session"), before);
    faults(&s, r#"{ "faults": [] }"#);
    s.sim.server.shutdown();
}
