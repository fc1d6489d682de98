//! The commands of `vigie`, as its own `--help` lists them (without `help`): tests that
//! must cover every command read the list here, so a new command cannot be forgotten.

/// Every command name listed under `Commands:` in `vigie --help`.
pub fn commands() -> Vec<String> {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vigie"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    let listed = help
        .split_once("Commands:\n")
        .expect("a Commands section")
        .1;
    let names: Vec<String> = listed
        .lines()
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| *n != "help")
        .map(str::to_string)
        .collect();
    assert!(names.len() >= 14, "{names:?}");
    names
}
