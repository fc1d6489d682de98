//! Tests of the spherical geometry module against independent formulas, hand-derived values
//! and brute-force sampling.
//!
//! Reference values marked "40-digit" were computed once with Python's mpmath at 40 significant
//! digits on the same sphere (R = 6371.0088 km), by both the spherical law of cosines and
//! Vincenty's formula on a sphere (the two agree to all printed digits). The tests also recompute
//! them with the independent f64 formulas below, which share no code with the module.

use proptest::prelude::*;
use std::f64::consts::PI;
use vigie::geo::*;

/// Agreement between f64 evaluations of different exact formulas for the same distance (a few
/// hundred ulps of a few hundred km).
const REF_TOL_KM: f64 = 1e-8;
/// A point on a line is at distance 0 up to rounding of unit vectors (1e-16 rad is 6e-10 km).
const ON_LINE_TOL_KM: f64 = 1e-9;
/// Near antipodal points the haversine `asin(sqrt(h))` turns a 1e-16 error of h into about
/// 1e-8 rad, i.e. 6e-5 km; allow for that.
const NEAR_ANTIPODAL_TOL_KM: f64 = 1e-3;
/// distance_to_segment_km against a brute-force minimum refined by golden-section search.
const SEGMENT_TOL_KM: f64 = 1e-6;
/// Triangle inequality slack: two haversine errors near antipodal points (see above).
const TRIANGLE_TOL_KM: f64 = 1e-4;
/// Rounding slack when comparing sampled maxima of the worst-point search.
const WORST_TOL_KM: f64 = 1e-8;

const R: f64 = EARTH_RADIUS_KM;

// Places in western Mali (decimal degrees).
const KAYES: LatLon = LatLon::new(14.44776, -11.44393);
const BAMAKO: LatLon = LatLon::new(12.60915, -7.97522);
const SANDARE: LatLon = LatLon::new(14.70389, -10.30583);
const NIORO: LatLon = LatLon::new(15.23074, -9.59356);
const YELIMANE: LatLon = LatLon::new(15.11868, -10.57729);
const PARIS: LatLon = LatLon::new(48.8566, 2.3522);
const LONDON: LatLon = LatLon::new(51.5074, -0.1278);

// 40-digit references (see the file header).
/// Kayes to Bamako.
const KAYES_BAMAKO_KM: f64 = 427.091_641_350_740_4;
/// Paris (Hotel de Ville) to London (Charing Cross).
const PARIS_LONDON_KM: f64 = 343.556_534_880_883_3;
/// Kayes to Sandare: the length of the one-segment road.
const KAYES_SANDARE_KM: f64 = 125.745_630_902_373_03;
/// Nioro du Sahel to Sandare.
const NIORO_SANDARE_KM: f64 = 96.365_470_564_216_18;
/// Great-circle midpoint of Kayes-Sandare, normalise(a + b) in 40 digits.
const ROAD_MIDPOINT: LatLon = LatLon::new(14.576_513_292_575_997, -10.875_210_747_576_253);
/// (0, 179.9) to (0, -179.9), and (89.9, 0) to (89.9, 180): both 0.2 degrees of great circle,
/// 0.2 * pi / 180 * R.
const TWO_TENTHS_DEGREE_KM: f64 = 22.239_016_046_705_318;

// ---------------------------------------------------------------------------------------------
// Independent formulas (textbook spherical trigonometry, no unit vectors).

/// Spherical law of cosines (accurate enough away from 0 and pi).
fn law_of_cosines_km(a: LatLon, b: LatLon) -> f64 {
    let (p1, p2) = (a.lat.to_radians(), b.lat.to_radians());
    let dl = (b.lon - a.lon).to_radians();
    let c = p1.sin() * p2.sin() + p1.cos() * p2.cos() * dl.cos();
    R * c.clamp(-1.0, 1.0).acos()
}

/// Vincenty's inverse formula specialised to a sphere: accurate at every distance.
fn vincenty_km(a: LatLon, b: LatLon) -> f64 {
    let (p1, p2) = (a.lat.to_radians(), b.lat.to_radians());
    let dl = (b.lon - a.lon).to_radians();
    let y = ((p2.cos() * dl.sin()).powi(2)
        + (p1.cos() * p2.sin() - p1.sin() * p2.cos() * dl.cos()).powi(2))
    .sqrt();
    let x = p1.sin() * p2.sin() + p1.cos() * p2.cos() * dl.cos();
    R * y.atan2(x)
}

/// Destination point from `p` at initial bearing `bearing_deg` after `dist_km` (Ed Williams /
/// movable-type "Destination point"), longitude wrapped into [-180, 180].
fn destination(p: LatLon, bearing_deg: f64, dist_km: f64) -> LatLon {
    let (p1, l1) = (p.lat.to_radians(), p.lon.to_radians());
    let (th, d) = (bearing_deg.to_radians(), dist_km / R);
    let p2 = (p1.sin() * d.cos() + p1.cos() * d.sin() * th.cos())
        .clamp(-1.0, 1.0)
        .asin();
    let l2 = l1 + (th.sin() * d.sin() * p1.cos()).atan2(d.cos() - p1.sin() * p2.sin());
    let lon = (l2.to_degrees() + 540.0).rem_euclid(360.0) - 180.0;
    LatLon::new(p2.to_degrees(), lon)
}

