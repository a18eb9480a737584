//! The default hyper + rustls transport against a tiny HTTP/1.1 server on
//! 127.0.0.1 started by the test (no other network traffic).

use crate::common;

use common::IVSCHAT;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use awsrt::client::{
    Config, Credentials, Direction, HttpRequest, HttpTransport, HyperTransport, Method,
    ProxyConfig, RetryConfig, Runtime, StalledStreamProtection, TlsSettings, TransportErrorKind,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the test server does with one connection.
#[derive(Clone)]
enum Reply {
    /// Answer with this status and body, then close.
    Respond(u16, &'static str),
    /// Read the request, then say nothing for this long.
    Stall(Duration),
    /// Send the head and 2 of the 10 bytes of the body, then say nothing
    /// for this long.
    HeadThenStall(Duration),
}

/// Serves one reply per connection, in order; returns the address and the
/// raw requests received (head and body).
async fn server(replies: Vec<Reply>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    tokio::spawn(async move {
        for reply in replies {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let request = read_request(&mut stream).await;
            record.lock().unwrap().push(request);
            match reply {
                Reply::Respond(status, body) => {
                    let response = format!(
                        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\nx-amzn-requestid: rid-{status}\r\n\
                         content-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = stream.write_all(response.as_bytes()).await;
                    let _ = stream.shutdown().await;
                }
                Reply::HeadThenStall(for_how_long) => {
                    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                                content-length: 10\r\n\r\n{}";
                    let _ = stream.write_all(head.as_bytes()).await;
                    tokio::spawn(async move {
                        tokio::time::sleep(for_how_long).await;
                        drop(stream);
                    });
                }
                Reply::Stall(for_how_long) => {
                    tokio::spawn(async move {
                        tokio::time::sleep(for_how_long).await;
                        drop(stream);
                    });
                }
            }
        }
    });
    (addr, seen)
}

async fn read_request(stream: &mut TcpStream) -> String {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = stream.read(&mut buf).await.unwrap_or(0);
        if n == 0 {
            break;
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
                break;
            }
        }
    }
    String::from_utf8_lossy(&data).to_string()
}

#[tokio::test]
async fn round_trip_over_loopback() {
    let (addr, seen) = server(vec![Reply::Respond(201, r#"{"ok":true}"#)]).await;
    let transport =
        HyperTransport::new(Some(Duration::from_secs(2)), Some(Duration::from_secs(5))).unwrap();
    let mut req = HttpRequest::new(Method::Post, "/CreateRoom?x=1");
    req.set_endpoint(&format!("http://{addr}"));
    req.set_header("x-custom", "v");
    req.set_body(&br#"{"name":"r"}"#[..], "application/json");
    let resp = transport.send(req).await.unwrap();
    assert_eq!(resp.status(), 201);
    assert_eq!(&resp.body()[..], br#"{"ok":true}"#);
    assert_eq!(resp.header("X-Amzn-RequestId"), Some("rid-201"));
    let raw = seen.lock().unwrap()[0].clone();
    assert!(
        raw.starts_with("POST /CreateRoom?x=1 HTTP/1.1\r\n"),
        "{raw}"
    );
    assert!(
        raw.to_ascii_lowercase().contains("x-custom: v\r\n"),
        "{raw}"
    );
    assert!(raw.ends_with(r#"{"name":"r"}"#), "{raw}");
}

/// Sends `GET path` to a server answering `reply` with a 200 ms read
/// timeout: a timeout error saying `says`, well before the 2 s the server
/// holds on.
async fn read_timeout_case(reply: Reply, path: &str, says: &str) {
    let (addr, _) = server(vec![reply]).await;
    let transport = HyperTransport::new(
        Some(Duration::from_secs(2)),
        Some(Duration::from_millis(200)),
    )
    .unwrap();
    let mut req = HttpRequest::new(Method::Get, path);
    req.set_endpoint(&format!("http://{addr}"));
    let started = Instant::now();
    let err = transport.send(req).await.unwrap_err();
    assert!(err.is_timeout(), "{err}");
    assert!(chain(&err).contains(says), "{}", chain(&err));
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn read_timeout_fires() {
    read_timeout_case(
        Reply::Stall(Duration::from_secs(3)),
        "/slow",
        "read timeout of 200ms",
    )
    .await;
}

#[tokio::test]
async fn read_timeout_fires_waiting_for_the_body() {
    read_timeout_case(
        Reply::HeadThenStall(Duration::from_secs(3)),
        "/half",
        "read timeout of 200ms elapsed waiting for the response body",
    )
    .await;
}

#[tokio::test]
async fn a_silent_body_stalls_before_a_longer_read_timeout() {
    // The other way round from `read_timeout_fires_waiting_for_the_body`:
    // the body's one timer serves the stall check before the read timeout.
    let (addr, _) = server(vec![Reply::HeadThenStall(Duration::from_secs(3))]).await;
    let protection = StalledStreamProtection::enabled()
        .with_grace_period(Duration::from_millis(200))
        .with_minimum_throughput(100);
    let transport =
        HyperTransport::new(Some(Duration::from_secs(2)), Some(Duration::from_secs(10)))
            .unwrap()
            .with_stalled_stream_protection(protection);
    let mut req = HttpRequest::new(Method::Get, "/half");
    req.set_endpoint(&format!("http://{addr}"));
    let err = transport.send(req).await.unwrap_err();
    assert!(err.is_timeout(), "{err}");
    let stalled = err.stalled_stream().expect("StalledStream");
    assert_eq!(stalled.direction(), Direction::Download, "{stalled}");
    assert!(stalled.bytes() <= 2, "{stalled}");
}

#[tokio::test]
async fn a_one_frame_body_is_watched_until_the_connection_takes_it() {
    // A proxy that accepts and never answers `CONNECT`: the connection is
    // never set up, so hyper never takes the body. A body, even one sent in
    // one frame, stalls once the grace period has passed; without one,
    // only the read timeout ends the wait.
    let proxy = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy_url = format!("http://{}", proxy.local_addr().unwrap());
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = proxy.accept().await {
            held.push(stream);
        }
    });
    let protection = StalledStreamProtection::enabled()
        .with_grace_period(Duration::from_millis(200))
        .with_minimum_throughput(100);
    let transport = HyperTransport::with_network(
        Some(Duration::from_secs(2)),
        Some(Duration::from_millis(1500)),
        &TlsSettings::default(),
        &ProxyConfig::all(proxy_url),
    )
    .unwrap()
    .with_stalled_stream_protection(protection);
    let request = |body: &'static [u8]| {
        let mut req = HttpRequest::new(Method::Post, "/CreateRoom");
        req.set_endpoint("https://ivschat.us-west-2.amazonaws.com");
        req.set_body(body, "application/json");
        req
    };
    let err = transport.send(request(b"{}")).await.unwrap_err();
    let stalled = err.stalled_stream().expect("StalledStream");
    assert_eq!(
        (stalled.direction(), stalled.bytes()),
        (Direction::Upload, 0)
    );
    let err = transport.send(request(b"")).await.unwrap_err();
    assert!(err.is_timeout() && err.stalled_stream().is_none(), "{err}");
    assert!(
        chain(&err).contains("read timeout of 1.5s elapsed waiting for the response head"),
        "{}",
        chain(&err)
    );
}

#[tokio::test]
async fn refused_connection_is_a_connect_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let transport =
        HyperTransport::new(Some(Duration::from_secs(2)), Some(Duration::from_secs(2))).unwrap();
    let mut req = HttpRequest::new(Method::Get, "/");
    req.set_endpoint(&format!("http://{addr}"));
    let err = transport.send(req).await.unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Connect, "{err}");
    // aws-smithy's connectors report a refused connection as I/O.
    assert!(err.is_io() && !err.is_user() && !err.is_other(), "{err}");
}

#[tokio::test]
async fn an_invalid_request_is_a_user_error_and_is_not_sent() {
    // aws-smithy's connectors give `ConnectorError::user` for a request
    // hyper refuses (hyper's `is_user`); ours refuses it before connecting.
    let (addr, seen) = server(vec![Reply::Respond(200, "{}")]).await;
    let transport =
        HyperTransport::new(Some(Duration::from_secs(2)), Some(Duration::from_secs(2))).unwrap();
    for (name, value) in [("bad name", "v"), ("x-bad", "line\nbreak")] {
        let mut req = HttpRequest::new(Method::Get, "/");
        req.set_endpoint(&format!("http://{addr}"));
        req.set_header(name, value);
        let err = transport.send(req).await.unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::User, "{err}");
        assert!(err.is_user() && !err.is_io() && !err.is_timeout() && !err.is_other());
        assert_eq!(err.to_string(), "invalid request or transport setting");
    }
    assert!(seen.lock().unwrap().is_empty());
}

#[tokio::test]
async fn runtime_retries_over_real_http() {
    let (addr, seen) = server(vec![
        Reply::Respond(503, r#"{"message":"busy"}"#),
        Reply::Stall(Duration::from_secs(3)),
        Reply::Respond(200, r#"{"arn":"a"}"#),
    ])
    .await;
    let config = Config::builder()
        .region("us-west-2")
        .credentials(Credentials::from_keys("AKID", "SECRET", None))
        .endpoint_url(format!("http://{addr}"))
        .read_timeout(Duration::from_millis(300))
        .retry_config(RetryConfig::standard().with_initial_backoff(Duration::ZERO))
        .build()
        .unwrap();
    let runtime = Runtime::new(config, &IVSCHAT);
    let mut req = HttpRequest::new(Method::Post, "/CreateRoom");
    req.set_body(&b"{}"[..], "application/json");
    let op = common::op("CreateRoom");
    let resp = runtime.send(req, &op).await.unwrap();
    assert_eq!(
        (resp.status(), &resp.body()[..]),
        (200, &br#"{"arn":"a"}"#[..])
    );
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 3);
    for raw in seen.iter() {
        let lower = raw.to_ascii_lowercase();
        assert!(lower.contains(&format!("host: {addr}\r\n")), "{raw}");
        assert!(
            lower.contains("authorization: aws4-hmac-sha256 credential=akid/"),
            "{raw}"
        );
        assert!(lower.contains("user-agent: awsrt/"), "{raw}");
    }
}

#[test]
fn debug_output_is_small() {
    let transport = HyperTransport::new(None, Some(Duration::from_secs(1))).unwrap();
    assert_eq!(
        format!("{transport:?}"),
        "HyperTransport { read_timeout: Some(1s), .. }"
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
