//! `vigie verify`: an untouched output is verified; one whose model, project, data or
//! numbers changed is not, and the reason is named. Scoring twice gives the same bytes.

use std::process::{Command, Output};

const MODEL: &str = "models/sahel-infrastructure.toml";
const PROJECT: &str = "models/examples/covec-kayes.toml";

fn root() -> &'static str {
    env!("CARGO_MANIFEST_DIR")
}

fn vigie(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A copy of a shipped file beside it (so relative data paths resolve), removed on drop.
struct Copy(String);

impl Copy {
    fn of(original: &str, name: &str) -> Copy {
        let dir = std::path::Path::new(original).parent().unwrap();
        let path = dir
            .join(format!(".test-verify-{name}.toml"))
            .display()
            .to_string();
        std::fs::copy(
            format!("{}/{original}", root()),
            format!("{}/{path}", root()),
        )
        .unwrap();
        Copy(path)
    }
    fn edit(&self, from: &str, to: &str) {
        let full = format!("{}/{}", root(), self.0);
        let text = std::fs::read_to_string(&full).unwrap();
        assert!(text.contains(from), "{from}");
        std::fs::write(&full, text.replacen(from, to, 1)).unwrap();
    }
}

impl Drop for Copy {
    fn drop(&mut self) {
        std::fs::remove_file(format!("{}/{}", root(), self.0)).ok();
    }
}

fn output_file(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("vigie-verify-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name).display().to_string()
}

#[test]
fn scoring_twice_gives_identical_bytes() {
    let a = vigie(&["score", MODEL, PROJECT, "--format", "json"]);
    let b = vigie(&["score", MODEL, PROJECT, "--format", "json"]);
    assert_eq!(a.status.code(), Some(0));
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn an_untouched_output_is_verified_and_edited_numbers_are_not() {
    let out = output_file("score.json");
    let o = vigie(&["score", MODEL, PROJECT, "--format", "json", "-o", &out]);
    assert_eq!(o.status.code(), Some(0));
    let o = vigie(&["verify", &out]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).starts_with("verified:"));
    // The invocation is recorded without the output file.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(
        json["audit"]["invocation"],
        serde_json::json!(["score", MODEL, PROJECT, "--format", "json"])
    );
    let text = std::fs::read_to_string(&out).unwrap();
    let edited = output_file("edited.json");
    std::fs::write(
        &edited,
        text.replacen(
            "\"expected_loss\": \"3371472.00\"",
            "\"expected_loss\": \"1000000.00\"",
            1,
        ),
    )
    .unwrap();
    let o = vigie(&["verify", &edited]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains(
            "$.money.expected_loss: output has \"1000000.00\", recomputed \"3371472.00\""
        ),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_changed_model_project_or_data_file_is_named() {
    let model = Copy::of(MODEL, "model");
    let project = Copy::of(PROJECT, "project");
    let out = output_file("files.json");
    let o = vigie(&[
        "score", &model.0, &project.0, "--format", "json", "-o", &out,
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(vigie(&["verify", &out]).status.code(), Some(0));

    project.edit(
        "poverty_national_pct = { value = 44.4",
        "poverty_national_pct = { value = 44.3",
    );
    let o = vigie(&["verify", &out]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("project file models/examples/.test-verify-project.toml has changed"),
        "{}",
        stdout(&o)
    );

    let project = Copy::of(PROJECT, "project");
    let o = vigie(&[
        "score", &model.0, &project.0, "--format", "json", "-o", &out,
    ]);
    assert_eq!(o.status.code(), Some(0));
    model.edit("weights = [65, 35]", "weights = [60, 40]");
    let o = vigie(&["verify", &out]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("model file models/.test-verify-model.toml has changed"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_simulation_is_verified_with_its_seed_and_draws() {
    let out = output_file("sim.json");
    let o = vigie(&[
        "simulate", MODEL, PROJECT, "--draws", "2000", "--seed", "9", "--format", "json",
        "--output", &out,
    ]);
    assert_eq!(o.status.code(), Some(0));
    let o = vigie(&["verify", &out]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("\"data_files\""));
    let o = vigie(&["verify", "models/sahel-infrastructure.toml"]);
    assert_eq!(o.status.code(), Some(2), "not JSON");
}

/// `verify --format json`: the verdict and every problem as data, with the same exit codes.
#[test]
fn verify_speaks_json_too() {
    let out = output_file("json-verdict.json");
    let o = vigie(&["score", MODEL, PROJECT, "--format", "json", "-o", &out]);
    assert!(o.status.success());
    let verdict = |o: &Output| -> serde_json::Value { serde_json::from_slice(&o.stdout).unwrap() };
    let o = vigie(&["verify", &out, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let v = verdict(&o);
    assert_eq!(v["verified"], true);
    assert_eq!(v["problems"], serde_json::json!([]));
    let text = std::fs::read_to_string(&out).unwrap();
    std::fs::write(
        &out,
        text.replacen("\"score\": 57.2,", "\"score\": 17.2,", 1),
    )
    .unwrap();
    let o = vigie(&["verify", &out, "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v = verdict(&o);
    assert_eq!(v["verified"], false);
    assert_eq!(
        v["problems"][0],
        "$.score: output has 17.2, recomputed 57.2"
    );
}
