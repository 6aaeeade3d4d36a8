//! Rate limits kept in Redis: every replica takes from the same limit.
//!
//! GCRA (the generic cell rate algorithm, as in ATM networks and the
//! `redis-cell` module): a key's state is one number, its *theoretical
//! arrival time* (TAT). Each call moves it one emission interval
//! (`1 / requests_per_sec`) later; a call is refused when that would put
//! the TAT more than `burst` intervals past now. One script per call reads
//! Redis's own clock (`TIME`, so replicas' clocks do not matter), decides
//! and writes atomically; the key expires when the key's whole burst is
//! back, so idle keys take no memory.
//!
//! Keys are `crossdock:rl:<SHA-256 of tenant and API key>`. The connection
//! is made lazily and reconnects by itself
//! ([`crate::idempotency::redis::connect_lazily`]); a call waits at most
//! 1 s. After a failed call this replica does not ask Redis for a second
//! (its own buckets decide; see [`super::RateLimiter::check`]), so a Redis
//! that hangs slows at most the calls of that first second. The outage and
//! the recovery are logged once each; every failed call is counted in
//! `crossdock_rate_limit_store_errors_total`.

use super::Decision;
use crate::config::Secret;
use ::redis::aio::ConnectionManager;
use ::redis::Script;
use prometheus::IntCounter;
use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// KEYS[1]: the key's TAT (microseconds of Redis's clock).
/// ARGV[1]: the emission interval, microseconds; ARGV[2]: the burst.
/// Returns `{allowed, remaining, reset_us, retry_after_us}`.
const GCRA: &str = r"
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now) or now
if tat < now then tat = now end
local new_tat = tat + interval
local allow_at = new_tat - burst * interval
if now < allow_at then
  return {0, 0, tat - now, allow_at - now}
end
redis.call('SET', KEYS[1], string.format('%.0f', new_tat), 'PX', math.max(1, math.ceil((new_tat - now) / 1000)))
return {1, math.floor((now - allow_at) / interval), new_tat - now, 0}
";

/// Prefix of every rate limit key the gateway writes.
pub const KEY_PREFIX: &str = "crossdock:rl:";

/// How long a replica decides alone after a failed call to Redis.
const PAUSE_AFTER_ERROR: Duration = Duration::from_secs(1);

/// The Redis key of `api_key` of `tenant`: the key itself never leaves the
/// gateway.
pub fn key(tenant: &str, api_key: &str) -> String {
    let mut h = Sha256::new();
    h.update(tenant.as_bytes());
    h.update([0]);
    h.update(api_key.as_bytes());
    let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    format!("{KEY_PREFIX}{hex}")
}

/// One connection to the Redis of `auth.rate_limit.redis_url`, shared by
/// every tenant's limiter.
pub struct RedisLimits {
    conn: ConnectionManager,
    script: Script,
    errors: IntCounter,
    /// Set after a failed call: Redis is not asked again before then.
    paused_until: Mutex<Option<Instant>>,
    /// Whether the last call failed: the outage and the recovery are
    /// logged once each.
    failing: AtomicBool,
}

impl RedisLimits {
    /// Does not connect: the first call does. Must run inside the Tokio
    /// runtime. `errors` counts failed calls.
    pub fn new(url: &Secret, errors: IntCounter) -> Result<RedisLimits, String> {
        Ok(RedisLimits {
            conn: crate::idempotency::redis::connect_lazily(url, Duration::from_secs(1))?,
            script: Script::new(GCRA),
            errors,
            paused_until: Mutex::new(None),
            failing: AtomicBool::new(false),
        })
    }

