//! No silent wrong score from data files (issue 9 §2-§3): a record without end is refused
//! after the limit, never held whole; an event listed on several rows counts once; a file
//! that does not cover an indicator's window says so (or stops scoring when the model
//! says); a value beyond its goalposts says it was clamped.

use std::io::Read;

use vigie::derive::{self, EventData, PositionData, Prepared};
use vigie::events::{EventsError, ReadOptions, read_events, read_positions, read_positions_with};
use vigie::{Code, Model, Project};

const HEADER: &str = "event_id_cnty,event_date,event_type,sub_event_type,latitude,longitude,fatalities,actor1,inter1,location,timestamp\n";

/// An events file of the given rows under [`HEADER`].
fn events(rows: &[&str], m: &Model) -> EventData {
    let csv = format!("{HEADER}{}", rows.join("\n"));
    EventData::from_bytes("e.csv", csv.as_bytes(), &m.read_options()).expect("loads")
}

/// A model with one event-count indicator (radius 100 km, `window` days, `matches` as
/// extra `derive` lines), one army-count indicator, and `data` as its `[data]` table.
fn model(window: u32, matches: &str, data: &str) -> Model {
    let text = format!(
        r#"[model]
id = "d"
name = "Data"
version = "1.0.0"
effective = 2025-01-01
scale = [0, 100]

[data]
{data}

[indicators.attacks]
label = "Attacks"
direction = "higher_is_riskier"
normalise = {{ method = "goalposts", min = 0, max = 10 }}
[indicators.attacks.derive]
kind = "event_count"
radius_km = 100
window_days = {window}
{matches}

[indicators.army]
label = "Army"
direction = "lower_is_riskier"
missing = "drop"
normalise = {{ method = "goalposts", min = 0, max = 5 }}
[indicators.army.derive]
kind = "army_count"
radius_km = 100

[groups.root]
children = ["attacks", "army"]
aggregation = "arithmetic"

[[bands]]
label = "Low"
from = 0
[[bands]]
label = "High"
from = 50
"#
    );
    Model::from_toml("m.toml", &text).unwrap_or_else(|e| panic!("{:#?}", e.diagnostics()))
}

fn project(as_of: &str) -> Project {
    let text = format!(
        "[project]\nid = \"p\"\nname = \"P\"\ncountry = \"MLI\"\nas_of = {as_of}\n[project.site]\nkind = \"point\"\nlat = 14.0\nlon = -10.0\n"
    );
    Project::from_toml("p.toml", &text).unwrap()
}

fn prepare(m: &Model, p: &Project, e: Option<&EventData>, pos: Option<&PositionData>) -> Prepared {
    derive::prepare(m, p, vigie::events::date_to_days(p.as_of), false, e, pos)
}

fn codes(d: &[vigie::Diagnostic]) -> Vec<Code> {
    d.iter().map(|d| d.code).collect()
}

/// Gap kinds of every file, in order.
fn gap_kinds(out: &Prepared) -> Vec<&'static str> {
    out.files
        .iter()
        .flat_map(|f| f.coverage.iter().map(|g| g.kind))
        .collect()
}

// --- §2: the record limit --------------------------------------------------------------

/// 64 MiB of one byte, generated as read and counted: a reader that held the file whole
/// would read it all (the assertions then fail instead of the test eating memory).
struct Endless {
    byte: u8,
    read: u64,
}

impl Read for Endless {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf
            .len()
            .min(usize::try_from((64 << 20) - self.read).unwrap_or(0));
        buf[..n].fill(self.byte);
        self.read += n as u64;
        Ok(n)
    }
}

