//! Second stage of loading a model: raw structs into a [`Model`] that cannot be invalid.
//! Resolves every name to an index, checks weights, bands, formulas and rules, orders the
//! groups for evaluation, and reports every problem found (never just the first).

use std::collections::HashMap;
use std::ops::Range;

use super::limits::{
    MAX_ALTERNATIVES, MAX_BANDS, MAX_NUMBER, MAX_OPTIONS, MAX_POWER_MEAN, MAX_TREE_DEPTH,
    MIN_POSITIVE_WEIGHT, MIN_POWER_MEAN,
};
use super::normalise::transform_point;
use super::read::{RawAggregation, RawEffect, RawMissing, RawModel, RawNormalise, RawTransform};
use super::spec::*;
use super::{Model, ModelMeta, Named, NodeId};
use crate::audit::sha256_hex;
use crate::derive::spec::Derived;
use crate::diag::{Code, Diagnostic, SourceFile, Suggestions, name_list};
use crate::expr::{self, Expr, ExprErrorKind, Name, Operand};
use crate::toml_read::{Sp, string_offset_map};

/// Default zero floor of geometric-type means, as a fraction of the scale.
pub const DEFAULT_ZERO_FLOOR: f64 = 0.01;

struct Ctx<'s> {
    src: &'s SourceFile,
    diags: Vec<Diagnostic>,
    /// "Did you mean" searches left for this file.
    suggestions: Suggestions,
}

impl Ctx<'_> {
    fn err(&mut self, code: Code, span: Range<usize>, msg: impl Into<String>) -> &mut Diagnostic {
        let d = self.src.diag(code, span, msg);
        self.diags.push(d);
        let last = self.diags.len() - 1;
        &mut self.diags[last]
    }
}

/// What a name resolves to where a slot is expected (a denominator, an imputation source).
enum Resolved {
    Slot(u32),
    Broken,
    Unknown,
}

/// What a name in the model refers to.
#[derive(Clone, Copy)]
enum Def {
    Indicator(u32),
    Group(u32),
    Input(u32),
    /// Defined, but its table had errors (already reported): references to it are not
    /// errors of their own.
    Broken,
}

