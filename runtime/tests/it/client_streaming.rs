//! Streamed response bodies: `Runtime::dispatch_streaming` with the in-memory
//! transport and with custom ones, and `HyperTransport::send_streaming`
//! against a tiny HTTP/1.1 server on 127.0.0.1 started by the test (no other
//! network traffic).

use crate::common;

use common::IVSCHAT;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use awsrt::client::{
    BodyStream, BoxError, BoxFuture, Config, Credentials, ErrorMetadata, HttpRequest, HttpResponse,
    HttpTransport, HyperTransport, Method, OperationMeta, RetryConfig, Runtime, SdkError,
    StreamingResponse, TestTransport, TransportError, UnhandledError,
};
use bytes::Bytes;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

static INVOKE_STREAM: OperationMeta = common::op("InvokeWithResponseStream");

fn config(transport: impl HttpTransport + 'static) -> Config {
    Config::builder()
        .region("us-west-2")
        .credentials(Credentials::from_keys("AKID", "SECRET", None))
        .retry_config(RetryConfig::standard().with_initial_backoff(Duration::ZERO))
        .transport(transport)
        .build()
        .unwrap()
}

fn request() -> HttpRequest {
    let mut req = HttpRequest::new(Method::Post, "/functions/f/response-streaming-invocations");
    req.set_body(&b"{}"[..], "application/json");
    req
}

/// What a generated operation error looks like.
#[derive(Debug)]
enum InvokeError {
    Validation(String),
    Unhandled(UnhandledError),
}

impl From<UnhandledError> for InvokeError {
    fn from(e: UnhandledError) -> Self {
        InvokeError::Unhandled(e)
    }
}

fn parse_err(resp: &HttpResponse, meta: ErrorMetadata) -> InvokeError {
    match meta.code() {
        Some("ValidationException") => {
            InvokeError::Validation(meta.message().unwrap_or_default().to_owned())
        }
        _ => UnhandledError::new(resp.status(), meta).into(),
    }
}

/// The output a generated `parse_ok` would build: the head's values and the stream.
#[derive(Debug)]
struct Output {
    status: u16,
    version: Option<String>,
    head_body_len: usize,
    body: Box<dyn BodyStream>,
}

fn parse_ok(head: &HttpResponse, body: Box<dyn BodyStream>) -> Result<Output, BoxError> {
    Ok(Output {
        status: head.status(),
        version: head.header("x-amz-executed-version").map(str::to_owned),
        head_body_len: head.body().len(),
        body,
    })
}

async fn invoke(rt: &Runtime) -> Result<Output, SdkError<InvokeError>> {
    common::call_streaming(rt, request(), &INVOKE_STREAM, parse_ok, parse_err).await
}

/// Every chunk left in `body`.
async fn chunks(body: &mut Box<dyn BodyStream>) -> Vec<Bytes> {
    let mut out = Vec::new();
    while let Some(chunk) = body.next_chunk().await {
        out.push(chunk.unwrap());
    }
    out
}

fn streamed_head() -> HttpResponse {
    HttpResponse::new(200)
        .with_header("content-type", "application/vnd.amazon.eventstream")
        .with_header("x-amz-executed-version", "$LATEST")
}

fn pieces(parts: &[&'static str]) -> Vec<Bytes> {
    parts
        .iter()
        .map(|p| Bytes::from_static(p.as_bytes()))
        .collect()
}

#[tokio::test]
async fn a_streamed_success_reaches_parse_ok_with_its_head_and_body() {
    let t = TestTransport::new();
    t.push_streaming_response(streamed_head(), pieces(&["ab", "cd", "", "e"]));
    let mut out = invoke(&Runtime::new(config(t.clone()), &IVSCHAT))
        .await
        .unwrap();
    assert_eq!(
        (out.status, out.version.as_deref(), out.head_body_len),
        (200, Some("$LATEST"), 0)
    );
    assert_eq!(chunks(&mut out.body).await, pieces(&["ab", "cd", "", "e"]));
    let sent = t.requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].uri(),
        "https://ivschat.us-west-2.amazonaws.com/functions/f/response-streaming-invocations"
    );
    assert!(sent[0]
        .header("authorization")
        .is_some_and(|a| a.starts_with("AWS4-HMAC-SHA256 Credential=AKID/")));
}

