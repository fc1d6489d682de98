//! Loading events and positions from the fixture CSVs: accepted values, the
//! line and reason of every rejected row, file-level errors, fuzzing.

use std::io::Read;

use jiff::civil::{Date, date};
use proptest::prelude::*;
use vigie::events::{
    EventTable, EventsError, LoadReport, MAX_STORED_REJECTS, PartialDate, Position, ReadOptions,
    date_to_days, read_events, read_positions,
};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/events");

fn fixture(name: &str) -> std::fs::File {
    std::fs::File::open(format!("{FIXTURES}/{name}")).expect("fixture exists")
}

fn events(name: &str) -> (EventTable, LoadReport) {
    read_events(fixture(name), name, &ReadOptions::default()).expect("file loads")
}

fn events_from(csv: &[u8]) -> Result<(EventTable, LoadReport), EventsError> {
    read_events(csv, "mem.csv", &ReadOptions::default())
}

fn positions(name: &str) -> (Vec<Position>, LoadReport) {
    read_positions(fixture(name), name).expect("file loads")
}

/// (line, reason) of every stored rejection.
fn rejections(r: &LoadReport) -> Vec<(u64, &str)> {
    r.rejected
        .iter()
        .map(|x| (x.line, x.reason.as_str()))
        .collect()
}

/// Asserts the rejections match `expected` lines, each reason containing the
/// given fragment.
fn assert_rejections(r: &LoadReport, expected: &[(u64, &str)]) {
    let got = rejections(r);
    assert_eq!(got.len(), expected.len(), "{got:#?}");
    for ((line, reason), (want_line, fragment)) in got.iter().zip(expected) {
        assert_eq!(line, want_line, "{reason}");
        assert!(
            reason.contains(fragment),
            "line {line}: {reason:?} lacks {fragment:?}"
        );
    }
    assert_eq!(r.rejected_count, expected.len() as u64);
    assert_eq!(r.rows_read, r.rows_accepted + r.rejected_count);
}

// --- the data pack's files ---------------------------------------------------

#[test]
fn western_mali_events_load_all_nine_rows() {
    let (t, r) = events("events-western-mali-2025.csv");
    assert_eq!(
        (r.rows_read, r.rows_accepted, r.rejected_count),
        (9, 9, 0),
        "{:?}",
        r.rejected
    );
    assert_eq!(t.len(), 9);
    let i1 = t.find_event("VGE0001").unwrap();
    assert_eq!(t.dates()[i1], date_to_days(date(2025, 5, 4)));
    assert_eq!(t.dates()[i1], 20_212);
    assert_eq!(t.date(i1), date(2025, 5, 4));
    assert_eq!(t.geo_precisions()[i1], 3);
    assert_eq!(t.time_precisions()[i1], 1);
    assert_eq!(t.actor2_name(i1), "");
    assert_eq!(t.inter1_text(i1), "Rebel group");
    assert_eq!(
        t.tags_of(i1).collect::<Vec<_>>(),
        ["foreign interests", "mining", "Chinese company"]
    );
    assert_eq!(t.timestamp(i1), None, "no timestamp column");
    assert!(!t.civilian_targeting()[i1]);
    let i2 = t.find_event("vge0002").unwrap();
    assert_eq!(t.fatalities()[i2], 2);
    assert_eq!(t.event_type_name(i2), "Battles");
    assert_eq!(t.actor2_name(i2), "Military Forces of Mali");
    let i3 = t.find_event("VGE0003").unwrap();
    assert!(t.tags_of(i3).any(|tag| tag == "COVEC"));
    assert_eq!(t.location_name(i3), "Tringa-Marena (COVEC base)");
    assert_eq!(t.admin1_name(i3), "Kayes");
    // One record per line in this file: lines 2..=10 in order.
    assert_eq!(t.lines(), &[2, 3, 4, 5, 6, 7, 8, 9, 10]);
    let i9 = t.find_event("VGE0009").unwrap();
    assert_eq!((t.date(i9), t.geo_precisions()[i9]), (date(2025, 9, 14), 2));
}

