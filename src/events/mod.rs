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
pub use positions::{Position, read_positions, read_positions_with};
pub use table::{EventTable, MoreRow};

use serde::{Deserialize, Serialize};

/// How many rejected rows a [`LoadReport`] stores in full. Rejections past this
/// are only counted, so a file that is wholly wrong cannot eat memory.
pub const MAX_STORED_REJECTS: usize = 10_000;

/// Longest CSV record (header or row) a loader accepts by default: 1 MiB. ACLED's longest
/// rows (long notes) are a few kilobytes; a record past this is a file without line ends or
/// with an unclosed quote, refused before it fills memory. Raise it with
/// [`ReadOptions::max_record_bytes`] (`--max-record-bytes` on the command line).
pub const DEFAULT_MAX_RECORD_BYTES: u64 = 1 << 20;

/// Options for [`read_events`] (and, for the record limit, [`read_positions_with`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadOptions {
    /// Keep the free-text `notes` column. Notes are by far the largest column (about 270
    /// bytes a row in ACLED exports), so filters use `note_words` instead.
    pub keep_notes: bool,
    /// Words looked for in each event's notes while loading (case-insensitive substring),
    /// at most [`MAX_NOTE_WORDS`]: bit k of [`EventTable::note_hits`] says whether word k
    /// occurs. The text itself is then dropped, so note filters cost 8 bytes an event.
    pub note_words: Vec<String>,
    /// Longest record accepted, in bytes (counted from the end of the previous record, so
    /// blank lines before a record count too); a longer one stops the load with
    /// [`EventsError::RecordTooLong`]. Default [`DEFAULT_MAX_RECORD_BYTES`].
    #[serde(default = "default_max_record_bytes")]
    pub max_record_bytes: u64,
}

fn default_max_record_bytes() -> u64 {
    DEFAULT_MAX_RECORD_BYTES
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            keep_notes: false,
            note_words: Vec::new(),
            max_record_bytes: DEFAULT_MAX_RECORD_BYTES,
        }
    }
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

/// Two rows of one event (same `event_id_cnty`), or of one army position, that disagree
/// on what they say about it. The first row stands; this says where the other one is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disagreement {
    /// The shared id (for positions: the name and kind), as an excerpt.
    pub id: String,
    /// Physical line of the first row, the one used.
    pub first_line: u64,
    /// Physical line of the row that disagrees with it.
    pub line: u64,
    /// What differs, e.g. `fatalities 2 / 3; event_date 2025-05-17 / 2025-05-18` (first
    /// row's value, then this row's).
    pub fields: String,
}

impl Disagreement {
    /// Builds one from (column, first row's value, this row's value) triples; `None`
    /// when nothing differs. Values are quoted as excerpts.
    pub(crate) fn from_fields(
        id: &str,
        first_line: u64,
        line: u64,
        differs: &[(&str, String, String)],
    ) -> Option<Self> {
        if differs.is_empty() {
            return None;
        }
        let fields = differs
            .iter()
            .map(|(column, was, now)| {
                format!(
                    "{column} {} / {}",
                    crate::diag::excerpt(was),
                    crate::diag::excerpt(now)
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        Some(Self {
            id: crate::diag::excerpt(id),
            first_line,
            line,
            fields,
        })
    }
}

/// How a loader stored a valid row.
pub(crate) enum Stored {
    /// As a new event or position.
    New,
    /// As a further row of an earlier one (same id), not counted again; with what it
    /// disagrees on, if anything.
    Duplicate(Option<Disagreement>),
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
    /// Accepted rows that repeat an earlier row's id (an event's `event_id_cnty`, a
    /// position's name and kind): merged into it, so each event or position counts once.
    /// Included in `rows_accepted`.
    pub duplicate_rows: u64,
    /// Duplicate rows that disagree with the first row of their id; always exact.
    pub disagreement_count: u64,
    /// The first [`MAX_STORED_REJECTS`] of them, in file order.
    pub disagreements: Vec<Disagreement>,
}

impl LoadReport {
    pub(crate) fn new(file: &str) -> Self {
        Self {
            file: file.to_owned(),
            rows_read: 0,
            rows_accepted: 0,
            rejected_count: 0,
            rejected: Vec::new(),
            duplicate_rows: 0,
            disagreement_count: 0,
            disagreements: Vec::new(),
        }
    }

    /// Rows kept as distinct events or positions: accepted rows less duplicates.
    pub fn distinct(&self) -> u64 {
        self.rows_accepted - self.duplicate_rows
    }

    pub(crate) fn stored(&mut self, how: Stored) {
        self.accept();
        if let Stored::Duplicate(disagreement) = how {
            self.duplicate_rows += 1;
            if let Some(d) = disagreement {
                self.disagreement_count += 1;
                if self.disagreements.len() < MAX_STORED_REJECTS {
                    self.disagreements.push(d);
                }
            }
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
    /// A record is longer than [`ReadOptions::max_record_bytes`]: the file has no line
    /// ends, or a quote that is never closed. Reading stops there.
    #[error(
        "{file}:{line}: the record starting on line {line} is longer than {limit} bytes (the limit for one CSV record): no line end, or an unclosed quote?"
    )]
    RecordTooLong {
        /// The file name given by the caller.
        file: String,
        /// Physical line on which the record starts.
        line: u64,
        /// The limit, in bytes.
        limit: u64,
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
