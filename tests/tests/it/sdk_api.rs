//! The parts of aws-sdk-ivschat's API that every ported program touches,
//! through the generated crate: error metadata after `into_service_error`,
//! `?` into `ivschat::Error`, error chains, `from_conf` with a failed build,
//! and `customize()`. (tests/port checks that the same code compiles against
//! both crates; these check what it does.)

use std::error::Error as _;

use ivschat::config::{Credentials, HttpResponse, Region, TestTransport};
use ivschat::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use ivschat::operation::get_room::GetRoomError;
use ivschat::operation::RequestId;

const ROOM: &str = "arn:aws:ivschat:us-west-2:123456789012:room/g1H2I3j4k5L6";

fn client(transport: &TestTransport) -> ivschat::Client {
    ivschat::Client::from_conf(
        ivschat::Config::builder()
            .region(Region::new("us-west-2"))
            .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "test"))
            .transport(transport.clone())
            .build(),
    )
}

fn not_found() -> HttpResponse {
    HttpResponse::json(
        404,
        r#"{"message": "no such room", "resourceId": "r", "resourceType": "ROOM"}"#,
    )
    .with_header("x-amzn-ErrorType", "ResourceNotFoundException")
    .with_header("x-amzn-RequestId", "req-42")
}

/// Every message of an error's `source()` chain.
fn chain(e: &dyn std::error::Error) -> Vec<String> {
    let mut out = vec![e.to_string()];
    let mut next = e.source();
    while let Some(s) = next {
        out.push(s.to_string());
        next = s.source();
    }
    out
}

#[tokio::test]
async fn a_modeled_error_keeps_its_metadata_after_into_service_error() {
    let transport = TestTransport::new();
    transport.push_response(not_found());
    let err = client(&transport)
        .get_room()
        .identifier(ROOM)
        .send()
        .await
        .unwrap_err();
    assert_eq!(RequestId::request_id(&err), Some("req-42"));
    assert_eq!(
        ProvideErrorMetadata::code(&err),
        Some("ResourceNotFoundException")
    );
    let GetRoomError::ResourceNotFoundException(e) = err.into_service_error() else {
        panic!("expected ResourceNotFoundException")
    };
    assert_eq!(
        (e.meta().code(), e.meta().message(), e.request_id()),
        (
            Some("ResourceNotFoundException"),
            Some("no such room"),
            Some("req-42")
        )
    );
    assert_eq!(e.message(), "no such room");
}

