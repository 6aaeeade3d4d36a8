//! W3C trace context (`traceparent`, `tracestate`) from the caller to every
//! vendor call, and the gateway's spans over OTLP when
//! `[telemetry.otlp]` is set.
//!
//! - Inbound, [`TraceContextLayer`] reads the caller's headers into an
//!   [`Incoming`] (a malformed or missing `traceparent` starts a new
//!   trace; `tracestate` is kept only beside a valid `traceparent`) and
//!   runs the request with it.
//! - Outbound, [`inject`] gives each vendor call (and OAuth token call) a
//!   `traceparent` with the request's trace id and a new span id, and the
//!   caller's `tracestate`.
//! - With OTLP on ([`otlp`]), the request's `tracing` span is an
//!   OpenTelemetry span whose parent is the caller's, each vendor call is a
//!   child span ([`vendor_span`]), and the `traceparent` a vendor gets
//!   names that child span.
//!
//! With OTLP off (the default) the cost per request is reading the header
//! and one task-local; no span is made for a vendor call and nothing is
//! sampled.

mod layer;
pub mod otlp;
mod parent;

pub use layer::{TraceContext, TraceContextLayer};
pub use parent::{TraceParent, SAMPLED};

use http::header::HeaderName;
use http::{HeaderMap, HeaderValue};
use opentelemetry_sdk::trace::{IdGenerator, RandomIdGenerator};
use tracing::field::Empty;
use tracing::Span;

pub const TRACEPARENT: HeaderName = HeaderName::from_static("traceparent");
pub const TRACESTATE: HeaderName = HeaderName::from_static("tracestate");

/// The target of vendor call spans: exported, never logged.
pub const VENDOR_SPAN_TARGET: &str = "crossdock::vendor_call";

/// Longest `tracestate` passed on (the recommendation asks for at least
/// 512 characters to be propagated).
const MAX_STATE_BYTES: usize = 512;
/// Most `tracestate` members.
const MAX_STATE_MEMBERS: usize = 32;

/// The trace a request belongs to.
#[derive(Debug, Clone)]
pub struct Incoming {
    /// The caller's `traceparent`, when it sent one valid value.
    pub caller: Option<TraceParent>,
    /// The caller's trace id, or a new one.
    pub trace_id: [u8; 16],
    /// The caller's `tracestate` (several header lines joined by `,`),
    /// when valid and beside a valid `traceparent`.
    pub state: Option<HeaderValue>,
}

impl Incoming {
    /// From the caller's headers; a new trace when `traceparent` is
    /// missing, malformed or given more than once.
    pub fn from_headers(headers: &HeaderMap) -> Incoming {
        let mut values = headers.get_all(TRACEPARENT).iter();
        let caller = match (values.next(), values.next()) {
            (Some(v), None) => TraceParent::parse(v.as_bytes()),
            _ => None,
        };
        match caller {
            Some(p) => Incoming {
                caller: Some(p),
                trace_id: p.trace_id,
                state: tracestate(headers),
            },
            None => Incoming {
                caller: None,
                trace_id: new_trace_id(),
                state: None,
            },
        }
    }

    /// The caller's flags; a new trace is not sampled (nothing upstream
    /// recorded it).
    pub fn flags(&self) -> u8 {
        self.caller.map_or(0, |p| p.flags & SAMPLED)
    }

    /// A `traceparent` for a call made for this request: its trace, a new
    /// span id.
    pub fn child(&self) -> TraceParent {
        TraceParent {
            trace_id: self.trace_id,
            parent_id: new_span_id(),
            flags: self.flags(),
        }
    }
}

tokio::task_local! {
    static INCOMING: Incoming;
}

/// Runs `fut` as part of the trace `incoming` (what [`TraceContextLayer`]
/// does for each request).
pub async fn within<F: std::future::Future>(incoming: Incoming, fut: F) -> F::Output {
    INCOMING.scope(incoming, fut).await
}

