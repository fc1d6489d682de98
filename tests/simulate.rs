//! Monte Carlo over the kernel: identical draws for any number of threads, and sample
//! statistics that agree with what a linear model implies.

use vigie::Model;
use vigie::uncertainty::simulate::{Plan, Quantile, WeightDraw, band_probabilities, run};
use vigie::uncertainty::stats::summarise;

/// U(low, high) by its inverse CDF (the real distributions live in their own module).
struct Uniform(f64, f64);

impl Quantile for Uniform {
    fn quantile(&self, u: f64) -> f64 {
        self.0 + u * (self.1 - self.0)
    }
}

fn model() -> Model {
    Model::from_toml(
        "m.toml",
        r#"[model]
id = "sim"
name = "Sim"
version = "1.0.0"
effective = 2025-01-01
scale = [0, 100]
[indicators.a]
label = "A"
direction = "higher_is_riskier"
normalise = { method = "identity" }
[indicators.b]
label = "B"
direction = "higher_is_riskier"
normalise = { method = "identity" }
[groups.root]
children = ["a", "b"]
weights = [3, 1]
aggregation = "arithmetic"
[[bands]]
label = "Low"
from = 0
[[bands]]
label = "High"
from = 50
"#,
    )
    .unwrap()
}

#[test]
fn same_seed_gives_identical_draws_with_any_thread_count() {
    let m = model();
    let a = Uniform(20.0, 80.0);
    let plan = Plan {
        inputs: vec![(0, &a)],
        weights: WeightDraw::Perturb(0.2),
        alternatives: vec![],
        exposure: None,
    };
    let base = [f64::NAN, 40.0];
    let params = m.default_params();
    let one = run(&m, &base, &params, &plan, 5_000, 42, 1);
    for threads in [2, 3, 8] {
        let many = run(&m, &base, &params, &plan, 5_000, 42, threads);
        let bits = |d: &vigie::uncertainty::simulate::Draws| {
            d.scores.iter().map(|s| s.to_bits()).collect::<Vec<_>>()
        };
        assert_eq!(bits(&one), bits(&many), "{threads} threads");
        assert_eq!(one.bands, many.bands);
    }
    let other_seed = run(&m, &base, &params, &plan, 5_000, 43, 1);
    assert_ne!(one.scores, other_seed.scores);
}

#[test]
fn linear_model_statistics_match_theory() {
    // score = 0.75 a + 0.25 x 40 with a ~ U(20, 80): mean 0.75 x 50 + 10 = 47.5,
    // sd = 0.75 x 60 / sqrt(12) = 12.99; P(score >= 50) = P(a >= 53.33) = 26.67/60 = 0.4444.
    let m = model();
    let a = Uniform(20.0, 80.0);
    let plan = Plan {
        inputs: vec![(0, &a)],
        weights: WeightDraw::Fixed,
        alternatives: vec![],
        exposure: None,
    };
    let draws = run(
        &m,
        &[f64::NAN, 40.0],
        &m.default_params(),
        &plan,
        100_000,
        7,
        2,
    );
    assert_eq!(draws.failures(), 0);
    let s = summarise(&draws.scores);
    // Standard error of the mean: 12.99 / sqrt(1e5) = 0.041; 4 standard errors.
    assert!((s.mean - 47.5).abs() < 0.17, "{}", s.mean);
    assert!((s.sd - 12.990_381).abs() < 0.1, "{}", s.sd);
    let p = band_probabilities(&m, &draws);
    // Binomial standard error sqrt(0.444 x 0.556 / 1e5) = 0.0016; 4 of them.
    assert!((p[1] - 0.444_444).abs() < 0.0064, "{p:?}");
    assert!((p[0] + p[1] - 1.0).abs() < 1e-12);
}

fn project(values: &str) -> Result<vigie::Project, vigie::Error> {
    vigie::Project::from_toml(
        "p.toml",
        &format!(
            "[project]\nid = \"p\"\nname = \"P\"\ncountry = \"MLI\"\nas_of = 2025-10-31\n[values]\n{values}"
        ),
    )
}

#[test]
fn project_values_can_be_distributions() {
    let m = model();
    let p =
        project("a = { distribution = \"triangular\", low = 20, mode = 30, high = 80 }\nb = 40\n")
            .unwrap();
    // The nominal value is the mode.
    let a = p.value("a").unwrap();
    assert_eq!(a.value.value, vigie::project::RawValue::Number(30.0));
    assert_eq!((a.low, a.high), (Some(20.0), Some(80.0)));
    let (bound, _) = vigie::bind::bind(&m, &p);
    let report = vigie::uncertainty::report::simulate(
        &m,
        &p,
        &bound.unwrap(),
        50_000,
        3,
        2,
        Default::default(),
    );
    // score = 0.75 a + 10, a ~ Tri(20, 30, 80): mean 0.75 x 130/3 + 10 = 42.5;
    // sd(a) = sqrt((400 + 900 + 6400 - 600 - 1600 - 2400)/18) = 11.055; sd(score) = 8.29.
    assert!(
        (report.score.mean - 42.5).abs() < 4.0 * 8.29 / (50_000f64).sqrt(),
        "{}",
        report.score.mean
    );
    assert!(
        report.uncertain_inputs[0]
            .distribution
            .contains("Triangular")
    );
}

