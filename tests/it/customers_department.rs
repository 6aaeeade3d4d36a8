//! `PUT /v1/customers/{id}` to the department, end to end: the real gateway
//! and real HTTP vendors on loopback (the built-in sandbox simulator, or a
//! scripted vendor for exact requests and faults).

#[allow(deprecated)]
use crate::common::scripted::{Answer, Scripted};
use crate::common::{send, Gateway, Resp};
use crossdock::backends::department::sim::{
    SANDBOX_PASSWORD, SANDBOX_TOKEN, SANDBOX_USERNAME, SEEDED_ID,
};
use http::Method;
use serde_json::{json, Value};
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";
/// Distinctive so a leak anywhere is found by a plain search.
const TOKEN: &str = "tok-S3CRET-7f3a9c";
const USER: &str = "crm-user";
const PASSWORD: &str = "pw-S3CRET-91bd";
/// base64("crm-user:pw-S3CRET-91bd")
const BASIC: &str = "Basic Y3JtLXVzZXI6cHctUzNDUkVULTkxYmQ=";

fn sandbox_config(token: &str, extra: &str) -> String {
    format!(
        r#"
[backends.department]
base_url = "sandbox"
token = "{token}"
username = "{SANDBOX_USERNAME}"
password = "{SANDBOX_PASSWORD}"
[routes.customers]
backends = ["department"]
{extra}
"#
    )
}

fn scripted_config(base_url: &str, extra_backend: &str, extra_route: &str) -> String {
    format!(
        r#"
[backends.department]
base_url = "{base_url}"
timeout_ms = 300
token = "{TOKEN}"
username = "{USER}"
password = "{PASSWORD}"
{extra_backend}
[routes.customers]
backends = ["department"]
{extra_route}
"#
    )
}

fn customer() -> Value {
    json!({
        "externalKey": "K-1",
        "firstName": "Åsa",
        "lastName": "Öberg",
        "isBusiness": false,
        "emails": [{"address": "asa@example.com", "label": "home", "okToEmail": true, "isPreferred": true}],
        "phones": [{"number": "+46 70 123 45 67", "okToCall": true, "okToText": false}],
        "addresses": [{"line1": "Storgatan 1", "city": "Uppsala", "postalCode": "753 20", "country": "SE", "type": "COMMON", "updatedAt": "2025-04-07T07:51:23.899Z"}],
        "bestTimeToContact": {"start": "09:00", "end": "17:00"},
        "vehicles": [{"vin": "YV1XZ12345F000001", "year": 2019, "make": "Volvo", "model": "V60", "odometer": {"km": 42000}, "externalKey": "V-1"}]
    })
}

fn path(id: &str, query: &str) -> String {
    if query.is_empty() {
        format!("/v1/customers/{id}")
    } else {
        format!("/v1/customers/{id}?{query}")
    }
}

fn envelope(errors: Value, warnings: Value) -> String {
    json!({"errors": errors, "warnings": warnings}).to_string()
}

// ---- sandbox ----

#[tokio::test]
async fn sandbox_stores_and_answers_200_with_its_warning() {
    let gw = Gateway::start(&sandbox_config(SANDBOX_TOKEN, "")).await;
    let r = gw
        .put_json(&path(SEEDED_ID, "searchForDuplicate=true"), &customer())
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let b = r.json();
    let mut want = customer();
    want["id"] = json!(SEEDED_ID);
    assert_eq!(b["data"], want);
    assert_eq!(
        b["warnings"],
        json!([{"backend": "department", "code": "1001", "message": "searchForDuplicate is ignored by the sandbox", "title": "Duplicate search skipped"}])
    );
}

#[tokio::test]
async fn sandbox_204_is_200_without_warnings() {
    let gw = Gateway::start(&sandbox_config(SANDBOX_TOKEN, "")).await;
    let r = gw.put_json(&path(ID, ""), &customer()).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["warnings"], json!([]));
    assert_eq!(r.json()["data"]["id"], ID);
}

