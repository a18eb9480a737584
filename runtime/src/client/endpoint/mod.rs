//! Endpoint resolution: a service's Smithy endpoint rule set, evaluated at run
//! time against the AWS partitions.
//!
//! Generated code embeds the service's rule set and `partitions.json` as JSON
//! text in its [`ServiceMeta`](crate::client::ServiceMeta), with the
//! partitions' region regexes compiled into a [`RegionMatcher`]; nothing here
//! is specific to one service.
//!
//! ```
//! use awsrt::client::endpoint::{EndpointParams, EndpointResolver};
//!
//! // A stand-in: a generated crate's matcher runs each regex's DFA.
//! fn region_matcher(regex: &str, region: &str) -> Option<bool> {
//!     (regex == r"^us\-\w+\-\d+$").then(|| region.starts_with("us-"))
//! }
//!
//! let rules = r#"{"version": "1.0",
//!   "parameters": {"Region": {"type": "String", "builtIn": "AWS::Region", "required": false}},
//!   "rules": [
//!     {"conditions": [{"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}],
//!      "endpoint": {"url": "https://svc.{Region}.{P#dnsSuffix}"}, "type": "endpoint"},
//!     {"conditions": [], "error": "Invalid Configuration: Missing Region", "type": "error"}]}"#;
//! let partitions = r#"{"partitions": [{"id": "aws", "regionRegex": "^us\\-\\w+\\-\\d+$",
//!   "regions": {}, "outputs": {"name": "aws", "dnsSuffix": "amazonaws.com"}}]}"#;
//! let resolver = EndpointResolver::from_json(rules, partitions, region_matcher).unwrap();
//! let endpoint = resolver.resolve(&EndpointParams::new().with("Region", "us-west-2")).unwrap();
//! assert_eq!(endpoint.url(), "https://svc.us-west-2.amazonaws.com");
//! let err = resolver.resolve(&EndpointParams::new()).unwrap_err();
//! assert_eq!(err.rule_message(), Some("Invalid Configuration: Missing Region"));
//! ```

mod functions;
mod partitions;
mod rules;

use std::fmt;

use serde_json::{Map, Value};

pub(crate) use functions::is_valid_host_label;
pub use partitions::{Partitions, RegionMatcher};
use rules::{ParamKind, RuleSet};

/// Built-in parameter: the configured region.
pub const BUILTIN_REGION: &str = "AWS::Region";
/// Built-in parameter: whether to use FIPS endpoints.
pub const BUILTIN_USE_FIPS: &str = "AWS::UseFIPS";
/// Built-in parameter: whether to use dual-stack endpoints.
pub const BUILTIN_USE_DUAL_STACK: &str = "AWS::UseDualStack";
/// Built-in parameter: the endpoint URL override.
pub const BUILTIN_ENDPOINT: &str = "SDK::Endpoint";

/// A resolved endpoint: URL, extra headers, properties (e.g. `authSchemes`).
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    url: String,
    headers: Vec<(String, String)>,
    properties: Map<String, Value>,
}

impl Endpoint {
    /// The endpoint URL, e.g. `https://ivschat.us-west-2.amazonaws.com`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Headers the endpoint requires on every request.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The endpoint's properties.
    pub fn properties(&self) -> &Map<String, Value> {
        &self.properties
    }

    /// The signing name and region of the first SigV4 `authSchemes` entry, if
    /// the rule set overrides them.
    pub fn sigv4_overrides(&self) -> (Option<&str>, Option<&str>) {
        let scheme = self
            .properties
            .get("authSchemes")
            .and_then(Value::as_array)
            .and_then(|schemes| {
                schemes
                    .iter()
                    .find(|s| s.get("name").and_then(Value::as_str) == Some("sigv4"))
            });
        let field = |name: &str| scheme.and_then(|s| s.get(name)).and_then(Value::as_str);
        (field("signingName"), field("signingRegion"))
    }
}

