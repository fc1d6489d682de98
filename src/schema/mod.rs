//! JSON Schemas of model and project files, for editors with TOML schema support (Taplo,
//! Even Better TOML). Generated from the key lists the readers themselves use to accept or
//! reject keys, and from their lists of allowed words, so a key the reader learns is a key
//! the schema has: generation fails on a key with no description here, and a test compares
//! the committed `docs/schema/*.json` with what this module generates.

mod keys;

use serde_json::{Map, Value, json};

use crate::finance::read as fin;
use crate::model::{read as m, read_derive as d, read_uncertainty as u};
use crate::project::read as p;
use keys::describe;

/// Version of the JSON Schema dialect used (draft-07: what Taplo understands).
pub const DIALECT: &str = "http://json-schema.org/draft-07/schema#";

/// An object schema for one TOML table: every key of the reader's list, described.
fn table(kind: &str, keys: &[&str], required: &[&str], doc: &str) -> Result<Value, String> {
    let mut props = Map::new();
    for key in keys {
        let schema = describe(kind, key).ok_or_else(|| {
            format!("key `{key}` of `{kind}` has no description in src/schema/keys.rs")
        })?;
        props.insert((*key).to_string(), schema);
    }
    Ok(json!({
        "type": "object",
        "description": doc,
        "additionalProperties": false,
        "required": required,
        "properties": props,
    }))
}

/// A table whose keys are ids, each holding `entry`.
fn by_id(entry: Value, doc: &str) -> Value {
    json!({
        "type": "object",
        "description": doc,
        "propertyNames": { "pattern": "^[A-Za-z_][A-Za-z0-9_]*$" },
        "additionalProperties": entry,
    })
}

/// Sets a property of an object schema.
fn set(schema: &mut Value, key: &str, value: Value) {
    if let Some(p) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        p.insert(key.to_string(), value);
    }
}

/// The schema of model files.
pub fn model_schema() -> Result<Value, String> {
    let source = table(
        "source",
        m::SOURCE_KEYS,
        &["citation"],
        "Where figures come from.",
    )?;
    let normalise = table(
        "normalise",
        m::NORMALISE_KEYS,
        &["method"],
        "How the transformed value becomes a score (docs/model-format.md#normalise-sub-table).",
    )?;
    let mut derive = table(
        "derive",
        d::DERIVE_KEYS,
        &["kind"],
        "Computes the raw value from event and position files.",
    )?;
    let matches = table(
        "match",
        d::MATCH_KEYS,
        &[],
        "One filter on events; an event counts if it passes any filter.",
    )?;
    set(
        &mut derive,
        "match",
        json!({ "type": "array", "items": matches }),
    );
    let mut indicator = table(
        "indicator",
        m::INDICATOR_KEYS,
        &["label", "direction", "normalise"],
        "A leaf of the tree: one raw input turned into a score.",
    )?;
    set(&mut indicator, "source", source.clone());
    set(&mut indicator, "normalise", normalise.clone());
    set(&mut indicator, "derive", derive);
    set(
        &mut indicator,
        "normalise_alternatives",
        json!({ "type": "array", "items": normalise, "description": "Other normalisations simulate and sensitivity may draw." }),
    );
    let mut input = table(
        "input",
        m::INPUT_KEYS,
        &[],
        "An input no indicator scores directly.",
    )?;
    set(&mut input, "source", source);
    let group = table(
        "group",
        m::GROUP_KEYS,
        &["children", "aggregation"],
        "A group combines its children into one score.",
    )?;
    let band = table(
        "band",
        m::BAND_KEYS,
        &["label", "from"],
        "A band of the final score.",
    )?;
    let rule = table(
        "rule",
        m::RULE_KEYS,
        &["id", "when", "effect", "reason"],
        "A rule applied after aggregation.",
    )?;
    let mut finance = table(
        "finance",
        fin::FINANCE_KEYS,
        &["pd", "horizon_years", "slotting"],
        "Money: PD, LGD, mitigant, slotting (docs/model-format.md#finance).",
    )?;
    set(
        &mut finance,
        "pd",
        table(
            "pd",
            fin::PD_KEYS,
            &["method", "source"],
            "Score to annual probability of default.",
        )?,
    );
    set(
        &mut finance,
        "mitigant",
        table(
            "mitigant",
            fin::MITIGANT_KEYS,
            &["kind", "provider", "cover", "provider_pd"],
            "A guarantee or political-risk insurance (substitution).",
        )?,
    );
    let mut top = table(
        "model-file",
        m::TOP_KEYS,
        &["model", "groups", "bands"],
        "A Vigie model file (docs/model-format.md).",
    )?;
    set(
        &mut top,
        "model",
        table(
            "model",
            m::MODEL_KEYS,
            &["id", "name", "version", "effective", "scale"],
            "The model's header and governance.",
        )?,
    );
    set(
        &mut top,
        "data",
        table(
            "data",
            m::DATA_KEYS,
            &[],
            "What the model says about data files.",
        )?,
    );
    set(&mut top, "inputs", by_id(input, "Extra inputs, by id."));
    set(
        &mut top,
        "indicators",
        by_id(indicator, "Indicators, by id."),
    );
    set(&mut top, "groups", by_id(group, "Groups, by id."));
    set(
        &mut top,
        "bands",
        json!({ "type": "array", "items": band, "description": "Bands, ascending." }),
    );
    set(
        &mut top,
        "rules",
        json!({ "type": "array", "items": rule, "description": "Rules, in order." }),
    );
    set(
        &mut top,
        "uncertainty",
        table(
            "uncertainty",
            u::UNCERTAINTY_KEYS,
            &["weights"],
            "How the model's own weights vary in simulation.",
        )?,
    );
    set(&mut top, "finance", finance);
    Ok(with_header(top, "Vigie model file"))
}

