//! The compiled model: flat, validated data that the evaluation kernel walks by index.
//! Nothing here is looked up by name when scoring; names are kept only to explain results.
//! A value of these types can only be built by the validator, so it is always consistent.

use crate::expr::Expr;

/// The range every score of a model lives on, as the model's author writes it (0-100,
/// 0-10, 0-1...). Internally aggregations work on the 0-1 fraction of this range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    /// Lowest score.
    pub min: f64,
    /// Highest score.
    pub max: f64,
}

impl Scale {
    /// The 0-1 fraction of the scale a score stands at.
    #[inline]
    pub fn to_fraction(&self, x: f64) -> f64 {
        (x - self.min) / (self.max - self.min)
    }

    /// The score at a 0-1 fraction of the scale.
    #[inline]
    pub fn from_fraction(&self, u: f64) -> f64 {
        self.min + u * (self.max - self.min)
    }

    /// Width of the scale.
    pub fn width(&self) -> f64 {
        self.max - self.min
    }
}

/// Which way an indicator's raw value moves its score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// A larger raw value gives a larger (riskier) score.
    HigherIsRiskier,
    /// A larger raw value gives a smaller score.
    LowerIsRiskier,
    /// The score rises and falls with the raw value (e.g. distance to an army camp, which
    /// protects but is also a target). Only explicit-score normalisations (piecewise, bins,
    /// categorical) may use it.
    NonMonotone,
}

impl Direction {
    /// The word used in model files.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::HigherIsRiskier => "higher_is_riskier",
            Direction::LowerIsRiskier => "lower_is_riskier",
            Direction::NonMonotone => "non_monotone",
        }
    }
}

/// Where a figure or a choice comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Source {
    /// Citation as a reader would look it up.
    pub citation: String,
    /// Where it can be read, if online.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Edition, year or date of the figures used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vintage: Option<String>,
}

/// What is done to a raw value before it is normalised. Goalposts and points of the
/// normalisation are written in raw units and go through the same transform.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Transform {
    /// The raw value as is.
    None,
    /// Natural logarithm.
    Ln,
    /// Base-10 logarithm.
    Log10,
    /// Raised to a power.
    Power(f64),
    /// Divided by another input and multiplied by a constant (per-capita style).
    Ratio {
        /// Input slot of the denominator.
        denominator: u32,
        /// Multiplier, e.g. 100000 for "per 100,000 people".
        multiplier: f64,
    },
}

/// How a transformed value becomes a 0-1 fraction of the scale. All abscissae are stored
/// transformed; ordinates are stored as fractions of the scale.
#[derive(Debug, Clone, PartialEq)]
pub enum Normalisation {
    /// Linear between two goalposts, clamped to them; the direction picks which end is 1.
    Goalposts {
        /// Transformed lower goalpost.
        min: f64,
        /// Transformed upper goalpost.
        max: f64,
    },
    /// Linear between points (x ascending), flat beyond the ends.
    Piecewise {
        /// (transformed x, fraction) pairs.
        points: Vec<(f64, f64)>,
    },
    /// Step bins: the fraction of the highest threshold the value reaches (x >= threshold).
    Bins {
        /// (transformed threshold, fraction), thresholds ascending.
        bins: Vec<(f64, f64)>,
        /// Fraction below the first threshold.
        below: f64,
    },
    /// A text value mapped to a score; the input holds the index of the category.
    Categorical {
        /// (category, fraction) in file order.
        categories: Vec<(String, f64)>,
    },
    /// Standard normal CDF of (x - mean) / sd.
    ZScore {
        /// Mean of the transformed value.
        mean: f64,
        /// Standard deviation of the transformed value.
        sd: f64,
    },
    /// The value is already a score on the model's scale (clamped to it).
    Identity,
}

/// What to do when an indicator's value is missing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Missing {
    /// Scoring fails, naming the indicator.
    Error,
    /// The indicator is left out and its siblings' weights are renormalised.
    Drop,
    /// A constant raw value stands in.
    Impute(f64),
    /// Another input's raw value stands in.
    ImputeFrom(u32),
}

/// A leaf of the tree: one raw input turned into a score.
#[derive(Debug, Clone)]
pub struct Indicator {
    /// Id, unique in the model.
    pub id: String,
    /// Short label for reports.
    pub label: String,
    /// Unit of the raw value.
    pub unit: String,
    /// What it measures.
    pub description: String,
    /// One line saying why it is in the model.
    pub rationale: String,
    /// Which way it moves the score.
    pub direction: Direction,
    /// Where its figures come from.
    pub source: Source,
    /// Applied before normalisation.
    pub transform: Transform,
    /// Raw value to fraction.
    pub normalisation: Normalisation,
    /// The normalisation as the file wrote it (raw units), for explanations.
    pub normalisation_text: String,
    /// Policy for a missing value.
    pub missing: Missing,
    /// Decimals the score is rounded to, if any.
    pub round: Option<i32>,
    /// Index into [`super::Model::alternatives`] when the model declares other
    /// normalisations for this indicator.
    pub alternative: Option<u16>,
    /// Line of the model file where it is defined.
    pub line: usize,
}

/// An input that no indicator scores directly (a denominator, a value to impute from).
#[derive(Debug, Clone)]
pub struct AuxInput {
    /// Id, unique in the model.
    pub id: String,
    /// Short label.
    pub label: String,
    /// Unit.
    pub unit: String,
    /// What it measures.
    pub description: String,
    /// Where its figures come from.
    pub source: Source,
}

