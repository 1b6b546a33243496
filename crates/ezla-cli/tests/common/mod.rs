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
