//! Project files: what is being scored (site, exposure, as-of date) and the values of the
//! model's inputs, each with its source and status. Money is read as exact decimals.

pub mod countries;
pub(crate) mod read;

pub use read::{HEADER_KEYS, HeaderDefaults, read_embedded_project, read_project};

use rust_decimal::Decimal;
use serde::Serialize;

use crate::diag::{Diagnostic, SourceFile, has_errors};
use crate::error::Error;
use crate::toml_read::Sp;

/// How far a figure can be trusted, as its sources say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Published by a primary source.
    Reported,
    /// Modelled or derived by a credible source.
    Estimated,
    /// Stated somewhere, not confirmed by any source found.
    Unverified,
    /// Sources contradict the figure.
    Contradicted,
}

impl Status {
    /// The word used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Reported => "reported",
            Status::Estimated => "estimated",
            Status::Unverified => "unverified",
            Status::Contradicted => "contradicted",
        }
    }
}

/// A point on the earth, WGS84 degrees (the geodesy module's type).
pub use crate::geo::LatLon;

/// Where the project is.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Site {
    /// One point (a plant, a mine).
    Point {
        /// The point.
        at: LatLon,
    },
    /// A line (a road, a pipeline), as ordered vertices.
    Polyline {
        /// Vertices, at least two.
        points: Vec<LatLon>,
    },
}

/// The amount at risk, exact, as a point or a low/high range.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exposure {
    /// ISO 4217 currency code.
    pub currency: String,
    /// Lowest amount.
    pub low: Decimal,
    /// Nominal amount: as given, or the midpoint of the range.
    pub nominal: Decimal,
    /// Highest amount.
    pub high: Decimal,
    /// True when only low/high were given and the nominal is their midpoint.
    pub nominal_is_midpoint: bool,
    /// Where the figure comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// How far it can be trusted.
    pub status: Status,
    /// Remaining maturity of the exposure, years (the model's default when absent).
    pub maturity_years: Option<f64>,
}

/// A raw value as the project gives it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum RawValue {
    /// A number.
    Number(f64),
    /// A category, for categorical indicators.
    Text(String),
}

/// One input value with its provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct InputValue {
    /// The model input it feeds.
    pub id: Sp<String>,
    /// Nominal value (the midpoint when only low/high were given).
    pub value: Sp<RawValue>,
    /// Lower end of the range, if given.
    pub low: Option<f64>,
    /// Upper end of the range, if given.
    pub high: Option<f64>,
    /// True when the nominal value is the midpoint of low/high.
    pub nominal_is_midpoint: bool,
    /// Citation.
    pub source: Option<String>,
    /// Date or period the figure refers to.
    pub as_of: Option<String>,
    /// Trust.
    pub status: Status,
    /// Free note (e.g. how the figure was derived).
    pub note: Option<String>,
    /// Line of the project file where it is given.
    pub line: usize,
    /// The distribution `simulate` draws it from, when the project gives one (a plain
    /// `low`/`high` range is drawn uniformly).
    pub distribution: Option<crate::uncertainty::distribution::Distribution>,
}

/// Data files the project's derived indicators are computed from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DataFiles {
    /// Conflict-event file (ACLED's format), as written: relative to the project file.
    pub events: Option<Sp<String>>,
    /// Army-position file, as written: relative to the project file.
    pub positions: Option<Sp<String>>,
    /// Status of the values derived from these files (default reported).
    pub status: Option<Status>,
    /// Back-testing: drop events whose ACLED `timestamp` (upload time) is after the as-of
    /// date, so the score sees only what was known then.
    pub known_at_as_of: bool,
}

/// An analyst's override of the model's band: the output shows both, with the reason and
/// the author, and the audit block records it.
#[derive(Debug, Clone, PartialEq)]
pub struct BandOverride {
    /// The band the analyst sets (a label of the model's bands).
    pub band: Sp<String>,
    /// Why.
    pub reason: String,
    /// Who.
    pub author: String,
    /// When, if given.
    pub date: Option<jiff::civil::Date>,
}

/// A validated project file.
#[derive(Debug, Clone)]
pub struct Project {
    /// Stable id.
    pub id: String,
    /// Human name.
    pub name: String,
    /// ISO 3166 alpha-3 country code.
    pub country: String,
    /// Region inside the country.
    pub region: String,
    /// Who is behind it.
    pub sponsors: Vec<String>,
    /// What it is.
    pub description: String,
    /// Where it is.
    pub site: Option<Site>,
    /// Date the assessment speaks for.
    pub as_of: jiff::civil::Date,
    /// Amount at risk.
    pub exposure: Option<Exposure>,
    /// An analyst's band override, if any.
    pub band_override: Option<BandOverride>,
    /// Whether the obligor is in default: a fact, never a band a score maps to. Basel
    /// then gives 0 % risk weight and a 50 % expected-loss rate (CRE33), and PD is 1.
    pub defaulted: bool,
    /// Event and position files for derived indicators.
    pub data: DataFiles,
    /// Input values, in file order.
    pub values: Vec<InputValue>,
    /// Span of the `[values]` table (for "missing value" diagnostics).
    pub values_span: std::ops::Range<usize>,
    /// SHA-256 of the file, hex.
    pub sha256: String,
    /// The file name given when loading.
    pub origin: String,
    /// The file itself, so later diagnostics (binding, evaluation) can point into it.
    pub source: SourceFile,
}

impl Project {
    /// Reads and validates a project file.
    pub fn from_source(src: &SourceFile) -> Result<(Project, Vec<Diagnostic>), Error> {
        let (p, diags) = read_project(src);
        match p {
            Some(p) if !has_errors(&diags) => Ok((p, diags)),
            _ => Err(Error::Invalid(diags)),
        }
    }

    /// Reads a project from text (a convenience for library users).
    pub fn from_toml(name: &str, text: &str) -> Result<Project, Error> {
        Project::from_source(&SourceFile::new(name, text)).map(|(p, _)| p)
    }

    /// A path written in the project file, resolved against the project file's folder
    /// (absolute paths are kept).
    pub fn resolve_path(&self, written: &str) -> std::path::PathBuf {
        let written = std::path::Path::new(written);
        if written.is_absolute() {
            return written.to_path_buf();
        }
        std::path::Path::new(&self.origin)
            .parent()
            .map_or_else(|| written.to_path_buf(), |dir| dir.join(written))
    }

    /// The value given for an input id.
    pub fn value(&self, id: &str) -> Option<&InputValue> {
        self.values.iter().find(|v| v.id.value == id)
    }
}
