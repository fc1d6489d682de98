//! `vigie sources MODEL [PROJECT]`: where every number that enters a score comes from, for
//! an auditor: the model's figures with their citations, the project's values with
//! source, vintage, age and status, the data files with their SHA-256, and warnings.

use vigie::provenance::{Sources, sources};

use crate::args::{SimulateFormat, SourcesArgs};
use crate::load::{RunInputs, load};
use crate::render::Style;
use crate::{EXIT_CANNOT_RUN, EXIT_OK, EXIT_PROBLEMS, files};

pub fn run(a: &SourcesArgs, style: Style) -> u8 {
    let report = (|| -> Result<Sources, String> {
        match &a.project {
            Some(project) => {
                let loaded = load(
                    &RunInputs {
                        model: &a.model,
                        project,
                        data: &a.data,
                    },
                    style,
                )?;
                Ok(sources(
                    &loaded.model,
                    Some((&loaded.project, &loaded.bound)),
                ))
            }
            None => {
                let src = files::read(&a.model)?;
                let (model, _) = vigie::Model::from_source(&src).map_err(|e| {
                    crate::render::diagnostics::human_all(
                        e.diagnostics(),
                        &[&src],
                        style.colour_stderr,
                    )
                })?;
                Ok(sources(&model, None))
            }
        }
    })();
    let report = match report {
        Ok(r) => r,
        Err(message) => {
            eprint!("{message}");
            return EXIT_CANNOT_RUN;
        }
    };
    let text = match a.format {
        SimulateFormat::Json => match crate::render::json(&report) {
            Ok(t) => t,
            Err(e) => {
                eprint!("{e}");
                return EXIT_CANNOT_RUN;
            }
        },
        SimulateFormat::Table => table(&report),
    };
    if crate::print(&text) != EXIT_OK {
        return EXIT_CANNOT_RUN;
    }
    if a.strict && !report.warnings.is_empty() {
        EXIT_PROBLEMS
    } else {
        EXIT_OK
    }
}

fn table(r: &Sources) -> String {
    let mut out = format!("Sources of model {}\n\nModel figures\n", r.model);
    for f in &r.model_figures {
        out.push_str(&format!(
            "- {} {} [{}]: {}\n    source: {}{}\n",
            f.kind,
            f.id,
            f.defined_at,
            f.figures,
            f.source,
            f.vintage
                .as_ref()
                .map_or(String::new(), |v| format!(" ({v})"))
        ));
    }
    if let Some(p) = &r.project {
        out.push_str(&format!(
            "\nProject values ({p}, as of {}{})\n",
            r.as_of.as_deref().unwrap_or("-"),
            r.max_age_years
                .map_or(String::new(), |m| format!("; freshness limit {m} years"))
        ));
        for v in &r.values {
            out.push_str(&format!(
                "- {} = {}{} [{}] {}\n    source: {}{}{}\n",
                v.id,
                v.value.map_or("-".to_string(), |x| x.to_string()),
                v.range
                    .map_or(String::new(), |(l, h)| format!(" (range {l}..{h})")),
                v.status.as_str(),
                v.given_at,
                v.source.as_deref().unwrap_or("-"),
                v.as_of
                    .as_ref()
                    .map_or(String::new(), |a| format!("; as of {a}")),
                v.age_years
                    .map_or(String::new(), |y| format!("; {y} years old"))
            ));
        }
        for d in &r.data_files {
            out.push_str(&format!(
                "- file {} {}: {} rows, {} used, sha256 {}\n",
                d.kind, d.file, d.rows_read, d.rows_used, d.sha256
            ));
        }
    }
    if !r.warnings.is_empty() {
        out.push_str("\nWarnings\n");
        for w in &r.warnings {
            out.push_str(&format!("- [{}] {}\n", w.code, w.message));
        }
    }
    out
}
