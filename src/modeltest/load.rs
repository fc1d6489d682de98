//! Loading one model test file: reading it, the model it names, the project files and
//! tables its cases name, and binding every case (every table row) to the model. After
//! loading, running a case only scores and compares; every problem of the files has been
//! reported here, located where it is written.

use std::path::Path;

use super::compare::Expected;
use super::files::read_regular;
use super::inputs::{BoundProject, Origin, bind_case};
use super::paths::{folder_of, reference_path, resolve, tidy};
use super::read::{TOP_KEYS, read_model_path, read_test_file};
use super::spec::{CaseInputs, CaseSpec, TableLocation, TableSpec, TestFileSpec, Tolerance};
use super::table::read_rows;
use crate::audit::sha256_hex;
use crate::diag::{Code, Diagnostic, SourceFile, has_errors};
use crate::model::Model;
use crate::project::{Project, read_project};
use crate::toml_read::{Reader, Sp, parse_document};

/// One scored unit of a case: the case itself, or one row of its table.
#[derive(Debug, Clone)]
pub struct CaseRow {
    /// The table row's name and line; `None` for a case that is not a table.
    pub label: Option<String>,
    /// The project, bound to the model.
    pub input: BoundProject,
    /// What it must give.
    pub expected: Expected,
}

/// A case's rows, or why they are absent.
#[derive(Debug, Clone)]
pub enum CaseRows {
    /// Everything is ready to score.
    Ready(Vec<CaseRow>),
    /// The case's reference table is absent: `reason` says where it was looked for.
    TableAbsent {
        /// What was looked for, where, and how to point elsewhere.
        reason: String,
    },
}

/// A case ready to run.
#[derive(Debug, Clone)]
pub struct LoadedCase {
    /// Its name.
    pub name: String,
    /// Where it is written, `file:line`.
    pub defined_at: String,
    /// How close numbers must be.
    pub tolerance: Tolerance,
    /// Its rows.
    pub rows: CaseRows,
}

/// A test file with everything it names loaded and checked.
#[derive(Debug, Clone)]
pub struct Suite {
    /// The test file, as named.
    pub test_file: String,
    /// The model file, as shown (tidied).
    pub model_file: String,
    /// The model.
    pub model: Model,
    /// Its cases, in file order.
    pub cases: Vec<LoadedCase>,
}

/// The outcome of loading a test file: the suite if nothing has an error, every diagnostic
/// found (warnings too), and the files they point into (for showing the lines).
#[derive(Debug, Default)]
pub struct Loaded {
    /// Ready to run, when no file has an error.
    pub suite: Option<Suite>,
    /// Every problem found, in the test file and in the files it names.
    pub diagnostics: Vec<Diagnostic>,
    /// The files read, so that diagnostics can show their lines.
    pub sources: Vec<SourceFile>,
}

/// Reads the environment; a function so that tests can give their own.
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Loads the test file at `path` (named as given), resolving the paths it writes against
/// its folder; reference folders named by an environment variable are looked up in `env`.
pub fn load_file(path: &Path, env: Env<'_>) -> Loaded {
    let name = path.display().to_string();
    let text = match read_regular(path) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|e| {
            format!(
                "{name} is not UTF-8 text (byte {})",
                e.utf8_error().valid_up_to()
            )
        }),
        Err(e) => Err(format!("cannot read {name}: {e}")),
    };
    match text {
        Ok(text) => load_source(SourceFile::new(name, text), &folder_of(path), env),
        Err(message) => Loaded {
            diagnostics: vec![Diagnostic::new(Code::TestFileTarget, message)],
            ..Loaded::default()
        },
    }
}

/// Loads a test file already read; the paths it writes are relative to `folder`.
pub fn load_source(src: SourceFile, folder: &Path, env: Env<'_>) -> Loaded {
    let mut out = Loaded::default();
    let (doc, syntax) = parse_document(&src);
    if !syntax.is_empty() {
        out.diagnostics = syntax;
        out.sources.push(src);
        return out;
    }
    let r = Reader::new(&src);
    let top = r.table(doc.get_ref(), doc.span(), "", TOP_KEYS);
    let model_path = read_model_path(&r, &top);
    let model = model_path
        .as_ref()
        .and_then(|written| load_model(&r, folder, written.clone(), &mut out));
    let spec = match (&model, model_path) {
        (Some((model, _)), Some(written)) => read_test_file(&r, &top, written, model),
        _ => None,
    };
    let read_ok = !r.has_errors();
    // The test file's own problems first, then those of the files it names.
    out.diagnostics.splice(0..0, r.into_diagnostics());
    let (Some((model, model_file)), Some(spec), true) = (model, spec, read_ok) else {
        out.sources.push(src);
        return out;
    };
    let loader = CaseLoader {
        model: &model,
        src: &src,
        folder,
        spec: &spec,
        env,
    };
    let mut cases = Vec::new();
    for case in &spec.cases {
        let rows = loader.rows(case, &mut out);
        cases.push(LoadedCase {
            name: case.name.value.clone(),
            defined_at: format!("{}:{}", src.name(), case.line),
            tolerance: case.tolerance,
            rows,
        });
    }
    let ok = !has_errors(&out.diagnostics);
    out.suite = ok.then(|| Suite {
        test_file: src.name().to_string(),
        model_file,
        model,
        cases,
    });
    out.sources.push(src);
    out
}

