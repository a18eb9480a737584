//! The generated client end to end, over real HTTP/1.1 on 127.0.0.1.
//!
//! Each test starts a small server (`server::Server`) that answers requests
//! with scripted replies, in order, and records what it received; the client
//! uses its default transport (hyper) with `endpoint_url` pointing at it.
//! Covered: a successful call of each of the 17 operations, the modelled
//! errors of CreateChatToken and CreateRoom, an unmodelled error, retries
//! (503 retried, 400 not, 429 as the model says), pagination (3 pages; a repeated token), read and
//! operation timeouts, and input validation before sending; and hostile
//! responses: a chat token in an unparseable response never shows in an
//! error, an oversized body names the limit, a trickling body stalls, an
//! attempt timeout bounds each attempt.

use std::time::{Duration, Instant};

use awsrt::client::PaginationError;
use ivschat::config::{Credentials, RetryConfig};
use ivschat::error::SdkError;
use ivschat::operation::create_chat_token::CreateChatTokenError;
use ivschat::operation::create_room::CreateRoomError;
use ivschat::primitives::DateTime;
use ivschat::types::{
    ChatTokenCapability, CreateLoggingConfigurationState, DestinationConfiguration, FallbackResult,
    FirehoseDestinationConfiguration, LoggingConfigurationState, MessageReviewHandler,
    ResourceType, S3DestinationConfiguration, UpdateLoggingConfigurationState,
    ValidationExceptionReason,
};
use serde_json::json;
use server::{Reply, Server};

const ROOM: &str = "arn:aws:ivschat:us-west-2:123456789012:room/g1H2I3j4k5L6";
const ROOM_LABEL: &str = "arn%3Aaws%3Aivschat%3Aus-west-2%3A123456789012%3Aroom%2Fg1H2I3j4k5L6";
const LOGCONF: &str = "arn:aws:ivschat:us-west-2:123456789012:logging-configuration/ABcdef34ghIJ";
const LAMBDA: &str = "arn:aws:lambda:us-west-2:123456789012:function:review-messages";
/// 2025-02-18T09:26:40Z
const T0: i64 = 1_739_870_800;

/// A small HTTP/1.1 server for tests: scripted replies, recorded requests.
mod server {
    use std::collections::VecDeque;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
    use tokio::net::tcp::OwnedReadHalf;
    use tokio::net::{TcpListener, TcpStream};

    /// How long the server waits for a connection or a request before it stops.
    const IDLE: Duration = Duration::from_secs(10);
    /// The most connections one server accepts.
    const MAX_CONNECTIONS: usize = 16;

    /// One scripted reply.
    pub struct Reply {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
        delay: Duration,
        trickle: Option<Duration>,
    }

    impl Reply {
        /// `status` with a JSON body.
        pub fn json(status: u16, body: serde_json::Value) -> Self {
            Reply {
                status,
                headers: Vec::new(),
                body: body.to_string(),
                delay: Duration::ZERO,
                trickle: None,
            }
        }

        /// `204 No Content`.
        pub fn no_content() -> Self {
            Reply {
                status: 204,
                headers: Vec::new(),
                body: String::new(),
                delay: Duration::ZERO,
                trickle: None,
            }
        }

        /// An error response: `x-amzn-errortype: code`, a request id, and `body`.
        pub fn error(status: u16, code: &str, body: serde_json::Value) -> Self {
            Reply::json(status, body)
                .header("x-amzn-errortype", code)
                .header("x-amzn-requestid", &format!("req-{code}"))
        }

        /// Adds a header.
        pub fn header(mut self, name: &str, value: &str) -> Self {
            self.headers.push((name.to_owned(), value.to_owned()));
            self
        }

        /// Replaces the body with `body`, as it is (valid JSON or not).
        pub fn body(mut self, body: &str) -> Self {
            self.body = body.to_owned();
            self
        }

        /// Sends the body one byte every `interval` (the head at once).
        pub fn trickled(mut self, interval: Duration) -> Self {
            self.trickle = Some(interval);
            self
        }

        /// Sends the reply only after `delay`.
        pub fn after(mut self, delay: Duration) -> Self {
            self.delay = delay;
            self
        }

        fn to_bytes(&self) -> Vec<u8> {
            let mut head = format!("HTTP/1.1 {} Scripted\r\n", self.status);
            if !self.body.is_empty() {
                head.push_str("content-type: application/json\r\n");
            }
            if self.status != 204 {
                head.push_str(&format!("content-length: {}\r\n", self.body.len()));
            }
            for (name, value) in &self.headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            head.push_str(&self.body);
            head.into_bytes()
        }
    }

    /// A request as the server received it.
    #[derive(Debug, Clone)]
    pub struct Seen {
        /// `GET`, `POST`, ...
        pub method: String,
        /// The request target: encoded path and query.
        pub target: String,
        /// Header names in lower case, with their values.
        pub headers: Vec<(String, String)>,
        /// The body.
        pub body: String,
    }

    impl Seen {
        /// The first value of header `name` (lower case).
        pub fn header(&self, name: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        }

        /// The body parsed as JSON (`null` when empty).
        pub fn json(&self) -> serde_json::Value {
            if self.body.is_empty() {
                serde_json::Value::Null
            } else {
                serde_json::from_str(&self.body).unwrap()
            }
        }
    }

    #[derive(Default)]
    struct State {
        replies: Mutex<VecDeque<Reply>>,
        seen: Mutex<Vec<Seen>>,
    }

    /// A running server; it stops when its replies are used up and its
    /// connections close, or after [`IDLE`] without a connection or request.
    pub struct Server {
        url: String,
        state: Arc<State>,
    }

