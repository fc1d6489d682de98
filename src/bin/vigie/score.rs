//! `vigie score MODEL PROJECT`: load both files, bind, assess, render.

use vigie::engine;

use crate::args::{ScoreArgs, ScoreFormat};
use crate::load::{RunInputs, load};
use crate::render::assessment::{Flavour, render};
use crate::render::{Style, diagnostics};
use crate::{EXIT_CANNOT_RUN, EXIT_OK, files};

/// Drivers shown without `--top`.
const DEFAULT_TOP: usize = 8;

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
pub fn score(a: &ScoreArgs, style: Style) -> Result<String, String> {
    let loaded = load(
        &RunInputs {
            model: &a.model,
            project: &a.project,
            data: &a.data,
        },
        style,
    )?;
    // Refused before any work: the output must not replace an input just read.
    if let Some(out) = &a.output {
        files::check_output(out)?;
    }
    let (model, project, bound) = (&loaded.model, &loaded.project, &loaded.bound);
    let mut assessment =
        engine::assess(model, project, bound, &model.default_params()).map_err(|e| {
            diagnostics::human_all(e.diagnostics(), &[&project.source], style.colour_stderr)
        })?;
    assessment.audit.overrides = loaded.overrides;
    crate::load::record_invocation(&mut assessment.audit, &a.invocation);
    let top = a.top.unwrap_or(DEFAULT_TOP);
    Ok(match a.format {
        ScoreFormat::Json => crate::render::json(&assessment)?,
        ScoreFormat::Table => render(
            &assessment,
            Flavour::Terminal,
            style.colour_stdout && a.output.is_none(),
            top,
        ),
        ScoreFormat::Markdown => render(&assessment, Flavour::Markdown, false, top),
    })
}
