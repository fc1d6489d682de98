//! Loaded data files for derived indicators: the event table with its spatial index, the
//! army positions, and what a report says about each file (hash, rows read, rejected,
//! used). Reading bytes from disk is the caller's job; this turns bytes into data.

use serde::Serialize;

use super::index::{DEFAULT_CELL_DEG, EventIndex};
use std::io::Read;

use sha2::{Digest, Sha256};

use crate::audit::hex;
use crate::diag::{Code, Diagnostic, Location};
use crate::events::{
    Disagreement, EventTable, EventsError, LoadReport, Position, ReadOptions, RejectedRow,
    read_events, read_positions_with,
};

/// Rejected rows listed in a file summary (all of them are counted).
pub const LISTED_REJECTED_ROWS: usize = 20;

/// An event file, loaded and indexed.
#[derive(Debug, Clone)]
pub struct EventData {
    /// File name as given.
    pub file: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// The events.
    pub table: EventTable,
    /// Spatial index over them.
    pub index: EventIndex,
    /// Rows read and rejected.
    pub report: LoadReport,
    /// Earliest event date in the file (days since 1970-01-01), if any event.
    pub first_day: Option<i32>,
    /// Latest event date in the file, if any event.
    pub last_day: Option<i32>,
}

/// A positions file, loaded.
#[derive(Debug, Clone)]
pub struct PositionData {
    /// File name as given.
    pub file: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// The positions.
    pub positions: Vec<Position>,
    /// Rows read and rejected.
    pub report: LoadReport,
}

/// What an assessment says about one data file.
#[derive(Debug, Clone, Serialize)]
pub struct DataFileSummary {
    /// "events" or "positions".
    pub kind: &'static str,
    /// File name as given.
    pub file: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// Data rows read.
    pub rows_read: u64,
    /// Rows accepted.
    pub rows_accepted: u64,
    /// Rows rejected.
    pub rows_rejected: u64,
    /// What the assessment could use: events (each counted once, however many rows list
    /// it) dated on or before the as-of date (and, when back-testing, uploaded by then);
    /// positions active on the as-of date.
    pub rows_used: u64,
    /// The first rejected rows, with line and reason.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rejected: Vec<RejectedRow>,
    /// Accepted rows that repeat an earlier row's id (an event's `event_id_cnty`, a
    /// position's name and kind), merged into it: each event or position counts once.
    pub duplicate_rows: u64,
    /// Duplicate rows that disagree with the first row of their id (date, place,
    /// fatalities, types; for positions place and period).
    pub disagreeing_rows: u64,
    /// The first of them, with both lines.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub disagreements: Vec<Disagreement>,
    /// Dates of the file's first and last events (YYYY-MM-DD); events files with an
    /// event only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_dates: Option<[String; 2]>,
    /// Where the file does not cover a window an indicator reads (warnings; under
    /// `[data] coverage = "error"` they stop scoring instead).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub coverage: Vec<super::coverage::CoverageGap>,
}

/// A reader that hashes what passes through it, so a file is read once, never held whole.
struct Hashing<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: Read> Hashing<R> {
    fn new(inner: R) -> Self {
        Hashing {
            inner,
            hasher: Sha256::new(),
        }
    }

    /// The SHA-256 of everything read. The CSV reader may stop before the end (it does
    /// not here); the rest is drained so that the hash covers the whole file.
    fn finish(mut self, file: &str) -> Result<String, EventsError> {
        std::io::copy(&mut self, &mut std::io::sink()).map_err(|source| EventsError::Io {
            file: file.to_string(),
            source,
        })?;
        Ok(hex(&self.hasher.finalize()))
    }
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

impl EventData {
    /// Reads an event file's bytes and indexes it. Use [`Model::read_options`] so that the
    /// words a model's filters look for in notes are matched while loading (the notes text,
    /// the bulk of an ACLED export, is then not kept).
    ///
    /// [`Model::read_options`]: crate::model::Model::read_options
    pub fn from_bytes(file: &str, bytes: &[u8], opts: &ReadOptions) -> Result<Self, EventsError> {
        Self::from_reader(file, bytes, opts)
    }

    /// Streams an event file (hashing it on the way) and indexes it: memory holds the
    /// table and index, never the file's text.
    pub fn from_reader(
        file: &str,
        reader: impl Read,
        opts: &ReadOptions,
    ) -> Result<Self, EventsError> {
        let mut hashing = Hashing::new(reader);
        let (table, report) = read_events(&mut hashing, file, opts)?;
        let sha256 = hashing.finish(file)?;
        let index = EventIndex::build(table.lats(), table.lons(), table.dates(), DEFAULT_CELL_DEG);
        let first_day = table.dates().iter().copied().min();
        let last_day = table.dates().iter().copied().max();
        Ok(EventData {
            first_day,
            last_day,
            file: file.to_string(),
            sha256,
            table,
            index,
            report,
        })
    }

