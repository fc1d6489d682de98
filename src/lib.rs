//! Vigie: an investment risk scoring engine.
//!
//! A model file (TOML) says how raw indicators become a score: transforms, normalisations,
//! weighted aggregations, bands and rules. A project file gives the indicator values with
//! their sources. Vigie compiles the model once into flat data and evaluates it with one
//! allocation-free kernel; the [`Assessment`] explains every point of the result.
//!
//! ```
//! use vigie::{Model, Project, score};
//!
//! let model = Model::from_toml("m.toml", r#"
//!     [model]
//!     id = "demo"
//!     name = "Demo"
//!     version = "1.0.0"
//!     effective = 2025-01-01
//!     scale = [0, 100]
//!
//!     [indicators.attacks]
//!     label = "Attacks within 100 km, last 12 months"
//!     direction = "higher_is_riskier"
//!     normalise = { method = "goalposts", min = 0, max = 10 }
//!
//!     [indicators.poverty]
//!     label = "Poverty headcount"
//!     direction = "higher_is_riskier"
//!     normalise = { method = "goalposts", min = 0, max = 100 }
//!
//!     [groups.risk]
//!     children = ["attacks", "poverty"]
//!     weights = [3, 1]
//!     aggregation = "arithmetic"
//!
//!     [[bands]]
//!     label = "Low"
//!     from = 0
//!     [[bands]]
//!     label = "High"
//!     from = 50
//! "#).unwrap();
//! let project = Project::from_toml("p.toml", r#"
//!     [project]
//!     id = "site-1"
//!     name = "Site 1"
//!     country = "MLI"
//!     as_of = 2025-10-31
//!     [values]
//!     attacks = 4
//!     poverty = 44.4
//! "#).unwrap();
//! let a = score(&model, &project).unwrap();
//! // 0.75 x 40 + 0.25 x 44.4 = 41.1
//! assert!((a.score - 41.1).abs() < 1e-9);
//! assert_eq!(a.band.label, "Low");
//! ```

pub mod audit;
pub mod bind;
pub mod canonical;
pub mod derive;
pub mod diag;
pub mod diff;
pub mod engine;
pub mod error;
pub mod events;
pub mod expr;
pub mod finance;
pub mod geo;
pub mod input;
pub mod model;
pub mod modeltest;
pub mod project;
pub mod provenance;
pub mod rounding;
pub mod schema;
pub mod sensitivity;
mod toml_nesting;
pub mod toml_read;
pub mod uncertainty;

pub use diag::{Code, Diagnostic, Severity, SourceFile};
pub use engine::{Assessment, Workspace, evaluate};
pub use error::Error;
pub use model::{Model, Params};
pub use project::Project;

/// Binds and scores a project with a model's nominal parameters. Files must already have
/// been loaded; binding problems come back as diagnostics located in the project's file.
/// For a model with indicators derived from event or position files, use
/// [`score_with_data`].
pub fn score(model: &Model, project: &Project) -> Result<Assessment, Error> {
    score_with_data(model, project, None, None)
}

/// Like [`score`], with the event and position files the model's derived indicators are
/// computed from (loaded by the caller, e.g. with [`derive::EventData::from_bytes`]). A
/// data-file problem the model makes fatal comes back as an error; rejected rows it only
/// warns about are counted in the assessment's `data_files`.
pub fn score_with_data(
    model: &Model,
    project: &Project,
    events: Option<&derive::EventData>,
    positions: Option<&derive::PositionData>,
) -> Result<Assessment, Error> {
    let as_of = events::date_to_days(project.as_of);
    let prepared = derive::prepare(
        model,
        project,
        as_of,
        project.data.known_at_as_of,
        events,
        positions,
    );
    if diag::has_errors(&prepared.diagnostics) {
        return Err(Error::Invalid(prepared.diagnostics));
    }
    let (bound, diags) = bind::bind_with(model, project, prepared.values, prepared.files);
    let Some(bound) = bound else {
        return Err(Error::Invalid(diags));
    };
    engine::assess(model, project, &bound, &model.default_params())
}

/// The README's examples, compiled and run as doctests so they cannot drift.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

#[cfg(test)]
mod thread_safety {
    /// A lender holds one compiled model in a server and scores from many threads: the
    /// types must stay `Send + Sync` (this fails to compile if one stops being so).
    #[test]
    fn shared_types_are_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<crate::Model>();
        assert_send_sync::<crate::Project>();
        assert_send_sync::<crate::Assessment>();
        assert_send_sync::<crate::Workspace>();
        assert_send_sync::<crate::Error>();
    }
}

/// The library guide's examples (`docs/api.md`), compiled and run as doctests.
#[doc = include_str!("../docs/api.md")]
#[cfg(doctest)]
pub struct ApiDoctests;