#[tokio::test]
async fn sandbox_rejects_an_email_without_address_as_422() {
    let gw = Gateway::start(&sandbox_config(SANDBOX_TOKEN, "")).await;
    let r = gw
        .put_json(
            &path(ID, ""),
            &json!({"emails": [{"label": "work"}, {"address": "x@example.com"}], "phones": [{"label": "cell"}]}),
        )
        .await;
    let p = r.assert_problem(422);
    assert_eq!(p["backend"], "department");
    let codes: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["4002", "4003"]);
    assert_eq!(
        p["errors"][0]["message"],
        "customer.emails[0].emailAddress is required."
    );
    assert_eq!(p["errors"][0]["title"], "Email address required");
}

#[tokio::test]
async fn sandbox_with_a_wrong_token_is_502() {
    let gw = Gateway::start(&sandbox_config("not-the-sandbox-token", "")).await;
    let r = gw.put_json(&path(ID, ""), &customer()).await;
    let p = r.assert_problem(502);
    assert_eq!(p["backend"], "department");
}

#[tokio::test]
async fn default_config_routes_customers_to_the_sandbox() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/config/default.toml"))
        .unwrap();
    let cfg: toml_lite::Table = toml_lite::parse(&text);
    assert_eq!(cfg.get("backends.department.base_url"), Some("\"sandbox\""));
    assert_eq!(
        cfg.get("backends.department.token"),
        Some(format!("\"{SANDBOX_TOKEN}\"").as_str())
    );
    assert_eq!(
        cfg.get("backends.department.username"),
        Some(format!("\"{SANDBOX_USERNAME}\"").as_str())
    );
    assert_eq!(
        cfg.get("backends.department.password"),
        Some(format!("\"{SANDBOX_PASSWORD}\"").as_str())
    );
    assert_eq!(
        cfg.get("routes.customers.backends"),
        Some("[\"department\"]")
    );
}

/// Just enough TOML reading to check `key = value` lines of the default
/// config without a TOML crate.
mod toml_lite {
    pub struct Table(Vec<(String, String)>);
    impl Table {
        pub fn get(&self, key: &str) -> Option<&str> {
            self.0
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        }
    }
    pub fn parse(text: &str) -> Table {
        let mut section = String::new();
        let mut out = Vec::new();
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            if let Some(s) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = s.to_string();
            } else if let Some((k, v)) = line.split_once('=') {
                out.push((format!("{section}.{}", k.trim()), v.trim().to_string()));
            }
        }
        Table(out)
    }
}

// ---- scripted vendor: the exact request ----

#[tokio::test]
async fn exact_path_method_basic_and_body_reach_the_vendor() {
    let vendor = Scripted::new([Answer::Body(204, "text/plain", "".into())]);
    let gw = Gateway::start(&scripted_config(
        &vendor.start().await,
        "requester_user_uuid = \"cfg-requester\"\ndealer_uuids = [\"cfg-d1\", \"cfg-d2\"]\nvalidate_vin = true",
        "",
    ))
    .await;
    let r = gw.put_json(&path(ID, ""), &customer()).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let got = vendor.received();
    assert_eq!(got.len(), 1);
    let sent = &got[0];
    assert_eq!(sent.method, Method::POST);
    assert_eq!(
        sent.path,
        format!("/customer/v2/department/{TOKEN}/customer/{ID}")
    );
    assert_eq!(sent.headers["authorization"], BASIC);
    assert_eq!(sent.headers["content-type"], "application/json");
    assert!(sent.headers.contains_key("x-request-id"));
    let body: Value = serde_json::from_slice(&sent.body).unwrap();
    assert_eq!(
        body,
        json!({
            "requesterUserUUID": "cfg-requester",
            "dealerUUIDList": ["cfg-d1", "cfg-d2"],
            "customer": {
                "customerKey": "K-1",
                "firstName": "Åsa",
                "lastName": "Öberg",
                "isBusiness": false,
                "bestTimeToContact": {"startTime": "09:00", "endTime": "17:00"},
                "addresses": [{"line1": "Storgatan 1", "city": "Uppsala", "zip": "753 20", "type": "COMMON", "country": "SE", "updateTS": "2025-04-07T07:51:23.899Z"}],
                "customerUuid": ID,
                "emails": [{"emailAddress": "asa@example.com", "label": "home", "okToEmail": true, "isPreferred": true}],
                "phoneNumbers": [{"phoneNumber": "+46 70 123 45 67", "okToCall": true, "okToText": false}]
            },
            "vehicles": [{"vin": "YV1XZ12345F000001", "vehicleYear": "2019", "vehicleMake": "Volvo", "vehicleModel": "V60", "estimatedMileage": "42000", "vehicleKey": "V-1"}],
            "validateVin": true
        })
    );
}

