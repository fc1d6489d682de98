//! Command-line arguments as typed by the user, with the maxima of every count (a count
//! beyond its maximum is a usage error, never an allocation attempted), and the check
//! that no flag is given where it would do nothing.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// The most draws of `vigie simulate` (each draw holds about 38 bytes until the summary:
/// 10 million draws peak at 380 MB, measured with `/usr/bin/time -f %M`).
pub const MAX_DRAWS: usize = 10_000_000;
/// The most threads `--threads` (or `RAYON_NUM_THREADS`) may ask for.
pub const MAX_THREADS: usize = 256;
/// The largest base sample size `--n` of `vigie sensitivity`.
pub const MAX_N: usize = 1 << 20;
/// The most Sobol replicates `--replicates` may ask for.
pub const MAX_REPLICATES: usize = 64;
/// The most model evaluations of one Sobol design, `replicates x N x (factors + 2)`:
/// checked once the model and project say how many factors there are.
pub const MAX_EVALUATIONS: usize = 1 << 23;
/// The most rows `--csv` writes (each row is held in memory, then written as text: 262,144
/// rows of 16 factors peak near 150 MB).
pub const MAX_CSV_ROWS: usize = 1 << 18;
/// The most drivers `--top` shows.
pub const MAX_TOP: usize = 10_000;

/// A whole number from `MIN` to `MAX`, for count flags.
fn count<const MIN: usize, const MAX: usize>(s: &str) -> Result<usize, String> {
    use std::num::IntErrorKind;
    match s.parse::<usize>() {
        Ok(n) if (MIN..=MAX).contains(&n) => Ok(n),
        Ok(_) => Err(format!("must be from {MIN} to {MAX}")),
        Err(e) if *e.kind() == IntErrorKind::PosOverflow => {
            Err(format!("must be from {MIN} to {MAX}"))
        }
        Err(_) => Err(format!("must be a whole number from {MIN} to {MAX}")),
    }
}

/// A number strictly between 0 and 1.
fn open_unit(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(f) if f > 0.0 && f < 1.0 => Ok(f),
        _ => Err("must be a number strictly between 0 and 1".to_string()),
    }
}

