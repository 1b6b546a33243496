//! `ezla completions` and `ezla man`: shell completions and manual pages generated from the
//! same clap definitions as the command line itself, so they cannot drift from it.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory};
use clap_complete::Shell;
use ezla::{Error, Result};

use crate::Cli;

/// Options of `ezla completions`.
#[derive(Args, Debug)]
pub(crate) struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: Shell,
}

/// Options of `ezla man`.
#[derive(Args, Debug)]
pub(crate) struct ManArgs {
    /// The directory to write one page per command into (`ezla.1`, `ezla-cert.1`,
    /// `ezla-cert-info.1`, …; created if missing). Without it, `ezla.1` goes to standard output.
    #[arg(short, long, value_name = "DIR")]
    out: Option<PathBuf>,
}

/// Prints the completion script for a shell.
pub(crate) fn completions(a: &CompletionsArgs) -> Result<ExitCode> {
    let mut command = Cli::command();
    let mut out = std::io::stdout().lock();
    clap_complete::generate(a.shell, &mut command, "ezla", &mut out);
    out.flush()?;
    Ok(crate::exit::code(crate::exit::SUCCESS))
}

/// Writes the manual pages.
pub(crate) fn man(a: &ManArgs) -> Result<ExitCode> {
    let command = Cli::command();
    match &a.out {
        None => {
            let mut out = std::io::stdout().lock();
            clap_mangen::Man::new(command).render(&mut out)?;
            out.flush()?;
        }
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            clap_mangen::generate_to(command, dir).map_err(|e| Error::io(dir, e))?;
            eprintln!("wrote the manual pages into {}", dir.display());
        }
    }
    Ok(crate::exit::code(crate::exit::SUCCESS))
}
