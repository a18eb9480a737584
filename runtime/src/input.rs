//! What generated code needs to turn a caller's input into a request: the
//! errors of building an operation's input ([`BuildError`], required
//! members missing) and of serializing it ([`SerializeError`]), and fresh
//! [`idempotency_token`]s for members the caller left unset.

use std::fmt;

/// A builder was missing required members.
///
/// The message names the type and every missing member, by its model name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    type_name: &'static str,
    missing: Vec<&'static str>,
}

impl BuildError {
    /// A build error for `type_name`, missing `missing` (model member names).
    pub fn missing(type_name: &'static str, missing: Vec<&'static str>) -> Self {
        BuildError { type_name, missing }
    }

    /// The type that could not be built.
    pub fn type_name(&self) -> &str {
        self.type_name
    }

    /// The model names of the missing members, in model order.
    pub fn missing_members(&self) -> &[&'static str] {
        &self.missing
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot build `{}`: missing required member",
            self.type_name
        )?;
        if self.missing.len() > 1 {
            f.write_str("s")?;
        }
        for (i, m) in self.missing.iter().enumerate() {
            f.write_str(if i == 0 { " " } else { ", " })?;
            write!(f, "`{m}`")?;
        }
        Ok(())
    }
}

impl std::error::Error for BuildError {}

/// A request could not be serialized: a member bound to the URI is unset or
/// empty, or a value cannot be written in its wire format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SerializeError {
    member: &'static str,
    message: String,
}

impl SerializeError {
    /// An error about `member` (its model name).
    pub fn new(member: &'static str, message: impl Into<String>) -> Self {
        SerializeError {
            member,
            message: message.into(),
        }
    }

    /// The member the error is about.
    pub fn member(&self) -> &str {
        self.member
    }
}

impl fmt::Display for SerializeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot serialize member `{}`: {}",
            self.member, self.message
        )
    }
}

impl std::error::Error for SerializeError {}

/// A fresh idempotency token (a random UUID version 4), for members marked
/// `@idempotencyToken` that the caller left unset.
pub fn idempotency_token() -> String {
    let mut b: [u8; 16] = fastrand::u128(..).to_be_bytes();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    // The 36 characters written straight into one buffer (no string per byte).
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut token = String::with_capacity(36);
    for (i, x) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            token.push('-');
        }
        token.push(char::from(HEX[usize::from(x >> 4)]));
        token.push(char::from(HEX[usize::from(x & 0x0f)]));
    }
    token
}

#[cfg(test)]
mod tests {
    #[test]
    fn idempotency_tokens_are_uuid_v4() {
        let t = super::idempotency_token();
        assert_eq!(t.len(), 36);
        assert_eq!(&t[14..15], "4");
        assert!(matches!(&t[19..20], "8" | "9" | "a" | "b"), "{t}");
        assert_ne!(t, super::idempotency_token());
        let uuid_v4 = regex_lite::Regex::new(
            "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
        )
        .unwrap();
        for _ in 0..100 {
            let t = super::idempotency_token();
            assert!(uuid_v4.is_match(&t), "{t}");
        }
    }

    use super::*;

    #[test]
    fn names_every_missing_member() {
        let e = BuildError::missing("CreateChatTokenInput", vec!["roomIdentifier", "userId"]);
        assert_eq!(
            e.to_string(),
            "cannot build `CreateChatTokenInput`: missing required members `roomIdentifier`, `userId`"
        );
        let e = BuildError::missing("S3DestinationConfiguration", vec!["bucketName"]);
        assert_eq!(
            e.to_string(),
            "cannot build `S3DestinationConfiguration`: missing required member `bucketName`"
        );
        assert_eq!(e.missing_members(), ["bucketName"]);
    }
}