/// Vigie: investment risk scoring from auditable model files.
#[derive(Debug, Parser)]
#[command(name = "vigie", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Score a project with a model.
    #[command(
        after_help = "Examples (from the repository's folder):\n  vigie score models/sahel-infrastructure.toml models/examples/covec-kayes.toml\n  vigie score models/sahel-infrastructure.toml models/examples/covec-kayes.toml --format json\n  vigie score models/sahel-infrastructure.toml models/examples/covec-kayes.toml --as-of 2025-06-30"
    )]
    Score(ScoreArgs),
    /// Simulate the score over the project's uncertain inputs (Monte Carlo).
    #[command(
        after_help = "Examples (from the repository's folder):\n  vigie simulate models/sahel-infrastructure.toml models/examples/covec-kayes.toml --draws 20000 --seed 7\n  vigie simulate models/sahel-infrastructure.toml models/examples/covec-kayes.toml --fixed-model --format json"
    )]
    Simulate(SimulateArgs),
    /// Rank the project's uncertain inputs by their effect on the score.
    #[command(
        after_help = "Examples (from the repository's folder):\n  vigie sensitivity models/sahel-infrastructure.toml models/examples/covec-kayes.toml\n  vigie sensitivity models/sahel-infrastructure.toml models/examples/covec-kayes.toml --sampling sobol --replicates 4\n  vigie sensitivity models/sahel-infrastructure.toml models/examples/covec-kayes.toml --quantity expected-loss"
    )]
    Sensitivity(SensitivityArgs),
    /// Check model and project files; report every problem of every file.
    #[command(
        after_help = "Examples (from the repository's folder):\n  vigie check models/hdi.toml models/inform-sahel.toml\n  vigie check models/examples/covec-kayes.toml --model models/sahel-infrastructure.toml\n  vigie check models/template/model.toml --format json"
    )]
    Check(CheckArgs),
    /// Describe a model in words for an auditor.
    #[command(
        after_help = "Examples (from the repository's folder):\n  vigie explain models/sahel-infrastructure.toml\n  vigie explain models/hdi.toml --format markdown"
    )]
    Explain(ExplainArgs),
    /// Write a commented template model and project that score cleanly.
    #[command(
        after_help = "Examples (from the repository's folder):\n  vigie init my-project/\n  vigie check my-project/model.toml my-project/project.toml"
    )]
    Init(InitArgs),
    /// Run the reference cases of model test files; exit 1 if any fails.
    #[command(
        after_help = "Examples (from the repository's folder):\n  vigie test\n  vigie test models/hdi.toml\n  vigie test models/tests/sahel-infrastructure.toml --format json"
    )]
    Test(TestArgs),
    /// List where every number comes from (model figures, project values, data files),
    /// with warnings on unverified, contradicted and stale figures.
    #[command(
        after_help = "Examples (from the repository's folder):\n  vigie sources models/sahel-infrastructure.toml\n  vigie sources models/sahel-infrastructure.toml models/examples/covec-kayes.toml\n  vigie sources models/sahel-infrastructure.toml models/examples/covec-kayes.toml --format json"
    )]
    Sources(SourcesArgs),
    /// Print the JSON Schema of model or project files (for editors such as Taplo).
    #[command(
        after_help = "Examples (from the repository's folder):\n  vigie schema model\n  vigie schema project"
    )]
    Schema(SchemaArgs),
    /// Check that a JSON output came from the files it names and this engine: re-read
    /// them, compare their SHA-256, run the command again and compare the output.
    #[command(
        after_help = "Examples (from the repository's folder):\n  vigie score models/sahel-infrastructure.toml models/examples/covec-kayes.toml --format json -o a.json\n  vigie verify a.json\n  vigie score models/sahel-infrastructure.toml models/examples/covec-kayes.toml --format json | vigie verify -"
    )]
    Verify(VerifyArgs),
    /// Print a model's fingerprints: the file's bytes and its canonical content.
    #[command(
        after_help = "Examples (from the repository's folder):\n  vigie fingerprint models/sahel-infrastructure.toml\n  vigie fingerprint models/sahel-infrastructure.toml --format json\n  vigie fingerprint models/sahel-infrastructure.toml --canonical | sha256sum"
    )]
    Fingerprint(FingerprintArgs),
    /// Compare two models in their own terms, and what the change does to projects.
    #[command(
        after_help = "Examples (from the repository's folder):\n  vigie diff models/history/sahel-infrastructure-1.1.0.toml models/sahel-infrastructure.toml\n  vigie diff models/history/sahel-infrastructure-1.1.0.toml models/sahel-infrastructure.toml --projects models/examples/covec-kayes.toml"
    )]
    Diff(DiffArgs),
    /// Print a shell completion script: bash, zsh, fish, powershell or elvish.
    #[command(
        after_help = "Examples (from the repository's folder):\n  vigie completions bash\n  vigie completions zsh\n  vigie completions fish > ~/.config/fish/completions/vigie.fish"
    )]
    Completions(CompletionsArgs),
    /// Print the manual page (roff) of vigie or of one command.
    #[command(
        after_help = "Examples (from the repository's folder):\n  vigie man\n  vigie man score\n  vigie man score > vigie-score.1 && man ./vigie-score.1"
    )]
    Man(ManArgs),
}

/// `vigie completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `vigie man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// A command (`score`, `check`, ...); without it, the page of `vigie` itself.
    pub command: Option<String>,
}

/// `vigie verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// A JSON output of `vigie score`, `simulate` or `sensitivity`, or `-` to read it from
    /// standard input.
    pub output: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = VerifyFormat::Text)]
    pub format: VerifyFormat,
}

/// Output formats of `verify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VerifyFormat {
    /// `verified: ...`, or `NOT verified: ...` and one line per problem.
    Text,
    /// `{ "verified", "output", "engine_version", "problems" }`.
    Json,
}

/// Which file kind's schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// Model files.
    Model,
    /// Project files.
    Project,
}

/// `vigie schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// `model` or `project`.
    #[arg(value_enum)]
    pub kind: SchemaKind,
}

/// `vigie sources`.
#[derive(Debug, Args)]
pub struct SourcesArgs {
    /// Model file.
    pub model: PathBuf,
    /// Project file (optional: without it, the model's own figures only).
    pub project: Option<PathBuf>,
    /// Exit 1 when there is any warning (unverified, contradicted or stale figures).
    #[arg(long)]
    pub strict: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SimulateFormat::Table)]
    pub format: SimulateFormat,
    /// Data files and as-of date.
    #[command(flatten)]
    pub data: DataFlags,
}

/// Output formats of `score`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScoreFormat {
    /// A readable table.
    Table,
    /// The assessment as JSON (layout in docs/cli.md).
    Json,
    /// Markdown, for reports.
    Markdown,
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Diagnostics with source snippets.
    Human,
    /// Diagnostics as JSON.
    Json,
}

/// Output formats of `explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    /// Plain text.
    Text,
    /// Markdown.
    Markdown,
}

