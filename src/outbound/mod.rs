//! The outbound stack: one pooled hyper-util client per backend behind a
//! tower stack.
//!
//! The stack, outermost first (later layers such as retry and circuit
//! breaking slot in here, above the timeout):
//!
//! 1. `MapErr`: turns tower's boxed errors into [`CallError`], the one error
//!    type the rest of the gateway sees.
//! 2. `Timeout`: the per-call deadline (`timeout_ms`), covering connect,
//!    headers and the whole body.
//! 3. [`HttpCall`]: sends on the pooled client and reads the body with a size
//!    limit.

mod base_url;
mod call;
mod error;

pub use base_url::BaseUrl;
pub use call::HttpCall;
pub use error::CallError;

use crate::config::OutboundConfig;
use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use http_body_util::Full;
use std::time::Duration;
use tower::util::BoxCloneSyncService;
use tower::{Service, ServiceBuilder, ServiceExt};

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
}

impl std::fmt::Debug for VendorRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VendorRequest")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("path", &"[redacted]")
            .field("headers", &self.headers)
            .field("body_len", &self.body.len())
            .finish()
    }
}

impl VendorRequest {
    pub fn new(operation: &'static str, method: Method, path: String) -> Self {
        VendorRequest {
            operation,
            method,
            path,
            headers: HeaderMap::new(),
            body: Bytes::new(),
        }
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
        self.headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|v| v.trim().to_ascii_lowercase())
            .unwrap_or_default()
    }
}

type Stack = BoxCloneSyncService<http::Request<Full<Bytes>>, VendorResponse, CallError>;

/// The outbound side of one backend.
#[derive(Clone)]
pub struct Outbound {
    base: BaseUrl,
    stack: Stack,
}

impl Outbound {
    pub fn new(base: BaseUrl, cfg: &OutboundConfig) -> Self {
        let stack = ServiceBuilder::new()
            .map_err(CallError::from_boxed)
            .timeout(Duration::from_millis(cfg.timeout_ms))
            .service(HttpCall::new(cfg.max_response_bytes));
        Outbound {
            base,
            stack: BoxCloneSyncService::new(stack),
        }
    }

    pub fn base(&self) -> &BaseUrl {
        &self.base
    }

    /// Sends `req`, tagging it with the caller's request id.
    pub async fn call(
        &self,
        req: VendorRequest,
        request_id: Option<&HeaderValue>,
    ) -> Result<VendorResponse, CallError> {
        let uri = self.base.join(&req.path)?;
        let mut builder = http::Request::builder().method(req.method).uri(uri);
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
