//! Reading input files and writing outputs. Inputs are opened through `vigie::input`: only
//! regular files, no larger than the limit (`VIGIE_MAX_FILE_MIB`); each one read is
//! remembered by device and inode, so that no output of the same run can replace it,
//! whatever path names it. Outputs are written atomically: a temporary file created
//! exclusively (random name, `O_EXCL`) in the target's folder, then renamed over it, so a
//! failure leaves an existing output untouched and a symbolic link planted at a
//! predictable name is never followed.

use std::fmt;
use std::io::Write;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

use vigie::input::{self, FileId, InputError, Limit};
use vigie::{Code, SourceFile};

/// Why a file cannot be read or written: a code and a sentence.
#[derive(Debug, Clone)]
pub struct FileError {
    /// `VG008`/`VG009` for inputs, `VG086`/`VG087` for outputs.
    pub code: Code,
    /// What is wrong.
    pub message: String,
}

impl FileError {
    fn new(code: Code, message: impl Into<String>) -> FileError {
        FileError {
            code,
            message: message.into(),
        }
    }
}

impl From<InputError> for FileError {
    fn from(e: InputError) -> FileError {
        FileError::new(e.code(), e.to_string())
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error[{}]: {}", self.code, self.message)
    }
}

/// The text for standard error, newline included (the commands' `Err(String)` convention).
impl From<FileError> for String {
    fn from(e: FileError) -> String {
        format!("{e}\n")
    }
}

/// Every input file this run has read, by identity, with the name it was read under.
fn inputs() -> &'static Mutex<Vec<(FileId, String)>> {
    static INPUTS: OnceLock<Mutex<Vec<(FileId, String)>>> = OnceLock::new();
    INPUTS.get_or_init(|| Mutex::new(Vec::new()))
}

fn remember(meta: &std::fs::Metadata, path: &Path) {
    if let Some(id) = FileId::of(meta)
        && let Ok(mut list) = inputs().lock()
    {
        list.push((id, path.display().to_string()));
    }
}

/// The input of this run that `id` is, if any.
fn input_named(id: FileId) -> Option<String> {
    let list = inputs().lock().ok()?;
    list.iter().find(|(i, _)| *i == id).map(|(_, n)| n.clone())
}

/// The limit on files read whole, from `VIGIE_MAX_FILE_MIB` (read once).
pub fn limit() -> Result<Limit, FileError> {
    static LIMIT: OnceLock<Result<Limit, String>> = OnceLock::new();
    LIMIT
        .get_or_init(|| {
            Limit::from_env(&|name| std::env::var(name).ok()).map_err(|e| e.to_string())
        })
        .clone()
        .map_err(|m| FileError::new(Code::InputFile, m))
}

/// `-` names standard input, which only `vigie verify` reads.
fn not_stdin(path: &Path) -> Result<(), FileError> {
    if path.as_os_str() == "-" {
        return Err(FileError::new(
            Code::InputFile,
            "`-` (standard input) is not read by this command: name a file (`./-` for a file named -)",
        ));
    }
    Ok(())
}

/// Opens a regular input file and remembers it as an input of this run.
fn open_input(path: &Path) -> Result<(std::fs::File, std::fs::Metadata), FileError> {
    not_stdin(path)?;
    let (file, meta) = input::open_regular(path)?;
    remember(&meta, path);
    Ok((file, meta))
}

/// Reads a file as UTF-8 text, named as the user gave it.
pub fn read(path: &Path) -> Result<SourceFile, FileError> {
    let bytes = read_bytes(path)?;
    let name = path.display().to_string();
    Ok(SourceFile::new(name.clone(), input::utf8(bytes, &name)?))
}

/// Opens a data file for streaming (its size is not limited: it is never held whole).
pub fn open(path: &Path) -> Result<std::fs::File, FileError> {
    open_input(path).map(|(file, _)| file)
}

/// Reads a file's bytes, within the limit.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, FileError> {
    let limit = limit()?;
    let (file, meta) = open_input(path)?;
    let name = path.display().to_string();
    if meta.len() > limit.bytes() {
        return Err(InputError::TooLarge { file: name, limit }.into());
    }
    Ok(input::read_limited(file, &name, limit)?)
}

