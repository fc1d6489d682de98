//! Canonical fingerprints that survive any reformatting but no change of meaning, and the
//! semantic diff of two models, through the library.

use vigie::Model;
use vigie::diff::{ChangeKind, diff_models};

/// A small model touching every kind of setting whose spelling can vary.
const SPELLED_ONE_WAY: &str = r#"# A model for the fingerprint tests.
[model]
id = "fp"
name = "Fingerprint test"
version = "1.0.0"
effective = 2025-01-01
scale = [0, 100]
description = """Two lines
of text."""

[inputs.population]
label = "Population"

[indicators.gdp]
label = "GDP per capita"
direction = "lower_is_riskier"
transform = "ln"
normalise = { method = "goalposts", min = 250, max = 14000 }   # logged, raw units
normalise_alternatives = [{ method = "goalposts", min = 100, max = 75000 }]

[indicators.rate]
label = "Rate"
direction = "higher_is_riskier"
transform = "ratio"
denominator = "population"
multiplier = 100000
missing = "impute"
impute_value = 0.5
normalise = { method = "piecewise", points = [[0, 0], [0.5, 70], [2, 100]] }
source = { citation = "Somewhere", vintage = "2024" }

[indicators.army]
label = "Army"
direction = "non_monotone"
normalise = { method = "categorical", map = { none = 90, patrols = 50 } }

[groups.pillar]
children = ["gdp", "rate"]
weights = [0.5, 0.5]
aggregation = "geometric"
zero_floor = 1
aggregation_alternatives = ["arithmetic"]

[groups.root]
children = ["pillar", "army"]
weights = [3, 1]
aggregation = "formula"
formula = "max(pillar,army*0.5)"

[[bands]]
label = "Low"
from = 0
[[bands]]
label = "High"
from = 50

[[rules]]
id = "many"
when = "raw.rate>=1.5"
effect = "score_floor"
value = 60
reason = "Many."

[uncertainty]
weights = "perturb"
factor = 0.2
"#;

/// The same model: tables and keys reordered, comments gone, numbers spelled otherwise
/// (`5e-1`, `1e5`, `100.0`), inline tables written as headers or dotted keys, a
/// multi-line string written with escapes, formulas spaced differently.
const SPELLED_ANOTHER_WAY: &str = r#"[uncertainty]
factor = 2e-1
weights = "perturb"

[[rules]]
reason = "Many."
value = 6e1
effect = "score_floor"
when = "raw.rate   >=  15e-1"
id = "many"

[groups.root]
formula = "max( pillar, army * 5e-1 )"
aggregation = "formula"
weights = [3.0, 1e0]
children = ["pillar", "army"]

[groups.pillar]
aggregation_alternatives = ["arithmetic"]
zero_floor = 1.0
aggregation = "geometric"
weights = [5e-1, 0.50]
children = ["gdp", "rate"]

[indicators.army]
normalise.method = "categorical"
normalise.map.patrols = 50.0
normalise.map.none = 9e1
direction = "non_monotone"
label = "Army"

[indicators.rate]
source.vintage = "2024"
source.citation = "Somewhere"
impute_value = 5e-1
missing = "impute"
multiplier = 1e5
denominator = "population"
transform = "ratio"
direction = "higher_is_riskier"
label = "Rate"

[indicators.rate.normalise]
points = [[0.0, 0], [5e-1, 7e1], [2, 1e2]]
method = "piecewise"

[indicators.gdp]
normalise_alternatives = [{ max = 7.5e4, min = 1e2, method = "goalposts" }]
transform = "ln"
direction = "lower_is_riskier"
label = "GDP per capita"

[indicators.gdp.normalise]
max = 1.4e4
min = 2.5e2
method = "goalposts"

[inputs.population]
label = "Population"

[model]
description = "Two lines\nof text."
scale = [0.0, 100.0]
effective = "2025-01-01"
version = "1.0.0"
name = "Fingerprint test"
id = "fp"

[[bands]]
from = 0
label = "Low"
[[bands]]
from = 5e1
label = "High"
"#;

fn model(name: &str, text: &str) -> Model {
    Model::from_toml(name, text).unwrap_or_else(|e| panic!("{name}: {:?}", e.diagnostics()))
}

fn sahel() -> (String, Model) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/models/sahel-infrastructure.toml"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let m = model("sahel.toml", &text);
    (text, m)
}

