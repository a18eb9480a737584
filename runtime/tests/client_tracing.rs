//! Every call emits an `awsrt.call` span (service, operation, attempts,
//! status) with one `attempt` span per attempt, and no secret ever reaches a
//! trace, even at TRACE level (which includes aws-sigv4's own traces).
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
        self.events
            .lock()
            .unwrap()
            .push(format!("{} {:?}", event.metadata().target(), fields.0));
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
