//! What changed between two models, setting by setting: a walk over the two canonical
//! forms ([`crate::canonical::canonical_value`]). Comparing canonical forms rather than
//! files is what makes comments, spacing, key order and number spellings invisible, and
//! it makes "no changes" mean exactly "same canonical hash".

use serde::Serialize;
use serde_json::{Map, Value};

/// How a setting changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// Only the new model has it.
    Added,
    /// Only the old model has it.
    Removed,
    /// Both have it, with different values.
    Changed,
}

/// One change, located by its path in the model's own keys.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The part of the model: `model`, `data`, `inputs`, `indicators`, `groups`, `bands`,
    /// `rules`, `uncertainty` or `finance`.
    pub section: String,
    /// Where, as a TOML-style key path: `indicators.gdp_per_capita_usd.normalise.min`,
    /// `bands.High.from` (bands by label, rules by id), `rules` for their order.
    pub path: String,
    /// Added, removed or changed.
    pub kind: ChangeKind,
    /// The old value in canonical form (raw units, defaults filled in); null when added.
    pub old: Value,
    /// The new value; null when removed.
    pub new: Value,
}

/// Sections in the order they are reported.
const SECTIONS: &[&str] = &[
    "model",
    "data",
    "inputs",
    "indicators",
    "groups",
    "bands",
    "rules",
    "uncertainty",
    "finance",
];

/// Keys whose string value says which shape the rest of an object has: two objects with
/// different tags are compared whole, not key by key.
const TAGS: &[&str] = &["method", "kind", "policy", "weights"];

/// Every change from `old` to `new`, two canonical forms, section by section.
pub fn compare(old: &Value, new: &Value) -> Vec<Change> {
    let mut out = Vec::new();
    for &section in SECTIONS {
        let (a, b) = (&old[section], &new[section]);
        let mut cx = Walk {
            section,
            out: &mut out,
        };
        match section {
            "inputs" | "indicators" | "groups" => {
                cx.keyed(&[section.to_string()], as_keyed(a), as_keyed(b))
            }
            "bands" => cx.keyed(
                &[section.to_string()],
                by_key(a, "label"),
                by_key(b, "label"),
            ),
            "rules" => {
                let (ka, kb) = (by_key(a, "id"), by_key(b, "id"));
                cx.keyed(&[section.to_string()], ka.clone(), kb.clone());
                cx.order(section, &ka, &kb);
            }
            _ => cx.walk(&[section.to_string()], a, b),
        }
    }
    out
}

struct Walk<'a> {
    section: &'a str,
    out: &'a mut Vec<Change>,
}

impl Walk<'_> {
    fn push(&mut self, path: &[String], kind: ChangeKind, old: &Value, new: &Value) {
        self.out.push(Change {
            section: self.section.to_string(),
            path: key_path(path),
            kind,
            old: old.clone(),
            new: new.clone(),
        });
    }

    /// Entries keyed by id (or label): added, removed, or compared field by field.
    fn keyed(&mut self, path: &[String], a: Vec<(String, Value)>, b: Vec<(String, Value)>) {
        for (k, va) in &a {
            let here = [path, std::slice::from_ref(k)].concat();
            match b.iter().find(|(kb, _)| kb == k) {
                Some((_, vb)) => self.walk(&here, va, vb),
                None => self.push(&here, ChangeKind::Removed, va, &Value::Null),
            }
        }
        for (k, vb) in &b {
            if !a.iter().any(|(ka, _)| ka == k) {
                let here = [path, std::slice::from_ref(k)].concat();
                self.push(&here, ChangeKind::Added, &Value::Null, vb);
            }
        }
    }

    /// The order of the entries both sides have, when it matters (rules are listed and
    /// reported in file order).
    fn order(&mut self, section: &str, a: &[(String, Value)], b: &[(String, Value)]) {
        let common_a: Vec<&String> = a
            .iter()
            .map(|(k, _)| k)
            .filter(|k| b.iter().any(|(kb, _)| kb == *k))
            .collect();
        let common_b: Vec<&String> = b
            .iter()
            .map(|(k, _)| k)
            .filter(|k| a.iter().any(|(ka, _)| ka == *k))
            .collect();
        if common_a != common_b {
            self.push(
                &[section.to_string()],
                ChangeKind::Changed,
                &Value::from(common_a.iter().map(|s| s.as_str()).collect::<Vec<_>>()),
                &Value::from(common_b.iter().map(|s| s.as_str()).collect::<Vec<_>>()),
            );
        }
    }

    /// Two values at one path: equal, or objects of one shape compared key by key, or a
    /// change of the whole value.
    fn walk(&mut self, path: &[String], a: &Value, b: &Value) {
        if a == b {
            return;
        }
        match (a, b) {
            (Value::Object(ma), Value::Object(mb)) if tag(ma) == tag(mb) => {
                let mut keys: Vec<&String> = ma.keys().chain(mb.keys()).collect();
                keys.sort();
                keys.dedup();
                for k in keys {
                    let here = [path, std::slice::from_ref(k)].concat();
                    match (ma.get(k), mb.get(k)) {
                        (Some(va), Some(vb)) => self.walk(&here, va, vb),
                        (Some(va), None) => self.push(&here, ChangeKind::Removed, va, &Value::Null),
                        (None, Some(vb)) => self.push(&here, ChangeKind::Added, &Value::Null, vb),
                        (None, None) => {}
                    }
                }
            }
            (Value::Null, _) => self.push(path, ChangeKind::Added, a, b),
            (_, Value::Null) => self.push(path, ChangeKind::Removed, a, b),
            _ => self.push(path, ChangeKind::Changed, a, b),
        }
    }
}