/// `vigie score`.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Model file (TOML with a [model] table).
    pub model: PathBuf,
    /// Project file (TOML with a [project] table).
    pub project: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ScoreFormat::Table)]
    pub format: ScoreFormat,
    /// Number of top drivers shown in the table and markdown formats [default: 8].
    #[arg(long, value_parser = count::<1, MAX_TOP>)]
    pub top: Option<usize>,
    /// Write the output to this file (atomically) instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// The arguments after `vigie`, recorded in the output's audit block (not a flag).
    #[arg(skip)]
    pub invocation: Vec<String>,
    /// Data files and as-of date.
    #[command(flatten)]
    pub data: DataFlags,
}

/// Data files and the as-of date, shared by the commands that score.
#[derive(Debug, Clone, Default, Args)]
pub struct DataFlags {
    /// Conflict-event file in ACLED's format (overrides `[project.data] events`).
    #[arg(long)]
    pub events: Option<PathBuf>,
    /// Army-position file (overrides `[project.data] positions`).
    #[arg(long)]
    pub positions: Option<PathBuf>,
    /// Score as of this date, YYYY-MM-DD (overrides `project.as_of`); no later event is used.
    #[arg(long, value_parser = parse_date)]
    pub as_of: Option<jiff::civil::Date>,
    /// Back-testing: also drop events uploaded (ACLED `timestamp`) after the as-of date.
    #[arg(long)]
    pub known_at_as_of: bool,
    /// Longest CSV record (header or row) accepted in an event or position file, in bytes
    /// (default 1048576, 1 MiB); a longer one is refused (VG069) before it fills memory.
    #[arg(long, value_name = "BYTES")]
    pub max_record_bytes: Option<u64>,
    /// Refuse to score with a draft or retired model, or one overdue for review on the
    /// as-of date (otherwise a warning).
    #[arg(long)]
    pub strict_governance: bool,
    /// Set by `vigie verify` (not a flag): the only data files the run may open.
    #[arg(skip)]
    pub recorded: Option<Vec<PathBuf>>,
}

impl DataFlags {
    /// The flags given, by name (for "does nothing without a project" errors).
    fn given(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.events.is_some() {
            out.push("--events");
        }
        if self.positions.is_some() {
            out.push("--positions");
        }
        if self.as_of.is_some() {
            out.push("--as-of");
        }
        if self.known_at_as_of {
            out.push("--known-at-as-of");
        }
        if self.strict_governance {
            out.push("--strict-governance");
        }
        out
    }
}

fn parse_date(s: &str) -> Result<jiff::civil::Date, String> {
    match s.parse::<jiff::civil::Date>() {
        Ok(d) if s.len() == 10 => Ok(d),
        _ => Err(format!("`{s}` is not a date of the form YYYY-MM-DD")),
    }
}

/// Output formats of `simulate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SimulateFormat {
    /// A readable summary.
    Table,
    /// The report as JSON.
    Json,
}

/// `vigie simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Model file.
    pub model: PathBuf,
    /// Project file.
    pub project: PathBuf,
    /// Number of draws (at most 10,000,000).
    #[arg(long, default_value_t = 10_000, value_parser = count::<1, MAX_DRAWS>)]
    pub draws: usize,
    /// Seed of the random streams (the default is printed in every report).
    #[arg(long, default_value_t = vigie::uncertainty::streams::DEFAULT_SEED)]
    pub seed: u64,
    /// Threads, at most 256 (default: RAYON_NUM_THREADS if set, else the machine's cores).
    /// The result does not depend on it.
    #[arg(long, value_parser = count::<1, MAX_THREADS>)]
    pub threads: Option<usize>,
    /// Multiply every weight by U(1 - f, 1 + f) in each draw (weights are renormalised),
    /// instead of the model's own `[uncertainty]` declaration; f in (0, 1).
    #[arg(long, conflicts_with = "fixed_model", value_parser = open_unit)]
    pub weight_factor: Option<f64>,
    /// Keep the model's weights and nominal options: draw the project's inputs only.
    #[arg(long)]
    pub fixed_model: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SimulateFormat::Table)]
    pub format: SimulateFormat,
    /// Data files and as-of date.
    #[command(flatten)]
    pub data: DataFlags,
    /// Write the output to this file (atomically) instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// The arguments after `vigie`, recorded in the output's audit block (not a flag).
    #[arg(skip)]
    pub invocation: Vec<String>,
}

/// Sampling of the Sobol design.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SobolSampling {
    /// Pseudo-random (ChaCha8), with bootstrap confidence intervals.
    Random,
    /// Sobol quasi-random sequence: more accurate, no intervals.
    Sobol,
}

/// What `vigie sensitivity` explains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SensitivityQuantity {
    /// The score.
    Score,
    /// The expected loss over the model's horizon (needs `[finance]` and an exposure; the
    /// exposure's range becomes a factor).
    ExpectedLoss,
}

