//! Spreadsheet-compatible rounding (what Excel's `ROUND` does), without heap allocation.
//!
//! Binary floating point cannot hold most decimal fractions: `(4.8 + 7.1) / 2` is stored as
//! `5.949999999999999…`, so rounding the binary value to one decimal gives `5.9`, while a
//! spreadsheet shows and rounds `5.95` and gives `6.0`. Risk analysts check scores against
//! spreadsheets, so we reproduce the spreadsheet's two steps:
//!
//! 1. take the decimal with 15 significant digits nearest to `x` (spreadsheets keep 15);
//! 2. round that decimal half away from zero to the requested number of decimal places;
//!
//! and return the `f64` nearest to the resulting decimal, i.e. exactly what parsing its text
//! (for example `"5.7".parse::<f64>()`) gives.
//!
//! Both functions run in hot loops, so the decimal digits are produced by `core::fmt` into a
//! fixed-size buffer on the stack instead of a `String`.

use core::fmt::{self, Write};

/// Significant decimal digits spreadsheets work with.
const SIG_DIGITS: i64 = 15;

/// Every power of ten that an `f64` holds exactly (10^22 is the largest). Multiplying or dividing
/// an exact integer below 2^53 by one of these is a single correctly rounded IEEE operation, so
/// the result is the `f64` nearest to the exact decimal (Clinger's fast path).
const EXACT_POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Small text buffer on the stack; formatting into it never allocates.
struct StackBuf {
    bytes: [u8; 48],
    len: usize,
}

impl StackBuf {
    const fn new() -> Self {
        Self {
            bytes: [0; 48],
            len: 0,
        }
    }

    fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }
}

