//! Basel capital for a project-finance exposure: the supervisory slotting criteria for
//! specialised lending (BCBS Basel Framework, CRE33: risk weights and expected-loss rates
//! per category) and the IRB risk-weight function for corporate exposures (CRE31.4-31.5,
//! with the 0.05 % PD floor of CRE32.13). Probabilities and the capital requirement K are
//! f64; amounts are `Decimal`, rounded to the currency's minor unit.
//!
//! A slotting category here comes from a political-risk score, not from Basel's full set
//! of supervisory criteria (financial strength, political and legal environment,
//! transaction characteristics, security package): outputs must say so.

use rust_decimal::prelude::*;
use statrs::distribution::{ContinuousCDF, Normal};

/// Capital as a share of risk-weighted assets (CRE20: 8 % minimum total capital).
pub const CAPITAL_RATIO: Decimal = Decimal::from_parts(8, 0, 0, false, 2);
/// PD floor for corporate exposures, 0.05 % (CRE32.13).
pub const PD_FLOOR: f64 = 0.0005;
/// Decimals a computed rate (the IRB risk weight) keeps when it enters money: 8, because
/// the normal CDF behind it is accurate to about 1e-10 (statrs's `erfc`), so further
/// digits would be noise turned into cents.
pub const RATE_DECIMALS: u32 = 8;
/// Rounding of money to the minor unit: banker's rounding, unbiased in aggregate.
pub const MONEY_ROUNDING: RoundingStrategy = RoundingStrategy::MidpointNearestEven;

/// A probability or rate as it enters money: f64 to `Decimal`, rounded to
/// [`RATE_DECIMALS`].
pub fn rate(x: f64) -> Decimal {
    Decimal::from_f64_retain(x)
        .unwrap_or_default()
        .round_dp(RATE_DECIMALS)
}

/// An amount rounded to the minor unit with [`MONEY_ROUNDING`], always written with
/// that many decimals (0 becomes 0.00 in USD), so amounts read alike in every output.
pub fn round_money(x: Decimal, minor_units: u32) -> Decimal {
    let mut r = x.round_dp_with_strategy(minor_units, MONEY_ROUNDING);
    r.rescale(minor_units);
    r
}

/// Supervisory slotting categories for project finance (CRE33). Default is an obligor's
/// status, not a category a score maps to: see [`slotting`]'s `defaulted`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// Strong.
    Strong,
    /// Good.
    Good,
    /// Satisfactory.
    Satisfactory,
    /// Weak.
    Weak,
}

impl Category {
    /// The word used in model files and outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Strong => "strong",
            Category::Good => "good",
            Category::Satisfactory => "satisfactory",
            Category::Weak => "weak",
        }
    }
}

/// Risk weight and expected-loss rate of one slotting case, and the money they give.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Slotting {
    /// Risk weight (1.15 = 115 %).
    pub risk_weight: Decimal,
    /// Expected-loss rate (0.028 = 2.8 %).
    pub el_rate: Decimal,
    /// Risk-weighted assets.
    pub rwa: Decimal,
    /// Capital at 8 % of RWA.
    pub capital: Decimal,
    /// Expected loss = EL rate x EAD.
    pub expected_loss: Decimal,
}

/// Slotting capital for an exposure (CRE33 table: risk weights 70/90/115/250 %, EL rates
/// 0.4/0.8/2.8/8 %; with `short_maturity` (remaining maturity under 2.5 years, a national
/// option) Strong and Good take 50/70 % and EL rates 0/0.4 %; a defaulted exposure takes
/// 0 % and an EL rate of 50 %).
pub fn slotting(
    category: Category,
    defaulted: bool,
    short_maturity: bool,
    ead: Decimal,
    minor_units: u32,
) -> Slotting {
    let pct = |n: i64| Decimal::new(n, 3); // tenths of a percent: 1150 -> 1.150
    let (rw, el) = if defaulted {
        (pct(0), pct(500))
    } else {
        match (category, short_maturity) {
            (Category::Strong, true) => (pct(500), pct(0)),
            (Category::Good, true) => (pct(700), pct(4)),
            (Category::Strong, false) => (pct(700), pct(4)),
            (Category::Good, false) => (pct(900), pct(8)),
            (Category::Satisfactory, _) => (pct(1150), pct(28)),
            (Category::Weak, _) => (pct(2500), pct(80)),
        }
    };
    let money = |d: Decimal| round_money(d, minor_units);
    let rwa = ead * rw;
    Slotting {
        risk_weight: rw,
        el_rate: el,
        rwa: money(rwa),
        capital: money(rwa * CAPITAL_RATIO),
        expected_loss: money(ead * el),
    }
}

