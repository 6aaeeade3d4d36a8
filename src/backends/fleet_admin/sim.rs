//! The fleet-admin simulator: `base_url = "sandbox"` serves this.
//!
//! A seeded category tree (labels in English and Italian) with a few
//! vehicles; soft delete of a category and its descendants; the documented
//! `err_*` negative responses, some with HTTP 200 as the real vendor does.
//! It answers under `/api/vehicle-admin` (the vendor's prefix) and at the
//! root (where the sandbox points a backend).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use http::{header, Method, StatusCode};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// The vendor's prefix, accepted but not required.
pub const PREFIX: &str = "/api/vehicle-admin";

/// A 1x1 PNG, base64: the seeded image of category 1.
pub const SEED_PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

/// The Originator of every seeded category (the docs' sample value).
pub const ORIGINATOR: &str = "32b297a5-8180-420f-9482-84bfc7f55efe";

/// How many requests [`Simulator::received`] keeps. Bounded: a sandbox
/// serves for as long as the gateway runs (the soak test found the log
/// growing by every request).
pub const RECEIVED_KEPT: usize = 64;

/// A request as the simulator received it.
#[derive(Debug, Clone, PartialEq)]
pub struct Received {
    pub method: Method,
    /// Path and query, as sent (prefix included).
    pub path: String,
    pub body: String,
}

#[derive(Debug, Clone)]
struct Category {
    id: i64,
    parent: Option<i64>,
    labels: String,
    guid: String,
    created: String,
    deleted: Option<String>,
    manufacturer: Value,
    model: Value,
    year: Value,
    seats: Value,
    image: Option<String>,
    thumbnail: Option<String>,
}

#[derive(Default)]
struct Db {
    categories: BTreeMap<i64, Category>,
    /// Vehicles as the vendor sends them; `CategoryID` links them.
    vehicles: Vec<Value>,
    /// The last [`RECEIVED_KEPT`] requests, oldest first.
    received: std::collections::VecDeque<Received>,
    clock: u32,
}

/// The simulated vendor. Clones share one state.
#[derive(Clone, Default)]
pub struct Simulator {
    db: Arc<Mutex<Db>>,
}

fn guid_of(id: i64) -> String {
    format!("5e1f0000-0000-4000-8000-{id:012x}")
}

impl Simulator {
    /// Categories 1 City Car (2 Jolly Smart, 3 Compact), 4 Van (5 Cargo
    /// Van (6 Refrigerated), 7 Minibus (8 Nine seats)); vehicles 21 in 2,
    /// 22 in 3, 23 in 6. Categories 7 and 8 have no vehicles.
    pub fn seeded() -> Simulator {
        let sim = Simulator::default();
        {
            let mut db = sim.lock();
            let seed: [(i64, Option<i64>, &str, &str); 8] = [
                (1, None, "City Car", "Citycar"),
                (2, Some(1), "Jolly Smart", "Jolly Smart"),
                (3, Some(1), "Compact", "Compatta"),
                (4, None, "Van", "Furgone"),
                (5, Some(4), "Cargo Van", "Furgone merci"),
                (6, Some(5), "Refrigerated", "Frigorifero"),
                (7, Some(4), "Minibus", "Pulmino"),
                (8, Some(7), "Nine seats", "Nove posti"),
            ];
            for (id, parent, en, it) in seed {
                let labels = json!({"en": en, "it": it}).to_string();
                // serde_json without preserve_order sorts keys: "en" < "it".
                db.categories.insert(
                    id,
                    Category {
                        id,
                        parent,
                        labels,
                        guid: guid_of(id),
                        created: format!("2024-01-{:02}T08:00:00Z", id),
                        deleted: None,
                        manufacturer: if id == 2 { json!("FIAT") } else { Value::Null },
                        model: if id == 2 { json!("Jolly") } else { Value::Null },
                        year: if id == 2 { json!(2018) } else { Value::Null },
                        seats: if id == 2 { json!(4) } else { Value::Null },
                        image: (id == 1).then(|| SEED_PNG.to_string()),
                        thumbnail: (id == 1).then(|| SEED_PNG.to_string()),
                    },
                );
            }
            db.vehicles = vec![
                vehicle(21, 2, "AA000AA"),
                vehicle(22, 3, "BB111BB"),
                vehicle(23, 6, "CC222CC"),
            ];
            if let Some(v) = db.vehicles.get_mut(1).and_then(Value::as_object_mut) {
                // The descendants sample's garage members, on one vehicle.
                v.insert("NominalGarage".into(), json!("London Maintenance Garage"));
                v.insert("NominalGarageID".into(), json!(12));
                v.insert("RecoveringGarage".into(), Value::Null);
                v.insert("RecoveringGarageID".into(), Value::Null);
                v.insert("Devices".into(), Value::Null);
            }
        }
        sim
    }

