//! Audit facts attached to every output: file fingerprints and the engine's version, so an
//! auditor can tell exactly which model, project and engine produced a number; and the
//! reader of an output's audit block for `vigie verify`: untrusted JSON (anyone can edit
//! it) read into a typed, validated record with bounded counts and lengths, or an error
//! saying where it is wrong. It only parses: opening the files it names is the caller's.

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::diag::Code;

/// The engine version, from the package manifest.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// SHA-256 of bytes, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// A digest as lowercase hex.
pub fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The most arguments a recorded invocation may hold.
pub const MAX_INVOCATION_ARGS: usize = 64;
/// The longest string (a file name, an argument, the working directory) an audit block may
/// hold, in bytes.
pub const MAX_FIELD_BYTES: usize = 4096;
/// The most data files an audit block may record: one event file and one position file.
pub const MAX_DATA_FILES: usize = 2;
/// The commands whose JSON outputs carry an audit block that `vigie verify` replays.
pub const REPLAYED_COMMANDS: &[&str] = &["score", "simulate", "sensitivity"];

/// Which data file an audit block records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataKind {
    /// An event file (`--events` or `[project.data] events`).
    Events,
    /// A position file (`--positions` or `[project.data] positions`).
    Positions,
}

impl DataKind {
    /// The word used in audit blocks.
    pub fn as_str(self) -> &'static str {
        match self {
            DataKind::Events => "events",
            DataKind::Positions => "positions",
        }
    }
}

/// A data file as an audit block records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedFile {
    /// Events or positions.
    pub kind: DataKind,
    /// The file as the run named it (relative to the working directory).
    pub file: String,
    /// Its SHA-256, 64 lowercase hex digits.
    pub sha256: String,
}

/// The audit block of a JSON output, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    /// The model file as the run named it.
    pub model_file: String,
    /// SHA-256 of its bytes.
    pub model_sha256: String,
    /// SHA-256 of its canonical form.
    pub model_canonical_sha256: String,
    /// The project file as the run named it.
    pub project_file: String,
    /// SHA-256 of its bytes.
    pub project_sha256: String,
    /// Data files read, at most one of each kind.
    pub data_files: Vec<RecordedFile>,
    /// The engine that made the output.
    pub engine_version: String,
    /// The arguments after `vigie`: a command of [`REPLAYED_COMMANDS`] first.
    pub invocation: Vec<String>,
    /// The directory the run was made in (an absolute path), if recorded: outputs of
    /// versions before it was recorded have none.
    pub working_directory: Option<String>,
}

/// A JSON output to verify: the whole document, and its audit block.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifyInput {
    /// The output as parsed, for comparing with the output made again.
    pub output: Value,
    /// Its audit block.
    pub audit: AuditRecord,
}

/// Why a text is not a JSON output of vigie with a usable audit block. Every variant says
/// where; none quotes more than [`crate::diag::MAX_EXCERPT_CHARS`] characters of the text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuditInputError {
    /// The text is not JSON.
    #[error(
        "line {line}, column {column}: not JSON ({message}); only JSON outputs can be verified"
    )]
    NotJson {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's reason.
        message: String,
    },
    /// A field the audit block must have is absent.
    #[error("{path}: missing (not a JSON output of vigie score, simulate or sensitivity)")]
    Missing {
        /// JSON path, e.g. `$.audit.model_sha256`.
        path: String,
    },
    /// A field has the wrong JSON type.
    #[error("{path}: expected {expected}, found {found}")]
    WrongType {
        /// JSON path.
        path: String,
        /// What it must be.
        expected: &'static str,
        /// What it is.
        found: &'static str,
    },
    /// A field has the right type and a value not allowed (a hash that is not 64 hex
    /// digits, a string or list over its bound, an unknown data-file kind...).
    #[error("{path}: {message}")]
    Invalid {
        /// JSON path.
        path: String,
        /// What is wrong.
        message: String,
    },
}

