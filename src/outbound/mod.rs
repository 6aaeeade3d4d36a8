//! The outbound stack: one pooled hyper-util client per backend behind a
//! tower stack.
//!
//! In front of the stack stands the [`Breaker`]: the exchange asks it for
//! leave before a call and reports the *classified* outcome after the
//! backend read the answer (a 200 carrying an error envelope is a failure
//! only if the backend says so).
//!
//! The stack, outermost first, as linkerd2-proxy orders it:
//!
//! 1. `MapErr`: turns tower's boxed errors into [`CallError`], the one error
//!    type the rest of the gateway sees.
//! 2. `LoadShed`: when the concurrency limit is reached, fail at once
//!    (`Overloaded`, 503) instead of queueing without bound.
//! 3. `ConcurrencyLimit`: at most `max_concurrency` calls in flight.
//! 4. `Retry`: [`RetryPolicy`]; idempotent calls only, transient failures
//!    only, backoff with jitter, within a budget.
//! 5. `MapErr` + `Timeout`: the deadline of *one attempt* (`timeout_ms`),
//!    covering connect, headers and the whole body.
//! 6. [`HttpCall`]: sends on the pooled client and reads the body with a size
//!    limit.
//!
//! The pooled client is a [`VendorClient`]: HTTPS with rustls or plain
//! HTTP, directly or through an egress proxy. A backend with
//! `[backends.<name>.oauth]` gets its bearer token from a [`TokenSource`].
//! [`check_config`] finds every problem with those settings up front.

mod base_url;
mod breaker;
mod call;
mod check;
mod config;
mod connect;
mod dial;
mod error;
mod exchange;
mod oauth;
mod pools;
mod proxy;
mod retry;
mod stack;
#[cfg(test)]
mod tests;
pub(crate) mod tls_config;
mod tls_failure;

pub use base_url::BaseUrl;
pub use breaker::{Breaker, BreakerConfig, Permit};
pub use call::HttpCall;
pub use check::check_config;
pub use config::{OAuthConfig, OAuthGrant, OutboundConfig, TlsConfig};
pub use connect::{ConnectError, VendorClient};
pub use error::CallError;
pub use exchange::{vendor_key, with_deadline, with_vendor_key, ExchangeError, Failed, Verdict};
pub use oauth::{AuthError, TokenSource};
pub use retry::{Idempotent, RetryConfig, RetryPolicy};
/// The system roots as a rustls client config (the OTLP exporter's).
pub use tls_failure::TlsFailure;

use crate::metrics::Metrics;
use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use http_body_util::Full;
use stack::Stack;
use tower::{Service, ServiceExt};

/// A request to a vendor, built by a backend's pure mapping. Its `Debug`
/// leaves the path out (it may hold a token) and shows sensitive headers as
/// `Sensitive`.
#[derive(Clone)]
pub struct VendorRequest {
    /// The operation name for metrics and logs (`get_customer_group`).
    pub operation: &'static str,
    pub method: Method,
    /// Path and query after the base URL's prefix, starting with `/`. May
    /// hold a secret (the department token): never log it.
    pub path: String,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// Safe to send twice: GET, HEAD, PUT and DELETE by default (HTTP's
    /// semantics); a backend overrides it for calls that are idempotent by
    /// design or are not (a create).
    pub idempotent: bool,
}

impl std::fmt::Debug for VendorRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VendorRequest")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("path", &"[redacted]")
            .field("headers", &self.headers)
            .field("body_len", &self.body.len())
            .field("idempotent", &self.idempotent)
            .finish()
    }
}

impl VendorRequest {
    pub fn new(operation: &'static str, method: Method, path: String) -> Self {
        let idempotent = matches!(
            method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE
        );
        VendorRequest {
            operation,
            method,
            path,
            headers: HeaderMap::new(),
            body: Bytes::new(),
            idempotent,
        }
    }

    /// Overrides whether the call may be retried.
    pub fn idempotent(mut self, yes: bool) -> Self {
        self.idempotent = yes;
        self
    }

    pub fn header(mut self, name: http::header::HeaderName, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }

