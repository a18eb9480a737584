//! Errors of a call, and the helpers generated code uses to parse error responses.
//!
//! An error response's code comes from the `X-Amzn-Errortype` header, else the
//! body's `code` (or `Code`), else its `__type`; a namespace before `#` and
//! anything after `:` are stripped (as botocore and the Smithy restJson1
//! protocol do). Generated code matches the code against the operation's
//! modeled errors and falls back to [`UnhandledError`].

use std::error::Error;
use std::fmt;

use crate::client::boxed::BoxError;
use crate::client::http::HttpResponse;
use crate::client::transport::TransportError;
use crate::shown::Escaped;

/// Header carrying the error type.
const ERROR_TYPE_HEADER: &str = "x-amzn-errortype";
/// Header carrying the error message, when the body has none.
const ERROR_MESSAGE_HEADER: &str = "x-amzn-errormessage";
/// Headers carrying the request id, in order of preference.
const REQUEST_ID_HEADERS: [&str; 2] = ["x-amzn-requestid", "x-amz-request-id"];

/// The error code, message and request id of an error response, read with
/// [`ProvideErrorMetadata`] and [`RequestId`] as in aws-sdk.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorMetadata {
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    extras: Vec<(&'static str, String)>,
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
            extras: Vec::new(),
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

    /// An extra field set with [`ErrorMetadataBuilder::custom`].
    pub fn extra(&self, key: &'static str) -> Option<&str> {
        if key == AWS_REQUEST_ID {
            return self.request_id();
        }
        self.extras
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }

    /// A builder, as aws-sdk's `ErrorMetadata::builder()`.
    pub fn builder() -> ErrorMetadataBuilder {
        ErrorMetadataBuilder::default()
    }

    /// A builder holding this metadata.
    pub fn into_builder(self) -> ErrorMetadataBuilder {
        ErrorMetadataBuilder { inner: self }
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

/// Metadata with nothing in it: what failures without an error response provide.
pub static EMPTY_ERROR_METADATA: ErrorMetadata = ErrorMetadata {
    code: None,
    message: None,
    request_id: None,
    extras: Vec::new(),
};

/// Reads the error code and message of an error; as aws-smithy-types'
/// `ProvideErrorMetadata`, which generated errors implement.
pub trait ProvideErrorMetadata {
    /// The code, message and request id together.
    fn meta(&self) -> &ErrorMetadata;

    /// The error code, e.g. `ValidationException`.
    fn code(&self) -> Option<&str> {
        self.meta().code()
    }

    /// The error message.
    fn message(&self) -> Option<&str> {
        self.meta().message()
    }
}

/// The request id of a response or error; as `aws_types::request_id::RequestId`
/// (which aws-sdk re-exports as `operation::RequestId`).
pub trait RequestId {
    /// The request id, or `None` if no response arrived or it had none.
    fn request_id(&self) -> Option<&str>;
}

/// Writes an error and every error in its `source()` chain, separated by
/// `: `, then the error's `Debug` in parentheses; as aws-smithy-types'
/// `DisplayErrorContext`.
#[derive(Debug)]
pub struct DisplayErrorContext<E: Error>(pub E);

impl<E: Error> fmt::Display for DisplayErrorContext<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut next: Option<&dyn Error> = Some(&self.0);
        let mut first = true;
        while let Some(e) = next {
            if !first {
                f.write_str(": ")?;
            }
            write!(f, "{e}")?;
            first = false;
            next = e.source();
        }
        write!(f, " ({:?})", self.0)
    }
}

/// Builds an [`ErrorMetadata`] (tests, and errors made by hand).
#[derive(Debug, Clone, Default)]
pub struct ErrorMetadataBuilder {
    inner: ErrorMetadata,
}

impl ErrorMetadataBuilder {
    /// Sets the error code.
    pub fn code(mut self, code: impl Into<String>) -> Self {
        self.inner.code = Some(code.into());
        self
    }

    /// Sets the error message.
    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.inner.message = Some(message.into());
        self
    }

    /// Sets an extra field; `aws_request_id` is the request id, as in aws-sdk.
    pub fn custom(mut self, key: &'static str, value: impl Into<String>) -> Self {
        let value = value.into();
        if key == AWS_REQUEST_ID {
            self.inner.request_id = Some(value);
        } else {
            self.inner.extras.retain(|(k, _)| *k != key);
            self.inner.extras.push((key, value));
        }
        self
    }

    /// The metadata.
    pub fn build(self) -> ErrorMetadata {
        self.inner
    }
}

