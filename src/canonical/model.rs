//! The canonical form of a compiled model: every setting that decides a score, a band, a
//! simulation or a money figure, and every text an output shows, with defaults filled in,
//! as one JSON value. Built from the validated [`Model`], never from the file's text, so
//! comments, spacing, key order, inline or dotted tables and number spellings cannot
//! reach it; numbers are in the units the author writes ([`super::raw_units`]).
//!
//! What is left out, on purpose: line numbers, the file's name and hash, the texts the
//! file used to spell a normalisation or a `derive` table, and the order of the
//! `[indicators]`, `[inputs]` and `[groups]` tables (they are keyed by id). What stays
//! ordered is what an order means: a group's children and weights, bands, rules, the
//! options of an alternative, lists of event filters.
//!
//! Changing anything in this layout changes every fingerprint: bump
//! [`super::CANONICAL_VERSION`] when doing so.

use serde_json::{Map, Value, json};

use super::{jcs, raw_units};
use crate::derive::spec::{DeriveKind, Derived, EventMatch, Precision3, SiteMeasure};
use crate::finance::spec::{Finance, Mitigant, MitigantKind, PdMapping};
use crate::model::{
    Aggregation, AlternativeOptions, AuxInput, Band, Effect, Group, Indicator, Missing, Model,
    Normalisation, Rule, Source, Transform, WeightUncertainty, ZeroPolicy,
};

/// The `[data]` table. Its coverage keys came after version 1 of this layout: they appear
/// only when they differ from their defaults, so that a model that does not set them keeps
/// the fingerprint it had (and writing a default out changes nothing, as elsewhere).
fn data(policy: crate::derive::spec::DataPolicy) -> Value {
    let defaults = crate::derive::spec::DataPolicy::default();
    let mut out = Map::new();
    out.insert("rejected_rows".into(), json!(policy.rejected_rows.word()));
    if policy.coverage != defaults.coverage {
        out.insert("coverage".into(), json!(policy.coverage.word()));
    }
    if policy.max_staleness_days != defaults.max_staleness_days {
        out.insert(
            "max_staleness_days".into(),
            json!(policy.max_staleness_days),
        );
    }
    if policy.empty_file != defaults.empty_file {
        out.insert("empty_file".into(), json!(policy.empty_file.word()));
    }
    Value::Object(out)
}

/// The canonical form of `model` as a JSON value (see the module documentation).
pub fn canonical_value(model: &Model) -> Value {
    let members = members(model).into_iter().map(|(key, member)| {
        let value = match member {
            Member::Whole(v) => v,
            Member::ById(table) => Value::Object(
                (0..table.len(model))
                    .map(|k| {
                        let (id, v) = table.entry(model, k);
                        (id.to_string(), v)
                    })
                    .collect(),
            ),
        };
        (key.to_string(), value)
    });
    Value::Object(members.collect())
}

/// The canonical form's RFC 8785 text: exactly `jcs::to_string(&canonical_value(model))`,
/// written one indicator, group or input at a time. The whole form as one JSON value
/// takes about 6 KB per indicator and most of the time of scoring a large model; written
/// entry by entry, each entry's value is built, written and dropped in turn.
pub(crate) fn canonical_text(model: &Model) -> Result<String, jcs::NonFinite> {
    let mut members = members(model);
    // The top-level keys are ASCII, where UTF-16 order is byte order.
    members.sort_by_key(|(key, _)| *key);
    let mut out = String::new();
    out.push('{');
    for (i, (key, member)) in members.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        jcs::write_key(&mut out, key);
        match member {
            Member::Whole(v) => jcs::write_value(&mut out, &v)?,
            Member::ById(table) => {
                let mut entries: Vec<(usize, &str)> = (0..table.len(model))
                    .map(|k| (k, table.id(model, k)))
                    .collect();
                entries.sort_by(|a, b| jcs::key_order(a.1, b.1));
                out.push('{');
                for (j, (k, id)) in entries.into_iter().enumerate() {
                    if j > 0 {
                        out.push(',');
                    }
                    jcs::write_key(&mut out, id);
                    jcs::write_value(&mut out, &table.entry(model, k).1)?;
                }
                out.push('}');
            }
        }
    }
    out.push('}');
    Ok(out)
}

/// A top-level member of the canonical form: a value, or one of the tables keyed by id.
enum Member {
    Whole(Value),
    ById(Keyed),
}

