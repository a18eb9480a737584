//! The HTTP transport: a trait, so tests and unusual stacks can plug in their own.
//!
//! The default implementation is [`HyperTransport`](crate::client::HyperTransport)
//! (hyper 1 + rustls); [`TestTransport`](crate::client::TestTransport) answers
//! from memory.
//!
//! Most operations read the whole response with [`HttpTransport::send`];
//! operations whose output is an event stream read it chunk by chunk as it
//! arrives with [`HttpTransport::send_streaming`], which returns a
//! [`StreamingResponse`]: the head, and the body as a [`BodyStream`].
//!
//! It also owns what bounds a response body whatever the transport: the
//! size limit ([`ResponseLimits`]) and stalled-stream protection; and the
//! one lazy timer a wait for the network runs under (`bounded`: a read
//! deadline and a throughput check), which the hyper transport uses too.
//! It stands on `http` and `boxed` only: how a transport sends an event-stream body is
//! `event_stream`'s business (`HttpRequest::event_stream_frames`).

use std::collections::VecDeque;
use std::error::Error;
use std::fmt;
use std::future::Future;
use std::task::Poll;
use std::time::Duration;

use aws_smithy_runtime_api::client::stalled_stream_protection::StalledStreamProtectionConfig;
use bytes::{Bytes, BytesMut};
use tokio::time::Instant;

use crate::client::boxed::{BoxError, BoxFuture};
use crate::client::http::{HttpRequest, HttpResponse};

/// Sends one HTTP request and reads the response.
///
/// Implementations apply their own connect and read timeouts and report them
/// as [`TransportError::timeout`]; the runtime handles retries, signing and
/// the operation timeout.
pub trait HttpTransport: Send + Sync + fmt::Debug {
    /// Sends `request` (already signed, with an absolute URI) and reads the
    /// whole response.
    ///
    /// An event-stream body (feature `event-stream`) is not in
    /// [`HttpRequest::body`]: a transport gets its frames from
    /// `HttpRequest::event_stream_frames` (and must not retry it itself).
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>>;

    /// Like [`send`](HttpTransport::send), reading the response body within
    /// `limits` (see [`StreamingResponse::collect_limited`]): what the
    /// runtime calls for a request with an event-stream body, whose response
    /// is read once the stream is sent.
    ///
    /// The default implementation calls `send` and checks the body's size
    /// afterwards; a transport that reads from the network overrides it so
    /// that a server cannot make it hold more than the limit.
    fn send_limited(
        &self,
        request: HttpRequest,
        limits: ResponseLimits,
    ) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let response = self.send(request);
        Box::pin(async move {
            let response = response.await?;
            if response.body().len() as u64 > limits.max_body_size {
                return Err(ResponseTooLarge::error(limits.max_body_size, None));
            }
            Ok(response)
        })
    }

    /// Sends `request` and returns as soon as the response head arrives; the
    /// body is read chunk by chunk from the returned [`StreamingResponse`].
    ///
    /// A request whose body is an event stream (feature `event-stream`,
    /// `HttpRequest::event_stream_frames`) is sent as a streaming body, its
    /// frames sent as the caller produces them while the response is read:
    /// this is what bidirectional operations use.
    ///
    /// The default implementation calls [`send`](HttpTransport::send) and
    /// serves the whole body as a single chunk, so a transport that only
    /// implements `send` still works (it just does not stream; it must still
    /// send an event-stream body, from `HttpRequest::event_stream_frames`,
    /// if it is to serve bidirectional operations).
    fn send_streaming(
        &self,
        request: HttpRequest,
    ) -> BoxFuture<'_, Result<StreamingResponse, TransportError>> {
        let response = self.send(request);
        Box::pin(async move { response.await.map(StreamingResponse::from) })
    }
}

/// A response body read one chunk at a time, as the chunks arrive.
///
/// Implementations apply the transport's read timeout to each wait for a
/// chunk and report failures as [`TransportError`]s.
pub trait BodyStream: Send + fmt::Debug {
    /// The next chunk of the body: `None` once the body has ended. Chunks may
    /// have any size and split the body anywhere.
    fn next_chunk(&mut self) -> BoxFuture<'_, Option<Result<Bytes, TransportError>>>;

    /// Asks the body to apply `protection`'s limit for response bodies
    /// itself from now on, checking it under the timer it already waits for
    /// data with; returns whether it will.
    ///
    /// The default, `false`, leaves it to the reader
    /// ([`StreamingResponse::collect_limited`]), which then watches each wait
    /// for a chunk with a timer of its own: a body that applies a read
    /// timeout overrides this so that a pending chunk holds one timer.
    fn watch_throughput(&mut self, protection: &StalledStreamProtection) -> bool {
        let _ = protection;
        false
    }
}

/// A [`BodyStream`] over a body that is already in memory: one chunk (none
/// if it is empty).
#[derive(Debug)]
struct WholeBody(Option<Bytes>);

impl BodyStream for WholeBody {
    fn next_chunk(&mut self) -> BoxFuture<'_, Option<Result<Bytes, TransportError>>> {
        let chunk = self.0.take().filter(|b| !b.is_empty());
        Box::pin(std::future::ready(chunk.map(Ok)))
    }
}

/// A response whose head (status and headers) has arrived and whose body is
/// read as a [`BodyStream`]: what [`HttpTransport::send_streaming`] returns.
#[derive(Debug)]
pub struct StreamingResponse {
    head: HttpResponse,
    body: Box<dyn BodyStream>,
}

