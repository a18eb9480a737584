//! Event-stream inputs: the request body of a bidirectional operation, a
//! stream of messages the caller produces while it reads the response's
//! event stream.
//!
//! The caller hands an operation an [`EventStreamSender`] (built from any
//! `futures_core::Stream`, a [`Vec`] of events, or [`channel`]); generated
//! code turns it into a type-erased [`EventStreamBody`] with
//! [`EventStreamSender::into_body`] and a function marshalling each event
//! into an unsigned [`Message`], and puts that on the request with
//! [`HttpRequest::set_event_stream`](crate::client::HttpRequest::set_event_stream).
//! A transport reads the body as [`EventStreamFrames`]: each message signed
//! (SigV4 chained signatures, when the runtime signed the request) and
//! encoded as a frame, then a final signed empty frame.
//!
//! The event-stream methods of [`HttpRequest`] are defined here, beside the
//! body they handle: the request carries it as a neutral [`StreamingBody`]
//! and knows nothing of event streams.

use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use tokio::sync::mpsc;

use super::message::Message;
use super::signer::EventStreamSigner;
use crate::client::boxed::BoxError;
use crate::client::http::{HttpRequest, StreamingBody};
use crate::client::transport::TransportError;

/// A boxed stream that can cross threads.
type BoxStream<I> = Pin<Box<dyn Stream<Item = I> + Send>>;

/// A boxed stream that is also `Sync`: it sits in a `Mutex` only so that its
/// owner is `Sync`; it is only ever reached through `&mut self`, never locked.
struct SyncStream<I>(Mutex<BoxStream<I>>);

impl<I> SyncStream<I> {
    fn new(stream: impl Stream<Item = I> + Send + 'static) -> Self {
        SyncStream(Mutex::new(Box::pin(stream)))
    }

    fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<I>> {
        self.0
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .as_mut()
            .poll_next(cx)
    }

    fn into_inner(self) -> BoxStream<I> {
        self.0.into_inner().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The events of an event-stream input: what an operation's input member
/// for a stream holds (the same name and shape as in the AWS SDK for Rust).
///
/// `T` is the stream's event type (the generated union), `E` its modeled
/// error type. Build one from:
///
/// - any `futures_core::Stream` of `Result<T, E>` (`From`): an `Err` item
///   ends the request body with that error, which aborts the request;
/// - a list of events (`FromIterator`: `collect()` or
///   `EventStreamSender::from_iter(vec)`): a finite stream, handy for tests
///   and for calls whose events are all known up front;
/// - [`channel`] (or [`EventStreamSender::channel`]): an [`EventSink`] to
///   send events from, one at a time, while reading the response; the
///   stream ends when every clone of the sink is dropped.
///
/// The request body ends when the stream ends, so a bidirectional call lasts
/// until then (and until the response stream ends).
///
/// ```
/// use awsrt::client::event_stream::{channel, EventStreamSender};
/// use awsrt::client::BoxError;
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let all_at_once: EventStreamSender<String, BoxError> = ["a", "b"].map(String::from).into_iter().collect();
/// let (sender, sink) = channel::<String, BoxError>(8);
/// sink.send("hello".to_owned()).await.unwrap();
/// drop(sink); // ends the stream
/// # let _ = (all_at_once, sender);
/// # });
/// ```
pub struct EventStreamSender<T, E> {
    events: SyncStream<Result<T, BoxError>>,
    _error: PhantomData<fn() -> E>,
}

impl<T: Send + 'static, E> EventStreamSender<T, E> {
    /// A sender fed through the returned [`EventSink`], which holds up to
    /// `capacity` events not yet sent (at least one); the same as
    /// [`channel`].
    pub fn channel(capacity: usize) -> (Self, EventSink<T, E>) {
        channel(capacity)
    }

    fn from_results(events: impl Stream<Item = Result<T, BoxError>> + Send + 'static) -> Self {
        EventStreamSender {
            events: SyncStream::new(events),
            _error: PhantomData,
        }
    }
}

impl<T: 'static, E> EventStreamSender<T, E> {
    /// The type-erased body generated code puts on the request (with
    /// [`HttpRequest::set_event_stream`](crate::client::HttpRequest::set_event_stream)):
    /// `marshal` turns each event into an unsigned [`Message`] with its
    /// `:message-type`, `:event-type`, `:content-type` headers and payload.
    /// An event `marshal` fails on ends the body with that error.
    pub fn into_body(self, marshal: fn(T) -> Result<Message, BoxError>) -> EventStreamBody {
        EventStreamBody {
            messages: SyncStream::new(Marshal {
                events: self.events.into_inner(),
                marshal,
            }),
        }
    }
}