    impl Server {
        /// Listens on 127.0.0.1 (a free port) and answers with `replies`, in order.
        pub async fn start(replies: Vec<Reply>) -> Server {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let url = format!("http://{}", listener.local_addr().unwrap());
            let state = Arc::new(State {
                replies: Mutex::new(replies.into()),
                seen: Mutex::default(),
            });
            tokio::spawn(accept(listener, state.clone()));
            Server { url, state }
        }

        /// `http://127.0.0.1:<port>`.
        pub fn url(&self) -> &str {
            &self.url
        }

        /// The requests received so far.
        pub fn requests(&self) -> Vec<Seen> {
            self.state.seen.lock().unwrap().clone()
        }
    }

    async fn accept(listener: TcpListener, state: Arc<State>) {
        for _ in 0..MAX_CONNECTIONS {
            match tokio::time::timeout(IDLE, listener.accept()).await {
                Ok(Ok((stream, _))) => {
                    tokio::spawn(serve(stream, state.clone()));
                }
                _ => return,
            }
        }
    }

    /// Answers the requests of one connection (keep-alive) until the script
    /// runs out, the client closes, or it idles.
    async fn serve(stream: TcpStream, state: Arc<State>) {
        let (read, mut write) = stream.into_split();
        let mut reader = BufReader::new(read);
        loop {
            let request = match tokio::time::timeout(IDLE, read_request(&mut reader)).await {
                Ok(Ok(Some(request))) => request,
                _ => return,
            };
            state.seen.lock().unwrap().push(request);
            let next = state.replies.lock().unwrap().pop_front();
            let Some(reply) = next else {
                let body = r#"{"message":"the test server has no scripted reply left"}"#;
                let refusal = format!(
                    "HTTP/1.1 500 Unscripted\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
                    body.len()
                );
                let _ = write.write_all(refusal.as_bytes()).await;
                return;
            };
            tokio::time::sleep(reply.delay).await;
            let bytes = reply.to_bytes();
            let Some(interval) = reply.trickle else {
                if write.write_all(&bytes).await.is_err() {
                    return;
                }
                continue;
            };
            let body_start = bytes.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or(0) + 4;
            if write.write_all(&bytes[..body_start]).await.is_err() {
                return;
            }
            for byte in &bytes[body_start..] {
                tokio::time::sleep(interval).await;
                if write.write_all(&[*byte]).await.is_err() {
                    return;
                }
            }
        }
    }

    /// Reads one request (request line, headers, `content-length` body);
    /// `None` when the client closed the connection.
    async fn read_request(reader: &mut BufReader<OwnedReadHalf>) -> std::io::Result<Option<Seen>> {
        let mut line = String::new();
        if reader.read_line(&mut line).await? == 0 {
            return Ok(None);
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or_default().to_owned();
        let target = parts.next().unwrap_or_default().to_owned();
        let mut headers = Vec::new();
        loop {
            line.clear();
            if reader.read_line(&mut line).await? == 0 {
                return Ok(None);
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
            }
        }
        let length = headers
            .iter()
            .find(|(n, _)| n == "content-length")
            .map_or(0, |(_, v)| v.parse().unwrap_or(0));
        let mut body = vec![0; length];
        reader.read_exact(&mut body).await?;
        Ok(Some(Seen {
            method,
            target,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        }))
    }
}

/// The config every test starts from: fixed credentials, the test server as
/// endpoint, retries without backoff, a read timeout short enough for tests.
fn config(server: &Server) -> ivschat::config::ConfigBuilder {
    ivschat::Config::builder()
        .region("us-west-2")
        .credentials(Credentials::from_keys("AKIDEXAMPLE", "SECRET", None))
        .endpoint_url(server.url())
        .retry_config(
            RetryConfig::standard()
                .with_initial_backoff(Duration::ZERO)
                .with_max_backoff(Duration::ZERO),
        )
        .read_timeout(Duration::from_secs(5))
}

fn client(server: &Server) -> ivschat::Client {
    ivschat::Client::from_conf(config(server).build().unwrap())
}

fn room_json(name: &str) -> serde_json::Value {
    json!({
        "arn": ROOM, "id": "g1H2I3j4k5L6", "name": name,
        "createTime": "2025-02-18T09:26:40Z", "updateTime": "2025-02-18T09:26:41.5Z",
        "maximumMessageRatePerSecond": 10, "maximumMessageLength": 500,
        "messageReviewHandler": {"uri": LAMBDA, "fallbackResult": "DENY"},
        "tags": {"team": "chat"}, "loggingConfigurationIdentifiers": [LOGCONF]
    })
}

fn logging_json(destination: serde_json::Value, state: &str) -> serde_json::Value {
    json!({
        "arn": LOGCONF, "id": "ABcdef34ghIJ", "name": "logs-1",
        "createTime": "2025-02-18T09:26:40Z", "updateTime": "2025-02-18T09:26:40Z",
        "destinationConfiguration": destination, "state": state, "tags": {"team": "chat"}
    })
}

/// The paths (targets) of the requests the server received.
fn targets(server: &Server) -> Vec<String> {
    server
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.target))
        .collect()
}

