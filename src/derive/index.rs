//! Spatial index of conflict events: a latitude/longitude grid whose cells hold their events
//! sorted by date, built once per event file and shared by every site scored against it.
//!
//! A query visits the cells that can hold events within the radius (from
//! [`geo::search_box`]), binary-searches each cell's date window, and tests distance by the
//! dot product of unit vectors. Only candidates within a hair of the radius fall back to
//! haversine, which is the canonical test, so the index returns exactly what a naive scan
//! with [`geo::haversine_km`] (or [`geo::distance_to_polyline_km`] for lines) returns.

use crate::geo::{self, LatLon};

/// Default cell size in degrees (see docs/performance.md for the measurements behind it).
pub const DEFAULT_CELL_DEG: f64 = 0.5;

/// Dot products this close to the radius's threshold are settled by haversine: far wider
/// than the rounding error of either computation (about 1e-16), far narrower than any
/// distance that matters.
const DOT_BAND: f64 = 1e-12;

/// The site a query measures from.
#[derive(Debug, Clone, Copy)]
pub enum Around<'a> {
    /// A point.
    Point(LatLon),
    /// A polyline (at least one vertex).
    Line(&'a [LatLon]),
}

impl Around<'_> {
    /// Distance from the site to a point, km: the canonical measure every query agrees with.
    pub fn distance_km(&self, p: LatLon) -> f64 {
        match self {
            Around::Point(s) => geo::haversine_km(*s, p),
            Around::Line(line) => geo::distance_to_polyline_km(p, line),
        }
    }

    fn vertices(&self) -> &[LatLon] {
        match self {
            Around::Point(p) => std::slice::from_ref(p),
            Around::Line(l) => l,
        }
    }
}

/// Grid index over event positions and dates.
#[derive(Debug, Clone)]
pub struct EventIndex {
    cell_deg: f64,
    n_lat: usize,
    n_lon: usize,
    /// Events of cell `c` are at `cell_start[c] .. cell_start[c + 1]` of the sorted arrays.
    cell_start: Vec<u32>,
    /// Sorted by (cell, date).
    date: Vec<i32>,
    xyz: Vec<[f64; 3]>,
    lat_lon: Vec<LatLon>,
    event: Vec<u32>,
}

impl EventIndex {
    /// Builds the index over events given by position and date (days since 1970-01-01).
    /// Events with an invalid position are not indexed (loaders reject them earlier).
    pub fn build(lat: &[f64], lon: &[f64], date: &[i32], cell_deg: f64) -> Self {
        let cell_deg = if cell_deg.is_finite() && cell_deg > 0.0 {
            cell_deg.clamp(0.01, 180.0)
        } else {
            DEFAULT_CELL_DEG
        };
        let n_lat = (180.0 / cell_deg).ceil() as usize;
        let n_lon = (360.0 / cell_deg).ceil() as usize;
        let n = lat.len().min(lon.len()).min(date.len());
        let mut keyed: Vec<(u32, i32, u32)> = (0..n)
            .filter(|&i| geo::valid_lat(lat[i]) && geo::valid_lon(lon[i]))
            .map(|i| {
                (
                    cell_of(lat[i], lon[i], cell_deg, n_lat, n_lon) as u32,
                    date[i],
                    i as u32,
                )
            })
            .collect();
        keyed.sort_unstable();
        let mut cell_start = vec![0u32; n_lat * n_lon + 1];
        for &(c, _, _) in &keyed {
            cell_start[c as usize + 1] += 1;
        }
        for c in 1..cell_start.len() {
            cell_start[c] += cell_start[c - 1];
        }
        let lat_lon: Vec<LatLon> = keyed
            .iter()
            .map(|&(_, _, i)| LatLon {
                lat: lat[i as usize],
                lon: lon[i as usize],
            })
            .collect();
        EventIndex {
            cell_deg,
            n_lat,
            n_lon,
            cell_start,
            date: keyed.iter().map(|k| k.1).collect(),
            xyz: lat_lon.iter().map(|p| geo::unit_vector(*p)).collect(),
            lat_lon,
            event: keyed.iter().map(|k| k.2).collect(),
        }
    }

    /// Number of indexed events.
    pub fn len(&self) -> usize {
        self.event.len()
    }

