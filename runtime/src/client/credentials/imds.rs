//! EC2 instance metadata (IMDSv2): instance-role credentials and the region.
//!
//! Each session starts with `PUT /latest/api/token` carrying
//! `x-aws-ec2-metadata-token-ttl-seconds: 21600`; the token (reused until a
//! minute before its TTL ends) goes in `x-aws-ec2-metadata-token` on every
//! `GET`. Credentials: `GET /latest/meta-data/iam/security-credentials/`
//! names the role, `GET .../security-credentials/{role}` gives its
//! credentials. Region: `GET /latest/meta-data/placement/region`. As
//! aws-config: no fallback to IMDSv1, 1 s connect and read timeouts, 4
//! attempts for 5xx answers and 401 (a new token is fetched), with a short
//! exponential backoff. A request that gets no answer (refused, reset, timed
//! out) is not retried, as aws-config's `ImdsResponseRetryClassifier`
//! does by default: off EC2 the chain then gives up on IMDS in one attempt.
//!
//! `AWS_EC2_METADATA_DISABLED=true` turns it off; the endpoint is
//! `AWS_EC2_METADATA_SERVICE_ENDPOINT` (profile key
//! `ec2_metadata_service_endpoint`), else `http://169.254.169.254`
//! (`http://[fd00:ec2::254]` with `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6`
//! or the profile's `ec2_metadata_service_endpoint_mode = IPv6`).
//! When IMDS cannot be reached (not on EC2), or the instance has no role,
//! the credentials provider reports "not loaded".
//!
//! Static stability, as aws-config's `ImdsCredentialsProvider`: credentials
//! IMDS gives with an expiry already past (IMDS cannot refresh them, e.g.
//! during an outage of the credentials service; AWS still accepts them for a
//! while) are used with their expiry moved to 10 to 15 minutes from now
//! ([`STALE_EXTENSION`] plus up to [`STALE_EXTENSION_JITTER`]); and when IMDS
//! fails, the provider answers with the last credentials it got, if any.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::client::boxed::BoxFuture;
use crate::client::credentials::json::{self, Format};
use crate::client::credentials::provider_config::{backoff, send_bounded};
use crate::client::credentials::{
    Credentials, CredentialsError, ProvideCredentials, ProviderConfig,
};
use crate::client::http::{HttpRequest, HttpResponse, Method};
use crate::client::profile::{self as files, ProfileSet};
use crate::client::transport::HttpTransport;

/// Turns IMDS off when `true`.
pub const ENV_DISABLED: &str = "AWS_EC2_METADATA_DISABLED";
/// Overrides the endpoint.
pub const ENV_ENDPOINT: &str = "AWS_EC2_METADATA_SERVICE_ENDPOINT";
/// `IPv4` (default) or `IPv6`.
pub const ENV_ENDPOINT_MODE: &str = "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE";
/// The token lifetime asked for, in seconds (6 hours, as the SDKs).
pub const TOKEN_TTL_SECONDS: u64 = 21_600;
const TIMEOUT: Duration = Duration::from_secs(1);
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(3);
const MAX_ATTEMPTS: u32 = 4;
const CREDENTIALS_PATH: &str = "/latest/meta-data/iam/security-credentials/";
/// How far past now an expiry already past is moved, at least
/// (aws-config's `CREDENTIAL_EXPIRATION_INTERVAL`).
pub const STALE_EXTENSION: Duration = Duration::from_secs(10 * 60);
/// The most a random jitter adds to [`STALE_EXTENSION`] (aws-config: up to
/// 300 s), so that many clients do not all refresh at once.
pub const STALE_EXTENSION_JITTER: Duration = Duration::from_secs(5 * 60);
const REGION_PATH: &str = "/latest/meta-data/placement/region";

/// An IMDSv2 client.
#[derive(Debug)]
pub struct ImdsClient {
    config: ProviderConfig,
    token: tokio::sync::Mutex<Option<(String, SystemTime)>>,
}

/// Why a GET failed.
enum GetError {
    /// IMDS answered this status (retried when 401 or 5xx).
    Status(u16),
    /// Anything else, not retried: IMDS could not be reached or refused
    /// tokens (not on EC2, or turned off there: a "not loaded" error), or
    /// answered nonsense.
    Failed(CredentialsError),
}

