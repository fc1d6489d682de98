//! Compile errors: what went wrong, where in the formula, and a message for the model author.

use core::fmt;

use super::Span;

/// The kind of a compile error, for callers that react to specific problems.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExprErrorKind {
    /// The text does not follow the grammar: an unexpected character or token, a missing
    /// operand or parenthesis, a malformed or out-of-range number, a chained comparison.
    Syntax,
    /// The resolver did not know this name (`raw` is true for `raw.` names).
    UnknownName {
        /// The identifier, without `raw.`.
        name: String,
        /// Whether it was written `raw.name`.
        raw: bool,
    },
    /// A call to something that is not a built-in function.
    UnknownFunction(String),
    /// A built-in function called with the wrong number of arguments.
    Arity {
        /// The function's name.
        function: String,
        /// What it accepts, in words: `"3"`, `"1 or 2"`, `"at least 1"`.
        expected: String,
        /// How many arguments were given.
        found: usize,
    },
    /// Nesting deeper than [`super::MAX_DEPTH`], or an evaluation needing more than
    /// [`super::MAX_STACK`] stack slots.
    TooDeep,
    /// Text longer than [`super::MAX_SOURCE_LEN`] bytes.
    TooLong,
    /// The second argument of `round` is not an integer literal from 0 to 15.
    BadRoundDigits,
}

/// One problem found by [`super::compile`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExprError {
    /// What kind of problem.
    pub kind: ExprErrorKind,
    /// Where in the formula text.
    pub span: Span,
    /// Human-readable description: lowercase start, no trailing period.
    pub message: String,
}

impl ExprError {
    pub(crate) fn new(kind: ExprErrorKind, span: Span, message: impl Into<String>) -> Self {
        Self {
            kind,
            span,
            message: message.into(),
        }
    }
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (bytes {}..{})",
            self.message, self.span.start, self.span.end
        )
    }
}

impl std::error::Error for ExprError {}
