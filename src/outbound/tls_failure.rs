//! `TlsFailure`: why a TLS connection to a vendor failed, in the four
//! reasons an operator acts on differently (add the vendor's CA, chase an
//! expired certificate, fix the base URL's host, or look at the protocol
//! and client certificate).
//!
//! The reason is found by walking an error's chain down to the
//! `rustls::Error` inside it. The walk also opens `std::io::Error`s by
//! `get_ref`: tokio-rustls and hyper-rustls wrap rustls errors in io errors,
//! and `io::Error::source` skips the error it wraps.

use std::error::Error as StdError;

/// A failed TLS handshake (or a peer's alert right after one), classified.
/// Carries no certificate data: names in a certificate are the vendor's,
/// not ours to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TlsFailure {
    /// The chain does not lead to a trusted root (unknown issuer, bad
    /// signature, revoked, not meant for servers).
    Untrusted,
    /// The certificate has expired or is not valid yet.
    Expired,
    /// The certificate is not valid for the host the base URL names.
    WrongHost,
    /// Anything else: no common protocol version or cipher, the vendor
    /// refused our client certificate, a malformed message.
    Handshake,
}

/// How deep the chain walk goes (errors nest a handful of levels).
const MAX_DEPTH: usize = 16;

impl TlsFailure {
    /// The `reason` label of `crossdock_backend_tls_errors_total`.
    pub fn reason(self) -> &'static str {
        match self {
            TlsFailure::Untrusted => "untrusted",
            TlsFailure::Expired => "expired",
            TlsFailure::WrongHost => "wrong_host",
            TlsFailure::Handshake => "handshake",
        }
    }

    /// The failure a rustls error stands for.
    pub fn from_rustls(e: &rustls::Error) -> TlsFailure {
        use rustls::CertificateError as C;
        match e {
            rustls::Error::InvalidCertificate(c) => match c {
                C::UnknownIssuer
                | C::BadSignature
                | C::UnsupportedSignatureAlgorithmContext { .. }
                | C::UnsupportedSignatureAlgorithmForPublicKeyContext { .. }
                | C::Revoked
                | C::UnknownRevocationStatus
                | C::ExpiredRevocationList
                | C::ExpiredRevocationListContext { .. }
                | C::InvalidPurpose
                | C::InvalidPurposeContext { .. } => TlsFailure::Untrusted,
                C::Expired
                | C::ExpiredContext { .. }
                | C::NotValidYet
                | C::NotValidYetContext { .. } => TlsFailure::Expired,
                C::NotValidForName | C::NotValidForNameContext { .. } => TlsFailure::WrongHost,
                _ => TlsFailure::Handshake,
            },
            _ => TlsFailure::Handshake,
        }
    }

    /// Finds a TLS failure in `e`'s chain (a hyper-util client error, a
    /// hyper error, an io error); `None` when TLS is not what failed.
    pub fn find(e: &(dyn StdError + 'static)) -> Option<TlsFailure> {
        find_in(e, 0)
    }
}

/// What rustls' `Display` of `Error::AlertReceived` starts with.
const ALERT_PREFIX: &str = "received fatal alert: ";

fn find_in(e: &(dyn StdError + 'static), depth: usize) -> Option<TlsFailure> {
    let mut current = Some(e);
    let mut depth = depth;
    while let Some(err) = current {
        if depth >= MAX_DEPTH {
            return None;
        }
        depth += 1;
        if let Some(r) = err.downcast_ref::<rustls::Error>() {
            return Some(TlsFailure::from_rustls(r));
        }
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            if let Some(inner) = io.get_ref() {
                if let Some(t) = find_in(inner, depth) {
                    return Some(t);
                }
            }
            // Over HTTP/2, h2 keeps only the text of an io error: a vendor
            // that refuses our client certificate after a TLS 1.3
            // handshake (its alert comes with the first read) shows up so.
            if io.kind() == std::io::ErrorKind::InvalidData
                && io.to_string().starts_with(ALERT_PREFIX)
            {
                return Some(TlsFailure::Handshake);
            }
        }
        current = err.source();
    }
    None
}

