//! The auditor's workflow on assessments: governance (status, approval, review date),
//! analysts' band overrides, the data-quality headline, freshness of figures, and the
//! provenance listing of `vigie sources`.

use std::process::Command;

const MODEL: &str = "models/sahel-infrastructure.toml";
const PROJECT: &str = "models/examples/covec-kayes.toml";

fn vigie(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn json(o: &std::process::Output) -> serde_json::Value {
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

/// A scratch copy of a shipped file with some text replaced, beside the original so its
/// relative data paths still resolve.
fn variant(original: &str, name: &str, from: &str, to: &str) -> String {
    let text =
        std::fs::read_to_string(format!("{}/{original}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    assert!(text.contains(from), "{from}");
    let dir = std::path::Path::new(original).parent().unwrap();
    let path = dir.join(format!(".test-{name}.toml"));
    std::fs::write(
        format!("{}/{}", env!("CARGO_MANIFEST_DIR"), path.display()),
        text.replace(from, to),
    )
    .unwrap();
    path.display().to_string()
}

/// The worked example's headline: its unverified figures (GDP 7.1 points, slavery 5.9)
/// and contradicted ones (poverty 5.8, youth unemployment 0.7) over 57.2 points; every
/// security event it counts is placed at region level except some of the fatalities'; the
/// events file does not cover the event windows.
#[test]
fn data_quality_headline_of_the_worked_example() {
    let a = json(&vigie(&["score", MODEL, PROJECT, "--format", "json"]));
    let q = &a["data_quality"];
    let points = |ids: &[&str]| -> f64 {
        a["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| ids.contains(&i["id"].as_str().unwrap()))
            .map(|i| i["contribution"].as_f64().unwrap())
            .sum()
    };
    let total = q["indicator_points"].as_f64().unwrap();
    assert!((total - 57.195_525).abs() < 1e-5, "{total}");
    let unverified = points(&["gdp_per_capita_usd", "descent_slavery_pct"]) / total;
    assert!((q["unverified"].as_f64().unwrap() - unverified).abs() < 1e-12);
    assert!((unverified - 0.2278).abs() < 1e-3, "{unverified}");
    let contradicted = points(&["poverty_national_pct", "youth_unemployment_pct"]) / total;
    assert!((q["contradicted"].as_f64().unwrap() - contradicted).abs() < 1e-12);
    assert_eq!(q["imputed"], 0.0);
    // attacks: 3 of 3 events at region level (15.9 points); fatalities 1 of 5 (3.9);
    // trend: a ratio of counts, its events' precision counted the same way.
    let region = q["region_level"].as_f64().unwrap();
    assert!(region > 15.9 / total && region < 1.0, "{region}");
    // The data pack's events run from 2025-05-04 to 2025-09-14: they end 47 days before
    // the as-of date and start after every event window begins (VG107), so all four
    // indicators derived from them rest on a file that does not cover their window.
    let events = points(&[
        "attacks_foreign_100km_12m",
        "fatalities_100km_12m",
        "violence_trend",
        "region_level_share",
    ]) / total;
    assert!((q["coverage"].as_f64().unwrap() - events).abs() < 1e-12);
    assert!((events - 0.517).abs() < 1e-3, "{events}");
    let table = String::from_utf8(vigie(&["score", MODEL, PROJECT]).stdout).unwrap();
    assert!(
        table.contains("Data quality: 85.9% of the score's points rest on weak data"),
        "{table}"
    );
}

#[test]
fn governance_is_shown_and_a_draft_warns_or_fails_under_the_flag() {
    let a = json(&vigie(&["score", MODEL, PROJECT, "--format", "json"]));
    assert_eq!(a["governance"]["status"], "approved");
    assert_eq!(a["governance"]["next_review"], "2026-11-01");
    let draft = variant(
        MODEL,
        "draft",
        "status = \"approved\"",
        "status = \"draft\"",
    );
    // An approved model's other fields stay; a draft with them is allowed.
    let a = json(&vigie(&["score", &draft, PROJECT, "--format", "json"]));
    let codes: Vec<&str> = a["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"VG105"), "{codes:?}");
    let o = vigie(&["score", &draft, PROJECT, "--strict-governance"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("VG082"), "{err}");
    // Located at the `status` value of the model file.
    assert!(err.contains(":27:10"), "{err}");
    // Overdue: the as-of date is after the next review.
    let o = vigie(&[
        "score",
        MODEL,
        PROJECT,
        "--as-of",
        "2026-12-01",
        "--format",
        "json",
    ]);
    let a = json(&o);
    let overdue = a["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w["message"].as_str().unwrap().contains("review is overdue"));
    assert!(overdue);
    std::fs::remove_file(format!("{}/{draft}", env!("CARGO_MANIFEST_DIR"))).ok();
}

#[test]
fn an_approved_model_names_its_approver() {
    let src = std::fs::read_to_string(format!("{}/{MODEL}", env!("CARGO_MANIFEST_DIR")))
        .unwrap()
        .replace(
            "approver = \"Vigie model committee (worked example)\"\n",
            "",
        );
    let err = vigie::Model::from_toml("m.toml", &src).unwrap_err();
    let d = &err.diagnostics()[0];
    assert_eq!(d.code, vigie::Code::Governance);
    assert!(d.message.contains("needs `approver`"), "{}", d.message);
}

#[test]
fn a_band_override_shows_both_bands_and_is_audited() {
    let project = variant(
        PROJECT,
        "override",
        "[project.site]",
        "[project.override]\nband = \"Severe\"\nreason = \"Convoy attacks reported after the data cut-off\"\nauthor = \"A. Analyst\"\ndate = 2025-11-03\n\n[project.site]",
    );
    let a = json(&vigie(&["score", MODEL, &project, "--format", "json"]));
    assert_eq!(a["band"]["label"], "High", "the model's band stays");
    assert_eq!(a["override"]["band"], "Severe");
    assert_eq!(a["override"]["model_band"], "High");
    assert_eq!(a["override"]["author"], "A. Analyst");
    let audit = a["audit"]["band_override"].as_str().unwrap();
    assert!(
        audit.starts_with("band Severe (model: High) by A. Analyst on 2025-11-03"),
        "{audit}"
    );
    let bad = variant(
        PROJECT,
        "override-bad",
        "[project.site]",
        "[project.override]\nband = \"Sever\"\nreason = \"r\"\nauthor = \"a\"\n\n[project.site]",
    );
    let o = vigie(&["score", MODEL, &bad]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("VG021"));
    for f in [project, bad] {
        std::fs::remove_file(format!("{}/{f}", env!("CARGO_MANIFEST_DIR"))).ok();
    }
}

/// `vigie sources` lists every figure; a freshness limit of one year makes the 2022
/// poverty figure (2.8 years old on 2025-10-31) stale, and `--strict` then exits 1.
#[test]
fn sources_list_figures_and_flag_stale_ones() {
    let s = json(&vigie(&["sources", MODEL, PROJECT, "--format", "json"]));
    let poverty = s["values"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == "poverty_national_pct")
        .unwrap();
    assert_eq!(poverty["as_of"], "2022");
    assert_eq!(poverty["age_years"], 2.8);
    assert_eq!(poverty["status"], "contradicted");
    assert_eq!(poverty["given_at"], "models/examples/covec-kayes.toml:51");
    assert_eq!(s["data_files"].as_array().unwrap().len(), 2);
    assert!(
        s["model_figures"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["kind"] == "finance" && f["id"] == "lgd")
    );
    let strict_model = variant(MODEL, "fresh", "max_age_years = 5", "max_age_years = 1");
    let o = vigie(&[
        "sources",
        &strict_model,
        PROJECT,
        "--strict",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let s: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let stale: Vec<&str> = s["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["code"] == "VG106")
        .map(|w| w["message"].as_str().unwrap())
        .collect();
    // GDP and youth unemployment (2023: 1.8 years) and poverty (2022: 2.8 years).
    assert_eq!(stale.len(), 3, "{stale:?}");
    std::fs::remove_file(format!("{}/{strict_model}", env!("CARGO_MANIFEST_DIR"))).ok();
    // Without a project: the model's figures only.
    let s = json(&vigie(&["sources", MODEL, "--format", "json"]));
    assert!(s["values"].as_array().unwrap().is_empty());
}
