//! Saltelli (2010) first-order and Jansen (1999) total Sobol estimators on the A, B, A_B^(i) design, with bootstrap and replicate intervals.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

use super::sobol_seq::SobolSequence;
use super::{
    CiMethod, Index, MAX_BOOTSTRAP, MAX_DESIGN_VALUES, MAX_SOBOL_INPUTS, MIN_BASE_ROWS, Sampling,
    SobolConfig, SobolError, SobolResult,
};

/// ChaCha8 stream of `seed_for_ci` the bootstrap draws from (sampling with
/// [`Sampling::Random`] uses stream 0 of its own seed).
const BOOTSTRAP_STREAM: u64 = 1 << 63;

/// Variance of the outputs, relative to the square of the largest absolute
/// output, below which the outputs count as constant: a relative standard
/// deviation of `1e-12` is rounding noise, not signal.
const RELATIVE_VARIANCE_FLOOR: f64 = 1e-24;

/// Which matrix of the design a row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Matrix {
    /// The base matrix `A`.
    A,
    /// The base matrix `B`.
    B,
    /// `A_B^(i)`: `A` with column `i` (0-based) taken from `B`.
    AB(usize),
}

/// Where a design row comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RowKind {
    /// Replicate (always 0 unless [`Sampling::SobolShifted`]).
    pub replicate: usize,
    /// Matrix of the row.
    pub matrix: Matrix,
    /// Base row `j` in `0..N`.
    pub base_row: usize,
}

/// The points at which the function must be evaluated.
///
/// Rows are in evaluation order: for each replicate `r` in turn, the `N` rows
/// of `A`, then the `N` rows of `B`, then the `N` rows of `A_B^(1)`, ..., then
/// those of `A_B^(d)`; `replicates * N * (d + 2)` rows of `d` unit
/// coordinates in all. [`Design::row_kind`] tells where a row comes from.
///
/// Only the `A | B` base points are stored (`replicates * N * 2d` values); rows
/// are assembled on demand, so a caller can evaluate them in any order or in
/// parallel (`Design` is `Sync`) and write them out (e.g. as CSV).
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    config: SobolConfig,
    dims: usize,
    n: usize,
    replicates: usize,
    /// `base[((r * n) + j) * 2d + k]`: coordinate `k` of base point `j` of
    /// replicate `r`; `k < d` is `A`, `k >= d` is `B`.
    base: Vec<f64>,
}

impl Design {
    /// Number of inputs `d` (coordinates per row).
    pub fn dims(&self) -> usize {
        self.dims
    }

    /// Number of base rows `N` per replicate.
    pub fn base_rows(&self) -> usize {
        self.n
    }

    /// Number of replicates (1 unless shifted Sobol).
    pub fn replicates(&self) -> usize {
        self.replicates
    }

    /// The configuration the design was made with.
    pub fn config(&self) -> &SobolConfig {
        &self.config
    }

    /// Number of rows, i.e. of function evaluations: `replicates * N * (d + 2)`.
    pub fn len(&self) -> usize {
        self.replicates * self.rows_per_replicate()
    }

