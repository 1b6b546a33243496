//! Helpers shared by the CLI's integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The `ezla` binary under test.
const EZLA: &str = env!("CARGO_BIN_EXE_ezla");

/// A fresh, empty directory `<target tmp>/<suite>/<name>` for one test.
pub(crate) fn scratch(suite: &str, name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(suite)
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Runs `ezla args…` in `dir` with no terminal on stdin and the extra environment `env`.
pub(crate) fn run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(EZLA)
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("run ezla")
}

/// Runs `ezla args…` like [`run`] and requires success; returns its standard output.
#[allow(dead_code)] // each test binary uses a subset of these helpers
pub(crate) fn ok(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let out = run(dir, args, env);
    assert!(
        out.status.success(),
        "ezla {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// A test CA in `dir/ca` (made once per directory) and a doctor's `.pfx` `file` issued by
/// it with a `key_type` key (`p256`, `rsa2048`), protected with the password in the
/// `EZLA_PFX_PASSWORD` variable of `env`; `extra` adds options (validity, say).
#[allow(dead_code)] // each test binary uses a subset of these helpers
pub(crate) fn test_doctor(
    dir: &Path,
    file: &str,
    key_type: &str,
    extra: &[&str],
    env: &[(&str, &str)],
) {
    if !dir.join("ca/ca.crt").exists() {
        let ca = [
            "cert",
            "test-ca",
            "--out",
            "ca",
            "--not-before",
            "2020-01-01",
            "--days",
            "7300",
        ];
        ok(dir, &ca, env);
    }
    let mut args = vec![
        "cert",
        "test-doctor",
        "--ca",
        "ca",
        "--given-name",
        "Jan",
        "--surname",
        "Kowalski",
        "--pesel",
        "44051401359",
        "--email",
        "jan.kowalski@example.com",
        "-o",
        file,
        "--password-env",
        "EZLA_PFX_PASSWORD",
        "--iterations",
        "2048",
        "--key-type",
        key_type,
    ];
    args.extend_from_slice(extra);
    ok(dir, &args, env);
}

/// Runs an independent tool (openssl, …) in `dir` when it is installed (required when
/// `EZLA_REQUIRE_TOOLS` is set, as in CI): `Some(output)`, or `None` when it is absent.
#[allow(dead_code)] // each test binary uses a subset of these helpers
pub(crate) fn tool(dir: &Path, program: &str, args: &[&str]) -> Option<Output> {
    match Command::new(program).args(args).current_dir(dir).output() {
        Ok(o) => Some(o),
        Err(_) if std::env::var_os("EZLA_REQUIRE_TOOLS").is_none() => {
            println!("NOTICE: {program} not on PATH; skipping its check");
            None
        }
        Err(e) => panic!("{program} is required (EZLA_REQUIRE_TOOLS is set): {e}"),
    }
}
