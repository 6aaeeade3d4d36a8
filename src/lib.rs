//! crossdock: an API gateway that serves one unified customer / vehicle API
//! over several vendor backends, translating names, envelopes, wire formats
//! and errors in both directions.
//!
//! # What each module owns
//!
//! | module | owns |
//! |---|---|
//! | [`config`] | the TOML file and `CROSSDOCK__*` overrides: parsing, every problem named at once (`config::validate` holds the checks that need only the config), the effective config printed |
//! | [`app`] | wiring: `app::plan` turns a config into a checked [`app::Plan`]; `app::start` builds each tenant's [`api::AppState`]; `app::running` binds the listeners, reloads (`app::kept`: what a reload keeps) and shuts down; `app::sandbox` starts the simulators |
//! | [`server`] | the accept loop: HTTP/1.1 and HTTP/2 on hyper, head and header limits, the graceful drain |
//! | [`inbound_tls`] | the public listener's TLS (rustls), swapped on reload |
//! | `bare_errors` | hyper's own answers to unparsable heads, rewritten as problems |
//! | [`api`] | the unified API: router and layers (`api::mod`), the state (`api::state`), API keys, rate limits, tenants, CORS, `Idempotency-Key` (`api::idempotency`), the handlers per resource, the one write flow (`api::write`), errors turned into answers (`api::refused`, `api::failed`) and rendered (`api::problem`); the admin listener |
//! | [`idempotency`] | the `Idempotency-Key` stores (memory, Redis): a library, nothing of HTTP |
//! | [`backends`] | one folder per vendor (wire types, codec, mapping to [`unified`], the query options it declares, answer classification, streamed reads, simulator), what they share (`backends::kit`, `backends::stream`) and the registry `VENDORS`; pure mapping, nothing sent |
//! | [`outbound`] | sending: per backend a breaker and a tower stack (load shedding, concurrency limit, retry, timeout) over a pooled hyper-util client (TLS, proxy, OAuth tokens); [`outbound::Outbound::exchange`] is the one call every vendor request goes through |
//! | [`unified`] | the unified model every vendor maps to (`Field<T>`: absent, null or a value) |
//! | [`xml`], [`jsv`] | wire formats some vendors speak: a hardened XML reader and writer, ServiceStack JSV as a serde format |
//! | [`secret`] | secrets that never print, constant-time comparison |
//! | [`trace`] | W3C trace context in and out, OTLP export |
//! | [`dashboard`] | the admin dashboard's page and `/dashboard.json` |
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
//! 3. [`api::router`]'s layers, outermost first: request id, trace context
//!    ([`trace`]), the request span, metrics and problem rendering
//!    (`api::middleware`), body limit and decompression, the route's
//!    deadline, the API key and rate limit (`api::rate_limit`); on writes,
//!    the idempotency middleware (`api::idempotency`).
//! 4. The handler (`api::customer_groups::get`) checks the path id
//!    (`api::path_id`), takes the route's target backend from the state
//!    (`AppState::route`, keyed by `config::Resource`), and asks the
//!    backend's adapter for the vendor request (`backends::vehizen`).
//! 5. [`outbound::Outbound::exchange`]: leave from the breaker, then the
//!    tower stack and the pooled client send it; the backend classifies
//!    the answer and streams it to unified JSON bytes
//!    (`backends::vehizen::stream_xml`, falling back to the typed
//!    [`unified`] model when unsure); the outcome feeds the breaker and
//!    [`metrics`].
//! 6. Back in `api`: a success is wrapped in the envelope (`api::envelope`);
//!    a failure becomes one problem+json through one `From` per error type
//!    (`api::refused`, `api::failed`), rendered with the request id by the
//!    problem middleware on the way out.
//!
//! A write (`PUT /v1/customers/{id}`) runs the same path; its handler
//! (`api::customers`) reads the query options the route's backends declare
//! (`api::query`, `backends::options`) and calls `api::write::write`, which
//! prepares the write for every backend of the route (one is the same
//! path), refuses strict losses, sends concurrently and summarizes.
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
pub mod runtime;
pub mod sandbox;
pub mod secret;
pub mod server;
pub mod telemetry;
pub mod trace;
pub mod unified;
pub mod xml;
