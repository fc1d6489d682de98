//! A model's governance record, from its `[model]` table: status (draft, approved,
//! retired), who approved it and when, the next review date, and how old a project's
//! figures may be. Scoring warns on a draft, retired or overdue model and on stale
//! figures; a flag makes the governance warnings fatal.

use jiff::civil::Date;
use serde::Serialize;

use crate::diag::Code;
use crate::toml_read::{Reader, Table};

/// Where a model stands in its approval cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ModelStatus {
    /// Not approved: fit for trials, not for decisions.
    Draft,
    /// Approved by the named approver.
    Approved,
    /// Withdrawn: kept to reproduce past outputs.
    Retired,
}

impl ModelStatus {
    /// The word used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            ModelStatus::Draft => "draft",
            ModelStatus::Approved => "approved",
            ModelStatus::Retired => "retired",
        }
    }
}

/// The governance fields of a model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Governance {
    /// Status; a model that states none is a draft.
    pub status: ModelStatus,
    /// Who approved it.
    pub approver: Option<String>,
    /// When it was approved.
    #[serde(serialize_with = "crate::model::governance::date_opt")]
    pub approved: Option<Date>,
    /// When it must next be reviewed.
    #[serde(serialize_with = "crate::model::governance::date_opt")]
    pub next_review: Option<Date>,
    /// Largest age, in years, of a project figure relative to the as-of date; older
    /// figures are reported as stale.
    pub max_age_years: Option<f64>,
    /// Where the record is in the model file (the `status` value, else the `[model]`
    /// table), for diagnostics about it.
    #[serde(skip)]
    pub span: std::ops::Range<usize>,
}

pub(crate) fn date_opt<S: serde::Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&d.to_string()),
        None => s.serialize_none(),
    }
}

/// Reads and checks the governance keys of `[model]`.
pub(crate) fn read_governance(r: &Reader<'_>, t: &Table<'_, '_>) -> Governance {
    let word = t.word(r, "status", &["draft", "approved", "retired"]);
    let span = word.as_ref().map_or_else(|| t.span(), |w| w.span.clone());
    let status = match word {
        Some(w) if w.value == "approved" => ModelStatus::Approved,
        Some(w) if w.value == "retired" => ModelStatus::Retired,
        _ => ModelStatus::Draft,
    };
    let approver = t.str(r, "approver").map(|s| s.value);
    let approved = t.get("approved").and_then(|v| r.date(v, "model.approved"));
    let next_review = t
        .get("next_review")
        .and_then(|v| r.date(v, "model.next_review"));
    if status == ModelStatus::Approved && (approver.is_none() || approved.is_none()) {
        r.error(
            Code::Governance,
            t.span(),
            "an approved model needs `approver` and `approved` (the approval date)",
        );
    }
    if let (Some(a), Some(n)) = (&approved, &next_review)
        && n.value <= a.value
    {
        r.error(
            Code::Governance,
            n.span.clone(),
            format!(
                "`model.next_review` = {} must come after `model.approved` = {}",
                n.value, a.value
            ),
        );
    }
    let max_age_years = t.num(r, "max_age_years").and_then(|m| {
        if m.value > 0.0 {
            Some(m.value)
        } else {
            r.error(
                Code::Governance,
                m.span,
                "`model.max_age_years` must be positive",
            );
            None
        }
    });
    Governance {
        status,
        approver,
        approved: approved.map(|d| d.value),
        next_review: next_review.map(|d| d.value),
        max_age_years,
        span,
    }
}

/// Governance warnings for scoring on `as_of`: a draft or retired model, or a review
/// date passed. The as-of date, not the clock, decides "overdue", so that the same inputs
/// always give the same output.
pub fn governance_warnings(g: &Governance, as_of: Date) -> Vec<String> {
    let mut out = Vec::new();
    match g.status {
        ModelStatus::Draft => {
            out.push("the model is a draft: not approved for decisions".to_string())
        }
        ModelStatus::Retired => out.push("the model is retired".to_string()),
        ModelStatus::Approved => {}
    }
    if let Some(n) = g.next_review
        && n < as_of
    {
        out.push(format!(
            "the model's review is overdue: next review was due {n}, before the as-of date {as_of}"
        ));
    }
    out
}
