//! Reading a project file into a [`Project`], reporting every problem with its location.

use rust_decimal::Decimal;

use super::*;
use crate::audit::sha256_hex;
use crate::diag::Code;
use crate::toml_read::{FileKind, Reader, Table, Value, expect_kind, parse_document};
use crate::uncertainty::distribution::Distribution;

pub(crate) const TOP_KEYS: &[&str] = &["project", "values"];
pub(crate) const PROJECT_KEYS: &[&str] = &[
    "id",
    "name",
    "country",
    "region",
    "sponsors",
    "description",
    "as_of",
    "site",
    "exposure",
    "data",
    "defaulted",
    "override",
];
pub(crate) const OVERRIDE_KEYS: &[&str] = &["band", "reason", "author", "date"];
pub(crate) const DATA_KEYS: &[&str] = &["events", "positions", "status", "known_at_as_of"];
pub(crate) const SITE_KEYS: &[&str] = &["kind", "lat", "lon", "points"];
pub(crate) const EXPOSURE_KEYS: &[&str] = &[
    "amount",
    "low",
    "high",
    "currency",
    "source",
    "status",
    "maturity_years",
];
pub(crate) const VALUE_KEYS: &[&str] = &[
    "value",
    "low",
    "high",
    "source",
    "as_of",
    "status",
    "note",
    "distribution",
    "mode",
    "mean",
    "sd",
    "mu",
    "sigma",
    "median",
    "alpha",
    "beta",
];
pub(crate) const DISTRIBUTIONS: &[&str] = &[
    "uniform",
    "triangular",
    "pert",
    "normal",
    "lognormal",
    "beta",
];
pub(crate) const STATUSES: &[&str] = &["reported", "estimated", "unverified", "contradicted"];

/// Reads a project file; the project comes back only if it has no error.
pub fn read_project(src: &SourceFile) -> (Option<Project>, Vec<Diagnostic>) {
    let (doc, syntax) = parse_document(src);
    if !syntax.is_empty() {
        return (None, syntax);
    }
    if let Some(d) = expect_kind(src, doc.get_ref(), FileKind::Project) {
        return (None, vec![d]);
    }
    let r = Reader::new(src);
    let top = r.table(doc.get_ref(), doc.span(), "", TOP_KEYS);
    let project = top
        .table(&r, "project", PROJECT_KEYS)
        .and_then(|p| read_header(&r, &p, None));
    let (values, values_span) = match top.get("values") {
        Some(v) => (read_values(&r, v, "values"), v.span()),
        None => (Vec::new(), 0..0),
    };
    let has_errors = r.has_errors();
    let diags = r.into_diagnostics();
    let project = project.filter(|_| !has_errors).map(|mut p| {
        p.values = values;
        p.values_span = values_span;
        p.sha256 = sha256_hex(src.text().as_bytes());
        p.origin = src.name().to_string();
        p.source = src.clone();
        p
    });
    (project, diags)
}

/// What a project written inside another file (a model test case) takes for the header keys
/// it leaves out: there every key of `[project]` is optional.
#[derive(Debug, Clone)]
pub struct HeaderDefaults {
    /// Project id.
    pub id: String,
    /// Human name.
    pub name: String,
    /// ISO 3166 alpha-3 code.
    pub country: String,
    /// As-of date.
    pub as_of: jiff::civil::Date,
}

