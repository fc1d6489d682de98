//! Opening input files safely, for every reader of model, project, test, audit and data
//! files: only regular files (symbolic links to them included), never a directory, FIFO or
//! device, which would fail late, block forever (a FIFO nobody writes to) or never end
//! (`/dev/zero`); and never more than a documented size limit of text held in memory.
//! This module opens and reads; it decides nothing about what a file means.

use std::fs::{File, Metadata};
use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::diag::Code;

/// The default limit on a file read whole into memory (model, project, model test, test
/// table, position and `verify` files), in MiB.
pub const DEFAULT_MAX_FILE_MIB: u64 = 16;
/// The largest limit [`MAX_FILE_ENV`] may set, in MiB.
pub const MAX_FILE_MIB_CEILING: u64 = 4096;
/// The environment variable that raises (or lowers) the limit, a whole number of MiB.
pub const MAX_FILE_ENV: &str = "VIGIE_MAX_FILE_MIB";

/// The most bytes of one file read whole into memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    bytes: u64,
}

impl Limit {
    /// [`DEFAULT_MAX_FILE_MIB`].
    pub const DEFAULT: Limit = Limit {
        bytes: DEFAULT_MAX_FILE_MIB << 20,
    };

    /// A limit of `mib` MiB.
    pub const fn mib(mib: u64) -> Limit {
        Limit {
            bytes: mib.saturating_mul(1 << 20),
        }
    }

    /// The limit in bytes.
    pub fn bytes(self) -> u64 {
        self.bytes
    }

    /// The limit an environment sets through [`MAX_FILE_ENV`] ([`Limit::DEFAULT`] when it
    /// is unset); a value that is not a whole number of MiB from 1 to
    /// [`MAX_FILE_MIB_CEILING`] is an error, never silently the default.
    ///
    /// ```
    /// use vigie::input::Limit;
    /// assert_eq!(Limit::from_env(&|_| None).unwrap(), Limit::DEFAULT);
    /// assert_eq!(Limit::from_env(&|_| Some("64".into())).unwrap().bytes(), 64 << 20);
    /// assert!(Limit::from_env(&|_| Some("lots".into())).is_err());
    /// ```
    pub fn from_env(env: &dyn Fn(&str) -> Option<String>) -> Result<Limit, InputError> {
        let Some(value) = env(MAX_FILE_ENV) else {
            return Ok(Limit::DEFAULT);
        };
        match value.trim().parse::<u64>() {
            Ok(n) if (1..=MAX_FILE_MIB_CEILING).contains(&n) => Ok(Limit::mib(n)),
            _ => Err(InputError::BadLimit {
                value: crate::diag::excerpt(&value),
            }),
        }
    }
}

impl Default for Limit {
    fn default() -> Limit {
        Limit::DEFAULT
    }
}

impl std::fmt::Display for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.bytes.is_multiple_of(1 << 20) {
            write!(f, "{} MiB", self.bytes >> 20)
        } else {
            write!(f, "{} bytes", self.bytes)
        }
    }
}

/// Why an input file cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// The file cannot be opened or read (absent, no permission, an I/O error).
    #[error("cannot read {file}: {source}")]
    Io {
        /// The file as named.
        file: String,
        /// The system's reason.
        source: std::io::Error,
    },
    /// The path names a directory, FIFO, device or socket.
    #[error("{file} is {kind}, not a regular file: give the path of a file")]
    NotRegular {
        /// The file as named.
        file: String,
        /// What it is instead: "a directory", "a FIFO (named pipe)", ...
        kind: &'static str,
    },
    /// The file is larger than the limit.
    #[error(
        "{file} is larger than the {limit} limit on input files (set {MAX_FILE_ENV} to a larger number of MiB, at most {MAX_FILE_MIB_CEILING}, to read it)"
    )]
    TooLarge {
        /// The file as named.
        file: String,
        /// The limit.
        limit: Limit,
    },
    /// The file is not UTF-8 text.
    #[error("{file} is not UTF-8 text (byte {at})")]
    NotUtf8 {
        /// The file as named.
        file: String,
        /// Offset of the first byte that is not UTF-8.
        at: usize,
    },
    /// [`MAX_FILE_ENV`] holds something that is not an allowed number of MiB.
    #[error(
        "{MAX_FILE_ENV}=`{value}` must be a whole number of MiB from 1 to {MAX_FILE_MIB_CEILING}"
    )]
    BadLimit {
        /// The value, as an excerpt.
        value: String,
    },
}

