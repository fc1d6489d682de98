//! `vigie fingerprint MODEL`: the model's two fingerprints, the SHA-256 of the file's
//! bytes and that of its canonical content (see docs/audit.md), or, with `--canonical`,
//! the canonical form itself.

use serde::Serialize;
use vigie::Model;
use vigie::canonical::CANONICAL_VERSION;

use crate::EXIT_CANNOT_RUN;
use crate::args::{AuditFormat, FingerprintArgs};
use crate::load::load_model;
use crate::render::Style;

/// The JSON output; field names follow the assessment's `audit` block.
#[derive(Serialize)]
struct Fingerprint<'a> {
    model_file: &'a str,
    model_id: &'a str,
    model_version: String,
    model_sha256: &'a str,
    model_canonical_sha256: String,
    canonical_version: &'static str,
}

pub fn run(a: &FingerprintArgs, style: Style) -> u8 {
    let model = match load_model(&a.model, style) {
        Ok(m) => m,
        Err(message) => {
            eprint!("{message}");
            return EXIT_CANNOT_RUN;
        }
    };
    let text = if a.canonical {
        // Exactly the bytes hashed, with no newline added: `vigie fingerprint --canonical
        // MODEL | sha256sum` gives the canonical hash.
        model.canonical_form()
    } else {
        match render(&model, a.format) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{e}");
                return EXIT_CANNOT_RUN;
            }
        }
    };
    crate::print(&text)
}

fn render(model: &Model, format: AuditFormat) -> Result<String, String> {
    let meta = model.meta();
    let f = Fingerprint {
        model_file: model.origin(),
        model_id: &meta.id,
        model_version: meta.version.to_string(),
        model_sha256: model.sha256(),
        model_canonical_sha256: model.canonical_sha256(),
        canonical_version: CANONICAL_VERSION,
    };
    Ok(match format {
        AuditFormat::Json => {
            serde_json::to_string_pretty(&f).map_err(|e| format!("error: {e}"))? + "\n"
        }
        AuditFormat::Table => format!(
            "Model {} {} ({})\n\
             File       sha256 {}  (the file's bytes)\n\
             Canonical  sha256 {}  ({}: the model's content, however written)\n",
            f.model_id,
            f.model_version,
            f.model_file,
            f.model_sha256,
            f.model_canonical_sha256,
            f.canonical_version
        ),
    })
}
