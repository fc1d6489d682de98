//! Benchmark functions with analytic Sobol indices (Ishigami, Sobol G-function), for validating estimators.
//!
//! Both functions take unit-hypercube points (as the designs of this module
//! produce) and return `NaN` for a point of the wrong dimension, so a misuse
//! surfaces as [`super::SobolError::NonFiniteOutput`] rather than a panic.

use serde::{Deserialize, Serialize};

/// Exact variance decomposition of a test function.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalyticIndices {
    /// Output variance `V`.
    pub variance: f64,
    /// First-order indices `S_i = V_i / V`.
    pub first: Vec<f64>,
    /// Total indices `ST_i`.
    pub total: Vec<f64>,
}

/// Ishigami & Homma (1990) function
/// `f(x) = sin x1 + a sin^2 x2 + b x3^4 sin x1`, `x_i ~ U(-pi, pi)`.
///
/// # Analytic decomposition
///
/// Write `f = sin x1 (1 + b x3^4) + a sin^2 x2`. With `x ~ U(-pi, pi)`:
/// `E[sin x] = 0`, `E[sin^2 x] = 1/2`, `E[sin^4 x] = 3/8`, `E[x^4] = pi^4/5`,
/// `E[x^8] = pi^8/9`. Hence
///
/// * `V1 = Var(E[f | x1]) = Var(sin x1 (1 + b pi^4/5)) = (1 + b pi^4/5)^2 / 2`;
/// * `V2 = a^2 Var(sin^2 x2) = a^2 (3/8 - 1/4) = a^2/8`;
/// * `V3 = 0` (`E[f | x3] = a/2` does not depend on `x3`);
/// * `V13 = Var(sin x1 (1 + b x3^4)) - V1
///   = (1 + 2b pi^4/5 + b^2 pi^8/9)/2 - (1 + b pi^4/5)^2/2
///   = b^2 pi^8 (1/18 - 1/50)`;
/// * `V12 = V23 = V123 = 0`;
/// * `V = V1 + V2 + V13 = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2`.
///
/// So `S1 = V1/V`, `S2 = V2/V`, `S3 = 0`, `ST1 = (V1 + V13)/V`,
/// `ST2 = V2/V`, `ST3 = V13/V`. For `a = 7`, `b = 0.1`: `S = (0.3139,
/// 0.4424, 0)`, `ST = (0.5576, 0.4424, 0.2437)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Ishigami {
    /// Coefficient of `sin^2 x2`.
    pub a: f64,
    /// Coefficient of `x3^4 sin x1`.
    pub b: f64,
}

impl Ishigami {
    /// The customary parameters `a = 7`, `b = 0.1`.
    pub const STANDARD: Self = Self { a: 7.0, b: 0.1 };

    /// Number of inputs.
    pub const DIMS: usize = 3;

    /// The function on its natural domain `x in (-pi, pi)^3`; `NaN` unless
    /// `x.len() == 3`.
    pub fn evaluate(&self, x: &[f64]) -> f64 {
        match x {
            [x1, x2, x3] => x1.sin() + self.a * x2.sin().powi(2) + self.b * x3.powi(4) * x1.sin(),
            _ => f64::NAN,
        }
    }

    /// The function of unit coordinates: `x_i = -pi + 2 pi u_i` (the inverse
    /// CDF of `U(-pi, pi)`); `NaN` unless `u.len() == 3`.
    pub fn evaluate_unit(&self, u: &[f64]) -> f64 {
        use std::f64::consts::PI;
        match u {
            [u1, u2, u3] => self.evaluate(&[
                -PI + 2.0 * PI * u1,
                -PI + 2.0 * PI * u2,
                -PI + 2.0 * PI * u3,
            ]),
            _ => f64::NAN,
        }
    }

    /// Exact variance and indices (formulas in the type's documentation).
    pub fn analytic(&self) -> AnalyticIndices {
        use std::f64::consts::PI;
        let (a, b) = (self.a, self.b);
        let pi4 = PI.powi(4);
        let pi8 = PI.powi(8);
        let v1 = 0.5 * (1.0 + b * pi4 / 5.0).powi(2);
        let v2 = a * a / 8.0;
        let v13 = b * b * pi8 * (1.0 / 18.0 - 1.0 / 50.0);
        let v = a * a / 8.0 + b * pi4 / 5.0 + b * b * pi8 / 18.0 + 0.5;
        AnalyticIndices {
            variance: v,
            first: vec![v1 / v, v2 / v, 0.0],
            total: vec![(v1 + v13) / v, v2 / v, v13 / v],
        }
    }
}

/// Sobol' G-function `f(x) = prod_i (|4 x_i - 2| + a_i) / (1 + a_i)`,
/// `x_i ~ U(0, 1)`, `a_i >= 0` (small `a_i`: important input).
///
/// # Analytic decomposition
///
/// Each factor `g_i` has mean 1 and, since `|4x - 2|` is uniform on `[0, 2]`
/// (variance `1/3`), variance `V_i = (1/3) / (1 + a_i)^2`. The factors are
/// independent with unit means, so the function is a product of `1 + (g_i - 1)`
/// terms and every subset `u` of inputs has partial variance `prod_{i in u} V_i`:
///
/// * `V = prod_i (1 + V_i) - 1`;
/// * `S_i = V_i / V`;
/// * `ST_i = V_i prod_{j != i} (1 + V_j) / V`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GFunction {
    a: Vec<f64>,
}

impl GFunction {
    /// The coefficients of Saltelli et al. (2010):
    /// `a = [0, 1, 4.5, 9, 99, 99, 99, 99]`.
    pub const STANDARD_A: [f64; 8] = [0.0, 1.0, 4.5, 9.0, 99.0, 99.0, 99.0, 99.0];

