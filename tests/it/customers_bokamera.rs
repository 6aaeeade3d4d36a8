//! `PUT /v1/customers/{id}` to BokaMera end to end, in JSON and JSV: the
//! real gateway, real HTTP vendors on loopback (the built-in simulator, or
//! a scripted vendor serving the docs' samples byte for byte), and both
//! customer backends at once.

use crate::common::scripted::{Answer, Scripted};
use crate::common::{send, Gateway, GatewayConfig, Resp};
use bytes::Bytes;
use crossdock::backends::bokamera::sim::{SANDBOX_API_KEY, SANDBOX_COMPANY_ID, SEEDED_ID};
use crossdock::backends::department::sim::{SANDBOX_PASSWORD, SANDBOX_TOKEN, SANDBOX_USERNAME};
use http::Method;
use serde_json::{json, Value};
use std::time::Duration;

const RESPONSE_JSV: &str = include_str!("../fixtures/bokamera/put-response.jsv");
const RESPONSE_UNIFIED: &str = include_str!("../fixtures/bokamera/put-response.unified.json");
const API_KEY: &str = "bk-test-Secret-4711";
const BEARER: &str = "bearer-Secret-0815";
const COMPANY: &str = "11111111-2222-3333-4444-555555555555";
const ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

fn config(base_url: &str, format: &str, extra: &str) -> String {
    let key = if base_url == "sandbox" {
        SANDBOX_API_KEY
    } else {
        API_KEY
    };
    GatewayConfig::new()
        .backend("bokamera", base_url)
        .set("format", format)
        .set("timeout_ms", 500)
        .set("api_key", key)
        .set("bearer_token", BEARER)
        .set("company_id", COMPANY)
        .route("customers", &["bokamera"])
        .lines(extra)
        .build()
}

fn both(bokamera_url: &str, extra: &str) -> String {
    let key = if bokamera_url == "sandbox" {
        SANDBOX_API_KEY
    } else {
        API_KEY
    };
    format!(
        r#"
[backends.department]
base_url = "sandbox"
token = "{SANDBOX_TOKEN}"
username = "{SANDBOX_USERNAME}"
password = "{SANDBOX_PASSWORD}"
[backends.bokamera]
base_url = "{bokamera_url}"
format = "jsv"
timeout_ms = 500
api_key = "{key}"
company_id = "{SANDBOX_COMPANY_ID}"
[routes.customers]
backends = ["department", "bokamera"]
{extra}
"#
    )
}

fn jsv(status: u16, body: &str) -> Answer {
    Answer::Body(status, "text/jsv", Bytes::from(body.to_owned()))
}

fn fields(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w["field"].as_str().map(str::to_owned))
        .collect()
}

fn path(id: &str) -> String {
    format!("/v1/customers/{id}")
}

#[tokio::test]
async fn sandbox_answers_every_member_in_both_formats() {
    for format in ["json", "jsv"] {
        let gw = Gateway::start(&config("sandbox", format, "")).await;
        let body = json!({
            "firstName": "Ada",
            "emails": [{"address": "ada@example.com"}],
            "phones": [{"number": "+4670111"}],
            "invoiceAddress": {"line1": "Box 7, \"B\"", "city": "Lund", "countryCode": "SE"},
            "customFields": [{"id": 2, "value": "Vegan"}],
            "subscribedToNewsletter": true
        });
        let r = gw
            .put_json(
                &format!("{}?companyId={SANDBOX_COMPANY_ID}", path(SEEDED_ID)),
                &body,
            )
            .await;
        assert_eq!(
            r.status,
            200,
            "{format}: {}",
            String::from_utf8_lossy(&r.body)
        );
        let v = r.json();
        assert_eq!(v["warnings"], json!([]), "{format}");
        let d = &v["data"];
        assert_eq!(d["id"], SEEDED_ID);
        assert_eq!(d["firstName"], "Ada");
        assert_eq!(d["lastName"], "Customer", "kept from the stored customer");
        assert_eq!(d["emails"], json!([{"address": "ada@example.com"}]));
        assert_eq!(d["phones"], json!([{"number": "+4670111"}]));
        assert_eq!(d["invoiceAddress"]["line1"], "Box 7, \"B\"");
        // The invoice address is replaced as a whole.
        assert_eq!(d["invoiceAddress"]["city"], "Lund");
        assert!(d["invoiceAddress"].get("postalCode").is_none());
        assert_eq!(d["subscribedToNewsletter"], true);
        assert_eq!(d["customFieldValues"][1]["value"], "Vegan");
        assert_eq!(
            d["customFieldDefinitions"][1]["values"][1]["value"],
            "Vegan"
        );
        assert_eq!(d["comments"][0]["text"], "Prefers morning appointments");
        assert_eq!(d["accessKeys"][0]["value"], "RFID-0001");
        assert_eq!(d["createdAt"], "2024-01-15T09:30:00.0000000Z");
        assert!(d["updatedAt"].as_str().unwrap() > "2024-01-15");
        assert!(d["imageUrl"].as_str().unwrap().starts_with("https://"));
        // Stateful: a second write of one member keeps the first's.
        let r = gw
            .put_json(&path(SEEDED_ID), &json!({"lastName": "Lovelace"}))
            .await;
        assert_eq!(r.status, 200);
        let d = &r.json()["data"];
        assert_eq!(
            (d["firstName"].as_str(), d["lastName"].as_str()),
            (Some("Ada"), Some("Lovelace"))
        );
    }
}

