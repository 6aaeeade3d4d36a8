//! `/v1/vehicle-categories`: the category tree, single categories, leaves,
//! writes, images and the vehicles of a category (fleet-admin).

use super::body::JsonBody;
use super::envelope::{Envelope, JsonEnvelope};
use super::failed::At;
use super::path_id::category as path_id;
use super::problem::{ApiError, ErrorItem};
use super::refused::Refused;
use super::request_id::RequestId;
use super::state::{AppState, Target};
use super::write::{write, WriteOp};
use crate::backends::stream::CategoryRead;
use crate::backends::{
    Backend, Encoded, ImageSlot, PageRequest, VehicleCategories, VehicleScope, VendorFailure,
};
use crate::config::Resource;
use crate::outbound::VendorResponse;
use crate::unified::{CategoryImages, Field, VehicleCategory};
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use serde::Deserialize;
use std::sync::Arc;

/// Items per page when `pageSize` is not given.
pub const DEFAULT_PAGE_SIZE: u32 = 50;
/// The largest `pageSize` accepted (400 above).
pub const MAX_PAGE_SIZE: u32 = 500;

type Reply<T> = Result<Envelope<T>, ApiError>;
/// A read, streamed to unified JSON ([`crate::backends::stream`]).
type Read = Result<JsonEnvelope, ApiError>;

/// `GET /v1/vehicle-categories`: the whole tree.
pub async fn tree(State(s): State<Arc<AppState>>, h: RequestId) -> Read {
    let (target, cats) = target(&s)?;
    let reply = target
        .outbound
        .exchange(cats.tree_request(None), h.get(), |r| {
            cats.decode_read_json(CategoryRead::Tree, r)
        })
        .await?;
    Ok(JsonEnvelope::ok(reply))
}

/// `GET /v1/vehicle-categories/{id}/tree`: the subtree rooted at `id`.
pub async fn subtree(State(s): State<Arc<AppState>>, Path(id): Path<String>, h: RequestId) -> Read {
    let id = path_id(&id)?;
    let (target, cats) = target(&s)?;
    let reply = target
        .outbound
        .exchange(cats.tree_request(Some(id)), h.get(), |r| {
            cats.decode_read_json(CategoryRead::Tree, r)
        })
        .await?;
    Ok(JsonEnvelope::ok(reply))
}

/// `GET /v1/vehicle-categories/{id}`
pub async fn get(State(s): State<Arc<AppState>>, Path(id): Path<String>, h: RequestId) -> Read {
    let id = path_id(&id)?;
    let (target, cats) = target(&s)?;
    let reply = target
        .outbound
        .exchange(cats.get_request(id), h.get(), |r| {
            cats.decode_read_json(CategoryRead::One, r)
        })
        .await?;
    Ok(JsonEnvelope::ok(reply))
}

/// `GET /v1/vehicle-categories/leaves?page=&pageSize=`: leaf categories.
pub async fn leaves(State(s): State<Arc<AppState>>, RawQuery(q): RawQuery, h: RequestId) -> Read {
    let page = page_query(q.as_deref())?;
    let (target, cats) = target(&s)?;
    let reply = target
        .outbound
        .exchange(cats.leaves_request(page), h.get(), |r| {
            cats.decode_read_json(CategoryRead::Leaves(page), r)
        })
        .await?;
    Ok(JsonEnvelope::ok(reply))
}

/// `GET /v1/vehicle-categories/{id}/vehicles?page=&pageSize=`
pub async fn vehicles(
    State(s): State<Arc<AppState>>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
    h: RequestId,
) -> Read {
    list_vehicles(&s, &id, q.as_deref(), VehicleScope::Category, &h).await
}

/// `GET /v1/vehicle-categories/{id}/descendant-vehicles?page=&pageSize=`
pub async fn descendant_vehicles(
    State(s): State<Arc<AppState>>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
    h: RequestId,
) -> Read {
    list_vehicles(&s, &id, q.as_deref(), VehicleScope::Descendants, &h).await
}