impl<T, E, S> From<S> for EventStreamSender<T, E>
where
    S: Stream<Item = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: Into<BoxError> + 'static,
{
    /// Sends the events of `stream`; an `Err` item ends the body with it.
    fn from(stream: S) -> Self {
        EventStreamSender::from_results(ErrInto {
            inner: Box::pin(stream),
        })
    }
}

// `From<Vec<T>>` is not possible next to the `From<S: Stream>` above (the
// compiler must allow for a future `impl Stream for Vec<T>` upstream), so a
// list of events is collected instead.
impl<T: Send + 'static, E> FromIterator<T> for EventStreamSender<T, E> {
    /// Sends the events, in order, then ends (the events are collected
    /// first): `vec![a, b].into_iter().collect()` or
    /// `EventStreamSender::from_iter(vec![a, b])`.
    fn from_iter<I: IntoIterator<Item = T>>(events: I) -> Self {
        let events: Vec<T> = events.into_iter().collect();
        EventStreamSender::from_results(Events(events.into_iter()))
    }
}

impl<T, E> fmt::Debug for EventStreamSender<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStreamSender").finish_non_exhaustive()
    }
}

/// A stream of `Result<T, E>` with its errors boxed.
struct ErrInto<S> {
    inner: Pin<Box<S>>,
}

impl<S, T, E> Stream for ErrInto<S>
where
    S: Stream<Item = Result<T, E>>,
    E: Into<BoxError>,
{
    type Item = Result<T, BoxError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut()
            .inner
            .as_mut()
            .poll_next(cx)
            .map(|item| item.map(|result| result.map_err(Into::into)))
    }
}

/// The events of a `Vec`, all ready.
struct Events<T>(std::vec::IntoIter<T>);

// Never pinned structurally: the iterator is only reached through `&mut`.
impl<T> Unpin for Events<T> {}

impl<T> Stream for Events<T> {
    type Item = Result<T, BoxError>;

    fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(self.get_mut().0.next().map(Ok))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

/// The events a [`channel`]'s sink sends.
struct Received<T>(mpsc::Receiver<T>);

impl<T> Stream for Received<T> {
    type Item = Result<T, BoxError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().0.poll_recv(cx).map(|event| event.map(Ok))
    }
}

/// Events marshalled into messages.
struct Marshal<T> {
    events: BoxStream<Result<T, BoxError>>,
    marshal: fn(T) -> Result<Message, BoxError>,
}

impl<T> Stream for Marshal<T> {
    type Item = Result<Message, BoxError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let marshal = this.marshal;
        this.events
            .as_mut()
            .poll_next(cx)
            .map(|item| item.map(|event| event.and_then(marshal)))
    }
}

/// A sender fed through an [`EventSink`]: `capacity` is how many events the
/// sink holds before [`send`](EventSink::send) waits for the transport to
/// take one (at least one).
///
/// The stream ends when every clone of the sink has been dropped.
pub fn channel<T: Send + 'static, E>(
    capacity: usize,
) -> (EventStreamSender<T, E>, EventSink<T, E>) {
    let (sender, receiver) = mpsc::channel(capacity.max(1));
    (
        EventStreamSender::from_results(Received(receiver)),
        EventSink {
            sender,
            _error: PhantomData,
        },
    )
}

/// Where a caller sends the events of a [`channel`]'s [`EventStreamSender`].
///
/// Clones send into the same stream; it ends when all of them are dropped.
pub struct EventSink<T, E> {
    sender: mpsc::Sender<T>,
    _error: PhantomData<fn() -> E>,
}

impl<T, E> EventSink<T, E> {
    /// Sends `event`, waiting while the sink is full. Fails, giving the
    /// event back, once the stream's receiving end is gone: the request
    /// ended, failed, or was never sent.
    pub async fn send(&self, event: T) -> Result<(), EventSinkClosed<T>> {
        self.sender
            .send(event)
            .await
            .map_err(|e| EventSinkClosed(e.0))
    }

