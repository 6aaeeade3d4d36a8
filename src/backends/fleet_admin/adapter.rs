//! The fleet-admin backend: its config section, the requests it sends and
//! how it reads the answers. Pure: sending is the outbound stack's job.

use super::images;
use super::mapping;
use super::paging::{self, PagingKeys};
use super::sim::Simulator;
use super::verdict;
use super::wire::{CategoryImagesDto, ImageUploadDto, VehicleCategoryDto, VehicleDto};
use crate::backends::stream::{CategoryRead, DataJson};
use crate::backends::{
    decode_error, parse_section, Backend, Built, Encoded, ImageRefusal, ImageSlot, PageRequest,
    Paged, Reply, SectionInput, VehicleCategories, VehicleScope, Vendor, VendorFailure,
};
use crate::config::ConfigErrors;
use crate::outbound::{VendorRequest, VendorResponse};
use crate::unified::{CategoryImages, ErrorItem, Field, Num, Vehicle, VehicleCategory, Warning};
use http::{header, HeaderValue, Method};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::sync::Arc;

pub const NAME: &str = "fleet_admin";

pub const VENDOR: Vendor = Vendor {
    name: NAME,
    build,
    options: &[],
};

/// The default largest image accepted, decoded: 512 KiB, whose base64
/// (about 700 KB) fits the default 1 MiB request body limit.
pub const DEFAULT_MAX_IMAGE_BYTES: usize = 512 * 1024;

const JSON: &str = "application/json";

/// `[backends.fleet_admin]` keys besides the shared ones.
#[derive(Debug, Deserialize)]
#[serde(default)]
struct Section {
    /// Largest image (decoded bytes) a `PUT .../image` or `.../thumbnail`
    /// may carry; 413 above.
    max_image_bytes: usize,
    /// The vendor's paging query parameters (undocumented, see `paging.rs`).
    page_param: String,
    page_size_param: String,
    first_page: u32,
}

impl Default for Section {
    fn default() -> Self {
        let k = PagingKeys::default();
        Section {
            max_image_bytes: DEFAULT_MAX_IMAGE_BYTES,
            page_param: k.page_param,
            page_size_param: k.page_size_param,
            first_page: k.first_page,
        }
    }
}

fn build(section: &SectionInput<'_>, errors: &mut ConfigErrors) -> Option<Built> {
    let (outbound, own) = parse_section::<Section>(NAME, section, errors)?;
    let mut ok = true;
    if own.max_image_bytes == 0 {
        errors.push(format!("backends.{NAME}.max_image_bytes: must be above 0"));
        ok = false;
    }
    for (key, v) in [
        ("page_param", &own.page_param),
        ("page_size_param", &own.page_size_param),
    ] {
        if !PagingKeys::is_plain(v) {
            errors.push(format!(
                "backends.{NAME}.{key}: must be a plain query name (A-Z a-z 0-9 _ - . ~)"
            ));
            ok = false;
        }
    }
    if own.first_page > 1 {
        errors.push(format!("backends.{NAME}.first_page: must be 0 or 1"));
        ok = false;
    }
    ok.then(|| Built {
        outbound,
        backend: Arc::new(FleetAdmin {
            max_image_bytes: own.max_image_bytes,
            paging: PagingKeys {
                page_param: own.page_param,
                page_size_param: own.page_size_param,
                first_page: own.first_page,
            },
        }),
    })
}

/// The fleet-admin (vehicle-admin API) backend. `base_url` carries the
/// vendor's `/api/vehicle-admin` prefix; paths here start at `/v1`.
pub struct FleetAdmin {
    max_image_bytes: usize,
    paging: PagingKeys,
}

impl Default for FleetAdmin {
    fn default() -> Self {
        FleetAdmin {
            max_image_bytes: DEFAULT_MAX_IMAGE_BYTES,
            paging: PagingKeys::default(),
        }
    }
}

impl FleetAdmin {
    pub fn new(max_image_bytes: usize, paging: PagingKeys) -> Self {
        FleetAdmin {
            max_image_bytes,
            paging,
        }
    }

    fn get(&self, operation: &'static str, path: String) -> VendorRequest {
        VendorRequest::new(operation, Method::GET, path)
            .header(header::ACCEPT, HeaderValue::from_static(JSON))
    }

    fn post(&self, operation: &'static str, path: String, body: Vec<u8>) -> VendorRequest {
        VendorRequest::new(operation, Method::POST, path)
            .header(header::ACCEPT, HeaderValue::from_static(JSON))
            .body(JSON, body)
    }
}

impl Backend for FleetAdmin {
    fn name(&self) -> &'static str {
        NAME
    }

    fn simulator(&self) -> axum::Router {
        Simulator::seeded().router()
    }

    fn vehicle_categories(&self) -> Option<&dyn VehicleCategories> {
        Some(self)
    }
}

