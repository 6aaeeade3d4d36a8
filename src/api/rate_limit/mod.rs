//! A limit per API key: `burst` calls at once, refilled at
//! `requests_per_sec`; past it, 429 with `Retry-After`. Every answer of a
//! limited call carries the IETF draft's `RateLimit-Limit`,
//! `RateLimit-Remaining` and `RateLimit-Reset` ([`Decision::write_headers`]).
//!
//! Where the state lives:
//!
//! - without `auth.rate_limit.redis_url`, in this replica's memory: a token
//!   bucket per key. With N replicas behind a load balancer a key gets up
//!   to N times the rate (Envoy's "local" rate limit);
//! - with it, in Redis ([`redis::RedisLimits`]): GCRA in one atomic script
//!   per call, so the limit holds across every replica. When Redis cannot
//!   be asked, the replica decides alone with its own buckets (see
//!   [`RateLimiter::check`]).

mod bucket;
pub mod redis;

pub use bucket::Bucket;

use crate::config::{RateLimitConfig, Secret};
use http::{HeaderMap, HeaderValue};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

pub use redis::RedisLimits;

pub struct RateLimiter {
    rate: f64,
    burst: u32,
    /// One bucket per key, by the key's index in the tenant's key list:
    /// the limit itself without Redis, the fallback with it.
    buckets: Mutex<Vec<Bucket>>,
    shared: Option<Shared>,
}

/// The Redis side of a limiter.
struct Shared {
    redis: Arc<RedisLimits>,
    /// The Redis key of each API key, by index.
    keys: Vec<String>,
}

/// The answer for one call, and what the caller is told about its limit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decision {
    pub allowed: bool,
    /// `burst`: calls a key may make at once.
    pub limit: u32,
    /// Calls the key may still make at once.
    pub remaining: u32,
    /// Until the key's whole `burst` is back.
    pub reset: Duration,
    /// Until the next call is let through (zero when this one was).
    pub retry_after: Duration,
}

impl Decision {
    /// `Retry-After` of a refused call: whole seconds, rounded up so a
    /// caller who waits that long is let through, at least 1.
    pub fn retry_after_secs(&self) -> u64 {
        ceil_secs(self.retry_after).max(1)
    }

    /// `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`
    /// (seconds, rounded up), as draft-ietf-httpapi-ratelimit-headers has
    /// them.
    pub fn write_headers(&self, h: &mut HeaderMap) {
        h.insert(LIMIT, HeaderValue::from(self.limit));
        h.insert(REMAINING, HeaderValue::from(self.remaining));
        h.insert(RESET, HeaderValue::from(ceil_secs(self.reset)));
    }
}

pub const LIMIT: &str = "ratelimit-limit";
pub const REMAINING: &str = "ratelimit-remaining";
pub const RESET: &str = "ratelimit-reset";

/// Headers a rendered problem keeps from the answer it replaces.
pub const HEADERS: [&str; 3] = [LIMIT, REMAINING, RESET];

