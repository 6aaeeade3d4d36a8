//! Configuration: a TOML file (default `config/default.toml`) with every key
//! overridable from the environment (`CROSSDOCK__SERVER__LISTEN=...`).
//!
//! Loading collects *every* problem (unknown keys, bad values, routes that
//! name missing backends) so an operator fixes a config in one go.

mod load;
mod routes;
mod secret;

pub use load::{load, load_collecting, ConfigErrors};
pub use routes::{Resource, RouteConfig, RoutesConfig};
pub use secret::Secret;

use serde::Deserialize;
use std::collections::BTreeMap;
use std::net::SocketAddr;

/// The default config file, relative to the working directory.
pub const DEFAULT_PATH: &str = "config/default.toml";

#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    #[serde(default)]
    pub server: ServerConfig,
    #[serde(default)]
    pub admin: AdminConfig,
    /// One section per vendor; each vendor module parses its own section.
    #[serde(default)]
    pub backends: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    pub routes: RoutesConfig,
    #[serde(default)]
    pub auth: AuthConfig,
    #[serde(default)]
    pub logging: LoggingConfig,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct ServerConfig {
    /// The unified API's address.
    pub listen: SocketAddr,
    /// Largest request body accepted (413 above).
    pub body_limit_bytes: usize,
    /// Whole-request deadline (504 above).
    pub request_timeout_ms: u64,
    /// Deepest JSON nesting accepted in a request body (400 above).
    pub max_json_depth: usize,
    /// Longest JSON array accepted in a request body (400 above).
    pub max_list_len: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            body_limit_bytes: 1024 * 1024,
            request_timeout_ms: 30_000,
            max_json_depth: 32,
            max_list_len: 10_000,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct AdminConfig {
    /// `/metrics`, `/healthz`, `/readyz`.
    pub listen: SocketAddr,
}

impl Default for AdminConfig {
    fn default() -> Self {
        AdminConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 9090)),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AuthConfig {
    /// When set, every `/v1` call needs one of these in `x-api-key`.
    pub api_keys: Option<Vec<Secret>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct LoggingConfig {
    /// `json` or `text`.
    pub format: LogFormat,
    /// A `tracing` filter such as `info` or `crossdock=debug`; `RUST_LOG` wins.
    pub level: String,
}

impl Default for LoggingConfig {
    fn default() -> Self {
        LoggingConfig {
            format: LogFormat::Text,
            level: "info".into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Json,
    Text,
}

/// Keys every backend section shares.
#[derive(Debug, Clone, Deserialize)]
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
    pub retry: crate::outbound::RetryConfig,
    /// `[backends.<name>.breaker]`: the circuit breaker.
    #[serde(default)]
    pub breaker: crate::outbound::BreakerConfig,
    /// `[backends.<name>.faults]`: faults the sandbox injects (sandbox only).
    #[serde(default)]
    pub faults: Option<crate::sandbox::FaultConfig>,
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
    ];

    pub fn is_sandbox(&self) -> bool {
        self.base_url == "sandbox"
    }
}
