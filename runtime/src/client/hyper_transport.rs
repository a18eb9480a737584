//! The default transport: hyper 1 (HTTP/1.1, pooled connections) over rustls
//! with the `ring` provider, trusting the platform's and the Mozilla (webpki)
//! root certificates, through the proxy the environment names (see
//! [`TlsSettings`] and [`ProxyConfig`]). With
//! the `event-stream` feature, HTTP/2 too (offered through ALPN), and request
//! bodies that are event streams.
//!
//! It stands on `transport` (the trait, the body limits and the one-timer
//! wait it applies them with), `http`, `net` (TLS and proxies) and, for
//! event-stream bodies, `event_stream`'s frames; nothing but the config
//! names it.

use std::error::Error;
use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::{Body, Frame, Incoming, SizeHint};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use tokio::time::Instant;

use crate::client::boxed::{BoxError, BoxFuture};
use crate::client::http::{HttpRequest, HttpResponse};
use crate::client::net::{ProxyConfig, ProxyConnector, TlsSettings};
use crate::client::transport::{
    bounded, BodyStream, Direction, HttpTransport, ResponseLimits, StalledStreamProtection,
    StreamingResponse, ThroughputMonitor, TransportError, Watch,
};

/// The size of the frames a request body is sent in, so that stalled-stream
/// protection sees it move.
const UPLOAD_FRAME_SIZE: usize = 64 * 1024;

/// HTTPS (and plain HTTP, for local endpoints) over hyper and rustls.
///
/// `connect_timeout` bounds establishing a TCP connection; `read_timeout`
/// bounds each wait for data once the request is on its way: for the response
/// head (including connecting and the TLS handshake), then for every chunk of
/// the body (also when the body is streamed with
/// [`send_streaming`](HttpTransport::send_streaming)). Both are reported as
/// [`TransportError::timeout`].
///
/// With the `event-stream` feature, TLS connections offer HTTP/2 as well as
/// HTTP/1.1 through ALPN (the server picks; AWS requires HTTP/2 for
/// bidirectional event streams), plain `http://` ones stay HTTP/1.1 (see
/// `HyperTransport::http2_only` for cleartext HTTP/2), and a
/// request whose body is an event stream
/// (`HttpRequest::event_stream_frames`) is sent as a streaming body
/// (chunked on HTTP/1.1) while the response is read:
/// [`send_streaming`](HttpTransport::send_streaming) returns as soon as the
/// response head arrives. [`send`](HttpTransport::send) streams such a body
/// too, and returns once the whole response is read (so only after the
/// caller's event stream ended, if the server waits for that).
///
/// Request bodies are under stalled-stream protection (see
/// [`with_stalled_stream_protection`](HyperTransport::with_stalled_stream_protection));
/// [`send`](HttpTransport::send) reads at most
/// [`DEFAULT_MAX_RESPONSE_BODY_SIZE`](crate::client::DEFAULT_MAX_RESPONSE_BODY_SIZE)
/// bytes of body under the same protection. (The
/// [`Runtime`](crate::client::Runtime) reads bodies through
/// [`send_streaming`](HttpTransport::send_streaming) and applies the
/// config's limits itself.)
#[derive(Clone)]
pub struct HyperTransport {
    client: Client<HttpsConnector<ProxyConnector>, RequestBody>,
    read_timeout: Option<Duration>,
    stalled_stream: StalledStreamProtection,
    proxy: Option<std::sync::Arc<hyper_util::client::proxy::matcher::Matcher>>,
}

impl HyperTransport {
    /// A transport with the given timeouts (`None`: wait forever).
    pub fn new(
        connect_timeout: Option<Duration>,
        read_timeout: Option<Duration>,
    ) -> Result<Self, TransportError> {
        Self::build(connect_timeout, read_timeout, false, &Network::default())
    }

