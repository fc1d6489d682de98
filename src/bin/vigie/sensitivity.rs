//! `vigie sensitivity MODEL PROJECT`: which uncertain inputs move the score: a tornado
//! (each input at its low and high end, the others at nominal) and Sobol indices.

use vigie::sensitivity::SobolConfig;
use vigie::uncertainty::sensitivity::{SensitivityReport, analyse};

use crate::args::{SensitivityArgs, SimulateFormat, SobolSampling};
use crate::load::{RunInputs, load};
use crate::render::Style;
use crate::render::numbers::fixed;
use crate::{EXIT_CANNOT_RUN, EXIT_OK, files};

pub fn run(a: &SensitivityArgs, style: Style) -> u8 {
    let text = (|| -> Result<String, String> {
        let loaded = load(
            &RunInputs {
                model: &a.model,
                project: &a.project,
                data: &a.data,
            },
            style,
        )?;
        let cfg = match a.sampling {
            SobolSampling::Random => SobolConfig::random(a.n, a.seed),
            SobolSampling::Sobol => SobolConfig::sobol(a.n),
        };
        let mut rows = a.csv.as_ref().map(|_| Vec::new());
        let report = analyse(
            &loaded.model,
            &loaded.project,
            &loaded.bound,
            Some(&cfg),
            rows.as_mut(),
        )
        .map_err(|e| format!("error: {e}\n"))?;
        if let (Some(path), Some(rows)) = (&a.csv, rows) {
            files::write_atomic(path, &csv(&loaded, &rows)).map_err(|e| e + "\n")?;
        }
        let d = loaded.model.meta().decimals;
        Ok(match a.format {
            SimulateFormat::Json => {
                let mut s =
                    serde_json::to_string_pretty(&report).map_err(|e| format!("error: {e}\n"))?;
                s.push('\n');
                s
            }
            SimulateFormat::Table => table(&report, d),
        })
    })();
    match text.and_then(|t| files::emit(None, &t).map_err(|e| e + "\n")) {
        Ok(()) => EXIT_OK,
        Err(message) => {
            eprint!("{message}");
            EXIT_CANNOT_RUN
        }
    }
}

/// The sampled rows: one column per uncertain input (in the model's input order), then the
/// score each row gave, so any result can be re-derived.
fn csv(loaded: &crate::load::Loaded, rows: &[Vec<f64>]) -> String {
    let ids: Vec<String> =
        vigie::uncertainty::report::ranges(&loaded.model, &loaded.project, &loaded.bound)
            .into_iter()
            .map(|(_, _, info)| info.id)
            .collect();
    let mut out = format!("row,{},score\n", ids.join(","));
    for (k, row) in rows.iter().enumerate() {
        let values: Vec<String> = row.iter().map(|v| v.to_string()).collect();
        out.push_str(&format!("{k},{}\n", values.join(",")));
    }
    out
}

fn table(r: &SensitivityReport, d: usize) -> String {
    let mut out = format!(
        "Nominal score {}\n\nOne at a time (largest swing first):\n",
        fixed(Some(r.nominal_score), d)
    );
    if r.tornado.is_empty() {
        out.push_str("no uncertain input: give values as ranges or distributions in the project\n");
    }
    for b in &r.tornado {
        out.push_str(&format!(
            "- {}: {} at {} .. {} at {} (swing {})\n",
            b.id,
            fixed(Some(b.score_at_low), d),
            b.low,
            fixed(Some(b.score_at_high), d),
            b.high,
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
