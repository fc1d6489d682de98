//! The compiled `[finance]` section of a model: how a score becomes a probability of
//! default, what is lost on default, what mitigates it, and which Basel slotting category
//! each band maps to. Built only by the model validator, so every band is covered.

use serde::Serialize;

use super::basel::Category;

/// Foundation LGD for senior unsecured corporate claims (BCBS Basel Framework CRE32.6):
/// the default when a model names no LGD.
pub const DEFAULT_LGD: f64 = 0.45;
/// Where [`DEFAULT_LGD`] comes from, as outputs cite it.
pub const DEFAULT_LGD_SOURCE: &str =
    "BCBS Basel Framework CRE32.6: foundation LGD for senior unsecured claims, 45 %";
/// Effective maturity assumed when neither model nor project gives one: the foundation
/// IRB value of 2.5 years (CRE32.44).
pub const DEFAULT_MATURITY_YEARS: f64 = 2.5;

/// How a score becomes an annual probability of default.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "method", rename_all = "lowercase")]
pub enum PdMapping {
    /// One annual PD per band, in band order.
    Table {
        /// Annual PD of each band.
        annual: Vec<f64>,
    },
    /// Annual PD = 1 / (1 + exp(-(intercept + slope x score))).
    Logistic {
        /// Intercept.
        intercept: f64,
        /// Slope per score point.
        slope: f64,
    },
}

/// Who covers part of the exposure, and against what.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MitigantKind {
    /// A guarantee: covers default from any cause.
    Guarantee,
    /// Political-risk insurance: covers political perils only (expropriation, political
    /// violence, transfer restriction, breach of contract).
    PoliticalRiskInsurance,
}

impl std::fmt::Display for MitigantKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            MitigantKind::Guarantee => "guarantee",
            MitigantKind::PoliticalRiskInsurance => "political-risk insurance",
        })
    }
}

/// A guarantee or political-risk insurance, treated by substitution: the covered share
/// of the exposure takes the provider's PD and LGD for the risk the cover answers for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mitigant {
    /// Guarantee or insurance.
    pub kind: MitigantKind,
    /// Who provides it.
    pub provider: String,
    /// Share of the exposure covered, in [0, 1].
    pub cover: f64,
    /// Provider's annual PD.
    pub provider_pd: f64,
    /// Provider's LGD.
    pub provider_lgd: f64,
    /// Share of the project's default risk that the covered perils account for: 1 for a
    /// guarantee; declared by the model for political-risk insurance.
    pub peril_share: f64,
}

/// The `[finance]` section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finance {
    /// Score to annual PD.
    pub pd: PdMapping,
    /// Where the PD mapping comes from.
    pub pd_source: String,
    /// The default data the PD mapping was calibrated on; without it every money figure
    /// is indicative.
    pub calibrated_on: Option<String>,
    /// Horizon of the expected loss, years.
    pub horizon_years: f64,
    /// Loss given default of the project.
    pub lgd: f64,
    /// Where the LGD comes from.
    pub lgd_source: String,
    /// Effective maturity for the IRB formula and the slotting option, unless the project
    /// gives its own.
    pub maturity_years: f64,
    /// Whether the national option of CRE33 for remaining maturity under 2.5 years
    /// (Strong 50 %, Good 70 %) applies.
    pub short_maturity_option: bool,
    /// Slotting category of each band, in band order.
    pub slotting: Vec<Category>,
    /// Guarantee or insurance, if any.
    pub mitigant: Option<Mitigant>,
    /// Line of the model file where `[finance]` starts.
    pub line: usize,
}
