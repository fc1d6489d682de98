//! Validation tests of the Sobol-index estimators against analytic benchmarks, plus API, error and property tests.
//!
//! Tolerances were calibrated by running the same estimators over many seeds
//! (release build, outside the test suite): for `Random` sampling with
//! `N = 2^14`, the standard deviation of the estimates over 200 seeds was at
//! most 0.0113 (Ishigami `ST1`; every other Ishigami or G-function index
//! <= 0.0090). The deterministic Sobol design has no such spread: its errors
//! are fixed numbers, quoted at each test.

use super::test_functions::{AnalyticIndices, GFunction, Ishigami};
use super::*;
use proptest::prelude::*;

/// Largest absolute errors (first order, total) of `result` against `exact`.
fn max_errors(result: &SobolResult, exact: &AnalyticIndices) -> (f64, f64) {
    let mut worst = (0.0_f64, 0.0_f64);
    for (i, index) in result.indices.iter().enumerate() {
        worst.0 = worst.0.max((index.first - exact.first[i]).abs());
        worst.1 = worst.1.max((index.total - exact.total[i]).abs());
    }
    worst
}

/// How many of the `2d` intervals contain the analytic value, and how many
/// intervals there are.
fn coverage(result: &SobolResult, exact: &AnalyticIndices) -> (usize, usize) {
    let mut hit = 0;
    let mut all = 0;
    for (i, index) in result.indices.iter().enumerate() {
        for (ci, value) in [
            (index.first_ci, exact.first[i]),
            (index.total_ci, exact.total[i]),
        ] {
            if let Some((lo, hi)) = ci {
                all += 1;
                if lo <= value && value <= hi {
                    hit += 1;
                }
            }
        }
    }
    (hit, all)
}

fn ishigami(u: &[f64]) -> f64 {
    Ishigami::STANDARD.evaluate_unit(u)
}

// ---------------------------------------------------------------------------
// Validation against analytic indices
// ---------------------------------------------------------------------------

#[test]
fn ishigami_random_sampling_with_bootstrap() {
    // N = 2^14 base rows (81 920 evaluations), 200 bootstrap resamples (few,
    // to keep the debug-build test fast; use >= 1000 in practice).
    // Tolerance 0.035 absolute: >= 3.1 sigma for the noisiest index (ST1,
    // sigma = 0.0113) and >= 4.6 sigma for the others (sigma <= 0.0076); a
    // wrong estimator (e.g. ST without the factor 1/2) is off by 0.1 or more.
    // Achieved with this seed: first 0.0074, total 0.0128 (ST1).
    let exact = Ishigami::STANDARD.analytic();
    let cfg = SobolConfig::random(1 << 14, 2024).with_bootstrap(200);
    let result = sobol_indices(3, &cfg, ishigami).unwrap();
    let (first, total) = max_errors(&result, &exact);
    assert!(first < 0.035, "first-order error {first}");
    assert!(total < 0.035, "total error {total}");
    assert_eq!(result.ci_method, CiMethod::Bootstrap);
    assert_eq!(result.confidence, Some(0.95));
    assert_eq!(result.evaluations, (1 << 14) * 5);
    // 95 % percentile intervals: over 100 seeds 95.2 % of them covered the
    // analytic value. Requiring 5 of 6 leaves room for one miss.
    let (hit, all) = coverage(&result, &exact);
    assert_eq!(all, 6);
    assert!(
        hit >= 5,
        "only {hit} of {all} intervals cover the analytic value"
    );
    // The variance estimate from 2N = 32 768 outputs: achieved 1.5 % off.
    assert!((result.variance / exact.variance - 1.0).abs() < 0.05);
    assert!((result.mean - 3.5).abs() < 0.1, "mean {}", result.mean);
}

