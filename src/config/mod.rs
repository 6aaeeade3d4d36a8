//! Configuration: a TOML file (default `config/default.toml`) with every key
//! overridable from the environment (`CROSSDOCK__SERVER__LISTEN=...`).
//!
//! Loading collects *every* problem (unknown keys, bad values, routes that
//! name missing backends) so an operator fixes a config in one go: `load`
//! reads the file and the environment, `validate` checks what needs only
//! the config, and `crate::app::plan` what needs the backends too.

pub mod de;
mod file_errors;
mod load;
mod print;
mod routes;
mod sources;
mod telemetry;
pub mod validate;

// The outbound stack's own settings, read as part of every backend section;
// they live beside the stack (`crate::outbound::config`).
pub use crate::outbound::{OAuthConfig, OAuthGrant, OutboundConfig, TlsConfig};
pub use crate::secret::Secret;
pub use load::{load, load_collecting, ConfigErrors, Loaded};
pub use print::{redact_section, to_toml};
pub use routes::{Resource, RouteConfig, RoutesConfig};
pub use sources::{Origin, Sources};
pub use telemetry::{OtlpConfig, TelemetryConfig};

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::net::SocketAddr;

/// The default config file, relative to the working directory.
pub const DEFAULT_PATH: &str = "config/default.toml";

/// `Debug` is written by hand (below): backend sections are raw values
/// that hold tokens, so they print redacted.
#[derive(Clone, Deserialize, Serialize)]
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
    /// Callers with their own keys, routes and backend credentials.
    #[serde(default)]
    pub tenants: BTreeMap<String, TenantConfig>,
    #[serde(default)]
    pub logging: LoggingConfig,
    #[serde(default)]
    pub idempotency: IdempotencyConfig,
    /// `[telemetry]`: span export (OTLP). Read at start only.
    #[serde(default)]
    pub telemetry: TelemetryConfig,
}

/// `[idempotency]`: where the answers to `Idempotency-Key` writes are kept.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct IdempotencyConfig {
    /// `redis://[:password@]host[:port][/db]`: shared by every replica.
    /// Unset: each replica keeps its own keys in memory. May hold a
    /// password, so it is a [`Secret`] and never printed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redis_url: Option<Secret>,
    /// How long an answer is replayed.
    pub window_secs: u64,
    /// Most keys the memory store holds (the oldest answers go first).
    pub max_entries: usize,
    /// Most bytes of keys and answers the memory store holds (the oldest
    /// answers go first).
    pub max_bytes: usize,
}

/// The longest `idempotency.window_secs` accepted (a year).
pub const MAX_IDEMPOTENCY_WINDOW_SECS: u64 = 365 * 24 * 3600;

/// Most runtime worker threads a config may ask for.
pub const MAX_WORKER_THREADS: usize = crate::runtime::MAX_THREADS;