#[tokio::test]
async fn a_500_then_a_200_is_retried() {
    let t = TestTransport::new();
    t.push_response(HttpResponse::json(500, r#"{"message":"internal"}"#))
        .push_streaming_response(streamed_head(), pieces(&["x", "y"]));
    let mut out = invoke(&Runtime::new(config(t.clone()), &IVSCHAT))
        .await
        .unwrap();
    assert_eq!(chunks(&mut out.body).await, pieces(&["x", "y"]));
    assert_eq!(t.request_count(), 2);
}

#[tokio::test]
async fn a_streamed_503_is_read_whole_and_retried() {
    let t = TestTransport::new();
    t.push_streaming_response(
        HttpResponse::new(503).with_header("content-type", "application/json"),
        pieces(&[r#"{"mess"#, r#"age":"busy"}"#]),
    )
    .push_streaming_response(streamed_head(), pieces(&["ok"]));
    let mut out = invoke(&Runtime::new(config(t.clone()), &IVSCHAT))
        .await
        .unwrap();
    assert_eq!(chunks(&mut out.body).await, pieces(&["ok"]));
    assert_eq!(t.request_count(), 2);
}

#[tokio::test]
async fn a_400_goes_to_parse_err_with_its_code_and_whole_body() {
    let t = TestTransport::new();
    let body = r#"{"__type":"ValidationException","message":"bad payload"}"#;
    t.push_streaming_response(
        HttpResponse::new(400)
            .with_header("content-type", "application/json")
            .with_header("x-amzn-requestid", "rid-1"),
        vec![
            Bytes::from_static(&body.as_bytes()[..10]),
            Bytes::from_static(&body.as_bytes()[10..]),
        ],
    );
    let err = invoke(&Runtime::new(config(t.clone()), &IVSCHAT))
        .await
        .unwrap_err();
    assert!(
        matches!(err.as_service_error(), Some(InvokeError::Validation(m)) if m == "bad payload"),
        "{err:?}"
    );
    let raw = err.raw_response().unwrap();
    assert_eq!((raw.status(), &raw.body()[..]), (400, body.as_bytes()));
    assert_eq!(err.request_id(), Some("rid-1"));
    assert_eq!(t.request_count(), 1);

    // An error the model does not describe.
    t.push_response(HttpResponse::json(404, r#"{"__type":"Nope"}"#));
    let err = invoke(&Runtime::new(config(t.clone()), &IVSCHAT))
        .await
        .unwrap_err();
    let Some(InvokeError::Unhandled(u)) = err.as_service_error() else {
        panic!("expected unhandled, got {err:?}")
    };
    assert_eq!((u.status(), u.code()), (Some(404), Some("Nope")));
}

#[tokio::test]
async fn a_parse_ok_failure_is_a_response_error_with_the_head() {
    let t = TestTransport::new();
    t.push_streaming_response(streamed_head(), pieces(&["body"]));
    let rt = Runtime::new(config(t), &IVSCHAT);
    let err = common::call_streaming(
        &rt,
        request(),
        &INVOKE_STREAM,
        |_, _| Err::<(), _>("unexpected content type"),
        parse_err,
    )
    .await
    .unwrap_err();
    let SdkError::ResponseError(e) = &err else {
        panic!("expected a response error, got {err:?}")
    };
    assert_eq!(e.raw().status(), 200);
    assert_eq!(e.raw().header("x-amz-executed-version"), Some("$LATEST"));
    assert_eq!(e.source().to_string(), "unexpected content type");
}

#[tokio::test]
async fn transport_failures_are_retried_then_reported() {
    let t = TestTransport::new();
    t.push_error(TransportError::io("reset"))
        .push_streaming_response(streamed_head(), pieces(&["a"]));
    assert!(invoke(&Runtime::new(config(t.clone()), &IVSCHAT))
        .await
        .is_ok());
    assert_eq!(t.request_count(), 2);

    let t = TestTransport::new();
    for _ in 0..3 {
        t.push_error(TransportError::connect("refused"));
    }
    let err = invoke(&Runtime::new(config(t.clone()), &IVSCHAT))
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::DispatchFailure(_)), "{err:?}");
    assert_eq!(t.request_count(), 3);
}

/// A body that waits `delay` before each of its chunks, then fails if told to.
#[derive(Debug)]
struct SlowBody {
    chunks: Vec<Bytes>,
    delay: Duration,
    fail_at_end: bool,
}

impl BodyStream for SlowBody {
    fn next_chunk(&mut self) -> BoxFuture<'_, Option<Result<Bytes, TransportError>>> {
        Box::pin(async move {
            tokio::time::sleep(self.delay).await;
            if self.chunks.is_empty() {
                return self
                    .fail_at_end
                    .then(|| Err(TransportError::io("connection reset")));
            }
            Some(Ok(self.chunks.remove(0)))
        })
    }
}

/// A transport that counts which method the runtime calls and streams
/// responses slowly: attempt `n` gets `statuses[n]`, the last one after that.
#[derive(Debug, Default)]
struct Slow {
    statuses: Vec<u16>,
    delay: Duration,
    fail_error_bodies: bool,
    sends: AtomicUsize,
    streams: AtomicUsize,
}

impl HttpTransport for Slow {
    fn send(&self, _: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        self.sends.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Ok(HttpResponse::json(200, "{}")) })
    }

    fn send_streaming(
        &self,
        _: HttpRequest,
    ) -> BoxFuture<'_, Result<StreamingResponse, TransportError>> {
        let n = self.streams.fetch_add(1, Ordering::SeqCst);
        let status = self.statuses[n.min(self.statuses.len() - 1)];
        let body = SlowBody {
            chunks: pieces(&["{", "}"]),
            delay: self.delay,
            fail_at_end: status != 200 && self.fail_error_bodies,
        };
        Box::pin(async move {
            Ok(StreamingResponse::new(
                HttpResponse::new(status),
                Box::new(body),
            ))
        })
    }
}