#[tokio::test]
async fn room_operations() {
    let server = Server::start(vec![
        Reply::json(200, room_json("room-1")),
        Reply::json(200, room_json("room-1")),
        Reply::json(200, room_json("room-2")),
        Reply::json(
            200,
            json!({"rooms": [{"arn": ROOM, "id": "g1H2I3j4k5L6", "name": "room-2", "tags": {},
                              "createTime": "2025-02-18T09:26:40Z", "loggingConfigurationIdentifiers": []}]}),
        ),
        Reply::no_content(),
    ])
    .await;
    let client = client(&server);

    let created = client
        .create_room()
        .name("room-1")
        .maximum_message_rate_per_second(10)
        .maximum_message_length(500)
        .message_review_handler(
            MessageReviewHandler::builder()
                .uri(LAMBDA)
                .fallback_result(FallbackResult::Deny)
                .build(),
        )
        .tags("team", "chat")
        .logging_configuration_identifiers(LOGCONF)
        .send()
        .await
        .unwrap();
    assert_eq!(
        (created.arn(), created.id(), created.name()),
        (Some(ROOM), Some("g1H2I3j4k5L6"), Some("room-1"))
    );
    assert_eq!(created.create_time(), Some(&DateTime::from_secs(T0)));
    assert_eq!(
        created.update_time(),
        Some(&DateTime::from_secs_and_nanos(T0 + 1, 500_000_000))
    );
    assert_eq!(
        (
            created.maximum_message_rate_per_second(),
            created.maximum_message_length()
        ),
        (Some(10), Some(500))
    );
    let handler = created.message_review_handler().unwrap();
    assert_eq!(
        (handler.uri(), handler.fallback_result()),
        (Some(LAMBDA), Some(&FallbackResult::Deny))
    );
    assert_eq!(
        created.tags().unwrap().get("team").map(String::as_str),
        Some("chat")
    );
    assert_eq!(created.logging_configuration_identifiers(), [LOGCONF]);

    let room = client.get_room().identifier(ROOM).send().await.unwrap();
    assert_eq!(room.name(), Some("room-1"));
    let updated = client
        .update_room()
        .identifier(ROOM)
        .name("room-2")
        .send()
        .await
        .unwrap();
    assert_eq!(updated.name(), Some("room-2"));
    let listed = client.list_rooms().name("room").send().await.unwrap();
    assert_eq!(listed.rooms().len(), 1);
    assert_eq!(listed.rooms()[0].name(), Some("room-2"));
    assert_eq!(
        listed.rooms()[0].create_time(),
        Some(&DateTime::from_secs(T0))
    );
    assert_eq!(listed.next_token(), None);
    client.delete_room().identifier(ROOM).send().await.unwrap();

    assert_eq!(
        targets(&server),
        [
            "POST /CreateRoom",
            "POST /GetRoom",
            "POST /UpdateRoom",
            "POST /ListRooms",
            "POST /DeleteRoom"
        ]
    );
    let requests = server.requests();
    assert_eq!(
        requests[0].json(),
        json!({"name": "room-1", "maximumMessageRatePerSecond": 10, "maximumMessageLength": 500,
               "messageReviewHandler": {"uri": LAMBDA, "fallbackResult": "DENY"},
               "tags": {"team": "chat"}, "loggingConfigurationIdentifiers": [LOGCONF]})
    );
    assert_eq!(requests[4].json(), json!({"identifier": ROOM}));
    for request in &requests {
        assert_eq!(request.header("content-type"), Some("application/json"));
        assert_eq!(
            request.header("host"),
            Some(&server.url()["http://".len()..])
        );
        let auth = request.header("authorization").unwrap();
        assert!(
            auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"),
            "{auth}"
        );
        assert!(auth.contains("/us-west-2/ivschat/aws4_request"), "{auth}");
    }
}

#[tokio::test]
async fn logging_configuration_operations() {
    let server = Server::start(vec![
        Reply::json(200, logging_json(json!({"s3": {"bucketName": "chat-logs"}}), "ACTIVE")),
        Reply::json(200, logging_json(json!({"cloudWatchLogs": {"logGroupName": "/aws/ivschat"}}), "UPDATING")),
        Reply::json(200, logging_json(json!({"firehose": {"deliveryStreamName": "chat-stream"}}), "ACTIVE")),
        Reply::json(
            200,
            json!({"loggingConfigurations": [{"arn": LOGCONF, "id": "ABcdef34ghIJ", "state": "CREATE_FAILED",
                                              "destinationConfiguration": {"s3": {"bucketName": "chat-logs"}}}],
                   "nextToken": "more"}),
        ),
        Reply::no_content(),
    ])
    .await;
    let client = client(&server);

    let s3 = S3DestinationConfiguration::builder()
        .bucket_name("chat-logs")
        .build()
        .unwrap();
    let created = client
        .create_logging_configuration()
        .name("logs-1")
        .destination_configuration(DestinationConfiguration::S3(s3.clone()))
        .tags("team", "chat")
        .send()
        .await
        .unwrap();
    assert_eq!(
        (created.arn(), created.id(), created.name()),
        (Some(LOGCONF), Some("ABcdef34ghIJ"), Some("logs-1"))
    );
    assert_eq!(
        created.state(),
        Some(&CreateLoggingConfigurationState::Active)
    );
    assert_eq!(
        created.destination_configuration(),
        Some(&DestinationConfiguration::S3(s3))
    );
    assert_eq!(created.create_time(), Some(&DateTime::from_secs(T0)));

    let got = client
        .get_logging_configuration()
        .identifier(LOGCONF)
        .send()
        .await
        .unwrap();
    assert_eq!(got.state(), Some(&LoggingConfigurationState::Updating));
    let group = got
        .destination_configuration()
        .unwrap()
        .as_cloud_watch_logs()
        .unwrap();
    assert_eq!(group.log_group_name(), "/aws/ivschat");

    let firehose = FirehoseDestinationConfiguration::builder()
        .delivery_stream_name("chat-stream")
        .build()
        .unwrap();
    let updated = client
        .update_logging_configuration()
        .identifier(LOGCONF)
        .destination_configuration(DestinationConfiguration::Firehose(firehose))
        .send()
        .await
        .unwrap();
    assert_eq!(
        updated.state(),
        Some(&UpdateLoggingConfigurationState::Active)
    );
    assert!(updated.destination_configuration().unwrap().is_firehose());

    let listed = client
        .list_logging_configurations()
        .max_results(1)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.next_token(), Some("more"));
    assert_eq!(listed.logging_configurations().len(), 1);
    assert_eq!(
        listed.logging_configurations()[0].state(),
        Some(&LoggingConfigurationState::CreateFailed)
    );

    client
        .delete_logging_configuration()
        .identifier(LOGCONF)
        .send()
        .await
        .unwrap();

    assert_eq!(
        targets(&server),
        [
            "POST /CreateLoggingConfiguration",
            "POST /GetLoggingConfiguration",
            "POST /UpdateLoggingConfiguration",
            "POST /ListLoggingConfigurations",
            "POST /DeleteLoggingConfiguration"
        ]
    );
    let requests = server.requests();
    assert_eq!(
        requests[2].json(),
        json!({"identifier": LOGCONF, "destinationConfiguration": {"firehose": {"deliveryStreamName": "chat-stream"}}})
    );
    assert_eq!(requests[3].json(), json!({"maxResults": 1}));
}

