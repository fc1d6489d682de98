//! No panic on any input: the shipped model and project files, mutated line by line at
//! random (lines dropped or repeated, values replaced by odd ones), go through every
//! reader and, when they still read, through scoring, simulation, sensitivity, the money
//! block, provenance and the canonical fingerprint. Every problem must come back as a
//! located diagnostic, never as a panic; what reads cleanly must score or fail cleanly.
//!
//! Every shipped and template model is mutated, not only one, and so is every node a
//! formula or rule names, in the ways users break a table (an unknown key, a value of the
//! wrong type, a bad word, a required key removed, the id used twice, a typo in the id, the
//! table removed): a node that failed to read once stood in formulas as an index out of
//! bounds, and `check`, `score`, `explain`, `fingerprint`, `diff` and `test` panicked on
//! the template and on the INFORM model. Each mutant goes through every library path of
//! those commands.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use vigie::derive::{EventData, PositionData};
use vigie::expr::Operand;
use vigie::model::Aggregation;
use vigie::{Diagnostic, Model, Project, SourceFile};

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

// ---------------------------------------------------------------------------------------------
// Every shipped model, and every node a formula or rule names.

/// A shipped model with the files its commands read beside it.
struct Shipped {
    /// The model, from the repository root.
    model: &'static str,
    /// A project it scores (`score`, `diff --projects`); its data files are the data pack's.
    project: Option<&'static str>,
    /// Its model test file (`test`).
    test_file: &'static str,
}

const SHIPPED: &[Shipped] = &[
    Shipped {
        model: "models/sahel-infrastructure.toml",
        project: Some("models/examples/covec-kayes.toml"),
        test_file: "models/tests/sahel-infrastructure.toml",
    },
    Shipped {
        model: "models/history/sahel-infrastructure-1.1.0.toml",
        project: Some("models/examples/covec-kayes.toml"),
        test_file: "models/history/tests/sahel-infrastructure-1.1.0.toml",
    },
    Shipped {
        model: "models/hdi.toml",
        project: None,
        test_file: "models/tests/hdi.toml",
    },
    Shipped {
        model: "models/inform-sahel.toml",
        project: None,
        test_file: "models/tests/inform-sahel.toml",
    },
    Shipped {
        model: "models/template/model.toml",
        project: Some("models/template/project.toml"),
        test_file: "models/template/tests/model.toml",
    },
];

/// The project files the mutations of projects start from.
const PROJECTS: &[&str] = &[
    "models/examples/covec-kayes.toml",
    "models/template/project.toml",
];

/// Which table of a model defines a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Section {
    Indicators,
    Groups,
    Inputs,
}

impl Section {
    fn name(self) -> &'static str {
        match self {
            Section::Indicators => "indicators",
            Section::Groups => "groups",
            Section::Inputs => "inputs",
        }
    }
}

/// How a node's table is broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Break {
    /// A key the table does not know.
    UnknownKey,
    /// A required key given a value of the wrong type.
    WrongType,
    /// A word that is not one of those allowed (`direction`, `aggregation`).
    BadWord,
    /// A required key removed (`direction`, `children`; an input's whole table).
    RequiredKeyRemoved,
    /// The id defined a second time, in another section.
    DuplicateId,
    /// A typo in the id where it is defined (its references keep the old spelling).
    TypoInId,
    /// An out-of-range value (`round = 99`).
    BadValue,
    /// A number beyond the model's range (`round` replaced, a weight of 1e308).
    HugeNumber,
}

const BREAKS: &[Break] = &[
    Break::UnknownKey,
    Break::WrongType,
    Break::BadWord,
    Break::RequiredKeyRemoved,
    Break::DuplicateId,
    Break::TypoInId,
    Break::BadValue,
    Break::HugeNumber,
];

/// Every node of a compiled model, by section and id.
fn all_nodes(model: &Model) -> Vec<(Section, String)> {
    let ind = model
        .indicators()
        .iter()
        .map(|i| (Section::Indicators, i.id.clone()));
    let grp = model
        .groups()
        .iter()
        .map(|g| (Section::Groups, g.id.clone()));
    let inp = model
        .aux_inputs()
        .iter()
        .map(|a| (Section::Inputs, a.id.clone()));
    ind.chain(grp).chain(inp).collect()
}

