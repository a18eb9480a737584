//! An in-memory transport, so code using a generated client can be tested
//! without a network: script the replies, then inspect the requests sent.
//!
//! With the `event-stream` feature, a request whose body is an event stream
//! has its frames read and recorded as its body; see
//! `TestTransport::sent_event_stream`.
//!
//! It stands on `transport`, `http` and `error`, and on `event_stream` for
//! those bodies.

use std::collections::VecDeque;
use std::fmt;
#[cfg(feature = "event-stream")]
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use bytes::{Bytes, BytesMut};

use crate::client::boxed::BoxFuture;
use crate::client::http::{HttpRequest, HttpResponse};
use crate::client::transport::{BodyStream, HttpTransport, StreamingResponse, TransportError};

type Handler = Arc<dyn Fn(&HttpRequest) -> Result<HttpResponse, TransportError> + Send + Sync>;

/// Answers requests from a queue of scripted replies (or a handler function)
/// and records every request it receives (signed, as it would go on the wire).
///
/// Clones share the same queue and record, so keep one clone for assertions
/// and give another to [`ConfigBuilder::transport`](crate::client::ConfigBuilder::transport).
///
/// A request whose body is an event stream (feature `event-stream`) is
/// answered without waiting for its body: its frames are read as the caller
/// produces them (in a task spawned on the current tokio runtime, by
/// [`send_streaming`](HttpTransport::send_streaming); before replying, by
/// [`send`](HttpTransport::send)), and appended to the recorded request's
/// [`body`](HttpRequest::body) as they arrive.
/// `TestTransport::sent_event_stream` waits for the end
/// of the stream and returns them all. A scripted transport error is
/// returned without reading the body (as if connecting failed).
#[derive(Clone, Default)]
pub struct TestTransport {
    state: Arc<Mutex<State>>,
    /// Woken whenever an event-stream body ends.
    #[cfg(feature = "event-stream")]
    stream_ended: Arc<tokio::sync::Notify>,
}

#[derive(Default)]
struct State {
    replies: VecDeque<Reply>,
    handler: Option<Handler>,
    requests: Vec<HttpRequest>,
    /// For each request (by index) whose event-stream body is being read:
    /// `None` while it is, then how it ended.
    #[cfg(feature = "event-stream")]
    streams: std::collections::HashMap<usize, Option<Result<(), String>>>,
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

#[cfg(feature = "event-stream")]
impl TestTransport {
    /// Waits until the event-stream body of request `index` (counted from
    /// 0, as in [`requests`](TestTransport::requests)) has ended, and
    /// returns all of its frames, as sent (signed, if the runtime sent the
    /// request); decode them with
    /// [`decode_frames`](crate::client::event_stream::decode_frames).
    ///
    /// Fails if there is no such request, its body is not an event stream or
    /// was not read (the scripted reply was an error), or the stream failed
    /// (e.g. the caller's stream yielded an error).
    pub async fn sent_event_stream(
        &self,
        index: usize,
    ) -> Result<Bytes, crate::client::boxed::BoxError> {
        loop {
            let notified = self.stream_ended.notified();
            let mut notified = std::pin::pin!(notified);
            notified.as_mut().enable();
            {
                let state = self.lock();
                let Some(request) = state.requests.get(index) else {
                    return Err(format!("TestTransport received no request {index}").into());
                };
                match state.streams.get(&index) {
                    None if request.has_event_stream() => {
                        return Err(format!(
                            "the event stream of request {index} was not read: \
                             its reply was a transport error"
                        )
                        .into())
                    }
                    None => return Err(format!("request {index} has no event-stream body").into()),
                    Some(None) => {}
                    Some(Some(Ok(()))) => return Ok(request.body().clone()),
                    Some(Some(Err(e))) => {
                        return Err(
                            format!("the event stream of request {index} failed: {e}").into()
                        )
                    }
                }
            }
            notified.await;
        }
    }

    /// Reads `frames`, the body of request `index`, to its end, appending
    /// each frame to the recorded request's body.
    async fn read_event_stream(
        self,
        index: usize,
        mut frames: crate::client::event_stream::EventStreamFrames,
    ) {
        let outcome = loop {
            match frames.next_frame().await {
                Some(Ok(frame)) => {
                    let mut state = self.lock();
                    if let Some(request) = state.requests.get_mut(index) {
                        let mut body = BytesMut::from(&request.body()[..]);
                        body.extend_from_slice(&frame);
                        request.replace_body(body.freeze());
                    }
                }
                Some(Err(e)) => break Err(e.to_string()),
                None => break Ok(()),
            }
        };
        self.lock().streams.insert(index, Some(outcome));
        self.stream_ended.notify_waiters();
    }

    /// Starts reading the event-stream body of `request` (number `index`)
    /// unless the reply is a transport error: in a spawned task if `spawn`
    /// and a tokio runtime is running (`None` then), else the returned
    /// future, to run before replying.
    fn start_event_stream(
        &self,
        index: usize,
        frames: Option<crate::client::event_stream::EventStreamFrames>,
        reply: &Reply,
        spawn: bool,
    ) -> Option<impl Future<Output = ()> + Send + 'static> {
        let mut frames = frames.filter(|_| !matches!(reply, Reply::Error(_)))?;
        // The "server" replies, so it got the request: the body is taken now
        // (not by the first read of the task below), and a retry of the
        // request cannot have it.
        let started = frames.start().map_err(|e| e.to_string());
        self.lock()
            .streams
            .insert(index, started.clone().err().map(Err));
        started.ok()?;
        let reading = self.clone().read_event_stream(index, frames);
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) if spawn => {
                runtime.spawn(reading);
                None
            }
            _ => Some(reading),
        }
    }
}

impl TestTransport {
    /// Records `request` and takes the reply to it; also returns the
    /// request's index.
    fn reply_to(&self, request: HttpRequest) -> (usize, Reply) {
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
        (state.requests.len() - 1, reply)
    }

    /// Records `request`, takes the reply to it, and starts reading its
    /// event-stream body if it has one (see [`TestTransport`]).
    fn receive(
        &self,
        request: HttpRequest,
        spawn: bool,
    ) -> Result<(Reply, Option<BoxFuture<'static, ()>>), TransportError> {
        #[cfg(feature = "event-stream")]
        {
            let frames = request.event_stream_frames()?;
            let (index, reply) = self.reply_to(request);
            let reading = self
                .start_event_stream(index, frames, &reply, spawn)
                .map(|f| Box::pin(f) as BoxFuture<'static, ()>);
            Ok((reply, reading))
        }
        #[cfg(not(feature = "event-stream"))]
        {
            let _ = spawn;
            Ok((self.reply_to(request).1, None))
        }
    }
}

impl HttpTransport for TestTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let received = self.receive(request, false);
        Box::pin(async move {
            let (reply, reading) = received?;
            if let Some(reading) = reading {
                reading.await;
            }
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
        let received = self.receive(request, true);
        Box::pin(async move {
            let (reply, reading) = received?;
            if let Some(reading) = reading {
                reading.await;
            }
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
            crate::client::error::chain_text(&err),
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
            crate::client::error::chain_text(&err).contains("no reply left for request 4"),
            "{err}"
        );
        assert_eq!(t.request_count(), 4);
    }
}
