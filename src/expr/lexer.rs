//! Lexer: splits formula text into tokens with byte spans; the only code that looks at characters.

use super::Span;
use super::error::{ExprError, ExprErrorKind};
use crate::diag::excerpt;

/// A token's meaning. Names borrow from the source.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Tok<'a> {
    Num(f64),
    Ident(&'a str),
    /// `raw.name`; holds `name`.
    Raw(&'a str),
    True,
    False,
    And,
    Or,
    Not,
    LParen,
    RParen,
    Comma,
    Plus,
    Minus,
    Star,
    Slash,
    Caret,
    Lt,
    Le,
    Gt,
    Ge,
    EqEq,
    Ne,
}

/// A token and where it is.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Token<'a> {
    pub(crate) tok: Tok<'a>,
    pub(crate) span: Span,
}

/// Tokenizes all of `src`, reporting every bad character or literal rather than the first.
pub(crate) fn lex(src: &str) -> (Vec<Token<'_>>, Vec<ExprError>) {
    let bytes = src.as_bytes();
    let mut tokens = Vec::new();
    let mut errors = Vec::new();
    // `pos` only ever advances past ASCII bytes or whole chars, so it stays on a char boundary.
    let mut pos = 0;
    while let Some(&byte) = bytes.get(pos) {
        let start = pos;
        let next = bytes.get(pos + 1).copied();
        let (result, end) = match byte {
            b' ' | b'\t' | b'\n' | b'\r' => {
                pos += 1;
                continue;
            }
            b'0'..=b'9' => number(src, start),
            b'.' if next.is_some_and(|b| b.is_ascii_digit()) => number(src, start),
            b'.' => (
                Err("unexpected `.`; only `raw.` may prefix a name".to_owned()),
                start + 1,
            ),
            b if is_ident_start(b) => word(src, start),
            b'(' => (Ok(Tok::LParen), start + 1),
            b')' => (Ok(Tok::RParen), start + 1),
            b',' => (Ok(Tok::Comma), start + 1),
            b'+' => (Ok(Tok::Plus), start + 1),
            b'-' => (Ok(Tok::Minus), start + 1),
            b'*' => (Ok(Tok::Star), start + 1),
            b'/' => (Ok(Tok::Slash), start + 1),
            b'^' => (Ok(Tok::Caret), start + 1),
            b'<' if next == Some(b'=') => (Ok(Tok::Le), start + 2),
            b'<' => (Ok(Tok::Lt), start + 1),
            b'>' if next == Some(b'=') => (Ok(Tok::Ge), start + 2),
            b'>' => (Ok(Tok::Gt), start + 1),
            b'=' if next == Some(b'=') => (Ok(Tok::EqEq), start + 2),
            b'!' if next == Some(b'=') => (Ok(Tok::Ne), start + 2),
            // Common habits from other languages get a pointer to the spelling used here.
            b'=' => (
                Err("unexpected `=`; use `==` to compare".to_owned()),
                start + 1,
            ),
            b'!' => (
                Err("unexpected `!`; use `not` to negate or `!=` to compare".to_owned()),
                start + 1,
            ),
            b'&' => (
                Err("unexpected `&`; use `and`".to_owned()),
                start + if next == Some(b'&') { 2 } else { 1 },
            ),
            b'|' => (
                Err("unexpected `|`; use `or`".to_owned()),
                start + if next == Some(b'|') { 2 } else { 1 },
            ),
            _ => unexpected_run(src, start),
        };
        let span = Span { start, end };
        match result {
            Ok(tok) => tokens.push(Token { tok, span }),
            Err(message) => errors.push(ExprError::new(ExprErrorKind::Syntax, span, message)),
        }
        // Every arm consumes at least one byte; `max` makes that a guarantee against loops.
        pos = end.max(start + 1);
    }
    (tokens, errors)
}

fn is_ident_start(byte: u8) -> bool {
    byte.is_ascii_alphabetic() || byte == b'_'
}

