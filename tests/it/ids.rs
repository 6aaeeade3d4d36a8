//! Ids keep the vendor's type, end to end (the real gateway and vendors on
//! loopback): the department types its ids as strings, so any valid text id
//! reaches it exactly; BokaMera and Vehizen type theirs as Guids, so a
//! non-GUID is a 400 naming the field and nothing is sent; and a GUID
//! keeps the text it came with (case, hyphens) in every wire format.

use crate::common::scripted::{Answer, Scripted};
use crate::common::{serve, Gateway};
use bytes::Bytes;
use crossdock::backends::department::sim::Simulator;
use serde_json::{json, Value};

const TOKEN: &str = "tok-ids";
const USER: &str = "crm-user";
const PASSWORD: &str = "crm-pass";
const COMPANY: &str = "11111111-2222-3333-4444-555555555555";
/// A GUID in upper case without hyphens, and one in upper case with them.
const BARE_UPPER: &str = "0F8FAD5BD9CB469FA16570867728950E";
const HYPHEN_UPPER: &str = "97F5A8BE-6361-4D52-BE22-6671CD96888E";
const BARE_LOWER: &str = "1090d9521b60465999102b99f8aec2ac";

fn department(base_url: &str) -> String {
    format!(
        r#"
[backends.department]
base_url = "{base_url}"
timeout_ms = 500
token = "{TOKEN}"
username = "{USER}"
password = "{PASSWORD}"
"#
    )
}

fn bokamera(base_url: &str, format: &str) -> String {
    format!(
        r#"
[backends.bokamera]
base_url = "{base_url}"
format = "{format}"
timeout_ms = 500
api_key = "k-ids"
company_id = "{COMPANY}"
"#
    )
}

fn customers_to(backends: &str) -> String {
    format!("[routes.customers]\nbackends = [{backends}]\n")
}

fn vehizen(base_url: &str, format: &str) -> String {
    format!(
        r#"
[backends.vehizen]
base_url = "{base_url}"
format = "{format}"
timeout_ms = 500
[routes.customer_groups]
backends = ["vehizen"]
"#
    )
}

fn no_content() -> Answer {
    Answer::Body(204, "text/plain", Bytes::new())
}

