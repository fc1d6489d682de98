//! `vigie test [PATH...]`: loads every model test file under the paths, runs its cases and
//! renders the results. Exit 0 when every case passes or is skipped, 1 when one fails, 2
//! when a file cannot be read or has errors (then no case runs).

use vigie::SourceFile;
use vigie::modeltest::{self, RunOptions};

use crate::args::{TestArgs, TestFormat};
use crate::render::{Style, diagnostics};
use crate::{EXIT_CANNOT_RUN, EXIT_OK, EXIT_PROBLEMS};

pub fn run(a: &TestArgs, style: Style) -> u8 {
    let env = |name: &str| std::env::var(name).ok();
    let all = modeltest::load_all(&a.paths, &env);
    if !all.diagnostics.is_empty() {
        let files: Vec<&SourceFile> = all.sources.iter().collect();
        eprint!(
            "{}",
            diagnostics::human_all(&all.diagnostics, &files, style.colour_stderr)
        );
    }
    if all.has_errors() {
        return EXIT_CANNOT_RUN;
    }
    let options = RunOptions::for_ci(std::env::var("CI").ok().as_deref());
    let report = modeltest::run_all(&all, options);
    let text = match a.format {
        TestFormat::Json => match serde_json::to_string_pretty(&report) {
            Ok(s) => s + "\n",
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_CANNOT_RUN;
            }
        },
        TestFormat::Text => crate::render::modeltest::render(&report, style.colour_stdout),
    };
    if crate::print(&text) != EXIT_OK {
        return EXIT_CANNOT_RUN;
    }
    if report.passed() {
        EXIT_OK
    } else {
        EXIT_PROBLEMS
    }
}
