//! Parser: checks tokens against the grammar and emits them in postfix order, enforcing the nesting limit.
//!
//! Recursive descent with one function per precedence level. Left-associative levels loop
//! instead of recursing, so `1 + 1 + … + 1` costs no Rust stack; every construct that does
//! recurse (parentheses, calls, prefix operators, `^`) goes through [`Parser::enter`], which
//! checks [`MAX_DEPTH`] before the recursive call. Each nesting level costs a bounded number
//! of Rust frames, so the limit bounds the Rust stack whatever the input.
//!
//! There is no syntax tree: operators are emitted right after their operands, which is the
//! postfix order the interpreter runs. Names are emitted unresolved ([`Item::Name`]) for the
//! compiler to resolve.

use super::error::{ExprError, ExprErrorKind};
use super::eval::Op;
use super::lexer::{Tok, Token};
use super::{MAX_DEPTH, Name, Span};
use crate::diag::excerpt;

/// One postfix instruction, possibly still naming an unresolved operand.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Item<'a> {
    Op(Op),
    Name(Name<'a>, Span),
}

/// Parser output. When `errors` holds a syntax error, `items` is only the part parsed before it.
pub(crate) struct Parsed<'a> {
    pub(crate) items: Vec<Item<'a>>,
    pub(crate) errors: Vec<ExprError>,
}

/// Parses the whole token stream of `src`.
pub(crate) fn parse<'a>(src: &'a str, tokens: &[Token<'a>]) -> Parsed<'a> {
    let mut parser = Parser {
        src,
        tokens,
        pos: 0,
        depth: 0,
        items: Vec::with_capacity(tokens.len()),
        errors: Vec::new(),
    };
    if parser.expression().is_ok()
        && let Some(token) = parser.peek()
    {
        let message = format!(
            "unexpected {} after the end of the expression",
            parser.describe(token)
        );
        parser
            .errors
            .push(ExprError::new(ExprErrorKind::Syntax, token.span, message));
    }
    Parsed {
        items: parser.items,
        errors: parser.errors,
    }
}

/// The built-in functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Func {
    If,
    Min,
    Max,
    Mean,
    Round,
    Ln,
    Exp,
    Abs,
    Clamp,
}

const FUNCTION_LIST: &str = "if, min, max, mean, round, ln, exp, abs, clamp";

impl Func {
    fn lookup(name: &str) -> Option<Self> {
        Some(match name {
            "if" => Self::If,
            "min" => Self::Min,
            "max" => Self::Max,
            "mean" => Self::Mean,
            "round" => Self::Round,
            "ln" => Self::Ln,
            "exp" => Self::Exp,
            "abs" => Self::Abs,
            "clamp" => Self::Clamp,
            _ => return None,
        })
    }

    /// Accepted argument counts: `(min, max)`, `max` `None` for variadic functions.
    const fn arity(self) -> (usize, Option<usize>) {
        match self {
            Self::If | Self::Clamp => (3, Some(3)),
            Self::Ln | Self::Exp | Self::Abs => (1, Some(1)),
            Self::Round => (1, Some(2)),
            Self::Min | Self::Max | Self::Mean => (1, None),
        }
    }

    /// Variadic functions fold pairwise as each argument arrives, so any number of arguments
    /// needs only two stack slots.
    const fn fold(self) -> Option<Op> {
        match self {
            Self::Min => Some(Op::Min),
            Self::Max => Some(Op::Max),
            Self::Mean => Some(Op::Add),
            _ => None,
        }
    }
}

/// "3 arguments", "1 or 2 arguments", "at least 1 argument".
fn arity_words(min: usize, max: Option<usize>) -> (String, String) {
    let (expected, last) = match max {
        Some(max) if max == min => (min.to_string(), min),
        Some(max) => (format!("{min} or {max}"), max),
        None => (format!("at least {min}"), min),
    };
    let noun = if last == 1 { "argument" } else { "arguments" };
    let phrase = format!("{expected} {noun}");
    (expected, phrase)
}

/// A syntax or depth error already recorded in `errors`; parsing stops.
struct Fatal;

type Parse = Result<(), Fatal>;

struct Parser<'t, 'a> {
    src: &'a str,
    tokens: &'t [Token<'a>],
    pos: usize,
    depth: usize,
    items: Vec<Item<'a>>,
    errors: Vec<ExprError>,
}

