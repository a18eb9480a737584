//! The runtime against hostile and broken servers on 127.0.0.1 (started by
//! each test; no other network traffic): huge bodies (announced or not, sent
//! lazily, up to 1 GiB), trickling bodies, a server that never answers or
//! never reads the request, truncated bodies, bad chunked encoding, invalid
//! headers and garbage instead of HTTP. Each call must end with the typed
//! error, after reading about the limit (the server counts what it managed
//! to write), and without waiting for the server to give up.
//!
//! Time limits are small real ones (hundreds of milliseconds); no test
//! asserts how long anything took.

use crate::common;

use common::IVSCHAT;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use awsrt::client::{
    Config, ConfigBuilder, Credentials, Direction, HttpRequest, Method, OperationMeta, RetryConfig,
    Runtime, SendError, StalledStreamProtection, TimeoutKind, TransportErrorKind,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const MIB: u64 = 1024 * 1024;
const GIB: u64 = 1024 * MIB;

/// What the server does once it has read a request.
#[derive(Clone, Copy)]
enum Hostile {
    /// A `status` response with a 1 GiB body of `x`, written as fast as the
    /// client reads it; with `Content-Length` or chunked.
    Huge { status: u16, content_length: bool },
    /// A 200 response announcing 1000 bytes, then one byte every `interval`.
    Trickle { interval: Duration },
    /// Nothing at all, for 30 s.
    Silent,
    /// These bytes, then close.
    Raw(&'static [u8]),
}

/// How many connections the server accepted and how many body bytes it
/// managed to write.
#[derive(Default)]
struct Stats {
    connections: AtomicUsize,
    written: AtomicU64,
}

/// Serves every connection with `behaviour` (reading the whole request
/// first, unless `read_request` is false: then only its head); returns the
/// endpoint URL.
async fn server(behaviour: Hostile, read_request: bool) -> (String, Arc<Stats>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let stats = Arc::new(Stats::default());
    let shared = stats.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            shared.connections.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(serve(stream, behaviour, read_request, shared.clone()));
        }
    });
    (url, stats)
}

async fn serve(mut stream: TcpStream, behaviour: Hostile, read_request: bool, stats: Arc<Stats>) {
    let body_length = read_head(&mut stream).await;
    if !read_request {
        // Never read the body: hold the connection open.
        tokio::time::sleep(Duration::from_secs(30)).await;
        return;
    }
    let mut rest = vec![0u8; body_length];
    if stream.read_exact(&mut rest).await.is_err() {
        return;
    }
    match behaviour {
        Hostile::Huge {
            status,
            content_length,
        } => {
            let head = if content_length {
                format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {GIB}\r\n\r\n")
            } else {
                format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n")
            };
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let chunk = vec![b'x'; 64 * 1024];
            let framed = [b"10000\r\n".as_slice(), &chunk, b"\r\n"].concat();
            let piece = if content_length { &chunk } else { &framed };
            while stats.written.load(Ordering::SeqCst) < GIB {
                if stream.write_all(piece).await.is_err() {
                    return;
                }
                stats
                    .written
                    .fetch_add(chunk.len() as u64, Ordering::SeqCst);
            }
        }
        Hostile::Trickle { interval } => {
            let head =
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n";
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            loop {
                tokio::time::sleep(interval).await;
                if stream.write_all(b" ").await.is_err() {
                    return;
                }
                stats.written.fetch_add(1, Ordering::SeqCst);
            }
        }
        Hostile::Silent => tokio::time::sleep(Duration::from_secs(30)).await,
        Hostile::Raw(bytes) => {
            let _ = stream.write_all(bytes).await;
            let _ = stream.shutdown().await;
        }
    }
}

/// Reads a request head; returns its `Content-Length`.
async fn read_head(stream: &mut TcpStream) -> usize {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => return 0,
        }
    }
    String::from_utf8_lossy(&head)
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().parse().unwrap_or(0))
        })
        .unwrap_or(0)
}

const OP: OperationMeta = common::op("GetRoom");

fn config(url: &str) -> ConfigBuilder {
    Config::builder()
        .region("us-west-2")
        .credentials(Credentials::from_keys("AKID", "SECRET", None))
        .endpoint_url(url)
        .retry_config(RetryConfig::standard().with_initial_backoff(Duration::ZERO))
}

