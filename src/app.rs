//! Wiring: from a validated config to running listeners.

use crate::api::body::Limits;
use crate::api::{self, AppState, ResourceRoute, Target};
use crate::backends::{self, Backend};
use crate::config::{Config, ConfigErrors, Resource, Sources};
use crate::metrics::Metrics;
use crate::outbound::{BaseUrl, Outbound};
use crate::sandbox::Faults;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// A backend parsed from its section, before its sandbox (if any) runs.
struct Planned {
    backend: Arc<dyn Backend>,
    outbound: crate::config::OutboundConfig,
    /// The section it was built from (a tenant's: merged over the top
    /// level's): a reload keeps the running backend when it is the same.
    section: serde_json::Value,
}

/// Where a tenant's backend comes from: the top level's section (shared by
/// every tenant that does not override it) or the tenant's own merge.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Scope {
    Top,
    Tenant(String),
}

/// Per resource: the backends (name, where from), whether it is strict,
/// and its own deadline.
type PlannedRoutes = BTreeMap<&'static str, (Vec<(&'static str, Scope)>, bool, Option<u64>)>;

/// One tenant's part of the plan. The top level is the tenant `default`.
struct TenantPlan {
    name: String,
    /// `None`: no key is asked for. `Some(empty)`: every key is refused
    /// (keys exist, but only for other tenants).
    keys: Option<Vec<crate::config::Secret>>,
    rate_limit: Option<crate::config::RateLimitConfig>,
    /// Backends this tenant built from its own merged sections.
    own: BTreeMap<&'static str, Planned>,
    /// Per resource: the backends (name, where from) and strictness.
    routes: PlannedRoutes,
}

/// The checked plan of a config: what `check-config` validates and `run`
/// starts. Every problem is collected.
pub struct Plan {
    config: Config,
    /// The top level's backends, shared by tenants that do not override.
    backends: BTreeMap<&'static str, Planned>,
    /// `default` first, then each `[tenants.<name>]`.
    tenants: Vec<TenantPlan>,
    /// `[server.tls]`, its files read at plan time; `None`: plain HTTP.
    tls: Option<tokio_rustls::TlsAcceptor>,
}

