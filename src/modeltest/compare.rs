//! Comparing an assessment with what a case expects: the score and node scores within the
//! case's tolerance, the band exactly, and the rules that must (or must not) fire. Each
//! expectation that does not hold becomes one [`Difference`].

use super::report::{Difference, Item, Shown};
use super::spec::{ExpectSpec, Tolerance};
use crate::engine::{Assessment, RuleState};

/// What one scored row must give, with names already checked against the model.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Expected {
    /// The final score.
    pub score: Option<f64>,
    /// The final band's label.
    pub band: Option<String>,
    /// Rules that must fire.
    pub fires: Option<Vec<String>>,
    /// No rule outside `fires` may fire.
    pub fires_only: bool,
    /// Node id and its expected score; `None` expects the node to be left out.
    pub nodes: Vec<(String, Option<f64>)>,
}

impl From<&ExpectSpec> for Expected {
    fn from(spec: &ExpectSpec) -> Self {
        Expected {
            score: spec.score.as_ref().map(|s| s.value),
            band: spec.band.as_ref().map(|b| b.value.clone()),
            fires: spec
                .fires
                .as_ref()
                .map(|f| f.iter().map(|r| r.value.clone()).collect()),
            fires_only: spec.fires_only,
            nodes: spec
                .nodes
                .iter()
                .map(|(id, x)| (id.value.clone(), Some(*x)))
                .collect(),
        }
    }
}

/// Every expectation of `expected` that `got` does not meet. `row` names the table row.
pub fn compare(
    got: &Assessment,
    expected: &Expected,
    tolerance: Tolerance,
    row: Option<&str>,
) -> Vec<Difference> {
    let mut out = Vec::new();
    let diff = |item, id: Option<&str>, expected, got, numeric: bool| Difference {
        row: row.map(str::to_string),
        item,
        id: id.map(str::to_string),
        expected,
        got,
        tolerance: numeric.then(|| tolerance.describe()),
    };
    if let Some(want) = expected.score
        && !tolerance.accepts(want, got.score)
    {
        out.push(diff(
            Item::Score,
            None,
            Shown::Number(want),
            Shown::Number(got.score),
            true,
        ));
    }
    if let Some(want) = &expected.band
        && *want != got.band.label
    {
        out.push(diff(
            Item::Band,
            None,
            Shown::Text(want.clone()),
            Shown::Text(got.band.label.clone()),
            false,
        ));
    }
    if let Some(fires) = &expected.fires {
        for rule in &got.rules {
            let listed = fires.contains(&rule.id);
            let fired = rule.state == RuleState::Fired;
            let wrong = (listed && !fired) || (expected.fires_only && !listed && fired);
            if wrong {
                out.push(diff(
                    Item::Rule,
                    Some(&rule.id),
                    Shown::Text(if listed { "fires" } else { "does not fire" }.to_string()),
                    Shown::Text(rule_state(rule.state).to_string()),
                    false,
                ));
            }
        }
    }
    for (id, want) in &expected.nodes {
        let score = node_score(got, id);
        let holds = match (want, score) {
            (Some(w), Some(s)) => tolerance.accepts(*w, s),
            (None, None) => true,
            _ => false,
        };
        if !holds {
            let show = |x: Option<f64>| x.map_or(Shown::Absent, Shown::Number);
            out.push(diff(Item::Node, Some(id), show(*want), show(score), true));
        }
    }
    out
}

/// A node's score (after its own rounding) in an assessment; `None` when left out.
fn node_score(a: &Assessment, id: &str) -> Option<f64> {
    a.groups
        .iter()
        .find(|g| g.id == id)
        .map(|g| g.score)
        .or_else(|| a.indicators.iter().find(|i| i.id == id).map(|i| i.score))
        .flatten()
}

/// A rule's state in words.
pub fn rule_state(state: RuleState) -> &'static str {
    match state {
        RuleState::Fired => "fires",
        RuleState::Quiet => "quiet",
        RuleState::Unknown => "unknown (a value it needs is missing)",
    }
}
