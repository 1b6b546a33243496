//! `ezla-sim serve --addr 127.0.0.1:PORT --state DIR [--tls] [--zus-path PATH] [--tsa-path PATH] [--wsdl FILE]`
//! and `ezla-sim doctor add --state DIR --pesel … --given-name … --surname … --npwz … -o FILE`,
//! `ezla-sim sp add --state DIR --entity-id ID --cert SIG.pem --enc-cert ENC.pem --acs URL`,
//! `ezla-sim sp misbehave --state DIR --entity-id ID --case NAME [--every]`,
//! `ezla-sim sp list --state DIR`; the administration of the simulated PUE's certificates
//! without a browser (`docs/pue.md`): `ezla-sim cert cancel --state DIR --serial HEX
//! --reason CODE`, `ezla-sim cert list --state DIR`, `ezla-sim crl --state DIR -o FILE`,
//! `ezla-sim clock set --state DIR TIME`, `ezla-sim clock show --state DIR` and
//! `ezla-sim outbox --state DIR [--json]`. They work on the state directory of a running
//! simulator too: it re-reads the clock and the certificates on every request.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use clap::{Parser, Subcommand};
use ezla_sim::{DEFAULT_TSA_PATH, DEFAULT_ZUS_PATH, ServeOptions};

/// Offline simulator of the ZUS e-ZLA channel.
#[derive(Parser)]
#[command(name = "ezla-sim", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve until SIGINT or SIGTERM.
    Serve {
        /// Address to listen on (port 0 picks a free port).
        #[arg(long, default_value = "127.0.0.1:0")]
        addr: SocketAddr,
        /// State directory: TLS CA and certificate, faults.json, url.
        #[arg(long)]
        state: PathBuf,
        /// Serve HTTPS with the state directory's certificate (clients trust DIR/tls-ca.pem).
        #[arg(long)]
        tls: bool,
        /// The path of the ZUS channel.
        #[arg(long, default_value = DEFAULT_ZUS_PATH)]
        zus_path: String,
        /// The path of the RFC 3161 time-stamping authority.
        #[arg(long, default_value = DEFAULT_TSA_PATH)]
        tsa_path: String,
        /// The ZUS WSDL: every request is checked against its schema (a non-conforming one
        /// gets a Fault naming the problem).
        #[arg(long, env = "EZLA_ZUS_WSDL", value_name = "FILE")]
        wsdl: Option<PathBuf>,
    },
    /// Doctors known to the simulated ZUS.
    #[command(subcommand)]
    Doctor(DoctorCommand),
    /// Service providers registered with the simulated login.gov.pl.
    #[command(subcommand)]
    Sp(SpCommand),
    /// The doctors' certificates the simulated ZUS issued (PUE or `doctor add`).
    #[command(subcommand)]
    Cert(CertCommand),
    /// Write the current CRL of the simulator's CA (DER), freshly signed.
    Crl {
        /// The state directory of the simulator.
        #[arg(long)]
        state: PathBuf,
        /// Where to write it.
        #[arg(short, long, value_name = "FILE")]
        out: PathBuf,
    },
    /// The simulated clock (shared by the ZUS channel and PUE).
    #[command(subcommand)]
    Clock(ClockCommand),
    /// Print the notifications PUE "sent" by e-mail and SMS.
    Outbox {
        /// The state directory of the simulator.
        #[arg(long)]
        state: PathBuf,
        /// As JSON (what `GET /pue/admin/outbox` answers).
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum CertCommand {
    /// Cancel (revoke) a certificate: it is on the CRL at once, and the ZUS channel refuses
    /// what it signs from now on.
    Cancel {
        /// The state directory of the simulator.
        #[arg(long)]
        state: PathBuf,
        /// The serial number in hex (as `openssl x509 -serial` prints it).
        #[arg(long, value_name = "HEX")]
        serial: String,
        /// The RFC 5280 reason: a name (keyCompromise, affiliationChanged, superseded,
        /// cessationOfOperation, unspecified, ...) or its code (0-10).
        #[arg(long, value_name = "CODE", default_value = "unspecified")]
        reason: String,
    },
    /// List the certificates: serial, PESEL, not after, state.
    List {
        /// The state directory of the simulator.
        #[arg(long)]
        state: PathBuf,
    },
}

#[derive(Subcommand)]
enum ClockCommand {
    /// Move the simulated clock to TIME (RFC 3339, e.g. 2031-11-20T09:00:00Z); reminders
    /// that fall due are sent.
    Set {
        /// The state directory of the simulator.
        #[arg(long)]
        state: PathBuf,
        /// The new simulated now.
        #[arg(value_name = "TIME")]
        time: String,
    },
    /// Print the simulated now and its offset from the system clock.
    Show {
        /// The state directory of the simulator.
        #[arg(long)]
        state: PathBuf,
    },
}

#[derive(Subcommand)]
enum SpCommand {
    /// Register a service provider (replaces an earlier registration of its entity ID).
    Add {
        /// The state directory of the simulator.
        #[arg(long)]
        state: PathBuf,
        /// The SP's entity ID (the Issuer of its requests).
        #[arg(long)]
        entity_id: String,
        /// The SP's signing certificate (PEM, P-256).
        #[arg(long, value_name = "CERT.pem")]
        cert: PathBuf,
        /// The SP's encryption certificate (PEM, P-256).
        #[arg(long, value_name = "ENC.pem")]
        enc_cert: PathBuf,
        /// The SP's assertion consumer service URL.
        #[arg(long, value_name = "URL")]
        acs: String,
    },
    /// Make the next (or every) ArtifactResponse for a service provider one case of the
    /// attack catalogue; `--case none` clears it.
    Misbehave {
        /// The state directory of the simulator.
        #[arg(long)]
        state: PathBuf,
        /// The SP's entity ID.
        #[arg(long)]
        entity_id: String,
        /// The misbehaviour's name (`ezla-sim sp cases` lists them).
        #[arg(long = "case", value_name = "NAME")]
        case: String,
        /// Apply it to every answer until cleared (default: the next answer only).
        #[arg(long)]
        every: bool,
    },
    /// List the registered service providers.
    List {
        /// The state directory of the simulator.
        #[arg(long)]
        state: PathBuf,
    },
    /// List the catalogue's cases: id, misbehaviour, expected error.
    Cases,
}

#[derive(Subcommand)]
enum DoctorCommand {
    /// Register a doctor and write their certificate from the simulator's CA as a .pfx, as
    /// ZUS issues "certyfikat z ZUS" (TEST ONLY).
    Add {
        /// The state directory of the simulator.
        #[arg(long)]
        state: PathBuf,
        /// The doctor's PESEL.
        #[arg(long)]
        pesel: String,
        /// Given name.
        #[arg(long)]
        given_name: String,
        /// Surname.
        #[arg(long)]
        surname: String,
        /// Licence number (numer prawa wykonywania zawodu); the seed gives its places of work.
        #[arg(long)]
        npwz: String,
        /// Where to write the .pfx.
        #[arg(short, long, value_name = "FILE")]
        out: PathBuf,
        /// The environment variable holding the .pfx password.
        #[arg(long, value_name = "VAR", default_value = "EZLA_PFX_PASSWORD")]
        password_env: String,
        /// Days of validity (default five years, like ZUS's).
        #[arg(long, default_value_t = 1826)]
        days: u32,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (addr, state, tls, zus_path, tsa_path, wsdl) = match cli.command {
        Command::Sp(command) => {
            return match sp_command(command) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("ezla-sim: {e}");
                    ExitCode::FAILURE
                }
            };
        }
        Command::Cert(command) => return report(cert_command(command)),
        Command::Crl { state, out } => return report(write_crl(&state, &out)),
        Command::Clock(command) => return report(clock_command(command)),
        Command::Outbox { state, json } => return report(print_outbox(&state, json)),
        Command::Serve {
            addr,
            state,
            tls,
            zus_path,
            tsa_path,
            wsdl,
        } => (addr, state, tls, zus_path, tsa_path, wsdl),
        Command::Doctor(DoctorCommand::Add {
            state,
            pesel,
            given_name,
            surname,
            npwz,
            out,
            password_env,
            days,
        }) => {
            return match add_doctor(
                &state,
                &pesel,
                &given_name,
                &surname,
                &npwz,
                &out,
                &password_env,
                days,
            ) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("ezla-sim: {e}");
                    ExitCode::FAILURE
                }
            };
        }
    };
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        if let Err(e) = signal_hook::flag::register(signal, stop.clone()) {
            eprintln!("ezla-sim: cannot handle signal {signal}: {e}");
            return ExitCode::FAILURE;
        }
    }
    let mut options = ServeOptions::new(addr, state);
    options.tls = tls;
    options.zus_path = zus_path;
    options.tsa_path = tsa_path;
    options.wsdl = wsdl;
    let sim = match ezla_sim::serve(&options) {
        Ok(sim) => sim,
        Err(e) => {
            eprintln!("ezla-sim: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("ezla-sim: listening on {}", sim.zus_url);
    eprintln!(
        "ezla-sim: time-stamping authority (RFC 3161) at {}",
        sim.tsa_url
    );
    eprintln!(
        "ezla-sim: PUE ZUS (doctors' certificates, login through login.gov.pl) at {}",
        sim.pue_url
    );
    while !stop.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(50));
    }
    eprintln!("ezla-sim: shutting down");
    sim.server.shutdown_within(Duration::from_secs(2));
    ExitCode::SUCCESS
}

