//! `vigie simulate MODEL PROJECT`: Monte Carlo over the project's uncertain inputs with the
//! same compiled model and kernel as `score`; prints the score's distribution and the
//! probability of each band, with the seed needed to reproduce it.

use vigie::model::WeightUncertainty;
use vigie::uncertainty::report::{ModelDraws, SimulationReport, simulate};

use crate::args::{MAX_THREADS, SimulateArgs, SimulateFormat};
use crate::load::{RunInputs, load};
use crate::render::Style;
use crate::render::numbers::{amount, fixed, percent};
use crate::{EXIT_CANNOT_RUN, EXIT_OK, files};

pub fn run(a: &SimulateArgs, style: Style) -> u8 {
    let text = output(a, style);
    match text.and_then(|t| Ok(files::emit(a.output.as_deref(), &t)?)) {
        Ok(()) => EXIT_OK,
        Err(message) => {
            eprint!("{message}");
            EXIT_CANNOT_RUN
        }
    }
}

/// `RAYON_NUM_THREADS`, the usual way to cap threads of Rust programs: a whole number
/// from 1 to [`MAX_THREADS`] (anything else is an error, not silently another count).
fn env_threads() -> Result<Option<usize>, String> {
    let Ok(text) = std::env::var("RAYON_NUM_THREADS") else {
        return Ok(None);
    };
    match text.trim().parse::<usize>() {
        Ok(n) if (1..=MAX_THREADS).contains(&n) => Ok(Some(n)),
        _ => Err(format!(
            "error[{}]: RAYON_NUM_THREADS=`{}` must be a whole number from 1 to {MAX_THREADS}\n",
            vigie::Code::CountTooLarge,
            vigie::diag::excerpt(&text)
        )),
    }
}

fn table(r: &SimulationReport, d: usize) -> String {
    let mut out = format!(
        "Simulation: {} draws, seed {} (reproduce with --seed {} --draws {})\n",
        r.draws, r.seed, r.seed, r.draws
    );
    let fixed_weights = r.weights == WeightUncertainty::Fixed;
    if r.uncertain_inputs.is_empty() && fixed_weights && r.alternatives.is_empty() {
        out.push_str("Nothing is uncertain: every draw gives the nominal score.\n");
    }
    for u in &r.uncertain_inputs {
        out.push_str(&format!(
            "- {} ~ {} (nominal {})\n",
            u.id, u.distribution, u.nominal
        ));
    }
    match r.weights {
        WeightUncertainty::Fixed => {}
        WeightUncertainty::Perturb { factor: f } => {
            out.push_str(&format!("- every weight x U({}, {})\n", 1.0 - f, 1.0 + f));
        }
        WeightUncertainty::Dirichlet { concentration } => out.push_str(&format!(
            "- each group's weights ~ Dirichlet({concentration} x nominal shares)\n"
        )),
    }
    for alt in &r.alternatives {
        out.push_str(&format!(
            "- {} one of: {} (equally likely; {})\n",
            alt.id,
            alt.options.join(" | "),
            alt.defined_at
        ));
    }
    let s = &r.score;
    out.push_str(&format!(
        "\nScore: mean {} · sd {} · min {} · max {}\n",
        fixed(Some(s.mean), d),
        fixed(Some(s.sd), d),
        fixed(Some(s.min), d),
        fixed(Some(s.max), d)
    ));
    let pcts: Vec<String> = s
        .percentiles
        .iter()
        .map(|(p, v)| format!("P{p} {}", fixed(Some(*v), d)))
        .collect();
    out.push_str(&format!("       {}\n", pcts.join(" · ")));
    out.push_str("\nBand probabilities:\n");
    for (label, p) in &r.band_probabilities {
        out.push_str(&format!("- {label}: {}\n", percent(*p)));
    }
    if let Some(m) = &r.money {
        let e = &m.expected_loss;
        let pcts: Vec<String> = e
            .percentiles
            .iter()
            .map(|(p, v)| format!("P{p} {}", amount(*v, m.minor_units)))
            .collect();
        out.push_str(&format!(
            "\nExpected loss over {} years, {}{} (exposure {}):\n  mean {} · sd {}\n  {}\n",
            m.horizon_years,
            m.currency,
            if m.indicative { ", indicative" } else { "" },
            m.exposure,
            amount(e.mean, m.minor_units),
            amount(e.sd, m.minor_units),
            pcts.join(" · ")
        ));
        out.push_str("Slotting category probabilities:\n");
        for (category, p) in &m.slotting_probabilities {
            out.push_str(&format!("- {category}: {}\n", percent(*p)));
        }
    }
    if r.failed_draws > 0 {
        out.push_str(&format!(
            "\n{} draws failed to evaluate and are excluded.\n",
            r.failed_draws
        ));
    }
    out.push_str(&format!(
        "\nPercentiles: {}.\nGenerator: {}.\n",
        r.percentile_method, r.generator
    ));
    out
}

/// The command's output text; any failure is the message for standard error.
pub fn output(a: &SimulateArgs, style: Style) -> Result<String, String> {
    let env_threads = env_threads()?;
    let loaded = load(
        &RunInputs {
            model: &a.model,
            project: &a.project,
            data: &a.data,
        },
        style,
    )?;
    if let Some(out) = &a.output {
        files::check_output(out)?;
    }
    crate::load::fixed_model_does_something(&loaded.model, a.fixed_model)?;
    let threads = a
        .threads
        .or(env_threads)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let mut report = simulate(
        &loaded.model,
        &loaded.project,
        &loaded.bound,
        a.draws,
        a.seed,
        threads,
        ModelDraws {
            weights: match (a.fixed_model, a.weight_factor) {
                (true, _) => Some(WeightUncertainty::Fixed),
                (false, Some(factor)) => Some(WeightUncertainty::Perturb { factor }),
                (false, None) => None,
            },
            alternatives: !a.fixed_model,
        },
    );
    if report.score.n == 0 {
        // A report of no draw would read as a score of nothing with exit 0: refuse it.
        return Err(format!(
            "error[{}]: every one of the {} draws failed to evaluate (a drawn value outside a transform's domain, or weights that vanish): there is no distribution to report\n",
            vigie::Code::Evaluation,
            a.draws
        ));
    }
    let mut audit = vigie::engine::assess::Audit::of(&loaded.model, &loaded.project, &loaded.bound);
    audit.overrides = loaded.overrides;
    audit.overrides.push(format!("seed={}", a.seed));
    audit.overrides.push(format!("draws={}", a.draws));
    if let Some(f) = a.weight_factor {
        audit.overrides.push(format!("weight_factor={f}"));
    }
    if a.fixed_model {
        audit.overrides.push("fixed_model=true".to_string());
    }
    crate::load::record_invocation(&mut audit, &a.invocation);
    report.audit = Some(audit);
    Ok(match a.format {
        SimulateFormat::Json => crate::render::json(&report)?,
        SimulateFormat::Table => table(&report, loaded.model.meta().decimals),
    })
}
