//! Paths of model tests: the test file beside a model; paths written in a test file,
//! resolved against its folder and tidied for display; reference tables found under `$ENV`
//! when it is set, else under the folder the test file names.

use std::path::{Component, Path, PathBuf};

use super::spec::ReferenceDir;

/// `written`, relative to `base` unless absolute.
pub fn resolve(base: &Path, written: &str) -> PathBuf {
    let written = Path::new(written);
    if written.is_absolute() {
        written.to_path_buf()
    } else {
        base.join(written)
    }
}

/// The test file beside a model: `<model folder>/tests/<model stem>.toml`.
pub fn test_file_of(model: &Path) -> PathBuf {
    // Appended, not `with_extension`: a stem with dots ("model-1.1.0") would lose its
    // last part.
    let mut name = model.file_stem().unwrap_or_default().to_os_string();
    name.push(".toml");
    folder_of(model)
        .join(super::discover::TESTS_FOLDER)
        .join(name)
}

/// The folder of a file (`.` for a bare file name), for resolving paths written in it.
pub fn folder_of(file: &Path) -> PathBuf {
    file.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// A path with `.` removed and `dir/..` folded, without touching the file system: how a
/// path is shown (`models/tests/../hdi.toml` reads as `models/hdi.toml`). Files are still
/// opened by the path as resolved, so a symbolic link is never misread.
pub fn tidy(path: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            other => out.push(other),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

/// Where a reference table is, and how it was found (for the message when it is absent).
#[derive(Debug, Clone, PartialEq)]
pub struct ReferencePath {
    /// The file to read.
    pub path: PathBuf,
    /// How the folder was chosen, e.g. "$VIGIE_REFERENCE_DIR" or "`reference.dir` (set
    /// VIGIE_REFERENCE_DIR to read it elsewhere)".
    pub how: String,
}

/// The path of a reference table: under `$env` when that variable is set and not empty,
/// else under the test file's `reference.dir`.
pub fn reference_path(
    reference: &ReferenceDir,
    test_folder: &Path,
    relative: &str,
    env: impl Fn(&str) -> Option<String>,
) -> ReferencePath {
    let from_env = reference.env.as_ref().and_then(|name| {
        env(&name.value)
            .filter(|v| !v.is_empty())
            .map(|v| (name, v))
    });
    match from_env {
        Some((name, dir)) => ReferencePath {
            path: resolve(Path::new(&dir), relative),
            how: format!("${}", name.value),
        },
        None => ReferencePath {
            path: resolve(&resolve(test_folder, &reference.dir.value), relative),
            how: match &reference.env {
                Some(name) => format!(
                    "the test file's reference.dir; set {} to read it elsewhere",
                    name.value
                ),
                None => "the test file's reference.dir".to_string(),
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::toml_read::Sp;

    #[test]
    fn tidy_folds_parent_components() {
        assert_eq!(
            tidy(Path::new("models/tests/../hdi.toml")),
            Path::new("models/hdi.toml")
        );
        assert_eq!(
            tidy(Path::new("models/tests/../../../shared/x.csv")),
            Path::new("../shared/x.csv")
        );
        assert_eq!(tidy(Path::new("./a/./b")), Path::new("a/b"));
        assert_eq!(tidy(Path::new("/../a")), Path::new("/a"));
    }

    #[test]
    fn the_environment_overrides_the_written_folder() {
        let reference = ReferenceDir {
            dir: Sp::new("../../shared".to_string(), 0..0),
            env: Some(Sp::new("REF".to_string(), 0..0)),
        };
        let set = |_: &str| Some("/data/ref".to_string());
        let unset = |_: &str| None;
        let empty = |_: &str| Some(String::new());
        assert_eq!(
            reference_path(&reference, Path::new("m/tests"), "hdi/x.csv", set).path,
            Path::new("/data/ref/hdi/x.csv")
        );
        let written = Path::new("m/tests/../../shared/hdi/x.csv");
        assert_eq!(
            reference_path(&reference, Path::new("m/tests"), "hdi/x.csv", unset).path,
            written
        );
        assert_eq!(
            reference_path(&reference, Path::new("m/tests"), "hdi/x.csv", empty).path,
            written
        );
    }
}
