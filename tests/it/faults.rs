//! Faults injected by the sandbox simulators (`[backends.<name>.faults]`),
//! over real sockets, against the spec's status table: latency over
//! `timeout_ms` and a slow body are 504; errors, resets, garbage and HTML
//! pages are 502; repeated failures open the breaker (503 with
//! `Retry-After`), which closes once the fault is gone. And the gateway's
//! memory stays bounded under a long run of mixed faults.

use crate::common;

use crate::common::{Gateway, GatewayConfig};
use bytes::Bytes;
use crossdock::sandbox::FaultConfig;
use http::Method;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

const ID: &str = "e55ab6e7-1056-4ab3-bd03-247f4b0efdd1";
const DEFAULT_TOML: &str = include_str!("../../config/default.toml");

/// The Vehizen sandbox with `faults` (TOML lines) and `extra` outbound keys;
/// the breaker is off unless `extra` sets it.
fn vehizen(faults: &str, extra: &str) -> String {
    let mut cfg = GatewayConfig::new()
        .backend("vehizen", "sandbox")
        .set("format", "xml");
    if !extra.contains("timeout_ms") {
        cfg = cfg.set("timeout_ms", 200);
    }
    cfg.lines(extra)
        .table("backends.vehizen.faults")
        .set("seed", 42)
        .lines(faults)
        .build()
}

const NO_RETRY_NO_BREAKER: &str =
    "[backends.vehizen.retry]\nattempts = 0\n[backends.vehizen.breaker]\nconsecutive_failures = 0";

fn group_path() -> String {
    format!("/v1/customer-groups/{ID}")
}

/// The value of one series in `/metrics` text (0 when absent).
fn series(metrics: &str, name_and_labels: &str) -> f64 {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(name_and_labels)?.trim().parse().ok())
        .unwrap_or(0.0)
}

fn outcome(metrics: &str, outcome: &str) -> f64 {
    series(
        metrics,
        &format!(
            r#"crossdock_backend_requests_total{{backend="vehizen",operation="get_customer_group",outcome="{outcome}"}}"#
        ),
    )
}

#[tokio::test]
async fn latency_above_the_timeout_is_504_and_below_it_200() {
    let gw = Gateway::start(&vehizen("latency_ms = 400", NO_RETRY_NO_BREAKER)).await;
    let p = gw.get(&group_path()).await.assert_problem(504);
    assert_eq!(p["backend"], "vehizen");
    assert_eq!(outcome(&gw.metrics().await, "timeout"), 1.0);

    gw.running.sandboxes["vehizen"].set(FaultConfig {
        latency_ms: 50,
        ..Default::default()
    });
    assert_eq!(gw.get(&group_path()).await.status, 200);
    assert_eq!(gw.running.sandboxes["vehizen"].injected().delayed, 2);
}