async fn get_room(client: &ivschat::Client) -> Result<String, ivschat::Error> {
    let out = client.get_room().identifier(ROOM).send().await?;
    Ok(out.arn().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn question_mark_converts_into_the_service_error() {
    let transport = TestTransport::new();
    transport.push_response(not_found());
    let err = get_room(&client(&transport)).await.unwrap_err();
    assert!(
        matches!(&err, ivschat::Error::ResourceNotFoundException(e) if e.message() == "no such room"),
        "{err:?}"
    );
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
    assert_eq!(err.request_id(), Some("req-42"));

    // A failure without a response is `Unhandled`, with the SdkError as its source.
    let err = get_room(&client(&TestTransport::new())).await.unwrap_err();
    assert!(matches!(err, ivschat::Error::Unhandled(_)), "{err:?}");
    assert_eq!(
        err.source().map(ToString::to_string).as_deref(),
        Some("dispatch failure")
    );
}

#[tokio::test]
async fn no_message_appears_twice_in_an_error_chain() {
    let transport = TestTransport::new();
    // Missing required member: a construction failure caused by a BuildError.
    let err = client(&transport).get_room().send().await.unwrap_err();
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    let messages = chain(&err);
    assert_eq!(messages[0], "failed to construct request");
    assert!(messages.len() >= 2, "{messages:?}");
    for (i, m) in messages.iter().enumerate() {
        for later in &messages[i + 1..] {
            assert!(
                !m.contains(later.as_str()),
                "`{m}` repeats `{later}`: {messages:?}"
            );
        }
    }
    let report = DisplayErrorContext(&err).to_string();
    assert!(report.contains("identifier"), "{report}");
    // The same through the service-wide error.
    let service: ivschat::Error = err.into();
    let messages = chain(&service);
    for (i, m) in messages.iter().enumerate() {
        for later in &messages[i + 1..] {
            assert!(
                !m.contains(later.as_str()),
                "`{m}` repeats `{later}`: {messages:?}"
            );
        }
    }
    assert_eq!(transport.request_count(), 0);
}

#[tokio::test]
async fn a_client_from_a_failed_build_fails_each_call_without_panicking() {
    let transport = TestTransport::new();
    let failed = ivschat::Config::builder()
        .credentials_provider(Credentials::from_keys("AKID", "SECRET", None))
        .transport(transport.clone())
        .build();
    assert!(failed.is_err(), "no region");
    let client = ivschat::Client::from_conf(failed);
    let err = client.get_room().identifier(ROOM).send().await.unwrap_err();
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    let report = DisplayErrorContext(&err).to_string();
    assert!(report.contains("no region"), "{report}");
    // A per-call override, even one that supplies the missing region, does
    // not revive the failed config: the call fails with its error too.
    let err = client
        .get_room()
        .identifier(ROOM)
        .customize()
        .config_override(ivschat::Config::builder().region("us-west-2"))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    let report = DisplayErrorContext(&err).to_string();
    assert!(report.contains("no region"), "{report}");
    assert_eq!(transport.request_count(), 0);
}

#[tokio::test]
async fn customize_changes_the_request_and_the_config_of_one_call() {
    let transport = TestTransport::new();
    transport.push_response(HttpResponse::json(200, "{}"));
    transport.push_response(HttpResponse::json(200, "{}"));
    let client = client(&transport);
    client
        .get_room()
        .identifier(ROOM)
        .customize()
        .mutate_request(|req| {
            req.headers_mut().insert("x-trace", "abc");
        })
        .send()
        .await
        .unwrap();
    client
        .get_room()
        .identifier(ROOM)
        .customize()
        .config_override(ivschat::Config::builder().region("eu-west-1"))
        .send()
        .await
        .unwrap();
    let sent = transport.requests();
    assert_eq!(sent[0].header("x-trace"), Some("abc"));
    assert!(
        sent[0].header("authorization").unwrap().contains("x-trace"),
        "the added header is signed: {:?}",
        sent[0].header("authorization")
    );
    assert!(sent[0].uri().contains("us-west-2"), "{}", sent[0].uri());
    assert!(sent[1].uri().contains("eu-west-1"), "{}", sent[1].uri());
    assert_eq!(sent[1].header("x-trace"), None);
    assert_eq!(
        client.config().region().map(AsRef::as_ref),
        Some("us-west-2")
    );
}

#[tokio::test]
async fn a_config_override_back_to_the_default_applies_to_its_call() {
    let transport = TestTransport::new();
    for _ in 0..3 {
        transport.push_response(HttpResponse::json(200, "{}"));
    }
    let client = ivschat::Client::from_conf(
        ivschat::Config::builder()
            .region(Region::new("us-west-2"))
            .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "test"))
            .use_fips(true)
            .use_dual_stack(true)
            .transport(transport.clone())
            .build(),
    );
    let get = |config: ivschat::config::Builder| {
        client
            .get_room()
            .identifier(ROOM)
            .customize()
            .config_override(config)
            .send()
    };
    get(ivschat::Config::builder()).await.unwrap();
    get(ivschat::Config::builder().use_fips(false))
        .await
        .unwrap();
    get(ivschat::Config::builder()
        .use_fips(false)
        .use_dual_stack(false))
    .await
    .unwrap();
    let hosts: Vec<String> = transport
        .requests()
        .iter()
        .map(|r| r.header("host").unwrap_or_default().to_owned())
        .collect();
    // The hosts the service's endpoint rules give (as botocore's do).
    assert_eq!(
        hosts,
        [
            "ivschat-fips.us-west-2.api.aws",
            "ivschat.us-west-2.api.aws",
            "ivschat.us-west-2.amazonaws.com",
        ]
    );
}