#[test]
fn g_function_random_sampling_with_bootstrap() {
    // N = 2^14 (163 840 evaluations), 120 bootstrap resamples. Tolerance 0.03:
    // sigma <= 0.0090 for every index (S1, ST1), so >= 3.3 sigma. Achieved
    // with this seed: first 0.0037, total 0.0037.
    let g = GFunction::standard();
    let exact = g.analytic();
    let cfg = SobolConfig::random(1 << 14, 7).with_bootstrap(120);
    let result = sobol_indices(8, &cfg, |u| g.evaluate(u)).unwrap();
    let (first, total) = max_errors(&result, &exact);
    assert!(first < 0.03, "first-order error {first}");
    assert!(total < 0.03, "total error {total}");
    // Over 100 seeds 93.6 % of the 16 intervals covered; allow 2 misses.
    let (hit, all) = coverage(&result, &exact);
    assert_eq!(all, 16);
    assert!(
        hit >= 14,
        "only {hit} of {all} intervals cover the analytic value"
    );
    // The ordering of importance is recovered.
    assert!(result.indices[0].total > result.indices[1].total);
    assert!(result.indices[1].total > result.indices[2].total);
}

#[test]
fn ishigami_sobol_sampling() {
    // N = 2^13 (40 960 evaluations). Tolerance 0.005, against achieved errors
    // of 0.0010 (first) and 0.0011 (total): the deterministic design's error
    // is a fixed number, so the margin only needs to absorb floating-point
    // changes. Pseudo-random sampling at the same N would have sigma ~0.016.
    let exact = Ishigami::STANDARD.analytic();
    let result = sobol_indices(3, &SobolConfig::sobol(1 << 13), ishigami).unwrap();
    let (first, total) = max_errors(&result, &exact);
    assert!(first < 0.005, "first-order error {first}");
    assert!(total < 0.005, "total error {total}");
    assert_eq!(result.ci_method, CiMethod::None);
    assert_eq!(result.confidence, None);
    assert!(
        result
            .indices
            .iter()
            .all(|i| i.first_ci.is_none() && i.total_ci.is_none())
    );
}

#[test]
fn g_function_sobol_sampling() {
    // N = 2^13 (81 920 evaluations). Tolerance 0.005 against achieved errors
    // of 0.0007 (first) and 0.0013 (total).
    let g = GFunction::standard();
    let exact = g.analytic();
    let result = sobol_indices(8, &SobolConfig::sobol(1 << 13), |u| g.evaluate(u)).unwrap();
    let (first, total) = max_errors(&result, &exact);
    assert!(first < 0.005, "first-order error {first}");
    assert!(total < 0.005, "total error {total}");
}

#[test]
fn shifted_sobol_replicates_give_t_intervals() {
    // 8 replicates of N = 2^11 (8 x 10 240 Ishigami evaluations). Over 100
    // seeds the 8-replicate means had sd <= 0.0028 (S1); tolerance 0.015 is
    // > 5 sigma. Achieved: first 0.0019, total 0.0010. The 95 % t-intervals
    // covered the analytic value 94 % of the time over 50 seeds; allow one
    // miss (this seed: 5 of 6; S2's interval ends at 0.44225 < 0.44241).
    let exact = Ishigami::STANDARD.analytic();
    let cfg = SobolConfig::sobol_shifted(1 << 11, 99, 8);
    let result = sobol_indices(3, &cfg, ishigami).unwrap();
    assert_eq!(result.ci_method, CiMethod::Replicates);
    assert_eq!(result.evaluations, 8 * (1 << 11) * 5);
    let (first, total) = max_errors(&result, &exact);
    assert!(first < 0.015, "first-order error {first}");
    assert!(total < 0.015, "total error {total}");
    let (hit, all) = coverage(&result, &exact);
    assert_eq!(all, 6);
    assert!(
        hit >= 5,
        "only {hit} of {all} intervals cover the analytic value"
    );
    for index in &result.indices {
        let (lo, hi) = index.first_ci.unwrap();
        assert!(lo <= index.first && index.first <= hi);
        // Intervals from 8 replicates at this N are narrow.
        assert!(hi - lo < 0.05, "interval width {}", hi - lo);
    }
    // One replicate: an estimate but no interval.
    let single = sobol_indices(3, &SobolConfig::sobol_shifted(1 << 11, 99, 1), ishigami).unwrap();
    assert_eq!(single.ci_method, CiMethod::None);
    assert!(single.indices.iter().all(|i| i.first_ci.is_none()));
}