/// The extra field holding the request id, as aws-sdk names it.
const AWS_REQUEST_ID: &str = "aws_request_id";

impl ProvideErrorMetadata for ErrorMetadata {
    fn meta(&self) -> &ErrorMetadata {
        self
    }
}

impl RequestId for ErrorMetadata {
    fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl fmt::Display for ErrorMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The code and message come from the response: escaped, whole.
        f.write_str("error")?;
        if let Some(code) = &self.code {
            write!(f, " {}", Escaped(code))?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {}", Escaped(message))?;
        }
        Ok(())
    }
}

impl Error for ErrorMetadata {}

impl RequestId for HttpResponse {
    fn request_id(&self) -> Option<&str> {
        request_id(self)
    }
}

/// An error the operation's model does not describe, or a failure turned into
/// one by [`SdkError::into_service_error`].
///
/// `Display` names the code, status and request id (and the service's
/// message); the failure that caused it, if any, is its `source()`.
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
                ..ErrorMetadata::default()
            },
            source: None,
        }
    }

    /// A failure that is not an error response (transport, timeout, ...):
    /// no status, no code, and `source` as its `source()`.
    pub fn from_source(source: impl Into<BoxError>) -> Self {
        UnhandledError {
            status: None,
            meta: ErrorMetadata::default(),
            source: Some(source.into()),
        }
    }

    /// Unhandled error metadata (aws-sdk's `<Op>Error::generic`).
    pub fn from_meta(meta: ErrorMetadata) -> Self {
        UnhandledError {
            status: None,
            meta,
            source: None,
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

impl ProvideErrorMetadata for UnhandledError {
    fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

impl RequestId for UnhandledError {
    fn request_id(&self) -> Option<&str> {
        self.meta.request_id()
    }
}

impl fmt::Display for UnhandledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The code, request id and message come from the response: escaped, whole.
        f.write_str("unhandled error")?;
        let mut details = Vec::new();
        if let Some(code) = self.code() {
            details.push(Escaped(code).to_string());
        }
        if let Some(status) = self.status {
            details.push(format!("status {status}"));
        }
        if let Some(id) = self.request_id() {
            details.push(format!("request id {}", Escaped(id)));
        }
        if !details.is_empty() {
            write!(f, " ({})", details.join(", "))?;
        }
        if let Some(message) = self.message() {
            write!(f, ": {}", Escaped(message))?;
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
/// endpoint, no credentials, a signing failure (the cause is
/// [`SdkError`]'s `source()`). As aws-sdk's `ConstructionFailure`.
#[derive(Debug)]
pub struct ConstructionFailure {
    source: BoxError,
}

impl ConstructionFailure {
    /// A construction failure caused by `source`.
    pub fn new(source: impl Into<BoxError>) -> Self {
        ConstructionFailure {
            source: source.into(),
        }
    }

    /// What went wrong.
    pub fn source(&self) -> &(dyn Error + Send + Sync + 'static) {
        self.source.as_ref()
    }
}

/// The operation's timeout elapsed before it finished.
#[derive(Debug)]
pub struct OperationTimeout {
    limit: std::time::Duration,
}

impl fmt::Display for OperationTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "operation timeout of {:?} elapsed", self.limit)
    }
}

impl Error for OperationTimeout {}

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
    /// A timeout another layer reported (made with `SdkError::timeout_error`).
    Other,
}

/// The operation attempt timeout elapsed on the last attempt.
#[derive(Debug)]
pub struct OperationAttemptTimeout {
    limit: std::time::Duration,
}

impl fmt::Display for OperationAttemptTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "operation attempt timeout of {:?} elapsed on the last attempt",
            self.limit
        )
    }
}

impl Error for OperationAttemptTimeout {}

/// A timeout elapsed: the operation timeout, or, on the last attempt, the
/// attempt timeout, a transport timeout or stalled-stream protection (see
/// [`kind`](TimeoutError::kind); the cause is [`SdkError`]'s `source()`).
/// As aws-sdk's `TimeoutError`.
#[derive(Debug)]
pub struct TimeoutError {
    kind: TimeoutKind,
    source: BoxError,
}

impl TimeoutError {
    /// The operation timeout of `limit` elapsed.
    pub fn operation(limit: std::time::Duration) -> Self {
        TimeoutError {
            kind: TimeoutKind::Operation,
            source: Box::new(OperationTimeout { limit }),
        }
    }

