//! Reading TOML with spans: typed getters over `toml`'s spanned document that report every
//! problem (unknown key, wrong type, missing key, inexact number) as a located diagnostic
//! and keep going, so one run lists all the problems of a file. It knows nothing of models
//! or projects; those readers say which keys each table has.

use std::cell::RefCell;
use std::ops::Range;
use std::str::FromStr;

use rust_decimal::Decimal;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diag::{Code, Diagnostic, SourceFile, did_you_mean};

/// A TOML value with its span.
pub type Value<'i> = Spanned<DeValue<'i>>;

/// A value read from a file, with the byte span it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Sp<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub span: Range<usize>,
}

impl<T> Sp<T> {
    /// Pairs a value with its span.
    pub fn new(value: T, span: Range<usize>) -> Self {
        Sp { value, span }
    }
}

/// Significant digits a TOML float may carry before it is rejected where exactness matters:
/// 15 digits always survive a round trip through binary floating point.
pub const MAX_EXACT_FLOAT_DIGITS: usize = 15;

pub use crate::toml_nesting::MAX_NESTING;

/// A file being read: its text and the diagnostics found so far.
pub struct Reader<'s> {
    src: &'s SourceFile,
    diags: RefCell<Vec<Diagnostic>>,
    /// The largest magnitude a number may have, if the file's kind bounds it (see
    /// [`Reader::with_max_magnitude`]).
    max_magnitude: Option<f64>,
}

/// One TOML table being read, with the keys it may hold.
pub struct Table<'a, 'i> {
    map: &'a DeTable<'i>,
    span: Range<usize>,
    /// Where this table is, for messages: `groups.security`.
    path: String,
}

impl<'s> Reader<'s> {
    /// Starts reading a file.
    pub fn new(src: &'s SourceFile) -> Self {
        Reader {
            src,
            diags: RefCell::new(Vec::new()),
            max_magnitude: None,
        }
    }

    /// Refuses, with [`Code::NumberRange`], every number read with [`Reader::number`]
    /// whose magnitude exceeds `max` (a model's numbers are multiplied together when
    /// scoring, so they must stay far from the largest double).
    pub fn with_max_magnitude(mut self, max: f64) -> Self {
        self.max_magnitude = Some(max);
        self
    }

    /// The bound set by [`Reader::with_max_magnitude`].
    pub fn max_magnitude(&self) -> Option<f64> {
        self.max_magnitude
    }