fn to_vec(p: LatLon) -> [f64; 3] {
    let (la, lo) = (p.lat.to_radians(), p.lon.to_radians());
    [la.cos() * lo.cos(), la.cos() * lo.sin(), la.sin()]
}

/// Textbook slerp: the point a fraction t of the way from a to b along the minor arc.
fn slerp(a: LatLon, b: LatLon, t: f64) -> LatLon {
    let (va, vb) = (to_vec(a), to_vec(b));
    let dot: f64 = (0..3).map(|i| va[i] * vb[i]).sum();
    let theta = dot.clamp(-1.0, 1.0).acos();
    if theta < 1e-12 {
        return a;
    }
    let (wa, wb) = (
        ((1.0 - t) * theta).sin() / theta.sin(),
        (t * theta).sin() / theta.sin(),
    );
    let v: Vec<f64> = (0..3).map(|i| wa * va[i] + wb * vb[i]).collect();
    LatLon::new(
        v[2].atan2(v[0].hypot(v[1])).to_degrees(),
        v[1].atan2(v[0]).to_degrees(),
    )
}

/// Whether a box contains q, written from the box's definition rather than SearchBox::contains.
fn box_holds(b: &SearchBox, q: LatLon) -> bool {
    let lat_ok = b.lat_min <= q.lat && q.lat <= b.lat_max;
    let lon_ok = b.lon_ranges.iter().flatten().any(|&(w, e)| {
        (w <= q.lon && q.lon <= e)
            || (q.lon == 180.0 && w <= -180.0)
            || (q.lon == -180.0 && e >= 180.0)
    });
    lat_ok && lon_ok
}

fn assert_close(got: f64, want: f64, tol: f64, what: &str) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, want {want} (+- {tol}), off by {}",
        (got - want).abs()
    );
}

// ---------------------------------------------------------------------------------------------
// haversine_km

#[test]
fn kayes_bamako_matches_independent_formulas() {
    // The reference is about 427.09 km (not 420): both independent formulas reproduce it.
    assert_close(
        law_of_cosines_km(KAYES, BAMAKO),
        KAYES_BAMAKO_KM,
        REF_TOL_KM,
        "law of cosines",
    );
    assert_close(
        vincenty_km(KAYES, BAMAKO),
        KAYES_BAMAKO_KM,
        REF_TOL_KM,
        "vincenty",
    );
    assert_close(
        haversine_km(KAYES, BAMAKO),
        KAYES_BAMAKO_KM,
        REF_TOL_KM,
        "haversine",
    );
    assert_close(
        haversine_km(BAMAKO, KAYES),
        KAYES_BAMAKO_KM,
        REF_TOL_KM,
        "reversed",
    );
}

#[test]
fn paris_london_matches_spherical_value() {
    assert_close(
        vincenty_km(PARIS, LONDON),
        PARIS_LONDON_KM,
        REF_TOL_KM,
        "vincenty",
    );
    assert_close(
        haversine_km(PARIS, LONDON),
        PARIS_LONDON_KM,
        REF_TOL_KM,
        "haversine",
    );
}

#[test]
fn distance_across_the_antimeridian_is_short() {
    let (a, b) = (LatLon::new(0.0, 179.9), LatLon::new(0.0, -179.9));
    assert_close(
        haversine_km(a, b),
        TWO_TENTHS_DEGREE_KM,
        REF_TOL_KM,
        "antimeridian",
    );
    assert_close(
        0.2f64.to_radians() * R,
        TWO_TENTHS_DEGREE_KM,
        REF_TOL_KM,
        "0.2 deg arc",
    );
}

#[test]
fn distance_across_the_pole_is_short() {
    // 89.9N,0 and 89.9N,180 are each 0.1 degree from the pole, on opposite meridians.
    let (a, b) = (LatLon::new(89.9, 0.0), LatLon::new(89.9, 180.0));
    assert_close(
        haversine_km(a, b),
        TWO_TENTHS_DEGREE_KM,
        REF_TOL_KM,
        "north pole",
    );
    let (a, b) = (LatLon::new(-89.9, -90.0), LatLon::new(-89.9, 90.0));
    assert_close(
        haversine_km(a, b),
        TWO_TENTHS_DEGREE_KM,
        REF_TOL_KM,
        "south pole",
    );
}

#[test]
fn antipodal_points_are_half_a_circumference_apart() {
    let half = PI * R;
    for (a, b) in [
        (LatLon::new(0.0, 0.0), LatLon::new(0.0, 180.0)),
        (LatLon::new(90.0, 0.0), LatLon::new(-90.0, 0.0)),
        (LatLon::new(30.0, 40.0), LatLon::new(-30.0, -140.0)),
        (KAYES, LatLon::new(-KAYES.lat, KAYES.lon + 180.0)),
    ] {
        assert_close(haversine_km(a, b), half, NEAR_ANTIPODAL_TOL_KM, "antipodal");
    }
}

#[test]
fn haversine_edge_values() {
    assert_eq!(haversine_km(KAYES, KAYES), 0.0);
    assert!(haversine_km(LatLon::new(f64::NAN, 0.0), KAYES).is_nan());
    assert!(haversine_km(KAYES, LatLon::new(0.0, f64::NAN)).is_nan());
    // Absurd but finite input must not panic or overflow to NaN through the subtraction.
    let d = haversine_km(
        LatLon::new(f64::MAX, f64::MAX),
        LatLon::new(-f64::MAX, -f64::MAX),
    );
    assert!((0.0..=PI * R).contains(&d), "{d}");
}