impl Write for StackBuf {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len.checked_add(s.len()).ok_or(fmt::Error)?;
        // Too long for the buffer is an error rather than a panic; callers fall back safely.
        let dst = self.bytes.get_mut(self.len..end).ok_or(fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Splits non-zero finite `x` into its nearest 15-significant-digit decimal:
/// `(negative, mantissa, exponent)` with `10^14 <= mantissa < 10^15` and
/// `|x| ≈ mantissa × 10^(exponent - 14)`.
///
/// `{:.14e}` is correctly rounded by `core::fmt`, which is exactly the first spreadsheet step.
fn decompose(x: f64) -> Option<(bool, u64, i64)> {
    let mut buf = StackBuf::new();
    write!(buf, "{x:.14e}").ok()?;
    let text = buf.as_bytes();
    let (negative, rest) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    let mut mantissa: u64 = 0;
    let mut exponent_text = None;
    for (index, &byte) in rest.iter().enumerate() {
        match byte {
            b'0'..=b'9' => {
                mantissa = mantissa
                    .checked_mul(10)?
                    .checked_add(u64::from(byte - b'0'))?;
            }
            b'.' => {}
            b'e' => {
                exponent_text = rest.get(index + 1..);
                break;
            }
            _ => return None,
        }
    }
    let exponent = core::str::from_utf8(exponent_text?).ok()?.parse().ok()?;
    Some((negative, mantissa, exponent))
}

/// The `f64` nearest to `±digits × 10^power`, where `digits <= 10^15`.
///
/// A decimal just above `f64::MAX` (only reachable from 15-digit rounding of values within
/// about 5e292 of it) saturates at `±f64::MAX`, so a finite input never becomes infinite.
fn compose(negative: bool, digits: u64, power: i64) -> f64 {
    let magnitude = if digits == 0 {
        0.0
    } else if let Some(&scale) = usize::try_from(power.unsigned_abs())
        .ok()
        .and_then(|k| EXACT_POW10.get(k))
    {
        // `digits` is at most 10^15 < 2^53, so this conversion is exact.
        let exact = digits as f64;
        if power >= 0 {
            exact * scale
        } else {
            exact / scale
        }
    } else {
        parse_scientific(digits, power)
    };
    let magnitude = if magnitude.is_infinite() {
        f64::MAX
    } else {
        magnitude
    };
    if negative { -magnitude } else { magnitude }
}

/// Slow but exact path for powers outside the fast path: let the standard (correctly
/// rounded, allocation-free) float parser convert `digits e power`.
fn parse_scientific(digits: u64, power: i64) -> f64 {
    let mut buf = StackBuf::new();
    if write!(buf, "{digits}e{power}").is_err() {
        return f64::NAN;
    }
    core::str::from_utf8(buf.as_bytes())
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(f64::NAN)
}

/// Rounds like a spreadsheet's `ROUND(x, decimals)`.
///
/// `x` is first reduced to its nearest 15-significant-digit decimal, which is then rounded half
/// away from zero to `decimals` places; the result is the `f64` nearest to that decimal.
///
/// * Any `decimals` is accepted. Negative values round to tens (`-1`), hundreds (`-2`), … like
///   Excel. Places beyond the 15th significant digit change nothing (the result is then
///   [`round_to_15_significant`]).
/// * Non-finite `x` (NaN, ±∞) and zeros are returned unchanged.
/// * The sign of a result that rounds to zero is kept (`-0.0001` → `-0.0`, which equals `0.0`).
/// * Results beyond `f64::MAX` (only possible within about 5e292 of it) saturate at `±f64::MAX`.
///
/// ```
/// use vigie::rounding::round_half_away;
/// assert_eq!(round_half_away((4.8 + 7.1) / 2.0, 1), 6.0);
/// assert_eq!(round_half_away(2.675, 2), 2.68);
/// assert_eq!(round_half_away(-2.5, 0), -3.0);
/// assert_eq!(round_half_away(1250.0, -2), 1300.0);
/// ```
#[must_use]
pub fn round_half_away(x: f64, decimals: i32) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    if let Some(r) = round_far_from_tie(x, decimals) {
        return r;
    }
    let Some((negative, mantissa, exponent)) = decompose(x) else {
        return x;
    };
    // Digit `i` of the mantissa (0 = leading) is worth 10^(exponent - i); we keep the digits
    // worth at least 10^-decimals. i64 arithmetic cannot overflow for any i32 `decimals`.
    let keep = exponent + i64::from(decimals) + 1;
    if keep >= SIG_DIGITS {
        return compose(negative, mantissa, exponent - (SIG_DIGITS - 1));
    }
    if keep < 0 {
        // The value is below half a unit of the last place, so it rounds to zero.
        return compose(negative, 0, 0);
    }
    let Some(divisor) = u32::try_from(SIG_DIGITS - keep)
        .ok()
        .and_then(|dropped| 10u64.checked_pow(dropped))
    else {
        return x;
    };
    let kept = mantissa / divisor;
    // Half away from zero: we work on the magnitude, so "half or more" rounds up.
    let rounded = if mantissa % divisor >= divisor / 2 {
        kept + 1
    } else {
        kept
    };
    compose(negative, rounded, -i64::from(decimals))
}

/// Largest scaled magnitude `|x| 10^decimals` the fast path takes. The 15-digit step moves
/// a value by at most 5e-15 of itself and the scaling multiply by 1.2e-16, so below 1e9 the
/// scaled value moves by less than 6e-6.
const FAST_PATH_MAX_SCALED: f64 = 1e9;
/// How far from a .5 tie the scaled value must be for the fast path: far more than the
/// 6e-6 the exact path could move it, so both paths pick the same integer.
const FAST_PATH_TIE_MARGIN: f64 = 1e-4;

/// The common case without formatting: when `|x| 10^decimals` is moderate and not near a
/// .5 tie, the 15-digit step cannot change which integer it rounds to, so the integer is
/// taken directly and composed exactly as the slow path would. `None` near a tie.
fn round_far_from_tie(x: f64, decimals: i32) -> Option<f64> {
    let scale = *usize::try_from(decimals)
        .ok()
        .and_then(|d| EXACT_POW10.get(d))?;
    let scaled = x.abs() * scale;
    if scaled >= FAST_PATH_MAX_SCALED {
        return None;
    }
    let floor = scaled.floor();
    let fraction = scaled - floor;
    if (fraction - 0.5).abs() <= FAST_PATH_TIE_MARGIN {
        return None;
    }
    // x is finite, so `scaled` is too; `floor` is an integer below 1e9: exact as u64.
    let digits = floor as u64 + u64::from(fraction > 0.5);
    Some(compose(x < 0.0, digits, -i64::from(decimals)))
}

/// The `f64` nearest to the 15-significant-digit decimal nearest to `x`: what a spreadsheet
/// stores after any calculation (`0.1 + 0.2` becomes `0.3`).
///
/// Non-finite values and zeros are returned unchanged; like [`round_half_away`], a result
/// beyond `f64::MAX` saturates at `±f64::MAX`.
#[must_use]
pub fn round_to_15_significant(x: f64) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    match decompose(x) {
        Some((negative, mantissa, exponent)) => {
            compose(negative, mantissa, exponent - (SIG_DIGITS - 1))
        }
        None => x,
    }
}
