//! Retries, timeouts and error handling of `Runtime`, with the in-memory
//! transport and zero backoff.

use crate::common;

use common::IVSCHAT;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use awsrt::client::{
    BoxFuture, Config, ConfigBuilder, Credentials, CredentialsError, ErrorMetadata, HttpRequest,
    HttpResponse, Method, OperationMeta, ProvideCredentials, RetryConfig, Runtime, SdkError,
    TestTransport, TransportError, UnhandledError,
};

static CREATE_ROOM: OperationMeta = OperationMeta {
    retryable_errors: &["BusyException"],
    errors: &["BusyException", "ConflictException"],
    ..common::op("CreateRoom")
};

fn builder(transport: &TestTransport) -> ConfigBuilder {
    Config::builder()
        .region("us-west-2")
        .credentials(Credentials::from_keys("AKID", "SECRET", None))
        .retry_config(RetryConfig::standard().with_initial_backoff(Duration::ZERO))
        .transport(transport.clone())
}

fn runtime(transport: &TestTransport) -> Runtime {
    Runtime::new(builder(transport).build().unwrap(), &IVSCHAT)
}

fn request() -> HttpRequest {
    let mut req = HttpRequest::new(Method::Post, "/CreateRoom");
    req.set_body(&b"{}"[..], "application/json");
    req
}

