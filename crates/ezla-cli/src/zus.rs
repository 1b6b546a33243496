//! `ezla zus`: the ZUS channel from the command line — log in with the doctor's `.pfx`, look
//! things up, validate and send documents under a durable journal, issue an e-ZLA in one call,
//! read documents and receipts back, cancel, reconcile, log out.
//!
//! The session is kept between commands in `--session FILE` (mode 0600), the journal in
//! `--journal FILE` (SQLite). Exit statuses: 0 done; 1 ZUS refused (the login, a document, a
//! send); 3 the command could not do its job (the network, TLS, a file, ZUS's answer
//! unreadable); 64 usage.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Subcommand, ValueEnum};
use ezla::kedu::{Zla, azla::Azla, codes::PrzyczynaAnulowania};
use ezla::pki::{Identity, Pkcs12, Pkcs12Options};
use ezla::pl::Pesel;
use ezla::store::{DocumentKind, Journal, JournalKey, MemoryJournal, SqliteJournal};
use ezla::transport::{TransportConfig, UreqTransport};
use ezla::zus::{
    BodyNamespace, Client, ClientConfig, IdSesji, KontekstDostepu, LoginKey, RodzajDokumentu,
    SeriaNumer, documents::Dokument,
};
use ezla::{Error, ErrorCode, Result};
use serde_json::{Value, json};

use crate::exit;
use crate::files::{read_file, write_file};
use crate::password::PasswordArgs;

/// `ezla zus …`.
#[derive(Subcommand, Debug)]
pub(crate) enum ZusCommand {
    /// Log in with the doctor's .pfx (the ZUS statement signed, method `certyfikat`); the
    /// session goes to --session.
    Login(LoginArgs),
    /// The logged-in doctor and their places of work, as ZUS has them.
    Whoami(CommonArgs),
    /// A patient, as ZUS has them (counts against ZUS's daily limit).
    Patient(PeselArgs),
    /// A patient's payers.
    Payers(PeselArgs),
    /// A new series/number with the document ids of its ORYGINAŁ and KOPIA.
    Number(CommonArgs),
    /// Validate signed documents at ZUS (walidujDokumenty); exit 1 when ZUS refuses.
    Validate(FilesArgs),
    /// Send signed documents (wyslijDokumenty) under the journal; receipts are written beside
    /// each file as FILE.upp.xml (or into -o DIR).
    Send(FilesArgs),
    /// Issue an e-ZLA from its JSON form in one call: ZUS's data, numbers, both documents
    /// signed, validated, sent, receipted. Writes the documents and receipts into -o DIR.
    Issue(IssueArgs),
    /// A document ZUS has (pobierzDokument).
    Get(DocumentArgs),
    /// A document's receipt (pobierzUppDlaDokumentu).
    Upp(DocumentArgs),
    /// Cancel a certificate: check with ZUS, sign an AZLA with the .pfx, send it, keep the
    /// receipt.
    Cancel(CancelArgs),
    /// Settle every send whose outcome is unknown by asking ZUS, then send (once) what ZUS
    /// does not have.
    Reconcile(ReconcileArgs),
    /// End the session (usunSesje) and delete the session file.
    Logout(CommonArgs),
}

impl ZusCommand {
    fn common(&self) -> &CommonArgs {
        match self {
            ZusCommand::Login(a) => &a.common,
            ZusCommand::Whoami(a) | ZusCommand::Number(a) | ZusCommand::Logout(a) => a,
            ZusCommand::Patient(a) | ZusCommand::Payers(a) => &a.common,
            ZusCommand::Validate(a) | ZusCommand::Send(a) => &a.common,
            ZusCommand::Issue(a) => &a.common,
            ZusCommand::Get(a) | ZusCommand::Upp(a) => &a.common,
            ZusCommand::Cancel(a) => &a.common,
            ZusCommand::Reconcile(a) => &a.common,
        }
    }

    /// Whether JSON output was asked for.
    pub(crate) fn json(&self) -> bool {
        self.common().json
    }
}

