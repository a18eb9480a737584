//! AWS credentials and the providers that produce them.
//!
//! [`Credentials`] holds an access key, secret key and optional session token;
//! its `Debug` output never shows the secret or the token. A
//! [`ProvideCredentials`] is asked for credentials through one
//! [`CredentialsCache`] per config (the config wraps every provider that is
//! not a fixed set of keys), so a provider is asked again only a few minutes
//! before the credentials it gave expire.
//!
//! The default chain ([`DefaultCredentialsChain`], what
//! [`Config::from_env`](crate::client::Config::from_env) uses) asks, in the
//! AWS SDKs' order: the environment ([`mod@env`]), web identity
//! ([`web_identity`]), the shared config and credentials files
//! ([`profile`]), the container endpoint ([`container`]) and EC2 instance
//! metadata ([`imds`]). Each provider reads its settings through an
//! [`Env`], so tests give it a map instead of changing the process
//! environment, and speaks HTTP through an
//! [`HttpTransport`](crate::client::HttpTransport), so tests give it
//! loopback servers.

mod cache;
mod chain;
pub mod container;
pub mod env;
pub mod imds;
mod json;
pub mod process;
pub mod profile;
mod provider_config;
mod region;
#[cfg(feature = "aws-config")]
pub(crate) mod sdk_cache;
pub mod sts;
pub mod web_identity;

pub use self::cache::CredentialsCache;
pub use self::chain::{default_region, region_from_env_and_profile, DefaultCredentialsChain};
pub use self::env::Env;
pub use self::provider_config::ProviderConfig;
pub use self::region::{LazyRegion, RegionError};

use std::error::Error;
use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use aws_smithy_runtime_api::client::identity::Identity;

use crate::client::boxed::{BoxError, BoxFuture};

pub use self::env::{ENV_ACCESS_KEY_ID, ENV_SECRET_ACCESS_KEY, ENV_SESSION_TOKEN};

/// Name reported to `aws-sigv4` as the credentials' provider.
const PROVIDER_NAME: &str = "awsrt";

/// AWS credentials: access key id, secret access key and an optional session token.
#[derive(Clone)]
pub struct Credentials {
    keys: aws_credential_types::Credentials,
    /// The same keys as the identity `aws-sigv4` signs with, made once:
    /// every attempt of every call signs with it (building it costs
    /// allocations, cloning it only reference counts).
    identity: Identity,
}

impl PartialEq for Credentials {
    fn eq(&self, other: &Self) -> bool {
        self.keys == other.keys
    }
}

