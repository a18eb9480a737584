//! Event-stream outputs: a response body read one event at a time, as its
//! frames arrive, with an [`EventReceiver`].

use std::error::Error;
use std::fmt;
use std::sync::{Mutex, PoisonError};

use aws_smithy_eventstream::frame::{DecodedFrame, MessageFrameDecoder};
use bytes::BytesMut;

use super::message::Message;
use crate::client::boxed::BoxError;
use crate::client::transport::{BodyStream, TransportError};

/// The largest frame accepted (the event-stream limit for one message):
/// beyond it, a frame is taken as corrupt rather than buffered.
const MAX_FRAME_LEN: usize = 16 * 1024 * 1024;

/// Turns one message into an event `T`, a modeled error `E` (`Ok(Err(_))`),
/// or fails if the message cannot be understood.
pub type Unmarshal<T, E> = fn(&Message) -> Result<Result<T, E>, BoxError>;

/// Reads the events of an event-stream body one at a time, as they arrive.
///
/// Chunks of the body are buffered until a whole frame is there (a frame may
/// span several chunks, a chunk may hold several frames); each frame's
/// checksums are checked, and its message is turned into an event by the
/// `unmarshal` function. The stream ends with `Ok(None)`; after an error it
/// ends too. Dropping the receiver closes the response.
pub struct EventReceiver<T, E> {
    /// `None` once the stream has ended or failed. In a `Mutex` only so that
    /// the receiver is `Sync`: it is only ever reached through `&mut self`,
    /// never locked.
    body: Option<Mutex<Box<dyn BodyStream>>>,
    /// Received bytes not yet decoded (a frame's prelude, once read, is kept
    /// by the decoder).
    buffer: BytesMut,
    decoder: MessageFrameDecoder,
    /// Whether the decoder holds the start of a frame.
    in_frame: bool,
    unmarshal: Unmarshal<T, E>,
}

impl<T, E> EventReceiver<T, E> {
    /// A receiver reading `body` (from
    /// [`Runtime::dispatch_streaming`](crate::client::Runtime::dispatch_streaming))
    /// and turning each message into an event with `unmarshal`.
    pub fn new(body: Box<dyn BodyStream>, unmarshal: Unmarshal<T, E>) -> Self {
        EventReceiver {
            body: Some(Mutex::new(body)),
            buffer: BytesMut::new(),
            decoder: MessageFrameDecoder::new(),
            in_frame: false,
            unmarshal,
        }
    }

    /// The next event: `Ok(None)` once the stream has ended (at a frame
    /// boundary), and for every call after the end or an error.
    ///
    /// A modeled error sent in the stream is [`EventStreamError::Service`];
    /// a corrupt, truncated or unreadable frame is
    /// [`EventStreamError::Decode`]; a failure to read the body (including
    /// the transport's read timeout) is [`EventStreamError::Transport`].
    ///
    /// Cancel-safe if the body stream is (the transports' are): dropping the
    /// future before it completes loses no event.
    pub async fn recv(&mut self) -> Result<Option<T>, EventStreamError<E>> {
        loop {
            if self.body.is_none() {
                return Ok(None);
            }
            if let Some(event) = self.decode_next() {
                return event;
            }
            if self.buffer.len() > MAX_FRAME_LEN {
                return self.fail(EventStreamError::Decode(
                    format!("event-stream frame longer than {MAX_FRAME_LEN} bytes").into(),
                ));
            }
            let Some(body) = self.body.as_mut() else {
                return Ok(None);
            };
            let body = body.get_mut().unwrap_or_else(PoisonError::into_inner);
            match body.next_chunk().await {
                Some(Ok(chunk)) => self.buffer.extend_from_slice(&chunk),
                Some(Err(e)) => return self.fail(EventStreamError::Transport(e)),
                None if self.in_frame || !self.buffer.is_empty() => {
                    return self.fail(EventStreamError::Decode(
                        "the event stream ended in the middle of a frame".into(),
                    ))
                }
                None => {
                    self.finish();
                    return Ok(None);
                }
            }
        }
    }

