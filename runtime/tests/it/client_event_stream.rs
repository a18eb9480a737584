//! Event-stream outputs end to end: `Runtime::dispatch_streaming` hands the body
//! to an `EventReceiver`, with the in-memory transport and with hyper against
//! a tiny HTTP/1.1 server on 127.0.0.1 started by the test.
#![cfg(feature = "event-stream")]

use crate::common;

use common::IVSCHAT;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use awsrt::client::event_stream::{header, EventReceiver, EventStreamError, HeaderValue, Message};
use awsrt::client::{
    BoxError, Config, Credentials, ErrorMetadata, HttpRequest, HttpResponse, Method, OperationMeta,
    RetryConfig, Runtime, SdkError, TestTransport, UnhandledError,
};
use bytes::Bytes;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

static INVOKE_STREAM: OperationMeta = common::op("InvokeWithResponseStream");

/// The stream's union, as the generator would write it.
#[derive(Debug, PartialEq)]
enum Event {
    PayloadChunk(Vec<u8>),
    InvokeComplete { error_code: Option<String> },
}

/// The stream's modeled errors.
#[derive(Debug)]
enum StreamError {
    Throttled(String),
    Unhandled(UnhandledError),
}

fn unmarshal(message: &Message) -> Result<Result<Event, StreamError>, BoxError> {
    match message.message_type() {
        Some("event") => match message.event_type() {
            Some("PayloadChunk") => Ok(Ok(Event::PayloadChunk(message.payload().to_vec()))),
            Some("InvokeComplete") => Ok(Ok(Event::InvokeComplete {
                error_code: header(message, "ErrorCode")?,
            })),
            other => Err(format!("unknown event {other:?}").into()),
        },
        Some("exception") => match message.exception_type() {
            Some("ThrottledException") => Ok(Err(StreamError::Throttled(
                String::from_utf8_lossy(message.payload()).into_owned(),
            ))),
            code => Ok(Err(StreamError::Unhandled(UnhandledError::from_event(
                code,
                None,
                message.payload(),
            )))),
        },
        Some("error") => Ok(Err(StreamError::Unhandled(UnhandledError::from_event(
            message.error_code(),
            message.error_message(),
            message.payload(),
        )))),
        other => Err(format!("unknown message type {other:?}").into()),
    }
}

/// The operation's output: a head member and the event receiver.
#[derive(Debug)]
struct Output {
    executed_version: Option<String>,
    events: EventReceiver<Event, StreamError>,
}

#[derive(Debug)]
struct InvokeError(ErrorMetadata);

async fn invoke(rt: &Runtime) -> Result<Output, SdkError<InvokeError>> {
    let mut req = HttpRequest::new(Method::Post, "/functions/f/response-streaming-invocations");
    req.set_body(&b"{}"[..], "application/json");
    common::call_streaming(
        rt,
        req,
        &INVOKE_STREAM,
        |head, body| {
            Ok::<_, BoxError>(Output {
                executed_version: head.header("x-amz-executed-version").map(str::to_owned),
                events: EventReceiver::new(body, unmarshal),
            })
        },
        |_, meta| InvokeError(meta),
    )
    .await
}

fn string(value: &str) -> HeaderValue {
    HeaderValue::String(value.to_owned())
}

fn event(kind: &str, payload: &'static [u8]) -> Bytes {
    Message::new(payload)
        .with_header(":message-type", string("event"))
        .with_header(":event-type", string(kind))
        .encode()
        .unwrap()
}

fn body() -> Vec<u8> {
    let complete = Message::new(Bytes::new())
        .with_header(":message-type", string("event"))
        .with_header(":event-type", string("InvokeComplete"))
        .with_header("ErrorCode", string("None"))
        .encode()
        .unwrap();
    [
        event("PayloadChunk", b"hello "),
        event("PayloadChunk", b"world"),
        complete,
    ]
    .concat()
}

fn runtime(config: awsrt::client::ConfigBuilder) -> Runtime {
    let config = config
        .region("us-west-2")
        .credentials(Credentials::from_keys("AKID", "SECRET", None))
        .retry_config(RetryConfig::standard().with_initial_backoff(Duration::ZERO))
        .build()
        .unwrap();
    Runtime::new(config, &IVSCHAT)
}

fn head() -> HttpResponse {
    HttpResponse::new(200)
        .with_header("content-type", "application/vnd.amazon.eventstream")
        .with_header("x-amz-executed-version", "1")
}

#[tokio::test]
async fn events_arrive_one_at_a_time_from_one_byte_chunks() {
    let t = TestTransport::new();
    let one_byte = body()
        .iter()
        .map(|b| Bytes::copy_from_slice(&[*b]))
        .collect();
    t.push_response(HttpResponse::json(503, "{}"))
        .push_streaming_response(head(), one_byte);
    let mut out = invoke(&runtime(Config::builder().transport(t.clone())))
        .await
        .unwrap();
    assert_eq!(out.executed_version.as_deref(), Some("1"));
    let mut events = Vec::new();
    while let Some(event) = out.events.recv().await.unwrap() {
        events.push(event);
    }
    assert_eq!(
        events,
        vec![
            Event::PayloadChunk(b"hello ".to_vec()),
            Event::PayloadChunk(b"world".to_vec()),
            Event::InvokeComplete {
                error_code: Some("None".into())
            },
        ]
    );
    assert!(out.events.recv().await.unwrap().is_none());
    assert_eq!(t.request_count(), 2);
}