    /// The operation attempt timeout of `limit` elapsed on the last attempt.
    pub fn operation_attempt(limit: std::time::Duration) -> Self {
        TimeoutError {
            kind: TimeoutKind::OperationAttempt,
            source: Box::new(OperationAttemptTimeout { limit }),
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
            source: Box::new(error),
        }
    }

    /// Which limit elapsed.
    pub fn kind(&self) -> TimeoutKind {
        self.kind
    }

    /// What timed out.
    pub fn source(&self) -> &(dyn Error + Send + Sync + 'static) {
        self.source.as_ref()
    }
}

/// The request could not be sent, on every attempt (the cause is
/// [`SdkError`]'s `source()`). As aws-sdk's `DispatchFailure`.
#[derive(Debug)]
pub struct DispatchFailure {
    source: TransportError,
}

impl DispatchFailure {
    /// The transport's error.
    pub fn as_transport_error(&self) -> &TransportError {
        &self.source
    }

    /// The transport's error, as aws-sdk's `as_connector_error` gives its
    /// `ConnectorError` (ours is [`TransportError`], with the same `is_*`
    /// methods); always `Some`, as there.
    pub fn as_connector_error(&self) -> Option<&TransportError> {
        Some(&self.source)
    }

    /// Whether a connect or read timeout ended the last attempt.
    pub fn is_timeout(&self) -> bool {
        self.source.is_timeout()
    }

    /// Whether connecting, sending or receiving failed.
    pub fn is_io(&self) -> bool {
        self.source.is_io()
    }

    /// Whether the request or the transport's settings were invalid (e.g.
    /// an invalid header or TLS setting): nothing was sent.
    pub fn is_user(&self) -> bool {
        self.source.is_user()
    }

    /// Whether it is some other failure (e.g. a response over
    /// `max_response_body_size`).
    pub fn is_other(&self) -> bool {
        self.source.is_other()
    }
}

/// A response arrived but could not be parsed (the parse error is
/// [`SdkError`]'s `source()`). As aws-sdk's `ResponseError`.
#[derive(Debug)]
pub struct ResponseError<R = HttpResponse> {
    source: BoxError,
    raw: R,
}

impl<R> ResponseError<R> {
    /// Why the response could not be parsed.
    pub fn source(&self) -> &(dyn Error + Send + Sync + 'static) {
        self.source.as_ref()
    }

    /// The raw response.
    pub fn raw(&self) -> &R {
        &self.raw
    }

    /// The raw response, by value.
    pub fn into_raw(self) -> R {
        self.raw
    }
}

/// The service returned an error: the operation's error `E` and the raw
/// response. As aws-sdk's `ServiceError`.
#[derive(Debug)]
pub struct ServiceError<E, R = HttpResponse> {
    source: E,
    raw: R,
}

impl<E, R> ServiceError<E, R> {
    /// The operation error.
    pub fn err(&self) -> &E {
        &self.source
    }

    /// The operation error, by value.
    pub fn into_err(self) -> E {
        self.source
    }

    /// The raw response.
    pub fn raw(&self) -> &R {
        &self.raw
    }

    /// The raw response, by value.
    pub fn into_raw(self) -> R {
        self.raw
    }
}

/// How [`Runtime::send`](crate::client::Runtime::send) fails (it returns error
/// responses as responses): convert with `?` into an [`SdkError`].
#[derive(Debug)]
pub enum SendError {
    /// The request could not be built, resolved, or signed.
    Construction(ConstructionFailure),
    /// The request could not be sent, on every attempt.
    Dispatch(TransportError),
    /// A timeout elapsed.
    Timeout(TimeoutError),
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SendError::Construction(_) => "failed to construct request",
            SendError::Dispatch(_) => "dispatch failure",
            SendError::Timeout(_) => "request has timed out",
        })
    }
}

impl Error for SendError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            SendError::Construction(e) => Some(e.source.as_ref()),
            SendError::Dispatch(e) => Some(e),
            SendError::Timeout(e) => Some(e.source.as_ref()),
        }
    }
}