/// A 1 GB events file without a newline took 15 s and 4.2 GB before its error: the
/// reader must refuse the record once past the limit, having read little more than it.
#[test]
fn a_record_without_end_is_refused_after_the_limit_not_held_whole() {
    let mut endless = Endless {
        byte: b'a',
        read: 0,
    };
    let err = read_events(&mut endless, "zero.csv", &ReadOptions::default()).unwrap_err();
    match &err {
        EventsError::RecordTooLong { file, line, limit } => {
            assert_eq!((file.as_str(), *line, *limit), ("zero.csv", 1, 1 << 20));
        }
        other => panic!("{other:?}"),
    }
    // csv reads 8 KiB at a time: the limit plus one buffer, never the stream.
    assert!(endless.read <= (1 << 20) + (64 << 10), "{}", endless.read);
    assert_eq!(
        derive::data::data_file_diagnostic(&err).code,
        Code::RecordTooLong
    );
}

/// The same after a good header, in a quoted cell that never closes (a record running over
/// many lines), for positions too, and with the limit raised or lowered by the options.
#[test]
fn an_unclosed_quote_is_refused_at_the_line_its_record_starts() {
    let header = "event_date,event_type,sub_event_type,latitude,longitude,fatalities\n";
    let ok = "2024-01-01,Battles,Armed clash,1,1,0\n";
    let mut csv = format!("{header}{ok}{ok}2024-01-01,\"Battles");
    csv.push_str(&"x\n".repeat(600_000));
    let err = read_events(csv.as_bytes(), "q.csv", &ReadOptions::default()).unwrap_err();
    assert!(
        matches!(err, EventsError::RecordTooLong { line: 4, .. }),
        "{err:?}"
    );
    assert!(err.to_string().starts_with("q.csv:4: "), "{err}");
    let roomy = ReadOptions {
        max_record_bytes: 2 << 20,
        ..ReadOptions::default()
    };
    // Raised, the record is read (and rejected for its field count: it never closes).
    let (t, r) = read_events(csv.as_bytes(), "q.csv", &roomy).unwrap();
    assert_eq!((t.len(), r.rejected_count), (2, 1));
    // Lowered below the header's length, the header itself is refused.
    let tiny = ReadOptions {
        max_record_bytes: 20,
        ..ReadOptions::default()
    };
    let err = read_events(csv.as_bytes(), "q.csv", &tiny).unwrap_err();
    assert!(matches!(err, EventsError::RecordTooLong { line: 1, .. }));
    let mut endless = Endless {
        byte: b',',
        read: 0,
    };
    let err = read_positions_with(&mut endless, "p.csv", &ReadOptions::default()).unwrap_err();
    assert!(matches!(err, EventsError::RecordTooLong { line: 1, .. }));
}

// --- §3: duplicates --------------------------------------------------------------------

/// ACLED's monadic exports list an event once per actor, under one event_id_cnty: the
/// event counts once, an actor filter matches if any of its rows does, and rows that
/// disagree on date, place or fatalities are reported with both lines.
#[test]
fn an_event_on_several_rows_counts_once_and_matches_any_of_its_actors() {
    let jnim =
        "[[indicators.attacks.derive.match]]\nactor = [\"JNIM\"]\ninter1 = [\"Rebel group\"]";
    let m = model(365, jnim, "");
    let p = project("2025-10-31");
    let e = events(
        &[
            "MLI1,2025-10-01,Battles,Armed clash,14.0,-10.0,3,Military Forces of Mali,State forces,Kayes,",
            "MLI1,2025-10-01,Battles,Armed clash,14.0,-10.0,3,JNIM,Rebel group,Kayes,",
            "MLI2,2025-10-02,Battles,Armed clash,14.0,-10.0,1,Military Forces of Mali,State forces,Kayes,",
            "MLI2,2025-10-03,Battles,Armed clash,14.1,-10.0,4,JNIM,Rebel group,Kayes,",
            "MLI3,2025-10-04,Battles,Armed clash,14.0,-10.0,0,Military Forces of Mali,State forces,Kayes,",
            "MLI3,2025-10-04,Battles,Armed clash,14.0,-10.0,0,Dozo militia,Identity militia,Kayes,",
        ],
        &m,
    );
    let r = &e.report;
    assert_eq!(
        (
            r.rows_read,
            r.rows_accepted,
            r.duplicate_rows,
            e.table.len()
        ),
        (6, 6, 3, 3)
    );
    // MLI1 and MLI2 have a JNIM row as rebels; MLI3 has none. The actor and its type must
    // come from the same row: MLI3's army row is no "JNIM".
    let out = prepare(&m, &p, Some(&e), None);
    assert_eq!(out.values[0].value, 2.0);
    assert_eq!(out.files[0].rows_used, 3);
    assert_eq!(out.files[0].duplicate_rows, 3);
    // MLI2's rows disagree: the first one (line 4) stands.
    assert_eq!(e.table.fatalities()[1], 1);
    assert_eq!(r.disagreement_count, 1);
    let d = &r.disagreements[0];
    assert_eq!((d.id.as_str(), d.first_line, d.line), ("MLI2", 4, 5));
    assert_eq!(
        d.fields,
        "event_date 2025-10-02 / 2025-10-03; latitude 14 / 14.1; fatalities 1 / 4"
    );
    let notes: Vec<String> = out.files[0]
        .notes()
        .into_iter()
        .filter(|(code, _)| *code == Code::DuplicateDisagrees)
        .map(|(_, message)| message)
        .collect();
    assert_eq!(
        notes,
        [
            "e.csv: lines 4 and 5 share the id `MLI2` but disagree (event_date 2025-10-02 / 2025-10-03; latitude 14 / 14.1; fatalities 1 / 4); line 4 is used"
        ]
    );
}