/// Parameter values for one resolution, by parameter name (e.g. `Region`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EndpointParams {
    values: Map<String, Value>,
}

impl EndpointParams {
    /// No parameters set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets parameter `name` (a string, boolean or string list).
    pub fn with(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.set(name, value);
        self
    }

    /// Sets parameter `name`.
    pub fn set(&mut self, name: &str, value: impl Into<Value>) -> &mut Self {
        self.values.insert(name.to_owned(), value.into());
        self
    }

    /// The value of parameter `name`, if set.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.values.get(name)
    }
}

/// A parsed rule set with its partitions, ready to resolve endpoints.
#[derive(Debug, Clone)]
pub struct EndpointResolver {
    rules: RuleSet,
    partitions: Partitions,
}

impl EndpointResolver {
    /// Parses a rule set (`endpoint-rule-set-1.json` or the model's
    /// `smithy.rules#endpointRuleSet` trait) and a `partitions.json` whose
    /// region regexes `region_matcher` matches.
    pub fn from_json(
        rule_set: &str,
        partitions: &str,
        region_matcher: RegionMatcher,
    ) -> Result<Self, EndpointError> {
        // `from_slice`, as every JSON read in this crate: one reader of
        // serde_json's compiled, not two.
        let doc: Value = serde_json::from_slice(rule_set.as_bytes()).map_err(|e| {
            EndpointError::InvalidRuleSet {
                path: "$".to_owned(),
                message: format!("not JSON: {e}"),
            }
        })?;
        Ok(EndpointResolver {
            rules: RuleSet::from_value(&doc)?,
            partitions: Partitions::from_json(partitions, region_matcher)?,
        })
    }

    /// Builds a resolver from an already parsed rule set and partitions.
    pub fn from_values(
        rule_set: &Value,
        partitions: &Value,
        region_matcher: RegionMatcher,
    ) -> Result<Self, EndpointError> {
        Ok(EndpointResolver {
            rules: RuleSet::from_value(rule_set)?,
            partitions: Partitions::from_value(partitions, region_matcher)?,
        })
    }

    /// Parameters for the built-ins `AWS::Region`, `AWS::UseFIPS`,
    /// `AWS::UseDualStack` and `SDK::Endpoint`, under whatever names this rule
    /// set gives them.
    pub fn builtin_params(
        &self,
        region: Option<&str>,
        use_fips: bool,
        use_dual_stack: bool,
        endpoint_url: Option<&str>,
    ) -> EndpointParams {
        let mut params = EndpointParams::new();
        for def in &self.rules.params {
            let value = match def.builtin.as_deref() {
                Some(BUILTIN_REGION) => region.map(Value::from),
                Some(BUILTIN_USE_FIPS) => Some(Value::Bool(use_fips)),
                Some(BUILTIN_USE_DUAL_STACK) => Some(Value::Bool(use_dual_stack)),
                Some(BUILTIN_ENDPOINT) => endpoint_url.map(Value::from),
                _ => None,
            };
            if let Some(value) = value {
                params.set(&def.name, value);
            }
        }
        params
    }

    /// Resolves the endpoint for `params`: parameters left unset take their
    /// defaults; a missing required parameter or a value of the wrong type is
    /// an error, as is an error rule that applies.
    pub fn resolve(&self, params: &EndpointParams) -> Result<Endpoint, EndpointError> {
        let mut values = Map::new();
        for def in &self.rules.params {
            let value = params
                .get(&def.name)
                .filter(|v| !v.is_null())
                .or(def.default.as_ref());
            let Some(value) = value else {
                if def.required {
                    return Err(EndpointError::InvalidParam {
                        name: def.name.clone(),
                        message: "is required but not set".to_owned(),
                    });
                }
                continue;
            };
            let type_ok = match def.kind {
                ParamKind::String => value.is_string(),
                ParamKind::Boolean => value.is_boolean(),
                ParamKind::StringArray => value
                    .as_array()
                    .is_some_and(|a| a.iter().all(Value::is_string)),
            };
            if !type_ok {
                return Err(EndpointError::InvalidParam {
                    name: def.name.clone(),
                    message: format!("expected a {:?}, got {value}", def.kind),
                });
            }
            values.insert(def.name.clone(), value.clone());
        }
        self.rules.evaluate(&values, &self.partitions)
    }
}

