//! Derived indicators from events and positions: the index agrees with the naive scan,
//! windows and radii have documented boundaries, each kind computes what the docs say, and
//! the worked example derives its security pillar from the data pack.

#[path = "support/synthetic.rs"]
mod synthetic;

use proptest::prelude::*;
use vigie::derive::index::{Around, EventIndex};
use vigie::derive::{self, EventData, PositionData, Prepared};
use vigie::geo::{self, LatLon};
use vigie::{Code, Model, Project};

/// Builds a model whose only indicator is derived with the given `derive` table body.
fn model(derive: &str) -> Model {
    let text = format!(
        r#"[model]
id = "d"
name = "Derived"
version = "1.0.0"
effective = 2025-01-01
scale = [0, 100]

[indicators.x]
label = "X"
direction = "higher_is_riskier"
missing = "drop"
normalise = {{ method = "goalposts", min = 0, max = 1000 }}
[indicators.x.derive]
{derive}

[indicators.y]
label = "Y"
direction = "higher_is_riskier"
normalise = {{ method = "identity" }}

[groups.root]
children = ["x", "y"]
aggregation = "arithmetic"

[[bands]]
label = "Low"
from = 0
"#
    );
    Model::from_toml("m.toml", &text).unwrap_or_else(|e| panic!("{:#?}", e.diagnostics()))
}

fn project(site: &str, as_of: &str) -> Project {
    let text = format!(
        "[project]\nid = \"p\"\nname = \"P\"\ncountry = \"MLI\"\nas_of = {as_of}\n[project.site]\n{site}\n[values]\ny = 1\n"
    );
    Project::from_toml("p.toml", &text).unwrap()
}

const POINT: &str = "kind = \"point\"\nlat = 14.0\nlon = -10.0";

/// Loads rows keeping the notes text (so any model's note filters work on it).
fn events(rows: &[&str]) -> EventData {
    let opts = vigie::events::ReadOptions {
        keep_notes: true,
        ..vigie::events::ReadOptions::default()
    };
    events_with(rows, &opts)
}

/// Loads rows as `vigie score` does for a model: note words matched while reading, the
/// text dropped.
fn events_with(rows: &[&str], opts: &vigie::events::ReadOptions) -> EventData {
    let mut csv = String::from(
        "event_id_cnty,event_date,event_type,sub_event_type,latitude,longitude,fatalities,geo_precision,tags,notes,timestamp\n",
    );
    for r in rows {
        csv.push_str(r);
        csv.push('\n');
    }
    EventData::from_bytes("e.csv", csv.as_bytes(), opts).unwrap()
}

fn run(
    m: &Model,
    p: &Project,
    e: Option<&EventData>,
    pos: Option<&PositionData>,
    known: bool,
) -> Prepared {
    derive::prepare(m, p, vigie::events::date_to_days(p.as_of), known, e, pos)
}

fn value(m: &Model, p: &Project, e: &EventData) -> f64 {
    run(m, p, Some(e), None, false).values[0].value
}

/// A point `km` kilometres due north of (14, -10).
fn north(km: f64) -> f64 {
    14.0 + km / geo::EARTH_RADIUS_KM * 180.0 / std::f64::consts::PI
}

#[test]
fn window_includes_the_as_of_day_and_excludes_day_n() {
    let m = model("kind = \"event_count\"\nradius_km = 100\nwindow_days = 10");
    let p = project(POINT, "2025-10-31");
    let e = events(&[
        "A,2025-10-31,Battles,Armed clash,14.0,-10.0,0,1,,,", // as-of day: in
        "B,2025-10-22,Battles,Armed clash,14.0,-10.0,0,1,,,", // 9 days before: in
        "C,2025-10-21,Battles,Armed clash,14.0,-10.0,0,1,,,", // 10 days before: out
        "D,2025-11-01,Battles,Armed clash,14.0,-10.0,0,1,,,", // after the as-of date: never
    ]);
    assert_eq!(value(&m, &p, &e), 2.0);
}