impl Default for IdempotencyConfig {
    fn default() -> Self {
        IdempotencyConfig {
            redis_url: None,
            window_secs: 86_400,
            max_entries: 100_000,
            max_bytes: crate::idempotency::memory::DEFAULT_MAX_BYTES,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct ServerConfig {
    /// The unified API's address.
    #[serde(deserialize_with = "listen_addr")]
    pub listen: SocketAddr,
    /// Largest request body accepted (413 above).
    pub body_limit_bytes: usize,
    /// Whole-request deadline (504 above).
    pub request_timeout_ms: u64,
    /// Deepest JSON nesting accepted in a request body (400 above).
    pub max_json_depth: usize,
    /// Longest JSON array accepted in a request body (400 above).
    pub max_list_len: usize,
    /// Time a client has to send its request head (slowloris guard).
    pub header_read_timeout_ms: u64,
    /// Most headers in a request (431 above).
    pub max_headers: usize,
    /// Most bytes of a request head buffered (431 above; at least 8192).
    pub max_header_bytes: usize,
    /// On SIGTERM, how long the public listener keeps accepting after
    /// `/readyz` turned 503, so a load balancer notices before new
    /// connections are refused.
    pub drain_delay_ms: u64,
    /// On SIGTERM, after the delay, how long in-flight requests get to
    /// finish.
    pub drain_timeout_ms: u64,
    /// How often the config file is checked for changes (0: only SIGHUP).
    pub reload_poll_ms: u64,
    /// Threads that serve requests; 0: one per CPU (like nginx's
    /// `worker_processes auto`); 1: everything on one thread, with no
    /// cross-thread scheduling (a current-thread runtime, as one nginx
    /// worker). Read at start only.
    pub worker_threads: usize,
    /// How those threads share the work (see [`RuntimeMode`]). Read at
    /// start only.
    pub runtime: RuntimeMode,
    /// `[server.cors]`: browsers on these origins may call the API. Unset:
    /// no CORS headers at all (a preflight gets 405).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cors: Option<CorsConfig>,
    /// Answers are compressed (gzip, br, zstd) when the caller asks and
    /// the body is at least this many bytes; 0 turns compression off.
    /// Compressed request bodies are always accepted, within
    /// `body_limit_bytes` once decompressed.
    pub compress_min_bytes: u16,
    /// `[server.tls]`: HTTPS (HTTP/1.1 and h2 by ALPN) on `listen`. Unset:
    /// plain HTTP (HTTP/1.1 and h2c with prior knowledge).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls: Option<ServerTlsConfig>,
    /// Most concurrent h2 streams per connection.
    pub max_concurrent_streams: u32,
}

/// `[server.tls]`: the public listener's certificate, read again at every
/// reload (and when a file changes).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ServerTlsConfig {
    /// PEM certificate chain, the leaf first.
    pub cert_file: std::path::PathBuf,
    /// PEM private key (PKCS#8, PKCS#1 or SEC1).
    pub key_file: std::path::PathBuf,
    /// PEM CA certificates: when set, callers must present a client
    /// certificate signed by one of them (mTLS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_ca_file: Option<std::path::PathBuf>,
}

/// `server.runtime`: how the threads of `server.worker_threads` share
/// the public listener's work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuntimeMode {
    /// One single-threaded runtime per thread, each with its own listening
    /// socket on `server.listen` (`SO_REUSEPORT`: the kernel spreads new
    /// connections over them) and its own vendor connection pools. A
    /// connection stays on the thread that accepted it, and nothing is
    /// handed between threads per request (as nginx's worker processes).
    #[default]
    ThreadPerCore,
    /// One multi-threaded tokio runtime: one listener, and idle threads
    /// steal queued work from busy ones.
    WorkStealing,
}

/// `[server.cors]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CorsConfig {
    /// Origins allowed (`https://app.example.com`), or `["*"]` for any.
    pub allow_origins: Vec<String>,
    /// Methods a preflight allows.
    #[serde(default = "CorsConfig::default_methods")]
    pub allow_methods: Vec<String>,
    /// Request headers a preflight allows.
    #[serde(default = "CorsConfig::default_headers")]
    pub allow_headers: Vec<String>,
    /// How long a browser may cache a preflight answer.
    #[serde(default = "CorsConfig::default_max_age")]
    pub max_age_secs: u64,
}

impl CorsConfig {
    fn default_methods() -> Vec<String> {
        ["GET", "POST", "PUT", "DELETE"].map(String::from).to_vec()
    }

    fn default_headers() -> Vec<String> {
        [
            "content-type",
            "x-api-key",
            "x-request-id",
            "idempotency-key",
        ]
        .map(String::from)
        .to_vec()
    }

