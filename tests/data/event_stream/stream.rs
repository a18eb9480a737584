//! Runs inside the crate generated from `service-2.json` beside this file
//! (copied there as `tests/stream.rs` by `tests/tests/event_stream.rs`):
//! event-stream responses go through the generated client, over the
//! in-memory transport, split into chunks at awkward places.

use awsrt::client::event_stream::{decode_frames, HeaderValue, Message};
use bytes::Bytes;
use feeds::config::{Credentials, HttpResponse, TestTransport};
use feeds::primitives::event_stream::EventStreamError;
use feeds::primitives::{Blob, DateTime};
use feeds::types::error::FeedEventsError;
use feeds::types::{
    AudioEvent, ChatInput, EndEvent, FeedEvents, Level, SayEvent, SettingsEvent, Summary, Ticks,
};

fn client(transport: &TestTransport) -> feeds::Client {
    client_with(transport, true)
}

fn client_with(transport: &TestTransport, validation: bool) -> feeds::Client {
    let config = feeds::Config::builder()
        .region("us-west-2")
        .endpoint_url("https://feeds.example.com")
        .credentials(Credentials::from_keys("AKID", "SECRET", None))
        .transport(transport.clone())
        .validation(validation)
        .build()
        .unwrap();
    feeds::Client::from_conf(config)
}

fn event(event_type: &str, payload: &[u8]) -> Message {
    Message::new(payload.to_vec())
        .with_header(":message-type", HeaderValue::String("event".into()))
        .with_header(":event-type", HeaderValue::String(event_type.into()))
}

fn exception(exception_type: &str, payload: &str) -> Message {
    Message::new(payload.as_bytes().to_vec())
        .with_header(":message-type", HeaderValue::String("exception".into()))
        .with_header(":exception-type", HeaderValue::String(exception_type.into()))
        .with_header(
            ":content-type",
            HeaderValue::String("application/json".into()),
        )
}

/// The frames of `messages`, cut into chunks of `size` bytes.
fn chunks(messages: &[Message], size: usize) -> Vec<Bytes> {
    let mut all = Vec::new();
    for m in messages {
        all.extend_from_slice(&m.encode().unwrap());
    }
    all.chunks(size).map(Bytes::copy_from_slice).collect()
}

fn head() -> HttpResponse {
    HttpResponse::new(200)
        .with_header("content-type", "application/vnd.amazon.eventstream")
        .with_header("x-amz-session-id", "session-7")
}

fn every_event() -> Vec<Message> {
    let at = DateTime::from_secs(1_700_000_000);
    vec![
        event("chunk", b"\x00raw\xffbytes").with_header("sequence", HeaderValue::Int64(1 << 40)),
        event(
            "notice",
            br#"{"message": "hello", "details": {"source": "sensor", "seenAt": 1700000001}}"#,
        )
        .with_header("level", HeaderValue::String("WARN".into()))
        .with_header("urgent", HeaderValue::Bool(true))
        .with_header("count", HeaderValue::Int32(-3))
        .with_header("small", HeaderValue::Int16(300))
        .with_header("tiny", HeaderValue::Byte(-7))
        .with_header("at", HeaderValue::Timestamp(at))
        .with_header("digest", HeaderValue::ByteArray(Bytes::from_static(b"\x01\x02"))),
        event("summary", br#"{"total": 2, "tags": {"k": "v"}}"#),
        event("text", "héllo wörld".as_bytes()),
        event("somethingNew", br#"{"x": 1}"#),
    ]
}

async fn check_every_event(size: usize) {
    let transport = TestTransport::new();
    transport.push_streaming_response(head(), chunks(&every_event(), size));
    let mut output = client(&transport)
        .subscribe()
        .feed_id("feed-1")
        .send()
        .await
        .unwrap();
    assert_eq!(output.session_id(), Some("session-7"));
    assert_eq!(
        output.content_type(),
        Some("application/vnd.amazon.eventstream")
    );

    let Some(FeedEvents::Chunk(chunk)) = output.events.recv().await.unwrap() else {
        panic!("a chunk first")
    };
    assert_eq!(chunk.bytes(), Some(&Blob::new(b"\x00raw\xffbytes".to_vec())));
    assert_eq!(chunk.sequence(), Some(1 << 40));

    let Some(FeedEvents::Notice(notice)) = output.events.recv().await.unwrap() else {
        panic!("a notice")
    };
    assert_eq!(notice.level(), Some(&Level::Warn));
    assert_eq!(notice.urgent(), Some(true));
    assert_eq!(notice.count(), Some(-3));
    assert_eq!(notice.small(), Some(300));
    assert_eq!(notice.tiny(), Some(-7));
    assert_eq!(notice.at(), Some(&DateTime::from_secs(1_700_000_000)));
    assert_eq!(notice.digest(), Some(&Blob::new(vec![1, 2])));
    assert_eq!(notice.message(), "hello");
    let details = notice.details().unwrap();
    assert_eq!(details.source(), Some("sensor"));
    assert_eq!(details.seen_at(), Some(&DateTime::from_secs(1_700_000_001)));

    let Some(FeedEvents::Summary(summary)) = output.events.recv().await.unwrap() else {
        panic!("a summary")
    };
    let summary = summary.summary().unwrap();
    assert_eq!(summary.total(), Some(2));
    assert_eq!(
        summary.tags().and_then(|t| t.get("k")).map(String::as_str),
        Some("v")
    );

    let Some(FeedEvents::Text(text)) = output.events.recv().await.unwrap() else {
        panic!("a text")
    };
    assert_eq!(text.text(), Some("héllo wörld"));

    let unknown = output.events.recv().await.unwrap().unwrap();
    assert!(unknown.is_unknown(), "an event type the model does not list");

    assert!(output.events.recv().await.unwrap().is_none(), "the end");
    assert!(output.events.recv().await.unwrap().is_none(), "still the end");

    let sent = transport.requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].path(), "/feeds/feed-1/subscribe");
    assert!(sent[0].header("authorization").is_some(), "signed");
}

