//! `ApiError`: every error the gateway answers, as RFC 9457
//! `application/problem+json`.
//!
//! Handlers return an `ApiError`; its `IntoResponse` only stores it in the
//! response's extensions. The `problem` middleware renders the body, because
//! only it knows the request id; it renders errors made by layers (413, 404,
//! 405, timeouts) the same way.

use axum::response::{IntoResponse, Response};
use http::StatusCode;

pub use crate::unified::ErrorItem;

/// An error answer. Boxed so `Result<_, ApiError>` stays small on the hot
/// path; reads and writes go through to [`Problem`].
#[derive(Debug, Clone)]
pub struct ApiError(Box<Problem>);

impl std::ops::Deref for ApiError {
    type Target = Problem;
    fn deref(&self) -> &Problem {
        &self.0
    }
}

impl std::ops::DerefMut for ApiError {
    fn deref_mut(&mut self) -> &mut Problem {
        &mut self.0
    }
}

#[derive(Debug, Clone)]
pub struct Problem {
    pub status: StatusCode,
    /// Slug of the problem type (`urn:crossdock:problem:<slug>`).
    pub kind: &'static str,
    pub detail: String,
    pub backend: Option<String>,
    pub errors: Vec<ErrorItem>,
    /// Seconds, for 429 and 503.
    pub retry_after: Option<u64>,
    /// Extra members (e.g. `results` of a write to several backends).
    pub extra: Option<serde_json::Map<String, serde_json::Value>>,
}

impl ApiError {
    pub fn new(status: StatusCode, kind: &'static str, detail: impl Into<String>) -> Self {
        ApiError(Box::new(Problem {
            status,
            kind,
            detail: detail.into(),
            backend: None,
            errors: Vec::new(),
            retry_after: None,
            extra: None,
        }))
    }

    pub fn backend(mut self, b: impl Into<String>) -> Self {
        self.backend = Some(b.into());
        self
    }

    pub fn errors(mut self, e: Vec<ErrorItem>) -> Self {
        self.errors = e;
        self
    }

    pub fn bad_request(detail: impl Into<String>, errors: Vec<ErrorItem>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid-request", detail).errors(errors)
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "a valid API key is required in x-api-key",
        )
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not-found", detail)
    }

    pub fn bad_gateway(backend: &str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_GATEWAY, "bad-gateway", detail).backend(backend)
    }

    pub fn gateway_timeout(backend: &str) -> Self {
        Self::new(
            StatusCode::GATEWAY_TIMEOUT,
            "gateway-timeout",
            "the backend did not answer in time",
        )
        .backend(backend)
    }

    /// A problem for a status produced outside the handlers (layers,
    /// router fallbacks, extractor rejections).
    pub fn from_status(status: StatusCode) -> Self {
        let (kind, detail) = match status {
            StatusCode::NOT_FOUND => ("not-found", "no such route"),
            StatusCode::METHOD_NOT_ALLOWED => {
                ("method-not-allowed", "the route does not take this method")
            }
            StatusCode::PAYLOAD_TOO_LARGE => ("payload-too-large", "the request body is too large"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => (
                "unsupported-media-type",
                "the request body must be application/json",
            ),
            StatusCode::REQUEST_TIMEOUT | StatusCode::GATEWAY_TIMEOUT => {
                ("gateway-timeout", "the request took too long")
            }
            s if s.is_client_error() => ("invalid-request", "the request was refused"),
            _ => ("internal", "the gateway failed to handle the request"),
        };
        Self::new(status, kind, detail)
    }
}

impl Problem {
    /// The problem's title: fixed per status, as RFC 9457 advises.
    pub fn title(&self) -> &'static str {
        self.status.canonical_reason().unwrap_or("Error")
    }

    /// The body, with the request id filled in.
    pub fn body(&self, request_id: Option<&str>) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        m.insert(
            "type".into(),
            format!("urn:crossdock:problem:{}", self.kind).into(),
        );
        m.insert("title".into(), self.title().into());
        m.insert("status".into(), self.status.as_u16().into());
        m.insert("detail".into(), self.detail.clone().into());
        if let Some(id) = request_id {
            m.insert("requestId".into(), id.into());
        }
        if let Some(b) = &self.backend {
            m.insert("backend".into(), b.clone().into());
        }
        m.insert(
            "errors".into(),
            serde_json::to_value(&self.errors).unwrap_or_default(),
        );
        if let Some(extra) = &self.extra {
            for (k, v) in extra {
                m.insert(k.clone(), v.clone());
            }
        }
        serde_json::Value::Object(m)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut r = self.status.into_response();
        r.extensions_mut().insert(self);
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_has_the_rfc_9457_members() {
        let e = ApiError::bad_gateway("vehizen", "unreadable body")
            .errors(vec![ErrorItem::new("x", "y").field("name")]);
        let b = e.body(Some("rid"));
        assert_eq!(b["status"], 502);
        assert_eq!(b["title"], "Bad Gateway");
        assert_eq!(b["type"], "urn:crossdock:problem:bad-gateway");
        assert_eq!(b["requestId"], "rid");
        assert_eq!(b["backend"], "vehizen");
        assert_eq!(b["errors"][0]["field"], "name");
    }
}
