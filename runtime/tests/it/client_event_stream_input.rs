//! Event-stream inputs end to end: a bidirectional call through `Runtime`,
//! with the in-memory transport (signatures checked against an independent
//! Python computation), and with hyper against tiny servers on 127.0.0.1
//! started by the test, over HTTP/1.1 (chunked) and HTTP/2 (h2c): the server
//! answers before the client has finished sending, and the client sends more
//! after reading that answer (full duplex). No other network traffic.
#![cfg(feature = "event-stream")]

use crate::common;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use awsrt::client::event_stream::{
    channel, decode_frames, EventReceiver, EventSink, EventStreamSender, HeaderValue, Message,
};
use awsrt::client::{
    BoxError, Config, Credentials, ErrorMetadata, HttpRequest, HttpResponse, HttpTransport,
    HyperTransport, Method, OperationMeta, RetryConfig, Runtime, SdkError, ServiceMeta,
    TestTransport, TimeSource, TransportError, TransportErrorKind, UnhandledError,
};
use bytes::{Buf, Bytes, BytesMut};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

static BEDROCK_LIKE: ServiceMeta = ServiceMeta {
    sdk_id: "bedrock-runtime",
    signing_name: "bedrock",
    api_version: "2023-09-30",
    endpoint_rule_set: r#"{"version": "1.0",
        "parameters": {
            "Region": {"type": "String", "builtIn": "AWS::Region"},
            "Endpoint": {"type": "String", "builtIn": "SDK::Endpoint"}},
        "rules": [
            {"conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
             "endpoint": {"url": {"ref": "Endpoint"}}, "type": "endpoint"},
            {"conditions": [],
             "endpoint": {"url": "https://bedrock-runtime.{Region}.amazonaws.com"},
             "type": "endpoint"}]}"#,
    partitions: r#"{"partitions": []}"#,
    region_matcher: |_, _| None,
};

static BIDI: OperationMeta = common::op("InvokeModelWithBidirectionalStream");

const PATH: &str = "/model/my-model/invoke-with-bidirectional-stream";

/// The input stream's union, as the generator would write it.
#[derive(Debug, Clone, PartialEq)]
enum Input {
    Chunk(String),
}

fn marshal(event: Input) -> Result<Message, BoxError> {
    let Input::Chunk(json) = event;
    Ok(Message::new(json.into_bytes())
        .with_header(":message-type", HeaderValue::String("event".into()))
        .with_header(":event-type", HeaderValue::String("chunk".into()))
        .with_header(
            ":content-type",
            HeaderValue::String("application/json".into()),
        ))
}

/// An output event: its payload as text.
fn unmarshal(message: &Message) -> Result<Result<String, UnhandledError>, BoxError> {
    match message.message_type() {
        Some("event") => Ok(Ok(String::from_utf8_lossy(message.payload()).into_owned())),
        other => Err(format!("unexpected message type {other:?}").into()),
    }
}

type Output = EventReceiver<String, UnhandledError>;

/// What the generated operation does.
async fn invoke(
    rt: &Runtime,
    input: EventStreamSender<Input, BoxError>,
) -> Result<Output, SdkError<UnhandledError>> {
    let mut request = HttpRequest::new(Method::Post, PATH);
    request.set_event_stream(input.into_body(marshal));
    common::call_streaming(
        rt,
        request,
        &BIDI,
        |_head: &HttpResponse, body| Ok::<_, BoxError>(EventReceiver::new(body, unmarshal)),
        |resp: &HttpResponse, meta: ErrorMetadata| UnhandledError::new(resp.status(), meta),
    )
    .await
}