/// Standard input's bytes, within the limit (for `vigie verify -`).
pub fn read_stdin() -> Result<Vec<u8>, FileError> {
    Ok(input::read_limited(
        std::io::stdin().lock(),
        "standard input",
        limit()?,
    )?)
}

/// Refuses an output path that is an input of this run (the same file, by device and
/// inode: a symbolic or hard link to an input is refused too), or that is not a file
/// an output can replace (a directory, a device). Commands call it before computing, and
/// the writer again just before renaming.
pub fn check_output(path: &Path) -> Result<(), FileError> {
    let shown = path.display();
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(());
    };
    if let Some(id) = FileId::of(&meta)
        && let Some(input) = input_named(id)
    {
        let same = if input == shown.to_string() {
            String::new()
        } else {
            format!(" ({input}, the same file)")
        };
        return Err(FileError::new(
            Code::OutputIsInput,
            format!(
                "the output {shown} is an input of this run{same}: nothing was written; choose another output path"
            ),
        ));
    }
    if !meta.is_file() {
        return Err(FileError::new(
            Code::OutputFile,
            format!("cannot write {shown}: it exists and is not a regular file"),
        ));
    }
    Ok(())
}

/// Refuses to print onto an input: `vigie score m.toml p.toml >> p.toml` would append the
/// report to the project file.
#[cfg(unix)]
fn check_stdout() -> Result<(), FileError> {
    use std::os::fd::AsFd;
    let Ok(fd) = std::io::stdout().as_fd().try_clone_to_owned() else {
        return Ok(());
    };
    let Ok(meta) = std::fs::File::from(fd).metadata() else {
        return Ok(());
    };
    match FileId::of(&meta).and_then(input_named) {
        Some(input) => Err(FileError::new(
            Code::OutputIsInput,
            format!(
                "standard output is {input}, an input of this run: nothing was written; redirect the output elsewhere"
            ),
        )),
        None => Ok(()),
    }
}

#[cfg(not(unix))]
fn check_stdout() -> Result<(), FileError> {
    Ok(())
}

/// Writes `text` to `path` atomically.
pub fn write_atomic(path: &Path, text: &str) -> Result<(), FileError> {
    write_all_atomic(&[(path, text)])
}

/// A temporary file beside `path`, created exclusively under a random name, with the
/// permissions a new file gets (0666 less the umask), not tempfile's 0600.
fn temp_beside(path: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".vigie-tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(dir)
}

/// Why a temporary file could not be made or written, without its random name.
fn why(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "its folder does not exist".to_string(),
        kind => kind.to_string(),
    }
}

/// Writes several files so that either all of them are written or none is: every text goes
/// to a temporary file first, and only when all are written, and no target is an input of
/// this run, are they renamed into place. A rename failing half-way removes the files
/// renamed so far (an existing file that `--force` replaced cannot be brought back; that is
/// said in the error).
pub fn write_all_atomic(files: &[(&Path, &str)]) -> Result<(), FileError> {
    let cannot = |path: &Path, e: &dyn fmt::Display| {
        FileError::new(
            Code::OutputFile,
            format!("cannot write {}: {e}", path.display()),
        )
    };
    let mut temps = Vec::new();
    for (path, text) in files {
        check_output(path)?;
        let written = temp_beside(path).and_then(|mut tmp| {
            tmp.write_all(text.as_bytes())?;
            tmp.as_file().sync_all()?;
            Ok(tmp)
        });
        // A temporary file not kept is removed when dropped, on every error path.
        temps.push(written.map_err(|e| cannot(path, &why(&e)))?);
    }
    for (path, _) in files {
        check_output(path)?;
    }
    for (k, ((path, _), tmp)) in files.iter().zip(temps).enumerate() {
        if let Err(e) = tmp.persist(path) {
            for (done, _) in &files[..k] {
                let _ = std::fs::remove_file(done);
            }
            let mut err = cannot(path, &e.error);
            if k > 0 {
                err.message
                    .push_str(" (files written before it were removed)");
            }
            return Err(err);
        }
    }
    Ok(())
}

/// Writes to the file if one is given, else to standard output.
pub fn emit(output: Option<&Path>, text: &str) -> Result<(), FileError> {
    match output {
        Some(p) => write_atomic(p, text),
        None => {
            check_stdout()?;
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .map_err(|e| FileError::new(Code::OutputFile, format!("cannot write output: {e}")))
        }
    }
}
