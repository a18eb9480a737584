//! Behaviour of the generated types: builders, getters, enums, unions,
//! redaction of sensitive members, and JSON bodies.

use std::collections::HashMap;

use ivschat::operation::create_chat_token::{CreateChatTokenInput, CreateChatTokenOutput};
use ivschat::operation::create_room::CreateRoomInput;
use ivschat::operation::list_rooms::ListRoomsOutput;
use ivschat::protocol::json;
use ivschat::types::{
    ChatTokenCapability, DestinationConfiguration, FallbackResult, MessageReviewHandler,
    S3DestinationConfiguration,
};

const ROOM: &str = "arn:aws:ivschat:us-west-2:123456789012:room/g1H2I3j4k5L6";

#[test]
fn input_builder_sets_and_appends() {
    let input = CreateChatTokenInput::builder()
        .room_identifier(ROOM)
        .user_id("user-1")
        .capabilities(ChatTokenCapability::SendMessage)
        .capabilities(ChatTokenCapability::DeleteMessage)
        .attributes("displayName", "Ana")
        .attributes("color", "red")
        .session_duration_in_minutes(30)
        .build()
        .unwrap();
    assert_eq!(input.room_identifier(), Some(ROOM));
    assert_eq!(
        input.capabilities(),
        [
            ChatTokenCapability::SendMessage,
            ChatTokenCapability::DeleteMessage
        ]
    );
    assert_eq!(input.attributes().map(HashMap::len), Some(2));
    assert_eq!(input.session_duration_in_minutes(), Some(30));
}

#[test]
fn build_names_every_missing_required_member() {
    let err = CreateChatTokenInput::builder().build().unwrap_err();
    assert_eq!(err.missing_members(), ["roomIdentifier", "userId"]);
    assert_eq!(
        err.to_string(),
        "cannot build `CreateChatTokenInput`: missing required members `roomIdentifier`, `userId`"
    );
    let err = S3DestinationConfiguration::builder().build().unwrap_err();
    assert_eq!(err.missing_members(), ["bucketName"]);
    let s3 = S3DestinationConfiguration::builder()
        .bucket_name("logs")
        .build()
        .unwrap();
    assert_eq!(
        s3.bucket_name(),
        "logs",
        "a required member of a non-input type is not optional"
    );
}

#[test]
fn shapes_without_required_members_build_infallibly() {
    let handler: MessageReviewHandler = MessageReviewHandler::builder()
        .fallback_result(FallbackResult::Deny)
        .build();
    assert_eq!(handler.fallback_result(), Some(&FallbackResult::Deny));
    assert_eq!(handler.uri(), None);
    // Operation inputs always return a Result, even with no required member.
    assert!(CreateRoomInput::builder().build().is_ok());
}

#[test]
fn enums_keep_unknown_values() {
    assert_eq!(
        ChatTokenCapability::from("SEND_MESSAGE"),
        ChatTokenCapability::SendMessage
    );
    let future = ChatTokenCapability::from("PIN_MESSAGE");
    assert!(matches!(future, ChatTokenCapability::Unknown(_)));
    assert_eq!(future.as_str(), "PIN_MESSAGE");
    assert_eq!(
        ChatTokenCapability::values(),
        ["SEND_MESSAGE", "DISCONNECT_USER", "DELETE_MESSAGE"]
    );
    assert_eq!(
        "DELETE_MESSAGE".parse::<ChatTokenCapability>().unwrap(),
        ChatTokenCapability::DeleteMessage
    );
}

#[test]
fn unions_are_enums_with_accessors() {
    let s3 = S3DestinationConfiguration::builder()
        .bucket_name("logs")
        .build()
        .unwrap();
    let dest = DestinationConfiguration::S3(s3.clone());
    assert!(dest.is_s3());
    assert_eq!(dest.as_s3().unwrap(), &s3);
    assert!(dest.as_firehose().is_err());
    assert!(!dest.is_unknown());
}

#[test]
fn debug_redacts_sensitive_members() {
    let input = CreateChatTokenInput::builder()
        .room_identifier(ROOM)
        .user_id("secret-user")
        .attributes("secret-key", "secret-value")
        .build()
        .unwrap();
    let text = format!("{input:?}");
    assert!(text.contains(ROOM), "{text}");
    assert!(!text.contains("secret"), "{text}");
    assert!(text.contains("*** Sensitive Data Redacted ***"), "{text}");
    let builder = CreateChatTokenInput::builder().user_id("secret-user");
    assert!(!format!("{builder:?}").contains("secret"));
    let out = json::deserialize_create_chat_token_output(br#"{"token": "secret-token"}"#).unwrap();
    assert_eq!(out.token(), Some("secret-token"));
    assert!(!format!("{out:?}").contains("secret-token"));
}

#[test]
fn request_bodies_use_model_names_and_only_set_members() {
    let input = CreateRoomInput::builder()
        .name("lobby")
        .maximum_message_length(200)
        .tags("team", "chat")
        .message_review_handler(
            MessageReviewHandler::builder()
                .fallback_result(FallbackResult::Allow)
                .build(),
        )
        .build()
        .unwrap();
    let body: serde_json::Value =
        serde_json::from_str(&json::serialize_create_room_input(&input)).unwrap();
    assert_eq!(
        body,
        serde_json::json!({
            "name": "lobby",
            "maximumMessageLength": 200,
            "tags": {"team": "chat"},
            "messageReviewHandler": {"fallbackResult": "ALLOW"}
        })
    );
    let empty = CreateRoomInput::builder().build().unwrap();
    assert_eq!(json::serialize_create_room_input(&empty), "{}");
}

#[test]
fn responses_parse_timestamps_unknown_fields_and_unions() {
    let body = br#"{
        "rooms": [{"arn": "arn:aws:ivschat:us-west-2:123456789012:room/abc", "createTime": "2024-01-02T03:04:05.5Z",
                   "tags": {"a": "b"}, "somethingNew": 1}],
        "nextToken": "t2"
    }"#;
    let out: ListRoomsOutput = json::deserialize_list_rooms_output(body).unwrap();
    assert_eq!(out.next_token(), Some("t2"));
    let room = &out.rooms()[0];
    assert_eq!(room.create_time().unwrap().secs(), 1_704_164_645);
    assert_eq!(room.create_time().unwrap().subsec_nanos(), 500_000_000);
    // A required list the service leaves out reads as empty (client error correction).
    let out = json::deserialize_list_rooms_output(b"{}").unwrap();
    assert!(out.rooms().is_empty());
    let err = json::deserialize_list_rooms_output(br#"{"rooms": [{"arn": 5}]}"#).unwrap_err();
    assert_eq!(
        err.to_string(),
        "expected a string, found a number at `rooms[0].arn`"
    );
}

#[test]
fn output_builders_and_getters() {
    let out = CreateChatTokenOutput::builder().token("t").build();
    assert_eq!(out.token(), Some("t"));
    assert_eq!(out.token_expiration_time(), None);
}

#[test]
fn error_display_escapes_the_service_message_whole() {
    use ivschat::types::error::AccessDeniedException;
    let long = format!("Value 'x' at \"name\" {}", "y".repeat(300));
    let err = AccessDeniedException::builder()
        .message(format!("{long}\r\n\u{1b}[2J\u{202e}"))
        .build()
        .unwrap();
    assert_eq!(
        err.to_string(),
        format!("AccessDeniedException: {long}\\r\\n\\u{{1b}}[2J\\u{{202e}}")
    );
    // The getter keeps the message as it came.
    assert!(err.message().ends_with("\u{202e}"));
}