    /// Whether the design has no rows (never true for a design built by [`design`]).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn rows_per_replicate(&self) -> usize {
        self.n * (self.dims + 2)
    }

    /// Where row `row` comes from, or `None` past the end.
    pub fn row_kind(&self, row: usize) -> Option<RowKind> {
        if row >= self.len() {
            return None;
        }
        let per = self.rows_per_replicate();
        let replicate = row / per;
        let rem = row % per;
        let matrix = match rem / self.n {
            0 => Matrix::A,
            1 => Matrix::B,
            b => Matrix::AB(b - 2),
        };
        Some(RowKind {
            replicate,
            matrix,
            base_row: rem % self.n,
        })
    }

    /// Writes the `d` unit coordinates of row `row` into `out`.
    ///
    /// # Errors
    /// [`SobolError::RowLengthMismatch`] if `out.len() != d`,
    /// [`SobolError::RowOutOfRange`] if `row >= self.len()`.
    pub fn row_into(&self, row: usize, out: &mut [f64]) -> Result<(), SobolError> {
        if out.len() != self.dims {
            return Err(SobolError::RowLengthMismatch {
                expected: self.dims,
                got: out.len(),
            });
        }
        let out_of_range = SobolError::RowOutOfRange {
            row,
            rows: self.len(),
        };
        let kind = self.row_kind(row).ok_or(out_of_range.clone())?;
        let width = 2 * self.dims;
        let start = (kind.replicate * self.n + kind.base_row) * width;
        let point = self
            .base
            .get(start..start + width)
            .ok_or(out_of_range.clone())?;
        let (a, b) = point.split_at(self.dims);
        match kind.matrix {
            Matrix::A => out.copy_from_slice(a),
            Matrix::B => out.copy_from_slice(b),
            Matrix::AB(i) => {
                out.copy_from_slice(a);
                let (slot, value) = out.get_mut(i).zip(b.get(i)).ok_or(out_of_range)?;
                *slot = *value;
            }
        }
        Ok(())
    }

    /// The coordinates of row `row`, or `None` past the end.
    pub fn row(&self, row: usize) -> Option<Vec<f64>> {
        let mut out = vec![0.0; self.dims];
        self.row_into(row, &mut out).ok()?;
        Some(out)
    }

    /// All rows in evaluation order (one allocation per row; use
    /// [`Design::row_into`] with a reused buffer in hot loops).
    pub fn rows(&self) -> impl ExactSizeIterator<Item = Vec<f64>> + '_ {
        (0..self.len()).map(|r| self.row(r).unwrap_or_default())
    }
}

/// Maps 64 random bits to a number in `(0, 1)`: the midpoint `(k + 1/2) 2^-52`
/// of the cell of the top 52 bits `k`. Exact in `f64`, never 0 nor 1.
fn open_unit(bits: u64) -> f64 {
    const CELL: f64 = 1.0 / 4_503_599_627_370_496.0; // 2^-52
    ((bits >> 12) as f64 + 0.5) * CELL
}

/// Uniform integer in `0..n` from a ChaCha8 stream (Lemire's multiply-shift
/// with rejection: exact, and independent of `rand`'s distribution code so
/// results stay bit-identical across `rand` versions). Uses one 32-bit word
/// per draw when `n` fits in `u32` (always, for designs within
/// [`MAX_DESIGN_VALUES`]), which halves the generator's cost. `n == 0` gives 0.
fn uniform_index(rng: &mut ChaCha8Rng, n: usize) -> usize {
    if let Ok(n32) = u32::try_from(n) {
        if n32 == 0 {
            return 0;
        }
        let threshold = n32.wrapping_neg() % n32;
        loop {
            let m = u64::from(rng.next_u32()) * u64::from(n32);
            if (m as u32) >= threshold {
                return (m >> 32) as usize;
            }
        }
    }
    let n64 = n as u64;
    let threshold = n64.wrapping_neg() % n64;
    loop {
        let m = u128::from(rng.next_u64()) * u128::from(n64);
        if (m as u64) >= threshold {
            return (m >> 64) as usize;
        }
    }
}