#[tokio::test]
async fn every_call_reads_its_body_through_send_streaming() {
    // `send` and `call` read the body themselves (to bound its size and
    // watch its throughput), so they stream too.
    let transport = Arc::new(Slow {
        statuses: vec![200],
        ..Slow::default()
    });
    let config = Config::builder()
        .region("us-west-2")
        .credentials(Credentials::from_keys("AKID", "SECRET", None))
        .shared_transport(transport.clone())
        .build()
        .unwrap();
    let rt = Runtime::new(config, &IVSCHAT);
    rt.send(request(), &INVOKE_STREAM).await.unwrap();
    common::call(
        &rt,
        request(),
        &INVOKE_STREAM,
        |_| Ok::<_, BoxError>(()),
        parse_err,
    )
    .await
    .unwrap();
    let mut out = invoke(&rt).await.unwrap();
    assert_eq!(chunks(&mut out.body).await, pieces(&["{", "}"]));
    assert_eq!(
        (
            transport.sends.load(Ordering::SeqCst),
            transport.streams.load(Ordering::SeqCst)
        ),
        (0, 3)
    );
}

#[tokio::test]
async fn call_streaming_can_be_spawned() {
    let t = TestTransport::new();
    t.push_streaming_response(streamed_head(), pieces(&["a", "b"]));
    let rt = Runtime::new(config(t), &IVSCHAT);
    let task = tokio::spawn(async move {
        let mut out = invoke(&rt).await.unwrap();
        chunks(&mut out.body).await
    });
    assert_eq!(task.await.unwrap(), pieces(&["a", "b"]));
}

#[tokio::test]
async fn the_operation_timeout_covers_the_head_not_the_stream() {
    let transport = Slow {
        statuses: vec![200],
        delay: Duration::from_millis(150),
        ..Slow::default()
    };
    let config = Config::builder()
        .region("us-west-2")
        .credentials(Credentials::from_keys("AKID", "SECRET", None))
        .operation_timeout(Duration::from_millis(100))
        .transport(transport)
        .build()
        .unwrap();
    let mut out = invoke(&Runtime::new(config, &IVSCHAT)).await.unwrap();
    // Reading the two chunks takes 450 ms, well past the operation timeout.
    assert_eq!(chunks(&mut out.body).await, pieces(&["{", "}"]));
}

#[tokio::test]
async fn the_operation_timeout_covers_reading_an_error_body() {
    let transport = Slow {
        statuses: vec![400],
        delay: Duration::from_millis(150),
        ..Slow::default()
    };
    let config = Config::builder()
        .region("us-west-2")
        .credentials(Credentials::from_keys("AKID", "SECRET", None))
        .operation_timeout(Duration::from_millis(100))
        .transport(transport)
        .build()
        .unwrap();
    let err = invoke(&Runtime::new(config, &IVSCHAT)).await.unwrap_err();
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
}

#[tokio::test]
async fn a_failure_reading_an_error_body_is_retried() {
    let transport = Arc::new(Slow {
        statuses: vec![503, 200],
        fail_error_bodies: true,
        ..Slow::default()
    });
    let rt = Runtime::new(
        Config::builder()
            .region("us-west-2")
            .credentials(Credentials::from_keys("AKID", "SECRET", None))
            .retry_config(RetryConfig::standard().with_initial_backoff(Duration::ZERO))
            .shared_transport(transport.clone())
            .build()
            .unwrap(),
        &IVSCHAT,
    );
    let out = invoke(&rt).await.unwrap();
    assert_eq!(out.status, 200);
    assert_eq!(transport.streams.load(Ordering::SeqCst), 2);
}

// --- HyperTransport over loopback ---

