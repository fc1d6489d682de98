//! The evaluation kernel: a compiled model, a vector of inputs and a vector of parameters
//! in, a score and band out. It walks flat arrays by index, writes only into a caller-owned
//! [`Workspace`], and never allocates, so single scores, portfolios, Monte Carlo and
//! sensitivity analysis can all call it in a tight loop. It must stay free of anything that
//! only a report needs (strings, explanations): `assess` derives those afterwards.

use crate::model::{
    Aggregation, Effect, Missing, Model, Normalisation, Params, Scale, aggregate, normalise,
    transform,
};
use crate::rounding::round_half_away;

/// Bit flags recorded per node in [`Workspace::flags`].
pub mod flags {
    /// The raw value was missing and imputed.
    pub const IMPUTED: u8 = 1;
    /// The node was missing (or had no child present) and was left out of its group.
    pub const DROPPED: u8 = 2;
    /// A geometric-type mean raised a child to its zero floor.
    pub const FLOORED: u8 = 4;
    /// A geometric-type mean was set to the scale minimum by a zero child.
    pub const ZEROED: u8 = 8;
    /// The value fell outside the scale (identity, formulas) or beyond its goalposts or
    /// piecewise end points, and scored as the nearest end.
    pub const CLAMPED: u8 = 16;
}

/// Whether a rule's condition held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleState {
    /// The condition was false.
    Quiet,
    /// The condition was true: the effect applied.
    Fired,
    /// The condition could not be decided (it needs a value that is missing).
    Unknown,
}

/// Scratch space for one evaluation at a time; reuse it across evaluations of one model.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// Raw value per input slot, after imputation.
    pub raw: Vec<f64>,
    /// Transformed value per indicator.
    pub transformed: Vec<f64>,
    /// Score per node on the model's scale, after rounding; NaN when left out.
    pub value: Vec<f64>,
    /// Score per node before rounding.
    pub unrounded: Vec<f64>,
    /// [`flags`] per node.
    pub flags: Vec<u8>,
    /// State of each rule.
    pub rules: Vec<RuleState>,
}

impl Workspace {
    /// A workspace sized for a model.
    pub fn new(model: &Model) -> Self {
        let n = model.n_nodes();
        Workspace {
            raw: vec![f64::NAN; model.n_inputs()],
            transformed: vec![f64::NAN; model.indicators.len()],
            value: vec![f64::NAN; n],
            unrounded: vec![f64::NAN; n],
            flags: vec![0; n],
            rules: vec![RuleState::Quiet; model.rules.len()],
        }
    }
}

/// The headline of one evaluation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    /// Final score, after score floors and caps.
    pub score: f64,
    /// The root's score before any rule.
    pub score_before_rules: f64,
    /// Band of the final score.
    pub band_from_score: u16,
    /// Final band, after band rules.
    pub band: u16,
}

/// Why an evaluation failed. Small and `Copy`, so the kernel can return it without
/// allocating; `assess` turns it into a message with names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EvalError {
    /// Inputs or parameters do not have the model's length.
    #[error("inputs or parameters do not match the model's shape")]
    Shape,
    /// An indicator's value is missing and its policy is `error` (or its imputation source
    /// is missing too).
    #[error("indicator {indicator} has no value")]
    MissingInput {
        /// Indicator index.
        indicator: u32,
    },
    /// The transform or normalisation is undefined at the value given.
    #[error("indicator {indicator} cannot be scored at its value")]
    Undefined {
        /// Indicator index.
        indicator: u32,
    },
    /// A geometric-type mean met a zero child under `zero = "error"`.
    #[error("group {group} has a child at zero")]
    ZeroChild {
        /// Group index.
        group: u32,
    },
    /// Every child of the root was left out.
    #[error("the root has no value")]
    RootAbsent,
    /// Two rules that fired contradict each other.
    #[error("rules {floor} and {cap} contradict each other")]
    RuleConflict {
        /// Rule setting the floor (score or band).
        floor: u32,
        /// Rule setting the cap.
        cap: u32,
    },
}

