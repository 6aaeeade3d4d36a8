//! Failures at a backend, and what the caller hears for each, in one place:
//! the outbound side says what happened ([`Failed`]: no usable answer, or
//! the backend's verdict on the answer), a backend may refuse to build a
//! request ([`VendorFailure::Unsendable`], [`ImageRefusal`]), a write to
//! several backends may fail at some ([`WriteFailed`]); the one `From` impl
//! per type below says what the caller hears, as the spec's status table
//! says. The gateway's own refusals are `refused.rs`'s.

use super::problem::{ApiError, ErrorItem};
use crate::backends::{ImageRefusal, VendorFailure};
use crate::outbound::{AuthError, CallError, ExchangeError, Failed};
use http::StatusCode;

/// An error at the backend named `backend`.
#[derive(Debug)]
pub struct At<E> {
    pub backend: &'static str,
    pub error: E,
}

impl From<Failed<VendorFailure>> for ApiError {
    fn from(f: Failed<VendorFailure>) -> ApiError {
        let backend = f.backend;
        match f.error {
            ExchangeError::Call(error) => At { backend, error }.into(),
            ExchangeError::Vendor(error) => At { backend, error }.into(),
            ExchangeError::Auth(error) => At { backend, error }.into(),
        }
    }
}

/// The problem for `failure` at `backend` ([`At<VendorFailure>`]).
pub fn vendor_error(backend: &'static str, failure: VendorFailure) -> ApiError {
    At {
        backend,
        error: failure,
    }
    .into()
}

/// A vendor answer its backend read as a failure, or a request the backend
/// refused to build.
impl From<At<VendorFailure>> for ApiError {
    fn from(At { backend, error }: At<VendorFailure>) -> ApiError {
        match error {
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
}

/// A backend whose token endpoint gave no token: 502, the gateway's own
/// credentials are at stake, never the caller's.
impl From<At<AuthError>> for ApiError {
    fn from(At { backend, error: e }: At<AuthError>) -> ApiError {
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
}

/// A call that got no usable answer.
impl From<At<CallError>> for ApiError {
    fn from(At { backend, error }: At<CallError>) -> ApiError {
        match error {
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
}

/// An image the backend refused before anything was sent.
impl From<At<ImageRefusal>> for ApiError {
    fn from(At { backend, error }: At<ImageRefusal>) -> ApiError {
        match error {
            ImageRefusal::Invalid(why) => ApiError::bad_request(
                "the image is not valid base64",
                vec![ErrorItem::new("invalid_base64", why).field("image")],
            ),
            e @ ImageRefusal::TooLarge { .. } => ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload-too-large",
                "the image is larger than the backend accepts",
            )
            .backend(backend)
            .errors(vec![
                ErrorItem::new("image_too_large", e.to_string()).field("image")
            ]),
        }
    }
}

/// A write to several backends that failed at some (or all) of them.
#[derive(Debug)]
pub struct WriteFailed {
    /// Every backend with how its part went (`results[]`), in route order.
    pub results: serde_json::Value,
    /// The backends that stored the write.
    pub stored: Vec<&'static str>,
    /// The backends that failed, with their problems' details.
    pub failed: Vec<(&'static str, String)>,
}

/// 502 `backend-write-failed`: `results` names the backends that stored
/// the write, with each failure's own problem as its `error`; never
/// reported as a success.
impl From<WriteFailed> for ApiError {
    fn from(w: WriteFailed) -> ApiError {
        let total = w.stored.len() + w.failed.len();
        let detail = if w.stored.is_empty() {
            format!(
                "no backend stored the write ({} of {total} failed); results says how each went",
                w.failed.len(),
            )
        } else {
            format!(
                "{} of {total} backends failed; the write was stored at {} only; results says how each went",
                w.failed.len(),
                w.stored.join(", ")
            )
        };
        let errors = w
            .failed
            .iter()
            .map(|(name, detail)| ErrorItem::new("backend_failed", format!("{name}: {detail}")))
            .collect();
        let mut e =
            ApiError::new(StatusCode::BAD_GATEWAY, "backend-write-failed", detail).errors(errors);
        if let [(name, _)] = w.failed.as_slice() {
            e = e.backend(*name);
        }
        let mut extra = serde_json::Map::new();
        extra.insert("results".into(), w.results);
        e.extra = Some(extra);
        e
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
