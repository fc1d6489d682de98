//! Computing derived indicators for one site: the events and army positions that match each
//! indicator's declaration, the number they give, and a trace an auditor can check by hand
//! (parameters, how many events matched, the nearest and most recent of them).

use serde::Serialize;

use super::data::{EventData, PositionData};
use super::filter::Resolved;
use super::index::Around;
use super::spec::{DeriveKind, Derived, Precision3, SiteMeasure};
use crate::geo::{self, LatLon};
use crate::model::Model;
use crate::project::Site;

/// Events listed per trace (nearest and most recent each).
pub const TRACE_EVENTS: usize = 5;

/// What the computation needs besides the model.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The project's site; derived values need one.
    pub site: Option<&'a Site>,
    /// Days since 1970-01-01 of the as-of date: no event after it is used.
    pub as_of: i32,
    /// Back-testing: also drop events uploaded (ACLED `timestamp`) after the as-of date.
    pub known_at_as_of: bool,
    /// Events, if a file was given.
    pub events: Option<&'a EventData>,
    /// Army positions, if a file was given.
    pub positions: Option<&'a PositionData>,
}

/// One derived value and how it was obtained.
#[derive(Debug, Clone)]
pub struct DerivedValue {
    /// The indicator (input slot) it fills.
    pub indicator: u32,
    /// The value; NaN when it could not be computed (see the trace's note).
    pub value: f64,
    /// How it was obtained.
    pub trace: Trace,
}

/// The audit trail of one derived value.
#[derive(Debug, Clone, Serialize)]
pub struct Trace {
    /// Kind of derived value.
    pub kind: &'static str,
    /// The `derive` table as written in the model.
    pub parameters: String,
    /// The file the value comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// First and last day of the event window (YYYY-MM-DD), for event kinds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window: Option<[String; 2]>,
    /// Events (or positions) that matched.
    pub matched: u64,
    /// Of those events, how many are placed only at region level (geo_precision 3).
    pub matched_region_level: u64,
    /// The nearest matching events.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub nearest: Vec<EventRef>,
    /// The most recent matching events.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub most_recent: Vec<EventRef>,
    /// Army positions used, nearest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub positions: Vec<PositionRef>,
    /// Why the value is missing, or anything else a reader should know.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Where the data file does not cover what this value reads (the file ends long
    /// before the as-of date, starts after the window begins...): its points count as
    /// weak data in the assessment's data-quality headline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage: Option<String>,
}

/// One event as a trace shows it.
#[derive(Debug, Clone, Serialize)]
pub struct EventRef {
    /// ACLED event_id_cnty.
    pub id: String,
    /// Event date.
    pub date: String,
    /// Distance from the site, km.
    pub distance_km: f64,
    /// Fatalities.
    pub fatalities: u32,
    /// Event and sub-event type.
    pub event_type: String,
    /// Place name.
    pub location: String,
    /// ACLED geo_precision (0 when absent).
    pub geo_precision: u8,
    /// Weight the event counted with (decay x precision).
    pub weight: f64,
    /// Line of the event file.
    pub line: u64,
}

/// One army position as a trace shows it.
#[derive(Debug, Clone, Serialize)]
pub struct PositionRef {
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: String,
    /// Distance from the site, km (nearest point of a line).
    pub distance_km: f64,
    /// Line of the positions file.
    pub line: u64,
}

/// Computes every derived indicator of the model for one site.
pub fn compute(model: &Model, ctx: &Context<'_>) -> Vec<DerivedValue> {
    let resolved: Vec<Option<Resolved>> = model
        .derived()
        .iter()
        .map(|d| ctx.events.map(|e| Resolved::new(&d.matches, &e.table)))
        .collect();
    model
        .derived()
        .iter()
        .zip(&resolved)
        .map(|(d, r)| compute_one(d, r.as_ref(), ctx))
        .collect()
}

fn empty_trace(d: &Derived) -> Trace {
    Trace {
        kind: d.kind.name(),
        parameters: d.text.split_whitespace().collect::<Vec<_>>().join(" "),
        file: None,
        window: None,
        matched: 0,
        matched_region_level: 0,
        nearest: Vec::new(),
        most_recent: Vec::new(),
        positions: Vec::new(),
        note: None,
        coverage: None,
    }
}

fn missing(d: &Derived, mut trace: Trace, note: &str) -> DerivedValue {
    trace.note = Some(note.to_string());
    DerivedValue {
        indicator: d.indicator,
        value: f64::NAN,
        trace,
    }
}