/// The nodes that a group formula or a rule names (as a node score or as `raw.<id>`).
fn named_nodes(model: &Model) -> BTreeSet<(Section, String)> {
    let formulas = model.groups().iter().filter_map(|g| match &g.aggregation {
        Aggregation::Formula(e) => Some(e),
        _ => None,
    });
    let exprs = formulas.chain(model.rules().iter().map(|r| &r.when));
    let n_ind = model.indicators().len() as u32;
    let mut out = BTreeSet::new();
    for e in exprs {
        for o in e.operands() {
            let (Operand::Node(k) | Operand::Raw(k)) = o;
            let section = match o {
                Operand::Node(n) if n >= n_ind => Section::Groups,
                Operand::Raw(s) if s >= n_ind => Section::Inputs,
                _ => Section::Indicators,
            };
            let id = match o {
                Operand::Node(_) => model.node_id(k),
                Operand::Raw(_) => model.input_id(k),
            };
            out.insert((section, id.to_string()));
        }
    }
    out
}

/// The line range `[start, end)` of a node's own table: its `[section.id]` header and the
/// lines up to the next header.
fn table_lines(lines: &[String], section: Section, id: &str) -> Option<(usize, usize)> {
    let header = format!("[{}.{id}]", section.name());
    let start = lines.iter().position(|l| l.trim() == header)?;
    let end = (start + 1..lines.len())
        .find(|&k| lines[k].trim_start().starts_with('['))
        .unwrap_or(lines.len());
    Some((start, end))
}

/// The index of the line of `key` in a table, if the table writes it on a line of its own.
fn key_line(lines: &[String], (start, end): (usize, usize), key: &str) -> Option<usize> {
    (start + 1..end).find(|&k| {
        let l = lines[k].trim_start();
        l.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
    })
}

/// Sets `key = value` in a table: replaces its line, or adds one after the header.
fn set_key(lines: &mut Vec<String>, table: (usize, usize), key: &str, value: &str) {
    match key_line(lines, table, key) {
        Some(k) => lines[k] = format!("{key} = {value}"),
        None => lines.insert(table.0 + 1, format!("{key} = {value}")),
    }
}

/// The model text with one node's table broken; `None` when the model does not write that
/// node as a `[section.id]` table (every shipped model does, which a test checks).
fn break_node(text: &str, section: Section, id: &str, how: Break) -> Option<String> {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let table = table_lines(&lines, section, id)?;
    let (required, word, bad_word) = match section {
        Section::Indicators => ("direction", "direction", "\"sideways\""),
        Section::Groups => ("children", "aggregation", "\"median\""),
        Section::Inputs => ("label", "unit", "[\"people\"]"),
    };
    match how {
        Break::UnknownKey => lines.insert(table.0 + 1, "colour_of_the_sky = \"blue\"".into()),
        Break::WrongType => set_key(&mut lines, table, required, "42"),
        Break::BadWord => set_key(&mut lines, table, word, bad_word),
        Break::RequiredKeyRemoved => match (section, key_line(&lines, table, required)) {
            (Section::Inputs, _) | (_, None) => {
                lines.drain(table.0..table.1);
            }
            (_, Some(k)) => {
                lines.remove(k);
            }
        },
        Break::DuplicateId => {
            let other = match section {
                Section::Inputs => format!(
                    "[indicators.{id}]\nlabel = \"Twice\"\ndirection = \"higher_is_riskier\"\nnormalise = {{ method = \"identity\" }}"
                ),
                _ => format!("[inputs.{id}]\nlabel = \"Twice\""),
            };
            lines.push(other);
        }
        Break::TypoInId => {
            // The table and its sub-tables (`[indicators.x.derive]`, `[[...match]]`).
            let prefix = format!("{}.{id}", section.name());
            for l in &mut lines {
                let t = l.trim_start().trim_start_matches('[');
                if t.starts_with(&prefix) && t[prefix.len()..].starts_with([']', '.']) {
                    *l = l.replacen(&prefix, &format!("{prefix}x"), 1);
                }
            }
        }
        Break::BadValue => match section {
            Section::Inputs => set_key(&mut lines, table, "source", "{ citation = 7 }"),
            _ => set_key(&mut lines, table, "round", "99"),
        },
        Break::HugeNumber => match section {
            Section::Indicators => set_key(&mut lines, table, "impute_value", "1e308"),
            Section::Groups => set_key(&mut lines, table, "zero_floor", "-1e308"),
            Section::Inputs => set_key(&mut lines, table, "label", "1e308"),
        },
    }
    Some(lines.join("\n") + "\n")
}

