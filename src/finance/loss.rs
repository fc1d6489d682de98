//! Expected loss per unit of exposure, in probabilities (f64): the annual PD a score maps
//! to, its cumulative value over the horizon, and the substitution approach for a
//! guarantee or political-risk insurance. Money comes later, in [`super::money`].

use serde::Serialize;

use super::spec::{Finance, PdMapping};

/// The PD used for expected loss over `horizon` years: 1 - (1 - annual PD)^horizon, the
/// probability of at least one default year when years are independent.
pub fn cumulative_pd(annual: f64, horizon_years: f64) -> f64 {
    1.0 - (1.0 - annual).powf(horizon_years)
}

/// Annual PD of a score and its band under a mapping.
pub fn annual_pd(pd: &PdMapping, score: f64, band: u16) -> f64 {
    match pd {
        PdMapping::Table { annual } => annual.get(usize::from(band)).copied().unwrap_or(f64::NAN),
        PdMapping::Logistic { intercept, slope } => {
            1.0 / (1.0 + (-(intercept + slope * score)).exp())
        }
    }
}

/// The probabilities behind one expected loss.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LossRate {
    /// Project's annual PD (1 when the obligor has defaulted).
    pub annual_pd: f64,
    /// Project's PD over the horizon.
    pub cumulative_pd: f64,
    /// Provider's PD over the horizon, with a mitigant.
    pub provider_cumulative_pd: Option<f64>,
    /// Share of the exposure whose risk is substituted: cover x peril share.
    pub substituted_share: f64,
    /// Expected loss per unit of exposure:
    /// (1 - s) x PD x LGD + s x provider PD x provider LGD, with s the substituted share.
    pub rate: f64,
}

/// Expected loss per unit of exposure for a project with this annual PD.
///
/// Substitution: a cover of share `c` against perils that account for share `p` of the
/// project's default risk moves `s = c x p` of the exposure's risk to the provider; the
/// rest keeps the project's PD and LGD. A guarantee has p = 1.
pub fn loss_rate(finance: &Finance, annual_pd: f64) -> LossRate {
    let pd = cumulative_pd(annual_pd, finance.horizon_years);
    let own = pd * finance.lgd;
    match &finance.mitigant {
        None => LossRate {
            annual_pd,
            cumulative_pd: pd,
            provider_cumulative_pd: None,
            substituted_share: 0.0,
            rate: own,
        },
        Some(m) => {
            let s = m.cover * m.peril_share;
            let provider_pd = cumulative_pd(m.provider_pd, finance.horizon_years);
            LossRate {
                annual_pd,
                cumulative_pd: pd,
                provider_cumulative_pd: Some(provider_pd),
                substituted_share: s,
                rate: (1.0 - s) * own + s * provider_pd * m.provider_lgd,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finance::spec::{Mitigant, MitigantKind};

    fn finance(mitigant: Option<Mitigant>) -> Finance {
        Finance {
            pd: PdMapping::Table {
                annual: vec![0.01, 0.05],
            },
            pd_source: "test".into(),
            calibrated_on: None,
            horizon_years: 3.0,
            lgd: 0.45,
            lgd_source: "test".into(),
            maturity_years: 2.5,
            short_maturity_option: false,
            slotting: vec![],
            mitigant,
            line: 1,
        }
    }

    #[test]
    fn cumulative_pd_compounds_annual_pd() {
        // 1 - 0.95^3 = 0.142625
        assert!((cumulative_pd(0.05, 3.0) - 0.142_625).abs() < 1e-12);
        assert!((cumulative_pd(0.05, 1.0) - 0.05).abs() < 1e-15);
        assert_eq!(cumulative_pd(1.0, 3.0), 1.0);
    }

    #[test]
    fn logistic_pd_is_half_at_its_midpoint() {
        let pd = PdMapping::Logistic {
            intercept: -7.0,
            slope: 0.1,
        };
        assert!((annual_pd(&pd, 70.0, 0) - 0.5).abs() < 1e-12);
        assert!(annual_pd(&pd, 30.0, 0) < annual_pd(&pd, 60.0, 0));
    }

    #[test]
    fn substitution_moves_only_the_covered_perils() {
        let plain = loss_rate(&finance(None), 0.05);
        assert!((plain.rate - 0.142_625 * 0.45).abs() < 1e-12);
        // PRI on 90 % of the exposure against perils that make 60 % of default risk:
        // s = 0.54; provider PD 0.1 %/year over 3 years, LGD 45 %.
        let pri = Mitigant {
            kind: MitigantKind::PoliticalRiskInsurance,
            provider: "MIGA".into(),
            cover: 0.9,
            provider_pd: 0.001,
            provider_lgd: 0.45,
            peril_share: 0.6,
        };
        let r = loss_rate(&finance(Some(pri.clone())), 0.05);
        let provider = 1.0 - 0.999f64.powi(3);
        let expected = 0.46 * 0.142_625 * 0.45 + 0.54 * provider * 0.45;
        assert!((r.substituted_share - 0.54).abs() < 1e-12);
        assert!(
            (r.rate - expected).abs() < 1e-12,
            "{} vs {expected}",
            r.rate
        );
        // A guarantee of the same cover substitutes all of it.
        let g = Mitigant {
            kind: MitigantKind::Guarantee,
            peril_share: 1.0,
            ..pri
        };
        let r = loss_rate(&finance(Some(g)), 0.05);
        assert!((r.substituted_share - 0.9).abs() < 1e-12);
        assert!(r.rate < plain.rate);
    }
}
