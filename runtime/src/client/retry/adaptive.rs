//! Adaptive mode's client-side rate limiter: botocore's `ClientRateLimiter`
//! (`retries/adaptive.py`), `RateClocker`, `TokenBucket` (`bucket.py`) and
//! `CubicCalculator` (`throttling.py`); smithy-rs's `client_rate_limiter.rs`
//! is the same algorithm.
//!
//! Until the first throttling response the limiter only measures the send
//! rate. From then on, every attempt takes a token from a bucket filled at a
//! rate that drops to 70% of the measured rate on each throttling response
//! and grows back along a cubic curve on successes (capped at twice the
//! measured rate). Times are seconds on a monotonic clock, given by the
//! caller, so the arithmetic can be checked against botocore's.

/// The CUBIC congestion-control curve for the send rate.
#[derive(Debug)]
struct CubicCalculator {
    w_max: f64,
    k: f64,
    last_fail: f64,
}

impl CubicCalculator {
    const SCALE_CONSTANT: f64 = 0.4;
    const BETA: f64 = 0.7;

    fn new(starting_max_rate: f64, start_time: f64) -> Self {
        let mut c = CubicCalculator {
            w_max: starting_max_rate,
            k: 0.0,
            last_fail: start_time,
        };
        c.k = c.zero_point();
        c
    }

    fn zero_point(&self) -> f64 {
        (self.w_max * (1.0 - Self::BETA) / Self::SCALE_CONSTANT).powf(1.0 / 3.0)
    }

    fn success_received(&self, timestamp: f64) -> f64 {
        let dt = timestamp - self.last_fail;
        Self::SCALE_CONSTANT * (dt - self.k).powf(3.0) + self.w_max
    }

    fn error_received(&mut self, current_rate: f64, timestamp: f64) -> f64 {
        self.w_max = current_rate;
        self.k = self.zero_point();
        self.last_fail = timestamp;
        current_rate * Self::BETA
    }
}

/// Measures the send rate, smoothed over half-second buckets.
#[derive(Debug)]
struct RateClocker {
    measured_rate: f64,
    last_bucket: f64,
    count: f64,
}

impl RateClocker {
    const SMOOTHING: f64 = 0.8;
    const TIME_BUCKET_SCALE: f64 = 1.0 / 0.5;

    fn new(now: f64) -> Self {
        RateClocker {
            measured_rate: 0.0,
            last_bucket: now.floor(),
            count: 0.0,
        }
    }

    fn record(&mut self, now: f64) -> f64 {
        let bucket = (now * Self::TIME_BUCKET_SCALE).floor() / Self::TIME_BUCKET_SCALE;
        self.count += 1.0;
        if bucket > self.last_bucket {
            let current_rate = self.count / (bucket - self.last_bucket);
            self.measured_rate =
                current_rate * Self::SMOOTHING + self.measured_rate * (1.0 - Self::SMOOTHING);
            self.count = 0.0;
            self.last_bucket = bucket;
        }
        self.measured_rate
    }
}

/// Tokens filled at `fill_rate` per second, up to `max_capacity`.
#[derive(Debug)]
struct TokenBucket {
    fill_rate: f64,
    max_capacity: f64,
    current_capacity: f64,
    last_timestamp: Option<f64>,
}

impl TokenBucket {
    const MIN_RATE: f64 = 0.5;

    fn new(max_rate: f64, now: f64) -> Self {
        let mut bucket = TokenBucket {
            fill_rate: 0.0,
            max_capacity: 0.0,
            current_capacity: 0.0,
            last_timestamp: None,
        };
        bucket.set_max_rate(max_rate, now);
        bucket
    }

    fn set_max_rate(&mut self, value: f64, now: f64) {
        self.refill(now);
        self.fill_rate = value.max(Self::MIN_RATE);
        self.max_capacity = if value >= 1.0 { value } else { 1.0 };
        self.current_capacity = self.current_capacity.min(self.max_capacity);
    }

    fn refill(&mut self, now: f64) {
        let Some(last) = self.last_timestamp else {
            self.last_timestamp = Some(now);
            return;
        };
        let fill = (now - last) * self.fill_rate;
        self.current_capacity = self.max_capacity.min(self.current_capacity + fill);
        self.last_timestamp = Some(now);
    }

