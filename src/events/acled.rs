//! Reading conflict events from a CSV in ACLED's export format into an
//! [`EventTable`], rejecting bad rows with their line and a reason.

use std::io::Read;

use csv::ByteRecord;

use super::dates::{date_to_days, parse_event_date};
use super::records::{Header, HeaderError, Records, cell, coordinate, opt_cell, required, shown};
use super::table::{EventTable, NewEvent, Pushed};
use super::{Disagreement, EventsError, LoadReport, ReadOptions, Stored};

/// Columns without which an event cannot be scored.
const REQUIRED: [&str; 6] = [
    "event_date",
    "event_type",
    "sub_event_type",
    "latitude",
    "longitude",
    "fatalities",
];

/// The only non-blank value ACLED writes in `civilian_targeting`.
const CIVILIANS_TARGETED: &str = "Civilians targeted";

/// Reads events from an ACLED-format CSV.
///
/// Columns are found by their (lowercase, case-sensitive) header names in any
/// order; unknown columns are ignored. A row that fails validation is listed
/// in the report with its physical line and a reason, and loading continues.
/// A row whose `event_id_cnty` an earlier row already has is a further row of
/// that event (ACLED's monadic exports give one per actor): the event is
/// stored once, with the first row's date, place, fatalities and types and the
/// actors of every row; the report counts it in `duplicate_rows` and lists it
/// in `disagreements` if it differs from the first row on any of those.
///
/// # Errors
/// [`EventsError::MissingColumn`] if required columns are absent (all are
/// named), [`EventsError::Csv`] for an empty file, a non-UTF-8 header or a
/// used column given twice, [`EventsError::RecordTooLong`] for a record past
/// `opts.max_record_bytes`, [`EventsError::Io`] if reading fails.
pub fn read_events<R: Read>(
    reader: R,
    file_name: &str,
    opts: &ReadOptions,
) -> Result<(EventTable, LoadReport), EventsError> {
    let (mut records, names) = Records::open(reader, file_name, opts.max_record_bytes)?;
    let cols = Columns::find(
        &Header::new(names),
        opts.keep_notes || !opts.note_words.is_empty(),
    )
    .map_err(|e| e.into_error(file_name))?;
    let note_words: Vec<String> = opts
        .note_words
        .iter()
        .take(super::MAX_NOTE_WORDS)
        .map(|w| w.to_lowercase())
        .collect();
    let mut table = EventTable::new(opts.keep_notes, note_words.clone());
    // Reused across rows: the lowercased notes of the current row.
    let mut lower = String::new();
    let mut report = LoadReport::new(file_name);
    // Reused across rows so that tag interning does not allocate per row.
    let mut tag_buf = Vec::new();
    records.each_row(&mut report, |record, line| {
        let event = parse_row(record, &cols, line)?;
        let hits = note_hits(event.notes, &note_words, &mut lower);
        Ok(match table.push(&event, hits, &mut tag_buf)? {
            Pushed::New => Stored::New,
            Pushed::Merged { first, differs } => Stored::Duplicate(Disagreement::from_fields(
                event.event_id,
                u64::from(table.line(first)),
                line,
                &differs,
            )),
        })
    })?;
    table.shrink_to_fit();
    Ok((table, report))
}

/// Field indexes of the columns used.
struct Columns {
    event_date: usize,
    event_type: usize,
    sub_event_type: usize,
    latitude: usize,
    longitude: usize,
    fatalities: usize,
    event_id: Option<usize>,
    actor1: Option<usize>,
    actor2: Option<usize>,
    inter1: Option<usize>,
    civilian_targeting: Option<usize>,
    admin1: Option<usize>,
    location: Option<usize>,
    geo_precision: Option<usize>,
    time_precision: Option<usize>,
    /// Looked up only with `keep_notes`, so unused notes cost nothing.
    notes: Option<usize>,
    tags: Option<usize>,
    timestamp: Option<usize>,
}

