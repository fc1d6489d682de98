//! Sensitivity of a project's score to everything uncertain: the project's inputs, and
//! the model's own weights and alternatives where the model declares them. One at a time
//! (a tornado: the score with each factor at its low and high end, the others at nominal)
//! and variance-based (Sobol first-order and total indices from [`crate::sensitivity`]),
//! both through the same kernel as `score`. Every factor is driven by one uniform number,
//! mapped by its inverse CDF: an input's distribution, a weight's perturbation or Gamma
//! quantile (Dirichlet weights are normalised Gamma variates), an alternative's option.

use serde::Serialize;

use super::distribution::Distribution;
use super::gamma::gamma_quantile;
use super::report::{ModelDraws, ranges};
use super::simulate::{WeightDraw, choice};
use crate::bind::Bound;
use crate::engine::eval::{Workspace, evaluate};
use crate::finance::loss::loss_rate;
use crate::finance::money::project_pd;
use crate::model::{Model, Params};
use crate::project::Project;
use crate::sensitivity::{self, SobolConfig, SobolError};
use rust_decimal::prelude::ToPrimitive;

/// Probabilities used as a factor's "low" and "high" when its distribution is unbounded.
pub const TAIL: (f64, f64) = (0.05, 0.95);

/// What a factor drives.
#[derive(Debug, Clone)]
enum Target {
    /// An input slot, drawn from its distribution.
    Input(u32, Distribution),
    /// A weight (edge index), times U(1 - f, 1 + f).
    Perturb(usize, f64),
    /// A weight (edge index), a Gamma(alpha) variate.
    Gamma(usize, f64),
    /// An alternative, with its number of options.
    Choice(usize, u16),
    /// The exposure (held after the model's inputs), drawn over its range.
    Exposure(usize, Distribution),
}

/// What the analysis explains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Quantity {
    /// The final score.
    Score,
    /// The expected loss over the model's horizon, in the exposure's currency (as f64:
    /// variance analysis is statistics; the money figures themselves are in `score` and
    /// `simulate`). Needs a `[finance]` section and an exposure; the exposure's range is
    /// a factor.
    ExpectedLoss,
}

/// One factor of the analysis.
#[derive(Debug, Clone, Serialize)]
pub struct Factor {
    /// Input id, `weight:<group>/<child>`, or the alternative's id.
    pub id: String,
    /// "input", "weight" or "alternative".
    pub kind: &'static str,
    /// How it is drawn.
    pub distribution: String,
    #[serde(skip)]
    target: Target,
}

impl Factor {
    /// Sets the factor's value for uniform `u` into the inputs or parameters; returns
    /// the value set (the option index for an alternative).
    fn apply(&self, u: f64, x: &mut [f64], p: &mut Params, nominal: &Params) -> f64 {
        match &self.target {
            Target::Input(slot, dist) => {
                let v = dist.quantile(u);
                x[*slot as usize] = v;
                v
            }
            Target::Perturb(e, f) => {
                p.weights[*e] = nominal.weights[*e] * (1.0 - f + 2.0 * f * u);
                p.weights[*e]
            }
            Target::Gamma(e, alpha) => {
                p.weights[*e] = gamma_quantile(*alpha, u);
                p.weights[*e]
            }
            Target::Choice(a, n) => {
                p.choices[*a] = choice(u, *n);
                f64::from(p.choices[*a])
            }
            Target::Exposure(slot, dist) => {
                let v = dist.quantile(u);
                x[*slot] = v;
                v
            }
        }
    }

    /// The value as a reader sees it: an input's value, a weight's share of its group
    /// (after renormalisation), an alternative's option.
    fn describe(&self, value: f64, model: &Model, p: &Params) -> String {
        match &self.target {
            Target::Input(..) | Target::Exposure(..) => format!("{value}"),
            Target::Perturb(e, _) | Target::Gamma(e, _) => {
                let child = model.edges()[*e];
                let total: f64 = model.parent()[child as usize]
                    .and_then(|g| model.groups().get(g as usize))
                    .map_or(f64::NAN, |g| {
                        model.children(g).map(|(k, _)| p.weights[k]).sum()
                    });
                format!("share {:.1}%", 100.0 * p.weights[*e] / total)
            }
            Target::Choice(a, _) => model.alternatives()[*a]
                .labels
                .get(value as usize)
                .cloned()
                .unwrap_or_default(),
        }
    }

