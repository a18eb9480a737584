//! Standard mode's backoff and retry quota (botocore's
//! `retries/standard.py` `ExponentialBackoff` and `RetryQuotaChecker`,
//! `retries/quota.py`).

use std::time::Duration;

use crate::client::http::HttpResponse;
use crate::client::retry::RetryKind;

/// The backoff base after a non-throttling failure, relative to the base
/// after throttling (botocore: 1 s and 0.05 s).
pub(super) const NON_THROTTLING_BASE_SCALE: f64 = 0.05;

/// How much longer than the computed backoff `x-amz-retry-after` may make
/// the wait, in seconds.
const RETRY_AFTER_MAX_ADDITIONAL: f64 = 5.0;

/// The header a service may send to say how long to wait (milliseconds).
pub(crate) const RETRY_AFTER_HEADER: &str = "x-amz-retry-after";

/// `t_i = jitter * min(base * 2^(attempt - 1), max_backoff)`, raised to
/// `retry_after` but at most to `t_i + 5`. Seconds in, a `Duration` out.
pub(super) fn backoff_secs(
    base: f64,
    max_backoff: f64,
    attempt: u32,
    retry_after: Option<f64>,
    jitter: f64,
) -> Duration {
    let exponent = i32::try_from(attempt.saturating_sub(1)).unwrap_or(i32::MAX);
    let ceiling = (base * 2f64.powi(exponent)).min(max_backoff);
    let t_i = jitter.clamp(0.0, 1.0) * ceiling;
    let delay = match retry_after {
        Some(after) => t_i.max(after.min(RETRY_AFTER_MAX_ADDITIONAL + t_i)),
        None => t_i,
    };
    Duration::try_from_secs_f64(delay).unwrap_or(Duration::ZERO)
}

/// The response's `x-amz-retry-after`, if it is a whole, non-negative number
/// of milliseconds (anything else is ignored, as botocore does).
pub(crate) fn retry_after(response: &HttpResponse) -> Option<Duration> {
    let value = response.header(RETRY_AFTER_HEADER)?.trim();
    let digits = value.strip_prefix('+').unwrap_or(value);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // More digits than a u64 holds is still "a long time": cap it (the wait
    // is bounded by the backoff plus 5 s anyway).
    let millis = digits.parse::<u64>().unwrap_or(u64::MAX);
    Some(Duration::from_millis(millis))
}

/// The standard mode's retry quota (a token bucket shared by one client).
#[derive(Debug)]
pub(crate) struct RetryQuota {
    available: u32,
}

impl RetryQuota {
    const CAPACITY: u32 = 500;
    const RETRY_COST: u32 = 14;
    const THROTTLING_RETRY_COST: u32 = 5;
    const NO_RETRY_INCREMENT: u32 = 1;

    pub(crate) fn new() -> Self {
        RetryQuota {
            available: Self::CAPACITY,
        }
    }