#[tokio::test]
async fn messaging_operations() {
    let server = Server::start(vec![
        Reply::json(
            200,
            json!({"token": "ACEKAtok3n", "tokenExpirationTime": "2025-02-18T09:36:40Z",
                   "sessionExpirationTime": "2025-02-18T10:26:40Z"}),
        ),
        Reply::json(200, json!({"id": "event-1"})),
        Reply::json(200, json!({"id": "delete-1"})),
        Reply::json(200, json!({})),
    ])
    .await;
    let client = client(&server);

    let token = client
        .create_chat_token()
        .room_identifier(ROOM)
        .user_id("user-1")
        .capabilities(ChatTokenCapability::SendMessage)
        .capabilities(ChatTokenCapability::DisconnectUser)
        .session_duration_in_minutes(60)
        .attributes("displayName", "Ana")
        .send()
        .await
        .unwrap();
    assert_eq!(token.token(), Some("ACEKAtok3n"));
    assert_eq!(
        token.token_expiration_time(),
        Some(&DateTime::from_secs(T0 + 600))
    );
    assert_eq!(
        token.session_expiration_time(),
        Some(&DateTime::from_secs(T0 + 3600))
    );

    let event = client
        .send_event()
        .room_identifier(ROOM)
        .event_name("app:poll")
        .attributes("question", "Tea or coffee? ☕")
        .send()
        .await
        .unwrap();
    assert_eq!(event.id(), Some("event-1"));
    let deleted = client
        .delete_message()
        .room_identifier(ROOM)
        .id("ABCDEF123456")
        .reason("spam")
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.id(), Some("delete-1"));
    client
        .disconnect_user()
        .room_identifier(ROOM)
        .user_id("user-1")
        .reason("rude")
        .send()
        .await
        .unwrap();

    assert_eq!(
        targets(&server),
        [
            "POST /CreateChatToken",
            "POST /SendEvent",
            "POST /DeleteMessage",
            "POST /DisconnectUser"
        ]
    );
    let requests = server.requests();
    assert_eq!(
        requests[0].json(),
        json!({"roomIdentifier": ROOM, "userId": "user-1", "capabilities": ["SEND_MESSAGE", "DISCONNECT_USER"],
               "sessionDurationInMinutes": 60, "attributes": {"displayName": "Ana"}})
    );
    assert_eq!(
        requests[1].json(),
        json!({"roomIdentifier": ROOM, "eventName": "app:poll", "attributes": {"question": "Tea or coffee? ☕"}})
    );
}

#[tokio::test]
async fn tag_operations() {
    let server = Server::start(vec![
        Reply::json(200, json!({})),
        Reply::json(200, json!({})),
        Reply::json(200, json!({"tags": {"team": "chat", "env": "prod"}})),
    ])
    .await;
    let client = client(&server);

    client
        .tag_resource()
        .resource_arn(ROOM)
        .tags("team", "chat")
        .tags("a b", "c/d")
        .send()
        .await
        .unwrap();
    client
        .untag_resource()
        .resource_arn(ROOM)
        .tag_keys("team")
        .tag_keys("a b")
        .send()
        .await
        .unwrap();
    let listed = client
        .list_tags_for_resource()
        .resource_arn(ROOM)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.tags().len(), 2);
    assert_eq!(listed.tags().get("env").map(String::as_str), Some("prod"));

    assert_eq!(
        targets(&server),
        [
            format!("POST /tags/{ROOM_LABEL}"),
            format!("DELETE /tags/{ROOM_LABEL}?tagKeys=team&tagKeys=a%20b"),
            format!("GET /tags/{ROOM_LABEL}"),
        ]
    );
    let requests = server.requests();
    assert_eq!(
        requests[0].json(),
        json!({"tags": {"team": "chat", "a b": "c/d"}})
    );
    for request in &requests[1..] {
        assert_eq!(request.body, "", "{} has no body", request.method);
        assert_eq!(request.header("content-type"), None);
    }
}

