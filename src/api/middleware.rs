//! Inbound middleware written for the gateway (everything generic comes from
//! tower-http): problem rendering, request metrics, API keys.

use super::problem::{render, ApiError};
use super::refused::Refused;
use super::state::{AppState, Tenant};
use crate::secret::ct_eq;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue};
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
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
struct InFlight(Arc<AppState>);

impl InFlight {
    fn enter(state: Arc<AppState>) -> Self {
        state.metrics.http_in_flight.inc();
        InFlight(state)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.metrics.http_in_flight.dec();
    }
}

/// Counts requests by route template (never the raw path), method (one of
/// a fixed set, [`crate::metrics::method_label`]) and status, and renders
/// errors as problems ([`problems`]). Keeps what it needs of the request
/// without allocating (the matched path is an `Arc`, the request id a
/// shared `Bytes`), and wraps the inner future in its own: no box.
#[derive(Clone)]
pub struct TrackLayer(pub Arc<AppState>);

impl<S> tower::Layer<S> for TrackLayer {
    type Service = Track<S>;

    fn layer(&self, inner: S) -> Track<S> {
        Track {
            state: self.0.clone(),
            inner,
        }
    }
}

/// The service of [`TrackLayer`].
#[derive(Clone)]
pub struct Track<S> {
    state: Arc<AppState>,
    inner: S,
}

impl<S, B> tower::Service<Request> for Track<S>
where
    S: tower::Service<Request, Response = http::Response<B>>,
    B: http_body::Body<Data = bytes::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = TrackFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let route = req.extensions().get::<MatchedPath>().cloned();
        let request_id = req.headers().get("x-request-id").cloned();
        // One of a fixed set: the raw method would let any client make series.
        let method = crate::metrics::method_label(req.method());
        let in_flight = InFlight::enter(self.state.clone());
        let start = Instant::now();
        // RFC 9112 §3.2: a 1.1 request without Host is a 400; hyper takes
        // it, so the gateway refuses it, as a problem with the request id.
        let inner = match missing_host(&req) {
            true => None,
            false => Some(self.inner.call(req)),
        };
        TrackFuture {
            inner,
            done: Some(Done {
                in_flight,
                route,
                request_id,
                method,
                start,
            }),
        }
    }
}

/// What [`Track`] records once the answer is there.
struct Done {
    in_flight: InFlight,
    route: Option<MatchedPath>,
    request_id: Option<HeaderValue>,
    method: &'static str,
    start: Instant,
}

impl Done {
    fn finish(self, resp: Response) -> Response {
        let resp = problems(resp, self.request_id.as_ref());
        let m = &self.in_flight.0.metrics;
        let route = self.route.as_ref().map_or("unmatched", MatchedPath::as_str);
        m.http_duration
            .with_label_values(&[route, self.method])
            .observe(self.start.elapsed().as_secs_f64());
        m.http_requests
            // A status is three digits (`StatusCode` holds 100..=999),
            // written by the gateway: bounded too.
            .with_label_values(&[route, self.method, resp.status().as_str()])
            .inc();
        resp
    }
}

pin_project_lite::pin_project! {
    /// The future of [`Track`]: the inner one (none for a refused
    /// request), then the count.
    pub struct TrackFuture<F> {
        #[pin]
        inner: Option<F>,
        done: Option<Done>,
    }
}

impl<F, B, E> Future for TrackFuture<F>
where
    F: Future<Output = Result<http::Response<B>, E>>,
    B: http_body::Body<Data = bytes::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    type Output = Result<Response, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let resp = match this.inner.as_pin_mut() {
            Some(f) => match f.poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Ready(Ok(r)) => r.map(axum::body::Body::new),
            },
            None => ApiError::from(Refused::MissingHost).into_response(),
        };
        match this.done.take() {
            Some(done) => Poll::Ready(Ok(done.finish(resp))),
            // Polled again after it finished: futures may not be.
            None => Poll::Ready(Ok(resp)),
        }
    }
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
