//! Finding the published reference tables that the reference tests reproduce.
//!
//! The tables live in the workspace's `shared/reference/` (not in this repository) and are
//! read in place. The folder is `$VIGIE_REFERENCE_DIR`, else `../shared/reference` beside
//! the checkout. Where a table is absent the test says so and passes, except under
//! `CI=true`, where a missing table fails the run: CI must never pass by skipping.
//! Shared by `tests/reference.rs` and `tests/inform.rs` (included with `#[path]`).

use std::path::PathBuf;

/// The folder holding the reference tables.
pub fn reference_dir() -> PathBuf {
    std::env::var_os("VIGIE_REFERENCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/reference"))
}

/// Reads a reference table, or returns None (skip) when it is absent outside CI.
pub fn read_reference(relative: &str) -> Option<String> {
    let path = reference_dir().join(relative);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) => {
            let in_ci = std::env::var("CI").is_ok_and(|v| v == "true");
            assert!(
                !in_ci,
                "reference table {} is missing under CI=true: {e}",
                path.display()
            );
            eprintln!(
                "SKIPPED: reference table {} not found ({e}); set VIGIE_REFERENCE_DIR",
                path.display()
            );
            None
        }
    }
}
