//! `VendorFailure`: a vendor response classified by its backend, and what
//! a bare status says ([`VendorFailure::of_status`]).

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

    /// What a status says on its own, read the same way by every vendor:
    /// 2xx is no failure, 401 and 403 refuse the gateway's credentials,
    /// 404 is not found and anything else is the vendor failing. A vendor
    /// reads the statuses it gives more meaning (400, 409, 422 with a
    /// body) before it asks this.
    pub fn of_status(status: StatusCode) -> Result<(), VendorFailure> {
        match status.as_u16() {
            200..=299 => Ok(()),
            401 | 403 => Err(VendorFailure::Credentials(status)),
            404 => Err(VendorFailure::NotFound),
            _ => Err(VendorFailure::Status(status)),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_status_is_read_the_same_by_every_vendor() {
        let of = |n: u16| VendorFailure::of_status(StatusCode::from_u16(n).unwrap());
        assert_eq!(of(200), Ok(()));
        assert_eq!(of(204), Ok(()));
        assert_eq!(
            of(401),
            Err(VendorFailure::Credentials(StatusCode::UNAUTHORIZED))
        );
        assert_eq!(
            of(403),
            Err(VendorFailure::Credentials(StatusCode::FORBIDDEN))
        );
        assert_eq!(of(404), Err(VendorFailure::NotFound));
        assert_eq!(of(302), Err(VendorFailure::Status(StatusCode::FOUND)));
        assert_eq!(
            of(503),
            Err(VendorFailure::Status(StatusCode::SERVICE_UNAVAILABLE))
        );
        assert!(of(500).unwrap_err().is_backend_fault());
    }
}