/// Validates `cfg` for a function of `d` inputs; returns the replicate count.
fn validate(d: usize, cfg: &SobolConfig) -> Result<usize, SobolError> {
    if d == 0 {
        return Err(SobolError::ZeroDimensions);
    }
    if cfg.n < MIN_BASE_ROWS {
        return Err(SobolError::TooFewSamples {
            n: cfg.n,
            min: MIN_BASE_ROWS,
        });
    }
    if !(cfg.confidence > 0.0 && cfg.confidence < 1.0) {
        return Err(SobolError::BadConfidence {
            confidence: cfg.confidence,
        });
    }
    if cfg.bootstrap > MAX_BOOTSTRAP {
        return Err(SobolError::TooManyBootstrap {
            bootstrap: cfg.bootstrap,
            max: MAX_BOOTSTRAP,
        });
    }
    let replicates = cfg.effective_replicates();
    if replicates == 0 {
        return Err(SobolError::ZeroReplicates);
    }
    if !matches!(cfg.sampling, Sampling::Random { .. }) && d > MAX_SOBOL_INPUTS {
        return Err(SobolError::DimensionTooHigh {
            dims: d,
            max: MAX_SOBOL_INPUTS,
        });
    }
    let values = replicates
        .checked_mul(cfg.n)
        .and_then(|x| x.checked_mul(d))
        .and_then(|x| x.checked_mul(2));
    // The row count `replicates * N * (d + 2)` must fit too (it exceeds the
    // value count only for d = 1, by half).
    let rows = replicates
        .checked_mul(cfg.n)
        .and_then(|x| x.checked_mul(d + 2));
    match (values, rows) {
        (Some(v), Some(_)) if v <= MAX_DESIGN_VALUES => Ok(replicates),
        _ => Err(SobolError::DesignTooLarge {
            n: cfg.n,
            d,
            replicates,
            max: MAX_DESIGN_VALUES,
        }),
    }
}

/// Builds the A, B, A_B^(i) design for a function of `d` inputs.
///
/// The design's rows (see [`Design`]) are points of `(0, 1)^d`, in evaluation
/// order; evaluate the function on each and pass the outputs, in the same
/// order, to [`estimate`].
///
/// # Errors
/// [`SobolError::ZeroDimensions`], [`SobolError::TooFewSamples`],
/// [`SobolError::BadConfidence`], [`SobolError::TooManyBootstrap`],
/// [`SobolError::ZeroReplicates`], [`SobolError::DimensionTooHigh`] (Sobol
/// samplings with `d >` [`MAX_SOBOL_INPUTS`]), [`SobolError::DesignTooLarge`].
pub fn design(d: usize, cfg: &SobolConfig) -> Result<Design, SobolError> {
    let replicates = validate(d, cfg)?;
    let n = cfg.n;
    let width = 2 * d;
    let too_large = || SobolError::DesignTooLarge {
        n,
        d,
        replicates,
        max: MAX_DESIGN_VALUES,
    };
    let mut base = Vec::with_capacity(replicates * n * width);
    match cfg.sampling {
        Sampling::Random { seed } => {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            base.extend((0..n * width).map(|_| open_unit(rng.next_u64())));
        }
        Sampling::Sobol => {
            let mut seq = SobolSequence::new(width)?;
            seq.seek(1);
            let mut point = vec![0.0; width];
            for _ in 0..n {
                seq.next_point(&mut point).ok_or_else(too_large)?;
                base.extend_from_slice(&point);
            }
        }
        Sampling::SobolShifted { seed } => {
            let mut seq = SobolSequence::new(width)?;
            let mut raw = vec![0u32; n * width];
            for point in raw.chunks_exact_mut(width) {
                seq.next_point_u32(point).ok_or_else(too_large)?;
            }
            for r in 0..replicates {
                let mut rng = ChaCha8Rng::seed_from_u64(seed);
                rng.set_stream(r as u64);
                let shift: Vec<u64> = (0..width).map(|_| rng.next_u64()).collect();
                for point in raw.chunks_exact(width) {
                    base.extend(
                        point
                            .iter()
                            .zip(&shift)
                            .map(|(&x, &s)| open_unit((u64::from(x) << 32).wrapping_add(s))),
                    );
                }
            }
        }
    }
    Ok(Design {
        config: *cfg,
        dims: d,
        n,
        replicates,
        base,
    })
}

/// Outputs of one replicate, scaled by the largest absolute output so that
/// every value is in `[-1, 1]` (indices are scale-free; this only prevents
/// overflow of squares and sums).
struct Scaled {
    n: usize,
    d: usize,
    scale: f64,
    /// `A`, `B`, `A_B^(1)`, ..., `A_B^(d)` blocks of `n` values each.
    values: Vec<f64>,
}

