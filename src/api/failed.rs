//! How a failed vendor exchange becomes a problem, in one place: the
//! outbound side says what happened ([`Failed`]: no usable answer, or the
//! backend's verdict on the answer), this file says what the caller hears,
//! as the spec's status table says.

use super::problem::ApiError;
use crate::backends::VendorFailure;
use crate::outbound::{AuthError, CallError, ExchangeError, Failed};
use crate::unified::ErrorItem;
use http::StatusCode;

impl From<Failed<VendorFailure>> for ApiError {
    fn from(f: Failed<VendorFailure>) -> ApiError {
        match f.error {
            ExchangeError::Call(e) => call_error(f.backend, e),
            ExchangeError::Vendor(v) => vendor_error(f.backend, v),
            ExchangeError::Auth(e) => auth_error(f.backend, &e),
        }
    }
}

/// The problem for a vendor answer its backend read as a failure, or a
/// request the backend refused to build.
pub fn vendor_error(backend: &str, failure: VendorFailure) -> ApiError {
    match failure {
        VendorFailure::Invalid(errors) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "vendor-rejected",
            "the backend says the data is invalid",
        )
        .backend(backend)
        .errors(errors),
        VendorFailure::NotFound => {
            ApiError::not_found("the backend has no such resource").backend(backend)
        }
        VendorFailure::Conflict(errors) => ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            "the backend reports a conflict",
        )
        .backend(backend)
        .errors(errors),
        VendorFailure::Credentials(s) => ApiError::bad_gateway(
            backend,
            format!(
                "the backend refused the gateway's credentials ({})",
                s.as_u16()
            ),
        ),
        VendorFailure::Status(s) => {
            ApiError::bad_gateway(backend, format!("the backend failed ({})", s.as_u16()))
        }
        VendorFailure::Unreadable(why) => ApiError::bad_gateway(
            backend,
            format!("the backend's response could not be read: {why}"),
        ),
        VendorFailure::UnknownVerdict(errors) => ApiError::bad_gateway(
            backend,
            "the backend refused the request with a code the gateway does not know",
        )
        .errors(errors),
        VendorFailure::Unsendable(errors) => ApiError::bad_request(
            format!("the request cannot be expressed in {backend}'s types; nothing was sent"),
            errors,
        )
        .backend(backend),
    }
}

/// The problem for a backend whose token endpoint gave no token: 502, the
/// gateway's own credentials are at stake, never the caller's.
fn auth_error(backend: &str, e: &AuthError) -> ApiError {
    let mut p = ApiError::new(
        StatusCode::BAD_GATEWAY,
        "vendor-auth-failed",
        format!("the gateway could not get a token for {backend}: {e}"),
    )
    .backend(backend)
    .errors(vec![ErrorItem::new(
        "vendor_auth_failed",
        format!("no token for {backend}: {e}"),
    )]);
    let mut extra = serde_json::Map::new();
    extra.insert("code".into(), "vendor_auth_failed".into());
    p.extra = Some(extra);
    p
}

/// The problem for a call that got no usable answer.
fn call_error(backend: &str, e: CallError) -> ApiError {
    match e {
        CallError::Timeout => ApiError::gateway_timeout(backend),
        CallError::CircuitOpen { retry_after } => {
            let mut p = ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "circuit-open",
                "the backend failed repeatedly; calls to it are paused",
            )
            .backend(backend);
            p.retry_after = Some(retry_after.as_secs().max(1));
            p
        }
        CallError::Overloaded => {
            let mut p = ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backends::not_a_guid;

    #[test]
    fn unsendable_is_the_callers_400_naming_backend_and_fields() {
        let f = VendorFailure::Unsendable(vec![not_a_guid("vehizen", "vehicles[1].id")]);
        assert_eq!(f.outcome(), "unsendable");
        assert!(!f.is_backend_fault());
        let e = vendor_error("vehizen", f);
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        assert_eq!(e.kind, "invalid-request");
        assert_eq!(e.backend.as_deref(), Some("vehizen"));
        assert_eq!(e.errors[0].field.as_deref(), Some("vehicles[1].id"));
        assert!(e.detail.contains("nothing was sent"), "{}", e.detail);
        assert_eq!(e.errors[0].code, "not_a_guid");
        assert_eq!(
            e.errors[0].message,
            "vehicles[1].id must be a GUID for vehizen (32 hex digits, optionally hyphenated 8-4-4-4-12)"
        );
    }
}
