//! `vigie check FILE...`: every diagnostic of every file, models and projects alike.
//! Exit 0 when no file has an error, 1 when any has, 2 when a file cannot be read.

use vigie::toml_read::{FileKind, parse_document};
use vigie::{Diagnostic, Model, SourceFile, bind};

use crate::args::{CheckArgs, CheckFormat};
use crate::data::{self, DataArgs};
use crate::render::{Style, diagnostics};
use crate::{EXIT_CANNOT_RUN, EXIT_OK, EXIT_PROBLEMS, files};

pub fn run(a: &CheckArgs, style: Style) -> u8 {
    let mut sources = Vec::new();
    for path in a.files.iter().chain(a.model.iter()) {
        match files::read(path) {
            Ok(s) => sources.push(s),
            Err(e) => {
                eprintln!("{e}");
                return EXIT_CANNOT_RUN;
            }
        }
    }
    let against = a.model.as_ref().and_then(|_| sources.pop());
    let against_model = against.as_ref().map(Model::check);
    let mut all: Vec<Diagnostic> = Vec::new();
    let mut summary = Vec::new();
    if let (Some(src), Some((None, diags))) = (&against, &against_model) {
        // The model given with --model is broken: report it like any checked file.
        all.extend(diags.iter().cloned());
        summary.push(file_summary(src.name(), diags));
    }
    for src in &sources {
        let diags = check_one(src, against_model.as_ref().and_then(|(m, _)| m.as_ref()));
        summary.push(file_summary(src.name(), &diags));
        all.extend(diags);
    }
    let mut refs: Vec<&SourceFile> = sources.iter().collect();
    refs.extend(against.iter());
    match a.format {
        CheckFormat::Human => {
            eprint!(
                "{}",
                diagnostics::human_all(&all, &refs, style.colour_stderr)
            );
            for line in &summary {
                eprintln!("{line}");
            }
        }
        CheckFormat::Json => match serde_json::to_string_pretty(&all) {
            Ok(s) => {
                if crate::print(&(s + "\n")) != EXIT_OK {
                    return EXIT_CANNOT_RUN;
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_CANNOT_RUN;
            }
        },
    }
    if all.iter().any(Diagnostic::is_error) {
        EXIT_PROBLEMS
    } else {
        EXIT_OK
    }
}

/// Diagnostics of one file, of whichever kind it is.
fn check_one(src: &SourceFile, against: Option<&Model>) -> Vec<Diagnostic> {
    let (doc, syntax) = parse_document(src);
    if !syntax.is_empty() {
        return syntax;
    }
    let kind = FileKind::of(doc.get_ref());
    let is_model_test = vigie::toml_read::is_model_test(doc.get_ref());
    // The readers parse the file again: holding this document meanwhile would double the
    // memory a large model takes to check.
    drop(doc);
    match kind {
        Some(FileKind::Model) => Model::check(src).1,
        Some(FileKind::Project) => {
            let (project, mut diags) = vigie::project::read_project(src);
            if let (Some(p), Some(m)) = (project, against) {
                // Derived values need the project's data files: load them as `score` would,
                // so their problems (missing columns, rejected rows) are listed too.
                match data::prepare(m, &p, &DataArgs::default()) {
                    Ok(prepared) => {
                        diags.extend(prepared.diagnostics);
                        // Coverage gaps and rows that disagree, which `score` reports in
                        // the assessment.
                        for f in &prepared.files {
                            diags.extend(
                                f.notes()
                                    .into_iter()
                                    .map(|(code, message)| Diagnostic::new(code, message)),
                            );
                        }
                        diags.extend(bind::bind_with(m, &p, prepared.values, prepared.files).1);
                    }
                    Err(e) => diags.push(Diagnostic::new(e.code, e.message)),
                }
            }
            diags
        }
        _ if is_model_test => vec![src.diag(
            vigie::Code::WrongFileKind,
            0..0,
            "this is a model test file (its `model` names the model it tests): run it with `vigie test`",
        )],
        _ => vec![src.diag(
            vigie::Code::WrongFileKind,
            0..0,
            "this is neither a model nor a project file (it has no `[model]` or `[project]` table)",
        )],
    }
}

fn file_summary(name: &str, diags: &[Diagnostic]) -> String {
    let (errors, warnings) = diagnostics::counts(diags);
    match (errors, warnings) {
        (0, 0) => format!("{name}: ok"),
        (e, w) => format!("{name}: {e} error(s), {w} warning(s)"),
    }
}
