//! `/v1/customer-groups`: read, replace and create a customer group.

use super::body::JsonBody;
use super::envelope::{Envelope, JsonEnvelope};
use super::failed::vendor_error;
use super::problem::{ApiError, ErrorItem};
use super::write::{check_lost, guid_path_id as path_id, lost_fields};
use super::{AppState, ResourceRoute, Target};
use crate::backends::CustomerGroups;
use crate::unified::{CustomerGroup, Field, Guid};
use axum::extract::{Path, State};
use http::{HeaderMap, StatusCode};
use std::sync::Arc;

type Reply = Result<Envelope<CustomerGroup>, ApiError>;

/// `GET /v1/customer-groups/{id}` (the answer streamed to unified JSON).
pub async fn get(
    State(s): State<Arc<AppState>>,
    Path(id): Path<String>,
    h: HeaderMap,
) -> Result<JsonEnvelope, ApiError> {
    let id = path_id(&id)?;
    let (target, groups) = target(&s)?;
    let req = groups.get_request(&id);
    let reply = target
        .outbound
        .exchange(req, h.get("x-request-id"), |r| groups.decode_get_json(r))
        .await?;
    Ok(JsonEnvelope::ok(reply))
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
        .map_err(|f| vendor_error(target.name, f))?;
    let lost = lost_fields(&body.json, &encoded.stored);
    let mut warnings = check_lost(target.name, &lost, route.strict)?;
    let reply = target
        .outbound
        .exchange(encoded.request, h.get("x-request-id"), |r| {
            groups.decode_put(r, encoded.stored)
        })
        .await?;
    warnings.extend(reply.warnings);
    Ok(Envelope::ok(reply.data, warnings))
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