/// The IRB corporate risk-weight function, step by step.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Irb {
    /// PD after the floor.
    pub pd: f64,
    /// Asset correlation R.
    pub correlation: f64,
    /// Maturity adjustment b.
    pub maturity_adjustment: f64,
    /// Capital requirement K per unit of EAD.
    pub k: f64,
    /// Risk weight K x 12.5 (0.9232 = 92.32 %).
    pub risk_weight: f64,
    /// Risk-weighted assets K x 12.5 x EAD.
    pub rwa: Decimal,
    /// Capital at 8 % of RWA.
    pub capital: Decimal,
}

/// Why the IRB function cannot be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum IrbError {
    /// PD or LGD outside [0, 1], or not finite.
    #[error("{what} = {value} must be a probability in [0, 1]")]
    Probability {
        /// Which parameter.
        what: &'static str,
        /// The value given.
        value: f64,
    },
    /// Maturity not finite or not positive.
    #[error("maturity {0} years must be positive")]
    Maturity(f64),
}

/// IRB capital for a corporate exposure (CRE31.5): PD floored at 0.05 %, maturity M in
/// years clamped to [1, 5] (CRE32.47), LGD as given (45 % is the foundation value for
/// senior unsecured claims, CRE32.6).
pub fn irb(
    pd: f64,
    lgd: f64,
    maturity_years: f64,
    ead: Decimal,
    minor_units: u32,
) -> Result<Irb, IrbError> {
    for (what, value) in [("PD", pd), ("LGD", lgd)] {
        if !(0.0..=1.0).contains(&value) {
            return Err(IrbError::Probability { what, value });
        }
    }
    if !(maturity_years.is_finite() && maturity_years > 0.0) {
        return Err(IrbError::Maturity(maturity_years));
    }
    let m = maturity_years.clamp(1.0, 5.0);
    let pd = pd.max(PD_FLOOR);
    let n = Normal::standard();
    let weight = (1.0 - (-50.0 * pd).exp()) / (1.0 - (-50.0f64).exp());
    let r = 0.12 * weight + 0.24 * (1.0 - weight);
    let b = (0.11852 - 0.05478 * pd.ln()).powi(2);
    // A defaulted-style PD of 1 gives G(1) = inf: K is then 0 by the formula's limit.
    let k = if pd >= 1.0 {
        0.0
    } else {
        let x = (1.0 - r).powf(-0.5) * n.inverse_cdf(pd)
            + (r / (1.0 - r)).sqrt() * n.inverse_cdf(0.999);
        ((lgd * n.cdf(x) - pd * lgd) / (1.0 - 1.5 * b) * (1.0 + (m - 2.5) * b)).max(0.0)
    };
    let risk_weight = k * 12.5;
    let rate = rate(risk_weight);
    let money = |d: Decimal| round_money(d, minor_units);
    let rwa = ead * rate;
    Ok(Irb {
        pd,
        correlation: r,
        maturity_adjustment: b,
        k,
        risk_weight,
        rwa: money(rwa),
        capital: money(rwa * CAPITAL_RATIO),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    /// The Basel test vector of the issue: PD 1 %, LGD 45 %, M 2.5 -> 92.32 %.
    #[test]
    fn irb_test_vector() {
        let r = irb(0.01, 0.45, 2.5, usd("100000000"), 2).unwrap();
        assert_eq!((r.risk_weight * 10_000.0).round() / 100.0, 92.32);
        // R = 0.12 w + 0.24 (1 - w) with w = (1 - e^-0.5)/(1 - e^-50) = 0.393469
        assert!(
            (r.correlation - 0.192_784).abs() < 1e-6,
            "{}",
            r.correlation
        );
        // b = (0.11852 - 0.05478 ln 0.01)^2 = 0.137486 (checked independently in Python:
        // K = 0.0738534, K x 12.5 = 0.923168)
        assert!((r.maturity_adjustment - 0.137_486).abs() < 1e-6);
        assert!((r.k - 0.073_853_4).abs() < 1e-7);
        // RWA = 100,000,000 x 0.92316801 (the risk weight at 8 decimals)
        assert_eq!(r.rwa, usd("92316801.00"));
        assert_eq!(
            r.capital,
            (r.rwa * CAPITAL_RATIO).round_dp_with_strategy(2, MONEY_ROUNDING)
        );
    }

    #[test]
    fn irb_floors_pd_and_rises_with_it() {
        let tiny = irb(0.0, 0.45, 2.5, Decimal::ONE, 2).unwrap();
        assert_eq!(tiny.pd, PD_FLOOR);
        let mut last = 0.0;
        for pd in [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.2] {
            let rw = irb(pd, 0.45, 2.5, Decimal::ONE, 2).unwrap().risk_weight;
            assert!(rw > last, "risk weight should rise with PD up to 20 %");
            last = rw;
        }
        assert!(irb(1.5, 0.45, 2.5, Decimal::ONE, 2).is_err());
        assert!(irb(0.01, 0.45, 0.0, Decimal::ONE, 2).is_err());
        assert_eq!(irb(1.0, 0.45, 2.5, Decimal::ONE, 2).unwrap().k, 0.0);
    }

    /// Slotting on the worked example's 65 million USD nominal exposure.
    #[test]
    fn slotting_by_category() {
        let ead = usd("65000000");
        let weak = slotting(Category::Weak, false, false, ead, 2);
        assert_eq!(
            (weak.rwa, weak.capital, weak.expected_loss),
            (usd("162500000.00"), usd("13000000.00"), usd("5200000.00"))
        );
        let sat = slotting(Category::Satisfactory, false, false, ead, 2);
        assert_eq!(
            (sat.rwa, sat.expected_loss),
            (usd("74750000.00"), usd("1820000.00"))
        );
        let good = slotting(Category::Good, false, false, ead, 2);
        assert_eq!(
            (good.rwa, good.expected_loss),
            (usd("58500000.00"), usd("520000.00"))
        );
        let strong = slotting(Category::Strong, false, false, ead, 2);
        assert_eq!(
            (strong.rwa, strong.expected_loss),
            (usd("45500000.00"), usd("260000.00"))
        );
        let strong_short = slotting(Category::Strong, false, true, ead, 2);
        assert_eq!(
            (strong_short.risk_weight, strong_short.el_rate),
            (usd("0.5"), Decimal::ZERO)
        );
        let good_short = slotting(Category::Good, false, true, ead, 2);
        assert_eq!(
            (good_short.risk_weight, good_short.expected_loss),
            (usd("0.7"), usd("260000.00"))
        );
        let default = slotting(Category::Weak, true, false, ead, 2);
        assert_eq!(
            (default.rwa, default.expected_loss),
            (Decimal::ZERO, usd("32500000.00"))
        );
    }

    #[test]
    fn money_rounds_to_the_minor_unit_half_even() {
        // 115 % of 0.005 = 0.00575 -> 0.01 at 2 dp (not a tie); 8 % EL of 0.0625 = 0.005 -> 0.00 (tie, even)
        assert_eq!(
            slotting(Category::Weak, false, false, usd("0.0625"), 2).expected_loss,
            usd("0.00")
        );
        assert_eq!(
            slotting(Category::Weak, false, false, usd("1000"), 0).capital,
            usd("200")
        );
    }
}
