//! `ezla kedu …`: write e-ZLA documents from their JSON form, and check KEDU ZLA documents.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use ezla::kedu::{Problem, Program, Validation, Wariant, WriteOptions, Zla};
use ezla::{Error, Result};

use crate::files::{read_file, write_file};
use serde_json::json;
use time::Date;

#[derive(Subcommand, Debug)]
pub(crate) enum KeduCommand {
    /// Write the ORYGINAŁ and the KOPIA of a certificate from its JSON form (see
    /// `docs/kedu.md`). Input with errors is refused with the list of every problem.
    /// Exit status: 0 written (warnings are printed), 1 refused (the document breaks a rule),
    /// 3 failed (unreadable or malformed JSON, a file that cannot be written), 64 usage.
    New(NewArgs),
    /// Check a KEDU ZLA document (ORYGINAŁ or KOPIA, signed or not). Exit status: 0 no
    /// errors (warnings are printed), 1 errors or not an e-ZLA document, 3 unreadable file,
    /// 64 usage.
    Check(CheckArgs),
}

/// Options of `kedu new`.
#[derive(Args, Debug)]
pub(crate) struct NewArgs {
    /// The certificate in its JSON form.
    input: PathBuf,
    /// The directory to write `<name>.oryginal.xml` and `<name>.kopia.xml` to (created if
    /// missing; `<name>` is the input's file stem).
    #[arg(short = 'o', long = "out", value_name = "DIR")]
    out: PathBuf,
    /// Program header: producer (`naglowek.KEDU/program/producent`).
    #[arg(long, default_value_t = Program::default().producent)]
    producent: String,
    /// Program header: symbol.
    #[arg(long, default_value_t = Program::default().symbol)]
    symbol: String,
    /// Program header: version.
    #[arg(long, default_value_t = Program::default().wersja)]
    wersja: String,
    #[command(flatten)]
    today: Today,
    /// Overwrite existing files.
    #[arg(long)]
    force: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// Options of `kedu check`.
#[derive(Args, Debug)]
pub(crate) struct CheckArgs {
    /// The KEDU ZLA document.
    file: PathBuf,
    #[command(flatten)]
    today: Today,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// The day dates are judged against.
#[derive(Args, Debug)]
pub(crate) struct Today {
    /// Judge dates as on this day (YYYY-MM-DD) instead of today (in Poland).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    today: Option<Date>,
}

impl Today {
    fn date(&self) -> Date {
        self.today.unwrap_or_else(ezla::pl::czas::today)
    }
}

fn parse_date(s: &str) -> std::result::Result<Date, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s, &format).map_err(|_| format!("`{s}` is not a date (YYYY-MM-DD)"))
}

/// Runs a `kedu` command.
impl KeduCommand {
    /// Whether JSON output was asked for.
    pub(crate) fn json(&self) -> bool {
        match self {
            KeduCommand::New(a) => a.json,
            KeduCommand::Check(a) => a.json,
        }
    }
}

pub(crate) fn run(command: KeduCommand) -> Result<ExitCode> {
    match command {
        KeduCommand::New(a) => new(&a),
        KeduCommand::Check(a) => Ok(check(&a)),
    }
}

fn problems_text(problems: &[Problem]) -> String {
    problems.iter().map(|p| format!("{p}\n")).collect()
}

fn counts(v: &Validation) -> (usize, usize) {
    (v.errors().len(), v.warnings().len())
}

fn new(a: &NewArgs) -> Result<ExitCode> {
    let data = read_file(&a.input)?;
    let text = std::str::from_utf8(&data).map_err(|_| Error::InvalidUtf8 { what: "the input" })?;
    let zla = Zla::from_json(text)?;
    let today = a.today.date();
    let validation = zla.validate(today);
    let stem = a
        .input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "zla".to_owned());
    let paths = [
        (
            Wariant::Oryginal,
            a.out.join(format!("{stem}.oryginal.xml")),
        ),
        (Wariant::Kopia, a.out.join(format!("{stem}.kopia.xml"))),
    ];
    if !validation.is_valid() {
        let (errors, warnings) = counts(&validation);
        if a.json {
            let v = json!({
                "input": a.input.display().to_string(),
                "valid": false,
                "errors": errors,
                "warnings": warnings,
                "problems": validation.problems,
            });
            println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        } else {
            eprint!("{}", problems_text(&validation.problems));
            eprintln!(
                "error: {}: {errors} error(s), {warnings} warning(s); nothing written (code {})",
                a.input.display(),
                ezla::ErrorCode::DocumentInvalid as u32
            );
        }
        return Ok(crate::exit::code(crate::exit::NEGATIVE));
    }
    let options = WriteOptions::default()
        .with_today(today)
        .with_program(Program {
            producent: a.producent.clone(),
            symbol: a.symbol.clone(),
            wersja: a.wersja.clone(),
        });
    // Both documents are made before either is written, so that nothing half-done is left.
    let mut documents = Vec::with_capacity(2);
    for (wariant, path) in &paths {
        documents.push((path, zla.to_xml(*wariant, &options)?));
    }
    std::fs::create_dir_all(&a.out).map_err(|e| Error::io(&a.out, e))?;
    for (path, xml) in &documents {
        write_file(path, xml, a.force, false)?;
    }
    let (errors, warnings) = counts(&validation);
    if a.json {
        let v = json!({
            "input": a.input.display().to_string(),
            "valid": true,
            "errors": errors,
            "warnings": warnings,
            "problems": validation.problems,
            "files": {
                "oryginal": paths[0].1.display().to_string(),
                "kopia": paths[1].1.display().to_string(),
            },
        });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        eprint!("{}", problems_text(&validation.problems));
        for (wariant, path) in &paths {
            println!("{wariant}: {}", path.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `kedu check`'s status for a document it could not judge: a file it cannot read is an
/// error (3); XML that is not a KEDU document of a known shape is refused (1).
fn unreadable_status(e: &Error) -> u8 {
    match e.family() {
        ezla::error::ErrorFamily::Io => crate::exit::ERROR,
        ezla::error::ErrorFamily::Usage => crate::exit::for_error(e),
        _ => crate::exit::NEGATIVE,
    }
}

fn check(a: &CheckArgs) -> ExitCode {
    let result = read_file(&a.file).and_then(|data| {
        let d = Zla::read_xml(&data)?;
        Ok((d.wariant, ezla::kedu::check(&data, a.today.date())?))
    });
    let (wariant, validation) = match result {
        Ok(r) => r,
        Err(e) => {
            if a.json {
                let v = json!({
                    "file": a.file.display().to_string(),
                    "valid": false,
                    "error": crate::error_value(&e),
                    "exit_status": unreadable_status(&e),
                });
                println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
            }
            crate::report(&e);
            return crate::exit::code(unreadable_status(&e));
        }
    };
    let (errors, warnings) = counts(&validation);
    let status = if validation.is_valid() { 0 } else { 1 };
    if a.json {
        let v = json!({
            "file": a.file.display().to_string(),
            "wariant": wariant,
            "valid": validation.is_valid(),
            "errors": errors,
            "warnings": warnings,
            "problems": validation.problems,
            "exit_status": status,
        });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        print!("{}", problems_text(&validation.problems));
        println!(
            "{}: {wariant}, {}: {errors} error(s), {warnings} warning(s)",
            a.file.display(),
            if validation.is_valid() {
                "valid"
            } else {
                "invalid"
            }
        );
    }
    ExitCode::from(status)
}
