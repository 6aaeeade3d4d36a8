//! `/v1/customer-groups`: read, replace and create a customer group
//! (writes through the write flow, [`super::write`]).

use super::body::JsonBody;
use super::envelope::{Envelope, JsonEnvelope};
use super::path_id;
use super::problem::ApiError;
use super::refused::Refused;
use super::request_id::RequestId;
use super::state::AppState;
use super::write::{write, WriteOp};
use crate::backends::{Backend, CustomerGroups, Encoded, Reply, VendorFailure};
use crate::config::Resource;
use crate::outbound::VendorResponse;
use crate::unified::{CustomerGroup, Field, Guid};
use axum::extract::{Path, State};
use http::StatusCode;
use std::sync::Arc;

type Answer = Result<Envelope<CustomerGroup>, ApiError>;

/// `GET /v1/customer-groups/{id}` (the answer streamed to unified JSON).
pub async fn get(
    State(s): State<Arc<AppState>>,
    Path(id): Path<String>,
    h: RequestId,
) -> Result<JsonEnvelope, ApiError> {
    let id = path_id::guid(&id)?;
    let (target, groups) = s
        .route(Resource::CustomerGroups)?
        .first(|b| b.customer_groups())?;
    let req = groups.get_request(&id);
    let reply = target
        .outbound
        .exchange(req, h.get(), |r| groups.decode_get_json(r))
        .await?;
    Ok(JsonEnvelope::ok(reply))
}

/// `PUT /v1/customer-groups/{id}`: the body's `id`, when given, must be the
/// path's.
pub async fn put(
    State(s): State<Arc<AppState>>,
    Path(id): Path<String>,
    h: RequestId,
    body: JsonBody<CustomerGroup>,
) -> Answer {
    let id = path_id::guid(&id)?;
    if let Field::Value(b) = &body.value.id {
        if !b.as_str().eq_ignore_ascii_case(id.as_str()) {
            return Err(Refused::IdMismatch.into());
        }
    }
    save(&s, Some(id), body, &h).await
}

/// `POST /v1/customer-groups`: creates; the backend assigns the id.
pub async fn create(
    State(s): State<Arc<AppState>>,
    h: RequestId,
    body: JsonBody<CustomerGroup>,
) -> Answer {
    if let Field::Value(_) = body.value.id {
        return Err(Refused::IdNotAllowed {
            what: "customer group",
            put: "/v1/customer-groups/{id}",
        }
        .into());
    }
    let mut reply = save(&s, None, body, &h).await?;
    reply.status = StatusCode::CREATED;
    Ok(reply)
}

async fn save(
    s: &AppState,
    id: Option<Guid>,
    body: JsonBody<CustomerGroup>,
    h: &RequestId,
) -> Answer {
    let route = s.route(Resource::CustomerGroups)?;
    let op = PutGroup {
        id: id.as_ref(),
        group: &body.value,
    };
    write(route, &op, &body.json, h.get()).await
}

/// A customer group write (`id` None creates).
struct PutGroup<'a> {
    id: Option<&'a Guid>,
    group: &'a CustomerGroup,
}

impl WriteOp for PutGroup<'_> {
    type Value = CustomerGroup;
    type Writer<'b> = dyn CustomerGroups + 'b;

    fn writer<'b>(&self, backend: &'b dyn Backend) -> Option<&'b (dyn CustomerGroups + 'b)> {
        backend.customer_groups()
    }

    fn encode(
        &self,
        w: &(dyn CustomerGroups + '_),
    ) -> Result<Encoded<CustomerGroup>, VendorFailure> {
        w.put_request(self.id, self.group)
    }

    fn decode(
        &self,
        w: &(dyn CustomerGroups + '_),
        resp: &VendorResponse,
        sent: CustomerGroup,
    ) -> Result<Reply<CustomerGroup>, VendorFailure> {
        w.decode_put(resp, sent)
    }
}