pub(crate) fn compile(src: &SourceFile, raw: RawModel) -> (Option<Model>, Vec<Diagnostic>) {
    let mut cx = Ctx {
        src,
        diags: Vec::new(),
        suggestions: Suggestions::default(),
    };
    let meta = &raw.meta;
    let (smin, smax) = meta.scale.value;
    let scale = Scale {
        min: smin,
        max: smax,
    };
    // The width is checked too: scores are fractions of it (the reader bounds both ends,
    // so this only guards that bound).
    if !(smin.is_finite() && smax.is_finite() && smin < smax && (smax - smin).is_finite()) {
        cx.err(
            Code::Scale,
            meta.scale.span.clone(),
            "`model.scale` must be two finite numbers, min < max, whose difference is finite",
        );
        return (None, cx.diags);
    }
    let n_ind = raw.indicators.len() as u32;

    // Every id in one namespace, so formulas and children can name any of them.
    let mut defs: HashMap<String, (Def, Range<usize>)> = HashMap::new();
    let mut define = |cx: &mut Ctx<'_>, id: &Sp<String>, def: Def| {
        if !is_identifier(&id.value) {
            cx.err(
                Code::InvalidValue,
                id.span.clone(),
                format!(
                    "id `{}` must be letters, digits and underscores, not starting with a digit",
                    id.value
                ),
            );
        }
        if id.value == "raw" {
            cx.err(
                Code::InvalidValue,
                id.span.clone(),
                "`raw` is reserved for formulas (raw.<input>)",
            );
        }
        if let Some((_, first)) = defs.get(&id.value) {
            let related = cx.src.related(first.clone(), "first defined here");
            cx.err(
                Code::DuplicateId,
                id.span.clone(),
                format!("`{}` is defined twice", id.value),
            )
            .related
            .push(related);
        } else {
            defs.insert(id.value.clone(), (def, id.span.clone()));
        }
    };
    for (i, ind) in raw.indicators.iter().enumerate() {
        define(&mut cx, &ind.id, Def::Indicator(i as u32));
    }
    for (g, grp) in raw.groups.iter().enumerate() {
        define(&mut cx, &grp.id, Def::Group(g as u32));
    }
    for (j, inp) in raw.inputs.iter().enumerate() {
        define(&mut cx, &inp.id, Def::Input(n_ind + j as u32));
    }
    for id in raw.broken_indicators.iter().chain(&raw.broken_groups) {
        define(&mut cx, id, Def::Broken);
    }
    // A name resolves to a slot, to a definition that failed (already reported: the
    // reference is not an error of its own, and no index stands in for it), or to nothing.
    let input_slot = |id: &str| match defs.get(id) {
        Some((Def::Indicator(i), _)) => Resolved::Slot(*i),
        Some((Def::Input(s), _)) => Resolved::Slot(*s),
        Some((Def::Broken, _)) => Resolved::Broken,
        _ => Resolved::Unknown,
    };
    let input_names: Vec<&str> = raw
        .indicators
        .iter()
        .map(|i| i.id.value.as_str())
        .chain(raw.inputs.iter().map(|i| i.id.value.as_str()))
        .collect();
    let node_names: Vec<&str> = raw
        .indicators
        .iter()
        .map(|i| i.id.value.as_str())
        .chain(raw.groups.iter().map(|g| g.id.value.as_str()))
        .collect();

    // Indicators.
    let mut indicators = Vec::new();
    let mut alternatives: Vec<Alternative> = Vec::new();
    let mut used_inputs = vec![false; input_names.len()];
    for ind in &raw.indicators {
        let mut resolve_input = |cx: &mut Ctx<'_>, name: &Sp<String>, what: &str| -> Option<u32> {
            match input_slot(&name.value) {
                Resolved::Slot(s) => {
                    if let Some(u) = used_inputs.get_mut(s as usize) {
                        *u = true;
                    }
                    Some(s)
                }
                Resolved::Broken => None,
                Resolved::Unknown => {
                    let help = cx
                        .suggestions
                        .find(&name.value, input_names.iter().copied())
                        .map(|m| format!("did you mean `{m}`?"));
                    cx.err(
                        Code::UnknownInput,
                        name.span.clone(),
                        format!(
                            "{what} `{}` is not an input or indicator of this model",
                            name.value
                        ),
                    )
                    .help = help;
                    None
                }
            }
        };
        let transform = match &ind.transform.value {
            RawTransform::None => Some(Transform::None),
            RawTransform::Ln => Some(Transform::Ln),
            RawTransform::Log10 => Some(Transform::Log10),
            RawTransform::Power(p) => Some(Transform::Power(*p)),
            RawTransform::Ratio {
                denominator,
                multiplier,
            } => resolve_input(&mut cx, denominator, "denominator").map(|d| Transform::Ratio {
                denominator: d,
                multiplier: *multiplier,
            }),
        };
        let missing = match &ind.missing {
            RawMissing::Error => Some(Missing::Error),
            RawMissing::Drop => Some(Missing::Drop),
            RawMissing::Impute(v) => Some(Missing::Impute(*v)),
            RawMissing::ImputeFrom(name) => {
                resolve_input(&mut cx, name, "`impute_from`").map(Missing::ImputeFrom)
            }
        };
        let normalisation =
            transform.and_then(|t| compile_normalisation(&mut cx, ind, &ind.normalise, t, scale));
        let alternative =
            transform.and_then(|t| compile_normalisation_alternatives(&mut cx, ind, t, scale));
        if let (Some(transform), Some(normalisation), Some(missing)) =
            (transform, normalisation, missing)
        {
            let alternative = alternative.and_then(|(options, labels, line)| {
                let mut all = vec![normalisation.clone()];
                all.extend(options);
                let mut texts = vec![ind.normalise_text.clone()];
                texts.extend(labels);
                let alt = Alternative {
                    id: format!("indicators.{}.normalise", ind.id.value),
                    options: AlternativeOptions::Normalisation {
                        indicator: indicators.len() as u32,
                        options: all,
                    },
                    labels: texts,
                    line,
                };
                let span = ind.normalise_alternatives.first().map(|n| n.0.span.clone());
                push_alternative(&mut cx, &mut alternatives, alt, span.unwrap_or(0..0))
            });
            indicators.push(Indicator {
                id: ind.id.value.clone(),
                label: ind.label.clone(),
                unit: ind.unit.clone(),
                description: ind.description.clone(),
                rationale: ind.rationale.clone(),
                direction: ind.direction,
                source: ind.source.clone(),
                transform,
                normalisation,
                normalisation_text: ind.normalise_text.clone(),
                missing,
                round: ind.round,
                alternative,
                line: src.locate(ind.id.span.clone()).line,
            });
        }
    }

    // Derived indicators: computed from data files, so they must take a number.
    let mut derived = Vec::new();
    for (i, ind) in raw.indicators.iter().enumerate() {
        let Some(d) = &ind.derive else { continue };
        if matches!(ind.normalise.value, RawNormalise::Categorical(_)) {
            cx.err(
                Code::Normalisation,
                d.span.clone(),
                format!(
                    "indicator `{}` is derived from data, so it cannot be categorical",
                    ind.id.value
                ),
            );
        }
        let words: std::collections::BTreeSet<String> = derived
            .iter()
            .chain(std::iter::once(&Derived {
                indicator: i as u32,
                kind: d.kind.clone(),
                matches: d.matches.clone(),
                precision3: d.precision3,
                text: String::new(),
            }))
            .flat_map(|x: &Derived| {
                x.matches
                    .iter()
                    .flat_map(|m| m.notes.iter().map(|w| w.to_lowercase()))
            })
            .collect();
        if words.len() > crate::events::MAX_NOTE_WORDS {
            cx.err(
                Code::InvalidValue,
                d.span.clone(),
                format!(
                    "the model's filters look for {} different words in notes; at most {} are allowed",
                    words.len(),
                    crate::events::MAX_NOTE_WORDS
                ),
            );
        }
        derived.push(Derived {
            indicator: i as u32,
            kind: d.kind.clone(),
            matches: d.matches.clone(),
            precision3: d.precision3,
            text: d.text.clone(),
        });
    }

    // Groups: children, weights, aggregation.
    let n_nodes = raw.indicators.len() + raw.groups.len();
    let mut parent: Vec<Option<u32>> = vec![None; n_nodes];
    let mut first_use: Vec<Option<Range<usize>>> = vec![None; n_nodes];
    let mut groups = Vec::new();
    let mut edges: Vec<NodeId> = Vec::new();
    let mut weights: Vec<f64> = Vec::new();
    let mut formula_refs: Vec<Vec<NodeId>> = vec![Vec::new(); raw.groups.len()];
    for (g, grp) in raw.groups.iter().enumerate() {
        let first_edge = edges.len() as u32;
        if grp.children.value.is_empty() {
            cx.err(
                Code::EmptyGroup,
                grp.children.span.clone(),
                format!("group `{}` has no children", grp.id.value),
            );
        }
        for child in &grp.children.value {
            let node = match defs.get(&child.value) {
                Some((Def::Indicator(i), _)) => Some(*i),
                Some((Def::Group(h), _)) => Some(n_ind + *h),
                Some((Def::Broken, _)) => continue,
                _ => None,
            };
            let Some(node) = node else {
                let help = cx
                    .suggestions
                    .find(&child.value, node_names.iter().copied())
                    .map(|m| format!("did you mean `{m}`?"));
                cx.err(
                    Code::UnknownChild,
                    child.span.clone(),
                    format!(
                        "group `{}` names `{}`, which is not an indicator or group",
                        grp.id.value, child.value
                    ),
                )
                .help = help;
                continue;
            };
            if let Some(first) = first_use[node as usize].clone() {
                let related = cx.src.related(first, "first used here");
                cx.err(
                    Code::ChildUsedTwice,
                    child.span.clone(),
                    format!(
                        "`{}` is already a child of another group (or listed twice)",
                        child.value
                    ),
                )
                .related
                .push(related);
                continue;
            }
            first_use[node as usize] = Some(child.span.clone());
            parent[node as usize] = Some(g as u32);
            edges.push(node);
        }
        let n_children = edges.len() as u32 - first_edge;
        let ws = check_weights(&mut cx, grp, n_children as usize);
        weights.extend(ws);
        let aggregation = match &grp.aggregation.value {
            RawAggregation::PowerMean(p) => {
                if *p == 0.0 || !p.is_finite() {
                    cx.err(
                        Code::InvalidValue,
                        grp.aggregation.span.clone(),
                        "`power` must be finite and non-zero (power 0 is the geometric mean: use `aggregation = \"geometric\"`)",
                    );
                } else if !(MIN_POWER_MEAN..=MAX_POWER_MEAN).contains(&p.abs()) {
                    cx.err(
                        Code::NumberRange,
                        grp.aggregation.span.clone(),
                        format!(
                            "`power` = {p:e}: a power mean's exponent must lie between {MIN_POWER_MEAN} and {MAX_POWER_MEAN} in size, or its terms round to 1 or underflow to 0 and the mean is wrong"
                        ),
                    );
                }
                Aggregation::PowerMean(*p)
            }
            RawAggregation::Formula(text) => {
                match compile_expr(&mut cx, text, &defs, &node_names, &input_names, n_ind) {
                    Some(e) => {
                        formula_refs[g] = e
                            .operands()
                            .filter_map(|o| match o {
                                Operand::Node(n) => Some(n),
                                Operand::Raw(_) => None,
                            })
                            .collect();
                        Aggregation::Formula(e)
                    }
                    None => Aggregation::Arithmetic,
                }
            }
            RawAggregation::Simple(s) => match *s {
                "geometric" => Aggregation::Geometric,
                "harmonic" => Aggregation::Harmonic,
                "min" => Aggregation::Min,
                "max" => Aggregation::Max,
                "inform_reversed_geometric" => Aggregation::InformReversedGeometric,
                "union" => Aggregation::Union,
                _ => Aggregation::Arithmetic,
            },
        };
        let zero = match grp.zero.value.as_str() {
            "zero" => ZeroPolicy::Zero,
            "error" => ZeroPolicy::Error,
            _ => {
                let floor = grp.zero_floor.as_ref().map_or(DEFAULT_ZERO_FLOOR, |f| {
                    let u = scale.to_fraction(f.value);
                    if !(u > 0.0 && u < 1.0) {
                        cx.err(
                            Code::InvalidValue,
                            f.span.clone(),
                            "`zero_floor` must lie strictly inside the scale",
                        );
                    }
                    u
                });
                ZeroPolicy::Floor(floor)
            }
        };
        if grp.zero_floor.is_some() && grp.zero.value != "floor" {
            let span = grp.zero_floor.as_ref().map_or(0..0, |f| f.span.clone());
            cx.err(
                Code::InvalidValue,
                span,
                "`zero_floor` applies only to `zero = \"floor\"`",
            );
        }
        let alternative = compile_aggregation_alternatives(
            &mut cx,
            grp,
            &aggregation,
            g as u32,
            &mut alternatives,
        );
        groups.push(Group {
            id: grp.id.value.clone(),
            label: grp.label.clone(),
            description: grp.description.clone(),
            aggregation,
            zero,
            round: grp.round,
            first_edge,
            n_children,
            alternative,
            line: src.locate(grp.id.span.clone()).line,
        });
    }

    // The root, and nodes outside the tree. A group that failed to read leaves holes in
    // the tree; checking its shape then would only repeat that error in other words.
    let tree_whole = raw.broken_groups.is_empty();
    let root = if tree_whole {
        find_root(&mut cx, &raw, &parent, n_ind, &defs)
    } else {
        None
    };
    let mut in_formula = vec![false; raw.indicators.len()];
    for &node in formula_refs.iter().flatten() {
        if let Some(x) = in_formula.get_mut(node as usize) {
            *x = true;
        }
    }
    for (i, ind) in raw.indicators.iter().enumerate().filter(|_| tree_whole) {
        if parent[i].is_none() && !in_formula[i] {
            cx.err(
                Code::UnusedIndicator,
                ind.id.span.clone(),
                format!(
                    "indicator `{}` is not a child of any group, so it does not count",
                    ind.id.value
                ),
            );
        }
    }

    // Evaluation order: children and formula references first.
    let order = order_groups(&mut cx, &raw, &edges, &groups, &formula_refs, n_ind);
    if let Some(root) = root {
        check_depth(&mut cx, &raw, &edges, &groups, &order, root - n_ind, n_ind);
    }

    // Bands.
    let bands = compile_bands(&mut cx, &raw, scale);
    let band_names: Vec<&str> = bands.iter().map(|b| b.label.as_str()).collect();
    // The first band of each label (a label defined twice is reported by compile_bands).
    let mut band_index: HashMap<&str, u16> = HashMap::new();
    for (k, b) in band_names.iter().enumerate() {
        band_index.entry(b).or_insert(k as u16);
    }
    let finance = raw.finance.as_ref().and_then(|f| {
        let (finance, diags) = crate::finance::read::compile_finance(src, f, &bands);
        cx.diags.extend(diags);
        finance
    });

    // Rules.
    let mut rules = Vec::new();
    let mut rule_ids: HashMap<&str, Range<usize>> = HashMap::new();
    for rule in &raw.rules {
        if let Some(first) = rule_ids.get(rule.id.value.as_str()) {
            let related = cx.src.related(first.clone(), "first defined here");
            cx.err(
                Code::DuplicateId,
                rule.id.span.clone(),
                format!("rule `{}` is defined twice", rule.id.value),
            )
            .related
            .push(related);
        }
        rule_ids.insert(&rule.id.value, rule.id.span.clone());
        let when = compile_expr(&mut cx, &rule.when, &defs, &node_names, &input_names, n_ind);
        let band_ref = |cx: &mut Ctx<'_>, name: &Sp<String>| -> Option<u16> {
            let idx = band_index.get(name.value.as_str()).copied();
            if idx.is_none() {
                let help = match cx.suggestions.find(&name.value, band_names.iter().copied()) {
                    Some(m) => format!("did you mean `{m}`?"),
                    None => format!("bands are: {}", name_list(&band_names)),
                };
                cx.err(
                    Code::UnknownBand,
                    name.span.clone(),
                    format!("band `{}` is not defined", name.value),
                )
                .help = Some(help);
            }
            idx
        };
        let in_scale = |cx: &mut Ctx<'_>, v: &Sp<f64>| -> Option<f64> {
            if v.value < scale.min || v.value > scale.max {
                cx.err(
                    Code::InvalidValue,
                    v.span.clone(),
                    format!(
                        "`value` = {} lies outside the scale [{}, {}]",
                        v.value, scale.min, scale.max
                    ),
                );
                None
            } else {
                Some(v.value)
            }
        };
        let effect = match &rule.effect {
            RawEffect::BandAtLeast(b) => band_ref(&mut cx, b).map(Effect::BandAtLeast),
            RawEffect::BandAtMost(b) => band_ref(&mut cx, b).map(Effect::BandAtMost),
            RawEffect::ScoreFloor(v) => in_scale(&mut cx, v).map(Effect::ScoreFloor),
            RawEffect::ScoreCap(v) => in_scale(&mut cx, v).map(Effect::ScoreCap),
        };
        if let (Some(when), Some(effect)) = (when, effect) {
            rules.push(Rule {
                id: rule.id.value.clone(),
                when,
                effect,
                reason: rule.reason.clone(),
                line: src.locate(rule.id.span.clone()).line,
            });
        }
    }
    check_rule_conflicts(&mut cx, &raw, &rules);

    // Extra inputs nothing reads are probably a mistake (a typo in a denominator's name is
    // caught elsewhere; this catches the input left behind).
    let formulas = groups.iter().filter_map(|g| match &g.aggregation {
        Aggregation::Formula(e) => Some(e),
        _ => None,
    });
    for e in formulas.chain(rules.iter().map(|r| &r.when)) {
        for o in e.operands() {
            if let Operand::Raw(s) = o
                && let Some(u) = used_inputs.get_mut(s as usize)
            {
                *u = true;
            }
        }
    }
    for (j, inp) in raw.inputs.iter().enumerate() {
        if !used_inputs.get(n_ind as usize + j).copied().unwrap_or(true) {
            cx.err(
                Code::UnusedIndicator,
                inp.id.span.clone(),
                format!(
                    "input `{}` is not read by any indicator, formula or rule",
                    inp.id.value
                ),
            );
        }
    }

    let ok = !cx.diags.iter().any(Diagnostic::is_error);
    let model = match root {
        Some(root) if ok => Some(Model {
            ids: id_index(&indicators, &groups, &raw.inputs),
            meta: ModelMeta {
                id: meta.id.clone(),
                name: meta.name.clone(),
                version: meta.version.clone(),
                effective: meta.effective,
                owner: meta.owner.clone(),
                description: meta.description.clone(),
                scale,
                decimals: meta
                    .decimals
                    .unwrap_or(if scale.width() >= 10.0 { 1 } else { 3 }),
                governance: meta.governance.clone(),
            },
            indicators,
            aux_inputs: raw
                .inputs
                .iter()
                .map(|i| AuxInput {
                    id: i.id.value.clone(),
                    label: i.label.clone(),
                    unit: i.unit.clone(),
                    description: i.description.clone(),
                    source: i.source.clone(),
                })
                .collect(),
            groups,
            edges,
            weights,
            order,
            root,
            bands,
            rules,
            parent,
            derived,
            data: raw.data,
            weight_uncertainty: raw
                .weight_uncertainty
                .as_ref()
                .map_or(WeightUncertainty::Fixed, |w| w.value),
            alternatives,
            finance,
            sha256: sha256_hex(src.text().as_bytes()),
            origin: src.name().to_string(),
        }),
        _ => None,
    };
    (model, cx.diags)
}

