//! A [`Plan`] turned into each tenant's [`AppState`]: sandboxes started,
//! each backend's outbound stack built (or kept), the idempotency store,
//! rate limiters and routes put together.

use super::kept::{BackendShape, Kept, LimiterShape, TargetKey};
use super::plan::{Plan, Planned, Scope};
use super::sandbox::{self, Sandboxes};
use crate::api::body::Limits;
use crate::api::{self, AppState, ResourceRoute, Target};
use crate::metrics::Metrics;
use crate::outbound::Outbound;
use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

impl Plan {
    /// Starts sandboxes and builds each tenant's state (the `default`
    /// tenant first); tenants share the top level's backends (pools,
    /// breakers) unless they override them.
    pub async fn start(self) -> std::io::Result<Vec<Arc<AppState>>> {
        self.start_with(Metrics::new(), &mut Sandboxes::new(), &mut Kept::default())
            .await
    }

    /// As [`Plan::start`], keeping `metrics`, the sandboxes already running
    /// and, from `kept` (what the running gateway was built with), the
    /// state of everything whose settings did not change: the idempotency
    /// store, each backend's pool, breaker and token cache, each tenant's
    /// rate limit buckets and the wrong-key buckets. A reload keeps their
    /// state: a key answered before it replays after it, an open breaker
    /// stays open, a spent bucket stays spent. `kept` is updated only when
    /// the whole start succeeds.
    pub async fn start_with(
        self,
        metrics: Metrics,
        sandboxes: &mut Sandboxes,
        kept: &mut Kept,
    ) -> std::io::Result<Vec<Arc<AppState>>> {
        let mut planned: Vec<(Scope, &'static str, Planned)> = self
            .backends
            .into_iter()
            .map(|(n, p)| (Scope::Top, n, p))
            .collect();
        let mut tenants = Vec::new();
        for mut t in self.tenants {
            let own = std::mem::take(&mut t.own);
            planned.extend(
                own.into_iter()
                    .map(|(n, p)| (Scope::Tenant(t.name.clone()), n, p)),
            );
            tenants.push(t);
        }
        let mut targets: BTreeMap<TargetKey, (BackendShape, Target)> = BTreeMap::new();
        for (scope, name, p) in planned {
            let base = sandbox::base_url(name, &scope, &p, sandboxes).await?;
            let shape = BackendShape::of(&p.section, &p.outbound);
            let key = (scope, name);
            let target = match kept.target(&key, &shape) {
                // Same section, same files: the running backend, with its
                // pool, breaker and tokens.
                Some(target) => target,
                None => {
                    let outbound = Outbound::new(
                        name,
                        base,
                        &p.outbound,
                        &metrics,
                        p.backend.forwards_idempotency_key(),
                    )
                    .map_err(|e| std::io::Error::other(format!("backends.{name}: {e}")))?;
                    Target {
                        name,
                        backend: p.backend,
                        outbound,
                    }
                }
            };
            targets.insert(key, (shape, target));
        }
        let s = &self.config.server;
        let request_timeout = Duration::from_millis(s.request_timeout_ms);
        let store = kept.store.store(&self.config, &metrics)?;
        let cors = match &s.cors {
            Some(c) => Some(
                api::cors::OriginCorsLayer::new(c)
                    .map_err(|e| std::io::Error::other(format!("server.cors.{}", e.join("; "))))?,
            ),
            None => None,
        };
        let failed_cfg = &self.config.auth.failed_keys;
        let failed_keys = kept.failed_keys(failed_cfg);
        let rate_url = self
            .config
            .auth
            .rate_limit
            .as_ref()
            .and_then(|r| r.redis_url.clone());
        let rate_redis = kept.rate_redis(rate_url.as_ref(), &metrics)?;
        let mut limiters = BTreeMap::new();
        let mut states = Vec::new();
        for t in tenants {
            let routes = t
                .routes
                .iter()
                .map(|(r, planned)| {
                    let route = ResourceRoute {
                        targets: planned
                            .backends
                            .iter()
                            .filter_map(|(n, scope)| {
                                targets.get(&(scope.clone(), *n)).map(|(_, t)| t.clone())
                            })
                            .collect(),
                        strict: planned.strict,
                        timeout: planned.timeout_ms.map(Duration::from_millis),
                    };
                    (*r, route)
                })
                .collect();
            let rate_limiter = t.rate_limit.as_ref().map(|rl| {
                let shape = LimiterShape {
                    keys: t.keys.clone(),
                    limit: rl.clone(),
                    redis: rate_url.clone(),
                };
                let limiter = kept.limiter(&t.name, &shape, rate_redis.as_ref());
                limiters.insert(t.name.clone(), (shape, limiter.clone()));
                limiter
            });
            states.push(Arc::new(AppState {
                metrics: metrics.clone(),
                tenant: t.name.as_str().into(),
                limits: Limits {
                    body_bytes: s.body_limit_bytes,
                    depth: s.max_json_depth,
                    list_len: s.max_list_len,
                },
                request_timeout,
                idempotency: crate::idempotency::Idempotency {
                    store: store.clone(),
                },
                api_keys: t.keys,
                rate_limiter,
                failed_keys: failed_keys.clone(),
                routes,
                ready: AtomicBool::new(true),
                cors: cors.clone(),
                compress_min_bytes: s.compress_min_bytes,
            }));
        }
        // Only what this config uses is kept: a backend or tenant that is
        // gone frees its pool and buckets.
        kept.targets = targets;
        kept.limiters = limiters;
        kept.failed_keys = Some((failed_cfg.clone(), failed_keys));
        kept.rate_redis = rate_url.zip(rate_redis);
        Ok(states)
    }
}

#[cfg(test)]
mod tests;
