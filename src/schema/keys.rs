//! One line of description, and the JSON type, of every key the readers accept. A key the
//! readers learn without a line here makes schema generation fail, so the schemas cannot
//! fall behind the readers.

use serde_json::{Value, json};

use crate::finance::read as fin;
use crate::model::{read as m, read_derive as d, read_uncertainty as u};
use crate::project::read as p;

fn s(doc: &str) -> Value {
    json!({ "type": "string", "description": doc })
}
fn n(doc: &str) -> Value {
    json!({ "type": "number", "description": doc })
}
fn int(doc: &str) -> Value {
    json!({ "type": "integer", "description": doc })
}
fn b(doc: &str) -> Value {
    json!({ "type": "boolean", "description": doc })
}
fn date(doc: &str) -> Value {
    json!({ "type": "string", "format": "date", "description": doc })
}
fn words(list: &[&str], doc: &str) -> Value {
    json!({ "type": "string", "enum": list, "description": doc })
}
fn arr(items: Value, doc: &str) -> Value {
    json!({ "type": "array", "items": items, "description": doc })
}
fn obj(doc: &str) -> Value {
    json!({ "type": "object", "description": doc })
}
fn pairs(doc: &str) -> Value {
    arr(
        json!({ "type": "array", "items": { "type": "number" }, "minItems": 2, "maxItems": 2 }),
        doc,
    )
}
/// An exact amount: an integer, a decimal string, or a float of at most 15 digits.
fn amount(doc: &str) -> Value {
    json!({ "anyOf": [ { "type": "integer" }, { "type": "string" }, { "type": "number" } ], "description": doc })
}

