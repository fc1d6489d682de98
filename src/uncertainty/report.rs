//! A simulation of one project: which inputs are uncertain (from the project's ranges),
//! what the model leaves uncertain (weights, alternatives), the draws, and the summary a
//! credit committee reads (score distribution, band probabilities, expected loss), with
//! the seed and sizes needed to reproduce it.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use super::distribution::Distribution;
use super::money_stats::{MoneySummary, summarise_minor_units};
use super::simulate::{Draws, Plan, Quantile, WeightDraw, band_probabilities, run};
use super::stats::{Summary, summarise};
use super::streams::DRAWS_PER_STREAM;
use crate::bind::Bound;
use crate::finance::currency::minor_units;
use crate::finance::loss::loss_rate;
use crate::finance::money::{expected_loss_minor, project_pd, rate, to_minor_units};
use crate::model::{Model, WeightUncertainty};
use crate::project::Project;

/// One uncertain input as the report lists it.
#[derive(Debug, Clone, Serialize)]
pub struct UncertainInput {
    /// Input id.
    pub id: String,
    /// How it is drawn.
    pub distribution: String,
    /// Its nominal value (used by `score`).
    pub nominal: f64,
}

/// One of the model's alternatives as the report lists it.
#[derive(Debug, Clone, Serialize)]
pub struct AlternativeInfo {
    /// Where the choice is, e.g. `groups.overall.aggregation`.
    pub id: String,
    /// Its options, nominal first, each drawn with equal probability.
    pub options: Vec<String>,
    /// `file:line` of the declaration.
    pub defined_at: String,
}

/// Which of the model's own uncertainty a simulation draws.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ModelDraws {
    /// How weights vary; `None` takes the model's `[uncertainty]` declaration.
    pub weights: Option<WeightUncertainty>,
    /// Whether the model's alternatives are drawn.
    pub alternatives: bool,
}

impl Default for ModelDraws {
    /// Everything the model declares.
    fn default() -> Self {
        ModelDraws {
            weights: None,
            alternatives: true,
        }
    }
}

/// The simulated money of a project.
#[derive(Debug, Clone, Serialize)]
pub struct MoneySimulation {
    /// ISO 4217 currency.
    pub currency: String,
    /// Decimals of its minor unit.
    pub minor_units: u32,
    /// True unless the model's PD mapping names its calibration data.
    pub indicative: bool,
    /// How the exposure is drawn.
    pub exposure: String,
    /// Horizon of the expected loss, years.
    pub horizon_years: f64,
    /// Expected loss over the horizon, per draw: EAD x loss rate, at the draw's score,
    /// band and exposure.
    pub expected_loss: MoneySummary,
    /// Probability of each Basel slotting category (from the band of each draw; "default"
    /// when the obligor has defaulted).
    pub slotting_probabilities: Vec<(String, f64)>,
}

/// The result of `vigie simulate`.
#[derive(Debug, Clone, Serialize)]
pub struct SimulationReport {
    /// Seed of the random streams.
    pub seed: u64,
    /// Draws made.
    pub draws: usize,
    /// Draws per random stream (streams are numbered from 0 by block of draws).
    pub draws_per_stream: usize,
    /// Generator and uniform mapping, for reproduction.
    pub generator: &'static str,
    /// Percentile method.
    pub percentile_method: &'static str,
    /// What varied.
    pub uncertain_inputs: Vec<UncertainInput>,
    /// How the model's weights varied.
    pub weights: WeightUncertainty,
    /// The model's alternatives drawn.
    pub alternatives: Vec<AlternativeInfo>,
    /// Draws whose evaluation failed (excluded from the statistics).
    pub failed_draws: usize,
    /// Distribution of the final score.
    pub score: Summary,
    /// Probability of each band, in band order: `(label, probability)`.
    pub band_probabilities: Vec<(String, f64)>,
    /// Expected loss, when the model has `[finance]` and the project an exposure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub money: Option<MoneySimulation>,
    /// Fingerprints of the files and the command that made this report (set by the
    /// caller that read the files).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit: Option<crate::engine::assess::Audit>,
}

/// The uncertain inputs of a bound project: every value given with a distribution, and
/// every value given as a `low < high` range (drawn uniformly).
pub fn ranges(
    model: &Model,
    project: &Project,
    bound: &Bound,
) -> Vec<(u32, Distribution, UncertainInput)> {
    (0..model.n_inputs() as u32)
        .filter_map(|slot| {
            let v = bound.provided[slot as usize].and_then(|k| project.values.get(k))?;
            let (dist, text) = match (&v.distribution, v.low, v.high) {
                (Some(d), _, _) => (d.clone(), serde_json::to_string(d).unwrap_or_default()),
                (None, Some(low), Some(high)) if low < high => (
                    Distribution::uniform(low, high).ok()?,
                    format!("uniform({low}, {high})"),
                ),
                _ => return None,
            };
            Some((
                slot,
                dist,
                UncertainInput {
                    id: v.id.value.clone(),
                    distribution: text,
                    nominal: bound.values[slot as usize],
                },
            ))
        })
        .collect()
}

/// The model's alternatives, as listed in reports.
pub fn alternatives(model: &Model) -> Vec<AlternativeInfo> {
    model
        .alternatives()
        .iter()
        .map(|a| AlternativeInfo {
            id: a.id.clone(),
            options: a.labels.clone(),
            defined_at: format!("{}:{}", model.origin(), a.line),
        })
        .collect()
}

