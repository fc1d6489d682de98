//! What a model change does to real projects: each project's score and band under the old
//! and the new model, and a summary (how many changed band, the largest score moves).
//! Scoring is the caller's job (the same path as `vigie score`); this module only lines
//! the results up.

use serde::Serialize;

use crate::Assessment;

/// How many of the largest score moves the summary lists.
pub const LARGEST_MOVES: usize = 5;

/// A project's result under one model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// Final score; null when the project could not be scored.
    pub score: Option<f64>,
    /// Final band (after band rules); null when not scored.
    pub band: Option<String>,
    /// Why it could not be scored (codes and messages); absent when it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Outcome {
    /// The outcome of an assessment, or of the reason there is none.
    pub fn of(result: Result<&Assessment, String>) -> Outcome {
        match result {
            Ok(a) => Outcome {
                score: Some(a.score),
                band: Some(a.band.label.clone()),
                error: None,
            },
            Err(e) => Outcome {
                score: None,
                band: None,
                error: Some(e),
            },
        }
    }
}

/// One project under both models.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectComparison {
    /// The project file as given.
    pub file: String,
    /// Project id.
    pub id: String,
    /// Project name.
    pub name: String,
    /// Under the old model.
    pub old: Outcome,
    /// Under the new model.
    pub new: Outcome,
    /// New score minus old score, when both were scored.
    pub score_change: Option<f64>,
    /// Whether the final band differs (false unless both were scored).
    pub band_changed: bool,
}

impl ProjectComparison {
    /// Lines up a project's two outcomes.
    pub fn new(file: &str, id: &str, name: &str, old: Outcome, new: Outcome) -> Self {
        let score_change = old.score.zip(new.score).map(|(a, b)| b - a);
        let band_changed = matches!((&old.band, &new.band), (Some(a), Some(b)) if a != b);
        ProjectComparison {
            file: file.to_string(),
            id: id.to_string(),
            name: name.to_string(),
            old,
            new,
            score_change,
            band_changed,
        }
    }
}

/// A score move, for the summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Move {
    /// Project id.
    pub id: String,
    /// Project file.
    pub file: String,
    /// Old score.
    pub old_score: f64,
    /// New score.
    pub new_score: f64,
    /// New minus old.
    pub change: f64,
    /// Old band.
    pub old_band: String,
    /// New band.
    pub new_band: String,
}

/// The projects' changes in a few numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Project files compared.
    pub projects: usize,
    /// Projects scored under both models.
    pub scored_both: usize,
    /// Projects that could not be scored under one model or both.
    pub not_scored: usize,
    /// Projects whose final band changed.
    pub band_changed: usize,
    /// Projects whose score changed at all.
    pub score_changed: usize,
    /// The largest moves by absolute size, at most [`LARGEST_MOVES`], ties by file name;
    /// projects whose score did not move are not listed.
    pub largest_moves: Vec<Move>,
}

/// Summarises compared projects.
pub fn summarise(projects: &[ProjectComparison]) -> Summary {
    let both: Vec<&ProjectComparison> = projects
        .iter()
        .filter(|p| p.score_change.is_some())
        .collect();
    let mut moves: Vec<Move> = both
        .iter()
        .filter_map(|p| {
            Some(Move {
                id: p.id.clone(),
                file: p.file.clone(),
                old_score: p.old.score?,
                new_score: p.new.score?,
                change: p.score_change?,
                old_band: p.old.band.clone()?,
                new_band: p.new.band.clone()?,
            })
        })
        .filter(|m| m.change != 0.0)
        .collect();
    moves.sort_by(|a, b| {
        b.change
            .abs()
            .total_cmp(&a.change.abs())
            .then_with(|| a.file.cmp(&b.file))
    });
    let score_changed = moves.len();
    moves.truncate(LARGEST_MOVES);
    Summary {
        projects: projects.len(),
        scored_both: both.len(),
        not_scored: projects.len() - both.len(),
        band_changed: projects.iter().filter(|p| p.band_changed).count(),
        score_changed,
        largest_moves: moves,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scored(score: f64, band: &str) -> Outcome {
        Outcome {
            score: Some(score),
            band: Some(band.into()),
            error: None,
        }
    }

    #[test]
    fn summary_counts_band_changes_and_orders_moves() {
        let ps = vec![
            ProjectComparison::new(
                "a.toml",
                "a",
                "A",
                scored(50.0, "High"),
                scored(50.0, "High"),
            ),
            ProjectComparison::new(
                "b.toml",
                "b",
                "B",
                scored(39.0, "Moderate"),
                scored(41.0, "High"),
            ),
            ProjectComparison::new(
                "c.toml",
                "c",
                "C",
                scored(70.0, "Severe"),
                scored(65.0, "Severe"),
            ),
            ProjectComparison::new(
                "d.toml",
                "d",
                "D",
                scored(10.0, "Low"),
                Outcome::of(Err("VG061: missing".into())),
            ),
        ];
        let s = summarise(&ps);
        assert_eq!((s.projects, s.scored_both, s.not_scored), (4, 3, 1));
        assert_eq!((s.band_changed, s.score_changed), (1, 2));
        let ids: Vec<&str> = s.largest_moves.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["c", "b"]);
    }
}
