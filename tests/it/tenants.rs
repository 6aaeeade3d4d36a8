//! Tenants: API keys pick the tenant; a tenant has its own routes, backend
//! credentials (a department token per department) and rate limit; keys
//! are never logged or echoed.

use crate::common::scripted::{Answer, Scripted};
use crate::common::{self, send, Gateway, Resp};
use http::Method;
use std::time::Duration;

const ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

fn ok() -> Answer {
    Answer::Body(204, "text/plain", "".into())
}

async fn put(gw: &Gateway, key: Option<&str>) -> Resp {
    let mut headers = vec![("content-type", "application/json")];
    if let Some(k) = key {
        headers.push(("x-api-key", k));
    }
    send(
        Method::PUT,
        &gw.url(&format!("/v1/customers/{ID}")),
        &headers,
        Some(br#"{"firstName":"Ada"}"#.to_vec()),
    )
    .await
}

fn config(department: &str, bokamera: &str, extra: &str) -> String {
    format!(
        r#"
[backends.department]
base_url = "{department}"
token = "top-token"
[backends.bokamera]
base_url = "{bokamera}"
api_key = "top-boka-key"
[routes.customers]
backends = ["department"]
[auth]
api_keys = ["top-key"]
[tenants.acme]
api_keys = ["acme-key"]
[tenants.acme.backends.department]
token = "acme-token"
[tenants.beta]
api_keys = ["beta-key"]
[tenants.beta.routes.customers]
backends = ["bokamera"]
{extra}
"#
    )
}

#[tokio::test]
async fn keys_pick_the_tenant_its_routes_and_its_credentials() {
    let dept = Scripted::new((0..4).map(|_| ok()));
    let boka = Scripted::new([Answer::json(
        200,
        r#"{"Id":"0f8fad5b-d9cb-469f-a165-70867728950e","Firstname":"Ada"}"#,
    )]);
    let gw = Gateway::start(&config(&dept.start().await, &boka.start().await, "")).await;

    assert_eq!(put(&gw, Some("top-key")).await.status, 200);
    assert_eq!(put(&gw, Some("acme-key")).await.status, 200);
    let r = put(&gw, Some("beta-key")).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    put(&gw, None).await.assert_problem(401);
    put(&gw, Some("acme-ke")).await.assert_problem(401);
    put(&gw, Some("acme-keyy")).await.assert_problem(401);

    let paths: Vec<String> = dept.received().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths.len(), 2, "{paths:?}");
    assert!(paths[0].contains("/top-token/"), "{paths:?}");
    assert!(
        paths[1].contains("/acme-token/"),
        "the tenant's own token: {paths:?}"
    );
    let boka_got = boka.received();
    assert_eq!(boka_got.len(), 1, "beta routes customers to bokamera");
    assert_eq!(boka_got[0].headers["x-api-key"], "top-boka-key");

    // Paths outside /v1 need no key.
    let r = gw.get("/openapi.json").await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn each_key_has_its_own_rate_limit() {
    let dept = Scripted::new((0..10).map(|_| ok()));
    let gw = Gateway::start(&config(
        &dept.start().await,
        "sandbox",
        "[auth.rate_limit]\nrequests_per_sec = 2.0\nburst = 2",
    ))
    .await;
    assert_eq!(put(&gw, Some("top-key")).await.status, 200);
    assert_eq!(put(&gw, Some("top-key")).await.status, 200);
    let r = put(&gw, Some("top-key")).await;
    let p = r.assert_problem(429);
    assert_eq!(p["type"], "urn:crossdock:problem:rate-limited");
    assert!(r.headers.get("retry-after").is_some());
    // Another key (of another tenant that inherits the limit) is not held up.
    assert_eq!(put(&gw, Some("acme-key")).await.status, 200);
    // The bucket refills (the runtime's clock moved on, not slept).
    common::skip(Duration::from_millis(500)).await;
    assert_eq!(put(&gw, Some("top-key")).await.status, 200);
    // Nothing of a key in the bodies or metrics.
    assert!(!String::from_utf8_lossy(&r.body).contains("top-key"));
    assert!(!gw.metrics().await.contains("top-key"));
}

#[tokio::test]
async fn tenant_config_errors_are_named() {
    let bad = r#"
[backends.department]
base_url = "sandbox"
token = "t"
[auth]
api_keys = ["same"]
[tenants.a]
api_keys = ["same"]
[tenants.a.backends.department]
tokn = "x"
[tenants.b]
[tenants.b.backends.vehizen]
format = "xml"
[tenants.c]
api_keys = ["c"]
[tenants.c.rate_limit]
requests_per_sec = 0.0
burst = 1
"#;
    let e = Gateway::try_start(bad).await.err().expect("invalid");
    for want in [
        "tenants.a.api_keys: a key is also a key of default",
        "tenants.a.backends.department.tokn: unknown key",
        "tenants.b.api_keys: a tenant needs at least one key",
        "tenants.b.backends.vehizen: overrides nothing",
        "tenants.c.rate_limit",
    ] {
        assert!(e.contains(want), "{want} not in:\n{e}");
    }
    assert!(!e.contains("\"same\""), "no key value in errors: {e}");
}

#[tokio::test]
async fn wrong_keys_are_throttled_per_address_and_right_keys_are_not() {
    let dept = Scripted::new((0..4).map(|_| ok()));
    let boka = Scripted::new([]);
    let extra = "[auth.failed_keys]\nrequests_per_sec = 0.5\nburst = 5\n";
    let gw = Gateway::start(
        &config(&dept.start().await, &boka.start().await, "")
            .replace("[tenants.acme]\n", &format!("{extra}[tenants.acme]\n")),
    )
    .await;
    let mut statuses = Vec::new();
    for i in 0..20 {
        let key = format!("guess-{i}");
        let key = if i % 2 == 0 { Some(key.as_str()) } else { None };
        statuses.push(put(&gw, key).await);
    }
    assert!(statuses[..5].iter().all(|r| r.status == 401));
    for r in &statuses[5..] {
        let p = r.assert_problem(429);
        assert_eq!(p["type"], "urn:crossdock:problem:rate-limited");
        assert!(r.headers.contains_key("retry-after"));
    }
    // A right key from the same address is never slowed.
    assert_eq!(put(&gw, Some("top-key")).await.status, 200);
    assert_eq!(put(&gw, Some("acme-key")).await.status, 200);
}
