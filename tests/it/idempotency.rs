//! `Idempotency-Key` end to end: the real gateway over sockets, a scripted
//! vendor that counts what it receives, and (for several replicas) a real
//! `redis-server` on loopback.

use crate::common::scripted::{Answer, Scripted};
use crate::common::{send, Gateway, GatewayConfig, Resp};
use crossdock::idempotency::redis::testing::RedisServer;
use http::Method;
use serde_json::{json, Value};
use std::time::Duration;

const ID: &str = "e55ab6e7-1056-4ab3-bd03-247f4b0efdd1";
const RESPONSE_JSON: &str = include_str!("../fixtures/vehizen/response.json");

fn config(base_url: &str, extra: &str) -> String {
    GatewayConfig::new()
        .backend("vehizen", base_url)
        .set("format", "json")
        .set("timeout_ms", 2000)
        .set("retry.attempts", 0)
        .route("customer_groups", &["vehizen"])
        .lines(extra)
        .build()
}

fn ok() -> Answer {
    Answer::json(200, RESPONSE_JSON)
}

fn group(name: &str) -> Value {
    json!({ "name": name, "customerId": "1090d952-1b60-4659-9910-2b99f8aec2ac" })
}

async fn write(gw: &Gateway, method: Method, path: &str, key: Option<&str>, body: &Value) -> Resp {
    let mut headers = vec![("content-type", "application/json")];
    if let Some(k) = key {
        headers.push(("idempotency-key", k));
    }
    send(
        method,
        &gw.url(path),
        &headers,
        Some(serde_json::to_vec(body).unwrap()),
    )
    .await
}

fn put_path() -> String {
    format!("/v1/customer-groups/{ID}")
}

fn replayed(r: &Resp) -> bool {
    r.headers
        .get("idempotent-replayed")
        .is_some_and(|v| v == "true")
}

#[tokio::test]
async fn a_replay_returns_the_first_answer_and_the_vendor_gets_one_write() {
    let vendor = Scripted::new([ok(), ok()]);
    let gw = Gateway::start(&config(&vendor.start().await, "")).await;
    let first = write(&gw, Method::PUT, &put_path(), Some("k-1"), &group("A")).await;
    assert_eq!(first.status, 200, "{:?}", first.body);
    assert!(!replayed(&first));
    let again = write(&gw, Method::PUT, &put_path(), Some("k-1"), &group("A")).await;
    assert_eq!(again.status, 200);
    assert!(replayed(&again));
    assert_eq!(again.body, first.body);
    assert_eq!(again.content_type(), first.content_type());
    assert_eq!(vendor.received().len(), 1);
    // No backend opts in to receive a key: none is sent on.
    assert!(vendor.received()[0]
        .headers
        .get("idempotency-key")
        .is_none());

    // A create replays its 201.
    let created = write(
        &gw,
        Method::POST,
        "/v1/customer-groups",
        Some("k-2"),
        &group("B"),
    )
    .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    let again = write(
        &gw,
        Method::POST,
        "/v1/customer-groups",
        Some("k-2"),
        &group("B"),
    )
    .await;
    assert_eq!(again.status, 201);
    assert!(replayed(&again));
    assert_eq!(again.body, created.body);
    assert_eq!(vendor.received().len(), 2);

    let m = gw.metrics().await;
    assert!(
        m.contains(r#"crossdock_idempotency_replays_total{route="/v1/customer-groups/{id}"} 1"#),
        "{m}"
    );
}

#[tokio::test]
async fn the_same_key_with_another_body_is_422() {
    let vendor = Scripted::new([ok()]);
    let gw = Gateway::start(&config(&vendor.start().await, "")).await;
    let first = write(&gw, Method::PUT, &put_path(), Some("k"), &group("A")).await;
    assert_eq!(first.status, 200);
    let other = write(&gw, Method::PUT, &put_path(), Some("k"), &group("B")).await;
    let p = other.assert_problem(422);
    assert_eq!(p["type"], "urn:crossdock:problem:idempotency-key-reused");
    // Another id in the path under the same route and key is misuse too.
    let other_path = "/v1/customer-groups/0f8fad5b-d9cb-469f-a165-70867728950e";
    write(&gw, Method::PUT, other_path, Some("k"), &group("A"))
        .await
        .assert_problem(422);
    assert_eq!(vendor.received().len(), 1);
}

#[tokio::test]
async fn a_duplicate_while_the_first_runs_is_409_then_the_replay() {
    let vendor = Scripted::new([Answer::Slow(
        Duration::from_millis(400),
        "application/json",
        RESPONSE_JSON.into(),
    )]);
    let gw = Gateway::start(&config(&vendor.start().await, "")).await;
    let body = group("A");
    let path = put_path();
    let first = write(&gw, Method::PUT, &path, Some("k"), &body);
    let second = async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        write(&gw, Method::PUT, &path, Some("k"), &body).await
    };
    let (first, second) = tokio::join!(first, second);
    assert_eq!(first.status, 200, "{:?}", first.body);
    let p = second.assert_problem(409);
    assert_eq!(p["type"], "urn:crossdock:problem:idempotency-key-in-flight");
    assert_eq!(second.headers.get("retry-after").unwrap(), "1");
    let third = write(&gw, Method::PUT, &path, Some("k"), &body).await;
    assert!(replayed(&third));
    assert_eq!(third.body, first.body);
    assert_eq!(vendor.received().len(), 1);
}