/// Point estimates of one replicate (scaled units).
struct Estimates {
    mean: f64,
    variance: f64,
    first: Vec<f64>,
    total: Vec<f64>,
}

impl Scaled {
    fn new(outputs: &[f64], n: usize, d: usize) -> Result<Self, SobolError> {
        let scale = outputs.iter().fold(0.0_f64, |m, y| m.max(y.abs()));
        if !(scale > 0.0 && scale.is_finite()) {
            return Err(SobolError::ZeroVariance);
        }
        Ok(Self {
            n,
            d,
            scale,
            values: outputs.iter().map(|y| y / scale).collect(),
        })
    }

    fn block(&self, b: usize) -> &[f64] {
        self.values.get(b * self.n..(b + 1) * self.n).unwrap_or(&[])
    }

    /// Point estimates over all `N` base rows; `None` if the variance of the
    /// `A` and `B` outputs is (numerically) zero.
    fn estimates(&self) -> Option<Estimates> {
        let (fa, fb) = (self.block(0), self.block(1));
        let count = self.n as f64;
        let mean = fa.iter().chain(fb).sum::<f64>() / (2.0 * count);
        let ss: f64 = fa.iter().chain(fb).map(|y| (y - mean).powi(2)).sum();
        let variance = ss / (2.0 * count);
        if variance.is_nan() || variance <= RELATIVE_VARIANCE_FLOOR {
            return None;
        }
        let mut first = Vec::with_capacity(self.d);
        let mut total = Vec::with_capacity(self.d);
        for i in 0..self.d {
            let (mut s_sum, mut t_sum) = (0.0, 0.0);
            for ((a, b), ab) in fa.iter().zip(fb).zip(self.block(2 + i)) {
                let diff = ab - a;
                s_sum += (b - mean) * diff;
                t_sum += diff * diff;
            }
            first.push(s_sum / count / variance);
            total.push(t_sum / (2.0 * count) / variance);
        }
        Some(Estimates {
            mean,
            variance,
            first,
            total,
        })
    }
}

/// Linear-interpolation quantile (type 7) of sorted, non-empty `v`.
fn quantile_sorted(v: &[f64], p: f64) -> Option<f64> {
    let last = v.len().checked_sub(1)?;
    let h = last as f64 * p.clamp(0.0, 1.0);
    let lo = (h.floor() as usize).min(last);
    let hi = (lo + 1).min(last);
    let (a, b) = (*v.get(lo)?, *v.get(hi)?);
    Some(a + (h - lo as f64) * (b - a))
}

/// Percentile interval of `samples` at level `confidence`.
fn percentile_interval(samples: &mut [f64], confidence: f64) -> Option<(f64, f64)> {
    samples.sort_by(f64::total_cmp);
    let alpha = (1.0 - confidence) / 2.0;
    Some((
        quantile_sorted(samples, alpha)?,
        quantile_sorted(samples, 1.0 - alpha)?,
    ))
}

/// Natural log of the gamma function for `x >= 0.5` (Lanczos, g = 7, n = 9;
/// relative error ~1e-15).
fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    let x = x - 1.0;
    let mut a = C[0];
    for (k, c) in C.iter().enumerate().skip(1) {
        a += c / (x + k as f64);
    }
    let t = x + G + 0.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// Continued fraction of the incomplete beta function (modified Lentz).
fn beta_cf(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..=500 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < 1e-16 {
            break;
        }
    }
    h
}

/// Regularised incomplete beta function `I_x(a, b)` for `a, b >= 0.5`.
fn incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln();
    let front = ln_front.exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_cf(a, b, x) / a
    } else {
        1.0 - front * beta_cf(b, a, 1.0 - x) / b
    }
}

