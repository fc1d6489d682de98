//! Attribution: how many points of the final score each indicator accounts for, and its
//! effective weight. Runs after an evaluation, from the workspace; not part of the kernel.
//!
//! Points are counted above the scale minimum. The root's points are passed down the tree:
//! a group keeps the points its rounding added (a "rounding" line), and hands the rest to
//! its present children in proportion to weight x points (exact for arithmetic means, the
//! documented convention for every other aggregation); `min` and `max` give everything to
//! the child they pick. An indicator's effective weight is the product, along its path, of
//! each local share divided by the child's own points (for arithmetic means: the weight
//! renormalised over the children present).

use crate::engine::eval::Workspace;
use crate::model::{Aggregation, Model, Params};

/// Per node: points attributed, local weight, effective weight.
pub(crate) struct Attribution {
    /// Points of the final score (above the scale minimum) per node.
    pub points: Vec<f64>,
    /// Weight in its group, renormalised over present siblings, per node.
    pub local_weight: Vec<f64>,
    /// Effective weight in the root, per node.
    pub effective_weight: Vec<f64>,
    /// Total points added or removed by rounding at groups.
    pub rounding: f64,
}

pub(crate) fn attribute(model: &Model, params: &Params, ws: &Workspace) -> Attribution {
    let n = model.n_nodes();
    let lo = model.meta.scale.min;
    let mut a = Attribution {
        points: vec![0.0; n],
        local_weight: vec![0.0; n],
        effective_weight: vec![0.0; n],
        rounding: 0.0,
    };
    let root = model.root as usize;
    a.points[root] = ws.value[root] - lo;
    a.local_weight[root] = 1.0;
    a.effective_weight[root] = 1.0;
    // Groups in reverse evaluation order: every parent before its children.
    for &g in model.order.iter().rev() {
        let group = &model.groups[g as usize];
        let node = model.indicators.len() + g as usize;
        let y = ws.value[node] - lo;
        let y_raw = ws.unrounded[node] - lo;
        let p = a.points[node];
        if y.is_nan() {
            continue;
        }
        let handed = if y != 0.0 { p * y_raw / y } else { 0.0 };
        a.rounding += p - handed;
        // The children that took part: present, and (except in formulas, where weights
        // only steer attribution) with a positive weight, as in the aggregation itself.
        let aggregation = model.aggregation_for(g as usize, params);
        let formula = matches!(aggregation, Aggregation::Formula(_));
        let present = || {
            model
                .children(group)
                .filter(|(e, c)| {
                    !ws.value[*c as usize].is_nan() && (formula || params.weights[*e] > 0.0)
                })
                .map(|(e, c)| (c as usize, params.weights[e]))
        };
        let n_present = present().count();
        // Weights only steer attribution in formula groups; when every present child has
        // weight 0 there, share equally rather than lose the group's points.
        let all_zero = present().all(|(_, w)| w <= 0.0);
        let weight = |w: f64| if all_zero { 1.0 } else { w };
        let wsum: f64 = present().map(|(_, w)| weight(w)).sum();
        let wy: f64 = present().map(|(c, w)| weight(w) * (ws.value[c] - lo)).sum();
        let arithmetic = matches!(aggregation, Aggregation::Arithmetic);
        let pick = match aggregation {
            Aggregation::Min | Aggregation::Max => {
                let target = ws.unrounded[node];
                present().map(|(c, _)| c).min_by(|&x, &y| {
                    (ws.value[x] - target)
                        .abs()
                        .total_cmp(&(ws.value[y] - target).abs())
                })
            }
            _ => None,
        };
        for (c, w) in present() {
            let w = weight(w);
            let yc = ws.value[c] - lo;
            let lw = if wsum > 0.0 {
                w / wsum
            } else {
                1.0 / n_present as f64
            };
            a.local_weight[c] = lw;
            let (share, eff_local) = match pick {
                Some(chosen) => {
                    let s = if c == chosen { 1.0 } else { 0.0 };
                    (s, s)
                }
                // For an arithmetic mean the local effective weight is the renormalised
                // weight itself; computing it from score ratios would lose precision.
                None if wy > 0.0 && arithmetic => (w * yc / wy, lw),
                None if wy > 0.0 => {
                    let s = w * yc / wy;
                    // share x group points / own points = w x y_raw / sum(w y)
                    (s, if yc != 0.0 { w * y_raw / wy } else { lw })
                }
                None => (lw, lw),
            };
            a.points[c] = handed * share;
            a.effective_weight[c] = a.effective_weight[node] * eff_local;
        }
    }
    a
}
