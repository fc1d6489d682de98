//! Reading an indicator's `derive` table: which kind of derived value, its parameters and
//! its event filters. Everything here is local to the table, so it is checked completely
//! while reading; only the indicator index is filled in later.

use crate::derive::spec::*;
use crate::diag::{Code, did_you_mean};
use crate::toml_read::{Reader, Sp, Table, Value};

pub(crate) const KINDS: &[&str] = &[
    "event_count",
    "fatalities",
    "impact",
    "trend",
    "army_distance",
    "army_count",
    "precision_share",
];
pub(crate) const DERIVE_KEYS: &[&str] = &[
    "kind",
    "radius_km",
    "window_days",
    "half_life_days",
    "incident_weight",
    "fatality_weight",
    "year_weights",
    "recent_days",
    "earlier_days",
    "smoothing",
    "kinds",
    "measure",
    "step_km",
    "geo_precision_3",
    "geo_precision_3_weight",
    "match",
];
pub(crate) const MATCH_KEYS: &[&str] = &[
    "event_type",
    "sub_event_type",
    "actor",
    "civilian_targeting",
    "tags",
    "notes",
    "admin1",
    "location",
    "inter1",
];

/// Keys each kind takes besides `kind` (event kinds also take `match` and the
/// geo_precision keys).
fn keys_of(kind: &str) -> &'static [&'static str] {
    match kind {
        "event_count" | "fatalities" => &["radius_km", "window_days", "half_life_days"],
        "impact" => &[
            "radius_km",
            "window_days",
            "incident_weight",
            "fatality_weight",
            "year_weights",
        ],
        "trend" => &["radius_km", "recent_days", "earlier_days", "smoothing"],
        "army_distance" => &["kinds", "measure", "step_km"],
        "army_count" => &["kinds", "radius_km"],
        "precision_share" => &["radius_km", "window_days"],
        _ => &[],
    }
}

/// Reads `derive = { ... }` of an indicator. `None` after reporting any problem.
pub(crate) fn read_derive(
    r: &Reader<'_>,
    v: &Value<'_>,
    path: &str,
) -> Option<Sp<(DeriveKind, Vec<EventMatch>, Precision3)>> {
    let t = r.as_table(v, path, DERIVE_KEYS)?;
    let kind = t
        .req(r, "kind")
        .and_then(|k| r.word(k, &t.key_path("kind"), KINDS))?;
    let k = kind.value.as_str();
    let event_kind = !matches!(k, "army_distance" | "army_count");
    for (key, val) in t.entries() {
        let applies = key.value == "kind"
            || keys_of(k).contains(&key.value)
            || (event_kind
                && matches!(
                    key.value,
                    "match" | "geo_precision_3" | "geo_precision_3_weight"
                ));
        if !applies && DERIVE_KEYS.contains(&key.value) {
            r.error(
                Code::InvalidValue,
                val.span(),
                format!("`{}` does not apply to kind \"{k}\"", key.value),
            );
        }
    }
    let radius = || positive(r, &t, "radius_km", None);
    let days = |key: &str, default: Option<u32>| whole_days(r, &t, key, default);
    let half_life = || {
        t.get("half_life_days")
            .and_then(|_| positive(r, &t, "half_life_days", None))
    };
    let kind_value = match k {
        "event_count" => DeriveKind::EventCount {
            radius_km: radius()?,
            window_days: days("window_days", None)?,
            half_life_days: half_life(),
        },
        "fatalities" => DeriveKind::Fatalities {
            radius_km: radius()?,
            window_days: days("window_days", None)?,
            half_life_days: half_life(),
        },
        "impact" => {
            let year_weights = match t.get("year_weights") {
                Some(v) => {
                    let ws = r.numbers(v, &t.key_path("year_weights"))?;
                    if ws.is_empty()
                        || ws.iter().any(|w| w.value < 0.0)
                        || ws.iter().all(|w| w.value == 0.0)
                    {
                        r.error(
                            Code::InvalidValue,
                            v.span(),
                            "`year_weights` must be non-negative, not all zero",
                        );
                        return None;
                    }
                    ws.into_iter().map(|w| w.value).collect()
                }
                None => Vec::new(),
            };
            let years_days = (!year_weights.is_empty()).then(|| 365 * year_weights.len() as u32);
            let window_days = days("window_days", years_days)?;
            if let Some(yd) = years_days
                && window_days != yd
            {
                let span = t.get("window_days").map_or(t.span(), |v| v.span());
                r.error(
                    Code::InvalidValue,
                    span,
                    format!(
                        "with {} year weights the window is {yd} days (365 a year)",
                        year_weights.len()
                    ),
                );
                return None;
            }
            DeriveKind::Impact {
                radius_km: radius()?,
                window_days,
                incident_weight: non_negative(r, &t, "incident_weight", 1.0)?,
                fatality_weight: non_negative(r, &t, "fatality_weight", 1.0)?,
                year_weights,
            }
        }
        "trend" => DeriveKind::Trend {
            radius_km: radius()?,
            recent_days: days("recent_days", Some(365))?,
            earlier_days: days("earlier_days", Some(1095))?,
            smoothing: positive(r, &t, "smoothing", Some(1.0))?,
        },
        "army_distance" => DeriveKind::ArmyDistance {
            kinds: strings(r, &t, "kinds")?,
            measure: match t.word(r, "measure", &["nearest_approach", "worst_point"]) {
                Some(m) if m.value == "worst_point" => SiteMeasure::WorstPoint,
                None if t.has("measure") => return None,
                _ => SiteMeasure::NearestApproach,
            },
            step_km: positive(r, &t, "step_km", Some(0.5))?,
        },
        "army_count" => DeriveKind::ArmyCount {
            kinds: strings(r, &t, "kinds")?,
            radius_km: radius()?,
        },
        _ => DeriveKind::PrecisionShare {
            radius_km: radius()?,
            window_days: days("window_days", None)?,
        },
    };
    let precision3 = match t.word(r, "geo_precision_3", &["count", "weight", "exclude"]) {
        Some(w) if w.value == "weight" => {
            let weight = t.req_num(r, "geo_precision_3_weight")?;
            if !(0.0..=1.0).contains(&weight.value) {
                r.error(
                    Code::InvalidValue,
                    weight.span,
                    "`geo_precision_3_weight` must be between 0 and 1",
                );
                return None;
            }
            Precision3::Weight(weight.value)
        }
        Some(w) if w.value == "exclude" => Precision3::Exclude,
        None if t.has("geo_precision_3") => return None,
        _ => Precision3::Count,
    };
    if t.has("geo_precision_3_weight") && !matches!(precision3, Precision3::Weight(_)) {
        let span = t
            .get("geo_precision_3_weight")
            .map_or(t.span(), |v| v.span());
        r.error(
            Code::InvalidValue,
            span,
            "`geo_precision_3_weight` applies only to `geo_precision_3 = \"weight\"`",
        );
    }
    let matches = match t.get("match") {
        Some(v) => read_matches(r, v, &t.key_path("match"))?,
        None => Vec::new(),
    };
    Some(Sp::new((kind_value, matches, precision3), v.span()))
}

