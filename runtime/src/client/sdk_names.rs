//! The configuration types aws-sdk users name: [`Region`],
//! [`BehaviorVersion`], [`TimeoutConfig`]. They import nothing of the
//! client, so the config can use them.
//!
//! `BehaviorVersion` and `TimeoutConfig` are the very types aws-sdk
//! re-exports (from aws-smithy-runtime-api and aws-smithy-types, both in
//! the default dependency tree already). `Region` is aws-types' when the
//! `aws-config` feature brings that crate in (so that
//! `aws_config::Region` and `sdk_config.region().cloned()` can be passed to
//! `ConfigBuilder::region`), else a type of the same name and methods.

pub use aws_smithy_runtime_api::client::behavior_version::BehaviorVersion;
pub use aws_smithy_types::timeout::{TimeoutConfig, TimeoutConfigBuilder};
#[cfg(feature = "aws-config")]
pub use aws_types::region::Region;

#[cfg(not(feature = "aws-config"))]
pub use self::own::Region;

/// Without aws-types: a region type of our own.
#[cfg(not(feature = "aws-config"))]
mod own {
    use std::borrow::Cow;
    use std::fmt;

    /// An AWS region, e.g. `us-west-2`; as `aws_types::region::Region` (which
    /// it is, with the `aws-config` feature).
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    pub struct Region(Cow<'static, str>);

    impl Region {
        /// A region from its name.
        pub fn new(region: impl Into<Cow<'static, str>>) -> Self {
            Region(region.into())
        }

        /// A region from a static name.
        pub const fn from_static(region: &'static str) -> Self {
            Region(Cow::Borrowed(region))
        }
    }

    impl AsRef<str> for Region {
        fn as_ref(&self) -> &str {
            &self.0
        }
    }

    impl fmt::Display for Region {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(&self.0)
        }
    }
}

/// What `ConfigBuilder::region` accepts: a [`Region`] or `Option<Region>`
/// as in aws-sdk, or a region name (`"us-west-2"`).
pub trait IntoRegion {
    /// The region, or `None` to unset it.
    fn into_region(self) -> Option<Region>;
}

impl IntoRegion for Region {
    fn into_region(self) -> Option<Region> {
        Some(self)
    }
}

impl IntoRegion for Option<Region> {
    fn into_region(self) -> Option<Region> {
        self
    }
}

impl IntoRegion for &str {
    fn into_region(self) -> Option<Region> {
        Some(Region::new(self.to_owned()))
    }
}

impl IntoRegion for String {
    fn into_region(self) -> Option<Region> {
        Some(Region::new(self))
    }
}

impl IntoRegion for &String {
    fn into_region(self) -> Option<Region> {
        Some(Region::new(self.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_from_names_and_options() {
        assert_eq!("us-west-2".into_region(), Some(Region::new("us-west-2")));
        assert_eq!(
            String::from("eu-west-1").into_region().unwrap().as_ref(),
            "eu-west-1"
        );
        assert_eq!(Option::<Region>::None.into_region(), None);
        assert_eq!(Region::from_static("x").to_string(), "x");
    }
}