impl ImdsClient {
    /// A client reading its settings from the config's environment.
    pub fn new(config: ProviderConfig) -> Self {
        ImdsClient {
            config,
            token: tokio::sync::Mutex::new(None),
        }
    }

    /// Whether `AWS_EC2_METADATA_DISABLED` turns IMDS off.
    pub fn disabled(&self) -> bool {
        self.config
            .env()
            .get_non_empty(ENV_DISABLED)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    /// A setting from the environment, else from the selected profile.
    fn setting(&self, var: &str, profile_key: &str) -> Option<String> {
        let env = self.config.env();
        env.get_non_empty(var).or_else(|| {
            let set = ProfileSet::load_with(&env.as_fn()).ok()?;
            let profile = set.profile(&files::selected_profile(&env.as_fn()))?;
            profile
                .get(profile_key)
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        })
    }

    /// The endpoint, without a trailing slash.
    pub fn endpoint(&self) -> Result<String, CredentialsError> {
        if let Some(url) = self.setting(ENV_ENDPOINT, "ec2_metadata_service_endpoint") {
            let uri: http::Uri = url.parse().map_err(|_| {
                CredentialsError::invalid_configuration(format!(
                    "{ENV_ENDPOINT} `{url}` is not a URI"
                ))
            })?;
            if !matches!(uri.scheme_str(), Some("http" | "https")) || uri.host().is_none() {
                return Err(CredentialsError::invalid_configuration(format!(
                    "{ENV_ENDPOINT} `{url}` needs an http or https scheme and a host"
                )));
            }
            return Ok(url.trim_end_matches('/').to_owned());
        }
        match self.setting(ENV_ENDPOINT_MODE, "ec2_metadata_service_endpoint_mode") {
            None => Ok("http://169.254.169.254".to_owned()),
            Some(m) if m.eq_ignore_ascii_case("ipv4") => Ok("http://169.254.169.254".to_owned()),
            Some(m) if m.eq_ignore_ascii_case("ipv6") => Ok("http://[fd00:ec2::254]".to_owned()),
            Some(m) => Err(CredentialsError::invalid_configuration(format!(
                "{ENV_ENDPOINT_MODE} must be IPv4 or IPv6, not `{m}`"
            ))),
        }
    }

    async fn send(
        &self,
        transport: &dyn HttpTransport,
        endpoint: &str,
        method: Method,
        path: &str,
        headers: &[(&str, String)],
    ) -> Result<HttpResponse, GetError> {
        let mut request = HttpRequest::new(method, path);
        request.set_endpoint(endpoint);
        for (name, value) in headers {
            request.set_header(name, value.clone());
        }
        send_bounded(transport, request, ATTEMPT_TIMEOUT)
            .await
            .map_err(|e| {
                GetError::Failed(
                    CredentialsError::not_loaded(format!(
                        "IMDS at {endpoint} could not be reached"
                    ))
                    .caused_by(e),
                )
            })
    }

    async fn token(
        &self,
        transport: &dyn HttpTransport,
        endpoint: &str,
    ) -> Result<String, GetError> {
        let mut cached = self.token.lock().await;
        let now = self.config.time_source().now();
        if let Some((token, expires)) = cached.as_ref() {
            if now < *expires {
                return Ok(token.clone());
            }
        }
        let response = self
            .send(
                transport,
                endpoint,
                Method::Put,
                "/latest/api/token",
                &[(
                    "x-aws-ec2-metadata-token-ttl-seconds",
                    TOKEN_TTL_SECONDS.to_string(),
                )],
            )
            .await?;
        match response.status() {
            200 => {}
            403 => {
                return Err(GetError::Failed(CredentialsError::not_loaded(
                    "IMDS refused a token (HTTP 403): IMDS is disabled on this instance",
                )))
            }
            status => return Err(GetError::Status(status)),
        }
        let token = std::str::from_utf8(response.body())
            .ok()
            .map(str::trim)
            .filter(|t| !t.is_empty() && http::HeaderValue::from_str(t).is_ok())
            .ok_or_else(|| GetError::Failed(CredentialsError::new("IMDS sent an invalid token")))?
            .to_owned();
        let ttl = response
            .header("x-aws-ec2-metadata-token-ttl-seconds")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .unwrap_or(TOKEN_TTL_SECONDS);
        let expires = now + Duration::from_secs(ttl.saturating_sub(60));
        *cached = Some((token.clone(), expires));
        Ok(token)
    }

    /// `GET path` with a token, retried as described in the module
    /// documentation. Boxed, so that its callers (credentials, region) share
    /// one compiled state machine instead of each inlining its own.
    fn get_once<'a>(&'a self, path: &'a str) -> BoxFuture<'a, Result<String, GetError>> {
        Box::pin(self.fetch(path))
    }

    /// [`get_once`](ImdsClient::get_once)'s work.
    async fn fetch(&self, path: &str) -> Result<String, GetError> {
        let endpoint = self.endpoint().map_err(GetError::Failed)?;
        let transport = self
            .config
            .local_transport(TIMEOUT, TIMEOUT)
            .map_err(GetError::Failed)?;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let result = async {
                let token = self.token(transport.as_ref(), &endpoint).await?;
                let response = self
                    .send(
                        transport.as_ref(),
                        &endpoint,
                        Method::Get,
                        path,
                        &[("x-aws-ec2-metadata-token", token)],
                    )
                    .await?;
                match response.status() {
                    200..=299 => String::from_utf8(response.body().to_vec()).map_err(|_| {
                        GetError::Failed(CredentialsError::new(format!(
                            "IMDS answered {path} with text that is not UTF-8"
                        )))
                    }),
                    401 => {
                        *self.token.lock().await = None;
                        Err(GetError::Status(401))
                    }
                    status => Err(GetError::Status(status)),
                }
            }
            .await;
            let retry = matches!(&result, Err(GetError::Status(s)) if *s == 401 || *s >= 500);
            if retry && attempt < MAX_ATTEMPTS {
                tokio::time::sleep(backoff(
                    Duration::from_millis(50),
                    Duration::from_secs(1),
                    attempt,
                ))
                .await;
                continue;
            }
            return result;
        }
    }

