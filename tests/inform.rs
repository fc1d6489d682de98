//! INFORM Sahel 2017 (v1.0.2) reproduced: `models/inform-sahel.toml` scores every unit of
//! the published results sheet from its component columns, and must give every published
//! category, dimension and RISK to the published decimal.
//!
//! The results table is read in place from the workspace's `shared/reference/inform/`
//! (see `tests/support/reference_data.rs` for how it is found and when it is skipped).
//! Three units copied from it are checked by hand below, so that the model's rules are
//! tested even where the table is absent.

#[path = "support/reference_data.rs"]
mod reference_data;

use reference_data::read_reference;
use vigie::rounding::round_half_away;
use vigie::{Model, Workspace, evaluate};

/// Published INFORM scores carry 1 decimal.
const DECIMALS: i32 = 1;

/// Units in the INFORM Sahel 2017 results sheet.
const UNITS: usize = 135;

/// Component columns of the results sheet, and the indicators they feed.
const COMPONENTS: [(&str, &str); 20] = [
    ("Food Insecurity Probability", "food_insecurity_probability"),
    ("Physical exposure to flood", "physical_exposure_to_flood"),
    ("Land Degradation", "land_degradation"),
    ("Droughts probability and historical impact", "droughts"),
    ("Political violence", "political_violence"),
    ("Conflict probability", "conflict_probability"),
    ("Development & Deprivation", "development_deprivation"),
    ("Inequality", "inequality"),
    ("Aid Dependency", "aid_dependency"),
    ("Uprooted people", "uprooted_people"),
    ("Health Conditions", "health_conditions"),
    ("Children U5", "children_u5"),
    ("Malnutrition", "malnutrition"),
    ("Recent Shocks", "recent_shocks"),
    ("Food Security", "food_security"),
    ("DRR", "drr"),
    ("Governance", "governance"),
    ("Communication", "communication"),
    ("Physical infrastructure", "physical_infrastructure"),
    ("Access to health care", "access_to_health_care"),
];

/// Columns the workbook computes, and the groups that must reproduce them.
const COMPUTED: [(&str, &str); 11] = [
    ("Natural", "natural"),
    ("Human", "human"),
    ("HAZARD", "hazard"),
    (
        "Socio-Economic Vulnerability",
        "socio_economic_vulnerability",
    ),
    ("Other Vulnerable Groups", "other_vulnerable_groups"),
    ("Vulnerable Groups", "vulnerable_groups"),
    ("VULNERABILITY", "vulnerability"),
    ("Institutional", "institutional"),
    ("Infrastructure", "infrastructure"),
    ("LACK OF COPING CAPACITY", "lack_of_coping_capacity"),
    ("RISK", "risk"),
];

fn inform_model() -> Model {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/models/inform-sahel.toml");
    Model::from_toml(
        "models/inform-sahel.toml",
        &std::fs::read_to_string(path).unwrap(),
    )
    .unwrap()
}

/// A published cell: the workbook writes "x" for a missing value (empty is read the same).
fn cell(text: &str) -> f64 {
    match text.trim() {
        "x" | "" => f64::NAN,
        t => t
            .parse()
            .unwrap_or_else(|e| panic!("unreadable cell {t:?}: {e}")),
    }
}

/// Scores one unit into `ws` (node scores after the model's own rounding). `published`
/// gives a cell by column header.
fn score_unit<'a>(
    model: &Model,
    ws: &mut Workspace,
    published: impl Fn(&str) -> &'a str,
) -> Result<(), String> {
    let mut inputs = vec![f64::NAN; model.n_inputs()];
    for (column, id) in COMPONENTS {
        inputs[model.input_by_id(id).unwrap() as usize] = cell(published(column));
    }
    evaluate(model, &inputs, &model.default_params(), ws)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Compares every computed node of one scored unit with its published value; returns the
/// number matched and pushes a line per mismatch.
fn compare_unit<'a>(
    model: &Model,
    ws: &Workspace,
    unit: &str,
    published: impl Fn(&str) -> &'a str,
    mismatches: &mut Vec<String>,
) -> usize {
    let mut matched = 0;
    for (column, id) in COMPUTED {
        let want = cell(published(column));
        let value = ws.value[model.node_by_id(id).unwrap() as usize];
        let got = round_half_away(value, DECIMALS);
        // `value != got` catches a node the model forgot to round: its parents would
        // then have seen an unrounded score, as the workbook's never do.
        if want.is_nan() || got != want || value != got {
            mismatches.push(format!(
                "{unit} {column} ({id}): got {value}, published {}",
                published(column)
            ));
        } else {
            matched += 1;
        }
    }
    // Each component scores itself (identity on 0-10), and an "x" is left out.
    for (column, id) in COMPONENTS {
        let want = cell(published(column));
        let value = ws.value[model.node_by_id(id).unwrap() as usize];
        let same = if want.is_nan() {
            value.is_nan()
        } else {
            value == want
        };
        if !same {
            mismatches.push(format!(
                "{unit} {column} ({id}): component read as {value}, published {}",
                published(column)
            ));
        }
    }
    matched
}

/// The model reproduces every published category, dimension and RISK of all 135 units.
#[test]
fn inform_sahel_2017_matches_every_published_node_of_all_135_units() {
    let Some(table) = read_reference("inform/inform-sahel-2017-results.csv") else {
        return;
    };
    let model = inform_model();
    let mut ws = Workspace::new(&model);
    let mut reader = csv::Reader::from_reader(table.as_bytes());
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("the results table has no column {name:?}"))
    };
    let iso = col("ISO-ADMIN1");
    let mut units = 0;
    let mut matched = 0;
    let mut mismatches = Vec::new();
    for record in reader.records() {
        let record = record.unwrap();
        let published = |column: &str| record.get(col(column)).unwrap_or("");
        let unit = format!("{} ({})", &record[iso], published("ADMIN1"));
        units += 1;
        if let Err(e) = score_unit(&model, &mut ws, published) {
            mismatches.push(format!("{unit}: scoring failed: {e}"));
            continue;
        }
        matched += compare_unit(&model, &ws, &unit, published, &mut mismatches);
    }
    eprintln!(
        "INFORM Sahel 2017: {units} units, {matched} of {} computed nodes matched",
        units * COMPUTED.len()
    );
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
    assert_eq!(units, UNITS, "the results table should hold 135 units");
    assert_eq!(matched, UNITS * COMPUTED.len());
}

