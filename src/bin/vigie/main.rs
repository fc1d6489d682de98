//! The `vigie` command: parses arguments, reads files, renders results and sets the exit
//! code. All computation lives in the library; nothing here decides a number.
//!
//! Exit codes: 0 success; 1 `check` ran and found problems; 2 a command could not run
//! because of bad input or usage (nothing is written then).

mod args;
mod check;
mod data;
mod diff;
mod explain;
mod files;
mod fingerprint;
mod init;
mod load;
mod render;
mod score;
mod sensitivity;
mod simulate;

use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command};

/// Exit code: success.
pub const EXIT_OK: u8 = 0;
/// Exit code: a check ran and found problems.
pub const EXIT_PROBLEMS: u8 = 1;
/// Exit code: the command could not run (bad input or usage).
pub const EXIT_CANNOT_RUN: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let style = render::Style::detect();
    let code = match cli.command {
        Command::Score(a) => score::run(&a, style),
        Command::Simulate(a) => simulate::run(&a, style),
        Command::Sensitivity(a) => sensitivity::run(&a, style),
        Command::Check(a) => check::run(&a, style),
        Command::Explain(a) => explain::run(&a),
        Command::Init(a) => init::run(&a),
        Command::Fingerprint(a) => fingerprint::run(&a, style),
        Command::Diff(a) => diff::run(&a, style),
    };
    ExitCode::from(code)
}
