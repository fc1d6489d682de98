//! Combining children into a group score. Works on 0-1 fractions of the scale with weights
//! already restricted to the children present (renormalisation happens here, by dividing by
//! their sum). Pure, allocation-free: children arrive as an iterator that can be replayed.

use super::spec::{Aggregation, ZeroPolicy};

/// The result of one aggregation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Aggregated {
    /// The group's fraction of the scale; NaN when no child is present.
    pub value: f64,
    /// A child at or near zero was raised to the floor (geometric-type means).
    pub floored: bool,
    /// A zero child made the group zero under [`ZeroPolicy::Zero`].
    pub zeroed: bool,
}

/// A child within this fraction of the scale minimum is at zero for the `zero` and `error`
/// policies: aggregations that are zero in real arithmetic (the reversed geometric mean of
/// children all at zero) leave a floating-point residue of about 1e-16 whose sign depends
/// on the weights' scale, and a geometric mean would amplify it (1e-6 points of score from
/// 5e-16: tests/regressions.rs). 1e-12 of the scale is far below any meaningful score.
pub const ZERO_TOLERANCE: f64 = 1e-12;

/// Why an aggregation could not produce a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggregateError {
    /// A zero child under [`ZeroPolicy::Error`].
    Zero,
}

/// Combines `(fraction, weight)` pairs of the present children. Children with weight 0 take
/// no part in any aggregation (not even `min`/`max`), so a zero weight switches a child off
/// whatever its value. Formula groups are not handled here (the kernel evaluates their
/// expression).
pub fn aggregate<I>(
    agg: &Aggregation,
    zero: ZeroPolicy,
    children: I,
) -> Result<Aggregated, AggregateError>
where
    I: Iterator<Item = (f64, f64)> + Clone,
{
    // A weight-0 child at zero would otherwise make 0 x ln 0 = NaN in a geometric mean.
    let children = children.filter(|&(_, w)| w > 0.0);
    let mut out = Aggregated {
        value: f64::NAN,
        floored: false,
        zeroed: false,
    };
    let (count, wsum) = children
        .clone()
        .fold((0usize, 0.0), |(n, s), (_, w)| (n + 1, s + w));
    if count == 0 || wsum <= 0.0 {
        return Ok(out);
    }
    // For means that cannot take a zero: apply the policy once, up front.
    let needs_positive = matches!(agg, Aggregation::Geometric | Aggregation::Harmonic)
        || matches!(agg, Aggregation::PowerMean(p) if *p < 0.0);
    let mut floor = 0.0;
    if needs_positive {
        match zero {
            ZeroPolicy::Floor(f) => {
                floor = f;
                out.floored = children.clone().any(|(u, _)| u < f);
            }
            ZeroPolicy::Zero | ZeroPolicy::Error => {
                if children.clone().any(|(u, _)| u <= ZERO_TOLERANCE) {
                    if zero == ZeroPolicy::Error {
                        return Err(AggregateError::Zero);
                    }
                    out.zeroed = true;
                    out.value = 0.0;
                    return Ok(out);
                }
            }
        }
    }
    let pos = |u: f64| u.max(floor);
    out.value = match agg {
        Aggregation::Arithmetic => children.map(|(u, w)| u * w).sum::<f64>() / wsum,
        Aggregation::Geometric => {
            (children.map(|(u, w)| w * pos(u).ln()).sum::<f64>() / wsum).exp()
        }
        Aggregation::Harmonic => wsum / children.map(|(u, w)| w / pos(u)).sum::<f64>(),
        Aggregation::PowerMean(p) => {
            let s = children.map(|(u, w)| w * pos(u).powf(*p)).sum::<f64>() / wsum;
            s.powf(1.0 / p)
        }
        Aggregation::Min => children.map(|(u, _)| u).fold(f64::INFINITY, f64::min),
        Aggregation::Max => children.map(|(u, _)| u).fold(f64::NEG_INFINITY, f64::max),
        Aggregation::InformReversedGeometric => {
            // On a 0-10 scale: (10 - GEOMEAN((10 - x)/10*9 + 1))/9*10; with u = x/10 the
            // terms are (1 - u)*9 + 1, always in [1, 10], and the result fraction (10 - G)/9.
            let g = (children
                .map(|(u, w)| w * ((1.0 - u) * 9.0 + 1.0).ln())
                .sum::<f64>()
                / wsum)
                .exp();
            (10.0 - g) / 9.0
        }
        Aggregation::Union => {
            // Weights act as exponents relative to their mean, so equal weights give the
            // plain 1 - prod(1 - u).
            let mean_w = wsum / count as f64;
            1.0 - children
                .map(|(u, w)| (1.0 - u).max(0.0).powf(w / mean_w))
                .product::<f64>()
        }
        Aggregation::Formula(_) => f64::NAN,
    };
    out.value = out.value.clamp(0.0, 1.0);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXACT: f64 = 1e-12;

    fn agg(a: Aggregation, xs: &[(f64, f64)]) -> f64 {
        aggregate(&a, ZeroPolicy::Floor(0.01), xs.iter().copied())
            .unwrap()
            .value
    }

    #[test]
    fn means_by_hand() {
        let xs = [(0.2, 1.0), (0.8, 3.0)];
        assert!((agg(Aggregation::Arithmetic, &xs) - 0.65).abs() < EXACT);
        // 0.2^0.25 * 0.8^0.75 = 0.565685424949238
        assert!((agg(Aggregation::Geometric, &xs) - 0.565_685_424_949_238).abs() < 1e-12);
        // 4 / (1/0.2 + 3/0.8) = 4 / 8.75
        assert!((agg(Aggregation::Harmonic, &xs) - 4.0 / 8.75).abs() < EXACT);
        // p = 2: sqrt((0.04 + 3*0.64)/4) = sqrt(0.49) = 0.7
        assert!((agg(Aggregation::PowerMean(2.0), &xs) - 0.7).abs() < EXACT);
        assert_eq!(agg(Aggregation::Min, &xs), 0.2);
        assert_eq!(agg(Aggregation::Max, &xs), 0.8);
        // union, equal weights: 1 - 0.8*0.2 = 0.84
        assert!((agg(Aggregation::Union, &[(0.2, 1.0), (0.8, 1.0)]) - 0.84).abs() < EXACT);
    }

    #[test]
    fn inform_reversed_geometric_matches_published_formula() {
        // Kayes 2017: Natural 2.0? Check the formula itself on 0-10 values 5.0 and 7.0:
        // (10 - sqrt((5/10*9+1)*(3/10*9+1)))/9*10
        let want = (10.0 - ((0.5f64 * 9.0 + 1.0) * (0.3 * 9.0 + 1.0)).sqrt()) / 9.0 * 10.0;
        let got = agg(
            Aggregation::InformReversedGeometric,
            &[(0.5, 1.0), (0.7, 1.0)],
        ) * 10.0;
        assert!((got - want).abs() < EXACT);
        // one severe component is not averaged away: R(10, 0) > mean(10, 0)
        let r = agg(
            Aggregation::InformReversedGeometric,
            &[(1.0, 1.0), (0.0, 1.0)],
        );
        assert!(r > 0.5);
    }

    #[test]
    fn zero_policies() {
        let xs = [(0.0, 1.0), (0.5, 1.0)];
        let floored = aggregate(
            &Aggregation::Geometric,
            ZeroPolicy::Floor(0.01),
            xs.iter().copied(),
        )
        .unwrap();
        assert!(floored.floored);
        assert!((floored.value - (0.01f64 * 0.5).sqrt()).abs() < EXACT);
        let zeroed =
            aggregate(&Aggregation::Harmonic, ZeroPolicy::Zero, xs.iter().copied()).unwrap();
        assert!(zeroed.zeroed && zeroed.value == 0.0);
        assert_eq!(
            aggregate(
                &Aggregation::Geometric,
                ZeroPolicy::Error,
                xs.iter().copied()
            ),
            Err(AggregateError::Zero)
        );
        // arithmetic ignores the policy
        let a = aggregate(
            &Aggregation::Arithmetic,
            ZeroPolicy::Error,
            xs.iter().copied(),
        )
        .unwrap();
        assert!((a.value - 0.25).abs() < EXACT && !a.floored);
    }

    #[test]
    fn no_children_gives_nan_not_zero() {
        let v = aggregate(
            &Aggregation::Arithmetic,
            ZeroPolicy::Error,
            std::iter::empty(),
        )
        .unwrap();
        assert!(v.value.is_nan());
    }
}
