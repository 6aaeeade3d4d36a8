//! The outbound stack and the breaker in front of it around a mock vendor
//! (tower-test), on a paused clock: which calls reach the vendor, when,
//! and what the caller gets back. No socket, no real sleep.

use super::stack::{self, Req};
use super::*;
use crate::config::OutboundConfig;
use http_body_util::BodyExt;
use std::time::Duration;
use tokio::time::{advance, Instant};
use tower::ServiceExt;
use tower_test::mock;

type Handle = mock::Handle<Req, VendorResponse>;

/// A backend's outbound keys: `base_url` plus the `extra` TOML lines.
fn config(extra: &str) -> OutboundConfig {
    toml::from_str(&format!("base_url = \"http://vendor.test\"\n{extra}")).unwrap()
}

/// The backend's stack around a mock vendor.
fn stack_over_mock(cfg: &OutboundConfig) -> (stack::Stack, Handle) {
    let (vendor, handle) = mock::pair();
    let policy = RetryPolicy::new(&cfg.retry).unwrap();
    (stack::layers(cfg, policy, vendor), handle)
}

fn request(method: Method, idempotent: bool) -> Req {
    http::Request::builder()
        .method(method)
        .uri("http://vendor.test/x")
        .extension(Idempotent(idempotent))
        .body(Full::new(Bytes::from_static(b"{}")))
        .unwrap()
}

fn answer(status: u16) -> VendorResponse {
    VendorResponse {
        status: StatusCode::from_u16(status).unwrap(),
        headers: HeaderMap::new(),
        body: Bytes::new(),
    }
}

/// Answers the next request that reaches the vendor with `status`, and
/// says how long after `since` (on the paused clock) it came.
async fn answer_next(vendor: &mut Handle, status: u16, since: Instant) -> Duration {
    let (_, reply) = vendor.next_request().await.expect("a request");
    reply.send_response(answer(status));
    since.elapsed()
}

/// No request reached the vendor (none is waiting, or every sender is gone).
fn nothing_sent(vendor: &mut Handle) -> bool {
    !matches!(vendor.poll_request(), std::task::Poll::Ready(Some(_)))
}

/// What the spawned call gave, once it ended. A call still waiting for
/// an answer after 5 s of the paused clock (an attempt too many: nobody
/// answers it) fails the test instead of hanging it.
async fn ended<T>(call: tokio::task::JoinHandle<T>) -> T {
    tokio::time::timeout(Duration::from_secs(5), call)
        .await
        .expect("the call ended (no attempt too many)")
        .unwrap()
}

const RETRY_100MS: &str = "[retry]\nattempts = 2\nbackoff_ms = 100\nmax_backoff_ms = 100";

#[tokio::test(start_paused = true)]
async fn a_transient_answer_is_retried_after_the_backoff_until_attempts_run_out() {
    let (stack, mut vendor) = stack_over_mock(&config(RETRY_100MS));
    let t0 = Instant::now();
    let call = tokio::spawn(stack.clone().oneshot(request(Method::GET, true)));
    assert_eq!(answer_next(&mut vendor, 503, t0).await, Duration::ZERO);
    // The backoff is 100 ms (the jitter is capped by max_backoff_ms).
    assert_eq!(
        answer_next(&mut vendor, 502, t0).await,
        Duration::from_millis(100)
    );
    assert_eq!(
        answer_next(&mut vendor, 504, t0).await,
        Duration::from_millis(200)
    );
    // Two retries, then the last answer is the caller's (a third retry
    // would wait for an answer that never comes).
    assert_eq!(ended(call).await.unwrap().status, 504);
    assert!(nothing_sent(&mut vendor), "no third retry");
}

