//! Golden tests on the fleet-admin page's samples (normalised to JSON, see
//! `tests/fixtures/fleet_admin/README.md`): decode -> unified equals the
//! checked-in `*.unified.json`; wire -> unified -> wire is the identity;
//! the write bodies are the documented ones.

use bytes::Bytes;
use crossdock::backends::fleet_admin::{mapping, sim::SEED_PNG, wire, FleetAdmin};
use crossdock::backends::{ImageSlot, PageRequest, VehicleCategories, VendorFailure};
use crossdock::outbound::VendorResponse;
use crossdock::unified::{Field, Labels, Num, Vehicle, VehicleCategory};
use http::StatusCode;
use serde_json::Value;
use std::path::PathBuf;

fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fleet_admin")
        .join(name)
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(fixture_path(name)).unwrap()
}

fn resp(status: u16, body: &str) -> VendorResponse {
    let mut headers = http::HeaderMap::new();
    headers.insert(
        "content-type",
        "application/json; charset=utf-8".parse().unwrap(),
    );
    VendorResponse {
        status: StatusCode::from_u16(status).unwrap(),
        headers,
        body: Bytes::from(body.to_owned()),
    }
}

/// Compares with the checked-in unified value (or writes it, on
/// `UPDATE_GOLDEN=1`).
fn golden(name: &str, got: &impl serde::Serialize) {
    let got = serde_json::to_value(got).unwrap();
    let path = fixture_path(&format!("{name}.unified.json"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, serde_json::to_string_pretty(&got).unwrap() + "\n").unwrap();
    }
    let want: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(
        got,
        want,
        "{name}: decoded value differs from {}",
        path.display()
    );
}