/// Compiles an indicator's `normalise_alternatives`: the options (without the nominal),
/// their texts, and the line they are declared on; `None` when there are none or one is
/// invalid (already reported).
fn compile_normalisation_alternatives(
    cx: &mut Ctx<'_>,
    ind: &super::read::RawIndicator,
    t: Transform,
    scale: Scale,
) -> Option<(Vec<Normalisation>, Vec<String>, usize)> {
    let first = ind.normalise_alternatives.first()?;
    let line = cx.src.locate(first.0.span.clone()).line;
    if ind.normalise_alternatives.len() >= MAX_OPTIONS {
        cx.err(
            Code::TooMany,
            first.0.span.clone(),
            format!(
                "indicator `{}` lists {} alternative normalisations: at most {} are allowed",
                ind.id.value,
                ind.normalise_alternatives.len(),
                MAX_OPTIONS - 1
            ),
        );
        return None;
    }
    let mut options = Vec::new();
    let mut labels = Vec::new();
    for (n, text) in &ind.normalise_alternatives {
        let is_categorical = matches!(n.value, RawNormalise::Categorical(_));
        if is_categorical != matches!(ind.normalise.value, RawNormalise::Categorical(_)) {
            cx.err(
                Code::Uncertainty,
                n.span.clone(),
                format!(
                    "indicator `{}`: an alternative normalisation must read the same kind of value as the nominal one (categorical with categorical)",
                    ind.id.value
                ),
            );
            continue;
        }
        if let Some(c) = compile_normalisation(cx, ind, n, t, scale) {
            options.push(c);
            labels.push(text.clone());
        }
    }
    (options.len() == ind.normalise_alternatives.len()).then_some((options, labels, line))
}