/// The schema of `key` in the table `kind`, or `None` if it has no description.
pub(super) fn describe(kind: &str, key: &str) -> Option<Value> {
    Some(match (kind, key) {
        // Model file.
        ("model-file", "model") => obj("The model's header and governance."),
        ("model-file", "data") => obj("What the model says about data files."),
        ("model-file", "inputs") => obj("Extra inputs, by id."),
        ("model-file", "indicators") => obj("Indicators, by id."),
        ("model-file", "groups") => obj("Groups, by id."),
        ("model-file", "bands") => arr(obj("A band."), "Bands, ascending."),
        ("model-file", "rules") => arr(obj("A rule."), "Rules."),
        ("model-file", "uncertainty") => obj("How the model's weights vary in simulation."),
        ("model-file", "finance") => obj("Money from the score."),
        ("data", "rejected_rows") => words(
            &["warn", "error"],
            "Whether a rejected data-file row is a warning or stops scoring.",
        ),
        ("data", "coverage") => words(
            &["warn", "error"],
            "Whether a data file that does not cover a window an indicator reads (stale, starting late, nothing known by the as-of date, no army position active) is a warning (VG107) or stops scoring (VG068).",
        ),
        ("data", "max_staleness_days") => int(
            "Days (0 to 36500, default 30) a data file's events may stop short of either end of an indicator's window before it counts as not covering it.",
        ),
        ("data", "empty_file") => words(
            &["error", "warn"],
            "Whether a data file with no usable row (header only, or every row rejected) stops scoring (VG067, the default) or is a coverage warning (VG107).",
        ),
        ("model", "id") => s("Stable id: letters, digits, _ and -."),
        ("model", "name") => s("Human name."),
        ("model", "version") => s("Semantic version, e.g. \"1.0.0\"."),
        ("model", "effective") => date("Date from which this version is in force."),
        ("model", "owner") => s("Who answers for the model."),
        ("model", "description") => s("What the model is for."),
        ("model", "scale") => {
            json!({ "type": "array", "items": { "type": "number" }, "minItems": 2, "maxItems": 2, "description": "[min, max] of every score." })
        }
        ("model", "decimals") => int("Decimals used when showing scores (0 to 12)."),
        ("model", "root") => s("Id of the root group, when several groups are nobody's child."),
        ("model", "status") => words(
            &["draft", "approved", "retired"],
            "Approval status; scoring with a draft or retired model warns.",
        ),
        ("model", "approver") => s("Who approved the model (required when approved)."),
        ("model", "approved") => date("Approval date (required when approved)."),
        ("model", "next_review") => date("Next review date; scoring past it warns."),
        ("model", "max_age_years") => n("Freshness limit of project figures, in years."),
        ("source", "citation") => s("Citation as a reader would look it up."),
        ("source", "url") => s("Where it can be read."),
        ("source", "vintage") => s("Edition, year or date of the figures."),
        ("input", "label") => s("Short label."),
        ("input", "unit") => s("Unit."),
        ("input", "description") => s("What it measures."),
        ("input", "source") => obj("Where its figures come from."),
        ("indicator", "label") => s("Short label for reports."),
        ("indicator", "unit") => s("Unit of the raw value."),
        ("indicator", "description") => s("What it measures."),
        ("indicator", "rationale") => s("Why it is in the model."),
        ("indicator", "direction") => {
            words(m::DIRECTIONS, "Which way the raw value moves the score.")
        }
        ("indicator", "source") => obj("Where its figures come from."),
        ("indicator", "transform") => words(m::TRANSFORMS, "Applied before normalisation."),
        ("indicator", "power") => n("Exponent, with transform = \"power\"."),
        ("indicator", "denominator") => s("Input dividing this one, with transform = \"ratio\"."),
        ("indicator", "multiplier") => n("Multiplier of the ratio (default 1)."),
        ("indicator", "normalise") => obj("How the transformed value becomes a score."),
        ("indicator", "missing") => words(m::MISSING, "Policy for a missing value."),
        ("indicator", "impute_value") => {
            n("Raw value used when missing, with missing = \"impute\".")
        }
        ("indicator", "impute_from") => {
            s("Input standing in when missing, with missing = \"impute_from\".")
        }
        ("indicator", "round") => int("Decimals the score is rounded to (0 to 15)."),
        ("indicator", "derive") => obj("Computes the raw value from event and position files."),
        ("indicator", "normalise_alternatives") => arr(
            obj("A normalisation."),
            "Other normalisations simulate may draw.",
        ),
        ("normalise", "method") => words(m::NORMALISE_METHODS, "Normalisation method."),
        ("normalise", "min") => n("Goalpost scoring 0 (raw units)."),
        ("normalise", "max") => n("Goalpost scoring the top of the scale (raw units)."),
        ("normalise", "points") => pairs("[raw, score] breakpoints, raw ascending."),
        ("normalise", "bins") => pairs("[threshold, score] steps, thresholds ascending."),
        ("normalise", "below") => n("Score below the first bin."),
        ("normalise", "map") => {
            json!({ "type": "object", "additionalProperties": { "type": "number" }, "description": "Category to score." })
        }
        ("normalise", "mean") => n("Mean of the transformed value."),
        ("normalise", "sd") => n("Standard deviation of the transformed value."),
        ("derive", "kind") => words(d::KINDS, "Kind of derived value."),
        ("derive", "radius_km") => n("Radius around the site, km."),
        ("derive", "window_days") => int("Window of days up to the as-of date."),
        ("derive", "half_life_days") => n("Half-life of an event's weight, days."),
        ("derive", "incident_weight") => n("Weight of an incident in the impact measure."),
        ("derive", "fatality_weight") => n("Weight of a fatality in the impact measure."),
        ("derive", "year_weights") => arr(
            json!({ "type": "number" }),
            "Weights of successive years, most recent first.",
        ),
        ("derive", "recent_days") => int("Recent window of the trend, days."),
        ("derive", "earlier_days") => int("Earlier window of the trend, days."),
        ("derive", "smoothing") => n("Added to both counts of the trend ratio."),
        ("derive", "kinds") => arr(
            json!({ "type": "string" }),
            "Army position kinds that count.",
        ),
        ("derive", "measure") => s("How distance to the army is measured along the site."),
        ("derive", "step_km") => n("Sampling step along a polyline, km."),
        ("derive", "geo_precision_3") => s("What to do with events placed only at region level."),
        ("derive", "geo_precision_3_weight") => n("Weight of region-level events."),
        ("derive", "match") => arr(obj("A filter."), "Event filters."),
        ("match", "event_type") => arr(json!({ "type": "string" }), "ACLED event types."),
        ("match", "sub_event_type") => arr(json!({ "type": "string" }), "ACLED sub-event types."),
        ("match", "actor") => arr(json!({ "type": "string" }), "Words in actor names."),
        ("match", "civilian_targeting") => b("Only events targeting civilians."),
        ("match", "tags") => arr(json!({ "type": "string" }), "Words in the tags column."),
        ("match", "notes") => arr(json!({ "type": "string" }), "Words in the notes."),
        ("match", "admin1") => arr(json!({ "type": "string" }), "First-level regions."),
        ("match", "location") => arr(json!({ "type": "string" }), "Location names."),
        ("match", "inter1") => arr(
            json!({ "type": "integer" }),
            "ACLED interaction codes of actor 1.",
        ),
        ("group", "label") => s("Short label."),
        ("group", "description") => s("What it stands for."),
        ("group", "children") => arr(json!({ "type": "string" }), "Ids of indicators or groups."),
        ("group", "weights") => arr(
            json!({ "type": "number" }),
            "One relative weight per child.",
        ),
        ("group", "aggregation") => words(m::AGGREGATIONS, "How children combine."),
        ("group", "power") => n("Exponent of a power mean."),
        ("group", "formula") => s("Expression, with aggregation = \"formula\"."),
        ("group", "zero") => words(
            m::ZERO_POLICIES,
            "What a geometric-type mean does with a child at zero.",
        ),
        ("group", "zero_floor") => n("Score a child near zero is raised to."),
        ("group", "round") => int("Decimals the score is rounded to (0 to 15)."),
        ("group", "aggregation_alternatives") => arr(
            words(u::ALTERNATIVE_AGGREGATIONS, "An aggregation."),
            "Other aggregations simulate may draw.",
        ),
        ("band", "label") => s("Label, e.g. \"Severe\"."),
        ("band", "from") => n("Inclusive lower bound."),
        ("band", "colour") => s("Colour for reports, \"#rrggbb\"."),
        ("band", "description") => s("What the band means for a decision."),
        ("rule", "id") => s("Unique id."),
        ("rule", "when") => s("Condition, in the formula language."),
        ("rule", "effect") => words(m::EFFECTS, "What the rule does."),
        ("rule", "band") => s("Band label, for band effects."),
        ("rule", "value") => n("Score, for score effects."),
        ("rule", "reason") => s("Printed when the rule fires."),
        ("uncertainty", "weights") => words(u::WEIGHT_METHODS, "How weights vary."),
        ("uncertainty", "factor") => n("Perturbation factor in (0, 1)."),
        ("uncertainty", "concentration") => n("Dirichlet concentration, > 0."),
        ("finance", "pd") => obj("Score to annual PD."),
        ("finance", "horizon_years") => n("Horizon of the expected loss, years."),
        ("finance", "lgd") => n("Loss given default (default 0.45, CRE32.6)."),
        ("finance", "lgd_source") => s("Where the LGD comes from."),
        ("finance", "maturity_years") => n("Effective maturity for the IRB formula (default 2.5)."),
        ("finance", "short_maturity_option") => b("Apply CRE33's short-maturity option."),
        ("finance", "calibrated_on") => {
            s("Default data the PD mapping was calibrated on; without it money is indicative.")
        }
        ("finance", "slotting") => {
            json!({ "type": "object", "additionalProperties": { "type": "string", "enum": fin::CATEGORIES }, "description": "Band label to slotting category." })
        }
        ("finance", "mitigant") => obj("A guarantee or political-risk insurance."),
        ("pd", "method") => words(fin::PD_METHODS, "Band table or logistic curve."),
        ("pd", "annual") => {
            json!({ "type": "object", "additionalProperties": { "type": "number" }, "description": "Band label to annual PD." })
        }
        ("pd", "intercept") => n("Logistic intercept."),
        ("pd", "slope") => n("Logistic slope per score point."),
        ("pd", "source") => s("Where the mapping comes from."),
        ("mitigant", "kind") => words(
            fin::MITIGANT_KINDS,
            "Guarantee or political-risk insurance.",
        ),
        ("mitigant", "provider") => s("Who provides it."),
        ("mitigant", "cover") => n("Share of the exposure covered."),
        ("mitigant", "provider_pd") => n("Provider's annual PD."),
        ("mitigant", "provider_lgd") => n("Provider's LGD (default 0.45)."),
        ("mitigant", "peril_share") => {
            n("Share of default risk the covered perils account for (insurance only).")
        }
        // Project file.
        ("project-file", "project") => obj("The project's header."),
        ("project-file", "values") => obj("Input values by model input id."),
        ("project", "id") => s("Stable id."),
        ("project", "name") => s("Human name."),
        ("project", "country") => s("ISO 3166 alpha-3 code, e.g. \"MLI\"."),
        ("project", "region") => s("Region inside the country."),
        ("project", "sponsors") => arr(json!({ "type": "string" }), "Who is behind the project."),
        ("project", "description") => s("What the project is."),
        ("project", "as_of") => date("Date the assessment speaks for."),
        ("project", "site") => obj("Where the project is."),
        ("project", "exposure") => obj("The amount at risk."),
        ("project", "data") => obj("Event and position files."),
        ("project", "defaulted") => b("The obligor is in default (a fact, never a band)."),
        ("project", "override") => obj("An analyst's band override."),
        ("site", "kind") => words(&["point", "polyline"], "A point or a line."),
        ("site", "lat") => n("Latitude, WGS84 degrees (point)."),
        ("site", "lon") => n("Longitude, WGS84 degrees (point)."),
        ("site", "points") => pairs("[lat, lon] vertices (polyline)."),
        ("exposure", "amount") => amount("Nominal amount, exact."),
        ("exposure", "low") => amount("Lowest amount, exact."),
        ("exposure", "high") => amount("Highest amount, exact."),
        ("exposure", "currency") => s("ISO 4217 code, e.g. \"USD\"."),
        ("exposure", "source") => s("Where the figure comes from."),
        ("exposure", "status") => words(p::STATUSES, "How far it can be trusted."),
        ("exposure", "maturity_years") => n("Remaining maturity, years."),
        ("project-data", "events") => s("Event file (ACLED format), relative to the project file."),
        ("project-data", "positions") => s("Army-position file, relative to the project file."),
        ("project-data", "status") => words(
            p::STATUSES,
            "Status of the values derived from these files.",
        ),
        ("project-data", "known_at_as_of") => {
            b("Back-testing: drop events uploaded after the as-of date.")
        }
        ("override", "band") => s("The band the analyst sets."),
        ("override", "reason") => s("Why."),
        ("override", "author") => s("Who."),
        ("override", "date") => date("When."),
        ("value", "value") => {
            json!({ "anyOf": [ { "type": "number" }, { "type": "string" } ], "description": "The value, or a category." })
        }
        ("value", "low") => n("Lower end of the range."),
        ("value", "high") => n("Upper end of the range."),
        ("value", "source") => s("Citation."),
        ("value", "as_of") => s("Date or period the figure refers to, e.g. \"2023\"."),
        ("value", "status") => words(p::STATUSES, "How far it can be trusted."),
        ("value", "note") => s("Free note."),
        ("value", "distribution") => {
            words(p::DISTRIBUTIONS, "The distribution simulate draws it from.")
        }
        ("value", "mode") => n("Mode (triangular, PERT)."),
        ("value", "mean") => n("Mean (normal)."),
        ("value", "sd") => n("Standard deviation (normal)."),
        ("value", "mu") => n("Mean of the log (lognormal)."),
        ("value", "sigma") => n("Standard deviation of the log (lognormal)."),
        ("value", "median") => n("Median (lognormal)."),
        ("value", "alpha") => n("Shape alpha (beta)."),
        ("value", "beta") => n("Shape beta (beta)."),
        _ => return None,
    })
}
