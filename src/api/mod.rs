//! The inbound side: the unified API router and its layers, and the admin
//! listener.
//!
//! One place per job: [`state`] (what a request reads), the middleware
//! ([`middleware`]: problems, metrics, API keys; [`idempotency`]), the body
//! ([`body`]), the handlers (one file per resource, thin), the write flow
//! every write goes through (`write.rs`), and the two files where errors
//! become answers (`refused.rs`: the gateway's own refusals; [`failed`]:
//! failures at backends), rendered by [`problem`].

pub mod admin;
pub mod body;
pub mod compress;
pub mod cors;
mod customer_groups;
pub mod customers;
pub mod envelope;
pub mod failed;
mod failed_keys;
pub mod idempotency;
pub mod middleware;
mod numbers;
mod path_id;
pub mod problem;
mod query;
pub mod rate_limit;
mod refused;
mod request_id;
pub mod state;
pub mod tenants;
mod unique_json;
mod vehicle_categories;
mod write;

pub use failed_keys::FailedKeys;
pub use rate_limit::{RateLimiter, RedisLimits};
pub use state::{AppState, Limits, ResourceRoute, Target, Tenant};

use crate::config::Resource;
use axum::extract::{ConnectInfo, MatchedPath, Request};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Router;
use problem::ApiError;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::map_request_body::MapRequestBodyLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use tracing::field::Empty;
use tracing::Span;

/// Every route of [`router`], as (method, path template). Keep it in step
/// with the router: a unit test below checks that the router answers each
/// entry (and no other method on its path), and `tests/it/openapi.rs` checks
/// that `openapi/openapi.json` documents exactly these.
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/v1/customer-groups/{id}"),
    ("PUT", "/v1/customer-groups/{id}"),
    ("POST", "/v1/customer-groups"),
    ("PUT", "/v1/customers/{id}"),
    ("GET", "/v1/vehicle-categories"),
    ("POST", "/v1/vehicle-categories"),
    ("GET", "/v1/vehicle-categories/leaves"),
    ("GET", "/v1/vehicle-categories/{id}"),
    ("PUT", "/v1/vehicle-categories/{id}"),
    ("DELETE", "/v1/vehicle-categories/{id}"),
    ("GET", "/v1/vehicle-categories/{id}/tree"),
    ("GET", "/v1/vehicle-categories/{id}/images"),
    ("PUT", "/v1/vehicle-categories/{id}/image"),
    ("PUT", "/v1/vehicle-categories/{id}/thumbnail"),
    ("GET", "/v1/vehicle-categories/{id}/vehicles"),
    ("GET", "/v1/vehicle-categories/{id}/descendant-vehicles"),
    ("GET", "/openapi.json"),
];

/// The OpenAPI 3.1 document of the unified API, built into the binary.
pub const OPENAPI_JSON: &str = include_str!("../../openapi/openapi.json");