/// Compiles a group's `aggregation_alternatives` into `alternatives`, returning the index.
fn compile_aggregation_alternatives(
    cx: &mut Ctx<'_>,
    grp: &super::read::RawGroup,
    nominal: &Aggregation,
    g: u32,
    alternatives: &mut Vec<Alternative>,
) -> Option<u16> {
    let alts = grp.aggregation_alternatives.as_ref()?;
    if matches!(nominal, Aggregation::Formula(_)) {
        cx.err(
            Code::Uncertainty,
            alts.span.clone(),
            format!(
                "group `{}` is a formula: its alternatives would have no weights to use",
                grp.id.value
            ),
        );
        return None;
    }
    if alts.value.is_empty() {
        cx.err(
            Code::Uncertainty,
            alts.span.clone(),
            "`aggregation_alternatives` is empty: list at least one other aggregation, or remove the key",
        );
        return None;
    }
    let mut options = vec![nominal.clone()];
    let mut labels = vec![nominal.name().to_string()];
    for w in &alts.value {
        let a = match w.value {
            "geometric" => Aggregation::Geometric,
            "harmonic" => Aggregation::Harmonic,
            "min" => Aggregation::Min,
            "max" => Aggregation::Max,
            "inform_reversed_geometric" => Aggregation::InformReversedGeometric,
            "union" => Aggregation::Union,
            _ => Aggregation::Arithmetic,
        };
        if labels.iter().any(|l| l == a.name()) {
            cx.err(
                Code::Uncertainty,
                w.span.clone(),
                format!(
                    "group `{}`: `{}` is already an option (the nominal aggregation counts as one)",
                    grp.id.value, w.value
                ),
            );
            return None;
        }
        labels.push(a.name().to_string());
        options.push(a);
    }
    let alt = Alternative {
        id: format!("groups.{}.aggregation", grp.id.value),
        options: AlternativeOptions::Aggregation { group: g, options },
        labels,
        line: cx.src.locate(alts.span.clone()).line,
    };
    push_alternative(cx, alternatives, alt, alts.span.clone())
}