impl StreamingResponse {
    /// A response with the status and headers of `head` and the body `body`
    /// (a body `head` may have is dropped).
    pub fn new(head: HttpResponse, body: Box<dyn BodyStream>) -> Self {
        let head = if head.body().is_empty() {
            head
        } else {
            head.with_body(Bytes::new())
        };
        StreamingResponse { head, body }
    }

    /// The status code.
    pub fn status(&self) -> u16 {
        self.head.status()
    }

    /// The status and headers (the body is empty).
    pub fn head(&self) -> &HttpResponse {
        &self.head
    }

    /// The head and the body stream.
    pub fn into_parts(self) -> (HttpResponse, Box<dyn BodyStream>) {
        (self.head, self.body)
    }

    /// Reads the rest of the body within `limits`: fails with a
    /// [`ResponseTooLarge`] error (kind [`TransportErrorKind::Other`], not
    /// retried) as soon as the body is known to be larger than
    /// [`ResponseLimits::max_body_size`] (from `Content-Length` before
    /// reading anything, else once more bytes than that arrived), and with a
    /// [`StalledStream`] error (kind [`TransportErrorKind::Timeout`]) if the
    /// body arrives more slowly than the stalled-stream protection allows.
    pub async fn collect_limited(
        self,
        limits: &ResponseLimits,
    ) -> Result<HttpResponse, TransportError> {
        let StreamingResponse { head, mut body } = self;
        let max = limits.max_body_size;
        let content_length = head
            .header("content-length")
            .and_then(|v| v.trim().parse::<u64>().ok());
        if let Some(length) = content_length.filter(|&n| n > max) {
            return Err(ResponseTooLarge::error(max, Some(length)));
        }
        let protection = &limits.stalled_stream;
        // The body watches its own throughput if it can; if not, it is
        // watched here.
        let mut monitor = (protection.download_enabled() && !body.watch_throughput(protection))
            .then(|| ThroughputMonitor::new(protection, Direction::Download));
        // The common single-chunk body is kept as it is, without a copy;
        // from the second chunk on they are gathered in `data`.
        let mut first = Bytes::new();
        let mut data: Option<BytesMut> = None;
        while let Some(chunk) = next_watched(body.as_mut(), monitor.as_mut()).await {
            let chunk = chunk?;
            let read = data.as_ref().map_or(first.len(), BytesMut::len);
            if (read as u64).saturating_add(chunk.len() as u64) > max {
                return Err(ResponseTooLarge::error(max, content_length));
            }
            match data.as_mut() {
                Some(data) => data.extend_from_slice(&chunk),
                None if first.is_empty() => first = chunk,
                None => {
                    // Never reserve more than 1 MiB up front on the server's word.
                    let reserve = content_length.unwrap_or(0).min(1 << 20);
                    let reserve = usize::try_from(reserve).unwrap_or(0);
                    let mut gathered = BytesMut::with_capacity(reserve.max(read + chunk.len()));
                    gathered.extend_from_slice(&first);
                    gathered.extend_from_slice(&chunk);
                    data = Some(gathered);
                }
            }
        }
        Ok(head.with_body(data.map_or(first, BytesMut::freeze)))
    }

    /// Reads the rest of the body: the whole response, however large and
    /// however slowly it arrives (see
    /// [`collect_limited`](StreamingResponse::collect_limited)).
    pub async fn collect(self) -> Result<HttpResponse, TransportError> {
        let StreamingResponse { head, mut body } = self;
        // The common single-chunk body is kept as it is, without a copy.
        let Some(first) = body.next_chunk().await.transpose()? else {
            return Ok(head);
        };
        let Some(second) = body.next_chunk().await.transpose()? else {
            return Ok(head.with_body(first));
        };
        let mut data = BytesMut::with_capacity(first.len() + second.len());
        data.extend_from_slice(&first);
        data.extend_from_slice(&second);
        while let Some(chunk) = body.next_chunk().await.transpose()? {
            data.extend_from_slice(&chunk);
        }
        Ok(head.with_body(data.freeze()))
    }
}

impl From<HttpResponse> for StreamingResponse {
    /// Serves a whole response's body as a single chunk.
    fn from(response: HttpResponse) -> Self {
        let body = response.body().clone();
        StreamingResponse {
            head: response.with_body(Bytes::new()),
            body: Box::new(WholeBody(Some(body))),
        }
    }
}

/// The default [`ResponseLimits::max_body_size`]: 64 MiB.
///
/// The AWS SDKs set no limit. AWS's JSON APIs answer in kilobytes to a few
/// megabytes (Lambda's synchronous `Invoke` payload, the largest common one,
/// is at most 6 MB); streamed bodies (event streams) are not read whole and
/// keep their own 16 MiB cap per frame. 64 MiB is ten times the largest
/// legitimate whole body we know of, yet bounds what one call can make a
/// client hold in memory.
pub const DEFAULT_MAX_RESPONSE_BODY_SIZE: u64 = 64 * 1024 * 1024;

/// How the runtime reads a whole response body: at most `max_body_size`
/// bytes, under `stalled_stream` protection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseLimits {
    /// The largest body read, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_BODY_SIZE`]).
    pub max_body_size: u64,
    /// The minimum throughput bodies must keep.
    pub stalled_stream: StalledStreamProtection,
}

impl Default for ResponseLimits {
    fn default() -> Self {
        ResponseLimits {
            max_body_size: DEFAULT_MAX_RESPONSE_BODY_SIZE,
            stalled_stream: StalledStreamProtection::default(),
        }
    }
}

