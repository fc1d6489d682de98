//! The JSON that `vigie verify` reads back: any bytes, as text, through the library's
//! parser of verify inputs (`vigie::audit::parse_verify_input`), which checks the audit
//! block's shape and bounds its counts before `verify` opens any file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match vigie::audit::parse_verify_input(text) {
        // What verify prints of a record, and of an error, must not panic either.
        Ok(record) => {
            let _ = format!("{record:?}");
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
