//! The HTTP request and response types that generated code builds and parses.
//!
//! Generated serializers build an [`HttpRequest`] from a method and an already
//! encoded path (see [`crate::client::encode`]), add query parameters, headers
//! and a body; the [`Runtime`](crate::client::Runtime) adds the endpoint, host,
//! user agent and signature. Transports turn it into bytes on the wire and hand
//! back an [`HttpResponse`] with the whole body read.
//!
//! A request knows nothing of signing or event streams: a body that is sent
//! as it is produced (an event-stream input) is a [`StreamingBody`] that the
//! module making it attaches and reads back; the request only carries it.

use bytes::Bytes;
#[cfg(feature = "event-stream")]
use std::any::Any;
use std::fmt;

use crate::client::encode;

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

impl From<Method> for http::Method {
    fn from(method: Method) -> Self {
        match method {
            Method::Get => http::Method::GET,
            Method::Post => http::Method::POST,
            Method::Put => http::Method::PUT,
            Method::Delete => http::Method::DELETE,
            Method::Patch => http::Method::PATCH,
            Method::Head => http::Method::HEAD,
        }
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
    /// A body sent as it is produced, instead of `body`.
    #[cfg(feature = "event-stream")]
    streaming_body: Option<Box<dyn StreamingBody>>,
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
            streaming_body: None,
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

    /// The headers, to change them as aws-sdk's `headers_mut()` does (e.g. in
    /// a `customize().mutate_request(..)` closure).
    pub fn headers_mut(&mut self) -> HeadersMut<'_> {
        HeadersMut(&mut self.headers)
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

/// A request body that is produced while the request is sent rather than
/// held in memory: an event-stream input (feature `event-stream`), made and
/// read back by [`event_stream`](crate::client::event_stream).
///
/// A request only carries it: clones of the request share the body, and
/// the request's `Debug` shows what the body shows of itself.
#[cfg(feature = "event-stream")]
pub(crate) trait StreamingBody: Any + fmt::Debug + Send + Sync {
    /// A handle to the same body, for a clone of the request.
    fn clone_body(&self) -> Box<dyn StreamingBody>;

    /// Whether `other` is a handle to the same body.
    fn same_body(&self, other: &dyn StreamingBody) -> bool;

    /// What the body is (e.g. `event_stream`): the field the request's
    /// `Debug` shows it under.
    fn name(&self) -> &'static str;
}

#[cfg(feature = "event-stream")]
impl Clone for Box<dyn StreamingBody> {
    fn clone(&self) -> Self {
        self.clone_body()
    }
}

#[cfg(feature = "event-stream")]
impl PartialEq for Box<dyn StreamingBody> {
    fn eq(&self, other: &Self) -> bool {
        self.same_body(other.as_ref())
    }
}

#[cfg(feature = "event-stream")]
impl Eq for Box<dyn StreamingBody> {}

/// Streaming bodies (feature `event-stream`), for the modules that make
/// them.
#[cfg(feature = "event-stream")]
impl HttpRequest {
    /// Makes the request carry `body` instead of its byte body (which is
    /// emptied).
    pub(crate) fn set_streaming_body(&mut self, body: impl StreamingBody) -> &mut Self {
        self.body = Bytes::new();
        self.streaming_body = Some(Box::new(body));
        self
    }

    /// Whether the request carries a streaming body.
    pub(crate) fn has_streaming_body(&self) -> bool {
        self.streaming_body.is_some()
    }

    /// The streaming body, if the request carries one of type `T`.
    pub(crate) fn streaming_body<T: StreamingBody>(&self) -> Option<&T> {
        let body: &dyn Any = self.streaming_body.as_deref()?;
        body.downcast_ref()
    }

    /// The streaming body, to change it, if the request carries one of type
    /// `T`.
    pub(crate) fn streaming_body_mut<T: StreamingBody>(&mut self) -> Option<&mut T> {
        let body: &mut dyn Any = self.streaming_body.as_deref_mut()?;
        body.downcast_mut()
    }
}

/// A request's headers, borrowed to change them (names compare
/// case-insensitively). As aws-sdk's `Headers` for the common calls.
#[derive(Debug)]
pub struct HeadersMut<'a>(&'a mut Vec<(String, String)>);

impl HeadersMut<'_> {
    /// Sets `name` to `value`, returning the value it replaces.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<String>) -> Option<String> {
        let (name, value) = (name.into(), value.into());
        let old = self.remove(&name);
        self.0.push((name, value));
        old
    }

    /// Adds `name: value`, keeping earlier values.
    pub fn append(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.push((name.into(), value.into()));
    }

    /// Removes `name`, returning its first value.
    pub fn remove(&mut self, name: &str) -> Option<String> {
        let mut first = None;
        self.0.retain(|(n, v)| {
            if n.eq_ignore_ascii_case(name) {
                first.get_or_insert_with(|| v.clone());
                false
            } else {
                true
            }
        });
        first
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
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
        if let Some(body) = &self.streaming_body {
            s.field(body.name(), body);
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
    fn methods_become_http_methods_of_the_same_name() {
        for m in [
            Method::Get,
            Method::Post,
            Method::Put,
            Method::Delete,
            Method::Patch,
            Method::Head,
        ] {
            assert_eq!(http::Method::from(m).as_str(), m.as_str());
        }
    }

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

    /// A streaming body of the test's own, to show that the request only
    /// carries one: whatever module makes it reads it back by its type.
    #[cfg(feature = "event-stream")]
    #[derive(Debug, Clone)]
    struct Tagged(std::sync::Arc<str>);

    #[cfg(feature = "event-stream")]
    impl StreamingBody for Tagged {
        fn clone_body(&self) -> Box<dyn StreamingBody> {
            Box::new(self.clone())
        }

        fn same_body(&self, other: &dyn StreamingBody) -> bool {
            let other: &dyn Any = other;
            other
                .downcast_ref::<Tagged>()
                .is_some_and(|o| std::sync::Arc::ptr_eq(&self.0, &o.0))
        }

        fn name(&self) -> &'static str {
            "tagged"
        }
    }

    #[cfg(feature = "event-stream")]
    #[test]
    fn a_streaming_body_is_carried_not_read() {
        let mut req = HttpRequest::new(Method::Post, "/");
        req.set_body(&b"{}"[..], "application/json");
        assert!(!req.has_streaming_body() && req.streaming_body::<Tagged>().is_none());
        req.set_streaming_body(Tagged(std::sync::Arc::from("first")));
        assert!(req.body().is_empty() && req.has_streaming_body());
        assert_eq!(req.streaming_body::<Tagged>().map(|t| &*t.0), Some("first"));

        let clone = req.clone();
        assert_eq!(clone, req, "clones share the body");
        let mut other = req.clone();
        other.set_streaming_body(Tagged(std::sync::Arc::from("first")));
        assert_ne!(other, req, "an equal-looking body is another body");

        if let Some(tagged) = req.streaming_body_mut::<Tagged>() {
            tagged.0 = std::sync::Arc::from("changed");
        }
        assert_eq!(
            req.streaming_body::<Tagged>().map(|t| &*t.0),
            Some("changed")
        );
        let shown = format!("{clone:?}");
        assert!(shown.ends_with(r#"tagged: Tagged("first") }"#), "{shown}");
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
