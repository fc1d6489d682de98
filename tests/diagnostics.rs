//! Every diagnostic code a model or project file can trigger, each from one small fixture.
//!
//! Model fixtures live in `tests/fixtures/bad/`, project fixtures in
//! `tests/fixtures/bad-project/`, model test files in `tests/fixtures/bad-tests/` (they test
//! the template model). Each is the crate-doc example (or the project below, or a test file of
//! the template model) with one thing broken; its file name starts with the code it must produce and its first line is a
//! comment saying what is wrong. For each fixture we check the code, the line and column of
//! the FIRST diagnostic with that code, that no unrelated code is reported, and that the file
//! is rejected (errors) or still usable (warnings only).
//!
//! Cases that show a bug in the library are marked `#[ignore = "why"]`; they pass once the bug
//! is fixed.

use std::collections::BTreeSet;
use std::fs;

use vigie::modeltest::load_source;
use vigie::project::read_project;
use vigie::{Code, Diagnostic, Model, Severity, SourceFile, bind::bind};

/// The model of the crate documentation, unchanged: every model fixture breaks one thing of it.
const BASE_MODEL: &str = r#"[model]
id = "demo"
name = "Demo"
version = "1.0.0"
effective = 2025-01-01
scale = [0, 100]

[indicators.attacks]
label = "Attacks within 100 km, last 12 months"
direction = "higher_is_riskier"
normalise = { method = "goalposts", min = 0, max = 10 }

[indicators.poverty]
label = "Poverty headcount"
direction = "higher_is_riskier"
normalise = { method = "goalposts", min = 0, max = 100 }

[groups.risk]
children = ["attacks", "poverty"]
weights = [3, 1]
aggregation = "arithmetic"

[[bands]]
label = "Low"
from = 0
[[bands]]
label = "High"
from = 50
"#;

/// The model project fixtures are bound to: the crate-doc model plus a categorical indicator.
const BIND_MODEL: &str = r#"[model]
id = "demo"
name = "Demo"
version = "1.0.0"
effective = 2025-01-01
scale = [0, 100]

[indicators.attacks]
label = "Attacks within 100 km, last 12 months"
direction = "higher_is_riskier"
normalise = { method = "goalposts", min = 0, max = 10 }

[indicators.poverty]
label = "Poverty headcount"
direction = "higher_is_riskier"
normalise = { method = "goalposts", min = 0, max = 100 }

[indicators.security]
label = "Security forces nearby"
direction = "higher_is_riskier"
normalise = { method = "categorical", map = { none = 0, some = 60 } }

[groups.risk]
children = ["attacks", "poverty", "security"]
weights = [3, 1, 1]
aggregation = "arithmetic"

[[bands]]
label = "Low"
from = 0
[[bands]]
label = "High"
from = 50
"#;

/// A valid project for [`BIND_MODEL`]: every project fixture breaks one thing of it.
const BASE_PROJECT: &str = r#"[project]
id = "site-1"
name = "Site 1"
country = "MLI"
as_of = 2025-10-31

[values]
attacks = 4
poverty = 44.4
security = "some"
"#;