    /// Serves the vendor's routes, under [`PREFIX`] and at the root.
    pub fn router(&self) -> axum::Router {
        axum::Router::new()
            .fallback(handle)
            .with_state(self.clone())
    }

    /// The last requests received (at most [`RECEIVED_KEPT`]), oldest first.
    pub fn received(&self) -> Vec<Received> {
        self.lock().received.iter().cloned().collect()
    }

    fn lock(&self) -> MutexGuard<'_, Db> {
        self.db.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A vehicle as the docs' `list-vehicles` sample shows it.
fn vehicle(id: i64, category: i64, plate: &str) -> Value {
    json!({
        "ID": id,
        "LicensePlate": plate,
        "VIN": format!("3434343434343434{id}"),
        "Sticker": null,
        "LastSetOperativeBy": "User Name",
        "IsOperative": false,
        "AdminOperativeStatus": false,
        "SystemOperativeStatus": true,
        "SystemOperativeReason": null,
        "OverriddenSystemOperativeStatus": true,
        "ForcedOperativeBy": "Administrator.name",
        "Notes": null,
        "CategoryLabels": "",
        "CategoryID": category,
        "CategoryTree": null,
        "Devices": [{"ID": 17, "SerialNumber": "DWVBMPHBJXFZFRM", "LastDeviceSync": "2001-01-01T00:00:00Z"}],
        "Latitude": 41.775761,
        "Longitude": 12.245980000000003,
        "LastPositionUpdate": "2019-09-18T04:14:23Z",
        "Groups": [],
        "CurrentTripGuid": null,
        "DeviceID": 17,
        "LastDeviceSync": null,
        "LastNetworkSignalStrengthPct": null,
        "EngineType": 0,
        "FuelTankCapacity": null,
        "FuelLevelPct": null,
        "EVBLevelPct": null,
        "OdometerKm": 118,
        "LastOdometerReading": "2001-01-01T00:00:00Z",
        "IsDamaged": false,
        "Status": status(),
        "InternalCleaningStatus": null,
        "ExternalCleaningStatus": null,
        "IgnitionVoltageLevel": null
    })
}

/// The docs' `VehicleStatus` sample.
fn status() -> Value {
    json!({
        "CurrentReservationEnd": "2001-01-01T01:01:01Z",
        "CurrentReservationMaxStart": "2001-01-01T01:01:01Z",
        "CurrentReservationMinStart": "2001-01-01T01:01:01Z",
        "LastDeviceSync": "2001-01-01T01:01:01Z",
        "LastMaintenanceEnd": "2001-01-01T01:01:01Z",
        "LastMaintenanceStart": "2001-01-01T01:01:01Z",
        "LastMotion": "2001-01-01T01:01:01Z",
        "LastPositionUpdate": "2001-01-01T01:01:01Z",
        "LastTripEnd": "2001-01-01T01:01:01Z",
        "LastTripStart": "2001-01-01T01:01:01Z",
        "FuelLevelPct": 10.123,
        "ServiceBattery": 12.456,
        "LastNetworkSignalStrengthPct": 81,
        "AdminOperativeStatus": true,
        "SystemOperativeStatus": false,
        "IsLowFuel": true,
        "IsLowEVB": true,
        "IsLostContact": false,
        "IsPositionLost": false,
        "IsReserved": false,
        "IsOnTrip": false,
        "IsOnTripAndMoving": false,
        "IsWithoutTripsForLong": false,
        "IsInMaintenance": false,
        "IsInternetWeak": false
    })
}

fn respond(status: StatusCode, body: &Value) -> Response {
    let mut r = Response::new(Body::from(body.to_string()));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json; charset=utf-8"),
    );
    r
}

