//! Web identity: an OIDC token from a file exchanged for role credentials
//! with STS `AssumeRoleWithWebIdentity` (EKS IRSA, and any OIDC provider).
//!
//! From the environment: `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN`
//! (both needed; without either, as aws-config, the provider is "not
//! loaded" and the chain goes on), and
//! optionally `AWS_ROLE_SESSION_NAME` (default `web-identity-token-{millis}`,
//! as aws-config). From a profile: `web_identity_token_file`, `role_arn` and
//! `role_session_name`. The token file is read at every refresh (EKS rotates
//! it), and its contents never appear in errors or logs.

use std::fmt;

use crate::client::boxed::BoxFuture;
use crate::client::credentials::sts::{self, WebIdentityRequest};
use crate::client::credentials::{
    Credentials, CredentialsError, ProvideCredentials, ProviderConfig,
};

/// Environment variable naming the token file.
pub const ENV_TOKEN_FILE: &str = "AWS_WEB_IDENTITY_TOKEN_FILE";
/// Environment variable naming the role.
pub const ENV_ROLE_ARN: &str = "AWS_ROLE_ARN";
/// Environment variable naming the session.
pub const ENV_SESSION_NAME: &str = "AWS_ROLE_SESSION_NAME";
/// The largest token file read.
const MAX_TOKEN_BYTES: u64 = 64 * 1024;

/// Where the token and role come from.
#[derive(Debug, Clone)]
enum Source {
    /// Read the environment at every call.
    Env,
    /// Fixed settings (from a profile).
    Static {
        token_file: String,
        role_arn: String,
        session_name: Option<String>,
    },
}

/// Credentials for a role, in exchange for a web identity token.
#[derive(Clone)]
pub struct WebIdentityTokenProvider {
    config: ProviderConfig,
    source: Source,
}

impl WebIdentityTokenProvider {
    /// A provider reading `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` and
    /// `AWS_ROLE_SESSION_NAME` from the config's environment.
    pub fn from_env(config: ProviderConfig) -> Self {
        WebIdentityTokenProvider {
            config,
            source: Source::Env,
        }
    }

    /// A provider with fixed settings (as a profile gives them).
    pub fn new(
        config: ProviderConfig,
        token_file: impl Into<String>,
        role_arn: impl Into<String>,
        session_name: Option<String>,
    ) -> Self {
        WebIdentityTokenProvider {
            config,
            source: Source::Static {
                token_file: token_file.into(),
                role_arn: role_arn.into(),
                session_name,
            },
        }
    }

    /// Reads the token and calls STS.
    pub async fn load(&self) -> Result<Credentials, CredentialsError> {
        let (token_file, role_arn, session_name) = match &self.source {
            Source::Static {
                token_file,
                role_arn,
                session_name,
            } => (token_file.clone(), role_arn.clone(), session_name.clone()),
            Source::Env => {
                let env = self.config.env();
                let Some(token_file) = env.get_non_empty(ENV_TOKEN_FILE) else {
                    return Err(CredentialsError::not_loaded(format!(
                        "{ENV_TOKEN_FILE} is not set"
                    )));
                };
                let role_arn = env.get_non_empty(ENV_ROLE_ARN).ok_or_else(|| {
                    CredentialsError::not_loaded(format!(
                        "{ENV_TOKEN_FILE} is set but {ENV_ROLE_ARN} is not"
                    ))
                })?;
                (token_file, role_arn, env.get_non_empty(ENV_SESSION_NAME))
            }
        };
        let token = read_token(&token_file)?;
        let session_name = session_name
            .unwrap_or_else(|| sts::default_session_name("web-identity-token", &self.config));
        sts::assume_role_with_web_identity(
            &self.config,
            &WebIdentityRequest {
                role_arn: &role_arn,
                role_session_name: &session_name,
                web_identity_token: &token,
            },
        )
        .await
    }
}

fn read_token(path: &str) -> Result<String, CredentialsError> {
    use std::io::Read;
    let fail = |what: &str, e: std::io::Error| {
        CredentialsError::invalid_configuration(format!(
            "cannot {what} the web identity token file `{path}`"
        ))
        .caused_by(e)
    };
    let file = std::fs::File::open(path).map_err(|e| fail("open", e))?;
    let mut token = String::new();
    file.take(MAX_TOKEN_BYTES + 1)
        .read_to_string(&mut token)
        .map_err(|e| fail("read", e))?;
    if token.len() as u64 > MAX_TOKEN_BYTES {
        return Err(CredentialsError::invalid_configuration(format!(
            "the web identity token file `{path}` is larger than {MAX_TOKEN_BYTES} bytes"
        )));
    }
    if token.trim().is_empty() {
        return Err(CredentialsError::invalid_configuration(format!(
            "the web identity token file `{path}` is empty"
        )));
    }
    Ok(token)
}

impl fmt::Debug for WebIdentityTokenProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebIdentityTokenProvider")
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl ProvideCredentials for WebIdentityTokenProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.load())
    }
}
