//! W3C trace context through the whole gateway over real sockets: the
//! caller's `traceparent` reaches every vendor (and the OAuth token
//! endpoint) as a child (same trace id, new span id), a missing or
//! malformed one starts a new trace, and with `[telemetry.otlp]` the
//! spans of a request (the vendor call's included) reach an OTLP/HTTP
//! receiver, which never slows a request down when it hangs.
//!
//! The in-process gateways run with OTLP off (the default); the OTLP cases
//! run the real binary, whose `main` starts the exporter.

// Drives a real browser or a real child process and waits on them from
// blocking code, outside any runtime's clock: real time.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)]

use crate::common;
use crate::common::scripted::{Answer, Received, Scripted};
use crate::common::{send, Gateway};
#[allow(deprecated)]
use axum::extract::State;
use axum::routing::post;
use bytes::Bytes;
use crossdock::trace::TraceParent;
use http::Method;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::trace::v1::Span as OtlpSpan;
use prost::Message;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

const ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";
const TRACE_ID: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER_SPAN: &str = "00f067aa0ba902b7";
const CALLER: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
const STATE: &str = "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE";

fn ok() -> Answer {
    Answer::Body(204, "text/plain", "".into())
}

fn department(base_url: &str, extra: &str) -> String {
    format!(
        r#"
[backends.department]
base_url = "{base_url}"
timeout_ms = 2000
token = "path-token"
retry.attempts = 0
{extra}
[routes.customers]
backends = ["department"]
"#
    )
}

