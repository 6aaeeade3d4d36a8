//! `VendorFailure`: a vendor response classified by its backend.

use crate::api::problem::{ApiError, ErrorItem};
use http::StatusCode;

/// Why a vendor call did not succeed, as the vendor's own backend reads it.
#[derive(Debug, Clone, PartialEq)]
pub enum VendorFailure {
    /// The vendor says the data is invalid (422).
    Invalid(Vec<ErrorItem>),
    /// The vendor says the thing does not exist (404).
    NotFound,
    /// The vendor reports a conflict (409).
    Conflict(Vec<ErrorItem>),
    /// The vendor refused the gateway's own credentials (502, never 401).
    Credentials(StatusCode),
    /// The vendor failed (5xx) or answered a status it should not (502).
    Status(StatusCode),
    /// The body could not be read or translated (502); a short,
    /// secret-free reason.
    Unreadable(String),
    /// The vendor refused with a verdict the gateway does not know (an
    /// unknown fleet-admin `err_*` code): 502, the vendor's code in `errors`.
    UnknownVerdict(Vec<ErrorItem>),
    /// The unified request cannot be expressed in this vendor's types (a
    /// non-GUID id for a Guid-typed member): found while encoding, so
    /// nothing was sent. 400, each item naming its unified `field`.
    Unsendable(Vec<ErrorItem>),
}

impl VendorFailure {
    /// The `outcome` label of `crossdock_backend_requests_total`.
    pub fn outcome(&self) -> &'static str {
        match self {
            VendorFailure::Invalid(_) => "invalid",
            VendorFailure::NotFound => "not_found",
            VendorFailure::Conflict(_) => "conflict",
            VendorFailure::Credentials(_) => "credentials_refused",
            VendorFailure::Status(_) => "server_error",
            VendorFailure::Unreadable(_) => "unreadable",
            VendorFailure::UnknownVerdict(_) => "unknown_verdict",
            VendorFailure::Unsendable(_) => "unsendable",
        }
    }

    /// Whether the backend itself failed (as opposed to saying no to the
    /// data): feeds breakers and error-rate alerts. An unknown verdict is a
    /// healthy vendor saying no, so it is not a fault; nor is a request that
    /// could not be sent (`Unsendable`): the caller's data is at fault.
    pub fn is_backend_fault(&self) -> bool {
        matches!(
            self,
            VendorFailure::Credentials(_) | VendorFailure::Status(_) | VendorFailure::Unreadable(_)
        )
    }

    /// The unified error, as the spec's status table says.
    pub fn into_api_error(self, backend: &str) -> ApiError {
        match self {
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

/// The error item of a unified id that a Guid-typed vendor member cannot
/// hold: code `not_a_guid`, naming `field`.
pub fn not_a_guid(backend: &str, field: impl Into<String>) -> ErrorItem {
    let field = field.into();
    ErrorItem::new(
        "not_a_guid",
        format!(
            "{field} must be a GUID for {backend} (32 hex digits, optionally hyphenated 8-4-4-4-12)"
        ),
    )
    .field(field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsendable_is_the_callers_400_naming_backend_and_fields() {
        let f = VendorFailure::Unsendable(vec![not_a_guid("vehizen", "vehicles[1].id")]);
        assert_eq!(f.outcome(), "unsendable");
        assert!(!f.is_backend_fault());
        let e = f.into_api_error("vehizen");
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
