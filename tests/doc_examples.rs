//! Every example output in the documentation comes from a real run: this test runs each
//! one and compares it with the page, so the docs cannot drift from the program.
//!
//! An example is a fenced block right after a marker line:
//!
//! ```text
//! <!-- vigie-example: score models/hdi.toml p.toml --format json ; exit=2 ; stderr -->
//! ```
//!
//! The arguments (after `vigie`, split on spaces, run from the repository root with no
//! colour and no `CI`; the checkout's absolute path is shown as `/path/to/vigie`) come first; options follow, each after ` ; `:
//! - `stderr`: the block shows standard error (default: standard output);
//! - `exit=N`: the exit code the run must have (default 0);
//! - `env=NAME=VALUE`: set a variable for the run;
//! - `head=N`: keep the first N lines, then a line `…` when more were cut;
//! - `lines=A-B`: keep lines A to B (1-based), with `…` lines where lines were cut;
//! - `width=N`: cut lines longer than N characters, ending them with `…`;
//! - `trim=PATH=I,J`: JSON only: keep elements I, J (negative from the end) of the array
//!   at PATH (`indicators`, `indicators.*.derived.nearest`), in their order.
//!
//! A marker `<!-- vigie-numbers -->` before a paragraph says every number in that
//! paragraph is quoted from the example before it: each must appear in that run's full
//! output, so commentary cannot keep numbers of an older model.
//!
//! `VIGIE_UPDATE_DOCS=1 cargo test --test doc_examples` rewrites the blocks from the runs.

use std::path::PathBuf;
use std::process::Command;

/// The pages whose examples are checked.
const PAGES: &[&str] = &[
    "README.md",
    "docs/cli.md",
    "docs/audit.md",
    "docs/model-format.md",
    "docs/methodology.md",
    "docs/api.md",
    "docs/security.md",
];

/// What the page shows for the repository's absolute path.
const REPO_STAND_IN: &str = "/path/to/vigie";

const MARKER: &str = "<!-- vigie-example:";
const NUMBERS_MARKER: &str = "<!-- vigie-numbers -->";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One example's command and how its output is shown.
struct Spec {
    args: Vec<String>,
    stderr: bool,
    exit: i32,
    env: Vec<(String, String)>,
    head: Option<usize>,
    lines: Option<(usize, usize)>,
    width: Option<usize>,
    trims: Vec<(String, Vec<i64>)>,
}

fn parse_spec(text: &str) -> Result<Spec, String> {
    let mut parts = text.split(" ; ");
    let args = parts
        .next()
        .unwrap_or("")
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let mut spec = Spec {
        args,
        stderr: false,
        exit: 0,
        env: Vec::new(),
        head: None,
        lines: None,
        width: None,
        trims: Vec::new(),
    };
    for opt in parts.map(str::trim) {
        let (key, value) = opt.split_once('=').unwrap_or((opt, ""));
        let bad = || format!("bad option `{opt}`");
        match key {
            "stderr" => spec.stderr = true,
            "exit" => spec.exit = value.parse().map_err(|_| bad())?,
            "env" => {
                let (k, v) = value.split_once('=').ok_or_else(bad)?;
                spec.env.push((k.to_string(), v.to_string()));
            }
            "width" => spec.width = Some(value.parse().map_err(|_| bad())?),
            "head" => spec.head = Some(value.parse().map_err(|_| bad())?),
            "lines" => {
                let (a, b) = value.split_once('-').ok_or_else(bad)?;
                spec.lines = Some((a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?));
            }
            "trim" => {
                let (path, idx) = value.split_once('=').ok_or_else(bad)?;
                let idx = idx
                    .split(',')
                    .map(|i| i.parse::<i64>().map_err(|_| bad()))
                    .collect::<Result<_, _>>()?;
                spec.trims.push((path.to_string(), idx));
            }
            _ => return Err(bad()),
        }
    }
    Ok(spec)
}