    /// A transport with the given timeouts, trust and proxy settings (the
    /// process environment is read for [`ProxyConfig::from_env`]).
    pub fn with_network(
        connect_timeout: Option<Duration>,
        read_timeout: Option<Duration>,
        tls: &TlsSettings,
        proxy: &ProxyConfig,
    ) -> Result<Self, TransportError> {
        let network = Network {
            tls: tls.clone(),
            proxy: proxy.clone(),
        };
        Self::build(connect_timeout, read_timeout, false, &network)
    }

    /// A transport that speaks HTTP/2 only: over TLS it offers only `h2`
    /// through ALPN, and to `http://` endpoints it speaks cleartext HTTP/2
    /// with prior knowledge (h2c), as some local test servers do. Timeouts
    /// as in [`new`](HyperTransport::new).
    #[cfg(feature = "event-stream")]
    pub fn http2_only(
        connect_timeout: Option<Duration>,
        read_timeout: Option<Duration>,
    ) -> Result<Self, TransportError> {
        Self::build(connect_timeout, read_timeout, true, &Network::default())
    }

    fn build(
        connect_timeout: Option<Duration>,
        read_timeout: Option<Duration>,
        http2_only: bool,
        network: &Network,
    ) -> Result<Self, TransportError> {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_connect_timeout(connect_timeout);
        let proxy = network
            .proxy
            .matcher_with(&|name| std::env::var(name).ok())
            .map_err(TransportError::user)?
            .map(std::sync::Arc::new);
        let http = ProxyConnector::new(http, proxy.clone());
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(network.tls.client_config().map_err(TransportError::user)?)
            .https_or_http();
        #[cfg(feature = "event-stream")]
        let https = if http2_only {
            https.enable_http2().wrap_connector(http)
        } else {
            https.enable_all_versions().wrap_connector(http)
        };
        #[cfg(not(feature = "event-stream"))]
        let https = https.enable_http1().wrap_connector(http);
        let mut builder = Client::builder(TokioExecutor::new());
        builder.pool_timer(TokioTimer::new());
        #[cfg(feature = "event-stream")]
        builder.timer(TokioTimer::new()).http2_only(http2_only);
        #[cfg(not(feature = "event-stream"))]
        let _ = http2_only;
        Ok(HyperTransport {
            client: builder.build(https),
            read_timeout,
            stalled_stream: StalledStreamProtection::default(),
            proxy,
        })
    }

    /// The same transport with `protection` for request bodies (and for the
    /// bodies [`send`](HttpTransport::send) reads); the default is
    /// [`StalledStreamProtection::enabled`]. Event-stream bodies are never
    /// protected.
    pub fn with_stalled_stream_protection(mut self, protection: StalledStreamProtection) -> Self {
        self.stalled_stream = protection;
        self
    }

    /// Sends `request` and waits for the response head.
    async fn send_head(
        &self,
        request: HttpRequest,
    ) -> Result<(HttpResponse, Incoming), TransportError> {
        // Even a body sent in one frame is watched until hyper takes that
        // frame: while the connection is set up, it is not yet sent.
        let upload = (self.stalled_stream.upload_enabled() && !request.body().is_empty())
            .then(|| Arc::new(Mutex::new(Upload::new(&self.stalled_stream))));
        let whole = || RequestBody::Whole {
            data: request.body().clone(),
            upload: upload.clone(),
        };
        #[cfg(feature = "event-stream")]
        let (body, upload) = match request.event_stream_frames()? {
            Some(frames) => (RequestBody::Events(frames), None),
            None => (whole(), upload.clone()),
        };
        #[cfg(not(feature = "event-stream"))]
        let body = whole();
        let http_request = self.hyper_request(&request, body)?;
        let response = bounded(
            self.client.request(http_request),
            self.read_timeout,
            "the response head",
            upload.as_deref(),
        )
        .await?
        .map_err(classify)?;
        let (parts, body) = response.into_parts();
        let mut head = HttpResponse::new(parts.status.as_u16());
        for (name, value) in &parts.headers {
            head = head.with_header(name.as_str(), &String::from_utf8_lossy(value.as_bytes()));
        }
        Ok((head, body))
    }