/// The unified API with its layers, outermost first: request id (kept or
/// made, echoed, sent on to vendors), trace span, metrics and problem+json
/// rendering (one middleware), body limit, deadline; API keys on `/v1`
/// routes.
pub fn router(state: Arc<AppState>) -> Router {
    let groups = Router::new()
        .route(
            "/v1/customer-groups/{id}",
            get(customer_groups::get).put(customer_groups::put),
        )
        .route("/v1/customer-groups", post(customer_groups::create));
    let customer_routes = Router::new().route("/v1/customers/{id}", put(customers::put));
    // `leaves` is a static segment: axum matches it before `{id}`.
    let categories = Router::new()
        .route(
            "/v1/vehicle-categories",
            get(vehicle_categories::tree).post(vehicle_categories::create),
        )
        .route(
            "/v1/vehicle-categories/leaves",
            get(vehicle_categories::leaves),
        )
        .route(
            "/v1/vehicle-categories/{id}",
            get(vehicle_categories::get)
                .put(vehicle_categories::put)
                .delete(vehicle_categories::delete),
        )
        .route(
            "/v1/vehicle-categories/{id}/tree",
            get(vehicle_categories::subtree),
        )
        .route(
            "/v1/vehicle-categories/{id}/images",
            get(vehicle_categories::images),
        )
        .route(
            "/v1/vehicle-categories/{id}/image",
            put(vehicle_categories::put_image),
        )
        .route(
            "/v1/vehicle-categories/{id}/thumbnail",
            put(vehicle_categories::put_thumbnail),
        )
        .route(
            "/v1/vehicle-categories/{id}/vehicles",
            get(vehicle_categories::vehicles),
        )
        .route(
            "/v1/vehicle-categories/{id}/descendant-vehicles",
            get(vehicle_categories::descendant_vehicles),
        );
    let v1 = Router::new()
        .merge(deadline(
            groups,
            state.routes.get(&Resource::CustomerGroups),
        ))
        .merge(deadline(
            customer_routes,
            state.routes.get(&Resource::Customers),
        ))
        .merge(deadline(
            categories,
            state.routes.get(&Resource::VehicleCategories),
        ))
        // Innermost first: the idempotency check runs after the API key
        // check (it needs the caller's tenant, and refuses nothing before
        // the caller is known), inside the deadline.
        .route_layer(idempotency::IdempotencyLayer(state.clone()));
    // Without keys the check has nothing to do: no layer, one boxed future
    // and route clone less per request (docs/benchmarks.md).
    let v1 = if state.api_keys.is_some() {
        v1.route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::api_key,
        ))
    } else {
        v1
    }
    // Added after the API-key layer, so it needs no key.
    .route("/openapi.json", get(openapi_json));
    let min = state.compress_min_bytes;
    // tower-http's compression, skipped by requests without an
    // `Accept-Encoding` (`compress.rs`: its answer type is ~6 KB).
    let compress = compress::CompressWhenAskedLayer::new(
        SizeAbove::new(min.max(1))
            .and(NotForContentType::IMAGES)
            .and(
                move |_: http::StatusCode,
                      _: http::Version,
                      _: &http::HeaderMap,
                      _: &http::Extensions| min > 0,
            ),
    );
    let layers = ServiceBuilder::new()
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(compress)
        // W3C trace context, outside the trace layer: its span's parent.
        .layer(crate::trace::TraceContextLayer)
        .layer(
            TraceLayer::new_for_http()
                .make_span_with({
                    let tenant = state.tenant.clone();
                    move |req: &Request| make_span(req, &tenant)
                })
                .on_request(())
                .on_response(on_response)
                .on_failure(()),
        )
        .layer(middleware::TrackLayer(state.clone()))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            state.limits.body_bytes,
        ))
        // Inside the limit: the limit counts the bytes sent, the body
        // reader (`JsonBody`) the bytes decompressed, so a decompression
        // bomb is a 413 too.
        .layer(RequestDecompressionLayer::new())
        .layer(tower::util::MapFutureLayer::new({
            let timeout = state.request_timeout;
            move |fut| within_deadline(timeout, fut)
        }))
        .layer(MapRequestBodyLayer::new(axum::body::Body::new));
    let router = v1
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(layers);
    // CORS outermost (its preflight answers need an empty default body),
    // with the request id set before it so they carry one too.
    let router = match state.cors.clone() {
        Some(cors) => router.layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(cors),
        ),
        None => router,
    };
    router.with_state(state)
}

/// A resource's own deadline (`routes.<resource>.timeout_ms`), inside the
/// whole request's: 504, rendered as a problem by `Track`, and like it a
/// deadline the backend's breaker sees ([`within_deadline`]).
fn deadline(routes: Router<Arc<AppState>>, route: Option<&ResourceRoute>) -> Router<Arc<AppState>> {
    match route.and_then(|r| r.timeout) {
        Some(t) => routes.route_layer(tower::util::MapFutureLayer::new(move |fut| {
            within_deadline(t, fut)
        })),
        None => routes,
    }
}

/// The whole-request deadline (`server.request_timeout_ms`): 504 once it
/// passes (rendered as a problem by [`middleware::Track`]). The request
/// runs under the same instant as its deadline
/// ([`crate::outbound::with_deadline`]), so a backend call it cuts short
/// counts as that backend's timeout. Like tower-http's `Timeout`, with
/// the deadline shared; no box.
fn within_deadline<B: Default, E>(
    timeout: Duration,
    fut: impl std::future::Future<Output = Result<Response<B>, E>>,
) -> impl std::future::Future<Output = Result<Response<B>, E>> {
    let at = tokio::time::Instant::now() + timeout;
    async move {
        match tokio::time::timeout_at(at, crate::outbound::with_deadline(at, fut)).await {
            Ok(r) => r,
            Err(_) => {
                let mut resp = Response::new(B::default());
                *resp.status_mut() = http::StatusCode::GATEWAY_TIMEOUT;
                Ok(resp)
            }
        }
    }
}

async fn openapi_json() -> Response {
    (
        [(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/json"),
        )],
        OPENAPI_JSON,
    )
        .into_response()
}

async fn not_found() -> ApiError {
    ApiError::from_status(http::StatusCode::NOT_FOUND)
}

