//! Spherical-earth geometry for conflict-exposure indicators: distances between conflict events, a project site (a point, or a polyline such as a road) and army positions, and a conservative search box for a grid index.
//!
//! The earth is a sphere of the IUGG mean radius. Against the WGS84 ellipsoid this is off by
//! at most about 0.5 % of a distance, which is far below the uncertainty of geolocated conflict
//! events (often placed at a village or district centroid), so the simpler and faster model wins.
//!
//! Most of the work is done with unit vectors rather than latitude/longitude trigonometry: vector
//! formulas have no singularity at the poles or the antimeridian and stay accurate for both very
//! short and very long segments. Nothing here allocates.
//!
//! Inputs are not validated (use [`valid_lat`] and [`valid_lon`] at the boundary of the
//! library). Every function is total: any finite input gives a result without panicking, and a
//! NaN (or infinite) coordinate gives NaN.

use serde::Serialize;
use std::f64::consts::PI;

/// Mean earth radius (IUGG), km.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// A segment whose end points' unit vectors are closer than this chord (radians, about 6 µm on
/// the ground) is treated as a single point: its great circle is not worth determining, and the
/// error of using the end points is at most half its length.
const POINT_CHORD: f64 = 1e-12;

/// A segment whose end points are this close to antipodal (|a + b|, about the angular gap from
/// antipodal in radians, i.e. 6 cm on the ground) has no well-defined great circle: every half
/// great circle joins the two points, and the computed normal would be dominated by rounding. Such
/// a segment is treated as its two end points (and [`search_box`] returns the whole world for it).
const ANTIPODAL_SUM: f64 = 1e-8;

/// Upper bound on the subdivisions of one segment in [`worst_point_distance_km`], so that a tiny
/// `step_km` cannot make the call run (practically) forever. At this cap even a half-circumference
/// segment is sampled every 20 m.
const MAX_SUBDIVISIONS: usize = 1 << 20;

/// Extra radius added by [`search_box`] to absorb floating-point rounding (a metre is many orders
/// of magnitude above the rounding error, and costs a grid index nothing).
const SEARCH_MARGIN_KM: f64 = 1e-3;

/// A point in degrees (WGS84 latitude and longitude, used on a sphere).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LatLon {
    /// Latitude in degrees, north positive, valid range -90..=90.
    pub lat: f64,
    /// Longitude in degrees, east positive, valid range -180..=180.
    pub lon: f64,
}

impl LatLon {
    /// A point from latitude and longitude in degrees.
    pub const fn new(lat: f64, lon: f64) -> Self {
        Self { lat, lon }
    }
}

const NAN_POINT: LatLon = LatLon::new(f64::NAN, f64::NAN);

/// Whether `lat` is a valid latitude in degrees (-90..=90; NaN is not).
pub fn valid_lat(lat: f64) -> bool {
    (-90.0..=90.0).contains(&lat)
}

/// Whether `lon` is a valid longitude in degrees (-180..=180; NaN is not).
pub fn valid_lon(lon: f64) -> bool {
    (-180.0..=180.0).contains(&lon)
}

/// Great-circle distance in km between two points.
///
/// Uses the haversine form `2 R asin(sqrt(h))`, which is accurate for short distances (where the
/// spherical law of cosines loses digits). Near antipodal points `asin` is ill-conditioned and
/// the result carries an error of up to about 0.1 m; that is irrelevant at such distances.
pub fn haversine_km(a: LatLon, b: LatLon) -> f64 {
    let (phi1, phi2) = (a.lat.to_radians(), b.lat.to_radians());
    // Differences are taken in radians, not degrees: radians are smaller, so even f64::MAX
    // degrees cannot overflow the subtraction into an infinity.
    let half_dphi = 0.5 * (phi2 - phi1);
    let half_dlambda = 0.5 * (b.lon.to_radians() - a.lon.to_radians());
    let h = half_dphi.sin().powi(2) + phi1.cos() * phi2.cos() * half_dlambda.sin().powi(2);
    // Rounding can push h a hair outside [0, 1], where sqrt or asin would give NaN.
    // (clamp keeps a NaN h as NaN, so NaN inputs still give NaN.)
    2.0 * EARTH_RADIUS_KM * h.clamp(0.0, 1.0).sqrt().asin()
}

