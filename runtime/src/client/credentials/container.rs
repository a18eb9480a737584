//! Container credentials: ECS task roles and EKS Pod Identity.
//!
//! `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is a path on
//! `http://169.254.170.2` (ECS). Otherwise
//! `AWS_CONTAINER_CREDENTIALS_FULL_URI` is used if it is `https`, or `http`
//! to a host the SDKs allow: a loopback address, the ECS address
//! 169.254.170.2, or the EKS Pod Identity addresses 169.254.170.23 and
//! fd00:ec2::23 (a name must resolve to allowed addresses only). The
//! `Authorization` header comes from the file named by
//! `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read at every call; EKS
//! rotates it), else from `AWS_CONTAINER_AUTHORIZATION_TOKEN`. Timeouts
//! 2 s (connect) and 5 s (read), 3 attempts for 5xx answers and transport
//! failures, as aws-config.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, ToSocketAddrs};
use std::time::Duration;

use crate::client::boxed::BoxFuture;
use crate::client::credentials::json::{self, Format};
use crate::client::credentials::provider_config::{backoff, send_bounded};
use crate::client::credentials::{
    Credentials, CredentialsError, ProvideCredentials, ProviderConfig,
};
use crate::client::http::{HttpRequest, Method};

/// Path on the ECS endpoint.
pub const ENV_RELATIVE_URI: &str = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
/// Full URI of the endpoint.
pub const ENV_FULL_URI: &str = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
/// The `Authorization` header value.
pub const ENV_AUTHORIZATION_TOKEN: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
/// A file holding the `Authorization` header value.
pub const ENV_AUTHORIZATION_TOKEN_FILE: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";
/// The ECS endpoint relative URIs are resolved against.
const ECS_BASE: &str = "http://169.254.170.2";
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
const READ_TIMEOUT: Duration = Duration::from_secs(5);
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(8);
const MAX_ATTEMPTS: u32 = 3;

/// Credentials from the container credentials endpoint.
#[derive(Debug, Clone)]
pub struct ContainerCredentialsProvider {
    config: ProviderConfig,
}

impl ContainerCredentialsProvider {
    /// A provider reading its settings from the config's environment at every call.
    pub fn new(config: ProviderConfig) -> Self {
        ContainerCredentialsProvider { config }
    }

    /// The URI to ask, checked against the allow-list; `NotLoaded` if
    /// neither variable is set.
    pub async fn uri(&self) -> Result<String, CredentialsError> {
        let env = self.config.env();
        if let Some(relative) = env.get_non_empty(ENV_RELATIVE_URI) {
            let sep = if relative.starts_with('/') { "" } else { "/" };
            let uri = format!("{ECS_BASE}{sep}{relative}");
            uri.parse::<http::Uri>().map_err(|_| {
                CredentialsError::invalid_configuration(format!(
                    "{ENV_RELATIVE_URI} does not make a valid URI"
                ))
            })?;
            return Ok(uri);
        }
        let Some(full) = env.get_non_empty(ENV_FULL_URI) else {
            return Err(CredentialsError::not_loaded(format!(
                "neither {ENV_RELATIVE_URI} nor {ENV_FULL_URI} is set"
            )));
        };
        validate_full_uri(&full).await?;
        Ok(full)
    }

