//! The `[finance]` section end to end: a model with a logistic PD and political-risk
//! insurance, scored through the library, gives the expected loss worked out by hand.

use vigie::{Model, Project};

const MODEL: &str = r#"[model]
id = "fin"
name = "Finance"
version = "1.0.0"
effective = 2025-01-01
scale = [0, 100]
[indicators.a]
label = "A"
direction = "higher_is_riskier"
normalise = { method = "identity" }
[groups.root]
children = ["a"]
aggregation = "arithmetic"
[[bands]]
label = "Low"
from = 0
[[bands]]
label = "High"
from = 50
[finance]
horizon_years = 2
lgd = 0.6
calibrated_on = "Moody's project finance default study 1983-2021"
pd = { method = "logistic", intercept = -7, slope = 0.1, source = "test" }
slotting = { Low = "good", High = "weak" }
[finance.mitigant]
kind = "political_risk_insurance"
provider = "Insurer"
cover = 0.8
provider_pd = 0.001
provider_lgd = 0.5
peril_share = 0.5
"#;

fn project(a: f64) -> Project {
    Project::from_toml(
        "p.toml",
        &format!(
            "[project]\nid = \"p\"\nname = \"P\"\ncountry = \"MLI\"\nas_of = 2025-10-31\n[project.exposure]\namount = 1000000\ncurrency = \"XOF\"\n[values]\na = {a}\n"
        ),
    )
    .unwrap()
}

/// Score 70: annual PD 1 / (1 + e^0) = 50 %; over 2 years 75 %. Substituted share
/// s = 0.8 x 0.5 = 0.4. Provider: 1 - 0.999^2 = 0.001999. Rate = 0.6 x 0.75 x 0.6 +
/// 0.4 x 0.001999 x 0.5 = 0.27 + 0.0003998 = 0.2703998. XOF has no minor unit:
/// EL = 1,000,000 x 0.2703998 = 270,399.8 -> 270,400.
#[test]
fn logistic_pd_with_insurance_gives_the_hand_computed_loss() {
    let model = Model::from_toml("m.toml", MODEL).unwrap();
    let a = vigie::score(&model, &project(70.0)).unwrap();
    let m = a.money.as_ref().unwrap();
    assert!((m.pd.annual - 0.5).abs() < 1e-15);
    assert!((m.pd.cumulative - 0.75).abs() < 1e-15);
    assert!((m.substituted_share - 0.4).abs() < 1e-15);
    assert_eq!(m.loss_rate.to_string(), "0.27039980");
    assert_eq!(m.expected_loss.to_string(), "270400");
    assert_eq!(m.minor_units, 0);
    assert!(!m.indicative, "the model names its calibration data");
    assert_eq!(m.slotting.category, "weak");
    assert!(
        m.capital_note.is_some(),
        "a mitigant does not reduce capital here: say so"
    );
}

#[test]
fn insurance_needs_its_peril_share_and_a_guarantee_refuses_one() {
    let no_share = MODEL.replace("peril_share = 0.5\n", "");
    let err = Model::from_toml("m.toml", &no_share).unwrap_err();
    assert!(
        err.diagnostics()[0].message.contains("needs `peril_share`"),
        "{}",
        err.diagnostics()[0].message
    );
    let guarantee = MODEL.replace("political_risk_insurance", "guarantee");
    let err = Model::from_toml("m.toml", &guarantee).unwrap_err();
    assert_eq!(err.diagnostics()[0].code, vigie::Code::Finance);
    let default_band = MODEL.replace("High = \"weak\"", "High = \"default\"");
    let err = Model::from_toml("m.toml", &default_band).unwrap_err();
    assert!(
        err.diagnostics()[0]
            .message
            .contains("\"default\" is not allowed")
    );
}

/// PDs must not fall as bands rise: a swapped table is refused at the riskier band.
#[test]
fn a_pd_table_falling_with_the_bands_is_refused() {
    let table = MODEL.replace(
        "pd = { method = \"logistic\", intercept = -7, slope = 0.1, source = \"test\" }",
        "pd = { method = \"table\", annual = { Low = 0.05, High = 0.01 }, source = \"test\" }",
    );
    let err = Model::from_toml("m.toml", &table).unwrap_err();
    let d = &err.diagnostics()[0];
    assert_eq!(d.code, vigie::Code::Finance);
    assert!(d.message.contains("must not fall"), "{}", d.message);
}