    fn default_max_age() -> u64 {
        600
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            body_limit_bytes: 1024 * 1024,
            request_timeout_ms: 30_000,
            max_json_depth: 32,
            max_list_len: 10_000,
            header_read_timeout_ms: 10_000,
            max_headers: 100,
            max_header_bytes: 16 * 1024,
            drain_delay_ms: 5_000,
            drain_timeout_ms: 10_000,
            reload_poll_ms: 2_000,
            worker_threads: 0,
            runtime: RuntimeMode::default(),
            cors: None,
            compress_min_bytes: 1024,
            tls: None,
            max_concurrent_streams: 100,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct AdminConfig {
    /// `/metrics`, `/healthz`, `/readyz` and the dashboard (`/`).
    #[serde(deserialize_with = "listen_addr")]
    pub listen: SocketAddr,
}

/// A listen address: `IP:port`. A host name is refused by name (it is not
/// resolved), with what to write instead; the value is never echoed.
fn listen_addr<'de, D: serde::Deserializer<'de>>(d: D) -> Result<SocketAddr, D::Error> {
    let text = String::deserialize(d)?;
    text.parse().map_err(|_| {
        let host_port = text
            .rsplit_once(':')
            .is_some_and(|(host, port)| !host.is_empty() && port.parse::<u16>().is_ok());
        serde::de::Error::custom(if host_port {
            "expected IP:port, such as 127.0.0.1:8080, 0.0.0.0:8080 or [::]:8080; a host name is not resolved"
        } else {
            "expected IP:port, such as 127.0.0.1:8080, 0.0.0.0:8080 or [::]:8080"
        })
    })
}

impl Default for AdminConfig {
    fn default() -> Self {
        AdminConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 9090)),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct AuthConfig {
    /// When set, every `/v1` call needs one of these in `x-api-key`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_keys: Option<Vec<Secret>>,
    /// A limit per API key (429 with `Retry-After` past it), and where
    /// every tenant's limits are kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<AuthRateLimitConfig>,
    /// A token bucket of wrong or missing keys per client address: past
    /// it, 429 with `Retry-After` instead of 401 (key guessing costs time;
    /// right keys are never slowed).
    pub failed_keys: RateLimitConfig,
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            api_keys: None,
            rate_limit: None,
            failed_keys: RateLimitConfig {
                requests_per_sec: 2.0,
                burst: 20,
            },
        }
    }
}

/// `[auth.rate_limit]`: the `default` tenant's limit per API key (tenants
/// without their own `rate_limit` inherit it) and, with `redis_url`, the
/// Redis where every limit (the tenants' too) is kept, so it holds across
/// replicas. `requests_per_sec` and `burst` go together; `redis_url` alone
/// sets where the tenants' own limits are kept.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthRateLimitConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requests_per_sec: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub burst: Option<u32>,
    /// `redis://[:password@]host[:port][/db]`, shared by every replica.
    /// Unset: each replica keeps its own buckets in memory. May hold a
    /// password, so it is a [`Secret`] and never printed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redis_url: Option<Secret>,
}

impl AuthRateLimitConfig {
    /// The limit, when both of its keys are set.
    pub fn limit(&self) -> Option<RateLimitConfig> {
        Some(RateLimitConfig {
            requests_per_sec: self.requests_per_sec?,
            burst: self.burst?,
        })
    }
}

/// A token bucket: `burst` calls at once, refilled at `requests_per_sec`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimitConfig {
    pub requests_per_sec: f64,
    pub burst: u32,
}

/// `[tenants.<name>]`: callers with their own API keys, and optionally their
/// own routes, backend settings (a department token per department) and
/// rate limit. What a tenant leaves out is the top level's.
#[derive(Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct TenantConfig {
    pub api_keys: Vec<Secret>,
    /// Per resource, replaces the top level's `routes.<resource>`.
    pub routes: RoutesConfig,
    /// Keys merged over the top level's `[backends.<name>]`.
    pub backends: BTreeMap<String, serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<RateLimitConfig>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Json,
    Text,
}

/// Backend sections as `Debug` shows them: credential-like keys redacted.
fn redacted_sections(
    sections: &BTreeMap<String, serde_json::Value>,
) -> BTreeMap<&str, serde_json::Value> {
    sections
        .iter()
        .map(|(k, v)| (k.as_str(), print::redact_section(v)))
        .collect()
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("server", &self.server)
            .field("admin", &self.admin)
            .field("backends", &redacted_sections(&self.backends))
            .field("routes", &self.routes)
            .field("auth", &self.auth)
            .field("tenants", &self.tenants)
            .field("logging", &self.logging)
            .field("idempotency", &self.idempotency)
            .field("telemetry", &self.telemetry)
            .finish()
    }
}

impl std::fmt::Debug for TenantConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TenantConfig")
            .field("api_keys", &self.api_keys)
            .field("routes", &self.routes)
            .field("backends", &redacted_sections(&self.backends))
            .field("rate_limit", &self.rate_limit)
            .finish()
    }
}