#[tokio::test]
async fn exact_request_reaches_the_vendor_in_jsv() {
    let vendor = Scripted::new([jsv(200, RESPONSE_JSV)]);
    let gw = Gateway::start(&config(&vendor.start().await, "jsv", "")).await;
    let other = "99999999-8888-7777-6666-555555555555";
    let body = json!({
        "firstName": "Åsa",
        "lastName": "Berg, Jr",
        "emails": [{"address": "x@y.se"}, {"address": "asa@y.se", "isPreferred": true}],
        "phones": [{"number": "+46 70"}],
        "customFields": [{"id": 3, "value": "a:b"}],
        "accessKeys": [{"accessKeyTypeId": 1, "value": "K1", "description": "Door"}],
        "accessKeysToDelete": [{"id": "0b7e3c59-2f0d-4b8e-9a61-5d4c3b2a1f00"}],
        "subscribedToNewsletter": false,
        "invoiceAddress": {"line1": "Gatan 1", "countryCode": "SE"}
    });
    let r = gw
        .put_json(&format!("{}?companyId={other}", path(ID)), &body)
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let got = &vendor.received()[0];
    assert_eq!(got.method, Method::PUT);
    assert_eq!(got.path, format!("/customers/{ID}?CompanyId={other}"));
    assert_eq!(got.headers["x-api-key"], API_KEY);
    assert_eq!(got.headers["authorization"], format!("Bearer {BEARER}"));
    assert_eq!(got.headers["accept"], "text/jsv");
    assert_eq!(got.headers["content-type"], "text/jsv");
    assert!(got.headers.contains_key("x-request-id"));
    assert_eq!(
        std::str::from_utf8(&got.body).unwrap(),
        format!(
            "{{CompanyId:{other},Firstname:Åsa,Lastname:\"Berg, Jr\",Phone:+46 70,Email:asa@y.se,\
CustomFields:[{{Id:3,Value:\"a:b\"}}],AccessKeys:[{{AccessKeyTypeId:1,Value:K1,Description:Door}}],\
AccessKeysToDelete:[{{Id:0b7e3c59-2f0d-4b8e-9a61-5d4c3b2a1f00}}],SubscribedToNewsletter:False,\
InvoiceAddress:{{InvoiceAddress1:Gatan 1,InvoiceCountryCode:SE}}}}"
        )
    );
    // Every member of the documented answer is in data; the id is the path's
    // (the sample has none).
    let v = r.json();
    let mut want: Value = serde_json::from_str(RESPONSE_UNIFIED).unwrap();
    want["id"] = json!(ID);
    assert_eq!(v["data"], want);
    // The second e-mail and the first's isPreferred are not stored.
    assert_eq!(fields(&v["warnings"]), ["emails"]);
}