impl InputError {
    /// The diagnostic code of this error: `VG009` for a file over its limit, `VG008`
    /// otherwise.
    pub fn code(&self) -> Code {
        match self {
            InputError::TooLarge { .. } => Code::InputTooLarge,
            _ => Code::InputFile,
        }
    }
}

/// What a file type is, in words, when it is not a regular file.
fn kind_of(meta: &Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if t.is_char_device() {
            return Some("a character device");
        }
        if t.is_block_device() {
            return Some("a block device");
        }
        if t.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a file")
}

/// Opens a regular file for reading (a symbolic link to one is followed). The path is
/// checked before it is opened, so a FIFO or a device is never opened at all; the file
/// is then opened without blocking (a FIFO swapped in between cannot hang the open) and
/// checked again, so what is read is the regular file that was checked.
pub fn open_regular(path: &Path) -> Result<(File, Metadata), InputError> {
    let name = || path.display().to_string();
    let io = |source| InputError::Io {
        file: name(),
        source,
    };
    let before = std::fs::metadata(path).map_err(io)?;
    if let Some(kind) = kind_of(&before) {
        return Err(InputError::NotRegular { file: name(), kind });
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = options.open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if let Some(kind) = kind_of(&meta) {
        return Err(InputError::NotRegular { file: name(), kind });
    }
    Ok((file, meta))
}

/// Reads at most `limit` bytes from `reader`: more is [`InputError::TooLarge`], found
/// without reading past the limit.
pub fn read_limited(reader: impl Read, name: &str, limit: Limit) -> Result<Vec<u8>, InputError> {
    let mut bytes = Vec::new();
    reader
        .take(limit.bytes().saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|source| InputError::Io {
            file: name.to_string(),
            source,
        })?;
    if bytes.len() as u64 > limit.bytes() {
        return Err(InputError::TooLarge {
            file: name.to_string(),
            limit,
        });
    }
    Ok(bytes)
}

/// A regular file's bytes, if it is no larger than `limit` (checked before reading).
pub fn read_bytes(path: &Path, limit: Limit) -> Result<Vec<u8>, InputError> {
    let (file, meta) = open_regular(path)?;
    let name = path.display().to_string();
    if meta.len() > limit.bytes() {
        return Err(InputError::TooLarge { file: name, limit });
    }
    read_limited(file, &name, limit)
}

/// Bytes as UTF-8 text, or where they stop being UTF-8.
pub fn utf8(bytes: Vec<u8>, name: &str) -> Result<String, InputError> {
    String::from_utf8(bytes).map_err(|e| InputError::NotUtf8 {
        file: name.to_string(),
        at: e.utf8_error().valid_up_to(),
    })
}

/// A regular file's text (UTF-8), if it is no larger than `limit`.
pub fn read_text(path: &Path, limit: Limit) -> Result<String, InputError> {
    utf8(read_bytes(path, limit)?, &path.display().to_string())
}

/// SHA-256 of a regular file, lowercase hex, streamed: any size, in bounded memory.
pub fn sha256_file(path: &Path) -> Result<String, InputError> {
    let (mut file, _) = open_regular(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => hasher.update(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(source) => {
                return Err(InputError::Io {
                    file: path.display().to_string(),
                    source,
                });
            }
        }
    }
    Ok(crate::audit::hex(&hasher.finalize()))
}

/// A file's identity: its device and inode, the same whatever path (a symbolic link, a
/// hard link, `./a` or `a`) names it. Outputs are compared with inputs by this, never by
/// name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileId {
    dev: u64,
    ino: u64,
}

impl FileId {
    /// The identity of the file `meta` describes (`None` where the system gives none).
    pub fn of(meta: &Metadata) -> Option<FileId> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(FileId {
                dev: meta.dev(),
                ino: meta.ino(),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            None
        }
    }

