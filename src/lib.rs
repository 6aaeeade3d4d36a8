//! crossdock: an API gateway that serves one unified customer / vehicle API
//! over several vendor backends, translating names, envelopes, wire formats
//! and errors in both directions.

pub mod api;
pub mod app;
pub mod backends;
mod bare_errors;
pub mod config;
pub mod idempotency;
pub mod inbound_tls;
pub mod jsv;
pub mod metrics;
pub mod outbound;
pub mod runtime;
pub mod sandbox;
pub mod server;
pub mod telemetry;
pub mod unified;
pub mod xml;
