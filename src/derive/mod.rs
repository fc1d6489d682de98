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
    /// True when a filter of a derived indicator reads event notes (so a loader must keep
    /// them; they are the bulk of an export otherwise left out).
    pub fn needs_notes(&self) -> bool {
        self.derived()
            .iter()
            .any(|d| d.matches.iter().any(|m| !m.notes.is_empty()))
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
