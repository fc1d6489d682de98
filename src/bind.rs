//! Binding a project to a model: the project's named values become the flat input vector
//! the kernel reads, and every mismatch (unknown input, wrong kind of value, missing
//! required value) is reported against the project file's lines.

use crate::derive::{DataFileSummary, DerivedValue};
use crate::diag::{Code, Diagnostic, Suggestions, name_list};
use crate::model::{Missing, Model, Normalisation, Transform};
use crate::project::{InputValue, Project, RawValue, Status};

/// A project's values laid out in the model's input slots, with what was derived from
/// data files.
#[derive(Debug, Clone)]
pub struct Bound {
    /// One raw value per input slot; NaN where the project gives none.
    pub values: Vec<f64>,
    /// For each slot, the index of the project value that filled it.
    pub provided: Vec<Option<usize>>,
    /// Values derived from data files, with their traces.
    pub derived: Vec<DerivedValue>,
    /// The data files read, with their row counts.
    pub data_files: Vec<DataFileSummary>,
}

/// Binds a project's values to a model. Diagnostics are located in the project's file.
pub fn bind(model: &Model, project: &Project) -> (Option<Bound>, Vec<Diagnostic>) {
    bind_with(model, project, Vec::new(), Vec::new())
}

/// Binds a project's values and the values derived from data files (see
/// [`crate::derive::compute`]) to a model.
pub fn bind_with(
    model: &Model,
    project: &Project,
    derived: Vec<DerivedValue>,
    data_files: Vec<DataFileSummary>,
) -> (Option<Bound>, Vec<Diagnostic>) {
    let src = &project.source;
    let n = model.n_inputs();
    let mut values = vec![f64::NAN; n];
    let mut provided = vec![None; n];
    // Slots the project names, even with a value that was rejected (reported already).
    let mut named = vec![false; n];
    let mut diags = Vec::new();
    let input_ids: Vec<&str> = (0..n as u32).map(|s| model.input_id(s)).collect();
    let mut suggestions = Suggestions::default();
    let mut is_derived = vec![false; n];
    for d in model.derived() {
        if let Some(x) = is_derived.get_mut(d.indicator as usize) {
            *x = true;
        }
    }

    for (k, iv) in project.values.iter().enumerate() {
        let Some(slot) = model.input_by_id(&iv.id.value) else {
            let mut d = src.diag(
                Code::UnknownInput,
                iv.id.span.clone(),
                format!(
                    "`{}` is not an input of model `{}`",
                    iv.id.value, model.meta.id
                ),
            );
            if let Some(m) = suggestions.find(&iv.id.value, input_ids.iter().copied()) {
                d.help = Some(format!("did you mean `{m}`?"));
            }
            diags.push(d);
            continue;
        };
        named[slot as usize] = true;
        if is_derived[slot as usize] {
            diags.push(
                src.diag(
                    Code::DerivedValueGiven,
                    iv.id.span.clone(),
                    format!(
                        "`{}` is derived from data files by model `{}`",
                        iv.id.value, model.meta.id
                    ),
                )
                .with_help("remove it from [values]: the model computes it from [project.data]"),
            );
            continue;
        }
        let categories =
            model
                .indicators
                .get(slot as usize)
                .and_then(|ind| match &ind.normalisation {
                    Normalisation::Categorical { categories } => Some(categories),
                    _ => None,
                });
        let x = match (&iv.value.value, categories) {
            (RawValue::Number(x), None) => Some(*x),
            (RawValue::Text(t), Some(cats)) => {
                let idx = cats.iter().position(|(c, _)| c == t);
                if idx.is_none() {
                    let names: Vec<&str> = cats.iter().map(|(c, _)| c.as_str()).collect();
                    let mut d = src.diag(
                        Code::UnknownCategory,
                        iv.value.span.clone(),
                        format!("\"{t}\" is not a category of `{}`", iv.id.value),
                    );
                    d.help = Some(match suggestions.find(t, names.iter().copied()) {
                        Some(m) => format!("did you mean \"{m}\"?"),
                        None => format!("categories are: {}", name_list(&names)),
                    });
                    diags.push(d);
                }
                idx.map(|i| i as f64)
            }
            (RawValue::Number(_), Some(_)) => {
                diags.push(src.diag(
                    Code::WrongType,
                    iv.value.span.clone(),
                    format!(
                        "`{}` is categorical: give one of its categories as a string",
                        iv.id.value
                    ),
                ));
                None
            }
            (RawValue::Text(_), None) => {
                diags.push(src.diag(
                    Code::WrongType,
                    iv.value.span.clone(),
                    format!("`{}` takes a number", iv.id.value),
                ));
                None
            }
        };
        if let Some(x) = x {
            values[slot as usize] = x;
            provided[slot as usize] = Some(k);
        }
        if matches!(iv.status, Status::Unverified | Status::Contradicted) {
            diags.push(src.diag(
                Code::InputStatus,
                iv.id.span.clone(),
                status_message(&iv.id.value, iv),
            ));
        }
    }

    // Derived values fill their slots; a value that could not be computed is missing.
    let mut derived_note: Vec<Option<&str>> = vec![None; n];
    for dv in &derived {
        let slot = dv.indicator as usize;
        if slot < n {
            values[slot] = dv.value;
            named[slot] = !dv.value.is_nan();
            derived_note[slot] = dv
                .trace
                .note
                .as_deref()
                .or(Some("it could not be computed"));
        }
    }

    // Values the model cannot do without: checked here so the error points at the file.
    // A slot is available when the project gives it or its indicator's policy fills it.
    let fills = |slot: usize| match model.indicators.get(slot).map(|ind| ind.missing) {
        Some(Missing::Impute(_)) => true,
        Some(Missing::ImputeFrom(s)) => named[s as usize],
        _ => false,
    };
    let available = |slot: usize| named[slot] || fills(slot);
    for (i, ind) in model.indicators.iter().enumerate() {
        let problem = match (ind.missing, ind.transform) {
            (Missing::Error, _) if !named[i] && derived_note[i].is_some() => Some((
                format!("`{}` ({}), derived from data: {}", ind.id, ind.label, derived_note[i].unwrap_or("")),
                "name the files in [project.data] (events, positions) or with --events / --positions".to_string(),
            )),
            (Missing::Error, _) if !named[i] => Some((
                format!("`{}` ({})", ind.id, ind.label),
                "add it under [values], or give the indicator a `missing` policy in the model"
                    .to_string(),
            )),
            (Missing::ImputeFrom(s), _) if !available(i) => Some((
                format!("`{}` ({})", ind.id, ind.label),
                format!(
                    "add it, or `{}` that it is imputed from, under [values]",
                    model.input_id(s)
                ),
            )),
            (_, Transform::Ratio { denominator, .. })
                if available(i) && !available(denominator as usize) =>
            {
                Some((
                    format!(
                        "`{}`, the denominator of `{}`",
                        model.input_id(denominator),
                        ind.id
                    ),
                    "add it under [values]".to_string(),
                ))
            }
            _ => None,
        };
        if let Some((what, help)) = problem {
            diags.push(
                src.diag(
                    Code::MissingInput,
                    project.values_span.clone(),
                    format!("model `{}` requires a value for {what}", model.meta.id),
                )
                .with_help(help),
            );
        }
    }
    let ok = !diags.iter().any(Diagnostic::is_error);
    (
        ok.then_some(Bound {
            values,
            provided,
            derived,
            data_files,
        }),
        diags,
    )
}

/// What to say of an unverified or contradicted value: its note, else its source.
pub fn status_message(id: &str, v: &InputValue) -> String {
    let why = v
        .note
        .as_deref()
        .or(v.source.as_deref())
        .unwrap_or("no source given");
    format!("`{id}` is {}: {why}", v.status.as_str())
}