impl<'a> Parser<'_, 'a> {
    fn peek(&self) -> Option<Token<'a>> {
        self.tokens.get(self.pos).copied()
    }

    fn peek_tok(&self) -> Option<Tok<'a>> {
        self.peek().map(|token| token.tok)
    }

    /// Consumes the next token if it is `want`, returning its span.
    fn eat(&mut self, want: Tok<'_>) -> Option<Span> {
        let token = self.peek().filter(|token| token.tok == want)?;
        self.pos += 1;
        Some(token.span)
    }

    /// Span of the next token, or an empty span at the end of the text.
    fn here(&self) -> Span {
        self.peek().map_or(
            Span {
                start: self.src.len(),
                end: self.src.len(),
            },
            |token| token.span,
        )
    }

    /// End of the last consumed token.
    fn prev_end(&self) -> usize {
        self.pos
            .checked_sub(1)
            .and_then(|index| self.tokens.get(index))
            .map_or(0, |token| token.span.end)
    }

    fn describe(&self, token: Token<'_>) -> String {
        match self.src.get(token.span.range()) {
            Some(text) => format!("`{}`", excerpt(text)),
            None => "token".to_owned(),
        }
    }

    fn describe_here(&self) -> String {
        match self.peek() {
            Some(token) => self.describe(token),
            None => "the end of the formula".to_owned(),
        }
    }

    fn emit(&mut self, op: Op) {
        self.items.push(Item::Op(op));
    }

    fn fail(&mut self, kind: ExprErrorKind, span: Span, message: String) -> Fatal {
        self.errors.push(ExprError::new(kind, span, message));
        Fatal
    }

    fn syntax(&mut self, span: Span, message: String) -> Fatal {
        self.fail(ExprErrorKind::Syntax, span, message)
    }

    /// Claims one nesting level before a recursive descent; refuses past [`MAX_DEPTH`].
    fn enter(&mut self, span: Span) -> Parse {
        if self.depth >= MAX_DEPTH {
            let message = format!("expression is nested more than {MAX_DEPTH} levels deep");
            return Err(self.fail(ExprErrorKind::TooDeep, span, message));
        }
        self.depth += 1;
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// A full expression: the lowest precedence level.
    fn expression(&mut self) -> Parse {
        self.or()
    }

    fn or(&mut self) -> Parse {
        self.and()?;
        while self.eat(Tok::Or).is_some() {
            self.and()?;
            self.emit(Op::Or);
        }
        Ok(())
    }

    fn and(&mut self) -> Parse {
        self.not()?;
        while self.eat(Tok::And).is_some() {
            self.not()?;
            self.emit(Op::And);
        }
        Ok(())
    }

    fn not(&mut self) -> Parse {
        let Some(span) = self.eat(Tok::Not) else {
            return self.comparison();
        };
        self.enter(span)?;
        self.not()?;
        self.leave();
        self.emit(Op::Not);
        Ok(())
    }

    fn comparison_op(tok: Tok<'_>) -> Option<Op> {
        Some(match tok {
            Tok::Lt => Op::Lt,
            Tok::Le => Op::Le,
            Tok::Gt => Op::Gt,
            Tok::Ge => Op::Ge,
            Tok::EqEq => Op::Eq,
            Tok::Ne => Op::Ne,
            _ => return None,
        })
    }

    /// Non-associative: `a < b < c` would silently compare a boolean with `c`, which is
    /// never what a model author means, so it is an error.
    fn comparison(&mut self) -> Parse {
        self.additive()?;
        let Some(op) = self.peek_tok().and_then(Self::comparison_op) else {
            return Ok(());
        };
        self.pos += 1;
        self.additive()?;
        self.emit(op);
        if let Some(token) = self.peek()
            && Self::comparison_op(token.tok).is_some()
        {
            let message = format!(
                "comparisons cannot be chained: found {} after a comparison; write `a < b and b < c`",
                self.describe(token)
            );
            return Err(self.syntax(token.span, message));
        }
        Ok(())
    }

    fn additive(&mut self) -> Parse {
        self.multiplicative()?;
        loop {
            let op = match self.peek_tok() {
                Some(Tok::Plus) => Op::Add,
                Some(Tok::Minus) => Op::Sub,
                _ => return Ok(()),
            };
            self.pos += 1;
            self.multiplicative()?;
            self.emit(op);
        }
    }

    fn multiplicative(&mut self) -> Parse {
        self.negation()?;
        loop {
            let op = match self.peek_tok() {
                Some(Tok::Star) => Op::Mul,
                Some(Tok::Slash) => Op::Div,
                _ => return Ok(()),
            };
            self.pos += 1;
            self.negation()?;
            self.emit(op);
        }
    }

    /// Prefix minus, looser than `^` so that `-2^2 = -(2^2)` as in mathematics.
    fn negation(&mut self) -> Parse {
        let Some(span) = self.eat(Tok::Minus) else {
            return self.power();
        };
        self.enter(span)?;
        self.negation()?;
        self.leave();
        self.emit(Op::Neg);
        Ok(())
    }

    /// Right-associative: the exponent is parsed by recursion (one level per `^`), and may
    /// carry a prefix minus (`2^-1`).
    fn power(&mut self) -> Parse {
        self.primary()?;
        let Some(span) = self.eat(Tok::Caret) else {
            return Ok(());
        };
        self.enter(span)?;
        self.negation()?;
        self.leave();
        self.emit(Op::Pow);
        Ok(())
    }

    fn primary(&mut self) -> Parse {
        let Some(token) = self.peek() else {
            let message = "expected an expression, found the end of the formula".to_owned();
            return Err(self.syntax(self.here(), message));
        };
        match token.tok {
            Tok::Num(value) => self.emit(Op::Const(value)),
            Tok::True => self.emit(Op::Const(1.0)),
            Tok::False => self.emit(Op::Const(0.0)),
            Tok::Raw(id) => self
                .items
                .push(Item::Name(Name { raw: true, id }, token.span)),
            Tok::Ident(id) => {
                self.pos += 1;
                if self.peek_tok() == Some(Tok::LParen) {
                    return self.call(id, token.span);
                }
                self.items
                    .push(Item::Name(Name { raw: false, id }, token.span));
                return Ok(());
            }
            Tok::LParen => {
                self.pos += 1;
                self.enter(token.span)?;
                self.expression()?;
                self.close(token.span)?;
                self.leave();
                return Ok(());
            }
            _ => {
                let message = format!("expected an expression, found {}", self.describe(token));
                return Err(self.syntax(token.span, message));
            }
        }
        self.pos += 1;
        Ok(())
    }

    /// Expects the `)` matching the `(` at `open`.
    fn close(&mut self, open: Span) -> Parse {
        if self.eat(Tok::RParen).is_some() {
            return Ok(());
        }
        let message = format!(
            "expected `)` to close the `(` at byte {}, found {}",
            open.start,
            self.describe_here()
        );
        Err(self.syntax(self.here(), message))
    }

    /// `name(args…)`, with the `(` next. Unknown functions and wrong arities are recorded but
    /// parsing goes on, so the rest of the formula is still checked.
    fn call(&mut self, name: &'a str, name_span: Span) -> Parse {
        let Some(open) = self.eat(Tok::LParen) else {
            return Err(self.syntax(self.here(), "expected `(`".to_owned()));
        };
        let func = Func::lookup(name);
        if func.is_none() {
            let message = format!(
                "unknown function `{}`; the functions are {FUNCTION_LIST}",
                excerpt(name)
            );
            self.errors.push(ExprError::new(
                ExprErrorKind::UnknownFunction(name.to_owned()),
                name_span,
                message,
            ));
        }
        let fold = func.and_then(Func::fold);
        self.enter(name_span)?;
        let mut count = 0usize;
        // Where the latest argument starts, in tokens and in items (for `round`'s digits).
        let mut last_arg = (self.pos, self.items.len());
        if self.eat(Tok::RParen).is_none() {
            loop {
                last_arg = (self.pos, self.items.len());
                self.expression()?;
                count += 1;
                if count >= 2
                    && let Some(op) = fold
                {
                    self.emit(op);
                }
                if self.eat(Tok::Comma).is_none() {
                    self.close(open)?;
                    break;
                }
            }
        }
        self.leave();
        let Some(func) = func else {
            return Ok(());
        };
        let (min, max) = func.arity();
        if count < min || max.is_some_and(|max| count > max) {
            let (expected, phrase) = arity_words(min, max);
            let message = format!("`{name}` takes {phrase}, found {count}");
            let span = Span {
                start: name_span.start,
                end: self.prev_end(),
            };
            self.errors.push(ExprError::new(
                ExprErrorKind::Arity {
                    function: name.to_owned(),
                    expected,
                    found: count,
                },
                span,
                message,
            ));
            return Ok(());
        }
        match func {
            Func::If => self.emit(Op::If),
            Func::Clamp => self.emit(Op::Clamp),
            Func::Ln => self.emit(Op::Ln),
            Func::Exp => self.emit(Op::Exp),
            Func::Abs => self.emit(Op::Abs),
            Func::Min | Func::Max => {}
            Func::Mean => {
                // Counts are tiny (bounded by the text length), so the conversion is exact.
                self.emit(Op::Const(count as f64));
                self.emit(Op::Div);
            }
            Func::Round if count == 1 => self.emit(Op::Round(0)),
            Func::Round => self.round_digits(last_arg),
        }
        Ok(())
    }

    /// `round(x, d)`: `d` must be the literal `0`..=`15`, so the decimals are known at compile
    /// time. The literal's `Const` is replaced by a `Round(d)` instruction.
    fn round_digits(&mut self, (first_token, first_item): (usize, usize)) {
        // The argument's tokens run up to the closing `)`, which is the last consumed token.
        let arg_end = self.pos.saturating_sub(1);
        let digits = match self.tokens.get(first_token..arg_end) {
            Some(
                [
                    Token {
                        tok: Tok::Num(value),
                        ..
                    },
                ],
            ) if value.fract() == 0.0 && (0.0..=15.0).contains(value) => Some(*value as u8),
            _ => None,
        };
        if let Some(digits) = digits {
            self.items.truncate(first_item);
            self.emit(Op::Round(digits));
            return;
        }
        let start = self
            .tokens
            .get(first_token)
            .map_or(0, |token| token.span.start);
        let end = arg_end
            .checked_sub(1)
            .and_then(|last| self.tokens.get(last))
            .map_or(start, |token| token.span.end);
        self.errors.push(ExprError::new(
            ExprErrorKind::BadRoundDigits,
            Span { start, end },
            "the decimals of `round` must be an integer literal from 0 to 15",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::lexer::lex;
    use super::*;

    fn parse_str(src: &str) -> (usize, Vec<ExprError>) {
        let (tokens, errors) = lex(src);
        assert!(errors.is_empty(), "{errors:?}");
        let parsed = parse(src, &tokens);
        (parsed.items.len(), parsed.errors)
    }

    fn assert_too_deep(src: &str) {
        let (_, errors) = parse_str(src);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].kind, ExprErrorKind::TooDeep);
    }

    // These bypass the text-length limit on purpose: the depth check alone must stop
    // arbitrarily deep input before the Rust stack is at risk.
    #[test]
    fn ten_thousand_levels_are_refused_without_overflow() {
        assert_too_deep(&"(".repeat(10_000));
        assert_too_deep(&format!("{}1", "-".repeat(10_000)));
        assert_too_deep(&format!("{}1", "not ".repeat(10_000)));
        assert_too_deep(&format!("{}2", "2^".repeat(10_000)));
        assert_too_deep(&format!("{}1", "abs(".repeat(10_000)));
        assert_too_deep(&format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000)));
    }

    #[test]
    fn long_left_associative_chains_are_iterative() {
        let sum = vec!["1"; 10_000].join("+");
        let (items, errors) = parse_str(&sum);
        assert!(errors.is_empty());
        assert_eq!(items, 19_999);
        let (_, errors) = parse_str(&vec!["a"; 10_000].join(" and "));
        assert!(errors.is_empty());
        let (_, errors) = parse_str(&format!("max({})", vec!["1"; 10_000].join(",")));
        assert!(errors.is_empty());
    }

    #[test]
    fn depth_limit_is_exact() {
        let ok = format!("{}1{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert!(parse_str(&ok).1.is_empty());
        let deep = format!(
            "{}1{}",
            "(".repeat(MAX_DEPTH + 1),
            ")".repeat(MAX_DEPTH + 1)
        );
        assert_too_deep(&deep);
    }
}
