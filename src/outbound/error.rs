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
}

impl CallError {
    /// Converts the boxed errors the tower stack produces.
    pub fn from_boxed(e: BoxError) -> CallError {
        if e.is::<tower::timeout::error::Elapsed>() {
            return CallError::Timeout;
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
        }
    }
}