#[test]
fn validation_helpers() {
    assert!(valid_lat(90.0) && valid_lat(-90.0) && valid_lat(0.0));
    assert!(!valid_lat(90.000001) && !valid_lat(-91.0) && !valid_lat(f64::NAN));
    assert!(valid_lon(180.0) && valid_lon(-180.0));
    assert!(!valid_lon(180.5) && !valid_lon(f64::INFINITY) && !valid_lon(f64::NAN));
}

// ---------------------------------------------------------------------------------------------
// unit_vector and min_dot_within

#[test]
fn unit_vector_axes() {
    let close = |v: [f64; 3], w: [f64; 3]| (0..3).all(|i| (v[i] - w[i]).abs() < 1e-15);
    assert!(close(unit_vector(LatLon::new(0.0, 0.0)), [1.0, 0.0, 0.0]));
    assert!(close(unit_vector(LatLon::new(0.0, 90.0)), [0.0, 1.0, 0.0]));
    assert!(close(unit_vector(LatLon::new(90.0, 33.0)), [0.0, 0.0, 1.0]));
}

#[test]
fn min_dot_within_thresholds() {
    assert_eq!(min_dot_within(0.0), 1.0);
    assert_eq!(min_dot_within(PI * R), -1.0);
    assert_eq!(min_dot_within(1e9), -1.0);
    assert_eq!(min_dot_within(f64::INFINITY), -1.0);
    assert_eq!(min_dot_within(-1.0), f64::INFINITY);
    assert!(min_dot_within(f64::NAN).is_nan());
    // Bamako is within 430 km of Kayes and not within 425 km.
    let dot = |a: [f64; 3], b: [f64; 3]| a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    let d = dot(unit_vector(KAYES), unit_vector(BAMAKO));
    assert!(d >= min_dot_within(430.0));
    assert!(d < min_dot_within(425.0));
}

// ---------------------------------------------------------------------------------------------
// distance_to_segment_km

#[test]
fn cross_track_beside_an_equatorial_segment() {
    // The nearest point of the equator to (lat, lon) is (0, lon), so where lon is inside the
    // segment the distance is |lat| degrees of arc.
    let (a, b) = (LatLon::new(0.0, -10.0), LatLon::new(0.0, 10.0));
    for (lat, lon) in [
        (0.5, 0.0),
        (-3.0, 0.0),
        (10.0, 0.0),
        (45.0, 0.0),
        (5.0, 7.0),
        (-80.0, -9.0),
    ] {
        let want = f64::abs(lat).to_radians() * R;
        let got = distance_to_segment_km(LatLon::new(lat, lon), a, b);
        assert_close(got, want, REF_TOL_KM, "cross-track");
        assert_close(
            distance_to_segment_km(LatLon::new(lat, lon), b, a),
            want,
            REF_TOL_KM,
            "reversed",
        );
    }
}

#[test]
fn beyond_either_end_the_nearer_end_counts() {
    let (a, b) = (LatLon::new(0.0, -10.0), LatLon::new(0.0, 10.0));
    for (p, end) in [
        (LatLon::new(2.0, 15.0), b),
        (LatLon::new(0.0, 30.0), b),
        (LatLon::new(-1.0, -20.0), a),
        (LatLon::new(60.0, -100.0), a),
    ] {
        assert_close(
            distance_to_segment_km(p, a, b),
            vincenty_km(p, end),
            REF_TOL_KM,
            "end",
        );
    }
}

#[test]
fn on_the_segment_is_zero() {
    let (a, b) = (LatLon::new(0.0, -10.0), LatLon::new(0.0, 10.0));
    assert!(distance_to_segment_km(LatLon::new(0.0, 3.3), a, b) < ON_LINE_TOL_KM);
    assert!(distance_to_segment_km(ROAD_MIDPOINT, KAYES, SANDARE) < ON_LINE_TOL_KM);
    assert!(distance_to_segment_km(KAYES, KAYES, SANDARE) < ON_LINE_TOL_KM);
    assert!(distance_to_segment_km(SANDARE, KAYES, SANDARE) < ON_LINE_TOL_KM);
    for t in [0.1, 0.37, 0.9] {
        let p = slerp(KAYES, SANDARE, t);
        assert!(
            distance_to_segment_km(p, KAYES, SANDARE) < ON_LINE_TOL_KM,
            "t = {t}"
        );
    }
}

#[test]
fn segments_across_the_antimeridian_and_over_a_pole() {
    // Equatorial segment from 170E to 170W, the short way across 180.
    let (a, b) = (LatLon::new(0.0, 170.0), LatLon::new(0.0, -170.0));
    assert_close(
        distance_to_segment_km(LatLon::new(1.0, 180.0), a, b),
        1f64.to_radians() * R,
        REF_TOL_KM,
        "180",
    );
    assert_close(
        distance_to_segment_km(LatLon::new(1.0, -175.0), a, b),
        1f64.to_radians() * R,
        REF_TOL_KM,
        "-175",
    );
    // Meridian segment from 80N,0 over the pole to 80N,180: the pole is on it.
    let (a, b) = (LatLon::new(80.0, 0.0), LatLon::new(80.0, 180.0));
    assert!(distance_to_segment_km(LatLon::new(90.0, 0.0), a, b) < ON_LINE_TOL_KM);
    // 89N,90E is 1 degree from the pole, whose nearest segment point is the pole itself.
    assert_close(
        distance_to_segment_km(LatLon::new(89.0, 90.0), a, b),
        1f64.to_radians() * R,
        REF_TOL_KM,
        "pole",
    );
}

