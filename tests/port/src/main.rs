//! A program written against aws-sdk-ivschat's API as its users write it:
//! every operation, builders, enums and unions, `DateTime`, pagination,
//! error matching on `SdkError` variants and codes, `?` into
//! `aws_sdk_ivschat::Error`, `customize()`. It compiles against our
//! generated crate (the dependency renamed, see Cargo.toml) and against the
//! real aws-sdk-ivschat (`scripts/port_against_sdk.sh`).
//!
//! Run it against an endpoint (a mock of the service, or AWS):
//! `cargo run --manifest-path tests/port/Cargo.toml -- https://ivschat.us-west-2.amazonaws.com`.
// Both crates deprecate a few things the program names on purpose.
#![allow(deprecated)]

use std::time::{Duration, SystemTime};

use aws_sdk_ivschat::config::retry::RetryConfig;
use aws_sdk_ivschat::config::timeout::TimeoutConfig;
use aws_sdk_ivschat::config::{
    BehaviorVersion, Credentials, Region, StalledStreamProtectionConfig,
};
use aws_sdk_ivschat::error::{
    ConnectorError, DisplayErrorContext, ProvideErrorMetadata, SdkError,
};
use aws_sdk_ivschat::operation::create_chat_token::CreateChatTokenError;
use aws_sdk_ivschat::operation::get_room::GetRoomError;
use aws_sdk_ivschat::operation::list_rooms::ListRoomsInput;
use aws_sdk_ivschat::operation::RequestId;
use aws_sdk_ivschat::primitives::{Blob, DateTime, DateTimeFormat};
use aws_sdk_ivschat::types::{
    ChatTokenCapability, CloudWatchLogsDestinationConfiguration, CreateLoggingConfigurationState,
    DestinationConfiguration, FallbackResult, FirehoseDestinationConfiguration,
    LoggingConfigurationState, MessageReviewHandler, RoomSummary, S3DestinationConfiguration,
    UpdateLoggingConfigurationState,
};
use aws_sdk_ivschat::{Client, Config, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let endpoint = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "http://127.0.0.1:8080".to_owned());
    let client = client(&endpoint);
    let result = tour(&client).await;
    if let Err(e) = &result {
        eprintln!("failed: {}", DisplayErrorContext(e));
    }
    result
}

/// A client configured as SDK users do it by hand.
fn client(endpoint: &str) -> Client {
    let config = Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-west-2"))
        .credentials_provider(Credentials::new("AKIDEXAMPLE", "SECRET", None, None, "port"))
        .endpoint_url(endpoint)
        .retry_config(RetryConfig::standard().with_max_attempts(5))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(3))
                .operation_timeout(Duration::from_secs(30))
                .build(),
        )
        .stalled_stream_protection(
            StalledStreamProtectionConfig::enabled()
                .grace_period(Duration::from_secs(5))
                .build(),
        )
        .build();
    let client = Client::from_conf(config);
    println!("aws-sdk-ivschat {}", aws_sdk_ivschat::meta::PKG_VERSION);
    let config = client.config();
    let timeouts: Option<&TimeoutConfig> = config.timeout_config();
    println!(
        "region {:?}, operation timeout {:?}, stalled-stream protection {:?}",
        config.region().map(|r| r.as_ref()),
        timeouts.and_then(|t| t.operation_timeout()),
        config.stalled_stream_protection().map(|s| s.is_enabled()),
    );
    client
}

/// A client from the environment, through aws-config.
#[cfg(feature = "sdk-config")]
#[allow(dead_code)]
async fn client_from_env() -> Client {
    let sdk_config = aws_config::load_from_env().await;
    // aws-config's Region, and the SdkConfig's own, go to the builder as they are.
    let _west = Config::builder().region(aws_config::Region::new("us-west-2"));
    let _same = Config::builder().region(sdk_config.region().cloned());
    let _none = Config::builder().region(None);
    Client::new(&sdk_config)
}

async fn tour(client: &Client) -> Result<(), Error> {
    let logging = logging_configurations(client).await?;
    let room_arn = rooms(client, &logging).await?;
    chat(client, &room_arn).await?;
    pages(client).await?;
    tags(client, &room_arn).await?;
    errors(client, &room_arn).await;
    dates()?;
    client.delete_room().identifier(&room_arn).send().await?;
    client
        .delete_logging_configuration()
        .identifier(&logging)
        .send()
        .await?;
    Ok(())
}

