//! One identity cache in front of every credentials provider.
//!
//! Credentials are reused until [`CredentialsCache::DEFAULT_BUFFER`] before
//! they expire; then the first caller refreshes them while the others wait
//! for its answer (a `tokio` mutex around the refresh), and every caller gets
//! the new credentials. Concurrent first calls make one fetch for the same
//! reason. A refresh that fails while the old credentials are still valid
//! keeps them (and the refresh is tried again, by one caller, after
//! [`CredentialsCache::RETRY_AFTER_FAILURE`]). Credentials without an expiry
//! from a provider that wants caching are asked for again after
//! [`CredentialsCache::DEFAULT_EXPIRATION`], as aws-smithy-runtime's lazy
//! cache does.
//!
//! The SDKs differ on the buffer: aws-smithy-runtime's lazy cache refreshes
//! 10 s (plus up to 5 s of jitter) before expiry, botocore 15 minutes
//! (advisory) and 10 minutes (mandatory) before, the Java SDK 5 minutes
//! before. We take 5 minutes: long enough that a slow STS or IMDS answer
//! never leaves a request signed with credentials that expire in flight,
//! short enough that 15-minute session credentials are used for 10 minutes.

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use crate::client::boxed::BoxFuture;
use crate::client::credentials::{
    Credentials, CredentialsError, ProvideCredentials, SharedCredentialsProvider,
};
use crate::client::time::TimeSource;

/// A cache of the credentials one provider gives; see the module documentation.
pub struct CredentialsCache {
    provider: SharedCredentialsProvider,
    time_source: Arc<dyn TimeSource>,
    buffer: Duration,
    current: RwLock<Option<Entry>>,
    refresh: tokio::sync::Mutex<()>,
}

#[derive(Clone)]
struct Entry {
    credentials: Credentials,
    /// When to ask the provider again.
    refresh_at: SystemTime,
    /// After a failed refresh: when to try again (meanwhile the old
    /// credentials are served).
    retry_at: Option<SystemTime>,
}

impl CredentialsCache {
    /// How long before expiry credentials are refreshed.
    pub const DEFAULT_BUFFER: Duration = Duration::from_secs(5 * 60);
    /// How long credentials without an expiry are reused.
    pub const DEFAULT_EXPIRATION: Duration = Duration::from_secs(15 * 60);
    /// How long a failed refresh keeps the old credentials before the next try.
    pub const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(10);

    /// A cache in front of `provider`, reading the time from `time_source`.
    pub fn new(provider: SharedCredentialsProvider, time_source: Arc<dyn TimeSource>) -> Self {
        CredentialsCache {
            provider,
            time_source,
            buffer: Self::DEFAULT_BUFFER,
            current: RwLock::new(None),
            refresh: tokio::sync::Mutex::new(()),
        }
    }

    /// Refreshes `buffer` before expiry instead of the default 5 minutes.
    pub fn with_buffer(mut self, buffer: Duration) -> Self {
        self.buffer = buffer;
        self
    }

    fn cached(&self) -> Option<Entry> {
        // A poisoned lock only means a panic elsewhere while it was held; the
        // value inside is still a whole entry.
        match self.current.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn store(&self, entry: Entry) {
        match self.current.write() {
            Ok(mut guard) => *guard = Some(entry),
            Err(poisoned) => *poisoned.into_inner() = Some(entry),
        }
    }

    /// The credentials: cached ones while fresh, else new ones from the provider.
    pub async fn get(&self) -> Result<Credentials, CredentialsError> {
        let now = self.time_source.now();
        if let Some(entry) = self.cached() {
            if now < entry.refresh_at && entry.retry_at.is_none_or(|t| now < t) {
                return Ok(entry.credentials);
            }
        }
        let _refreshing = self.refresh.lock().await;
        // Another caller may have refreshed while this one waited.
        let now = self.time_source.now();
        let old = self.cached();
        if let Some(entry) = &old {
            let fresh = now < entry.refresh_at;
            let backing_off = entry.retry_at.is_some_and(|t| now < t);
            if (fresh && entry.retry_at.is_none()) || (backing_off && still_valid(entry, now)) {
                return Ok(entry.credentials.clone());
            }
        }
        match self.provider.provide_credentials().await {
            Ok(credentials) => {
                let now = self.time_source.now();
                let refresh_at = self.refresh_time(&credentials, now);
                tracing::debug!(
                    "loaded credentials, refreshing them in {:?}",
                    refresh_at.duration_since(now).unwrap_or_default()
                );
                self.store(Entry {
                    credentials: credentials.clone(),
                    refresh_at,
                    retry_at: None,
                });
                Ok(credentials)
            }
            Err(error) => match old {
                Some(mut entry) if still_valid(&entry, now) => {
                    tracing::warn!(
                        %error,
                        "refreshing credentials failed; using the current ones until they expire"
                    );
                    entry.retry_at = Some(now + Self::RETRY_AFTER_FAILURE);
                    let credentials = entry.credentials.clone();
                    self.store(entry);
                    Ok(credentials)
                }
                _ => Err(error),
            },
        }
    }

    fn refresh_time(&self, credentials: &Credentials, now: SystemTime) -> SystemTime {
        match credentials.expiry() {
            None => now + Self::DEFAULT_EXPIRATION,
            Some(expiry) => match expiry.checked_sub(self.buffer) {
                Some(t) if t > now => t,
                // Short-lived credentials: use them for half their life.
                _ => now + expiry.duration_since(now).unwrap_or_default() / 2,
            },
        }
    }
}

/// Whether the cached credentials can still sign a request.
fn still_valid(entry: &Entry, now: SystemTime) -> bool {
    entry.credentials.expiry().is_none_or(|expiry| now < expiry)
}

impl fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsCache")
            .field("provider", &self.provider)
            .field("buffer", &self.buffer)
            .finish_non_exhaustive()
    }
}

impl ProvideCredentials for CredentialsCache {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.get())
    }

    fn wants_cache(&self) -> bool {
        false
    }
}
