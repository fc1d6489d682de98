//! A simulation of one project: which inputs are uncertain (from the project's ranges),
//! the draws, and the summary a credit committee reads (score distribution, band
//! probabilities), with the seed and sizes needed to reproduce it.

use serde::Serialize;

use super::distribution::Distribution;
use super::simulate::{Plan, Quantile, band_probabilities, run};
use super::stats::{Summary, summarise};
use super::streams::DRAWS_PER_STREAM;
use crate::bind::Bound;
use crate::model::Model;
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
    /// Weight perturbation factor f (each weight times U(1 - f, 1 + f)), if any.
    pub weight_factor: Option<f64>,
    /// Draws whose evaluation failed (excluded from the statistics).
    pub failed_draws: usize,
    /// Distribution of the final score.
    pub score: Summary,
    /// Probability of each band, in band order: `(label, probability)`.
    pub band_probabilities: Vec<(String, f64)>,
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

/// Simulates a bound project.
pub fn simulate(
    model: &Model,
    project: &Project,
    bound: &Bound,
    draws: usize,
    seed: u64,
    threads: usize,
    weight_factor: Option<f64>,
) -> SimulationReport {
    let uncertain = ranges(model, project, bound);
    let plan = Plan {
        inputs: uncertain
            .iter()
            .map(|(s, r, _)| (*s, r as &dyn Quantile))
            .collect(),
        weight_factor,
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
        generator: "ChaCha8 (rand_chacha 0.10), seed_from_u64(seed), stream = block number; u = (top 53 bits + 0.5) / 2^53",
        percentile_method: "linear interpolation between order statistics (Hyndman-Fan type 7)",
        uncertain_inputs: uncertain.into_iter().map(|(_, _, u)| u).collect(),
        weight_factor,
        failed_draws: out.failures(),
        score: summarise(&ok),
        band_probabilities: model
            .bands()
            .iter()
            .map(|b| b.label.clone())
            .zip(band_probabilities(model, &out))
            .collect(),
    }
}
