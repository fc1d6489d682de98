//! Tests for spreadsheet rounding, including a property check against a slow string-based reference.

use proptest::prelude::*;
use vigie::rounding::{round_half_away, round_to_15_significant};

fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits()
}

#[test]
fn binary_near_halves_round_like_a_spreadsheet() {
    let x = (4.8 + 7.1) / 2.0;
    assert!(x < 5.95, "binary value is below the half: {x:?}");
    assert_eq!(round_half_away(x, 1), 6.0);
    assert_eq!(round_half_away(2.675, 2), 2.68);
    assert_eq!(round_half_away(0.7445, 3), 0.745);
    assert_eq!(round_half_away(1.005, 2), 1.01);
    assert_eq!(round_half_away(5.65, 1), 5.7);
    assert_eq!(round_half_away(5.7, 1), "5.7".parse::<f64>().unwrap());
}

#[test]
fn halves_go_away_from_zero() {
    assert_eq!(round_half_away(-2.5, 0), -3.0);
    assert_eq!(round_half_away(2.5, 0), 3.0);
    assert_eq!(round_half_away(0.5, 0), 1.0);
    assert_eq!(round_half_away(-0.5, 0), -1.0);
    assert_eq!(round_half_away(1.5, 0), 2.0);
    assert_eq!(round_half_away(-2.675, 2), -2.68);
    assert_eq!(round_half_away(2.4999, 0), 2.0);
}

#[test]
fn fifteen_significant_digits() {
    assert_eq!(round_half_away(0.1 + 0.2, 15), 0.3);
    assert_eq!(round_to_15_significant(0.1 + 0.2), 0.3);
    assert_eq!(round_to_15_significant(1.0 / 3.0), 0.333_333_333_333_333);
    assert_eq!(round_half_away(1.0 / 3.0, 20), 0.333_333_333_333_333);
}

#[test]
fn extremes_zeros_and_non_finite() {
    assert_eq!(round_half_away(1e300, 2), 1e300);
    assert_eq!(round_half_away(-1e300, 0), -1e300);
    assert_eq!(round_half_away(1e-300, 2), 0.0);
    assert_eq!(round_half_away(5e-324, 15), 0.0);
    assert_eq!(round_to_15_significant(5e-324), 5e-324);
    assert_eq!(round_half_away(f64::MAX, 2), f64::MAX);
    assert_eq!(round_half_away(f64::MIN, 2), f64::MIN);
    assert!(same(round_half_away(0.0, 2), 0.0));
    assert!(same(round_half_away(-0.0, 2), -0.0));
    assert!(same(round_half_away(-0.0001, 2), -0.0));
    assert!(round_half_away(f64::NAN, 2).is_nan());
    assert_eq!(round_half_away(f64::INFINITY, 2), f64::INFINITY);
    assert_eq!(round_half_away(f64::NEG_INFINITY, 2), f64::NEG_INFINITY);
}

#[test]
fn negative_and_extreme_decimals() {
    assert_eq!(round_half_away(1250.0, -2), 1300.0);
    assert_eq!(round_half_away(-1249.0, -2), -1200.0);
    assert_eq!(round_half_away(45.0, -1), 50.0);
    assert_eq!(round_half_away(4.0, -1), 0.0);
    assert_eq!(round_half_away(123.456, i32::MAX), 123.456);
    assert_eq!(round_half_away(123.456, i32::MIN), 0.0);
}

/// Slow, independent reference: the `{:.14e}` digits are laid out as a decimal string, rounded
/// half away from zero with character arithmetic, and parsed back.
fn reference_text(x: f64, decimals: usize) -> String {
    let formatted = format!("{x:.14e}");
    let (mantissa, exponent) = formatted.split_once('e').unwrap();
    let exponent: i64 = exponent.parse().unwrap();
    let negative = mantissa.starts_with('-');
    let digits: Vec<u8> = mantissa
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    let point = exponent + 1;
    let (mut int_part, mut frac_part): (Vec<u8>, Vec<u8>) = if point <= 0 {
        let mut frac = vec![0; usize::try_from(-point).unwrap()];
        frac.extend(&digits);
        (vec![0], frac)
    } else if point >= digits.len() as i64 {
        let mut int = digits.clone();
        int.resize(usize::try_from(point).unwrap(), 0);
        (int, Vec::new())
    } else {
        let split = usize::try_from(point).unwrap();
        (digits[..split].to_vec(), digits[split..].to_vec())
    };
    frac_part.resize(frac_part.len().max(decimals + 1), 0);
    let round_up = frac_part[decimals] >= 5;
    frac_part.truncate(decimals);
    if round_up {
        let mut all: Vec<u8> = int_part.iter().chain(&frac_part).copied().collect();
        let mut i = all.len();
        loop {
            if i == 0 {
                all.insert(0, 1);
                break;
            }
            i -= 1;
            if all[i] == 9 {
                all[i] = 0;
            } else {
                all[i] += 1;
                break;
            }
        }
        let split = all.len() - decimals;
        frac_part = all[split..].to_vec();
        int_part = all[..split].to_vec();
    }
    let digit_text = |d: &[u8]| d.iter().map(|&d| char::from(b'0' + d)).collect::<String>();
    let sign = if negative { "-" } else { "" };
    if decimals == 0 {
        format!("{sign}{}", digit_text(&int_part))
    } else {
        format!("{sign}{}.{}", digit_text(&int_part), digit_text(&frac_part))
    }
}

fn reference(x: f64, decimals: usize) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    let value: f64 = reference_text(x, decimals).parse().unwrap();
    if value.is_infinite() {
        f64::MAX.copysign(value)
    } else {
        value
    }
}

/// Values of every magnitude, plus decimal ties like `12.345` that stress the half case.
fn interesting_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>(),
        -1e8..1e8f64,
        (-1_000_000_000i64..1_000_000_000, 1u32..10)
            .prop_map(|(n, k)| { format!("{}e-{k}", n * 10 + 5).parse::<f64>().unwrap() }),
    ]
}

proptest! {
    #[test]
    fn matches_string_reference(x in interesting_f64(), decimals in 0usize..=6) {
        let got = round_half_away(x, i32::try_from(decimals).unwrap());
        let want = reference(x, decimals);
        prop_assert!(same(got, want), "x={x:?} d={decimals} got={got:?} want={want:?}");
    }

    /// For moderate values the result prints back as exactly the rounded decimal.
    #[test]
    fn prints_as_the_rounded_decimal(x in -1e8..1e8f64, decimals in 0usize..=6) {
        let got = round_half_away(x, i32::try_from(decimals).unwrap());
        prop_assert_eq!(format!("{got:.decimals$}"), reference_text(x, decimals));
    }

    #[test]
    fn fifteen_significant_is_idempotent(x in any::<f64>()) {
        let once = round_to_15_significant(x);
        prop_assert!(same(round_to_15_significant(once), once) || x.is_nan());
    }
}
