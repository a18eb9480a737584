//! What a call through the generated `ivschat` client costs.
//!
//! - `client_call/*`: one call with the transport taken out (an in-memory
//!   transport that hands back a canned 200): build the input, validate it,
//!   serialize the request, resolve the endpoint (cached), sign with SigV4,
//!   parse the response. For CreateChatToken and for CreateRoom with 3 tags.
//!   `client_call/*_serialize_only` is the part before signing: build,
//!   validate and serialize the request, without the client.
//! - `client_stage/*`: the stages of a CreateChatToken call one by one:
//!   `serialize` (build, validate, serialize), `endpoint_cached` (what a
//!   call pays for its endpoint: the runtime resolves once per client, then
//!   sets the URL and `host`), `endpoint_resolve_uncached` (one run of the
//!   rules interpreter, what the cache saves), `sign` (SigV4 of the
//!   serialized request) and `parse` (the response body into the output).
//! - Allocations per call: a counting global allocator; before the benches
//!   run, the number of allocations (and bytes) of each call and stage is
//!   printed (an average over 1,000 calls). Nothing is asserted.
//! - `loopback/create_chat_token`: calls one after another from one task
//!   over real HTTP/1.1 (the default hyper transport, keep-alive) against a
//!   small server on 127.0.0.1 started here; criterion's throughput line is
//!   the calls per second.
//! - `transport/*`: one signed CreateChatToken request over that server
//!   (the server runs on the same current-thread runtime, so every variant
//!   pays the same server and socket costs), without the client's work:
//!   `awsrt_hyper_transport` (what a call's attempt does: `HyperTransport`
//!   `send_streaming`, then `collect_limited` under the default limits;
//!   with the clone of the signed request the runtime makes per attempt),
//!   `hyper_util_legacy` (hyper-util's pooled client, which our transport
//!   wraps, given a ready `http::Request`), `hyper_conn_spawned` (hyper's
//!   one-connection client, its connection task spawned: no pool),
//!   `hyper_conn_same_task` (the connection driven in the caller's task: no
//!   pool and no task hop) and `tcp_floor` (the request's bytes written and
//!   the response's read with tokio alone). The differences are what the
//!   glue, the pool and the hop cost. `CLIENT_BENCH_PROFILE_RUN=transport/<name>`
//!   runs one of them under a profiler (see `profile_calls`).
//!
//! Run: `cargo bench -p tests --bench client`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use awsrt::client::endpoint::EndpointResolver;
use awsrt::client::{
    sign_request, BoxFuture, HttpRequest, HttpResponse, HttpTransport, HyperTransport,
    ResponseLimits, TransportError,
};
use bytes::Bytes;
use criterion::{criterion_group, BatchSize, Criterion, Throughput};
use http_body_util::{BodyExt, Full};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use ivschat::config::{Credentials, FixedTime, RetryConfig};
use ivschat::operation::create_chat_token::CreateChatTokenInput;
use ivschat::operation::create_room::CreateRoomInput;
use ivschat::types::ChatTokenCapability;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// The system allocator, counting allocations and bytes allocated.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static ALLOCATED_BYTES: AtomicU64 = AtomicU64::new(0);

// SAFETY: forwards every call to `System` unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        ALLOCATED_BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        ALLOCATED_BYTES.fetch_add(new_size as u64, Ordering::Relaxed);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` 1,000 times and prints the allocations (and bytes) per run.
fn report_allocations(name: &str, mut f: impl FnMut()) {
    const RUNS: u64 = 1000;
    f();
    let (count, bytes) = (
        ALLOCATIONS.load(Ordering::Relaxed),
        ALLOCATED_BYTES.load(Ordering::Relaxed),
    );
    for _ in 0..RUNS {
        f();
    }
    let count = ALLOCATIONS.load(Ordering::Relaxed) - count;
    let bytes = ALLOCATED_BYTES.load(Ordering::Relaxed) - bytes;
    println!(
        "allocations per call: {name:<40} {:>6.1} allocations {:>8.0} bytes",
        count as f64 / RUNS as f64,
        bytes as f64 / RUNS as f64
    );
}

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

fn token_input() -> CreateChatTokenInput {
    CreateChatTokenInput::builder()
        .room_identifier(ROOM)
        .user_id("user-1")
        .capabilities(ChatTokenCapability::SendMessage)
        .session_duration_in_minutes(60)
        .attributes("displayName", "Ana")
        .build()
        .unwrap()
}

fn room_input() -> CreateRoomInput {
    CreateRoomInput::builder()
        .name("room-1")
        .maximum_message_rate_per_second(10)
        .maximum_message_length(500)
        .tags("team", "chat")
        .tags("env", "prod")
        .tags("owner", "ana")
        .build()
        .unwrap()
}