#[test]
fn degenerate_segments_use_their_ends() {
    let p = BAMAKO;
    assert_close(
        distance_to_segment_km(p, KAYES, KAYES),
        KAYES_BAMAKO_KM,
        REF_TOL_KM,
        "a == b",
    );
    // Antipodal ends: no unique arc, so only the ends count.
    let (a, b) = (LatLon::new(0.0, 0.0), LatLon::new(0.0, 180.0));
    let p = LatLon::new(10.0, 90.0);
    let want = vincenty_km(p, a).min(vincenty_km(p, b));
    assert_close(
        distance_to_segment_km(p, a, b),
        want,
        REF_TOL_KM,
        "antipodal",
    );
    assert!(distance_to_segment_km(LatLon::new(f64::NAN, 0.0), a, b).is_nan());
    assert!(distance_to_segment_km(p, a, LatLon::new(0.0, f64::NAN)).is_nan());
    assert!(distance_to_segment_km(p, LatLon::new(f64::INFINITY, 0.0), b).is_nan());
}

/// A point on the globe or within 3000 km of `near`, biased towards poles and the antimeridian.
fn lat_strategy() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => -90.0..=90.0f64,
        1 => 85.0..=90.0f64,
        1 => -90.0..=-85.0f64,
        1 => Just(90.0),
        1 => Just(-90.0),
        1 => Just(0.0),
    ]
}

fn lon_strategy() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => -180.0..=180.0f64,
        1 => 175.0..=180.0f64,
        1 => -180.0..=-175.0f64,
        1 => Just(180.0),
        1 => Just(-180.0),
    ]
}

fn point() -> impl Strategy<Value = LatLon> {
    (lat_strategy(), lon_strategy()).prop_map(|(lat, lon)| LatLon::new(lat, lon))
}

/// Golden-section minimum of f over [lo, hi] (f unimodal there), evaluated at real points.
fn golden_min(f: impl Fn(f64) -> f64, mut lo: f64, mut hi: f64) -> f64 {
    let g = (5f64.sqrt() - 1.0) / 2.0;
    let (mut x1, mut x2) = (hi - g * (hi - lo), lo + g * (hi - lo));
    let (mut f1, mut f2) = (f(x1), f(x2));
    for _ in 0..120 {
        if f1 <= f2 {
            hi = x2;
            (x2, f2) = (x1, f1);
            x1 = hi - g * (hi - lo);
            f1 = f(x1);
        } else {
            lo = x1;
            (x1, f1) = (x2, f2);
            x2 = lo + g * (hi - lo);
            f2 = f(x2);
        }
    }
    f1.min(f2)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// distance_to_segment_km against 20,000 slerp pieces of the segment. With spacing
    /// s = len / 20,000 <= 0.1 km every point of the segment is within s/2 of a sample and
    /// distance is 1-Lipschitz, so true <= brute <= true + s/2. Golden-section search around the
    /// best sample then pins the true minimum to well below SEGMENT_TOL_KM.
    #[test]
    fn segment_distance_matches_brute_force(
        a in point(),
        seg_bearing in 0.0..360.0f64,
        len in 0.0..=2000.0f64,
        far in point(),
        use_far in any::<bool>(),
        p_bearing in 0.0..360.0f64,
        p_dist in 0.0..3000.0f64,
    ) {
        const PIECES: usize = 20_000;
        let b = destination(a, seg_bearing, len);
        let p = if use_far { far } else { destination(a, p_bearing, p_dist) };
        let d = distance_to_segment_km(p, a, b);

        let f = |t: f64| vincenty_km(p, slerp(a, b, t));
        let (mut brute, mut best_k) = (f64::INFINITY, 0);
        for k in 0..=PIECES {
            let dk = f(k as f64 / PIECES as f64);
            if dk < brute {
                (brute, best_k) = (dk, k);
            }
        }
        let lo = best_k.saturating_sub(1) as f64 / PIECES as f64;
        let hi = (best_k + 1).min(PIECES) as f64 / PIECES as f64;
        let refined = brute.min(golden_min(f, lo, hi));
        let spacing = vincenty_km(a, b) / PIECES as f64;

        prop_assert!(d <= brute + SEGMENT_TOL_KM, "d {d} exceeds brute force {brute}");
        prop_assert!(d >= brute - spacing / 2.0 - SEGMENT_TOL_KM, "d {d} below sampling bound of {brute}");
        prop_assert!((d - refined).abs() <= SEGMENT_TOL_KM, "d {d} vs refined {refined}");
    }
}

// ---------------------------------------------------------------------------------------------
// distance_to_polyline_km and nearest_approach_km

