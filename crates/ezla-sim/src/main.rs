//! `ezla-sim serve --addr 127.0.0.1:PORT --state DIR [--tls] [--zus-path PATH]`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use clap::{Parser, Subcommand};
use ezla_sim::{DEFAULT_ZUS_PATH, ServeOptions};

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
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let Command::Serve {
        addr,
        state,
        tls,
        zus_path,
    } = cli.command;
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
    let sim = match ezla_sim::serve(&options) {
        Ok(sim) => sim,
        Err(e) => {
            eprintln!("ezla-sim: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("ezla-sim: listening on {}", sim.zus_url);
    while !stop.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(50));
    }
    eprintln!("ezla-sim: shutting down");
    sim.server.shutdown_within(Duration::from_secs(2));
    ExitCode::SUCCESS
}
