//! Numbers back in the units the model's author wrote them in. The compiled model keeps
//! goalposts, points and thresholds transformed (`ln 250`, not `250`) and scores as
//! fractions of the scale (`0.7`, not `70`); the canonical form and the diff show the
//! written units instead.
//!
//! The written value cannot be read back exactly from the compiled one (`exp(ln 250)` is
//! `250.00000000000006`), so the number shown is the shortest decimal that compiles to the
//! very same double: for any value an author writes by hand, the value written. Being a
//! function of the compiled double alone, it cannot depend on how the file spelled it, and
//! since it compiles back to that double, two different compiled values never show alike.

use crate::model::{Scale, Transform, transform};

/// How many units in the last place either side of the first guess are tried.
const ULP_REACH: i64 = 8;

/// The raw-unit value of a transformed abscissa (goalpost, piecewise point, bin threshold):
/// `None` only when no decimal near the inverse transform compiles to `compiled`.
pub fn abscissa(t: Transform, compiled: f64) -> Option<f64> {
    let forward = |x: f64| match t {
        // A ratio's breakpoints are written per unit of the denominator and kept as is.
        Transform::Ratio { .. } | Transform::None => x,
        other => transform(other, x, &[]),
    };
    let guess = match t {
        Transform::None | Transform::Ratio { .. } => return Some(compiled),
        Transform::Ln => compiled.exp(),
        Transform::Log10 => 10f64.powf(compiled),
        Transform::Power(p) => compiled.powf(1.0 / p),
    };
    shortest_preimage(guess, |x| same(forward(x), compiled))
}

/// The score on the model's scale that a stored fraction stands for.
pub fn score(scale: Scale, fraction: f64) -> Option<f64> {
    let guess = scale.from_fraction(fraction);
    shortest_preimage(guess, |y| same(scale.to_fraction(y), fraction))
}

/// Bitwise equality (so that 0.0 and -0.0 differ, as they may in a transform's result).
fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits()
}

/// The shortest decimal, among the doubles within [`ULP_REACH`] units in the last place of
/// `guess`, that `hits`; on equal length, the one nearest `guess`.
fn shortest_preimage(guess: f64, hits: impl Fn(f64) -> bool) -> Option<f64> {
    if !guess.is_finite() {
        return None;
    }
    let mut best: Option<(usize, f64)> = None;
    // 0, -1, 1, -2, 2...: nearest first, so a tie in length keeps the nearest.
    for step in (0..=2 * ULP_REACH).map(|i| if i % 2 == 0 { i / 2 } else { -(i + 1) / 2 }) {
        let Some(x) = ulps_away(guess, step) else {
            continue;
        };
        if !hits(x) {
            continue;
        }
        // Only a shorter decimal than the best so far can improve on it.
        let longest = best.map_or(17, |(d, _)| d - 1);
        let found = (1..=longest).find_map(|digits| {
            let y: f64 = format!("{:.*e}", digits - 1, x).parse().ok()?;
            hits(y).then_some((digits, y))
        });
        if found.is_some() {
            best = found;
        }
    }
    best.map(|(_, y)| if y == 0.0 { 0.0 } else { y })
}

/// The double `steps` units in the last place from `x` (same sign side), if finite.
fn ulps_away(x: f64, steps: i64) -> Option<f64> {
    if steps == 0 {
        return Some(x);
    }
    // Doubles of one sign are ordered like their bit patterns; walking across zero is not
    // needed here (a guess of 0 is exact for every transform and scale used).
    let bits = x.to_bits() as i64;
    let moved = if x.is_sign_negative() {
        bits.checked_sub(steps)?
    } else {
        bits.checked_add(steps)?
    };
    let y = f64::from_bits(moved as u64);
    (y.is_finite() && y.is_sign_negative() == x.is_sign_negative()).then_some(y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logged_goalposts_come_back_as_written() {
        for x in [250.0_f64, 14000.0, 100.0, 75000.0, 0.3, 1e-5, 123456.789] {
            assert_eq!(abscissa(Transform::Ln, x.ln()), Some(x), "{x}");
            assert_eq!(abscissa(Transform::Log10, x.log10()), Some(x), "{x}");
            assert_eq!(abscissa(Transform::Power(0.5), x.powf(0.5)), Some(x), "{x}");
        }
    }

    #[test]
    fn scores_come_back_as_written() {
        let pct = Scale {
            min: 0.0,
            max: 100.0,
        };
        let odd = Scale {
            min: -3.0,
            max: 7.5,
        };
        for y in [0.0, 70.0, 40.0, 12.5, 99.9, 33.3, 1.0, 100.0] {
            assert_eq!(score(pct, pct.to_fraction(y)), Some(y), "{y}");
        }
        for y in [-3.0, 0.0, 1.1, 7.5, 2.25] {
            assert_eq!(score(odd, odd.to_fraction(y)), Some(y), "{y}");
        }
    }

    #[test]
    fn untransformed_values_are_kept() {
        assert_eq!(abscissa(Transform::None, 0.1), Some(0.1));
        assert_eq!(
            abscissa(
                Transform::Ratio {
                    denominator: 0,
                    multiplier: 1e5
                },
                20.0
            ),
            Some(20.0)
        );
    }
}
