//! The operation orchestrator: the request pipeline every generated operation
//! goes through (see [`Runtime`]).
//!
//! It owns the order of the steps of a call (body preparation, endpoint, host,
//! user agent, signing, sending, retries, timeouts, tracing) and calls on the
//! modules that do each one; nothing below it calls back into it.

use std::fmt::{self, Write as _};
use std::future::Future;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::Duration;

use tracing::field::Empty;
use tracing::Instrument;

use crate::client::body;
use crate::client::boxed::{BoxError, BoxFuture};
use crate::client::clock_skew::{ClockSkew, LearnedSkew, CLOCK_SKEW_ERROR_CODES};
use crate::client::config::{Config, ConfigError};
use crate::client::endpoint::{Endpoint, EndpointError, EndpointResolver, RegionMatcher};
use crate::client::error::{ConstructionFailure, ErrorMetadata, SendError, TimeoutError};
use crate::client::http::{HttpRequest, HttpResponse};
use crate::client::reply::Reply;
use crate::client::retry::{self, ClientRateLimiter, RetryKind, RetryMode, RetryQuota};
use crate::client::sign::{self, SigningScope};
#[cfg(feature = "event-stream")]
use crate::client::transport::StreamingResponse;
use crate::client::transport::{
    HttpTransport, ResponseLimits, StalledStreamProtection, TransportError,
};

/// The configuration given to the client could not be built.
#[derive(Debug)]
struct InvalidConfig(Arc<ConfigError>);

impl fmt::Display for InvalidConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the client's configuration is invalid")
    }
}

impl std::error::Error for InvalidConfig {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}

/// What the runtime needs to know about a service; generated once per service
/// as a `static`.
#[derive(Debug)]
pub struct ServiceMeta {
    /// The SDK id, e.g. `ivschat` (used in the user agent and traces).
    pub sdk_id: &'static str,
    /// The SigV4 signing name, e.g. `ivschat`.
    pub signing_name: &'static str,
    /// The API version, e.g. `2020-07-14`.
    pub api_version: &'static str,
    /// The endpoint rule set, as JSON text.
    pub endpoint_rule_set: &'static str,
    /// The partitions document (`partitions.json`), as JSON text.
    pub partitions: &'static str,
    /// The partitions' region regexes, compiled by the generator.
    pub region_matcher: RegionMatcher,
}

/// What the runtime needs to know about an operation; generated once per
/// operation as a `static`.
#[derive(Debug, Clone, Copy)]
pub struct OperationMeta {
    /// The operation's name, e.g. `CreateRoom` (used in traces).
    pub name: &'static str,
    /// Error codes the model marks `@retryable` for this operation (beyond
    /// the standard throttling and transient ones).
    pub retryable_errors: &'static [&'static str],
    /// Those of them marked `@retryable(throttling: true)`: retried as
    /// throttling, with its backoff (botocore's `ModeledRetryErrorDetector`).
    pub throttling_errors: &'static [&'static str],
    /// Every error code the model gives this operation, retryable or not: a
    /// 429 carrying one of them is retried only if the model says so (as
    /// botocore's `ThrottlingStatusCodeChecker`).
    pub errors: &'static [&'static str],
    /// The model requires a `Content-MD5` header (`@httpChecksumRequired`).
    pub checksum_required: bool,
    /// The request body may be gzip-compressed (`@requestCompression`).
    pub request_compression: bool,
}

/// What `Client::from_conf` accepts: a [`Config`], or the result of
/// `ConfigBuilder::build` (aws-sdk's `build()` returns the config itself).
/// A configuration error is not lost: every call of the client fails with it,
/// as a construction failure.
pub trait IntoConfig {
    /// The config, or why it could not be built.
    fn into_config(self) -> Result<Config, ConfigError>;
}

impl IntoConfig for Config {
    fn into_config(self) -> Result<Config, ConfigError> {
        Ok(self)
    }
}

impl IntoConfig for Result<Config, ConfigError> {
    fn into_config(self) -> Result<Config, ConfigError> {
        self
    }
}