/// Why a call failed; `E` is the operation's error type, `R` the raw
/// response (as in aws-sdk, `SdkError<E>` names the usual one).
///
/// `Display` says which stage failed (`failed to construct request`,
/// `dispatch failure`, ...), as aws-sdk does; the cause is `source()`.
/// Print the whole chain with [`DisplayErrorContext`].
#[non_exhaustive]
#[derive(Debug)]
pub enum SdkError<E, R = HttpResponse> {
    /// The request could not be built (missing members, validation, endpoint, credentials, signing).
    ConstructionFailure(ConstructionFailure),
    /// A timeout elapsed.
    TimeoutError(TimeoutError),
    /// The request could not be sent (connection failures on every attempt).
    DispatchFailure(DispatchFailure),
    /// A response arrived but could not be parsed.
    ResponseError(ResponseError<R>),
    /// The service returned an error.
    ServiceError(ServiceError<E, R>),
}

impl<E, R> SdkError<E, R> {
    /// A construction failure (e.g. a `BuildError` or `ValidationError`).
    pub fn construction_failure(source: impl Into<BoxError>) -> Self {
        SdkError::ConstructionFailure(ConstructionFailure::new(source))
    }

    /// A timeout.
    pub fn timeout_error(source: impl Into<BoxError>) -> Self {
        SdkError::TimeoutError(TimeoutError {
            kind: TimeoutKind::Other,
            source: source.into(),
        })
    }

    /// A request that could not be sent.
    pub fn dispatch_failure(source: TransportError) -> Self {
        SdkError::DispatchFailure(DispatchFailure { source })
    }

    /// An unparseable response.
    pub fn response_error(source: impl Into<BoxError>, raw: R) -> Self {
        SdkError::ResponseError(ResponseError {
            source: source.into(),
            raw,
        })
    }

    /// A service error `err` with its raw response.
    pub fn service_error(err: E, raw: R) -> Self {
        SdkError::ServiceError(ServiceError { source: err, raw })
    }

    /// The operation error, if the service returned one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            SdkError::ServiceError(e) => Some(&e.source),
            _ => None,
        }
    }

    /// The raw response, if one arrived.
    pub fn raw_response(&self) -> Option<&R> {
        match self {
            SdkError::ServiceError(e) => Some(&e.raw),
            SdkError::ResponseError(e) => Some(&e.raw),
            _ => None,
        }
    }

    /// The cause: the operation error, or what failed before it.
    pub fn into_source(self) -> Result<BoxError, Self>
    where
        E: Error + Send + Sync + 'static,
    {
        match self {
            SdkError::ConstructionFailure(e) => Ok(e.source),
            SdkError::TimeoutError(e) => Ok(e.source),
            SdkError::ResponseError(e) => Ok(e.source),
            SdkError::DispatchFailure(e) => Ok(Box::new(e.source)),
            SdkError::ServiceError(e) => Ok(Box::new(e.source)),
        }
    }

    /// Converts the operation error with `f`, keeping everything else.
    pub fn map_service_error<E2>(self, f: impl FnOnce(E) -> E2) -> SdkError<E2, R> {
        match self {
            SdkError::ConstructionFailure(e) => SdkError::ConstructionFailure(e),
            SdkError::TimeoutError(e) => SdkError::TimeoutError(e),
            SdkError::DispatchFailure(e) => SdkError::DispatchFailure(e),
            SdkError::ResponseError(e) => SdkError::ResponseError(e),
            SdkError::ServiceError(e) => SdkError::ServiceError(ServiceError {
                source: f(e.source),
                raw: e.raw,
            }),
        }
    }
}

impl<E> SdkError<E, HttpResponse> {
    /// The operation error; other failures become its unhandled variant,
    /// with this error as its source (and, for an unparseable response, its
    /// status, code, message and request id).
    pub fn into_service_error(self) -> E
    where
        E: From<UnhandledError> + Error + Send + Sync + 'static,
    {
        match self {
            SdkError::ServiceError(e) => e.source,
            SdkError::ResponseError(e) => {
                let status = e.raw.status();
                let meta = ErrorMetadata::from_response(&e.raw);
                UnhandledError::new(status, meta)
                    .with_source(SdkError::<E, HttpResponse>::ResponseError(e))
                    .into()
            }
            other => UnhandledError::from_source(other).into(),
        }
    }

    /// The request id of the response, if one arrived and had one.
    pub fn request_id(&self) -> Option<&str> {
        self.raw_response().and_then(request_id)
    }
}

impl<E> RequestId for SdkError<E, HttpResponse> {
    fn request_id(&self) -> Option<&str> {
        self.raw_response().and_then(request_id)
    }
}

impl<E: ProvideErrorMetadata, R> ProvideErrorMetadata for SdkError<E, R> {
    fn meta(&self) -> &ErrorMetadata {
        match self {
            SdkError::ServiceError(e) => e.source.meta(),
            _ => &EMPTY_ERROR_METADATA,
        }
    }
}

