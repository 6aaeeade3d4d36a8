//! Wiring: from a validated config to running listeners.

use crate::api::body::Limits;
use crate::api::{self, AppState, ResourceRoute, Target};
use crate::backends::{self, Backend};
use crate::config::{Config, ConfigErrors, Resource};
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
}

/// The checked plan of a config: what `check-config` validates and `run`
/// starts. Every problem is collected.
pub struct Plan {
    config: Config,
    backends: BTreeMap<&'static str, Planned>,
    routes: BTreeMap<&'static str, (Vec<&'static str>, bool)>,
}

impl Plan {
    /// Loads and checks a config file with environment overrides, naming
    /// every problem found (unknown keys, bad values, bad routes) at once.
    pub fn from_file(
        path: &std::path::Path,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Plan, ConfigErrors> {
        match crate::config::load_collecting(path, env) {
            (Some(cfg), errors) => Plan::check(cfg, errors),
            (None, errors) => Err(errors),
        }
    }

    pub fn new(config: Config) -> Result<Plan, ConfigErrors> {
        Plan::check(config, ConfigErrors::default())
    }

    fn check(config: Config, mut errors: ConfigErrors) -> Result<Plan, ConfigErrors> {
        let mut backends = BTreeMap::new();
        // Sections that exist but did not parse: routes to them are not
        // reported again as missing.
        let declared: Vec<&str> = config.backends.keys().map(String::as_str).collect();
        for (name, section) in &config.backends {
            let Some(vendor) = backends::vendor(name) else {
                let known: Vec<_> = backends::VENDORS.iter().map(|v| v.name).collect();
                errors.push(format!(
                    "backends.{name}: unknown backend (known: {})",
                    known.join(", ")
                ));
                continue;
            };
            if let Some(built) = (vendor.build)(section, &mut errors) {
                if !built.outbound.is_sandbox() {
                    if let Err(e) = BaseUrl::parse(&built.outbound.base_url) {
                        errors.push(format!("backends.{name}.base_url: {e}"));
                    }
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
                    },
                );
            }
        }
        let mut routes = BTreeMap::new();
        for r in Resource::ALL {
            let key = r.key();
            let (names, strict) = match config.routes.get(r) {
                Some(rc) => (rc.backends.clone(), rc.strict),
                // No route: every configured backend that serves it.
                None => (
                    backends
                        .iter()
                        .filter(|(_, p)| serves(&*p.backend, r))
                        .map(|(n, _)| n.to_string())
                        .collect(),
                    false,
                ),
            };
            let mut chosen = Vec::new();
            for n in &names {
                match backends.get_key_value(n.as_str()) {
                    None if declared.contains(&n.as_str()) => {}
                    None => errors.push(format!(
                        "routes.{key}.backends: `{n}` has no [backends.{n}] section"
                    )),
                    Some((_, p)) if !serves(&*p.backend, r) => {
                        errors.push(format!("routes.{key}.backends: `{n}` does not serve {key}"))
                    }
                    Some((name, _)) => chosen.push(*name),
                }
            }
            if r != Resource::Customers && chosen.len() > 1 {
                errors.push(format!(
                    "routes.{key}.backends: exactly one backend serves {key}, not {}",
                    chosen.len()
                ));
            }
            if !chosen.is_empty() {
                routes.insert(key, (chosen, strict));
            }
        }
        if config.server.body_limit_bytes == 0 {
            errors.push("server.body_limit_bytes: must be above 0");
        }
        if config.server.listen == config.admin.listen && config.server.listen.port() != 0 {
            errors.push("admin.listen: must differ from server.listen");
        }
        if let Some(keys) = &config.auth.api_keys {
            if keys.iter().any(|k| k.is_empty()) {
                errors.push("auth.api_keys: a key is empty");
            }
        }
        if errors.is_empty() {
            Ok(Plan {
                config,
                backends,
                routes,
            })
        } else {
            Err(errors)
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Starts sandboxes and builds the shared state.
    pub async fn start(self) -> std::io::Result<Arc<AppState>> {
        self.launch().await.map(|(state, _)| state)
    }

    /// [`Plan::start`], with the fault handle of each sandbox.
    async fn launch(self) -> std::io::Result<(Arc<AppState>, Sandboxes)> {
        let metrics = Metrics::new();
        let mut targets: BTreeMap<&'static str, Target> = BTreeMap::new();
        let mut sandboxes = Sandboxes::new();
        for (name, p) in self.backends {
            let base = if p.outbound.is_sandbox() {
                let faults = Faults::new(p.outbound.faults.clone().unwrap_or_default());
                let router = faults.wrap(p.backend.simulator());
                sandboxes.insert(name, faults);
                let addr = spawn_router(router, "127.0.0.1:0".parse().ok()).await?;
                tracing::info!(backend = name, %addr, "sandbox simulator started");
                BaseUrl::parse(&format!("http://{addr}"))
            } else {
                BaseUrl::parse(&p.outbound.base_url)
            }
            .map_err(std::io::Error::other)?;
            let gauge = metrics.circuit_open.with_label_values(&[name]);
            let outbound =
                Outbound::new(base, &p.outbound, gauge).map_err(std::io::Error::other)?;
            targets.insert(
                name,
                Target {
                    name,
                    backend: p.backend,
                    outbound,
                },
            );
        }
        let route = |r: Resource| {
            self.routes
                .get(r.key())
                .map(|(names, strict)| ResourceRoute {
                    targets: names
                        .iter()
                        .filter_map(|n| targets.get(n).cloned())
                        .collect(),
                    strict: *strict,
                })
        };
        let s = &self.config.server;
        let state = Arc::new(AppState {
            metrics,
            limits: Limits {
                body_bytes: s.body_limit_bytes,
                depth: s.max_json_depth,
                list_len: s.max_list_len,
            },
            request_timeout: Duration::from_millis(s.request_timeout_ms),
            api_keys: self.config.auth.api_keys.clone(),
            customer_groups: route(Resource::CustomerGroups),
            customers: route(Resource::Customers),
            vehicle_categories: route(Resource::VehicleCategories),
            ready: AtomicBool::new(true),
        });
        Ok((state, sandboxes))
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

/// The fault handle of each backend served by its sandbox.
pub type Sandboxes = BTreeMap<&'static str, Faults>;

/// A running gateway.
pub struct Running {
    pub public: SocketAddr,
    pub admin: SocketAddr,
    pub state: Arc<AppState>,
    /// Changes the faults of a running sandbox (tests, experiments).
    pub sandboxes: Sandboxes,
    shutdown: tokio::sync::watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Running {
    /// Stops taking connections, drains in-flight requests, returns.
    pub async fn shutdown(self) {
        self.state.ready.store(false, Ordering::Relaxed);
        let _ = self.shutdown.send(true);
        for t in self.tasks {
            let _ = t.await;
        }
    }
}

/// Binds both listeners and serves until [`Running::shutdown`].
pub async fn start(plan: Plan) -> std::io::Result<Running> {
    let public_addr = plan.config.server.listen;
    let admin_addr = plan.config.admin.listen;
    let (state, sandboxes) = plan.launch().await?;
    let public = TcpListener::bind(public_addr).await?;
    let admin = TcpListener::bind(admin_addr).await?;
    let (public_addr, admin_addr) = (public.local_addr()?, admin.local_addr()?);
    let (tx, rx) = tokio::sync::watch::channel(false);
    let mut tasks = Vec::new();
    for (listener, router) in [
        (public, api::router(state.clone())),
        (admin, api::admin::router(state.clone())),
    ] {
        let mut rx = rx.clone();
        tasks.push(tokio::spawn(async move {
            let stop = async move {
                let _ = rx.wait_for(|v| *v).await;
            };
            if let Err(e) = axum::serve(listener, router)
                .with_graceful_shutdown(stop)
                .await
            {
                tracing::error!(error = %e, "listener stopped");
            }
        }));
    }
    Ok(Running {
        public: public_addr,
        admin: admin_addr,
        state,
        sandboxes,
        shutdown: tx,
        tasks,
    })
}
