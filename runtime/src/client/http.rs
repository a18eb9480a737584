//! The HTTP request and response types that generated code builds and parses.
//!
//! Generated serializers build an [`HttpRequest`] from a method and an already
//! encoded path (see [`crate::client::encode`]), add query parameters, headers
//! and a body; the [`Runtime`](crate::client::Runtime) adds the endpoint, host,
//! user agent and signature. Transports turn it into bytes on the wire and hand
//! back an [`HttpResponse`] with the whole body read.

use bytes::Bytes;
use std::fmt;

use crate::client::encode;
#[cfg(feature = "event-stream")]
use crate::client::event_stream::{EventStreamBody, EventStreamFrames, RequestEventStream};
#[cfg(feature = "event-stream")]
use crate::client::sign::EventStreamSigner;
#[cfg(feature = "event-stream")]
use crate::client::transport::TransportError;

/// Header names whose values are secrets: never shown by `Debug`.
const SENSITIVE_HEADERS: [&str; 2] = ["authorization", "x-amz-security-token"];

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `DELETE`
    Delete,
    /// `PATCH`
    Patch,
    /// `HEAD`
    Head,
}

impl Method {
    /// The method as it appears on the wire, e.g. `"POST"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
            Method::Head => "HEAD",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An HTTP request: method, endpoint, encoded path and query, headers, body.
///
/// Generated code creates it with [`HttpRequest::new`] (the endpoint is still
/// unset then); the runtime sets the endpoint with
/// [`set_endpoint`](HttpRequest::set_endpoint) before signing and sending.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    method: Method,
    endpoint: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Bytes,
    host_prefix: String,
    /// An event-stream body, sent instead of `body`.
    #[cfg(feature = "event-stream")]
    event_stream: Option<RequestEventStream>,
}

impl HttpRequest {
    /// A request for `method` on `path`.
    ///
    /// `path` must already be percent-encoded (build it with
    /// [`encode::label`] and [`encode::greedy_label`]); it may carry a literal
    /// query string after `?` (as in a model's `/things?type=a`), which is kept
    /// as given and extended by [`query_param`](HttpRequest::query_param).
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        let path = path.into();
        let (path, query) = match path.split_once('?') {
            Some((p, q)) => (p.to_owned(), q.to_owned()),
            None => (path, String::new()),
        };
        HttpRequest {
            method,
            endpoint: String::new(),
            path,
            query,
            headers: Vec::new(),
            body: Bytes::new(),
            host_prefix: String::new(),
            #[cfg(feature = "event-stream")]
            event_stream: None,
        }
    }

    /// Appends the query parameter `key=value`, percent-encoding both.
    pub fn query_param(&mut self, key: &str, value: &str) -> &mut Self {
        self.start_query_pair();
        self.query.push_str(&encode::query(key));
        self.query.push('=');
        self.query.push_str(&encode::query(value));
        self
    }

    /// Appends a query parameter without a value (`?key`), percent-encoding it.
    pub fn query_key(&mut self, key: &str) -> &mut Self {
        self.start_query_pair();
        self.query.push_str(&encode::query(key));
        self
    }

    fn start_query_pair(&mut self) {
        if !self.query.is_empty() {
            self.query.push('&');
        }
    }

    /// Sets header `name` to `value`, replacing any earlier value (names
    /// compare case-insensitively).
    pub fn set_header(&mut self, name: &str, value: impl Into<String>) -> &mut Self {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    /// Adds header `name: value`, keeping earlier values of the same header.
    pub fn append_header(&mut self, name: &str, value: impl Into<String>) -> &mut Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    /// Sets the body and its `content-type`.
    pub fn set_body(&mut self, body: impl Into<Bytes>, content_type: &str) -> &mut Self {
        self.body = body.into();
        self.set_header("content-type", content_type)
    }

    /// Sets the endpoint, e.g. `https://ivschat.us-west-2.amazonaws.com` or
    /// `http://127.0.0.1:8080/base`: the path is appended to it.
    pub fn set_endpoint(&mut self, endpoint: &str) -> &mut Self {
        self.endpoint = endpoint.trim_end_matches('/').to_owned();
        self
    }

    /// Sets the prefix the runtime puts before the endpoint's host (the
    /// model's `@endpoint(hostPrefix)`, labels filled in), e.g. `data.`.
    pub fn set_host_prefix(&mut self, prefix: impl Into<String>) -> &mut Self {
        self.host_prefix = prefix.into();
        self
    }

    /// The host prefix (empty if none).
    pub fn host_prefix(&self) -> &str {
        &self.host_prefix
    }

    /// Replaces the body, keeping the headers.
    pub fn replace_body(&mut self, body: impl Into<Bytes>) -> &mut Self {
        self.body = body.into();
        self
    }

    /// The method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The endpoint set by the runtime (empty until then).
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The encoded path, without the endpoint's own base path.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The encoded query string, without the leading `?` (empty if none).
    pub fn query(&self) -> &str {
        &self.query
    }

    /// The full URI: endpoint, path and query.
    pub fn uri(&self) -> String {
        let mut uri =
            String::with_capacity(self.endpoint.len() + self.path.len() + self.query.len() + 2);
        uri.push_str(&self.endpoint);
        if !self.path.starts_with('/') {
            uri.push('/');
        }
        uri.push_str(&self.path);
        if !self.query.is_empty() {
            uri.push('?');
            uri.push_str(&self.query);
        }
        uri
    }

    /// All headers, in the order they were added.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }
}