/// Unit vector (x, y, z) of a point, for fast "within radius" tests by dot product.
///
/// x points to (0, 0), y to (0, 90 E), z to the north pole.
pub fn unit_vector(p: LatLon) -> [f64; 3] {
    let (sin_lat, cos_lat) = p.lat.to_radians().sin_cos();
    let (sin_lon, cos_lon) = p.lon.to_radians().sin_cos();
    [cos_lat * cos_lon, cos_lat * sin_lon, sin_lat]
}

/// The smallest dot product of unit vectors of two points within `radius_km` of each other:
/// cos(radius / R) (for radius >= pi R, -1).
///
/// `dot(unit_vector(p), unit_vector(q)) >= min_dot_within(r)` then means "q is within r of p".
/// A negative radius gives +infinity (no point is within it) and NaN gives NaN.
///
/// Precision: a dot product of unit vectors carries a rounding error of about 1e-16, and cos is
/// flat near 0, so the test only resolves distances near the boundary to about
/// `R * sqrt(2e-16)`, i.e. 0.1 m. Use it as a fast filter and confirm with [`haversine_km`] where
/// the exact boundary matters (or pad the radius by a metre when it must never miss).
pub fn min_dot_within(radius_km: f64) -> f64 {
    if radius_km.is_nan() {
        f64::NAN
    } else if radius_km < 0.0 {
        f64::INFINITY
    } else if radius_km >= PI * EARTH_RADIUS_KM {
        -1.0
    } else {
        (radius_km / EARTH_RADIUS_KM).cos()
    }
}

/// Great-circle distance from p to the segment a-b: the cross-track distance where the
/// along-track position of p's projection falls inside the segment, else the distance to the
/// nearer end.
///
/// The segment is the shorter great-circle arc from a to b. Degenerate segments are handled
/// without a great circle: a == b (closer than about 6 µm) is a point, and (near-)antipodal a and
/// b, which no unique arc joins, count as their two end points only.
pub fn distance_to_segment_km(p: LatLon, a: LatLon, b: LatLon) -> f64 {
    let (vp, va, vb) = (unit_vector(p), unit_vector(a), unit_vector(b));
    angle_to_segment(vp, va, vb) * EARTH_RADIUS_KM
}

/// Distance from p to the nearest point of a polyline (min over segments; a single point =
/// point distance; empty = NaN).
pub fn distance_to_polyline_km(p: LatLon, line: &[LatLon]) -> f64 {
    let vp = unit_vector(p);
    let angle = match line {
        [] => f64::NAN,
        [only] => angle_between(vp, unit_vector(*only)),
        _ => line.windows(2).fold(f64::INFINITY, |best, w| {
            nan_min(
                best,
                angle_to_segment(vp, unit_vector(w[0]), unit_vector(w[1])),
            )
        }),
    };
    angle * EARTH_RADIUS_KM
}

