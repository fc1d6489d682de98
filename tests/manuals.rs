//! Manual pages and shell completions are generated from the command line's own
//! definition: the committed pages (`docs/man/`) are what `vigie man` prints today (a test
//! that fails when a flag changes without them; `VIGIE_UPDATE_DOCS=1` rewrites them), and
//! every shell gets a completion script that knows every command.

use std::process::Command;

#[path = "support/commands.rs"]
mod commands;

fn vigie(args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(args)
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

#[test]
fn committed_manual_pages_are_the_generated_ones() {
    let dir = format!("{}/docs/man", env!("CARGO_MANIFEST_DIR"));
    let update = std::env::var_os("VIGIE_UPDATE_DOCS").is_some_and(|v| v == "1");
    let commands = commands::commands();
    let pages = std::iter::once(None).chain(commands.iter().map(|c| Some(c.as_str())));
    let mut stale = Vec::new();
    for command in pages {
        let (file, args) = match command {
            None => ("vigie.1".to_string(), vec!["man"]),
            Some(c) => (format!("vigie-{c}.1"), vec!["man", c]),
        };
        let (code, page) = vigie(&args);
        assert_eq!(code, Some(0), "vigie {args:?}");
        assert!(page.contains(".SH SYNOPSIS"), "{file}");
        let path = format!("{dir}/{file}");
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &page).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(page.as_str()) {
            stale.push(file);
        }
    }
    assert!(
        stale.is_empty(),
        "docs/man is out of date for {stale:?}: run VIGIE_UPDATE_DOCS=1 cargo test --test manuals"
    );
}

#[test]
fn a_command_page_names_its_flags_and_version() {
    let (_, page) = vigie(&["man", "simulate"]);
    assert!(page.contains("vigie\\-simulate"), "{page}");
    assert!(page.contains("\\-\\-draws"), "{page}");
    assert!(page.contains(env!("CARGO_PKG_VERSION")), "{page}");
    let (code, _) = vigie(&["man", "nope"]);
    assert_eq!(code, Some(2));
}

#[test]
fn every_shell_completes_every_command() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (code, script) = vigie(&["completions", shell]);
        assert_eq!(code, Some(0), "{shell}");
        for command in &commands::commands() {
            assert!(script.contains(command), "{shell} lacks {command}");
        }
        assert!(script.contains("draws"), "{shell} lacks --draws");
    }
}