impl Plan {
    /// Loads and checks a config file with environment overrides, naming
    /// every problem found (unknown keys, bad values, bad routes) at once.
    pub fn from_file(
        path: &std::path::Path,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Plan, ConfigErrors> {
        let loaded = crate::config::load_collecting(path, env);
        let sources = loaded.sources;
        match loaded.config {
            Some(cfg) => Plan::check(cfg, &sources, loaded.errors),
            None => Err(loaded.errors),
        }
        // Each problem with the file, line and column (or the environment
        // variable) of its key, in the file's order.
        .map_err(|errors| sources.locate(errors))
    }

    pub fn new(config: Config) -> Result<Plan, ConfigErrors> {
        Plan::check(config, &Sources::default(), ConfigErrors::default())
    }

    fn check(
        config: Config,
        sources: &Sources,
        mut errors: ConfigErrors,
    ) -> Result<Plan, ConfigErrors> {
        let backends = plan_backends(&config.backends, sources, None, &mut errors);
        // Sections that exist but did not parse: routes to them are not
        // reported again as missing.
        let declared: Vec<&str> = config.backends.keys().map(String::as_str).collect();
        let top_view: BTreeMap<&'static str, (&Planned, Scope)> = backends
            .iter()
            .map(|(n, p)| (*n, (p, Scope::Top)))
            .collect();
        let any_tenant_keys = config.tenants.values().any(|t| !t.api_keys.is_empty());
        let top_limit = config.auth.rate_limit.as_ref().and_then(|r| r.limit());
        let mut tenants = vec![TenantPlan {
            name: "default".into(),
            keys: match &config.auth.api_keys {
                Some(k) => Some(k.clone()),
                None if any_tenant_keys => Some(Vec::new()),
                None => None,
            },
            rate_limit: top_limit.clone(),
            own: BTreeMap::new(),
            routes: plan_routes(
                |r| config.routes.get(r).cloned(),
                &top_view,
                &declared,
                &mut errors,
            ),
        }];
        for (tname, t) in &config.tenants {
            let prefix = format!("tenants.{tname}.");
            if t.api_keys.is_empty() {
                errors.push(format!("{prefix}api_keys: a tenant needs at least one key"));
            }
            let mut merged = BTreeMap::new();
            for (bname, partial) in &t.backends {
                match config.backends.get(bname) {
                    Some(base) => {
                        merged.insert(bname.clone(), merge(base, partial));
                    }
                    None => errors.push(format!(
                        "{prefix}backends.{bname}: overrides nothing (no [backends.{bname}] section)"
                    )),
                }
            }
            let mut own_errors = ConfigErrors::default();
            let own = plan_backends(&merged, sources, Some(tname), &mut own_errors);
            let mut view = top_view.clone();
            for (n, p) in &own {
                view.insert(*n, (p, Scope::Tenant(tname.clone())));
            }
            let routes = plan_routes(
                |r| t.routes.get(r).or(config.routes.get(r)).cloned(),
                &view,
                &declared,
                &mut own_errors,
            );
            for e in own_errors.0 {
                errors.push(format!("{prefix}{e}"));
            }
            tenants.push(TenantPlan {
                name: tname.clone(),
                keys: Some(t.api_keys.clone()),
                rate_limit: t.rate_limit.clone().or_else(|| top_limit.clone()),
                own,
                routes,
            });
        }
        check_keys(&tenants, &mut errors);
        if let Some(rl) = &config.auth.rate_limit {
            if rl.requests_per_sec.is_some() != rl.burst.is_some() {
                errors.push(
                    "auth.rate_limit: requests_per_sec and burst go together (set both, or neither to only give redis_url)",
                );
            } else if rl.burst.is_none() && rl.redis_url.is_none() {
                errors.push("auth.rate_limit: set requests_per_sec and burst, or redis_url");
            }
            if let Some(url) = &rl.redis_url {
                // The message never holds the URL: it may carry a password.
                if let Err(e) = crate::idempotency::redis::check_url(url) {
                    errors.push(format!("auth.rate_limit.redis_url: {e}"));
                }
            }
        }
        let limits = [
            ("auth.rate_limit".to_string(), top_limit.as_ref()),
            (
                "auth.failed_keys".to_string(),
                Some(&config.auth.failed_keys),
            ),
        ];
        for (key, rl) in limits.into_iter().chain(
            config
                .tenants
                .iter()
                .map(|(n, t)| (format!("tenants.{n}.rate_limit"), t.rate_limit.as_ref())),
        ) {
            if let Some(rl) = rl {
                if !(rl.requests_per_sec > 0.0 && rl.requests_per_sec.is_finite()) || rl.burst == 0
                {
                    errors.push(format!("{key}: requests_per_sec and burst must be above 0"));
                }
            }
        }
        if let Some(c) = &config.server.cors {
            if let Err(problems) = crate::api::cors::OriginCorsLayer::new(c) {
                for p in problems {
                    errors.push(format!("server.cors.{p}"));
                }
            }
        }
        // A filter that parses but matches nothing (`infoo` is a target
        // name to tracing) would log nothing at all.
        if let Err(e) = crate::telemetry::filter(&config.logging.level) {
            errors.push(format!("logging.level: {e}"));
        }
        if let Some(Err(e)) = sources.rust_log.as_deref().map(crate::telemetry::filter) {
            errors.push(format!("RUST_LOG (which wins over logging.level): {e}"));
        }
        let tls = config.server.tls.as_ref().and_then(|t| {
            crate::inbound_tls::acceptor(t)
                .map_err(|e| e.into_iter().for_each(|e| errors.push(e)))
                .ok()
        });
        if config.server.max_concurrent_streams == 0 {
            errors.push("server.max_concurrent_streams: must be above 0");
        }
        if config.server.body_limit_bytes == 0 {
            errors.push("server.body_limit_bytes: must be above 0");
        }
        if config.server.worker_threads > MAX_WORKER_THREADS {
            errors.push(format!(
                "server.worker_threads: must be at most {MAX_WORKER_THREADS} (0: one per CPU)"
            ));
        }
        if config.server.listen == config.admin.listen && config.server.listen.port() != 0 {
            errors.push("admin.listen: must differ from server.listen");
        }
        let idem = &config.idempotency;
        if idem.window_secs == 0 || idem.window_secs > crate::config::MAX_IDEMPOTENCY_WINDOW_SECS {
            errors.push(format!(
                "idempotency.window_secs: must be between 1 and {}",
                crate::config::MAX_IDEMPOTENCY_WINDOW_SECS
            ));
        }
        if idem.max_entries == 0 {
            errors.push("idempotency.max_entries: must be above 0");
        }
        if idem.max_bytes == 0 {
            errors.push("idempotency.max_bytes: must be above 0");
        }
        if let Some(url) = &idem.redis_url {
            // The message never holds the URL: it may carry a password.
            if let Err(e) = crate::idempotency::redis::check_url(url) {
                errors.push(format!("idempotency.redis_url: {e}"));
            }
        }
        if errors.is_empty() {
            Ok(Plan {
                config,
                backends,
                tenants,
                tls,
            })
        } else {
            Err(errors)
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Settings that are valid but likely not meant, one line each:
    /// `check-config` prints them on stderr, and the gateway logs them at
    /// start and on reload.
    ///
    /// A whole-request deadline (`server.request_timeout_ms`) shorter than
    /// a backend's attempts (`timeout_ms × (1 + retry.attempts)`) cuts its
    /// retries short: such a request gets 504 where the last attempt might
    /// have answered (and each cut counts as the backend's timeout).
    pub fn warnings(&self) -> Vec<String> {
        let deadline = self.config.server.request_timeout_ms;
        let tenants = self.tenants.iter().flat_map(|t| {
            t.own
                .iter()
                .map(move |(n, p)| (format!("tenants.{}.", t.name), *n, p))
        });
        self.backends
            .iter()
            .map(|(n, p)| (String::new(), *n, p))
            .chain(tenants)
            .filter_map(|(prefix, name, p)| {
                let o = &p.outbound;
                let tries = (o.retry.attempts as u64).saturating_add(1);
                let needs = o.timeout_ms.saturating_mul(tries);
                (deadline < needs).then(|| {
                    format!(
                        "{prefix}backends.{name}: timeout_ms {} x (1 + retry.attempts {}) = {needs} ms \
                         is longer than server.request_timeout_ms {deadline}: the request deadline \
                         cuts its retries short",
                        o.timeout_ms, o.retry.attempts
                    )
                })
            })
            .collect()
    }

    /// The effective config (file, environment and defaults, with each
    /// route resolved to the backends that will serve it) as TOML, every
    /// secret redacted: what `check-config` prints.
    pub fn effective_toml(&self) -> Result<String, String> {
        let mut config = self.config.clone();
        for r in Resource::ALL {
            let resolved =
                self.tenants[0]
                    .routes
                    .get(r.key())
                    .map(|(names, strict, timeout_ms)| crate::config::RouteConfig {
                        backends: names.iter().map(|(n, _)| n.to_string()).collect(),
                        strict: *strict,
                        timeout_ms: *timeout_ms,
                    });
            let slot = match r {
                Resource::Customers => &mut config.routes.customers,
                Resource::CustomerGroups => &mut config.routes.customer_groups,
                Resource::VehicleCategories => &mut config.routes.vehicle_categories,
            };
            *slot = resolved;
        }
        // The shared outbound keys as the backend will use them, defaults
        // included.
        for (name, planned) in &self.backends {
            let (Some(serde_json::Value::Object(section)), Ok(serde_json::Value::Object(outbound))) = (
                config.backends.get_mut(*name),
                serde_json::to_value(&planned.outbound),
            ) else {
                continue;
            };
            for (k, v) in outbound {
                match section.get_mut(&k) {
                    Some(raw) => fill(raw, v),
                    None => {
                        section.insert(k, v);
                    }
                }
            }
        }
        crate::config::to_toml(&config)
    }

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
        let mut targets: BTreeMap<(Scope, &'static str), (BackendShape, Target)> = BTreeMap::new();
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
        for (scope, name, p) in planned {
            let base = if p.outbound.is_sandbox() {
                let config = p.outbound.faults.clone().unwrap_or_default();
                match sandboxes.get(name) {
                    // A reload keeps the simulator (and its state); the
                    // top level's faults apply.
                    Some(sb) => {
                        if scope == Scope::Top {
                            sb.faults.set(config);
                        }
                        sb.base.clone()
                    }
                    None => {
                        let faults = Faults::new(config);
                        let router = faults.wrap(p.backend.simulator());
                        let addr = spawn_router(router, "127.0.0.1:0".parse().ok()).await?;
                        tracing::info!(backend = name, %addr, "sandbox simulator started");
                        let base = BaseUrl::parse(&format!("http://{addr}"))
                            .map_err(std::io::Error::other)?;
                        sandboxes.insert(
                            name,
                            Sandbox {
                                base: base.clone(),
                                faults,
                            },
                        );
                        base
                    }
                }
            } else {
                BaseUrl::parse(&p.outbound.base_url).map_err(std::io::Error::other)?
            };
            let shape = BackendShape::of(&p);
            let key = (scope, name);
            let target = match kept.targets.get(&key) {
                // Same section, same files: the running backend, with its
                // pool, breaker and tokens.
                Some((held, target)) if *held == shape => target.clone(),
                _ => {
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
        let cors = match &self.config.server.cors {
            Some(c) => Some(
                api::cors::OriginCorsLayer::new(c)
                    .map_err(|e| std::io::Error::other(format!("server.cors.{}", e.join("; "))))?,
            ),
            None => None,
        };
        // One for every tenant: a wrong key picks no tenant.
        let failed_cfg = &self.config.auth.failed_keys;
        let failed_keys = match &kept.failed_keys {
            Some((held, f)) if held == failed_cfg => f.clone(),
            _ => Arc::new(api::FailedKeys::new(failed_cfg)),
        };
        // One Redis connection for every tenant's limits, kept while the
        // URL is the same.
        let rate_url = self
            .config
            .auth
            .rate_limit
            .as_ref()
            .and_then(|r| r.redis_url.clone());
        let rate_redis = match (&rate_url, &kept.rate_redis) {
            (None, _) => None,
            (Some(url), Some((held, r))) if held == url => Some(r.clone()),
            (Some(url), _) => {
                tracing::info!("rate limits kept in Redis");
                Some(Arc::new(
                    api::RedisLimits::new(url, metrics.rate_limit_store_errors.clone())
                        .map_err(std::io::Error::other)?,
                ))
            }
        };
        let mut limiters = BTreeMap::new();
        let mut states = Vec::new();
        for t in tenants {
            let route = |r: Resource| {
                t.routes
                    .get(r.key())
                    .map(|(names, strict, timeout_ms)| ResourceRoute {
                        targets: names
                            .iter()
                            .filter_map(|(n, scope)| {
                                targets.get(&(scope.clone(), *n)).map(|(_, t)| t.clone())
                            })
                            .collect(),
                        strict: *strict,
                        timeout: timeout_ms.map(Duration::from_millis),
                    })
            };
            let rate_limiter = match &t.rate_limit {
                None => None,
                Some(rl) => {
                    let shape = LimiterShape {
                        keys: t.keys.clone(),
                        limit: rl.clone(),
                        redis: rate_url.clone(),
                    };
                    let keys = t.keys.as_deref().unwrap_or_default();
                    let limiter = match (kept.limiters.get(&t.name), &rate_redis) {
                        // Same keys (in the same order: buckets go by a
                        // key's place), limit and store: the buckets as
                        // they are.
                        (Some((held, l)), _) if *held == shape => l.clone(),
                        (_, Some(redis)) => {
                            Arc::new(api::RateLimiter::shared(rl, &t.name, keys, redis.clone()))
                        }
                        (_, None) => Arc::new(api::RateLimiter::new(rl, keys.len())),
                    };
                    limiters.insert(t.name.clone(), (shape, limiter.clone()));
                    Some(limiter)
                }
            };
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
                api_keys: t.keys.clone(),
                rate_limiter,
                failed_keys: failed_keys.clone(),
                customer_groups: route(Resource::CustomerGroups),
                customers: route(Resource::Customers),
                vehicle_categories: route(Resource::VehicleCategories),
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

/// What a reload carries over from the running gateway, each part with the
/// settings that shaped it; a part is reused only when a new config asks
/// for the same.
#[derive(Default)]
pub struct Kept {
    store: KeptStore,
    /// Each backend (pool, breaker, token cache), by where it comes from.
    targets: BTreeMap<(Scope, &'static str), (BackendShape, Target)>,
    /// Each tenant's rate limit buckets, by tenant.
    limiters: BTreeMap<String, (LimiterShape, Arc<api::RateLimiter>)>,
    /// The wrong-key buckets of every client address.
    failed_keys: Option<(crate::config::RateLimitConfig, Arc<api::FailedKeys>)>,
    /// The connection of `auth.rate_limit.redis_url`, by its URL.
    rate_redis: Option<(crate::config::Secret, Arc<api::RedisLimits>)>,
}

/// What a backend's outbound side is built from: its section, and what the
/// section points outside the config (TLS files, the proxy environment),
/// which are read again at every reload so a renewed certificate or a new
/// proxy is picked up.
#[derive(PartialEq)]
struct BackendShape {
    section: serde_json::Value,
    outside: [u8; 32],
}

impl BackendShape {
    fn of(p: &Planned) -> BackendShape {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        let tls = p.outbound.tls.as_ref();
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
        if !p.outbound.is_sandbox() && p.outbound.proxy_url.is_none() {
            for var in PROXY_VARS {
                let v = std::env::var_os(var).unwrap_or_default();
                h.update((v.len() as u64).to_be_bytes());
                h.update(v.as_encoded_bytes());
            }
        }
        BackendShape {
            section: p.section.clone(),
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

/// What a tenant's rate limiter is built from.
#[derive(PartialEq)]
struct LimiterShape {
    keys: Option<Vec<crate::config::Secret>>,
    limit: crate::config::RateLimitConfig,
    /// `auth.rate_limit.redis_url`.
    redis: Option<crate::config::Secret>,
}

/// The idempotency store a gateway runs with, and the settings that shaped
/// it: a reload with the same settings keeps the memory store, so its keys
/// and answers survive.
#[derive(Default)]
pub struct KeptStore {
    held: Option<(StoreShape, Arc<dyn crate::idempotency::Store>)>,
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
    fn store(
        &mut self,
        config: &Config,
        metrics: &Metrics,
    ) -> std::io::Result<Arc<dyn crate::idempotency::Store>> {
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
                crate::idempotency::RedisStore::new(url, window, in_flight)
                    .map_err(std::io::Error::other)?,
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
        let store: Arc<dyn crate::idempotency::Store> = Arc::new(
            crate::idempotency::MemoryStore::new(idem.max_entries, window, in_flight)
                .with_max_bytes(idem.max_bytes)
                .with_evictions_counter(metrics.idempotency_evictions.clone()),
        );
        self.held = Some((shape, store.clone()));
        Ok(store)
    }
}

/// The sandbox simulators started so far, by backend name.
pub type Sandboxes = BTreeMap<&'static str, Sandbox>;

/// Most runtime worker threads a config may ask for.
pub const MAX_WORKER_THREADS: usize = crate::runtime::MAX_THREADS;

/// A running sandbox simulator: where it listens, and its fault handle.
#[derive(Clone)]
pub struct Sandbox {
    pub base: BaseUrl,
    pub faults: Faults,
}

/// Parses every `[backends.<name>]` section of `sections`: the top level's,
/// or `tenant`'s merged over them.
fn plan_backends(
    sections: &BTreeMap<String, serde_json::Value>,
    sources: &Sources,
    tenant: Option<&str>,
    errors: &mut ConfigErrors,
) -> BTreeMap<&'static str, Planned> {
    let mut backends = BTreeMap::new();
    for (name, section) in sections {
        // Where a value of the section was set: the tenant's own section
        // first, then the top level's.
        let top: Vec<String> = vec!["backends".into(), name.clone()];
        let own: Option<Vec<String>> = tenant.map(|t| {
            vec![
                "tenants".into(),
                t.to_string(),
                "backends".into(),
                name.clone(),
            ]
        });
        let bases: Vec<&[String]> = own
            .iter()
            .map(Vec::as_slice)
            .chain([top.as_slice()])
            .collect();
        let from_env = |rel: &[String]| sources.is_env_below(&bases, rel);
        let section = backends::SectionInput {
            value: section,
            from_env: Some(&from_env),
        };
        let section = &section;
        let Some(vendor) = backends::vendor(name) else {
            let known: Vec<_> = backends::VENDORS.iter().map(|v| v.name).collect();
            errors.push(format!(
                "backends.{name}: unknown backend (known: {})",
                known.join(", ")
            ));
            continue;
        };
        if let Some(built) = (vendor.build)(section, errors) {
            if !built.outbound.is_sandbox() {
                if let Err(e) = BaseUrl::parse(&built.outbound.base_url) {
                    errors.push(format!("backends.{name}.base_url: {e}"));
                }
            }
            for e in crate::outbound::check_config(&built.outbound) {
                errors.push(format!("backends.{name}.{e}"));
            }
            if let Err(e) = crate::outbound::RetryPolicy::new(&built.outbound.retry) {
                errors.push(format!("backends.{name}.retry: {e}"));
            }
            if let Some(faults) = &built.outbound.faults {
                if !built.outbound.is_sandbox() {
                    errors.push(format!(
                        "backends.{name}.faults: only a sandbox (base_url = \"sandbox\") injects faults"
                    ));
                }
                for p in faults.problems() {
                    errors.push(format!("backends.{name}.faults.{p}"));
                }
            }
            if built.outbound.timeout_ms == 0 {
                errors.push(format!("backends.{name}.timeout_ms: must be above 0"));
            }
            backends.insert(
                vendor.name,
                Planned {
                    backend: built.backend,
                    outbound: built.outbound,
                    section: section.value.clone(),
                },
            );
        }
    }
    backends
}

/// Resolves `routes.<resource>` against the backends a tenant sees.
fn plan_routes(
    route_of: impl Fn(Resource) -> Option<crate::config::RouteConfig>,
    view: &BTreeMap<&'static str, (&Planned, Scope)>,
    declared: &[&str],
    errors: &mut ConfigErrors,
) -> PlannedRoutes {
    let mut routes = BTreeMap::new();
    for r in Resource::ALL {
        let key = r.key();
        let (names, strict, timeout_ms) = match route_of(r) {
            Some(rc) => {
                if rc.timeout_ms == Some(0) {
                    errors.push(format!("routes.{key}.timeout_ms: must be above 0"));
                }
                (rc.backends, rc.strict, rc.timeout_ms)
            }
            // No route: every configured backend that serves it.
            None => (
                view.iter()
                    .filter(|(_, (p, _))| serves(&*p.backend, r))
                    .map(|(n, _)| n.to_string())
                    .collect(),
                false,
                None,
            ),
        };
        let mut chosen = Vec::new();
        for n in &names {
            match view.get_key_value(n.as_str()) {
                None if declared.contains(&n.as_str()) => {}
                None => errors.push(format!(
                    "routes.{key}.backends: `{n}` has no [backends.{n}] section"
                )),
                Some((_, (p, _))) if !serves(&*p.backend, r) => {
                    errors.push(format!("routes.{key}.backends: `{n}` does not serve {key}"))
                }
                Some((name, (_, scope))) => chosen.push((*name, scope.clone())),
            }
        }
        if r != Resource::Customers && chosen.len() > 1 {
            errors.push(format!(
                "routes.{key}.backends: exactly one backend serves {key}, not {}",
                chosen.len()
            ));
        }
        if !chosen.is_empty() {
            routes.insert(key, (chosen, strict, timeout_ms));
        }
    }
    routes
}

/// Keys must be non-empty and belong to one tenant only.
fn check_keys(tenants: &[TenantPlan], errors: &mut ConfigErrors) {
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for t in tenants {
        let where_ = if t.name == "default" {
            "auth.api_keys".to_string()
        } else {
            format!("tenants.{}.api_keys", t.name)
        };
        for k in t.keys.iter().flatten() {
            if k.is_empty() {
                errors.push(format!("{where_}: a key is empty"));
            } else if let Some((_, other)) = seen.iter().find(|(s, _)| *s == k.expose()) {
                errors.push(format!(
                    "{where_}: a key is also a key of {other} (keys pick the tenant)"
                ));
            } else {
                seen.push((k.expose(), &t.name));
            }
        }
    }
}

/// `raw` (a section as written) completed with `parsed` (the same keys
/// as the backend reads them): defaults added, and environment text
/// (`"100"`) shown as the number or boolean it was read as. What was
/// written as text stays (a proxy URL keeps its host when redacted).
fn fill(raw: &mut serde_json::Value, parsed: serde_json::Value) {
    use serde_json::Value;
    match (raw, parsed) {
        (Value::Object(raw), Value::Object(parsed)) => {
            for (k, v) in parsed {
                match raw.get_mut(&k) {
                    Some(r) => fill(r, v),
                    None => {
                        raw.insert(k, v);
                    }
                }
            }
        }
        (raw @ Value::String(_), v @ (Value::Number(_) | Value::Bool(_))) => *raw = v,
        _ => {}
    }
}

/// `partial` over `base`, objects merged key by key.
fn merge(base: &serde_json::Value, partial: &serde_json::Value) -> serde_json::Value {
    match (base, partial) {
        (serde_json::Value::Object(b), serde_json::Value::Object(p)) => {
            let mut out = b.clone();
            for (k, v) in p {
                let merged = match out.get(k) {
                    Some(existing) => merge(existing, v),
                    None => v.clone(),
                };
                out.insert(k.clone(), merged);
            }
            serde_json::Value::Object(out)
        }
        (_, p) => p.clone(),
    }
}

fn serves(b: &dyn Backend, r: Resource) -> bool {
    match r {
        Resource::CustomerGroups => b.customer_groups().is_some(),
        Resource::Customers => b.customers().is_some(),
        Resource::VehicleCategories => b.vehicle_categories().is_some(),
    }
}

/// Serves `router` on `addr` in the background; returns the bound address.
pub async fn spawn_router(
    router: axum::Router,
    addr: Option<SocketAddr>,
) -> std::io::Result<SocketAddr> {
    let addr = addr.unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0)));
    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, router).await {
            tracing::error!(error = %e, "listener stopped");
        }
    });
    Ok(local)
}

/// A running gateway.
pub struct Running {
    pub public: SocketAddr,
    pub admin: SocketAddr,
    /// The `default` tenant's state as first started (readiness, metrics).
    pub state: Arc<AppState>,
    public_router: crate::server::Swappable,
    /// The public listener's TLS acceptor, swapped on reload.
    tls: crate::inbound_tls::TlsSlot,
    /// The TLS files of the running config ([`Running::watched_files`]).
    watched: Arc<std::sync::Mutex<Vec<std::path::PathBuf>>>,
    running_sandboxes: tokio::sync::Mutex<Sandboxes>,
    /// What reloads carry over: the idempotency store, backends, buckets.
    kept: tokio::sync::Mutex<Kept>,
    /// The fault handle of each sandbox started at start-up (tests,
    /// experiments: `running.sandboxes["vehizen"].set(...)`).
    pub sandboxes: BTreeMap<&'static str, Faults>,
    /// `server.drain_delay_ms`: how long the public listener keeps
    /// accepting after `/readyz` turned 503.
    drain_delay: Duration,
    public_listener: Listener,
    admin_listener: Listener,
}

/// A listener's task and how to wind it down.
struct Listener {
    control: crate::server::Control,
    task: tokio::task::JoinHandle<()>,
}

impl Listener {
    async fn stop(self) {
        self.control.stop();
        let _ = self.task.await;
    }
}

impl Running {
    /// Replaces routes, backends, tenants and keys with those of `plan`.
    /// Requests in flight finish on the old ones; sandboxes and metrics
    /// carry over, and so does the state of every part whose settings are
    /// unchanged ([`Plan::start_with`]): the memory idempotency store, each
    /// backend's breaker, pool and tokens, each tenant's rate limit buckets.
    /// The public listener's TLS certificate (`[server.tls]`, its files
    /// read again) is swapped for new connections. Listener addresses and
    /// connection limits need a restart.
    pub async fn reload(&self, plan: Plan) -> std::io::Result<()> {
        let mut sandboxes = self.running_sandboxes.lock().await;
        let mut kept = self.kept.lock().await;
        let files = tls_files(&plan);
        let tls = plan.tls.clone();
        let states = plan
            .start_with(self.state.metrics.clone(), &mut sandboxes, &mut kept)
            .await?;
        self.public_router.replace(api::tenants::router(&states));
        *self.watched.lock().unwrap_or_else(|e| e.into_inner()) = files;
        self.tls.replace(tls);
        Ok(())
    }

    /// The files besides the config whose change should reload it: the
    /// `[server.tls]` files of the running config (kept current across
    /// reloads). The config file poll checks these too.
    pub fn watched_files(&self) -> Arc<std::sync::Mutex<Vec<std::path::PathBuf>>> {
        self.watched.clone()
    }

    /// Reloads from `path` (SIGHUP, or the file changed). An invalid config
    /// keeps the running one; either way the outcome is logged and counted
    /// in `crossdock_config_reloads_total`.
    pub async fn reload_file(
        &self,
        path: &std::path::Path,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<(), String> {
        let outcome = match Plan::from_file(path, env) {
            Ok(plan) => {
                for w in plan.warnings() {
                    tracing::warn!(warning = %w, "config warning");
                }
                self.reload(plan).await.map_err(|e| e.to_string())
            }
            // One line: the log record of a refused reload.
            Err(errors) => Err(errors.one_line()),
        };
        let result = if outcome.is_ok() {
            "success"
        } else {
            "failure"
        };
        self.state
            .metrics
            .config_reloads
            .with_label_values(&[result])
            .inc();
        match &outcome {
            Ok(()) => tracing::info!(path = %path.display(), "config reloaded"),
            Err(e) => tracing::error!(
                path = %path.display(),
                errors = %e,
                "config reload refused; the running config stays"
            ),
        }
        outcome
    }

    /// Winds down as a load balancer can follow: `/readyz` turns 503 at
    /// once; the public listener keeps accepting for
    /// `server.drain_delay_ms` (its answers carry `Connection: close`),
    /// then stops accepting and drains in-flight requests (bounded by
    /// `server.drain_timeout_ms`). The admin listener answers until the
    /// public one is drained, then closes too.
    pub async fn shutdown(self) {
        self.shutdown_with(std::future::pending()).await
    }

    /// As [`Running::shutdown`], with the delay cut short when `hurry`
    /// completes first (a second SIGTERM or Ctrl-C).
    pub async fn shutdown_with(self, hurry: impl std::future::Future<Output = ()>) {
        self.state.ready.store(false, Ordering::Relaxed);
        self.public_listener.control.close_connections();
        if !self.drain_delay.is_zero() {
            tracing::info!(
                delay_ms = self.drain_delay.as_millis() as u64,
                "not ready: still accepting while the load balancer notices"
            );
            tokio::select! {
                _ = tokio::time::sleep(self.drain_delay) => {}
                _ = hurry => tracing::info!("asked again: draining now"),
            }
        }
        tracing::info!("no longer accepting; draining in-flight requests");
        self.public_listener.stop().await;
        self.admin_listener.stop().await;
    }
}

fn tls_files(plan: &Plan) -> Vec<std::path::PathBuf> {
    plan.config
        .server
        .tls
        .as_ref()
        .map(crate::inbound_tls::files)
        .unwrap_or_default()
}

/// Binds both listeners and serves until [`Running::shutdown`].
pub async fn start(plan: Plan) -> std::io::Result<Running> {
    let public_addr = plan.config.server.listen;
    let admin_addr = plan.config.admin.listen;
    let s = &plan.config.server;
    let limits = crate::server::ConnLimits {
        header_read_timeout: Duration::from_millis(s.header_read_timeout_ms.max(1)),
        max_headers: s.max_headers.max(1),
        max_head_bytes: s.max_header_bytes,
        drain: Duration::from_millis(s.drain_timeout_ms),
        max_concurrent_streams: s.max_concurrent_streams.max(1),
    };
    let tls = crate::inbound_tls::TlsSlot::new(plan.tls.clone());
    let watched = Arc::new(std::sync::Mutex::new(tls_files(&plan)));
    let drain_delay = Duration::from_millis(s.drain_delay_ms);
    let cores = crate::runtime::cores(s);
    let mut sandboxes = Sandboxes::new();
    let mut kept = Kept::default();
    let states = plan
        .start_with(Metrics::new(), &mut sandboxes, &mut kept)
        .await?;
    let state = states[0].clone();
    let public_router = crate::server::Swappable::new(api::tenants::router(&states));
    let admin_router = crate::server::Swappable::new(api::admin::router(state.clone()));
    // One socket per core (`server.runtime`): src/server/threads.rs.
    let public = crate::server::PublicSockets::bind(public_addr, cores).await?;
    let admin = TcpListener::bind(admin_addr).await?;
    let (public_addr, admin_addr) = (public.local_addr(), admin.local_addr()?);
    let listen = |listener, router, problems, tls| {
        let control = crate::server::Control::new();
        let task = tokio::spawn(crate::server::serve(
            listener,
            router,
            limits,
            problems,
            tls,
            control.signals(),
        ));
        Listener { control, task }
    };
    let control = crate::server::Control::new();
    let task = public.serve(
        public_router.clone(),
        limits,
        tls.clone(),
        &control,
        &state.metrics,
    )?;
    let public_listener = Listener { control, task };
    // The admin listener stays plain HTTP.
    let admin_listener = listen(admin, admin_router, false, Default::default());
    Ok(Running {
        public: public_addr,
        admin: admin_addr,
        state,
        public_router,
        tls,
        watched,
        sandboxes: sandboxes
            .iter()
            .map(|(n, sb)| (*n, sb.faults.clone()))
            .collect(),
        running_sandboxes: tokio::sync::Mutex::new(sandboxes),
        kept: tokio::sync::Mutex::new(kept),
        drain_delay,
        public_listener,
        admin_listener,
    })
}