/// Codes no file can trigger on its own, with the reason.
const EXEMPT: &[(Code, &str)] = &[
    (
        Code::GovernanceNote,
        "a warning of an assessment, not a file problem: tests/audit.rs governance_is_shown_and_a_draft_warns_or_fails_under_the_flag",
    ),
    (
        Code::StaleValue,
        "a warning of an assessment or sources listing: tests/audit.rs sources_list_figures_and_flag_stale_ones",
    ),
    (
        Code::Evaluation,
        "raised when evaluating a bound project (e.g. ln of a negative value), not a file check",
    ),
    (
        Code::EvaluationNote,
        "a note about imputing, dropping or clamping during evaluation, not a file problem",
    ),
    (
        Code::DerivedValueGiven,
        "needs a model with a derived indicator: tests/derive.rs a_project_value_for_a_derived_indicator_is_an_error",
    ),
    (
        Code::DataFile,
        "comes from a CSV data file: tests/cli.rs missing_event_column_is_an_error_naming_it",
    ),
    (
        Code::RejectedRowFatal,
        "comes from a CSV data file: tests/derive.rs rejected_rows_are_warnings_or_errors_as_the_model_says",
    ),
    (
        Code::InputFile,
        "an input that is not a regular file or cannot be read: src/input.rs tests, tests/inputs.rs every_command_refuses_non_regular_inputs_at_once",
    ),
    (
        Code::InputTooLarge,
        "a file over the size limit: tests/inputs.rs a_file_over_the_limit_is_refused_and_the_limit_can_be_raised",
    ),
    (
        Code::CountTooLarge,
        "a count from the command line: tests/inputs.rs a_sobol_design_beyond_the_evaluation_limit_is_a_usage_error",
    ),
    (
        Code::OutputIsInput,
        "an output path of a command: tests/inputs.rs an_output_onto_any_input_is_refused_and_nothing_is_written",
    ),
    (
        Code::OutputFile,
        "an output path of a command: tests/inputs.rs an_output_that_cannot_be_written_leaves_the_old_one",
    ),
    (
        Code::AuditBlock,
        "a JSON output given to vigie verify: src/audit.rs tests, tests/inputs.rs verify_refuses_edited_audit_blocks",
    ),
    (
        Code::AuditReplay,
        "a JSON output given to vigie verify: tests/inputs.rs verify_refuses_edited_audit_blocks",
    ),
    (
        Code::RejectedRow,
        "comes from a CSV data file: tests/derive.rs and tests/cli.rs bad_event_rows_are_reported_with_their_lines_and_counted",
    ),
    (
        Code::EmptyDataFile,
        "comes from a CSV data file: tests/data_files.rs a_file_with_no_usable_row_is_an_error_unless_the_model_allows_it",
    ),
    (
        Code::CoverageFatal,
        "comes from a CSV data file and the as-of date: tests/data_files.rs coverage_error_and_staleness_tolerance_come_from_the_model",
    ),
    (
        Code::RecordTooLong,
        "comes from a CSV data file: tests/data_files.rs a_record_without_end_is_refused_after_the_limit_not_held_whole",
    ),
    (
        Code::DataCoverage,
        "a warning of an assessment about a data file: tests/data_files.rs a_stale_file_warns_with_its_dates_and_the_indicators_it_leaves_short",
    ),
    (
        Code::DuplicateDisagrees,
        "a warning of an assessment about a data file: tests/data_files.rs an_event_on_several_rows_counts_once_and_matches_any_of_its_actors",
    ),
];

/// Which reader a fixture goes through.
#[derive(Clone, Copy, Debug)]
enum Kind {
    /// `Model::check`.
    Model,
    /// `read_project`, then `bind` to [`BIND_MODEL`] if the project reads cleanly.
    Project,
    /// `modeltest::load_source`: a model test file and everything it names.
    TestFile,
}

impl Kind {
    fn dir(self) -> &'static str {
        match self {
            Kind::Model => "bad",
            Kind::Project => "bad-project",
            Kind::TestFile => "bad-tests",
        }
    }
}

/// One fixture and what it must report.
#[derive(Clone, Copy, Debug)]
struct Case {
    kind: Kind,
    /// File name in the kind's fixture directory; starts with the code.
    file: &'static str,
    /// The code the fixture exists for.
    code: Code,
    /// 1-based line of the first diagnostic with `code`.
    line: usize,
    /// 1-based column (characters) of the first diagnostic with `code`.
    column: usize,
    /// The text at that line and column must start with this (keeps the numbers honest).
    at: &'static str,
    /// Other codes the file may also report (consequences of the same mistake).
    also: &'static [Code],
}

const fn model(
    file: &'static str,
    code: Code,
    line: usize,
    column: usize,
    at: &'static str,
) -> Case {
    Case {
        kind: Kind::Model,
        file,
        code,
        line,
        column,
        at,
        also: &[],
    }
}

const fn project(
    file: &'static str,
    code: Code,
    line: usize,
    column: usize,
    at: &'static str,
) -> Case {
    Case {
        kind: Kind::Project,
        ..model(file, code, line, column, at)
    }
}

const fn test_file(
    file: &'static str,
    code: Code,
    line: usize,
    column: usize,
    at: &'static str,
) -> Case {
    Case {
        kind: Kind::TestFile,
        ..model(file, code, line, column, at)
    }
}