/// Runs an example; returns (what the block shows, the run's whole output).
fn run(spec: &Spec) -> Result<(String, String), String> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vigie"));
    cmd.args(&spec.args)
        .current_dir(repo())
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("VIGIE_REFERENCE_DIR");
    for (k, v) in &spec.env {
        cmd.env(k, v);
    }
    let out = cmd.output().map_err(|e| format!("cannot run vigie: {e}"))?;
    let code = out.status.code().unwrap_or(-1);
    let stream = if spec.stderr {
        &out.stderr
    } else {
        &out.stdout
    };
    // The audit block records the working directory; the page shows a stand-in for the
    // checkout's own, which differs from machine to machine.
    let text = String::from_utf8_lossy(stream).replace(&*repo().to_string_lossy(), REPO_STAND_IN);
    if code != spec.exit {
        return Err(format!(
            "exit code {code}, expected {}; stderr:\n{}",
            spec.exit,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let whole = text.clone();
    let mut shown = text;
    if !spec.trims.is_empty() {
        let mut value = json::parse(&shown)?;
        for (path, idx) in &spec.trims {
            let segments: Vec<&str> = path.split('.').collect();
            json::trim(&mut value, &segments, idx);
        }
        shown = json::pretty(&value);
        shown.push('\n');
    }
    if let Some(n) = spec.head {
        shown = cut_lines(&shown, 1, n);
    }
    if let Some((a, b)) = spec.lines {
        shown = cut_lines(&shown, a, b);
    }
    if let Some(w) = spec.width {
        shown = shown
            .lines()
            .map(|l| match l.char_indices().nth(w) {
                Some((at, _)) => format!("{}…\n", &l[..at]),
                None => format!("{l}\n"),
            })
            .collect();
    }
    Ok((shown, whole))
}

/// Lines a..=b of `text` (1-based), with a `…` line where lines were cut before or after.
fn cut_lines(text: &str, a: usize, b: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::new();
    if a > 1 {
        out.push_str("…\n");
    }
    for l in lines.iter().take(b).skip(a.saturating_sub(1)) {
        out.push_str(l);
        out.push('\n');
    }
    if lines.len() > b {
        out.push_str("…\n");
    }
    out
}

/// Numbers as written in prose: digits with optional thousands commas and decimals.
fn numbers_in(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let starts = chars[i].is_ascii_digit()
            && (i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_'));
        if !starts {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len()
            && (chars[j].is_ascii_digit()
                || ((chars[j] == '.' || chars[j] == ',')
                    && chars.get(j + 1).is_some_and(char::is_ascii_digit)))
        {
            j += 1;
        }
        let word_goes_on = chars.get(j).is_some_and(|c| c.is_alphabetic() || *c == '_');
        if !word_goes_on {
            out.push(chars[i..j].iter().collect());
        }
        i = j;
    }
    out
}

/// Checks (or rewrites) one page; returns its problems.
fn check_page(rel: &str, update: bool) -> Vec<String> {
    let path = repo().join(rel);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Vec::new(); // a page not written yet
    };
    let lines: Vec<&str> = text.lines().collect();
    let mut problems = Vec::new();
    let mut out: Vec<String> = Vec::new();
    let mut last_output: Option<String> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        out.push(line.to_string());
        if line.trim() == NUMBERS_MARKER {
            let mut j = i + 1;
            let mut para = String::new();
            while j < lines.len() && !lines[j].trim().is_empty() {
                para.push_str(lines[j]);
                para.push('\n');
                j += 1;
            }
            match &last_output {
                None => problems.push(format!("{rel}:{}: no example before it", i + 1)),
                Some(whole) => {
                    for n in numbers_in(&para) {
                        if !whole.contains(&n) {
                            problems.push(format!(
                                "{rel}:{}: the number {n} is not in the example's output",
                                i + 1
                            ));
                        }
                    }
                }
            }
            i += 1;
            continue;
        }
        let Some(rest) = line.trim().strip_prefix(MARKER) else {
            i += 1;
            continue;
        };
        let at = format!("{rel}:{}", i + 1);
        let spec_text = rest.trim_end().trim_end_matches("-->").trim();
        let open = i + 1;
        if !lines.get(open).is_some_and(|l| l.starts_with("```")) {
            problems.push(format!(
                "{at}: the marker must be followed by a fenced block"
            ));
            i += 1;
            continue;
        }
        let Some(close) = (open + 1..lines.len()).find(|&k| lines[k] == "```") else {
            problems.push(format!("{at}: the block is not closed"));
            break;
        };
        let expected: String = lines[open + 1..close]
            .iter()
            .map(|l| format!("{l}\n"))
            .collect();
        let got = parse_spec(spec_text).and_then(|spec| run(&spec));
        out.push(lines[open].to_string());
        match got {
            Ok((shown, whole)) => {
                if shown != expected {
                    problems.push(format!(
                        "{at}: `vigie {spec_text}` prints something else:\n{}",
                        first_difference(&expected, &shown)
                    ));
                }
                out.extend(shown.lines().map(str::to_string));
                last_output = Some(whole);
            }
            Err(e) => {
                problems.push(format!("{at}: `vigie {spec_text}`: {e}"));
                out.extend(expected.lines().map(str::to_string));
                last_output = None;
            }
        }
        out.push("```".to_string());
        i = close + 1;
    }
    if update {
        let mut new = out.join("\n");
        new.push('\n');
        if new != text {
            std::fs::write(&path, new).unwrap();
        }
    }
    problems
}

fn first_difference(expected: &str, got: &str) -> String {
    let (e, g): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), got.lines().collect());
    let k = e.iter().zip(&g).take_while(|(a, b)| a == b).count();
    format!(
        "  line {} of the block\n  page: {:?}\n  run:  {:?}",
        k + 1,
        e.get(k).unwrap_or(&"<end>"),
        g.get(k).unwrap_or(&"<end>")
    )
}