/// Rows without an id are distinct events, whatever they hold.
#[test]
fn rows_without_an_id_are_never_merged() {
    let m = model(365, "", "");
    let row = ",2025-10-01,Battles,Armed clash,14.0,-10.0,0,,,Kayes,";
    let e = events(&[row, row], &m);
    assert_eq!((e.table.len(), e.report.duplicate_rows), (2, 0));
}

/// A position listed twice counts once; one listed for two periods that do not overlap is
/// two successive positions; an `id` column, when present, decides instead of name and kind.
#[test]
fn repeated_positions_count_once_unless_their_periods_are_apart() {
    let csv = "name,latitude,longitude,kind,active_from,active_to\n\
               Kayes,14.44,-11.44,army camp,,\n\
               kayes,14.45,-11.44,Army camp,2020,\n\
               Sandare,14.70,-10.30,army post,2019,2020\n\
               Sandare,14.70,-10.30,army post,2023,\n\
               Sandare,14.70,-10.30,army base,2023,\n";
    let (p, r) = read_positions(csv.as_bytes(), "p.csv").unwrap();
    assert_eq!(p.len(), 4);
    assert_eq!((r.rows_accepted, r.duplicate_rows), (5, 1));
    assert_eq!(r.disagreement_count, 1);
    let d = &r.disagreements[0];
    assert_eq!((d.first_line, d.line), (2, 3));
    assert_eq!(
        d.fields,
        "name Kayes / kayes; kind army camp / Army camp; latitude 14.44 / 14.45; active_from  / 2020"
    );
    let with_ids = "id,name,latitude,longitude,kind\nA,Kayes,14.44,-11.44,army camp\nA,Kayes camp,14.44,-11.44,army camp\nB,Kayes,14.44,-11.44,army camp\n";
    let (p, r) = read_positions(with_ids.as_bytes(), "p.csv").unwrap();
    assert_eq!((p.len(), r.duplicate_rows), (2, 1));
}

