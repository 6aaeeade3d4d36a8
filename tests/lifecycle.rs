//! Lifecycle and connection hardening over real sockets: slow request heads
//! are cut off, header limits hold, a reload swaps routes without dropping
//! requests and keeps the old config when the new one is invalid, SIGHUP
//! reloads the real binary, SIGTERM drains in-flight requests.

mod common;

use common::scripted::{Answer, Scripted};
use common::send;
use crossdock::app::{self, Plan};
use http::Method;
use std::io::{Read, Write};
use std::time::{Duration, Instant};

const ID: &str = "e55ab6e7-1056-4ab3-bd03-247f4b0efdd1";
const GET_XML: &str = include_str!("fixtures/vehizen/get.xml");

fn temp_file(text: &str) -> std::path::PathBuf {
    let p = std::env::temp_dir().join(format!(
        "crossdock-life-{}.toml",
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::write(&p, text).unwrap();
    p
}

fn ports() -> [(String, String); 2] {
    [
        ("CROSSDOCK__SERVER__LISTEN".into(), "127.0.0.1:0".into()),
        ("CROSSDOCK__ADMIN__LISTEN".into(), "127.0.0.1:0".into()),
    ]
}

fn vehizen(url: &str, extra: &str) -> String {
    format!(
        "[server]\nheader_read_timeout_ms = 300\nmax_headers = 20\ndrain_timeout_ms = 3000\n[backends.vehizen]\nbase_url = \"{url}\"\nformat = \"xml\"\n{extra}\n"
    )
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

fn sighup_then_sigterm(server: &str, threads: Option<usize>) {
    let free = || {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    // A port picked free can be taken again before the binary binds it
    // (another test, or the binary's own sandbox): a binary that exits at
    // once gets fresh ports, up to five times.
    let mut attempts = 0;
    let (mut child, public, base, path) = loop {
        attempts += 1;
        let (public, admin) = (free(), free());
        let base = format!(
            "[server]\nlisten = \"{public}\"\nreload_poll_ms = 0\n{server}[admin]\nlisten = \"{admin}\"\n[backends.vehizen]\nbase_url = \"sandbox\"\n"
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
            if get(public, None).is_some() || start.elapsed() > Duration::from_secs(10) {
                break false;
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        if !exited || attempts == 5 {
            break (child, public, base, path);
        }
    };
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
        .find(|v| v["message"] == "request finished" && v["status"] == 200)
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
