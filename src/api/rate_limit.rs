//! A token bucket per API key: `burst` calls at once, refilled at
//! `requests_per_sec`; an empty bucket answers 429 with `Retry-After`.
//!
//! The buckets live in this replica's memory: with N replicas behind a load
//! balancer a key gets up to N times the rate (Envoy's "local" rate limit).

use crate::config::RateLimitConfig;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct RateLimiter {
    rate: f64,
    burst: f64,
    /// One bucket per key, by the key's index in the tenant's key list.
    buckets: Mutex<Vec<Bucket>>,
}

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl RateLimiter {
    pub fn new(cfg: &RateLimitConfig, keys: usize) -> Self {
        let now = Instant::now();
        let burst = f64::from(cfg.burst.max(1));
        RateLimiter {
            rate: cfg.requests_per_sec,
            burst,
            buckets: Mutex::new(vec![
                Bucket {
                    tokens: burst,
                    at: now
                };
                keys.max(1)
            ]),
        }
    }

    /// Takes a token for key `index`, or says how long until one is there.
    pub fn take(&self, index: usize) -> Result<(), Duration> {
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let Some(b) = buckets.get_mut(index) else {
            return Ok(());
        };
        let now = Instant::now();
        let refill = now.saturating_duration_since(b.at).as_secs_f64() * self.rate;
        b.tokens = (b.tokens + refill).min(self.burst);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - b.tokens) / self.rate))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_then_refill() {
        let rl = RateLimiter::new(
            &RateLimitConfig {
                requests_per_sec: 20.0,
                burst: 3,
            },
            2,
        );
        for _ in 0..3 {
            assert!(rl.take(0).is_ok());
        }
        let wait = rl.take(0).unwrap_err();
        assert!(wait <= Duration::from_millis(51), "{wait:?}");
        assert!(rl.take(1).is_ok(), "buckets are per key");
        std::thread::sleep(Duration::from_millis(60));
        assert!(rl.take(0).is_ok());
    }
}
