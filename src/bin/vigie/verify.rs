//! `vigie verify OUTPUT.json`: whether a JSON output really came from the files it names
//! and this engine. Re-reads every file of the audit block and compares its SHA-256, then
//! runs the recorded command again and compares the output byte for byte; says what
//! differs otherwise (exit 1).
//!
//! The output is untrusted (anyone can edit it): its audit block is read by
//! `vigie::audit::parse_verify_input` into a validated record; the recorded command must
//! name exactly the recorded files and no output file, or nothing runs (exit 2); paths
//! resolve against the recorded working directory; and the run opens no file the audit
//! block does not record, and writes nothing.

use std::path::{Path, PathBuf};

use clap::Parser;
use serde_json::Value;
use vigie::Code;
use vigie::audit::{AuditRecord, DataKind, parse_verify_input};
use vigie::diag::excerpt;

use crate::args::{Cli, Command, DataFlags, VerifyArgs, VerifyFormat};
use crate::render::Style;
use crate::{EXIT_CANNOT_RUN, EXIT_OK, EXIT_PROBLEMS, files};

/// A refusal to run, with its code: the text for standard error.
fn refuse(code: Code, message: impl std::fmt::Display) -> String {
    format!("error[{code}]: {message}")
}

/// `verify --format json`: the verdict, then what it rests on.
#[derive(serde::Serialize)]
struct Verdict<'a> {
    verified: bool,
    output: &'a str,
    engine_version: &'a str,
    problems: &'a [String],
}

pub fn run(a: &VerifyArgs, style: Style) -> u8 {
    let stdin = a.output.as_os_str() == "-";
    let shown = if stdin {
        "standard input".to_string()
    } else {
        a.output.display().to_string()
    };
    let bytes = if stdin {
        files::read_stdin()
    } else {
        files::read_bytes(&a.output)
    };
    let text = match bytes.and_then(|b| Ok(vigie::input::utf8(b, &shown)?)) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{e}");
            return EXIT_CANNOT_RUN;
        }
    };
    let input = match parse_verify_input(&text) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("{}", refuse(e.code(), format!("{shown}: {e}")));
            return EXIT_CANNOT_RUN;
        }
    };
    let audit = &input.audit;
    let replay = match replayable(audit) {
        Ok(r) => r,
        Err(message) => {
            eprintln!(
                "{}",
                refuse(Code::AuditReplay, format!("{shown}: {message}"))
            );
            return EXIT_CANNOT_RUN;
        }
    };
    let mut problems = Vec::new();
    if audit.engine_version != vigie::audit::ENGINE_VERSION {
        problems.push(format!(
            "made by vigie {}; this is vigie {}",
            excerpt(&audit.engine_version),
            vigie::audit::ENGINE_VERSION
        ));
    }
    // Relative names in the audit block are relative to the directory the run was made
    // in; the command made again there records the same names, byte for byte.
    let entered = match &audit.working_directory {
        Some(dir) => std::env::set_current_dir(dir).map_err(|e| {
            format!(
                "cannot enter the directory the output was made in, {}: {e}",
                excerpt(dir)
            )
        }),
        None => Ok(()),
    };
    match entered.map(|()| check_files(audit)) {
        Err(problem) => problems.push(problem),
        Ok(Ok(found)) => problems.extend(found),
        Ok(Err(refusal)) => {
            eprintln!("{refusal}");
            return EXIT_CANNOT_RUN;
        }
    }
    if problems.is_empty() {
        match rerun(replay, style) {
            Ok(again) if again == text => {}
            Ok(again) => problems.extend(differences(&input.output, &again)),
            Err(e) if e.contains(Code::AuditReplay.as_str()) => {
                eprint!("{e}");
                return EXIT_CANNOT_RUN;
            }
            Err(e) => problems.push(format!(
                "cannot run the recorded command again: {}",
                e.trim_end()
            )),
        }
    }
    let report = match a.format {
        VerifyFormat::Json => {
            let mut text = serde_json::to_string_pretty(&Verdict {
                verified: problems.is_empty(),
                output: &shown,
                engine_version: vigie::audit::ENGINE_VERSION,
                problems: &problems,
            })
            .unwrap_or_default();
            text.push('\n');
            text
        }
        VerifyFormat::Text if problems.is_empty() => format!(
            "verified: {shown} came from these files and vigie {}\n",
            vigie::audit::ENGINE_VERSION
        ),
        VerifyFormat::Text => {
            let mut out = format!("NOT verified: {shown}\n");
            for p in &problems {
                out.push_str(&format!("- {p}\n"));
            }
            out
        }
    };
    if let Err(e) = files::emit(None, &report) {
        eprintln!("{e}");
        return EXIT_CANNOT_RUN;
    }
    if problems.is_empty() {
        EXIT_OK
    } else {
        EXIT_PROBLEMS
    }
}