/// A service client's request pipeline: config, endpoint cache and retry
/// quota. Cheap to clone; clones share the cache and quota.
///
/// [`dispatch`](Runtime::dispatch) takes the [`HttpRequest`] a generated serializer
/// built and: resolves the endpoint (once per runtime, from the config and
/// the service's rule set), sets `host` and `user-agent`, fetches
/// credentials and signs each attempt with SigV4, sends it through the
/// configured transport, retries throttling, transient failures and timeouts
/// per the retry config, reads each response body within the config's
/// `max_response_body_size` and stalled-stream protection (through
/// [`HttpTransport::send_streaming`], whatever the transport), bounds each
/// attempt by the attempt timeout, enforces the operation timeout, and records a
/// `tracing` span per call (`awsrt.call`: service, operation, attempts,
/// status) with one `attempt` span per attempt. It returns the final raw
/// response as a [`Reply`]: a success, or an error response with its
/// [`ErrorMetadata`], which [`Reply::parse`] hands to the operation's parsers.
/// `dispatch_streaming` (feature `event-stream`) does the same for
/// operations whose output body is read as a stream (event streams);
/// [`send`](Runtime::send) returns the response whatever its status.
///
/// A request with an event-stream body (feature `event-stream`, see
/// `HttpRequest::set_event_stream`) is signed for streaming and each of its
/// messages is signed as it is sent. It is attempted at most once after a
/// transport took its body: a failure before that (e.g. connecting) is
/// retried as usual, a failure or retryable error response after it is
/// returned as it is.
#[derive(Clone)]
pub struct Runtime {
    inner: Arc<Inner>,
}

struct Inner {
    /// Why the configuration given could not be built: every call fails with it.
    invalid: Option<Arc<ConfigError>>,
    config: Config,
    service: &'static ServiceMeta,
    endpoint: OnceLock<Result<Target, EndpointError>>,
    quota: Mutex<RetryQuota>,
    /// Adaptive mode's rate limiter, and the instant its clock starts at.
    limiter: Option<(Mutex<ClientRateLimiter>, tokio::time::Instant)>,
    /// The offset from our clock to the service's, learned from responses.
    skew: LearnedSkew,
    /// The user agent, made once.
    user_agent: String,
}

/// Where a runtime's calls go, worked out once per runtime (a per-call
/// `config_override` makes a runtime of its own): the endpoint the rules
/// resolved and the `host` header for it.
struct Target {
    endpoint: Endpoint,
    /// The endpoint URL's authority: the `host` header.
    host: String,
}

impl Runtime {
    /// A runtime for `service` with `config`.
    pub fn new(config: Config, service: &'static ServiceMeta) -> Self {
        Self::with_state(config, service, None)
    }

    fn with_state(
        config: Config,
        service: &'static ServiceMeta,
        invalid: Option<Arc<ConfigError>>,
    ) -> Self {
        let limiter = (config.retry().mode() == RetryMode::Adaptive).then(|| {
            (
                Mutex::new(ClientRateLimiter::new(0.0)),
                tokio::time::Instant::now(),
            )
        });
        let user_agent = crate::client::user_agent::user_agent(
            service.sdk_id,
            service.api_version,
            config.app_name(),
        );
        Runtime {
            inner: Arc::new(Inner {
                invalid,
                config,
                service,
                endpoint: OnceLock::new(),
                quota: Mutex::new(RetryQuota::new()),
                limiter,
                skew: LearnedSkew::default(),
                user_agent,
            }),
        }
    }

    /// Whether this runtime stands for a config that failed to build (each
    /// of its calls fails with that error).
    pub(crate) fn config_failed(&self) -> bool {
        self.inner.invalid.is_some()
    }

