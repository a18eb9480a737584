//! Where the runtime gets the current time (for signing), so tests can fix it.
//! It imports nothing of the crate.

use std::fmt;
use std::time::SystemTime;

/// A source of the current time.
pub trait TimeSource: Send + Sync + fmt::Debug {
    /// The current time.
    fn now(&self) -> SystemTime;
}

/// The system clock (the default).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl TimeSource for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock stopped at one instant, for tests and golden signatures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedTime(pub SystemTime);

impl FixedTime {
    /// A clock stopped `secs` seconds after the Unix epoch.
    pub fn from_unix_secs(secs: u64) -> Self {
        FixedTime(SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(secs))
    }
}

impl TimeSource for FixedTime {
    fn now(&self) -> SystemTime {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_time_does_not_move() {
        let t = FixedTime::from_unix_secs(1_440_938_160);
        assert_eq!(t.now(), t.now());
        assert_eq!(
            t.now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .ok()
                .map(|d| d.as_secs()),
            Some(1_440_938_160)
        );
        assert!(SystemClock.now() > t.now());
    }
}
