//! `CallError`: what can go wrong on the wire, with no secret in it.

use super::TlsFailure;
use std::error::Error as StdError;
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
    /// TLS with the vendor failed. Not transient: a certificate does not
    /// heal on retry. Count it with `Metrics::tls_error(backend,
    /// failure.reason())`.
    #[error("TLS with the vendor failed: {0}")]
    Tls(TlsFailure),
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

    /// Classifies an error of the pooled client (or of reading a body):
    /// TLS first (found anywhere in the chain), then connect, else io.
    pub fn from_client(e: &(dyn StdError + 'static), connecting: bool) -> CallError {
        match TlsFailure::find(e) {
            Some(t) => CallError::Tls(t),
            None if connecting => CallError::Connect,
            None => CallError::Io,
        }
    }

    /// The `outcome` label of `crossdock_backend_requests_total`.
    pub fn outcome(&self) -> &'static str {
        match self {
            CallError::Timeout => "timeout",
            CallError::Connect => "connect_error",
            CallError::Io => "io_error",
            CallError::Tls(_) => "tls_error",
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

    /// The backend is at fault (the breaker counts it): everything but a
    /// request we could not build and our own shedding or pausing.
    pub fn is_backend_fault(&self) -> bool {
        !matches!(
            self,
            CallError::BadRequest | CallError::CircuitOpen { .. } | CallError::Overloaded
        )
    }

    /// The TLS failure, for `crossdock_backend_tls_errors_total`.
    pub fn tls_failure(&self) -> Option<TlsFailure> {
        match self {
            CallError::Tls(t) => Some(*t),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_errors_are_faults_but_not_retried() {
        let e = CallError::Tls(TlsFailure::Untrusted);
        assert_eq!(e.outcome(), "tls_error");
        assert!(!e.is_transient());
        assert!(e.is_backend_fault());
        assert_eq!(e.tls_failure(), Some(TlsFailure::Untrusted));
        assert_eq!(
            e.to_string(),
            "TLS with the vendor failed: the server's TLS certificate is not trusted"
        );
        assert!(!CallError::Overloaded.is_backend_fault());
        assert!(CallError::Connect.is_backend_fault());
    }

    #[test]
    fn client_errors_are_classified() {
        let tls = std::io::Error::other(rustls::Error::InvalidCertificate(
            rustls::CertificateError::Expired,
        ));
        assert!(matches!(
            CallError::from_client(&tls, true),
            CallError::Tls(TlsFailure::Expired)
        ));
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert!(matches!(
            CallError::from_client(&refused, true),
            CallError::Connect
        ));
        assert!(matches!(
            CallError::from_client(&refused, false),
            CallError::Io
        ));
    }
}
