//! The CSV record loop shared by both loaders: header lookup, physical line
//! numbers, recovery from rows with the wrong number of fields, and the limit on
//! one record's length (checked while reading, so a file without line ends is
//! refused after `max_record_bytes`, never held whole).

use std::collections::VecDeque;
use std::io::Read;

use csv::{ByteRecord, ErrorKind, Reader, ReaderBuilder};

use super::{EventsError, LoadReport, Stored};

/// One step of [`Records::next`].
pub(crate) enum Step {
    /// A record with the header's field count is in [`Records::record`].
    Row { line: u64 },
    /// A record with another field count was read and skipped.
    BadLength {
        line: u64,
        expected: u64,
        found: u64,
    },
    /// The last record opens a quote that is never closed: csv read the rest of the file
    /// into it, up to line `end`.
    Unclosed { line: u64, end: u64 },
    /// No more records.
    End,
}

/// A CSV reader over one file, yielding records with the physical line on
/// which each starts.
pub(crate) struct Records<R> {
    rdr: Reader<RecordLimit<LineEndLog<R>>>,
    record: ByteRecord,
    file: String,
}

impl<R: Read> Records<R> {
    /// Opens `reader` and reads its header row (names are returned with a
    /// leading UTF-8 BOM and surrounding spaces removed). No record, the
    /// header included, may be longer than `max_record_bytes`.
    pub(crate) fn open(
        reader: R,
        file: &str,
        max_record_bytes: u64,
    ) -> Result<(Self, Vec<String>), EventsError> {
        let rdr = ReaderBuilder::new()
            // Wrong field counts must surface as errors, so that the row is
            // rejected; csv keeps reading after that error (it has already
            // consumed the record), which is what lets us continue.
            .flexible(false)
            .has_headers(true)
            .from_reader(RecordLimit::new(LineEndLog::new(reader), max_record_bytes));
        let mut this = Self {
            rdr,
            record: ByteRecord::new(),
            file: file.to_owned(),
        };
        let start = csv::Position::new();
        let header = match this.rdr.byte_headers() {
            Ok(h) => h.clone(),
            Err(e) => return Err(this.fatal(e, &start)),
        };
        this.check_length(&start)?;
        if header.is_empty() {
            return Err(this.csv_error("empty file: no header row".into()));
        }
        let mut names = Vec::with_capacity(header.len());
        for (i, raw) in header.iter().enumerate() {
            // csv-core strips a BOM only when the first read returns at least
            // 3 bytes; strip it here too for readers that trickle bytes.
            let raw = if i == 0 {
                raw.strip_prefix(b"\xef\xbb\xbf").unwrap_or(raw)
            } else {
                raw
            };
            match std::str::from_utf8(raw) {
                Ok(s) => names.push(s.trim().to_owned()),
                Err(_) => {
                    return Err(
                        this.csv_error(format!("header field {} is not valid UTF-8", i + 1))
                    );
                }
            }
        }
        Ok((this, names))
    }

    /// Reads the next record into [`Self::record`].
    pub(crate) fn next(&mut self) -> Result<Step, EventsError> {
        // Where this read starts; the record itself may start lower down.
        let before = self.rdr.position().clone();
        self.rdr.get_mut().record_starts_at(before.byte());
        let result = self.rdr.read_byte_record(&mut self.record);
        match result {
            Ok(false) => Ok(Step::End),
            Ok(true) => {
                self.check_length(&before)?;
                let line = self.start_line(&before);
                Ok(self.unclosed(&before, line).unwrap_or(Step::Row { line }))
            }
            Err(e) => match e.kind() {
                // The record is consumed and csv keeps its state, so the row
                // can be rejected and reading can go on.
                ErrorKind::UnequalLengths {
                    expected_len, len, ..
                } => {
                    let (expected, found) = (*expected_len, *len);
                    self.check_length(&before)?;
                    let line = self.start_line(&before);
                    Ok(self.unclosed(&before, line).unwrap_or(Step::BadLength {
                        line,
                        expected,
                        found,
                    }))
                }
                _ => Err(self.fatal(e, &before)),
            },
        }
    }

    /// [`Step::Unclosed`] when the record just read, which starts on `line`, opens a quote
    /// it never closes. Only a record that runs to the end of the file can (csv reads the
    /// rest of the file into it); well-formed quoting writes quotes in pairs.
    fn unclosed(&mut self, before: &csv::Position, line: u64) -> Option<Step> {
        let after = self.rdr.position().clone();
        let quotes = self
            .rdr
            .get_ref()
            .inner
            .quotes_between(before.byte(), after.byte());
        let log = &self.rdr.get_ref().inner;
        (log.ends_at(after.byte()) && quotes % 2 == 1).then(|| Step::Unclosed {
            line,
            end: after.line(),
        })
    }

