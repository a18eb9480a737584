//! Endpoint resolution through the generated client, for the 27
//! `smithy.rules#endpointTests` cases of the ivschat Smithy model in
//! ../shared (required: the test fails when it is missing).
//!
//! Every case is sent as a real call (GetRoom) over the in-memory test
//! transport, and the URL the request went to, or the construction error,
//! is compared:
//! - with botocore 1.44.5's own resolution of the same parameters over the
//!   same vendored rule set and partitions (runtime/tests/data/endpoint_botocore.json),
//!   for all 27 cases;
//! - with the Smithy model's expectation, for all cases but the four listed
//!   in `NEWER_PARTITIONS`: the model's tests predate dual-stack support in the
//!   `aws-iso` and `aws-iso-b` partitions, which the vendored partitions.json has.
//!
//! A case without a region resolves to its custom endpoint in the rules, but a
//! client cannot be built without a region, which SigV4 signing needs
//! (botocore fails the same call with `NoRegionError` when it signs): for those
//! the test asserts that the configuration error says so. The runtime's own
//! test (runtime/tests/it/client_endpoint_rules.rs) resolves them without a client.

use std::path::PathBuf;

use ivschat::config::{Credentials, TestTransport};
use ivschat::error::SdkError;
use serde_json::Value;

const SERVICE: &str = "com.amazonaws.ivschat#AmazonInteractiveVideoServiceChat";
const NEWER_PARTITIONS: [&str; 4] = [
    "For region us-iso-east-1 with FIPS enabled and DualStack enabled",
    "For region us-iso-east-1 with FIPS disabled and DualStack enabled",
    "For region us-isob-east-1 with FIPS enabled and DualStack enabled",
    "For region us-isob-east-1 with FIPS disabled and DualStack enabled",
];

fn read(path: PathBuf, what: &str) -> Value {
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {what} at {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what} is not JSON: {e}"))
}

/// The URL a GetRoom call went to, or the error that stopped it.
async fn resolve(params: &Value) -> Result<String, String> {
    let transport = TestTransport::new();
    transport.push_response(awsrt::client::HttpResponse::json(200, "{}"));
    let mut config = ivschat::Config::builder()
        .credentials(Credentials::from_keys("AKID", "SECRET", None))
        .transport(transport.clone())
        .max_attempts(1);
    if let Some(region) = params["Region"].as_str() {
        config = config.region(region);
    }
    if let Some(fips) = params["UseFIPS"].as_bool() {
        config = config.use_fips(fips);
    }
    if let Some(dual) = params["UseDualStack"].as_bool() {
        config = config.use_dual_stack(dual);
    }
    if let Some(url) = params["Endpoint"].as_str() {
        config = config.endpoint_url(url);
    }
    let config = config.build().map_err(|e| e.to_string())?;
    let client = ivschat::Client::from_conf(config);
    let room = "arn:aws:ivschat:us-west-2:123456789012:room/g1H2I3j4k5L6";
    match client.get_room().identifier(room).send().await {
        Ok(_) => {
            let sent = transport.requests();
            assert_eq!(sent.len(), 1);
            Ok(sent[0].endpoint().to_string())
        }
        Err(SdkError::ConstructionFailure(e)) => {
            assert!(
                transport.requests().is_empty(),
                "nothing is sent when the endpoint cannot be resolved"
            );
            Err(e.source().to_string())
        }
        Err(other) => panic!("unexpected failure: {other}"),
    }
}

fn expectation(expect: &Value) -> Result<String, String> {
    match (expect["endpoint"]["url"].as_str(), expect["error"].as_str()) {
        (Some(url), _) => Ok(url.to_string()),
        (None, Some(error)) => Err(error.to_string()),
        _ => panic!("a case expects neither a URL nor an error: {expect}"),
    }
}

fn contains_error(got: &Result<String, String>, want: &Result<String, String>) -> bool {
    match (got, want) {
        (Ok(a), Ok(b)) => a == b,
        (Err(a), Err(b)) => a.contains(b.as_str()),
        _ => false,
    }
}