/// The repository's path of a file.
fn repo(path: &str) -> String {
    format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))
}

/// Every diagnostic is located, in one of the files read, on one of its lines.
fn located(diags: &[Diagnostic], files: &[&SourceFile]) -> Result<(), TestCaseError> {
    for d in diags {
        let Some(loc) = &d.location else {
            // File-level problems of a model test (a file it names cannot be read).
            prop_assert!(d.code == vigie::Code::TestFileTarget, "unlocated: {d}");
            continue;
        };
        let file = files.iter().find(|f| f.name() == loc.file);
        prop_assert!(file.is_some(), "{d}: not in any file read");
        let lines = file.map_or(0, |f| f.text().lines().count());
        prop_assert!(
            loc.line >= 1 && loc.line <= lines + 1,
            "{d} outside {lines} lines"
        );
    }
    Ok(())
}

/// A fresh path for a mutant on disk (tests run in parallel threads).
fn scratch_path() -> std::path::PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!("vigie-robustness-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(format!(
        "model-{}.toml",
        NEXT.fetch_add(1, Ordering::Relaxed)
    ))
}

/// Scores a project as `vigie score` does, with the data pack's event and position files.
fn score_as_the_cli_does(
    model: &Model,
    project: &Project,
) -> Result<vigie::Assessment, vigie::Error> {
    let bytes = |p: &str| std::fs::read(repo(p)).unwrap();
    let events = EventData::from_bytes(
        "events.csv",
        &bytes("models/examples/data/events-western-mali-2025.csv"),
        &model.read_options(),
    );
    let positions = PositionData::from_bytes(
        "positions.csv",
        &bytes("models/examples/data/deployments-mali.csv"),
    );
    match (events, positions) {
        (Ok(e), Ok(p)) => vigie::score_with_data(model, project, Some(&e), Some(&p)),
        _ => vigie::score(model, project),
    }
}

