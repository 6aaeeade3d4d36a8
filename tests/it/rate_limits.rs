//! Rate limits over real sockets: the IETF draft headers on every answer,
//! one limit held by two gateways sharing a real `redis-server` on
//! loopback, each replica's own buckets without Redis and while it is
//! down.

use crate::common::scripted::{Answer, Scripted};
use crate::common::{send, Gateway, Resp};
use crossdock::idempotency::redis::testing::RedisServer;
use http::Method;

const ID: &str = "e55ab6e7-1056-4ab3-bd03-247f4b0efdd1";

/// The sandbox Vehizen behind keys: the `default` tenant (`top-key`)
/// under `limit`, `acme` (`acme-key`) under its own limit of one call.
/// Refills take 100 s: nothing comes back during a test.
fn config(limit: &str) -> String {
    format!(
        r#"
[backends.vehizen]
base_url = "sandbox"
[auth]
api_keys = ["top-key"]
[auth.rate_limit]
{limit}
[tenants.acme]
api_keys = ["acme-key"]
[tenants.acme.rate_limit]
requests_per_sec = 0.01
burst = 1
"#
    )
}

fn shared(redis: &RedisServer) -> String {
    config(&format!(
        "requests_per_sec = 0.01\nburst = 4\nredis_url = \"{}\"",
        redis.url()
    ))
}

async fn get(gw: &Gateway, key: &str) -> Resp {
    send(
        Method::GET,
        &gw.url(&format!("/v1/customer-groups/{ID}")),
        &[("x-api-key", key)],
        None,
    )
    .await
}