fn compute_one(d: &Derived, resolved: Option<&Resolved>, ctx: &Context<'_>) -> DerivedValue {
    let trace = empty_trace(d);
    let Some(site) = ctx.site else {
        return missing(d, trace, "the project gives no site");
    };
    let around = match site {
        Site::Point { at } => Around::Point(*at),
        Site::Polyline { points } => Around::Line(points),
    };
    if d.kind.uses_positions() {
        return match ctx.positions {
            Some(p) => army(d, trace, around, p, ctx.as_of),
            None => missing(d, trace, "no army-position file was given"),
        };
    }
    let (Some(events), Some(resolved)) = (ctx.events, resolved) else {
        return missing(d, trace, "no event file was given");
    };
    from_events(d, trace, around, events, resolved, ctx)
}

/// A matching event with its distance, age in days and weight.
struct Hit {
    event: u32,
    distance_km: f64,
    age: i32,
    weight: f64,
}

fn from_events(
    d: &Derived,
    mut trace: Trace,
    around: Around<'_>,
    data: &EventData,
    resolved: &Resolved,
    ctx: &Context<'_>,
) -> DerivedValue {
    let table = &data.table;
    let radius = d.kind.radius_km().unwrap_or(0.0);
    let last = ctx.as_of;
    let first = last - d.kind.lookback_days() as i32 + 1;
    let half_life = match d.kind {
        DeriveKind::EventCount { half_life_days, .. }
        | DeriveKind::Fatalities { half_life_days, .. } => half_life_days,
        _ => None,
    };
    let mut hits = Vec::new();
    data.index
        .for_each_within(around, radius, first, last, |e, dist| {
            let i = e as usize;
            if ctx.known_at_as_of && !known_by(table.timestamps()[i], ctx.as_of) {
                return;
            }
            if !resolved.matches(table, i) {
                return;
            }
            let age = last - table.dates()[i];
            let precision = match (table.geo_precisions()[i], d.precision3) {
                (3, Precision3::Weight(w)) => w,
                (3, Precision3::Exclude) => 0.0,
                _ => 1.0,
            };
            let decay = half_life.map_or(1.0, |h| 0.5f64.powf(f64::from(age) / h));
            hits.push(Hit {
                event: e,
                distance_km: dist,
                age,
                weight: precision * decay,
            });
        });
    trace.file = Some(data.file.clone());
    trace.window = Some([day_text(first), day_text(last)]);
    trace.matched = hits.len() as u64;
    trace.matched_region_level = hits
        .iter()
        .filter(|h| table.geo_precisions()[h.event as usize] == 3)
        .count() as u64;
    let fatalities = |h: &Hit| f64::from(table.fatalities()[h.event as usize]);
    let value = match &d.kind {
        DeriveKind::EventCount { .. } => total(hits.iter().map(|h| h.weight)),
        DeriveKind::Fatalities { .. } => total(hits.iter().map(|h| h.weight * fatalities(h))),
        DeriveKind::Impact {
            incident_weight,
            fatality_weight,
            year_weights,
            ..
        } => {
            let points = |h: &Hit| h.weight * (incident_weight + fatality_weight * fatalities(h));
            if year_weights.is_empty() {
                total(hits.iter().map(points))
            } else {
                // Year k holds ages 365k .. 365(k+1); the weighted mean across years.
                let weight_sum: f64 = year_weights.iter().sum();
                let by_year = year_weights.iter().enumerate().map(|(k, w)| {
                    let k = k as i32;
                    w * total(hits.iter().filter(|h| h.age / 365 == k).map(points))
                });
                total(by_year) / weight_sum
            }
        }
        DeriveKind::Trend {
            recent_days,
            earlier_days,
            smoothing,
            ..
        } => {
            // A file that starts inside the earlier window makes it look quieter than it was.
            if let Some(start) = data.first_day
                && start > first
            {
                trace.note = Some(format!(
                    "the event file starts on {}, after the earlier window begins ({}): the earlier rate is understated and the trend overstated",
                    day_text(start),
                    day_text(first)
                ));
            }
            let recent = total(
                hits.iter()
                    .filter(|h| h.age < *recent_days as i32)
                    .map(|h| h.weight),
            );
            let earlier = total(
                hits.iter()
                    .filter(|h| h.age >= *recent_days as i32)
                    .map(|h| h.weight),
            );
            ((recent + smoothing) / f64::from(*recent_days))
                / ((earlier + smoothing) / f64::from(*earlier_days))
        }
        DeriveKind::PrecisionShare { .. } => {
            if hits.is_empty() {
                trace.note = Some("no matching event: the share is taken as 0".to_string());
                0.0
            } else {
                trace.matched_region_level as f64 / hits.len() as f64
            }
        }
        DeriveKind::ArmyDistance { .. } | DeriveKind::ArmyCount { .. } => f64::NAN,
    };
    let to_ref = |h: &Hit| {
        let i = h.event as usize;
        EventRef {
            id: table.event_id(i).to_string(),
            date: day_text(table.dates()[i]),
            distance_km: h.distance_km,
            fatalities: table.fatalities()[i],
            event_type: format!(
                "{} / {}",
                table.event_type_name(i),
                table.sub_event_type_name(i)
            ),
            location: table.location_name(i).to_string(),
            geo_precision: table.geo_precisions()[i],
            weight: h.weight,
            line: u64::from(table.line(i)),
        }
    };
    let mut by_distance: Vec<&Hit> = hits.iter().collect();
    by_distance.sort_by(|a, b| {
        a.distance_km
            .total_cmp(&b.distance_km)
            .then(a.event.cmp(&b.event))
    });
    trace.nearest = by_distance
        .iter()
        .take(TRACE_EVENTS)
        .map(|h| to_ref(h))
        .collect();
    let mut by_date: Vec<&Hit> = hits.iter().collect();
    by_date.sort_by(|a, b| {
        a.age
            .cmp(&b.age)
            .then(a.distance_km.total_cmp(&b.distance_km))
            .then(a.event.cmp(&b.event))
    });
    trace.most_recent = by_date
        .iter()
        .take(TRACE_EVENTS)
        .map(|h| to_ref(h))
        .collect();
    DerivedValue {
        indicator: d.indicator,
        value,
        trace,
    }
}

