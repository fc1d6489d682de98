//! Seeded synthetic conflict data for tests and benches: events uniform over the Sahel box
//! (latitude 4 to 25 N, longitude 17 W to 16 E) with dates uniform over the 3 years before
//! the as-of date, and sites uniform over the same box. About a third of the events fall in
//! a 365-day window, and a 100 km circle holds about 1,200 of a million events.
//! Shared by `tests/derive.rs` and `benches/index.rs` (included with `#[path]`).

#![allow(dead_code)] // each includer uses part of it

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use vigie::geo::{self, LatLon};

/// Box of the synthetic data, degrees.
pub const LAT: (f64, f64) = (4.0, 25.0);
/// Box of the synthetic data, degrees.
pub const LON: (f64, f64) = (-17.0, 16.0);
/// As-of day of the synthetic data: 2025-10-31 as days since 1970-01-01.
pub const AS_OF: i32 = 20_392;
/// Days of history generated before the as-of date.
pub const HISTORY_DAYS: i32 = 3 * 365;

/// Events as parallel columns, the shape the index is built from.
pub struct Events {
    pub lat: Vec<f64>,
    pub lon: Vec<f64>,
    pub date: Vec<i32>,
}

/// `n` events from `seed`.
pub fn events(n: usize, seed: u64) -> Events {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut e = Events {
        lat: Vec::with_capacity(n),
        lon: Vec::with_capacity(n),
        date: Vec::with_capacity(n),
    };
    for _ in 0..n {
        e.lat.push(rng.random_range(LAT.0..LAT.1));
        e.lon.push(rng.random_range(LON.0..LON.1));
        e.date.push(AS_OF - rng.random_range(0..HISTORY_DAYS));
    }
    e
}

/// `m` point sites from `seed`.
pub fn sites(m: usize, seed: u64) -> Vec<LatLon> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..m)
        .map(|_| LatLon {
            lat: rng.random_range(LAT.0..LAT.1),
            lon: rng.random_range(LON.0..LON.1),
        })
        .collect()
}

/// The naive all-pairs answer for one point site: events within the radius (haversine,
/// inclusive) dated in the window (inclusive).
pub fn naive_count(e: &Events, site: LatLon, radius_km: f64, first_day: i32, last_day: i32) -> u32 {
    let mut n = 0;
    for i in 0..e.lat.len() {
        let d = e.date[i];
        if d < first_day || d > last_day {
            continue;
        }
        if geo::haversine_km(
            site,
            LatLon {
                lat: e.lat[i],
                lon: e.lon[i],
            },
        ) <= radius_km
        {
            n += 1;
        }
    }
    n
}

/// A CSV in ACLED's format holding the events (for end-to-end runs of the binary). With
/// `notes`, each row carries about 270 characters of notes, as real ACLED exports do.
pub fn acled_csv(e: &Events, notes: bool) -> String {
    const NOTES: &str = "On this date, an armed group attacked a convoy of the Malian armed forces on the road between two villages of the cercle; vehicles were burned and equipment seized. Local sources report casualties among soldiers; the toll could not be confirmed by independent sources.";
    let mut out = String::from(
        "event_id_cnty,event_date,event_type,sub_event_type,latitude,longitude,fatalities,geo_precision,notes\n",
    );
    for i in 0..e.lat.len() {
        let date = vigie::events::days_to_date(e.date[i]);
        out.push_str(&format!(
            "SYN{i},{date},Battles,Armed clash,{:.4},{:.4},{},1,\"{}\"\n",
            e.lat[i],
            e.lon[i],
            i % 3,
            if notes { NOTES } else { "" }
        ));
    }
    out
}
