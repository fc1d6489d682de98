//! Reading a model test file's TOML into a [`TestFileSpec`], reporting every problem with
//! its location. The model is read first (the caller loads it from the `model` key), so that
//! every name a case uses can be checked against it here.

use std::collections::HashMap;

use toml::de::DeValue;

use super::spec::{
    CaseInputs, CaseSpec, ExpectSpec, ReferenceDir, TableLocation, TableSpec, TestFileSpec,
    Tolerance,
};
use crate::diag::{Code, did_you_mean};
use crate::model::Model;
use crate::project::{HEADER_KEYS, HeaderDefaults, read_embedded_project};
use crate::toml_read::{Reader, Sp, Table, Value};

/// Keys of a test file's top level.
pub const TOP_KEYS: &[&str] = &[
    "model",
    "description",
    "reference",
    "tolerance",
    "decimals",
    "cases",
];
const REFERENCE_KEYS: &[&str] = &["dir", "env"];
const CASE_KEYS: &[&str] = &[
    "name",
    "description",
    "project_file",
    "project",
    "values",
    "table",
    "score",
    "band",
    "fires",
    "fires_only",
    "nodes",
    "tolerance",
    "decimals",
];
/// Keys of a case that state expectations; a table case states them as columns instead.
const EXPECT_KEYS: &[&str] = &["score", "band", "fires", "fires_only", "nodes"];
const TABLE_KEYS: &[&str] = &[
    "path",
    "reference",
    "row_name",
    "inputs",
    "score",
    "band",
    "nodes",
    "missing",
];

/// Most decimals a `decimals` tolerance may ask for (what the rounding function takes).
const MAX_DECIMALS: i64 = 15;

/// Country of a project written in a case that does not say: ISO 3166 reserves `ZZZ` for
/// user-assigned use, so it can never be mistaken for a real country.
pub const DEFAULT_COUNTRY: &str = "ZZZ";

/// The `model` key: the model file the cases are scored with, relative to the test file.
pub fn read_model_path(r: &Reader<'_>, top: &Table<'_, '_>) -> Option<Sp<String>> {
    top.req_str(r, "model")
}

/// Reads the rest of a test file, checking every name against `model`.
pub fn read_test_file(
    r: &Reader<'_>,
    top: &Table<'_, '_>,
    model_path: Sp<String>,
    model: &Model,
) -> Option<TestFileSpec> {
    let reference = top.table(r, "reference", REFERENCE_KEYS).and_then(|t| {
        Some(ReferenceDir {
            dir: t.req_str(r, "dir")?,
            env: t.str(r, "env"),
        })
    });
    let default_tolerance = read_tolerance(r, top)?.unwrap_or(Tolerance::Decimals(
        u32::try_from(model.meta().decimals).unwrap_or(u32::MAX),
    ));
    let Some(cases_value) = top.get("cases") else {
        top.missing(r, "cases");
        return None;
    };
    let items = r.array(cases_value, "cases")?;
    if items.is_empty() {
        r.error(
            Code::MissingKey,
            cases_value.span(),
            "`cases` is empty: a test file needs at least one case",
        );
    }
    let context = CaseContext {
        model,
        reference: reference.as_ref(),
        default_tolerance,
    };
    let mut cases = Vec::new();
    let mut seen: HashMap<String, std::ops::Range<usize>> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        let path = format!("cases[{i}]");
        let Some(t) = r.as_table(item, &path, CASE_KEYS) else {
            continue;
        };
        let Some(case) = read_case(r, &t, i, &context) else {
            continue;
        };
        if let Some(first) = seen.get(&case.name.value) {
            let mut d = r.source().diag(
                Code::DuplicateId,
                case.name.span.clone(),
                format!("two cases are named \"{}\"", case.name.value),
            );
            d.related
                .push(r.source().related(first.clone(), "first named here"));
            r.push(d);
            continue;
        }
        seen.insert(case.name.value.clone(), case.name.span.clone());
        cases.push(case);
    }
    Some(TestFileSpec {
        model: model_path,
        reference,
        cases,
    })
}