/// Largest distance from any point of the polyline to its nearest target ("worst point", the
/// coverage gap along a road), with the point where it occurs.
///
/// Each segment is sampled along its great circle at an even spacing of at most `step_km`
/// (vertices always included), and the sample farthest from its nearest target wins (the first
/// one on a tie). Because the distance to the nearest target changes by at most 1 km per km
/// moved (triangle inequality), and every point of the line is within `step_km / 2` of a sample,
/// the result is exact to within `step_km / 2`: it never exceeds the true maximum and is at most
/// `step_km / 2` below it. The returned point is a real point of the line and its distance is
/// exactly the one returned.
///
/// Cost: samples x targets. To bound the run time a segment is split into at most 2^20 pieces,
/// so for a step below `segment length / 2^20` the bound becomes half that spacing instead.
///
/// Empty targets give (INFINITY, first vertex); an empty line, a step that is not > 0, or a
/// non-finite coordinate give (NaN, NaN point). A (near-)antipodal segment counts as its two
/// vertices, as in [`distance_to_segment_km`].
pub fn worst_point_distance_km(line: &[LatLon], targets: &[LatLon], step_km: f64) -> (f64, LatLon) {
    let Some(&first) = line.first() else {
        return (f64::NAN, NAN_POINT);
    };
    if step_km.is_nan() || step_km <= 0.0 || !all_finite(line) || !all_finite(targets) {
        return (f64::NAN, NAN_POINT);
    }
    if targets.is_empty() {
        return (f64::INFINITY, first);
    }

    let mut worst = Worst {
        angle: f64::NEG_INFINITY,
        point: first,
    };
    for w in line.windows(2) {
        let (a, b) = (w[0], w[1]);
        let va = unit_vector(a);
        worst.offer(va, targets, || a);
        if let Segment::Arc { normal, angle } = segment_frame(va, unit_vector(b)) {
            // Walk the arc as cos(phi) a + sin(phi) u, with u the unit tangent at a towards b:
            // unlike the textbook slerp this never divides by sin(angle).
            let u = cross(normal, va);
            let pieces = subdivisions(angle * EARTH_RADIUS_KM, step_km);
            for k in 1..pieces {
                let (s, c) = (angle * k as f64 / pieces as f64).sin_cos();
                let v = add(scale(va, c), scale(u, s));
                worst.offer(v, targets, || to_lat_lon(v));
            }
        }
    }
    // The loop offers each segment's start; the line's last vertex (or its only one) remains.
    if let Some(&last) = line.last() {
        worst.offer(unit_vector(last), targets, || last);
    }
    (worst.angle * EARTH_RADIUS_KM, worst.point)
}

/// Nearest approach: min over targets of distance_to_polyline_km(target, line), with the index
/// of the nearest target.
///
/// None when there is no target or the line is empty. Ties go to the lowest index. A target
/// whose distance is NaN (a NaN coordinate in it or in the line) gives Some((NaN, its index)).
pub fn nearest_approach_km(line: &[LatLon], targets: &[LatLon]) -> Option<(f64, usize)> {
    if line.is_empty() {
        return None;
    }
    let mut best: Option<(f64, usize)> = None;
    for (i, &t) in targets.iter().enumerate() {
        let d = distance_to_polyline_km(t, line);
        if d.is_nan() {
            return Some((f64::NAN, i));
        }
        if best.is_none_or(|(best_d, _)| d < best_d) {
            best = Some((d, i));
        }
    }
    best
}

/// A latitude band and longitude ranges (degrees) that together contain every point within a
/// radius of a site; see [`search_box`].
///
/// Longitude ranges are inclusive, lie within [-180, 180] and at most two are used (a box that
/// wraps the antimeridian is split in two). -180 and 180 are the same meridian. An empty box (no
/// site, or a NaN input) has NaN latitudes and no longitude range.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SearchBox {
    /// Southern edge, degrees.
    pub lat_min: f64,
    /// Northern edge, degrees.
    pub lat_max: f64,
    /// Up to two (west, east) longitude ranges, degrees.
    pub lon_ranges: [Option<(f64, f64)>; 2],
}

impl SearchBox {
    /// The whole earth.
    pub const WORLD: SearchBox = SearchBox {
        lat_min: -90.0,
        lat_max: 90.0,
        lon_ranges: [Some((-180.0, 180.0)), None],
    };

    const EMPTY: SearchBox = SearchBox {
        lat_min: f64::NAN,
        lat_max: f64::NAN,
        lon_ranges: [None, None],
    };

    /// Whether the box contains `p` (longitudes outside [-180, 180] are wrapped first).
    pub fn contains(&self, p: LatLon) -> bool {
        let lon = if valid_lon(p.lon) {
            p.lon
        } else {
            wrap_lon(p.lon)
        };
        let in_lat = (self.lat_min..=self.lat_max).contains(&p.lat);
        // Checking lon +- 360 too makes -180 and 180 the same meridian.
        in_lat
            && self.lon_ranges.iter().flatten().any(|&(west, east)| {
                [lon, lon - 360.0, lon + 360.0]
                    .iter()
                    .any(|l| (west..=east).contains(l))
            })
    }
}

