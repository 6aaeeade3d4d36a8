//! How crossdock reaches and signs in to a vendor: extra TLS material and
//! OAuth2 client settings, parts of a backend's shared outbound keys
//! (`[backends.<name>.tls]`, `[backends.<name>.oauth]`).
//!
//! Both refuse unknown keys: a misspelt `ca_flie` silently ignored would
//! mean a handshake that fails in production for no visible reason.

use super::Secret;
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