async fn send(
    config: ConfigBuilder,
    body: Vec<u8>,
) -> Result<awsrt::client::HttpResponse, SendError> {
    let runtime = Runtime::new(config.build().unwrap(), &IVSCHAT);
    let mut request = HttpRequest::new(Method::Post, "/GetRoom");
    request.set_body(body, "application/json");
    runtime.send(request, &OP).await
}

/// The transport error of a failed call.
fn dispatch(err: SendError) -> awsrt::client::TransportError {
    match err {
        SendError::Dispatch(e) => e,
        other => panic!("expected a dispatch failure, got {other:?}"),
    }
}

#[tokio::test]
async fn a_huge_announced_body_fails_before_it_is_read() {
    for status in [200, 500] {
        let (url, stats) = server(
            Hostile::Huge {
                status,
                content_length: true,
            },
            true,
        )
        .await;
        let err = send(config(&url).max_response_body_size(MIB), b"{}".to_vec())
            .await
            .unwrap_err();
        let err = dispatch(err);
        let too_large = err.response_too_large().expect("ResponseTooLarge");
        assert_eq!(
            (too_large.limit(), too_large.content_length()),
            (MIB, Some(GIB))
        );
        assert_eq!(err.kind(), TransportErrorKind::Other);
        let text = awsrt::client::DisplayErrorContext(&err).to_string();
        assert!(
            text.contains("max_response_body_size (1048576 bytes)"),
            "{text}"
        );
        // Not retried: the same answer would come back.
        assert_eq!(stats.connections.load(Ordering::SeqCst), 1);
        // The server could fill the socket buffers, no more: far from 1 GiB.
        tokio::time::sleep(Duration::from_millis(50)).await;
        let written = stats.written.load(Ordering::SeqCst);
        eprintln!("status {status}, Content-Length 1 GiB: the server wrote {written} bytes");
        assert!(written < 64 * MIB, "the server wrote {written} bytes");
    }
}

#[tokio::test]
async fn a_huge_chunked_body_fails_after_about_the_limit() {
    for status in [200, 503] {
        let (url, stats) = server(
            Hostile::Huge {
                status,
                content_length: false,
            },
            true,
        )
        .await;
        let err = send(config(&url).max_response_body_size(MIB), b"{}".to_vec())
            .await
            .unwrap_err();
        let err = dispatch(err);
        let too_large = err.response_too_large().expect("ResponseTooLarge");
        assert_eq!((too_large.limit(), too_large.content_length()), (MIB, None));
        assert_eq!(stats.connections.load(Ordering::SeqCst), 1);
        tokio::time::sleep(Duration::from_millis(50)).await;
        let written = stats.written.load(Ordering::SeqCst);
        eprintln!("status {status}, chunked 1 GiB: the server wrote {written} bytes");
        assert!(
            (MIB..64 * MIB).contains(&written),
            "the server wrote {written} bytes"
        );
    }
}

