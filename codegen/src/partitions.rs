//! The partitions document (botocore's `partitions.json`) a generated crate
//! embeds for its endpoint rules: read and checked once, when the run's
//! options are made, with each partition's `regionRegex` compiled into a
//! DFA. The crate matches regions with those DFAs written out as code
//! (`emit::partitions`), so the client carries no regex engine.
//!
//! A region regex means what the official SDK's engine (regex-lite) makes of
//! it: found anywhere in the region name ([`Semantics::Search`]; AWS anchors
//! its regexes), `\w` and `\d` ASCII, as in ECMA-262, whose syntax
//! [`patterns`] reads.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::{quoted, Error, Result};
use crate::patterns::{self, Dfa, Semantics};

/// A partitions document with its region regexes compiled.
#[derive(Debug, Clone)]
pub struct Partitions {
    /// The document, as read (the generated crate embeds it as it is).
    pub text: String,
    /// Each distinct `regionRegex`, by its text, with its DFA.
    pub region_regexes: BTreeMap<String, Dfa>,
}

impl Default for Partitions {
    /// No partitions: callers of the generated client must set an endpoint URL.
    fn default() -> Self {
        Partitions {
            text: "{\"partitions\": [], \"version\": \"1.1\"}\n".to_string(),
            region_regexes: BTreeMap::new(),
        }
    }
}

impl Partitions {
    /// Reads a `partitions.json` document and compiles its region regexes: a
    /// document that is not one, or a regex without a small DFA, is an error
    /// naming the partition.
    pub fn parse(text: String) -> Result<Self> {
        let doc: Value = serde_json::from_str(&text)
            .map_err(|e| Error::new(format!("the partitions document is not JSON: {e}")))?;
        let list = doc
            .get("partitions")
            .and_then(Value::as_array)
            .ok_or_else(|| Error::new("the partitions document has no `partitions` array"))?;
        let mut region_regexes = BTreeMap::new();
        for (i, partition) in list.iter().enumerate() {
            let regex = partition
                .get("regionRegex")
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    Error::new(format!("partitions[{i}] has no `regionRegex` string"))
                })?;
            let dfa = patterns::compile(regex, Semantics::Search).map_err(|e| {
                Error::new(format!(
                    "partitions[{i}].regionRegex {}cannot be compiled: {e}",
                    quoted(regex)
                ))
            })?;
            region_regexes.insert(regex.to_string(), dfa);
        }
        Ok(Partitions {
            text,
            region_regexes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vendored() -> Partitions {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../model/data/partitions.json");
        Partitions::parse(std::fs::read_to_string(path).unwrap()).unwrap()
    }

    #[test]
    fn every_vendored_region_regex_compiles() {
        let p = vendored();
        assert_eq!(p.region_regexes.len(), 8);
        assert!(p
            .region_regexes
            .contains_key(r"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$"));
        assert!(p.text.contains("\"regionRegex\""));
    }

    #[test]
    fn bad_documents_name_what_and_where() {
        let err = |text: &str| Partitions::parse(text.to_string()).unwrap_err().to_string();
        assert!(err("[").starts_with("the partitions document is not JSON"));
        assert_eq!(
            err("{}"),
            "the partitions document has no `partitions` array"
        );
        assert_eq!(
            err(r#"{"partitions": [{"regionRegex": "^a$"}, {"id": "b"}]}"#),
            "partitions[1] has no `regionRegex` string"
        );
        let lookahead = err(r#"{"partitions": [{"regionRegex": "^(?=a)b$"}]}"#);
        assert!(
            lookahead.starts_with("partitions[0].regionRegex `^(?=a)b$` cannot be compiled:"),
            "{lookahead}"
        );
    }
}
