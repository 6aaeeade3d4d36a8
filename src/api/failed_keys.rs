//! Throttling wrong API keys per client address.
//!
//! Every wrong or missing `x-api-key` takes a token from its client
//! address's bucket (`auth.failed_keys`); an empty bucket answers 429 with
//! `Retry-After` instead of 401, so guessing keys costs time. A right key is
//! never slowed: it is checked first and takes nothing from the bucket.
//!
//! Memory is bounded: at most [`MAX_ADDRESSES`] addresses are tracked; a new
//! one past that replaces the address seen longest ago.

use super::rate_limit::Bucket;
use crate::config::RateLimitConfig;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// Most client addresses tracked at once.
pub const MAX_ADDRESSES: usize = 10_000;

pub struct FailedKeys {
    rate: f64,
    burst: f64,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

impl FailedKeys {
    pub fn new(cfg: &RateLimitConfig) -> Self {
        FailedKeys {
            rate: cfg.requests_per_sec,
            burst: f64::from(cfg.burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Records one failed attempt from `addr`: `Ok` while the address is
    /// under its limit (answer 401), else how long until it may try again
    /// (answer 429).
    pub fn fail(&self, addr: IpAddr) -> Result<(), Duration> {
        self.fail_at(addr, Instant::now())
    }

    fn fail_at(&self, addr: IpAddr, now: Instant) -> Result<(), Duration> {
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if !buckets.contains_key(&addr) && buckets.len() >= MAX_ADDRESSES {
            let oldest = buckets.iter().min_by_key(|(_, b)| b.at()).map(|(a, _)| *a);
            if let Some(a) = oldest {
                buckets.remove(&a);
            }
        }
        let b = buckets
            .entry(addr)
            .or_insert_with(|| Bucket::full(self.burst, now));
        if b.take(self.rate, self.burst, now) {
            Ok(())
        } else {
            Err(b.wait(self.rate))
        }
    }

    /// Addresses tracked now.
    pub fn tracked(&self) -> usize {
        self.buckets.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter() -> FailedKeys {
        FailedKeys::new(&RateLimitConfig {
            requests_per_sec: 10.0,
            burst: 3,
        })
    }

    #[test]
    fn burst_then_wait_per_address() {
        let f = limiter();
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        let t = Instant::now();
        for _ in 0..3 {
            assert!(f.fail_at(a, t).is_ok());
        }
        let wait = f.fail_at(a, t).unwrap_err();
        assert!(wait > Duration::ZERO && wait <= Duration::from_millis(100));
        assert!(
            f.fail_at(b, t).is_ok(),
            "another address has its own bucket"
        );
        assert!(f.fail_at(a, t + Duration::from_millis(110)).is_ok());
    }

    #[test]
    fn bounded_by_address_count() {
        let f = limiter();
        let t = Instant::now();
        for i in 0..(MAX_ADDRESSES as u32 + 50) {
            let addr = IpAddr::from(i.to_be_bytes());
            let _ = f.fail_at(addr, t + Duration::from_micros(u64::from(i)));
        }
        assert_eq!(f.tracked(), MAX_ADDRESSES);
    }
}