async fn put(url: &str, headers: &[(&str, &str)]) -> common::Resp {
    let mut all = vec![("content-type", "application/json")];
    all.extend_from_slice(headers);
    send(
        Method::PUT,
        &format!("{url}/v1/customers/{ID}"),
        &all,
        Some(br#"{"firstName":"Ada"}"#.to_vec()),
    )
    .await
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The `traceparent` a vendor got, parsed (it must be valid).
fn traceparent(r: &Received) -> TraceParent {
    let v = r
        .headers
        .get("traceparent")
        .unwrap_or_else(|| panic!("no traceparent in {:?}", r.headers));
    TraceParent::parse(v.as_bytes()).unwrap_or_else(|| panic!("invalid traceparent {v:?}"))
}

#[tokio::test]
async fn the_vendor_gets_the_callers_trace_as_a_child_span_with_its_tracestate() {
    let vendor = Scripted::new([ok(), ok()]);
    let gw = Gateway::start(&department(&vendor.start().await, "")).await;
    let r = put(
        &gw.url(""),
        &[
            ("traceparent", CALLER),
            ("tracestate", STATE),
            ("x-request-id", "rid-7"),
        ],
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    // The request id is as before: the caller's, echoed and passed on.
    assert_eq!(r.headers["x-request-id"], "rid-7");
    let got = vendor.received();
    assert_eq!(got.len(), 1);
    let sent = traceparent(&got[0]);
    assert_eq!(hex(&sent.trace_id), TRACE_ID, "the caller's trace");
    assert_ne!(
        hex(&sent.parent_id),
        CALLER_SPAN,
        "a new span, not the caller's"
    );
    assert!(sent.sampled(), "the caller's sampled flag");
    assert_eq!(got[0].headers["tracestate"], STATE);
    assert_eq!(got[0].headers["x-request-id"], "rid-7");
    assert_eq!(got[0].headers.get_all("traceparent").iter().count(), 1);

    // An unsampled caller stays unsampled; each call gets its own span.
    let unsampled = CALLER.replace("-01", "-00");
    put(&gw.url(""), &[("traceparent", &unsampled)]).await;
    let again = traceparent(&vendor.received()[1]);
    assert_eq!(hex(&again.trace_id), TRACE_ID);
    assert!(!again.sampled());
    assert_ne!(again.parent_id, sent.parent_id);
    assert!(vendor.received()[1].headers.get("tracestate").is_none());
}

#[tokio::test]
async fn without_a_valid_traceparent_the_vendor_gets_a_new_trace() {
    let vendor = Scripted::new((0..6).map(|_| ok()));
    let gw = Gateway::start(&department(&vendor.start().await, "")).await;
    let upper = CALLER.to_uppercase();
    let zero_trace = format!("00-{}-{CALLER_SPAN}-01", "0".repeat(32));
    let long = format!("{CALLER}-x");
    let cases: [&[(&str, &str)]; 6] = [
        &[],
        &[("traceparent", "garbage"), ("tracestate", STATE)],
        &[("traceparent", &upper)],
        &[("traceparent", &zero_trace)],
        &[("traceparent", &long)],
        &[("traceparent", CALLER), ("traceparent", CALLER)],
    ];
    for headers in cases {
        let r = put(&gw.url(""), headers).await;
        assert_eq!(r.status, 200, "{headers:?}");
    }
    let got = vendor.received();
    assert_eq!(got.len(), 6);
    let mut traces = Vec::new();
    for (r, headers) in got.iter().zip(cases) {
        let sent = traceparent(r);
        assert_ne!(hex(&sent.trace_id), TRACE_ID, "{headers:?}: a new trace");
        assert_ne!(sent.trace_id, [0; 16]);
        assert!(!sent.sampled(), "{headers:?}: nothing upstream recorded it");
        assert!(r.headers.get("tracestate").is_none(), "{headers:?}");
        traces.push(sent.trace_id);
    }
    traces.sort();
    traces.dedup();
    assert_eq!(traces.len(), 6, "each request its own trace");
}

#[tokio::test]
async fn every_vendor_of_a_fan_out_gets_the_same_trace_and_its_own_span() {
    let department_vendor = Scripted::new([ok()]);
    let bokamera_vendor = Scripted::new([Answer::json(500, "{}")]);
    let config = format!(
        r#"
[backends.department]
base_url = "{}"
token = "path-token"
retry.attempts = 0
[backends.bokamera]
base_url = "{}"
api_key = "k"
company_id = "11111111-2222-3333-4444-555555555555"
retry.attempts = 0
[routes.customers]
backends = ["department", "bokamera"]
"#,
        department_vendor.start().await,
        bokamera_vendor.start().await
    );
    let gw = Gateway::start(&config).await;
    put(&gw.url(""), &[("traceparent", CALLER)]).await;
    let a = traceparent(&department_vendor.received()[0]);
    let b = traceparent(&bokamera_vendor.received()[0]);
    assert_eq!(hex(&a.trace_id), TRACE_ID);
    assert_eq!(hex(&b.trace_id), TRACE_ID);
    assert_ne!(a.parent_id, b.parent_id);
}

/// A token endpoint that records the `traceparent` of each call.
async fn token_endpoint() -> (String, Arc<Mutex<Vec<Option<String>>>>) {
    let seen: Arc<Mutex<Vec<Option<String>>>> = Arc::default();
    let app =
        axum::Router::new()
            .route(
                "/token",
                post(
                    |State(seen): State<Arc<Mutex<Vec<Option<String>>>>>,
                     headers: http::HeaderMap| async move {
                        let tp = headers
                            .get("traceparent")
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_owned);
                        seen.lock().unwrap().push(tp);
                        (
                            [("content-type", "application/json")],
                            r#"{"access_token":"t0k","token_type":"Bearer","expires_in":300}"#,
                        )
                    },
                ),
            )
            .with_state(seen.clone());
    let addr = common::serve(app).await;
    (format!("http://{addr}/token"), seen)
}

#[tokio::test]
async fn the_oauth_token_call_is_part_of_the_callers_trace() {
    let vendor = Scripted::new([ok()]);
    let (token_url, seen) = token_endpoint().await;
    let oauth = format!(
        "[backends.department.oauth]\ntoken_url = \"{token_url}\"\ngrant = \"client_credentials\"\nclient_id = \"c\"\nclient_secret = \"s\"\n"
    );
    let gw = Gateway::start(&department(&vendor.start().await, &oauth)).await;
    let r = put(&gw.url(""), &[("traceparent", CALLER)]).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    let token_call = TraceParent::parse(seen[0].as_deref().unwrap_or("").as_bytes())
        .expect("the token call carries a valid traceparent");
    assert_eq!(hex(&token_call.trace_id), TRACE_ID);
    assert_ne!(hex(&token_call.parent_id), CALLER_SPAN);
    assert_eq!(vendor.received()[0].headers["authorization"], "Bearer t0k");
    assert_eq!(hex(&traceparent(&vendor.received()[0]).trace_id), TRACE_ID);
}

#[test]
fn the_otlp_endpoint_is_checked_and_can_come_from_the_environment() {
    let path = std::env::temp_dir().join(format!(
        "crossdock-otlp-{}.toml",
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::write(
        &path,
        "[telemetry.otlp]\nendpoint = \"otel-host:4318\"\nservice_name = \"gw\"\n",
    )
    .unwrap();
    let e = crossdock::app::Plan::from_file(&path, [])
        .err()
        .expect("a URL without a scheme is refused")
        .to_string();
    assert!(
        e.contains(":2:1: telemetry.otlp.endpoint: no scheme"),
        "{e}"
    );
    assert!(!e.contains("otel-host"), "the value is not quoted: {e}");
    let env = |v: &str| {
        [(
            "CROSSDOCK__TELEMETRY__OTLP__ENDPOINT".to_string(),
            v.to_string(),
        )]
    };
    let plan = crossdock::app::Plan::from_file(&path, env("http://127.0.0.1:4318"))
        .unwrap_or_else(|e| panic!("{e}"));
    let otlp = plan.config().telemetry.otlp.clone().unwrap();
    assert_eq!(otlp.service_name, "gw");
    assert_eq!(
        otlp.traces_url().unwrap().to_string(),
        "http://127.0.0.1:4318/v1/traces"
    );
    let e = crossdock::app::Plan::from_file(&path, env("ftp://x"))
        .err()
        .unwrap()
        .to_string();
    assert!(
        e.contains(
            "CROSSDOCK__TELEMETRY__OTLP__ENDPOINT: telemetry.otlp.endpoint: only http and https"
        ),
        "{e}"
    );
    // Off by default, and never turned on in this process.
    std::fs::write(&path, "[server]\nlisten = \"127.0.0.1:0\"\n").unwrap();
    let plan = crossdock::app::Plan::from_file(&path, []).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(plan.config().telemetry.otlp, None);
    assert!(!crossdock::trace::otlp::enabled());
    let _ = std::fs::remove_file(&path);
}

/// What an OTLP receiver got: each POST's content type and body.
type Posts = Arc<Mutex<Vec<(String, Bytes)>>>;

/// A receiver of OTLP/HTTP spans on `POST /v1/traces`.
async fn otlp_receiver() -> (String, Posts) {
    let posts: Posts = Arc::default();
    let app = axum::Router::new()
        .route(
            "/v1/traces",
            post(
                |State(posts): State<Posts>, headers: http::HeaderMap, body: Bytes| async move {
                    let ct = headers
                        .get("content-type")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_string();
                    posts.lock().unwrap().push((ct, body));
                    // An empty ExportTraceServiceResponse.
                    ([("content-type", "application/x-protobuf")], Bytes::new())
                },
            ),
        )
        .with_state(posts.clone());
    let addr = common::serve(app).await;
    (format!("http://{addr}"), posts)
}

/// Every span received so far.
fn spans(posts: &Posts) -> Vec<OtlpSpan> {
    let mut out = Vec::new();
    for (ct, body) in posts.lock().unwrap().iter() {
        assert_eq!(ct, "application/x-protobuf");
        let req = ExportTraceServiceRequest::decode(body.clone()).expect("an OTLP protobuf body");
        for rs in req.resource_spans {
            let service = rs
                .resource
                .iter()
                .flat_map(|r| &r.attributes)
                .find(|a| a.key == "service.name")
                .and_then(|a| a.value.as_ref())
                .map(|v| format!("{:?}", v.value));
            assert!(
                service.is_some_and(|s| s.contains("crossdock-test")),
                "service.name"
            );
            for ss in rs.scope_spans {
                out.extend(ss.spans);
            }
        }
    }
    out
}

/// The real binary, on ephemeral ports.
struct Binary {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Binary {
    fn start(config: &str) -> Binary {
        let path = std::env::temp_dir().join(format!(
            "crossdock-trace-{}.toml",
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::write(
            &path,
            format!(
                "[server]\nlisten = \"127.0.0.1:0\"\nreload_poll_ms = 0\ndrain_delay_ms = 0\n\
                 [admin]\nlisten = \"127.0.0.1:0\"\n{config}"
            ),
        )
        .unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_crossdock"))
            .args(["--config", path.to_str().unwrap()])
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Binary {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// `http://addr` of the public listener, from the `crossdock listening`
    /// line.
    async fn url(&mut self) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            while let Ok(line) = self.lines.try_recv() {
                self.seen.push(line.clone());
                if let Some(at) = line.find("public=") {
                    let addr: String = line[at + "public=".len()..]
                        .chars()
                        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ':')
                        .collect();
                    return format!("http://{addr}");
                }
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("not listening:\n{}", self.seen.join("\n"));
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits until `found` holds for the spans received.
async fn wait_for_spans<T>(posts: &Posts, found: impl Fn(&[OtlpSpan]) -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let all = spans(posts);
        if let Some(t) = found(&all) {
            return t;
        }
        assert!(
            Instant::now() < deadline,
            "spans not received: {:#?}",
            all.iter()
                .map(|s| (&s.name, hex(&s.trace_id), hex(&s.span_id)))
                .collect::<Vec<_>>()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn an_otlp_receiver_gets_the_request_and_vendor_spans_of_the_callers_trace() {
    let (endpoint, posts) = otlp_receiver().await;
    let vendor = Scripted::new([ok(), ok()]);
    let mut gw = Binary::start(&format!(
        "{}\n[telemetry.otlp]\nendpoint = \"{endpoint}\"\nservice_name = \"crossdock-test\"\n",
        department(&vendor.start().await, "")
    ));
    let url = gw.url().await;
    let r = put(&url, &[("traceparent", CALLER), ("tracestate", STATE)]).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let sent = traceparent(&vendor.received()[0]);
    assert_eq!(hex(&sent.trace_id), TRACE_ID);
    assert_eq!(vendor.received()[0].headers["tracestate"], STATE);

    let (request, call) = wait_for_spans(&posts, |all| {
        let of_trace: Vec<&OtlpSpan> = all
            .iter()
            .filter(|s| hex(&s.trace_id) == TRACE_ID)
            .collect();
        let request = of_trace
            .iter()
            .find(|s| s.name == "PUT /v1/customers/{id}")?;
        let call = of_trace
            .iter()
            .find(|s| s.name.starts_with("department "))?;
        Some(((*request).clone(), (*call).clone()))
    })
    .await;
    // The request span is the caller's child; the vendor call span is the
    // request span's child, and is the parent the vendor was told.
    assert_eq!(hex(&request.parent_span_id), CALLER_SPAN);
    assert_eq!(request.kind, 2, "server");
    assert_eq!(call.parent_span_id, request.span_id);
    assert_eq!(call.span_id, sent.parent_id.to_vec(), "the vendor's parent");
    assert_eq!(call.name, "department update_customer");
    assert_eq!(call.kind, 3, "client");
    let attr = |s: &OtlpSpan, k: &str| {
        s.attributes
            .iter()
            .find(|a| a.key == k)
            .and_then(|a| a.value.as_ref())
            .map(|v| format!("{:?}", v.value))
            .unwrap_or_default()
    };
    assert!(attr(&call, "outcome").contains("success"), "{call:?}");
    assert!(attr(&call, "http.response.status_code").contains("204"));
    assert!(attr(&request, "route").contains("/v1/customers/{id}"));
    assert!(
        request.trace_state.contains("rojo=00f067aa0ba902b7"),
        "{request:?}"
    );

    // No caller header: a new trace, exported, the same the vendor got.
    put(&url, &[]).await;
    let fresh = traceparent(&vendor.received()[1]);
    assert_ne!(hex(&fresh.trace_id), TRACE_ID);
    assert!(
        fresh.sampled(),
        "a new trace is sampled when spans are exported"
    );
    wait_for_spans(&posts, |all| {
        let call = all.iter().find(|s| s.span_id == fresh.parent_id.to_vec())?;
        (call.trace_id == fresh.trace_id.to_vec()).then_some(())
    })
    .await;
}

#[tokio::test]
async fn a_hanging_otlp_receiver_never_slows_a_request() {
    // Accepts connections and never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let held = Arc::new(Mutex::new(Vec::new()));
    let keep = held.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            keep.lock().unwrap().push(sock);
        }
    });
    let vendor = Scripted::new((0..20).map(|_| ok()));
    let mut gw = Binary::start(&format!(
        "{}\n[telemetry.otlp]\nendpoint = \"http://{addr}\"\nservice_name = \"crossdock-test\"\n",
        department(&vendor.start().await, "")
    ));
    let url = gw.url().await;
    // Over several export rounds (one a second), every answer is quick.
    let start = Instant::now();
    let mut slowest = Duration::ZERO;
    for _ in 0..20 {
        let t = Instant::now();
        let r = put(&url, &[("traceparent", CALLER)]).await;
        assert_eq!(r.status, 200);
        slowest = slowest.max(t.elapsed());
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    assert!(
        start.elapsed() > Duration::from_secs(2),
        "spans an export round"
    );
    assert!(
        !held.lock().unwrap().is_empty(),
        "the exporter tried to send"
    );
    assert!(slowest < Duration::from_millis(500), "slowest {slowest:?}");
}