impl AuditInputError {
    /// Always `VG088`.
    pub fn code(&self) -> Code {
        Code::AuditBlock
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Reads the fields of one JSON object, each by its path.
struct Fields<'a> {
    object: &'a serde_json::Map<String, Value>,
    path: String,
}

impl<'a> Fields<'a> {
    fn of(v: &'a Value, path: &str) -> Result<Fields<'a>, AuditInputError> {
        match v {
            Value::Object(object) => Ok(Fields {
                object,
                path: path.to_string(),
            }),
            other => Err(AuditInputError::WrongType {
                path: path.to_string(),
                expected: "an object",
                found: type_name(other),
            }),
        }
    }

    fn at(&self, key: &str) -> String {
        format!("{}.{key}", self.path)
    }

    fn get(&self, key: &str) -> Result<&'a Value, AuditInputError> {
        self.object
            .get(key)
            .ok_or_else(|| AuditInputError::Missing { path: self.at(key) })
    }

    fn string(&self, key: &str) -> Result<String, AuditInputError> {
        bounded_string(self.get(key)?, &self.at(key))
    }

    fn sha256(&self, key: &str) -> Result<String, AuditInputError> {
        let s = self.string(key)?;
        let hex = s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        if !hex {
            return Err(AuditInputError::Invalid {
                path: self.at(key),
                message: format!(
                    "`{}` is not a SHA-256 (64 lowercase hex digits)",
                    crate::diag::excerpt(&s)
                ),
            });
        }
        Ok(s)
    }

    fn array(&self, key: &str, max: usize) -> Result<&'a [Value], AuditInputError> {
        match self.get(key)? {
            Value::Array(items) if items.len() <= max => Ok(items),
            Value::Array(items) => Err(AuditInputError::Invalid {
                path: self.at(key),
                message: format!("{} entries; at most {max}", items.len()),
            }),
            other => Err(AuditInputError::WrongType {
                path: self.at(key),
                expected: "an array",
                found: type_name(other),
            }),
        }
    }
}

/// A string of at most [`MAX_FIELD_BYTES`] bytes, without NUL (no file name holds one).
fn bounded_string(v: &Value, path: &str) -> Result<String, AuditInputError> {
    let Value::String(s) = v else {
        return Err(AuditInputError::WrongType {
            path: path.to_string(),
            expected: "a string",
            found: type_name(v),
        });
    };
    if s.len() > MAX_FIELD_BYTES {
        return Err(AuditInputError::Invalid {
            path: path.to_string(),
            message: format!("{} bytes long; at most {MAX_FIELD_BYTES}", s.len()),
        });
    }
    if s.contains('\0') {
        return Err(AuditInputError::Invalid {
            path: path.to_string(),
            message: "holds a NUL character".to_string(),
        });
    }
    Ok(s.clone())
}