/// How to reach ZUS, where the session and the journal are.
#[derive(Args, Debug, Clone)]
pub(crate) struct CommonArgs {
    /// The channel's endpoint URL (e.g. `https://pue.zus.pl:8001/ws/zus.channel.gabinetoweV4:zla`).
    #[arg(long, env = "EZLA_ZUS_ENDPOINT", value_name = "URL")]
    endpoint: String,
    /// Trust this CA (PEM) for the server's certificate instead of the system roots.
    #[arg(long, value_name = "FILE")]
    ca: Option<PathBuf>,
    /// Check the server's certificate against this name (for an endpoint addressed by IP).
    #[arg(long, value_name = "NAME")]
    server_name: Option<String>,
    /// The body namespace to write.
    #[arg(long, value_enum, default_value = "zus-pl")]
    namespace: NamespaceArg,
    /// The HTTP Basic user (ZUS's gateway uses one for everybody).
    #[arg(long, default_value = "ezla_ag")]
    basic_user: String,
    /// The HTTP Basic password.
    #[arg(long, default_value = "ezla_ag")]
    basic_password: String,
    /// The file the session id is kept in between commands (created with mode 0600).
    #[arg(long, env = "EZLA_ZUS_SESSION", value_name = "FILE")]
    session: Option<PathBuf>,
    /// The send journal (SQLite; created if missing). Without it sends are journaled in
    /// memory only, and an unknown outcome cannot be reconciled later.
    #[arg(long, env = "EZLA_ZUS_JOURNAL", value_name = "FILE")]
    journal: Option<PathBuf>,
    /// Seconds to wait for ZUS's answer to one request.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    timeout: u64,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum NamespaceArg {
    /// `http://zus.pl/b2b/zus/channel/gabinetowe` (the WSDL's).
    ZusPl,
    /// `http://zus.gov.pl/b2b/zus/channel/gabinetowe` (ZUS's examples).
    ZusGovPl,
}

/// Options of `zus login`.
#[derive(Args, Debug)]
pub(crate) struct LoginArgs {
    #[command(flatten)]
    common: CommonArgs,
    #[command(flatten)]
    key: KeyArgs,
}

/// The doctor's .pfx.
#[derive(Args, Debug, Clone)]
pub(crate) struct KeyArgs {
    /// The doctor's .pfx (the ZUS certificate).
    #[arg(long, value_name = "FILE")]
    pfx: PathBuf,
    #[command(flatten)]
    password: PasswordArgs,
    /// The doctor's licence number, sent with the login (later ZUS versions).
    #[arg(long)]
    npwz: Option<String>,
}

/// A PESEL.
#[derive(Args, Debug)]
pub(crate) struct PeselArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// The patient's PESEL.
    pesel: String,
}

/// Signed documents.
#[derive(Args, Debug)]
pub(crate) struct FilesArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Signed KEDU documents (ORYGINAŁ, KOPIA, AZLA).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Where to write the receipts (send); default beside each file.
    #[arg(short, long, value_name = "DIR")]
    out: Option<PathBuf>,
}

/// Options of `zus issue`.
#[derive(Args, Debug)]
pub(crate) struct IssueArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// The certificate in its JSON form (as for `ezla kedu new`); its series, number and
    /// document ids are replaced by ZUS's.
    input: PathBuf,
    #[command(flatten)]
    key: KeyArgs,
    /// Judge dates as on this day (YYYY-MM-DD) instead of today in Poland.
    #[arg(long, value_name = "DATE")]
    today: Option<String>,
    /// The directory for the signed documents and the receipts (created if missing).
    #[arg(short, long, value_name = "DIR")]
    out: PathBuf,
}

/// A document by series/number.
#[derive(Args, Debug)]
pub(crate) struct DocumentArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// The series and number (ZY1234567).
    seria_numer: String,
    /// Which document.
    #[arg(long, value_enum, default_value = "oryginal")]
    kind: KindArg,
    /// Write it to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum KindArg {
    /// The ORYGINAŁ (ZLA).
    Oryginal,
    /// The KOPIA (KOPIA_ZLA).
    Kopia,
    /// A cancellation (AZLA).
    Azla,
}

impl KindArg {
    fn rodzaj(self) -> RodzajDokumentu {
        match self {
            KindArg::Oryginal => RodzajDokumentu::Zla,
            KindArg::Kopia => RodzajDokumentu::KopiaZla,
            KindArg::Azla => RodzajDokumentu::Azla,
        }
    }
}

