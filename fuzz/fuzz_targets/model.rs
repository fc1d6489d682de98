//! Model files: any text through the reader and validation (`Model::check`, what `vigie
//! check` runs); a model that compiles is fingerprinted and scores the template project.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vigie::{Model, SourceFile};

fuzz_target!(|data: &[u8]| {
    let Some(text) = vigie_fuzz::text(data) else {
        return;
    };
    let src = SourceFile::new("fuzz.toml", text);
    let (model, diagnostics) = Model::check(&src);
    for d in &diagnostics {
        let _ = d.to_string();
    }
    if let Some(model) = model {
        let _ = model.canonical_sha256();
        vigie_fuzz::score(&model, vigie_fuzz::template_project(), None, None);
    }
});
