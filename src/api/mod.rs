//! The inbound side: the unified API router and its layers, and the admin
//! listener.

pub mod admin;
pub mod body;
mod customer_groups;
pub mod customers;
pub mod envelope;
mod exchange;
pub mod fanout;
pub mod middleware;
pub mod problem;
mod vehicle_categories;

use crate::backends::Backend;
use crate::metrics::Metrics;
use crate::outbound::Outbound;
use axum::extract::{MatchedPath, Request};
use axum::response::Response;
use axum::routing::{get, post, put};
use axum::Router;
use body::Limits;
use problem::ApiError;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::map_request_body::MapRequestBodyLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tracing::field::Empty;
use tracing::Span;

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
}

/// Everything a request needs; built once from the config.
pub struct AppState {
    pub metrics: Metrics,
    pub limits: Limits,
    pub request_timeout: Duration,
    pub api_keys: Option<Vec<crate::config::Secret>>,
    pub customer_groups: Option<ResourceRoute>,
    pub customers: Option<ResourceRoute>,
    pub vehicle_categories: Option<ResourceRoute>,
    /// Where `Idempotency-Key` answers are kept.
    pub idempotency: crate::idempotency::Idempotency,
    /// False while draining, for `/readyz`.
    pub ready: AtomicBool,
}

impl AppState {
    /// The route of a resource, or 501 when the config routes it nowhere.
    fn route<'a>(
        &self,
        r: &'a Option<ResourceRoute>,
        what: &str,
    ) -> Result<&'a ResourceRoute, ApiError> {
        r.as_ref().ok_or_else(|| {
            ApiError::new(
                http::StatusCode::NOT_IMPLEMENTED,
                "not-routed",
                format!("no backend is configured for {what}"),
            )
        })
    }
}

/// The unified API with its layers, outermost first: request id (kept or
/// made, echoed, sent on to vendors), trace span, metrics, problem+json
/// rendering, body limit, deadline; API keys on `/v1` routes.
pub fn router(state: Arc<AppState>) -> Router {
    let v1 = Router::new()
        .route(
            "/v1/customer-groups/{id}",
            get(customer_groups::get).put(customer_groups::put),
        )
        .route("/v1/customer-groups", post(customer_groups::create))
        .route("/v1/customers/{id}", put(customers::put))
        // `leaves` is a static segment: axum matches it before `{id}`.
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
        )
        // Innermost first: the idempotency check runs after the API key
        // check (it needs the caller's tenant, and refuses nothing before
        // the caller is known), inside the deadline.
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::idempotency::middleware::idempotency,
        ))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::api_key,
        ));
    let layers = ServiceBuilder::new()
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(make_span)
                .on_request(())
                .on_response(on_response)
                .on_failure(()),
        )
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::track,
        ))
        .layer(axum::middleware::from_fn(middleware::problems))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            state.limits.body_bytes,
        ))
        .layer(TimeoutLayer::with_status_code(
            http::StatusCode::GATEWAY_TIMEOUT,
            state.request_timeout,
        ))
        .layer(MapRequestBodyLayer::new(axum::body::Body::new));
    v1.fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(layers)
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::from_status(http::StatusCode::NOT_FOUND)
}

async fn method_not_allowed() -> ApiError {
    ApiError::from_status(http::StatusCode::METHOD_NOT_ALLOWED)
}

fn make_span(req: &Request) -> Span {
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
    tracing::info_span!(
        "request",
        method = %req.method(),
        route,
        request_id = rid,
        backend = Empty,
        status = Empty,
        latency_ms = Empty,
    )
}

fn on_response(resp: &Response, latency: Duration, span: &Span) {
    span.record("status", resp.status().as_u16());
    span.record("latency_ms", latency.as_secs_f64() * 1000.0);
    tracing::info!(parent: span, "request finished");
}
