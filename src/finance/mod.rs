//! Money from a risk score: Basel capital (supervisory slotting and the IRB formula) now;
//! PD mappings, LGD, mitigants and expected loss will join it.

pub mod basel;
