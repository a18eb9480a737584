//! The error a builder returns when required members are missing.

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
        write!(f, "cannot build `{}`: missing required member", self.type_name)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_every_missing_member() {
        let e = BuildError::missing("CreateChatTokenInput", vec!["roomIdentifier", "userId"]);
        assert_eq!(
            e.to_string(),
            "cannot build `CreateChatTokenInput`: missing required members `roomIdentifier`, `userId`"
        );
        let e = BuildError::missing("S3DestinationConfiguration", vec!["bucketName"]);
        assert_eq!(e.to_string(), "cannot build `S3DestinationConfiguration`: missing required member `bucketName`");
        assert_eq!(e.missing_members(), ["bucketName"]);
    }
}
