//! Everything a generated restJson1 client needs at run time that is not
//! specific to one service.
//!
//! - [`Config`] / [`ConfigBuilder`]: region, credentials, endpoint override,
//!   FIPS / dual-stack, timeouts, retries, validation, transport, clock.
//! - [`Runtime`]: the request pipeline (endpoint, host, SigV4 signing,
//!   retries, timeouts, tracing) behind every operation, described by a
//!   [`ServiceMeta`] and an [`OperationMeta`].
//! - [`HttpRequest`] / [`HttpResponse`] and [`encode`]: what generated
//!   serializers build and parsers read.
//! - [`SdkError`], [`ErrorMetadata`], [`UnhandledError`]: error responses
//!   and failures.
//! - [`endpoint`]: the Smithy endpoint rules interpreter.
//! - [`Paginator`]: pages and items until the next token runs out.
//! - [`HttpTransport`], [`HyperTransport`] (default: hyper 1 + rustls) and
//!   [`TestTransport`] (in memory, for tests without a network); a response
//!   can also be read as a stream ([`StreamingResponse`], [`BodyStream`]).
//! - `event_stream` (feature `event-stream`): reading the events of an
//!   event-stream output one at a time, as they arrive
//!   (`Runtime::dispatch_streaming` hands over the body stream), and sending
//!   an event-stream input (`EventStreamSender`, signed message by message)
//!   while reading the output, for bidirectional operations.
//!
//! # How the files stack
//!
//! There are no import circles among the files; what users and generated
//! code name is re-exported here.
//!
//! - At the bottom, `boxed` ([`BoxError`], [`BoxFuture`]), `time`, `encode`,
//!   `user_agent` and `sdk_names` ([`Region`], [`TimeoutConfig`]) import
//!   nothing of the client.
//! - `http` (requests and responses) imports only `encode`: it knows nothing
//!   of signing, transports or event streams (a body streamed as it is
//!   produced is opaque to it).
//! - `transport` (the [`HttpTransport`] trait, response limits,
//!   stalled-stream protection) and `sign` (SigV4 of one request, with the
//!   `credentials`' [`Credentials`]) stand on `http`; credentials, retries, endpoints and the config on what they
//!   need of those.
//! - `event_stream`: a frame codec with reading (`output`) and sending
//!   (`input`, and its `signer`) side by side over it; `http`, `sign` and
//!   `transport` do not know it.
//! - `hyper_transport` and `test_transport` send what `http` and
//!   `event_stream` describe.
//! - `orchestrator` ([`Runtime`]) is at the top: the order of a call's steps
//!   (`body` preparation, endpoint, signing, sending, retries). Only
//!   `customize`, the per-call layer over it, imports it.
//!
//! A generated operation looks like this:
//!
//! ```
//! use awsrt::client::{
//!     encode, Config, Credentials, ErrorMetadata, HttpRequest, HttpResponse, Method, OperationMeta,
//!     Runtime, SdkError, ServiceMeta, TestTransport, UnhandledError,
//! };
//!
//! static SERVICE: ServiceMeta = ServiceMeta {
//!     sdk_id: "example",
//!     signing_name: "example",
//!     api_version: "2020-07-14",
//!     endpoint_rule_set: r#"{"version": "1.0", "parameters": {
//!         "Region": {"type": "String", "builtIn": "AWS::Region"}},
//!         "rules": [{"conditions": [], "endpoint": {"url": "https://example.{Region}.amazonaws.com"},
//!                    "type": "endpoint"}]}"#,
//!     partitions: r#"{"partitions": []}"#,
//!     region_matcher: |_, _| None,
//! };
//! static GET_THING: OperationMeta = OperationMeta {
//!     name: "GetThing",
//!     retryable_errors: &[],
//!     throttling_errors: &[],
//!     errors: &[],
//!     checksum_required: false,
//!     request_compression: false,
//! };
//!
//! #[derive(Debug)]
//! enum GetThingError { Unhandled(UnhandledError) }
//! impl From<UnhandledError> for GetThingError {
//!     fn from(e: UnhandledError) -> Self { GetThingError::Unhandled(e) }
//! }
//!
//! async fn get_thing(rt: &Runtime, id: &str) -> Result<String, SdkError<GetThingError>> {
//!     let mut req = HttpRequest::new(Method::Get, format!("/things/{}", encode::label(id)));
//!     req.query_param("view", "full");
//!     // The attempts are compiled once, in awsrt; only `parse` is compiled
//!     // for each operation's output and error types.
//!     rt.dispatch(req, &GET_THING).await?.parse(
//!         |resp: &HttpResponse| String::from_utf8(resp.body().to_vec()),
//!         |resp: &HttpResponse, meta: ErrorMetadata| match meta.code() {
//!             _ => UnhandledError::new(resp.status(), meta).into(),
//!         },
//!     )
//! }
//!
//! # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
//! let transport = TestTransport::new();
//! transport.push_response(HttpResponse::new(200).with_body("thing"));
//! let config = Config::builder()
//!     .region("us-west-2")
//!     .credentials(Credentials::from_keys("AKID", "SECRET", None))
//!     .transport(transport.clone())
//!     .build()
//!     .unwrap();
//! let rt = Runtime::new(config, &SERVICE);
//! assert_eq!(get_thing(&rt, "a/b").await.unwrap(), "thing");
//! assert_eq!(transport.requests()[0].uri(), "https://example.us-west-2.amazonaws.com/things/a%2Fb?view=full");
//! # });
//! ```