/// Stalled-stream protection, as in the AWS SDKs: a request body being sent
/// or a response body being read must move at least
/// [`minimum_throughput`](StalledStreamProtection::minimum_throughput)
/// bytes per second, measured over the last
/// [`grace_period`](StalledStreamProtection::grace_period); a body that
/// falls below it fails with a [`StalledStream`] error (a timeout, retried
/// like one).
///
/// The default is the SDKs' (`aws-smithy-runtime`'s default plugin): on for
/// uploads and downloads, 1 byte per second, a 5 s grace period. The
/// throughput is measured over the whole grace period, so a server that
/// sends one byte every two seconds fails after about 5 s, where the SDKs'
/// shorter 1 s window would let it run on. Operations with an event stream
/// (input or output) are not protected: their streams may be idle for long
/// stretches by design (the SDKs turn the protection off for them too).
/// Waiting for the response head once the request is sent is not a stall:
/// the read timeout and the attempt timeout bound that.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StalledStreamProtection {
    upload: bool,
    download: bool,
    grace_period: Duration,
    minimum_throughput: u64,
}

impl Default for StalledStreamProtection {
    fn default() -> Self {
        Self::enabled()
    }
}

impl StalledStreamProtection {
    /// The SDKs' default: on for uploads and downloads, at least 1 byte per
    /// second over a 5 s grace period.
    pub const fn enabled() -> Self {
        StalledStreamProtection {
            upload: true,
            download: true,
            grace_period: Duration::from_secs(5),
            minimum_throughput: 1,
        }
    }

    /// No protection: a body may trickle as slowly as the server likes
    /// (the read timeout still bounds each wait for data).
    pub const fn disabled() -> Self {
        StalledStreamProtection {
            upload: false,
            download: false,
            ..Self::enabled()
        }
    }

    /// The same, with the grace period the throughput is measured over
    /// (and waited for before it is first checked).
    pub const fn with_grace_period(mut self, grace_period: Duration) -> Self {
        self.grace_period = grace_period;
        self
    }

    /// The same, requiring at least `bytes_per_second`.
    pub const fn with_minimum_throughput(mut self, bytes_per_second: u64) -> Self {
        self.minimum_throughput = bytes_per_second;
        self
    }

    /// The same, with protection of request bodies turned on or off.
    pub const fn with_upload(mut self, enabled: bool) -> Self {
        self.upload = enabled;
        self
    }

    /// The same, with protection of response bodies turned on or off.
    pub const fn with_download(mut self, enabled: bool) -> Self {
        self.download = enabled;
        self
    }

    /// Whether request bodies are protected.
    pub fn upload_enabled(&self) -> bool {
        self.upload && self.active()
    }

    /// Whether response bodies are protected.
    pub fn download_enabled(&self) -> bool {
        self.download && self.active()
    }

    /// The grace period.
    pub fn grace_period(&self) -> Duration {
        self.grace_period
    }

    /// The minimum throughput, in bytes per second.
    pub fn minimum_throughput(&self) -> u64 {
        self.minimum_throughput
    }

    /// Whether request or response bodies are protected (as
    /// `StalledStreamProtectionConfig::is_enabled`).
    pub fn is_enabled(&self) -> bool {
        self.upload_enabled() || self.download_enabled()
    }

    /// A zero grace period or throughput checks nothing.
    fn active(&self) -> bool {
        !self.grace_period.is_zero() && self.minimum_throughput > 0
    }
}

impl From<StalledStreamProtectionConfig> for StalledStreamProtection {
    /// aws-sdk's setting (what `stalled_stream_protection(..)` takes there):
    /// the same directions and grace period, at least 1 byte per second.
    fn from(config: StalledStreamProtectionConfig) -> Self {
        StalledStreamProtection::enabled()
            .with_upload(config.upload_enabled())
            .with_download(config.download_enabled())
            .with_grace_period(config.grace_period())
    }
}

impl From<&StalledStreamProtection> for StalledStreamProtectionConfig {
    /// aws-sdk's type for `protection` (what its getter returns): the
    /// directions it protects (none when its grace period or throughput
    /// checks nothing) and its grace period.
    fn from(protection: &StalledStreamProtection) -> Self {
        StalledStreamProtectionConfig::enabled()
            .upload_enabled(protection.upload_enabled())
            .download_enabled(protection.download_enabled())
            .grace_period(protection.grace_period())
            .build()
    }
}

/// Which body stalled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// The request body, being sent.
    Upload,
    /// The response body, being read.
    Download,
}

/// A response body is larger than [`ResponseLimits::max_body_size`]: the
/// source of a [`TransportError`] of kind [`TransportErrorKind::Other`]
/// (see [`TransportError::response_too_large`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseTooLarge {
    limit: u64,
    content_length: Option<u64>,
}

impl ResponseTooLarge {
    pub(crate) fn error(limit: u64, content_length: Option<u64>) -> TransportError {
        TransportError::other(ResponseTooLarge {
            limit,
            content_length,
        })
    }

    /// The limit, in bytes.
    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// The response's `Content-Length`, if it had one.
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }
}

impl fmt::Display for ResponseTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.content_length {
            Some(length) if length > self.limit => write!(
                f,
                "the response body ({length} bytes, from Content-Length) is larger than \
                 max_response_body_size ({} bytes)",
                self.limit
            ),
            _ => write!(
                f,
                "the response body is larger than max_response_body_size ({} bytes)",
                self.limit
            ),
        }
    }
}

