//! Notes on values the kernel clamped: a value beyond its goalposts or piecewise end points
//! scores as that end, and an identity value outside the scale is pulled onto it. The
//! kernel only sets a flag (it must not allocate); this says which end, in the units the
//! author wrote, and by how much, for the assessment's warnings.

use super::eval::Workspace;
use crate::canonical::raw_units::abscissa;
use crate::model::{Model, Normalisation, Params, Transform};

/// The note for indicator `i`, whose [`super::flags::CLAMPED`] flag is set.
pub(super) fn clamp_note(model: &Model, params: &Params, i: usize, ws: &Workspace) -> String {
    let ind = &model.indicators[i];
    let scale = model.meta.scale;
    let t = ws.transformed[i];
    // Goalposts and points are kept transformed; show them, and the value, as written. A
    // ratio's are written per unit of the denominator: the value shown is the ratio.
    let (value, what) = match ind.transform {
        Transform::None => (t, String::new()),
        Transform::Ratio { .. } => (t, " (as a ratio)".to_string()),
        _ => (ws.raw[i], String::new()),
    };
    let written = |end: f64| match ind.transform {
        Transform::None | Transform::Ratio { .. } => Some(end),
        other => abscissa(other, end),
    };
    let id = &ind.id;
    let ends = |lo: f64, hi: f64, kind: &str, score: &dyn Fn(f64) -> Option<f64>| {
        let end = if t < lo { lo } else { hi };
        match (written(lo), written(hi), written(end)) {
            (Some(a), Some(b), Some(e)) => {
                let score_text = score(end).map_or(String::new(), |s| format!(", {}", num(s)));
                format!(
                    "`{id}` = {}{what} lies beyond its {kind} ({} to {}): it scores as {} would{score_text} (clamped by {})",
                    num(value),
                    num(a.min(b)),
                    num(a.max(b)),
                    num(e),
                    num((value - e).abs())
                )
            }
            _ => format!("`{id}` lies beyond its {kind} and scores as the nearest one"),
        }
    };
    let n = model.normalisation_for(i, params);
    match (n, super::eval::clamp_ends(n)) {
        (Normalisation::Goalposts { .. }, Some((lo, hi))) => ends(lo, hi, "goalposts", &|_| None),
        (Normalisation::Piecewise { points }, Some((lo, hi))) => {
            ends(lo, hi, "piecewise points", &|end| {
                let y = if end == lo {
                    points[0].1
                } else {
                    points[points.len() - 1].1
                };
                Some(scale.from_fraction(y))
            })
        }
        (Normalisation::Identity, _) => {
            let bound = t.clamp(scale.min, scale.max);
            format!(
                "`{id}` = {} lies outside the scale {} to {} and was clamped to {} (by {})",
                num(t),
                num(scale.min),
                num(scale.max),
                num(bound),
                num((t - bound).abs())
            )
        }
        _ => format!("`{id}` lies outside the scale and was clamped"),
    }
}

/// A number as a note shows it: at most 6 decimals, no trailing zeros.
fn num(x: f64) -> String {
    let rounded = (x * 1e6).round() / 1e6 + 0.0;
    if rounded == 0.0 {
        "0".to_string()
    } else if rounded.is_finite() && rounded.abs() < 1e15 {
        let s = format!("{rounded:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        format!("{x}")
    }
}
