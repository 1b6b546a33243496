//! The `ezla` command.
//!
//! Each command group lives in its own module; `main` only parses the command line,
//! dispatches, and reports errors as `error: <message> (code N)` with the stable ezla
//! error code.

mod cert;
mod files;
mod kedu;
mod password;
mod signature;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// ezla: ZUS certificates, e-ZLA documents and XAdES signatures.
#[derive(Parser, Debug)]
#[command(name = "ezla", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

// Parsed once per run: the size difference between the command groups does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
enum Command {
    /// Certificates: inspect, watch expiry, request, bundle, convert (and a test CA).
    #[command(subcommand)]
    Cert(cert::CertCommand),
    /// Sign an XML document (an e-ZLA, the ZUS login statement) with XAdES-BES.
    Sign(signature::SignArgs),
    /// Verify a XAdES-BES signature strictly and report who signed what and when. Exit status:
    /// 0 valid, 1 invalid (the reason is printed), other non-zero for unusable arguments.
    Verify(signature::VerifyArgs),
    /// e-ZLA documents: write the ORYGINAŁ and KOPIA from JSON, check a KEDU ZLA document.
    #[command(subcommand)]
    Kedu(kedu::KeduCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Cert(command) => cert::run(command),
        Command::Sign(a) => signature::sign(&a),
        Command::Verify(a) => signature::verify(&a),
        Command::Kedu(command) => kedu::run(command),
    };
    result.unwrap_or_else(|e| {
        report(&e);
        ExitCode::FAILURE
    })
}

/// Prints an error the way every ezla command does.
pub(crate) fn report(e: &ezla::Error) {
    eprintln!("error: {e} (code {})", e.code() as u32);
}
