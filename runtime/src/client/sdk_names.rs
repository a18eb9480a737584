//! The configuration types aws-sdk users name: [`Region`],
//! [`BehaviorVersion`], [`TimeoutConfig`]. They import nothing of the
//! client, so the config can use them.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

/// An AWS region, e.g. `us-west-2`; as `aws_types::region::Region`.
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

/// Which defaults a client gets; as aws-sdk's `BehaviorVersion`. This crate
/// has one set of defaults, so every version behaves as [`latest`](Self::latest).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct BehaviorVersion {}

impl BehaviorVersion {
    /// The newest defaults.
    pub fn latest() -> Self {
        BehaviorVersion {}
    }

    /// aws-sdk's 2023-11-09 defaults (here: the same as [`latest`](Self::latest)).
    pub fn v2023_11_09() -> Self {
        BehaviorVersion {}
    }

    /// aws-sdk's 2024-03-28 defaults (here: the same as [`latest`](Self::latest)).
    pub fn v2024_03_28() -> Self {
        BehaviorVersion {}
    }

    /// aws-sdk's 2025-01-17 defaults (here: the same as [`latest`](Self::latest)).
    pub fn v2025_01_17() -> Self {
        BehaviorVersion {}
    }
}

/// Timeouts, as aws-sdk's `TimeoutConfig`: build one with
/// [`TimeoutConfig::builder`] and pass it to `ConfigBuilder::timeout_config`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TimeoutConfig {
    connect: Option<Duration>,
    read: Option<Duration>,
    operation: Option<Duration>,
    operation_attempt: Option<Duration>,
}

impl TimeoutConfig {
    /// A builder with nothing set.
    pub fn builder() -> TimeoutConfigBuilder {
        TimeoutConfigBuilder::default()
    }

    /// No timeouts at all.
    pub fn disabled() -> Self {
        TimeoutConfig::default()
    }

    /// The connect timeout.
    pub fn connect_timeout(&self) -> Option<Duration> {
        self.connect
    }

    /// The read timeout.
    pub fn read_timeout(&self) -> Option<Duration> {
        self.read
    }

    /// The operation timeout (all attempts).
    pub fn operation_timeout(&self) -> Option<Duration> {
        self.operation
    }

    /// The timeout of each attempt.
    pub fn operation_attempt_timeout(&self) -> Option<Duration> {
        self.operation_attempt
    }
}

/// Builds a [`TimeoutConfig`].
#[derive(Debug, Clone, Copy, Default)]
pub struct TimeoutConfigBuilder {
    inner: TimeoutConfig,
}

impl TimeoutConfigBuilder {
    /// A builder with nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the connect timeout.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.inner.connect = Some(timeout);
        self
    }

    /// Sets the read timeout.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.inner.read = Some(timeout);
        self
    }

    /// Sets the operation timeout (all attempts and backoff).
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.inner.operation = Some(timeout);
        self
    }

    /// Sets the timeout of each attempt.
    pub fn operation_attempt_timeout(mut self, timeout: Duration) -> Self {
        self.inner.operation_attempt = Some(timeout);
        self
    }

    /// The timeouts.
    pub fn build(self) -> TimeoutConfig {
        self.inner
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

    #[test]
    fn timeout_config_keeps_what_was_set() {
        let t = TimeoutConfig::builder()
            .connect_timeout(Duration::from_secs(1))
            .operation_attempt_timeout(Duration::from_secs(4))
            .build();
        assert_eq!(t.connect_timeout(), Some(Duration::from_secs(1)));
        assert_eq!(t.read_timeout(), None);
        assert_eq!(t.operation_attempt_timeout(), Some(Duration::from_secs(4)));
    }
}
