//! Client configuration: region, credentials, endpoint, timeouts, retries,
//! validation, transport and clock.
//!
//! ```no_run
//! # fn main() -> Result<(), awsrt::client::ConfigError> {
//! use awsrt::client::Config;
//! let config = Config::builder().region("us-west-2").credentials_from_env()?.build()?;
//! // or: region and credentials from the environment, then the shared files
//! let config = Config::from_env()?.max_attempts(5).build()?;
//! # Ok(()) }
//! ```

use std::error::Error;
use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::client::boxed::BoxError;
use crate::client::credentials::profile::ProfileCredentialsProvider;
use crate::client::credentials::{
    Credentials, CredentialsCache, DefaultCredentialsChain, Env, LazyRegion, ProvideCredentials,
    ProviderConfig, RegionError, SharedCredentialsProvider,
};
use crate::client::hyper_transport::HyperTransport;
use crate::client::net::{ProxyConfig, TlsSettings};
use crate::client::profile::{self, ProfileSet};
use crate::client::retry::{RetryConfig, RetryMode};
use crate::client::sdk_names::{Region, TimeoutConfig};
use crate::client::time::{SystemClock, TimeSource};
use crate::client::transport::{
    HttpTransport, ResponseLimits, StalledStreamProtection, DEFAULT_MAX_RESPONSE_BODY_SIZE,
};
use crate::client::user_agent::AppName;
use crate::client::StalledStreamProtectionConfig;

/// Environment variables read by [`Config::from_env`] (besides the credential and profile ones).
const ENV_REGION: [&str; 2] = ["AWS_REGION", "AWS_DEFAULT_REGION"];
const ENV_ENDPOINT_URL: &str = "AWS_ENDPOINT_URL";
const ENV_USE_FIPS: &str = "AWS_USE_FIPS_ENDPOINT";
const ENV_USE_DUAL_STACK: &str = "AWS_USE_DUALSTACK_ENDPOINT";
const ENV_MAX_ATTEMPTS: &str = "AWS_MAX_ATTEMPTS";
const ENV_RETRY_MODE: &str = "AWS_RETRY_MODE";
const ENV_APP_ID: &str = "AWS_SDK_UA_APP_ID";
const ENV_CA_BUNDLE: &str = "AWS_CA_BUNDLE";

/// The timeouts a config has unless set: connect 3.1 s (as in the AWS
/// SDKs), read 60 s (each wait for response data), no operation or attempt
/// timeout.
fn default_timeouts() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(Duration::from_millis(3100))
        .read_timeout(Duration::from_secs(60))
        .build()
}

/// `upper` laid over `lower`, as aws-smithy-types' `MergeTimeoutConfig`
/// merges the SDK's config layers: unset, `lower`; set with at least one
/// timeout set or disabled, those of `upper` and `lower`'s for the others;
/// set with none (`TimeoutConfig::builder().build()`), every timeout off.
fn timeouts_over(upper: Option<TimeoutConfig>, lower: TimeoutConfig) -> TimeoutConfig {
    match upper {
        None => lower,
        Some(mut upper) => {
            if upper.has_timeouts() {
                upper.take_defaults_from(&lower);
            }
            upper
        }
    }
}

/// The configuration a generated client is built from. Cheap to clone.
#[derive(Clone)]
pub struct Config {
    region: RegionSource,
    credentials: SharedCredentialsProvider,
    endpoint_url: Option<String>,
    use_fips: bool,
    use_dual_stack: bool,
    /// Every timeout set or disabled (defaults applied).
    timeouts: TimeoutConfig,
    retry: RetryConfig,
    validation: bool,
    transport: Arc<dyn HttpTransport>,
    time_source: Arc<dyn TimeSource>,
    idempotency_tokens: IdempotencyTokens,
    host_prefix: bool,
    compression: RequestCompression,
    response_limits: ResponseLimits,
    /// The stalled-stream protection of `response_limits` as the SDK's type,
    /// for [`Config::stalled_stream_protection`].
    stalled_stream_config: StalledStreamProtectionConfig,
    app_name: Option<AppName>,
    tls: TlsSettings,
    proxy: ProxyConfig,
    /// Whether `build()` put the credentials behind a cache (kept so that
    /// `to_builder()` rebuilds the same choice).
    credentials_cache: bool,
}

/// Where a config's region comes from.
#[derive(Clone)]
enum RegionSource {
    /// Set on the builder, or read from the environment or the profile.
    Known(Region),
    /// Asked of EC2 instance metadata at the first call (see [`LazyRegion`]).
    Imds(Arc<LazyRegion>),
}

impl fmt::Debug for RegionSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegionSource::Known(region) => region.fmt(f),
            RegionSource::Imds(lazy) => lazy.fmt(f),
        }
    }
}

/// When request bodies of operations that allow it are gzip-compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestCompression {
    /// Whether to compress at all (default: yes).
    pub enabled: bool,
    /// Bodies smaller than this many bytes are sent as they are (default: 10240).
    pub min_size_bytes: u32,
}

impl Default for RequestCompression {
    fn default() -> Self {
        RequestCompression {
            enabled: true,
            min_size_bytes: 10240,
        }
    }
}

/// Makes the idempotency tokens of members the caller left unset.
pub type IdempotencyTokenProvider = Arc<dyn Fn() -> String + Send + Sync>;

/// The configured token provider, or none for random UUIDs (version 4).
#[derive(Clone, Default)]
struct IdempotencyTokens(Option<IdempotencyTokenProvider>);

impl fmt::Debug for IdempotencyTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "Custom"
        } else {
            "RandomUuidV4"
        })
    }
}

impl Config {
    /// An empty builder.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// A builder filled from the environment, as the AWS SDKs do: region from
    /// `AWS_REGION` / `AWS_DEFAULT_REGION`, else the profile's `region`
    /// (`AWS_PROFILE`, else `default`, from `AWS_CONFIG_FILE` and
    /// `AWS_SHARED_CREDENTIALS_FILE`), else EC2 instance metadata (IMDSv2
    /// `/latest/meta-data/placement/region`, unless
    /// `AWS_EC2_METADATA_DISABLED` is `true`) asked at the first call and
    /// kept for the client's life; credentials from the
    /// [`DefaultCredentialsChain`] (environment, web identity, profile,
    /// container, IMDS), made by `build()` with the region then known (the
    /// one STS is called in), resolved at the first call and cached; and
    /// `AWS_ENDPOINT_URL`, `AWS_USE_FIPS_ENDPOINT`,
    /// `AWS_USE_DUALSTACK_ENDPOINT`, `AWS_MAX_ATTEMPTS` if set.
    ///
    /// Cheap and synchronous: it reads environment variables and the shared
    /// files, and nothing else; IMDS is asked (for the region, as for
    /// credentials) only by the first call that needs it. When that lookup
    /// fails, the calls waiting on it fail with a [`RegionError`] (a
    /// construction failure) and the next call asks again.
    pub fn from_env() -> Result<ConfigBuilder, ConfigError> {
        ConfigBuilder::default().load_env_with(&|name| std::env::var(name).ok())
    }

    /// Like [`from_env`](Config::from_env), reading variables from `env`
    /// instead of the process environment (files named there are still read).
    pub fn from_env_in(env: &Env) -> Result<ConfigBuilder, ConfigError> {
        ConfigBuilder::default().load_env_with(&|name| env.get(name))
    }

    /// Like [`from_env`](Config::from_env), but asks EC2 instance metadata
    /// for the region now (when neither the environment nor the profile
    /// gives one) instead of at the first call: the lookup the first call
    /// would make, with the same settings, so that [`Config::region`] is
    /// known at once. Without an answer (IMDS unreachable or failing) the
    /// builder is what `from_env` gives: `build()` succeeds and the first
    /// call asks again (and fails with a [`RegionError`] if IMDS still
    /// cannot say). With IMDS turned off and no region, `build()` fails.
    pub async fn load_from_env() -> Result<ConfigBuilder, ConfigError> {
        Ok(Config::from_env()?.ask_imds_region_now().await)
    }

    /// Like [`load_from_env`](Config::load_from_env), reading variables from
    /// `env` instead of the process environment (files named there are
    /// still read).
    pub async fn load_from_env_in(env: &Env) -> Result<ConfigBuilder, ConfigError> {
        Ok(Config::from_env_in(env)?.ask_imds_region_now().await)
    }

    /// The region, if known yet: the one set on the builder or read from the
    /// environment or the profile; for a region asked of EC2 instance
    /// metadata, `None` until a call has resolved it (see
    /// [`resolve_region`](Config::resolve_region)), then IMDS's answer.
    pub fn region(&self) -> Option<&Region> {
        match &self.region {
            RegionSource::Known(region) => Some(region),
            RegionSource::Imds(lazy) => lazy.get(),
        }
    }

