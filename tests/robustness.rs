//! No panic on any input: the shipped model and project files, mutated line by line at
//! random (lines dropped or repeated, values replaced by odd ones), go through every
//! reader and, when they still read, through scoring, simulation, sensitivity, the money
//! block, provenance and the canonical fingerprint. Every problem must come back as a
//! located diagnostic, never as a panic; what reads cleanly must score or fail cleanly.

use proptest::prelude::*;
use vigie::{Model, Project, SourceFile};

fn shipped(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// Values that exercise readers' edges: wrong types, non-finite and huge numbers, empty
/// containers, odd words.
const ODD: &[&str] = &[
    "\"\"",
    "\"x\"",
    "-1",
    "0",
    "1e309",
    "-0.0",
    "nan",
    "inf",
    "[]",
    "{}",
    "true",
    "[[0, 1]]",
    "\"draft\"",
    "\"dirichlet\"",
    "1.5",
    "2025-13-40",
    "\"High\"",
    "99999999999999999999",
];

#[derive(Debug, Clone)]
enum Edit {
    Drop(usize),
    Repeat(usize),
    /// Replace what follows the first `=` of a line.
    Value(usize, usize),
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for e in edits {
        if lines.is_empty() {
            break;
        }
        match *e {
            Edit::Drop(i) => {
                let i = i % lines.len();
                lines.remove(i);
            }
            Edit::Repeat(i) => {
                let i = i % lines.len();
                let l = lines[i].clone();
                lines.insert(i, l);
            }
            Edit::Value(i, v) => {
                let i = i % lines.len();
                if let Some(eq) = lines[i].find('=') {
                    let key = lines[i][..eq].to_string();
                    lines[i] = format!("{key}= {}", ODD[v % ODD.len()]);
                }
            }
        }
    }
    lines.join("\n") + "\n"
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    proptest::collection::vec(
        prop_oneof![
            any::<usize>().prop_map(Edit::Drop),
            any::<usize>().prop_map(Edit::Repeat),
            (any::<usize>(), any::<usize>()).prop_map(|(i, v)| Edit::Value(i, v)),
        ],
        1..4,
    )
}

/// Every diagnostic of a file points inside it.
fn located_inside(diags: &[vigie::Diagnostic], text: &str) -> Result<(), TestCaseError> {
    let lines = text.lines().count().max(1);
    for d in diags {
        if let Some(loc) = &d.location {
            prop_assert!(
                loc.line >= 1 && loc.line <= lines + 1,
                "{d:?} outside {lines} lines"
            );
        }
    }
    Ok(())
}

fn exercise(model_text: &str, project_text: &str) -> Result<(), TestCaseError> {
    let model_src = SourceFile::new("m.toml", model_text);
    let (model, diags) = Model::check(&model_src);
    located_inside(&diags, model_text)?;
    let project_src = SourceFile::new("p.toml", project_text);
    let (project, pdiags) = vigie::project::read_project(&project_src);
    located_inside(&pdiags, project_text)?;
    let Some(model) = model else { return Ok(()) };
    let _ = model.canonical_sha256();
    let _ = vigie::provenance::sources(&model, None);
    let Some(project) = project.filter(|_| !vigie::diag::has_errors(&pdiags)) else {
        return Ok(());
    };
    // Security figures are derived from data files the test does not load: give them.
    let (bound, bdiags) = vigie::bind::bind(&model, &project);
    located_inside(&bdiags, project_text)?;
    let Some(bound) = bound else { return Ok(()) };
    let _ = vigie::engine::assess(&model, &project, &bound, &model.default_params());
    let _ = vigie::provenance::sources(&model, Some((&project, &bound)));
    let report = vigie::uncertainty::report::simulate(
        &model,
        &project,
        &bound,
        300,
        1,
        1,
        Default::default(),
    );
    prop_assert_eq!(report.draws, 300);
    let _ = vigie::uncertainty::sensitivity::analyse(
        &model,
        &project,
        &bound,
        Default::default(),
        vigie::uncertainty::sensitivity::Quantity::ExpectedLoss,
        Some(&vigie::sensitivity::SobolConfig::random(64, 1).with_bootstrap(10)),
        None,
    );
    Ok(())
}

/// A TOML text without the tables whose header passes `drop` (up to the next header).
fn without_tables(text: &str, drop: impl Fn(&str) -> bool) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with('[') {
            skipping = drop(t);
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The Sahel model scoring its security pillar from given values: its `derive` tables
/// taken out, so that scoring needs no data files.
fn model_text() -> String {
    without_tables(&shipped("models/sahel-infrastructure.toml"), |h| {
        h.contains(".derive")
    })
}

/// The worked example's project with its derived security figures given as values, so
/// that it binds without its data files.
fn project_text() -> String {
    without_tables(&shipped("models/examples/covec-kayes.toml"), |h| h.starts_with("[project.data]"))
        .replace(
            "[values]",
            "[values]\nattacks_foreign_100km_12m = 3\nfatalities_100km_12m = 2\nviolence_trend = 24\ndistance_to_army_km = 62.9\nregion_level_share = 1",
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_mutated_model_never_panics(e in edits()) {
        exercise(&apply(&model_text(), &e), &project_text())?;
    }

    #[test]
    fn a_mutated_project_never_panics(e in edits()) {
        exercise(&model_text(), &apply(&project_text(), &e))?;
    }
}

/// The unmutated inputs of the properties above score as the worked example does (so the
/// properties exercise scoring, simulation and money, not only reading).
#[test]
fn the_unmutated_inputs_score_as_the_worked_example() {
    let model = Model::from_toml("m.toml", &model_text()).unwrap();
    let project = Project::from_toml("p.toml", &project_text()).unwrap();
    let a = vigie::score(&model, &project).unwrap();
    assert_eq!(a.band.label, "High");
    assert!((a.score - 57.2).abs() < 0.051, "{}", a.score);
    assert!(a.money.is_some());
}
