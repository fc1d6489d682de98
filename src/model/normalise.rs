//! Turning a raw value into a 0-1 fraction of the scale: the transform, then the
//! normalisation. Pure functions of numbers; they never allocate and never panic. An
//! undefined result (ln of a negative value, a ratio to zero) is NaN, which the kernel
//! reports against the indicator.

use statrs::distribution::{ContinuousCDF, Normal};

use super::spec::{Direction, Normalisation, Transform};

/// Applies a transform. `inputs` holds every input slot (for ratio denominators).
#[inline]
pub fn transform(t: Transform, x: f64, inputs: &[f64]) -> f64 {
    match t {
        Transform::None => x,
        Transform::Ln => {
            if x > 0.0 {
                x.ln()
            } else {
                f64::NAN
            }
        }
        Transform::Log10 => {
            if x > 0.0 {
                x.log10()
            } else {
                f64::NAN
            }
        }
        Transform::Power(p) => {
            let y = x.powf(p);
            if y.is_finite() { y } else { f64::NAN }
        }
        Transform::Ratio {
            denominator,
            multiplier,
        } => {
            let d = inputs
                .get(denominator as usize)
                .copied()
                .unwrap_or(f64::NAN);
            // A ratio too large for a double (1e308 people per 1e-10 km², times 100,000)
            // is undefined like a ratio to zero: the kernel reports it, rather than letting
            // an infinity be clamped into a plausible score.
            let y = x / d * multiplier;
            if d == 0.0 || !y.is_finite() {
                f64::NAN
            } else {
                y
            }
        }
    }
}

/// Transforms a goalpost or breakpoint written in raw units. A ratio's breakpoints are
/// already written per unit of the denominator, so they pass unchanged.
pub fn transform_point(t: Transform, x: f64) -> f64 {
    match t {
        Transform::Ratio { .. } => x,
        other => transform(other, x, &[]),
    }
}

/// Normalises a transformed value to a 0-1 fraction. `direction` flips goalposts, z-scores
/// and identity; piecewise, bins and categories state their scores explicitly.
#[inline]
pub fn normalise(n: &Normalisation, direction: Direction, x: f64) -> f64 {
    let up = match n {
        Normalisation::Goalposts { min, max } => ((x - min) / (max - min)).clamp(0.0, 1.0),
        Normalisation::Piecewise { points } => return piecewise(points, x),
        Normalisation::Bins { bins, below } => {
            return bins
                .iter()
                .rev()
                .find(|(t, _)| x >= *t)
                .map_or(*below, |(_, f)| *f);
        }
        Normalisation::Categorical { categories } => {
            let idx = x as usize;
            return if x >= 0.0 && x.fract() == 0.0 {
                categories.get(idx).map_or(f64::NAN, |(_, f)| *f)
            } else {
                f64::NAN
            };
        }
        Normalisation::ZScore { mean, sd } => standard_normal_cdf((x - mean) / sd),
        Normalisation::Identity => x.clamp(0.0, 1.0),
    };
    if x.is_nan() {
        return f64::NAN;
    }
    match direction {
        Direction::LowerIsRiskier => 1.0 - up,
        // Validation keeps non-monotone indicators to explicit-score methods.
        Direction::HigherIsRiskier | Direction::NonMonotone => up,
    }
}

fn standard_normal_cdf(z: f64) -> f64 {
    // Normal::standard() cannot fail and holds no heap data: cheap to build per call.
    Normal::standard().cdf(z)
}