    /// A runtime for `service` from the result of building a config: when
    /// that failed, every call fails with the configuration error (a
    /// construction failure) instead of the client panicking.
    pub fn from_config(config: impl IntoConfig, service: &'static ServiceMeta) -> Self {
        match config.into_config() {
            Ok(config) => Self::new(config, service),
            Err(e) => Self::with_state(Config::placeholder(), service, Some(Arc::new(e))),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The service this runtime calls.
    pub fn service(&self) -> &'static ServiceMeta {
        self.inner.service
    }

    /// The endpoint for `region` and its `host`, resolved on first use.
    fn target(&self, region: &str) -> Result<&Target, EndpointError> {
        self.inner
            .endpoint
            .get_or_init(|| {
                let config = &self.inner.config;
                let resolver = EndpointResolver::from_json(
                    self.inner.service.endpoint_rule_set,
                    self.inner.service.partitions,
                    self.inner.service.region_matcher,
                )?;
                let params = resolver.builtin_params(
                    Some(region),
                    config.use_fips(),
                    config.use_dual_stack(),
                    config.endpoint_url(),
                );
                let endpoint = resolver.resolve(&params)?;
                let uri = check_scheme(endpoint.url(), config.endpoint_url())?;
                let host = authority_of(&uri, endpoint.url()).map_err(EndpointError::Evaluation)?;
                Ok(Target { endpoint, host })
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Sends `request` for operation `op`; see [`Runtime`] for the steps.
    /// The [`Reply`] holds the final response, and for an error response
    /// the [`ErrorMetadata`] read from it; [`Reply::parse`] gives the
    /// operation's result.
    ///
    /// The future is boxed, and this function is never inlined, so that the
    /// pipeline is compiled once, here: a crate awaiting an `async fn` of
    /// another compiles its state machine (and those of every `async fn` it
    /// awaits) again, so each generated crate would carry the whole pipeline.
    #[inline(never)]
    pub fn dispatch<'a>(
        &'a self,
        request: HttpRequest,
        op: &'a OperationMeta,
    ) -> BoxFuture<'a, Result<Reply, SendError>> {
        Box::pin(self.run::<HttpResponse>(request, op))
    }

    /// Like [`dispatch`](Runtime::dispatch), for an operation whose output
    /// body is read as a stream (an event stream): the attempts are the
    /// same, but a 2xx response is handed on as soon as its head arrives,
    /// with its body still to read. Any other response is read whole and
    /// retried as usual.
    ///
    /// The operation timeout covers the attempts until a 2xx head arrives,
    /// not the reading of the stream (the transport's read timeout still
    /// bounds each wait for a chunk).
    #[cfg(feature = "event-stream")]
    #[inline(never)]
    pub fn dispatch_streaming<'a>(
        &'a self,
        request: HttpRequest,
        op: &'a OperationMeta,
    ) -> BoxFuture<'a, Result<Reply<StreamingResponse>, SendError>> {
        Box::pin(self.run::<Streamed>(request, op))
    }

    /// Sends `request` for operation `op` and returns the final response,
    /// whatever its status.
    pub async fn send(
        &self,
        request: HttpRequest,
        op: &OperationMeta,
    ) -> Result<HttpResponse, SendError> {
        Ok(self.dispatch(request, op).await?.into_response())
    }

    /// The pipeline behind [`dispatch`](Runtime::dispatch) and
    /// [`dispatch_streaming`](Runtime::dispatch_streaming): the attempts,
    /// under the call's span and the operation timeout; `X` says how an
    /// attempt sends its request and reads the response.
    async fn run<X: Exchange>(
        &self,
        request: HttpRequest,
        op: &OperationMeta,
    ) -> Result<Reply<X::Success>, SendError> {
        if let Some(e) = &self.inner.invalid {
            return Err(SendError::Construction(ConstructionFailure::new(
                InvalidConfig(e.clone()),
            )));
        }
        let span = tracing::info_span!(
            "awsrt.call",
            service = self.inner.service.sdk_id,
            operation = op.name,
            attempts = Empty,
            status = Empty,
        );
        // Boxed: the attempts' state is a few kilobytes, which every future
        // awaiting it (up to the caller's) would otherwise hold and move.
        let attempts = Box::pin(
            self.send_attempts::<X>(request, op, span.clone())
                .instrument(span),
        );
        match self.config().timeouts().operation_timeout() {
            Some(limit) => tokio::time::timeout(limit, attempts)
                .await
                .unwrap_or_else(|_| Err(SendError::Timeout(TimeoutError::operation(limit)))),
            None => attempts.await,
        }
    }