/// Evaluates a model. `inputs` holds one raw value per input slot (NaN when missing; a
/// categorical indicator holds its category's index), `params` the weights to use.
pub fn evaluate(
    model: &Model,
    inputs: &[f64],
    params: &Params,
    ws: &mut Workspace,
) -> Result<Outcome, EvalError> {
    let n_ind = model.indicators.len();
    if inputs.len() != model.n_inputs()
        || params.weights.len() != model.edges.len()
        || params.choices.len() != model.alternatives.len()
        || ws.value.len() != model.n_nodes()
        || ws.rules.len() != model.rules.len()
    {
        return Err(EvalError::Shape);
    }
    let scale = model.meta.scale;
    ws.raw.copy_from_slice(inputs);
    ws.flags.fill(0);

    // Pass 1: every indicator's raw value, imputed where its policy says, before any
    // transform reads another input (a ratio's denominator may itself be imputed).
    for (i, ind) in model.indicators.iter().enumerate() {
        let mut x = inputs[i];
        if x.is_nan() {
            x = match ind.missing {
                Missing::Error => {
                    return Err(EvalError::MissingInput {
                        indicator: i as u32,
                    });
                }
                Missing::Drop => {
                    ws.flags[i] = flags::DROPPED;
                    continue;
                }
                Missing::Impute(c) => c,
                Missing::ImputeFrom(slot) => inputs.get(slot as usize).copied().unwrap_or(f64::NAN),
            };
            if x.is_nan() {
                return Err(EvalError::MissingInput {
                    indicator: i as u32,
                });
            }
            ws.flags[i] = flags::IMPUTED;
            ws.raw[i] = x;
        }
    }

    // Pass 2: transform, normalise, scale.
    for (i, ind) in model.indicators.iter().enumerate() {
        if ws.flags[i] & flags::DROPPED != 0 {
            ws.transformed[i] = f64::NAN;
            ws.value[i] = f64::NAN;
            ws.unrounded[i] = f64::NAN;
            continue;
        }
        let t = transform(ind.transform, ws.raw[i], &ws.raw);
        ws.transformed[i] = t;
        let normalisation = model.normalisation_for(i, params);
        let u = match normalisation {
            // Identity values are scores on the model's scale already.
            Normalisation::Identity => {
                let f = scale.to_fraction(t);
                if !(0.0..=1.0).contains(&f) {
                    ws.flags[i] |= flags::CLAMPED;
                }
                normalise(normalisation, ind.direction, f)
            }
            n => {
                if beyond_ends(n, t) {
                    ws.flags[i] |= flags::CLAMPED;
                }
                normalise(n, ind.direction, t)
            }
        };
        if !u.is_finite() {
            return Err(EvalError::Undefined {
                indicator: i as u32,
            });
        }
        let score = scale.from_fraction(u);
        ws.unrounded[i] = score;
        ws.value[i] = rounded(score, ind.round, scale);
    }

    for &g in &model.order {
        let group = &model.groups[g as usize];
        let node = n_ind + g as usize;
        let start = group.first_edge as usize;
        let end = start + group.n_children as usize;
        let aggregation = model.aggregation_for(g as usize, params);
        let v = if let Aggregation::Formula(e) = aggregation {
            let v = e.eval(&ws.value, &ws.raw);
            if !v.is_nan() && (v < scale.min || v > scale.max) {
                ws.flags[node] |= flags::CLAMPED;
            }
            if v.is_nan() {
                v
            } else {
                v.clamp(scale.min, scale.max)
            }
        } else {
            let values = &ws.value;
            let children = model.edges[start..end]
                .iter()
                .zip(&params.weights[start..end])
                .filter(|(c, _)| !values[**c as usize].is_nan())
                .map(|(c, w)| (scale.to_fraction(values[*c as usize]), *w));
            let out = aggregate(aggregation, group.zero, children)
                .map_err(|_| EvalError::ZeroChild { group: g })?;
            if out.floored {
                ws.flags[node] |= flags::FLOORED;
            }
            if out.zeroed {
                ws.flags[node] |= flags::ZEROED;
            }
            scale.from_fraction(out.value)
        };
        if v.is_nan() {
            ws.flags[node] |= flags::DROPPED;
        }
        ws.unrounded[node] = v;
        ws.value[node] = rounded(v, group.round, scale);
    }

    let before = ws.value[model.root as usize];
    if before.is_nan() {
        return Err(EvalError::RootAbsent);
    }
    apply_rules(model, before, ws)
}

