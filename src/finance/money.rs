//! The money block of an assessment: expected loss over the horizon and Basel capital for
//! one project, every figure with the parameter it came from. Probabilities enter money as
//! `Decimal` rates of [`RATE_DECIMALS`] decimals; amounts are rounded to the currency's
//! minor unit with [`super::basel::MONEY_ROUNDING`].

use rust_decimal::Decimal;
use serde::Serialize;

use super::basel::{self, Category, Irb, RATE_DECIMALS, Slotting};
pub use super::basel::{rate, round_money};
use super::currency::minor_units;
use super::loss::{LossRate, annual_pd, loss_rate};
use super::spec::{Finance, Mitigant, PdMapping};
use crate::project::Exposure;

/// Printed with every slotting figure: the category comes from a band of this score.
pub const SLOTTING_NOTE: &str = "Slotting category mapped from a band of a political-risk score, not from Basel's full set of supervisory slotting criteria (CRE33: financial strength, political and legal environment, transaction characteristics, security package).";
/// Printed with capital figures: mitigants reduce expected loss here, not capital.
pub const CAPITAL_NOTE: &str = "Capital is computed on the whole exposure: the mitigant's credit-risk-mitigation treatment (CRE22) is not applied to RWA.";

/// The largest amount money is computed with, in minor units: 10^18 (ten quadrillion
/// USD, a quintillion XOF). Amounts in minor units then fit an `i64` (as a simulation
/// holds them) with room to spare, and every product of Basel capital (a risk weight of at
/// most 250 %, the IRB's 12.5 x K) stays far inside `Decimal`'s range.
pub const MAX_AMOUNT_MINOR_UNITS: i64 = 1_000_000_000_000_000_000;

/// The largest amount in a currency of `minor_units` decimals: 10^18 minor units.
///
/// ```
/// use vigie::finance::money::max_amount;
/// assert_eq!(max_amount(2).to_string(), "10000000000000000");
/// assert_eq!(max_amount(0).to_string(), "1000000000000000000");
/// assert_eq!(max_amount(4).to_string(), "100000000000000");
/// ```
pub fn max_amount(minor_units: u32) -> Decimal {
    let mut max = Decimal::from(MAX_AMOUNT_MINOR_UNITS);
    // 10^18 / 10^k, exact for k <= 18 (minor units are at most 4).
    for _ in 0..minor_units.min(18) {
        max /= Decimal::TEN;
    }
    max.normalize()
}

/// Why no money block can be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum MoneyError {
    /// A parameter of the IRB formula is out of range.
    #[error(transparent)]
    Irb(#[from] basel::IrbError),
    /// The exposure's currency is not an ISO 4217 currency with a minor unit.
    #[error(
        "currency `{0}` is not an ISO 4217 currency with a minor unit: no amount can be rounded in it"
    )]
    Currency(String),
    /// An exposure amount is beyond [`max_amount`].
    #[error("an exposure of {amount} {currency} is too large (at most {max})")]
    TooLarge {
        /// The amount.
        amount: Decimal,
        /// Its currency.
        currency: String,
        /// The largest amount in that currency.
        max: Decimal,
    },
}

/// An amount in minor units (cents for USD): the amount rounded to the minor unit, as an
/// integer. `None` beyond the range of `i64`.
pub fn to_minor_units(x: Decimal, minor_units: u32) -> Option<i64> {
    i64::try_from(round_money(x, minor_units).mantissa()).ok()
}

/// Expected loss in minor units of an exposure given in minor units, at a rate: exactly
/// `round_money(EAD x rate)` (half to even), computed in integers, which a simulation does
/// for every draw. `rate` is a [`rate`] (at most [`RATE_DECIMALS`] decimals).
pub fn expected_loss_minor(ead_minor: i64, rate: Decimal) -> i64 {
    let mut r = rate;
    r.rescale(RATE_DECIMALS);
    let n = i128::from(ead_minor) * r.mantissa();
    let d = 10i128.pow(RATE_DECIMALS);
    let (q, rem) = (n.div_euclid(d), n.rem_euclid(d));
    let q = match (2 * rem).cmp(&d) {
        std::cmp::Ordering::Greater => q + 1,
        std::cmp::Ordering::Equal => q + (q & 1),
        std::cmp::Ordering::Less => q,
    };
    i64::try_from(q).unwrap_or(i64::MAX)
}