    /// Decodes the next buffered frame: `None` if no whole frame is buffered.
    fn decode_next(&mut self) -> Option<Result<Option<T>, EventStreamError<E>>> {
        let before = self.buffer.len();
        let frame = match self.decoder.decode_frame(&mut self.buffer) {
            Ok(DecodedFrame::Complete(frame)) => frame,
            Ok(DecodedFrame::Incomplete) => {
                // The decoder takes a frame's prelude as soon as it has it.
                self.in_frame |= self.buffer.len() != before;
                return None;
            }
            Err(e) => return Some(self.fail(EventStreamError::Decode(e.into()))),
        };
        self.in_frame = false;
        let result = Message::from_wire(&frame).and_then(|message| (self.unmarshal)(&message));
        Some(match result {
            Ok(Ok(event)) => Ok(Some(event)),
            Ok(Err(e)) => self.fail(EventStreamError::Service(e)),
            Err(e) => self.fail(EventStreamError::Decode(e)),
        })
    }

    /// Ends the stream with `error`.
    fn fail(&mut self, error: EventStreamError<E>) -> Result<Option<T>, EventStreamError<E>> {
        self.finish();
        Err(error)
    }

    /// Ends the stream: drops the body (closing the response) and the buffer.
    fn finish(&mut self) {
        self.body = None;
        self.buffer = BytesMut::new();
    }
}

impl<T, E> fmt::Debug for EventReceiver<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventReceiver")
            .field("ended", &self.body.is_none())
            .field("buffered", &self.buffer.len())
            .finish_non_exhaustive()
    }
}

/// Why [`EventReceiver::recv`] failed; `E` is the stream's modeled error.
///
/// Every error ends the stream.
#[derive(Debug)]
#[non_exhaustive]
pub enum EventStreamError<E> {
    /// The service sent a modeled error (an `exception` message).
    Service(E),
    /// A frame was corrupt (bad checksum or length), truncated by the end of
    /// the body, or its message could not be understood.
    Decode(BoxError),
    /// Reading the body failed (connection error or read timeout).
    Transport(TransportError),
}

impl<E> EventStreamError<E> {
    /// The modeled error, if the service sent one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            EventStreamError::Service(e) => Some(e),
            _ => None,
        }
    }

    /// The modeled error, by value, if the service sent one.
    pub fn into_service_error(self) -> Option<E> {
        match self {
            EventStreamError::Service(e) => Some(e),
            _ => None,
        }
    }
}

impl<E: fmt::Display> fmt::Display for EventStreamError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // The cause is `source()`: a chain reporter prints it next.
            EventStreamError::Service(_) => f.write_str("service error in the event stream"),
            EventStreamError::Decode(_) => f.write_str("failed to decode the event stream"),
            EventStreamError::Transport(_) => f.write_str("failed to read the event stream"),
        }
    }
}