#[test]
fn dummy_input_has_zero_indices() {
    // x3 does not enter f, so f(A_B^(3)) = f(A) row by row and both estimators
    // are exactly zero (not just small), for every sampling.
    let f = |u: &[f64]| u[0] + 2.0 * u[1] * u[1];
    for cfg in [
        SobolConfig::random(512, 1).with_bootstrap(50),
        SobolConfig::sobol(512),
        SobolConfig::sobol_shifted(256, 3, 3),
    ] {
        let result = sobol_indices(3, &cfg, f).unwrap();
        let dummy = result.indices[2];
        assert_eq!(dummy.first, 0.0, "{cfg:?}");
        assert_eq!(dummy.total, 0.0, "{cfg:?}");
        if let Some((lo, hi)) = dummy.total_ci {
            assert_eq!((lo, hi), (0.0, 0.0));
        }
        assert!(result.indices[0].total > 0.1);
    }
}

#[test]
fn additive_function_has_equal_first_and_total_indices() {
    // f = u1 + 2 u2 + 3 u3, Var(c U) = c^2/12: S_i = ST_i = c_i^2 / 14.
    // Sobol N = 2^12: achieved |S - exact| 0.0013, |ST - exact| 0.0013;
    // tolerance 0.005 (deterministic design, as above).
    let exact = [1.0 / 14.0, 4.0 / 14.0, 9.0 / 14.0];
    let f = |u: &[f64]| u[0] + 2.0 * u[1] + 3.0 * u[2];
    let result = sobol_indices(3, &SobolConfig::sobol(1 << 12), f).unwrap();
    for (index, e) in result.indices.iter().zip(exact) {
        assert!((index.first - e).abs() < 0.005, "{index:?} vs {e}");
        assert!((index.total - e).abs() < 0.005, "{index:?} vs {e}");
        assert!((index.first - index.total).abs() < 0.005, "{index:?}");
    }
    let sum: f64 = result.indices.iter().map(|i| i.first).sum();
    assert!((sum - 1.0).abs() < 0.01, "additive: sum of S_i = {sum}");
    // Random N = 2^13: sd of these estimates <= 0.0117 over 200 seeds;
    // tolerance 0.04 (3.4 sigma). Achieved: 0.0067 (first), 0.0103 (total).
    let result = sobol_indices(3, &SobolConfig::random(1 << 13, 5).with_bootstrap(0), f).unwrap();
    for (index, e) in result.indices.iter().zip(exact) {
        assert!((index.first - e).abs() < 0.04, "{index:?} vs {e}");
        assert!((index.total - e).abs() < 0.04, "{index:?} vs {e}");
    }
}

#[test]
fn indices_are_invariant_under_affine_maps_of_the_output() {
    // A risk score with a large mean relative to its spread: centring makes
    // the first-order estimator invariant to the offset (up to rounding).
    let cfg = SobolConfig::random(1 << 10, 11).with_bootstrap(20);
    let base = sobol_indices(3, &cfg, ishigami).unwrap();
    for (alpha, beta) in [(3.0, 500.0), (-2.0, 0.0), (1e-6, 1e3), (1e9, -1e12)] {
        let moved = sobol_indices(3, &cfg, |u| alpha * ishigami(u) + beta).unwrap();
        for (a, b) in base.indices.iter().zip(&moved.indices) {
            assert!(
                (a.first - b.first).abs() < 1e-6,
                "{alpha} {beta}: {a:?} {b:?}"
            );
            assert!(
                (a.total - b.total).abs() < 1e-6,
                "{alpha} {beta}: {a:?} {b:?}"
            );
        }
        let rel = moved.variance / (alpha * alpha * base.variance) - 1.0;
        assert!(rel.abs() < 1e-6, "variance scales with alpha^2");
    }
}

// ---------------------------------------------------------------------------
// Determinism
// ---------------------------------------------------------------------------

