//! The compiled form: postfix bytecode, the [`Expr`] that owns it, and its allocation-free interpreter.

use core::fmt;

use super::{MAX_STACK, Operand};
use crate::rounding::round_half_away;

/// One bytecode instruction. Operands are popped right-most first, so `a b Sub` is `a - b`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Op {
    Const(f64),
    Node(u32),
    Raw(u32),
    Neg,
    Not,
    Abs,
    Exp,
    Ln,
    /// Spreadsheet rounding to this many decimals (0..=15, checked by the parser).
    Round(u8),
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    And,
    Or,
    /// NaN-propagating binary minimum; `min(a, b, c)` compiles to `a b Min c Min`.
    Min,
    /// NaN-propagating binary maximum.
    Max,
    /// `c a b If`.
    If,
    /// `x lo hi Clamp`.
    Clamp,
}

impl Op {
    /// `(popped, pushed)`: lets the compiler bound the stack before anything runs.
    pub(crate) const fn stack_effect(self) -> (usize, usize) {
        match self {
            Self::Const(_) | Self::Node(_) | Self::Raw(_) => (0, 1),
            Self::Neg | Self::Not | Self::Abs | Self::Exp | Self::Ln | Self::Round(_) => (1, 1),
            Self::If | Self::Clamp => (3, 1),
            Self::Add
            | Self::Sub
            | Self::Mul
            | Self::Div
            | Self::Pow
            | Self::Lt
            | Self::Le
            | Self::Gt
            | Self::Ge
            | Self::Eq
            | Self::Ne
            | Self::And
            | Self::Or
            | Self::Min
            | Self::Max => (2, 1),
        }
    }
}

/// A compiled formula: flat postfix bytecode plus the text it came from.
///
/// Cheap to evaluate many times: [`Expr::eval`] neither allocates nor panics. Only [`super::compile`]
/// builds one, which guarantees the bytecode is well formed and fits the evaluation stack.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    source: Box<str>,
    ops: Box<[Op]>,
}

impl Expr {
    /// Only called by the compiler after it has checked `ops` (stack balance and bound).
    pub(crate) fn new(source: &str, ops: Vec<Op>) -> Self {
        Self {
            source: source.into(),
            ops: ops.into_boxed_slice(),
        }
    }

    /// Evaluates the formula. `nodes[i]` is the value of [`Operand::Node(i)`](Operand::Node),
    /// `raw[i]` that of [`Operand::Raw(i)`](Operand::Raw); an index outside its slice reads as
    /// NaN (missing). See the module documentation for the semantics.
    #[must_use]
    pub fn eval(&self, nodes: &[f64], raw: &[f64]) -> f64 {
        let mut stack = Stack::new();
        for &op in &self.ops {
            match op {
                Op::Const(value) => stack.push(value),
                Op::Node(index) => stack.push(lookup(nodes, index)),
                Op::Raw(index) => stack.push(lookup(raw, index)),
                Op::Neg => stack.unary(|a| -a),
                Op::Not => stack.unary(not),
                Op::Abs => stack.unary(f64::abs),
                Op::Exp => stack.unary(f64::exp),
                Op::Ln => stack.unary(ln),
                Op::Round(decimals) => stack.unary(|a| round_half_away(a, i32::from(decimals))),
                Op::Add => stack.binary(|a, b| a + b),
                Op::Sub => stack.binary(|a, b| a - b),
                Op::Mul => stack.binary(|a, b| a * b),
                Op::Div => stack.binary(div),
                Op::Pow => stack.binary(pow),
                Op::Lt => stack.binary(|a, b| compare(a, b, a < b)),
                Op::Le => stack.binary(|a, b| compare(a, b, a <= b)),
                Op::Gt => stack.binary(|a, b| compare(a, b, a > b)),
                Op::Ge => stack.binary(|a, b| compare(a, b, a >= b)),
                Op::Eq => stack.binary(|a, b| compare(a, b, a == b)),
                Op::Ne => stack.binary(|a, b| compare(a, b, a != b)),
                Op::And => stack.binary(and),
                Op::Or => stack.binary(or),
                Op::Min => stack.binary(|a, b| if_known(a, b, a.min(b))),
                Op::Max => stack.binary(|a, b| if_known(a, b, a.max(b))),
                Op::If => stack.ternary(choose),
                Op::Clamp => stack.ternary(clamp),
            }
        }
        stack.pop()
    }