    /// The text at `path` (e.g. `/latest/meta-data/placement/region`).
    pub async fn get(&self, path: &str) -> Result<String, CredentialsError> {
        if self.disabled() {
            return Err(CredentialsError::not_loaded(format!(
                "IMDS is turned off by {ENV_DISABLED}"
            )));
        }
        self.get_once(path).await.map_err(|e| match e {
            GetError::Failed(e) => e,
            GetError::Status(s) => {
                CredentialsError::new(format!("IMDS answered {path} with HTTP {s}"))
            }
        })
    }

    /// The instance's region.
    pub async fn region(&self) -> Result<String, CredentialsError> {
        let region = self.get(REGION_PATH).await?.trim().to_owned();
        if region.is_empty()
            || !region
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Err(CredentialsError::new(
                "IMDS answered with an invalid region",
            ));
        }
        Ok(region)
    }
}

/// Credentials of the instance's IAM role, statically stable as the module
/// documentation says.
#[derive(Debug, Clone)]
pub struct ImdsCredentialsProvider {
    client: Arc<ImdsClient>,
    /// The last credentials IMDS gave (expiry extended if it was past).
    last: Arc<std::sync::Mutex<Option<Credentials>>>,
}

impl ImdsCredentialsProvider {
    /// A provider reading its settings from the config's environment.
    pub fn new(config: ProviderConfig) -> Self {
        ImdsCredentialsProvider {
            client: Arc::new(ImdsClient::new(config)),
            last: Arc::default(),
        }
    }

    /// New credentials from IMDS, else the last ones it gave, else why not.
    pub async fn load(&self) -> Result<Credentials, CredentialsError> {
        let fetched = self.fetch().await;
        // A poisoned lock holds a whole value still.
        let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        match fetched {
            Ok(credentials) => {
                *last = Some(credentials.clone());
                Ok(credentials)
            }
            Err(error) => match last.as_ref() {
                Some(credentials) => {
                    tracing::warn!(
                        %error,
                        "IMDS gave no credentials; using the last ones it gave"
                    );
                    Ok(credentials.clone())
                }
                None => Err(error),
            },
        }
    }

