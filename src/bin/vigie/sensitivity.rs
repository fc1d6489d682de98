//! `vigie sensitivity MODEL PROJECT`: which uncertain inputs, weights and model choices
//! move the score: a tornado (each at its low and high end, the others at nominal) and
//! Sobol indices.

use vigie::model::WeightUncertainty;
use vigie::sensitivity::SobolConfig;
use vigie::uncertainty::report::ModelDraws;
use vigie::uncertainty::sensitivity::{Quantity, SensitivityReport, analyse};
use vigie::uncertainty::streams::DEFAULT_SEED;

use crate::args::{
    MAX_CSV_ROWS, MAX_EVALUATIONS, SensitivityArgs, SensitivityQuantity, SimulateFormat,
    SobolSampling,
};
use crate::load::{RunInputs, load};
use crate::render::Style;
use crate::render::numbers::fixed;
use crate::{EXIT_CANNOT_RUN, EXIT_OK, files};

pub fn run(a: &SensitivityArgs, style: Style) -> u8 {
    let text = output(a, style);
    match text.and_then(|t| Ok(files::emit(None, &t)?)) {
        Ok(()) => EXIT_OK,
        Err(message) => {
            eprint!("{message}");
            EXIT_CANNOT_RUN
        }
    }
}

/// The Sobol design's size, known once the model and project give the factors: more
/// evaluations than [`MAX_EVALUATIONS`] (or rows than [`MAX_CSV_ROWS`] with `--csv`) is a
/// usage error before anything is allocated.
fn design_within_limits(
    a: &SensitivityArgs,
    loaded: &crate::load::Loaded,
    model_draws: ModelDraws,
) -> Result<(), String> {
    let factors = vigie::uncertainty::sensitivity::factors(
        &loaded.model,
        &loaded.project,
        &loaded.bound,
        model_draws,
    )
    .len()
        + usize::from(a.quantity == SensitivityQuantity::ExpectedLoss);
    let evaluations = a
        .replicates
        .unwrap_or(1)
        .saturating_mul(a.n)
        .saturating_mul(factors + 2);
    let (limit, what) = if a.csv.is_some() {
        (MAX_CSV_ROWS, "rows with --csv")
    } else {
        (MAX_EVALUATIONS, "evaluations")
    };
    if evaluations > limit {
        return Err(format!(
            "error[{}]: the Sobol design needs {evaluations} evaluations (--n {} x {} replicate(s) x ({factors} factors + 2)); at most {limit} {what}: lower --n\n",
            vigie::Code::CountTooLarge,
            a.n,
            a.replicates.unwrap_or(1)
        ));
    }
    Ok(())
}

/// The sampled rows: one column per factor (inputs' values, weights as drawn before their
/// group renormalises them, alternatives' option indices from 0 = nominal), then the score
/// (or expected loss) each row gave, so any result can be re-derived.
fn csv(report: &SensitivityReport, rows: &[Vec<f64>]) -> String {
    let ids: Vec<&str> = report.factors.iter().map(|f| f.id.as_str()).collect();
    let last = match report.quantity {
        Quantity::Score => "score",
        Quantity::ExpectedLoss => "expected_loss",
    };
    let mut out = format!("row,{},{last}\n", ids.join(","));
    for (k, row) in rows.iter().enumerate() {
        let values: Vec<String> = row.iter().map(|v| v.to_string()).collect();
        out.push_str(&format!("{k},{}\n", values.join(",")));
    }
    out
}

