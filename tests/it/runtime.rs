//! `server.runtime = "thread_per_core"` over real sockets: one listener
//! per core on the same port, connections spread over the cores, a
//! reload reaching every core, and a drain that stops every core's
//! listener and finishes every core's in-flight requests.

use crate::common::scripted::{Answer, Scripted};
use crate::common::send;
use crossdock::app::{self, Plan, Running};
use http::Method;
use std::time::Duration;
use tokio::time::Instant;

const ID: &str = "e55ab6e7-1056-4ab3-bd03-247f4b0efdd1";
const GET_XML: &str = include_str!("../fixtures/vehizen/get.xml");
const CORES: usize = 4;

fn temp_file(text: &str) -> std::path::PathBuf {
    let p = std::env::temp_dir().join(format!(
        "crossdock-runtime-{}.toml",
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::write(&p, text).unwrap();
    p
}

fn env(drain_delay_ms: u64) -> Vec<(String, String)> {
    vec![
        ("CROSSDOCK__SERVER__LISTEN".into(), "127.0.0.1:0".into()),
        ("CROSSDOCK__ADMIN__LISTEN".into(), "127.0.0.1:0".into()),
        (
            "CROSSDOCK__SERVER__DRAIN_DELAY_MS".into(),
            drain_delay_ms.to_string(),
        ),
    ]
}

/// A config of `CORES` cores, thread per core, with Vehizen at `url`.
fn config(url: &str, extra: &str) -> String {
    format!(
        "[server]\nruntime = \"thread_per_core\"\nworker_threads = {CORES}\ndrain_timeout_ms = 5000\n\
         [backends.vehizen]\nbase_url = \"{url}\"\nformat = \"xml\"\ntimeout_ms = 5000\n{extra}"
    )
}

async fn start(text: &str, drain_delay_ms: u64) -> (Running, std::path::PathBuf) {
    let path = temp_file(text);
    let running = app::start(Plan::from_file(&path, env(drain_delay_ms)).unwrap())
        .await
        .unwrap();
    (running, path)
}

/// `crossdock_connections_accepted_total` per core, from `/metrics`.
async fn accepted(admin: std::net::SocketAddr) -> Vec<u64> {
    let m = send(Method::GET, &format!("http://{admin}/metrics"), &[], None).await;
    let m = String::from_utf8_lossy(&m.body).into_owned();
    (0..CORES)
        .map(|k| {
            let series = format!("crossdock_connections_accepted_total{{core=\"{k}\"}} ");
            m.lines()
                .find_map(|l| l.strip_prefix(&series))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0)
        })
        .collect()
}

/// `n` GETs of `path` at once, each on a connection of its own; their
/// statuses and `Connection` headers.
async fn at_once(public: std::net::SocketAddr, path: &str, n: usize) -> Vec<(u16, String)> {
    let url = format!("http://{public}{path}");
    let calls: Vec<_> = (0..n)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move {
                let r = send(Method::GET, &url, &[], None).await;
                let connection = r
                    .headers
                    .get("connection")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_string();
                (r.status.as_u16(), connection)
            })
        })
        .collect();
    let mut out = Vec::new();
    for c in calls {
        out.push(c.await.unwrap());
    }
    out
}

fn every_core_took_some(before: &[u64], after: &[u64]) {
    for k in 0..CORES {
        assert!(
            after[k] > before[k],
            "core {k} accepted none: {before:?} -> {after:?}"
        );
    }
}

#[tokio::test]
async fn concurrent_connections_are_spread_over_every_core() {
    // Every answer waits 300 ms: 64 at once finish in about that, not
    // 64 x 300 ms, and each core's count shows where they went.
    let vendor = Scripted::new((0..64).map(|_| {
        Answer::Slow(
            Duration::from_millis(300),
            "application/xml",
            GET_XML.into(),
        )
    }));
    let (running, _) = start(&config(&vendor.start().await, ""), 0).await;
    let before = accepted(running.admin).await;
    assert_eq!(before, vec![0; CORES], "one series per core, from 0");
    let start = Instant::now();
    let answers = at_once(running.public, &format!("/v1/customer-groups/{ID}"), 64).await;
    let took = start.elapsed();
    assert!(answers.iter().all(|(s, _)| *s == 200), "{answers:?}");
    assert!(took < Duration::from_secs(5), "served one by one: {took:?}");
    let after = accepted(running.admin).await;
    every_core_took_some(&before, &after);
    assert_eq!(after.iter().sum::<u64>(), 64, "{after:?}");
    running.shutdown().await;
}

