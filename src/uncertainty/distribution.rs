//! Sampling distributions for Vigie's uncertain inputs: validated parameters, and a quantile function that turns uniform numbers into reproducible draws.
//!
//! Every draw goes through [`Distribution::quantile`]: a sample is `quantile(U)` with `U`
//! uniform on (0, 1). Inverse-transform sampling is used, rather than each family's fastest
//! generator, because it makes a draw a pure function of one uniform number: a seeded
//! stream replays exactly, common random numbers can be shared between scenarios, and
//! low-discrepancy points keep their structure.
//!
//! Numerical contract, for a distribution built through a constructor (or that passes
//! [`Distribution::validate`]): for `u` in (0, 1), `quantile(u)` is finite, never NaN, and
//! lies in [`Distribution::support`]. It is non-decreasing in `u`, exactly for the closed
//! forms (uniform, triangular, normal, lognormal) and up to rounding for Beta and PERT,
//! whose quantile is an iterative solve: two `u` within about 1e-10 of each other can come
//! out a few ulps in reverse order. Accuracy: Beta and PERT quantiles invert the CDF to
//! within 1e-12 in `u` (in practice a few ulps of `x`); normal and lognormal quantiles are
//! exact to rounding; a truncated normal's to about 1e-10 (the accuracy of statrs
//! 0.19.1's `erfc`). No method panics or loops without bound on any input, validated or
//! not.

use statrs::consts::SQRT_2PI;
use statrs::function::beta::checked_ln_beta;
use statrs::function::erf::{erfc, erfc_inv};
use std::f64::consts::{FRAC_1_SQRT_2, SQRT_2};

/// Smallest probability a truncated normal's interval may keep. Below it the interval
/// is, for practical purposes, impossible under the normal the user gave, which is far
/// more likely a unit or sign mistake than an intended model.
pub const MIN_TRUNCATION_MASS: f64 = 1e-12;

/// A distribution of an uncertain input, validated: an invalid one cannot be built
/// through the constructors ([`Distribution::uniform`] and siblings).
///
/// Rust enum fields are always public, so a variant written out by hand skips
/// validation; call [`Distribution::validate`] on such a value. Its methods still never
/// panic, but their results are unspecified (NaN, for instance) until it validates.
///
/// Only `Serialize` is derived: deserialising straight into this type would bypass
/// validation, so input should be read into a plain spec and passed to a constructor.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub enum Distribution {
    /// Uniform on [low, high]; `low == high` is allowed and behaves like `Fixed(low)`.
    Uniform { low: f64, high: f64 },
    /// Triangular on [low, high] peaking at `mode`.
    Triangular { low: f64, mode: f64, high: f64 },
    /// PERT: Beta(alpha, beta) scaled to [low, high], alpha = 1 + 4 (mode - low)/(high - low),
    /// beta = 1 + 4 (high - mode)/(high - low) (lambda = 4, the classic PERT).
    Pert { low: f64, mode: f64, high: f64 },
    /// Normal, optionally truncated to [low, high] (either bound optional).
    Normal {
        mean: f64,
        sd: f64,
        low: Option<f64>,
        high: Option<f64>,
    },
    /// Lognormal with parameters of the underlying normal (mu, sigma); see also
    /// [`Distribution::lognormal_from_median`].
    LogNormal { mu: f64, sigma: f64 },
    /// Beta(alpha, beta) scaled to [low, high] ([0, 1] through [`Distribution::standard_beta`]).
    Beta {
        alpha: f64,
        beta: f64,
        low: f64,
        high: f64,
    },
    /// A fixed value (no uncertainty).
    Fixed(f64),
}

/// Why a set of parameters does not make a distribution: one variant per rule, each
/// message naming the parameter at fault.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DistributionError {
    /// A parameter is NaN or infinite (an absent normal bound is `None`, not infinity).
    #[error("parameter `{param}` must be finite, got {value}")]
    NotFinite { param: &'static str, value: f64 },
    /// `low` is greater than `high`.
    #[error("`low` ({low}) must not be above `high` ({high})")]
    LowAboveHigh { low: f64, high: f64 },
    /// `low == high` where the family needs an interval of positive width (every bounded
    /// family but `Uniform`); a known value is `Fixed`.
    #[error(
        "`low` and `high` are both {value}: this distribution needs `low` < `high` (use a fixed value for a known quantity)"
    )]
    DegenerateRange { value: f64 },
    /// The mode of a triangular or PERT distribution is outside [low, high].
    #[error("`mode` ({mode}) must lie within [`low`, `high`] = [{low}, {high}]")]
    ModeOutside { low: f64, mode: f64, high: f64 },
    /// A standard deviation (`sd`, or a lognormal's `sigma`) is zero or negative.
    #[error("`{param}` must be > 0, got {value}")]
    NonPositiveSd { param: &'static str, value: f64 },
    /// A Beta shape parameter (`alpha` or `beta`) is zero or negative.
    #[error("shape `{param}` must be > 0, got {value}")]
    NonPositiveShape { param: &'static str, value: f64 },
    /// A lognormal's `median` is zero or negative (a lognormal is positive).
    #[error("`median` of a lognormal must be > 0, got {value}")]
    NonPositiveMedian { value: f64 },
    /// A truncated normal keeps probability at most [`MIN_TRUNCATION_MASS`] on
    /// [`low`, `high`] (an absent bound shows as an infinity).
    #[error(
        "truncating Normal(mean = {mean}, sd = {sd}) to [`low`, `high`] = [{low}, {high}] keeps probability {mass:e}, which must exceed {min:e}: the interval lies too far in a tail",
        min = MIN_TRUNCATION_MASS
    )]
    EmptyTruncation {
        mean: f64,
        sd: f64,
        low: f64,
        high: f64,
        mass: f64,
    },
}

impl Distribution {
    /// Uniform on [low, high]; `low <= high`, both finite (`low == high` degenerates to a fixed value).
    pub fn uniform(low: f64, high: f64) -> Result<Self, DistributionError> {
        Self::Uniform { low, high }.checked()
    }

    /// Triangular on [low, high] with peak `mode`; `low <= mode <= high`, `low < high`.
    pub fn triangular(low: f64, mode: f64, high: f64) -> Result<Self, DistributionError> {
        Self::Triangular { low, mode, high }.checked()
    }

    /// PERT (lambda = 4) on [low, high] with most likely value `mode`; same rules as
    /// [`Distribution::triangular`].
    pub fn pert(low: f64, mode: f64, high: f64) -> Result<Self, DistributionError> {
        Self::Pert { low, mode, high }.checked()
    }

    /// Normal(mean, sd), truncated to [low, high] where bounds are given. `sd > 0`; with
    /// both bounds `low < high`; the interval must keep probability above
    /// [`MIN_TRUNCATION_MASS`].
    pub fn normal(
        mean: f64,
        sd: f64,
        low: Option<f64>,
        high: Option<f64>,
    ) -> Result<Self, DistributionError> {
        Self::Normal {
            mean,
            sd,
            low,
            high,
        }
        .checked()
    }

    /// Lognormal: `exp` of Normal(mu, sigma); `sigma > 0`.
    pub fn lognormal(mu: f64, sigma: f64) -> Result<Self, DistributionError> {
        Self::LogNormal { mu, sigma }.checked()
    }

    /// Lognormal given its median (`exp(mu)`, > 0) and the sigma of the underlying normal
    /// (> 0): the form in which experts usually state a skewed positive quantity.
    pub fn lognormal_from_median(median: f64, sigma: f64) -> Result<Self, DistributionError> {
        finite("median", median)?;
        finite("sigma", sigma)?;
        if median <= 0.0 {
            return Err(DistributionError::NonPositiveMedian { value: median });
        }
        Self::lognormal(median.ln(), sigma)
    }

    /// Beta(alpha, beta) scaled to [low, high]; shapes > 0, `low < high`.
    pub fn beta(alpha: f64, beta: f64, low: f64, high: f64) -> Result<Self, DistributionError> {
        Self::Beta {
            alpha,
            beta,
            low,
            high,
        }
        .checked()
    }

    /// Beta(alpha, beta) on [0, 1], the usual form for an uncertain probability or rate.
    pub fn standard_beta(alpha: f64, beta: f64) -> Result<Self, DistributionError> {
        Self::beta(alpha, beta, 0.0, 1.0)
    }

    /// A known value; it must be finite.
    pub fn fixed(x: f64) -> Result<Self, DistributionError> {
        Self::Fixed(x).checked()
    }

    /// Checks every rule the constructors enforce: finiteness first, in parameter order,
    /// then the family's own rules. Use it on a variant written out by hand.
    pub fn validate(&self) -> Result<(), DistributionError> {
        match *self {
            Self::Uniform { low, high } => {
                finite("low", low)?;
                finite("high", high)?;
                if low > high {
                    return Err(DistributionError::LowAboveHigh { low, high });
                }
                Ok(())
            }
            Self::Triangular { low, mode, high } | Self::Pert { low, mode, high } => {
                finite("low", low)?;
                finite("mode", mode)?;
                finite("high", high)?;
                proper_interval(low, high)?;
                if !(low..=high).contains(&mode) {
                    return Err(DistributionError::ModeOutside { low, mode, high });
                }
                Ok(())
            }
            Self::Normal {
                mean,
                sd,
                low,
                high,
            } => {
                finite("mean", mean)?;
                finite("sd", sd)?;
                if let Some(low) = low {
                    finite("low", low)?;
                }
                if let Some(high) = high {
                    finite("high", high)?;
                }
                if sd <= 0.0 {
                    return Err(DistributionError::NonPositiveSd {
                        param: "sd",
                        value: sd,
                    });
                }
                if let (Some(low), Some(high)) = (low, high) {
                    proper_interval(low, high)?;
                }
                if low.is_some() || high.is_some() {
                    let (a, b) = standardised_bounds(mean, sd, low, high);
                    let mass = std_normal_mass(a, b);
                    if mass <= MIN_TRUNCATION_MASS {
                        return Err(DistributionError::EmptyTruncation {
                            mean,
                            sd,
                            low: low.unwrap_or(f64::NEG_INFINITY),
                            high: high.unwrap_or(f64::INFINITY),
                            mass,
                        });
                    }
                }
                Ok(())
            }
            Self::LogNormal { mu, sigma } => {
                finite("mu", mu)?;
                finite("sigma", sigma)?;
                if sigma <= 0.0 {
                    return Err(DistributionError::NonPositiveSd {
                        param: "sigma",
                        value: sigma,
                    });
                }
                Ok(())
            }
            Self::Beta {
                alpha,
                beta,
                low,
                high,
            } => {
                finite("alpha", alpha)?;
                finite("beta", beta)?;
                finite("low", low)?;
                finite("high", high)?;
                if alpha <= 0.0 {
                    return Err(DistributionError::NonPositiveShape {
                        param: "alpha",
                        value: alpha,
                    });
                }
                if beta <= 0.0 {
                    return Err(DistributionError::NonPositiveShape {
                        param: "beta",
                        value: beta,
                    });
                }
                proper_interval(low, high)
            }
            Self::Fixed(x) => finite("x", x),
        }
    }

