//! The shared config and credentials files (`~/.aws/config`, `~/.aws/credentials`).
//!
//! Parsed as the AWS SDKs parse them (aws-runtime's `env_config` parser,
//! checked against its `profile-parser-tests.json` in
//! `runtime/tests/credentials_profile_parser.rs`): `[profile name]` and
//! `[default]` sections in the config file (`[profile default]` wins over
//! `[default]`), `[name]` sections in the credentials file, `[sso-session
//! name]` sections kept apart, `key = value` properties with
//! case-insensitive keys, full-line comments starting with `#` or `;`,
//! inline comments after whitespace, indented continuation lines (and
//! sub-properties under an empty value); profile and property names with
//! characters outside `A-Za-z0-9-_/.%@:+` are ignored. Properties in the
//! credentials file win over the config file's for the same profile.
//!
//! How a profile gives credentials (static keys, `credential_process`,
//! roles, web identity) is in
//! [`credentials::profile`](crate::client::credentials::profile).

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::client::credentials::Credentials;

/// Environment variable selecting the profile (default `default`).
pub const ENV_PROFILE: &str = "AWS_PROFILE";
/// Environment variable overriding the config file path (default `~/.aws/config`).
pub const ENV_CONFIG_FILE: &str = "AWS_CONFIG_FILE";
/// Environment variable overriding the credentials file path (default `~/.aws/credentials`).
pub const ENV_CREDENTIALS_FILE: &str = "AWS_SHARED_CREDENTIALS_FILE";

/// Keys whose values are secrets: never shown by `Debug`.
const SECRET_KEYS: [&str; 2] = ["aws_secret_access_key", "aws_session_token"];
/// All profiles from the config and credentials files.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProfileSet {
    profiles: BTreeMap<String, Profile>,
    sso_sessions: BTreeMap<String, Profile>,
}

/// One named profile (or `[sso-session]` section): its properties, merged from both files.
#[derive(Clone, Default, PartialEq)]
pub struct Profile {
    name: String,
    properties: BTreeMap<String, String>,
}

/// Which of the two files is being parsed (their section headers differ).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Config,
    Credentials,
}

/// One section as written, before its name is interpreted.
struct RawSection {
    header: String,
    properties: Vec<(String, String)>,
}

