//! A cheap scan of a TOML text for how deep it nests, run before the parser: a file of
//! 100,000 `[` must get one located error at once, whatever the parser's own limits are
//! (the `toml` crate stops at 80 levels, but a later version or a feature could lift that,
//! and a recursive reader of the parsed document would then overflow the stack). It only
//! counts; it never decides whether the text is valid TOML (the parser does that).

use std::ops::Range;

/// Deepest nesting a model, project or model test file may have. Every part of a table
/// header or dotted key counts one level, and so does every array and inline table around
/// a value: `[a.b]` then `c = [[1]]` reaches 5. Vigie's own files need at most 7.
pub const MAX_NESTING: usize = 32;

/// The span of the first character at which `text` nests deeper than [`MAX_NESTING`], if
/// it does. Strings and comments are skipped, so brackets and dots inside them do not
/// count. On text that is not valid TOML the count may be off, but never runs past the
/// end: the parser then reports the syntax error.
pub(crate) fn too_deep(text: &str) -> Option<Range<usize>> {
    Scan {
        b: text.as_bytes(),
        i: 0,
    }
    .run()
}

/// Where the scan stands.
struct Scan<'t> {
    b: &'t [u8],
    i: usize,
}

/// One open array or inline table: its kind, and the depth outside it.
#[derive(Clone, Copy)]
struct Open {
    inline_table: bool,
    outside: usize,
}

