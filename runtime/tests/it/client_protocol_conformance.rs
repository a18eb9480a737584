//! Error-code extraction and URI/query encoding against botocore's rest-json
//! protocol test suites (from ../shared, required).

use std::path::PathBuf;

use awsrt::client::{encode, ErrorMetadata, HttpRequest, HttpResponse, Method};
use serde_json::Value;

fn suite(name: &str) -> Vec<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/conformance/botocore-rest-json")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read the botocore rest-json protocol suite from shared/ at {}: {e}",
            path.display()
        )
    });
    serde_json::from_str(&text).unwrap()
}

fn cases(name: &str) -> Vec<Value> {
    suite(name)
        .iter()
        .flat_map(|s| s["cases"].as_array().unwrap().clone())
        .collect()
}

#[test]
fn error_codes_match_the_suite() {
    let mut checked = 0;
    for case in cases("output.json")
        .iter()
        .filter(|c| c.get("errorCode").is_some())
    {
        let response = &case["response"];
        let mut resp =
            HttpResponse::new(u16::try_from(response["status_code"].as_u64().unwrap()).unwrap());
        for (name, value) in response["headers"].as_object().unwrap() {
            resp = resp.with_header(name, value.as_str().unwrap());
        }
        if let Some(body) = response.get("body").and_then(Value::as_str) {
            resp = resp.with_body(body.to_owned());
        }
        let meta = ErrorMetadata::from_response(&resp);
        assert_eq!(meta.code(), case["errorCode"].as_str(), "{}", case["id"]);
        if let Some(message) = case["error"].get("Message") {
            assert_eq!(meta.message(), message.as_str(), "{}", case["id"]);
        }
        checked += 1;
    }
    assert_eq!(checked, 12, "expected the 12 error cases of the suite");
}

#[test]
fn label_and_query_escaping_match_the_suite() {
    let all = cases("input.json");
    let find = |id: &str| {
        all.iter()
            .find(|c| c["id"] == id)
            .unwrap_or_else(|| panic!("case {id} not in the suite"))
    };

    let case = find("RestJsonHttpRequestLabelEscaping");
    let p = &case["params"];
    let path = format!(
        "/HttpRequestWithLabels/{}/{}/{}/{}/{}/{}/{}/{}",
        encode::label(p["string"].as_str().unwrap()),
        p["short"],
        p["integer"],
        p["long"],
        p["float"],
        p["double"],
        p["boolean"],
        encode::label("2019-12-16T23:48:18Z"),
    );
    let req = HttpRequest::new(Method::Get, path);
    assert_eq!(req.uri(), case["serialized"]["uri"].as_str().unwrap());

    let case = find("RestJsonQueryStringEscaping");
    let mut req = HttpRequest::new(Method::Get, "/AllQueryStringTypesInput");
    req.query_param("String", case["params"]["queryString"].as_str().unwrap());
    assert_eq!(req.uri(), case["serialized"]["uri"].as_str().unwrap());

    let case = find("RestJsonConstantQueryString");
    let mut req = HttpRequest::new(
        Method::Get,
        format!("/ConstantQueryString/{}?foo=bar&hello", encode::label("hi")),
    );
    req.query_key("extra").query_param("x", "y");
    assert_eq!(
        req.uri(),
        format!("{}&extra&x=y", case["serialized"]["uri"].as_str().unwrap())
    );
}