#[test]
fn polyline_on_the_kayes_sandare_road() {
    let road = [KAYES, SANDARE];
    assert!(distance_to_polyline_km(KAYES, &road) < ON_LINE_TOL_KM);
    assert!(distance_to_polyline_km(SANDARE, &road) < ON_LINE_TOL_KM);
    assert!(distance_to_polyline_km(ROAD_MIDPOINT, &road) < ON_LINE_TOL_KM);
    // Nioro du Sahel projects onto the great circle beyond Sandare, so the Sandare end counts:
    // 96.37 km, against 217.1 km to Kayes.
    let d = distance_to_polyline_km(NIORO, &road);
    assert_close(d, NIORO_SANDARE_KM, REF_TOL_KM, "Nioro");
    assert_close(
        vincenty_km(NIORO, SANDARE),
        NIORO_SANDARE_KM,
        REF_TOL_KM,
        "Nioro-Sandare",
    );
}

#[test]
fn polyline_edge_cases() {
    assert!(distance_to_polyline_km(KAYES, &[]).is_nan());
    assert_close(
        distance_to_polyline_km(BAMAKO, &[KAYES]),
        KAYES_BAMAKO_KM,
        REF_TOL_KM,
        "single point",
    );
    // Repeated vertices are harmless.
    let line = [KAYES, KAYES, SANDARE, SANDARE];
    assert_close(
        distance_to_polyline_km(NIORO, &line),
        NIORO_SANDARE_KM,
        REF_TOL_KM,
        "repeats",
    );
    // The minimum is over every segment: Bamako is the nearest vertex of this line.
    let line = [KAYES, SANDARE, BAMAKO];
    assert!(distance_to_polyline_km(BAMAKO, &line) < ON_LINE_TOL_KM);
    assert!(distance_to_polyline_km(KAYES, &[SANDARE, LatLon::new(f64::NAN, 1.0)]).is_nan());
    assert!(distance_to_polyline_km(LatLon::new(f64::NAN, 1.0), &[SANDARE]).is_nan());
}

#[test]
fn nearest_approach_picks_the_closest_target() {
    let road = [KAYES, SANDARE];
    let targets = [BAMAKO, NIORO, YELIMANE];
    let (d, i) = nearest_approach_km(&road, &targets).unwrap();
    assert_eq!(i, 2, "Yelimane is the nearest to the road");
    assert_close(d, distance_to_polyline_km(YELIMANE, &road), 0.0, "distance");
    // Ties go to the first.
    assert_eq!(nearest_approach_km(&road, &[NIORO, NIORO]).unwrap().1, 0);
    assert_eq!(nearest_approach_km(&road, &[]), None);
    assert_eq!(nearest_approach_km(&[], &targets), None);
    let (d, i) = nearest_approach_km(&road, &[NIORO, LatLon::new(f64::NAN, 0.0)]).unwrap();
    assert!(d.is_nan());
    assert_eq!(i, 1);
}

// ---------------------------------------------------------------------------------------------
// worst_point_distance_km

/// Dense reference for the worst point: every segment cut into pieces of at most `step_km`,
/// distances by Vincenty's formula.
fn dense_worst(line: &[LatLon], targets: &[LatLon], step_km: f64) -> f64 {
    let nearest = |p: LatLon| {
        targets
            .iter()
            .map(|&t| vincenty_km(p, t))
            .fold(f64::INFINITY, f64::min)
    };
    let mut worst = nearest(line[0]);
    for w in line.windows(2) {
        let pieces = (vincenty_km(w[0], w[1]) / step_km).ceil().max(1.0) as usize;
        for k in 1..=pieces {
            worst = worst.max(nearest(slerp(w[0], w[1], k as f64 / pieces as f64)));
        }
    }
    worst
}

#[test]
fn worst_point_on_the_kayes_sandare_road() {
    // Kayes and Sandare cover the ends; Yelimane (15.119N) lies north of the road but the point
    // equidistant from Kayes and Sandare, the road's midpoint, is still 68.26 km from it. So the
    // gap is half the road length, 125.7456 / 2 = 62.8728 km, at the midpoint (40-digit check).
    let road = [KAYES, SANDARE];
    let targets = [KAYES, SANDARE, YELIMANE];
    let half_road = KAYES_SANDARE_KM / 2.0;
    assert_close(
        vincenty_km(ROAD_MIDPOINT, YELIMANE),
        68.262_611_038_248_46,
        REF_TOL_KM,
        "Yelimane",
    );
    assert_close(
        vincenty_km(ROAD_MIDPOINT, KAYES),
        half_road,
        REF_TOL_KM,
        "half road",
    );

    for step in [1.0, 1.3, 5.0, 0.25] {
        let (d, at) = worst_point_distance_km(&road, &targets, step);
        // Never above the true maximum, at most step/2 below it.
        assert!(d <= half_road + WORST_TOL_KM, "step {step}: {d}");
        assert!(
            d >= half_road - step / 2.0 - WORST_TOL_KM,
            "step {step}: {d}"
        );
        // The point is on the road, within step/2 of the midpoint, and really that far away.
        assert!(distance_to_polyline_km(at, &road) < ON_LINE_TOL_KM);
        assert!(vincenty_km(at, ROAD_MIDPOINT) <= step / 2.0 + WORST_TOL_KM);
        let nearest = targets
            .iter()
            .map(|&t| vincenty_km(at, t))
            .fold(f64::INFINITY, f64::min);
        assert_close(d, nearest, WORST_TOL_KM, "distance at the returned point");
        // Against an independent dense sampling (spacing 10 m).
        let dense = dense_worst(&road, &targets, 0.01);
        assert!(d <= dense + 0.005 + WORST_TOL_KM && dense <= d + step / 2.0 + WORST_TOL_KM);
    }
    // 126 pieces of 0.998 km put a sample exactly on the midpoint.
    let (d, at) = worst_point_distance_km(&road, &targets, 1.0);
    assert_close(d, half_road, REF_TOL_KM, "exact midpoint");
    assert!(
        (at.lat - 14.5765).abs() < 1e-3 && (at.lon + 10.8752).abs() < 1e-3,
        "{at:?}"
    );
}

