//! Summaries of simulated values: mean, standard deviation, and percentiles by a stated
//! method (linear interpolation between order statistics: Hyndman and Fan's type 7, the
//! default of R and NumPy).

use serde::Serialize;

/// Percentiles reported for every simulated quantity.
pub const PERCENTILES: [f64; 5] = [5.0, 25.0, 50.0, 75.0, 95.0];

/// Summary of a sample.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Number of values.
    pub n: usize,
    /// Arithmetic mean.
    pub mean: f64,
    /// Sample standard deviation (n - 1 in the denominator).
    pub sd: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// `(p, value)` for each of [`PERCENTILES`].
    pub percentiles: Vec<(f64, f64)>,
}

/// Summarises values (NaN values must have been removed by the caller).
pub fn summarise(values: &[f64]) -> Summary {
    let n = values.len();
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    // No value has no mean (not 0): a summary of nothing must not read as a score of 0.
    let mean = if n == 0 {
        f64::NAN
    } else {
        values.iter().sum::<f64>() / n as f64
    };
    let var = if n == 0 {
        f64::NAN
    } else if n > 1 {
        values.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64
    } else {
        0.0
    };
    Summary {
        n,
        mean,
        sd: var.sqrt(),
        min: sorted.first().copied().unwrap_or(f64::NAN),
        max: sorted.last().copied().unwrap_or(f64::NAN),
        percentiles: PERCENTILES
            .iter()
            .map(|&p| (p, percentile(&sorted, p)))
            .collect(),
    }
}

/// The p-th percentile (0-100) of sorted values, type 7: h = (n - 1) p/100, interpolating
/// linearly between the order statistics on either side of h.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let h = (n - 1) as f64 * (p / 100.0).clamp(0.0, 1.0);
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A summary of no value has no mean: 0 would read as a score.
    #[test]
    fn a_summary_of_nothing_is_not_a_zero() {
        let s = summarise(&[]);
        assert_eq!(s.n, 0);
        assert!(s.mean.is_nan() && s.sd.is_nan() && s.min.is_nan());
        assert_eq!(summarise(&[2.0]).mean, 2.0);
    }

    #[test]
    fn type_7_percentiles_by_hand() {
        let s = [1.0, 2.0, 3.0, 4.0];
        // h = 3 x 0.5 = 1.5 -> 2 + 0.5 x (3 - 2)
        assert_eq!(percentile(&s, 50.0), 2.5);
        // h = 3 x 0.05 = 0.15 -> 1 + 0.15
        assert!((percentile(&s, 5.0) - 1.15).abs() < 1e-12);
        assert_eq!(percentile(&s, 100.0), 4.0);
        assert_eq!(percentile(&[7.0], 95.0), 7.0);
        assert!(percentile(&[], 50.0).is_nan());
    }

    #[test]
    fn mean_and_sample_sd() {
        let s = summarise(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);
        assert_eq!(s.mean, 5.0);
        // sum of squares 32, n - 1 = 7
        assert!((s.sd - (32.0f64 / 7.0).sqrt()).abs() < 1e-12);
        assert_eq!((s.min, s.max), (2.0, 9.0));
    }
}