#[tokio::test]
async fn method_put_is_sent_when_configured() {
    let vendor = Scripted::new([Answer::Body(204, "text/plain", "".into())]);
    let gw = Gateway::start(&scripted_config(
        &vendor.start().await,
        "method = \"PUT\"",
        "",
    ))
    .await;
    let r = gw.put_json(&path(ID, ""), &customer()).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let got = vendor.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].method, Method::PUT);
    assert_eq!(
        got[0].path,
        format!("/customer/v2/department/{TOKEN}/customer/{ID}")
    );
}

#[tokio::test]
async fn sandbox_takes_put_too() {
    let gw = Gateway::start(
        &sandbox_config(SANDBOX_TOKEN, "")
            .replace("[routes.customers]", "method = \"PUT\"\n[routes.customers]"),
    )
    .await;
    let r = gw.put_json(&path(ID, ""), &customer()).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
}

#[tokio::test]
async fn query_options_override_config_defaults() {
    let vendor = Scripted::new([Answer::Body(204, "text/plain", "".into())]);
    let gw = Gateway::start(&scripted_config(
        &vendor.start().await,
        "requester_user_uuid = \"cfg-requester\"\ndealer_uuids = [\"cfg-d1\"]\nvalidate_vin = true\nsearch_for_duplicate = true",
        "",
    ))
    .await;
    let r = gw
        .put_json(
            &path(
                ID,
                "requesterUserUUID=req-user&dealerUUIDList=d1,d2&dealerUUIDList=d3&validateVin=false&searchForDuplicate=false",
            ),
            &json!({"firstName": "A"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let body: Value = serde_json::from_slice(&vendor.received()[0].body).unwrap();
    assert_eq!(body["requesterUserUUID"], "req-user");
    assert_eq!(body["dealerUUIDList"], json!(["d1", "d2", "d3"]));
    assert_eq!(body["validateVin"], false);
    assert_eq!(body["searchForDuplicate"], false);
}

#[tokio::test]
async fn options_without_default_or_query_are_left_out() {
    let vendor = Scripted::new([Answer::Body(204, "text/plain", "".into())]);
    let gw = Gateway::start(&scripted_config(&vendor.start().await, "", "")).await;
    let r = gw.put_json(&path(ID, ""), &json!({})).await;
    assert_eq!(r.status, 200);
    let body: Value = serde_json::from_slice(&vendor.received()[0].body).unwrap();
    assert_eq!(body, json!({"customer": {"customerUuid": ID}}));
}

#[tokio::test]
async fn bad_requests_are_400_and_nothing_is_sent() {
    let vendor = Scripted::new([]);
    let gw = Gateway::start(&scripted_config(&vendor.start().await, "", "")).await;
    for (p, body, field) in [
        // Any text is an id (the department types it as a string), but not
        // one with a control character.
        (path("bad%00id", ""), json!({}), "id"),
        (path(ID, ""), json!({"id": SEEDED_ID}), "id"),
        (path(ID, "validateVin=maybe"), json!({}), "validateVin"),
        (path(ID, "requesterUUID=x"), json!({}), "requesterUUID"),
        (
            path(ID, ""),
            json!({"vehicles": [{"year": "2019"}]}),
            "vehicles[0].year",
        ),
        (path(ID, ""), json!({"emails": "a@example.com"}), "emails"),
    ] {
        let r = gw.put_json(&p, &body).await;
        let pr = r.assert_problem(400);
        assert_eq!(pr["errors"][0]["field"], field, "{p} {body}");
    }
    assert!(vendor.received().is_empty());
}

// ---- scripted vendor: answers ----

#[tokio::test]
async fn vendor_warnings_are_passed_through() {
    let vendor = Scripted::new([Answer::json(
        200,
        envelope(
            json!([]),
            json!([
                {"warningCode": 17, "warningTitle": "Duplicate", "warningMessage": "a customer with this e-mail exists"},
                {"warningCode": 18, "warningMessage": "no title"}
            ]),
        ),
    )]);
    let gw = Gateway::start(&scripted_config(&vendor.start().await, "", "")).await;
    let r = gw.put_json(&path(ID, ""), &customer()).await;
    assert_eq!(r.status, 200);
    let b = r.json();
    assert_eq!(
        b["warnings"],
        json!([
            {"backend": "department", "code": "17", "message": "a customer with this e-mail exists", "title": "Duplicate"},
            {"backend": "department", "code": "18", "message": "no title"}
        ])
    );
    assert_eq!(b["data"]["firstName"], "Åsa");
    assert_eq!(b["data"]["vehicles"][0]["year"], 2019);
}

#[tokio::test]
async fn vendor_400_is_422_with_each_error() {
    let vendor = Scripted::new([Answer::json(
        400,
        envelope(
            json!([
                {"errorCode": 101, "errorTitle": "Invalid e-mail", "errorMessage": "emails[0] is not an address"},
                {"errorCode": 102, "errorTitle": "Invalid VIN", "errorMessage": "vehicles[0].vin fails the check digit"}
            ]),
            json!([]),
        ),
    )]);
    let gw = Gateway::start(&scripted_config(&vendor.start().await, "", "")).await;
    let r = gw.put_json(&path(ID, ""), &customer()).await;
    let p = r.assert_problem(422);
    assert_eq!(p["backend"], "department");
    assert_eq!(
        p["errors"],
        json!([
            {"code": "101", "message": "emails[0] is not an address", "title": "Invalid e-mail"},
            {"code": "102", "message": "vehicles[0].vin fails the check digit", "title": "Invalid VIN"}
        ])
    );
}

async fn status_for(answer: Answer) -> Resp {
    // The same answer to every attempt: the update is idempotent by design
    // and retried on transient failures.
    let vendor = Scripted::new([answer.clone(), answer.clone(), answer]);
    let gw = Gateway::start(&scripted_config(&vendor.start().await, "", "")).await;
    gw.put_json(&path(ID, ""), &customer()).await
}

#[tokio::test]
async fn vendor_401_is_502_not_401() {
    let r = status_for(Answer::json(
        401,
        envelope(
            json!([{"errorCode": 401, "errorTitle": "Unauthorized", "errorMessage": "bad token"}]),
            json!([]),
        ),
    ))
    .await;
    let p = r.assert_problem(502);
    assert_eq!(p["backend"], "department");
}

#[tokio::test]
async fn vendor_500_is_502() {
    let r = status_for(Answer::json(
        500,
        envelope(
            json!([{"errorCode": 0, "errorTitle": "string", "errorMessage": "boom"}]),
            json!([]),
        ),
    ))
    .await;
    r.assert_problem(502);
}

#[tokio::test]
async fn html_answer_is_502() {
    let r = status_for(Answer::Body(
        200,
        "text/html",
        "<html><body>Gateway error</body></html>".into(),
    ))
    .await;
    r.assert_problem(502);
}

#[tokio::test]
async fn slow_vendor_is_504() {
    let r = status_for(Answer::Slow(
        Duration::from_millis(1500),
        "application/json",
        "".into(),
    ))
    .await;
    r.assert_problem(504);
}

// ---- fields the department cannot store ----

fn with_unstorable() -> Value {
    let mut c = customer();
    c["invoiceAddress"] = json!({"line1": "Box 1", "city": "Uppsala"});
    c["customFields"] = json!([{"id": 1, "value": "x"}]);
    c["accessKeys"] = json!([{"value": "k", "accessKeyTypeId": 1}]);
    c["subscribedToNewsletter"] = json!(true);
    c["vehicles"][0]["name"] = json!("Truck 7");
    c
}

#[tokio::test]
async fn unstorable_fields_are_named_in_warnings() {
    let vendor = Scripted::new([Answer::Body(204, "text/plain", "".into())]);
    let gw = Gateway::start(&scripted_config(&vendor.start().await, "", "")).await;
    let r = gw.put_json(&path(ID, ""), &with_unstorable()).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let b = r.json();
    let mut fields: Vec<&str> = b["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            assert_eq!(w["code"], "field_not_stored");
            assert_eq!(w["backend"], "department");
            w["field"].as_str().unwrap()
        })
        .collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            "accessKeys",
            "customFields",
            "invoiceAddress",
            "subscribedToNewsletter",
            "vehicles[0].name"
        ]
    );
    assert!(b["data"].get("invoiceAddress").is_none());
    assert_eq!(vendor.received().len(), 1);
}