/// The shape tag of an object, if it has one.
fn tag(m: &Map<String, Value>) -> Option<(&str, &str)> {
    TAGS.iter()
        .find_map(|&t| m.get(t).and_then(Value::as_str).map(|v| (t, v)))
}

fn as_keyed(v: &Value) -> Vec<(String, Value)> {
    v.as_object()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}

/// An array of objects keyed by one of their fields, in array order.
fn by_key(v: &Value, key: &str) -> Vec<(String, Value)> {
    v.as_array()
        .map(|items| {
            items
                .iter()
                .map(|item| {
                    let k = item[key].as_str().unwrap_or_default().to_string();
                    (k, item.clone())
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Segments joined with dots, each quoted as TOML quotes a key that is not bare.
fn key_path(path: &[String]) -> String {
    path.iter()
        .map(|s| {
            let bare = !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            if bare {
                s.clone()
            } else {
                Value::from(s.as_str()).to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn objects_of_one_shape_are_compared_key_by_key() {
        let a = json!({ "model": { "version": "1.0.0" }, "indicators": {
            "x": { "normalise": { "method": "goalposts", "min": 0, "max": 10 } } } });
        let b = json!({ "model": { "version": "1.1.0" }, "indicators": {
            "x": { "normalise": { "method": "goalposts", "min": 0, "max": 20 } },
            "y": { "label": "Y" } } });
        let changes = compare(&a, &b);
        let paths: Vec<&str> = changes.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "model.version",
                "indicators.x.normalise.max",
                "indicators.y"
            ]
        );
        assert_eq!(changes[2].kind, ChangeKind::Added);
    }

    #[test]
    fn a_change_of_method_is_one_change() {
        let a = json!({ "indicators": { "x": { "normalise": { "method": "identity" } } } });
        let b = json!({ "indicators": { "x": { "normalise": { "method": "zscore", "mean": 0, "sd": 1 } } } });
        let changes = compare(&a, &b);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].path, "indicators.x.normalise");
    }

    #[test]
    fn bands_by_label_and_rule_order() {
        let a = json!({ "bands": [{ "label": "Low", "from": 0 }, { "label": "Very high", "from": 50 }],
            "rules": [{ "id": "a" }, { "id": "b" }] });
        let b = json!({ "bands": [{ "label": "Low", "from": 0 }, { "label": "Very high", "from": 60 }],
            "rules": [{ "id": "b" }, { "id": "a" }] });
        let changes = compare(&a, &b);
        assert_eq!(changes[0].path, "bands.\"Very high\".from");
        assert_eq!(changes[1].path, "rules");
    }
}
