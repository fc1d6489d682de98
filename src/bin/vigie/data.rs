//! Loading the data files a project's derived indicators need (from the command line, else
//! from `[project.data]`, relative to the project file), shared by `score` and `check`.
//! Only regular files are opened (see `files`); `vigie verify` also restricts them to the
//! files its audit block records.

use std::path::{Path, PathBuf};

use vigie::derive::compute::day_number;
use vigie::derive::data::data_file_diagnostic;
use vigie::derive::{self, EventData, PositionData, Prepared};
use vigie::{Diagnostic, Model, Project};

use crate::files::{self, FileError};

/// Data files named on the command line (they override the project's).
#[derive(Debug, Default)]
pub struct DataArgs {
    /// `--events`.
    pub events: Option<PathBuf>,
    /// `--positions`.
    pub positions: Option<PathBuf>,
    /// `--known-at-as-of`.
    pub known_at_as_of: bool,
    /// Set by `vigie verify`: the only data files this run may open, as the audit block
    /// records them; any other is refused before it is opened.
    pub recorded: Option<Vec<PathBuf>>,
    /// `--max-record-bytes`; `None` for the default.
    pub max_record_bytes: Option<u64>,
}

/// Refuses a data file the audit block being verified does not record.
fn allowed(path: &Path, args: &DataArgs) -> Result<(), FileError> {
    match &args.recorded {
        Some(files) if !files.iter().any(|f| f == path) => Err(FileError {
            code: vigie::Code::AuditReplay,
            message: format!(
                "the run being verified would read {}, which its audit block does not record: not opened",
                vigie::diag::excerpt(&path.display().to_string())
            ),
        }),
        _ => Ok(()),
    }
}

/// Loads what the model needs and computes the derived values. A file that cannot be read
/// is an `Err` with the message for standard error; file-level problems (missing column,
/// rejected rows) come back as diagnostics in `Prepared`.
pub fn prepare(model: &Model, project: &Project, args: &DataArgs) -> Result<Prepared, FileError> {
    let path = |flag: &Option<PathBuf>, written: &Option<vigie::toml_read::Sp<String>>| {
        flag.clone()
            .or_else(|| written.as_ref().map(|w| project.resolve_path(&w.value)))
    };
    let mut problems: Vec<Diagnostic> = Vec::new();
    let mut opts = model.read_options();
    if let Some(limit) = args.max_record_bytes {
        opts.max_record_bytes = limit;
    }
    // Both files are streamed: a reader holds one record at a time, never the file.
    let events = match path(&args.events, &project.data.events).filter(|_| model.needs_events()) {
        Some(p) => {
            allowed(&p, args)?;
            let file = files::open(&p)?;
            let name = p.display().to_string();
            EventData::from_reader(&name, std::io::BufReader::new(file), &opts)
                .map_err(|e| problems.push(data_file_diagnostic(&e)))
                .ok()
        }
        None => None,
    };
    let positions =
        match path(&args.positions, &project.data.positions).filter(|_| model.needs_positions()) {
            Some(p) => {
                allowed(&p, args)?;
                let file = files::open(&p)?;
                let name = p.display().to_string();
                PositionData::from_reader(&name, std::io::BufReader::new(file), &opts)
                    .map_err(|e| problems.push(data_file_diagnostic(&e)))
                    .ok()
            }
            None => None,
        };
    let known = args.known_at_as_of || project.data.known_at_as_of;
    let mut prepared = derive::prepare(
        model,
        project,
        day_number(project.as_of),
        known,
        events.as_ref(),
        positions.as_ref(),
    );
    problems.append(&mut prepared.diagnostics);
    prepared.diagnostics = problems;
    Ok(prepared)
}
