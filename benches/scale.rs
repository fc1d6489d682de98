//! Criterion bench of large models: compiling, binding and scoring a model of 10,000 to
//! 100,000 indicators (tests/support/wide_model.rs), which must grow no worse than
//! n log n (issue 9; goal: under 2 s at 100,000). Run: `cargo bench --bench scale`.
//! Figures: docs/performance.md.
//!
//! Every assessment carries the model's canonical hash, which is remembered per model file
//! (by the file's SHA-256). So that each iteration pays for it as a first `vigie score`
//! does, each one reads a model text of its own (the same model, with a comment that
//! numbers the iteration).

#[path = "../tests/support/wide_model.rs"]
mod wide_model;

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use vigie::{Model, Project, SourceFile, bind, engine};
use wide_model::Shape;

/// What `vigie score` does between reading the files and rendering: compile the model,
/// read the project, bind, assess (with the canonical hash).
fn compile_bind_score(model: &SourceFile, project: &SourceFile) -> vigie::Assessment {
    let (model, _) = Model::from_source(model).expect("model");
    let (project, _) = Project::from_source(project).expect("project");
    let (bound, _) = bind::bind(&model, &project);
    engine::assess(
        &model,
        &project,
        &bound.expect("binds"),
        &model.default_params(),
    )
    .expect("scores")
}

/// A source of `text` that no earlier iteration has read (see the module documentation).
fn fresh(text: &str, k: &mut usize) -> SourceFile {
    *k += 1;
    SourceFile::new("wide.toml", format!("{text}# iteration {k}\n"))
}

fn scale(c: &mut Criterion) {
    let mut group = c.benchmark_group("scale");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    let mut k = 0;
    for (n, shape) in [
        (10_000, Shape::Tree),
        (20_000, Shape::Tree),
        (40_000, Shape::Tree),
        (100_000, Shape::Tree),
        (100_000, Shape::Flat),
        (100_000, Shape::Groups),
    ] {
        let (model, project) = wide_model::wide_model(n, shape);
        let project = SourceFile::new("wide-project.toml", project);
        group.bench_function(
            BenchmarkId::new("compile_bind_score", format!("{n}_{}", shape.name())),
            |b| {
                b.iter_batched(
                    || fresh(&model, &mut k),
                    |src| compile_bind_score(black_box(&src), &project),
                    BatchSize::PerIteration,
                )
            },
        );
    }

    // The parts, at 100,000 indicators in sqrt(n) groups.
    let (model_text, project_text) = wide_model::wide_model(100_000, Shape::Tree);
    let src = SourceFile::new("wide.toml", model_text);
    let psrc = SourceFile::new("wide-project.toml", project_text);
    group.bench_function("compile/100000_tree", |b| {
        b.iter(|| Model::from_source(black_box(&src)).expect("model"))
    });
    let (model, _) = Model::from_source(&src).expect("model");
    group.bench_function("canonical_json/100000_tree", |b| {
        b.iter(|| black_box(&model).canonical_json())
    });
    let (project, _) = Project::from_source(&psrc).expect("project");
    group.bench_function("bind/100000_tree", |b| {
        b.iter(|| bind::bind(black_box(&model), &project))
    });
    let (bound, _) = bind::bind(&model, &project);
    let bound = bound.expect("binds");
    let params = model.default_params();
    // The canonical hash is remembered after the first call: this is the assessment alone.
    group.bench_function("assess_hash_remembered/100000_tree", |b| {
        b.iter(|| engine::assess(black_box(&model), &project, &bound, &params).expect("scores"))
    });
    group.finish();
}

criterion_group!(benches, scale);
criterion_main!(benches);
