//! The library's error type: what can stop a model, project or assessment from being built.

use crate::diag::Diagnostic;

/// Why a file could not be turned into something usable.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file has errors; every diagnostic found is here (warnings too).
    #[error("{} error(s) found", .0.iter().filter(|d| d.is_error()).count())]
    Invalid(Vec<Diagnostic>),
}

impl Error {
    /// The diagnostics behind the error.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Invalid(d) => d,
        }
    }
}
