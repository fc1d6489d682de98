//! Variance-based global sensitivity analysis: Sobol first-order and total indices.
//!
//! For a scalar function `f` of `d` independent inputs, the first-order index
//! `S_i = Var(E[Y | X_i]) / Var(Y)` is the share of the output variance explained
//! by input `i` alone, and the total index `ST_i = E[Var(Y | X_~i)] / Var(Y)` the
//! share in which input `i` takes part at all (alone or through interactions).
//! `ST_i - S_i` measures interactions; `ST_i ~ 0` means the input can be fixed.
//!
//! # Inputs live in the unit hypercube
//!
//! Every design point is a point of `[0, 1)^d`; the caller maps each unit
//! coordinate to its input through that input's inverse CDF (quantile
//! function). Every coordinate this module produces is in fact strictly inside
//! `(0, 1)` (see [`Sampling`]), so inverse CDFs of unbounded distributions stay
//! finite.
//!
//! # Design and estimators
//!
//! Two independent `N x d` matrices `A` and `B` are drawn (row `j` of both is
//! one point of a `2d`-dimensional sample: columns `0..d` form `A`, columns
//! `d..2d` form `B`). For each input `i`, `A_B^(i)` is `A` with column `i` taken
//! from `B`. The function is evaluated on `A`, `B` and the `d` matrices
//! `A_B^(i)`: `N (d + 2)` evaluations, in this order (see [`Design`]).
//!
//! With `V` the variance of the `2N` values `f(A)` and `f(B)` pooled (divisor
//! `2N`), the estimators are
//!
//! * first order, Saltelli et al. (2010), Table 2 eq. (b):
//!   `S_i = mean_j( f(B)_j (f(A_B^(i))_j - f(A)_j) ) / V`;
//! * total, Jansen (1999) (also listed in Table 2 of Saltelli et al. 2010):
//!   `ST_i = mean_j( (f(A)_j - f(A_B^(i))_j)^2 ) / (2 V)`.
//!
//! One deliberate refinement: before the formulas are applied the outputs are
//! centred on the mean of the `2N` values `f(A)`, `f(B)` (and scaled by the
//! largest absolute output, which changes nothing but guards against overflow).
//! Centring leaves the expectation of the first-order numerator unchanged
//! (`E[f(A_B^(i)) - f(A)] = 0`) but removes a term `mean(f) * mean(f(A_B^(i)) - f(A))`
//! whose noise grows with the output's mean: without it, a score with mean 500
//! and standard deviation 5 would need about `10^4` times more samples for the
//! same accuracy of `S_i`. With centring the indices are invariant under
//! `f -> alpha f + beta` (`alpha != 0`), which the tests check.
//!
//! References:
//! * A. Saltelli, P. Annoni, I. Azzini, F. Campolongo, M. Ratto, S. Tarantola,
//!   "Variance based sensitivity analysis of model output. Design and estimator
//!   for the total sensitivity index", Computer Physics Communications 181
//!   (2010) 259-270.
//! * M. J. W. Jansen, "Analysis of variance designs for model output",
//!   Computer Physics Communications 117 (1999) 35-43.
//! * I. M. Sobol', "Global sensitivity indices for nonlinear mathematical models
//!   and their Monte Carlo estimates", Mathematics and Computers in Simulation
//!   55 (2001) 271-280.
//!
//! # Sampling and confidence intervals
//!
//! * [`Sampling::Random`]: ChaCha8 pseudo-random points. Confidence intervals,
//!   when [`SobolConfig::bootstrap`] `> 0`, come from a bootstrap over the `N`
//!   base rows: row indices `j` are resampled with replacement (the `A`, `B` and
//!   all `A_B^(i)` outputs of a row travel together), `S_i` and `ST_i` are
//!   recomputed (including `V` and the centring), and the percentile interval
//!   at [`SobolConfig::confidence`] is reported ([`CiMethod::Bootstrap`]).
//! * [`Sampling::Sobol`]: the unscrambled Sobol sequence. Its points are not
//!   independent, so a bootstrap of its rows is not valid, and no interval is
//!   reported ([`CiMethod::None`]).
//! * [`Sampling::SobolShifted`]: `R =` [`SobolConfig::replicates`] independent
//!   randomised copies of the Sobol design (Cranley-Patterson rotation: one
//!   uniform random shift modulo 1 per replicate and dimension). Each replicate
//!   gives unbiased-in-the-limit, independent estimates; the reported indices
//!   are their means and, for `R >= 2`, the intervals are Student-t intervals
//!   `mean +- t_{R-1} s / sqrt(R)` across replicates ([`CiMethod::Replicates`]).
//!
//! # Example
//!
//! The caller maps unit coordinates to its inputs (through inverse CDFs) and evaluates;
//! here the Ishigami function, whose indices are known analytically.
//!
//! ```
//! use vigie::sensitivity::{self, SobolConfig, test_functions::Ishigami};
//!
//! // 10 randomised Sobol replicates of 2^11 base rows: 10 * 2048 * (3 + 2) evaluations.
//! let cfg = SobolConfig::sobol_shifted(1 << 11, 42, 10);
//! let design = sensitivity::design(3, &cfg)?;
//! let mut u = vec![0.0; design.dims()];
//! let mut outputs = Vec::with_capacity(design.len());
//! for k in 0..design.len() {
//!     design.row_into(k, &mut u)?; // could also be done in parallel, or written to CSV
//!     outputs.push(Ishigami::STANDARD.evaluate_unit(&u));
//! }
//! let result = sensitivity::estimate(&design, &outputs, &cfg)?;
//! // Analytic: S1 = 0.3139, ST3 = 0.2437.
//! assert!((result.indices[0].first - 0.3139).abs() < 0.02);
//! assert!((result.indices[2].total - 0.2437).abs() < 0.02);
//! # Ok::<(), vigie::sensitivity::SobolError>(())
//! ```
//!
//! # Determinism
//!
//! The same configuration gives bit-identical designs and results: all
//! randomness comes from ChaCha8 streams seeded from the configuration, and all
//! computations are sequential.
//!
//! # Errors, never panics
//!
//! Every entry point validates its arguments and returns [`SobolError`]
//! rather than panicking.