/// Every table's keys in reverse order, arrays kept in order.
fn reversed(v: toml::Value) -> toml::Value {
    match v {
        toml::Value::Table(t) => {
            let mut entries: Vec<(String, toml::Value)> = t.into_iter().collect();
            entries.reverse();
            toml::Value::Table(entries.into_iter().map(|(k, v)| (k, reversed(v))).collect())
        }
        toml::Value::Array(items) => toml::Value::Array(items.into_iter().map(reversed).collect()),
        other => other,
    }
}

#[test]
fn reformatting_keeps_the_canonical_hash_and_changes_the_file_hash() {
    let a = model("a.toml", SPELLED_ONE_WAY);
    let b = model("b.toml", SPELLED_ANOTHER_WAY);
    assert_ne!(a.sha256(), b.sha256());
    assert_eq!(a.canonical_json(), b.canonical_json());
    assert_eq!(a.canonical_sha256(), b.canonical_sha256());
    let d = diff_models(&a, &b);
    assert!(d.identical && d.changes.is_empty() && d.weights.is_empty());
}

#[test]
fn the_shipped_model_rewritten_by_another_toml_writer_has_the_same_canonical_hash() {
    let (text, original) = sahel();
    let table: toml::Value = text.parse::<toml::Table>().map(toml::Value::Table).unwrap();
    let rewritten = toml::to_string(&reversed(table)).unwrap();
    assert!(!rewritten.contains("# Sahel"), "comments gone");
    let copy = model("rewritten.toml", &rewritten);
    assert_ne!(original.sha256(), copy.sha256());
    assert_eq!(original.canonical_sha256(), copy.canonical_sha256());
    assert!(diff_models(&original, &copy).identical);
}

#[test]
fn the_canonical_form_is_versioned_and_in_raw_units() {
    let a = model("a.toml", SPELLED_ONE_WAY);
    let form = a.canonical_form();
    assert!(form.starts_with("vigie-canonical-model/1\n{"), "{form}");
    assert_eq!(
        a.canonical_sha256(),
        vigie::audit::sha256_hex(form.as_bytes())
    );
    let json: serde_json::Value = serde_json::from_str(&a.canonical_json()).unwrap();
    let gdp = &json["indicators"]["gdp"];
    // Goalposts as written, not their logarithms; piecewise scores on the scale.
    assert_eq!(gdp["normalise"]["min"], 250);
    assert_eq!(gdp["normalise"]["max"], 14000);
    assert_eq!(gdp["normalise_alternatives"][0]["max"], 75000);
    assert_eq!(
        json["indicators"]["rate"]["normalise"]["points"][1],
        serde_json::json!([0.5, 70])
    );
    // Defaults filled in: the zero floor, the root, missing policies, rounding.
    assert_eq!(json["groups"]["root"]["zero"]["zero_floor"], 1);
    assert_eq!(json["model"]["root"], "root");
    assert_eq!(json["indicators"]["gdp"]["missing"]["policy"], "error");
    assert_eq!(json["indicators"]["gdp"]["round"], serde_json::Value::Null);
    assert_eq!(
        json["groups"]["root"]["aggregation"]["formula"],
        "max(pillar, army * 0.5)"
    );
    assert_eq!(json["rules"][0]["when"], "raw.rate >= 1.5");
}

#[test]
fn changing_one_weight_changes_both_hashes() {
    let a = model("a.toml", SPELLED_ONE_WAY);
    let b = model(
        "b.toml",
        &SPELLED_ONE_WAY.replace("weights = [3, 1]", "weights = [3, 2]"),
    );
    assert_ne!(a.sha256(), b.sha256());
    assert_ne!(a.canonical_sha256(), b.canonical_sha256());
}

#[test]
fn every_change_of_meaning_changes_the_canonical_hash() {
    let a = model("a.toml", SPELLED_ONE_WAY);
    let edits = [
        ("min = 250", "min = 251"),
        ("[0.5, 70]", "[0.5, 71]"),
        ("transform = \"ln\"", "transform = \"log10\""),
        ("impute_value = 0.5", "impute_value = 0.6"),
        ("none = 90", "none = 91"),
        ("army*0.5", "army*0.6"),
        ("raw.rate>=1.5", "raw.rate>1.5"),
        ("from = 50", "from = 55"),
        ("value = 60", "value = 61"),
        ("factor = 0.2", "factor = 0.3"),
        ("zero_floor = 1", "zero_floor = 2"),
        ("label = \"Army\"", "label = \"Armed forces\""),
        ("vintage = \"2024\"", "vintage = \"2025\""),
        ("version = \"1.0.0\"", "version = \"1.0.1\""),
        ("[\"arithmetic\"]", "[\"harmonic\"]"),
    ];
    for (from, to) in edits {
        assert!(SPELLED_ONE_WAY.contains(from), "{from}");
        let b = model("b.toml", &SPELLED_ONE_WAY.replacen(from, to, 1));
        assert_ne!(a.canonical_sha256(), b.canonical_sha256(), "{from} -> {to}");
        assert!(!diff_models(&a, &b).changes.is_empty(), "{from} -> {to}");
    }
}