fn serialize_token() -> HttpRequest {
    let input = token_input();
    input.validate().unwrap();
    ivschat::protocol::http::serialize_create_chat_token_request(&input).unwrap()
}

fn serialize_room() -> HttpRequest {
    let input = room_input();
    input.validate().unwrap();
    ivschat::protocol::http::serialize_create_room_request(&input).unwrap()
}

/// The endpoint rules interpreter for the generated crate's rule set.
fn resolver() -> EndpointResolver {
    EndpointResolver::from_json(
        include_str!("../../generated/src/endpoint_rule_set.json"),
        include_str!("../../generated/src/partitions.json"),
        |regex, region| Some(regex_lite::Regex::new(regex).ok()?.is_match(region)),
    )
    .unwrap()
}

fn resolve_uncached(resolver: &EndpointResolver) -> String {
    let params = resolver.builtin_params(Some("us-west-2"), false, false, None);
    resolver.resolve(&params).unwrap().url().to_owned()
}

/// What a call does with the cached endpoint: sets the URL and `host`.
fn endpoint_cached(request: &mut HttpRequest, url: &str) {
    request.set_endpoint(url);
    let host = url.strip_prefix("https://").unwrap_or(url);
    request.set_header("host", host);
}

const SIGNING_TIME: u64 = 1_739_870_800;

fn sign(request: &mut HttpRequest, credentials: &Credentials) {
    let time = SystemTime::UNIX_EPOCH + Duration::from_secs(SIGNING_TIME);
    sign_request(request, credentials, "us-west-2", "ivschat", time).unwrap();
}