/// The recorded command, parsed as the command line it was, once it is shown to name
/// exactly the recorded model, project and data files, and no output file.
fn replayable(audit: &AuditRecord) -> Result<Command, String> {
    let args = &audit.invocation;
    if let Some(flag) = args.iter().find(|a| {
        crate::OUTPUT_OPTIONS.contains(&a.as_str())
            || a.starts_with("--output=")
            || a.starts_with("--csv=")
            || (a.starts_with("-o") && !a.starts_with("--"))
    }) {
        return Err(format!(
            "the recorded command names an output file ({}); vigie verify writes nothing",
            excerpt(flag)
        ));
    }
    let cli = Cli::try_parse_from(std::iter::once("vigie".to_string()).chain(args.clone()))
        .map_err(|e| {
            let first = e.to_string();
            let first = first
                .lines()
                .next()
                .unwrap_or("")
                .trim_start_matches("error: ");
            format!(
                "the recorded command is not a valid command: {}",
                excerpt(first)
            )
        })?;
    crate::args::validate(&cli)
        .map_err(|m| format!("the recorded command is not a valid command: {m}"))?;
    let mut cli = crate::with_invocation(cli, args.clone());
    let (model, project, data) = match &mut cli.command {
        Command::Score(a) => (&a.model, &a.project, &mut a.data),
        Command::Simulate(a) => (&a.model, &a.project, &mut a.data),
        Command::Sensitivity(a) => (&a.model, &a.project, &mut a.data),
        _ => return Err("the recorded command is not score, simulate or sensitivity".to_string()),
    };
    same_file(model, &audit.model_file, "model")?;
    same_file(project, &audit.project_file, "project")?;
    for (flag, given, kind) in [
        ("--events", &data.events, DataKind::Events),
        ("--positions", &data.positions, DataKind::Positions),
    ] {
        if let Some(p) = given
            && !audit
                .data_files
                .iter()
                .any(|d| d.kind == kind && Path::new(&d.file) == p)
        {
            return Err(format!(
                "the recorded command reads {flag} {}, which the audit block does not record",
                excerpt(&p.display().to_string())
            ));
        }
    }
    restrict(data, audit);
    Ok(cli.command)
}

/// The model or project the recorded command names must be the one the audit block
/// records, by name: that file's hash is the one checked.
fn same_file(given: &Path, recorded: &str, role: &str) -> Result<(), String> {
    if given == Path::new(recorded) {
        return Ok(());
    }
    Err(format!(
        "the recorded command names {} as the {role} file, the audit block {}",
        excerpt(&given.display().to_string()),
        excerpt(recorded)
    ))
}

/// The run made again may open only the data files the audit block records.
fn restrict(data: &mut DataFlags, audit: &AuditRecord) {
    data.recorded = Some(
        audit
            .data_files
            .iter()
            .map(|d| PathBuf::from(&d.file))
            .collect(),
    );
}

/// Every file the audit block names, with the hash it records: read as regular files
/// only, hashed as a stream. A file changed or absent is a problem found (exit 1); a path
/// that names a directory, FIFO or device is refused (exit 2): no run made one an input.
fn check_files(audit: &AuditRecord) -> Result<Vec<String>, String> {
    let mut named: Vec<(&str, &str, &str)> = vec![
        ("model", &audit.model_file, &audit.model_sha256),
        ("project", &audit.project_file, &audit.project_sha256),
    ];
    for d in &audit.data_files {
        named.push((d.kind.as_str(), &d.file, &d.sha256));
    }
    let mut problems = Vec::new();
    for (role, file, recorded) in named {
        let shown = excerpt(file);
        match vigie::input::sha256_file(Path::new(file)) {
            Ok(now) if now == recorded => {}
            Ok(now) => problems.push(format!(
                "{role} file {shown} has changed: sha256 {now}, the output records {recorded}"
            )),
            Err(e @ vigie::input::InputError::NotRegular { .. }) => {
                return Err(refuse(
                    e.code(),
                    format!("the audit block's {role} file: {}", excerpt(&e.to_string())),
                ));
            }
            Err(e) => problems.push(format!("{role} file {shown}: error[{}]: {e}", e.code())),
        }
    }
    if problems.is_empty()
        && let Ok(src) = files::read(Path::new(&audit.model_file))
        && let Ok((model, _)) = vigie::Model::from_source(&src)
    {
        let now = model.canonical_sha256();
        if now != audit.model_canonical_sha256 {
            problems.push(format!(
                "the model's content has changed: canonical sha256 {now}, the output records {}",
                audit.model_canonical_sha256
            ));
        }
    }
    Ok(problems)
}

/// Runs the recorded command again (its text output only: nothing is written).
fn rerun(command: Command, style: Style) -> Result<String, String> {
    let quiet = Style {
        colour_stdout: false,
        colour_stderr: style.colour_stderr,
    };
    match command {
        Command::Score(a) => crate::score::score(&a, quiet),
        Command::Simulate(a) => crate::simulate::output(&a, quiet),
        Command::Sensitivity(a) => crate::sensitivity::output(&a, quiet),
        _ => Err("the recorded command is not score, simulate or sensitivity".to_string()),
    }
}

/// The JSON paths where the output and the recomputed output differ (at most 20), each
/// value quoted as an excerpt.
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
    out
}

/// At most this many differences are listed.
const MAX_DIFFERENCES: usize = 20;

fn walk(a: &Value, b: &Value, path: &str, out: &mut Vec<String>) {
    if out.len() >= MAX_DIFFERENCES {
        return;
    }
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                let here = format!("{path}.{}", excerpt(k));
                match y.get(k) {
                    Some(w) => walk(v, w, &here, out),
                    None => out.push(format!("{here}: in the output, not recomputed")),
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
        _ if a != b => out.push(format!(
            "{path}: output has {}, recomputed {}",
            excerpt(&a.to_string()),
            excerpt(&b.to_string())
        )),
        _ => {}
    }
    out.truncate(MAX_DIFFERENCES);
}