/// Expected loss of an exposure at a loss rate: EAD x rate, rounded to the minor unit.
pub fn expected_loss(ead: Decimal, loss_rate: f64, minor_units: u32) -> Decimal {
    round_money(ead * rate(loss_rate), minor_units)
}

/// The PD behind the expected loss.
#[derive(Debug, Clone, Serialize)]
pub struct PdUsed {
    /// How it was read: "band table: Severe" or "logistic of the score 71.2".
    pub basis: String,
    /// Where the mapping comes from.
    pub source: String,
    /// Annual PD.
    pub annual: f64,
    /// Horizon, years.
    pub horizon_years: f64,
    /// 1 - (1 - annual)^horizon.
    pub cumulative: f64,
    /// The formula, stated.
    pub cumulative_formula: &'static str,
}

/// Slotting figures with the category and where it came from.
#[derive(Debug, Clone, Serialize)]
pub struct SlottingUsed {
    /// "strong", "good", "satisfactory", "weak", or "default" for a defaulted obligor.
    pub category: String,
    /// The band it was mapped from, or the project's defaulted status.
    pub from: String,
    /// Whether the short-maturity option (remaining maturity under 2.5 years) applied.
    pub short_maturity: bool,
    /// Risk weight, EL rate, RWA, capital, expected loss.
    #[serde(flatten)]
    pub figures: Slotting,
    /// [`SLOTTING_NOTE`].
    pub note: &'static str,
}

/// The money block of one assessment.
#[derive(Debug, Clone, Serialize)]
pub struct MoneyBlock {
    /// ISO 4217 currency.
    pub currency: String,
    /// Decimals of its minor unit.
    pub minor_units: u32,
    /// True unless the model names the default data its PD mapping was calibrated on.
    pub indicative: bool,
    /// "indicative: ..." or "calibrated on ...".
    pub calibration: String,
    /// Exposure at default: the exposure's nominal amount.
    pub ead: Decimal,
    /// Lowest and highest exposure given.
    pub ead_range: (Decimal, Decimal),
    /// Whether the obligor has defaulted (a fact of the project file).
    pub defaulted: bool,
    /// Probability of default.
    pub pd: PdUsed,
    /// Loss given default.
    pub lgd: f64,
    /// Where it comes from.
    pub lgd_source: String,
    /// The guarantee or insurance, if any.
    pub mitigant: Option<Mitigant>,
    /// Share of the exposure whose risk the mitigant takes (cover x peril share).
    pub substituted_share: f64,
    /// Provider's PD over the horizon.
    pub provider_cumulative_pd: Option<f64>,
    /// Expected loss per unit of EAD, at [`RATE_DECIMALS`] decimals.
    pub loss_rate: Decimal,
    /// Expected loss over the horizon: EAD x loss rate.
    pub expected_loss: Decimal,
    /// Expected loss at the lowest and highest exposure.
    pub expected_loss_range: (Decimal, Decimal),
    /// Effective maturity used (project's, else model's), years.
    pub maturity_years: f64,
    /// Basel supervisory slotting.
    pub slotting: SlottingUsed,
    /// Basel IRB formula for corporate exposures on the annual PD and the LGD.
    pub irb: Irb,
    /// [`CAPITAL_NOTE`], when there is a mitigant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capital_note: Option<&'static str>,
    /// How money is rounded.
    pub rounding: String,
}

/// Everything `money` needs to know about the project.
#[derive(Debug, Clone, Copy)]
pub struct Obligor<'a> {
    /// The exposure.
    pub exposure: &'a Exposure,
    /// Whether the obligor has defaulted.
    pub defaulted: bool,
    /// Remaining maturity, if the project gives one.
    pub maturity_years: Option<f64>,
}

/// The annual PD of an assessment: 1 for a defaulted obligor, else the model's mapping.
pub fn project_pd(finance: &Finance, score: f64, band: u16, defaulted: bool) -> f64 {
    if defaulted {
        1.0
    } else {
        annual_pd(&finance.pd, score, band)
    }
}