#[tokio::test]
async fn events_arrive_whole_whatever_the_chunks() {
    for size in [1, 7, 64, 100_000] {
        check_every_event(size).await;
    }
}

#[tokio::test]
async fn modeled_exceptions_end_the_stream_with_their_error() {
    let transport = TestTransport::new();
    transport.push_streaming_response(
        head(),
        chunks(
            &[
                event("text", b"first"),
                exception(
                    "validationException",
                    r#"{"message": "bad field", "field": "x"}"#,
                ),
                event("text", b"never read"),
            ],
            5,
        ),
    );
    let mut output = client(&transport)
        .subscribe()
        .feed_id("feed-1")
        .send()
        .await
        .unwrap();
    assert!(output.events.recv().await.unwrap().is_some());
    let err = output.events.recv().await.unwrap_err();
    let Some(FeedEventsError::ValidationException(e)) = err.as_service_error() else {
        panic!("a validation exception: {err:?}")
    };
    assert_eq!(e.message(), "bad field");
    assert_eq!(e.field(), Some("x"));
    let service = err.into_service_error().unwrap();
    assert_eq!(service.code(), Some("ValidationException"));
    assert_eq!(service.message(), Some("bad field"));
    assert!(output.events.recv().await.unwrap().is_none());
}

#[tokio::test]
async fn unlisted_exceptions_and_error_messages_are_unhandled() {
    let transport = TestTransport::new();
    transport.push_streaming_response(
        head(),
        chunks(
            &[exception("quotaException", r#"{"message": "over quota"}"#)],
            3,
        ),
    );
    transport.push_streaming_response(
        head(),
        chunks(
            &[Message::new(Vec::new())
                .with_header(":message-type", HeaderValue::String("error".into()))
                .with_header(":error-code", HeaderValue::String("InternalFailure".into()))
                .with_header(":error-message", HeaderValue::String("try later".into()))],
            4,
        ),
    );
    for (code, message) in [("quotaException", "over quota"), ("InternalFailure", "try later")] {
        let mut output = client(&transport)
            .subscribe()
            .feed_id("feed-1")
            .send()
            .await
            .unwrap();
        let err = output.events.recv().await.unwrap_err();
        let Some(FeedEventsError::Unhandled(u)) = err.as_service_error() else {
            panic!("unhandled: {err:?}")
        };
        assert_eq!((u.code(), u.message()), (Some(code), Some(message)));
        assert_eq!(u.status(), None);
    }
}

#[tokio::test]
async fn a_corrupt_frame_or_a_bad_event_is_a_decode_error() {
    let transport = TestTransport::new();
    let mut bytes = event("text", b"hello").encode().unwrap().to_vec();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff; // the message CRC
    transport.push_streaming_response(head(), vec![Bytes::from(bytes)]);
    // A notice without its required `message`, and a header of the wrong type.
    transport.push_streaming_response(
        head(),
        chunks(
            &[event("notice", b"{}").with_header("count", HeaderValue::String("three".into()))],
            9,
        ),
    );
    for what in ["crc", "notice"] {
        let mut output = client(&transport)
            .subscribe()
            .feed_id("feed-1")
            .send()
            .await
            .unwrap();
        let err = output.events.recv().await.unwrap_err();
        assert!(matches!(err, EventStreamError::Decode(_)), "{what}: {err:?}");
        assert!(output.events.recv().await.unwrap().is_none());
    }
}

#[tokio::test]
async fn an_error_status_is_the_operations_error_not_a_stream() {
    let transport = TestTransport::new();
    transport.push_response(
        HttpResponse::json(429, r#"{"message": "slow down"}"#)
            .with_header("x-amzn-errortype", "ThrottledException"),
    );
    transport.push_response(
        HttpResponse::json(400, r#"{"message": "no such feed"}"#)
            .with_header("x-amzn-errortype", "ValidationException"),
    );
    let err = client(&transport)
        .subscribe()
        .feed_id("feed-1")
        .send()
        .await
        .unwrap_err();
    let e = err.into_service_error();
    assert!(e.is_validation_exception(), "{e:?}");
    assert_eq!(e.message(), Some("no such feed"));
    assert_eq!(transport.request_count(), 2, "the throttled attempt was retried");
}

#[tokio::test]
async fn a_stream_with_empty_events() {
    let transport = TestTransport::new();
    transport.push_streaming_response(
        HttpResponse::new(200),
        chunks(&[event("tick", b""), event("tick", b"")], 2),
    );
    let mut output = client(&transport).watch().send().await.unwrap();
    for _ in 0..2 {
        assert!(matches!(
            output.ticks.recv().await.unwrap(),
            Some(Ticks::Tick(_))
        ));
    }
    assert!(output.ticks.recv().await.unwrap().is_none());
}

#[tokio::test]
async fn input_is_validated_before_any_request() {
    let transport = TestTransport::new();
    let err = client(&transport)
        .subscribe()
        .feed_id("Not Valid!")
        .send()
        .await
        .unwrap_err();
    let report = feeds::error::DisplayErrorContext(&err).to_string();
    assert!(report.contains("feedId"), "{report}");
    assert_eq!(transport.request_count(), 0);
}

/// The events a chat sends, one of each kind.
fn chat_events() -> Vec<ChatInput> {
    vec![
        ChatInput::Say(
            SayEvent::builder()
                .text("hi")
                .mood(Level::Info)
                .build()
                .unwrap(),
        ),
        ChatInput::Audio(
            AudioEvent::builder()
                .audio(Blob::new(vec![1, 2, 3]))
                .seq(9)
                .r#final(true)
                .codec(Level::Warn)
                .at(DateTime::from_secs(1_700_000_000))
                .tag(Blob::new(vec![7]))
                .note("n")
                .build(),
        ),
        ChatInput::Settings(
            SettingsEvent::builder()
                .settings(Summary::builder().total(1).build())
                .build(),
        ),
        ChatInput::End(EndEvent::builder().build()),
    ]
}

fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).unwrap()
}

#[tokio::test]
async fn a_chat_sends_signed_events_while_it_reads_the_rooms() {
    let transport = TestTransport::new();
    transport.push_streaming_response(head(), chunks(&[event("text", b"hi back")], 3));
    let mut output = client(&transport)
        .chat()
        .room_id("room-1")
        .client_tag("t-1")
        .input(chat_events().into_iter().collect())
        .send()
        .await
        .unwrap();
    let Some(FeedEvents::Text(text)) = output.output.recv().await.unwrap() else {
        panic!("the room's text")
    };
    assert_eq!(text.text(), Some("hi back"));
    assert!(output.output.recv().await.unwrap().is_none());

    let request = &transport.requests()[0];
    assert_eq!(request.path(), "/chat/room-1");
    assert_eq!(
        request.header("content-type"),
        Some("application/vnd.amazon.eventstream")
    );
    assert_eq!(
        request.header("x-amz-content-sha256"),
        Some("STREAMING-AWS4-HMAC-SHA256-EVENTS")
    );
    assert_eq!(request.header("x-amz-client-tag"), Some("t-1"));

    // Every event is wrapped in a signed frame; an empty signed frame ends the body.
    let sent = decode_frames(&transport.sent_event_stream(0).await.unwrap()).unwrap();
    assert_eq!(sent.len(), 5);
    for frame in &sent {
        assert!(matches!(frame.header_value(":date"), Some(HeaderValue::Timestamp(_))));
        assert!(matches!(
            frame.header_value(":chunk-signature"),
            Some(HeaderValue::ByteArray(sig)) if sig.len() == 32
        ));
    }
    assert!(sent[4].payload().is_empty());
    let inner: Vec<Message> = sent[..4]
        .iter()
        .map(|frame| decode_frames(frame.payload()).unwrap().remove(0))
        .collect();
    for (message, kind) in inner.iter().zip(["say", "audio", "settings", "end"]) {
        assert_eq!(message.message_type(), Some("event"));
        assert_eq!(message.event_type(), Some(kind));
    }

    let say = &inner[0];
    assert_eq!(say.header_str(":content-type"), Some("application/json"));
    assert_eq!(json(say.payload()), serde_json::json!({"text": "hi", "mood": "INFO"}));

    let audio = &inner[1];
    assert_eq!(
        audio.header_str(":content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(audio.payload(), [1, 2, 3]);
    assert_eq!(audio.header_value("seq"), Some(&HeaderValue::Int64(9)));
    assert_eq!(audio.header_value("final"), Some(&HeaderValue::Bool(true)));
    assert_eq!(audio.header_str("codec"), Some("WARN"));
    assert_eq!(
        audio.header_value("at"),
        Some(&HeaderValue::Timestamp(DateTime::from_secs(1_700_000_000)))
    );
    assert_eq!(
        audio.header_value("tag"),
        Some(&HeaderValue::ByteArray(Bytes::from_static(&[7])))
    );
    assert_eq!(audio.header_str("note"), Some("n"));

    assert_eq!(json(inner[2].payload()), serde_json::json!({"total": 1}));
    assert_eq!(json(inner[3].payload()), serde_json::json!({}));
}

#[tokio::test]
async fn events_are_checked_before_they_are_sent() {
    let too_long = || {
        ChatInput::Say(
            SayEvent::builder()
                .text("far more than ten characters")
                .build()
                .unwrap(),
        )
    };
    let transport = TestTransport::new();
    transport.push_streaming_response(head(), Vec::new());
    let output = client(&transport)
        .chat()
        .room_id("room-1")
        .input(std::iter::once(too_long()).collect())
        .send()
        .await;
    // The response may already be there; the stream of events fails at the bad one.
    drop(output);
    let err = transport.sent_event_stream(0).await.unwrap_err().to_string();
    assert!(err.contains("text"), "{err}");

    // With validation off, the same event goes out.
    let transport = TestTransport::new();
    transport.push_streaming_response(head(), Vec::new());
    client_with(&transport, false)
        .chat()
        .room_id("room-1")
        .input(std::iter::once(too_long()).collect())
        .send()
        .await
        .unwrap();
    let sent = decode_frames(&transport.sent_event_stream(0).await.unwrap()).unwrap();
    assert_eq!(sent.len(), 2, "the event and the closing frame");
}

#[tokio::test]
async fn a_chat_without_its_event_stream_is_refused_before_any_request() {
    let transport = TestTransport::new();
    let err = client(&transport)
        .chat()
        .room_id("room-1")
        .send()
        .await
        .unwrap_err();
    let report = feeds::error::DisplayErrorContext(&err).to_string();
    assert!(report.contains("input"), "{report}");
    assert_eq!(transport.request_count(), 0);
}

#[tokio::test]
async fn events_from_a_channel_go_out_as_they_are_sent() {
    let transport = TestTransport::new();
    transport.push_streaming_response(head(), Vec::new());
    let (events, sink) = feeds::primitives::event_stream::EventStreamSender::channel(4);
    let mut output = client(&transport)
        .chat()
        .room_id("room-1")
        .input(events)
        .send()
        .await
        .unwrap();
    sink.send(ChatInput::End(EndEvent::builder().build()))
        .await
        .unwrap();
    drop(sink);
    assert!(output.output.recv().await.unwrap().is_none());
    let sent = decode_frames(&transport.sent_event_stream(0).await.unwrap()).unwrap();
    assert_eq!(sent.len(), 2);
    let inner = decode_frames(sent[0].payload()).unwrap().remove(0);
    assert_eq!(inner.event_type(), Some("end"));
}