fn ok(body: &Value) -> Response {
    respond(StatusCode::OK, body)
}

fn positive() -> Response {
    ok(&json!({"Success": true}))
}

fn negative(status: StatusCode, code: &str) -> Response {
    respond(status, &json!({"Success": false, "ErrorMessage": code}))
}

fn query_u64(query: &str, key: &str) -> Option<u64> {
    query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == key)
        .and_then(|(_, v)| v.parse().ok())
}

/// The asked page of `items` (`?page=N&pageSize=M`, 1-based); all of them
/// when no page is asked for.
fn paged(items: Vec<Value>, query: &str) -> Value {
    let (Some(page), Some(size)) = (query_u64(query, "page"), query_u64(query, "pageSize")) else {
        return Value::Array(items);
    };
    let skip = page.saturating_sub(1).saturating_mul(size);
    Value::Array(
        items
            .into_iter()
            .skip(usize::try_from(skip).unwrap_or(usize::MAX))
            .take(usize::try_from(size).unwrap_or(usize::MAX))
            .collect(),
    )
}

async fn handle(State(sim): State<Simulator>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let body = axum::body::to_bytes(body, 16 << 20)
        .await
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&body).into_owned();
    let path_and_query = parts
        .uri
        .path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_default();
    let mut db = sim.lock();
    if db.received.len() >= RECEIVED_KEPT {
        db.received.pop_front();
    }
    db.received.push_back(Received {
        method: parts.method.clone(),
        path: path_and_query,
        body: text.clone(),
    });
    let path = parts.uri.path();
    let path = path.strip_prefix(PREFIX).unwrap_or(path);
    let query = parts.uri.query().unwrap_or("");
    let Some(rest) = path.strip_prefix("/v1/vehicle-categories") else {
        return respond(
            StatusCode::NOT_FOUND,
            &json!({"Message": "No HTTP resource was found"}),
        );
    };
    let segs: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let m = &parts.method;
    match segs.as_slice() {
        [] if m == Method::POST => db.save(&text),
        ["tree"] if m == Method::GET => ok(&Value::Array(db.tree_of(None))),
        ["list"] if m == Method::GET => ok(&paged(db.leaves(), query)),
        [id, tail @ ..] => {
            let Ok(id) = id.parse::<i64>() else {
                return negative(StatusCode::BAD_REQUEST, "err_InvalidElement");
            };
            match (m.as_str(), tail) {
                ("GET", []) => db.get(id),
                ("DELETE", []) => db.delete(id),
                ("GET", ["tree"]) => db.subtree(id),
                ("GET", ["images"]) => db.images(id),
                ("POST", ["image"]) => db.set_image(id, &text, false),
                ("POST", ["thumbnail"]) => db.set_image(id, &text, true),
                ("GET", ["list-vehicles"]) => db.vehicles_of(id, false, query),
                ("GET", ["list-descendants-vehicles"]) => db.vehicles_of(id, true, query),
                _ => respond(
                    StatusCode::NOT_FOUND,
                    &json!({"Message": "No HTTP resource was found"}),
                ),
            }
        }
        _ => respond(
            StatusCode::NOT_FOUND,
            &json!({"Message": "No HTTP resource was found"}),
        ),
    }
}

impl Db {
    fn live(&self, id: i64) -> Option<&Category> {
        self.categories.get(&id).filter(|c| c.deleted.is_none())
    }

    fn now(&mut self) -> String {
        self.clock += 1;
        format!(
            "2025-06-01T12:{:02}:{:02}Z",
            (self.clock / 60) % 60,
            self.clock % 60
        )
    }

