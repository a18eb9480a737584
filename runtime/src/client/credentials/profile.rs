//! Credentials from the shared config and credentials files, resolved as
//! aws-config resolves them.
//!
//! The selected profile (`AWS_PROFILE`, else `default`) gives credentials
//! through, in this order of precedence:
//! - `role_arn` with `source_profile` (a chain of profiles, followed until
//!   one with static keys or another base source; a loop is an error) or
//!   `credential_source` (`Environment`, `Ec2InstanceMetadata`,
//!   `EcsContainer`): STS `AssumeRole` for each role, signed with the
//!   credentials of the step before (`role_session_name`, `external_id`);
//! - `web_identity_token_file` with `role_arn`: STS
//!   `AssumeRoleWithWebIdentity`;
//! - `sso_session` / `sso_start_url` and `login_session`: an error naming
//!   the `aws-config` feature (SSO needs the SSO token cache and the SSO
//!   service, which this lean chain leaves to aws-config);
//! - `credential_process`: the command's output;
//! - `aws_access_key_id`, `aws_secret_access_key`, `aws_session_token`.
//!
//! No shared files, no profile (when it is the default one), or a profile
//! with none of these settings means "not loaded": the default chain goes
//! on. A named profile that does not exist, or a half-written one, is an
//! error.

use crate::client::boxed::BoxFuture;
use crate::client::credentials::container::ContainerCredentialsProvider;
use crate::client::credentials::env::EnvironmentCredentialsProvider;
use crate::client::credentials::imds::ImdsCredentialsProvider;
use crate::client::credentials::process::ProcessCredentialsProvider;
use crate::client::credentials::sts::{self, AssumeRoleRequest};
use crate::client::credentials::web_identity::WebIdentityTokenProvider;
use crate::client::credentials::{
    Credentials, CredentialsError, ProvideCredentials, ProviderConfig,
};
use crate::client::profile::{self as files, Profile, ProfileSet};

/// Keys that make a profile a source of credentials.
const CREDENTIAL_KEYS: [&str; 8] = [
    "aws_access_key_id",
    "aws_secret_access_key",
    "role_arn",
    "credential_process",
    "web_identity_token_file",
    "sso_session",
    "sso_start_url",
    "login_session",
];

/// Credentials from a profile of the shared files.
#[derive(Debug, Clone)]
pub struct ProfileCredentialsProvider {
    config: ProviderConfig,
    profile: Option<String>,
}

/// Where the first credentials of a chain come from.
#[derive(Debug)]
enum Base<'a> {
    Static(Credentials),
    Named(&'a str),
    WebIdentity {
        role_arn: &'a str,
        token_file: &'a str,
        session_name: Option<&'a str>,
    },
    Process(&'a str),
}

/// A role assumed with the credentials of the step before.
#[derive(Debug)]
struct Role<'a> {
    role_arn: &'a str,
    external_id: Option<&'a str>,
    session_name: Option<&'a str>,
}

impl ProfileCredentialsProvider {
    /// A provider for the profile `AWS_PROFILE` names (else `default`).
    pub fn new(config: ProviderConfig) -> Self {
        ProfileCredentialsProvider {
            config,
            profile: None,
        }
    }

    /// A provider for profile `name`.
    pub fn for_profile(config: ProviderConfig, name: impl Into<String>) -> Self {
        ProfileCredentialsProvider {
            config,
            profile: Some(name.into()),
        }
    }

    /// Reads the files and resolves the profile's credentials.
    pub async fn load(&self) -> Result<Credentials, CredentialsError> {
        let env = self.config.env();
        let set = ProfileSet::load_with(&env.as_fn()).map_err(|e| {
            CredentialsError::invalid_configuration("cannot read the shared config files")
                .caused_by(e)
        })?;
        let selected = match &self.profile {
            Some(name) => name.clone(),
            None => files::selected_profile(&env.as_fn()),
        };
        let (base, roles) = resolve_chain(&set, &selected)?;
        // STS is called in the configured region, else the profile's.
        let config = match self.config.region() {
            Some(_) => self.config.clone(),
            None => self.config.clone().with_region(
                set.profile(&selected)
                    .and_then(|p| p.region())
                    .map(str::to_owned),
            ),
        };
        let mut credentials = match base {
            Base::Static(c) => c,
            Base::Named(source) => self.named_source(source).await?,
            Base::WebIdentity {
                role_arn,
                token_file,
                session_name,
            } => {
                WebIdentityTokenProvider::new(
                    config.clone(),
                    token_file,
                    role_arn,
                    session_name.map(str::to_owned),
                )
                .provide_credentials()
                .await?
            }
            Base::Process(command) => {
                ProcessCredentialsProvider::new(command)
                    .provide_credentials()
                    .await?
            }
        };
        for role in roles {
            let session_name = role.session_name.map_or_else(
                || sts::default_session_name("assume-role-from-profile", &config),
                str::to_owned,
            );
            credentials = sts::assume_role(
                &config,
                &AssumeRoleRequest {
                    role_arn: role.role_arn,
                    role_session_name: &session_name,
                    external_id: role.external_id,
                },
                &credentials,
            )
            .await?;
        }
        Ok(credentials)
    }