/// A latitude band and longitude ranges (degrees) that contain every point within `radius_km` of
/// any point of `pts`: the site, one point or the vertices of a polyline, which includes the
/// great-circle segments between them. Used by a grid index to find candidate cells, so it errs
/// on the side of a larger box (by a 1 m margin against rounding) and never misses a point.
///
/// How it is built, all exact on the sphere before the margin:
/// - Latitude: each segment's own latitude range, including its bulge: a great-circle segment
///   between two points at the same latitude runs poleward of them, reaching the latitude of its
///   great circle's vertex if that vertex lies on the segment. The band is that range padded by
///   the angular radius (a point within distance r of latitude phi lies within phi +- r).
/// - Longitude: a circle of angular radius r around a point at latitude phi spans
///   +- asin(sin r / cos phi) of longitude. Each segment is padded by that half-width taken at
///   the segment's largest absolute latitude (which maximises it), and the padded longitude
///   intervals of consecutive segments are unwrapped across the antimeridian into one interval.
/// - When the band reaches a pole (the circle around some point of the site contains the pole)
///   or the padded interval spans 360 degrees, every longitude is possible: [-180, 180].
///
/// A negative radius counts as 0, a radius of at least half the circumference, or a
/// (near-)antipodal segment, gives [`SearchBox::WORLD`]. An empty site or a non-finite input
/// gives an empty box (NaN latitudes, no longitude range).
pub fn search_box(pts: &[LatLon], radius_km: f64) -> SearchBox {
    let Some(&first) = pts.first() else {
        return SearchBox::EMPTY;
    };
    if radius_km.is_nan() || !all_finite(pts) {
        return SearchBox::EMPTY;
    }
    let r_km = radius_km.max(0.0) + SEARCH_MARGIN_KM;
    if r_km >= PI * EARTH_RADIUS_KM {
        return SearchBox::WORLD;
    }
    let r = r_km / EARTH_RADIUS_KM;
    let sin_r = r.sin();

    // Vertices are read back from their unit vectors so that out-of-range input (a latitude of
    // 100, a longitude of 540) is placed where the distance functions place it.
    let v0 = unit_vector(first);
    let (lat0, lon0) = lat_lon_radians(v0);
    let (mut lat_lo, mut lat_hi) = (lat0, lat0);
    // Unwrapped longitude hull, degrees: may run past +-180, fixed up at the end.
    let mut full_lon = false;
    let (mut lon_west, mut lon_east) = match lon_half_width(sin_r, lat0.abs()) {
        Some(w) => (lon0.to_degrees() - w, lon0.to_degrees() + w),
        None => {
            full_lon = true;
            (0.0, 0.0)
        }
    };
    let (mut va, mut lat_a, mut lon_a) = (v0, lat0, lon0.to_degrees());
    let mut unwrapped_a = lon_a;
    for &b in &pts[1..] {
        let vb = unit_vector(b);
        let (lat_b, lon_b) = lat_lon_radians(vb);
        let lon_b = lon_b.to_degrees();
        let (mut seg_lo, mut seg_hi) = (lat_a.min(lat_b), lat_a.max(lat_b));
        match segment_frame(va, vb) {
            Segment::Antipodal => return SearchBox::WORLD,
            Segment::Point => {}
            Segment::Arc { normal: n, .. } => {
                // The northern vertex of the great circle is h = z - n_z n (normalised); it is on
                // the segment iff (a x h).n >= 0 and (h x b).n >= 0, which reduce to (a x z).n and
                // (z x b).n since (a x n).n = 0. The southern vertex -h is on it iff both <= 0.
                let s_a = va[1] * n[0] - va[0] * n[1];
                let s_b = vb[0] * n[1] - vb[1] * n[0];
                let vertex_lat = n[0].hypot(n[1]).atan2(n[2].abs());
                if s_a >= 0.0 && s_b >= 0.0 {
                    seg_hi = seg_hi.max(vertex_lat);
                }
                if s_a <= 0.0 && s_b <= 0.0 {
                    seg_lo = seg_lo.min(-vertex_lat);
                }
            }
        }
        lat_lo = lat_lo.min(seg_lo);
        lat_hi = lat_hi.max(seg_hi);

        // A minor arc not through a pole moves monotonically in longitude, the short way round;
        // one through a pole puts the band on that pole, where longitude no longer matters.
        let unwrapped_b = unwrapped_a + wrap_lon(lon_b - lon_a);
        match lon_half_width(sin_r, seg_lo.abs().max(seg_hi.abs())) {
            Some(w) => {
                lon_west = lon_west.min(unwrapped_a.min(unwrapped_b) - w);
                lon_east = lon_east.max(unwrapped_a.max(unwrapped_b) + w);
            }
            None => full_lon = true,
        }
        (va, lat_a, lon_a, unwrapped_a) = (vb, lat_b, lon_b, unwrapped_b);
    }

    let lat_min = (lat_lo - r).to_degrees();
    let lat_max = (lat_hi + r).to_degrees();
    if full_lon || lat_min <= -90.0 || lat_max >= 90.0 || lon_east - lon_west >= 360.0 {
        return SearchBox {
            lat_min: lat_min.max(-90.0),
            lat_max: lat_max.min(90.0),
            lon_ranges: SearchBox::WORLD.lon_ranges,
        };
    }
    let west = wrap_lon(lon_west);
    let east = west + (lon_east - lon_west);
    let lon_ranges = if east <= 180.0 {
        [Some((west, east)), None]
    } else {
        [Some((west, 180.0)), Some((-180.0, east - 360.0))]
    };
    SearchBox {
        lat_min,
        lat_max,
        lon_ranges,
    }
}