#[tokio::test]
async fn create_chat_token_modelled_errors() {
    let server = Server::start(vec![
        Reply::error(
            403,
            "AccessDeniedException",
            json!({"message": "no access"}),
        ),
        Reply::error(
            403,
            "PendingVerification",
            json!({"message": "verify first"}),
        ),
        Reply::error(
            404,
            "ResourceNotFoundException",
            json!({"message": "no room", "resourceId": "g1H2I3j4k5L6", "resourceType": "ROOM"}),
        ),
        Reply::error(
            400,
            "ValidationException",
            json!({"message": "bad", "reason": "FIELD_VALIDATION_FAILED",
                   "fieldList": [{"name": "userId", "message": "too long"}]}),
        ),
    ])
    .await;
    let client = client(&server);
    let call = || {
        client
            .create_chat_token()
            .room_identifier(ROOM)
            .user_id("user-1")
            .send()
    };

    let err = call().await.unwrap_err();
    assert_eq!(err.request_id(), Some("req-AccessDeniedException"));
    assert_eq!(err.raw_response().map(|r| r.status()), Some(403));
    let err = err.into_service_error();
    assert!(err.is_access_denied_exception(), "{err:?}");
    assert_eq!(
        (err.code(), err.message()),
        (Some("AccessDeniedException"), Some("no access"))
    );
    let CreateChatTokenError::AccessDeniedException(e) = err else {
        panic!("{err:?}")
    };
    assert_eq!(e.message(), "no access");

    let err = call().await.unwrap_err().into_service_error();
    let CreateChatTokenError::PendingVerification(e) = err else {
        panic!("{err:?}")
    };
    assert_eq!(e.message(), "verify first");

    let err = call().await.unwrap_err().into_service_error();
    let CreateChatTokenError::ResourceNotFoundException(e) = err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (e.message(), e.resource_id(), e.resource_type()),
        ("no room", "g1H2I3j4k5L6", &ResourceType::Room)
    );

    let err = call().await.unwrap_err().into_service_error();
    let CreateChatTokenError::ValidationException(e) = err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (e.message(), e.reason()),
        ("bad", &ValidationExceptionReason::FieldValidationFailed)
    );
    assert_eq!(e.field_list().len(), 1);
    assert_eq!(
        (e.field_list()[0].name(), e.field_list()[0].message()),
        ("userId", "too long")
    );

    assert_eq!(
        server.requests().len(),
        4,
        "no modelled 4xx error is retried"
    );
}

#[tokio::test]
async fn create_room_modelled_errors() {
    let server = Server::start(vec![
        Reply::error(
            409,
            "ConflictException",
            json!({"message": "busy", "resourceId": "g1H2I3j4k5L6", "resourceType": "ROOM"}),
        ),
        Reply::error(403, "AccessDeniedException", json!({"message": "no access"})),
        Reply::error(
            404,
            "ResourceNotFoundException",
            json!({"message": "no logging configuration", "resourceId": "ABcdef34ghIJ", "resourceType": "ROOM"}),
        ),
        Reply::error(
            402,
            "ServiceQuotaExceededException",
            json!({"message": "too many rooms", "resourceId": "g1H2I3j4k5L6", "resourceType": "ROOM", "limit": 50}),
        ),
        Reply::error(403, "PendingVerification", json!({"message": "verify first"})),
        Reply::error(400, "ValidationException", json!({"message": "bad name", "reason": "OTHER"})),
    ])
    .await;
    let client = client(&server);
    let call = || client.create_room().name("room-1").send();

    let err = call().await.unwrap_err().into_service_error();
    let CreateRoomError::ConflictException(e) = err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (e.message(), e.resource_id(), e.resource_type()),
        ("busy", "g1H2I3j4k5L6", &ResourceType::Room)
    );

    let err = call().await.unwrap_err().into_service_error();
    assert!(err.is_access_denied_exception(), "{err:?}");
    assert_eq!(err.message(), Some("no access"));

    let err = call().await.unwrap_err().into_service_error();
    let CreateRoomError::ResourceNotFoundException(e) = err else {
        panic!("{err:?}")
    };
    assert_eq!(e.resource_id(), "ABcdef34ghIJ");

    let err = call().await.unwrap_err().into_service_error();
    let CreateRoomError::ServiceQuotaExceededException(e) = err else {
        panic!("{err:?}")
    };
    assert_eq!((e.message(), e.limit()), ("too many rooms", 50));

    let err = call().await.unwrap_err().into_service_error();
    assert!(err.is_pending_verification(), "{err:?}");

    let err = call().await.unwrap_err().into_service_error();
    let CreateRoomError::ValidationException(e) = err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (e.message(), e.reason(), e.field_list().len()),
        ("bad name", &ValidationExceptionReason::Other, 0)
    );

    assert_eq!(server.requests().len(), 6);
}

/// A modeled error that leaves out required members is still that error, its
/// members corrected as aws-sdk-ivschat's `serde_util.rs` corrects them
/// (`conflict_exception_correct_errors`: `Default` for the strings,
/// `"no value was set".parse::<ResourceType>()` for the enum), not an
/// unhandled error.
#[tokio::test]
async fn modelled_errors_missing_required_members_keep_their_type() {
    let server = Server::start(vec![
        Reply::error(409, "ConflictException", json!({"message": "busy"})),
        Reply::error(400, "ValidationException", json!({})),
    ])
    .await;
    let client = client(&server);
    let call = || client.create_room().name("room-1").send();

    let err = call().await.unwrap_err().into_service_error();
    let CreateRoomError::ConflictException(e) = err else {
        panic!("{err:?}")
    };
    assert_eq!((e.message(), e.resource_id()), ("busy", ""));
    assert_eq!(e.resource_type(), &ResourceType::from("no value was set"));
    assert_eq!(e.resource_type().as_str(), "no value was set");
    assert_eq!(
        ivschat::error::ProvideErrorMetadata::code(&e),
        Some("ConflictException")
    );

    let err = call().await.unwrap_err().into_service_error();
    let CreateRoomError::ValidationException(e) = err else {
        panic!("{err:?}")
    };
    assert_eq!(e.reason().as_str(), "no value was set");
    assert!(e.field_list().is_empty());
}