    /// Restores the nominal value.
    fn reset(&self, x: &mut [f64], base: &[f64], p: &mut Params, nominal: &Params) {
        match &self.target {
            Target::Input(slot, _) => x[*slot as usize] = base[*slot as usize],
            Target::Perturb(e, _) | Target::Gamma(e, _) => p.weights[*e] = nominal.weights[*e],
            Target::Choice(a, _) => p.choices[*a] = nominal.choices[*a],
            Target::Exposure(slot, _) => x[*slot] = base[*slot],
        }
    }
}

/// Every factor of a project under a model: the uncertain inputs, then (unless
/// `model_draws` keeps the model fixed) one factor per weight of every group with two or
/// more children, then one per alternative.
pub fn factors(
    model: &Model,
    project: &Project,
    bound: &Bound,
    model_draws: ModelDraws,
) -> Vec<Factor> {
    let mut out: Vec<Factor> = ranges(model, project, bound)
        .into_iter()
        .map(|(slot, dist, info)| Factor {
            id: info.id,
            kind: "input",
            distribution: info.distribution,
            target: Target::Input(slot, dist),
        })
        .collect();
    let declared = model_draws
        .weights
        .unwrap_or_else(|| model.weight_uncertainty());
    let draw = WeightDraw::for_model(model, declared);
    for g in model.groups().iter().filter(|g| g.n_children > 1) {
        for (e, child) in model.children(g) {
            let nominal = model.weights()[e];
            let (target, text) = match &draw {
                WeightDraw::Fixed => continue,
                _ if nominal <= 0.0 => continue,
                WeightDraw::Perturb(f) => (
                    Target::Perturb(e, *f),
                    format!("{nominal} x U({}, {})", 1.0 - f, 1.0 + f),
                ),
                WeightDraw::Dirichlet(alpha) => (
                    Target::Gamma(e, alpha[e]),
                    format!(
                        "Gamma({:.4}), normalised in the group (Dirichlet)",
                        alpha[e]
                    ),
                ),
            };
            out.push(Factor {
                id: format!("weight:{}/{}", g.id, model.node_id(child)),
                kind: "weight",
                distribution: text,
                target,
            });
        }
    }
    if model_draws.alternatives {
        for (a, alt) in model.alternatives().iter().enumerate() {
            out.push(Factor {
                id: alt.id.clone(),
                kind: "alternative",
                distribution: format!(
                    "one of {} equally likely: {}",
                    alt.len(),
                    alt.labels.join(" | ")
                ),
                target: Target::Choice(a, alt.len() as u16),
            });
        }
    }
    out
}

/// One bar of the tornado.
#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    /// Factor id.
    pub id: String,
    /// "input", "weight" or "alternative".
    pub kind: &'static str,
    /// Low end used (the support's end, or the 5th percentile when unbounded; for an
    /// alternative, the option giving the lowest score).
    pub low: f64,
    /// High end used.
    pub high: f64,
    /// The low end as a reader sees it (a weight as its share of the group, an
    /// alternative's option).
    pub low_text: String,
    /// The high end as a reader sees it.
    pub high_text: String,
    /// Score with the factor at its low end.
    pub score_at_low: f64,
    /// Score with the factor at its high end.
    pub score_at_high: f64,
    /// |score_at_high - score_at_low|.
    pub swing: f64,
}

/// Sobol indices of one factor.
#[derive(Debug, Clone, Serialize)]
pub struct InputIndex {
    /// Factor id.
    pub id: String,
    /// First-order index.
    pub first: f64,
    /// Total index.
    pub total: f64,
    /// Confidence interval of the first-order index, when the method gives one.
    pub first_ci: Option<(f64, f64)>,
    /// Confidence interval of the total index.
    pub total_ci: Option<(f64, f64)>,
}