/// Worked example: one event written twice (same event_id_cnty) added an attack, its
/// fatalities and a trend point; it moved the band up (High to Severe in the issue's run).
/// A repeated row must change nothing but the counts.
#[test]
fn a_duplicated_event_row_leaves_the_worked_example_unchanged() {
    let root = env!("CARGO_MANIFEST_DIR");
    let read = |p: &str| std::fs::read_to_string(format!("{root}/{p}")).unwrap();
    let model = Model::from_toml("m", &read("models/sahel-infrastructure.toml")).unwrap();
    let project = Project::from_toml("p", &read("models/examples/covec-kayes.toml")).unwrap();
    let csv = read("models/examples/data/events-western-mali-2025.csv");
    let positions = PositionData::from_bytes(
        "pos",
        read("models/examples/data/deployments-mali.csv").as_bytes(),
    )
    .unwrap();
    let score = |csv: &str| {
        let e = EventData::from_bytes("e", csv.as_bytes(), &model.read_options()).unwrap();
        vigie::score_with_data(&model, &project, Some(&e), Some(&positions)).unwrap()
    };
    let original = score(&csv);
    // VGE0002: the convoy attack on the RN1, 2 dead, tagged "foreign interests".
    let row = csv.lines().nth(2).unwrap();
    assert!(row.starts_with("VGE0002,"));
    let twice = score(&format!("{csv}{row}\n"));
    assert_eq!(twice.score, original.score);
    assert_eq!(twice.band, original.band);
    assert_eq!(twice.data_files[0].rows_accepted, 10);
    assert_eq!(twice.data_files[0].duplicate_rows, 1);
    // Under another id it is another event, and the score moves: the test is live.
    let other = score(&format!("{csv}{}\n", row.replacen("VGE0002", "VGE9999", 1)));
    assert!(other.score > original.score + 1.0, "{}", other.score);
}

// --- §3: coverage ----------------------------------------------------------------------

/// A file that ends long before the as-of date, or starts after a window begins, makes
/// every indicator reading that window weak: a warning naming the file, its dates and the
/// indicators, a note in each trace, and points counted as weak in the headline.
#[test]
fn a_stale_file_warns_with_its_dates_and_the_indicators_it_leaves_short() {
    let m = model(365, "", "");
    let p = project("2025-10-31");
    // Within 30 days of both ends of the window (2024-11-01 to 2025-10-31): covered.
    let e = events(
        &[
            "A,2024-11-20,Battles,Armed clash,14.0,-10.0,0,,,,",
            "B,2025-10-10,Battles,Armed clash,14.0,-10.0,0,,,,",
        ],
        &m,
    );
    let out = prepare(&m, &p, Some(&e), None);
    assert!(gap_kinds(&out).is_empty());
    assert_eq!(out.values[0].trace.coverage, None);
    // Ends 31 days before, starts 31 days after the window begins.
    let e = events(
        &[
            "A,2024-12-02,Battles,Armed clash,14.0,-10.0,0,,,,",
            "B,2025-09-30,Battles,Armed clash,14.0,-10.0,0,,,,",
        ],
        &m,
    );
    let out = prepare(&m, &p, Some(&e), None);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    assert_eq!(gap_kinds(&out), ["stale", "late_start"]);
    let stale = &out.files[0].coverage[0];
    assert_eq!(stale.indicators, ["attacks"]);
    assert_eq!(
        stale.message,
        "e.csv holds events from 2024-12-02 to 2025-09-30: it ends 31 days before the as-of date 2025-10-31 (more than the 30 days allowed), so events since then are missing from `attacks`"
    );
    assert!(
        out.files[0].coverage[1]
            .message
            .contains("after the windows of `attacks` (from 2024-11-01) begin"),
        "{}",
        out.files[0].coverage[1].message
    );
    assert_eq!(
        out.values[0].trace.coverage.as_deref(),
        Some(
            "the events file ends 31 days before the as-of date; the events file starts 31 days after this window begins"
        )
    );
    // The assessment carries both as VG107 and counts the indicator's points as weak.
    let (bound, _) = vigie::bind::bind_with(&m, &p, out.values, out.files);
    let a = vigie::engine::assess(&m, &p, &bound.unwrap(), &m.default_params()).unwrap();
    let vg107 = a
        .warnings
        .iter()
        .filter(|w| w.code == Code::DataCoverage)
        .count();
    assert_eq!(vg107, 2);
    let attacks = a.indicators.iter().find(|i| i.id == "attacks").unwrap();
    assert!(attacks.contribution > 0.0);
    let expected = attacks.contribution / a.data_quality.indicator_points;
    assert!((a.data_quality.coverage - expected).abs() < 1e-12);
    assert!((a.data_quality.any - expected).abs() < 1e-12);
}

