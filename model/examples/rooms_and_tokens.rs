//! Create a room, issue a chat token for it, list rooms, and delete the room
//! (also when a step in between fails).
//!
//! ```sh
//! # against AWS (credentials and region from the environment or ~/.aws):
//! cargo run -p ivschat --example rooms_and_tokens
//! # against any endpoint, e.g. a local mock of the service:
//! cargo run -p ivschat --example rooms_and_tokens -- http://127.0.0.1:8080
//! ```
//!
//! This file is copied from `model/examples/` by the generator; edit it there.

use ivschat::types::ChatTokenCapability;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut config = ivschat::Config::from_env()?;
    if let Some(endpoint) = std::env::args().nth(1) {
        config = config.endpoint_url(endpoint);
    }
    let client = ivschat::Client::from_conf(config.build()?);

    let room = client
        .create_room()
        .name("example-room")
        .maximum_message_length(500)
        .tags("created-by", "ivschat-example")
        .send()
        .await?;
    let room_arn = room.arn().unwrap_or_default();
    println!("created room {room_arn}");

    // Whatever happens next, the room is deleted before returning.
    let result = tokens_and_rooms(&client, room_arn).await;
    let deleted = client.delete_room().identifier(room_arn).send().await;
    match &deleted {
        Ok(_) => println!("deleted room {room_arn}"),
        Err(e) => eprintln!(
            "could not delete room {room_arn}: {}",
            ivschat::error::DisplayErrorContext(e)
        ),
    }
    result?;
    deleted?;
    Ok(())
}

/// Issues a token for the room and lists rooms.
async fn tokens_and_rooms(client: &ivschat::Client, room_arn: &str) -> Result<(), ivschat::Error> {
    let token = client
        .create_chat_token()
        .room_identifier(room_arn)
        .user_id("example-user")
        .capabilities(ChatTokenCapability::SendMessage)
        .attributes("displayName", "Example User")
        .session_duration_in_minutes(30)
        .send()
        .await?;
    println!(
        "issued a token that expires at {}",
        token
            .token_expiration_time()
            .map(|t| t.to_string())
            .unwrap_or_default()
    );

    let mut pages = client.list_rooms().into_paginator().page_size(10).send();
    while let Some(page) = pages.next().await {
        for summary in page?.rooms() {
            println!(
                "room {} ({})",
                summary.arn().unwrap_or_default(),
                summary.name().unwrap_or_default()
            );
        }
    }
    Ok(())
}