/// The transformed ends, low first, beyond which a normalisation scores a value as its
/// nearest end: goalposts and piecewise end points. Bins state a score for every value
/// (`below` under the first threshold, the last bin's from its threshold up), so they have
/// none. The kernel's flag and the assessment's note both read the ends here.
#[inline]
pub(super) fn clamp_ends(n: &Normalisation) -> Option<(f64, f64)> {
    match n {
        Normalisation::Goalposts { min, max } => Some((min.min(*max), min.max(*max))),
        Normalisation::Piecewise { points } => match (points.first(), points.last()) {
            (Some(a), Some(b)) => Some((a.0, b.0)),
            _ => None,
        },
        _ => None,
    }
}

/// Whether a transformed value lies beyond its normalisation's [`clamp_ends`].
#[inline]
fn beyond_ends(n: &Normalisation, t: f64) -> bool {
    clamp_ends(n).is_some_and(|(lo, hi)| t < lo || t > hi)
}

/// Rounds a score if asked, keeping it on the scale: a scale whose ends are not multiples of
/// the rounding step (0 to 9.5 at 0 decimals) would otherwise round 9.5 up to 10.
#[inline]
fn rounded(x: f64, decimals: Option<i32>, scale: Scale) -> f64 {
    match decimals {
        Some(d) if !x.is_nan() => round_half_away(x, d).clamp(scale.min, scale.max),
        _ => x,
    }
}

/// Evaluates every rule, then applies score floors and caps, then band floors and caps.
fn apply_rules(model: &Model, before: f64, ws: &mut Workspace) -> Result<Outcome, EvalError> {
    let mut floor: Option<(f64, u32)> = None;
    let mut cap: Option<(f64, u32)> = None;
    let mut band_floor: Option<(u16, u32)> = None;
    let mut band_cap: Option<(u16, u32)> = None;
    for (k, rule) in model.rules.iter().enumerate() {
        let c = rule.when.eval(&ws.value, &ws.raw);
        ws.rules[k] = if c.is_nan() {
            RuleState::Unknown
        } else if c != 0.0 {
            RuleState::Fired
        } else {
            RuleState::Quiet
        };
        if ws.rules[k] != RuleState::Fired {
            continue;
        }
        let k = k as u32;
        match rule.effect {
            Effect::ScoreFloor(v) if floor.is_none_or(|(f, _)| v > f) => floor = Some((v, k)),
            Effect::ScoreCap(v) if cap.is_none_or(|(c, _)| v < c) => cap = Some((v, k)),
            Effect::BandAtLeast(b) if band_floor.is_none_or(|(f, _)| b > f) => {
                band_floor = Some((b, k))
            }
            Effect::BandAtMost(b) if band_cap.is_none_or(|(c, _)| b < c) => band_cap = Some((b, k)),
            _ => {}
        }
    }
    if let (Some((f, fr)), Some((c, cr))) = (floor, cap)
        && f > c
    {
        return Err(EvalError::RuleConflict { floor: fr, cap: cr });
    }
    if let (Some((f, fr)), Some((c, cr))) = (band_floor, band_cap)
        && f > c
    {
        return Err(EvalError::RuleConflict { floor: fr, cap: cr });
    }
    let mut score = before;
    if let Some((f, _)) = floor {
        score = score.max(f);
    }
    if let Some((c, _)) = cap {
        score = score.min(c);
    }
    let band_from_score = model.band_of(score);
    let mut band = band_from_score;
    if let Some((f, _)) = band_floor {
        band = band.max(f);
    }
    if let Some((c, _)) = band_cap {
        band = band.min(c);
    }
    Ok(Outcome {
        score,
        score_before_rules: before,
        band_from_score,
        band,
    })
}