#[tokio::test]
async fn every_model_endpoint_test_through_the_client() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let model = read(
        root.join("../../shared/models/ivschat/ivschat-2020-07-14.smithy.json"),
        "the ivschat Smithy model in ../shared",
    );
    let cases = model["shapes"][SERVICE]["traits"]["smithy.rules#endpointTests"]["testCases"]
        .as_array()
        .expect("the model has endpoint test cases")
        .clone();
    assert_eq!(cases.len(), 27);
    let botocore = read(
        root.join("../runtime/tests/data/endpoint_botocore.json"),
        "botocore's endpoint answers",
    );
    let botocore = botocore["cases"].as_array().expect("cases").clone();

    let (mut agree_model, mut agree_botocore, mut no_region) = (0, 0, 0);
    for case in &cases {
        let doc = case["documentation"].as_str().unwrap_or_default();
        let got = resolve(&case["params"]).await;
        if case["params"].get("Region").is_none() {
            let err = got.expect_err("a client without a region cannot be built");
            assert!(err.contains("no region"), "`{doc}`: {err}");
            no_region += 1;
            continue;
        }
        let boto = botocore
            .iter()
            .find(|b| b["documentation"] == case["documentation"] && b["params"] == case["params"])
            .unwrap_or_else(|| panic!("no botocore answer for `{doc}`"));
        let boto = match (
            boto["botocore"]["url"].as_str(),
            boto["botocore"]["error"].as_str(),
        ) {
            (Some(url), _) => Ok(url.to_string()),
            (_, Some(e)) => Err(e.to_string()),
            _ => panic!("botocore answer without url or error for `{doc}`"),
        };
        assert!(
            contains_error(&got, &boto),
            "`{doc}`: got {got:?}, botocore gives {boto:?}"
        );
        agree_botocore += 1;

        let want = expectation(&case["expect"]);
        if NEWER_PARTITIONS.contains(&doc) {
            assert!(
                !contains_error(&got, &want),
                "`{doc}` now agrees with the model: remove it from NEWER_PARTITIONS"
            );
            assert!(
                got.is_ok(),
                "`{doc}`: the vendored partitions give a dual-stack URL"
            );
        } else {
            assert!(
                contains_error(&got, &want),
                "`{doc}`: got {got:?}, the model expects {want:?}"
            );
            agree_model += 1;
        }
    }
    assert_eq!(
        (
            agree_botocore + no_region,
            agree_model + no_region + NEWER_PARTITIONS.len()
        ),
        (27, 27)
    );
    assert!(
        no_region <= 2,
        "only the custom-endpoint cases lack a region"
    );
}

/// The partition of `region` as the official SDK finds it: the partition
/// listing it, else the first whose `regionRegex` regex-lite matches, else
/// `aws`; its `dnsSuffix`.
fn sdk_dns_suffix(partitions: &Value, region: &str) -> (String, bool) {
    let list = partitions["partitions"].as_array().expect("partitions");
    let listed = list.iter().find(|p| p["regions"].get(region).is_some());
    let by_regex = || {
        list.iter().find(|p| {
            let regex = p["regionRegex"].as_str().expect("regionRegex");
            regex_lite::Regex::new(regex)
                .expect("regex")
                .is_match(region)
        })
    };
    let aws = || list.iter().find(|p| p["id"] == "aws");
    let matched = listed.is_none() && by_regex().is_some();
    let partition = listed.or_else(by_regex).or_else(aws).expect("aws");
    let suffix = partition["outputs"]["dnsSuffix"]
        .as_str()
        .expect("dnsSuffix");
    (suffix.to_string(), matched)
}

/// Regions no partition lists are placed by their `regionRegex`, which the
/// generated crate matches with DFAs the generator built: each lands in the
/// partition regex-lite (the official SDK's engine) picks over the same
/// vendored partitions.json.
#[tokio::test]
async fn unlisted_regions_land_in_the_partition_the_sdk_picks() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let partitions = read(
        root.join("../model/data/partitions.json"),
        "the vendored partitions.json",
    );
    let prefixes = [
        "us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx", "cn", "eusc-de", "eusc-fr", "us-iso",
        "us-isob", "eu-isoe", "us-isof", "us-gov", "usa", "xus", "e", "mars",
    ];
    let middles = ["west", "gov", "x1", "iso-east", "9"];
    let suffixes = ["1", "42", "1a", "x", ""];
    let (mut by_regex, mut cases) = (0, 0);
    for prefix in prefixes {
        for middle in middles {
            for suffix in suffixes {
                let region = if suffix.is_empty() {
                    format!("{prefix}-{middle}")
                } else {
                    format!("{prefix}-{middle}-{suffix}")
                };
                let (suffix, matched) = sdk_dns_suffix(&partitions, &region);
                let params = serde_json::json!({"Region": region});
                assert_eq!(
                    resolve(&params).await,
                    Ok(format!("https://ivschat.{region}.{suffix}")),
                    "{region}"
                );
                by_regex += usize::from(matched);
                cases += 1;
            }
        }
    }
    assert_eq!(cases, 525);
    // Both ways are taken: placed by a regex, and falling back to `aws`.
    assert!(by_regex > 100 && by_regex < 400, "{by_regex} by regex");
}
