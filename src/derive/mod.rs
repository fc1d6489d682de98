//! Derived indicators: security figures computed for a site from conflict-event files
//! (ACLED's format) and army positions, with a trace of the events behind each number.

pub mod compute;
pub mod data;
pub mod filter;
pub mod index;
pub mod spec;

pub use compute::{Context, DerivedValue, Trace, compute};
pub use data::{DataFileSummary, EventData, PositionData};

use crate::derive::spec::RejectedRows;
use crate::diag::Diagnostic;
use crate::model::Model;
use crate::project::Project;

/// Everything derived for one project: values with traces, file summaries, and the
/// diagnostics about the files (rejected rows: warnings, or errors when the model makes
/// them fatal).
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
    let fatal = model.rejected_rows() == RejectedRows::Error;
    let mut out = Prepared::default();
    if let Some(e) = events {
        out.files.push(e.summary(as_of, known_at_as_of));
        out.diagnostics
            .extend(data::rejected_row_diagnostics(&e.report, fatal));
    }
    if let Some(p) = positions {
        out.files.push(p.summary(as_of));
        out.diagnostics
            .extend(data::rejected_row_diagnostics(&p.report, fatal));
    }
    let ctx = Context {
        site: project.site.as_ref(),
        as_of,
        known_at_as_of,
        events,
        positions,
    };
    out.values = compute(model, &ctx);
    out
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
            keep_notes: false,
            note_words: self.note_words(),
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