    /// `request` as hyper's: its headers go straight into a map sized for
    /// them (a request builder would move its whole state for each one).
    fn hyper_request(
        &self,
        request: &HttpRequest,
        body: RequestBody,
    ) -> Result<http::Request<RequestBody>, TransportError> {
        let uri = http::Uri::try_from(request.uri()).map_err(TransportError::user)?;
        let method = http::Method::from(request.method());
        let mut headers = http::HeaderMap::with_capacity(request.headers().len() + 1);
        for (name, value) in request.headers() {
            let name =
                http::HeaderName::from_bytes(name.as_bytes()).map_err(TransportError::user)?;
            let value = http::HeaderValue::from_str(value).map_err(TransportError::user)?;
            headers.append(name, value);
        }
        if let Some(auth) = self.proxy_authorization(&uri) {
            headers.append(http::header::PROXY_AUTHORIZATION, auth);
        }
        let mut http_request = http::Request::new(body);
        *http_request.method_mut() = method;
        *http_request.uri_mut() = uri;
        *http_request.headers_mut() = headers;
        Ok(http_request)
    }

    /// `Proxy-Authorization` for a plain `http://` request sent to a proxy
    /// with credentials (`https://` ones send it in the `CONNECT`).
    fn proxy_authorization(&self, uri: &http::Uri) -> Option<http::HeaderValue> {
        let proxy = self.proxy.as_ref()?;
        if uri.scheme_str() != Some("http") {
            return None;
        }
        let intercept = proxy.intercept(uri)?;
        intercept.basic_auth().cloned()
    }

    /// [`send`](HttpTransport::send): the transport's own stalled-stream
    /// protection and the default size limit.
    async fn send_inner(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        #[cfg(feature = "event-stream")]
        let event_stream = request.has_event_stream();
        #[cfg(not(feature = "event-stream"))]
        let event_stream = false;
        let limits = ResponseLimits {
            stalled_stream: self.stalled_stream.with_download(!event_stream),
            ..ResponseLimits::default()
        };
        self.send_limited_inner(request, limits).await
    }

    async fn send_limited_inner(
        &self,
        request: HttpRequest,
        limits: ResponseLimits,
    ) -> Result<HttpResponse, TransportError> {
        let response = self.send_streaming_inner(request).await?;
        response.collect_limited(&limits).await
    }

    async fn send_streaming_inner(
        &self,
        request: HttpRequest,
    ) -> Result<StreamingResponse, TransportError> {
        let (head, body) = self.send_head(request).await?;
        let body = HyperBody {
            body,
            read_timeout: self.read_timeout,
            monitor: None,
        };
        Ok(StreamingResponse::new(head, Box::new(body)))
    }
}

impl HttpTransport for HyperTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(self.send_inner(request))
    }

    fn send_limited(
        &self,
        request: HttpRequest,
        limits: ResponseLimits,
    ) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(self.send_limited_inner(request, limits))
    }

    fn send_streaming(
        &self,
        request: HttpRequest,
    ) -> BoxFuture<'_, Result<StreamingResponse, TransportError>> {
        Box::pin(self.send_streaming_inner(request))
    }
}

/// How much of a request body was handed to hyper, and when.
struct Upload {
    monitor: ThroughputMonitor,
    done: bool,
}

impl Upload {
    fn new(protection: &StalledStreamProtection) -> Self {
        Upload {
            monitor: ThroughputMonitor::new(protection, Direction::Upload),
            done: false,
        }
    }
}

/// While the request body is still being sent, its throughput is watched;
/// once it is sent, waiting for the response is not a stall.
impl Watch for &Mutex<Upload> {
    fn check(&mut self) -> Result<(), TransportError> {
        let mut state = self.lock().unwrap_or_else(PoisonError::into_inner);
        if state.done {
            return Ok(());
        }
        state.monitor.check()
    }

    fn next_check(&self) -> Option<Instant> {
        let state = self.lock().unwrap_or_else(PoisonError::into_inner);
        if state.done {
            return None;
        }
        state.monitor.next_check()
    }
}

