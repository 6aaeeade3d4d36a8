//! Test harness: the real gateway and real HTTP vendors on loopback sockets.
#![allow(dead_code)]

pub mod browser;
pub mod config;
pub mod proxy;
pub mod scripted;
pub mod tls;
pub mod token;

use bytes::Bytes;
use crossdock::app::{self, Plan, Running};
use http::{HeaderMap, Method, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use std::net::SocketAddr;
use std::time::Duration;

pub use config::GatewayConfig;

/// A running gateway on ephemeral loopback ports.
pub struct Gateway {
    pub running: Running,
}

impl Gateway {
    /// Starts the gateway on `toml` (listeners are forced to port 0).
    pub async fn start(toml: &str) -> Gateway {
        Self::try_start(toml).await.expect("gateway starts")
    }

    pub async fn try_start(toml: &str) -> Result<Gateway, String> {
        let path = std::env::temp_dir().join(format!(
            "crossdock-test-{}.toml",
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::write(&path, toml).map_err(|e| e.to_string())?;
        let env = [
            (
                "CROSSDOCK__SERVER__LISTEN".to_string(),
                "127.0.0.1:0".to_string(),
            ),
            (
                "CROSSDOCK__ADMIN__LISTEN".to_string(),
                "127.0.0.1:0".to_string(),
            ),
            // No load balancer to wait for on shutdown.
            (
                "CROSSDOCK__SERVER__DRAIN_DELAY_MS".to_string(),
                "0".to_string(),
            ),
            // The whole gateway on the test's own runtime (core 0): one
            // clock, which `skip` moves, and no connection served on
            // another core's runtime. tests/it/runtime.rs tests the cores.
            (
                "CROSSDOCK__SERVER__WORKER_THREADS".to_string(),
                "1".to_string(),
            ),
        ];
        let plan = Plan::from_file(&path, env);
        let _ = std::fs::remove_file(&path);
        let plan = plan.map_err(|e| e.to_string())?;
        let running = app::start(plan).await.map_err(|e| e.to_string())?;
        Ok(Gateway { running })
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.running.public, path)
    }

    pub fn admin_url(&self, path: &str) -> String {
        format!("http://{}{}", self.running.admin, path)
    }

    pub async fn get(&self, path: &str) -> Resp {
        send(Method::GET, &self.url(path), &[], None).await
    }

    pub async fn put_json(&self, path: &str, body: &serde_json::Value) -> Resp {
        self.send_json(Method::PUT, path, body).await
    }

    pub async fn send_json(&self, method: Method, path: &str, body: &serde_json::Value) -> Resp {
        send(
            method,
            &self.url(path),
            &[("content-type", "application/json")],
            Some(serde_json::to_vec(body).unwrap()),
        )
        .await
    }

    pub async fn metrics(&self) -> String {
        let r = send(Method::GET, &self.admin_url("/metrics"), &[], None).await;
        String::from_utf8(r.body.to_vec()).unwrap()
    }
}

/// A response, body read in full.
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Resp {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn content_type(&self) -> &str {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// Asserts a problem+json with `status` and the request id.
    pub fn assert_problem(&self, status: u16) -> serde_json::Value {
        assert_eq!(
            self.status.as_u16(),
            status,
            "body: {}",
            String::from_utf8_lossy(&self.body)
        );
        assert_eq!(self.content_type(), "application/problem+json");
        let p = self.json();
        assert_eq!(p["status"], status);
        assert!(p["title"].is_string() && p["type"].is_string() && p["detail"].is_string());
        let rid = self.headers.get("x-request-id").expect("x-request-id");
        assert_eq!(p["requestId"], rid.to_str().unwrap());
        p
    }
}

/// One HTTP/1.1 exchange over a fresh client.
pub async fn send(
    method: Method,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<Vec<u8>>,
) -> Resp {
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let mut b = http::Request::builder().method(method).uri(url);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    let req = b
        .body(Full::new(Bytes::from(body.unwrap_or_default())))
        .unwrap();
    let resp = client.request(req).await.expect("request sent");
    let (parts, body) = resp.into_parts();
    let body = body.collect().await.expect("body read").to_bytes();
    Resp {
        status: parts.status,
        headers: parts.headers,
        body,
    }
}

/// Serves an axum router on an ephemeral loopback port.
pub async fn serve(router: axum::Router) -> SocketAddr {
    app::spawn_router(router, None)
        .await
        .expect("bind loopback")
}

/// Moves the clock of the test's runtime `d` ahead at once, instead of
/// sleeping `d`: the gateway's breaker, rate limits and idempotency store
/// read that clock (`tokio::time::Instant`), and see `d` gone by. Real time
/// goes on as before (sockets, child processes). Needs a current-thread
/// runtime, `#[tokio::test]`'s default.
pub async fn skip(d: Duration) {
    tokio::time::pause();
    tokio::time::advance(d).await;
    tokio::time::resume();
}

/// Set in the process [`run_alone`] starts.
const ALONE: &str = "CROSSDOCK_TEST_ALONE";

/// Runs the `#[ignore]`d test `name` (`module::test`) in a process of its
/// own: this test binary started again with only that test. For a test that
/// sets process-wide state (a global log subscriber) or measures the whole
/// process, which the other tests of this binary, running beside it in
/// threads, would disturb or be disturbed by.
pub fn run_alone(name: &str) {
    let out = std::process::Command::new(std::env::current_exe().expect("the test binary"))
        .args([name, "--exact", "--ignored", "--nocapture"])
        .env(ALONE, "1")
        .output()
        .expect("the test binary starts");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{name} failed in its own process:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("1 passed"), "{name} did not run:\n{stdout}");
    eprintln!("{stderr}");
}

/// Refuses to go on unless [`run_alone`] started this test.
pub fn assert_alone() {
    assert!(
        std::env::var_os(ALONE).is_some(),
        "this test needs a process of its own: it runs through common::run_alone"
    );
}