/// Reads a project written inside another file (a model test case): a header table with
/// the keys of `[project]`, all optional (`defaults` fills the required ones), and a values
/// table like `[values]`. Problems are reported through the caller's reader, located in its
/// file; the project's `source`, `origin` and `sha256` are left for the caller to set.
pub fn read_embedded_project(
    r: &Reader<'_>,
    header: Option<&Table<'_, '_>>,
    values: Option<(&Value<'_>, &str)>,
    defaults: &HeaderDefaults,
) -> Option<Project> {
    let project = match header {
        Some(t) => read_header(r, t, Some(defaults)),
        None => Some(Project {
            id: defaults.id.clone(),
            name: defaults.name.clone(),
            country: defaults.country.clone(),
            region: String::new(),
            sponsors: Vec::new(),
            description: String::new(),
            site: None,
            as_of: defaults.as_of,
            exposure: None,
            band_override: None,
            defaulted: false,
            data: DataFiles::default(),
            values: Vec::new(),
            values_span: 0..0,
            sha256: String::new(),
            origin: String::new(),
            source: SourceFile::new("", ""),
        }),
    };
    let (values, values_span) = match values {
        Some((v, path)) => (read_values(r, v, path), v.span()),
        None => (Vec::new(), 0..0),
    };
    project.map(|mut p| {
        p.values = values;
        p.values_span = values_span;
        p
    })
}

/// The keys a project header may hold, for readers of embedded projects.
pub const HEADER_KEYS: &[&str] = PROJECT_KEYS;

fn read_header(
    r: &Reader<'_>,
    t: &Table<'_, '_>,
    defaults: Option<&HeaderDefaults>,
) -> Option<Project> {
    // A required key, or its default when the header is embedded in another file.
    let required = |key: &str, default: Option<&String>| match (t.get(key), default) {
        (None, Some(d)) => Some(Sp::new(d.clone(), t.span())),
        _ => t.req_str(r, key),
    };
    let id = required("id", defaults.map(|d| &d.id));
    let name = required("name", defaults.map(|d| &d.name));
    // The default of an embedded project is ISO 3166's user-assigned "ZZZ", never a
    // real country: only a code written in the file is looked up.
    let written = t.has("country");
    let country = required("country", defaults.map(|d| &d.country)).and_then(|c| {
        if written {
            country_code(r, t, c)
        } else {
            Some(c.value)
        }
    });
    let region = t.str(r, "region").map(|s| s.value).unwrap_or_default();
    let sponsors = t
        .get("sponsors")
        .and_then(|v| r.strings(v, &t.key_path("sponsors")))
        .map(|v| v.into_iter().map(|s| s.value).collect())
        .unwrap_or_default();
    let description = t.str(r, "description").map(|s| s.value).unwrap_or_default();
    let as_of = match (t.get("as_of"), defaults) {
        (None, Some(d)) => Some(Sp::new(d.as_of, t.span())),
        _ => t
            .req(r, "as_of")
            .and_then(|v| r.date(v, &t.key_path("as_of"))),
    };
    let site = t.table(r, "site", SITE_KEYS).map(|s| read_site(r, &s));
    let exposure = t
        .table(r, "exposure", EXPOSURE_KEYS)
        .map(|e| read_exposure(r, &e));
    let data = t.table(r, "data", DATA_KEYS).map(|d| DataFiles {
        events: d.str(r, "events"),
        positions: d.str(r, "positions"),
        status: d.has("status").then(|| status(r, &d)).flatten(),
        known_at_as_of: d
            .get("known_at_as_of")
            .and_then(|v| r.boolean(v, &d.key_path("known_at_as_of")))
            .is_some_and(|b| b.value),
    });
    Some(Project {
        id: id?.value,
        name: name?.value,
        country: country?,
        region,
        sponsors,
        description,
        site: site.flatten(),
        as_of: as_of?.value,
        exposure: exposure.flatten(),
        band_override: t.table(r, "override", OVERRIDE_KEYS).and_then(|o| {
            let band = o.req_str(r, "band");
            let reason = o.req_str(r, "reason");
            let author = o.req_str(r, "author");
            let date = o
                .get("date")
                .and_then(|v| r.date(v, "project.override.date"));
            Some(BandOverride {
                band: band?,
                reason: reason?.value,
                author: author?.value,
                date: date.map(|d| d.value),
            })
        }),
        defaulted: t
            .get("defaulted")
            .and_then(|v| r.boolean(v, &t.key_path("defaulted")))
            .is_some_and(|b| b.value),
        data: data.unwrap_or_default(),
        values: Vec::new(),
        values_span: 0..0,
        sha256: String::new(),
        origin: String::new(),
        source: SourceFile::new("", ""),
    })
}

/// True when `c` has the form of an ISO code, three uppercase ASCII letters; `VG006`
/// otherwise.
fn iso_form(r: &Reader<'_>, c: &Sp<String>, path: &str, standard: &str, example: &str) -> bool {
    let ok = c.value.len() == 3 && c.value.chars().all(|ch| ch.is_ascii_uppercase());
    if !ok {
        r.error(
            Code::InvalidValue,
            c.span.clone(),
            format!(
                "`{path}` = \"{}\" must be an {standard} code such as \"{example}\"",
                crate::diag::excerpt(&c.value)
            ),
        );
    }
    ok
}

/// A country code: three uppercase letters (`VG006` otherwise) assigned by ISO 3166-1
/// alpha-3 (`VG083` otherwise).
fn country_code(r: &Reader<'_>, t: &Table<'_, '_>, c: Sp<String>) -> Option<String> {
    let path = t.key_path("country");
    let shown = crate::diag::excerpt(&c.value);
    if !iso_form(r, &c, &path, "ISO 3166 alpha-3", "MLI") {
        return None;
    }
    if super::countries::country_name(&c.value).is_none() {
        // No "did you mean": three-letter codes are too close to one another for a
        // suggestion to be more likely right than misleading (MAL is not Morocco's MAR).
        r.error(
            Code::UnknownIsoCode,
            c.span,
            format!("`{path}` = \"{shown}\" is not an ISO 3166-1 alpha-3 country code"),
        );
        return None;
    }
    Some(c.value)
}

/// A currency code: three uppercase letters (`VG006` otherwise) of an ISO 4217 currency
/// with a minor unit (`VG083` otherwise), and its minor units.
fn currency_code(r: &Reader<'_>, c: Sp<String>) -> Option<(String, u32)> {
    let shown = crate::diag::excerpt(&c.value);
    if !iso_form(r, &c, "currency", "ISO 4217", "USD") {
        return None;
    }
    match crate::finance::currency::currency(&c.value) {
        Some(cur) => match cur.minor_units {
            Some(units) => Some((c.value, units)),
            None => {
                r.error(
                    Code::UnknownIsoCode,
                    c.span,
                    format!(
                        "`currency` = \"{shown}\" ({}) has no minor unit in ISO 4217: give the exposure in a currency",
                        cur.name
                    ),
                );
                None
            }
        },
        None => {
            r.error(
                Code::UnknownIsoCode,
                c.span,
                format!(
                    "`currency` = \"{shown}\" is not an ISO 4217 currency code (list of 1 January 2026)"
                ),
            );
            None
        }
    }
}

fn lat_lon(r: &Reader<'_>, lat: Sp<f64>, lon: Sp<f64>) -> Option<LatLon> {
    let mut ok = true;
    if !(-90.0..=90.0).contains(&lat.value) {
        r.error(
            Code::InvalidValue,
            lat.span,
            format!("latitude {} lies outside -90..90", lat.value),
        );
        ok = false;
    }
    if !(-180.0..=180.0).contains(&lon.value) {
        r.error(
            Code::InvalidValue,
            lon.span,
            format!("longitude {} lies outside -180..180", lon.value),
        );
        ok = false;
    }
    ok.then_some(LatLon {
        lat: lat.value,
        lon: lon.value,
    })
}

fn read_site(r: &Reader<'_>, t: &Table<'_, '_>) -> Option<Site> {
    let kind = t
        .req(r, "kind")
        .and_then(|v| r.word(v, &t.key_path("kind"), &["point", "polyline"]))?;
    if kind.value == "point" {
        let (lat, lon) = (t.req_num(r, "lat"), t.req_num(r, "lon"));
        return Some(Site::Point {
            at: lat_lon(r, lat?, lon?)?,
        });
    }
    let v = t.req(r, "points")?;
    let arr = r.array(v, &t.key_path("points"))?;
    let mut points = Vec::new();
    for (i, item) in arr.iter().enumerate() {
        let path = format!("{}[{i}]", t.key_path("points"));
        match r.numbers(item, &path).as_deref() {
            Some([lat, lon]) => points.push(lat_lon(r, lat.clone(), lon.clone())),
            Some(_) => {
                r.error(
                    Code::InvalidValue,
                    item.span(),
                    format!("`{path}` must be [latitude, longitude]"),
                );
                points.push(None);
            }
            None => points.push(None),
        }
    }
    if points.len() < 2 {
        r.error(
            Code::InvalidValue,
            v.span(),
            "a polyline needs at least two points",
        );
        return None;
    }
    let points: Option<Vec<LatLon>> = points.into_iter().collect();
    Some(Site::Polyline { points: points? })
}

fn status(r: &Reader<'_>, t: &Table<'_, '_>) -> Option<Status> {
    Some(match t.word(r, "status", STATUSES) {
        None if t.has("status") => return None,
        None => Status::Reported,
        Some(s) => match s.value.as_str() {
            "estimated" => Status::Estimated,
            "unverified" => Status::Unverified,
            "contradicted" => Status::Contradicted,
            _ => Status::Reported,
        },
    })
}

fn read_exposure(r: &Reader<'_>, t: &Table<'_, '_>) -> Option<Exposure> {
    let dec = |key: &str| t.get(key).and_then(|v| r.decimal(v, &t.key_path(key)));
    let (amount, low, high) = (dec("amount"), dec("low"), dec("high"));
    let currency = t.req_str(r, "currency").and_then(|c| currency_code(r, c));
    let status = status(r, t);
    // Amounts beyond 10^18 minor units of the currency are refused where they are written
    // (VG084), so that no sum, midpoint or capital figure can overflow.
    if let Some((code, units)) = &currency {
        let max = crate::finance::money::max_amount(*units);
        let mut too_large = false;
        for (key, amount) in [("amount", &amount), ("low", &low), ("high", &high)] {
            if let Some(a) = amount
                && a.value.abs() > max
            {
                r.error(
                    Code::AmountTooLarge,
                    a.span.clone(),
                    format!(
                        "`{}` = {} is too large (at most {max} {code}, 10^18 minor units)",
                        t.key_path(key),
                        a.value
                    ),
                );
                too_large = true;
            }
        }
        if too_large {
            return None;
        }
    }
    for amount in [&amount, &low, &high].into_iter().flatten() {
        if amount.value.is_sign_negative() {
            r.error(
                Code::InvalidValue,
                amount.span.clone(),
                "an exposure amount cannot be negative",
            );
            return None;
        }
    }
    let (low_v, nominal, high_v, midpoint) = match (&amount, &low, &high) {
        (Some(a), None, None) => (a.value, a.value, a.value, false),
        (a, Some(l), Some(h)) => {
            if l.value > h.value {
                r.error(
                    Code::InvalidRange,
                    l.span.start..h.span.end,
                    "exposure `low` is above `high`",
                );
                return None;
            }
            match a {
                Some(a) if a.value < l.value || a.value > h.value => {
                    r.error(
                        Code::InvalidRange,
                        a.span.clone(),
                        "exposure `amount` lies outside low..high",
                    );
                    return None;
                }
                Some(a) => (l.value, a.value, h.value, false),
                // low + (high - low) / 2: 0 <= low <= high here, so neither step can
                // overflow, whatever the amounts (low + high could).
                None => (
                    l.value,
                    l.value + (h.value - l.value) / Decimal::TWO,
                    h.value,
                    true,
                ),
            }
        }
        _ => {
            let has_any = t.has("amount") || t.has("low") || t.has("high");
            if !has_any || (t.has("low") != t.has("high")) {
                r.error(
                    Code::MissingKey,
                    t.span(),
                    format!("`{}` needs `amount`, or both `low` and `high`", t.path()),
                );
            }
            return None;
        }
    };
    let maturity_years = t.num(r, "maturity_years").and_then(|m| {
        if m.value > 0.0 {
            Some(m.value)
        } else {
            r.error(
                Code::InvalidValue,
                m.span,
                format!("`{}` must be positive", t.key_path("maturity_years")),
            );
            None
        }
    });
    Some(Exposure {
        maturity_years,
        currency: currency?.0,
        low: low_v,
        nominal,
        high: high_v,
        nominal_is_midpoint: midpoint,
        source: t.str(r, "source").map(|s| s.value),
        status: status?,
    })
}

fn read_values(r: &Reader<'_>, v: &Value<'_>, values_path: &str) -> Vec<InputValue> {
    let Some(map) = r.raw_table(v, values_path) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, item) in map.iter() {
        let id = Sp::new(key.get_ref().to_string(), key.span());
        let path = format!("{values_path}.{}", id.value);
        let line = r.source().locate(id.span.clone()).line;
        let plain = |value: Sp<RawValue>| InputValue {
            id: id.clone(),
            value,
            low: None,
            high: None,
            nominal_is_midpoint: false,
            source: None,
            as_of: None,
            status: Status::Reported,
            note: None,
            line,
            distribution: None,
        };
        match item.get_ref() {
            toml::de::DeValue::String(s) => {
                out.push(plain(Sp::new(RawValue::Text(s.to_string()), item.span())))
            }
            toml::de::DeValue::Table(_) => {
                if let Some(t) = r.as_table(item, &path, VALUE_KEYS)
                    && let Some(iv) = read_value_table(r, id.clone(), &t, item.span(), line)
                {
                    out.push(iv);
                }
            }
            _ => {
                if let Some(x) = r.number(item, &path) {
                    out.push(plain(Sp::new(RawValue::Number(x.value), x.span)));
                }
            }
        }
    }
    out
}