    async fn send_attempts<X: Exchange>(
        &self,
        mut request: HttpRequest,
        op: &OperationMeta,
        span: tracing::Span,
    ) -> Result<Reply<X::Success>, SendError> {
        let config = self.config();
        let service = self.inner.service;
        let construction = |e: BoxError| SendError::Construction(ConstructionFailure::new(e));
        if body_taken(&request) {
            return Err(construction(
                "the event stream was already sent: a request with an event-stream body \
                 can be sent only once"
                    .into(),
            ));
        }
        let region = config
            .resolve_region()
            .await
            .map_err(|e| construction(e.into()))?;
        let target = self.target(region).map_err(|e| construction(e.into()))?;
        let endpoint = &target.endpoint;
        let (name_override, region_override) = endpoint.sigv4_overrides();
        let host = if config.host_prefix_enabled() && !request.host_prefix().is_empty() {
            let url =
                with_host_prefix(endpoint.url(), request.host_prefix()).map_err(construction)?;
            request.set_endpoint(&url);
            host_of(&url).map_err(|e| construction(e.into()))?
        } else {
            request.set_endpoint(endpoint.url());
            target.host.clone()
        };
        for (name, value) in endpoint.headers() {
            request.append_header(name, value.as_str());
        }
        request.set_header("host", host);
        let body_traits = body::BodyTraits {
            checksum_required: op.checksum_required,
            request_compression: op.request_compression,
        };
        body::prepare(&mut request, body_traits, config).map_err(construction)?;
        check_headers(&request).map_err(construction)?;
        let limits = if has_event_stream(&request) {
            // Event streams may idle by design: no stalled-stream protection
            // (as in the AWS SDKs).
            ResponseLimits {
                stalled_stream: StalledStreamProtection::disabled(),
                ..config.response_limits()
            }
        } else {
            config.response_limits()
        };
        let attempt_timeout = config.timeouts().operation_attempt_timeout();
        let retry = config.retry();
        let invocation_id = crate::input::idempotency_token();
        let mut last_retry_cost = None;
        let mut skew_retried = false;
        let mut seen_date = false;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            self.wait_for_send_token().await;
            let credentials = config
                .credentials_provider()
                .provide_credentials()
                .await
                .map_err(|e| construction(e.into()))?;
            let mut signed = request.clone();
            // One clock read per attempt: the signing time (corrected by the
            // learned skew) and the send time of the skew measurement.
            let sent_at = config.time_source().now();
            let scope = SigningScope {
                region: region_override.unwrap_or(region),
                service: name_override.unwrap_or(service.signing_name),
                time: self.inner.skew.get().apply(sent_at),
            };
            let signature =
                sign::sign(&mut signed, &credentials, scope).map_err(|e| construction(e.into()))?;
            // An event stream's messages are signed as they are sent, in a
            // chain that starts at the request's signature.
            #[cfg(feature = "event-stream")]
            if signed.has_event_stream() {
                signed.set_event_stream_signer(
                    crate::client::event_stream::EventStreamSigner::new(
                        &credentials,
                        &scope,
                        std::sync::Arc::new(crate::client::clock_skew::SkewedClock {
                            inner: config.time_source().clone(),
                            skew: self.inner.skew.get(),
                        }),
                        signature,
                    ),
                );
            }
            #[cfg(not(feature = "event-stream"))]
            let _ = signature;
            // Set after signing, so not signed: botocore does not sign them
            // (and aws-sigv4 never signs `user-agent`).
            self.set_invocation_headers(&mut signed, &invocation_id, attempt, seen_date);
            let exchange = X::exchange(config.transport().as_ref(), signed, limits)
                .instrument(tracing::debug_span!("attempt", number = attempt));
            // Awaited in place (not through a helper taking the future):
            // the attempt's state is then held once, not twice.
            let outcome = match attempt_timeout {
                Some(limit) => tokio::time::timeout(limit, exchange)
                    .await
                    .unwrap_or_else(|_| Err(TransportError::timeout(AttemptTimedOut(limit)))),
                None => exchange.await,
            };
            let skew = outcome.as_ref().ok().and_then(|x| {
                ClockSkew::measure(x.response(), sent_at, || config.time_source().now())
            });
            if let Some(skew) = skew {
                seen_date = true;
                tracing::trace!(skew_ms = skew.millis(), "clock skew measured");
                self.inner.skew.set(skew);
            }
            // An error response's body is parsed once, here.
            let error = outcome
                .as_ref()
                .ok()
                .map(X::response)
                .filter(|response| !response.is_success())
                .map(ErrorMetadata::from_response);
            let mut kind = classify(&outcome, error.as_ref(), op, attempt);
            if kind.is_none() && !skew_retried && is_skew_error(error.as_ref(), skew) {
                skew_retried = true;
                kind = Some(RetryKind::ClockSkew);
            }
            self.record_outcome(kind);
            if kind.is_some() && !reclaim_body(&request) {
                tracing::debug!(attempt, "not retrying: the event stream was already sent");
                kind = None;
            }
            if let Some(kind) = kind.filter(|_| attempt < retry.max_attempts()) {
                let cost = self
                    .inner
                    .quota
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .acquire(kind);
                if let Some(cost) = cost {
                    last_retry_cost = Some(cost);
                    let retry_after = outcome
                        .as_ref()
                        .ok()
                        .and_then(|x| retry::retry_after(x.response()));
                    let delay = retry.backoff(kind, attempt, retry_after, fastrand::f64());
                    tracing::debug!(
                        attempt,
                        ?kind,
                        delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                        "retrying"
                    );
                    tokio::time::sleep(delay).await;
                    continue;
                }
                tracing::debug!(attempt, ?kind, "not retrying: the retry quota is exhausted");
            }
            span.record("attempts", attempt);
            return match outcome {
                Ok(exchange) => {
                    let response = exchange.response();
                    span.record("status", response.status());
                    if response.is_success() {
                        self.inner
                            .quota
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .release(last_retry_cost);
                    }
                    Ok(exchange.into_reply(error))
                }
                Err(e) if e.is_timeout() => Err(SendError::Timeout(
                    match std::error::Error::source(&e)
                        .and_then(|s| s.downcast_ref::<AttemptTimedOut>())
                    {
                        Some(&AttemptTimedOut(limit)) => TimeoutError::operation_attempt(limit),
                        None => TimeoutError::transport(e),
                    },
                )),
                Err(e) => Err(SendError::Dispatch(e)),
            };
        }
    }
}