/// `vigie sensitivity`.
#[derive(Debug, Args)]
pub struct SensitivityArgs {
    /// Model file.
    pub model: PathBuf,
    /// Project file.
    pub project: PathBuf,
    /// Base sample size N of the Sobol design (N x (d + 2) evaluations; N from 2 to
    /// 1,048,576, and at most 8,388,608 evaluations in all).
    #[arg(long, default_value_t = 4096, value_parser = count::<2, MAX_N>)]
    pub n: usize,
    /// Sampling of the design.
    #[arg(long, value_enum, default_value_t = SobolSampling::Random)]
    pub sampling: SobolSampling,
    /// With `--sampling sobol`: this many independent randomly shifted replicates of the
    /// Sobol sequence (Cranley-Patterson), giving t-intervals from their spread (1 to 64).
    #[arg(long, value_parser = count::<1, MAX_REPLICATES>)]
    pub replicates: Option<usize>,
    /// Seed (random sampling, bootstrap, and the shifts of Sobol replicates) [default:
    /// the same default as `simulate`]. Unscrambled Sobol sampling draws nothing at random.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Keep the model's weights and nominal options: analyse the project's inputs only.
    #[arg(long)]
    pub fixed_model: bool,
    /// What to explain: the score, or the expected loss.
    #[arg(long, value_enum, default_value_t = SensitivityQuantity::Score)]
    pub quantity: SensitivityQuantity,
    /// Write every sampled row (the uncertain inputs' values) and its score to this CSV.
    #[arg(long)]
    pub csv: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SimulateFormat::Table)]
    pub format: SimulateFormat,
    /// Data files and as-of date.
    #[command(flatten)]
    pub data: DataFlags,
    /// The arguments after `vigie`, recorded in the output's audit block (not a flag).
    #[arg(skip)]
    pub invocation: Vec<String>,
}

/// `vigie check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Model and project files, in any order.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Also bind every project file to this model, checking its values against it.
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
}

/// `vigie explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Model file.
    pub model: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    pub format: ExplainFormat,
}

/// `vigie init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Directory to write `model.toml` and `project.toml` into (created if absent).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Overwrite existing files.
    #[arg(long)]
    pub force: bool,
}

/// Output formats of `test`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TestFormat {
    /// One line per case, differences under each failure, a summary line.
    Text,
    /// The results as JSON.
    Json,
}

/// `vigie test`.
#[derive(Debug, Args)]
pub struct TestArgs {
    /// Folders to search for test files (`tests/*.toml`), test files, or model files (their
    /// test file `tests/<stem>.toml` beside them is run).
    #[arg(default_value = "models")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TestFormat::Text)]
    pub format: TestFormat,
}

/// Output formats of `fingerprint` and `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    /// Readable text.
    Table,
    /// JSON (fields in docs/cli.md).
    Json,
}

/// `vigie fingerprint`.
#[derive(Debug, Args)]
pub struct FingerprintArgs {
    /// Model file.
    pub model: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AuditFormat::Table)]
    pub format: AuditFormat,
    /// Print the canonical form itself (the exact bytes the canonical hash is taken over).
    #[arg(long, conflicts_with = "format")]
    pub canonical: bool,
}

/// `vigie diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old model file.
    pub old: PathBuf,
    /// The new model file.
    pub new: PathBuf,
    /// A project file, or a directory whose `.toml` files are all project files: each is
    /// scored under both models.
    #[arg(long)]
    pub projects: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AuditFormat::Table)]
    pub format: AuditFormat,
}

/// Flags given where they would do nothing: a usage error, never silently ignored. (Flags
/// whose effect depends on the model, such as `--events` for a model that derives nothing
/// from events, are checked once the model is read.)
pub fn validate(cli: &Cli) -> Result<(), String> {
    match &cli.command {
        Command::Score(a) if a.top.is_some() && a.format == ScoreFormat::Json => Err(
            "--top does nothing with --format json (the JSON lists every driver)".to_string(),
        ),
        Command::Sensitivity(a) => match (a.sampling, a.replicates, a.seed) {
            (SobolSampling::Random, Some(_), _) => Err(
                "--replicates does nothing without --sampling sobol (random sampling gives bootstrap intervals)"
                    .to_string(),
            ),
            (SobolSampling::Sobol, None, Some(_)) => Err(
                "--seed does nothing with --sampling sobol and no --replicates (the unscrambled Sobol sequence draws nothing at random)"
                    .to_string(),
            ),
            _ => Ok(()),
        },
        Command::Sources(a) if a.project.is_none() && !a.data.given().is_empty() => Err(format!(
            "{} does nothing without a project file",
            a.data.given().join(", ")
        )),
        _ => Ok(()),
    }
}
