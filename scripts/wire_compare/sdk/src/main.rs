//! `wire-compare-sdk <endpoint-url> <token|room> <calls>`: the same calls
//! and checks as wire-compare-ours, with aws-sdk-ivschat (its default
//! hyper/rustls client, standard retries), and the same output line.
//! Credentials are fixed fake ones; only <endpoint-url> is contacted. The
//! runtime is chosen as wire-compare-ours's (`RUNTIME`).

use std::time::{Duration, Instant};

use aws_sdk_ivschat::config::timeout::TimeoutConfig;
use aws_sdk_ivschat::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_ivschat::types::ChatTokenCapability;

const ROOM: &str = "arn:aws:ivschat:us-west-2:123456789012:room/g1H2I3j4k5L6";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(url), Some(op), Some(Ok(calls))) = (
        args.get(1),
        args.get(2),
        args.get(3).map(|n| n.parse::<u32>()),
    ) else {
        eprintln!("usage: wire-compare-sdk <endpoint-url> <token|room> <calls>");
        std::process::exit(2);
    };
    let (rt, spawned) = runtime();
    let token = op == "token";
    let url = url.clone();
    let calls_made = async move {
        let config = aws_sdk_ivschat::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-west-2"))
            .credentials_provider(Credentials::new(
                "AKIDEXAMPLE",
                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                None,
                None,
                "static",
            ))
            .endpoint_url(url.as_str())
            .timeout_config(
                TimeoutConfig::builder()
                    .read_timeout(Duration::from_secs(5))
                    .build(),
            )
            .build();
        let client = aws_sdk_ivschat::Client::from_conf(config);
        call(&client, token).await;
        let start = Instant::now();
        for _ in 0..calls {
            call(&client, token).await;
        }
        start
    };
    let start = rt.block_on(async {
        if spawned {
            tokio::spawn(calls_made).await.expect("the calls' task")
        } else {
            calls_made.await
        }
    });
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "calls={calls} seconds={seconds:.4} calls_per_s={:.1} mean_us={:.2}",
        f64::from(calls) / seconds,
        seconds * 1e6 / f64::from(calls)
    );
}

/// The runtime `#[tokio::main]` builds (multi-thread, a worker per CPU; the
/// calls run in `block_on`, on the main thread), or with
/// `RUNTIME=current_thread` the single-threaded one; with `RUNTIME=spawned`
/// the multi-thread one, the calls made in a spawned task (on a worker, as
/// in a server's request handler). Returns whether to spawn.
fn runtime() -> (tokio::runtime::Runtime, bool) {
    let flavour = std::env::var("RUNTIME").unwrap_or_default();
    let mut builder = match flavour.as_str() {
        "current_thread" => tokio::runtime::Builder::new_current_thread(),
        _ => tokio::runtime::Builder::new_multi_thread(),
    };
    let rt = builder.enable_all().build().expect("runtime");
    (rt, flavour == "spawned")
}

async fn call(client: &aws_sdk_ivschat::Client, token: bool) {
    if token {
        let out = client
            .create_chat_token()
            .room_identifier(ROOM)
            .user_id("user-1")
            .capabilities(ChatTokenCapability::SendMessage)
            .session_duration_in_minutes(60)
            .attributes("displayName", "Ana")
            .send()
            .await
            .expect("CreateChatToken");
        assert_eq!(out.token(), Some("ACEKAtok3n"));
        assert!(out.token_expiration_time().is_some());
    } else {
        let out = client
            .create_room()
            .name("room-1")
            .maximum_message_rate_per_second(10)
            .maximum_message_length(500)
            .tags("team", "chat")
            .tags("env", "prod")
            .tags("owner", "ana")
            .send()
            .await
            .expect("CreateRoom");
        assert_eq!(out.id(), Some("g1H2I3j4k5L6"));
        assert_eq!(out.tags().map(|t| t.len()), Some(3));
    }
}