fn is_ident_continue(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// End of the run of bytes from `pos` that satisfy `pred`.
fn scan(bytes: &[u8], mut pos: usize, pred: impl Fn(u8) -> bool) -> usize {
    while bytes.get(pos).is_some_and(|&b| pred(b)) {
        pos += 1;
    }
    pos
}

/// Slices that cannot panic: every offset here is at an ASCII byte, hence a char boundary,
/// but a wrong offset must give a poor message, not a crash.
fn text(src: &str, start: usize, end: usize) -> &str {
    src.get(start..end).unwrap_or("")
}

/// `digits [. digits] [(e|E) [+|-] digits]`, or `. digits ...`.
fn number(src: &str, start: usize) -> (Result<Tok<'static>, String>, usize) {
    let bytes = src.as_bytes();
    let digit = |b: u8| b.is_ascii_digit();
    let mut end = scan(bytes, start, digit);
    if bytes.get(end) == Some(&b'.') && bytes.get(end + 1).is_some_and(|&b| digit(b)) {
        end = scan(bytes, end + 1, digit);
    }
    if matches!(bytes.get(end), Some(b'e' | b'E')) {
        let mut exponent = end + 1;
        if matches!(bytes.get(exponent), Some(b'+' | b'-')) {
            exponent += 1;
        }
        // Without digits the `e` is left in place and reported below as part of the literal.
        if bytes.get(exponent).is_some_and(|&b| digit(b)) {
            end = scan(bytes, exponent, digit);
        }
    }
    // A literal running straight into letters or dots (`2x`, `1.2.3`, `1e`, `1.`) is one
    // malformed literal, not a number followed by something else.
    if bytes
        .get(end)
        .is_some_and(|&b| is_ident_continue(b) || b == b'.')
    {
        let junk_end = scan(bytes, end, |b| is_ident_continue(b) || b == b'.');
        let message = format!(
            "invalid number literal `{}`",
            excerpt(text(src, start, junk_end))
        );
        return (Err(message), junk_end);
    }
    let literal = text(src, start, end);
    match literal.parse::<f64>() {
        Ok(value) if value.is_finite() => (Ok(Tok::Num(value)), end),
        _ => (
            Err(format!(
                "number literal `{}` is out of range",
                excerpt(literal)
            )),
            end,
        ),
    }
}

/// An identifier, keyword or `raw.name`.
fn word(src: &str, start: usize) -> (Result<Tok<'_>, String>, usize) {
    let bytes = src.as_bytes();
    let end = scan(bytes, start, is_ident_continue);
    let ident = text(src, start, end);
    if ident == "raw" && bytes.get(end) == Some(&b'.') {
        let name_start = end + 1;
        if !bytes.get(name_start).is_some_and(|&b| is_ident_start(b)) {
            return (
                Err("expected an input name after `raw.`".to_owned()),
                name_start,
            );
        }
        let name_end = scan(bytes, name_start, is_ident_continue);
        // After `raw.` even a keyword is a name: the prefix makes it unambiguous.
        return (Ok(Tok::Raw(text(src, name_start, name_end))), name_end);
    }
    let tok = match ident {
        "true" => Tok::True,
        "false" => Tok::False,
        "and" => Tok::And,
        "or" => Tok::Or,
        "not" => Tok::Not,
        _ => Tok::Ident(ident),
    };
    (Ok(tok), end)
}

/// Bytes that begin a token or a dedicated error above; anything else is "unexpected".
fn is_known_start(byte: u8) -> bool {
    is_ident_continue(byte) || b" \t\n\r.()+-*/^<>=!,&|".contains(&byte)
}

/// A run of unrecognised characters (non-ASCII, `%`, `#`, ...), reported once rather than per
/// character so a pasted paragraph gives one error, not thousands.
fn unexpected_run(src: &str, start: usize) -> (Result<Tok<'static>, String>, usize) {
    let rest = src.get(start..).unwrap_or("");
    let mut end = start;
    let mut count = 0usize;
    let mut first = None;
    for ch in rest.chars() {
        if count > 0 && ch.is_ascii() && is_known_start(ch as u8) {
            break;
        }
        first.get_or_insert(ch);
        count += 1;
        end += ch.len_utf8();
    }
    let first: String = first
        .map(|c| c.escape_debug().collect())
        .unwrap_or_default();
    let message = if count <= 1 {
        format!("unexpected character `{first}`")
    } else {
        format!("{count} unexpected characters, starting with `{first}`")
    };
    (Err(message), end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<Tok<'_>> {
        let (tokens, errors) = lex(src);
        assert!(errors.is_empty(), "{errors:?}");
        tokens.into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn tokens_and_spans() {
        assert_eq!(
            kinds("raw.a_1>=.5 and not(x)!=2.5E-2"),
            vec![
                Tok::Raw("a_1"),
                Tok::Ge,
                Tok::Num(0.5),
                Tok::And,
                Tok::Not,
                Tok::LParen,
                Tok::Ident("x"),
                Tok::RParen,
                Tok::Ne,
                Tok::Num(0.025),
            ]
        );
        let (tokens, _) = lex("  raw.abc + 1e3");
        let spans: Vec<_> = tokens.iter().map(|t| t.span.range()).collect();
        assert_eq!(spans, vec![2..9, 10..11, 12..15]);
    }

    #[test]
    fn raw_keyword_and_plain_raw() {
        assert_eq!(
            kinds("raw.and raw"),
            vec![Tok::Raw("and"), Tok::Ident("raw")]
        );
    }

    #[test]
    fn unexpected_characters_are_grouped() {
        let (_, errors) = lex("a + éé€ + b # c");
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].span.range(), 4..11);
        assert_eq!(errors[1].span.range(), 16..17);
    }
}