/// The attempt timeout elapsed: the source of the attempt's
/// [`TransportError`] (a timeout, retried like one).
#[derive(Debug)]
struct AttemptTimedOut(Duration);

impl fmt::Display for AttemptTimedOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "operation attempt timeout of {:?} elapsed", self.0)
    }
}

impl std::error::Error for AttemptTimedOut {}

impl Runtime {
    /// Adaptive mode: waits for the rate limiter's token (no wait in
    /// standard mode, nor before the first throttling response).
    async fn wait_for_send_token(&self) {
        let Some((limiter, origin)) = &self.inner.limiter else {
            return;
        };
        let now = origin.elapsed().as_secs_f64();
        let wait = limiter
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .acquire(now);
        if let Ok(wait) = std::time::Duration::try_from_secs_f64(wait) {
            if !wait.is_zero() {
                tracing::debug!(
                    wait_ms = wait.as_millis() as u64,
                    "adaptive retry: waiting to send"
                );
                tokio::time::sleep(wait).await;
            }
        }
    }

    /// Adaptive mode: tells the rate limiter how an attempt went.
    fn record_outcome(&self, kind: Option<RetryKind>) {
        if let Some((limiter, origin)) = &self.inner.limiter {
            let now = origin.elapsed().as_secs_f64();
            limiter
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .on_response(now, kind.is_some_and(|k| k.is_throttling()));
        }
    }

    /// `user-agent`, `x-amz-user-agent`, `amz-sdk-invocation-id` (the same
    /// on every attempt of a call) and `amz-sdk-request`
    /// (`ttl=...; attempt=N; max=M`, `ttl` on retries once a response gave
    /// the service's time, as botocore sends it).
    fn set_invocation_headers(
        &self,
        request: &mut HttpRequest,
        invocation_id: &str,
        attempt: u32,
        seen_date: bool,
    ) {
        let config = self.config();
        request.set_header("user-agent", self.inner.user_agent.clone());
        request.set_header("x-amz-user-agent", self.inner.user_agent.clone());
        request.set_header("amz-sdk-invocation-id", invocation_id);
        let mut value = String::with_capacity(48);
        if let (true, Some(read)) = (seen_date && attempt > 1, config.timeouts().read_timeout()) {
            let now = self.inner.skew.get().apply(config.time_source().now());
            if let Some(ttl) = now.checked_add(read).and_then(format_ttl) {
                let _ = write!(value, "ttl={ttl}; ");
            }
        }
        let max = config.retry().max_attempts();
        let _ = write!(value, "attempt={attempt}; max={max}");
        request.set_header("amz-sdk-request", value);
    }
}