#[test]
fn bad_distribution_parameters_are_located() {
    let err =
        project("a = { distribution = \"pert\", low = 20, mode = 90, high = 80 }\n").unwrap_err();
    let d = &err.diagnostics()[0];
    assert_eq!(d.code, vigie::Code::InvalidValue);
    assert_eq!(d.location.as_ref().unwrap().line, 7);
    assert!(d.message.contains("mode"), "{}", d.message);
    let err =
        project("a = { distribution = \"normal\", mean = 1, sd = 1, mode = 2 }\n").unwrap_err();
    assert!(
        err.diagnostics()[0]
            .message
            .contains("`mode` does not apply")
    );
    let err = project("a = { value = 1, mode = 2 }\n").unwrap_err();
    assert!(
        err.diagnostics()[0]
            .message
            .contains("needs a `distribution`")
    );
}

/// A model whose score is one group of two fixed indicators (0 and 100), weights 1:3,
/// with the extras given (uncertainty tables, alternatives).
fn two_pillar_model(extra_group: &str, extra: &str) -> Model {
    Model::from_toml("m.toml", &two_pillar_model_text(extra_group, extra)).unwrap()
}

fn two_pillar_model_text(extra_group: &str, extra: &str) -> String {
    format!(
        r#"[model]
id = "sim2"
name = "Sim 2"
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
[groups.root]
children = ["a", "b"]
weights = [1, 3]
aggregation = "arithmetic"
{extra_group}
[[bands]]
label = "Low"
from = 0
[[bands]]
label = "High"
from = 50
{extra}"#
    )
}

/// Dirichlet weights: with children fixed at 0 and 100 and nominal shares 1/4 and 3/4,
/// the score is 100 x W with W ~ Beta(0.75 c, 0.25 c). For c = 20, Beta(15, 5): mean
/// 0.75 and sd sqrt(15 x 5 / (20^2 x 21)) = 0.0945, so the score has mean 75, sd 9.45.
#[test]
fn dirichlet_weights_give_the_beta_marginal() {
    let m = two_pillar_model(
        "",
        "[uncertainty]\nweights = \"dirichlet\"\nconcentration = 20\n",
    );
    let plan = Plan {
        inputs: vec![],
        weights: WeightDraw::for_model(&m, m.weight_uncertainty()),
        alternatives: vec![],
        exposure: None,
    };
    let draws = run(&m, &[0.0, 100.0], &m.default_params(), &plan, 100_000, 5, 2);
    let s = summarise(&draws.scores);
    // Standard error of the mean 9.45 / sqrt(1e5) = 0.030; 4 of them.
    assert!((s.mean - 75.0).abs() < 0.12, "{}", s.mean);
    assert!((s.sd - 9.449_1).abs() < 0.1, "{}", s.sd);
}

/// An alternative aggregation is drawn half the time: arithmetic gives 75, max 100.
#[test]
fn alternatives_are_drawn_with_equal_probability() {
    let m = two_pillar_model("aggregation_alternatives = [\"max\"]", "");
    assert_eq!(m.alternatives().len(), 1);
    assert_eq!(m.alternatives()[0].labels, ["arithmetic", "max"]);
    let plan = Plan {
        inputs: vec![],
        weights: WeightDraw::Fixed,
        alternatives: vec![2],
        exposure: None,
    };
    let draws = run(&m, &[0.0, 100.0], &m.default_params(), &plan, 100_000, 5, 2);
    let at_max = draws.scores.iter().filter(|s| **s == 100.0).count() as f64 / 1e5;
    let at_mean = draws.scores.iter().filter(|s| **s == 75.0).count() as f64 / 1e5;
    // Binomial standard error 0.0016; 4 of them.
    assert!((at_max - 0.5).abs() < 0.0064, "{at_max}");
    assert!((at_max + at_mean - 1.0).abs() < 1e-12);
    // The nominal option is what `score` uses.
    let mut ws = vigie::Workspace::new(&m);
    let out = vigie::evaluate(&m, &[0.0, 100.0], &m.default_params(), &mut ws).unwrap();
    assert_eq!(out.score, 75.0);
}

/// Declared uncertainty that cannot be used is reported with its location.
#[test]
fn bad_uncertainty_declarations_are_located() {
    let src = vigie::SourceFile::new(
        "m.toml",
        two_pillar_model_text(
            "aggregation_alternatives = [\"arithmetic\"]",
            "[uncertainty]\nweights = \"perturb\"\nfactor = 1.5\n",
        ),
    );
    let (model, diags) = Model::check(&src);
    assert!(model.is_none());
    let codes: Vec<_> = diags
        .iter()
        .map(|d| (d.code, d.location.as_ref().unwrap().line))
        .collect();
    assert!(codes.contains(&(vigie::Code::Uncertainty, 19)), "{codes:?}");
    assert!(codes.contains(&(vigie::Code::Uncertainty, 28)), "{codes:?}");
}