/// Adds an alternative and returns its index, or reports that the model declares more
/// than [`MAX_ALTERNATIVES`] (indices are 16 bits: one more would wrap to another's).
fn push_alternative(
    cx: &mut Ctx<'_>,
    alternatives: &mut Vec<Alternative>,
    alt: Alternative,
    span: Range<usize>,
) -> Option<u16> {
    if alternatives.len() >= MAX_ALTERNATIVES {
        if alternatives.len() == MAX_ALTERNATIVES {
            cx.err(
                Code::TooMany,
                span,
                format!("the model declares more than {MAX_ALTERNATIVES} alternatives"),
            );
        }
        // Counted on, so that only the first one past the limit is reported.
        alternatives.push(alt);
        return None;
    }
    alternatives.push(alt);
    u16::try_from(alternatives.len() - 1).ok()
}

/// Every id of a model that compiled (so ids are unique) to what it names.
fn id_index(
    indicators: &[Indicator],
    groups: &[Group],
    inputs: &[super::read::RawInput],
) -> HashMap<String, Named> {
    let indicators = (0..)
        .zip(indicators)
        .map(|(i, x)| (x.id.clone(), Named::Indicator(i)));
    let groups = (0..)
        .zip(groups)
        .map(|(g, x)| (x.id.clone(), Named::Group(g)));
    let inputs = (0..)
        .zip(inputs)
        .map(|(j, x)| (x.id.value.clone(), Named::Aux(j)));
    indicators.chain(groups).chain(inputs).collect()
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn check_weights(cx: &mut Ctx<'_>, grp: &super::read::RawGroup, n_children: usize) -> Vec<f64> {
    let Some(ws) = &grp.weights else {
        return vec![1.0; n_children];
    };
    if ws.value.len() != grp.children.value.len() {
        cx.err(
            Code::WeightCount,
            ws.span.clone(),
            format!(
                "group `{}` has {} children but {} weights",
                grp.id.value,
                grp.children.value.len(),
                ws.value.len()
            ),
        );
        return vec![1.0; n_children];
    }
    let mut ok = true;
    for w in &ws.value {
        if !w.value.is_finite() {
            cx.err(
                Code::NonFiniteWeight,
                w.span.clone(),
                format!("weight {} is not finite", w.value),
            );
            ok = false;
        } else if w.value < 0.0 {
            cx.err(
                Code::NegativeWeight,
                w.span.clone(),
                format!("weight {} is negative", w.value),
            );
            ok = false;
        } else if w.value > MAX_NUMBER {
            cx.err(
                Code::NumberRange,
                w.span.clone(),
                format!(
                    "weight {:e} is too large: weights must be at most {MAX_NUMBER:e}, so that their sum and the products scoring takes of them stay finite",
                    w.value
                ),
            )
            .help = Some("weights are relative: divide all of the group's weights by one number".into());
            ok = false;
        } else if w.value > 0.0 && w.value < MIN_POSITIVE_WEIGHT {
            cx.err(
                Code::NumberRange,
                w.span.clone(),
                format!(
                    "weight {:e} is too small: a positive weight must be at least {MIN_POSITIVE_WEIGHT:e}, or weight x score underflows to zero",
                    w.value
                ),
            )
            .help = Some("weights are relative: multiply all of the group's weights by one number, or write 0 to switch the child off".into());
            ok = false;
        }
    }
    if ok && ws.value.iter().map(|w| w.value).sum::<f64>() <= 0.0 {
        cx.err(
            Code::ZeroWeightSum,
            ws.span.clone(),
            format!("the weights of group `{}` sum to zero", grp.id.value),
        );
    }
    // Children that failed to resolve were skipped; keep weights aligned with the edges kept.
    ws.value.iter().map(|w| w.value).take(n_children).collect()
}

fn compile_expr(
    cx: &mut Ctx<'_>,
    text: &Sp<String>,
    defs: &HashMap<String, (Def, Range<usize>)>,
    node_names: &[&str],
    input_names: &[&str],
    n_ind: u32,
) -> Option<Expr> {
    // A name of a definition that failed to read is not an error of its own (that
    // definition's error is already reported), but the formula cannot be compiled either:
    // no index may stand in for the missing node, or later passes would follow it.
    let mut names_broken = false;
    let mut resolve = |name: Name<'_>| -> Option<Operand> {
        match (name.raw, defs.get(name.id).map(|d| d.0)) {
            (false, Some(Def::Indicator(i))) => Some(Operand::Node(i)),
            (false, Some(Def::Group(g))) => Some(Operand::Node(n_ind + g)),
            (true, Some(Def::Indicator(i))) => Some(Operand::Raw(i)),
            (true, Some(Def::Input(s))) => Some(Operand::Raw(s)),
            (_, Some(Def::Broken)) => {
                names_broken = true;
                Some(Operand::Raw(0))
            }
            _ => None,
        }
    };
    let compiled = expr::compile(&text.value, &mut resolve);
    match compiled {
        Ok(_) if names_broken => None,
        Ok(e) => Some(e),
        Err(errors) => {
            // Offsets inside the decoded formula map back through quotes and escapes.
            let raw = cx.src.text().get(text.span.clone()).unwrap_or("");
            let map = string_offset_map(raw, text.span.start);
            let file_offset = |k: usize| {
                map.get(k)
                    .or(map.last())
                    .copied()
                    .unwrap_or(text.span.start)
            };
            for e in errors {
                let span = file_offset(e.span.start)..file_offset(e.span.end);
                let (code, help) = match &e.kind {
                    ExprErrorKind::UnknownName { name, raw } => {
                        let pool = if *raw { input_names } else { node_names };
                        let help = cx.suggestions.find(name, pool.iter().copied()).map(|m| {
                            if *raw {
                                format!("did you mean `raw.{m}`?")
                            } else {
                                format!("did you mean `{m}`?")
                            }
                        });
                        (Code::FormulaUnknownName, help)
                    }
                    ExprErrorKind::Syntax => (Code::FormulaSyntax, None),
                    _ => (Code::FormulaLimit, None),
                };
                let d = cx.err(code, span, e.message.clone());
                d.help = help;
            }
            None
        }
    }
}