#[tokio::test]
async fn a_trickling_body_is_cut_off_by_stalled_stream_protection() {
    // 1 byte every 50 ms is 20 B/s, below the 100 B/s required over 300 ms.
    let (url, stats) = server(
        Hostile::Trickle {
            interval: Duration::from_millis(50),
        },
        true,
    )
    .await;
    let protection = StalledStreamProtection::enabled()
        .with_grace_period(Duration::from_millis(300))
        .with_minimum_throughput(100);
    let err = send(
        config(&url)
            .stalled_stream_protection(protection)
            .max_attempts(2),
        b"{}".to_vec(),
    )
    .await
    .unwrap_err();
    let SendError::Timeout(timeout) = err else {
        panic!("expected a timeout, got {err:?}")
    };
    assert_eq!(timeout.kind(), TimeoutKind::StalledStream, "{timeout:?}");
    let transport = Some(timeout.source())
        .and_then(|s| s.downcast_ref::<awsrt::client::TransportError>())
        .expect("the transport error");
    let stalled = transport.stalled_stream().expect("StalledStream");
    assert_eq!(stalled.direction(), Direction::Download);
    assert!(stalled.bytes() < 30, "{stalled}");
    // A stall is retried like a timeout.
    assert_eq!(stats.connections.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn without_protection_the_read_timeout_is_all_there_is() {
    // The same trickle, protection off: each byte arrives within the read
    // timeout, so only the operation timeout ends the call.
    let (url, _) = server(
        Hostile::Trickle {
            interval: Duration::from_millis(20),
        },
        true,
    )
    .await;
    let err = send(
        config(&url)
            .stalled_stream_protection(StalledStreamProtection::disabled())
            .read_timeout(Duration::from_millis(500))
            .operation_timeout(Duration::from_millis(400)),
        b"{}".to_vec(),
    )
    .await
    .unwrap_err();
    let SendError::Timeout(timeout) = err else {
        panic!("expected a timeout, got {err:?}")
    };
    assert_eq!(timeout.kind(), TimeoutKind::Operation, "{timeout:?}");
}

#[tokio::test]
async fn a_silent_server_hits_the_attempt_timeout_on_every_attempt() {
    let (url, stats) = server(Hostile::Silent, true).await;
    let err = send(
        config(&url)
            .operation_attempt_timeout(Duration::from_millis(150))
            .max_attempts(3),
        b"{}".to_vec(),
    )
    .await
    .unwrap_err();
    let SendError::Timeout(timeout) = err else {
        panic!("expected a timeout, got {err:?}")
    };
    assert_eq!(timeout.kind(), TimeoutKind::OperationAttempt);
    assert_eq!(
        timeout.source().to_string(),
        "operation attempt timeout of 150ms elapsed on the last attempt"
    );
    assert_eq!(stats.connections.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_server_that_stops_reading_the_request_stalls_the_upload() {
    // 16 MiB is more than the socket buffers hold (about 5 MiB on loopback):
    // the upload stops moving.
    let (url, _) = server(Hostile::Silent, false).await;
    let protection = StalledStreamProtection::enabled()
        .with_grace_period(Duration::from_millis(300))
        .with_minimum_throughput(1000);
    let err = send(
        config(&url)
            .stalled_stream_protection(protection)
            .max_attempts(1),
        vec![b' '; 16 * MIB as usize],
    )
    .await
    .unwrap_err();
    let SendError::Timeout(timeout) = err else {
        panic!("expected a timeout, got {err:?}")
    };
    assert_eq!(timeout.kind(), TimeoutKind::StalledStream, "{timeout:?}");
    let transport = Some(timeout.source())
        .and_then(|s| s.downcast_ref::<awsrt::client::TransportError>())
        .expect("the transport error");
    assert_eq!(
        transport.stalled_stream().map(|s| s.direction()),
        Some(Direction::Upload)
    );
}

#[tokio::test]
async fn truncated_and_malformed_responses_are_dispatch_failures() {
    let cases: [(&str, &'static [u8]); 6] = [
        (
            "truncated",
            b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"token\":",
        ),
        (
            "bad chunk size",
            b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
        ),
        (
            "chunk longer than announced",
            b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nabcdef\r\n0\r\n\r\n",
        ),
        (
            "invalid header",
            b"HTTP/1.1 200 OK\r\nbad header line\r\ncontent-length: 2\r\n\r\n{}",
        ),
        ("garbage", b"SSH-2.0-OpenSSH_9.6\r\n\x00\x01\x02\xff"),
        ("nothing", b""),
    ];
    // Too many headers, and one header larger than hyper's read buffer:
    // both refused while parsing, before anything is buffered.
    let many: String = (0..500).map(|i| format!("x-h{i}: v\r\n")).collect();
    let many = format!("HTTP/1.1 200 OK\r\n{many}content-length: 2\r\n\r\n{{}}");
    let huge = format!(
        "HTTP/1.1 200 OK\r\nx-big: {}\r\ncontent-length: 2\r\n\r\n{{}}",
        "v".repeat(2 * MIB as usize)
    );
    let leaked = |s: String| -> &'static [u8] { Box::leak(s.into_bytes().into_boxed_slice()) };
    let more = [
        ("too many headers", leaked(many)),
        ("huge header", leaked(huge)),
    ];
    for (what, bytes) in cases.into_iter().chain(more) {
        let (url, stats) = server(Hostile::Raw(bytes), true).await;
        let err = send(config(&url).max_attempts(2), b"{}".to_vec())
            .await
            .unwrap_err();
        let err = dispatch(err);
        assert_eq!(err.kind(), TransportErrorKind::Io, "{what}: {err}");
        // Connection failures are transient: retried.
        assert_eq!(stats.connections.load(Ordering::SeqCst), 2, "{what}");
    }
}

/// Rules that send requests to `endpoint_url` if set, else to plain http.
static HTTP_RULES: awsrt::client::ServiceMeta = awsrt::client::ServiceMeta {
    sdk_id: "plain",
    signing_name: "plain",
    api_version: "2020-01-01",
    endpoint_rule_set: r#"{
        "version": "1.0",
        "parameters": {
            "Region": {"builtIn": "AWS::Region", "required": false, "type": "String"},
            "Endpoint": {"builtIn": "SDK::Endpoint", "required": false, "type": "String"}
        },
        "rules": [
            {"conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
             "endpoint": {"url": {"ref": "Endpoint"}, "properties": {}, "headers": {}},
             "type": "endpoint"},
            {"conditions": [],
             "endpoint": {"url": "http://plain.{Region}.example.com", "properties": {}, "headers": {}},
             "type": "endpoint"}
        ]
    }"#,
    partitions: include_str!("../../../model/data/partitions.json"),
};

#[tokio::test]
async fn an_http_endpoint_from_the_rules_is_refused_unless_the_user_set_it() {
    let transport = awsrt::client::TestTransport::new();
    transport.push_response(awsrt::client::HttpResponse::json(200, "{}"));
    let base = || {
        Config::builder()
            .region("us-west-2")
            .credentials(Credentials::from_keys("AKID", "SECRET", None))
            .transport(transport.clone())
    };
    let runtime = Runtime::new(base().build().unwrap(), &HTTP_RULES);
    let err = runtime
        .send(HttpRequest::new(Method::Get, "/"), &OP)
        .await
        .unwrap_err();
    let SendError::Construction(err) = err else {
        panic!("expected a construction error, got {err:?}")
    };
    let shown = err.source().to_string();
    assert_eq!(
        shown,
        "endpoint rule evaluation failed: the endpoint rules resolved \
         `http://plain.us-west-2.example.com`, which is not https; only an endpoint_url \
         set in the config may use plain http"
    );
    assert_eq!(transport.request_count(), 0);

    let config = base().endpoint_url("http://127.0.0.1:9").build().unwrap();
    let runtime = Runtime::new(config, &HTTP_RULES);
    let response = runtime
        .send(HttpRequest::new(Method::Get, "/"), &OP)
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(transport.requests()[0].endpoint(), "http://127.0.0.1:9");
}

#[tokio::test]
async fn a_header_value_that_is_not_valid_http_fails_the_call_without_showing_it() {
    let transport = awsrt::client::TestTransport::new();
    let config = Config::builder()
        .region("us-west-2")
        .credentials(Credentials::from_keys("AKID", "SECRET", None))
        .transport(transport.clone())
        .build()
        .unwrap();
    // As a generated serializer would set an `@httpHeader` member.
    let mut request = HttpRequest::new(Method::Get, "/");
    request.set_header("x-amz-meta-note", "hidden\r\nx-injected: 1");
    let err = Runtime::new(config, &IVSCHAT)
        .send(request, &OP)
        .await
        .unwrap_err();
    let SendError::Construction(err) = err else {
        panic!("expected a construction error, got {err:?}")
    };
    assert_eq!(
        err.source().to_string(),
        "header `x-amz-meta-note` has a value that is not valid in HTTP (control characters \
         or line breaks)"
    );
    assert_eq!(transport.request_count(), 0);
}

/// A service whose id (model text, used in the user agent) holds a line break.
static BAD_ID: awsrt::client::ServiceMeta = awsrt::client::ServiceMeta {
    sdk_id: "ivschat\r\nx-injected: 1",
    ..IVSCHAT
};

#[tokio::test]
async fn a_line_break_in_the_service_id_never_reaches_the_user_agent() {
    let transport = awsrt::client::TestTransport::new();
    transport.push_response(awsrt::client::HttpResponse::json(200, "{}"));
    let config = Config::builder()
        .region("us-west-2")
        .credentials(Credentials::from_keys("AKID", "SECRET", None))
        .transport(transport.clone())
        .build()
        .unwrap();
    Runtime::new(config, &BAD_ID)
        .send(HttpRequest::new(Method::Get, "/"), &OP)
        .await
        .unwrap();
    let sent = transport.requests();
    let agent = sent[0].header("user-agent").unwrap();
    assert!(!agent.contains(['\r', '\n']), "{agent:?}");
    assert!(sent[0].header("x-injected").is_none());
}

/// A transport whose every response is a 200 head, then one byte every
/// 2 s, forever.
#[derive(Debug, Default)]
struct TrickleForever {
    attempts: AtomicUsize,
}

#[derive(Debug)]
struct OneByteEvery2s;

impl awsrt::client::BodyStream for OneByteEvery2s {
    fn next_chunk(
        &mut self,
    ) -> awsrt::client::BoxFuture<'_, Option<Result<bytes::Bytes, awsrt::client::TransportError>>>
    {
        Box::pin(async {
            tokio::time::sleep(Duration::from_secs(2)).await;
            Some(Ok(bytes::Bytes::from_static(b" ")))
        })
    }
}

impl awsrt::client::HttpTransport for TrickleForever {
    fn send(
        &self,
        _: HttpRequest,
    ) -> awsrt::client::BoxFuture<
        '_,
        Result<awsrt::client::HttpResponse, awsrt::client::TransportError>,
    > {
        unreachable!("the runtime reads bodies through send_streaming")
    }

    fn send_streaming(
        &self,
        _: HttpRequest,
    ) -> awsrt::client::BoxFuture<
        '_,
        Result<awsrt::client::StreamingResponse, awsrt::client::TransportError>,
    > {
        self.attempts.fetch_add(1, Ordering::SeqCst);
        Box::pin(async {
            Ok(awsrt::client::StreamingResponse::new(
                awsrt::client::HttpResponse::new(200),
                Box::new(OneByteEvery2s),
            ))
        })
    }
}

#[tokio::test(start_paused = true)]
async fn by_default_one_byte_every_two_seconds_cannot_hold_a_call() {
    // Default settings (1 B/s over 5 s, 3 attempts), in tokio's paused
    // time: the call ends, on its own, with a stalled-stream timeout.
    let transport = Arc::new(TrickleForever::default());
    let config = Config::builder()
        .region("us-west-2")
        .credentials(Credentials::from_keys("AKID", "SECRET", None))
        .shared_transport(transport.clone())
        .build()
        .unwrap();
    let err = Runtime::new(config, &IVSCHAT)
        .send(HttpRequest::new(Method::Get, "/"), &OP)
        .await
        .unwrap_err();
    let SendError::Timeout(timeout) = err else {
        panic!("expected a timeout, got {err:?}")
    };
    assert_eq!(timeout.kind(), TimeoutKind::StalledStream, "{timeout:?}");
    assert_eq!(transport.attempts.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_session_token_that_is_not_a_valid_header_value_fails_the_call() {
    let transport = awsrt::client::TestTransport::new();
    let config = Config::builder()
        .region("us-west-2")
        .credentials(Credentials::from_keys(
            "AKID",
            "SECRET",
            Some("TOKEN-SECRET\nx-injected: 1".into()),
        ))
        .transport(transport.clone())
        .build()
        .unwrap();
    let err = Runtime::new(config, &IVSCHAT)
        .send(HttpRequest::new(Method::Get, "/"), &OP)
        .await
        .unwrap_err();
    // The whole chain and the Debug of the error, as a reporter prints them.
    let shown = awsrt::client::DisplayErrorContext(&err).to_string();
    // aws-sigv4 refuses it while building the canonical request.
    assert!(
        shown.starts_with("failed to construct request: failed to sign the request"),
        "{shown}"
    );
    assert!(!shown.contains("TOKEN-SECRET"), "{shown}");
    assert!(matches!(err, SendError::Construction(_)));
    assert_eq!(transport.request_count(), 0);
}