fn table(r: &SensitivityReport, d: usize) -> String {
    // Scores at the model's decimals; expected losses in whole currency units.
    let d = match r.quantity {
        Quantity::Score => d,
        Quantity::ExpectedLoss => 0,
    };
    let mut out = match r.quantity {
        Quantity::Score => format!("Nominal score {}\n", fixed(Some(r.nominal_score), d)),
        Quantity::ExpectedLoss => format!(
            "Nominal expected loss {} (score {}); the values below are expected losses\n",
            fixed(Some(r.nominal_value), 0),
            fixed(Some(r.nominal_score), 1)
        ),
    };
    out.push_str("\nOne at a time (largest swing first):\n");
    if r.tornado.is_empty() {
        out.push_str("nothing is uncertain: give values as ranges or distributions in the project, or declare the model's [uncertainty]\n");
    }
    for b in &r.tornado {
        out.push_str(&format!(
            "- {}: {} at {} .. {} at {} (swing {})\n",
            b.id,
            fixed(Some(b.score_at_low), d),
            b.low_text,
            fixed(Some(b.score_at_high), d),
            b.high_text,
            fixed(Some(b.swing), d)
        ));
    }
    if let Some(s) = &r.sobol {
        out.push_str(&format!(
            "\nSobol indices ({} evaluations; {}; Saltelli 2010 first order, Jansen total):\n",
            s.evaluations, s.method
        ));
        for ix in &s.indices {
            let ci = |c: Option<(f64, f64)>| {
                c.map_or(String::new(), |(a, b)| format!(" [{a:.3}, {b:.3}]"))
            };
            out.push_str(&format!(
                "- {}: first {:.3}{} · total {:.3}{}\n",
                ix.id,
                ix.first,
                ci(ix.first_ci),
                ix.total,
                ci(ix.total_ci)
            ));
        }
    }
    out
}

/// The command's output text; any failure is the message for standard error.
pub fn output(a: &SensitivityArgs, style: Style) -> Result<String, String> {
    let loaded = load(
        &RunInputs {
            model: &a.model,
            project: &a.project,
            data: &a.data,
        },
        style,
    )?;
    if let Some(out) = &a.csv {
        files::check_output(out)?;
    }
    crate::load::fixed_model_does_something(&loaded.model, a.fixed_model)?;
    let seed = a.seed.unwrap_or(DEFAULT_SEED);
    let cfg = match (a.sampling, a.replicates) {
        (SobolSampling::Random, _) => SobolConfig::random(a.n, seed),
        (SobolSampling::Sobol, None) => SobolConfig::sobol(a.n),
        (SobolSampling::Sobol, Some(r)) => SobolConfig::sobol_shifted(a.n, seed, r),
    };
    let model_draws = ModelDraws {
        weights: a.fixed_model.then_some(WeightUncertainty::Fixed),
        alternatives: !a.fixed_model,
    };
    design_within_limits(a, &loaded, model_draws)?;
    let mut rows = a.csv.as_ref().map(|_| Vec::new());
    let mut report = analyse(
        &loaded.model,
        &loaded.project,
        &loaded.bound,
        model_draws,
        match a.quantity {
            SensitivityQuantity::Score => Quantity::Score,
            SensitivityQuantity::ExpectedLoss => Quantity::ExpectedLoss,
        },
        Some(&cfg),
        rows.as_mut(),
    )
    .map_err(|e| match e {
        // The model failed on a sampled point: say so as the evaluation error it is.
        vigie::uncertainty::sensitivity::SensitivityError::Sobol(
            vigie::sensitivity::SobolError::NonFiniteOutput { row },
        ) => format!(
            "error[{}]: the model cannot be evaluated at design row {row} (a sampled value outside a transform's domain?): Sobol indices need a score at every row, so nothing is written\n",
            vigie::Code::Evaluation
        ),
        e => format!("error: {e}\n"),
    })?;
    if let (Some(path), Some(rows)) = (&a.csv, rows) {
        files::write_atomic(path, &csv(&report, &rows))?;
    }
    let mut audit = vigie::engine::assess::Audit::of(&loaded.model, &loaded.project, &loaded.bound);
    audit.overrides = loaded.overrides.clone();
    audit.overrides.push(format!("seed={seed}"));
    audit.overrides.push(format!("n={}", a.n));
    // The flag's own word, as typed, so that the override reads as the command line.
    let sampling = match a.sampling {
        crate::args::SobolSampling::Random => "random",
        crate::args::SobolSampling::Sobol => "sobol",
    };
    audit.overrides.push(format!("sampling={sampling}"));
    if let Some(r) = a.replicates {
        audit.overrides.push(format!("replicates={r}"));
    }
    if a.fixed_model {
        audit.overrides.push("fixed_model=true".to_string());
    }
    if a.quantity == SensitivityQuantity::ExpectedLoss {
        audit.overrides.push("quantity=expected_loss".to_string());
    }
    crate::load::record_invocation(&mut audit, &a.invocation);
    report.audit = Some(audit);
    let d = loaded.model.meta().decimals;
    Ok(match a.format {
        SimulateFormat::Json => crate::render::json(&report)?,
        SimulateFormat::Table => table(&report, d),
    })
}