    /// Takes one token; returns how long (seconds) the caller must wait first.
    fn acquire(&mut self, now: f64) -> f64 {
        self.refill(now);
        if self.current_capacity >= 1.0 {
            self.current_capacity -= 1.0;
            return 0.0;
        }
        let wait = (1.0 - self.current_capacity) / self.fill_rate;
        self.refill(now + wait);
        self.current_capacity -= 1.0;
        wait
    }
}

/// The limiter one client shares between its calls.
#[derive(Debug)]
pub(crate) struct ClientRateLimiter {
    cubic: CubicCalculator,
    clocker: RateClocker,
    bucket: TokenBucket,
    enabled: bool,
}

impl ClientRateLimiter {
    const MAX_RATE_ADJUST_SCALE: f64 = 2.0;

    /// A limiter whose clock reads `now` (seconds) at creation.
    pub(crate) fn new(now: f64) -> Self {
        ClientRateLimiter {
            cubic: CubicCalculator::new(0.0, now),
            clocker: RateClocker::new(now),
            bucket: TokenBucket::new(1.0, now),
            enabled: false,
        }
    }

    /// Before sending an attempt at `now`: takes a token, and says how long
    /// to wait for it (zero until the first throttling response).
    pub(crate) fn acquire(&mut self, now: f64) -> f64 {
        if self.enabled {
            self.bucket.acquire(now)
        } else {
            0.0
        }
    }

    /// After an attempt's outcome at `now` (a response or a failure).
    pub(crate) fn on_response(&mut self, now: f64, throttled: bool) {
        let measured_rate = self.clocker.record(now);
        let new_rate = if throttled {
            let rate = if self.enabled {
                measured_rate.min(self.bucket.fill_rate)
            } else {
                measured_rate
            };
            self.enabled = true;
            self.cubic.error_received(rate, now)
        } else {
            self.cubic.success_received(now)
        };
        self.bucket.set_max_rate(
            new_rate.min(Self::MAX_RATE_ADJUST_SCALE * measured_rate),
            now,
        );
    }

    /// The token bucket's fill rate (tokens per second).
    #[cfg(test)]
    fn fill_rate(&self) -> f64 {
        self.bucket.fill_rate
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::retry::standard::tests::golden;

    #[test]
    fn golden_rates_match_botocore() {
        let golden = golden();
        let timeline = &golden["adaptive"];
        let mut now = timeline["start_time"].as_f64().unwrap();
        let mut limiter = ClientRateLimiter::new(now);
        let events = timeline["events"].as_array().unwrap();
        assert!(events.len() > 50);
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1.0);
        let mut waited_somewhere = false;
        for (i, event) in events.iter().enumerate() {
            now += event["advance"].as_f64().unwrap();
            let waited = limiter.acquire(now);
            now += waited;
            limiter.on_response(now, event["throttled"].as_bool().unwrap());
            let expect = |key: &str| event[key].as_f64().unwrap();
            assert!(close(now, expect("time")), "event {i}: time {now}");
            assert!(
                close(waited, expect("waited")),
                "event {i}: waited {waited}"
            );
            assert!(
                close(limiter.fill_rate(), expect("fill_rate")),
                "event {i}: fill rate {}",
                limiter.fill_rate()
            );
            assert!(
                close(limiter.clocker.measured_rate, expect("measured_rate")),
                "event {i}"
            );
            assert_eq!(
                limiter.enabled,
                event["enabled"].as_bool().unwrap(),
                "event {i}"
            );
            waited_somewhere |= waited > 0.0;
        }
        assert!(waited_somewhere, "the timeline never made the limiter wait");
    }

    #[test]
    fn nothing_waits_before_the_first_throttle() {
        let mut limiter = ClientRateLimiter::new(0.0);
        for i in 0..100 {
            let t = f64::from(i) * 0.01;
            assert_eq!(limiter.acquire(t), 0.0);
            limiter.on_response(t, false);
        }
        assert!(!limiter.enabled);
        limiter.on_response(1.0, true);
        assert!(limiter.enabled);
    }
}