fn read_matches(r: &Reader<'_>, v: &Value<'_>, path: &str) -> Option<Vec<EventMatch>> {
    let items = r.array(v, path)?;
    let mut out = Vec::new();
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        let p = format!("{path}[{i}]");
        let Some(t) = r.as_table(item, &p, MATCH_KEYS) else {
            ok = false;
            continue;
        };
        let list = |key: &str, allowed: Option<&[&str]>| -> Option<Vec<String>> {
            let Some(v) = t.get(key) else {
                return Some(Vec::new());
            };
            let items = r.strings(v, &t.key_path(key))?;
            let mut good = true;
            for s in &items {
                if let Some(allowed) = allowed
                    && !allowed.iter().any(|a| a.eq_ignore_ascii_case(&s.value))
                {
                    let mut d = r.source().diag(
                        Code::InvalidValue,
                        s.span.clone(),
                        format!("\"{}\" is not an ACLED {key}", s.value),
                    );
                    d.help = Some(match did_you_mean(&s.value, allowed.iter().copied()) {
                        Some(m) => format!("did you mean \"{m}\"?"),
                        None => format!("ACLED's values are: {}", allowed.join(", ")),
                    });
                    r.push(d);
                    good = false;
                }
            }
            good.then(|| items.into_iter().map(|s| s.value).collect())
        };
        let m = (|| {
            Some(EventMatch {
                event_type: list("event_type", Some(ACLED_EVENT_TYPES))?,
                sub_event_type: list("sub_event_type", Some(ACLED_SUB_EVENT_TYPES))?,
                actor: list("actor", None)?,
                civilian_targeting: match t.get("civilian_targeting") {
                    Some(v) => Some(r.boolean(v, &t.key_path("civilian_targeting"))?.value),
                    None => None,
                },
                tags: list("tags", None)?,
                notes: list("notes", None)?,
                admin1: list("admin1", None)?,
                location: list("location", None)?,
                inter1: list("inter1", None)?,
            })
        })();
        match m {
            Some(m) if m == EventMatch::default() => {
                r.error(
                    Code::InvalidValue,
                    item.span(),
                    format!("`{p}` has no condition: it would match every event"),
                );
                ok = false;
            }
            Some(m) => out.push(m),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

fn positive(r: &Reader<'_>, t: &Table<'_, '_>, key: &str, default: Option<f64>) -> Option<f64> {
    let Some(v) = t.get(key) else {
        if default.is_none() {
            t.missing(r, key);
        }
        return default;
    };
    let x = r.number(v, &t.key_path(key))?;
    if x.value > 0.0 {
        Some(x.value)
    } else {
        r.error(
            Code::InvalidValue,
            x.span,
            format!("`{key}` must be greater than 0"),
        );
        None
    }
}

fn non_negative(r: &Reader<'_>, t: &Table<'_, '_>, key: &str, default: f64) -> Option<f64> {
    let Some(v) = t.get(key) else {
        return Some(default);
    };
    let x = r.number(v, &t.key_path(key))?;
    if x.value >= 0.0 {
        Some(x.value)
    } else {
        r.error(
            Code::InvalidValue,
            x.span,
            format!("`{key}` must not be negative"),
        );
        None
    }
}

fn whole_days(r: &Reader<'_>, t: &Table<'_, '_>, key: &str, default: Option<u32>) -> Option<u32> {
    let Some(v) = t.get(key) else {
        if default.is_none() {
            t.missing(r, key);
        }
        return default;
    };
    let n = r.integer(v, &t.key_path(key))?;
    // 100 years is far beyond any conflict dataset; the bound keeps date arithmetic safe.
    if (1..=36_500).contains(&n.value) {
        Some(n.value as u32)
    } else {
        r.error(
            Code::InvalidValue,
            n.span,
            format!("`{key}` must be a whole number of days from 1 to 36500"),
        );
        None
    }
}

fn strings(r: &Reader<'_>, t: &Table<'_, '_>, key: &str) -> Option<Vec<String>> {
    match t.get(key) {
        Some(v) => r
            .strings(v, &t.key_path(key))
            .map(|s| s.into_iter().map(|s| s.value).collect()),
        None => Some(Vec::new()),
    }
}
