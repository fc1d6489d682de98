//! Reading army positions (camps, bases, posts) from CSV, and deciding whether
//! a position is present on a given day.

use std::collections::HashMap;
use std::io::Read;

use csv::ByteRecord;
use jiff::civil::Date;

use super::dates::PartialDate;
use super::records::{Header, HeaderError, Records, coordinate, opt_cell, required, shown};
use super::{Disagreement, EventsError, LoadReport, ReadOptions, Stored};

/// A known army position.
#[derive(Debug, Clone, PartialEq)]
pub struct Position {
    /// Usually the town's name.
    pub name: String,
    /// Latitude in degrees, -90..=90.
    pub lat: f64,
    /// Longitude in degrees, -180..=180.
    pub lon: f64,
    /// Free text such as `army camp`, `army base`, `military region HQ`.
    pub kind: String,
    /// When a source saw the position (not when it was set up).
    pub observed: Option<PartialDate>,
    /// First period in which the position existed, if known.
    pub active_from: Option<PartialDate>,
    /// Last period in which the position existed, if known.
    pub active_to: Option<PartialDate>,
    /// Where the information comes from (`""` if not given).
    pub source: String,
    /// Physical CSV line of the row, for traces.
    pub line: u64,
}

impl Position {
    /// Present on `date`: `observed` is when a source saw the position, not
    /// when it started, so a position without `active_from` counts as
    /// present; `active_from` counts from the first day of its period,
    /// `active_to` to the last day of its period (inclusive).
    pub fn active_on(&self, date: Date) -> bool {
        self.active_from.is_none_or(|from| from.first_day() <= date)
            && self.active_to.is_none_or(|to| date <= to.last_day())
    }
}

/// Reads positions from a CSV with columns `name`, `latitude` (or `lat`),
/// `longitude` (or `lon`), `kind`, and optionally `observed`, `active_from`,
/// `active_to`, `source`, `notes` (notes are accepted but not kept), `id`. Dates are
/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. Bad rows are rejected with their line
/// and a reason; loading continues. A row with the same `id` (when given), else the
/// same name and kind (ignoring case), as an earlier row whose active period overlaps
/// its own is that position again: counted once (`duplicate_rows`), the first standing.
/// Records are limited to [`super::DEFAULT_MAX_RECORD_BYTES`] (see
/// [`read_positions_with`]).
///
/// # Errors
/// [`EventsError::MissingColumn`] if required columns are absent,
/// [`EventsError::Csv`] for an empty file, a non-UTF-8 header, a used column
/// given twice or both a column and its alias, [`EventsError::RecordTooLong`]
/// for a record past the limit, [`EventsError::Io`] if reading fails.
pub fn read_positions<R: Read>(
    reader: R,
    file_name: &str,
) -> Result<(Vec<Position>, LoadReport), EventsError> {
    read_positions_with(reader, file_name, &ReadOptions::default())
}

/// Like [`read_positions`], with options: only [`ReadOptions::max_record_bytes`] applies.
///
/// # Errors
/// As [`read_positions`], and [`EventsError::RecordTooLong`].
pub fn read_positions_with<R: Read>(
    reader: R,
    file_name: &str,
    opts: &ReadOptions,
) -> Result<(Vec<Position>, LoadReport), EventsError> {
    let (mut records, names) = Records::open(reader, file_name, opts.max_record_bytes)?;
    let cols = Columns::find(&Header::new(names)).map_err(|e| e.into_error(file_name))?;
    let mut positions: Vec<Position> = Vec::new();
    // Each position's key (see `key`) -> the indexes of the positions stored under it.
    let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
    let mut report = LoadReport::new(file_name);
    records.each_row(&mut report, |record, line| {
        let p = parse_row(record, &cols, line)?;
        let key = key(record, &cols, &p)?;
        let same = by_key.entry(key).or_default();
        if let Some(&first) = same.iter().find(|&&k| overlap(&positions[k], &p)) {
            let was = &positions[first];
            return Ok(Stored::Duplicate(Disagreement::from_fields(
                &format!("{} ({})", was.name, was.kind),
                was.line,
                line,
                &differences(was, &p),
            )));
        }
        same.push(positions.len());
        positions.push(p);
        Ok(Stored::New)
    })?;
    Ok((positions, report))
}

/// What makes two rows one position: the `id` column when the file has one and the cell
/// is not blank, else the name and kind (ignoring case). Rows with one key whose activity
/// periods do not overlap are successive periods of the position, kept apart.
fn key(rec: &ByteRecord, c: &Columns, p: &Position) -> Result<String, String> {
    let id = opt_cell(rec, c.id, "id")?;
    Ok(if id.is_empty() {
        format!("{}\u{0}{}", p.name.to_lowercase(), p.kind.to_lowercase())
    } else {
        format!("id\u{0}{id}")
    })
}

/// Whether two positions' activity periods share a day (an open end runs forever).
fn overlap(a: &Position, b: &Position) -> bool {
    let from = |p: &Position| p.active_from.map(|d| d.first_day());
    let to = |p: &Position| p.active_to.map(|d| d.last_day());
    let starts_before_end = |x: &Position, y: &Position| match (from(x), to(y)) {
        (Some(f), Some(t)) => f <= t,
        _ => true,
    };
    starts_before_end(a, b) && starts_before_end(b, a)
}

