//! The outbound stack's settings: the keys every backend section shares
//! ([`OutboundConfig`]), among them how crossdock reaches and signs in to a
//! vendor: extra TLS material and OAuth2 client settings
//! (`[backends.<name>.tls]`, `[backends.<name>.oauth]`).
//!
//! `tls` and `oauth` refuse unknown keys: a misspelt `ca_flie` silently
//! ignored would mean a handshake that fails in production for no visible
//! reason.

use crate::secret::Secret;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// `[backends.<name>.tls]`: roots to trust besides the system's, and a
/// client certificate for vendors that ask for one (mTLS). Files are read
/// when the backend's client is built, so a config reload picks up a
/// renewed certificate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TlsConfig {
    /// PEM certificates added to the system's trust store (a vendor's
    /// private CA).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<PathBuf>,
    /// PEM chain presented to the vendor, leaf first; needs
    /// `client_key_file`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_cert_file: Option<PathBuf>,
    /// PEM private key (PKCS#8, PKCS#1 or SEC1) of `client_cert_file`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_key_file: Option<PathBuf>,
}

/// The OAuth2 grant used to get an access token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OAuthGrant {
    /// Resource owner password credentials (Keycloak's "direct access
    /// grant"): the backend signs in as a service user.
    Password,
    /// The client signs in as itself.
    ClientCredentials,
}

impl OAuthGrant {
    /// The `grant_type` form value.
    pub fn as_str(self) -> &'static str {
        match self {
            OAuthGrant::Password => "password",
            OAuthGrant::ClientCredentials => "client_credentials",
        }
    }
}

/// `[backends.<name>.oauth]`: where and how to get the bearer token sent to
/// the vendor. The token endpoint is reached with the backend's own `tls`
/// and proxy settings.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OAuthConfig {
    /// The token endpoint, `https://...` (`http://` for tests).
    pub token_url: String,
    pub grant: OAuthGrant,
    pub client_id: String,
    /// Sent as the `client_secret` form field when set (confidential
    /// clients).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<Secret>,
    /// `grant = "password"` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<Secret>,
    /// `grant = "password"` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<Secret>,
    /// Space-separated scopes asked for, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

/// Keys every backend section shares.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct OutboundConfig {
    /// The vendor's base URL, possibly with a path prefix; `sandbox` starts the
    /// built-in simulator.
    pub base_url: String,
    /// Per-call timeout.
    #[serde(default = "default_timeout_ms")]
    pub timeout_ms: u64,
    /// Largest vendor response body read (502 above).
    #[serde(default = "default_max_response_bytes")]
    pub max_response_bytes: usize,
    /// Calls in flight at most; more are shed at once (503).
    #[serde(default = "default_max_concurrency")]
    pub max_concurrency: usize,
    /// `[backends.<name>.retry]`: retries of idempotent calls.
    #[serde(default)]
    pub retry: super::RetryConfig,
    /// `[backends.<name>.breaker]`: the circuit breaker.
    #[serde(default)]
    pub breaker: super::BreakerConfig,
    /// `[backends.<name>.faults]`: faults the sandbox injects (sandbox only).
    #[serde(default)]
    pub faults: Option<crate::sandbox::FaultConfig>,
    /// `[backends.<name>.tls]`: extra roots and a client certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<TlsConfig>,
    /// `[backends.<name>.oauth]`: get a bearer token from a token endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oauth: Option<OAuthConfig>,
    /// `http://[user:pass@]host:port`: the egress proxy for this vendor.
    /// Unset: `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` as curl reads them. A
    /// [`Secret`] since it may hold the proxy's credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_url: Option<Secret>,
}

fn default_max_concurrency() -> usize {
    512
}

fn default_timeout_ms() -> u64 {
    5_000
}

fn default_max_response_bytes() -> usize {
    8 * 1024 * 1024
}

impl OutboundConfig {
    /// The keys of this struct, for vendor sections that parse the rest.
    pub const KEYS: &'static [&'static str] = &[
        "base_url",
        "timeout_ms",
        "max_response_bytes",
        "max_concurrency",
        "retry",
        "breaker",
        "faults",
        "tls",
        "oauth",
        "proxy_url",
    ];

    pub fn is_sandbox(&self) -> bool {
        self.base_url == "sandbox"
    }
}
