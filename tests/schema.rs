//! JSON Schemas for editors: the committed docs/schema/*.json are exactly what the readers'
//! key lists generate, `vigie schema` prints them, every shipped file uses only keys they
//! know, and `vigie init` writes them beside the templates that name them.

use serde_json::Value;

fn committed(name: &str) -> String {
    std::fs::read_to_string(format!("{}/docs/schema/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// Fails when a reader learns a key and the committed schema is not regenerated
/// (`vigie schema model > docs/schema/model.schema.json`).
#[test]
fn committed_schemas_match_the_generated_ones() {
    let model = vigie::schema::to_text(&vigie::schema::model_schema().unwrap());
    assert_eq!(
        committed("model.schema.json"),
        model,
        "regenerate: cargo run -- schema model > docs/schema/model.schema.json"
    );
    let project = vigie::schema::to_text(&vigie::schema::project_schema().unwrap());
    assert_eq!(
        committed("project.schema.json"),
        project,
        "regenerate: cargo run -- schema project > docs/schema/project.schema.json"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(["schema", "project"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), project);
}

/// Walks a TOML value against a schema, collecting keys the schema does not allow.
fn unknown_keys(v: &toml::Value, schema: &Value, path: &str, out: &mut Vec<String>) {
    match v {
        toml::Value::Table(t) => {
            for (k, child) in t {
                let sub = schema
                    .get("properties")
                    .and_then(|p| p.get(k))
                    .or_else(|| schema.get("additionalProperties").filter(|a| a.is_object()));
                match sub {
                    Some(s) => unknown_keys(child, s, &format!("{path}.{k}"), out),
                    None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                        out.push(format!("{path}.{k}"))
                    }
                    None => {}
                }
            }
        }
        toml::Value::Array(items) => {
            if let Some(s) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    unknown_keys(item, s, &format!("{path}[{i}]"), out);
                }
            }
        }
        _ => {}
    }
}

/// The `anyOf` branch that is a table schema, for values that may be tables.
fn table_branch(schema: &Value) -> &Value {
    schema
        .get("anyOf")
        .and_then(|a| a.as_array())
        .and_then(|a| a.iter().find(|s| s.get("properties").is_some()))
        .unwrap_or(schema)
}

#[test]
fn shipped_files_use_only_keys_the_schemas_know() {
    let root = env!("CARGO_MANIFEST_DIR");
    let model_schema = vigie::schema::model_schema().unwrap();
    let project_schema = vigie::schema::project_schema().unwrap();
    let files = [
        ("models/sahel-infrastructure.toml", &model_schema),
        ("models/hdi.toml", &model_schema),
        ("models/inform-sahel.toml", &model_schema),
        ("models/template/model.toml", &model_schema),
        ("models/examples/covec-kayes.toml", &project_schema),
        ("models/template/project.toml", &project_schema),
    ];
    for (file, schema) in files {
        let text = std::fs::read_to_string(format!("{root}/{file}")).unwrap();
        let mut value: toml::Value = toml::from_str(&text).unwrap();
        let mut unknown = Vec::new();
        // Project values may be tables: check those against the value-table branch.
        if let Some(toml::Value::Table(values)) =
            value.as_table_mut().and_then(|t| t.remove("values"))
        {
            let branch =
                table_branch(&project_schema["properties"]["values"]["additionalProperties"]);
            for (k, v) in &values {
                unknown_keys(v, branch, &format!("values.{k}"), &mut unknown);
            }
        }
        unknown_keys(&value, schema, "", &mut unknown);
        assert!(unknown.is_empty(), "{file}: {unknown:?}");
    }
    // And a typo is caught.
    let bad: toml::Value = toml::from_str("[groups.g]\nweigths = [1]\n").unwrap();
    let mut unknown = Vec::new();
    unknown_keys(&bad, &model_schema, "", &mut unknown);
    assert_eq!(unknown, [".groups.g.weigths"]);
}

#[test]
fn init_writes_the_schemas_its_templates_name() {
    let dir = std::env::temp_dir().join(format!("vigie-schema-init-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(["init", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let model = std::fs::read_to_string(dir.join("model.toml")).unwrap();
    assert!(model.starts_with("#:schema ./model.schema.json\n"));
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("model.schema.json")).unwrap())
            .unwrap();
    assert_eq!(schema["title"], "Vigie model file");
    assert!(dir.join("project.schema.json").exists());
    std::fs::remove_dir_all(&dir).ok();
}
