//! Creates a chat token with the generated `ivschat` crate.
//!
//! Region and credentials come from the environment (and the shared AWS
//! files), as `ivschat::Config::from_env` reads them (with the feature
//! `aws-config`: as `aws_config::load_defaults` reads them, as the SDK
//! program does); the room ARN from `IVSCHAT_ROOM_ARN`. Prints the token, or the error and exits with status 1.

use std::error::Error;

use ivschat::types::ChatTokenCapability;

#[tokio::main]
async fn main() {
    let Ok(room) = std::env::var("IVSCHAT_ROOM_ARN") else {
        eprintln!("set IVSCHAT_ROOM_ARN to the ARN of a chat room");
        std::process::exit(2);
    };
    #[cfg(feature = "aws-config")]
    let client = ivschat::Client::new(
        &aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await,
    );
    #[cfg(not(feature = "aws-config"))]
    let client = match ivschat::Config::from_env().and_then(|builder| builder.build()) {
        Ok(config) => ivschat::Client::from_conf(config),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
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
            eprint!("error: {e}");
            let mut source = e.source();
            while let Some(cause) = source {
                eprint!(": {cause}");
                source = cause.source();
            }
            eprintln!();
            std::process::exit(1);
        }
    }
}