/// Sets `traceparent` and `tracestate` on a call to a vendor: with OTLP on,
/// the ids of `span` (the vendor call's span, or the current one); else
/// the request's trace id with a new span id. Outside any request (no
/// [`Incoming`]), a new trace.
pub fn inject(span: &Span, headers: &mut HeaderMap) {
    let (parent, state) = INCOMING
        .try_with(|i| {
            (
                otlp::span_parent(span).unwrap_or_else(|| i.child()),
                i.state.clone(),
            )
        })
        .unwrap_or_else(|_| {
            let parent = otlp::span_parent(span).unwrap_or_else(|| TraceParent {
                trace_id: new_trace_id(),
                parent_id: new_span_id(),
                flags: 0,
            });
            (parent, None)
        });
    headers.insert(TRACEPARENT, parent.to_header());
    match state {
        Some(s) => headers.insert(TRACESTATE, s),
        None => headers.remove(TRACESTATE),
    };
}

/// The span of one vendor exchange (its retries and token calls inside),
/// a child of the request's span: only with OTLP on, else
/// [`Span::none`] (no span is made). Exported, never logged.
pub fn vendor_span(backend: &'static str, operation: &'static str, method: &http::Method) -> Span {
    if !otlp::enabled() {
        return Span::none();
    }
    tracing::info_span!(
        target: VENDOR_SPAN_TARGET,
        "vendor call",
        otel.name = format!("{backend} {operation}"),
        otel.kind = "client",
        otel.status_code = Empty,
        backend,
        operation,
        http.request.method = method.as_str(),
        http.response.status_code = Empty,
        outcome = Empty,
    )
}

/// Records a vendor exchange's outcome (the `outcome` label of
/// `crossdock_backend_requests_total`) on its span; `failed` marks it an
/// error.
pub fn vendor_outcome(span: &Span, outcome: &str, failed: bool) {
    span.record("outcome", outcome);
    if failed {
        span.record("otel.status_code", "ERROR");
    }
}

/// Records the vendor's answer status on the vendor call's span.
pub fn vendor_status(span: &Span, status: http::StatusCode) {
    span.record("http.response.status_code", status.as_u16());
}

fn new_trace_id() -> [u8; 16] {
    loop {
        let id = RandomIdGenerator::default().new_trace_id().to_bytes();
        if id != [0; 16] {
            return id;
        }
    }
}

fn new_span_id() -> [u8; 8] {
    loop {
        let id = RandomIdGenerator::default().new_span_id().to_bytes();
        if id != [0; 8] {
            return id;
        }
    }
}

/// The caller's `tracestate`: its lines joined by `,`, when the whole is
/// at most 512 bytes of at most 32 well-formed `key=value` members; else
/// none (it is dropped, not cut).
fn tracestate(headers: &HeaderMap) -> Option<HeaderValue> {
    let mut values = headers.get_all(TRACESTATE).iter();
    let first = values.next()?;
    let value = match values.next() {
        None => first.clone(),
        Some(second) => {
            let mut joined = first.as_bytes().to_vec();
            for v in std::iter::once(second).chain(values) {
                joined.push(b',');
                joined.extend_from_slice(v.as_bytes());
                if joined.len() > MAX_STATE_BYTES {
                    return None;
                }
            }
            HeaderValue::from_bytes(&joined).ok()?
        }
    };
    valid_state(value.as_bytes()).then_some(value)
}