/// Endpoint resolution failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointError {
    /// An error rule applied; the message is the rule's.
    Rule(String),
    /// No rule applied to the parameters.
    NoRuleMatched,
    /// A parameter is missing or has the wrong type.
    InvalidParam {
        /// The parameter's name.
        name: String,
        /// What is wrong with it.
        message: String,
    },
    /// The rule set is malformed.
    InvalidRuleSet {
        /// JSON path of the offending part, e.g. `$.rules[0].conditions[1]`.
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// The partitions document is malformed.
    InvalidPartitions(String),
    /// A rule produced a value of the wrong type while being evaluated.
    Evaluation(String),
}

impl EndpointError {
    /// The message of the error rule that applied, if that is what failed.
    pub fn rule_message(&self) -> Option<&str> {
        match self {
            EndpointError::Rule(message) => Some(message),
            _ => None,
        }
    }
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EndpointError::Rule(message) => write!(f, "endpoint resolution failed: {message}"),
            EndpointError::NoRuleMatched => {
                f.write_str("endpoint resolution failed: no rule matched the parameters")
            }
            EndpointError::InvalidParam { name, message } => {
                write!(f, "endpoint parameter `{name}` {message}")
            }
            EndpointError::InvalidRuleSet { path, message } => {
                write!(f, "invalid endpoint rule set at {path}: {message}")
            }
            EndpointError::InvalidPartitions(message) => {
                write!(f, "invalid partitions document: {message}")
            }
            EndpointError::Evaluation(message) => {
                write!(f, "endpoint rule evaluation failed: {message}")
            }
        }
    }
}