// ---------------------------------------------------------------------------------------------
// Internals.

type Vec3 = [f64; 3];

fn add(a: Vec3, b: Vec3) -> Vec3 {
    [a[0] + b[0], a[1] + b[1], a[2] + b[2]]
}

fn sub(a: Vec3, b: Vec3) -> Vec3 {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}

fn scale(a: Vec3, k: f64) -> Vec3 {
    [a[0] * k, a[1] * k, a[2] * k]
}

fn dot(a: Vec3, b: Vec3) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

fn cross(a: Vec3, b: Vec3) -> Vec3 {
    [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ]
}

fn norm(a: Vec3) -> f64 {
    dot(a, a).sqrt()
}

/// Angle in radians between two unit vectors. atan2 of sine and cosine is accurate at every
/// angle, where acos(dot) loses half the digits near 0 and asin(|cross|) near pi/2.
fn angle_between(a: Vec3, b: Vec3) -> f64 {
    norm(cross(a, b)).atan2(dot(a, b))
}

/// Latitude and longitude in radians of a (unit) vector.
fn lat_lon_radians(v: Vec3) -> (f64, f64) {
    (v[2].atan2(v[0].hypot(v[1])), v[1].atan2(v[0]))
}

fn to_lat_lon(v: Vec3) -> LatLon {
    let (lat, lon) = lat_lon_radians(v);
    LatLon::new(lat.to_degrees(), lon.to_degrees())
}

/// The minimum that is NaN if either side is (f64::min would drop the NaN).
fn nan_min(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.min(b)
    }
}

fn all_finite(pts: &[LatLon]) -> bool {
    pts.iter().all(|p| p.lat.is_finite() && p.lon.is_finite())
}

/// Longitude (degrees) wrapped into [-180, 180).
fn wrap_lon(lon: f64) -> f64 {
    let w = (lon + 180.0).rem_euclid(360.0) - 180.0;
    // rem_euclid can round up to exactly 360 for a tiny negative argument.
    if w >= 180.0 { w - 360.0 } else { w }
}

/// What kind of segment two unit vectors make.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Segment {
    /// The ends coincide (or a coordinate is not finite).
    Point,
    /// The ends are (nearly) antipodal: no unique great circle.
    Antipodal,
    /// A proper minor arc: the unit normal of its great circle, oriented so that a -> b turns
    /// positively about it, and the arc's angle in radians.
    Arc { normal: Vec3, angle: f64 },
}

fn segment_frame(a: Vec3, b: Vec3) -> Segment {
    let sum = add(a, b);
    let diff = sub(b, a);
    let (sum_len, diff_len) = (norm(sum), norm(diff));
    // A NaN length also goes to the end-point fallback, where it propagates as NaN.
    if diff_len.is_nan() || diff_len < POINT_CHORD {
        return Segment::Point;
    }
    if sum_len < ANTIPODAL_SUM {
        return Segment::Antipodal;
    }
    // (a + b) x (b - a) = 2 a x b, but without the cancellation that makes a x b of two nearby
    // vectors lose its direction: b - a is computed nearly exactly, and a + b is perpendicular
    // to it, so the product is accurate to a few ulps relative to its (small) size.
    let n = cross(sum, diff);
    let n_len = norm(n);
    Segment::Arc {
        normal: scale(n, 1.0 / n_len),
        // |b - a| = 2 sin(angle/2) and |a + b| = 2 cos(angle/2): accurate at any angle.
        angle: 2.0 * diff_len.atan2(sum_len),
    }
}