    pub fn body(mut self, content_type: &'static str, body: impl Into<Bytes>) -> Self {
        self.headers.insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static(content_type),
        );
        self.body = body.into();
        self
    }
}

/// A vendor's answer, body read in full (bounded).
#[derive(Debug, Clone)]
pub struct VendorResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl VendorResponse {
    /// The media type of the body, lower-cased, without parameters.
    pub fn media_type(&self) -> String {
        media_type(&self.headers)
    }
}

/// The media type of a message's `Content-Type`, lower-cased, without
/// parameters; empty when there is none (a vendor's answer, and what a
/// simulator is sent).
pub fn media_type(headers: &HeaderMap) -> String {
    headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default()
}

/// The outbound side of one backend: everything between a backend's
/// request and its decoder ([`Outbound::exchange`]).
#[derive(Clone)]
pub struct Outbound {
    /// The backend's name, for metrics and logs.
    name: &'static str,
    base: BaseUrl,
    stack: Stack,
    breaker: Breaker,
    metrics: Metrics,
    /// `crossdock_backend_requests_in_flight` of this backend.
    in_flight: prometheus::IntGauge,
    /// Whether writes carry the vendor idempotency key ([`vendor_key`]).
    forwards_idempotency_key: bool,
    /// The bearer token of every call, when `[backends.<name>.oauth]` is set.
    tokens: Option<TokenSource>,
}

impl Outbound {
    /// The outbound side of backend `name`, reporting to `metrics`.
    /// `forwards_idempotency_key`: the backend's own say (see
    /// `Backend::forwards_idempotency_key`).
    pub fn new(
        name: &'static str,
        base: BaseUrl,
        cfg: &OutboundConfig,
        metrics: &Metrics,
        forwards_idempotency_key: bool,
    ) -> Result<Self, String> {
        let policy = RetryPolicy::new(&cfg.retry)?;
        let call = HttpCall::new(
            VendorClient::new(cfg, &base).map_err(|e| e.to_string())?,
            cfg.max_response_bytes,
        );
        let stack = stack::layers(cfg, policy, call);
        Self::around(name, base, cfg, metrics, forwards_idempotency_key, stack)
    }

    /// The outbound side of backend `name` with `stack` as its tower stack
    /// (the tests put a mock service inside it).
    fn around(
        name: &'static str,
        base: BaseUrl,
        cfg: &OutboundConfig,
        metrics: &Metrics,
        forwards_idempotency_key: bool,
        stack: Stack,
    ) -> Result<Self, String> {
        let circuit_open = metrics.circuit_open.with_label_values(&[name]);
        let tokens = TokenSource::for_backend(cfg).map_err(|e| e.to_string())?;
        Ok(Outbound {
            name,
            base,
            stack,
            breaker: Breaker::new(cfg.breaker.clone(), circuit_open),
            in_flight: metrics.backend_in_flight.with_label_values(&[name]),
            metrics: metrics.clone(),
            forwards_idempotency_key,
            tokens,
        })
    }

    pub fn base(&self) -> &BaseUrl {
        &self.base
    }

    /// Leave from the breaker for one exchange; report its classified
    /// outcome on the permit.
    fn admit(&self) -> Result<Permit, CallError> {
        self.breaker
            .admit()
            .map_err(|retry_after| CallError::CircuitOpen { retry_after })
    }

    /// Sends `req`, tagging it with the caller's request id.
    async fn call(
        &self,
        req: VendorRequest,
        request_id: Option<&HeaderValue>,
    ) -> Result<VendorResponse, CallError> {
        let uri = self.base.join(&req.path)?;
        let mut builder = http::Request::builder()
            .method(req.method)
            .uri(uri)
            .extension(Idempotent(req.idempotent));
        if let Some(h) = builder.headers_mut() {
            *h = req.headers;
            if let Some(id) = request_id {
                h.insert("x-request-id", id.clone());
            }
        }
        let request = builder
            .body(Full::new(req.body))
            .map_err(|_| CallError::BadRequest)?;
        let mut stack = self.stack.clone();
        stack.ready().await?.call(request).await
    }
}
