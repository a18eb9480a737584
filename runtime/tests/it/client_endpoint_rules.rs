//! The endpoint rules interpreter against the 27 `smithy.rules#endpointTests`
//! cases of the ivschat Smithy model (from ../shared, required).
//!
//! The model's cases were written against an older partitions.json in which
//! the `aws-iso` and `aws-iso-b` partitions had no dual-stack support; the
//! vendored botocore 1.44.5 partitions.json has it. So:
//! - with the vendored partitions as of the model's tests (those two flags
//!   set back to false), all 27 expectations (URLs and error messages) match
//!   exactly, for both the vendored rule set and the model's own copy;
//! - with the vendored partitions unmodified, every answer equals botocore's
//!   own (tests/data/endpoint_botocore.json, from
//!   runtime/scripts/endpoint_golden.py), and differs from the model exactly
//!   in the four iso dual-stack cases.

use std::path::PathBuf;

use awsrt::client::endpoint::{EndpointParams, EndpointResolver};

use crate::common;
use serde_json::Value;

const SERVICE: &str = "com.amazonaws.ivschat#AmazonInteractiveVideoServiceChat";

fn read_json(path: PathBuf, what: &str) -> Value {
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {what} at {}: {e}", path.display()));
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{what} at {} is not JSON: {e}", path.display()))
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn model_service() -> Value {
    let path = manifest_dir().join("../../shared/models/ivschat/ivschat-2020-07-14.smithy.json");
    let model = read_json(
        path,
        "the ivschat Smithy model from shared/ (needed for its endpoint tests)",
    );
    model["shapes"][SERVICE].clone()
}

fn vendored_rule_set() -> Value {
    read_json(
        manifest_dir().join("../model/data/ivschat/2020-07-14/endpoint-rule-set-1.json"),
        "the vendored rule set",
    )
}

fn vendored_partitions() -> Value {
    read_json(
        manifest_dir().join("../model/data/partitions.json"),
        "the vendored partitions.json",
    )
}

/// The vendored partitions as they were when the model's tests were written.
fn partitions_as_of_model_tests() -> Value {
    let mut partitions = vendored_partitions();
    let mut patched = 0;
    for p in partitions["partitions"].as_array_mut().unwrap() {
        if p["id"] == "aws-iso" || p["id"] == "aws-iso-b" {
            assert_eq!(
                p["outputs"]["supportsDualStack"], true,
                "vendored partitions changed: revisit this test"
            );
            p["outputs"]["supportsDualStack"] = Value::Bool(false);
            patched += 1;
        }
    }
    assert_eq!(patched, 2);
    partitions
}

fn test_cases() -> Vec<Value> {
    let cases = model_service()["traits"]["smithy.rules#endpointTests"]["testCases"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(cases.len(), 27, "the model should have 27 endpoint tests");
    cases
}

fn params_of(case: &Value) -> EndpointParams {
    let mut params = EndpointParams::new();
    if let Some(map) = case.get("params").and_then(Value::as_object) {
        for (name, value) in map {
            params.set(name, value.clone());
        }
    }
    params
}

/// `Ok(url)` or `Err(error rule message)`, panicking on any other failure.
fn resolve(resolver: &EndpointResolver, case: &Value) -> Result<String, String> {
    match resolver.resolve(&params_of(case)) {
        Ok(endpoint) => Ok(endpoint.url().to_owned()),
        Err(e) => Err(e
            .rule_message()
            .unwrap_or_else(|| panic!("{}: unexpected failure: {e}", case["documentation"]))
            .to_owned()),
    }
}

fn expected(expect: &Value) -> Result<String, String> {
    match (expect.get("endpoint"), expect.get("error")) {
        (Some(endpoint), None) => Ok(endpoint["url"].as_str().unwrap().to_owned()),
        (None, Some(error)) => Err(error.as_str().unwrap().to_owned()),
        _ => panic!("unexpected expectation {expect}"),
    }
}

#[test]
fn all_model_endpoint_tests_pass() {
    let cases = test_cases();
    let partitions = partitions_as_of_model_tests();
    let model_rule_set = model_service()["traits"]["smithy.rules#endpointRuleSet"].clone();
    for (label, rule_set) in [
        ("vendored rule set", vendored_rule_set()),
        ("model rule set", model_rule_set),
    ] {
        let resolver =
            EndpointResolver::from_values(&rule_set, &partitions, common::regex_lite).unwrap();
        let mut errors = 0;
        for case in &cases {
            let want = expected(&case["expect"]);
            errors += usize::from(want.is_err());
            assert_eq!(
                resolve(&resolver, case),
                want,
                "{label}: {}",
                case["documentation"]
            );
        }
        assert_eq!(errors, 7, "{label}: the model has 7 error cases");
    }
}

#[test]
fn vendored_partitions_agree_with_botocore() {
    let cases = test_cases();
    let golden = read_json(
        manifest_dir().join("tests/data/endpoint_botocore.json"),
        "botocore's endpoint answers",
    );
    let golden = golden["cases"].as_array().unwrap();
    assert_eq!(
        golden.len(),
        cases.len(),
        "regenerate tests/data/endpoint_botocore.json"
    );
    let resolver = EndpointResolver::from_values(
        &vendored_rule_set(),
        &vendored_partitions(),
        common::regex_lite,
    )
    .unwrap();
    let mut differs_from_model = Vec::new();
    for (case, botocore) in cases.iter().zip(golden) {
        assert_eq!(
            case.get("params"),
            botocore
                .get("params")
                .filter(|p| p.as_object().is_some_and(|m| !m.is_empty()))
        );
        let ours = resolve(&resolver, case);
        let answer = &botocore["botocore"];
        let botocore_answer = match (answer["url"].as_str(), answer["error"].as_str()) {
            (Some(url), None) => Ok(url.to_owned()),
            (None, Some(error)) => Err(error.to_owned()),
            _ => panic!("unexpected botocore answer {answer}"),
        };
        assert_eq!(ours, botocore_answer, "{}", case["documentation"]);
        if ours != expected(&case["expect"]) {
            differs_from_model.push(ours);
        }
    }
    assert_eq!(
        differs_from_model,
        [
            Ok("https://ivschat-fips.us-iso-east-1.api.aws.ic.gov".to_owned()),
            Ok("https://ivschat.us-iso-east-1.api.aws.ic.gov".to_owned()),
            Ok("https://ivschat-fips.us-isob-east-1.api.aws.scloud".to_owned()),
            Ok("https://ivschat.us-isob-east-1.api.aws.scloud".to_owned()),
        ]
    );
}