/// Percent-encodes a path segment for the gateway's URL.
fn segment(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn fields(p: &Value) -> Vec<&str> {
    p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect()
}

// ---- department: string ids, exactly ----

#[tokio::test]
async fn department_text_ids_reach_the_vendor_exactly() {
    let vendor = Scripted::new([no_content(), no_content()]);
    let url = vendor.start().await;
    let gw = Gateway::start(&(department(&url) + &customers_to("\"department\""))).await;
    let id = "CUST 1/ä";
    let body = json!({
        "id": id,
        "addresses": [{"id": "ADDR-0001", "line1": "Storgatan 1"}],
        "vehicles": [{"id": "v 1/ä", "vin": "YV1XZ12345F000001"}, {"id": BARE_UPPER}]
    });
    let r = gw
        .put_json(&format!("/v1/customers/{}", segment(id)), &body)
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["data"], body);
    assert_eq!(r.json()["warnings"], json!([]));
    let sent = &vendor.received()[0];
    assert_eq!(
        sent.path,
        format!("/customer/v2/department/{TOKEN}/customer/CUST%201%2F%C3%A4")
    );
    let wire: Value = serde_json::from_slice(&sent.body).unwrap();
    assert_eq!(wire["customer"]["customerUuid"], id);
    assert_eq!(wire["customer"]["addresses"][0]["uuid"], "ADDR-0001");
    assert_eq!(wire["vehicles"][0]["vehicleUuid"], "v 1/ä");
    assert_eq!(wire["vehicles"][1]["vehicleUuid"], BARE_UPPER);

    // The longest id (256 bytes) goes too.
    let long = "ä".repeat(128);
    let r = gw
        .put_json(&format!("/v1/customers/{}", segment(&long)), &json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let wire: Value = serde_json::from_slice(&vendor.received()[1].body).unwrap();
    assert_eq!(wire["customer"]["customerUuid"], long.as_str());
}

#[tokio::test]
async fn department_sandbox_stores_text_ids_as_given() {
    let sim = Simulator::new(TOKEN, Some((USER, PASSWORD)));
    let url = format!("http://{}", serve(sim.router()).await);
    let gw = Gateway::start(&(department(&url) + &customers_to("\"department\""))).await;
    let r = gw
        .put_json(
            "/v1/customers/Cust-%C3%84",
            &json!({"addresses": [{"id": "ADDR-0001"}], "vehicles": [{"id": "v 1/ä"}]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let stored = sim.customer("Cust-Ä").expect("stored under the exact id");
    let stored = serde_json::to_value(stored).unwrap();
    assert_eq!(stored["customer"]["customerUuid"], "Cust-Ä");
    assert_eq!(stored["customer"]["addresses"][0]["uuid"], "ADDR-0001");
    assert_eq!(stored["vehicles"][0]["vehicleUuid"], "v 1/ä");
    // A text id is not a GUID: its case is part of it.
    assert!(sim.customer("cust-ä").is_none());
}

#[tokio::test]
async fn invalid_text_ids_are_400_naming_the_field_and_nothing_is_sent() {
    let vendor = Scripted::new([]);
    let url = vendor.start().await;
    let gw = Gateway::start(&(department(&url) + &customers_to("\"department\""))).await;
    let too_long = "x".repeat(257);
    for (path_id, body, field) in [
        ("a%00b", json!({}), "id"),
        ("a%0Ab", json!({}), "id"),
        ("a%7F", json!({}), "id"),
        ("a%C2%80", json!({}), "id"),
        (too_long.as_str(), json!({}), "id"),
        ("Abc", json!({"id": "abc"}), "id"),
        ("Abc", json!({"id": "Abc "}), "id"),
        ("ok", json!({"id": ""}), "id"),
        ("ok", json!({"addresses": [{"id": ""}]}), "addresses[0].id"),
        (
            "ok",
            json!({"vehicles": [{"id": "v\u{9}1"}]}),
            "vehicles[0].id",
        ),
        (
            "ok",
            json!({"addresses": [{"id": "y".repeat(257)}]}),
            "addresses[0].id",
        ),
    ] {
        let p = gw
            .put_json(&format!("/v1/customers/{path_id}"), &body)
            .await
            .assert_problem(400);
        assert_eq!(p["errors"][0]["field"], field, "{path_id} {body}: {p}");
    }
    // GUIDs still match case aside.
    let vendor_ok = Scripted::new([no_content()]);
    let url = vendor_ok.start().await;
    let gw2 = Gateway::start(&(department(&url) + &customers_to("\"department\""))).await;
    let r = gw2
        .put_json(
            &format!("/v1/customers/{HYPHEN_UPPER}"),
            &json!({"id": HYPHEN_UPPER.to_lowercase()}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["data"]["id"], HYPHEN_UPPER);
    assert!(vendor.received().is_empty());
}

// ---- BokaMera: the customer Id is a Guid ----

#[tokio::test]
async fn bokamera_non_guid_id_is_400_naming_id_and_nothing_is_sent() {
    for format in ["json", "jsv"] {
        let vendor = Scripted::new([]);
        let url = vendor.start().await;
        let gw = Gateway::start(&(bokamera(&url, format) + &customers_to("\"bokamera\""))).await;
        for id in [
            "CUST-1",
            "0f8fad5b-d9cb-469f-a165-70867728950",
            "ADDR%200001",
        ] {
            let p = gw
                .put_json(&format!("/v1/customers/{id}"), &json!({"firstName": "A"}))
                .await
                .assert_problem(400);
            assert_eq!(p["backend"], "bokamera", "{p}");
            assert_eq!(p["type"], "urn:crossdock:problem:invalid-request");
            assert_eq!(fields(&p), ["id"]);
            assert_eq!(p["errors"][0]["code"], "not_a_guid");
        }
        assert!(vendor.received().is_empty(), "{format}");
    }
}

#[tokio::test]
async fn fan_out_with_a_non_guid_id_sends_nothing_to_either_backend() {
    let dept = Scripted::new([no_content()]);
    let boka = Scripted::new([Answer::Body(200, "text/jsv", Bytes::from_static(b"{}"))]);
    let toml = department(&dept.start().await)
        + &bokamera(&boka.start().await, "jsv")
        + &customers_to("\"department\", \"bokamera\"");
    let gw = Gateway::start(&toml).await;
    let p = gw
        .put_json("/v1/customers/CUST-1", &json!({"firstName": "A"}))
        .await
        .assert_problem(400);
    assert_eq!(p["backend"], "bokamera");
    assert_eq!(fields(&p), ["id"]);
    assert!(dept.received().is_empty() && boka.received().is_empty());
}

#[tokio::test]
async fn bokamera_guid_text_goes_out_as_given_in_json_and_jsv() {
    let customer = json!({
        "firstName": "A",
        "accessKeys": [{"id": HYPHEN_UPPER, "companyId": BARE_LOWER, "customerId": BARE_UPPER, "accessKeyTypeId": 1, "value": "k"}],
        "accessKeysToDelete": [{"id": BARE_LOWER.to_uppercase()}]
    });
    for (format, ctype) in [("json", "application/json"), ("jsv", "text/jsv")] {
        let vendor = Scripted::new([Answer::Body(200, ctype, Bytes::from_static(b"{}"))]);
        let url = vendor.start().await;
        let gw = Gateway::start(&(bokamera(&url, format) + &customers_to("\"bokamera\""))).await;
        let r = gw
            .put_json(&format!("/v1/customers/{BARE_UPPER}"), &customer)
            .await;
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        assert_eq!(r.json()["data"]["id"], BARE_UPPER);
        let sent = &vendor.received()[0];
        assert_eq!(
            sent.path,
            format!("/customers/{BARE_UPPER}?CompanyId={COMPANY}")
        );
        let body = String::from_utf8(sent.body.to_vec()).unwrap();
        let q = if format == "json" { "\"" } else { "" };
        for (name, text) in [
            ("Id", HYPHEN_UPPER),
            ("CompanyId", BARE_LOWER),
            ("CustomerId", BARE_UPPER),
            ("Id", BARE_LOWER.to_uppercase().as_str()),
        ] {
            let member = format!("{q}{name}{q}:{q}{text}{q}");
            assert!(body.contains(&member), "{format}: {member} in {body}");
        }
    }
}

// ---- Vehizen: VehicleId is a Guid ----

const GET_XML: &str = include_str!("../fixtures/vehizen/get.xml");
const GET_JSON: &str = include_str!("../fixtures/vehizen/get.json");
const RESPONSE_XML: &str = include_str!("../fixtures/vehizen/response.xml");
const RESPONSE_JSON: &str = include_str!("../fixtures/vehizen/response.json");
const SAMPLE_GROUP: &str = "e55ab6e7-1056-4ab3-bd03-247f4b0efdd1";
const SAMPLE_CUSTOMER: &str = "1090d952-1b60-4659-9910-2b99f8aec2ac";
const SAMPLE_VEHICLE: &str = "97f5a8be-6361-4d52-be22-6671cd96888e";

/// The sample with its ids in other shapes: the group's upper case without
/// hyphens, the customer's lower case without, the vehicle's upper case.
fn reshaped(sample: &str) -> String {
    sample
        .replace(SAMPLE_GROUP, BARE_UPPER)
        .replace(SAMPLE_CUSTOMER, BARE_LOWER)
        .replace(SAMPLE_VEHICLE, HYPHEN_UPPER)
}

#[tokio::test]
async fn vehizen_non_guid_vehicle_id_is_400_naming_the_field() {
    for format in ["json", "xml"] {
        let vendor = Scripted::new([]);
        let gw = Gateway::start(&vehizen(&vendor.start().await, format)).await;
        let body = json!({"name": "g", "vehicles": [{"id": SAMPLE_VEHICLE}, {"id": "VEH-7"}]});
        for path in [
            format!("/v1/customer-groups/{SAMPLE_GROUP}"),
            "/v1/customer-groups".to_string(),
        ] {
            let r = if path.ends_with("groups") {
                gw.send_json(http::Method::POST, &path, &body).await
            } else {
                gw.put_json(&path, &body).await
            };
            let p = r.assert_problem(400);
            assert_eq!(p["backend"], "vehizen", "{p}");
            assert_eq!(fields(&p), ["vehicles[1].id"]);
            assert_eq!(p["errors"][0]["code"], "not_a_guid");
        }
        assert!(vendor.received().is_empty(), "{format}");
    }
}

#[tokio::test]
async fn vehizen_guid_text_round_trips_unchanged_in_json() {
    let served = reshaped(GET_JSON);
    let vendor = Scripted::new([
        Answer::json(200, served.clone()),
        Answer::json(200, RESPONSE_JSON),
    ]);
    let gw = Gateway::start(&vehizen(&vendor.start().await, "json")).await;
    let path = format!("/v1/customer-groups/{BARE_UPPER}");
    let data = gw.get(&path).await.json()["data"].clone();
    assert_eq!(data["id"], BARE_UPPER);
    assert_eq!(data["customerId"], BARE_LOWER);
    assert_eq!(data["vehicles"][0]["id"], HYPHEN_UPPER);
    let r = gw.put_json(&path, &data).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let sent: Value = serde_json::from_slice(&vendor.received()[1].body).unwrap();
    assert_eq!(sent, serde_json::from_str::<Value>(&served).unwrap());
}

#[tokio::test]
async fn vehizen_guid_text_round_trips_unchanged_in_xml() {
    let served = reshaped(GET_XML);
    let vendor = Scripted::new([
        Answer::xml(200, served.clone()),
        Answer::xml(200, RESPONSE_XML),
    ]);
    let gw = Gateway::start(&vehizen(&vendor.start().await, "xml")).await;
    let path = format!("/v1/customer-groups/{BARE_UPPER}");
    let data = gw.get(&path).await.json()["data"].clone();
    assert_eq!(data["vehicles"][0]["id"], HYPHEN_UPPER);
    let r = gw.put_json(&path, &data).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let sent = String::from_utf8(vendor.received()[1].body.to_vec()).unwrap();
    for text in [BARE_UPPER, BARE_LOWER, HYPHEN_UPPER] {
        assert!(sent.contains(&format!(">{text}<")), "{text} in {sent}");
    }
    for gone in [SAMPLE_GROUP, SAMPLE_CUSTOMER, SAMPLE_VEHICLE] {
        assert!(!sent.contains(gone), "{gone} in {sent}");
    }
}

// ---- the document says what the type does ----

#[test]
fn the_documented_text_id_schema_agrees_with_the_type() {
    use crossdock::unified::TextId;
    let doc: Value = serde_json::from_str(crossdock::api::OPENAPI_JSON).unwrap();
    let schema = &doc["components"]["schemas"]["TextId"];
    let v = jsonschema::draft202012::new(schema).unwrap();
    let samples = [
        "ADDR-0001".to_string(),
        "v 1/ä".to_string(),
        BARE_UPPER.to_string(),
        "a\u{A0}b".to_string(),
        "x".repeat(256),
        String::new(),
        "x".repeat(257),
        "a\u{0}b".to_string(),
        "a\nb".to_string(),
        "\u{7F}".to_string(),
        "\u{85}".to_string(),
    ];
    for s in samples {
        assert_eq!(v.is_valid(&json!(s)), TextId::parse(&s).is_ok(), "{s:?}");
    }
}