impl Columns {
    fn find(header: &Header, keep_notes: bool) -> Result<Self, HeaderError> {
        let mut required = [0; REQUIRED.len()];
        let mut missing = Vec::new();
        for (slot, name) in required.iter_mut().zip(REQUIRED) {
            match header.find(name).map_err(HeaderError::Invalid)? {
                Some(i) => *slot = i,
                None => missing.push(name.to_owned()),
            }
        }
        if !missing.is_empty() {
            return Err(HeaderError::Missing(missing));
        }
        let opt = |name| header.find(name).map_err(HeaderError::Invalid);
        let [
            event_date,
            event_type,
            sub_event_type,
            latitude,
            longitude,
            fatalities,
        ] = required;
        Ok(Self {
            event_date,
            event_type,
            sub_event_type,
            latitude,
            longitude,
            fatalities,
            event_id: opt("event_id_cnty")?,
            actor1: opt("actor1")?,
            actor2: opt("actor2")?,
            inter1: opt("inter1")?,
            civilian_targeting: opt("civilian_targeting")?,
            admin1: opt("admin1")?,
            location: opt("location")?,
            geo_precision: opt("geo_precision")?,
            time_precision: opt("time_precision")?,
            notes: if keep_notes { opt("notes")? } else { None },
            tags: opt("tags")?,
            timestamp: opt("timestamp")?,
        })
    }
}

/// Validates one record; the error is the rejection reason.
fn parse_row<'r>(rec: &'r ByteRecord, c: &Columns, line: u64) -> Result<NewEvent<'r>, String> {
    let date_text = required(rec, c.event_date, "event_date")?;
    let date = parse_event_date(date_text)
        .ok_or_else(|| format!("event_date: unparsable date {}", shown(date_text)))?;
    let lat = coordinate(required(rec, c.latitude, "latitude")?, "latitude", 90.0)?;
    let lon = coordinate(required(rec, c.longitude, "longitude")?, "longitude", 180.0)?;
    Ok(NewEvent {
        date: date_to_days(date),
        timestamp: timestamp(opt_cell(rec, c.timestamp, "timestamp")?)?,
        lat,
        lon,
        fatalities: fatalities(required(rec, c.fatalities, "fatalities")?)?,
        geo_precision: precision(
            opt_cell(rec, c.geo_precision, "geo_precision")?,
            "geo_precision",
        )?,
        time_precision: precision(
            opt_cell(rec, c.time_precision, "time_precision")?,
            "time_precision",
        )?,
        event_type: required(rec, c.event_type, "event_type")?,
        sub_event_type: required(rec, c.sub_event_type, "sub_event_type")?,
        actor1: opt_cell(rec, c.actor1, "actor1")?,
        actor2: opt_cell(rec, c.actor2, "actor2")?,
        admin1: opt_cell(rec, c.admin1, "admin1")?,
        location: opt_cell(rec, c.location, "location")?,
        inter1: opt_cell(rec, c.inter1, "inter1")?,
        civilian_targeting: civilian_targeting(opt_cell(
            rec,
            c.civilian_targeting,
            "civilian_targeting",
        )?)?,
        tags: opt_cell(rec, c.tags, "tags")?,
        event_id: opt_cell(rec, c.event_id, "event_id_cnty")?,
        notes: match c.notes {
            Some(i) => cell(rec, i, "notes")?,
            None => "",
        },
        line,
    })
}

/// A non-negative integer count.
fn fatalities(s: &str) -> Result<u32, String> {
    if let Ok(n) = s.parse::<u32>() {
        return Ok(n);
    }
    let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    Err(match s.strip_prefix('-') {
        Some(rest) if all_digits(rest) => format!("fatalities: negative {}", shown(s)),
        _ if all_digits(s) => format!("fatalities: too large {}", shown(s)),
        _ => format!("fatalities: not an integer: {}", shown(s)),
    })
}

/// geo_precision / time_precision: 1, 2 or 3; blank (or no column) is 0.
fn precision(s: &str, column: &str) -> Result<u8, String> {
    if s.is_empty() {
        return Ok(0);
    }
    match s.parse::<u8>() {
        Ok(p @ 1..=3) => Ok(p),
        _ => Err(format!("{column}: {} is not 1, 2 or 3", shown(s))),
    }
}

