//! Errors of a call, and the helpers generated code uses to parse error responses.
//!
//! An error response's code comes from the `X-Amzn-Errortype` header, else the
//! body's `code` (or `Code`), else its `__type`; a namespace before `#` and
//! anything after `:` are stripped (as botocore and the Smithy restJson1
//! protocol do). Generated code matches the code against the operation's
//! modeled errors and falls back to [`UnhandledError`].

use std::error::Error;
use std::fmt;

use crate::client::http::HttpResponse;
use crate::client::transport::{BoxError, TransportError};

/// Header carrying the error type.
const ERROR_TYPE_HEADER: &str = "x-amzn-errortype";
/// Header carrying the error message, when the body has none.
const ERROR_MESSAGE_HEADER: &str = "x-amzn-errormessage";
/// Headers carrying the request id, in order of preference.
const REQUEST_ID_HEADERS: [&str; 2] = ["x-amzn-requestid", "x-amz-request-id"];

/// The error code, message and request id of an error response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorMetadata {
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
}

impl ErrorMetadata {
    /// Reads the error code, message and request id from `response`.
    pub fn from_response(response: &HttpResponse) -> Self {
        let body = serde_json::from_slice::<serde_json::Value>(response.body()).ok();
        let body = body.as_ref().and_then(serde_json::Value::as_object);
        let body_str = |keys: &[&str]| {
            body.and_then(|b| {
                keys.iter()
                    .find_map(|k| b.get(*k).and_then(serde_json::Value::as_str))
            })
        };
        let code = response
            .header(ERROR_TYPE_HEADER)
            .or_else(|| body_str(&["code", "Code"]))
            .or_else(|| body_str(&["__type"]))
            .map(sanitize_error_code)
            .filter(|c| !c.is_empty())
            .map(str::to_owned);
        let message = body_str(&["message", "Message", "errorMessage"])
            .or_else(|| response.header(ERROR_MESSAGE_HEADER))
            .map(str::to_owned);
        ErrorMetadata {
            code,
            message,
            request_id: request_id(response).map(str::to_owned),
        }
    }

    /// The error code, e.g. `ValidationException`.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The error message.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The request id.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

/// Strips a namespace (`aws.foo#`) and a suffix after `:` from an error code.
pub fn sanitize_error_code(raw: &str) -> &str {
    let without_suffix = raw.split(':').next().unwrap_or(raw);
    without_suffix
        .rsplit('#')
        .next()
        .unwrap_or(without_suffix)
        .trim()
}

/// The request id of a response (`x-amzn-requestid`, else `x-amz-request-id`).
pub fn request_id(response: &HttpResponse) -> Option<&str> {
    REQUEST_ID_HEADERS.iter().find_map(|h| response.header(h))
}

/// An error the operation's model does not describe, or a failure turned into
/// one by [`SdkError::into_service_error`].
#[derive(Debug)]
pub struct UnhandledError {
    status: Option<u16>,
    meta: ErrorMetadata,
    source: Option<BoxError>,
}

impl UnhandledError {
    /// An unhandled error response with `status` and the parsed `meta`.
    pub fn new(status: u16, meta: ErrorMetadata) -> Self {
        UnhandledError {
            status: Some(status),
            meta,
            source: None,
        }
    }

    /// An unhandled error response, parsing its metadata.
    pub fn from_response(response: &HttpResponse) -> Self {
        Self::new(response.status(), ErrorMetadata::from_response(response))
    }

    /// An error carried by an event-stream message: an `error` message
    /// (`:error-code`, `:error-message`), or an `exception` the model does
    /// not list (`:exception-type`, with the message in its JSON `payload`
    /// when `message` is `None`). There is no status: the response was a success.
    pub fn from_event(code: Option<&str>, message: Option<&str>, payload: &[u8]) -> Self {
        let message = message.map(str::to_owned).or_else(|| {
            let body = serde_json::from_slice::<serde_json::Value>(payload).ok()?;
            ["message", "Message", "errorMessage"]
                .iter()
                .find_map(|k| body.get(*k).and_then(serde_json::Value::as_str))
                .map(str::to_owned)
        });
        UnhandledError {
            status: None,
            meta: ErrorMetadata {
                code: code.map(str::to_owned),
                message,
                request_id: None,
            },
            source: None,
        }
    }