    /// Takes one call from `key`'s limit; `None` when Redis cannot be asked
    /// now (the caller decides alone).
    pub async fn take(&self, key: &str, rate: f64, burst: u32) -> Option<Decision> {
        let paused = {
            let mut p = self.paused_until.lock().unwrap_or_else(|e| e.into_inner());
            match *p {
                Some(until) if Instant::now() < until => true,
                Some(_) => {
                    // The pause is over: this call tries Redis again.
                    *p = None;
                    false
                }
                None => false,
            }
        };
        if paused {
            return None;
        }
        let interval_us = 1_000_000.0 / rate;
        let mut conn = self.conn.clone();
        let answer: Result<(i64, i64, i64, i64), _> = self
            .script
            .key(key)
            .arg(interval_us)
            .arg(burst)
            .invoke_async(&mut conn)
            .await;
        match answer {
            Ok((allowed, remaining, reset_us, retry_us)) => {
                if self.failing.swap(false, Ordering::Relaxed) {
                    tracing::info!("rate limit store (Redis) answers again");
                }
                Some(Decision {
                    allowed: allowed == 1,
                    limit: burst,
                    remaining: u32::try_from(remaining.clamp(0, i64::from(burst))).unwrap_or(0),
                    reset: micros(reset_us),
                    retry_after: micros(retry_us),
                })
            }
            Err(e) => {
                self.errors.inc();
                *self.paused_until.lock().unwrap_or_else(|e| e.into_inner()) =
                    Some(Instant::now() + PAUSE_AFTER_ERROR);
                if !self.failing.swap(true, Ordering::Relaxed) {
                    // One line per outage; the metric counts every failed
                    // call. The error's text can name the server; its kind
                    // is enough.
                    tracing::warn!(
                        error = ?e.kind(),
                        "rate limit store (Redis) failed; each replica limits alone, asking Redis again every second"
                    );
                }
                None
            }
        }
    }
}

fn micros(us: i64) -> Duration {
    Duration::from_micros(u64::try_from(us).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::idempotency::redis::testing::RedisServer;

    fn limits(server: &RedisServer) -> RedisLimits {
        RedisLimits::new(
            &Secret::new(server.url()),
            IntCounter::new("t", "t").unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn keys_hide_the_api_key_and_keep_tenants_apart() {
        let k = key("default", "hunter2");
        assert!(k.starts_with(KEY_PREFIX));
        assert_eq!(k.len(), KEY_PREFIX.len() + 64);
        assert!(!k.contains("hunter2"));
        assert_ne!(k, key("acme", "hunter2"));
        assert_ne!(key("a", "bc"), key("ab", "c"));
    }

    #[tokio::test]
    async fn gcra_against_a_real_redis() {
        let Some(server) = RedisServer::start().unwrap() else {
            return;
        };
        let l = limits(&server);
        // 2 per second, burst 3: three at once, then one per 500 ms.
        for (i, left) in [2, 1, 0].into_iter().enumerate() {
            let d = l.take("k", 2.0, 3).await.unwrap();
            assert!(d.allowed);
            assert_eq!((d.limit, d.remaining), (3, left));
            let full = Duration::from_millis(500 * (i as u64 + 1));
            assert!(d.reset <= full && d.reset > full / 2, "{d:?}");
        }
        let d = l.take("k", 2.0, 3).await.unwrap();
        assert!(!d.allowed);
        assert_eq!(d.remaining, 0);
        assert!(
            d.retry_after > Duration::ZERO && d.retry_after <= Duration::from_millis(500),
            "{d:?}"
        );
        assert!(l.take("other", 2.0, 3).await.unwrap().allowed, "per key");
        // The key expires when the whole burst is back.
        let mut conn = l.conn.clone();
        let ttl: i64 = ::redis::cmd("PTTL")
            .arg("k")
            .query_async(&mut conn)
            .await
            .unwrap();
        assert!(ttl > 0 && ttl <= 1500, "{ttl}");
        tokio::time::sleep(d.retry_after + Duration::from_millis(20)).await;
        assert!(l.take("k", 2.0, 3).await.unwrap().allowed, "refilled");
    }

    #[tokio::test]
    async fn a_failed_call_pauses_redis_for_a_second_and_counts() {
        let Some(mut server) = RedisServer::start().unwrap() else {
            return;
        };
        let l = limits(&server);
        assert!(l.take("k", 10.0, 3).await.is_some());
        server.stop();
        assert!(l.take("k", 10.0, 3).await.is_none());
        assert_eq!(l.errors.get(), 1);
        assert!(l.take("k", 10.0, 3).await.is_none());
        assert_eq!(l.errors.get(), 1, "paused: Redis was not asked");
        assert!(l.failing.load(Ordering::Relaxed));

        // Back on the same port: asked again once the pause is over.
        let port = server.port;
        let mut child = std::process::Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        tokio::time::sleep(PAUSE_AFTER_ERROR).await;
        let mut back = false;
        for _ in 0..40 {
            if l.take("k", 10.0, 3).await.is_some() {
                back = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = child.kill();
        let _ = child.wait();
        assert!(back, "Redis was not asked again");
        assert!(!l.failing.load(Ordering::Relaxed));
    }
}