    /// The region calls are sent to and signed for: [`region`](Config::region)
    /// when known, else the answer of EC2 instance metadata, asked once for
    /// all concurrent callers and kept (a failed lookup is not kept).
    pub async fn resolve_region(&self) -> Result<&str, RegionError> {
        match &self.region {
            RegionSource::Known(region) => Ok(region.as_ref()),
            RegionSource::Imds(lazy) => lazy.resolve().await,
        }
    }

    /// The credentials provider.
    pub fn credentials_provider(&self) -> &SharedCredentialsProvider {
        &self.credentials
    }

    /// The endpoint URL override, if any.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// Whether FIPS endpoints are used.
    pub fn use_fips(&self) -> bool {
        self.use_fips
    }

    /// Whether dual-stack endpoints are used.
    pub fn use_dual_stack(&self) -> bool {
        self.use_dual_stack
    }

    /// The timeouts, as aws-sdk's `timeout_config()` (always `Some`: the
    /// defaults fill what was not set; a disabled one is `None` in its getter).
    pub fn timeout_config(&self) -> Option<&TimeoutConfig> {
        Some(&self.timeouts)
    }

    /// The timeouts (what [`timeout_config`](Config::timeout_config) holds).
    pub(crate) fn timeouts(&self) -> &TimeoutConfig {
        &self.timeouts
    }

    /// The retry settings, as aws-sdk's `retry_config()` (always `Some`: the
    /// config holds the defaults for what was not set).
    pub fn retry_config(&self) -> Option<&RetryConfig> {
        Some(&self.retry)
    }

    /// The retry settings (what [`retry_config`](Config::retry_config) holds).
    pub(crate) fn retry(&self) -> RetryConfig {
        self.retry
    }

    /// Whether generated clients validate inputs against the model's
    /// constraints before sending.
    pub fn validation_enabled(&self) -> bool {
        self.validation
    }

    /// The HTTP transport.
    pub fn transport(&self) -> &Arc<dyn HttpTransport> {
        &self.transport
    }

    /// The clock used for signing.
    pub fn time_source(&self) -> &Arc<dyn TimeSource> {
        &self.time_source
    }

    /// Whether operations with an endpoint host prefix put it before the
    /// endpoint's host (default: yes).
    pub fn host_prefix_enabled(&self) -> bool {
        self.host_prefix
    }

    /// When request bodies are compressed.
    pub fn request_compression(&self) -> RequestCompression {
        self.compression
    }

    /// The largest response body read, in bytes.
    pub fn max_response_body_size(&self) -> u64 {
        self.response_limits.max_body_size
    }

    /// The stalled-stream protection, as aws-sdk's getter (always `Some`):
    /// the directions it protects and its grace period; the minimum
    /// throughput is in [`response_limits`](Config::response_limits).
    pub fn stalled_stream_protection(&self) -> Option<&StalledStreamProtectionConfig> {
        Some(&self.stalled_stream_config)
    }

    /// How response bodies are read: size limit and stalled-stream protection.
    pub fn response_limits(&self) -> ResponseLimits {
        self.response_limits
    }

    /// The app name the user agent ends with (`app/<name>`), if any.
    pub fn app_name(&self) -> Option<&AppName> {
        self.app_name.as_ref()
    }

    /// The certificate authorities the default transport trusts.
    pub fn tls_settings(&self) -> &TlsSettings {
        &self.tls
    }

    /// The proxy settings of the default transport.
    pub fn proxy_config(&self) -> &ProxyConfig {
        &self.proxy
    }

    /// A fresh idempotency token, for a member marked `@idempotencyToken` that
    /// the caller left unset: a random UUID (version 4), unless a provider
    /// was configured.
    pub fn idempotency_token(&self) -> String {
        match &self.idempotency_tokens.0 {
            Some(provider) => provider(),
            None => crate::input::idempotency_token(),
        }
    }

    /// A config that is never used to send (the runtime of a client whose
    /// configuration failed to build refuses every call).
    pub(crate) fn placeholder() -> Config {
        ConfigBuilder::default().assemble(Parts {
            region: RegionSource::Known(Region::from_static("invalid-config")),
            credentials: Arc::new(Credentials::from_keys("", "", None)),
            transport: Arc::new(NeverSends),
            time_source: Arc::new(SystemClock),
            timeouts: default_timeouts(),
            retry: RetryConfig::standard(),
        })
    }

    /// A builder holding this configuration, to derive a changed one.
    pub fn to_builder(&self) -> ConfigBuilder {
        let (region, imds_region) = match &self.region {
            RegionSource::Known(region) => (Some(region.clone()), None),
            RegionSource::Imds(lazy) => (None, Some(lazy.clone())),
        };
        ConfigBuilder {
            region,
            imds_region,
            credentials: Some(self.credentials.clone()),
            default_chain: None,
            endpoint_url: self.endpoint_url.clone(),
            use_fips: Some(self.use_fips),
            use_dual_stack: Some(self.use_dual_stack),
            timeouts: Some(self.timeouts.clone()),
            retry: RetrySettings::from(self.retry),
            validation: Some(self.validation),
            transport: Some(self.transport.clone()),
            time_source: Some(self.time_source.clone()),
            idempotency_tokens: self.idempotency_tokens.clone(),
            host_prefix: Some(self.host_prefix),
            compression_enabled: Some(self.compression.enabled),
            min_compression_size: Some(self.compression.min_size_bytes),
            max_response_body_size: Some(self.response_limits.max_body_size),
            stalled_stream: Some(self.response_limits.stalled_stream),
            app_name: self.app_name.clone(),
            tls: Some(self.tls.clone()),
            proxy: Some(self.proxy.clone()),
            credentials_cache: Some(self.credentials_cache),
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.region)
            .field("credentials", &self.credentials)
            .field("endpoint_url", &self.endpoint_url)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            .field("validation", &self.validation)
            .field("transport", &self.transport)
            .field("time_source", &self.time_source)
            .field("idempotency_tokens", &self.idempotency_tokens)
            .field("host_prefix", &self.host_prefix)
            .field("compression", &self.compression)
            .field("response_limits", &self.response_limits)
            .field("app_name", &self.app_name)
            .field("tls", &self.tls)
            .field("proxy", &self.proxy)
            .finish()
    }
}

/// Builds a [`Config`]; only the region and credentials are required.
///
/// The builder records which settings were set (`None` is "not set"; for
/// the timeouts, each one's own unset state): [`build`](ConfigBuilder::build)
/// fills the rest with the defaults, and
/// [`layered_over`](ConfigBuilder::layered_over) with a base config's, so an
/// override that sets a value back to its default still applies.
#[derive(Clone, Debug, Default)]
pub struct ConfigBuilder {
    /// Checked by [`build`](ConfigBuilder::build) (again, for a built
    /// config's: a check that passed passes again).
    region: Option<Region>,
    /// Where to ask for the region when none is set (`from_env`).
    imds_region: Option<Arc<LazyRegion>>,
    credentials: Option<SharedCredentialsProvider>,
    /// The settings of the default credentials chain `from_env` chose when
    /// no provider was set: [`build`](ConfigBuilder::build) makes the chain
    /// with the region then known, so that a region set after `from_env`
    /// is the one STS is called in.
    default_chain: Option<ProviderConfig>,
    endpoint_url: Option<String>,
    use_fips: Option<bool>,
    use_dual_stack: Option<bool>,
    timeouts: Option<TimeoutConfig>,
    retry: RetrySettings,
    validation: Option<bool>,
    transport: Option<Arc<dyn HttpTransport>>,
    time_source: Option<Arc<dyn TimeSource>>,
    idempotency_tokens: IdempotencyTokens,
    host_prefix: Option<bool>,
    compression_enabled: Option<bool>,
    min_compression_size: Option<u32>,
    max_response_body_size: Option<u64>,
    stalled_stream: Option<StalledStreamProtection>,
    app_name: Option<AppName>,
    tls: Option<TlsSettings>,
    proxy: Option<ProxyConfig>,
    credentials_cache: Option<bool>,
}

/// The retry settings a builder sets: a whole [`RetryConfig`], and the
/// attempts and mode set on their own, which apply over it (or over the
/// base's, when layered).
#[derive(Clone, Copy, Debug, Default)]
struct RetrySettings {
    config: Option<RetryConfig>,
    max_attempts: Option<u32>,
    mode: Option<RetryMode>,
}

impl From<RetryConfig> for RetrySettings {
    fn from(config: RetryConfig) -> Self {
        RetrySettings {
            config: Some(config),
            ..RetrySettings::default()
        }
    }
}

impl RetrySettings {
    /// These settings over `base`: a whole config set here replaces base's
    /// settings, else what is set here replaces base's.
    fn layered_over(self, base: RetrySettings) -> RetrySettings {
        if self.config.is_some() {
            return self;
        }
        RetrySettings {
            config: base.config,
            max_attempts: self.max_attempts.or(base.max_attempts),
            mode: self.mode.or(base.mode),
        }
    }