    fn checked(self) -> Result<Self, DistributionError> {
        self.validate().map(|()| self)
    }

    /// Inverse CDF at `u`: the smallest x with P(X <= x) >= u.
    ///
    /// `u` outside [0, 1] or NaN gives NaN; `u = 0` and `u = 1` give the support's ends
    /// (infinite for an unbounded side). For `u` in (0, 1) the result is finite and inside
    /// the support (a lognormal's is at least `f64::MIN_POSITIVE`), whatever the rounding.
    ///
    /// This is the basis of every draw: sampling is `quantile(U)` with `U` uniform, so a
    /// seeded uniform stream gives reproducible draws, and Sobol/quasi-random points can
    /// be pushed through it.
    pub fn quantile(&self, u: f64) -> f64 {
        if !(0.0..=1.0).contains(&u) {
            return f64::NAN;
        }
        let (lo, hi) = self.support();
        if u == 0.0 {
            return lo;
        }
        if u == 1.0 {
            return hi;
        }
        let x = match *self {
            Self::Uniform { low, high } => lerp_from_low(low, high, u),
            Self::Triangular { low, mode, high } => triangular_quantile(low, mode, high, u),
            Self::Pert { low, mode, high } => {
                let (alpha, beta) = pert_shapes(low, mode, high);
                scaled_beta_quantile(alpha, beta, low, high, u)
            }
            Self::Normal {
                mean,
                sd,
                low,
                high,
            } => {
                let (a, b) = standardised_bounds(mean, sd, low, high);
                mean + sd * truncated_std_normal_quantile(a, b, u)
            }
            // Below MIN_POSITIVE only underflow remains, so the floor keeps draws usable
            // in logarithms and ratios downstream.
            Self::LogNormal { mu, sigma } => (mu + sigma * std_normal_quantile(u))
                .exp()
                .max(f64::MIN_POSITIVE),
            Self::Beta {
                alpha,
                beta,
                low,
                high,
            } => scaled_beta_quantile(alpha, beta, low, high, u),
            Self::Fixed(x) => x,
        };
        // Last guard: rounding (or an overflow with extreme but valid parameters) must
        // not push a draw outside the support or to an infinity.
        clamp_into(x, lo.max(f64::MIN), hi.min(f64::MAX))
    }

    /// Expected value (`+inf` for a lognormal whose mean overflows `f64`).
    ///
    /// Uniform (low + high)/2; triangular (low + mode + high)/3; PERT
    /// (low + 4 mode + high)/6; normal `mean`, truncated
    /// `mean + sd (phi(a) - phi(b)) / (Phi(b) - Phi(a))` with a, b the standardised bounds;
    /// lognormal exp(mu + sigma^2/2); Beta low + (high - low) alpha/(alpha + beta).
    pub fn mean(&self) -> f64 {
        let m = match *self {
            Self::Uniform { low, high } => lerp_from_low(low, high, 0.5),
            Self::Triangular { low, mode, high } => {
                let sum = low + mode + high;
                if sum.is_finite() {
                    sum / 3.0
                } else {
                    low / 3.0 + mode / 3.0 + high / 3.0
                }
            }
            Self::Pert { low, mode, high } => {
                let sum = low + 4.0 * mode + high;
                if sum.is_finite() {
                    sum / 6.0
                } else {
                    low / 6.0 + mode / 1.5 + high / 6.0
                }
            }
            Self::Normal {
                mean,
                sd,
                low,
                high,
            } => {
                if low.is_none() && high.is_none() {
                    mean
                } else {
                    let (a, b) = standardised_bounds(mean, sd, low, high);
                    let shift = (std_normal_pdf(a) - std_normal_pdf(b)) / std_normal_mass(a, b);
                    mean + sd * shift
                }
            }
            Self::LogNormal { mu, sigma } => (mu + 0.5 * sigma * sigma).exp(),
            Self::Beta {
                alpha,
                beta,
                low,
                high,
            } => lerp_from_low(low, high, alpha / (alpha + beta)),
            Self::Fixed(x) => x,
        };
        let (lo, hi) = self.support();
        clamp_into(m, lo, hi)
    }

    /// Median: `quantile(0.5)`, with the closed forms where they exist.
    pub fn median(&self) -> f64 {
        match *self {
            Self::Uniform { low, high } => lerp_from_low(low, high, 0.5),
            Self::Normal {
                mean,
                low: None,
                high: None,
                ..
            } => mean,
            // Clamped like the quantile, so the median is always a possible draw.
            Self::LogNormal { mu, .. } => clamp_into(mu.exp(), f64::MIN_POSITIVE, f64::MAX),
            Self::Fixed(x) => x,
            _ => self.quantile(0.5),
        }
    }

    /// The nominal value used for a deterministic score when the user gives none: the
    /// mode for triangular and PERT, the median otherwise.
    ///
    /// Why: a deterministic score needs one best guess. For triangular and PERT the user
    /// stated the most likely value explicitly, so it is used as given. For the other
    /// families the median is the 50/50 guess: it always exists and is unique, it is not
    /// dragged by a long tail as the mean is, and it avoids the mode's failures (a
    /// U-shaped Beta has two, a lognormal's sits far below most of its mass).
    pub fn nominal(&self) -> f64 {
        match *self {
            Self::Triangular { mode, .. } | Self::Pert { mode, .. } => mode,
            _ => self.median(),
        }
    }

    /// Support bounds (may be infinite): the closed interval every draw lies in.
    pub fn support(&self) -> (f64, f64) {
        match *self {
            Self::Uniform { low, high }
            | Self::Triangular { low, high, .. }
            | Self::Pert { low, high, .. }
            | Self::Beta { low, high, .. } => (low, high),
            Self::Normal { low, high, .. } => (
                low.unwrap_or(f64::NEG_INFINITY),
                high.unwrap_or(f64::INFINITY),
            ),
            Self::LogNormal { .. } => (0.0, f64::INFINITY),
            Self::Fixed(x) => (x, x),
        }
    }
}

fn finite(param: &'static str, value: f64) -> Result<(), DistributionError> {
    if value.is_finite() {
        Ok(())
    } else {
        Err(DistributionError::NotFinite { param, value })
    }
}

/// `low < high` for the families that need an interval of positive width.
fn proper_interval(low: f64, high: f64) -> Result<(), DistributionError> {
    if low > high {
        Err(DistributionError::LowAboveHigh { low, high })
    } else if low == high {
        Err(DistributionError::DegenerateRange { value: low })
    } else {
        Ok(())
    }
}

/// Clamp that cannot panic (`f64::clamp` panics when `lo > hi` or a bound is NaN, which
/// an unvalidated hand-built variant can produce).
fn clamp_into(x: f64, lo: f64, hi: f64) -> f64 {
    if x < lo {
        lo
    } else if x > hi {
        hi
    } else {
        x
    }
}

/// `low + t (high - low)`, computed at half scale when `high - low` overflows (bounds
/// near `f64::MAX` of opposite signs) so valid wide intervals still give finite draws.
fn lerp_from_low(low: f64, high: f64, t: f64) -> f64 {
    let span = high - low;
    if span.is_finite() {
        low + t * span
    } else {
        2.0 * (0.5 * low + t * (0.5 * high - 0.5 * low))
    }
}

/// `high - s (high - low)`: the same point as `lerp_from_low(low, high, 1 - s)`, but
/// exact near `high` when `s` is small, which matters when the caller computed `s`
/// (not `1 - s`) to full precision.
fn lerp_from_high(low: f64, high: f64, s: f64) -> f64 {
    let span = high - low;
    if span.is_finite() {
        high - s * span
    } else {
        2.0 * (0.5 * high - s * (0.5 * high - 0.5 * low))
    }
}

/// `(upper - lower) / (high - low)` in [0, 1], overflow-safe like [`lerp_from_low`].
fn span_fraction(upper: f64, lower: f64, low: f64, high: f64) -> f64 {
    let span = high - low;
    let part = upper - lower;
    let r = if span.is_finite() && part.is_finite() {
        part / span
    } else {
        (0.5 * upper - 0.5 * lower) / (0.5 * high - 0.5 * low)
    };
    clamp_into(r, 0.0, 1.0)
}

fn triangular_quantile(low: f64, mode: f64, high: f64, u: f64) -> f64 {
    // On [0, 1] with mode c: F(t) = t^2 / c below c, 1 - (1 - t)^2 / (1 - c) above.
    // Both fractions are computed from the original bounds so each branch is exact at
    // its own end.
    let c = span_fraction(mode, low, low, high);
    let c_upper = span_fraction(high, mode, low, high);
    if u < c {
        lerp_from_low(low, high, (u * c).sqrt())
    } else {
        lerp_from_high(low, high, ((1.0 - u) * c_upper).sqrt())
    }
}

/// PERT shapes with lambda = 4: alpha = 1 + 4 (mode - low)/(high - low), beta likewise
/// from the top, both in [1, 5] with alpha + beta = 6.
fn pert_shapes(low: f64, mode: f64, high: f64) -> (f64, f64) {
    (
        1.0 + 4.0 * span_fraction(mode, low, low, high),
        1.0 + 4.0 * span_fraction(high, mode, low, high),
    )
}

fn scaled_beta_quantile(alpha: f64, beta: f64, low: f64, high: f64, u: f64) -> f64 {
    let (x, one_minus_x) = beta_unit_quantile(alpha, beta, u);
    // Scale from the nearer end so a point close to `high` keeps its precision.
    if x <= 0.5 {
        lerp_from_low(low, high, x)
    } else {
        lerp_from_high(low, high, one_minus_x)
    }
}

// ---------------------------------------------------------------------------------------
// Standard normal helpers. statrs's `erfc` and `erfc_inv` keep their relative accuracy
// deep in the tails, so every probability below is taken in whichever tail is small.
// (In statrs 0.19.1 that accuracy is about 1e-10 for `erfc`, whose interval constants
// were truncated, statrs PR #412; `erfc_inv` is exact to rounding. So an untruncated
// normal or a lognormal is exact to rounding, a truncated normal to about 1e-10.)

fn std_normal_pdf(z: f64) -> f64 {
    (-0.5 * z * z).exp() / SQRT_2PI
}

/// Phi(z) = P(Z <= z).
fn std_normal_cdf(z: f64) -> f64 {
    0.5 * erfc(-z * FRAC_1_SQRT_2)
}

/// Q(z) = P(Z > z) = 1 - Phi(z), without the cancellation of `1 - Phi(z)`.
fn std_normal_sf(z: f64) -> f64 {
    0.5 * erfc(z * FRAC_1_SQRT_2)
}

/// Phi^-1(p), accurate for small p.
fn std_normal_inv_cdf(p: f64) -> f64 {
    -SQRT_2 * erfc_inv(2.0 * p)
}

/// Q^-1(q), accurate for small q.
fn std_normal_inv_sf(q: f64) -> f64 {
    SQRT_2 * erfc_inv(2.0 * q)
}

/// Phi^-1(u) built from the lower half only (`1 - u` is exact for u >= 1/2), so it is
/// exactly antisymmetric: quantile(1 - u) = -quantile(u).
fn std_normal_quantile(u: f64) -> f64 {
    if u <= 0.5 {
        std_normal_inv_cdf(u)
    } else {
        std_normal_inv_sf(1.0 - u)
    }
}

