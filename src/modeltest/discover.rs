//! Finding model test files under the paths a user gives: in a folder, every `.toml` file
//! in a folder named `tests` (hidden folders are skipped); a model file given directly
//! stands for its test file, `<model folder>/tests/<model stem>.toml`; any other file is
//! taken as a test file. Models found in a folder without a test file are listed.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::files::read_regular;
use super::paths::test_file_of;
use crate::diag::{Code, Diagnostic, SourceFile};
use toml::de::DeValue;

use crate::toml_read::{FileKind, parse_document};

/// The folder name that holds test files.
pub const TESTS_FOLDER: &str = "tests";

/// What was found.
#[derive(Debug, Default)]
pub struct Found {
    /// Test files, each once, in the order found (folders walked in name order).
    pub test_files: Vec<PathBuf>,
    /// Model files found in a folder that have no test file beside them.
    pub untested_models: Vec<PathBuf>,
    /// Paths that cannot be used: absent, or a model without a test file.
    pub problems: Vec<Diagnostic>,
}

/// Finds the test files under `paths`.
pub fn discover(paths: &[PathBuf]) -> Found {
    let mut found = Found::default();
    let mut walked = HashSet::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut found, &mut walked);
        } else if !path.exists() {
            found.problems.push(Diagnostic::new(
                Code::TestFileTarget,
                format!("{} does not exist", path.display()),
            ));
        } else if is_model(path) {
            let test_file = test_file_of(path);
            if test_file.is_file() {
                add(&mut found.test_files, test_file);
            } else {
                found.problems.push(Diagnostic::new(
                    Code::TestFileTarget,
                    format!(
                        "model {} has no test file: {} does not exist",
                        path.display(),
                        test_file.display()
                    ),
                ));
            }
        } else {
            add(&mut found.test_files, path.clone());
        }
    }
    found
}

/// Walks `dir` in name order. `walked` holds the folders already walked (resolved), so a
/// symbolic link back up the tree (`models/loop -> ..`) is walked once, not until the path
/// grows too long, and a folder linked twice is not run twice.
fn walk(dir: &Path, found: &mut Found, walked: &mut HashSet<PathBuf>) {
    if !walked.insert(dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf())) {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        found.problems.push(Diagnostic::new(
            Code::TestFileTarget,
            format!("cannot read folder {}", dir.display()),
        ));
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    let in_tests = dir.file_name().is_some_and(|n| n == TESTS_FOLDER);
    for path in paths {
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            walk(&path, found, walked);
        } else if path.extension().is_some_and(|e| e == "toml") {
            if in_tests {
                add(&mut found.test_files, path);
            } else if is_model(&path) && !test_file_of(&path).is_file() {
                found.untested_models.push(path);
            }
        }
    }
}

/// True when the file reads as a model file: it has a `[model]` table (a test file's
/// `model` key is a string).
fn is_model(path: &Path) -> bool {
    let Some(text) = read_regular(path)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
    else {
        return false;
    };
    let src = SourceFile::new(path.display().to_string(), text);
    let (doc, syntax) = parse_document(&src);
    let model_table = doc
        .get_ref()
        .get(FileKind::Model.marker())
        .is_some_and(|v| matches!(v.get_ref(), DeValue::Table(_)));
    syntax.is_empty() && model_table
}

/// Adds a path unless the same file is already listed.
fn add(list: &mut Vec<PathBuf>, path: PathBuf) {
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    };
    if !list.iter().any(|p| same(p, &path)) {
        list.push(path);
    }
}