    /// `credentials` with an expiry already past moved 10 to 15 minutes
    /// ahead, with aws-config's warning.
    fn extend_stale(&self, credentials: Credentials) -> Credentials {
        let now = self.client.config.time_source().now();
        match credentials.expiry() {
            Some(expiry) if expiry <= now => {
                let seed = now
                    .duration_since(SystemTime::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs());
                let jitter =
                    fastrand::Rng::with_seed(seed).u64(0..=STALE_EXTENSION_JITTER.as_secs());
                let offset = STALE_EXTENSION + Duration::from_secs(jitter);
                tracing::warn!(
                    "Attempting credential expiration extension due to a credential service \
                     availability issue. A refresh of these credentials will be attempted \
                     again within the next {:.2} minutes.",
                    offset.as_secs_f64() / 60.0
                );
                credentials.with_expiry(now + offset)
            }
            _ => credentials,
        }
    }

    /// Asks IMDS for the role and its credentials.
    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        if self.client.disabled() {
            return Err(CredentialsError::not_loaded(format!(
                "IMDS is turned off by {ENV_DISABLED}"
            )));
        }
        let role = match self.client.get_once(CREDENTIALS_PATH).await {
            Ok(text) => text.lines().next().unwrap_or("").trim().to_owned(),
            Err(GetError::Status(404)) => {
                return Err(CredentialsError::not_loaded(
                    "the EC2 instance has no IAM role (IMDS answered HTTP 404)",
                ))
            }
            Err(GetError::Status(s)) => {
                return Err(CredentialsError::new(format!(
                    "IMDS answered the role name request with HTTP {s}"
                )))
            }
            Err(GetError::Failed(e)) => return Err(e),
        };
        if role.is_empty() || role.contains(['/', '?', '#', '%']) {
            return Err(CredentialsError::not_loaded(
                "IMDS named no usable instance role",
            ));
        }
        let body = self
            .client
            .get(&format!("{CREDENTIALS_PATH}{role}"))
            .await?;
        json::parse(body.as_bytes(), Format::Http, "IMDS instance credentials")
            .map(|c| self.extend_stale(c))
    }
}

impl ProvideCredentials for ImdsCredentialsProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::credentials::Env;

    #[test]
    fn endpoint_from_env_then_profile_then_default() {
        let client = |vars: &[(&str, &str)]| {
            ImdsClient::new(ProviderConfig::new().with_env(Env::from_slice(vars)))
        };
        let none = [("AWS_CONFIG_FILE", "/nonexistent/awsrt/c")];
        assert_eq!(client(&none).endpoint().unwrap(), "http://169.254.169.254");
        assert_eq!(
            client(&[none[0], (ENV_ENDPOINT_MODE, "IPv6")])
                .endpoint()
                .unwrap(),
            "http://[fd00:ec2::254]"
        );
        assert_eq!(
            client(&[none[0], (ENV_ENDPOINT, "http://127.0.0.1:1338/")])
                .endpoint()
                .unwrap(),
            "http://127.0.0.1:1338"
        );
        let err = client(&[none[0], (ENV_ENDPOINT_MODE, "IPv5")])
            .endpoint()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE must be IPv4 or IPv6, not `IPv5`"
        );
        let dir = std::env::temp_dir().join(format!("awsrt-imds-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("config");
        std::fs::write(
            &path,
            "[default]\nec2_metadata_service_endpoint_mode = IPv6\n\
             [profile other]\nec2_metadata_service_endpoint = http://[::1]:9/\n",
        )
        .unwrap();
        let file = path.display().to_string();
        assert_eq!(
            client(&[("AWS_CONFIG_FILE", &file)]).endpoint().unwrap(),
            "http://[fd00:ec2::254]"
        );
        assert_eq!(
            client(&[("AWS_CONFIG_FILE", &file), ("AWS_PROFILE", "other")])
                .endpoint()
                .unwrap(),
            "http://[::1]:9"
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}
