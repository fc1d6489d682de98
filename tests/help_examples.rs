//! Every command's `--help` ends with real examples, and those examples run: each line
//! that does not write a file or need a pipe is run from the repository's folder and must
//! do its job (exit 0, or 1 where the command found what it reports).

use std::process::Command;

#[path = "support/commands.rs"]
mod commands;

fn vigie(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .output()
        .unwrap()
}

#[test]
fn every_command_help_ends_with_examples_that_run() {
    let mut ran = 0;
    for command in &commands::commands() {
        let help = String::from_utf8(vigie(&[command, "--help"]).stdout).unwrap();
        let (_, examples) = help
            .split_once("Examples (from the repository's folder):\n")
            .unwrap_or_else(|| panic!("`vigie {command} --help` has no examples"));
        let lines: Vec<&str> = examples
            .lines()
            .filter_map(|l| l.strip_prefix("  vigie "))
            .collect();
        assert!(lines.len() >= 2, "`vigie {command} --help`: {lines:?}");
        for line in lines {
            // Examples that write files or pipe are shown, not run here.
            if line.contains('|')
                || line.contains('>')
                || line.contains(" -o ")
                || line.starts_with("init")
                || line.contains("my-project/")
                || line.contains("a.json")
            {
                continue;
            }
            let args: Vec<&str> = line.split_whitespace().collect();
            let out = vigie(&args);
            assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "`vigie {line}` exits {:?}: {}",
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            );
            ran += 1;
        }
    }
    assert!(ran >= 20, "{ran}");
}
