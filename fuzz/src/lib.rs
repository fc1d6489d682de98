//! What the fuzz targets share: the shipped model, project and data files, compiled into
//! the targets and read once, so that each target can carry what it fuzzes on through
//! binding and scoring (a reader that accepts bad input must not make a later stage panic).

use std::sync::OnceLock;

use vigie::derive::{EventData, PositionData};
use vigie::{Model, Project};

/// The shipped Sahel model, which derives its security pillar from event and position files.
pub const SAHEL_MODEL: &str = include_str!("../../models/sahel-infrastructure.toml");
/// The worked example's project, scored with [`SAHEL_MODEL`].
pub const COVEC_PROJECT: &str = include_str!("../../models/examples/covec-kayes.toml");
/// The template model that `vigie init` writes (no data files).
pub const TEMPLATE_MODEL: &str = include_str!("../../models/template/model.toml");
/// The template project.
pub const TEMPLATE_PROJECT: &str = include_str!("../../models/template/project.toml");
const EVENTS: &[u8] = include_bytes!("../../models/examples/data/events-western-mali-2025.csv");
const POSITIONS: &[u8] = include_bytes!("../../models/examples/data/deployments-mali.csv");

fn once<T>(cell: &'static OnceLock<T>, make: impl FnOnce() -> T) -> &'static T {
    cell.get_or_init(make)
}

/// The shipped Sahel model, compiled.
pub fn sahel() -> &'static Model {
    static CELL: OnceLock<Model> = OnceLock::new();
    once(&CELL, || {
        Model::from_toml("sahel-infrastructure.toml", SAHEL_MODEL).unwrap()
    })
}

/// The template model, compiled.
pub fn template() -> &'static Model {
    static CELL: OnceLock<Model> = OnceLock::new();
    once(&CELL, || {
        Model::from_toml("model.toml", TEMPLATE_MODEL).unwrap()
    })
}

/// The worked example's project.
pub fn covec() -> &'static Project {
    static CELL: OnceLock<Project> = OnceLock::new();
    once(&CELL, || {
        Project::from_toml("covec-kayes.toml", COVEC_PROJECT).unwrap()
    })
}

/// The template project.
pub fn template_project() -> &'static Project {
    static CELL: OnceLock<Project> = OnceLock::new();
    once(&CELL, || {
        Project::from_toml("project.toml", TEMPLATE_PROJECT).unwrap()
    })
}

/// The shipped event file, read with the Sahel model's options.
pub fn events() -> &'static EventData {
    static CELL: OnceLock<EventData> = OnceLock::new();
    once(&CELL, || {
        EventData::from_bytes("events.csv", EVENTS, &sahel().read_options()).unwrap()
    })
}

/// The shipped army positions.
pub fn positions() -> &'static PositionData {
    static CELL: OnceLock<PositionData> = OnceLock::new();
    once(&CELL, || {
        PositionData::from_bytes("positions.csv", POSITIONS).unwrap()
    })
}

/// Scores `project` with `model` and, when that works, serialises the assessment as
/// `vigie score --format json` does. Errors are fine; a panic is what the fuzzer finds,
/// and so is a silent wrong result: an assessment that comes back must have a finite score
/// and finite contributions (issue 9 §1: what `check` accepts never scores into `null`).
pub fn score(
    model: &Model,
    project: &Project,
    events: Option<&EventData>,
    positions: Option<&PositionData>,
) {
    let Ok(a) = vigie::score_with_data(model, project, events, positions) else {
        return;
    };
    assert!(a.score.is_finite(), "score {} accepted", a.score);
    for c in &a.contributions {
        assert!(c.points.is_finite(), "contribution {c:?} accepted");
    }
    let _ = serde_json::to_string(&a);
}

/// Text of a fuzz input, when it is UTF-8 (the readers take text; the binary refuses other
/// bytes before any reader sees them).
pub fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}