/// The money block for a score and band.
pub fn money(
    finance: &Finance,
    score: f64,
    band: u16,
    band_label: &str,
    obligor: Obligor<'_>,
) -> Result<MoneyBlock, MoneyError> {
    let exposure = obligor.exposure;
    let minor = minor_units(&exposure.currency)
        .ok_or_else(|| MoneyError::Currency(exposure.currency.clone()))?;
    let max = max_amount(minor);
    if let Some(&amount) = [exposure.low, exposure.nominal, exposure.high]
        .iter()
        .find(|a| a.abs() > max)
    {
        return Err(MoneyError::TooLarge {
            amount,
            currency: exposure.currency.clone(),
            max,
        });
    }
    let annual = project_pd(finance, score, band, obligor.defaulted);
    let lr: LossRate = loss_rate(finance, annual);
    let basis = match (&finance.pd, obligor.defaulted) {
        (_, true) => "obligor in default (project file): PD = 1".to_string(),
        (PdMapping::Table { .. }, false) => format!("band table: {band_label}"),
        (PdMapping::Logistic { intercept, slope }, false) => {
            format!("logistic of the score: 1 / (1 + exp(-({intercept} + {slope} x {score})))")
        }
    };
    let maturity = obligor.maturity_years.unwrap_or(finance.maturity_years);
    let category = finance
        .slotting
        .get(usize::from(band))
        .copied()
        .unwrap_or(Category::Weak);
    let short = finance.short_maturity_option && maturity < 2.5;
    let figures = basel::slotting(category, obligor.defaulted, short, exposure.nominal, minor);
    let irb = basel::irb(annual, finance.lgd, maturity, exposure.nominal, minor)?;
    let (indicative, calibration) = match &finance.calibrated_on {
        Some(c) => (false, format!("calibrated on {c}")),
        None => (
            true,
            "indicative: the model names no default data its PD mapping was calibrated on"
                .to_string(),
        ),
    };
    Ok(MoneyBlock {
        currency: exposure.currency.clone(),
        minor_units: minor,
        indicative,
        calibration,
        ead: exposure.nominal,
        ead_range: (exposure.low, exposure.high),
        defaulted: obligor.defaulted,
        pd: PdUsed {
            basis,
            source: finance.pd_source.clone(),
            annual,
            horizon_years: finance.horizon_years,
            cumulative: lr.cumulative_pd,
            cumulative_formula: "1 - (1 - annual PD)^horizon",
        },
        lgd: finance.lgd,
        lgd_source: finance.lgd_source.clone(),
        mitigant: finance.mitigant.clone(),
        substituted_share: lr.substituted_share,
        provider_cumulative_pd: lr.provider_cumulative_pd,
        loss_rate: rate(lr.rate),
        expected_loss: expected_loss(exposure.nominal, lr.rate, minor),
        expected_loss_range: (
            expected_loss(exposure.low, lr.rate, minor),
            expected_loss(exposure.high, lr.rate, minor),
        ),
        maturity_years: maturity,
        slotting: SlottingUsed {
            category: if obligor.defaulted {
                "default".to_string()
            } else {
                category.as_str().to_string()
            },
            from: if obligor.defaulted {
                "the project's defaulted status".to_string()
            } else {
                format!("band {band_label}")
            },
            short_maturity: short,
            figures,
            note: SLOTTING_NOTE,
        },
        irb,
        capital_note: finance.mitigant.as_ref().map(|_| CAPITAL_NOTE),
        rounding: format!(
            "probabilities enter money as rates of {RATE_DECIMALS} decimals; amounts are rounded half to even to the minor unit ({minor} decimals for {})",
            exposure.currency
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::prelude::FromPrimitive;

    /// The integer path gives exactly the Decimal path's amounts, ties included.
    #[test]
    fn integer_expected_loss_equals_the_decimal_one() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for k in 0..20_000u64 {
            // A simple deterministic spread of exposures and rates.
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let ead_minor = (x % 10_000_000_000) as i64;
            let r = rate(f64::from_u64(x % 100_000_001).unwrap() / 1e8);
            for minor in [0u32, 2, 3] {
                let ead = Decimal::new(ead_minor, minor);
                let exact = round_money(ead * r, minor);
                assert_eq!(
                    Decimal::new(expected_loss_minor(ead_minor, r), minor),
                    exact,
                    "case {k}: {ead} x {r}"
                );
            }
        }
        // A tie: 0.0625 x 0.08 = 0.005 -> 0.00 half to even; 0.1875 x 0.08 = 0.015 -> 0.02.
        assert_eq!(expected_loss_minor(625, rate(0.08) / Decimal::from(100)), 0);
        assert_eq!(expected_loss_minor(1, Decimal::new(5, 1)), 0);
        assert_eq!(expected_loss_minor(3, Decimal::new(5, 1)), 2);
        assert_eq!(
            to_minor_units(Decimal::new(65_000_000, 0), 2),
            Some(6_500_000_000)
        );
    }
}
