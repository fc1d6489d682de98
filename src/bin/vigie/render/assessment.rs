//! An assessment as a table for a terminal, or as Markdown for a report. Both show the
//! same facts: headline, exposure, groups, top drivers, rules, warnings, audit.

use comfy_table::{Cell, CellAlignment, Table, presets};
use vigie::Assessment;
use vigie::engine::RuleState;

use super::numbers::{fixed, money, percent, raw};
use super::paint;

/// Which flavour of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// Box-drawn tables for a terminal.
    Terminal,
    /// GitHub-flavoured Markdown.
    Markdown,
}

/// Renders an assessment.
pub fn render(a: &Assessment, flavour: Flavour, colour: bool, top: usize) -> String {
    let md = flavour == Flavour::Markdown;
    let colour = colour && !md;
    let d = a.model.decimals;
    let mut out = String::new();
    let h = |title: &str| {
        if md {
            format!("\n## {title}\n\n")
        } else {
            format!("\n{title}\n")
        }
    };

    if md {
        out.push_str(&format!("# {} ({})\n\n", a.project.name, a.project.id));
    } else {
        out.push_str(&format!("{} ({})\n", a.project.name, a.project.id));
    }
    let place = if a.project.region.is_empty() {
        a.project.country.clone()
    } else {
        format!("{}, {}", a.project.region, a.project.country)
    };
    out.push_str(&format!(
        "Model {} {} · as of {} · {}\n",
        a.model.id, a.model.version, a.project.as_of, place
    ));
    if md {
        out.push('\n');
    }
    let band = paint(colour, &a.band.colour, &a.band.label);
    let mut headline = format!(
        "Score {} on {}-{} · band {}",
        fixed(Some(a.score), d),
        a.model.scale[0],
        a.model.scale[1],
        band
    );
    if a.band != a.band_from_score {
        headline.push_str(&format!(
            " (score alone gives {}; moved by rules)",
            a.band_from_score.label
        ));
    }
    if a.score != a.score_before_rules {
        headline.push_str(&format!(
            " · before rules {}",
            fixed(Some(a.score_before_rules), d)
        ));
    }
    out.push_str(&if md {
        format!("**{headline}**\n")
    } else {
        format!("{headline}\n")
    });
    if let Some(o) = &a.band_override {
        out.push_str(&format!(
            "{}Band overridden to {}\n",
            if md { "\n" } else { "" },
            o.summary()
        ));
    }
    let q = &a.data_quality;
    out.push_str(&format!(
        "{}Data quality: {} of the score's points rest on weak data (unverified {}, contradicted {}, imputed {}, region-level events {}, data files not covering their window {})\n",
        if md { "\n" } else { "" },
        percent(q.any),
        percent(q.unverified),
        percent(q.contradicted),
        percent(q.imputed),
        percent(q.region_level),
        percent(q.coverage)
    ));
    let g = &a.governance;
    out.push_str(&format!(
        "{}Model {}{}\n",
        if md { "\n" } else { "" },
        match (g.status.as_str(), &g.approver, &g.approved) {
            ("approved", Some(who), Some(when)) => format!("approved by {who} on {when}"),
            (status, _, _) => format!("status: {status}"),
        },
        g.next_review
            .map_or(String::new(), |d| format!(", next review {d}"))
    ));
    if let Some(e) = &a.exposure {
        let nominal = if e.nominal_is_midpoint {
            "midpoint"
        } else {
            "nominal"
        };
        let line = if e.low == e.high {
            format!(
                "Exposure {} {} [{}]",
                e.currency,
                money(e.nominal),
                e.status.as_str()
            )
        } else {
            format!(
                "Exposure {cur} low {} · {nominal} {} · high {} [{}]",
                money(e.low),
                money(e.nominal),
                money(e.high),
                e.status.as_str(),
                cur = e.currency
            )
        };
        if md {
            out.push('\n');
        }
        out.push_str(&line);
        out.push('\n');
    }

    out.push_str(&h("Groups"));
    let mut t = table(
        md,
        &[
            "Group",
            "Aggregation",
            "Score",
            "Weight in parent",
            "Effective weight",
            "Points",
        ],
    );
    for g in &a.groups {
        let indent = if md {
            "".to_string()
        } else {
            "  ".repeat(g.depth)
        };
        t.add_row(vec![
            Cell::new(format!("{indent}{}", g.label)),
            Cell::new(&g.aggregation),
            right(fixed(g.score, d)),
            right(if g.parent.is_some() {
                percent(g.weight_in_parent)
            } else {
                "-".into()
            }),
            right(percent(g.effective_weight)),
            right(fixed(Some(g.contribution), d)),
        ]);
    }
    out.push_str(&t.to_string());
    out.push('\n');

    out.push_str(&h(&format!("Top drivers (points of the score, top {top})")));
    let mut drivers: Vec<_> = a.indicators.iter().collect();
    drivers.sort_by(|x, y| {
        y.contribution
            .total_cmp(&x.contribution)
            .then(x.id.cmp(&y.id))
    });
    let mut t = table(
        md,
        &[
            "Indicator",
            "Raw",
            "Score",
            "Eff. weight",
            "Points",
            "Status",
            "Source",
        ],
    );
    for i in drivers.iter().take(top) {
        let raw_text = match (&i.category, i.raw) {
            (Some(c), _) => c.clone(),
            (None, v) => {
                let unit = if i.unit.is_empty() {
                    String::new()
                } else {
                    format!(" {}", i.unit)
                };
                let range = match (i.low, i.high) {
                    (Some(l), Some(h)) => format!(" ({}-{})", raw(Some(l)), raw(Some(h))),
                    _ => String::new(),
                };
                format!("{}{unit}{range}", raw(v))
            }
        };
        let mut status = i
            .status
            .map_or("missing".to_string(), |s| s.as_str().to_string());
        if i.imputed {
            status.push_str(", imputed");
        }
        if i.dropped {
            status = "dropped".to_string();
        }
        t.add_row(vec![
            Cell::new(&i.label),
            Cell::new(raw_text),
            right(fixed(i.score, d)),
            right(percent(i.effective_weight)),
            right(fixed(Some(i.contribution), d)),
            Cell::new(status),
            Cell::new(source_cell(i.input_source.as_deref(), md)),
        ]);
    }
    out.push_str(&t.to_string());
    out.push('\n');
    let other: f64 = a
        .contributions
        .iter()
        .filter(|c| c.kind != "indicator")
        .map(|c| c.points)
        .sum();
    let rest: f64 = drivers.iter().skip(top).map(|i| i.contribution).sum();
    out.push_str(&format!(
        "{}other indicators {} · rounding {} · rules {} · total {}\n",
        if md { "\n" } else { "" },
        fixed(Some(rest), d),
        fixed(Some(line(a, "rounding")), d),
        fixed(Some(line(a, "rules")), d),
        fixed(
            Some(drivers.iter().map(|i| i.contribution).sum::<f64>() + other),
            d
        ),
    ));

    out.push_str(&derived_section(a, md, &h));

    let fired: Vec<_> = a
        .rules
        .iter()
        .filter(|r| r.state == RuleState::Fired)
        .collect();
    out.push_str(&h("Rules fired"));
    if fired.is_empty() {
        out.push_str("none\n");
    }
    for r in fired {
        out.push_str(&format!("- {} ({}): {}\n", r.id, r.effect, r.reason));
    }

    if let Some(m) = &a.money {
        out.push_str(&super::money::render(m, &h));
    }

    if !a.warnings.is_empty() {
        out.push_str(&h("Warnings"));
        for w in &a.warnings {
            out.push_str(&format!("- [{}] {}\n", w.code, w.message));
        }
    }

    out.push_str(&h("Audit"));
    let au = &a.audit;
    out.push_str(&format!(
        "- model {} {} ({}) sha256 {}\n- model content (canonical) sha256 {}\n- project {} sha256 {}\n- engine vigie {} · as of {}\n",
        au.model_id,
        au.model_version,
        au.model_file,
        au.model_sha256,
        au.model_canonical_sha256,
        au.project_file,
        au.project_sha256,
        au.engine_version,
        au.as_of
    ));
    out
}

