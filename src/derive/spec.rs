//! Derived indicators as a model declares them: which events or army positions count, over
//! what radius and window, and what number comes out. Validated data only; computing the
//! numbers is `compute`'s job.

/// ACLED's six event types (ACLED codebook; `shared/data/acled-event-types.csv`).
pub const ACLED_EVENT_TYPES: &[&str] = &[
    "Battles",
    "Protests",
    "Riots",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Strategic developments",
];

/// ACLED's 25 sub-event types.
pub const ACLED_SUB_EVENT_TYPES: &[&str] = &[
    "Government regains territory",
    "Non-state actor overtakes territory",
    "Armed clash",
    "Excessive force against protesters",
    "Protest with intervention",
    "Peaceful protest",
    "Violent demonstration",
    "Mob violence",
    "Chemical weapon",
    "Air/drone strike",
    "Suicide bomb",
    "Shelling/artillery/missile attack",
    "Remote explosive/landmine/IED",
    "Grenade",
    "Sexual violence",
    "Attack",
    "Abduction/forced disappearance",
    "Agreement",
    "Arrests",
    "Change to group/activity",
    "Disrupted weapons use",
    "Headquarters or base established",
    "Looting/property destruction",
    "Non-violent transfer of territory",
    "Other",
];

/// One way an event can match: every condition given must hold; within a condition, any
/// of the listed values will do. Text comparisons ignore case.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventMatch {
    /// ACLED event types (exact names).
    pub event_type: Vec<String>,
    /// ACLED sub-event types (exact names).
    pub sub_event_type: Vec<String>,
    /// Text found in actor1 or actor2 (substring).
    pub actor: Vec<String>,
    /// Required value of ACLED's civilian_targeting flag.
    pub civilian_targeting: Option<bool>,
    /// Tags (exact, one of).
    pub tags: Vec<String>,
    /// Words found in the notes (substring).
    pub notes: Vec<String>,
    /// First-level administrative units (exact).
    pub admin1: Vec<String>,
    /// Place names (ACLED `location`, exact).
    pub location: Vec<String>,
    /// ACLED `inter1` as written (e.g. "Rebel group", or a code such as "2" in older
    /// exports; exact).
    pub inter1: Vec<String>,
}

/// How events placed only at region level (ACLED geo_precision 3) count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Precision3 {
    /// Like any other event.
    Count,
    /// With this weight (0 to 1).
    Weight(f64),
    /// Not at all.
    Exclude,
}

/// For a linear site, which distance between the site and the army counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteMeasure {
    /// The smallest distance from any position to any point of the site.
    NearestApproach,
    /// The largest distance from a point of the site to its nearest position: the gap in
    /// coverage along a road.
    WorstPoint,
}

/// What is computed, with its parameters.
#[derive(Debug, Clone, PartialEq)]
pub enum DeriveKind {
    /// Matching events within the radius over the window, optionally decayed.
    EventCount {
        /// Radius around the site, km (inclusive).
        radius_km: f64,
        /// Days before the as-of date, the as-of day included.
        window_days: u32,
        /// Half-life of the exponential time decay, days.
        half_life_days: Option<f64>,
    },
    /// Fatalities of matching events, counted the same way.
    Fatalities {
        /// Radius, km.
        radius_km: f64,
        /// Window, days.
        window_days: u32,
        /// Half-life, days.
        half_life_days: Option<f64>,
    },
    /// A Global-Terrorism-Index-style impact: incident and fatality weights, optionally
    /// averaged across years with year weights (most recent year first).
    Impact {
        /// Radius, km.
        radius_km: f64,
        /// Window, days (the number of years times 365 when year weights are given).
        window_days: u32,
        /// Points per incident.
        incident_weight: f64,
        /// Points per fatality.
        fatality_weight: f64,
        /// Weights of successive 365-day years, most recent first; empty for none.
        year_weights: Vec<f64>,
    },
    /// Rate in the recent window over the rate in the earlier window, each count smoothed.
    Trend {
        /// Radius, km.
        radius_km: f64,
        /// Recent window, days.
        recent_days: u32,
        /// Earlier window (just before the recent one), days.
        earlier_days: u32,
        /// Events added to both counts, so that an empty earlier window gives a finite ratio.
        smoothing: f64,
    },
    /// Distance to the nearest army position active on the as-of date, km.
    ArmyDistance {
        /// Position kinds that count (empty: all).
        kinds: Vec<String>,
        /// For a linear site: nearest approach or worst point.
        measure: SiteMeasure,
        /// Sampling step along a line for the worst point, km.
        step_km: f64,
    },
    /// Army positions active on the as-of date within the radius of the site.
    ArmyCount {
        /// Position kinds that count (empty: all).
        kinds: Vec<String>,
        /// Radius, km.
        radius_km: f64,
    },
    /// Share of matching events placed only at region level (geo_precision 3), 0 to 1.
    PrecisionShare {
        /// Radius, km.
        radius_km: f64,
        /// Window, days.
        window_days: u32,
    },
}

