//! The user agent, in the AWS SDKs' format (smithy-rs's `aws-runtime`
//! `user_agent.rs`, user agent version 2.1):
//!
//! ```text
//! awsrt/0.1.0 ua/2.1 api/ivschat/2020-07-14 os/linux lang/rust/1.85.0 app/my-app
//! ```
//!
//! sent as both `user-agent` and `x-amz-user-agent`, and the app id
//! ([`AppName`]) that ends it.

use std::borrow::Cow;
use std::error::Error;
use std::fmt;

/// The version of the AWS user-agent format.
const UA_VERSION: &str = "2.1";

/// An application name for the user agent (`app/<name>`): as in
/// `aws_types::app_name::AppName`, 1 or more characters, each ASCII
/// alphanumeric or one of ``!#$%&'*+-.^_`|~``.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AppName(Cow<'static, str>);

impl AppName {
    /// Checks `app_name`; see [`AppName`] for the rules.
    pub fn new(app_name: impl Into<Cow<'static, str>>) -> Result<Self, InvalidAppName> {
        let app_name = app_name.into();
        if app_name.is_empty() || !app_name.chars().all(is_token_char) {
            return Err(InvalidAppName);
        }
        Ok(AppName(app_name))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AppName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The app name is empty or has a character the user agent cannot carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidAppName;

impl fmt::Display for InvalidAppName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "an app name must be non-empty and made of ASCII letters, digits and \
             !#$%&'*+-.^_`|~ only",
        )
    }
}

impl Error for InvalidAppName {}

/// Characters allowed in a user-agent token (RFC 9110 `tchar`).
fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            '!' | '#'
                | '$'
                | '%'
                | '&'
                | '\''
                | '*'
                | '+'
                | '-'
                | '.'
                | '^'
                | '_'
                | '`'
                | '|'
                | '~'
        )
}

/// `value` with every character a token cannot carry replaced by `-`
/// (service ids and versions come from the model).
fn token(value: &str) -> String {
    let t: String = value
        .chars()
        .take(64)
        .map(|c| if is_token_char(c) { c } else { '-' })
        .collect();
    if t.is_empty() {
        "unknown".to_owned()
    } else {
        t
    }
}

fn os_family() -> &'static str {
    match std::env::consts::OS {
        "linux" => "linux",
        "macos" => "macos",
        "windows" => "windows",
        "android" => "android",
        "ios" => "ios",
        _ => "other",
    }
}

/// The user agent for calls to service `sdk_id` (API `api_version`).
pub(crate) fn user_agent(sdk_id: &str, api_version: &str, app_name: Option<&AppName>) -> String {
    let mut ua = format!(
        "awsrt/{} ua/{UA_VERSION} api/{}/{} os/{} lang/rust/{}",
        env!("CARGO_PKG_VERSION"),
        token(sdk_id),
        token(api_version),
        os_family(),
        token(env!("AWSRT_RUSTC_VERSION")),
    );
    if let Some(app) = app_name {
        ua.push_str(" app/");
        ua.push_str(app.as_str());
    }
    ua
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_names_follow_the_sdk_rules() {
        assert!(AppName::new("my-app_1.0~beta").is_ok());
        assert_eq!(AppName::new(""), Err(InvalidAppName));
        assert_eq!(AppName::new("my app"), Err(InvalidAppName));
        assert_eq!(AppName::new("é"), Err(InvalidAppName));
        assert_eq!(AppName::new("a/b"), Err(InvalidAppName));
    }

    #[test]
    fn user_agent_has_the_sdk_segments() {
        let app = AppName::new("shop").unwrap();
        let ua = user_agent("ivschat", "2020-07-14", Some(&app));
        let parts: Vec<&str> = ua.split(' ').collect();
        assert_eq!(parts[0], concat!("awsrt/", env!("CARGO_PKG_VERSION")));
        assert_eq!(parts[1], "ua/2.1");
        assert_eq!(parts[2], "api/ivschat/2020-07-14");
        assert!(parts[3].starts_with("os/"), "{ua}");
        assert!(parts[4].starts_with("lang/rust/1."), "{ua}");
        assert_eq!(parts[5], "app/shop");
        assert_eq!(parts.len(), 6);
        let odd = user_agent("a b\r\n", "", None);
        assert!(odd.contains("api/a-b--/unknown "), "{odd}");
    }
}