fn valid_state(v: &[u8]) -> bool {
    if v.len() > MAX_STATE_BYTES {
        return false;
    }
    let mut members = 0;
    for m in v.split(|&b| b == b',') {
        let m = m.trim_ascii();
        if m.is_empty() {
            continue;
        }
        members += 1;
        let Some(eq) = m.iter().position(|&b| b == b'=') else {
            return false;
        };
        let (key, value) = (&m[..eq], &m[eq + 1..]);
        let key_ok = !key.is_empty()
            && key.len() <= 256
            && key.iter().all(
                |&b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' | b'*' | b'/' | b'@'),
            );
        let value_ok = !value.is_empty()
            && value.len() <= 256
            && value
                .iter()
                .all(|&b| (0x20..=0x7e).contains(&b) && b != b',' && b != b'=');
        if !key_ok || !value_ok {
            return false;
        }
    }
    (1..=MAX_STATE_MEMBERS).contains(&members)
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        h
    }

    #[test]
    fn the_callers_trace_and_state_are_kept() {
        let i = Incoming::from_headers(&headers(&[
            ("traceparent", VALID),
            ("tracestate", "rojo=00f067aa0ba902b7"),
            ("tracestate", "congo=t61rcWkgMzE"),
        ]));
        let p = TraceParent::parse(VALID.as_bytes()).unwrap();
        assert_eq!(i.caller, Some(p));
        assert_eq!(i.trace_id, p.trace_id);
        assert_eq!(i.state.unwrap(), "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
        let child = Incoming::from_headers(&headers(&[("traceparent", VALID)])).child();
        assert_eq!(child.trace_id, p.trace_id);
        assert_ne!(child.parent_id, p.parent_id);
        assert_eq!(child.flags, 1);
    }

    #[test]
    fn a_bad_or_repeated_traceparent_starts_a_new_trace_without_state() {
        for h in [
            headers(&[("tracestate", "rojo=1")]),
            headers(&[("traceparent", "00-xyz"), ("tracestate", "rojo=1")]),
            headers(&[("traceparent", VALID), ("traceparent", VALID)]),
        ] {
            let i = Incoming::from_headers(&h);
            assert_eq!(i.caller, None);
            assert_ne!(i.trace_id, [0; 16]);
            assert_eq!(i.state, None);
            assert_eq!(i.flags(), 0);
        }
        let a = Incoming::from_headers(&HeaderMap::new());
        let b = Incoming::from_headers(&HeaderMap::new());
        assert_ne!(a.trace_id, b.trace_id);
    }

    #[test]
    fn a_malformed_or_oversized_tracestate_is_dropped() {
        for bad in [
            "no-equals-sign".to_string(),
            "Upper=1".into(),
            "k=".into(),
            "=v".into(),
            ",,,".into(),
            (0..33)
                .map(|i| format!("k{i}=v"))
                .collect::<Vec<_>>()
                .join(","),
            format!("k={}", "v".repeat(600)),
        ] {
            let i =
                Incoming::from_headers(&headers(&[("traceparent", VALID), ("tracestate", &bad)]));
            assert_eq!(i.state, None, "{bad}");
            assert!(i.caller.is_some());
        }
        let ok = "vendor@tenant=a b c, other_1=x/y";
        let i = Incoming::from_headers(&headers(&[("traceparent", VALID), ("tracestate", ok)]));
        assert_eq!(i.state.unwrap(), ok);
    }

    #[tokio::test]
    async fn inject_uses_the_request_trace_or_starts_one() {
        let mut out = HeaderMap::new();
        out.insert(TRACESTATE, HeaderValue::from_static("stale=1"));
        inject(&Span::none(), &mut out);
        let fresh = TraceParent::parse(out[TRACEPARENT].as_bytes()).unwrap();
        assert!(out.get(TRACESTATE).is_none());
        let incoming = Incoming::from_headers(&headers(&[
            ("traceparent", VALID),
            ("tracestate", "rojo=1"),
        ]));
        let mut out = HeaderMap::new();
        within(incoming.clone(), async { inject(&Span::none(), &mut out) }).await;
        let sent = TraceParent::parse(out[TRACEPARENT].as_bytes()).unwrap();
        assert_eq!(sent.trace_id, incoming.trace_id);
        assert_ne!(sent.trace_id, fresh.trace_id);
        assert_ne!(Some(sent.parent_id), incoming.caller.map(|c| c.parent_id));
        assert_eq!(out[TRACESTATE], "rojo=1");
    }
}
