//! `vigie explain MODEL`: the model in words for an auditor: header, the tree with nominal
//! effective weights, each indicator's normalisation and source, formulas, rules, bands,
//! the model's own uncertainty and its money section.

use vigie::model::{Aggregation, Missing, Model, Transform};

use crate::args::{ExplainArgs, ExplainFormat};
use crate::render::numbers::percent;
use crate::render::{Style, diagnostics};
use crate::{EXIT_CANNOT_RUN, files};

pub fn run(a: &ExplainArgs) -> u8 {
    let src = match files::read(&a.model) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return EXIT_CANNOT_RUN;
        }
    };
    match Model::from_source(&src) {
        Ok((model, _)) => crate::print(&explain(&model, a.format == ExplainFormat::Markdown)),
        Err(e) => {
            eprint!(
                "{}",
                diagnostics::human_all(e.diagnostics(), &[&src], Style::detect().colour_stderr)
            );
            EXIT_CANNOT_RUN
        }
    }
}

/// The explanation text.
pub fn explain(m: &Model, md: bool) -> String {
    let meta = &m.meta();
    let h = |t: &str| {
        if md {
            format!("\n## {t}\n\n")
        } else {
            format!("\n{t}\n{}\n", "-".repeat(t.len()))
        }
    };
    let mut out = String::new();
    out.push_str(&if md {
        format!("# {} ({} {})\n\n", meta.name, meta.id, meta.version)
    } else {
        format!("{} ({} {})\n", meta.name, meta.id, meta.version)
    });
    out.push_str(&format!(
        "Effective {} · owner {} · scale {}-{} · file {} · sha256 {}\n",
        meta.effective,
        if meta.owner.is_empty() {
            "-"
        } else {
            &meta.owner
        },
        meta.scale.min,
        meta.scale.max,
        m.origin(),
        m.sha256()
    ));
    let g = &meta.governance;
    out.push_str(&format!(
        "Status {}{}{}{}\n",
        g.status.as_str(),
        match (&g.approver, &g.approved) {
            (Some(who), Some(when)) => format!(" · approved by {who} on {when}"),
            _ => String::new(),
        },
        g.next_review
            .map_or(String::new(), |d| format!(" · next review {d}")),
        g.max_age_years.map_or(String::new(), |y| format!(
            " · figures older than {y} years are stale"
        ))
    ));
    if !meta.description.is_empty() {
        out.push_str(&format!("\n{}\n", one_line(&meta.description)));
    }

    out.push_str(&h("Tree (nominal effective weights)"));
    out.push_str(
        "Each node's weight in its group, and its nominal effective weight in the final score (the product of\n\
         weights along its path; for non-arithmetic aggregations the actual share depends on the values).\n\n",
    );
    let eff = m.nominal_effective_weights();
    // (node, depth, its weight share in its group): the share is worked out when the group
    // is opened, once per group (per child, a search and a sum made wide groups quadratic).
    let mut stack = vec![(m.root(), 0usize, None::<f64>)];
    while let Some((node, depth, share)) = stack.pop() {
        let local = share
            .map(|w| format!(" · weight {}", percent(w)))
            .unwrap_or_default();
        let what = match m.group_of(node) {
            Some(g) => {
                let mut s = format!("[{}", g.aggregation.name());
                if let Aggregation::PowerMean(p) = g.aggregation {
                    s.push_str(&format!(" p={p}"));
                }
                if let Some(r) = g.round {
                    s.push_str(&format!(", rounded to {r} dp"));
                }
                s.push(']');
                s
            }
            None => "(indicator)".to_string(),
        };
        out.push_str(&format!(
            "{}{}{} {what}{local} · effective {}\n",
            if md { "    " } else { "" },
            "  ".repeat(depth),
            m.node_id(node),
            percent(eff[node as usize])
        ));
        if let Some(g) = m.group_of(node) {
            let total: f64 = m.children(g).map(|(e, _)| m.weights()[e]).sum();
            let kids: Vec<_> = m
                .children(g)
                .map(|(e, c)| (c, depth + 1, Some(m.weights()[e] / total)))
                .collect();
            stack.extend(kids.into_iter().rev());
        }
    }

    out.push_str(&h("Indicators"));
    for (i, ind) in m.indicators().iter().enumerate() {
        out.push_str(&format!(
            "{}{} — {}\n",
            if md { "### " } else { "* " },
            ind.id,
            ind.label
        ));
        let mut facts = vec![
            format!(
                "unit: {}",
                if ind.unit.is_empty() { "-" } else { &ind.unit }
            ),
            format!("direction: {}", ind.direction.as_str()),
            format!("transform: {}", transform_text(m, ind.transform)),
            format!(
                "normalise: {}",
                ind.normalisation_text
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            format!("missing: {}", missing_text(m, ind.missing)),
        ];
        if let Some(r) = ind.round {
            facts.push(format!("rounded to {r} dp"));
        }
        // Derived indicators are listed in indicator order.
        let derived = m
            .derived()
            .binary_search_by_key(&(i as u32), |d| d.indicator)
            .ok()
            .map(|k| &m.derived()[k]);
        if let Some(d) = derived {
            facts.push(format!("derived from data files: {}", one_line(&d.text)));
        }
        if !ind.description.is_empty() {
            facts.push(format!("measures: {}", one_line(&ind.description)));
        }
        if !ind.rationale.is_empty() {
            facts.push(format!("why: {}", one_line(&ind.rationale)));
        }
        let s = &ind.source;
        if !s.citation.is_empty() {
            let mut src = s.citation.clone();
            if let Some(v) = &s.vintage {
                src.push_str(&format!(" ({v})"));
            }
            if let Some(u) = &s.url {
                src.push_str(&format!(" <{u}>"));
            }
            facts.push(format!("source: {src}"));
        }
        for f in facts {
            out.push_str(&format!("    {f}\n"));
        }
    }
    if !m.aux_inputs().is_empty() {
        out.push_str(&h("Other inputs"));
        for i in m.aux_inputs() {
            out.push_str(&format!(
                "* {} — {} ({}); source: {}\n",
                i.id, i.label, i.unit, i.source.citation
            ));
        }
    }

    let formulas: Vec<_> = m
        .groups()
        .iter()
        .filter_map(|g| match &g.aggregation {
            Aggregation::Formula(e) => Some((g, e)),
            _ => None,
        })
        .collect();
    if !formulas.is_empty() {
        out.push_str(&h("Formulas"));
        out.push_str("A name stands for that node's score on the model's scale; raw.<id> for an input's raw value.\n\n");
        for (g, e) in formulas {
            out.push_str(&format!("* {} = {}\n", g.id, e.source()));
        }
    }

    out.push_str(&h("Rules"));
    if m.rules().is_empty() {
        out.push_str("none\n");
    }
    for r in m.rules() {
        out.push_str(&format!(
            "* {} (line {}): when {} then {}\n    reason: {}\n",
            r.id,
            r.line,
            r.when.source(),
            vigie::engine::assess::effect_text(m, r.effect),
            r.reason
        ));
    }

    out.push_str(&h("Bands (a threshold is the inclusive lower bound)"));
    for (k, b) in m.bands().iter().enumerate() {
        let upper = m
            .bands()
            .get(k + 1)
            .map_or(format!("{}", meta.scale.max), |n| {
                format!("below {}", n.from)
            });
        let desc = if b.description.is_empty() {
            String::new()
        } else {
            format!(": {}", b.description)
        };
        out.push_str(&format!(
            "* {} from {} to {upper} ({}){desc}\n",
            b.label, b.from, b.colour
        ));
    }
    out.push_str(&uncertainty_text(m, &h));
    if let Some(f) = m.finance() {
        out.push_str(&finance_text(m, f, &h));
    }
    out
}

/// What `simulate` and `sensitivity` vary in the model itself.
fn uncertainty_text(m: &Model, h: &dyn Fn(&str) -> String) -> String {
    use vigie::model::WeightUncertainty as W;
    let mut out = h("Uncertainty the model declares");
    out.push_str(&match m.weight_uncertainty() {
        W::Fixed => "* weights: fixed\n".to_string(),
        W::Perturb { factor } => format!(
            "* weights: each times U({}, {}), renormalised in its group\n",
            1.0 - factor,
            1.0 + factor
        ),
        W::Dirichlet { concentration } => format!(
            "* weights: each group's drawn from Dirichlet({concentration} x nominal shares)\n"
        ),
    });
    for a in m.alternatives() {
        out.push_str(&format!(
            "* {} (line {}): one of {}, equally likely; nominal {}\n",
            a.id,
            a.line,
            a.labels.join(" | "),
            a.labels[0]
        ));
    }
    out
}

/// The `[finance]` section: PD and slotting per band, LGD, horizon, mitigant.
fn finance_text(
    m: &Model,
    f: &vigie::finance::spec::Finance,
    h: &dyn Fn(&str) -> String,
) -> String {
    use vigie::finance::spec::PdMapping;
    let mut out = h(&format!("Money (line {})", f.line));
    out.push_str(&format!(
        "* {}\n",
        f.calibrated_on.as_ref().map_or(
            "indicative: the PD mapping names no default data it was calibrated on".to_string(),
            |c| format!("PD calibrated on {c}")
        )
    ));
    out.push_str(&format!(
        "* expected loss over {} years with cumulative PD 1 - (1 - annual PD)^{}; LGD {} ({})\n",
        f.horizon_years,
        f.horizon_years,
        percent(f.lgd),
        f.lgd_source
    ));
    out.push_str(&format!(
        "* IRB effective maturity {} years unless the project gives one{}\n",
        f.maturity_years,
        if f.short_maturity_option {
            "; CRE33 short-maturity option on"
        } else {
            ""
        }
    ));
    match &f.pd {
        PdMapping::Table { annual } => {
            out.push_str(&format!("* PD by band ({}):\n", f.pd_source));
            for ((b, pd), cat) in m.bands().iter().zip(annual).zip(&f.slotting) {
                out.push_str(&format!(
                    "    {}: annual PD {:.2}%, slotting {}\n",
                    b.label,
                    pd * 100.0,
                    cat.as_str()
                ));
            }
        }
        PdMapping::Logistic { intercept, slope } => {
            out.push_str(&format!(
                "* annual PD = 1 / (1 + exp(-({intercept} + {slope} x score))) ({})\n",
                f.pd_source
            ));
            for (b, cat) in m.bands().iter().zip(&f.slotting) {
                out.push_str(&format!("    {}: slotting {}\n", b.label, cat.as_str()));
            }
        }
    }
    if let Some(g) = &f.mitigant {
        out.push_str(&format!(
            "* mitigant: {} by {}, cover {}, peril share {}, provider annual PD {:.2}%, LGD {}\n",
            g.kind,
            g.provider,
            percent(g.cover),
            percent(g.peril_share),
            g.provider_pd * 100.0,
            percent(g.provider_lgd)
        ));
    }
    out
}

/// Collapses a multi-line TOML string into one line.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn transform_text(m: &Model, t: Transform) -> String {
    match t {
        Transform::None => "none".into(),
        Transform::Ln => "natural log (goalposts logged too)".into(),
        Transform::Log10 => "log10 (goalposts logged too)".into(),
        Transform::Power(p) => format!("raised to the power {p}"),
        Transform::Ratio {
            denominator,
            multiplier,
        } => {
            format!("divided by {} times {multiplier}", m.input_id(denominator))
        }
    }
}

fn missing_text(m: &Model, p: Missing) -> String {
    match p {
        Missing::Error => "error (a value is required)".into(),
        Missing::Drop => "drop, and renormalise the siblings' weights".into(),
        Missing::Impute(v) => format!("impute {v}"),
        Missing::ImputeFrom(s) => format!("impute from {}", m.input_id(s)),
    }
}