impl Credentials {
    /// Credentials from keys, an optional session token, an optional expiry
    /// and the name of what provided them: aws-sdk's
    /// `Credentials::new` (`aws_credential_types`), same arguments.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
        expires_after: Option<SystemTime>,
        provider_name: &'static str,
    ) -> Self {
        Self::from_sdk_keys(aws_credential_types::Credentials::new(
            access_key_id,
            secret_access_key,
            session_token,
            expires_after,
            provider_name,
        ))
    }

    /// Credentials from keys and an optional session token, without expiry
    /// (aws-sdk's `Credentials::from_keys`).
    pub fn from_keys(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Self::new(
            access_key_id,
            secret_access_key,
            session_token,
            None,
            PROVIDER_NAME,
        )
    }

    /// The same credentials, valid until `expiry`.
    pub fn with_expiry(self, expiry: SystemTime) -> Self {
        let mut keys = self.keys;
        *keys.expiry_mut() = Some(expiry);
        Self::from_sdk_keys(keys)
    }

    /// Reads `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and (optionally)
    /// `AWS_SESSION_TOKEN`; the error names the missing variable.
    pub fn from_env() -> Result<Self, CredentialsError> {
        Self::from_env_with(&|name| std::env::var(name).ok())
    }

    /// Like [`from_env`](Credentials::from_env), reading variables through `env`.
    pub(crate) fn from_env_with(
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, CredentialsError> {
        let var = |name: &str| env(name).filter(|v| !v.trim().is_empty());
        let access_key_id = var(ENV_ACCESS_KEY_ID).ok_or_else(|| {
            CredentialsError::new(format!(
                "environment variable {ENV_ACCESS_KEY_ID} is not set"
            ))
        })?;
        let secret = var(ENV_SECRET_ACCESS_KEY).ok_or_else(|| {
            CredentialsError::new(format!(
                "environment variable {ENV_SECRET_ACCESS_KEY} is not set"
            ))
        })?;
        Ok(Credentials::from_keys(
            access_key_id.trim(),
            secret.trim(),
            // Trimmed like the keys: a token pasted with a trailing newline
            // would otherwise break the signed header.
            var(ENV_SESSION_TOKEN).map(|token| token.trim().to_owned()),
        ))
    }

    /// The access key id.
    pub fn access_key_id(&self) -> &str {
        self.keys.access_key_id()
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        self.keys.secret_access_key()
    }

    /// The session token, for temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.keys.session_token()
    }

    /// When the credentials expire, if they do.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.keys.expiry()
    }

    /// The credentials in the form `aws-sigv4` signs with.
    pub(crate) fn identity(&self) -> &Identity {
        &self.identity
    }

    /// Ours from aws-credential-types' (keys, token, expiry: shared, not
    /// copied), as an aws-config provider gives them.
    pub(crate) fn from_sdk_keys(keys: aws_credential_types::Credentials) -> Self {
        Credentials {
            identity: keys.clone().into(),
            keys,
        }
    }

    /// Ours from the identity an `SdkConfig`'s identity cache gave, kept as
    /// it is (it is what aws-sigv4 signs with); `None` if it holds no AWS
    /// credentials.
    #[cfg(feature = "aws-config")]
    pub(crate) fn from_sdk_identity(identity: Identity) -> Option<Self> {
        let keys = identity
            .data::<aws_credential_types::Credentials>()?
            .clone();
        Some(Credentials { keys, identity })
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Credentials");
        s.field("access_key_id", &self.access_key_id());
        s.field("secret_access_key", &"** redacted **");
        if self.session_token().is_some() {
            s.field("session_token", &"** redacted **");
        }
        s.field("expiry", &self.expiry()).finish()
    }
}

/// Produces credentials. A [`Config`](crate::client::Config) asks its
/// provider through a [`CredentialsCache`], so a provider is asked once, then
/// again only shortly before the credentials it gave expire.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Fresh credentials.
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>>;

    /// Whether a config should put a [`CredentialsCache`] in front of this
    /// provider (default: yes). Fixed credentials and caches answer no.
    fn wants_cache(&self) -> bool {
        true
    }
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let creds = self.clone();
        Box::pin(async move { Ok(creds) })
    }

    fn wants_cache(&self) -> bool {
        false
    }
}

/// A credentials provider shared between clones of a config.
pub type SharedCredentialsProvider = Arc<dyn ProvideCredentials>;

/// Credentials could not be loaded.
///
/// Messages name the provider, the setting or file and what was wrong with
/// it; they never contain a secret key, a session token or a web identity
/// token.
#[derive(Debug)]
pub struct CredentialsError {
    kind: CredentialsErrorKind,
    message: String,
    code: Option<String>,
    source: Option<BoxError>,
}

/// What kind of failure a [`CredentialsError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialsErrorKind {
    /// The provider is not set up here (e.g. its environment variables are
    /// unset): the default chain goes on to the next provider.
    NotLoaded,
    /// The provider is set up wrongly (a bad file, a missing setting, a
    /// forbidden URI): the chain stops here.
    InvalidConfiguration,
    /// The provider was asked and failed (an HTTP error, a timeout, a
    /// process that failed, a response that cannot be read).
    ProviderError,
    /// A service (STS, the container endpoint, IMDS) answered with an
    /// error; [`CredentialsError::code`] gives its code.
    ServiceError,
}

impl CredentialsError {
    /// An error with `message`.
    pub fn new(message: impl Into<String>) -> Self {
        Self::of(CredentialsErrorKind::ProviderError, message)
    }

    /// An error with `message`, caused by `source`.
    pub fn with_source(message: impl Into<String>, source: impl Into<BoxError>) -> Self {
        let mut e = Self::new(message);
        e.source = Some(source.into());
        e
    }

    /// An error of `kind` with `message`.
    pub fn of(kind: CredentialsErrorKind, message: impl Into<String>) -> Self {
        CredentialsError {
            kind,
            message: message.into(),
            code: None,
            source: None,
        }
    }