/// `YYYYMMDDTHHMMSSZ`, as in botocore's `ttl`: the RFC 3339 form of `t`
/// (whole seconds) without its separators.
fn format_ttl(t: std::time::SystemTime) -> Option<String> {
    let secs = crate::primitives::DateTime::from(t).secs();
    let text = crate::primitives::DateTime::from_secs(secs)
        .fmt(crate::primitives::Format::DateTime)
        .ok()?;
    Some(text.chars().filter(|c| !matches!(c, '-' | ':')).collect())
}

/// Whether an error response (its metadata `error`) rejects the signature's
/// time while our clock is off by more than the threshold.
fn is_skew_error(error: Option<&ErrorMetadata>, skew: Option<ClockSkew>) -> bool {
    skew.is_some_and(ClockSkew::is_significant)
        && error
            .and_then(ErrorMetadata::code)
            .is_some_and(|code| CLOCK_SKEW_ERROR_CODES.contains(&code))
}

/// How one attempt sends its signed request and what it reads back.
trait Exchange: Sized + Send {
    /// What a 2xx response is handed on as.
    type Success;

    /// Sends `request` through `transport`, reading bodies within `limits`.
    fn exchange(
        transport: &dyn HttpTransport,
        request: HttpRequest,
        limits: ResponseLimits,
    ) -> impl Future<Output = Result<Self, TransportError>> + Send + '_;

    /// The response to classify: whole if it is an error response.
    fn response(&self) -> &HttpResponse;

    /// The last attempt's reply; `error` is the metadata of an error response.
    fn into_reply(self, error: Option<ErrorMetadata>) -> Reply<Self::Success>;
}

/// [`Runtime::send`]: the whole response, read through
/// [`HttpTransport::send_streaming`] so that the runtime bounds its size and
/// watches its throughput, whatever the transport. A request with an
/// event-stream body goes through [`HttpTransport::send_limited`] (which
/// reads the response once the stream is sent, within the limits).
impl Exchange for HttpResponse {
    type Success = HttpResponse;

    async fn exchange(
        transport: &dyn HttpTransport,
        request: HttpRequest,
        limits: ResponseLimits,
    ) -> Result<Self, TransportError> {
        if has_event_stream(&request) {
            return transport.send_limited(request, limits).await;
        }
        let response = transport.send_streaming(request).await?;
        response.collect_limited(&limits).await
    }

    fn response(&self) -> &HttpResponse {
        self
    }

    fn into_reply(self, error: Option<ErrorMetadata>) -> Reply {
        match error {
            Some(meta) => Reply::Error(self, meta),
            None => Reply::Success(self),
        }
    }
}

/// [`Runtime::dispatch_streaming`]: the head of a 2xx response, with its body
/// still to read, or a whole error response.
#[cfg(feature = "event-stream")]
enum Streamed {
    Head(StreamingResponse),
    Whole(HttpResponse),
}

#[cfg(feature = "event-stream")]
impl Exchange for Streamed {
    type Success = StreamingResponse;

    async fn exchange(
        transport: &dyn HttpTransport,
        request: HttpRequest,
        limits: ResponseLimits,
    ) -> Result<Self, TransportError> {
        let response = transport.send_streaming(request).await?;
        if response.head().is_success() {
            Ok(Streamed::Head(response))
        } else {
            // An event-stream operation: its error response is read whole,
            // within the size limit, without stalled-stream protection.
            let limits = ResponseLimits {
                stalled_stream: StalledStreamProtection::disabled(),
                ..limits
            };
            Ok(Streamed::Whole(response.collect_limited(&limits).await?))
        }
    }

    fn response(&self) -> &HttpResponse {
        match self {
            Streamed::Head(response) => response.head(),
            Streamed::Whole(response) => response,
        }
    }

