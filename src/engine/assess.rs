//! The assessment: one evaluation laid out for people and auditors, serialisable to JSON.
//! Every number carries where it came from: the indicator's source in the model, the
//! input's source and status in the project, and the fingerprints of both files.

use rust_decimal::Decimal;
use serde::Serialize;

use super::attribution::attribute;
use super::clamping::clamp_note;
use super::eval::{EvalError, RuleState, Workspace, evaluate, flags};
use super::quality::{DataQuality, data_quality, stale_message};
use crate::audit::ENGINE_VERSION;
use crate::bind::Bound;
use crate::derive::{DataFileSummary, Trace};
use crate::diag::{Code, Diagnostic};
use crate::error::Error;
use crate::model::governance::{Governance, governance_warnings};
use crate::model::{Effect, Model, NodeId, Params, Source};
use crate::project::{Project, Site, Status};

/// The result of scoring one project with one model.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    /// Which model.
    pub model: ModelInfo,
    /// Which project.
    pub project: ProjectInfo,
    /// Final score on the model's scale.
    pub score: f64,
    /// The root's score before rules.
    pub score_before_rules: f64,
    /// Band of the final score.
    pub band_from_score: BandInfo,
    /// Final band, after band rules.
    pub band: BandInfo,
    /// Every group, in tree order (root first).
    pub groups: Vec<GroupResult>,
    /// Every indicator, in tree order.
    pub indicators: Vec<IndicatorResult>,
    /// Lines that add up to the score: indicators, rounding, rules, scale minimum.
    pub contributions: Vec<ContributionLine>,
    /// Every rule and whether it fired.
    pub rules: Vec<RuleResult>,
    /// Things a reader should know (unverified inputs, imputations...).
    pub warnings: Vec<Warning>,
    /// Amount at risk, at low, nominal and high.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exposure: Option<ExposureInfo>,
    /// Share of the score resting on unverified, contradicted, imputed or region-level
    /// data.
    pub data_quality: DataQuality,
    /// The model's status, approval and review dates.
    pub governance: Governance,
    /// An analyst's override of the band (the `band` above stays the model's).
    #[serde(rename = "override", skip_serializing_if = "Option::is_none")]
    pub band_override: Option<OverrideInfo>,
    /// Expected loss and Basel capital, when the model has a `[finance]` section and the
    /// project an exposure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub money: Option<crate::finance::money::MoneyBlock>,
    /// Event and position files read for derived indicators, with their row counts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub data_files: Vec<DataFileSummary>,
    /// Fingerprints and versions.
    pub audit: Audit,
}

/// Model header in an assessment.
#[derive(Debug, Clone, Serialize)]
pub struct ModelInfo {
    /// Model id.
    pub id: String,
    /// Model name.
    pub name: String,
    /// Semantic version.
    pub version: String,
    /// [min, max].
    pub scale: [f64; 2],
    /// Decimals to show.
    pub decimals: usize,
}

/// Project header in an assessment.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectInfo {
    /// Project id.
    pub id: String,
    /// Project name.
    pub name: String,
    /// ISO 3166 alpha-3.
    pub country: String,
    /// Region.
    pub region: String,
    /// Sponsors.
    pub sponsors: Vec<String>,
    /// Site, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<Site>,
    /// As-of date, YYYY-MM-DD.
    pub as_of: String,
}

/// A band as shown.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BandInfo {
    /// Label.
    pub label: String,
    /// Colour "#rrggbb".
    pub colour: String,
}

/// One group's result.
#[derive(Debug, Clone, Serialize)]
pub struct GroupResult {
    /// Id.
    pub id: String,
    /// Label.
    pub label: String,
    /// Parent group id (none for the root).
    pub parent: Option<String>,
    /// Depth in the tree (root 0).
    pub depth: usize,
    /// Where the model defines it ("file:line").
    pub defined_at: String,
    /// Aggregation used.
    pub aggregation: String,
    /// Score (after rounding); null when left out.
    pub score: Option<f64>,
    /// Score before rounding.
    pub unrounded: Option<f64>,
    /// Weight in its parent, renormalised over present siblings.
    pub weight_in_parent: f64,
    /// Effective weight in the final score.
    pub effective_weight: f64,
    /// Points of the final score it accounts for.
    pub contribution: f64,
}

