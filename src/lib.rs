//! crossdock: an API gateway that serves one unified customer / vehicle API
//! over several vendor backends, translating names, envelopes, wire formats
//! and errors in both directions.
//!
//! # What each module owns
//!
//! | module | owns |
//! |---|---|
//! | [`config`] | the TOML file and `CROSSDOCK__*` overrides: parsing, every problem named at once, secrets ([`config::Secret`]), the effective config printed |
//! | [`app`] | wiring: a validated config becomes backends, tenants, sandboxes and running listeners ([`app::start`]); reloads |
//! | [`server`] | the accept loop: HTTP/1.1 and HTTP/2 on hyper, head and header limits, the graceful drain |
//! | [`inbound_tls`] | the public listener's TLS (rustls), swapped on reload |
//! | `bare_errors` | hyper's own answers to unparsable heads, rewritten as problems |
//! | [`api`] | the unified API: router and layers (request id, metrics, problem rendering, body limit, deadline, API keys, rate limits, tenants, CORS), the handlers per resource, the write fan-out, problem+json and the envelope; the admin listener |
//! | [`idempotency`] | `Idempotency-Key`: the stores (memory, Redis) and the middleware on write routes |
//! | [`backends`] | one folder per vendor (wire types, codec, mapping to [`unified`], request options, answer classification, simulator) and the registry `VENDORS`; pure mapping, nothing sent |
//! | [`outbound`] | sending: per backend a breaker and a tower stack (load shedding, concurrency limit, retry, timeout) over a pooled hyper-util client (TLS, proxy, OAuth tokens); [`outbound::Outbound::exchange`] is the one call every vendor request goes through |
//! | [`unified`] | the unified model every vendor maps to (`Field<T>`: absent, null or a value) |
//! | [`xml`], [`jsv`] | wire formats some vendors speak: a hardened XML reader and writer, ServiceStack JSV as a serde format |
//! | [`sandbox`] | what the built-in simulators share (fault injection) |
//! | [`metrics`], [`telemetry`] | Prometheus metrics; logs |
//!
//! # The path of a request
//!
//! `GET /v1/customer-groups/{id}`, as a newcomer would follow it:
//!
//! 1. `main.rs` loads the config ([`app::Plan::from_file`]) and calls
//!    [`app::start`], which builds each backend (`backends::VENDORS`), its
//!    [`outbound::Outbound`] and the [`api::AppState`] of each tenant, then
//!    binds the listeners.
//! 2. [`server`] accepts the connection (over [`inbound_tls`] when set)
//!    and hands each request to the router; `api::tenants` picks the
//!    tenant's router by API key.
//! 3. [`api::router`]'s layers, outermost first: request id, trace span,
//!    metrics and problem rendering (`api::middleware`), body limit and
//!    decompression, the route's deadline, the API key and rate limit
//!    (`api::rate_limit`); on writes, the idempotency middleware
//!    (`idempotency::middleware`).
//! 4. The handler (`api::customer_groups::get`) checks the path id, takes
//!    the route's target backend from the state, and asks the backend's
//!    mapping for the vendor request (`backends::vehizen`).
//! 5. [`outbound::Outbound::exchange`]: leave from the breaker, then the
//!    tower stack and the pooled client send it; the backend classifies
//!    and decodes the answer into the [`unified`] model; the outcome feeds
//!    the breaker and [`metrics`].
//! 6. Back in `api`: a success is wrapped in the envelope (`api::envelope`);
//!    a failure becomes one problem+json (`api::problem`), rendered with
//!    the request id by the problem middleware on the way out.
//!
//! A write (`PUT /v1/customers/{id}`) runs the same path; its handler
//! (`api::customers`) parses the vendor options from the query, and
//! `api::fanout` prepares the write for every backend of the route,
//! refuses strict losses (`api::write`), sends concurrently and summarizes.
//!
//! # Time
//!
//! Deadlines, backoffs, the breaker, rate limits and the idempotency store
//! read tokio's clock (`tokio::time::Instant`; `clippy.toml` bans
//! `std::time::Instant`), so their tests pause it and move it on
//! (`#[tokio::test(start_paused = true)]`) instead of sleeping.

pub mod api;
pub mod app;
pub mod backends;
mod bare_errors;
pub mod config;
pub mod dashboard;
pub mod idempotency;
pub mod inbound_tls;
pub mod jsv;
pub mod metrics;
pub mod outbound;
pub mod sandbox;
pub mod secret;
pub mod server;
pub mod telemetry;
pub mod trace;
pub mod unified;
pub mod xml;
