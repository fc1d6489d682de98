//! Integration tests of the `vigie` binary as a user runs it: outputs (snapshotted),
//! exit codes, located diagnostics, files written by `init` and `--output`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const MODEL: &str = "models/sahel-infrastructure.toml";
const PROJECT: &str = "models/examples/covec-kayes.toml";
const EVENTS: &str = "models/examples/data/events-western-mali-2025.csv";
const POSITIONS: &str = "models/examples/data/deployments-mali.csv";

/// Runs vigie from the package root, without colour, as a pipe would.
fn vigie(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run vigie")
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

#[test]
fn score_worked_example_table() {
    let o = vigie(&["score", MODEL, PROJECT]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(!out.contains('\x1b'), "no colour when piped");
    insta::assert_snapshot!("score_table", out);
}

#[test]
fn score_worked_example_json_and_its_numbers_add_up() {
    let o = vigie(&["score", MODEL, PROJECT, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let score = json["score"].as_f64().unwrap();
    let sum: f64 = json["contributions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["points"].as_f64().unwrap())
        .sum();
    assert!(
        (sum - score).abs() < 1e-9,
        "contributions {sum} vs score {score}"
    );
    assert_eq!(json["band"]["label"], "High");
    assert_eq!(json["exposure"]["nominal"], "65000000");
    assert_eq!(json["audit"]["model_sha256"].as_str().unwrap().len(), 64);
    let statuses: Vec<&str> = json["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["status"].as_str())
        .collect();
    assert!(statuses.contains(&"contradicted") && statuses.contains(&"unverified"));
    // The audit block records the directory the command ran in: the repository here.
    insta::assert_snapshot!(
        "score_json",
        stdout(&o).replace(env!("CARGO_MANIFEST_DIR"), "{repo}")
    );
}

#[test]
fn score_markdown() {
    let o = vigie(&["score", MODEL, PROJECT, "--format", "markdown"]);
    assert_eq!(o.status.code(), Some(0));
    insta::assert_snapshot!("score_markdown", stdout(&o));
}

#[test]
fn score_output_is_identical_run_to_run() {
    let a = vigie(&["score", MODEL, PROJECT, "--format", "json"]);
    let b = vigie(&["score", MODEL, PROJECT, "--format", "json"]);
    assert_eq!(a.stdout, b.stdout);
}

/// Every TOML file under models/, previous versions in models/history/ included.
fn shipped_toml_files() -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<String>) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            // Model test files (`tests/`) are run by `vigie test`, not checked as models;
            // files starting with a dot are other tests' scratch copies.
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            if path.is_dir() {
                if name != "tests" {
                    walk(&path, out);
                }
            } else if path.extension().is_some_and(|x| x == "toml") {
                let rel = path.strip_prefix(root).unwrap();
                out.push(rel.display().to_string());
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("models"),
        &mut out,
    );
    out.sort();
    out
}

#[test]
fn check_shipped_files_is_clean() {
    let files = shipped_toml_files();
    for expected in [
        "models/sahel-infrastructure.toml",
        "models/hdi.toml",
        "models/inform-sahel.toml",
        "models/template/model.toml",
        "models/history/sahel-infrastructure-1.1.0.toml",
    ] {
        assert!(files.iter().any(|f| f == expected), "{expected} not found");
    }
    let mut args = vec!["check"];
    args.extend(files.iter().map(String::as_str));
    let o = vigie(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("warning["), "{}", stderr(&o));
}

#[test]
fn check_reports_every_problem_with_location_and_exits_1() {
    let dir = scratch("check_bad");
    let bad = write(
        &dir,
        "bad.toml",
        r#"[model]
id = "bad"
name = "Bad"
version = "1.0.0"
effective = 2025-01-01
scale = [0, 100]

[indicators.a]
label = "A"
direction = "higher_is_riskier"
normalise = { method = "goalposts", min = 0, max = 10 }

[groups.root]
children = ["a", "b"]
weigths = [1, 2]
aggregation = "arithmetic"

[[bands]]
label = "Low"
from = 0
"#,
    );
    let o = vigie(&["check", &bad]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("error[VG011]"), "{err}");
    assert!(
        err.contains("error[VG003]") && err.contains("did you mean `weights`?"),
        "{err}"
    );
    assert!(
        err.contains(&format!("{bad}:14:18")),
        "unknown child located: {err}"
    );
    assert!(
        err.contains(&format!("{bad}:15:1")),
        "unknown key located: {err}"
    );
}

#[test]
fn check_json_format_lists_codes() {
    let dir = scratch("check_json");
    let bad = write(
        &dir,
        "p.toml",
        "[project]\nid = \"x\"\nname = \"X\"\ncountry = \"Mali\"\nas_of = 2025-01-01\n",
    );
    let o = vigie(&["check", &bad, "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json[0]["code"], "VG006");
    assert_eq!(json[0]["location"]["line"], 4);
}

#[test]
fn check_binds_projects_against_a_model() {
    let o = vigie(&["check", PROJECT, "--model", MODEL]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stderr(&o).contains("warning[VG102]"),
        "status warnings shown"
    );
}

#[test]
fn score_with_bad_model_exits_2_and_writes_nothing() {
    let dir = scratch("score_bad");
    let model = write(&dir, "m.toml", "[model]\nid = \"m\"\n");
    let out = dir.join("out.json");
    let o = vigie(&["score", &model, PROJECT, "--output", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("error[VG004]"), "{}", stderr(&o));
    assert!(!out.exists(), "nothing half written");
}

#[test]
fn score_with_files_swapped_says_which_kind_is_expected() {
    let o = vigie(&["score", PROJECT, MODEL]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("error[VG002]: expected a model file, but this is a project file"),
        "{err}"
    );
    assert_eq!(
        err.matches("error[").count(),
        2,
        "one error per file, no cascade: {err}"
    );
}

#[test]
fn score_missing_required_value_is_located_in_the_project() {
    let dir = scratch("score_missing");
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(PROJECT)).unwrap();
    let cut: String = text
        .lines()
        .filter(|l| !l.starts_with("gdp_per_capita_usd"))
        .map(|l| format!("{l}\n"))
        .collect();
    let project = write(&dir, "p.toml", &cut);
    // The copy sits elsewhere, so its relative data paths are given on the command line.
    let o = vigie(&[
        "score",
        MODEL,
        &project,
        "--events",
        EVENTS,
        "--positions",
        POSITIONS,
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("error[VG061]") && err.contains("gdp_per_capita_usd"),
        "{err}"
    );
    assert!(err.contains(&format!("{project}:")), "{err}");
}

#[test]
fn score_unreadable_file_exits_2() {
    let o = vigie(&["score", "no/such/model.toml", PROJECT]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot read no/such/model.toml"));
}

#[test]
fn score_output_file_matches_stdout() {
    let dir = scratch("score_output");
    let out = dir.join("a.json");
    let o = vigie(&[
        "score",
        MODEL,
        PROJECT,
        "--format",
        "json",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.is_empty());
    let direct = vigie(&["score", MODEL, PROJECT, "--format", "json"]);
    assert_eq!(std::fs::read(&out).unwrap(), direct.stdout);
}

#[test]
fn explain_describes_the_model() {
    let o = vigie(&["explain", MODEL]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    insta::assert_snapshot!("explain_sahel", stdout(&o));
}

#[test]
fn init_writes_templates_that_check_and_score_cleanly() {
    let dir = scratch("init");
    let d = dir.to_str().unwrap();
    let o = vigie(&["init", d]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (m, p) = (dir.join("model.toml"), dir.join("project.toml"));
    let o = vigie(&[
        "check",
        m.to_str().unwrap(),
        p.to_str().unwrap(),
        "--model",
        m.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = vigie(&["score", m.to_str().unwrap(), p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("band High"));
    // A second init refuses to overwrite.
    let o = vigie(&["init", d]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("already exists"));
}

#[test]
fn usage_error_exits_2() {
    let o = vigie(&["score", MODEL]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn as_of_override_moves_the_event_window_and_is_audited() {
    // On 20 May 2025 only the 4 May and 17 May attacks had happened (the COVEC base raid
    // was on 24 May): two attacks on foreign interests.
    let o = vigie(&[
        "score",
        MODEL,
        PROJECT,
        "--format",
        "json",
        "--as-of",
        "2025-05-20",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let attacks = json["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "attacks_foreign_100km_12m")
        .unwrap();
    assert_eq!(attacks["raw"], 2.0);
    assert_eq!(attacks["derived"]["window"][1], "2025-05-20");
    assert_eq!(json["audit"]["as_of"], "2025-05-20");
    assert!(
        json["audit"]["overrides"][0]
            .as_str()
            .unwrap()
            .starts_with("as_of=2025-05-20")
    );
}

#[test]
fn bad_event_rows_are_reported_with_their_lines_and_counted() {
    let dir = scratch("bad_events");
    let mut csv =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(EVENTS)).unwrap();
    csv.push_str("BAD1,2025-02-30,Battles,Armed clash,14.5,-10.5\n");
    let events = write(&dir, "events.csv", &csv);
    let o = vigie(&[
        "score", MODEL, PROJECT, "--events", &events, "--format", "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("warning[VG104]") && err.contains(&format!("{events}:11:1")),
        "{err}"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let file = &json["data_files"][0];
    assert_eq!(
        (file["rows_read"].as_u64(), file["rows_rejected"].as_u64()),
        (Some(10), Some(1))
    );
    assert_eq!(file["rejected"][0]["line"], 11);
}

#[test]
fn missing_event_column_is_an_error_naming_it() {
    let dir = scratch("missing_column");
    let events = write(
        &dir,
        "events.csv",
        "event_date,event_type,latitude,longitude\n2025-01-01,Battles,14,-10\n",
    );
    let o = vigie(&["score", MODEL, PROJECT, "--events", &events]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("error[VG065]")
            && err.contains("sub_event_type")
            && err.contains("fatalities"),
        "{err}"
    );
}

#[test]
fn simulate_is_identical_for_any_thread_count() {
    let run = |threads: &str| {
        vigie(&[
            "simulate",
            MODEL,
            PROJECT,
            "--draws",
            "5000",
            "--seed",
            "11",
            "--threads",
            threads,
            "--format",
            "json",
        ])
    };
    let one = run("1");
    assert_eq!(one.status.code(), Some(0), "{}", stderr(&one));
    assert_eq!(one.stdout, run("2").stdout);
    assert_eq!(one.stdout, run("3").stdout);
    let json: serde_json::Value = serde_json::from_str(&stdout(&one)).unwrap();
    assert_eq!(json["seed"], 11);
    assert_eq!(json["uncertain_inputs"].as_array().unwrap().len(), 4);
    let total: f64 = json["band_probabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b[1].as_f64().unwrap())
        .sum();
    assert!((total - 1.0).abs() < 1e-12);
    // The model's own uncertainty is drawn: Dirichlet weights and two alternatives.
    assert_eq!(json["weights"]["method"], "dirichlet");
    assert_eq!(json["alternatives"].as_array().unwrap().len(), 2);
    // Expected loss: EAD ~ U(50, 80) million, band High (PD 4 %/year) or Severe (10 %):
    // each draw lies between 50M x 0.0518688 and 80M x 0.45 x (1 - 0.9^3) = 9,756,000.
    let el = &json["money"]["expected_loss"];
    let amount = |v: &serde_json::Value| v.as_str().unwrap().parse::<f64>().unwrap();
    assert!(amount(&el["min"]) >= 2_593_440.0, "{el}");
    assert!(amount(&el["max"]) <= 9_756_000.0, "{el}");
    let p50 = amount(&el["percentiles"][2][1]);
    let p95 = amount(&el["percentiles"][4][1]);
    assert!(p50 < p95, "{el}");
    assert_eq!(json["money"]["indicative"], true);
    // RAYON_NUM_THREADS is honoured and changes nothing either.
    let env = Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args([
            "simulate", MODEL, PROJECT, "--draws", "5000", "--seed", "11", "--format", "json",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("RAYON_NUM_THREADS", "2")
        .output()
        .unwrap();
    assert_eq!(one.stdout, env.stdout);
}

#[test]
fn simulate_rejects_bad_arguments() {
    let o = vigie(&["simulate", MODEL, PROJECT, "--draws", "0"]);
    assert_eq!(o.status.code(), Some(2));
    let o = vigie(&["simulate", MODEL, PROJECT, "--weight-factor", "1.5"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--weight-factor"));
}

#[test]
fn sensitivity_ranks_inputs_and_writes_the_sampled_rows() {
    let dir = scratch("sensitivity");
    let csv = dir.join("rows.csv");
    let o = vigie(&[
        "sensitivity",
        MODEL,
        PROJECT,
        "--n",
        "512",
        "--sampling",
        "sobol",
        "--format",
        "json",
        "--csv",
        csv.to_str().unwrap(),
        "--fixed-model",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    // The slavery share (12-15 %, weight 8.75 %) swings the score most.
    assert_eq!(json["tornado"][0]["id"], "descent_slavery_pct");
    let indices = json["sobol"]["indices"].as_array().unwrap();
    assert_eq!(indices.len(), 4);
    let slavery = indices
        .iter()
        .find(|i| i["id"] == "descent_slavery_pct")
        .unwrap();
    assert!(slavery["first"].as_f64().unwrap() > 0.5);
    assert!(
        slavery["first_ci"].is_null(),
        "no bootstrap on an unscrambled Sobol sequence"
    );
    let rows = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(rows.lines().count(), 1 + 512 * (4 + 2));
    assert!(rows.starts_with("row,gdp_per_capita_usd,poverty_national_pct,youth_unemployment_pct,descent_slavery_pct,score\n"));
}

/// Without `--fixed-model`, the model's Dirichlet weights and its two alternatives are
/// factors too, ranked with the inputs; shifted Sobol replicates give intervals.
#[test]
fn sensitivity_ranks_model_weights_and_alternatives() {
    let dir = scratch("sensitivity-model");
    let csv = dir.join("rows.csv");
    let o = vigie(&[
        "sensitivity",
        MODEL,
        PROJECT,
        "--n",
        "256",
        "--sampling",
        "sobol",
        "--replicates",
        "3",
        "--format",
        "json",
        "--csv",
        csv.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let kinds: Vec<&str> = json["factors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    // 4 inputs; 4 + 4 + 2 weights with a positive nominal weight; 2 alternatives.
    assert_eq!(kinds.iter().filter(|k| **k == "input").count(), 4);
    assert_eq!(kinds.iter().filter(|k| **k == "weight").count(), 10);
    assert_eq!(kinds.iter().filter(|k| **k == "alternative").count(), 2);
    let indices = json["sobol"]["indices"].as_array().unwrap();
    assert_eq!(indices.len(), 16);
    // Replicates give intervals on a Sobol sequence.
    assert!(indices[0]["first_ci"].is_array());
    // The security weights dominate: the trend's weight (15 of 100) moves a score
    // between 24 (capped at 100) and the others most.
    let top = json["tornado"][0]["id"].as_str().unwrap();
    assert!(top.starts_with("weight:security/"), "{top}");
    let rows = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(rows.lines().count(), 1 + 3 * 256 * (16 + 2));
    let header = rows.lines().next().unwrap();
    assert!(
        header
            .ends_with(",indicators.gdp_per_capita_usd.normalise,groups.overall.aggregation,score"),
        "{header}"
    );
}

/// The worked example's money block: score 57.2 is band High, so annual PD 4 %, over 3
/// years 1 - 0.96^3 = 11.5264 %; x LGD 45 % = 5.18688 %; x EAD 65,000,000 (the midpoint)
/// = 3,371,472.00. Slotting: High -> Satisfactory, 115 % x 65M = 74,750,000 RWA,
/// capital 8 % = 5,980,000, EL rate 2.8 % = 1,820,000. IRB at PD 4 %, LGD 45 %, M 5.
#[test]
fn score_money_block_reproduces_the_figures() {
    let o = vigie(&["score", MODEL, PROJECT, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let m = &json["money"];
    assert_eq!(m["pd"]["annual"], 0.04);
    assert!((m["pd"]["cumulative"].as_f64().unwrap() - 0.115_264).abs() < 1e-12);
    assert_eq!(m["loss_rate"], "0.05186880");
    assert_eq!(m["expected_loss"], "3371472.00");
    assert_eq!(m["expected_loss_range"][0], "2593440.00");
    assert_eq!(m["expected_loss_range"][1], "4149504.00");
    assert_eq!(m["slotting"]["category"], "satisfactory");
    assert_eq!(m["slotting"]["rwa"], "74750000.00");
    assert_eq!(m["slotting"]["capital"], "5980000.00");
    assert_eq!(m["slotting"]["expected_loss"], "1820000.00");
    assert!(
        m["slotting"]["note"]
            .as_str()
            .unwrap()
            .contains("not from Basel's full set")
    );
    // K at PD 4 %, LGD 45 %, M 5 (checked in Python with scipy's normal): 0.1359313;
    // risk weight 169.914 %.
    assert!((m["irb"]["k"].as_f64().unwrap() - 0.135_931_3).abs() < 1e-7);
    assert_eq!(m["indicative"], true);
    let table = stdout(&vigie(&["score", MODEL, PROJECT]));
    assert!(
        table.contains("Expected loss over 3 years: USD 3,371,472.00"),
        "{table}"
    );
}

/// A defaulted obligor is a fact of the project: PD 1, slotting "default" (0 % risk
/// weight, 50 % EL rate), whatever the band.
#[test]
fn defaulted_obligor_takes_the_default_treatment() {
    let dir = scratch("defaulted");
    let text = std::fs::read_to_string(PROJECT)
        .unwrap()
        .replace("as_of = 2025-10-31", "as_of = 2025-10-31\ndefaulted = true");
    let project = dir.join("defaulted.toml");
    std::fs::write(&project, text).unwrap();
    // Data paths in the project are relative to it: point at the shipped data.
    let o = vigie(&[
        "score",
        MODEL,
        project.to_str().unwrap(),
        "--format",
        "json",
        "--events",
        "models/examples/data/events-western-mali-2025.csv",
        "--positions",
        "models/examples/data/deployments-mali.csv",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let m = &json["money"];
    assert_eq!(m["defaulted"], true);
    assert_eq!(m["pd"]["annual"], 1.0);
    assert_eq!(m["slotting"]["category"], "default");
    assert_eq!(m["slotting"]["rwa"], "0.00");
    assert_eq!(m["slotting"]["expected_loss"], "32500000.00");
    // EL = 65M x LGD 45 %.
    assert_eq!(m["expected_loss"], "29250000.00");
}

/// `vigie check` on a model test file says what it is instead of reading it as a model.
#[test]
fn check_recognises_a_model_test_file() {
    let o = vigie(&["check", "models/tests/hdi.toml"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("this is a model test file")
            || stdout(&o).contains("this is a model test file"),
        "{}",
        stderr(&o)
    );
}
const PREVIOUS: &str = "models/history/sahel-infrastructure-1.1.0.toml";

#[test]
fn fingerprint_prints_both_hashes_and_the_canonical_form() {
    let o = vigie(&["fingerprint", MODEL, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    for field in [
        "model_file",
        "model_id",
        "model_version",
        "model_sha256",
        "model_canonical_sha256",
        "canonical_version",
    ] {
        assert!(json.get(field).is_some(), "{field} missing");
    }
    assert_eq!(json["canonical_version"], "vigie-canonical-model/1");
    let bytes = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(MODEL)).unwrap();
    assert_eq!(json["model_sha256"], vigie::audit::sha256_hex(&bytes));

    // --canonical prints exactly the bytes the canonical hash is taken over.
    let c = vigie(&["fingerprint", MODEL, "--canonical"]);
    assert_eq!(c.status.code(), Some(0));
    assert!(stdout(&c).starts_with("vigie-canonical-model/1\n{\"bands\":["));
    assert_eq!(
        json["model_canonical_sha256"],
        vigie::audit::sha256_hex(&c.stdout)
    );

    // The score's audit block carries the same two hashes.
    let s = vigie(&["score", MODEL, PROJECT, "--format", "json"]);
    let a: serde_json::Value = serde_json::from_str(&stdout(&s)).unwrap();
    assert_eq!(a["audit"]["model_sha256"], json["model_sha256"]);
    assert_eq!(
        a["audit"]["model_canonical_sha256"],
        json["model_canonical_sha256"]
    );

    let t = vigie(&["fingerprint", MODEL]);
    let text = stdout(&t);
    assert!(
        text.contains(json["model_sha256"].as_str().unwrap()),
        "{text}"
    );
    assert!(text.contains("vigie-canonical-model/1"), "{text}");
}

#[test]
fn fingerprint_of_a_bad_model_exits_2() {
    let dir = scratch("fingerprint_bad");
    let model = write(&dir, "m.toml", "[model]\nid = \"m\"\n");
    let o = vigie(&["fingerprint", &model]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("error[VG004]"), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
}

/// The worked example: 1.2.0 added the uncertainty section, alternatives and the finance
/// section; the nominal options are those of 1.1.0, so the score is unchanged.
#[test]
fn diff_of_the_shipped_versions_shows_what_1_2_0_changed() {
    let o = vigie(&["diff", PREVIOUS, MODEL, "--projects", PROJECT]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    for expected in [
        "~ model.version: \"1.1.0\" → \"1.2.0\"",
        "~ uncertainty: { weights = \"fixed\" } → { weights = \"dirichlet\", concentration = 60 }",
        "~ indicators.gdp_per_capita_usd.normalise_alternatives: [] → [{ method = \"goalposts\", min = 100, max = 75000 }]",
        "~ groups.overall.aggregation_alternatives: [] → [\"geometric\"]",
        "+ finance",
        "horizon_years = 3",
        "covec-rn1-kayes-sandare",
        "0 changed band",
    ] {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }

    let j = vigie(&[
        "diff",
        PREVIOUS,
        MODEL,
        "--projects",
        PROJECT,
        "--format",
        "json",
    ]);
    assert_eq!(j.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_str(&stdout(&j)).unwrap();
    for field in [
        "canonical_version",
        "old",
        "new",
        "identical",
        "changes",
        "weights",
        "projects",
        "summary",
    ] {
        assert!(json.get(field).is_some(), "{field} missing");
    }
    for field in [
        "file",
        "id",
        "name",
        "version",
        "sha256",
        "canonical_sha256",
        "decimals",
    ] {
        assert!(json["old"].get(field).is_some(), "old.{field} missing");
    }
    assert_eq!(json["identical"], false);
    assert_eq!(json["old"]["version"], "1.1.0");
    assert_eq!(json["new"]["version"], "1.2.0");
    let paths: Vec<&str> = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "model.governance.approved",
            "model.governance.approver",
            "model.governance.max_age_years",
            "model.governance.next_review",
            "model.governance.status",
            "model.version",
            "indicators.gdp_per_capita_usd.normalise_alternatives",
            "groups.overall.aggregation_alternatives",
            "uncertainty",
            "finance"
        ]
    );
    let finance = &json["changes"][9];
    assert_eq!(finance["section"], "finance");
    assert_eq!(finance["kind"], "added");
    assert_eq!(finance["old"], serde_json::Value::Null);
    assert_eq!(finance["new"]["pd"]["annual"]["High"], 0.04);
    assert_eq!(json["weights"], serde_json::json!([]));
    let p = &json["projects"][0];
    assert_eq!(p["id"], "covec-rn1-kayes-sandare");
    assert_eq!(p["file"], PROJECT);
    assert_eq!(p["old"]["score"], 57.2);
    assert_eq!(p["old"]["band"], "High");
    assert_eq!(p["new"]["score"], 57.2);
    assert_eq!(p["new"]["band"], "High");
    assert_eq!(p["score_change"], 0.0);
    assert_eq!(p["band_changed"], false);
    let s = &json["summary"];
    assert_eq!(s["projects"], 1);
    assert_eq!(s["scored_both"], 1);
    assert_eq!(s["not_scored"], 0);
    assert_eq!(s["band_changed"], 0);
    assert_eq!(s["score_changed"], 0);
    assert_eq!(s["largest_moves"], serde_json::json!([]));
}

#[test]
fn diff_reports_a_threshold_change_that_moves_the_worked_example_band() {
    let dir = scratch("diff_band");
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(MODEL)).unwrap();
    let moved = text.replace(
        "label = \"Severe\"\nfrom = 60",
        "label = \"Severe\"\nfrom = 55",
    );
    assert_ne!(moved, text);
    let new = write(&dir, "sahel-severe-55.toml", &moved);
    // A directory of projects: the worked example's (its data files sit beside it).
    let o = vigie(&[
        "diff",
        MODEL,
        &new,
        "--projects",
        "models/examples",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json["changes"][0]["path"], "bands.Severe.from");
    assert_eq!(json["changes"][0]["old"], 60);
    assert_eq!(json["changes"][0]["new"], 55);
    let p = &json["projects"][0];
    assert_eq!(
        (&p["old"]["band"], &p["new"]["band"]),
        (&"High".into(), &"Severe".into())
    );
    assert_eq!(p["band_changed"], true);
    assert_eq!(json["summary"]["band_changed"], 1);

    let t = vigie(&["diff", MODEL, &new, "--projects", PROJECT]);
    let text = stdout(&t);
    assert!(text.contains("~ bands.Severe.from: 60 → 55"), "{text}");
    assert!(text.contains("1 changed band"), "{text}");
}

#[test]
fn diff_of_a_reformatted_copy_shows_no_changes() {
    let dir = scratch("diff_same");
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(MODEL)).unwrap();
    // Comments dropped, and the overall weights written as fractions of 100 in another
    // spelling: [65, 35] and [6.5e1, 3.5e1] are the same numbers.
    let copy: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .map(|l| l.replace("weights = [65, 35]", "weights = [6.5e1, 3.5e1]"))
        .collect::<Vec<_>>()
        .join("\n");
    let copy = write(&dir, "copy.toml", &copy);
    let o = vigie(&["diff", MODEL, &copy]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("No changes"), "{out}");
    let j = vigie(&["diff", MODEL, &copy, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&j)).unwrap();
    assert_eq!(json["identical"], true);
    assert_eq!(json["changes"], serde_json::json!([]));
    assert_ne!(json["old"]["sha256"], json["new"]["sha256"]);
    assert_eq!(
        json["old"]["canonical_sha256"],
        json["new"]["canonical_sha256"]
    );
}

#[test]
fn diff_with_unreadable_or_invalid_input_exits_2() {
    let dir = scratch("diff_bad");
    let bad = write(&dir, "m.toml", "[model]\nid = \"m\"\n");
    let o = vigie(&["diff", MODEL, &bad]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    let o = vigie(&["diff", MODEL, MODEL, "--projects", "no/such/project.toml"]);
    assert_eq!(o.status.code(), Some(2));
    let o = vigie(&["diff", MODEL, MODEL, "--projects", MODEL]);
    assert_eq!(o.status.code(), Some(2), "a model is not a project");
    assert!(stderr(&o).contains("VG002"), "{}", stderr(&o));
}

/// A normalisation written as a `[header]` table is explained as the inline table of its
/// entries, not as the header's text.
#[test]
fn explain_writes_a_header_table_normalisation_in_full() {
    let o = vigie(&["explain", "models/template/model.toml"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    assert!(
        text.contains(
            "normalise: { method = \"piecewise\", points = [[0, 0], [3, 60], [10, 100]] }"
        ),
        "{text}"
    );
    assert!(!text.contains("normalise: [indicators."), "{text}");
}

/// The expected loss as the quantity of interest: the exposure becomes a factor, and the
/// tornado's ends are the loss at 50 and 80 million USD (band High: 5.18688 % of EAD).
#[test]
fn sensitivity_of_the_expected_loss() {
    let o = vigie(&[
        "sensitivity",
        MODEL,
        PROJECT,
        "--quantity",
        "expected-loss",
        "--n",
        "256",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json["quantity"], "expected_loss");
    assert!((json["nominal_value"].as_f64().unwrap() - 3_371_472.0).abs() < 0.01);
    let bar = &json["tornado"][0];
    assert_eq!(bar["id"], "exposure");
    assert!(
        (bar["score_at_low"].as_f64().unwrap() - 2_593_440.0).abs() < 0.01,
        "{bar}"
    );
    assert!(
        (bar["score_at_high"].as_f64().unwrap() - 4_149_504.0).abs() < 0.01,
        "{bar}"
    );
    // Without a [finance] section there is no expected loss to explain.
    let o = vigie(&[
        "sensitivity",
        "models/template/model.toml",
        "models/template/project.toml",
        "--quantity",
        "expected-loss",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("needs the model's [finance] section"),
        "{}",
        stderr(&o)
    );
}
