//! A token bucket: `burst` tokens at most, refilled at `rate` per second;
//! a call takes one. The in-memory limit of both the per-key rate limit and
//! the wrong-key throttle.

use std::time::Duration;
use tokio::time::Instant;

#[derive(Debug, Clone, Copy)]
pub struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    /// A full bucket.
    pub fn full(burst: f64, now: Instant) -> Self {
        Bucket {
            tokens: burst,
            at: now,
        }
    }

    /// Refills for the time since the last call, then takes a token if
    /// there is one. Returns whether it did.
    pub fn take(&mut self, rate: f64, burst: f64, now: Instant) -> bool {
        let refill = now.saturating_duration_since(self.at).as_secs_f64() * rate;
        self.tokens = (self.tokens + refill).min(burst);
        self.at = now;
        let allowed = self.tokens >= 1.0;
        if allowed {
            self.tokens -= 1.0;
        }
        allowed
    }

    /// Tokens left (after the last [`Bucket::take`]).
    pub fn tokens(&self) -> f64 {
        self.tokens
    }

    /// When the bucket was last used.
    pub fn at(&self) -> Instant {
        self.at
    }

    /// Until one token is back.
    pub fn wait(&self, rate: f64) -> Duration {
        secs((1.0 - self.tokens).max(0.0) / rate)
    }

    /// Until the whole burst is back.
    pub fn until_full(&self, rate: f64, burst: f64) -> Duration {
        secs((burst - self.tokens).max(0.0) / rate)
    }
}

fn secs(s: f64) -> Duration {
    Duration::try_from_secs_f64(s).unwrap_or(Duration::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_then_refill() {
        let t = Instant::now();
        let mut b = Bucket::full(2.0, t);
        assert!(b.take(10.0, 2.0, t) && b.take(10.0, 2.0, t));
        assert!(!b.take(10.0, 2.0, t));
        assert_eq!(b.wait(10.0), Duration::from_millis(100));
        assert!(b.take(10.0, 2.0, t + Duration::from_millis(100)));
        assert!(b.until_full(10.0, 2.0) <= Duration::from_millis(200));
    }
}
