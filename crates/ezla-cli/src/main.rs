//! The `ezla` command.
//!
//! Each command group lives in its own module; `main` only parses the command line,
//! dispatches, and reports errors as `error: <message> (code N)` with the stable ezla
//! error code (and, under `--json`, as JSON on standard output too). Exit statuses follow
//! one scheme for every command ([`exit`], `docs/cli.md`).

mod cert;
mod cms;
mod exit;
mod files;
mod kedu;
mod manual;
mod password;
mod revocation;
mod signature;
mod timestamp;
mod token;
mod ts;
mod wk;
mod zus;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// ezla: ZUS certificates, e-ZLA documents and XAdES signatures.
///
/// Exit status, for every command: 0 success or valid; 1 a negative verdict (an invalid
/// signature or document; `cert check`: renewal window or expiring); 2 `cert check` only:
/// expired or not yet valid; 3 the command could not do its job (a missing or unreadable
/// file, a wrong password); 64 a wrong command line. See docs/cli.md.
#[derive(Parser, Debug)]
#[command(name = "ezla", version, about, long_about, propagate_version = true)]
pub(crate) struct Cli {
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
    /// Sign XML documents (e-ZLA, the ZUS login statement) with XAdES-BES, with a .pfx or a key
    /// on a PKCS#11 token; several documents go to a directory, signed on every core.
    Sign(signature::SignArgs),
    /// Verify a XAdES-BES signature strictly and report who signed what and when. Exit status:
    /// 0 valid, 1 invalid (the reason is printed), 3 unreadable input or options, 64 usage.
    Verify(signature::VerifyArgs),
    /// CMS (CAdES-BES) signatures over any file: sign (attached or detached, DER or PEM),
    /// verify. Exit status of `cms verify`: 0 valid, 1 invalid, 3 unreadable, 64 usage.
    #[command(subcommand)]
    Cms(cms::CmsCommand),
    /// RFC 3161 time-stamp tokens: ask a TSA to stamp a file, verify a token. Exit status: 0
    /// stamped or valid, 1 refused or invalid, 3 could not do the job, 64 usage.
    #[command(subcommand)]
    Ts(ts::TsCommand),
    /// Signature time-stamps: add one from a TSA to a signed XML document (XAdES-T) or a CMS
    /// signature (CAdES-T). Exit status: 0 added, 1 refused, 3 could not do the job, 64 usage.
    #[command(subcommand)]
    Timestamp(timestamp::TimestampCommand),
    /// e-ZLA documents: write the ORYGINAŁ and KOPIA from JSON, check a KEDU ZLA document.
    #[command(subcommand)]
    Kedu(kedu::KeduCommand),
    /// The ZUS channel: log in, look up, number, validate, send, issue in one call, read back,
    /// cancel, reconcile, log out. Exit status: 0 done, 1 ZUS refused, 3 could not do the job
    /// (network, TLS, files), 64 usage.
    #[command(subcommand)]
    Zus(zus::ZusCommand),
    /// login.gov.pl (Węzeł Krajowy) for a service provider: make the keys and certificate
    /// requests, write the SP metadata, inspect a saved ArtifactResponse with every check.
    /// Exit status of `inspect`: 0 valid, 1 a check failed, 3 unreadable input, 64 usage.
    #[command(subcommand)]
    Wk(wk::WkCommand),
    /// PKCS#11 tokens (smart cards, HSMs): list tokens, keys and certificates.
    #[command(subcommand)]
    Token(token::TokenCommand),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell) to standard output.
    Completions(manual::CompletionsArgs),
    /// Write the manual pages (`ezla.1`, `ezla-cert-info.1`, …) into a directory, or print
    /// `ezla.1` to standard output.
    Man(manual::ManArgs),
}

impl Command {
    /// Whether the command was asked for JSON output (errors then go to stdout as JSON too).
    fn json(&self) -> bool {
        match self {
            Command::Cert(c) => c.json(),
            Command::Verify(a) => a.json(),
            Command::Kedu(c) => c.json(),
            Command::Zus(c) => c.json(),
            Command::Sign(a) => a.json(),
            Command::Cms(c) => c.json(),
            Command::Ts(c) => c.json(),
            Command::Timestamp(c) => c.json(),
            Command::Token(c) => c.json(),
            Command::Wk(c) => c.json(),
            Command::Completions(_) | Command::Man(_) => false,
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print to stdout and succeed; anything else is a usage error.
            let _ = e.print();
            return exit::code(if e.use_stderr() {
                exit::USAGE
            } else {
                exit::SUCCESS
            });
        }
    };
    let json = cli.command.json();
    let status_for: fn(&ezla::Error) -> u8 = match cli.command {
        Command::Zus(_) => zus::status_for,
        Command::Ts(_) | Command::Timestamp(_) => ts::status_for,
        _ => exit::for_error,
    };
    let result = match cli.command {
        Command::Cert(command) => cert::run(command),
        Command::Sign(a) => signature::sign(&a),
        Command::Verify(a) => signature::verify(&a),
        Command::Cms(command) => cms::run(command),
        Command::Ts(command) => ts::run(command),
        Command::Timestamp(command) => timestamp::run(command),
        Command::Kedu(command) => kedu::run(command),
        Command::Zus(command) => zus::run(command),
        Command::Token(command) => token::run(command),
        Command::Wk(command) => wk::run(command),
        Command::Completions(a) => manual::completions(&a),
        Command::Man(a) => manual::man(&a),
    };
    result.unwrap_or_else(|e| {
        if json {
            println!("{}", error_json(&e));
        }
        report(&e);
        exit::code(status_for(&e))
    })
}

/// Prints an error the way every ezla command does.
pub(crate) fn report(e: &ezla::Error) {
    eprintln!("error: {e} (code {})", e.code() as u32);
}

/// An error as every `--json` output carries it: the stable code, its name and family, and
/// the message.
pub(crate) fn error_value(e: &ezla::Error) -> serde_json::Value {
    serde_json::json!({
        "code": e.code() as u32,
        "name": e.code().name(),
        "family": e.family().name(),
        "message": e.to_string(),
    })
}

/// The whole JSON document of a command that failed: `{"error": {...}}`.
pub(crate) fn error_json(e: &ezla::Error) -> String {
    serde_json::to_string_pretty(&serde_json::json!({ "error": error_value(e) }))
        .unwrap_or_default()
}
