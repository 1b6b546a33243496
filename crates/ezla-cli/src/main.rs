//! The `ezla` command.

use clap::Parser;

/// ezla: ZUS certificates, e-ZLA documents and XAdES signatures.
#[derive(Parser, Debug)]
#[command(name = "ezla", version, about)]
struct Cli {}

fn main() {
    let _cli = Cli::parse();
}