/// A data answer: a negative verdict or bad status first, then the body as
/// `T`, with every member the gateway does not know named in a warning.
fn read<T: DeserializeOwned>(resp: &VendorResponse) -> Result<(T, Vec<Warning>), VendorFailure> {
    if let Some(f) = verdict::failure(resp) {
        return Err(f);
    }
    let mut unknown = Vec::new();
    let de = &mut serde_json::Deserializer::from_slice(&resp.body);
    // The error names the member and what was expected, never the value.
    let mut note = |p: serde_ignored::Path<'_>| unknown.push(p.to_string());
    let value: T =
        serde_path_to_error::deserialize(serde_ignored::Deserializer::new(&mut *de, &mut note))
            .map_err(|e| VendorFailure::Unreadable(decode_error::json(&e)))?;
    de.end()
        .map_err(|e| VendorFailure::Unreadable(decode_error::json_at(None, &e)))?;
    let warnings = unknown
        .iter()
        .map(|m| Warning::vendor_member_unknown(NAME, m))
        .collect();
    Ok((value, warnings))
}

fn unreadable(e: impl std::fmt::Display) -> VendorFailure {
    VendorFailure::Unreadable(e.to_string())
}

fn categories(list: Vec<VehicleCategoryDto>) -> Result<Vec<VehicleCategory>, VendorFailure> {
    list.into_iter()
        .map(|c| mapping::category_from_wire(c).map_err(unreadable))
        .collect()
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, VendorFailure> {
    serde_json::to_string(v).map_err(|e| VendorFailure::Unreadable(format!("own encoding: {e}")))
}

impl VehicleCategories for FleetAdmin {
    fn tree_request(&self, id: Option<i64>) -> VendorRequest {
        match id {
            None => self.get("get_category_tree", "/v1/vehicle-categories/tree".into()),
            Some(id) => self.get(
                "get_category_subtree",
                format!("/v1/vehicle-categories/{id}/tree"),
            ),
        }
    }

    fn decode_tree(
        &self,
        resp: &VendorResponse,
    ) -> Result<Reply<Vec<VehicleCategory>>, VendorFailure> {
        let (list, warnings) = read::<Vec<VehicleCategoryDto>>(resp)?;
        Ok(Reply {
            data: categories(list)?,
            warnings,
        })
    }

    fn get_request(&self, id: i64) -> VendorRequest {
        self.get("get_category", format!("/v1/vehicle-categories/{id}"))
    }

    fn decode_get(&self, resp: &VendorResponse) -> Result<Reply<VehicleCategory>, VendorFailure> {
        let (c, warnings) = read::<VehicleCategoryDto>(resp)?;
        Ok(Reply {
            data: mapping::category_from_wire(c).map_err(unreadable)?,
            warnings,
        })
    }

    fn leaves_request(&self, page: PageRequest) -> VendorRequest {
        self.get(
            "list_leaf_categories",
            format!("/v1/vehicle-categories/list{}", self.paging.query(page)),
        )
    }

    fn decode_leaves(
        &self,
        resp: &VendorResponse,
        page: PageRequest,
    ) -> Result<Reply<Paged<VehicleCategory>>, VendorFailure> {
        let (list, warnings) = read::<Vec<VehicleCategoryDto>>(resp)?;
        Ok(Reply {
            data: paging::page_of(categories(list)?, page),
            warnings,
        })
    }

    fn save_request(
        &self,
        id: Option<i64>,
        category: &VehicleCategory,
    ) -> Result<Encoded<VehicleCategory>, VendorFailure> {
        let mut dto = mapping::category_to_edit(category);
        // `Year` and `PassengerSeats` are `Int` at the vendor: an integral
        // number (`1e2`, `4.0`) goes as that integer, anything else is the
        // caller's 400, never a float the vendor would truncate or refuse.
        let errors: Vec<ErrorItem> = [
            ("year", &mut dto.year),
            ("passengerSeats", &mut dto.passenger_seats),
        ]
        .into_iter()
        .filter_map(|(field, value)| match value {
            Field::Value(n) => match int32(n) {
                Some(i) => {
                    *n = Num::from(i);
                    None
                }
                None => Some(
                    ErrorItem::new(
                        "not_an_int32",
                        format!(
                            "{field} must be a whole number that fits 32 bits (the vendor's Int)"
                        ),
                    )
                    .field(field),
                ),
            },
            _ => None,
        })
        .collect();
        if !errors.is_empty() {
            return Err(VendorFailure::Unsendable(errors));
        }
        // `ID` 0 creates; an edit carries the path's id.
        dto.id = Field::Value(id.unwrap_or(0));
        let body = to_json(&dto)?;
        // What the vendor will store: the gateway's own body, read back.
        let mut stored = serde_json::from_str(&body)
            .map_err(unreadable)
            .and_then(|w| mapping::edit_to_category(w).map_err(unreadable))?;
        if id.is_none() {
            // The 0 asks for a create; it is not the new category's id.
            stored.id = category.id.clone();
        }
        Ok(Encoded {
            // An edit (ID > 0) is idempotent by design; a create is not.
            request: self
                .post(
                    "save_category",
                    "/v1/vehicle-categories".into(),
                    body.into_bytes(),
                )
                .idempotent(id.is_some()),
            stored,
        })
    }

    fn decode_save(
        &self,
        resp: &VendorResponse,
        mut sent: VehicleCategory,
    ) -> Result<Reply<VehicleCategory>, VendorFailure> {
        let v = verdict::positive(resp)?;
        let mut warnings = Vec::new();
        if sent.id.value().is_none() {
            match v.id {
                // Not documented: a positive answer carrying the new id.
                Field::Value(id) if id > 0 => sent.id = Field::Value(id),
                _ => warnings.push(Warning {
                    backend: NAME.into(),
                    code: "id_not_returned".into(),
                    message: "fleet-admin does not return the id of a new category; find it with GET /v1/vehicle-categories".into(),
                    field: Some("id".into()),
                    title: None,
                }),
            }
        }
        Ok(Reply {
            data: sent,
            warnings,
        })
    }

    fn delete_request(&self, id: i64) -> VendorRequest {
        VendorRequest::new(
            "delete_category",
            Method::DELETE,
            format!("/v1/vehicle-categories/{id}"),
        )
        .header(header::ACCEPT, HeaderValue::from_static(JSON))
        // A retried delete whose first try landed would answer
        // err_ElementAlreadyDeleted (409): not retried.
        .idempotent(false)
    }

    fn decode_delete(&self, resp: &VendorResponse) -> Result<Reply<()>, VendorFailure> {
        verdict::positive(resp).map(|_| Reply::new(()))
    }

    fn images_request(&self, id: i64) -> VendorRequest {
        self.get(
            "get_category_images",
            format!("/v1/vehicle-categories/{id}/images"),
        )
    }

    fn decode_images(&self, resp: &VendorResponse) -> Result<Reply<CategoryImages>, VendorFailure> {
        let (i, warnings) = read::<CategoryImagesDto>(resp)?;
        Ok(Reply {
            data: mapping::images_from_wire(i),
            warnings,
        })
    }

    fn image_request(
        &self,
        id: i64,
        slot: ImageSlot,
        base64: &str,
    ) -> Result<VendorRequest, ImageRefusal> {
        images::check(base64, self.max_image_bytes)?;
        let body = serde_json::to_vec(&ImageUploadDto {
            base64_string: base64.to_owned(),
        })
        .map_err(|e| ImageRefusal::Invalid(e.to_string()))?;
        let (op, leaf) = match slot {
            ImageSlot::Image => ("save_category_image", "image"),
            ImageSlot::Thumbnail => ("save_category_thumbnail", "thumbnail"),
        };
        // Setting an image twice leaves the same image.
        Ok(self
            .post(op, format!("/v1/vehicle-categories/{id}/{leaf}"), body)
            .idempotent(true))
    }

    fn decode_image(&self, resp: &VendorResponse) -> Result<Reply<()>, VendorFailure> {
        verdict::positive(resp).map(|_| Reply::new(()))
    }

    fn vehicles_request(&self, id: i64, scope: VehicleScope, page: PageRequest) -> VendorRequest {
        let (op, leaf) = match scope {
            VehicleScope::Category => ("list_category_vehicles", "list-vehicles"),
            VehicleScope::Descendants => ("list_descendant_vehicles", "list-descendants-vehicles"),
        };
        self.get(
            op,
            format!(
                "/v1/vehicle-categories/{id}/{leaf}{}",
                self.paging.query(page)
            ),
        )
    }

    fn decode_read_json(
        &self,
        read: CategoryRead,
        resp: &VendorResponse,
    ) -> Result<Reply<DataJson>, VendorFailure> {
        super::stream::decode(self, NAME, read, resp)
    }

    fn decode_vehicles(
        &self,
        resp: &VendorResponse,
        page: PageRequest,
    ) -> Result<Reply<Paged<Vehicle>>, VendorFailure> {
        let (list, warnings) = read::<Vec<VehicleDto>>(resp)?;
        let vehicles = list
            .into_iter()
            .map(|v| mapping::vehicle_from_wire(v).map_err(unreadable))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Reply {
            data: paging::page_of(vehicles, page),
            warnings,
        })
    }
}
/// `n` as a .NET `Int`, when it is a whole number in its range.
fn int32(n: &Num) -> Option<i64> {
    let whole = match n.as_i64() {
        Some(i) if n.is_integer() => i,
        _ => {
            let f = n.as_f64()?;
            if f.fract() != 0.0 || !(f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(&f) {
                return None;
            }
            f as i64
        }
    };
    i32::try_from(whole).ok().map(i64::from)
}