/// What every case of a file is read against.
struct CaseContext<'a> {
    model: &'a Model,
    reference: Option<&'a ReferenceDir>,
    default_tolerance: Tolerance,
}

fn read_case(
    r: &Reader<'_>,
    t: &Table<'_, '_>,
    index: usize,
    context: &CaseContext<'_>,
) -> Option<CaseSpec> {
    let name = t.req_str(r, "name");
    let _ = t.str(r, "description");
    let tolerance = read_tolerance(r, t);
    let inputs = read_inputs(r, t, index, name.as_ref(), context);
    let expect = read_expectations(r, t, context.model, inputs.as_ref(), name.as_ref());
    let name = name?;
    let line = r.source().locate(name.span.clone()).line;
    Some(CaseSpec {
        line,
        inputs: inputs?,
        expect: expect?,
        tolerance: tolerance?.unwrap_or(context.default_tolerance),
        name,
    })
}

/// `tolerance` or `decimals` of a table; `None` after reporting a problem.
fn read_tolerance(r: &Reader<'_>, t: &Table<'_, '_>) -> Option<Option<Tolerance>> {
    let absolute = t.num(r, "tolerance");
    let decimals = t
        .get("decimals")
        .and_then(|v| r.integer(v, &t.key_path("decimals")));
    if (t.has("tolerance") && absolute.is_none()) || (t.has("decimals") && decimals.is_none()) {
        return None;
    }
    match (absolute, decimals) {
        (Some(_), Some(d)) => {
            r.error(
                Code::InvalidValue,
                d.span,
                "give `tolerance` or `decimals`, not both",
            );
            None
        }
        (Some(a), None) if a.value < 0.0 => {
            r.error(
                Code::InvalidValue,
                a.span,
                format!("`{}` must not be negative", t.key_path("tolerance")),
            );
            None
        }
        (Some(a), None) => Some(Some(Tolerance::Absolute(a.value))),
        (None, Some(d)) => match u32::try_from(d.value) {
            Ok(n) if d.value <= MAX_DECIMALS => Some(Some(Tolerance::Decimals(n))),
            _ => {
                r.error(
                    Code::InvalidValue,
                    d.span,
                    format!(
                        "`{}` must be an integer from 0 to {MAX_DECIMALS}",
                        t.key_path("decimals")
                    ),
                );
                None
            }
        },
        (None, None) => Some(None),
    }
}

/// The case's inputs: exactly one of a project file, a project written in the case, or a
/// table (which may share a `[cases.project]` header).
fn read_inputs(
    r: &Reader<'_>,
    t: &Table<'_, '_>,
    index: usize,
    name: Option<&Sp<String>>,
    context: &CaseContext<'_>,
) -> Option<CaseInputs> {
    let given: Vec<&str> = ["project_file", "project", "values", "table"]
        .into_iter()
        .filter(|k| t.has(k))
        .collect();
    let clash = match given.as_slice() {
        [] => {
            r.error(
                Code::TestCaseShape,
                name.map_or(t.span(), |n| n.span.clone()),
                format!(
                    "case {} gives no inputs: give a `project_file`, a `[cases.values]` table or a `[cases.table]`",
                    case_label(t, name)
                ),
            );
            return None;
        }
        ["project_file", second, ..] => Some(("project_file", *second)),
        ["project", "values", "table"] | ["values", "table"] => Some(("values", "table")),
        _ => None,
    };
    if let Some((first, second)) = clash {
        if let Some(v) = t.get(second) {
            r.error(
                Code::TestCaseShape,
                key_span(t, second).unwrap_or(v.span()),
                format!(
                    "case {} gives both `{first}` and `{second}`: a case takes its inputs from one place",
                    case_label(t, name)
                ),
            );
        }
        return None;
    }
    if let Some(file) = t.get("project_file") {
        return r
            .string(file, &t.key_path("project_file"))
            .map(CaseInputs::ProjectFile);
    }
    let defaults = HeaderDefaults {
        id: format!("case-{}", index + 1),
        name: name.map_or_else(|| format!("case {}", index + 1), |n| n.value.clone()),
        country: DEFAULT_COUNTRY.to_string(),
        as_of: context.model.meta().effective,
    };
    if let Some(v) = t.get("project")
        && let DeValue::String(_) = v.get_ref()
    {
        // The likeliest slip: a project file written where header facts go.
        r.push(
            r.source()
                .diag(
                    Code::WrongType,
                    v.span(),
                    format!(
                        "`{}` must be a table of header facts",
                        t.key_path("project")
                    ),
                )
                .with_help("a project file is given as `project_file = \"...\"`"),
        );
        return None;
    }
    let header = t.table(r, "project", HEADER_KEYS);
    let values_path = t.key_path("values");
    let values = t.get("values").map(|v| (v, values_path.as_str()));
    let project = read_embedded_project(r, header.as_ref(), values, &defaults);
    match t.table(r, "table", TABLE_KEYS) {
        Some(table) => {
            let table = read_table(r, &table, context);
            Some(CaseInputs::Table {
                base: Box::new(project?),
                table: Box::new(table?),
            })
        }
        None if t.has("table") => None,
        None => project.map(|p| CaseInputs::Inline(Box::new(p))),
    }
}

