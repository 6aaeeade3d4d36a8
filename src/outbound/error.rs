//! `CallError`: what can go wrong on the wire, with no secret in it.

use tower::BoxError;

/// A failed vendor call. Messages never include the URL (it may carry a
/// token) nor the body.
#[derive(Debug, thiserror::Error)]
pub enum CallError {
    #[error("the vendor did not answer in time")]
    Timeout,
    #[error("could not connect to the vendor")]
    Connect,
    #[error("the connection to the vendor failed")]
    Io,
    #[error("the vendor's response body is larger than allowed")]
    BodyTooLarge,
    #[error("the request to the vendor could not be built")]
    BadRequest,
    /// The breaker is open: the backend failed recently.
    #[error("the backend is failing; calls are paused")]
    CircuitOpen { retry_after: std::time::Duration },
    /// Too many calls to this backend in flight.
    #[error("too many calls to the backend in flight")]
    Overloaded,
}

impl CallError {
    /// Converts the boxed errors the tower stack produces.
    pub fn from_boxed(e: BoxError) -> CallError {
        if e.is::<tower::timeout::error::Elapsed>() {
            return CallError::Timeout;
        }
        if e.is::<tower::load_shed::error::Overloaded>() {
            return CallError::Overloaded;
        }
        match e.downcast::<CallError>() {
            Ok(e) => *e,
            Err(_) => CallError::Io,
        }
    }

    /// The `outcome` label of `crossdock_backend_requests_total`.
    pub fn outcome(&self) -> &'static str {
        match self {
            CallError::Timeout => "timeout",
            CallError::Connect => "connect_error",
            CallError::Io => "io_error",
            CallError::BodyTooLarge => "body_too_large",
            CallError::BadRequest => "bad_request",
            CallError::CircuitOpen { .. } => "circuit_open",
            CallError::Overloaded => "overloaded",
        }
    }

    /// The vendor gave no useful answer and may well give one if asked
    /// again (retry policy), and the backend is at fault (breaker).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            CallError::Timeout | CallError::Connect | CallError::Io
        )
    }
}