    fn into_reply(self, error: Option<ErrorMetadata>) -> Reply<StreamingResponse> {
        match self {
            Streamed::Head(response) => Reply::Success(response),
            Streamed::Whole(response) => {
                let meta = error.unwrap_or_else(|| ErrorMetadata::from_response(&response));
                Reply::Error(response, meta)
            }
        }
    }
}

/// Classifies one attempt's outcome and traces it; `error` is the metadata
/// of an error response.
fn classify<X: Exchange>(
    outcome: &Result<X, TransportError>,
    error: Option<&ErrorMetadata>,
    op: &OperationMeta,
    attempt: u32,
) -> Option<RetryKind> {
    match (outcome.as_ref().map(X::response), error) {
        (Ok(response), Some(meta)) => {
            tracing::debug!(
                attempt,
                status = response.status(),
                error_code = meta.code().map(crate::shown::shown),
                request_id = meta.request_id().map(crate::shown::shown),
                "error response"
            );
            let modeled = retry::ModeledErrors {
                retryable: op.retryable_errors,
                throttling: op.throttling_errors,
                all: Some(op.errors),
            };
            retry::classify_response(response, meta.code(), &modeled)
        }
        (Ok(response), None) => {
            tracing::debug!(attempt, status = response.status(), "response");
            None
        }
        (Err(error), _) => {
            tracing::debug!(attempt, %error, "transport failure");
            retry::classify_transport(error)
        }
    }
}

/// Whether `request`'s body is an event stream.
fn has_event_stream(request: &HttpRequest) -> bool {
    #[cfg(feature = "event-stream")]
    {
        request.has_event_stream()
    }
    #[cfg(not(feature = "event-stream"))]
    {
        let _ = request;
        false
    }
}

/// Every header name and value of `request` must be valid in HTTP (they
/// come from the model, the config and the caller's input): an invalid one
/// fails the call before signing, naming the header but not showing the
/// value.
fn check_headers(request: &HttpRequest) -> Result<(), BoxError> {
    for (name, value) in request.headers() {
        if http::HeaderName::from_bytes(name.as_bytes()).is_err() {
            return Err(format!("invalid HTTP header name `{}`", crate::shown::shown(name)).into());
        }
        if http::HeaderValue::from_str(value).is_err() {
            return Err(format!(
                "header `{name}` has a value that is not valid in HTTP \
                 (control characters or line breaks)"
            )
            .into());
        }
    }
    Ok(())
}

/// An endpoint `url` the rules resolved must be a URI with the https scheme,
/// or http when the caller set an http `endpoint_url` themselves.
fn check_scheme(url: &str, endpoint_url: Option<&str>) -> Result<http::Uri, EndpointError> {
    use http::uri::Scheme;
    let resolved = url.parse::<http::Uri>().map_err(|e| {
        EndpointError::Evaluation(format!(
            "the endpoint rules resolved `{}`, which is not a valid URI: {e}",
            crate::shown::shown(url)
        ))
    })?;
    let explicit_http = || {
        endpoint_url
            .and_then(|u| u.parse::<http::Uri>().ok())
            .is_some_and(|u| u.scheme() == Some(&Scheme::HTTP))
    };
    match resolved.scheme() {
        Some(s) if *s == Scheme::HTTPS => Ok(resolved),
        Some(s) if *s == Scheme::HTTP && explicit_http() => Ok(resolved),
        _ => Err(EndpointError::Evaluation(format!(
            "the endpoint rules resolved `{}`, which is not https; \
             only an endpoint_url set in the config may use plain http",
            crate::shown::shown(url)
        ))),
    }
}

/// Whether `request` has an event-stream body a transport already took: it
/// cannot be sent (so retried) again.
fn body_taken(request: &HttpRequest) -> bool {
    #[cfg(feature = "event-stream")]
    {
        request.event_stream_sent()
    }
    #[cfg(not(feature = "event-stream"))]
    {
        let _ = request;
        false
    }
}

/// Keeps `request`'s event-stream body for another attempt: `false` if a
/// transport already took it (the request cannot be retried).
fn reclaim_body(request: &HttpRequest) -> bool {
    #[cfg(feature = "event-stream")]
    {
        request.reclaim_event_stream()
    }
    #[cfg(not(feature = "event-stream"))]
    {
        let _ = request;
        true
    }
}