    /// Whether the stream's receiving end is gone (sending would fail).
    pub fn is_closed(&self) -> bool {
        self.sender.is_closed()
    }
}

impl<T, E> Clone for EventSink<T, E> {
    fn clone(&self) -> Self {
        EventSink {
            sender: self.sender.clone(),
            _error: PhantomData,
        }
    }
}

impl<T, E> fmt::Debug for EventSink<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventSink")
            .field("closed", &self.is_closed())
            .finish_non_exhaustive()
    }
}

/// [`EventSink::send`] failed: the stream's receiving end is gone. Holds the
/// event that was not sent.
pub struct EventSinkClosed<T>(
    /// The event that was not sent.
    pub T,
);

impl<T> EventSinkClosed<T> {
    /// The event that was not sent.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> fmt::Debug for EventSinkClosed<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EventSinkClosed(..)")
    }
}

impl<T> fmt::Display for EventSinkClosed<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the event stream is closed: the request ended or failed")
    }
}

impl<T> std::error::Error for EventSinkClosed<T> {}

/// The type-erased body of an event-stream input: unsigned messages, one per
/// event. Built by [`EventStreamSender::into_body`] (or
/// [`EventStreamBody::new`]) and put on a request with
/// [`HttpRequest::set_event_stream`](crate::client::HttpRequest::set_event_stream).
pub struct EventStreamBody {
    messages: SyncStream<Result<Message, BoxError>>,
}

impl EventStreamBody {
    /// A body sending the messages of `messages`; an `Err` item ends it with
    /// that error.
    pub fn new(messages: impl Stream<Item = Result<Message, BoxError>> + Send + 'static) -> Self {
        EventStreamBody {
            messages: SyncStream::new(messages),
        }
    }
}

impl fmt::Debug for EventStreamBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStreamBody").finish_non_exhaustive()
    }
}

/// Event-stream bodies (feature `event-stream`).
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
        self.set_streaming_body(RequestEventStream::new(body))
            .set_header("content-type", "application/vnd.amazon.eventstream")
    }

    /// Whether the body is an event stream.
    pub fn has_event_stream(&self) -> bool {
        self.event_stream().is_some()
    }

    /// Whether the event-stream body was taken by a transport (it cannot be
    /// sent again); `false` if the body is not an event stream.
    pub fn event_stream_sent(&self) -> bool {
        self.event_stream().is_some_and(RequestEventStream::is_sent)
    }

    /// For transports: the event-stream body as the frames to send, or
    /// `Ok(None)` if the body is not an event stream (send
    /// [`body`](HttpRequest::body) then). The body is taken when the frames
    /// are first polled.
    ///
    /// Fails with a [`TransportErrorKind::User`](crate::client::TransportErrorKind::User)
    /// error (not retried) if the body was already taken, by this request or
    /// a clone of it.
    pub fn event_stream_frames(&self) -> Result<Option<EventStreamFrames>, TransportError> {
        self.event_stream()
            .map(RequestEventStream::frames)
            .transpose()
    }

    /// Keeps the event-stream body for the next attempt (see
    /// [`RequestEventStream::reclaim`]): `false` if a transport already took
    /// it, `true` if it is still there or the body is not an event stream.
    pub(crate) fn reclaim_event_stream(&self) -> bool {
        self.event_stream().is_none_or(RequestEventStream::reclaim)
    }

    /// Has the event stream's messages signed with `signer` (the runtime,
    /// on each attempt's signed request).
    pub(crate) fn set_event_stream_signer(&mut self, signer: EventStreamSigner) {
        if let Some(stream) = self.streaming_body_mut::<RequestEventStream>() {
            stream.set_signer(signer);
        }
    }

    fn event_stream(&self) -> Option<&RequestEventStream> {
        self.streaming_body()
    }
}

/// An event-stream body as a request carries it: shared by the request's
/// clones (one per attempt), taken by the first one that sends it.
#[derive(Clone)]
pub(crate) struct RequestEventStream {
    slot: Arc<Mutex<Slot>>,
    /// Set by the runtime on each attempt's signed request.
    signer: Option<EventStreamSigner>,
}