#[test]
fn same_config_gives_bit_identical_results() {
    let g = GFunction::standard();
    for cfg in [
        SobolConfig::random(512, 42).with_bootstrap(100),
        SobolConfig::sobol(512),
        SobolConfig::sobol_shifted(256, 42, 4),
    ] {
        let d1 = design(8, &cfg).unwrap();
        let d2 = design(8, &cfg).unwrap();
        assert_eq!(d1, d2);
        let r1 = sobol_indices(8, &cfg, |u| g.evaluate(u)).unwrap();
        let r2 = sobol_indices(8, &cfg, |u| g.evaluate(u)).unwrap();
        let bits = |r: &SobolResult| {
            let mut v = vec![r.variance.to_bits(), r.mean.to_bits()];
            for i in &r.indices {
                v.push(i.first.to_bits());
                v.push(i.total.to_bits());
                for (lo, hi) in [i.first_ci, i.total_ci].into_iter().flatten() {
                    v.push(lo.to_bits());
                    v.push(hi.to_bits());
                }
            }
            v
        };
        assert_eq!(bits(&r1), bits(&r2), "{cfg:?}");
    }
    // Different seeds do give different designs and intervals.
    let a = design(3, &SobolConfig::random(64, 1)).unwrap();
    let b = design(3, &SobolConfig::random(64, 2)).unwrap();
    assert_ne!(a.row(0), b.row(0));
    let cfg = SobolConfig::random(256, 1).with_bootstrap(50);
    let outputs: Vec<f64> = design(3, &cfg)
        .unwrap()
        .rows()
        .map(|u| ishigami(&u))
        .collect();
    let dsg = design(3, &cfg).unwrap();
    let r1 = estimate(&dsg, &outputs, &cfg).unwrap();
    let r2 = estimate(
        &dsg,
        &outputs,
        &SobolConfig {
            seed_for_ci: 9,
            ..cfg
        },
    )
    .unwrap();
    assert_eq!(r1.indices[0].first, r2.indices[0].first);
    assert_ne!(r1.indices[0].first_ci, r2.indices[0].first_ci);
}

// ---------------------------------------------------------------------------
// Design structure
// ---------------------------------------------------------------------------

#[test]
fn design_rows_follow_the_a_b_ab_layout() {
    let d = 4;
    let n = 16;
    for cfg in [
        SobolConfig::random(n, 3),
        SobolConfig::sobol(n),
        SobolConfig::sobol_shifted(n, 3, 2),
    ] {
        let dsg = design(d, &cfg).unwrap();
        let reps = cfg.effective_replicates();
        assert_eq!(dsg.len(), reps * n * (d + 2));
        assert_eq!(
            (dsg.dims(), dsg.base_rows(), dsg.replicates()),
            (d, n, reps)
        );
        assert!(!dsg.is_empty());
        let rows: Vec<Vec<f64>> = dsg.rows().collect();
        assert_eq!(rows.len(), dsg.len());
        for (k, row) in rows.iter().enumerate() {
            assert!(row.iter().all(|&x| x > 0.0 && x < 1.0), "row {k}: {row:?}");
            let kind = dsg.row_kind(k).unwrap();
            let first = kind.replicate * n * (d + 2);
            let a = &rows[first + kind.base_row];
            let b = &rows[first + n + kind.base_row];
            match kind.matrix {
                Matrix::A => assert_eq!(k, first + kind.base_row),
                Matrix::B => assert_eq!(k, first + n + kind.base_row),
                Matrix::AB(i) => {
                    assert_eq!(k, first + (2 + i) * n + kind.base_row);
                    for c in 0..d {
                        assert_eq!(row[c], if c == i { b[c] } else { a[c] });
                    }
                }
            }
        }
        assert_eq!(dsg.row_kind(dsg.len()), None);
        assert_eq!(dsg.row(dsg.len()), None);
    }
}