#[test]
fn worst_point_edge_cases() {
    let road = [KAYES, SANDARE];
    let (d, at) = worst_point_distance_km(&road, &[], 1.0);
    assert_eq!((d, at), (f64::INFINITY, KAYES));
    let (d, at) = worst_point_distance_km(&[], &[KAYES], 1.0);
    assert!(d.is_nan() && at.lat.is_nan() && at.lon.is_nan());
    for step in [0.0, -1.0, f64::NAN] {
        assert!(
            worst_point_distance_km(&road, &[KAYES], step).0.is_nan(),
            "step {step}"
        );
    }
    assert!(
        worst_point_distance_km(&road, &[LatLon::new(f64::NAN, 0.0)], 1.0)
            .0
            .is_nan()
    );
    assert!(
        worst_point_distance_km(&[KAYES, LatLon::new(0.0, f64::NAN)], &[KAYES], 1.0)
            .0
            .is_nan()
    );
    // A single vertex is its own line; an infinite step samples only vertices.
    assert_close(
        worst_point_distance_km(&[BAMAKO], &[KAYES], 1.0).0,
        KAYES_BAMAKO_KM,
        REF_TOL_KM,
        "single",
    );
    let (d, at) = worst_point_distance_km(&road, &[KAYES], f64::INFINITY);
    assert_close(d, KAYES_SANDARE_KM, REF_TOL_KM, "vertices only");
    assert_eq!(at, SANDARE);
    // A ridiculous step is capped rather than looping forever (about 2^20 samples here).
    let (d, _) = worst_point_distance_km(&[KAYES, SANDARE], &[KAYES], 1e-300);
    assert_close(d, KAYES_SANDARE_KM, REF_TOL_KM, "tiny step");
}

