//! The outbound stack over real sockets: retries (idempotent calls only,
//! transient failures only), per-attempt timeouts, the circuit breaker fed
//! by classified outcomes, and load shedding.

use crate::common::scripted::{Answer, Scripted};
use crate::common::{self, Gateway, GatewayConfig};
use http::Method;
use serde_json::json;
use std::time::Duration;

const ID: &str = "e55ab6e7-1056-4ab3-bd03-247f4b0efdd1";
const GET_XML: &str = include_str!("../fixtures/vehizen/get.xml");
const RESPONSE_XML: &str = include_str!("../fixtures/vehizen/response.xml");

fn config(url: &str, extra: &str) -> String {
    GatewayConfig::new()
        .backend("vehizen", url)
        .set("format", "xml")
        .set("timeout_ms", 300)
        .lines(extra)
        .build()
}

fn busy() -> Answer {
    Answer::Body(503, "text/plain", "busy".into())
}

#[tokio::test]
async fn idempotent_calls_are_retried_on_transient_failures() {
    let vendor = Scripted::new([busy(), Answer::xml(200, GET_XML)]);
    let gw = Gateway::start(&config(&vendor.start().await, "")).await;
    let r = gw.get(&format!("/v1/customer-groups/{ID}")).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(vendor.received().len(), 2);

    // A timed-out attempt is retried too (the timeout is per attempt).
    let vendor = Scripted::new([
        Answer::Slow(
            Duration::from_millis(800),
            "application/xml",
            GET_XML.into(),
        ),
        Answer::xml(200, GET_XML),
    ]);
    let gw = Gateway::start(&config(&vendor.start().await, "")).await;
    let r = gw.get(&format!("/v1/customer-groups/{ID}")).await;
    assert_eq!(r.status, 200);
    assert_eq!(vendor.received().len(), 2);
}

#[tokio::test]
async fn creates_and_vendor_verdicts_are_not_retried() {
    // A create (Id null) is not idempotent: one attempt, then 502.
    let vendor = Scripted::new([busy(), Answer::xml(200, RESPONSE_XML)]);
    let gw = Gateway::start(&config(&vendor.start().await, "")).await;
    let r = gw
        .send_json(Method::POST, "/v1/customer-groups", &json!({"name": "n"}))
        .await;
    r.assert_problem(502);
    assert_eq!(vendor.received().len(), 1);

    // A 404 is the vendor's answer, not a transient failure.
    let vendor = Scripted::new([
        Answer::Body(404, "application/json", "{}".into()),
        Answer::xml(200, GET_XML),
    ]);
    let gw = Gateway::start(&config(&vendor.start().await, "")).await;
    gw.get(&format!("/v1/customer-groups/{ID}"))
        .await
        .assert_problem(404);
    assert_eq!(vendor.received().len(), 1);
}

#[tokio::test]
async fn retries_stop_after_the_configured_attempts() {
    let vendor = Scripted::new((0..10).map(|_| busy()));
    let gw = Gateway::start(&config(
        &vendor.start().await,
        "[backends.vehizen.retry]\nattempts = 2\nbackoff_ms = 1\n[backends.vehizen.breaker]\nconsecutive_failures = 0",
    ))
    .await;
    gw.get(&format!("/v1/customer-groups/{ID}"))
        .await
        .assert_problem(502);
    assert_eq!(vendor.received().len(), 3);
}

#[tokio::test]
async fn the_breaker_opens_on_backend_faults_and_closes_after_a_good_probe() {
    let vendor = Scripted::new((0..3).map(|_| Answer::Body(500, "text/html", "<html>".into())));
    let gw = Gateway::start(&config(
        &vendor.start().await,
        "[backends.vehizen.retry]\nattempts = 0\n[backends.vehizen.breaker]\nconsecutive_failures = 3\nopen_ms = 400",
    ))
    .await;
    let path = format!("/v1/customer-groups/{ID}");
    for _ in 0..3 {
        gw.get(&path).await.assert_problem(502);
    }
    let r = gw.get(&path).await;
    let p = r.assert_problem(503);
    assert_eq!(p["backend"], "vehizen");
    assert!(r.headers.get("retry-after").is_some());
    assert_eq!(vendor.received().len(), 3, "an open breaker sends nothing");
    let m = gw.metrics().await;
    assert!(
        m.contains(r#"crossdock_backend_circuit_open{backend="vehizen"} 1"#),
        "{m}"
    );
    assert!(m.contains(r#"outcome="circuit_open""#));

    // After open_ms (on the runtime's clock, moved on rather than slept),
    // one probe goes through; it succeeds and closes it.
    common::skip(Duration::from_millis(400)).await;
    vendor.push(Answer::xml(200, GET_XML));
    vendor.push(Answer::xml(200, GET_XML));
    assert_eq!(gw.get(&path).await.status, 200);
    assert_eq!(gw.get(&path).await.status, 200);
    let m = gw.metrics().await;
    assert!(
        m.contains(r#"crossdock_backend_circuit_open{backend="vehizen"} 0"#),
        "{m}"
    );
}

#[tokio::test]
async fn vendor_verdicts_do_not_open_the_breaker() {
    let invalid = RESPONSE_XML.replace("<IsValid>true</IsValid>", "<IsValid>false</IsValid>");
    let vendor = Scripted::new((0..6).map(|_| Answer::xml(200, invalid.clone())));
    let gw = Gateway::start(&config(
        &vendor.start().await,
        "[backends.vehizen.breaker]\nconsecutive_failures = 2",
    ))
    .await;
    for _ in 0..6 {
        gw.put_json(&format!("/v1/customer-groups/{ID}"), &json!({"name": "x"}))
            .await
            .assert_problem(422);
    }
}

#[tokio::test]
async fn calls_over_the_concurrency_limit_are_shed() {
    let slow = || {
        Answer::Slow(
            Duration::from_millis(250),
            "application/xml",
            GET_XML.into(),
        )
    };
    let vendor = Scripted::new([slow(), slow()]);
    let gw = Gateway::start(&config(
        &vendor.start().await,
        "max_concurrency = 1\n[backends.vehizen.breaker]\nconsecutive_failures = 0",
    ))
    .await;
    let path = format!("/v1/customer-groups/{ID}");
    let (a, b) = tokio::join!(gw.get(&path), async {
        tokio::time::sleep(Duration::from_millis(50)).await;
        gw.get(&path).await
    });
    assert_eq!(a.status, 200);
    let p = b.assert_problem(503);
    assert_eq!(p["type"], "urn:crossdock:problem:overloaded");
    assert_eq!(b.headers["retry-after"], "1");
}