/// A server for one connection that sends a chunked body in two writes:
/// `first`, then `second` once `go` fires (or 3 s have passed). `sent_second`
/// tells whether the second write happened.
async fn two_part_server(
    first: Vec<u8>,
    second: Vec<u8>,
) -> (String, oneshot::Sender<()>, Arc<AtomicBool>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let (go, wait) = oneshot::channel::<()>();
    let sent_second = Arc::new(AtomicBool::new(false));
    let flag = sent_second.clone();
    tokio::spawn(async move {
        let Ok((mut stream, _)) = listener.accept().await else {
            return;
        };
        read_request(&mut stream).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/vnd.amazon.eventstream\r\n\
                    x-amzn-requestid: rid-s\r\ntransfer-encoding: chunked\r\n\r\n";
        let _ = stream.write_all(head.as_bytes()).await;
        let _ = stream.write_all(&http_chunk(&first)).await;
        let _ = stream.flush().await;
        let _ = tokio::time::timeout(Duration::from_secs(3), wait).await;
        flag.store(true, Ordering::SeqCst);
        let _ = stream.write_all(&http_chunk(&second)).await;
        let _ = stream.write_all(b"0\r\n\r\n").await;
        let _ = stream.shutdown().await;
    });
    (addr, go, sent_second)
}

/// `data` as one HTTP/1.1 chunk.
fn http_chunk(data: &[u8]) -> Vec<u8> {
    let mut out = format!("{:x}\r\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\r\n");
    out
}

/// Serves each connection one whole response: `status`, `body`.
async fn whole_server(replies: Vec<(u16, &'static str)>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    tokio::spawn(async move {
        for (status, body) in replies {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            read_request(&mut stream).await;
            let response = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n\
                 content-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
    });
    addr
}

async fn read_request(stream: &mut TcpStream) {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = stream.read(&mut buf).await.unwrap_or(0);
        if n == 0 {
            return;
        }
        data.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&data).to_string();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse().unwrap_or(0))
                })
                .unwrap_or(0usize);
            if data.len() >= end + 4 + length {
                return;
            }
        }
    }
}

fn hyper(read_timeout: Duration) -> HyperTransport {
    HyperTransport::new(Some(Duration::from_secs(2)), Some(read_timeout)).unwrap()
}

fn loopback_request(addr: &str) -> HttpRequest {
    let mut req = request();
    req.set_endpoint(&format!("http://{addr}"));
    req
}

#[tokio::test]
async fn hyper_streams_the_first_chunk_before_the_second_is_sent() {
    let (addr, go, sent_second) =
        two_part_server(b"first part".to_vec(), b"second part".to_vec()).await;
    let transport = hyper(Duration::from_secs(5));
    let response = transport
        .send_streaming(loopback_request(&addr))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.head().header("x-amzn-requestid"), Some("rid-s"));
    assert!(response.head().body().is_empty());
    let (_, mut body) = response.into_parts();
    let first = body.next_chunk().await.unwrap().unwrap();
    assert!(
        !sent_second.load(Ordering::SeqCst),
        "the first chunk only arrived after the second was sent"
    );
    assert_eq!(&first[..], b"first part");
    go.send(()).unwrap();
    let rest = chunks(&mut body).await.concat();
    assert_eq!(&rest[..], b"second part");
    assert!(sent_second.load(Ordering::SeqCst));
    assert!(body.next_chunk().await.is_none());
}

#[tokio::test]
async fn hyper_applies_the_read_timeout_to_each_chunk() {
    let (addr, _go, _) = two_part_server(b"first".to_vec(), b"never in time".to_vec()).await;
    let transport = hyper(Duration::from_millis(200));
    let response = transport
        .send_streaming(loopback_request(&addr))
        .await
        .unwrap();
    let (_, mut body) = response.into_parts();
    assert_eq!(&body.next_chunk().await.unwrap().unwrap()[..], b"first");
    let started = Instant::now();
    let err = body.next_chunk().await.unwrap().unwrap_err();
    assert!(err.is_timeout(), "{err}");
    assert!(
        chain(&err).contains("read timeout of 200ms"),
        "{}",
        chain(&err)
    );
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn hyper_collects_whole_responses_and_call_streaming_retries_over_it() {
    let addr = whole_server(vec![
        (503, r#"{"message":"busy"}"#),
        (400, r#"{"__type":"ValidationException","message":"no"}"#),
    ])
    .await;
    let config = Config::builder()
        .region("us-west-2")
        .credentials(Credentials::from_keys("AKID", "SECRET", None))
        .endpoint_url(format!("http://{addr}"))
        .retry_config(RetryConfig::standard().with_initial_backoff(Duration::ZERO))
        .read_timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let err = invoke(&Runtime::new(config, &IVSCHAT)).await.unwrap_err();
    assert!(
        matches!(err.as_service_error(), Some(InvokeError::Validation(m)) if m == "no"),
        "{err:?}"
    );
    assert_eq!(
        &err.raw_response().unwrap().body()[..],
        br#"{"__type":"ValidationException","message":"no"}"#
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
