//! The adversarial corpus (issue 9 §6): every case file under `tests/corpus/<class>/` is
//! one bad input, run through the built `vigie` binary in a fresh directory, with the exit
//! code, diagnostic code and output it must give. The runner also holds every case to the
//! promises no case file has to repeat: no panic or abort (exit 101/134 or a signal), no
//! hang (a timeout, after which the child is killed), nothing that existed before the run
//! changed by it. It runs every case and reports every failure at once, each with its
//! file and why. Format: `tests/corpus/README.md`. Run one class or case with
//! `VIGIE_CORPUS=formula/ cargo test --test corpus` (a substring of `class/name.toml`); add
//! `VIGIE_CORPUS_SHOW=1` to print every run's output, to check a new case by hand.

use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The classes of bad input; a directory of another name is a typo, reported as such.
const CLASSES: &[&str] = &[
    "model",
    "project",
    "formula",
    "events",
    "positions",
    "verify",
    "flags",
    "non-regular",
    "output-paths",
    "test-files",
];

/// Exit codes that mean the process panicked (Rust's 101) or aborted (SIGABRT's 134).
const CRASH_CODES: &[i32] = &[101, 134];

/// At most this much of each output stream is kept (the rest is read and dropped so the
/// child never blocks on a full pipe): enough to find any message, bounded if a bad input
/// makes the binary echo without end.
const MAX_CAPTURE: usize = 16 << 20;

/// How much of an output a failure report quotes.
const REPORT_EXCERPT: usize = 1500;

/// One case file, as written (unknown keys are errors, so a misspelt key cannot silently
/// weaken a case).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    why: String,
    args: Vec<String>,
    exit: i32,
    code: String,
    #[serde(default)]
    stdout_contains: Vec<String>,
    #[serde(default)]
    stderr_contains: Vec<String>,
    #[serde(default)]
    not_contains: Vec<String>,
    timeout_s: Option<u64>,
    stdin: Option<String>,
    #[serde(default)]
    may_change: Vec<String>,
    /// A case that fails today for a reason outside the runner's reach, awaiting a fix: its
    /// failures are listed but do not fail the test, and it fails once it passes, so that
    /// the mark is removed and the case guards the fix from then on.
    known_bug: Option<String>,
    #[serde(default)]
    files: BTreeMap<String, FileSpec>,
}

/// A file to create in `{tmp}`: text, or a table for anything else.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum FileSpec {
    Text(String),
    Special(Special),
}

/// `{ fifo = true }`, `{ dir = true }`, `{ repeat = "a", times = N }`, `{ copy = "path" }`
/// or `{ symlink = "target" }`: exactly one kind.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Special {
    #[serde(default)]
    fifo: bool,
    #[serde(default)]
    dir: bool,
    repeat: Option<String>,
    times: Option<u64>,
    copy: Option<String>,
    symlink: Option<String>,
}

/// What a path in `{tmp}` was before the run, to tell afterwards whether it changed.
#[derive(Debug, PartialEq, Eq)]
enum Entry {
    File { len: u64, sha256: [u8; 32] },
    Dir,
    Symlink(PathBuf),
    Fifo,
    Other,
}

/// What the binary did.
struct Run {
    /// `None` when it was killed by a signal.
    code: Option<i32>,
    timed_out: bool,
    stdout: String,
    stderr: String,
}

fn repo() -> &'static str {
    env!("CARGO_MANIFEST_DIR")
}

fn substitute(text: &str, tmp: &Path) -> String {
    text.replace("{tmp}", &tmp.display().to_string())
        .replace("{repo}", repo())
}

/// Every case file, sorted, with the problems of the corpus layout itself (a stray file or
/// an unknown class directory).
fn case_files(root: &Path) -> (Vec<PathBuf>, Vec<String>) {
    let mut cases = Vec::new();
    let mut problems = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(root)
        .expect("tests/corpus exists")
        .map(|e| e.expect("read tests/corpus").path())
        .collect();
    dirs.sort();
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        if !dir.is_dir() {
            if name != "README.md" {
                problems.push(format!(
                    "{}: a stray file (cases go in a class directory)",
                    dir.display()
                ));
            }
            continue;
        }
        if !CLASSES.contains(&name.as_str()) {
            problems.push(format!(
                "{}: unknown class (one of {})",
                dir.display(),
                CLASSES.join(", ")
            ));
            continue;
        }
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                cases.push(path);
            } else {
                problems.push(format!("{}: not a .toml case file", path.display()));
            }
        }
    }
    cases.sort();
    (cases, problems)
}