fn client_stage(c: &mut Criterion) {
    let resolver = resolver();
    let url = resolve_uncached(&resolver);
    let credentials = Credentials::from_keys("AKIDEXAMPLE", "SECRET", None);
    let mut prepared = serialize_token();
    endpoint_cached(&mut prepared, &url);
    let token_response = HttpResponse::json(200, TOKEN_BODY);
    let room_response = HttpResponse::json(200, ROOM_BODY);

    let mut group = c.benchmark_group("client_stage");
    group.throughput(Throughput::Elements(1));
    group.bench_function("create_chat_token/serialize", |b| b.iter(serialize_token));
    group.bench_function("create_chat_token/endpoint_cached", |b| {
        b.iter_batched_ref(
            serialize_token,
            |request| endpoint_cached(request, &url),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("create_chat_token/endpoint_resolve_uncached", |b| {
        b.iter(|| resolve_uncached(&resolver))
    });
    group.bench_function("create_chat_token/sign", |b| {
        b.iter_batched_ref(
            || prepared.clone(),
            |request| sign(request, &credentials),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("create_chat_token/parse", |b| {
        b.iter(|| {
            ivschat::protocol::http::deserialize_create_chat_token_response(&token_response)
                .unwrap()
        })
    });
    group.bench_function("create_room_3_tags/parse", |b| {
        b.iter(|| {
            ivschat::protocol::http::deserialize_create_room_response(&room_response).unwrap()
        })
    });
    group.finish();
}

/// Prints the allocations per call and per stage.
fn allocations() {
    let rt = runtime();
    let token_client = canned_client(TOKEN_BODY);
    let room_client = canned_client(ROOM_BODY);
    let resolver = resolver();
    let url = resolve_uncached(&resolver);
    let credentials = Credentials::from_keys("AKIDEXAMPLE", "SECRET", None);
    let mut prepared = serialize_token();
    endpoint_cached(&mut prepared, &url);
    let token_response = HttpResponse::json(200, TOKEN_BODY);
    let room_response = HttpResponse::json(200, ROOM_BODY);
    report_allocations("client_call/create_chat_token", || {
        rt.block_on(create_chat_token(&token_client))
    });
    report_allocations("client_call/create_room_3_tags", || {
        rt.block_on(create_room(&room_client))
    });
    report_allocations("create_chat_token/serialize", || {
        serialize_token();
    });
    report_allocations("create_room_3_tags/serialize", || {
        serialize_room();
    });
    report_allocations("create_chat_token/endpoint_resolve_uncached", || {
        resolve_uncached(&resolver);
    });
    // The request's clone is counted too: it is what a call's attempt
    // signs (the runtime clones the request per attempt).
    report_allocations("create_chat_token/clone+sign", || {
        let mut request = prepared.clone();
        sign(&mut request, &credentials);
    });
    report_allocations("create_chat_token/parse", || {
        ivschat::protocol::http::deserialize_create_chat_token_response(&token_response).unwrap();
    });
    report_allocations("create_room_3_tags/parse", || {
        ivschat::protocol::http::deserialize_create_room_response(&room_response).unwrap();
    });
}

/// `CLIENT_BENCH_PROFILE=<n>`: instead of benchmarking, runs <n> times the
/// workload `CLIENT_BENCH_PROFILE_RUN` names and exits (to run under a
/// profiler such as `valgrind --tool=callgrind` or `perf record`; the cost
/// of one run is the difference between two counts divided by the
/// difference in <n>). Workloads: `create_chat_token` (the default) and
/// `create_room_3_tags`, whole calls over the in-memory transport; `sign`,
/// the `client_stage` sign of a CreateChatToken request (its clone
/// included); `transport/<name>`, one of the `transport/*` exchanges.
fn profile_calls() -> bool {
    let Some(runs) = std::env::var("CLIENT_BENCH_PROFILE")
        .ok()
        .and_then(|n| n.parse::<u32>().ok())
    else {
        return false;
    };
    let workload = std::env::var("CLIENT_BENCH_PROFILE_RUN");
    let rt = runtime();
    match workload.as_deref().unwrap_or("create_chat_token") {
        "create_chat_token" => {
            let client = canned_client(TOKEN_BODY);
            for _ in 0..runs {
                rt.block_on(create_chat_token(&client));
            }
        }
        "create_room_3_tags" => {
            let client = canned_client(ROOM_BODY);
            for _ in 0..runs {
                rt.block_on(create_room(&client));
            }
        }
        "sign" => {
            let credentials = Credentials::from_keys("AKIDEXAMPLE", "SECRET", None);
            let mut prepared = serialize_token();
            endpoint_cached(&mut prepared, &resolve_uncached(&resolver()));
            for _ in 0..runs {
                let mut request = prepared.clone();
                sign(&mut request, &credentials);
            }
        }
        transport if transport.starts_with("transport/") => {
            let name = &transport["transport/".len()..];
            let mut exchanges = Exchanges::new();
            for _ in 0..runs {
                exchanges.run(name);
            }
        }
        other => panic!(
            "CLIENT_BENCH_PROFILE_RUN={other}: expected create_chat_token, \
             create_room_3_tags, sign or transport/<exchange>"
        ),
    }
    true
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
        b.iter(serialize_token)
    });

    let client = canned_client(ROOM_BODY);
    rt.block_on(create_room(&client));
    group.bench_function("create_room_3_tags", |b| {
        b.iter(|| rt.block_on(create_room(&client)))
    });
    group.bench_function("create_room_3_tags_serialize_only", |b| {
        b.iter(serialize_room)
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

/// The signed CreateChatToken request a call's attempt sends to `url`.
fn signed_request(url: &str) -> HttpRequest {
    let mut request = serialize_token();
    request.set_endpoint(url);
    request.set_header("host", url.strip_prefix("http://").unwrap_or(url));
    sign(
        &mut request,
        &Credentials::from_keys("AKIDEXAMPLE", "SECRET", None),
    );
    request
}

/// `request` as hyper's, its body whole.
fn hyper_request(request: &HttpRequest) -> http::Request<Full<Bytes>> {
    let mut builder = http::Request::builder()
        .method(request.method().as_str())
        .uri(request.uri());
    for (name, value) in request.headers() {
        builder = builder.header(name.as_str(), value.as_str());
    }
    builder.body(Full::new(request.body().clone())).unwrap()
}

/// A copy of `template` (`http::Request` is not `Clone`).
fn copy(template: &http::Request<Full<Bytes>>) -> http::Request<Full<Bytes>> {
    let mut request = http::Request::new(template.body().clone());
    *request.method_mut() = template.method().clone();
    *request.uri_mut() = template.uri().clone();
    *request.headers_mut() = template.headers().clone();
    request
}

/// A connection to the loopback server at `url`, without Nagle's delay (as
/// the transport's).
async fn tcp(url: &str) -> TcpStream {
    let stream = TcpStream::connect(url.strip_prefix("http://").unwrap())
        .await
        .unwrap();
    stream.set_nodelay(true).unwrap();
    stream
}

/// hyper's one-connection HTTP/1.1 client to `url`: the request sender and
/// the connection, to be driven by a task.
async fn connect(
    url: &str,
) -> hyper::Result<(
    hyper::client::conn::http1::SendRequest<Full<Bytes>>,
    hyper::client::conn::http1::Connection<TokioIo<TcpStream>, Full<Bytes>>,
)> {
    hyper::client::conn::http1::handshake(TokioIo::new(tcp(url).await)).await
}

/// Reads a whole hyper response and checks it is the token.
async fn token_body(response: http::Response<hyper::body::Incoming>) -> Bytes {
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(body.len(), TOKEN_BODY.len());
    body
}

type Legacy = hyper_util::client::legacy::Client<
    hyper_util::client::legacy::connect::HttpConnector,
    Full<Bytes>,
>;
type Sender = hyper::client::conn::http1::SendRequest<Full<Bytes>>;
type Connection = hyper::client::conn::http1::Connection<TokioIo<TcpStream>, Full<Bytes>>;

/// The `transport/*` exchanges, each over its own keep-alive connection to
/// one loopback server, on one current-thread runtime.
struct Exchanges {
    rt: tokio::runtime::Runtime,
    request: HttpRequest,
    template: http::Request<Full<Bytes>>,
    ours: HyperTransport,
    legacy: Legacy,
    spawned: Sender,
    same_task: (Sender, Pin<Box<Connection>>),
    /// The bytes hyper writes for the request, a connection, and room for
    /// the server's answer.
    tcp: (Vec<u8>, TcpStream, Vec<u8>),
}

/// The exchanges' names, as in `transport/<name>` and
/// `CLIENT_BENCH_PROFILE_RUN=transport/<name>`.
const EXCHANGES: [&str; 5] = [
    "awsrt_hyper_transport",
    "hyper_util_legacy",
    "hyper_conn_spawned",
    "hyper_conn_same_task",
    "tcp_floor",
];

impl Exchanges {
    fn new() -> Self {
        let rt = runtime();
        let url = rt.block_on(loopback_server(TOKEN_BODY));
        let request = signed_request(&url);
        let template = hyper_request(&request);
        let ours = HyperTransport::new(None, Some(Duration::from_secs(5))).unwrap();
        let mut connector = hyper_util::client::legacy::connect::HttpConnector::new();
        connector.set_nodelay(true);
        let legacy = hyper_util::client::legacy::Client::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .build(connector);
        let (spawned, connection) = rt.block_on(connect(&url)).unwrap();
        rt.spawn(connection);
        let (sender, connection) = rt.block_on(connect(&url)).unwrap();
        let mut wire = String::from("POST /CreateChatToken HTTP/1.1\r\n");
        for (name, value) in request.headers() {
            wire.push_str(&format!("{name}: {value}\r\n"));
        }
        wire.push_str(&format!("content-length: {}\r\n\r\n", request.body().len()));
        let mut wire = wire.into_bytes();
        wire.extend_from_slice(request.body());
        let (stream, answer_len) = rt.block_on(async {
            let mut stream = tcp(&url).await;
            stream.write_all(&wire).await.unwrap();
            let mut buf = vec![0; 4096];
            let n = stream.read(&mut buf).await.unwrap();
            assert!(
                buf[..n].ends_with(TOKEN_BODY.as_bytes()),
                "a whole answer in one read"
            );
            (stream, n)
        });
        let mut exchanges = Exchanges {
            rt,
            request,
            template,
            ours,
            legacy,
            spawned,
            same_task: (sender, Box::pin(connection)),
            tcp: (wire, stream, vec![0; answer_len]),
        };
        // The first exchange of each opens its connection.
        for name in EXCHANGES {
            exchanges.run(name);
        }
        exchanges
    }

    /// One exchange of the named kind.
    fn run(&mut self, name: &str) {
        let Exchanges {
            rt,
            request,
            template,
            ..
        } = self;
        match name {
            "awsrt_hyper_transport" => rt.block_on(async {
                let response = self.ours.send_streaming(request.clone()).await.unwrap();
                let whole = response
                    .collect_limited(&ResponseLimits::default())
                    .await
                    .unwrap();
                assert_eq!(whole.body().len(), TOKEN_BODY.len());
            }),
            "hyper_util_legacy" => {
                let response = self.legacy.request(copy(template));
                rt.block_on(async { token_body(response.await.unwrap()).await });
            }
            "hyper_conn_spawned" => rt.block_on(async {
                self.spawned.ready().await.unwrap();
                let response = self.spawned.send_request(copy(template));
                token_body(response.await.unwrap()).await;
            }),
            "hyper_conn_same_task" => rt.block_on(async {
                let (sender, connection) = &mut self.same_task;
                let exchange = async {
                    sender.ready().await.unwrap();
                    token_body(sender.send_request(copy(template)).await.unwrap()).await
                };
                tokio::select! {
                    biased;
                    _ = exchange => {}
                    end = connection.as_mut() => panic!("the connection ended: {end:?}"),
                }
            }),
            "tcp_floor" => rt.block_on(async {
                let (wire, stream, answer) = &mut self.tcp;
                stream.write_all(wire).await.unwrap();
                stream.read_exact(answer).await.unwrap();
            }),
            other => panic!("no exchange {other}: expected one of {EXCHANGES:?}"),
        }
    }
}

fn transport(c: &mut Criterion) {
    let mut exchanges = Exchanges::new();
    let mut group = c.benchmark_group("transport");
    group.throughput(Throughput::Elements(1));
    for name in EXCHANGES {
        group.bench_function(name, |b| b.iter(|| exchanges.run(name)));
    }
    group.finish();
}

criterion_group!(benches, client_call, client_stage, loopback, transport);

fn main() {
    if profile_calls() {
        return;
    }
    allocations();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
