//! The HTTP transport: a trait, so tests and unusual stacks can plug in their own.
//!
//! The default implementation is [`HyperTransport`](crate::client::HyperTransport)
//! (hyper 1 + rustls); [`TestTransport`](crate::client::TestTransport) answers
//! from memory.

use std::error::Error;
use std::fmt;
use std::future::Future;
use std::pin::Pin;

use crate::client::http::{HttpRequest, HttpResponse};

/// A boxed, `Send` future: what the runtime's object-safe traits return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A boxed error that can cross threads.
pub type BoxError = Box<dyn Error + Send + Sync + 'static>;

/// Sends one HTTP request and reads the whole response.
///
/// Implementations apply their own connect and read timeouts and report them
/// as [`TransportError::timeout`]; the runtime handles retries, signing and
/// the operation timeout.
pub trait HttpTransport: Send + Sync + fmt::Debug {
    /// Sends `request` (already signed, with an absolute URI).
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>>;
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
            TransportErrorKind::Timeout => "timed out",
            TransportErrorKind::Io => "connection error",
            TransportErrorKind::Other => "request could not be sent",
        };
        write!(f, "{what}: {}", self.source)
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
        assert_eq!(e.to_string(), "timed out: read timeout of 1s elapsed");
        let e = TransportError::connect(std::io::Error::new(
            std::io::ErrorKind::ConnectionRefused,
            "refused",
        ));
        assert_eq!(e.kind(), TransportErrorKind::Connect);
        assert!(!e.is_timeout());
        assert!(e.source().is_some());
    }
}