    /// The file.
    pub fn source(&self) -> &'s SourceFile {
        self.src
    }

    /// Records a diagnostic at a span.
    pub fn error(&self, code: Code, span: Range<usize>, message: impl Into<String>) {
        let d = self.src.diag(code, span, message);
        self.diags.borrow_mut().push(d);
    }

    /// Records a ready-made diagnostic.
    pub fn push(&self, d: Diagnostic) {
        self.diags.borrow_mut().push(d);
    }

    /// True if an error has been recorded.
    pub fn has_errors(&self) -> bool {
        self.diags.borrow().iter().any(Diagnostic::is_error)
    }

    /// The diagnostics found, in the order found.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diags.into_inner()
    }

    /// Opens a table, reporting each key not in `known` (with a suggestion when one is close).
    pub fn table<'a, 'i>(
        &self,
        map: &'a DeTable<'i>,
        span: Range<usize>,
        path: &str,
        known: &[&str],
    ) -> Table<'a, 'i> {
        for (key, _) in map.iter() {
            let k: &str = key.get_ref();
            if !known.contains(&k) {
                let mut d = self.src.diag(
                    Code::UnknownKey,
                    key.span(),
                    format!("unknown key `{k}` in `{}`", display_path(path)),
                );
                d.help = Some(match did_you_mean(k, known.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("expected one of: {}", known.join(", ")),
                });
                self.push(d);
            }
        }
        Table {
            map,
            span,
            path: path.to_string(),
        }
    }

    /// Opens a value as a table, or reports that it is not one.
    pub fn as_table<'a, 'i>(
        &self,
        v: &'a Value<'i>,
        path: &str,
        known: &[&str],
    ) -> Option<Table<'a, 'i>> {
        match v.get_ref() {
            DeValue::Table(t) => Some(self.table(t, v.span(), path, known)),
            other => {
                self.wrong_type(v.span(), path, "a table", other);
                None
            }
        }
    }

    fn wrong_type(&self, span: Range<usize>, path: &str, expected: &str, found: &DeValue<'_>) {
        self.error(
            Code::WrongType,
            span,
            format!(
                "`{}` must be {expected}, found {}",
                display_path(path),
                type_name(found)
            ),
        );
    }

    /// A table whose keys are ids chosen by the user (checked for type only).
    pub fn raw_table<'a, 'i>(&self, v: &'a Value<'i>, path: &str) -> Option<&'a DeTable<'i>> {
        match v.get_ref() {
            DeValue::Table(t) => Some(t),
            other => {
                self.wrong_type(v.span(), path, "a table", other);
                None
            }
        }
    }

    /// A string value.
    pub fn string(&self, v: &Value<'_>, path: &str) -> Option<Sp<String>> {
        match v.get_ref() {
            DeValue::String(s) => Some(Sp::new(s.to_string(), v.span())),
            other => {
                self.wrong_type(v.span(), path, "a string", other);
                None
            }
        }
    }

    /// A finite number (integer or float) as f64.
    pub fn number(&self, v: &Value<'_>, path: &str) -> Option<Sp<f64>> {
        let parsed = match v.get_ref() {
            DeValue::Integer(i) => parse_integer(i.as_str(), i.radix()).map(|n| n as f64),
            DeValue::Float(f) => parse_float(f.as_str()),
            other => {
                self.wrong_type(v.span(), path, "a number", other);
                return None;
            }
        };
        match parsed {
            Some(x) if x.is_finite() && self.max_magnitude.is_some_and(|m| x.abs() > m) => {
                self.error(
                    Code::NumberRange,
                    v.span(),
                    format!(
                        "`{}` = {x:e} lies outside ±{:e}, the range of a model's numbers: scoring multiplies them together, and beyond it the products could overflow",
                        display_path(path),
                        self.max_magnitude.unwrap_or(f64::MAX)
                    ),
                );
                None
            }
            Some(x) if x.is_finite() => Some(Sp::new(x, v.span())),
            _ => {
                self.error(
                    Code::InexactNumber,
                    v.span(),
                    format!("`{}` must be a finite number", display_path(path)),
                );
                None
            }
        }
    }

    /// An integer.
    pub fn integer(&self, v: &Value<'_>, path: &str) -> Option<Sp<i64>> {
        match v.get_ref() {
            DeValue::Integer(i) => match parse_integer(i.as_str(), i.radix()) {
                Some(n) => Some(Sp::new(n, v.span())),
                None => {
                    self.error(
                        Code::InvalidValue,
                        v.span(),
                        format!("`{}` is out of range", display_path(path)),
                    );
                    None
                }
            },
            other => {
                self.wrong_type(v.span(), path, "an integer", other);
                None
            }
        }
    }

    /// An exact decimal: an integer, a string such as "50000000.00", or a float literal
    /// that carries at most [`MAX_EXACT_FLOAT_DIGITS`] significant digits.
    pub fn decimal(&self, v: &Value<'_>, path: &str) -> Option<Sp<Decimal>> {
        let (text, from_float) = match v.get_ref() {
            DeValue::Integer(i) if i.radix() == 10 => (i.as_str().replace('_', ""), false),
            DeValue::Float(f) => (f.as_str().replace('_', ""), true),
            DeValue::String(s) => (s.trim().to_string(), false),
            other => {
                self.wrong_type(v.span(), path, "an amount (integer or string)", other);
                return None;
            }
        };
        let digits = significant_digits(&text);
        let parsed = if text.contains(['e', 'E']) {
            Decimal::from_scientific(&text).ok()
        } else {
            Decimal::from_str_exact(&text).ok()
        };
        match parsed {
            Some(d) if !(from_float && digits > MAX_EXACT_FLOAT_DIGITS) => {
                Some(Sp::new(d, v.span()))
            }
            Some(_) => {
                self.push(
                    self.src
                        .diag(
                            Code::InexactNumber,
                            v.span(),
                            format!(
                                "`{}` = {text} has {digits} significant digits: a float literal would lose some",
                                display_path(path)
                            ),
                        )
                        .with_help(format!("write it as a string: \"{text}\"")),
                );
                None
            }
            None => {
                // A number beyond Decimal's range (about 7.9e28) is too large, not inexact.
                let shown = crate::diag::excerpt(&text);
                let (code, message) = match text.parse::<f64>() {
                    Ok(x) if x.abs() >= 7.9e28 => (
                        Code::AmountTooLarge,
                        format!(
                            "`{}` = {shown} is too large (at most {})",
                            display_path(path),
                            Decimal::MAX
                        ),
                    ),
                    Ok(_) => (
                        Code::InexactNumber,
                        format!(
                            "`{}` = {shown} has more digits than an exact amount holds (28 significant digits, 28 decimals)",
                            display_path(path)
                        ),
                    ),
                    Err(_) => (
                        Code::InexactNumber,
                        format!(
                            "`{}` = {shown} is not an exact decimal amount",
                            display_path(path)
                        ),
                    ),
                };
                self.error(code, v.span(), message);
                None
            }
        }
    }

    /// A boolean.
    pub fn boolean(&self, v: &Value<'_>, path: &str) -> Option<Sp<bool>> {
        match v.get_ref() {
            DeValue::Boolean(b) => Some(Sp::new(*b, v.span())),
            other => {
                self.wrong_type(v.span(), path, "true or false", other);
                None
            }
        }
    }

    /// A calendar date: a TOML local date (`2025-10-31`) or a string holding one.
    pub fn date(&self, v: &Value<'_>, path: &str) -> Option<Sp<jiff::civil::Date>> {
        let text = match v.get_ref() {
            DeValue::Datetime(dt) => dt.to_string(),
            DeValue::String(s) => s.to_string(),
            other => {
                self.wrong_type(v.span(), path, "a date (YYYY-MM-DD)", other);
                return None;
            }
        };
        match jiff::civil::Date::from_str(&text) {
            Ok(d) if text.len() == 10 => Some(Sp::new(d, v.span())),
            _ => {
                self.error(
                    Code::InvalidValue,
                    v.span(),
                    format!(
                        "`{}` = {text} is not a date of the form YYYY-MM-DD",
                        display_path(path)
                    ),
                );
                None
            }
        }
    }

    /// An array of values.
    pub fn array<'a, 'i>(&self, v: &'a Value<'i>, path: &str) -> Option<&'a [Value<'i>]> {
        match v.get_ref() {
            DeValue::Array(a) => Some(a.as_ref()),
            other => {
                self.wrong_type(v.span(), path, "an array", other);
                None
            }
        }
    }

    /// An array of strings (each element checked).
    pub fn strings(&self, v: &Value<'_>, path: &str) -> Option<Vec<Sp<String>>> {
        let arr = self.array(v, path)?;
        let items: Vec<_> = arr
            .iter()
            .enumerate()
            .map(|(i, e)| self.string(e, &format!("{path}[{i}]")))
            .collect();
        items.into_iter().collect()
    }

    /// An array of finite numbers (each element checked).
    pub fn numbers(&self, v: &Value<'_>, path: &str) -> Option<Vec<Sp<f64>>> {
        let arr = self.array(v, path)?;
        let items: Vec<_> = arr
            .iter()
            .enumerate()
            .map(|(i, e)| self.number(e, &format!("{path}[{i}]")))
            .collect();
        items.into_iter().collect()
    }

    /// One of a fixed set of words.
    pub fn word(&self, v: &Value<'_>, path: &str, allowed: &[&str]) -> Option<Sp<String>> {
        let s = self.string(v, path)?;
        if allowed.contains(&s.value.as_str()) {
            return Some(s);
        }
        let mut d = self.src.diag(
            Code::InvalidValue,
            s.span.clone(),
            format!("`{}` = \"{}\" is not allowed", display_path(path), s.value),
        );
        d.help = Some(match did_you_mean(&s.value, allowed.iter().copied()) {
            Some(m) => format!("did you mean \"{m}\"?"),
            None => format!("expected one of: {}", allowed.join(", ")),
        });
        self.push(d);
        None
    }
}