/// Angle in radians from unit vector p to the segment a-b.
fn angle_to_segment(p: Vec3, a: Vec3, b: Vec3) -> f64 {
    let to_ends = nan_min(angle_between(p, a), angle_between(p, b));
    let Segment::Arc { normal: n, .. } = segment_frame(a, b) else {
        return to_ends;
    };
    // The foot of the perpendicular from p to the great circle is c = p - (p.n) n (normalised).
    // It lies on the segment iff (a x c).n >= 0 and (c x b).n >= 0, i.e. c.(n x a) >= 0 and
    // c.(b x n) >= 0; as n x a and b x n are perpendicular to n, p can stand in for c. n x a is
    // the tangent at a pointing along the segment, b x n the tangent at b pointing back along it.
    if dot(p, cross(n, a)) >= 0.0 && dot(p, cross(b, n)) >= 0.0 {
        let p_n = dot(p, n);
        let in_plane = norm(sub(p, scale(n, p_n)));
        // Distance to the circle is asin(|p.n|); atan2 keeps it accurate when p is a pole of it.
        // The foot is the nearest point of the whole great circle, so it cannot be farther than
        // an end; taking the min only guards against rounding.
        nan_min(p_n.abs().atan2(in_plane), to_ends)
    } else {
        // Along a great circle the distance from p grows monotonically away from the foot, so
        // when the foot is off the segment the nearest point of the segment is one of its ends.
        to_ends
    }
}

/// Number of equal pieces so that a segment of `len_km` is cut at most every `step_km`.
fn subdivisions(len_km: f64, step_km: f64) -> usize {
    let pieces = (len_km / step_km).ceil();
    if pieces >= MAX_SUBDIVISIONS as f64 {
        MAX_SUBDIVISIONS
    } else if pieces >= 1.0 {
        pieces as usize
    } else {
        1
    }
}

/// Longitude half-width (degrees) of a circle of angular radius r (given as sin r) around a
/// point at absolute latitude `abs_lat` (radians), or None when the circle contains a pole and
/// so spans every longitude.
fn lon_half_width(sin_r: f64, abs_lat: f64) -> Option<f64> {
    let ratio = sin_r / abs_lat.cos();
    (ratio < 1.0).then(|| ratio.asin().to_degrees())
}

/// Running maximum of the nearest-target distance over sample points.
struct Worst {
    /// Angle in radians (NEG_INFINITY before the first sample).
    angle: f64,
    point: LatLon,
}

impl Worst {
    fn offer(&mut self, v: Vec3, targets: &[LatLon], point: impl FnOnce() -> LatLon) {
        let angle = nearest_angle(v, targets);
        if angle > self.angle {
            self.angle = angle;
            self.point = point();
        }
    }
}

