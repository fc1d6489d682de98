//! Criterion benches of the spatial index on synthetic data (tests/support/synthetic.rs):
//! 1,000,000 events over the Sahel box and 3 years, 100,000 point sites, radius 100 km,
//! 365-day window. Run: `cargo bench --bench index`. Figures: docs/performance.md.
//!
//! - `index/build/1m`: building the grid index over 1M events.
//! - `index/batch/100k_sites_2_threads`: counting events for all 100,000 sites, split over
//!   2 threads (the machine's cores); per-site work is independent, so counts do not
//!   depend on the split.
//! - `index/naive/1k_sites`: the naive all-pairs scan (haversine on every event) for the
//!   first 1,000 sites; multiply by 100 for the 100,000-site batch on one thread.
//! - `index/cell_size/*`: the batch on one thread for the first 10,000 sites at several
//!   cell sizes, the measurement behind the default.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use vigie::derive::index::{DEFAULT_CELL_DEG, EventIndex};
use vigie::geo::LatLon;

#[path = "../tests/support/synthetic.rs"]
mod synthetic;

const RADIUS_KM: f64 = 100.0;
const WINDOW_DAYS: i32 = 365;
const THREADS: usize = 2;

fn batch(index: &EventIndex, sites: &[LatLon], threads: usize) -> u64 {
    let first = synthetic::AS_OF - WINDOW_DAYS + 1;
    let chunk = sites.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = sites
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|&site| {
                            u64::from(index.count_within(site, RADIUS_KM, first, synthetic::AS_OF))
                        })
                        .sum::<u64>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("no panic"))
            .sum()
    })
}

fn index_benches(c: &mut Criterion) {
    let events = synthetic::events(1_000_000, 1);
    let sites = synthetic::sites(100_000, 2);
    let index = EventIndex::build(&events.lat, &events.lon, &events.date, DEFAULT_CELL_DEG);
    eprintln!(
        "index: {} events, {:.1} MB heap ({:.1} bytes per event)",
        index.len(),
        index.heap_bytes() as f64 / 1e6,
        index.heap_bytes() as f64 / index.len() as f64
    );
    let total = batch(&index, &sites, THREADS);
    eprintln!(
        "mean events within 100 km over 365 days per site: {:.1}",
        total as f64 / sites.len() as f64
    );

    let mut g = c.benchmark_group("index");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(20))
        .warm_up_time(Duration::from_secs(2));
    g.bench_function("build/1m", |b| {
        b.iter(|| {
            EventIndex::build(
                black_box(&events.lat),
                &events.lon,
                &events.date,
                DEFAULT_CELL_DEG,
            )
        })
    });
    g.bench_function("batch/100k_sites_2_threads", |b| {
        b.iter(|| batch(black_box(&index), &sites, THREADS))
    });
    let first = synthetic::AS_OF - WINDOW_DAYS + 1;
    g.bench_function("naive/1k_sites", |b| {
        b.iter(|| {
            sites[..1000]
                .iter()
                .map(|&s| {
                    synthetic::naive_count(
                        black_box(&events),
                        s,
                        RADIUS_KM,
                        first,
                        synthetic::AS_OF,
                    )
                })
                .sum::<u32>()
        })
    });
    for cell in [0.25, 0.5, 1.0, 2.0] {
        let idx = EventIndex::build(&events.lat, &events.lon, &events.date, cell);
        g.bench_function(format!("cell_size/{cell}deg_10k_sites_1_thread"), |b| {
            b.iter(|| batch(black_box(&idx), &sites[..10_000], 1))
        });
    }
    g.finish();
}

criterion_group!(benches, index_benches);
criterion_main!(benches);
