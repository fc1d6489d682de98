//! Number formatting for reports: fixed decimals, percentages, money with thousands
//! separators. Money is formatted from `Decimal`, never through a float. Scores and shares
//! are rounded as spreadsheets do (half away from zero at 15 significant digits), so a
//! reader checking a figure by hand gets the same last digit.

use rust_decimal::Decimal;
use vigie::rounding::round_half_away;

/// A score with a fixed number of decimals ("-" when absent).
pub fn fixed(x: Option<f64>, decimals: usize) -> String {
    match x {
        Some(v) if v.is_finite() => {
            let v = round_half_away(v, decimals as i32);
            let s = format!("{v:.decimals$}");
            // "-0.0" reads as a sign error to a committee; show it as 0.
            if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
                s[1..].to_string()
            } else {
                s
            }
        }
        _ => "-".to_string(),
    }
}

/// A 0-1 share as a percentage with one decimal.
pub fn percent(x: f64) -> String {
    format!("{:.1}%", round_half_away(x * 100.0, 1))
}

/// A raw value: integers without decimals, others with up to 4 significant decimals.
pub fn raw(x: Option<f64>) -> String {
    match x {
        Some(v) if v.fract() == 0.0 && v.abs() < 1e15 => group_thousands(&format!("{v:.0}")),
        Some(v) => {
            let s = format!("{v:.4}");
            let s = s.trim_end_matches('0').trim_end_matches('.');
            s.to_string()
        }
        None => "-".to_string(),
    }
}

/// Money: thousands separators, the decimals the amount has.
pub fn money(d: Decimal) -> String {
    group_thousands(&d.normalize().to_string())
}

/// Money at a currency's minor unit: thousands separators and exactly `minor` decimals.
pub fn amount(d: Decimal, minor: u32) -> String {
    group_thousands(&format!("{:.*}", minor as usize, d))
}

fn group_thousands(s: &str) -> String {
    let (sign, rest) = s.strip_prefix('-').map_or(("", s), |r| ("-", r));
    let (int, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn money_groups_thousands_exactly() {
        assert_eq!(
            money(Decimal::from_str("65000000.00").unwrap()),
            "65,000,000"
        );
        assert_eq!(money(Decimal::from_str("1234.5").unwrap()), "1,234.5");
        assert_eq!(money(Decimal::from_str("-999").unwrap()), "-999");
    }

    #[test]
    fn fixed_hides_negative_zero() {
        assert_eq!(fixed(Some(-0.0001), 1), "0.0");
        // 71.25 is exact in binary; half away from zero gives 71.3 (Rust's format gives 71.2).
        assert_eq!(fixed(Some(71.25), 1), "71.3");
        assert_eq!(percent(0.65 * 0.35), "22.8%");
        assert_eq!(fixed(None, 1), "-");
    }

    #[test]
    fn raw_values() {
        assert_eq!(raw(Some(22395485.0)), "22,395,485");
        assert_eq!(raw(Some(44.4)), "44.4");
        assert_eq!(raw(Some(0.123456)), "0.1235");
    }
}
