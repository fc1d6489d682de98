//! Criterion bench of the evaluation kernel on the worked example: the model is compiled
//! once, the project bound once, then `evaluate` runs in a loop with one workspace.
//! Run: `cargo bench --bench evaluate`. Figures: docs/performance.md.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use vigie::{Model, Project, SourceFile, Workspace, bind, evaluate};

fn read(path: &str) -> SourceFile {
    let full = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    SourceFile::new(path, std::fs::read_to_string(full).expect("shipped file"))
}

fn worked_example(c: &mut Criterion) {
    let model_src = read("models/sahel-infrastructure.toml");
    let project_src = read("models/examples/covec-kayes.toml");
    let (model, _) = Model::from_source(&model_src).expect("model");
    let (project, _) = Project::from_source(&project_src).expect("project");
    let (bound, _) = bind::bind(&model, &project);
    let bound = bound.expect("bound");
    let params = model.default_params();
    let mut ws = Workspace::new(&model);

    c.bench_function("evaluate/covec-kayes", |b| {
        b.iter(|| {
            evaluate(
                black_box(&model),
                black_box(&bound.values),
                &params,
                &mut ws,
            )
            .expect("score")
        })
    });
    c.bench_function("compile/sahel-infrastructure", |b| {
        b.iter(|| Model::from_source(black_box(&model_src)).expect("model"))
    });

    let hdi_src = read("models/hdi.toml");
    let (hdi, _) = Model::from_source(&hdi_src).expect("hdi");
    let inputs = [62.9, 10.7, 2.5, 1335.2];
    let mut ws = Workspace::new(&hdi);
    let params = hdi.default_params();
    c.bench_function("evaluate/hdi", |b| {
        b.iter(|| evaluate(black_box(&hdi), black_box(&inputs), &params, &mut ws).expect("score"))
    });
}

criterion_group!(benches, worked_example);
criterion_main!(benches);
