//! Model test results as text: a heading per test file, a PASS, FAIL or SKIP line per case,
//! under each failure what was expected and what the model gave, and a summary line.

use std::fmt::Write;

use vigie::modeltest::report::{CaseReport, CaseStatus, Difference, Item, NodeScore, Report};

use super::ansi;

/// Differences shown under one case; `--format json` lists them all.
pub const SHOWN_DIFFERENCES: usize = 20;

/// Renders a report; `colour` paints the statuses.
pub fn render(report: &Report, colour: bool) -> String {
    let mut out = String::new();
    for file in &report.files {
        let _ = writeln!(
            out,
            "{}: model {} {} ({})",
            file.test_file, file.model_id, file.model_version, file.model_file
        );
        for case in &file.cases {
            case_lines(&mut out, case, colour);
        }
    }
    for model in &report.untested_models {
        let _ = writeln!(out, "no test file: {model}");
    }
    let s = &report.summary;
    let verdict = if report.passed() {
        ansi(colour, "1;32", "ok")
    } else {
        ansi(colour, "1;31", "FAILED")
    };
    let _ = writeln!(
        out,
        "\ntest result: {verdict} · {} passed · {} failed · {} skipped · {} file(s)",
        s.passed, s.failed, s.skipped, s.files
    );
    out
}

fn case_lines(out: &mut String, case: &CaseReport, colour: bool) {
    let status = match case.status {
        CaseStatus::Pass => ansi(colour, "32", "PASS"),
        CaseStatus::Fail => ansi(colour, "1;31", "FAIL"),
        CaseStatus::Skip => ansi(colour, "33", "SKIP"),
    };
    let rows = match case.rows {
        0 | 1 => String::new(),
        n => format!(" ({n} rows)"),
    };
    let _ = writeln!(
        out,
        "  {status}  {}{rows}  [{}]",
        case.name, case.defined_at
    );
    if let Some(reason) = &case.reason {
        let _ = writeln!(out, "        {reason}");
    }
    for d in case.differences.iter().take(SHOWN_DIFFERENCES) {
        let _ = writeln!(out, "        {}", difference(d));
    }
    if case.differences.len() > SHOWN_DIFFERENCES {
        let _ = writeln!(
            out,
            "        … and {} more (--format json lists them all)",
            case.differences.len() - SHOWN_DIFFERENCES
        );
    }
    if !case.groups.is_empty() {
        let _ = writeln!(out, "        groups as scored: {}", groups(&case.groups));
    }
}

/// One difference: "score: expected 57.3, got 57.2 (at 1 decimal)".
fn difference(d: &Difference) -> String {
    let what = match (d.item, &d.id) {
        (Item::Score, _) => "score".to_string(),
        (Item::Band, _) => "band".to_string(),
        (Item::Rule, Some(id)) => format!("rule `{id}`"),
        (Item::Node, Some(id)) => format!("node `{id}`"),
        (Item::Evaluation, _) => "scoring failed".to_string(),
        (_, None) => "?".to_string(),
    };
    let row = d.row.as_ref().map_or(String::new(), |r| format!("{r}: "));
    let tolerance = d
        .tolerance
        .as_ref()
        .map_or(String::new(), |t| format!(" ({t})"));
    if d.item == Item::Evaluation {
        return format!("{row}{what}: {}", d.got);
    }
    format!(
        "{row}{what}: expected {}, got {}{tolerance}",
        d.expected, d.got
    )
}

fn groups(groups: &[NodeScore]) -> String {
    groups
        .iter()
        .map(|g| match g.score {
            Some(x) => format!("{} {x}", g.id),
            None => format!("{} left out", g.id),
        })
        .collect::<Vec<_>>()
        .join(" · ")
}
