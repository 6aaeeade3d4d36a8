//! A write the vendor did not confirm is never reported stored: a
//! department 200 that carries errors is a refusal, and a Vehizen answer
//! that breaks its own contract (no `IsValid`) is the vendor's fault (502),
//! not the caller's (422). Over real sockets with scripted vendors.

use crate::common::scripted::{Answer, Scripted};
use crate::common::{Gateway, GatewayConfig, Resp};
use crossdock::backends::bokamera::sim::{SANDBOX_API_KEY, SANDBOX_COMPANY_ID, SEEDED_ID};
use http::Method;
use serde_json::{json, Value};

const CUSTOMER_ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";
const GROUP_ID: &str = "e55ab6e7-1056-4ab3-bd03-247f4b0efdd1";

fn department(base_url: &str, extra: &str) -> String {
    GatewayConfig::new()
        .backend("department", base_url)
        .set("timeout_ms", 2000)
        .set("token", "t")
        .table("backends.department.retry")
        .set("attempts", 0)
        .lines(extra)
        .build()
}

fn customer() -> Value {
    json!({"firstName": "Ada", "lastName": "Lovelace"})
}

async fn put_customer(config: &str) -> Resp {
    put_customer_at(config, CUSTOMER_ID).await
}

async fn put_customer_at(config: &str, id: &str) -> Resp {
    let gw = Gateway::start(config).await;
    gw.put_json(&format!("/v1/customers/{id}"), &customer())
        .await
}

fn errors_200(errors: Value) -> Answer {
    Answer::json(200, json!({"errors": errors, "warnings": []}).to_string())
}

#[tokio::test]
async fn a_department_200_with_errors_is_a_refusal_not_a_stored_write() {
    let vendor = Scripted::new([errors_200(json!([
        {"errorCode": 7, "errorTitle": "Not saved", "errorMessage": "the customer is locked"}
    ]))]);
    let r = put_customer(&department(
        &vendor.start().await,
        "[routes.customers]\nbackends = [\"department\"]",
    ))
    .await;
    let p = r.assert_problem(422);
    assert_eq!(p["type"], "urn:crossdock:problem:vendor-rejected");
    assert_eq!(p["backend"], "department");
    assert_eq!(
        p["errors"],
        json!([{"code": "7", "message": "the customer is locked", "title": "Not saved"}])
    );
}

#[tokio::test]
async fn department_errors_without_known_members_still_have_a_code_and_message() {
    let vendor = Scripted::new([errors_200(json!([{"colour": "red"}, {}]))]);
    let r = put_customer(&department(
        &vendor.start().await,
        "[routes.customers]\nbackends = [\"department\"]",
    ))
    .await;
    let p = r.assert_problem(422);
    let errors = p["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{p}");
    for e in errors {
        assert_eq!(e["code"], "vendor_error", "{p}");
        assert!(!e["message"].as_str().unwrap().is_empty(), "{p}");
    }
}

#[tokio::test]
async fn in_a_fan_out_the_department_part_says_failed() {
    let vendor = Scripted::new([errors_200(json!([
        {"errorCode": 7, "errorMessage": "the customer is locked"}
    ]))]);
    let config = format!(
        "{}\n[backends.bokamera]\nbase_url = \"sandbox\"\nformat = \"json\"\napi_key = \"{SANDBOX_API_KEY}\"\ncompany_id = \"{SANDBOX_COMPANY_ID}\"\n[routes.customers]\nbackends = [\"department\", \"bokamera\"]\n",
        department(&vendor.start().await, "")
    );
    // The BokaMera sandbox knows its seeded customer.
    let r = put_customer_at(&config, SEEDED_ID).await;
    let p = r.assert_problem(502);
    let results = p["results"].as_array().expect("results");
    let dept = results
        .iter()
        .find(|r| r["backend"] == "department")
        .unwrap();
    assert_eq!(dept["status"], 422, "{p}");
    assert!(dept["error"].is_object(), "{p}");
    let boka = results.iter().find(|r| r["backend"] == "bokamera").unwrap();
    assert_eq!(boka["status"], 200, "{p}");
}

fn vehizen(base_url: &str) -> String {
    GatewayConfig::new()
        .backend("vehizen", base_url)
        .set("format", "json")
        .set("timeout_ms", 2000)
        .set("retry.attempts", 0)
        .route("customer_groups", &["vehizen"])
        .build()
}

async fn put_group(answer: Answer) -> Resp {
    let vendor = Scripted::new([answer]);
    let gw = Gateway::start(&vehizen(&vendor.start().await)).await;
    gw.send_json(
        Method::PUT,
        &format!("/v1/customer-groups/{GROUP_ID}"),
        &json!({"name": "A"}),
    )
    .await
}

#[tokio::test]
async fn a_vehizen_answer_without_is_valid_is_502_not_the_callers_fault() {
    for body in [
        json!({"Errors": [], "Data": {}}),
        json!({"IsValid": null, "Errors": [], "Data": {}}),
    ] {
        let r = put_group(Answer::json(200, body.to_string())).await;
        let p = r.assert_problem(502);
        assert_eq!(p["backend"], "vehizen");
    }
    // The vendor's own verdict stays the caller's: 422.
    let r = put_group(Answer::json(
        200,
        json!({"IsValid": false, "Errors": ["Name is required"], "Data": null}).to_string(),
    ))
    .await;
    let p = r.assert_problem(422);
    assert_eq!(p["errors"][0]["message"], "Name is required");
}
