//! Writes a synthetic event file in ACLED's format (seeded; see tests/support/synthetic.rs)
//! for end-to-end measurements of `vigie score --events`:
//! `cargo run --release --example synthetic_events -- 1000000 /tmp/events-1m.csv [notes]`
//! (with `notes`, every row carries about 270 characters of notes, like ACLED's).

#[path = "../tests/support/synthetic.rs"]
mod synthetic;

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let path = args
        .next()
        .unwrap_or_else(|| "events-synthetic.csv".to_string());
    let notes = args.next().is_some_and(|a| a == "notes");
    let csv = synthetic::acled_csv(&synthetic::events(n, 1), notes);
    if let Err(e) = std::fs::write(&path, csv) {
        eprintln!("error: cannot write {path}: {e}");
        std::process::exit(2);
    }
    eprintln!("wrote {n} events to {path}");
}