#[allow(clippy::too_many_arguments)]
fn add_doctor(
    state: &std::path::Path,
    pesel: &str,
    given_name: &str,
    surname: &str,
    npwz: &str,
    out: &std::path::Path,
    password_env: &str,
    days: u32,
) -> Result<(), String> {
    let pesel = ezla::pl::Pesel::parse(pesel).map_err(|e| format!("--pesel: {e}"))?;
    let password = std::env::var(password_env)
        .map_err(|_| format!("the password variable {password_env} is not set"))?;
    if out.exists() {
        return Err(format!("{} exists; remove it first", out.display()));
    }
    let service = ezla_sim::zus::ZusService::open(state)?;
    let identity = service
        .ca()
        .issue_doctor(
            pesel,
            given_name,
            surname,
            time::OffsetDateTime::now_utc() - time::Duration::minutes(1),
            days,
        )
        .map_err(|e| e.to_string())?;
    let pfx = identity
        .to_pkcs12(&password, 600_000)
        .map_err(|e| e.to_string())?;
    std::fs::write(out, pfx).map_err(|e| format!("{}: {e}", out.display()))?;
    service
        .state()
        .add_doctor(pesel.as_str(), given_name, surname, npwz)
        .map_err(|e| e.to_string())?;
    service
        .state()
        .record_certificate(&identity.certificate, pesel.as_str())
        .map_err(|e| e.to_string())?;
    eprintln!(
        "ezla-sim: doctor {given_name} {surname} (PESEL {pesel}, NPWZ {npwz}) registered; \
         certificate written to {} (CA: {})",
        out.display(),
        service.ca().dir().join("ca.crt").display()
    );
    Ok(())
}