    /// The retry config: the one set (else the standard one) with the
    /// attempts and mode set on their own.
    fn resolve(self) -> RetryConfig {
        let mut config = self.config.unwrap_or_else(RetryConfig::standard);
        if let Some(mode) = self.mode {
            config = config.with_retry_mode(mode);
        }
        if let Some(attempts) = self.max_attempts {
            config = config.with_max_attempts(attempts);
        }
        config
    }
}

impl ConfigBuilder {
    /// Sets the region: `Region::new("us-west-2")` (or an `Option<Region>`)
    /// as in aws-sdk, or its name, `"us-west-2"`.
    pub fn region(mut self, region: impl crate::client::IntoRegion) -> Self {
        self.region = region.into_region();
        self
    }

    /// Sets the timeouts as aws-sdk does: this replaces any timeouts set
    /// before on this builder; those `timeouts` leaves unset get the
    /// defaults (or, in a `config_override`, the client's), a disabled one
    /// is turned off, and a `TimeoutConfig` with none set turns every
    /// timeout off (as `TimeoutConfig::disabled()`, aws-smithy-types'
    /// `MergeTimeoutConfig`).
    pub fn timeout_config(mut self, timeouts: TimeoutConfig) -> Self {
        self.timeouts = Some(timeouts);
        self
    }

    /// Accepted for aws-sdk compatibility: this crate has one set of defaults.
    pub fn behavior_version(self, _version: crate::client::BehaviorVersion) -> Self {
        self
    }

    /// Accepted for aws-sdk compatibility (see [`behavior_version`](Self::behavior_version)).
    pub fn behavior_version_latest(self) -> Self {
        self
    }

    /// `base` with what this builder sets laid over it, for a per-call
    /// `config_override` (as the SDK's layered config bag): every setting
    /// set here, even to its default value, replaces base's; the others
    /// (each timeout on its own) keep base's. Unless a transport is set
    /// here, base's transport stays, and with it what was fixed when it was
    /// made: its connect and read timeouts, TLS, proxy and upload
    /// stalled-stream protection (the layered config's getters show the
    /// override's values; the operation and attempt timeouts, the response
    /// limits and download protection do apply per call).
    pub fn layered_over(self, base: &Config) -> ConfigBuilder {
        let base = base.to_builder();
        let timeouts = match base.timeouts {
            Some(lower) => Some(timeouts_over(self.timeouts, lower)),
            None => self.timeouts,
        };
        // The default chain an override's `from_env` chose is its credentials.
        let (credentials, default_chain) = match (self.credentials, self.default_chain) {
            (None, None) => (base.credentials, None),
            set => set,
        };
        ConfigBuilder {
            region: self.region.or(base.region),
            imds_region: self.imds_region.or(base.imds_region),
            credentials,
            default_chain,
            endpoint_url: self.endpoint_url.or(base.endpoint_url),
            use_fips: self.use_fips.or(base.use_fips),
            use_dual_stack: self.use_dual_stack.or(base.use_dual_stack),
            timeouts,
            retry: self.retry.layered_over(base.retry),
            validation: self.validation.or(base.validation),
            transport: self.transport.or(base.transport),
            time_source: self.time_source.or(base.time_source),
            idempotency_tokens: IdempotencyTokens(
                self.idempotency_tokens.0.or(base.idempotency_tokens.0),
            ),
            host_prefix: self.host_prefix.or(base.host_prefix),
            compression_enabled: self.compression_enabled.or(base.compression_enabled),
            min_compression_size: self.min_compression_size.or(base.min_compression_size),
            max_response_body_size: self.max_response_body_size.or(base.max_response_body_size),
            stalled_stream: self.stalled_stream.or(base.stalled_stream),
            app_name: self.app_name.or(base.app_name),
            tls: self.tls.or(base.tls),
            proxy: self.proxy.or(base.proxy),
            credentials_cache: self.credentials_cache.or(base.credentials_cache),
        }
    }

    /// Uses fixed credentials.
    pub fn credentials(self, credentials: Credentials) -> Self {
        self.shared_credentials_provider(Arc::new(credentials))
    }

    /// Uses a credentials provider. Unless it says it needs none
    /// ([`ProvideCredentials::wants_cache`]), [`build`](ConfigBuilder::build)
    /// puts a [`CredentialsCache`] in front of it, so it is asked once and
    /// then only shortly before its credentials expire.
    pub fn credentials_provider(self, provider: impl ProvideCredentials + 'static) -> Self {
        self.shared_credentials_provider(Arc::new(provider))
    }

    /// Puts a [`CredentialsCache`] in front of the credentials provider
    /// (`true`, the default) or asks the provider before every attempt
    /// (`false`).
    pub fn credentials_cache(mut self, enabled: bool) -> Self {
        self.credentials_cache = Some(enabled);
        self
    }

    /// Uses a shared credentials provider.
    pub fn shared_credentials_provider(mut self, provider: SharedCredentialsProvider) -> Self {
        self.credentials = Some(provider);
        self
    }

    /// Uses credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and
    /// `AWS_SESSION_TOKEN`; the error names the missing variable.
    pub fn credentials_from_env(self) -> Result<Self, ConfigError> {
        let credentials =
            Credentials::from_env().map_err(|e| ConfigError::with_source("no credentials", e))?;
        Ok(self.credentials(credentials))
    }

    /// Uses the credentials of a profile from the shared files (`name`, else
    /// `AWS_PROFILE`, else `default`), resolved at the first call (static
    /// keys, `credential_process`, roles, web identity), and its region
    /// unless one is set.
    pub fn load_profile(self, name: Option<&str>) -> Result<Self, ConfigError> {
        self.load_profile_with(name, &|var| std::env::var(var).ok())
    }

    pub(crate) fn load_profile_with(
        mut self,
        name: Option<&str>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let name = name.map_or_else(|| profile::selected_profile(env), str::to_owned);
        let set = ProfileSet::load_with(env)
            .map_err(|e| ConfigError::with_source("cannot load profiles", e))?;
        let profile = set
            .require(&name)
            .map_err(|e| ConfigError::with_source("cannot load profile", e))?;
        if self.region.is_none() {
            self.region = profile.region().map(|r| Region::new(r.to_owned()));
        }
        let config = self
            .provider_config()
            .with_env(env_snapshot(env))
            .with_region(self.region.as_ref().map(|r| r.as_ref().to_owned()));
        Ok(self.credentials_provider(ProfileCredentialsProvider::for_profile(config, name)))
    }

