//! Diagnostics as a person reads them: code, message, the line with a caret under the
//! offending span, related places and help; or as JSON for tools. A source line is shown
//! as at most [`SNIPPET_CHARS`] characters around the column, control characters
//! replaced: the file may be one the user never meant to print (a project's
//! `[project.data] events` pointing at a secret), or a single 16 MB line.

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
            let gutter = loc.line.to_string().len();
            let width = src
                .text()
                .get(loc.span.clone())
                .map_or(1, |s| s.lines().next().unwrap_or("").chars().count().max(1));
            let snippet = Snippet::of(src.line_text(loc.line), loc.column);
            let pad = " ".repeat(gutter);
            out.push_str(&format!("{pad} |\n{} | {}\n", loc.line, snippet.text));
            let carets = "^".repeat(width.min(snippet.room).max(1));
            let help = d.help.as_deref().unwrap_or("");
            out.push_str(&format!(
                "{pad} | {}{} {help}\n",
                " ".repeat(snippet.column),
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

/// Most characters of a source line shown under a diagnostic.
pub const SNIPPET_CHARS: usize = 80;
/// Characters shown before the column when a long line is cut.
const CONTEXT_BEFORE: usize = 20;

/// The part of a source line shown: at most [`SNIPPET_CHARS`] characters around the
/// column, each control character replaced by one character (a tab by a space, others by
/// `�`) so the carets stay aligned and nothing reaches the terminal as a command.
struct Snippet {
    /// The text, with `…` where the line was cut.
    text: String,
    /// Characters before the caret in `text` (0-based column).
    column: usize,
    /// Characters from the caret to the end of the shown text (at least 1).
    room: usize,
}

impl Snippet {
    fn of(line: &str, column: usize) -> Snippet {
        let chars: Vec<char> = line.chars().collect();
        let at = column.saturating_sub(1).min(chars.len());
        let start = if chars.len() <= SNIPPET_CHARS {
            0
        } else {
            at.saturating_sub(CONTEXT_BEFORE)
                .min(chars.len().saturating_sub(SNIPPET_CHARS))
        };
        let end = (start + SNIPPET_CHARS).min(chars.len());
        let clean = |c: &char| match c {
            '\t' => ' ',
            c if c.is_control() => '\u{fffd}',
            c => *c,
        };
        let mut text: String = if start > 0 {
            "…".to_string()
        } else {
            String::new()
        };
        text.extend(chars[start..end].iter().map(clean));
        if end < chars.len() {
            text.push('…');
        }
        Snippet {
            text,
            column: at - start + usize::from(start > 0),
            room: end.saturating_sub(at).max(1),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_is_shown_as_80_characters_around_the_column() {
        let line = format!("{}SECRET{}", "a".repeat(500), "b".repeat(500));
        let s = Snippet::of(&line, 501);
        assert_eq!(s.text.chars().count(), SNIPPET_CHARS + 2, "{}", s.text);
        assert!(s.text.starts_with('…') && s.text.ends_with('…'));
        let shown: Vec<char> = s.text.chars().collect();
        assert_eq!(
            shown[s.column..s.column + 6].iter().collect::<String>(),
            "SECRET"
        );
        // A short line is whole, and control characters never reach the terminal.
        let s = Snippet::of("a = \"\u{1b}[2J\tx\"", 5);
        assert_eq!(s.text, "a = \"\u{fffd}[2J x\"");
        assert_eq!(s.column, 4);
    }

    #[test]
    fn a_column_past_the_end_of_a_long_line_keeps_the_end_in_view() {
        let line = "x".repeat(1000);
        let s = Snippet::of(&line, 2000);
        assert!(s.text.starts_with('…') && !s.text.ends_with('…'));
        assert_eq!(s.room, 1);
    }
}
