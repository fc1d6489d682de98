//! Reference tests: published indices reproduced from their published inputs.
//!
//! The tables live in the workspace's `shared/reference/` (not in this repository); how
//! they are found, and when a missing one is skipped or fails, is in
//! `tests/support/reference_data.rs`. The INFORM Sahel reproduction is `tests/inform.rs`.

use vigie::{Model, Workspace, evaluate};

#[path = "support/reference_data.rs"]
mod reference_data;

use reference_data::read_reference;

/// Published HDI values carry 3 decimals.
const HDI_DECIMALS: i32 = 3;

fn hdi_model() -> Model {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/models/hdi.toml");
    Model::from_toml("models/hdi.toml", &std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The HDI model reproduces the published HDI of all 193 countries to 3 decimals.
#[test]
fn hdi_2022_matches_all_193_countries() {
    let Some(table) = read_reference("hdi/hdi-2022.csv") else {
        return;
    };
    let model = hdi_model();
    let slot = |id: &str| model.input_by_id(id).unwrap() as usize;
    let columns = [
        ("life_expectancy", slot("life_expectancy")),
        ("expected_schooling", slot("expected_schooling")),
        ("mean_schooling", slot("mean_schooling")),
        ("gni_per_capita", slot("gni_per_capita")),
    ];
    let params = model.default_params();
    let mut ws = Workspace::new(&model);
    let mut inputs = vec![f64::NAN; model.n_inputs()];
    let mut lines = table.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let iso = col("iso3");
    let mut checked = 0;
    let mut mismatches = Vec::new();
    for line in lines.filter(|l| !l.trim().is_empty()) {
        // Country names may hold commas inside quotes; the numeric columns are the last five.
        let cells: Vec<&str> = line.split(',').collect();
        let from_end = |name: &str| cells[cells.len() - (header.len() - col(name))];
        for (name, s) in columns {
            inputs[s] = from_end(name).parse().unwrap();
        }
        let published: f64 = from_end("hdi").parse().unwrap();
        let out = evaluate(&model, &inputs, &params, &mut ws).unwrap();
        let got = vigie::rounding::round_half_away(out.score, HDI_DECIMALS);
        if got != published {
            mismatches.push(format!(
                "{} {}: got {got}, published {published}",
                cells[iso], out.score
            ));
        }
        checked += 1;
    }
    assert_eq!(checked, 193, "the table should hold 193 countries");
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

/// One made-up country by hand: expected schooling above its cap, income logged; the
/// engine's education index and HDI must equal the published formula exactly.
#[test]
fn hdi_single_country_by_hand() {
    let model = hdi_model();
    let mut inputs = vec![f64::NAN; model.n_inputs()];
    let set = |inputs: &mut Vec<f64>, id: &str, v: f64| {
        inputs[model.input_by_id(id).unwrap() as usize] = v
    };
    set(&mut inputs, "life_expectancy", 60.0);
    set(&mut inputs, "expected_schooling", 20.0); // capped at 18
    set(&mut inputs, "mean_schooling", 7.5);
    set(&mut inputs, "gni_per_capita", 2000.0);
    let mut ws = Workspace::new(&model);
    let out = evaluate(&model, &inputs, &model.default_params(), &mut ws).unwrap();
    let health = 40.0 / 65.0;
    let education = (1.0 + 0.5) / 2.0;
    let income = (2000f64.ln() - 100f64.ln()) / (75000f64.ln() - 100f64.ln());
    let hdi = (health * education * income).powf(1.0 / 3.0);
    let edu_node = model.node_by_id("education").unwrap() as usize;
    assert!((ws.value[edu_node] - education).abs() < 1e-12);
    assert_eq!(out.score, vigie::rounding::round_half_away(hdi, 3));
    assert_eq!(model.bands()[out.band as usize].label, "Medium");
}