#[tokio::test]
async fn unmodelled_error_is_unhandled_with_its_details() {
    let server = Server::start(vec![Reply::error(
        400,
        "RoomLockedException",
        json!({"message": "the room is locked"}),
    )])
    .await;
    let err = client(&server)
        .create_chat_token()
        .room_identifier(ROOM)
        .user_id("user-1")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::ServiceError(_)), "{err:?}");
    let err = err.into_service_error();
    assert!(err.is_unhandled());
    assert_eq!(
        (err.code(), err.message()),
        (Some("RoomLockedException"), Some("the room is locked"))
    );
    let CreateChatTokenError::Unhandled(unhandled) = err else {
        panic!("{err:?}")
    };
    assert_eq!(unhandled.status(), Some(400));
    assert_eq!(unhandled.code(), Some("RoomLockedException"));
    assert_eq!(unhandled.message(), Some("the room is locked"));
    assert_eq!(unhandled.request_id(), Some("req-RoomLockedException"));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn unmodelled_error_keeps_the_request_id() {
    let server = Server::start(vec![Reply::json(
        418,
        json!({"message": "I'm a teapot", "__type": "ns#Teapot"}),
    )
    .header("x-amzn-requestid", "4f2a-9c1e")])
    .await;
    let err = client(&server).create_room().send().await.unwrap_err();
    assert_eq!(err.request_id(), Some("4f2a-9c1e"));
    let CreateRoomError::Unhandled(unhandled) = err.into_service_error() else {
        panic!("expected Unhandled")
    };
    assert_eq!(
        (
            unhandled.status(),
            unhandled.code(),
            unhandled.message(),
            unhandled.request_id()
        ),
        (
            Some(418),
            Some("Teapot"),
            Some("I'm a teapot"),
            Some("4f2a-9c1e")
        )
    );
}

#[tokio::test]
async fn service_unavailable_is_retried_then_succeeds() {
    let server = Server::start(vec![
        Reply::json(503, json!({"message": "try again"})),
        Reply::json(200, json!({"token": "second-time"})),
    ])
    .await;
    let out = client(&server)
        .create_chat_token()
        .room_identifier(ROOM)
        .user_id("user-1")
        .send()
        .await
        .unwrap();
    assert_eq!(out.token(), Some("second-time"));
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "one retry");
    assert_eq!(
        requests[0].body, requests[1].body,
        "the retry sends the same request"
    );
}

#[tokio::test]
async fn validation_exception_is_not_retried() {
    let server = Server::start(vec![
        Reply::error(
            400,
            "ValidationException",
            json!({"message": "bad", "reason": "OTHER"}),
        ),
        Reply::json(200, json!({"token": "must not be reached"})),
    ])
    .await;
    let client = ivschat::Client::from_conf(config(&server).max_attempts(3).build().unwrap());
    let err = client
        .create_chat_token()
        .room_identifier(ROOM)
        .user_id("user-1")
        .send()
        .await
        .unwrap_err();
    assert!(err.into_service_error().is_validation_exception());
    assert_eq!(server.requests().len(), 1, "a 400 is not retried");
}

/// A 429 whose error code is one of the operation's modelled errors is
/// retried only if the model (or the fixed list of throttling codes) says
/// so, as botocore's standard retry mode decides; SendEvent models both
/// codes used here.
#[tokio::test]
async fn too_many_requests_with_a_modelled_code_follows_the_model() {
    let send_event = |server: &Server| {
        client(server)
            .send_event()
            .room_identifier(ROOM)
            .event_name("app:poll")
            .send()
    };
    let server = Server::start(vec![
        Reply::error(429, "AccessDeniedException", json!({"message": "no"})),
        Reply::json(200, json!({"id": "must not be reached"})),
    ])
    .await;
    let err = send_event(&server).await.unwrap_err();
    assert!(err.into_service_error().is_access_denied_exception());
    assert_eq!(server.requests().len(), 1, "a modelled, non-retryable code");

    let server = Server::start(vec![
        Reply::error(429, "ThrottlingException", json!({"message": "slow down"})),
        Reply::json(200, json!({"id": "event-1"})),
    ])
    .await;
    let out = send_event(&server).await.unwrap();
    assert_eq!(out.id(), Some("event-1"));
    assert_eq!(server.requests().len(), 2, "a throttling code is retried");
}

fn room_summary(name: &str) -> serde_json::Value {
    json!({"arn": format!("arn:aws:ivschat:us-west-2:123456789012:room/{name}"), "id": name, "name": name})
}

fn three_pages() -> Vec<Reply> {
    vec![
        Reply::json(
            200,
            json!({"rooms": [room_summary("r1"), room_summary("r2")], "nextToken": "t1"}),
        ),
        Reply::json(
            200,
            json!({"rooms": [room_summary("r3")], "nextToken": "t2"}),
        ),
        Reply::json(200, json!({"rooms": [room_summary("r4")]})),
    ]
}

