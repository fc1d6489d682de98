//! Summaries of simulated money. The simulation hands over amounts in minor units (exact
//! integers); the mean and the type-7 percentiles are exact decimal arithmetic on them,
//! rounded to the minor unit; only the standard deviation (a square root) goes through
//! f64.

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

/// Summarises amounts given in minor units (sorting them in place).
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
    // Type 7 in exact decimals: h = (n - 1) p / 100, interpolated between the order
    // statistics around h.
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
    fn percentiles_are_type_7_in_exact_decimals() {
        let mut cents = vec![400, 100, 300, 200];
        let m = summarise_minor_units(&mut cents, 2);
        assert_eq!(m.mean, d("2.50"));
        // h = 3 x 0.05 = 0.15 -> 1.15, exactly (f64 would give 1.1500000000000001)
        assert_eq!(m.percentiles[0], (5.0, d("1.15")));
        // h = 3 x 0.5 = 1.5 -> 2 + 0.5 x (3 - 2)
        assert_eq!(m.percentiles[2], (50.0, d("2.50")));
        assert_eq!(m.percentiles[4], (95.0, d("3.85")));
        // sd of 1..4 = sqrt(5/3) = 1.290994...
        assert_eq!(m.sd, d("1.29"));
        assert_eq!((m.min, m.max), (d("1.00"), d("4.00")));
        let mut none: Vec<i64> = vec![];
        assert_eq!(summarise_minor_units(&mut none, 0).mean, Decimal::ZERO);
    }
}