    /// Fills what the environment and shared files provide; see [`Config::from_env`].
    pub(crate) fn load_env_with(
        mut self,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let var = |name: &str| {
            env(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        if self.region.is_none() {
            self.region = ENV_REGION
                .iter()
                .find_map(|name| var(name))
                .map(Region::new);
        }
        if let Some(url) = var(ENV_ENDPOINT_URL) {
            self.endpoint_url = Some(url);
        }
        for (name, flag) in [
            (ENV_USE_FIPS, &mut self.use_fips),
            (ENV_USE_DUAL_STACK, &mut self.use_dual_stack),
        ] {
            if let Some(value) = var(name) {
                *flag = Some(parse_bool(&value).ok_or_else(|| {
                    ConfigError::new(format!(
                        "{name} must be true or false, not `{}`",
                        crate::shown::shown(&value)
                    ))
                })?);
            }
        }
        let name = profile::selected_profile(env);
        let set = ProfileSet::load_with(env)
            .map_err(|e| ConfigError::with_source("cannot load profiles", e))?;
        let profile = set.profile(&name);
        self = self.load_retry_and_app_settings(&var, profile)?;
        if self.region.is_none() {
            self.region = profile
                .and_then(|p| p.region())
                .map(|r| Region::new(r.to_owned()));
        }
        let mut config = self
            .provider_config()
            .with_env(env_snapshot(env))
            .with_region(self.region.as_ref().map(|r| r.as_ref().to_owned()));
        if self.region.is_none() {
            self.imds_region = LazyRegion::new(config.clone()).map(Arc::new);
            if let Some(lazy) = &self.imds_region {
                config = config.with_imds_region(lazy.clone());
            }
        }
        if self.credentials.is_none() {
            self.default_chain = Some(config);
        }
        Ok(self)
    }

    /// Resolves now the region lookup `from_env` left for the first call,
    /// if there is one and no region was set since; a failed lookup is not
    /// kept (the first call asks again).
    async fn ask_imds_region_now(self) -> Self {
        if let (None, Some(lazy)) = (&self.region, &self.imds_region) {
            if let Err(e) = lazy.resolve().await {
                // The error's own text is the generic "no region" advice;
                // why IMDS gave none is its source.
                if let Some(why) = std::error::Error::source(&e) {
                    tracing::debug!(reason = %why, "no region from IMDS yet");
                }
            }
        }
        self
    }

    /// Retry mode, max attempts, CA bundle and app name from the environment
    /// (`AWS_RETRY_MODE`, `AWS_MAX_ATTEMPTS`, `AWS_CA_BUNDLE`,
    /// `AWS_SDK_UA_APP_ID`), else the profile (`retry_mode`, `max_attempts`,
    /// `ca_bundle`, `sdk_ua_app_id`, else the older `sdk-ua-app-id`).
    fn load_retry_and_app_settings(
        mut self,
        var: &dyn Fn(&str) -> Option<String>,
        profile: Option<&profile::Profile>,
    ) -> Result<Self, ConfigError> {
        let from_profile = |key: &str| -> Option<(String, String)> {
            let p = profile?;
            let v = p.get(key)?.trim();
            (!v.is_empty()).then(|| (v.to_owned(), format!("`{key}` in profile `{}`", p.name())))
        };
        let setting = |env_name: &str, key: &str| -> Option<(String, String)> {
            var(env_name)
                .map(|v| (v, env_name.to_owned()))
                .or_else(|| from_profile(key))
        };
        let shown = crate::shown::shown;
        if let Some((value, from)) = setting(ENV_RETRY_MODE, "retry_mode") {
            let mode: RetryMode = value
                .parse()
                .map_err(|e| ConfigError::with_source(format!("invalid {from}"), e))?;
            self.retry.mode = Some(mode);
        }
        if let Some((value, from)) = setting(ENV_MAX_ATTEMPTS, "max_attempts") {
            let attempts = value
                .parse::<u32>()
                .ok()
                .filter(|a| *a > 0)
                .ok_or_else(|| {
                    ConfigError::new(format!(
                        "{from} must be a positive integer, not `{}`",
                        shown(&value)
                    ))
                })?;
            self.retry.max_attempts = Some(attempts);
        }
        if let Some((value, _)) = setting(ENV_CA_BUNDLE, "ca_bundle") {
            self.tls = Some(self.tls.unwrap_or_default().with_ca_bundle(value));
        }
        // As aws-config's app name provider: the deprecated profile key
        // `sdk-ua-app-id` when neither standard setting is there, and an
        // invalid value is ignored with a warning.
        let app_id = setting(ENV_APP_ID, "sdk_ua_app_id").or_else(|| from_profile("sdk-ua-app-id"));
        if let Some((value, from)) = app_id {
            match AppName::new(value.clone()) {
                Ok(app) => self.app_name = Some(app),
                Err(e) => tracing::warn!(
                    error = %e,
                    "ignoring the invalid app name {from} `{}`",
                    shown(&value)
                ),
            }
        }
        Ok(self)
    }

    /// Sends requests to `url` instead of the resolved endpoint (e.g. a local
    /// test server); incompatible with FIPS and dual-stack.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// Uses FIPS endpoints.
    pub fn use_fips(mut self, use_fips: bool) -> Self {
        self.use_fips = Some(use_fips);
        self
    }

    /// Uses dual-stack (IPv4 and IPv6) endpoints.
    pub fn use_dual_stack(mut self, use_dual_stack: bool) -> Self {
        self.use_dual_stack = Some(use_dual_stack);
        self
    }

    /// Sets the connect timeout.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts = Some(self.timeouts_set().connect_timeout(timeout).build());
        self
    }

    /// Sets the read timeout (each wait for response data).
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts = Some(self.timeouts_set().read_timeout(timeout).build());
        self
    }

