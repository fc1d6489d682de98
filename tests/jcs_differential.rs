//! The hand-written RFC 8785 serialiser (`vigie::canonical::jcs`) against an independent
//! one, serde_jcs: a published model fingerprint is the SHA-256 of these bytes, so they
//! must never change unnoticed. Both must give the same text for every shipped model's
//! canonical form and for numbers across the whole range of doubles.

use rand::{RngExt, SeedableRng};
use serde_json::{Value, json};
use vigie::canonical::{canonical_value, jcs};
use vigie::{Model, SourceFile};

fn shipped_models() -> Vec<String> {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut out = Vec::new();
    for dir in ["models", "models/history", "models/template"] {
        for entry in std::fs::read_dir(format!("{root}/{dir}")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                let text = std::fs::read_to_string(&path).unwrap();
                if text.contains("[model]") {
                    out.push(path.display().to_string());
                }
            }
        }
    }
    out
}

#[test]
fn shipped_models_canonicalise_as_serde_jcs_does() {
    let models = shipped_models();
    assert!(models.len() >= 5, "{models:?}");
    for path in models {
        let text = std::fs::read_to_string(&path).unwrap();
        let (model, _) = Model::from_source(&SourceFile::new(path.clone(), text)).unwrap();
        let value = canonical_value(&model);
        let ours = jcs::to_string(&value).unwrap();
        let theirs = serde_jcs::to_string(&value).unwrap();
        assert_eq!(ours, theirs, "{path}");
    }
}

/// Doubles of every magnitude (uniform bit patterns, powers of ten and their neighbours,
/// integers at the edge of exact representation) print as ECMAScript prints them.
#[test]
fn numbers_print_as_serde_jcs_prints_them() {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(8785);
    let mut xs: Vec<f64> = (0..60_000)
        .map(|_| f64::from_bits(rng.random::<u64>()))
        .filter(|x| x.is_finite())
        .collect();
    for e in -324..=308 {
        let p = format!("1e{e}").parse::<f64>().unwrap();
        xs.extend([p, -p, p.next_up(), p.next_down(), 1.5 * p, 123456789.0 * p]);
    }
    xs.extend([
        0.0,
        -0.0,
        2f64.powi(53),
        2f64.powi(53) + 2.0,
        9007199254740993.0,
        1e21,
        1e-7,
        5e-324,
    ]);
    let mut checked = 0;
    for chunk in xs.chunks(1000) {
        let value = Value::Array(chunk.iter().map(|&x| json!(x)).collect());
        assert_eq!(
            jcs::to_string(&value).unwrap(),
            serde_jcs::to_string(&value).unwrap()
        );
        checked += chunk.len();
    }
    assert!(checked > 50_000, "{checked}");
}