/// Options of `zus cancel`.
#[derive(Args, Debug)]
pub(crate) struct CancelArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// The series and number of the certificate to cancel.
    seria_numer: String,
    /// The reason, a code of ZUS's dictionary (U, P, N, M, I, B, A, E, X).
    #[arg(long, value_name = "CODE")]
    reason: String,
    #[command(flatten)]
    key: KeyArgs,
    /// Where to write the signed AZLA and its receipt.
    #[arg(short, long, value_name = "DIR", default_value = ".")]
    out: PathBuf,
}

/// Options of `zus reconcile`.
#[derive(Args, Debug)]
pub(crate) struct ReconcileArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// The .pfx, to log in again if the session is gone.
    #[arg(long, value_name = "FILE")]
    pfx: Option<PathBuf>,
    #[command(flatten)]
    password: PasswordArgs,
}

/// The exit status for an error of a `zus` command: ZUS's refusals are negative verdicts.
pub(crate) fn status_for(e: &Error) -> u8 {
    match e.code() {
        ErrorCode::ZusLoginRefused
        | ErrorCode::ZusValidationRefused
        | ErrorCode::ZusSendRefused
        | ErrorCode::ZusRejected
        | ErrorCode::ZusDailyLimitExceeded
        | ErrorCode::ZusNotAllowed => exit::NEGATIVE,
        _ => exit::for_error(e),
    }
}

/// Runs an `ezla zus` command.
pub(crate) fn run(command: ZusCommand) -> Result<ExitCode> {
    let common = command.common().clone();
    let zus = open_client(&common)?;
    let out = match command {
        ZusCommand::Login(a) => login(&zus, &common, &a.key)?,
        ZusCommand::Whoami(_) => {
            let doctor = zus.doctor()?;
            let places = zus.places_of_work()?;
            json!({
                "doctor": doctor.as_ref().map(|d| json!({
                    "imie": d.imie, "nazwisko": d.nazwisko, "pesel": d.pesel,
                    "npwz": d.numer_prawa_wykonywania_zawodu,
                    "status": d.status_lekarza.as_ref().and_then(|s| s.status.clone()),
                })),
                "places_of_work": places.iter().map(|m| json!({
                    "nazwa": m.nazwa, "nip": m.nip, "miejscowosc": m.miejscowosc,
                })).collect::<Vec<_>>(),
            })
        }
        ZusCommand::Patient(a) => {
            let pesel = pesel(&a.pesel)?;
            let p = zus.patient(&pesel, KontekstDostepu::WystawienieZla)?;
            json!({ "patient": p.map(|p| json!({
                "imie": p.imie, "nazwisko": p.nazwisko, "data_urodzenia": p.data_urodzenia,
                "adres": p.adres.iter().map(|a| json!({
                    "kod_pocztowy": a.kod_pocztowy, "miejscowosc": a.miejscowosc,
                    "ulica": a.ulica, "nr_domu": a.nr_domu, "nr_lokalu": a.nr_lokalu,
                })).collect::<Vec<_>>(),
            })) })
        }
        ZusCommand::Payers(a) => {
            let pesel = pesel(&a.pesel)?;
            let payers = zus.payers(&pesel)?;
            json!({ "payers": payers.iter().map(|p| json!({
                "nazwa": p.nazwa, "nip": p.nip, "pesel": p.pesel, "profil_pue": p.profil_pue,
            })).collect::<Vec<_>>() })
        }
        ZusCommand::Number(_) => {
            let p = zus.reserve_number()?;
            json!({
                "seria_numer": p.seria_numer.compact(),
                "id_dokumentu": { "oryginal": p.id_dokumentu.oryginal, "kopia": p.id_dokumentu.kopia },
            })
        }
        ZusCommand::Validate(a) => {
            let docs = read_documents(&a.files)?;
            let dokumenty: Vec<Dokument> = docs
                .iter()
                .map(|d| Dokument::new(d.nr_ref(), d.text.clone()))
                .collect();
            let r = zus.validate(&dokumenty)?;
            json!({
                "result": r.as_ref().map(|r| r.wynik.as_str()).unwrap_or("POZYTYWNY"),
                "findings": r.map(|r| findings(&r.bledy)).unwrap_or_default(),
            })
        }
        ZusCommand::Send(a) => {
            let docs = read_documents(&a.files)?;
            let batch: Vec<(JournalKey, Vec<u8>)> = docs
                .iter()
                .map(|d| (d.key.clone(), d.text.clone().into_bytes()))
                .collect();
            let receipts = zus.send_journaled(&batch)?;
            let mut sent = Vec::new();
            for (d, r) in docs.iter().zip(&receipts) {
                let path = receipt_path(&d.path, a.out.as_deref())?;
                write_file(&path, r.upp.as_bytes(), true, false)?;
                sent.push(json!({
                    "file": d.path.display().to_string(), "seria_numer": d.key.seria_numer,
                    "kind": d.key.kind.as_str(), "upp": path.display().to_string(),
                }));
            }
            json!({ "sent": sent })
        }
        ZusCommand::Issue(a) => issue(&zus, &common, &a)?,
        ZusCommand::Get(a) => match fetch(&zus, &a, false)? {
            Some(v) => v,
            None => return Ok(exit::code(exit::SUCCESS)),
        },
        ZusCommand::Upp(a) => match fetch(&zus, &a, true)? {
            Some(v) => v,
            None => return Ok(exit::code(exit::SUCCESS)),
        },
        ZusCommand::Cancel(a) => cancel(&zus, &a)?,
        ZusCommand::Reconcile(a) => {
            if let Some(pfx) = &a.pfx {
                zus.set_login_key(load_key(pfx, &a.password)?);
            }
            let r = zus.reconcile()?;
            let keys = |v: &[JournalKey]| v.iter().map(|k| k.to_string()).collect::<Vec<_>>();
            json!({ "found": keys(&r.found), "resent": keys(&r.resent), "refused": keys(&r.refused) })
        }
        ZusCommand::Logout(_) => {
            zus.logout()?;
            if let Some(path) = &common.session {
                let _ = std::fs::remove_file(path);
            }
            json!({ "logged_out": true })
        }
    };
    // A renewed session is kept for the next command.
    save_session(&zus, &common)?;
    print_value(&out, common.json);
    Ok(exit::code(exit::SUCCESS))
}