/// `max_staleness_days` moves the tolerance and `coverage = "error"` stops scoring, with a
/// located error per gap.
#[test]
fn coverage_error_and_staleness_tolerance_come_from_the_model() {
    let p = project("2025-10-31");
    let rows = [
        "A,2024-11-05,Battles,Armed clash,14.0,-10.0,0,,,,",
        "B,2025-09-30,Battles,Armed clash,14.0,-10.0,0,,,,",
    ];
    let lenient = model(365, "", "max_staleness_days = 31");
    let out = prepare(&lenient, &p, Some(&events(&rows, &lenient)), None);
    assert!(gap_kinds(&out).is_empty());
    let strict = model(365, "", "coverage = \"error\"\nmax_staleness_days = 0");
    let out = prepare(&strict, &p, Some(&events(&rows, &strict)), None);
    assert_eq!(
        codes(&out.diagnostics),
        [Code::CoverageFatal, Code::CoverageFatal]
    );
    assert!(gap_kinds(&out).is_empty());
    let at = out.diagnostics[0].location.as_ref().unwrap();
    assert_eq!((at.file.as_str(), at.line), ("e.csv", 1));
    let e = events(&rows, &strict);
    let err = vigie::score_with_data(&strict, &p, Some(&e), None).unwrap_err();
    assert_eq!(codes(err.diagnostics())[0], Code::CoverageFatal);
}

/// A header-only file, or one whose every row is rejected, would score as a quiet place:
/// an error by default, a coverage warning when the model allows empty files.
#[test]
fn a_file_with_no_usable_row_is_an_error_unless_the_model_allows_it() {
    let p = project("2025-10-31");
    let m = model(365, "", "");
    for rows in [
        &[][..],
        &["A,2025-02-30,Battles,Armed clash,14.0,-10.0,0,,,,"][..],
    ] {
        let e = events(rows, &m);
        let out = prepare(&m, &p, Some(&e), None);
        assert!(codes(&out.diagnostics).contains(&Code::EmptyDataFile));
        assert!(vigie::score_with_data(&m, &p, Some(&e), None).is_err());
    }
    let allowed = model(365, "", "empty_file = \"warn\"\ncoverage = \"error\"");
    let out = prepare(&allowed, &p, Some(&events(&[], &allowed)), None);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    assert_eq!(gap_kinds(&out), ["empty"]);
    assert_eq!(
        out.files[0].coverage[0].message,
        "e.csv holds no event (0 rows read, 0 rejected): nothing is counted for `attacks`"
    );
    // Positions alike.
    let pos = PositionData::from_bytes("p.csv", b"name,latitude,longitude,kind\n").unwrap();
    let out = prepare(&m, &p, None, Some(&pos));
    assert_eq!(codes(&out.diagnostics), [Code::EmptyDataFile]);
}

