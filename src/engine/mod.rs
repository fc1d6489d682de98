//! The engine: the evaluation kernel every analysis calls, and the assessment built from one
//! evaluation for people to read.

pub mod assess;
mod attribution;
mod clamping;
pub mod eval;
pub mod quality;

pub use assess::{Assessment, assess};
pub use eval::{EvalError, Outcome, RuleState, Workspace, evaluate, flags};
