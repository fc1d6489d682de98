//! A model diff as text for a terminal: both fingerprints, each change on one line (an
//! added or removed entry with its settings below it), the weights before and after, and
//! the projects' scores and bands under both models with a summary.

use comfy_table::{Cell, CellAlignment, Table, presets};
use serde_json::Value;
use vigie::canonical::jcs;
use vigie::diff::{ChangeKind, Outcome, Side};

use super::numbers::{fixed, percent};
use crate::diff::Report;

/// Longest value shown on one line; the JSON output has every value whole.
const MAX_VALUE: usize = 160;

/// Keys shown first in an object, in this order; the others follow alphabetically.
const FIRST_KEYS: &[&str] = &[
    "method",
    "kind",
    "policy",
    "weights",
    "id",
    "label",
    "from",
    "min",
    "max",
    "points",
    "bins",
    "below",
    "map",
    "mean",
    "sd",
    "power",
    "denominator",
    "multiplier",
    "impute_value",
    "impute_from",
    "when",
    "effect",
    "band",
    "value",
];

/// Renders the report.
pub fn render(r: &Report) -> String {
    let d = &r.diff;
    let mut out = String::new();
    side(&mut out, "Old", &d.old);
    side(&mut out, "New", &d.new);
    if d.identical {
        out.push_str(&format!(
            "\nNo changes: both models have the same canonical content ({}).\n",
            d.canonical_version
        ));
        if d.old.sha256 != d.new.sha256 {
            out.push_str("The files differ only in how they are written (comments, layout, key order, number spellings).\n");
        }
    } else {
        changes(&mut out, r);
        weights(&mut out, r);
    }
    if let (Some(projects), Some(summary)) = (&r.projects, &r.summary) {
        let decimals = d.new.decimals;
        out.push_str(&format!("\nProjects ({})\n", projects.len()));
        let mut t = table(&[
            "Project",
            "Old score",
            "Old band",
            "New score",
            "New band",
            "Move",
        ]);
        for p in projects {
            let (os, ob) = outcome(&p.old, decimals);
            let (ns, nb) = outcome(&p.new, decimals);
            let mv = p
                .score_change
                .map_or("-".to_string(), |c| signed(c, decimals));
            let band = |b: String| if p.band_changed { format!("{b} *") } else { b };
            t.add_row(vec![
                Cell::new(&p.id),
                right(os),
                Cell::new(band(ob)),
                right(ns),
                Cell::new(band(nb)),
                right(mv),
            ]);
        }
        out.push_str(&format!("{t}\n"));
        for p in projects {
            for (which, o) in [("old", &p.old), ("new", &p.new)] {
                if let Some(e) = &o.error {
                    out.push_str(&format!(
                        "- {} not scored under the {which} model: {e}\n",
                        p.id
                    ));
                }
            }
        }
        let mut line = format!(
            "Summary: {} project(s) · {} scored under both · {} changed band · {} changed score",
            summary.projects, summary.scored_both, summary.band_changed, summary.score_changed
        );
        if summary.not_scored > 0 {
            line.push_str(&format!(" · {} not scored", summary.not_scored));
        }
        out.push_str(&line);
        out.push('\n');
        if summary.largest_moves.is_empty() {
            out.push_str("Largest move: none (every score is unchanged)\n");
        } else {
            out.push_str("Largest moves:\n");
            for m in &summary.largest_moves {
                out.push_str(&format!(
                    "- {}: {} {} → {} {} ({})\n",
                    m.id,
                    fixed(Some(m.old_score), decimals),
                    m.old_band,
                    fixed(Some(m.new_score), decimals),
                    m.new_band,
                    signed(m.change, decimals)
                ));
            }
        }
    }
    out
}

fn side(out: &mut String, which: &str, s: &Side) {
    out.push_str(&format!("{which}  {} {}  ({})\n", s.id, s.version, s.file));
    out.push_str(&format!(
        "     file sha256 {} · canonical sha256 {}\n",
        s.sha256, s.canonical_sha256
    ));
}