    /// A failure that is not an error response (transport, timeout, ...).
    pub fn from_source(source: impl Into<BoxError>) -> Self {
        let source = source.into();
        let meta = ErrorMetadata {
            message: Some(source.to_string()),
            ..ErrorMetadata::default()
        };
        UnhandledError {
            status: None,
            meta,
            source: Some(source),
        }
    }

    /// Attaches the error that made the response unparseable, for example.
    pub fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// The HTTP status, if there was a response.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The error code, if the response had one.
    pub fn code(&self) -> Option<&str> {
        self.meta.code()
    }

    /// The error message.
    pub fn message(&self) -> Option<&str> {
        self.meta.message()
    }

    /// The request id, if the response had one.
    pub fn request_id(&self) -> Option<&str> {
        self.meta.request_id()
    }

    /// The code, message and request id together.
    pub fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

impl fmt::Display for UnhandledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unhandled error")?;
        let mut details = Vec::new();
        if let Some(code) = self.code() {
            details.push(code.to_owned());
        }
        if let Some(status) = self.status {
            details.push(format!("status {status}"));
        }
        if let Some(id) = self.request_id() {
            details.push(format!("request id {id}"));
        }
        if !details.is_empty() {
            write!(f, " ({})", details.join(", "))?;
        }
        if let Some(message) = self.message() {
            write!(f, ": {message}")?;
        }
        Ok(())
    }
}

impl Error for UnhandledError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source
            .as_ref()
            .map(|s| s.as_ref() as &(dyn Error + 'static))
    }
}

/// The request could not be built: invalid input, a validation failure, no
/// endpoint, no credentials, a signing failure.
#[derive(Debug)]
pub struct ConstructionError {
    source: BoxError,
}

impl ConstructionError {
    /// A construction failure caused by `source`.
    pub fn new(source: impl Into<BoxError>) -> Self {
        ConstructionError {
            source: source.into(),
        }
    }
}

impl fmt::Display for ConstructionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "failed to construct the request: {}", self.source)
    }
}

impl Error for ConstructionError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(self.source.as_ref())
    }
}

/// Which limit a [`TimeoutError`] hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// The operation timeout: the whole call, retries included.
    Operation,
    /// The operation attempt timeout, on the last attempt.
    OperationAttempt,
    /// The transport's connect or read timeout, on the last attempt.
    Transport,
    /// Stalled-stream protection: a body moved more slowly than the minimum
    /// throughput, on the last attempt.
    StalledStream,
}

/// A timeout elapsed: the operation timeout, or, on the last attempt, the
/// attempt timeout, a transport timeout or stalled-stream protection; see
/// [`kind`](TimeoutError::kind).
#[derive(Debug)]
pub struct TimeoutError {
    kind: TimeoutKind,
    message: String,
    source: Option<TransportError>,
}

impl TimeoutError {
    /// The operation timeout of `limit` elapsed.
    pub fn operation(limit: std::time::Duration) -> Self {
        TimeoutError {
            kind: TimeoutKind::Operation,
            message: format!("operation timeout of {limit:?} elapsed"),
            source: None,
        }
    }

    /// The operation attempt timeout of `limit` elapsed on the last attempt.
    pub fn operation_attempt(limit: std::time::Duration) -> Self {
        TimeoutError {
            kind: TimeoutKind::OperationAttempt,
            message: format!("operation attempt timeout of {limit:?} elapsed on the last attempt"),
            source: None,
        }
    }

    /// The transport timed out on the last attempt (a stalled body is
    /// [`TimeoutKind::StalledStream`]).
    pub fn transport(error: TransportError) -> Self {
        let kind = if error.stalled_stream().is_some() {
            TimeoutKind::StalledStream
        } else {
            TimeoutKind::Transport
        };
        TimeoutError {
            kind,
            message: "the last attempt timed out".to_owned(),
            source: Some(error),
        }
    }