    /// Every name the formula references, in order of appearance (repeats included), for
    /// dependency ordering.
    pub fn operands(&self) -> impl Iterator<Item = Operand> + '_ {
        self.ops.iter().filter_map(|op| match *op {
            Op::Node(index) => Some(Operand::Node(index)),
            Op::Raw(index) => Some(Operand::Raw(index)),
            _ => None,
        })
    }

    /// The formula's value if it references no names (`true`, `2 * 3`), for static checks.
    #[must_use]
    pub fn is_constant(&self) -> Option<f64> {
        self.operands()
            .next()
            .is_none()
            .then(|| self.eval(&[], &[]))
    }

    /// The text the formula was compiled from, for explanations.
    #[must_use]
    pub fn source(&self) -> &str {
        &self.source
    }
}

/// Shows the original text.
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

/// Fixed-size evaluation stack on the Rust stack. The compiler proves every [`Expr`] stays
/// within bounds; the checks here only make a broken invariant produce NaN instead of a panic.
struct Stack {
    slots: [f64; MAX_STACK],
    len: usize,
}

impl Stack {
    const fn new() -> Self {
        Self {
            slots: [0.0; MAX_STACK],
            len: 0,
        }
    }

    #[inline]
    fn push(&mut self, value: f64) {
        if let Some(slot) = self.slots.get_mut(self.len) {
            *slot = value;
            self.len += 1;
        }
    }

    #[inline]
    fn pop(&mut self) -> f64 {
        match self.len.checked_sub(1) {
            Some(top) => {
                self.len = top;
                self.slots.get(top).copied().unwrap_or(f64::NAN)
            }
            None => f64::NAN,
        }
    }

    #[inline]
    fn unary(&mut self, f: impl Fn(f64) -> f64) {
        let a = self.pop();
        self.push(f(a));
    }

    #[inline]
    fn binary(&mut self, f: impl Fn(f64, f64) -> f64) {
        let b = self.pop();
        let a = self.pop();
        self.push(f(a, b));
    }

    #[inline]
    fn ternary(&mut self, f: impl Fn(f64, f64, f64) -> f64) {
        let c = self.pop();
        let b = self.pop();
        let a = self.pop();
        self.push(f(a, b, c));
    }
}

fn lookup(values: &[f64], index: u32) -> f64 {
    usize::try_from(index)
        .ok()
        .and_then(|i| values.get(i))
        .copied()
        .unwrap_or(f64::NAN)
}

const fn truth(value: bool) -> f64 {
    if value { 1.0 } else { 0.0 }
}

/// Definitely true: non-zero and known.
fn is_true(value: f64) -> bool {
    value != 0.0 && !value.is_nan()
}

/// `result` unless either operand is unknown.
fn if_known(a: f64, b: f64, result: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        result
    }
}

fn compare(a: f64, b: f64, holds: bool) -> f64 {
    if_known(a, b, truth(holds))
}

fn not(a: f64) -> f64 {
    if a.is_nan() {
        f64::NAN
    } else {
        truth(a == 0.0)
    }
}

/// Kleene AND: a known false decides, whatever the other side is.
fn and(a: f64, b: f64) -> f64 {
    if a == 0.0 || b == 0.0 {
        0.0
    } else {
        if_known(a, b, 1.0)
    }
}

/// Kleene OR: a known true decides, whatever the other side is.
fn or(a: f64, b: f64) -> f64 {
    if is_true(a) || is_true(b) {
        1.0
    } else {
        if_known(a, b, 0.0)
    }
}

/// A ratio with an empty denominator is unknown, not infinite.
fn div(a: f64, b: f64) -> f64 {
    if b == 0.0 { f64::NAN } else { a / b }
}

/// IEEE `pow` gives `NaN^0 = 1` and `1^NaN = 1`; a missing operand must stay missing.
fn pow(a: f64, b: f64) -> f64 {
    if_known(a, b, a.powf(b))
}

/// `ln` of a non-positive number is undefined; NaN rather than `-inf` keeps it "unknown".
fn ln(a: f64) -> f64 {
    if a > 0.0 { a.ln() } else { f64::NAN }
}

/// `if(c, a, b)`: the unchosen branch is discarded, so its NaN cannot leak.
fn choose(condition: f64, then: f64, otherwise: f64) -> f64 {
    if condition.is_nan() {
        f64::NAN
    } else if condition != 0.0 {
        then
    } else {
        otherwise
    }
}

/// `f64::clamp` panics when `lo > hi`; here an impossible range is NaN instead.
fn clamp(x: f64, lo: f64, hi: f64) -> f64 {
    if x.is_nan() || lo.is_nan() || hi.is_nan() || lo > hi {
        f64::NAN
    } else {
        x.max(lo).min(hi)
    }
}