/// Angle in radians from v to the nearest target (targets must not be empty).
fn nearest_angle(v: Vec3, targets: &[LatLon]) -> f64 {
    // The squared chord |v - t|^2 is monotonic in the angle and cheap (no sqrt or atan2); it is
    // also accurate for close points, unlike the dot product. Only the winner's angle is computed.
    let mut best_chord2 = f64::INFINITY;
    let mut best = v;
    for &t in targets {
        let vt = unit_vector(t);
        let d = sub(v, vt);
        let chord2 = dot(d, d);
        if chord2 < best_chord2 {
            best_chord2 = chord2;
            best = vt;
        }
    }
    angle_between(v, best)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rounding tolerance for angles in radians computed from unit vectors.
    const ANGLE_TOL: f64 = 1e-14;

    #[test]
    fn wrap_lon_lands_in_half_open_range() {
        assert_eq!(wrap_lon(180.0), -180.0);
        assert_eq!(wrap_lon(-180.0), -180.0);
        assert_eq!(wrap_lon(190.0), -170.0);
        assert_eq!(wrap_lon(-190.0), 170.0);
        assert_eq!(wrap_lon(540.0), -180.0);
        assert_eq!(wrap_lon(12.5), 12.5);
        // The rem_euclid round-up case.
        let w = wrap_lon(-180.0 - 1e-20);
        assert!((-180.0..180.0).contains(&w), "{w}");
    }

    #[test]
    fn segment_frame_classifies_degenerate_segments() {
        let a = unit_vector(LatLon::new(10.0, 20.0));
        assert_eq!(segment_frame(a, a), Segment::Point);
        let anti = unit_vector(LatLon::new(-10.0, -160.0));
        assert_eq!(segment_frame(a, anti), Segment::Antipodal);
        let nan = unit_vector(LatLon::new(f64::NAN, 0.0));
        assert_eq!(segment_frame(a, nan), Segment::Point);
        assert!(matches!(
            segment_frame(a, unit_vector(LatLon::new(11.0, 20.0))),
            Segment::Arc { .. }
        ));
    }

    #[test]
    fn normal_of_a_tiny_segment_is_perpendicular_to_its_ends() {
        // 1e-9 degrees apart (about 0.1 mm): the naive a x b would lose about half its digits.
        let a = unit_vector(LatLon::new(14.44776, -11.44393));
        let b = unit_vector(LatLon::new(14.44776 + 1e-9, -11.44393 + 1e-9));
        let Segment::Arc { normal, angle } = segment_frame(a, b) else {
            panic!("expected an arc");
        };
        assert!((norm(normal) - 1.0).abs() < ANGLE_TOL);
        assert!(dot(normal, a).abs() < 1e-15, "{}", dot(normal, a));
        assert!(dot(normal, b).abs() < 1e-15, "{}", dot(normal, b));
        // Both are absolute errors of about 1e-16 rad (6e-10 km), whatever the length.
        assert!((angle - angle_between(a, b)).abs() < 1e-15);
    }

    #[test]
    fn arc_angle_matches_haversine() {
        let (p, q) = (LatLon::new(-33.9, 18.4), LatLon::new(51.5, -0.1));
        let Segment::Arc { angle, .. } = segment_frame(unit_vector(p), unit_vector(q)) else {
            panic!("expected an arc");
        };
        assert!((angle * EARTH_RADIUS_KM - haversine_km(p, q)).abs() < 1e-9);
    }

    #[test]
    fn subdivisions_are_bounded() {
        assert_eq!(subdivisions(10.0, 1.0), 10);
        assert_eq!(subdivisions(10.5, 1.0), 11);
        assert_eq!(subdivisions(0.0, 1.0), 1);
        assert_eq!(subdivisions(10.0, f64::INFINITY), 1);
        assert_eq!(subdivisions(10.0, 1e-300), MAX_SUBDIVISIONS);
        assert_eq!(subdivisions(10.0, f64::MIN_POSITIVE), MAX_SUBDIVISIONS);
    }

    #[test]
    fn lon_half_width_grows_with_latitude_and_stops_at_the_pole() {
        let r = 100.0 / EARTH_RADIUS_KM;
        let at_equator = lon_half_width(r.sin(), 0.0).unwrap();
        assert!((at_equator - r.to_degrees()).abs() < 1e-12);
        let at_60 = lon_half_width(r.sin(), 60f64.to_radians()).unwrap();
        assert!(at_60 > 1.99 * at_equator && at_60 < 2.01 * at_equator);
        assert_eq!(lon_half_width(r.sin(), 89.5f64.to_radians()), None);
    }

    #[test]
    fn nearest_angle_picks_the_closest_target() {
        let v = unit_vector(LatLon::new(0.0, 0.0));
        let targets = [
            LatLon::new(0.0, 3.0),
            LatLon::new(0.0, -1.0),
            LatLon::new(2.0, 0.0),
        ];
        assert!((nearest_angle(v, &targets) - 1f64.to_radians()).abs() < ANGLE_TOL);
    }

    #[test]
    fn to_lat_lon_round_trips() {
        let p = LatLon::new(-42.125, 173.5);
        let q = to_lat_lon(unit_vector(p));
        assert!((p.lat - q.lat).abs() < 1e-12 && (p.lon - q.lon).abs() < 1e-12);
    }
}