/// A file name inside `{tmp}`: relative, without `..`, so a case cannot write elsewhere.
fn inside(tmp: &Path, name: &str) -> Result<PathBuf, String> {
    let rel = Path::new(name);
    let ok = !name.is_empty()
        && rel
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
    if ok {
        Ok(tmp.join(rel))
    } else {
        Err(format!(
            "file name `{name}` must be a plain relative path inside {{tmp}}"
        ))
    }
}

fn create_file(tmp: &Path, name: &str, spec: &FileSpec) -> Result<(), String> {
    let path = inside(tmp, name)?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("create {}: {e}", parent.display()))?;
    }
    let fail = |e: std::io::Error| format!("create `{name}`: {e}");
    let s = match spec {
        FileSpec::Text(text) => return std::fs::write(&path, substitute(text, tmp)).map_err(fail),
        FileSpec::Special(s) => s,
    };
    let kinds = [
        s.fifo,
        s.dir,
        s.repeat.is_some(),
        s.copy.is_some(),
        s.symlink.is_some(),
    ];
    if kinds.iter().filter(|k| **k).count() != 1 || s.repeat.is_some() != s.times.is_some() {
        return Err(format!(
            "file `{name}`: give exactly one of fifo, dir, repeat (with times), copy, symlink"
        ));
    }
    if s.fifo {
        let status = Command::new("mkfifo").arg(&path).status().map_err(fail)?;
        if !status.success() {
            return Err(format!("mkfifo `{name}` failed: {status}"));
        }
    } else if s.dir {
        std::fs::create_dir_all(&path).map_err(fail)?;
    } else if let (Some(unit), Some(times)) = (&s.repeat, s.times) {
        // Written in blocks, so a 1 GB file costs no more than a block of memory.
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).map_err(fail)?);
        let block = unit.repeat((65536 / unit.len().max(1)).max(1));
        let per_block = (block.len() / unit.len().max(1)) as u64;
        let mut left = times;
        while left >= per_block && per_block > 0 {
            out.write_all(block.as_bytes()).map_err(fail)?;
            left -= per_block;
        }
        for _ in 0..left {
            out.write_all(unit.as_bytes()).map_err(fail)?;
        }
        out.flush().map_err(fail)?;
    } else if let Some(from) = &s.copy {
        std::fs::copy(substitute(from, tmp), &path).map_err(fail)?;
    } else if let Some(target) = &s.symlink {
        std::os::unix::fs::symlink(substitute(target, tmp), &path).map_err(fail)?;
    }
    Ok(())
}

fn sha256_of(path: &Path) -> std::io::Result<[u8; 32]> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(hasher.finalize().into());
        }
        hasher.update(&buf[..n]);
    }
}

/// Every path under `dir` (symlinks not followed, FIFOs never opened).
fn snapshot(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Entry>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let rel = path.strip_prefix(root).unwrap().to_path_buf();
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        let ft = meta.file_type();
        let e = if ft.is_symlink() {
            Entry::Symlink(std::fs::read_link(&path).unwrap_or_default())
        } else if ft.is_dir() {
            snapshot(root, &path, out);
            Entry::Dir
        } else if ft.is_file() {
            match sha256_of(&path) {
                Ok(sha256) => Entry::File {
                    len: meta.len(),
                    sha256,
                },
                Err(_) => Entry::Other,
            }
        } else if std::os::unix::fs::FileTypeExt::is_fifo(&ft) {
            Entry::Fifo
        } else {
            Entry::Other
        };
        out.insert(rel, e);
    }
}

/// Reads a whole stream, keeping its first `MAX_CAPTURE` bytes.
fn capture(mut r: impl Read) -> String {
    let mut kept = Vec::new();
    let mut buf = vec![0; 1 << 16];
    while let Ok(n) = r.read(&mut buf) {
        if n == 0 {
            break;
        }
        let room = MAX_CAPTURE.saturating_sub(kept.len());
        kept.extend_from_slice(&buf[..n.min(room)]);
    }
    String::from_utf8_lossy(&kept).into_owned()
}

