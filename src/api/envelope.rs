//! The success envelope: `{"data": ..., "warnings": [...]}`.

use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};
use serde::Serialize;

use crate::backends::stream::DataJson;
use crate::backends::Reply;
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

impl<T: Serialize> Envelope<T> {
    /// The body's bytes.
    pub fn to_bytes(&self) -> serde_json::Result<Vec<u8>> {
        serde_json::to_vec(&Body {
            data: &self.data,
            warnings: &self.warnings,
            page: self.page.as_ref(),
            extra: self.extra.as_ref(),
        })
    }
}

impl<T: Serialize> IntoResponse for Envelope<T> {
    fn into_response(self) -> Response {
        match self.to_bytes() {
            Ok(bytes) => json_response(self.status, bytes),
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        }
    }
}

fn json_response(status: StatusCode, bytes: Vec<u8>) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        bytes,
    )
        .into_response()
}

/// A read's envelope whose `data` is already unified JSON (a streamed
/// read, [`crate::backends::stream`]): the bytes [`Envelope`] writes for
/// the same data, warnings and page.
pub struct JsonEnvelope {
    pub data: DataJson,
    pub warnings: Vec<Warning>,
}

impl JsonEnvelope {
    pub fn ok(reply: Reply<DataJson>) -> Self {
        JsonEnvelope {
            data: reply.data,
            warnings: reply.warnings,
        }
    }

    /// The body's bytes.
    pub fn to_bytes(&self) -> serde_json::Result<Vec<u8>> {
        let mut out = Vec::with_capacity(self.data.json.len() + 96);
        out.extend_from_slice(b"{\"data\":");
        out.extend_from_slice(&self.data.json);
        out.extend_from_slice(b",\"warnings\":");
        serde_json::to_writer(&mut out, &self.warnings)?;
        if let Some(page) = &self.data.page {
            out.extend_from_slice(b",\"page\":");
            serde_json::to_writer(&mut out, page)?;
        }
        out.push(b'}');
        Ok(out)
    }
}

impl IntoResponse for JsonEnvelope {
    fn into_response(self) -> Response {
        match self.to_bytes() {
            Ok(bytes) => json_response(StatusCode::OK, bytes),
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_bytes_as_the_typed_envelope() {
        let data = serde_json::json!({"id": 1, "name": "a\"b", "v": [1.5, null]});
        let warnings = vec![Warning::vendor_member_unknown("x", "A.0.B")];
        let page = Page {
            number: 2,
            size: 3,
            has_more: true,
        };
        for page in [None, Some(page)] {
            let mut typed = Envelope::ok(data.clone(), warnings.clone());
            typed.page = page;
            let json = JsonEnvelope {
                data: DataJson {
                    json: serde_json::to_vec(&data).unwrap(),
                    page,
                },
                warnings: warnings.clone(),
            };
            assert_eq!(json.to_bytes().unwrap(), typed.to_bytes().unwrap());
        }
    }
}
