//! A started gateway: both listeners bound and serving, and what changes
//! while it runs: reloads (a new [`Plan`] swapped in, kept state carried
//! over) and the wind-down on shutdown.

use super::kept::Kept;
use super::plan::Plan;
use super::sandbox::Sandboxes;
use crate::api::{self, AppState};
use crate::metrics::Metrics;
use crate::sandbox::Faults;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

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
    /// The admin dashboard's view of the running config and reloads.
    dashboard: Arc<crate::dashboard::Dashboard>,
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
        let shown = crate::dashboard::Shown::of(&plan);
        let states = plan
            .start_with(self.state.metrics.clone(), &mut sandboxes, &mut kept)
            .await?;
        self.public_router.replace(api::tenants::router(&states));
        self.dashboard.show(shown.with_routes(&states));
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
        self.dashboard.reloads.record(&outcome);
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
    let shown = crate::dashboard::Shown::of(&plan);
    let states = plan
        .start_with(Metrics::new(), &mut sandboxes, &mut kept)
        .await?;
    let state = states[0].clone();
    let dashboard =
        crate::dashboard::Dashboard::new(state.metrics.clone(), shown.with_routes(&states));
    let public_router = crate::server::Swappable::new(api::tenants::router(&states));
    let admin_router =
        crate::server::Swappable::new(api::admin::router(state.clone(), dashboard.clone()));
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
        dashboard,
        drain_delay,
        public_listener,
        admin_listener,
    })
}
