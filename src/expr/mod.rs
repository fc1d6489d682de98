//! Vigie's formula language: small, side-effect-free expressions for group formulas and rule conditions.
//!
//! ```text
//! if(political_violence >= 8, political_violence, mean(political_violence, conflict_probability))
//! raw.attacks_100km_12m >= 3 and raw.distance_to_army_km > 150
//! ```
//!
//! A formula is [`compile`]d once (names resolved through a callback, errors collected) into an
//! [`Expr`]: flat postfix bytecode that [`Expr::eval`] runs without allocating.
//!
//! # Syntax
//!
//! * Numbers: `1`, `1.5`, `.5`, `1e3`, `2.5E-2`. `1.` and `1.e3` are rejected (write `1` or
//!   `1.0`), as are literals that overflow to infinity.
//! * `true` and `false` are `1` and `0`.
//! * Names: `[A-Za-z_][A-Za-z0-9_]*`, resolved to a node's score. `raw.name` (no spaces) names
//!   the raw input value instead. Keywords are lowercase; `raw` alone is an ordinary name.
//! * Operators, lowest precedence first:
//!
//!   | operators | kind |
//!   |---|---|
//!   | `or` | left-associative |
//!   | `and` | left-associative |
//!   | `not` | prefix |
//!   | `<` `<=` `>` `>=` `==` `!=` | non-associative: `a < b < c` is an error |
//!   | `+` `-` | left-associative |
//!   | `*` `/` | left-associative |
//!   | `-` | prefix |
//!   | `^` | right-associative, tighter than prefix `-`: `-2^2 = -4`, `2^3^2 = 512`, `2^-1 = 0.5` |
//!
//!   Because `not` sits below the comparisons, `not a < b` means `not (a < b)`, and `not` cannot
//!   appear directly as an operand of arithmetic (`1 + not a` needs parentheses).
//! * Calls to built-in functions only: `if(c, a, b)`, `min(a, ...)`, `max(a, ...)`,
//!   `mean(a, ...)` (one or more arguments), `round(x)`, `round(x, d)` (`d` an integer literal
//!   `0..=15`), `ln(x)`, `exp(x)`, `abs(x)`, `clamp(x, lo, hi)`. A name followed by `(` is a
//!   call, so a node may be called `mean` as long as it is not followed by `(`.
//!
//! # Values and missing data
//!
//! Every value is an `f64`. Booleans are `1.0` (true) and `0.0` (false); a value counts as true
//! when it is non-zero and not NaN. A missing value is NaN and means "unknown":
//!
//! * arithmetic (including `^`: `NaN^0` and `1^NaN` are NaN, unlike IEEE `pow`), comparisons
//!   and `not` on NaN give NaN;
//! * `and`/`or` use three-valued (Kleene) logic: `false and NaN = false`, `true or NaN = true`,
//!   any other combination involving NaN is NaN; otherwise the result is `1.0` or `0.0`;
//! * `if(c, a, b)` is NaN when `c` is NaN, otherwise exactly the chosen branch: both branches
//!   are evaluated (there are no side effects) but the other one's value, NaN or not, is dropped;
//! * `min`, `max`, `mean` and `clamp` give NaN if any argument is NaN. `mean` is the sum divided
//!   by the count, so it can overflow to infinity near `f64::MAX`. `clamp(x, lo, hi)` with
//!   `lo > hi` is NaN (an impossible range is not silently resolved);
//! * division by zero (including `0 / 0`) is NaN: a ratio with an empty denominator is unknown,
//!   not infinite;
//! * `ln(x)` for `x <= 0` is NaN rather than `-inf`;
//! * other non-finite results follow IEEE 754 and are passed on: `exp(1000)` and `10^400` are
//!   `+inf`, `(-8)^(1/3)` is NaN. Callers decide what a non-finite score means;
//! * `round` is spreadsheet rounding: [`crate::rounding::round_half_away`].
//!
//! # Limits
//!
//! Formulas come from model files, so nothing in them may crash or exhaust the host:
//!
//! * at most [`MAX_SOURCE_LEN`] bytes of text ([`ExprErrorKind::TooLong`]);
//! * at most [`MAX_DEPTH`] levels of nesting ([`ExprErrorKind::TooDeep`]). Each parenthesis,
//!   function call, prefix `-`/`not` and each `^` in a right-associative chain is one level.
//!   The parser checks the limit before it recurses, so `((((…` of any length is an error and
//!   never a stack overflow. Left-associative chains of one precedence level (`1 + 1 + … + 1`)
//!   are parsed in a loop, need two stack slots, and are limited only by the text length;
//! * at most [`MAX_STACK`] evaluation-stack slots, computed at compile time
//!   ([`ExprErrorKind::TooDeep`]). `min`, `max` and `mean` are compiled as running folds, so
//!   their argument count does not consume stack.

mod compile;
mod error;
mod eval;
mod lexer;
mod normal_form;
mod parser;

use core::fmt;
use core::ops::Range;

pub use compile::compile;
pub use error::{ExprError, ExprErrorKind};
pub use eval::Expr;

/// Longest accepted formula, in bytes.
pub const MAX_SOURCE_LEN: usize = 4096;

/// Deepest accepted nesting (parentheses, calls, prefix operators, `^` chains).
pub const MAX_DEPTH: usize = 32;

/// Evaluation-stack slots available to [`Expr::eval`], which keeps its stack in a fixed array.
pub const MAX_STACK: usize = 64;

/// Byte range of a piece of the formula text, for pointing at errors. Always on `char`
/// boundaries, so `&src[span.range()]` is valid.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The span as a range, for slicing the source.
    #[must_use]
    pub const fn range(self) -> Range<usize> {
        self.start..self.end
    }
}

impl From<Span> for Range<usize> {
    fn from(span: Span) -> Self {
        span.range()
    }
}

/// A name as written in a formula, handed to the resolver of [`compile`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Name<'a> {
    /// `true` for `raw.id`: the raw input value rather than the node's score.
    pub raw: bool,
    /// The identifier, without any `raw.` prefix.
    pub id: &'a str,
}

impl fmt::Display for Name<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.raw {
            write!(f, "raw.{}", self.id)
        } else {
            f.write_str(self.id)
        }
    }
}

/// What a name resolves to: an index into one of the two slices given to [`Expr::eval`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operand {
    /// `nodes[i]`: a node's score.
    Node(u32),
    /// `raw[i]`: a raw input value.
    Raw(u32),
}