impl<'a, 'i> Table<'a, 'i> {
    /// The table's span.
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    /// The table's path, e.g. `groups.security`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The path of one of its keys.
    pub fn key_path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The raw value of a key, if present.
    pub fn get(&self, key: &str) -> Option<&'a Value<'i>> {
        self.map.get(key)
    }

    /// True if the key is present.
    pub fn has(&self, key: &str) -> bool {
        self.map.get(key).is_some()
    }

    /// Entries in file order.
    pub fn entries(&self) -> impl Iterator<Item = (Sp<&'a str>, &'a Value<'i>)> + 'a {
        self.map
            .iter()
            .map(|(k, v)| (Sp::new(k.get_ref().as_ref(), k.span()), v))
    }

    /// Reports a required key as missing.
    pub fn missing(&self, r: &Reader<'_>, key: &str) {
        r.error(
            Code::MissingKey,
            self.span.clone(),
            format!("`{}` is missing `{key}`", display_path(&self.path)),
        );
    }

    /// A required value, or a missing-key diagnostic.
    pub fn req(&self, r: &Reader<'_>, key: &str) -> Option<&'a Value<'i>> {
        let v = self.get(key);
        if v.is_none() {
            self.missing(r, key);
        }
        v
    }

    /// An optional string.
    pub fn str(&self, r: &Reader<'_>, key: &str) -> Option<Sp<String>> {
        self.get(key).and_then(|v| r.string(v, &self.key_path(key)))
    }

    /// A required string.
    pub fn req_str(&self, r: &Reader<'_>, key: &str) -> Option<Sp<String>> {
        self.req(r, key)
            .and_then(|v| r.string(v, &self.key_path(key)))
    }

    /// An optional number.
    pub fn num(&self, r: &Reader<'_>, key: &str) -> Option<Sp<f64>> {
        self.get(key).and_then(|v| r.number(v, &self.key_path(key)))
    }

    /// A required number.
    pub fn req_num(&self, r: &Reader<'_>, key: &str) -> Option<Sp<f64>> {
        self.req(r, key)
            .and_then(|v| r.number(v, &self.key_path(key)))
    }

    /// An optional word from a fixed set.
    pub fn word(&self, r: &Reader<'_>, key: &str, allowed: &[&str]) -> Option<Sp<String>> {
        self.get(key)
            .and_then(|v| r.word(v, &self.key_path(key), allowed))
    }

    /// An optional sub-table.
    pub fn table(&self, r: &Reader<'_>, key: &str, known: &[&str]) -> Option<Table<'a, 'i>> {
        self.get(key)
            .and_then(|v| r.as_table(v, &self.key_path(key), known))
    }
}

/// Parses a TOML document, reporting every syntax error it can recover from. A document
/// nested deeper than [`MAX_NESTING`] is refused before it is parsed (an empty document
/// and one [`Code::TomlNesting`] diagnostic).
pub fn parse_document<'i>(src: &'i SourceFile) -> (Spanned<DeTable<'i>>, Vec<Diagnostic>) {
    if let Some(span) = crate::toml_nesting::too_deep(src.text()) {
        let d = src.diag(
            Code::TomlNesting,
            span,
            format!(
                "arrays, inline tables and dotted keys are nested more than {MAX_NESTING} levels deep here: Vigie reads at most {MAX_NESTING}"
            ),
        );
        return (Spanned::new(0..0, DeTable::new()), vec![d]);
    }
    let (doc, errors) = DeTable::parse_recoverable(src.text());
    let diags = errors
        .iter()
        .map(|e| {
            let span = e.span().unwrap_or(0..0);
            src.diag(Code::TomlSyntax, span, e.message().to_string())
        })
        .collect();
    (doc, diags)
}

