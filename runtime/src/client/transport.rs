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

use std::error::Error;
use std::fmt;
use std::future::Future;
use std::pin::Pin;

use bytes::{Bytes, BytesMut};

use crate::client::http::{HttpRequest, HttpResponse};

/// A boxed, `Send` future: what the runtime's object-safe traits return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A boxed error that can cross threads.
pub type BoxError = Box<dyn Error + Send + Sync + 'static>;

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

    /// Reads the rest of the body: the whole response.
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

/// What kind of failure a [`TransportError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportErrorKind {
    /// The connection could not be established (DNS, TCP, TLS).
    Connect,
    /// A connect or read timeout elapsed.
    Timeout,
    /// The connection failed while sending or receiving.
    Io,
    /// The request could not be sent at all (e.g. an invalid URI or header).
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

    /// The request could not be sent (not retried).
    pub fn other(source: impl Into<BoxError>) -> Self {
        Self::new(TransportErrorKind::Other, source)
    }

    /// The kind of failure.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Whether a timeout elapsed.
    pub fn is_timeout(&self) -> bool {
        self.kind == TransportErrorKind::Timeout
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportErrorKind::Connect => "connection failed",
            TransportErrorKind::Timeout => "transport timeout",
            TransportErrorKind::Io => "connection error",
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
