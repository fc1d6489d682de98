//! Whether a data file covers the windows the model's derived indicators read: an events
//! file that ends long before the as-of date, starts after a window begins or holds no
//! event (known by the as-of date) scores a place as quieter than it is; a positions file
//! with no position active on the as-of date leaves the army out. This finds those gaps
//! and the indicators they touch; `prepare` decides whether they warn or stop scoring.

use serde::Serialize;

use super::compute::{DerivedValue, day_date, known_by};
use super::data::{EventData, PositionData};
use super::spec::Derived;
use crate::model::Model;

/// One way a data file falls short of what indicators read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverageGap {
    /// `empty` (no usable row), `nothing_known` (no event uploaded by the as-of date,
    /// when back-testing), `stale` (the last event is too long before the as-of date),
    /// `late_start` (the first event is too long after a window begins) or
    /// `no_active_position`.
    pub kind: &'static str,
    /// The file as named.
    pub file: String,
    /// What is wrong, naming the file, its date range and the indicators affected.
    pub message: String,
    /// Ids of the indicators affected.
    pub indicators: Vec<String>,
}

/// The gaps of one file and, for each affected derived value (by index into the model's
/// derived indicators), a short note for its trace.
#[derive(Debug, Default)]
pub(crate) struct Gaps {
    pub gaps: Vec<CoverageGap>,
    pub notes: Vec<(usize, String)>,
}

impl Gaps {
    fn add(&mut self, kind: &'static str, file: &str, message: String, hit: &[(usize, &str)]) {
        self.gaps.push(CoverageGap {
            kind,
            file: file.to_string(),
            message,
            indicators: hit.iter().map(|(_, id)| id.to_string()).collect(),
        });
    }

    /// Writes each affected value's note into its trace (several gaps: joined by "; ").
    pub(crate) fn annotate(&self, values: &mut [DerivedValue]) {
        for (k, note) in &self.notes {
            if let Some(v) = values.get_mut(*k) {
                let c = v.trace.coverage.get_or_insert_with(String::new);
                if !c.is_empty() {
                    c.push_str("; ");
                }
                c.push_str(note);
            }
        }
    }
}

fn day(d: i32) -> String {
    day_date(d).to_string()
}