#[tokio::test]
async fn exact_request_reaches_the_vendor_in_json() {
    let answer = json!({"Id": ID, "Firstname": "A", "Created": "/Date(1700000000123)/", "ResponseStatus": null});
    let vendor = Scripted::new([Answer::json(200, answer.to_string())]);
    let gw = Gateway::start(&config(&vendor.start().await, "json", "")).await;
    let r = gw
        .put_json(&path(ID), &json!({"firstName": "A", "lastName": null}))
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let got = &vendor.received()[0];
    assert_eq!(got.path, format!("/customers/{ID}?CompanyId={COMPANY}"));
    assert_eq!(got.headers["accept"], "application/json");
    assert_eq!(got.headers["content-type"], "application/json");
    let sent: Value = serde_json::from_slice(&got.body).unwrap();
    assert_eq!(
        sent,
        json!({"CompanyId": COMPANY, "Firstname": "A", "Lastname": null})
    );
    let v = r.json();
    assert_eq!(
        v["data"],
        json!({"id": ID, "firstName": "A", "createdAt": "2023-11-14T22:13:20.123Z"})
    );
    assert_eq!(v["warnings"], json!([]));
}

#[tokio::test]
async fn sandbox_validation_error_is_422_with_unified_field_names() {
    for format in ["json", "jsv"] {
        let gw = Gateway::start(&config("sandbox", format, "")).await;
        let r = gw
            .put_json(
                &path(SEEDED_ID),
                &json!({"emails": [{"address": "nope"}], "invoiceAddress": {"countryCode": "SWE"}}),
            )
            .await;
        let p = r.assert_problem(422);
        assert_eq!(p["backend"], "bokamera");
        assert_eq!(
            fields(&p["errors"]),
            ["emails", "invoiceAddress.countryCode"],
            "{format}"
        );
        assert_eq!(p["errors"][0]["code"], "Email");
        assert!(p["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Email"));
    }
}

#[tokio::test]
async fn vendor_response_status_400_is_422_with_each_error() {
    let vendor = Scripted::new([jsv(
        400,
        "{ResponseStatus:{ErrorCode:Length,Message:too long,Errors:[{ErrorCode:Length,FieldName:Firstname,Message:too long},\
{ErrorCode:NotEmpty,FieldName:\"CustomFields[0].Value\",Message:empty},{ErrorCode:X,FieldName:Mystery,Message:m}]}}",
    )]);
    let gw = Gateway::start(&config(&vendor.start().await, "jsv", "")).await;
    let p = gw
        .put_json(&path(ID), &json!({"firstName": "x"}))
        .await
        .assert_problem(422);
    assert_eq!(
        fields(&p["errors"]),
        ["firstName", "customFields[0].value", "Mystery"]
    );
    assert_eq!(p["errors"][1]["code"], "NotEmpty");
}

async fn status_for(answer: Answer, format: &str) -> Resp {
    // The same answer to every attempt: a PUT is idempotent and retried on
    // transient failures.
    let vendor = Scripted::new([answer.clone(), answer.clone(), answer]);
    let gw = Gateway::start(&config(&vendor.start().await, format, "")).await;
    let r = gw.put_json(&path(ID), &json!({"firstName": "A"})).await;
    let text = String::from_utf8_lossy(&r.body).into_owned();
    assert!(!text.contains(API_KEY) && !text.contains(BEARER), "{text}");
    assert!(!gw.metrics().await.contains(API_KEY));
    r
}

