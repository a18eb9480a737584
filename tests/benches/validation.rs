//! Validation next to JSON serialization of the same requests: a
//! CreateChatToken with 1024 bytes of attributes (the documented limit) and a
//! CreateRoom with 50 tags (the limit) and every other member set.
//!
//! Target: validating costs less than a tenth of serializing.
//!
//! ```sh
//! cargo bench -p tests --bench validation
//! ```

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use ivschat::operation::create_chat_token::CreateChatTokenInput;
use ivschat::operation::create_room::CreateRoomInput;
use ivschat::protocol::json::{serialize_create_chat_token_input, serialize_create_room_input};
use ivschat::types::{ChatTokenCapability, FallbackResult, MessageReviewHandler};

const ROOM: &str = "arn:aws:ivschat:us-west-2:123456789012:room/g1H2I3j4k5L6";
const LOGGING: &str = "arn:aws:ivschat:us-west-2:123456789012:logging-configuration/ABcdef34ghIJ";

/// 16 attributes of 8-byte keys and 56-byte values (`€` is 3 bytes): 1024 bytes.
fn chat_token() -> CreateChatTokenInput {
    let mut b = CreateChatTokenInput::builder()
        .room_identifier(ROOM)
        .user_id("user-1234")
        .capabilities(ChatTokenCapability::SendMessage)
        .capabilities(ChatTokenCapability::DisconnectUser)
        .session_duration_in_minutes(60);
    for i in 0..16 {
        b = b.attributes(format!("attr{i:04}"), "€x".repeat(14));
    }
    let input = b.build().expect("input");
    let total: usize = input
        .attributes()
        .expect("attributes")
        .iter()
        .map(|(k, v)| k.len() + v.len())
        .sum();
    assert_eq!(total, 1024);
    input
}

/// 50 tags and every other member set.
fn room() -> CreateRoomInput {
    let mut b = CreateRoomInput::builder()
        .name("benchmark-room")
        .maximum_message_rate_per_second(10)
        .maximum_message_length(500)
        .message_review_handler(
            MessageReviewHandler::builder()
                .uri("arn:aws:lambda:us-west-2:123456789012:function:review-messages:live")
                .fallback_result(FallbackResult::Allow)
                .build(),
        )
        .logging_configuration_identifiers(LOGGING);
    for i in 0..50 {
        b = b.tags(format!("team-{i:02}"), format!("value of tag {i}"));
    }
    b.build().expect("input")
}

fn bench(c: &mut Criterion) {
    let token = chat_token();
    assert_eq!(token.validate(), Ok(()));
    let mut g = c.benchmark_group("CreateChatToken, 1024 bytes of attributes");
    g.bench_function("validate", |b| b.iter(|| black_box(&token).validate()));
    g.bench_function("serialize", |b| {
        b.iter(|| serialize_create_chat_token_input(black_box(&token)))
    });
    g.finish();

    let room = room();
    assert_eq!(room.validate(), Ok(()));
    let mut g = c.benchmark_group("CreateRoom, 50 tags");
    g.bench_function("validate", |b| b.iter(|| black_box(&room).validate()));
    g.bench_function("serialize", |b| {
        b.iter(|| serialize_create_room_input(black_box(&room)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