/// Reads and checks the model a test file names; the model's own diagnostics are kept, and
/// a `VG090` at the `model` key says why it cannot be used.
fn load_model(
    r: &Reader<'_>,
    folder: &Path,
    written: Sp<String>,
    out: &mut Loaded,
) -> Option<(Model, String)> {
    let src = read_named(r, folder, &written, "model")?;
    let (model, diags) = Model::check(&src);
    let name = src.name().to_string();
    out.diagnostics.extend(diags);
    out.sources.push(src);
    if model.is_none() {
        r.error(
            Code::TestFileTarget,
            written.span,
            format!("model {name} has errors"),
        );
    }
    model.map(|m| (m, name))
}

/// Reads a file the test file names (relative to its folder); `VG090` at the name if it
/// cannot be read.
fn read_named(
    r: &Reader<'_>,
    folder: &Path,
    written: &Sp<String>,
    what: &str,
) -> Option<SourceFile> {
    let path = resolve(folder, &written.value);
    let name = tidy(&path).display().to_string();
    let text = read_regular(&path)
        .map_err(|e| e.to_string())
        .and_then(|b| String::from_utf8(b).map_err(|_| "it is not UTF-8 text".to_string()));
    match text {
        Ok(text) => Some(SourceFile::new(name, text)),
        Err(e) => {
            r.error(
                Code::TestFileTarget,
                written.span.clone(),
                format!("cannot read {what} file {name}: {e}"),
            );
            None
        }
    }
}

/// What loading the cases of one file needs.
struct CaseLoader<'a> {
    model: &'a Model,
    src: &'a SourceFile,
    folder: &'a Path,
    spec: &'a TestFileSpec,
    env: Env<'a>,
}

impl CaseLoader<'_> {
    fn rows(&self, case: &CaseSpec, out: &mut Loaded) -> CaseRows {
        let ready = |rows: Option<Vec<CaseRow>>| CaseRows::Ready(rows.unwrap_or_default());
        match &case.inputs {
            CaseInputs::Inline(project) => {
                let project = self.in_test_file(project);
                ready(self.one(case, project, self.folder, Origin::TestFile, out))
            }
            CaseInputs::ProjectFile(written) => ready(self.project_file(case, written, out)),
            CaseInputs::Table { base, table } => self.table(base, table, out),
        }
    }

    /// A project written in the test file: named after it, its data relative to it.
    fn in_test_file(&self, project: &Project) -> Project {
        let mut p = project.clone();
        p.origin = self.src.name().to_string();
        p.source = self.src.clone();
        p.sha256 = sha256_hex(self.src.text().as_bytes());
        p
    }

    fn one(
        &self,
        case: &CaseSpec,
        project: Project,
        data_folder: &Path,
        origin: Origin,
        out: &mut Loaded,
    ) -> Option<Vec<CaseRow>> {
        let (input, diags) = bind_case(self.model, project, data_folder, origin);
        out.diagnostics.extend(diags);
        Some(vec![CaseRow {
            label: None,
            input: input?,
            expected: Expected::from(&case.expect),
        }])
    }

    fn project_file(
        &self,
        case: &CaseSpec,
        written: &Sp<String>,
        out: &mut Loaded,
    ) -> Option<Vec<CaseRow>> {
        let reader = Reader::new(self.src);
        let src = read_named(&reader, self.folder, written, "project");
        out.diagnostics.extend(reader.into_diagnostics());
        let src = src?;
        let (project, diags) = read_project(&src);
        out.diagnostics.extend(diags);
        let name = src.name().to_string();
        out.sources.push(src);
        let Some(project) = project else {
            out.diagnostics.push(self.src.diag(
                Code::TestFileTarget,
                written.span.clone(),
                format!("project {name} has errors"),
            ));
            return None;
        };
        let folder = folder_of(&resolve(self.folder, &written.value));
        self.one(case, project, &folder, Origin::ProjectFile, out)
    }

    fn table(&self, base: &Project, table: &TableSpec, out: &mut Loaded) -> CaseRows {
        let (path, absent_is_error, how) = match &table.location {
            TableLocation::Path(p) => (resolve(self.folder, &p.value), Some(p), String::new()),
            TableLocation::Reference(relative) => {
                // The reader made sure a reference table has a `[reference]` folder.
                let Some(reference) = &self.spec.reference else {
                    return CaseRows::Ready(Vec::new());
                };
                let found = reference_path(reference, self.folder, &relative.value, self.env);
                (found.path, None, found.how)
            }
        };
        let name = tidy(&path).display().to_string();
        let text = match read_regular(&path) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_string()),
            Err(e) => Err(e.to_string()),
        };
        let text = match (text, absent_is_error) {
            (Ok(text), _) => text,
            (Err(e), Some(written)) => {
                out.diagnostics.push(self.src.diag(
                    Code::TestFileTarget,
                    written.span.clone(),
                    format!("cannot read table {name}: {e}"),
                ));
                return CaseRows::Ready(Vec::new());
            }
            (Err(e), None) => {
                return CaseRows::TableAbsent {
                    reason: format!(
                        "reference table {name} cannot be read ({e}); found through {how}"
                    ),
                };
            }
        };
        let csv = SourceFile::new(name, text);
        let (rows, diags) = read_rows(table, self.model, &csv, self.src);
        out.diagnostics.extend(diags);
        let sha256 = sha256_hex(csv.text().as_bytes());
        let mut ready = Vec::new();
        for row in rows {
            let mut project = base.clone();
            project.values = row.values;
            project.values_span = row.span;
            project.origin = csv.name().to_string();
            project.source = csv.clone();
            project.sha256 = sha256.clone();
            let (input, diags) = bind_case(self.model, project, self.folder, Origin::TestFile);
            out.diagnostics.extend(diags);
            if let Some(input) = input {
                ready.push(CaseRow {
                    label: Some(row.label),
                    input,
                    expected: row.expected,
                });
            }
        }
        out.sources.push(csv);
        CaseRows::Ready(ready)
    }
}
