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
        model::canonical_text(self).unwrap_or_else(|e| format!("\"{e}\""))
    }

    /// Exactly the bytes the canonical hash is taken over: [`CANONICAL_VERSION`], a line
    /// feed, then [`Model::canonical_json`].
    pub fn canonical_form(&self) -> String {
        format!("{CANONICAL_VERSION}\n{}", self.canonical_json())
    }

    /// SHA-256 of [`Model::canonical_form`], lowercase hex. Every assessment carries it, so
    /// it is remembered per model file (see [`memo`]): a server scoring many projects with
    /// one model builds the form once.
    pub fn canonical_sha256(&self) -> String {
        memo::get_or_compute(self.sha256(), || {
            sha256_hex(self.canonical_form().as_bytes())
        })
    }
}

/// Canonical hashes already computed, by the hash of the file they were compiled from.
///
/// A model is only ever compiled from a file's text and never changed afterwards, so its
/// canonical form is a function of that text: the file's SHA-256 identifies it. Building
/// the form takes a few hundred microseconds, more than scoring a project.
mod memo {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};

    /// Distinct model files remembered before the memo starts afresh (a bound, so a
    /// process compiling endless variants of a model cannot grow it without end).
    const CAPACITY: usize = 1024;

    static MEMO: OnceLock<Mutex<HashMap<String, String>>> = OnceLock::new();

    pub(super) fn get_or_compute(file_sha256: &str, compute: impl FnOnce() -> String) -> String {
        let memo = MEMO.get_or_init(|| Mutex::new(HashMap::new()));
        // A poisoned lock only means another thread panicked while holding it; the map
        // holds finished strings only, so it is still sound, but computing afresh is
        // simpler to trust.
        if let Some(hit) = memo.lock().ok().and_then(|m| m.get(file_sha256).cloned()) {
            return hit;
        }
        let value = compute();
        if let Ok(mut m) = memo.lock() {
            if m.len() >= CAPACITY {
                m.clear();
            }
            m.insert(file_sha256.to_string(), value.clone());
        }
        value
    }
}