    // The other providers are awaited through `provide_credentials` (their
    // boxed futures), not `load`: each state machine is then compiled once,
    // not again inside this one.
    async fn named_source(&self, source: &str) -> Result<Credentials, CredentialsError> {
        let config = self.config.clone();
        let result = match source {
            "Environment" => EnvironmentCredentialsProvider::new(config.env().clone()).load(),
            "Ec2InstanceMetadata" => {
                ImdsCredentialsProvider::new(config)
                    .provide_credentials()
                    .await
            }
            "EcsContainer" => {
                ContainerCredentialsProvider::new(config)
                    .provide_credentials()
                    .await
            }
            other => {
                return Err(CredentialsError::invalid_configuration(format!(
                    "credential_source `{other}` is not one of Environment, \
                     Ec2InstanceMetadata, EcsContainer"
                )))
            }
        };
        // A source that is not set up is an error here: the profile asked for it.
        result.map_err(|e| {
            if e.is_not_loaded() {
                CredentialsError::invalid_configuration(format!(
                    "credential_source `{source}` gave no credentials: {e}"
                ))
            } else {
                e
            }
        })
    }
}

/// Follows `source_profile` from `selected` to the base credentials, as
/// aws-config's `resolve_chain`. Returns the base and the roles to assume,
/// in order.
fn resolve_chain<'a>(
    set: &'a ProfileSet,
    selected: &'a str,
) -> Result<(Base<'a>, Vec<Role<'a>>), CredentialsError> {
    if set.is_empty() {
        return Err(CredentialsError::not_loaded(
            "the shared config and credentials files define no profile",
        ));
    }
    // A selected profile the files do not define passes to the next
    // provider, as aws-config's (`MissingProfile` is "not loaded" there).
    if set.profile(selected).is_none() {
        return Err(if selected == "default" {
            CredentialsError::not_loaded("the shared files have no `default` profile")
        } else {
            CredentialsError::not_loaded(format!(
                "profile `{}` is not defined in the shared config or credentials file",
                crate::shown::shown(selected)
            ))
        });
    }
    let mut name = selected;
    let mut visited: Vec<&str> = Vec::new();
    let mut roles = Vec::new();
    let base = loop {
        let profile = set.profile(name).ok_or_else(|| {
            CredentialsError::invalid_configuration(format!(
                "profile `{}` names source_profile `{name}`, which is not defined",
                visited.last().copied().unwrap_or(selected)
            ))
        })?;
        if visited.contains(&name) {
            visited.push(name);
            return Err(CredentialsError::invalid_configuration(format!(
                "profiles form a loop: {}",
                visited.join(" -> ")
            )));
        }
        visited.push(name);
        if visited.len() > 1 {
            if let Ok(c) = profile.credentials() {
                break Base::Static(c);
            }
        }
        let role_arn = profile
            .get("role_arn")
            .filter(|_| profile.get("web_identity_token_file").is_none());
        let Some(role_arn) = role_arn else {
            break base_of(set, profile, visited.len() == 1)?;
        };
        roles.push(Role {
            role_arn,
            external_id: profile.get("external_id"),
            session_name: profile.get("role_session_name"),
        });
        match (
            profile.get("source_profile"),
            profile.get("credential_source"),
        ) {
            (Some(_), Some(_)) => {
                return Err(invalid(
                    profile,
                    "has both source_profile and credential_source; only one may be set",
                ))
            }
            (None, None) => {
                return Err(invalid(
                    profile,
                    "has role_arn but neither source_profile nor credential_source",
                ))
            }
            (None, Some(source)) => break Base::Named(source),
            (Some(source), None) if source == profile.name() => {
                break base_of(set, profile, false)?;
            }
            (Some(source), None) => name = source,
        }
    };
    roles.reverse();
    Ok((base, roles))
}

fn invalid(profile: &Profile, why: &str) -> CredentialsError {
    CredentialsError::invalid_configuration(format!("profile `{}` {why}", profile.name()))
}

