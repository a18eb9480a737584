//! Every call emits an `awsrt.call` span (service, operation, attempts,
//! status) with one `attempt` span per attempt, and no secret ever reaches a
//! trace, even at TRACE level (which includes aws-sigv4's own traces).
//! Settings aws-config ignores with a warning are ignored with one here.
//!
//! A binary of its own (not a module of `it`): tracing caches per callsite
//! whether any subscriber wants it, and tests sending calls on other threads
//! with no subscriber could cache the `attempt` span as never wanted while
//! this test's subscriber is being set up (it then saw no attempt spans,
//! about half the time).

// Only part of it: this test sends with `Runtime::send`.
#[allow(dead_code)]
#[path = "it/common/mod.rs"]
mod common;
#[path = "it/loopback/mod.rs"]
mod loopback;

use common::IVSCHAT;
use std::fmt::Debug;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use awsrt::client::{
    Config, Credentials, HttpRequest, HttpResponse, Method, RetryConfig, Runtime, TestTransport,
};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "SESSIONTOKENVALUE123";

/// A span's name and the fields recorded on it.
type SpanRecord = (String, Vec<(String, String)>);

/// Records spans (name and fields, by id) and events as text.
#[derive(Default, Clone)]
struct Recorder {
    spans: Arc<Mutex<Vec<SpanRecord>>>,
    events: Arc<Mutex<Vec<String>>>,
}

#[derive(Default)]
struct Fields(Vec<(String, String)>);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut fields = Fields::default();
        span.record(&mut fields);
        let mut spans = self.spans.lock().unwrap();
        spans.push((span.metadata().name().to_owned(), fields.0));
        Id::from_u64(spans.len() as u64)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut fields = Fields::default();
        values.record(&mut fields);
        let index = usize::try_from(span.into_u64()).unwrap() - 1;
        self.spans.lock().unwrap()[index].1.extend(fields.0);
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let meta = event.metadata();
        self.events.lock().unwrap().push(format!(
            "{} {} {:?}",
            meta.level(),
            meta.target(),
            fields.0
        ));
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .rev()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

#[test]
fn spans_describe_the_call_and_hide_secrets() {
    let recorder = Recorder::default();
    let transport = TestTransport::new();
    transport
        .push_response(HttpResponse::new(503))
        .push_response(HttpResponse::json(200, "{}"));
    let config = Config::builder()
        .region("us-west-2")
        .credentials(Credentials::from_keys(
            "AKIDEXAMPLE",
            SECRET,
            Some(TOKEN.to_owned()),
        ))
        .retry_config(RetryConfig::standard().with_initial_backoff(Duration::ZERO))
        .transport(transport.clone())
        .build()
        .unwrap();
    let runtime = Runtime::new(config, &IVSCHAT);
    let op = common::op("CreateRoom");
    tracing::subscriber::with_default(recorder.clone(), || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        rt.block_on(async {
            let mut req = HttpRequest::new(Method::Post, "/CreateRoom");
            req.set_body(&b"{}"[..], "application/json");
            assert_eq!(runtime.send(req, &op).await.unwrap().status(), 200);
        });
    });

    let spans = recorder.spans.lock().unwrap().clone();
    let calls: Vec<_> = spans
        .iter()
        .filter(|(name, _)| name == "awsrt.call")
        .collect();
    assert_eq!(calls.len(), 1, "{spans:?}");
    let call = &calls[0].1;
    assert_eq!(field(call, "service"), Some("ivschat"));
    assert_eq!(field(call, "operation"), Some("CreateRoom"));
    assert_eq!(field(call, "attempts"), Some("2"));
    assert_eq!(field(call, "status"), Some("200"));
    let attempts: Vec<_> = spans
        .iter()
        .filter(|(name, _)| name == "attempt")
        .map(|(_, f)| field(f, "number"))
        .collect();
    assert_eq!(attempts, [Some("1"), Some("2")]);

    let events = recorder.events.lock().unwrap().clone();
    assert!(events.iter().any(|e| e.contains("retrying")), "{events:?}");
    assert!(
        events.iter().any(|e| e.contains("aws_sigv4")),
        "expected aws-sigv4's TRACE events: {events:?}"
    );
    let everything = format!("{spans:?} {events:?}");
    assert!(
        !everything.contains(SECRET),
        "the secret key leaked into traces"
    );
    assert!(
        !everything.contains(TOKEN),
        "the session token leaked into traces"
    );
    let sent = transport.requests();
    assert_eq!(sent[0].header("x-amz-security-token"), Some(TOKEN));
    assert!(
        !format!("{sent:?}").contains(TOKEN),
        "Debug of a request shows the token"
    );
}

/// The warnings aws-config gives where it ignores a setting or keeps
/// serving credentials: an unreadable shared file (aws-runtime
/// env_config/source.rs), an invalid app id (default_provider/app_name.rs),
/// and IMDS credentials past their expiry (imds/credentials.rs, whose
/// words the warning keeps).
#[test]
fn ignored_settings_and_stale_imds_credentials_are_warned_about() {
    use awsrt::client::credentials::imds::ImdsCredentialsProvider;
    use awsrt::client::{Env, FixedTime, ProviderConfig};
    use loopback::{Answer, Server};

    let recorder = Recorder::default();
    let dir = std::env::temp_dir().join(format!("awsrt-tracing-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("config")).unwrap();
    let config_path = dir.join("config").display().to_string();
    let none = dir.join("none").display().to_string();
    tracing::subscriber::with_default(recorder.clone(), || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let config = Config::from_env_in(&Env::from_slice(&[
                ("AWS_CONFIG_FILE", &config_path),
                ("AWS_SHARED_CREDENTIALS_FILE", &none),
                ("AWS_SDK_UA_APP_ID", "my app"),
                ("AWS_REGION", "us-west-2"),
            ]))
            .unwrap()
            .transport(TestTransport::new())
            .build()
            .unwrap();
            assert!(config.app_name().is_none());

            let server = Server::start(|s| match (s.method.as_str(), s.path.as_str()) {
                ("PUT", _) => Answer::new(200, "T1"),
                (_, "/latest/meta-data/iam/security-credentials/") => Answer::new(200, "role"),
                _ => Answer::new(
                    200,
                    r#"{"Code": "Success", "AccessKeyId": "AKID", "SecretAccessKey": "s",
                        "Token": "t", "Expiration": "2023-11-14T21:00:00Z"}"#,
                ),
            })
            .await;
            let provider = ImdsCredentialsProvider::new(
                ProviderConfig::new()
                    .with_env(Env::from_slice(&[
                        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url),
                        ("AWS_CONFIG_FILE", &none),
                    ]))
                    .with_time_source(std::sync::Arc::new(FixedTime::from_unix_secs(
                        1_700_000_000,
                    ))),
            );
            provider.load().await.unwrap();
        });
    });
    std::fs::remove_dir_all(&dir).unwrap();
    let events = recorder.events.lock().unwrap().clone();
    let warned = |what: &str| {
        events
            .iter()
            .any(|e| e.starts_with("WARN ") && e.contains(what))
    };
    // The path is shown through the escaping helper, which cuts it after
    // 64 characters.
    let shown_path: String = config_path.chars().take(60).collect();
    assert!(
        warned("cannot read the shared file") && warned(&shown_path),
        "the unreadable file: {events:?}"
    );
    assert!(warned("invalid app name AWS_SDK_UA_APP_ID"), "{events:?}");
    assert!(
        warned(
            "Attempting credential expiration extension due to a credential service \
             availability issue. A refresh of these credentials will be attempted again \
             within the next"
        ),
        "{events:?}"
    );
}