    /// Which limit elapsed.
    pub fn kind(&self) -> TimeoutKind {
        self.kind
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl Error for TimeoutError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_ref().map(|s| s as &(dyn Error + 'static))
    }
}

/// A response arrived but could not be parsed.
#[derive(Debug)]
pub struct ResponseError {
    source: BoxError,
    raw: HttpResponse,
}

impl ResponseError {
    /// The raw response.
    pub fn raw(&self) -> &HttpResponse {
        &self.raw
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "failed to parse the response (status {}): {}",
            self.raw.status(),
            self.source
        )
    }
}

impl Error for ResponseError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(self.source.as_ref())
    }
}

/// The service returned an error: the operation's error `E` and the raw response.
#[derive(Debug)]
pub struct ServiceError<E> {
    err: E,
    raw: HttpResponse,
}

impl<E> ServiceError<E> {
    /// The operation error.
    pub fn err(&self) -> &E {
        &self.err
    }

    /// The operation error, by value.
    pub fn into_err(self) -> E {
        self.err
    }

    /// The raw response.
    pub fn raw(&self) -> &HttpResponse {
        &self.raw
    }
}

impl<E: fmt::Display> fmt::Display for ServiceError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "service error: {}", self.err)
    }
}

impl<E: Error + 'static> Error for ServiceError<E> {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&self.err)
    }
}

/// How [`Runtime::send`](crate::client::Runtime::send) fails (it returns error
/// responses as responses): convert with `?` into an [`SdkError`].
#[derive(Debug)]
pub enum SendError {
    /// The request could not be built, resolved, or signed.
    Construction(ConstructionError),
    /// The request could not be sent, on every attempt.
    Dispatch(TransportError),
    /// A timeout elapsed.
    Timeout(TimeoutError),
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SendError::Construction(e) => e.fmt(f),
            SendError::Dispatch(e) => write!(f, "dispatch failure: {e}"),
            SendError::Timeout(e) => e.fmt(f),
        }
    }
}

impl Error for SendError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            SendError::Construction(e) => Some(e),
            SendError::Dispatch(e) => Some(e),
            SendError::Timeout(e) => Some(e),
        }
    }
}

/// Why a call failed; `E` is the operation's error type.
#[derive(Debug)]
pub enum SdkError<E> {
    /// The request could not be built (missing members, validation, endpoint, credentials, signing).
    Construction(ConstructionError),
    /// A timeout elapsed.
    Timeout(TimeoutError),
    /// The request could not be sent (connection failures on every attempt).
    Dispatch(TransportError),
    /// A response arrived but could not be parsed.
    Response(ResponseError),
    /// The service returned an error.
    Service(ServiceError<E>),
}

impl<E> SdkError<E> {
    /// A construction failure (e.g. a `BuildError` or `ValidationError`).
    pub fn construction(source: impl Into<BoxError>) -> Self {
        SdkError::Construction(ConstructionError::new(source))
    }

    /// An unparseable response.
    pub fn response(source: impl Into<BoxError>, raw: HttpResponse) -> Self {
        SdkError::Response(ResponseError {
            source: source.into(),
            raw,
        })
    }

    /// A service error `err` with its raw response.
    pub fn service(err: E, raw: HttpResponse) -> Self {
        SdkError::Service(ServiceError { err, raw })
    }

    /// The operation error, if the service returned one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            SdkError::Service(e) => Some(&e.err),
            _ => None,
        }
    }

    /// The operation error; other failures become its unhandled variant.
    pub fn into_service_error(self) -> E
    where
        E: From<UnhandledError>,
    {
        match self {
            SdkError::Service(e) => e.err,
            SdkError::Construction(e) => UnhandledError::from_source(e).into(),
            SdkError::Timeout(e) => UnhandledError::from_source(e).into(),
            SdkError::Dispatch(e) => UnhandledError::from_source(e).into(),
            SdkError::Response(e) => {
                let status = e.raw.status();
                let meta = ErrorMetadata::from_response(&e.raw);
                UnhandledError::new(status, meta).with_source(e).into()
            }
        }
    }

    /// The raw response, if one arrived.
    pub fn raw_response(&self) -> Option<&HttpResponse> {
        match self {
            SdkError::Service(e) => Some(&e.raw),
            SdkError::Response(e) => Some(&e.raw),
            _ => None,
        }
    }

    /// The request id of the response, if one arrived and had one.
    pub fn request_id(&self) -> Option<&str> {
        self.raw_response().and_then(request_id)
    }

    /// Converts the operation error with `f`, keeping everything else.
    pub fn map_service_error<E2>(self, f: impl FnOnce(E) -> E2) -> SdkError<E2> {
        match self {
            SdkError::Construction(e) => SdkError::Construction(e),
            SdkError::Timeout(e) => SdkError::Timeout(e),
            SdkError::Dispatch(e) => SdkError::Dispatch(e),
            SdkError::Response(e) => SdkError::Response(e),
            SdkError::Service(e) => SdkError::Service(ServiceError {
                err: f(e.err),
                raw: e.raw,
            }),
        }
    }
}

