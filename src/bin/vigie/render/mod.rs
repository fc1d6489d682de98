//! Turning library results into text: diagnostics, assessments, explanations. Colour is used
//! only on a terminal and never when `NO_COLOR` is set.

pub mod assessment;
pub mod diagnostics;
pub mod diff;
pub mod modeltest;
pub mod money;
pub mod numbers;

use std::io::IsTerminal;

/// A report as the JSON every command writes: pretty-printed, with a final newline. A
/// failure is the message for standard error.
pub fn json<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| format!("error: {e}\n"))
}

/// Whether to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// Colour standard output.
    pub colour_stdout: bool,
    /// Colour standard error.
    pub colour_stderr: bool,
}

impl Style {
    /// Colour only on a terminal, and never with `NO_COLOR` set (https://no-color.org).
    pub fn detect() -> Self {
        let allowed = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            && std::env::var("TERM").map_or(true, |t| t != "dumb");
        Style {
            colour_stdout: allowed && std::io::stdout().is_terminal(),
            colour_stderr: allowed && std::io::stderr().is_terminal(),
        }
    }
}

/// Wraps text in an ANSI 24-bit colour from "#rrggbb", if colouring.
pub fn paint(on: bool, hex: &str, text: &str) -> String {
    let rgb = (hex.len() == 7)
        .then(|| {
            let p = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
            Some((p(1)?, p(3)?, p(5)?))
        })
        .flatten();
    match (on, rgb) {
        (true, Some((r, g, b))) => format!("\x1b[1;38;2;{r};{g};{b}m{text}\x1b[0m"),
        _ => text.to_string(),
    }
}

/// Bold red / yellow / bold, if colouring.
pub fn ansi(on: bool, code: &str, text: &str) -> String {
    if on {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}