#[test]
fn sobol_design_uses_points_one_to_n_of_the_2d_sequence() {
    let (d, n) = (3, 8);
    let dsg = design(d, &SobolConfig::sobol(n)).unwrap();
    let seq = SobolSequence::new(2 * d).unwrap();
    for j in 0..n {
        let p = seq.point(j as u32 + 1);
        assert_eq!(dsg.row(j).unwrap(), p[..d].to_vec(), "A row {j}");
        assert_eq!(dsg.row(n + j).unwrap(), p[d..].to_vec(), "B row {j}");
    }
    // Shifted: replicate r is points 0..n rotated by one shift vector, so the
    // differences between rows are the same modulo 1 in every replicate.
    let dsg = design(d, &SobolConfig::sobol_shifted(n, 5, 2)).unwrap();
    let per = n * (d + 2);
    let r0: Vec<f64> = dsg.row(0).unwrap();
    let r1: Vec<f64> = dsg.row(per).unwrap();
    assert_ne!(r0, r1, "replicates have different shifts");
    for j in 1..n {
        let p = seq.point(j as u32);
        for c in 0..d {
            let shift0 = (dsg.row(j).unwrap()[c] - r0[c]).rem_euclid(1.0);
            let shift1 = (dsg.row(per + j).unwrap()[c] - r1[c]).rem_euclid(1.0);
            assert!((shift0 - p[c]).abs() < 1e-9 || (shift0 - p[c]).abs() > 1.0 - 1e-9);
            assert!((shift1 - p[c]).abs() < 1e-9 || (shift1 - p[c]).abs() > 1.0 - 1e-9);
        }
    }
}