/// The tables of the canonical form keyed by id, one entry per definition.
#[derive(Clone, Copy)]
enum Keyed {
    Inputs,
    Indicators,
    Groups,
}

impl Keyed {
    fn len(self, model: &Model) -> usize {
        match self {
            Keyed::Inputs => model.aux_inputs.len(),
            Keyed::Indicators => model.indicators.len(),
            Keyed::Groups => model.groups.len(),
        }
    }

    fn id(self, model: &Model, k: usize) -> &str {
        match self {
            Keyed::Inputs => &model.aux_inputs[k].id,
            Keyed::Indicators => &model.indicators[k].id,
            Keyed::Groups => &model.groups[k].id,
        }
    }

    fn entry(self, model: &Model, k: usize) -> (&str, Value) {
        let value = match self {
            Keyed::Inputs => input(&model.aux_inputs[k]),
            Keyed::Indicators => indicator(model, k, &model.indicators[k]),
            Keyed::Groups => group(model, &model.groups[k]),
        };
        (self.id(model, k), value)
    }
}

/// Every top-level member of the canonical form, in no particular order.
fn members(model: &Model) -> Vec<(&'static str, Member)> {
    vec![
        ("model", Member::Whole(meta(model))),
        ("data", Member::Whole(data(model.data))),
        ("inputs", Member::ById(Keyed::Inputs)),
        ("indicators", Member::ById(Keyed::Indicators)),
        ("groups", Member::ById(Keyed::Groups)),
        (
            "bands",
            Member::Whole(Value::Array(model.bands.iter().map(band).collect())),
        ),
        (
            "rules",
            Member::Whole(Value::Array(
                model.rules.iter().map(|r| rule(model, r)).collect(),
            )),
        ),
        (
            "uncertainty",
            Member::Whole(uncertainty(model.weight_uncertainty)),
        ),
        (
            "finance",
            Member::Whole(
                model
                    .finance
                    .as_ref()
                    .map_or(Value::Null, |f| finance(model, f)),
            ),
        ),
    ]
}

/// A number as JSON. Whole numbers are held as integers so that JSON written from the
/// form (the diff's) shows `35`, not `35.0`; the canonical text is the same either way.
/// A compiled model holds finite numbers only; were one not to be, its spelling as a
/// string still keeps the form deterministic and distinct.
fn num(x: f64) -> Value {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53: integers below are exact doubles
    if x.fract() == 0.0 && x.abs() < EXACT {
        return Value::from(x as i64);
    }
    serde_json::Number::from_f64(x).map_or_else(|| Value::String(x.to_string()), Value::Number)
}

/// A score stored as a fraction, back on the model's scale; the fraction itself if no
/// score compiles to it (never seen in practice, kept so the form stays faithful).
fn score(model: &Model, fraction: f64) -> Value {
    match raw_units::score(model.meta.scale, fraction) {
        Some(y) => num(y),
        None => json!({ "fraction": num(fraction) }),
    }
}

/// A transformed abscissa back in raw units, or the transformed value if none compiles to it.
fn abscissa(t: Transform, compiled: f64) -> Value {
    match raw_units::abscissa(t, compiled) {
        Some(x) => num(x),
        None => json!({ "transformed": num(compiled) }),
    }
}

fn opt_str(s: &Option<String>) -> Value {
    s.as_ref().map_or(Value::Null, |s| Value::String(s.clone()))
}

fn meta(model: &Model) -> Value {
    let m = &model.meta;
    json!({
        "id": m.id,
        "name": m.name,
        "version": m.version.to_string(),
        "effective": m.effective.to_string(),
        "owner": m.owner,
        "description": m.description,
        "scale": [num(m.scale.min), num(m.scale.max)],
        "decimals": m.decimals,
        "root": model.node_id(model.root),
        "governance": {
            "status": m.governance.status.as_str(),
            "approver": opt_str(&m.governance.approver),
            "approved": m.governance.approved.map_or(Value::Null, |d| Value::String(d.to_string())),
            "next_review": m.governance.next_review.map_or(Value::Null, |d| Value::String(d.to_string())),
            "max_age_years": m.governance.max_age_years.map_or(Value::Null, num),
        },
    })
}

fn source(s: &Source) -> Value {
    json!({ "citation": s.citation, "url": opt_str(&s.url), "vintage": opt_str(&s.vintage) })
}

