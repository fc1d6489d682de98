//! Model fingerprints that survive reformatting: the canonical form of a compiled model
//! (RFC 8785 JSON after a version line) and its SHA-256. Two model files with the same
//! canonical hash mean the same thing to Vigie, however they are spelled; the file hash
//! ([`crate::Model::sha256`]) still tells which bytes were read. See `docs/audit.md`.

pub mod jcs;
mod model;
pub mod raw_units;

pub use model::canonical_value;

use crate::Model;
use crate::audit::sha256_hex;

/// Version of the canonical form, the first line of what is hashed. It changes whenever
/// the layout of the canonical JSON does, so a hash always says which layout it covers.
pub const CANONICAL_VERSION: &str = "vigie-canonical-model/1";

impl Model {
    /// The model's canonical JSON (RFC 8785), without the version line.
    pub fn canonical_json(&self) -> String {
        // The form holds finite numbers only (see `canonical_value`), so this cannot fail;
        // an error would still give a deterministic text rather than a panic.
        jcs::to_string(&canonical_value(self)).unwrap_or_else(|e| format!("\"{e}\""))
    }

    /// Exactly the bytes the canonical hash is taken over: [`CANONICAL_VERSION`], a line
    /// feed, then [`Model::canonical_json`].
    pub fn canonical_form(&self) -> String {
        format!("{CANONICAL_VERSION}\n{}", self.canonical_json())
    }

    /// SHA-256 of [`Model::canonical_form`], lowercase hex.
    pub fn canonical_sha256(&self) -> String {
        sha256_hex(self.canonical_form().as_bytes())
    }
}
