//! `vigie explain MODEL`: the model in words for an auditor: header, the tree with nominal
//! effective weights, each indicator's normalisation and source, formulas, rules, bands.

use vigie::model::{Aggregation, Missing, Model, Transform};

use crate::args::{ExplainArgs, ExplainFormat};
use crate::render::numbers::percent;
use crate::render::{Style, diagnostics};
use crate::{EXIT_CANNOT_RUN, EXIT_OK, files};

pub fn run(a: &ExplainArgs) -> u8 {
    let src = match files::read(&a.model) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return EXIT_CANNOT_RUN;
        }
    };
    match Model::from_source(&src) {
        Ok((model, _)) => {
            print!("{}", explain(&model, a.format == ExplainFormat::Markdown));
            EXIT_OK
        }
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
    if !meta.description.is_empty() {
        out.push_str(&format!("\n{}\n", one_line(&meta.description)));
    }

    out.push_str(&h("Tree (nominal effective weights)"));
    out.push_str(
        "Each node's weight in its group, and its nominal effective weight in the final score (the product of\n\
         weights along its path; for non-arithmetic aggregations the actual share depends on the values).\n\n",
    );
    let eff = m.nominal_effective_weights();
    let mut stack = vec![(m.root(), 0usize)];
    while let Some((node, depth)) = stack.pop() {
        let local = m.parent()[node as usize]
            .map(|p| {
                let g = &m.groups()[p as usize];
                let total: f64 = m.children(g).map(|(e, _)| m.weights()[e]).sum();
                let w = m
                    .children(g)
                    .find(|(_, c)| *c == node)
                    .map_or(0.0, |(e, _)| m.weights()[e]);
                format!(" · weight {}", percent(w / total))
            })
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
            let kids: Vec<_> = m.children(g).map(|(_, c)| (c, depth + 1)).collect();
            stack.extend(kids.into_iter().rev());
        }
    }

    out.push_str(&h("Indicators"));
    for ind in m.indicators() {
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
        if let Some(d) = m
            .derived()
            .iter()
            .find(|d| m.input_id(d.indicator) == ind.id)
        {
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