#[test]
fn radius_is_inclusive_and_tested_on_both_sides() {
    let m = model("kind = \"event_count\"\nradius_km = 50\nwindow_days = 365");
    let p = project(POINT, "2025-10-31");
    let inside = format!(
        "IN,2025-10-01,Battles,Armed clash,{},-10.0,0,1,,,",
        north(49.999)
    );
    let outside = format!(
        "OUT,2025-10-01,Battles,Armed clash,{},-10.0,0,1,,,",
        north(50.001)
    );
    let e = events(&[&inside, &outside]);
    assert_eq!(value(&m, &p, &e), 1.0);
    // The index's boundary test is haversine itself: an event at the computed distance of
    // a radius counts when the radius is that distance.
    let d = geo::haversine_km(
        LatLon {
            lat: 14.0,
            lon: -10.0,
        },
        LatLon {
            lat: north(49.999),
            lon: -10.0,
        },
    );
    let idx = EventIndex::build(&[north(49.999)], &[-10.0], &[0], 0.5);
    assert_eq!(
        idx.count_within(
            LatLon {
                lat: 14.0,
                lon: -10.0
            },
            d,
            0,
            0
        ),
        1
    );
    assert_eq!(
        idx.count_within(
            LatLon {
                lat: 14.0,
                lon: -10.0
            },
            d * (1.0 - 1e-12),
            0,
            0
        ),
        0
    );
}

#[test]
fn decay_halves_weight_at_the_half_life() {
    let m =
        model("kind = \"event_count\"\nradius_km = 100\nwindow_days = 365\nhalf_life_days = 30");
    let p = project(POINT, "2025-10-31");
    let e = events(&[
        "A,2025-10-31,Battles,Armed clash,14.0,-10.0,0,1,,,", // age 0: weight 1
        "B,2025-10-01,Battles,Armed clash,14.0,-10.0,0,1,,,", // age 30: weight 0.5
        "C,2025-08-02,Battles,Armed clash,14.0,-10.0,0,1,,,", // age 90: weight 0.125
    ]);
    assert!((value(&m, &p, &e) - 1.625).abs() < 1e-12);
}

#[test]
fn region_level_events_count_as_the_model_says() {
    let rows = [
        "A,2025-10-01,Battles,Armed clash,14.0,-10.0,4,1,,,",
        "B,2025-10-01,Battles,Armed clash,14.0,-10.0,6,3,,,",
    ];
    let p = project(POINT, "2025-10-31");
    let e = events(&rows);
    let base = "kind = \"fatalities\"\nradius_km = 100\nwindow_days = 365";
    assert_eq!(value(&model(base), &p, &e), 10.0);
    assert_eq!(
        value(
            &model(&format!(
                "{base}\ngeo_precision_3 = \"weight\"\ngeo_precision_3_weight = 0.5"
            )),
            &p,
            &e
        ),
        7.0
    );
    assert_eq!(
        value(
            &model(&format!("{base}\ngeo_precision_3 = \"exclude\"")),
            &p,
            &e
        ),
        4.0
    );
    let share = model("kind = \"precision_share\"\nradius_km = 100\nwindow_days = 365");
    assert_eq!(value(&share, &p, &e), 0.5);
}

#[test]
fn trend_is_finite_with_no_earlier_events() {
    let m = model(
        "kind = \"trend\"\nradius_km = 100\nrecent_days = 365\nearlier_days = 1095\nsmoothing = 1",
    );
    let p = project(POINT, "2025-10-31");
    let e = events(&[
        "A,2025-10-01,Battles,Armed clash,14.0,-10.0,0,1,,,",
        "B,2025-09-01,Battles,Armed clash,14.0,-10.0,0,1,,,",
        "C,2023-09-01,Battles,Armed clash,14.0,-10.0,0,1,,,",
    ]);
    // ((2 + 1)/365) / ((1 + 1)/1095) = 4.5
    assert!((value(&m, &p, &e) - 4.5).abs() < 1e-12);
    let only_recent = events(&["A,2025-10-01,Battles,Armed clash,14.0,-10.0,0,1,,,"]);
    let out = run(&m, &p, Some(&only_recent), None, false);
    // ((1 + 1)/365) / ((0 + 1)/1095) = 6, and the trace says the file starts late.
    assert!((out.values[0].value - 6.0).abs() < 1e-12);
    assert!(
        out.values[0]
            .trace
            .note
            .as_deref()
            .unwrap()
            .contains("starts on 2025-10-01")
    );
}

