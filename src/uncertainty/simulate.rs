//! Monte Carlo over the evaluation kernel: each draw sets the uncertain inputs (by inverse
//! CDF of a uniform) and optionally perturbs the model's weights, then calls the same
//! allocation-free `evaluate` as `score`. Draws are grouped in blocks of
//! [`DRAWS_PER_STREAM`], each with its own ChaCha8 stream, and results are stored by draw
//! number, so the output is identical whatever the number of threads.

use super::streams::{DRAWS_PER_STREAM, stream, uniform};
use crate::engine::eval::{Workspace, evaluate};
use crate::model::{Model, Params};

/// A value drawn from a uniform number in (0, 1): a distribution's inverse CDF.
pub trait Quantile: Sync {
    /// The value at cumulative probability `u`.
    fn quantile(&self, u: f64) -> f64;
}

/// What varies from draw to draw.
pub struct Plan<'a> {
    /// Uncertain inputs: the slot each fills, and its distribution. Drawn in this order.
    pub inputs: Vec<(u32, &'a dyn Quantile)>,
    /// Each weight is multiplied by U(1 - f, 1 + f) per draw (then renormalised within its
    /// group by the kernel, as every weight is); `None` keeps the model's weights.
    pub weight_factor: Option<f64>,
}

/// The outcome of every draw, in draw order.
#[derive(Debug, Clone, PartialEq)]
pub struct Draws {
    /// Final score per draw; NaN where the evaluation failed (e.g. a drawn value outside a
    /// transform's domain).
    pub scores: Vec<f64>,
    /// Final band index per draw (`u16::MAX` where the evaluation failed).
    pub bands: Vec<u16>,
}

impl Draws {
    /// Draws whose evaluation failed.
    pub fn failures(&self) -> usize {
        self.scores.iter().filter(|s| s.is_nan()).count()
    }
}

/// One block of draws: its number (which picks its stream) and its slices of the output.
type Block<'a> = (usize, &'a mut [f64], &'a mut [u16]);

/// Runs `n` draws with `threads` threads (at least 1). The same seed gives bit-identical
/// draws for any number of threads.
pub fn run(
    model: &Model,
    base: &[f64],
    params: &Params,
    plan: &Plan<'_>,
    n: usize,
    seed: u64,
    threads: usize,
) -> Draws {
    let mut scores = vec![f64::NAN; n];
    let mut bands = vec![u16::MAX; n];
    let blocks: Vec<Block<'_>> = scores
        .chunks_mut(DRAWS_PER_STREAM)
        .zip(bands.chunks_mut(DRAWS_PER_STREAM))
        .enumerate()
        .map(|(k, (s, b))| (k, s, b))
        .collect();
    let threads = threads.clamp(1, blocks.len().max(1));
    // Deal the blocks round-robin; each thread owns its blocks' slices of the output.
    let mut per_thread: Vec<Vec<Block<'_>>> = (0..threads).map(|_| Vec::new()).collect();
    for (i, block) in blocks.into_iter().enumerate() {
        per_thread[i % threads].push(block);
    }
    std::thread::scope(|scope| {
        for work in per_thread {
            scope.spawn(move || {
                let mut ws = Workspace::new(model);
                let mut inputs = base.to_vec();
                let mut p = params.clone();
                for (k, scores, bands) in work {
                    let mut rng = stream(seed, k as u64);
                    for (score, band) in scores.iter_mut().zip(bands.iter_mut()) {
                        for (slot, dist) in &plan.inputs {
                            if let Some(x) = inputs.get_mut(*slot as usize) {
                                *x = dist.quantile(uniform(&mut rng));
                            }
                        }
                        if let Some(f) = plan.weight_factor {
                            for (w, nominal) in p.weights.iter_mut().zip(&params.weights) {
                                *w = nominal * (1.0 - f + 2.0 * f * uniform(&mut rng));
                            }
                        }
                        if let Ok(out) = evaluate(model, &inputs, &p, &mut ws) {
                            *score = out.score;
                            *band = out.band;
                        }
                    }
                }
            });
        }
    });
    Draws { scores, bands }
}

/// Share of draws in each band (failed draws excluded from the denominator).
pub fn band_probabilities(model: &Model, draws: &Draws) -> Vec<f64> {
    let ok = draws
        .bands
        .iter()
        .filter(|b| **b != u16::MAX)
        .count()
        .max(1) as f64;
    (0..model.bands().len())
        .map(|b| draws.bands.iter().filter(|x| **x as usize == b).count() as f64 / ok)
        .collect()
}

impl Quantile for super::distribution::Distribution {
    fn quantile(&self, u: f64) -> f64 {
        super::distribution::Distribution::quantile(self, u)
    }
}
