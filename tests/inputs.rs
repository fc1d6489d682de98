//! Files in and files out (issue 9, sections 1-5): inputs must be regular files within the
//! size limit, counts have maxima, flags that would do nothing are refused, no output may
//! replace an input of its run, outputs are atomic, `verify` replays only what its audit
//! block records, from any directory, and no message prints more than an excerpt of a file.
//!
//! Every run has a watchdog that kills it after `WATCHDOG` and fails the test: a run that
//! hangs on a FIFO must fail, not hang the suite. (It is not a timing claim.)

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const MODEL: &str = "models/sahel-infrastructure.toml";
const PROJECT: &str = "models/examples/covec-kayes.toml";
const TEMPLATE_MODEL: &str = "models/template/model.toml";
const TEMPLATE_PROJECT: &str = "models/template/project.toml";
const WATCHDOG: Duration = Duration::from_secs(60);

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// What a run printed and returned.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

/// Runs `vigie args` in `dir` with extra environment variables and standard input from
/// `stdin` (a file) or nothing; standard output goes to `stdout` if given.
fn vigie_with(dir: &Path, args: &[&str], env: &[(&str, &str)], stdout: Option<fs::File>) -> Run {
    let scratch = scratch_root().join(format!(
        "out-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    fs::create_dir_all(&scratch).unwrap();
    let (out_path, err_path) = (scratch.join("stdout"), scratch.join("stderr"));
    let piped_out = stdout.is_none();
    let out = stdout.unwrap_or_else(|| fs::File::create(&out_path).unwrap());
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vigie"));
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("VIGIE_MAX_FILE_MIB")
        .env_remove("RAYON_NUM_THREADS")
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(fs::File::create(&err_path).unwrap());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > WATCHDOG {
            let _ = child.kill();
            panic!("vigie {args:?} still running after {WATCHDOG:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Run {
        code: status.code(),
        stdout: if piped_out {
            fs::read_to_string(&out_path).unwrap_or_default()
        } else {
            String::new()
        },
        stderr: fs::read_to_string(&err_path).unwrap_or_default(),
    }
}

/// Asserts that a run was refused (exit 2) saying `says` on standard error.
fn assert_refused(r: &Run, says: &str, context: &dyn std::fmt::Debug) {
    assert_eq!(r.code, Some(2), "{context:?}: {}", r.all());
    assert!(r.stderr.contains(says), "{context:?}: {}", r.stderr);
}

fn vigie_in(dir: &Path, args: &[&str]) -> Run {
    vigie_with(dir, args, &[], None)
}

fn vigie(args: &[&str]) -> Run {
    vigie_in(repo(), args)
}

fn scratch_root() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("inputs")
}

/// A fresh directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = scratch_root().join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// The worked example copied into `dir`: `m.toml`, `p.toml` and its `data/` folder.
fn worked_example(dir: &Path) {
    fs::copy(repo().join(MODEL), dir.join("m.toml")).unwrap();
    fs::copy(repo().join(PROJECT), dir.join("p.toml")).unwrap();
    fs::create_dir_all(dir.join("data")).unwrap();
    for f in ["events-western-mali-2025.csv", "deployments-mali.csv"] {
        fs::copy(
            repo().join("models/examples/data").join(f),
            dir.join("data").join(f),
        )
        .unwrap();
    }
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let _ = fs::remove_file(path);
    let ok = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(ok.success());
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

/// Why: `/dev/zero` was read until memory ran out, a FIFO hung every command for ever.
#[cfg(unix)]
#[test]
fn every_command_refuses_non_regular_inputs_at_once() {
    let dir = scratch("non-regular");
    worked_example(&dir);
    mkfifo(&dir.join("fifo"));
    fs::create_dir_all(dir.join("folder")).unwrap();
    for bad in ["/dev/zero", "/dev/urandom", "fifo", "folder"] {
        let commands: Vec<Vec<&str>> = vec![
            vec!["score", bad, "p.toml"],
            vec!["score", "m.toml", bad],
            vec!["score", "m.toml", "p.toml", "--events", bad],
            vec!["score", "m.toml", "p.toml", "--positions", bad],
            vec!["simulate", "m.toml", bad, "--draws", "10"],
            vec!["sensitivity", bad, "p.toml"],
            vec!["check", bad],
            vec!["check", "p.toml", "--model", bad],
            vec!["explain", bad],
            vec!["fingerprint", bad],
            vec!["diff", "m.toml", bad],
            vec!["sources", bad],
            vec!["verify", bad],
        ];
        for args in commands {
            let r = vigie_in(&dir, &args);
            assert_refused(&r, "VG008", &args);
        }
    }
    // `vigie test` takes folders; a device or FIFO given or found is refused too.
    for bad in ["/dev/zero", "fifo"] {
        let r = vigie_in(&dir, &["test", bad]);
        assert_eq!(r.code, Some(2), "test {bad}: {}", r.all());
        assert!(r.stderr.contains("VG008"), "test {bad}: {}", r.stderr);
    }
    // A project whose [project.data] names a FIFO: refused, not opened.
    let text = fs::read_to_string(dir.join("p.toml")).unwrap();
    fs::write(
        dir.join("p-fifo.toml"),
        text.replace("data/events-western-mali-2025.csv", "fifo"),
    )
    .unwrap();
    let r = vigie_in(&dir, &["score", "m.toml", "p-fifo.toml"]);
    assert_eq!(r.code, Some(2), "{}", r.all());
    assert!(r.stderr.contains("fifo is a FIFO"), "{}", r.stderr);
}

/// Why: a symbolic link to a regular file is a file the user means; only what it points
/// to is checked.
#[cfg(unix)]
#[test]
fn a_symlink_to_a_regular_file_is_read() {
    let dir = scratch("symlink");
    worked_example(&dir);
    std::os::unix::fs::symlink(dir.join("m.toml"), dir.join("link.toml")).unwrap();
    let r = vigie_in(&dir, &["check", "link.toml"]);
    assert_eq!(r.code, Some(0), "{}", r.all());
}

/// Why: a model or project file is held whole in memory; the limit is documented and
/// can be raised.
#[test]
fn a_file_over_the_limit_is_refused_and_the_limit_can_be_raised() {
    let dir = scratch("limit");
    let model = fs::read_to_string(repo().join(TEMPLATE_MODEL)).unwrap();
    let padded = format!("{model}\n# {}\n", "x".repeat(17 << 20));
    fs::write(dir.join("big.toml"), padded).unwrap();
    let r = vigie_in(&dir, &["check", "big.toml"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("error[VG009]"), "{}", r.stderr);
    assert!(r.stderr.contains("16 MiB"), "{}", r.stderr);
    assert!(r.stderr.contains("VIGIE_MAX_FILE_MIB"), "{}", r.stderr);
    let r = vigie_with(
        &dir,
        &["check", "big.toml"],
        &[("VIGIE_MAX_FILE_MIB", "32")],
        None,
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let r = vigie_with(
        &dir,
        &["check", "big.toml"],
        &[("VIGIE_MAX_FILE_MIB", "lots")],
        None,
    );
    assert_refused(&r, "VIGIE_MAX_FILE_MIB=`lots`", &"lots");
}

/// Why: `--draws 18446744073709551615` was a capacity overflow, a large count a 32 GB
/// allocation; every count now has a documented maximum.
#[test]
fn counts_beyond_their_maxima_are_usage_errors() {
    let cases: &[&[&str]] = &[
        &["simulate", MODEL, PROJECT, "--draws", "10000001"],
        &[
            "simulate",
            MODEL,
            PROJECT,
            "--draws",
            "18446744073709551616",
        ],
        &["simulate", MODEL, PROJECT, "--draws", "0"],
        &["simulate", MODEL, PROJECT, "--threads", "257"],
        &["simulate", MODEL, PROJECT, "--threads", "0"],
        &["simulate", MODEL, PROJECT, "--weight-factor", "NaN"],
        &["sensitivity", MODEL, PROJECT, "--n", "1048577"],
        &["sensitivity", MODEL, PROJECT, "--n", "1"],
        &[
            "sensitivity",
            MODEL,
            PROJECT,
            "--sampling",
            "sobol",
            "--replicates",
            "65",
        ],
        &["score", MODEL, PROJECT, "--top", "0"],
    ];
    for args in cases {
        let r = vigie(args);
        assert_eq!(r.code, Some(2), "{args:?}: {}", r.all());
        assert!(r.stderr.starts_with("error:"), "{args:?}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{args:?}");
    }
    let r = vigie_with(
        repo(),
        &["simulate", MODEL, PROJECT, "--draws", "10"],
        &[("RAYON_NUM_THREADS", "100000")],
        None,
    );
    assert_eq!(r.code, Some(2), "{}", r.all());
    assert!(r.stderr.contains("VG085"), "{}", r.stderr);
}

/// Why: the design's size is known only with the model's factors; it is checked before
/// anything is allocated.
#[test]
fn a_sobol_design_beyond_the_evaluation_limit_is_a_usage_error() {
    let r = vigie(&["sensitivity", MODEL, PROJECT, "--n", "1048576"]);
    assert_refused(&r, "error[VG085]", &"--n 1048576");
    assert_refused(&r, "at most 8388608 evaluations", &"--n 1048576");
}

/// Why: a flag silently ignored lets a user believe it counted (issue 9, section 3).
#[test]
fn flags_that_would_do_nothing_are_usage_errors() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["sensitivity", MODEL, PROJECT, "--replicates", "4"],
            "--replicates does nothing without --sampling sobol",
        ),
        (
            &[
                "sensitivity",
                MODEL,
                PROJECT,
                "--sampling",
                "sobol",
                "--seed",
                "3",
            ],
            "--seed does nothing with --sampling sobol",
        ),
        (
            &["score", MODEL, PROJECT, "--format", "json", "--top", "3"],
            "--top does nothing with --format json",
        ),
        (
            &["sources", MODEL, "--as-of", "2025-01-01"],
            "--as-of does nothing without a project file",
        ),
        (
            &[
                "score",
                TEMPLATE_MODEL,
                TEMPLATE_PROJECT,
                "--events",
                "models/examples/data/events-western-mali-2025.csv",
            ],
            "--events does nothing",
        ),
        (
            &[
                "score",
                TEMPLATE_MODEL,
                TEMPLATE_PROJECT,
                "--known-at-as-of",
            ],
            "--known-at-as-of does nothing",
        ),
        (
            &[
                "simulate",
                TEMPLATE_MODEL,
                TEMPLATE_PROJECT,
                "--fixed-model",
            ],
            "--fixed-model does nothing",
        ),
    ];
    for (args, says) in cases {
        let r = vigie(args);
        assert_eq!(r.code, Some(2), "{args:?}: {}", r.all());
        assert!(r.stderr.starts_with("error: "), "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(says), "{args:?}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{args:?}");
    }
    // The same flags where they do something are accepted.
    let r = vigie(&[
        "sensitivity",
        MODEL,
        PROJECT,
        "--sampling",
        "sobol",
        "--replicates",
        "2",
        "--seed",
        "3",
        "--n",
        "64",
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
}

/// Why: `-o` onto the project file replaced it with the report, exit 0; the same by a
/// hard link, a symbolic link, `[project.data]` files, `--csv` and a shell's `>>`.
#[cfg(unix)]
#[test]
fn an_output_onto_any_input_is_refused_and_nothing_is_written() {
    let dir = scratch("output-onto-input");
    worked_example(&dir);
    fs::hard_link(dir.join("p.toml"), dir.join("hard.toml")).unwrap();
    std::os::unix::fs::symlink(dir.join("m.toml"), dir.join("soft.toml")).unwrap();
    let before: Vec<(PathBuf, Vec<u8>)> = ["m.toml", "p.toml", "data/deployments-mali.csv"]
        .iter()
        .map(|f| (dir.join(f), fs::read(dir.join(f)).unwrap()))
        .collect();
    let cases: &[&[&str]] = &[
        &["score", "m.toml", "p.toml", "-o", "p.toml"],
        &["score", "m.toml", "p.toml", "-o", "./m.toml"],
        &["score", "m.toml", "p.toml", "--output", "hard.toml"],
        &["score", "m.toml", "p.toml", "-o", "soft.toml"],
        &[
            "score",
            "m.toml",
            "p.toml",
            "-o",
            "data/deployments-mali.csv",
        ],
        &[
            "simulate", "m.toml", "p.toml", "--draws", "10", "-o", "p.toml",
        ],
        &[
            "sensitivity",
            "m.toml",
            "p.toml",
            "--n",
            "8",
            "--csv",
            "data/events-western-mali-2025.csv",
        ],
    ];
    for args in cases {
        let r = vigie_in(&dir, args);
        assert_refused(&r, "error[VG086]", &args);
        for (path, bytes) in &before {
            assert_eq!(&fs::read(path).unwrap(), bytes, "{args:?} changed {path:?}");
        }
    }
    // Standard output appended to the project (`>> p.toml`): refused too.
    let append = fs::OpenOptions::new()
        .append(true)
        .open(dir.join("p.toml"))
        .unwrap();
    let r = vigie_with(&dir, &["score", "m.toml", "p.toml"], &[], Some(append));
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("standard output is p.toml"),
        "{}",
        r.stderr
    );
    assert_eq!(fs::read(dir.join("p.toml")).unwrap(), before[1].1);
    // No temporary file is left behind.
    let left: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("vigie-tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// Why: an output is replaced only by a complete new one; a failure leaves it as it was,
/// and a symbolic link at the output's name is replaced, never written through.
#[cfg(unix)]
#[test]
fn an_output_that_cannot_be_written_leaves_the_old_one() {
    let dir = scratch("output-fails");
    worked_example(&dir);
    fs::write(dir.join("report.json"), "old report").unwrap();
    // The run fails (a project error): the old report stays.
    fs::write(dir.join("bad.toml"), "[project]\nid = 1\n").unwrap();
    let r = vigie_in(&dir, &["score", "m.toml", "bad.toml", "-o", "report.json"]);
    assert_eq!(r.code, Some(2), "{}", r.all());
    assert_eq!(
        fs::read_to_string(dir.join("report.json")).unwrap(),
        "old report"
    );
    // A folder that does not exist, and a path that is a folder.
    for target in ["no/such/dir/out.json", "data"] {
        let r = vigie_in(&dir, &["score", "m.toml", "p.toml", "-o", target]);
        assert_refused(&r, "error[VG087]", &target);
    }
    // A symbolic link planted at the output's name: the link is replaced, its target kept.
    fs::write(dir.join("victim"), "precious").unwrap();
    std::os::unix::fs::symlink(dir.join("victim"), dir.join("out.md")).unwrap();
    let r = vigie_in(
        &dir,
        &[
            "score", "m.toml", "p.toml", "--format", "markdown", "-o", "out.md",
        ],
    );
    assert_eq!(r.code, Some(0), "{}", r.all());
    assert_eq!(fs::read_to_string(dir.join("victim")).unwrap(), "precious");
    assert!(fs::symlink_metadata(dir.join("out.md")).unwrap().is_file());
    assert!(
        fs::read_to_string(dir.join("out.md"))
            .unwrap()
            .contains("High")
    );
    // `init` into a path that is a file.
    let r = vigie_in(&dir, &["init", "victim"]);
    assert_eq!(r.code, Some(2), "{}", r.all());
    assert_eq!(fs::read_to_string(dir.join("victim")).unwrap(), "precious");
}

/// Why: outputs made by `vigie` were 0644 before tempfile; they must not become 0600.
#[cfg(unix)]
#[test]
fn an_output_gets_the_permissions_of_a_new_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("permissions");
    worked_example(&dir);
    let r = vigie_in(&dir, &["score", "m.toml", "p.toml", "-o", "out.txt"]);
    assert_eq!(r.code, Some(0), "{}", r.all());
    let mode = fs::metadata(dir.join("out.txt"))
        .unwrap()
        .permissions()
        .mode();
    let made = fs::metadata(dir.join("p.toml"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, made & 0o777);
}

/// Why: run from another directory, `verify` said "cannot read"; the working directory is
/// recorded, and the output verifies from anywhere, and from standard input.
#[test]
fn verify_works_from_any_directory() {
    let dir = scratch("verify-anywhere");
    worked_example(&dir);
    let r = vigie_in(
        &dir,
        &[
            "score", "m.toml", "p.toml", "--format", "json", "-o", "a.json",
        ],
    );
    assert_eq!(r.code, Some(0), "{}", r.all());
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("a.json")).unwrap()).unwrap();
    let recorded = json["audit"]["working_directory"].as_str().unwrap();
    assert_eq!(
        Path::new(recorded).canonicalize().unwrap(),
        dir.canonicalize().unwrap()
    );
    assert_eq!(
        json["audit"]["data_files"][0]["file"],
        "data/events-western-mali-2025.csv"
    );
    let elsewhere = scratch("verify-elsewhere");
    let r = vigie_in(&elsewhere, &["verify", &s(&dir.join("a.json"))]);
    assert_eq!(r.code, Some(0), "{}", r.all());
    assert!(r.stdout.starts_with("verified:"), "{}", r.stdout);
    let stdin = fs::File::open(dir.join("a.json")).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(["verify", "-"])
        .current_dir(&elsewhere)
        .stdin(stdin)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("verified: standard input"));
    // Nothing was written anywhere.
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
}

/// Why: the JSON given to `verify` is untrusted: an edit must not make it read, run or
/// write anything the audit block does not record.
#[cfg(unix)]
#[test]
fn verify_refuses_edited_audit_blocks() {
    let dir = scratch("verify-edited");
    worked_example(&dir);
    mkfifo(&dir.join("fifo"));
    let r = vigie_in(
        &dir,
        &[
            "score", "m.toml", "p.toml", "--format", "json", "-o", "a.json",
        ],
    );
    assert_eq!(r.code, Some(0), "{}", r.all());
    let text = fs::read_to_string(dir.join("a.json")).unwrap();
    let original: serde_json::Value = serde_json::from_str(&text).unwrap();
    type Edit = fn(&mut serde_json::Value);
    let cases: &[(Edit, &str)] = &[
        (
            |j| {
                j["audit"]["invocation"] = serde_json::json!([
                    "simulate",
                    "m.toml",
                    "p.toml",
                    "--draws",
                    "99999999999",
                    "--format",
                    "json"
                ])
            },
            "VG089",
        ),
        (
            |j| {
                let inv = j["audit"]["invocation"].as_array_mut().unwrap();
                inv.extend(["--events".into(), "/etc/passwd".into()]);
            },
            "VG089",
        ),
        (
            |j| {
                let inv = j["audit"]["invocation"].as_array_mut().unwrap();
                inv.extend(["-o".into(), "p.toml".into()]);
            },
            "VG089",
        ),
        (
            |j| j["audit"]["invocation"][1] = "other.toml".into(),
            "VG089",
        ),
        (
            |j| {
                j["audit"]["model_file"] = "fifo".into();
                j["audit"]["invocation"][1] = "fifo".into();
            },
            "VG008",
        ),
        (
            |j| {
                j["audit"]["data_files"][0]["file"] = "/dev/zero".into();
            },
            "VG008",
        ),
        (
            |j| {
                j["audit"].as_object_mut().unwrap().remove("project_sha256");
            },
            "VG088",
        ),
        (|j| j["audit"]["invocation"] = 7.into(), "VG088"),
        (|j| j["audit"] = serde_json::Value::Null, "VG088"),
    ];
    for (edit, code) in cases {
        let mut j = original.clone();
        edit(&mut j);
        fs::write(
            dir.join("e.json"),
            serde_json::to_string_pretty(&j).unwrap(),
        )
        .unwrap();
        let r = vigie_in(&dir, &["verify", "e.json"]);
        assert_refused(&r, &format!("error[{code}]"), &code);
        assert_eq!(fs::read_to_string(dir.join("a.json")).unwrap(), text);
    }
    // Recorded data files changed to another existing file, while the project names its
    // own: the replay would open a file the audit block does not record, and refuses.
    let mut j = original.clone();
    fs::copy(
        dir.join("data/events-western-mali-2025.csv"),
        dir.join("copy.csv"),
    )
    .unwrap();
    j["audit"]["data_files"][0]["file"] = "copy.csv".into();
    fs::write(
        dir.join("e.json"),
        serde_json::to_string_pretty(&j).unwrap(),
    )
    .unwrap();
    let r = vigie_in(&dir, &["verify", "e.json"]);
    assert_refused(&r, "error[VG089]", &"copy.csv");
    assert_refused(&r, "does not record", &"copy.csv");
}

/// Why: a project pointing `[project.data] events` at a secret file printed the file's
/// contents in error messages; only an excerpt may appear.
#[test]
fn a_secret_file_named_by_a_project_is_not_printed() {
    let dir = scratch("secret");
    worked_example(&dir);
    let secret = "TOPSECRET-".repeat(2000);
    fs::write(dir.join("secret.txt"), format!("{secret}\n{secret}\n")).unwrap();
    let header = "event_id_cnty,event_date,event_type,sub_event_type,latitude,longitude,fatalities";
    fs::write(
        dir.join("secret.csv"),
        format!("{header}\nX1,{secret},Battles,Armed clash,14.4,-11.4,1\n"),
    )
    .unwrap();
    let text = fs::read_to_string(dir.join("p.toml")).unwrap();
    for (name, file) in [("p1.toml", "secret.txt"), ("p2.toml", "secret.csv")] {
        fs::write(
            dir.join(name),
            text.replace("data/events-western-mali-2025.csv", file),
        )
        .unwrap();
        for args in [
            vec!["score", "m.toml", name],
            vec!["check", name, "--model", "m.toml"],
        ] {
            let r = vigie_in(&dir, &args);
            let shown = r.all().matches("TOPSECRET").count();
            assert!(shown <= 8, "{args:?} printed {shown} pieces of the secret");
        }
    }
    // A secret given as a model: each TOML error shows 80 characters of its line at most.
    let r = vigie_in(&dir, &["check", "secret.txt"]);
    assert_eq!(r.code, Some(1), "{}", r.all());
    let (shown, errors) = (
        r.all().matches("TOPSECRET").count(),
        r.all().matches("error[").count(),
    );
    assert!(
        errors >= 1 && shown <= 9 * errors,
        "printed {shown} pieces of the secret: {}",
        r.all()
    );
}

/// Why: a project's relative data paths are relative to the project file, whatever the
/// working directory, and the audit block names them so they can be found again.
#[test]
fn data_paths_resolve_against_the_project_file() {
    let dir = scratch("relative");
    worked_example(&dir);
    let from_parent = vigie_in(
        dir.parent().unwrap(),
        &[
            "score",
            "relative/m.toml",
            "relative/p.toml",
            "--format",
            "json",
        ],
    );
    assert_eq!(from_parent.code, Some(0), "{}", from_parent.stderr);
    let json: serde_json::Value = serde_json::from_str(&from_parent.stdout).unwrap();
    assert_eq!(
        json["audit"]["data_files"][0]["file"],
        "relative/data/events-western-mali-2025.csv"
    );
    let from_inside = vigie_in(&dir, &["score", "m.toml", "p.toml", "--format", "json"]);
    let inside: serde_json::Value = serde_json::from_str(&from_inside.stdout).unwrap();
    assert_eq!(json["score"], inside["score"]);
    assert_eq!(
        json["audit"]["data_files"][0]["sha256"],
        inside["audit"]["data_files"][0]["sha256"]
    );
}

/// Why: standard input is read only where a command takes `-` (verify); elsewhere `-` is
/// refused, not taken for a file of that name.
#[test]
fn a_dash_is_refused_where_standard_input_is_not_read() {
    let r = vigie(&["check", "-"]);
    assert_refused(&r, "error[VG008]", &"check -");
    assert_refused(&r, "standard input", &"check -");
}

/// Why: CLF and UYW have four decimals in ISO 4217, not two; money is rounded to them.
#[test]
fn money_in_clf_is_rounded_to_four_decimals() {
    let dir = scratch("clf");
    worked_example(&dir);
    let text = fs::read_to_string(dir.join("p.toml")).unwrap();
    fs::write(
        dir.join("clf.toml"),
        text.replace("currency = \"USD\"", "currency = \"CLF\""),
    )
    .unwrap();
    let r = vigie_in(&dir, &["score", "m.toml", "clf.toml", "--format", "json"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(json["money"]["minor_units"], 4);
    let el = json["money"]["expected_loss"].as_str().unwrap();
    assert_eq!(el.split('.').nth(1).map(str::len), Some(4), "{el}");
}
