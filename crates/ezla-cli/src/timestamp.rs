//! `ezla timestamp add`: a signature time-stamp for an existing signature — XAdES-T for a
//! signed XML document, CAdES-T for a CMS signature — without touching its signed bytes.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use ezla::{Error, Result, tsp, xades};

use crate::files::{read_input, write_file};

/// `ezla timestamp` subcommands.
#[derive(Subcommand, Debug)]
pub(crate) enum TimestampCommand {
    /// Add a signature time-stamp from a TSA to a signed XML document (XAdES-T) or a CMS
    /// signature (CAdES-T). Exit status: 0 added, 1 the TSA refused or its token does not
    /// fit, 3 could not do the job (network, TLS, files, not a signature), 64 usage.
    Add(AddArgs),
}

impl TimestampCommand {
    /// Whether JSON output was asked for.
    pub(crate) fn json(&self) -> bool {
        match self {
            TimestampCommand::Add(a) => a.json,
        }
    }
}

/// Options of `ezla timestamp add`.
#[derive(Args, Debug)]
pub(crate) struct AddArgs {
    /// The signed XML document or the CMS signature (`.p7s`, DER or PEM), or `-`.
    #[arg(value_name = "SIGNED")]
    input: PathBuf,
    /// Where to write the time-stamped signature, or `-` for standard output (CMS is
    /// written as DER).
    #[arg(short, long, value_name = "FILE")]
    out: PathBuf,
    #[command(flatten)]
    tsa: crate::ts::TsaOptions,
    /// Overwrite an existing output file.
    #[arg(long)]
    force: bool,
    /// Print JSON: `{"input", "output", "kind": "XAdES-T"|"CAdES-T", "tsa_url", "bytes"}`.
    #[arg(long)]
    json: bool,
}

/// Runs an `ezla timestamp` command.
pub(crate) fn run(command: TimestampCommand) -> Result<ExitCode> {
    match command {
        TimestampCommand::Add(a) => add(&a),
    }
}

fn add(a: &AddArgs) -> Result<ExitCode> {
    let stdout = a.out == std::path::Path::new("-");
    if a.json && stdout {
        return Err(Error::invalid_argument(
            "--json",
            "standard output is the signature with `-o -`; write it to a file to get JSON",
        ));
    }
    if !a.force && !stdout && a.out.exists() {
        return Err(Error::invalid_argument(
            "output",
            format!("{} exists (use --force to overwrite)", a.out.display()),
        ));
    }
    let Some(client) = a.tsa.client()? else {
        return Err(Error::invalid_argument(
            "--tsa",
            "the TSA's URL is required",
        ));
    };
    let input = read_input(&a.input)?;
    // XML (a signed document) starts with `<` after any BOM and whitespace; anything else
    // is read as CMS.
    let text_start = input
        .strip_prefix(b"\xef\xbb\xbf")
        .unwrap_or(&input)
        .iter()
        .find(|b| !b.is_ascii_whitespace());
    let xml = text_start == Some(&b'<');
    let (kind, out) = if xml {
        ("XAdES-T", xades::add_timestamp(&input, &client)?)
    } else {
        ("CAdES-T", tsp::cades::add_timestamp(&input, &client)?)
    };
    if stdout {
        use std::io::Write as _;
        let mut w = std::io::stdout().lock();
        w.write_all(&out)
            .and_then(|()| w.flush())
            .map_err(|e| Error::io(&a.out, e))?;
        return Ok(ExitCode::SUCCESS);
    }
    write_file(&a.out, &out, a.force, false)?;
    if a.json {
        let v = serde_json::json!({
            "input": a.input.display().to_string(),
            "output": a.out.display().to_string(),
            "kind": kind,
            "tsa_url": client.url(),
            "bytes": out.len(),
        });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        eprintln!(
            "time-stamped {} ({kind}, TSA {}) -> {}",
            a.input.display(),
            client.url(),
            a.out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
