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
