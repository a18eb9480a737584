//! What `ValidationError` says: every violation with its path in model member
//! names, the rule, the limit and the measured size (insta snapshots), in the
//! same order on every run, and never the value of a sensitive member.

use std::collections::HashMap;

use ivschat::operation::create_chat_token::CreateChatTokenInput;
use ivschat::operation::create_logging_configuration::CreateLoggingConfigurationInput;
use ivschat::operation::create_room::CreateRoomInput;
use ivschat::operation::delete_message::DeleteMessageInput;
use ivschat::operation::update_logging_configuration::UpdateLoggingConfigurationInput;
use ivschat::types::{DestinationConfiguration, MessageReviewHandler, S3DestinationConfiguration};

const ROOM: &str = "arn:aws:ivschat:us-west-2:123456789012:room/g1H2I3j4k5L6";
const LOGGING: &str = "arn:aws:ivschat:us-west-2:123456789012:logging-configuration/ABcdef34ghIJ";

/// One violation per line, then the whole error as `Display` prints it.
fn report(e: &ivschat::error::ValidationError) -> String {
    let mut out: Vec<String> = e.violations().iter().map(ToString::to_string).collect();
    out.push(String::new());
    out.push(e.to_string());
    out.join("\n")
}

fn bad_room() -> CreateRoomInput {
    let mut tags: HashMap<String, String> = (0..49)
        .map(|i| (format!("key{i:02}"), "v".to_string()))
        .collect();
    tags.insert("k".repeat(129), "v".into());
    tags.insert("team".into(), "x".repeat(257));
    CreateRoomInput::builder()
        .name("my room")
        .maximum_message_rate_per_second(0)
        .maximum_message_length(501)
        .message_review_handler(
            MessageReviewHandler::builder()
                .uri("arn:aws:lambda:us-west-2:123:function:f")
                .build(),
        )
        .set_tags(Some(tags))
        .logging_configuration_identifiers(LOGGING)
        .logging_configuration_identifiers(LOGGING)
        .logging_configuration_identifiers(LOGGING)
        .logging_configuration_identifiers("logging-configuration/ABcdef34ghIJ")
        .build()
        .expect("input")
}

#[test]
fn every_violation_of_a_create_room() {
    let err = bad_room().validate().expect_err("invalid");
    assert_eq!(err.type_name(), "CreateRoomInput");
    insta::assert_snapshot!(report(&err));
}

#[test]
fn the_order_is_the_same_on_every_run() {
    // Each HashMap iterates in its own random order.
    let first = bad_room().validate().expect_err("invalid").to_string();
    for _ in 0..20 {
        assert_eq!(
            bad_room().validate().expect_err("invalid").to_string(),
            first
        );
    }
}

#[test]
fn nested_members_have_dotted_paths() {
    let input = CreateLoggingConfigurationInput::builder()
        .name("logs")
        .destination_configuration(DestinationConfiguration::S3(
            S3DestinationConfiguration::builder()
                .bucket_name("ab")
                .build()
                .expect("s3"),
        ))
        .build()
        .expect("input");
    let err = input.validate().expect_err("invalid");
    insta::assert_snapshot!(report(&err));
}

#[test]
fn required_members_are_named() {
    let mut input = DeleteMessageInput::builder()
        .room_identifier(ROOM)
        .id("ABC123def456")
        .build()
        .expect("input");
    assert_eq!(input.validate(), Ok(()));
    input.room_identifier = None;
    input.id = None;
    input.reason = Some(String::new());
    insta::assert_snapshot!(report(&input.validate().expect_err("invalid")));
}

#[test]
fn a_union_with_an_unknown_member_is_refused() {
    let body = br#"{"arn": "x", "destinationConfiguration": {"kinesis": {"streamName": "s"}}}"#;
    let output = ivschat::protocol::json::deserialize_get_logging_configuration_output(body)
        .expect("parses");
    let unknown = output.destination_configuration.expect("set");
    assert!(unknown.is_unknown());
    let input = UpdateLoggingConfigurationInput::builder()
        .identifier(LOGGING)
        .destination_configuration(unknown)
        .build()
        .expect("input");
    insta::assert_snapshot!(report(&input.validate().expect_err("invalid")));
}

#[test]
fn sensitive_values_never_appear() {
    let secret_user = format!("secret-user-{}", "s".repeat(120));
    let input = CreateChatTokenInput::builder()
        .room_identifier("g1H2I3j4k5L6")
        .user_id(&secret_user)
        .session_duration_in_minutes(181)
        .attributes("secret-attribute-key", "secret-attribute-value ".repeat(50))
        .build()
        .expect("input");
    let err = input.validate().expect_err("invalid");
    let text = format!("{err} {err:?}");
    assert!(!text.contains("secret"), "{text}");
    insta::assert_snapshot!(report(&err));
}
