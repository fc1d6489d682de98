//! Inputs that made a fuzz target (`fuzz/fuzz_targets/`) fail, replayed here as the target
//! runs them, so that a fixed crash stays fixed without a nightly toolchain. Each input is a
//! file under `tests/fixtures/fuzz/<target>/`, named after what it pins; each test says why.
//! Adding one: docs/security.md, "Fuzzing".

use vigie::{Model, Project, SourceFile};

fn fixture(target: &str, name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/fuzz/{target}/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn shipped(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// What `fuzz/src/lib.rs`'s `score` holds every assessment to: a finite score and finite
/// contributions (issue 9 §1: what `check` accepts never scores into `null`).
fn assert_scores_finitely(model: &Model, project: &Project) {
    let Ok(a) = vigie::score_with_data(model, project, None, None) else {
        return;
    };
    assert!(a.score.is_finite(), "score {} accepted", a.score);
    for c in &a.contributions {
        assert!(c.points.is_finite(), "contribution {c:?} accepted");
    }
}

/// The `model` target: check the text; a model that compiles is fingerprinted and scores
/// the template project.
fn model_target(text: &str) {
    let (model, diagnostics) = Model::check(&SourceFile::new("fuzz.toml", text));
    for d in &diagnostics {
        let _ = d.to_string();
    }
    if let Some(model) = model {
        let _ = model.canonical_sha256();
        let project =
            Project::from_toml("project.toml", &shipped("models/template/project.toml")).unwrap();
        assert_scores_finitely(&model, &project);
    }
}

/// Weights near f64::MAX sum to infinity, so every share was NaN and the group dropped out
/// of the score in silence: `check` now rejects every model number beyond 1e100 (VG043),
/// located. Found by hand with the model target's finite-score check, not by a fuzz run.
#[test]
fn model_weights_near_f64_max_are_rejected_not_scored_into_nan() {
    let text = fixture("model", "weights-near-f64-max.toml");
    model_target(&text);
    let (model, diagnostics) = Model::check(&SourceFile::new("fuzz.toml", &text));
    assert!(model.is_none());
    assert!(
        diagnostics
            .iter()
            .any(|d| d.code == vigie::Code::NumberRange),
        "{diagnostics:?}"
    );
}