async fn list_vehicles(
    s: &AppState,
    id: &str,
    query: Option<&str>,
    scope: VehicleScope,
    h: &RequestId,
) -> Read {
    let id = path_id(id)?;
    let page = page_query(query)?;
    let (target, cats) = target(s)?;
    let reply = target
        .outbound
        .exchange(cats.vehicles_request(id, scope, page), h.get(), |r| {
            cats.decode_read_json(CategoryRead::Vehicles(page), r)
        })
        .await?;
    Ok(JsonEnvelope::ok(reply))
}

/// `POST /v1/vehicle-categories`: creates (fleet-admin `ID` 0).
pub async fn create(
    State(s): State<Arc<AppState>>,
    h: RequestId,
    body: JsonBody<VehicleCategory>,
) -> Reply<VehicleCategory> {
    if let Field::Value(_) = body.value.id {
        return Err(Refused::IdNotAllowed {
            what: "vehicle category",
            put: "/v1/vehicle-categories/{id}",
        }
        .into());
    }
    let mut reply = save(&s, None, body, &h).await?;
    reply.status = StatusCode::CREATED;
    Ok(reply)
}

/// `PUT /v1/vehicle-categories/{id}`: edits; the body's `id`, when given,
/// must be the path's.
pub async fn put(
    State(s): State<Arc<AppState>>,
    Path(id): Path<String>,
    h: RequestId,
    body: JsonBody<VehicleCategory>,
) -> Reply<VehicleCategory> {
    let id = path_id(&id)?;
    if let Field::Value(b) = body.value.id {
        if b != id {
            return Err(Refused::IdMismatch.into());
        }
    }
    save(&s, Some(id), body, &h).await
}

async fn save(
    s: &AppState,
    id: Option<i64>,
    body: JsonBody<VehicleCategory>,
    h: &RequestId,
) -> Reply<VehicleCategory> {
    let route = s.route(Resource::VehicleCategories)?;
    let op = SaveCategory {
        id,
        category: &body.value,
    };
    write(route, &op, &body.json, h.get()).await
}

/// A category write (`id` None creates).
struct SaveCategory<'a> {
    id: Option<i64>,
    category: &'a VehicleCategory,
}

