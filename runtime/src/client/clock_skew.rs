//! Clock-skew correction, as the AWS SDK for Rust does it (`aws-runtime`
//! `service_clock_skew.rs`; botocore has none).
//!
//! Every response with a `Date` header (and no `Age`: not from a cache) tells
//! how far the service's clock is from ours: its `Date` minus the midpoint
//! between sending and receiving (skipped if the exchange took more than 15
//! minutes). The client keeps the last offset and signs later attempts and
//! calls at `now + offset`. A response rejecting the signature's time
//! ([`CLOCK_SKEW_ERROR_CODES`]) while the offset is beyond 4 minutes is
//! retried once with the corrected time.

use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use crate::client::http::HttpResponse;
use crate::primitives::{DateTime, Format};

/// Offsets within this are normal clock drift, not the cause of an error.
const SKEW_DETECTION_THRESHOLD: Duration = Duration::from_secs(4 * 60);

/// Exchanges slower than this say little about the service's clock.
const MAX_TRUSTED_REQUEST_DURATION: Duration = Duration::from_secs(15 * 60);

/// Error codes that can mean "the signature's time is off" (smithy-rs's list,
/// plus `RequestExpired`).
pub(crate) const CLOCK_SKEW_ERROR_CODES: &[&str] = &[
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "AuthFailure",
    "RequestTimeTooSkewed",
    "RequestExpired",
    "AccessDeniedException",
];

/// A signed offset from our clock to the service's, in milliseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct ClockSkew(i64);

impl ClockSkew {
    /// `t` moved by the offset.
    pub(crate) fn apply(self, t: SystemTime) -> SystemTime {
        let d = Duration::from_millis(self.0.unsigned_abs());
        if self.0 >= 0 {
            t.checked_add(d)
        } else {
            t.checked_sub(d)
        }
        .unwrap_or(t)
    }

    /// Whether the offset is large enough to explain a rejected signature.
    pub(crate) fn is_significant(self) -> bool {
        Duration::from_millis(self.0.unsigned_abs()) > SKEW_DETECTION_THRESHOLD
    }

    /// The offset in milliseconds (for traces).
    pub(crate) fn millis(self) -> i64 {
        self.0
    }

    /// The offset `response` shows, for a request sent at `sent` and
    /// answered at `received()` (our clock, read only if the response has a
    /// usable `Date`), if it shows one.
    pub(crate) fn measure(
        response: &HttpResponse,
        sent: SystemTime,
        received: impl FnOnce() -> SystemTime,
    ) -> Option<ClockSkew> {
        if response.header("age").is_some() {
            return None;
        }
        let date = response.header("date")?;
        let server = DateTime::from_str(date.trim(), Format::HttpDate).ok()?;
        let elapsed = received().duration_since(sent).unwrap_or_default();
        if elapsed > MAX_TRUSTED_REQUEST_DURATION {
            return None;
        }
        let midpoint = sent + elapsed / 2;
        let midpoint_ms = match midpoint.duration_since(SystemTime::UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_millis()).ok()?,
            Err(e) => -i64::try_from(e.duration().as_millis()).ok()?,
        };
        let server_ms = server
            .secs()
            .checked_mul(1000)?
            .checked_add(i64::from(server.subsec_nanos() / 1_000_000))?;
        Some(ClockSkew(server_ms.checked_sub(midpoint_ms)?))
    }
}

/// A clock moved by a skew: an event stream's messages are signed at the
/// same corrected time as its request.
#[cfg(feature = "event-stream")]
#[derive(Debug)]
pub(crate) struct SkewedClock {
    pub(crate) inner: std::sync::Arc<dyn crate::client::time::TimeSource>,
    pub(crate) skew: ClockSkew,
}

#[cfg(feature = "event-stream")]
impl crate::client::time::TimeSource for SkewedClock {
    fn now(&self) -> SystemTime {
        self.skew.apply(self.inner.now())
    }
}

/// The offset a client learned last.
#[derive(Debug, Default)]
pub(crate) struct LearnedSkew(Mutex<ClockSkew>);

impl LearnedSkew {
    pub(crate) fn get(&self) -> ClockSkew {
        *self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn set(&self, skew: ClockSkew) {
        *self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = skew;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn measures_from_the_midpoint() {
        // Tue, 05 Mar 2024 17:04:09 GMT = 1709658249
        let response = HttpResponse::new(200).with_header("date", "Tue, 05 Mar 2024 17:04:09 GMT");
        let skew = ClockSkew::measure(&response, at(1_709_658_249 - 600), || {
            at(1_709_658_249 - 598)
        });
        assert_eq!(skew, Some(ClockSkew(599_000)));
        assert!(skew.unwrap().is_significant());
        assert_eq!(skew.unwrap().apply(at(1000)), at(1599));
        let behind =
            ClockSkew::measure(&response, at(1_709_658_249 + 10), || at(1_709_658_249 + 10));
        assert_eq!(behind, Some(ClockSkew(-10_000)));
        assert!(!behind.unwrap().is_significant());
        assert_eq!(behind.unwrap().apply(at(1000)), at(990));
    }

    #[test]
    fn ignores_cached_slow_and_undated_responses() {
        let dated = HttpResponse::new(200).with_header("date", "Tue, 05 Mar 2024 17:04:09 GMT");
        let cached = dated.clone().with_header("age", "10");
        assert_eq!(ClockSkew::measure(&cached, at(0), || at(0)), None);
        assert_eq!(ClockSkew::measure(&dated, at(0), || at(16 * 60)), None);
        assert_eq!(
            ClockSkew::measure(&HttpResponse::new(200), at(0), || at(0)),
            None
        );
        let garbage = HttpResponse::new(200).with_header("date", "yesterday");
        assert_eq!(ClockSkew::measure(&garbage, at(0), || at(0)), None);
    }
}
