//! An in-memory transport, so code using a generated client can be tested
//! without a network: script the replies, then inspect the requests sent.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use bytes::{Bytes, BytesMut};

use crate::client::http::{HttpRequest, HttpResponse};
use crate::client::transport::{
    BodyStream, BoxFuture, HttpTransport, StreamingResponse, TransportError,
};

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
    Streaming(HttpResponse, Vec<Bytes>),
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

    /// Queues a response whose body is served in `chunks`, one at a time,
    /// by [`send_streaming`](HttpTransport::send_streaming) (to exercise
    /// reading a body split anywhere); [`send`](HttpTransport::send) serves
    /// it whole. `head` gives the status and headers (its body is ignored).
    pub fn push_streaming_response(&self, head: HttpResponse, chunks: Vec<Bytes>) -> &Self {
        self.lock()
            .replies
            .push_back(Reply::Streaming(head, chunks));
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

impl TestTransport {
    /// Records `request` and takes the reply to it.
    fn reply_to(&self, request: HttpRequest) -> Reply {
        let mut state = self.lock();
        let reply = match (state.replies.pop_front(), &state.handler) {
            (Some(reply), _) => reply,
            (None, Some(handler)) => match handler(&request) {
                Ok(response) => Reply::Response(response),
                Err(error) => Reply::Error(error),
            },
            (None, None) => Reply::Error(TransportError::other(format!(
                "TestTransport has no reply left for request {} ({} {})",
                state.requests.len() + 1,
                request.method(),
                request.uri()
            ))),
        };
        state.requests.push(request);
        reply
    }
}

impl HttpTransport for TestTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let reply = self.reply_to(request);
        Box::pin(async move {
            match reply {
                Reply::Response(response) => Ok(response),
                Reply::Error(error) => Err(error),
                Reply::Delayed(delay, response) => {
                    tokio::time::sleep(delay).await;
                    Ok(response)
                }
                Reply::Streaming(head, chunks) => {
                    let mut body = BytesMut::new();
                    for chunk in chunks {
                        body.extend_from_slice(&chunk);
                    }
                    Ok(head.with_body(body.freeze()))
                }
            }
        })
    }

    fn send_streaming(
        &self,
        request: HttpRequest,
    ) -> BoxFuture<'_, Result<StreamingResponse, TransportError>> {
        let reply = self.reply_to(request);
        Box::pin(async move {
            match reply {
                Reply::Response(response) => Ok(response.into()),
                Reply::Error(error) => Err(error),
                Reply::Delayed(delay, response) => {
                    tokio::time::sleep(delay).await;
                    Ok(response.into())
                }
                Reply::Streaming(head, chunks) => Ok(StreamingResponse::new(
                    head,
                    Box::new(ScriptedBody(chunks.into())),
                )),
            }
        })
    }
}

/// A scripted body, served one chunk per call.
#[derive(Debug)]
struct ScriptedBody(VecDeque<Bytes>);

impl BodyStream for ScriptedBody {
    fn next_chunk(&mut self) -> BoxFuture<'_, Option<Result<Bytes, TransportError>>> {
        Box::pin(std::future::ready(self.0.pop_front().map(Ok)))
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

    #[tokio::test]
    async fn streams_scripted_chunks_and_serves_them_whole_too() {
        let t = TestTransport::new();
        let head = || HttpResponse::new(200).with_header("x-a", "1");
        let chunks = || vec![Bytes::from("ab"), Bytes::new(), Bytes::from("c")];
        t.push_streaming_response(head(), chunks())
            .push_streaming_response(head(), chunks())
            .push_response(HttpResponse::json(404, "{}"));
        let req = HttpRequest::new(Method::Get, "/s");
        let response = t.send_streaming(req.clone()).await.unwrap();
        assert_eq!(response.head().header("x-a"), Some("1"));
        let (_, mut body) = response.into_parts();
        let mut seen = Vec::new();
        while let Some(chunk) = body.next_chunk().await {
            seen.push(chunk.unwrap());
        }
        assert_eq!(seen, chunks());
        let whole = t.send(req.clone()).await.unwrap();
        assert_eq!((whole.status(), &whole.body()[..]), (200, &b"abc"[..]));
        assert_eq!(whole.header("x-a"), Some("1"));
        let plain = t.send_streaming(req.clone()).await.unwrap();
        assert_eq!(plain.status(), 404);
        assert_eq!(&plain.collect().await.unwrap().body()[..], b"{}");
        let err = t.send_streaming(req).await.unwrap_err();
        assert!(
            err.to_string().contains("no reply left for request 4"),
            "{err}"
        );
        assert_eq!(t.request_count(), 4);
    }
}
