//! Model tests (`vigie test`): the shipped models' reference cases pass; a wrong expectation
//! fails with exit 1 and shows what was expected and what the model gave; an absent
//! reference table is skipped, or fails under `CI=true`; a bad test file is refused with
//! located diagnostics (exit 2). The library's runner is checked directly too.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use vigie::SourceFile;
use vigie::modeltest::report::{Item, Shown};
use vigie::modeltest::{CaseStatus, RunOptions, load_source, run_suite};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Runs vigie from the package root, without colour and with no CI setting of its own.
fn vigie(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vigie"));
    cmd.args(args)
        .current_dir(ROOT)
        .env("NO_COLOR", "1")
        .env_remove("CI");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run vigie")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

/// True when the reference tables can be found the way the test files find them; the
/// shipped test files then run every table case, and skip them otherwise (or fail under
/// `CI=true`, which the test harness passes on to vigie).
fn reference_tables_present() -> bool {
    let dir = std::env::var_os("VIGIE_REFERENCE_DIR")
        .filter(|v| !v.is_empty())
        .map_or_else(
            || Path::new(ROOT).join("../shared/reference"),
            PathBuf::from,
        );
    dir.join("hdi/hdi-2022.csv").is_file()
        && dir.join("inform/inform-sahel-2017-results.csv").is_file()
}

/// Runs the shipped test files as a user does, passing this process's CI and reference
/// folder on: a CI run without the tables must fail, as the reference tests do.
fn vigie_as_user(args: &[&str]) -> Output {
    let mut env = Vec::new();
    let ci = std::env::var("CI").unwrap_or_default();
    let reference = std::env::var("VIGIE_REFERENCE_DIR").unwrap_or_default();
    if !ci.is_empty() {
        env.push(("CI", ci.as_str()));
    }
    if !reference.is_empty() {
        env.push(("VIGIE_REFERENCE_DIR", reference.as_str()));
    }
    vigie(args, &env)
}

#[test]
fn every_shipped_model_passes_its_reference_cases() {
    let o = vigie_as_user(&["test"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
    for line in [
        "models/template/tests/model.toml: model my-model 0.1.0 (models/template/model.toml)",
        "models/tests/sahel-infrastructure.toml: model sahel-infrastructure 1.2.0 (models/sahel-infrastructure.toml)",
        "  PASS  worked example: COVEC RN1 Kayes-Sandare  [models/tests/sahel-infrastructure.toml:24]",
        "  PASS  unprotected attack zone: band raised to Severe  [models/tests/sahel-infrastructure.toml:45]",
        "  PASS  lethal conflict zone: score floored at 60  [models/tests/sahel-infrastructure.toml:73]",
        "  PASS  by hand: capped schooling, logged income  [models/tests/hdi.toml:30]",
        "  PASS  Kayes (ML-1): RISK 5.7  [models/tests/inform-sahel.toml:88]",
        "  PASS  three attacks, no army  [models/template/tests/model.toml:14]",
        "  PASS  worked example: COVEC RN1 Kayes-Sandare, unchanged from 1.1.0 to 1.2.0  [models/history/tests/sahel-infrastructure-1.1.0.toml:10]",
    ] {
        assert!(out.contains(line), "missing `{line}` in:\n{out}");
    }
    if reference_tables_present() {
        assert!(out.contains(
            "  PASS  HDR 2023/24: the published HDI of all 193 countries (193 rows)  [models/tests/hdi.toml:16]"
        ), "{out}");
        assert!(out.contains(
            "  PASS  INFORM Sahel 2017 v1.0.2: every category, dimension and RISK of the 135 units (135 rows)  [models/tests/inform-sahel.toml:19]"
        ), "{out}");
        assert!(
            out.ends_with("test result: ok · 10 passed · 0 failed · 0 skipped · 5 file(s)\n"),
            "{out}"
        );
    } else {
        assert!(
            out.ends_with("test result: ok · 8 passed · 0 failed · 2 skipped · 5 file(s)\n"),
            "{out}"
        );
    }
    // Every model under models/ has a test file.
    assert!(!out.contains("no test file"), "{out}");
}

#[test]
fn json_report_lists_every_case_with_its_rows() {
    let o = vigie_as_user(&["test", "models", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let files = json["files"].as_array().unwrap();
    assert_eq!(files.len(), 5);
    let sahel = files
        .iter()
        .find(|f| f["model_id"] == "sahel-infrastructure" && f["model_version"] == "1.2.0")
        .unwrap();
    assert_eq!(sahel["model_file"], "models/sahel-infrastructure.toml");
    let worked = &sahel["cases"][0];
    assert_eq!(worked["name"], "worked example: COVEC RN1 Kayes-Sandare");
    assert_eq!(worked["status"], "pass");
    assert_eq!(worked["rows"], 1);
    assert!(worked.get("differences").is_none());
    let hdi = files.iter().find(|f| f["model_id"] == "undp-hdi").unwrap();
    let table = &hdi["cases"][0];
    if reference_tables_present() {
        assert_eq!(table["status"], "pass");
        assert_eq!(table["rows"], 193);
        assert_eq!(json["summary"]["passed"], 10);
    } else {
        assert_eq!(table["status"], "skip");
        assert_eq!(table["rows"], 0);
        assert_eq!(json["summary"]["skipped"], 2);
    }
    assert_eq!(json["summary"]["failed"], 0);
    assert_eq!(json["summary"]["files"], 5);
}

/// The worked example with four wrong expectations: each is reported, expected vs got.
const WRONG: &str = r#"model = "MODELS/sahel-infrastructure.toml"

[[cases]]
name = "worked example, wrongly expected"
project_file = "MODELS/examples/covec-kayes.toml"
score = 57.3
band = "Severe"
fires = ["unprotected_attack_zone"]
nodes = { security = 50, socioeconomic = 55.8 }

[[cases]]
name = "worked example, rightly expected"
project_file = "MODELS/examples/covec-kayes.toml"
score = 57.2
"#;

fn wrong_test_file(dir: &Path) -> String {
    let text = WRONG.replace("MODELS", &format!("{ROOT}/models"));
    write(dir, "wrong.toml", &text)
}

#[test]
fn a_wrong_expectation_fails_with_expected_and_got() {
    let dir = scratch("modeltest-wrong");
    let file = wrong_test_file(&dir);
    let o = vigie(&["test", &file], &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    let expected = format!(
        "{file}: model sahel-infrastructure 1.2.0 ({ROOT}/models/sahel-infrastructure.toml)
  FAIL  worked example, wrongly expected  [{file}:4]
        score: expected 57.3, got 57.2 (at 1 decimal)
        band: expected Severe, got High
        rule `unprotected_attack_zone`: expected fires, got quiet
        node `security`: expected 50, got 57.930922317677954 (at 1 decimal)
        groups as scored: overall 57.2 · security 57.930922317677954 · socioeconomic 55.82978756906534
  PASS  worked example, rightly expected  [{file}:12]

test result: FAILED · 1 passed · 1 failed · 0 skipped · 1 file(s)
"
    );
    // `fires` without `fires_only` asks only that the listed rules fire: the rule that
    // does fire here is not a difference.
    assert_eq!(out, expected);
}

#[test]
fn the_library_reports_differences_as_data() {
    let dir = scratch("modeltest-library");
    let file = wrong_test_file(&dir);
    let src = SourceFile::new("wrong.toml", std::fs::read_to_string(&file).unwrap());
    let loaded = load_source(src, &dir, &|_| None);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let suite = loaded.suite.unwrap();
    let report = run_suite(&suite, RunOptions::default());
    let wrong = &report.cases[0];
    assert_eq!(wrong.status, CaseStatus::Fail);
    assert_eq!(wrong.defined_at, "wrong.toml:4");
    let got: Vec<(Item, Option<&str>, &Shown, &Shown)> = wrong
        .differences
        .iter()
        .map(|d| (d.item, d.id.as_deref(), &d.expected, &d.got))
        .collect();
    assert_eq!(
        got,
        [
            (
                Item::Score,
                None,
                &Shown::Number(57.3),
                &Shown::Number(57.2)
            ),
            (
                Item::Band,
                None,
                &Shown::Text("Severe".into()),
                &Shown::Text("High".into())
            ),
            (
                Item::Rule,
                Some("unprotected_attack_zone"),
                &Shown::Text("fires".into()),
                &Shown::Text("quiet".into())
            ),
            (
                Item::Node,
                Some("security"),
                &Shown::Number(50.0),
                &Shown::Number(57.930922317677954)
            ),
        ]
    );
    assert_eq!(report.cases[1].status, CaseStatus::Pass);
}

#[test]
fn an_absent_reference_table_is_skipped_but_fails_under_ci() {
    let dir = scratch("modeltest-absent");
    let absent = dir.join("no-reference-here").display().to_string();
    let o = vigie(
        &["test", "models/hdi.toml"],
        &[("VIGIE_REFERENCE_DIR", &absent)],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains(&format!(
            "  SKIP  HDR 2023/24: the published HDI of all 193 countries  [models/tests/hdi.toml:16]\n        reference table {absent}/hdi/hdi-2022.csv cannot be read"
        )),
        "{out}"
    );
    assert!(out.contains("found through $VIGIE_REFERENCE_DIR"), "{out}");
    assert!(
        out.contains("  PASS  by hand: capped schooling, logged income"),
        "{out}"
    );
    assert!(
        out.ends_with("test result: ok · 1 passed · 0 failed · 1 skipped · 1 file(s)\n"),
        "{out}"
    );

    let o = vigie(
        &["test", "models/hdi.toml"],
        &[("VIGIE_REFERENCE_DIR", &absent), ("CI", "true")],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("  FAIL  HDR 2023/24: the published HDI of all 193 countries"),
        "{out}"
    );
    assert!(out.contains("absent tables fail under CI=true"), "{out}");
    assert!(
        out.ends_with("test result: FAILED · 1 passed · 1 failed · 0 skipped · 1 file(s)\n"),
        "{out}"
    );
}

#[test]
fn a_bad_test_file_gives_located_diagnostics_and_runs_nothing() {
    let dir = scratch("modeltest-bad");
    let text = format!(
        r#"model = "{ROOT}/models/template/model.toml"

[[cases]]
name = "typos"
scroe = 63.75
nodes = {{ securty = 65 }}
[cases.values]
attacks_12m = 3
"#
    );
    let file = write(&dir, "bad.toml", &text);
    let o = vigie(&["test", &file, "models/hdi.toml"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stdout(&o), "", "nothing runs when a file has errors");
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "error[VG003]: unknown key `scroe` in `cases[0]`\n  --> {file}:5:1\n"
        )),
        "{err}"
    );
    assert!(err.contains("did you mean `score`?"), "{err}");
    assert!(
        err.contains(&format!(
            "error[VG091]: `securty` is not an indicator or group of model `my-model`\n  --> {file}:6:11\n"
        )),
        "{err}"
    );
    assert!(err.contains("did you mean `security`?"), "{err}");
}

#[test]
fn a_bad_table_cell_is_located_in_the_table() {
    let dir = scratch("modeltest-table");
    write(
        &dir,
        "cases.csv",
        "site,attacks,army,score\nquiet,0,permanent,20.025\nbusy,three,none,63.75\n",
    );
    let file = write(
        &dir,
        "t.toml",
        &format!(
            r#"model = "{ROOT}/models/template/model.toml"

[[cases]]
name = "sites"
tolerance = 0.001
[cases.table]
path = "cases.csv"
inputs = {{ attacks_12m = "attacks", army_presence = "army" }}
score = "score"
"#
        ),
    );
    let o = vigie(&["test", &file], &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    let csv = dir.join("cases.csv").display().to_string();
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "error[VG093]: column \"attacks\": \"three\" is not a number\n  --> {csv}:3:6\n"
        )),
        "{err}"
    );
    assert!(
        !err.contains("VG061"),
        "no cascade into a missing value: {err}"
    );

    // Fixed, the table runs: the quiet site passes, the busy one (63.75 needs poverty and
    // fatalities) gives its own score and fails.
    write(
        &dir,
        "cases.csv",
        "site,attacks,army,score\nquiet,0,permanent,20.025\nbusy,3,none,63.75\n",
    );
    let o = vigie(&["test", &file], &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    // busy: security (2 x 60 + 90) / 3 = 70; overall (3 x 70 + 60) / 4 = 67.5.
    assert!(
        out.contains("  FAIL  sites (2 rows)")
            && out
                .contains("        busy (line 3): score: expected 63.75, got 67.5 (within 0.001)"),
        "{out}"
    );
    assert!(!out.contains("quiet (line 2)"), "{out}");
}

#[test]
fn a_model_given_directly_runs_its_test_file_or_says_it_has_none() {
    let o = vigie(&["test", "models/template/model.toml"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("models/template/tests/model.toml: model my-model"));

    let dir = scratch("modeltest-untested");
    let model = write(
        &dir,
        "lonely.toml",
        &std::fs::read_to_string(format!("{ROOT}/models/template/model.toml")).unwrap(),
    );
    let o = vigie(&["test", &model], &[]);
    assert_eq!(o.status.code(), Some(2));
    let tests = dir.join("tests").join("lonely.toml");
    assert!(
        stderr(&o).contains(&format!(
            "error[VG090]: model {model} has no test file: {} does not exist",
            tests.display()
        )),
        "{}",
        stderr(&o)
    );
    // In a folder, a model without tests is listed; with no test file at all, nothing runs.
    let o = vigie(&["test", &dir.display().to_string()], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("error[VG090]: no model test file found under"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_folder_lists_models_without_a_test_file() {
    let dir = scratch("modeltest-folder");
    let template = std::fs::read_to_string(format!("{ROOT}/models/template/model.toml")).unwrap();
    write(&dir, "tested.toml", &template);
    let lonely = write(&dir, "lonely.toml", &template);
    std::fs::create_dir_all(dir.join("tests")).unwrap();
    write(
        &dir.join("tests"),
        "tested.toml",
        "model = \"../tested.toml\"\n[[cases]]\nname = \"quiet\"\nscore = 20.025\ntolerance = 0.001\n[cases.values]\nattacks_12m = 0\narmy_presence = \"permanent\"\n",
    );
    let o = vigie(&["test", &dir.display().to_string()], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("  PASS  quiet"), "{out}");
    assert!(out.contains(&format!("no test file: {lonely}\n")), "{out}");
}
