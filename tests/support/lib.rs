//! Helpers shared by the interop tests: where the third-party vectors live, running the
//! independent tools, and scratch directories.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The shared third-party corpus (`../shared/vectors` beside the repository, or
/// `$EZLA_VECTORS`). `None`, with a printed notice, when it is absent.
pub use ezla_vectors::vectors_dir;

/// Whether `tool` is on `PATH`. Interop tests fail (not skip) when a tool is missing and
/// `EZLA_REQUIRE_TOOLS=1` is set, as it is in CI.
pub fn have_tool(tool: &str) -> bool {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !found {
        if std::env::var_os("EZLA_REQUIRE_TOOLS").is_some() {
            panic!("{tool} is required (EZLA_REQUIRE_TOOLS is set) but not on PATH");
        }
        println!("NOTICE: {tool} not on PATH; skipping");
    }
    found
}

/// Runs a command and returns its output, panicking with the command line if it cannot start.
pub fn run(cmd: &mut Command) -> Output {
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"))
}

/// A fresh scratch directory under the target directory, removed and recreated.
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../target/test-scratch")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    dir
}

/// The Python interpreter of the project's venv (`.venv/bin/python`, created by
/// `scripts/setup-debian.sh`), or `$EZLA_PYTHON`.
pub fn python() -> Option<PathBuf> {
    let p = match std::env::var_os("EZLA_PYTHON") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/python"),
    };
    if p.exists() {
        Some(p)
    } else {
        if std::env::var_os("EZLA_REQUIRE_TOOLS").is_some() {
            panic!("{} is required (EZLA_REQUIRE_TOOLS is set)", p.display());
        }
        println!("NOTICE: {} not found; skipping", p.display());
        None
    }
}

/// Runs a command, panicking with its output unless it succeeds; returns stdout.
pub fn run_ok(cmd: &mut Command) -> String {
    let out = run(cmd);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        panic!(
            "{cmd:?} failed ({}):\n{stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    stdout
}

/// A PEM block (64-column base64).
pub fn pem(label: &str, der: &[u8]) -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or(""));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// The tools folder of the interop tests.
pub fn tools_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tools")
}

/// SoftHSM2 test tokens made by `tools/softhsm-tokens.sh` (see there for what is on them).
#[derive(Clone, Debug)]
pub struct SoftHsm {
    /// The directory with `softhsm2.conf`, the tokens and the certificates (`rsa.crt.pem`, ...).
    pub dir: PathBuf,
    /// The SoftHSM2 module.
    pub module: PathBuf,
}

impl SoftHsm {
    /// The user PIN of both tokens.
    pub const PIN: &'static str = "1234";
}

/// Runs the PKCS#11 test `test` (its name as the harness knows it, e.g. `signs_on_softhsm`)
/// with fresh SoftHSM2 tokens.
///
/// SoftHSM reads `SOFTHSM2_CONF` when a process first initialises it, so each such test runs
/// in a child process of the test binary with the variable set (the parent makes the tokens
/// and checks the child passed). Skips with a notice when SoftHSM2, pkcs11-tool or openssl
/// is missing, unless `EZLA_REQUIRE_TOOLS` is set.
pub fn with_softhsm(test: &str, body: impl FnOnce(&SoftHsm)) {
    if let Some(dir) = std::env::var_os("EZLA_SOFTHSM_DIR") {
        let module = std::env::var_os("EZLA_SOFTHSM_MODULE").map(PathBuf::from);
        body(&SoftHsm {
            dir: PathBuf::from(dir),
            module: module.unwrap_or_else(|| PathBuf::from(SOFTHSM_MODULE)),
        });
        return;
    }
    let Some(hsm) = softhsm_tokens(test) else {
        return;
    };
    let exe = std::env::current_exe().expect("test binary");
    let out = run(Command::new(exe)
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env("SOFTHSM2_CONF", hsm.dir.join("softhsm2.conf"))
        .env("EZLA_SOFTHSM_DIR", &hsm.dir)
        .env("EZLA_SOFTHSM_MODULE", &hsm.module));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "the SoftHSM child of {test} failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
}

/// Where Debian installs SoftHSM2's module (`$SOFTHSM2_MODULE` overrides it).
pub const SOFTHSM_MODULE: &str = "/usr/lib/softhsm/libsofthsm2.so";

/// Makes fresh SoftHSM2 tokens in a scratch directory named after `name`; `None` (with a
/// notice) when the tools are missing and `EZLA_REQUIRE_TOOLS` is not set.
pub fn softhsm_tokens(name: &str) -> Option<SoftHsm> {
    let module =
        PathBuf::from(std::env::var_os("SOFTHSM2_MODULE").unwrap_or_else(|| SOFTHSM_MODULE.into()));
    for tool in ["softhsm2-util", "pkcs11-tool", "openssl"] {
        if !have_tool(tool) {
            return None;
        }
    }
    if !module.exists() {
        if std::env::var_os("EZLA_REQUIRE_TOOLS").is_some() {
            panic!(
                "{} is required (EZLA_REQUIRE_TOOLS is set)",
                module.display()
            );
        }
        println!("NOTICE: {} not found; skipping", module.display());
        return None;
    }
    let dir = scratch_dir(&format!("softhsm-{name}"));
    run_ok(
        Command::new("bash")
            .arg(tools_dir().join("softhsm-tokens.sh"))
            .arg(&dir)
            .env("SOFTHSM2_MODULE", &module),
    );
    Some(SoftHsm { dir, module })
}

/// The PIN-lockout module (`tools/pkcs11-lockout.c`) in front of `hsm`'s SoftHSM, compiled
/// into `hsm.dir`: SoftHSM2 never locks a PIN, this gives it a card's retry counter (three
/// wrong PINs in a row lock it). `None`, with a notice, without `cc` or the p11-kit header,
/// unless `EZLA_REQUIRE_TOOLS` is set.
pub fn pkcs11_lockout_module(hsm: &SoftHsm) -> Option<PathBuf> {
    const HEADERS: &str = "/usr/include/p11-kit-1";
    if !have_tool("cc") {
        return None;
    }
    if !Path::new(HEADERS).join("p11-kit/pkcs11.h").exists() {
        if std::env::var_os("EZLA_REQUIRE_TOOLS").is_some() {
            panic!(
                "{HEADERS}/p11-kit/pkcs11.h (libp11-kit-dev) is required (EZLA_REQUIRE_TOOLS is set)"
            );
        }
        println!("NOTICE: {HEADERS}/p11-kit/pkcs11.h (libp11-kit-dev) not found; skipping");
        return None;
    }
    let out = hsm.dir.join("liblockout.so");
    let target = format!("-DTARGET_MODULE=\"{}\"", hsm.module.display());
    run_ok(
        Command::new("cc")
            .args(["-shared", "-fPIC", "-Wall", "-Wextra", "-Werror"])
            .arg(target)
            .arg(format!("-I{HEADERS}"))
            .arg("-o")
            .arg(&out)
            .arg(tools_dir().join("pkcs11-lockout.c"))
            .arg("-ldl"),
    );
    Some(out)
}