#[tokio::test]
async fn a_reload_reaches_every_core() {
    let keys = |k: &str| config("sandbox", &format!("[auth]\napi_keys = [\"{k}\"]\n"));
    let (running, path) = start(&keys("k-old"), 0).await;
    let url = format!("http://{}/v1/customer-groups/{ID}", running.public);
    let with_key = |key: &'static str| {
        let url = url.clone();
        async move {
            let calls: Vec<_> = (0..48)
                .map(|_| {
                    let url = url.clone();
                    tokio::spawn(async move {
                        send(Method::GET, &url, &[("x-api-key", key)], None)
                            .await
                            .status
                            .as_u16()
                    })
                })
                .collect();
            let mut out = Vec::new();
            for c in calls {
                out.push(c.await.unwrap());
            }
            out
        }
    };
    assert!(with_key("k-old").await.iter().all(|s| *s == 200));
    std::fs::write(&path, keys("k-new")).unwrap();
    running.reload_file(&path, env(0)).await.unwrap();
    // After the reload every core answers with the new router: only the
    // new key is known (a core on the old one would answer 401).
    let before = accepted(running.admin).await;
    let answers = with_key("k-new").await;
    assert!(answers.iter().all(|s| *s == 200), "{answers:?}");
    every_core_took_some(&before, &accepted(running.admin).await);
    running.shutdown().await;
}

/// SIGTERM's steps, on every core: `/readyz` 503, answers with
/// `Connection: close` during the delay, then no core accepts, and each
/// core's in-flight requests finish.
#[tokio::test]
async fn a_drain_stops_and_drains_every_core() {
    let slow = || {
        Answer::Slow(
            Duration::from_millis(800),
            "application/xml",
            GET_XML.into(),
        )
    };
    let vendor = Scripted::new((0..64).map(|_| slow()));
    let (running, _) = start(&config(&vendor.start().await, ""), 20_000).await;
    let (public, admin) = (running.public, running.admin);
    let group = format!("/v1/customer-groups/{ID}");

    // In flight on every core before the signal.
    let before = accepted(admin).await;
    let in_flight = tokio::spawn(async move { at_once(public, &group, 24).await });
    let waited = Instant::now();
    while vendor.received().len() < 24 {
        assert!(waited.elapsed() < Duration::from_secs(5), "not in flight");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    every_core_took_some(&before, &accepted(admin).await);

    let (again, asked_again) = tokio::sync::oneshot::channel::<()>();
    let stopping = tokio::spawn(running.shutdown_with(async {
        let _ = asked_again.await;
    }));
    tokio::time::sleep(Duration::from_millis(100)).await;
    let r = send(Method::GET, &format!("http://{admin}/readyz"), &[], None).await;
    assert_eq!(r.status, 503);
    // The delay: every core still accepts, and says `Connection: close`.
    let before = accepted(admin).await;
    let during = at_once(public, "/openapi.json", 32).await;
    assert!(
        during.iter().all(|(s, c)| *s == 200 && c == "close"),
        "{during:?}"
    );
    every_core_took_some(&before, &accepted(admin).await);

    again.send(()).unwrap();
    stopping.await.unwrap();
    let finished = in_flight.await.unwrap();
    assert_eq!(finished.len(), 24);
    assert!(
        finished.iter().all(|(s, _)| *s == 200),
        "in-flight requests finished: {finished:?}"
    );
    // No core's socket accepts any more: every attempt is refused.
    for _ in 0..32 {
        assert!(
            std::net::TcpStream::connect(public).is_err(),
            "a core still accepts"
        );
    }
}

/// A port already served (here by another gateway's cores) is refused at
/// start, as a plain listener's would be, rather than shared.
#[tokio::test]
async fn a_port_in_use_is_refused_not_shared() {
    let (running, _) = start(&config("sandbox", ""), 0).await;
    let path = temp_file(&config("sandbox", ""));
    let mut taken = env(0);
    taken[0].1 = running.public.to_string();
    let second = app::start(Plan::from_file(&path, taken).unwrap()).await;
    let e = second.err().expect("the second gateway must not start");
    assert_eq!(e.kind(), std::io::ErrorKind::AddrInUse, "{e}");
    running.shutdown().await;
}

/// Logs written to a buffer.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every core logs where the thread that started the gateway logs (the
/// binary's global subscriber; here, this test's own): no request's line
/// is lost on another core's thread.
#[tokio::test]
async fn every_core_logs_where_the_starting_thread_logs() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let (running, _) = start(&config("sandbox", ""), 0).await;
    let before = accepted(running.admin).await;
    let answers = at_once(running.public, "/openapi.json?logged", 32).await;
    assert!(answers.iter().all(|(s, _)| *s == 200), "{answers:?}");
    every_core_took_some(&before, &accepted(running.admin).await);
    running.shutdown().await;
    let text = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
    let lines = text
        .lines()
        .filter(|l| l.contains("request finished") && l.contains("/openapi.json"))
        .count();
    assert_eq!(lines, 32, "one line per request, from every core:\n{text}");
}