/// Parses the text of a file given to `vigie verify`: a JSON output of `vigie score`,
/// `simulate` or `sensitivity`, with its audit block checked field by field (types, hash
/// forms, at most [`MAX_DATA_FILES`] data files and [`MAX_INVOCATION_ARGS`] arguments,
/// strings of at most [`MAX_FIELD_BYTES`] bytes, a recorded command of
/// [`REPLAYED_COMMANDS`]). Never panics, whatever the text.
///
/// ```
/// use vigie::audit::{AuditInputError, parse_verify_input};
/// let e = parse_verify_input("{\"score\": 1}").unwrap_err();
/// assert_eq!(e, AuditInputError::Missing { path: "$.audit".into() });
/// assert!(matches!(parse_verify_input("{"), Err(AuditInputError::NotJson { line: 1, .. })));
/// ```
pub fn parse_verify_input(text: &str) -> Result<VerifyInput, AuditInputError> {
    let output: Value = serde_json::from_str(text).map_err(|e| AuditInputError::NotJson {
        line: e.line(),
        column: e.column(),
        message: crate::diag::excerpt(&e.to_string()),
    })?;
    let top = Fields::of(&output, "$")?;
    let a = Fields::of(top.get("audit")?, "$.audit")?;
    let mut data_files: Vec<RecordedFile> = Vec::new();
    // Absent when the run read no data file.
    let recorded_data = match a.object.get("data_files") {
        None => &[][..],
        Some(_) => a.array("data_files", MAX_DATA_FILES)?,
    };
    for (i, d) in recorded_data.iter().enumerate() {
        let f = Fields::of(d, &format!("$.audit.data_files[{i}]"))?;
        let kind = match f.string("kind")?.as_str() {
            "events" => DataKind::Events,
            "positions" => DataKind::Positions,
            other => {
                return Err(AuditInputError::Invalid {
                    path: f.at("kind"),
                    message: format!(
                        "`{}` is not a data-file kind (events or positions)",
                        crate::diag::excerpt(other)
                    ),
                });
            }
        };
        if data_files.iter().any(|r| r.kind == kind) {
            return Err(AuditInputError::Invalid {
                path: f.at("kind"),
                message: format!("a second {} file; a run reads at most one", kind.as_str()),
            });
        }
        data_files.push(RecordedFile {
            kind,
            file: non_empty(f.string("file")?, &f.at("file"))?,
            sha256: f.sha256("sha256")?,
        });
    }
    let invocation = a
        .array("invocation", MAX_INVOCATION_ARGS)?
        .iter()
        .enumerate()
        .map(|(i, v)| bounded_string(v, &format!("$.audit.invocation[{i}]")))
        .collect::<Result<Vec<String>, _>>()?;
    match invocation.first() {
        Some(c) if REPLAYED_COMMANDS.contains(&c.as_str()) => {}
        Some(c) => {
            return Err(AuditInputError::Invalid {
                path: "$.audit.invocation[0]".to_string(),
                message: format!(
                    "`{}` is not a command whose output can be verified ({})",
                    crate::diag::excerpt(c),
                    REPLAYED_COMMANDS.join(", ")
                ),
            });
        }
        None => {
            return Err(AuditInputError::Invalid {
                path: "$.audit.invocation".to_string(),
                message: "empty: the output records no command to run again".to_string(),
            });
        }
    }
    let working_directory = match a.object.get("working_directory") {
        None => None,
        Some(v) => {
            let path = a.at("working_directory");
            let dir = bounded_string(v, &path)?;
            if !std::path::Path::new(&dir).is_absolute() {
                return Err(AuditInputError::Invalid {
                    path,
                    message: "not an absolute path".to_string(),
                });
            }
            Some(dir)
        }
    };
    let engine_version = a.string("engine_version")?;
    let audit = AuditRecord {
        model_file: non_empty(a.string("model_file")?, &a.at("model_file"))?,
        model_sha256: a.sha256("model_sha256")?,
        model_canonical_sha256: a.sha256("model_canonical_sha256")?,
        project_file: non_empty(a.string("project_file")?, &a.at("project_file"))?,
        project_sha256: a.sha256("project_sha256")?,
        data_files,
        engine_version,
        invocation,
        working_directory,
    };
    Ok(VerifyInput { output, audit })
}