#[test]
fn impact_with_year_weights_averages_years() {
    let m = model(
        "kind = \"impact\"\nradius_km = 100\nincident_weight = 1\nfatality_weight = 2\nyear_weights = [3, 1]",
    );
    let p = project(POINT, "2025-10-31");
    let e = events(&[
        "A,2025-10-01,Battles,Armed clash,14.0,-10.0,1,1,,,", // year 0: 1 + 2x1 = 3
        "B,2024-06-01,Battles,Armed clash,14.0,-10.0,5,1,,,", // year 1: 1 + 2x5 = 11
        "C,2023-06-01,Battles,Armed clash,14.0,-10.0,9,1,,,", // outside 730 days
    ]);
    // (3 x 3 + 1 x 11) / 4 = 5
    assert!((value(&m, &p, &e) - 5.0).abs() < 1e-12);
}

#[test]
fn filters_select_the_covec_base_attack_without_a_tag() {
    // A real ACLED export has no "foreign interests" tag: the base raid is coded as
    // Strategic developments / Looting/property destruction, named in the notes.
    let m = model(
        r#"kind = "event_count"
radius_km = 100
window_days = 365
[[indicators.x.derive.match]]
tags = ["foreign interests"]
[[indicators.x.derive.match]]
event_type = ["Strategic developments"]
sub_event_type = ["Looting/property destruction"]
notes = ["chinese", "covec"]"#,
    );
    let p = project(POINT, "2025-10-31");
    let rows = [
        "RAID,2025-05-24,Strategic developments,Looting/property destruction,14.0,-10.0,0,3,,Night attack on the COVEC base; Chinese managers sought,",
        "TAG,2025-05-04,Battles,Armed clash,14.0,-10.0,0,3,foreign interests,,",
        "LOOT,2025-05-04,Strategic developments,Looting/property destruction,14.0,-10.0,0,1,,Cattle looted in a village,",
        "OTHER,2025-05-04,Battles,Armed clash,14.0,-10.0,0,1,,Chinese company mentioned,",
    ];
    let e = events(&rows);
    let out = run(&m, &p, Some(&e), None, false);
    assert_eq!(out.values[0].value, 2.0);
    let ids: Vec<&str> = out.values[0]
        .trace
        .most_recent
        .iter()
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(ids, ["RAID", "TAG"]);
    // Loaded as `vigie score` loads for this model: words matched while reading, the notes
    // text not kept; same answer.
    let lean = events_with(&rows, &m.read_options());
    assert!(lean.table.notes(0).is_none());
    assert_eq!(m.note_words(), ["chinese", "covec"]);
    assert_eq!(run(&m, &p, Some(&lean), None, false).values[0].value, 2.0);
}

#[test]
fn back_testing_drops_events_uploaded_after_the_as_of_date() {
    let m = model("kind = \"event_count\"\nradius_km = 100\nwindow_days = 365");
    let p = project(POINT, "2025-10-31");
    // 2025-10-31T23:59:59Z = 1761955199 (known then); one second later is not.
    let e = events(&[
        "A,2025-10-30,Battles,Armed clash,14.0,-10.0,0,1,,,1761955199",
        "B,2025-10-30,Battles,Armed clash,14.0,-10.0,0,1,,,1761955200",
        "C,2025-10-30,Battles,Armed clash,14.0,-10.0,0,1,,,",
    ]);
    assert_eq!(run(&m, &p, Some(&e), None, false).values[0].value, 3.0);
    assert_eq!(run(&m, &p, Some(&e), None, true).values[0].value, 2.0);
}

#[test]
fn army_distance_nearest_approach_and_worst_point_on_a_road() {
    let road = "kind = \"polyline\"\npoints = [[14.44776, -11.44393], [14.70389, -10.30583]]";
    let p = project(road, "2025-10-31");
    let pos = PositionData::from_bytes(
        "pos.csv",
        b"name,latitude,longitude,kind,observed\nKayes,14.44776,-11.44393,army camp,2025-07-01\nSandare,14.70389,-10.30583,army position,2025-07-01\nYelimane,15.11868,-10.57729,army camp,2022\nGone,14.6,-10.9,army camp,2020\n",
    )
    .unwrap();
    let nearest = model(
        "kind = \"army_distance\"\nmeasure = \"nearest_approach\"\nkinds = [\"army camp\", \"army position\"]",
    );
    let out = run(&nearest, &p, None, Some(&pos), false);
    assert_eq!(
        out.values[0].value, 0.0,
        "the Kayes camp sits at the road's end"
    );
    let worst = model(
        "kind = \"army_distance\"\nmeasure = \"worst_point\"\nkinds = [\"army camp\", \"army position\"]",
    );
    // "Gone" (a camp on the road's middle) counts too: it has no active_to.
    let out = run(&worst, &p, None, Some(&pos), false);
    assert!(out.values[0].value < 40.0, "{}", out.values[0].value);
    let count = model("kind = \"army_count\"\nradius_km = 10");
    assert_eq!(
        run(&count, &p, None, Some(&pos), false).values[0].value,
        3.0
    );
}

