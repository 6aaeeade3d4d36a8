//! `/v1/customer-groups`: read, replace and create a customer group.

use super::body::JsonBody;
use super::envelope::{Envelope, Warning};
use super::exchange::exchange;
use super::problem::{ApiError, ErrorItem};
use super::{AppState, ResourceRoute, Target};
use crate::backends::CustomerGroups;
use crate::unified::unstored::unstored_fields;
use crate::unified::{CustomerGroup, Field, Guid};
use axum::extract::{Path, State};
use http::{HeaderMap, StatusCode};
use std::sync::Arc;

type Reply = Result<Envelope<CustomerGroup>, ApiError>;

/// `GET /v1/customer-groups/{id}`
pub async fn get(State(s): State<Arc<AppState>>, Path(id): Path<String>, h: HeaderMap) -> Reply {
    let id = path_id(&id)?;
    let (target, groups) = target(&s)?;
    let req = groups.get_request(&id);
    let reply = exchange(&s, target, req, h.get("x-request-id"), |r| {
        groups.decode_get(r)
    })
    .await?;
    Ok(Envelope::ok(reply.data, reply.warnings))
}

/// `PUT /v1/customer-groups/{id}`: the body's `id`, when given, must be the
/// path's.
pub async fn put(
    State(s): State<Arc<AppState>>,
    Path(id): Path<String>,
    h: HeaderMap,
    body: JsonBody<CustomerGroup>,
) -> Reply {
    let id = path_id(&id)?;
    if let Field::Value(b) = &body.value.id {
        if !b.as_str().eq_ignore_ascii_case(id.as_str()) {
            return Err(ApiError::bad_request(
                "the body's id is not the path's",
                vec![ErrorItem::new("id_mismatch", "id must match the path").field("id")],
            ));
        }
    }
    write(&s, Some(id), body, &h).await
}

/// `POST /v1/customer-groups`: creates; the backend assigns the id.
pub async fn create(
    State(s): State<Arc<AppState>>,
    h: HeaderMap,
    body: JsonBody<CustomerGroup>,
) -> Result<Envelope<CustomerGroup>, ApiError> {
    if let Field::Value(_) = body.value.id {
        return Err(ApiError::bad_request(
            "a new customer group gets its id from the backend",
            vec![ErrorItem::new(
                "id_not_allowed",
                "leave id out, or PUT /v1/customer-groups/{id}",
            )
            .field("id")],
        ));
    }
    let mut reply = write(&s, None, body, &h).await?;
    reply.status = StatusCode::CREATED;
    Ok(reply)
}

async fn write(
    s: &AppState,
    id: Option<Guid>,
    body: JsonBody<CustomerGroup>,
    h: &HeaderMap,
) -> Reply {
    let route = s.route(&s.customer_groups, "customer groups")?;
    let (target, groups) = first(route)?;
    let encoded = groups
        .put_request(id.as_ref(), &body.value)
        .map_err(|f| f.into_api_error(target.name))?;
    let stored = serde_json::to_value(&encoded.stored).unwrap_or_default();
    let lost = unstored_fields(&body.json, &stored);
    if route.strict && !lost.is_empty() {
        return Err(strict_refusal(target.name, &lost));
    }
    let mut warnings: Vec<Warning> = lost
        .iter()
        .map(|f| Warning::not_stored(target.name, f))
        .collect();
    let reply = exchange(s, target, encoded.request, h.get("x-request-id"), |r| {
        groups.decode_put(r, encoded.stored)
    })
    .await?;
    warnings.extend(reply.warnings);
    Ok(Envelope::ok(reply.data, warnings))
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

fn path_id(id: &str) -> Result<Guid, ApiError> {
    Guid::parse(id).ok_or_else(|| {
        ApiError::bad_request(
            "the id in the path is not a GUID",
            vec![ErrorItem::new("invalid_id", "expected a GUID").field("id")],
        )
    })
}

fn target(s: &AppState) -> Result<(&Target, &dyn CustomerGroups), ApiError> {
    first(s.route(&s.customer_groups, "customer groups")?)
}

fn first(route: &ResourceRoute) -> Result<(&Target, &dyn CustomerGroups), ApiError> {
    route
        .targets
        .first()
        .and_then(|t| t.backend.customer_groups().map(|g| (t, g)))
        .ok_or_else(|| ApiError::from_status(StatusCode::INTERNAL_SERVER_ERROR))
}