mod saltelli;
pub mod sobol_seq;
pub mod test_functions;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

pub use saltelli::{Design, Matrix, RowKind, design, estimate, sobol_indices};
pub use sobol_seq::{MAX_DIMENSIONS, SobolSequence};

/// Smallest accepted number of base rows `N`.
pub const MIN_BASE_ROWS: usize = 2;

/// Largest number of inputs `d` the Sobol samplings support: the design uses
/// `2d` dimensions of the sequence.
pub const MAX_SOBOL_INPUTS: usize = MAX_DIMENSIONS / 2;

/// Largest number of stored design coordinates (`replicates * N * 2d`); larger
/// designs are refused with [`SobolError::DesignTooLarge`] instead of
/// exhausting memory (`2^30` values are 8 GiB).
pub const MAX_DESIGN_VALUES: usize = 1 << 30;

/// Largest accepted number of bootstrap resamples.
pub const MAX_BOOTSTRAP: usize = 100_000;

/// How the `2d`-dimensional base points (rows of `A | B`) are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sampling {
    /// ChaCha8 pseudo-random points, seeded. Each coordinate is
    /// `(k + 1/2) 2^-52` for a uniform 52-bit integer `k`, so it lies in
    /// `(0, 1)`. Confidence intervals by bootstrap.
    Random {
        /// Seed of the ChaCha8 generator (stream 0).
        seed: u64,
    },
    /// Unscrambled Sobol sequence (Gray-code order, Joe & Kuo
    /// `new-joe-kuo-6.21201` direction numbers) in `2d` dimensions, using
    /// points `1 ..= N`: the first point (the origin, index 0) is skipped
    /// because its zero coordinates map to `-inf` under the inverse CDF of any
    /// unbounded distribution. All other points have every coordinate in
    /// `(0, 1)`. Prefer `N` a power of two. No confidence intervals.
    ///
    /// Note (Owen 2020, "On dropping the first Sobol' point") that skipping
    /// the origin loses the exact net structure of `2^k` points; the accuracy
    /// cost is small at the sample sizes used here, and
    /// [`Sampling::SobolShifted`] keeps the origin.
    Sobol,
    /// Randomised Sobol: points `0 .. N` of the same sequence (the origin
    /// included: the shift moves it), each shifted modulo 1 by a uniform random
    /// vector (Cranley-Patterson rotation), one shift vector per replicate.
    /// Replicate `r` draws its shift from the ChaCha8 stream `r` of `seed`.
    /// Coordinates are computed in 64-bit fixed point and lie in `(0, 1)`.
    SobolShifted {
        /// Seed of the ChaCha8 generator of the shifts.
        seed: u64,
    },
}