fn polyline(max_vertices: usize, max_leg_km: f64) -> impl Strategy<Value = Vec<LatLon>> {
    (
        point(),
        prop::collection::vec((0.0..360.0f64, 0.0..=max_leg_km), 0..max_vertices),
    )
        .prop_map(|(first, legs)| {
            let mut line = vec![first];
            for (bearing, dist) in legs {
                let last = *line.last().unwrap();
                line.push(destination(last, bearing, dist));
            }
            line
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// With T the true maximum: w <= T <= w + step/2 and dense <= T <= dense + dense_step/2.
    #[test]
    fn worst_point_is_within_half_a_step(
        line in polyline(4, 300.0),
        spots in prop::collection::vec((0.0..360.0f64, 0.0..500.0f64), 1..5),
        step in 0.5..20.0f64,
    ) {
        const DENSE_STEP: f64 = 0.05;
        let targets: Vec<LatLon> = spots.iter().map(|&(b, d)| destination(line[0], b, d)).collect();
        let (w, at) = worst_point_distance_km(&line, &targets, step);
        let dense = dense_worst(&line, &targets, DENSE_STEP);
        prop_assert!(w <= dense + DENSE_STEP / 2.0 + WORST_TOL_KM, "w {w} dense {dense}");
        prop_assert!(dense <= w + step / 2.0 + WORST_TOL_KM, "w {w} dense {dense}");
        prop_assert!(distance_to_polyline_km(at, &line) < ON_LINE_TOL_KM);
        let nearest = targets.iter().map(|&t| vincenty_km(at, t)).fold(f64::INFINITY, f64::min);
        prop_assert!((w - nearest).abs() <= WORST_TOL_KM, "w {w} at {at:?} is {nearest}");
        for &v in &line {
            let at_v = targets.iter().map(|&t| vincenty_km(v, t)).fold(f64::INFINITY, f64::min);
            prop_assert!(w >= at_v - WORST_TOL_KM, "vertex {v:?} is worse: {at_v} > {w}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// search_box

#[test]
fn search_box_around_an_equatorial_point() {
    // 1 degree of arc around (0, 0): band +-1 degree, one range +-1 degree (plus the 1 m margin).
    let r = 1f64.to_radians() * R;
    let b = search_box(&[LatLon::new(0.0, 0.0)], r);
    assert!(b.lat_min <= -1.0 && b.lat_min > -1.0001, "{b:?}");
    assert!(b.lat_max >= 1.0 && b.lat_max < 1.0001, "{b:?}");
    let (w, e) = b.lon_ranges[0].unwrap();
    assert!(
        (-1.0001..=-1.0).contains(&w) && (1.0..1.0001).contains(&e),
        "{b:?}"
    );
    assert_eq!(b.lon_ranges[1], None);
}

#[test]
fn search_box_widens_in_longitude_at_high_latitude() {
    // At 60N a circle spans asin(sin r / cos 60) ~ 2 r of longitude each way.
    let r = 1f64.to_radians() * R;
    let b = search_box(&[LatLon::new(60.0, 10.0)], r);
    let (w, e) = b.lon_ranges[0].unwrap();
    let half = (1f64.to_radians().sin() / 60f64.to_radians().cos())
        .asin()
        .to_degrees();
    assert!(
        (10.0 - w - half).abs() < 1e-3 && (e - 10.0 - half).abs() < 1e-3,
        "{b:?}"
    );
    // The point due east at that distance reaches only ~ half, and is inside.
    assert!(b.contains(destination(LatLon::new(60.0, 10.0), 90.0, r)));
}

#[test]
fn search_box_splits_at_the_antimeridian() {
    let r = 1f64.to_radians() * R;
    let b = search_box(&[LatLon::new(0.0, 179.5)], r);
    let (w1, e1) = b.lon_ranges[0].unwrap();
    let (w2, e2) = b.lon_ranges[1].unwrap();
    assert!((w1 - 178.5).abs() < 1e-3 && e1 == 180.0, "{b:?}");
    assert!(w2 == -180.0 && (e2 + 179.5).abs() < 1e-3, "{b:?}");
    assert!(b.contains(LatLon::new(0.0, -179.6)) && b.contains(LatLon::new(0.0, 180.0)));
    assert!(!b.contains(LatLon::new(0.0, -179.0)) && !b.contains(LatLon::new(0.0, 178.0)));
    // A road crossing the antimeridian is one connected range split in two.
    let b = search_box(
        &[LatLon::new(-17.0, 178.0), LatLon::new(-16.0, -179.0)],
        10.0,
    );
    assert!(
        b.lon_ranges[0].unwrap().0 < 178.0 && b.lon_ranges[1].unwrap().1 > -179.0,
        "{b:?}"
    );
    assert!(b.contains(LatLon::new(-16.5, 179.9)) && !b.contains(LatLon::new(-16.5, 0.0)));
}

#[test]
fn search_box_near_a_pole_is_full_longitude() {
    let b = search_box(&[LatLon::new(89.5, 0.0)], 100.0);
    assert_eq!(b.lon_ranges, SearchBox::WORLD.lon_ranges);
    assert_eq!(b.lat_max, 90.0);
    assert!(b.lat_min < 89.5 - 100.0 / R * 180.0 / PI + 1e-6);
    // A segment passing over the pole reaches it even though both ends are at 80N.
    let b = search_box(&[LatLon::new(80.0, 0.0), LatLon::new(80.0, 180.0)], 0.0);
    assert_eq!(
        (b.lat_max, b.lon_ranges),
        (90.0, SearchBox::WORLD.lon_ranges)
    );
    let b = search_box(&[LatLon::new(-89.99, 45.0)], 5.0);
    assert_eq!(
        (b.lat_min, b.lon_ranges),
        (-90.0, SearchBox::WORLD.lon_ranges)
    );
}

#[test]
fn search_box_covers_the_poleward_bulge_of_a_segment() {
    // From 60N,0 to 60N,90 the great circle peaks midway at atan(tan 60 / cos 45) = 67.79N
    // (Napier's rules on the right triangle from the vertex), 7.8 degrees above the ends.
    let (a, b) = (LatLon::new(60.0, 0.0), LatLon::new(60.0, 90.0));
    let peak = (60f64.to_radians().tan() / 45f64.to_radians().cos())
        .atan()
        .to_degrees();
    assert!((peak - 67.79).abs() < 0.01);
    let bx = search_box(&[a, b], 0.0);
    assert!(bx.lat_max >= peak && bx.lat_max < peak + 1e-4, "{bx:?}");
    assert!(bx.lat_min <= 60.0 && bx.lat_min > 60.0 - 1e-4, "{bx:?}");
    assert!(bx.contains(slerp(a, b, 0.5)));
    // Mirrored in the south.
    let bx = search_box(&[LatLon::new(-60.0, 0.0), LatLon::new(-60.0, 90.0)], 0.0);
    assert!(bx.lat_min <= -peak && bx.lat_min > -peak - 1e-4, "{bx:?}");
}

#[test]
fn search_box_edge_cases() {
    let e = search_box(&[], 10.0);
    assert!(e.lat_min.is_nan() && e.lat_max.is_nan() && e.lon_ranges == [None, None]);
    assert!(!e.contains(KAYES));
    assert!(search_box(&[KAYES], f64::NAN).lat_min.is_nan());
    assert!(
        search_box(&[LatLon::new(f64::NAN, 0.0)], 1.0)
            .lat_min
            .is_nan()
    );
    assert_eq!(search_box(&[KAYES], PI * R), SearchBox::WORLD);
    assert_eq!(search_box(&[KAYES], f64::INFINITY), SearchBox::WORLD);
    assert_eq!(
        search_box(&[LatLon::new(0.0, 0.0), LatLon::new(0.0, 180.0)], 1.0),
        SearchBox::WORLD
    );
    // A negative radius counts as zero: the site itself is still inside.
    let b = search_box(&[KAYES, SANDARE], -5.0);
    assert!(b.contains(KAYES) && b.contains(SANDARE) && b.contains(ROAD_MIDPOINT));
    // A polyline winding all the way round the equator spans every longitude.
    let ring: Vec<LatLon> = (0..=8)
        .map(|k| LatLon::new(1.0, -180.0 + 45.0 * k as f64))
        .collect();
    assert_eq!(
        search_box(&ring, 1.0).lon_ranges,
        SearchBox::WORLD.lon_ranges
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// Points within the radius of any point of a random polyline (centres biased to the poles
    /// and the antimeridian) are all inside its search box, including points exactly at the
    /// radius (the destination formula, Ed Williams / movable-type, puts them there).
    #[test]
    fn search_box_never_misses(
        line in polyline(4, 3000.0),
        radius in prop_oneof![Just(0.0), 0.0..50.0f64, 0.0..3000.0f64, 3000.0..21_000.0f64],
        seg in any::<prop::sample::Index>(),
        t in 0.0..=1.0f64,
        bearing in 0.0..360.0f64,
        frac in prop_oneof![Just(1.0), Just(0.0), 0.0..=1.0f64],
    ) {
        let b = search_box(&line, radius);
        prop_assert!(b.lat_min <= b.lat_max && b.lat_min >= -90.0 && b.lat_max <= 90.0, "{b:?}");
        for &(w, e) in b.lon_ranges.iter().flatten() {
            prop_assert!((-180.0..=180.0).contains(&w) && (-180.0..=180.0).contains(&e) && w <= e, "{b:?}");
        }
        for &v in &line {
            prop_assert!(box_holds(&b, v), "vertex {v:?} outside {b:?}");
        }
        let site = if line.len() == 1 {
            line[0]
        } else {
            let i = seg.index(line.len() - 1);
            slerp(line[i], line[i + 1], t)
        };
        let q = destination(site, bearing, radius * frac);
        prop_assert!(box_holds(&b, q), "{q:?} ({} km from {site:?}) outside {b:?}", radius * frac);
        prop_assert!(b.contains(q), "contains() disagrees for {q:?} in {b:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// General properties

proptest! {
    #[test]
    fn haversine_is_a_metric(a in point(), b in point(), c in point()) {
        let (ab, ba, bc, ac) = (haversine_km(a, b), haversine_km(b, a), haversine_km(b, c), haversine_km(a, c));
        prop_assert_eq!(ab, ba);
        prop_assert_eq!(haversine_km(a, a), 0.0);
        prop_assert!((0.0..=PI * R).contains(&ab));
        prop_assert!(ac <= ab + bc + TRIANGLE_TOL_KM, "{ac} > {ab} + {bc}");
        let tol = if ab > 19_000.0 { NEAR_ANTIPODAL_TOL_KM } else { REF_TOL_KM };
        prop_assert!((ab - vincenty_km(a, b)).abs() <= tol);
    }

    #[test]
    fn unit_vectors_are_unit(p in point()) {
        let v = unit_vector(p);
        prop_assert!((v[0] * v[0] + v[1] * v[1] + v[2] * v[2] - 1.0).abs() < 1e-15);
    }

    /// Any f64 at all (NaN, infinities, huge values): no panic, and NaN in gives NaN out.
    #[test]
    fn no_panics_on_any_input(
        c in prop::collection::vec(any::<f64>(), 8),
        radius in any::<f64>(),
        step in prop_oneof![Just(f64::NAN), Just(0.0), Just(-1.0), Just(f64::INFINITY), 1.0..1e6f64],
    ) {
        let (p, a, b, t) = (LatLon::new(c[0], c[1]), LatLon::new(c[2], c[3]), LatLon::new(c[4], c[5]), LatLon::new(c[6], c[7]));
        let any_nan = c.iter().any(|x| x.is_nan());
        let results = [
            haversine_km(p, a),
            distance_to_segment_km(p, a, b),
            distance_to_polyline_km(p, &[a, b]),
            worst_point_distance_km(&[a, b], &[p, t], step).0,
            nearest_approach_km(&[a, b], &[p, t]).unwrap().0,
            search_box(&[a, b], radius).lat_min,
            min_dot_within(radius),
        ];
        let _ = unit_vector(p);
        if any_nan {
            // The first two only see p and a (and b); check the ones that see everything.
            prop_assert!(results[3].is_nan() && results[4].is_nan(), "{results:?}");
        }
        for (i, r) in results.iter().enumerate() {
            prop_assert!(!r.is_infinite() || i == 6 || i == 3, "result {i} infinite: {results:?}");
        }
    }

    #[test]
    fn nan_coordinates_give_nan(p in point(), a in point(), b in point(), which in 0..6usize) {
        let mut c = [p.lat, p.lon, a.lat, a.lon, b.lat, b.lon];
        c[which] = f64::NAN;
        let (p, a, b) = (LatLon::new(c[0], c[1]), LatLon::new(c[2], c[3]), LatLon::new(c[4], c[5]));
        prop_assert!(distance_to_segment_km(p, a, b).is_nan());
        prop_assert!(distance_to_polyline_km(p, &[a, b]).is_nan());
        prop_assert!(worst_point_distance_km(&[a, b], &[p], 10.0).0.is_nan());
        prop_assert!(nearest_approach_km(&[a, b], &[p]).unwrap().0.is_nan());
        prop_assert!(search_box(&[p, a, b], 10.0).lat_min.is_nan());
        if which < 4 {
            prop_assert!(haversine_km(p, a).is_nan());
        }
    }
}