#[test]
fn aws_sdk_module_paths_name_the_same_items() {
    // Each conversion compiles only if both paths name one type: code that
    // spells aws-sdk-ivschat's paths compiles against ours.
    use ivschat::{config, operation};
    let fluent: fn(
        operation::create_room::CreateRoomFluentBuilder,
    ) -> operation::create_room::builders::CreateRoomFluentBuilder = |b| b;
    let paginator: fn(
        operation::list_rooms::ListRoomsPaginator,
    ) -> operation::list_rooms::paginator::ListRoomsPaginator = |p| p;
    let request: fn(config::HttpRequest) -> config::http::HttpRequest = |r| r;
    let response: fn(config::HttpResponse) -> config::http::HttpResponse = |r| r;
    let status = response(HttpResponse::new(204)).status();
    assert_eq!(status, 204);
    let _ = (fluent, paginator, request);
}

#[tokio::test]
async fn send_with_sends_what_the_fluent_builder_sends() {
    use ivschat::operation::create_chat_token::CreateChatTokenInput;
    use ivschat::types::ChatTokenCapability;

    let transport = TestTransport::new();
    for _ in 0..2 {
        transport.push_response(HttpResponse::json(200, r#"{"token": "t-1"}"#));
    }
    let client = client(&transport);
    let out = CreateChatTokenInput::builder()
        .room_identifier(ROOM)
        .user_id("user-1")
        .capabilities(ChatTokenCapability::SendMessage)
        .send_with(&client)
        .await
        .unwrap();
    assert_eq!(out.token(), Some("t-1"));
    client
        .create_chat_token()
        .room_identifier(ROOM)
        .user_id("user-1")
        .capabilities(ChatTokenCapability::SendMessage)
        .send()
        .await
        .unwrap();
    let sent = transport.requests();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].method(), sent[1].method());
    assert_eq!(sent[0].uri(), sent[1].uri());
    assert_eq!(sent[0].body(), sent[1].body());
    let body: serde_json::Value = serde_json::from_slice(sent[0].body()).unwrap();
    assert_eq!(body["userId"], "user-1");
    assert_eq!(body["capabilities"], serde_json::json!(["SEND_MESSAGE"]));

    // A missing required member fails as `send()` does: before sending.
    let err = CreateChatTokenInput::builder()
        .user_id("user-1")
        .send_with(&client)
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    assert_eq!(transport.request_count(), 2);
}

#[test]
fn meta_pkg_version_is_the_crate_version() {
    // The oracle is the generated crate's own manifest.
    let manifest = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../generated/Cargo.toml"
    ))
    .unwrap();
    let version = manifest
        .lines()
        .find_map(|l| l.strip_prefix("version = "))
        .unwrap()
        .trim_matches('"');
    assert_eq!(ivschat::meta::PKG_VERSION, version);
}

#[tokio::test]
async fn dispatch_failures_say_what_kind_as_aws_sdk_connector_errors_do() {
    use ivschat::error::ConnectorError;

    let transport = TestTransport::new();
    transport.push_error(ConnectorError::user("header value has a line break"));
    for _ in 0..3 {
        transport.push_error(ConnectorError::io(std::io::Error::other("reset")));
    }
    let client = client(&transport);
    let get = || client.get_room().identifier(ROOM).send();

    // A user error is not retried.
    let Err(SdkError::DispatchFailure(failure)) = get().await else {
        panic!("expected a dispatch failure")
    };
    assert!(failure.is_user() && !failure.is_io() && !failure.is_timeout() && !failure.is_other());
    let connector: &ConnectorError = failure.as_connector_error().unwrap();
    assert!(connector.is_user());
    assert_eq!(transport.request_count(), 1);

    // An I/O error is, to the last attempt (3 in all).
    let Err(SdkError::DispatchFailure(failure)) = get().await else {
        panic!("expected a dispatch failure")
    };
    assert!(failure.is_io() && !failure.is_user());
    assert!(failure.as_connector_error().is_some_and(|e| e.is_io()));
    assert_eq!(transport.request_count(), 4);
}
