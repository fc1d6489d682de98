//! Audit facts attached to every output: file fingerprints and the engine's version, so an
//! auditor can tell exactly which model, project and engine produced a number.

use sha2::{Digest, Sha256};

/// The engine version, from the package manifest.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// SHA-256 of bytes, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// A digest as lowercase hex.
pub fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn sha256_of_abc_is_the_fips_vector() {
        assert_eq!(
            super::sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