/// One indicator's result.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorResult {
    /// Id.
    pub id: String,
    /// Label.
    pub label: String,
    /// Unit of the raw value.
    pub unit: String,
    /// Where the model defines it ("file:line").
    pub defined_at: String,
    /// Where the project gives its value ("file:line"); null when missing.
    pub value_at: Option<String>,
    /// Group holding it.
    pub group: Option<String>,
    /// Raw value used (after imputation); null when missing.
    pub raw: Option<f64>,
    /// The category given, for categorical indicators.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Range given in the project, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub low: Option<f64>,
    /// Range given in the project, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub high: Option<f64>,
    /// True when the raw value is the midpoint of low/high.
    pub nominal_is_midpoint: bool,
    /// Value after the transform.
    pub transformed: Option<f64>,
    /// Score on the model's scale; null when dropped.
    pub score: Option<f64>,
    /// Weight in its group, renormalised over present siblings.
    pub weight_in_group: f64,
    /// Effective weight in the final score.
    pub effective_weight: f64,
    /// Points of the final score it accounts for.
    pub contribution: f64,
    /// The model's source for this indicator.
    pub model_source: Source,
    /// The project's source for the value.
    pub input_source: Option<String>,
    /// The period the value refers to.
    pub input_as_of: Option<String>,
    /// The value's status; null when missing.
    pub status: Option<Status>,
    /// Note from the project.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// True when the value was imputed.
    pub imputed: bool,
    /// True when the indicator was left out.
    pub dropped: bool,
    /// For an indicator computed from data files: how (parameters, events behind it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub derived: Option<Trace>,
}

/// One line of the score's breakdown.
#[derive(Debug, Clone, Serialize)]
pub struct ContributionLine {
    /// "indicator", "rounding", "rules" or "scale_minimum".
    pub kind: &'static str,
    /// Indicator id, for indicator lines.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Points.
    pub points: f64,
}

/// One rule's result.
#[derive(Debug, Clone, Serialize)]
pub struct RuleResult {
    /// Id.
    pub id: String,
    /// Where the model defines it ("file:line").
    pub defined_at: String,
    /// Fired, quiet or unknown.
    pub state: RuleState,
    /// The condition.
    pub when: String,
    /// The effect, in words.
    pub effect: String,
    /// The reason given in the model.
    pub reason: String,
}

/// A warning attached to an assessment.
#[derive(Debug, Clone, Serialize)]
pub struct Warning {
    /// Stable code.
    pub code: Code,
    /// Message.
    pub message: String,
}

