//! A vendor answer the gateway cannot read is a 502 that says which member
//! was wrong and what was expected, never what the vendor wrote: vendor
//! bodies are never echoed. Over real sockets, each vendor scripted to send
//! a distinctive value where it does not belong.

use crate::common::scripted::{Answer, Scripted};
use crate::common::{Gateway, Resp};
use http::Method;
use serde_json::json;

/// Distinctive: found by a plain search wherever it leaks.
const LEAK: &str = "LEAK-12345";
const GROUP_ID: &str = "e55ab6e7-1056-4ab3-bd03-247f4b0efdd1";
const CUSTOMER_ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

fn assert_no_leak(r: &Resp) {
    let body = String::from_utf8_lossy(&r.body);
    assert!(!body.contains(LEAK), "the vendor's value is echoed: {body}");
    assert!(
        !body.contains("12345"),
        "part of the vendor's value: {body}"
    );
    for (name, v) in &r.headers {
        let v = String::from_utf8_lossy(v.as_bytes());
        assert!(!v.contains(LEAK), "in header {name}: {v}");
    }
}

fn fleet_admin(base_url: &str) -> String {
    format!(
        "[backends.fleet_admin]\nbase_url = \"{base_url}\"\ntimeout_ms = 2000\n[routes.vehicle_categories]\nbackends = [\"fleet_admin\"]\n"
    )
}

async fn fleet_admin_get(answer: Answer) -> Resp {
    let vendor = Scripted::new([answer]);
    let gw = Gateway::start(&fleet_admin(&vendor.start().await)).await;
    gw.get("/v1/vehicle-categories/7").await
}

#[tokio::test]
async fn fleet_admin_a_string_where_an_integer_belongs_names_the_member_not_the_value() {
    let r = fleet_admin_get(Answer::json(
        200,
        json!({"ID": LEAK, "Labels": "{\"en\":\"x\"}"}).to_string(),
    ))
    .await;
    let p = r.assert_problem(502);
    assert_no_leak(&r);
    let detail = p["detail"].as_str().unwrap();
    assert!(detail.contains("ID"), "the member is named: {detail}");
    assert!(
        detail.contains("i64"),
        "the expected type is named: {detail}"
    );
}

#[tokio::test]
async fn fleet_admin_labels_that_are_no_object_are_not_quoted() {
    let labels = serde_json::to_string(LEAK).unwrap();
    let r = fleet_admin_get(Answer::json(
        200,
        json!({"ID": 7, "Labels": labels}).to_string(),
    ))
    .await;
    r.assert_problem(502);
    assert_no_leak(&r);
}

#[tokio::test]
async fn fleet_admin_an_unknown_error_code_is_not_echoed() {
    let r = fleet_admin_get(Answer::json(
        200,
        json!({"Success": false, "ErrorMessage": format!("err_{LEAK}")}).to_string(),
    ))
    .await;
    let p = r.assert_problem(502);
    assert_no_leak(&r);
    assert_eq!(p["errors"][0]["code"], "vendor_unknown_verdict", "{p}");
    assert!(!p["errors"][0]["message"].as_str().unwrap().is_empty());
}

fn vehizen(base_url: &str, format: &str) -> String {
    format!(
        "[backends.vehizen]\nbase_url = \"{base_url}\"\nformat = \"{format}\"\ntimeout_ms = 2000\n[routes.customer_groups]\nbackends = [\"vehizen\"]\n"
    )
}

#[tokio::test]
async fn vehizen_json_a_string_where_a_list_belongs_is_not_quoted() {
    let vendor = Scripted::new([Answer::json(
        200,
        json!({"Id": GROUP_ID, "Name": "A", "Vehicles": LEAK}).to_string(),
    )]);
    let gw = Gateway::start(&vehizen(&vendor.start().await, "json")).await;
    let r = gw.get(&format!("/v1/customer-groups/{GROUP_ID}")).await;
    let p = r.assert_problem(502);
    assert_no_leak(&r);
    let detail = p["detail"].as_str().unwrap();
    assert!(detail.contains("Vehicles"), "the member is named: {detail}");
}