#[tokio::test]
async fn paginator_follows_next_tokens_across_three_pages() {
    let server = Server::start(three_pages()).await;
    let mut pages = client(&server)
        .list_rooms()
        .into_paginator()
        .page_size(2)
        .send();
    let mut names = Vec::new();
    let mut count = 0;
    while let Some(page) = pages.next().await {
        let page = page.unwrap();
        count += 1;
        names.push(
            page.rooms()
                .iter()
                .map(|r| r.name().unwrap().to_owned())
                .collect::<Vec<_>>(),
        );
    }
    assert_eq!(count, 3);
    assert_eq!(names, [vec!["r1", "r2"], vec!["r3"], vec!["r4"]]);
    let bodies: Vec<_> = server.requests().iter().map(|r| r.json()).collect();
    assert_eq!(
        bodies,
        [
            json!({"maxResults": 2}),
            json!({"nextToken": "t1", "maxResults": 2}),
            json!({"nextToken": "t2", "maxResults": 2})
        ]
    );
}

#[tokio::test]
async fn item_paginator_yields_every_room() {
    let server = Server::start(three_pages()).await;
    let rooms = client(&server)
        .list_rooms()
        .into_paginator()
        .items()
        .collect()
        .await
        .unwrap();
    let ids: Vec<_> = rooms.iter().map(|r| r.id().unwrap()).collect();
    assert_eq!(ids, ["r1", "r2", "r3", "r4"]);
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn paginator_stops_when_the_service_repeats_a_token() {
    let server = Server::start(vec![
        Reply::json(
            200,
            json!({"rooms": [room_summary("r1")], "nextToken": "same"}),
        ),
        Reply::json(
            200,
            json!({"rooms": [room_summary("r2")], "nextToken": "same"}),
        ),
        Reply::json(200, json!({"rooms": [room_summary("never")]})),
    ])
    .await;
    let mut pages = client(&server).list_rooms().into_paginator().pages();
    assert!(pages.next_page().await.unwrap().is_ok());
    match pages.next_page().await {
        Some(Err(PaginationError::RepeatedToken(token))) => assert_eq!(token, "same"),
        other => panic!("expected a repeated-token error, got {other:?}"),
    }
    assert!(
        pages.next_page().await.is_none(),
        "the paginator ends after the error"
    );
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn pagination_stream_ends_after_the_page_that_repeats_a_token() {
    // aws-sdk's stream shape: the page with the repeated token is the last.
    let server = Server::start(vec![
        Reply::json(
            200,
            json!({"rooms": [room_summary("r1")], "nextToken": "same"}),
        ),
        Reply::json(
            200,
            json!({"rooms": [room_summary("r2")], "nextToken": "same"}),
        ),
        Reply::json(200, json!({"rooms": [room_summary("never")]})),
    ])
    .await;
    let pages: Result<Vec<_>, _> = client(&server)
        .list_rooms()
        .into_paginator()
        .send()
        .collect()
        .await;
    let ids: Vec<_> = pages
        .unwrap()
        .iter()
        .flat_map(|p| p.rooms().iter().map(|r| r.id().unwrap().to_owned()))
        .collect();
    assert_eq!(ids, ["r1", "r2"]);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn pagination_stream_yields_an_error_then_ends() {
    let server = Server::start(vec![
        Reply::json(
            200,
            json!({"rooms": [room_summary("r1")], "nextToken": "t1"}),
        ),
        Reply::json(
            400,
            json!({"__type": "ValidationException", "message": "bad token", "reason": "OTHER"}),
        ),
    ])
    .await;
    let mut pages = client(&server).list_rooms().into_paginator().send();
    assert!(pages.try_next().await.unwrap().is_some());
    let err = pages.next().await.unwrap().unwrap_err();
    assert!(err.into_service_error().is_validation_exception());
    assert!(pages.next().await.is_none());
}

#[tokio::test]
async fn read_timeout_fails_each_attempt() {
    let server = Server::start(vec![
        Reply::json(200, json!({"token": "late"})).after(Duration::from_secs(3)),
        Reply::json(200, json!({"token": "late"})).after(Duration::from_secs(3)),
    ])
    .await;
    let config = config(&server)
        .read_timeout(Duration::from_millis(200))
        .max_attempts(2)
        .build()
        .unwrap();
    let started = Instant::now();
    let err = ivschat::Client::from_conf(config)
        .create_chat_token()
        .room_identifier(ROOM)
        .user_id("user-1")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(server.requests().len(), 2, "a timed-out attempt is retried");
}

#[tokio::test]
async fn operation_timeout_bounds_the_whole_call() {
    let server = Server::start(vec![
        Reply::json(200, json!({"token": "late"})).after(Duration::from_secs(3))
    ])
    .await;
    let config = config(&server)
        .operation_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = ivschat::Client::from_conf(config)
        .create_chat_token()
        .room_identifier(ROOM)
        .user_id("user-1")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
    let report = ivschat::error::DisplayErrorContext(&err).to_string();
    assert!(report.contains("operation timeout"), "{report}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn invalid_input_is_rejected_before_sending_unless_validation_is_off() {
    let server = Server::start(vec![Reply::json(200, json!({"token": "sent anyway"}))]).await;
    let call = |client: ivschat::Client| async move {
        client
            .create_chat_token()
            .room_identifier(ROOM)
            .user_id("user-1")
            .session_duration_in_minutes(0)
            .send()
            .await
    };

    let err = call(client(&server)).await.unwrap_err();
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    let report = ivschat::error::DisplayErrorContext(&err).to_string();
    assert!(report.contains("sessionDurationInMinutes"), "{report}");
    assert_eq!(server.requests().len(), 0, "nothing reaches the server");

    let unchecked = ivschat::Client::from_conf(config(&server).validation(false).build().unwrap());
    let out = call(unchecked).await.unwrap();
    assert_eq!(out.token(), Some("sent anyway"));
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].json()["sessionDurationInMinutes"], 0);
}

/// Every error in `err`'s source chain, shown with `Display` and `Debug`.
fn whole_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut shown = String::new();
    let mut next = Some(err);
    while let Some(e) = next {
        shown.push_str(&format!("{e}\n{e:?}\n"));
        next = e.source();
    }
    shown
}

#[tokio::test]
async fn a_chat_token_in_an_unparseable_response_never_shows() {
    const SECRET: &str = "AQICAHg-SECRET-CHAT-TOKEN-4fq8";
    let server = Server::start(vec![
        // A bad timestamp beside the token.
        Reply::json(
            200,
            json!({"token": SECRET, "tokenExpirationTime": "not a date",
                   "sessionExpirationTime": "2025-02-18T09:26:40Z"}),
        ),
        // A syntax error after the token.
        Reply::json(200, json!({})).body(&format!(r#"{{"token":"{SECRET}", oops}}"#)),
        // The token in an error response.
        Reply::error(500, "InternalFailure", json!({"token": SECRET})),
    ])
    .await;
    let config = config(&server).max_attempts(1).build().unwrap();
    let client = ivschat::Client::from_conf(config);
    for case in ["bad timestamp", "bad JSON", "error response"] {
        let err = client
            .create_chat_token()
            .room_identifier(ROOM)
            .user_id("user-1")
            .send()
            .await
            .unwrap_err();
        let shown = format!("{err}\n{err:?}\n{}", whole_chain(&err));
        assert!(!shown.contains("SECRET"), "{case}: {shown}");
        assert!(
            shown.contains("bytes, application/json>"),
            "{case}: {shown}"
        );
        // The bytes stay reachable on purpose.
        let raw = err.raw_response().expect("a response arrived");
        assert!(
            String::from_utf8_lossy(raw.body()).contains(SECRET),
            "{case}"
        );
    }
}

#[tokio::test]
async fn a_response_above_the_size_limit_fails_naming_the_limit() {
    let big = "x".repeat(2 * 1024 * 1024);
    let server = Server::start(vec![Reply::json(200, json!({ "token": big }))]).await;
    let config = config(&server)
        .max_response_body_size(1024 * 1024)
        .build()
        .unwrap();
    let err = ivschat::Client::from_conf(config)
        .create_chat_token()
        .room_identifier(ROOM)
        .user_id("user-1")
        .send()
        .await
        .unwrap_err();
    let shown = whole_chain(&err);
    assert!(
        shown.contains("larger than max_response_body_size (1048576 bytes)"),
        "{shown}"
    );
    assert!(shown.len() < 10_000, "the body is not in the error");
    let mut source = std::error::Error::source(&err);
    let mut too_large = None;
    while let Some(e) = source {
        if let Some(t) = e.downcast_ref::<awsrt::client::TransportError>() {
            too_large = t.response_too_large().cloned();
        }
        source = e.source();
    }
    let too_large = too_large.expect("a ResponseTooLarge in the chain");
    assert_eq!(too_large.limit(), 1024 * 1024);
    assert!(too_large.content_length().unwrap() > 2 * 1024 * 1024);
    assert_eq!(server.requests().len(), 1, "not retried");
}

/// The `TimeoutError` a failed call ended with.
fn timeout_in<E: std::fmt::Debug>(
    err: &ivschat::error::SdkError<E>,
) -> &awsrt::client::TimeoutError {
    match err {
        ivschat::error::SdkError::TimeoutError(timeout) => timeout,
        other => panic!("not a timeout: {other:?}"),
    }
}

/// Every message of `err`'s source chain, as a chain reporter prints them.
fn chain_text(err: &(dyn std::error::Error + 'static)) -> String {
    ivschat::error::DisplayErrorContext(err).to_string()
}

#[tokio::test]
async fn a_trickling_response_is_cut_off_by_stalled_stream_protection() {
    // 20 bytes per second, below the 100 B/s required over 300 ms.
    let server = Server::start(vec![
        Reply::json(200, json!({"token": "t".repeat(100)})).trickled(Duration::from_millis(50))
    ])
    .await;
    let config = config(&server)
        .stalled_stream_protection(
            ivschat::config::StalledStreamProtection::enabled()
                .with_grace_period(Duration::from_millis(300))
                .with_minimum_throughput(100),
        )
        .max_attempts(1)
        .build()
        .unwrap();
    let err = ivschat::Client::from_conf(config)
        .create_chat_token()
        .room_identifier(ROOM)
        .user_id("user-1")
        .send()
        .await
        .unwrap_err();
    let timeout = timeout_in(&err);
    assert_eq!(
        timeout.kind(),
        awsrt::client::TimeoutKind::StalledStream,
        "{timeout:?}"
    );
    let text = chain_text(&err);
    assert!(text.contains("the response body stalled"), "{text}");
}

#[tokio::test]
async fn the_attempt_timeout_bounds_each_attempt() {
    let late = || Reply::json(200, json!({"token": "late"})).after(Duration::from_secs(3));
    let server = Server::start(vec![late(), late()]).await;
    let config = config(&server)
        .operation_attempt_timeout(Duration::from_millis(200))
        .max_attempts(2)
        .build()
        .unwrap();
    let err = ivschat::Client::from_conf(config)
        .create_chat_token()
        .room_identifier(ROOM)
        .user_id("user-1")
        .send()
        .await
        .unwrap_err();
    let timeout = timeout_in(&err);
    assert_eq!(timeout.kind(), awsrt::client::TimeoutKind::OperationAttempt);
    assert_eq!(
        timeout.source().to_string(),
        "operation attempt timeout of 200ms elapsed on the last attempt"
    );
    assert_eq!(server.requests().len(), 2, "a timed-out attempt is retried");
}
