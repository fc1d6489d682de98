//! Regression tests, each named after the bug it pins, with a line saying why it mattered.

use vigie::{Code, Model, Project, SourceFile};

/// A small valid model; `extra` is appended (more indicators, inputs, groups, rules).
fn model_with(indicators: &str, root: &str) -> String {
    format!(
        r#"[model]
id = "reg"
name = "Regression"
version = "1.0.0"
effective = 2025-01-01
scale = [0, 10]

{indicators}

{root}

[[bands]]
label = "Low"
from = 0
[[bands]]
label = "High"
from = 5
"#
    )
}

fn check(text: &str) -> (Option<Model>, Vec<vigie::Diagnostic>) {
    Model::check(&SourceFile::new("m.toml", text))
}

fn project(values: &str) -> Project {
    let text = format!(
        "[project]\nid = \"p\"\nname = \"P\"\ncountry = \"MLI\"\nas_of = 2025-10-31\n\n[values]\n{values}"
    );
    Project::from_toml("p.toml", &text).unwrap()
}

fn codes(d: &[vigie::Diagnostic]) -> Vec<Code> {
    d.iter().map(|d| d.code).collect()
}

/// A negative power reverses the order of breakpoints; the normaliser walks transformed
/// values, so a raw value of 1 scored 100 instead of 50 before the check moved after the
/// transform.
#[test]
fn piecewise_breakpoints_are_checked_after_a_decreasing_transform() {
    let text = model_with(
        r#"[indicators.a]
label = "A"
direction = "lower_is_riskier"
transform = "power"
power = -1
normalise = { method = "piecewise", points = [[1, 10], [2, 5], [4, 0]] }"#,
        "[groups.root]\nchildren = [\"a\"]\naggregation = \"arithmetic\"",
    );
    let (m, d) = check(&text);
    assert!(m.is_none());
    assert_eq!(codes(&d), [Code::Normalisation]);
    assert!(d[0].message.contains("after the transform"));
}

/// `min` and `max` ignore weight-0 children when aggregating, so attribution must too:
/// a weight-0 child listed first used to take all the points.
#[test]
fn min_attribution_never_credits_a_weight_zero_child() {
    let text = model_with(
        r#"[indicators.a]
label = "A"
direction = "higher_is_riskier"
normalise = { method = "identity" }
[indicators.b]
label = "B"
direction = "higher_is_riskier"
normalise = { method = "identity" }"#,
        "[groups.root]\nchildren = [\"a\", \"b\"]\nweights = [0, 1]\naggregation = \"min\"",
    );
    let model = Model::from_toml("m.toml", &text).unwrap();
    let a = vigie::score(&model, &project("a = 3\nb = 3\n")).unwrap();
    let points = |id: &str| {
        a.indicators
            .iter()
            .find(|i| i.id == id)
            .unwrap()
            .contribution
    };
    assert_eq!(points("a"), 0.0);
    assert_eq!(points("b"), 3.0);
}

/// Library users calling `vigie::score` got binding diagnostics at 1:1 of an empty file.
#[test]
fn score_binding_diagnostics_point_into_the_project_file() {
    let text = model_with(
        "[indicators.a]\nlabel = \"A\"\ndirection = \"higher_is_riskier\"\nnormalise = { method = \"identity\" }",
        "[groups.root]\nchildren = [\"a\"]\naggregation = \"arithmetic\"",
    );
    let model = Model::from_toml("m.toml", &text).unwrap();
    let err = vigie::score(&model, &project("a = 1\nbogus = 2\n")).unwrap_err();
    let d = &err.diagnostics()[0];
    assert_eq!(d.code, Code::UnknownInput);
    let loc = d.location.as_ref().unwrap();
    assert_eq!((loc.file.as_str(), loc.line, loc.column), ("p.toml", 9, 1));
}

/// An indicator read only by a formula was missing from the assessment altogether.
#[test]
fn indicators_used_only_in_formulas_are_listed() {
    let text = model_with(
        r#"[indicators.a]
label = "A"
direction = "higher_is_riskier"
normalise = { method = "identity" }
[indicators.b]
label = "B"
direction = "higher_is_riskier"
normalise = { method = "identity" }"#,
        "[groups.root]\nchildren = [\"a\"]\naggregation = \"formula\"\nformula = \"max(a, b)\"",
    );
    let model = Model::from_toml("m.toml", &text).unwrap();
    let a = vigie::score(&model, &project("a = 2\nb = 7\n")).unwrap();
    assert_eq!(a.score, 7.0);
    let b = a
        .indicators
        .iter()
        .find(|i| i.id == "b")
        .expect("b is listed");
    assert_eq!(
        (b.score, b.group.as_deref(), b.contribution),
        (Some(7.0), None, 0.0)
    );
    let sum: f64 = a.contributions.iter().map(|c| c.points).sum();
    assert!((sum - a.score).abs() < 1e-12);
}

