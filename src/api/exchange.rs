//! One vendor exchange: send through the outbound stack, let the backend
//! classify and decode, record metrics and log, map failures to problems.

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
    let op = req.operation;
    let name = target.name;
    Span::current().record("backend", name);
    let start = Instant::now();
    let result = target.outbound.call(req, request_id).await;
    let took = start.elapsed();
    let resp = match result {
        Ok(r) => r,
        Err(e) => {
            state.metrics.backend_call(name, op, e.outcome(), took);
            tracing::warn!(backend = name, operation = op, error = %e, "backend call failed");
            return Err(match e {
                CallError::Timeout => ApiError::gateway_timeout(name),
                e => ApiError::bad_gateway(name, e.to_string()),
            });
        }
    };
    let decoded = decode(&resp);
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