fn input(a: &AuxInput) -> Value {
    json!({
        "label": a.label,
        "unit": a.unit,
        "description": a.description,
        "source": source(&a.source),
    })
}

fn indicator(model: &Model, i: usize, ind: &Indicator) -> Value {
    let alternatives = ind
        .alternative
        .and_then(|a| model.alternatives.get(usize::from(a)))
        .map(|a| match &a.options {
            AlternativeOptions::Normalisation { options, .. } => options
                .iter()
                .skip(1)
                .map(|n| normalisation(model, ind.transform, n))
                .collect(),
            AlternativeOptions::Aggregation { .. } => Vec::new(),
        })
        .unwrap_or_default();
    // Derived indicators are listed in indicator order.
    let derive = model
        .derived
        .binary_search_by_key(&(i as u32), |d| d.indicator)
        .ok()
        .map_or(Value::Null, |k| derived(&model.derived[k]));
    json!({
        "label": ind.label,
        "unit": ind.unit,
        "description": ind.description,
        "rationale": ind.rationale,
        "direction": ind.direction.as_str(),
        "source": source(&ind.source),
        "transform": transform(model, ind.transform),
        "normalise": normalisation(model, ind.transform, &ind.normalisation),
        "normalise_alternatives": alternatives,
        "missing": missing(model, ind.missing),
        "round": ind.round,
        "derive": derive,
    })
}

fn transform(model: &Model, t: Transform) -> Value {
    match t {
        Transform::None => json!({ "kind": "none" }),
        Transform::Ln => json!({ "kind": "ln" }),
        Transform::Log10 => json!({ "kind": "log10" }),
        Transform::Power(p) => json!({ "kind": "power", "power": num(p) }),
        Transform::Ratio {
            denominator,
            multiplier,
        } => json!({
            "kind": "ratio",
            "denominator": model.input_id(denominator),
            "multiplier": num(multiplier),
        }),
    }
}

/// A normalisation in the units the file writes: abscissae before the transform, scores
/// on the model's scale; z-score parameters are in transformed units, as written.
fn normalisation(model: &Model, t: Transform, n: &Normalisation) -> Value {
    let pairs = |ps: &[(f64, f64)]| -> Value {
        ps.iter()
            .map(|&(x, u)| json!([abscissa(t, x), score(model, u)]))
            .collect()
    };
    match n {
        Normalisation::Goalposts { min, max } => json!({
            "method": "goalposts",
            "min": abscissa(t, *min),
            "max": abscissa(t, *max),
        }),
        Normalisation::Piecewise { points } => json!({
            "method": "piecewise",
            "points": pairs(points),
        }),
        Normalisation::Bins { bins, below } => json!({
            "method": "bins",
            "bins": pairs(bins),
            "below": score(model, *below),
        }),
        Normalisation::Categorical { categories } => json!({
            "method": "categorical",
            "map": categories
                .iter()
                .map(|(c, u)| (c.clone(), score(model, *u)))
                .collect::<Map<String, Value>>(),
        }),
        Normalisation::ZScore { mean, sd } => json!({
            "method": "zscore",
            "mean": num(*mean),
            "sd": num(*sd),
        }),
        Normalisation::Identity => json!({ "method": "identity" }),
    }
}

fn missing(model: &Model, m: Missing) -> Value {
    match m {
        Missing::Error => json!({ "policy": "error" }),
        Missing::Drop => json!({ "policy": "drop" }),
        Missing::Impute(v) => json!({ "policy": "impute", "impute_value": num(v) }),
        Missing::ImputeFrom(slot) => {
            json!({ "policy": "impute_from", "impute_from": model.input_id(slot) })
        }
    }
}