/// Standardised truncation bounds; an absent bound is an infinity.
fn standardised_bounds(mean: f64, sd: f64, low: Option<f64>, high: Option<f64>) -> (f64, f64) {
    (
        low.map_or(f64::NEG_INFINITY, |l| (l - mean) / sd),
        high.map_or(f64::INFINITY, |h| (h - mean) / sd),
    )
}

/// P(a <= Z <= b), as a difference of two small tail probabilities when the interval is
/// in one tail, so [8, 9] gives 6.2e-16 rather than 0 or rounding noise.
fn std_normal_mass(a: f64, b: f64) -> f64 {
    if a >= 0.0 {
        std_normal_sf(a) - std_normal_sf(b)
    } else if b <= 0.0 {
        std_normal_cdf(b) - std_normal_cdf(a)
    } else {
        1.0 - std_normal_cdf(a) - std_normal_sf(b)
    }
}

/// Quantile of N(0, 1) truncated to [a, b] at u in (0, 1):
/// Phi^-1(Phi(a) + u (Phi(b) - Phi(a))), evaluated through the upper-tail form
/// Q^-1(Q(b) + (1 - u) mass) whenever the target lies in the upper half. Otherwise an
/// interval far in the upper tail would need Phi^-1 of numbers within 1e-16 of 1, which
/// collapses every draw onto a few points (or onto `b`). The result is clamped into
/// [a, b] to absorb the last rounding.
fn truncated_std_normal_quantile(a: f64, b: f64, u: f64) -> f64 {
    let mass = std_normal_mass(a, b);
    let z = if a >= 0.0 {
        std_normal_inv_sf(std_normal_sf(b) + (1.0 - u) * mass)
    } else if b <= 0.0 {
        std_normal_inv_cdf(std_normal_cdf(a) + u * mass)
    } else {
        let p = std_normal_cdf(a) + u * mass;
        if p <= 0.5 {
            std_normal_inv_cdf(p)
        } else {
            std_normal_inv_sf(std_normal_sf(b) + (1.0 - u) * mass)
        }
    };
    clamp_into(z, a, b)
}

// ---------------------------------------------------------------------------------------
// Beta quantile.
//
// statrs's `Beta::inverse_cdf` (AS 109) is not used. In statrs 0.19.1 it returns wrong
// answers for small shapes (Beta(0.01, 0.01) at u = 1e-10 gives x = 4.4e-18, whose CDF is
// 0.34, not 1e-10; Beta(1e-5, 1) at u = 0.5 gives a point whose CDF is 0.9995) and panics
// deep in the tails (Beta(5, 1), Beta(0.5, 100) or Beta(0.05, 0.05) at u = 1e-300 or
// 1e-200). The solver below is also faster: 1.2-1.4x at PERT shapes, 1.7-5.5x for shapes
// below 1 (release build; the `beta_quantile_timing` test measures it).
//
// The solver: a Newton-Halley iteration on ln I_x(a, b) = ln p as a function of ln x. In
// log-log coordinates a power-law tail (I_x ~ C x^a, which small shapes and extreme u
// produce) is a straight line, so Newton stays fast where an iteration in x crawls (for
// a = 0.05 a Newton step in x removes only 5 % of the log-error). Each iterate keeps a
// bracket [lo, hi] on the root; a step leaving it is replaced by a (geometric)
// bisection, so the loop cannot diverge, and it is capped.

/// The smallest positive double (subnormal).
const TINIEST: f64 = f64::from_bits(1);

/// Iteration cap; the usual count is 2 or 3 (1 to 6 for small shapes), and a bisection
/// fallback needs a few dozen.
const BETA_MAX_ITER: usize = 200;

/// See `beta_unit_quantile`: how close to 1 a root may be before the orientation is
/// switched, and how large the target must be for the switch to cost little.
const BETA_NEAR_ONE: f64 = 1e-3;

/// Relative step sizes below which the iteration stops (see `solve_beta_cdf`).
const BETA_HALLEY_TOL: f64 = 1e-6;
const BETA_NEWTON_TOL: f64 = 1e-9;

/// Beta(a, b) quantile on [0, 1] at u in (0, 1), as `(x, 1 - x)`. The coordinate the
/// solver worked in (x, or 1 - x when it solved the mirrored problem) is returned as
/// solved and the other by subtraction, so a root close to 1 found in the mirrored
/// problem keeps the relative precision of its distance from 1.
fn beta_unit_quantile(a: f64, b: f64, u: f64) -> (f64, f64) {
    if !(a > 0.0 && b > 0.0 && a.is_finite() && b.is_finite()) {
        return (f64::NAN, f64::NAN);
    }
    // Closed forms: I_x(a, 1) = x^a and I_x(1, b) = 1 - (1 - x)^b. PERT with the mode at
    // an end lands here.
    if b == 1.0 {
        let ln_x = u.ln() / a;
        return (ln_x.exp(), -ln_x.exp_m1());
    }
    if a == 1.0 {
        let ln_1mx = (-u).ln_1p() / b;
        return (-ln_1mx.exp_m1(), ln_1mx.exp());
    }
    let Ok(ln_beta) = checked_ln_beta(a, b) else {
        return (f64::NAN, f64::NAN);
    };
    // Solve in the tail where the target probability is at most 1/2 (I_x(a, b) = u is
    // I_{1-x}(b, a) = 1 - u). A CDF value near 1 only carries the absolute precision of
    // its distance from 1, so matching it against a target near 1 would discard the
    // digits of a small tail probability (Beta(100, 0.05) at u = 1e-12 came out wrong by
    // 2e-7 that way).
    let (mut sa, mut sb, mut p, mut flipped) = if u <= 0.5 {
        (a, b, u, false)
    } else {
        (b, a, 1.0 - u, true)
    };
    let mut x0 = beta_initial_guess(sa, sb, p, ln_beta);
    // The opposite trade: a root within 1e-3 of 1 has lost the relative precision of its
    // distance from 1 (Beta(0.001, 0.5) at u = 0.7 is 1 - 5e-155 in the tail orientation).
    // When the target is not small, giving up its relative precision costs at most a
    // factor 1e3 on 1e-16, so the other orientation, where the root is near 0, wins.
    if x0 > 1.0 - BETA_NEAR_ONE && p > BETA_NEAR_ONE {
        (sa, sb, p, flipped) = (sb, sa, 1.0 - p, !flipped);
        x0 = beta_initial_guess_any(sa, sb, p, ln_beta);
    }
    let t = solve_beta_cdf(sa, sb, p, x0, ln_beta);
    if flipped { (1.0 - t, t) } else { (t, 1.0 - t) }
}

/// Starting point for I_x(a, b) = p with p <= 1/2, from Algorithm AS 109 (Cran, Martin
/// and Thomas, 1977) with the refinements of AS 64: Carter's normal approximation when
/// both shapes exceed 1, otherwise a Wilson-Hilferty chi-square approximation or the
/// power-law tail x ~ (p a B(a, b))^(1/a). statrs's exact normal quantile replaces the
/// original rational approximation. Always in (0, 1).
fn beta_initial_guess(a: f64, b: f64, p: f64, ln_beta: f64) -> f64 {
    let z = std_normal_inv_sf(p); // upper-tail normal deviate, >= 0
    let x = if a > 1.0 && b > 1.0 {
        let r = (z * z - 3.0) / 6.0;
        let s = 1.0 / (2.0 * a - 1.0);
        let t = 1.0 / (2.0 * b - 1.0);
        let h = 2.0 / (s + t);
        let w = z * (h + r).sqrt() / h - (t - s) * (r + 5.0 / 6.0 - 2.0 / (3.0 * h));
        a / (a + b * (2.0 * w).exp())
    } else {
        let t = 1.0 / (9.0 * b);
        let chi2 = 2.0 * b * (1.0 - t + z * t.sqrt()).powi(3);
        if chi2 <= 0.0 {
            -((((1.0 - p) * b).ln() + ln_beta) / b).exp_m1()
        } else {
            let ratio = (4.0 * a + 2.0 * b - 2.0) / chi2;
            if ratio <= 1.0 {
                (((p * a).ln() + ln_beta) / a).exp()
            } else {
                1.0 - 2.0 / (ratio + 1.0)
            }
        }
    };
    if x.is_nan() {
        0.5
    } else {
        clamp_into(x, TINIEST, 1.0 - f64::EPSILON)
    }
}

/// Starting point for I_x(a, b) = p with p anywhere in (0, 1): the tail guess, mirrored
/// when p > 1/2.
fn beta_initial_guess_any(a: f64, b: f64, p: f64, ln_beta: f64) -> f64 {
    if p <= 0.5 {
        beta_initial_guess(a, b, p, ln_beta)
    } else {
        let y = beta_initial_guess(b, a, 1.0 - p, ln_beta);
        clamp_into(1.0 - y, TINIEST, 1.0 - f64::EPSILON)
    }
}

/// Safeguarded Newton-Halley on g(s) = ln I_{e^s}(a, b) - ln p, s = ln x.
fn solve_beta_cdf(a: f64, b: f64, p: f64, x0: f64, ln_beta: f64) -> f64 {
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    let mut x = x0;
    for _ in 0..BETA_MAX_ITER {
        let (f, ln_front, front) = regularized_inc_beta(a, b, x, ln_beta);
        if f.is_nan() {
            break;
        }
        if f == p {
            return x;
        }
        if f < p {
            lo = x;
        } else {
            hi = x;
        }
        // The root is below the smallest subnormal double: 0 is the nearest.
        if hi <= TINIEST {
            return 0.0;
        }
        if hi - lo <= 2.0 * f64::EPSILON * hi {
            return x;
        }
        if f > 0.0 {
            // g = ln(f / p), taken through ln_1p for accuracy near the root.
            let g = ((f - p) / p).ln_1p();
            // g'(s) = x pdf(x) / f = front / ((1 - x) f); in logs if that under- or
            // overflows (a huge pdf near 0 when a < 1, say).
            let direct = front / ((1.0 - x) * f);
            let slope = if direct.is_finite() && direct > 0.0 {
                direct
            } else {
                (ln_front - (-x).ln_1p() - f.ln()).exp()
            };
            let newton = g / slope;
            // g''(s) / g'(s) = a - (b - 1) x / (1 - x) - g'(s); Halley's correction is
            // taken only while it is a mild one, otherwise plain Newton.
            let curvature = a - (b - 1.0) * x / (1.0 - x) - slope;
            let denom = 1.0 - 0.5 * newton * curvature;
            let halley = (0.5..=2.0).contains(&denom);
            let step = if halley { newton / denom } else { newton };
            let next = x * (-step).exp();
            // Converged when the step is small on the scale of the root's distance to the
            // nearer end (near 1 that is 1 - x, not x): the remaining error is then of
            // order step^3 (Halley) or step^2 (Newton), below f64 resolution. The step is
            // accepted even onto a bracket end, since that end may be the root itself.
            let tol = if halley {
                BETA_HALLEY_TOL
            } else {
                BETA_NEWTON_TOL
            };
            if (step * x).abs() <= tol * x.min(1.0 - x) {
                return clamp_into(next, lo, hi);
            }
            if next > lo && next < hi {
                x = next;
                continue;
            }
        }
        x = bisect(lo, hi);
    }
    x
}