impl Scan<'_> {
    fn at(&self, k: usize) -> u8 {
        self.b.get(k).copied().unwrap_or(0)
    }

    fn run(&mut self) -> Option<Range<usize>> {
        let deeper = |at: usize, depth: usize| (depth > MAX_NESTING).then_some(at..at + 1);
        // Depth of the table the current lines write into (its header's parts).
        let mut table = 0usize;
        // Open arrays and inline tables of the current value; never longer than the limit.
        let mut open: Vec<Open> = Vec::new();
        // Reading a key (before its `=`), at this depth with this many parts so far.
        let mut key: Option<(usize, usize)> = None;
        // Depth of the value being read.
        let mut depth = 0usize;
        let mut line_start = true;
        while self.i < self.b.len() {
            let c = self.b[self.i];
            let at = self.i;
            match c {
                b'\n' => {
                    self.i += 1;
                    if open.is_empty() {
                        line_start = true;
                        key = None;
                    }
                    continue;
                }
                b' ' | b'\t' | b'\r' => {
                    self.i += 1;
                    continue;
                }
                b'#' => {
                    self.skip_line();
                    continue;
                }
                _ => {}
            }
            if line_start {
                line_start = false;
                if c == b'[' {
                    table = self.header();
                    if let Some(span) = deeper(at, table) {
                        return Some(span);
                    }
                    key = None;
                    continue;
                }
                key = Some((table, 1));
            }
            match c {
                b'"' | b'\'' => self.string(),
                b'.' if key.is_some() => {
                    let (base, parts) = key.unwrap_or((0, 0));
                    key = Some((base, parts + 1));
                    self.i += 1;
                    if let Some(span) = deeper(at, base + parts + 1) {
                        return Some(span);
                    }
                }
                b'=' if key.is_some() => {
                    let (base, parts) = key.take().unwrap_or((0, 0));
                    depth = base + parts;
                    self.i += 1;
                    if let Some(span) = deeper(at, depth) {
                        return Some(span);
                    }
                }
                b'[' | b'{' if key.is_none() => {
                    open.push(Open {
                        inline_table: c == b'{',
                        outside: depth,
                    });
                    depth += 1;
                    self.i += 1;
                    if let Some(span) = deeper(at, depth) {
                        return Some(span);
                    }
                    if c == b'{' {
                        key = Some((depth, 1));
                    }
                }
                b']' | b'}' if key.is_none() || c == b'}' => {
                    if let Some(o) = open.pop() {
                        depth = o.outside;
                    }
                    key = None;
                    self.i += 1;
                }
                b',' => {
                    // After a comma in an inline table comes the next key.
                    key = open
                        .last()
                        .filter(|o| o.inline_table)
                        .map(|o| (o.outside + 1, 1));
                    if let Some(o) = open.last() {
                        depth = o.outside + 1;
                    }
                    self.i += 1;
                }
                _ => self.i += 1,
            }
        }
        None
    }

    /// Skips a table header (`[a.b]` or `[[a.b]]`) and returns its number of parts.
    fn header(&mut self) -> usize {
        let mut parts = 1;
        self.i += 1;
        while self.i < self.b.len() {
            match self.b[self.i] {
                b'"' | b'\'' => self.string(),
                b'.' => {
                    parts += 1;
                    self.i += 1;
                }
                b']' => {
                    self.i += 1;
                    if self.at(self.i) == b']' {
                        self.i += 1;
                    }
                    return parts;
                }
                b'\n' => return parts,
                _ => self.i += 1,
            }
        }
        parts
    }

    /// Skips a string of any of TOML's four kinds, starting at its first quote.
    fn string(&mut self) {
        let q = self.b[self.i];
        let basic = q == b'"';
        if self.at(self.i + 1) == q && self.at(self.i + 2) == q {
            self.i += 3;
            while self.i < self.b.len() {
                let c = self.b[self.i];
                if basic && c == b'\\' {
                    self.i += 2;
                } else if c == q && self.at(self.i + 1) == q && self.at(self.i + 2) == q {
                    self.i += 3;
                    // Up to two more quotes belong to the string's content.
                    for _ in 0..2 {
                        if self.at(self.i) == q {
                            self.i += 1;
                        }
                    }
                    return;
                } else {
                    self.i += 1;
                }
            }
            return;
        }
        self.i += 1;
        while self.i < self.b.len() {
            match self.b[self.i] {
                b'\\' if basic => self.i += 2,
                b'\n' => return,
                c if c == q => {
                    self.i += 1;
                    return;
                }
                _ => self.i += 1,
            }
        }
    }

    fn skip_line(&mut self) {
        while self.i < self.b.len() && self.b[self.i] != b'\n' {
            self.i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_ok(text: &str) -> bool {
        too_deep(text).is_none()
    }

    #[test]
    fn counts_headers_keys_arrays_and_inline_tables() {
        let at = |extra: usize| {
            // [a] (1) + key x (1) + brackets.
            let n = MAX_NESTING - 2 + extra;
            format!("[a]\nx = {}{}\n", "[".repeat(n), "]".repeat(n))
        };
        assert!(depth_ok(&at(0)));
        let deep = at(1);
        let span = too_deep(&deep).unwrap();
        // The 33rd level is the 31st bracket, after "[a]\nx = ".
        assert_eq!(span.start, 8 + MAX_NESTING - 2);
        let dotted = |n: usize| format!("{} = 1\n", vec!["k"; n].join("."));
        assert!(depth_ok(&dotted(MAX_NESTING)));
        assert!(!depth_ok(&dotted(MAX_NESTING + 1)));
        let header = |n: usize| format!("[{}]\n", vec!["k"; n].join("."));
        assert!(depth_ok(&header(MAX_NESTING)));
        assert!(!depth_ok(&header(MAX_NESTING + 1)));
        let inline = |n: usize| format!("x = {}1{}\n", "{a=".repeat(n), "}".repeat(n));
        // x (1) + n tables + n keys.
        assert!(depth_ok(&inline((MAX_NESTING - 1) / 2)));
        assert!(!depth_ok(&inline(MAX_NESTING / 2)));
    }

    #[test]
    fn brackets_and_dots_in_strings_and_comments_do_not_count() {
        let n = MAX_NESTING + 5;
        let many = "[".repeat(n);
        for text in [
            format!("x = \"{many}\"\n"),
            format!("x = '{many}'\n"),
            format!("x = \"\"\"\n{many}\n\"\"\"\n"),
            format!("x = '''{many}''''\ny = 1\n"),
            format!("x = \"\\\"{many}\"\n"),
            format!("# {many}\nx = 1 # {many}\n"),
            format!("\"{}\" = 1\n", ".".repeat(n)),
            format!("[\"{}\"]\n", ".".repeat(n)),
            format!(
                "x = [\"]\", {{a = \"}}\"}}, 1.5, 2025-01-01]\n{}\n",
                "y = 1.5"
            ),
        ] {
            assert!(depth_ok(&text), "{text}");
        }
    }

    #[test]
    fn an_unclosed_flood_stops_at_the_limit() {
        let text = format!("x = {}", "[".repeat(100_000));
        assert_eq!(too_deep(&text).map(|s| s.start), Some(4 + MAX_NESTING - 1));
        let text = format!("x = {}", "{a=".repeat(100_000));
        assert!(too_deep(&text).is_some());
    }

    /// Every TOML file of the repository reads: the scan must not refuse a real file.
    #[test]
    fn every_toml_file_of_the_repository_is_within_the_limit() {
        let root = env!("CARGO_MANIFEST_DIR");
        let mut stack = vec![std::path::PathBuf::from(root).join("models")];
        stack.push(std::path::PathBuf::from(root).join("tests/fixtures"));
        let mut seen = 0;
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let p = entry.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|e| e == "toml")
                    // The fixture of the limit itself.
                    && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("VG033"))
                {
                    let text = std::fs::read_to_string(&p).unwrap();
                    assert!(depth_ok(&text), "{}", p.display());
                    seen += 1;
                }
            }
        }
        assert!(seen > 20, "{seen}");
    }
}
