//! The Authorization header the generated client sends is botocore's.
//!
//! tests/data/sigv4_client_golden.json is written by
//! tests/scripts/sigv4_client_golden.py (botocore 1.44.5): for CreateChatToken,
//! UntagResource and ListTagsForResource, the request the client is expected
//! to send, signed by botocore's SigV4Auth with fixed credentials at a fixed
//! time. Each call is made here through `ivschat::Client` with the same
//! credentials, region and clock (an in-memory transport); the request it
//! sent must be the recorded one (method, URL, body bytes, signed headers)
//! and its Authorization header must equal botocore's exactly.

use ivschat::config::{Credentials, FixedTime, TestTransport};
use ivschat::types::ChatTokenCapability;
use serde_json::Value;

fn golden() -> Value {
    serde_json::from_str(include_str!("../../data/sigv4_client_golden.json")).unwrap()
}

/// Makes the call the case describes; the canned response is whatever
/// parses as the operation's output.
async fn call(client: &ivschat::Client, case: &Value) {
    let params = &case["params"];
    let text = |key: &str| params[key].as_str().unwrap().to_owned();
    let list = |key: &str| -> Vec<String> {
        params[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    };
    match case["operation"].as_str().unwrap() {
        "CreateChatToken" => {
            let mut call = client
                .create_chat_token()
                .room_identifier(text("roomIdentifier"))
                .user_id(text("userId"))
                .session_duration_in_minutes(
                    i32::try_from(params["sessionDurationInMinutes"].as_i64().unwrap()).unwrap(),
                );
            for capability in list("capabilities") {
                call = call.capabilities(ChatTokenCapability::from(capability.as_str()));
            }
            for (key, value) in params["attributes"].as_object().unwrap() {
                call = call.attributes(key, value.as_str().unwrap());
            }
            call.send().await.unwrap();
        }
        "UntagResource" => {
            let mut call = client.untag_resource().resource_arn(text("resourceArn"));
            for key in list("tagKeys") {
                call = call.tag_keys(key);
            }
            call.send().await.unwrap();
        }
        "ListTagsForResource" => {
            client
                .list_tags_for_resource()
                .resource_arn(text("resourceArn"))
                .send()
                .await
                .unwrap();
        }
        other => panic!("no call for {other}"),
    }
}

fn signed_headers(authorization: &str) -> Vec<&str> {
    authorization
        .split(", ")
        .find_map(|part| part.strip_prefix("SignedHeaders="))
        .map(|list| list.split(';').collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn authorization_header_matches_botocore() {
    let golden = golden();
    assert_eq!(golden["botocore_version"], "1.44.5");
    let cases = golden["cases"].as_array().unwrap();
    let names: Vec<&str> = cases
        .iter()
        .map(|c| c["operation"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["CreateChatToken", "UntagResource", "ListTagsForResource"]
    );

    for case in cases {
        let name = case["name"].as_str().unwrap();
        let transport = TestTransport::new();
        transport.push_response(awsrt::client::HttpResponse::json(200, r#"{"tags":{}}"#));
        let credentials = Credentials::from_keys(
            golden["access_key_id"].as_str().unwrap(),
            golden["secret_access_key"].as_str().unwrap(),
            case["session_token"].as_str().map(str::to_owned),
        );
        let config = ivschat::Config::builder()
            .region(case["region"].as_str().unwrap())
            .credentials(credentials)
            .time_source(FixedTime::from_unix_secs(
                golden["time_unix"].as_u64().unwrap(),
            ))
            .transport(transport.clone())
            .build()
            .unwrap();
        call(&ivschat::Client::from_conf(config), case).await;

        let requests = transport.requests();
        assert_eq!(requests.len(), 1, "{name}: one request");
        let sent = &requests[0];
        assert_eq!(sent.method().as_str(), case["method"], "{name}: method");
        assert_eq!(sent.uri(), case["url"].as_str().unwrap(), "{name}: URL");
        assert_eq!(
            std::str::from_utf8(sent.body()).unwrap(),
            case["body"].as_str().unwrap(),
            "{name}: body bytes (the signature covers them)"
        );
        assert_eq!(
            sent.header("content-type"),
            case["content_type"].as_str(),
            "{name}: content-type"
        );
        assert_eq!(
            sent.header("x-amz-date"),
            golden["x_amz_date"].as_str(),
            "{name}: x-amz-date"
        );
        assert_eq!(
            sent.header("x-amz-security-token"),
            case["session_token"].as_str(),
            "{name}: token"
        );
        let authorization = sent
            .header("authorization")
            .unwrap_or_else(|| panic!("{name}: no authorization header"));
        let expected: Vec<&str> = case["signed_headers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h.as_str().unwrap())
            .collect();
        assert_eq!(
            signed_headers(authorization),
            expected,
            "{name}: signed headers; the client sent {:?}",
            sent.headers()
                .iter()
                .map(|(n, _)| n.as_str())
                .collect::<Vec<_>>()
        );
        assert_eq!(
            authorization,
            case["authorization"].as_str().unwrap(),
            "{name}: signature differs from botocore's; botocore signed this canonical request:\n{}",
            case["canonical_request"].as_str().unwrap()
        );
    }
}

#[tokio::test]
async fn signature_changes_with_the_clock_and_the_body() {
    // Guards the golden test against a signer that ignores its inputs.
    let golden = golden();
    let case = &golden["cases"][0];
    let mut seen = Vec::new();
    for (time, user) in [
        (1_739_870_800, "user-1"),
        (1_739_870_801, "user-1"),
        (1_739_870_800, "user-2"),
    ] {
        let transport = TestTransport::new();
        transport.push_response(awsrt::client::HttpResponse::json(200, "{}"));
        let config = ivschat::Config::builder()
            .region("us-west-2")
            .credentials(Credentials::from_keys(
                "AKIDEXAMPLE",
                golden["secret_access_key"].as_str().unwrap(),
                None,
            ))
            .time_source(FixedTime::from_unix_secs(time))
            .transport(transport.clone())
            .build()
            .unwrap();
        ivschat::Client::from_conf(config)
            .create_chat_token()
            .room_identifier(case["params"]["roomIdentifier"].as_str().unwrap())
            .user_id(user)
            .send()
            .await
            .unwrap();
        seen.push(
            transport.requests()[0]
                .header("authorization")
                .unwrap()
                .to_owned(),
        );
    }
    assert_ne!(
        seen[0], seen[1],
        "the signing time is part of the signature"
    );
    assert_ne!(seen[0], seen[2], "the body is part of the signature");
}