/// An infinite formula value was clamped to the scale without a word.
#[test]
fn infinite_formula_value_is_clamped_with_a_warning() {
    let text = model_with(
        "[indicators.a]\nlabel = \"A\"\ndirection = \"higher_is_riskier\"\nnormalise = { method = \"identity\" }",
        "[groups.root]\nchildren = [\"a\"]\naggregation = \"formula\"\nformula = \"exp(1000) + a\"",
    );
    let model = Model::from_toml("m.toml", &text).unwrap();
    let a = vigie::score(&model, &project("a = 2\n")).unwrap();
    assert_eq!(a.score, 10.0);
    assert!(
        a.warnings.iter().any(|w| w.message.contains("clamped")),
        "{:?}",
        a.warnings
    );
}

/// Extra inputs: an unverified denominator was only visible to `check`, an unused one
/// passed silently, and a denominator with its own imputation was called missing.
#[test]
fn extra_inputs_are_warned_about_and_imputed_denominators_count() {
    let text = model_with(
        r#"[inputs.population]
label = "Population"
description = "People in the region"
[inputs.forgotten]
label = "Left behind"

[indicators.deaths]
label = "Deaths per 100,000"
direction = "higher_is_riskier"
transform = "ratio"
denominator = "pop_estimate"
multiplier = 100000
normalise = { method = "goalposts", min = 0, max = 100 }

[indicators.pop_estimate]
label = "Population estimate"
direction = "higher_is_riskier"
missing = "impute_from"
impute_from = "population"
normalise = { method = "goalposts", min = 0, max = 1000000 }"#,
        "[groups.root]\nchildren = [\"deaths\", \"pop_estimate\"]\naggregation = \"arithmetic\"",
    );
    let (model, d) = check(&text);
    let model = model.expect("valid");
    assert_eq!(codes(&d), [Code::UnusedIndicator]);
    assert!(d[0].message.contains("forgotten"));
    assert_eq!(model.aux_inputs()[0].description, "People in the region");
    // pop_estimate is missing but imputed from population; it is declared after `deaths`,
    // whose ratio must still see the imputed value.
    let p = project(
        "deaths = 50\npopulation = { value = 500000, status = \"unverified\", note = \"census projection\" }\n",
    );
    let a = vigie::score(&model, &p).unwrap();
    let deaths = a.indicators.iter().find(|i| i.id == "deaths").unwrap();
    assert_eq!(deaths.transformed, Some(10.0));
    assert!(
        a.warnings.iter().any(|w| w.code == Code::InputStatus
            && w.message == "`population` is unverified: census projection"),
        "{:?}",
        a.warnings
    );
}

/// The template promised ids of letters, digits, `_` and `-`, but any text was accepted.
#[test]
fn model_id_must_be_a_plain_identifier() {
    let text = model_with(
        "[indicators.a]\nlabel = \"A\"\ndirection = \"higher_is_riskier\"\nnormalise = { method = \"identity\" }",
        "[groups.root]\nchildren = [\"a\"]\naggregation = \"arithmetic\"",
    )
    .replace("id = \"reg\"", "id = \"has spaces!\"");
    let (_, d) = check(&text);
    assert_eq!(codes(&d), [Code::InvalidValue]);
    assert_eq!(d[0].location.as_ref().unwrap().line, 2);
}

/// A formula group left out for a missing value was described as having no children.
#[test]
fn messages_say_why_a_formula_root_has_no_value() {
    let text = model_with(
        r#"[indicators.a]
label = "A"
direction = "higher_is_riskier"
missing = "drop"
normalise = { method = "identity" }
[indicators.b]
label = "B"
direction = "higher_is_riskier"
normalise = { method = "identity" }"#,
        "[groups.root]\nchildren = [\"a\", \"b\"]\naggregation = \"formula\"\nformula = \"a + b\"",
    );
    let model = Model::from_toml("m.toml", &text).unwrap();
    let err = vigie::score(&model, &project("b = 1\n")).unwrap_err();
    let d = &err.diagnostics()[0];
    assert_eq!(d.code, Code::Evaluation);
    assert!(
        d.message.contains("formula needs a missing value"),
        "{}",
        d.message
    );
    assert!(d.location.is_some());
}