    fn children_of(&self, id: i64) -> Vec<i64> {
        self.categories
            .values()
            .filter(|c| c.parent == Some(id) && c.deleted.is_none())
            .map(|c| c.id)
            .collect()
    }

    /// `id` and every live descendant.
    fn subtree_ids(&self, id: i64) -> Vec<i64> {
        let mut out = vec![id];
        let mut i = 0;
        while let Some(&at) = out.get(i) {
            out.extend(self.children_of(at));
            i += 1;
        }
        out
    }

    fn node(&self, c: &Category, parent_guid_always: bool) -> Value {
        let mut m = Map::new();
        m.insert("ID".into(), json!(c.id));
        m.insert("ParentID".into(), json!(c.parent));
        m.insert("Labels".into(), json!(c.labels));
        let children: Vec<Value> = self
            .children_of(c.id)
            .into_iter()
            .filter_map(|k| self.categories.get(&k))
            .map(|k| self.node(k, true))
            .collect();
        m.insert("Children".into(), Value::Array(children));
        m.insert("Guid".into(), json!(c.guid));
        let parent_guid = c
            .parent
            .and_then(|p| self.categories.get(&p))
            .map(|p| p.guid.clone());
        if parent_guid.is_some() || parent_guid_always {
            m.insert("ParentGuid".into(), json!(parent_guid));
        }
        m.insert("Originator".into(), json!(ORIGINATOR));
        Value::Object(m)
    }

    fn tree_of(&self, root: Option<i64>) -> Vec<Value> {
        self.categories
            .values()
            .filter(|c| c.deleted.is_none() && c.parent == root)
            .map(|c| self.node(c, false))
            .collect()
    }

    fn subtree(&self, id: i64) -> Response {
        match self.live(id) {
            Some(c) => ok(&json!([self.node(c, true)])),
            None => negative(StatusCode::OK, "err_ElementDoesNotExist"),
        }
    }

    fn leaves(&self) -> Vec<Value> {
        self.categories
            .values()
            .filter(|c| c.deleted.is_none() && self.children_of(c.id).is_empty())
            .map(|c| {
                json!({
                    "ID": c.id,
                    "ParentID": c.parent,
                    "Labels": c.labels,
                    "Guid": c.guid,
                    "ParentGuid": c.parent.and_then(|p| self.categories.get(&p)).map(|p| p.guid.clone()),
                    "DeletionDate": c.deleted,
                    "Originator": ORIGINATOR,
                })
            })
            .collect()
    }

    fn get(&self, id: i64) -> Response {
        let Some(c) = self.categories.get(&id) else {
            return negative(StatusCode::OK, "err_ElementDoesNotExist");
        };
        ok(&json!({
            "ID": c.id,
            "ParentID": c.parent,
            "DeletionDate": c.deleted,
            "CreatedDate": c.created,
            "Guid": c.guid,
            "Labels": c.labels,
            "Manufacturer": c.manufacturer,
            "Model": c.model,
            "Year": c.year,
            "PassengerSeats": c.seats,
            "Image": c.image,
            "ImageThumbnail": c.thumbnail,
            "IsRoot": c.parent.is_none(),
        }))
    }