    /// A record that was read whole but is longer than the limit (the reader
    /// refuses more bytes only once the limit is passed by a whole buffer).
    fn check_length(&mut self, before: &csv::Position) -> Result<(), EventsError> {
        let length = self.rdr.position().byte().saturating_sub(before.byte());
        if length > self.rdr.get_ref().limit {
            return Err(self.too_long(before));
        }
        Ok(())
    }

    fn too_long(&mut self, before: &csv::Position) -> EventsError {
        EventsError::RecordTooLong {
            file: self.file.clone(),
            line: self.start_line(before),
            limit: self.rdr.get_ref().limit,
        }
    }

    /// The fields of the record last returned as [`Step::Row`].
    /// Reads every data row: `store(record, line)` keeps a row or says why not; rows with
    /// the wrong number of fields and rows `store` refuses are rejected in `report` with
    /// their line, and reading goes on.
    pub(crate) fn each_row(
        &mut self,
        report: &mut LoadReport,
        mut store: impl FnMut(&ByteRecord, u64) -> Result<Stored, String>,
    ) -> Result<(), EventsError> {
        loop {
            match self.next()? {
                Step::End => return Ok(()),
                Step::BadLength {
                    line,
                    expected,
                    found,
                } => {
                    report.reject(
                        line,
                        format!("wrong number of fields: expected {expected}, found {found}"),
                    );
                }
                Step::Unclosed { line, end } => {
                    report.reject(
                        line,
                        format!(
                            "a quote opened in this row is never closed: the rest of the file (to line {end}) was read as this one row"
                        ),
                    );
                }
                Step::Row { line } => match store(self.record(), line) {
                    Ok(how) => report.stored(how),
                    Err(reason) => report.reject(line, reason),
                },
            }
        }
    }

    pub(crate) fn record(&self) -> &ByteRecord {
        &self.record
    }

    pub(crate) fn csv_error(&self, message: String) -> EventsError {
        EventsError::Csv {
            file: self.file.clone(),
            message,
        }
    }

    /// A read error that ends the load; `before` is where the failed read began.
    fn fatal(&mut self, e: csv::Error, before: &csv::Position) -> EventsError {
        if self.rdr.get_ref().tripped {
            return self.too_long(before);
        }
        match e.into_kind() {
            ErrorKind::Io(source) => EventsError::Io {
                file: self.file.clone(),
                source,
            },
            other => self.csv_error(format!("{other:?}")),
        }
    }

    /// Physical line on which the record just read starts.
    ///
    /// csv's record position is where the read began: blank lines that csv
    /// skips before the record, and with CRLF endings the `\n` left over from
    /// the previous record, lie between it and the record. So: the line at
    /// the read start (csv-core counts every `\n` it consumes) plus the `\n`s
    /// in the run of `\r`/`\n` bytes that csv skipped from there.
    fn start_line(&mut self, before: &csv::Position) -> u64 {
        before.line()
            + self
                .rdr
                .get_mut()
                .inner
                .newlines_skipped_from(before.byte())
    }
}

/// Why a header cannot be used; the file name is added by the caller.
pub(crate) enum HeaderError {
    Missing(Vec<String>),
    Invalid(String),
}

impl HeaderError {
    pub(crate) fn into_error(self, file: &str) -> EventsError {
        match self {
            Self::Missing(columns) => EventsError::MissingColumn {
                file: file.to_owned(),
                columns,
            },
            Self::Invalid(message) => EventsError::Csv {
                file: file.to_owned(),
                message,
            },
        }
    }
}

/// Header name -> field index, for finding columns in any order.
pub(crate) struct Header {
    names: Vec<String>,
}

impl Header {
    pub(crate) fn new(names: Vec<String>) -> Self {
        Self { names }
    }

    /// Index of the column named exactly `name`. Extra columns are ignored,
    /// but a column the loader uses must not appear twice (which one would be
    /// meant is unknowable).
    pub(crate) fn find(&self, name: &str) -> Result<Option<usize>, String> {
        let mut hits = self
            .names
            .iter()
            .enumerate()
            .filter(|(_, n)| *n == name)
            .map(|(i, _)| i);
        match (hits.next(), hits.next()) {
            (Some(_), Some(_)) => Err(format!("column '{name}' appears more than once")),
            (first, _) => Ok(first),
        }
    }

    /// Index of the first of `names` (a column and its aliases) present;
    /// two of them present at once is ambiguous, hence an error.
    pub(crate) fn find_any(&self, names: &[&str]) -> Result<Option<usize>, String> {
        let mut found = None;
        for name in names {
            if let Some(i) = self.find(name)? {
                if found.is_some() {
                    return Err(format!(
                        "columns {} are aliases: give only one",
                        names.join(" / ")
                    ));
                }
                found = Some(i);
            }
        }
        Ok(found)
    }
}

