//! What gateway users expect at the edge, over real sockets: CORS for
//! browser callers, compressed answers and request bodies, and a deadline
//! per route.

#[allow(deprecated)]
use crate::common::scripted::{Answer, Scripted};
use crate::common::{send, Gateway, Resp};
use http::Method;
use std::io::{Read, Write};

const ORIGIN: &str = "https://app.example.com";

fn sandbox(extra: &str) -> String {
    format!(
        r#"
[server]
{extra}
[backends.fleet_admin]
base_url = "sandbox"
[backends.vehizen]
base_url = "sandbox"
format = "xml"
"#
    )
}

fn cors() -> &'static str {
    "[server.cors]\nallow_origins = [\"https://app.example.com\"]\nallow_methods = [\"GET\", \"PUT\"]\nmax_age_secs = 120"
}

async fn preflight(gw: &Gateway, origin: &str) -> Resp {
    send(
        Method::OPTIONS,
        &gw.url("/v1/vehicle-categories"),
        &[
            ("origin", origin),
            ("access-control-request-method", "GET"),
            ("access-control-request-headers", "content-type"),
        ],
        None,
    )
    .await
}

fn cors_headers(r: &Resp) -> Vec<String> {
    r.headers
        .keys()
        .map(|k| k.as_str().to_string())
        .filter(|k| k.starts_with("access-control-"))
        .collect()
}

#[tokio::test]
async fn cors_answers_allowed_origins_and_nobody_else() {
    let gw = Gateway::start(&sandbox(cors())).await;
    let r = preflight(&gw, ORIGIN).await;
    assert!(r.status.is_success(), "{:?}", r.status);
    assert_eq!(r.headers["access-control-allow-origin"], ORIGIN);
    let methods = r.headers["access-control-allow-methods"].to_str().unwrap();
    assert!(
        methods.contains("GET") && methods.contains("PUT"),
        "{methods}"
    );
    assert_eq!(r.headers["access-control-max-age"], "120");
    assert!(r.headers.contains_key("x-request-id"));
    // Another origin: no CORS header at all, and the preflight is the
    // router's 405.
    let r = preflight(&gw, "https://evil.example").await;
    assert!(cors_headers(&r).is_empty(), "{:?}", r.headers);
    r.assert_problem(405);
    // Simple requests.
    let ok = send(
        Method::GET,
        &gw.url("/v1/vehicle-categories"),
        &[("origin", ORIGIN)],
        None,
    )
    .await;
    assert_eq!(ok.status, 200);
    assert_eq!(ok.headers["access-control-allow-origin"], ORIGIN);
    let expose = ok.headers["access-control-expose-headers"]
        .to_str()
        .unwrap();
    assert!(expose.contains("x-request-id"), "{expose}");
    let other = send(
        Method::GET,
        &gw.url("/v1/vehicle-categories"),
        &[("origin", "https://evil.example")],
        None,
    )
    .await;
    assert_eq!(other.status, 200);
    assert!(cors_headers(&other).is_empty());
    // Without [server.cors], nothing changes: a preflight is a 405.
    let plain = Gateway::start(&sandbox("")).await;
    let r = preflight(&plain, ORIGIN).await;
    r.assert_problem(405);
    assert!(cors_headers(&r).is_empty());
}

#[tokio::test]
async fn a_bad_cors_section_is_named() {
    let e = Gateway::try_start(&sandbox(
        "[server.cors]\nallow_origins = [\"app.example.com\"]\nallow_methods = [\"GE T\"]",
    ))
    .await
    .err()
    .unwrap();
    assert!(e.contains("server.cors.allow_origins"), "{e}");
    assert!(e.contains("server.cors.allow_methods"), "{e}");
}