#[test]
fn lookups_resolve_filters_case_insensitively() {
    let (t, _) = events("events-western-mali-2025.csv");
    let battles = t.lookup_event_type("battles").unwrap();
    assert_eq!(
        t.event_type_ids().iter().filter(|&&e| e == battles).count(),
        7
    );
    let looting = t
        .lookup_sub_event_type("LOOTING/PROPERTY DESTRUCTION")
        .unwrap();
    assert_eq!(
        t.sub_event_type_ids()
            .iter()
            .filter(|&&e| e == looting)
            .count(),
        2
    );
    let army = t.lookup_actor("military forces of mali").unwrap();
    assert_eq!(t.actor2_ids().iter().filter(|&&a| a == army).count(), 7);
    assert_eq!(t.lookup_actor("Nobody"), None);
    let kayes = t.lookup_place("KAYES").unwrap();
    assert_eq!(t.admin1_ids().iter().filter(|&&p| p == kayes).count(), 5);
    assert_eq!(t.location_ids().iter().filter(|&&p| p == kayes).count(), 1);
    let convoy = t.lookup_tag("Convoy").unwrap();
    assert_eq!(
        (0..t.len())
            .filter(|&i| t.tag_ids_of(i).contains(&convoy))
            .count(),
        2
    );
    assert!(t.lookup_inter("rebel group").is_some());
    assert_eq!(t.event_types().len(), 2);
    assert!(t.heap_bytes() > 0);
}

#[test]
fn mali_positions_load_thirteen() {
    let (p, r) = positions("deployments-mali.csv");
    assert_eq!(
        (r.rows_read, r.rows_accepted, r.rejected_count),
        (13, 13, 0),
        "{:?}",
        r.rejected
    );
    assert_eq!(p.len(), 13);
    let yelimane = p.iter().find(|x| x.name == "Yelimane").unwrap();
    assert_eq!(yelimane.observed, Some(PartialDate::Year(2022)));
    assert_eq!((yelimane.lat, yelimane.lon), (15.11868, -10.57729));
    assert_eq!(yelimane.kind, "army camp");
    assert_eq!(yelimane.source, "UF Atlas of Mali - West");
    assert_eq!(yelimane.line, 4);
    let kati = &p[0];
    assert_eq!(kati.observed, Some(PartialDate::Day(date(2022, 7, 22))));
    // No active_from: present even before the source saw it.
    assert!(
        p.iter()
            .all(|x| x.active_from.is_none() && x.active_on(date(2000, 1, 1)))
    );
}

// --- events: formats and rejections -------------------------------------------

#[test]
fn every_bad_row_is_rejected_with_its_physical_line() {
    let (t, r) = events("events-bad-rows.csv");
    assert_rejections(
        &r,
        &[
            (6, "event_date: unparsable date '2025-02-30'"),
            (7, "latitude: '95.5' outside -90..90"),
            (8, "latitude: not a number: 'abc'"),
            (9, "longitude: '-181' outside -180..180"),
            (10, "fatalities: negative '-1'"),
            (11, "fatalities: not an integer: '2.5'"),
            (12, "geo_precision: '4' is not 1, 2 or 3"),
            (13, "time_precision: '0' is not 1, 2 or 3"),
            (14, "event_type: empty required cell"),
            (15, "wrong number of fields: expected 18, found 17"),
            (16, "timestamp: not an integer: 'soon'"),
            (
                17,
                "civilian_targeting: expected 'Civilians targeted' or blank, found 'Yes'",
            ),
            (20, "event_date: unparsable date '32 March 2020'"),
            (22, "wrong number of fields: expected 18, found 19"),
        ],
    );
    assert_eq!((r.rows_read, r.rows_accepted), (19, 5));
    // Accepted rows keep their starting line, multi-line notes included.
    assert_eq!(t.lines(), &[2, 3, 18, 21, 23]);
    let ids: Vec<_> = (0..t.len()).map(|i| t.event_id(i)).collect();
    assert_eq!(ids, ["OK0001", "OK0002", "OK0018", "OK0021", "OK0023"]);
    // Tags are trimmed and empty parts skipped.
    assert_eq!(t.tags_of(1).collect::<Vec<_>>(), ["road", "convoy"]);
    assert_eq!(t.civilian_targeting(), &[false, true, false, false, false]);
    assert_eq!(t.timestamp(0), Some(1_736_500_000));
    assert_eq!(t.fatalities()[1], 4);
    assert_eq!(t.date(3), date(2020, 3, 21));
    assert_eq!(t.inter1_text(3), "2");
    assert_eq!(t.date(4), date(2025, 7, 1));
}

