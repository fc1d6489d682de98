//! Money from a risk score: the model's `[finance]` section (PD mapping, LGD, mitigants,
//! slotting categories), expected loss over a horizon, and Basel capital (supervisory
//! slotting and the IRB formula). Probabilities are f64; money is `Decimal` throughout.

pub mod basel;
pub mod currency;
pub mod loss;
pub mod money;
pub(crate) mod read;
pub mod spec;