#[tokio::test]
async fn strict_route_refuses_unstorable_fields_and_sends_nothing() {
    let vendor = Scripted::new([Answer::Body(204, "text/plain", "".into())]);
    let gw = Gateway::start(&scripted_config(&vendor.start().await, "", "strict = true")).await;
    let r = gw.put_json(&path(ID, ""), &with_unstorable()).await;
    let p = r.assert_problem(422);
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields.len(), 5, "{p}");
    assert!(fields.contains(&"invoiceAddress"));
    assert!(vendor.received().is_empty(), "nothing may be sent");
    // A storable customer still goes through on a strict route.
    let r = gw.put_json(&path(ID, ""), &customer()).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(vendor.received().len(), 1);
}

// ---- secrets ----

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// Every form a secret could leak in.
fn secret_forms() -> Vec<String> {
    vec![
        TOKEN.to_string(),
        PASSWORD.to_string(),
        BASIC["Basic ".len()..].to_string(),
        "S3CRET".to_string(),
    ]
}

#[tokio::test(flavor = "current_thread")]
async fn the_token_never_appears_in_logs_metrics_or_bodies() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let vendor = Scripted::new([
        Answer::Body(204, "text/plain", "".into()),
        Answer::json(
            200,
            envelope(
                json!([]),
                json!([{"warningCode": 1, "warningMessage": "w"}]),
            ),
        ),
        Answer::json(
            400,
            envelope(json!([{"errorCode": 1, "errorMessage": "e"}]), json!([])),
        ),
        Answer::json(
            401,
            envelope(json!([{"errorCode": 401, "errorMessage": "no"}]), json!([])),
        ),
        Answer::json(500, "{}"),
        Answer::Body(200, "text/html", "<html>".into()),
        // Every attempt of the idempotent update times out (two retries).
        Answer::Slow(Duration::from_millis(1000), "application/json", "".into()),
        Answer::Slow(Duration::from_millis(1000), "application/json", "".into()),
        Answer::Slow(Duration::from_millis(1000), "application/json", "".into()),
    ]);
    let gw = Gateway::start(&scripted_config(&vendor.start().await, "", "")).await;
    let mut bodies = Vec::new();
    for _ in 0..7 {
        let r = gw.put_json(&path(ID, ""), &with_unstorable()).await;
        bodies.push((r.status, String::from_utf8_lossy(&r.body).into_owned()));
    }
    // A 400 of the gateway's own, and a strict refusal, for good measure.
    let r = send(
        Method::PUT,
        &gw.url(&path(ID, "validateVin=x")),
        &[("content-type", "application/json")],
        Some(b"{}".to_vec()),
    )
    .await;
    bodies.push((r.status, String::from_utf8_lossy(&r.body).into_owned()));
    let statuses: Vec<u16> = bodies.iter().map(|(s, _)| s.as_u16()).collect();
    assert_eq!(statuses, [200, 200, 422, 502, 502, 502, 504, 400]);
    assert_eq!(vendor.received().len(), 9);
    assert!(
        vendor.received()[0].path.contains(TOKEN),
        "the vendor does get it"
    );

    let metrics = gw.metrics().await;
    let log_text = logs.text();
    // That logs were captured at all (span fields may be left out when
    // another test thread registered the callsites first).
    assert!(
        log_text.contains("request finished"),
        "logs were captured: {log_text}"
    );
    assert!(
        metrics.contains("route=\"/v1/customers/{id}\""),
        "{metrics}"
    );
    assert!(
        metrics.contains("operation=\"update_customer\""),
        "{metrics}"
    );
    for secret in secret_forms() {
        assert!(!log_text.contains(&secret), "secret {secret} in logs");
        assert!(!metrics.contains(&secret), "secret {secret} in /metrics");
        for (s, b) in &bodies {
            assert!(!b.contains(&secret), "secret {secret} in a {s} body: {b}");
        }
    }
}