fn non_empty(s: String, path: &str) -> Result<String, AuditInputError> {
    if s.is_empty() {
        return Err(AuditInputError::Invalid {
            path: path.to_string(),
            message: "an empty file name".to_string(),
        });
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    #[test]
    fn sha256_of_abc_is_the_fips_vector() {
        assert_eq!(
            super::sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    use super::*;

    /// A minimal valid output, with `edit` applied to its audit block.
    fn output(edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> String {
        let h = "a".repeat(64);
        let mut v = serde_json::json!({
            "score": 57.9,
            "audit": {
                "model_file": "m.toml", "model_sha256": h, "model_canonical_sha256": h,
                "project_file": "p.toml", "project_sha256": h,
                "data_files": [{"kind": "events", "file": "data/e.csv", "sha256": h}],
                "engine_version": "0.1.0",
                "invocation": ["score", "m.toml", "p.toml", "--format", "json"],
                "working_directory": "/work"
            }
        });
        edit(v["audit"].as_object_mut().unwrap());
        v.to_string()
    }

    #[test]
    fn a_valid_audit_block_is_read_into_its_record() {
        let input = parse_verify_input(&output(|_| {})).unwrap();
        let a = &input.audit;
        assert_eq!(
            (a.model_file.as_str(), a.project_file.as_str()),
            ("m.toml", "p.toml")
        );
        assert_eq!(a.data_files[0].kind, DataKind::Events);
        assert_eq!(a.data_files[0].file, "data/e.csv");
        assert_eq!(a.invocation.len(), 5);
        assert_eq!(a.working_directory.as_deref(), Some("/work"));
        assert_eq!(input.output["score"], 57.9);
    }

    #[test]
    fn each_malformed_field_is_named_by_its_path() {
        type Edit = fn(&mut serde_json::Map<String, Value>);
        let cases: &[(Edit, &str)] = &[
            (
                |a| {
                    a.remove("model_sha256");
                },
                "$.audit.model_sha256",
            ),
            (
                |a| {
                    a["project_file"] = 3.into();
                },
                "$.audit.project_file",
            ),
            (
                |a| {
                    a["model_sha256"] = "XYZ".into();
                },
                "$.audit.model_sha256",
            ),
            (
                |a| {
                    a["data_files"][0]["kind"] = "secrets".into();
                },
                "$.audit.data_files[0].kind",
            ),
            (
                |a| {
                    a["invocation"] = serde_json::json!(["check", "m.toml"]);
                },
                "$.audit.invocation[0]",
            ),
            (
                |a| {
                    a["invocation"] = serde_json::json!([]);
                },
                "$.audit.invocation",
            ),
            (
                |a| {
                    a["invocation"] = serde_json::json!(["score", 1]);
                },
                "$.audit.invocation[1]",
            ),
            (
                |a| {
                    a["working_directory"] = "relative/dir".into();
                },
                "$.audit.working_directory",
            ),
            (
                |a| {
                    a["model_file"] = "".into();
                },
                "$.audit.model_file",
            ),
            (
                |a| {
                    a["model_file"] = "x".repeat(MAX_FIELD_BYTES + 1).into();
                },
                "$.audit.model_file",
            ),
        ];
        for (edit, path) in cases {
            let e = parse_verify_input(&output(*edit)).unwrap_err();
            assert!(e.to_string().starts_with(path), "{path}: {e}");
            assert_eq!(e.code(), Code::AuditBlock);
        }
    }

    #[test]
    fn counts_are_bounded_before_anything_is_replayed() {
        let e = parse_verify_input(&output(|a| {
            a["invocation"] = Value::Array(vec!["score".into(); MAX_INVOCATION_ARGS + 1]);
        }))
        .unwrap_err();
        assert_eq!(e.to_string(), "$.audit.invocation: 65 entries; at most 64");
        let e = parse_verify_input(&output(|a| {
            let f = a["data_files"][0].clone();
            a["data_files"] = Value::Array(vec![f; 3]);
        }))
        .unwrap_err();
        assert!(e.to_string().contains("at most 2"), "{e}");
        let e = parse_verify_input(&output(|a| {
            let f = a["data_files"][0].clone();
            a["data_files"] = Value::Array(vec![f.clone(), f]);
        }))
        .unwrap_err();
        assert!(e.to_string().contains("a second events file"), "{e}");
    }

    #[test]
    fn deep_or_broken_json_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert!(matches!(
            parse_verify_input(&deep),
            Err(AuditInputError::NotJson { .. })
        ));
        assert!(matches!(
            parse_verify_input("[1, 2]"),
            Err(AuditInputError::WrongType { .. })
        ));
        let secret = format!("{{\"audit\": {{\"model_file\": \"{}", "s".repeat(10_000));
        let e = parse_verify_input(&secret).unwrap_err();
        assert!(e.to_string().len() < 300, "{e}");
    }
}