/// How a message names a case: by its name, else by its place in the file.
fn case_label(t: &Table<'_, '_>, name: Option<&Sp<String>>) -> String {
    name.map_or_else(|| format!("`{}`", t.path()), |n| format!("\"{}\"", n.value))
}

/// The span of a key (not its value) in a table, for pointing at `values = ...` itself.
fn key_span(t: &Table<'_, '_>, key: &str) -> Option<std::ops::Range<usize>> {
    t.entries()
        .find(|(k, _)| k.value == key)
        .map(|(k, _)| k.span)
}

fn read_table(r: &Reader<'_>, t: &Table<'_, '_>, context: &CaseContext<'_>) -> Option<TableSpec> {
    let model = context.model;
    let location = match (t.str(r, "path"), t.str(r, "reference")) {
        (Some(_), Some(reference)) => {
            r.error(
                Code::InvalidValue,
                reference.span,
                "give `path` or `reference`, not both",
            );
            None
        }
        (Some(path), None) => Some(TableLocation::Path(path)),
        (None, Some(reference)) if context.reference.is_none() => {
            r.error(
                Code::MissingKey,
                reference.span,
                format!(
                    "`{}` needs a `[reference]` table at the top of the file saying where reference tables are",
                    t.key_path("reference")
                ),
            );
            None
        }
        (None, Some(reference)) => Some(TableLocation::Reference(reference)),
        (None, None) => {
            if !t.has("path") && !t.has("reference") {
                t.missing(r, "path` or `reference");
            }
            None
        }
    };
    let inputs = column_map(r, t, "inputs", |id| {
        model
            .input_by_id(id)
            .is_some()
            .then_some(())
            .ok_or_else(|| unknown("an input", id, model.meta().id.as_str(), input_ids(model)))
    });
    let nodes = column_map(r, t, "nodes", |id| node_known(model, id));
    let missing = match t.get("missing") {
        Some(v) => r
            .strings(v, &t.key_path("missing"))
            .map(|m| m.into_iter().map(|s| s.value.trim().to_string()).collect()),
        None => Some(Vec::new()),
    };
    let spec = TableSpec {
        location: location?,
        row_name: t.str(r, "row_name"),
        inputs: inputs?,
        score: t.str(r, "score"),
        band: t.str(r, "band"),
        nodes: nodes?,
        missing: missing?,
    };
    if spec.score.is_none() && spec.band.is_none() && spec.nodes.is_empty() {
        r.error(
            Code::TestCaseShape,
            t.span(),
            format!(
                "`{}` expects nothing: map a column to `score`, `band` or `nodes`",
                t.path()
            ),
        );
        return None;
    }
    Some(spec)
}

