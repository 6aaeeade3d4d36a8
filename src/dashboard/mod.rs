//! The admin dashboard, `/` on the admin listener: one page, its style and
//! its script, built into the binary ([`PAGE`], [`STYLE`], [`SCRIPT`]). The
//! script polls `/dashboard.json` ([`Dashboard::overview`]) every second:
//! routes and the backends serving them, each backend's breaker, calls in
//! flight, recent rate, errors and latency (from the process's own
//! Prometheus metrics), tenants without their keys, the last reloads, and
//! the effective config with every secret redacted.

mod rates;
mod reloads;
mod view;

pub use rates::{Rates, Step};
pub use reloads::{Reload, ReloadHistory};
pub use view::{RouteView, Shown, TenantView};

use crate::metrics::Metrics;
use serde::Serialize;
use std::sync::{Arc, Mutex, RwLock};
use tokio::time::Instant;

/// The page (`/`).
pub const PAGE: &str = include_str!("page.html");
/// Its style (`/dashboard.css`).
pub const STYLE: &str = include_str!("dashboard.css");
/// Its script (`/dashboard.js`).
pub const SCRIPT: &str = include_str!("dashboard.js");

/// What the dashboard knows: the running config as shown, the reloads, and
/// recent snapshots of the metrics.
pub struct Dashboard {
    metrics: Metrics,
    started: Instant,
    shown: RwLock<Shown>,
    /// The last reloads; the reload path records each outcome here.
    pub reloads: ReloadHistory,
    samples: Mutex<rates::Samples>,
}

/// `/dashboard.json`.
#[derive(Debug, Serialize)]
pub struct Overview {
    pub version: &'static str,
    pub uptime_secs: u64,
    /// What "recent" covers now (up to 30 s).
    pub window_secs: f64,
    pub http: HttpView,
    pub backends: Vec<BackendView>,
    pub routes: Vec<RouteView>,
    pub tenants: Vec<TenantView>,
    /// Newest first.
    pub reloads: Vec<Reload>,
    /// The effective config, TOML, every secret redacted.
    pub config: String,
}

/// The unified API as a whole (errors: 5xx answers).
#[derive(Debug, Serialize)]
pub struct HttpView {
    pub in_flight: i64,
    pub calls: u64,
    pub recent: Rates,
}

/// One backend.
#[derive(Debug, Serialize)]
pub struct BackendView {
    pub name: String,
    /// The resources it serves (`customers`, or `customers (tenant)`).
    pub routes: Vec<String>,
    /// `open` while its breaker refuses calls (or probes), else `closed`.
    pub breaker: &'static str,
    pub in_flight: i64,
    /// Calls since the start.
    pub calls: u64,
    pub recent: Rates,
    /// Calls and errors per second, about one step a second, oldest first.
    pub history: Vec<Step>,
}

impl Dashboard {
    pub fn new(metrics: Metrics, shown: Shown) -> Arc<Dashboard> {
        let mut samples = rates::Samples::default();
        samples.keep(Instant::now(), &rates::Snapshot::take(&metrics));
        Arc::new(Dashboard {
            metrics,
            started: Instant::now(),
            shown: RwLock::new(shown),
            reloads: ReloadHistory::default(),
            samples: Mutex::new(samples),
        })
    }

    /// Shows the config a reload put in force.
    pub fn show(&self, shown: Shown) {
        *self.shown.write().unwrap_or_else(|e| e.into_inner()) = shown;
    }

    /// Everything the page shows, now.
    pub fn overview(&self) -> Overview {
        let shown = self.shown.read().unwrap_or_else(|e| e.into_inner()).clone();
        let now = Instant::now();
        let snap = rates::Snapshot::take(&self.metrics);
        let mut samples = self.samples.lock().unwrap_or_else(|e| e.into_inner());
        samples.keep(now, &snap);
        let none = rates::Counts::default();
        let (since, before) = match samples.baseline(now) {
            Some((at, s)) => (now.saturating_duration_since(*at).as_secs_f64(), s),
            None => (0.0, &rates::Snapshot::default()),
        };
        let open = rates::gauge_by_backend(&self.metrics.circuit_open);
        let busy = rates::gauge_by_backend(&self.metrics.backend_in_flight);
        let backends = shown
            .backends
            .iter()
            .map(|name| {
                let counts = snap.backends.get(name).unwrap_or(&none);
                let routes = shown
                    .routes
                    .iter()
                    .filter(|r| r.backends.contains(&name.as_str()))
                    .map(|r| match r.tenant.as_str() {
                        "default" => r.resource.to_string(),
                        t => format!("{} ({t})", r.resource),
                    })
                    .collect();
                BackendView {
                    name: name.clone(),
                    routes,
                    breaker: if open.get(name).copied().unwrap_or(0) > 0 {
                        "open"
                    } else {
                        "closed"
                    },
                    in_flight: busy.get(name).copied().unwrap_or(0),
                    calls: counts.calls,
                    recent: counts.since(before.backends.get(name).unwrap_or(&none), since),
                    history: samples.steps(name),
                }
            })
            .collect();
        let http = HttpView {
            in_flight: self.metrics.http_in_flight.get(),
            calls: snap.http.calls,
            recent: snap.http.since(&before.http, since),
        };
        Overview {
            version: env!("CARGO_PKG_VERSION"),
            uptime_secs: self.started.elapsed().as_secs(),
            window_secs: since,
            http,
            backends,
            routes: shown.routes,
            tenants: shown.tenants,
            reloads: self.reloads.newest_first(),
            config: shown.config,
        }
    }
}

#[cfg(test)]
mod redaction_tests;