impl Case {
    const fn also(self, codes: &'static [Code]) -> Case {
        Case {
            also: codes,
            ..self
        }
    }
}

/// What reading a fixture gave.
struct Outcome {
    src: SourceFile,
    diags: Vec<Diagnostic>,
    /// The model, or the bound project, came out (the file is usable).
    usable: bool,
}

fn fixture_path(kind: Kind, file: &str) -> String {
    format!(
        "{}/tests/fixtures/{}/{file}",
        env!("CARGO_MANIFEST_DIR"),
        kind.dir()
    )
}

fn load(kind: Kind, file: &str) -> SourceFile {
    let path = fixture_path(kind, file);
    let text =
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: cannot read {path}: {e}"));
    SourceFile::new(file, text)
}

fn bind_model() -> Model {
    Model::from_toml("bind-model.toml", BIND_MODEL).expect("BIND_MODEL is valid")
}

fn check_model(src: SourceFile) -> Outcome {
    let (model, diags) = Model::check(&src);
    Outcome {
        src,
        diags,
        usable: model.is_some(),
    }
}

fn check_project(src: SourceFile) -> Outcome {
    let (project, mut diags) = read_project(&src);
    let mut usable = false;
    if let Some(project) = project {
        let (bound, more) = bind(&bind_model(), &project);
        diags.extend(more);
        usable = bound.is_some();
    }
    Outcome { src, diags, usable }
}

/// Loads a test file as `vigie test` does, its paths relative to the fixtures' folder; no
/// environment variable is set.
fn check_test_file(src: SourceFile) -> Outcome {
    let folder = format!("{}/tests/fixtures/bad-tests", env!("CARGO_MANIFEST_DIR"));
    let loaded = load_source(src.clone(), std::path::Path::new(&folder), &|_| None);
    Outcome {
        src,
        diags: loaded.diagnostics,
        usable: loaded.suite.is_some(),
    }
}

fn run(kind: Kind, file: &str) -> Outcome {
    let src = load(kind, file);
    match kind {
        Kind::Model => check_model(src),
        Kind::Project => check_project(src),
        Kind::TestFile => check_test_file(src),
    }
}

fn listing(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| format!("\n    {d}"))
        .collect::<String>()
}

fn codes(diags: &[Diagnostic]) -> Vec<Code> {
    diags.iter().map(|d| d.code).collect()
}

fn first_of(out: &Outcome, code: Code) -> &Diagnostic {
    out.diags
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| {
            panic!(
                "{}: expected {code}, got:{}",
                out.src.name(),
                listing(&out.diags)
            )
        })
}

/// Checks one case; every message names the fixture.
fn check(case: &Case) {
    let out = run(case.kind, case.file);
    let file = case.file;
    let all = listing(&out.diags);
    let d = first_of(&out, case.code);

    let loc = d
        .location
        .as_ref()
        .unwrap_or_else(|| panic!("{file}: {} has no location", case.code));
    assert_eq!(
        (loc.line, loc.column),
        (case.line, case.column),
        "{file}: {} should be at {}:{} (`{}`), got {}:{} (`{}`):{all}",
        case.code,
        case.line,
        case.column,
        case.at,
        loc.line,
        loc.column,
        text_at(&out.src, loc.line, loc.column),
    );
    assert_eq!(loc.file, file, "{file}: location names the wrong file");
    assert!(
        text_at(&out.src, case.line, case.column).starts_with(case.at),
        "{file}: the case table is stale: {}:{} reads `{}`, not `{}`",
        case.line,
        case.column,
        text_at(&out.src, case.line, case.column),
        case.at
    );
    assert_eq!(
        d.severity,
        case.code.severity(),
        "{file}: severity of {}",
        case.code
    );

    let unrelated: Vec<Code> = codes(&out.diags)
        .into_iter()
        .filter(|c| *c != case.code && !case.also.contains(c))
        .collect();
    assert!(
        unrelated.is_empty(),
        "{file}: unrelated diagnostics {unrelated:?}:{all}"
    );

    let has_errors = out.diags.iter().any(Diagnostic::is_error);
    assert_eq!(
        out.usable, !has_errors,
        "{file}: usable = {} but errors = {has_errors}:{all}",
        out.usable
    );
    if case.code.severity() == Severity::Warning && case.also.is_empty() {
        assert!(
            out.usable,
            "{file}: a warning alone must not reject the file:{all}"
        );
    }
}

