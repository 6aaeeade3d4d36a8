//! What a reload carries over from the running gateway, each part with the
//! settings that shaped it (its *shape*): a part is reused only when a new
//! config asks for the same shape, so a key answered before a reload
//! replays after it, an open breaker stays open and a spent bucket stays
//! spent, while a changed setting builds its part anew.

use super::plan::Scope;
use crate::api::{FailedKeys, RateLimiter, RedisLimits, Target};
use crate::config::{Config, OutboundConfig, RateLimitConfig, Secret};
use crate::idempotency::{MemoryStore, RedisStore, Store};
use crate::metrics::Metrics;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

/// Where a backend comes from (a scope) and its name.
pub(super) type TargetKey = (Scope, &'static str);

/// What a reload carries over: the idempotency store, backends, buckets.
#[derive(Default)]
pub struct Kept {
    pub(super) store: KeptStore,
    /// Each backend (pool, breaker, token cache), by where it comes from.
    pub(super) targets: BTreeMap<TargetKey, (BackendShape, Target)>,
    /// Each tenant's rate limit buckets, by tenant.
    pub(super) limiters: BTreeMap<String, (LimiterShape, Arc<RateLimiter>)>,
    /// The wrong-key buckets of every client address.
    pub(super) failed_keys: Option<(RateLimitConfig, Arc<FailedKeys>)>,
    /// The connection of `auth.rate_limit.redis_url`, by its URL.
    pub(super) rate_redis: Option<(Secret, Arc<RedisLimits>)>,
}

impl Kept {
    /// The running backend `key`, with its pool, breaker and tokens, when
    /// it was built from the same shape.
    pub(super) fn target(&self, key: &TargetKey, shape: &BackendShape) -> Option<Target> {
        match self.targets.get(key) {
            Some((held, target)) if held == shape => Some(target.clone()),
            _ => None,
        }
    }

    /// The wrong-key buckets of `cfg` (one set for every tenant: a wrong
    /// key picks no tenant).
    pub(super) fn failed_keys(&self, cfg: &RateLimitConfig) -> Arc<FailedKeys> {
        match &self.failed_keys {
            Some((held, f)) if held == cfg => f.clone(),
            _ => Arc::new(FailedKeys::new(cfg)),
        }
    }

    /// One Redis connection for every tenant's limits, kept while the URL
    /// is the same; `None` without a URL.
    pub(super) fn rate_redis(
        &self,
        url: Option<&Secret>,
        metrics: &Metrics,
    ) -> std::io::Result<Option<Arc<RedisLimits>>> {
        Ok(match (url, &self.rate_redis) {
            (None, _) => None,
            (Some(url), Some((held, r))) if held == url => Some(r.clone()),
            (Some(url), _) => {
                tracing::info!("rate limits kept in Redis");
                Some(Arc::new(
                    RedisLimits::new(url, metrics.rate_limit_store_errors.clone())
                        .map_err(std::io::Error::other)?,
                ))
            }
        })
    }

    /// `tenant`'s limiter: the kept one when its shape is the same (the
    /// buckets as they are), else new buckets, in `redis` when given.
    pub(super) fn limiter(
        &self,
        tenant: &str,
        shape: &LimiterShape,
        redis: Option<&Arc<RedisLimits>>,
    ) -> Arc<RateLimiter> {
        let keys = shape.keys.as_deref().unwrap_or_default();
        match (self.limiters.get(tenant), redis) {
            (Some((held, l)), _) if held == shape => l.clone(),
            (_, Some(redis)) => Arc::new(RateLimiter::shared(
                &shape.limit,
                tenant,
                keys,
                redis.clone(),
            )),
            (_, None) => Arc::new(RateLimiter::new(&shape.limit, keys.len())),
        }
    }
}

/// What a backend's outbound side is built from: its section, and what the
/// section points outside the config (TLS files, the proxy environment),
/// which are read again at every reload so a renewed certificate or a new
/// proxy is picked up.
#[derive(Debug, PartialEq)]
pub(super) struct BackendShape {
    section: serde_json::Value,
    outside: [u8; 32],
}

impl BackendShape {
    pub(super) fn of(section: &serde_json::Value, outbound: &OutboundConfig) -> BackendShape {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        let tls = outbound.tls.as_ref();
        for file in tls
            .iter()
            .flat_map(|t| [&t.ca_file, &t.client_cert_file, &t.client_key_file])
        {
            match file.as_ref().map(std::fs::read) {
                Some(Ok(bytes)) => {
                    h.update([1]);
                    h.update((bytes.len() as u64).to_be_bytes());
                    h.update(&bytes);
                }
                // Unreadable: never the same as before, so the client is
                // built again (and names the problem).
                Some(Err(_)) => h.update(uuid::Uuid::new_v4().as_bytes()),
                None => h.update([0]),
            }
        }
        if !outbound.is_sandbox() && outbound.proxy_url.is_none() {
            for var in PROXY_VARS {
                let v = std::env::var_os(var).unwrap_or_default();
                h.update((v.len() as u64).to_be_bytes());
                h.update(v.as_encoded_bytes());
            }
        }
        BackendShape {
            section: section.clone(),
            outside: h.finalize().into(),
        }
    }
}

/// The environment a backend without `proxy_url` takes its proxy from
/// (`hyper_util`'s `Matcher::from_env`).
const PROXY_VARS: &[&str] = &[
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
    "REQUEST_METHOD",
];

/// What a tenant's rate limiter is built from. Keys count in their order:
/// buckets go by a key's place.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct LimiterShape {
    pub(super) keys: Option<Vec<Secret>>,
    pub(super) limit: RateLimitConfig,
    /// `auth.rate_limit.redis_url`.
    pub(super) redis: Option<Secret>,
}