fn compile_normalisation(
    cx: &mut Ctx<'_>,
    ind: &super::read::RawIndicator,
    normalise: &Sp<RawNormalise>,
    t: Transform,
    scale: Scale,
) -> Option<Normalisation> {
    let span = normalise.span.clone();
    let id = &ind.id.value;
    let tp = |x: f64| transform_point(t, x);
    let frac = |cx: &mut Ctx<'_>, y: f64, sp: Range<usize>| -> Option<f64> {
        if y < scale.min || y > scale.max || !y.is_finite() {
            cx.err(
                Code::Normalisation,
                sp,
                format!(
                    "score {y} lies outside the scale [{}, {}]",
                    scale.min, scale.max
                ),
            );
            None
        } else {
            Some(scale.to_fraction(y))
        }
    };
    let transform_err = |cx: &mut Ctx<'_>, x: f64, sp: Range<usize>| {
        cx.err(
            Code::Transform,
            sp,
            format!("indicator `{id}`: the transform is undefined at {x} (e.g. ln or log10 of a value <= 0)"),
        );
    };
    let needs_direction = matches!(
        normalise.value,
        RawNormalise::Goalposts { .. } | RawNormalise::ZScore { .. } | RawNormalise::Identity
    );
    if needs_direction && ind.direction == Direction::NonMonotone {
        cx.err(
            Code::Normalisation,
            span,
            format!("indicator `{id}` is non_monotone: use piecewise, bins or categorical, which state each score"),
        );
        return None;
    }
    match &normalise.value {
        RawNormalise::Goalposts { min, max } => {
            let (a, b) = (tp(min.value), tp(max.value));
            if a.is_nan() {
                transform_err(cx, min.value, min.span.clone());
            }
            if b.is_nan() {
                transform_err(cx, max.value, max.span.clone());
            }
            if a.is_nan() || b.is_nan() {
                return None;
            }
            if min.value >= max.value || a >= b {
                cx.err(
                    Code::Normalisation,
                    min.span.start.min(max.span.start)..min.span.end.max(max.span.end),
                    format!(
                        "indicator `{id}`: goalpost min ({}) must be below max ({})",
                        min.value, max.value
                    ),
                );
                return None;
            }
            Some(Normalisation::Goalposts { min: a, max: b })
        }
        RawNormalise::Piecewise(points) => {
            if points.len() < 2 {
                cx.err(
                    Code::Normalisation,
                    span,
                    format!("indicator `{id}`: piecewise needs at least 2 points"),
                );
                return None;
            }
            let mut out = Vec::new();
            for p in points {
                let x = tp(p.value.0);
                if x.is_nan() {
                    transform_err(cx, p.value.0, p.span.clone());
                    return None;
                }
                // Checked after the transform: the normaliser walks transformed values, and
                // a decreasing transform (a negative power) would reverse raw order.
                if out.last().is_some_and(|&(prev, _): &(f64, f64)| x <= prev) {
                    cx.err(
                        Code::Normalisation,
                        p.span.clone(),
                        "piecewise points must have strictly increasing x (after the transform)",
                    );
                    return None;
                }
                out.push((x, frac(cx, p.value.1, p.span.clone())?));
            }
            check_direction(cx, ind, out.iter().map(|p| p.1), span);
            Some(Normalisation::Piecewise { points: out })
        }
        RawNormalise::Bins { bins, below } => {
            if bins.is_empty() {
                cx.err(
                    Code::Normalisation,
                    span,
                    format!("indicator `{id}`: bins needs at least one bin"),
                );
                return None;
            }
            let below = if below.is_nan() { scale.min } else { *below };
            let below_f = frac(cx, below, span.clone())?;
            let mut out = Vec::new();
            for b in bins {
                let x = tp(b.value.0);
                if x.is_nan() {
                    transform_err(cx, b.value.0, b.span.clone());
                    return None;
                }
                if out.last().is_some_and(|&(prev, _): &(f64, f64)| x <= prev) {
                    cx.err(
                        Code::Normalisation,
                        b.span.clone(),
                        "bin thresholds must be strictly increasing (after the transform)",
                    );
                    return None;
                }
                out.push((x, frac(cx, b.value.1, b.span.clone())?));
            }
            check_direction(
                cx,
                ind,
                std::iter::once(below_f).chain(out.iter().map(|b| b.1)),
                span,
            );
            Some(Normalisation::Bins {
                bins: out,
                below: below_f,
            })
        }
        RawNormalise::Categorical(cats) => {
            if cats.is_empty() {
                cx.err(
                    Code::Normalisation,
                    span,
                    format!("indicator `{id}`: the categorical map is empty"),
                );
                return None;
            }
            if !matches!(t, Transform::None) {
                cx.err(
                    Code::Transform,
                    ind.transform.span.clone(),
                    "a categorical indicator takes no transform",
                );
                return None;
            }
            let mut out = Vec::new();
            for (name, y) in cats {
                out.push((name.value.clone(), frac(cx, *y, name.span.clone())?));
            }
            Some(Normalisation::Categorical { categories: out })
        }
        RawNormalise::ZScore { mean, sd } => {
            if sd.value.is_nan() || sd.value <= 0.0 {
                cx.err(
                    Code::Normalisation,
                    sd.span.clone(),
                    "`sd` must be greater than 0",
                );
                return None;
            }
            Some(Normalisation::ZScore {
                mean: *mean,
                sd: sd.value,
            })
        }
        RawNormalise::Identity => Some(Normalisation::Identity),
    }
}