    /// True when nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.event.is_empty()
    }

    /// Heap bytes held by the index.
    pub fn heap_bytes(&self) -> usize {
        self.cell_start.capacity() * 4
            + self.date.capacity() * 4
            + self.xyz.capacity() * 24
            + self.lat_lon.capacity() * 16
            + self.event.capacity() * 4
    }

    /// Calls `f(event, distance_km)` for every event within `radius_km` of the site
    /// (inclusive) dated from `first_day` to `last_day` (inclusive). Order: by cell, then
    /// date.
    pub fn for_each_within(
        &self,
        site: Around<'_>,
        radius_km: f64,
        first_day: i32,
        last_day: i32,
        mut f: impl FnMut(u32, f64),
    ) {
        let point = match site {
            Around::Point(p) => Some(p),
            Around::Line(_) => None,
        };
        self.visit_window(
            site.vertices(),
            radius_km,
            first_day,
            last_day,
            |k, within| {
                let p = self.lat_lon[k];
                let inside = match (point, within) {
                    (Some(_), Some(decided)) => decided,
                    _ => site.distance_km(p) <= radius_km,
                };
                if inside {
                    f(self.event[k], site.distance_km(p));
                }
            },
        );
    }

    /// Counts events within the radius of a point and the window (no distances kept): the
    /// batch workload of portfolio scoring and of the bench.
    pub fn count_within(&self, site: LatLon, radius_km: f64, first_day: i32, last_day: i32) -> u32 {
        let mut n = 0;
        self.visit_window(
            std::slice::from_ref(&site),
            radius_km,
            first_day,
            last_day,
            |k, within| {
                let inside =
                    within.unwrap_or_else(|| geo::haversine_km(site, self.lat_lon[k]) <= radius_km);
                n += u32::from(inside);
            },
        );
        n
    }

    /// Walks every indexed event in the window that lies in a cell the search box touches,
    /// calling `f(k, decided)` with its sorted position. For a one-vertex site `decided` is
    /// the dot-product verdict, or `None` within [`DOT_BAND`] of the radius, where the caller
    /// settles it with the canonical distance; for a line it is always `None`.
    fn visit_window(
        &self,
        vertices: &[LatLon],
        radius_km: f64,
        first_day: i32,
        last_day: i32,
        mut f: impl FnMut(usize, Option<bool>),
    ) {
        if self.is_empty()
            || vertices.is_empty()
            || first_day > last_day
            || radius_km.is_nan()
            || radius_km < 0.0
        {
            return;
        }
        let bbox = geo::search_box(vertices, radius_km);
        let row = |lat: f64| {
            (((lat + 90.0) / self.cell_deg).floor().max(0.0) as usize).min(self.n_lat - 1)
        };
        let col = |lon: f64| {
            (((lon + 180.0) / self.cell_deg).floor().max(0.0) as usize).min(self.n_lon - 1)
        };
        let (r0, r1) = (row(bbox.lat_min), row(bbox.lat_max));
        let min_dot = geo::min_dot_within(radius_km);
        let u = (vertices.len() == 1).then(|| geo::unit_vector(vertices[0]));
        for (a, b) in bbox.lon_ranges.iter().flatten() {
            let (c0, c1) = (col(*a), col(*b));
            for r in r0..=r1 {
                let row_start = r * self.n_lon;
                for cell in row_start + c0..=row_start + c1 {
                    let (s, e) = (
                        self.cell_start[cell] as usize,
                        self.cell_start[cell + 1] as usize,
                    );
                    let dates = &self.date[s..e];
                    let lo = s + dates.partition_point(|&d| d < first_day);
                    let hi = s + dates.partition_point(|&d| d <= last_day);
                    for k in lo..hi {
                        let decided = u.and_then(|u| {
                            let v = self.xyz[k];
                            let dot = u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
                            if dot > min_dot + DOT_BAND {
                                Some(true)
                            } else if dot < min_dot - DOT_BAND {
                                Some(false)
                            } else {
                                None
                            }
                        });
                        f(k, decided);
                    }
                }
            }
        }
    }
}

fn cell_of(lat: f64, lon: f64, cell_deg: f64, n_lat: usize, n_lon: usize) -> usize {
    let r = (((lat + 90.0) / cell_deg).floor().max(0.0) as usize).min(n_lat - 1);
    let c = (((lon + 180.0) / cell_deg).floor().max(0.0) as usize).min(n_lon - 1);
    r * n_lon + c
}