#[tokio::test]
async fn errors_are_502_after_retries_then_the_breaker_opens_and_closes_when_they_stop() {
    let gw = Gateway::start(&vehizen(
        "error_rate = 1.0",
        "[backends.vehizen.retry]\nattempts = 2\nbackoff_ms = 1\n\
         [backends.vehizen.breaker]\nconsecutive_failures = 3\nopen_ms = 400",
    ))
    .await;
    let faults = &gw.running.sandboxes["vehizen"];
    for _ in 0..3 {
        let p = gw.get(&group_path()).await.assert_problem(502);
        assert_eq!(p["backend"], "vehizen");
    }
    // Answers are 503 (retried) or 500 (not): with seed 42, some were
    // retried, so the sandbox saw more calls than the gateway got.
    let sent = faults.injected().errors;
    assert!(sent > 3, "retries happened: {sent} errors for 3 calls");
    assert!(sent <= 9, "at most 2 retries per call: {sent}");
    assert_eq!(outcome(&gw.metrics().await, "server_error"), 3.0);

    // Three failed exchanges in a row: open. Nothing reaches the sandbox.
    let r = gw.get(&group_path()).await;
    let p = r.assert_problem(503);
    assert_eq!(p["backend"], "vehizen");
    let retry_after: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry_after >= 1);
    assert_eq!(faults.injected().errors, sent);
    let m = gw.metrics().await;
    assert_eq!(
        series(&m, r#"crossdock_backend_circuit_open{backend="vehizen"}"#),
        1.0,
        "{m}"
    );

    // The fault goes away; after open_ms the probe succeeds and closes it.
    faults.set(FaultConfig::default());
    common::skip(Duration::from_millis(400)).await;
    assert_eq!(gw.get(&group_path()).await.status, 200);
    assert_eq!(gw.get(&group_path()).await.status, 200);
    let m = gw.metrics().await;
    assert_eq!(
        series(&m, r#"crossdock_backend_circuit_open{backend="vehizen"}"#),
        0.0,
        "{m}"
    );
}

/// The whole-request deadline (`server.request_timeout_ms`) shorter than
/// the backend's attempts (`timeout_ms` × (1 + `retry.attempts`)): the
/// deadline cuts the exchange short, and that counts as the backend's
/// timeout, in the metrics and for the breaker, which opens.
#[tokio::test]
async fn a_request_deadline_that_cuts_the_backend_short_counts_as_its_timeout() {
    let gw = Gateway::start(&format!(
        "[server]\nrequest_timeout_ms = 250\n{}",
        vehizen(
            "latency_ms = 1000",
            "timeout_ms = 100\n[backends.vehizen.retry]\nattempts = 2\nbackoff_ms = 1\n\
             [backends.vehizen.breaker]\nconsecutive_failures = 3\nopen_ms = 60000",
        )
    ))
    .await;
    for _ in 0..3 {
        gw.get(&group_path()).await.assert_problem(504);
    }
    let m = gw.metrics().await;
    assert_eq!(outcome(&m, "timeout"), 3.0, "{m}");
    assert_eq!(
        series(&m, r#"crossdock_backend_circuit_open{backend="vehizen"}"#),
        1.0,
        "{m}"
    );
    let delayed = gw.running.sandboxes["vehizen"].injected().delayed;
    let p = gw.get(&group_path()).await.assert_problem(503);
    assert_eq!(p["backend"], "vehizen");
    assert!(
        p["type"]
            .as_str()
            .is_some_and(|t| t.ends_with("circuit-open")),
        "{p}"
    );
    assert_eq!(
        gw.running.sandboxes["vehizen"].injected().delayed,
        delayed,
        "nothing reaches the backend while the breaker is open"
    );
    assert_eq!(outcome(&gw.metrics().await, "circuit_open"), 1.0);
}

/// A caller that goes away mid-call is not the backend's fault: an
/// attacker closing connections must not open the breaker for everyone.
#[tokio::test]
async fn a_caller_that_goes_away_is_not_a_backend_timeout() {
    let gw = Gateway::start(&vehizen(
        "latency_ms = 600",
        "timeout_ms = 2000\n[backends.vehizen.breaker]\nconsecutive_failures = 1\nopen_ms = 60000",
    ))
    .await;
    for _ in 0..3 {
        let cut = tokio::time::timeout(Duration::from_millis(100), gw.get(&group_path())).await;
        assert!(cut.is_err(), "the caller left before the answer");
    }
    // The gateway noticed: nothing is in flight any more.
    let start = Instant::now();
    while series(&gw.metrics().await, "crossdock_http_requests_in_flight") > 0.0 {
        assert!(
            start.elapsed() < Duration::from_millis(400),
            "still in flight"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let m = gw.metrics().await;
    assert_eq!(outcome(&m, "timeout"), 0.0, "{m}");
    assert_eq!(
        series(&m, r#"crossdock_backend_circuit_open{backend="vehizen"}"#),
        0.0,
        "{m}"
    );
    assert_eq!(gw.get(&group_path()).await.status, 200);
}

#[tokio::test]
async fn a_reset_connection_is_502() {
    let gw = Gateway::start(&vehizen("reset_rate = 1.0", NO_RETRY_NO_BREAKER)).await;
    let p = gw.get(&group_path()).await.assert_problem(502);
    assert_eq!(p["backend"], "vehizen");
    assert_eq!(outcome(&gw.metrics().await, "io_error"), 1.0);
    assert_eq!(gw.running.sandboxes["vehizen"].injected().resets, 1);

    // Resets are transient: a GET is retried, and gets through once the
    // sandbox answers again.
    let gw = Gateway::start(&vehizen(
        "reset_rate = 1.0",
        "[backends.vehizen.retry]\nattempts = 1\nbackoff_ms = 100",
    ))
    .await;
    let faults = gw.running.sandboxes["vehizen"].clone();
    let path = group_path();
    let (r, _) = tokio::join!(gw.get(&path), async {
        tokio::time::sleep(Duration::from_millis(40)).await;
        faults.set(FaultConfig::default());
    });
    assert_eq!(r.status, 200);
    assert_eq!(faults.injected().resets, 1);
}

#[tokio::test]
async fn garbage_is_502_and_a_translation_error() {
    let gw = Gateway::start(&vehizen("garbage_rate = 1.0", NO_RETRY_NO_BREAKER)).await;
    let key = r#"crossdock_translation_errors_total{backend="vehizen",direction="response"}"#;
    let before = series(&gw.metrics().await, key);
    for _ in 0..3 {
        let r = gw.get(&group_path()).await;
        let p = r.assert_problem(502);
        assert_eq!(p["backend"], "vehizen");
        // The vendor's bytes are never echoed.
        assert!(!r.body.contains(&0u8));
    }
    let m = gw.metrics().await;
    assert_eq!(series(&m, key), before + 3.0, "{m}");
    assert_eq!(outcome(&m, "unreadable"), 3.0);
}

#[tokio::test]
async fn a_body_slower_than_the_timeout_is_504() {
    let gw = Gateway::start(&vehizen("slow_body_ms = 600", NO_RETRY_NO_BREAKER)).await;
    let start = Instant::now();
    gw.get(&group_path()).await.assert_problem(504);
    assert!(
        start.elapsed() < Duration::from_millis(550),
        "the timeout cut it"
    );
    assert_eq!(outcome(&gw.metrics().await, "timeout"), 1.0);

    // A slow body within the timeout is read in full.
    gw.running.sandboxes["vehizen"].set(FaultConfig {
        slow_body_ms: 60,
        ..Default::default()
    });
    let r = gw.get(&group_path()).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["data"]["id"], ID);
}

#[tokio::test]
async fn an_html_error_page_is_502() {
    let gw = Gateway::start(&vehizen("html_rate = 1.0", NO_RETRY_NO_BREAKER)).await;
    let r = gw.get(&group_path()).await;
    let p = r.assert_problem(502);
    assert_eq!(p["backend"], "vehizen");
    assert!(!String::from_utf8_lossy(&r.body).contains("<html>"));
    assert_eq!(outcome(&gw.metrics().await, "server_error"), 1.0);
}

/// One mechanism for every simulator: the default config (all four
/// sandboxes), each route fine, then an HTML page from every sandbox.
#[tokio::test]
async fn every_sandbox_takes_faults() {
    let customer = json!({"firstName": "Åsa", "lastName": "Öberg"});
    for (customers, seeded) in [
        (
            "department",
            crossdock::backends::department::sim::SEEDED_ID,
        ),
        ("bokamera", crossdock::backends::bokamera::sim::SEEDED_ID),
    ] {
        let customer_path = format!("/v1/customers/{seeded}");
        let toml = DEFAULT_TOML.replace(
            r#"backends = ["department"]"#,
            &format!(r#"backends = ["{customers}"]"#),
        );
        let gw = Gateway::start(&toml).await;
        let calls = [
            (Method::GET, group_path(), None, "vehizen"),
            (
                Method::PUT,
                customer_path.clone(),
                Some(&customer),
                customers,
            ),
            (
                Method::GET,
                "/v1/vehicle-categories".to_owned(),
                None,
                "fleet_admin",
            ),
        ];
        for (method, path, body, _) in &calls {
            let r = match body {
                Some(b) => gw.send_json(method.clone(), path, b).await,
                None => gw.get(path).await,
            };
            assert!(r.status.is_success(), "{path}: {r:?}");
        }
        for faults in gw.running.sandboxes.values() {
            faults.set(FaultConfig {
                html_rate: 1.0,
                ..Default::default()
            });
        }
        for (method, path, body, backend) in &calls {
            let r = match body {
                Some(b) => gw.send_json(method.clone(), path, b).await,
                None => gw.get(path).await,
            };
            let p = r.assert_problem(502);
            assert_eq!(p["backend"], *backend, "{path}");
            assert_eq!(gw.running.sandboxes[backend].injected().html, 1);
        }
    }
}

#[tokio::test]
async fn faults_are_refused_off_the_sandbox_and_rates_are_checked() {
    let e = Gateway::try_start(
        "[backends.vehizen]\nbase_url = \"http://127.0.0.1:9\"\n[backends.vehizen.faults]\nerror_rate = 0.5\n",
    )
    .await
    .err()
    .expect("refused");
    assert!(e.contains("backends.vehizen.faults: only a sandbox"), "{e}");

    let e = Gateway::try_start(&vehizen("error_rate = 1.5\nhtml_rate = -1", ""))
        .await
        .err()
        .expect("refused");
    assert!(e.contains("backends.vehizen.faults.error_rate"), "{e}");
    assert!(e.contains("backends.vehizen.faults.html_rate"), "{e}");

    let e = Gateway::try_start(&vehizen("error_rate = 0.6\nreset_rate = 0.6", ""))
        .await
        .err()
        .expect("refused");
    assert!(e.contains("at most 1"), "{e}");

    let e = Gateway::try_start(&vehizen("eror_rate = 0.1", ""))
        .await
        .err()
        .expect("refused");
    assert!(e.contains("eror_rate"), "{e}");
}

/// VmRSS of this process, in KiB.
fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// The CPU time (user and system) this whole process used so far:
/// `/proc/self/stat` counts it in USER_HZ ticks, 100 a second on Linux.
/// Unlike wall time, other processes on a busy machine do not inflate it.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // After the command name in parentheses: field 3 (state) on; utime
    // and stime are fields 14 and 15.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(Duration::from_millis((utime + stime) * 10))
}

/// `total` requests, `concurrency` at a time, over one pooled client:
/// GETs and PUTs of the seeded group. Returns the count of each status.
async fn drive(
    gw: &Gateway,
    total: usize,
    concurrency: usize,
) -> std::collections::BTreeMap<u16, usize> {
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let url = Arc::new(gw.url(&group_path()));
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (client, url, next) = (client.clone(), url.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut seen = std::collections::BTreeMap::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= total {
                    return seen;
                }
                let req = if i % 4 == 3 {
                    http::Request::put(url.as_str())
                        .header("content-type", "application/json")
                        .body(Full::new(Bytes::from_static(br#"{"name": "Night shift"}"#)))
                } else {
                    http::Request::get(url.as_str()).body(Full::new(Bytes::new()))
                }
                .expect("request");
                let resp = client.request(req).await.expect("the gateway answers");
                let status = resp.status().as_u16();
                resp.into_body().collect().await.expect("body read");
                *seen.entry(status).or_insert(0) += 1;
            }
        }));
    }
    let mut all = std::collections::BTreeMap::new();
    for t in tasks {
        for (s, n) in t.await.expect("task") {
            *all.entry(s).or_insert(0) += n;
        }
    }
    all
}

/// The memory test measures the whole process's RSS: it runs in a process
/// of its own, without the other tests of this binary beside it.
#[test]
fn memory_stays_bounded_under_mixed_faults() {
    common::run_alone("faults::memory_stays_bounded_in_a_process_of_its_own");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "runs alone, through memory_stays_bounded_under_mixed_faults"]
async fn memory_stays_bounded_in_a_process_of_its_own() {
    common::assert_alone();
    if rss_kib().is_none() {
        eprintln!("no /proc/self/status: skipped (Linux only)");
        return;
    }
    let gw = Gateway::start(&vehizen(
        "error_rate = 0.15\nreset_rate = 0.1\ngarbage_rate = 0.1\nhtml_rate = 0.1\n\
         latency_ms = 1\nslow_body_ms = 4",
        "timeout_ms = 1000\n[backends.vehizen.retry]\nbackoff_ms = 1\n\
         [backends.vehizen.breaker]\nconsecutive_failures = 0",
    ))
    .await;
    let started = Instant::now();
    let warm = drive(&gw, 500, 32).await;
    let before = rss_kib().unwrap_or(0);
    let cpu_before = cpu_time();
    let run = drive(&gw, 2_000, 32).await;
    let after = rss_kib().unwrap_or(0);
    let took = started.elapsed();
    let cpu = cpu_time().zip(cpu_before).map(|(a, b)| a.saturating_sub(b));
    eprintln!(
        "warm-up {warm:?}; run {run:?}; RSS {before} KiB -> {after} KiB in {took:?}, CPU {cpu:?}"
    );
    // Every answer is a success or a clean 502 (no 500 from the gateway).
    assert!(run.keys().all(|s| [200, 502].contains(s)), "{run:?}");
    assert!(run.get(&200).copied().unwrap_or(0) > 500, "{run:?}");
    assert!(run.get(&502).copied().unwrap_or(0) > 100, "{run:?}");
    let injected = gw.running.sandboxes["vehizen"].injected();
    assert!(
        injected.errors > 0 && injected.resets > 0 && injected.garbage > 0 && injected.html > 0
    );
    let grown = after.saturating_sub(before);
    assert!(
        grown < 20 * 1024,
        "RSS grew by {grown} KiB over 2,000 requests"
    );
    // What the requests cost, not how long a busy machine took to run
    // them: about 4 s of CPU in a debug build.
    let cpu = cpu.expect("/proc/self/stat");
    assert!(
        cpu < Duration::from_secs(12),
        "{cpu:?} of CPU for 2,000 requests"
    );
}

/// Regression (found by `bench/soak.sh`): the fleet-admin sandbox logged
/// every request in a list that never shrank, so a sandbox gateway's RSS
/// grew for as long as it served.
#[tokio::test]
async fn the_fleet_admin_sandbox_keeps_a_bounded_request_log() {
    use crossdock::backends::fleet_admin::sim::{Simulator, RECEIVED_KEPT};
    let sim = Simulator::seeded();
    let addr = common::serve(sim.router()).await;
    for i in 0..RECEIVED_KEPT * 3 {
        let url = format!("http://{addr}/v1/vehicle-categories/{i}");
        common::send(Method::GET, &url, &[], None).await;
    }
    let got = sim.received();
    assert_eq!(got.len(), RECEIVED_KEPT);
    assert_eq!(
        got.last().map(|r| r.path.as_str()),
        Some(format!("/v1/vehicle-categories/{}", RECEIVED_KEPT * 3 - 1).as_str())
    );
}
