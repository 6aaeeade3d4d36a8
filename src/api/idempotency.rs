//! `Idempotency-Key` on the unified write routes: the axum middleware over
//! the store library ([`crate::idempotency`], which knows no HTTP answer).
//!
//! With `Idempotency-Key` on a `PUT`, `POST`, `PATCH` or `DELETE`:
//!
//! | the store holds | answer |
//! |---|---|
//! | nothing | the request runs; a final answer ([`is_final`]) is stored |
//! | the answer to the same request | that answer again, `Idempotent-Replayed: true` |
//! | a request still running, same request | 409 `idempotency-key-in-flight`, `Retry-After: 1` |
//! | anything for a different request | 422 `idempotency-key-reused` |
//! | (the store cannot be asked) | 503 `idempotency-store-unavailable`, `Retry-After: 1` |
//!
//! Requests without the header, and reads, pass untouched.

use super::body::BodyError;
use super::problem::{render, ApiError};
use super::refused::Refused;
use super::state::{AppState, Tenant};
use crate::idempotency::key::{self, fingerprint, is_final, store_key, HEADER, REPLAYED};
use crate::idempotency::{Begin, Store, StoreError, StoredResponse, Token, MAX_STORED_BODY};
use crate::metrics::Metrics;
use axum::body::Body;
use axum::extract::{MatchedPath, Request};
use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, Method, StatusCode};
use http_body_util::BodyExt;
use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::task::{Context, Poll};
use tower::ServiceExt;

const VISIBLE_ASCII: &str = "Idempotency-Key must be 1 to 255 visible ASCII characters";

fn is_write(m: &Method) -> bool {
    matches!(
        *m,
        Method::PUT | Method::POST | Method::PATCH | Method::DELETE
    )
}

/// The layer: requests that are not writes carrying `Idempotency-Key`
/// (every read, most writes) go straight to the inner service, with no
/// box and no clone of it; the others take [`idempotent`].
#[derive(Clone)]
pub struct IdempotencyLayer(pub Arc<AppState>);

impl<S> tower::Layer<S> for IdempotencyLayer {
    type Service = Idempotent<S>;

    fn layer(&self, inner: S) -> Idempotent<S> {
        Idempotent {
            state: self.0.clone(),
            inner,
        }
    }
}

/// The service of [`IdempotencyLayer`].
#[derive(Clone)]
pub struct Idempotent<S> {
    state: Arc<AppState>,
    inner: S,
}

type Boxed = std::pin::Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

impl<S> tower::Service<Request> for Idempotent<S>
where
    S: tower::Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = futures_util::future::Either<S::Future, Boxed>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        use futures_util::future::Either;
        if !is_write(req.method()) || !req.headers().contains_key(HEADER) {
            return Either::Left(self.inner.call(req));
        }
        // The ready service goes with the request; a clone stays (as
        // axum's `from_fn` does).
        let clone = self.inner.clone();
        let inner = std::mem::replace(&mut self.inner, clone);
        let state = self.state.clone();
        Either::Right(Box::pin(
            async move { Ok(idempotent(state, req, inner).await) },
        ))
    }
}

/// Runs `req` on `inner`, whose error cannot happen.
async fn run<S>(inner: S, req: Request) -> Response
where
    S: tower::Service<Request, Response = Response, Error = Infallible>,
{
    match inner.oneshot(req).await {
        Ok(r) => r,
        Err(never) => match never {},
    }
}

