//! The JSON that `vigie verify` reads back: any bytes parsed as JSON, then the audit
//! block's fields read as the binary reads them (files, hashes, data files, invocation).
//!
//! TODO(lead): `vigie verify` parses its JSON in the binary (src/bin/vigie/verify.rs) on
//! this branch; another branch of issue 9 moves that into a library function. After the
//! merge, call that function here instead of `audit_fields` (and drop `audit_fields`), so
//! the target fuzzes the real parser, including its limits on counts such as `--draws`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;

/// What the binary reads from an audit block today.
fn audit_fields(json: &Value) -> Option<usize> {
    let audit = json.get("audit").filter(|a| a.is_object())?;
    let mut named = 0;
    for role in ["model", "project"] {
        let file = audit[format!("{role}_file")].as_str();
        let hash = audit[format!("{role}_sha256")].as_str();
        named += usize::from(file.is_some() && hash.is_some());
    }
    for d in audit["data_files"].as_array().into_iter().flatten() {
        let ok = d["kind"].as_str().is_some()
            && d["file"].as_str().is_some()
            && d["sha256"].as_str().is_some();
        named += usize::from(ok);
    }
    let _ = audit["engine_version"].as_str();
    let _ = audit["model_canonical_sha256"].as_str();
    let args = audit["invocation"].as_array()?;
    Some(named + args.iter().filter_map(Value::as_str).count())
}

fuzz_target!(|data: &[u8]| {
    let Ok(json) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let _ = audit_fields(&json);
    // What verify prints where outputs differ walks the whole value.
    let _ = json.to_string();
});
