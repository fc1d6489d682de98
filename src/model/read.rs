//! First stage of loading a model: the TOML document into raw, spanned structs, checking
//! each table's keys and value types. Cross-references (children, formulas, bands) are the
//! validator's job; this stage only knows what one table may hold.

use std::ops::Range;

use crate::derive::spec::{DataPolicy, DeriveKind, EventMatch, OnProblem, Precision3};
use crate::diag::{Code, Diagnostic, SourceFile};
use crate::model::spec::{Direction, Source};
use crate::toml_read::{FileKind, Reader, Sp, Table, Value, expect_kind, parse_document};

pub(crate) struct RawModel {
    pub meta: RawMeta,
    pub inputs: Vec<RawInput>,
    pub indicators: Vec<RawIndicator>,
    pub groups: Vec<RawGroup>,
    pub bands: Vec<RawBand>,
    pub bands_span: Range<usize>,
    pub rules: Vec<RawRule>,
    pub data: DataPolicy,
    /// Ids of indicators that failed to read: known to exist, so other tables naming
    /// them get no follow-on errors.
    pub broken_indicators: Vec<Sp<String>>,
    /// Ids of groups that failed to read.
    pub broken_groups: Vec<Sp<String>>,
    /// The `[uncertainty]` table's weight declaration.
    pub weight_uncertainty: Option<Sp<crate::model::spec::WeightUncertainty>>,
    /// The `[finance]` table, read.
    pub finance: Option<crate::finance::read::RawFinance>,
}

pub(crate) struct RawMeta {
    pub id: String,
    pub name: String,
    pub version: semver::Version,
    pub effective: jiff::civil::Date,
    pub owner: String,
    pub description: String,
    pub scale: Sp<(f64, f64)>,
    pub decimals: Option<usize>,
    pub root: Option<Sp<String>>,
    pub governance: super::governance::Governance,
}

pub(crate) struct RawInput {
    pub id: Sp<String>,
    pub label: String,
    pub description: String,
    pub unit: String,
    pub source: Source,
}

pub(crate) enum RawTransform {
    None,
    Ln,
    Log10,
    Power(f64),
    Ratio {
        denominator: Sp<String>,
        multiplier: f64,
    },
}

pub(crate) enum RawNormalise {
    Goalposts {
        min: Sp<f64>,
        max: Sp<f64>,
    },
    Piecewise(Vec<Sp<(f64, f64)>>),
    Bins {
        bins: Vec<Sp<(f64, f64)>>,
        below: f64,
    },
    Categorical(Vec<(Sp<String>, f64)>),
    ZScore {
        mean: f64,
        sd: Sp<f64>,
    },
    Identity,
}

pub(crate) enum RawMissing {
    Error,
    Drop,
    Impute(f64),
    ImputeFrom(Sp<String>),
}

pub(crate) struct RawIndicator {
    pub id: Sp<String>,
    pub label: String,
    pub unit: String,
    pub description: String,
    pub rationale: String,
    pub direction: Direction,
    pub source: Source,
    pub transform: Sp<RawTransform>,
    pub normalise: Sp<RawNormalise>,
    pub normalise_text: String,
    pub missing: RawMissing,
    pub round: Option<i32>,
    pub derive: Option<RawDerive>,
    /// Other normalisations a simulation may draw, each with its text.
    pub normalise_alternatives: Vec<(Sp<RawNormalise>, String)>,
}

/// A `derive` table, read and checked; the indicator index is filled in by validation.
pub(crate) struct RawDerive {
    pub kind: DeriveKind,
    pub matches: Vec<EventMatch>,
    pub precision3: Precision3,
    pub text: String,
    pub span: Range<usize>,
}

