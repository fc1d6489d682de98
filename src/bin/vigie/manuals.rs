//! `vigie completions` and `vigie man`: shell completion scripts and manual pages,
//! generated from the same clap definition that parses the command line, so neither can
//! drift from the flags.

use clap::CommandFactory;

use crate::args::{Cli, CompletionsArgs, ManArgs};
use crate::{EXIT_CANNOT_RUN, print};

pub fn completions(a: &CompletionsArgs) -> u8 {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(a.shell, &mut cmd, "vigie", &mut out);
    print(&String::from_utf8_lossy(&out))
}

pub fn man(a: &ManArgs) -> u8 {
    match page(a.command.as_deref()) {
        Ok(text) => print(&text),
        Err(message) => {
            eprintln!("error: {message}");
            EXIT_CANNOT_RUN
        }
    }
}

/// The roff page of `vigie` (no command) or of one of its commands (`vigie-score`).
pub fn page(command: Option<&str>) -> Result<String, String> {
    let mut cli = Cli::command();
    cli.build();
    let cmd = match command {
        None => cli,
        Some(name) => {
            let names: Vec<String> = cli
                .get_subcommands()
                .map(|c| c.get_name().to_string())
                .collect();
            let Some(sub) = cli.find_subcommand(name) else {
                return Err(format!(
                    "`{}` is not a command of vigie; commands are: {}",
                    vigie::diag::excerpt(name),
                    names.join(", ")
                ));
            };
            let full = format!("vigie-{}", sub.get_name());
            sub.clone()
                .name(full.clone())
                .bin_name(full)
                .version(env!("CARGO_PKG_VERSION"))
        }
    };
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut out)
        .map_err(|e| format!("cannot render the manual page: {e}"))?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}