#[test]
fn notes_survive_when_kept() {
    let opts = ReadOptions {
        keep_notes: true,
        ..ReadOptions::default()
    };
    let (t, _) = read_events(fixture("events-bad-rows.csv"), "f", &opts).unwrap();
    assert_eq!(
        t.notes(1),
        Some("first line of notes\nsecond line, with a comma\nthird line")
    );
    assert_eq!(
        t.notes(2),
        Some("a note that \"quotes\" and\nspans two lines")
    );
    let (without, _) = events("events-bad-rows.csv");
    assert!(t.heap_bytes() > without.heap_bytes());
}

#[test]
fn older_export_format_loads() {
    let (t, r) = events("events-old-format.csv");
    assert_eq!(
        (r.rows_accepted, r.rejected_count),
        (3, 0),
        "{:?}",
        r.rejected
    );
    assert_eq!(t.date(0), date(2020, 3, 21));
    assert_eq!(t.date(1), date(2019, 1, 9));
    assert_eq!(t.date(2), date(2025, 7, 1));
    assert_eq!(t.inter1_text(0), "1");
    assert_eq!(t.inter1_text(1), "3");
    assert_eq!(t.fatalities(), &[5, 13, 0]);
    assert_eq!(t.event_id(1), "MLI3002");
    assert_eq!(t.location_name(1), "Ogossagou");
    assert_eq!(t.time_precisions(), &[1, 2, 3]);
    assert_eq!(t.actor2_name(2), "");
    assert_eq!(t.tags_of(0).count(), 0);
    assert_eq!(t.civilian_targeting(), &[false, false, false]);
}

#[test]
fn missing_required_columns_are_all_named() {
    let err = read_events(
        fixture("events-missing-columns.csv"),
        "m.csv",
        &ReadOptions::default(),
    )
    .unwrap_err();
    match &err {
        EventsError::MissingColumn { file, columns } => {
            assert_eq!(file, "m.csv");
            assert_eq!(columns, &["latitude", "fatalities"]);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "m.csv: missing required column(s): latitude, fatalities"
    );
}

#[test]
fn bom_crlf_and_blank_lines_keep_physical_lines() {
    let (t, r) = events("events-bom-crlf.csv");
    assert_rejections(&r, &[(7, "fatalities: not an integer: 'x'")]);
    assert_eq!(t.lines(), &[2, 4, 5, 8]);
    assert_eq!(t.fatalities(), &[1, 2, 0, 3]);
}

#[test]
fn bom_is_stripped_even_when_bytes_trickle_in() {
    /// Hands out one byte per read, so csv never sees the whole BOM at once.
    struct Trickle<'a>(&'a [u8]);
    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.0.len().min(buf.len()).min(1);
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }
    let bytes = std::fs::read(format!("{FIXTURES}/events-bom-crlf.csv")).unwrap();
    let (t, r) = read_events(Trickle(&bytes), "t", &ReadOptions::default()).unwrap();
    assert_eq!(t.lines(), &[2, 4, 5, 8]);
    assert_eq!(rejections(&r), [(7, "fatalities: not an integer: 'x'")]);
}

#[test]
fn empty_file_and_header_only() {
    assert!(matches!(events_from(b""), Err(EventsError::Csv { .. })));
    let (t, r) =
        events_from(b"event_date,event_type,sub_event_type,latitude,longitude,fatalities\n")
            .unwrap();
    assert_eq!((t.len(), r.rows_read), (0, 0));
}