    /// The provider is not set up here; the chain goes on.
    pub fn not_loaded(message: impl Into<String>) -> Self {
        Self::of(CredentialsErrorKind::NotLoaded, message)
    }

    /// The provider is set up wrongly; the chain stops.
    pub fn invalid_configuration(message: impl Into<String>) -> Self {
        Self::of(CredentialsErrorKind::InvalidConfiguration, message)
    }

    /// A service answered with error `code`.
    pub fn service(code: impl Into<String>, message: impl Into<String>) -> Self {
        let mut e = Self::of(CredentialsErrorKind::ServiceError, message);
        e.code = Some(code.into());
        e
    }

    /// The same error, caused by `source`.
    pub(crate) fn caused_by(mut self, source: impl Into<BoxError>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> CredentialsErrorKind {
        self.kind
    }

    /// Whether the provider was simply not set up (the chain goes on).
    pub fn is_not_loaded(&self) -> bool {
        self.kind == CredentialsErrorKind::NotLoaded
    }

    /// The error code a service answered with (e.g. STS's
    /// `InvalidIdentityToken`), if any.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The message, without its source.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl Error for CredentialsError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source
            .as_ref()
            .map(|s| s.as_ref() as &(dyn Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn new_takes_the_sdk_arguments() {
        let at = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(60);
        let c = Credentials::new("ak", "sk", Some("tok".into()), Some(at), "mine");
        assert_eq!(
            (
                c.access_key_id(),
                c.secret_access_key(),
                c.session_token(),
                c.expiry()
            ),
            ("ak", "sk", Some("tok"), Some(at))
        );
        assert_eq!(Credentials::from_keys("ak", "sk", None).expiry(), None);
    }

    #[test]
    fn debug_redacts_secret_and_token() {
        let c = Credentials::from_keys(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            Some("SESSIONTOKEN".into()),
        );
        let shown = format!("{c:?}");
        assert!(shown.contains("AKIDEXAMPLE"));
        assert!(
            !shown.contains("wJalrXUtnFEMI") && !shown.contains("SESSIONTOKEN"),
            "{shown}"
        );
        assert_eq!(c.session_token(), Some("SESSIONTOKEN"));
    }

    #[test]
    fn from_env_names_the_missing_variable() {
        let err = Credentials::from_env_with(&env(&[]))
            .map(|_| ())
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "environment variable AWS_ACCESS_KEY_ID is not set"
        );
        let err = Credentials::from_env_with(&env(&[
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", " "),
        ]))
        .map(|_| ())
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "environment variable AWS_SECRET_ACCESS_KEY is not set"
        );
        let c = Credentials::from_env_with(&env(&[
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "SECRET"),
            ("AWS_SESSION_TOKEN", "TOKEN"),
        ]))
        .unwrap();
        assert_eq!(
            (c.access_key_id(), c.secret_access_key(), c.session_token()),
            ("AKID", "SECRET", Some("TOKEN"))
        );
    }

    #[test]
    fn from_env_trims_every_value_including_the_session_token() {
        let c = Credentials::from_env_with(&env(&[
            ("AWS_ACCESS_KEY_ID", " AKID\n"),
            ("AWS_SECRET_ACCESS_KEY", "\tSECRET "),
            ("AWS_SESSION_TOKEN", "  TOKEN\r\n"),
        ]))
        .unwrap();
        assert_eq!(
            (c.access_key_id(), c.secret_access_key(), c.session_token()),
            ("AKID", "SECRET", Some("TOKEN"))
        );
        let c = Credentials::from_env_with(&env(&[
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "SECRET"),
            ("AWS_SESSION_TOKEN", " \n"),
        ]))
        .unwrap();
        assert_eq!(c.session_token(), None);
    }

    #[tokio::test]
    async fn static_credentials_provide_themselves() {
        let c = Credentials::from_keys("a", "b", None).with_expiry(SystemTime::UNIX_EPOCH);
        let got = c.provide_credentials().await.unwrap();
        assert_eq!(got, c);
        assert_eq!(got.expiry(), Some(SystemTime::UNIX_EPOCH));
    }
}