async fn logging_configurations(client: &Client) -> Result<String, Error> {
    let s3 = S3DestinationConfiguration::builder()
        .bucket_name("chat-logs")
        .build()?;
    let created = client
        .create_logging_configuration()
        .name("port")
        .destination_configuration(DestinationConfiguration::S3(s3))
        .tags("team", "chat")
        .send()
        .await?;
    let arn = created.arn().unwrap_or_default().to_owned();
    match created.state() {
        Some(CreateLoggingConfigurationState::Active) => println!("logging {arn} is active"),
        Some(other) => println!("logging {arn} is {}", other.as_str()),
        None => println!("logging {arn}"),
    }

    let fetched = client
        .get_logging_configuration()
        .identifier(&arn)
        .send()
        .await?;
    match fetched.destination_configuration() {
        Some(DestinationConfiguration::S3(s3)) => println!("to bucket {}", s3.bucket_name()),
        Some(DestinationConfiguration::CloudWatchLogs(c)) => {
            println!("to log group {}", c.log_group_name())
        }
        Some(DestinationConfiguration::Firehose(f)) => {
            println!("to stream {}", f.delivery_stream_name())
        }
        Some(other) => println!("to a destination this version does not know: {other:?}"),
        None => {}
    }
    if let Some(LoggingConfigurationState::Active) = fetched.state() {
        println!("still active");
    }

    let cloudwatch = CloudWatchLogsDestinationConfiguration::builder()
        .log_group_name("chat")
        .build()?;
    let _firehose = FirehoseDestinationConfiguration::builder()
        .delivery_stream_name("chat")
        .build()?;
    let updated = client
        .update_logging_configuration()
        .identifier(&arn)
        .name("port-updated")
        .destination_configuration(DestinationConfiguration::CloudWatchLogs(cloudwatch))
        .send()
        .await?;
    if updated.state() == Some(&UpdateLoggingConfigurationState::Active) {
        println!("updated");
    }
    Ok(arn)
}

async fn rooms(client: &Client, logging: &str) -> Result<String, Error> {
    let handler = MessageReviewHandler::builder()
        .uri("arn:aws:lambda:us-west-2:123456789012:function:review")
        .fallback_result(FallbackResult::Allow)
        .build();
    let created = client
        .create_room()
        .name("port-room")
        .maximum_message_rate_per_second(10)
        .maximum_message_length(500)
        .message_review_handler(handler.clone())
        .tags("team", "chat")
        .logging_configuration_identifiers(logging)
        .send()
        .await?;
    let arn = created.arn().unwrap_or_default().to_owned();
    if let Some(created_at) = created.create_time() {
        println!("room {arn} created at {created_at}");
    }

    let room = client.get_room().identifier(&arn).send().await?;
    println!(
        "{:?} allows {:?} characters, reviewed by {:?}",
        room.name(),
        room.maximum_message_length(),
        room.message_review_handler().and_then(|h| h.uri())
    );

    client
        .update_room()
        .identifier(&arn)
        .name("port-room-renamed")
        .maximum_message_length(1000)
        .message_review_handler(handler)
        .logging_configuration_identifiers(logging)
        .send()
        .await?;
    Ok(arn)
}

async fn chat(client: &Client, room: &str) -> Result<(), Error> {
    let token = client
        .create_chat_token()
        .room_identifier(room)
        .user_id("user-1")
        .capabilities(ChatTokenCapability::SendMessage)
        .capabilities(ChatTokenCapability::from("DISCONNECT_USER"))
        .session_duration_in_minutes(30)
        .attributes("displayName", "Ana")
        .customize()
        .mutate_request(|req| {
            req.headers_mut().insert("x-port-trace", "1");
        })
        .send()
        .await?;
    println!(
        "token expires at {:?}, session at {:?}",
        token.token_expiration_time(),
        token.session_expiration_time()
    );

    let event = client
        .send_event()
        .room_identifier(room)
        .event_name("app:refresh")
        .attributes("reason", "port")
        .send()
        .await?;
    println!("event {:?}", event.id());

    let deleted = client
        .delete_message()
        .room_identifier(room)
        .id("message-1")
        .reason("spam")
        .send()
        .await?;
    println!("deleted message event {:?}", deleted.id());

    client
        .disconnect_user()
        .room_identifier(room)
        .user_id("user-1")
        .reason("spam")
        .send()
        .await?;
    Ok(())
}

async fn pages(client: &Client) -> Result<(), Error> {
    let mut rooms = client
        .list_rooms()
        .name("port-room-renamed")
        .into_paginator()
        .page_size(10)
        .send();
    while let Some(page) = rooms.next().await {
        for room in page?.rooms() {
            print_room(room);
        }
    }

    let all = client
        .list_logging_configurations()
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await?;
    let count: usize = all.iter().map(|p| p.logging_configurations().len()).sum();
    println!("{count} logging configurations");

    let one_page = client.list_rooms().max_results(5).send().await?;
    // An input built first, then sent with a client.
    let from_input = ListRoomsInput::builder()
        .max_results(5)
        .send_with(client)
        .await?;
    println!("rooms on the first page: {}", from_input.rooms().len());
    println!("next token: {:?}", one_page.next_token());
    Ok(())
}

