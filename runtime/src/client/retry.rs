//! Retries in AWS "standard" mode.
//!
//! An attempt is retried when it was throttled (HTTP 429 or a throttling
//! error code), failed transiently (HTTP 500/502/503/504 or a transient error
//! code, a connection failure) or timed out; validation and other 4xx errors
//! are never retried. Attempts are capped by [`RetryConfig::max_attempts`]
//! (3 by default) and spaced by exponential backoff with full jitter:
//! `random(0..1) * min(max_backoff, initial_backoff * 2^(attempt - 1))`. As in
//! the AWS SDKs, a per-client retry quota (500 tokens; a retry costs 5, a retry
//! after a timeout 10; successes pay back) stops retry storms when a service
//! is down.

use std::time::Duration;

use crate::client::http::HttpResponse;
use crate::client::transport::{TransportError, TransportErrorKind};

/// Error codes that mean "slow down" (from the AWS SDKs' standard retry mode).
pub const THROTTLING_ERROR_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes for failures that may pass on a second try.
pub const TRANSIENT_ERROR_CODES: &[&str] = &[
    "RequestTimeout",
    "RequestTimeoutException",
    "PriorRequestNotComplete",
];

/// HTTP statuses for failures that may pass on a second try.
pub const TRANSIENT_STATUS_CODES: &[u16] = &[500, 502, 503, 504];

/// How many attempts to make and how long to wait between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl RetryConfig {
    /// Standard mode: 3 attempts, backoff from 1 s up to 20 s.
    pub fn standard() -> Self {
        RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
        }
    }

    /// One attempt, no retries.
    pub fn disabled() -> Self {
        RetryConfig {
            max_attempts: 1,
            ..Self::standard()
        }
    }

    /// Sets the total number of attempts (1 = no retries; must be at least 1).
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts;
        self
    }

    /// Sets the backoff base: the first retry waits up to this long.
    pub fn with_initial_backoff(mut self, initial_backoff: Duration) -> Self {
        self.initial_backoff = initial_backoff;
        self
    }

    /// Sets the longest wait between two attempts.
    pub fn with_max_backoff(mut self, max_backoff: Duration) -> Self {
        self.max_backoff = max_backoff;
        self
    }

    /// The total number of attempts.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The backoff base.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The longest wait between two attempts.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The wait after failed attempt number `attempt` (1-based), before jitter:
    /// `min(max_backoff, initial_backoff * 2^(attempt - 1))`.
    pub fn backoff_ceiling(&self, attempt: u32) -> Duration {
        let factor = 1u32
            .checked_shl(attempt.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }

    /// The jittered wait after failed attempt number `attempt` (1-based).
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        self.backoff_ceiling(attempt).mul_f64(fastrand::f64())
    }
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self::standard()
    }
}

/// Why a failed attempt may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryKind {
    /// The service asked to slow down (429, throttling error codes).
    Throttling,
    /// A failure that may pass on a second try (5xx, connection errors).
    Transient,
    /// A connect or read timeout elapsed.
    Timeout,
}

/// Classifies an error response: `code` is its error code (see
/// [`ErrorMetadata`](crate::client::ErrorMetadata)), `retryable_codes` the
/// codes the model marks `@retryable` for this operation. `None` means "do not
/// retry"; 2xx responses are never retried.
pub fn classify_response(
    response: &HttpResponse,
    code: Option<&str>,
    retryable_codes: &[&str],
) -> Option<RetryKind> {
    if response.is_success() {
        return None;
    }
    let has_code = |codes: &[&str]| code.is_some_and(|c| codes.contains(&c));
    if response.status() == 429 || has_code(THROTTLING_ERROR_CODES) {
        Some(RetryKind::Throttling)
    } else if TRANSIENT_STATUS_CODES.contains(&response.status())
        || has_code(TRANSIENT_ERROR_CODES)
        || has_code(retryable_codes)
    {
        Some(RetryKind::Transient)
    } else {
        None
    }
}

/// Classifies a transport failure: timeouts, connection and I/O failures are
/// retried; requests that could not be sent at all are not.
pub fn classify_transport(error: &TransportError) -> Option<RetryKind> {
    match error.kind() {
        TransportErrorKind::Timeout => Some(RetryKind::Timeout),
        TransportErrorKind::Connect | TransportErrorKind::Io => Some(RetryKind::Transient),
        TransportErrorKind::Other => None,
    }
}