/// A write with `Idempotency-Key`: checked, reserved, run on `inner`,
/// stored (the table above).
async fn idempotent<S>(s: Arc<AppState>, req: Request, inner: S) -> Response
where
    S: tower::Service<Request, Response = Response, Error = Infallible>,
{
    let mut given = req.headers().get_all(HEADER).iter();
    let (Some(raw), None) = (given.next(), given.next()) else {
        return refuse(Refused::IdempotencyKeyInvalid(
            "Idempotency-Key is given more than once",
        ));
    };
    if !key::valid(raw.as_bytes()) {
        return refuse(Refused::IdempotencyKeyInvalid(VISIBLE_ASCII));
    }
    let Ok(caller_key) = raw.to_str().map(str::to_owned) else {
        return refuse(Refused::IdempotencyKeyInvalid(VISIBLE_ASCII));
    };
    let Some(route) = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
    else {
        return run(inner, req).await;
    };
    let tenant = req
        .extensions()
        .get::<Tenant>()
        .map(|t| t.0.clone())
        .unwrap_or_else(|| "default".to_owned());
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, s.limits.body_bytes).await else {
        return ApiError::from(BodyError::TooLarge).into_response();
    };
    let path = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    let fp = fingerprint(&parts.method, path, &bytes);
    let skey = store_key(&tenant, &parts.method, &route, &caller_key);
    let store = s.idempotency.store.clone();
    let metrics = &s.metrics;
    let token = match store.begin(&skey, &fp).await {
        Ok(Begin::New(token)) => token,
        Ok(Begin::Done(r)) if r.fingerprint == fp => {
            metrics
                .idempotency_replays
                .with_label_values(&[route.as_str()])
                .inc();
            return replay(r);
        }
        Ok(Begin::InFlight { fingerprint }) if fingerprint == fp => {
            return refuse(Refused::IdempotencyKeyInFlight);
        }
        Ok(_) => return refuse(Refused::IdempotencyKeyReused),
        Err(e) => {
            store_error(metrics, "begin", &*store, &e);
            return ApiError::from(e).into_response();
        }
    };
    let guard = Release {
        store: store.clone(),
        key: skey.clone(),
        token: Some(token.clone()),
        metrics: metrics.clone(),
    };
    let request_id = parts
        .headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    // Hex digits: always a valid header value.
    let vendor_key = HeaderValue::from_str(&key::vendor_key(&skey))
        .unwrap_or_else(|_| HeaderValue::from_static("unset"));
    let req = Request::from_parts(parts, Body::from(bytes));
    let resp = crate::outbound::with_vendor_key(vendor_key, run(inner, req)).await;
    finish(guard, fp, resp, request_id.as_deref()).await
}

/// Stores a final answer, releases the key otherwise; the answer goes to
/// the caller either way.
async fn finish(
    mut guard: Release,
    fp: String,
    resp: Response,
    request_id: Option<&str>,
) -> Response {
    let status = resp.status();
    if !is_final(status) {
        guard.release().await;
        return resp;
    }
    // An error is rendered here, with the first request's id, so the replay
    // is byte for byte the first answer.
    let mut resp = match resp.extensions().get::<ApiError>() {
        Some(e) => render(e, request_id),
        None => resp,
    };
    let (parts, body) = resp.into_parts();
    let bytes = match body.collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => {
            guard.release().await;
            return ApiError::from_status(StatusCode::INTERNAL_SERVER_ERROR).into_response();
        }
    };
    resp = Response::from_parts(parts, Body::from(bytes.clone()));
    if bytes.len() > MAX_STORED_BODY {
        tracing::warn!(
            bytes = bytes.len(),
            "answer too large to store for Idempotency-Key replay; key released"
        );
        guard.release().await;
        return resp;
    }
    let stored = StoredResponse {
        fingerprint: fp,
        status: status.as_u16(),
        content_type: resp
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        body: bytes,
    };
    if let Some(token) = guard.token.take() {
        if let Err(e) = guard.store.complete(&guard.key, &token, stored).await {
            // The write is done and its answer goes to the caller; only the
            // replay is lost (a retry after the marker expires runs again).
            store_error(&guard.metrics, "complete", &*guard.store, &e);
        }
    }
    resp
}

fn replay(r: StoredResponse) -> Response {
    let status = StatusCode::from_u16(r.status).unwrap_or(StatusCode::OK);
    let mut resp = (status, Body::from(r.body)).into_response();
    let h = resp.headers_mut();
    if let Some(ct) = r.content_type.and_then(|c| HeaderValue::from_str(&c).ok()) {
        h.insert(header::CONTENT_TYPE, ct);
    }
    h.insert(REPLAYED, HeaderValue::from_static("true"));
    resp
}

fn refuse(r: Refused) -> Response {
    ApiError::from(r).into_response()
}

fn store_error(metrics: &Metrics, operation: &str, store: &dyn Store, e: &StoreError) {
    metrics
        .idempotency_store_errors
        .with_label_values(&[operation])
        .inc();
    tracing::warn!(store = store.kind(), operation, error = %e, "idempotency store failed");
}

/// Holds a key's in-flight marker; releases it when the answer is not
/// final, and also when the request is dropped (deadline, caller gone).
struct Release {
    store: Arc<dyn Store>,
    key: String,
    token: Option<Token>,
    metrics: Metrics,
}

impl Release {
    async fn release(&mut self) {
        if let Some(token) = self.token.take() {
            if let Err(e) = self.store.abandon(&self.key, &token).await {
                // The marker stays until it expires: retries get 409 till then.
                store_error(&self.metrics, "abandon", &*self.store, &e);
            }
        }
    }
}

impl Drop for Release {
    fn drop(&mut self) {
        let Some(token) = self.token.take() else {
            return;
        };
        let Ok(rt) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let store = self.store.clone();
        let key = std::mem::take(&mut self.key);
        let metrics = self.metrics.clone();
        rt.spawn(async move {
            if let Err(e) = store.abandon(&key, &token).await {
                store_error(&metrics, "abandon", &*store, &e);
            }
        });
    }
}
