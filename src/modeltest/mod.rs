//! Model tests: reference cases that pin down what a model must give. A model file's cases
//! live beside it in `tests/<model stem>.toml`; each case gives inputs (written in the case,
//! a project file, or a CSV table with one case per row) and expects a score, a band, rules
//! that fire, or node scores, within a tolerance. The format is documented in
//! `docs/model-format.md`, "Model test files".
//!
//! Loading ([`load_all`]) reads every test file and everything it names and reports every
//! problem as located diagnostics; running ([`run_all`]) only scores and compares, and
//! returns the results as data ([`Report`]) for the caller to render.

pub mod compare;
pub mod discover;
mod files;
pub mod inputs;
pub mod load;
pub mod paths;
pub mod read;
pub mod report;
pub mod run;
pub mod spec;
pub mod table;

use std::path::PathBuf;

pub use discover::{Found, discover};
pub use load::{Env, Loaded, Suite, load_file, load_source};
pub use paths::test_file_of;
pub use report::{CaseReport, CaseStatus, Difference, FileReport, Report, Summary};
pub use run::{RunOptions, run_suite};

use crate::diag::{Code, Diagnostic, SourceFile, has_errors};

/// Every test file under some paths, loaded.
#[derive(Debug, Default)]
pub struct LoadedAll {
    /// The test files, ready to run (only when no file has an error).
    pub suites: Vec<Suite>,
    /// Model files found in folders without a test file.
    pub untested_models: Vec<String>,
    /// Every problem found (warnings too); any error means nothing should run.
    pub diagnostics: Vec<Diagnostic>,
    /// The files read, so that diagnostics can show their lines.
    pub sources: Vec<SourceFile>,
}

impl LoadedAll {
    /// True when some file has an error.
    pub fn has_errors(&self) -> bool {
        has_errors(&self.diagnostics)
    }
}

/// Finds and loads every test file under `paths`. Reference folders named by environment
/// variables are looked up in `env`.
pub fn load_all(paths: &[PathBuf], env: Env<'_>) -> LoadedAll {
    let found = discover(paths);
    let mut all = LoadedAll {
        untested_models: found
            .untested_models
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        diagnostics: found.problems,
        ..LoadedAll::default()
    };
    if found.test_files.is_empty() && all.diagnostics.is_empty() {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        all.diagnostics.push(Diagnostic::new(
            Code::TestFileTarget,
            format!(
                "no model test file found under {} (test files are the .toml files of `{}` folders)",
                shown.join(", "),
                discover::TESTS_FOLDER
            ),
        ));
    }
    for path in &found.test_files {
        let loaded = load_file(path, env);
        all.diagnostics.extend(loaded.diagnostics);
        all.sources.extend(loaded.sources);
        all.suites.extend(loaded.suite);
    }
    if all.has_errors() {
        all.suites.clear();
    }
    all
}

/// Runs every loaded test file.
pub fn run_all(all: &LoadedAll, options: RunOptions) -> Report {
    let files = all.suites.iter().map(|s| run_suite(s, options)).collect();
    Report::new(files, all.untested_models.clone())
}