    fn save(&mut self, body: &str) -> Response {
        let Ok(Value::Object(b)) = serde_json::from_str::<Value>(body) else {
            return negative(StatusCode::BAD_REQUEST, "err_InvalidElement");
        };
        let id = b.get("ID").and_then(Value::as_i64).unwrap_or(0);
        let labels = match b.get("Labels").and_then(Value::as_str) {
            Some(l) if !l.trim().is_empty() => l.to_string(),
            _ => return negative(StatusCode::OK, "err_InvalidElement"),
        };
        let parent = b.get("ParentID").and_then(Value::as_i64);
        if let Some(p) = parent {
            let cycle = id != 0 && self.subtree_ids(id).contains(&p);
            if self.live(p).is_none() || cycle {
                return negative(StatusCode::OK, "err_InvalidElement");
            }
        }
        let member = |k: &str| b.get(k).cloned().unwrap_or(Value::Null);
        if id == 0 {
            let new_id = self.categories.keys().next_back().copied().unwrap_or(0) + 1;
            let created = self.now();
            self.categories.insert(
                new_id,
                Category {
                    id: new_id,
                    parent,
                    labels,
                    guid: guid_of(new_id),
                    created,
                    deleted: None,
                    manufacturer: member("Manufacturer"),
                    model: member("Model"),
                    year: member("Year"),
                    seats: member("PassengerSeats"),
                    image: None,
                    thumbnail: None,
                },
            );
            return positive();
        }
        let (manufacturer, model, year, seats) = (
            member("Manufacturer"),
            member("Model"),
            member("Year"),
            member("PassengerSeats"),
        );
        match self.categories.get_mut(&id) {
            Some(c) if c.deleted.is_none() => {
                c.parent = parent;
                c.labels = labels;
                c.manufacturer = manufacturer;
                c.model = model;
                c.year = year;
                c.seats = seats;
                positive()
            }
            _ => negative(StatusCode::OK, "err_InvalidElement"),
        }
    }

    fn delete(&mut self, id: i64) -> Response {
        match self.categories.get(&id) {
            None => return negative(StatusCode::NOT_FOUND, "err_ElementDoesNotExist"),
            Some(c) if c.deleted.is_some() => {
                return negative(StatusCode::OK, "err_ElementAlreadyDeleted")
            }
            Some(_) => {}
        }
        let ids = self.subtree_ids(id);
        let has_vehicles = self.vehicles.iter().any(|v| {
            v.get("CategoryID")
                .and_then(Value::as_i64)
                .is_some_and(|c| ids.contains(&c))
        });
        if has_vehicles {
            return negative(StatusCode::CONFLICT, "err_CannotDeleteCategoryHasVehicles");
        }
        let when = self.now();
        for i in ids {
            if let Some(c) = self.categories.get_mut(&i) {
                c.deleted = Some(when.clone());
            }
        }
        positive()
    }

    fn images(&self, id: i64) -> Response {
        match self.live(id) {
            Some(c) => ok(&json!({"Image": c.image, "ImageThumbnail": c.thumbnail})),
            None => negative(StatusCode::OK, "err_ElementDoesNotExist"),
        }
    }

    fn set_image(&mut self, id: i64, body: &str, thumbnail: bool) -> Response {
        let text = serde_json::from_str::<Value>(body).ok().and_then(|b| {
            b.get("Base64String")
                .and_then(Value::as_str)
                .map(str::to_owned)
        });
        let Some(text) = text else {
            return negative(StatusCode::BAD_REQUEST, "err_InvalidElement");
        };
        match self.categories.get_mut(&id) {
            Some(c) if c.deleted.is_none() => {
                if thumbnail {
                    c.thumbnail = Some(text);
                } else {
                    c.image = Some(text);
                }
                positive()
            }
            _ => negative(StatusCode::OK, "err_ElementDoesNotExist"),
        }
    }

    fn vehicles_of(&self, id: i64, descendants: bool, query: &str) -> Response {
        if self.live(id).is_none() {
            return negative(StatusCode::OK, "err_ElementDoesNotExist");
        }
        let ids: Vec<i64> = if descendants {
            self.subtree_ids(id).into_iter().skip(1).collect()
        } else {
            vec![id]
        };
        let list: Vec<Value> = self
            .vehicles
            .iter()
            .filter(|v| {
                v.get("CategoryID")
                    .and_then(Value::as_i64)
                    .is_some_and(|c| ids.contains(&c))
            })
            .map(|v| {
                let mut v = v.clone();
                let labels = v
                    .get("CategoryID")
                    .and_then(Value::as_i64)
                    .and_then(|c| self.categories.get(&c))
                    .map(|c| c.labels.clone());
                if let (Some(o), Some(l)) = (v.as_object_mut(), labels) {
                    o.insert("CategoryLabels".into(), json!(l));
                }
                v
            })
            .collect();
        ok(&paged(list, query))
    }
}
