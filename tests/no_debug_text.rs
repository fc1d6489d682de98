//! No output a person reads carries Rust's debug text (`Random { seed: 20250524 }` was
//! printed by `sensitivity`): every value is written for a person.

use std::process::Command;

/// Shapes of `{:?}` output that no report should contain.
const DEBUG_SHAPES: &[&str] = &[
    "Some(",
    "None,",
    " { seed:",
    "Random {",
    "SobolShifted",
    "Ok(",
    "Err(",
];

fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "vigie {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn reports_carry_no_rust_debug_text() {
    let m = "models/sahel-infrastructure.toml";
    let p = "models/examples/covec-kayes.toml";
    let runs: &[&[&str]] = &[
        &["score", m, p],
        &["score", m, p, "--format", "markdown"],
        &["score", m, p, "--format", "json"],
        &["simulate", m, p, "--draws", "500"],
        &["simulate", m, p, "--draws", "500", "--format", "json"],
        &["sensitivity", m, p, "--n", "128"],
        &["sensitivity", m, p, "--n", "128", "--format", "json"],
        &["sensitivity", m, p, "--n", "128", "--sampling", "sobol"],
        &[
            "sensitivity",
            m,
            p,
            "--n",
            "128",
            "--sampling",
            "sobol",
            "--replicates",
            "2",
        ],
        &["sources", m, p],
        &["explain", m],
        &["explain", "models/inform-sahel.toml"],
        &["fingerprint", m],
        &[
            "diff",
            "models/history/sahel-infrastructure-1.1.0.toml",
            m,
            "--projects",
            p,
        ],
    ];
    // The shipped model with the political-risk insurance its comments describe.
    let dir = std::env::temp_dir().join(format!("vigie-no-debug-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let insured = dir.join("insured.toml");
    let text = std::fs::read_to_string(format!("{}/{m}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let commented = "#   [finance.mitigant]\n#   kind = \"political_risk_insurance\"\n#   provider = \"...\"\n#   cover = 0.9\n#   provider_pd = 0.001\n#   peril_share = 0.6";
    assert!(
        text.contains(commented),
        "the model's mitigant example moved"
    );
    std::fs::write(
        &insured,
        text.replace(commented, &commented.replace("#   ", "")),
    )
    .unwrap();
    let insured = insured.to_str().unwrap();
    let with_cover: &[&[&str]] = &[&["explain", insured], &["score", insured, p]];
    for args in runs.iter().chain(with_cover) {
        let text = run(args);
        for shape in DEBUG_SHAPES {
            assert!(!text.contains(shape), "vigie {args:?} prints `{shape}`");
        }
    }
    let explained = run(&["explain", insured]);
    assert!(
        explained.contains("mitigant: political-risk insurance by"),
        "{explained}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