/// The schema of project files.
pub fn project_schema() -> Result<Value, String> {
    let mut project = table(
        "project",
        p::PROJECT_KEYS,
        &["id", "name", "country", "as_of"],
        "The project's header.",
    )?;
    set(
        &mut project,
        "site",
        table(
            "site",
            p::SITE_KEYS,
            &["kind"],
            "Where the project is: a point or a polyline.",
        )?,
    );
    set(
        &mut project,
        "exposure",
        table(
            "exposure",
            p::EXPOSURE_KEYS,
            &["currency"],
            "The amount at risk.",
        )?,
    );
    set(
        &mut project,
        "data",
        table(
            "project-data",
            p::DATA_KEYS,
            &[],
            "Event and position files for derived indicators.",
        )?,
    );
    set(
        &mut project,
        "override",
        table(
            "override",
            p::OVERRIDE_KEYS,
            &["band", "reason", "author"],
            "An analyst's band override.",
        )?,
    );
    let value = table(
        "value",
        p::VALUE_KEYS,
        &[],
        "A value with its provenance, a range, or a distribution.",
    )?;
    let mut top = table(
        "project-file",
        p::TOP_KEYS,
        &["project"],
        "A Vigie project file (docs/model-format.md#the-project-file).",
    )?;
    set(&mut top, "project", project);
    set(
        &mut top,
        "values",
        by_id(
            json!({ "anyOf": [ { "type": "number" }, { "type": "string" }, value ] }),
            "Input values by model input id: a number, a category, or a table.",
        ),
    );
    Ok(with_header(top, "Vigie project file"))
}

fn with_header(mut schema: Value, title: &str) -> Value {
    if let Some(o) = schema.as_object_mut() {
        o.insert("$schema".into(), json!(DIALECT));
        o.insert("title".into(), json!(title));
    }
    schema
}

/// A schema as the committed file holds it: pretty JSON and a final newline.
pub fn to_text(schema: &Value) -> String {
    serde_json::to_string_pretty(schema).unwrap_or_default() + "\n"
}