impl<E> From<SendError> for SdkError<E> {
    fn from(e: SendError) -> Self {
        match e {
            SendError::Construction(e) => SdkError::Construction(e),
            SendError::Dispatch(e) => SdkError::Dispatch(e),
            SendError::Timeout(e) => SdkError::Timeout(e),
        }
    }
}

impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Construction(e) => e.fmt(f),
            SdkError::Timeout(e) => e.fmt(f),
            SdkError::Dispatch(e) => write!(f, "dispatch failure: {e}"),
            SdkError::Response(e) => e.fmt(f),
            SdkError::Service(e) => e.fmt(f),
        }
    }
}

impl<E: Error + 'static> Error for SdkError<E> {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            SdkError::Construction(e) => Some(e),
            SdkError::Timeout(e) => Some(e),
            SdkError::Dispatch(e) => Some(e),
            SdkError::Response(e) => Some(e),
            SdkError::Service(e) => Some(&e.err),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_from_header_then_code_then_dunder_type() {
        let resp = HttpResponse::json(400, r#"{"code":"Body","__type":"Dunder","message":"m"}"#)
            .with_header(
                "X-Amzn-Errortype",
                "aws.x#Header:http://internal.amazon.com/x/",
            )
            .with_header("x-amzn-RequestId", "req-1");
        let meta = ErrorMetadata::from_response(&resp);
        assert_eq!(
            (meta.code(), meta.message(), meta.request_id()),
            (Some("Header"), Some("m"), Some("req-1"))
        );
        let resp = HttpResponse::json(400, r#"{"__type":"ns#Dunder","code":"ns#Body:uri"}"#);
        assert_eq!(ErrorMetadata::from_response(&resp).code(), Some("Body"));
        let resp = HttpResponse::json(
            400,
            r#"{"__type":"com.amazonaws.ivschat#ValidationException","Message":"M"}"#,
        );
        let meta = ErrorMetadata::from_response(&resp);
        assert_eq!(
            (meta.code(), meta.message()),
            (Some("ValidationException"), Some("M"))
        );
    }

    #[test]
    fn tolerates_bodies_that_are_not_json_objects() {
        let resp = HttpResponse::new(503).with_body("<html>Service Unavailable</html>");
        assert_eq!(
            ErrorMetadata::from_response(&resp),
            ErrorMetadata::default()
        );
        let resp = HttpResponse::json(500, "[1]").with_header("x-amzn-ErrorMessage", "from header");
        assert_eq!(
            ErrorMetadata::from_response(&resp).message(),
            Some("from header")
        );
        let resp = HttpResponse::new(500).with_header("x-amz-request-id", "r2");
        assert_eq!(request_id(&resp), Some("r2"));
    }

    #[test]
    fn sanitizes_codes() {
        assert_eq!(sanitize_error_code("FooError"), "FooError");
        assert_eq!(
            sanitize_error_code("FooError:http://internal.amazon.com/coral/"),
            "FooError"
        );
        assert_eq!(
            sanitize_error_code("aws.protocoltests.restjson#FooError:http://x/y"),
            "FooError"
        );
        assert_eq!(sanitize_error_code("a.b#c#FooError"), "FooError");
    }

    #[derive(Debug)]
    enum OpError {
        Throttling,
        Unhandled(UnhandledError),
    }

    impl From<UnhandledError> for OpError {
        fn from(e: UnhandledError) -> Self {
            OpError::Unhandled(e)
        }
    }

    impl fmt::Display for OpError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "{self:?}")
        }
    }

    impl Error for OpError {}

    #[test]
    fn into_service_error_keeps_details() {
        let raw = HttpResponse::json(500, r#"{"__type":"Boom","message":"it broke"}"#)
            .with_header("x-amzn-requestid", "id-9");
        let err: SdkError<OpError> = SdkError::service(OpError::Throttling, raw.clone());
        assert_eq!(err.request_id(), Some("id-9"));
        assert!(matches!(err.into_service_error(), OpError::Throttling));

        let err: SdkError<OpError> = SdkError::response("bad json", raw);
        let OpError::Unhandled(u) = err.into_service_error() else {
            panic!("expected unhandled")
        };
        assert_eq!(
            (u.status(), u.code(), u.message(), u.request_id()),
            (Some(500), Some("Boom"), Some("it broke"), Some("id-9"))
        );
        assert_eq!(
            u.to_string(),
            "unhandled error (Boom, status 500, request id id-9): it broke"
        );
        assert!(u.source().is_some());

        let err: SdkError<OpError> = SendError::Dispatch(TransportError::connect("refused")).into();
        assert_eq!(
            err.to_string(),
            "dispatch failure: connection failed: refused"
        );
        let OpError::Unhandled(u) = err.into_service_error() else {
            panic!("expected unhandled")
        };
        assert_eq!(
            (u.status(), u.message()),
            (None, Some("connection failed: refused"))
        );

        let err: SdkError<OpError> = SdkError::construction("missing member");
        assert_eq!(
            err.to_string(),
            "failed to construct the request: missing member"
        );
        assert!(err.as_service_error().is_none());
        let mapped = SdkError::<OpError>::service(OpError::Throttling, HttpResponse::new(429))
            .map_service_error(|_| 7u8);
        assert_eq!(mapped.as_service_error(), Some(&7));
    }

    #[test]
    fn debug_and_display_never_show_a_body() {
        let secret = r#"{"token":"SECRET-TOKEN","message":"m"}"#;
        let raw = HttpResponse::json(200, secret);
        let errors: [SdkError<OpError>; 3] = [
            SdkError::response("expected a string", raw.clone()),
            SdkError::service(OpError::Throttling, raw.clone().with_header("x", "y")),
            SdkError::service(
                OpError::Unhandled(UnhandledError::from_response(&raw)),
                raw.clone(),
            ),
        ];
        for err in errors {
            let mut shown = format!("{err}\n{err:?}");
            let mut source = err.source();
            while let Some(e) = source {
                shown.push_str(&format!("\n{e}\n{e:?}"));
                source = e.source();
            }
            assert!(!shown.contains("SECRET"), "{shown}");
            let summary = format!("<{} bytes, application/json>", secret.len());
            assert!(shown.contains(&summary), "{shown}");
            assert_eq!(&err.raw_response().unwrap().body()[..], secret.as_bytes());
        }
    }

    #[test]
    fn timeouts_say_which_limit_elapsed() {
        let limit = std::time::Duration::from_millis(250);
        assert_eq!(
            TimeoutError::operation(limit).kind(),
            TimeoutKind::Operation
        );
        let attempt = TimeoutError::operation_attempt(limit);
        assert_eq!(attempt.kind(), TimeoutKind::OperationAttempt);
        assert_eq!(
            attempt.to_string(),
            "operation attempt timeout of 250ms elapsed on the last attempt"
        );
        let read = TimeoutError::transport(TransportError::timeout("read timeout"));
        assert_eq!(read.kind(), TimeoutKind::Transport);
        assert!(read.source().is_some());
    }

    #[test]
    fn event_errors_keep_code_and_message() {
        let u = UnhandledError::from_event(Some("ThrottledError"), Some("slow down"), b"");
        assert_eq!(
            (u.status(), u.code(), u.message()),
            (None, Some("ThrottledError"), Some("slow down"))
        );
        let u = UnhandledError::from_event(Some("NewException"), None, br#"{"Message":"new"}"#);
        assert_eq!((u.code(), u.message()), (Some("NewException"), Some("new")));
        let u = UnhandledError::from_event(None, None, b"not json");
        assert_eq!((u.code(), u.message()), (None, None));
    }
}