impl DeriveKind {
    /// The word used in model files.
    pub fn name(&self) -> &'static str {
        match self {
            DeriveKind::EventCount { .. } => "event_count",
            DeriveKind::Fatalities { .. } => "fatalities",
            DeriveKind::Impact { .. } => "impact",
            DeriveKind::Trend { .. } => "trend",
            DeriveKind::ArmyDistance { .. } => "army_distance",
            DeriveKind::ArmyCount { .. } => "army_count",
            DeriveKind::PrecisionShare { .. } => "precision_share",
        }
    }

    /// True for kinds computed from army positions rather than events.
    pub fn uses_positions(&self) -> bool {
        matches!(
            self,
            DeriveKind::ArmyDistance { .. } | DeriveKind::ArmyCount { .. }
        )
    }

    /// Days before the as-of date the kind reads events from (0 for position kinds).
    pub fn lookback_days(&self) -> u32 {
        match self {
            DeriveKind::EventCount { window_days, .. }
            | DeriveKind::Fatalities { window_days, .. }
            | DeriveKind::Impact { window_days, .. }
            | DeriveKind::PrecisionShare { window_days, .. } => *window_days,
            DeriveKind::Trend {
                recent_days,
                earlier_days,
                ..
            } => recent_days + earlier_days,
            DeriveKind::ArmyDistance { .. } | DeriveKind::ArmyCount { .. } => 0,
        }
    }

    /// Radius of the event search, km (none for the distance to the army).
    pub fn radius_km(&self) -> Option<f64> {
        match self {
            DeriveKind::EventCount { radius_km, .. }
            | DeriveKind::Fatalities { radius_km, .. }
            | DeriveKind::Impact { radius_km, .. }
            | DeriveKind::Trend { radius_km, .. }
            | DeriveKind::ArmyCount { radius_km, .. }
            | DeriveKind::PrecisionShare { radius_km, .. } => Some(*radius_km),
            DeriveKind::ArmyDistance { .. } => None,
        }
    }
}

/// An indicator whose raw value is computed from event and position files.
#[derive(Debug, Clone, PartialEq)]
pub struct Derived {
    /// Input slot (= indicator index) it fills.
    pub indicator: u32,
    /// What is computed.
    pub kind: DeriveKind,
    /// An event counts if it matches any of these (no entry: every event counts).
    pub matches: Vec<EventMatch>,
    /// How region-level events count.
    pub precision3: Precision3,
    /// The `derive` table as written, for explanations and traces.
    pub text: String,
}

/// Whether a kind of data-file problem is a warning or stops scoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnProblem {
    /// Reported as a warning (in the assessment, for coverage) and scoring goes on.
    #[default]
    Warn,
    /// Stops scoring with an error.
    Error,
}

impl OnProblem {
    /// The word used in model files.
    pub fn word(self) -> &'static str {
        match self {
            OnProblem::Warn => "warn",
            OnProblem::Error => "error",
        }
    }
}

/// What the model says about rejected rows (the `[data] rejected_rows` setting).
pub type RejectedRows = OnProblem;

/// Default of `[data] max_staleness_days`: how far, in days, a data file's events may stop
/// short of either end of a window an indicator reads before the file counts as not
/// covering it. ACLED publishes weekly, so a current export of a country in conflict has
/// events within days of its end; a month without any is the sign of an old export, a
/// narrow filter, or a hand-made file.
pub const DEFAULT_MAX_STALENESS_DAYS: u32 = 30;

/// What the model says about data files: its `[data]` table, defaults filled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataPolicy {
    /// Whether a rejected row stops scoring.
    pub rejected_rows: OnProblem,
    /// Whether a file that does not cover an indicator's window stops scoring.
    pub coverage: OnProblem,
    /// Days a file's events may stop short of an end of a window (see
    /// [`DEFAULT_MAX_STALENESS_DAYS`]).
    pub max_staleness_days: u32,
    /// Whether a file with no usable row (header only, or every row rejected) stops
    /// scoring. Error by default: such a file would score as a quiet place.
    pub empty_file: OnProblem,
}

impl Default for DataPolicy {
    fn default() -> Self {
        DataPolicy {
            rejected_rows: OnProblem::Warn,
            coverage: OnProblem::Warn,
            max_staleness_days: DEFAULT_MAX_STALENESS_DAYS,
            empty_file: OnProblem::Error,
        }
    }
}
