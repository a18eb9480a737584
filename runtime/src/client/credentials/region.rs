//! The last step of the region chain, taken lazily: a config built by
//! `Config::from_env()` without a region from the environment or the
//! profile asks EC2 instance metadata (IMDS) at its first call.
//!
//! [`LazyRegion`] makes one IMDS request sequence (token, then
//! `/latest/meta-data/placement/region`) for all the calls waiting on it and
//! keeps the answer for its life. A failed lookup is given to the calls that
//! waited on it and is not kept: the next call asks again. aws-config differs
//! here only because it is eager: `aws_config::load()` asks IMDS once and an
//! `SdkConfig` without a region stays so (every call then fails); a lazy
//! lookup that kept its failure would turn one dropped packet at start-up
//! into a client that never works.

use std::error::Error;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use crate::client::credentials::imds::ImdsClient;
use crate::client::credentials::{CredentialsError, ProviderConfig};
use crate::client::sdk_names::Region;

/// The region IMDS gives, asked for at the first call; see the module
/// documentation.
pub struct LazyRegion {
    imds: ImdsClient,
    resolved: OnceLock<Region>,
    /// Held by the one call asking IMDS; the others wait for its answer.
    lookup: tokio::sync::Mutex<Option<RegionError>>,
    /// How many lookups failed so far: a call that sees the count change
    /// while it waited takes that lookup's error instead of asking again.
    failures: AtomicU64,
}

impl LazyRegion {
    /// A lookup through IMDS as `config` sets it up (endpoint, environment,
    /// transport), or `None` when `AWS_EC2_METADATA_DISABLED` turns IMDS
    /// off; nothing is sent until [`resolve`](LazyRegion::resolve).
    pub fn new(config: ProviderConfig) -> Option<Self> {
        let imds = ImdsClient::new(config);
        (!imds.disabled()).then(|| LazyRegion {
            imds,
            resolved: OnceLock::new(),
            lookup: tokio::sync::Mutex::new(None),
            failures: AtomicU64::new(0),
        })
    }

    /// The region, if a lookup already gave it.
    pub fn get(&self) -> Option<&Region> {
        self.resolved.get()
    }

    /// The region: the one found before, else IMDS's answer (one lookup for
    /// all the concurrent callers).
    pub async fn resolve(&self) -> Result<&str, RegionError> {
        if let Some(region) = self.get() {
            return Ok(region.as_ref());
        }
        let failures = self.failures.load(Ordering::Acquire);
        let mut last_error = self.lookup.lock().await;
        if let Some(region) = self.get() {
            return Ok(region.as_ref());
        }
        if self.failures.load(Ordering::Acquire) != failures {
            if let Some(e) = last_error.as_ref() {
                return Err(e.clone());
            }
        }
        let answer = self.imds.region().await.and_then(|region| {
            if crate::client::endpoint::is_valid_host_label(&region, false) {
                Ok(region)
            } else {
                Err(CredentialsError::new(
                    "IMDS answered with a region that is not a valid host label",
                ))
            }
        });
        match answer {
            Ok(region) => {
                tracing::debug!(%region, "region from IMDS");
                *last_error = None;
                Ok(self.resolved.get_or_init(|| Region::new(region)).as_ref())
            }
            Err(e) => {
                let e = RegionError(Arc::new(e));
                *last_error = Some(e.clone());
                self.failures.fetch_add(1, Ordering::Release);
                Err(e)
            }
        }
    }
}

impl fmt::Debug for LazyRegion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LazyRegion")
            .field("resolved", &self.get())
            .finish_non_exhaustive()
    }
}

/// No region: the environment and the profile gave none, and IMDS could not
/// say (not on EC2, or it failed); the source says why IMDS did not answer.
#[derive(Debug, Clone)]
pub struct RegionError(Arc<dyn Error + Send + Sync>);

impl fmt::Display for RegionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "no region: AWS_REGION and AWS_DEFAULT_REGION are not set, the profile has no \
             `region`, and EC2 instance metadata (IMDS) gave none; set one of them or call \
             `region(..)` on the config builder",
        )
    }
}

impl Error for RegionError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&*self.0)
    }
}