/// The body until a transport takes it.
struct Slot {
    body: Option<EventStreamBody>,
    /// Bumped when the runtime reclaims the body for a retry: frames handed
    /// out before then can no longer take it.
    generation: u64,
}

impl RequestEventStream {
    pub(crate) fn new(body: EventStreamBody) -> Self {
        RequestEventStream {
            slot: Arc::new(Mutex::new(Slot {
                body: Some(body),
                generation: 0,
            })),
            signer: None,
        }
    }

    pub(crate) fn set_signer(&mut self, signer: EventStreamSigner) {
        self.signer = Some(signer);
    }

    fn lock(&self) -> MutexGuard<'_, Slot> {
        lock(&self.slot)
    }

    /// Whether a transport has started sending the body (it cannot be sent
    /// again).
    pub(crate) fn is_sent(&self) -> bool {
        self.lock().body.is_none()
    }

    /// Keeps the body for the next attempt, if no transport took it yet:
    /// the frames of earlier attempts (which may still be polled by a
    /// connection being torn down) can no longer take it. Returns whether
    /// the body is still there.
    pub(crate) fn reclaim(&self) -> bool {
        let mut slot = self.lock();
        if slot.body.is_none() {
            return false;
        }
        slot.generation += 1;
        true
    }

    /// The body as frames, taken from the shared slot when first polled;
    /// fails if it was already taken.
    pub(crate) fn frames(&self) -> Result<EventStreamFrames, TransportError> {
        let generation = {
            let slot = self.lock();
            if slot.body.is_none() {
                return Err(already_sent());
            }
            slot.generation
        };
        Ok(EventStreamFrames {
            source: self.slot.clone(),
            generation,
            state: State::NotStarted,
            signer: self.signer.clone(),
        })
    }
}

fn lock(slot: &Mutex<Slot>) -> MutexGuard<'_, Slot> {
    slot.lock().unwrap_or_else(PoisonError::into_inner)
}

impl PartialEq for RequestEventStream {
    /// The same body (clones of one request).
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.slot, &other.slot)
    }
}

impl Eq for RequestEventStream {}

impl fmt::Debug for RequestEventStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("sent", &self.is_sent())
            .field("signed", &self.signer.is_some())
            .finish()
    }
}

impl StreamingBody for RequestEventStream {
    fn clone_body(&self) -> Box<dyn StreamingBody> {
        Box::new(self.clone())
    }

    fn same_body(&self, other: &dyn StreamingBody) -> bool {
        let other: &dyn std::any::Any = other;
        other.downcast_ref::<Self>() == Some(self)
    }

    fn name(&self) -> &'static str {
        "event_stream"
    }
}

/// Why a request's event stream cannot be sent: a transport already took it.
fn already_sent() -> TransportError {
    TransportError::user(
        "the event stream was already sent: a request with an event-stream body \
         can be sent only once",
    )
}

/// The frames of a request's event-stream body, as a transport sends them:
/// what [`HttpRequest::event_stream_frames`](crate::client::HttpRequest::event_stream_frames)
/// returns.
///
/// When the [`Runtime`](crate::client::Runtime) signed the request, each
/// message is wrapped in a signed message (headers `:date` and
/// `:chunk-signature`, the encoded message as payload; SigV4 chained
/// signatures seeded with the request's signature), and a final signed
/// message with an empty payload follows the last one. A request that was
/// not signed sends each message as it is, with no final message.
///
/// The body is taken from the request (and its clones) when the frames are
/// first polled, so a transport that fails before sending anything leaves it
/// there for a retry. An error item (the caller's stream failed, an event
/// could not be marshalled, encoded or signed) ends the frames.
pub struct EventStreamFrames {
    source: Arc<Mutex<Slot>>,
    /// The slot's generation when these frames were handed out.
    generation: u64,
    state: State,
    signer: Option<EventStreamSigner>,
}

enum State {
    NotStarted,
    Sending(EventStreamBody),
    Ended,
}