/// Exposure as shown.
#[derive(Debug, Clone, Serialize)]
pub struct ExposureInfo {
    /// ISO 4217.
    pub currency: String,
    /// Low.
    pub low: Decimal,
    /// Nominal.
    pub nominal: Decimal,
    /// High.
    pub high: Decimal,
    /// True when nominal is the midpoint of low/high.
    pub nominal_is_midpoint: bool,
    /// Status of the figure.
    pub status: Status,
    /// Source of the figure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Audit block.
#[derive(Debug, Clone, Serialize)]
pub struct Audit {
    /// Model id.
    pub model_id: String,
    /// Model version.
    pub model_version: String,
    /// Model file as given.
    pub model_file: String,
    /// SHA-256 of the model file.
    pub model_sha256: String,
    /// SHA-256 of the model's canonical form: its content, however the file is written.
    pub model_canonical_sha256: String,
    /// Project file as given.
    pub project_file: String,
    /// SHA-256 of the project file.
    pub project_sha256: String,
    /// Event and position files read, with their SHA-256.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub data_files: Vec<FileHash>,
    /// Vigie version.
    pub engine_version: String,
    /// As-of date.
    pub as_of: String,
    /// Settings given on the command line that override the files (as-of date, data
    /// files, back-testing).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<String>,
    /// The analyst's band override, if any: band, model's band, author, reason, where.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub band_override: Option<String>,
    /// The command's arguments after `vigie` (without the output file), so that
    /// `vigie verify` can run it again.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub invocation: Vec<String>,
    /// The directory the command ran in, which relative file names above are relative to,
    /// so that `vigie verify` finds the files from any directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub working_directory: Option<String>,
}

/// Scores a bound project and lays the result out. An evaluation error comes back as
/// [`Error::Invalid`] with one diagnostic naming the indicator, group or rules at fault.
pub fn assess(
    model: &Model,
    project: &Project,
    bound: &Bound,
    params: &Params,
) -> Result<Assessment, Error> {
    let mut ws = Workspace::new(model);
    let outcome = evaluate(model, &bound.values, params, &mut ws)
        .map_err(|e| Error::Invalid(vec![eval_diagnostic(model, project, e)]))?;
    let attr = attribute(model, params, &ws);
    let lo = model.meta.scale.min;
    let finite = |x: f64| x.is_finite().then_some(x);
    let band_info = |b: u16| {
        let band = &model.bands[b as usize];
        BandInfo {
            label: band.label.clone(),
            colour: band.colour.clone(),
        }
    };

    // Tree order, root first, so reports read top-down.
    let mut tree: Vec<(NodeId, usize)> = Vec::new();
    let mut stack = vec![(model.root, 0usize)];
    while let Some((node, depth)) = stack.pop() {
        tree.push((node, depth));
        if let Some(g) = model.group_of(node) {
            let kids: Vec<_> = model.children(g).map(|(_, c)| (c, depth + 1)).collect();
            stack.extend(kids.into_iter().rev());
        }
    }
    // Indicators outside the tree (read only by formulas or rules) are listed too, with no
    // points of their own: their influence is attributed to the formula group's children.
    let in_tree: Vec<bool> = {
        let mut seen = vec![false; model.n_nodes()];
        tree.iter().for_each(|(n, _)| seen[*n as usize] = true);
        seen
    };
    tree.extend(
        (0..model.indicators.len() as NodeId)
            .filter(|n| !in_tree[*n as usize])
            .map(|n| (n, 0)),
    );
    let parent_id =
        |node: NodeId| model.parent[node as usize].map(|p| model.groups[p as usize].id.clone());

    // The derived value of each indicator, by index (a search per indicator would make
    // laying out a model of derived indicators quadratic).
    let mut derived_of: Vec<Option<&crate::derive::DerivedValue>> =
        vec![None; model.indicators.len()];
    for d in &bound.derived {
        if let Some(slot) = derived_of.get_mut(d.indicator as usize) {
            slot.get_or_insert(d);
        }
    }

    let mut warnings = Vec::new();
    let mut groups = Vec::new();
    let mut indicators = Vec::new();
    for &(node, depth) in &tree {
        let n = node as usize;
        let f = ws.flags[n];
        if let Some(g) = model.group_of(node) {
            groups.push(GroupResult {
                id: g.id.clone(),
                label: g.label.clone(),
                parent: parent_id(node),
                depth,
                defined_at: format!("{}:{}", model.origin, g.line),
                aggregation: g.aggregation.name().to_string(),
                score: finite(ws.value[n]),
                unrounded: finite(ws.unrounded[n]),
                weight_in_parent: attr.local_weight[n],
                effective_weight: attr.effective_weight[n],
                contribution: attr.points[n],
            });
            let note = |what: &str| Warning {
                code: Code::EvaluationNote,
                message: format!("group `{}`: {what}", g.id),
            };
            if f & flags::FLOORED != 0 {
                warnings.push(note("a child near zero was raised to the zero floor"));
            }
            if f & flags::ZEROED != 0 {
                warnings.push(note("a child at zero set the group to the scale minimum"));
            }
            if f & flags::CLAMPED != 0 {
                warnings.push(note(
                    "the formula's value fell outside the scale and was clamped",
                ));
            }
            if f & flags::DROPPED != 0 {
                warnings.push(note(
                    if matches!(g.aggregation, crate::model::Aggregation::Formula(_)) {
                        "its formula needs a value that is missing, so the group was left out"
                    } else {
                        "no child had a value, so the group was left out"
                    },
                ));
            }
            continue;
        }
        let ind = &model.indicators[n];
        let given = bound.provided[n].and_then(|k| project.values.get(k));
        let derived = derived_of[n];
        let category = match (&ind.normalisation, ws.raw[n]) {
            (crate::model::Normalisation::Categorical { categories }, x) if x >= 0.0 => {
                categories.get(x as usize).map(|(c, _)| c.clone())
            }
            _ => None,
        };
        let dropped = f & flags::DROPPED != 0;
        let imputed = f & flags::IMPUTED != 0;
        if dropped {
            warnings.push(Warning {
                code: Code::EvaluationNote,
                message: format!(
                    "`{}` has no value and was left out; its siblings' weights were renormalised",
                    ind.id
                ),
            });
        }
        if imputed {
            warnings.push(Warning {
                code: Code::EvaluationNote,
                message: format!(
                    "`{}` has no value; {} was imputed",
                    ind.id,
                    fmt_num(ws.raw[n])
                ),
            });
        }
        if f & flags::CLAMPED != 0 {
            warnings.push(Warning {
                code: Code::EvaluationNote,
                message: clamp_note(model, params, n, &ws),
            });
        }
        if let Some(v) = given {
            if matches!(v.status, Status::Unverified | Status::Contradicted) {
                warnings.push(status_warning(&ind.id, v));
            }
            if let Some(w) = stale_warning(model, project, &ind.id, v) {
                warnings.push(w);
            }
            if v.nominal_is_midpoint {
                warnings.push(Warning {
                    code: Code::EvaluationNote,
                    message: format!(
                        "`{}` is given as a range {}..{}; its midpoint {} is used as the nominal value",
                        ind.id,
                        fmt_num(v.low.unwrap_or(f64::NAN)),
                        fmt_num(v.high.unwrap_or(f64::NAN)),
                        fmt_num(ws.raw[n])
                    ),
                });
            }
        }
        indicators.push(IndicatorResult {
            id: ind.id.clone(),
            label: ind.label.clone(),
            unit: ind.unit.clone(),
            defined_at: format!("{}:{}", model.origin, ind.line),
            value_at: given.map(|v| format!("{}:{}", project.origin, v.line)),
            group: parent_id(node),
            raw: if category.is_some() {
                None
            } else {
                finite(ws.raw[n])
            },
            category,
            low: given.and_then(|v| v.low),
            high: given.and_then(|v| v.high),
            nominal_is_midpoint: given.is_some_and(|v| v.nominal_is_midpoint),
            transformed: if dropped {
                None
            } else {
                finite(ws.transformed[n])
            },
            score: finite(ws.value[n]),
            weight_in_group: attr.local_weight[n],
            effective_weight: attr.effective_weight[n],
            contribution: attr.points[n],
            model_source: ind.source.clone(),
            input_source: match derived {
                Some(d) => d.trace.file.as_ref().map(|f| format!("derived from {f}")),
                None => given.and_then(|v| v.source.clone()),
            },
            input_as_of: match derived {
                Some(d) => d.trace.window.as_ref().map(|[a, b]| format!("{a}/{b}")),
                None => given.and_then(|v| v.as_of.clone()),
            },
            status: match derived {
                Some(d) if !d.value.is_nan() => {
                    Some(project.data.status.unwrap_or(Status::Reported))
                }
                Some(_) => None,
                None => given.map(|v| v.status),
            },
            note: given.and_then(|v| v.note.clone()),
            imputed,
            dropped,
            derived: derived.map(|d| d.trace.clone()),
        });
    }

    for (j, aux) in model.aux_inputs.iter().enumerate() {
        let slot = model.indicators.len() + j;
        if let Some(v) = bound.provided[slot].and_then(|k| project.values.get(k))
            && matches!(v.status, Status::Unverified | Status::Contradicted)
        {
            warnings.push(status_warning(&aux.id, v));
        }
        if let Some(v) = bound.provided[slot].and_then(|k| project.values.get(k))
            && let Some(w) = stale_warning(model, project, &aux.id, v)
        {
            warnings.push(w);
        }
    }
    for f in &bound.data_files {
        warnings.extend(
            f.notes()
                .into_iter()
                .map(|(code, message)| Warning { code, message }),
        );
    }
    for message in governance_warnings(&model.meta.governance, project.as_of) {
        warnings.push(Warning {
            code: Code::GovernanceNote,
            message,
        });
    }
    let band_override = band_override(model, project, outcome.band)?;

    let mut contributions: Vec<ContributionLine> = indicators
        .iter()
        .map(|i| ContributionLine {
            kind: "indicator",
            id: Some(i.id.clone()),
            points: i.contribution,
        })
        .collect();
    if lo != 0.0 {
        contributions.push(ContributionLine {
            kind: "scale_minimum",
            id: None,
            points: lo,
        });
    }
    contributions.push(ContributionLine {
        kind: "rounding",
        id: None,
        points: attr.rounding,
    });
    contributions.push(ContributionLine {
        kind: "rules",
        id: None,
        points: outcome.score - outcome.score_before_rules,
    });

    let rules = model
        .rules
        .iter()
        .zip(&ws.rules)
        .map(|(r, state)| {
            if *state == RuleState::Unknown {
                warnings.push(Warning {
                    code: Code::EvaluationNote,
                    message: format!(
                        "rule `{}` could not be decided: it needs a value that is missing",
                        r.id
                    ),
                });
            }
            RuleResult {
                id: r.id.clone(),
                defined_at: format!("{}:{}", model.origin, r.line),
                state: *state,
                when: r.when.source().to_string(),
                effect: effect_text(model, r.effect),
                reason: r.reason.clone(),
            }
        })
        .collect();

    let money = money_block(model, project, &outcome, &mut warnings);
    let band_override_audit = band_override
        .as_ref()
        .map(|o| format!("band {}", o.summary()));
    let as_of = project.as_of.to_string();
    Ok(Assessment {
        model: ModelInfo {
            id: model.meta.id.clone(),
            name: model.meta.name.clone(),
            version: model.meta.version.to_string(),
            scale: [model.meta.scale.min, model.meta.scale.max],
            decimals: model.meta.decimals,
        },
        project: ProjectInfo {
            id: project.id.clone(),
            name: project.name.clone(),
            country: project.country.clone(),
            region: project.region.clone(),
            sponsors: project.sponsors.clone(),
            site: project.site.clone(),
            as_of: as_of.clone(),
        },
        score: outcome.score,
        score_before_rules: outcome.score_before_rules,
        band_from_score: band_info(outcome.band_from_score),
        band: band_info(outcome.band),
        groups,
        contributions,
        rules,
        warnings,
        data_files: bound.data_files.clone(),
        exposure: project.exposure.as_ref().map(|e| ExposureInfo {
            currency: e.currency.clone(),
            low: e.low,
            nominal: e.nominal,
            high: e.high,
            nominal_is_midpoint: e.nominal_is_midpoint,
            status: e.status,
            source: e.source.clone(),
        }),
        data_quality: data_quality(&indicators),
        governance: model.meta.governance.clone(),
        band_override,
        indicators,
        money,
        audit: Audit {
            band_override: band_override_audit,
            ..Audit::of(model, project, bound)
        },
    })
}

impl Audit {
    /// The audit block of a run on these files: their fingerprints and the engine's
    /// version. Command-line settings and the invocation are added by the caller.
    pub fn of(model: &Model, project: &Project, bound: &Bound) -> Audit {
        Audit {
            model_id: model.meta.id.clone(),
            model_version: model.meta.version.to_string(),
            model_file: model.origin.clone(),
            model_sha256: model.sha256.clone(),
            model_canonical_sha256: model.canonical_sha256(),
            project_file: project.origin.clone(),
            project_sha256: project.sha256.clone(),
            data_files: bound
                .data_files
                .iter()
                .map(|d| FileHash {
                    kind: d.kind,
                    file: d.file.clone(),
                    sha256: d.sha256.clone(),
                })
                .collect(),
            engine_version: ENGINE_VERSION.to_string(),
            as_of: project.as_of.to_string(),
            overrides: Vec::new(),
            band_override: None,
            invocation: Vec::new(),
            working_directory: None,
        }
    }
}

/// A data file's fingerprint in an audit block.
#[derive(Debug, Clone, Serialize)]
pub struct FileHash {
    /// "events" or "positions".
    pub kind: &'static str,
    /// The file as named.
    pub file: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
}

/// The effect of a rule in words.
pub fn effect_text(model: &Model, effect: Effect) -> String {
    let band = |b: u16| {
        model
            .bands
            .get(b as usize)
            .map_or("?", |b| b.label.as_str())
    };
    match effect {
        Effect::BandAtLeast(b) => format!("band at least {}", band(b)),
        Effect::BandAtMost(b) => format!("band at most {}", band(b)),
        Effect::ScoreFloor(v) => format!("score at least {v}"),
        Effect::ScoreCap(v) => format!("score at most {v}"),
    }
}

/// An evaluation failure as a diagnostic, located in the project: at the value at fault
/// when there is one, else at its `[values]` table.
fn eval_diagnostic(model: &Model, project: &Project, e: EvalError) -> Diagnostic {
    let msg = match e {
        EvalError::MissingInput { indicator } => {
            format!(
                "indicator `{}` has no value and its policy does not allow that",
                model.input_id(indicator)
            )
        }
        EvalError::Undefined { indicator } => format!(
            "indicator `{}` cannot be scored at its value (e.g. ln of a value <= 0, a ratio to zero or too large for a double, an unknown category)",
            model.input_id(indicator)
        ),
        EvalError::ZeroChild { group } => format!(
            "group `{}` has a child at zero and `zero = \"error\"`",
            model
                .groups
                .get(group as usize)
                .map_or("?", |g| g.id.as_str())
        ),
        EvalError::RootAbsent => {
            "the root has no value: every child was left out, or its formula needs a missing value"
                .to_string()
        }
        EvalError::RuleConflict { floor, cap } => format!(
            "rules `{}` and `{}` both fired and contradict each other (a floor above a cap)",
            model
                .rules
                .get(floor as usize)
                .map_or("?", |r| r.id.as_str()),
            model.rules.get(cap as usize).map_or("?", |r| r.id.as_str())
        ),
        EvalError::Shape => "inputs do not match the model".to_string(),
    };
    let value_span = match e {
        EvalError::Undefined { indicator } | EvalError::MissingInput { indicator } => project
            .value(model.input_id(indicator))
            .map(|v| v.value.span.clone()),
        _ => None,
    };
    let span = value_span.unwrap_or_else(|| project.values_span.clone());
    project.source.diag(Code::Evaluation, span, msg)
}

/// The warning for an unverified or contradicted input: its note, else its source.
fn status_warning(id: &str, v: &crate::project::InputValue) -> Warning {
    Warning {
        code: Code::InputStatus,
        message: crate::bind::status_message(id, v),
    }
}

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

/// The money block, or a warning saying why there is none.
fn money_block(
    model: &Model,
    project: &Project,
    outcome: &crate::engine::eval::Outcome,
    warnings: &mut Vec<Warning>,
) -> Option<crate::finance::money::MoneyBlock> {
    let finance = model.finance.as_ref()?;
    let Some(exposure) = &project.exposure else {
        warnings.push(Warning {
            code: Code::EvaluationNote,
            message: "the model has a [finance] section but the project gives no exposure: no money figures".to_string(),
        });
        return None;
    };
    let band = &model.bands[outcome.band as usize];
    let obligor = crate::finance::money::Obligor {
        exposure,
        defaulted: project.defaulted,
        maturity_years: exposure.maturity_years,
    };
    match crate::finance::money::money(finance, outcome.score, outcome.band, &band.label, obligor) {
        Ok(m) => Some(m),
        Err(e) => {
            warnings.push(Warning {
                code: Code::EvaluationNote,
                message: format!("no money figures: {e}"),
            });
            None
        }
    }
}

/// An analyst's band override as an assessment shows it.
#[derive(Debug, Clone, Serialize)]
pub struct OverrideInfo {
    /// The band the model gives.
    pub model_band: String,
    /// The band the analyst sets.
    pub band: String,
    /// Why.
    pub reason: String,
    /// Who.
    pub author: String,
    /// When, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Where the override is written ("file:line").
    pub defined_at: String,
}

impl OverrideInfo {
    /// The override in one line, as reports and the audit block write it: "Severe (model:
    /// High) by A. Analyst on 2025-11-03: reason [file:line]".
    pub fn summary(&self) -> String {
        format!(
            "{} (model: {}) by {}{}: {} [{}]",
            self.band,
            self.model_band,
            self.author,
            self.date
                .as_ref()
                .map_or(String::new(), |d| format!(" on {d}")),
            self.reason,
            self.defined_at
        )
    }
}

/// The project's band override, checked against the model's bands.
fn band_override(
    model: &Model,
    project: &Project,
    model_band: u16,
) -> Result<Option<OverrideInfo>, Error> {
    let Some(o) = &project.band_override else {
        return Ok(None);
    };
    let labels: Vec<&str> = model.bands.iter().map(|b| b.label.as_str()).collect();
    if !labels.contains(&o.band.value.as_str()) {
        let mut d = project.source.diag(
            Code::UnknownBand,
            o.band.span.clone(),
            format!(
                "the override names band `{}`, which the model does not define",
                o.band.value
            ),
        );
        d.help = Some(format!("bands are: {}", labels.join(", ")));
        return Err(Error::Invalid(vec![d]));
    }
    Ok(Some(OverrideInfo {
        model_band: model.bands[model_band as usize].label.clone(),
        band: o.band.value.clone(),
        reason: o.reason.clone(),
        author: o.author.clone(),
        date: o.date.map(|d| d.to_string()),
        defined_at: format!(
            "{}:{}",
            project.origin,
            project.source.locate(o.band.span.clone()).line
        ),
    }))
}

/// A warning when a value's period ended longer ago than the model's freshness limit.
fn stale_warning(
    model: &Model,
    project: &Project,
    id: &str,
    v: &crate::project::InputValue,
) -> Option<Warning> {
    stale_message(model, project.as_of, id, v).map(|message| Warning {
        code: Code::StaleValue,
        message,
    })
}