impl WriteOp for SaveCategory<'_> {
    type Value = VehicleCategory;
    type Writer<'b> = dyn VehicleCategories + 'b;

    fn writer<'b>(&self, backend: &'b dyn Backend) -> Option<&'b (dyn VehicleCategories + 'b)> {
        backend.vehicle_categories()
    }

    fn encode(
        &self,
        w: &(dyn VehicleCategories + '_),
    ) -> Result<Encoded<VehicleCategory>, VendorFailure> {
        w.save_request(self.id, self.category)
    }

    fn decode(
        &self,
        w: &(dyn VehicleCategories + '_),
        resp: &VendorResponse,
        sent: VehicleCategory,
    ) -> Result<crate::backends::Reply<VehicleCategory>, VendorFailure> {
        w.decode_save(resp, sent)
    }
}

/// `DELETE /v1/vehicle-categories/{id}`: soft-deletes the category and its
/// descendants; 204.
pub async fn delete(
    State(s): State<Arc<AppState>>,
    Path(id): Path<String>,
    h: RequestId,
) -> Result<StatusCode, ApiError> {
    let id = path_id(&id)?;
    let (target, cats) = target(&s)?;
    target
        .outbound
        .exchange(cats.delete_request(id), h.get(), |r| cats.decode_delete(r))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /v1/vehicle-categories/{id}/images`: `{"image", "imageThumbnail"}`,
/// base64 as the vendor sent them.
pub async fn images(
    State(s): State<Arc<AppState>>,
    Path(id): Path<String>,
    h: RequestId,
) -> Reply<CategoryImages> {
    let id = path_id(&id)?;
    let (target, cats) = target(&s)?;
    let reply = target
        .outbound
        .exchange(cats.images_request(id), h.get(), |r| cats.decode_images(r))
        .await?;
    Ok(Envelope::ok(reply.data, reply.warnings))
}

/// The body of `PUT .../image` and `.../thumbnail`: `{"image": "<base64>"}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageBody {
    pub image: String,
}

/// `PUT /v1/vehicle-categories/{id}/image`; 204.
pub async fn put_image(
    State(s): State<Arc<AppState>>,
    Path(id): Path<String>,
    h: RequestId,
    body: JsonBody<ImageBody>,
) -> Result<Response, ApiError> {
    set_image(&s, &id, ImageSlot::Image, &body.value.image, &h).await
}

/// `PUT /v1/vehicle-categories/{id}/thumbnail`; 204.
pub async fn put_thumbnail(
    State(s): State<Arc<AppState>>,
    Path(id): Path<String>,
    h: RequestId,
    body: JsonBody<ImageBody>,
) -> Result<Response, ApiError> {
    set_image(&s, &id, ImageSlot::Thumbnail, &body.value.image, &h).await
}

async fn set_image(
    s: &AppState,
    id: &str,
    slot: ImageSlot,
    base64: &str,
    h: &RequestId,
) -> Result<Response, ApiError> {
    let id = path_id(id)?;
    let (target, cats) = target(s)?;
    let req = cats.image_request(id, slot, base64).map_err(|error| At {
        backend: target.name,
        error,
    })?;
    target
        .outbound
        .exchange(req, h.get(), |r| cats.decode_image(r))
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `?page=N&pageSize=M`: both optional (1 and 50), both positive integers,
/// `pageSize` at most 500; any other parameter is refused.
pub fn page_query(query: Option<&str>) -> Result<PageRequest, Refused> {
    let mut page = None;
    let mut size = None;
    let mut errors = Vec::new();
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (slot, max) = match k {
            "page" => (&mut page, u32::MAX),
            "pageSize" => (&mut size, MAX_PAGE_SIZE),
            _ => {
                errors.push(
                    ErrorItem::new("unknown_parameter", "only page and pageSize are accepted")
                        .field(k.to_string()),
                );
                continue;
            }
        };
        if slot.is_some() {
            errors.push(ErrorItem::new("repeated_parameter", "given more than once").field(k));
            continue;
        }
        let n = v
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| v.parse::<u32>().ok())
            .flatten()
            .filter(|n| (1..=max).contains(n));
        match n {
            Some(n) => *slot = Some(n),
            None => errors.push(
                ErrorItem::new(
                    "invalid_parameter",
                    format!("expected an integer from 1 to {max}"),
                )
                .field(k),
            ),
        }
    }
    if !errors.is_empty() {
        return Err(Refused::Paging(errors));
    }
    Ok(PageRequest {
        number: page.unwrap_or(1),
        size: size.unwrap_or(DEFAULT_PAGE_SIZE),
    })
}

fn target(s: &AppState) -> Result<(&Target, &dyn VehicleCategories), Refused> {
    s.route(Resource::VehicleCategories)?
        .first(|b| b.vehicle_categories())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_query() {
        let p = page_query(None).unwrap();
        assert_eq!((p.number, p.size), (1, DEFAULT_PAGE_SIZE));
        let p = page_query(Some("page=3&pageSize=20")).unwrap();
        assert_eq!((p.number, p.size), (3, 20));
        for bad in [
            "page=0",
            "pageSize=501",
            "page=x",
            "pagesize=3",
            "page=1&page=2",
            "page=",
        ] {
            let e = ApiError::from(page_query(Some(bad)).unwrap_err());
            assert_eq!(e.status, 400, "{bad}");
        }
        let Err(Refused::Paging(errors)) = page_query(Some("page=0&pageSize=0")) else {
            panic!("not refused as paging");
        };
        assert_eq!(errors.len(), 2);
    }
}
