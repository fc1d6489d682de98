//! Reading input files and writing outputs without leaving half-written files behind.

use std::io::Write;
use std::path::Path;

use vigie::SourceFile;

/// Reads a file as UTF-8 text, named as the user gave it.
pub fn read(path: &Path) -> Result<SourceFile, String> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| format!("error: cannot read {name}: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "error: {name} is not UTF-8 text (byte {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    Ok(SourceFile::new(name, text))
}

/// Opens a data file for streaming.
pub fn open(path: &Path) -> Result<std::fs::File, String> {
    std::fs::File::open(path).map_err(|e| format!("error: cannot read {}: {e}\n", path.display()))
}

/// Reads a data file's bytes.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("error: cannot read {}: {e}\n", path.display()))
}

/// Writes `text` to `path` atomically: a temporary file in the same directory, then a rename.
pub fn write_atomic(path: &Path, text: &str) -> Result<(), String> {
    write_all_atomic(&[(path, text)])
}

/// Writes several files so that either all of them are written or none is: every text goes
/// to a temporary file first, and only when all are written are they renamed into place.
/// A rename failing half-way removes the files renamed so far (an existing file that
/// `--force` replaced cannot be brought back; that is said in the error).
pub fn write_all_atomic(files: &[(&Path, &str)]) -> Result<(), String> {
    let mut temps = Vec::new();
    let cleanup = |temps: &[std::path::PathBuf]| {
        for t in temps {
            let _ = std::fs::remove_file(t);
        }
    };
    for (path, text) in files {
        let tmp = temp_beside(path);
        let written = (|| {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(text.as_bytes())?;
            f.sync_all()
        })();
        temps.push(tmp);
        if let Err(e) = written {
            cleanup(&temps);
            return Err(format!("error: cannot write {}: {e}", path.display()));
        }
    }
    for (k, ((path, _), tmp)) in files.iter().zip(&temps).enumerate() {
        if let Err(e) = std::fs::rename(tmp, path) {
            cleanup(&temps[k..]);
            for (done, _) in &files[..k] {
                let _ = std::fs::remove_file(done);
            }
            return Err(format!(
                "error: cannot write {}: {e} (files written before it were removed)",
                path.display()
            ));
        }
    }
    Ok(())
}

fn temp_beside(path: &Path) -> std::path::PathBuf {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    dir.join(format!(".{name}.vigie-tmp-{}", std::process::id()))
}

/// Writes to the file if one is given, else to standard output.
pub fn emit(output: Option<&Path>, text: &str) -> Result<(), String> {
    match output {
        Some(p) => write_atomic(p, text),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .map_err(|e| format!("error: cannot write output: {e}"))
        }
    }
}