/// Back-testing counts only events uploaded by the as-of date: a file whose rows were all
/// revised later (as ACLED's `timestamp` says of the shared Mali exports) knows nothing
/// then, and one whose known events stop early is stale.
#[test]
fn back_testing_measures_coverage_on_what_was_known_by_the_as_of_date() {
    let m = model(365, "", "");
    let p = project("2025-10-31");
    // 2025-11-05 = 1762300800; 2025-09-01 = 1756684800.
    let e = events(
        &[
            "A,2024-11-10,Battles,Armed clash,14.0,-10.0,0,,,,1756684800",
            "B,2025-10-30,Battles,Armed clash,14.0,-10.0,0,,,,1762300800",
        ],
        &m,
    );
    let as_of = vigie::events::date_to_days(p.as_of);
    let out = derive::prepare(&m, &p, as_of, false, Some(&e), None);
    assert!(gap_kinds(&out).is_empty());
    let out = derive::prepare(&m, &p, as_of, true, Some(&e), None);
    assert_eq!(gap_kinds(&out), ["stale"]);
    assert!(
        out.files[0].coverage[0]
            .message
            .contains("from 2024-11-10 to 2024-11-10 (events uploaded by the as-of date)"),
        "{}",
        out.files[0].coverage[0].message
    );
    let late = events(
        &["B,2025-10-30,Battles,Armed clash,14.0,-10.0,0,,,,1762300800"],
        &m,
    );
    let out = derive::prepare(&m, &p, as_of, true, Some(&late), None);
    assert_eq!(gap_kinds(&out), ["nothing_known"]);
    assert!(
        out.files[0].coverage[0]
            .message
            .contains("uploaded 2025-11-05 to 2025-11-05"),
        "{}",
        out.files[0].coverage[0].message
    );
}

/// A positions file whose every position ended before the as-of date leaves the army out:
/// say so.
#[test]
fn positions_none_active_on_the_as_of_date_warn() {
    let m = model(365, "", "");
    let p = project("2025-10-31");
    let csv = "name,latitude,longitude,kind,active_from,active_to\nKayes,14.0,-10.0,army camp,2019,2022\n";
    let pos = PositionData::from_bytes("p.csv", csv.as_bytes()).unwrap();
    let out = prepare(&m, &p, None, Some(&pos));
    assert_eq!(gap_kinds(&out), ["no_active_position"]);
    assert_eq!(out.files[0].coverage[0].indicators, ["army"]);
    assert!(out.values[1].trace.coverage.is_some());
    assert!(out.values[0].trace.coverage.is_none());
}

// --- §3: clamping ----------------------------------------------------------------------

/// Values beyond goalposts or piecewise end points scored as the end without a word; the
/// note says which indicator, which end (in the units written, through the transform) and
/// by how much. Bins state a score for every value: no note.
#[test]
fn values_beyond_their_goalposts_or_points_are_reported_as_clamped() {
    let text = r#"[model]
id = "c"
name = "Clamp"
version = "1.0.0"
effective = 2025-01-01
scale = [0, 100]
[indicators.g]
label = "G"
direction = "higher_is_riskier"
normalise = { method = "goalposts", min = 0, max = 80 }
[indicators.l]
label = "L"
direction = "lower_is_riskier"
transform = "ln"
normalise = { method = "goalposts", min = 250, max = 14000 }
[indicators.w]
label = "W"
direction = "higher_is_riskier"
normalise = { method = "piecewise", points = [[0, 0], [4, 100]] }
[indicators.b]
label = "B"
direction = "higher_is_riskier"
normalise = { method = "bins", bins = [[1, 30], [5, 60]], below = 0 }
[groups.root]
children = ["g", "l", "w", "b"]
aggregation = "arithmetic"
[[bands]]
label = "Low"
from = 0
"#;
    let m = Model::from_toml("m.toml", text).unwrap();
    let p = Project::from_toml(
        "p.toml",
        "[project]\nid = \"p\"\nname = \"P\"\ncountry = \"MLI\"\nas_of = 2025-10-31\n[values]\ng = 92.5\nl = 100\nw = 24\nb = 900\n",
    )
    .unwrap();
    let a = vigie::score(&m, &p).unwrap();
    let notes: Vec<&str> = a
        .warnings
        .iter()
        .filter(|w| w.code == Code::EvaluationNote)
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(
        notes,
        [
            "`g` = 92.5 lies beyond its goalposts (0 to 80): it scores as 80 would (clamped by 12.5)",
            "`l` = 100 lies beyond its goalposts (250 to 14000): it scores as 250 would (clamped by 150)",
            "`w` = 24 lies beyond its piecewise points (0 to 4): it scores as 4 would, 100 (clamped by 20)",
        ]
    );
    // Inside the goalposts: no note.
    let inside = Project::from_toml(
        "p.toml",
        "[project]\nid = \"p\"\nname = \"P\"\ncountry = \"MLI\"\nas_of = 2025-10-31\n[values]\ng = 80\nl = 250\nw = 0\nb = 0\n",
    )
    .unwrap();
    let a = vigie::score(&m, &inside).unwrap();
    assert!(
        a.warnings.iter().all(|w| w.code != Code::EvaluationNote),
        "{:?}",
        a.warnings
    );
}