/// The trimmed text of field `idx`, or a rejection reason naming `column`.
pub(crate) fn cell<'r>(
    record: &'r ByteRecord,
    idx: usize,
    column: &str,
) -> Result<&'r str, String> {
    let raw = record.get(idx).unwrap_or_default();
    std::str::from_utf8(raw)
        .map(str::trim)
        .map_err(|_| format!("{column}: not valid UTF-8"))
}

/// Like [`cell`], for optional columns: an absent column reads as empty.
pub(crate) fn opt_cell<'r>(
    record: &'r ByteRecord,
    idx: Option<usize>,
    column: &str,
) -> Result<&'r str, String> {
    idx.map_or(Ok(""), |i| cell(record, i, column))
}

/// Like [`cell`], but an empty value is a rejection.
pub(crate) fn required<'r>(
    record: &'r ByteRecord,
    idx: usize,
    column: &str,
) -> Result<&'r str, String> {
    let s = cell(record, idx, column)?;
    if s.is_empty() {
        Err(format!("{column}: empty required cell"))
    } else {
        Ok(s)
    }
}

/// A value quoted in a rejection reason, cut short so that 10,000 stored
/// reasons stay small whatever the cells hold, with control characters escaped
/// (an ESC in a cell must not reach a terminal).
pub(crate) fn shown(s: &str) -> String {
    const MAX_CHARS: usize = 40;
    let (head, cut) = match s.char_indices().nth(MAX_CHARS) {
        Some((at, _)) => (&s[..at], "..."),
        None => (s, ""),
    };
    let mut out = String::with_capacity(head.len() + 8);
    out.push('\'');
    for c in head.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.push_str(cut);
    out.push('\'');
    out
}

/// Parses a coordinate and checks it lies in `-limit..=limit` (NaN and
/// infinities fail the range check).
pub(crate) fn coordinate(s: &str, column: &str, limit: f64) -> Result<f64, String> {
    let v: f64 = s
        .parse()
        .map_err(|_| format!("{column}: not a number: {}", shown(s)))?;
    if (-limit..=limit).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{column}: {} outside -{limit}..{limit}", shown(s)))
    }
}

/// Refuses to hand csv more bytes once the record being read has passed
/// `limit` bytes, so that a file without line ends (or an unclosed quote) ends
/// the load after `limit` bytes instead of filling memory. csv asks for more
/// only when it has consumed everything handed out, so at each `read` the
/// record so far is exactly the bytes since the record's start.
struct RecordLimit<R> {
    inner: R,
    limit: u64,
    /// Bytes handed out so far.
    offset: u64,
    /// Offset at which the record being read began.
    start: u64,
    /// Set when a read was refused: the error csv reports is this one.
    tripped: bool,
}

impl<R> RecordLimit<R> {
    fn new(inner: R, limit: u64) -> Self {
        Self {
            inner,
            limit,
            offset: 0,
            start: 0,
            tripped: false,
        }
    }

    fn record_starts_at(&mut self, offset: u64) {
        self.start = offset;
    }
}

impl<R: Read> Read for RecordLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.offset.saturating_sub(self.start) > self.limit {
            self.tripped = true;
            return Err(std::io::Error::other("record too long"));
        }
        let n = self.inner.read(buf)?;
        self.offset += n as u64;
        Ok(n)
    }
}

/// Wraps the input and logs where the `\r`, `\n` and `"` bytes are, so that
/// [`Records::start_line`] can count the line ends csv skipped before a
/// record, and a record read to the end of the file can be checked for an
/// unclosed quote. Queries move forward only, and csv reads at most one buffer ahead,
/// so the log stays small.
struct LineEndLog<R> {
    inner: R,
    /// Bytes handed out so far.
    offset: u64,
    /// Offset and value of each `\r`, `\n` or `"` byte not yet passed by a query.
    ends: VecDeque<(u64, u8)>,
    /// The input has reported its end.
    eof: bool,
}

impl<R> LineEndLog<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            offset: 0,
            ends: VecDeque::new(),
            eof: false,
        }
    }

    /// Number of `\n` in the unbroken run of `\r`/`\n` bytes starting at
    /// offset `from`; forgets everything before `from`.
    fn newlines_skipped_from(&mut self, from: u64) -> u64 {
        while self.ends.front().is_some_and(|&(at, _)| at < from) {
            self.ends.pop_front();
        }
        let run = self
            .ends
            .iter()
            .zip(from..)
            .take_while(|&(&(at, byte), want)| at == want && byte != b'"');
        run.filter(|&(&(_, byte), _)| byte == b'\n').count() as u64
    }

    /// Whether the input ends at offset `at` (its end has been read, and `at` is where).
    fn ends_at(&self, at: u64) -> bool {
        self.eof && at == self.offset
    }

    /// Number of `"` bytes at offsets `from..to` (what has not been forgotten).
    fn quotes_between(&self, from: u64, to: u64) -> u64 {
        self.ends
            .iter()
            .filter(|&&(at, byte)| byte == b'"' && (from..to).contains(&at))
            .count() as u64
    }
}