fn changes(out: &mut String, r: &Report) {
    let d = &r.diff;
    out.push_str(&format!("\nChanges ({})\n", d.changes.len()));
    for c in &d.changes {
        match c.kind {
            ChangeKind::Changed => out.push_str(&format!(
                "~ {}: {} → {}\n",
                c.path,
                short(&c.old),
                short(&c.new)
            )),
            ChangeKind::Added | ChangeKind::Removed => {
                let (mark, v) = if c.kind == ChangeKind::Added {
                    ("+", &c.new)
                } else {
                    ("-", &c.old)
                };
                match v {
                    Value::Object(m) => {
                        out.push_str(&format!("{mark} {}\n", c.path));
                        for k in ordered_keys(m) {
                            out.push_str(&format!("    {k} = {}\n", short(&m[k])));
                        }
                    }
                    other => out.push_str(&format!("{mark} {}: {}\n", c.path, short(other))),
                }
            }
        }
    }
}

fn weights(out: &mut String, r: &Report) {
    let ws = &r.diff.weights;
    if ws.is_empty() {
        return;
    }
    out.push_str(
        "\nWeights (nominal: each weight over its group's total, multiplied down the tree)\n",
    );
    let mut t = table(&[
        "Node",
        "Group",
        "Weight",
        "Share of group",
        "Effective weight",
    ]);
    let pair = |a: Option<String>, b: Option<String>| {
        let (a, b) = (a.unwrap_or("-".into()), b.unwrap_or("-".into()));
        if a == b { a } else { format!("{a} → {b}") }
    };
    let num = |x: Option<f64>| x.map(|v| jcs::number(v).unwrap_or_else(|_| v.to_string()));
    for w in ws {
        t.add_row(vec![
            Cell::new(&w.node),
            Cell::new(pair(w.old_group.clone(), w.new_group.clone())),
            right(pair(num(w.old_weight), num(w.new_weight))),
            right(pair(w.old_share.map(percent), w.new_share.map(percent))),
            right(pair(
                w.old_effective.map(percent),
                w.new_effective.map(percent),
            )),
        ]);
    }
    out.push_str(&format!("{t}\n"));
}

/// Score and band cells of an outcome.
fn outcome(o: &Outcome, decimals: usize) -> (String, String) {
    match (o.score, &o.band) {
        (Some(s), Some(b)) => (fixed(Some(s), decimals), b.clone()),
        _ => ("not scored".to_string(), "-".to_string()),
    }
}

fn signed(x: f64, decimals: usize) -> String {
    let s = fixed(Some(x), decimals);
    if x > 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("+{s}")
    } else {
        s
    }
}

/// A value on one line, cut at [`MAX_VALUE`] characters.
fn short(v: &Value) -> String {
    let s = inline(v);
    if s.chars().count() > MAX_VALUE {
        let cut: String = s.chars().take(MAX_VALUE - 1).collect();
        format!("{cut}…")
    } else {
        s
    }
}

/// A canonical value written like a TOML inline value: numbers as in the canonical form,
/// strings quoted, objects with their shape's key first.
fn inline(v: &Value) -> String {
    match v {
        Value::Null => "none".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n
            .as_f64()
            .and_then(|x| jcs::number(x).ok())
            .unwrap_or_else(|| n.to_string()),
        Value::String(s) => Value::from(s.as_str()).to_string(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(inline).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(m) if m.is_empty() => "{}".to_string(),
        Value::Object(m) => format!(
            "{{ {} }}",
            ordered_keys(m)
                .into_iter()
                .map(|k| format!("{} = {}", toml_key(k), inline(&m[k])))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn ordered_keys(m: &serde_json::Map<String, Value>) -> Vec<&String> {
    let mut keys: Vec<&String> = m.keys().collect();
    let rank = |k: &str| {
        FIRST_KEYS
            .iter()
            .position(|f| *f == k)
            .unwrap_or(FIRST_KEYS.len())
    };
    keys.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.cmp(b)));
    keys
}

fn toml_key(k: &str) -> String {
    if !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        k.to_string()
    } else {
        Value::from(k).to_string()
    }
}

fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    t.set_header(header.iter().map(Cell::new));
    t
}

fn right(s: String) -> Cell {
    Cell::new(s).set_alignment(CellAlignment::Right)
}
