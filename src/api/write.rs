//! What every unified write shares: naming the fields a backend cannot
//! store (from the round trip through its wire model), refusing them on a
//! strict route, warning about them otherwise, and the path ids (GUID or
//! text, as the resource's vendors type them).

use super::envelope::Warning;
use super::problem::{ApiError, ErrorItem};
use crate::unified::unstored::unstored_fields;
use crate::unified::{Guid, TextId};
use http::StatusCode;
use serde::Serialize;

/// The fields of the caller's JSON that `stored` (the value as the backend
/// will hold it) lost or changed.
pub fn lost_fields<T: Serialize>(input: &serde_json::Value, stored: &T) -> Vec<String> {
    let stored = serde_json::to_value(stored).unwrap_or_default();
    unstored_fields(input, &stored)
}

/// On a strict route, the 422 for `lost`; else a warning per lost field.
pub fn check_lost(backend: &str, lost: &[String], strict: bool) -> Result<Vec<Warning>, ApiError> {
    if strict && !lost.is_empty() {
        return Err(strict_refusal(backend, lost));
    }
    Ok(lost
        .iter()
        .map(|f| Warning::not_stored(backend, f))
        .collect())
}

/// 422 for a strict route: nothing was sent.
pub fn strict_refusal(backend: &str, fields: &[String]) -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "field-not-stored",
        format!(
            "{backend} cannot store every field given, and the route is strict; nothing was sent"
        ),
    )
    .backend(backend)
    .errors(
        fields
            .iter()
            .map(|f| {
                ErrorItem::new(
                    "field_not_stored",
                    format!("{f} is not stored by {backend}"),
                )
                .field(f.clone())
            })
            .collect(),
    )
}

/// A GUID id from the path (400 otherwise).
pub fn guid_path_id(id: &str) -> Result<Guid, ApiError> {
    Guid::parse(id).ok_or_else(|| {
        ApiError::bad_request(
            "the id in the path is not a GUID",
            vec![ErrorItem::new("invalid_id", "expected a GUID").field("id")],
        )
    })
}

/// A text id from the path, as the vendors typing it as a string take it
/// (400 naming `id` otherwise). Axum has already percent-decoded it.
pub fn text_path_id(id: &str) -> Result<TextId, ApiError> {
    TextId::parse(id).map_err(|e| {
        ApiError::bad_request(
            "the id in the path is not a valid id",
            vec![ErrorItem::new("invalid_id", e.to_string()).field("id")],
        )
    })
}