/// Sources can be long; a terminal table shows their start (JSON and Markdown keep all).
fn source_cell(s: Option<&str>, md: bool) -> String {
    const MAX_CHARS: usize = 48;
    let s = s.unwrap_or("-");
    if md || s.chars().count() <= MAX_CHARS {
        return s.to_string();
    }
    let cut: String = s.chars().take(MAX_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

/// The derived indicators with the events or positions behind each number, and the data
/// files' row counts: enough for an auditor to check a count by hand.
fn derived_section(a: &Assessment, md: bool, h: &dyn Fn(&str) -> String) -> String {
    let derived: Vec<_> = a
        .indicators
        .iter()
        .filter_map(|i| i.derived.as_ref().map(|t| (i, t)))
        .collect();
    if derived.is_empty() {
        return String::new();
    }
    let mut out = h("Derived from data files");
    for f in &a.data_files {
        let duplicates = if f.duplicate_rows > 0 {
            format!(
                " ({} repeat an earlier row's id, counted once)",
                f.duplicate_rows
            )
        } else {
            String::new()
        };
        let dates = f
            .event_dates
            .as_ref()
            .map_or(String::new(), |[a, b]| format!(", events {a} to {b}"));
        out.push_str(&format!(
            "- {} {}: {} rows read, {} accepted{duplicates}, {} rejected, {} used{dates} (sha256 {})\n",
            f.kind, f.file, f.rows_read, f.rows_accepted, f.rows_rejected, f.rows_used, f.sha256
        ));
        for r in &f.rejected {
            out.push_str(&format!("    rejected line {}: {}\n", r.line, r.reason));
        }
    }
    if md {
        out.push('\n');
    }
    for (ind, t) in derived {
        let window = t
            .window
            .as_ref()
            .map_or(String::new(), |[a, b]| format!(", {a} to {b}"));
        out.push_str(&format!(
            "- {} = {} ({}{window}; {} matched, {} at region level)\n",
            ind.id,
            raw(ind.raw),
            t.kind,
            t.matched,
            t.matched_region_level
        ));
        for e in &t.nearest {
            out.push_str(&format!(
                "    {} {} {:.1} km, {} dead, {} ({}), line {}\n",
                if e.id.is_empty() { "-" } else { &e.id },
                e.date,
                e.distance_km,
                e.fatalities,
                e.event_type,
                e.location,
                e.line
            ));
        }
        for p in &t.positions {
            out.push_str(&format!(
                "    {} ({}) {:.1} km, line {}\n",
                p.name, p.kind, p.distance_km, p.line
            ));
        }
        if let Some(note) = &t.note {
            out.push_str(&format!("    note: {note}\n"));
        }
        if let Some(gap) = &t.coverage {
            out.push_str(&format!("    coverage: {gap}\n"));
        }
    }
    out
}

fn line(a: &Assessment, kind: &str) -> f64 {
    a.contributions
        .iter()
        .filter(|c| c.kind == kind)
        .map(|c| c.points)
        .sum()
}

fn table(md: bool, header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(if md {
        presets::ASCII_MARKDOWN
    } else {
        presets::UTF8_FULL_CONDENSED
    });
    t.set_header(header.iter().map(Cell::new));
    t
}

fn right(s: String) -> Cell {
    Cell::new(s).set_alignment(CellAlignment::Right)
}
