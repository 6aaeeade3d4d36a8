//! `/v1/vehicle-categories` end to end over real sockets: the gateway and
//! the fleet-admin simulator (sandbox) or a scripted vendor.

use crate::common;

use crate::common::scripted::{Answer, Scripted};
use crate::common::{send, Gateway, GatewayConfig, Resp};
use crossdock::backends::fleet_admin::sim::{Simulator, SEED_PNG};
use http::Method;
use serde_json::{json, Value};

fn config(base_url: &str, backend_extra: &str, route_extra: &str) -> String {
    GatewayConfig::new()
        .backend("fleet_admin", base_url)
        .set("timeout_ms", 2000)
        .lines(backend_extra)
        .route("vehicle_categories", &["fleet_admin"])
        .lines(route_extra)
        .build()
}

async fn sandbox() -> Gateway {
    Gateway::start(&config("sandbox", "", "")).await
}

async fn delete(gw: &Gateway, path: &str) -> Resp {
    send(Method::DELETE, &gw.url(path), &[], None).await
}

fn ids(list: &Value) -> Vec<i64> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect()
}

fn ok(r: &Resp) -> Value {
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.content_type(), "application/json");
    r.json()
}

#[tokio::test]
async fn every_read_route_against_the_sandbox() {
    let gw = sandbox().await;

    let tree = ok(&gw.get("/v1/vehicle-categories").await);
    assert!(tree.get("page").is_none());
    assert_eq!(tree["warnings"], json!([]));
    assert_eq!(ids(&tree["data"]), vec![1, 4]);
    assert_eq!(
        tree["data"][0]["labels"],
        json!({"en": "City Car", "it": "Citycar"})
    );
    assert_eq!(ids(&tree["data"][0]["children"]), vec![2, 3]);
    // Labels are objects at every depth.
    let cargo = &tree["data"][1]["children"][0];
    assert_eq!(cargo["children"][0]["labels"]["it"], "Frigorifero");

    let one = ok(&gw.get("/v1/vehicle-categories/2").await)["data"].clone();
    assert_eq!(one["id"], 2);
    assert_eq!(one["parentId"], 1);
    assert_eq!(one["isRoot"], false);
    assert_eq!(one["manufacturer"], "FIAT");
    assert_eq!(one["year"], 2018);
    assert_eq!(one["deletedAt"], Value::Null);

    let sub = ok(&gw.get("/v1/vehicle-categories/4/tree").await);
    assert_eq!(ids(&sub["data"]), vec![4]);
    assert_eq!(ids(&sub["data"][0]["children"]), vec![5, 7]);

    // `leaves` is not taken for an `{id}`.
    let leaves = ok(&gw.get("/v1/vehicle-categories/leaves").await);
    assert_eq!(ids(&leaves["data"]), vec![2, 3, 6, 8]);
    assert_eq!(
        leaves["page"],
        json!({"number": 1, "size": 50, "hasMore": false})
    );
    let p2 = ok(&gw
        .get("/v1/vehicle-categories/leaves?page=2&pageSize=2")
        .await);
    assert_eq!(ids(&p2["data"]), vec![6, 8]);
    assert_eq!(p2["page"], json!({"number": 2, "size": 2, "hasMore": true}));
    let p3 = ok(&gw
        .get("/v1/vehicle-categories/leaves?page=3&pageSize=2")
        .await);
    assert_eq!(p3["data"], json!([]));
    assert_eq!(p3["page"]["hasMore"], false);

    let images = ok(&gw.get("/v1/vehicle-categories/1/images").await);
    assert_eq!(
        images["data"],
        json!({"image": SEED_PNG, "imageThumbnail": SEED_PNG})
    );

    let v = gw.get("/v1/vehicle-categories/2/vehicles").await;
    let raw = String::from_utf8_lossy(&v.body).into_owned();
    let v = ok(&v);
    assert_eq!(ids(&v["data"]), vec![21]);
    assert_eq!(
        v["page"],
        json!({"number": 1, "size": 50, "hasMore": false})
    );
    let car = &v["data"][0];
    assert_eq!(car["vin"], "343434343434343421");
    assert_eq!(car["licensePlate"], "AA000AA");
    assert_eq!(
        car["odometer"],
        json!({"km": 118, "reportedAt": "2001-01-01T00:00:00Z"})
    );
    assert_eq!(car["categoryId"], 2);
    assert_eq!(
        car["categoryLabels"],
        json!({"en": "Jolly Smart", "it": "Jolly Smart"})
    );
    assert!(raw.contains(r#""longitude":12.245980000000003"#), "{raw}");

    let d = ok(&gw.get("/v1/vehicle-categories/4/descendant-vehicles").await);
    assert_eq!(ids(&d["data"]), vec![23]);
    let d = ok(&gw
        .get("/v1/vehicle-categories/1/descendant-vehicles?pageSize=1")
        .await);
    assert_eq!(ids(&d["data"]), vec![21]);
    assert_eq!(d["page"], json!({"number": 1, "size": 1, "hasMore": true}));
    let garage = ok(&gw.get("/v1/vehicle-categories/3/vehicles").await);
    assert_eq!(
        garage["data"][0]["nominalGarage"],
        "London Maintenance Garage"
    );
    assert_eq!(garage["data"][0]["devices"], Value::Null);
}

#[tokio::test]
async fn writes_and_soft_delete_against_the_sandbox() {
    let gw = sandbox().await;
    let labels = json!({"it": "Autobus \"urbano\"", "en": "City bus", "ja": "路線バス"});
    let created = gw
        .send_json(
            Method::POST,
            "/v1/vehicle-categories",
            &json!({"parentId": 4, "labels": labels, "passengerSeats": 40}),
        )
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    let body = created.json();
    assert_eq!(body["warnings"][0]["code"], "id_not_returned");
    let tree = ok(&gw.get("/v1/vehicle-categories/4/tree").await);
    assert_eq!(ids(&tree["data"][0]["children"]), vec![5, 7, 9]);
    let new = ok(&gw.get("/v1/vehicle-categories/9").await)["data"].clone();
    assert_eq!(new["labels"], labels);
    assert_eq!(new["passengerSeats"], 40);

    // Edit: the writable members; the answer is what was stored.
    let edit = json!({"id": 9, "parentId": 4, "labels": {"en": "Coach"}, "manufacturer": "Iveco", "year": 2021});
    let put = gw.put_json("/v1/vehicle-categories/9", &edit).await;
    let put = ok(&put);
    assert_eq!(put["warnings"], json!([]));
    assert_eq!(put["data"], edit);
    let again = ok(&gw.get("/v1/vehicle-categories/9").await)["data"].clone();
    assert_eq!(again["labels"], json!({"en": "Coach"}));
    assert_eq!(again["manufacturer"], "Iveco");

    // Images, base64 in and out.
    let r = gw
        .put_json(
            "/v1/vehicle-categories/9/image",
            &json!({"image": SEED_PNG}),
        )
        .await;
    assert_eq!(r.status, 204, "{:?}", r.body);
    let r = gw
        .put_json(
            "/v1/vehicle-categories/9/thumbnail",
            &json!({"image": "TWFu"}),
        )
        .await;
    assert_eq!(r.status, 204);
    let images = ok(&gw.get("/v1/vehicle-categories/9/images").await);
    assert_eq!(
        images["data"],
        json!({"image": SEED_PNG, "imageThumbnail": "TWFu"})
    );

    // Soft delete of 7 takes 8 with it.
    let r = delete(&gw, "/v1/vehicle-categories/7").await;
    assert_eq!(r.status, 204);
    assert!(r.body.is_empty());
    for id in [7, 8] {
        let c = ok(&gw.get(&format!("/v1/vehicle-categories/{id}")).await);
        assert!(c["data"]["deletedAt"].is_string(), "{id}: {c}");
    }
    let tree = ok(&gw.get("/v1/vehicle-categories/4/tree").await);
    assert_eq!(ids(&tree["data"][0]["children"]), vec![5, 9]);
    let leaves = ok(&gw.get("/v1/vehicle-categories/leaves").await);
    assert_eq!(ids(&leaves["data"]), vec![2, 3, 6, 9]);

    // The documented errors.
    let p = delete(&gw, "/v1/vehicle-categories/7")
        .await
        .assert_problem(409);
    assert_eq!(p["errors"][0]["code"], "err_ElementAlreadyDeleted");
    assert_eq!(p["backend"], "fleet_admin");
    let p = delete(&gw, "/v1/vehicle-categories/1")
        .await
        .assert_problem(409);
    assert_eq!(
        p["errors"][0]["code"],
        "err_CannotDeleteCategoryHasVehicles"
    );
    delete(&gw, "/v1/vehicle-categories/999")
        .await
        .assert_problem(404);
    gw.get("/v1/vehicle-categories/999")
        .await
        .assert_problem(404);
    gw.get("/v1/vehicle-categories/999/images")
        .await
        .assert_problem(404);
    let p = gw
        .send_json(
            Method::POST,
            "/v1/vehicle-categories",
            &json!({"parentId": 1}),
        )
        .await
        .assert_problem(422);
    assert_eq!(p["errors"][0]["code"], "err_InvalidElement");
    let p = gw
        .put_json(
            "/v1/vehicle-categories/999",
            &json!({"labels": {"en": "x"}}),
        )
        .await
        .assert_problem(422);
    assert_eq!(p["errors"][0]["code"], "err_InvalidElement");
}

#[tokio::test]
async fn members_the_vendor_does_not_store_are_named_or_refused() {
    let gw = sandbox().await;
    let read = ok(&gw.get("/v1/vehicle-categories/2").await)["data"].clone();
    let put = ok(&gw
        .put_json("/v1/vehicle-categories/2", &json!({"data": read}))
        .await);
    let mut fields: Vec<String> = put["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            assert_eq!(w["code"], "field_not_stored");
            w["field"].as_str().unwrap().to_string()
        })
        .collect();
    fields.sort();
    assert_eq!(
        fields,
        ["createdAt", "guid", "isRoot"],
        "null members the vendor has no place for are not reported"
    );

    let strict = Gateway::start(&config("sandbox", "", "strict = true")).await;
    let p = strict
        .put_json("/v1/vehicle-categories/2", &read)
        .await
        .assert_problem(422);
    assert_eq!(p["errors"][0]["code"], "field_not_stored");
    let fine = strict
        .put_json(
            "/v1/vehicle-categories/2",
            &json!({"labels": {"en": "Jolly"}}),
        )
        .await;
    assert_eq!(fine.status, 200);
}

#[tokio::test]
async fn bad_requests_are_refused_before_the_vendor() {
    let vendor = Scripted::new([]);
    let gw = Gateway::start(&config(&vendor.start().await, "max_image_bytes = 6", "")).await;
    for path in [
        "/v1/vehicle-categories/abc",
        "/v1/vehicle-categories/0",
        "/v1/vehicle-categories/-3",
        "/v1/vehicle-categories/1.5/tree",
        "/v1/vehicle-categories/leaves?page=0",
        "/v1/vehicle-categories/leaves?pageSize=501",
        "/v1/vehicle-categories/leaves?size=5",
        "/v1/vehicle-categories/2/vehicles?page=x",
    ] {
        gw.get(path).await.assert_problem(400);
    }
    let img = "/v1/vehicle-categories/2/image";
    for body in [
        json!({"image": "not base64!"}),
        json!({"image": "TWF"}),
        json!({"image": ""}),
        json!({"image": "data:image/png;base64,TWFu"}),
        json!({"data": "TWFu"}),
        json!({"image": 12}),
    ] {
        let p = gw.put_json(img, &body).await.assert_problem(400);
        assert!(!p["errors"].as_array().unwrap().is_empty(), "{body}");
    }
    // 9 bytes decoded, above max_image_bytes = 6.
    let p = gw
        .put_json(
            "/v1/vehicle-categories/2/thumbnail",
            &json!({"image": "TWFuTWFuTWFu"}),
        )
        .await
        .assert_problem(413);
    assert_eq!(p["errors"][0]["code"], "image_too_large");
    gw.send_json(
        Method::POST,
        "/v1/vehicle-categories",
        &json!({"id": 5, "labels": {"en": "x"}}),
    )
    .await
    .assert_problem(400);
    gw.put_json(
        "/v1/vehicle-categories/5",
        &json!({"id": 6, "labels": {"en": "x"}}),
    )
    .await
    .assert_problem(400);
    gw.put_json(
        "/v1/vehicle-categories/5",
        &json!({"labels": "{\"en\":\"x\"}"}),
    )
    .await
    .assert_problem(400);
    assert!(vendor.received().is_empty(), "nothing reaches the vendor");
}

#[tokio::test]
async fn every_err_code_at_200_and_at_an_error_status() {
    let cases = [
        ("err_ElementDoesNotExist", 404, 404),
        ("err_ElementAlreadyDeleted", 409, 200),
        ("err_CannotDeleteCategoryHasVehicles", 409, 409),
        ("err_InvalidElement", 422, 400),
        ("err_SomethingNew", 502, 500),
    ];
    for (code, want, other_status) in cases {
        for status in [200, other_status] {
            let body = format!(r#"{{"Success": false, "ErrorMessage": "{code}"}}"#);
            let vendor = Scripted::new([
                Answer::json(status, body.clone()),
                Answer::json(status, body.clone()),
                Answer::json(status, body.clone()),
            ]);
            let gw = Gateway::start(&config(&vendor.start().await, "", "")).await;
            let p = delete(&gw, "/v1/vehicle-categories/3")
                .await
                .assert_problem(want);
            if want == 502 {
                // An unknown code is not echoed: it is the vendor's text.
                assert_eq!(p["errors"][0]["code"], "vendor_unknown_verdict");
            } else if want != 404 {
                assert_eq!(p["errors"][0]["code"], code, "{code} at {status}");
            }
            gw.get("/v1/vehicle-categories/3")
                .await
                .assert_problem(want);
            gw.put_json("/v1/vehicle-categories/3/image", &json!({"image": "TWFu"}))
                .await
                .assert_problem(want);
        }
    }
}

#[tokio::test]
async fn unreadable_labels_are_a_502_naming_the_category() {
    let tree = r#"[{"ID":1,"ParentID":null,"Labels":"{\"en\":\"City Car\"}","Children":[{"ID":2,"ParentID":1,"Labels":"Jolly Smart","Children":[]}]}]"#;
    let vehicles = r#"[{"ID":21,"CategoryID":7,"CategoryLabels":"{\"en\":"}]"#;
    let vendor = Scripted::new([Answer::json(200, tree), Answer::json(200, vehicles)]);
    let gw = Gateway::start(&config(&vendor.start().await, "", "")).await;
    let p = gw.get("/v1/vehicle-categories").await.assert_problem(502);
    let detail = p["detail"].as_str().unwrap();
    assert!(
        detail.contains("category 2: Labels is not a stringified JSON object"),
        "{detail}"
    );
    let p = gw
        .get("/v1/vehicle-categories/7/vehicles")
        .await
        .assert_problem(502);
    assert!(p["detail"]
        .as_str()
        .unwrap()
        .contains("vehicle 21 (category 7): CategoryLabels"));
}

#[tokio::test]
async fn paging_is_mapped_to_the_vendor_and_prefix_kept() {
    let two = r#"[{"ID":2,"Labels":"{\"en\":\"a\"}"},{"ID":3,"Labels":"{\"en\":\"b\"}"}]"#;
    let vendor = Scripted::new([
        Answer::json(200, two),
        Answer::json(200, "[]"),
        Answer::json(200, two),
    ]);
    let base = format!("{}/api/vehicle-admin", vendor.start().await);
    let gw = Gateway::start(&config(&base, "", "")).await;
    let r = ok(&gw
        .get("/v1/vehicle-categories/leaves?page=3&pageSize=2")
        .await);
    assert_eq!(r["page"], json!({"number": 3, "size": 2, "hasMore": true}));
    let r = ok(&gw
        .get("/v1/vehicle-categories/5/descendant-vehicles?pageSize=10")
        .await);
    assert_eq!(
        r["page"],
        json!({"number": 1, "size": 10, "hasMore": false})
    );
    let zero = Gateway::start(&config(
        &base,
        "first_page = 0\npage_param = \"pageIndex\"",
        "",
    ))
    .await;
    ok(&zero
        .get("/v1/vehicle-categories/5/vehicles?page=2&pageSize=2")
        .await);
    let got: Vec<String> = vendor.received().into_iter().map(|r| r.path).collect();
    assert_eq!(
        got,
        [
            "/api/vehicle-admin/v1/vehicle-categories/list?page=3&pageSize=2",
            "/api/vehicle-admin/v1/vehicle-categories/5/list-descendants-vehicles?page=1&pageSize=10",
            "/api/vehicle-admin/v1/vehicle-categories/5/list-vehicles?pageIndex=1&pageSize=2",
        ]
    );
}

#[tokio::test]
async fn writes_send_the_documented_bodies_and_read_positive_responses() {
    let vendor = Scripted::new([
        Answer::json(200, r#"{"Success": true}"#),
        Answer::json(200, r#"{"Success": true}"#),
        Answer::json(200, "<html>oops</html>"),
    ]);
    let gw = Gateway::start(&config(&vendor.start().await, "", "")).await;
    let labels = r#"{"it":"Berlina","en":"Sedan"}"#;
    let body = format!(r#"{{"labels":{labels},"parentId":12,"year":2018}}"#);
    let r = send(
        Method::PUT,
        &gw.url("/v1/vehicle-categories/123"),
        &[("content-type", "application/json")],
        Some(body.into_bytes()),
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let r = gw
        .put_json(
            "/v1/vehicle-categories/123/thumbnail",
            &json!({"image": SEED_PNG}),
        )
        .await;
    assert_eq!(r.status, 204);
    delete(&gw, "/v1/vehicle-categories/123")
        .await
        .assert_problem(502);
    let got = vendor.received();
    assert_eq!(got[0].method, Method::POST);
    assert_eq!(got[0].path, "/v1/vehicle-categories");
    let sent: Value = serde_json::from_slice(&got[0].body).unwrap();
    assert_eq!(
        sent,
        json!({"ID": 123, "ParentID": 12, "Labels": labels, "Year": 2018})
    );
    assert_eq!(got[1].path, "/v1/vehicle-categories/123/thumbnail");
    assert_eq!(
        serde_json::from_slice::<Value>(&got[1].body).unwrap(),
        json!({"Base64String": SEED_PNG})
    );
    assert_eq!(got[2].method, Method::DELETE);
}

#[tokio::test]
async fn a_read_written_back_reaches_the_vendor_unchanged() {
    let vendor = Scripted::new([
        Answer::json(
            200,
            r#"{"ID":5,"ParentID":4,"Labels":"{\"it\":\"Furgone \\\"XL\\\"\",\"en\":\"Van\"}","Manufacturer":null,"Model":"Ducato","Year":2019,"PassengerSeats":3}"#,
        ),
        Answer::json(200, r#"{"Success":true}"#),
    ]);
    let gw = Gateway::start(&config(&vendor.start().await, "", "")).await;
    // The body as the gateway wrote it (a parsed Value would sort members).
    let read = gw.get("/v1/vehicle-categories/5").await;
    assert_eq!(read.status, 200);
    let put = send(
        Method::PUT,
        &gw.url("/v1/vehicle-categories/5"),
        &[("content-type", "application/json")],
        Some(read.body.to_vec()),
    )
    .await;
    let put = ok(&put);
    assert_eq!(put["warnings"], json!([]));
    let sent: Value = serde_json::from_slice(&vendor.received()[1].body).unwrap();
    assert_eq!(
        sent,
        json!({"ID":5,"ParentID":4,"Labels":"{\"it\":\"Furgone \\\"XL\\\"\",\"en\":\"Van\"}","Manufacturer":null,"Model":"Ducato","Year":2019,"PassengerSeats":3})
    );
}

#[tokio::test]
async fn the_simulator_answers_under_the_vendor_prefix() {
    let sim = Simulator::seeded();
    let addr = common::serve(sim.router()).await;
    let gw = Gateway::start(&config(&format!("http://{addr}/api/vehicle-admin"), "", "")).await;
    let tree = ok(&gw.get("/v1/vehicle-categories").await);
    assert_eq!(ids(&tree["data"]), vec![1, 4]);
    let got = sim.received();
    assert_eq!(got[0].path, "/api/vehicle-admin/v1/vehicle-categories/tree");
}

#[tokio::test]
async fn the_default_config_serves_categories() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/config/default.toml"))
        .unwrap();
    let gw = Gateway::start(&text).await;
    let tree = ok(&gw.get("/v1/vehicle-categories").await);
    assert!(!tree["data"].as_array().unwrap().is_empty());
}

/// Numbers reach the vendor as written or not at all: `Year` and
/// `PassengerSeats` are the vendor's `Int`, so `1e2` goes as `100`, and a
/// fraction, a value past 32 bits or a literal no double holds is a 400
/// naming the field with nothing sent.
#[tokio::test]
async fn numbers_go_exactly_or_are_refused() {
    let vendor = Scripted::new([Answer::json(200, r#"{"Success": true}"#)]);
    let gw = Gateway::start(&config(&vendor.start().await, "", "")).await;
    let cat = |extra: &str| -> Value {
        let mut c: Value = serde_json::from_str(&format!(
            r#"{{"parentId": 1, "labels": {{"en": "Van"}}{extra}}}"#
        ))
        .unwrap();
        c.as_object_mut().unwrap().remove("x");
        c
    };
    for (extra, field) in [
        (r#", "year": 2018.5"#, "year"),
        (r#", "year": 3000000000"#, "year"),
        (r#", "passengerSeats": -4.25"#, "passengerSeats"),
    ] {
        let r = gw
            .send_json(Method::PUT, "/v1/vehicle-categories/7", &cat(extra))
            .await;
        let p = r.assert_problem(400);
        assert_eq!(p["errors"][0]["field"], field, "{extra}");
    }
    // Literals no double or 64-bit integer holds never reach a decoder.
    for raw in [
        r#"{"labels": {"en": "Van"}, "year": 123456789012345678901234567890}"#,
        r#"{"labels": {"en": "Van"}, "passengerSeats": 4.00000000000000000001}"#,
    ] {
        let r = send(
            Method::PUT,
            &gw.url("/v1/vehicle-categories/7"),
            &[("content-type", "application/json")],
            Some(raw.as_bytes().to_vec()),
        )
        .await;
        let p = r.assert_problem(400);
        assert_eq!(p["errors"][0]["code"], "number_not_exact", "{raw}");
    }
    assert!(vendor.received().is_empty(), "nothing was sent");
    let r = send(
        Method::PUT,
        &gw.url("/v1/vehicle-categories/7"),
        &[("content-type", "application/json")],
        Some(br#"{"labels": {"en": "Van"}, "passengerSeats": 1e2, "year": 2018.0}"#.to_vec()),
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let sent = String::from_utf8(vendor.received()[0].body.to_vec()).unwrap();
    assert!(sent.contains(r#""PassengerSeats":100"#), "{sent}");
    assert!(
        sent.contains(r#""Year":2018"#) && !sent.contains("2018.0"),
        "{sent}"
    );
}

/// A raw (duplicate-keeping) write of `body`.
async fn raw_write(gw: &Gateway, method: Method, path: &str, body: &str) -> Resp {
    send(
        method,
        &gw.url(path),
        &[("content-type", "application/json")],
        Some(body.as_bytes().to_vec()),
    )
    .await
}

#[tokio::test]
async fn duplicate_members_inside_labels_are_refused_and_nothing_is_sent() {
    let vendor = Scripted::new([Answer::json(200, r#"{"Success": true}"#)]);
    let gw = Gateway::start(&config(&vendor.start().await, "", "")).await;
    for (method, path, body, field) in [
        (
            Method::POST,
            "/v1/vehicle-categories",
            r#"{"labels": {"en": "a", "en": "b"}, "parentId": 1}"#,
            "labels.en",
        ),
        (
            Method::PUT,
            "/v1/vehicle-categories/5",
            r#"{"data": {"labels": {"it": "x", "en": {"v": 1, "v": 2}}}}"#,
            "data.labels.en.v",
        ),
        (
            Method::POST,
            "/v1/vehicle-categories",
            r#"{"labels": {"en": "a"}, "model": "m", "model": "n"}"#,
            "model",
        ),
    ] {
        let r = raw_write(&gw, method, path, body).await;
        let p = r.assert_problem(400);
        let item = &p["errors"][0];
        assert_eq!(item["field"], field, "{body}: {p}");
        assert_eq!(item["code"], "duplicate_member", "{body}: {p}");
    }
    assert!(vendor.received().is_empty(), "nothing reaches the vendor");
}
