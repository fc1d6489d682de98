//! The results of model tests, as data: one report per test file, one line per case, and
//! for a failure every difference between what the case expects and what the model gave.
//! Serialisable, so `vigie test --format json` prints exactly this.

use serde::{Serialize, Serializer};

/// Whether a case held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CaseStatus {
    /// Every expectation held, on every row.
    Pass,
    /// Some expectation did not hold, or the case could not be scored.
    Fail,
    /// The case's reference table is absent (and absent tables do not fail this run).
    Skip,
}

/// A value as expected or as obtained.
#[derive(Debug, Clone, PartialEq)]
pub enum Shown {
    /// A number (a score).
    Number(f64),
    /// A word: a band label, a rule's state, an error.
    Text(String),
    /// No value: a node left out.
    Absent,
}

impl Serialize for Shown {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Shown::Number(x) if x.is_finite() => s.serialize_f64(*x),
            Shown::Text(t) => s.serialize_str(t),
            _ => s.serialize_none(),
        }
    }
}

impl std::fmt::Display for Shown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Shown::Number(x) => write!(f, "{x}"),
            Shown::Text(t) => write!(f, "{t}"),
            Shown::Absent => f.write_str("no value"),
        }
    }
}

/// What a difference is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Item {
    /// The final score.
    Score,
    /// The final band.
    Band,
    /// A rule's state.
    Rule,
    /// An indicator's or group's score.
    Node,
    /// The model could not score the case at all.
    Evaluation,
}

/// One expectation that did not hold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    /// The table row, for a table case: its name and line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<String>,
    /// What differs.
    pub item: Item,
    /// The rule's or node's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// What the case expects.
    pub expected: Shown,
    /// What the model gave.
    pub got: Shown,
    /// How close numbers had to be ("within 0.05", "at 1 decimal").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<String>,
}

/// A group's score as the model gave it, shown beside a failure to help find its cause.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeScore {
    /// Group id.
    pub id: String,
    /// Its score; `None` when left out.
    pub score: Option<f64>,
}

/// One case's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseReport {
    /// The case's name.
    pub name: String,
    /// Where the case is written, `file:line`.
    pub defined_at: String,
    /// Pass, fail or skip.
    pub status: CaseStatus,
    /// Rows scored (1 for a case that is not a table; 0 when skipped).
    pub rows: usize,
    /// Why it was skipped, or why it failed without differences (a missing table under CI).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Every expectation that did not hold.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub differences: Vec<Difference>,
    /// For a failed case that is not a table: every group's score as obtained.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<NodeScore>,
}

/// The results of one test file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileReport {
    /// The test file, as named.
    pub test_file: String,
    /// The model file it tests, as named.
    pub model_file: String,
    /// The model's id.
    pub model_id: String,
    /// The model's version.
    pub model_version: String,
    /// One entry per case, in file order.
    pub cases: Vec<CaseReport>,
}

/// Counts of cases by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Test files run.
    pub files: usize,
    /// Cases that passed.
    pub passed: usize,
    /// Cases that failed.
    pub failed: usize,
    /// Cases skipped.
    pub skipped: usize,
}

/// Everything a run of model tests found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// One report per test file, in the order found.
    pub files: Vec<FileReport>,
    /// Model files found under the paths given that have no test file beside them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub untested_models: Vec<String>,
    /// Counts.
    pub summary: Summary,
}

impl Report {
    /// Builds the report and its counts.
    pub fn new(files: Vec<FileReport>, untested_models: Vec<String>) -> Self {
        let mut summary = Summary {
            files: files.len(),
            ..Summary::default()
        };
        for case in files.iter().flat_map(|f| &f.cases) {
            match case.status {
                CaseStatus::Pass => summary.passed += 1,
                CaseStatus::Fail => summary.failed += 1,
                CaseStatus::Skip => summary.skipped += 1,
            }
        }
        Report {
            files,
            untested_models,
            summary,
        }
    }

    /// True when no case failed.
    pub fn passed(&self) -> bool {
        self.summary.failed == 0
    }
}