/// `zus get` (`upp` false) and `zus upp`: the document or its receipt, to a file (the
/// result to print) or to standard output (`None`: printed already).
fn fetch(zus: &Client, a: &DocumentArgs, upp: bool) -> Result<Option<Value>> {
    let sn = seria_numer(&a.seria_numer)?;
    let text = if upp {
        zus.receipt(a.kind.rodzaj(), &sn)?
    } else {
        zus.document(a.kind.rodzaj(), &sn)?.kedu
    };
    let text = text.ok_or_else(|| {
        Error::invalid_argument(
            "SERIA-NUMER",
            format!("ZUS returned no document for {}", a.seria_numer),
        )
    })?;
    match &a.out {
        Some(path) => {
            write_file(path, text.as_bytes(), true, false)?;
            Ok(Some(
                json!({ "written": path.display().to_string(), "bytes": text.len() }),
            ))
        }
        None => {
            print!("{text}");
            Ok(None)
        }
    }
}

fn open_client(c: &CommonArgs) -> Result<Client> {
    let mut t = TransportConfig::builder()
        .basic_auth(c.basic_user.clone(), c.basic_password.clone())
        .response_timeout(Duration::from_secs(c.timeout.max(1)));
    if let Some(ca) = &c.ca {
        t = t.trust_pem(&read_file(ca)?);
    }
    if let Some(name) = &c.server_name {
        t = t.expected_server_name(name.clone());
    }
    let transport = UreqTransport::new(t.build()?)?;
    let namespace = match c.namespace {
        NamespaceArg::ZusPl => BodyNamespace::ZusPl,
        NamespaceArg::ZusGovPl => BodyNamespace::ZusGovPl,
    };
    let journal: Arc<dyn Journal> = match &c.journal {
        Some(path) => Arc::new(SqliteJournal::open(path)?),
        None => Arc::new(MemoryJournal::new()),
    };
    // The session outlives each command (it is kept in --session); `zus logout` ends it.
    let zus = Client::new(
        Arc::new(transport),
        ClientConfig::new(c.endpoint.clone()).with_namespace(namespace),
    )
    .with_journal(journal)
    .with_logout_on_drop(false);
    if let Some(path) = &c.session
        && path.exists()
    {
        let text = String::from_utf8_lossy(&read_file(path)?).trim().to_owned();
        if !text.is_empty() {
            zus.resume(IdSesji::new(text)?);
        }
    }
    Ok(zus)
}