async fn method_not_allowed() -> ApiError {
    ApiError::from_status(http::StatusCode::METHOD_NOT_ALLOWED)
}

/// The request's span: what the access line (`request finished`) and every
/// line logged while handling it carry. The path is the unified API's,
/// without the query string (it may hold ids); no header but the user
/// agent is logged (keys and tokens travel in headers).
fn make_span(req: &Request, tenant: &str) -> Span {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str())
        .unwrap_or("unmatched");
    let rid = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let span = tracing::info_span!(
        "request",
        method = %req.method(),
        route,
        path = req.uri().path(),
        request_id = rid,
        tenant,
        client = Empty,
        user_agent = Empty,
        backend = Empty,
        status = Empty,
        bytes = Empty,
        latency_ms = Empty,
    );
    // Set by the listener (src/server.rs); absent when a router is called
    // directly (tests).
    if let Some(ConnectInfo(peer)) = req.extensions().get::<ConnectInfo<SocketAddr>>() {
        span.record("client", tracing::field::display(peer.ip()));
    }
    if let Some(ua) = req.headers().get(http::header::USER_AGENT) {
        span.record(
            "user_agent",
            String::from_utf8_lossy(ua.as_bytes()).as_ref(),
        );
    }
    crate::trace::otlp::link_request_span(&span, req);
    span
}

fn on_response(resp: &Response, latency: Duration, span: &Span) {
    span.record("status", resp.status().as_u16());
    // The body's size: its Content-Length, or what a body of known size
    // says (the body is not sent yet).
    let bytes = resp
        .headers()
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
        .or_else(|| http_body::Body::size_hint(resp.body()).exact());
    if let Some(bytes) = bytes {
        span.record("bytes", bytes);
    }
    span.record("latency_ms", latency.as_secs_f64() * 1000.0);
    tracing::info!(parent: span, "request finished");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::Metrics;
    use http::{Method, StatusCode};
    use std::sync::atomic::AtomicBool;
    use tower::ServiceExt;

    /// A state that routes no resource: every `/v1` handler answers 400,
    /// 415 or 501, so any 404 or 405 can only come from the router.
    fn state() -> Arc<AppState> {
        Arc::new(AppState {
            idempotency: crate::idempotency::Idempotency {
                store: Arc::new(crate::idempotency::MemoryStore::new(
                    10,
                    Duration::from_secs(60),
                    Duration::from_secs(60),
                )),
            },
            tenant: "default".into(),
            rate_limiter: None,
            failed_keys: Arc::new(FailedKeys::new(
                &crate::config::AuthConfig::default().failed_keys,
            )),
            metrics: Metrics::new(),
            limits: Limits {
                body_bytes: 1 << 20,
                depth: 32,
                list_len: 100,
            },
            request_timeout: Duration::from_secs(5),
            api_keys: None,
            routes: std::collections::BTreeMap::new(),
            ready: AtomicBool::new(true),
            cors: None,
            compress_min_bytes: 1024,
        })
    }

    async fn status(method: &str, path: &str) -> StatusCode {
        let req = Request::builder()
            .method(method)
            .uri(path.replace("{id}", "1"))
            .header("host", "gw")
            .body(axum::body::Body::empty())
            .unwrap();
        router(state()).oneshot(req).await.unwrap().status()
    }

    #[tokio::test]
    async fn the_router_answers_every_listed_route() {
        for (method, path) in ROUTES {
            let s = status(method, path).await;
            assert!(
                s != StatusCode::NOT_FOUND && s != StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path}: {s}"
            );
        }
    }

    #[tokio::test]
    async fn the_list_has_every_method_of_its_paths() {
        for (_, path) in ROUTES {
            for m in [
                Method::GET,
                Method::PUT,
                Method::POST,
                Method::DELETE,
                Method::PATCH,
            ] {
                if ROUTES.contains(&(m.as_str(), path)) {
                    continue;
                }
                assert_eq!(
                    status(m.as_str(), path).await,
                    StatusCode::METHOD_NOT_ALLOWED,
                    "{m} {path} is answered but not in ROUTES"
                );
            }
        }
    }

    #[tokio::test]
    async fn openapi_json_is_served_without_a_key() {
        let mut s = state();
        Arc::get_mut(&mut s).unwrap().api_keys = Some(vec![crate::config::Secret::new("k")]);
        let req = Request::builder()
            .uri("/openapi.json")
            .header("host", "gw")
            .body(axum::body::Body::empty())
            .unwrap();
        let resp = router(s).oneshot(req).await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(resp.headers()["content-type"], "application/json");
    }
}