impl<E: Error + 'static> Error for EventStreamError<E> {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            EventStreamError::Service(e) => Some(e),
            EventStreamError::Decode(e) => Some(e.as_ref()),
            EventStreamError::Transport(e) => Some(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;

    use aws_smithy_eventstream::frame::write_message_to;
    use aws_smithy_types::event_stream::{
        Header as WireHeader, HeaderValue as WireValue, Message as WireMessage,
    };
    use aws_smithy_types::str_bytes::StrBytes;
    use bytes::Bytes;

    use super::*;
    use crate::client::boxed::BoxFuture;
    use crate::client::event_stream::{header, HeaderValue};
    use crate::primitives::{Blob, DateTime};

    /// A body served in scripted chunks (or failures).
    #[derive(Debug)]
    struct Chunks(VecDeque<Result<Bytes, TransportError>>);

    impl BodyStream for Chunks {
        fn next_chunk(&mut self) -> BoxFuture<'_, Option<Result<Bytes, TransportError>>> {
            Box::pin(std::future::ready(self.0.pop_front()))
        }
    }

    /// `body` split into chunks of `size` bytes.
    fn chunked(body: &[u8], size: usize) -> Box<dyn BodyStream> {
        Box::new(Chunks(
            body.chunks(size)
                .map(|c| Ok(Bytes::copy_from_slice(c)))
                .collect(),
        ))
    }

    /// `body` split in two at `at`.
    fn split(body: &[u8], at: usize) -> Box<dyn BodyStream> {
        let (a, b) = body.split_at(at);
        Box::new(Chunks(
            [a, b]
                .into_iter()
                .map(|c| Ok(Bytes::copy_from_slice(c)))
                .collect(),
        ))
    }

    /// One frame, written by aws-smithy-eventstream's writer.
    fn frame(headers: Vec<WireHeader>, payload: &'static [u8]) -> Vec<u8> {
        let mut out = Vec::new();
        write_message_to(&WireMessage::new_from_parts(headers, payload), &mut out).unwrap();
        out
    }

    fn string(name: &'static str, value: &'static str) -> WireHeader {
        WireHeader::new(name, WireValue::String(StrBytes::from(value)))
    }

    fn event(kind: &'static str, seq: i32, payload: &'static [u8]) -> Vec<u8> {
        frame(
            vec![
                string(":message-type", "event"),
                string(":event-type", kind),
                string(":content-type", "application/json"),
                WireHeader::new("seq", WireValue::Int32(seq)),
            ],
            payload,
        )
    }

    fn exception(kind: &'static str, payload: &'static [u8]) -> Vec<u8> {
        frame(
            vec![
                string(":message-type", "exception"),
                string(":exception-type", kind),
            ],
            payload,
        )
    }

    #[derive(Debug, PartialEq)]
    struct Event {
        kind: String,
        seq: Option<i32>,
        payload: Vec<u8>,
    }

    #[derive(Debug, PartialEq)]
    struct Failure(String);

    impl fmt::Display for Failure {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "failure {}", self.0)
        }
    }

    impl Error for Failure {}

    fn unmarshal(message: &Message) -> Result<Result<Event, Failure>, BoxError> {
        match message.message_type() {
            Some("event") => Ok(Ok(Event {
                kind: message.event_type().ok_or("no event type")?.to_owned(),
                seq: header(message, "seq")?,
                payload: message.payload().to_vec(),
            })),
            Some("exception") => Ok(Err(Failure(
                message.exception_type().unwrap_or_default().to_owned(),
            ))),
            other => Err(format!("unexpected message type {other:?}").into()),
        }
    }

    fn receiver(body: Box<dyn BodyStream>) -> EventReceiver<Event, Failure> {
        EventReceiver::new(body, unmarshal)
    }

    fn expected(kind: &str, seq: i32, payload: &[u8]) -> Event {
        Event {
            kind: kind.to_owned(),
            seq: Some(seq),
            payload: payload.to_vec(),
        }
    }

    /// Three events, one with an empty payload.
    fn three_events() -> (Vec<u8>, Vec<Event>) {
        let mut body = event("Chunk", 1, br#"{"text":"hello"}"#);
        body.extend(event("Chunk", 2, b""));
        body.extend(event("Done", 3, br#"{"reason":"end"}"#));
        let events = vec![
            expected("Chunk", 1, br#"{"text":"hello"}"#),
            expected("Chunk", 2, b""),
            expected("Done", 3, br#"{"reason":"end"}"#),
        ];
        (body, events)
    }

    /// Receives until the end or an error, which ends the list.
    async fn drain(
        mut rx: EventReceiver<Event, Failure>,
    ) -> (Vec<Event>, Option<EventStreamError<Failure>>) {
        let mut events = Vec::new();
        loop {
            match rx.recv().await {
                Ok(Some(event)) => events.push(event),
                Ok(None) => return (events, None),
                Err(e) => {
                    assert!(matches!(rx.recv().await, Ok(None)), "not over after {e}");
                    assert!(matches!(rx.recv().await, Ok(None)));
                    return (events, Some(e));
                }
            }
        }
    }

    #[tokio::test]
    async fn events_arrive_in_order_however_the_body_is_chunked() {
        let (body, want) = three_events();
        let frame_len = event("Chunk", 1, br#"{"text":"hello"}"#).len();
        for size in [
            1,
            2,
            3,
            7,
            12,
            13,
            frame_len,
            frame_len + 1,
            2 * frame_len,
            body.len(),
        ] {
            let mut rx = receiver(chunked(&body, size));
            for event in &want {
                assert_eq!(
                    rx.recv().await.unwrap().as_ref(),
                    Some(event),
                    "chunks of {size}"
                );
            }
            assert!(rx.recv().await.unwrap().is_none(), "chunks of {size}");
            assert!(rx.recv().await.unwrap().is_none());
        }
        for at in 0..=body.len() {
            let (events, error) = drain(receiver(split(&body, at))).await;
            assert!(error.is_none(), "split at {at}: {error:?}");
            assert_eq!(events, want, "split at {at}");
        }
    }

    #[tokio::test]
    async fn an_empty_body_has_no_events() {
        let mut rx = receiver(chunked(b"", 1));
        assert!(rx.recv().await.unwrap().is_none());
        assert!(rx.recv().await.unwrap().is_none());
        let empty_chunks = VecDeque::from([Ok(Bytes::new()), Ok(Bytes::new())]);
        let (events, error) = drain(receiver(Box::new(Chunks(empty_chunks)))).await;
        assert!(events.is_empty() && error.is_none());
    }

    #[tokio::test]
    async fn typed_headers() {
        let millis = 1_700_000_000_123;
        let body = frame(
            vec![
                WireHeader::new("bool", WireValue::Bool(true)),
                WireHeader::new("false", WireValue::Bool(false)),
                WireHeader::new("byte", WireValue::Byte(-3)),
                WireHeader::new("short", WireValue::Int16(-300)),
                WireHeader::new("int", WireValue::Int32(70_000)),
                WireHeader::new("long", WireValue::Int64(1 << 40)),
                WireHeader::new("bytes", WireValue::ByteArray(Bytes::from_static(b"\0\x01"))),
                string("string", "text"),
                WireHeader::new(
                    "time",
                    WireValue::Timestamp(aws_smithy_types::DateTime::from_millis(millis)),
                ),
                WireHeader::new(
                    "before-epoch",
                    WireValue::Timestamp(aws_smithy_types::DateTime::from_millis(-1_500)),
                ),
                WireHeader::new("uuid", WireValue::Uuid(7)),
            ],
            b"payload",
        );
        let mut rx: EventReceiver<Message, Failure> =
            EventReceiver::new(chunked(&body, 5), |m| Ok(Ok(m.clone())));
        let m = rx.recv().await.unwrap().unwrap();
        assert_eq!(header::<bool>(&m, "bool").unwrap(), Some(true));
        assert_eq!(header::<bool>(&m, "false").unwrap(), Some(false));
        assert_eq!(header::<i8>(&m, "byte").unwrap(), Some(-3));
        assert_eq!(header::<i16>(&m, "short").unwrap(), Some(-300));
        assert_eq!(header::<i32>(&m, "int").unwrap(), Some(70_000));
        assert_eq!(header::<i64>(&m, "long").unwrap(), Some(1 << 40));
        assert_eq!(
            header::<Blob>(&m, "bytes").unwrap(),
            Some(Blob::new(vec![0, 1]))
        );
        assert_eq!(
            header::<String>(&m, "string").unwrap().as_deref(),
            Some("text")
        );
        assert_eq!(m.header_str("string"), Some("text"));
        assert_eq!(m.header_str("int"), None);
        let time = header::<DateTime>(&m, "time").unwrap().unwrap();
        assert_eq!(
            (time.secs(), time.subsec_nanos()),
            (1_700_000_000, 123_000_000)
        );
        let before = header::<DateTime>(&m, "before-epoch").unwrap().unwrap();
        assert_eq!((before.secs(), before.subsec_nanos()), (-2, 500_000_000));
        assert_eq!(m.header_value("uuid"), Some(&HeaderValue::Uuid(7)));
        assert_eq!(header::<i32>(&m, "missing").unwrap(), None);
        assert_eq!(m.headers().len(), 11);
        assert_eq!(m.payload(), b"payload");

        let err = header::<i32>(&m, "string").unwrap_err().to_string();
        assert_eq!(err, "event header `string` has type string, expected int32");
        let err = header::<DateTime>(&m, "long").unwrap_err().to_string();
        assert_eq!(
            err,
            "event header `long` has type int64, expected timestamp"
        );
        let err = header::<i64>(&m, "int").unwrap_err().to_string();
        assert_eq!(err, "event header `int` has type int32, expected int64");
    }

    #[tokio::test]
    async fn an_exception_is_a_service_error_and_ends_the_stream() {
        let mut body = event("Chunk", 1, b"a");
        body.extend(exception("ThrottlingException", br#"{"message":"slow"}"#));
        body.extend(event("Chunk", 2, b"b"));
        for size in [1, 4, body.len()] {
            let (events, error) = drain(receiver(chunked(&body, size))).await;
            assert_eq!(events, vec![expected("Chunk", 1, b"a")]);
            let error = error.unwrap();
            assert_eq!(
                error.as_service_error(),
                Some(&Failure("ThrottlingException".into()))
            );
            assert_eq!(
                crate::client::error::chain_text(&error),
                "service error in the event stream: failure ThrottlingException"
            );
            assert!(error.source().is_some());
            assert_eq!(
                error.into_service_error(),
                Some(Failure("ThrottlingException".into()))
            );
        }
    }

    #[tokio::test]
    async fn a_bad_checksum_is_a_decode_error() {
        let first = event("Chunk", 1, b"a");
        let second = event("Chunk", 2, b"b");
        // The message checksum (last byte), then the prelude checksum (byte 8).
        for corrupt in [second.len() - 1, 8] {
            let mut body = first.clone();
            let mut bad = second.clone();
            bad[corrupt] ^= 0x40;
            body.extend(bad);
            body.extend(event("Chunk", 3, b"c"));
            for size in [1, 3, body.len()] {
                let (events, error) = drain(receiver(chunked(&body, size))).await;
                assert_eq!(events, vec![expected("Chunk", 1, b"a")]);
                let error = error.unwrap();
                assert!(
                    matches!(error, EventStreamError::Decode(_)),
                    "byte {corrupt}: {error:?}"
                );
                assert!(
                    crate::client::error::chain_text(&error).contains("checksum"),
                    "{error}"
                );
                assert!(error.as_service_error().is_none());
            }
        }
    }

    #[tokio::test]
    async fn a_truncated_last_frame_is_a_decode_error() {
        let first = event("Chunk", 1, b"a");
        let second = event("Chunk", 2, b"b");
        // Cut in the prelude, right after it, in the headers, before the checksum.
        for keep in [1, 11, 12, 13, second.len() - 1] {
            let mut body = first.clone();
            body.extend_from_slice(&second[..keep]);
            for size in [1, 12, body.len()] {
                let (events, error) = drain(receiver(chunked(&body, size))).await;
                assert_eq!(events, vec![expected("Chunk", 1, b"a")], "kept {keep}");
                let error = error.unwrap();
                assert!(
                    crate::client::error::chain_text(&error)
                        == "failed to decode the event stream: \
                            the event stream ended in the middle of a frame",
                    "kept {keep}, chunks of {size}: {error}"
                );
            }
        }
    }

    #[tokio::test]
    async fn a_failed_read_is_a_transport_error() {
        let chunks = VecDeque::from([
            Ok(Bytes::from(event("Chunk", 1, b"a"))),
            Ok(Bytes::from(event("Chunk", 2, b"b")[..5].to_vec())),
            Err(TransportError::timeout("read timeout of 1s elapsed")),
            Ok(Bytes::from(event("Chunk", 3, b"c"))),
        ]);
        let (events, error) = drain(receiver(Box::new(Chunks(chunks)))).await;
        assert_eq!(events, vec![expected("Chunk", 1, b"a")]);
        let Some(EventStreamError::Transport(e)) = error else {
            panic!("expected a transport error, got {error:?}")
        };
        assert!(e.is_timeout());
    }

    #[tokio::test]
    async fn an_unreadable_message_is_a_decode_error() {
        let mut body = event("Chunk", 1, b"a");
        body.extend(frame(vec![string(":message-type", "surprise")], b""));
        let (events, error) = drain(receiver(chunked(&body, 2))).await;
        assert_eq!(events.len(), 1);
        let error = error.unwrap();
        assert!(matches!(error, EventStreamError::Decode(_)));
        assert!(
            crate::client::error::chain_text(&error).contains("unexpected message type"),
            "{error}"
        );

        // An `@eventHeader` of the wrong type.
        let wrong = frame(
            vec![
                string(":message-type", "event"),
                string(":event-type", "Chunk"),
                string("seq", "1"),
            ],
            b"",
        );
        let (_, error) = drain(receiver(chunked(&wrong, 100))).await;
        let report = crate::client::error::chain_text(&error.unwrap());
        assert!(
            report.contains("event header `seq` has type string"),
            "{report}"
        );
    }

    #[tokio::test]
    async fn an_oversized_frame_is_rejected_before_it_is_buffered_whole() {
        // A prelude claiming a 2 GiB frame, then more zeros than any frame has.
        let mut chunks = VecDeque::from([Ok(Bytes::from_static(&[
            0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4,
        ]))]);
        let mib = Bytes::from(vec![0u8; 1 << 20]);
        chunks.extend((0..20).map(|_| Ok(mib.clone())));
        let (events, error) = drain(receiver(Box::new(Chunks(chunks)))).await;
        assert!(events.is_empty());
        let error = error.unwrap();
        assert!(
            crate::client::error::chain_text(&error).contains("longer than"),
            "{error}"
        );
    }

    #[tokio::test]
    async fn corrupt_bytes_never_panic() {
        let mut body = event("Chunk", 1, b"{}");
        let boundary = body.len();
        body.extend(exception("Boom", b"{}"));
        for at in 0..body.len() {
            for flip in [0x01, 0x80, 0xff] {
                let mut bad = body.clone();
                bad[at] ^= flip;
                let (events, _) = drain(receiver(chunked(&bad, 7))).await;
                assert!(events.len() <= 1);
            }
            let (events, error) = drain(receiver(chunked(&body[..at], 3))).await;
            assert!(events.len() <= 1);
            // Cut anywhere but at a frame boundary, the body is truncated.
            assert_eq!(error.is_none(), at == 0 || at == boundary, "cut at {at}");
        }
    }

    #[tokio::test]
    async fn encoded_messages_decode_to_themselves() {
        let message = Message::new(&b"{\"a\":1}"[..])
            .with_header(":message-type", HeaderValue::String("event".into()))
            .with_header(":event-type", HeaderValue::String("Chunk".into()))
            .with_header("flag", HeaderValue::Bool(false))
            .with_header("b", HeaderValue::Byte(1))
            .with_header("s", HeaderValue::Int16(2))
            .with_header("i", HeaderValue::Int32(3))
            .with_header("l", HeaderValue::Int64(4))
            .with_header("bytes", HeaderValue::ByteArray(Bytes::from_static(b"xy")))
            .with_header(
                "t",
                HeaderValue::Timestamp(DateTime::from_secs_and_nanos(-5, 250_000_000)),
            )
            .with_header("u", HeaderValue::Uuid(u128::MAX));
        let mut body = message.encode().unwrap().to_vec();
        let error = Message::new(Bytes::new())
            .with_header(":message-type", HeaderValue::String("error".into()))
            .with_header(":error-code", HeaderValue::String("InternalError".into()))
            .with_header(":error-message", HeaderValue::String("oops".into()));
        body.extend_from_slice(&error.encode().unwrap());
        let mut rx: EventReceiver<Message, Failure> =
            EventReceiver::new(chunked(&body, 1), |m| Ok(Ok(m.clone())));
        assert_eq!(rx.recv().await.unwrap(), Some(message));
        let got = rx.recv().await.unwrap().unwrap();
        assert_eq!(got, error);
        assert_eq!(
            (got.message_type(), got.error_code(), got.error_message()),
            (Some("error"), Some("InternalError"), Some("oops"))
        );
        assert_eq!((got.event_type(), got.exception_type()), (None, None));
        assert!(rx.recv().await.unwrap().is_none());

        let long_name = "n".repeat(256);
        let too_long = Message::new(Bytes::new()).with_header(long_name, HeaderValue::Bool(true));
        assert!(too_long.encode().is_err());
    }

    #[test]
    fn receivers_cross_threads() {
        fn send_sync<T: Send + Sync>(_: &T) {}
        fn send<T: Send>(_: &T) {}
        let mut rx = receiver(chunked(b"", 1));
        send_sync(&rx);
        send(&rx.recv());
    }

    #[tokio::test]
    async fn debug_shows_no_payload() {
        let secret = event("Chunk", 1, b"top secret payload");
        let mut rx = receiver(chunked(&secret[..20], 20));
        assert!(!format!("{rx:?}").contains("secret"));
        let _ = rx.recv().await;
        assert_eq!(
            format!("{rx:?}"),
            "EventReceiver { ended: true, buffered: 0, .. }"
        );
        let message = Message::new(&b"top secret"[..])
            .with_header(":event-type", HeaderValue::String("Chunk".into()))
            .with_header("token", HeaderValue::String("hunter2".into()));
        assert_eq!(
            format!("{message:?}"),
            r#"Message { headers: {":event-type": "Chunk", "token": <string>}, payload_len: 10 }"#
        );
    }

    #[test]
    fn error_sources_and_messages() {
        let e: EventStreamError<Failure> =
            EventStreamError::Transport(TransportError::io("reset by peer"));
        assert_eq!(
            crate::client::error::chain_text(&e),
            "failed to read the event stream: connection error: reset by peer"
        );
        assert!(e.source().is_some());
        assert!(e.into_service_error().is_none());
        let e: EventStreamError<Failure> = EventStreamError::Decode("bad".into());
        assert_eq!(e.source().unwrap().to_string(), "bad");
    }
}