fn header(r: &Resp, name: &str) -> u64 {
    r.headers
        .get(name)
        .unwrap_or_else(|| panic!("no {name} in {:?}", r.headers))
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// (limit, remaining, reset) of an answer.
fn limits(r: &Resp) -> (u64, u64, u64) {
    (
        header(r, "ratelimit-limit"),
        header(r, "ratelimit-remaining"),
        header(r, "ratelimit-reset"),
    )
}

fn assert_limited(r: &Resp) {
    let p = r.assert_problem(429);
    assert_eq!(p["type"], "urn:crossdock:problem:rate-limited");
}

/// The multi-replica proof: a burst of 4 is 4 calls across both gateways,
/// and the fifth is refused on either.
#[tokio::test]
async fn two_gateways_on_one_redis_hold_one_limit() {
    let Some(redis) = RedisServer::start().unwrap() else {
        return;
    };
    let a = Gateway::start(&shared(&redis)).await;
    let b = Gateway::start(&shared(&redis)).await;
    // One call every 100 s, burst 4: after the first call the burst is
    // back in 100 s, after the fourth in 400 s.
    for (i, gw) in [&a, &b, &a, &b].into_iter().enumerate() {
        let r = get(gw, "top-key").await;
        assert_eq!(r.status, 200, "call {i}: {:?}", r.body);
        let (limit, remaining, reset) = limits(&r);
        assert_eq!((limit, remaining), (4, 3 - i as u64), "call {i}");
        let want = 100 * (i as u64 + 1);
        assert!(
            (want - 1..=want).contains(&reset),
            "call {i}: reset {reset}"
        );
    }
    for gw in [&a, &b] {
        let r = get(gw, "top-key").await;
        assert_limited(&r);
        let (limit, remaining, reset) = limits(&r);
        assert_eq!((limit, remaining), (4, 0));
        assert!((399..=400).contains(&reset), "reset {reset}");
        let retry = header(&r, "retry-after");
        assert!((99..=100).contains(&retry), "retry-after {retry}");
    }
    // A tenant's own limit is shared too.
    assert_eq!(get(&a, "acme-key").await.status, 200);
    assert_limited(&get(&b, "acme-key").await);
    let m = a.metrics().await;
    assert!(
        m.contains("crossdock_rate_limit_store_errors_total 0"),
        "{m}"
    );
}

/// Without `redis_url` each gateway keeps its own buckets: two replicas
/// let a key through twice as often, and the headers say so per replica.
#[tokio::test]
async fn without_redis_each_gateway_has_its_own_buckets() {
    let limit = "requests_per_sec = 0.01\nburst = 2";
    let a = Gateway::start(&config(limit)).await;
    let b = Gateway::start(&config(limit)).await;
    for gw in [&a, &b] {
        let r = get(gw, "top-key").await;
        assert_eq!(r.status, 200);
        assert_eq!(limits(&r), (2, 1, 100));
        let r = get(gw, "top-key").await;
        assert_eq!(limits(&r), (2, 0, 200));
        let r = get(gw, "top-key").await;
        assert_limited(&r);
        assert_eq!(limits(&r), (2, 0, 200));
        assert_eq!(header(&r, "retry-after"), 100);
    }
}

/// Errors of a limited call carry the headers too; answers that no key's
/// limit governs carry none.
#[tokio::test]
async fn every_answer_of_a_limited_call_tells_the_limit() {
    let vendor = Scripted::new([Answer::Body(500, "text/plain", "down".into())]);
    let toml = format!(
        r#"
[backends.vehizen]
base_url = "{}"
[backends.vehizen.retry]
attempts = 0
[auth]
api_keys = ["top-key"]
[auth.rate_limit]
requests_per_sec = 0.01
burst = 3
"#,
        vendor.start().await
    );
    let gw = Gateway::start(&toml).await;
    let r = get(&gw, "top-key").await;
    r.assert_problem(502);
    assert_eq!(limits(&r), (3, 2, 100));
    let r = get(&gw, "nobody").await;
    r.assert_problem(401);
    assert!(
        r.headers.get("ratelimit-limit").is_none(),
        "no key, no limit"
    );
    let r = gw.get("/openapi.json").await;
    assert_eq!(r.status, 200);
    assert!(
        r.headers.get("ratelimit-limit").is_none(),
        "not a limited route"
    );
}

/// Redis down: each gateway limits with its own buckets (fail open, but
/// not unlimited), logs it, and counts the failed calls.
#[tokio::test]
async fn redis_down_falls_back_to_each_gateways_own_buckets() {
    let Some(mut redis) = RedisServer::start().unwrap() else {
        return;
    };
    let gw = Gateway::start(&config(&format!(
        "requests_per_sec = 0.01\nburst = 2\nredis_url = \"{}\"",
        redis.url()
    )))
    .await;
    assert_eq!(get(&gw, "top-key").await.status, 200, "through Redis");
    redis.stop();
    // The local bucket is full: Redis's count is not known here.
    for _ in 0..2 {
        let r = get(&gw, "top-key").await;
        assert_eq!(r.status, 200, "{:?}", r.body);
    }
    let r = get(&gw, "top-key").await;
    assert_limited(&r);
    assert_eq!(limits(&r), (2, 0, 200));
    let m = gw.metrics().await;
    assert!(
        m.contains("crossdock_rate_limit_store_errors_total 1"),
        "one failed call, then a pause of a second: {m}"
    );
}

#[tokio::test]
async fn rate_limit_settings_are_checked_at_plan_time() {
    let e = Gateway::try_start(&config(
        "requests_per_sec = 1.0\nredis_url = \"http://:s3cret@host\"",
    ))
    .await
    .err()
    .expect("invalid");
    assert!(
        e.contains("auth.rate_limit.redis_url: must start with redis://"),
        "{e}"
    );
    assert!(
        e.contains("auth.rate_limit: requests_per_sec and burst go together"),
        "{e}"
    );
    assert!(!e.contains("s3cret"), "{e}");
    let e = Gateway::try_start(&config("")).await.err().expect("empty");
    assert!(
        e.contains("auth.rate_limit: set requests_per_sec and burst, or redis_url"),
        "{e}"
    );

    // `redis_url` alone: only the tenants' own limits, kept in Redis (the
    // connection is made by the first call, so none is needed to start).
    let gw = Gateway::start(&config("redis_url = \"redis://:pw@127.0.0.1:1/0\"")).await;
    let r = get(&gw, "top-key").await;
    assert_eq!(r.status, 200);
    assert!(
        r.headers.get("ratelimit-limit").is_none(),
        "no default limit"
    );
    let r = get(&gw, "acme-key").await;
    assert_eq!(r.status, 200, "Redis is down: acme's own bucket decides");
    assert_eq!(limits(&r), (1, 0, 100));
}