fn read_value_table(
    r: &Reader<'_>,
    id: Sp<String>,
    t: &Table<'_, '_>,
    span: std::ops::Range<usize>,
    line: usize,
) -> Option<InputValue> {
    if t.has("distribution") {
        return read_distribution_value(r, id, t, span, line);
    }
    for key in [
        "mode", "mean", "sd", "mu", "sigma", "median", "alpha", "beta",
    ] {
        if let Some(v) = t.get(key) {
            r.error(
                Code::InvalidValue,
                v.span(),
                format!("`{key}` needs a `distribution` (e.g. distribution = \"triangular\")"),
            );
            return None;
        }
    }
    let value = t.get("value").and_then(|v| match v.get_ref() {
        toml::de::DeValue::String(s) => Some(Sp::new(RawValue::Text(s.to_string()), v.span())),
        _ => r
            .number(v, &t.key_path("value"))
            .map(|x| Sp::new(RawValue::Number(x.value), x.span)),
    });
    if t.has("value") && value.is_none() {
        return None;
    }
    let low = t.num(r, "low");
    let high = t.num(r, "high");
    if t.has("low") != t.has("high") {
        r.error(
            Code::InvalidRange,
            span.clone(),
            format!("`{}` gives only one of `low` and `high`", t.path()),
        );
        return None;
    }
    let mut midpoint = false;
    let value = match (value, &low, &high) {
        (v, Some(l), Some(h)) => {
            if l.value > h.value {
                r.error(
                    Code::InvalidRange,
                    l.span.start..h.span.end,
                    format!("`{}`: low {} is above high {}", t.path(), l.value, h.value),
                );
                return None;
            }
            match v {
                Some(v) => {
                    if let RawValue::Number(x) = v.value
                        && (x < l.value || x > h.value)
                    {
                        r.error(
                            Code::InvalidRange,
                            v.span.clone(),
                            format!("`{}`: value {x} lies outside low..high", t.path()),
                        );
                        return None;
                    }
                    v
                }
                None => {
                    midpoint = true;
                    Sp::new(
                        RawValue::Number((l.value + h.value) / 2.0),
                        l.span.start..h.span.end,
                    )
                }
            }
        }
        (Some(v), _, _) => v,
        (None, _, _) => {
            t.missing(r, "value");
            return None;
        }
    };
    let Provenance {
        source,
        as_of,
        status,
        note,
    } = provenance(r, t)?;
    Some(InputValue {
        id,
        value,
        low: low.map(|l| l.value),
        high: high.map(|h| h.value),
        nominal_is_midpoint: midpoint,
        source,
        as_of,
        status,
        note,
        line,
        distribution: None,
    })
}

