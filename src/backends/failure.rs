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
        }
    }

    /// Whether the backend itself failed (as opposed to saying no to the
    /// data): feeds breakers and error-rate alerts. An unknown verdict is a
    /// healthy vendor saying no, so it is not a fault.
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
        }
    }
}