#[test]
fn invalid_utf8_header_is_a_file_error_and_cell_a_row_error() {
    let err = events_from(b"event_date,\xff\xfe,x\n").unwrap_err();
    assert!(matches!(err, EventsError::Csv { ref message, .. } if message.contains("UTF-8")));
    let csv = b"event_date,event_type,sub_event_type,latitude,longitude,fatalities,actor1\n\
                2024-01-01,Battles,Armed clash,1,1,0,Caf\xe9\n";
    let (_, r) = events_from(csv).unwrap();
    assert_eq!(rejections(&r), [(2, "actor1: not valid UTF-8")]);
}

#[test]
fn io_errors_stop_the_load() {
    /// Fails after the header.
    struct Broken(usize);
    impl Read for Broken {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let head = b"event_date,event_type,sub_event_type,latitude,longitude,fatalities\n";
            if self.0 >= head.len() {
                return Err(std::io::Error::other("disk on fire"));
            }
            let n = (head.len() - self.0).min(buf.len());
            buf[..n].copy_from_slice(&head[self.0..self.0 + n]);
            self.0 += n;
            Ok(n)
        }
    }
    let err = read_events(Broken(0), "b.csv", &ReadOptions::default()).unwrap_err();
    assert!(matches!(err, EventsError::Io { ref file, .. } if file == "b.csv"));
    assert!(err.to_string().contains("disk on fire"));
}

#[test]
fn stored_rejections_are_capped_but_counted() {
    let mut csv =
        String::from("event_date,event_type,sub_event_type,latitude,longitude,fatalities\n");
    for _ in 0..MAX_STORED_REJECTS + 5 {
        csv.push_str("2024-01-01,Battles,Armed clash,100,1,0\n");
    }
    csv.push_str("2024-01-01,Battles,Armed clash,10,1,0\n");
    let (t, r) = events_from(csv.as_bytes()).unwrap();
    assert_eq!(r.rejected.len(), MAX_STORED_REJECTS);
    assert_eq!(r.rejected_count, MAX_STORED_REJECTS as u64 + 5);
    assert_eq!(r.rows_read, MAX_STORED_REJECTS as u64 + 6);
    assert_eq!(r.rejected[9_999].line, 10_001);
    assert_eq!(t.lines(), &[10_007]);
}

// --- positions -------------------------------------------------------------------

#[test]
fn position_rows_rejected_with_line_and_reason() {
    let (p, r) = positions("positions-periods.csv");
    assert_rejections(
        &r,
        &[
            (4, "latitude: '95.0' outside -90..90"),
            (5, "longitude: '-200' outside -180..180"),
            (6, "observed: unparsable date 'spring 2023'"),
            (7, "active_from: unparsable date '2022-13'"),
            (8, "active_to 2023-12-31 is before active_from 2024"),
            (10, "kind: empty required cell"),
            (11, "name: empty required cell"),
            (12, "wrong number of fields: expected 9, found 5"),
        ],
    );
    let names: Vec<_> = p.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(names, ["Alpha", "Bravo", "Juliet"]);
    assert_eq!(p[2].line, 13);
}

#[test]
fn position_activity_periods() {
    let (p, _) = positions("positions-periods.csv");
    let (alpha, bravo, juliet) = (&p[0], &p[1], &p[2]);
    assert_eq!(alpha.observed, Some(PartialDate::Year(2022)));
    assert!(alpha.active_on(date(1999, 1, 1)) && alpha.active_on(date(2030, 1, 1)));
    assert_eq!(bravo.observed, Some(PartialDate::YearMonth(2023, 5)));
    assert_eq!(bravo.active_to, Some(PartialDate::YearMonth(2024, 6)));
    assert!(!bravo.active_on(date(2022, 6, 30)));
    assert!(bravo.active_on(date(2022, 7, 1)));
    assert!(bravo.active_on(date(2024, 6, 30)));
    assert!(!bravo.active_on(date(2024, 7, 1)));
    assert!(juliet.active_on(date(2024, 1, 1)) && juliet.active_on(date(2024, 12, 31)));
    assert!(!juliet.active_on(date(2023, 12, 31)) && !juliet.active_on(date(2025, 1, 1)));
}

