//! Where the tests find the shared third-party vectors: one answer for the unit tests of
//! `ezla` (`crates/ezla/src/test_support.rs`), its integration tests
//! (`crates/ezla/tests/common`) and the interop tests (`tests/support`).

use std::path::{Path, PathBuf};

/// `../shared/vectors` beside the repository, or `$EZLA_VECTORS`; `None` (with a printed
/// notice) when absent, so that tests skip rather than fail outside CI.
pub fn vectors_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("EZLA_VECTORS") {
        Some(dir) => PathBuf::from(dir),
        // This crate is tests/vectors: three levels up is the repository's parent.
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors"),
    };
    if dir.is_dir() {
        Some(dir)
    } else {
        println!(
            "NOTICE: third-party vectors not found at {}; skipping (set EZLA_VECTORS)",
            dir.display()
        );
        None
    }
}