/// How a design was drawn, as a reader says it (reports print this, never the Rust
/// value).
impl std::fmt::Display for Sampling {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Sampling::Random { seed } => write!(f, "pseudo-random design (ChaCha8, seed {seed})"),
            Sampling::Sobol => f.write_str("Sobol sequence (Joe-Kuo directions, unscrambled)"),
            Sampling::SobolShifted { seed } => write!(
                f,
                "randomly shifted Sobol sequences (shifts from ChaCha8, seed {seed})"
            ),
        }
    }
}

/// Settings of a Sobol-index analysis.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SobolConfig {
    /// Number of base rows `N` (per replicate). At least [`MIN_BASE_ROWS`].
    /// A power of two is best for the Sobol samplings.
    pub n: usize,
    /// How base points are drawn.
    pub sampling: Sampling,
    /// Bootstrap resamples for confidence intervals; used only with
    /// [`Sampling::Random`] (`0` = no interval), ignored otherwise. At most
    /// [`MAX_BOOTSTRAP`]. A thousand or more is customary.
    pub bootstrap: usize,
    /// Independent randomised replicates; used only with
    /// [`Sampling::SobolShifted`] (must be `>= 1`; intervals need `>= 2`),
    /// ignored otherwise. Total evaluations are `replicates * N * (d + 2)`.
    pub replicates: usize,
    /// Confidence level of the intervals, in `(0, 1)`, e.g. `0.95`. Validated
    /// even when no interval is computed.
    pub confidence: f64,
    /// Seed of the bootstrap's ChaCha8 generator.
    pub seed_for_ci: u64,
}

impl SobolConfig {
    /// Pseudo-random sampling with `n` base rows, 1000 bootstrap resamples,
    /// 95 % intervals; the bootstrap is seeded with `seed` too (it uses a
    /// different ChaCha8 stream from the sampling).
    pub fn random(n: usize, seed: u64) -> Self {
        Self {
            n,
            sampling: Sampling::Random { seed },
            bootstrap: 1000,
            replicates: 1,
            confidence: 0.95,
            seed_for_ci: seed,
        }
    }

    /// Unscrambled Sobol sampling with `n` base rows (no intervals).
    pub fn sobol(n: usize) -> Self {
        Self {
            n,
            sampling: Sampling::Sobol,
            bootstrap: 0,
            replicates: 1,
            confidence: 0.95,
            seed_for_ci: 0,
        }
    }

    /// Randomly shifted Sobol sampling: `replicates` replicates of `n` base
    /// rows each, 95 % t-intervals.
    pub fn sobol_shifted(n: usize, seed: u64, replicates: usize) -> Self {
        Self {
            n,
            sampling: Sampling::SobolShifted { seed },
            bootstrap: 0,
            replicates,
            confidence: 0.95,
            seed_for_ci: 0,
        }
    }

    /// The same configuration with `bootstrap` resamples.
    pub fn with_bootstrap(mut self, bootstrap: usize) -> Self {
        self.bootstrap = bootstrap;
        self
    }

    /// The same configuration with another confidence level.
    pub fn with_confidence(mut self, confidence: f64) -> Self {
        self.confidence = confidence;
        self
    }

    /// Number of replicates the design actually has (1 unless shifted Sobol).
    pub fn effective_replicates(&self) -> usize {
        match self.sampling {
            Sampling::SobolShifted { .. } => self.replicates,
            Sampling::Random { .. } | Sampling::Sobol => 1,
        }
    }
}

/// Sobol indices of one input.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Index {
    /// First-order index `S_i` (Saltelli 2010). Estimates can be slightly
    /// negative or above one through sampling error.
    pub first: f64,
    /// Total index `ST_i` (Jansen 1999); never negative.
    pub total: f64,
    /// Confidence interval of `first`, if one was computed.
    pub first_ci: Option<(f64, f64)>,
    /// Confidence interval of `total`, if one was computed.
    pub total_ci: Option<(f64, f64)>,
}

/// How the confidence intervals were obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CiMethod {
    /// Percentile bootstrap over base rows (pseudo-random sampling).
    Bootstrap,
    /// Student-t interval across independent shifted-Sobol replicates.
    Replicates,
    /// No interval (unscrambled Sobol, `bootstrap = 0`, or one replicate).
    None,
}