/// What a section header means.
enum SectionName<'a> {
    Profile(&'a str),
    /// `[profile default]` in the config file (wins over `[default]`).
    ProfileDefault,
    SsoSession(&'a str),
    Ignored,
}

impl ProfileSet {
    /// Parses the text of a config file and a credentials file.
    pub fn parse(config: &str, credentials: &str) -> Result<ProfileSet, ProfileError> {
        let mut set = ProfileSet::default();
        set.add_file(config, FileKind::Config, Path::new("config"))?;
        set.add_file(credentials, FileKind::Credentials, Path::new("credentials"))?;
        Ok(set)
    }

    /// Reads the files named by `AWS_CONFIG_FILE` and
    /// `AWS_SHARED_CREDENTIALS_FILE` (default `~/.aws/config` and
    /// `~/.aws/credentials`); a file that is missing or cannot be read (a
    /// directory, not UTF-8) counts as empty, as aws-config's, with a
    /// warning naming it.
    pub fn load() -> Result<ProfileSet, ProfileError> {
        Self::load_with(&|name| std::env::var(name).ok())
    }

    /// Like [`load`](ProfileSet::load), reading variables through `env`.
    pub(crate) fn load_with(
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<ProfileSet, ProfileError> {
        let mut set = ProfileSet::default();
        for (var, default, kind) in [
            (ENV_CONFIG_FILE, "config", FileKind::Config),
            (ENV_CREDENTIALS_FILE, "credentials", FileKind::Credentials),
        ] {
            let Some(path) = file_path(env, var, default) else {
                continue;
            };
            // As aws-config: a file that cannot be read (missing, a
            // directory, not UTF-8, unreadable) counts as empty, with a
            // warning unless it is a default path that does not exist.
            let shown_path = || crate::shown::shown(&path.display().to_string());
            match read_limited(&path) {
                Ok(text) => set.add_file(&text, kind, &path)?,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    if env(var).is_some_and(|v| !v.is_empty()) {
                        tracing::warn!(
                            path = %shown_path(),
                            env = var,
                            "the shared file named by the environment variable does not exist"
                        );
                    } else {
                        tracing::debug!(path = %shown_path(), "no shared file here");
                    }
                }
                Err(e) => {
                    tracing::warn!(
                        path = %shown_path(),
                        error = %e,
                        "cannot read the shared file; it is taken as empty"
                    );
                }
            }
        }
        Ok(set)
    }

    /// The profile called `name`, if either file defines it.
    pub fn profile(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// The `[sso-session name]` section, if the config file has it.
    pub fn sso_session(&self, name: &str) -> Option<&Profile> {
        self.sso_sessions.get(name)
    }

    /// Whether no profile is defined.
    pub fn is_empty(&self) -> bool {
        self.profiles.is_empty()
    }

    /// The profile called `name`, or an error saying it is not defined.
    pub fn require(&self, name: &str) -> Result<&Profile, ProfileError> {
        self.profile(name).ok_or_else(|| {
            ProfileError::new(format!(
                "profile `{name}` is not defined in the shared config or credentials file"
            ))
        })
    }

    /// The names of all profiles.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.profiles.keys().map(String::as_str)
    }

    /// The names of all `[sso-session]` sections.
    pub fn sso_session_names(&self) -> impl Iterator<Item = &str> {
        self.sso_sessions.keys().map(String::as_str)
    }

    fn add_file(&mut self, text: &str, kind: FileKind, path: &Path) -> Result<(), ProfileError> {
        let sections = parse_sections(text, path)?;
        // In the config file, `[profile default]` replaces `[default]`
        // wherever either appears.
        let has_profile_default = kind == FileKind::Config
            && sections
                .iter()
                .any(|s| matches!(section_name(&s.header, kind), SectionName::ProfileDefault));
        for section in &sections {
            let (map, name) = match section_name(&section.header, kind) {
                SectionName::Ignored => continue,
                SectionName::Profile("default") if has_profile_default => continue,
                SectionName::Profile(name) => (&mut self.profiles, name),
                SectionName::ProfileDefault => (&mut self.profiles, "default"),
                SectionName::SsoSession(name) => (&mut self.sso_sessions, name),
            };
            let profile = map.entry(name.to_owned()).or_insert_with(|| Profile {
                name: name.to_owned(),
                properties: BTreeMap::new(),
            });
            for (key, value) in &section.properties {
                if is_valid_name(key) {
                    profile
                        .properties
                        .insert(key.to_ascii_lowercase(), value.clone());
                }
            }
        }
        Ok(())
    }
}

/// Reads a shared file, refusing one larger than 1 MiB.
fn read_limited(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    const LIMIT: u64 = 1 << 20;
    let mut text = String::new();
    std::fs::File::open(path)?
        .take(LIMIT + 1)
        .read_to_string(&mut text)?;
    if text.len() as u64 > LIMIT {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "larger than 1 MiB",
        ));
    }
    Ok(text)
}

