//! Monte Carlo over the evaluation kernel: each draw sets the uncertain inputs (by inverse
//! CDF of a uniform), draws the model's weights and alternatives where the model declares
//! them uncertain, and the exposure, then calls the same allocation-free `evaluate` as
//! `score`. Draws are grouped in blocks of
//! [`DRAWS_PER_STREAM`], each with its own ChaCha8 stream, and results are stored by draw
//! number, so the output is identical whatever the number of threads.

use super::gamma::GammaSampler;
use super::streams::{DRAWS_PER_STREAM, stream, uniform};
use crate::engine::eval::{Workspace, evaluate};
use crate::model::{Model, Params};

/// A value drawn from a uniform number in (0, 1): a distribution's inverse CDF.
pub trait Quantile: Sync {
    /// The value at cumulative probability `u`.
    fn quantile(&self, u: f64) -> f64;
}

/// How weights are drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum WeightDraw {
    /// The nominal weights.
    Fixed,
    /// Each weight times U(1 - f, 1 + f) (the kernel renormalises within each group).
    Perturb(f64),
    /// Each weight a Gamma(alpha) variate, alpha = concentration x the weight's nominal
    /// share of its group: normalised by the kernel, a group's weights are Dirichlet.
    Dirichlet(Vec<f64>),
}

impl WeightDraw {
    /// The draw a model's declaration asks for.
    pub fn for_model(model: &Model, declared: crate::model::WeightUncertainty) -> Self {
        use crate::model::WeightUncertainty as W;
        match declared {
            W::Fixed => WeightDraw::Fixed,
            W::Perturb { factor } => WeightDraw::Perturb(factor),
            W::Dirichlet { concentration } => {
                let mut alpha = vec![0.0; model.edges().len()];
                for g in model.groups() {
                    let total: f64 = model.children(g).map(|(e, _)| model.weights()[e]).sum();
                    for (e, _) in model.children(g) {
                        alpha[e] = concentration * model.weights()[e] / total;
                    }
                }
                WeightDraw::Dirichlet(alpha)
            }
        }
    }
}

/// What varies from draw to draw. Each draw takes its uniforms in this order: inputs,
/// weights, alternatives, exposure.
pub struct Plan<'a> {
    /// Uncertain inputs: the slot each fills, and its distribution. Drawn in this order.
    pub inputs: Vec<(u32, &'a dyn Quantile)>,
    /// How the weights vary.
    pub weights: WeightDraw,
    /// Number of options of each alternative of the model, drawn with equal probability;
    /// empty to keep every nominal option.
    pub alternatives: Vec<u16>,
    /// The exposure's distribution, if it is uncertain.
    pub exposure: Option<&'a dyn Quantile>,
}

/// The outcome of every draw, in draw order.
#[derive(Debug, Clone, PartialEq)]
pub struct Draws {
    /// Final score per draw; NaN where the evaluation failed (e.g. a drawn value outside a
    /// transform's domain).
    pub scores: Vec<f64>,
    /// Final band index per draw (`u16::MAX` where the evaluation failed).
    pub bands: Vec<u16>,
    /// Exposure drawn per draw (NaN when the plan has no exposure distribution).
    pub exposure: Vec<f64>,
}

impl Draws {
    /// Draws whose evaluation failed.
    pub fn failures(&self) -> usize {
        self.scores.iter().filter(|s| s.is_nan()).count()
    }
}

/// One block of draws: its number (which picks its stream) and its slices of the output.
type Block<'a> = (usize, &'a mut [f64], &'a mut [u16], &'a mut [f64]);

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
    let mut exposure = vec![f64::NAN; n];
    let blocks: Vec<Block<'_>> = scores
        .chunks_mut(DRAWS_PER_STREAM)
        .zip(bands.chunks_mut(DRAWS_PER_STREAM))
        .zip(exposure.chunks_mut(DRAWS_PER_STREAM))
        .enumerate()
        .map(|(k, ((s, b), x))| (k, s, b, x))
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
                for (k, scores, bands, exposure) in work {
                    let mut rng = stream(seed, k as u64);
                    let mut gamma = GammaSampler::new();
                    let outputs = scores.iter_mut().zip(bands.iter_mut()).zip(exposure);
                    for ((score, band), ead) in outputs {
                        for (slot, dist) in &plan.inputs {
                            if let Some(x) = inputs.get_mut(*slot as usize) {
                                *x = dist.quantile(uniform(&mut rng));
                            }
                        }
                        match &plan.weights {
                            WeightDraw::Fixed => {}
                            WeightDraw::Perturb(f) => {
                                for (w, nominal) in p.weights.iter_mut().zip(&params.weights) {
                                    *w = nominal * (1.0 - f + 2.0 * f * uniform(&mut rng));
                                }
                            }
                            WeightDraw::Dirichlet(alpha) => {
                                for (w, a) in p.weights.iter_mut().zip(alpha) {
                                    *w = gamma.draw(*a, &mut rng);
                                }
                            }
                        }
                        for (c, options) in p.choices.iter_mut().zip(&plan.alternatives) {
                            *c = choice(uniform(&mut rng), *options);
                        }
                        if let Some(dist) = plan.exposure {
                            *ead = dist.quantile(uniform(&mut rng));
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
    Draws {
        scores,
        bands,
        exposure,
    }
}

/// The option a uniform picks among `options` equally likely ones.
#[inline]
pub fn choice(u: f64, options: u16) -> u16 {
    ((u * f64::from(options)) as u16).min(options.saturating_sub(1))
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