fn derived(d: &Derived) -> Value {
    let mut out = Map::new();
    out.insert("kind".into(), d.kind.name().into());
    let opt = |x: Option<f64>| x.map_or(Value::Null, num);
    match &d.kind {
        DeriveKind::EventCount {
            radius_km,
            window_days,
            half_life_days,
        }
        | DeriveKind::Fatalities {
            radius_km,
            window_days,
            half_life_days,
        } => {
            out.insert("radius_km".into(), num(*radius_km));
            out.insert("window_days".into(), (*window_days).into());
            out.insert("half_life_days".into(), opt(*half_life_days));
        }
        DeriveKind::Impact {
            radius_km,
            window_days,
            incident_weight,
            fatality_weight,
            year_weights,
        } => {
            out.insert("radius_km".into(), num(*radius_km));
            out.insert("window_days".into(), (*window_days).into());
            out.insert("incident_weight".into(), num(*incident_weight));
            out.insert("fatality_weight".into(), num(*fatality_weight));
            out.insert(
                "year_weights".into(),
                year_weights.iter().map(|w| num(*w)).collect(),
            );
        }
        DeriveKind::Trend {
            radius_km,
            recent_days,
            earlier_days,
            smoothing,
        } => {
            out.insert("radius_km".into(), num(*radius_km));
            out.insert("recent_days".into(), (*recent_days).into());
            out.insert("earlier_days".into(), (*earlier_days).into());
            out.insert("smoothing".into(), num(*smoothing));
        }
        DeriveKind::ArmyDistance {
            kinds,
            measure,
            step_km,
        } => {
            out.insert("kinds".into(), json!(kinds));
            out.insert(
                "measure".into(),
                match measure {
                    SiteMeasure::NearestApproach => "nearest_approach",
                    SiteMeasure::WorstPoint => "worst_point",
                }
                .into(),
            );
            out.insert("step_km".into(), num(*step_km));
        }
        DeriveKind::ArmyCount { kinds, radius_km } => {
            out.insert("kinds".into(), json!(kinds));
            out.insert("radius_km".into(), num(*radius_km));
        }
        DeriveKind::PrecisionShare {
            radius_km,
            window_days,
        } => {
            out.insert("radius_km".into(), num(*radius_km));
            out.insert("window_days".into(), (*window_days).into());
        }
    }
    // Event filters and the weight of region-level events apply to event kinds only (the
    // reader refuses them on position kinds).
    if !d.kind.uses_positions() {
        let (p3, weight) = match d.precision3 {
            Precision3::Count => ("count", Value::Null),
            Precision3::Weight(w) => ("weight", num(w)),
            Precision3::Exclude => ("exclude", Value::Null),
        };
        out.insert("geo_precision_3".into(), p3.into());
        out.insert("geo_precision_3_weight".into(), weight);
        out.insert("match".into(), d.matches.iter().map(event_match).collect());
    }
    Value::Object(out)
}

fn event_match(m: &EventMatch) -> Value {
    json!({
        "event_type": m.event_type,
        "sub_event_type": m.sub_event_type,
        "actor": m.actor,
        "civilian_targeting": m.civilian_targeting,
        "tags": m.tags,
        "notes": m.notes,
        "admin1": m.admin1,
        "location": m.location,
        "inter1": m.inter1,
    })
}

fn aggregation(a: &Aggregation) -> Value {
    match a {
        Aggregation::PowerMean(p) => json!({ "method": "power_mean", "power": num(*p) }),
        Aggregation::Formula(e) => json!({ "method": "formula", "formula": e.normalised_text() }),
        other => json!({ "method": other.name() }),
    }
}

fn group(model: &Model, g: &Group) -> Value {
    let (children, weights): (Vec<Value>, Vec<Value>) = model
        .children(g)
        .map(|(e, c)| (Value::from(model.node_id(c)), num(model.weights[e])))
        .unzip();
    let alternatives: Vec<Value> = g
        .alternative
        .and_then(|a| model.alternatives.get(usize::from(a)))
        .map(|a| match &a.options {
            // The file lists these by name, and only parameterless aggregations may be
            // listed (the reader refuses others), so the name says everything.
            AlternativeOptions::Aggregation { options, .. } => options
                .iter()
                .skip(1)
                .map(|a| Value::from(a.name()))
                .collect(),
            AlternativeOptions::Normalisation { .. } => Vec::new(),
        })
        .unwrap_or_default();
    let zero = match g.zero {
        ZeroPolicy::Floor(u) => json!({ "policy": "floor", "zero_floor": score(model, u) }),
        ZeroPolicy::Zero => json!({ "policy": "zero" }),
        ZeroPolicy::Error => json!({ "policy": "error" }),
    };
    json!({
        "label": g.label,
        "description": g.description,
        "children": children,
        "weights": weights,
        "aggregation": aggregation(&g.aggregation),
        "aggregation_alternatives": alternatives,
        "zero": zero,
        "round": g.round,
    })
}

