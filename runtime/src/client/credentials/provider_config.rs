//! What every credentials provider is built from: environment, transport,
//! clock and region.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::client::credentials::{CredentialsError, Env, LazyRegion};
use crate::client::http::{HttpRequest, HttpResponse};
use crate::client::hyper_transport::HyperTransport;
use crate::client::net::{ProxyConfig, TlsSettings};
use crate::client::time::{SystemClock, TimeSource};
use crate::client::transport::{HttpTransport, TransportError};

/// The largest response body a credentials endpoint may send (STS, the
/// container endpoint and IMDS answer with a few kilobytes).
pub(crate) const MAX_RESPONSE_BYTES: usize = 64 * 1024;

/// Settings shared by the credentials providers: where they read the
/// environment, how they speak HTTP, their clock, and the region STS is
/// called in.
#[derive(Clone)]
pub struct ProviderConfig {
    env: Env,
    transport: Option<Arc<dyn HttpTransport>>,
    time_source: Arc<dyn TimeSource>,
    region: Option<String>,
    /// Where the region comes from when none was given: IMDS, asked once for
    /// the client and its providers.
    imds_region: Option<Arc<LazyRegion>>,
    tls: TlsSettings,
    proxy: ProxyConfig,
}

impl Default for ProviderConfig {
    fn default() -> Self {
        ProviderConfig {
            env: Env::real(),
            transport: None,
            time_source: Arc::new(SystemClock),
            region: None,
            imds_region: None,
            tls: TlsSettings::default(),
            proxy: ProxyConfig::default(),
        }
    }
}

impl fmt::Debug for ProviderConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProviderConfig")
            .field("env", &self.env)
            .field("transport", &self.transport.as_ref().map(|_| "custom"))
            .field("time_source", &self.time_source)
            .field("region", &self.region)
            .field("imds_region", &self.imds_region)
            .field("tls", &self.tls)
            .field("proxy", &self.proxy)
            .finish()
    }
}

impl ProviderConfig {
    /// The process environment, the default transports (hyper + rustls, with
    /// each provider's timeouts), the system clock, no region.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads environment variables from `env`.
    pub fn with_env(mut self, env: Env) -> Self {
        self.env = env;
        self
    }

    /// Sends every provider's requests through `transport` (e.g. to loopback
    /// test servers). The providers still bound each attempt with their own
    /// timeout.
    pub fn with_transport(mut self, transport: Arc<dyn HttpTransport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Uses `time_source` for default session names and expiry.
    pub fn with_time_source(mut self, time_source: Arc<dyn TimeSource>) -> Self {
        self.time_source = time_source;
        self
    }

    /// The region STS is called in (and signed for).
    pub fn with_region(mut self, region: Option<String>) -> Self {
        self.region = region;
        self
    }

    /// When no region is given, STS is called in the region `lazy` gives
    /// (the lookup a config from `Config::from_env` makes for its calls),
    /// as aws-config calls it in the region its chain resolved, IMDS included.
    pub fn with_imds_region(mut self, lazy: Arc<LazyRegion>) -> Self {
        self.imds_region = Some(lazy);
        self
    }

    /// The trust store and proxy settings of the default transports (the
    /// client's own, so that STS, the container endpoint and IMDS are reached
    /// as the service is).
    pub fn with_network(mut self, tls: TlsSettings, proxy: ProxyConfig) -> Self {
        self.tls = tls;
        self.proxy = proxy;
        self
    }

    /// The environment.
    pub fn env(&self) -> &Env {
        &self.env
    }

    /// The clock.
    pub fn time_source(&self) -> &Arc<dyn TimeSource> {
        &self.time_source
    }

    /// The region, if one was given.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The region STS is called in: the one given, else the region IMDS gave
    /// the config's own lookup (the one [`with_imds_region`](Self::with_imds_region)
    /// set) when that lookup has answered, else none (STS then fails
    /// naming the missing region, as aws-config does, unless an endpoint URL
    /// is set and the call needs no signature).
    ///
    /// It never waits on IMDS: a client whose region comes from IMDS has
    /// resolved it before it asks for credentials, and one whose region was
    /// set in code must not wait for IMDS to fail on every refresh.
    pub(crate) fn sts_region(&self) -> Option<String> {
        self.region
            .clone()
            .or_else(|| Some(self.imds_region.as_ref()?.get()?.as_ref().to_owned()))
    }

    /// The configured transport, or a new default one with these timeouts.
    pub(crate) fn transport(
        &self,
        connect: Duration,
        read: Duration,
    ) -> Result<Arc<dyn HttpTransport>, CredentialsError> {
        match &self.transport {
            Some(t) => Ok(t.clone()),
            None => HyperTransport::with_network(Some(connect), Some(read), &self.tls, &self.proxy)
                .map(|t| Arc::new(t) as Arc<dyn HttpTransport>)
                .map_err(|e| CredentialsError::with_source("cannot create the HTTP transport", e)),
        }
    }
}

/// Sends `request` through `transport`, giving up after `limit`, and refuses
/// a body larger than [`MAX_RESPONSE_BYTES`].
pub(crate) async fn send_bounded(
    transport: &dyn HttpTransport,
    request: HttpRequest,
    limit: Duration,
) -> Result<HttpResponse, TransportError> {
    let response = tokio::time::timeout(limit, transport.send(request))
        .await
        .map_err(|_| TransportError::timeout(format!("no response within {limit:?}")))??;
    if response.body().len() > MAX_RESPONSE_BYTES {
        return Err(TransportError::other(format!(
            "the response body has {} bytes, more than the {MAX_RESPONSE_BYTES} allowed",
            response.body().len()
        )));
    }
    Ok(response)
}

/// The exponential backoff before retry `attempt` (1-based) of a
/// credentials request: `base * 2^(attempt-1)` with full jitter, at most
/// `cap`.
pub(crate) fn backoff(base: Duration, cap: Duration, attempt: u32) -> Duration {
    let exp = base.saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
    exp.min(cap).mul_f64(fastrand::f64())
}
