//! Diagnostics as a person reads them: code, message, the line with a caret under the
//! offending span, related places and help; or as JSON for tools.

use std::collections::HashMap;

use vigie::{Diagnostic, Severity, SourceFile};

use super::ansi;

/// Renders one diagnostic with a snippet from its file (when the file is known).
pub fn human(d: &Diagnostic, files: &HashMap<String, &SourceFile>, colour: bool) -> String {
    let (word, code) = match d.severity {
        Severity::Error => ("error", "1;31"),
        Severity::Warning => ("warning", "1;33"),
    };
    let mut out = format!(
        "{}: {}\n",
        ansi(colour, code, &format!("{word}[{}]", d.code)),
        ansi(colour, "1", &d.message)
    );
    if let Some(loc) = &d.location {
        out.push_str(&format!("  --> {loc}\n"));
        if let Some(src) = files.get(&loc.file) {
            let line = src.line_text(loc.line);
            let gutter = loc.line.to_string().len();
            let width = src
                .text()
                .get(loc.span.clone())
                .map_or(1, |s| s.lines().next().unwrap_or("").chars().count().max(1));
            let pad = " ".repeat(gutter);
            out.push_str(&format!("{pad} |\n{} | {line}\n", loc.line));
            let carets =
                "^".repeat(width.min(line.chars().count().saturating_sub(loc.column - 1).max(1)));
            let help = d.help.as_deref().unwrap_or("");
            out.push_str(&format!(
                "{pad} | {}{} {help}\n",
                " ".repeat(loc.column.saturating_sub(1)),
                ansi(colour, code, &carets)
            ));
        } else if let Some(help) = &d.help {
            out.push_str(&format!("  = help: {help}\n"));
        }
    } else if let Some(help) = &d.help {
        out.push_str(&format!("  = help: {help}\n"));
    }
    for r in &d.related {
        out.push_str(&format!("  = note: {}: {}\n", r.message, r.location));
    }
    out
}

/// Renders many diagnostics, then a one-line count.
pub fn human_all(diags: &[Diagnostic], files: &[&SourceFile], colour: bool) -> String {
    let by_name: HashMap<String, &SourceFile> =
        files.iter().map(|f| (f.name().to_string(), *f)).collect();
    let mut out = String::new();
    for d in diags {
        out.push_str(&human(d, &by_name, colour));
        out.push('\n');
    }
    out
}

/// Counts errors and warnings.
pub fn counts(diags: &[Diagnostic]) -> (usize, usize) {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    (errors, diags.len() - errors)
}