impl<E, R> From<SendError> for SdkError<E, R> {
    fn from(e: SendError) -> Self {
        match e {
            SendError::Construction(e) => SdkError::ConstructionFailure(e),
            SendError::Dispatch(e) => SdkError::dispatch_failure(e),
            SendError::Timeout(e) => SdkError::TimeoutError(e),
        }
    }
}

impl<E, R> From<ConstructionFailure> for SdkError<E, R> {
    fn from(e: ConstructionFailure) -> Self {
        SdkError::ConstructionFailure(e)
    }
}

impl<E, R> From<crate::input::BuildError> for SdkError<E, R> {
    fn from(e: crate::input::BuildError) -> Self {
        SdkError::construction_failure(e)
    }
}

impl<E, R> fmt::Display for SdkError<E, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SdkError::ConstructionFailure(_) => "failed to construct request",
            SdkError::TimeoutError(_) => "request has timed out",
            SdkError::DispatchFailure(_) => "dispatch failure",
            SdkError::ResponseError(_) => "response error",
            SdkError::ServiceError(_) => "service error",
        })
    }
}

impl<E: Error + 'static, R: fmt::Debug> Error for SdkError<E, R> {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            SdkError::ConstructionFailure(e) => Some(e.source.as_ref()),
            SdkError::TimeoutError(e) => Some(e.source.as_ref()),
            SdkError::DispatchFailure(e) => Some(&e.source),
            SdkError::ResponseError(e) => Some(e.source.as_ref()),
            SdkError::ServiceError(e) => Some(&e.source),
        }
    }
}