    /// A G-function with coefficients `a`; `None` if `a` is empty or any
    /// coefficient is negative or not finite.
    pub fn new(a: Vec<f64>) -> Option<Self> {
        if a.is_empty() || a.iter().any(|x| !(x.is_finite() && *x >= 0.0)) {
            return None;
        }
        Some(Self { a })
    }

    /// The G-function with [`Self::STANDARD_A`].
    pub fn standard() -> Self {
        Self {
            a: Self::STANDARD_A.to_vec(),
        }
    }

    /// The coefficients.
    pub fn coefficients(&self) -> &[f64] {
        &self.a
    }

    /// Number of inputs.
    pub fn dims(&self) -> usize {
        self.a.len()
    }

    /// The function at `u in [0, 1)^d`; `NaN` unless `u.len() == d`.
    pub fn evaluate(&self, u: &[f64]) -> f64 {
        if u.len() != self.a.len() {
            return f64::NAN;
        }
        u.iter()
            .zip(&self.a)
            .map(|(x, a)| ((4.0 * x - 2.0).abs() + a) / (1.0 + a))
            .product()
    }

    /// Exact variance and indices (formulas in the type's documentation).
    pub fn analytic(&self) -> AnalyticIndices {
        let vi: Vec<f64> = self
            .a
            .iter()
            .map(|a| (1.0 / 3.0) / (1.0 + a).powi(2))
            .collect();
        let prod: f64 = vi.iter().map(|v| 1.0 + v).product();
        let v = prod - 1.0;
        AnalyticIndices {
            variance: v,
            first: vi.iter().map(|x| x / v).collect(),
            total: vi.iter().map(|x| x * (prod / (1.0 + x)) / v).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ishigami_analytic_values_match_the_literature() {
        // Published values (e.g. Saltelli et al. 2008, "Global Sensitivity
        // Analysis. The Primer", and Saltelli et al. 2010), to 4 decimals.
        let exact = Ishigami::STANDARD.analytic();
        let first = [0.3139, 0.4424, 0.0];
        let total = [0.5576, 0.4424, 0.2437];
        for i in 0..3 {
            assert!((exact.first[i] - first[i]).abs() < 5e-5, "S{}", i + 1);
            assert!((exact.total[i] - total[i]).abs() < 5e-5, "ST{}", i + 1);
        }
        assert!((exact.variance - 13.8446).abs() < 1e-4);
        // The decomposition is complete: V1 + V2 + V13 = V, i.e. S1 + S2 + S13 = 1
        // with S13 = ST3.
        let sum = exact.first[0] + exact.first[1] + exact.total[2];
        assert!((sum - 1.0).abs() < 1e-14);
    }

    #[test]
    fn ishigami_variance_matches_a_numerical_integral() {
        // Midpoint rule on a 60^3 grid (error well below 1e-3 for this smooth
        // periodic integrand) checks the closed-form V independently.
        let f = Ishigami::STANDARD;
        let m = 60;
        let (mut s, mut s2) = (0.0, 0.0);
        for i in 0..m {
            for j in 0..m {
                for k in 0..m {
                    let u = [
                        (i as f64 + 0.5) / m as f64,
                        (j as f64 + 0.5) / m as f64,
                        (k as f64 + 0.5) / m as f64,
                    ];
                    let y = f.evaluate_unit(&u);
                    s += y;
                    s2 += y * y;
                }
            }
        }
        let count = (m * m * m) as f64;
        let mean = s / count;
        let var = s2 / count - mean * mean;
        assert!((mean - 3.5).abs() < 1e-3, "mean {mean}"); // E f = a / 2
        assert!((var - f.analytic().variance).abs() < 2e-2, "var {var}");
    }

    #[test]
    fn g_function_analytic_values() {
        let g = GFunction::standard();
        let exact = g.analytic();
        // V_1 = 1/3, V_2 = 1/12, V_3 = 1/90.75, V_4 = 1/300, V_5..8 = 1/30000.
        let vi: [f64; 5] = [
            1.0 / 3.0,
            1.0 / 12.0,
            1.0 / 90.75,
            1.0 / 300.0,
            1.0 / 30_000.0,
        ];
        let prod =
            (1.0 + vi[0]) * (1.0 + vi[1]) * (1.0 + vi[2]) * (1.0 + vi[3]) * (1.0 + vi[4]).powi(4);
        assert!((exact.variance - (prod - 1.0)).abs() < 1e-12);
        assert!((exact.first[0] - vi[0] / (prod - 1.0)).abs() < 1e-12);
        assert!((exact.first[0] - 0.7162).abs() < 1e-4);
        assert!((exact.total[0] - 0.7871).abs() < 1e-4);
        // Without interactions the total would equal the first order; the
        // G-function is multiplicative, so every ST_i > S_i.
        for i in 0..8 {
            assert!(exact.total[i] > exact.first[i]);
        }
    }

    #[test]
    fn wrong_dimensions_give_nan() {
        assert!(Ishigami::STANDARD.evaluate(&[0.1, 0.2]).is_nan());
        assert!(Ishigami::STANDARD.evaluate_unit(&[0.1; 4]).is_nan());
        assert!(GFunction::standard().evaluate(&[0.5; 3]).is_nan());
        assert!(GFunction::new(vec![]).is_none());
        assert!(GFunction::new(vec![1.0, -0.5]).is_none());
        assert!(GFunction::new(vec![f64::NAN]).is_none());
        assert_eq!(GFunction::new(vec![0.0, 2.0]).map(|g| g.dims()), Some(2));
    }
}