fn report(outcome: Result<(), String>) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ezla-sim: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The certificate service of a state directory (which must exist: these commands
/// administer a simulator, they do not create one).
fn certificates(state: &std::path::Path) -> Result<ezla_sim::pue::CertificateService, String> {
    if !state.join("zus.sqlite").exists() {
        return Err(format!(
            "{}: no simulator state here (start `ezla-sim serve --state {}` once)",
            state.display(),
            state.display()
        ));
    }
    let zus = Arc::new(ezla_sim::zus::ZusService::open(state)?);
    ezla_sim::pue::CertificateService::open(state, zus)
}

fn cert_command(command: CertCommand) -> Result<(), String> {
    use ezla_sim::pue::CancelRefusal;
    match command {
        CertCommand::Cancel {
            state,
            serial,
            reason,
        } => {
            let reason = ezla_sim::pue::parse_reason(&reason).ok_or_else(|| {
                format!(
                    "--reason {reason:?}: an RFC 5280 CRLReason name (keyCompromise,                      affiliationChanged, superseded, cessationOfOperation, unspecified, ...)                      or code (0-10, not 7)"
                )
            })?;
            let service = certificates(&state)?;
            match service.cancel(None, &serial, reason)? {
                Ok(c) => {
                    let at = c
                        .revocation
                        .map(|r| ezla::xml::datetime::format(r.at))
                        .unwrap_or_default();
                    println!("{}	{at}	{}", c.serial, reason.name());
                    eprintln!(
                        "ezla-sim: certificate {} (PESEL {}) cancelled at {at} ({}); it is on                          the CRL from now on",
                        c.serial,
                        c.pesel,
                        reason.name()
                    );
                    Ok(())
                }
                Err(CancelRefusal::NotFound) => Err(format!(
                    "no certificate with serial {serial} was issued by this simulator                      (`ezla-sim cert list` lists them)"
                )),
                Err(CancelRefusal::AlreadyCancelled { at, reason }) => Err(format!(
                    "certificate {serial} was already cancelled at {} ({})",
                    ezla::xml::datetime::format(at),
                    reason.map(|r| r.name()).unwrap_or("unspecified")
                )),
            }
        }
        CertCommand::List { state } => {
            let service = certificates(&state)?;
            for c in service
                .zus()
                .state()
                .all_certificates()
                .map_err(|e| e.to_string())?
            {
                let status = match c.revocation {
                    Some(r) => format!(
                        "cancelled {} ({})",
                        ezla::xml::datetime::format(r.at),
                        ezla::pki::crl::RevocationReason::from_code(r.reason)
                            .map(|r| r.name())
                            .unwrap_or("unspecified")
                    ),
                    None => "valid".to_owned(),
                };
                println!(
                    "{}\t{}\t{}\t{status}",
                    c.serial,
                    c.pesel,
                    ezla::xml::datetime::format(c.not_after)
                );
            }
            Ok(())
        }
    }
}

fn write_crl(state: &std::path::Path, out: &std::path::Path) -> Result<(), String> {
    let service = certificates(state)?;
    let crl = service.crl()?;
    std::fs::write(out, crl.to_der()).map_err(|e| format!("{}: {e}", out.display()))?;
    eprintln!(
        "ezla-sim: CRL number {} ({} revoked) written to {}",
        crl.number_hex().unwrap_or_default(),
        crl.entries().len(),
        out.display()
    );
    Ok(())
}

fn clock_command(command: ClockCommand) -> Result<(), String> {
    match command {
        ClockCommand::Set { state, time } => {
            let at = ezla::xml::datetime::parse(&time).ok_or_else(|| {
                format!("{time:?} is not an RFC 3339 time (2031-11-20T09:00:00Z)")
            })?;
            let service = certificates(&state)?;
            service.set_clock(at)?;
            println!("{}", ezla::xml::datetime::format(service.now()));
            Ok(())
        }
        ClockCommand::Show { state } => {
            let service = certificates(&state)?;
            let clock = service.zus().state().clock();
            println!(
                "{}	{:+}s",
                ezla::xml::datetime::format(clock.now()),
                clock.offset().whole_seconds()
            );
            Ok(())
        }
    }
}

fn print_outbox(state: &std::path::Path, json: bool) -> Result<(), String> {
    let service = certificates(state)?;
    let outbox = service.store().outbox().map_err(|e| e.to_string())?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&outbox).map_err(|e| e.to_string())?
        );
        return Ok(());
    }
    for n in outbox {
        println!(
            "{}	{}	{}	{}	{}	{}",
            n.at,
            n.channel,
            n.recipient,
            n.kind,
            n.serial.as_deref().unwrap_or("-"),
            n.message
        );
    }
    Ok(())
}

