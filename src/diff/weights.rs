//! Weights before and after: for every indicator and group whose weight, share of its
//! group or nominal effective weight ([`Model::nominal_effective_weights`]) changed, the
//! old and new figures side by side. A weight can stay put while its effective weight
//! moves (a sibling or an ancestor changed), and the reverse ([35, 65] and [0.35, 0.65]
//! are the same shares): both are shown.

use serde::Serialize;

use crate::model::Model;

/// Differences in effective weights smaller than this are rounding noise of the division
/// by a group's total, not a change.
const TOLERANCE: f64 = 1e-12;

/// One node's weight in each model; `None` where the model lacks the node.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeightChange {
    /// Id of the indicator or group.
    pub node: String,
    /// `"indicator"` or `"group"` (as in the new model when it has the node).
    pub kind: &'static str,
    /// Group holding it in the old model (null for the root, an absent node, or an
    /// indicator outside the tree).
    pub old_group: Option<String>,
    /// Group holding it in the new model.
    pub new_group: Option<String>,
    /// Weight as written in the old model.
    pub old_weight: Option<f64>,
    /// Weight as written in the new model.
    pub new_weight: Option<f64>,
    /// Weight divided by the sum of its group's weights, old model.
    pub old_share: Option<f64>,
    /// The same, new model.
    pub new_share: Option<f64>,
    /// Nominal effective weight in the old model's score.
    pub old_effective: Option<f64>,
    /// Nominal effective weight in the new model's score.
    pub new_effective: Option<f64>,
}

/// A node's place in one model.
#[derive(Debug, Clone, PartialEq)]
struct Place {
    kind: &'static str,
    group: Option<String>,
    weight: Option<f64>,
    share: Option<f64>,
    effective: f64,
}

/// Every node of a model with its place, in tree order (root first, children in order),
/// then the nodes outside the tree.
fn places(model: &Model) -> Vec<(String, Place)> {
    let eff = model.nominal_effective_weights();
    let mut order = Vec::new();
    let mut stack = vec![model.root()];
    while let Some(node) = stack.pop() {
        order.push(node);
        if let Some(g) = model.group_of(node) {
            let kids: Vec<_> = model.children(g).map(|(_, c)| c).collect();
            stack.extend(kids.into_iter().rev());
        }
    }
    for n in 0..model.n_nodes() as u32 {
        if !order.contains(&n) {
            order.push(n);
        }
    }
    order
        .into_iter()
        .map(|node| {
            let parent = model
                .parent()
                .get(node as usize)
                .copied()
                .flatten()
                .and_then(|g| model.groups().get(g as usize));
            let (weight, share) = parent
                .and_then(|g| {
                    let total: f64 = model.children(g).map(|(e, _)| model.weights()[e]).sum();
                    model
                        .children(g)
                        .find(|&(_, c)| c == node)
                        .map(|(e, _)| (model.weights()[e], model.weights()[e] / total))
                })
                .unzip();
            let kind = if model.group_of(node).is_some() {
                "group"
            } else {
                "indicator"
            };
            let place = Place {
                kind,
                group: parent.map(|g| g.id.clone()),
                weight,
                share,
                effective: eff.get(node as usize).copied().unwrap_or(0.0),
            };
            (model.node_id(node).to_string(), place)
        })
        .collect()
}

fn moved(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => (x - y).abs() > TOLERANCE,
        (None, None) => false,
        _ => true,
    }
}

/// The nodes whose weight, share, group or effective weight differs, in the new model's
/// tree order, then the nodes only the old model has.
pub fn compare(old: &Model, new: &Model) -> Vec<WeightChange> {
    let (pa, pb) = (places(old), places(new));
    let find =
        |ps: &[(String, Place)], id: &str| ps.iter().find(|(n, _)| n == id).map(|(_, p)| p.clone());
    let mut ids: Vec<&String> = pb.iter().map(|(n, _)| n).collect();
    ids.extend(pa.iter().map(|(n, _)| n).filter(|n| find(&pb, n).is_none()));
    let mut out = Vec::new();
    for id in ids {
        let (a, b) = (find(&pa, id), find(&pb, id));
        let changed = match (&a, &b) {
            (Some(a), Some(b)) => {
                a.group != b.group
                    || a.weight != b.weight
                    || moved(a.share, b.share)
                    || moved(Some(a.effective), Some(b.effective))
            }
            _ => true,
        };
        if !changed {
            continue;
        }
        let kind = b.as_ref().or(a.as_ref()).map_or("indicator", |p| p.kind);
        out.push(WeightChange {
            node: id.clone(),
            kind,
            old_group: a.as_ref().and_then(|p| p.group.clone()),
            new_group: b.as_ref().and_then(|p| p.group.clone()),
            old_weight: a.as_ref().and_then(|p| p.weight),
            new_weight: b.as_ref().and_then(|p| p.weight),
            old_share: a.as_ref().and_then(|p| p.share),
            new_share: b.as_ref().and_then(|p| p.share),
            old_effective: a.as_ref().map(|p| p.effective),
            new_effective: b.as_ref().map(|p| p.effective),
        });
    }
    out
}