impl Error for ResponseTooLarge {}

/// A body moved more slowly than [`StalledStreamProtection`] allows: the
/// source of a [`TransportError`] of kind [`TransportErrorKind::Timeout`]
/// (see [`TransportError::stalled_stream`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StalledStream {
    direction: Direction,
    bytes: u64,
    grace_period: Duration,
    minimum_throughput: u64,
}

impl StalledStream {
    /// Which body stalled.
    pub fn direction(&self) -> Direction {
        self.direction
    }

    /// How many bytes moved during the last grace period.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// The grace period.
    pub fn grace_period(&self) -> Duration {
        self.grace_period
    }

    /// The minimum throughput, in bytes per second.
    pub fn minimum_throughput(&self) -> u64 {
        self.minimum_throughput
    }
}

impl fmt::Display for StalledStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.direction {
            Direction::Upload => "request",
            Direction::Download => "response",
        };
        write!(
            f,
            "the {what} body stalled: {} bytes in the last {:?}, below the minimum of {} \
             bytes per second (stalled stream protection)",
            self.bytes, self.grace_period, self.minimum_throughput
        )
    }
}

impl Error for StalledStream {}

/// Measures a body's throughput over the grace period.
#[derive(Debug)]
pub(crate) struct ThroughputMonitor {
    direction: Direction,
    grace_period: Duration,
    minimum_throughput: u64,
    started: Instant,
    /// Bytes moved, and when, within the last grace period.
    log: VecDeque<(Instant, u64)>,
    in_window: u64,
}

impl ThroughputMonitor {
    pub(crate) fn new(protection: &StalledStreamProtection, direction: Direction) -> Self {
        ThroughputMonitor {
            direction,
            grace_period: protection.grace_period,
            minimum_throughput: protection.minimum_throughput,
            started: Instant::now(),
            log: VecDeque::new(),
            in_window: 0,
        }
    }

    /// Records `bytes` moved now.
    pub(crate) fn record(&mut self, bytes: u64) {
        if bytes > 0 {
            self.log.push_back((Instant::now(), bytes));
            self.in_window = self.in_window.saturating_add(bytes);
        }
    }

    /// How often to check while waiting.
    fn resolution(&self) -> Duration {
        (self.grace_period / 10).max(Duration::from_millis(1))
    }
}

/// A body's throughput, checked while [`bounded`] waits.
pub(crate) trait Watch {
    /// The error, if the body moved too slowly.
    fn check(&mut self) -> Result<(), TransportError>;

    /// When to check next: `None` once there is nothing (left) to watch.
    fn next_check(&self) -> Option<Instant>;
}

impl Watch for ThroughputMonitor {
    /// Fails if the last grace period moved too few bytes (never before a
    /// whole grace period has passed).
    fn check(&mut self) -> Result<(), TransportError> {
        let now = Instant::now();
        if now.duration_since(self.started) < self.grace_period {
            return Ok(());
        }
        let window_start = now - self.grace_period;
        while let Some(&(at, bytes)) = self.log.front() {
            if at > window_start {
                break;
            }
            self.log.pop_front();
            self.in_window -= bytes;
        }
        let needed = u128::from(self.minimum_throughput) * self.grace_period.as_nanos();
        if u128::from(self.in_window) * 1_000_000_000 >= needed {
            return Ok(());
        }
        Err(TransportError::timeout(StalledStream {
            direction: self.direction,
            bytes: self.in_window,
            grace_period: self.grace_period,
            minimum_throughput: self.minimum_throughput,
        }))
    }

    /// A resolution from now, and not before the first grace period ends.
    fn next_check(&self) -> Option<Instant> {
        Some((Instant::now() + self.resolution()).max(self.started + self.grace_period))
    }
}

impl<W: Watch> Watch for &mut W {
    fn check(&mut self) -> Result<(), TransportError> {
        (**self).check()
    }

    fn next_check(&self) -> Option<Instant> {
        (**self).next_check()
    }
}

impl<W: Watch> Watch for Option<W> {
    fn check(&mut self) -> Result<(), TransportError> {
        self.as_mut().map_or(Ok(()), W::check)
    }

    fn next_check(&self) -> Option<Instant> {
        self.as_ref().and_then(W::next_check)
    }
}

/// Runs `fut`, failing with a timeout error if `read_timeout` elapses
/// first (waiting for `what`), or as soon as `watch` finds its body moving
/// more slowly than its stalled-stream protection allows.
///
/// One timer serves both limits, set for the earlier of the read deadline
/// and the next throughput check, and it is made only once `fut` is
/// pending: what is already there is read without one (and without a tokio
/// time driver); what must be waited for needs tokio's timer.
pub(crate) async fn bounded<T>(
    fut: impl Future<Output = T>,
    read_timeout: Option<Duration>,
    what: &str,
    mut watch: impl Watch,
) -> Result<T, TransportError> {
    let mut fut = std::pin::pin!(fut);
    let mut timer = std::pin::pin!(None::<tokio::time::Sleep>);
    // Set when `fut` is first pending.
    let mut read_deadline: Option<Option<Instant>> = None;
    std::future::poll_fn(|cx| {
        if let Poll::Ready(value) = fut.as_mut().poll(cx) {
            return Poll::Ready(Ok(value));
        }
        loop {
            if let Some(sleep) = timer.as_mut().as_pin_mut() {
                if sleep.poll(cx).is_pending() {
                    return Poll::Pending;
                }
                timer.set(None);
                // The timer went off: the read deadline or a check is due.
                if let (Some(Some(deadline)), Some(limit)) = (read_deadline, read_timeout) {
                    if Instant::now() >= deadline {
                        return Poll::Ready(Err(TransportError::timeout(format!(
                            "read timeout of {limit:?} elapsed waiting for {what}"
                        ))));
                    }
                }
                watch.check()?;
            }
            let deadline =
                *read_deadline.get_or_insert_with(|| read_timeout.map(|t| Instant::now() + t));
            let next = match (deadline, watch.next_check()) {
                (Some(deadline), Some(check)) => Some(deadline.min(check)),
                (deadline, check) => deadline.or(check),
            };
            let Some(next) = next else {
                return Poll::Pending;
            };
            timer.set(Some(tokio::time::sleep_until(next)));
        }
    })
    .await
}