fn run(args: &[String], tmp: &Path, stdin: Option<&str>, timeout: Duration) -> Result<Run, String> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vigie"));
    cmd.args(args)
        .current_dir(tmp)
        .env("NO_COLOR", "1")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // A setting from the developer's shell must not change what a case sees.
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("VIGIE_") {
            cmd.env_remove(key);
        }
    }
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot start vigie: {e}"))?;
    let input = child.stdin.take().map(|mut pipe| {
        let bytes = stdin.unwrap_or_default().as_bytes().to_vec();
        // The binary may stop reading early; a broken pipe then is no failure of the case.
        std::thread::spawn(move || drop(pipe.write_all(&bytes)))
    });
    let out = child.stdout.take().unwrap();
    let err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || capture(out));
    let err = std::thread::spawn(move || capture(err));
    let start = Instant::now();
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if start.elapsed() > timeout {
            timed_out = true;
            let _ = child.kill();
            break child.wait().map_err(|e| e.to_string())?;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    if let Some(input) = input {
        let _ = input.join();
    }
    Ok(Run {
        code: status.code(),
        timed_out,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    })
}

fn excerpt(text: &str) -> String {
    if text.len() <= REPORT_EXCERPT {
        return text.to_string();
    }
    let mut end = REPORT_EXCERPT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}... [{} bytes in all]", &text[..end], text.len())
}

/// How one case went.
enum Outcome {
    Passed,
    /// Why it failed.
    Failed(Vec<String>),
    /// It failed as its `known_bug` mark says (the mark, then why).
    KnownBug(String, Vec<String>),
}

/// Reads and runs one case, holding a case marked `known_bug` to that mark.
fn check_case(path: &Path, scratch: &Path) -> Outcome {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => return Outcome::Failed(vec![format!("cannot read the case file: {e}")]),
    };
    let case: Case = match toml::from_str(&text) {
        Ok(c) => c,
        Err(e) => return Outcome::Failed(vec![format!("bad case file: {e}")]),
    };
    let why_not = run_case(&case, path, scratch);
    match (case.known_bug, why_not.is_empty()) {
        (None, true) => Outcome::Passed,
        (None, false) => Outcome::Failed(why_not),
        (Some(bug), false) => Outcome::KnownBug(bug, why_not),
        (Some(bug), true) => Outcome::Failed(vec![format!(
            "passes now, but is marked `known_bug = {bug:?}`: remove the mark"
        )]),
    }
}

