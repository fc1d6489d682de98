//! Reading what a model declares about its own uncertainty: the `[uncertainty]` table
//! (how weights vary) and the words allowed in a group's `aggregation_alternatives`.
//! A normalisation's alternatives are read with the normalisation itself.

use crate::diag::Code;
use crate::model::spec::WeightUncertainty;
use crate::toml_read::{Reader, Sp, Table};

pub(crate) const UNCERTAINTY_KEYS: &[&str] = &["weights", "factor", "concentration"];
pub(crate) const WEIGHT_METHODS: &[&str] = &["fixed", "perturb", "dirichlet"];

/// Aggregations a group may switch to. Formulas and power means are left out: a
/// formula has no weights to share with the nominal option, and a power mean needs its
/// own exponent.
pub(crate) const ALTERNATIVE_AGGREGATIONS: &[&str] = &[
    "arithmetic",
    "geometric",
    "harmonic",
    "min",
    "max",
    "inform_reversed_geometric",
    "union",
];

/// The static word for an aggregation read from the file.
pub(crate) fn aggregation_word(w: Sp<String>) -> Sp<&'static str> {
    let word = ALTERNATIVE_AGGREGATIONS
        .iter()
        .find(|a| **a == w.value)
        .copied()
        .unwrap_or("arithmetic");
    Sp::new(word, w.span)
}

/// Reads `[uncertainty]`; `None` when the model has no such table.
pub(crate) fn read_uncertainty(
    r: &Reader<'_>,
    top: &Table<'_, '_>,
) -> Option<Sp<WeightUncertainty>> {
    let t = top.table(r, "uncertainty", UNCERTAINTY_KEYS)?;
    let method = t.word(r, "weights", WEIGHT_METHODS)?;
    let allowed = match method.value.as_str() {
        "perturb" => "factor",
        "dirichlet" => "concentration",
        _ => "",
    };
    for key in ["factor", "concentration"] {
        if let Some(v) = t.get(key)
            && key != allowed
        {
            r.error(
                Code::Uncertainty,
                v.span(),
                format!(
                    "`uncertainty.{key}` does not apply to `weights = \"{}\"`",
                    method.value
                ),
            );
        }
    }
    let w = match method.value.as_str() {
        "perturb" => {
            let f = t.req_num(r, "factor")?;
            if !(f.value > 0.0 && f.value < 1.0) {
                r.error(
                    Code::Uncertainty,
                    f.span,
                    format!(
                        "`uncertainty.factor` = {} must lie strictly between 0 and 1 (weights stay positive)",
                        f.value
                    ),
                );
                return None;
            }
            WeightUncertainty::Perturb { factor: f.value }
        }
        "dirichlet" => {
            let c = t.req_num(r, "concentration")?;
            if c.value <= 0.0 {
                r.error(
                    Code::Uncertainty,
                    c.span,
                    format!("`uncertainty.concentration` = {} must be positive", c.value),
                );
                return None;
            }
            WeightUncertainty::Dirichlet {
                concentration: c.value,
            }
        }
        _ => WeightUncertainty::Fixed,
    };
    Some(Sp::new(w, method.span))
}