/// Splits a file into sections and properties, as written.
fn parse_sections(text: &str, path: &Path) -> Result<Vec<RawSection>, ProfileError> {
    let mut sections: Vec<RawSection> = Vec::new();
    // Whether the last property of the current section can take
    // continuation lines, and whether they are sub-properties.
    let mut last_property: Option<bool> = None;
    for (index, raw) in text.split('\n').enumerate() {
        let line_no = index + 1;
        let err = |message: &str| ProfileError::at(path, Some(line_no), message.to_owned());
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            let Some(section) = sections.last_mut() else {
                return Err(err("Expected a profile definition, found continuation"));
            };
            let Some(sub_property) = last_property else {
                return Err(err("Expected a property definition, found continuation"));
            };
            if sub_property {
                let (key, _) = trimmed
                    .split_once('=')
                    .ok_or_else(|| err("Expected an '=' sign defining a sub-property"))?;
                if key.trim().is_empty() {
                    return Err(err("Sub-property did not have a name"));
                }
            }
            if let Some((_, value)) = section.properties.last_mut() {
                value.push('\n');
                value.push_str(trimmed);
            }
            continue;
        }
        if let Some(header) = trimmed.strip_prefix('[') {
            let (name, rest) = header
                .split_once(']')
                .ok_or_else(|| err("Profile definition must end with ']'"))?;
            let rest = rest.trim();
            if !(rest.is_empty() || rest.starts_with('#') || rest.starts_with(';')) {
                return Err(err("unexpected text after the profile definition"));
            }
            sections.push(RawSection {
                header: name.trim().to_owned(),
                properties: Vec::new(),
            });
            last_property = None;
            continue;
        }
        let Some(section) = sections.last_mut() else {
            return Err(err("Expected a profile definition"));
        };
        let (key, value) = trimmed
            .split_once('=')
            .ok_or_else(|| err("Expected an '=' sign defining a property"))?;
        let key = key.trim();
        if key.is_empty() {
            return Err(err("Property did not have a name"));
        }
        let value = strip_inline_comment(value.trim());
        last_property = Some(value.is_empty());
        section.properties.push((key.to_owned(), value.to_owned()));
    }
    Ok(sections)
}

/// Whether `name` is a valid profile or property name.
fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_/.%@:+".contains(c))
}

/// What a section header names in a file of `kind`.
fn section_name(header: &str, kind: FileKind) -> SectionName<'_> {
    let prefixed = |prefix: &str| {
        header
            .strip_prefix(prefix)
            .filter(|rest| rest.starts_with([' ', '\t']))
            .map(str::trim)
    };
    let named = |name: &'_ str| -> bool { is_valid_name(name) };
    match kind {
        FileKind::Credentials if named(header) => SectionName::Profile(header),
        FileKind::Credentials => SectionName::Ignored,
        FileKind::Config if header == "default" => SectionName::Profile("default"),
        FileKind::Config => match (prefixed("profile"), prefixed("sso-session")) {
            (Some("default"), _) => SectionName::ProfileDefault,
            (Some(name), _) if named(name) => SectionName::Profile(name),
            (_, Some(name)) if named(name) => SectionName::SsoSession(name),
            _ => SectionName::Ignored,
        },
    }
}

/// Drops a `#` or `;` comment that follows whitespace.
fn strip_inline_comment(value: &str) -> &str {
    let bytes = value.as_bytes();
    for i in 1..bytes.len() {
        if matches!(bytes[i], b'#' | b';') && bytes[i - 1].is_ascii_whitespace() {
            return value[..i].trim_end();
        }
    }
    value
}

/// The path of a shared file: `$var` if set (with `~/` expanded), else `~/.aws/<default>`.
fn file_path(env: &dyn Fn(&str) -> Option<String>, var: &str, default: &str) -> Option<PathBuf> {
    let home = || {
        env("HOME")
            .or_else(|| env("USERPROFILE"))
            .filter(|h| !h.is_empty())
            .map(PathBuf::from)
    };
    match env(var).filter(|v| !v.is_empty()) {
        Some(v) => match v.strip_prefix("~/").or_else(|| v.strip_prefix("~\\")) {
            Some(rest) => home().map(|h| h.join(rest)),
            None => Some(PathBuf::from(v)),
        },
        None => home().map(|h| h.join(".aws").join(default)),
    }
}

/// The profile to use: `AWS_PROFILE`, or `default`.
pub(crate) fn selected_profile(env: &dyn Fn(&str) -> Option<String>) -> String {
    env(ENV_PROFILE)
        .filter(|p| !p.trim().is_empty())
        .map(|p| p.trim().to_owned())
        .unwrap_or_else(|| "default".to_owned())
}