fn piecewise(points: &[(f64, f64)], x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return f64::NAN;
    };
    if x <= first.0 {
        return first.1;
    }
    if x >= last.0 {
        return last.1;
    }
    for w in points.windows(2) {
        let (x0, y0) = w[0];
        let (x1, y1) = w[1];
        if x <= x1 {
            // Validation guarantees x1 > x0. The result is kept between y0 and y1: in
            // floating point y0 + (y1 - y0) t can overshoot y1 by a unit in the last place
            // (0.35 - 0.35 x 1.0000000000000002 < 0), which would leave the scale.
            let y = y0 + (y1 - y0) * (x - x0) / (x1 - x0);
            return y.clamp(y0.min(y1), y0.max(y1));
        }
    }
    last.1
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXACT: f64 = 1e-12;

    /// Found by `scores_stay_on_the_scale_with_zero_weights_anywhere`: interpolating down
    /// to 0 must not give -5.5e-17 at or just before the breakpoint.
    #[test]
    fn piecewise_stays_between_its_breakpoints() {
        let points = [(0.0, 0.35), (210.121_508_421_851_7, 0.0), (215.0, 0.0)];
        // (y1 - y0) (x - x0) / (x1 - x0) at x = x1 is -0.35 x 210.12... / 210.12..., which
        // is not exactly -0.35.
        let mut x = 210.121_508_421_851_7f64;
        for _ in 0..10_000 {
            let y = piecewise(&points, x);
            assert!((0.0..=0.35).contains(&y), "{x} -> {y}");
            x = f64::from_bits(x.to_bits() - 1);
        }
    }

    #[test]
    fn goalposts_clamp_and_flip() {
        let g = Normalisation::Goalposts {
            min: 20.0,
            max: 85.0,
        };
        assert!((normalise(&g, Direction::HigherIsRiskier, 52.5) - 0.5).abs() < EXACT);
        assert_eq!(normalise(&g, Direction::HigherIsRiskier, 100.0), 1.0);
        assert_eq!(normalise(&g, Direction::HigherIsRiskier, 0.0), 0.0);
        assert!((normalise(&g, Direction::LowerIsRiskier, 36.25) - 0.75).abs() < EXACT);
    }

    #[test]
    fn hdi_income_goalposts_are_logged() {
        let t = Transform::Ln;
        let g = Normalisation::Goalposts {
            min: transform_point(t, 100.0),
            max: transform_point(t, 75000.0),
        };
        // Mali 2022: GNI 2,014 PPP$ -> income index (ln 2014 - ln 100)/(ln 75000 - ln 100).
        let x = transform(t, 2014.0, &[]);
        let want = (2014f64.ln() - 100f64.ln()) / (75000f64.ln() - 100f64.ln());
        assert!((normalise(&g, Direction::HigherIsRiskier, x) - want).abs() < EXACT);
        // ln(20.14) / ln(750) = 0.45358
        assert!((want - 0.45358).abs() < 1e-5);
    }

    #[test]
    fn piecewise_interpolates_and_is_flat_outside() {
        let p = Normalisation::Piecewise {
            points: vec![(0.0, 0.0), (50.0, 0.2), (150.0, 1.0)],
        };
        assert!((normalise(&p, Direction::HigherIsRiskier, 25.0) - 0.1).abs() < EXACT);
        assert!((normalise(&p, Direction::HigherIsRiskier, 100.0) - 0.6).abs() < EXACT);
        assert_eq!(normalise(&p, Direction::HigherIsRiskier, -5.0), 0.0);
        assert_eq!(normalise(&p, Direction::HigherIsRiskier, 500.0), 1.0);
    }

    #[test]
    fn inform_fatality_bins() {
        // INFORM: >=1 -> 4, >=20 -> 5, ..., >1000 -> 10 (integers, so >=1001).
        let b = Normalisation::Bins {
            bins: vec![
                (1.0, 0.4),
                (20.0, 0.5),
                (60.0, 0.6),
                (120.0, 0.7),
                (240.0, 0.8),
                (500.0, 0.9),
                (1001.0, 1.0),
            ],
            below: 0.0,
        };
        let at = |x| normalise(&b, Direction::HigherIsRiskier, x);
        assert_eq!(at(0.0), 0.0);
        assert_eq!(at(1.0), 0.4);
        assert_eq!(at(19.0), 0.4);
        assert_eq!(at(20.0), 0.5);
        assert_eq!(at(1000.0), 0.9);
        assert_eq!(at(1001.0), 1.0);
    }

    #[test]
    fn categorical_by_index() {
        let c = Normalisation::Categorical {
            categories: vec![("none".into(), 0.0), ("some".into(), 0.6)],
        };
        assert_eq!(normalise(&c, Direction::HigherIsRiskier, 1.0), 0.6);
        assert!(normalise(&c, Direction::HigherIsRiskier, 2.0).is_nan());
        assert!(normalise(&c, Direction::HigherIsRiskier, 0.5).is_nan());
    }

    #[test]
    fn zscore_uses_normal_cdf() {
        let z = Normalisation::ZScore {
            mean: 10.0,
            sd: 2.0,
        };
        assert!((normalise(&z, Direction::HigherIsRiskier, 10.0) - 0.5).abs() < EXACT);
        // Phi(1) = 0.8413447460685429
        assert!(
            (normalise(&z, Direction::HigherIsRiskier, 12.0) - 0.841_344_746_068_542_9).abs()
                < 1e-9
        );
        assert!(
            (normalise(&z, Direction::LowerIsRiskier, 12.0) - 0.158_655_253_931_457_1).abs() < 1e-9
        );
    }

    #[test]
    fn transforms() {
        assert!((transform(Transform::Log10, 1000.0, &[]) - 3.0).abs() < EXACT);
        assert!(transform(Transform::Ln, 0.0, &[]).is_nan());
        assert!(transform(Transform::Log10, -1.0, &[]).is_nan());
        assert_eq!(transform(Transform::Power(0.5), 16.0, &[]), 4.0);
        let r = Transform::Ratio {
            denominator: 1,
            multiplier: 100_000.0,
        };
        assert_eq!(transform(r, 50.0, &[0.0, 1_000_000.0]), 5.0);
        assert!(transform(r, 50.0, &[0.0, 0.0]).is_nan());
        assert!(transform(r, 1e308, &[0.0, 1e-10]).is_nan());
        assert_eq!(transform_point(r, 7.0), 7.0);
    }
}
