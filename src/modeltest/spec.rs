//! What a model test file says, as read: the model it tests, where reference tables live,
//! and each case's inputs and expectations. Nothing here has touched another file yet.

use crate::project::Project;
use crate::toml_read::Sp;

/// How close a computed value must be to the expected one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Tolerance {
    /// `|got - expected| <= tolerance`.
    Absolute(f64),
    /// Both values, rounded to this many decimals as a spreadsheet rounds, are equal: exact
    /// at the precision a figure is published with.
    Decimals(u32),
}

impl Tolerance {
    /// True when `got` matches `expected`.
    pub fn accepts(self, expected: f64, got: f64) -> bool {
        if !expected.is_finite() || !got.is_finite() {
            return false;
        }
        match self {
            // A slack of one part in 10^12 of the values' size keeps a difference that is
            // the tolerance in decimal (57.25 - 57.2) from failing on its binary
            // representation (0.05000000000000071).
            Tolerance::Absolute(t) => {
                (got - expected).abs() <= t + 1e-12 * expected.abs().max(got.abs()).max(1.0)
            }
            Tolerance::Decimals(d) => {
                let d = d as i32;
                crate::rounding::round_half_away(got, d)
                    == crate::rounding::round_half_away(expected, d)
            }
        }
    }

    /// The tolerance in words, for reports: "within 0.05" or "at 3 decimals".
    pub fn describe(self) -> String {
        match self {
            Tolerance::Absolute(t) => format!("within {t}"),
            Tolerance::Decimals(1) => "at 1 decimal".to_string(),
            Tolerance::Decimals(d) => format!("at {d} decimals"),
        }
    }
}

/// The folder reference tables are read from, in place: never copied into the repository.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferenceDir {
    /// The folder, as written: relative to the test file.
    pub dir: Sp<String>,
    /// An environment variable that, when set and not empty, names the folder instead.
    pub env: Option<Sp<String>>,
}

/// Where a case's table is.
#[derive(Debug, Clone, PartialEq)]
pub enum TableLocation {
    /// A file of the repository, relative to the test file: it must exist.
    Path(Sp<String>),
    /// A file under the reference folder: when it is absent the case is skipped (or fails
    /// where absent tables must fail, as under `CI=true`).
    Reference(Sp<String>),
}

/// A table of cases: one case per row, columns mapped to the model's inputs and to the
/// expected outputs.
#[derive(Debug, Clone, PartialEq)]
pub struct TableSpec {
    /// Where the CSV file is.
    pub location: TableLocation,
    /// The column that names each row in reports (default: the first column).
    pub row_name: Option<Sp<String>>,
    /// Model input id, and the column its value is read from.
    pub inputs: Vec<(Sp<String>, Sp<String>)>,
    /// The column holding the expected score.
    pub score: Option<Sp<String>>,
    /// The column holding the expected band label.
    pub band: Option<Sp<String>>,
    /// Node id, and the column holding its expected score.
    pub nodes: Vec<(Sp<String>, Sp<String>)>,
    /// Cell texts that mean "no value" (after trimming spaces).
    pub missing: Vec<String>,
}

/// Where a case's inputs come from.
#[derive(Debug, Clone)]
pub enum CaseInputs {
    /// `[cases.project]` and `[cases.values]`: a project written in the case itself.
    Inline(Box<Project>),
    /// `project_file`: a project file, relative to the test file.
    ProjectFile(Sp<String>),
    /// `[cases.table]`: one case per row; `base` holds the header every row shares.
    Table {
        /// The header facts of every row (from `[cases.project]`, else the defaults).
        base: Box<Project>,
        /// The table.
        table: Box<TableSpec>,
    },
}

/// What a case (not a table) expects, as written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExpectSpec {
    /// The final score.
    pub score: Option<Sp<f64>>,
    /// The final band's label.
    pub band: Option<Sp<String>>,
    /// Rules that must fire.
    pub fires: Option<Vec<Sp<String>>>,
    /// No rule outside `fires` may fire.
    pub fires_only: bool,
    /// Node id and its expected score (after the node's own rounding).
    pub nodes: Vec<(Sp<String>, f64)>,
}

/// One case as written.
#[derive(Debug, Clone)]
pub struct CaseSpec {
    /// Its name, unique in the file.
    pub name: Sp<String>,
    /// 1-based line of its `[[cases]]` header in the test file.
    pub line: usize,
    /// Where its inputs come from.
    pub inputs: CaseInputs,
    /// What it expects (a table case's expectations are its mapped columns).
    pub expect: ExpectSpec,
    /// How close values must be: the case's, else the file's, else the model's decimals.
    pub tolerance: Tolerance,
}

/// A test file as read.
#[derive(Debug, Clone)]
pub struct TestFileSpec {
    /// The model file, as written: relative to the test file.
    pub model: Sp<String>,
    /// Where reference tables are found, if any case reads one.
    pub reference: Option<ReferenceDir>,
    /// The cases, in file order.
    pub cases: Vec<CaseSpec>,
}