/// Event-stream bodies (feature `event-stream`).
#[cfg(feature = "event-stream")]
impl HttpRequest {
    /// Makes the request carry `body`, an event stream, instead of its byte
    /// body (which is emptied), and sets `content-type:
    /// application/vnd.amazon.eventstream`.
    ///
    /// Clones of the request share the body: the first one a transport sends
    /// takes it, and sending any of them again fails with a non-retryable
    /// error, "the event stream was already sent". The
    /// [`Runtime`](crate::client::Runtime) therefore retries such a request
    /// only if it failed before the body was taken, and signs each message as
    /// it is sent (see [`event_stream`](crate::client::event_stream)).
    pub fn set_event_stream(&mut self, body: EventStreamBody) -> &mut Self {
        self.body = Bytes::new();
        self.event_stream = Some(RequestEventStream::new(body));
        self.set_header("content-type", "application/vnd.amazon.eventstream")
    }

    /// Whether the body is an event stream.
    pub fn has_event_stream(&self) -> bool {
        self.event_stream.is_some()
    }

    /// Whether the event-stream body was taken by a transport (it cannot be
    /// sent again); `false` if the body is not an event stream.
    pub fn event_stream_sent(&self) -> bool {
        self.event_stream
            .as_ref()
            .is_some_and(RequestEventStream::is_sent)
    }

    /// For transports: the event-stream body as the frames to send, or
    /// `Ok(None)` if the body is not an event stream (send
    /// [`body`](HttpRequest::body) then). The body is taken when the frames
    /// are first polled.
    ///
    /// Fails with a [`TransportErrorKind::Other`](crate::client::TransportErrorKind::Other)
    /// error (not retried) if the body was already taken, by this request or
    /// a clone of it.
    pub fn event_stream_frames(&self) -> Result<Option<EventStreamFrames>, TransportError> {
        self.event_stream
            .as_ref()
            .map(RequestEventStream::frames)
            .transpose()
    }

    /// Keeps the event-stream body for the next attempt (see
    /// [`RequestEventStream::reclaim`]): `false` if a transport already took
    /// it, `true` if it is still there or the body is not an event stream.
    pub(crate) fn reclaim_event_stream(&self) -> bool {
        self.event_stream
            .as_ref()
            .is_none_or(RequestEventStream::reclaim)
    }

    /// Has the event stream's messages signed with `signer` (the runtime,
    /// on each attempt's signed request).
    pub(crate) fn set_event_stream_signer(&mut self, signer: EventStreamSigner) {
        if let Some(stream) = self.event_stream.as_mut() {
            stream.set_signer(signer);
        }
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("HttpRequest");
        s.field("method", &self.method)
            .field("uri", &self.uri())
            .field("headers", &RedactedHeaders(&self.headers))
            .field(
                "body",
                &BodySummary(&self.body, self.header("content-type")),
            );
        #[cfg(feature = "event-stream")]
        if let Some(stream) = &self.event_stream {
            s.field("event_stream", stream);
        }
        s.finish()
    }
}

/// Shows a body as its length and content type, never its bytes (which may
/// hold secrets: chat tokens, credentials); the bytes stay reachable through
/// `body()`.
struct BodySummary<'a>(&'a Bytes, Option<&'a str>);

impl fmt::Debug for BodySummary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes", self.0.len())?;
        if let Some(content_type) = self.1 {
            write!(f, ", {}", content_type.escape_debug())?;
        }
        f.write_str(">")
    }
}

/// Shows headers with the values of secret ones replaced.
struct RedactedHeaders<'a>(&'a [(String, String)]);

impl fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(n, v)| {
                let sensitive = SENSITIVE_HEADERS.iter().any(|s| n.eq_ignore_ascii_case(s));
                (
                    n.as_str(),
                    if sensitive {
                        "** redacted **"
                    } else {
                        v.as_str()
                    },
                )
            }))
            .finish()
    }
}

/// An HTTP response with its whole body.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpResponse {
    status: u16,
    headers: Vec<(String, String)>,
    body: Bytes,
}

impl HttpResponse {
    /// A response with `status`, no headers and an empty body.
    pub fn new(status: u16) -> Self {
        HttpResponse {
            status,
            headers: Vec::new(),
            body: Bytes::new(),
        }
    }