/// The rest of a line from a 1-based character column.
fn text_at(src: &SourceFile, line: usize, column: usize) -> String {
    src.line_text(line)
        .chars()
        .skip(column.saturating_sub(1))
        .collect()
}

macro_rules! opt {
    () => {
        None
    };
    ($x:literal) => {
        Some($x)
    };
}

/// One `#[test]` per case, plus `CASES` (each with its known bug, if any) for the meta tests.
macro_rules! cases {
    ($( $(#[ignore = $why:literal])? $name:ident = $case:expr; )*) => {
        const CASES: &[(Case, Option<&str>)] = &[$(($case, opt!($($why)?))),*];
        $(
            #[test]
            $(#[ignore = $why])?
            fn $name() {
                check(&$case);
            }
        )*
    };
}

cases! {
    // Model files.
    vg001_toml_syntax =
        model("VG001-toml-syntax.toml", Code::TomlSyntax, 11, 13, "higher_is_riskier");
    vg002_project_given_as_model =
        model("VG002-project-as-model.toml", Code::WrongFileKind, 2, 1, "[project]");
    vg003_unknown_key = model("VG003-unknown-key.toml", Code::UnknownKey, 21, 1, "weigths");
    // `direction` missing makes the indicator unreadable; the group then reports its child as
    // undefined (VG011): see `unreadable_indicator_does_not_cascade_into_unknown_child`.
    vg004_missing_key =
        model("VG004-missing-key.toml", Code::MissingKey, 14, 1, "[indicators.poverty]")
            .also(&[Code::UnknownChild]);
    // VG101: with no groups, no indicator is used. VG017: see
    // `model_without_groups_is_not_reported_as_a_cycle`.
    vg004_missing_groups = model("VG004-missing-groups.toml", Code::MissingKey, 1, 1, "# VG004")
        .also(&[Code::Root, Code::UnusedIndicator]);
    vg005_wrong_type = model("VG005-wrong-type.toml", Code::WrongType, 29, 8, "\"50\"");
    vg006_bad_direction =
        model("VG006-bad-direction.toml", Code::InvalidValue, 11, 13, "\"higher_is_risky\"")
            .also(&[Code::UnknownChild]);
    vg006_bad_semver = model("VG006-bad-semver.toml", Code::InvalidValue, 5, 11, "\"1.0\"");
    vg007_goalpost_inf = model("VG007-goalpost-inf.toml", Code::InexactNumber, 12, 43, "inf")
        .also(&[Code::UnknownChild]);
    vg010_duplicate_id = model("VG010-duplicate-id.toml", Code::DuplicateId, 19, 9, "attacks]");
    vg011_unknown_child =
        model("VG011-unknown-child.toml", Code::UnknownChild, 20, 35, "\"povrety\"");
    vg012_child_used_twice =
        model("VG012-child-used-twice.toml", Code::ChildUsedTwice, 20, 35, "\"attacks\"]");
    vg013_negative_weight = model("VG013-negative-weight.toml", Code::NegativeWeight, 21, 15, "-1");
    vg014_zero_weight_sum =
        model("VG014-zero-weight-sum.toml", Code::ZeroWeightSum, 21, 11, "[0, 0]");
    vg015_nan_weight = model("VG015-nan-weight.toml", Code::NonFiniteWeight, 21, 12, "nan");
    vg016_weight_count = model("VG016-weight-count.toml", Code::WeightCount, 21, 11, "[3, 1, 1]");
    vg017_two_roots = model("VG017-two-roots.toml", Code::Root, 19, 9, "risk]");
    vg017_root_not_a_group = model("VG017-root-not-a-group.toml", Code::Root, 8, 8, "\"attacks\"");
    vg018_formula_cycle = model("VG018-formula-cycle.toml", Code::Cycle, 19, 9, "risk]");
    // Two groups that are each other's child leave no root: VG017 is part of the same mistake.
    vg018_mutual_children = model("VG018-mutual-children.toml", Code::Cycle, 19, 9, "risk]")
        .also(&[Code::Root]);
    vg019_empty_group = model("VG019-empty-group.toml", Code::EmptyGroup, 25, 12, "[]");
    vg020_bands_out_of_order = model("VG020-bands-out-of-order.toml", Code::BandOrder, 32, 8, "30");
    vg021_unknown_band = model("VG021-unknown-band.toml", Code::UnknownBand, 35, 8, "\"Hihg\"");
    vg030_formula_syntax = model("VG030-formula-syntax.toml", Code::FormulaSyntax, 33, 24, "* 5");
    vg031_formula_unknown_name =
        model("VG031-formula-unknown-name.toml", Code::FormulaUnknownName, 33, 27, "povrety");

    vg031_formula_in_multiline_string =
        model("VG031-formula-multiline-string.toml", Code::FormulaUnknownName, 23, 14, "povrety");
    vg032_formula_arity = model("VG032-formula-arity.toml", Code::FormulaLimit, 33, 9, "if(");
    vg032_formula_too_deep =
        model("VG032-formula-too-deep.toml", Code::FormulaLimit, 33, 41, "(raw.attacks");
    vg032_formula_unknown_function =
        model("VG032-formula-unknown-function.toml", Code::FormulaLimit, 33, 9, "maxx(");
    vg040_goalposts_equal =
        model("VG040-goalposts-equal.toml", Code::Normalisation, 12, 43, "10, max");
    vg040_non_monotone_goalposts =
        model("VG040-non-monotone-goalposts.toml", Code::Normalisation, 12, 13, "{ method");
    vg040_piecewise_not_increasing =
        model("VG040-piecewise-not-increasing.toml", Code::Normalisation, 12, 64, "[5, 100]");
    vg041_ln_of_zero = model("VG041-ln-of-zero.toml", Code::Transform, 13, 43, "0, max");
    vg042_scale_reversed = model("VG042-scale-reversed.toml", Code::Scale, 7, 9, "[100, 0]");
    vg033_toml_nesting = model("VG033-toml-nesting.toml", Code::TomlNesting, 8, 39, "[[[");
    vg034_tree_too_deep = model("VG034-tree-too-deep.toml", Code::TreeDepth, 2, 1853, "l33 =");
    vg043_weight_1e308 = model("VG043-weight-1e308.toml", Code::NumberRange, 21, 12, "1e308,");
    vg043_weight_subnormal =
        model("VG043-weight-subnormal.toml", Code::NumberRange, 21, 12, "5e-324,");
    vg043_goalposts_1e308 =
        model("VG043-goalposts-1e308.toml", Code::NumberRange, 12, 43, "-1e308,");
    vg044_too_many_options =
        model("VG044-too-many-options.toml", Code::TooMany, 13, 27, "{ method");
    vg043_scale_1e308 = model("VG043-scale-1e308.toml", Code::NumberRange, 7, 10, "-1e308,");
    vg050_rule_conflict = model("VG050-rule-conflict.toml", Code::RuleConflict, 32, 6, "\"floor\"");
    vg080_dirichlet_concentration =
        model("VG080-dirichlet-concentration.toml", Code::Uncertainty, 33, 17, "0");
    vg082_review_before_approval =
        model("VG082-review-before-approval.toml", Code::Governance, 11, 15, "2025-01-01");
    vg081_finance_band_missing =
        model("VG081-finance-band-missing.toml", Code::Finance, 33, 49, "Hihg");
    vg100_direction_mismatch = model(
        "VG100-direction-mismatch.toml",
        Code::DirectionMismatch, 12, 13, "{ method = \"piecewise\"",
    );
    vg101_unused_indicator =
        model("VG101-unused-indicator.toml", Code::UnusedIndicator, 19, 13, "crime]");

    // Project files.
    vg002_model_given_as_project =
        project("VG002-model-as-project.toml", Code::WrongFileKind, 2, 1, "[model]");
    vg007_inexact_amount =
        project("VG007-inexact-amount.toml", Code::InexactNumber, 9, 10, "1234567890.1234567");
    // The typo leaves `attacks` without a value: VG061 is part of the same mistake.
    vg083_unknown_currency =
        project("VG083-unknown-currency.toml", Code::UnknownIsoCode, 10, 12, "\"CFA\"");
    vg084_amount_too_large =
        project("VG084-amount-too-large.toml", Code::AmountTooLarge, 9, 10, "\"1e30\"");
    vg060_unknown_input = project("VG060-unknown-input.toml", Code::UnknownInput, 9, 1, "atacks")
        .also(&[Code::MissingInput]);
    vg061_missing_input = project("VG061-missing-input.toml", Code::MissingInput, 8, 1, "[values]");
    vg062_range_reversed =
        project("VG062-range-reversed.toml", Code::InvalidRange, 10, 19, "50, high = 40");
    // VG061 here is a bug: see `rejected_value_does_not_cascade_into_missing_input`.
    vg063_unknown_category =
        project("VG063-unknown-category.toml", Code::UnknownCategory, 11, 12, "\"lots\"")
            .also(&[Code::MissingInput]);
    vg102_unverified_input =
        project("VG102-unverified-input.toml", Code::InputStatus, 10, 1, "poverty");

    // Model test files.
    vg090_model_missing = test_file(
        "VG090-model-missing.toml", Code::TestFileTarget, 2, 9, "\"../../../models/template/no-such",
    );
    vg091_unknown_rule =
        test_file("VG091-unknown-rule.toml", Code::TestUnknownName, 7, 10, "\"frequent_atacks\"");
    vg092_no_inputs = test_file("VG092-no-inputs.toml", Code::TestCaseShape, 5, 8, "\"three attacks\"");
    vg093_missing_column =
        test_file("VG093-missing-column.toml", Code::TestTable, 9, 26, "\"attacks\"");
}

// ---------------------------------------------------------------------------------------------
// The starting points are valid.

#[test]
fn base_model_and_project_are_clean() {
    let out = check_model(SourceFile::new("base.toml", BASE_MODEL));
    assert!(
        out.usable && out.diags.is_empty(),
        "{}",
        listing(&out.diags)
    );
    let out = check_project(SourceFile::new("project.toml", BASE_PROJECT));
    assert!(
        out.usable && out.diags.is_empty(),
        "{}",
        listing(&out.diags)
    );
}

/// Each model fixture (but the wrong-kind one) is the base model with few lines changed.
#[test]
fn model_fixtures_are_small_variations_of_the_base() {
    let base: BTreeSet<&str> = BASE_MODEL.lines().collect();
    for (case, _) in CASES.iter().filter(|(c, _)| matches!(c.kind, Kind::Model)) {
        if case.code == Code::WrongFileKind {
            continue;
        }
        let src = load(case.kind, case.file);
        let lines: Vec<&str> = src.text().lines().skip(1).collect();
        let new = lines.iter().filter(|l| !base.contains(**l)).count();
        let kept: BTreeSet<&str> = lines.iter().copied().collect();
        let dropped = base.iter().filter(|l| !kept.contains(**l)).count();
        assert!(
            new <= 16 && dropped <= 4,
            "{}: {new} new and {dropped} dropped lines: not a small variation of the base",
            case.file
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Details of particular diagnostics.

#[test]
fn vg003_suggests_the_close_key() {
    let out = run(Kind::Model, "VG003-unknown-key.toml");
    let d = first_of(&out, Code::UnknownKey);
    assert_eq!(
        d.help.as_deref(),
        Some("did you mean `weights`?"),
        "VG003-unknown-key.toml"
    );
}

#[test]
fn vg010_related_points_at_the_first_definition() {
    let out = run(Kind::Model, "VG010-duplicate-id.toml");
    let d = first_of(&out, Code::DuplicateId);
    assert_eq!(
        d.related.len(),
        1,
        "VG010-duplicate-id.toml: {:?}",
        d.related
    );
    let r = &d.related[0];
    // `[indicators.attacks]`: the key starts at column 13 of line 9.
    assert_eq!(
        (r.location.line, r.location.column),
        (9, 13),
        "VG010-duplicate-id.toml: related should point at `attacks` in [indicators.attacks]"
    );
    assert_eq!(r.message, "first defined here");
}

#[test]
fn vg012_related_points_at_the_first_use() {
    let out = run(Kind::Model, "VG012-child-used-twice.toml");
    let d = first_of(&out, Code::ChildUsedTwice);
    let r = d
        .related
        .first()
        .expect("VG012-child-used-twice.toml: a related place");
    assert_eq!(
        (r.location.line, r.location.column),
        (20, 13),
        "VG012-child-used-twice.toml"
    );
}

#[test]
fn vg081_names_the_unknown_band_and_the_missing_one() {
    let out = run(Kind::Model, "VG081-finance-band-missing.toml");
    let messages: Vec<&str> = out
        .diags
        .iter()
        .filter(|d| d.code == Code::Finance)
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(
        messages[0].contains("did you mean `High`?"),
        "{}",
        messages[0]
    );
    assert!(messages[1].ends_with("missing: High"), "{}", messages[1]);
}

#[test]
fn vg050_related_points_at_the_other_rule() {
    let out = run(Kind::Model, "VG050-rule-conflict.toml");
    let d = first_of(&out, Code::RuleConflict);
    let r = d
        .related
        .first()
        .expect("VG050-rule-conflict.toml: a related place");
    // `id = "cap"`, line 39.
    assert_eq!(
        (r.location.line, r.location.column),
        (39, 6),
        "VG050-rule-conflict.toml"
    );
}

#[test]
fn vg011_vg021_vg031_vg060_suggest_the_close_name() {
    for (kind, file, code, help) in [
        (
            Kind::Model,
            "VG011-unknown-child.toml",
            Code::UnknownChild,
            "did you mean `poverty`?",
        ),
        (
            Kind::Model,
            "VG021-unknown-band.toml",
            Code::UnknownBand,
            "did you mean `High`?",
        ),
        (
            Kind::Model,
            "VG031-formula-unknown-name.toml",
            Code::FormulaUnknownName,
            "did you mean `poverty`?",
        ),
        (
            Kind::Project,
            "VG060-unknown-input.toml",
            Code::UnknownInput,
            "did you mean `attacks`?",
        ),
        (
            Kind::Project,
            "VG063-unknown-category.toml",
            Code::UnknownCategory,
            "categories are: none, some",
        ),
    ] {
        let out = run(kind, file);
        assert_eq!(first_of(&out, code).help.as_deref(), Some(help), "{file}");
    }
}

#[test]
fn vg031_column_points_at_the_name_inside_the_formula() {
    let file = "VG031-formula-unknown-name.toml";
    let out = run(Kind::Model, file);
    let d = first_of(&out, Code::FormulaUnknownName);
    let loc = d.location.as_ref().unwrap();
    let line = out.src.line_text(loc.line);
    assert!(
        line.starts_with("when = \""),
        "{file}: line {} is `{line}`",
        loc.line
    );
    let expected = line.find("povrety").unwrap() + 1;
    assert_eq!(loc.column, expected, "{file}: column inside `{line}`");
    assert_eq!(&out.src.text()[loc.span.clone()], "povrety", "{file}: span");
}

#[test]
fn vg100_is_a_warning_and_the_model_still_compiles() {
    let src = load(Kind::Model, "VG100-direction-mismatch.toml");
    let (model, diags) = Model::from_source(&src)
        .unwrap_or_else(|e| panic!("VG100-direction-mismatch.toml must compile: {e}"));
    assert_eq!(codes(&diags), [Code::DirectionMismatch]);
    assert_eq!(diags[0].severity, Severity::Warning);
    assert_eq!(model.indicators().len(), 2);
}

#[test]
fn vg101_is_a_warning_and_the_model_still_compiles() {
    let src = load(Kind::Model, "VG101-unused-indicator.toml");
    let (_, diags) = Model::from_source(&src)
        .unwrap_or_else(|e| panic!("VG101-unused-indicator.toml must compile: {e}"));
    assert_eq!(codes(&diags), [Code::UnusedIndicator]);
    assert_eq!(diags[0].severity, Severity::Warning);
}

#[test]
fn vg102_is_a_warning_and_the_project_still_binds() {
    let out = run(Kind::Project, "VG102-unverified-input.toml");
    assert!(
        out.usable,
        "VG102-unverified-input.toml:{}",
        listing(&out.diags)
    );
    assert_eq!(codes(&out.diags), [Code::InputStatus]);
    assert_eq!(out.diags[0].severity, Severity::Warning);
}

#[test]
fn three_independent_errors_are_reported_in_one_run() {
    let file = "VG003-VG013-VG031-three-errors.toml";
    let out = run(Kind::Model, file);
    assert!(!out.usable, "{file}");
    let got: Vec<(Code, usize, usize)> = out
        .diags
        .iter()
        .map(|d| {
            let loc = d.location.as_ref().unwrap();
            (d.code, loc.line, loc.column)
        })
        .collect();
    assert_eq!(
        got,
        [
            (Code::UnknownKey, 8, 1),          // [model] ownr = ...
            (Code::NegativeWeight, 22, 15),    // [groups.risk] weights = [3, -1]
            (Code::FormulaUnknownName, 34, 9), // [[rules]] when = "raw.atacks >= 5"
        ],
        "{file}:{}",
        listing(&out.diags)
    );
}

// ---------------------------------------------------------------------------------------------
// Known cascades: a second, misleading diagnostic after the real one.

#[test]

fn unreadable_indicator_does_not_cascade_into_unknown_child() {
    for file in [
        "VG004-missing-key.toml",
        "VG006-bad-direction.toml",
        "VG007-goalpost-inf.toml",
    ] {
        let out = run(Kind::Model, file);
        assert!(
            !codes(&out.diags).contains(&Code::UnknownChild),
            "{file}: the indicator is defined, VG011 is misleading:{}",
            listing(&out.diags)
        );
    }
}

#[test]

fn rejected_value_does_not_cascade_into_missing_input() {
    let file = "VG063-unknown-category.toml";
    let out = run(Kind::Project, file);
    assert_eq!(
        codes(&out.diags),
        [Code::UnknownCategory],
        "{file}: `security` is given, VG061 is misleading:{}",
        listing(&out.diags)
    );
}

#[test]
fn model_without_groups_is_not_reported_as_a_cycle() {
    let file = "VG004-missing-groups.toml";
    let out = run(Kind::Model, file);
    assert!(
        !codes(&out.diags).contains(&Code::Root),
        "{file}: there are no groups, not a cycle:{}",
        listing(&out.diags)
    );
}

// ---------------------------------------------------------------------------------------------
// Coverage and bookkeeping.

#[test]
fn every_code_is_covered_by_a_fixture_or_exempt() {
    let covered: BTreeSet<Code> = CASES
        .iter()
        .filter(|(_, bug)| bug.is_none())
        .map(|(c, _)| c.code)
        .collect();
    let exempt: BTreeSet<Code> = EXEMPT.iter().map(|(c, _)| *c).collect();
    let missing: Vec<&str> = Code::ALL
        .iter()
        .filter(|c| !covered.contains(c) && !exempt.contains(c))
        .map(|c| c.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "codes with no passing fixture: {missing:?}"
    );
    let stale: Vec<&str> = exempt
        .iter()
        .filter(|c| covered.contains(c))
        .map(|c| c.as_str())
        .collect();
    assert!(
        stale.is_empty(),
        "exempt codes that have a fixture: {stale:?}"
    );
    for (code, why) in EXEMPT {
        assert!(!why.is_empty(), "{code} is exempt without a reason");
    }
}

#[test]
fn fixtures_are_named_and_commented_after_their_code() {
    for (case, _) in CASES {
        assert!(
            case.file.starts_with(case.code.as_str()) && case.file.ends_with(".toml"),
            "{}: the file name must start with {}",
            case.file,
            case.code
        );
        let src = load(case.kind, case.file);
        let first = src.line_text(1);
        assert!(
            first.starts_with(&format!("# {}", case.code)),
            "{}: line 1 must be a comment naming {}, found `{first}`",
            case.file,
            case.code
        );
    }
}

#[test]
fn every_fixture_file_has_a_case() {
    let mut used: BTreeSet<String> = CASES
        .iter()
        .map(|(c, _)| format!("{}/{}", c.kind.dir(), c.file))
        .collect();
    used.insert("bad/VG003-VG013-VG031-three-errors.toml".to_string());
    for kind in [Kind::Model, Kind::Project, Kind::TestFile] {
        let dir = format!(
            "{}/tests/fixtures/{}",
            env!("CARGO_MANIFEST_DIR"),
            kind.dir()
        );
        for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir}: {e}")) {
            let name = entry.unwrap().file_name().into_string().unwrap();
            let key = format!("{}/{name}", kind.dir());
            assert!(used.contains(&key), "{key}: fixture without a test case");
        }
    }
}