#[tokio::test]
async fn a_502_is_not_stored_so_the_retry_reaches_the_vendor() {
    let html = "<html><body>Server Error</body></html>";
    let vendor = Scripted::new([Answer::Body(500, "text/html", html.into()), ok()]);
    let gw = Gateway::start(&config(&vendor.start().await, "")).await;
    let first = write(&gw, Method::PUT, &put_path(), Some("k"), &group("A")).await;
    first.assert_problem(502);
    let retry = write(&gw, Method::PUT, &put_path(), Some("k"), &group("A")).await;
    assert_eq!(retry.status, 200);
    assert!(!replayed(&retry));
    assert_eq!(vendor.received().len(), 2);
    let replay = write(&gw, Method::PUT, &put_path(), Some("k"), &group("A")).await;
    assert!(replayed(&replay));
    assert_eq!(vendor.received().len(), 2);
}

#[tokio::test]
async fn a_vendor_verdict_is_stored_and_replayed() {
    let vendor = Scripted::new([Answer::Body(
        404,
        "application/json",
        r#"{"Message":"not found"}"#.into(),
    )]);
    let gw = Gateway::start(&config(&vendor.start().await, "")).await;
    let first = write(&gw, Method::PUT, &put_path(), Some("k"), &group("A")).await;
    first.assert_problem(404);
    let again = write(&gw, Method::PUT, &put_path(), Some("k"), &group("A")).await;
    assert_eq!(again.status, 404);
    assert!(replayed(&again));
    assert_eq!(again.content_type(), "application/problem+json");
    // The first answer, request id included.
    assert_eq!(again.body, first.body);
    assert_eq!(vendor.received().len(), 1);
}

#[tokio::test]
async fn bad_keys_are_400_and_requests_without_a_key_are_untouched() {
    let vendor = Scripted::new([ok(), ok()]);
    let gw = Gateway::start(&config(&vendor.start().await, "")).await;
    let long = "a".repeat(256);
    for bad in ["", "with space", long.as_str()] {
        let r = write(&gw, Method::PUT, &put_path(), Some(bad), &group("A")).await;
        let p = r.assert_problem(400);
        assert_eq!(p["errors"][0]["code"], "invalid_idempotency_key");
    }
    assert_eq!(vendor.received().len(), 0);
    for _ in 0..2 {
        let r = write(&gw, Method::PUT, &put_path(), None, &group("A")).await;
        assert_eq!(r.status, 200);
        assert!(!replayed(&r));
    }
    assert_eq!(vendor.received().len(), 2);
}