// --- fuzzing and round trip ------------------------------------------------------

const HEADER: &str = "event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,inter1,\
actor2,civilian_targeting,admin1,location,latitude,longitude,geo_precision,notes,fatalities,tags,timestamp\n";

fn check_counts(r: &LoadReport, t_len: usize) {
    assert_eq!(r.rows_read, r.rows_accepted + r.rejected_count);
    assert_eq!(r.rows_accepted, t_len as u64);
    assert!(r.rejected.len() as u64 <= r.rejected_count);
    assert!(r.rejected.windows(2).all(|w| w[0].line <= w[1].line));
}

/// Maps random bytes so that about 60% become CSV-significant characters or
/// digits (quotes, separators, line ends, signs), which reach the row
/// validators far more often than uniform bytes.
fn csv_heavy(bytes: Vec<u8>) -> Vec<u8> {
    const SPECIAL: &[u8] = b",,,\"\"\n\n\r;-.0123456789 eE";
    bytes
        .into_iter()
        .map(|b| {
            if b < 154 {
                SPECIAL[usize::from(b) % SPECIAL.len()]
            } else {
                b
            }
        })
        .collect()
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        if let Ok((t, r)) = events_from(&bytes) {
            check_counts(&r, t.len());
        }
        if let Ok((p, r)) = read_positions(bytes.as_slice(), "fuzz") {
            check_counts(&r, p.len());
        }
    }

    #[test]
    fn arbitrary_body_under_a_valid_header_never_panics(
        body in proptest::collection::vec(any::<u8>(), 0..4096).prop_map(csv_heavy),
    ) {
        let mut csv = HEADER.as_bytes().to_vec();
        csv.extend_from_slice(&body);
        let (t, r) = events_from(&csv).expect("header is valid");
        check_counts(&r, t.len());
        let mut csv = b"name,latitude,longitude,kind,observed,active_from,active_to\n".to_vec();
        csv.extend_from_slice(&body);
        let (p, r) = read_positions(csv.as_slice(), "fuzz").expect("header is valid");
        check_counts(&r, p.len());
    }

    #[test]
    fn valid_rows_round_trip(rows in proptest::collection::vec(arb_row(), 1..20)) {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(HEADER.trim_end().split(',')).unwrap();
        for row in &rows {
            w.write_record(row.cells()).unwrap();
        }
        let bytes = w.into_inner().unwrap();
        let (t, r) = read_events(bytes.as_slice(), "rt", &ReadOptions { keep_notes: true, ..ReadOptions::default() }).unwrap();
        prop_assert_eq!(r.rejected_count, 0, "{:?}", r.rejected);
        prop_assert_eq!(t.len(), rows.len());
        for (i, row) in rows.iter().enumerate() {
            prop_assert_eq!(t.event_id(i), row.id.as_str());
            prop_assert_eq!(t.date(i), row.date);
            prop_assert_eq!(t.time_precisions()[i], row.time_precision);
            prop_assert_eq!(t.event_type_name(i), row.event_type.as_str());
            prop_assert_eq!(t.sub_event_type_name(i), row.sub_event_type.as_str());
            prop_assert_eq!(t.actor1_name(i), row.actor1.as_str());
            prop_assert_eq!(t.inter1_text(i), row.inter1.as_str());
            prop_assert_eq!(t.actor2_name(i), row.actor2.as_str());
            prop_assert_eq!(t.civilian_targeting()[i], row.civilians);
            prop_assert_eq!(t.admin1_name(i), row.admin1.as_str());
            prop_assert_eq!(t.location_name(i), row.location.as_str());
            prop_assert_eq!(t.lats()[i].to_bits(), row.lat.to_bits());
            prop_assert_eq!(t.lons()[i].to_bits(), row.lon.to_bits());
            prop_assert_eq!(t.geo_precisions()[i], row.geo_precision);
            prop_assert_eq!(t.notes(i), Some(row.notes.as_str()));
            prop_assert_eq!(t.fatalities()[i], row.fatalities);
            prop_assert_eq!(t.tags_of(i).collect::<Vec<_>>(), row.tags.iter().map(String::as_str).collect::<Vec<_>>());
            prop_assert_eq!(t.timestamp(i), row.timestamp);
        }
    }
}

