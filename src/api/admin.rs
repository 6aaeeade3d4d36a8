//! The admin listener: `/metrics`, `/healthz`, `/readyz`, and the
//! dashboard (`/`, `/dashboard.css`, `/dashboard.js`, `/dashboard.json`).

use super::AppState;
use crate::dashboard::{self, Dashboard};
use axum::extract::State;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use http::{header, StatusCode};
use std::sync::atomic::Ordering;
use std::sync::Arc;

pub fn router(state: Arc<AppState>, dashboard: Arc<Dashboard>) -> Router {
    let pages = Router::new()
        .route("/", get(page))
        .route("/dashboard.css", get(style))
        .route("/dashboard.js", get(script))
        .route("/dashboard.json", get(overview))
        .with_state(dashboard);
    Router::new()
        .route("/metrics", get(metrics))
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(ready))
        .with_state(state)
        .merge(pages)
}

async fn metrics(State(s): State<Arc<AppState>>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, prometheus::TEXT_FORMAT)],
        s.metrics.render(),
    )
}

async fn ready(State(s): State<Arc<AppState>>) -> impl IntoResponse {
    if s.ready.load(Ordering::Relaxed) {
        (StatusCode::OK, "ready\n")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "draining\n")
    }
}

/// The page loads nothing but its own style, script and JSON.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

async fn page() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, CSP),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        dashboard::PAGE,
    )
}

async fn style() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        dashboard::STYLE,
    )
}

async fn script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        dashboard::SCRIPT,
    )
}

async fn overview(State(d): State<Arc<Dashboard>>) -> impl IntoResponse {
    ([(header::CACHE_CONTROL, "no-store")], Json(d.overview()))
}
