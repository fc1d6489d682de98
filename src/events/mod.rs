//! Loading of conflict events (ACLED export format) and army positions from CSV.
//!
//! Both loaders share one policy: a file-level problem (no header, a missing
//! required column, an I/O failure) is an [`EventsError`]; a row-level problem
//! rejects that row only, records its physical line and a reason in the
//! [`LoadReport`], and loading goes on. No row is dropped silently.

mod acled;
mod dates;
mod intern;
mod positions;
mod records;
mod table;

pub use acled::read_events;
pub use dates::{PartialDate, date_to_days, days_to_date, parse_event_date};
pub use intern::Interner;
pub use positions::{Position, read_positions};
pub use table::EventTable;

use serde::{Deserialize, Serialize};

/// How many rejected rows a [`LoadReport`] stores in full. Rejections past this
/// are only counted, so a file that is wholly wrong cannot eat memory.
pub const MAX_STORED_REJECTS: usize = 10_000;

/// Options for [`read_events`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadOptions {
    /// Keep the free-text `notes` column. Notes are by far the largest column (about 270
    /// bytes a row in ACLED exports), so filters use `note_words` instead.
    pub keep_notes: bool,
    /// Words looked for in each event's notes while loading (case-insensitive substring),
    /// at most [`MAX_NOTE_WORDS`]: bit k of [`EventTable::note_hits`] says whether word k
    /// occurs. The text itself is then dropped, so note filters cost 8 bytes an event.
    pub note_words: Vec<String>,
}

/// Most note words one load can look for (one bit each in a `u64`).
pub const MAX_NOTE_WORDS: usize = 64;

/// One data row that was not loaded, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectedRow {
    /// Physical line (1-based, header = line 1) on which the record starts.
    pub line: u64,
    /// Human-readable reason, naming the column at fault.
    pub reason: String,
}

/// What happened while loading one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadReport {
    /// The file name given by the caller, for messages.
    pub file: String,
    /// Data rows seen (accepted + rejected); the header is not counted.
    pub rows_read: u64,
    /// Rows stored.
    pub rows_accepted: u64,
    /// Rows rejected; always exact, even past [`MAX_STORED_REJECTS`].
    pub rejected_count: u64,
    /// The first [`MAX_STORED_REJECTS`] rejected rows, in file order.
    pub rejected: Vec<RejectedRow>,
}

impl LoadReport {
    pub(crate) fn new(file: &str) -> Self {
        Self {
            file: file.to_owned(),
            rows_read: 0,
            rows_accepted: 0,
            rejected_count: 0,
            rejected: Vec::new(),
        }
    }

    pub(crate) fn accept(&mut self) {
        self.rows_read += 1;
        self.rows_accepted += 1;
    }

    pub(crate) fn reject(&mut self, line: u64, reason: String) {
        self.rows_read += 1;
        self.rejected_count += 1;
        if self.rejected.len() < MAX_STORED_REJECTS {
            self.rejected.push(RejectedRow { line, reason });
        }
    }
}

/// A problem that stops a whole file from loading.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EventsError {
    /// The header lacks one or more required columns; all of them are listed.
    #[error("{file}: missing required column(s): {}", columns.join(", "))]
    MissingColumn {
        /// The file name given by the caller.
        file: String,
        /// Every required column that is absent, in the loader's order.
        columns: Vec<String>,
    },
    /// The file is not usable CSV: no header row, a header that is not UTF-8,
    /// or a column needed by the loader that appears more than once.
    #[error("{file}: {message}")]
    Csv {
        /// The file name given by the caller.
        file: String,
        /// What is wrong with the file.
        message: String,
    },
    /// Reading the underlying source failed.
    #[error("{file}: read error: {source}")]
    Io {
        /// The file name given by the caller.
        file: String,
        /// The I/O error from the reader.
        #[source]
        source: std::io::Error,
    },
}