/// The kinds of file Vigie reads, told apart by their top-level table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FileKind {
    /// A model file: has a `[model]` table.
    Model,
    /// A project file: has a `[project]` table.
    Project,
}

impl FileKind {
    /// The top-level table that marks this kind.
    pub fn marker(self) -> &'static str {
        match self {
            FileKind::Model => "model",
            FileKind::Project => "project",
        }
    }

    /// Which kind a parsed document is, from its top-level tables. A `model = "..."`
    /// string (as in a model test file) does not make a model file.
    pub fn of(doc: &DeTable<'_>) -> Option<FileKind> {
        [FileKind::Model, FileKind::Project].into_iter().find(|k| {
            doc.get(k.marker())
                .is_some_and(|v| matches!(v.get_ref(), DeValue::Table(_)))
        })
    }
}

/// Whether a document looks like a model test file: a `model` string naming the model and
/// `[[cases]]`.
pub fn is_model_test(doc: &DeTable<'_>) -> bool {
    doc.get("model")
        .is_some_and(|v| matches!(v.get_ref(), DeValue::String(_)))
        && doc.get("cases").is_some()
}

/// Checks that a document is of the expected kind; one clear diagnostic if not.
pub fn expect_kind(src: &SourceFile, doc: &DeTable<'_>, want: FileKind) -> Option<Diagnostic> {
    let found = FileKind::of(doc);
    if found == Some(want) {
        return None;
    }
    let what = match found {
        Some(k) => format!("a {} file (it has a `[{}]` table)", k.marker(), k.marker()),
        None if is_model_test(doc) => {
            "a model test file (its `model` names the model it tests): run it with `vigie test`"
                .to_string()
        }
        None => "neither a model nor a project file (it has no `[model]` or `[project]` table)"
            .to_string(),
    };
    // Point at the table that shows what the file is, when there is one.
    let span = found
        .and_then(|k| doc.iter().find(|(key, _)| key.get_ref() == k.marker()))
        .map_or(0..0, |(key, _)| {
            // Include the header's brackets, so the caret sits on `[project]`.
            let k = key.span();
            let bracket = src.text().get(..k.start).is_some_and(|t| t.ends_with('['));
            if bracket { k.start - 1..k.end + 1 } else { k }
        });
    Some(
        src.diag(
            Code::WrongFileKind,
            span,
            format!("expected a {} file, but this is {what}", want.marker()),
        )
        .with_help(format!(
            "a {} file starts with a `[{}]` table",
            want.marker(),
            want.marker()
        )),
    )
}