/// Warns when explicit scores do not move in the indicator's stated direction.
fn check_direction(
    cx: &mut Ctx<'_>,
    ind: &super::read::RawIndicator,
    ys: impl Iterator<Item = f64> + Clone,
    span: Range<usize>,
) {
    let pairs = ys.clone().zip(ys.skip(1));
    let ok = match ind.direction {
        Direction::HigherIsRiskier => pairs.clone().all(|(a, b)| b >= a),
        Direction::LowerIsRiskier => pairs.clone().all(|(a, b)| b <= a),
        Direction::NonMonotone => true,
    };
    if !ok {
        cx.err(
            Code::DirectionMismatch,
            span,
            format!(
                "indicator `{}` is `{}` but its scores do not move that way",
                ind.id.value,
                ind.direction.as_str()
            ),
        );
    }
}

fn find_root(
    cx: &mut Ctx<'_>,
    raw: &RawModel,
    parent: &[Option<u32>],
    n_ind: u32,
    defs: &HashMap<String, (Def, Range<usize>)>,
) -> Option<NodeId> {
    if raw.groups.is_empty() {
        return None; // reported by the reader
    }
    let orphans: Vec<usize> = (0..raw.groups.len())
        .filter(|&g| parent[n_ind as usize + g].is_none())
        .collect();
    if let Some(root) = &raw.meta.root {
        return match defs.get(&root.value) {
            Some((Def::Group(g), _)) => {
                if parent[(n_ind + g) as usize].is_some() {
                    cx.err(
                        Code::Root,
                        root.span.clone(),
                        format!("root `{}` is a child of another group", root.value),
                    );
                    return None;
                }
                for &o in &orphans {
                    if o != *g as usize {
                        let id = &raw.groups[o].id;
                        cx.err(
                            Code::Root,
                            id.span.clone(),
                            format!(
                                "group `{}` is not part of the tree under root `{}`",
                                id.value, root.value
                            ),
                        );
                    }
                }
                Some(n_ind + g)
            }
            _ => {
                cx.err(
                    Code::Root,
                    root.span.clone(),
                    format!("root `{}` is not a group", root.value),
                );
                None
            }
        };
    }
    match orphans.as_slice() {
        [g] => Some(n_ind + *g as u32),
        [] => {
            let span = raw.groups.first().map_or(0..0, |g| g.id.span.clone());
            cx.err(
                Code::Root,
                span,
                "every group is a child of another: there is no root (a cycle?)",
            );
            None
        }
        many => {
            let names: Vec<&str> = many
                .iter()
                .map(|&g| raw.groups[g].id.value.as_str())
                .collect();
            for &g in many {
                cx.err(
                    Code::Root,
                    raw.groups[g].id.span.clone(),
                    format!(
                        "group `{}` is nobody's child, and neither are {}: name the root with `model.root`",
                        raw.groups[g].id.value,
                        names.iter().filter(|n| **n != raw.groups[g].id.value).map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
                    ),
                );
            }
            None
        }
    }
}

fn order_groups(
    cx: &mut Ctx<'_>,
    raw: &RawModel,
    edges: &[NodeId],
    groups: &[Group],
    formula_refs: &[Vec<NodeId>],
    n_ind: u32,
) -> Vec<u32> {
    // Depth-first post-order with colours; a grey node met again is a cycle.
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        White,
        Grey,
        Black,
    }
    let n = groups.len();
    let mut mark = vec![Mark::White; n];
    let mut order = Vec::with_capacity(n);
    // The k-th thing group `g` depends on (its children, then the nodes its formula
    // names), if it is a group. Read in place: building the list at every step made a
    // group of many group children quadratic.
    let dep = |g: usize, k: usize| -> Option<Option<usize>> {
        let grp = &groups[g];
        let node = if k < grp.n_children as usize {
            edges[grp.first_edge as usize + k]
        } else {
            *formula_refs[g].get(k - grp.n_children as usize)?
        };
        Some(node.checked_sub(n_ind).map(|h| h as usize))
    };
    let mut reported = false;
    for start in 0..n {
        if mark[start] != Mark::White {
            continue;
        }
        // Explicit stack of (group, next dependency index) so deep trees cannot overflow.
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        mark[start] = Mark::Grey;
        while let Some(&mut (g, ref mut next)) = stack.last_mut() {
            if let Some(d) = dep(g, *next) {
                *next += 1;
                let Some(h) = d else { continue };
                match mark[h] {
                    Mark::White => {
                        mark[h] = Mark::Grey;
                        stack.push((h, 0));
                    }
                    Mark::Grey => {
                        if !reported {
                            // The cycle is the part of the path from `h` on.
                            let from = stack.iter().position(|(x, _)| *x == h).unwrap_or(0);
                            let path: Vec<&str> = stack[from..]
                                .iter()
                                .map(|(x, _)| raw.groups[*x].id.value.as_str())
                                .collect();
                            cx.err(
                                Code::Cycle,
                                raw.groups[h].id.span.clone(),
                                format!(
                                    "`{}` depends on itself: {} -> {}",
                                    raw.groups[h].id.value,
                                    cycle_text(&path),
                                    raw.groups[h].id.value
                                ),
                            );
                            reported = true;
                        }
                    }
                    Mark::Black => {}
                }
            } else {
                mark[g] = Mark::Black;
                order.push(g as u32);
                stack.pop();
            }
        }
    }
    order
}

/// Refuses a tree whose groups nest deeper than [`MAX_TREE_DEPTH`] levels under `root`
/// (one error, at the first group found too deep).
fn check_depth(
    cx: &mut Ctx<'_>,
    raw: &RawModel,
    edges: &[NodeId],
    groups: &[Group],
    order: &[u32],
    root: u32,
    n_ind: u32,
) {
    // Parents come before their children in reversed evaluation order.
    let mut level = vec![0usize; groups.len()];
    if let Some(l) = level.get_mut(root as usize) {
        *l = 1;
    }
    for &g in order.iter().rev() {
        let (g, grp) = (g as usize, &groups[g as usize]);
        if level[g] == 0 {
            continue; // not under the root (reported elsewhere)
        }
        let kids = &edges[grp.first_edge as usize..(grp.first_edge + grp.n_children) as usize];
        for h in kids.iter().filter_map(|&c| c.checked_sub(n_ind)) {
            let h = h as usize;
            level[h] = level[g] + 1;
            if level[h] > MAX_TREE_DEPTH {
                cx.err(
                    Code::TreeDepth,
                    raw.groups[h].id.span.clone(),
                    format!(
                        "group `{}` is nested {} levels deep (the root is level 1): at most {MAX_TREE_DEPTH} are allowed",
                        raw.groups[h].id.value, level[h]
                    ),
                );
                return;
            }
        }
    }
}