fn page() -> PageRequest {
    PageRequest {
        number: 1,
        size: 50,
    }
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

#[test]
fn tree_and_subtree() {
    let fa = FleetAdmin::default();
    for name in ["tree", "subtree"] {
        let text = fixture(&format!("{name}.json"));
        let reply = fa.decode_tree(&resp(200, &text)).unwrap();
        assert!(reply.warnings.is_empty(), "{:?}", reply.warnings);
        golden(name, &reply.data);
        // Round trip: the vendor's JSON, member for member.
        let back: Vec<wire::VehicleCategoryDto> = reply
            .data
            .into_iter()
            .map(mapping::category_to_wire)
            .collect();
        assert_eq!(serde_json::to_value(&back).unwrap(), json(&text), "{name}");
    }
}

#[test]
fn labels_are_objects_at_every_depth_and_keep_their_text() {
    let fa = FleetAdmin::default();
    let tree = fa
        .decode_tree(&resp(200, &fixture("tree.json")))
        .unwrap()
        .data;
    let root = &tree[0];
    assert_eq!(
        root.labels.value().and_then(|l| l.get("en")),
        Some(&Value::from("City Car"))
    );
    let compact = root.children.value().unwrap()[1].clone();
    assert_eq!(
        serde_json::to_string(compact.labels.value().unwrap()).unwrap(),
        r#"{"en":"Compact","it":"Compatta"}"#
    );
    // Member order is the vendor's ("it" before "en"), byte for byte.
    let van = mapping::category_to_wire(tree[1].clone());
    assert_eq!(
        van.labels,
        Field::Value(r#"{"it":"Furgone","en":"Van"}"#.to_string())
    );
}

#[test]
fn single_category() {
    let fa = FleetAdmin::default();
    let text = fixture("category.json");
    let reply = fa.decode_get(&resp(200, &text)).unwrap();
    assert!(reply.warnings.is_empty());
    golden("category", &reply.data);
    let back = mapping::category_to_wire(reply.data);
    assert_eq!(serde_json::to_value(&back).unwrap(), json(&text));
}

#[test]
fn leaves() {
    let fa = FleetAdmin::default();
    let text = fixture("leaves.json");
    let reply = fa.decode_leaves(&resp(200, &text), page()).unwrap();
    assert!(reply.warnings.is_empty());
    assert!(!reply.data.page.has_more);
    golden("leaves", &reply.data.items);
    let back: Vec<_> = reply
        .data
        .items
        .into_iter()
        .map(mapping::category_to_wire)
        .collect();
    assert_eq!(serde_json::to_value(&back).unwrap(), json(&text));
}

#[test]
fn images() {
    let fa = FleetAdmin::default();
    let text = fixture("images.json");
    let reply = fa.decode_images(&resp(200, &text)).unwrap();
    golden("images", &reply.data);
    let back = mapping::images_to_wire(reply.data);
    assert_eq!(serde_json::to_value(&back).unwrap(), json(&text));
}

#[test]
fn vehicles_of_both_lists() {
    let fa = FleetAdmin::default();
    for name in ["vehicles", "descendant-vehicles"] {
        let text = fixture(&format!("{name}.json"));
        let reply = fa.decode_vehicles(&resp(200, &text), page()).unwrap();
        assert!(reply.warnings.is_empty(), "{name}: {:?}", reply.warnings);
        golden(name, &reply.data.items);
        let back: Vec<_> = reply
            .data
            .items
            .into_iter()
            .map(mapping::vehicle_to_wire)
            .collect();
        let back = serde_json::to_string(&back).unwrap();
        assert_eq!(json(&back), json(&text), "{name}");
        // Floats keep their exact text, integers stay integers.
        assert!(back.contains("\"Longitude\":12.245980000000003"), "{back}");
        assert!(back.contains("\"Latitude\":41.775761"));
        assert!(back.contains("\"OdometerKm\":118,"));
        assert!(back.contains("\"LastNetworkSignalStrengthPct\":81,"));
    }
}

#[test]
fn vehicle_fixed_names() {
    let fa = FleetAdmin::default();
    let reply = fa
        .decode_vehicles(&resp(200, &fixture("vehicles.json")), page())
        .unwrap();
    let v = serde_json::to_value(&reply.data.items[0]).unwrap();
    assert_eq!(v["id"], 21);
    assert_eq!(v["vin"], "343434343434343434");
    assert_eq!(v["licensePlate"], "AA000AA");
    assert_eq!(
        v["odometer"],
        json(r#"{"km":118,"reportedAt":"2001-01-01T00:00:00Z"}"#)
    );
    assert_eq!(v["categoryLabels"], json(r#"{"en":"City Car"}"#));
    assert_eq!(v["position"]["longitude"].to_string(), "12.245980000000003");
    assert_eq!(v["status"]["isLowEvb"], true);
}

#[test]
fn save_body_is_the_documented_one() {
    let fa = FleetAdmin::default();
    let text = fixture("save-request.json");
    let dto: wire::CategoryEditDto = serde_json::from_str(&text).unwrap();
    let unified = mapping::edit_to_category(dto).unwrap();
    let encoded = fa.save_request(Some(123), &unified).unwrap();
    assert_eq!(encoded.request.method, http::Method::POST);
    assert_eq!(encoded.request.path, "/v1/vehicle-categories");
    let sent: Value = serde_json::from_slice(&encoded.request.body).unwrap();
    assert_eq!(sent, json(&text));
    assert_eq!(sent["Labels"], r#"{"en":"Sedan","it":"Berlina"}"#);
    assert_eq!(encoded.stored, unified);
    // A create sends ID 0.
    let mut fresh = unified.clone();
    fresh.id = Field::Absent;
    let created = fa.save_request(None, &fresh).unwrap();
    let sent: Value = serde_json::from_slice(&created.request.body).unwrap();
    assert_eq!(sent["ID"], 0);
    assert_eq!(created.stored.id, Field::Absent);
    let ok = fa
        .decode_save(&resp(200, &fixture("positive.json")), created.stored)
        .unwrap();
    assert_eq!(ok.warnings[0].code, "id_not_returned");
}

#[test]
fn image_body_is_the_documented_one() {
    let fa = FleetAdmin::default();
    let req = fa.image_request(5, ImageSlot::Thumbnail, SEED_PNG).unwrap();
    assert_eq!(req.path, "/v1/vehicle-categories/5/thumbnail");
    let sent: Value = serde_json::from_slice(&req.body).unwrap();
    assert_eq!(sent, json(&fixture("image-request.json")));
}

#[test]
fn documented_negative_responses() {
    let fa = FleetAdmin::default();
    for (name, want) in [
        ("InvalidElement", 422),
        ("ElementDoesNotExist", 404),
        ("ElementAlreadyDeleted", 409),
        ("CannotDeleteCategoryHasVehicles", 409),
    ] {
        let text = fixture(&format!("negative-{name}.json"));
        for status in [200, 400] {
            let f = fa.decode_delete(&resp(status, &text)).err().unwrap();
            let e = crossdock::api::failed::vendor_error("fleet_admin", f.clone());
            assert_eq!(e.status.as_u16(), want, "{name} at {status}");
            if want != 404 {
                assert_eq!(e.errors[0].code, format!("err_{name}"));
            }
            // Reads read verdicts too.
            assert_eq!(fa.decode_get(&resp(status, &text)).err().unwrap(), f);
        }
    }
    assert!(fa
        .decode_delete(&resp(200, &fixture("positive.json")))
        .is_ok());
}

#[test]
fn unreadable_labels_name_the_category() {
    let fa = FleetAdmin::default();
    let bad = fixture("tree.json").replace(r#"{\"en\":\"Jolly Smart\"}"#, "Jolly Smart");
    match fa.decode_tree(&resp(200, &bad)) {
        Err(VendorFailure::Unreadable(why)) => {
            assert!(
                why.starts_with("category 2: Labels is not a stringified JSON object"),
                "{why}"
            )
        }
        other => panic!("{:?}", other.map(|r| r.data)),
    }
    let bad = fixture("vehicles.json").replace(r#"{\"en\":\"City Car\"}"#, "[1,2]");
    match fa.decode_vehicles(&resp(200, &bad), page()) {
        Err(VendorFailure::Unreadable(why)) => {
            assert!(
                why.starts_with("vehicle 21 (category 1): CategoryLabels"),
                "{why}"
            )
        }
        other => panic!("{:?}", other.map(|r| r.data.items)),
    }
}

#[test]
fn unknown_members_are_named() {
    let fa = FleetAdmin::default();
    let text = fixture("category.json").replace("\"IsRoot\"", "\"Color\": \"red\", \"IsRoot\"");
    let reply = fa.decode_get(&resp(200, &text)).unwrap();
    assert_eq!(reply.warnings.len(), 1);
    assert!(reply.warnings[0].message.contains("Color"));
}

/// A unified category built by hand maps as the spec's names say.
#[test]
fn unified_names_of_a_category() {
    let c = VehicleCategory {
        id: Field::Value(9),
        parent_id: Field::Null,
        labels: Field::Value(Labels::from_iter([("en", "Bus")])),
        year: Field::Value(Num::from(2020)),
        ..VehicleCategory::default()
    };
    let v = serde_json::to_value(&c).unwrap();
    assert_eq!(
        v,
        json(r#"{"id":9,"parentId":null,"labels":{"en":"Bus"},"year":2020}"#)
    );
    let _ = Vehicle::default();
}