#[tokio::test]
async fn an_exception_in_the_stream_is_a_service_error() {
    let t = TestTransport::new();
    let throttled = Message::new(&b"slow down"[..])
        .with_header(":message-type", string("exception"))
        .with_header(":exception-type", string("ThrottledException"))
        .encode()
        .unwrap();
    t.push_streaming_response(head(), vec![event("PayloadChunk", b"a"), throttled]);
    let mut out = invoke(&runtime(Config::builder().transport(t)))
        .await
        .unwrap();
    assert!(out.events.recv().await.unwrap().is_some());
    let err = out.events.recv().await.unwrap_err();
    assert!(
        matches!(&err, EventStreamError::Service(StreamError::Throttled(m)) if m == "slow down"),
        "{err:?}"
    );
    assert!(out.events.recv().await.unwrap().is_none());
}

#[tokio::test]
async fn over_hyper_the_first_event_arrives_before_the_rest_is_sent() {
    let body = body();
    let first_len = event("PayloadChunk", b"hello ").len();
    // The first event and a few bytes of the second, then the rest.
    let (first, rest) = body.split_at(first_len + 5);
    let (first, rest) = (first.to_vec(), rest.to_vec());
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let (go, wait) = oneshot::channel::<()>();
    let sent_rest = Arc::new(AtomicBool::new(false));
    let flag = sent_rest.clone();
    tokio::spawn(async move {
        let Ok((mut stream, _)) = listener.accept().await else {
            return;
        };
        let mut buf = vec![0u8; 8192];
        let mut seen = Vec::new();
        while !String::from_utf8_lossy(&seen).contains("\r\n\r\n{}") {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => seen.extend_from_slice(&buf[..n]),
            }
        }
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/vnd.amazon.eventstream\r\n\
                    x-amz-executed-version: 7\r\ntransfer-encoding: chunked\r\n\r\n";
        let chunk = |data: &[u8]| {
            let mut out = format!("{:x}\r\n", data.len()).into_bytes();
            out.extend_from_slice(data);
            out.extend_from_slice(b"\r\n");
            out
        };
        let _ = stream.write_all(head.as_bytes()).await;
        let _ = stream.write_all(&chunk(&first)).await;
        let _ = tokio::time::timeout(Duration::from_secs(3), wait).await;
        flag.store(true, Ordering::SeqCst);
        let _ = stream.write_all(&chunk(&rest)).await;
        let _ = stream.write_all(b"0\r\n\r\n").await;
        let _ = stream.shutdown().await;
    });
    let mut out = invoke(&runtime(
        Config::builder()
            .endpoint_url(format!("http://{addr}"))
            .read_timeout(Duration::from_secs(5)),
    ))
    .await
    .unwrap();
    assert_eq!(out.executed_version.as_deref(), Some("7"));
    assert_eq!(
        out.events.recv().await.unwrap(),
        Some(Event::PayloadChunk(b"hello ".to_vec()))
    );
    assert!(
        !sent_rest.load(Ordering::SeqCst),
        "the event waited for the rest"
    );
    go.send(()).unwrap();
    assert_eq!(
        out.events.recv().await.unwrap(),
        Some(Event::PayloadChunk(b"world".to_vec()))
    );
    assert!(matches!(
        out.events.recv().await.unwrap(),
        Some(Event::InvokeComplete { .. })
    ));
    assert!(out.events.recv().await.unwrap().is_none());
}

#[tokio::test]
async fn an_error_message_and_an_error_response() {
    let t = TestTransport::new();
    let error = Message::new(Bytes::new())
        .with_header(":message-type", string("error"))
        .with_header(":error-code", string("InternalFailure"))
        .with_header(":error-message", string("boom"))
        .encode()
        .unwrap();
    t.push_streaming_response(head(), vec![error])
        .push_response(HttpResponse::json(
            400,
            r#"{"__type":"InvalidRequestContentException","message":"bad"}"#,
        ));
    let rt = runtime(Config::builder().transport(t));
    let mut out = invoke(&rt).await.unwrap();
    let err = out.events.recv().await.unwrap_err();
    let Some(StreamError::Unhandled(u)) = err.as_service_error() else {
        panic!("expected an unhandled error, got {err:?}")
    };
    assert!(u.to_string().contains("InternalFailure"), "{u}");
    let err = invoke(&rt).await.unwrap_err();
    let meta = &err.as_service_error().unwrap().0;
    assert_eq!(
        (meta.code(), meta.message()),
        (Some("InvalidRequestContentException"), Some("bad"))
    );
}