#[tokio::test]
async fn vendor_credentials_refused_and_failures_are_502() {
    for (answer, format) in [
        (
            jsv(
                401,
                "{ResponseStatus:{ErrorCode:Unauthorized,Message:bad key}}",
            ),
            "jsv",
        ),
        (
            Answer::json(403, r#"{"ResponseStatus":{"ErrorCode":"Forbidden"}}"#),
            "json",
        ),
        (jsv(500, "{ResponseStatus:{ErrorCode:Exception}}"), "jsv"),
        (
            Answer::Body(503, "text/html", Bytes::from_static(b"<html>down</html>")),
            "json",
        ),
        (
            Answer::Body(200, "text/html", Bytes::from_static(b"<html>login</html>")),
            "jsv",
        ),
        (jsv(200, "{Firstname:[unclosed"), "jsv"),
    ] {
        let r = status_for(answer, format).await;
        let p = r.assert_problem(502);
        assert_eq!(p["backend"], "bokamera");
    }
}

#[tokio::test]
async fn sandbox_with_a_wrong_api_key_is_502() {
    let toml = config("sandbox", "jsv", "").replace(SANDBOX_API_KEY, "wrong-key");
    let gw = Gateway::start(&toml).await;
    let p = gw
        .put_json(&path(SEEDED_ID), &json!({"firstName": "A"}))
        .await
        .assert_problem(502);
    assert!(p["detail"].as_str().unwrap().contains("credentials"), "{p}");
}

#[tokio::test]
async fn unknown_customer_is_404() {
    let gw = Gateway::start(&config("sandbox", "jsv", "")).await;
    gw.put_json(&path(ID), &json!({"firstName": "A"}))
        .await
        .assert_problem(404);
}

#[tokio::test]
async fn slow_vendor_is_504() {
    let r = status_for(
        Answer::Slow(
            Duration::from_secs(3),
            "text/jsv",
            Bytes::from_static(b"{}"),
        ),
        "jsv",
    )
    .await;
    let p = r.assert_problem(504);
    assert_eq!(p["backend"], "bokamera");
}

fn unstorable() -> Value {
    json!({
        "firstName": "A",
        "company": "Acme",
        "emails": [{"address": "a@x"}, {"address": "b@x"}],
        "addresses": [{"line1": "Street 1"}],
        "vehicles": [{"vin": "1HGBH41JXMN109186"}]
    })
}

#[tokio::test]
async fn unstorable_fields_are_named_in_warnings() {
    let vendor = Scripted::new([jsv(200, "{Firstname:A,Email:a@x}")]);
    let gw = Gateway::start(&config(&vendor.start().await, "jsv", "")).await;
    let r = gw.put_json(&path(ID), &unstorable()).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let v = r.json();
    assert_eq!(
        fields(&v["warnings"]),
        ["addresses", "company", "emails", "vehicles"]
    );
    assert!(v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|w| w["backend"] == "bokamera"));
    assert_eq!(vendor.received().len(), 1);
}