/// The exposure's distribution: uniform over a range, none for a single amount.
fn exposure_distribution(project: &Project) -> Option<Distribution> {
    let e = project.exposure.as_ref()?;
    let (low, high) = (e.low.to_f64()?, e.high.to_f64()?);
    (low < high)
        .then(|| Distribution::uniform(low, high).ok())
        .flatten()
}

/// Simulates a bound project.
pub fn simulate(
    model: &Model,
    project: &Project,
    bound: &Bound,
    draws: usize,
    seed: u64,
    threads: usize,
    model_draws: ModelDraws,
) -> SimulationReport {
    let uncertain = ranges(model, project, bound);
    let weights = model_draws
        .weights
        .unwrap_or_else(|| model.weight_uncertainty());
    let exposure = exposure_distribution(project);
    let plan = Plan {
        inputs: uncertain
            .iter()
            .map(|(s, r, _)| (*s, r as &dyn Quantile))
            .collect(),
        weights: WeightDraw::for_model(model, weights),
        alternatives: if model_draws.alternatives {
            model
                .alternatives()
                .iter()
                .map(|a| a.len() as u16)
                .collect()
        } else {
            Vec::new()
        },
        exposure: exposure.as_ref().map(|d| d as &dyn Quantile),
    };
    let out = run(
        model,
        &bound.values,
        &model.default_params(),
        &plan,
        draws,
        seed,
        threads,
    );
    let ok: Vec<f64> = out.scores.iter().copied().filter(|s| !s.is_nan()).collect();
    SimulationReport {
        seed,
        draws,
        draws_per_stream: DRAWS_PER_STREAM,
        generator: "ChaCha8 (rand_chacha 0.10), seed_from_u64(seed), stream = block number; u = (top 53 bits + 0.5) / 2^53; per draw: inputs, weights, alternatives, exposure",
        percentile_method: "linear interpolation between order statistics (Hyndman-Fan type 7)",
        uncertain_inputs: uncertain.into_iter().map(|(_, _, u)| u).collect(),
        weights,
        alternatives: if model_draws.alternatives {
            alternatives(model)
        } else {
            Vec::new()
        },
        failed_draws: out.failures(),
        score: summarise(&ok),
        band_probabilities: model
            .bands()
            .iter()
            .map(|b| b.label.clone())
            .zip(band_probabilities(model, &out))
            .collect(),
        money: simulate_money(model, project, &out),
        audit: None,
    }
}

/// Expected loss per successful draw, in `Decimal`, and slotting category probabilities.
fn simulate_money(model: &Model, project: &Project, out: &Draws) -> Option<MoneySimulation> {
    let finance = model.finance()?;
    let e = project.exposure.as_ref()?;
    let minor = minor_units(&e.currency)?;
    let unit = 10f64.powi(minor as i32);
    // A band table gives one loss rate per band: convert each to Decimal once.
    let band_rates: Option<Vec<Decimal>> = match (&finance.pd, project.defaulted) {
        (crate::finance::spec::PdMapping::Table { annual }, false) => Some(
            annual
                .iter()
                .map(|pd| rate(loss_rate(finance, *pd).rate))
                .collect(),
        ),
        _ => None,
    };
    // Amounts in minor units (exact integers): EAD x rate rounded half to even, the same
    // amounts as in Decimal (a test of finance::money shows it), without a Decimal
    // multiplication and rounding per draw.
    let nominal = to_minor_units(e.nominal, minor)?;
    let mut losses: Vec<i64> = Vec::with_capacity(out.scores.len());
    let mut categories = [0usize; 5];
    for ((score, band), ead) in out.scores.iter().zip(&out.bands).zip(&out.exposure) {
        if score.is_nan() {
            continue;
        }
        // The drawn exposure, to the minor unit (exact: amounts here are far below 2^53
        // minor units).
        let ead = if ead.is_nan() {
            nominal
        } else {
            (ead * unit).round() as i64
        };
        let r = match &band_rates {
            Some(rates) => rates[usize::from(*band)],
            None => rate(
                loss_rate(
                    finance,
                    project_pd(finance, *score, *band, project.defaulted),
                )
                .rate,
            ),
        };
        losses.push(expected_loss_minor(ead, r));
        let category = if project.defaulted {
            4
        } else {
            finance
                .slotting
                .get(usize::from(*band))
                .map_or(3, |c| *c as usize)
        };
        categories[category] += 1;
    }
    let n = losses.len().max(1) as f64;
    let names = ["strong", "good", "satisfactory", "weak", "default"];
    Some(MoneySimulation {
        currency: e.currency.clone(),
        minor_units: minor,
        indicative: finance.calibrated_on.is_none(),
        exposure: if e.low < e.high {
            format!("uniform({}, {}), rounded to the minor unit", e.low, e.high)
        } else {
            format!("fixed at {}", e.nominal)
        },
        horizon_years: finance.horizon_years,
        expected_loss: summarise_minor_units(&mut losses, minor),
        slotting_probabilities: names
            .iter()
            .zip(categories)
            .filter(|(name, count)| *count > 0 || **name != "default")
            .map(|(name, count)| (name.to_string(), count as f64 / n))
            .collect(),
    })
}
