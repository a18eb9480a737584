//! The AWS partitions document (`partitions.json`) and the `aws.partition` lookup.

use regex_lite::Regex;
use serde_json::{Map, Value};

use super::EndpointError;

/// The partitions a region can belong to (`aws`, `aws-cn`, `aws-us-gov`, ...).
#[derive(Debug, Clone)]
pub struct Partitions {
    partitions: Vec<Partition>,
}

#[derive(Debug, Clone)]
struct Partition {
    id: String,
    region_regex: Regex,
    /// Region name -> its overrides of the partition's outputs.
    regions: Map<String, Value>,
    outputs: Map<String, Value>,
}

impl Partitions {
    /// Parses a `partitions.json` document.
    pub fn from_json(text: &str) -> Result<Self, EndpointError> {
        let value: Value = serde_json::from_slice(text.as_bytes())
            .map_err(|e| invalid(format!("not JSON: {e}")))?;
        Self::from_value(&value)
    }

    /// Reads an already parsed `partitions.json` document.
    pub fn from_value(value: &Value) -> Result<Self, EndpointError> {
        let list = value
            .get("partitions")
            .and_then(Value::as_array)
            .ok_or_else(|| invalid("missing the `partitions` array".to_owned()))?;
        let partitions = list
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let field = |name: &str| {
                    p.get(name)
                        .ok_or_else(|| invalid(format!("partitions[{i}] has no `{name}`")))
                };
                let id = field("id")?
                    .as_str()
                    .ok_or_else(|| invalid(format!("partitions[{i}].id is not a string")))?;
                let regex = field("regionRegex")?.as_str().ok_or_else(|| {
                    invalid(format!("partitions[{i}].regionRegex is not a string"))
                })?;
                let region_regex = Regex::new(regex)
                    .map_err(|e| invalid(format!("partitions[{i}].regionRegex is invalid: {e}")))?;
                let object = |name: &str| {
                    field(name)?
                        .as_object()
                        .cloned()
                        .ok_or_else(|| invalid(format!("partitions[{i}].{name} is not an object")))
                };
                Ok(Partition {
                    id: id.to_owned(),
                    region_regex,
                    regions: object("regions")?,
                    outputs: object("outputs")?,
                })
            })
            .collect::<Result<Vec<_>, EndpointError>>()?;
        Ok(Partitions { partitions })
    }

    /// The partition of `region`: the one listing it, else the first whose
    /// `regionRegex` matches, else `aws`. The result has the partition's
    /// outputs (`name`, `dnsSuffix`, `dualStackDnsSuffix`, `supportsFIPS`,
    /// `supportsDualStack`, `implicitGlobalRegion`), with any overrides the
    /// region's own entry makes.
    pub fn resolve(&self, region: &str) -> Option<Value> {
        let listed = self
            .partitions
            .iter()
            .find(|p| p.regions.contains_key(region));
        let partition = listed
            .or_else(|| {
                self.partitions
                    .iter()
                    .find(|p| p.region_regex.is_match(region))
            })
            .or_else(|| self.partitions.iter().find(|p| p.id == "aws"))?;
        let mut outputs = partition.outputs.clone();
        if let Some(overrides) = partition.regions.get(region).and_then(Value::as_object) {
            for (key, value) in overrides {
                if key != "description" {
                    outputs.insert(key.clone(), value.clone());
                }
            }
        }
        outputs
            .entry("name")
            .or_insert_with(|| Value::String(partition.id.clone()));
        Some(Value::Object(outputs))
    }
}

fn invalid(message: String) -> EndpointError {
    EndpointError::InvalidPartitions(message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample() -> Partitions {
        Partitions::from_value(&json!({"partitions": [
            {"id": "aws", "regionRegex": "^(us|eu)\\-\\w+\\-\\d+$",
             "regions": {"aws-global": {"description": "global"}, "us-east-1": {"supportsFIPS": false}},
             "outputs": {"name": "aws", "dnsSuffix": "amazonaws.com", "supportsFIPS": true}},
            {"id": "aws-cn", "regionRegex": "^cn\\-\\w+\\-\\d+$", "regions": {},
             "outputs": {"name": "aws-cn", "dnsSuffix": "amazonaws.com.cn", "supportsFIPS": true}}
        ]}))
        .unwrap()
    }

    #[test]
    fn listed_region_then_regex_then_aws() {
        let p = sample();
        assert_eq!(p.resolve("cn-north-9").unwrap()["name"], "aws-cn");
        assert_eq!(
            p.resolve("eu-west-1").unwrap()["dnsSuffix"],
            "amazonaws.com"
        );
        assert_eq!(p.resolve("aws-global").unwrap()["name"], "aws");
        assert_eq!(p.resolve("mars-east-1").unwrap()["name"], "aws");
        assert_eq!(p.resolve("us-east-1").unwrap()["supportsFIPS"], false);
        assert!(p.resolve("us-east-1").unwrap().get("description").is_none());
    }

    #[test]
    fn rejects_malformed_documents() {
        let err = Partitions::from_value(&json!({"partitions": [{"id": "x"}]})).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid partitions document: partitions[0] has no `regionRegex`"
        );
        assert!(Partitions::from_json("[").is_err());
    }
}