/// A table of `id = "column"` entries, each id checked by `check`.
fn column_map(
    r: &Reader<'_>,
    t: &Table<'_, '_>,
    key: &str,
    check: impl Fn(&str) -> Result<(), (String, Option<String>)>,
) -> Option<Vec<(Sp<String>, Sp<String>)>> {
    let Some(v) = t.get(key) else {
        return Some(Vec::new());
    };
    let path = t.key_path(key);
    let map = r.raw_table(v, &path)?;
    let mut out = Vec::new();
    let mut ok = true;
    for (k, item) in map.iter() {
        let id = Sp::new(k.get_ref().to_string(), k.span());
        if let Err((message, help)) = check(&id.value) {
            report_unknown(r, id.span.clone(), message, help);
            ok = false;
        }
        match r.string(item, &format!("{path}.{}", id.value)) {
            Some(column) => out.push((id, column)),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

/// What a case expects; for a table case, only checks that none is written in the case.
fn read_expectations(
    r: &Reader<'_>,
    t: &Table<'_, '_>,
    model: &Model,
    inputs: Option<&CaseInputs>,
    name: Option<&Sp<String>>,
) -> Option<ExpectSpec> {
    if t.has("table") {
        let mut ok = true;
        for key in EXPECT_KEYS {
            if let Some(span) = key_span(t, key) {
                r.error(
                    Code::InvalidValue,
                    span,
                    format!(
                        "`{key}` does not apply to a table case: map a column to it in `[{}.table]`",
                        t.path()
                    ),
                );
                ok = false;
            }
        }
        return ok.then(ExpectSpec::default);
    }
    let score = t.num(r, "score");
    let band = t.str(r, "band");
    let fires = t
        .get("fires")
        .and_then(|v| r.strings(v, &t.key_path("fires")));
    let fires_only = t
        .get("fires_only")
        .and_then(|v| r.boolean(v, &t.key_path("fires_only")));
    let nodes = t.get("nodes").and_then(|v| {
        let path = t.key_path("nodes");
        let map = r.raw_table(v, &path)?;
        let items: Vec<Option<(Sp<String>, f64)>> = map
            .iter()
            .map(|(k, item)| {
                let id = Sp::new(k.get_ref().to_string(), k.span());
                let x = r.number(item, &format!("{path}.{}", id.value))?;
                Some((id, x.value))
            })
            .collect();
        items.into_iter().collect::<Option<Vec<_>>>()
    });
    // A key written but unreadable has been reported; the case cannot be used.
    let unreadable = (t.has("score") && score.is_none())
        || (t.has("band") && band.is_none())
        || (t.has("fires") && fires.is_none())
        || (t.has("fires_only") && fires_only.is_none())
        || (t.has("nodes") && nodes.is_none());
    if unreadable {
        return None;
    }
    if EXPECT_KEYS.iter().all(|k| !t.has(k)) {
        if inputs.is_some() {
            r.error(
                Code::TestCaseShape,
                t.get("name").map_or(t.span(), Value::span),
                format!(
                    "case {} expects nothing: give `score`, `band`, `fires` or `nodes`",
                    case_label(t, name)
                ),
            );
        }
        return None;
    }
    let mut ok = true;
    if let Some(b) = &band
        && !model.bands().iter().any(|m| m.label == b.value)
    {
        let labels: Vec<&str> = model.bands().iter().map(|m| m.label.as_str()).collect();
        let (message, help) = unknown("a band", &b.value, &model.meta().id, labels);
        report_unknown(r, b.span.clone(), message, help);
        ok = false;
    }
    for rule in fires.iter().flatten() {
        if !model.rules().iter().any(|m| m.id == rule.value) {
            let ids: Vec<&str> = model.rules().iter().map(|m| m.id.as_str()).collect();
            let (message, help) = unknown("a rule", &rule.value, &model.meta().id, ids);
            report_unknown(r, rule.span.clone(), message, help);
            ok = false;
        }
    }
    for (id, _) in nodes.iter().flatten() {
        if let Err((message, help)) = node_known(model, &id.value) {
            report_unknown(r, id.span.clone(), message, help);
            ok = false;
        }
    }
    ok.then(|| ExpectSpec {
        score,
        band,
        fires_only: fires_only.as_ref().is_some_and(|b| b.value),
        // `fires_only` alone says that no rule fires.
        fires: fires.or_else(|| fires_only.as_ref().map(|_| Vec::new())),
        nodes: nodes.unwrap_or_default(),
    })
}

fn node_known(model: &Model, id: &str) -> Result<(), (String, Option<String>)> {
    if model.node_by_id(id).is_some() {
        return Ok(());
    }
    let ids: Vec<&str> = model
        .indicators()
        .iter()
        .map(|i| i.id.as_str())
        .chain(model.groups().iter().map(|g| g.id.as_str()))
        .collect();
    Err(unknown("an indicator or group", id, &model.meta().id, ids))
}

fn input_ids(model: &Model) -> Vec<&str> {
    (0..model.n_inputs() as u32)
        .map(|s| model.input_id(s))
        .collect()
}

/// The message and help for a name the model does not define.
fn unknown(what: &str, name: &str, model_id: &str, known: Vec<&str>) -> (String, Option<String>) {
    (
        format!("`{name}` is not {what} of model `{model_id}`"),
        did_you_mean(name, known).map(|m| format!("did you mean `{m}`?")),
    )
}

fn report_unknown(
    r: &Reader<'_>,
    span: std::ops::Range<usize>,
    message: String,
    help: Option<String>,
) {
    let mut d = r.source().diag(Code::TestUnknownName, span, message);
    d.help = help;
    r.push(d);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceFile;
    use crate::toml_read::parse_document;

    const MODEL: &str = r#"
[model]
id = "demo"
name = "Demo"
version = "1.0.0"
effective = 2025-01-01
scale = [0, 100]
[indicators.attacks]
label = "Attacks"
direction = "higher_is_riskier"
normalise = { method = "goalposts", min = 0, max = 10 }
[groups.risk]
children = ["attacks"]
aggregation = "arithmetic"
[[bands]]
label = "Low"
from = 0
[[bands]]
label = "High"
from = 50
[[rules]]
id = "many"
when = "raw.attacks >= 8"
effect = "band_at_least"
band = "High"
reason = "Many attacks."
"#;

    fn read(text: &str) -> (Option<TestFileSpec>, Vec<crate::diag::Diagnostic>) {
        let model = Model::from_toml("m.toml", MODEL).unwrap();
        let src = SourceFile::new("t.toml", text);
        let (doc, syntax) = parse_document(&src);
        assert!(syntax.is_empty(), "{syntax:?}");
        let r = Reader::new(&src);
        let top = r.table(doc.get_ref(), doc.span(), "", TOP_KEYS);
        let path = read_model_path(&r, &top).unwrap();
        let spec = read_test_file(&r, &top, path, &model);
        (spec, r.into_diagnostics())
    }

    #[test]
    fn an_inline_case_reads_with_defaults() {
        let (spec, diags) = read(
            "model = \"m.toml\"\n[[cases]]\nname = \"four\"\nscore = 40\nband = \"Low\"\n[cases.values]\nattacks = 4\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        let spec = spec.unwrap();
        let case = &spec.cases[0];
        assert_eq!(case.line, 3);
        assert_eq!(case.tolerance, Tolerance::Decimals(1));
        let CaseInputs::Inline(p) = &case.inputs else {
            panic!("inline expected")
        };
        assert_eq!(p.country, DEFAULT_COUNTRY);
        assert_eq!(p.as_of.to_string(), "2025-01-01");
        assert_eq!(p.values[0].id.value, "attacks");
    }

    #[test]
    fn unknown_names_are_located_with_a_suggestion() {
        let (spec, diags) = read(
            "model = \"m.toml\"\n[[cases]]\nname = \"x\"\nband = \"Hihg\"\nfires = [\"mnay\"]\nnodes = { rsik = 1 }\n[cases.values]\nattacks = 4\n",
        );
        assert!(spec.unwrap().cases.is_empty());
        let got: Vec<(Code, usize, Option<&str>)> = diags
            .iter()
            .map(|d| (d.code, d.location.as_ref().unwrap().line, d.help.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (Code::TestUnknownName, 4, Some("did you mean `High`?")),
                (Code::TestUnknownName, 5, Some("did you mean `many`?")),
                (Code::TestUnknownName, 6, Some("did you mean `risk`?")),
            ]
        );
    }

    #[test]
    fn a_case_needs_one_kind_of_inputs_and_an_expectation() {
        let (_, diags) = read(
            "model = \"m.toml\"\n[[cases]]\nname = \"none\"\nscore = 1\n[[cases]]\nname = \"two\"\nscore = 1\nproject_file = \"p.toml\"\nvalues = { attacks = 1 }\n[[cases]]\nname = \"nothing expected\"\nvalues = { attacks = 1 }\n",
        );
        let got: Vec<(Code, usize)> = diags
            .iter()
            .map(|d| (d.code, d.location.as_ref().unwrap().line))
            .collect();
        assert_eq!(
            got,
            [
                (Code::TestCaseShape, 3),
                (Code::TestCaseShape, 9),
                (Code::TestCaseShape, 11)
            ]
        );
    }

    #[test]
    fn tolerance_and_decimals_are_exclusive_and_checked() {
        let (_, diags) = read(
            "model = \"m.toml\"\ntolerance = 0.1\ndecimals = 2\n[[cases]]\nname = \"x\"\nscore = 1\nvalues = { attacks = 1 }\n",
        );
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].code, Code::InvalidValue);
        assert_eq!(diags[0].location.as_ref().unwrap().line, 3);
    }

    #[test]
    fn a_reference_table_needs_the_reference_folder() {
        let (_, diags) = read(
            "model = \"m.toml\"\n[[cases]]\nname = \"t\"\n[cases.table]\nreference = \"a/b.csv\"\nscore = \"s\"\n",
        );
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].code, Code::MissingKey);
        assert_eq!(diags[0].location.as_ref().unwrap().line, 5);
    }

    #[test]
    fn duplicate_case_names_point_at_the_first() {
        let (spec, diags) = read(
            "model = \"m.toml\"\n[[cases]]\nname = \"a\"\nscore = 1\nvalues = { attacks = 1 }\n[[cases]]\nname = \"a\"\nscore = 2\nvalues = { attacks = 2 }\n",
        );
        assert_eq!(spec.unwrap().cases.len(), 1);
        assert_eq!(diags[0].code, Code::DuplicateId);
        assert_eq!(diags[0].related[0].location.line, 3);
    }

    #[test]
    fn a_project_file_written_as_project_gets_a_hint() {
        let (_, diags) =
            read("model = \"m.toml\"\n[[cases]]\nname = \"x\"\nscore = 1\nproject = \"p.toml\"\n");
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].code, Code::WrongType);
        assert_eq!(
            diags[0].help.as_deref(),
            Some("a project file is given as `project_file = \"...\"`")
        );
    }

    #[test]
    fn tolerances_accept_what_they_say() {
        assert!(Tolerance::Absolute(0.05).accepts(57.2, 57.25));
        assert!(!Tolerance::Absolute(0.05).accepts(57.2, 57.26));
        assert!(Tolerance::Decimals(1).accepts(5.7, 5.74));
        assert!(!Tolerance::Decimals(1).accepts(5.7, 5.75));
        assert!(!Tolerance::Decimals(3).accepts(0.5, f64::NAN));
    }
}
