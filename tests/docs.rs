//! The documentation keeps up with the code: every diagnostic code is in the one table of
//! codes, and every shipped model passes `check` as the docs promise.

use vigie::Code;

/// A code that is not documented is a code no auditor can look up.
#[test]
fn every_diagnostic_code_is_in_the_codes_table() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/model-format.md"))
        .unwrap();
    let table = doc
        .split("## Diagnostic codes")
        .nth(1)
        .expect("a Diagnostic codes section");
    for code in Code::ALL {
        let row = format!("| `{}` |", code.as_str());
        assert!(
            table.contains(&row),
            "{} is missing from the codes table",
            code.as_str()
        );
    }
}
