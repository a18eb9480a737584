//! Retries as botocore 1.44.5 makes them: "standard" mode, and "adaptive"
//! mode (standard plus a client-side rate limiter).
//!
//! - Which failures are retried ([`classify`](self::classify_response)):
//!   throttling (a throttling error code, a `@retryable(throttling: true)`
//!   error, HTTP 429 when the code is not a modeled error) and transient
//!   failures (HTTP 500/502/503/504, a transient error code, a `@retryable`
//!   error, a connection failure, a timeout or a broken connection).
//!   Validation and other 4xx errors are not.
//! - How long to wait ([`RetryConfig::backoff`]): `random(0..1) *
//!   min(base * 2^(attempt - 1), max_backoff)` with `base` 1 s for throttling
//!   and 50 ms for other failures, `max_backoff` 20 s; an `x-amz-retry-after`
//!   header (milliseconds) raises the wait to its value, up to the computed
//!   wait plus 5 s.
//! - The retry quota (one per client): 500 tokens; a retry costs 14, a
//!   retry after throttling 5; a call that succeeds gives back its last
//!   retry's cost, or 1 token if it succeeded at once. An empty quota stops
//!   retrying (a service that is down is not hammered).
//! - Attempts: 3 by default (`AWS_MAX_ATTEMPTS`, profile `max_attempts`).
//! - Adaptive mode: after the first throttling response, each attempt first
//!   takes a token from a bucket whose fill rate follows CUBIC (botocore's
//!   `adaptive.py`, `bucket.py`, `throttling.py`; smithy-rs's
//!   `client_rate_limiter.rs`).
//!
//! `runtime/scripts/retry_golden.py` computes all of this with botocore's own
//! classes into `runtime/tests/data/retry_golden.json`; the `golden_*` tests
//! here compare.

mod adaptive;
mod classify;
mod standard;

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

pub(crate) use self::adaptive::ClientRateLimiter;
pub use self::classify::{
    classify_response, classify_status, classify_transport, ModeledErrors, THROTTLING_ERROR_CODES,
    TRANSIENT_ERROR_CODES, TRANSIENT_STATUS_CODES,
};
pub(crate) use self::standard::{retry_after, RetryQuota};

/// The retry mode: which strategy decides and spaces retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum RetryMode {
    /// Exponential backoff with jitter and a retry quota (the default).
    #[default]
    Standard,
    /// Standard, plus a client-side rate limiter that slows sending down
    /// after throttling responses.
    Adaptive,
}

impl RetryMode {
    /// The name used in `AWS_RETRY_MODE` and the profile's `retry_mode`.
    pub fn as_str(&self) -> &'static str {
        match self {
            RetryMode::Standard => "standard",
            RetryMode::Adaptive => "adaptive",
        }
    }
}

impl fmt::Display for RetryMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A retry mode name that is neither `standard` nor `adaptive`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryModeParseError {
    value: String,
}

impl fmt::Display for RetryModeParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "retry mode must be `standard` or `adaptive`, not `{}`",
            crate::shown::shown(&self.value)
        )
    }
}

impl std::error::Error for RetryModeParseError {}

impl FromStr for RetryMode {
    type Err = RetryModeParseError;

    /// `standard` or `adaptive`, in any case (`legacy` is botocore's own and
    /// not offered, as in the AWS SDK for Rust).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "standard" => Ok(RetryMode::Standard),
            "adaptive" => Ok(RetryMode::Adaptive),
            _ => Err(RetryModeParseError {
                value: s.chars().take(64).collect(),
            }),
        }
    }
}

/// How many attempts to make and how long to wait between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryConfig {
    mode: RetryMode,
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl RetryConfig {
    /// Standard mode: 3 attempts, backoff base 1 s after throttling (50 ms
    /// after other failures), at most 20 s.
    pub fn standard() -> Self {
        RetryConfig {
            mode: RetryMode::Standard,
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
        }
    }

    /// Adaptive mode: standard, plus the client-side rate limiter.
    pub fn adaptive() -> Self {
        RetryConfig {
            mode: RetryMode::Adaptive,
            ..Self::standard()
        }
    }

    /// One attempt, no retries.
    pub fn disabled() -> Self {
        RetryConfig {
            max_attempts: 1,
            ..Self::standard()
        }
    }

    /// Sets the retry mode.
    pub fn with_retry_mode(mut self, mode: RetryMode) -> Self {
        self.mode = mode;
        self
    }

    /// Sets the total number of attempts (1 = no retries; must be at least 1).
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts;
        self
    }

    /// Sets the backoff base after throttling (default 1 s); the base after
    /// other failures is a twentieth of it (default 50 ms), as in botocore.
    pub fn with_initial_backoff(mut self, initial_backoff: Duration) -> Self {
        self.initial_backoff = initial_backoff;
        self
    }

    /// Sets the longest wait between two attempts (before `x-amz-retry-after`).
    pub fn with_max_backoff(mut self, max_backoff: Duration) -> Self {
        self.max_backoff = max_backoff;
        self
    }

    /// The retry mode.
    pub fn mode(&self) -> RetryMode {
        self.mode
    }

    /// The total number of attempts.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The backoff base after throttling.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The longest wait between two attempts (before `x-amz-retry-after`).
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The longest wait after failed attempt number `attempt` (1-based)
    /// failed with `kind`, without a retry-after header:
    /// `min(max_backoff, base * 2^(attempt - 1))`.
    pub fn backoff_ceiling(&self, kind: RetryKind, attempt: u32) -> Duration {
        self.backoff(kind, attempt, None, 1.0)
    }

    /// The wait after failed attempt number `attempt` (1-based) failed with
    /// `kind`, for a random `jitter` in `0.0..=1.0` and the response's
    /// `x-amz-retry-after` (see botocore's `ExponentialBackoff`).
    pub fn backoff(
        &self,
        kind: RetryKind,
        attempt: u32,
        retry_after: Option<Duration>,
        jitter: f64,
    ) -> Duration {
        standard::backoff_secs(
            self.base(kind),
            self.max_backoff.as_secs_f64(),
            attempt,
            retry_after.map(|d| d.as_secs_f64()),
            jitter,
        )
    }

    fn base(&self, kind: RetryKind) -> f64 {
        let throttling = self.initial_backoff.as_secs_f64();
        match kind {
            RetryKind::Throttling => throttling,
            _ => throttling * standard::NON_THROTTLING_BASE_SCALE,
        }
    }
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self::standard()
    }
}

/// Why a failed attempt may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryKind {
    /// The service asked to slow down (429, throttling error codes).
    Throttling,
    /// A failure that may pass on a second try (5xx, connection errors).
    Transient,
    /// A connect or read timeout elapsed (retried as a transient failure).
    Timeout,
    /// The service rejected the signature's time and the client's clock is
    /// off by more than 4 minutes (retried once, with the corrected time).
    ClockSkew,
}

impl RetryKind {
    /// Whether this is throttling (backoff base, quota cost, adaptive mode).
    pub fn is_throttling(&self) -> bool {
        matches!(self, RetryKind::Throttling)
    }
}
