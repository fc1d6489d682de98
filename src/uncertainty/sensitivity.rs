//! Sensitivity of a project's score to its uncertain inputs: one at a time (a tornado: the
//! score with each input at its low and high end, the others at nominal), and
//! variance-based (Sobol first-order and total indices from [`crate::sensitivity`]), both
//! through the same kernel as `score`.

use serde::Serialize;

use super::report::ranges;
use crate::bind::Bound;
use crate::engine::eval::{Workspace, evaluate};
use crate::model::Model;
use crate::project::Project;
use crate::sensitivity::{self, SobolConfig, SobolError};

/// Probabilities used as an input's "low" and "high" when its distribution is unbounded.
pub const TAIL: (f64, f64) = (0.05, 0.95);

/// One bar of the tornado.
#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    /// Input id.
    pub id: String,
    /// Low end used (the support's end, or the 5th percentile when unbounded).
    pub low: f64,
    /// High end used.
    pub high: f64,
    /// Score with the input at its low end.
    pub score_at_low: f64,
    /// Score with the input at its high end.
    pub score_at_high: f64,
    /// |score_at_high - score_at_low|.
    pub swing: f64,
}

/// Sobol indices of one input.
#[derive(Debug, Clone, Serialize)]
pub struct InputIndex {
    /// Input id.
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

/// The result of `vigie sensitivity`.
#[derive(Debug, Clone, Serialize)]
pub struct SensitivityReport {
    /// Score at nominal values.
    pub nominal_score: f64,
    /// Tornado, largest swing first.
    pub tornado: Vec<Bar>,
    /// Sobol indices, in the order of the uncertain inputs (absent with fewer than one
    /// input or when the score does not vary).
    pub sobol: Option<SobolSummary>,
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
    /// One entry per uncertain input.
    pub indices: Vec<InputIndex>,
}

/// Computes the tornado and, with `sobol`, the Sobol indices. `rows` (if given) receives
/// every Sobol design row as the uncertain inputs' values (in input order) followed by the
/// score, for a CSV of sampled parameters.
pub fn analyse(
    model: &Model,
    project: &Project,
    bound: &Bound,
    sobol: Option<&SobolConfig>,
    mut rows: Option<&mut Vec<Vec<f64>>>,
) -> Result<SensitivityReport, SobolError> {
    let inputs = ranges(model, project, bound);
    let params = model.default_params();
    let mut ws = Workspace::new(model);
    let mut x = bound.values.clone();
    let mut score_of =
        |x: &[f64]| evaluate(model, x, &params, &mut ws).map_or(f64::NAN, |o| o.score);
    let nominal_score = score_of(&x);
    let mut tornado: Vec<Bar> = inputs
        .iter()
        .map(|(slot, dist, info)| {
            let (lo, hi) = dist.support();
            let low = if lo.is_finite() {
                lo
            } else {
                dist.quantile(TAIL.0)
            };
            let high = if hi.is_finite() {
                hi
            } else {
                dist.quantile(TAIL.1)
            };
            let s = *slot as usize;
            let nominal = x[s];
            x[s] = low;
            let score_at_low = score_of(&x);
            x[s] = high;
            let score_at_high = score_of(&x);
            x[s] = nominal;
            Bar {
                id: info.id.clone(),
                low,
                high,
                score_at_low,
                score_at_high,
                swing: (score_at_high - score_at_low).abs(),
            }
        })
        .collect();
    tornado.sort_by(|a, b| b.swing.total_cmp(&a.swing).then(a.id.cmp(&b.id)));

    let sobol = match sobol {
        Some(cfg) if !inputs.is_empty() => {
            let design = sensitivity::design(inputs.len(), cfg)?;
            let mut u = vec![0.0; design.dims()];
            let mut outputs = Vec::with_capacity(design.len());
            for k in 0..design.len() {
                design.row_into(k, &mut u)?;
                for ((slot, dist, _), uk) in inputs.iter().zip(&u) {
                    x[*slot as usize] = dist.quantile(*uk);
                }
                let score = score_of(&x);
                if let Some(rows) = rows.as_deref_mut() {
                    let mut row: Vec<f64> = inputs
                        .iter()
                        .map(|(slot, _, _)| x[*slot as usize])
                        .collect();
                    row.push(score);
                    rows.push(row);
                }
                outputs.push(score);
            }
            match sensitivity::estimate(&design, &outputs, cfg) {
                Ok(r) => Some(SobolSummary {
                    n: cfg.n,
                    evaluations: r.evaluations,
                    method: format!("{:?}, intervals: {:?}", cfg.sampling, r.ci_method),
                    variance: r.variance,
                    indices: inputs
                        .iter()
                        .zip(&r.indices)
                        .map(|((_, _, info), ix)| InputIndex {
                            id: info.id.clone(),
                            first: ix.first,
                            total: ix.total,
                            first_ci: ix.first_ci,
                            total_ci: ix.total_ci,
                        })
                        .collect(),
                }),
                // A score that does not move has no variance to apportion.
                Err(SobolError::ZeroVariance) => None,
                Err(e) => return Err(e),
            }
        }
        _ => None,
    };
    Ok(SensitivityReport {
        nominal_score,
        tornado,
        sobol,
    })
}