/// The docs' example outputs are what the program prints today.
#[test]
fn every_example_output_in_the_docs_comes_from_a_real_run() {
    let update = std::env::var_os("VIGIE_UPDATE_DOCS").is_some_and(|v| v == "1");
    let mut problems = Vec::new();
    let mut examples = 0;
    for page in PAGES {
        if let Ok(t) = std::fs::read_to_string(repo().join(page)) {
            examples += t.lines().filter(|l| l.trim().starts_with(MARKER)).count();
        }
        problems.extend(check_page(page, update));
    }
    assert!(examples >= 8, "only {examples} examples are checked");
    if update && problems.iter().all(|p| p.contains("prints something else")) {
        return;
    }
    assert!(
        problems.is_empty(),
        "{} problem(s); rerun with VIGIE_UPDATE_DOCS=1 to rewrite the blocks after checking them:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn prose_numbers_are_found_whole() {
    assert_eq!(
        numbers_in("scores 57.9 (65 %), x2 and 1,820,000.00 USD on 2025-10-31."),
        ["57.9", "65", "1,820,000.00", "2025", "10", "31"]
    );
}

#[test]
fn cut_lines_marks_what_was_cut() {
    assert_eq!(cut_lines("a\nb\nc\nd\n", 2, 3), "…\nb\nc\n…\n");
    assert_eq!(cut_lines("a\nb\n", 1, 5), "a\nb\n");
}

#[test]
fn json_trim_keeps_order_and_chosen_elements() {
    let mut v = json::parse(r#"{"b": [1, 2, 3], "a": {"c": [{"d": [5, 6]}]}}"#).unwrap();
    json::trim(&mut v, &["b"], &[0, -1]);
    json::trim(&mut v, &["a", "c", "*", "d"], &[1]);
    assert_eq!(
        json::pretty(&v),
        "{\n  \"b\": [\n    1,\n    3\n  ],\n  \"a\": {\n    \"c\": [\n      {\n        \"d\": [\n          6\n        ]\n      }\n    ]\n  }\n}"
    );
}

/// A JSON value that keeps its keys in the order written (the crate's `Value` sorts them,
/// and an example must read as the program prints it), printed as serde_json prints.
mod json {
    pub enum J {
        /// A literal printed as read: a number, `true`, `false`, `null` or a string with
        /// its quotes and escapes.
        Atom(String),
        Arr(Vec<J>),
        Obj(Vec<(String, J)>),
    }

    pub fn parse(text: &str) -> Result<J, String> {
        let b = text.as_bytes();
        let mut i = 0;
        let v = value(b, &mut i)?;
        skip_ws(b, &mut i);
        if i != b.len() {
            return Err(format!("trailing text at byte {i}"));
        }
        Ok(v)
    }

    fn skip_ws(b: &[u8], i: &mut usize) {
        while *i < b.len() && b[*i].is_ascii_whitespace() {
            *i += 1;
        }
    }

    fn string(b: &[u8], i: &mut usize) -> Result<String, String> {
        let start = *i;
        *i += 1;
        while *i < b.len() && b[*i] != b'"' {
            *i += if b[*i] == b'\\' { 2 } else { 1 };
        }
        *i += 1;
        std::str::from_utf8(b.get(start..*i).ok_or("unterminated string")?)
            .map(str::to_string)
            .map_err(|e| e.to_string())
    }

    fn value(b: &[u8], i: &mut usize) -> Result<J, String> {
        skip_ws(b, i);
        match b.get(*i) {
            Some(b'{') => {
                *i += 1;
                let mut fields = Vec::new();
                loop {
                    skip_ws(b, i);
                    match b.get(*i) {
                        Some(b'}') => {
                            *i += 1;
                            return Ok(J::Obj(fields));
                        }
                        Some(b',') => *i += 1,
                        Some(b'"') => {
                            let key = string(b, i)?;
                            skip_ws(b, i);
                            if b.get(*i) != Some(&b':') {
                                return Err(format!("expected ':' at byte {i}"));
                            }
                            *i += 1;
                            fields.push((key, value(b, i)?));
                        }
                        _ => return Err(format!("unexpected byte at {i}")),
                    }
                }
            }
            Some(b'[') => {
                *i += 1;
                let mut items = Vec::new();
                loop {
                    skip_ws(b, i);
                    match b.get(*i) {
                        Some(b']') => {
                            *i += 1;
                            return Ok(J::Arr(items));
                        }
                        Some(b',') => *i += 1,
                        _ => items.push(value(b, i)?),
                    }
                }
            }
            Some(b'"') => string(b, i).map(J::Atom),
            Some(_) => {
                let start = *i;
                while *i < b.len() && !b",]} \n\r\t".contains(&b[*i]) {
                    *i += 1;
                }
                Ok(J::Atom(String::from_utf8_lossy(&b[start..*i]).into_owned()))
            }
            None => Err("unexpected end".to_string()),
        }
    }

    /// Keeps elements `keep` (negative: from the end) of the arrays at `path`.
    pub fn trim(v: &mut J, path: &[&str], keep: &[i64]) {
        match (path.split_first(), v) {
            (None, J::Arr(items)) => {
                let n = items.len() as i64;
                let wanted: Vec<usize> = keep
                    .iter()
                    .map(|&k| if k < 0 { n + k } else { k })
                    .filter(|&k| (0..n).contains(&k))
                    .map(|k| k as usize)
                    .collect();
                let old = std::mem::take(items);
                *items = old
                    .into_iter()
                    .enumerate()
                    .filter(|(k, _)| wanted.contains(k))
                    .map(|(_, x)| x)
                    .collect();
            }
            (Some((&"*", rest)), J::Arr(items)) => {
                for x in items {
                    trim(x, rest, keep);
                }
            }
            (Some((key, rest)), J::Obj(fields)) => {
                for (k, x) in fields {
                    if k.trim_matches('"') == *key {
                        trim(x, rest, keep);
                    }
                }
            }
            _ => {}
        }
    }

    pub fn pretty(v: &J) -> String {
        let mut out = String::new();
        write(v, 0, &mut out);
        out
    }

    fn write(v: &J, depth: usize, out: &mut String) {
        let pad = |d: usize| "  ".repeat(d);
        match v {
            J::Atom(s) => out.push_str(s),
            J::Arr(items) if items.is_empty() => out.push_str("[]"),
            J::Obj(fields) if fields.is_empty() => out.push_str("{}"),
            J::Arr(items) => {
                out.push_str("[\n");
                for (k, x) in items.iter().enumerate() {
                    out.push_str(&pad(depth + 1));
                    write(x, depth + 1, out);
                    out.push_str(if k + 1 < items.len() { ",\n" } else { "\n" });
                }
                out.push_str(&pad(depth));
                out.push(']');
            }
            J::Obj(fields) => {
                out.push_str("{\n");
                for (k, (key, x)) in fields.iter().enumerate() {
                    out.push_str(&pad(depth + 1));
                    out.push_str(key);
                    out.push_str(": ");
                    write(x, depth + 1, out);
                    out.push_str(if k + 1 < fields.len() { ",\n" } else { "\n" });
                }
                out.push_str(&pad(depth));
                out.push('}');
            }
        }
    }
}
