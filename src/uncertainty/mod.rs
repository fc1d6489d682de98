//! Uncertainty: reproducible random streams, sampling distributions, and summaries of
//! simulated scores.

pub mod distribution;
pub mod gamma;
pub mod money_stats;
pub mod report;
pub mod sensitivity;
pub mod simulate;
pub mod stats;
pub mod streams;