/// Upper tail `P(T > t)` of Student's t with `df` degrees of freedom, `t >= 0`.
fn student_t_upper_tail(t: f64, df: f64) -> f64 {
    0.5 * incomplete_beta(df / 2.0, 0.5, df / (df + t * t))
}

/// Quantile of Student's t with `df >= 1` degrees of freedom at probability
/// `p` in `[0.5, 1)` (bisection on the CDF; absolute accuracy ~1e-12).
pub(crate) fn student_t_quantile(p: f64, df: f64) -> f64 {
    let tail = 1.0 - p;
    if tail.is_nan() || tail >= 0.5 {
        return 0.0;
    }
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    while student_t_upper_tail(hi, df) > tail && hi < 1e150 {
        lo = hi;
        hi *= 2.0;
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if student_t_upper_tail(mid, df) > tail {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= 1e-13 * hi.max(1.0) {
            break;
        }
    }
    0.5 * (lo + hi)
}

/// Checks that `cfg` is the configuration the design was made with (as far as
/// the design is concerned: `n`, sampling, replicates).
fn check_matches(design: &Design, cfg: &SobolConfig) -> Result<(), SobolError> {
    let made = &design.config;
    if made.n != cfg.n
        || made.sampling != cfg.sampling
        || made.effective_replicates() != cfg.effective_replicates()
    {
        return Err(SobolError::ConfigMismatch);
    }
    Ok(())
}

/// Estimates the Sobol indices from the outputs of every design row.
///
/// `outputs[k]` must be `f` evaluated at row `k` of `design` (evaluation
/// order). `cfg` must have the `n`, sampling and replicate count the design
/// was made with; its `bootstrap`, `confidence` and `seed_for_ci` may differ.
///
/// # Errors
/// The validation errors of [`design`], plus
/// [`SobolError::ConfigMismatch`], [`SobolError::OutputLengthMismatch`],
/// [`SobolError::NonFiniteOutput`], [`SobolError::ZeroVariance`],
/// [`SobolError::NonFiniteVariance`].
pub fn estimate(
    design: &Design,
    outputs: &[f64],
    cfg: &SobolConfig,
) -> Result<SobolResult, SobolError> {
    let replicates = validate(design.dims, cfg)?;
    check_matches(design, cfg)?;
    if outputs.len() != design.len() {
        return Err(SobolError::OutputLengthMismatch {
            expected: design.len(),
            got: outputs.len(),
        });
    }
    if let Some(row) = outputs.iter().position(|y| !y.is_finite()) {
        return Err(SobolError::NonFiniteOutput { row });
    }
    let (n, d) = (design.n, design.dims);
    let per = design.rows_per_replicate();

    // Point estimates of every replicate, in the outputs' units.
    let mut reps = Vec::with_capacity(replicates);
    let mut scaled_reps = Vec::with_capacity(replicates);
    for r in 0..replicates {
        let block = outputs.get(r * per..(r + 1) * per).unwrap_or(&[]);
        let scaled = Scaled::new(block, n, d)?;
        let est = scaled.estimates().ok_or(SobolError::ZeroVariance)?;
        let variance = est.variance * scaled.scale * scaled.scale;
        if !variance.is_finite() {
            return Err(SobolError::NonFiniteVariance);
        }
        let mean = est.mean * scaled.scale;
        reps.push((mean, variance, est));
        scaled_reps.push(scaled);
    }
    let count = replicates as f64;
    // Divide before summing: each term is finite, and so is their mean.
    let mean = reps.iter().map(|r| r.0 / count).sum::<f64>();
    let variance = reps.iter().map(|r| r.1 / count).sum::<f64>();
    let avg = |f: &dyn Fn(&Estimates) -> f64| reps.iter().map(|r| f(&r.2)).sum::<f64>() / count;
    let mut indices: Vec<Index> = (0..d)
        .map(|i| Index {
            first: avg(&|e| e.first.get(i).copied().unwrap_or(f64::NAN)),
            total: avg(&|e| e.total.get(i).copied().unwrap_or(f64::NAN)),
            first_ci: None,
            total_ci: None,
        })
        .collect();

    let mut ci_method = CiMethod::None;
    match cfg.sampling {
        Sampling::Random { .. } if cfg.bootstrap > 0 => {
            if let (Some(scaled), Some(rep)) = (scaled_reps.first(), reps.first()) {
                bootstrap(scaled, rep.2.mean, cfg, &mut indices);
                ci_method = CiMethod::Bootstrap;
            }
        }
        Sampling::SobolShifted { .. } if replicates >= 2 => {
            let t = student_t_quantile((1.0 + cfg.confidence) / 2.0, count - 1.0);
            let interval = |values: &mut dyn Iterator<Item = f64>, centre: f64| {
                let ss: f64 = values.map(|x| (x - centre).powi(2)).sum();
                let half = t * (ss / (count - 1.0)).sqrt() / count.sqrt();
                Some((centre - half, centre + half))
            };
            for (i, index) in indices.iter_mut().enumerate() {
                let mut firsts = reps.iter().filter_map(|r| r.2.first.get(i).copied());
                index.first_ci = interval(&mut firsts, index.first);
                let mut totals = reps.iter().filter_map(|r| r.2.total.get(i).copied());
                index.total_ci = interval(&mut totals, index.total);
            }
            ci_method = CiMethod::Replicates;
        }
        _ => {}
    }
    Ok(SobolResult {
        indices,
        variance,
        mean,
        evaluations: design.len(),
        ci_method,
        confidence: (ci_method != CiMethod::None).then_some(cfg.confidence),
    })
}

/// Percentile-bootstrap intervals over base rows, written into `indices`.
///
/// Each resample draws `N` base rows with replacement (a row carries its
/// `A`, `B` and every `A_B^(i)` output) and recomputes the mean, `V`, `S_i` and
/// `ST_i` exactly as the point estimate does. For speed the outputs are first
/// laid out row by row and centred on the full-sample mean `centre`, so the
/// resample's sums take one pass: resample means of centred values are of the
/// order of the standard error, so `V = mean(h^2) - mean(h)^2` loses no
/// precision. Resamples whose `A`, `B` outputs happen to be constant are
/// skipped; an index whose every resample was skipped keeps `None`.
fn bootstrap(scaled: &Scaled, centre: f64, cfg: &SobolConfig, indices: &mut [Index]) {
    let (n, d) = (scaled.n, scaled.d);
    let width = d + 2;
    let mut rows = vec![0.0; n * width];
    for (b, block) in scaled.values.chunks_exact(n).enumerate() {
        for (j, y) in block.iter().enumerate() {
            if let Some(slot) = rows.get_mut(j * width + b) {
                *slot = y - centre;
            }
        }
    }
    let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed_for_ci);
    rng.set_stream(BOOTSTRAP_STREAM);
    let mut firsts = vec![Vec::with_capacity(cfg.bootstrap); d];
    let mut totals = vec![Vec::with_capacity(cfg.bootstrap); d];
    // Per input: sum of h_B (h_ABi - h_A), of (h_ABi - h_A), of (h_ABi - h_A)^2.
    let mut sums = vec![0.0; 3 * d];
    let count = n as f64;
    for _ in 0..cfg.bootstrap {
        let (mut s1, mut s2) = (0.0, 0.0);
        sums.iter_mut().for_each(|x| *x = 0.0);
        for _ in 0..n {
            let j = uniform_index(&mut rng, n);
            let Some([a, b, ab @ ..]) = rows.get(j * width..(j + 1) * width) else {
                continue;
            };
            s1 += a + b;
            s2 += a * a + b * b;
            for (acc, x) in sums.chunks_exact_mut(3).zip(ab) {
                let diff = x - a;
                acc[0] += b * diff;
                acc[1] += diff;
                acc[2] += diff * diff;
            }
        }
        let mean = s1 / (2.0 * count);
        let variance = s2 / (2.0 * count) - mean * mean;
        if variance.is_nan() || variance <= RELATIVE_VARIANCE_FLOOR {
            continue;
        }
        for ((acc, f), t) in sums.chunks_exact(3).zip(&mut firsts).zip(&mut totals) {
            f.push((acc[0] - mean * acc[1]) / count / variance);
            t.push(acc[2] / (2.0 * count) / variance);
        }
    }
    for ((index, f), t) in indices.iter_mut().zip(&mut firsts).zip(&mut totals) {
        index.first_ci = percentile_interval(f, cfg.confidence);
        index.total_ci = percentile_interval(t, cfg.confidence);
    }
}

