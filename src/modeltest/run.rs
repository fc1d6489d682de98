//! Running a loaded test file: every row of every case is scored with the model's nominal
//! parameters and compared with what it expects. A case whose reference table is absent is
//! skipped, or fails where absent tables must fail (under `CI=true`).

use super::compare::compare;
use super::load::{CaseRow, CaseRows, LoadedCase, Suite};
use super::report::{CaseReport, CaseStatus, Difference, FileReport, Item, NodeScore, Shown};
use crate::engine::assess;
use crate::model::Model;

/// How a run treats what is outside the test files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunOptions {
    /// An absent reference table fails its case instead of skipping it: a CI run must
    /// never pass by skipping.
    pub absent_tables_fail: bool,
}

impl RunOptions {
    /// The options continuous integration implies: absent tables fail when `ci` is the
    /// value of the `CI` environment variable and it is `true`.
    pub fn for_ci(ci: Option<&str>) -> Self {
        RunOptions {
            absent_tables_fail: ci == Some("true"),
        }
    }
}

/// Runs every case of a test file.
pub fn run_suite(suite: &Suite, options: RunOptions) -> FileReport {
    FileReport {
        test_file: suite.test_file.clone(),
        model_file: suite.model_file.clone(),
        model_id: suite.model.meta().id.clone(),
        model_version: suite.model.meta().version.to_string(),
        cases: suite
            .cases
            .iter()
            .map(|case| run_case(&suite.model, case, options))
            .collect(),
    }
}

fn run_case(model: &Model, case: &LoadedCase, options: RunOptions) -> CaseReport {
    let mut report = CaseReport {
        name: case.name.clone(),
        defined_at: case.defined_at.clone(),
        status: CaseStatus::Pass,
        rows: 0,
        reason: None,
        differences: Vec::new(),
        groups: Vec::new(),
    };
    let rows = match &case.rows {
        CaseRows::Ready(rows) => rows,
        CaseRows::TableAbsent { reason } => {
            report.status = if options.absent_tables_fail {
                CaseStatus::Fail
            } else {
                CaseStatus::Skip
            };
            report.reason = Some(if options.absent_tables_fail {
                format!("{reason}; absent tables fail under CI=true")
            } else {
                reason.clone()
            });
            return report;
        }
    };
    for row in rows {
        let (differences, groups) = run_row(model, case, row);
        report.differences.extend(differences);
        // Group scores help read a failure of a single case; for tables, the rows say it.
        if row.label.is_none() && !report.differences.is_empty() {
            report.groups = groups;
        }
        report.rows += 1;
    }
    if !report.differences.is_empty() {
        report.status = CaseStatus::Fail;
    }
    report
}

/// One row's differences, and the group scores it gave.
fn run_row(model: &Model, case: &LoadedCase, row: &CaseRow) -> (Vec<Difference>, Vec<NodeScore>) {
    let input = &row.input;
    match assess(model, &input.project, &input.bound, &model.default_params()) {
        Ok(assessment) => {
            let differences = compare(
                &assessment,
                &row.expected,
                case.tolerance,
                row.label.as_deref(),
            );
            let groups = assessment
                .groups
                .iter()
                .map(|g| NodeScore {
                    id: g.id.clone(),
                    score: g.score,
                })
                .collect();
            (differences, groups)
        }
        Err(e) => {
            let message = e
                .diagnostics()
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ");
            let failed = Difference {
                row: row.label.clone(),
                item: Item::Evaluation,
                id: None,
                expected: Shown::Text("a score".to_string()),
                got: Shown::Text(message),
                tolerance: None,
            };
            (vec![failed], Vec::new())
        }
    }
}