/// The trust and proxy settings a transport is built with.
#[derive(Debug, Default)]
struct Network {
    tls: TlsSettings,
    proxy: ProxyConfig,
}

/// A request body: bytes in memory, or the frames of an event stream.
enum RequestBody {
    /// Sent in frames of at most [`UPLOAD_FRAME_SIZE`], each recorded in
    /// `upload` (if the body is under stalled-stream protection).
    Whole {
        data: Bytes,
        upload: Option<Arc<Mutex<Upload>>>,
    },
    /// Sent frame by frame as the caller produces events.
    #[cfg(feature = "event-stream")]
    Events(crate::client::event_stream::EventStreamFrames),
}

impl Body for RequestBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        match self.get_mut() {
            RequestBody::Whole { data, upload } => {
                if data.is_empty() {
                    return Poll::Ready(None);
                }
                let frame = data.split_to(data.len().min(UPLOAD_FRAME_SIZE));
                if let Some(upload) = upload {
                    let mut state = upload.lock().unwrap_or_else(PoisonError::into_inner);
                    state.done = data.is_empty();
                    // Once the whole body is handed over its throughput is
                    // never checked again: a body sent in one frame (the
                    // common case) records nothing.
                    if !state.done {
                        state.monitor.record(frame.len() as u64);
                    }
                }
                Poll::Ready(Some(Ok(Frame::data(frame))))
            }
            #[cfg(feature = "event-stream")]
            RequestBody::Events(frames) => futures_core::Stream::poll_next(Pin::new(frames), _cx)
                .map(|frame| frame.map(|frame| frame.map(Frame::data))),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            RequestBody::Whole { data, .. } => data.is_empty(),
            #[cfg(feature = "event-stream")]
            RequestBody::Events(_) => false,
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            RequestBody::Whole { data, .. } => SizeHint::with_exact(data.len() as u64),
            #[cfg(feature = "event-stream")]
            RequestBody::Events(_) => SizeHint::default(),
        }
    }
}

/// A hyper response body, read frame by frame under the read timeout and,
/// once a reader asks for it, stalled-stream protection: one timer for both.
#[derive(Debug)]
struct HyperBody {
    body: Incoming,
    read_timeout: Option<Duration>,
    monitor: Option<ThroughputMonitor>,
}

impl BodyStream for HyperBody {
    fn next_chunk(&mut self) -> BoxFuture<'_, Option<Result<Bytes, TransportError>>> {
        Box::pin(next_data(
            &mut self.body,
            self.read_timeout,
            self.monitor.as_mut(),
        ))
    }

    fn watch_throughput(&mut self, protection: &StalledStreamProtection) -> bool {
        self.monitor = Some(ThroughputMonitor::new(protection, Direction::Download));
        true
    }
}

/// The next data frame of `body` (trailers are skipped), waiting at most
/// `read_timeout` for each frame, under `monitor`'s watch (recording the
/// size of each chunk).
async fn next_data(
    body: &mut Incoming,
    read_timeout: Option<Duration>,
    mut monitor: Option<&mut ThroughputMonitor>,
) -> Option<Result<Bytes, TransportError>> {
    loop {
        let frame = bounded(
            body.frame(),
            read_timeout,
            "the response body",
            monitor.as_deref_mut(),
        );
        let frame = match frame.await {
            Ok(frame) => frame?,
            Err(e) => return Some(Err(e)),
        };
        match frame.map_err(TransportError::io) {
            Ok(frame) => {
                if let Ok(chunk) = frame.into_data() {
                    if let Some(monitor) = monitor {
                        monitor.record(chunk.len() as u64);
                    }
                    return Some(Ok(chunk));
                }
            }
            Err(e) => return Some(Err(e)),
        }
    }
}

impl fmt::Debug for HyperTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyperTransport")
            .field("read_timeout", &self.read_timeout)
            .finish_non_exhaustive()
    }
}

