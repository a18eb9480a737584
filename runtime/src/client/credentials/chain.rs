//! The default credentials chain, in the Java SDK v2's order (aws-config
//! asks the shared files before web identity), and the region chain.

use std::fmt;

use crate::client::boxed::BoxFuture;
use crate::client::credentials::container::ContainerCredentialsProvider;
use crate::client::credentials::env::EnvironmentCredentialsProvider;
use crate::client::credentials::imds::{ImdsClient, ImdsCredentialsProvider};
use crate::client::credentials::profile::ProfileCredentialsProvider;
use crate::client::credentials::web_identity::WebIdentityTokenProvider;
use crate::client::credentials::{
    Credentials, CredentialsError, CredentialsErrorKind, ProvideCredentials, ProviderConfig,
};
use crate::client::profile::{self as files, ProfileSet};

/// The default credentials chain: the first of these that is set up gives
/// the credentials:
///
/// 1. the environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
///    `AWS_SESSION_TOKEN`);
/// 2. web identity (`AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN`,
///    `AWS_ROLE_SESSION_NAME`; STS `AssumeRoleWithWebIdentity`);
/// 3. the shared config and credentials files (see
///    [`profile`](crate::client::credentials::profile));
/// 4. the container endpoint (ECS, EKS Pod Identity; see
///    [`container`](crate::client::credentials::container));
/// 5. EC2 instance metadata (see [`imds`](crate::client::credentials::imds)).
///
/// A provider that is not set up (its variables unset, no files, no IMDS)
/// passes to the next; one that is set up and fails stops the chain with
/// its error. Nothing is read or fetched before the first call; a
/// [`Config`](crate::client::Config) puts a
/// [`CredentialsCache`](crate::client::CredentialsCache) in front, so the
/// chain is walked again only to refresh.
pub struct DefaultCredentialsChain {
    providers: Vec<(&'static str, Box<dyn ProvideCredentials>)>,
}

impl DefaultCredentialsChain {
    /// The chain, with every provider reading `config`.
    pub fn new(config: ProviderConfig) -> Self {
        let providers: Vec<(&'static str, Box<dyn ProvideCredentials>)> = vec![
            (
                "environment",
                Box::new(EnvironmentCredentialsProvider::new(config.env().clone())),
            ),
            (
                "web identity",
                Box::new(WebIdentityTokenProvider::from_env(config.clone())),
            ),
            (
                "profile",
                Box::new(ProfileCredentialsProvider::new(config.clone())),
            ),
            (
                "container",
                Box::new(ContainerCredentialsProvider::new(config.clone())),
            ),
            ("IMDS", Box::new(ImdsCredentialsProvider::new(config))),
        ];
        DefaultCredentialsChain { providers }
    }

    /// Walks the chain.
    pub async fn load(&self) -> Result<Credentials, CredentialsError> {
        let mut skipped = Vec::new();
        for (name, provider) in &self.providers {
            match provider.provide_credentials().await {
                Ok(credentials) => {
                    tracing::debug!(provider = name, "loaded credentials");
                    return Ok(credentials);
                }
                Err(e) if e.is_not_loaded() => {
                    tracing::debug!(provider = name, reason = %e, "no credentials here");
                    skipped.push(format!("{name}: {e}"));
                }
                Err(mut e) => {
                    // The same error (kind, code, cause), its message
                    // prefixed with the provider's name.
                    e.message = format!("the {name} credentials provider failed: {}", e.message);
                    return Err(e);
                }
            }
        }
        Err(CredentialsError::of(
            CredentialsErrorKind::NotLoaded,
            format!(
                "no credentials found by the default chain ({})",
                skipped.join("; ")
            ),
        ))
    }
}

impl fmt::Debug for DefaultCredentialsChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.providers.iter().map(|(n, _)| *n).collect();
        f.debug_tuple("DefaultCredentialsChain")
            .field(&names)
            .finish()
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.load())
    }
}

/// The region without asking IMDS: `AWS_REGION`, `AWS_DEFAULT_REGION`, then
/// the selected profile's `region`.
pub fn region_from_env_and_profile(
    config: &ProviderConfig,
) -> Result<Option<String>, CredentialsError> {
    let env = config.env();
    if let Some(r) = env
        .get_non_empty("AWS_REGION")
        .or_else(|| env.get_non_empty("AWS_DEFAULT_REGION"))
    {
        return Ok(Some(r));
    }
    let set = ProfileSet::load_with(&env.as_fn()).map_err(|e| {
        CredentialsError::invalid_configuration("cannot read the shared config files").caused_by(e)
    })?;
    let selected = files::selected_profile(&env.as_fn());
    Ok(set
        .profile(&selected)
        .and_then(|p| p.region())
        .map(str::to_owned))
}

/// The region chain: `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's
/// `region`, then IMDS (`/latest/meta-data/placement/region`). `None` when
/// none has one (IMDS unreachable or turned off).
pub async fn default_region(config: &ProviderConfig) -> Result<Option<String>, CredentialsError> {
    if let Some(region) = region_from_env_and_profile(config)? {
        return Ok(Some(region));
    }
    match ImdsClient::new(config.clone()).region().await {
        Ok(region) => Ok(Some(region)),
        Err(e) => {
            tracing::debug!(reason = %e, "no region from IMDS");
            Ok(None)
        }
    }
}