/// I_x(a, b) for x in [0, 1] given ln B(a, b), returned with the log of its prefactor
/// x^a (1 - x)^b / B(a, b) and the prefactor itself, from which the solver gets the
/// density without further logarithms.
///
/// The continued fraction is the one statrs's `beta_reg` uses (Numerical Recipes'
/// `betacf` by the modified Lentz method, on the side of (a + 1)/(a + b + 2) where it
/// converges fast). It is repeated here because `beta_reg` recomputes ln B(a, b) (three
/// ln-gamma calls, about a third of its cost at PERT shapes) on every call and does not
/// expose the prefactor, and because its fixed 140-term cap truncates the fraction for
/// large shapes; the cap here grows like sqrt(a + b), the fraction's convergence scale.
fn regularized_inc_beta(a: f64, b: f64, x: f64, ln_beta: f64) -> (f64, f64, f64) {
    if x <= 0.0 {
        return (0.0, f64::NEG_INFINITY, 0.0);
    }
    if x >= 1.0 {
        return (1.0, f64::NEG_INFINITY, 0.0);
    }
    let ln_front = a * x.ln() + b * (-x).ln_1p() - ln_beta;
    let front = ln_front.exp();
    let f = if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_continued_fraction(a, b, x) / a
    } else {
        1.0 - front * beta_continued_fraction(b, a, 1.0 - x) / b
    };
    (clamp_into(f, 0.0, 1.0), ln_front, front)
}

fn beta_continued_fraction(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    const EPS: f64 = 1e-15;
    // Bounded so that absurd shapes (1e300) cost milliseconds, not minutes; beyond about
    // 1e7 the result is approximate anyway, as ln B(a, b) itself loses digits.
    let max_terms = (200.0 + 4.0 * (a + b).sqrt()).min(20_000.0) as usize;
    let fix = |v: f64| if v.abs() < TINY { TINY } else { v };
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 / fix(1.0 - qab * x / qap);
    let mut h = d;
    for m in 1..=max_terms {
        let m = m as f64;
        let m2 = 2.0 * m;
        let even = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 / fix(1.0 + even * d);
        c = fix(1.0 + even / c);
        h *= d * c;
        let odd = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 / fix(1.0 + odd * d);
        c = fix(1.0 + odd / c);
        let delta = d * c;
        h *= delta;
        if (delta - 1.0).abs() <= EPS {
            break;
        }
    }
    h
}

