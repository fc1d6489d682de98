//! Summaries of simulated money, kept in `Decimal`: the mean and the type-7 percentiles
//! are exact decimal arithmetic on amounts already rounded to the minor unit, then
//! rounded to it again; only the standard deviation (a square root) goes through f64.

use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use serde::Serialize;

use super::stats::PERCENTILES;
use crate::finance::money::round_money;

/// Summary of simulated amounts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MoneySummary {
    /// Number of values.
    pub n: usize,
    /// Mean, rounded to the minor unit.
    pub mean: Decimal,
    /// Sample standard deviation (n - 1), computed in f64, rounded to the minor unit.
    pub sd: Decimal,
    /// Smallest value.
    pub min: Decimal,
    /// Largest value.
    pub max: Decimal,
    /// `(p, value)` for each of [`PERCENTILES`], type 7, rounded to the minor unit.
    pub percentiles: Vec<(f64, Decimal)>,
}

/// The p-th percentile (0-100) of sorted amounts, type 7 in exact decimal arithmetic:
/// h = (n - 1) p / 100, interpolated between the order statistics around h.
pub fn decimal_percentile(sorted: &[Decimal], p: f64) -> Decimal {
    let n = sorted.len();
    if n == 0 {
        return Decimal::ZERO;
    }
    let p = Decimal::from_f64(p.clamp(0.0, 100.0)).unwrap_or_default() / Decimal::ONE_HUNDRED;
    let h = Decimal::from(n - 1) * p;
    let lo = h.floor();
    let i = lo.to_usize().unwrap_or(0).min(n - 1);
    let j = (i + 1).min(n - 1);
    sorted[i] + (h - lo) * (sorted[j] - sorted[i])
}

/// Summarises amounts, rounding every statistic to `minor_units` decimals.
pub fn summarise_money(values: &[Decimal], minor_units: u32) -> MoneySummary {
    // Amounts at one scale sort by their integer mantissas, several times faster than
    // comparing Decimals; any other input is sorted as Decimals.
    let mut sorted = values.to_vec();
    if values.iter().all(|v| v.scale() == minor_units) {
        let mut m: Vec<i128> = values.iter().map(|v| v.mantissa()).collect();
        m.sort_unstable();
        sorted = m
            .into_iter()
            .map(|x| Decimal::from_i128_with_scale(x, minor_units))
            .collect();
    } else {
        sorted.sort();
    }
    let n = values.len();
    let mean = if n == 0 {
        Decimal::ZERO
    } else {
        values.iter().sum::<Decimal>() / Decimal::from(n)
    };
    let sd = if n > 1 {
        let m = mean.to_f64().unwrap_or(0.0);
        let ss: f64 = values
            .iter()
            .map(|v| (v.to_f64().unwrap_or(0.0) - m).powi(2))
            .sum();
        Decimal::from_f64((ss / (n - 1) as f64).sqrt()).unwrap_or_default()
    } else {
        Decimal::ZERO
    };
    let r = |d: Decimal| round_money(d, minor_units);
    MoneySummary {
        n,
        mean: r(mean),
        sd: r(sd),
        min: sorted.first().copied().unwrap_or_default(),
        max: sorted.last().copied().unwrap_or_default(),
        percentiles: PERCENTILES
            .iter()
            .map(|&p| (p, r(decimal_percentile(&sorted, p))))
            .collect(),
    }
}

/// Summarises amounts given in minor units (exact integers: the simulation's path). The
/// statistics are those [`summarise_money`] gives on the same amounts as `Decimal`s.
pub fn summarise_minor_units(values: &mut [i64], minor_units: u32) -> MoneySummary {
    values.sort_unstable();
    let n = values.len();
    let dec = |v: i64| Decimal::new(v, minor_units);
    let r = |d: Decimal| round_money(d, minor_units);
    let sum: i128 = values.iter().map(|&v| i128::from(v)).sum();
    let mean = if n == 0 {
        Decimal::ZERO
    } else {
        Decimal::from_i128_with_scale(sum, minor_units) / Decimal::from(n)
    };
    let sd = if n > 1 {
        let m = sum as f64 / n as f64;
        let ss: f64 = values.iter().map(|&v| (v as f64 - m).powi(2)).sum();
        // In minor units, then scaled back to the currency.
        Decimal::from_f64((ss / (n - 1) as f64).sqrt()).unwrap_or_default()
            / Decimal::from(10i64.pow(minor_units))
    } else {
        Decimal::ZERO
    };
    let percentile = |p: f64| -> Decimal {
        if n == 0 {
            return Decimal::ZERO;
        }
        let p = Decimal::from_f64(p.clamp(0.0, 100.0)).unwrap_or_default() / Decimal::ONE_HUNDRED;
        let h = Decimal::from(n - 1) * p;
        let lo = h.floor();
        let i = lo.to_usize().unwrap_or(0).min(n - 1);
        let j = (i + 1).min(n - 1);
        dec(values[i]) + (h - lo) * (dec(values[j]) - dec(values[i]))
    };
    MoneySummary {
        n,
        mean: r(mean),
        sd: r(sd),
        min: values.first().map_or(Decimal::ZERO, |&v| dec(v)),
        max: values.last().map_or(Decimal::ZERO, |&v| dec(v)),
        percentiles: PERCENTILES.iter().map(|&p| (p, r(percentile(p)))).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn decimal_percentiles_match_type_7_exactly() {
        let s = [d("1.00"), d("2.00"), d("3.00"), d("4.00")];
        assert_eq!(decimal_percentile(&s, 50.0), d("2.5"));
        // h = 3 x 0.05 = 0.15 -> 1.15, exactly (f64 would give 1.1500000000000001)
        assert_eq!(decimal_percentile(&s, 5.0), d("1.15"));
        assert_eq!(decimal_percentile(&s, 100.0), d("4"));
        let m = summarise_money(&s, 2);
        assert_eq!(m.mean, d("2.50"));
        assert_eq!(m.percentiles[0], (5.0, d("1.15")));
        // sd of 1..4 = sqrt(5/3) = 1.290994...
        assert_eq!(m.sd, d("1.29"));
        // The integer path agrees.
        let mut cents = vec![100, 200, 300, 400];
        assert_eq!(summarise_minor_units(&mut cents, 2), m);
    }
}
