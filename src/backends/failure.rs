//! `VendorFailure`: a vendor response classified by its backend.

use crate::outbound::Verdict;
use crate::unified::ErrorItem;
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
}

impl Verdict for VendorFailure {
    fn outcome(&self) -> &'static str {
        VendorFailure::outcome(self)
    }

    fn is_backend_fault(&self) -> bool {
        VendorFailure::is_backend_fault(self)
    }

    fn unreadable(&self) -> Option<&str> {
        match self {
            VendorFailure::Unreadable(why) => Some(why),
            _ => None,
        }
    }
}