fn display_path(path: &str) -> &str {
    if path.is_empty() { "(top level)" } else { path }
}

fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

fn parse_integer(text: &str, radix: u32) -> Option<i64> {
    let clean = text.replace('_', "");
    let digits = clean
        .strip_prefix("0x")
        .or_else(|| clean.strip_prefix("0o"))
        .or_else(|| clean.strip_prefix("0b"))
        .unwrap_or(&clean);
    i64::from_str_radix(digits, radix).ok()
}

fn parse_float(text: &str) -> Option<f64> {
    text.replace('_', "").parse().ok()
}

/// Significant digits of a decimal literal (leading zeros and the exponent excluded).
fn significant_digits(text: &str) -> usize {
    let mantissa = text.split(['e', 'E']).next().unwrap_or("");
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let trimmed = digits.trim_start_matches('0');
    // Trailing zeros after a decimal point are significant in the literal as written.
    trimmed.len().max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, f: impl FnOnce(&Reader<'_>, &Table<'_, '_>)) -> Vec<Diagnostic> {
        let src = SourceFile::new("t.toml", text);
        let (doc, syntax) = parse_document(&src);
        assert!(syntax.is_empty(), "{syntax:?}");
        let r = Reader::new(&src);
        let t = r.table(doc.get_ref(), doc.span(), "", &["a", "b", "amount"]);
        f(&r, &t);
        r.into_diagnostics()
    }

    #[test]
    fn unknown_key_suggests_close_match_with_location() {
        let d = read("a = 1\namuont = 2\n", |_, _| {});
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, Code::UnknownKey);
        assert_eq!(d[0].help.as_deref(), Some("did you mean `amount`?"));
        let loc = d[0].location.as_ref().unwrap();
        assert_eq!((loc.line, loc.column), (2, 1));
    }

    #[test]
    fn decimal_accepts_exact_forms_and_rejects_lossy_floats() {
        let d = read(
            "a = \"12345678901234567.25\"\nb = 1.5\namount = 1234567890.1234567\n",
            |r, t| {
                assert_eq!(
                    t.get("a")
                        .and_then(|v| r.decimal(v, "a"))
                        .unwrap()
                        .value
                        .to_string(),
                    "12345678901234567.25"
                );
                assert_eq!(
                    t.get("b")
                        .and_then(|v| r.decimal(v, "b"))
                        .unwrap()
                        .value
                        .to_string(),
                    "1.5"
                );
                assert!(
                    t.get("amount")
                        .and_then(|v| r.decimal(v, "amount"))
                        .is_none()
                );
            },
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, Code::InexactNumber);
        assert_eq!(d[0].location.as_ref().unwrap().line, 3);
    }

    #[test]
    fn wrong_type_is_located() {
        let d = read("a = \"x\"\n", |r, t| {
            assert!(t.num(r, "a").is_none());
        });
        assert_eq!(d[0].code, Code::WrongType);
        assert_eq!(d[0].location.as_ref().unwrap().column, 5);
    }

    #[test]
    fn significant_digit_count() {
        assert_eq!(significant_digits("0.00123"), 3);
        assert_eq!(significant_digits("123.4500"), 7);
        assert_eq!(significant_digits("1.5e10"), 2);
    }
}