#[test]
fn a_weight_change_shows_old_and_new_weights_and_effective_weights() {
    let (text, old) = sahel();
    let new = model(
        "new.toml",
        &text.replace(
            "weights = [35, 20, 15, 30, 0]",
            "weights = [40, 20, 15, 25, 0]",
        ),
    );
    let d = diff_models(&old, &new);
    assert!(!d.identical);
    let change = d
        .changes
        .iter()
        .find(|c| c.path == "groups.security.weights")
        .expect("the weights change");
    assert_eq!(change.kind, ChangeKind::Changed);
    assert_eq!(change.old, serde_json::json!([35, 20, 15, 30, 0]));
    assert_eq!(change.new, serde_json::json!([40, 20, 15, 25, 0]));
    let attacks = d
        .weights
        .iter()
        .find(|w| w.node == "attacks_foreign_100km_12m")
        .expect("attacks' weight");
    assert_eq!(
        (attacks.old_weight, attacks.new_weight),
        (Some(35.0), Some(40.0))
    );
    assert!((attacks.old_effective.unwrap() - 0.65 * 0.35).abs() < 1e-12);
    assert!((attacks.new_effective.unwrap() - 0.65 * 0.40).abs() < 1e-12);
    // Siblings whose weight and share did not move are not listed.
    assert!(!d.weights.iter().any(|w| w.node == "fatalities_100km_12m"));
    assert!(!d.weights.iter().any(|w| w.node == "gdp_per_capita_usd"));
}

#[test]
fn an_added_indicator_and_a_moved_band_threshold_are_reported() {
    let old = model("a.toml", SPELLED_ONE_WAY);
    let text = SPELLED_ONE_WAY
        .replace(
            "[groups.pillar]\nchildren = [\"gdp\", \"rate\"]\nweights = [0.5, 0.5]",
            "[indicators.extra]\nlabel = \"Extra\"\ndirection = \"higher_is_riskier\"\nnormalise = { method = \"identity\" }\n\n[groups.pillar]\nchildren = [\"gdp\", \"rate\", \"extra\"]\nweights = [0.5, 0.5, 1]",
        )
        .replace("from = 50", "from = 55");
    let new = model("b.toml", &text);
    let d = diff_models(&old, &new);
    let find = |p: &str| d.changes.iter().find(|c| c.path == p);
    let added = find("indicators.extra").expect("added indicator");
    assert_eq!(added.kind, ChangeKind::Added);
    assert_eq!(added.new["label"], "Extra");
    assert_eq!(added.new["normalise"]["method"], "identity");
    let band = find("bands.High.from").expect("band threshold");
    assert_eq!(
        (band.old.as_f64(), band.new.as_f64()),
        (Some(50.0), Some(55.0))
    );
    assert!(find("groups.pillar.children").is_some());
    let extra = d.weights.iter().find(|w| w.node == "extra").unwrap();
    assert_eq!(extra.old_effective, None);
    assert_eq!(extra.new_group.as_deref(), Some("pillar"));
    // gdp's share of its group fell from 1/2 to 1/4.
    let gdp = d.weights.iter().find(|w| w.node == "gdp").unwrap();
    assert_eq!((gdp.old_share, gdp.new_share), (Some(0.5), Some(0.25)));
}

#[test]
fn the_audit_block_carries_both_hashes() {
    let a = model("a.toml", SPELLED_ONE_WAY);
    let p = vigie::Project::from_toml(
        "p.toml",
        "[project]\nid = \"p\"\nname = \"P\"\ncountry = \"MLI\"\nas_of = 2025-10-31\n\
         [values]\ngdp = 900\nrate = 3\npopulation = 1000000\narmy = \"patrols\"\n",
    )
    .unwrap();
    let assessment = vigie::score(&a, &p).unwrap();
    assert_eq!(assessment.audit.model_sha256, a.sha256());
    assert_eq!(
        assessment.audit.model_canonical_sha256,
        a.canonical_sha256()
    );
}