#[test]
fn estimate_on_externally_evaluated_outputs_matches_convenience() {
    let cfg = SobolConfig::sobol(256);
    let dsg = design(3, &cfg).unwrap();
    let mut row = vec![0.0; 3];
    let outputs: Vec<f64> = (0..dsg.len())
        .map(|k| {
            dsg.row_into(k, &mut row).unwrap();
            ishigami(&row)
        })
        .collect();
    let a = estimate(&dsg, &outputs, &cfg).unwrap();
    let b = sobol_indices(3, &cfg, ishigami).unwrap();
    assert_eq!(a, b);
    // Interval settings may differ from the design's configuration.
    let cfg = SobolConfig::random(256, 8);
    let dsg = design(3, &cfg).unwrap();
    let outputs: Vec<f64> = dsg.rows().map(|u| ishigami(&u)).collect();
    let no_ci = estimate(&dsg, &outputs, &cfg.with_bootstrap(0)).unwrap();
    assert_eq!(no_ci.ci_method, CiMethod::None);
    let ci90 = estimate(
        &dsg,
        &outputs,
        &cfg.with_bootstrap(100).with_confidence(0.9),
    )
    .unwrap();
    assert_eq!(ci90.confidence, Some(0.9));
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

#[test]
fn invalid_arguments_are_errors() {
    let ok = SobolConfig::random(64, 0);
    assert_eq!(design(0, &ok).err(), Some(SobolError::ZeroDimensions));
    assert_eq!(
        design(2, &SobolConfig::random(1, 0)).err(),
        Some(SobolError::TooFewSamples { n: 1, min: 2 })
    );
    assert_eq!(
        design(MAX_SOBOL_INPUTS + 1, &SobolConfig::sobol(4)).err(),
        Some(SobolError::DimensionTooHigh {
            dims: MAX_SOBOL_INPUTS + 1,
            max: MAX_SOBOL_INPUTS
        })
    );
    assert!(design(MAX_SOBOL_INPUTS, &SobolConfig::sobol(4)).is_ok());
    assert!(design(MAX_SOBOL_INPUTS + 1, &SobolConfig::random(4, 0)).is_ok());
    for n in [usize::MAX, 1 << 40, MAX_DESIGN_VALUES] {
        assert!(matches!(
            design(3, &SobolConfig::random(n, 0)),
            Err(SobolError::DesignTooLarge { .. })
        ));
    }
    assert!(matches!(
        design(3, &SobolConfig::sobol_shifted(1 << 20, 0, usize::MAX)),
        Err(SobolError::DesignTooLarge { .. })
    ));
    for c in [0.0, 1.0, -0.5, 1.5, f64::NAN, f64::INFINITY] {
        assert!(matches!(
            design(2, &ok.with_confidence(c)),
            Err(SobolError::BadConfidence { .. })
        ));
    }
    assert_eq!(
        design(2, &SobolConfig::sobol_shifted(8, 0, 0)).err(),
        Some(SobolError::ZeroReplicates)
    );
    // `replicates` is ignored (not validated) for the other samplings.
    assert!(
        design(
            2,
            &SobolConfig {
                replicates: 0,
                ..ok
            }
        )
        .is_ok()
    );
    assert_eq!(
        design(2, &ok.with_bootstrap(MAX_BOOTSTRAP + 1)).err(),
        Some(SobolError::TooManyBootstrap {
            bootstrap: MAX_BOOTSTRAP + 1,
            max: MAX_BOOTSTRAP
        })
    );
}

#[test]
fn bad_outputs_are_errors() {
    let cfg = SobolConfig::random(16, 0);
    let dsg = design(2, &cfg).unwrap();
    let good: Vec<f64> = dsg.rows().map(|u| u[0] + u[1] * u[1]).collect();
    assert_eq!(
        estimate(&dsg, &good[1..], &cfg).err(),
        Some(SobolError::OutputLengthMismatch {
            expected: 64,
            got: 63
        })
    );
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let mut outputs = good.clone();
        outputs[37] = bad;
        assert_eq!(
            estimate(&dsg, &outputs, &cfg).err(),
            Some(SobolError::NonFiniteOutput { row: 37 })
        );
    }
    assert_eq!(
        estimate(&dsg, &[2.5; 64], &cfg).err(),
        Some(SobolError::ZeroVariance)
    );
    assert_eq!(
        estimate(&dsg, &[0.0; 64], &cfg).err(),
        Some(SobolError::ZeroVariance)
    );
    // Rounding-level variation of a constant is still "constant".
    let noisy: Vec<f64> = (0..64)
        .map(|k| 1.0 + f64::EPSILON * (k % 3) as f64)
        .collect();
    assert_eq!(
        estimate(&dsg, &noisy, &cfg).err(),
        Some(SobolError::ZeroVariance)
    );
    // Finite outputs whose variance overflows f64.
    let huge: Vec<f64> = good.iter().map(|y| (y - 0.8) * 1e300).collect();
    assert_eq!(
        estimate(&dsg, &huge, &cfg).err(),
        Some(SobolError::NonFiniteVariance)
    );
    // Tiny outputs are fine (scaled before squaring); only the reported
    // variance underflows.
    let tiny: Vec<f64> = good.iter().map(|y| y * 1e-300).collect();
    let a = estimate(&dsg, &tiny, &cfg).unwrap();
    let b = estimate(&dsg, &good, &cfg).unwrap();
    assert!((a.indices[0].first - b.indices[0].first).abs() < 1e-9);
    assert!((a.indices[1].total - b.indices[1].total).abs() < 1e-9);
    assert_eq!(a.variance, 0.0);
    // A configuration other than the design's.
    for other in [
        SobolConfig::random(32, 0),
        SobolConfig::random(16, 1),
        SobolConfig::sobol(16),
    ] {
        assert_eq!(
            estimate(&dsg, &good, &other).err(),
            Some(SobolError::ConfigMismatch)
        );
    }
    let shifted = SobolConfig::sobol_shifted(16, 0, 2);
    let dsg2 = design(2, &shifted).unwrap();
    let out2: Vec<f64> = dsg2.rows().map(|u| u[0] + u[1]).collect();
    assert_eq!(
        estimate(&dsg2, &out2, &SobolConfig::sobol_shifted(16, 0, 3)).err(),
        Some(SobolError::ConfigMismatch)
    );
    // Row access errors.
    let mut buf = [0.0; 3];
    assert_eq!(
        dsg.row_into(0, &mut buf),
        Err(SobolError::RowLengthMismatch {
            expected: 2,
            got: 3
        })
    );
    let mut buf = [0.0; 2];
    assert_eq!(
        dsg.row_into(64, &mut buf),
        Err(SobolError::RowOutOfRange { row: 64, rows: 64 })
    );
}

