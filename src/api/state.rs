//! What a request of the unified API reads: the state built once from the
//! config ([`AppState`]), the backends each resource is routed to
//! ([`ResourceRoute`], [`Target`]), the body bounds ([`Limits`]) and who the
//! caller is ([`Tenant`], set by the API key check).
//!
//! Built by `app` (one per tenant, rebuilt on reload); read by the handlers
//! and the middleware of this folder. Nothing here does work of its own.

use super::cors::OriginCorsLayer;
use super::refused::Refused;
use super::{FailedKeys, RateLimiter};
use crate::backends::Backend;
use crate::config::Resource;
use crate::metrics::Metrics;
use crate::outbound::Outbound;
use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

/// One backend a route sends to.
#[derive(Clone)]
pub struct Target {
    pub name: &'static str,
    pub backend: Arc<dyn Backend>,
    pub outbound: Outbound,
}

/// The backends of one unified resource.
#[derive(Clone)]
pub struct ResourceRoute {
    pub targets: Vec<Target>,
    pub strict: bool,
    /// The resource's own deadline (`routes.<resource>.timeout_ms`).
    pub timeout: Option<Duration>,
}

/// Bounds on request bodies.
#[derive(Debug, Clone)]
pub struct Limits {
    pub body_bytes: usize,
    pub depth: usize,
    pub list_len: usize,
}

/// Who the caller is, for the scope of its `Idempotency-Key`s: set by the
/// API key check (a digest of tenant and key), `default` without keys.
#[derive(Debug, Clone)]
pub struct Tenant(pub String);

/// Everything a request needs; built once from the config.
pub struct AppState {
    pub metrics: Metrics,
    /// The tenant this state serves (`default` for the top level).
    pub tenant: Arc<str>,
    /// A limit per API key, when configured (shared with the next
    /// config when a reload leaves the tenant's keys and limit unchanged).
    pub rate_limiter: Option<Arc<RateLimiter>>,
    /// Wrong keys per client address (shared by every tenant).
    pub failed_keys: Arc<FailedKeys>,
    pub limits: Limits,
    pub request_timeout: Duration,
    pub api_keys: Option<Vec<crate::config::Secret>>,
    /// The route of each resource the config routes somewhere.
    pub routes: BTreeMap<Resource, ResourceRoute>,
    /// Where `Idempotency-Key` answers are kept.
    pub idempotency: crate::idempotency::Idempotency,
    /// False while draining, for `/readyz`.
    pub ready: AtomicBool,
    /// CORS for browser callers (`[server.cors]`), when configured.
    pub cors: Option<OriginCorsLayer>,
    /// Answers at least this large are compressed when the caller asks;
    /// 0: never.
    pub compress_min_bytes: u16,
}

impl AppState {
    /// The route of a resource, or 501 when the config routes it nowhere.
    pub(super) fn route(&self, r: Resource) -> Result<&ResourceRoute, Refused> {
        self.routes.get(&r).ok_or(Refused::NotRouted(r.noun()))
    }
}

impl ResourceRoute {
    /// The first target and the part of its backend that serves the
    /// resource (`serves`, e.g. `|b| b.customer_groups()`): a resource
    /// other than customers has exactly one backend (checked by the config).
    /// 500 when the backend does not serve it (the config refuses that too).
    pub fn first<'a, R: ?Sized>(
        &'a self,
        serves: impl FnOnce(&'a dyn Backend) -> Option<&'a R>,
    ) -> Result<(&'a Target, &'a R), Refused> {
        self.targets
            .first()
            .and_then(|t| serves(&*t.backend).map(|r| (t, r)))
            .ok_or(Refused::Misrouted)
    }
}
