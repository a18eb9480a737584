//! The JSON documents credentials come in: the container endpoint's and
//! IMDS's (`AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration`, and for
//! IMDS `Code`), and a credential process's (`Version: 1`, `AccessKeyId`,
//! `SecretAccessKey`, `SessionToken`, `Expiration`).
//!
//! Errors name the field, never its value.

use std::time::SystemTime;

use serde_json::{Map, Value};

use crate::client::credentials::{Credentials, CredentialsError};
use crate::shown::Escaped;

/// Which document is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// The container endpoint and IMDS (`Token`; `Expiration` required).
    Http,
    /// `credential_process` (`Version: 1`, `SessionToken`; `Expiration` optional).
    Process,
}

/// Reads credentials from `body`; `what` names the source in errors.
pub(crate) fn parse(
    body: &[u8],
    format: Format,
    what: &str,
) -> Result<Credentials, CredentialsError> {
    let bad = |why: String| CredentialsError::new(format!("{what}: {why}"));
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        bad(format!(
            "the response is not JSON (line {}, column {})",
            e.line(),
            e.column()
        ))
    })?;
    let Value::Object(map) = value else {
        return Err(bad("the response is not a JSON object".into()));
    };
    let field = |name: &str| -> Result<Option<&str>, CredentialsError> {
        match get(&map, name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(_) => Err(bad(format!("`{name}` is not a string"))),
        }
    };
    let required = |name: &str| {
        field(name)?
            .filter(|s| !s.is_empty())
            .ok_or_else(|| bad(format!("`{name}` is missing")))
    };
    match format {
        Format::Http => {
            if let Some(code) = field("Code")? {
                if code != "Success" {
                    let message = field("Message")?.unwrap_or("");
                    return Err(CredentialsError::service(
                        code,
                        format!("{what}: error {}: {}", Escaped(code), Escaped(message)),
                    ));
                }
            }
        }
        Format::Process => match get(&map, "Version") {
            Some(Value::Number(n)) if n.as_u64() == Some(1) => {}
            Some(v) => {
                return Err(bad(format!(
                    "unsupported `Version` {v}: only version 1 is supported"
                )))
            }
            None => return Err(bad("`Version` is missing".into())),
        },
    }
    let access_key_id = required("AccessKeyId")?;
    let secret = required("SecretAccessKey")?;
    let token_field = match format {
        Format::Http => "Token",
        Format::Process => "SessionToken",
    };
    let token = field(token_field)?.filter(|t| !t.is_empty());
    let credentials = Credentials::from_keys(access_key_id, secret, token.map(str::to_owned));
    let expiration = match format {
        Format::Http => Some(required("Expiration")?),
        Format::Process => field("Expiration")?,
    };
    match expiration {
        None => Ok(credentials),
        Some(text) => Ok(credentials.with_expiry(parse_time(text).ok_or_else(|| {
            bad(format!(
                "`Expiration` `{text}` is not an RFC 3339 timestamp"
            ))
        })?)),
    }
}

/// A key looked up case-insensitively, as aws-config reads these documents.
fn get<'a>(map: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    map.get(name).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

/// An RFC 3339 timestamp (`2021-09-18T03:31:56Z`) as a `SystemTime`.
pub(crate) fn parse_time(text: &str) -> Option<SystemTime> {
    let t = crate::primitives::DateTime::from_str(text.trim(), crate::primitives::Format::DateTime);
    SystemTime::try_from(t.ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn container_document() {
        // The ECS task-role document, as AWS documents it (and aws-config's tests use).
        let body = br#"{
          "Code" : "Success",
          "LastUpdated" : "2021-09-17T20:57:08Z",
          "Type" : "AWS-HMAC",
          "AccessKeyId" : "ASIARTEST",
          "SecretAccessKey" : "xjtest",
          "Token" : "IQote///test",
          "Expiration" : "2021-09-18T03:31:56Z"
        }"#;
        let c = parse(body, Format::Http, "IMDS").unwrap();
        assert_eq!(c.access_key_id(), "ASIARTEST");
        assert_eq!(c.session_token(), Some("IQote///test"));
        assert_eq!(
            c.expiry(),
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_631_935_916))
        );
        let err = parse(
            br#"{"Code":"AssumeRoleUnauthorizedAccess","Message":"denied","LastUpdated":"2021-09-17T20:57:08Z"}"#,
            Format::Http,
            "IMDS",
        )
        .unwrap_err();
        assert_eq!(err.code(), Some("AssumeRoleUnauthorizedAccess"));
        assert_eq!(
            err.to_string(),
            "IMDS: error AssumeRoleUnauthorizedAccess: denied"
        );
        // The service's text is escaped in the message, whole.
        let err = parse(
            br#"{"Code":"Bad\u001b[2J","Message":"line\nnext \u202e"}"#,
            Format::Http,
            "IMDS",
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            r"IMDS: error Bad\u{1b}[2J: line\nnext \u{202e}"
        );
        let err = parse(
            br#"{"AccessKeyId":"A","SecretAccessKey":"TOPSECRET"}"#,
            Format::Http,
            "ECS",
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "ECS: `Expiration` is missing");
    }

    #[test]
    fn process_document() {
        let c = parse(
            br#"{"Version": 1, "AccessKeyId": "AKID", "SecretAccessKey": "S", "SessionToken": "T", "Expiration": "2022-05-02T18:36:00+00:00"}"#,
            Format::Process,
            "p",
        )
        .unwrap();
        assert_eq!(c.session_token(), Some("T"));
        assert_eq!(
            c.expiry(),
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_651_516_560))
        );
        let c = parse(
            br#"{"Version": 1, "AccessKeyId": "AKID", "SecretAccessKey": "S"}"#,
            Format::Process,
            "p",
        )
        .unwrap();
        assert_eq!((c.session_token(), c.expiry()), (None, None));
        for (body, message) in [
            (
                r#"{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "S"}"#,
                "p: unsupported `Version` 2: only version 1 is supported",
            ),
            (
                r#"{"AccessKeyId": "A", "SecretAccessKey": "S"}"#,
                "p: `Version` is missing",
            ),
            (
                r#"{"Version": 1, "AccessKeyId": "A"}"#,
                "p: `SecretAccessKey` is missing",
            ),
            (
                r#"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "TOPSECRET", "Expiration": "soon"}"#,
                "p: `Expiration` `soon` is not an RFC 3339 timestamp",
            ),
            ("[1]", "p: the response is not a JSON object"),
        ] {
            let err = parse(body.as_bytes(), Format::Process, "p").unwrap_err();
            assert_eq!(err.to_string(), message);
            assert!(!err.to_string().contains("TOPSECRET"));
        }
    }
}
