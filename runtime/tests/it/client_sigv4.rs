//! SigV4 signatures from the runtime match botocore's, byte for byte.
//!
//! tests/data/sigv4_golden.json is written by runtime/scripts/sigv4_golden.py
//! (botocore 1.44.5): real ivschat requests serialized and signed by a
//! botocore client, plus hand-made ones signed by botocore's SigV4Auth. Each
//! request is rebuilt here the way generated code builds it (labels and query
//! encoded by `awsrt::client::encode`), sent through `Runtime` with the same
//! credentials and a fixed clock, and the Authorization header compared.

use crate::common;

use awsrt::client::{
    encode, Config, Credentials, FixedTime, HttpRequest, HttpResponse, Method, Runtime,
    TestTransport,
};
use base64::Engine as _;
use common::IVSCHAT;
use serde_json::Value;

fn golden() -> Value {
    serde_json::from_str(include_str!("../data/sigv4_golden.json")).unwrap()
}

fn method(name: &str) -> Method {
    match name {
        "GET" => Method::Get,
        "POST" => Method::Post,
        "PUT" => Method::Put,
        "DELETE" => Method::Delete,
        other => panic!("unexpected method {other}"),
    }
}

/// The request as generated code would build it for the botocore operation,
/// or verbatim for hand-made cases.
fn build_request(case: &Value) -> HttpRequest {
    let m = method(case["method"].as_str().unwrap());
    let mut req = match case.get("operation") {
        Some(op) => {
            let params = &op["params"];
            match op["name"].as_str().unwrap() {
                "CreateRoom" => HttpRequest::new(m, "/CreateRoom"),
                "ListTagsForResource" => HttpRequest::new(
                    m,
                    format!(
                        "/tags/{}",
                        encode::label(params["resourceArn"].as_str().unwrap())
                    ),
                ),
                "UntagResource" => {
                    let mut req = HttpRequest::new(
                        m,
                        format!(
                            "/tags/{}",
                            encode::label(params["resourceArn"].as_str().unwrap())
                        ),
                    );
                    for key in params["tagKeys"].as_array().unwrap() {
                        req.query_param("tagKeys", key.as_str().unwrap());
                    }
                    req
                }
                other => panic!("no request builder for {other}"),
            }
        }
        None => {
            let query = case["query"].as_str().unwrap();
            let path = case["path"].as_str().unwrap();
            HttpRequest::new(
                m,
                if query.is_empty() {
                    path.to_owned()
                } else {
                    format!("{path}?{query}")
                },
            )
        }
    };
    assert_eq!(
        req.path(),
        case["path"],
        "{}: path differs from botocore's serializer",
        case["name"]
    );
    assert_eq!(
        req.query(),
        case["query"],
        "{}: query differs from botocore's serializer",
        case["name"]
    );
    for pair in case["headers"].as_array().unwrap() {
        req.set_header(pair[0].as_str().unwrap(), pair[1].as_str().unwrap());
    }
    // Headers the request carries but botocore left out of the signature.
    for pair in case
        .get("unsigned_headers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        req.set_header(pair[0].as_str().unwrap(), pair[1].as_str().unwrap());
    }
    let body = base64::engine::general_purpose::STANDARD
        .decode(case["body_base64"].as_str().unwrap())
        .unwrap();
    if !body.is_empty() {
        let content_type = req
            .header("content-type")
            .unwrap_or("application/octet-stream")
            .to_owned();
        req.set_body(body, &content_type);
    }
    req
}

#[tokio::test]
async fn authorization_matches_botocore() {
    let golden = golden();
    let cases = golden["cases"].as_array().unwrap();
    assert!(cases.len() >= 5, "expected at least 5 golden cases");
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let transport = TestTransport::new();
        transport.push_response(HttpResponse::json(200, "{}"));
        let credentials = Credentials::from_keys(
            golden["access_key_id"].as_str().unwrap(),
            golden["secret_access_key"].as_str().unwrap(),
            case["session_token"].as_str().map(str::to_owned),
        );
        let config = Config::builder()
            .region(golden["region"].as_str().unwrap())
            .credentials(credentials)
            .time_source(FixedTime::from_unix_secs(
                golden["time_unix"].as_u64().unwrap(),
            ))
            .transport(transport.clone())
            .build()
            .unwrap();
        let runtime = Runtime::new(config, &IVSCHAT);
        let op = common::op("Golden");
        let response = runtime.send(build_request(case), &op).await.unwrap();
        assert_eq!(response.status(), 200);

        let sent = &transport.requests()[0];
        assert_eq!(sent.uri(), case["url"].as_str().unwrap(), "{name}: URL");
        assert_eq!(
            sent.header("x-amz-date"),
            Some("20240305T170409Z"),
            "{name}"
        );
        assert_eq!(
            sent.header("x-amz-security-token"),
            case["session_token"].as_str(),
            "{name}"
        );
        assert_eq!(
            sent.header("authorization"),
            case["authorization"].as_str(),
            "{name}: signature differs from botocore's; botocore's canonical request was:\n{}",
            case["canonical_request"].as_str().unwrap()
        );
    }
}

#[test]
fn canonical_uri_double_encodes_the_encoded_path() {
    // For services other than S3 the canonical URI is the wire path encoded
    // once more: `%3A` in the ARN label becomes `%253A`. botocore agrees.
    let golden = golden();
    let case = golden["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "get_arn_label")
        .unwrap();
    assert!(case["path"]
        .as_str()
        .unwrap()
        .contains("arn%3Aaws%3Aivschat"));
    let canonical_uri = case["canonical_request"]
        .as_str()
        .unwrap()
        .lines()
        .nth(1)
        .unwrap();
    assert_eq!(
        canonical_uri,
        "/tags/arn%253Aaws%253Aivschat%253Aus-west-2%253A123456789012%253Aroom%252FabcdABCD1234"
    );
}