    /// The identity of the file a path names, following symbolic links (`None` if there
    /// is none).
    pub fn of_path(path: &Path) -> Option<FileId> {
        std::fs::metadata(path).ok().as_ref().and_then(FileId::of)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("vigie-input-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_directory_is_refused_before_reading() {
        let dir = scratch("dir");
        let e = read_text(&dir, Limit::DEFAULT).unwrap_err();
        assert!(
            matches!(
                e,
                InputError::NotRegular {
                    kind: "a directory",
                    ..
                }
            ),
            "{e}"
        );
        assert_eq!(e.code(), Code::InputFile);
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_refused_without_reading_them() {
        for dev in ["/dev/zero", "/dev/urandom", "/dev/null"] {
            let e = read_bytes(Path::new(dev), Limit::DEFAULT).unwrap_err();
            assert!(
                matches!(
                    e,
                    InputError::NotRegular {
                        kind: "a character device",
                        ..
                    }
                ),
                "{dev}: {e}"
            );
            assert!(sha256_file(Path::new(dev)).is_err());
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_nobody_writes_to_is_refused_at_once() {
        let dir = scratch("fifo");
        let fifo = dir.join("pipe");
        let _ = std::fs::remove_file(&fifo);
        let c = std::ffi::CString::new(fifo.display().to_string()).unwrap();
        // SAFETY: a valid NUL-terminated path; mkfifo has no other precondition.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        // Opening it for reading would block forever; it must not even be opened.
        let e = read_text(&fifo, Limit::DEFAULT).unwrap_err();
        assert!(
            matches!(
                e,
                InputError::NotRegular {
                    kind: "a FIFO (named pipe)",
                    ..
                }
            ),
            "{e}"
        );
    }

    #[test]
    fn a_file_over_the_limit_is_refused_and_one_at_it_is_read() {
        let dir = scratch("limit");
        let path = dir.join("f.toml");
        std::fs::write(&path, "x".repeat(1024)).unwrap();
        let limit = Limit { bytes: 1023 };
        let e = read_text(&path, limit).unwrap_err();
        assert_eq!(e.code(), Code::InputTooLarge);
        assert!(e.to_string().contains(MAX_FILE_ENV), "{e}");
        assert_eq!(read_text(&path, Limit { bytes: 1024 }).unwrap().len(), 1024);
        // A reader that grows past the limit is cut at it, not read to its end.
        let e = read_limited(std::io::repeat(b'a'), "-", limit).unwrap_err();
        assert_eq!(e.code(), Code::InputTooLarge);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_to_a_file_is_read_and_hard_links_share_an_identity() {
        let dir = scratch("links");
        let file = dir.join("a.toml");
        std::fs::write(&file, "a = 1\n").unwrap();
        let (link, hard) = (dir.join("link.toml"), dir.join("hard.toml"));
        let _ = std::fs::remove_file(&link);
        let _ = std::fs::remove_file(&hard);
        std::os::unix::fs::symlink(&file, &link).unwrap();
        std::fs::hard_link(&file, &hard).unwrap();
        assert_eq!(read_text(&link, Limit::DEFAULT).unwrap(), "a = 1\n");
        let id = FileId::of_path(&file).unwrap();
        assert_eq!(FileId::of_path(&link), Some(id));
        assert_eq!(FileId::of_path(&hard), Some(id));
        assert_ne!(FileId::of_path(&dir), Some(id));
    }

    #[test]
    fn bad_limits_in_the_environment_are_errors() {
        for bad in ["0", "-1", "4097", "16MiB", ""] {
            let e = Limit::from_env(&|_| Some(bad.to_string())).unwrap_err();
            assert!(matches!(e, InputError::BadLimit { .. }), "{bad}");
        }
        assert_eq!(
            Limit::from_env(&|_| Some("4096".into())).unwrap(),
            Limit::mib(4096)
        );
    }

    #[test]
    fn text_that_is_not_utf8_says_where() {
        let e = utf8(vec![b'a', 0xff], "f").unwrap_err();
        assert_eq!(e.to_string(), "f is not UTF-8 text (byte 1)");
    }
}