/// Maps byte offsets inside a decoded TOML string back to offsets in the file, so that an
/// error found inside a formula points at the right column whatever quoting or escapes the
/// string used. `raw` is the string token as written (quotes included) and `raw_start` its
/// offset in the file. Offsets past the end map to the end of the token.
pub fn string_offset_map(raw: &str, raw_start: usize) -> Vec<usize> {
    let (open, literal) = if raw.starts_with("\"\"\"") {
        (3, false)
    } else if raw.starts_with("'''") {
        (3, true)
    } else if raw.starts_with('\'') {
        (1, true)
    } else {
        (1, false)
    };
    let multiline = open == 3;
    let body_end = raw.len().saturating_sub(open).max(open);
    let mut i = open;
    let bytes = raw.as_bytes();
    // A newline right after the opening delimiter of a multi-line string is trimmed.
    if multiline {
        if raw[i..].starts_with("\r\n") {
            i += 2;
        } else if raw[i..].starts_with('\n') {
            i += 1;
        }
    }
    let mut map = Vec::with_capacity(raw.len());
    while i < body_end {
        let ch_len = raw[i..].chars().next().map_or(1, char::len_utf8);
        if !literal && bytes[i] == b'\\' && i + 1 < body_end {
            let next = bytes[i + 1];
            let (decoded_len, raw_len) = match next {
                b'u' => (char_len_of_escape(raw.get(i + 2..i + 6)), 6),
                b'U' => (char_len_of_escape(raw.get(i + 2..i + 10)), 10),
                b'x' => (char_len_of_escape(raw.get(i + 2..i + 4)), 4),
                b'\n' | b'\r' | b' ' | b'\t' if multiline => {
                    // Line-ending backslash: it and the whitespace after it vanish.
                    let mut j = i + 1;
                    while j < body_end && matches!(bytes[j], b' ' | b'\t' | b'\n' | b'\r') {
                        j += 1;
                    }
                    i = j;
                    continue;
                }
                _ => (1, 2),
            };
            for _ in 0..decoded_len {
                map.push(raw_start + i);
            }
            i += raw_len.min(body_end - i);
            continue;
        }
        for k in 0..ch_len {
            map.push(raw_start + i + k);
        }
        i += ch_len;
    }
    map.push(raw_start + body_end.min(raw.len()));
    map
}

/// Bytes of the char a `\u`/`\U`/`\x` escape decodes to.
fn char_len_of_escape(hex: Option<&str>) -> usize {
    hex.and_then(|h| u32::from_str_radix(h, 16).ok())
        .and_then(char::from_u32)
        .map_or(1, char::len_utf8)
}

#[cfg(test)]
mod offset_tests {
    use super::string_offset_map;

    /// Offset of decoded byte `k` in the file, for a token at offset 100.
    fn at(raw: &str, k: usize) -> usize {
        let m = string_offset_map(raw, 100);
        m[k.min(m.len() - 1)]
    }

    #[test]
    fn plain_basic_and_literal_strings_shift_by_the_quote() {
        assert_eq!(at("\"abc\"", 1), 102);
        assert_eq!(at("'abc'", 2), 103);
    }

    #[test]
    fn multiline_strings_skip_delimiter_and_first_newline() {
        // decoded "ab" starts after `"""\n`
        assert_eq!(at("\"\"\"\nab\"\"\"", 0), 104);
        assert_eq!(at("'''\nab'''", 1), 105);
    }

    #[test]
    fn escapes_are_counted_in_the_file() {
        // "\tx": decoded x is byte 1, written at raw offset 3
        assert_eq!(at("\"\\tx\"", 1), 103);
        // "\u00e9x": é is 2 decoded bytes from 6 raw ones
        assert_eq!(at("\"\\u00e9x\"", 2), 107);
    }

    #[test]
    fn line_ending_backslash_vanishes() {
        // """a\<newline>   b""": decoded "ab"
        assert_eq!(at("\"\"\"a\\\n   b\"\"\"", 1), 109);
    }
}