/// Unix seconds; blank (or no column) is stored as `i64::MIN`, which is
/// therefore refused as a value.
fn timestamp(s: &str) -> Result<i64, String> {
    if s.is_empty() {
        return Ok(i64::MIN);
    }
    s.parse::<i64>()
        .ok()
        .filter(|&t| t != i64::MIN)
        .ok_or_else(|| format!("timestamp: not an integer: {}", shown(s)))
}

/// `Civilians targeted` (any case) or blank; anything else is a data error
/// worth seeing rather than a guess.
fn civilian_targeting(s: &str) -> Result<bool, String> {
    if s.is_empty() {
        Ok(false)
    } else if s.eq_ignore_ascii_case(CIVILIANS_TARGETED) {
        Ok(true)
    } else {
        Err(format!(
            "civilian_targeting: expected '{CIVILIANS_TARGETED}' or blank, found {}",
            shown(s)
        ))
    }
}

/// Bit k set when note word k occurs in the notes (words already lowercased).
fn note_hits(notes: &str, words: &[String], lower: &mut String) -> u64 {
    if words.is_empty() || notes.is_empty() {
        return 0;
    }
    lower.clear();
    lower.extend(notes.chars().flat_map(char::to_lowercase));
    words
        .iter()
        .enumerate()
        .filter(|(_, w)| lower.contains(w.as_str()))
        .fold(0, |mask, (k, _)| mask | (1u64 << k))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(csv: &str) -> (EventTable, LoadReport) {
        read_events(csv.as_bytes(), "t.csv", &ReadOptions::default()).expect("loads")
    }

    #[test]
    fn cell_validators() {
        assert_eq!(fatalities("0"), Ok(0));
        assert_eq!(fatalities("+3"), Ok(3));
        assert!(fatalities("-1").is_err_and(|e| e.contains("negative")));
        assert!(fatalities("1.5").is_err_and(|e| e.contains("not an integer")));
        assert!(fatalities("99999999999").is_err_and(|e| e.contains("too large")));
        assert_eq!(precision("", "p"), Ok(0));
        assert_eq!(precision("2", "p"), Ok(2));
        assert!(precision("0", "p").is_err() && precision("4", "p").is_err());
        assert_eq!(timestamp(""), Ok(i64::MIN));
        assert_eq!(timestamp("1718000000"), Ok(1_718_000_000));
        assert!(timestamp("1.7e9").is_err());
        assert_eq!(civilian_targeting("civilians targeted"), Ok(true));
        assert_eq!(civilian_targeting(""), Ok(false));
        assert!(civilian_targeting("yes").is_err());
    }

    #[test]
    fn minimal_columns_any_order() {
        let (t, r) = load(
            "fatalities,longitude,latitude,sub_event_type,event_type,event_date,extra\n\
             3,-8.0,12.6,Armed clash,Battles,2024-01-02,ignored\n",
        );
        assert_eq!((r.rows_accepted, r.rejected_count), (1, 0));
        assert_eq!(t.fatalities(), &[3]);
        assert_eq!(t.event_type_name(0), "Battles");
        assert_eq!(t.actor1_name(0), "");
        assert_eq!(t.timestamp(0), None);
        assert_eq!(t.geo_precisions(), &[0]);
        assert_eq!(t.notes(0), None);
    }

    #[test]
    fn notes_kept_only_on_request() {
        let csv = "event_date,event_type,sub_event_type,latitude,longitude,fatalities,notes\n\
                   2024-01-02,Battles,Armed clash,12.6,-8.0,0,\"long, free text\"\n";
        let (t, _) = read_events(
            csv.as_bytes(),
            "t",
            &ReadOptions {
                keep_notes: true,
                ..ReadOptions::default()
            },
        )
        .unwrap();
        assert_eq!(t.notes(0), Some("long, free text"));
        let (t, _) = load(csv);
        assert_eq!(t.notes(0), None);
    }

    #[test]
    fn duplicate_used_column_is_an_error() {
        let csv = "event_date,event_type,sub_event_type,latitude,longitude,fatalities,latitude\n";
        let err = read_events(csv.as_bytes(), "t", &ReadOptions::default()).unwrap_err();
        assert!(
            matches!(err, EventsError::Csv { ref message, .. } if message.contains("latitude"))
        );
    }
}
