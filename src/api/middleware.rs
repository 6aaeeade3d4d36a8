//! Inbound middleware written for the gateway (everything generic comes from
//! tower-http): problem rendering, request metrics, API keys.

use super::problem::{render, ApiError};
use super::refused::Refused;
use super::state::{AppState, Tenant};
use crate::metrics::Metrics;
use crate::secret::ct_eq;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use tokio::time::Instant;

/// Renders every error response as `application/problem+json` with the
/// request id: handler errors from their `ApiError`, layer and router errors
/// (404, 405, 413, timeouts) from their status. Runs inside [`track`], so a
/// request costs one middleware future, not two.
fn problems(mut resp: Response, request_id: Option<&HeaderValue>) -> Response {
    let status = resp.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return resp;
    }
    let err = match resp.extensions_mut().remove::<ApiError>() {
        Some(e) => e,
        None if is_problem(&resp) => return resp,
        None => ApiError::from_status(status),
    };
    let mut out = render(&err, request_id.and_then(|v| v.to_str().ok()));
    // The caller's rate limit is told on errors too.
    for name in super::rate_limit::HEADERS {
        if let Some(v) = resp.headers_mut().remove(name) {
            out.headers_mut().insert(name, v);
        }
    }
    out
}

fn is_problem(r: &Response) -> bool {
    r.headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"))
}

fn missing_host(req: &Request) -> bool {
    req.version() == http::Version::HTTP_11 && !req.headers().contains_key(header::HOST)
}

/// Decrements the in-flight gauge even when the request is dropped.
struct InFlight<'a>(&'a Metrics);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.http_in_flight.dec();
    }
}

/// Counts requests by route template (never the raw path), method (one of
/// a fixed set, [`crate::metrics::method_label`]) and status, and renders errors as problems ([`problems`]). Borrows what it
/// keeps of the request (the matched path is an `Arc`, the request id a
/// shared `Bytes`): no allocation of its own.
pub async fn track(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let m = &state.metrics;
    let route = req.extensions().get::<MatchedPath>().cloned();
    let request_id = req.headers().get("x-request-id").cloned();
    // One of a fixed set: the raw method would let any client make series.
    let method = crate::metrics::method_label(req.method());
    m.http_in_flight.inc();
    let guard = InFlight(m);
    let start = Instant::now();
    let resp = if missing_host(&req) {
        // RFC 9112 §3.2: a 1.1 request without Host is a 400; hyper takes
        // it, so the gateway refuses it, as a problem with the request id.
        let e = ApiError::from(Refused::MissingHost);
        problems(e.into_response(), request_id.as_ref())
    } else {
        problems(next.run(req).await, request_id.as_ref())
    };
    drop(guard);
    let route = route.as_ref().map_or("unmatched", MatchedPath::as_str);
    m.http_duration
        .with_label_values(&[route, method])
        .observe(start.elapsed().as_secs_f64());
    m.http_requests
        // A status is three digits (`StatusCode` holds 100..=999), written
        // by the gateway: bounded too.
        .with_label_values(&[route, method, resp.status().as_str()])
        .inc();
    resp
}

/// API keys and rate limits: when the tenant has keys, `/v1` calls need one
/// of them in `x-api-key` (401 otherwise), and each key has its own limit
/// when a rate limit is set (429 with `Retry-After`; every answer carries
/// `RateLimit-Limit`, `-Remaining` and `-Reset`). The tenant, not the key,
/// is what logs show.
pub async fn api_key(State(state): State<Arc<AppState>>, mut req: Request, next: Next) -> Response {
    if let Some(keys) = &state.api_keys {
        let given: Vec<u8> = req
            .headers()
            .get("x-api-key")
            .map(|v| v.as_bytes().to_vec())
            .unwrap_or_default();
        // Every key is compared, each in constant time, so timing says
        // nothing about which key or how much of it matched.
        let mut matched = None;
        for (i, k) in keys.iter().enumerate() {
            let hit = ct_eq(k.expose().as_bytes(), &given);
            matched = if hit { Some(i) } else { matched };
        }
        let Some(index) = matched else {
            return wrong_key(&state, &req);
        };
        // Idempotency keys are scoped by tenant and by API key, so two
        // callers never share an answer.
        let scope = crate::idempotency::key::tenant_of_api_key(&format!(
            "{}\u{0}{}",
            state.tenant,
            String::from_utf8_lossy(&given)
        ));
        req.extensions_mut().insert(Tenant(scope));
        if let Some(limiter) = &state.rate_limiter {
            let decision = limiter.check(index).await;
            let mut resp = if decision.allowed {
                next.run(req).await
            } else {
                tracing::info!(tenant = %state.tenant, "rate limited");
                ApiError::from(Refused::RateLimited {
                    retry_after: decision.retry_after_secs(),
                })
                .into_response()
            };
            decision.write_headers(resp.headers_mut());
            return resp;
        }
    }
    next.run(req).await
}

/// 401 for a wrong or missing key, or 429 once the client address has
/// failed too often ([`super::FailedKeys`]).
fn wrong_key(state: &AppState, req: &Request) -> Response {
    let addr = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
    match state.failed_keys.fail(addr) {
        Ok(()) => ApiError::from(Refused::Unauthorized).into_response(),
        Err(wait) => {
            tracing::info!(client = %addr, "wrong API keys throttled");
            ApiError::from(Refused::WrongKeys {
                retry_after: wait.as_secs().max(1),
            })
            .into_response()
        }
    }
}