/// Exposure is an amount at risk; a negative one is a typo, not a hedge.
#[test]
fn negative_exposure_is_rejected() {
    let text = "[project]\nid = \"p\"\nname = \"P\"\ncountry = \"MLI\"\nas_of = 2025-10-31\n[project.exposure]\namount = \"-5\"\ncurrency = \"USD\"\n";
    let err = Project::from_toml("p.toml", text).unwrap_err();
    assert_eq!(codes(err.diagnostics()), [Code::InvalidValue]);
    assert_eq!(err.diagnostics()[0].location.as_ref().unwrap().line, 7);
}

/// Undefined values (ln of a negative number) are located at the value in the project.
#[test]
fn undefined_value_is_located_at_the_value() {
    let text = model_with(
        "[indicators.a]\nlabel = \"A\"\ndirection = \"higher_is_riskier\"\ntransform = \"ln\"\nnormalise = { method = \"goalposts\", min = 1, max = 100 }",
        "[groups.root]\nchildren = [\"a\"]\naggregation = \"arithmetic\"",
    );
    let model = Model::from_toml("m.toml", &text).unwrap();
    let err = vigie::score(&model, &project("a = -3\n")).unwrap_err();
    let d = &err.diagnostics()[0];
    assert_eq!(d.code, Code::Evaluation);
    let loc = d.location.as_ref().unwrap();
    assert_eq!((loc.line, loc.column), (8, 5));
}

/// Found by `scaling_a_groups_weights_changes_nothing` (tests/properties.rs): the reversed
/// geometric mean of children all at zero is zero only up to floating-point residue
/// (about 5e-16, of either sign, depending on the weights' scale), and a geometric root
/// under `zero = "zero"` turned a positive residue into a score of 1.4e-6 instead of 0.
/// Scaling weights, which changes nothing in real arithmetic, must change nothing here.
#[test]
fn a_rounding_residue_is_a_zero_child_whatever_the_weights_scale() {
    for scale in [0.001, 0.3, 1.0, 7.3, 1000.0, 1.0e-3 * 4.097_525_632_739_05] {
        let w = |x: f64| format!("{}", x * scale);
        let text = format!(
            r#"[model]
id = "residue"
name = "Residue"
version = "1.0.0"
effective = 2025-01-01
scale = [0, 100]
[indicators.a]
label = "A"
direction = "higher_is_riskier"
normalise = {{ method = "identity" }}
[indicators.b]
label = "B"
direction = "higher_is_riskier"
normalise = {{ method = "identity" }}
[indicators.c]
label = "C"
direction = "higher_is_riskier"
normalise = {{ method = "identity" }}
[indicators.d]
label = "D"
direction = "higher_is_riskier"
normalise = {{ method = "identity" }}
[groups.p0]
children = ["a", "b", "c"]
weights = [{}, {}, {}]
aggregation = "inform_reversed_geometric"
[groups.p1]
children = ["d"]
aggregation = "arithmetic"
[groups.root]
children = ["p0", "p1"]
aggregation = "geometric"
zero = "zero"
[[bands]]
label = "All"
from = 0
"#,
            w(1.0),
            w(4.097_525_632_739_05),
            w(1.0)
        );
        let model = vigie::Model::from_toml("m.toml", &text).unwrap();
        let mut ws = vigie::Workspace::new(&model);
        let out = vigie::evaluate(
            &model,
            &[0.0, 0.0, 0.0, 50.0],
            &model.default_params(),
            &mut ws,
        )
        .unwrap();
        assert_eq!(out.score, 0.0, "weights scaled by {scale}");
    }
}