fn chunk(n: u32) -> Input {
    Input::Chunk(format!(r#"{{"n":{n}}}"#))
}

/// An output event frame with `text` as payload.
fn output_event(text: &str) -> Bytes {
    Message::new(text.as_bytes().to_vec())
        .with_header(":message-type", HeaderValue::String("event".into()))
        .with_header(":event-type", HeaderValue::String("chunk".into()))
        .encode()
        .unwrap()
}

/// A clock that moves one second forward each time it is read.
#[derive(Debug)]
struct Ticking {
    start: SystemTime,
    reads: AtomicU64,
}

impl TimeSource for Ticking {
    fn now(&self) -> SystemTime {
        self.start + Duration::from_secs(self.reads.fetch_add(1, Ordering::SeqCst))
    }
}

fn config(transport: impl HttpTransport + 'static) -> Config {
    Config::builder()
        .region("us-east-1")
        .credentials(Credentials::from_keys("AKIDEXAMPLE", "SECRET", None))
        .retry_config(RetryConfig::standard().with_initial_backoff(Duration::ZERO))
        .transport(transport)
        .build()
        .unwrap()
}

/// The wrappers of a signed body, and the messages inside them (the last
/// wrapper, the empty one, has none).
fn unwrap_frames(body: &[u8]) -> (Vec<Message>, Vec<Message>) {
    let wrappers = decode_frames(body).unwrap();
    let inner = wrappers
        .iter()
        .filter(|w| !w.payload().is_empty())
        .map(|w| {
            let mut messages = decode_frames(w.payload()).unwrap();
            assert_eq!(messages.len(), 1);
            messages.remove(0)
        })
        .collect();
    (wrappers, inner)
}

fn payloads(messages: &[Message]) -> Vec<String> {
    messages
        .iter()
        .map(|m| String::from_utf8_lossy(m.payload()).into_owned())
        .collect()
}

// --- Golden signatures ---

/// The output of `runtime/scripts/event_stream_sign_golden.py` (Python
/// standard library only, independent of aws-sigv4): the request's
/// Authorization header, the chunk signatures and the whole body awsrt must
/// send for its case, which this test reproduces.
mod golden {
    pub const AUTHORIZATION: &str = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240305/us-east-1/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=59b70d84f48086bc98b8415ec876a24d301d38293cdb0f8706712c27942bbaa3";
    pub const CHUNK_SIGNATURES: [&str; 3] = [
        "3e9eab336ec59757d4a0eb32ece9048f27ba29e275b45776594a1cdcba897ab6",
        "832804ad4104feb3c30bdc24e325dba2759714859560123a15889dcba69ad81e",
        "2f7bba29959c3b771aa104f6e44105ed196a36361a9af1ae7683cf1350bb845a",
    ];
    pub const BODY_HEX: &str = "000000c200000043192274f8103a6368756e6b2d7369676e61747572650600203e9eab336ec59757d4a0eb32ece9048f27ba29e275b45776594a1cdcba897ab6053a64617465080000018e0f929b100000006f0000004b9f4ea7ed0d3a6d6573736167652d747970650700056576656e740b3a6576656e742d747970650700056368756e6b0d3a636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e7b226279746573223a22614756736247383d227d9f3c0bb619dc2511000000c200000043192274f8103a6368756e6b2d7369676e6174757265060020832804ad4104feb3c30bdc24e325dba2759714859560123a15889dcba69ad81e053a64617465080000018e0f929ef80000006f0000004b9f4ea7ed0d3a6d6573736167652d747970650700056576656e740b3a6576656e742d747970650700056368756e6b0d3a636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e7b226279746573223a22643239796247513d227d28b413b8a0a7bafa0000005300000043f5447a58103a6368756e6b2d7369676e61747572650600202f7bba29959c3b771aa104f6e44105ed196a36361a9af1ae7683cf1350bb845a053a64617465080000018e0f92a2e0b299d1c4";
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn signed_frames_match_the_python_golden() {
    let transport = TestTransport::new();
    transport.push_streaming_response(HttpResponse::new(200), vec![]);
    // 2024-03-05T17:04:09Z, the script's T0; the clock ticks once per read.
    let clock = Ticking {
        start: SystemTime::UNIX_EPOCH + Duration::from_secs(1_709_658_249),
        reads: AtomicU64::new(0),
    };
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::from_keys(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            Some("session-token-EXAMPLE".into()),
        ))
        .time_source(clock)
        .transport(transport.clone())
        .build()
        .unwrap();
    let rt = Runtime::new(config, &BEDROCK_LIKE);
    let input = [r#"{"bytes":"aGVsbG8="}"#, r#"{"bytes":"d29ybGQ="}"#]
        .map(|s| Input::Chunk(s.to_owned()))
        .into_iter()
        .collect();
    let mut output = invoke(&rt, input).await.unwrap();
    assert_eq!(output.recv().await.unwrap(), None);

    let body = transport.sent_event_stream(0).await.unwrap();
    let request = &transport.requests()[0];
    assert_eq!(
        request.uri(),
        format!("https://bedrock-runtime.us-east-1.amazonaws.com{PATH}")
    );
    assert_eq!(request.header("authorization"), Some(golden::AUTHORIZATION));
    assert_eq!(
        request.header("x-amz-content-sha256"),
        Some("STREAMING-AWS4-HMAC-SHA256-EVENTS")
    );
    assert_eq!(
        request.header("content-type"),
        Some("application/vnd.amazon.eventstream")
    );
    assert_eq!(request.header("content-length"), None);
    let (wrappers, _) = unwrap_frames(&body);
    let signatures: Vec<String> = wrappers
        .iter()
        .map(|w| match w.header_value(":chunk-signature") {
            Some(HeaderValue::ByteArray(sig)) => hex(sig),
            other => panic!("no chunk signature: {other:?}"),
        })
        .collect();
    assert_eq!(signatures, golden::CHUNK_SIGNATURES);
    assert_eq!(hex(&body), golden::BODY_HEX);
}

#[tokio::test]
async fn each_event_is_wrapped_whole_and_the_body_ends_with_an_empty_frame() {
    let transport = TestTransport::new();
    transport.push_streaming_response(
        HttpResponse::new(200),
        vec![output_event("first"), output_event("second")],
    );
    let rt = Runtime::new(config(transport.clone()), &BEDROCK_LIKE);
    let (input, sink) = channel(2);
    sink.send(chunk(1)).await.unwrap();
    let mut output = invoke(&rt, input).await.unwrap();
    assert_eq!(output.recv().await.unwrap().as_deref(), Some("first"));
    sink.send(chunk(2)).await.unwrap();
    assert_eq!(output.recv().await.unwrap().as_deref(), Some("second"));
    sink.send(chunk(3)).await.unwrap();
    drop(sink);
    assert_eq!(output.recv().await.unwrap(), None);

    let body = transport.sent_event_stream(0).await.unwrap();
    assert_eq!(transport.requests()[0].body(), &body);
    let (wrappers, inner) = unwrap_frames(&body);
    assert_eq!(wrappers.len(), 4);
    for wrapper in &wrappers {
        let names: Vec<&str> = wrapper.headers().iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, [":chunk-signature", ":date"]);
        assert!(matches!(
            wrapper.header_value(":date"),
            Some(HeaderValue::Timestamp(_))
        ));
    }
    assert!(wrappers[3].payload().is_empty(), "the final frame is empty");
    let sent: Vec<Message> = [1, 2, 3].map(|n| marshal(chunk(n)).unwrap()).into();
    assert_eq!(inner, sent);
    assert_eq!(payloads(&inner), [r#"{"n":1}"#, r#"{"n":2}"#, r#"{"n":3}"#]);
}

#[tokio::test]
async fn a_failure_before_the_body_was_taken_is_retried() {
    let transport = TestTransport::new();
    transport
        .push_error(TransportError::connect("refused"))
        .push_streaming_response(HttpResponse::new(200), vec![output_event("ok")]);
    let rt = Runtime::new(config(transport.clone()), &BEDROCK_LIKE);
    let input = [chunk(1)].into_iter().collect();
    let mut output = invoke(&rt, input).await.unwrap();
    assert_eq!(output.recv().await.unwrap().as_deref(), Some("ok"));
    assert_eq!(transport.request_count(), 2);
    let err = transport.sent_event_stream(0).await.unwrap_err();
    assert!(chain(&*err).contains("was not read"), "{err}");
    let (_, inner) = unwrap_frames(&transport.sent_event_stream(1).await.unwrap());
    assert_eq!(payloads(&inner), [r#"{"n":1}"#]);
}

#[tokio::test]
async fn a_request_whose_body_was_taken_is_not_attempted_again() {
    // A retryable error response after the body was taken is returned as is.
    let transport = TestTransport::new();
    transport
        .push_streaming_response(
            HttpResponse::new(503).with_header("content-type", "application/json"),
            vec![Bytes::from_static(br#"{"message":"busy"}"#)],
        )
        .push_streaming_response(HttpResponse::new(200), vec![]);
    let rt = Runtime::new(config(transport.clone()), &BEDROCK_LIKE);
    let err = invoke(&rt, [chunk(1)].into_iter().collect())
        .await
        .unwrap_err();
    assert_eq!(
        err.raw_response().map(HttpResponse::status),
        Some(503),
        "{err:?}"
    );
    assert_eq!(
        (transport.request_count(), transport.pending_replies()),
        (1, 1)
    );

    // Sending the same request (or a clone) again fails clearly, at the
    // transport and at the runtime.
    let transport = TestTransport::new();
    transport.push_response(HttpResponse::new(200));
    let mut request = HttpRequest::new(Method::Post, "/x");
    let input: EventStreamSender<Input, BoxError> = [chunk(1)].into_iter().collect();
    request.set_event_stream(input.into_body(marshal));
    assert!(request.has_event_stream() && !request.event_stream_sent());
    transport.send(request.clone()).await.unwrap();
    assert!(request.event_stream_sent());
    let err = transport.send(request.clone()).await.unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::User);
    assert!(
        chain(&err).contains("the event stream was already sent"),
        "{err}"
    );
    let err = Runtime::new(config(transport), &BEDROCK_LIKE)
        .send(request, &BIDI)
        .await
        .unwrap_err();
    assert!(
        chain(&err).contains("the event stream was already sent"),
        "{err}"
    );
    assert!(
        format!("{err:?}").starts_with("Construction"),
        "not a construction error: {err:?}"
    );
}

#[tokio::test]
async fn a_failing_input_stream_ends_the_body_with_its_error() {
    let transport = TestTransport::new();
    transport.push_streaming_response(HttpResponse::new(200), vec![]);
    let rt = Runtime::new(config(transport.clone()), &BEDROCK_LIKE);
    let items: Vec<Result<Input, std::io::Error>> = vec![
        Ok(chunk(1)),
        Err(std::io::Error::other("microphone unplugged")),
    ];
    let input = EventStreamSender::from(Items(items.into()));
    let mut request = HttpRequest::new(Method::Post, PATH);
    request.set_event_stream(input.into_body(marshal));
    let mut output = common::call_streaming(
        &rt,
        request,
        &BIDI,
        |_: &HttpResponse, body| Ok::<_, BoxError>(EventReceiver::new(body, unmarshal)),
        |resp: &HttpResponse, meta: ErrorMetadata| UnhandledError::new(resp.status(), meta),
    )
    .await
    .unwrap();
    assert_eq!(output.recv().await.unwrap(), None);
    let err = transport.sent_event_stream(0).await.unwrap_err();
    assert!(chain(&*err).contains("microphone unplugged"), "{err}");
    // What was sent before the error is recorded.
    let (wrappers, inner) = unwrap_frames(transport.requests()[0].body());
    assert_eq!(
        (wrappers.len(), payloads(&inner)),
        (1, vec![r#"{"n":1}"#.to_owned()])
    );
}

/// A `futures_core::Stream` over a list of results (as a caller's stream).
struct Items(std::collections::VecDeque<Result<Input, std::io::Error>>);

impl futures_core::Stream for Items {
    type Item = Result<Input, std::io::Error>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        std::task::Poll::Ready(self.get_mut().0.pop_front())
    }
}

#[tokio::test]
async fn send_reads_the_whole_input_before_the_reply() {
    let transport = TestTransport::new();
    transport.push_response(HttpResponse::json(200, "{}"));
    let rt = Runtime::new(config(transport.clone()), &BEDROCK_LIKE);
    let mut request = HttpRequest::new(Method::Post, PATH);
    let input: EventStreamSender<Input, BoxError> = [chunk(1), chunk(2)].into_iter().collect();
    request.set_event_stream(input.into_body(marshal));
    let response = rt.send(request, &BIDI).await.unwrap();
    assert_eq!(response.status(), 200);
    // Already all there: `send` read the stream to its end before replying.
    let (wrappers, inner) = unwrap_frames(transport.requests()[0].body());
    assert_eq!((wrappers.len(), inner.len()), (3, 2));
}

// --- HyperTransport over loopback ---

/// The caller's side of both duplex tests: sends `{"n":1}`, reads the
/// server's first event, only then sends `{"n":2}` and ends its stream, and
/// returns every event the server sent.
async fn duplex_client(rt: &Runtime) -> Vec<String> {
    let (input, sink): (_, EventSink<Input, BoxError>) = channel(4);
    sink.send(chunk(1)).await.unwrap();
    let mut output = invoke(rt, input).await.unwrap();
    let mut got = vec![output.recv().await.unwrap().expect("a first event")];
    // The server answered while our stream is still open: send more.
    sink.send(chunk(2)).await.unwrap();
    drop(sink);
    while let Some(event) = output.recv().await.unwrap() {
        got.push(event);
    }
    got
}

/// What the duplex servers check of each request frame: the inner
/// message's payload (`None` for the final empty frame).
fn inner_payload(frame: &[u8]) -> Option<String> {
    let wrapper = decode_frames(frame).unwrap().remove(0);
    assert!(matches!(
        wrapper.header_value(":chunk-signature"),
        Some(HeaderValue::ByteArray(sig)) if sig.len() == 32
    ));
    if wrapper.payload().is_empty() {
        return None;
    }
    Some(payloads(&decode_frames(wrapper.payload()).unwrap()).remove(0))
}

/// Buffers the bytes of a request body and splits off whole frames.
#[derive(Default)]
struct FrameBuffer(BytesMut);

impl FrameBuffer {
    fn next_frame(&mut self) -> Option<Bytes> {
        if self.0.len() < 4 {
            return None;
        }
        let len = (&self.0[..4]).get_u32() as usize;
        (self.0.len() >= len).then(|| self.0.split_to(len).freeze())
    }
}

/// A one-connection HTTP/1.1 server: reads the request head and the first
/// frame, answers with the response head and `event 1`, reads the frame the
/// client sends after that and the final empty frame and the end of the
/// chunked body, then sends `event 2` (naming what it received) and ends.
async fn http1_server() -> (String, tokio::task::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let task = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut reader = ChunkedReader::default();
        let head = reader.head(&mut stream).await;
        assert!(head.contains("transfer-encoding: chunked"), "{head}");
        assert!(
            head.contains("x-amz-content-sha256: streaming-aws4-hmac-sha256-events"),
            "{head}"
        );
        assert!(!head.contains("content-length"), "{head}");
        let first = inner_payload(&reader.frame(&mut stream).await.unwrap());
        assert_eq!(first.as_deref(), Some(r#"{"n":1}"#));
        let response = "HTTP/1.1 200 OK\r\ncontent-type: application/vnd.amazon.eventstream\r\n\
                        transfer-encoding: chunked\r\n\r\n";
        stream.write_all(response.as_bytes()).await.unwrap();
        stream
            .write_all(&http_chunk(&output_event("event 1")))
            .await
            .unwrap();
        stream.flush().await.unwrap();
        // The client only sends this after reading `event 1`.
        let second = inner_payload(&reader.frame(&mut stream).await.unwrap());
        let last = inner_payload(&reader.frame(&mut stream).await.unwrap());
        assert!(
            reader.frame(&mut stream).await.is_none(),
            "the body did not end"
        );
        let summary = format!("event 2 after {second:?} and {last:?}");
        stream
            .write_all(&http_chunk(&output_event(&summary)))
            .await
            .unwrap();
        stream.write_all(b"0\r\n\r\n").await.unwrap();
        stream.flush().await.unwrap();
        head
    });
    (addr, task)
}

/// Reads an HTTP/1.1 request head, then its chunked body frame by frame.
#[derive(Default)]
struct ChunkedReader {
    raw: BytesMut,
    frames: FrameBuffer,
    ended: bool,
}

impl ChunkedReader {
    async fn fill(&mut self, stream: &mut TcpStream) {
        let mut buf = [0u8; 4096];
        let n = stream.read(&mut buf).await.unwrap();
        assert!(n > 0, "the connection closed early");
        self.raw.extend_from_slice(&buf[..n]);
    }

    async fn head(&mut self, stream: &mut TcpStream) -> String {
        loop {
            if let Some(end) = self.raw.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = self.raw.split_to(end + 4);
                return String::from_utf8_lossy(&head).to_ascii_lowercase();
            }
            self.fill(stream).await;
        }
    }

    /// The next whole frame of the body; `None` at its end.
    async fn frame(&mut self, stream: &mut TcpStream) -> Option<Bytes> {
        loop {
            if let Some(frame) = self.frames.next_frame() {
                return Some(frame);
            }
            if self.ended {
                assert!(self.frames.0.is_empty(), "the body ended mid-frame");
                return None;
            }
            // One chunk: `<hex size>\r\n<data>\r\n`; size 0 ends the body.
            let Some(line_end) = self.raw.windows(2).position(|w| w == b"\r\n") else {
                self.fill(stream).await;
                continue;
            };
            let size = std::str::from_utf8(&self.raw[..line_end])
                .ok()
                .and_then(|s| usize::from_str_radix(s.trim(), 16).ok())
                .expect("a chunk size");
            if self.raw.len() < line_end + 2 + size + 2 {
                self.fill(stream).await;
                continue;
            }
            self.raw.advance(line_end + 2);
            let data = self.raw.split_to(size);
            self.raw.advance(2);
            if size == 0 {
                self.ended = true;
            } else {
                self.frames.0.extend_from_slice(&data);
            }
        }
    }
}

/// `data` as one HTTP/1.1 chunk.
fn http_chunk(data: &[u8]) -> Vec<u8> {
    let mut out = format!("{:x}\r\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\r\n");
    out
}

fn loopback_config(addr: &str, transport: HyperTransport) -> Config {
    Config::builder()
        .region("us-east-1")
        .credentials(Credentials::from_keys("AKIDEXAMPLE", "SECRET", None))
        .endpoint_url(format!("http://{addr}"))
        .transport(transport)
        .build()
        .unwrap()
}

const SUMMARY: &str = r#"event 2 after Some("{\"n\":2}") and None"#;

#[tokio::test]
async fn hyper_http1_sends_and_receives_at_the_same_time() {
    let (addr, server) = http1_server().await;
    let transport =
        HyperTransport::new(Some(Duration::from_secs(2)), Some(Duration::from_secs(5))).unwrap();
    let rt = Runtime::new(loopback_config(&addr, transport), &BEDROCK_LIKE);
    let got = tokio::time::timeout(Duration::from_secs(10), duplex_client(&rt))
        .await
        .expect("the duplex exchange hung");
    assert_eq!(got, ["event 1", SUMMARY]);
    let head = server.await.unwrap();
    assert!(head.starts_with("post /model/my-model/"), "{head}");
}

/// A one-connection cleartext HTTP/2 server (prior knowledge), doing what
/// [`http1_server`] does.
async fn http2_server() -> (String, tokio::task::JoinHandle<http::HeaderMap>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let task = tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let mut connection = h2::server::handshake(stream).await.unwrap();
        let (request, mut respond) = connection.accept().await.unwrap().unwrap();
        // Keep the connection going while this stream is served.
        let driver =
            tokio::spawn(async move { while let Some(Ok(_)) = connection.accept().await {} });
        let (parts, mut body) = request.into_parts();
        let mut frames = FrameBuffer::default();
        let mut next_frame = async move || -> Option<Bytes> {
            loop {
                if let Some(frame) = frames.next_frame() {
                    return Some(frame);
                }
                let data = body.data().await?.unwrap();
                let _ = body.flow_control().release_capacity(data.len());
                frames.0.extend_from_slice(&data);
            }
        };
        let first = inner_payload(&next_frame().await.unwrap());
        assert_eq!(first.as_deref(), Some(r#"{"n":1}"#));
        let head = http::Response::builder()
            .status(200)
            .header("content-type", "application/vnd.amazon.eventstream")
            .body(())
            .unwrap();
        let mut send = respond.send_response(head, false).unwrap();
        send.send_data(output_event("event 1"), false).unwrap();
        let second = inner_payload(&next_frame().await.unwrap());
        let last = inner_payload(&next_frame().await.unwrap());
        assert!(next_frame().await.is_none(), "the body did not end");
        let summary = format!("event 2 after {second:?} and {last:?}");
        send.send_data(output_event(&summary), true).unwrap();
        // Let the client read it all before the connection goes.
        let _ = tokio::time::timeout(Duration::from_secs(5), driver).await;
        parts.headers
    });
    (addr, task)
}

#[tokio::test]
async fn hyper_http2_sends_and_receives_at_the_same_time() {
    let (addr, server) = http2_server().await;
    let transport =
        HyperTransport::http2_only(Some(Duration::from_secs(2)), Some(Duration::from_secs(5)))
            .unwrap();
    let rt = Runtime::new(loopback_config(&addr, transport), &BEDROCK_LIKE);
    let got = tokio::time::timeout(Duration::from_secs(10), duplex_client(&rt))
        .await
        .expect("the duplex exchange hung");
    assert_eq!(got, ["event 1", SUMMARY]);
    drop(rt);
    let headers = tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .expect("the server hung")
        .unwrap();
    assert_eq!(
        headers
            .get("x-amz-content-sha256")
            .and_then(|v| v.to_str().ok()),
        Some("STREAMING-AWS4-HMAC-SHA256-EVENTS")
    );
}

/// An error and its `source()` chain, joined with `: ` (each level says only its own part).
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut next = e.source();
    while let Some(s) = next {
        out.push_str(": ");
        out.push_str(&s.to_string());
        next = s.source();
    }
    out
}

/// Bytes of the endless body [`endless_server`] writes before giving up.
const ENDLESS_CAP: usize = 96 << 20;

/// A one-connection HTTP/1.1 server that reads the request head, then
/// answers 200 with a chunked body that does not end: it writes 64 KiB
/// chunks until the client goes away (or [`ENDLESS_CAP`]) and returns how
/// many bytes it managed to write.
async fn endless_server() -> (String, tokio::task::JoinHandle<usize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let task = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        ChunkedReader::default().head(&mut stream).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                    transfer-encoding: chunked\r\n\r\n";
        stream.write_all(head.as_bytes()).await.unwrap();
        let chunk = http_chunk(&[b' '; 64 << 10]);
        let mut written = 0;
        while written < ENDLESS_CAP && stream.write_all(&chunk).await.is_ok() {
            written += chunk.len();
        }
        written
    });
    (addr, task)
}

#[tokio::test]
async fn the_response_to_an_event_stream_request_is_read_within_the_configured_limit() {
    let (addr, server) = endless_server().await;
    let transport =
        HyperTransport::new(Some(Duration::from_secs(2)), Some(Duration::from_secs(5))).unwrap();
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::from_keys("AKIDEXAMPLE", "SECRET", None))
        .endpoint_url(format!("http://{addr}"))
        .max_response_body_size(64 << 10)
        .transport(transport)
        .build()
        .unwrap();
    let rt = Runtime::new(config, &BEDROCK_LIKE);
    let mut request = HttpRequest::new(Method::Post, PATH);
    let input: EventStreamSender<Input, BoxError> = [chunk(1), chunk(2)].into_iter().collect();
    request.set_event_stream(input.into_body(marshal));
    let err = tokio::time::timeout(Duration::from_secs(30), rt.send(request, &BIDI))
        .await
        .expect("the call hung")
        .unwrap_err();
    assert!(
        chain(&err)
            .ends_with("the response body is larger than max_response_body_size (65536 bytes)"),
        "{}",
        chain(&err)
    );
    drop(rt);
    let written = tokio::time::timeout(Duration::from_secs(30), server)
        .await
        .expect("the server hung")
        .unwrap();
    // The client stopped reading at its 64 KiB limit: what the server got
    // out is that and what the sockets' buffers hold, far from the 64 MiB
    // default the transport would otherwise have read.
    assert!(written < 32 << 20, "the server wrote {written} bytes");
}