/// Builds a file of good rows and bad rows (latitude 100), each maybe after
/// blank lines and with a multi-line quoted note, with LF or CRLF line ends,
/// tracking by hand the physical line each row starts on.
fn file_with_known_lines(
    rows: &[(bool, usize, usize)],
    crlf: bool,
    last_terminated: bool,
) -> (String, Vec<u64>, Vec<u64>) {
    let eol = if crlf { "\r\n" } else { "\n" };
    let mut csv =
        format!("event_date,event_type,sub_event_type,latitude,longitude,fatalities,notes{eol}");
    let (mut line, mut good, mut bad) = (2u64, Vec::new(), Vec::new());
    for (k, &(ok, blank_lines, note_lines)) in rows.iter().enumerate() {
        for _ in 0..blank_lines {
            csv.push_str(eol);
            line += 1;
        }
        if ok {
            good.push(line)
        } else {
            bad.push(line)
        }
        let note = vec!["note"; note_lines + 1].join(eol);
        let lat = if ok { "10" } else { "100" };
        csv.push_str(&format!(
            "2024-01-01,Battles,Armed clash,{lat},1,0,\"{note}\""
        ));
        line += note_lines as u64;
        if k + 1 < rows.len() || last_terminated {
            csv.push_str(eol);
            line += 1;
        }
    }
    (csv, good, bad)
}

proptest! {
    #[test]
    fn line_numbers_are_physical(
        rows in proptest::collection::vec((any::<bool>(), 0usize..3, 0usize..3), 1..12),
        crlf in any::<bool>(),
        last_terminated in any::<bool>(),
    ) {
        let (csv, good, bad) = file_with_known_lines(&rows, crlf, last_terminated);
        let (t, r) = events_from(csv.as_bytes()).unwrap();
        let got_good: Vec<u64> = t.lines().iter().map(|&l| u64::from(l)).collect();
        let got_bad: Vec<u64> = r.rejected.iter().map(|x| x.line).collect();
        prop_assert_eq!(got_good, good);
        prop_assert_eq!(got_bad, bad);
    }
}

/// One valid event with values written back exactly as read (text trimmed,
/// as the loader trims cells).
#[derive(Debug, Clone)]
struct Row {
    id: String,
    date: Date,
    long_date: bool,
    time_precision: u8,
    event_type: String,
    sub_event_type: String,
    actor1: String,
    inter1: String,
    actor2: String,
    civilians: bool,
    admin1: String,
    location: String,
    lat: f64,
    lon: f64,
    geo_precision: u8,
    notes: String,
    fatalities: u32,
    tags: Vec<String>,
    timestamp: Option<i64>,
}

impl Row {
    fn cells(&self) -> Vec<String> {
        let date = if self.long_date {
            self.date.strftime("%-d %B %Y").to_string()
        } else {
            self.date.to_string()
        };
        let precision = |p: u8| if p == 0 { String::new() } else { p.to_string() };
        vec![
            self.id.clone(),
            date,
            precision(self.time_precision),
            self.event_type.clone(),
            self.sub_event_type.clone(),
            self.actor1.clone(),
            self.inter1.clone(),
            self.actor2.clone(),
            if self.civilians {
                "Civilians targeted".into()
            } else {
                String::new()
            },
            self.admin1.clone(),
            self.location.clone(),
            self.lat.to_string(),
            self.lon.to_string(),
            precision(self.geo_precision),
            self.notes.clone(),
            self.fatalities.to_string(),
            self.tags.join(";"),
            self.timestamp.map(|t| t.to_string()).unwrap_or_default(),
        ]
    }
}

