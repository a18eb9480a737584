//! [`Reply`]: how a call's attempts ended, as the runtime hands it to an
//! operation's parsers.
//!
//! The attempts ([`Runtime::dispatch`](crate::client::Runtime::dispatch)) are
//! compiled once, in this crate; what a generated operation compiles for its
//! own output and error types is only [`Reply::parse`]: a 2xx response goes to
//! its output parser, any other to its error parser with the
//! [`ErrorMetadata`] the runtime read when it classified the attempt (an
//! error body is parsed once).

use crate::client::boxed::BoxError;
use crate::client::error::{ErrorMetadata, SdkError};
use crate::client::http::HttpResponse;
#[cfg(feature = "event-stream")]
use crate::client::transport::{BodyStream, StreamingResponse};

/// The response a call's last attempt got.
#[derive(Debug)]
pub enum Reply<R = HttpResponse> {
    /// A 2xx response: read whole, or for an event-stream output its head
    /// with the body still to read (`StreamingResponse`).
    Success(R),
    /// Any other response, read whole, with its error metadata.
    Error(HttpResponse, ErrorMetadata),
}

impl Reply {
    /// The response, whatever its status.
    pub fn into_response(self) -> HttpResponse {
        match self {
            Reply::Success(response) | Reply::Error(response, _) => response,
        }
    }

    /// The operation's result: a 2xx response parsed by `parse_ok` (its
    /// error becomes [`SdkError::ResponseError`]), any other by `parse_err`,
    /// given the response's [`ErrorMetadata`] (its result becomes
    /// [`SdkError::ServiceError`]).
    pub fn parse<O, E, PE>(
        self,
        parse_ok: impl FnOnce(&HttpResponse) -> Result<O, PE>,
        parse_err: impl FnOnce(&HttpResponse, ErrorMetadata) -> E,
    ) -> Result<O, SdkError<E>>
    where
        PE: Into<BoxError>,
    {
        match self {
            Reply::Success(response) => match parse_ok(&response) {
                Ok(output) => Ok(output),
                Err(e) => Err(SdkError::response_error(e, response)),
            },
            Reply::Error(response, meta) => Err(service_error(response, meta, parse_err)),
        }
    }
}

#[cfg(feature = "event-stream")]
impl Reply<StreamingResponse> {
    /// Like [`Reply::parse`], for an operation whose output body is read as
    /// a stream: a 2xx response's head (status and headers, empty body) and
    /// body stream go to `parse_ok`, whose error becomes
    /// [`SdkError::ResponseError`] with the head as the raw response.
    pub fn parse<O, E, PE>(
        self,
        parse_ok: impl FnOnce(&HttpResponse, Box<dyn BodyStream>) -> Result<O, PE>,
        parse_err: impl FnOnce(&HttpResponse, ErrorMetadata) -> E,
    ) -> Result<O, SdkError<E>>
    where
        PE: Into<BoxError>,
    {
        match self {
            Reply::Success(response) => {
                let (head, body) = response.into_parts();
                match parse_ok(&head, body) {
                    Ok(output) => Ok(output),
                    Err(e) => Err(SdkError::response_error(e, head)),
                }
            }
            Reply::Error(response, meta) => Err(service_error(response, meta, parse_err)),
        }
    }
}

/// An error response parsed by `parse_err` into the operation's error, with
/// the response kept as the raw one.
fn service_error<E>(
    response: HttpResponse,
    meta: ErrorMetadata,
    parse_err: impl FnOnce(&HttpResponse, ErrorMetadata) -> E,
) -> SdkError<E> {
    SdkError::service_error(parse_err(&response, meta), response)
}
