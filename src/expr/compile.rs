//! Compilation driver: length limit, lexing, parsing, name resolution and the evaluation-stack bound.

use super::error::{ExprError, ExprErrorKind};
use super::eval::{Expr, Op};
use super::parser::{self, Item};
use super::{MAX_SOURCE_LEN, MAX_STACK, Name, Operand, Span, lexer};
use crate::diag::excerpt;

/// Compiles formula text into an [`Expr`].
///
/// `resolve` maps each name to an [`Operand`] (or `None` if unknown); it is called once per
/// occurrence, in order of appearance, which also suits callers that record dependencies.
///
/// On failure, returns every problem found, ordered by position: all lexical errors, or else
/// every unknown name, unknown function, arity and `round` problem, plus the first syntax
/// error if there is one (parsing stops there; names before it are still resolved).
///
/// # Errors
///
/// See [`ExprErrorKind`].
pub fn compile(
    src: &str,
    resolve: &mut dyn FnMut(Name<'_>) -> Option<Operand>,
) -> Result<Expr, Vec<ExprError>> {
    compile_limited(src, MAX_SOURCE_LEN, resolve)
}

fn compile_limited(
    src: &str,
    max_len: usize,
    resolve: &mut dyn FnMut(Name<'_>) -> Option<Operand>,
) -> Result<Expr, Vec<ExprError>> {
    if src.len() > max_len {
        // Checked first, so the work done on hostile input is bounded by the limit.
        let span = Span {
            start: floor_char_boundary(src, max_len),
            end: src.len(),
        };
        let message = format!(
            "formula is {} bytes long; the limit is {max_len}",
            src.len()
        );
        return Err(vec![ExprError::new(ExprErrorKind::TooLong, span, message)]);
    }
    let (tokens, lex_errors) = lexer::lex(src);
    if !lex_errors.is_empty() {
        // Parsing a token stream with holes in it would only add confusing follow-on errors.
        return Err(lex_errors);
    }
    let parsed = parser::parse(src, &tokens);
    let mut errors = parsed.errors;
    let mut ops = Vec::with_capacity(parsed.items.len());
    for item in parsed.items {
        let op = match item {
            Item::Op(op) => op,
            Item::Name(name, span) => match resolve(name) {
                Some(Operand::Node(index)) => Op::Node(index),
                Some(Operand::Raw(index)) => Op::Raw(index),
                None => {
                    errors.push(unknown_name(name, span));
                    Op::Const(f64::NAN)
                }
            },
        };
        ops.push(op);
    }
    if !errors.is_empty() {
        errors.sort_by_key(|error| (error.span.start, error.span.end));
        return Err(errors);
    }
    let whole = Span {
        start: 0,
        end: src.len(),
    };
    match stack_need(&ops) {
        Some(need) if need <= MAX_STACK => Ok(Expr::new(src, ops)),
        Some(need) => {
            let message = format!(
                "expression needs {need} evaluation stack slots; the limit is {MAX_STACK} (reduce nesting)"
            );
            Err(vec![ExprError::new(ExprErrorKind::TooDeep, whole, message)])
        }
        // The parser only emits balanced postfix code; this guards the interpreter if it ever
        // did not, rather than trusting it.
        None => Err(vec![ExprError::new(
            ExprErrorKind::Syntax,
            whole,
            "malformed expression",
        )]),
    }
}

fn unknown_name(name: Name<'_>, span: Span) -> ExprError {
    let message = if name.raw {
        format!("unknown raw input `{}`", excerpt(&name.to_string()))
    } else {
        format!("unknown name `{}`", excerpt(&name.to_string()))
    };
    ExprError::new(
        ExprErrorKind::UnknownName {
            name: name.id.to_owned(),
            raw: name.raw,
        },
        span,
        message,
    )
}

/// Peak stack depth of `ops`, or `None` if they underflow or do not leave exactly one value.
fn stack_need(ops: &[Op]) -> Option<usize> {
    let mut depth = 0usize;
    let mut peak = 0usize;
    for op in ops {
        let (popped, pushed) = op.stack_effect();
        depth = depth.checked_sub(popped)? + pushed;
        peak = peak.max(depth);
    }
    (depth == 1).then_some(peak)
}

/// Largest char boundary at or below `index`, so error spans can always slice the source.
fn floor_char_boundary(src: &str, index: usize) -> usize {
    (0..=index.min(src.len()))
        .rev()
        .find(|&i| src.is_char_boundary(i))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ones(_: Name<'_>) -> Option<Operand> {
        Some(Operand::Node(0))
    }

    // Past the text limit on purpose: a flat chain needs two stack slots however long it is.
    #[test]
    fn ten_thousand_term_sum_runs_in_two_slots() {
        let src = vec!["1"; 10_000].join("+");
        let expr = compile_limited(&src, usize::MAX, &mut ones).expect("compiles");
        assert_eq!(expr.eval(&[], &[]), 10_000.0);
        assert_eq!(
            stack_need(&[Op::Const(1.0), Op::Const(1.0), Op::Add]),
            Some(2)
        );
        let mean = format!("mean({})", vec!["x"; 10_000].join(","));
        let expr = compile_limited(&mean, usize::MAX, &mut ones).expect("compiles");
        assert_eq!(expr.eval(&[0.5], &[]), 0.5);
    }

    #[test]
    fn malformed_code_is_detected() {
        assert_eq!(stack_need(&[Op::Add]), None);
        assert_eq!(stack_need(&[Op::Const(1.0), Op::Const(1.0)]), None);
        assert_eq!(stack_need(&[]), None);
    }

    #[test]
    fn too_long_span_is_on_a_char_boundary() {
        let src = format!("{}é", "1".repeat(MAX_SOURCE_LEN - 1));
        let errors = compile(&src, &mut ones).expect_err("too long");
        assert_eq!(errors[0].kind, ExprErrorKind::TooLong);
        assert!(src.get(errors[0].span.range()).is_some());
    }
}