impl std::error::Error for EndpointError {}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn resolver(rules: Value) -> EndpointResolver {
        let partitions = json!({"partitions": [{"id": "aws", "regionRegex": "^us\\-\\w+\\-\\d+$", "regions": {},
            "outputs": {"name": "aws", "dnsSuffix": "amazonaws.com", "supportsFIPS": true}}]});
        let regex_lite =
            |regex: &str, region: &str| Some(regex_lite::Regex::new(regex).ok()?.is_match(region));
        EndpointResolver::from_values(&rules, &partitions, regex_lite).unwrap()
    }

    #[test]
    fn functions_assignments_headers_and_properties() {
        let r = resolver(json!({"version": "1.0",
            "parameters": {
                "Bucket": {"type": "String", "required": false},
                "Arn": {"type": "String", "required": false},
                "Prefix": {"type": "string", "required": true, "default": "abcdef"}},
            "rules": [
                {"conditions": [
                    {"fn": "isSet", "argv": [{"ref": "Arn"}]},
                    {"fn": "aws.parseArn", "argv": [{"ref": "Arn"}], "assign": "A"},
                    {"fn": "aws.partition", "argv": [{"fn": "getAttr", "argv": [{"ref": "A"}, "region"]}], "assign": "P"},
                    {"fn": "substring", "argv": [{"ref": "Prefix"}, 0, 3, true], "assign": "S"}],
                 "endpoint": {"url": "https://{A#resourceId[1]}.{S}.{P#dnsSuffix}",
                              "headers": {"x-acct": ["{A#accountId}"]},
                              "properties": {"authSchemes": [{"name": "sigv4", "signingName": "{A#service}",
                                                              "signingRegion": "{A#region}"}]}},
                 "type": "endpoint"},
                {"conditions": [
                    {"fn": "isSet", "argv": [{"ref": "Bucket"}]},
                    {"fn": "aws.isVirtualHostableS3Bucket", "argv": [{"ref": "Bucket"}, false]},
                    {"fn": "not", "argv": [{"fn": "stringEquals", "argv": [{"ref": "Bucket"}, "bad-bucket"]}]}],
                 "endpoint": {"url": "https://{Bucket}.example.com/{{literal}}"}, "type": "endpoint"},
                {"conditions": [{"fn": "isSet", "argv": [{"ref": "Bucket"}]}],
                 "error": "Invalid bucket: {Bucket}", "type": "error"},
                {"conditions": [], "rules": [
                    {"conditions": [{"fn": "parseURL", "argv": ["https://x.example.com/p"], "assign": "U"}],
                     "endpoint": {"url": "{U#scheme}://{U#authority}{U#normalizedPath}{Prefix}"}, "type": "endpoint"}],
                 "type": "tree"}]}));
        let e = r
            .resolve(&EndpointParams::new().with("Arn", "arn:aws:svc:us-west-2:123:thing/name"))
            .unwrap();
        assert_eq!(e.url(), "https://name.def.amazonaws.com");
        assert_eq!(e.headers(), [("x-acct".to_owned(), "123".to_owned())]);
        assert_eq!(e.sigv4_overrides(), (Some("svc"), Some("us-west-2")));
        let e = r
            .resolve(&EndpointParams::new().with("Bucket", "good-bucket"))
            .unwrap();
        assert_eq!(e.url(), "https://good-bucket.example.com/{literal}");
        let err = r
            .resolve(&EndpointParams::new().with("Bucket", "bad-bucket"))
            .unwrap_err();
        assert_eq!(err.rule_message(), Some("Invalid bucket: bad-bucket"));
        let err = r
            .resolve(&EndpointParams::new().with("Bucket", "Bad_Bucket"))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "endpoint resolution failed: Invalid bucket: Bad_Bucket"
        );
        assert_eq!(
            r.resolve(&EndpointParams::new()).unwrap().url(),
            "https://x.example.com/p/abcdef"
        );
        let err = r
            .resolve(&EndpointParams::new().with("Bucket", true))
            .unwrap_err();
        assert!(
            matches!(err, EndpointError::InvalidParam { ref name, .. } if name == "Bucket"),
            "{err}"
        );
    }

    #[test]
    fn trees_are_terminal_and_required_params_checked() {
        let r = resolver(json!({"version": "1.0",
            "parameters": {"Flag": {"type": "Boolean", "required": true}},
            "rules": [
                {"conditions": [], "rules": [
                    {"conditions": [{"fn": "booleanEquals", "argv": [{"ref": "Flag"}, true]}],
                     "endpoint": {"url": "https://on"}, "type": "endpoint"}], "type": "tree"},
                {"conditions": [], "endpoint": {"url": "https://unreachable"}, "type": "endpoint"}]}));
        assert_eq!(
            r.resolve(&EndpointParams::new().with("Flag", true))
                .unwrap()
                .url(),
            "https://on"
        );
        assert_eq!(
            r.resolve(&EndpointParams::new().with("Flag", false)),
            Err(EndpointError::NoRuleMatched)
        );
        let err = r.resolve(&EndpointParams::new()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "endpoint parameter `Flag` is required but not set"
        );
    }

    #[test]
    fn builtin_params_use_the_rule_sets_names() {
        let r = resolver(json!({"version": "1.0", "parameters": {
            "Reg": {"type": "String", "builtIn": "AWS::Region"},
            "Fips": {"type": "Boolean", "builtIn": "AWS::UseFIPS", "required": true, "default": false},
            "Url": {"type": "String", "builtIn": "SDK::Endpoint"}}, "rules": []}));
        let p = r.builtin_params(Some("eu-west-1"), true, false, None);
        assert_eq!(
            (p.get("Reg"), p.get("Fips"), p.get("Url")),
            (Some(&json!("eu-west-1")), Some(&json!(true)), None)
        );
    }
}
