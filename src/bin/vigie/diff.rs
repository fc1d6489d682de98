//! `vigie diff OLD NEW [--projects FILE_OR_DIR]`: what changed between two models, in the
//! model's own terms, and what it does to projects' scores and bands. Differences are not
//! an error (exit 0); an unreadable or invalid model or project file is (exit 2).

use std::path::{Path, PathBuf};

use serde::Serialize;
use vigie::diag::has_errors;
use vigie::diff::{ModelDiff, Outcome, ProjectComparison, Summary, diff_models, summarise};
use vigie::{Diagnostic, Model, Project, engine};

use crate::args::{AuditFormat, DiffArgs};
use crate::data::DataArgs;
use crate::load::{bind_project, load_model};
use crate::render::{Style, diagnostics};
use crate::{EXIT_CANNOT_RUN, files};

/// The whole report: the models' differences, then the projects, when asked for.
#[derive(Serialize)]
pub struct Report {
    /// Fingerprints of both models, the changes and the weights.
    #[serde(flatten)]
    pub diff: ModelDiff,
    /// Each project under both models (with `--projects`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub projects: Option<Vec<ProjectComparison>>,
    /// The projects in a few numbers (with `--projects`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<Summary>,
}

pub fn run(a: &DiffArgs, style: Style) -> u8 {
    let text = match report(a, style) {
        Ok(r) => match a.format {
            AuditFormat::Json => match serde_json::to_string_pretty(&r) {
                Ok(s) => s + "\n",
                Err(e) => {
                    eprintln!("error: {e}");
                    return EXIT_CANNOT_RUN;
                }
            },
            AuditFormat::Table => crate::render::diff::render(&r),
        },
        Err(message) => {
            eprint!("{message}");
            return EXIT_CANNOT_RUN;
        }
    };
    crate::print(&text)
}

/// Everything up to the report; any failure is the message for standard error.
fn report(a: &DiffArgs, style: Style) -> Result<Report, String> {
    let old = load_model(&a.old, style)?;
    let new = load_model(&a.new, style)?;
    let diff = diff_models(&old, &new);
    let Some(path) = &a.projects else {
        return Ok(Report {
            diff,
            projects: None,
            summary: None,
        });
    };
    let mut compared = Vec::new();
    for file in project_files(path)? {
        let project = read_project(&file, style)?;
        compared.push(ProjectComparison::new(
            &project.origin,
            &project.id,
            &project.name,
            score_under(&old, &project)?,
            score_under(&new, &project)?,
        ));
    }
    let summary = summarise(&compared);
    Ok(Report {
        diff,
        projects: Some(compared),
        summary: Some(summary),
    })
}

/// The project file given, or every `.toml` file of the directory given, by name.
fn project_files(path: &Path) -> Result<Vec<PathBuf>, String> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let entries = std::fs::read_dir(path)
        .map_err(|e| format!("error: cannot read {}: {e}\n", path.display()))?;
    let mut out: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
        .collect();
    out.sort();
    if out.is_empty() {
        return Err(format!(
            "error: {} holds no project file (*.toml)\n",
            path.display()
        ));
    }
    Ok(out)
}

fn read_project(path: &Path, style: Style) -> Result<Project, String> {
    let src = files::read(path)?;
    let (project, diags) = vigie::project::read_project(&src);
    match project {
        Some(p) if !has_errors(&diags) => Ok(p),
        _ => Err(diagnostics::human_all(&diags, &[&src], style.colour_stderr)),
    }
}

/// Scores a project as `vigie score` does (data files as the project names them). A
/// project the model cannot score is an outcome, not a failure: a new model may well
/// need a value an old project lacks. A data file that cannot be read is a failure.
fn score_under(model: &Model, project: &Project) -> Result<Outcome, String> {
    let (bound, diags) = bind_project(model, project, &DataArgs::default())?;
    let result = match bound.filter(|_| !has_errors(&diags)) {
        Some(bound) => engine::assess(model, project, &bound, &model.default_params())
            .map_err(|e| brief(e.diagnostics())),
        None => Err(brief(&diags)),
    };
    Ok(Outcome::of(result.as_ref().map_err(Clone::clone)))
}

/// Errors in one line: `VG061 ...; VG070 ...`.
fn brief(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{} {}", d.code.as_str(), d.message))
        .collect::<Vec<_>>()
        .join("; ")
}
