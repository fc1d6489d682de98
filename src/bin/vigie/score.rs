//! `vigie score MODEL PROJECT`: load both files, bind, assess, render.

use vigie::diag::has_errors;
use vigie::{Diagnostic, Model, bind, engine};

use crate::args::{ScoreArgs, ScoreFormat};
use crate::data::{self, DataArgs};
use crate::render::assessment::{Flavour, render};
use crate::render::{Style, diagnostics};
use crate::{EXIT_CANNOT_RUN, EXIT_OK, files};

pub fn run(a: &ScoreArgs, style: Style) -> u8 {
    match score(a, style) {
        Ok(text) => match files::emit(a.output.as_deref(), &text) {
            Ok(()) => EXIT_OK,
            Err(e) => {
                eprintln!("{e}");
                EXIT_CANNOT_RUN
            }
        },
        Err(message) => {
            eprint!("{message}");
            EXIT_CANNOT_RUN
        }
    }
}

/// Everything up to the rendered text; any failure is the message for standard error.
fn score(a: &ScoreArgs, style: Style) -> Result<String, String> {
    let model_src = files::read(&a.model).map_err(|e| e + "\n")?;
    let project_src = files::read(&a.project).map_err(|e| e + "\n")?;
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
    if let Some(d) = a.as_of {
        overrides.push(format!("as_of={d} (project: {})", project.as_of));
        project.as_of = d;
    }
    if a.known_at_as_of {
        overrides.push("known_at_as_of=true".to_string());
    }

    if let Some(p) = &a.events {
        overrides.push(format!("events={}", p.display()));
    }
    if let Some(p) = &a.positions {
        overrides.push(format!("positions={}", p.display()));
    }
    let data_args = DataArgs {
        events: a.events.clone(),
        positions: a.positions.clone(),
        known_at_as_of: a.known_at_as_of,
    };
    let prepared = data::prepare(&model, &project, &data_args)?;
    diags.extend(prepared.diagnostics);
    if has_errors(&diags) {
        return Err(fail(&diags));
    }
    let (bound, bind_diags) = bind::bind_with(&model, &project, prepared.values, prepared.files);
    // Input-status warnings are part of the assessment itself; only errors go to stderr.
    diags.extend(bind_diags.into_iter().filter(Diagnostic::is_error));
    let Some(bound) = bound else {
        return Err(fail(&diags));
    };
    if !diags.is_empty() {
        eprint!("{}", fail(&diags));
    }
    let mut assessment = engine::assess(&model, &project, &bound, &model.default_params())
        .map_err(|e| fail(e.diagnostics()))?;
    assessment.audit.overrides = overrides;
    Ok(match a.format {
        ScoreFormat::Json => {
            let mut s =
                serde_json::to_string_pretty(&assessment).map_err(|e| format!("error: {e}\n"))?;
            s.push('\n');
            s
        }
        ScoreFormat::Table => render(
            &assessment,
            Flavour::Terminal,
            style.colour_stdout && a.output.is_none(),
            a.top,
        ),
        ScoreFormat::Markdown => render(&assessment, Flavour::Markdown, false, a.top),
    })
}