    /// Sets the operation timeout (the whole call, retries included).
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts = Some(self.timeouts_set().operation_timeout(timeout).build());
        self
    }

    /// Sets the operation attempt timeout (each attempt, from sending the
    /// request to reading the whole response, or its head for an event
    /// stream; retried like a timeout).
    pub fn operation_attempt_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts = Some(
            self.timeouts_set()
                .operation_attempt_timeout(timeout)
                .build(),
        );
        self
    }

    /// Sets the largest response body read, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_BODY_SIZE`](crate::client::DEFAULT_MAX_RESPONSE_BODY_SIZE), 64 MiB): a response announcing a
    /// larger `Content-Length` fails before its body is read, one that sends
    /// more fails once it did, with a
    /// [`ResponseTooLarge`](crate::client::ResponseTooLarge) error. Error
    /// responses are bounded too; event streams are not read whole (each
    /// message is at most 16 MiB).
    pub fn max_response_body_size(mut self, bytes: u64) -> Self {
        self.max_response_body_size = Some(bytes);
        self
    }

    /// Sets the stalled-stream protection (default
    /// [`StalledStreamProtection::enabled`]: at least 1 byte per second over
    /// a 5 s grace period, for request and response bodies): ours, or
    /// aws-sdk's `StalledStreamProtectionConfig` (at least 1 byte per second
    /// over its grace period).
    pub fn stalled_stream_protection(
        mut self,
        protection: impl Into<StalledStreamProtection>,
    ) -> Self {
        self.stalled_stream = Some(protection.into());
        self
    }

    /// Sets the retry settings.
    pub fn retry_config(mut self, retry: RetryConfig) -> Self {
        self.retry = RetrySettings::from(retry);
        self
    }

    /// Sets the total number of attempts (1 = no retries).
    pub fn max_attempts(mut self, max_attempts: u32) -> Self {
        self.retry.max_attempts = Some(max_attempts);
        self
    }

    /// Sets the retry mode (`standard`, the default, or `adaptive`), keeping
    /// the other retry settings.
    pub fn retry_mode(mut self, mode: RetryMode) -> Self {
        self.retry.mode = Some(mode);
        self
    }

    /// Ends the user agent with `app/<name>` (also from `AWS_SDK_UA_APP_ID`
    /// or the profile's `sdk_ua_app_id` in [`Config::from_env`]).
    pub fn app_name(mut self, app_name: AppName) -> Self {
        self.app_name = Some(app_name);
        self
    }

    /// Sets which certificate authorities the default transport trusts
    /// (default: the platform's and the Mozilla roots; `AWS_CA_BUNDLE` or the
    /// profile's `ca_bundle` add a PEM bundle in [`Config::from_env`]).
    pub fn tls_settings(mut self, tls: TlsSettings) -> Self {
        self.tls = Some(tls);
        self
    }

    /// Sets the default transport's proxy (default: `HTTPS_PROXY`,
    /// `HTTP_PROXY`, `NO_PROXY` from the environment;
    /// [`ProxyConfig::disabled`] turns them off).
    pub fn proxy_config(mut self, proxy: ProxyConfig) -> Self {
        self.proxy = Some(proxy);
        self
    }

    /// Turns input validation on (the default) or off.
    pub fn validation(mut self, enabled: bool) -> Self {
        self.validation = Some(enabled);
        self
    }

    /// Uses `transport` instead of the default hyper + rustls one (whose
    /// timeouts then no longer apply; the operation timeout still does).
    pub fn transport(self, transport: impl HttpTransport + 'static) -> Self {
        self.shared_transport(Arc::new(transport))
    }

    /// Uses a shared transport.
    pub fn shared_transport(mut self, transport: Arc<dyn HttpTransport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Uses `time_source` as the clock for signing (e.g. a fixed time in tests).
    pub fn time_source(mut self, time_source: impl TimeSource + 'static) -> Self {
        self.time_source = Some(Arc::new(time_source));
        self
    }

    /// Uses `provider` to make the idempotency tokens the caller leaves unset
    /// (by default, random UUIDs, version 4), e.g. fixed tokens in tests.
    pub fn idempotency_token_provider(
        mut self,
        provider: impl Fn() -> String + Send + Sync + 'static,
    ) -> Self {
        self.idempotency_tokens = IdempotencyTokens(Some(Arc::new(provider)));
        self
    }

    /// Turns the endpoint host prefix of operations that have one (e.g.
    /// `data.`) on (the default) or off, e.g. for an endpoint URL that
    /// already names the right host.
    pub fn host_prefix(mut self, enabled: bool) -> Self {
        self.host_prefix = Some(enabled);
        self
    }

    /// Turns off (or back on) the gzip compression of request bodies of
    /// operations that allow it.
    pub fn disable_request_compression(mut self, disabled: bool) -> Self {
        self.compression_enabled = Some(!disabled);
        self
    }

    /// Compresses request bodies of at least `bytes` bytes (default 10240, at
    /// most 10485760).
    pub fn request_min_compression_size_bytes(mut self, bytes: u32) -> Self {
        self.min_compression_size = Some(bytes);
        self
    }

    /// Checks the settings and builds the config (creating the default
    /// transport if none was given); what was not set gets its default.
    pub fn build(mut self) -> Result<Config, ConfigError> {
        let given = self.region.take().filter(|r| !r.as_ref().trim().is_empty());
        let region = match (given, self.imds_region.take()) {
            (Some(region), _) => {
                check_region(region.as_ref())?;
                RegionSource::Known(region)
            }
            (None, Some(lazy)) => RegionSource::Imds(lazy),
            (None, None) => return Err(ConfigError::new(
                "no region: call `region(..)`, set AWS_REGION, or set `region` in the profile of the shared config file \
                 (`Config::from_env()` also asks EC2 instance metadata, unless AWS_EC2_METADATA_DISABLED is true)",
            )),
        };
        let known = match &region {
            RegionSource::Known(region) => Some(region),
            RegionSource::Imds(_) => None,
        };
        let credentials = match (self.credentials.take(), self.default_chain.take()) {
            (Some(provider), _) => provider,
            (None, Some(chain)) => self.default_chain_from(chain, known),
            (None, None) => return Err(ConfigError::new(
                "no credentials: call `credentials(..)`, `credentials_from_env()` or `load_profile(..)`",
            )),
        };
        let time_source = self.clock();
        let credentials = self.cached(credentials, &time_source);
        if let Some(url) = &self.endpoint_url {
            check_endpoint_url(url)?;
        }
        if let Some(bytes) = self.min_compression_size.filter(|&b| b > 10_485_760) {
            return Err(ConfigError::new(format!(
                "request_min_compression_size_bytes is {bytes}, above the maximum 10485760"
            )));
        }
        let retry = self.retry.resolve();
        if retry.max_attempts() == 0 {
            return Err(ConfigError::new("max_attempts must be at least 1"));
        }
        let timeouts = self.timeouts_or_defaults();
        let transport = match self.transport.take() {
            Some(t) => t,
            None => Arc::new(
                HyperTransport::with_network(
                    timeouts.connect_timeout(),
                    timeouts.read_timeout(),
                    self.tls.as_ref().unwrap_or(&TlsSettings::default()),
                    self.proxy.as_ref().unwrap_or(&ProxyConfig::default()),
                )
                .map_err(|e| ConfigError::with_source("cannot create the HTTP transport", e))?
                .with_stalled_stream_protection(self.stalled_stream.unwrap_or_default()),
            ),
        };
        Ok(self.assemble(Parts {
            region,
            credentials,
            transport,
            time_source,
            timeouts,
            retry,
        }))
    }

    /// The default credentials chain made from `chain` (what `from_env`
    /// chose), now: STS is called in `region` (else in the one IMDS gives),
    /// and every provider uses the builder's network settings and clock as
    /// they are now, not as they were when `from_env` ran.
    fn default_chain_from(
        &self,
        chain: ProviderConfig,
        region: Option<&Region>,
    ) -> SharedCredentialsProvider {
        let mut chain = self.networked(chain);
        if let Some(region) = region {
            chain = chain.with_region(Some(region.as_ref().to_owned()));
        }
        if let Some(time_source) = &self.time_source {
            chain = chain.with_time_source(time_source.clone());
        }
        Arc::new(DefaultCredentialsChain::new(chain))
    }

    /// The clock set, else the system's.
    fn clock(&self) -> Arc<dyn TimeSource> {
        self.time_source
            .clone()
            .unwrap_or_else(|| Arc::new(SystemClock))
    }

    /// `provider` behind the identity cache, unless the cache is turned off
    /// or the provider is one already.
    fn cached(
        &self,
        provider: SharedCredentialsProvider,
        time_source: &Arc<dyn TimeSource>,
    ) -> SharedCredentialsProvider {
        if self.credentials_cache.unwrap_or(true) && provider.wants_cache() {
            Arc::new(CredentialsCache::new(provider, time_source.clone()))
        } else {
            provider
        }
    }

    /// For a builder laid over a client's config at every call (a config
    /// override): the default chain `from_env` chose is made, behind its
    /// cache, the first time (with the region the layered settings give),
    /// and kept in `settled`, so that later calls reuse it and ask for
    /// credentials once, not at every call.
    pub(crate) fn settle_credentials(
        mut self,
        settled: &OnceLock<SharedCredentialsProvider>,
    ) -> Self {
        if self.credentials.is_some() {
            return self;
        }
        let Some(chain) = self.default_chain.take() else {
            return self;
        };
        let provider = settled.get_or_init(|| {
            let chain = self.default_chain_from(chain, self.region.as_ref());
            self.cached(chain, &self.clock())
        });
        self.credentials = Some(provider.clone());
        self
    }

    /// The timeouts set, the defaults filling the others.
    fn timeouts_or_defaults(&self) -> TimeoutConfig {
        timeouts_over(self.timeouts.clone(), default_timeouts())
    }

    /// A builder of the timeouts set so far, for one more.
    fn timeouts_set(&self) -> aws_smithy_types::timeout::TimeoutConfigBuilder {
        self.timeouts
            .clone()
            .unwrap_or_else(|| TimeoutConfig::builder().build())
            .into_builder()
    }

    /// Where the credential and region providers the builder makes send
    /// their requests: its TLS and proxy settings.
    fn provider_config(&self) -> ProviderConfig {
        self.networked(ProviderConfig::new())
    }

    /// `config` with the builder's TLS and proxy settings.
    fn networked(&self, config: ProviderConfig) -> ProviderConfig {
        config.with_network(
            self.tls.clone().unwrap_or_default(),
            self.proxy.clone().unwrap_or_default(),
        )
    }

    /// The config: the `parts` resolved, the settings given, and the
    /// defaults for the others.
    fn assemble(self, parts: Parts) -> Config {
        let default_compression = RequestCompression::default();
        let stalled_stream = self.stalled_stream.unwrap_or_default();
        Config {
            region: parts.region,
            credentials: parts.credentials,
            endpoint_url: self.endpoint_url.clone(),
            use_fips: self.use_fips.unwrap_or(false),
            use_dual_stack: self.use_dual_stack.unwrap_or(false),
            timeouts: parts.timeouts,
            retry: parts.retry,
            validation: self.validation.unwrap_or(true),
            transport: parts.transport,
            time_source: parts.time_source,
            idempotency_tokens: self.idempotency_tokens,
            host_prefix: self.host_prefix.unwrap_or(true),
            compression: RequestCompression {
                enabled: self
                    .compression_enabled
                    .unwrap_or(default_compression.enabled),
                min_size_bytes: self
                    .min_compression_size
                    .unwrap_or(default_compression.min_size_bytes),
            },
            response_limits: ResponseLimits {
                max_body_size: self
                    .max_response_body_size
                    .unwrap_or(DEFAULT_MAX_RESPONSE_BODY_SIZE),
                stalled_stream,
            },
            stalled_stream_config: StalledStreamProtectionConfig::from(&stalled_stream),
            app_name: self.app_name,
            tls: self.tls.unwrap_or_default(),
            proxy: self.proxy.unwrap_or_default(),
            credentials_cache: self.credentials_cache.unwrap_or(true),
        }
    }
}

/// What [`ConfigBuilder::build`] resolves and checks before assembling the
/// config.
struct Parts {
    region: RegionSource,
    credentials: SharedCredentialsProvider,
    transport: Arc<dyn HttpTransport>,
    time_source: Arc<dyn TimeSource>,
    timeouts: TimeoutConfig,
    retry: RetryConfig,
}

/// The region must be a valid host label (as the SDKs' endpoint rules
/// require, `isValidHostLabel`): it becomes part of the endpoint's host name
/// and of the signature's scope.
fn check_region(region: &str) -> Result<(), ConfigError> {
    if crate::client::endpoint::is_valid_host_label(region, false) {
        return Ok(());
    }
    Err(ConfigError::new(format!(
        "invalid region `{}`: a region must be a valid host label \
         (1 to 63 ASCII letters, digits and hyphens, not starting with a hyphen)",
        crate::shown::shown(region)
    )))
}

/// The variables the credential providers read, copied out of `env` (the
/// providers outlive the closure and read them lazily).
fn env_snapshot(env: &dyn Fn(&str) -> Option<String>) -> Env {
    const NAMES: [&str; 22] = [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_ROLE_ARN",
        "AWS_ROLE_SESSION_NAME",
        "AWS_PROFILE",
        "AWS_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE",
        "HOME",
        "USERPROFILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
        "AWS_EC2_METADATA_DISABLED",
        "AWS_EC2_METADATA_SERVICE_ENDPOINT",
        "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_STS",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
    ];
    let vars: Vec<(&str, String)> = NAMES
        .iter()
        .filter_map(|name| env(name).map(|v| (*name, v)))
        .collect();
    let refs: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    Env::from_slice(&refs)
}

