//! Creates a chat token with the official AWS SDK for Rust.
//!
//! Region and credentials come from the environment (and the shared AWS
//! files), as `aws_config` reads them; the room ARN from `IVSCHAT_ROOM_ARN`.
//! Prints the token, or the error and exits with status 1.

use aws_sdk_ivschat::error::DisplayErrorContext;
use aws_sdk_ivschat::types::ChatTokenCapability;

#[tokio::main]
async fn main() {
    let Ok(room) = std::env::var("IVSCHAT_ROOM_ARN") else {
        eprintln!("set IVSCHAT_ROOM_ARN to the ARN of a chat room");
        std::process::exit(2);
    };
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let client = aws_sdk_ivschat::Client::new(&config);
    let result = client
        .create_chat_token()
        .room_identifier(room)
        .user_id("user-1")
        .capabilities(ChatTokenCapability::SendMessage)
        .session_duration_in_minutes(60)
        .send()
        .await;
    match result {
        Ok(out) => println!("token: {}", out.token().unwrap_or_default()),
        Err(e) => {
            eprintln!("error: {}", DisplayErrorContext(&e));
            std::process::exit(1);
        }
    }
}