/// A value given as a distribution: `distribution = "triangular"` with its parameters. The
/// nominal value (what `score` uses) is `value` if given, else the distribution's nominal
/// (the mode of a triangular or PERT, the median otherwise).
fn read_distribution_value(
    r: &Reader<'_>,
    id: Sp<String>,
    t: &Table<'_, '_>,
    span: std::ops::Range<usize>,
    line: usize,
) -> Option<InputValue> {
    let kind = t.word(r, "distribution", DISTRIBUTIONS)?;
    let wanted: &[&str] = match kind.value.as_str() {
        "uniform" => &["low", "high"],
        "triangular" | "pert" => &["low", "mode", "high"],
        "normal" => &["mean", "sd", "low", "high"],
        "lognormal" => &["mu", "sigma", "median"],
        _ => &["alpha", "beta", "low", "high"],
    };
    for key in [
        "low", "high", "mode", "mean", "sd", "mu", "sigma", "median", "alpha", "beta",
    ] {
        if let Some(v) = t.get(key)
            && !wanted.contains(&key)
        {
            r.error(
                Code::InvalidValue,
                v.span(),
                format!("`{key}` does not apply to distribution \"{}\"", kind.value),
            );
            return None;
        }
    }
    let num = |key: &str| t.num(r, key).map(|n| n.value);
    let req = |key: &str| t.req_num(r, key).map(|n| n.value);
    let built = match kind.value.as_str() {
        "uniform" => Distribution::uniform(req("low")?, req("high")?),
        "triangular" => Distribution::triangular(req("low")?, req("mode")?, req("high")?),
        "pert" => Distribution::pert(req("low")?, req("mode")?, req("high")?),
        "normal" => Distribution::normal(req("mean")?, req("sd")?, num("low"), num("high")),
        "lognormal" => match (t.has("median"), t.has("mu")) {
            (true, false) => Distribution::lognormal_from_median(req("median")?, req("sigma")?),
            _ => Distribution::lognormal(req("mu")?, req("sigma")?),
        },
        _ => Distribution::beta(
            req("alpha")?,
            req("beta")?,
            num("low").unwrap_or(0.0),
            num("high").unwrap_or(1.0),
        ),
    };
    let dist = match built {
        Ok(d) => d,
        Err(e) => {
            r.error(Code::InvalidValue, span, format!("`{}`: {e}", t.path()));
            return None;
        }
    };
    let (lo, hi) = dist.support();
    let value = match t.get("value") {
        Some(v) => {
            let x = r.number(v, &t.key_path("value"))?;
            if x.value < lo || x.value > hi {
                r.error(
                    Code::InvalidRange,
                    x.span.clone(),
                    format!(
                        "`{}`: value {} lies outside the distribution's support",
                        t.path(),
                        x.value
                    ),
                );
                return None;
            }
            Sp::new(RawValue::Number(x.value), x.span)
        }
        None => Sp::new(RawValue::Number(dist.nominal()), kind.span.clone()),
    };
    let Provenance {
        source,
        as_of,
        status,
        note,
    } = provenance(r, t)?;
    Some(InputValue {
        id,
        value,
        low: lo.is_finite().then_some(lo),
        high: hi.is_finite().then_some(hi),
        nominal_is_midpoint: false,
        source,
        as_of,
        status,
        note,
        line,
        distribution: Some(dist),
    })
}

/// Where a value comes from, as its table says.
struct Provenance {
    source: Option<String>,
    as_of: Option<String>,
    status: Status,
    note: Option<String>,
}

/// Reads a value table's provenance keys (`None` after reporting a bad status).
fn provenance(r: &Reader<'_>, t: &Table<'_, '_>) -> Option<Provenance> {
    let as_of = t.get("as_of").map(|v| match v.get_ref() {
        toml::de::DeValue::Datetime(d) => d.to_string(),
        toml::de::DeValue::Integer(i) => i.as_str().to_string(),
        _ => r
            .string(v, &t.key_path("as_of"))
            .map(|s| s.value)
            .unwrap_or_default(),
    });
    Some(Provenance {
        source: t.str(r, "source").map(|s| s.value),
        as_of,
        status: status(r, t)?,
        note: t.str(r, "note").map(|s| s.value),
    })
}
