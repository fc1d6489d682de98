//! Semantic diff of two models, in the model's own terms: which indicators, groups, inputs,
//! bands and rules were added or removed, which settings changed (weights with their
//! effective weights, normalisations in raw units, transforms, missing policies, rounding,
//! aggregations, formulas, derived indicators, uncertainty and alternatives, the money
//! section, metadata), and, for projects the caller scores, how their scores and bands
//! move. Two compiled models are compared, never two texts: comments and key order are
//! not changes. See `docs/audit.md`.

pub mod changes;
pub mod projects;
pub mod weights;

use serde::Serialize;

pub use changes::{Change, ChangeKind};
pub use projects::{Outcome, ProjectComparison, Summary, summarise};
pub use weights::WeightChange;

use crate::Model;
use crate::canonical::{CANONICAL_VERSION, canonical_value};

/// One side of a diff: which model, and its two fingerprints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Side {
    /// The file as given.
    pub file: String,
    /// Model id.
    pub id: String,
    /// Model name.
    pub name: String,
    /// Model version.
    pub version: String,
    /// SHA-256 of the file's bytes.
    pub sha256: String,
    /// SHA-256 of the canonical form (the model's content however written).
    pub canonical_sha256: String,
    /// Decimals the model shows scores with.
    pub decimals: usize,
}

impl Side {
    fn of(model: &Model) -> Side {
        let m = model.meta();
        Side {
            file: model.origin().to_string(),
            id: m.id.clone(),
            name: m.name.clone(),
            version: m.version.to_string(),
            sha256: model.sha256().to_string(),
            canonical_sha256: model.canonical_sha256(),
            decimals: m.decimals,
        }
    }
}

/// What changed from one model to another.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelDiff {
    /// The canonical form both hashes are taken over (e.g. `vigie-canonical-model/1`).
    pub canonical_version: &'static str,
    /// The old model.
    pub old: Side,
    /// The new model.
    pub new: Side,
    /// True when the canonical hashes are equal: then `changes` and `weights` are empty.
    pub identical: bool,
    /// Every setting added, removed or changed, section by section.
    pub changes: Vec<Change>,
    /// Every node whose weight, share or nominal effective weight moved.
    pub weights: Vec<WeightChange>,
}

/// Compares two compiled models.
pub fn diff_models(old: &Model, new: &Model) -> ModelDiff {
    let (a, b) = (Side::of(old), Side::of(new));
    let identical = a.canonical_sha256 == b.canonical_sha256;
    let (changes, weights) = if identical {
        (Vec::new(), Vec::new())
    } else {
        (
            changes::compare(&canonical_value(old), &canonical_value(new)),
            weights::compare(old, new),
        )
    };
    ModelDiff {
        canonical_version: CANONICAL_VERSION,
        old: a,
        new: b,
        identical,
        changes,
        weights,
    }
}