/// Text without surrounding whitespace (the loader trims), possibly with
/// commas, quotes, newlines and non-ASCII inside.
fn text(required: bool) -> impl Strategy<Value = String> {
    "[a-zé ,\"\n:(]{0,24}"
        .prop_map(|s| s.trim().to_owned())
        .prop_filter("required text must not be blank", move |s| {
            !required || !s.is_empty()
        })
}

fn arb_row() -> impl Strategy<Value = Row> {
    let days = date_to_days(date(1997, 1, 1))..date_to_days(date(2030, 12, 31));
    let tag = "[a-z][a-z ]{0,8}[a-z]";
    (
        (
            "[A-Z]{3}[0-9]{1,6}",
            days,
            any::<bool>(),
            0u8..=3,
            text(true),
            text(true),
        ),
        (
            text(false),
            text(false),
            text(false),
            any::<bool>(),
            text(false),
            text(false),
        ),
        (
            -90.0..=90.0f64,
            -180.0..=180.0f64,
            0u8..=3,
            text(false),
            any::<u32>(),
        ),
        (
            proptest::collection::vec(tag, 0..4),
            proptest::option::of(any::<i64>()),
        ),
    )
        .prop_map(
            |(
                (id, d, long_date, tp, et, st),
                (a1, i1, a2, civ, ad, loc),
                (lat, lon, gp, notes, fat),
                (tags, ts),
            )| Row {
                id,
                date: vigie::events::days_to_date(d),
                long_date,
                time_precision: tp,
                event_type: et,
                sub_event_type: st,
                actor1: a1,
                inter1: i1,
                actor2: a2,
                civilians: civ,
                admin1: ad,
                location: loc,
                lat,
                lon,
                geo_precision: gp,
                notes,
                fatalities: fat,
                tags,
                timestamp: ts.filter(|&t| t != i64::MIN),
            },
        )
}

// --- scale (run with: cargo test --release -- --ignored --nocapture) -------------

#[test]
#[ignore = "generates 1,000,000 rows; run in release with --ignored --nocapture"]
fn million_rows_load_fast_and_compact() {
    let n = 1_000_000usize;
    let mut csv = String::with_capacity(n * 330);
    csv.push_str(HEADER);
    let types = [
        ("Battles", "Armed clash"),
        ("Violence against civilians", "Attack"),
        ("Protests", "Peaceful protest"),
        ("Riots", "Mob violence"),
        ("Explosions/Remote violence", "Air/drone strike"),
    ];
    for i in 0..n {
        let (et, st) = types[i % types.len()];
        let d = 1 + i % 28;
        let m = 1 + (i / 28) % 12;
        let y = 1997 + i % 29;
        use std::fmt::Write;
        writeln!(
            csv,
            "AFR{i},{y}-{m:02}-{d:02},{tp},{et},{st},Actor group {a1},Rebel group,Military Forces of Country {a2},{civ},Region {r},Town {loc},{lat:.4},{lon:.4},{gp},,{fat},{tags},{ts}",
            tp = 1 + i % 3,
            a1 = i % 5_000,
            a2 = i % 50,
            civ = if i % 7 == 0 { "Civilians targeted" } else { "" },
            r = i % 400,
            loc = i % 60_000,
            lat = -35.0 + (i % 7_000) as f64 * 0.01,
            lon = -20.0 + (i % 7_000) as f64 * 0.01,
            gp = 1 + i % 3,
            fat = i % 13,
            tags = if i % 3 == 0 { "convoy;road" } else { "" },
            ts = 1_600_000_000 + i,
        )
        .unwrap();
    }
    let start = std::time::Instant::now();
    let (t, r) = events_from(csv.as_bytes()).unwrap();
    let elapsed = start.elapsed();
    assert_eq!((t.len(), r.rejected_count), (n, 0));
    let bytes = t.heap_bytes();
    println!(
        "1M rows ({} MB of CSV): loaded in {:.2?}; heap {:.1} MB = {:.1} bytes/event",
        csv.len() / 1_000_000,
        elapsed,
        bytes as f64 / 1e6,
        bytes as f64 / n as f64
    );
    assert!(bytes < 200_000_000);
}