fn parse_bool(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

fn check_endpoint_url(url: &str) -> Result<(), ConfigError> {
    let bad = |why: &str| ConfigError::new(format!("invalid endpoint_url `{url}`: {why}"));
    let uri: http::Uri = url.parse().map_err(|_| bad("not a URI"))?;
    match uri.scheme_str() {
        Some("http" | "https") => {}
        _ => return Err(bad("the scheme must be http or https")),
    }
    if uri.authority().is_none_or(|a| a.host().is_empty()) {
        return Err(bad("no host"));
    }
    if uri.query().is_some() {
        return Err(bad("a query string is not allowed"));
    }
    Ok(())
}

/// The configuration is incomplete or invalid.
#[derive(Debug)]
pub struct ConfigError {
    message: String,
    source: Option<BoxError>,
}

impl ConfigError {
    fn new(message: impl Into<String>) -> Self {
        ConfigError {
            message: message.into(),
            source: None,
        }
    }

    fn with_source(message: impl Into<String>, source: impl Into<BoxError>) -> Self {
        ConfigError {
            message: message.into(),
            source: Some(source.into()),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The cause is `source()`: a chain reporter prints it next.
        f.write_str(&self.message)
    }
}

impl Error for ConfigError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source
            .as_ref()
            .map(|s| s.as_ref() as &(dyn Error + 'static))
    }
}

/// The transport of [`Config::placeholder`], never called: the runtime of
/// a configuration that failed to build refuses every call before sending.
/// (Not the `TestTransport`, so that programs do not carry it.)
#[derive(Debug)]
struct NeverSends;

impl HttpTransport for NeverSends {
    fn send(
        &self,
        _request: crate::client::http::HttpRequest,
    ) -> crate::client::boxed::BoxFuture<
        '_,
        Result<crate::client::http::HttpResponse, crate::client::transport::TransportError>,
    > {
        Box::pin(std::future::ready(Err(
            crate::client::transport::TransportError::other(
                "the configuration failed to build: nothing is sent",
            ),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::test_transport::TestTransport;
    use std::collections::HashMap;
    use std::io::Write;

    fn env(vars: Vec<(&str, String)>) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> =
            vars.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        move |name| map.get(name).cloned()
    }

    fn creds() -> Credentials {
        Credentials::from_keys("AKID", "SECRET", None)
    }

    #[test]
    fn builds_with_defaults_and_checks_required_settings() {
        let c = Config::builder()
            .region("us-west-2")
            .credentials(creds())
            .transport(TestTransport::new())
            .build()
            .unwrap();
        assert_eq!(c.region().map(AsRef::as_ref), Some("us-west-2"));
        assert!(c.validation_enabled() && !c.use_fips() && !c.use_dual_stack());
        assert_eq!(c.retry_config(), Some(&RetryConfig::standard()));
        let timeouts = c.timeout_config().unwrap();
        assert_eq!(
            (timeouts.connect_timeout(), timeouts.read_timeout()),
            (
                Some(Duration::from_millis(3100)),
                Some(Duration::from_secs(60))
            )
        );
        assert_eq!(
            (
                timeouts.operation_timeout(),
                timeouts.operation_attempt_timeout()
            ),
            (None, None)
        );
        let err = Config::builder().credentials(creds()).build().unwrap_err();
        assert!(err.to_string().starts_with("no region"), "{err}");
        let err = Config::builder().region("us-west-2").build().unwrap_err();
        assert!(err.to_string().starts_with("no credentials"), "{err}");
        let err = Config::builder()
            .region("r")
            .credentials(creds())
            .max_attempts(0)
            .build()
            .unwrap_err();
        assert_eq!(err.to_string(), "max_attempts must be at least 1");
    }

    /// A config with every setting away from its default.
    fn unusual() -> ConfigBuilder {
        Config::builder()
            .region("eu-west-1")
            .credentials(creds())
            .endpoint_url("https://base.example.com")
            .use_fips(true)
            .use_dual_stack(true)
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(1))
                    .read_timeout(Duration::from_secs(2))
                    .operation_timeout(Duration::from_secs(30))
                    .operation_attempt_timeout(Duration::from_secs(10))
                    .build(),
            )
            .retry_config(RetryConfig::adaptive().with_max_attempts(7))
            .validation(false)
            .host_prefix(false)
            .disable_request_compression(true)
            .request_min_compression_size_bytes(100)
            .max_response_body_size(1024)
            .stalled_stream_protection(StalledStreamProtection::disabled())
            .app_name(AppName::new("base-app").unwrap())
            .transport(TestTransport::new())
    }

    /// Connect, read, operation and attempt timeouts (`None`: none).
    fn timeout_values(config: &Config) -> [Option<Duration>; 4] {
        let t = config.timeout_config().unwrap();
        [
            t.connect_timeout(),
            t.read_timeout(),
            t.operation_timeout(),
            t.operation_attempt_timeout(),
        ]
    }

    #[test]
    fn an_override_set_back_to_the_default_still_applies() {
        let base = unusual().build().unwrap();
        let defaults = Config::builder()
            .region("us-east-1")
            .credentials(creds())
            .transport(TestTransport::new())
            .build()
            .unwrap();
        let layered = Config::builder()
            .region("us-east-1")
            .endpoint_url("https://override.example.com")
            .use_fips(false)
            .use_dual_stack(false)
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_millis(3100))
                    .read_timeout(Duration::from_secs(60))
                    .disable_operation_timeout()
                    .disable_operation_attempt_timeout()
                    .build(),
            )
            .retry_config(RetryConfig::standard())
            .validation(true)
            .host_prefix(true)
            .disable_request_compression(false)
            .request_min_compression_size_bytes(10240)
            .max_response_body_size(crate::client::DEFAULT_MAX_RESPONSE_BODY_SIZE)
            .stalled_stream_protection(StalledStreamProtection::enabled())
            .app_name(AppName::new("override-app").unwrap())
            .layered_over(&base)
            .build()
            .unwrap();
        assert_eq!(layered.region().map(AsRef::as_ref), Some("us-east-1"));
        assert_eq!(layered.endpoint_url(), Some("https://override.example.com"));
        assert_eq!(
            layered.app_name().map(AppName::as_str),
            Some("override-app")
        );
        // Every setting with a default is the default again.
        assert!(!layered.use_fips() && !layered.use_dual_stack());
        assert_eq!(timeout_values(&layered), timeout_values(&defaults));
        assert_eq!(layered.retry_config(), Some(&RetryConfig::standard()));
        assert!(layered.validation_enabled() && layered.host_prefix_enabled());
        assert_eq!(layered.request_compression(), RequestCompression::default());
        assert_eq!(layered.response_limits(), defaults.response_limits());
    }

    #[test]
    fn a_built_configs_region_is_kept_and_a_new_one_is_checked() {
        let base = unusual().build().unwrap();
        // An override that sets no region keeps the base's (checked again
        // by `build()`, where it passes as it did before).
        let layered = Config::builder().layered_over(&base);
        assert_eq!(
            layered.region.as_ref().map(AsRef::as_ref),
            Some("eu-west-1")
        );
        assert_eq!(
            layered.build().unwrap().region().map(AsRef::as_ref),
            Some("eu-west-1")
        );
        // A region the override sets is checked.
        let err = Config::builder()
            .region("eu-west-1.evil.com")
            .layered_over(&base)
            .build()
            .unwrap_err();
        assert!(err.to_string().starts_with("invalid region"), "{err}");
    }

    #[test]
    fn an_empty_override_keeps_every_base_setting() {
        let base = unusual().build().unwrap();
        let layered = Config::builder().layered_over(&base).build().unwrap();
        assert_eq!(format!("{layered:?}"), format!("{base:?}"));
        assert_eq!(layered.timeout_config(), base.timeout_config());
        assert_eq!(layered.retry_config(), base.retry_config());
        assert_eq!(layered.response_limits(), base.response_limits());
        assert_eq!(layered.request_compression(), base.request_compression());
    }

    #[test]
    fn an_override_changes_only_what_it_sets() {
        let base = unusual().build().unwrap();
        // One timeout, the attempts and the compression threshold alone:
        // the other timeouts, the retry mode and compression stay base's.
        let layered = Config::builder()
            .read_timeout(Duration::from_secs(60))
            .max_attempts(3)
            .request_min_compression_size_bytes(10240)
            .layered_over(&base)
            .build()
            .unwrap();
        let timeouts = layered.timeout_config().unwrap();
        assert_eq!(timeouts.read_timeout(), Some(Duration::from_secs(60)));
        assert_eq!(timeouts.connect_timeout(), Some(Duration::from_secs(1)));
        assert_eq!(timeouts.operation_timeout(), Some(Duration::from_secs(30)));
        assert_eq!(
            layered.retry_config(),
            Some(&RetryConfig::adaptive().with_max_attempts(3))
        );
        assert_eq!(
            layered.request_compression(),
            RequestCompression {
                enabled: false,
                min_size_bytes: 10240
            }
        );
        assert!(layered.use_fips() && !layered.validation_enabled());
    }

    #[test]
    fn timeout_configs_merge_as_aws_smithy_types_merges_layers() {
        let configured = |t: TimeoutConfig| {
            Config::builder()
                .region("us-west-2")
                .credentials(creds())
                .timeout_config(t)
                .transport(TestTransport::new())
        };
        let secs = Duration::from_secs;
        // A TimeoutConfig with no timeout set turns them all off, as in
        // aws-smithy-types 1.9.3's `MergeTimeoutConfig` ("setting an EMPTY
        // timeout config is equivalent to `TimeoutConfig::disabled()`").
        let empty = configured(TimeoutConfig::builder().build())
            .build()
            .unwrap();
        assert_eq!(timeout_values(&empty), [None; 4]);
        // One set: the defaults fill the others (connect 3.1 s, read 60 s).
        let one = configured(TimeoutConfig::builder().operation_timeout(secs(9)).build())
            .build()
            .unwrap();
        assert_eq!(
            timeout_values(&one),
            [
                Some(Duration::from_millis(3100)),
                Some(secs(60)),
                Some(secs(9)),
                None
            ]
        );
        // A second timeout_config replaces the first (the SDK's builder
        // stores it with `StoreReplace`), it is not merged with it.
        let replaced = configured(TimeoutConfig::builder().connect_timeout(secs(1)).build())
            .timeout_config(TimeoutConfig::builder().read_timeout(secs(5)).build())
            .build()
            .unwrap();
        assert_eq!(
            timeout_values(&replaced),
            [Some(Duration::from_millis(3100)), Some(secs(5)), None, None]
        );
        // In an override: one that only disables turns every timeout off,
        // one that sets takes the client's for the others.
        let base = configured(
            TimeoutConfig::builder()
                .connect_timeout(secs(1))
                .operation_timeout(secs(30))
                .build(),
        )
        .build()
        .unwrap();
        let disabling = Config::builder()
            .timeout_config(TimeoutConfig::builder().disable_operation_timeout().build())
            .layered_over(&base)
            .build()
            .unwrap();
        assert_eq!(timeout_values(&disabling), [None; 4]);
        let setting = Config::builder()
            .timeout_config(TimeoutConfig::builder().read_timeout(secs(2)).build())
            .layered_over(&base)
            .build()
            .unwrap();
        assert_eq!(
            timeout_values(&setting),
            [Some(secs(1)), Some(secs(2)), Some(secs(30)), None]
        );
    }

    #[test]
    fn takes_the_sdk_setting_types() {
        use crate::client::BehaviorVersion;
        // The very types aws-sdk's `config` re-exports.
        let _: aws_smithy_types::timeout::TimeoutConfig = TimeoutConfig::disabled();
        let _: aws_smithy_runtime_api::client::behavior_version::BehaviorVersion =
            BehaviorVersion::latest();
        let c = Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region("us-west-2")
            .credentials(creds())
            .timeout_config(TimeoutConfig::disabled())
            .stalled_stream_protection(
                StalledStreamProtectionConfig::enabled()
                    .upload_enabled(false)
                    .grace_period(Duration::from_secs(7))
                    .build(),
            )
            .transport(TestTransport::new())
            .build()
            .unwrap();
        // Disabled timeouts are off, not the defaults.
        assert_eq!(timeout_values(&c), [None; 4]);
        // The getter gives the SDK's type, as aws-sdk-ivschat's does.
        let ssp: Option<&StalledStreamProtectionConfig> = c.stalled_stream_protection();
        let ssp = ssp.unwrap();
        assert!(!ssp.upload_enabled() && ssp.download_enabled() && ssp.is_enabled());
        assert_eq!(ssp.grace_period(), Duration::from_secs(7));
        assert_eq!(c.response_limits().stalled_stream.minimum_throughput(), 1);
        let off = Config::builder()
            .region("us-west-2")
            .credentials(creds())
            .stalled_stream_protection(StalledStreamProtectionConfig::disabled())
            .transport(TestTransport::new())
            .build()
            .unwrap();
        assert!(!off.stalled_stream_protection().unwrap().is_enabled());
    }

    #[test]
    fn validates_endpoint_urls() {
        let build = |url: &str| {
            Config::builder()
                .region("r")
                .credentials(creds())
                .endpoint_url(url)
                .build()
        };
        assert!(build("http://127.0.0.1:8080").is_ok());
        assert!(build("https://example.com/base").is_ok());
        for (url, why) in [
            ("ftp://example.com", "the scheme must be http or https"),
            ("example.com", "the scheme must be http or https"),
            ("https://example.com/?a=b", "a query string is not allowed"),
        ] {
            let err = build(url).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("invalid endpoint_url `{url}`: {why}")
            );
        }
    }

    #[test]
    fn regions_must_be_host_labels() {
        let build = |region: &str| {
            Config::builder()
                .region(region)
                .credentials(creds())
                .transport(TestTransport::new())
                .build()
        };
        for ok in [
            "us-west-2",
            "eu-central-1",
            "cn-north-1",
            "r",
            "us-gov-west-1",
            "a1",
        ] {
            assert!(build(ok).is_ok(), "{ok}");
        }
        let why = "a region must be a valid host label \
                   (1 to 63 ASCII letters, digits and hyphens, not starting with a hyphen)";
        for (bad, shown) in [
            ("us-west-2.evil.com", "us-west-2.evil.com"),
            ("-us", "-us"),
            ("us_west_2", "us_west_2"),
            ("us-west-2/", "us-west-2/"),
            ("us-west-2\r\nx-injected: 1", "us-west-2\\r\\nx-injected: 1"),
            ("r\u{1b}[31m", "r\\u{1b}[31m"),
            ("\u{e9}u", "\u{e9}u"),
            ("us\u{202e}1", "us\\u{202e}1"),
        ] {
            let err = build(bad).unwrap_err().to_string();
            assert_eq!(err, format!("invalid region `{shown}`: {why}"));
            assert!(!err.contains('\r') && !err.contains('\u{1b}'), "{err:?}");
        }
        let long = "a".repeat(70);
        let err = build(&long).unwrap_err().to_string();
        assert_eq!(
            err,
            format!("invalid region `{}...`: {why}", "a".repeat(64))
        );
        assert!(build(&"a".repeat(63)).is_ok());
    }

    #[test]
    fn limits_and_timeouts_have_sdk_defaults_and_setters() {
        let base = || {
            Config::builder()
                .region("us-west-2")
                .credentials(creds())
                .transport(TestTransport::new())
        };
        let c = base().build().unwrap();
        assert_eq!(c.max_response_body_size(), 64 * 1024 * 1024);
        let ssp = c.stalled_stream_protection().unwrap();
        assert!(ssp.upload_enabled() && ssp.download_enabled());
        assert_eq!(
            (
                ssp.grace_period(),
                c.response_limits().stalled_stream.minimum_throughput()
            ),
            (Duration::from_secs(5), 1)
        );
        assert_eq!(c.timeouts().operation_attempt_timeout(), None);
        let c = base()
            .max_response_body_size(1024)
            .stalled_stream_protection(StalledStreamProtection::disabled())
            .operation_attempt_timeout(Duration::from_millis(250))
            .build()
            .unwrap();
        assert_eq!(c.max_response_body_size(), 1024);
        assert!(!c.stalled_stream_protection().unwrap().download_enabled());
        assert_eq!(
            c.timeouts().operation_attempt_timeout(),
            Some(Duration::from_millis(250))
        );
        assert_eq!(
            c.to_builder().build().unwrap().response_limits(),
            c.response_limits()
        );
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let c = Config::builder()
            .region("r")
            .credentials(Credentials::from_keys(
                "AKID",
                "TOPSECRET",
                Some("TOKENVALUE".into()),
            ))
            .transport(TestTransport::new())
            .build()
            .unwrap();
        let shown = format!("{c:?} {:?}", c.to_builder());
        assert!(shown.contains("AKID"));
        assert!(
            !shown.contains("TOPSECRET") && !shown.contains("TOKENVALUE"),
            "{shown}"
        );
    }

    async fn key(c: &Config) -> String {
        c.credentials_provider()
            .provide_credentials()
            .await
            .unwrap()
            .access_key_id()
            .to_owned()
    }

    #[test]
    fn from_env_reads_no_secret_into_debug() {
        let builder = ConfigBuilder::default()
            .load_env_with(&env(vec![
                ("AWS_REGION", "us-east-1".into()),
                ("AWS_ACCESS_KEY_ID", "AKIDENV".into()),
                ("AWS_SECRET_ACCESS_KEY", "TOPSECRET".into()),
                ("AWS_SESSION_TOKEN", "TOKENVALUE".into()),
                ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "CONTAINERTOKEN".into()),
            ]))
            .unwrap();
        let config = builder
            .clone()
            .transport(TestTransport::new())
            .build()
            .unwrap();
        let shown = format!("{builder:?} {config:?}");
        assert!(shown.contains("DefaultCredentialsChain"), "{shown}");
        for secret in ["TOPSECRET", "TOKENVALUE", "CONTAINERTOKEN"] {
            assert!(!shown.contains(secret), "{shown}");
        }
    }

    #[tokio::test]
    async fn environment_then_profile() {
        let dir = std::env::temp_dir().join(format!("awsrt-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let config_file = dir.join("config");
        let creds_file = dir.join("credentials");
        let mut f = std::fs::File::create(&config_file).unwrap();
        writeln!(
            f,
            "[default]\nregion = eu-west-1\n[profile dev]\nregion = ap-south-1"
        )
        .unwrap();
        let mut f = std::fs::File::create(&creds_file).unwrap();
        writeln!(f, "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = S\n[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = S2").unwrap();
        let files = || {
            vec![
                ("AWS_CONFIG_FILE", config_file.display().to_string()),
                (
                    "AWS_SHARED_CREDENTIALS_FILE",
                    creds_file.display().to_string(),
                ),
            ]
        };
        let resolve =
            |builder: ConfigBuilder| builder.transport(TestTransport::new()).build().unwrap();

        let c = resolve(
            ConfigBuilder::default()
                .load_env_with(&env(files()))
                .unwrap(),
        );
        assert_eq!(c.region().map(AsRef::as_ref), Some("eu-west-1"));
        assert_eq!(key(&c).await, "AKIDFILE");

        let mut vars = files();
        vars.extend([
            ("AWS_PROFILE", "dev".to_owned()),
            ("AWS_USE_FIPS_ENDPOINT", "true".to_owned()),
        ]);
        let c = resolve(ConfigBuilder::default().load_env_with(&env(vars)).unwrap());
        assert_eq!(c.region().map(AsRef::as_ref), Some("ap-south-1"));
        assert!(c.use_fips());
        assert_eq!(key(&c).await, "AKIDDEV");

        let mut vars = files();
        vars.extend([
            ("AWS_REGION", "us-east-2".to_owned()),
            ("AWS_ACCESS_KEY_ID", "AKIDENV".to_owned()),
            ("AWS_SECRET_ACCESS_KEY", "S3".to_owned()),
            ("AWS_MAX_ATTEMPTS", "5".to_owned()),
        ]);
        let c = resolve(ConfigBuilder::default().load_env_with(&env(vars)).unwrap());
        assert_eq!(
            (
                c.region().unwrap().as_ref(),
                c.retry_config().unwrap().max_attempts()
            ),
            ("us-east-2", 5)
        );
        assert_eq!(key(&c).await, "AKIDENV");

        let c = resolve(
            Config::builder()
                .region("us-west-1")
                .load_profile_with(Some("dev"), &env(files()))
                .unwrap(),
        );
        assert_eq!(c.region().map(AsRef::as_ref), Some("us-west-1"));

        let err = ConfigBuilder::default()
            .load_profile_with(Some("nope"), &env(files()))
            .unwrap_err();
        assert_eq!(
            crate::client::error::chain_text(&err),
            "cannot load profile: profile `nope` is not defined in the shared config or credentials file"
        );
        let missing = vec![
            ("AWS_CONFIG_FILE", dir.join("none").display().to_string()),
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                dir.join("none").display().to_string(),
            ),
            ("AWS_EC2_METADATA_DISABLED", "true".to_owned()),
            ("AWS_REGION", "us-east-1".to_owned()),
        ];
        let c = resolve(
            ConfigBuilder::default()
                .load_env_with(&env(missing))
                .unwrap(),
        );
        let err = c
            .credentials_provider()
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("no credentials found by the default chain (environment: environment variable AWS_ACCESS_KEY_ID is not set;"),
            "{err}"
        );
        assert!(err.is_not_loaded());
        let err = ConfigBuilder::default()
            .load_env_with(&env(vec![("AWS_USE_FIPS_ENDPOINT", "yes".into())]))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "AWS_USE_FIPS_ENDPOINT must be true or false, not `yes`"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn retry_mode_attempts_and_app_name_from_environment_then_profile() {
        use crate::client::retry::RetryMode;
        let dir = std::env::temp_dir().join(format!("awsrt-retry-env-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let config_file = dir.join("config");
        std::fs::write(
            &config_file,
            "[default]\nregion = eu-west-1\nretry_mode = adaptive\nmax_attempts = 7\n\
             sdk_ua_app_id = from-profile\nca_bundle = /profile/ca.pem\n\
             aws_access_key_id = A\naws_secret_access_key = S\n\
             [profile bad]\nretry_mode = legacy\naws_access_key_id = A\naws_secret_access_key = S\n\
             [profile old-key]\nsdk-ua-app-id = from-old-key\n\
             [profile both-keys]\nsdk-ua-app-id = from-old-key\nsdk_ua_app_id = from-new-key\n\
             [profile bad-app]\nsdk_ua_app_id = bad app\n",
        )
        .unwrap();
        let load = |extra: Vec<(&'static str, String)>| {
            let mut vars = vec![
                ("AWS_CONFIG_FILE", config_file.display().to_string()),
                (
                    "AWS_SHARED_CREDENTIALS_FILE",
                    dir.join("none").display().to_string(),
                ),
            ];
            vars.extend(extra);
            ConfigBuilder::default()
                .load_env_with(&env(vars))
                .and_then(|b| b.transport(TestTransport::new()).build())
        };
        let c = load(vec![]).unwrap();
        assert_eq!(c.retry_config().unwrap().mode(), RetryMode::Adaptive);
        assert_eq!(c.retry_config().unwrap().max_attempts(), 7);
        assert_eq!(c.app_name().map(|a| a.as_str()), Some("from-profile"));
        assert_eq!(
            c.tls_settings(),
            &TlsSettings::default().with_ca_bundle("/profile/ca.pem")
        );
        let c = load(vec![
            ("AWS_RETRY_MODE", "Standard".into()),
            ("AWS_MAX_ATTEMPTS", "2".into()),
            ("AWS_SDK_UA_APP_ID", "from-env".into()),
            ("AWS_CA_BUNDLE", "/env/ca.pem".into()),
        ])
        .unwrap();
        assert_eq!(
            c.tls_settings(),
            &TlsSettings::default().with_ca_bundle("/env/ca.pem")
        );
        assert_eq!(c.retry_config().unwrap().mode(), RetryMode::Standard);
        assert_eq!(c.retry_config().unwrap().max_attempts(), 2);
        assert_eq!(c.app_name().map(|a| a.as_str()), Some("from-env"));
        let err = load(vec![("AWS_PROFILE", "bad".into())]).unwrap_err();
        assert_eq!(
            crate::client::error::chain_text(&err),
            "invalid `retry_mode` in profile `bad`: retry mode must be `standard` or `adaptive`, not `legacy`"
        );
        let err = load(vec![("AWS_MAX_ATTEMPTS", "0".into())]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "AWS_MAX_ATTEMPTS must be a positive integer, not `0`"
        );
        // As aws-config's app name provider: the older profile key when the
        // standard one is absent; an invalid value is ignored (a warning),
        // the profile not asked instead.
        let app = |extra: Vec<(&'static str, String)>| {
            load(extra)
                .unwrap()
                .app_name()
                .map(|a| a.as_str().to_owned())
        };
        let profile = |name: &str| ("AWS_PROFILE", name.to_owned());
        assert_eq!(
            app(vec![profile("old-key")]).as_deref(),
            Some("from-old-key")
        );
        assert_eq!(
            app(vec![profile("both-keys")]).as_deref(),
            Some("from-new-key")
        );
        assert_eq!(app(vec![profile("bad-app")]), None);
        assert_eq!(app(vec![("AWS_SDK_UA_APP_ID", "my app".into())]), None);
        assert_eq!(
            app(vec![
                ("AWS_SDK_UA_APP_ID", "my app".into()),
                profile("old-key")
            ]),
            None
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Counts the fetches it answers (a provider that wants a cache).
    #[derive(Debug, Default)]
    struct Counting(std::sync::atomic::AtomicUsize);

    impl ProvideCredentials for Counting {
        fn provide_credentials(
            &self,
        ) -> crate::client::boxed::BoxFuture<
            '_,
            Result<Credentials, crate::client::credentials::CredentialsError>,
        > {
            self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Box::pin(async { Ok(Credentials::from_keys("AKID", "SECRET", None)) })
        }
    }

    #[tokio::test]
    async fn to_builder_keeps_the_credentials_cache_choice() {
        for (cache, fetches) in [(false, 2), (true, 1)] {
            let counting = Arc::new(Counting::default());
            let config = Config::builder()
                .region("us-west-2")
                .shared_credentials_provider(counting.clone())
                .credentials_cache(cache)
                .transport(TestTransport::new())
                .build()
                .unwrap();
            let rebuilt = config.to_builder().build().unwrap();
            for _ in 0..2 {
                rebuilt
                    .credentials_provider()
                    .provide_credentials()
                    .await
                    .unwrap();
            }
            assert_eq!(
                counting.0.load(std::sync::atomic::Ordering::SeqCst),
                fetches,
                "credentials_cache({cache})"
            );
        }
    }
}
