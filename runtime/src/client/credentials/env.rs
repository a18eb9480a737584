//! Where providers read environment variables: the process environment, or
//! a fixed map (tests), as aws-config's `Env::from_slice`.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use crate::client::boxed::BoxFuture;
use crate::client::credentials::{Credentials, CredentialsError};

/// Environment variable holding the access key id.
pub const ENV_ACCESS_KEY_ID: &str = "AWS_ACCESS_KEY_ID";
/// Environment variable holding the secret access key.
pub const ENV_SECRET_ACCESS_KEY: &str = "AWS_SECRET_ACCESS_KEY";
/// Environment variable holding the (optional) session token.
pub const ENV_SESSION_TOKEN: &str = "AWS_SESSION_TOKEN";

/// A source of environment variables.
///
/// `Debug` lists the names of a fixed map's variables, never their values.
#[derive(Clone, Default)]
pub struct Env {
    fixed: Option<Arc<HashMap<String, String>>>,
}

impl Env {
    /// The process environment.
    pub fn real() -> Self {
        Env { fixed: None }
    }

    /// Exactly the variables in `vars` (for tests: no race with other tests
    /// that change the process environment).
    pub fn from_slice(vars: &[(&str, &str)]) -> Self {
        let map = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Env {
            fixed: Some(Arc::new(map)),
        }
    }

    /// The value of `name`, if it is set (possibly empty).
    pub fn get(&self, name: &str) -> Option<String> {
        match &self.fixed {
            Some(map) => map.get(name).cloned(),
            None => std::env::var(name).ok(),
        }
    }

    /// The value of `name` trimmed, if it is set and not blank.
    pub fn get_non_empty(&self, name: &str) -> Option<String> {
        self.get(name)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    /// This environment as the closure older functions take.
    pub(crate) fn as_fn(&self) -> impl Fn(&str) -> Option<String> + '_ {
        move |name| self.get(name)
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.fixed {
            None => f.write_str("Env::real"),
            Some(map) => {
                let mut names: Vec<&str> = map.keys().map(String::as_str).collect();
                names.sort_unstable();
                f.debug_tuple("Env::from_slice").field(&names).finish()
            }
        }
    }
}

/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and
/// `AWS_SESSION_TOKEN`, read at every call. Not loaded (the chain goes on)
/// when `AWS_ACCESS_KEY_ID` or `AWS_SECRET_ACCESS_KEY` is unset or blank, as
/// aws-config's.
#[derive(Debug, Clone, Default)]
pub struct EnvironmentCredentialsProvider {
    env: Env,
}

impl EnvironmentCredentialsProvider {
    /// A provider reading `env`.
    pub fn new(env: Env) -> Self {
        EnvironmentCredentialsProvider { env }
    }

    /// The credentials, now.
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        let Some(access_key_id) = self.env.get_non_empty(ENV_ACCESS_KEY_ID) else {
            return Err(CredentialsError::not_loaded(format!(
                "environment variable {ENV_ACCESS_KEY_ID} is not set"
            )));
        };
        let secret = self
            .env
            .get_non_empty(ENV_SECRET_ACCESS_KEY)
            .ok_or_else(|| {
                CredentialsError::not_loaded(format!(
                    "environment variable {ENV_ACCESS_KEY_ID} is set but \
                     {ENV_SECRET_ACCESS_KEY} is not"
                ))
            })?;
        Ok(Credentials::from_keys(
            access_key_id,
            secret,
            self.env.get_non_empty(ENV_SESSION_TOKEN),
        ))
    }
}

impl crate::client::credentials::ProvideCredentials for EnvironmentCredentialsProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let result = self.load();
        Box::pin(async move { result })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_names_only() {
        let env = Env::from_slice(&[("AWS_SECRET_ACCESS_KEY", "TOPSECRET")]);
        let shown = format!("{env:?}");
        assert!(shown.contains("AWS_SECRET_ACCESS_KEY") && !shown.contains("TOPSECRET"));
        assert_eq!(
            env.get("AWS_SECRET_ACCESS_KEY").as_deref(),
            Some("TOPSECRET")
        );
        assert_eq!(env.get("HOME"), None);
    }

    #[test]
    fn environment_provider() {
        let p = EnvironmentCredentialsProvider::new(Env::from_slice(&[]));
        assert!(p.load().unwrap_err().is_not_loaded());
        let p =
            EnvironmentCredentialsProvider::new(Env::from_slice(&[("AWS_ACCESS_KEY_ID", "AKID")]));
        let err = p.load().unwrap_err();
        assert!(err.is_not_loaded());
        assert_eq!(
            err.to_string(),
            "environment variable AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"
        );
        let p = EnvironmentCredentialsProvider::new(Env::from_slice(&[
            ("AWS_ACCESS_KEY_ID", " AKID "),
            ("AWS_SECRET_ACCESS_KEY", "S"),
            ("AWS_SESSION_TOKEN", "T"),
        ]));
        let c = p.load().unwrap();
        assert_eq!(
            (c.access_key_id(), c.secret_access_key(), c.session_token()),
            ("AKID", "S", Some("T"))
        );
    }
}