// --- the real ACLED export, read in place ----------------------------------------------

/// The shared monadic Mali export (2,701 rows) lists 1,271 events twice, once per actor,
/// never disagreeing on date, place, fatalities or type: 1,430 events.
#[test]
fn the_real_monadic_mali_export_counts_each_event_once() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/acled-real/mali-2017-01-to-2019-03-monadic.csv"
    );
    let Ok(file) = std::fs::File::open(path) else {
        let in_ci = std::env::var("CI").is_ok_and(|v| v == "true");
        assert!(!in_ci, "{path} is missing under CI=true");
        eprintln!("SKIPPED: {path} not found");
        return;
    };
    let e = EventData::from_reader(
        "mali.csv",
        std::io::BufReader::new(file),
        &ReadOptions::default(),
    )
    .unwrap();
    let r = &e.report;
    assert_eq!(
        (
            r.rows_read,
            r.rows_accepted,
            r.duplicate_rows,
            r.disagreement_count
        ),
        (2701, 2701, 1271, 0)
    );
    assert_eq!(e.table.len(), 1430);
}

// --- the `[data]` table ----------------------------------------------------------------

/// Bad `[data]` values are located errors; writing a default out leaves the model's
/// canonical fingerprint as it was (models without the new keys keep theirs), another
/// value changes it.
#[test]
fn data_settings_are_read_with_located_errors_and_fingerprinted() {
    let base = model(365, "", "");
    let text = |data: &str| {
        format!(
            "[model]\nid = \"d\"\nname = \"D\"\nversion = \"1.0.0\"\neffective = 2025-01-01\nscale = [0, 100]\n[data]\n{data}\n[indicators.x]\nlabel = \"X\"\ndirection = \"higher_is_riskier\"\nnormalise = {{ method = \"identity\" }}\n[groups.root]\nchildren = [\"x\"]\naggregation = \"arithmetic\"\n[[bands]]\nlabel = \"Low\"\nfrom = 0\n"
        )
    };
    let problems = |data: &str| -> Vec<(Code, usize)> {
        let (_, d) = Model::check(&vigie::SourceFile::new("m.toml", text(data)));
        d.iter()
            .map(|d| (d.code, d.location.as_ref().map_or(0, |l| l.line)))
            .collect()
    };
    assert_eq!(problems("coverage = \"maybe\""), [(Code::InvalidValue, 8)]);
    assert_eq!(
        problems("max_staleness_days = -1"),
        [(Code::InvalidValue, 8)]
    );
    assert_eq!(
        problems("max_staleness_days = 36501"),
        [(Code::InvalidValue, 8)]
    );
    assert_eq!(
        problems("max_staleness_days = \"30\""),
        [(Code::WrongType, 8)]
    );
    assert_eq!(problems("empty_file = true"), [(Code::WrongType, 8)]);
    assert_eq!(problems("staleness = 3"), [(Code::UnknownKey, 8)]);
    let hash = |data: &str| {
        Model::from_toml("m.toml", &text(data))
            .unwrap()
            .canonical_sha256()
    };
    let defaults = "coverage = \"warn\"\nmax_staleness_days = 30\nempty_file = \"error\"";
    assert_eq!(hash(""), hash(defaults));
    assert_ne!(hash(""), hash("max_staleness_days = 31"));
    assert_ne!(hash(""), hash("coverage = \"error\""));
    assert_ne!(hash(""), hash("empty_file = \"warn\""));
    assert_eq!(
        base.data_policy(),
        vigie::derive::spec::DataPolicy::default()
    );
}
