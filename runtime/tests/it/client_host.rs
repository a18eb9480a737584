//! The `host` header and endpoint each call is sent to: a runtime works
//! them out once, from the endpoint its config resolves, so every call of
//! that runtime (and only of that runtime) gets them, and a host prefix
//! changes one call only.
//!
//! The hosts expected are AWS's (`ivschat.<region>.amazonaws.com`, as
//! botocore 1.44.5 resolves them) and the `endpoint_url`'s own.

use crate::common;

use awsrt::client::{
    Config, ConfigBuilder, Credentials, FixedTime, HttpRequest, HttpResponse, Method,
    OperationMeta, Runtime, TestTransport,
};
use common::IVSCHAT;

static OP: OperationMeta = common::op("GetRoom");

fn builder(transport: &TestTransport) -> ConfigBuilder {
    Config::builder()
        .credentials(Credentials::from_keys("AKID", "SECRET", None))
        .time_source(FixedTime::from_unix_secs(1_709_658_249))
        .transport(transport.clone())
}

fn request(host_prefix: &str) -> HttpRequest {
    let mut request = HttpRequest::new(Method::Post, "/GetRoom");
    request.set_body(&b"{}"[..], "application/json");
    request.set_host_prefix(host_prefix);
    request
}

/// Sends one request per `(runtime, host prefix)`, in order, and returns
/// the URI and `host` header each was sent with.
async fn sent(transport: &TestTransport, calls: &[(&Runtime, &str)]) -> Vec<(String, String)> {
    for (runtime, prefix) in calls {
        transport.push_response(HttpResponse::json(200, "{}"));
        runtime.send(request(prefix), &OP).await.unwrap();
    }
    transport
        .requests()
        .iter()
        .map(|r| (r.uri(), r.header("host").unwrap_or_default().to_owned()))
        .collect()
}

#[tokio::test]
async fn each_runtime_sends_to_the_host_of_its_own_region() {
    let transport = TestTransport::new();
    let west = Runtime::new(
        builder(&transport).region("us-west-2").build().unwrap(),
        &IVSCHAT,
    );
    // What a call's `config_override` with another region makes.
    let eu = Runtime::new(
        builder(&transport).region("eu-west-1").build().unwrap(),
        &IVSCHAT,
    );
    let got = sent(
        &transport,
        &[(&west, ""), (&eu, ""), (&west, ""), (&eu, "")],
    )
    .await;
    let west_host = "ivschat.us-west-2.amazonaws.com";
    let eu_host = "ivschat.eu-west-1.amazonaws.com";
    let want: Vec<(String, String)> = [west_host, eu_host, west_host, eu_host]
        .iter()
        .map(|h| (format!("https://{h}/GetRoom"), h.to_string()))
        .collect();
    assert_eq!(got, want);
}

#[tokio::test]
async fn a_host_prefix_changes_its_own_call_only() {
    let transport = TestTransport::new();
    let runtime = Runtime::new(
        builder(&transport)
            .region("us-west-2")
            .endpoint_url("https://example.com:8443/base")
            .build()
            .unwrap(),
        &IVSCHAT,
    );
    let got = sent(
        &transport,
        &[(&runtime, ""), (&runtime, "data."), (&runtime, "")],
    )
    .await;
    let plain = (
        "https://example.com:8443/base/GetRoom".to_owned(),
        "example.com:8443".to_owned(),
    );
    let prefixed = (
        "https://data.example.com:8443/base/GetRoom".to_owned(),
        "data.example.com:8443".to_owned(),
    );
    assert_eq!(got, [plain.clone(), prefixed, plain]);
}

#[tokio::test]
async fn a_host_prefix_is_ignored_when_the_config_turns_it_off() {
    let transport = TestTransport::new();
    let runtime = Runtime::new(
        builder(&transport)
            .region("us-west-2")
            .endpoint_url("https://example.com")
            .host_prefix(false)
            .build()
            .unwrap(),
        &IVSCHAT,
    );
    let got = sent(&transport, &[(&runtime, "data.")]).await;
    assert_eq!(
        got,
        [(
            "https://example.com/GetRoom".to_owned(),
            "example.com".to_owned()
        )]
    );
}

#[tokio::test]
async fn an_endpoint_url_with_the_default_port_sends_the_bare_host() {
    let transport = TestTransport::new();
    let runtime = Runtime::new(
        builder(&transport)
            .region("us-west-2")
            .endpoint_url("https://example.com:443")
            .build()
            .unwrap(),
        &IVSCHAT,
    );
    let got = sent(&transport, &[(&runtime, ""), (&runtime, "data.")]).await;
    assert_eq!(
        got,
        [
            (
                "https://example.com:443/GetRoom".to_owned(),
                "example.com".to_owned()
            ),
            (
                "https://data.example.com:443/GetRoom".to_owned(),
                "data.example.com".to_owned()
            )
        ]
    );
}