/// The idempotency store a gateway runs with, and the settings that shaped
/// it: a reload with the same settings keeps the memory store, so its keys
/// and answers survive.
#[derive(Default)]
pub struct KeptStore {
    held: Option<(StoreShape, Arc<dyn Store>)>,
}

/// What a memory store is built from.
#[derive(Clone, PartialEq, Eq)]
struct StoreShape {
    window_secs: u64,
    max_entries: usize,
    max_bytes: usize,
    request_timeout_ms: u64,
}

impl KeptStore {
    /// The store `config` asks for: the kept one when its shape is the
    /// same, else a new one (kept from now on). A Redis store is always
    /// new: its keys live in Redis.
    pub(super) fn store(
        &mut self,
        config: &Config,
        metrics: &Metrics,
    ) -> std::io::Result<Arc<dyn Store>> {
        let idem = &config.idempotency;
        let request_timeout = Duration::from_millis(config.server.request_timeout_ms);
        let window = Duration::from_secs(idem.window_secs);
        let in_flight = crate::idempotency::in_flight_ttl(request_timeout);
        // One store for every tenant: keys are scoped by tenant and API key.
        if let Some(url) = &idem.redis_url {
            tracing::info!(
                window_secs = idem.window_secs,
                "idempotency keys kept in Redis"
            );
            self.held = None;
            return Ok(Arc::new(
                RedisStore::new(url, window, in_flight).map_err(std::io::Error::other)?,
            ));
        }
        let shape = StoreShape {
            window_secs: idem.window_secs,
            max_entries: idem.max_entries,
            max_bytes: idem.max_bytes,
            request_timeout_ms: config.server.request_timeout_ms,
        };
        if let Some((held, store)) = &self.held {
            if *held == shape {
                return Ok(store.clone());
            }
        }
        let store: Arc<dyn Store> = Arc::new(
            MemoryStore::new(idem.max_entries, window, in_flight)
                .with_max_bytes(idem.max_bytes)
                .with_evictions_counter(metrics.idempotency_evictions.clone()),
        );
        self.held = Some((shape, store.clone()));
        Ok(store)
    }
}

#[cfg(test)]
mod tests;