fn error(status: u16, code: &str) -> HttpResponse {
    HttpResponse::json(status, &format!(r#"{{"message":"{code} happened"}}"#))
        .with_header("x-amzn-errortype", code)
        .with_header("x-amzn-requestid", "req-1")
}

/// What a generated operation error looks like.
#[derive(Debug)]
enum CreateRoomError {
    Validation(String),
    Unhandled(UnhandledError),
}

impl From<UnhandledError> for CreateRoomError {
    fn from(e: UnhandledError) -> Self {
        CreateRoomError::Unhandled(e)
    }
}

impl std::fmt::Display for CreateRoomError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CreateRoomError::Validation(m) => write!(f, "validation: {m}"),
            CreateRoomError::Unhandled(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for CreateRoomError {}

async fn create_room(rt: &Runtime) -> Result<String, SdkError<CreateRoomError>> {
    common::call(
        rt,
        request(),
        &CREATE_ROOM,
        |resp: &HttpResponse| String::from_utf8(resp.body().to_vec()),
        |resp: &HttpResponse, meta: ErrorMetadata| match meta.code() {
            Some("ValidationException") => {
                CreateRoomError::Validation(meta.message().unwrap_or_default().to_owned())
            }
            _ => UnhandledError::new(resp.status(), meta).into(),
        },
    )
    .await
}

#[tokio::test]
async fn retries_503_then_succeeds() {
    let t = TestTransport::new();
    t.push_response(HttpResponse::new(503))
        .push_response(HttpResponse::json(200, r#"{"arn":"a"}"#));
    assert_eq!(create_room(&runtime(&t)).await.unwrap(), r#"{"arn":"a"}"#);
    assert_eq!(t.request_count(), 2);
    let requests = t.requests();
    assert_eq!(
        requests[0].uri(),
        "https://ivschat.us-west-2.amazonaws.com/CreateRoom"
    );
    assert_eq!(
        requests[0].header("host"),
        Some("ivschat.us-west-2.amazonaws.com")
    );
    assert!(requests[1]
        .header("authorization")
        .is_some_and(|a| a.starts_with("AWS4-HMAC-SHA256 Credential=AKID/")));
}

#[tokio::test]
async fn retries_throttling() {
    let t = TestTransport::new();
    t.push_response(error(429, "ThrottlingException"))
        .push_response(error(400, "ThrottlingException"))
        .push_response(HttpResponse::json(200, "{}"));
    assert!(create_room(&runtime(&t)).await.is_ok());
    assert_eq!(t.request_count(), 3);
}

#[tokio::test]
async fn never_retries_validation_errors() {
    let t = TestTransport::new();
    t.push_response(error(400, "ValidationException"))
        .push_response(HttpResponse::json(200, "{}"));
    let err = create_room(&runtime(&t)).await.unwrap_err();
    assert_eq!(t.request_count(), 1);
    assert_eq!(err.request_id(), Some("req-1"));
    assert_eq!(err.raw_response().map(HttpResponse::status), Some(400));
    match err.into_service_error() {
        CreateRoomError::Validation(message) => assert_eq!(message, "ValidationException happened"),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[tokio::test]
async fn other_4xx_are_not_retried_and_unknown_codes_are_unhandled() {
    let t = TestTransport::new();
    t.push_response(error(403, "AccessDeniedException"));
    let err = create_room(&runtime(&t)).await.unwrap_err();
    assert_eq!(t.request_count(), 1);
    let CreateRoomError::Unhandled(u) = err.into_service_error() else {
        panic!("expected unhandled")
    };
    assert_eq!(
        (u.status(), u.code(), u.message(), u.request_id()),
        (
            Some(403),
            Some("AccessDeniedException"),
            Some("AccessDeniedException happened"),
            Some("req-1")
        )
    );
}

#[tokio::test]
async fn modeled_retryable_errors_are_retried() {
    let t = TestTransport::new();
    t.push_response(error(409, "BusyException"))
        .push_response(HttpResponse::json(200, "{}"));
    assert!(create_room(&runtime(&t)).await.is_ok());
    assert_eq!(t.request_count(), 2);
}

#[tokio::test]
async fn a_429_with_a_modeled_error_code_follows_the_model() {
    // botocore's ThrottlingStatusCodeChecker: a 429 is throttling only when
    // its code is none of the operation's modeled errors.
    let t = TestTransport::new();
    t.push_response(error(429, "ConflictException"))
        .push_response(HttpResponse::json(200, "{}"));
    assert!(create_room(&runtime(&t)).await.is_err());
    assert_eq!(t.request_count(), 1, "modeled, not retryable: one attempt");
    for code in ["BusyException", "SomethingUnmodeled"] {
        let t = TestTransport::new();
        t.push_response(error(429, code))
            .push_response(HttpResponse::json(200, "{}"));
        assert!(create_room(&runtime(&t)).await.is_ok(), "{code}");
        assert_eq!(t.request_count(), 2, "{code} is retried");
    }
}

#[tokio::test]
async fn attempts_are_capped() {
    let t = TestTransport::new();
    for _ in 0..5 {
        t.push_response(error(500, "InternalServerException"));
    }
    let err = create_room(&runtime(&t)).await.unwrap_err();
    assert_eq!(t.request_count(), 3, "3 attempts by default");
    assert_eq!(err.raw_response().map(HttpResponse::status), Some(500));

    let t2 = TestTransport::new();
    for _ in 0..5 {
        t2.push_response(HttpResponse::new(502));
    }
    let rt = Runtime::new(builder(&t2).max_attempts(5).build().unwrap(), &IVSCHAT);
    assert!(create_room(&rt).await.is_err());
    assert_eq!(t2.request_count(), 5);

    let t3 = TestTransport::new();
    t3.push_response(HttpResponse::new(503))
        .push_response(HttpResponse::json(200, "{}"));
    let rt = Runtime::new(
        builder(&t3)
            .retry_config(RetryConfig::disabled())
            .build()
            .unwrap(),
        &IVSCHAT,
    );
    assert!(create_room(&rt).await.is_err());
    assert_eq!(t3.request_count(), 1);
}

#[tokio::test]
async fn transport_errors_and_timeouts_are_retried() {
    let t = TestTransport::new();
    t.push_error(TransportError::connect("connection refused"))
        .push_error(TransportError::timeout("read timeout"))
        .push_response(HttpResponse::json(200, "{}"));
    assert!(create_room(&runtime(&t)).await.is_ok());
    assert_eq!(t.request_count(), 3);

    let t = TestTransport::new();
    for _ in 0..3 {
        t.push_error(TransportError::timeout("read timeout"));
    }
    let err = create_room(&runtime(&t)).await.unwrap_err();
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
    assert_eq!(t.request_count(), 3);

    let t = TestTransport::new();
    t.push_error(TransportError::io("reset"))
        .push_error(TransportError::io("reset"))
        .push_error(TransportError::io("reset"));
    let err = create_room(&runtime(&t)).await.unwrap_err();
    assert_eq!(chain(&err), "dispatch failure: connection error: reset");
    assert_eq!(t.request_count(), 3);
}

#[tokio::test]
async fn unsendable_requests_are_not_retried() {
    let t = TestTransport::new();
    t.push_error(TransportError::other("bad header"))
        .push_response(HttpResponse::json(200, "{}"));
    let err = create_room(&runtime(&t)).await.unwrap_err();
    assert!(matches!(err, SdkError::DispatchFailure(_)));
    assert_eq!(t.request_count(), 1);
}

#[tokio::test]
async fn operation_timeout_covers_all_attempts() {
    let t = TestTransport::new();
    t.push_delayed_response(Duration::from_secs(5), HttpResponse::json(200, "{}"));
    let rt = Runtime::new(
        builder(&t)
            .operation_timeout(Duration::from_millis(50))
            .build()
            .unwrap(),
        &IVSCHAT,
    );
    let started = std::time::Instant::now();
    let err = create_room(&rt).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(
        chain(&err),
        "request has timed out: operation timeout of 50ms elapsed"
    );
}

#[derive(Debug, Default)]
struct Rotating(AtomicUsize);

impl ProvideCredentials for Rotating {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let n = self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async move { Ok(Credentials::from_keys(format!("AKID{n}"), "SECRET", None)) })
    }
}

/// Each attempt asks the config's provider, which is the credentials cache:
/// the wrapped provider is asked once; without the cache, once per attempt.
#[tokio::test]
async fn credentials_are_fetched_for_every_attempt() {
    for (cached, keys, calls) in [
        (true, ["AKID0", "AKID0"], 1),
        (false, ["AKID0", "AKID1"], 2),
    ] {
        let t = TestTransport::new();
        t.push_response(HttpResponse::new(503))
            .push_response(HttpResponse::json(200, "{}"));
        let provider = Arc::new(Rotating::default());
        let config = builder(&t)
            .shared_credentials_provider(provider.clone())
            .credentials_cache(cached)
            .build()
            .unwrap();
        assert!(create_room(&Runtime::new(config, &IVSCHAT)).await.is_ok());
        let auth: Vec<String> = t
            .requests()
            .iter()
            .map(|r| r.header("authorization").unwrap().to_owned())
            .collect();
        assert!(
            auth[0].contains(&format!("Credential={}/", keys[0]))
                && auth[1].contains(&format!("Credential={}/", keys[1])),
            "{auth:?}"
        );
        assert_eq!(provider.0.load(Ordering::SeqCst), calls);
    }
}

#[derive(Debug)]
struct Failing;

impl ProvideCredentials for Failing {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async { Err(CredentialsError::new("token expired")) })
    }
}

#[tokio::test]
async fn construction_failures_never_reach_the_transport() {
    let t = TestTransport::new();
    let rt = Runtime::new(
        builder(&t).credentials_provider(Failing).build().unwrap(),
        &IVSCHAT,
    );
    let err = create_room(&rt).await.unwrap_err();
    let report = chain(&err);
    assert!(
        report.starts_with("failed to construct request: ") && report.ends_with("token expired"),
        "{report}"
    );

    let rt = Runtime::new(
        builder(&t)
            .endpoint_url("https://example.com")
            .use_fips(true)
            .build()
            .unwrap(),
        &IVSCHAT,
    );
    let err = create_room(&rt).await.unwrap_err();
    assert!(matches!(err, SdkError::ConstructionFailure(_)));
    assert_eq!(
        chain(&err),
        "failed to construct request: endpoint resolution failed: \
         Invalid Configuration: FIPS and custom endpoint are not supported"
    );
    assert_eq!(t.request_count(), 0);
}

#[tokio::test]
async fn endpoint_override_and_fips_are_honoured() {
    let t = TestTransport::new();
    t.push_response(HttpResponse::json(200, "{}"))
        .push_response(HttpResponse::json(200, "{}"));
    let rt = Runtime::new(
        builder(&t)
            .endpoint_url("http://127.0.0.1:8080/prefix")
            .build()
            .unwrap(),
        &IVSCHAT,
    );
    create_room(&rt).await.unwrap();
    let rt = Runtime::new(
        builder(&t)
            .region("cn-north-1")
            .use_fips(true)
            .build()
            .unwrap(),
        &IVSCHAT,
    );
    create_room(&rt).await.unwrap();
    let requests = t.requests();
    assert_eq!(requests[0].uri(), "http://127.0.0.1:8080/prefix/CreateRoom");
    assert_eq!(requests[0].header("host"), Some("127.0.0.1:8080"));
    assert_eq!(
        requests[1].uri(),
        "https://ivschat-fips.cn-north-1.amazonaws.com.cn/CreateRoom"
    );
    assert!(requests[1]
        .header("authorization")
        .unwrap()
        .contains("/cn-north-1/ivschat/aws4_request"));
}

#[tokio::test]
async fn unparseable_success_is_a_response_error() {
    let t = TestTransport::new();
    t.push_response(HttpResponse::new(200).with_body(vec![0xff, 0xfe]));
    let err = create_room(&runtime(&t)).await.unwrap_err();
    assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
    assert_eq!(err.raw_response().map(|r| r.status()), Some(200));
    assert!(
        chain(&err).starts_with("response error: "),
        "{}",
        chain(&err)
    );
}

/// An error and its `source()` chain, joined with `: ` (each level says only its own part).
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut next = e.source();
    while let Some(s) = next {
        out.push_str(": ");
        out.push_str(&s.to_string());
        next = s.source();
    }
    out
}