/// `url` with `prefix` put before its host: `https://example.com/base` with
/// `data.` gives `https://data.example.com/base`.
fn with_host_prefix(url: &str, prefix: &str) -> Result<String, BoxError> {
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| format!("endpoint `{}` has no scheme", crate::shown::shown(url)))?;
    Ok(format!("{scheme}://{prefix}{rest}"))
}

/// The `host` header for an endpoint URL: its authority, without a default
/// port; or why the URL has none.
fn host_of(url: &str) -> Result<String, String> {
    let uri: http::Uri = url.parse().map_err(|e| {
        format!(
            "endpoint `{}` is not a valid URI: {e}",
            crate::shown::shown(url)
        )
    })?;
    authority_of(&uri, url)
}

/// The `host` header for `uri` (parsed from `url`): its authority, without
/// the scheme's default port.
fn authority_of(uri: &http::Uri, url: &str) -> Result<String, String> {
    let authority = uri
        .authority()
        .ok_or_else(|| format!("endpoint `{}` has no host", crate::shown::shown(url)))?;
    let default_port = match uri.scheme_str() {
        Some("https") => Some(443),
        Some("http") => Some(80),
        _ => None,
    };
    Ok(match authority.port_u16() {
        Some(port) if Some(port) != default_port => format!("{}:{port}", authority.host()),
        _ => authority.host().to_owned(),
    })
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runtime")
            .field("service", &self.inner.service.sdk_id)
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolved_endpoints_must_be_https_unless_the_config_set_http() {
        for (url, endpoint_url) in [
            ("https://ivschat.us-west-2.amazonaws.com", None),
            ("HTTPS://Example.com/base", None),
            ("http://127.0.0.1:8080", Some("HTTP://127.0.0.1:8080")),
            ("https://example.com", Some("http://127.0.0.1:8080")),
        ] {
            assert!(check_scheme(url, endpoint_url).is_ok(), "{url}");
        }
        let not_https = |url: &str| {
            format!(
                "endpoint rule evaluation failed: the endpoint rules resolved `{url}`, \
                 which is not https; only an endpoint_url set in the config may use plain http"
            )
        };
        for (url, endpoint_url) in [
            ("http://plain.example.com", None),
            (
                "http://plain.example.com",
                Some("https://plain.example.com"),
            ),
            // An http endpoint_url allows http, not any other scheme.
            ("ftp://example.com", Some("http://example.com")),
            ("example.com", None),
        ] {
            let err = check_scheme(url, endpoint_url).unwrap_err().to_string();
            assert_eq!(err, not_https(url));
        }
        let err = check_scheme("https://exa mple.com\u{1b}", None)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                "endpoint rule evaluation failed: the endpoint rules resolved \
                 `https://exa mple.com\\u{1b}`, which is not a valid URI"
            ),
            "{err}"
        );
    }

    #[test]
    fn invalid_header_values_fail_without_being_shown() {
        let mut request = HttpRequest::new(crate::client::http::Method::Get, "/");
        request.set_header("x-ok", "fine");
        assert!(check_headers(&request).is_ok());
        request.set_header("x-amz-meta", "secret\r\nx-injected: 1");
        let err = check_headers(&request).unwrap_err().to_string();
        assert!(err.contains("`x-amz-meta`"), "{err}");
        assert!(
            !err.contains("secret") && !err.contains("injected"),
            "{err}"
        );
        let mut request = HttpRequest::new(crate::client::http::Method::Get, "/");
        request.set_header("bad name\n", "v");
        let err = check_headers(&request).unwrap_err().to_string();
        assert_eq!(err, "invalid HTTP header name `bad name\\n`");
    }

    #[test]
    fn host_drops_default_ports_only() {
        assert_eq!(
            host_of("https://ivschat.us-west-2.amazonaws.com").unwrap(),
            "ivschat.us-west-2.amazonaws.com"
        );
        assert_eq!(
            host_of("https://example.com:443/base").unwrap(),
            "example.com"
        );
        assert_eq!(host_of("http://127.0.0.1:8080").unwrap(), "127.0.0.1:8080");
        assert_eq!(host_of("https://example.com:80").unwrap(), "example.com:80");
        assert!(host_of("/relative").is_err());
    }
}
