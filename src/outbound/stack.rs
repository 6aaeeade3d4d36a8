//! The tower stack of one backend, in the order the module doc gives
//! (`MapErr`, `LoadShed`, `ConcurrencyLimit`, `Retry`, `MapErr`, `Timeout`),
//! around the service that sends: [`super::HttpCall`] in the gateway, a
//! mock in the tests.

use super::{CallError, RetryPolicy, VendorResponse};
use crate::config::OutboundConfig;
use bytes::Bytes;
use http_body_util::Full;
use std::time::Duration;
use tower::util::BoxCloneSyncService;
use tower::{BoxError, Service, ServiceBuilder};

/// What the stack takes: a request to a vendor, its body in memory (a retry
/// sends it again).
pub type Req = http::Request<Full<Bytes>>;

/// The stack, boxed: the rest of the gateway sees [`CallError`] only.
pub type Stack = BoxCloneSyncService<Req, VendorResponse, CallError>;

/// `cfg`'s layers, retrying with `policy`, around `inner`.
pub fn layers<S>(cfg: &OutboundConfig, policy: RetryPolicy, inner: S) -> Stack
where
    S: Service<Req, Response = VendorResponse> + Clone + Send + Sync + 'static,
    S::Error: Into<BoxError>,
    S::Future: Send + 'static,
{
    let stack = ServiceBuilder::new()
        .map_err(CallError::from_boxed)
        .load_shed()
        .concurrency_limit(cfg.max_concurrency.max(1))
        .retry(policy)
        .map_err(CallError::from_boxed)
        .timeout(Duration::from_millis(cfg.timeout_ms))
        .service(inner);
    BoxCloneSyncService::new(stack)
}