#[tokio::test(start_paused = true)]
async fn a_good_answer_after_a_retry_is_the_callers() {
    let (stack, mut vendor) = stack_over_mock(&config(RETRY_100MS));
    let t0 = Instant::now();
    let call = tokio::spawn(stack.oneshot(request(Method::PUT, true)));
    let (first, reply) = vendor.next_request().await.unwrap();
    reply.send_error(CallError::Connect);
    let (again, reply) = vendor.next_request().await.unwrap();
    assert_eq!(t0.elapsed(), Duration::from_millis(100));
    reply.send_response(answer(200));
    assert_eq!(ended(call).await.unwrap().status, 200);
    // The retry is the same request.
    assert_eq!(again.method(), first.method());
    assert_eq!(again.uri(), first.uri());
    let body = |r: Req| async { r.into_body().collect().await.unwrap().to_bytes() };
    assert_eq!(body(again).await, body(first).await);
}

#[tokio::test(start_paused = true)]
async fn what_is_not_idempotent_or_not_transient_is_sent_once() {
    let (stack, mut vendor) = stack_over_mock(&config(RETRY_100MS));
    // A create: the vendor may have acted on it.
    let call = tokio::spawn(stack.clone().oneshot(request(Method::POST, false)));
    let (_, reply) = vendor.next_request().await.unwrap();
    reply.send_response(answer(503));
    assert_eq!(ended(call).await.unwrap().status, 503);
    // A vendor's "no" (4xx, 500) is an answer, not a fault to retry.
    for status in [400, 404, 409, 500] {
        let call = tokio::spawn(stack.clone().oneshot(request(Method::GET, true)));
        let (_, reply) = vendor.next_request().await.unwrap();
        reply.send_response(answer(status));
        assert_eq!(ended(call).await.unwrap().status, status);
    }
    // An answer too large would be as large again.
    let call = tokio::spawn(stack.clone().oneshot(request(Method::GET, true)));
    let (_, reply) = vendor.next_request().await.unwrap();
    reply.send_error(CallError::BodyTooLarge);
    assert!(matches!(ended(call).await, Err(CallError::BodyTooLarge)));
    advance(Duration::from_secs(5)).await;
    assert!(nothing_sent(&mut vendor), "nothing was retried");
}

#[tokio::test(start_paused = true)]
async fn an_attempt_past_timeout_ms_is_cut_then_retried() {
    let cfg = config(&format!("timeout_ms = 250\n{RETRY_100MS}"));
    let (stack, mut vendor) = stack_over_mock(&cfg);
    let t0 = Instant::now();
    let call = tokio::spawn(stack.clone().oneshot(request(Method::GET, true)));
    // Never answered: the attempt times out at 250 ms, the retry goes at 350.
    let (_, silent) = vendor.next_request().await.unwrap();
    assert_eq!(
        answer_next(&mut vendor, 200, t0).await,
        Duration::from_millis(350)
    );
    assert_eq!(ended(call).await.unwrap().status, 200);
    drop(silent);
    // Every attempt silent: the caller gets a timeout after three of them.
    let t0 = Instant::now();
    let call = tokio::spawn(stack.oneshot(request(Method::GET, true)));
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(vendor.next_request().await.unwrap());
    }
    assert!(matches!(ended(call).await, Err(CallError::Timeout)));
    assert_eq!(t0.elapsed(), Duration::from_millis(3 * 250 + 2 * 100));
}

#[tokio::test(start_paused = true)]
async fn calls_past_max_concurrency_are_shed_not_queued() {
    let (stack, mut vendor) = stack_over_mock(&config("max_concurrency = 1"));
    let first = tokio::spawn(stack.clone().oneshot(request(Method::GET, true)));
    let (_, reply) = vendor.next_request().await.unwrap();
    // One call in flight: the next fails at once, without reaching the vendor.
    assert!(matches!(
        stack.clone().oneshot(request(Method::GET, true)).await,
        Err(CallError::Overloaded)
    ));
    assert!(nothing_sent(&mut vendor));
    reply.send_response(answer(200));
    assert_eq!(ended(first).await.unwrap().status, 200);
    // Its slot is free again.
    let next = tokio::spawn(stack.oneshot(request(Method::GET, true)));
    answer_next(&mut vendor, 200, Instant::now()).await;
    assert_eq!(ended(next).await.unwrap().status, 200);
}

/// A backend's reading of an answer: a 5xx is the backend's fault, a 4xx
/// the vendor refusing the data.
#[derive(Debug)]
struct Refused(u16);