/// Convenience: builds the design, evaluates `f` on every row (in evaluation
/// order, stopping at the first non-finite output) and estimates the indices.
///
/// # Errors
/// Those of [`design`] and [`estimate`].
pub fn sobol_indices(
    d: usize,
    cfg: &SobolConfig,
    mut f: impl FnMut(&[f64]) -> f64,
) -> Result<SobolResult, SobolError> {
    let design = design(d, cfg)?;
    let mut outputs = Vec::with_capacity(design.len());
    let mut row = vec![0.0; d];
    for k in 0..design.len() {
        design.row_into(k, &mut row)?;
        let y = f(&row);
        if !y.is_finite() {
            return Err(SobolError::NonFiniteOutput { row: k });
        }
        outputs.push(y);
    }
    estimate(&design, &outputs, cfg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn student_t_quantiles_match_tables() {
        // Two-sided 95 % critical values from standard t tables (5 significant digits).
        let table = [
            (1.0, 12.7062),
            (2.0, 4.30265),
            (4.0, 2.77645),
            (9.0, 2.26216),
            (30.0, 2.04227),
            (1000.0, 1.96234),
        ];
        for (df, expected) in table {
            let t = student_t_quantile(0.975, df);
            assert!((t - expected).abs() < 1e-4, "df {df}: {t} vs {expected}");
        }
        // 99 % two-sided, df = 5: 4.03214; 90 %, df = 10: 1.81246.
        assert!((student_t_quantile(0.995, 5.0) - 4.03214).abs() < 1e-4);
        assert!((student_t_quantile(0.95, 10.0) - 1.81246).abs() < 1e-4);
        assert_eq!(student_t_quantile(0.5, 3.0), 0.0);
    }

    #[test]
    fn ln_gamma_matches_known_values() {
        // Gamma(1) = Gamma(2) = 1, Gamma(1/2) = sqrt(pi), Gamma(5) = 24.
        assert!(ln_gamma(1.0).abs() < 1e-13);
        assert!(ln_gamma(2.0).abs() < 1e-13);
        assert!((ln_gamma(0.5) - std::f64::consts::PI.sqrt().ln()).abs() < 1e-13);
        assert!((ln_gamma(5.0) - 24.0_f64.ln()).abs() < 1e-12);
    }

    #[test]
    fn open_unit_never_hits_the_bounds() {
        for bits in [0, 1, u64::MAX, u64::MAX - 1, 1 << 63, 4095, 4096] {
            let u = open_unit(bits);
            assert!(u > 0.0 && u < 1.0, "{bits}: {u}");
        }
    }

    #[test]
    fn uniform_index_stays_in_range() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for n in [1usize, 2, 3, 7, 1000] {
            for _ in 0..200 {
                assert!(uniform_index(&mut rng, n) < n);
            }
        }
        assert_eq!(uniform_index(&mut rng, 0), 0);
    }

    #[test]
    fn quantiles_interpolate() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile_sorted(&v, 0.0), Some(1.0));
        assert_eq!(quantile_sorted(&v, 1.0), Some(5.0));
        assert_eq!(quantile_sorted(&v, 0.5), Some(3.0));
        assert_eq!(quantile_sorted(&v, 0.125), Some(1.5));
        assert_eq!(quantile_sorted(&[], 0.5), None);
    }
}