/// The next chunk of `body`, under `monitor`'s watch (recording its size).
async fn next_watched(
    body: &mut dyn BodyStream,
    mut monitor: Option<&mut ThroughputMonitor>,
) -> Option<Result<Bytes, TransportError>> {
    let wait = bounded(
        body.next_chunk(),
        None,
        "the response body",
        monitor.as_deref_mut(),
    );
    let chunk = match wait.await {
        Ok(chunk) => chunk,
        Err(stalled) => return Some(Err(stalled)),
    };
    if let (Some(Ok(bytes)), Some(monitor)) = (&chunk, monitor) {
        monitor.record(bytes.len() as u64);
    }
    chunk
}

/// What kind of failure a [`TransportError`] is (more kinds may come).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection could not be established (DNS, TCP, TLS).
    Connect,
    /// A connect or read timeout elapsed.
    Timeout,
    /// The connection failed while sending or receiving.
    Io,
    /// The request was invalid, or the transport's settings (TLS, proxy)
    /// were: nothing was sent (aws-smithy's `ConnectorError::user`).
    User,
    /// The request could not be sent, or its response was refused (e.g. too
    /// large), for another reason.
    Other,
}

/// A request that did not produce a response.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    source: BoxError,
}

impl TransportError {
    /// A transport error of `kind` caused by `source`.
    pub fn new(kind: TransportErrorKind, source: impl Into<BoxError>) -> Self {
        TransportError {
            kind,
            source: source.into(),
        }
    }

    /// Connecting failed.
    pub fn connect(source: impl Into<BoxError>) -> Self {
        Self::new(TransportErrorKind::Connect, source)
    }

    /// A timeout elapsed.
    pub fn timeout(source: impl Into<BoxError>) -> Self {
        Self::new(TransportErrorKind::Timeout, source)
    }

    /// The connection failed mid-request.
    pub fn io(source: impl Into<BoxError>) -> Self {
        Self::new(TransportErrorKind::Io, source)
    }

    /// The request, or the transport's settings, were invalid (not retried).
    pub fn user(source: impl Into<BoxError>) -> Self {
        Self::new(TransportErrorKind::User, source)
    }

    /// The request could not be sent (not retried).
    pub fn other(source: impl Into<BoxError>) -> Self {
        Self::new(TransportErrorKind::Other, source)
    }

    /// The kind of failure.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Whether a timeout elapsed (as aws-smithy's `ConnectorError::is_timeout`).
    pub fn is_timeout(&self) -> bool {
        self.kind == TransportErrorKind::Timeout
    }

    /// Whether connecting, sending or receiving failed (as aws-smithy's
    /// `ConnectorError::is_io`, whose connectors report failed connections
    /// as I/O errors).
    pub fn is_io(&self) -> bool {
        matches!(
            self.kind,
            TransportErrorKind::Connect | TransportErrorKind::Io
        )
    }

    /// Whether the request or the transport's settings were invalid (as
    /// aws-smithy's `ConnectorError::is_user`).
    pub fn is_user(&self) -> bool {
        self.kind == TransportErrorKind::User
    }

    /// Whether it is another failure (as aws-smithy's `ConnectorError::is_other`).
    pub fn is_other(&self) -> bool {
        self.kind == TransportErrorKind::Other
    }

    /// The cause, owned.
    pub fn into_source(self) -> BoxError {
        self.source
    }

    /// The response body was larger than the limit: the details.
    pub fn response_too_large(&self) -> Option<&ResponseTooLarge> {
        self.source.downcast_ref()
    }

    /// A body stalled: the details.
    pub fn stalled_stream(&self) -> Option<&StalledStream> {
        self.source.downcast_ref()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportErrorKind::Connect => "connection failed",
            TransportErrorKind::Timeout => "transport timeout",
            TransportErrorKind::Io => "connection error",
            TransportErrorKind::User => "invalid request or transport setting",
            TransportErrorKind::Other if self.response_too_large().is_some() => "response rejected",
            TransportErrorKind::Other => "request could not be sent",
        };
        // The cause is `source()`: a chain reporter prints it next.
        f.write_str(what)
    }
}