/// How a group combines its children (on 0-1 fractions of the scale, weights renormalised
/// over the children present).
#[derive(Debug, Clone)]
pub enum Aggregation {
    /// Weighted arithmetic mean.
    Arithmetic,
    /// Weighted geometric mean.
    Geometric,
    /// Weighted harmonic mean.
    Harmonic,
    /// Weighted generalised (power) mean with exponent p != 0.
    PowerMean(f64),
    /// Smallest child.
    Min,
    /// Largest child.
    Max,
    /// INFORM's reversed geometric mean (10 - GEOMEAN((10 - x)/10*9 + 1))/9*10, on the
    /// group's own scale.
    InformReversedGeometric,
    /// Probabilistic union 1 - prod(1 - u)^(w / mean w).
    Union,
    /// An expression over node scores and raw inputs, on the model's scale.
    Formula(Expr),
}

impl Aggregation {
    /// The word used in model files.
    pub fn name(&self) -> &'static str {
        match self {
            Aggregation::Arithmetic => "arithmetic",
            Aggregation::Geometric => "geometric",
            Aggregation::Harmonic => "harmonic",
            Aggregation::PowerMean(_) => "power_mean",
            Aggregation::Min => "min",
            Aggregation::Max => "max",
            Aggregation::InformReversedGeometric => "inform_reversed_geometric",
            Aggregation::Union => "union",
            Aggregation::Formula(_) => "formula",
        }
    }
}

/// What a geometric, harmonic or negative-power mean does with a child at zero.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ZeroPolicy {
    /// Children below this fraction of the scale are raised to it, and the assessment says so.
    Floor(f64),
    /// A zero child makes the group the scale minimum, and the assessment says so.
    Zero,
    /// A zero child makes scoring fail.
    Error,
}

/// An inner node of the tree.
#[derive(Debug, Clone)]
pub struct Group {
    /// Id, unique in the model.
    pub id: String,
    /// Short label.
    pub label: String,
    /// What it stands for.
    pub description: String,
    /// How children combine.
    pub aggregation: Aggregation,
    /// Zero handling for geometric-type means.
    pub zero: ZeroPolicy,
    /// Decimals the score is rounded to, if any.
    pub round: Option<i32>,
    /// First edge of this group in [`super::Model::edges`].
    pub first_edge: u32,
    /// Number of children.
    pub n_children: u32,
    /// Index into [`super::Model::alternatives`] when the model declares other
    /// aggregations for this group.
    pub alternative: Option<u16>,
    /// Line of the model file where it is defined.
    pub line: usize,
}

/// A band of the score.
#[derive(Debug, Clone)]
pub struct Band {
    /// Label, e.g. "Severe".
    pub label: String,
    /// Inclusive lower bound on the model's scale.
    pub from: f64,
    /// Colour for reports, "#rrggbb".
    pub colour: String,
    /// What the band means for a decision.
    pub description: String,
    /// Line of the model file where it is defined.
    pub line: usize,
}

/// What a rule does when its condition holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Effect {
    /// The final band is at least this one (index into bands).
    BandAtLeast(u16),
    /// The final band is at most this one.
    BandAtMost(u16),
    /// The score is at least this value.
    ScoreFloor(f64),
    /// The score is at most this value.
    ScoreCap(f64),
}

/// A rule applied after aggregation.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Id, unique among rules.
    pub id: String,
    /// Condition.
    pub when: Expr,
    /// Effect when it holds.
    pub effect: Effect,
    /// Printed when it fires.
    pub reason: String,
    /// Line of the model file where it is defined.
    pub line: usize,
}

/// How the model's own weights vary under simulation and sensitivity analysis (the
/// OECD/JRC handbook on composite indicators calls this uncertainty analysis).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(tag = "method", rename_all = "lowercase")]
pub enum WeightUncertainty {
    /// The weights as written.
    Fixed,
    /// Each weight times U(1 - factor, 1 + factor), then renormalised in its group.
    Perturb {
        /// The factor f, in (0, 1).
        factor: f64,
    },
    /// The weights of each group drawn from a Dirichlet distribution with parameters
    /// `concentration` x the group's nominal normalised weights: the mean is the nominal
    /// weight, and a larger concentration keeps the draws closer to it.
    Dirichlet {
        /// The concentration, > 0.
        concentration: f64,
    },
}

/// A choice the model's author leaves open: the nominal option (index 0) and the
/// alternatives, one drawn with equal probability per simulation draw.
#[derive(Debug, Clone)]
pub struct Alternative {
    /// Where the choice is, e.g. `groups.security.aggregation`.
    pub id: String,
    /// The options, nominal first.
    pub options: AlternativeOptions,
    /// How each option reads in the model file, nominal first.
    pub labels: Vec<String>,
    /// Line of the model file where the alternatives are declared.
    pub line: usize,
}

/// The options of an [`Alternative`].
#[derive(Debug, Clone)]
pub enum AlternativeOptions {
    /// Aggregations of one group.
    Aggregation {
        /// Group index.
        group: u32,
        /// Options, nominal first.
        options: Vec<Aggregation>,
    },
    /// Normalisations of one indicator.
    Normalisation {
        /// Indicator index.
        indicator: u32,
        /// Options, nominal first.
        options: Vec<Normalisation>,
    },
}

impl Alternative {
    /// Number of options, nominal included.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there is no option at all (never true of a compiled model).
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }
}
