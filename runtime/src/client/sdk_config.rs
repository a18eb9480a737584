//! Reusing an application's `aws-config` setup (feature `aws-config`).
//!
//! ```no_run
//! # async fn example() -> Result<(), awsrt::client::ConfigError> {
//! # let sdk_config = aws_types::SdkConfig::builder().build();
//! // let sdk_config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
//! let config = awsrt::client::ConfigBuilder::from_sdk_config(&sdk_config).build()?;
//! # Ok(()) }
//! ```

use aws_credential_types::provider::{
    ProvideCredentials as _, SharedCredentialsProvider as SdkProvider,
};

use crate::client::boxed::BoxFuture;
use crate::client::config::ConfigBuilder;
use crate::client::credentials::sdk_cache::SdkCachedCredentials;
use crate::client::credentials::{Credentials, CredentialsError, ProvideCredentials};
use crate::client::retry::RetryConfig;

impl From<&aws_types::SdkConfig> for ConfigBuilder {
    /// [`ConfigBuilder::from_sdk_config`], as aws-sdk's `config::Builder::from(&sdk_config)`.
    fn from(sdk_config: &aws_types::SdkConfig) -> Self {
        ConfigBuilder::from_sdk_config(sdk_config)
    }
}

impl ConfigBuilder {
    /// A builder with what `sdk_config` sets: region, credentials provider,
    /// endpoint URL, FIPS and dual-stack flags, timeouts and retry settings.
    /// Anything it leaves unset keeps this crate's default.
    ///
    /// Credentials: when `sdk_config` has an identity cache
    /// (`identity_cache()`: `IdentityCache::lazy()` as `aws_config::load()`
    /// sets it, one of the user's, or `IdentityCache::no_cache()`), that
    /// cache is asked at every attempt and decides when the provider is
    /// asked, with its own buffer time, clock and sleep (awsrt gives its
    /// `resolve_cached_identity` a minimal `RuntimeComponents` and
    /// `ConfigBag`, made once per config); awsrt's [`CredentialsCache`](crate::client::CredentialsCache) is not
    /// added. Without one, the provider goes behind awsrt's cache, like every
    /// other provider: asked at the first call and then only 5 minutes before
    /// the credentials it gave expire (15 minutes after, for credentials
    /// without an expiry); [`credentials_cache(false)`](ConfigBuilder::credentials_cache)
    /// on the returned builder opts out.
    pub fn from_sdk_config(sdk_config: &aws_types::SdkConfig) -> ConfigBuilder {
        let mut builder = ConfigBuilder::default();
        if let Some(region) = sdk_config.region() {
            builder = builder.region(region.clone());
        }
        if let Some(provider) = sdk_config.credentials_provider() {
            builder = match sdk_config.identity_cache() {
                None => builder.credentials_provider(SdkCredentialsProvider(provider)),
                Some(cache) => match SdkCachedCredentials::new(
                    provider,
                    cache,
                    sdk_config.time_source(),
                    sdk_config.sleep_impl(),
                ) {
                    Ok(cached) => builder.credentials_provider(cached),
                    Err(e) => builder.credentials_provider(BrokenIdentityCache(e.to_string())),
                },
            };
        }
        if let Some(url) = sdk_config.endpoint_url() {
            builder = builder.endpoint_url(url);
        }
        if let Some(use_fips) = sdk_config.use_fips() {
            builder = builder.use_fips(use_fips);
        }
        if let Some(use_dual_stack) = sdk_config.use_dual_stack() {
            builder = builder.use_dual_stack(use_dual_stack);
        }
        if let Some(timeouts) = sdk_config.timeout_config() {
            builder = builder.timeout_config(timeouts.clone());
        }
        if let Some(protection) = sdk_config.stalled_stream_protection() {
            builder = builder.stalled_stream_protection(protection);
        }
        if let Some(retry) = sdk_config.retry_config() {
            builder = builder.retry_config(
                RetryConfig::standard()
                    .with_retry_mode(
                        if retry.mode() == aws_smithy_types::retry::RetryMode::Adaptive {
                            crate::client::retry::RetryMode::Adaptive
                        } else {
                            crate::client::retry::RetryMode::Standard
                        },
                    )
                    .with_max_attempts(retry.max_attempts())
                    .with_initial_backoff(retry.initial_backoff())
                    .with_max_backoff(retry.max_backoff()),
            );
        }
        builder
    }
}

