//! Writes a synthetic model of N indicators and a project giving every value (see
//! tests/support/wide_model.rs), for end-to-end measurements of the CLI on large models:
//! `cargo run --release --example wide_model -- 100000 tree /tmp/wide` writes
//! `/tmp/wide-model.toml` and `/tmp/wide-project.toml` (`flat`: every indicator under the
//! root; `tree`: about sqrt(N) groups of sqrt(N) indicators; `groups`: one group per
//! indicator under the root; `chain`: groups nested N deep).

#[path = "../tests/support/wide_model.rs"]
mod wide_model;

use wide_model::Shape;

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let shape = match args.next().as_deref() {
        Some("flat") => Shape::Flat,
        Some("groups") => Shape::Groups,
        Some("chain") => Shape::Chain,
        _ => Shape::Tree,
    };
    let stem = args.next().unwrap_or_else(|| "wide".to_string());
    let (model, project) = wide_model::wide_model(n, shape);
    for (path, text) in [
        (format!("{stem}-model.toml"), model),
        (format!("{stem}-project.toml"), project),
    ] {
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("error: cannot write {path}: {e}");
            std::process::exit(2);
        }
    }
    eprintln!(
        "wrote {stem}-model.toml and {stem}-project.toml: {n} indicators, {}",
        shape.name()
    );
}
