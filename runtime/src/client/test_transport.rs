//! An in-memory transport, so code using a generated client can be tested
//! without a network: script the replies, then inspect the requests sent.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crate::client::http::{HttpRequest, HttpResponse};
use crate::client::transport::{BoxFuture, HttpTransport, TransportError};

type Handler = Arc<dyn Fn(&HttpRequest) -> Result<HttpResponse, TransportError> + Send + Sync>;

/// Answers requests from a queue of scripted replies (or a handler function)
/// and records every request it receives (signed, as it would go on the wire).
///
/// Clones share the same queue and record, so keep one clone for assertions
/// and give another to [`ConfigBuilder::transport`](crate::client::ConfigBuilder::transport).
#[derive(Clone, Default)]
pub struct TestTransport {
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    replies: VecDeque<Reply>,
    handler: Option<Handler>,
    requests: Vec<HttpRequest>,
}

enum Reply {
    Response(HttpResponse),
    Error(TransportError),
    Delayed(Duration, HttpResponse),
}

impl TestTransport {
    /// A transport with no replies scripted yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// A transport that answers every request (after the scripted replies run
    /// out) by calling `handler`.
    pub fn with_handler(
        handler: impl Fn(&HttpRequest) -> Result<HttpResponse, TransportError> + Send + Sync + 'static,
    ) -> Self {
        let t = Self::new();
        t.lock().handler = Some(Arc::new(handler));
        t
    }

    /// Queues `response` as the reply to the next unanswered request.
    pub fn push_response(&self, response: HttpResponse) -> &Self {
        self.lock().replies.push_back(Reply::Response(response));
        self
    }

    /// Queues a transport failure.
    pub fn push_error(&self, error: TransportError) -> &Self {
        self.lock().replies.push_back(Reply::Error(error));
        self
    }

    /// Queues `response`, delivered after `delay` (to exercise timeouts).
    pub fn push_delayed_response(&self, delay: Duration, response: HttpResponse) -> &Self {
        self.lock()
            .replies
            .push_back(Reply::Delayed(delay, response));
        self
    }

    /// The requests received so far, in order.
    pub fn requests(&self) -> Vec<HttpRequest> {
        self.lock().requests.clone()
    }

    /// How many requests were received.
    pub fn request_count(&self) -> usize {
        self.lock().requests.len()
    }

    /// How many scripted replies are still queued.
    pub fn pending_replies(&self) -> usize {
        self.lock().replies.len()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl HttpTransport for TestTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let reply = {
            let mut state = self.lock();
            state.requests.push(request.clone());
            let number = state.requests.len();
            match (state.replies.pop_front(), &state.handler) {
                (Some(reply), _) => reply,
                (None, Some(handler)) => match handler(&request) {
                    Ok(response) => Reply::Response(response),
                    Err(error) => Reply::Error(error),
                },
                (None, None) => Reply::Error(TransportError::other(format!(
                    "TestTransport has no reply left for request {number} ({} {})",
                    request.method(),
                    request.uri()
                ))),
            }
        };
        Box::pin(async move {
            match reply {
                Reply::Response(response) => Ok(response),
                Reply::Error(error) => Err(error),
                Reply::Delayed(delay, response) => {
                    tokio::time::sleep(delay).await;
                    Ok(response)
                }
            }
        })
    }
}

impl fmt::Debug for TestTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("TestTransport")
            .field("pending_replies", &state.replies.len())
            .field("requests", &state.requests.len())
            .field("handler", &state.handler.is_some())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::http::Method;

    #[tokio::test]
    async fn replays_in_order_then_reports_exhaustion() {
        let t = TestTransport::new();
        t.push_response(HttpResponse::new(503))
            .push_error(TransportError::io("reset"));
        let req = HttpRequest::new(Method::Get, "/x");
        assert_eq!(t.send(req.clone()).await.unwrap().status(), 503);
        assert!(t.send(req.clone()).await.is_err());
        let err = t.send(req).await.unwrap_err();
        assert_eq!(
            err.to_string(),
            "request could not be sent: TestTransport has no reply left for request 3 (GET /x)"
        );
        assert_eq!((t.request_count(), t.pending_replies()), (3, 0));
    }

    #[tokio::test]
    async fn handler_answers_when_queue_is_empty() {
        let t = TestTransport::with_handler(|req| {
            Ok(HttpResponse::json(200, &format!("\"{}\"", req.path())))
        });
        let resp = t
            .send(HttpRequest::new(Method::Post, "/Echo"))
            .await
            .unwrap();
        assert_eq!(&resp.body()[..], b"\"/Echo\"");
        assert_eq!(t.requests()[0].path(), "/Echo");
    }
}
