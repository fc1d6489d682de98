//! Turning a case's project into the model's inputs: the data files it names are loaded,
//! derived values that the test file itself gives take the place of derived ones, and the
//! values are bound to the model. Problems come back as diagnostics located where they are
//! written (the test file, the project file, the data file or the table).

use std::path::Path;

use super::paths::{resolve, tidy};
use crate::bind::{Bound, bind_with};
use crate::derive::data::data_file_diagnostic;
use crate::derive::{self, EventData, PositionData};
use crate::diag::{Code, Diagnostic, has_errors};
use crate::model::Model;
use crate::project::{InputValue, Project, RawValue};
use crate::toml_read::Sp;

/// A project bound to a model, ready to score.
#[derive(Debug, Clone)]
pub struct BoundProject {
    /// The project (without the derived values the test gave: those are in `bound`).
    pub project: Project,
    /// Its values in the model's slots.
    pub bound: Bound,
}

/// Whose values a project holds, which decides whether it may give derived values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A project file: it may not give a value the model derives (`VG064`), as for `score`.
    ProjectFile,
    /// Values written in the test file (a case or a table row): a value given for a
    /// derived indicator stands for what the data files would give, so a case can test the
    /// model from given security figures up.
    TestFile,
}

/// Loads the data files `project` names (relative to `data_folder`) and binds it.
/// Returns the bound project if there is no error, and every diagnostic found except the
/// unverified-value warnings an assessment reports itself.
pub fn bind_case(
    model: &Model,
    mut project: Project,
    data_folder: &Path,
    origin: Origin,
) -> (Option<BoundProject>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let given = match origin {
        Origin::TestFile => take_derived_values(model, &mut project, &mut diags),
        Origin::ProjectFile => Vec::new(),
    };
    let events = match (&project.data.events, model.needs_events()) {
        (Some(written), true) => load_events(model, &project, written, data_folder, &mut diags),
        _ => None,
    };
    let positions = match (&project.data.positions, model.needs_positions()) {
        (Some(written), true) => load_positions(&project, written, data_folder, &mut diags),
        _ => None,
    };
    let mut prepared = derive::prepare(
        model,
        &project,
        crate::events::date_to_days(project.as_of),
        project.data.known_at_as_of,
        events.as_ref(),
        positions.as_ref(),
    );
    diags.append(&mut prepared.diagnostics);
    for (slot, value, line) in given {
        if let Some(dv) = prepared.values.iter_mut().find(|d| d.indicator == slot) {
            dv.value = value;
            let t = &mut dv.trace;
            t.file = None;
            t.window = None;
            t.matched = 0;
            t.matched_region_level = 0;
            t.nearest.clear();
            t.most_recent.clear();
            t.positions.clear();
            t.coverage = None;
            t.note = Some(format!(
                "given by the test file ({}:{line}), not derived from data files",
                project.source.name()
            ));
        }
    }
    if has_errors(&diags) {
        return (None, diags);
    }
    let (bound, bind_diags) = bind_with(model, &project, prepared.values, prepared.files);
    diags.extend(
        bind_diags
            .into_iter()
            .filter(|d| d.code != Code::InputStatus),
    );
    let bound = bound
        .filter(|_| !has_errors(&diags))
        .map(|bound| BoundProject { project, bound });
    (bound, diags)
}

/// Removes from the project the values it gives for derived indicators, and returns them
/// as (slot, value, line).
fn take_derived_values(
    model: &Model,
    project: &mut Project,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(u32, f64, usize)> {
    let is_derived = |v: &InputValue| {
        model
            .input_by_id(&v.id.value)
            .filter(|slot| model.derived().iter().any(|d| d.indicator == *slot))
    };
    let mut given = Vec::new();
    for v in &project.values {
        let Some(slot) = is_derived(v) else {
            continue;
        };
        match &v.value.value {
            RawValue::Number(x) => given.push((slot, *x, v.line)),
            RawValue::Text(_) => diags.push(project.source.diag(
                Code::WrongType,
                v.value.span.clone(),
                format!("`{}` takes a number", v.id.value),
            )),
        }
    }
    project.values.retain(|v| is_derived(v).is_none());
    given
}

fn load_events(
    model: &Model,
    project: &Project,
    written: &Sp<String>,
    folder: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Option<EventData> {
    let path = resolve(folder, &written.value);
    let name = tidy(&path).display().to_string();
    let file = match crate::input::open_regular(&path) {
        Ok((f, _)) => f,
        Err(e) => {
            diags.push(cannot_read(project, written, &name, &e));
            return None;
        }
    };
    EventData::from_reader(&name, std::io::BufReader::new(file), &model.read_options())
        .map_err(|e| diags.push(data_file_diagnostic(&e)))
        .ok()
}

fn load_positions(
    project: &Project,
    written: &Sp<String>,
    folder: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Option<PositionData> {
    let path = resolve(folder, &written.value);
    let name = tidy(&path).display().to_string();
    // Streamed, like events: a reader holds one record at a time.
    let file = match crate::input::open_regular(&path) {
        Ok((f, _)) => f,
        Err(e) => {
            diags.push(cannot_read(project, written, &name, &e));
            return None;
        }
    };
    PositionData::from_reader(
        &name,
        std::io::BufReader::new(file),
        &crate::events::ReadOptions::default(),
    )
    .map_err(|e| diags.push(data_file_diagnostic(&e)))
    .ok()
}

fn cannot_read(
    project: &Project,
    written: &Sp<String>,
    name: &str,
    e: &crate::input::InputError,
) -> Diagnostic {
    let why = match e {
        crate::input::InputError::Io { source, .. } => format!("cannot read {name}: {source}"),
        other => other.to_string(),
    };
    project
        .source
        .diag(Code::DataFile, written.span.clone(), why)
}