#[tokio::test]
async fn vehizen_xml_a_bad_boolean_is_not_quoted() {
    let xml = format!(
        r#"<CustomerGroupDto xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/Vehizen.Domain.Dto.CustomerGroup"><Id>{GROUP_ID}</Id><Vehicles xmlns:d2p1="http://schemas.datacontract.org/2004/07/Vehizen.Domain.Dto"><d2p1:VehicleLightDto><d2p1:IsActive>{LEAK}</d2p1:IsActive></d2p1:VehicleLightDto></Vehicles></CustomerGroupDto>"#
    );
    let vendor = Scripted::new([Answer::xml(200, xml)]);
    let gw = Gateway::start(&vehizen(&vendor.start().await, "xml")).await;
    let r = gw.get(&format!("/v1/customer-groups/{GROUP_ID}")).await;
    r.assert_problem(502);
    assert_no_leak(&r);
}

fn customer() -> serde_json::Value {
    json!({"firstName": "Ada", "lastName": "Lovelace"})
}

#[tokio::test]
async fn department_a_malformed_envelope_is_not_quoted() {
    let vendor = Scripted::new([Answer::json(
        200,
        json!({"errors": LEAK, "warnings": []}).to_string(),
    )]);
    let gw = Gateway::start(&format!(
        "[backends.department]\nbase_url = \"{}\"\ntimeout_ms = 2000\ntoken = \"t\"\n[backends.department.retry]\nattempts = 0\n[routes.customers]\nbackends = [\"department\"]\n",
        vendor.start().await
    ))
    .await;
    let r = gw
        .put_json(&format!("/v1/customers/{CUSTOMER_ID}"), &customer())
        .await;
    let p = r.assert_problem(502);
    assert_no_leak(&r);
    let detail = p["detail"].as_str().unwrap();
    assert!(detail.contains("errors"), "the member is named: {detail}");
}

fn bokamera(base_url: &str, format: &str) -> String {
    format!(
        "[backends.bokamera]\nbase_url = \"{base_url}\"\nformat = \"{format}\"\ntimeout_ms = 2000\napi_key = \"k\"\n[routes.customers]\nbackends = [\"bokamera\"]\n"
    )
}

async fn bokamera_put(format: &str, answer: Answer) -> Resp {
    let vendor = Scripted::new([answer]);
    let gw = Gateway::start(&bokamera(&vendor.start().await, format)).await;
    gw.send_json(
        Method::PUT,
        &format!("/v1/customers/{CUSTOMER_ID}"),
        &customer(),
    )
    .await
}

#[tokio::test]
async fn bokamera_json_a_string_where_a_boolean_belongs_names_the_member_not_the_value() {
    let r = bokamera_put(
        "json",
        Answer::json(
            200,
            json!({"Firstname": "Ada", "SubscribedToNewsletter": LEAK}).to_string(),
        ),
    )
    .await;
    let p = r.assert_problem(502);
    assert_no_leak(&r);
    let detail = p["detail"].as_str().unwrap();
    assert!(
        detail.contains("SubscribedToNewsletter"),
        "the member is named: {detail}"
    );
    assert!(
        detail.contains("boolean"),
        "the expected type is named: {detail}"
    );
}

#[tokio::test]
async fn bokamera_jsv_a_string_where_an_integer_belongs_is_not_quoted() {
    let r = bokamera_put(
        "jsv",
        Answer::Body(
            200,
            "text/jsv",
            format!("{{Firstname:Ada,CustomFields:[{{Id:{LEAK}}}]}}").into(),
        ),
    )
    .await;
    r.assert_problem(502);
    assert_no_leak(&r);
}

#[tokio::test]
async fn bokamera_jsv_a_string_where_a_boolean_belongs_is_not_quoted() {
    let r = bokamera_put(
        "jsv",
        Answer::Body(
            200,
            "text/jsv",
            format!("{{Firstname:Ada,SubscribedToNewsletter:{LEAK}}}").into(),
        ),
    )
    .await;
    r.assert_problem(502);
    assert_no_leak(&r);
}