#[tokio::test]
async fn the_memory_store_stays_bounded() {
    let vendor = Scripted::new((0..12).map(|_| ok()));
    let gw = Gateway::start(&config(
        &vendor.start().await,
        "[idempotency]\nmax_entries = 3",
    ))
    .await;
    let store = gw.running.state.idempotency.store.clone();
    for i in 0..10 {
        let r = write(
            &gw,
            Method::PUT,
            &put_path(),
            Some(&format!("k{i}")),
            &group("A"),
        )
        .await;
        assert_eq!(r.status, 200);
        assert!(store.entries().unwrap() <= 3);
    }
    assert_eq!(store.entries(), Some(3));
    // The newest key replays; the oldest was forgotten and runs again.
    let r = write(&gw, Method::PUT, &put_path(), Some("k9"), &group("A")).await;
    assert!(replayed(&r));
    let r = write(&gw, Method::PUT, &put_path(), Some("k0"), &group("A")).await;
    assert!(!replayed(&r));
    assert_eq!(vendor.received().len(), 11);
    assert_eq!(store.entries(), Some(3));
}

/// A Vehizen write answer whose Data echoes a group named with `len` bytes:
/// the gateway's answer, and so what the store keeps, is that large.
fn big_answer(len: usize) -> Answer {
    let name = "n".repeat(len);
    Answer::json(
        200,
        json!({"IsValid": true, "Errors": [], "Data": {"Name": name}}).to_string(),
    )
}

#[tokio::test]
async fn the_memory_store_stays_within_max_bytes_and_counts_evictions() {
    // About 100 KB per answer: three fit in 350 000 bytes, a fourth does not.
    let vendor = Scripted::new((0..10).map(|_| big_answer(100_000)));
    let gw = Gateway::start(&config(
        &vendor.start().await,
        "[idempotency]\nmax_bytes = 350000",
    ))
    .await;
    let store = gw.running.state.idempotency.store.clone();
    let large = group(&"b".repeat(200_000));
    for i in 0..10 {
        let r = write(
            &gw,
            Method::PUT,
            &put_path(),
            Some(&format!("k{i}")),
            &large,
        )
        .await;
        assert_eq!(r.status, 200, "{:?}", String::from_utf8_lossy(&r.body));
        assert!(r.body.len() > 100_000);
        let held = store.bytes().expect("the memory store counts bytes");
        assert!(held <= 350_000, "{held} bytes held");
    }
    assert_eq!(store.entries(), Some(3));
    // The newest answer replays; the oldest was forgotten.
    assert!(replayed(
        &write(&gw, Method::PUT, &put_path(), Some("k9"), &large).await
    ));
    let m = gw.metrics().await;
    assert!(m.contains("crossdock_idempotency_evictions_total 7"), "{m}");
}

