//! Every secret the gateway holds (department token and Basic credentials,
//! BokaMera API key and bearer token, the callers' API keys, a tenant's
//! token, the Redis URLs' passwords), given through the environment and a
//! `_FILE` variable, never shows in a log line (at TRACE), a metric, a
//! response body, `check-config`'s output or a `Debug` print.
//!
//! One test in its own binary: it installs the global log subscriber.

use crate::common::scripted::{Answer, Scripted};
use crate::common::{self, send};
use crossdock::app::{self, Plan};
use http::Method;
use std::io::Write;
use std::sync::{Arc, Mutex};

const SECRETS: &[&str] = &[
    "dept-T0KEN-4f1",
    "dept-PASSW0RD-9a2",
    "dept-USER-77c",
    "boka-KEY-5d3",
    "boka-BEARER-1e8",
    "caller-KEY-6b0",
    "tenant-KEY-2c4",
    "tenant-T0KEN-8f9",
    "redis-PASS-3a7",
    "ratelimit-PASS-5e1",
];

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The test captures every log line of the process at TRACE (a global
/// subscriber): it runs in a process of its own, so it sees its gateway's
/// lines only and the other tests of this binary log as before.
#[test]
fn no_secret_leaks_anywhere() {
    common::run_alone("secrets::no_secret_leaks_anywhere_in_a_process_of_its_own");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "runs alone, through no_secret_leaks_anywhere"]
async fn no_secret_leaks_anywhere_in_a_process_of_its_own() {
    common::assert_alone();
    let logs = Captured::default();
    let writer = logs.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .json()
        // The gateway's own JSON lines (`logging.format = "json"`), with
        // every span field (path, user agent, client, ...) on each line.
        .event_format(crossdock::telemetry::FlatJson)
        .init();

    // Answers that exercise success, vendor errors and failures.
    let dept = Scripted::new([
        Answer::Body(204, "text/plain", "".into()),
        Answer::json(400, r#"{"errors":[{"errorCode":1,"errorMessage":"bad"}]}"#),
        Answer::json(401, "{}"),
        Answer::Body(500, "text/html", "<html>".into()),
        Answer::Body(204, "text/plain", "".into()),
    ]);
    let boka = Scripted::new([Answer::json(403, "{}")]);
    let dir = std::env::temp_dir().join(format!(
        "crossdock-secrets-{}",
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let token_file = dir.join("token");
    std::fs::write(&token_file, "dept-T0KEN-4f1\n").unwrap();
    let cfg = dir.join("crossdock.toml");
    std::fs::write(
        &cfg,
        format!(
            r#"
[backends.department]
base_url = "{}"
token = "placeholder"
[backends.bokamera]
base_url = "{}"
api_key = "placeholder"
[routes.customers]
backends = ["department"]
[tenants.north]
api_keys = ["placeholder-north"]
[tenants.north.routes.customers]
backends = ["department", "bokamera"]
[tenants.north.backends.department]
token = "placeholder"
"#,
            dept.start().await,
            boka.start().await
        ),
    )
    .unwrap();
    let env: Vec<(String, String)> = [
        ("CROSSDOCK__SERVER__LISTEN", "127.0.0.1:0"),
        ("CROSSDOCK__ADMIN__LISTEN", "127.0.0.1:0"),
        (
            "CROSSDOCK__BACKENDS__DEPARTMENT__TOKEN_FILE",
            token_file.to_str().unwrap(),
        ),
        ("CROSSDOCK__BACKENDS__DEPARTMENT__USERNAME", "dept-USER-77c"),
        (
            "CROSSDOCK__BACKENDS__DEPARTMENT__PASSWORD",
            "dept-PASSW0RD-9a2",
        ),
        ("CROSSDOCK__BACKENDS__BOKAMERA__API_KEY", "boka-KEY-5d3"),
        (
            "CROSSDOCK__BACKENDS__BOKAMERA__BEARER_TOKEN",
            "boka-BEARER-1e8",
        ),
        ("CROSSDOCK__AUTH__API_KEYS", "caller-KEY-6b0"),
        ("CROSSDOCK__SERVER__DRAIN_DELAY_MS", "0"),
        ("CROSSDOCK__TENANTS__NORTH__API_KEYS", "tenant-KEY-2c4"),
        (
            "CROSSDOCK__TENANTS__NORTH__BACKENDS__DEPARTMENT__TOKEN",
            "tenant-T0KEN-8f9",
        ),
        (
            "CROSSDOCK__IDEMPOTENCY__REDIS_URL",
            "redis://:redis-PASS-3a7@127.0.0.1:1/0",
        ),
        // Rate limits in a Redis that is down: every limited call tries it.
        (
            "CROSSDOCK__AUTH__RATE_LIMIT__REDIS_URL",
            "redis://:ratelimit-PASS-5e1@127.0.0.1:1/0",
        ),
        ("CROSSDOCK__AUTH__RATE_LIMIT__REQUESTS_PER_SEC", "1000"),
        ("CROSSDOCK__AUTH__RATE_LIMIT__BURST", "1000"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let plan = Plan::from_file(&cfg, env.clone()).unwrap();
    let mut printed = format!("{:?}", plan.config());
    printed.push_str(&plan.effective_toml().unwrap());
    let running = app::start(plan).await.unwrap();

    let mut bodies = Vec::new();
    let put = |key: &'static str, idem: bool| {
        let url = format!(
            "http://{}/v1/customers/0f8fad5b-d9cb-469f-a165-70867728950e",
            running.public
        );
        async move {
            let mut h = vec![("content-type", "application/json"), ("x-api-key", key)];
            if idem {
                h.push(("idempotency-key", "k-1"));
            }
            send(
                Method::PUT,
                &url,
                &h,
                Some(br#"{"firstName":"Ada"}"#.to_vec()),
            )
            .await
        }
    };
    for _ in 0..4 {
        bodies.push(put("caller-KEY-6b0", false).await);
    }
    bodies.push(put("tenant-KEY-2c4", false).await);
    bodies.push(put("wrong-key", false).await);
    // Redis is unreachable: a 503 that must not echo its URL.
    bodies.push(put("caller-KEY-6b0", true).await);
    let statuses: Vec<u16> = bodies.iter().map(|r| r.status.as_u16()).collect();
    assert_eq!(
        statuses,
        [200, 422, 502, 502, 502, 401, 503],
        "the paths the test means to cover"
    );
    let got = dept.received();
    assert!(
        got[0].path.contains("dept-T0KEN-4f1"),
        "the file's token reaches the vendor"
    );
    assert!(
        got[4].path.contains("tenant-T0KEN-8f9"),
        "the tenant's token reaches the vendor"
    );
    assert_eq!(boka.received()[0].headers["x-api-key"], "boka-KEY-5d3");

    let metrics = send(
        Method::GET,
        &format!("http://{}/metrics", running.admin),
        &[],
        None,
    )
    .await;
    running.shutdown().await;

    let check = std::process::Command::new(env!("CARGO_BIN_EXE_crossdock"))
        .args(["check-config", "--config", cfg.to_str().unwrap()])
        .envs(env.iter().cloned())
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );

    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("request finished"), "logs were captured");
    assert!(
        logs.contains("rate limit store (Redis) failed"),
        "the rate limits tried their Redis"
    );
    let mut places: Vec<(&str, String)> = vec![
        ("logs", logs),
        (
            "metrics",
            String::from_utf8_lossy(&metrics.body).into_owned(),
        ),
        ("Debug and effective config", printed),
        (
            "check-config stdout",
            String::from_utf8_lossy(&check.stdout).into_owned(),
        ),
        (
            "check-config stderr",
            String::from_utf8_lossy(&check.stderr).into_owned(),
        ),
    ];
    for r in &bodies {
        places.push((
            "a response body",
            String::from_utf8_lossy(&r.body).into_owned(),
        ));
        places.push(("response headers", format!("{:?}", r.headers)));
    }
    for (where_, text) in &places {
        for s in SECRETS {
            assert!(!text.contains(s), "secret {s} found in {where_}");
        }
        // The Basic header's base64 form too.
        assert!(
            !text.contains("ZGVwdC1VU0VS"),
            "Basic credentials in {where_}"
        );
    }
}