impl Verdict for Refused {
    fn outcome(&self) -> &'static str {
        "refused"
    }
    fn is_backend_fault(&self) -> bool {
        self.0 >= 500
    }
}

fn decode(r: &VendorResponse) -> Result<u16, Refused> {
    match r.status.as_u16() {
        s @ 200..=299 => Ok(s),
        s => Err(Refused(s)),
    }
}

/// A backend `t` over a mock vendor, breaker in front (retries off, so one
/// exchange is one call).
fn outbound(breaker: &str) -> (Outbound, Handle, Metrics) {
    let cfg = config(&format!("[retry]\nattempts = 0\n[breaker]\n{breaker}"));
    let (stack, vendor) = stack_over_mock(&cfg);
    let metrics = Metrics::new();
    let base = BaseUrl::parse(&cfg.base_url).unwrap();
    let out = Outbound::around("t", base, &cfg, &metrics, false, stack).unwrap();
    (out, vendor, metrics)
}

/// One exchange, the vendor answering `status`.
async fn exchange(
    out: &Outbound,
    vendor: &mut Handle,
    status: u16,
) -> Result<u16, Failed<Refused>> {
    let req = VendorRequest::new("op", Method::GET, "/x".into());
    let (got, _) = tokio::join!(out.exchange(req, None, decode), async {
        answer_next(vendor, status, Instant::now()).await
    });
    got
}

/// An exchange the breaker refuses: nothing reaches the vendor.
async fn refused(out: &Outbound, vendor: &mut Handle) -> Duration {
    let req = VendorRequest::new("op", Method::GET, "/x".into());
    let got = out.exchange(req, None, decode).await;
    assert!(nothing_sent(vendor), "a call reached the vendor");
    match got {
        Err(Failed {
            error: ExchangeError::Call(CallError::CircuitOpen { retry_after }),
            ..
        }) => retry_after,
        other => panic!("not refused by the breaker: {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn the_breaker_holds_calls_back_for_open_ms_then_lets_one_probe_through() {
    let (out, mut vendor, metrics) = outbound("consecutive_failures = 2\nopen_ms = 1000");
    let open = metrics.circuit_open.with_label_values(&["t"]);
    assert!(exchange(&out, &mut vendor, 503).await.is_err());
    assert_eq!(open.get(), 0);
    assert!(exchange(&out, &mut vendor, 500).await.is_err());
    assert_eq!(open.get(), 1, "open after two backend faults in a row");
    assert_eq!(
        refused(&out, &mut vendor).await,
        Duration::from_millis(1000)
    );
    advance(Duration::from_millis(999)).await;
    assert_eq!(refused(&out, &mut vendor).await, Duration::from_millis(1));
    advance(Duration::from_millis(1)).await;
    // The probe reaches the vendor; its success closes the breaker.
    assert_eq!(exchange(&out, &mut vendor, 200).await.unwrap(), 200);
    assert_eq!(open.get(), 0);
    assert_eq!(exchange(&out, &mut vendor, 200).await.unwrap(), 200);
}

#[tokio::test(start_paused = true)]
async fn a_failed_probe_opens_the_breaker_for_open_ms_again() {
    let (out, mut vendor, _) = outbound("consecutive_failures = 1\nopen_ms = 500");
    assert!(exchange(&out, &mut vendor, 502).await.is_err());
    advance(Duration::from_millis(500)).await;
    assert!(exchange(&out, &mut vendor, 502).await.is_err(), "the probe");
    assert_eq!(refused(&out, &mut vendor).await, Duration::from_millis(500));
}

#[tokio::test(start_paused = true)]
async fn the_vendor_refusing_data_does_not_open_the_breaker() {
    let (out, mut vendor, metrics) = outbound("consecutive_failures = 2");
    for _ in 0..5 {
        match exchange(&out, &mut vendor, 422).await {
            Err(Failed {
                backend: "t",
                error: ExchangeError::Vendor(Refused(422)),
            }) => {}
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(metrics.circuit_open.with_label_values(&["t"]).get(), 0);
    assert_eq!(exchange(&out, &mut vendor, 200).await.unwrap(), 200);
}