#[tokio::test]
async fn a_key_answered_before_a_reload_is_replayed_after_it() {
    let vendor = Scripted::new([ok(), ok()]);
    let toml = config(&vendor.start().await, "");
    let gw = Gateway::start(&toml).await;
    let first = write(&gw, Method::PUT, &put_path(), Some("k"), &group("A")).await;
    assert_eq!(first.status, 200);
    let path = std::env::temp_dir().join(format!(
        "crossdock-reload-{}.toml",
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::write(&path, &toml).unwrap();
    let ports = [
        (
            "CROSSDOCK__SERVER__LISTEN".to_string(),
            "127.0.0.1:0".to_string(),
        ),
        (
            "CROSSDOCK__ADMIN__LISTEN".to_string(),
            "127.0.0.1:0".to_string(),
        ),
    ];
    let plan = crossdock::app::Plan::from_file(&path, ports).unwrap();
    let _ = std::fs::remove_file(&path);
    gw.running.reload(plan).await.unwrap();
    let again = write(&gw, Method::PUT, &put_path(), Some("k"), &group("A")).await;
    assert_eq!(again.status, 200);
    assert!(replayed(&again), "the write ran again after the reload");
    assert_eq!(again.body, first.body);
    assert_eq!(vendor.received().len(), 1);
}

#[tokio::test]
async fn callers_with_different_api_keys_never_share_answers() {
    let vendor = Scripted::new([ok(), ok(), ok()]);
    let gw = Gateway::start(&config(
        &vendor.start().await,
        "[auth]\napi_keys = [\"alice-key\", \"bob-key\"]",
    ))
    .await;
    let body = serde_json::to_vec(&group("A")).unwrap();
    let call = |api: &'static str| {
        let body = body.clone();
        let url = gw.url(&put_path());
        async move {
            send(
                Method::PUT,
                &url,
                &[
                    ("content-type", "application/json"),
                    ("x-api-key", api),
                    ("idempotency-key", "shared"),
                ],
                Some(body),
            )
            .await
        }
    };
    assert!(!replayed(&call("alice-key").await));
    assert!(!replayed(&call("bob-key").await));
    assert!(replayed(&call("alice-key").await));
    assert_eq!(vendor.received().len(), 2);
}

fn redis_config(base_url: &str, redis: &RedisServer) -> String {
    config(
        base_url,
        &format!("[idempotency]\nredis_url = \"{}\"", redis.url()),
    )
}

/// The multi-replica proof: two gateways sharing one Redis see each
/// other's keys.
#[tokio::test]
async fn two_replicas_sharing_redis_see_each_others_keys() {
    let Some(redis) = RedisServer::start().unwrap() else {
        return;
    };
    let vendor = Scripted::new([ok()]);
    let base = vendor.start().await;
    let a = Gateway::start(&redis_config(&base, &redis)).await;
    let b = Gateway::start(&redis_config(&base, &redis)).await;
    let first = write(&a, Method::PUT, &put_path(), Some("k"), &group("A")).await;
    assert_eq!(first.status, 200, "{:?}", first.body);
    let on_b = write(&b, Method::PUT, &put_path(), Some("k"), &group("A")).await;
    assert_eq!(on_b.status, 200);
    assert!(replayed(&on_b));
    assert_eq!(on_b.body, first.body);
    write(&b, Method::PUT, &put_path(), Some("k"), &group("B"))
        .await
        .assert_problem(422);
    assert_eq!(vendor.received().len(), 1);

    // In flight on one replica is in flight on the other.
    vendor.push(Answer::Slow(
        Duration::from_millis(400),
        "application/json",
        RESPONSE_JSON.into(),
    ));
    let path = put_path();
    let body = group("C");
    let on_a = write(&a, Method::PUT, &path, Some("k2"), &body);
    let on_b = async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        write(&b, Method::PUT, &path, Some("k2"), &body).await
    };
    let (on_a, on_b) = tokio::join!(on_a, on_b);
    assert_eq!(on_a.status, 200);
    on_b.assert_problem(409);
    assert!(replayed(
        &write(&b, Method::PUT, &path, Some("k2"), &body).await
    ));
    assert_eq!(vendor.received().len(), 2);
}

#[tokio::test]
async fn redis_down_refuses_keyed_writes_with_503_and_passes_the_rest() {
    let Some(mut redis) = RedisServer::start().unwrap() else {
        return;
    };
    let vendor = Scripted::new([ok()]);
    let gw = Gateway::start(&redis_config(&vendor.start().await, &redis)).await;
    redis.stop();
    let r = write(&gw, Method::PUT, &put_path(), Some("k"), &group("A")).await;
    let p = r.assert_problem(503);
    assert_eq!(
        p["type"],
        "urn:crossdock:problem:idempotency-store-unavailable"
    );
    assert_eq!(r.headers.get("retry-after").unwrap(), "1");
    assert_eq!(vendor.received().len(), 0);
    let r = write(&gw, Method::PUT, &put_path(), None, &group("A")).await;
    assert_eq!(r.status, 200);
    let m = gw.metrics().await;
    assert!(
        m.contains(r#"crossdock_idempotency_store_errors_total{operation="begin"} 1"#),
        "{m}"
    );
}

#[tokio::test]
async fn a_bad_redis_url_is_named_at_startup_without_its_password() {
    let e = Gateway::try_start(&config(
        "sandbox",
        "[idempotency]\nredis_url = \"http://:s3cret@host\"\nwindow_secs = 0\nmax_entries = 0\nmax_bytes = 0",
    ))
    .await
    .err()
    .unwrap();
    assert!(e.contains("idempotency.redis_url"), "{e}");
    assert!(e.contains("idempotency.window_secs"), "{e}");
    assert!(e.contains("idempotency.max_entries"), "{e}");
    assert!(e.contains("idempotency.max_bytes"), "{e}");
    assert!(!e.contains("s3cret"), "{e}");
}