fn ids(list: &[(usize, &str)]) -> String {
    list.iter()
        .map(|(_, id)| format!("`{id}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The derived indicators reading events (`positions = false`) or positions, as
/// (index among the model's derived indicators, indicator id, declaration).
fn readers(model: &Model, positions: bool) -> Vec<(usize, &str, &Derived)> {
    model
        .derived()
        .iter()
        .enumerate()
        .filter(|(_, d)| d.kind.uses_positions() == positions)
        .map(|(k, d)| (k, model.input_id(d.indicator), d))
        .collect()
}

/// Gaps of an events file as of `as_of` (days since 1970-01-01). With `known_at_as_of`,
/// only events uploaded by the end of the as-of day (or without an upload time) count,
/// as they do for the indicators. `tolerance` is the model's `max_staleness_days`.
pub(crate) fn event_gaps(
    model: &Model,
    data: &EventData,
    as_of: i32,
    known_at_as_of: bool,
    tolerance: u32,
) -> Gaps {
    let mut out = Gaps::default();
    let readers = readers(model, false);
    if readers.is_empty() {
        return out;
    }
    let all: Vec<(usize, &str)> = readers.iter().map(|&(k, id, _)| (k, id)).collect();
    let file = data.file.as_str();
    let note_all = |out: &mut Gaps, note: &str| {
        out.notes
            .extend(all.iter().map(|&(k, _)| (k, note.to_string())));
    };
    if data.table.is_empty() {
        let r = &data.report;
        out.add(
            "empty",
            file,
            format!(
                "{file} holds no event ({} rows read, {} rejected): nothing is counted for {}",
                r.rows_read,
                r.rejected_count,
                ids(&all)
            ),
            &all,
        );
        note_all(&mut out, "the events file holds no event");
        return out;
    }
    let (first, last) = match known_range(data, as_of, known_at_as_of) {
        Some(range) => range,
        None => {
            let t = data.table.timestamps().iter().filter(|&&t| t != i64::MIN);
            let (lo, hi) = (t.clone().min(), t.max());
            let uploads = match (lo, hi) {
                (Some(lo), Some(hi)) => format!(", uploaded {} to {}", upload(*lo), upload(*hi)),
                _ => String::new(),
            };
            out.add(
                "nothing_known",
                file,
                format!(
                    "no event of {file} was uploaded by the as-of date {} (its events date from {} to {}{uploads}): back-tested, nothing is counted for {}",
                    day(as_of),
                    day(data.first_day.unwrap_or(as_of)),
                    day(data.last_day.unwrap_or(as_of)),
                    ids(&all)
                ),
                &all,
            );
            note_all(
                &mut out,
                "no event of the file was uploaded by the as-of date",
            );
            return out;
        }
    };
    let known = if known_at_as_of {
        " (events uploaded by the as-of date)"
    } else {
        ""
    };
    let tol = i64::from(tolerance);
    let behind = i64::from(as_of) - i64::from(last);
    if behind > tol {
        out.add(
            "stale",
            file,
            format!(
                "{file} holds events from {} to {}{known}: it ends {behind} days before the as-of date {} (more than the {tolerance} days allowed), so events since then are missing from {}",
                day(first),
                day(last),
                day(as_of),
                ids(&all)
            ),
            &all,
        );
        note_all(
            &mut out,
            &format!("the events file ends {behind} days before the as-of date"),
        );
    }
    let late: Vec<(usize, &str, i32)> = readers
        .iter()
        .map(|&(k, id, d)| (k, id, as_of - d.kind.lookback_days() as i32 + 1))
        .filter(|&(_, _, start)| i64::from(first) - i64::from(start) > tol)
        .collect();
    if !late.is_empty() {
        let list = late
            .iter()
            .map(|(_, id, start)| format!("`{id}` (from {})", day(*start)))
            .collect::<Vec<_>>()
            .join(", ");
        let hit: Vec<(usize, &str)> = late.iter().map(|&(k, id, _)| (k, id)).collect();
        out.add(
            "late_start",
            file,
            format!(
                "{file} holds events from {} to {}{known}: it starts more than {tolerance} days after the windows of {list} begin, so they count no event before {}",
                day(first),
                day(last),
                day(first)
            ),
            &hit,
        );
        for (k, _, start) in &late {
            out.notes.push((
                *k,
                format!(
                    "the events file starts {} days after this window begins",
                    i64::from(first) - i64::from(*start)
                ),
            ));
        }
    }
    out
}

/// First and last event dates among the events that count (all, or those known by the
/// as-of date); `None` when none does.
fn known_range(data: &EventData, as_of: i32, known_at_as_of: bool) -> Option<(i32, i32)> {
    if !known_at_as_of {
        return data.first_day.zip(data.last_day);
    }
    let t = &data.table;
    t.dates()
        .iter()
        .zip(t.timestamps())
        .filter(|&(_, &ts)| known_by(ts, as_of))
        .fold(None, |range: Option<(i32, i32)>, (&d, _)| {
            Some(range.map_or((d, d), |(lo, hi)| (lo.min(d), hi.max(d))))
        })
}

/// An upload time (Unix seconds) as its UTC date.
fn upload(t: i64) -> String {
    day(i32::try_from(t.div_euclid(86_400)).unwrap_or(if t < 0 { i32::MIN } else { i32::MAX }))
}

/// Gaps of a positions file as of `as_of`: no position at all, or none active that day.
pub(crate) fn position_gaps(model: &Model, data: &PositionData, as_of: i32) -> Gaps {
    let mut out = Gaps::default();
    let readers = readers(model, true);
    if readers.is_empty() {
        return out;
    }
    let all: Vec<(usize, &str)> = readers.iter().map(|&(k, id, _)| (k, id)).collect();
    let file = data.file.as_str();
    let (kind, message, note) = if data.positions.is_empty() {
        let r = &data.report;
        (
            "empty",
            format!(
                "{file} holds no army position ({} rows read, {} rejected): no army is found for {}",
                r.rows_read,
                r.rejected_count,
                ids(&all)
            ),
            "the positions file holds no position",
        )
    } else if !data.positions.iter().any(|p| p.active_on(day_date(as_of))) {
        (
            "no_active_position",
            format!(
                "no army position of {file} ({} in the file) is active on the as-of date {} (see their active_from and active_to): no army is found for {}",
                data.positions.len(),
                day(as_of),
                ids(&all)
            ),
            "no position of the file is active on the as-of date",
        )
    } else {
        return out;
    };
    out.add(kind, file, message, &all);
    out.notes
        .extend(all.iter().map(|&(k, _)| (k, note.to_string())));
    out
}
