//! `ApiError`: every error the gateway answers, as RFC 9457
//! `application/problem+json`.
//!
//! Handlers return an `ApiError` (made from a typed error by its one `From`
//! impl, in `refused.rs` or `failed.rs`); its `IntoResponse` only stores it
//! in the response's extensions. The `track` middleware renders it
//! ([`render`]), because only it knows the request id; it renders errors
//! made by layers (413, 404, 405, timeouts) the same way.

use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};

pub use crate::unified::ErrorItem;

/// Every problem type the gateway answers: the slug of
/// `urn:crossdock:problem:<slug>` and a one-line description. The one list
/// the code ([`ApiError::new`] checks it in debug builds) and the OpenAPI
/// document (`Problem.type`, kept in step by tests/it/openapi.rs) share.
pub const PROBLEM_TYPES: &[(&str, &str)] = &[
    ("invalid-request", "The request is malformed or invalid (or its head is); nothing was sent (400, or 4xx of a layer)."),
    ("unauthorized", "A valid API key is required in `x-api-key` (401)."),
    ("not-found", "No such route, or the backend has no such resource (404)."),
    ("method-not-allowed", "The route does not take this method (405)."),
    ("conflict", "The backend reports a conflict; its code is in `errors` (409)."),
    ("idempotency-key-in-flight", "A request with this `Idempotency-Key` is still being handled; retry after `Retry-After` (409)."),
    ("payload-too-large", "The body, or a decoded image, is over its limit (413)."),
    ("unsupported-media-type", "The request body must be `application/json` (415)."),
    ("field-not-stored", "A strict route refused fields the backend cannot store; nothing was sent (422)."),
    ("vendor-rejected", "The backend says the data is invalid; its messages are in `errors` (422)."),
    ("idempotency-key-reused", "This `Idempotency-Key` was used for a different request (422)."),
    ("rate-limited", "The API key is over its rate limit, or too many wrong keys came from this address; retry after `Retry-After` (429)."),
    ("internal", "The gateway failed to handle the request (500)."),
    ("not-routed", "The resource is routed to no backend (501)."),
    ("bad-gateway", "The backend failed, refused the gateway's credentials or answered unreadably (502)."),
    ("vendor-auth-failed", "The gateway could not get a token for the backend (`code` `vendor_auth_failed`) (502)."),
    ("backend-write-failed", "A write to several backends failed at some of them; `results` tells how it went at each (502)."),
    ("circuit-open", "The backend failed repeatedly and calls to it are paused; nothing was sent (503)."),
    ("overloaded", "Too many calls to the backend are in flight; nothing was sent (503)."),
    ("idempotency-store-unavailable", "The `Idempotency-Key` store cannot be asked, so the write was not sent (503)."),
    ("gateway-timeout", "The backend, or the whole request, took too long (504, or 408)."),
];

/// Whether `kind` is one of [`PROBLEM_TYPES`].
pub fn is_problem_type(kind: &str) -> bool {
    PROBLEM_TYPES.iter().any(|(k, _)| *k == kind)
}

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
        debug_assert!(
            is_problem_type(kind),
            "problem type {kind} is not in PROBLEM_TYPES"
        );
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

/// The `application/problem+json` response for `err`, with the request id.
pub fn render(err: &ApiError, request_id: Option<&str>) -> Response {
    let body = serde_json::to_vec(&err.body(request_id)).unwrap_or_default();
    let mut resp = (
        err.status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        )],
        body,
    )
        .into_response();
    if let Some(s) = err.retry_after {
        resp.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(s));
    }
    resp
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

    /// Every status `from_status` can be given maps to a listed type.
    #[test]
    fn from_status_kinds_are_listed() {
        for code in 400..600u16 {
            let s = StatusCode::from_u16(code).unwrap();
            let e = ApiError::from_status(s);
            assert!(is_problem_type(e.kind), "{code}: {}", e.kind);
        }
    }

    /// Every `"kind"` literal passed to `ApiError::new` in src/ is listed,
    /// so a new problem type cannot reach callers undocumented.
    #[test]
    fn every_kind_constructed_is_listed() {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    out.push(p);
                }
            }
        }
        let mut files = Vec::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut files,
        );
        let mut seen = 0;
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            // Code only: unit tests may build problems of their own.
            let text = text.split("#[cfg(test)]").next().unwrap_or_default();
            for (i, _) in text.match_indices("ApiError::new(") {
                let rest = &text[i + "ApiError::new(".len()..];
                // The second argument: after the first top-level comma.
                let Some(comma) = rest.find(',') else {
                    continue;
                };
                let arg = rest[comma + 1..].trim_start();
                let Some(lit) = arg.strip_prefix('"') else {
                    continue; // `kind` itself (the constructor), not a call
                };
                let kind = &lit[..lit.find('"').unwrap()];
                assert!(
                    is_problem_type(kind),
                    "{}: problem type {kind} is not in PROBLEM_TYPES",
                    f.display()
                );
                seen += 1;
            }
        }
        assert!(seen >= 10, "the scan found only {seen} ApiError::new calls");
    }

    /// Problems are made in the two files of `From` impls (and here):
    /// anywhere else, code names what happened (a typed error) and `?` or
    /// `ApiError::from` makes the answer. `from_status` (a layer's bare
    /// status) is allowed anywhere.
    #[test]
    fn problems_are_made_in_one_place() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut stack = vec![src];
        let mut offenders = Vec::new();
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                let name = p.to_string_lossy().replace('\\', "/");
                if !name.ends_with(".rs")
                    || ["api/problem.rs", "api/refused.rs", "api/failed.rs"]
                        .iter()
                        .any(|f| name.ends_with(f))
                {
                    continue;
                }
                let text = std::fs::read_to_string(&p).unwrap();
                let code = text.split("#[cfg(test)]").next().unwrap_or_default();
                for ctor in [
                    "ApiError::new(",
                    "ApiError::bad_request(",
                    "ApiError::unauthorized(",
                    "ApiError::not_found(",
                    "ApiError::bad_gateway(",
                    "ApiError::gateway_timeout(",
                ] {
                    if code.contains(ctor) {
                        offenders.push(format!("{name}: {ctor}"));
                    }
                }
            }
        }
        assert!(offenders.is_empty(), "{offenders:#?}");
    }

    #[test]
    fn problem_types_are_unique_slugs() {
        let mut kinds: Vec<_> = PROBLEM_TYPES.iter().map(|(k, _)| *k).collect();
        kinds.sort_unstable();
        kinds.dedup();
        assert_eq!(kinds.len(), PROBLEM_TYPES.len());
        for (k, d) in PROBLEM_TYPES {
            assert!(
                k.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{k}"
            );
            assert!(!d.is_empty() && !d.contains('\n'), "{k}");
        }
    }
}
