//! The success envelope: `{"data": ..., "warnings": [...]}`.

use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};
use serde::Serialize;

pub use crate::unified::{Page, Warning};

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