fn save_session(zus: &Client, c: &CommonArgs) -> Result<()> {
    if let (Some(path), Some(id)) = (&c.session, zus.session_id()) {
        write_file(path, id.as_str().as_bytes(), true, true)?;
    }
    Ok(())
}

fn load_key(pfx: &Path, password: &PasswordArgs) -> Result<LoginKey> {
    let bytes = read_file(pfx)?;
    let password = password.for_reading(&pfx.display().to_string())?;
    let contents = Pkcs12::parse(
        &bytes,
        password.as_deref().map(String::as_str),
        &Pkcs12Options::default(),
    )?;
    Ok(LoginKey::from_identity(Identity::from_pkcs12_contents(
        contents,
    )?))
}

fn login(zus: &Client, c: &CommonArgs, key: &KeyArgs) -> Result<Value> {
    if c.session.is_none() {
        eprintln!("note: without --session the session ends with this command");
    }
    let login_key = load_key(&key.pfx, &key.password)?;
    let subject = login_key.certificate().subject().to_string();
    let id = zus.login(login_key)?;
    let doctor = zus.doctor()?;
    Ok(json!({
        "logged_in": true,
        "certificate": subject,
        "session": c.session.as_ref().map(|p| p.display().to_string()),
        "session_id_length": id.as_str().len(),
        "doctor": doctor.map(|d| json!({"imie": d.imie, "nazwisko": d.nazwisko, "npwz": d.numer_prawa_wykonywania_zawodu})),
    }))
}

fn issue(zus: &Client, c: &CommonArgs, a: &IssueArgs) -> Result<Value> {
    let json_text = String::from_utf8(read_file(&a.input)?).map_err(|_| Error::InvalidUtf8 {
        what: "the e-ZLA JSON",
    })?;
    let zla = Zla::from_json(&json_text)?;
    let today = match &a.today {
        Some(d) => time::Date::parse(d, time::macros::format_description!("[year]-[month]-[day]"))
            .map_err(|e| Error::invalid_argument("--today", e.to_string()))?,
        None => ezla::pl::czas::today(),
    };
    let key = load_key(&a.key.pfx, &a.key.password)?;
    if c.journal.is_none() {
        eprintln!("note: without --journal a send whose answer is lost cannot be reconciled later");
    }
    let report = zus.issue(&zla, &key, today)?;
    std::fs::create_dir_all(&a.out).map_err(|e| Error::io(&a.out, e))?;
    let mut certificates = Vec::new();
    for cert in &report.certificates {
        let sn = format!(
            "{}{}",
            cert.oryginal.seria_numer.seria, cert.oryginal.seria_numer.numer
        );
        let mut files = Vec::new();
        for (name, r) in [("oryginal", &cert.oryginal), ("kopia", &cert.kopia)] {
            let doc = a.out.join(format!("{sn}.{name}.xml"));
            let upp = a.out.join(format!("{sn}.{name}.upp.xml"));
            write_file(&doc, &r.signed, true, false)?;
            write_file(&upp, r.upp.as_bytes(), true, false)?;
            files.push(json!({ "kind": name, "document": doc.display().to_string(), "upp": upp.display().to_string() }));
        }
        certificates.push(json!({
            "seria_numer": sn,
            "rodzaj": format!("{:?}", cert.rodzaj).to_lowercase(),
            "platnik": cert.platnik.identyfikator,
            "files": files,
        }));
    }
    Ok(json!({ "certificates": certificates, "warnings": findings(&report.warnings) }))
}

fn cancel(zus: &Client, a: &CancelArgs) -> Result<Value> {
    let sn = seria_numer(&a.seria_numer)?;
    let przyczyna = PrzyczynaAnulowania::from_kod(&a.reason).ok_or_else(|| {
        Error::invalid_argument(
            "--reason",
            format!(
                "{:?} is not a cancellation reason code (U, P, N, M, I, B, A, E, X)",
                a.reason
            ),
        )
    })?;
    let key = load_key(&a.key.pfx, &a.key.password)?;
    let receipt = zus.cancel(&sn, przyczyna, &key, ezla::pl::czas::today())?;
    let signed = receipt.signed.clone();
    let receipts = [receipt];
    std::fs::create_dir_all(&a.out).map_err(|e| Error::io(&a.out, e))?;
    let doc = a.out.join(format!("{}.azla.xml", a.seria_numer));
    let upp = a.out.join(format!("{}.azla.upp.xml", a.seria_numer));
    write_file(&doc, &signed, true, false)?;
    write_file(
        &upp,
        receipts
            .first()
            .map(|r| r.upp.as_bytes())
            .unwrap_or_default(),
        true,
        false,
    )?;
    Ok(
        json!({ "cancelled": a.seria_numer, "document": doc.display().to_string(), "upp": upp.display().to_string() }),
    )
}