impl std::fmt::Display for TlsFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TlsFailure::Untrusted => "the server's TLS certificate is not trusted",
            TlsFailure::Expired => "the server's TLS certificate has expired or is not valid yet",
            TlsFailure::WrongHost => "the server's TLS certificate is not valid for its host name",
            TlsFailure::Handshake => "the TLS handshake failed",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustls::{AlertDescription, CertificateError, Error};
    use std::io;

    #[test]
    fn certificate_errors_map_to_reasons() {
        let cases = [
            (CertificateError::UnknownIssuer, TlsFailure::Untrusted),
            (CertificateError::BadSignature, TlsFailure::Untrusted),
            (CertificateError::Expired, TlsFailure::Expired),
            (CertificateError::NotValidYet, TlsFailure::Expired),
            (CertificateError::NotValidForName, TlsFailure::WrongHost),
            (CertificateError::BadEncoding, TlsFailure::Handshake),
        ];
        for (c, want) in cases {
            assert_eq!(
                TlsFailure::from_rustls(&Error::InvalidCertificate(c.clone())),
                want,
                "{c:?}"
            );
        }
        for e in [
            Error::NoApplicationProtocol,
            Error::AlertReceived(AlertDescription::CertificateRequired),
            Error::AlertReceived(AlertDescription::HandshakeFailure),
            Error::PeerIncompatible(rustls::PeerIncompatible::Tls12NotOffered),
        ] {
            assert_eq!(TlsFailure::from_rustls(&e), TlsFailure::Handshake, "{e:?}");
        }
    }

    /// The shape hyper-rustls gives: an io error (`io::Error::other`)
    /// around tokio-rustls' io error around the rustls error, boxed.
    #[test]
    fn found_through_nested_io_errors() {
        let rustls = Error::InvalidCertificate(CertificateError::NotValidForName);
        let inner = io::Error::new(io::ErrorKind::InvalidData, rustls);
        let outer = io::Error::other(inner);
        let boxed: Box<dyn StdError + Send + Sync> = Box::new(outer);
        assert_eq!(TlsFailure::find(&*boxed), Some(TlsFailure::WrongHost));
    }

    #[derive(Debug)]
    struct Wrapper(Box<dyn StdError + Send + Sync>);
    impl std::fmt::Display for Wrapper {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("client error")
        }
    }
    impl StdError for Wrapper {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            Some(&*self.0)
        }
    }

    #[test]
    fn found_through_sources_and_absent_otherwise() {
        let e = Wrapper(Box::new(io::Error::other(Error::InvalidCertificate(
            CertificateError::Expired,
        ))));
        assert_eq!(TlsFailure::find(&e), Some(TlsFailure::Expired));
        let plain = Wrapper(Box::new(io::Error::from(io::ErrorKind::ConnectionRefused)));
        assert_eq!(TlsFailure::find(&plain), None);
    }

    /// The shape h2 leaves: the alert's text in a new io error.
    #[test]
    fn alert_text_from_h2_is_a_handshake_failure() {
        let text = Error::AlertReceived(AlertDescription::CertificateRequired).to_string();
        let e = io::Error::new(io::ErrorKind::InvalidData, text);
        assert_eq!(
            TlsFailure::find(&Wrapper(Box::new(e))),
            Some(TlsFailure::Handshake)
        );
        let other = io::Error::new(io::ErrorKind::InvalidData, "frame too big");
        assert_eq!(TlsFailure::find(&other), None);
    }

    #[test]
    fn display_and_label_are_plain_words() {
        for t in [
            TlsFailure::Untrusted,
            TlsFailure::Expired,
            TlsFailure::WrongHost,
            TlsFailure::Handshake,
        ] {
            assert!(t.to_string().contains("TLS"));
            assert!(t
                .reason()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_'));
        }
    }
}
