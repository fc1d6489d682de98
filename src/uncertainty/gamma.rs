//! Gamma variates for Dirichlet weights (a Dirichlet draw is independent Gamma draws,
//! normalised). Simulation uses Marsaglia and Tsang's exact rejection method (ACM TOMS
//! 26(3), 2000), about 30 ns a draw, because the inverse CDF costs microseconds and a
//! model has a weight per edge; sensitivity analysis, which needs one uniform per factor,
//! uses statrs's inverse CDF.

use rand_chacha::ChaCha8Rng;
use statrs::distribution::{ContinuousCDF, Gamma};

use super::streams::uniform;

/// A standard normal variate by inverse CDF of one uniform.
#[inline]
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    -std::f64::consts::SQRT_2 * statrs::function::erf::erfc_inv(2.0 * uniform(rng))
}

/// A Gamma(shape, 1) variate. Shapes below 1 use the boost Gamma(a) = Gamma(a + 1) x
/// U^(1/a). A non-positive or non-finite shape gives 0 (a weight that drops out).
pub fn gamma_draw(shape: f64, rng: &mut ChaCha8Rng) -> f64 {
    if !(shape > 0.0 && shape.is_finite()) {
        return 0.0;
    }
    if shape < 1.0 {
        let boost = uniform(rng).powf(1.0 / shape);
        return gamma_draw(shape + 1.0, rng) * boost;
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let z = normal(rng);
        let v = 1.0 + c * z;
        if v <= 0.0 {
            continue;
        }
        let v = v * v * v;
        let u = uniform(rng);
        if u.ln() < 0.5 * z * z + d - d * v + d * v.ln() {
            return d * v;
        }
    }
}

/// The Gamma(shape, 1) quantile at `u` (statrs's safeguarded Newton iteration).
pub fn gamma_quantile(shape: f64, u: f64) -> f64 {
    match Gamma::new(shape, 1.0) {
        Ok(g) => g.inverse_cdf(u),
        Err(_) => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::uncertainty::streams::stream;

    /// Mean and variance of Gamma(a, 1) are both a; 200,000 draws give them to within a
    /// few standard errors (sd of the mean sqrt(a / n), of the variance about
    /// sqrt((2a^2 + 6a) / n)).
    #[test]
    fn draws_have_the_gamma_moments() {
        for shape in [0.3, 1.0, 2.5, 21.0] {
            let mut rng = stream(11, 0);
            let n = 200_000;
            let xs: Vec<f64> = (0..n).map(|_| gamma_draw(shape, &mut rng)).collect();
            let mean = xs.iter().sum::<f64>() / n as f64;
            let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
            let se_mean = (shape / n as f64).sqrt();
            let se_var = ((2.0 * shape * shape + 6.0 * shape) / n as f64).sqrt();
            assert!(
                (mean - shape).abs() < 5.0 * se_mean,
                "shape {shape}: mean {mean}"
            );
            assert!(
                (var - shape).abs() < 5.0 * se_var,
                "shape {shape}: var {var}"
            );
        }
    }

    #[test]
    fn quantile_inverts_the_cdf() {
        for shape in [0.5, 3.0, 40.0] {
            let g = Gamma::new(shape, 1.0).unwrap();
            for u in [0.01, 0.3, 0.5, 0.95] {
                assert!((g.cdf(gamma_quantile(shape, u)) - u).abs() < 1e-9);
            }
        }
        assert_eq!(gamma_draw(0.0, &mut stream(1, 0)), 0.0);
    }
}