#[tokio::test]
async fn strict_route_refuses_unstorable_fields_and_sends_nothing() {
    let vendor = Scripted::new([jsv(200, "{}")]);
    let gw = Gateway::start(&config(&vendor.start().await, "jsv", "strict = true")).await;
    let p = gw
        .put_json(&path(ID), &unstorable())
        .await
        .assert_problem(422);
    assert_eq!(
        fields(&p["errors"]),
        ["addresses", "company", "emails", "vehicles"]
    );
    assert!(vendor.received().is_empty());
    // A storable write goes through on the strict route.
    let r = gw.put_json(&path(ID), &json!({"firstName": "A"})).await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn non_integer_custom_field_id_is_refused_before_sending() {
    let vendor = Scripted::new([jsv(200, "{}")]);
    let gw = Gateway::start(&config(&vendor.start().await, "jsv", "")).await;
    let p = gw
        .put_json(
            &path(ID),
            &json!({"customFields": [{"id": 1.5, "value": "v"}]}),
        )
        .await
        .assert_problem(422);
    assert_eq!(fields(&p["errors"]), ["customFields[0].id"]);
    assert!(vendor.received().is_empty());
}

#[tokio::test]
async fn secrets_never_in_metrics_or_bodies() {
    let vendor = Scripted::new([
        jsv(200, "{}"),
        jsv(400, "{ResponseStatus:{ErrorCode:E}}"),
        jsv(401, "{}"),
    ]);
    let gw = Gateway::start(&config(&vendor.start().await, "jsv", "")).await;
    let mut bodies = Vec::new();
    for _ in 0..3 {
        let r = gw.put_json(&path(ID), &json!({"firstName": "A"})).await;
        bodies.push(String::from_utf8_lossy(&r.body).into_owned());
    }
    let metrics = gw.metrics().await;
    assert!(metrics.contains("backend=\"bokamera\""), "{metrics}");
    for text in bodies.iter().chain([&metrics]) {
        assert!(!text.contains(API_KEY) && !text.contains(BEARER), "{text}");
    }
}

#[tokio::test]
async fn both_backends_fine_is_200_with_two_results() {
    let gw = Gateway::start(&both("sandbox", "")).await;
    let r = gw
        .put_json(
            &path(SEEDED_ID),
            &json!({"firstName": "Both", "emails": [{"address": "both@x.se"}], "addresses": [{"line1": "S 1"}]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let v = r.json();
    let results = v["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(
        (
            results[0]["backend"].as_str(),
            results[0]["status"].as_u64()
        ),
        (Some("department"), Some(200))
    );
    assert_eq!(
        (
            results[1]["backend"].as_str(),
            results[1]["status"].as_u64()
        ),
        (Some("bokamera"), Some(200))
    );
    assert!(results.iter().all(|r| r.get("error").is_none()));
    // data is the first backend's (department echoes what was sent).
    assert_eq!(v["data"]["addresses"][0]["line1"], "S 1");
    // BokaMera cannot store addresses: warned under its name, in results too.
    let w: Vec<_> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["field"] == "addresses")
        .map(|w| w["backend"].as_str().unwrap())
        .collect();
    assert_eq!(w, ["bokamera"]);
    assert_eq!(fields(&results[1]["warnings"]), ["addresses"]);
}

#[tokio::test]
async fn one_backend_failing_is_502_naming_who_stored_it() {
    let vendor = Scripted::new([jsv(500, "{ResponseStatus:{ErrorCode:Exception}}")]);
    let gw = Gateway::start(&both(&vendor.start().await, "")).await;
    let p = gw
        .put_json(&path(ID), &json!({"firstName": "Half"}))
        .await
        .assert_problem(502);
    let results = p["results"].as_array().unwrap();
    assert_eq!(results[0]["backend"], "department");
    assert_eq!(results[0]["status"], 200);
    assert!(results[0].get("error").is_none());
    assert_eq!(results[1]["backend"], "bokamera");
    assert_eq!(results[1]["status"], 502);
    assert_eq!(results[1]["error"]["backend"], "bokamera");
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("stored at department only"),
        "{p}"
    );
    assert_eq!(vendor.received().len(), 1);
}

#[tokio::test]
async fn one_backend_refusing_the_data_is_502_too() {
    let gw = Gateway::start(&both("sandbox", "")).await;
    let p = gw
        .put_json(
            &path(SEEDED_ID),
            &json!({"emails": [{"address": "not-an-email"}]}),
        )
        .await
        .assert_problem(502);
    assert_eq!(p["results"][0]["status"], 200);
    assert_eq!(p["results"][1]["status"], 422);
    assert_eq!(p["results"][1]["error"]["errors"][0]["field"], "emails");
}

#[tokio::test]
async fn strict_with_both_refuses_before_sending_to_either() {
    let vendor = Scripted::new([jsv(200, "{}")]);
    let gw = Gateway::start(&both(&vendor.start().await, "strict = true")).await;
    let p = gw
        .put_json(
            &path(ID),
            &json!({"firstName": "A", "addresses": [{"line1": "S 1"}]}),
        )
        .await
        .assert_problem(422);
    assert_eq!(p["backend"], "bokamera");
    assert_eq!(fields(&p["errors"]), ["addresses"]);
    assert!(vendor.received().is_empty());
}

#[tokio::test]
async fn both_backends_write_concurrently() {
    // Each vendor takes 300 ms; one after the other would pass 600.
    let slow = |ms| {
        Answer::Slow(
            Duration::from_millis(ms),
            "text/jsv",
            Bytes::from_static(b"{}"),
        )
    };
    let vendor = Scripted::new([slow(300)]);
    let dept = Scripted::new([Answer::Slow(
        Duration::from_millis(300),
        "application/json",
        Bytes::new(),
    )]);
    let toml = both(&vendor.start().await, "")
        .replace(
            "[backends.department]\nbase_url = \"sandbox\"",
            &format!(
                "[backends.department]\nbase_url = \"{}\"",
                dept.start().await
            ),
        )
        .replace("timeout_ms = 500", "timeout_ms = 2000");
    let gw = Gateway::start(&toml).await;
    let start = tokio::time::Instant::now();
    let r = send(
        Method::PUT,
        &gw.url(&path(ID)),
        &[("content-type", "application/json")],
        Some(b"{\"firstName\":\"A\"}".to_vec()),
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert!(
        start.elapsed() < Duration::from_millis(550),
        "{:?}",
        start.elapsed()
    );
}