impl EventStreamFrames {
    /// The next frame: `None` once the body has ended (or failed).
    pub async fn next_frame(&mut self) -> Option<Result<Bytes, BoxError>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Takes the body from the request now, as the first poll would: for a
    /// transport that has sent the request head and so cannot hand the body
    /// to a retry. Fails (and ends the frames) if the body cannot be taken.
    pub(crate) fn start(&mut self) -> Result<(), BoxError> {
        if !matches!(self.state, State::NotStarted) {
            return Ok(());
        }
        let taken = {
            let mut slot = lock(&self.source);
            if slot.generation == self.generation {
                slot.body.take().ok_or_else(|| already_sent().into())
            } else {
                Err(BoxError::from(
                    "the event stream was handed to a later attempt of the request",
                ))
            }
        };
        match taken {
            Ok(body) => {
                self.state = State::Sending(body);
                Ok(())
            }
            Err(e) => {
                self.state = State::Ended;
                Err(e)
            }
        }
    }

    /// `message` (`None`: the end of the stream) as the next frame, signed
    /// if there is a signer; `None` once there is nothing more to send.
    fn frame(&mut self, message: Option<Message>) -> Option<Result<Bytes, BoxError>> {
        match (message, self.signer.as_mut()) {
            (Some(message), None) => Some(message.encode()),
            (Some(message), Some(signer)) => Some(signer.sign(Some(&message))),
            (None, Some(signer)) => Some(signer.sign(None)),
            (None, None) => None,
        }
    }
}

impl Stream for EventStreamFrames {
    type Item = Result<Bytes, BoxError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Err(e) = this.start() {
            return Poll::Ready(Some(Err(e)));
        }
        let State::Sending(body) = &mut this.state else {
            return Poll::Ready(None);
        };
        let message = match body.messages.poll_next(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(Some(Ok(message))) => Some(message),
            Poll::Ready(Some(Err(e))) => {
                this.state = State::Ended;
                return Poll::Ready(Some(Err(e)));
            }
            Poll::Ready(None) => {
                this.state = State::Ended;
                None
            }
        };
        let frame = this.frame(message);
        if let Some(Err(_)) = frame {
            this.state = State::Ended;
        }
        Poll::Ready(frame)
    }
}

