//! The built-in simulators (`base_url = "sandbox"`): started once, on a
//! local port, and kept with their state across reloads.

use super::plan::{Planned, Scope};
use crate::outbound::BaseUrl;
use crate::sandbox::Faults;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use tokio::net::TcpListener;

/// The sandbox simulators started so far, by backend name.
pub type Sandboxes = BTreeMap<&'static str, Sandbox>;

/// A running sandbox simulator: where it listens, and its fault handle.
#[derive(Clone)]
pub struct Sandbox {
    pub base: BaseUrl,
    pub faults: Faults,
}

/// Where backend `name` is reached: its `base_url`, or for a sandbox the
/// simulator, started on first use. A simulator already running is kept
/// (and its state); the top level's faults apply to it.
pub(super) async fn base_url(
    name: &'static str,
    scope: &Scope,
    p: &Planned,
    sandboxes: &mut Sandboxes,
) -> std::io::Result<BaseUrl> {
    if !p.outbound.is_sandbox() {
        return BaseUrl::parse(&p.outbound.base_url).map_err(std::io::Error::other);
    }
    let config = p.outbound.faults.clone().unwrap_or_default();
    if let Some(sb) = sandboxes.get(name) {
        if *scope == Scope::Top {
            sb.faults.set(config);
        }
        return Ok(sb.base.clone());
    }
    let faults = Faults::new(config);
    let router = faults.wrap(p.backend.simulator());
    let addr = spawn_router(router, "127.0.0.1:0".parse().ok()).await?;
    tracing::info!(backend = name, %addr, "sandbox simulator started");
    let base = BaseUrl::parse(&format!("http://{addr}")).map_err(std::io::Error::other)?;
    sandboxes.insert(
        name,
        Sandbox {
            base: base.clone(),
            faults,
        },
    );
    Ok(base)
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
