//! The formula language (`vigie::expr`): any text compiled with a resolver that knows a
//! few names; a formula that compiles is normalised (for the canonical fingerprint) and
//! evaluated on ordinary, extreme and missing values.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vigie::expr::{Name, Operand, compile};

/// Nodes a..d and raw inputs x, y; every other name is unknown.
fn resolve(name: Name<'_>) -> Option<Operand> {
    let index = ["a", "b", "c", "d", "x", "y"]
        .iter()
        .position(|n| *n == name.id)? as u32;
    match (name.raw, index) {
        (false, i @ 0..4) => Some(Operand::Node(i)),
        (true, i @ 4..6) => Some(Operand::Raw(i - 4)),
        _ => None,
    }
}

fuzz_target!(|data: &[u8]| {
    let Some(text) = vigie_fuzz::text(data) else {
        return;
    };
    let Ok(expr) = compile(text, &mut resolve) else {
        return;
    };
    let _ = expr.normalised_text();
    let _ = expr.is_constant();
    for (nodes, raw) in [
        ([1.0, 2.0, 0.0, -3.5], [10.0, 0.5]),
        ([f64::NAN; 4], [f64::NAN; 2]),
        (
            [f64::MAX, f64::MIN, f64::MIN_POSITIVE, -0.0],
            [1e308, -1e308],
        ),
    ] {
        let _ = expr.eval(&nodes, &raw);
    }
});