mod body;
mod boxed;
mod clock_skew;
mod config;
pub mod credentials;
mod customize;
pub mod encode;
pub mod endpoint;
mod error;
#[cfg(feature = "event-stream")]
pub mod event_stream;
mod http;
mod hyper_transport;
mod net;
mod orchestrator;
mod paginator;
mod profile;
mod reply;
mod retry;
#[cfg(feature = "aws-config")]
mod sdk_config;
mod sdk_names;
mod sign;
mod test_transport;
mod time;
mod transport;
mod user_agent;

pub use self::boxed::{BoxError, BoxFuture};
pub use self::config::{
    Config, ConfigBuilder, ConfigError, IdempotencyTokenProvider, RequestCompression,
};
pub use self::credentials::{
    Credentials, CredentialsCache, CredentialsError, CredentialsErrorKind, DefaultCredentialsChain,
    Env, ProvideCredentials, ProviderConfig, RegionError, SharedCredentialsProvider,
    ENV_ACCESS_KEY_ID, ENV_SECRET_ACCESS_KEY, ENV_SESSION_TOKEN,
};
pub use self::customize::{CustomizableOperation, CustomizableSend, Customization};
pub use self::error::{
    request_id, sanitize_error_code, ConstructionFailure, DispatchFailure, DisplayErrorContext,
    ErrorMetadata, ErrorMetadataBuilder, OperationTimeout, ProvideErrorMetadata, RequestId,
    ResponseError, SdkError, SendError, ServiceError, TimeoutError, TimeoutKind, UnhandledError,
    EMPTY_ERROR_METADATA,
};
pub use self::http::{HeadersMut, HttpRequest, HttpResponse, Method};
pub use self::hyper_transport::HyperTransport;
pub use self::net::{NetworkError, ProxyConfig, TlsSettings};
pub use self::orchestrator::{IntoConfig, OperationMeta, Runtime, ServiceMeta};
pub use self::paginator::{ItemPaginator, PaginationError, PaginationStream, Paginator};
pub use self::profile::{
    Profile, ProfileError, ProfileSet, ENV_CONFIG_FILE, ENV_CREDENTIALS_FILE, ENV_PROFILE,
};
pub use self::reply::Reply;
pub use self::retry::{
    classify_response, classify_status, classify_transport, ModeledErrors, RetryConfig, RetryKind,
    RetryMode, RetryModeParseError, THROTTLING_ERROR_CODES, TRANSIENT_ERROR_CODES,
    TRANSIENT_STATUS_CODES,
};
pub use self::sdk_names::{
    BehaviorVersion, IntoRegion, Region, TimeoutConfig, TimeoutConfigBuilder,
};
pub use self::sign::{sign_request, SigningError};
pub use self::test_transport::TestTransport;
pub use self::time::{FixedTime, SystemClock, TimeSource};
pub use self::transport::{
    BodyStream, Direction, HttpTransport, ResponseLimits, ResponseTooLarge, StalledStream,
    StalledStreamProtection, StreamingResponse, TransportError, TransportErrorKind,
    DEFAULT_MAX_RESPONSE_BODY_SIZE,
};
pub use self::user_agent::{AppName, InvalidAppName};
/// aws-sdk's stalled-stream setting (`config::StalledStreamProtectionConfig`),
/// accepted by [`ConfigBuilder::stalled_stream_protection`].
pub use aws_smithy_runtime_api::client::stalled_stream_protection::StalledStreamProtectionConfig;
#[cfg(feature = "aws-config")]
pub use aws_types::SdkConfig;
