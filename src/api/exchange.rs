//! One vendor exchange: leave from the backend's breaker, send through the
//! outbound stack, let the backend classify and decode, report the
//! classified outcome to the breaker, record metrics and log, map failures
//! to problems.

use super::problem::ApiError;
use super::{AppState, Target};
use crate::backends::VendorFailure;
use crate::outbound::{CallError, VendorRequest, VendorResponse};
use http::HeaderValue;
use std::time::Instant;
use tracing::Span;

pub async fn exchange<T>(
    state: &AppState,
    target: &Target,
    req: VendorRequest,
    request_id: Option<&HeaderValue>,
    decode: impl FnOnce(&VendorResponse) -> Result<T, VendorFailure>,
) -> Result<T, ApiError> {
    let mut req = req;
    if target.backend.forwards_idempotency_key() && !req.method.is_safe() {
        if let Some(k) = crate::idempotency::middleware::vendor_key() {
            req.headers.insert("idempotency-key", k);
        }
    }
    let op = req.operation;
    let name = target.name;
    Span::current().record("backend", name);
    let start = Instant::now();
    let permit = match target.outbound.admit() {
        Ok(p) => p,
        Err(e) => {
            state
                .metrics
                .backend_call(name, op, e.outcome(), start.elapsed());
            return Err(call_error(name, e));
        }
    };
    let result = target.outbound.call(req, request_id).await;
    let took = start.elapsed();
    let resp = match result {
        Ok(r) => r,
        Err(e) => {
            // Shedding says nothing about the backend's health.
            if !matches!(e, CallError::Overloaded) {
                permit.record(true);
            }
            state.metrics.backend_call(name, op, e.outcome(), took);
            tracing::warn!(backend = name, operation = op, error = %e, "backend call failed");
            return Err(call_error(name, e));
        }
    };
    let decoded = decode(&resp);
    permit.record(matches!(&decoded, Err(f) if f.is_backend_fault()));
    let outcome = match &decoded {
        Ok(_) => "success",
        Err(f) => f.outcome(),
    };
    state.metrics.backend_call(name, op, outcome, took);
    decoded.map_err(|f| {
        if let VendorFailure::Unreadable(why) = &f {
            state.metrics.translation_error(name, "response");
            tracing::warn!(backend = name, operation = op, status = resp.status.as_u16(), reason = %why, "vendor response unreadable");
        } else if f.is_backend_fault() {
            tracing::warn!(backend = name, operation = op, status = resp.status.as_u16(), "backend failed");
        }
        f.into_api_error(name)
    })
}

/// The problem for a call that got no usable answer.
fn call_error(backend: &str, e: CallError) -> ApiError {
    match e {
        CallError::Timeout => ApiError::gateway_timeout(backend),
        CallError::CircuitOpen { retry_after } => {
            let mut p = ApiError::new(
                http::StatusCode::SERVICE_UNAVAILABLE,
                "circuit-open",
                "the backend failed repeatedly; calls to it are paused",
            )
            .backend(backend);
            p.retry_after = Some(retry_after.as_secs().max(1));
            p
        }
        CallError::Overloaded => {
            let mut p = ApiError::new(
                http::StatusCode::SERVICE_UNAVAILABLE,
                "overloaded",
                "too many calls to the backend are in flight",
            )
            .backend(backend);
            p.retry_after = Some(1);
            p
        }
        e => ApiError::bad_gateway(backend, e.to_string()),
    }
}
