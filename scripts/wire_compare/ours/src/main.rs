//! `wire-compare-ours <endpoint-url> <token|room> <calls>`: makes <calls>
//! calls one after another from one task (one keep-alive connection) with
//! the generated `ivschat` crate, checks each answer, and prints
//! `calls=<n> seconds=<s> calls_per_s=<r> mean_us=<m>`.
//! Credentials are fixed fake ones; only <endpoint-url> is contacted. The
//! calls run in `block_on` of the runtime `#[tokio::main]` builds
//! (multi-thread), or of a current-thread one with `RUNTIME=current_thread`.
//!
//! `wire-compare-ours serve <port>`: the minimal hyper server
//! scripts/wire_compare.sh uses when nginx is not installed, on
//! 127.0.0.1:<port>, answering POST /CreateChatToken and /CreateRoom with
//! fixed bodies (keep-alive, HTTP/1.1), until killed.

use std::time::{Duration, Instant};

use ivschat::config::{Credentials, RetryConfig};
use ivschat::types::ChatTokenCapability;

const ROOM: &str = "arn:aws:ivschat:us-west-2:123456789012:room/g1H2I3j4k5L6";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("serve") {
        let Some(Ok(port)) = args.get(2).map(|p| p.parse::<u16>()) else {
            eprintln!("usage: wire-compare-ours serve <port>");
            std::process::exit(2);
        };
        serve(port);
        return;
    }
    let (Some(url), Some(op), Some(Ok(calls))) = (
        args.get(1),
        args.get(2),
        args.get(3).map(|n| n.parse::<u32>()),
    ) else {
        eprintln!("usage: wire-compare-ours <endpoint-url> <token|room> <calls>");
        std::process::exit(2);
    };
    let config = ivschat::Config::builder()
        .region("us-west-2")
        .credentials(Credentials::from_keys(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
        ))
        .endpoint_url(url.as_str())
        .retry_config(RetryConfig::standard())
        .read_timeout(Duration::from_secs(5))
        .build()
        .expect("config");
    let client = ivschat::Client::from_conf(config);
    let (rt, spawned) = runtime();
    let token = op == "token";
    let calls_made = async move {
        // One warm-up call opens the connection.
        call(&client, token).await;
        let start = Instant::now();
        for _ in 0..calls {
            call(&client, token).await;
        }
        start
    };
    let start = rt.block_on(async {
        if spawned {
            tokio::spawn(calls_made).await.expect("the calls' task")
        } else {
            calls_made.await
        }
    });
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "calls={calls} seconds={seconds:.4} calls_per_s={:.1} mean_us={:.2}",
        f64::from(calls) / seconds,
        seconds * 1e6 / f64::from(calls)
    );
}

/// The runtime `#[tokio::main]` builds (multi-thread, a worker per CPU; the
/// calls run in `block_on`, on the main thread), or with
/// `RUNTIME=current_thread` the single-threaded one; with `RUNTIME=spawned`
/// the multi-thread one, the calls made in a spawned task (on a worker, as
/// in a server's request handler). Returns whether to spawn.
fn runtime() -> (tokio::runtime::Runtime, bool) {
    let flavour = std::env::var("RUNTIME").unwrap_or_default();
    let mut builder = match flavour.as_str() {
        "current_thread" => tokio::runtime::Builder::new_current_thread(),
        _ => tokio::runtime::Builder::new_multi_thread(),
    };
    let rt = builder.enable_all().build().expect("runtime");
    (rt, flavour == "spawned")
}

async fn call(client: &ivschat::Client, token: bool) {
    if token {
        let out = client
            .create_chat_token()
            .room_identifier(ROOM)
            .user_id("user-1")
            .capabilities(ChatTokenCapability::SendMessage)
            .session_duration_in_minutes(60)
            .attributes("displayName", "Ana")
            .send()
            .await
            .expect("CreateChatToken");
        assert_eq!(out.token(), Some("ACEKAtok3n"));
        assert!(out.token_expiration_time().is_some());
    } else {
        let out = client
            .create_room()
            .name("room-1")
            .maximum_message_rate_per_second(10)
            .maximum_message_length(500)
            .tags("team", "chat")
            .tags("env", "prod")
            .tags("owner", "ana")
            .send()
            .await
            .expect("CreateRoom");
        assert_eq!(out.id(), Some("g1H2I3j4k5L6"));
        assert_eq!(out.tags().map(|t| t.len()), Some(3));
    }
}

const TOKEN_BODY: &str = r#"{"token":"ACEKAtok3n","tokenExpirationTime":"2025-02-18T10:26:40Z","sessionExpirationTime":"2025-02-18T10:26:40Z"}"#;
const ROOM_BODY: &str = r#"{"arn":"arn:aws:ivschat:us-west-2:123456789012:room/g1H2I3j4k5L6","id":"g1H2I3j4k5L6","name":"room-1","createTime":"2025-02-18T09:26:40Z","updateTime":"2025-02-18T09:26:40Z","maximumMessageRatePerSecond":10,"maximumMessageLength":500,"tags":{"env":"prod","owner":"ana","team":"chat"},"loggingConfigurationIdentifiers":[]}"#;

fn serve(port: u16) {
    use http_body_util::{BodyExt, Full};
    use hyper::service::service_fn;

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind");
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            tokio::task::spawn(async move {
                let service = service_fn(
                    |request: hyper::Request<hyper::body::Incoming>| async move {
                        let path = request.uri().path().to_owned();
                        // Read (and drop) the request body, as nginx does.
                        let _ = request.into_body().collect().await;
                        let (status, body) = match path.as_str() {
                            "/CreateChatToken" => (200, TOKEN_BODY),
                            "/CreateRoom" => (200, ROOM_BODY),
                            _ => (404, r#"{"message":"not found"}"#),
                        };
                        hyper::Response::builder()
                            .status(status)
                            .header("content-type", "application/json")
                            .header("x-amzn-requestid", "wire-compare")
                            .body(Full::new(bytes::Bytes::from_static(body.as_bytes())))
                    },
                );
                let io = hyper_util::rt::TokioIo::new(stream);
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(io, service)
                    .await;
            });
        }
    });
}