fn ceil_secs(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

impl RateLimiter {
    /// A limiter kept in this replica's memory.
    pub fn new(cfg: &RateLimitConfig, keys: usize) -> Self {
        let now = Instant::now();
        let burst = cfg.burst.max(1);
        RateLimiter {
            rate: cfg.requests_per_sec,
            burst,
            buckets: Mutex::new(vec![Bucket::full(f64::from(burst), now); keys.max(1)]),
            shared: None,
        }
    }

    /// A limiter kept in Redis, for `tenant`'s `keys`. A key's Redis key
    /// is a SHA-256 of the tenant and the key: the key itself is never
    /// sent.
    pub fn shared(
        cfg: &RateLimitConfig,
        tenant: &str,
        keys: &[Secret],
        redis: Arc<RedisLimits>,
    ) -> Self {
        let mut limiter = RateLimiter::new(cfg, keys.len());
        limiter.shared = Some(Shared {
            redis,
            keys: keys
                .iter()
                .map(|k| redis::key(tenant, k.expose()))
                .collect(),
        });
        limiter
    }

    /// Takes one call for key `index`. With Redis, Redis decides; when it
    /// cannot be asked (down, slow past 1 s, or failed within the last
    /// second) this replica's own bucket does: the limit then holds per
    /// replica, as without Redis, rather than not at all (fail open, but
    /// not unlimited). A limit guards capacity and fairness, not
    /// correctness: refusing every call while Redis is down would make a
    /// Redis outage an outage of the whole API.
    pub async fn check(&self, index: usize) -> Decision {
        if let Some(shared) = &self.shared {
            if let Some(key) = shared.keys.get(index) {
                if let Some(d) = shared.redis.take(key, self.rate, self.burst).await {
                    return d;
                }
            }
        }
        self.take_local(index, Instant::now())
    }

    fn take_local(&self, index: usize, now: Instant) -> Decision {
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let burst = f64::from(self.burst);
        let Some(b) = buckets.get_mut(index) else {
            return Decision {
                allowed: true,
                limit: self.burst,
                remaining: self.burst,
                reset: Duration::ZERO,
                retry_after: Duration::ZERO,
            };
        };
        let allowed = b.take(self.rate, burst, now);
        Decision {
            allowed,
            limit: self.burst,
            // Whole calls left; a float just under a whole number is that
            // number less one, never more.
            remaining: b.tokens().floor() as u32,
            reset: b.until_full(self.rate, burst),
            retry_after: if allowed {
                Duration::ZERO
            } else {
                b.wait(self.rate)
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(rate: f64, burst: u32) -> RateLimiter {
        RateLimiter::new(
            &RateLimitConfig {
                requests_per_sec: rate,
                burst,
            },
            2,
        )
    }

    #[test]
    fn burst_then_refill() {
        let rl = limiter(20.0, 3);
        let t = Instant::now();
        for _ in 0..3 {
            assert!(rl.take_local(0, t).allowed);
        }
        let d = rl.take_local(0, t);
        assert!(!d.allowed);
        assert!(d.retry_after <= Duration::from_millis(51), "{d:?}");
        assert!(rl.take_local(1, t).allowed, "buckets are per key");
        assert!(rl.take_local(0, t + Duration::from_millis(60)).allowed);
    }

    #[test]
    fn decisions_say_what_is_left_and_when_it_is_back() {
        let rl = limiter(2.0, 3);
        let t = Instant::now();
        let d = rl.take_local(0, t);
        assert_eq!((d.allowed, d.limit, d.remaining), (true, 3, 2));
        assert_eq!(d.reset, Duration::from_millis(500));
        assert_eq!(d.retry_after, Duration::ZERO);
        rl.take_local(0, t);
        let d = rl.take_local(0, t);
        assert_eq!((d.allowed, d.remaining), (true, 0));
        assert_eq!(d.reset, Duration::from_millis(1500));
        let d = rl.take_local(0, t);
        assert_eq!((d.allowed, d.remaining), (false, 0));
        assert_eq!(d.retry_after, Duration::from_millis(500));
        assert_eq!(d.retry_after_secs(), 1);
        let mut h = HeaderMap::new();
        d.write_headers(&mut h);
        assert_eq!(h[LIMIT], "3");
        assert_eq!(h[REMAINING], "0");
        assert_eq!(h[RESET], "2", "1.5 s, rounded up");
    }

    #[tokio::test(start_paused = true)]
    async fn a_refused_key_is_let_through_after_retry_after() {
        let rl = limiter(2.0, 2);
        assert!(rl.check(0).await.allowed);
        assert!(rl.check(0).await.allowed);
        let d = rl.check(0).await;
        assert!(!d.allowed);
        assert_eq!(d.retry_after, Duration::from_millis(500));
        tokio::time::advance(Duration::from_millis(250)).await;
        let d = rl.check(0).await;
        assert!(!d.allowed, "not before retry_after");
        assert_eq!(d.retry_after, Duration::from_millis(250));
        tokio::time::advance(Duration::from_millis(250)).await;
        assert!(rl.check(0).await.allowed);
        assert!(!rl.check(0).await.allowed);
        // Idle long enough: the whole burst is back, and no more.
        tokio::time::advance(Duration::from_secs(10)).await;
        let d = rl.check(0).await;
        assert_eq!((d.allowed, d.remaining), (true, 1));
        assert!(rl.check(0).await.allowed);
        assert!(!rl.check(0).await.allowed);
    }

    #[test]
    fn retry_after_rounds_up() {
        let d = Decision {
            allowed: false,
            limit: 1,
            remaining: 0,
            reset: Duration::from_millis(2001),
            retry_after: Duration::from_millis(2001),
        };
        assert_eq!(d.retry_after_secs(), 3);
        let d = Decision {
            retry_after: Duration::from_millis(1),
            ..d
        };
        assert_eq!(d.retry_after_secs(), 1);
    }
}