/// A node that failed to read stood in formulas as index u32::MAX, and ordering the groups
/// followed it: `check` panicked (index out of bounds) on the `vigie init` template with a
/// typo in `poverty`, which the root's formula names. Now the formula is left uncompiled
/// and the node's own error is the only one reported.
#[test]
fn an_error_in_a_node_a_formula_names_is_reported_not_a_panic() {
    let template = include_str!("../models/template/model.toml");
    for (from, to) in [
        ("impute_value = 40", "impute_value = \"x\""),
        (
            "aggregation = \"arithmetic\"  ",
            "aggregation = \"arithmetik\"  ",
        ),
        (
            "[indicators.poverty]\n",
            "[indicators.poverty]\nlable = 1\n",
        ),
    ] {
        assert!(template.contains(from), "template no longer has {from:?}");
        let (m, d) = check(&template.replacen(from, to, 1));
        assert!(m.is_none(), "{to}");
        assert_eq!(d.iter().filter(|d| d.is_error()).count(), 1, "{to}: {d:?}");
    }
}

/// Scoring the worked example as of 2020 used its 2022-2023 figures without a word: a
/// score that looks ahead. Figures whose period begins after the as-of date are now
/// reported (VG106), whatever the model's freshness limit.
#[test]
fn a_figure_from_after_the_as_of_date_is_reported() {
    let root = env!("CARGO_MANIFEST_DIR");
    let read = |p: &str| std::fs::read_to_string(format!("{root}/{p}")).unwrap();
    let model = Model::from_toml(
        "models/sahel-infrastructure.toml",
        &read("models/sahel-infrastructure.toml"),
    )
    .unwrap();
    let text = read("models/examples/covec-kayes.toml");
    let events = vigie::derive::EventData::from_bytes(
        "events.csv",
        read("models/examples/data/events-western-mali-2025.csv").as_bytes(),
        &model.read_options(),
    )
    .unwrap();
    let positions = vigie::derive::PositionData::from_bytes(
        "positions.csv",
        read("models/examples/data/deployments-mali.csv").as_bytes(),
    )
    .unwrap();
    let at = |as_of: &str| {
        let text = text.replace("as_of = 2025-10-31", &format!("as_of = {as_of}"));
        let project = Project::from_toml("covec-kayes.toml", &text).unwrap();
        let a = vigie::score_with_data(&model, &project, Some(&events), Some(&positions)).unwrap();
        a.warnings
            .iter()
            .filter(|w| w.code == Code::StaleValue)
            .map(|w| w.message.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(at("2025-10-31"), Vec::<String>::new());
    let early = at("2020-06-30");
    assert_eq!(early.len(), 3, "{early:?}");
    assert!(
        early[0].contains("`gdp_per_capita_usd` dates from 2023, after the as-of date 2020-06-30")
    );
}

/// A ratio whose value overflowed a double (1e308 per 1e-300 people) became infinity,
/// which the goalposts clamped into the top score without a word: now an evaluation error
/// located at the value, like a power transform's overflow.
#[test]
fn a_ratio_that_overflows_is_an_evaluation_error_at_its_value() {
    let text = model_with(
        r#"[inputs.people]
label = "People"
[indicators.a]
label = "A"
direction = "higher_is_riskier"
transform = "ratio"
denominator = "people"
multiplier = 100000
normalise = { method = "goalposts", min = 0, max = 20 }"#,
        "[groups.root]\nchildren = [\"a\"]\naggregation = \"arithmetic\"",
    );
    let model = Model::from_toml("m.toml", &text).unwrap();
    let err = vigie::score(&model, &project("a = 1e308\npeople = 1e-300\n")).unwrap_err();
    let d = &err.diagnostics()[0];
    assert_eq!(d.code, Code::Evaluation);
    assert_eq!(
        d.location.as_ref().map(|l| (l.line, l.column)),
        Some((8, 5))
    );
    // An ordinary ratio still scores: 10 per 1,000,000 x 100,000 = 1 of 20 -> 0.5 of 10.
    let a = vigie::score(&model, &project("a = 10\npeople = 1000000\n")).unwrap();
    assert!((a.score - 0.5).abs() < 1e-12, "{}", a.score);
}

/// Weights near 1e308 summed to infinity and every contribution came out `null`: `check`
/// now refuses a model number beyond ±1e100 at its place.
#[test]
fn weights_whose_sum_overflows_are_refused_where_they_are_written() {
    let text = model_with(
        "[indicators.a]\nlabel = \"A\"\ndirection = \"higher_is_riskier\"\nnormalise = { method = \"identity\" }\n[indicators.b]\nlabel = \"B\"\ndirection = \"higher_is_riskier\"\nnormalise = { method = \"identity\" }",
        "[groups.root]\nchildren = [\"a\", \"b\"]\nweights = [1e308, 1e308]\naggregation = \"arithmetic\"",
    );
    let (m, d) = check(&text);
    assert!(m.is_none());
    assert_eq!(codes(&d), [Code::NumberRange, Code::NumberRange]);
    let at: Vec<_> = d
        .iter()
        .map(|d| d.location.as_ref().map(|l| (l.line, l.column)))
        .collect();
    assert_eq!(at, [Some((19, 12)), Some((19, 19))]);
    // Weights near the bound still score, and their contributions add up.
    let ok = text.replace("[1e308, 1e308]", "[2.5e99, 7.5e99]");
    let model = Model::from_toml("m.toml", &ok).unwrap();
    let a = vigie::score(&model, &project("a = 2\nb = 6\n")).unwrap();
    assert!((a.score - 5.0).abs() < 1e-12, "{}", a.score);
    let sum: f64 = a.contributions.iter().map(|c| c.points).sum();
    assert!((sum - 5.0).abs() < 1e-12);
}

/// 100,000 `[` in a project file: every file kind goes through one parser entry, which
/// refuses a file nested deeper than 32 levels before parsing it.
#[test]
fn a_project_nested_100000_deep_is_refused_before_parsing() {
    let text = format!("x = {}", "[".repeat(100_000));
    let (project, d) = vigie::project::read_project(&SourceFile::new("p.toml", text));
    assert!(project.is_none());
    assert_eq!(codes(&d), [Code::TomlNesting]);
    assert_eq!(d[0].location.as_ref().map(|l| l.column), Some(4 + 31 + 1));
}

#[path = "support/wide_model.rs"]
mod wide_model;

/// The models `benches/scale.rs` measures compile and score (so the bench measures
/// scoring, not an error path), in every shape; one group per indicator once made
/// ordering the groups quadratic.
#[test]
fn the_wide_models_of_the_scale_bench_score() {
    use wide_model::Shape;
    for shape in [Shape::Flat, Shape::Tree, Shape::Groups] {
        let (m, p) = wide_model::wide_model(1000, shape);
        let model = Model::from_toml("wide.toml", &m).unwrap();
        let project = Project::from_toml("wide-project.toml", &p).unwrap();
        let a = vigie::score(&model, &project).unwrap();
        // Values i mod 101 on goalposts 0-100, equal weights: the mean of 0..=100 repeated
        // (with 1000 = 9 x 101 + 91 values), whatever the grouping for the flat shape.
        assert!(a.score > 40.0 && a.score < 60.0, "{shape:?}: {}", a.score);
        assert_eq!(a.indicators.len(), 1000);
    }
    // A chain nests one group per level: 1000 levels are refused.
    let (m, _) = wide_model::wide_model(1000, Shape::Chain);
    let (model, d) = check(&m);
    assert!(model.is_none());
    assert_eq!(codes(&d), [Code::TreeDepth]);
}

/// A power mean of exponent 1e-20 raised every child to a power that rounds to exactly 1,
/// so the group scored the top of the scale whatever its children; one of 1e5
/// underflowed every child below the top to 0. `check` bounds the exponent's size.
#[test]
fn a_power_mean_exponent_that_loses_every_digit_is_refused() {
    let indicators = "[indicators.a]\nlabel = \"A\"\ndirection = \"higher_is_riskier\"\nnormalise = { method = \"identity\" }\n[indicators.b]\nlabel = \"B\"\ndirection = \"higher_is_riskier\"\nnormalise = { method = \"identity\" }";
    let group = |p: &str| {
        format!(
            "[groups.root]\nchildren = [\"a\", \"b\"]\naggregation = \"power_mean\"\npower = {p}"
        )
    };
    for p in ["1e-20", "-1e-20", "1e5", "-101"] {
        let (m, d) = check(&model_with(indicators, &group(p)));
        assert!(m.is_none(), "{p}");
        assert_eq!(codes(&d), [Code::NumberRange], "{p}");
    }
    // At the bounds the mean keeps its digits: two children at 5 of 10 give 5.
    for p in ["0.001", "-0.001", "100", "-100"] {
        let model = Model::from_toml("m.toml", &model_with(indicators, &group(p))).unwrap();
        let a = vigie::score(&model, &project("a = 5\nb = 5\n")).unwrap();
        assert!((a.score - 5.0).abs() < 1e-9, "{p}: {}", a.score);
    }
}
