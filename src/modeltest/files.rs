//! Opening the files that model tests read (test files, and the models, projects, tables
//! and data files they name): regular files only, so that a named pipe, a device such as
//! `/dev/zero` or a directory gives an error at once instead of a hang or unbounded memory.

use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::FileTypeExt;
use std::path::Path;

/// Opens `path` (after symbolic links) for reading if it is a regular file.
///
/// The type is checked before opening, because opening a FIFO blocks until someone writes
/// to it, and again on the opened file, in case the path was replaced in between.
pub fn open_regular(path: &Path) -> io::Result<File> {
    refuse_special(&std::fs::metadata(path)?.file_type())?;
    let file = File::open(path)?;
    refuse_special(&file.metadata()?.file_type())?;
    Ok(file)
}

/// Reads the whole of a regular file (see [`open_regular`]).
pub fn read_regular(path: &Path) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    open_regular(path)?.read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn refuse_special(kind: &std::fs::FileType) -> io::Result<()> {
    let what = if kind.is_file() {
        return Ok(());
    } else if kind.is_dir() {
        "a directory"
    } else if kind.is_fifo() {
        "a named pipe (FIFO)"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "a special file"
    };
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("it is {what}, not a regular file"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_and_directories_are_refused_without_reading() {
        for path in ["/dev/zero", "/dev/null", "/"] {
            let e = read_regular(Path::new(path)).unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::InvalidInput, "{path}");
            assert!(e.to_string().ends_with("not a regular file"), "{path}: {e}");
        }
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
        assert!(read_regular(&manifest).unwrap().starts_with(b"[package]"));
    }
}