impl fmt::Debug for EventStreamFrames {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            State::NotStarted => "not started",
            State::Sending(_) => "sending",
            State::Ended => "ended",
        };
        f.debug_struct("EventStreamFrames")
            .field("state", &state)
            .field("signed", &self.signer.is_some())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;
    use std::time::{Duration, SystemTime};

    use super::*;
    use crate::client::credentials::Credentials;
    use crate::client::event_stream::{decode_frames, HeaderValue};
    use crate::client::http::Method;
    use crate::client::sign::SigningScope;
    use crate::client::time::FixedTime;
    use crate::client::transport::TransportErrorKind;

    fn marshal(text: String) -> Result<Message, BoxError> {
        if text == "unmarshallable" {
            return Err("cannot marshal that".into());
        }
        Ok(Message::new(text.into_bytes())
            .with_header(":message-type", HeaderValue::String("event".into()))
            .with_header(":event-type", HeaderValue::String("Text".into())))
    }

    #[test]
    fn an_event_stream_body_replaces_the_bytes_and_is_not_shown() {
        let mut req = HttpRequest::new(Method::Post, "/");
        req.set_body(&b"{}"[..], "application/json");
        assert!(!req.has_event_stream() && !req.event_stream_sent());
        assert!(matches!(req.event_stream_frames(), Ok(None)));
        let events: EventStreamSender<&'static str, BoxError> =
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

    fn frames_of(body: EventStreamBody, signer: Option<EventStreamSigner>) -> EventStreamFrames {
        let mut stream = RequestEventStream::new(body);
        if let Some(signer) = signer {
            stream.set_signer(signer);
        }
        stream.frames().expect("not sent yet")
    }

    /// Every frame (or the error that ended them).
    async fn drain(mut frames: EventStreamFrames) -> (Vec<Message>, Option<BoxError>) {
        let mut messages = Vec::new();
        while let Some(frame) = frames.next_frame().await {
            match frame {
                Ok(frame) => messages.extend(decode_frames(&frame).expect("one frame")),
                Err(e) => {
                    assert!(
                        frames.next_frame().await.is_none(),
                        "frames go on after {e}"
                    );
                    return (messages, Some(e));
                }
            }
        }
        assert!(frames.next_frame().await.is_none());
        (messages, None)
    }

    fn texts(messages: &[Message]) -> Vec<String> {
        messages
            .iter()
            .map(|m| String::from_utf8_lossy(m.payload()).into_owned())
            .collect()
    }

    async fn sent_texts(
        sender: EventStreamSender<String, BoxError>,
    ) -> (Vec<String>, Option<BoxError>) {
        let (messages, error) = drain(frames_of(sender.into_body(marshal), None)).await;
        for m in &messages {
            assert_eq!(
                (m.message_type(), m.event_type()),
                (Some("event"), Some("Text"))
            );
        }
        (texts(&messages), error)
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[tokio::test]
    async fn a_list_of_events_is_sent_in_order() {
        let sender: EventStreamSender<String, BoxError> =
            strings(&["a", "b", "c"]).into_iter().collect();
        assert_eq!(sent_texts(sender).await.0, strings(&["a", "b", "c"]));
        let empty = EventStreamSender::<String, BoxError>::from_iter(Vec::new());
        let (sent, error) = sent_texts(empty).await;
        assert!(sent.is_empty() && error.is_none());
    }

    /// A `futures_core::Stream` written by hand, as a caller's would be.
    struct Scripted(VecDeque<Result<String, std::io::Error>>);

    impl Stream for Scripted {
        type Item = Result<String, std::io::Error>;

        fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            Poll::Ready(self.get_mut().0.pop_front())
        }
    }

    #[tokio::test]
    async fn a_stream_is_sent_until_it_ends_or_fails() {
        let ok = Scripted(VecDeque::from([Ok("x".to_owned()), Ok("y".to_owned())]));
        let sender: EventStreamSender<String, std::io::Error> = ok.into();
        let (sent, error) = drain(frames_of(sender.into_body(marshal), None)).await;
        assert_eq!(
            (texts(&sent), error.is_none()),
            (strings(&["x", "y"]), true)
        );

        let failing = Scripted(VecDeque::from([
            Ok("x".to_owned()),
            Err(std::io::Error::other("caller gave up")),
            Ok("never".to_owned()),
        ]));
        let sender = EventStreamSender::<String, std::io::Error>::from(failing);
        let (sent, error) = drain(frames_of(sender.into_body(marshal), None)).await;
        assert_eq!(texts(&sent), strings(&["x"]));
        assert_eq!(
            error.map(|e| e.to_string()).as_deref(),
            Some("caller gave up")
        );

        // An event the generated code cannot marshal ends the body too.
        let sender: EventStreamSender<String, BoxError> =
            strings(&["a", "unmarshallable", "b"]).into_iter().collect();
        let (sent, error) = sent_texts(sender).await;
        assert_eq!(sent, strings(&["a"]));
        assert_eq!(
            error.map(|e| e.to_string()).as_deref(),
            Some("cannot marshal that")
        );
    }

    #[tokio::test]
    async fn a_channel_sends_until_every_sink_is_dropped() {
        let (sender, sink) = channel::<String, BoxError>(0); // treated as 1
        let other = sink.clone();
        let reading = tokio::spawn(sent_texts(sender));
        sink.send("one".to_owned()).await.unwrap();
        other.send("two".to_owned()).await.unwrap();
        sink.send("three".to_owned()).await.unwrap();
        drop(sink);
        assert!(!other.is_closed());
        drop(other);
        let (sent, error) = reading.await.unwrap();
        assert_eq!(sent, strings(&["one", "two", "three"]));
        assert!(error.is_none());

        let (sender, sink) = EventStreamSender::<String, BoxError>::channel(4);
        drop(sender);
        assert!(sink.is_closed());
        let err = sink.send("lost".to_owned()).await.unwrap_err();
        assert_eq!(
            err.to_string(),
            "the event stream is closed: the request ended or failed"
        );
        assert_eq!(format!("{err:?}"), "EventSinkClosed(..)");
        assert_eq!(err.into_inner(), "lost");
    }

    #[test]
    fn senders_and_bodies_cross_threads_and_show_no_events() {
        fn send_sync<T: Send + Sync>(_: &T) {}
        struct NotSync(std::cell::Cell<u8>);
        let (sender, sink) = channel::<NotSync, BoxError>(1);
        send_sync(&sender);
        send_sync(&sink);
        let sender: EventStreamSender<String, BoxError> =
            strings(&["secret"]).into_iter().collect();
        assert_eq!(format!("{sender:?}"), "EventStreamSender { .. }");
        let body = sender.into_body(marshal);
        send_sync(&body);
        assert_eq!(format!("{body:?}"), "EventStreamBody { .. }");
        let frames = frames_of(body, None);
        send_sync(&frames);
        assert!(!format!("{frames:?}").contains("secret"));
        let _ = NotSync(std::cell::Cell::new(0)).0.get();
    }

    #[tokio::test]
    async fn the_body_is_taken_once_by_the_first_poll() {
        let sender: EventStreamSender<String, BoxError> = strings(&["a"]).into_iter().collect();
        let stream = RequestEventStream::new(sender.into_body(marshal));
        let clone = stream.clone();
        assert_eq!(stream, clone);
        let unpolled = stream.frames().unwrap();
        drop(unpolled);
        assert!(
            !clone.is_sent(),
            "frames that were never polled leave the body"
        );
        let mut first = stream.frames().unwrap();
        let mut second = clone.frames().unwrap();
        assert!(first.next_frame().await.unwrap().is_ok());
        assert!(clone.is_sent() && stream.is_sent());
        let err = second.next_frame().await.unwrap().unwrap_err();
        assert!(
            crate::client::error::chain_text(&*err).contains("the event stream was already sent"),
            "{err}"
        );
        assert!(second.next_frame().await.is_none());
        let err = clone.frames().unwrap_err();
        assert!(
            crate::client::error::chain_text(&err).contains("the event stream was already sent"),
            "{err}"
        );
        assert_eq!(err.kind(), TransportErrorKind::User);
        assert!(!stream.reclaim(), "a sent body cannot be reclaimed");
    }

    #[tokio::test]
    async fn a_reclaimed_body_goes_to_the_next_attempt_only() {
        let sender: EventStreamSender<String, BoxError> = strings(&["a"]).into_iter().collect();
        let stream = RequestEventStream::new(sender.into_body(marshal));
        let mut stale = stream.frames().unwrap();
        assert!(stream.reclaim());
        let next = stream.frames().unwrap();
        let err = stale.next_frame().await.unwrap().unwrap_err();
        assert!(
            err.to_string().contains("handed to a later attempt"),
            "{err}"
        );
        assert!(!stream.is_sent());
        assert_eq!(texts(&drain(next).await.0), strings(&["a"]));
        assert!(stream.is_sent());
    }

    fn signer(time: SystemTime) -> EventStreamSigner {
        let credentials = Credentials::from_keys("AKIDEXAMPLE", "secret", None);
        let scope = SigningScope {
            region: "us-east-1",
            service: "svc",
            time,
        };
        EventStreamSigner::new(
            &credentials,
            &scope,
            Arc::new(FixedTime(time)),
            "ab".repeat(32),
        )
    }

    #[tokio::test]
    async fn signed_frames_wrap_each_message_then_end_with_an_empty_one() {
        let time = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let sender: EventStreamSender<String, BoxError> =
            strings(&["a", "b"]).into_iter().collect();
        let (wrappers, error) =
            drain(frames_of(sender.into_body(marshal), Some(signer(time)))).await;
        assert!(error.is_none());
        assert_eq!(wrappers.len(), 3);
        let mut signatures = Vec::new();
        for (i, wrapper) in wrappers.iter().enumerate() {
            let names: Vec<&str> = wrapper.headers().iter().map(|(n, _)| n.as_str()).collect();
            assert_eq!(names, [":chunk-signature", ":date"]);
            match wrapper.header_value(":chunk-signature") {
                Some(HeaderValue::ByteArray(sig)) => signatures.push(sig.clone()),
                other => panic!("no signature in {i}: {other:?}"),
            }
            assert_eq!(
                wrapper.header_value(":date"),
                Some(&HeaderValue::Timestamp(
                    crate::primitives::DateTime::from_secs_and_nanos(1_700_000_000, 0)
                ))
            );
        }
        for (wrapper, text) in wrappers.iter().zip(["a", "b"]) {
            let inner = decode_frames(wrapper.payload()).unwrap();
            assert_eq!(inner, vec![marshal(text.to_owned()).unwrap()]);
        }
        assert!(wrappers[2].payload().is_empty());
        assert!(signatures.iter().all(|s| s.len() == 32));
        assert!(signatures[0] != signatures[1] && signatures[1] != signatures[2]);
    }
}
