//! Configuration from the real process environment and shared files.
//!
//! One test only: it changes environment variables, which other tests in the
//! same process must not see half-changed.

#[path = "it/loopback/mod.rs"]
mod loopback;

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use awsrt::client::{Config, TestTransport};

fn clear() {
    for var in [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_PROFILE",
        "AWS_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE",
        "AWS_ENDPOINT_URL",
        "AWS_USE_FIPS_ENDPOINT",
        "AWS_USE_DUALSTACK_ENDPOINT",
        "AWS_MAX_ATTEMPTS",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "HTTP_PROXY",
    ] {
        std::env::remove_var(var);
    }
}

async fn access_key(config: &Config) -> String {
    config
        .credentials_provider()
        .provide_credentials()
        .await
        .unwrap()
        .access_key_id()
        .to_owned()
}

#[tokio::test]
async fn credentials_and_profiles_from_the_environment() {
    clear();
    let dir = std::env::temp_dir().join(format!("awsrt-client-env-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let none = dir.join("absent");
    std::env::set_var("AWS_CONFIG_FILE", &none);
    std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", &none);

    let err = Config::builder()
        .region("us-west-2")
        .credentials_from_env()
        .unwrap_err();
    assert_eq!(
        chain(&err),
        "no credentials: environment variable AWS_ACCESS_KEY_ID is not set"
    );
    std::env::set_var("AWS_ACCESS_KEY_ID", "AKIDENV");
    let err = Config::builder()
        .region("us-west-2")
        .credentials_from_env()
        .unwrap_err();
    assert_eq!(
        chain(&err),
        "no credentials: environment variable AWS_SECRET_ACCESS_KEY is not set"
    );
    std::env::set_var("AWS_SECRET_ACCESS_KEY", "SECRETENV");
    std::env::set_var("AWS_SESSION_TOKEN", "TOKENENV");
    let config = Config::builder()
        .region("us-west-2")
        .credentials_from_env()
        .unwrap()
        .transport(TestTransport::new())
        .build()
        .unwrap();
    let shown = format!("{config:?}");
    assert!(
        shown.contains("AKIDENV") && !shown.contains("SECRETENV") && !shown.contains("TOKENENV"),
        "{shown}"
    );

    // Region from the environment, credentials from the environment.
    std::env::set_var("AWS_REGION", "eu-north-1");
    let config = Config::from_env()
        .unwrap()
        .transport(TestTransport::new())
        .build()
        .unwrap();
    assert_eq!(config.region().map(AsRef::as_ref), Some("eu-north-1"));
    assert_eq!(access_key(&config).await, "AKIDENV");

    // Everything from the shared files, profile chosen by AWS_PROFILE.
    clear();
    let config_file = dir.join("config");
    let credentials_file = dir.join("credentials");
    writeln!(
        std::fs::File::create(&config_file).unwrap(),
        "[profile work]\nregion = ca-central-1"
    )
    .unwrap();
    writeln!(
        std::fs::File::create(&credentials_file).unwrap(),
        "[work]\naws_access_key_id = AKIDWORK\naws_secret_access_key = SECRETWORK"
    )
    .unwrap();
    std::env::set_var("AWS_CONFIG_FILE", &config_file);
    std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", &credentials_file);
    std::env::set_var("AWS_PROFILE", "work");
    let config = Config::from_env()
        .unwrap()
        .transport(TestTransport::new())
        .build()
        .unwrap();
    assert_eq!(config.region().map(AsRef::as_ref), Some("ca-central-1"));
    // The default chain resolves at the first call: the profile's keys.
    assert_eq!(access_key(&config).await, "AKIDWORK");
    let config = Config::builder()
        .load_profile(None)
        .unwrap()
        .transport(TestTransport::new())
        .build()
        .unwrap();
    assert_eq!(config.region().map(AsRef::as_ref), Some("ca-central-1"));
    assert_eq!(access_key(&config).await, "AKIDWORK");
    let err = Config::builder().load_profile(Some("other")).unwrap_err();
    assert!(
        chain(&err).contains("profile `other` is not defined"),
        "{err}"
    );

    // With HTTP_PROXY set, the container endpoint (plain HTTP, on this
    // host's network) is still reached directly, as aws-config's.
    clear();
    let proxy = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy_url = format!("http://{}", proxy.local_addr().unwrap());
    let proxied = Arc::new(AtomicUsize::new(0));
    let counted = proxied.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = proxy.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    let server = loopback::Server::start(|_| {
        loopback::Answer::new(
            200,
            r#"{"AccessKeyId": "AKIDCONTAINER", "SecretAccessKey": "s", "Token": "t",
                "Expiration": "2030-01-01T00:00:00Z"}"#,
        )
    })
    .await;
    std::env::set_var("AWS_CONFIG_FILE", &none);
    std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", &none);
    std::env::set_var("AWS_REGION", "us-west-2");
    std::env::set_var("HTTP_PROXY", &proxy_url);
    std::env::set_var(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        format!("{}/creds", server.url),
    );
    let config = Config::from_env()
        .unwrap()
        .transport(TestTransport::new())
        .build()
        .unwrap();
    assert_eq!(access_key(&config).await, "AKIDCONTAINER");
    assert_eq!(server.lines(), ["GET /creds"]);
    assert_eq!(proxied.load(Ordering::SeqCst), 0, "the proxy saw nothing");

    clear();
    std::fs::remove_dir_all(&dir).unwrap();
}

/// An error and its `source()` chain, joined with `: ` (each level says only its own part).
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut next = e.source();
    while let Some(s) = next {
        out.push_str(": ");
        out.push_str(&s.to_string());
        next = s.source();
    }
    out
}