#[test]
fn missing_data_files_leave_the_value_missing_with_a_reason() {
    let m = model("kind = \"event_count\"\nradius_km = 100\nwindow_days = 365");
    let out = run(&m, &project(POINT, "2025-10-31"), None, None, false);
    assert!(out.values[0].value.is_nan());
    assert_eq!(
        out.values[0].trace.note.as_deref(),
        Some("no event file was given")
    );
}

#[test]
fn a_project_value_for_a_derived_indicator_is_an_error() {
    let m = model("kind = \"event_count\"\nradius_km = 100\nwindow_days = 365");
    let text = format!(
        "[project]\nid = \"p\"\nname = \"P\"\ncountry = \"MLI\"\nas_of = 2025-10-31\n[project.site]\n{POINT}\n[values]\ny = 1\nx = 5\n"
    );
    let p = Project::from_toml("p.toml", &text).unwrap();
    let (bound, diags) = vigie::bind::bind(&m, &p);
    assert!(bound.is_none());
    assert_eq!(diags[0].code, Code::DerivedValueGiven);
    assert_eq!(diags[0].location.as_ref().unwrap().line, 12);
}

#[test]
fn rejected_rows_are_warnings_or_errors_as_the_model_says() {
    let p = project(POINT, "2025-10-31");
    let e = events(&[
        "A,2025-13-01,Battles,Armed clash,14.0,-10.0,0,1,,,",
        "B,2025-10-01,Battles,Armed clash,14.0,-10.0,0,1,,,",
    ]);
    let warn = model("kind = \"event_count\"\nradius_km = 100\nwindow_days = 365");
    let out = run(&warn, &p, Some(&e), None, false);
    assert_eq!(out.values[0].value, 1.0);
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(out.diagnostics[0].code, Code::RejectedRow);
    assert_eq!(out.diagnostics[0].location.as_ref().unwrap().line, 2);
    assert_eq!(
        (
            out.files[0].rows_read,
            out.files[0].rows_rejected,
            out.files[0].rows_used
        ),
        (2, 1, 1)
    );
    let strict_text =
        warn_model_text().replace("[model]", "[data]\nrejected_rows = \"error\"\n\n[model]");
    let strict = Model::from_toml("m.toml", &strict_text).unwrap();
    let out = run(&strict, &p, Some(&e), None, false);
    assert_eq!(out.diagnostics[0].code, Code::RejectedRowFatal);
}

fn warn_model_text() -> String {
    r#"[model]
id = "d"
name = "Derived"
version = "1.0.0"
effective = 2025-01-01
scale = [0, 100]
[indicators.x]
label = "X"
direction = "higher_is_riskier"
normalise = { method = "goalposts", min = 0, max = 10 }
derive = { kind = "event_count", radius_km = 100, window_days = 365 }
[groups.root]
children = ["x"]
aggregation = "arithmetic"
[[bands]]
label = "Low"
from = 0
"#
    .to_string()
}

#[test]
fn unknown_acled_type_in_a_filter_is_located_with_a_suggestion() {
    let text = warn_model_text().replace(
        "derive = { kind = \"event_count\", radius_km = 100, window_days = 365 }",
        "derive = { kind = \"event_count\", radius_km = 100, window_days = 365, match = [{ event_type = [\"Battle\"] }] }",
    );
    let err = Model::from_toml("m.toml", &text).unwrap_err();
    let d = &err.diagnostics()[0];
    assert_eq!(d.code, Code::InvalidValue);
    assert_eq!(d.help.as_deref(), Some("did you mean \"Battles\"?"));
    assert_eq!(d.location.as_ref().unwrap().line, 11);
}