impl Profile {
    /// The profile's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The value of property `key` (compared case-insensitively).
    pub fn get(&self, key: &str) -> Option<&str> {
        match self.properties.get(key) {
            Some(v) => Some(v.as_str()),
            None if key.bytes().any(|b| b.is_ascii_uppercase()) => self
                .properties
                .get(&key.to_ascii_lowercase())
                .map(String::as_str),
            None => None,
        }
    }

    /// The `region` property.
    pub fn region(&self) -> Option<&str> {
        self.get("region").filter(|r| !r.is_empty())
    }

    /// Static credentials from `aws_access_key_id`, `aws_secret_access_key`
    /// and `aws_session_token`; the error names what is missing. Profiles
    /// that get credentials another way are resolved by
    /// [`ProfileCredentialsProvider`](crate::client::credentials::profile::ProfileCredentialsProvider).
    pub fn credentials(&self) -> Result<Credentials, ProfileError> {
        let name = &self.name;
        let access_key_id = self
            .get("aws_access_key_id")
            .filter(|v| !v.is_empty())
            .ok_or_else(|| {
                ProfileError::new(format!("profile `{name}` has no `aws_access_key_id`"))
            })?;
        let secret = self
            .get("aws_secret_access_key")
            .filter(|v| !v.is_empty())
            .ok_or_else(|| {
                ProfileError::new(format!("profile `{name}` has no `aws_secret_access_key`"))
            })?;
        let token = self
            .get("aws_session_token")
            .filter(|v| !v.is_empty())
            .map(str::to_owned);
        Ok(Credentials::from_keys(access_key_id, secret, token))
    }

    /// The properties, keys in lower case.
    pub fn properties(&self) -> impl Iterator<Item = (&str, &str)> {
        self.properties
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let props = self.properties.iter().map(|(k, v)| {
            (
                k.as_str(),
                if SECRET_KEYS.contains(&k.as_str()) {
                    "** redacted **"
                } else {
                    v.as_str()
                },
            )
        });
        f.debug_struct("Profile")
            .field("name", &self.name)
            .field("properties", &BTreeMap::from_iter(props))
            .finish()
    }
}

/// A shared file could not be read or parsed, or lacks what was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileError {
    file: Option<PathBuf>,
    line: Option<usize>,
    message: String,
}

impl ProfileError {
    pub(crate) fn new(message: String) -> Self {
        ProfileError {
            file: None,
            line: None,
            message,
        }
    }

    fn at(file: &Path, line: Option<usize>, message: String) -> Self {
        ProfileError {
            file: Some(file.to_owned()),
            line,
            message,
        }
    }

