//! The success envelope: `{"data": ..., "warnings": [...]}`.

use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};
use serde::Serialize;

/// A warning: something the caller should know although the call worked
/// (a vendor's own warning, a field a backend could not store).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    pub backend: String,
    pub code: String,
    pub message: String,
    /// The unified field the warning is about, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The vendor's own title of a passed-through warning, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

impl Warning {
    /// A unified field the backend cannot store.
    pub fn not_stored(backend: &str, field: &str) -> Self {
        Warning {
            backend: backend.into(),
            code: "field_not_stored".into(),
            message: format!("{field} is not stored by {backend}"),
            field: Some(field.into()),
            title: None,
        }
    }
}

impl Warning {
    /// A vendor member the gateway does not know, so it is not in `data`.
    pub fn vendor_member_unknown(backend: &str, member: &str) -> Self {
        Warning {
            backend: backend.into(),
            code: "vendor_member_unknown".into(),
            message: format!("{backend} sent member {member}, which the gateway does not know; it is not in data"),
            field: None,
            title: None,
        }
    }
}

impl Warning {
    /// A vendor's own warning, passed through.
    pub fn vendor(
        backend: &str,
        code: impl Into<String>,
        message: impl Into<String>,
        title: Option<String>,
    ) -> Self {
        Warning {
            backend: backend.into(),
            code: code.into(),
            message: message.into(),
            field: None,
            title,
        }
    }
}

/// Where a page of a list sits: `{"number", "size", "hasMore"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Page {
    /// The page asked for, 1-based.
    pub number: u32,
    /// The page size asked for (the last page may hold fewer items).
    pub size: u32,
    /// Whether a later page may hold items.
    pub has_more: bool,
}

/// `{"data": T, "warnings": [...]}` with a status; lists add `"page"`.
pub struct Envelope<T> {
    pub status: StatusCode,
    pub data: T,
    pub warnings: Vec<Warning>,
    pub page: Option<Page>,
    /// Extra top-level members (e.g. `results` of a write to several
    /// backends), as `Problem::extra` for errors.
    pub extra: Option<serde_json::Map<String, serde_json::Value>>,
}

impl<T: Serialize> Envelope<T> {
    pub fn ok(data: T, warnings: Vec<Warning>) -> Self {
        Envelope {
            status: StatusCode::OK,
            data,
            warnings,
            page: None,
            extra: None,
        }
    }

    /// A page of a list.
    pub fn paged(data: T, warnings: Vec<Warning>, page: Page) -> Self {
        Envelope {
            page: Some(page),
            ..Self::ok(data, warnings)
        }
    }
}

#[derive(Serialize)]
struct Body<'a, T> {
    data: &'a T,
    warnings: &'a [Warning],
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<&'a Page>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    extra: Option<&'a serde_json::Map<String, serde_json::Value>>,
}

impl<T: Serialize> IntoResponse for Envelope<T> {
    fn into_response(self) -> Response {
        let body = Body {
            data: &self.data,
            warnings: &self.warnings,
            page: self.page.as_ref(),
            extra: self.extra.as_ref(),
        };
        match serde_json::to_vec(&body) {
            Ok(bytes) => (
                self.status,
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )],
                bytes,
            )
                .into_response(),
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        }
    }
}
