//! The `vigie` command: parses arguments, reads files, renders results and sets the exit
//! code. All computation lives in the library; nothing here decides a number.
//!
//! Exit codes: 0 success; 1 `check` found problems or a `test` case failed; 2 a command
//! could not run because of bad input or usage (nothing is written then).

mod args;
mod check;
mod data;
mod diff;
mod explain;
mod files;
mod fingerprint;
mod init;
mod load;
mod manuals;
mod modeltest;
mod render;
mod schema;
mod score;
mod sensitivity;
mod simulate;
mod sources;
mod verify;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use args::{Cli, Command};

/// Exit code: success.
pub const EXIT_OK: u8 = 0;
/// Exit code: a check ran and found problems, or a model test case failed.
pub const EXIT_PROBLEMS: u8 = 1;
/// Exit code: the command could not run (bad input or usage).
pub const EXIT_CANNOT_RUN: u8 = 2;

fn main() -> ExitCode {
    let cli = with_invocation(Cli::parse(), std::env::args().skip(1).collect());
    if let Err(message) = args::validate(&cli) {
        // Exits 2 with clap's usage text, like every other usage error.
        Cli::command()
            .error(clap::error::ErrorKind::ArgumentConflict, message)
            .exit();
    }
    let style = render::Style::detect();
    let code = match cli.command {
        Command::Score(a) => score::run(&a, style),
        Command::Simulate(a) => simulate::run(&a, style),
        Command::Sensitivity(a) => sensitivity::run(&a, style),
        Command::Check(a) => check::run(&a, style),
        Command::Explain(a) => explain::run(&a),
        Command::Init(a) => init::run(&a),
        Command::Sources(a) => sources::run(&a, style),
        Command::Schema(a) => schema::run(&a),
        Command::Verify(a) => verify::run(&a, style),
        Command::Test(a) => modeltest::run(&a, style),
        Command::Fingerprint(a) => fingerprint::run(&a, style),
        Command::Diff(a) => diff::run(&a, style),
        Command::Completions(a) => manuals::completions(&a),
        Command::Man(a) => manuals::man(&a),
    };
    ExitCode::from(code)
}

/// Prints a command's output on standard output (never onto an input of the run; a closed
/// pipe is an error, not a panic): `EXIT_OK`, or `EXIT_CANNOT_RUN` after saying why.
pub fn print(text: &str) -> u8 {
    match files::emit(None, text) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("{e}");
            EXIT_CANNOT_RUN
        }
    }
}

/// The options that name an output file: never recorded, and refused by `vigie verify` in a
/// recorded command (it writes nothing).
pub const OUTPUT_OPTIONS: &[&str] = &["-o", "--output", "--csv"];

/// Records the arguments in the commands whose outputs carry an audit block, so that
/// `vigie verify` can run them again; without the output files (`-o`, `--csv`), and
/// without the thread count, which never changes an output (so outputs on 1 or 2 threads
/// are identical).
pub fn with_invocation(mut cli: Cli, args: Vec<String>) -> Cli {
    let mut kept = Vec::new();
    let mut skip_next = false;
    for a in args {
        if skip_next {
            skip_next = false;
            continue;
        }
        if OUTPUT_OPTIONS.contains(&a.as_str()) || a == "--threads" {
            skip_next = true;
            continue;
        }
        if a.starts_with("--output=")
            || a.starts_with("--csv=")
            || a.starts_with("--threads=")
            || (a.starts_with("-o") && a.len() > 2)
        {
            continue;
        }
        kept.push(a);
    }
    match &mut cli.command {
        Command::Score(a) => a.invocation = kept,
        Command::Simulate(a) => a.invocation = kept,
        Command::Sensitivity(a) => a.invocation = kept,
        _ => {}
    }
    cli
}