/// An error and its `source()` chain joined with `: `, for tests.
#[cfg(test)]
pub(crate) fn chain_text(e: &dyn Error) -> String {
    let mut out = e.to_string();
    let mut next = e.source();
    while let Some(s) = next {
        out.push_str(": ");
        out.push_str(&s.to_string());
        next = s.source();
    }
    out
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
    fn displays_escape_response_text_and_keep_it_whole() {
        let long = format!("Value 'x' at \"name\" {}", "y".repeat(500));
        let response = HttpResponse::json(
            400,
            &serde_json::json!({"message": format!("{long}\r\n\u{1b}[2J\u{202e}")}).to_string(),
        )
        .with_header("x-amzn-errortype", "Bad\u{1b}]0;title\u{7}Code")
        .with_header("x-amzn-requestid", "id\u{202e}1");
        let meta = ErrorMetadata::from_response(&response);
        let escaped_message = format!("{long}\\r\\n\\u{{1b}}[2J\\u{{202e}}");
        assert_eq!(
            meta.to_string(),
            format!("error Bad\\u{{1b}}]0;title\\u{{7}}Code: {escaped_message}")
        );
        assert_eq!(
            UnhandledError::new(400, meta).to_string(),
            format!(
                "unhandled error (Bad\\u{{1b}}]0;title\\u{{7}}Code, status 400, request id id\\u{{202e}}1): {escaped_message}"
            )
        );
        // The getters give the text as it came.
        let meta = ErrorMetadata::from_response(&response);
        assert!(meta.message().unwrap().ends_with("\u{202e}"));
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
            match self {
                OpError::Throttling => f.write_str("throttled"),
                OpError::Unhandled(e) => e.fmt(f),
            }
        }
    }

    impl Error for OpError {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            match self {
                OpError::Throttling => None,
                OpError::Unhandled(e) => e.source(),
            }
        }
    }

    /// Every message of an error's `source()` chain, top first.
    fn chain(e: &dyn Error) -> Vec<String> {
        let mut out = vec![e.to_string()];
        let mut next = e.source();
        while let Some(s) = next {
            out.push(s.to_string());
            next = s.source();
        }
        out
    }

    /// No message of a chain contains the next one: each level says only
    /// what went wrong at that level (Rust API guidelines, smithy-rs).
    fn assert_no_repeats(e: &dyn Error) {
        let chain = chain(e);
        for pair in chain.windows(2) {
            assert!(
                !pair[0].contains(&pair[1]),
                "`{}` repeats its source `{}`: {chain:?}",
                pair[0],
                pair[1]
            );
        }
    }

    #[test]
    fn a_source_chain_reporter_prints_each_message_once() {
        let build =
            crate::input::BuildError::missing("CreateChatTokenInput", vec!["roomIdentifier"]);
        let cases: Vec<SdkError<OpError>> = vec![
            SdkError::construction_failure(build),
            SendError::Construction(ConstructionFailure::new(std::io::Error::other("no creds")))
                .into(),
            SendError::Dispatch(TransportError::connect(std::io::Error::other("refused"))).into(),
            SendError::Timeout(TimeoutError::transport(TransportError::timeout("read"))).into(),
            SendError::Timeout(TimeoutError::operation(std::time::Duration::from_secs(3))).into(),
            SdkError::response_error("expected `{`", HttpResponse::new(200)),
            SdkError::service_error(OpError::Throttling, HttpResponse::new(429)),
        ];
        for err in cases {
            assert_no_repeats(&err);
            let messages = chain(&err);
            assert!(messages.len() >= 2, "{messages:?}");
            let unhandled = err.into_service_error();
            assert_no_repeats(&unhandled);
        }
        let construction = chain(&SdkError::<OpError>::construction_failure(
            crate::input::BuildError::missing("X", vec!["a"]),
        ));
        assert_eq!(
            construction,
            [
                "failed to construct request",
                "cannot build `X`: missing required member `a`"
            ]
        );
    }

    #[test]
    fn metadata_is_read_through_the_sdk_traits() {
        let meta = ErrorMetadata::builder()
            .code("Boom")
            .message("m")
            .custom("aws_request_id", "r-1")
            .custom("other", "x")
            .build();
        assert_eq!(ProvideErrorMetadata::code(&meta), Some("Boom"));
        assert_eq!(ProvideErrorMetadata::message(&meta), Some("m"));
        assert_eq!(RequestId::request_id(&meta), Some("r-1"));
        assert_eq!(meta.extra("other"), Some("x"));
        let err: SdkError<UnhandledError> = SdkError::construction_failure("x");
        assert_eq!(ProvideErrorMetadata::code(&err), None);
        let err: SdkError<UnhandledError> = SdkError::service_error(
            UnhandledError::from_meta(meta.clone()),
            HttpResponse::new(500),
        );
        assert_eq!(ProvideErrorMetadata::meta(&err), &meta);
    }

    #[test]
    fn into_service_error_keeps_details() {
        let raw = HttpResponse::json(500, r#"{"__type":"Boom","message":"it broke"}"#)
            .with_header("x-amzn-requestid", "id-9");
        let err: SdkError<OpError> = SdkError::service_error(OpError::Throttling, raw.clone());
        assert_eq!(err.request_id(), Some("id-9"));
        assert_eq!(RequestId::request_id(&err), Some("id-9"));
        assert!(matches!(err.into_service_error(), OpError::Throttling));

        let err: SdkError<OpError> = SdkError::response_error("bad json", raw);
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
        assert_eq!(err.to_string(), "dispatch failure");
        assert_eq!(
            DisplayErrorContext(&err).to_string(),
            format!("dispatch failure: connection failed: refused ({err:?})")
        );
        let OpError::Unhandled(u) = err.into_service_error() else {
            panic!("expected unhandled")
        };
        // The failure is the unhandled error's source, not copied into its message.
        assert_eq!((u.status(), u.message()), (None, None));
        assert_eq!(
            u.source().map(ToString::to_string).as_deref(),
            Some("dispatch failure")
        );

        let err: SdkError<OpError> = SdkError::construction_failure("missing member");
        assert_eq!(err.to_string(), "failed to construct request");
        assert_eq!(
            err.source().map(ToString::to_string).as_deref(),
            Some("missing member")
        );
        assert!(err.as_service_error().is_none());
        let mapped =
            SdkError::<OpError>::service_error(OpError::Throttling, HttpResponse::new(429))
                .map_service_error(|_| 7u8);
        assert_eq!(mapped.as_service_error(), Some(&7));
    }

    #[test]
    fn debug_and_display_never_show_a_body() {
        let secret = r#"{"token":"SECRET-TOKEN","message":"m"}"#;
        let raw = HttpResponse::json(200, secret);
        let errors: [SdkError<OpError>; 3] = [
            SdkError::response_error("expected a string", raw.clone()),
            SdkError::service_error(OpError::Throttling, raw.clone().with_header("x", "y")),
            SdkError::service_error(
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
            attempt.source().to_string(),
            "operation attempt timeout of 250ms elapsed on the last attempt"
        );
        let read = TimeoutError::transport(TransportError::timeout("read timeout"));
        assert_eq!(read.kind(), TimeoutKind::Transport);
        assert_eq!(read.source().to_string(), "transport timeout");
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