/// Runs one case; returns why it failed (empty when it passed).
fn run_case(case: &Case, path: &Path, scratch: &Path) -> Vec<String> {
    let mut why_not = Vec::new();
    if case.why.trim().is_empty() {
        why_not.push("`why` is empty: say what is wrong with the input".to_string());
    }
    if ![0, 1, 2].contains(&case.exit) {
        why_not.push(format!("`exit = {}`: expected 0, 1 or 2", case.exit));
    }
    if !why_not.is_empty() {
        return why_not;
    }
    let class = path
        .parent()
        .unwrap()
        .file_name()
        .unwrap()
        .to_string_lossy();
    let stem = path.file_stem().unwrap().to_string_lossy();
    let tmp = scratch.join(format!("{class}--{stem}"));
    let _ = std::fs::remove_dir_all(&tmp);
    if let Err(e) = std::fs::create_dir_all(&tmp) {
        return vec![format!("cannot create {}: {e}", tmp.display())];
    }
    for (name, spec) in &case.files {
        if let Err(e) = create_file(&tmp, name, spec) {
            return vec![e];
        }
    }
    let mut before = BTreeMap::new();
    snapshot(&tmp, &tmp, &mut before);

    let default_timeout = if class == "non-regular" { 2 } else { 10 };
    let timeout = Duration::from_secs(case.timeout_s.unwrap_or(default_timeout));
    let args: Vec<String> = case.args.iter().map(|a| substitute(a, &tmp)).collect();
    let stdin = case.stdin.as_deref().map(|s| substitute(s, &tmp));
    let r = match run(&args, &tmp, stdin.as_deref(), timeout) {
        Ok(r) => r,
        Err(e) => return vec![e],
    };

    if r.timed_out {
        why_not.push(format!(
            "did not end within {} s (killed)",
            timeout.as_secs()
        ));
    }
    match r.code {
        Some(c) if CRASH_CODES.contains(&c) => {
            why_not.push(format!("crashed: exit {c} (panic or abort)"))
        }
        None if !r.timed_out => why_not.push("killed by a signal (crash)".to_string()),
        Some(c) if c != case.exit && !r.timed_out => {
            why_not.push(format!("exit {c}, expected {}", case.exit))
        }
        _ => {}
    }
    match case.code.as_str() {
        "" => {}
        "usage" => {
            if !r.stderr.starts_with("error:") {
                why_not.push("expected a usage error (stderr starting `error:`)".to_string());
            }
        }
        code => {
            if !r.stdout.contains(code) && !r.stderr.contains(code) {
                why_not.push(format!("code {code} appears in neither stdout nor stderr"));
            }
        }
    }
    for s in &case.stdout_contains {
        let s = substitute(s, &tmp);
        if !r.stdout.contains(&s) {
            why_not.push(format!("stdout lacks {s:?}"));
        }
    }
    for s in &case.stderr_contains {
        let s = substitute(s, &tmp);
        if !r.stderr.contains(&s) {
            why_not.push(format!("stderr lacks {s:?}"));
        }
    }
    for s in &case.not_contains {
        let s = substitute(s, &tmp);
        if r.stdout.contains(&s) || r.stderr.contains(&s) {
            why_not.push(format!("output contains {s:?}, which it must not"));
        }
    }

    let mut after = BTreeMap::new();
    snapshot(&tmp, &tmp, &mut after);
    for (rel, was) in &before {
        if case.may_change.iter().any(|m| rel.starts_with(m)) {
            continue;
        }
        match after.get(rel) {
            None => why_not.push(format!("{} was removed by the run", rel.display())),
            Some(now) if now != was => {
                why_not.push(format!("{} was changed by the run", rel.display()))
            }
            Some(_) => {}
        }
    }

    if std::env::var_os("VIGIE_CORPUS_SHOW").is_some() {
        eprintln!(
            "=== {}\nvigie {}\nexit {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            path.display(),
            args.join(" "),
            r.code,
            excerpt(&r.stdout),
            excerpt(&r.stderr)
        );
    }
    if why_not.is_empty() {
        let _ = std::fs::remove_dir_all(&tmp);
    } else {
        why_not.insert(0, format!("case: {}", case.why));
        why_not.push(format!(
            "ran: vigie {}\n  (files kept in {})\n  --- stdout ---\n{}\n  --- stderr ---\n{}",
            args.join(" "),
            tmp.display(),
            excerpt(&r.stdout),
            excerpt(&r.stderr)
        ));
    }
    why_not
}

#[test]
fn adversarial_corpus() {
    let root = Path::new(repo()).join("tests/corpus");
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus");
    let (mut cases, mut layout) = case_files(&root);
    let filter = std::env::var("VIGIE_CORPUS").unwrap_or_default();
    cases.retain(|p| {
        p.strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .contains(&filter)
    });
    assert!(
        !cases.is_empty(),
        "no corpus case matches `{filter}` under {}",
        root.display()
    );

    // Cases are independent processes in their own directories: run a few at a time.
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    let known = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(2, 4);
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                while let Some(path) = cases.get(next.fetch_add(1, Ordering::Relaxed)) {
                    match check_case(path, &scratch) {
                        Outcome::Passed => {}
                        Outcome::Failed(why_not) => {
                            failures.lock().unwrap().push((path.clone(), why_not));
                        }
                        Outcome::KnownBug(bug, why_not) => {
                            known.lock().unwrap().push((path.clone(), bug, why_not));
                        }
                    }
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap();
    failures.sort();
    let mut known = known.into_inner().unwrap();
    known.sort();
    for (path, bug, why_not) in &known {
        eprintln!(
            "known bug, not counted: {}: {bug}\n  - {}",
            path.display(),
            why_not.join("\n  - ")
        );
    }
    let mut report: Vec<String> = failures
        .iter()
        .map(|(path, why_not)| {
            let rel = path.strip_prefix(repo()).unwrap_or(path);
            format!("{}:\n  - {}", rel.display(), why_not.join("\n  - "))
        })
        .collect();
    report.append(&mut layout);
    eprintln!(
        "corpus: {} cases run, {} failed, {} known bugs",
        cases.len(),
        failures.len(),
        known.len()
    );
    assert!(
        report.is_empty(),
        "{} of {} corpus cases failed (and {} layout problems):\n\n{}",
        failures.len(),
        cases.len(),
        report.len() - failures.len(),
        report.join("\n\n")
    );
}