/// Why a sensitivity analysis cannot run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SensitivityError {
    /// The Sobol design or estimator refused its settings.
    #[error(transparent)]
    Sobol(#[from] SobolError),
    /// Expected loss was asked for without a `[finance]` section or an exposure.
    #[error("the expected loss needs the model's [finance] section and the project's exposure")]
    NoMoney,
}

/// The result of `vigie sensitivity`.
#[derive(Debug, Clone, Serialize)]
pub struct SensitivityReport {
    /// What the tornado's and the indices' values are: the score or the expected loss.
    pub quantity: Quantity,
    /// Score at nominal values.
    pub nominal_score: f64,
    /// The quantity at nominal values (the score again, or the expected loss).
    pub nominal_value: f64,
    /// Every factor, in the order of the Sobol design's columns and the CSV's.
    pub factors: Vec<Factor>,
    /// Tornado, largest swing first.
    pub tornado: Vec<Bar>,
    /// Sobol indices, in factor order (absent without factors or when the score does not
    /// vary).
    pub sobol: Option<SobolSummary>,
    /// Fingerprints of the files and the command that made this report (set by the
    /// caller that read the files).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit: Option<crate::engine::assess::Audit>,
}

/// Variance-based indices with how they were estimated.
#[derive(Debug, Clone, Serialize)]
pub struct SobolSummary {
    /// Base sample size N (evaluations: N x (d + 2) per replicate).
    pub n: usize,
    /// Evaluations made.
    pub evaluations: usize,
    /// Sampling and interval method, in words.
    pub method: String,
    /// Variance of the score.
    pub variance: f64,
    /// One entry per factor.
    pub indices: Vec<InputIndex>,
}