/// The standard mode's retry quota (a token bucket shared by one client).
#[derive(Debug)]
pub(crate) struct RetryQuota {
    available: u32,
}

impl RetryQuota {
    const CAPACITY: u32 = 500;
    const RETRY_COST: u32 = 5;
    const TIMEOUT_RETRY_COST: u32 = 10;
    const NO_RETRY_INCREMENT: u32 = 1;

    pub(crate) fn new() -> Self {
        RetryQuota {
            available: Self::CAPACITY,
        }
    }

    /// Takes the tokens for one retry of `kind`; `None` if the quota is spent.
    pub(crate) fn acquire(&mut self, kind: RetryKind) -> Option<u32> {
        let cost = if kind == RetryKind::Timeout {
            Self::TIMEOUT_RETRY_COST
        } else {
            Self::RETRY_COST
        };
        self.available = self.available.checked_sub(cost)?;
        Some(cost)
    }

    /// Pays back after a success: the last retry's cost, or one token if the
    /// first attempt succeeded.
    pub(crate) fn release(&mut self, last_retry_cost: Option<u32>) {
        let refund = last_retry_cost.unwrap_or(Self::NO_RETRY_INCREMENT);
        self.available = (self.available + refund).min(Self::CAPACITY);
    }

    #[cfg(test)]
    pub(crate) fn available(&self) -> u32 {
        self.available
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_statuses_and_codes() {
        let r = |s| HttpResponse::new(s);
        assert_eq!(
            classify_response(&r(503), None, &[]),
            Some(RetryKind::Transient)
        );
        assert_eq!(
            classify_response(&r(500), Some("InternalServerException"), &[]),
            Some(RetryKind::Transient)
        );
        assert_eq!(
            classify_response(&r(429), Some("ThrottlingException"), &[]),
            Some(RetryKind::Throttling)
        );
        assert_eq!(
            classify_response(&r(400), Some("ThrottlingException"), &[]),
            Some(RetryKind::Throttling)
        );
        assert_eq!(
            classify_response(&r(400), Some("ValidationException"), &[]),
            None
        );
        assert_eq!(
            classify_response(&r(403), Some("AccessDeniedException"), &[]),
            None
        );
        assert_eq!(classify_response(&r(501), None, &[]), None);
        assert_eq!(
            classify_response(&r(409), Some("Busy"), &["Busy"]),
            Some(RetryKind::Transient)
        );
        assert_eq!(
            classify_response(&r(200), Some("ThrottlingException"), &[]),
            None
        );
    }

    #[test]
    fn classifies_transport_errors() {
        assert_eq!(
            classify_transport(&TransportError::timeout("t")),
            Some(RetryKind::Timeout)
        );
        assert_eq!(
            classify_transport(&TransportError::connect("c")),
            Some(RetryKind::Transient)
        );
        assert_eq!(
            classify_transport(&TransportError::io("i")),
            Some(RetryKind::Transient)
        );
        assert_eq!(classify_transport(&TransportError::other("o")), None);
    }

    #[test]
    fn backoff_grows_exponentially_up_to_the_cap() {
        let c = RetryConfig::standard();
        assert_eq!(c.max_attempts(), 3);
        let ceilings: Vec<u64> = (1..=7).map(|a| c.backoff_ceiling(a).as_secs()).collect();
        assert_eq!(ceilings, [1, 2, 4, 8, 16, 20, 20]);
        assert_eq!(c.backoff_ceiling(200), Duration::from_secs(20));
        for attempt in 1..5 {
            assert!(c.backoff(attempt) <= c.backoff_ceiling(attempt));
        }
        let zero = c.with_initial_backoff(Duration::ZERO);
        assert_eq!(zero.backoff(3), Duration::ZERO);
    }

    #[test]
    fn quota_runs_out_and_refills() {
        let mut q = RetryQuota::new();
        let mut retries = 0;
        while q.acquire(RetryKind::Transient).is_some() {
            retries += 1;
        }
        assert_eq!(retries, 100);
        assert_eq!(q.acquire(RetryKind::Timeout), None);
        q.release(Some(5));
        assert_eq!(q.available(), 5);
        assert_eq!(q.acquire(RetryKind::Timeout), None);
        q.release(None);
        q.release(Some(10));
        assert_eq!(q.available(), 16);
        assert_eq!(q.acquire(RetryKind::Timeout), Some(10));
    }
}