fn gunzip(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(b)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn gzip(b: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(b).unwrap();
    e.finish().unwrap()
}

#[tokio::test]
async fn answers_are_compressed_when_asked_and_worth_it() {
    let gw = Gateway::start(&sandbox("")).await;
    let plain = gw.get("/v1/vehicle-categories").await;
    assert_eq!(plain.status, 200);
    assert!(plain.body.len() >= 1024, "the tree is worth compressing");
    assert!(!plain.headers.contains_key("content-encoding"));
    // Asked for nothing, it skips the compression layer, yet says, as
    // that layer would, that the answer depends on the encoding asked.
    let vary = |h: &http::HeaderMap| {
        h.get_all("vary")
            .iter()
            .any(|v| v.as_bytes().eq_ignore_ascii_case(b"accept-encoding"))
    };
    assert!(vary(&plain.headers), "{:?}", plain.headers);
    for enc in ["gzip", "br", "zstd"] {
        let r = send(
            Method::GET,
            &gw.url("/v1/vehicle-categories"),
            &[("accept-encoding", enc)],
            None,
        )
        .await;
        assert_eq!(r.status, 200);
        assert_eq!(r.headers["content-encoding"], enc);
        assert!(vary(&r.headers), "{enc}");
        let body = match enc {
            "gzip" => gunzip(&r.body),
            "br" => {
                let mut out = Vec::new();
                brotli::Decompressor::new(&r.body[..], 4096)
                    .read_to_end(&mut out)
                    .unwrap();
                out
            }
            _ => zstd::decode_all(&r.body[..]).unwrap(),
        };
        assert_eq!(body, plain.body, "{enc}");
        assert!(r.body.len() < plain.body.len(), "{enc}");
    }
    // Small answers (a problem) are not worth it.
    let r = send(
        Method::GET,
        &gw.url("/v1/nothing-here"),
        &[("accept-encoding", "gzip")],
        None,
    )
    .await;
    assert!(!r.headers.contains_key("content-encoding"));
    r.assert_problem(404);
    // compress_min_bytes = 0 turns it off.
    let off = Gateway::start(&sandbox("compress_min_bytes = 0")).await;
    let r = send(
        Method::GET,
        &off.url("/v1/vehicle-categories"),
        &[("accept-encoding", "gzip")],
        None,
    )
    .await;
    assert!(!r.headers.contains_key("content-encoding"));
}

fn category_config(base_url: &str) -> String {
    format!(
        "[server]\nbody_limit_bytes = 65536\n[backends.fleet_admin]\nbase_url = \"{base_url}\"\n"
    )
}

#[tokio::test]
async fn compressed_request_bodies_are_read_within_the_same_limit() {
    let vendor = Scripted::new([Answer::json(200, r#"{"Success": true}"#)]);
    let gw = Gateway::start(&category_config(&vendor.start().await)).await;
    let body = br#"{"parentId": 1, "labels": {"en": "Van"}}"#;
    let put = |bytes: Vec<u8>, encoding: &'static str| {
        let url = gw.url("/v1/vehicle-categories/7");
        async move {
            send(
                Method::PUT,
                &url,
                &[
                    ("content-type", "application/json"),
                    ("content-encoding", encoding),
                ],
                Some(bytes),
            )
            .await
        }
    };
    let r = put(gzip(body), "gzip").await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let sent: serde_json::Value = serde_json::from_slice(&vendor.received()[0].body).unwrap();
    assert_eq!(sent["Labels"], r#"{"en":"Van"}"#);
    // A decompression bomb: 64 KiB on the wire, far more inside.
    let bomb = gzip(&vec![b' '; 8 << 20]);
    assert!(bomb.len() < 65536);
    put(bomb, "gzip").await.assert_problem(413);
    // Bytes that are not what Content-Encoding says.
    put(body.to_vec(), "gzip").await.assert_problem(400);
    // An encoding the gateway does not take.
    put(body.to_vec(), "x-unknown").await.assert_problem(415);
    assert_eq!(vendor.received().len(), 1, "only the good write was sent");
}

#[tokio::test]
async fn a_route_has_its_own_deadline() {
    let config = r#"
[backends.vehizen]
base_url = "sandbox"
format = "xml"
[backends.vehizen.faults]
latency_ms = 400
[backends.fleet_admin]
base_url = "sandbox"
[backends.fleet_admin.faults]
latency_ms = 400
[routes.customer_groups]
backends = ["vehizen"]
timeout_ms = 100
"#;
    let gw = Gateway::start(config).await;
    let r = gw
        .get("/v1/customer-groups/e55ab6e7-1056-4ab3-bd03-247f4b0efdd1")
        .await;
    let p = r.assert_problem(504);
    assert_eq!(p["type"], "urn:crossdock:problem:gateway-timeout");
    // Cut short by the route's deadline: the backend's timeout, as the
    // breaker and the metrics see it.
    let m = gw.metrics().await;
    assert!(
        m.lines()
            .any(|l| l.starts_with("crossdock_backend_requests_total{")
                && l.contains(r#"backend="vehizen""#)
                && l.contains(r#"outcome="timeout""#)
                && l.ends_with(" 1")),
        "{m}"
    );
    // Another resource keeps the global deadline.
    assert_eq!(gw.get("/v1/vehicle-categories").await.status, 200);
    let e = Gateway::try_start(&config.replace("timeout_ms = 100", "timeout_ms = 0"))
        .await
        .err()
        .unwrap();
    assert!(e.contains("routes.customer_groups.timeout_ms"), "{e}");
}