/// Computes the tornado and, with `sobol`, the Sobol indices of `quantity` (a tornado bar's
/// `score_at_low`/`score_at_high` then hold that quantity). `rows` (if given) receives
/// every Sobol design row as the factors' values (in factor order; an alternative's option
/// index) followed by the quantity, for a CSV of sampled parameters.
pub fn analyse(
    model: &Model,
    project: &Project,
    bound: &Bound,
    model_draws: ModelDraws,
    quantity: Quantity,
    sobol: Option<&SobolConfig>,
    mut rows: Option<&mut Vec<Vec<f64>>>,
) -> Result<SensitivityReport, SensitivityError> {
    let mut factors = factors(model, project, bound, model_draws);
    let n = model.n_inputs();
    // The exposure is held after the model's inputs (slot n), for the expected loss.
    let money = match quantity {
        Quantity::Score => None,
        Quantity::ExpectedLoss => {
            let (Some(finance), Some(e)) = (model.finance(), project.exposure.as_ref()) else {
                return Err(SensitivityError::NoMoney);
            };
            let (low, high) = (
                e.low.to_f64().unwrap_or(f64::NAN),
                e.high.to_f64().unwrap_or(f64::NAN),
            );
            if let Ok(dist) = Distribution::uniform(low, high)
                && low < high
            {
                factors.push(Factor {
                    id: "exposure".to_string(),
                    kind: "exposure",
                    distribution: format!("uniform({low}, {high})"),
                    target: Target::Exposure(n, dist),
                });
            }
            Some((finance, e.nominal.to_f64().unwrap_or(f64::NAN)))
        }
    };
    let mut nominal = model.default_params();
    // Gamma variates live on the scale of their alphas: put every Dirichlet weight there,
    // so that a weight at its mean keeps its nominal share of the group.
    for f in &factors {
        if let Target::Gamma(e, alpha) = f.target {
            nominal.weights[e] = alpha;
        }
    }
    let mut p = nominal.clone();
    let mut ws = Workspace::new(model);
    let mut base = bound.values.clone();
    base.push(money.map_or(f64::NAN, |(_, ead)| ead));
    let mut x = base.clone();
    let nominal_score = evaluate(model, &x[..n], &p, &mut ws).map_or(f64::NAN, |o| o.score);
    let mut score_of = |x: &[f64], p: &Params| match evaluate(model, &x[..n], p, &mut ws) {
        Err(_) => f64::NAN,
        Ok(o) => match money {
            None => o.score,
            Some((finance, _)) => {
                let pd = project_pd(finance, o.score, o.band, project.defaulted);
                x[n] * loss_rate(finance, pd).rate
            }
        },
    };
    let nominal_value = score_of(&x, &p);
    let mut tornado = Vec::new();
    for f in &factors {
        let (low, high, score_at_low, score_at_high, low_text, high_text) = match &f.target {
            Target::Choice(_, n) => {
                // Every option; the bar spans the lowest and highest score they give.
                let scores: Vec<(f64, f64)> = (0..*n)
                    .map(|k| {
                        let u = (f64::from(k) + 0.5) / f64::from(*n);
                        let v = f.apply(u, &mut x, &mut p, &nominal);
                        (v, score_of(&x, &p))
                    })
                    .collect();
                let lo = scores.iter().copied().min_by(|a, b| a.1.total_cmp(&b.1));
                let hi = scores.iter().copied().max_by(|a, b| a.1.total_cmp(&b.1));
                let (lo, hi) = (lo.unwrap_or((0.0, f64::NAN)), hi.unwrap_or((0.0, f64::NAN)));
                let (lt, ht) = (f.describe(lo.0, model, &p), f.describe(hi.0, model, &p));
                (lo.0, hi.0, lo.1, hi.1, lt, ht)
            }
            target => {
                let (ulo, uhi) = match target {
                    Target::Input(_, dist)
                        if dist.support().0.is_finite() && dist.support().1.is_finite() =>
                    {
                        (0.0, 1.0)
                    }
                    Target::Perturb(..) | Target::Exposure(..) => (0.0, 1.0),
                    _ => TAIL,
                };
                let low = f.apply(ulo, &mut x, &mut p, &nominal);
                let score_at_low = score_of(&x, &p);
                let low_text = f.describe(low, model, &p);
                let high = f.apply(uhi, &mut x, &mut p, &nominal);
                let score_at_high = score_of(&x, &p);
                let high_text = f.describe(high, model, &p);
                (low, high, score_at_low, score_at_high, low_text, high_text)
            }
        };
        f.reset(&mut x, &base, &mut p, &nominal);
        tornado.push(Bar {
            id: f.id.clone(),
            kind: f.kind,
            low,
            high,
            low_text,
            high_text,
            score_at_low,
            score_at_high,
            swing: (score_at_high - score_at_low).abs(),
        });
    }
    tornado.sort_by(|a, b| b.swing.total_cmp(&a.swing).then(a.id.cmp(&b.id)));

    let sobol = match sobol {
        Some(cfg) if !factors.is_empty() => {
            let design = sensitivity::design(factors.len(), cfg)?;
            let mut u = vec![0.0; design.dims()];
            let mut values = vec![0.0; factors.len()];
            let mut outputs = Vec::with_capacity(design.len());
            for k in 0..design.len() {
                design.row_into(k, &mut u)?;
                for ((f, uk), v) in factors.iter().zip(&u).zip(values.iter_mut()) {
                    *v = f.apply(*uk, &mut x, &mut p, &nominal);
                }
                let score = score_of(&x, &p);
                if let Some(rows) = rows.as_deref_mut() {
                    let mut row = values.clone();
                    row.push(score);
                    rows.push(row);
                }
                outputs.push(score);
            }
            match sensitivity::estimate(&design, &outputs, cfg) {
                Ok(r) => Some(SobolSummary {
                    n: cfg.n,
                    evaluations: r.evaluations,
                    method: format!("{}; {}", cfg.sampling, r.ci_method),
                    variance: r.variance,
                    indices: factors
                        .iter()
                        .zip(&r.indices)
                        .map(|(f, ix)| InputIndex {
                            id: f.id.clone(),
                            first: ix.first,
                            total: ix.total,
                            first_ci: ix.first_ci,
                            total_ci: ix.total_ci,
                        })
                        .collect(),
                }),
                // A score that does not move has no variance to apportion.
                Err(SobolError::ZeroVariance) => None,
                Err(e) => return Err(e.into()),
            }
        }
        _ => None,
    };
    Ok(SensitivityReport {
        quantity,
        nominal_score,
        nominal_value,
        factors,
        tornado,
        sobol,
        audit: None,
    })
}