fn read_cert(path: &std::path::Path) -> Result<ezla::pki::Certificate, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    ezla::pki::Certificate::from_pem(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

fn sp_command(command: SpCommand) -> Result<(), String> {
    use ezla::wk::emulate::attacks::{CaseInput, Misbehaviour, catalogue};
    use ezla_sim::wk::{RegisteredSp, Registry, Repeat};
    match command {
        SpCommand::Add {
            state,
            entity_id,
            cert,
            enc_cert,
            acs,
        } => {
            let registry = Registry::open(&state)?;
            registry.add(RegisteredSp::new(
                entity_id.clone(),
                &read_cert(&cert)?,
                &read_cert(&enc_cert)?,
                acs.clone(),
            ))?;
            let idp = ezla_sim::wk::WkIdp::open(&state)?;
            eprintln!(
                "ezla-sim: service provider {entity_id} registered (ACS {acs}); pin the \
                 simulator's certificate {}",
                state.join("wk").join("idp.crt").display()
            );
            drop(idp);
            Ok(())
        }
        SpCommand::Misbehave {
            state,
            entity_id,
            case,
            every,
        } => {
            let misbehaviour = Misbehaviour::from_name(&case).ok_or_else(|| {
                format!("unknown misbehaviour {case:?} (`ezla-sim sp cases` lists them)")
            })?;
            let repeat = if every { Repeat::Every } else { Repeat::Next };
            let m = (misbehaviour != Misbehaviour::None).then_some(misbehaviour);
            Registry::open(&state)?.set_misbehaviour(&entity_id, m, repeat)
        }
        SpCommand::List { state } => {
            for sp in Registry::open(&state)?.all()? {
                println!(
                    "{}\t{}\t{}",
                    sp.entity_id,
                    sp.acs_url,
                    sp.misbehaviour.as_deref().unwrap_or("-")
                );
            }
            Ok(())
        }
        SpCommand::Cases => {
            for case in catalogue().map_err(|e| e.to_string())? {
                if let CaseInput::Emulated(m) = case.input {
                    println!(
                        "{}\t{}\t{:?}\t{}\t{}",
                        case.id,
                        m,
                        case.verdict,
                        case.error.map(|e| e.name()).unwrap_or("-"),
                        case.title
                    );
                }
            }
            Ok(())
        }
    }
}