/// The base credentials a profile without `role_arn` (or a self-referencing
/// one) gives.
fn base_of<'a>(
    set: &'a ProfileSet,
    profile: &'a Profile,
    selected: bool,
) -> Result<Base<'a>, CredentialsError> {
    let _ = set;
    if let Some(source) = profile.get("credential_source") {
        return Ok(Base::Named(source));
    }
    if let Some(token_file) = profile.get("web_identity_token_file") {
        let role_arn = profile
            .get("role_arn")
            .ok_or_else(|| invalid(profile, "has web_identity_token_file but no role_arn"))?;
        return Ok(Base::WebIdentity {
            role_arn,
            token_file,
            session_name: profile.get("role_session_name"),
        });
    }
    if let Some(key) = [
        "sso_session",
        "sso_start_url",
        "sso_account_id",
        "login_session",
    ]
    .into_iter()
    .find(|k| profile.get(k).is_some())
    {
        return Err(invalid(
            profile,
            &format!(
                "gets credentials through `{key}` (AWS IAM Identity Center / console login), \
                 which awsrt's default chain does not resolve: enable awsrt's `aws-config` \
                 feature and build the config from aws-config's SdkConfig \
                 (`ConfigBuilder::from_sdk_config`)"
            ),
        ));
    }
    if let Some(command) = profile.get("credential_process") {
        return Ok(Base::Process(command));
    }
    if selected && !CREDENTIAL_KEYS.iter().any(|k| profile.get(k).is_some()) {
        return Err(CredentialsError::not_loaded(format!(
            "profile `{}` has no credentials",
            profile.name()
        )));
    }
    profile
        .credentials()
        .map(Base::Static)
        .map_err(|e| CredentialsError::invalid_configuration(e.to_string()))
}

impl ProvideCredentials for ProfileCredentialsProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(config: &str, creds: &str, selected: &str) -> Result<String, String> {
        let set = ProfileSet::parse(config, creds).unwrap();
        match resolve_chain(&set, selected) {
            Ok((base, roles)) => {
                let base = match base {
                    Base::Static(c) => format!("static {}", c.access_key_id()),
                    Base::Named(n) => format!("named {n}"),
                    Base::WebIdentity { role_arn, .. } => format!("web {role_arn}"),
                    Base::Process(c) => format!("process {c}"),
                };
                let roles: Vec<&str> = roles.iter().map(|r| r.role_arn).collect();
                Ok(format!("{base} then {roles:?}"))
            }
            Err(e) => Err(format!("{:?}: {e}", e.kind())),
        }
    }

    #[test]
    fn resolves_chains_as_aws_config() {
        let config = "\
[profile a]
role_arn = arn:a
source_profile = b
[profile b]
role_arn = arn:b
source_profile = c
[profile c]
aws_access_key_id = AKIDC
aws_secret_access_key = S
[profile self]
role_arn = arn:self
source_profile = self
aws_access_key_id = AKIDSELF
aws_secret_access_key = S
[profile loop1]
role_arn = arn:1
source_profile = loop2
[profile loop2]
role_arn = arn:2
source_profile = loop1
[profile ec2]
role_arn = arn:ec2
credential_source = Ec2InstanceMetadata
[profile web]
role_arn = arn:web
web_identity_token_file = /t
[profile proc]
credential_process = /bin/creds --x
[profile sso]
sso_session = corp
[profile both]
role_arn = arn:x
source_profile = c
credential_source = Environment
[profile onlyregion]
region = us-east-1
[profile half]
aws_access_key_id = AKID
";
        assert_eq!(
            chain(config, "", "a").unwrap(),
            r#"static AKIDC then ["arn:b", "arn:a"]"#
        );
        assert_eq!(
            chain(config, "", "self").unwrap(),
            r#"static AKIDSELF then ["arn:self"]"#
        );
        assert_eq!(
            chain(config, "", "ec2").unwrap(),
            r#"named Ec2InstanceMetadata then ["arn:ec2"]"#
        );
        assert_eq!(chain(config, "", "web").unwrap(), "web arn:web then []");
        assert_eq!(
            chain(config, "", "proc").unwrap(),
            "process /bin/creds --x then []"
        );
        assert_eq!(
            chain(config, "", "loop1").unwrap_err(),
            "InvalidConfiguration: profiles form a loop: loop1 -> loop2 -> loop1"
        );
        let err = chain(config, "", "sso").unwrap_err();
        assert!(
            err.contains("`sso_session`") && err.contains("`aws-config` feature"),
            "{err}"
        );
        assert!(chain(config, "", "both")
            .unwrap_err()
            .contains("both source_profile and credential_source"));
        assert!(chain(config, "", "onlyregion")
            .unwrap_err()
            .starts_with("NotLoaded"));
        assert_eq!(
            chain(config, "", "half").unwrap_err(),
            "InvalidConfiguration: profile `half` has no `aws_secret_access_key`"
        );
        assert!(chain(config, "", "default")
            .unwrap_err()
            .starts_with("NotLoaded"));
        // aws-config: `MissingProfile` is "not loaded".
        assert!(chain(config, "", "missing")
            .unwrap_err()
            .starts_with("NotLoaded"));
        assert!(chain("", "", "default")
            .unwrap_err()
            .starts_with("NotLoaded"));
        // Credentials-file keys win, and source profiles can live there.
        assert_eq!(
            chain(
                "[profile a]\nrole_arn = arn:a\nsource_profile = c",
                "[c]\naws_access_key_id = AKIDF\naws_secret_access_key = S",
                "a"
            )
            .unwrap(),
            r#"static AKIDF then ["arn:a"]"#
        );
    }
}