    /// The summary for an assessment as of a day (days since 1970-01-01).
    pub fn summary(&self, as_of: i32, known_at_as_of: bool) -> DataFileSummary {
        let t = &self.table;
        let used = (0..t.len())
            .filter(|&i| {
                let (date, ts) = (t.dates()[i], t.timestamps()[i]);
                date <= as_of && (!known_at_as_of || super::compute::known_by(ts, as_of))
            })
            .count();
        let mut s = summary(
            "events",
            &self.file,
            &self.sha256,
            &self.report,
            used as u64,
        );
        s.event_dates = self
            .first_day
            .zip(self.last_day)
            .map(|(a, b)| [day_text(a), day_text(b)]);
        s
    }
}

impl PositionData {
    /// Reads a positions file's bytes.
    pub fn from_bytes(file: &str, bytes: &[u8]) -> Result<Self, EventsError> {
        Self::from_reader(file, bytes, &ReadOptions::default())
    }

    /// Streams a positions file (hashing it on the way); of the options only the record
    /// limit applies.
    pub fn from_reader(
        file: &str,
        reader: impl Read,
        opts: &ReadOptions,
    ) -> Result<Self, EventsError> {
        let mut hashing = Hashing::new(reader);
        let (positions, report) = read_positions_with(&mut hashing, file, opts)?;
        let sha256 = hashing.finish(file)?;
        Ok(PositionData {
            file: file.to_string(),
            sha256,
            positions,
            report,
        })
    }

    /// The summary for an assessment as of a day.
    pub fn summary(&self, as_of: i32) -> DataFileSummary {
        let day = super::compute::day_date(as_of);
        let used = self.positions.iter().filter(|p| p.active_on(day)).count();
        summary(
            "positions",
            &self.file,
            &self.sha256,
            &self.report,
            used as u64,
        )
    }
}

impl DataFileSummary {
    /// What a reader of the assessment must know about the file, as (code, message):
    /// where it does not cover an indicator's window (VG107), and rows of one event or
    /// position that disagree (VG108, with both lines).
    pub fn notes(&self) -> Vec<(Code, String)> {
        let mut out: Vec<(Code, String)> = self
            .coverage
            .iter()
            .map(|gap| (Code::DataCoverage, gap.message.clone()))
            .collect();
        out.extend(self.disagreements.iter().map(|d| {
            (
                Code::DuplicateDisagrees,
                format!(
                    "{}: lines {} and {} share the id `{}` but disagree ({}); line {} is used",
                    self.file, d.first_line, d.line, d.id, d.fields, d.first_line
                ),
            )
        }));
        let unlisted = self
            .disagreeing_rows
            .saturating_sub(self.disagreements.len() as u64);
        if unlisted > 0 {
            out.push((
                Code::DuplicateDisagrees,
                format!(
                    "{}: {unlisted} more rows disagree with an earlier row of the same id",
                    self.file
                ),
            ));
        }
        out
    }
}

fn summary(
    kind: &'static str,
    file: &str,
    sha256: &str,
    r: &LoadReport,
    used: u64,
) -> DataFileSummary {
    DataFileSummary {
        kind,
        file: file.to_string(),
        sha256: sha256.to_string(),
        rows_read: r.rows_read,
        rows_accepted: r.rows_accepted,
        rows_rejected: r.rejected_count,
        rows_used: used,
        rejected: r
            .rejected
            .iter()
            .take(LISTED_REJECTED_ROWS)
            .cloned()
            .collect(),
        duplicate_rows: r.duplicate_rows,
        disagreeing_rows: r.disagreement_count,
        disagreements: r
            .disagreements
            .iter()
            .take(LISTED_REJECTED_ROWS)
            .cloned()
            .collect(),
        event_dates: None,
        coverage: Vec::new(),
    }
}

fn day_text(day: i32) -> String {
    super::compute::day_date(day).to_string()
}

/// Every rejected row of a file as a located diagnostic: a warning, or an error when the
/// model makes rejected rows fatal.
pub fn rejected_row_diagnostics(report: &LoadReport, fatal: bool) -> Vec<Diagnostic> {
    let code = if fatal {
        Code::RejectedRowFatal
    } else {
        Code::RejectedRow
    };
    let mut out: Vec<Diagnostic> = report
        .rejected
        .iter()
        .map(|row| {
            let mut d = Diagnostic::new(code, format!("row rejected: {}", row.reason));
            d.location = Some(Location {
                file: report.file.clone(),
                line: row.line as usize,
                column: 1,
                span: 0..0,
            });
            d
        })
        .collect();
    let unlisted = report
        .rejected_count
        .saturating_sub(report.rejected.len() as u64);
    if unlisted > 0 {
        out.push(Diagnostic::new(
            code,
            format!("{unlisted} more rows of {} were rejected", report.file),
        ));
    }
    out
}

/// An event or position file that cannot be used, as a diagnostic (located at the record
/// when one is too long).
pub fn data_file_diagnostic(e: &EventsError) -> Diagnostic {
    match e {
        EventsError::RecordTooLong { file, line, limit } => {
            let mut d = Diagnostic::new(
                Code::RecordTooLong,
                format!(
                    "the record starting on this line is longer than {limit} bytes, the limit for one CSV record: a file without line ends, or a quote that is never closed?"
                ),
            )
            .with_help("raise the limit with --max-record-bytes if the record is genuine");
            d.location = Some(Location {
                file: file.clone(),
                line: usize::try_from(*line).unwrap_or(usize::MAX),
                column: 1,
                span: 0..0,
            });
            d
        }
        _ => Diagnostic::new(Code::DataFile, e.to_string()),
    }
}
