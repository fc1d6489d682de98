//! Derived indicators: security figures computed for a site from conflict-event files
//! (ACLED's format) and army positions, with a trace of the events behind each number.

pub mod compute;
pub mod coverage;
pub mod data;
pub mod filter;
pub mod index;
pub mod spec;

pub use compute::{Context, DerivedValue, Trace, compute};
pub use coverage::CoverageGap;
pub use data::{DataFileSummary, EventData, PositionData};

use crate::derive::spec::OnProblem;
use crate::diag::{Code, Diagnostic, Location};
use crate::model::Model;
use crate::project::Project;

/// Everything derived for one project: values with traces, file summaries, and the
/// diagnostics about the files (rejected rows: warnings, or errors when the model makes
/// them fatal; a file with no usable row and, when the model says so, a file that does
/// not cover a window: errors). Coverage warnings and rows that disagree are in the file
/// summaries, where the assessment reports them.
#[derive(Debug, Clone, Default)]
pub struct Prepared {
    /// One value per derived indicator of the model.
    pub values: Vec<DerivedValue>,
    /// One summary per data file read.
    pub files: Vec<DataFileSummary>,
    /// Rejected rows and other notes about the files.
    pub diagnostics: Vec<Diagnostic>,
}

/// Computes a model's derived indicators for a project as of a day (days since
/// 1970-01-01), from the data files the caller has loaded.
pub fn prepare(
    model: &Model,
    project: &Project,
    as_of: i32,
    known_at_as_of: bool,
    events: Option<&EventData>,
    positions: Option<&PositionData>,
) -> Prepared {
    let policy = model.data_policy();
    let fatal = policy.rejected_rows == OnProblem::Error;
    let mut out = Prepared::default();
    let ctx = Context {
        site: project.site.as_ref(),
        as_of,
        known_at_as_of,
        events,
        positions,
    };
    out.values = compute(model, &ctx);
    // Without a site nothing is read from the files, so their coverage does not matter.
    let mut file_gaps = Vec::new();
    if let Some(e) = events {
        out.diagnostics
            .extend(data::rejected_row_diagnostics(&e.report, fatal));
        let gaps = match project.site {
            Some(_) => {
                coverage::event_gaps(model, e, as_of, known_at_as_of, policy.max_staleness_days)
            }
            None => coverage::Gaps::default(),
        };
        file_gaps.push((e.summary(as_of, known_at_as_of), gaps));
    }
    if let Some(p) = positions {
        out.diagnostics
            .extend(data::rejected_row_diagnostics(&p.report, fatal));
        let gaps = match project.site {
            Some(_) => coverage::position_gaps(model, p, as_of),
            None => coverage::Gaps::default(),
        };
        file_gaps.push((p.summary(as_of), gaps));
    }
    for (mut summary, gaps) in file_gaps {
        gaps.annotate(&mut out.values);
        for gap in gaps.gaps {
            let on_problem = if gap.kind == "empty" {
                policy.empty_file
            } else {
                policy.coverage
            };
            match on_problem {
                OnProblem::Warn => summary.coverage.push(gap),
                OnProblem::Error => out.diagnostics.push(coverage_error(&gap)),
            }
        }
        out.files.push(summary);
    }
    out
}

/// A coverage gap the model makes fatal, as an error located at the file.
fn coverage_error(gap: &CoverageGap) -> Diagnostic {
    let (code, help) = if gap.kind == "empty" {
        (
            Code::EmptyDataFile,
            "give a file with rows, or set `[data] empty_file = \"warn\"` in the model to score a place with no recorded event",
        )
    } else {
        (
            Code::CoverageFatal,
            "give a file that covers the windows, or change `[data] coverage` or `max_staleness_days` in the model",
        )
    };
    let mut d = Diagnostic::new(code, gap.message.clone()).with_help(help);
    d.location = Some(Location {
        file: gap.file.clone(),
        line: 1,
        column: 1,
        span: 0..0,
    });
    d
}

impl Model {
    /// The words the model's filters look for in event notes, lowercased, each once, in
    /// the order the model names them (at most [`crate::events::MAX_NOTE_WORDS`]: the
    /// validator enforces it).
    pub fn note_words(&self) -> Vec<String> {
        let mut words: Vec<String> = Vec::new();
        for m in self.derived().iter().flat_map(|d| &d.matches) {
            for w in &m.notes {
                let w = w.to_lowercase();
                if !words.contains(&w) {
                    words.push(w);
                }
            }
        }
        words
    }

    /// How to load event files for this model: note words are matched while reading, so
    /// the notes text is never kept.
    pub fn read_options(&self) -> crate::events::ReadOptions {
        crate::events::ReadOptions {
            note_words: self.note_words(),
            ..crate::events::ReadOptions::default()
        }
    }

    /// True when some indicator is derived from events.
    pub fn needs_events(&self) -> bool {
        self.derived().iter().any(|d| !d.kind.uses_positions())
    }

    /// True when some indicator is derived from army positions.
    pub fn needs_positions(&self) -> bool {
        self.derived().iter().any(|d| d.kind.uses_positions())
    }
}
