//! The AWS partitions document (`partitions.json`) and the `aws.partition` lookup.
//!
//! A partition's `regionRegex` is not compiled here: the generator compiled
//! each one into a DFA written out as code, and the generated crate hands
//! them over as a [`RegionMatcher`], so that no regex engine is built into
//! the client.

use serde_json::{Map, Value};

use super::EndpointError;

/// Whether `region` matches the partition regex `regex` (a `regionRegex` of
/// `partitions.json`, as written there): `None` for a regex the function
/// does not know. A generated crate's matcher knows every regex of the
/// partitions document it embeds.
pub type RegionMatcher = fn(regex: &str, region: &str) -> Option<bool>;

/// The partitions a region can belong to (`aws`, `aws-cn`, `aws-us-gov`, ...).
#[derive(Debug, Clone)]
pub struct Partitions {
    partitions: Vec<Partition>,
    matcher: RegionMatcher,
}

#[derive(Debug, Clone)]
struct Partition {
    id: String,
    region_regex: String,
    /// Region name -> its overrides of the partition's outputs.
    regions: Map<String, Value>,
    outputs: Map<String, Value>,
}

impl Partitions {
    /// Parses a `partitions.json` document whose region regexes `matcher`
    /// matches.
    pub fn from_json(text: &str, matcher: RegionMatcher) -> Result<Self, EndpointError> {
        let value: Value = serde_json::from_slice(text.as_bytes())
            .map_err(|e| invalid(format!("not JSON: {e}")))?;
        Self::from_value(&value, matcher)
    }

    /// Reads an already parsed `partitions.json` document whose region
    /// regexes `matcher` matches: a regex it does not know is an error.
    pub fn from_value(value: &Value, matcher: RegionMatcher) -> Result<Self, EndpointError> {
        let list = value
            .get("partitions")
            .and_then(Value::as_array)
            .ok_or_else(|| invalid("missing the `partitions` array".to_owned()))?;
        let partitions =
            list.iter()
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
                    if matcher(regex, "").is_none() {
                        return Err(invalid(format!(
                            "partitions[{i}].regionRegex `{}` has no compiled matcher",
                            crate::shown::shown(regex)
                        )));
                    }
                    let object = |name: &str| {
                        field(name)?.as_object().cloned().ok_or_else(|| {
                            invalid(format!("partitions[{i}].{name} is not an object"))
                        })
                    };
                    Ok(Partition {
                        id: id.to_owned(),
                        region_regex: regex.to_owned(),
                        regions: object("regions")?,
                        outputs: object("outputs")?,
                    })
                })
                .collect::<Result<Vec<_>, EndpointError>>()?;
        Ok(Partitions {
            partitions,
            matcher,
        })
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
                    .find(|p| (self.matcher)(&p.region_regex, region) == Some(true))
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

    /// The regex engine the official SDK matches partitions with, in place of
    /// the generated DFAs.
    fn regex_lite(regex: &str, region: &str) -> Option<bool> {
        Some(regex_lite::Regex::new(regex).ok()?.is_match(region))
    }

    fn sample() -> Partitions {
        Partitions::from_value(&json!({"partitions": [
            {"id": "aws", "regionRegex": "^(us|eu)\\-\\w+\\-\\d+$",
             "regions": {"aws-global": {"description": "global"}, "us-east-1": {"supportsFIPS": false}},
             "outputs": {"name": "aws", "dnsSuffix": "amazonaws.com", "supportsFIPS": true}},
            {"id": "aws-cn", "regionRegex": "^cn\\-\\w+\\-\\d+$", "regions": {},
             "outputs": {"name": "aws-cn", "dnsSuffix": "amazonaws.com.cn", "supportsFIPS": true}}
        ]}), regex_lite)
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
        let err =
            Partitions::from_value(&json!({"partitions": [{"id": "x"}]}), regex_lite).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid partitions document: partitions[0] has no `regionRegex`"
        );
        assert!(Partitions::from_json("[", regex_lite).is_err());
    }

    #[test]
    fn a_regex_the_matcher_does_not_know_is_an_error() {
        fn only_us(regex: &str, region: &str) -> Option<bool> {
            (regex == "^us$").then_some(region == "us")
        }
        let doc = json!({"partitions": [
            {"id": "a", "regionRegex": "^us$", "regions": {}, "outputs": {}},
            {"id": "b", "regionRegex": "^eu$", "regions": {}, "outputs": {}}]});
        let err = Partitions::from_value(&doc, only_us).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid partitions document: partitions[1].regionRegex `^eu$` has no compiled matcher"
        );
    }
}