/// A signed document read from a file, with what the journal knows it by.
struct SignedFile {
    path: PathBuf,
    text: String,
    key: JournalKey,
}

impl SignedFile {
    fn nr_ref(&self) -> String {
        format!("{}-{}", self.key.kind, self.key.seria_numer)
    }
}

fn read_documents(files: &[PathBuf]) -> Result<Vec<SignedFile>> {
    files
        .iter()
        .map(|path| {
            let bytes = read_file(path)?;
            let text = String::from_utf8(bytes.clone()).map_err(|_| Error::InvalidUtf8 {
                what: "a signed document",
            })?;
            let key = if let Ok(d) = Zla::read_xml(&bytes) {
                let sn = d.zla.seria_numer.ok_or_else(|| {
                    Error::invalid_argument(
                        "FILE",
                        format!("{} has no series and number", path.display()),
                    )
                })?;
                let kind = match d.wariant {
                    ezla::kedu::Wariant::Oryginal => DocumentKind::Oryginal,
                    ezla::kedu::Wariant::Kopia => DocumentKind::Kopia,
                };
                JournalKey::new(sn.compact(), kind)
            } else {
                let (azla, _) = Azla::read(&bytes)?;
                JournalKey::new(azla.anulowane_zla.compact(), DocumentKind::Azla)
            };
            Ok(SignedFile {
                path: path.clone(),
                text,
                key,
            })
        })
        .collect()
}

fn receipt_path(file: &Path, out: Option<&Path>) -> Result<PathBuf> {
    let name = format!(
        "{}.upp.xml",
        file.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "document".into())
    );
    Ok(match out {
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            dir.join(name)
        }
        None => file.with_file_name(name),
    })
}

fn findings(bledy: &[ezla::error::BladWalidacji]) -> Vec<Value> {
    bledy
        .iter()
        .map(|b| {
            json!({
                "nr_ref": b.nr_ref, "rodzaj": b.rodzaj.as_str(), "kod": b.kod_bledu,
                "opis": b.opis_bledu, "lokalizacja": b.lokalizacja,
            })
        })
        .collect()
}

fn pesel(text: &str) -> Result<Pesel> {
    Pesel::parse(text).map_err(|e| Error::invalid_argument("PESEL", e.to_string()))
}

fn seria_numer(text: &str) -> Result<SeriaNumer> {
    SeriaNumer::from_compact(text).ok_or_else(|| {
        Error::invalid_argument(
            "SERIA-NUMER",
            format!("{text:?} is not a series and number (two capital letters and seven digits)"),
        )
    })
}

/// Prints a command's result: JSON as is, or the same as indented `key: value` lines.
fn print_value(v: &Value, json: bool) {
    if json {
        println!("{}", serde_json::to_string_pretty(v).unwrap_or_default());
    } else {
        print_text(v, 0);
    }
}

fn print_text(v: &Value, depth: usize) {
    let pad = "  ".repeat(depth);
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                match v {
                    Value::Object(_) | Value::Array(_) => {
                        println!("{pad}{k}:");
                        print_text(v, depth + 1);
                    }
                    Value::Null => println!("{pad}{k}: -"),
                    Value::String(s) => println!("{pad}{k}: {s}"),
                    other => println!("{pad}{k}: {other}"),
                }
            }
        }
        Value::Array(items) => {
            if items.is_empty() {
                println!("{pad}(none)");
            }
            for item in items {
                match item {
                    Value::Object(_) => {
                        println!("{pad}-");
                        print_text(item, depth + 1);
                    }
                    Value::String(s) => println!("{pad}- {s}"),
                    other => println!("{pad}- {other}"),
                }
            }
        }
        Value::String(s) => println!("{pad}{s}"),
        other => println!("{pad}{other}"),
    }
}