impl<R: Read> Read for LineEndLog<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && !buf.is_empty() {
            self.eof = true;
        }
        let filled = buf.get(..n).unwrap_or_default();
        // Line ends and quotes are a few bytes per few hundred: test 8 bytes at
        // a time and look at single bytes only in words that hold one.
        let mut at = self.offset;
        let mut words = filled.chunks_exact(8);
        for word in &mut words {
            let w = u64::from_le_bytes(word.try_into().unwrap_or_default());
            if has_byte(w, b'\n') || has_byte(w, b'\r') || has_byte(w, b'"') {
                self.log(at, word);
            }
            at += 8;
        }
        self.log(at, words.remainder());
        self.offset += n as u64;
        Ok(n)
    }
}

impl<R> LineEndLog<R> {
    /// Logs the `\r`, `\n` and `"` bytes of `bytes`, which start at offset `at`.
    fn log(&mut self, at: u64, bytes: &[u8]) {
        let ends = (at..).zip(bytes.iter().copied());
        self.ends
            .extend(ends.filter(|&(_, b)| b == b'\n' || b == b'\r' || b == b'"'));
    }
}

/// Whether any byte of `word` equals `byte` (the classic zero-byte test on
/// `word ^ byte...byte`; exact as a yes/no answer).
fn has_byte(word: u64, byte: u8) -> bool {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
    let x = word ^ (ONES * u64::from(byte));
    x.wrapping_sub(ONES) & !x & HIGHS != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A quoted record after a blank line starts on the line after it: the quote
    /// ends the run of skipped line ends, the newlines inside the quotes are not
    /// skipped ones.
    #[test]
    fn quotes_end_the_run_of_skipped_line_ends() {
        let data = b"head\n\n\"a\nb\",c\n";
        let mut log = LineEndLog::new(&data[..]);
        let mut sink = Vec::new();
        log.read_to_end(&mut sink).unwrap();
        assert_eq!(log.quotes_between(0, data.len() as u64), 2);
        assert_eq!(log.newlines_skipped_from(4), 2);
        let csv = "a,b\n\n\"x\ny\",z\n\"open,w\nv,u\n";
        let (mut records, _) = Records::open(csv.as_bytes(), "q", 1 << 20).unwrap();
        assert!(matches!(records.next(), Ok(Step::Row { line: 3 })));
        let step = records.next();
        assert!(
            matches!(step, Ok(Step::Unclosed { line: 5, end: 7 })),
            "{:?}",
            step.as_ref().map(|s| match s {
                Step::Row { line } => format!("row {line}"),
                Step::Unclosed { line, end } => format!("unclosed {line} {end}"),
                Step::BadLength { line, .. } => format!("bad length {line}"),
                Step::End => "end".into(),
            })
        );
    }

    #[test]
    fn shown_values_are_cut_and_escaped() {
        assert_eq!(shown("2025-02-30"), "'2025-02-30'");
        assert_eq!(shown("a\u{1b}[31mb\n"), "'a\\u{1b}[31mb\\n'");
        assert_eq!(shown(&"x".repeat(50)), format!("'{}...'", "x".repeat(40)));
    }

    #[test]
    fn byte_test_is_exact() {
        for b in 0..=255u8 {
            for pos in 0..8 {
                let mut word = [b'a'; 8];
                word[pos] = b;
                let w = u64::from_le_bytes(word);
                assert_eq!(has_byte(w, b'\n'), b == b'\n', "{b} at {pos}");
                assert_eq!(has_byte(w, b'\r'), b == b'\r', "{b} at {pos}");
            }
        }
    }

    #[test]
    fn log_counts_skipped_line_ends() {
        let data = b"head\r\n\r\n\nrow one, with more than eight bytes\n\r\nrow two";
        let mut log = LineEndLog::new(&data[..]);
        let mut sink = Vec::new();
        log.read_to_end(&mut sink).unwrap();
        assert_eq!(log.newlines_skipped_from(4), 3);
        assert_eq!(log.newlines_skipped_from(9), 0);
        assert_eq!(log.newlines_skipped_from(44), 2);
        assert_eq!(log.newlines_skipped_from(47), 0);
    }
}