/// Midpoint of [lo, hi]: geometric while the bracket spans orders of magnitude (roots go
/// down into the subnormals: Beta(0.05, 1) at u = 2^-53 is 1e-313), arithmetic once it is
/// narrow.
fn bisect(lo: f64, hi: f64) -> f64 {
    let lo_pos = lo.max(TINIEST);
    if hi > 4.0 * lo_pos {
        lo_pos.sqrt() * hi.sqrt()
    } else {
        0.5 * (lo + hi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DistributionError as E;
    use proptest::prelude::*;
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;
    use statrs::distribution::{Beta as StatrsBeta, ContinuousCDF};
    use statrs::function::beta::beta_reg;

    fn assert_close(actual: f64, expected: f64, tol: f64) {
        assert!(
            (actual - expected).abs() <= tol,
            "got {actual:e}, expected {expected:e} (tolerance {tol:e})"
        );
    }

    // ----- validation -------------------------------------------------------------------

    #[test]
    fn uniform_validation() {
        assert!(Distribution::uniform(1.0, 2.0).is_ok());
        assert_eq!(
            Distribution::uniform(3.0, 2.0),
            Err(E::LowAboveHigh {
                low: 3.0,
                high: 2.0
            })
        );
        assert!(matches!(
            Distribution::uniform(f64::NAN, 1.0),
            Err(E::NotFinite { param: "low", .. })
        ));
        assert!(matches!(
            Distribution::uniform(0.0, f64::INFINITY),
            Err(E::NotFinite { param: "high", .. })
        ));
        assert!(matches!(
            Distribution::uniform(f64::NEG_INFINITY, 0.0),
            Err(E::NotFinite { param: "low", .. })
        ));
        // low == high is allowed and behaves like a fixed value.
        let d = Distribution::uniform(2.5, 2.5).unwrap();
        for u in [0.0, 0.3, 1.0] {
            assert_eq!(d.quantile(u), 2.5);
        }
        assert_eq!(d.mean(), 2.5);
    }

    #[test]
    fn triangular_and_pert_validation() {
        type Ctor = fn(f64, f64, f64) -> Result<Distribution, DistributionError>;
        for ctor in [Distribution::triangular as Ctor, Distribution::pert as Ctor] {
            assert!(ctor(0.0, 0.0, 1.0).is_ok());
            assert!(ctor(0.0, 1.0, 1.0).is_ok());
            assert_eq!(
                ctor(2.0, 2.0, 1.0),
                Err(E::LowAboveHigh {
                    low: 2.0,
                    high: 1.0
                })
            );
            assert_eq!(ctor(1.0, 1.0, 1.0), Err(E::DegenerateRange { value: 1.0 }));
            assert_eq!(
                ctor(0.0, -0.5, 1.0),
                Err(E::ModeOutside {
                    low: 0.0,
                    mode: -0.5,
                    high: 1.0
                })
            );
            assert_eq!(
                ctor(0.0, 1.5, 1.0),
                Err(E::ModeOutside {
                    low: 0.0,
                    mode: 1.5,
                    high: 1.0
                })
            );
            assert!(matches!(
                ctor(f64::NAN, 0.5, 1.0),
                Err(E::NotFinite { param: "low", .. })
            ));
            assert!(matches!(
                ctor(0.0, f64::NAN, 1.0),
                Err(E::NotFinite { param: "mode", .. })
            ));
            assert!(matches!(
                ctor(0.0, 0.5, f64::INFINITY),
                Err(E::NotFinite { param: "high", .. })
            ));
        }
    }

    #[test]
    fn normal_validation() {
        assert!(Distribution::normal(0.0, 1.0, None, None).is_ok());
        assert!(Distribution::normal(0.0, 1.0, Some(-1.0), None).is_ok());
        assert!(Distribution::normal(0.0, 1.0, None, Some(1.0)).is_ok());
        for sd in [0.0, -1.0] {
            assert_eq!(
                Distribution::normal(0.0, sd, None, None),
                Err(E::NonPositiveSd {
                    param: "sd",
                    value: sd
                })
            );
        }
        let not_finite = |r: Result<Distribution, DistributionError>| match r {
            Err(E::NotFinite { param, .. }) => param,
            other => panic!("expected NotFinite, got {other:?}"),
        };
        assert_eq!(
            not_finite(Distribution::normal(f64::NAN, 1.0, None, None)),
            "mean"
        );
        assert_eq!(
            not_finite(Distribution::normal(f64::INFINITY, 1.0, None, None)),
            "mean"
        );
        assert_eq!(
            not_finite(Distribution::normal(0.0, f64::NAN, None, None)),
            "sd"
        );
        assert_eq!(
            not_finite(Distribution::normal(0.0, f64::INFINITY, None, None)),
            "sd"
        );
        assert_eq!(
            not_finite(Distribution::normal(0.0, 1.0, Some(f64::NAN), None)),
            "low"
        );
        // An absent bound is None; an infinite one is rejected rather than guessed at.
        assert_eq!(
            not_finite(Distribution::normal(
                0.0,
                1.0,
                Some(f64::NEG_INFINITY),
                None
            )),
            "low"
        );
        assert_eq!(
            not_finite(Distribution::normal(0.0, 1.0, None, Some(f64::INFINITY))),
            "high"
        );
        assert_eq!(
            Distribution::normal(0.0, 1.0, Some(2.0), Some(1.0)),
            Err(E::LowAboveHigh {
                low: 2.0,
                high: 1.0
            })
        );
        assert_eq!(
            Distribution::normal(0.0, 1.0, Some(1.0), Some(1.0)),
            Err(E::DegenerateRange { value: 1.0 })
        );
    }

    #[test]
    fn normal_truncation_must_keep_probability() {
        // [8, 9] keeps 6.2e-16 of N(0, 1): below the 1e-12 floor.
        match Distribution::normal(0.0, 1.0, Some(8.0), Some(9.0)) {
            Err(E::EmptyTruncation {
                low, high, mass, ..
            }) => {
                assert_eq!((low, high), (8.0, 9.0));
                assert_close(mass, 6.21983198586583e-16, 1e-24);
            }
            other => panic!("expected EmptyTruncation, got {other:?}"),
        }
        // One-sided, in either tail, and in the original units.
        assert!(matches!(
            Distribution::normal(0.0, 1.0, Some(8.0), None),
            Err(E::EmptyTruncation { .. })
        ));
        assert!(matches!(
            Distribution::normal(0.0, 1.0, None, Some(-8.0)),
            Err(E::EmptyTruncation { high, low, .. }) if high == -8.0 && low == f64::NEG_INFINITY
        ));
        assert!(matches!(
            Distribution::normal(100.0, 2.0, Some(120.0), Some(130.0)),
            Err(E::EmptyTruncation { .. })
        ));
        // Just above the floor: Q(6.5) = 4.0e-11 and Q(6) - Q(9) = 9.9e-10 are kept.
        assert!(Distribution::normal(0.0, 1.0, Some(6.5), None).is_ok());
        assert!(Distribution::normal(0.0, 1.0, Some(6.0), Some(9.0)).is_ok());
        assert!(Distribution::normal(0.0, 1.0, Some(-9.0), Some(-6.0)).is_ok());
        // Q(7) - Q(7.1) = 6.6e-13 is not.
        assert!(Distribution::normal(0.0, 1.0, Some(7.0), Some(7.1)).is_err());
    }

    #[test]
    fn lognormal_validation() {
        assert!(Distribution::lognormal(0.0, 1.0).is_ok());
        for sigma in [0.0, -0.5] {
            assert_eq!(
                Distribution::lognormal(0.0, sigma),
                Err(E::NonPositiveSd {
                    param: "sigma",
                    value: sigma
                })
            );
            assert_eq!(
                Distribution::lognormal_from_median(1.0, sigma),
                Err(E::NonPositiveSd {
                    param: "sigma",
                    value: sigma
                })
            );
        }
        assert!(matches!(
            Distribution::lognormal(f64::NAN, 1.0),
            Err(E::NotFinite { param: "mu", .. })
        ));
        assert!(matches!(
            Distribution::lognormal(0.0, f64::INFINITY),
            Err(E::NotFinite { param: "sigma", .. })
        ));
        for median in [0.0, -3.0] {
            assert_eq!(
                Distribution::lognormal_from_median(median, 1.0),
                Err(E::NonPositiveMedian { value: median })
            );
        }
        assert!(matches!(
            Distribution::lognormal_from_median(f64::INFINITY, 1.0),
            Err(E::NotFinite {
                param: "median",
                ..
            })
        ));
        assert!(matches!(
            Distribution::lognormal_from_median(2.0, f64::NAN),
            Err(E::NotFinite { param: "sigma", .. })
        ));
        assert_eq!(
            Distribution::lognormal_from_median(5.0, 0.3).unwrap(),
            Distribution::LogNormal {
                mu: 5.0_f64.ln(),
                sigma: 0.3
            }
        );
    }

    #[test]
    fn beta_validation() {
        assert!(Distribution::beta(2.0, 3.0, -1.0, 1.0).is_ok());
        assert_eq!(
            Distribution::standard_beta(2.0, 3.0).unwrap(),
            Distribution::Beta {
                alpha: 2.0,
                beta: 3.0,
                low: 0.0,
                high: 1.0
            }
        );
        for bad in [0.0, -1.0] {
            assert_eq!(
                Distribution::standard_beta(bad, 1.0),
                Err(E::NonPositiveShape {
                    param: "alpha",
                    value: bad
                })
            );
            assert_eq!(
                Distribution::standard_beta(1.0, bad),
                Err(E::NonPositiveShape {
                    param: "beta",
                    value: bad
                })
            );
        }
        assert!(matches!(
            Distribution::standard_beta(f64::INFINITY, 1.0),
            Err(E::NotFinite { param: "alpha", .. })
        ));
        assert!(matches!(
            Distribution::standard_beta(1.0, f64::NAN),
            Err(E::NotFinite { param: "beta", .. })
        ));
        assert!(matches!(
            Distribution::beta(1.0, 1.0, f64::NAN, 1.0),
            Err(E::NotFinite { param: "low", .. })
        ));
        assert!(matches!(
            Distribution::beta(1.0, 1.0, 0.0, f64::NEG_INFINITY),
            Err(E::NotFinite { param: "high", .. })
        ));
        assert_eq!(
            Distribution::beta(1.0, 1.0, 1.0, 0.0),
            Err(E::LowAboveHigh {
                low: 1.0,
                high: 0.0
            })
        );
        assert_eq!(
            Distribution::beta(1.0, 1.0, 1.0, 1.0),
            Err(E::DegenerateRange { value: 1.0 })
        );
    }

    #[test]
    fn fixed_validation() {
        assert_eq!(Distribution::fixed(4.0), Ok(Distribution::Fixed(4.0)));
        for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(matches!(
                Distribution::fixed(x),
                Err(E::NotFinite { param: "x", .. })
            ));
        }
    }

    #[test]
    fn error_messages_name_the_parameter() {
        let cases = [
            (
                E::NotFinite {
                    param: "mode",
                    value: f64::NAN,
                },
                "`mode`",
            ),
            (
                E::LowAboveHigh {
                    low: 2.0,
                    high: 1.0,
                },
                "`low` (2) must not be above `high` (1)",
            ),
            (E::DegenerateRange { value: 1.0 }, "`low` and `high`"),
            (
                E::ModeOutside {
                    low: 0.0,
                    mode: 2.0,
                    high: 1.0,
                },
                "`mode` (2)",
            ),
            (
                E::NonPositiveSd {
                    param: "sigma",
                    value: 0.0,
                },
                "`sigma` must be > 0",
            ),
            (
                E::NonPositiveShape {
                    param: "beta",
                    value: -1.0,
                },
                "`beta` must be > 0",
            ),
            (E::NonPositiveMedian { value: 0.0 }, "`median`"),
            (
                E::EmptyTruncation {
                    mean: 0.0,
                    sd: 1.0,
                    low: 8.0,
                    high: f64::INFINITY,
                    mass: 6.2e-16,
                },
                "[`low`, `high`] = [8, inf]",
            ),
        ];
        for (error, needle) in cases {
            let message = error.to_string();
            assert!(message.contains(needle), "{message:?} lacks {needle:?}");
        }
    }

    #[test]
    fn validate_catches_hand_built_variants() {
        let bad = [
            Distribution::Uniform {
                low: 1.0,
                high: 0.0,
            },
            Distribution::Triangular {
                low: 0.0,
                mode: 2.0,
                high: 1.0,
            },
            Distribution::Pert {
                low: 0.0,
                mode: 0.0,
                high: 0.0,
            },
            Distribution::Normal {
                mean: 0.0,
                sd: -1.0,
                low: None,
                high: None,
            },
            Distribution::LogNormal {
                mu: 0.0,
                sigma: 0.0,
            },
            Distribution::Beta {
                alpha: 0.0,
                beta: 1.0,
                low: 0.0,
                high: 1.0,
            },
            Distribution::Fixed(f64::NAN),
        ];
        for d in bad {
            assert!(d.validate().is_err(), "{d:?} validated");
        }
    }

    #[test]
    fn distribution_is_serialize() {
        fn assert_serialize<T: serde::Serialize>() {}
        assert_serialize::<Distribution>();
    }

    // ----- quantiles: known values -------------------------------------------------------

    #[test]
    fn quantile_edges() {
        let n = Distribution::normal(1.0, 2.0, None, None).unwrap();
        assert!(n.quantile(-0.1).is_nan());
        assert!(n.quantile(1.1).is_nan());
        assert!(n.quantile(f64::NAN).is_nan());
        assert_eq!(n.quantile(0.0), f64::NEG_INFINITY);
        assert_eq!(n.quantile(1.0), f64::INFINITY);
        let t = Distribution::normal(1.0, 2.0, Some(0.0), None).unwrap();
        assert_eq!(t.quantile(0.0), 0.0);
        let l = Distribution::lognormal(0.0, 1.0).unwrap();
        assert_eq!((l.quantile(0.0), l.quantile(1.0)), (0.0, f64::INFINITY));
        let b = Distribution::beta(0.5, 0.5, 2.0, 3.0).unwrap();
        assert_eq!((b.quantile(0.0), b.quantile(1.0)), (2.0, 3.0));
        assert_eq!(Distribution::Fixed(7.0).quantile(0.0), 7.0);
        // The smallest positive u still gives a finite draw.
        assert!(n.quantile(f64::from_bits(1)).is_finite());
        assert!(l.quantile(f64::from_bits(1)) > 0.0);
    }

    #[test]
    fn uniform_quantile_closed_form() {
        let d = Distribution::uniform(-2.0, 6.0).unwrap();
        for (u, x) in [(0.25, 0.0), (0.5, 2.0), (0.875, 5.0)] {
            assert_close(d.quantile(u), x, 1e-15);
        }
        // A span that overflows f64 still gives finite, ordered draws.
        let wide = Distribution::uniform(-f64::MAX, f64::MAX).unwrap();
        assert_eq!(wide.quantile(0.5), 0.0);
        assert!(wide.quantile(0.25) < 0.0 && wide.quantile(0.75).is_finite());
    }

    #[test]
    fn triangular_quantiles_by_formula() {
        // Mode right of the middle (c = 0.8 >= 1/2): median = low + sqrt((high - low)(mode - low)/2).
        let d = Distribution::triangular(0.0, 8.0, 10.0).unwrap();
        assert_close(d.median(), 40.0_f64.sqrt(), 1e-14);
        // Mode left of the middle: median = high - sqrt((high - low)(high - mode)/2).
        let d = Distribution::triangular(2.0, 3.0, 12.0).unwrap();
        assert_close(d.median(), 12.0 - 45.0_f64.sqrt(), 1e-14);
        // F(mode) = (mode - low)/(high - low).
        assert_close(d.quantile(0.1), 3.0, 1e-14);
        // Mode at an end: the right-angled triangle.
        let d = Distribution::triangular(0.0, 0.0, 1.0).unwrap();
        assert_close(d.quantile(0.75), 0.5, 1e-15);
        let d = Distribution::triangular(0.0, 1.0, 1.0).unwrap();
        assert_close(d.quantile(0.25), 0.5, 1e-15);
    }

    #[test]
    fn pert_quantiles() {
        // Symmetric: Beta(3, 3), median 0.5.
        let d = Distribution::pert(0.0, 0.5, 1.0).unwrap();
        assert_close(d.median(), 0.5, 1e-14);
        assert_close(d.quantile(0.2) + d.quantile(0.8), 1.0, 1e-14);
        // Skewed: PERT(10, 12, 20) is Beta(1.8, 4.2) on [10, 20].
        let d = Distribution::pert(10.0, 12.0, 20.0).unwrap();
        let reference = StatrsBeta::new(1.8, 4.2).unwrap();
        for u in [0.01, 0.3, 0.5, 0.9, 0.999] {
            assert_close(d.quantile(u), 10.0 + 10.0 * reference.inverse_cdf(u), 1e-12);
        }
        // Mode at an end: Beta(1, 5), whose quantile is 1 - (1 - u)^(1/5).
        let d = Distribution::pert(0.0, 0.0, 1.0).unwrap();
        assert_close(d.quantile(0.5), 1.0 - 0.5_f64.powf(0.2), 1e-15);
    }

    #[test]
    fn normal_quantiles() {
        let d = Distribution::normal(0.0, 1.0, None, None).unwrap();
        assert_close(d.quantile(0.975), 1.959963984540054, 1e-14);
        assert_close(d.quantile(0.025), -1.959963984540054, 1e-14);
        let d = Distribution::normal(10.0, 2.0, None, None).unwrap();
        assert_close(d.quantile(0.975), 10.0 + 2.0 * 1.959963984540054, 1e-13);
        assert_eq!(d.median(), 10.0);
        // Truncated symmetrically about the mean: the median is the mean.
        let d = Distribution::normal(3.0, 2.0, Some(-1.0), Some(7.0)).unwrap();
        assert_close(d.median(), 3.0, 1e-12);
        assert_close(d.quantile(0.25) + d.quantile(0.75), 6.0, 1e-12);
        // Far in the upper tail (mass 9.9e-10), against mpmath. The tolerance is set by
        // statrs 0.19.1's erfc (about 1e-10 relative); the untruncated quantile above
        // only uses erfc_inv, which is exact to rounding.
        let d = Distribution::normal(0.0, 1.0, Some(6.0), Some(9.0)).unwrap();
        for (u, z) in [
            (0.1, 6.01708506265862),
            (0.5, 6.111565061795187),
            (0.9, 6.363414284362702),
        ] {
            assert_close(d.quantile(u), z, 1e-9);
        }
    }

    #[test]
    fn truncated_normal_far_in_the_tails() {
        // The constructor rejects these intervals (mass < 1e-12), but the quantile
        // itself stays accurate there: references from mpmath.
        let cases = [
            (
                8.0,
                9.0,
                [8.012960571504209, 8.084888899018166, 8.278609037011552],
            ),
            (
                30.0,
                31.0,
                [30.003507923244175, 30.02307046782731, 30.076570337034926],
            ),
            (
                -9.0,
                -8.0,
                [-8.278609037011552, -8.084888899018166, -8.012960571504209],
            ),
        ];
        for (a, b, expected) in cases {
            for (u, z) in [0.1, 0.5, 0.9].into_iter().zip(expected) {
                assert_close(truncated_std_normal_quantile(a, b, u), z, 1e-9);
            }
            let mut previous = a;
            for i in 1..1000 {
                let z = truncated_std_normal_quantile(a, b, f64::from(i) / 1000.0);
                assert!(
                    (a..=b).contains(&z) && z >= previous,
                    "[{a}, {b}] at {i}: {z}"
                );
                previous = z;
            }
        }
    }

    #[test]
    fn lognormal_quantiles() {
        let d = Distribution::lognormal(1.5, 0.7).unwrap();
        assert_close(d.median(), 1.5_f64.exp(), 1e-14);
        assert_close(d.quantile(0.5), 1.5_f64.exp(), 1e-14);
        assert_close(
            d.quantile(0.975),
            (1.5 + 0.7 * 1.959963984540054_f64).exp(),
            1e-12,
        );
        let d = Distribution::lognormal_from_median(250.0, 0.5).unwrap();
        assert_close(d.median(), 250.0, 1e-12);
        assert_close(d.quantile(0.5), 250.0, 1e-12);
    }

    #[test]
    fn beta_quantile_matches_statrs_where_statrs_is_right() {
        let d = Distribution::standard_beta(2.0, 5.0).unwrap();
        let s = StatrsBeta::new(2.0, 5.0).unwrap();
        assert_close(d.quantile(0.5), s.inverse_cdf(0.5), 1e-13);
        assert_close(d.median(), 0.26444998329565994, 1e-15);
        // Grid: PERT shapes (alpha + beta = 6) and moderate Beta shapes.
        let mut worst = 0.0_f64;
        for (a, b) in [
            (1.2, 4.8),
            (2.0, 4.0),
            (3.0, 3.0),
            (4.6, 1.4),
            (0.5, 0.5),
            (0.7, 2.5),
            (2.0, 5.0),
            (10.0, 3.0),
            (50.0, 50.0),
        ] {
            let d = Distribution::standard_beta(a, b).unwrap();
            let s = StatrsBeta::new(a, b).unwrap();
            for i in 1..1000 {
                let u = f64::from(i) / 1000.0;
                worst = worst.max((d.quantile(u) - s.inverse_cdf(u)).abs());
            }
        }
        assert!(worst < 1e-9, "max |ours - statrs| = {worst:e}");
    }

    /// Beta quantiles from mpmath (50 digits, bisection on the regularized incomplete
    /// beta), including shapes and tails where statrs's inverse_cdf fails.
    const BETA_REFERENCE: &[(f64, f64, f64, f64)] = &[
        (0.05, 0.05, 1e-12, 9.71182360272031e-235),
        (0.05, 0.05, 1e-6, 9.711823602720156e-115),
        (0.05, 0.05, 0.01, 9.71182360272007e-35),
        (0.05, 0.05, 0.1, 9.711823602719967e-15),
        (0.05, 0.05, 0.3, 3.386199757902796e-05),
        (0.05, 0.05, 0.5, 0.5),
        (0.05, 0.05, 0.7, 0.999966138002421),
        (0.05, 0.05, 0.9, 0.9999999999999903),
        (0.05, 0.05, 0.99, 1.0),
        (0.05, 0.05, 0.999999, 1.0),
        (0.01, 0.01, 1e-12, 0.0),
        (0.01, 0.01, 1e-6, 0.0),
        (0.01, 0.01, 0.01, 1.2472643212277824e-170),
        (0.01, 0.01, 0.1, 1.2472643212277808e-70),
        (0.01, 0.01, 0.3, 6.428119935718613e-23),
        (0.01, 0.01, 0.5, 0.5),
        (0.01, 0.01, 0.7, 1.0),
        (0.01, 0.01, 0.9, 1.0),
        (0.01, 0.01, 0.99, 1.0),
        (0.01, 0.01, 0.999999, 1.0),
        (0.5, 0.5, 1e-12, 2.4674011002723395e-24),
        (0.5, 0.5, 1e-6, 2.46740110027031e-12),
        (0.5, 0.5, 0.01, 0.0002467198171342215),
        (0.5, 0.5, 0.1, 0.024471741852423217),
        (0.5, 0.5, 0.3, 0.20610737385376343),
        (0.5, 0.5, 0.5, 0.5),
        (0.5, 0.5, 0.7, 0.7938926261462365),
        (0.5, 0.5, 0.9, 0.9755282581475768),
        (0.5, 0.5, 0.99, 0.9997532801828658),
        (0.5, 0.5, 0.999999, 0.9999999999975326),
        (2.0, 5.0, 1e-12, 2.581989786361007e-07),
        (2.0, 5.0, 1e-6, 0.0002582878293540636),
        (2.0, 5.0, 0.01, 0.026763191142755056),
        (2.0, 5.0, 0.1, 0.09259525891312875),
        (2.0, 5.0, 0.3, 0.18180347131894917),
        (2.0, 5.0, 0.5, 0.26444998329565994),
        (2.0, 5.0, 0.7, 0.36035769038002025),
        (2.0, 5.0, 0.9, 0.5103163065514916),
        (2.0, 5.0, 0.99, 0.7056863283197075),
        (2.0, 5.0, 0.999999, 0.9555730480299243),
        (5.0, 2.0, 1e-12, 0.0027833732636848296),
        (5.0, 2.0, 1e-6, 0.044426951969818294),
        (5.0, 2.0, 0.01, 0.2943136716802925),
        (5.0, 2.0, 0.1, 0.4896836934485084),
        (5.0, 2.0, 0.3, 0.6396423096199797),
        (5.0, 2.0, 0.5, 0.7355500167043401),
        (5.0, 2.0, 0.7, 0.8181965286810509),
        (5.0, 2.0, 0.9, 0.9074047410868713),
        (5.0, 2.0, 0.99, 0.973236808857245),
        (5.0, 2.0, 0.999999, 0.9997417121706422),
        (0.2, 3.0, 1e-12, 2.495343537242637e-61),
        (0.2, 3.0, 1e-6, 2.495343537242627e-31),
        (0.2, 3.0, 0.01, 2.4953435373464008e-11),
        (0.2, 3.0, 0.1, 2.4953539152035637e-06),
        (0.2, 3.0, 0.3, 0.0006069821751580953),
        (0.2, 3.0, 0.5, 0.007901229090864222),
        (0.2, 3.0, 0.7, 0.04520432908214375),
        (0.2, 3.0, 0.9, 0.20598151392294753),
        (0.2, 3.0, 0.99, 0.5654972304662552),
        (0.2, 3.0, 0.999999, 0.9776191480359043),
        (3.0, 0.2, 1e-12, 0.00022481204723815608),
        (3.0, 0.2, 1e-6, 0.0223808519638821),
        (3.0, 0.2, 0.01, 0.43450276953374467),
        (3.0, 0.2, 0.1, 0.7940184860770525),
        (3.0, 0.2, 0.3, 0.9547956709178562),
        (3.0, 0.2, 0.5, 0.9920987709091358),
        (3.0, 0.2, 0.7, 0.9993930178248419),
        (3.0, 0.2, 0.9, 0.9999975046460848),
        (3.0, 0.2, 0.99, 0.9999999999750465),
        (3.0, 0.2, 0.999999, 1.0),
        (1.5, 4.5, 1e-12, 2.5511312687255307e-09),
        (1.5, 4.5, 1e-6, 2.5512223806508545e-05),
        (1.5, 4.5, 0.01, 0.012043024572278986),
        (1.5, 4.5, 0.1, 0.05980865685524751),
        (1.5, 4.5, 0.3, 0.1395529407022446),
        (1.5, 4.5, 0.5, 0.2211198949227273),
        (1.5, 4.5, 0.7, 0.32112717282609815),
        (1.5, 4.5, 0.9, 0.48390319856942093),
        (1.5, 4.5, 0.99, 0.699757320514569),
        (1.5, 4.5, 0.999999, 0.9622905178917905),
        (100.0, 0.05, 1e-12, 0.8041315978826997),
        (100.0, 0.05, 1e-6, 0.9163285531277081),
        (100.0, 0.05, 0.01, 0.9891314051328369),
        (100.0, 0.05, 0.1, 0.9992334838718184),
        (100.0, 0.05, 0.3, 0.9999953121262721),
        (100.0, 0.05, 0.5, 0.9999999943995428),
        (100.0, 0.05, 0.7, 0.9999999999997953),
        (100.0, 0.05, 0.9, 1.0),
        (100.0, 0.05, 0.99, 1.0),
        (100.0, 0.05, 0.999999, 1.0),
        (1000.0, 1000.0, 1e-12, 0.4218264271514883),
        (1000.0, 1000.0, 1e-6, 0.4469982680743909),
        (1000.0, 1000.0, 0.01, 0.4740049810976679),
        (1000.0, 1000.0, 0.1, 0.48567296903153834),
        (1000.0, 1000.0, 0.3, 0.4941364927279815),
        (1000.0, 1000.0, 0.5, 0.5),
        (1000.0, 1000.0, 0.7, 0.5058635072720185),
        (1000.0, 1000.0, 0.9, 0.5143270309684617),
        (1000.0, 1000.0, 0.99, 0.5259950189023321),
        (1000.0, 1000.0, 0.999999, 0.5530017319255447),
        (0.001, 0.5, 1e-12, 0.0),
        (0.001, 0.5, 1e-6, 0.0),
        (0.001, 0.5, 0.01, 0.0),
        (0.001, 0.5, 0.1, 0.0),
        (0.001, 0.5, 0.3, 0.0),
        (0.001, 0.5, 0.5, 3.726927839084617e-301),
        (0.001, 0.5, 0.7, 5.004799253287771e-155),
        (0.001, 0.5, 0.9, 6.980010682971287e-46),
        (0.001, 0.5, 0.99, 0.00017238673619068216),
        (0.001, 0.5, 0.999999, 0.9999997493067564),
    ];

    #[test]
    fn beta_quantile_matches_mpmath_reference() {
        for &(a, b, u, expected) in BETA_REFERENCE {
            let x = Distribution::standard_beta(a, b).unwrap().quantile(u);
            // Absolute agreement everywhere, relative agreement for the small values
            // (down to 1e-300) that only a tail-aware solver gets right.
            let tol = 1e-13_f64.min(1e-11 * expected.max(1e-300));
            let tol = if expected < 0.5 { tol } else { 1e-13 };
            assert!(
                (x - expected).abs() <= tol,
                "Beta({a}, {b}) at {u}: {x:e}, expected {expected:e}"
            );
        }
    }

    /// I_x(a, b) from statrs, through the mirror image when both x and the value are
    /// above 1/2: statrs's `beta_reg` returns exactly 1 for x within a few ulps of 1,
    /// where a small shape can still leave most of the mass (Beta(0.01, 0.01) has CDF
    /// 0.65 at 1 - 3.3e-16), while a small value is best computed directly.
    fn beta_cdf(a: f64, b: f64, x: f64) -> f64 {
        let direct = beta_reg(a, b, x);
        if direct > 0.5 && x > 0.5 {
            1.0 - beta_reg(b, a, 1.0 - x)
        } else {
            direct
        }
    }

    /// `u` is within 1e-12 of I_x(a, b), or within the CDF's jump over one ulp of x
    /// (near a pole of the density no double does better).
    fn assert_hits_cdf(a: f64, b: f64, u: f64, x: f64) {
        let below = beta_cdf(a, b, x.next_down().max(0.0));
        let above = beta_cdf(a, b, x.next_up().min(1.0));
        assert!(
            below - 1e-12 <= u && u <= above + 1e-12,
            "Beta({a}, {b}) at u = {u:e}: x = {x:e}, CDF around x in [{below:e}, {above:e}]"
        );
    }

    #[test]
    fn beta_quantile_inverts_the_cdf_to_1e_12() {
        let shapes = [
            (0.01, 0.01),
            (0.05, 0.05),
            (0.05, 20.0),
            (0.2, 3.0),
            (3.0, 0.2),
            (0.5, 0.5),
            (1.2, 4.8),
            (2.0, 5.0),
            (5.0, 2.0),
            (100.0, 0.05),
            (1000.0, 1000.0),
        ];
        let mut us: Vec<f64> = (1..100).map(|i| f64::from(i) / 100.0).collect();
        us.extend([1e-300, 1e-12, 1e-6, 1.0 - 1e-6, 1.0 - 1e-12]);
        for (a, b) in shapes {
            let d = Distribution::standard_beta(a, b).unwrap();
            for &u in &us {
                assert_hits_cdf(a, b, u, d.quantile(u));
            }
        }
    }

    #[test]
    fn beta_closed_forms() {
        let d = Distribution::standard_beta(2.5, 1.0).unwrap();
        let e = Distribution::standard_beta(1.0, 2.5).unwrap();
        for u in [1e-9, 0.1, 0.5, 0.9] {
            assert_close(d.quantile(u), u.powf(1.0 / 2.5), 1e-15);
            assert_close(e.quantile(u), 1.0 - (1.0 - u).powf(1.0 / 2.5), 1e-15);
        }
    }

    #[test]
    fn beta_quantile_huge_shapes_stay_sane() {
        // Reference from scipy.special.betaincinv.
        let d = Distribution::standard_beta(1e6, 1e6).unwrap();
        assert_close(d.quantile(0.3), 0.49981459640390097, 1e-11);
        // Absurd shapes: no accuracy promised, but a finite draw in the support.
        for (a, b) in [(1e300, 1e300), (1e300, 1e-300), (1e-300, 1e-300)] {
            let d = Distribution::standard_beta(a, b).unwrap();
            for u in [1e-10, 0.3, 0.5, 0.9] {
                let x = d.quantile(u);
                assert!((0.0..=1.0).contains(&x), "Beta({a}, {b}) at {u}: {x}");
            }
        }
    }

    #[test]
    fn incomplete_beta_matches_statrs() {
        for (a, b) in [
            (0.05, 0.05),
            (0.5, 2.0),
            (1.4, 4.6),
            (3.0, 3.0),
            (2.0, 50.0),
            (80.0, 7.0),
        ] {
            let ln_beta = checked_ln_beta(a, b).unwrap();
            for i in 1..200 {
                let x = f64::from(i) / 200.0;
                let (ours, _, _) = regularized_inc_beta(a, b, x, ln_beta);
                let theirs = beta_reg(a, b, x);
                assert!(
                    (ours - theirs).abs() <= 1e-15 + 1e-12 * theirs,
                    "I_{x}({a}, {b}): {ours:e} vs statrs {theirs:e}"
                );
            }
        }
    }

    #[test]
    fn quantiles_are_monotone_on_a_dense_grid() {
        let cases = [
            Distribution::standard_beta(0.05, 0.05).unwrap(),
            Distribution::standard_beta(0.3, 7.0).unwrap(),
            Distribution::pert(0.0, 0.3, 1.0).unwrap(),
            Distribution::triangular(0.0, 0.3, 1.0).unwrap(),
            Distribution::normal(0.0, 1.0, Some(-0.5), Some(3.0)).unwrap(),
            Distribution::normal(0.0, 1.0, Some(6.0), None).unwrap(),
        ];
        for d in cases {
            let mut previous = d.quantile(0.0);
            for i in 1..=20_000 {
                let x = d.quantile(f64::from(i) / 20_000.0);
                assert!(x >= previous, "{d:?} decreases at u = {i}/20000");
                previous = x;
            }
        }
    }

    // ----- mean, median, nominal, support ------------------------------------------------

    fn std_normal_tail(z: f64) -> f64 {
        0.5 * erfc(z / SQRT_2)
    }

    /// mean + sd (phi(a) - phi(b)) / (Phi(b) - Phi(a)), with Phi(b) - Phi(a) written as
    /// Q(a) - Q(b) (equal, but without cancellation for intervals in the upper tail).
    fn truncated_normal_mean(mean: f64, sd: f64, low: f64, high: f64) -> f64 {
        let phi = |z: f64| (-0.5 * z * z).exp() / SQRT_2PI;
        let (a, b) = ((low - mean) / sd, (high - mean) / sd);
        mean + sd * (phi(a) - phi(b)) / (std_normal_tail(a) - std_normal_tail(b))
    }

    /// Each distribution with its analytic mean.
    fn with_means() -> Vec<(Distribution, f64)> {
        vec![
            // (low + high) / 2
            (Distribution::uniform(2.0, 10.0).unwrap(), 6.0),
            // (low + mode + high) / 3
            (Distribution::triangular(1.0, 2.0, 6.0).unwrap(), 3.0),
            // (low + 4 mode + high) / 6
            (Distribution::pert(0.0, 2.0, 10.0).unwrap(), 3.0),
            (Distribution::pert(5.0, 9.0, 9.0).unwrap(), 50.0 / 6.0),
            // mean
            (Distribution::normal(5.0, 2.0, None, None).unwrap(), 5.0),
            // mean + sd (phi(a) - phi(b)) / (Phi(b) - Phi(a))
            (
                Distribution::normal(0.0, 1.0, Some(-1.0), Some(2.0)).unwrap(),
                0.22963717909132897, // mpmath
            ),
            (
                Distribution::normal(10.0, 3.0, Some(12.0), None).unwrap(),
                truncated_normal_mean(10.0, 3.0, 12.0, f64::INFINITY),
            ),
            (
                Distribution::normal(0.0, 1.0, Some(6.0), Some(9.0)).unwrap(),
                6.158482604207134, // mpmath
            ),
            // exp(mu + sigma^2 / 2)
            (
                Distribution::lognormal(0.5, 0.4).unwrap(),
                (0.5_f64 + 0.08).exp(),
            ),
            // low + (high - low) alpha / (alpha + beta)
            (
                Distribution::beta(2.0, 5.0, 10.0, 20.0).unwrap(),
                10.0 + 20.0 / 7.0,
            ),
            (Distribution::standard_beta(0.05, 0.05).unwrap(), 0.5),
            (
                Distribution::beta(0.3, 2.0, -1.0, 1.0).unwrap(),
                -1.0 + 0.6 / 2.3,
            ),
            // the value itself
            (Distribution::fixed(3.0).unwrap(), 3.0),
        ]
    }

    #[test]
    fn mean_matches_formulas() {
        for (d, expected) in with_means() {
            // statrs 0.19.1's erfc is good to about 1e-10 relative, which bounds a
            // truncated normal's accuracy; everything else is exact to rounding.
            let truncated = matches!(d, Distribution::Normal { low, high, .. } if low.is_some() || high.is_some());
            let tol = if truncated { 1e-9 } else { 1e-12 };
            assert_close(d.mean(), expected, tol * expected.abs().max(1.0));
        }
        assert_close(
            truncated_normal_mean(0.0, 1.0, 6.0, 9.0),
            6.158482604207134,
            1e-9,
        );
    }

    /// U(0, 1) without its endpoints: 53 random bits centred in their cell.
    /// (`random::<f64>()` can return 0, whose quantile is the support's end, -inf for a
    /// normal.)
    fn open_unit(rng: &mut ChaCha8Rng) -> f64 {
        ((rng.random::<u64>() >> 11) as f64 + 0.5) / 9_007_199_254_740_992.0
    }

    #[test]
    fn sample_means_are_within_4_standard_errors() {
        const N: usize = 100_000;
        for (seed, (d, expected)) in (1_u64..).zip(with_means()) {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let draws: Vec<f64> = (0..N).map(|_| d.quantile(open_unit(&mut rng))).collect();
            let mean = draws.iter().sum::<f64>() / N as f64;
            let var = draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (N - 1) as f64;
            let standard_error = (var / N as f64).sqrt();
            assert!(
                (mean - expected).abs() <= 4.0 * standard_error,
                "{d:?}: sample mean {mean} vs {expected} (standard error {standard_error:e})"
            );
        }
    }

    #[test]
    fn reproducible_from_a_seed() {
        let d = Distribution::pert(1.0, 2.0, 5.0).unwrap();
        let draw = |seed| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            (0..5)
                .map(|_| d.quantile(open_unit(&mut rng)))
                .collect::<Vec<_>>()
        };
        assert_eq!(draw(7), draw(7));
        assert_ne!(draw(7), draw(8));
    }

    #[test]
    fn nominal_is_the_mode_or_the_median() {
        assert_eq!(
            Distribution::triangular(0.0, 2.0, 10.0).unwrap().nominal(),
            2.0
        );
        assert_eq!(Distribution::pert(0.0, 2.0, 10.0).unwrap().nominal(), 2.0);
        assert_eq!(Distribution::uniform(2.0, 4.0).unwrap().nominal(), 3.0);
        assert_eq!(
            Distribution::normal(1.0, 2.0, None, None)
                .unwrap()
                .nominal(),
            1.0
        );
        let truncated = Distribution::normal(1.0, 2.0, Some(0.0), None).unwrap();
        assert_eq!(truncated.nominal(), truncated.quantile(0.5));
        assert!(truncated.nominal() > 1.0);
        assert_close(
            Distribution::lognormal(2.0, 1.0).unwrap().nominal(),
            2.0_f64.exp(),
            1e-14,
        );
        let beta = Distribution::standard_beta(2.0, 5.0).unwrap();
        assert_close(beta.nominal(), 0.26444998329565994, 1e-15);
        assert_eq!(Distribution::fixed(-3.0).unwrap().nominal(), -3.0);
    }

    #[test]
    fn supports() {
        let inf = f64::INFINITY;
        let cases = [
            (Distribution::uniform(1.0, 2.0).unwrap(), (1.0, 2.0)),
            (Distribution::pert(1.0, 1.5, 2.0).unwrap(), (1.0, 2.0)),
            (
                Distribution::normal(0.0, 1.0, None, None).unwrap(),
                (-inf, inf),
            ),
            (
                Distribution::normal(0.0, 1.0, None, Some(2.0)).unwrap(),
                (-inf, 2.0),
            ),
            (Distribution::lognormal(0.0, 1.0).unwrap(), (0.0, inf)),
            (
                Distribution::beta(1.0, 2.0, -3.0, 3.0).unwrap(),
                (-3.0, 3.0),
            ),
            (Distribution::fixed(4.0).unwrap(), (4.0, 4.0)),
        ];
        for (d, support) in cases {
            assert_eq!(d.support(), support);
        }
    }

    // ----- property tests ----------------------------------------------------------------

    fn log_uniform(lo: f64, hi: f64) -> impl Strategy<Value = f64> + Clone {
        (lo.ln()..hi.ln()).prop_map(f64::exp)
    }

    /// u in (0, 1), with deep lower tails (down to 1e-304) and upper tails (to 1 - 2e-16).
    fn open_u() -> impl Strategy<Value = f64> {
        prop_oneof![
            4 => 0.0..1.0_f64,
            1 => (-700.0..-1.0_f64).prop_map(f64::exp),
            1 => (-36.0..-1.0_f64).prop_map(|e| 1.0 - e.exp()),
        ]
        .prop_filter("open interval", |u| *u > 0.0 && *u < 1.0)
    }

    /// Hard cases: tiny and huge shapes, truncation far in a tail, wide ranges.
    fn extreme_distributions() -> Vec<Distribution> {
        vec![
            Distribution::standard_beta(0.05, 0.05).unwrap(),
            Distribution::beta(0.01, 0.01, -1.0, 1.0).unwrap(),
            Distribution::standard_beta(0.05, 20.0).unwrap(),
            Distribution::standard_beta(1e3, 0.02).unwrap(),
            Distribution::standard_beta(0.001, 0.5).unwrap(),
            Distribution::standard_beta(1e6, 1e6).unwrap(),
            Distribution::normal(0.0, 1.0, Some(6.0), Some(9.0)).unwrap(),
            Distribution::normal(0.0, 1.0, Some(-9.0), Some(-6.0)).unwrap(),
            Distribution::normal(0.0, 1.0, Some(6.5), None).unwrap(),
            Distribution::normal(0.0, 1.0, None, Some(-6.5)).unwrap(),
            Distribution::normal(5.0, 1.0, Some(4.999), Some(5.001)).unwrap(),
            Distribution::normal(1e300, 1e300, None, None).unwrap(),
            Distribution::lognormal(0.0, 5.0).unwrap(),
            Distribution::lognormal(700.0, 1.0).unwrap(),
            Distribution::pert(0.0, 0.0, 1.0).unwrap(),
            Distribution::pert(0.0, 1.0, 1.0).unwrap(),
            Distribution::pert(-f64::MAX, 0.0, f64::MAX).unwrap(),
            Distribution::triangular(-f64::MAX, f64::MAX, f64::MAX).unwrap(),
            Distribution::uniform(-f64::MAX, f64::MAX).unwrap(),
            Distribution::uniform(2.0, 2.0).unwrap(),
        ]
    }

    fn valid_distribution() -> impl Strategy<Value = Distribution> {
        let location = -1e3..1e3_f64;
        let width = log_uniform(1e-3, 1e4);
        prop_oneof![
            (location.clone(), width.clone()).prop_map(|(low, w)| Distribution::uniform(
                low,
                low + w
            )
            .unwrap()),
            (location.clone(), width.clone(), 0.0..=1.0_f64).prop_map(|(low, w, c)| {
                Distribution::triangular(low, low + c * w, low + w).unwrap()
            }),
            (location.clone(), width.clone(), 0.0..=1.0_f64)
                .prop_map(|(low, w, c)| Distribution::pert(low, low + c * w, low + w).unwrap()),
            (
                location.clone(),
                log_uniform(1e-3, 1e3),
                prop::option::of(-9.0..9.0_f64),
                prop::option::of(-9.0..9.0_f64),
            )
                .prop_filter_map("truncation rejected", |(mean, sd, a, b)| {
                    let bound = |z: f64| mean + sd * z;
                    Distribution::normal(mean, sd, a.map(bound), b.map(bound)).ok()
                }),
            (-5.0..5.0_f64, log_uniform(0.01, 3.0))
                .prop_map(|(mu, sigma)| Distribution::lognormal(mu, sigma).unwrap()),
            (
                log_uniform(0.01, 100.0),
                log_uniform(0.01, 100.0),
                location.clone(),
                width
            )
                .prop_map(|(a, b, low, w)| Distribution::beta(a, b, low, low + w).unwrap()),
            location.prop_map(|x| Distribution::fixed(x).unwrap()),
            prop::sample::select(extreme_distributions()),
        ]
    }

    /// Any f64 at all, with the troublesome ones over-represented.
    fn any_f64() -> impl Strategy<Value = f64> {
        prop_oneof![
            prop::num::f64::ANY,
            -10.0..10.0_f64,
            prop::sample::select(vec![
                0.0,
                -0.0,
                1.0,
                f64::NAN,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::MAX,
                f64::MIN_POSITIVE,
                1e-300,
            ]),
        ]
    }

    proptest! {
        #[test]
        fn quantile_is_monotone(d in valid_distribution(), u1 in open_u(), u2 in open_u()) {
            let (lo, hi) = if u1 <= u2 { (u1, u2) } else { (u2, u1) };
            prop_assert!(d.quantile(lo) <= d.quantile(hi), "{:?}: q({lo:e}) > q({hi:e})", d);
        }

        #[test]
        fn quantile_is_finite_and_in_the_support(d in valid_distribution(), u in open_u()) {
            let x = d.quantile(u);
            let (low, high) = d.support();
            prop_assert!(x.is_finite() && low <= x && x <= high, "{:?} at {u:e}: {x:e}", d);
            prop_assert!(low <= d.mean() && d.mean() <= high);
            prop_assert!(low <= d.median() && d.median() <= high);
        }

        /// Truncation so far out that the constructor refuses it ([8, 9] for N(0, 1), and
        /// beyond) still yields points inside the interval.
        #[test]
        fn truncated_normal_quantile_stays_inside_far_tails(
            a in 5.0..37.0_f64,
            width in log_uniform(1e-3, 5.0),
            u in open_u(),
            upper in any::<bool>(),
        ) {
            let (a, b) = if upper { (a, a + width) } else { (-a - width, -a) };
            let z = truncated_std_normal_quantile(a, b, u);
            prop_assert!(a <= z && z <= b, "[{a}, {b}] at {u:e}: {z}");
        }

        #[test]
        fn beta_quantile_agrees_with_statrs(
            a in log_uniform(0.5, 50.0),
            b in log_uniform(0.5, 50.0),
            u in 1e-6..(1.0 - 1e-6),
        ) {
            let ours = Distribution::standard_beta(a, b).unwrap().quantile(u);
            let theirs = StatrsBeta::new(a, b).unwrap().inverse_cdf(u);
            prop_assert!((ours - theirs).abs() < 1e-9, "Beta({a}, {b}) at {u}: {ours} vs {theirs}");
        }

        #[test]
        fn beta_quantile_inverts_cdf_for_small_shapes(
            a in log_uniform(0.01, 1.0),
            b in log_uniform(0.01, 1.0),
            u in open_u(),
        ) {
            let x = Distribution::standard_beta(a, b).unwrap().quantile(u);
            assert_hits_cdf(a, b, u, x);
        }

        /// Whatever the numbers, hand-built or through a constructor: no panic, no hang.
        #[test]
        fn no_panic_on_any_input(
            family in 0..7_u8,
            p in prop::array::uniform4(any_f64()),
            low in prop::option::of(any_f64()),
            high in prop::option::of(any_f64()),
            u in any_f64(),
        ) {
            let [p0, p1, p2, p3] = p;
            let hand_built = match family {
                0 => Distribution::Uniform { low: p0, high: p1 },
                1 => Distribution::Triangular { low: p0, mode: p1, high: p2 },
                2 => Distribution::Pert { low: p0, mode: p1, high: p2 },
                3 => Distribution::Normal { mean: p0, sd: p1, low, high },
                4 => Distribution::LogNormal { mu: p0, sigma: p1 },
                5 => Distribution::Beta { alpha: p0, beta: p1, low: p2, high: p3 },
                _ => Distribution::Fixed(p0),
            };
            let built = match family {
                0 => Distribution::uniform(p0, p1),
                1 => Distribution::triangular(p0, p1, p2),
                2 => Distribution::pert(p0, p1, p2),
                3 => Distribution::normal(p0, p1, low, high),
                4 => Distribution::lognormal(p0, p1),
                5 => Distribution::beta(p0, p1, p2, p3),
                _ => Distribution::fixed(p0),
            };
            let _ = Distribution::lognormal_from_median(p0, p1);
            for d in std::iter::once(hand_built).chain(built.ok()) {
                let _ = d.validate();
                let _ = (d.quantile(u), d.quantile(0.5), d.mean(), d.median(), d.nominal(), d.support());
            }
        }
    }

    // ----- timing ------------------------------------------------------------------------

    /// ns per quantile call, ours against statrs's `Beta::inverse_cdf`, over a grid of u.
    /// Run with `cargo test --release -- --ignored --nocapture beta_quantile_timing`.
    #[test]
    #[ignore = "timing, meaningful in release builds only"]
    fn beta_quantile_timing() {
        use std::hint::black_box;
        use std::time::Instant;
        let us: Vec<f64> = (1..=999).map(|i| f64::from(i) / 1000.0).collect();
        // (label, ours, the statrs Beta with the same shapes); PERT rows go through the
        // PERT variant, so they include its shape computation and scaling.
        let pert = |mode| Distribution::pert(0.0, mode, 1.0).unwrap();
        let beta = |a, b| Distribution::standard_beta(a, b).unwrap();
        let cases = [
            ("PERT(0, 0.5, 1) = Beta(3, 3)", pert(0.5), 3.0, 3.0),
            ("PERT(0, 0.25, 1) = Beta(2, 4)", pert(0.25), 2.0, 4.0),
            ("PERT(0, 0.1, 1) = Beta(1.4, 4.6)", pert(0.1), 1.4, 4.6),
            ("PERT(0, 0.8, 1) = Beta(4.2, 1.8)", pert(0.8), 4.2, 1.8),
            ("Beta(2, 5)", beta(2.0, 5.0), 2.0, 5.0),
            ("Beta(0.5, 0.5)", beta(0.5, 0.5), 0.5, 0.5),
            ("Beta(0.2, 3)", beta(0.2, 3.0), 0.2, 3.0),
            ("Beta(0.05, 0.05)", beta(0.05, 0.05), 0.05, 0.05),
        ];
        let per_call = |f: &dyn Fn(f64) -> f64| {
            // Best of 7 rounds of 20 passes, to shed scheduling noise.
            (0..7)
                .map(|_| {
                    let start = Instant::now();
                    for _ in 0..20 {
                        for &u in &us {
                            black_box(f(black_box(u)));
                        }
                    }
                    start.elapsed().as_nanos() as f64 / (20 * us.len()) as f64
                })
                .fold(f64::INFINITY, f64::min)
        };
        for (name, ours, a, b) in cases {
            let theirs = StatrsBeta::new(a, b).unwrap();
            let ours_ns = per_call(&|u| ours.quantile(u));
            let theirs_ns = per_call(&|u| theirs.inverse_cdf(u));
            println!(
                "{name:<34} ours {ours_ns:>6.0} ns/call   statrs {theirs_ns:>6.0} ns/call   ({:.2}x)",
                theirs_ns / ours_ns
            );
        }
    }
}