fn print_room(room: &RoomSummary) {
    println!(
        "{} {:?} updated {:?}",
        room.arn().unwrap_or_default(),
        room.name(),
        room.update_time().map(|t| t.secs())
    );
}

async fn tags(client: &Client, arn: &str) -> Result<(), Error> {
    client
        .tag_resource()
        .resource_arn(arn)
        .tags("stage", "test")
        .send()
        .await?;
    let listed = client
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await?;
    println!("tags: {:?}", listed.tags());
    client
        .untag_resource()
        .resource_arn(arn)
        .tag_keys("stage")
        .send()
        .await?;
    Ok(())
}

/// Errors matched the ways SDK users match them.
async fn errors(client: &Client, room: &str) {
    match client.get_room().identifier("not-a-room").send().await {
        Ok(_) => println!("found"),
        Err(SdkError::ServiceError(context)) => {
            let raw_status = format!("{:?}", context.raw().status());
            match context.err() {
                GetRoomError::ResourceNotFoundException(e) => {
                    println!("not found: {} (status {raw_status})", e.message())
                }
                GetRoomError::AccessDeniedException(e) => println!("denied: {e}"),
                GetRoomError::ValidationException(e) => {
                    println!("invalid: {:?} {:?}", e.reason(), e.field_list())
                }
                other => println!("{:?}: {:?}", other.code(), other.message()),
            }
        }
        Err(SdkError::TimeoutError(_)) => println!("timed out"),
        Err(SdkError::DispatchFailure(failure)) => {
            let connector: Option<&ConnectorError> = failure.as_connector_error();
            println!(
                "not sent (invalid request: {}, io: {}, other: {}): {failure:?}",
                failure.is_user(),
                connector.is_some_and(|e| e.is_io() || e.is_timeout()),
                connector.is_some_and(|e| e.is_other() && !e.is_user()),
            )
        }
        Err(SdkError::ConstructionFailure(_)) => println!("bad request"),
        Err(other) => println!("{}", DisplayErrorContext(&other)),
    }

    let result = client
        .create_chat_token()
        .room_identifier(room)
        .user_id("user-1")
        .send()
        .await;
    if let Err(err) = result {
        println!("request id {:?}, code {:?}", err.request_id(), err.code());
        let service_error: CreateChatTokenError = err.into_service_error();
        if service_error.is_resource_not_found_exception() {
            println!("room gone");
        } else if let Some(code) = service_error.code() {
            println!("{code}: {:?}", service_error.message());
        }
        println!("{:?} {:?}", service_error.meta().code(), service_error.request_id());
    }

    // Naming the error type with one parameter, as ported code does.
    let named: Result<(), SdkError<GetRoomError>> = Ok(());
    if let Err(e) = named {
        println!("{e}");
    }
}

fn dates() -> Result<(), Error> {
    let t = DateTime::from_secs(1_700_000_000);
    let later = DateTime::from_secs_and_nanos(t.secs() + 60, 500_000_000);
    println!(
        "{} {} {} {}",
        t.fmt(DateTimeFormat::DateTime).unwrap_or_default(),
        t.fmt(DateTimeFormat::HttpDate).unwrap_or_default(),
        later.fmt(DateTimeFormat::EpochSeconds).unwrap_or_default(),
        later.as_secs_f64()
    );
    let parsed = DateTime::from_str("2023-11-14T22:13:20Z", DateTimeFormat::DateTime);
    println!("{:?} {}", parsed.map(|p| p == t), later.subsec_nanos());
    let now = DateTime::from(SystemTime::now());
    let back = SystemTime::try_from(now).ok();
    println!("{:?} {:?}", back, DateTime::from_millis(1_700_000_000_123).to_millis().ok());
    let half = DateTime::from_fractional_secs(1_700_000_000, 0.5);
    // A header's list of timestamps, read one at a time.
    if let Ok((first, rest)) = DateTime::read(
        "2023-11-14T22:13:20Z,2023-11-14T23:13:20+01:00",
        DateTimeFormat::DateTime,
        ',',
    ) {
        let second = DateTime::read(rest, DateTimeFormat::DateTimeWithOffset, ',');
        println!("{} {first} {:?}", half.subsec_nanos(), second.map(|(t, _)| t == first));
    }
    let blob = Blob::new(b"bytes".to_vec());
    println!("{} {}", blob.as_ref().len(), blob.into_inner().len());
    Ok(())
}