/// Sorts a hyper client error into connect, timeout and I/O failures.
fn classify(error: hyper_util::client::legacy::Error) -> TransportError {
    let mut cause: Option<&(dyn Error + 'static)> = error.source();
    while let Some(e) = cause {
        if e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
        {
            return TransportError::timeout(error);
        }
        cause = e.source();
    }
    if error.is_connect() {
        TransportError::connect(error)
    } else {
        TransportError::io(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No upload to watch.
    const NOTHING: Option<&Mutex<Upload>> = None;

    fn upload(grace_ms: u64) -> Mutex<Upload> {
        let protection = StalledStreamProtection::enabled()
            .with_grace_period(Duration::from_millis(grace_ms))
            .with_minimum_throughput(1000);
        Mutex::new(Upload::new(&protection))
    }

    #[test]
    fn a_frame_already_there_is_read_without_a_timer() {
        // A runtime without the time driver: making a timer would panic.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let upload = upload(300);
        let ready = bounded(
            std::future::ready(7),
            Some(Duration::from_secs(1)),
            "the response body",
            Some(&upload),
        );
        assert_eq!(runtime.block_on(ready).unwrap(), 7);
    }

    #[tokio::test(start_paused = true)]
    async fn the_read_timeout_bounds_the_wait() {
        let start = tokio::time::Instant::now();
        let err = bounded(
            std::future::pending::<()>(),
            Some(Duration::from_millis(200)),
            "the response head",
            NOTHING,
        )
        .await
        .unwrap_err();
        assert!(err.is_timeout() && err.stalled_stream().is_none(), "{err}");
        assert_eq!(
            err.source().map(ToString::to_string).as_deref(),
            Some("read timeout of 200ms elapsed waiting for the response head")
        );
        assert_eq!(start.elapsed(), Duration::from_millis(200));
        // Something that arrives in time is waited for.
        let late = async {
            tokio::time::sleep(Duration::from_millis(150)).await;
            "head"
        };
        let got = bounded(late, Some(Duration::from_millis(200)), "the head", NOTHING).await;
        assert_eq!(got.unwrap(), "head");
    }

    #[tokio::test(start_paused = true)]
    async fn an_upload_that_does_not_move_stalls_before_a_longer_read_timeout() {
        let start = tokio::time::Instant::now();
        let upload = upload(300);
        let err = bounded(
            std::future::pending::<()>(),
            Some(Duration::from_secs(10)),
            "the response head",
            Some(&upload),
        )
        .await
        .unwrap_err();
        let stalled = err.stalled_stream().expect("StalledStream");
        assert_eq!(stalled.direction(), Direction::Upload);
        assert_eq!(stalled.bytes(), 0);
        // The grace period, and at most one check (a tenth of it) later.
        let elapsed = start.elapsed();
        assert!(
            elapsed >= Duration::from_millis(300) && elapsed <= Duration::from_millis(330),
            "{elapsed:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_shorter_read_timeout_fires_before_the_upload_is_checked() {
        let upload = upload(5000);
        let err = bounded(
            std::future::pending::<()>(),
            Some(Duration::from_millis(100)),
            "the response head",
            Some(&upload),
        )
        .await
        .unwrap_err();
        assert!(err.is_timeout() && err.stalled_stream().is_none(), "{err}");
    }

    #[tokio::test(start_paused = true)]
    async fn once_the_upload_is_sent_waiting_for_the_head_is_not_a_stall() {
        let upload = upload(300);
        upload.lock().unwrap().done = true;
        let start = tokio::time::Instant::now();
        let err = bounded(
            std::future::pending::<()>(),
            Some(Duration::from_secs(2)),
            "the response head",
            Some(&upload),
        )
        .await
        .unwrap_err();
        assert!(err.is_timeout() && err.stalled_stream().is_none(), "{err}");
        assert_eq!(start.elapsed(), Duration::from_secs(2));
        // And with no read timeout, nothing ends the wait but the answer.
        let answer = async {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            "late"
        };
        assert_eq!(
            bounded(answer, None, "x", Some(&upload)).await.unwrap(),
            "late"
        );
    }
}