/// Kayes (ML-1), as the README states it, scored from the table's own row.
#[test]
fn inform_sahel_2017_kayes_from_the_table() {
    let Some(table) = read_reference("inform/inform-sahel-2017-results.csv") else {
        return;
    };
    let model = inform_model();
    let mut reader = csv::Reader::from_reader(table.as_bytes());
    let header = reader.headers().unwrap().clone();
    let record = reader
        .records()
        .map(Result::unwrap)
        .find(|r| r.get(3) == Some("ML-1"))
        .expect("Kayes (ML-1) in the results table");
    let published = |column: &str| {
        let i = header.iter().position(|h| h == column).unwrap();
        record.get(i).unwrap_or("")
    };
    let mut ws = Workspace::new(&model);
    score_unit(&model, &mut ws, published).unwrap();
    let node = |id: &str| ws.value[model.node_by_id(id).unwrap() as usize];
    assert_eq!(node("risk"), 5.7);
    assert_eq!(node("hazard"), 5.0);
    assert_eq!(node("vulnerability"), 5.4);
    assert_eq!(node("lack_of_coping_capacity"), 7.0);
}

/// Three published rows, copied from the results sheet so that they run without it:
/// Kayes (every component present, Human from the mean), Cameroon Centre (Food Insecurity
/// Probability, Children U5 and Food Security all "x": dropped and renormalised) and
/// Nigeria Bayelsa (Political violence exactly 8: Human takes it alone, although the mean
/// with Conflict probability 10 would be 9).
const BY_HAND: &str = "\
COUNTRY,ADMIN1,ISO3,ISO-ADMIN1,Food Insecurity Probability,Physical exposure to flood,Land Degradation,Droughts probability and historical impact,Natural,Political violence,Conflict probability,Human,HAZARD,Development & Deprivation,Inequality,Aid Dependency,Socio-Economic Vulnerability,Uprooted people,Health Conditions,Children U5,Malnutrition,Recent Shocks,Food Security,Other Vulnerable Groups,Vulnerable Groups,VULNERABILITY,DRR,Governance,Institutional,Communication,Physical infrastructure,Access to health care,Infrastructure,LACK OF COPING CAPACITY,RISK
Mali,Kayes,MLI,ML-1,2.1,6.5,5.2,4.9,4.9,0,10,5,5,8.9,5.3,5,7,4.4,2.8,3.3,1.7,0,0.5,1.7,3.2,5.4,6.7,6.8,6.8,7.3,5.9,8.2,7.1,7,5.7
Cameroon,Centre,CMR,CM-CE,x,3.7,2,2.4,2.7,0,9.6,4.8,3.8,5,6.5,1.5,4.5,3.7,6.9,x,0,0,x,3.1,3.4,4,5.3,7,6.2,5.5,5.7,5.4,5.5,5.9,4.5
Nigeria,Bayelsa,NGA,NG-BY,x,5.6,5.7,3.7,5.1,8,10,8,6.8,3.6,5,3.7,4,0,5.7,4.5,0,0,x,3,1.6,2.9,6.3,7.1,6.7,4.1,9.7,8.2,7.3,7,5.2
";

#[test]
fn inform_sahel_2017_three_units_by_hand() {
    let model = inform_model();
    let mut ws = Workspace::new(&model);
    let mut lines = BY_HAND.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let pos = |column: &str| header.iter().position(|h| *h == column).unwrap();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let mut mismatches = Vec::new();
    let mut matched = 0;
    for cells in &rows {
        let published = |column: &str| cells[pos(column)];
        score_unit(&model, &mut ws, published).unwrap();
        matched += compare_unit(
            &model,
            &ws,
            published("ISO-ADMIN1"),
            published,
            &mut mismatches,
        );
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    assert_eq!(matched, rows.len() * COMPUTED.len());
    // Kayes's RISK 5.7 is the top of the Sahel workbook's third class.
    let kayes = &rows[0];
    score_unit(&model, &mut ws, |column| kayes[pos(column)]).unwrap();
    let risk = ws.value[model.root() as usize];
    assert_eq!(risk, 5.7);
    assert_eq!(model.bands()[model.band_of(risk) as usize].label, "Medium");
}

/// A component the workbook always computes is refused when missing, rather than
/// dropped: INFORM gives no rule for its absence.
#[test]
fn inform_sahel_2017_refuses_a_missing_component_the_workbook_always_has() {
    let model = inform_model();
    let mut inputs = vec![5.0; model.n_inputs()];
    inputs[model.input_by_id("political_violence").unwrap() as usize] = f64::NAN;
    let mut ws = Workspace::new(&model);
    assert!(evaluate(&model, &inputs, &model.default_params(), &mut ws).is_err());
    // ...while one that the workbook averages without is dropped.
    inputs[model.input_by_id("political_violence").unwrap() as usize] = 5.0;
    inputs[model.input_by_id("governance").unwrap() as usize] = f64::NAN;
    evaluate(&model, &inputs, &model.default_params(), &mut ws).unwrap();
    assert_eq!(
        ws.value[model.node_by_id("institutional").unwrap() as usize],
        5.0
    );
}
