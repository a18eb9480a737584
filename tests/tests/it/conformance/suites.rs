//! Reading botocore's protocol test suites (`input.json`, `output.json`) and
//! turning each suite into a service model the generator reads like any other.
//!
//! A suite carries `metadata`, `shapes` and `cases`; each case names its
//! operation in `given`. The model of a suite is botocore's `service-2.json`
//! layout: the suite's metadata completed with the fields every real model has
//! (a service id, an endpoint prefix), its shapes, and the operations of its
//! cases. Nothing here depends on which suite it reads.

use std::path::Path;

use serde_json::{json, Map, Value};

/// Which file a suite comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `input.json`: params in, the exact request expected.
    Input,
    /// `output.json`: a response in, the parsed result or error expected.
    Output,
}

/// One suite.
pub struct Suite {
    /// `input07`, `output12`: the file and the suite's index in it.
    pub name: String,
    /// Which file it comes from.
    pub kind: Kind,
    /// The model assembled for the generator (botocore format).
    pub model: Value,
    /// The suite's `clientEndpoint`, if it sets one.
    pub endpoint: Option<String>,
    /// The cases, as in the file.
    pub cases: Vec<Value>,
}

/// Every suite of `input.json` and `output.json` in `dir`.
pub fn load(dir: &Path) -> Result<Vec<Suite>, String> {
    let mut suites = Vec::new();
    for (file, kind) in [("input.json", Kind::Input), ("output.json", Kind::Output)] {
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
        let doc: Value = serde_json::from_str(&text)
            .map_err(|e| format!("{}: not JSON: {e}", path.display()))?;
        let list = doc
            .as_array()
            .ok_or_else(|| format!("{}: expected an array of suites", path.display()))?;
        for (i, s) in list.iter().enumerate() {
            let name = format!("{}{i:02}", file.trim_end_matches(".json"));
            let suite = assemble(&name, kind, s)
                .map_err(|e| format!("{}: suite {i}: {e}", path.display()))?;
            suites.push(suite);
        }
    }
    Ok(suites)
}

fn assemble(name: &str, kind: Kind, s: &Value) -> Result<Suite, String> {
    let description = s["description"].as_str().unwrap_or(name).to_string();
    let mut metadata = s["metadata"]
        .as_object()
        .cloned()
        .ok_or("`metadata` is not an object")?;
    let defaults = [
        ("serviceId", format!("Conformance {name}")),
        ("serviceFullName", description.clone()),
        ("endpointPrefix", "conformance".to_string()),
        ("signatureVersion", "v4".to_string()),
    ];
    for (key, value) in defaults {
        metadata.entry(key).or_insert(Value::String(value));
    }
    let cases = s["cases"]
        .as_array()
        .cloned()
        .ok_or("`cases` is not an array")?;
    let mut operations = Map::new();
    for case in &cases {
        let given = &case["given"];
        let op = given["name"]
            .as_str()
            .ok_or_else(|| format!("case `{}` has no `given.name`", case["id"]))?;
        match operations.get(op) {
            Some(earlier) if earlier != given => {
                return Err(format!(
                    "operation `{op}` is defined differently by two cases (case `{}`)",
                    case["id"]
                ))
            }
            _ => {
                operations.insert(op.to_string(), given.clone());
            }
        }
    }
    let model = json!({
        "version": "2.0",
        "metadata": metadata,
        "documentation": description,
        "operations": operations,
        "shapes": s["shapes"],
    });
    Ok(Suite {
        name: name.to_string(),
        kind,
        model,
        endpoint: s["clientEndpoint"].as_str().map(str::to_string),
        cases,
    })
}