/// A model's text through every library path of `check`, `explain`, `fingerprint`, `diff`,
/// `score` and `test`: no panic, every diagnostic located in its file.
fn every_command(shipped: &Shipped, original: &Model, text: &str) -> Result<(), TestCaseError> {
    // check (and the loading that every other command starts with).
    let src = SourceFile::new(shipped.model, text);
    let (model, diags) = Model::check(&src);
    located(&diags, &[&src])?;
    prop_assert!(diags.iter().all(|d| d.location.is_some()));
    if model.is_none() {
        prop_assert!(vigie::diag::has_errors(&diags), "no model and no error");
    }

    // test: the model test file, pointed at the mutant.
    let path = scratch_path();
    std::fs::write(&path, text).unwrap();
    let test_text = shipped_text(shipped.test_file)
        .lines()
        .map(|l| {
            if l.starts_with("model = ") {
                format!("model = '{}'", path.display())
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let test_path = repo(shipped.test_file);
    let env = |_: &str| None;
    let loaded = vigie::modeltest::load_source(
        SourceFile::new(test_path.clone(), test_text),
        Path::new(&test_path).parent().unwrap(),
        &env,
    );
    let files: Vec<&SourceFile> = loaded.sources.iter().collect();
    located(&loaded.diagnostics, &files)?;
    if let Some(suite) = &loaded.suite {
        let _ = vigie::modeltest::run_suite(suite, vigie::modeltest::RunOptions::for_ci(None));
    }
    let _ = std::fs::remove_file(&path);

    let Some(model) = model else { return Ok(()) };
    // explain and fingerprint.
    let _ = model.nominal_effective_weights();
    for r in model.rules() {
        let _ = vigie::engine::assess::effect_text(&model, r.effect);
    }
    prop_assert!(model.canonical_form().starts_with("vigie-canonical-model/"));
    let _ = model.canonical_sha256();
    let _ = vigie::provenance::sources(&model, None);
    // diff, both ways.
    let _ = vigie::diff::diff_models(original, &model);
    let _ = vigie::diff::diff_models(&model, original);
    // score, and diff --projects.
    if let Some(p) = shipped.project {
        let psrc = SourceFile::new(p, shipped_text(p));
        let (project, _) = Project::from_source(&psrc).unwrap();
        let old = score_as_the_cli_does(original, &project);
        let new = score_as_the_cli_does(&model, &project);
        if let Err(e) = &new {
            located(e.diagnostics(), &[&psrc, &src])?;
        }
        let outcome = |r: &Result<vigie::Assessment, vigie::Error>| {
            vigie::diff::Outcome::of(r.as_ref().map_err(|e| e.to_string()))
        };
        let _ = vigie::diff::ProjectComparison::new(
            p,
            &project.id,
            &project.name,
            outcome(&old),
            outcome(&new),
        );
    }
    Ok(())
}

fn shipped_text(path: &str) -> String {
    std::fs::read_to_string(repo(path)).unwrap()
}

fn compiled(path: &str) -> Model {
    Model::from_toml(path, &shipped_text(path)).unwrap()
}

/// The list above is every model the repository ships: a model added later is mutated too.
#[test]
fn every_shipped_model_is_mutated() {
    let mut on_disk = BTreeSet::new();
    for dir in ["models", "models/history", "models/template"] {
        for e in std::fs::read_dir(repo(dir)).unwrap().flatten() {
            let p = e.path();
            let text = std::fs::read_to_string(&p).unwrap_or_default();
            let is_model = text.starts_with("[model]") || text.contains("\n[model]");
            if p.extension().is_some_and(|x| x == "toml") && is_model {
                on_disk.insert(format!("{dir}/{}", e.file_name().to_string_lossy()));
            }
        }
    }
    let listed: BTreeSet<String> = SHIPPED.iter().map(|s| s.model.to_string()).collect();
    assert_eq!(on_disk, listed);
}

/// The bug this file was extended for: each node a formula or rule names, broken in each
/// way, in every model (the template's `security` and `poverty`, INFORM's
/// `political_violence`, the Sahel model's rule inputs).
#[test]
fn every_node_a_formula_or_rule_names_can_be_broken_without_a_panic() {
    let mut broken = 0;
    for shipped in SHIPPED {
        let original = compiled(shipped.model);
        let text = shipped_text(shipped.model);
        for (section, id) in named_nodes(&original) {
            for &how in BREAKS {
                let mutant = break_node(&text, section, &id, how).unwrap_or_else(|| {
                    panic!("{}: no [{}.{id}] table", shipped.model, section.name())
                });
                let checked = Model::check(&SourceFile::new(shipped.model, mutant.as_str()));
                if let Err(e) = every_command(shipped, &original, &mutant) {
                    panic!("{} {section:?} {id} {how:?}: {e}", shipped.model);
                }
                // Every break is reported (so the mutants exercise the error paths).
                assert!(
                    vigie::diag::has_errors(&checked.1),
                    "{} {id} {how:?} was not reported",
                    shipped.model
                );
                broken += 1;
            }
        }
    }
    // The template (3 nodes), INFORM (2) and both Sahel models (3 each) name 11 nodes.
    assert_eq!(broken, 11 * BREAKS.len());
}

/// Any node of any shipped model, broken in any way (a sample of the 100-odd nodes).
fn any_node() -> impl Strategy<Value = (usize, usize, usize)> {
    (0..SHIPPED.len(), any::<usize>(), 0..BREAKS.len())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_node_of_any_shipped_model_broken_never_panics((m, node, how) in any_node()) {
        let shipped = &SHIPPED[m];
        let original = compiled(shipped.model);
        let nodes = all_nodes(&original);
        let (section, id) = &nodes[node % nodes.len()];
        let text = shipped_text(shipped.model);
        // Groups and indicators written as sub-tables only are left to the line edits.
        if let Some(mutant) = break_node(&text, *section, id, BREAKS[how]) {
            every_command(shipped, &original, &mutant)?;
        }
    }

    #[test]
    fn any_shipped_model_mutated_line_by_line_never_panics(m in 0..SHIPPED.len(), e in edits()) {
        let shipped = &SHIPPED[m];
        let original = compiled(shipped.model);
        every_command(shipped, &original, &apply(&shipped_text(shipped.model), &e))?;
    }

    #[test]
    fn any_shipped_project_mutated_line_by_line_never_panics(p in 0..PROJECTS.len(), e in edits()) {
        let path = PROJECTS[p];
        let shipped = SHIPPED.iter().find(|s| s.project == Some(path)).unwrap();
        let model = compiled(shipped.model);
        let text = apply(&shipped_text(path), &e);
        let src = SourceFile::new(path, text.as_str());
        let (project, diags) = vigie::project::read_project(&src);
        located(&diags, &[&src])?;
        if let Some(project) = project.filter(|_| !vigie::diag::has_errors(&diags))
            && let Err(err) = score_as_the_cli_does(&model, &project)
        {
            located(err.diagnostics(), &[&src])?;
        }
    }
}