pub(crate) enum RawAggregation {
    Simple(&'static str),
    PowerMean(f64),
    Formula(Sp<String>),
}

pub(crate) struct RawGroup {
    pub id: Sp<String>,
    pub label: String,
    pub description: String,
    pub children: Sp<Vec<Sp<String>>>,
    pub weights: Option<Sp<Vec<Sp<f64>>>>,
    pub aggregation: Sp<RawAggregation>,
    pub zero: Sp<String>,
    pub zero_floor: Option<Sp<f64>>,
    pub round: Option<i32>,
    /// Other aggregations a simulation may draw.
    pub aggregation_alternatives: Option<Sp<Vec<Sp<&'static str>>>>,
}

pub(crate) struct RawBand {
    pub label: Sp<String>,
    pub from: Sp<f64>,
    pub colour: String,
    pub description: String,
}

pub(crate) enum RawEffect {
    BandAtLeast(Sp<String>),
    BandAtMost(Sp<String>),
    ScoreFloor(Sp<f64>),
    ScoreCap(Sp<f64>),
}

pub(crate) struct RawRule {
    pub id: Sp<String>,
    pub when: Sp<String>,
    pub effect: RawEffect,
    pub reason: String,
}

pub(crate) const TOP_KEYS: &[&str] = &[
    "model",
    "data",
    "inputs",
    "indicators",
    "groups",
    "bands",
    "rules",
    "uncertainty",
    "finance",
];
pub(crate) const DATA_KEYS: &[&str] = &[
    "rejected_rows",
    "coverage",
    "max_staleness_days",
    "empty_file",
];
pub(crate) const MODEL_KEYS: &[&str] = &[
    "id",
    "name",
    "version",
    "effective",
    "owner",
    "description",
    "scale",
    "decimals",
    "root",
    "status",
    "approver",
    "approved",
    "next_review",
    "max_age_years",
];
pub(crate) const SOURCE_KEYS: &[&str] = &["citation", "url", "vintage"];
pub(crate) const INPUT_KEYS: &[&str] = &["label", "unit", "description", "source"];
pub(crate) const INDICATOR_KEYS: &[&str] = &[
    "label",
    "unit",
    "description",
    "rationale",
    "direction",
    "source",
    "transform",
    "power",
    "denominator",
    "multiplier",
    "normalise",
    "missing",
    "impute_value",
    "impute_from",
    "round",
    "derive",
    "normalise_alternatives",
];
pub(crate) const NORMALISE_KEYS: &[&str] = &[
    "method", "min", "max", "points", "bins", "below", "map", "mean", "sd",
];
pub(crate) const NORMALISE_METHODS: &[&str] = &[
    "goalposts",
    "piecewise",
    "bins",
    "categorical",
    "zscore",
    "identity",
];
pub(crate) const TRANSFORMS: &[&str] = &["none", "ln", "log10", "power", "ratio"];
pub(crate) const MISSING: &[&str] = &["error", "drop", "impute", "impute_from"];
pub(crate) const DIRECTIONS: &[&str] = &["higher_is_riskier", "lower_is_riskier", "non_monotone"];
pub(crate) const GROUP_KEYS: &[&str] = &[
    "label",
    "description",
    "children",
    "weights",
    "aggregation",
    "power",
    "formula",
    "zero",
    "zero_floor",
    "round",
    "aggregation_alternatives",
];
pub(crate) const AGGREGATIONS: &[&str] = &[
    "arithmetic",
    "geometric",
    "harmonic",
    "power_mean",
    "min",
    "max",
    "inform_reversed_geometric",
    "union",
    "formula",
];
pub(crate) const ZERO_POLICIES: &[&str] = &["floor", "zero", "error"];
pub(crate) const BAND_KEYS: &[&str] = &["label", "from", "colour", "description"];
pub(crate) const RULE_KEYS: &[&str] = &["id", "when", "effect", "band", "value", "reason"];
pub(crate) const EFFECTS: &[&str] = &["band_at_least", "band_at_most", "score_floor", "score_cap"];

/// Reads a model file into raw structs. `None` when the file is not a usable model at all
/// (syntax errors, wrong kind, or a broken `[model]` header); diagnostics always come back.
pub(crate) fn read_model(src: &SourceFile) -> (Option<RawModel>, Vec<Diagnostic>) {
    let (doc, syntax) = parse_document(src);
    if !syntax.is_empty() {
        return (None, syntax);
    }
    if let Some(d) = expect_kind(src, doc.get_ref(), FileKind::Model) {
        return (None, vec![d]);
    }
    let r = Reader::new(src).with_max_magnitude(super::limits::MAX_NUMBER);
    let top = r.table(doc.get_ref(), doc.span(), "", TOP_KEYS);
    let meta = top
        .table(&r, "model", MODEL_KEYS)
        .and_then(|t| read_meta(&r, &t));
    let (inputs, _) = each_entry(&r, &top, "inputs", INPUT_KEYS, read_input);
    let (indicators, broken_indicators) =
        each_entry(&r, &top, "indicators", INDICATOR_KEYS, read_indicator);
    let (groups, broken_groups) = each_entry(&r, &top, "groups", GROUP_KEYS, read_group);
    let (bands, bands_span) = match top.get("bands") {
        Some(v) => (each_item(&r, v, "bands", BAND_KEYS, read_band), v.span()),
        None => {
            top.missing(&r, "bands");
            (Vec::new(), 0..0)
        }
    };
    let data = top
        .table(&r, "data", DATA_KEYS)
        .map_or_else(DataPolicy::default, |d| read_data(&r, &d));
    let rules = top
        .get("rules")
        .map(|v| each_item(&r, v, "rules", RULE_KEYS, read_rule))
        .unwrap_or_default();
    let weight_uncertainty = super::read_uncertainty::read_uncertainty(&r, &top);
    let finance = crate::finance::read::read_finance(&r, &top);
    if groups.is_empty() && broken_groups.is_empty() {
        match top.get("groups") {
            None => top.missing(&r, "groups"),
            Some(v) => r.error(
                Code::MissingKey,
                v.span(),
                "the model defines no groups: at least one group, the root, is needed",
            ),
        }
    }
    let raw = meta.map(|meta| RawModel {
        meta,
        inputs,
        indicators,
        groups,
        bands,
        bands_span,
        rules,
        data,
        broken_indicators,
        broken_groups,
        weight_uncertainty,
        finance,
    });
    (raw, r.into_diagnostics())
}

/// Most days `[data] max_staleness_days` takes: 100 years, far beyond any conflict dataset.
const MAX_STALENESS_LIMIT: i64 = 36_500;

/// Reads the `[data]` table; a bad value is reported and its default kept.
fn read_data(r: &Reader<'_>, d: &Table<'_, '_>) -> DataPolicy {
    let defaults = DataPolicy::default();
    let choice = |key: &str, default: OnProblem| match d.word(r, key, &["warn", "error"]) {
        Some(w) if w.value == "error" => OnProblem::Error,
        Some(_) => OnProblem::Warn,
        None => default,
    };
    let max_staleness_days = match d.get("max_staleness_days") {
        None => defaults.max_staleness_days,
        Some(v) => match r.integer(v, &d.key_path("max_staleness_days")) {
            Some(n) if (0..=MAX_STALENESS_LIMIT).contains(&n.value) => n.value as u32,
            Some(n) => {
                r.error(
                    Code::InvalidValue,
                    n.span,
                    format!(
                        "`max_staleness_days` must be a whole number of days from 0 to {MAX_STALENESS_LIMIT}"
                    ),
                );
                defaults.max_staleness_days
            }
            None => defaults.max_staleness_days,
        },
    };
    DataPolicy {
        rejected_rows: choice("rejected_rows", defaults.rejected_rows),
        coverage: choice("coverage", defaults.coverage),
        max_staleness_days,
        empty_file: choice("empty_file", defaults.empty_file),
    }
}

/// Reads each `[section.<id>]` table with `f`: the ones that read cleanly, and the ids of
/// those that did not.
fn each_entry<T>(
    r: &Reader<'_>,
    top: &Table<'_, '_>,
    section: &str,
    known: &[&str],
    f: impl Fn(&Reader<'_>, Sp<String>, &Table<'_, '_>) -> Option<T>,
) -> (Vec<T>, Vec<Sp<String>>) {
    let Some(map) = top.get(section).and_then(|v| r.raw_table(v, section)) else {
        return (Vec::new(), Vec::new());
    };
    let mut out = Vec::new();
    let mut broken = Vec::new();
    for (key, v) in map.iter() {
        let id = Sp::new(key.get_ref().to_string(), key.span());
        let path = format!("{section}.{}", id.value);
        let item = r
            .as_table(v, &path, known)
            .and_then(|tab| f(r, id.clone(), &tab));
        match item {
            Some(item) => out.push(item),
            None => broken.push(id),
        }
    }
    (out, broken)
}

/// Reads each element of a `[[section]]` array with `f`.
fn each_item<T>(
    r: &Reader<'_>,
    v: &Value<'_>,
    section: &str,
    known: &[&str],
    f: impl Fn(&Reader<'_>, &Table<'_, '_>) -> Option<T>,
) -> Vec<T> {
    let Some(items) = r.array(v, section) else {
        return Vec::new();
    };
    items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let tab = r.as_table(item, &format!("{section}[{i}]"), known)?;
            f(r, &tab)
        })
        .collect()
}

fn read_meta(r: &Reader<'_>, t: &Table<'_, '_>) -> Option<RawMeta> {
    let id = t.req_str(r, "id").filter(|id| {
        let ok = !id.value.is_empty()
            && id
                .value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !ok {
            r.error(
                Code::InvalidValue,
                id.span.clone(),
                format!(
                    "`model.id` = \"{}\" must be letters, digits, `_` and `-`",
                    id.value
                ),
            );
        }
        ok
    });
    let name = t.req_str(r, "name");
    let version = t
        .req_str(r, "version")
        .and_then(|v| match semver::Version::parse(&v.value) {
            Ok(ver) => Some(ver),
            Err(e) => {
                r.error(
                    Code::InvalidValue,
                    v.span,
                    format!(
                        "`model.version` = \"{}\" is not a semantic version ({e})",
                        v.value
                    ),
                );
                None
            }
        });
    let effective = t
        .req(r, "effective")
        .and_then(|v| r.date(v, "model.effective"));
    let owner = t.str(r, "owner");
    let description = t.str(r, "description");
    let scale = t.req(r, "scale").and_then(|v| {
        let nums = r.numbers(v, "model.scale")?;
        match nums.as_slice() {
            [lo, hi] => Some(Sp::new((lo.value, hi.value), v.span())),
            _ => {
                r.error(
                    Code::Scale,
                    v.span(),
                    "`model.scale` must be [min, max], e.g. [0, 100]",
                );
                None
            }
        }
    });
    let decimals = t.get("decimals").and_then(|v| {
        let n = r.integer(v, "model.decimals")?;
        if (0..=12).contains(&n.value) {
            Some(n.value as usize)
        } else {
            r.error(
                Code::InvalidValue,
                n.span,
                "`model.decimals` must be between 0 and 12",
            );
            None
        }
    });
    let root = t.str(r, "root");
    let governance = super::governance::read_governance(r, t);
    Some(RawMeta {
        governance,
        id: id?.value,
        name: name?.value,
        version: version?,
        effective: effective?.value,
        owner: owner.map(|s| s.value).unwrap_or_default(),
        description: description.map(|s| s.value).unwrap_or_default(),
        scale: scale?,
        decimals,
        root,
    })
}

fn read_source(r: &Reader<'_>, t: &Table<'_, '_>) -> Source {
    let Some(s) = t.table(r, "source", SOURCE_KEYS) else {
        return Source::default();
    };
    Source {
        citation: s
            .req_str(r, "citation")
            .map(|c| c.value)
            .unwrap_or_default(),
        url: s.str(r, "url").map(|u| u.value),
        vintage: s.str(r, "vintage").map(|u| u.value),
    }
}

fn text(r: &Reader<'_>, t: &Table<'_, '_>, key: &str) -> String {
    t.str(r, key).map(|s| s.value).unwrap_or_default()
}

fn read_round(r: &Reader<'_>, t: &Table<'_, '_>) -> Option<i32> {
    let v = t.get("round")?;
    let n = r.integer(v, &t.key_path("round"))?;
    if (0..=15).contains(&n.value) {
        Some(n.value as i32)
    } else {
        r.error(
            Code::InvalidValue,
            n.span,
            "`round` must be a number of decimals from 0 to 15",
        );
        None
    }
}

fn read_input(r: &Reader<'_>, id: Sp<String>, t: &Table<'_, '_>) -> Option<RawInput> {
    Some(RawInput {
        label: t
            .str(r, "label")
            .map_or_else(|| id.value.clone(), |s| s.value),
        unit: text(r, t, "unit"),
        description: text(r, t, "description"),
        source: read_source(r, t),
        id,
    })
}

fn read_indicator(r: &Reader<'_>, id: Sp<String>, t: &Table<'_, '_>) -> Option<RawIndicator> {
    let label = t.req_str(r, "label");
    let direction = t.req(r, "direction").and_then(|v| {
        r.word(v, &t.key_path("direction"), DIRECTIONS)
            .map(|w| match w.value.as_str() {
                "lower_is_riskier" => Direction::LowerIsRiskier,
                "non_monotone" => Direction::NonMonotone,
                _ => Direction::HigherIsRiskier,
            })
    });
    let transform = read_transform(r, t);
    let normalise = match t.req(r, "normalise") {
        Some(v) => read_normalise(r, v, &t.key_path("normalise")),
        None => None,
    };
    let missing = read_missing(r, t);
    let round = read_round(r, t);
    let derive = match t.get("derive") {
        Some(v) => match super::read_derive::read_derive(r, v, &t.key_path("derive")) {
            Some(d) => Some(RawDerive {
                kind: d.value.0,
                matches: d.value.1,
                precision3: d.value.2,
                text: r
                    .source()
                    .text()
                    .get(d.span.clone())
                    .unwrap_or("")
                    .to_string(),
                span: d.span,
            }),
            None => return None,
        },
        None => None,
    };
    let normalise_text = t
        .get("normalise")
        .map(|v| value_text(r, v))
        .unwrap_or_default();
    let normalise_alternatives = match t.get("normalise_alternatives") {
        Some(v) => {
            let path = t.key_path("normalise_alternatives");
            let mut out = Vec::new();
            for (i, item) in r.array(v, &path)?.iter().enumerate() {
                let n = read_normalise(r, item, &format!("{path}[{i}]"))?;
                let text = value_text(r, item);
                out.push((n, text));
            }
            out
        }
        None => Vec::new(),
    };
    Some(RawIndicator {
        label: label?.value,
        unit: text(r, t, "unit"),
        description: text(r, t, "description"),
        rationale: text(r, t, "rationale"),
        direction: direction?,
        source: read_source(r, t),
        transform: transform?,
        normalise: normalise?,
        normalise_text,
        missing: missing?,
        round,
        derive,
        normalise_alternatives,
        id,
    })
}

fn read_transform(r: &Reader<'_>, t: &Table<'_, '_>) -> Option<Sp<RawTransform>> {
    let word = t.word(r, "transform", TRANSFORMS);
    let span = word.as_ref().map_or(t.span(), |w| w.span.clone());
    let kind = word.as_ref().map_or("none", |w| w.value.as_str());
    if t.has("transform") && word.is_none() {
        return None;
    }
    let out = match kind {
        "ln" => RawTransform::Ln,
        "log10" => RawTransform::Log10,
        "power" => RawTransform::Power(t.req_num(r, "power")?.value),
        "ratio" => RawTransform::Ratio {
            denominator: t.req_str(r, "denominator")?,
            multiplier: t.num(r, "multiplier").map_or(1.0, |m| m.value),
        },
        _ => RawTransform::None,
    };
    for (key, needs) in [
        ("power", "power"),
        ("denominator", "ratio"),
        ("multiplier", "ratio"),
    ] {
        if kind != needs
            && let Some(v) = t.get(key)
        {
            r.error(
                Code::InvalidValue,
                v.span(),
                format!("`{key}` applies only to `transform = \"{needs}\"`"),
            );
        }
    }
    Some(Sp::new(out, span))
}

fn read_missing(r: &Reader<'_>, t: &Table<'_, '_>) -> Option<RawMissing> {
    let word = t.word(r, "missing", MISSING);
    if t.has("missing") && word.is_none() {
        return None;
    }
    let kind = word.as_ref().map_or("error", |w| w.value.as_str());
    let out = match kind {
        "drop" => RawMissing::Drop,
        "impute" => RawMissing::Impute(t.req_num(r, "impute_value")?.value),
        "impute_from" => RawMissing::ImputeFrom(t.req_str(r, "impute_from")?),
        _ => RawMissing::Error,
    };
    for (key, needs) in [("impute_value", "impute"), ("impute_from", "impute_from")] {
        if kind != needs
            && let Some(v) = t.get(key)
        {
            r.error(
                Code::InvalidValue,
                v.span(),
                format!("`{key}` applies only to `missing = \"{needs}\"`"),
            );
        }
    }
    Some(out)
}

/// Reads `[x, y]` pairs (breakpoints, bins).
fn pairs(r: &Reader<'_>, v: &Value<'_>, path: &str) -> Option<Vec<Sp<(f64, f64)>>> {
    let arr = r.array(v, path)?;
    let mut out = Vec::new();
    let mut ok = true;
    for (i, item) in arr.iter().enumerate() {
        let p = format!("{path}[{i}]");
        match r.numbers(item, &p).as_deref() {
            Some([a, b]) => out.push(Sp::new((a.value, b.value), item.span())),
            Some(_) => {
                r.error(
                    Code::Normalisation,
                    item.span(),
                    format!("`{p}` must be a pair [x, score]"),
                );
                ok = false;
            }
            None => ok = false,
        }
    }
    ok.then_some(out)
}

fn read_normalise(r: &Reader<'_>, v: &Value<'_>, path: &str) -> Option<Sp<RawNormalise>> {
    let t = r.as_table(v, path, NORMALISE_KEYS)?;
    let method = t
        .req(r, "method")
        .and_then(|m| r.word(m, &t.key_path("method"), NORMALISE_METHODS))?;
    let allowed: &[&str] = match method.value.as_str() {
        "goalposts" => &["min", "max"],
        "piecewise" => &["points"],
        "bins" => &["bins", "below"],
        "categorical" => &["map"],
        "zscore" => &["mean", "sd"],
        _ => &[],
    };
    for (key, val) in t.entries() {
        if key.value != "method"
            && !allowed.contains(&key.value)
            && NORMALISE_KEYS.contains(&key.value)
        {
            r.error(
                Code::InvalidValue,
                val.span(),
                format!(
                    "`{}` does not apply to method \"{}\"",
                    key.value, method.value
                ),
            );
        }
    }
    let out = match method.value.as_str() {
        "goalposts" => RawNormalise::Goalposts {
            min: t.req_num(r, "min")?,
            max: t.req_num(r, "max")?,
        },
        "piecewise" => {
            RawNormalise::Piecewise(pairs(r, t.req(r, "points")?, &t.key_path("points"))?)
        }
        "bins" => RawNormalise::Bins {
            bins: pairs(r, t.req(r, "bins")?, &t.key_path("bins"))?,
            below: t.num(r, "below").map_or(f64::NAN, |b| b.value),
        },
        "categorical" => {
            let m = r.raw_table(t.req(r, "map")?, &t.key_path("map"))?;
            let mut cats = Vec::new();
            for (k, val) in m.iter() {
                let score = r.number(val, &format!("{}.map.{}", path, k.get_ref()))?;
                cats.push((Sp::new(k.get_ref().to_string(), k.span()), score.value));
            }
            RawNormalise::Categorical(cats)
        }
        "zscore" => RawNormalise::ZScore {
            mean: t.req_num(r, "mean")?.value,
            sd: t.req_num(r, "sd")?,
        },
        _ => RawNormalise::Identity,
    };
    Some(Sp::new(out, v.span()))
}

fn read_group(r: &Reader<'_>, id: Sp<String>, t: &Table<'_, '_>) -> Option<RawGroup> {
    let children = t.req(r, "children").and_then(|v| {
        r.strings(v, &t.key_path("children"))
            .map(|c| Sp::new(c, v.span()))
    });
    let weights = t.get("weights").and_then(|v| {
        r.numbers_any(v, &t.key_path("weights"))
            .map(|w| Sp::new(w, v.span()))
    });
    let agg_word = t
        .req(r, "aggregation")
        .and_then(|v| r.word(v, &t.key_path("aggregation"), AGGREGATIONS));
    let aggregation = agg_word.and_then(|w| {
        let a = match w.value.as_str() {
            "power_mean" => RawAggregation::PowerMean(t.req_num(r, "power")?.value),
            "formula" => RawAggregation::Formula(t.req_str(r, "formula")?),
            other => RawAggregation::Simple(
                AGGREGATIONS
                    .iter()
                    .find(|a| **a == other)
                    .copied()
                    .unwrap_or("arithmetic"),
            ),
        };
        Some(Sp::new(a, w.span))
    });
    for (key, needs) in [("power", "power_mean"), ("formula", "formula")] {
        if let (Some(v), Some(a)) = (t.get(key), aggregation.as_ref()) {
            let is = match &a.value {
                RawAggregation::PowerMean(_) => "power_mean",
                RawAggregation::Formula(_) => "formula",
                RawAggregation::Simple(s) => s,
            };
            if is != needs {
                r.error(
                    Code::InvalidValue,
                    v.span(),
                    format!("`{key}` applies only to `aggregation = \"{needs}\"`"),
                );
            }
        }
    }
    let zero = t
        .word(r, "zero", ZERO_POLICIES)
        .unwrap_or_else(|| Sp::new("floor".to_string(), t.span()));
    let zero_floor = t.num(r, "zero_floor");
    let round = read_round(r, t);
    let aggregation_alternatives = t.get("aggregation_alternatives").and_then(|v| {
        let path = t.key_path("aggregation_alternatives");
        let words = r.array(v, &path)?.iter().enumerate().map(|(i, item)| {
            r.word(
                item,
                &format!("{path}[{i}]"),
                super::read_uncertainty::ALTERNATIVE_AGGREGATIONS,
            )
            .map(|w| super::read_uncertainty::aggregation_word(w))
        });
        let words: Option<Vec<_>> = words.collect();
        Some(Sp::new(words?, v.span()))
    });
    Some(RawGroup {
        label: t
            .str(r, "label")
            .map_or_else(|| id.value.clone(), |s| s.value),
        description: text(r, t, "description"),
        children: children?,
        weights,
        aggregation: aggregation?,
        zero,
        zero_floor,
        round,
        aggregation_alternatives,
        id,
    })
}

fn read_band(r: &Reader<'_>, t: &Table<'_, '_>) -> Option<RawBand> {
    let label = t.req_str(r, "label");
    let from = t.req_num(r, "from");
    let colour = t.str(r, "colour").map(|c| {
        let ok = c.value.len() == 7
            && c.value.starts_with('#')
            && c.value[1..].chars().all(|ch| ch.is_ascii_hexdigit());
        if !ok {
            r.error(
                Code::InvalidValue,
                c.span.clone(),
                format!("`colour` = \"{}\" must be of the form \"#rrggbb\"", c.value),
            );
        }
        c.value
    });
    Some(RawBand {
        label: label?,
        from: from?,
        colour: colour.unwrap_or_else(|| "#808080".to_string()),
        description: text(r, t, "description"),
    })
}

fn read_rule(r: &Reader<'_>, t: &Table<'_, '_>) -> Option<RawRule> {
    let id = t.req_str(r, "id");
    let when = t.req_str(r, "when");
    let reason = t.req_str(r, "reason");
    let effect = t
        .req(r, "effect")
        .and_then(|v| r.word(v, &t.key_path("effect"), EFFECTS));
    let effect = effect.and_then(|e| {
        let band_effect = e.value.starts_with("band_");
        let (wanted, unwanted) = if band_effect {
            ("band", "value")
        } else {
            ("value", "band")
        };
        if let Some(v) = t.get(unwanted) {
            r.error(
                Code::InvalidValue,
                v.span(),
                format!(
                    "`{unwanted}` does not apply to effect \"{}\" (it takes `{wanted}`)",
                    e.value
                ),
            );
        }
        Some(match e.value.as_str() {
            "band_at_least" => RawEffect::BandAtLeast(t.req_str(r, "band")?),
            "band_at_most" => RawEffect::BandAtMost(t.req_str(r, "band")?),
            "score_floor" => RawEffect::ScoreFloor(t.req_num(r, "value")?),
            _ => RawEffect::ScoreCap(t.req_num(r, "value")?),
        })
    });
    Some(RawRule {
        id: id?,
        when: when?,
        effect: effect?,
        reason: reason?.value,
    })
}

impl Reader<'_> {
    /// An array of numbers where non-finite values are kept (the validator reports them with
    /// the weight-specific code).
    fn numbers_any(&self, v: &Value<'_>, path: &str) -> Option<Vec<Sp<f64>>> {
        let arr = self.array(v, path)?;
        let mut out = Vec::new();
        for (i, e) in arr.iter().enumerate() {
            let x = match e.get_ref() {
                toml::de::DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
                toml::de::DeValue::Integer(_) => self.integer(e, path).map(|n| n.value as f64),
                _ => {
                    self.number(e, &format!("{path}[{i}]"));
                    return None;
                }
            };
            out.push(Sp::new(x?, e.span()));
        }
        Some(out)
    }
}

/// A value as the file writes it, for explanations. An inline table is its own text; a
/// table written as a `[header]` or with dotted keys has no text of its own, so it is
/// written as an inline table of its entries, each as the file spells it.
fn value_text(r: &Reader<'_>, v: &Value<'_>) -> String {
    let own = r.source().text().get(v.span()).unwrap_or("");
    match v.get_ref() {
        toml::de::DeValue::Table(t) if !own.trim_start().starts_with('{') => {
            let entries: Vec<String> = t
                .iter()
                .map(|(k, val)| format!("{} = {}", k.get_ref(), value_text(r, val)))
                .collect();
            format!("{{ {} }}", entries.join(", "))
        }
        _ => own.to_string(),
    }
}