    /// Adds header `name: value`.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Replaces the body.
    pub fn with_body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self
    }

    /// A response with `status`, `content-type: application/json` and `body`.
    pub fn json(status: u16, body: &str) -> Self {
        HttpResponse::new(status)
            .with_header("content-type", "application/json")
            .with_body(Bytes::copy_from_slice(body.as_bytes()))
    }

    /// The status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// All headers, in the order received.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The body: the raw bytes (`Debug` shows only their length and
    /// content type).
    pub fn body(&self) -> &Bytes {
        &self.body
    }
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &RedactedHeaders(&self.headers))
            .field(
                "body",
                &BodySummary(&self.body, self.header("content-type")),
            )
            .finish()
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_uri_from_endpoint_path_and_query() {
        let mut req = HttpRequest::new(Method::Get, "/things?type=a&flag");
        req.query_param("name", "a b/c").query_key("x y");
        req.set_endpoint("https://example.com/base/");
        assert_eq!(
            req.uri(),
            "https://example.com/base/things?type=a&flag&name=a%20b%2Fc&x%20y"
        );
        assert_eq!(req.path(), "/things");
        let mut plain = HttpRequest::new(Method::Post, "/CreateRoom");
        plain.set_endpoint("https://ivschat.us-west-2.amazonaws.com");
        assert_eq!(
            plain.uri(),
            "https://ivschat.us-west-2.amazonaws.com/CreateRoom"
        );
    }

    #[test]
    fn headers_are_case_insensitive_and_set_replaces() {
        let mut req = HttpRequest::new(Method::Post, "/");
        req.set_header("Content-Type", "text/plain")
            .append_header("x-a", "1")
            .append_header("X-A", "2");
        req.set_body(&b"{}"[..], "application/json");
        assert_eq!(req.header("content-type"), Some("application/json"));
        assert_eq!(
            req.headers()
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case("x-a"))
                .count(),
            2
        );
        req.set_header("x-a", "3");
        assert_eq!(req.header("X-A"), Some("3"));
        assert_eq!(
            req.headers()
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case("x-a"))
                .count(),
            1
        );
    }

    #[test]
    fn debug_redacts_secret_headers() {
        let mut req = HttpRequest::new(Method::Get, "/");
        req.set_header("Authorization", "AWS4-HMAC-SHA256 Signature=abc")
            .set_header("x-amz-security-token", "tok");
        let shown = format!("{req:?}");
        assert!(
            !shown.contains("Signature=abc") && !shown.contains("tok\""),
            "{shown}"
        );
        assert!(shown.contains("** redacted **"));
    }

    #[cfg(feature = "event-stream")]
    #[test]
    fn an_event_stream_body_replaces_the_bytes_and_is_not_shown() {
        use crate::client::event_stream::{EventStreamSender, Message};
        let mut req = HttpRequest::new(Method::Post, "/");
        req.set_body(&b"{}"[..], "application/json");
        assert!(!req.has_event_stream() && !req.event_stream_sent());
        assert!(matches!(req.event_stream_frames(), Ok(None)));
        let events: EventStreamSender<&'static str, crate::client::BoxError> =
            ["top secret"].into_iter().collect();
        req.set_event_stream(events.into_body(|e| Ok(Message::new(e.as_bytes()))));
        assert!(req.body().is_empty() && req.has_event_stream());
        assert_eq!(
            req.header("content-type"),
            Some("application/vnd.amazon.eventstream")
        );
        let clone = req.clone();
        assert_eq!(clone, req);
        let shown = format!("{clone:?}");
        assert!(!shown.contains("secret"), "{shown}");
        assert!(
            shown.ends_with("event_stream: EventStream { sent: false, signed: false } }"),
            "{shown}"
        );
    }

    #[test]
    fn debug_shows_body_length_and_type_never_the_bytes() {
        let secret = r#"{"token":"v1:chat-token-SECRET"}"#;
        let resp = HttpResponse::json(200, secret);
        let shown = format!("{resp:?}");
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(
            shown.contains(&format!("body: <{} bytes, application/json>", secret.len())),
            "{shown}"
        );
        assert_eq!(&resp.body()[..], secret.as_bytes());
        let mut req = HttpRequest::new(Method::Post, "/");
        req.set_body(secret, "application/json");
        let shown = format!("{req:?}");
        assert!(!shown.contains("SECRET"), "{shown}");
        let summary = format!("body: <{} bytes, application/json>", secret.len());
        assert!(shown.contains(&summary), "{shown}");
        let shown = format!("{:?}", HttpResponse::new(204));
        assert!(shown.contains("body: <0 bytes>"), "{shown}");
    }

    #[test]
    fn response_accessors() {
        let resp = HttpResponse::json(201, "{}").with_header("X-Amzn-RequestId", "r1");
        assert!(resp.is_success());
        assert_eq!(resp.header("x-amzn-requestid"), Some("r1"));
        assert_eq!(&resp.body()[..], b"{}");
        assert!(!HttpResponse::new(404).is_success());
    }
}