    /// Asks the endpoint.
    pub async fn load(&self) -> Result<Credentials, CredentialsError> {
        let uri = self.uri().await?;
        let authorization = self.authorization()?;
        let transport = self.config.local_transport(CONNECT_TIMEOUT, READ_TIMEOUT)?;
        let parsed: http::Uri = uri.parse().map_err(|_| {
            CredentialsError::invalid_configuration(format!("{ENV_FULL_URI} is not a valid URI"))
        })?;
        let endpoint = format!(
            "{}://{}",
            parsed.scheme_str().unwrap_or("http"),
            parsed.authority().map(|a| a.as_str()).unwrap_or("")
        );
        let path = parsed.path_and_query().map_or("/", |p| p.as_str());
        let mut request = HttpRequest::new(Method::Get, path);
        request.set_endpoint(&endpoint);
        request.set_header("accept", "application/json");
        if let Some(token) = authorization {
            request.set_header("authorization", token);
        }
        let mut attempt = 0;
        loop {
            attempt += 1;
            let outcome = send_bounded(transport.as_ref(), request.clone(), ATTEMPT_TIMEOUT).await;
            let retryable = match &outcome {
                Ok(r) => r.status() >= 500,
                Err(e) => crate::client::retry::classify_transport(e).is_some(),
            };
            if retryable && attempt < MAX_ATTEMPTS {
                tokio::time::sleep(backoff(
                    Duration::from_millis(50),
                    Duration::from_secs(1),
                    attempt,
                ))
                .await;
                continue;
            }
            let response = outcome.map_err(|e| {
                CredentialsError::with_source(
                    format!("the container credentials endpoint {endpoint} did not answer"),
                    e,
                )
            })?;
            if !response.is_success() {
                let what = format!(
                    "the container credentials endpoint {endpoint} answered HTTP {}",
                    response.status()
                );
                // The endpoint's error document has `Code` and `Message`.
                return Err(match json::parse(response.body(), Format::Http, &what) {
                    Err(e) if e.code().is_some() => e,
                    _ => CredentialsError::new(what),
                });
            }
            return json::parse(
                response.body(),
                Format::Http,
                "the container credentials endpoint",
            );
        }
    }

    fn authorization(&self) -> Result<Option<String>, CredentialsError> {
        let env = self.config.env();
        let token = if let Some(file) = env.get_non_empty(ENV_AUTHORIZATION_TOKEN_FILE) {
            let bytes = std::fs::read(&file).map_err(|e| {
                CredentialsError::invalid_configuration(format!(
                    "cannot read {ENV_AUTHORIZATION_TOKEN_FILE} `{file}`"
                ))
                .caused_by(e)
            })?;
            String::from_utf8(bytes).map_err(|_| {
                CredentialsError::invalid_configuration(format!(
                    "the token in {ENV_AUTHORIZATION_TOKEN_FILE} `{file}` is not UTF-8"
                ))
            })?
        } else if let Some(token) = env.get(ENV_AUTHORIZATION_TOKEN) {
            token
        } else {
            return Ok(None);
        };
        if http::HeaderValue::from_str(&token).is_err() {
            return Err(CredentialsError::invalid_configuration(
                "the container authorization token is not a valid header value \
                 (does it end with a newline?)",
            ));
        }
        Ok(Some(token))
    }
}

/// Whether `ip` may serve container credentials over plain HTTP.
pub fn is_allowed_ip(ip: &IpAddr) -> bool {
    const ECS: IpAddr = IpAddr::V4(Ipv4Addr::new(169, 254, 170, 2));
    const EKS_V4: IpAddr = IpAddr::V4(Ipv4Addr::new(169, 254, 170, 23));
    const EKS_V6: IpAddr = IpAddr::V6(Ipv6Addr::new(0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x23));
    ip.is_loopback() || *ip == ECS || *ip == EKS_V4 || *ip == EKS_V6
}

/// Checks `AWS_CONTAINER_CREDENTIALS_FULL_URI` as the SDKs do.
pub async fn validate_full_uri(uri: &str) -> Result<(), CredentialsError> {
    let invalid = |why: &str| {
        CredentialsError::invalid_configuration(format!("{ENV_FULL_URI} `{uri}` {why}"))
    };
    let parsed: http::Uri = uri.parse().map_err(|_| invalid("is not a valid URI"))?;
    match parsed.scheme_str() {
        Some("https") => return Ok(()),
        Some("http") => {}
        _ => return Err(invalid("must use http or https")),
    }
    let host = parsed
        .host()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| invalid("has no host"))?;
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let allowed = match bare.parse::<IpAddr>() {
        Ok(ip) => is_allowed_ip(&ip),
        Err(_) => {
            let name = format!("{bare}:80");
            let resolved = tokio::task::spawn_blocking(move || {
                name.to_socket_addrs()
                    .map(|a| a.map(|s| s.ip()).collect::<Vec<_>>())
            })
            .await
            .map_err(|_| invalid("could not be resolved"))?
            .map_err(|_| invalid("could not be resolved"))?;
            !resolved.is_empty() && resolved.iter().all(is_allowed_ip)
        }
    };
    if allowed {
        Ok(())
    } else {
        Err(invalid(
            "is not allowed: over http the host must be a loopback address, \
             169.254.170.2, 169.254.170.23 or fd00:ec2::23",
        ))
    }
}

impl ProvideCredentials for ContainerCredentialsProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.load())
    }
}
