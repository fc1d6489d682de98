//! The money block of an assessment as text: expected loss with the PD, LGD and exposure
//! it multiplies, the mitigant's substitution, and Basel capital by slotting and IRB.

use vigie::finance::money::MoneyBlock;
use vigie::finance::spec::MitigantKind;

use super::numbers::{amount, percent};

/// Percent with two decimals, as PDs need (0.05 % floors, 4.00 % bands).
fn pct2(x: f64) -> String {
    format!("{:.2}%", x * 100.0)
}

/// Renders the block as bullet lines under a heading made by `h`.
pub fn render(m: &MoneyBlock, h: &dyn Fn(&str) -> String) -> String {
    let cur = &m.currency;
    let amt = |d| amount(d, m.minor_units);
    let mut out = h(&format!("Money ({})", m.calibration));
    out.push_str(&format!(
        "- Expected loss over {} years: {cur} {} = EAD {} x PD {} x LGD {}{}; at the exposure's low and high: {} to {}\n",
        m.pd.horizon_years,
        amt(m.expected_loss),
        amt(m.ead),
        pct2(m.pd.cumulative),
        percent(m.lgd),
        if m.mitigant.is_some() { " with the mitigant's substitution (loss rate below)" } else { "" },
        amt(m.expected_loss_range.0),
        amt(m.expected_loss_range.1),
    ));
    out.push_str(&format!(
        "- PD: annual {} ({}); over {} years {} = {}; source: {}\n",
        pct2(m.pd.annual),
        m.pd.basis,
        m.pd.horizon_years,
        pct2(m.pd.cumulative),
        m.pd.cumulative_formula,
        m.pd.source
    ));
    out.push_str(&format!("- LGD {}: {}\n", percent(m.lgd), m.lgd_source));
    if let Some(g) = &m.mitigant {
        let kind = match g.kind {
            MitigantKind::Guarantee => "guarantee",
            MitigantKind::PoliticalRiskInsurance => "political-risk insurance",
        };
        out.push_str(&format!(
            "- Mitigant: {kind} by {} covering {} of the exposure against perils that make {} of default risk: {} of the risk takes the provider's PD {} (over the horizon {}) and LGD {}; loss rate {}\n",
            g.provider,
            percent(g.cover),
            percent(g.peril_share),
            percent(m.substituted_share),
            pct2(g.provider_pd),
            m.provider_cumulative_pd.map_or("-".to_string(), pct2),
            percent(g.provider_lgd),
            m.loss_rate
        ));
    }
    let s = &m.slotting;
    out.push_str(&format!(
        "- Basel slotting: {} (from {}{}): risk weight {}, RWA {cur} {}, capital at 8 % {}, slotting EL rate {} = {}\n",
        s.category,
        s.from,
        if s.short_maturity { ", short-maturity option" } else { "" },
        percent(decimal_f64(s.figures.risk_weight)),
        amt(s.figures.rwa),
        amt(s.figures.capital),
        percent(decimal_f64(s.figures.el_rate)),
        amt(s.figures.expected_loss),
    ));
    out.push_str(&format!(
        "- Basel IRB (corporate, PD {} annual, LGD {}, M {} years): correlation {:.4}, K {:.6}, risk weight {}, RWA {cur} {}, capital {}\n",
        pct2(m.irb.pd),
        percent(m.lgd),
        m.maturity_years,
        m.irb.correlation,
        m.irb.k,
        pct2(m.irb.risk_weight),
        amt(m.irb.rwa),
        amt(m.irb.capital),
    ));
    out.push_str(&format!("- {}\n", s.note));
    if let Some(note) = m.capital_note {
        out.push_str(&format!("- {note}\n"));
    }
    out.push_str(&format!("- Rounding: {}\n", m.rounding));
    out
}

fn decimal_f64(d: rust_decimal::Decimal) -> f64 {
    use rust_decimal::prelude::ToPrimitive;
    d.to_f64().unwrap_or(f64::NAN)
}
