//! Criterion bench of the evaluation kernel on the worked example: the model is compiled
//! once, the project bound once, then `evaluate` runs in a loop with one workspace.
//! Run: `cargo bench --bench evaluate`. Figures: docs/performance.md.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use vigie::derive::{EventData, PositionData};
use vigie::uncertainty::distribution::Distribution;
use vigie::{Model, Project, SourceFile, Workspace, bind, evaluate};

fn read(path: &str) -> SourceFile {
    let full = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    SourceFile::new(path, std::fs::read_to_string(full).expect("shipped file"))
}

/// Binds the worked example with its data files, as `vigie score` does.
fn bind_worked_example(model: &Model, project: &Project) -> vigie::bind::Bound {
    let bytes =
        |p: &str| std::fs::read(format!("{}/{p}", env!("CARGO_MANIFEST_DIR"))).expect("data file");
    let events = EventData::from_bytes(
        "events.csv",
        &bytes("models/examples/data/events-western-mali-2025.csv"),
        &model.read_options(),
    )
    .expect("events");
    let positions = PositionData::from_bytes(
        "positions.csv",
        &bytes("models/examples/data/deployments-mali.csv"),
    )
    .expect("positions");
    let as_of = vigie::events::date_to_days(project.as_of);
    let prepared = vigie::derive::prepare(
        model,
        project,
        as_of,
        false,
        Some(&events),
        Some(&positions),
    );
    let (bound, _) = bind::bind_with(model, project, prepared.values, prepared.files);
    bound.expect("the worked example binds")
}

fn worked_example(c: &mut Criterion) {
    let model_src = read("models/sahel-infrastructure.toml");
    let project_src = read("models/examples/covec-kayes.toml");
    let (model, _) = Model::from_source(&model_src).expect("model");
    let (project, _) = Project::from_source(&project_src).expect("project");
    let bound = bind_worked_example(&model, &project);
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

/// 100,000 Monte Carlo draws of the worked example as `vigie simulate` makes them (its
/// four ranged inputs, the model's Dirichlet weights and two alternatives, the exposure,
/// and the expected loss of every draw in Decimal), on 1 and 2 threads, without file
/// reading; then the same with the four inputs drawn from PERT distributions (a scaled
/// Beta, whose quantile is the costliest the engine has).
fn simulation(c: &mut Criterion) {
    let model_src = read("models/sahel-infrastructure.toml");
    let project_src = read("models/examples/covec-kayes.toml");
    let (model, _) = Model::from_source(&model_src).expect("model");
    let (project, _) = Project::from_source(&project_src).expect("project");
    let bound = bind_worked_example(&model, &project);
    let mut g = c.benchmark_group("simulate");
    g.sample_size(20);
    for threads in [1, 2] {
        g.bench_function(format!("covec-kayes/100k_draws_{threads}_threads"), |b| {
            b.iter(|| {
                vigie::uncertainty::report::simulate(
                    &model,
                    &project,
                    &bound,
                    100_000,
                    1,
                    threads,
                    Default::default(),
                )
            })
        });
    }
    let mut pert = project.clone();
    for v in &mut pert.values {
        if let (Some(low), Some(high)) = (v.low, v.high) {
            let mode = low + 0.3 * (high - low);
            v.distribution = Some(Distribution::pert(low, mode, high).expect("pert"));
        }
    }
    g.bench_function("covec-kayes-pert/100k_draws_1_threads", |b| {
        b.iter(|| {
            vigie::uncertainty::report::simulate(
                &model,
                &pert,
                &bound,
                100_000,
                1,
                1,
                Default::default(),
            )
        })
    });
    g.finish();
}

/// Cost of one draw of each distribution (inverse CDF of a fixed spread of uniforms),
/// and of the Gamma variates behind Dirichlet weights.
fn distributions(c: &mut Criterion) {
    let us: Vec<f64> = (1..=1000).map(|k| (k as f64 - 0.5) / 1000.0).collect();
    let dists = [
        ("uniform", Distribution::uniform(0.0, 10.0).unwrap()),
        (
            "triangular",
            Distribution::triangular(0.0, 3.0, 10.0).unwrap(),
        ),
        ("pert", Distribution::pert(0.0, 3.0, 10.0).unwrap()),
        (
            "normal",
            Distribution::normal(5.0, 2.0, None, None).unwrap(),
        ),
        (
            "normal_truncated",
            Distribution::normal(5.0, 2.0, Some(0.0), Some(6.0)).unwrap(),
        ),
        ("lognormal", Distribution::lognormal(1.0, 0.5).unwrap()),
        ("beta", Distribution::beta(2.0, 5.0, 0.0, 1.0).unwrap()),
    ];
    let mut g = c.benchmark_group("quantile_x1000");
    for (name, d) in &dists {
        g.bench_function(*name, |b| {
            b.iter(|| us.iter().map(|&u| d.quantile(black_box(u))).sum::<f64>())
        });
    }
    // statrs's Gamma inverse CDF, the alternative this crate measured itself against
    // (docs/performance.md), at a small, the Dirichlet's usual, and a large shape.
    for shape in [0.5, 9.0, 60.0] {
        let ours = format!("gamma_quantile_shape_{shape}");
        let theirs = format!("statrs_gamma_quantile_shape_{shape}");
        g.bench_function(&ours, |b| {
            b.iter(|| {
                us.iter()
                    .map(|&u| vigie::uncertainty::gamma::gamma_quantile(shape, black_box(u)))
                    .sum::<f64>()
            })
        });
        let statrs_gamma = statrs::distribution::Gamma::new(shape, 1.0).unwrap();
        g.bench_function(&theirs, |b| {
            use statrs::distribution::ContinuousCDF;
            b.iter(|| {
                us.iter()
                    .map(|&u| statrs_gamma.inverse_cdf(black_box(u)))
                    .sum::<f64>()
            })
        });
    }
    g.bench_function("gamma_draw_shape_9", |b| {
        let mut rng = vigie::uncertainty::streams::stream(1, 0);
        let mut sampler = vigie::uncertainty::gamma::GammaSampler::new();
        b.iter(|| {
            (0..1000)
                .map(|_| sampler.draw(black_box(9.0), &mut rng))
                .sum::<f64>()
        })
    });
    g.finish();
}

criterion_group!(benches, worked_example, simulation, distributions);
criterion_main!(benches);
