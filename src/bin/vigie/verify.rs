//! `vigie verify OUTPUT.json`: whether a JSON output really came from the files it names
//! and this engine. Re-reads every file of the audit block and compares its SHA-256, then
//! runs the recorded command again and compares the output byte for byte; says what
//! differs otherwise (exit 1).

use std::path::Path;

use clap::Parser;
use serde_json::Value;

use crate::args::{Cli, Command, VerifyArgs};
use crate::render::Style;
use crate::{EXIT_CANNOT_RUN, EXIT_OK, EXIT_PROBLEMS, files};

pub fn run(a: &VerifyArgs, style: Style) -> u8 {
    let text = match std::fs::read_to_string(&a.output) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", a.output.display());
            return EXIT_CANNOT_RUN;
        }
    };
    let json: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            eprintln!(
                "error: {} is not JSON ({e}); only JSON outputs can be verified",
                a.output.display()
            );
            return EXIT_CANNOT_RUN;
        }
    };
    let Some(audit) = json.get("audit").filter(|a| a.is_object()) else {
        eprintln!(
            "error: {} has no audit block: not a JSON output of vigie score, simulate or sensitivity",
            a.output.display()
        );
        return EXIT_CANNOT_RUN;
    };
    let mut problems = check_files(audit);
    let engine = audit["engine_version"].as_str().unwrap_or("?");
    if engine != vigie::audit::ENGINE_VERSION {
        problems.push(format!(
            "made by vigie {engine}; this is vigie {}",
            vigie::audit::ENGINE_VERSION
        ));
    }
    if problems.is_empty() {
        match rerun(audit, style) {
            Ok(again) if again == text => {}
            Ok(again) => problems.extend(differences(&json, &again)),
            Err(e) => problems.push(format!(
                "cannot run the recorded command again: {}",
                e.trim_end()
            )),
        }
    }
    if problems.is_empty() {
        println!(
            "verified: {} came from these files and vigie {}",
            a.output.display(),
            vigie::audit::ENGINE_VERSION
        );
        EXIT_OK
    } else {
        println!("NOT verified: {}", a.output.display());
        for p in &problems {
            println!("- {p}");
        }
        EXIT_PROBLEMS
    }
}

/// Every file the audit block names, with the hash it records.
fn check_files(audit: &Value) -> Vec<String> {
    let mut named: Vec<(String, String, String)> = Vec::new();
    for role in ["model", "project"] {
        if let (Some(f), Some(h)) = (
            audit[format!("{role}_file")].as_str(),
            audit[format!("{role}_sha256")].as_str(),
        ) {
            named.push((role.to_string(), f.to_string(), h.to_string()));
        }
    }
    for d in audit["data_files"].as_array().into_iter().flatten() {
        if let (Some(k), Some(f), Some(h)) =
            (d["kind"].as_str(), d["file"].as_str(), d["sha256"].as_str())
        {
            named.push((k.to_string(), f.to_string(), h.to_string()));
        }
    }
    let mut problems = Vec::new();
    for (role, file, recorded) in named {
        match files::read_bytes(Path::new(&file)) {
            Ok(bytes) => {
                let now = vigie::audit::sha256_hex(&bytes);
                if now != recorded {
                    problems.push(format!(
                        "{role} file {file} has changed: sha256 {now}, the output records {recorded}"
                    ));
                }
            }
            Err(e) => problems.push(format!("{role} file: {e}")),
        }
    }
    if let (Some(file), Some(recorded)) = (
        audit["model_file"].as_str(),
        audit["model_canonical_sha256"].as_str(),
    ) && let Ok(src) = files::read(Path::new(file))
        && let Ok((model, _)) = vigie::Model::from_source(&src)
    {
        let now = model.canonical_sha256();
        if now != recorded {
            problems.push(format!(
                "the model's content has changed: canonical sha256 {now}, the output records {recorded}"
            ));
        }
    }
    problems
}

/// Runs the recorded command again, returning its output text.
fn rerun(audit: &Value, style: Style) -> Result<String, String> {
    let args: Vec<String> = audit["invocation"]
        .as_array()
        .ok_or("the audit block records no invocation")?
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    let cli = Cli::try_parse_from(std::iter::once("vigie".to_string()).chain(args.clone()))
        .map_err(|e| e.to_string())?;
    let cli = crate::with_invocation(cli, args);
    let quiet = Style {
        colour_stdout: false,
        colour_stderr: style.colour_stderr,
    };
    match cli.command {
        Command::Score(a) => crate::score::score(&a, quiet),
        Command::Simulate(a) => crate::simulate::output(&a, quiet),
        Command::Sensitivity(mut a) => {
            // The sampled rows do not enter the JSON: do not write them again.
            a.csv = None;
            crate::sensitivity::output(&a, quiet)
        }
        _ => Err("the recorded command is not score, simulate or sensitivity".to_string()),
    }
}

/// The JSON paths where the output and the recomputed output differ (at most 20).
fn differences(given: &Value, again: &str) -> Vec<String> {
    let Ok(again) = serde_json::from_str::<Value>(again) else {
        return vec![
            "the recomputed output is not JSON (was the output made with --format json?)"
                .to_string(),
        ];
    };
    let mut out = Vec::new();
    walk(given, &again, "$", &mut out);
    if out.is_empty() {
        out.push(
            "the output's bytes differ from the recomputed output (layout or whitespace edited)"
                .to_string(),
        );
    }
    out.truncate(20);
    out
}

fn walk(a: &Value, b: &Value, path: &str, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                match y.get(k) {
                    Some(w) => walk(v, w, &format!("{path}.{k}"), out),
                    None => out.push(format!("{path}.{k}: in the output, not recomputed")),
                }
            }
            for k in y.keys().filter(|k| !x.contains_key(*k)) {
                out.push(format!("{path}.{k}: recomputed, missing from the output"));
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                walk(v, w, &format!("{path}[{i}]"), out);
            }
        }
        _ if a != b => out.push(format!("{path}: output has {a}, recomputed {b}")),
        _ => {}
    }
}