#[test]
fn convenience_stops_at_the_first_non_finite_output() {
    let mut calls = 0;
    let result = sobol_indices(2, &SobolConfig::sobol(8), |u| {
        calls += 1;
        if calls == 10 { f64::NAN } else { u[0] }
    });
    assert_eq!(result.err(), Some(SobolError::NonFiniteOutput { row: 9 }));
    assert_eq!(calls, 10);
    // A test function called with the wrong dimension reports NaN, not a panic.
    let result = sobol_indices(2, &SobolConfig::sobol(8), ishigami);
    assert_eq!(result.err(), Some(SobolError::NonFiniteOutput { row: 0 }));
}

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

fn sampling_strategy() -> impl Strategy<Value = Sampling> {
    prop_oneof![
        any::<u64>().prop_map(|seed| Sampling::Random { seed }),
        Just(Sampling::Sobol),
        any::<u64>().prop_map(|seed| Sampling::SobolShifted { seed }),
    ]
}

fn config_strategy() -> impl Strategy<Value = SobolConfig> {
    (
        0usize..40,
        sampling_strategy(),
        0usize..20,
        0usize..4,
        prop_oneof![Just(0.95), any::<f64>(), 0.0..1.0],
        any::<u64>(),
    )
        .prop_map(
            |(n, sampling, bootstrap, replicates, confidence, seed_for_ci)| SobolConfig {
                n,
                sampling,
                bootstrap,
                replicates,
                confidence,
                seed_for_ci,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn design_never_panics_and_stays_inside_the_open_cube(
        d in 0usize..6,
        cfg in config_strategy(),
    ) {
        if let Ok(dsg) = design(d, &cfg) {
            prop_assert_eq!(dsg.len(), cfg.effective_replicates() * cfg.n * (d + 2));
            for row in dsg.rows() {
                prop_assert_eq!(row.len(), d);
                prop_assert!(row.iter().all(|&x| x > 0.0 && x < 1.0));
            }
        }
    }

    #[test]
    fn estimate_never_panics_on_arbitrary_outputs(
        d in 1usize..4,
        cfg in config_strategy(),
        values in prop::collection::vec(
            prop_oneof![any::<f64>(), -1e3..1e3, Just(1.0)], 0..400),
        extra in 0usize..3,
    ) {
        if let Ok(dsg) = design(d, &cfg) {
            // Outputs of the right length (cycling the values) or slightly off.
            let len = if extra == 0 { dsg.len() } else { dsg.len() + extra - 1 };
            let outputs: Vec<f64> = if values.is_empty() {
                vec![0.0; len]
            } else {
                values.iter().copied().cycle().take(len).collect()
            };
            if let Ok(result) = estimate(&dsg, &outputs, &cfg) {
                prop_assert_eq!(result.indices.len(), d);
                // The variance may underflow to 0 for outputs below ~1e-154
                // (the indices, computed on scaled values, do not).
                prop_assert!(result.variance.is_finite() && result.variance >= 0.0);
                for index in &result.indices {
                    prop_assert!(index.first.is_finite());
                    prop_assert!(index.total.is_finite() && index.total >= 0.0);
                    for (lo, hi) in [index.first_ci, index.total_ci].into_iter().flatten() {
                        prop_assert!(lo <= hi);
                    }
                }
            }
        }
    }

    #[test]
    fn total_index_of_an_unused_input_is_exactly_zero(
        seed in any::<u64>(),
        unused in 0usize..3,
    ) {
        let cfg = SobolConfig::random(32, seed).with_bootstrap(0);
        let f = |u: &[f64]| {
            u.iter().enumerate().filter(|(i, _)| *i != unused).map(|(_, x)| x * x).sum::<f64>()
        };
        let result = sobol_indices(3, &cfg, f).unwrap();
        prop_assert_eq!(result.indices[unused].total, 0.0);
        prop_assert_eq!(result.indices[unused].first, 0.0);
    }
}
