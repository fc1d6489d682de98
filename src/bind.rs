//! Binding a project to a model: the project's named values become the flat input vector
//! the kernel reads, and every mismatch (unknown input, wrong kind of value, missing
//! required value) is reported against the project file's lines.

use crate::diag::{Code, Diagnostic, SourceFile, did_you_mean};
use crate::model::{Missing, Model, Normalisation, Transform};
use crate::project::{Project, RawValue, Status};

/// A project's values laid out in the model's input slots.
#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    /// One raw value per input slot; NaN where the project gives none.
    pub values: Vec<f64>,
    /// For each slot, the index of the project value that filled it.
    pub provided: Vec<Option<usize>>,
}

/// Binds a project's values to a model. Diagnostics are located in the project file.
pub fn bind(
    model: &Model,
    project: &Project,
    src: &SourceFile,
) -> (Option<Bound>, Vec<Diagnostic>) {
    let n = model.n_inputs();
    let mut values = vec![f64::NAN; n];
    let mut provided = vec![None; n];
    // Slots the project names, even with a value that was rejected (reported already).
    let mut named = vec![false; n];
    let mut diags = Vec::new();
    let input_ids: Vec<&str> = (0..n as u32).map(|s| model.input_id(s)).collect();

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
            if let Some(m) = did_you_mean(&iv.id.value, input_ids.iter().copied()) {
                d.help = Some(format!("did you mean `{m}`?"));
            }
            diags.push(d);
            continue;
        };
        named[slot as usize] = true;
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
                    d.help = Some(match did_you_mean(t, names.iter().copied()) {
                        Some(m) => format!("did you mean \"{m}\"?"),
                        None => format!("categories are: {}", names.join(", ")),
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
                format!(
                    "`{}` is {}: {}",
                    iv.id.value,
                    iv.status.as_str(),
                    iv.source.as_deref().unwrap_or("no source given")
                ),
            ));
        }
    }

    // Values the model cannot do without: checked here so the error points at the file.
    let missing = |slot: usize| !named[slot];
    for (i, ind) in model.indicators.iter().enumerate() {
        let absent = missing(i);
        let unfillable = match ind.missing {
            Missing::Error => absent,
            Missing::ImputeFrom(s) => absent && missing(s as usize),
            _ => false,
        };
        let denominator_missing = match ind.transform {
            Transform::Ratio { denominator, .. } => !absent && missing(denominator as usize),
            _ => false,
        };
        if unfillable || denominator_missing {
            let what = if denominator_missing {
                format!("the denominator of `{}`", ind.id)
            } else {
                format!("`{}` ({})", ind.id, ind.label)
            };
            diags.push(
                src.diag(
                    Code::MissingInput,
                    project.values_span.clone(),
                    format!("model `{}` requires a value for {what}", model.meta.id),
                )
                .with_help(
                    "add it under [values], or give the indicator a `missing` policy in the model",
                ),
            );
        }
    }
    let ok = !diags.iter().any(Diagnostic::is_error);
    (ok.then_some(Bound { values, provided }), diags)
}