fn army(
    d: &Derived,
    mut trace: Trace,
    around: Around<'_>,
    data: &PositionData,
    as_of: i32,
) -> DerivedValue {
    let kinds = match &d.kind {
        DeriveKind::ArmyDistance { kinds, .. } | DeriveKind::ArmyCount { kinds, .. } => kinds,
        _ => return missing(d, trace, "not a position kind"),
    };
    let day = day_date(as_of);
    let active: Vec<_> = data
        .positions
        .iter()
        .filter(|p| kinds.is_empty() || kinds.iter().any(|k| k.eq_ignore_ascii_case(&p.kind)))
        .filter(|p| p.active_on(day))
        .collect();
    trace.file = Some(data.file.clone());
    let mut refs: Vec<PositionRef> = active
        .iter()
        .map(|p| PositionRef {
            name: p.name.clone(),
            kind: p.kind.clone(),
            distance_km: around.distance_km(LatLon {
                lat: p.lat,
                lon: p.lon,
            }),
            line: p.line,
        })
        .collect();
    refs.sort_by(|a, b| {
        a.distance_km
            .total_cmp(&b.distance_km)
            .then(a.name.cmp(&b.name))
    });
    let value = match &d.kind {
        DeriveKind::ArmyCount { radius_km, .. } => {
            refs.retain(|p| p.distance_km <= *radius_km);
            refs.len() as f64
        }
        DeriveKind::ArmyDistance {
            measure, step_km, ..
        } => {
            if refs.is_empty() {
                trace.note =
                    Some("no army position of these kinds is active on the as-of date".to_string());
                f64::NAN
            } else {
                match (around, measure) {
                    (Around::Line(line), SiteMeasure::WorstPoint) => {
                        let targets: Vec<LatLon> = active
                            .iter()
                            .map(|p| LatLon {
                                lat: p.lat,
                                lon: p.lon,
                            })
                            .collect();
                        let (dist, at) = geo::worst_point_distance_km(line, &targets, *step_km);
                        trace.note = Some(format!(
                            "worst point of the line at {:.5}, {:.5}, sampled every {step_km} km",
                            at.lat, at.lon
                        ));
                        dist
                    }
                    _ => refs[0].distance_km,
                }
            }
        }
        _ => f64::NAN,
    };
    trace.matched = refs.len() as u64;
    refs.truncate(TRACE_EVENTS);
    trace.positions = refs;
    DerivedValue {
        indicator: d.indicator,
        value,
        trace,
    }
}

pub use crate::events::{date_to_days as day_number, days_to_date as day_date};

/// Whether an event uploaded at `timestamp` (Unix seconds; `i64::MIN` for a row without
/// one, which counts as known) was known by the end of day `as_of`: uploads up to the end
/// of the as-of day count as known then.
pub(crate) fn known_by(timestamp: i64, as_of: i32) -> bool {
    timestamp == i64::MIN || timestamp < (i64::from(as_of) + 1) * 86_400
}

/// A sum that is +0 when empty: `Iterator::sum` of no floats is -0.0, which reports print
/// as "-0".
fn total(xs: impl Iterator<Item = f64>) -> f64 {
    xs.fold(0.0, |a, b| a + b)
}

fn day_text(day: i32) -> String {
    day_date(day).to_string()
}