/// What a report's intervals are, in words.
impl std::fmt::Display for CiMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            CiMethod::Bootstrap => "95 % percentile-bootstrap intervals",
            CiMethod::Replicates => "95 % t-intervals over the replicates",
            CiMethod::None => "no intervals",
        })
    }
}

/// Estimated indices and summary of an analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SobolResult {
    /// One entry per input, in input order.
    pub indices: Vec<Index>,
    /// Estimated output variance `V` (mean over replicates for shifted Sobol).
    /// Can underflow to 0 for outputs below about `1e-154` in magnitude; the
    /// indices are computed on rescaled outputs and are unaffected.
    pub variance: f64,
    /// Estimated output mean (mean over replicates for shifted Sobol).
    pub mean: f64,
    /// Number of function evaluations used: `replicates * N * (d + 2)`.
    pub evaluations: usize,
    /// How the intervals in `indices` were obtained.
    pub ci_method: CiMethod,
    /// Confidence level of the intervals, `None` when there are none.
    pub confidence: Option<f64>,
}

/// Why a design or an estimate could not be produced.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SobolError {
    /// The function has no inputs (`d = 0`).
    #[error("the function must have at least one input (d = 0)")]
    ZeroDimensions,
    /// Fewer base rows than the estimators need.
    #[error("too few base rows: N = {n}, at least {min} needed")]
    TooFewSamples {
        /// Requested base rows.
        n: usize,
        /// Minimum accepted.
        min: usize,
    },
    /// More dimensions than the embedded Sobol direction numbers support. For a
    /// design, `dims` is the number of inputs `d` and `max` is
    /// [`MAX_SOBOL_INPUTS`] (the design uses `2d` sequence dimensions); for
    /// [`SobolSequence::new`], they are sequence dimensions and
    /// [`MAX_DIMENSIONS`].
    #[error("too many dimensions for the Sobol sequence: {dims} > {max}")]
    DimensionTooHigh {
        /// Requested dimensions.
        dims: usize,
        /// Maximum supported.
        max: usize,
    },
    /// The design would hold more than [`MAX_DESIGN_VALUES`] coordinates.
    #[error(
        "design too large: N = {n}, d = {d}, replicates = {replicates} exceeds {max} stored coordinates"
    )]
    DesignTooLarge {
        /// Base rows.
        n: usize,
        /// Inputs.
        d: usize,
        /// Replicates.
        replicates: usize,
        /// [`MAX_DESIGN_VALUES`].
        max: usize,
    },
    /// The confidence level is not a finite number strictly between 0 and 1.
    #[error("confidence level must be strictly between 0 and 1, got {confidence}")]
    BadConfidence {
        /// The rejected level.
        confidence: f64,
    },
    /// Shifted Sobol sampling with `replicates = 0`.
    #[error("shifted Sobol sampling needs at least one replicate")]
    ZeroReplicates,
    /// More bootstrap resamples than [`MAX_BOOTSTRAP`].
    #[error("too many bootstrap resamples: {bootstrap} > {max}")]
    TooManyBootstrap {
        /// Requested resamples.
        bootstrap: usize,
        /// Maximum accepted.
        max: usize,
    },
    /// `outputs` does not have one value per design row.
    #[error("expected {expected} outputs (one per design row), got {got}")]
    OutputLengthMismatch {
        /// Design rows.
        expected: usize,
        /// Outputs given.
        got: usize,
    },
    /// An output is NaN or infinite.
    #[error("output of design row {row} is not finite")]
    NonFiniteOutput {
        /// Design row (evaluation order) of the first non-finite output.
        row: usize,
    },
    /// The outputs on `A` and `B` are constant (relative standard deviation
    /// below `1e-12` of the largest absolute output): indices are undefined.
    #[error("the output variance is zero: Sobol indices are undefined")]
    ZeroVariance,
    /// The output variance overflows `f64`.
    #[error("the output variance is too large to represent")]
    NonFiniteVariance,
    /// `estimate` was given a configuration with another `n`, sampling or
    /// replicate count than the design was made with.
    #[error("the configuration does not match the one the design was made with")]
    ConfigMismatch,
    /// A design row index past the end of the design.
    #[error("design row {row} out of range ({rows} rows)")]
    RowOutOfRange {
        /// Requested row.
        row: usize,
        /// Rows in the design.
        rows: usize,
    },
    /// A row buffer whose length is not `d`.
    #[error("row buffer has length {got}, expected {expected}")]
    RowLengthMismatch {
        /// `d`.
        expected: usize,
        /// Buffer length.
        got: usize,
    },
}