    /// Takes the tokens for one retry of `kind`; `None` if the quota is spent.
    pub(crate) fn acquire(&mut self, kind: RetryKind) -> Option<u32> {
        let cost = if kind.is_throttling() {
            Self::THROTTLING_RETRY_COST
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
pub(crate) mod tests {
    use super::*;
    use crate::client::retry::{classify_status, classify_transport, ModeledErrors, RetryConfig};
    use crate::client::transport::TransportError;
    use serde_json::Value;

    pub(crate) fn golden() -> Value {
        serde_json::from_str(include_str!("../../../tests/data/retry_golden.json")).unwrap()
    }

    #[test]
    fn golden_backoff_matches_botocore() {
        let golden = golden();
        let config = RetryConfig::standard();
        let cases = golden["backoff"].as_array().unwrap();
        assert!(cases.len() > 300);
        for case in cases {
            let kind = match case["kind"].as_str().unwrap() {
                "throttling" => RetryKind::Throttling,
                _ => RetryKind::Transient,
            };
            let mut response = HttpResponse::new(case["status"].as_u64().unwrap() as u16);
            if let Some(after) = case["retry_after"].as_str() {
                response = response.with_header(RETRY_AFTER_HEADER, after);
            }
            let attempt = case["attempt"].as_u64().unwrap() as u32;
            let jitter = case["random"].as_f64().unwrap();
            let ours = config.backoff(kind, attempt, retry_after(&response), jitter);
            let theirs = case["delay"].as_f64().unwrap();
            assert!(
                (ours.as_secs_f64() - theirs).abs() < 1e-9,
                "{case}: ours {ours:?}"
            );
        }
    }

    fn outcome_kind(outcome: &str) -> Option<RetryKind> {
        if let Some(exception) = outcome.strip_prefix("exc:") {
            return classify_transport(&transport_error(exception));
        }
        let (status, code) = outcome.split_once(':').unwrap_or((outcome, ""));
        let code = Some(code).filter(|c| !c.is_empty());
        classify_status(status.parse().unwrap(), code, &ModeledErrors::default())
    }

    pub(crate) fn transport_error(kind: &str) -> TransportError {
        match kind {
            "connect" => TransportError::connect("c"),
            "connect_timeout" | "timeout" => TransportError::timeout("t"),
            "io" => TransportError::io("i"),
            _ => TransportError::other("o"),
        }
    }

    /// The same calls as botocore's endpoint loop: retry while retryable,
    /// under max attempts (3) and the quota allows; release after a 2xx.
    #[test]
    fn golden_quota_matches_botocore() {
        let golden = golden();
        let mut quota = RetryQuota::new();
        for case in golden["quota"].as_array().unwrap() {
            let outcomes: Vec<&str> = case["outcomes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o.as_str().unwrap())
                .collect();
            let mut last_cost = None;
            let mut sent = 0;
            for (i, outcome) in outcomes.iter().enumerate() {
                sent += 1;
                let retry = outcome_kind(outcome)
                    .filter(|_| i + 1 < 3)
                    .and_then(|kind| quota.acquire(kind));
                match retry {
                    Some(cost) => last_cost = Some(cost),
                    None => break,
                }
            }
            if outcomes[sent - 1].starts_with('2') {
                quota.release(last_cost);
            }
            assert_eq!(sent as u64, case["attempts"].as_u64().unwrap(), "{case}");
            assert_eq!(
                u64::from(quota.available()),
                case["available"].as_u64().unwrap(),
                "{case}"
            );
        }
    }

    #[test]
    fn retry_after_ignores_what_is_not_whole_milliseconds() {
        let parse =
            |v: &str| retry_after(&HttpResponse::new(503).with_header(RETRY_AFTER_HEADER, v));
        assert_eq!(parse("1500"), Some(Duration::from_millis(1500)));
        assert_eq!(parse(" 20 "), Some(Duration::from_millis(20)));
        assert_eq!(parse("-5"), None);
        assert_eq!(parse("1.5"), None);
        assert_eq!(parse(""), None);
        assert_eq!(
            parse("99999999999999999999999"),
            Some(Duration::from_millis(u64::MAX))
        );
        assert_eq!(retry_after(&HttpResponse::new(503)), None);
        let huge = RetryConfig::standard().backoff(
            RetryKind::Transient,
            1,
            parse("99999999999999999999999"),
            0.5,
        );
        assert_eq!(huge, Duration::from_secs_f64(0.025 + 5.0));
    }

    #[test]
    fn backoff_grows_exponentially_up_to_the_cap() {
        let c = RetryConfig::standard();
        assert_eq!(c.max_attempts(), 3);
        let ceilings: Vec<f64> = (1..=7)
            .map(|a| c.backoff_ceiling(RetryKind::Throttling, a).as_secs_f64())
            .collect();
        assert_eq!(ceilings, [1.0, 2.0, 4.0, 8.0, 16.0, 20.0, 20.0]);
        assert_eq!(
            c.backoff_ceiling(RetryKind::Transient, 3),
            Duration::from_millis(200)
        );
        assert_eq!(
            c.backoff_ceiling(RetryKind::Throttling, u32::MAX),
            Duration::from_secs(20)
        );
        let zero = c.with_initial_backoff(Duration::ZERO);
        assert_eq!(
            zero.backoff(RetryKind::Throttling, 3, None, 1.0),
            Duration::ZERO
        );
    }

    #[test]
    fn quota_runs_out_and_refills() {
        let mut q = RetryQuota::new();
        let mut retries = 0;
        while q.acquire(RetryKind::Transient).is_some() {
            retries += 1;
        }
        assert_eq!(retries, 35);
        assert_eq!(q.available(), 10);
        assert_eq!(q.acquire(RetryKind::Timeout), None);
        assert_eq!(q.acquire(RetryKind::Throttling), Some(5));
        q.release(Some(14));
        assert_eq!(q.available(), 19);
        q.release(None);
        assert_eq!(q.available(), 20);
    }
}
