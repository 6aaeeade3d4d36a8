//! Lifecycle and connection hardening over real sockets: slow request heads
//! are cut off, header limits hold, a reload swaps routes without dropping
//! requests and keeps the old config when the new one is invalid, SIGHUP
//! reloads the real binary, SIGTERM drains in-flight requests.

// Waits on child processes and blocking sockets, outside any runtime: real time.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)]

use crate::common::scripted::{Answer, Scripted};
use crate::common::{send, GatewayConfig};
use crossdock::app::{self, Plan};
use http::Method;
use std::io::{Read, Write};
use std::time::{Duration, Instant};

const ID: &str = "e55ab6e7-1056-4ab3-bd03-247f4b0efdd1";
const GET_XML: &str = include_str!("../fixtures/vehizen/get.xml");

fn temp_file(text: &str) -> std::path::PathBuf {
    let p = std::env::temp_dir().join(format!(
        "crossdock-life-{}.toml",
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::write(&p, text).unwrap();
    p
}

fn ports() -> [(String, String); 3] {
    [
        ("CROSSDOCK__SERVER__LISTEN".into(), "127.0.0.1:0".into()),
        ("CROSSDOCK__ADMIN__LISTEN".into(), "127.0.0.1:0".into()),
        // Tests have no load balancer to wait for.
        ("CROSSDOCK__SERVER__DRAIN_DELAY_MS".into(), "0".into()),
    ]
}

fn vehizen(url: &str, extra: &str) -> String {
    GatewayConfig::new()
        .table("server")
        .set("header_read_timeout_ms", 300)
        .set("max_headers", 20)
        .set("drain_timeout_ms", 3000)
        .backend("vehizen", url)
        .set("format", "xml")
        .lines(extra)
        .build()
}

#[tokio::test]
async fn a_slow_request_head_is_cut_off_and_header_limits_hold() {
    let path = temp_file(&vehizen("sandbox", ""));
    let running = app::start(Plan::from_file(&path, ports()).unwrap())
        .await
        .unwrap();
    let addr = running.public;
    let cut = tokio::task::spawn_blocking(move || {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.write_all(b"GET /v1/customer-groups/x HTTP/1.1\r\nHost: a\r\n")
            .unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let start = Instant::now();
        let mut buf = [0u8; 512];
        // Closed (0 bytes, or a reset) well before the 5 s read timeout.
        let _ = s.read(&mut buf);
        start.elapsed()
    })
    .await
    .unwrap();
    assert!(cut < Duration::from_secs(3), "cut after {cut:?}");

    // HTTP/1.1 without Host: a 400 problem with the request id.
    let answer = tokio::task::spawn_blocking(move || {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.write_all(b"GET /v1/vehicle-categories HTTP/1.1\r\nConnection: close\r\n\r\n")
            .unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    })
    .await
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    let lower = answer.to_ascii_lowercase();
    assert!(
        lower.contains("content-type: application/problem+json"),
        "{answer}"
    );
    assert!(lower.contains("x-request-id: "), "{answer}");
    assert!(answer.contains("missing_host"), "{answer}");

    let many: Vec<(String, String)> = (0..40).map(|i| (format!("x-h{i}"), "v".into())).collect();
    let headers: Vec<(&str, &str)> = many.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let url = format!("http://{addr}/v1/customer-groups/{ID}");
    let r = send(Method::GET, &url, &headers, None).await;
    assert_eq!(r.status, 431);
    running.shutdown().await;
}

#[tokio::test]
async fn reload_swaps_the_config_and_an_invalid_one_keeps_the_old() {
    let old_vendor = Scripted::new([Answer::xml(200, GET_XML)]);
    let new_vendor = Scripted::new([Answer::xml(200, GET_XML), Answer::xml(200, GET_XML)]);
    let path = temp_file(&vehizen(&old_vendor.start().await, ""));
    let running = app::start(Plan::from_file(&path, ports()).unwrap())
        .await
        .unwrap();
    let url = format!("http://{}/v1/customer-groups/{ID}", running.public);
    assert_eq!(send(Method::GET, &url, &[], None).await.status, 200);

    std::fs::write(&path, vehizen(&new_vendor.start().await, "")).unwrap();
    running.reload_file(&path, ports()).await.unwrap();
    assert_eq!(send(Method::GET, &url, &[], None).await.status, 200);
    assert_eq!(old_vendor.received().len(), 1);
    assert_eq!(new_vendor.received().len(), 1, "after the reload");

    // An invalid config is refused, named, and the running one stays.
    std::fs::write(&path, "[backends.vehizen]\nbase_url = \"ftp://x\"\n").unwrap();
    let e = running.reload_file(&path, ports()).await.unwrap_err();
    assert!(e.contains("backends.vehizen.base_url"), "{e}");
    assert_eq!(send(Method::GET, &url, &[], None).await.status, 200);
    assert_eq!(new_vendor.received().len(), 2);
    let m = send(
        Method::GET,
        &format!("http://{}/metrics", running.admin),
        &[],
        None,
    )
    .await;
    let m = String::from_utf8_lossy(&m.body).into_owned();
    assert!(
        m.contains(r#"crossdock_config_reloads_total{result="success"} 1"#),
        "{m}"
    );
    assert!(
        m.contains(r#"crossdock_config_reloads_total{result="failure"} 1"#),
        "{m}"
    );
    running.shutdown().await;
}

#[tokio::test]
async fn a_reload_refused_for_a_toml_syntax_error_logs_one_line_without_the_text() {
    let path = temp_file(&vehizen("sandbox", ""));
    let running = app::start(Plan::from_file(&path, ports()).unwrap())
        .await
        .unwrap();
    let secret = "leak-reload-secret-61fe";
    std::fs::write(
        &path,
        format!("[backends.department]\nbase_url = \"sandbox\"\ntoken = \"{secret}\n"),
    )
    .unwrap();
    let e = running.reload_file(&path, ports()).await.unwrap_err();
    assert!(!e.contains(secret), "{e}");
    assert!(!e.contains('\n'), "one line: {e}");
    let at = format!("{}:3:", path.display());
    assert!(e.contains(&at), "{at} not in {e}");
    assert!(e.contains("backends.department.token"), "{e}");
    running.shutdown().await;
}

#[tokio::test]
async fn shutdown_drains_in_flight_requests() {
    let vendor = Scripted::new([Answer::Slow(
        Duration::from_millis(600),
        "application/xml",
        GET_XML.into(),
    )]);
    let path = temp_file(&vehizen(&vendor.start().await, "timeout_ms = 2000\n"));
    let running = app::start(Plan::from_file(&path, ports()).unwrap())
        .await
        .unwrap();
    let url = format!("http://{}/v1/customer-groups/{ID}", running.public);
    let in_flight = tokio::spawn(async move { send(Method::GET, &url, &[], None).await });
    tokio::time::sleep(Duration::from_millis(150)).await;
    let public = running.public;
    running.shutdown().await;
    assert_eq!(
        in_flight.await.unwrap().status,
        200,
        "the in-flight request finished"
    );
    assert!(
        std::net::TcpStream::connect(public).is_err(),
        "no longer accepting"
    );
}

/// During the drain delay the public listener still serves, each answer
/// with `Connection: close`; a second signal (`shutdown_with`'s future)
/// skips what is left of the delay.
#[tokio::test]
async fn a_second_signal_skips_the_rest_of_the_drain_delay() {
    let path = temp_file(&vehizen("sandbox", ""));
    let mut env = ports().to_vec();
    env.retain(|(k, _)| k != "CROSSDOCK__SERVER__DRAIN_DELAY_MS");
    env.push(("CROSSDOCK__SERVER__DRAIN_DELAY_MS".into(), "20000".into()));
    let running = app::start(Plan::from_file(&path, env).unwrap())
        .await
        .unwrap();
    let (public, admin) = (running.public, running.admin);
    let (again, asked_again) = tokio::sync::oneshot::channel::<()>();
    let start = Instant::now();
    let stopping = tokio::spawn(running.shutdown_with(async {
        let _ = asked_again.await;
    }));
    tokio::time::sleep(Duration::from_millis(100)).await;
    let r = send(Method::GET, &format!("http://{admin}/readyz"), &[], None).await;
    assert_eq!(r.status, 503);
    let r = send(
        Method::GET,
        &format!("http://{public}/openapi.json"),
        &[],
        None,
    )
    .await;
    assert_eq!(r.status, 200, "still accepting during the delay");
    assert_eq!(r.headers["connection"], "close");
    again.send(()).unwrap();
    stopping.await.unwrap();
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    assert!(std::net::TcpStream::connect(public).is_err());
    assert!(std::net::TcpStream::connect(admin).is_err());
}

/// The real binary: SIGHUP reloads, SIGTERM stops it cleanly.
#[test]
fn the_binary_reloads_on_sighup_and_stops_on_sigterm() {
    sighup_then_sigterm("", None);
}

/// `worker_threads = 1` runs everything on one thread (a current-thread
/// runtime, as one nginx worker), with reload and drain as before.
#[test]
fn the_binary_runs_on_one_thread_when_asked() {
    sighup_then_sigterm("worker_threads = 1\n", Some(1));
}

/// `thread_per_core` with 3 threads: the main one (core 0, also admin,
/// signals and sandboxes) and two core threads, each with its own public
/// socket; SIGHUP reaches every core and SIGTERM stops them all.
#[test]
fn the_binary_runs_one_thread_per_core() {
    sighup_then_sigterm(
        "worker_threads = 3\nruntime = \"thread_per_core\"\n",
        Some(3),
    );
}

/// `work_stealing` with 2 workers: the main thread blocks on one
/// multi-threaded runtime.
#[test]
fn the_binary_runs_a_work_stealing_runtime_when_asked() {
    sighup_then_sigterm("worker_threads = 2\nruntime = \"work_stealing\"\n", Some(3));
}

/// The real binary, on free loopback ports, with `server` lines under
/// `[server]` and `rest` after `[admin]` (backends and so on).
struct Binary {
    child: std::process::Child,
    public: std::net::SocketAddr,
    admin: std::net::SocketAddr,
    /// The config file's text, and where it is.
    base: String,
    path: std::path::PathBuf,
}

fn spawn_binary(server: &str, rest: &str) -> Binary {
    let free = || {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    // A port picked free can be taken again before the binary binds it
    // (another test, or the binary's own sandbox): a binary that exits at
    // once gets fresh ports, up to five times.
    let mut attempts = 0;
    loop {
        attempts += 1;
        let (public, admin) = (free(), free());
        let base = format!(
            "[server]\nlisten = \"{public}\"\nreload_poll_ms = 0\n{server}[admin]\nlisten = \"{admin}\"\n{rest}"
        );
        let path = temp_file(&base);
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_crossdock"))
            .args(["--config", path.to_str().unwrap()])
            .env("RUST_LOG", "info")
            .env("CROSSDOCK__LOGGING__FORMAT", "json")
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let start = Instant::now();
        let exited = loop {
            if child.try_wait().unwrap().is_some() {
                break true;
            }
            if status(public, "/openapi.json").is_some()
                || start.elapsed() > Duration::from_secs(10)
            {
                break false;
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        if !exited || attempts == 5 {
            return Binary {
                child,
                public,
                admin,
                base,
                path,
            };
        }
    }
}

impl Binary {
    fn signal(&self, sig: &str) {
        let pid = self.child.id().to_string();
        assert!(std::process::Command::new("kill")
            .args([sig, &pid])
            .status()
            .unwrap()
            .success());
    }

    /// Waits for the process to exit (at most `within`); asserts exit 0.
    fn assert_exits_cleanly(&mut self, within: Duration) {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "{status}");
                return;
            }
            assert!(start.elapsed() < within, "did not stop");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn sighup_then_sigterm(server: &str, threads: Option<usize>) {
    let Binary {
        mut child,
        public,
        base,
        path,
        ..
    } = spawn_binary(
        &format!("drain_delay_ms = 0\n{server}"),
        "[backends.vehizen]\nbase_url = \"sandbox\"\n",
    );
    let get = |key: Option<&str>| get(public, key);
    let wait_for = |want: u16, key: Option<&str>| {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if get(key) == Some(want) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        false
    };
    assert!(wait_for(200, None), "serves");
    if let Some(n) = threads {
        let tasks = std::fs::read_dir(format!("/proc/{}/task", child.id()))
            .map(|d| d.count())
            .unwrap_or(n);
        assert_eq!(tasks, n, "threads of the gateway");
    }
    std::fs::write(&path, format!("{base}[auth]\napi_keys = [\"k1\"]\n")).unwrap();
    let pid = child.id().to_string();
    assert!(std::process::Command::new("kill")
        .args(["-HUP", &pid])
        .status()
        .unwrap()
        .success());
    assert!(wait_for(401, None), "a key is needed after the reload");
    assert_eq!(get(Some("k1")), Some(200));
    assert!(std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{status}");
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "did not stop");
        std::thread::sleep(Duration::from_millis(50));
    }
    // One JSON line per request with its request id, tenant, route,
    // backend, status and latency.
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    let line = out
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|v| {
            v["message"] == "request finished"
                && v["status"] == 200
                && v["route"] == "/v1/customer-groups/{id}"
        })
        .unwrap_or_else(|| panic!("no request line in:\n{out}"));
    // Flat: the request's fields at the top of the line.
    let span = &line;
    assert_eq!(span["route"], "/v1/customer-groups/{id}");
    assert_eq!(span["backend"], "vehizen");
    assert_eq!(span["tenant"], "default");
    assert!(span["request_id"].as_str().is_some_and(|s| !s.is_empty()));
    assert!(span["latency_ms"].is_number());
    assert!(!out.contains("k1\""), "no key in logs");
}

/// The status of a GET of the group on `public`, with `key` as API key.
fn get(public: std::net::SocketAddr, key: Option<&str>) -> Option<u16> {
    let mut s = std::net::TcpStream::connect(public).ok()?;
    let key = key
        .map(|k| format!("x-api-key: {k}\r\n"))
        .unwrap_or_default();
    write!(
        s,
        "GET /v1/customer-groups/{ID} HTTP/1.1\r\nHost: a\r\n{key}Connection: close\r\n\r\n"
    )
    .ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    out.get(9..12)?.parse().ok()
}

/// Sends `raw` on a fresh connection and reads the answer to the end.
async fn raw_answer(addr: std::net::SocketAddr, raw: &'static [u8]) -> String {
    tokio::task::spawn_blocking(move || {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.write_all(raw).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    })
    .await
    .unwrap()
}

/// What hyper answers by itself (a head too large, a malformed request
/// line, conflicting Content-Length, a bad Transfer-Encoding) is a problem
/// with a request id too.
#[tokio::test]
async fn answers_hyper_builds_itself_are_problems_with_a_request_id() {
    let path = temp_file(&vehizen("sandbox", ""));
    let running = app::start(Plan::from_file(&path, ports()).unwrap())
        .await
        .unwrap();
    let addr = running.public;
    let many_headers: &'static [u8] = Box::leak(
        format!(
            "GET /v1/vehicle-categories HTTP/1.1\r\nHost: a\r\n{}\r\n",
            (0..40)
                .map(|i| format!("x-h{i}: v\r\n"))
                .collect::<String>()
        )
        .into_bytes()
        .into_boxed_slice(),
    );
    for (raw, status) in [
        (many_headers, 431),
        (&b"GARBAGE\r\n\r\n"[..], 400),
        (
            &b"PUT /v1/customers/x HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}"[..],
            400,
        ),
        (
            &b"PUT /v1/customers/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"[..],
            400,
        ),
    ] {
        let answer = raw_answer(addr, raw).await;
        assert!(
            answer.starts_with(&format!("HTTP/1.1 {status} ")),
            "{answer}"
        );
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        let head = head.to_ascii_lowercase();
        assert!(head.contains("content-type: application/problem+json"), "{answer}");
        let id = head
            .lines()
            .find_map(|l| l.strip_prefix("x-request-id: "))
            .expect("x-request-id");
        let p: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(p["status"], status);
        assert_eq!(p["requestId"], id);
    }
    running.shutdown().await;
}

/// The status of a GET of `path` on a fresh connection (`Connection:
/// close`), or `None` when the port refuses or the answer is cut.
fn status(addr: std::net::SocketAddr, path: &str) -> Option<u16> {
    answer(addr, path).map(|(status, _)| status)
}

/// The status and head (lower-cased) of a GET of `path` on a fresh
/// connection.
fn answer(addr: std::net::SocketAddr, path: &str) -> Option<(u16, String)> {
    let out = fetch(addr, path)?;
    let head = out.split("\r\n\r\n").next()?.to_ascii_lowercase();
    Some((out.get(9..12)?.parse().ok()?, head))
}

/// The whole answer to a GET of `path` on a fresh connection.
fn fetch(addr: std::net::SocketAddr, path: &str) -> Option<String> {
    let mut s = std::net::TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    Some(out)
}

/// One kept-alive connection: request after request on the same socket.
struct KeptAlive(std::io::BufReader<std::net::TcpStream>);

impl KeptAlive {
    fn open(addr: std::net::SocketAddr) -> KeptAlive {
        let s = std::net::TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        KeptAlive(std::io::BufReader::new(s))
    }

    /// The status of a GET of `path`, `None` if the connection was closed
    /// without an answer.
    fn get(&mut self, path: &str) -> Option<u16> {
        use std::io::BufRead;
        write!(self.0.get_mut(), "GET {path} HTTP/1.1\r\nHost: a\r\n\r\n").ok()?;
        let mut line = String::new();
        self.0.read_line(&mut line).ok()?;
        let status = line.get(9..12)?.parse().ok()?;
        let mut length = 0;
        loop {
            let mut h = String::new();
            if self.0.read_line(&mut h).ok()? == 0 {
                return None;
            }
            let h = h.trim_end().to_ascii_lowercase();
            if h.is_empty() {
                break;
            }
            if let Some(v) = h.strip_prefix("content-length:") {
                length = v.trim().parse().ok()?;
            }
        }
        let mut body = vec![0; length];
        self.0.read_exact(&mut body).ok()?;
        Some(status)
    }
}

/// SIGTERM as a load balancer needs it: `/readyz` turns 503 at once while
/// the public listener keeps accepting for `drain_delay_ms` (the balancer
/// notices and moves new connections away), then stops accepting and
/// drains the request in flight; the admin listener answers until the end,
/// kept-alive connections included.
#[test]
fn sigterm_turns_readyz_503_keeps_accepting_for_the_drain_delay_then_drains() {
    const DELAY: Duration = Duration::from_millis(1000);
    let mut bin = spawn_binary(
        &format!(
            "drain_delay_ms = {}\ndrain_timeout_ms = 6000\n",
            DELAY.as_millis()
        ),
        "[backends.vehizen]\nbase_url = \"sandbox\"\ntimeout_ms = 8000\n\
         [backends.vehizen.faults]\nlatency_ms = 2500\n",
    );
    let (public, admin) = (bin.public, bin.admin);
    let mut kept = KeptAlive::open(admin);
    assert_eq!(kept.get("/healthz"), Some(200));
    assert_eq!(kept.get("/readyz"), Some(200));

    // One slow request in flight (the sandbox answers after 2.5 s).
    let slow = std::thread::spawn(move || status(public, &format!("/v1/customer-groups/{ID}")));
    let start = Instant::now();
    while !fetch(admin, "/metrics")
        .unwrap_or_default()
        .contains("crossdock_http_requests_in_flight 1")
    {
        assert!(start.elapsed() < Duration::from_secs(5), "never in flight");
        std::thread::sleep(Duration::from_millis(20));
    }

    let term = Instant::now();
    bin.signal("-TERM");
    // readyz turns 503 at once; healthz stays 200.
    let mut ready = Some(200);
    while ready == Some(200) && term.elapsed() < DELAY {
        ready = status(admin, "/readyz");
    }
    assert_eq!(ready, Some(503), "readyz while draining");
    assert_eq!(status(admin, "/healthz"), Some(200));
    // The public listener still accepts new connections, and tells
    // kept-alive clients to reconnect (elsewhere).
    let (code, head) = answer(public, "/openapi.json").expect("still accepting");
    assert_eq!(code, 200);
    assert!(
        term.elapsed() < DELAY,
        "the checks took longer than the delay: {:?}",
        term.elapsed()
    );
    assert!(head.contains("connection: close"), "{head}");
    assert_eq!(
        kept.get("/readyz"),
        Some(503),
        "the kept-alive admin connection"
    );
    assert_eq!(kept.get("/healthz"), Some(200));

    // After the delay: refused.
    while status(public, "/openapi.json").is_some() {
        assert!(term.elapsed() < DELAY * 4, "still accepting");
        std::thread::sleep(Duration::from_millis(20));
    }
    let refused_after = term.elapsed();
    assert!(refused_after >= DELAY, "refused after {refused_after:?}");
    // The slow request is still draining, and the admin listener answers:
    // on the kept-alive connection and on new ones.
    assert!(!slow.is_finished(), "the slow request is still in flight");
    assert_eq!(kept.get("/readyz"), Some(503));
    assert_eq!(kept.get("/healthz"), Some(200));
    assert_eq!(status(admin, "/readyz"), Some(503));

    assert_eq!(
        slow.join().unwrap(),
        Some(200),
        "the in-flight request finished"
    );
    bin.assert_exits_cleanly(Duration::from_secs(5));
    assert!(
        std::net::TcpStream::connect(admin).is_err(),
        "the admin listener is closed at exit"
    );
}
