//! Where every number that enters a score comes from: the model's goalposts, weights and
//! money parameters with their sources, the project's values with source, vintage and
//! status, and the data files with their fingerprints; and the warnings an auditor acts on
//! (figures unverified, contradicted, or older than the model's freshness limit).

use serde::Serialize;

use crate::bind::Bound;
use crate::derive::DataFileSummary;
use crate::diag::Code;
use crate::engine::assess::Warning;
use crate::engine::quality::{age_years, period_end, stale_message};
use crate::model::{Model, Normalisation};
use crate::project::{Project, Status};

/// A number of the model and where it comes from.
#[derive(Debug, Clone, Serialize)]
pub struct ModelFigure {
    /// What it is: "indicator", "weights", "finance".
    pub kind: &'static str,
    /// Indicator or group id, or the finance key.
    pub id: String,
    /// The figures as the model writes them (goalposts, weights, PDs).
    pub figures: String,
    /// The citation.
    pub source: String,
    /// Edition or vintage, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vintage: Option<String>,
    /// "file:line".
    pub defined_at: String,
}

/// A project value and where it comes from.
#[derive(Debug, Clone, Serialize)]
pub struct ValueSource {
    /// Input id.
    pub id: String,
    /// The value (or the derived value), as a number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// Range given, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range: Option<(f64, f64)>,
    /// Citation, or the data file it is derived from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Period it refers to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// Age in years on the as-of date (from the end of its period).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age_years: Option<f64>,
    /// Status.
    pub status: Status,
    /// Note from the project.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// "file:line", or the derivation.
    pub given_at: String,
}

/// The provenance listing of `vigie sources`.
#[derive(Debug, Clone, Serialize)]
pub struct Sources {
    /// Model id and version.
    pub model: String,
    /// Numbers of the model.
    pub model_figures: Vec<ModelFigure>,
    /// The project, if one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    /// As-of date the ages are measured to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// The model's freshness limit, years.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_age_years: Option<f64>,
    /// Values of the project, in the model's input order.
    pub values: Vec<ValueSource>,
    /// Data files read.
    pub data_files: Vec<DataFileSummary>,
    /// Unverified, contradicted and stale figures.
    pub warnings: Vec<Warning>,
}

/// Lists the provenance of a model and, optionally, a bound project.
pub fn sources(model: &Model, project: Option<(&Project, &Bound)>) -> Sources {
    let origin = model.origin();
    let mut model_figures = Vec::new();
    for ind in model.indicators() {
        let figures = match (&ind.normalisation, ind.normalisation_text.is_empty()) {
            (Normalisation::Identity, _) | (_, true) => "identity".to_string(),
            _ => ind.normalisation_text.clone(),
        };
        model_figures.push(ModelFigure {
            kind: "indicator",
            id: ind.id.clone(),
            figures,
            source: ind.source.citation.clone(),
            vintage: ind.source.vintage.clone(),
            defined_at: format!("{origin}:{}", ind.line),
        });
    }
    for g in model.groups() {
        let weights: Vec<String> = model
            .children(g)
            .map(|(e, c)| format!("{} {}", model.node_id(c), model.weights()[e]))
            .collect();
        model_figures.push(ModelFigure {
            kind: "weights",
            id: g.id.clone(),
            figures: weights.join(", "),
            source: if g.description.is_empty() {
                "the model's judgement".to_string()
            } else {
                g.description.clone()
            },
            vintage: None,
            defined_at: format!("{origin}:{}", g.line),
        });
    }
    if let Some(f) = model.finance() {
        let at = format!("{origin}:{}", f.line);
        model_figures.push(ModelFigure {
            kind: "finance",
            id: "pd".into(),
            figures: serde_json::to_string(&f.pd).unwrap_or_default(),
            source: f.pd_source.clone(),
            vintage: f.calibrated_on.clone(),
            defined_at: at.clone(),
        });
        model_figures.push(ModelFigure {
            kind: "finance",
            id: "lgd".into(),
            figures: format!("{}", f.lgd),
            source: f.lgd_source.clone(),
            vintage: None,
            defined_at: at,
        });
    }

    let mut values = Vec::new();
    let mut warnings = Vec::new();
    let mut data_files = Vec::new();
    if let Some((p, bound)) = project {
        data_files = bound.data_files.clone();
        for slot in 0..model.n_inputs() {
            let id = model.input_id(slot as u32);
            if let Some(d) = bound.derived.iter().find(|d| d.indicator as usize == slot) {
                values.push(ValueSource {
                    id: id.to_string(),
                    value: d.value.is_finite().then_some(d.value),
                    range: None,
                    source: d.trace.file.as_ref().map(|f| format!("derived from {f}")),
                    as_of: d.trace.window.as_ref().map(|[a, b]| format!("{a}/{b}")),
                    age_years: None,
                    status: p.data.status.unwrap_or(Status::Reported),
                    note: d.trace.note.clone(),
                    given_at: format!(
                        "{} ({})",
                        d.trace.kind,
                        d.trace.parameters.replace('\n', " ")
                    ),
                });
                continue;
            }
            let Some(v) = bound.provided[slot].and_then(|k| p.values.get(k)) else {
                continue;
            };
            if matches!(v.status, Status::Unverified | Status::Contradicted) {
                warnings.push(Warning {
                    code: Code::InputStatus,
                    message: crate::bind::status_message(id, v),
                });
            }
            if let Some(message) = stale_message(model, p.as_of, id, v) {
                warnings.push(Warning {
                    code: Code::StaleValue,
                    message,
                });
            }
            values.push(ValueSource {
                id: id.to_string(),
                value: bound.values[slot].is_finite().then_some(bound.values[slot]),
                range: v.low.zip(v.high),
                source: v.source.clone(),
                as_of: v.as_of.clone(),
                age_years: v
                    .as_of
                    .as_deref()
                    .and_then(period_end)
                    .map(|end| (age_years(end, p.as_of) * 10.0).round() / 10.0),
                status: v.status,
                note: v.note.clone(),
                given_at: format!("{}:{}", p.origin, v.line),
            });
        }
    }
    Sources {
        model: format!("{} {}", model.meta().id, model.meta().version),
        model_figures,
        project: project.map(|(p, _)| p.origin.clone()),
        as_of: project.map(|(p, _)| p.as_of.to_string()),
        max_age_years: model.meta().governance.max_age_years,
        values,
        data_files,
        warnings,
    }
}