/// An `aws-config` credentials provider (cached by the config).
#[derive(Debug)]
struct SdkCredentialsProvider(SdkProvider);

impl ProvideCredentials for SdkCredentialsProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let c = self.0.provide_credentials().await.map_err(|e| {
                CredentialsError::with_source("the aws-config credentials provider failed", e)
            })?;
            Ok(Credentials::from_sdk_keys(c))
        })
    }
}

/// An `SdkConfig` whose identity cache refused the components awsrt drives
/// it with: every call fails with the reason.
#[derive(Debug)]
struct BrokenIdentityCache(String);

impl ProvideCredentials for BrokenIdentityCache {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            Err(CredentialsError::invalid_configuration(format!(
                "the SdkConfig's identity cache cannot be used: {}",
                crate::shown::shown(&self.0)
            )))
        })
    }

    fn wants_cache(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::test_transport::TestTransport;
    use std::time::Duration;

    #[tokio::test]
    async fn converts_region_credentials_endpoint_timeouts_and_retries() {
        let sdk = aws_types::SdkConfig::builder()
            .region(aws_types::region::Region::new("eu-central-1"))
            .credentials_provider(SdkProvider::new(aws_credential_types::Credentials::new(
                "AKIDSDK",
                "SECRETSDK",
                Some("TOKENSDK".into()),
                None,
                "test",
            )))
            .endpoint_url("http://127.0.0.1:9000")
            .use_fips(false)
            .timeout_config(
                aws_types::sdk_config::TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(2))
                    .operation_timeout(Duration::from_secs(9))
                    .operation_attempt_timeout(Duration::from_secs(4))
                    .build(),
            )
            .stalled_stream_protection(
                aws_types::sdk_config::StalledStreamProtectionConfig::enabled()
                    .upload_enabled(false)
                    .grace_period(Duration::from_secs(7))
                    .build(),
            )
            .retry_config(aws_types::sdk_config::RetryConfig::adaptive().with_max_attempts(7))
            .build();
        let config = ConfigBuilder::from_sdk_config(&sdk)
            .transport(TestTransport::new())
            .build()
            .unwrap();
        assert_eq!(config.region().map(AsRef::as_ref), Some("eu-central-1"));
        assert_eq!(config.endpoint_url(), Some("http://127.0.0.1:9000"));
        let timeouts = config.timeout_config().unwrap();
        assert_eq!(timeouts.connect_timeout(), Some(Duration::from_secs(2)));
        assert_eq!(timeouts.operation_timeout(), Some(Duration::from_secs(9)));
        assert_eq!(
            timeouts.operation_attempt_timeout(),
            Some(Duration::from_secs(4))
        );
        let protection = config.stalled_stream_protection().unwrap();
        assert!(!protection.upload_enabled() && protection.download_enabled());
        assert_eq!(protection.grace_period(), Duration::from_secs(7));
        assert_eq!(config.retry_config().unwrap().max_attempts(), 7);
        assert_eq!(
            config.retry_config().unwrap().mode(),
            crate::client::retry::RetryMode::Adaptive
        );
        let creds = config
            .credentials_provider()
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(
            (creds.access_key_id(), creds.secret_access_key()),
            ("AKIDSDK", "SECRETSDK")
        );
        assert_eq!(creds.session_token(), Some("TOKENSDK"));
        assert!(!format!("{config:?}").contains("SECRETSDK"));
    }

    #[test]
    fn aws_types_regions_go_to_the_builder_as_they_are() {
        use aws_types::region::Region as SdkRegion;
        // With this feature, our Region is aws-types' (aws_config::Region).
        let ours: crate::client::Region = SdkRegion::new("us-west-2");
        let sdk = aws_types::SdkConfig::builder()
            .region(SdkRegion::new("eu-west-3"))
            .build();
        let build = |builder: ConfigBuilder| {
            builder
                .credentials(crate::client::Credentials::from_keys("AKID", "S", None))
                .transport(TestTransport::new())
                .build()
                .map(|c| c.region().map(|r| r.as_ref().to_owned()))
        };
        for (builder, expected) in [
            (ConfigBuilder::default().region(ours), "us-west-2"),
            (
                ConfigBuilder::default().region(SdkRegion::from_static("us-east-2")),
                "us-east-2",
            ),
            (
                ConfigBuilder::default().region(Some(SdkRegion::new("ap-south-1"))),
                "ap-south-1",
            ),
            (
                ConfigBuilder::default().region(sdk.region().cloned()),
                "eu-west-3",
            ),
            (ConfigBuilder::default().region("sa-east-1"), "sa-east-1"),
        ] {
            assert_eq!(build(builder).unwrap().as_deref(), Some(expected));
        }
        let err = build(ConfigBuilder::default().region("us-west-2").region(None)).unwrap_err();
        assert!(err.to_string().starts_with("no region"), "{err}");
    }

    #[derive(Debug, Default)]
    struct Counting(std::sync::atomic::AtomicUsize);

    impl aws_credential_types::provider::ProvideCredentials for Counting {
        fn provide_credentials<'a>(
            &'a self,
        ) -> aws_credential_types::provider::future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            let n = self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            aws_credential_types::provider::future::ProvideCredentials::ready(Ok(
                aws_credential_types::Credentials::new(
                    format!("AKID{n}"),
                    "S",
                    None,
                    Some(std::time::SystemTime::now() + Duration::from_secs(3600)),
                    "counting",
                ),
            ))
        }
    }

    #[tokio::test]
    async fn the_sdk_provider_is_cached() {
        let counting = std::sync::Arc::new(Counting::default());
        let sdk = aws_types::SdkConfig::builder()
            .region(aws_types::region::Region::new("eu-central-1"))
            .credentials_provider(SdkProvider::new(CountingRef(counting.clone())))
            .build();
        let config = ConfigBuilder::from_sdk_config(&sdk)
            .transport(TestTransport::new())
            .build()
            .unwrap();
        for _ in 0..5 {
            let c = config
                .credentials_provider()
                .provide_credentials()
                .await
                .unwrap();
            assert_eq!(c.access_key_id(), "AKID0");
        }
        assert_eq!(counting.0.load(std::sync::atomic::Ordering::SeqCst), 1);
        let uncached = ConfigBuilder::from_sdk_config(&sdk)
            .credentials_cache(false)
            .transport(TestTransport::new())
            .build()
            .unwrap();
        for _ in 0..2 {
            uncached
                .credentials_provider()
                .provide_credentials()
                .await
                .unwrap();
        }
        assert_eq!(counting.0.load(std::sync::atomic::Ordering::SeqCst), 3);
    }

    /// How many times the provider is asked for 4 calls' credentials,
    /// through `sdk`'s identity cache (`None`: awsrt's).
    async fn provider_calls(
        cache: Option<aws_smithy_runtime_api::client::identity::SharedIdentityCache>,
    ) -> usize {
        let counting = std::sync::Arc::new(Counting::default());
        let mut sdk = aws_types::SdkConfig::builder()
            .region(aws_types::region::Region::new("eu-central-1"))
            .credentials_provider(SdkProvider::new(CountingRef(counting.clone())));
        sdk.set_identity_cache(cache);
        let config = ConfigBuilder::from_sdk_config(&sdk.build())
            .transport(TestTransport::new())
            .build()
            .unwrap();
        for _ in 0..4 {
            let c = config
                .credentials_provider()
                .provide_credentials()
                .await
                .unwrap();
            assert!(c.access_key_id().starts_with("AKID"));
            assert!(c.expiry().is_some());
        }
        counting.0.load(std::sync::atomic::Ordering::SeqCst)
    }

    #[tokio::test]
    async fn the_sdk_config_identity_cache_decides_when_the_provider_is_asked() {
        use aws_smithy_runtime::client::identity::IdentityCache;
        // The credentials expire in an hour.
        assert_eq!(provider_calls(None).await, 1, "awsrt's cache");
        assert_eq!(
            provider_calls(Some(IdentityCache::no_cache())).await,
            4,
            "no_cache(): asked at every call"
        );
        assert_eq!(
            provider_calls(Some(IdentityCache::lazy().build())).await,
            1,
            "lazy(): asked once"
        );
        // A buffer longer than the credentials' life: the lazy cache finds
        // them expiring at every call (awsrt's 5-minute buffer would not).
        let long_buffer = IdentityCache::lazy()
            .buffer_time(Duration::from_secs(2 * 3600))
            .build();
        assert_eq!(
            provider_calls(Some(long_buffer)).await,
            4,
            "the lazy cache's own buffer time is the one used"
        );
    }

    #[derive(Debug)]
    struct CountingRef(std::sync::Arc<Counting>);

    impl aws_credential_types::provider::ProvideCredentials for CountingRef {
        fn provide_credentials<'a>(
            &'a self,
        ) -> aws_credential_types::provider::future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            self.0.provide_credentials()
        }
    }
}