#[test]
fn index_matches_naive_scan_on_synthetic_data() {
    let e = synthetic::events(20_000, 7);
    let idx = EventIndex::build(&e.lat, &e.lon, &e.date, 0.5);
    for site in synthetic::sites(200, 8) {
        for (radius, window) in [(100.0, 365), (25.0, 30), (400.0, 1095)] {
            let first = synthetic::AS_OF - window + 1;
            assert_eq!(
                idx.count_within(site, radius, first, synthetic::AS_OF),
                synthetic::naive_count(&e, site, radius, first, synthetic::AS_OF),
                "site {site:?} radius {radius} window {window}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The index returns exactly the naive scan's events, for points and lines, anywhere
    /// on earth (poles and the antimeridian included) and any cell size.
    #[test]
    fn index_equals_naive_scan(
        pts in prop::collection::vec((-90.0f64..=90.0, -180.0f64..=180.0, 0i32..400), 0..300),
        site in (-90.0f64..=90.0, -180.0f64..=180.0),
        second in (-3.0f64..3.0, -3.0f64..3.0),
        radius in 0.0f64..3000.0,
        first in 0i32..400,
        span in 0i32..400,
        cell in prop::sample::select(vec![0.1, 0.5, 1.0, 5.0]),
    ) {
        let lat: Vec<f64> = pts.iter().map(|p| p.0).collect();
        let lon: Vec<f64> = pts.iter().map(|p| p.1).collect();
        let date: Vec<i32> = pts.iter().map(|p| p.2).collect();
        let idx = EventIndex::build(&lat, &lon, &date, cell);
        let a = LatLon { lat: site.0, lon: site.1 };
        let b = LatLon { lat: (site.0 + second.0).clamp(-90.0, 90.0), lon: ((site.1 + second.1 + 540.0) % 360.0) - 180.0 };
        let last = first + span;
        for around in [Around::Point(a), Around::Line(&[a, b])] {
            let mut got = Vec::new();
            idx.for_each_within(around, radius, first, last, |e, _| got.push(e));
            got.sort_unstable();
            let want: Vec<u32> = (0..pts.len() as u32)
                .filter(|&i| {
                    let i = i as usize;
                    date[i] >= first && date[i] <= last && around.distance_km(LatLon { lat: lat[i], lon: lon[i] }) <= radius
                })
                .collect();
            prop_assert_eq!(got, want);
        }
    }
}

/// An empty count printed as "-0": `Iterator::sum` of no floats is -0.0.
#[test]
fn an_empty_count_is_positive_zero() {
    let m = model("kind = \"event_count\"\nradius_km = 100\nwindow_days = 365");
    let e = events(&["A,2020-01-01,Battles,Armed clash,14.0,-10.0,0,1,,,"]);
    let v = value(&m, &project(POINT, "2025-10-31"), &e);
    assert!(v == 0.0 && v.is_sign_positive());
}

/// Note words are matched while loading, one bit each in a u64: a model may not ask for
/// more than 64.
#[test]
fn more_than_64_note_words_is_a_model_error() {
    let words: Vec<String> = (0..65).map(|k| format!("\"w{k}\"")).collect();
    let text = warn_model_text().replace(
        "derive = { kind = \"event_count\", radius_km = 100, window_days = 365 }",
        &format!("derive = {{ kind = \"event_count\", radius_km = 100, window_days = 365, match = [{{ notes = [{}] }}] }}", words.join(", ")),
    );
    let err = Model::from_toml("m.toml", &text).unwrap_err();
    assert_eq!(err.diagnostics()[0].code, Code::InvalidValue);
    assert!(err.diagnostics()[0].message.contains("65 different words"));
}

#[test]
fn filters_on_place_and_actor_type() {
    let m = model(
        r#"kind = "event_count"
radius_km = 100
window_days = 365
[[indicators.x.derive.match]]
location = ["kayes"]
inter1 = ["Rebel group"]"#,
    );
    let p = project(POINT, "2025-10-31");
    let mut csv = String::from(
        "event_date,event_type,sub_event_type,latitude,longitude,fatalities,location,inter1\n",
    );
    csv.push_str("2025-10-01,Battles,Armed clash,14.0,-10.0,0,Kayes,Rebel group\n");
    csv.push_str("2025-10-01,Battles,Armed clash,14.0,-10.0,0,Kayes,State forces\n");
    csv.push_str("2025-10-01,Battles,Armed clash,14.0,-10.0,0,Nioro,Rebel group\n");
    let e = EventData::from_bytes("e.csv", csv.as_bytes(), &m.read_options()).unwrap();
    assert_eq!(value(&m, &p, &e), 1.0);
}
