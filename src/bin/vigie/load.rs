//! Loading a model and a project, their data files, and binding them: the path `score`,
//! `simulate` and `diff` share. Failures come back as the text for standard error.

use vigie::bind::Bound;
use vigie::diag::has_errors;
use vigie::{Diagnostic, Model, Project, bind};

use crate::args::DataFlags;
use crate::data::{self, DataArgs};
use crate::files;
use crate::render::{Style, diagnostics};

/// The files and overrides of one run.
pub struct RunInputs<'a> {
    /// Model file.
    pub model: &'a std::path::Path,
    /// Project file.
    pub project: &'a std::path::Path,
    /// Data files and as-of date from the command line.
    pub data: &'a DataFlags,
}

/// A model and a project, bound, with the overrides applied (as audit strings).
pub struct Loaded {
    /// The model.
    pub model: Model,
    /// The project (its as-of date overridden if asked).
    pub project: Project,
    /// Its values and derived values in the model's slots.
    pub bound: Bound,
    /// What the command line overrode.
    pub overrides: Vec<String>,
}

/// Loads and binds; prints warnings to standard error; errors become the `Err` text.
pub fn load(run: &RunInputs<'_>, style: Style) -> Result<Loaded, String> {
    let model_src = files::read(run.model)?;
    let project_src = files::read(run.project)?;
    let sources = [&model_src, &project_src];
    let fail = |diags: &[Diagnostic]| diagnostics::human_all(diags, &sources, style.colour_stderr);

    let (model, model_diags) = Model::check(&model_src);
    let (project, project_diags) = vigie::project::read_project(&project_src);
    let mut diags: Vec<Diagnostic> = model_diags.into_iter().chain(project_diags).collect();
    let (Some(model), Some(mut project)) = (model, project) else {
        return Err(fail(&diags));
    };
    if has_errors(&diags) {
        return Err(fail(&diags));
    }
    let mut overrides = Vec::new();
    let flags = run.data;
    if let Some(d) = flags.as_of {
        overrides.push(format!("as_of={d} (project: {})", project.as_of));
        project.as_of = d;
    }
    if flags.known_at_as_of {
        overrides.push("known_at_as_of=true".to_string());
    }
    if let Some(p) = &flags.events {
        overrides.push(format!("events={}", p.display()));
    }
    if let Some(p) = &flags.positions {
        overrides.push(format!("positions={}", p.display()));
    }
    if flags.strict_governance {
        let problems =
            vigie::model::governance::governance_warnings(&model.meta().governance, project.as_of);
        if !problems.is_empty() {
            let d = model_src.diag(
                vigie::Code::Governance,
                model.meta().governance.span.clone(),
                format!("--strict-governance: {}", problems.join("; ")),
            );
            return Err(fail(&[d]));
        }
    }
    unused_data_flags(&model, &project, flags)?;
    let data_args = DataArgs {
        events: flags.events.clone(),
        positions: flags.positions.clone(),
        known_at_as_of: flags.known_at_as_of,
        recorded: flags.recorded.clone(),
        max_record_bytes: flags.max_record_bytes,
    };
    let (bound, more) = bind_project(&model, &project, &data_args)?;
    diags.extend(more);
    let Some(bound) = bound.filter(|_| !has_errors(&diags)) else {
        return Err(fail(&diags));
    };
    if !diags.is_empty() {
        eprint!("{}", fail(&diags));
    }
    Ok(Loaded {
        model,
        project,
        bound,
        overrides,
    })
}

/// Data flags that would do nothing with this model and project are usage errors: a user
/// who gives `--events` expects the events to count, and must hear that they do not.
fn unused_data_flags(model: &Model, project: &Project, flags: &DataFlags) -> Result<(), String> {
    let id = &model.meta().id;
    let usage = |m: String| Err(format!("error: {m}\n"));
    if flags.events.is_some() && !model.needs_events() {
        return usage(format!(
            "--events does nothing: model {id} derives no indicator from an event file"
        ));
    }
    if flags.positions.is_some() && !model.needs_positions() {
        return usage(format!(
            "--positions does nothing: model {id} derives no indicator from a position file"
        ));
    }
    let events_read =
        model.needs_events() && (flags.events.is_some() || project.data.events.is_some());
    if flags.known_at_as_of && !events_read {
        return usage(
            "--known-at-as-of does nothing: no event file is read (the model derives nothing from events, or neither --events nor the project's [project.data] names one)"
                .to_string(),
        );
    }
    Ok(())
}

/// `--fixed-model` keeps the model's weights and options nominal: with a model that
/// declares neither weight uncertainty nor alternatives it would do nothing.
pub fn fixed_model_does_something(model: &Model, fixed_model: bool) -> Result<(), String> {
    let nothing_to_fix = model.weight_uncertainty() == vigie::model::WeightUncertainty::Fixed
        && model.alternatives().is_empty();
    if fixed_model && nothing_to_fix {
        return Err(format!(
            "error: --fixed-model does nothing: model {} declares no weight uncertainty and no alternatives\n",
            model.meta().id
        ));
    }
    Ok(())
}

/// Records in an audit block the command line (without its output files) and the
/// directory it ran in, for `vigie verify`.
pub fn record_invocation(audit: &mut vigie::engine::assess::Audit, invocation: &[String]) {
    audit.invocation = invocation.to_vec();
    audit.working_directory = std::env::current_dir()
        .ok()
        .map(|d| d.display().to_string());
}

/// Computes the project's derived values from its data files (those in `data`, else the
/// project's own) and binds its values to the model's inputs. `Ok((None, diagnostics))`
/// when the project does not fit the model; `Err` when a data file cannot be read.
/// Input-status warnings are part of the assessment itself, so only errors of binding
/// come back; data-file warnings (rejected rows) do.
pub fn bind_project(
    model: &Model,
    project: &Project,
    data: &DataArgs,
) -> Result<(Option<Bound>, Vec<Diagnostic>), String> {
    let prepared = data::prepare(model, project, data)?;
    let mut diags = prepared.diagnostics;
    if has_errors(&diags) {
        return Ok((None, diags));
    }
    // The files' coverage warnings are the assessment's to report; when binding fails
    // there is none, and they may be why (a positions file with no active position).
    let notes: Vec<Diagnostic> = prepared
        .files
        .iter()
        .flat_map(|f| f.notes())
        .map(|(code, message)| Diagnostic::new(code, message))
        .collect();
    let (bound, bind_diags) = bind::bind_with(model, project, prepared.values, prepared.files);
    diags.extend(bind_diags.into_iter().filter(Diagnostic::is_error));
    if bound.is_none() || has_errors(&diags) {
        diags.extend(notes);
    }
    Ok((bound, diags))
}

/// Reads and validates a model file alone; its warnings go to standard error, its errors
/// come back as the text for standard error.
pub fn load_model(path: &std::path::Path, style: Style) -> Result<Model, String> {
    let src = files::read(path)?;
    let (model, diags) = Model::check(&src);
    let render = |d: &[Diagnostic]| diagnostics::human_all(d, &[&src], style.colour_stderr);
    match model {
        Some(m) if !has_errors(&diags) => {
            if !diags.is_empty() {
                eprint!("{}", render(&diags));
            }
            Ok(m)
        }
        _ => Err(render(&diags)),
    }
}