    /// The file the error is in, if it is about one file.
    pub fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    /// The 1-based line the error is on, if it is about one line.
    pub fn line(&self) -> Option<usize> {
        self.line
    }
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.line) {
            (Some(file), Some(line)) => write!(f, "{}:{line}: {}", file.display(), self.message),
            (Some(file), None) => write!(f, "{}: {}", file.display(), self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ProfileError {}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "\
# comment
[default]
region = us-west-2 ; inline comment
output=json

[profile dev]
region=eu-west-1
s3 =
  max_concurrent_requests = 20
[sso-session corp]
sso_region = us-east-1
[profile sso]
sso_session = corp
[profile tagged]#c
region = ap-south-1
";
    const CREDENTIALS: &str = "\
[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = secret#not-a-comment
[dev]
aws_access_key_id=AKIDDEV
aws_secret_access_key=devsecret
aws_session_token = devtoken
";

    #[test]
    fn parses_both_files_and_merges_profiles() {
        let set = ProfileSet::parse(CONFIG, CREDENTIALS).unwrap();
        assert_eq!(
            set.names().collect::<Vec<_>>(),
            ["default", "dev", "sso", "tagged"]
        );
        let default = set.require("default").unwrap();
        assert_eq!(default.region(), Some("us-west-2"));
        assert_eq!(default.get("output"), Some("json"));
        let creds = default.credentials().unwrap();
        assert_eq!(
            (creds.access_key_id(), creds.secret_access_key()),
            ("AKIDDEFAULT", "secret#not-a-comment")
        );
        let dev = set.require("dev").unwrap();
        assert_eq!(dev.region(), Some("eu-west-1"));
        assert_eq!(dev.get("s3"), Some("\nmax_concurrent_requests = 20"));
        assert_eq!(dev.credentials().unwrap().session_token(), Some("devtoken"));
        assert_eq!(set.require("tagged").unwrap().region(), Some("ap-south-1"));
        assert!(set.profile("corp").is_none());
    }

    #[test]
    fn explains_missing_credentials() {
        let set = ProfileSet::parse(CONFIG, CREDENTIALS).unwrap();
        let err = set.require("sso").unwrap().credentials().unwrap_err();
        assert_eq!(err.to_string(), "profile `sso` has no `aws_access_key_id`");
        assert_eq!(set.require("sso").unwrap().get("SSO_Session"), Some("corp"));
        assert_eq!(set.sso_session_names().collect::<Vec<_>>(), ["corp"]);
        let err = set.require("tagged").unwrap().credentials().unwrap_err();
        assert_eq!(
            err.to_string(),
            "profile `tagged` has no `aws_access_key_id`"
        );
        let err = set.require("nope").unwrap_err();
        assert_eq!(
            err.to_string(),
            "profile `nope` is not defined in the shared config or credentials file"
        );
    }

    #[test]
    fn reports_syntax_errors_with_file_and_line() {
        let err = ProfileSet::parse("[default]\nregion us-east-1\n", "").unwrap_err();
        assert_eq!(
            err.to_string(),
            "config:2: Expected an '=' sign defining a property"
        );
        assert_eq!(err.line(), Some(2));
        let err = ProfileSet::parse("", "key = v\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "credentials:1: Expected a profile definition"
        );
        let err = ProfileSet::parse("[profile x\n", "").unwrap_err();
        assert_eq!(
            err.to_string(),
            "config:1: Profile definition must end with ']'"
        );
    }

    #[test]
    fn config_sections_need_the_profile_prefix() {
        let set =
            ProfileSet::parse("[dev]\nregion = x\n[profile  spaced ]\nregion = y\n", "").unwrap();
        assert!(set.profile("dev").is_none());
        assert_eq!(set.require("spaced").unwrap().region(), Some("y"));
    }

    #[test]
    fn debug_hides_secrets() {
        let set = ProfileSet::parse("", CREDENTIALS).unwrap();
        let shown = format!("{set:?}");
        assert!(shown.contains("AKIDDEV"));
        assert!(
            !shown.contains("devsecret") && !shown.contains("devtoken"),
            "{shown}"
        );
    }

    #[test]
    fn file_paths_follow_env_and_home() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |n: &str| {
                vars.iter()
                    .find(|(k, _)| *k == n)
                    .map(|(_, v)| v.to_string())
            }
        };
        let e = env(&[("HOME", "/home/u")]);
        assert_eq!(
            file_path(&e, ENV_CONFIG_FILE, "config"),
            Some(PathBuf::from("/home/u/.aws/config"))
        );
        let e = env(&[
            ("HOME", "/home/u"),
            ("AWS_SHARED_CREDENTIALS_FILE", "~/creds"),
        ]);
        assert_eq!(
            file_path(&e, ENV_CREDENTIALS_FILE, "credentials"),
            Some(PathBuf::from("/home/u/creds"))
        );
        let e = env(&[("AWS_CONFIG_FILE", "/etc/aws")]);
        assert_eq!(
            file_path(&e, ENV_CONFIG_FILE, "config"),
            Some(PathBuf::from("/etc/aws"))
        );
        assert_eq!(file_path(&env(&[]), ENV_CONFIG_FILE, "config"), None);
        assert_eq!(selected_profile(&env(&[("AWS_PROFILE", "dev")])), "dev");
        assert_eq!(selected_profile(&env(&[])), "default");
    }
}