fn band(b: &Band) -> Value {
    json!({
        "label": b.label,
        "from": num(b.from),
        "colour": b.colour,
        "description": b.description,
    })
}

fn rule(model: &Model, r: &Rule) -> Value {
    let label = |b: u16| {
        model
            .bands
            .get(usize::from(b))
            .map_or(Value::Null, |b| Value::from(b.label.as_str()))
    };
    let effect = match r.effect {
        Effect::BandAtLeast(b) => json!({ "kind": "band_at_least", "band": label(b) }),
        Effect::BandAtMost(b) => json!({ "kind": "band_at_most", "band": label(b) }),
        Effect::ScoreFloor(v) => json!({ "kind": "score_floor", "value": num(v) }),
        Effect::ScoreCap(v) => json!({ "kind": "score_cap", "value": num(v) }),
    };
    json!({
        "id": r.id,
        "when": r.when.normalised_text(),
        "effect": effect,
        "reason": r.reason,
    })
}

fn uncertainty(w: WeightUncertainty) -> Value {
    match w {
        WeightUncertainty::Fixed => json!({ "weights": "fixed" }),
        WeightUncertainty::Perturb { factor } => {
            json!({ "weights": "perturb", "factor": num(factor) })
        }
        WeightUncertainty::Dirichlet { concentration } => {
            json!({ "weights": "dirichlet", "concentration": num(concentration) })
        }
    }
}

fn finance(model: &Model, f: &Finance) -> Value {
    let by_band = |values: Vec<Value>| -> Value {
        Value::Object(
            model
                .bands
                .iter()
                .map(|b| b.label.clone())
                .zip(values)
                .collect(),
        )
    };
    let pd = match &f.pd {
        PdMapping::Table { annual } => json!({
            "method": "table",
            "annual": by_band(annual.iter().map(|p| num(*p)).collect()),
        }),
        PdMapping::Logistic { intercept, slope } => json!({
            "method": "logistic",
            "intercept": num(*intercept),
            "slope": num(*slope),
        }),
    };
    json!({
        "pd": pd,
        "pd_source": f.pd_source,
        "calibrated_on": opt_str(&f.calibrated_on),
        "horizon_years": num(f.horizon_years),
        "lgd": num(f.lgd),
        "lgd_source": f.lgd_source,
        "maturity_years": num(f.maturity_years),
        "short_maturity_option": f.short_maturity_option,
        "slotting": by_band(f.slotting.iter().map(|c| Value::from(c.as_str())).collect()),
        "mitigant": f.mitigant.as_ref().map_or(Value::Null, mitigant),
    })
}

fn mitigant(m: &Mitigant) -> Value {
    json!({
        "kind": match m.kind {
            MitigantKind::Guarantee => "guarantee",
            MitigantKind::PoliticalRiskInsurance => "political_risk_insurance",
        },
        "provider": m.provider,
        "cover": num(m.cover),
        "provider_pd": num(m.provider_pd),
        "provider_lgd": num(m.provider_lgd),
        "peril_share": num(m.peril_share),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text written entry by entry is the RFC 8785 text of the whole value: the
    /// fingerprints of every shipped model are what they were before the text streamed.
    #[test]
    fn the_streamed_text_is_the_canonical_text_of_the_whole_value() {
        let root = env!("CARGO_MANIFEST_DIR");
        for path in [
            "models/sahel-infrastructure.toml",
            "models/hdi.toml",
            "models/inform-sahel.toml",
            "models/history/sahel-infrastructure-1.1.0.toml",
            "models/template/model.toml",
        ] {
            let text = std::fs::read_to_string(format!("{root}/{path}")).unwrap();
            let model = Model::from_toml(path, &text).unwrap();
            let whole = jcs::to_string(&canonical_value(&model)).unwrap();
            assert_eq!(canonical_text(&model).unwrap(), whole, "{path}");
        }
    }

    /// Keys that sort differently as UTF-8 bytes and as UTF-16 code units (U+FB33 and an
    /// emoji) come out in UTF-16 order in both writers.
    #[test]
    fn ids_out_of_the_basic_plane_sort_as_utf16() {
        let mut order = ["\u{fb33}", "\u{1f600}", "a"];
        order.sort_by(|a, b| jcs::key_order(a, b));
        assert_eq!(order, ["a", "\u{1f600}", "\u{fb33}"]);
    }
}
