//! What a call through the generated `ivschat` client costs.
//!
//! - `client_call/*`: one call with the transport taken out (an in-memory
//!   transport that hands back a canned 200): build the input, validate it,
//!   serialize the request, resolve the endpoint (cached), sign with SigV4,
//!   parse the response. For CreateChatToken and for CreateRoom with 3 tags.
//!   `client_call/*_serialize_only` is the part before signing: build,
//!   validate and serialize the request, without the client.
//! - `loopback/create_chat_token`: calls one after another from one task
//!   over real HTTP/1.1 (the default hyper transport, keep-alive) against a
//!   small server on 127.0.0.1 started here; criterion's throughput line is
//!   the calls per second.
//!
//! Run: `cargo bench -p tests --bench client`.

use std::time::Duration;

use awsrt::client::{BoxFuture, HttpRequest, HttpResponse, HttpTransport, TransportError};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ivschat::config::{Credentials, FixedTime, RetryConfig};
use ivschat::operation::create_chat_token::CreateChatTokenInput;
use ivschat::operation::create_room::CreateRoomInput;
use ivschat::types::ChatTokenCapability;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

const ROOM: &str = "arn:aws:ivschat:us-west-2:123456789012:room/g1H2I3j4k5L6";
const TOKEN_BODY: &str = r#"{"token":"ACEKAtok3n","tokenExpirationTime":"2025-02-18T10:26:40Z","sessionExpirationTime":"2025-02-18T10:26:40Z"}"#;
const ROOM_BODY: &str = r#"{"arn":"arn:aws:ivschat:us-west-2:123456789012:room/g1H2I3j4k5L6","id":"g1H2I3j4k5L6","name":"room-1","createTime":"2025-02-18T09:26:40Z","updateTime":"2025-02-18T09:26:40Z","maximumMessageRatePerSecond":10,"maximumMessageLength":500,"tags":{"env":"prod","owner":"ana","team":"chat"},"loggingConfigurationIdentifiers":[]}"#;

/// Answers every request with the same response and keeps nothing (a
/// `TestTransport` records every request, which grows without bound over
/// the millions of iterations criterion runs).
#[derive(Debug)]
struct Canned(HttpResponse);

impl HttpTransport for Canned {
    fn send(&self, _request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let response = self.0.clone();
        Box::pin(async move { Ok(response) })
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn config() -> ivschat::config::ConfigBuilder {
    ivschat::Config::builder()
        .region("us-west-2")
        .credentials(Credentials::from_keys("AKIDEXAMPLE", "SECRET", None))
        .time_source(FixedTime::from_unix_secs(1_739_870_800))
        .retry_config(RetryConfig::disabled())
}

fn canned_client(body: &str) -> ivschat::Client {
    let transport = Canned(HttpResponse::json(200, body));
    ivschat::Client::from_conf(config().transport(transport).build().unwrap())
}

async fn create_chat_token(client: &ivschat::Client) {
    let out = client
        .create_chat_token()
        .room_identifier(ROOM)
        .user_id("user-1")
        .capabilities(ChatTokenCapability::SendMessage)
        .session_duration_in_minutes(60)
        .attributes("displayName", "Ana")
        .send()
        .await
        .unwrap();
    assert_eq!(out.token(), Some("ACEKAtok3n"));
}

async fn create_room(client: &ivschat::Client) {
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
        .unwrap();
    assert_eq!(out.tags().map(|t| t.len()), Some(3));
}

fn client_call(c: &mut Criterion) {
    let rt = runtime();
    let mut group = c.benchmark_group("client_call");
    group.throughput(Throughput::Elements(1));

    let client = canned_client(TOKEN_BODY);
    rt.block_on(create_chat_token(&client));
    group.bench_function("create_chat_token", |b| {
        b.iter(|| rt.block_on(create_chat_token(&client)))
    });
    group.bench_function("create_chat_token_serialize_only", |b| {
        b.iter(|| {
            let input = CreateChatTokenInput::builder()
                .room_identifier(ROOM)
                .user_id("user-1")
                .capabilities(ChatTokenCapability::SendMessage)
                .session_duration_in_minutes(60)
                .attributes("displayName", "Ana")
                .build()
                .unwrap();
            input.validate().unwrap();
            ivschat::protocol::http::serialize_create_chat_token_request(&input).unwrap()
        })
    });

    let client = canned_client(ROOM_BODY);
    rt.block_on(create_room(&client));
    group.bench_function("create_room_3_tags", |b| {
        b.iter(|| rt.block_on(create_room(&client)))
    });
    group.bench_function("create_room_3_tags_serialize_only", |b| {
        b.iter(|| {
            let input = CreateRoomInput::builder()
                .name("room-1")
                .maximum_message_rate_per_second(10)
                .maximum_message_length(500)
                .tags("team", "chat")
                .tags("env", "prod")
                .tags("owner", "ana")
                .build()
                .unwrap();
            input.validate().unwrap();
            ivschat::protocol::http::serialize_create_room_request(&input).unwrap()
        })
    });
    group.finish();
}

/// A keep-alive HTTP/1.1 server on 127.0.0.1 answering every request with
/// `body`; it lives as long as the runtime that spawned it.
async fn loopback_server(body: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(serve_connection(stream, body));
        }
    });
    url
}

async fn serve_connection(stream: TcpStream, body: &'static str) {
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-amzn-requestid: bench\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut line = String::new();
    loop {
        // The request line, then headers up to the blank line.
        let mut content_length = 0;
        let mut request_line = true;
        loop {
            line.clear();
            if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                return;
            }
            if line == "\r\n" && !request_line {
                break;
            }
            request_line = false;
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    content_length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut request_body = vec![0; content_length];
        if reader.read_exact(&mut request_body).await.is_err()
            || write.write_all(response.as_bytes()).await.is_err()
        {
            return;
        }
    }
}

fn loopback(c: &mut Criterion) {
    let rt = runtime();
    let url = rt.block_on(loopback_server(TOKEN_BODY));
    let config = config()
        .endpoint_url(url)
        .read_timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let client = ivschat::Client::from_conf(config);
    rt.block_on(create_chat_token(&client));
    let mut group = c.benchmark_group("loopback");
    group.throughput(Throughput::Elements(1));
    group.bench_function("create_chat_token", |b| {
        b.iter(|| rt.block_on(create_chat_token(&client)))
    });
    group.finish();
}

criterion_group!(benches, client_call, loopback);
criterion_main!(benches);