/// Groups of a cycle shown at each end of a long one; the middle is counted, so that a
/// cycle through thousands of groups gives a message of one line.
const CYCLE_ENDS: usize = 5;

/// A cycle's groups joined by arrows, its middle cut when it is long.
fn cycle_text(path: &[&str]) -> String {
    if path.len() <= 2 * CYCLE_ENDS + 1 {
        return path.join(" -> ");
    }
    format!(
        "{} -> ... ({} more) ... -> {}",
        path[..CYCLE_ENDS].join(" -> "),
        path.len() - 2 * CYCLE_ENDS,
        path[path.len() - CYCLE_ENDS..].join(" -> ")
    )
}

fn compile_bands(cx: &mut Ctx<'_>, raw: &RawModel, scale: Scale) -> Vec<Band> {
    let src = cx.src;
    if raw.bands.is_empty() {
        cx.err(
            Code::BandOrder,
            raw.bands_span.clone(),
            "the model defines no bands",
        );
        return Vec::new();
    }
    if raw.bands.len() > MAX_BANDS {
        cx.err(
            Code::TooMany,
            raw.bands_span.clone(),
            format!(
                "the model defines {} bands: at most {MAX_BANDS} are allowed",
                raw.bands.len()
            ),
        );
    }
    let mut seen: HashMap<&str, Range<usize>> = HashMap::new();
    for (k, b) in raw.bands.iter().enumerate() {
        if let Some(first) = seen.get(b.label.value.as_str()) {
            let related = cx.src.related(first.clone(), "first defined here");
            cx.err(
                Code::DuplicateId,
                b.label.span.clone(),
                format!("band `{}` is defined twice", b.label.value),
            )
            .related
            .push(related);
        }
        seen.insert(&b.label.value, b.label.span.clone());
        if k == 0 && b.from.value != scale.min {
            cx.err(
                Code::BandOrder,
                b.from.span.clone(),
                format!(
                    "the first band must start at the scale minimum {} (it starts at {})",
                    scale.min, b.from.value
                ),
            );
        }
        if b.from.value < scale.min || b.from.value > scale.max {
            cx.err(
                Code::BandOrder,
                b.from.span.clone(),
                format!("band `{}` starts outside the scale", b.label.value),
            );
        }
        if k > 0 && b.from.value <= raw.bands[k - 1].from.value {
            cx.err(
                Code::BandOrder,
                b.from.span.clone(),
                format!(
                    "band `{}` starts at {}, not above the previous band's {}",
                    b.label.value,
                    b.from.value,
                    raw.bands[k - 1].from.value
                ),
            );
        }
    }
    raw.bands
        .iter()
        .map(|b| Band {
            label: b.label.value.clone(),
            from: b.from.value,
            colour: b.colour.clone(),
            description: b.description.clone(),
            line: src.locate(b.label.span.clone()).line,
        })
        .collect()
}

/// A floor above a cap (or "at least" above "at most") is an error when both rules always
/// fire together: both conditions constant true, or the same condition text. Other pairs
/// can only be judged on real inputs; the engine reports them then.
///
/// Rules that fire together are gathered in classes (the constant-true ones, and one class
/// per condition text), and each floor is compared with the lowest cap of its class, so
/// that many rules cost a sort rather than every pair.
fn check_rule_conflicts(cx: &mut Ctx<'_>, raw: &RawModel, rules: &[Rule]) {
    let on = |r: &Rule| r.when.is_constant().is_some_and(|v| v != 0.0);
    let mut classes: Vec<Vec<usize>> = vec![(0..rules.len()).filter(|&k| on(&rules[k])).collect()];
    let mut by_text: HashMap<&str, Vec<usize>> = HashMap::new();
    for (k, r) in rules.iter().enumerate() {
        by_text.entry(r.when.source().trim()).or_default().push(k);
    }
    let mut texts: Vec<(&str, Vec<usize>)> = by_text.into_iter().collect();
    texts.sort_by_key(|(_, ks)| ks[0]);
    classes.extend(texts.into_iter().map(|(_, ks)| ks));
    let span_of: HashMap<&str, Range<usize>> = raw
        .rules
        .iter()
        .rev()
        .map(|r| (r.id.value.as_str(), r.id.span.clone()))
        .collect();
    let span_of = |id: &str| span_of.get(id).cloned().unwrap_or(0..0);
    let mut reported = std::collections::HashSet::new();
    for class in &classes {
        // The lowest score cap and the lowest band cap of the class, first listed on a tie.
        let lowest = |cap: &dyn Fn(Effect) -> Option<f64>| {
            class
                .iter()
                .filter_map(|&k| cap(rules[k].effect).map(|v| (v, k)))
                .min_by(|a, b| a.0.total_cmp(&b.0))
        };
        let score_cap = lowest(&|e| match e {
            Effect::ScoreCap(c) => Some(c),
            _ => None,
        });
        let band_cap = lowest(&|e| match e {
            Effect::BandAtMost(c) => Some(f64::from(c)),
            _ => None,
        });
        for &a in class {
            let cap = match rules[a].effect {
                Effect::ScoreFloor(f) => score_cap.filter(|(c, _)| f > *c),
                Effect::BandAtLeast(f) => band_cap.filter(|(c, _)| f64::from(f) > *c),
                _ => None,
            };
            let Some((_, b)) = cap else { continue };
            if !reported.insert((a, b)) {
                continue;
            }
            let related = cx
                .src
                .related(span_of(&rules[b].id), "the rule it contradicts");
            cx.err(
                Code::RuleConflict,
                span_of(&rules[a].id),
                format!(
                    "rule `{}` sets a floor above the cap of rule `{}`, and they fire together",
                    rules[a].id, rules[b].id
                ),
            )
            .related
            .push(related);
        }
    }
}