impl Error for TransportError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(self.source.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_messages() {
        let e = TransportError::timeout("read timeout of 1s elapsed");
        assert!(e.is_timeout());
        assert_eq!(e.to_string(), "transport timeout");
        assert_eq!(
            e.source().map(ToString::to_string).as_deref(),
            Some("read timeout of 1s elapsed")
        );
        let e = TransportError::connect(std::io::Error::new(
            std::io::ErrorKind::ConnectionRefused,
            "refused",
        ));
        assert_eq!(e.kind(), TransportErrorKind::Connect);
        assert!(!e.is_timeout());
        assert!(e.source().is_some());
    }

    /// A body served in the given chunks.
    #[derive(Debug)]
    struct Chunks(Vec<Result<Bytes, TransportError>>);

    impl BodyStream for Chunks {
        fn next_chunk(&mut self) -> BoxFuture<'_, Option<Result<Bytes, TransportError>>> {
            let next = (!self.0.is_empty()).then(|| self.0.remove(0));
            Box::pin(std::future::ready(next))
        }
    }

    #[tokio::test]
    async fn streaming_response_collects_its_chunks() {
        let head = HttpResponse::new(200)
            .with_header("x-a", "1")
            .with_body("dropped");
        let chunks = ["ab", "", "c", "de"].map(|c| Ok(Bytes::from(c))).into();
        let response = StreamingResponse::new(head, Box::new(Chunks(chunks)));
        assert_eq!(response.status(), 200);
        assert_eq!(response.head().header("x-a"), Some("1"));
        assert!(response.head().body().is_empty());
        let whole = response.collect().await.unwrap();
        assert_eq!((whole.status(), &whole.body()[..]), (200, &b"abcde"[..]));

        let one = StreamingResponse::new(
            HttpResponse::new(204),
            Box::new(Chunks(vec![Ok(Bytes::from("x"))])),
        );
        assert_eq!(&one.collect().await.unwrap().body()[..], b"x");
        let none = StreamingResponse::new(HttpResponse::new(204), Box::new(Chunks(vec![])));
        assert!(none.collect().await.unwrap().body().is_empty());

        let broken = vec![Ok(Bytes::from("a")), Err(TransportError::io("reset"))];
        let response = StreamingResponse::new(HttpResponse::new(200), Box::new(Chunks(broken)));
        let err = response.collect().await.unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Io);
    }

    #[tokio::test]
    async fn a_whole_response_streams_as_one_chunk() {
        let response = StreamingResponse::from(HttpResponse::json(200, "{}"));
        assert!(response.head().body().is_empty());
        assert_eq!(
            response.head().header("content-type"),
            Some("application/json")
        );
        let (_, mut body) = response.into_parts();
        assert_eq!(&body.next_chunk().await.unwrap().unwrap()[..], b"{}");
        assert!(body.next_chunk().await.is_none());
        assert!(body.next_chunk().await.is_none());
        let (_, mut empty) = StreamingResponse::from(HttpResponse::new(200)).into_parts();
        assert!(empty.next_chunk().await.is_none());
    }

    /// A body that serves `chunk` every `interval`, `count` times (forever
    /// if `None`), counting the bytes it served.
    #[derive(Debug)]
    struct Trickle {
        interval: Duration,
        chunk: Bytes,
        count: Option<usize>,
        served: std::sync::Arc<std::sync::atomic::AtomicU64>,
    }

    impl Trickle {
        fn new(interval: Duration, chunk: &'static [u8], count: Option<usize>) -> Self {
            Trickle {
                interval,
                chunk: Bytes::from_static(chunk),
                count,
                served: Default::default(),
            }
        }
    }

    impl BodyStream for Trickle {
        fn next_chunk(&mut self) -> BoxFuture<'_, Option<Result<Bytes, TransportError>>> {
            Box::pin(async move {
                if self.count == Some(0) {
                    return None;
                }
                self.count = self.count.map(|n| n - 1);
                tokio::time::sleep(self.interval).await;
                self.served
                    .fetch_add(self.chunk.len() as u64, std::sync::atomic::Ordering::SeqCst);
                Some(Ok(self.chunk.clone()))
            })
        }
    }

    fn limits(max_body_size: u64, stalled_stream: StalledStreamProtection) -> ResponseLimits {
        ResponseLimits {
            max_body_size,
            stalled_stream,
        }
    }

    #[test]
    fn a_body_in_memory_is_read_without_a_timer() {
        // A runtime without the time driver: making a timer would panic.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let response = StreamingResponse::from(HttpResponse::json(200, "{}"));
        let whole = runtime
            .block_on(response.collect_limited(&ResponseLimits::default()))
            .unwrap();
        assert_eq!(&whole.body()[..], b"{}");
    }

    #[tokio::test]
    async fn chunks_are_gathered_in_order_and_a_single_one_is_not_copied() {
        let read = |chunks: &[&'static [u8]], max_body_size: u64| {
            let body = Chunks(chunks.iter().map(|c| Ok(Bytes::from_static(c))).collect());
            let response = StreamingResponse::new(HttpResponse::new(200), Box::new(body));
            async move {
                response
                    .collect_limited(&limits(max_body_size, StalledStreamProtection::disabled()))
                    .await
            }
        };
        let whole = read(&[b"", b"ab", b"", b"cd", b"ef"], 6).await.unwrap();
        assert_eq!(&whole.body()[..], b"abcdef");
        let err = read(&[b"ab", b"cd", b"efg"], 6).await.unwrap_err();
        assert!(err.response_too_large().is_some(), "{err}");
        let err = read(&[b"", b"abcdefg"], 6).await.unwrap_err();
        assert!(err.response_too_large().is_some(), "{err}");
        static ONE: &[u8] = b"{\"a\":1}";
        let whole = read(&[ONE], 100).await.unwrap();
        assert_eq!(whole.body().as_ptr(), ONE.as_ptr(), "the chunk itself");
        assert!(read(&[], 100).await.unwrap().body().is_empty());
    }

    #[tokio::test(start_paused = true)]
    async fn a_content_length_above_the_limit_fails_before_reading() {
        let body = Trickle::new(Duration::ZERO, b"0123456789", None);
        let served = body.served.clone();
        let head = HttpResponse::new(200).with_header("Content-Length", "1000");
        let response = StreamingResponse::new(head, Box::new(body));
        let err = response
            .collect_limited(&limits(100, StalledStreamProtection::enabled()))
            .await
            .unwrap_err();
        let too_large = err.response_too_large().expect("ResponseTooLarge");
        assert_eq!(
            (too_large.limit(), too_large.content_length()),
            (100, Some(1000))
        );
        assert_eq!(err.kind(), TransportErrorKind::Other);
        assert_eq!(err.to_string(), "response rejected");
        assert_eq!(
            std::error::Error::source(&err)
                .map(|s| s.to_string())
                .as_deref(),
            Some(
                "the response body (1000 bytes, from Content-Length) is larger \
                 than max_response_body_size (100 bytes)"
            )
        );
        assert_eq!(served.load(std::sync::atomic::Ordering::SeqCst), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn an_endless_body_fails_once_past_the_limit() {
        let body = Trickle::new(Duration::from_millis(1), b"0123456789", None);
        let served = body.served.clone();
        let response = StreamingResponse::new(HttpResponse::new(500), Box::new(body));
        let err = response
            .collect_limited(&limits(100, StalledStreamProtection::enabled()))
            .await
            .unwrap_err();
        let too_large = err.response_too_large().expect("ResponseTooLarge");
        assert_eq!((too_large.limit(), too_large.content_length()), (100, None));
        let served = served.load(std::sync::atomic::Ordering::SeqCst);
        assert!((101..=110).contains(&served), "{served}");
        // Exactly the limit is fine.
        let body = Trickle::new(Duration::from_millis(1), b"0123456789", Some(10));
        let response = StreamingResponse::new(HttpResponse::new(200), Box::new(body));
        let whole = response
            .collect_limited(&limits(100, StalledStreamProtection::enabled()))
            .await
            .unwrap();
        assert_eq!(whole.body().len(), 100);
    }

    #[tokio::test(start_paused = true)]
    async fn a_trickle_below_the_minimum_throughput_stalls() {
        // One byte every 2 s: 2 or 3 bytes per 5 s grace period, below 1 B/s.
        let body = Trickle::new(Duration::from_secs(2), b"x", None);
        let served = body.served.clone();
        let start = tokio::time::Instant::now();
        let response = StreamingResponse::new(HttpResponse::new(200), Box::new(body));
        let err = response
            .collect_limited(&ResponseLimits::default())
            .await
            .unwrap_err();
        assert!(err.is_timeout(), "{err}");
        let stalled = err.stalled_stream().expect("StalledStream");
        assert_eq!(stalled.direction(), Direction::Download);
        assert!(stalled.bytes() < 5, "{stalled}");
        assert_eq!(
            (stalled.grace_period(), stalled.minimum_throughput()),
            (Duration::from_secs(5), 1)
        );
        // Virtual time: the grace period and at most one check later.
        let elapsed = start.elapsed();
        assert!(
            elapsed >= Duration::from_secs(5) && elapsed <= Duration::from_millis(5500),
            "{elapsed:?}"
        );
        assert!(served.load(std::sync::atomic::Ordering::SeqCst) <= 3);
        assert!(
            crate::client::DisplayErrorContext(&err)
                .to_string()
                .contains("the response body stalled"),
            "{err}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn silence_past_the_grace_period_stalls_and_a_steady_flow_does_not() {
        let silent = Trickle::new(Duration::from_secs(3600), b"x", None);
        let response = StreamingResponse::new(HttpResponse::new(200), Box::new(silent));
        let protection = StalledStreamProtection::enabled()
            .with_grace_period(Duration::from_millis(200))
            .with_minimum_throughput(10);
        let err = response
            .collect_limited(&limits(1 << 20, protection))
            .await
            .unwrap_err();
        assert_eq!(err.stalled_stream().map(StalledStream::bytes), Some(0));

        // 2 bytes per second for 30 s: above 1 B/s over any 5 s.
        let steady = Trickle::new(Duration::from_millis(500), b"y", Some(60));
        let response = StreamingResponse::new(HttpResponse::new(200), Box::new(steady));
        let whole = response
            .collect_limited(&ResponseLimits::default())
            .await
            .unwrap();
        assert_eq!(whole.body().len(), 60);

        // Bursts 4 s apart: every 5 s window holds one, 10 bytes >= 5.
        let bursts = Trickle::new(Duration::from_secs(4), b"zzzzzzzzzz", Some(3));
        let response = StreamingResponse::new(HttpResponse::new(200), Box::new(bursts));
        let whole = response.collect_limited(&ResponseLimits::default()).await;
        assert_eq!(whole.unwrap().body().len(), 30);
        // Bursts 6 s apart: the first 5 s are silent.
        let bursts = Trickle::new(Duration::from_secs(6), b"zzzzzzzzzz", Some(3));
        let response = StreamingResponse::new(HttpResponse::new(200), Box::new(bursts));
        let err = response
            .collect_limited(&ResponseLimits::default())
            .await
            .unwrap_err();
        assert_eq!(err.stalled_stream().map(StalledStream::bytes), Some(0));
    }

    #[tokio::test(start_paused = true)]
    async fn without_protection_a_trickle_is_read_to_its_end() {
        let body = Trickle::new(Duration::from_secs(2), b"x", Some(10));
        let response = StreamingResponse::new(HttpResponse::new(200), Box::new(body));
        let whole = response
            .collect_limited(&limits(100, StalledStreamProtection::disabled()))
            .await
            .unwrap();
        assert_eq!(&whole.body()[..], b"xxxxxxxxxx");
        let off = StalledStreamProtection::enabled().with_download(false);
        assert!(!off.download_enabled() && off.upload_enabled());
        let zero = StalledStreamProtection::enabled().with_minimum_throughput(0);
        assert!(!zero.download_enabled() && !zero.upload_enabled());
    }

    /// A body that never serves a chunk, saying it watches its own
    /// throughput if `watches`; it keeps the protection it was asked to hold.
    #[derive(Debug)]
    struct Silent {
        watches: bool,
        asked: std::sync::Arc<std::sync::Mutex<Option<StalledStreamProtection>>>,
    }

    impl BodyStream for Silent {
        fn next_chunk(&mut self) -> BoxFuture<'_, Option<Result<Bytes, TransportError>>> {
            Box::pin(std::future::pending())
        }

        fn watch_throughput(&mut self, protection: &StalledStreamProtection) -> bool {
            *self.asked.lock().unwrap() = Some(*protection);
            self.watches
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_body_that_watches_its_own_throughput_is_not_watched_again() {
        let protection = StalledStreamProtection::enabled()
            .with_grace_period(Duration::from_millis(200))
            .with_minimum_throughput(10);
        let collect = |watches: bool, protection: StalledStreamProtection| {
            let asked = std::sync::Arc::default();
            let body = Silent {
                watches,
                asked: std::sync::Arc::clone(&asked),
            };
            let response = StreamingResponse::new(HttpResponse::new(200), Box::new(body));
            async move {
                let limits = limits(1 << 20, protection);
                let collect = response.collect_limited(&limits);
                let collected = tokio::time::timeout(Duration::from_secs(3600), collect).await;
                let asked = *asked.lock().unwrap();
                (collected, asked)
            }
        };
        // The body took the protection over: the reader sets no timer of its
        // own, and only the hour's timeout ends the wait.
        let (collected, asked) = collect(true, protection).await;
        assert!(collected.is_err(), "{collected:?}");
        assert_eq!(asked, Some(protection));
        // A body that does not is watched by the reader.
        let (collected, asked) = collect(false, protection).await;
        let err = collected.expect("the reader's stall").unwrap_err();
        let stalled = err.stalled_stream().expect("StalledStream");
        assert_eq!(
            (stalled.direction(), stalled.bytes()),
            (Direction::Download, 0)
        );
        assert_eq!(asked, Some(protection));
        // Without download protection the body is not asked.
        let (collected, asked) = collect(true, protection.with_download(false)).await;
        assert!(collected.is_err(), "{collected:?}");
        assert_eq!(asked, None);
    }

    #[tokio::test(start_paused = true)]
    async fn a_pending_chunk_fails_by_the_earlier_of_read_timeout_and_stall() {
        let monitor = |grace_ms: u64| {
            let protection = StalledStreamProtection::enabled()
                .with_grace_period(Duration::from_millis(grace_ms))
                .with_minimum_throughput(1000);
            ThroughputMonitor::new(&protection, Direction::Download)
        };
        // The read timeout first.
        let start = Instant::now();
        let err = bounded(
            std::future::pending::<()>(),
            Some(Duration::from_millis(200)),
            "the response body",
            &mut monitor(5000),
        )
        .await
        .unwrap_err();
        assert!(err.is_timeout() && err.stalled_stream().is_none(), "{err}");
        assert_eq!(
            err.source().map(ToString::to_string).as_deref(),
            Some("read timeout of 200ms elapsed waiting for the response body")
        );
        assert_eq!(start.elapsed(), Duration::from_millis(200));
        // The stall first: the grace period, and at most one check (a tenth
        // of it) later.
        let start = Instant::now();
        let err = bounded(
            std::future::pending::<()>(),
            Some(Duration::from_secs(10)),
            "the response body",
            &mut monitor(300),
        )
        .await
        .unwrap_err();
        let stalled = err.stalled_stream().expect("StalledStream");
        assert_eq!(
            (stalled.direction(), stalled.bytes()),
            (Direction::Download, 0)
        );
        let elapsed = start.elapsed();
        assert!(
            elapsed >= Duration::from_millis(300) && elapsed <= Duration::from_millis(330),
            "{elapsed:?}"
        );
        // A chunk that comes within both is waited for.
        let chunk = async {
            tokio::time::sleep(Duration::from_millis(150)).await;
            "chunk"
        };
        let mut watch = monitor(5000);
        let got = bounded(chunk, Some(Duration::from_millis(200)), "x", &mut watch).await;
        assert_eq!(got.unwrap(), "chunk");
    }

    /// A transport that only implements `send`.
    #[derive(Debug)]
    struct SendOnly;

    impl HttpTransport for SendOnly {
        fn send(&self, _: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
            Box::pin(async { Ok(HttpResponse::new(200).with_body("whole")) })
        }
    }

    #[tokio::test]
    async fn send_streaming_defaults_to_send() {
        let request = HttpRequest::new(crate::client::http::Method::Get, "/");
        let transport: &dyn HttpTransport = &SendOnly;
        let response = transport.send_streaming(request).await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(&response.collect().await.unwrap().body()[..], b"whole");
    }
}