/// Fields on which a repeated position disagrees with the first: (column, first, this).
fn differences(was: &Position, now: &Position) -> Vec<(&'static str, String, String)> {
    let text = |d: Option<PartialDate>| d.map_or(String::new(), |d| d.to_string());
    [
        ("name", was.name.clone(), now.name.clone()),
        ("kind", was.kind.clone(), now.kind.clone()),
        ("latitude", was.lat.to_string(), now.lat.to_string()),
        ("longitude", was.lon.to_string(), now.lon.to_string()),
        ("active_from", text(was.active_from), text(now.active_from)),
        ("active_to", text(was.active_to), text(now.active_to)),
    ]
    .into_iter()
    .filter(|(_, a, b)| a != b)
    .collect()
}

/// Field indexes of the columns used.
struct Columns {
    name: usize,
    lat: usize,
    lon: usize,
    kind: usize,
    observed: Option<usize>,
    active_from: Option<usize>,
    active_to: Option<usize>,
    source: Option<usize>,
    id: Option<usize>,
}

impl Columns {
    fn find(h: &Header) -> Result<Self, HeaderError> {
        let find = |names: &[&str]| h.find_any(names).map_err(HeaderError::Invalid);
        let (name, lat, lon, kind) = (
            find(&["name"])?,
            find(&["latitude", "lat"])?,
            find(&["longitude", "lon"])?,
            find(&["kind"])?,
        );
        let missing: Vec<String> = [
            (name, "name"),
            (lat, "latitude"),
            (lon, "longitude"),
            (kind, "kind"),
        ]
        .into_iter()
        .filter(|(idx, _)| idx.is_none())
        .map(|(_, column)| column.to_owned())
        .collect();
        let (Some(name), Some(lat), Some(lon), Some(kind)) = (name, lat, lon, kind) else {
            return Err(HeaderError::Missing(missing));
        };
        Ok(Self {
            name,
            lat,
            lon,
            kind,
            observed: find(&["observed"])?,
            active_from: find(&["active_from"])?,
            active_to: find(&["active_to"])?,
            source: find(&["source"])?,
            id: find(&["id"])?,
        })
    }
}

/// Validates one record; the error is the rejection reason.
fn parse_row(rec: &ByteRecord, c: &Columns, line: u64) -> Result<Position, String> {
    let name = required(rec, c.name, "name")?;
    let lat = coordinate(required(rec, c.lat, "latitude")?, "latitude", 90.0)?;
    let lon = coordinate(required(rec, c.lon, "longitude")?, "longitude", 180.0)?;
    let kind = required(rec, c.kind, "kind")?;
    let observed = partial_date(rec, c.observed, "observed")?;
    let active_from = partial_date(rec, c.active_from, "active_from")?;
    let active_to = partial_date(rec, c.active_to, "active_to")?;
    if let (Some(from), Some(to)) = (active_from, active_to)
        && to.last_day() < from.first_day()
    {
        return Err(format!("active_to {to} is before active_from {from}"));
    }
    Ok(Position {
        name: name.to_owned(),
        lat,
        lon,
        kind: kind.to_owned(),
        observed,
        active_from,
        active_to,
        source: opt_cell(rec, c.source, "source")?.to_owned(),
        line,
    })
}

/// An optional partial-date cell: blank is `None`, unparsable is a reason.
fn partial_date(
    rec: &ByteRecord,
    idx: Option<usize>,
    column: &str,
) -> Result<Option<PartialDate>, String> {
    let s = opt_cell(rec, idx, column)?;
    if s.is_empty() {
        return Ok(None);
    }
    PartialDate::parse(s).map(Some).ok_or_else(|| {
        format!(
            "{column}: unparsable date {} (expected YYYY, YYYY-MM or YYYY-MM-DD)",
            shown(s)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn at(from: Option<&str>, to: Option<&str>) -> Position {
        Position {
            name: "X".into(),
            lat: 0.0,
            lon: 0.0,
            kind: "army camp".into(),
            observed: PartialDate::parse("2022"),
            active_from: from.and_then(PartialDate::parse),
            active_to: to.and_then(PartialDate::parse),
            source: String::new(),
            line: 2,
        }
    }

    #[test]
    fn activity_periods_are_inclusive() {
        assert!(at(None, None).active_on(date(1990, 1, 1)));
        let p = at(Some("2022-07"), Some("2024"));
        assert!(!p.active_on(date(2022, 6, 30)));
        assert!(p.active_on(date(2022, 7, 1)));
        assert!(p.active_on(date(2024, 12, 31)));
        assert!(!p.active_on(date(2025, 1, 1)));
        let day = at(Some("2023-03-05"), Some("2023-03-05"));
        assert!(day.active_on(date(2023, 3, 5)) && !day.active_on(date(2023, 3, 6)));
    }

    #[test]
    fn aliases_and_missing_columns() {
        let (p, r) = read_positions(
            "name,lat,lon,kind\nGao,16.27,-0.04,army base\n".as_bytes(),
            "p",
        )
        .unwrap();
        assert_eq!((p.len(), r.rows_accepted), (1, 1));
        assert_eq!(p[0].observed, None);
        let err = read_positions("name,lat,latitude,lon,kind\n".as_bytes(), "p").unwrap_err();
        assert!(matches!(err, EventsError::Csv { .. }));
        let err = read_positions("name,notes\n".as_bytes(), "p").unwrap_err();
        match err {
            EventsError::MissingColumn { columns, .. } => {
                assert_eq!(columns, ["latitude", "longitude", "kind"])
            }
            other => panic!("{other:?}"),
        }
    }
}
